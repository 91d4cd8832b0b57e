"""The 3D view draws a new surface as soon as it is set (software GL rasterizes it while the
other views are updated); its paint then only reads the picture back, the same picture."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore

from gdviz.core.grid import Grid


def bump(height: float = 1.0) -> tuple[Grid, np.ndarray]:
    a = np.linspace(-1.0, 1.0, 96)
    values = height * np.exp(-4.0 * (a[None, :] ** 2 + a[:, None] ** 2))
    return Grid(a=a, b=a, values=values, domain=((-1.0, 1.0), (-1.0, 1.0))), values


def settle(rounds: int = 6) -> None:
    for _ in range(rounds):
        QtCore.QCoreApplication.processEvents()


@pytest.fixture
def surface(surface_view_of):
    view = surface_view_of(*bump())
    draws = []
    real = view.view.paint
    view.view.paint = lambda *a, **k: draws.append(1) or real(*a, **k)
    view.draws = draws
    return view


def image_of(view) -> np.ndarray:
    frame = view.view.current_frame()
    return frame.pixels.copy()


def test_a_new_surface_is_drawn_when_set_and_only_read_at_the_paint(surface):
    renders = surface.view.render_count
    surface.set_surface(*bump(0.5), (0.0, 1.0))
    assert surface.draws == [1]  # drawn at once, before any paint
    assert surface.view.render_count == renders  # not read back yet
    settle()
    assert surface.draws == [1] and surface.view.render_count == renders + 1
    ahead = image_of(surface)
    surface.view.update()  # the same scene drawn afresh at a paint, for comparison
    again = image_of(surface)
    assert surface.draws == [1, 1]
    assert np.array_equal(ahead, again)
    assert ahead[..., :3].min() < 200  # the surface is in it, not a blank picture


def test_a_change_after_it_is_drawn_ahead_is_drawn_again(surface):
    surface.set_surface(*bump(0.5), (0.0, 1.0))
    before = image_of(surface)
    surface.set_surface(*bump(1.0), (0.0, 1.0))
    surface.view.setCameraPosition(azimuth=-30, elevation=40)  # after it was drawn ahead
    settle()
    assert len(surface.draws) == 3  # the first surface, the second, and again at the paint
    frame = surface.view.current_frame()
    assert surface.view.opts["azimuth"] == -30
    assert not np.array_equal(frame.pixels, before)


def test_a_resize_after_it_is_drawn_ahead_draws_at_the_new_size(surface):
    surface.set_surface(*bump(0.5), (0.0, 1.0))
    surface.resize(380, 300)
    settle()
    frame = surface.view.current_frame()
    dpr = frame.dpr
    assert frame.image.width() == round(surface.view.width() * dpr)
    assert frame.image.height() == round(surface.view.height() * dpr)
    assert len(surface.draws) == 2
