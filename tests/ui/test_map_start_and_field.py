"""The map, driven like a user: click and drag the start point; the gradient field's arrows
(perpendicular to the level curves, in the chosen direction)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore


def test_clicking_the_map_sets_the_start_of_the_selected_run(window, user):
    c = window.controller
    target = (2.0, 1.5)
    user.click_map(*target)
    spec = c.runs[c.selected].spec
    assert spec.start == pytest.approx(target, abs=0.05)
    traj = c.runs[c.selected].trajectory
    assert traj.points[0] == pytest.approx(spec.start)
    marker = window.contour.run_items[c.selected]["start"]
    assert (marker.pos().x(), marker.pos().y()) == pytest.approx(spec.start)
    # The editor shows it too.
    start_spins = [user.find("startASpin"), user.find("startBSpin")]
    assert [s.value() for s in start_spins] == pytest.approx(spec.start, abs=1e-3)
    # With a second run selected, a click moves that run only.
    user.click("addRunButton")
    assert len(c.runs) == 2 and c.selected == 1
    user.click_map(-2.0, 0.5)
    assert c.runs[1].spec.start == pytest.approx((-2.0, 0.5), abs=0.05)
    assert c.runs[0].spec.start == spec.start
    # A hidden run, clicked to a new start, is shown there (it moved out of sight).
    c.update_run(1, visible=False)
    user.click_map(1.0, -0.5)
    assert c.runs[1].spec.visible and c.runs[1].spec.start == pytest.approx((1.0, -0.5),
                                                                            abs=0.05)


def test_clicking_another_run_s_start_starts_the_selected_run_there(window, user):
    """A click within 11 pixels of another run's start did nothing (a press there grabs the
    marker): a student could not start a second optimizer where the first one starts. The
    selected run starts exactly there now."""
    c = window.controller
    user.click_map(-1.0, 0.5)
    first = tuple(c.runs[c.selected].spec.start)
    user.click("addRunButton")
    assert len(c.runs) == 2 and c.selected == 1
    user.click_map(1.5, -1.0)
    assert c.runs[1].spec.start != pytest.approx(first, abs=0.05)
    px, py = window.contour.data_to_px(first[0], first[1])
    a, b = window.contour.point_to_data(QtCore.QPointF(float(px) + 4, float(py) - 3))
    user.click_map(a, b)  # (4 and 3 pixels off the first run's start: on its marker)
    assert c.runs[1].spec.start == first
    assert c.runs[0].spec.start == first and c.selected == 1  # (the first left as it was)
    assert c.runs[1].trajectory.points[0] == pytest.approx(first)
    # (on the selected run's own start: nothing to do — it computed the run again)
    trajectory = c.runs[1].trajectory
    user.click_map(a, b)
    assert c.runs[1].trajectory is trajectory and c.runs[1].spec.start == first


def test_dragging_the_start_marker_moves_the_start(window, user):
    c = window.controller
    start = tuple(c.runs[0].spec.start)
    target = (1.0, 1.0)
    user.drag_on_map(start, target)
    new = c.runs[0].spec.start
    assert new != pytest.approx(start, abs=0.05), "the drag did not move the start"
    assert new == pytest.approx(target, abs=0.08)
    assert c.runs[0].trajectory.points[0] == pytest.approx(new)
    path_x, path_y = window.contour.run_items[0]["path"].getData()
    assert (path_x[0], path_y[0]) == pytest.approx(new)


def test_moving_the_start_marker_updates_the_path_live(window):
    c = window.controller
    marker = window.contour.run_items[0]["start"]
    old = c.runs[0].trajectory.points.copy()
    for p in [(0.5, 0.5), (1.0, 0.8), (1.5, 1.0)]:  # what a drag does, step by step
        marker.setPos(*p)
        assert c.runs[0].spec.start == pytest.approx(p)
        assert c.runs[0].trajectory.points[0] == pytest.approx(p)
    assert not np.array_equal(old, c.runs[0].trajectory.points)


def _arrows_near_contours(window, max_dist=0.25):
    """Arrow vectors and the contour tangent at their tails, for arrows close to a contour.

    Distances are measured in units of the arrow grid's cells.
    """
    A, B, du, dv, _M = window.contour.field_drawn
    n = A.shape[0]
    cell = np.array([(A.max() - A.min()) / (n - 1), (B.max() - B.min()) / (n - 1)])
    segments = []
    for pieces in window.contour.contour_lines.values():
        for line in pieces:
            line = np.asarray(line, dtype=float)
            if len(line) >= 2:
                segments.append(np.stack([line[:-1], line[1:]], axis=1))
    assert segments, "no contour lines were drawn"
    seg = np.concatenate(segments) / cell  # (m, 2, 2) in cell units
    seg = seg[np.isfinite(seg).all(axis=(1, 2))]
    p0, d = seg[:, 0], seg[:, 1] - seg[:, 0]
    dd = np.einsum("ij,ij->i", d, d)
    keep = dd > 0
    p0, d, dd = p0[keep], d[keep], dd[keep]
    tails = np.column_stack([A.ravel(), B.ravel()]) / cell
    vec = np.column_stack([du.ravel(), dv.ravel()])
    ok = np.isfinite(vec).all(axis=1) & (np.hypot(*vec.T) > 0)
    arrows, tangents = [], []
    for tail, v in zip(tails[ok], vec[ok], strict=True):
        t = np.clip(np.einsum("ij,ij->i", tail - p0, d) / dd, 0, 1)
        dist = np.hypot(*(p0 + t[:, None] * d - tail).T)
        j = int(np.argmin(dist))
        if dist[j] < max_dist:
            arrows.append(v)
            tangents.append(d[j] * cell)  # back to data units
    return np.array(arrows), np.array(tangents)


def _abs_cos(u, v):
    return np.abs(np.einsum("ij,ij->i", u, v)) / (np.hypot(*u.T) * np.hypot(*v.T))


def test_gradient_arrows_are_perpendicular_to_contours(window, user):
    for text in (None, "x^2 + 3y^2", "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"):
        if text is not None:
            user.type_loss(text)
        arrows, tangents = _arrows_near_contours(window)
        assert len(arrows) >= 8, f"{text}: only {len(arrows)} arrows lie on a contour line"
        cos = _abs_cos(arrows, tangents)
        assert np.median(cos) < 0.15, f"{text}: median |cos| = {np.median(cos):.3f}"
        assert np.percentile(cos, 80) < 0.3, text


def test_gradient_arrows_look_perpendicular_on_screen(window, user):
    # Perpendicular in data units is what the teacher sees only when both axes have the same
    # scale on screen (the lecture's map is twice as wide as it is tall): "equal axis scales".
    user.tick("equalScalesCheck")
    for text in (None, "x^2 + 10y^2"):
        if text is not None:
            user.type_loss(text)
        window.wait_idle()
        arrows, tangents = _arrows_near_contours(window)
        assert len(arrows) >= 8, f"{text}: only {len(arrows)} arrows lie on a contour line"
        px = _pixels_per_unit(window)
        cos = _abs_cos(arrows * px, tangents * px)
        assert np.median(cos) < 0.15, f"{text}: median |cos| on screen = {np.median(cos):.3f}"


def _pixels_per_unit(window) -> np.ndarray:
    (a0, a1), (b0, b1) = window.contour.view_range()
    rect = window.contour.plot_rect()
    return np.array([rect.width() / (a1 - a0), rect.height() / (b1 - b0)])


def test_field_arrows_follow_the_chosen_direction(window):
    # Default −∇f (downhill): the drawn arrows point against the gradient.
    A, B, du, dv, _ = window.contour.field_drawn
    U, V = window.controller.loss.gradient(A, B)
    dots = du * U + dv * V
    ok = np.isfinite(dots) & (np.hypot(U, V) > 1e-9)
    assert (dots[ok] < 0).all()
    window.view_options.field.setCurrentIndex(window.view_options.field.findData("gradient"))
    A, B, du, dv, _ = window.contour.field_drawn
    U, V = window.controller.loss.gradient(A, B)
    dots = du * U + dv * V
    ok = np.isfinite(dots) & (np.hypot(U, V) > 1e-9)
    assert (dots[ok] > 0).all()


def test_level_labels_are_drawn_over_the_field_arrows(window, monkeypatch):
    from gdviz.ui import contour_view, map_labels

    order = []
    for module, name in ((contour_view.layers, "paint_field"), (map_labels, "paint_labels")):
        real = getattr(module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            order.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    window.contour.invalidate()  # (the layers are cached)
    window.contour.grab()  # a full repaint of the map
    assert window.contour.field_drawn and window.contour.contour_labels
    assert order.index("paint_labels") > order.index("paint_field")


def test_no_gradient_arrow_once_a_run_has_converged():
    # At a minimum ∇f is ~1e-7 in a direction of rounding noise: a full-length arrow there
    # pointed anywhere (found by a review).
    from PySide6 import QtCore

    from gdviz import descend, parse_loss
    from gdviz.ui.map_run_arrows import run_arrows

    traj = descend(parse_loss("x^2 + y^2"), (1.0, 1.0), "gd", lr=0.1, steps=200)
    assert traj.status == "converged"
    box, rect = ((-2, 2), (-2, 2)), QtCore.QRectF(0, 0, 400, 400)
    first = run_arrows(traj, 0, traj.points[0], box, rect)
    last = run_arrows(traj, traj.stop_step, traj.points[-1], box, rect)
    assert "gradient" in first and "gradient" not in last


def test_a_log_map_labels_its_levels_with_round_values(window, user):
    # Rosenbrock's log map read 0.0631, 0.158, 0.398, 63.1 (10 to round log levels).
    user.choose("presetCombo", "Rosenbrock")
    window.wait_idle()
    assert window.log_shown
    texts = [text for *_, text in window.contour.contour_labels]
    assert len(texts) >= 4, texts
    for text in texts:
        mantissa = text.split("e")[0].replace("-", "").replace("−", "").replace(".", "").strip("0")
        assert len(mantissa) <= 2, texts  # 0.03, 300, 1e+04, 2.5: not 63.1
    # The levels drawn are the ones labelled: log10(f − min f + ε) of those values
    from gdviz.core.levels import log_level_value

    floor, eps = window._log_floor, window._log_eps
    labelled = {float(t.replace("−", "-")) for t in texts}
    drawn = [log_level_value(v, floor, eps) for v in window.contour.levels]
    assert labelled <= {float(f"{f:.3g}") for f in drawn}


@pytest.mark.parametrize("size", [(800, 200), (300, 600), (400, 400)])
def test_the_gradient_arrow_has_one_length_on_screen_whatever_its_direction(size):
    # Scaled by 12 % of the view on each axis, a horizontal ∇f on a wide map was drawn twice
    # as long as a vertical one (and the lesson's arrow seemed to grow as |∇f| shrank).
    from types import SimpleNamespace

    from PySide6 import QtCore

    from gdviz.ui.map_run_arrows import run_arrows

    box, rect = ((0.0, 8.0), (0.0, 4.0)), QtCore.QRectF(0, 0, *size)
    kx, ky = size[0] / 8.0, size[1] / 4.0
    lengths = []
    for g in ([1.0, 0.0], [0.0, 3.0], [2.0, -2.0]):
        traj = SimpleNamespace(gradients=np.array([g]), points=np.array([[4.0, 2.0]]),
                               status="max_steps", stop_step=0, state={},
                               converged_by=lambda k: False)
        xs, ys = run_arrows(traj, 0, traj.points[0], box, rect)["gradient"]
        dx, dy = xs[1] - xs[0], ys[1] - ys[0]
        assert dx * g[1] == pytest.approx(dy * g[0], abs=1e-9)  # along ∇f itself
        assert dx * g[0] + dy * g[1] > 0  # uphill
        lengths.append(np.hypot(dx * kx, dy * ky))
    assert max(lengths) == pytest.approx(min(lengths), rel=1e-9)
    assert min(lengths) >= min(40.0, 0.4 * min(size))


@pytest.mark.parametrize("point, g", [((4.0, 3.5), [0.0, 1.0]), ((7.5, 2.0), [1.0, 0.0]),
                                      ((7.6, 3.6), [1.0, 1.0]), ((0.3, 2.0), [-1.0, 0.2]),
                                      ((4.0, 3.82), [0.0, 1.0]),  # (18 px: the head past it)
                                      ((4.0, 3.95), [0.0, 1.0])])  # (5 px: the marker first)
def test_the_gradient_arrow_ends_inside_the_map(point, g):
    """Six-hump camel's ∇f at (−0.5, 1) pointed up out of the frame: a stub at its edge.
    Shortened to the edge, not below the marker's clearance."""
    from types import SimpleNamespace

    from PySide6 import QtCore

    from gdviz.ui.map_run_arrows import ARROW_CLEAR_PX, ARROW_EDGE_PX, run_arrows

    box, rect = ((0.0, 8.0), (0.0, 4.0)), QtCore.QRectF(0, 0, 800, 400)
    traj = SimpleNamespace(gradients=np.array([g]), points=np.array([point]),
                           status="max_steps", stop_step=0, state={},
                           converged_by=lambda k: False)
    xs, ys = run_arrows(traj, 0, traj.points[0], box, rect)["gradient"]
    tip = np.array([xs[1], ys[1]])
    room = min(8.0 - point[0] if g[0] > 0 else point[0] if g[0] < 0 else np.inf,
               4.0 - point[1] if g[1] > 0 else point[1] if g[1] < 0 else np.inf) * 100
    if room >= ARROW_CLEAR_PX + 2:
        assert 0 <= tip[0] <= 8 and 0 <= tip[1] <= 4, tip
    length = np.hypot((xs[1] - xs[0]) * 100, (ys[1] - ys[0]) * 100)
    if room >= ARROW_CLEAR_PX + 2:
        assert length >= ARROW_CLEAR_PX - 1e-9  # (clear of the marker all the same)
    else:  # (by the edge: its head just past the marker, inside the map where it can be,
        # not a headless stub across the frame: six-hump camel's start at 1366 × 768)
        assert length == pytest.approx(max(room - 2.0, ARROW_EDGE_PX))


def test_the_gradient_arrow_shrinks_where_the_slope_has_flattened():
    """Full-length arrows at runs stopped near Rosenbrock's minimum (‖∇f‖ 0.002 against 50
    where they started) read as a steep spot."""
    from types import SimpleNamespace

    from PySide6 import QtCore

    from gdviz.ui.map_run_arrows import flatness_scale, run_arrows

    norms = np.array([10.0, 5.0, 3.0, 0.02])
    traj = SimpleNamespace(gradients=np.array([[n, 0.0] for n in norms]),
                           grad_norms=norms, points=np.array([[4.0, 2.0]] * 4),
                           status="max_steps", stop_step=3, state={},
                           converged_by=lambda k: False)
    assert [flatness_scale(traj, k) for k in range(4)] == [1.0, 1.0, pytest.approx(0.9), 0.25]
    box, rect = ((0.0, 8.0), (0.0, 4.0)), QtCore.QRectF(0, 0, 1000, 1000)

    def length(k, rect=rect):  # (in pixels)
        xs, _ = run_arrows(traj, k, traj.points[k], box, rect)["gradient"]
        return abs(xs[1] - xs[0]) * rect.width() / 8.0

    assert length(3) == pytest.approx(0.25 * length(0))
    assert length(1) == pytest.approx(length(0))
    # ...never shorter than clears the current point's marker (in presentation mode's small
    # map a quarter was hidden under it)
    from gdviz.ui.map_run_arrows import ARROW_CLEAR_PX

    small = QtCore.QRectF(0, 0, 300, 200)
    assert length(3, small) == pytest.approx(ARROW_CLEAR_PX)
    assert length(0, small) > ARROW_CLEAR_PX
    # The steepest met so far, not of steps to come: a diverging run's first arrows were a
    # quarter long
    growing = SimpleNamespace(grad_norms=np.array([1.0, 10.0, 100.0, np.nan]))
    assert [flatness_scale(growing, k) for k in range(4)] == [1.0, 1.0, 1.0, 1.0]


def test_the_legend_keeps_clear_of_the_start(window, user):
    # Top-left always, the arrows' legend hid linear regression's start (−1, 3) and its ∇f.
    user.choose("presetCombo", "Linear regression")
    window.wait_idle()
    contour = window.contour
    contour.grab()  # (the legend's corner is chosen as the map paints)
    box = contour.legend.rect(contour.plot_rect(), contour.font(), contour.dark)
    assert box is not None and contour.legend.corner != "top-left"
    start = window.controller.runs[0].spec.start
    x, y = contour.data_to_px(*start)
    assert not box.adjusted(-40, -40, 40, 40).contains(float(x), float(y))


def test_the_legend_keeps_clear_of_the_map_s_minima(window, qtbot):
    """In presentation mode at 1366 × 768 the arrows' key (there a third of the map's width)
    covered one of Himmelblau's four minima, the preset's point: without the basins shown,
    the map's own lowest samples were nothing to it."""
    from PySide6 import QtCore

    from gdviz.core.grid import grid_minima
    from gdviz.ui.legend_places import corner_rect, emptiest_corner

    window.resize(1366, 768)
    window.load_preset("himmelblau")
    window.wait_idle()
    contour = window.contour
    contour.grab()
    plot = contour.plot_rect()
    size = QtCore.QSizeF(0.45 * plot.width(), 0.3 * plot.height())  # (as presentation's)
    place = emptiest_corner(plot, size, *contour.legends._landmarks(np.empty((0, 2))))
    box = corner_rect(plot, size, place)
    minima = grid_minima(contour.grid)
    assert len(minima) == 4
    for a, b in minima:
        x, y = contour.data_to_px(a, b)
        assert not box.contains(float(x), float(y)), (place, a, b)


def test_a_run_s_steps_piled_at_its_minimum_do_not_outweigh_its_start(window):
    """Rosenbrock in presentation mode at 1280 × 720: the 1500 steps' sample, most of it
    piled up at the minimum, outweighed the start, and the arrows' legend covered it."""
    window.load_preset("rosenbrock")
    window.wait_idle()
    runs = window.contour.runs
    points, weights = runs.landmarks()
    start_weight = weights[0] + weights[1:9].sum()
    assert weights[9:-5].sum() < 3 * start_weight  # (the path: a point a 6-pixel cell)
    cells = np.round(points[9:-5] / 6.0)
    assert len(np.unique(cells, axis=0)) == len(cells)
    # its end and its marker's edges weigh as much as the start and its ring (the runs' key
    # hid where seven compared runs reached the minimum)
    end = window.controller.runs[0].trajectory.points[-1]
    np.testing.assert_allclose(points[-5], window.contour.data_to_px(*end))
    assert weights[-5:].sum() == 50


def test_the_emptiest_corner_is_chosen_and_ties_go_top_left():
    from PySide6 import QtCore

    from gdviz.ui.legend_places import CORNERS, EDGES, corner_rect, emptiest_corner

    plot, size = QtCore.QRectF(0, 0, 400, 300), QtCore.QSizeF(120, 50)
    none = np.empty((0, 2))
    assert emptiest_corner(plot, size, none, np.empty(0)) == "top-left"
    points = np.array([[20.0, 20.0], [390.0, 20.0], [30.0, 290.0]])
    assert emptiest_corner(plot, size, points, np.ones(3)) == "bottom-right"
    taken = [corner_rect(plot, size, "bottom-right")]  # (the basins' legend is there)
    assert emptiest_corner(plot, size, points, np.array([5.0, 1.0, 1.0]), taken) in (
        "top-right", "bottom-left")
    for corner in (*CORNERS, *EDGES):
        assert plot.contains(corner_rect(plot, size, corner))
    # A start (20) or a basin's minimum in every corner: the middle of an edge, clear of all
    # (six-hump camel's key went over the start); a path's point in each corner is not worth it
    corners = np.array([[20.0, 20.0], [390.0, 20.0], [30.0, 290.0], [390.0, 290.0]])
    assert emptiest_corner(plot, size, corners, np.full(4, 20.0)) == "top-middle"
    assert emptiest_corner(plot, size, corners, np.ones(4)) == "top-left"
    box = corner_rect(plot, size, "middle-right")
    assert box.right() == 392 and box.center().y() == 150


def test_the_legend_says_which_way_the_field_points(window, user):
    # The field's red arrows and the red ∇f at the current point pointed opposite ways,
    # and only the ∇f had a line in the legend.
    field = window.view_options.field

    def texts():
        return [text for _, text, _ in window.contour.legend.entries]

    field.setCurrentIndex(field.findData("negative"))
    assert "field −∇f, downhill (darker: steeper)" in texts()
    assert "∇f at the current point (uphill)" in texts()
    field.setCurrentIndex(field.findData("gradient"))
    assert "field ∇f, uphill (darker: steeper)" in texts()
    field.setCurrentIndex(field.findData("off"))
    assert not any(text.startswith("field") for text in texts())


def _type_in_spin(user, name: str, text: str) -> None:
    from PySide6 import QtCore

    spin = user.find(name)
    spin.setFocus()
    spin.selectAll()
    user.qtbot.keyClicks(spin.lineEdit(), text)
    user.qtbot.keyClick(spin, QtCore.Qt.Key.Key_Return)


def test_typing_one_start_coordinate_keeps_the_other_in_full(window, user):
    """A start from a click has more digits than the box shows: typing the other coordinate
    must not round it."""
    c = window.controller
    c.set_start(c.selected, 0.0012345, -0.0031)
    _type_in_spin(user, "startBSpin", "-0.004")
    assert c.runs[c.selected].spec.start == (0.0012345, -0.004)


def test_the_start_boxes_show_a_tiny_domain_s_digits(window, user):
    c = window.controller
    c.set_domain(((-1e-6, 1e-6), (-1e-6, 1e-6)))
    window.wait_idle()
    c.set_start(c.selected, 3e-7, -2.5e-7)
    a, b = user.find("startASpin"), user.find("startBSpin")
    assert a.decimals() >= 9 and a.value() == pytest.approx(3e-7)
    assert b.value() == pytest.approx(-2.5e-7) and "25" in b.text()
    _type_in_spin(user, "startASpin", "0.0000004")
    assert c.runs[c.selected].spec.start == pytest.approx((4e-7, -2.5e-7), rel=1e-9)
    c.set_domain(((-500.0, 500.0), (-500.0, 500.0)))  # three decimals too, larger steps
    window.wait_idle()
    assert a.decimals() == 3 and a.singleStep() == pytest.approx(100.0)
    c.set_domain(((-4.0, 4.0), (-1.5, 2.5)))  # back: three decimals, steps of 0.1
    window.wait_idle()
    assert a.decimals() == 3 and a.singleStep() == pytest.approx(0.1)


def test_the_gradient_arrow_keeps_its_length_when_the_map_is_resized(window):
    """The red ∇f arrow at the current point is 12 % of the plot's mean side (at least 40 px
    where there is room): after a resize it follows the new plot, not the old one."""
    import math

    view = window.contour

    def shaft_and_rule():
        ax, ay = view.runs._overlay_px()[0]["gradient"]
        r = view.plot_rect()
        rule = max(0.12 * math.sqrt(r.width() * r.height()),
                   min(40.0, 0.4 * min(r.width(), r.height())))
        return math.hypot(ax[1] - ax[0], ay[1] - ay[0]), rule

    shaft, rule = shaft_and_rule()
    assert shaft == pytest.approx(rule, rel=0.02)
    rules = {round(rule)}
    for size in ((1200, 800), (1500, 950)):
        window.resize(*size)
        window.wait_idle()
        shaft, rule = shaft_and_rule()
        assert shaft == pytest.approx(rule, rel=0.02), size
        rules.add(round(rule))
    assert len(rules) == 3  # (the plot did change size each time)


def test_a_map_too_small_for_the_legend_shows_a_short_one(window, monkeypatch):
    """On a 720-line projector the whole legend did not fit and none was drawn: the field's
    red arrows and ∇f's pointed opposite ways with no key."""
    from PySide6 import QtCore

    c = window.contour
    legends = c.legends
    assert legends.shown_arrows() is legends.arrows  # (room for the whole one)
    full = legends.arrows.box_size(c.font(), c.dark)
    small = QtCore.QRectF(40, 10, full.width() - 20, 3 * full.height())
    monkeypatch.setattr(c, "plot_rect", lambda: small)
    shown = legends.shown_arrows()
    assert shown is legends.compact and shown.rect(small, c.font(), c.dark) is not None
    texts = [t for _k, t, _pen in shown.entries]
    assert texts[0] == "∇f (uphill)" and texts[-1] in ("field −∇f (downhill)",
                                                        "field ∇f (uphill)")
    assert legends.boxes()[0] == shown.rect(small, c.font(), c.dark)


def test_a_legend_that_would_hide_much_of_the_map_gives_way_to_the_short_one(window,
                                                                            monkeypatch):
    """In presentation mode on a 1920 × 1080 projector the whole legend fitted, and hid a
    quarter of the map (its lower left, where the lecture's runs start)."""
    from PySide6 import QtCore

    from gdviz.ui.map_legends import WHOLE_MOST

    c = window.contour
    legends = c.legends
    full = legends.arrows.box_size(c.font(), c.dark)
    area = full.width() * full.height()
    for share, whole in ((0.5 * WHOLE_MOST, True), (1.5 * WHOLE_MOST, False)):
        # a plot of the map's shape on which the whole legend covers `share` of it
        side = (area / share) ** 0.5
        plot = QtCore.QRectF(40, 10, 1.6 * side, side / 1.6)
        monkeypatch.setattr(c, "plot_rect", lambda plot=plot: plot)
        shown = legends.shown_arrows()
        assert (shown is legends.arrows) == whole, share
        box = shown.rect(plot, c.font(), c.dark)
        assert box.width() * box.height() <= WHOLE_MOST * plot.width() * plot.height()


def test_where_even_the_short_legend_does_not_fit_it_is_set_smaller(window, monkeypatch):
    """Presentation mode on a square map: the short key was 292 pixels on a 291-pixel plot,
    and the red arrows were left without a key."""
    from PySide6 import QtCore

    c = window.contour
    legends = c.legends
    legends.compact.scale = 1.0
    monkeypatch.setattr(c, "plot_rect", lambda: QtCore.QRectF(40, 10, 10, 10))
    legends.shown_arrows()  # (the short one's entries, at full size)
    legends.compact.scale = 1.0
    short = legends.compact.box_size(c.font(), c.dark)
    plot = QtCore.QRectF(40, 10, short.width() - 6, 4 * short.height())
    monkeypatch.setattr(c, "plot_rect", lambda: plot)
    shown = legends.shown_arrows()
    assert shown is legends.compact and shown.scale < 1.0
    box = shown.rect(plot, c.font(), c.dark)
    assert box is not None and plot.contains(box)
    assert legends.boxes() and legends.boxes()[0] == box


def test_the_boxes_along_a_diverged_run_s_arrow_are_only_those_on_the_map():
    """A run diverged to 10⁷ drew a step arrow 10⁸ pixels long: the slice label's boxes along
    it were 66 million, and a frame took two minutes."""
    from gdviz.ui.arrows import clear_boxes

    geo = {"current": (100.0, 100.0), "step": ([100.0, 1e8], [100.0, -3e7])}
    boxes = clear_boxes([geo], (0.0, 0.0, 600.0, 400.0))
    assert 1 < len(boxes) < 200
    assert all(b[0] >= -10 and b[2] <= 610 for b in boxes)


def test_the_boxes_along_runs_arrows_are_spaced_along_each_one():
    """The boxes come every 6 pixels along each arrow, ends included, cut to the box given;
    an undefined step's arrow (NaN) has none (it raised, "cannot convert NaN to integer")."""
    from gdviz.ui.arrows import clear_boxes

    geos = [{"current": (10.0, 10.0), "gradient": ([10.0, 40.0], [10.0, 10.0])},
            {"step": ([100.0, 100.0, 200.0, 200.0], [50.0, 62.0, 0.0, 0.0])},
            {"start": ([1.0], [1.0]), "step": ([np.nan, 5.0], [0.0, 5.0])}, None]
    boxes = clear_boxes(geos, (0.0, 0.0, 600.0, 400.0), pad=1.0)
    centres = sorted(((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in boxes)
    assert (10.0, 10.0) in centres  # the current point's box, 22 pixels wide
    assert [b for b in boxes if b[2] - b[0] > 20] == [(-1.0, -1.0, 21.0, 21.0)]
    along = [c for c in centres if c[1] == 10.0]  # (the current point's among them)
    assert along == [(10.0, 10.0)] + [(10.0 + 6 * k, 10.0) for k in range(6)]  # 30 px
    assert [c for c in centres if c[0] == 100.0] == [(100.0, 50.0), (100.0, 56.0),
                                                       (100.0, 62.0)]
    # (a zero-length arrow: its point, twice, as the loop gave)
    assert [c for c in centres if c[0] == 200.0] == [(200.0, 0.0), (200.0, 0.0)]
    assert len(boxes) == 1 + 6 + 3 + 2


def test_the_slice_labels_overlap_test_is_qrectfs_on_any_rectangles():
    """The slice label's places are tested against every box at once (meets); the answers
    are QRectF.intersects's, on rectangles that overlap, touch, nest, are flipped or empty."""
    from PySide6 import QtCore

    from gdviz.ui.map_slice_line import box_array, meets

    rng = np.random.default_rng(7)
    # (whole pixels on a small grid: many touching edges and zero-size boxes)
    raw = rng.integers(0, 12, size=(400, 4)).astype(float)
    rects = [QtCore.QRectF(QtCore.QPointF(a, b), QtCore.QPointF(c, d)) for a, b, c, d in raw]
    places = [QtCore.QRectF(x, y, w, h) for x, y, w, h in rng.integers(0, 10, (60, 4)) + 0.0
              if w > 0 and h > 0]
    at = np.array([p.getCoords() for p in places])
    for box in rects:  # each pair
        assert meets(at, box_array([box])).tolist() == [p.intersects(box) for p in places]
    for boxes in (rects[:7], rects, []):
        want = [any(p.intersects(b) for b in boxes) for p in places]
        assert meets(at, box_array(boxes)).tolist() == want
        got = meets(at, box_array(np.array([b.getCoords() for b in boxes])))
        assert got.tolist() == want


def test_field_arrows_on_a_steep_loss_show_everywhere():
    """On exp(x² + y²) the arrows' lengths in proportion to |∇f| left all but the corners'
    dots (the 95th percentile 10⁴ times the middle's): on a log scale there instead, longer
    where steeper still; a loss of no such spread keeps them in proportion."""
    from gdviz import parse_loss
    from gdviz.ui.map_field import field_arrows

    A, B = np.meshgrid(np.linspace(-3, 3, 18), np.linspace(-3, 3, 18))
    for text, wide in (("exp(x^2 + y^2)", True), ("x^2 + y^2", False)):
        U, V = parse_loss(text).gradient(A, B)
        M = np.hypot(U, V)
        du, dv = field_arrows(A, B, U, V, M, -1.0, normalise=False)
        cells = np.hypot(du, dv) / (6.0 / 17)
        order = np.argsort(M, axis=None)
        assert np.all(np.diff(cells.ravel()[order]) >= -1e-12)  # longer where steeper
        assert cells.max() == pytest.approx(0.9)
        middle = np.median(cells)
        if wide:
            assert middle > 0.2, middle  # (in proportion: 0.001 of a cell)
        else:
            top = np.percentile(M, 95)
            np.testing.assert_allclose(cells, np.clip(M / top, 0, 1) * 0.9, atol=1e-12)


def test_the_field_s_key_sample_runs_light_to_dark_as_its_arrows(window):
    """One red line for the field beside ∇f's read as the same kind of arrow (the darkest
    field arrows as ∇f's, from a QA round): the sample runs light to dark, as the arrows do
    with steepness, in the key and the compact key alike."""
    from PySide6 import QtGui

    from gdviz.ui.map_layers import FIELD_COLORS
    from gdviz.ui.map_overlays import SAMPLE

    legends = window.contour.legends
    for legend in (legends.arrows, legends.compact):
        pen = next(pen for key, _text, pen in legend.entries if key == "field")
        assert pen.brush().style() == QtCore.Qt.BrushStyle.LinearGradientPattern
        legend._image = None
        legend.box_size(window.contour.font(), False)  # (drawn now)
        image = legend._image
        row = 1 + [k for k, _t, _p in legend.entries].index("field")
        fm = QtGui.QFontMetricsF(legend._font)
        y = round((8 + (max(fm.height(), 14.0) + 4) * (row - 0.5)) * image.devicePixelRatio())
        light, dark = (image.pixelColor(round((10 + x) * image.devicePixelRatio()), y)
                       for x in (3, SAMPLE - 3))
        assert light.lightness() > dark.lightness() + 60, (light.name(), dark.name())
        assert dark.red() > dark.green() + 40  # (a dark red, the field's own)
        assert QtGui.QColor(FIELD_COLORS[-1]).lightness() < light.lightness()
