"""A run's step off the 3D surface is drawn to the surface's edge, as the map draws it to its
frame: a run whose first step leapt off (GD at η = 10 on x² + y²) showed nothing in 3D."""

from __future__ import annotations

import numpy as np
import pytest

from gdviz.ui.path_projection import ENTRY, EXIT, OFF, OVER, edge_stand_ins
from tests.ui.test_surface_paths import RED, hill, is_color, pixels, run_along


@pytest.fixture
def view(surface_view_of):
    return surface_view_of(*hill())


def _red_near(view, scene_point: np.ndarray, reach: int = 2) -> bool:
    frame = view.view.current_frame()
    image = pixels(view.grab_image())
    ((x, y),), _ = frame.project(np.asarray(scene_point, dtype=float).reshape(1, 3))
    x, y = round(x * frame.dpr), round(y * frame.dpr)
    return bool(is_color(image[y - reach:y + reach + 1, x - reach:x + reach + 1], RED).any())


@pytest.mark.parametrize("path, k, edge_at", [
    # (along the near side, low and in sight: a chord over the hill's flank dips into it)
    ([[-0.6, -0.9], [9.0, -0.6]], 1, 1),  # leaving at its first step, far off
    ([[9.0, -0.6], [-0.6, -0.9]], 1, 0),  # coming back onto the surface
])
def test_a_step_off_the_surface_is_drawn_to_its_edge(view, path, k, edge_at):
    run = run_along(path)
    view.set_runs([run], k)
    line, dot = view.run_items[0]
    assert len(line.pos) == 2, line.pos  # (the start alone before)
    edge = line.pos[edge_at]
    assert edge[0] == pytest.approx(0.5)  # scene x of the domain's right edge, w1 = 1
    assert -0.5 < edge[1] < 0.5
    assert len(dot.pos) == (0 if edge_at == 1 else 1)  # no point where the run is not
    for share in (0.5, 0.9):
        assert _red_near(view, line.pos[1 - edge_at] + share * (edge - line.pos[1 - edge_at]))


def test_two_stand_ins_at_the_edge_are_not_joined(view):
    """Out over one edge point and back in at another: the path between them ran off the
    surface, not along its edge."""
    path = [[0.7, -0.8], [0.7, -3.0], [-0.7, -3.0], [-0.7, -0.8]]  # (the near side)
    view.set_runs([run_along(path)], 3)
    line, _dot = view.run_items[0]
    assert len(line.pos) == 4
    assert _red_near(view, 0.5 * (line.pos[0] + line.pos[1]))  # the way out
    assert _red_near(view, 0.5 * (line.pos[2] + line.pos[3]))  # the way back in
    assert not _red_near(view, 0.5 * (line.pos[1] + line.pos[2]), reach=1)  # not between


def test_stand_ins_are_where_the_steps_cross_the_box():
    box = (-1.0, -1.0, 1.0, 1.0)
    pts = np.array([[0.0, 0.0], [3.0, 0.0], [3.0, 3.0], [0.0, 4.0], [0.0, 0.5],
                    [np.inf, 0.0], [np.nan, np.nan], [0.5, 0.5]])
    over = np.array([True, False, False, False, True, False, False, True])
    idx, at, leaving = edge_stand_ins(pts, over, box)
    assert idx.tolist() == [1, 3]  # out of 0, into 4 (∞ and NaN cross nowhere)
    assert at.tolist() == [[1.0, 0.0], [0.0, 1.0]] and leaving.tolist() == [True, False]
    # A point both left and re-entered from stands in for the way out
    idx, at, leaving = edge_stand_ins(np.array([[0.0, 0.0], [0.0, 5.0], [0.5, 0.0]]),
                                      np.array([True, False, True]), box)
    assert idx.tolist() == [1] and at.tolist() == [[0.0, 1.0]] and leaving.tolist() == [True]
    assert (OFF, OVER, EXIT, ENTRY) == (0, 1, 2, 3)


def test_a_run_off_and_back_is_not_joined_across_the_surface(view):
    """Over, off and back over at the next step: the exit's stand-in was joined to the point
    back on the surface, a line across it the run never took (a review)."""
    path = [[-0.6, -0.8], [-0.6, -3.0], [0.6, -0.7]]
    view.set_runs([run_along(path)], 2)
    line, _dot = view.run_items[0]
    exit_at = line.pos[1]
    assert exit_at[1] == pytest.approx(-0.5)  # (scene y of the near edge, w2 = −1)
    assert _red_near(view, 0.5 * (line.pos[0] + exit_at))  # the way out, to the edge
    assert not _red_near(view, 0.5 * (exit_at + line.pos[2]), reach=1)  # not across
