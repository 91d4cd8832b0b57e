"""The 3D surface stands at f whatever the map's colour scale (its colours follow the map)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt


def test_the_surface_stands_at_f_on_a_log_map_and_takes_its_colours(window, user):
    """exp(−(w1² + w2²)) takes a log map: the surface's heights were log f too, and the bell
    the Slice tab shows stood beside a paraboloid's dome; L (linear colours) changed its
    shape. Now the heights are f, the colours the map's."""
    user.type_loss("exp(-(w1^2 + w2^2))")
    window.wait_idle()
    assert window.log_shown
    surface = window.surface
    x, y, z = surface._mesh
    step = surface._grid.values.shape[0] // x.size
    f = surface._grid.values[::step, ::step]
    ok = np.isfinite(z) & np.isfinite(f)
    slope, offset = np.polyfit(f[ok], z[ok], 1)
    assert slope > 0 and np.allclose(z[ok], slope * f[ok] + offset, atol=1e-9)
    # the highest point is the bump's top, in the middle, and the whole bell is drawn
    assert np.isclose(z[ok].max(), 0.6 * surface.height_scale) and surface._caption == ""
    log_colours = surface.surface._colors.copy()
    user.focus_window()
    user.key(Qt.Key_L)  # linear colours: the shape is the same, the colours change
    window.wait_idle()
    assert not window.log_shown
    assert np.array_equal(surface._mesh[2], z, equal_nan=True)
    assert not np.allclose(surface.surface._colors, log_colours)


def test_a_surface_of_f_that_would_be_a_flat_floor_stands_at_log_f_and_says_so(window, user):
    """exp(w1² + w2²) at f: 89 % of it within a hundredth of its height, a floor with four
    pillars hiding the start. Its log is shown, the view saying "height: log₁₀ f", and the
    runs' paths are placed at log f too."""
    user.type_loss("exp(w1^2 + w2^2)")
    window.wait_idle()
    assert window.log_shown
    surface = window.surface
    assert surface._caption == "height: log₁₀ f"
    x, y, z = surface._mesh
    step = surface._grid.values.shape[0] // x.size
    f = surface._grid.values[::step, ::step]
    ok = np.isfinite(z) & np.isfinite(f)
    assert np.corrcoef(np.log(f[ok]), z[ok])[0, 1] > 0.95  # (log f, not f)
    assert np.mean(z[ok] <= z[ok].min() + 0.01 * np.ptp(z[ok])) < 0.5  # (no flat floor)
    line, _dot = surface.run_items[0]
    assert line.visible() or _dot.visible()
    user.type_loss("exp(-(w1^2 + w2^2))")  # (the bell: f, no caption)
    window.wait_idle()
    assert surface._caption == ""
