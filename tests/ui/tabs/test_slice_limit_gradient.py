"""The "Slice" and "Gradient" tabs, driven through a real controller (fixtures:
conftest.py here)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdviz import parse_loss
from gdviz.core import calculus
from gdviz.core.session import RunSpec
from gdviz.ui.binding import QtCore, QtGui, QtWidgets
from gdviz.ui.colors import contrast_ratio, readable
from gdviz.ui.controller import Run
from gdviz.ui.derivatives.slice_view import SAMPLES, SENTENCE_FLAT

DOMAIN = ((-4.0, 4.0), (-1.5, 2.5))  # the controller fixture's (conftest.py)


def _partials(controller):
    return [float(v) for v in controller.loss.gradient(*controller.current_point())]


# -- Slice ----------------------------------------------------------------------------------------
def test_slice_tangent_slope_is_the_partial_derivative(slice_view, controller):
    da, db = _partials(controller)
    assert slice_view.slice_axis == 0
    assert slice_view.tangent_slope() == pytest.approx(da, rel=1e-12)
    assert da == pytest.approx(math.cos(-0.5) * 0.2 * 0.8)
    assert "0.1404" in slice_view.slope_label.text()
    combo = slice_view.findChild(QtWidgets.QComboBox, "sliceAxisCombo")
    combo.setCurrentIndex(1)
    assert slice_view.slice_axis == 1
    assert slice_view.tangent_slope() == pytest.approx(db, rel=1e-12)


def test_the_slope_sentence_is_plain_text_in_the_slope_s_colour(slice_view, controller):
    from gdviz.ui.derivatives.slice_view import SLOPE_COLORS

    inner = slice_view.findChild(QtWidgets.QLabel, "slopeLabel")
    ink = inner.palette().color(QtGui.QPalette.ColorRole.WindowText)
    assert inner.textFormat() == QtCore.Qt.TextFormat.PlainText
    assert "<" not in inner.text() and "rising" in inner.text()  # cos(-0.5)·0.16 > 0
    ground = slice_view.palette().color(QtGui.QPalette.ColorRole.Window).name()

    def readable_hue_of(color: str, shown: QtGui.QColor) -> bool:
        # the curve's colour, made readable as text on the tab's ground
        return shown.name() == readable(color, ground) and \
            contrast_ratio(shown.name(), ground) >= 4.5

    assert readable_hue_of(SLOPE_COLORS["rising"], ink)
    slice_view.set_examined(2.0)  # past the top of 0.16·sin(w1): falling
    slice_view.ensure_fresh()
    assert "falling" in inner.text()
    assert readable_hue_of(SLOPE_COLORS["falling"],
                           inner.palette().color(QtGui.QPalette.ColorRole.WindowText))
    # At the top of the curve the exact slope is a rounding error (cos(π/2) = 6e-17): the
    # curve is flat there, and so is the sentence, whatever the rounding error's sign.
    slice_view.set_examined(math.pi / 2)
    slice_view.ensure_fresh()
    assert 0 < abs(slice_view.tangent_slope()) < 1e-12
    assert "(flat)" in inner.text()
    # ...and the rounding error reads 0 (it printed "slope = 9.797×10⁻¹⁸")
    # (the label "f′=0" where the whole one has no clear place: the number alone beside the
    # point read as its f)
    assert "= 0  (flat)" in inner.text() and slice_view.slope_text.text in ("slope = 0",
                                                                            "f′=0")
    slopes = calculus.sample_slice(controller.loss, controller.current_point(), 0,
                                   *DOMAIN[0], SAMPLES)[2]
    tol = calculus.flat_tolerance(slopes, SENTENCE_FLAT)
    slice_view.set_examined(math.acos(2 * tol / 0.16))  # slope 2·tol: rising, though gently
    slice_view.ensure_fresh()
    assert "(rising gently)" in inner.text()
    # Grey on the curve (under 5 % of the usual steepness), yet not "flat" in the sentence:
    # a slope of 1485 on a slice reaching 10⁶ is not one a student would call flat; it is
    # "rising gently", as the grey says
    grey = calculus.flat_tolerance(slopes)
    slice_view.set_examined(math.acos(0.5 * grey / 0.16))
    slice_view.ensure_fresh()
    assert "(rising gently)" in inner.text()
    slice_view.set_examined(math.acos(2 * grey / 0.16))  # beyond the grey: just rising
    slice_view.ensure_fresh()
    assert inner.text().endswith("(rising)")
    # On a slice reaching 10⁴³ a slope of -1.3 is still falling: "flat" follows how steep
    # the curve is around the point, not the whole slice (it said flat here).
    controller.set_loss(parse_loss("exp(-25*w1)*(1 + w2^2)"))
    slice_view.set_examined(math.log(1.3 / (25 * 1.04)) / -25)
    slice_view.ensure_fresh()
    assert slice_view.tangent_slope() == pytest.approx(-1.3)
    assert "(falling gently)" in inner.text()  # (grey beside slopes of 10⁴⁴: not flat)
    controller.set_loss(parse_loss("log(w1) + w2"))  # undefined where w1 < 0
    slice_view.set_examined(-1.0)
    slice_view.ensure_fresh()
    assert "undefined" in inner.text()
    # the theme's ink again (inherited, so a theme change reaches it)
    assert inner.palette().color(QtGui.QPalette.ColorRole.WindowText) == \
        slice_view.palette().color(QtGui.QPalette.ColorRole.WindowText)


def test_slice_draws_f_along_the_variable_with_the_other_held(qtbot, slice_view, controller):
    xs, ys = slice_view.slice_data()
    assert xs[0] == DOMAIN[0][0] and xs[-1] == DOMAIN[0][1]
    np.testing.assert_allclose(ys, np.sin(xs) * 0.2 * 0.8, atol=1e-12)
    # The coloured pieces are the drawn curve: every segment in exactly one colour.
    drawn = sum(np.isfinite(c.getData()[0]).sum() for c in slice_view.curves.values())
    assert drawn >= len(xs)
    rising_x = slice_view.curves["rising"].getData()[0]
    assert np.any(np.abs(rising_x[np.isfinite(rising_x)]) < 0.1)  # sin rises through 0
    text = slice_view.held_label.text()
    assert "w2 = 0.2" in text and "held constant" in text
    # The typeset formula (rendered off the GUI thread) replaces the rich-text one.
    assert "w2" in slice_view.formula.text() or not slice_view.formula.pixmap().isNull()
    qtbot.waitUntil(lambda: not slice_view.formula.pixmap().isNull(), timeout=30000)
    # Whole in the tooltip (a long formula is cut off at the tab's edge)
    tip = slice_view.formula.toolTip()
    assert "f(w1, <b" in tip and "sin(w1)" in tip.replace("·", "*")


@pytest.mark.parametrize("text, iteration", [("w1^2 + 3*sin(3*w1) + w2", 0),
                                             ("(w1^2 + w2 - 11)^2 + (w1 + w2^2 - 7)^2", 0)])
def test_the_slope_label_sits_where_it_covers_least_of_the_curve(slice_view, controller,
                                                                  text, iteration):
    # Placed by the bend at the point alone, it sat on a wiggly curve further along
    # (Himmelblau, Rastrigin) and washed out half the tangent. And the tangent, two end
    # points, was counted at its ends only: on Himmelblau the label lay across its middle.
    controller.set_loss(parse_loss(text))
    controller.set_iteration(iteration)
    slice_view.redraw()
    plot, label = slice_view.plot_widget, slice_view.slope_text
    xs, ys = slice_view.slice_data()
    (tx0, tx1), (ty0, ty1) = slice_view.tangent.x, slice_view.tangent.y
    along = np.linspace(0, 1, 1000)
    px, py = plot.data_to_px(np.r_[xs, tx0 + along * (tx1 - tx0)],
                             np.r_[ys, ty0 + along * (ty1 - ty0)])

    def hits(box):
        return int(((px >= box.left()) & (px <= box.right()) & (py >= box.top())
                    & (py <= box.bottom())).sum())

    chosen = hits(label.box(plot))
    for anchor in ((-0.08, -0.15), (-0.08, 1.15), (1.08, -0.15), (1.08, 1.15)):
        label.set_anchor(anchor)
        assert chosen <= hits(label.box(plot)) + 2, anchor  # (+2: 1000 samples, not 400)


def test_the_slope_label_moves_further_off_when_every_place_beside_the_point_is_taken(
        slice_view, controller, qtbot):
    """Rastrigin in a dock at 1280 × 720: all four places beside the point lay across the
    curve, and the label was put across it, though the room above the point was clear."""
    controller.set_loss(parse_loss("20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)"))
    controller.set_start(0, -0.5, 0.2)
    slice_view.resize(430, 590)
    qtbot.waitUntil(lambda: slice_view.plot_widget.plot_rect().height() < 330)
    slice_view.redraw()
    plot, label = slice_view.plot_widget, slice_view.slope_text
    xs, ys = slice_view.slice_data()
    px, py = plot.data_to_px(xs, ys)

    def hits(box):
        return int(((px >= box.left()) & (px <= box.right()) & (py >= box.top())
                    & (py <= box.bottom())).sum())

    assert hits(label.box(plot)) == 0
    x0, y0 = (float(v) for v in plot.data_to_px(*label.pos))
    assert not label.box(plot).contains(QtCore.QPointF(x0, y0))  # (never over the point)
    chosen = label.anchor
    for anchor in ((-0.08, -0.15), (-0.08, 1.15), (1.08, -0.15), (1.08, 1.15)):
        label.set_anchor(anchor)
        assert hits(label.box(plot)) > 0, anchor  # (the case this is about)
    label.set_anchor(chosen)


def test_in_a_narrow_plot_the_slope_label_keeps_off_the_curve(slice_view, controller, qtbot):
    """A dock's plot 250 pixels wide: "slope = 0.1404" was as wide as most of it, moved in
    beside the steep tangent, and lay across the curve and the tangent (its sparse samples
    said it covered nothing); and placed for the plot's size before the dock was shown, it
    was not placed again. Now: "f′=0.1404" where the whole label has no clear place,
    left out where even that has none, and placed again as the plot is resized."""
    from gdviz.ui.derivatives.common import points_along

    controller.set_iteration(0)

    def covered() -> int:
        plot, label = slice_view.plot_widget, slice_view.slope_text
        lines = [points_along(np.column_stack(plot.data_to_px(np.asarray(x, float),
                                                              np.asarray(y, float))), 1.0)
                 for x, y in (slice_view.slice_data(), (slice_view.tangent.x,
                                                        slice_view.tangent.y))]
        px, py = np.concatenate(lines).T
        box = label.box(plot)
        return int(((px >= box.left()) & (px <= box.right()) & (py >= box.top())
                    & (py <= box.bottom())).sum())

    slice_view.resize(700, 600)
    qtbot.wait(20)
    slice_view.redraw()
    assert slice_view.slope_text.text == "slope = 0.1404"
    for size in ((330, 700), (280, 640)):
        slice_view.resize(*size)  # (no redraw asked for: the resize places it again)
        qtbot.waitUntil(lambda s=size: slice_view.plot_widget.width() <= s[0])
        QtWidgets.QApplication.processEvents()
        label = slice_view.slope_text
        assert not label.visible or covered() <= 6, (size, label.text, covered())
        assert label.text in ("slope = 0.1404", "f′=0.1404")


def test_slice_follows_iteration_and_loss(slice_view, controller):
    before = slice_view.slice_data()[1].copy()
    controller.set_iteration(10)
    a, b = controller.current_point()
    assert (a, b) != (-0.5, 0.2)
    after = slice_view.slice_data()[1]
    assert not np.allclose(before, after)
    assert slice_view.tangent_slope() == pytest.approx(_partials(controller)[0], rel=1e-12)
    controller.set_loss(parse_loss("w1^2 + 3*w2^2"))
    xs, ys = slice_view.slice_data()
    a, b = controller.current_point()
    np.testing.assert_allclose(ys, xs**2 + 3 * b**2)
    assert slice_view.tangent_slope() == pytest.approx(2 * a)


def test_a_point_off_the_plot_gets_no_slope_label_in_it(slice_view, controller):
    """A run gone to w1 = −115 on a plot of −4…4: "slope = 9.679×10⁻⁷" stood alone in the
    plot, with no point or tangent; the sentence below tells where and what it is."""
    controller.set_start(0, -115.0, 0.5)
    slice_view.redraw()
    assert slice_view.slope_text.text == ""
    assert "−115" in slice_view.slope_label.text()
    # (and that the curve drawn is another stretch of the slice: its slope there read as
    # contradicting the sentence's)
    assert slice_view.slope_label.text().endswith(
        " — off the plot, which shows w1 from −4 to 4."), slice_view.slope_label.text()
    # A sentence with its own full stop loses it first (max(w1, w2) at a corner off the
    # plot: "… does not exist there. — off the plot …")
    controller.set_loss(parse_loss("max(w1, w2)"))
    controller.set_start(0, -10.25, -10.25)
    slice_view.redraw()
    said = slice_view.slope_label.text()
    assert ". — off" not in said and said.endswith(" — off the plot, which shows w1 from "
                                                   "−4 to 4."), said
    controller.set_loss(parse_loss("sin(w1)*w2*(1 - w2)"))
    controller.set_start(0, -0.5, 0.2)
    slice_view.redraw()
    assert slice_view.slope_text.text.startswith("slope = ")
    assert "off the plot" not in slice_view.slope_label.text()


def test_slice_line_signal_carries_axis_and_value(qtbot, slice_view, controller):
    assert slice_view.slice_line() == (0, pytest.approx(0.2))
    with qtbot.waitSignal(slice_view.sliceLineChanged, timeout=2000) as blocker:
        slice_view.set_slice_axis(1)
    assert blocker.args == [1, pytest.approx(-0.5)]
    with qtbot.waitSignal(slice_view.sliceLineChanged, timeout=2000) as blocker:
        controller.set_iteration(5)
    assert blocker.args == [1, pytest.approx(controller.current_point()[0])]
    with qtbot.waitSignal(slice_view.sliceLineChanged, timeout=2000) as blocker:
        slice_view.hide()
    assert blocker.args[0] is None


def test_slice_drag_moves_the_examined_point(qtbot, slice_view, controller):
    canvas = slice_view.plot_widget
    with qtbot.waitSignal(slice_view.pointDragged, timeout=2000) as blocker:
        canvas.drag_handle(slice_view.handle, 1.0, 0.0)  # what a drag of the handle does
    assert blocker.args == [pytest.approx(1.0), pytest.approx(0.2)]
    assert slice_view.examined_point() == (pytest.approx(1.0), pytest.approx(0.2))
    da = float(controller.loss.gradient(1.0, 0.2)[0])
    assert slice_view.tangent_slope() == pytest.approx(da)
    assert "0.08645" in slice_view.slope_label.text()  # cos(1)·0.16
    controller.set_iteration(3)  # the run moves: the tangent returns to its point
    assert slice_view.tangent_slope() == pytest.approx(_partials(controller)[0])


def test_slice_handle_follows_the_mouse_and_a_click_examines_a_point(qtbot, slice_view,
                                                                      controller):
    canvas = slice_view.plot_widget
    a, b = controller.current_point()
    y = round(canvas.plot_rect().center().y())
    start = QtCore.QPoint(round(canvas.data_to_point(a, 0.0).x()), y)
    assert canvas.hit_test(QtCore.QPointF(start)) is slice_view.handle
    end = QtCore.QPoint(round(canvas.data_to_point(1.0, 0.0).x()), y)
    seen = []
    slice_view.pointDragged.connect(lambda *args: seen.append(args))
    qtbot.mousePress(canvas, QtCore.Qt.LeftButton, pos=start)
    for t in np.linspace(0.0, 1.0, 6)[1:]:
        qtbot.mouseMove(canvas, QtCore.QPoint(round(start.x() + t * (end.x() - start.x())), y))
    qtbot.mouseRelease(canvas, QtCore.Qt.LeftButton, pos=end)
    one_px = canvas.pixel_size()[0]
    assert len(seen) >= 3  # the point followed the mouse on the way
    assert seen[-1] == (pytest.approx(1.0, abs=1.5 * one_px), pytest.approx(b))
    assert slice_view.handle.value() == pytest.approx(1.0, abs=1.5 * one_px)
    assert slice_view.examined_point()[0] == pytest.approx(1.0, abs=1.5 * one_px)
    # The handle stays in the domain however far the mouse goes.
    canvas.drag_handle(slice_view.handle, 99.0, 0.0)
    assert slice_view.examined_point()[0] == DOMAIN[0][1]
    with qtbot.waitSignal(slice_view.pointDragged, timeout=2000) as blocker:
        qtbot.mouseClick(canvas, QtCore.Qt.LeftButton,
                         pos=canvas.data_to_point(-2.0, 0.0).toPoint())
    assert blocker.args[0] == pytest.approx(-2.0, abs=1.5 * one_px)


def test_a_playback_frame_does_not_redraw_the_slice_axes(qtbot, slice_view, controller):
    """Every item of the slice moves in the frame layer; the axes (static layer) are rendered
    again only when the y range changes, which the steady range makes rare."""
    canvas = slice_view.plot_widget
    controller.set_iteration(1)
    canvas.grab()  # paints through paintEvent, mapped or not (repaint() may do nothing)
    renders, ranges = canvas.static_renders, canvas.view_range()
    assert renders >= 1
    kept = 0
    for k in range(2, 30):
        controller.set_iteration(k)
        canvas.grab()
        if canvas.view_range() == ranges:
            kept += 1
            assert canvas.static_renders == renders, k
        renders, ranges = canvas.static_renders, canvas.view_range()
    assert kept >= 20  # the range did stay put for most frames
    # The curve, the tangent and the dot did move: the frame layer shows the new point.
    a, b = controller.current_point()
    assert slice_view.dot.getData()[0][0] == pytest.approx(a)
    xs, ys = slice_view.slice_data()
    np.testing.assert_allclose(ys, np.sin(xs) * b * (1 - b), atol=1e-12)
    lo, hi = canvas.view_range()[1]
    assert lo <= ys.min() and ys.max() <= hi  # the steady range still holds the curve


def test_contour_view_shows_the_slice_line(qtbot):
    from gdviz.ui.contour_view import ContourView

    view = ContourView()
    qtbot.addWidget(view)
    view.set_variables("w1", "w2")
    view.set_slice_line(0, 0.2)
    assert view.slice_line.isVisible()
    assert view.slice_line.angle == 0 and view.slice_line.value() == pytest.approx(0.2)
    view.set_slice_line(1, -0.5)
    assert view.slice_line.angle == 90 and view.slice_line.value() == pytest.approx(-0.5)
    view.set_slice_line(None, 0.0)
    assert not view.slice_line.isVisible()


# -- Gradient -------------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [0, 5, 15, 40])
def test_gradient_is_perpendicular_to_the_contour(gradient_view, controller, k):
    controller.set_iteration(k)
    g = gradient_view.gradient()
    np.testing.assert_allclose(g, _partials(controller))
    t = gradient_view.contour_tangent()
    assert t is not None
    assert abs(np.dot(t, g)) / np.hypot(*g) < 0.02
    label = gradient_view.findChild(QtWidgets.QLabel, "angleLabel").text()
    assert "90.0°" in label or "89.9°" in label or "90.1°" in label


def test_contour_through_the_point_is_drawn(gradient_view, controller):
    xs, ys = gradient_view.through.getData()
    ok = np.isfinite(xs)
    a, b = controller.current_point()
    assert np.min(np.hypot(xs[ok] - a, ys[ok] - b)) < 0.02
    level = float(controller.loss.value(a, b))
    np.testing.assert_allclose(controller.loss.value(xs[ok], ys[ok]), level, atol=5e-3)


def test_directional_derivative(gradient_view, controller):
    dial = gradient_view.findChild(QtWidgets.QDial, "directionDial")
    g = gradient_view.gradient()
    norm = float(np.hypot(*g))
    gradient_view.findChild(QtWidgets.QPushButton, "alongGradientButton").click()
    # The buttons set the exact angle (the dial's whole degrees left 1 % off along the contour).
    assert gradient_view.angle == pytest.approx(calculus.angle_of(g), abs=1e-9)
    assert gradient_view.directional_derivative() == pytest.approx(norm, rel=1e-12)
    # The maximum over every dial position is ‖∇f‖, reached along ∇f.
    values = []
    for v in range(0, 360, 5):
        dial.setValue(v)
        values.append(gradient_view.directional_derivative())
    assert max(values) <= norm + 1e-12
    assert max(values) == pytest.approx(norm, rel=5e-3)
    gradient_view.findChild(QtWidgets.QPushButton, "alongContourButton").click()
    assert abs(gradient_view.directional_derivative()) < 1e-12 * norm
    said = gradient_view.directional_label.text().replace("\u00a0", " ").replace("\u2060", "")
    assert "(0% of ‖∇f‖)" in said
    # the angle between ∇f and u, in degrees ("cos(angle)" under "angle between ∇f and the
    # contour: 90°" read as cos 90° = 0 where u was elsewhere)
    assert "∇f·u = ‖∇f‖ cos 90° =" in said
    gradient_view.set_angle(calculus.angle_of(g) + 120.0)
    said = gradient_view.directional_label.text().replace("\u00a0", " ").replace("\u2060", "")
    assert "‖∇f‖ cos 120° =" in said
    gradient_view.findChild(QtWidgets.QPushButton, "alongContourButton").click()
    # whole on its line ("(−33% of |" / "∇f|)" broke after the bar): Qt finds no place to
    # break inside that part
    import re

    from line_breaks import line_breaks

    plain = re.sub(r"<[^>]+>", "", gradient_view.directional_label.text())
    part = plain[plain.index("(0%"):]
    assert line_breaks(part) == [], (part, line_breaks(part))
    # Turned by hand (away and back), the dial's whole degrees count again.
    exact = gradient_view.angle
    back = dial.value()
    dial.setValue((back + 3) % 360)
    dial.setValue(back)
    assert gradient_view.angle == float(round(exact)) % 360 != exact
    theta = gradient_view.angle
    xs, ys = gradient_view.theta_dot.getData()
    assert xs[0] == theta and ys[0] == pytest.approx(gradient_view.directional_derivative())
    cx, cy = gradient_view.cosine.getData()
    np.testing.assert_allclose(cy, norm * np.cos(np.radians(cx - calculus.angle_of(g))),
                               atol=1e-12)


def test_dial_points_where_u_points(gradient_view):
    gradient_view.set_angle(0.0)
    assert gradient_view.angle == 0.0
    gradient_view.set_angle(90.0)
    assert gradient_view.angle == 90.0
    xs, ys = gradient_view.u_arrow.getData()
    assert xs[1] - xs[0] == pytest.approx(0.0, abs=1e-12) and ys[1] > ys[0]


def test_gradient_view_follows_the_loss(gradient_view, controller):
    controller.set_loss(parse_loss("w1^2 + 3*w2^2"))
    a, b = controller.current_point()
    np.testing.assert_allclose(gradient_view.gradient(), [2 * a, 6 * b])
    t = gradient_view.contour_tangent()
    assert abs(np.dot(t, [2 * a, 6 * b])) / np.hypot(2 * a, 6 * b) < 0.02


def test_no_gradient_direction_once_the_run_has_converged(gradient_view, controller):
    # At the converged point ∇f ~ 1e-7 is rounding noise: the tab said "angle between ∇f and
    # the contour: 0.0°" and drew the tangent along ∇f, against the lesson.
    controller.update_run(0, lr=0.5, steps=400)
    traj = controller.runs[0].trajectory
    assert traj.status == "converged"
    controller.set_iteration(int(traj.stop_step))
    gradient_view.redraw()
    text = gradient_view.angle_label.text()
    assert "converged" in text and "°" not in text
    assert len(gradient_view.grad_arrow.x) == 0 and len(gradient_view.tangent.x) == 0
    assert gradient_view.contour_tangent() is None
    assert len(gradient_view.others.x) > 0  # rings around the minimum still show
    # the partials are rounding noise there: they read ≈ 0 (not "−8.8×10⁻¹²" in bold)
    partials = gradient_view.partials_label.text()
    # (∂f/∂w2 at w2 = 0.5 is exactly 0, and reads so)
    components = partials.split("‖∇f‖")[0]
    assert components.count("<b>≈ 0</b>") + components.count("= <b>0</b><br>") == 2
    assert "‖∇f‖ <b>≈ 0</b>" in partials  # (and so their length: it read 9.6×10⁻⁷)
    # and so ∇f·u along any u (it read "θ = 45°: ∇f·u = 0" beside ‖∇f‖ = 9.6×10⁻⁷)
    assert "∇f·u ≈ 0" in gradient_view.directional_label.text()
    assert "10⁻" not in partials.split("‖∇f‖")[0]
    # and the key lists only what is drawn (it named a tangent and arrows that were not)
    key = gradient_view.legend.text()
    assert "neighbouring contours" in key and "tangent" not in key and "uphill" not in key
    # nor the contour through the point: at the minimum it is a speck around it (the key
    # named it in bold where nothing showed); and no ∇f or contour to turn u along
    assert "through the point" not in key and len(gradient_view.through.x) == 0
    assert not gradient_view.along_grad.isEnabled()
    assert not gradient_view.along_contour.isEnabled()
    # earlier, on its way, the arrow and the right angle are back
    controller.set_iteration(int(traj.stop_step) // 4)
    gradient_view.redraw()
    assert "angle between ∇f and the contour" in gradient_view.angle_label.text()
    assert len(gradient_view.grad_arrow.x) > 0
    assert "through the point" in gradient_view.legend.text()
    assert gradient_view.along_grad.isEnabled() and gradient_view.along_contour.isEnabled()


def test_views_survive_a_flat_point_and_an_undefined_loss(qtbot, controller, gradient_view,
                                                           slice_view, limit_view):
    controller.runs = [Run(RunSpec(optimizer="gd", lr=0.1, start=(0.0, 0.0), steps=5,
                                   color="#0072B2"))]
    controller.set_loss(parse_loss("w1^2 + w2^2"))
    assert gradient_view.contour_tangent() is None
    assert "∇f = 0" in gradient_view.angle_label.text()
    assert slice_view.tangent_slope() == 0.0
    controller.set_loss(parse_loss("log(w1) + w2"))
    controller.set_start(0, -1.0, 0.0)
    qtbot.wait(10)
    assert math.isnan(slice_view.tangent_slope())
    assert math.isnan(limit_view.secant_slope())
    assert gradient_view.contour_tangent() is None


def test_a_slice_constant_but_for_rounding_gets_a_plain_axis(slice_view, controller):
    # Beale's loss along x at y = 1 is the constant 14.203125, computed with rounding errors
    # of 1e-5: fitted to them, the y axis had ticks six digits deep (found by a review).
    from gdviz.ui.derivatives.common import padded_range

    beale = "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2"
    controller.set_domain(((-4.5, 4.5), (-4.5, 4.5)))
    controller.set_loss(parse_loss(beale))
    controller.update_run(0, start=(0.0, 1.0))
    controller.set_iteration(0)
    slice_view.ensure_fresh()
    _, ys = slice_view.slice_data()
    assert np.ptp(ys) < 1e-3 * 14.2  # the same value, up to rounding
    lo, hi = slice_view._y_range
    assert hi - lo > 1.0  # a plain axis around 14.2, not 14.203112 … 14.203138
    assert padded_range(np.array([1.0, 2.0]), 0.1) == (0.9, 2.1)  # real variation: as before


def test_a_slice_far_from_0_that_its_slopes_account_for_is_not_flat(slice_view, controller):
    """10⁶ + x² + y² varies by 9 on 10⁶ along x, under the rounding share: it was drawn a
    flat line on a 5·10⁵ … 1.5·10⁶ axis, labelled "slope = −1"."""
    controller.set_domain(((-3.0, 3.0), (-3.0, 3.0)))
    controller.set_loss(parse_loss("1e6 + x^2 + y^2"))
    controller.update_run(0, start=(-0.5, 0.2))
    controller.set_iteration(0)
    slice_view.ensure_fresh()
    _, ys = slice_view.slice_data()
    lo, hi = slice_view._y_range
    assert lo <= ys.min() and hi >= ys.max() and hi - lo < 2 * np.ptp(ys)


@pytest.mark.parametrize("text", ["max(w1, w2)", "0.26*(w1^2 + w2^2) - 0.48*w1*w2",
                                  "sin(w1)*w2*(1-w2)", "w1 + w2^2", "w1^2 + 3*w2^2"])
def test_the_gradient_tab_s_arrow_labels_never_sit_on_each_other(gradient_view, controller,
                                                                 text):
    """On max(w1, w2) "∂f/∂w2" and "∇f" were drawn at the same tip, one over the other;
    on Matyas "∂f/∂w2" sat on "u"; on x² + 3y² "∂f/∂y" ended where "u" began ("∂f/∂yu")."""
    controller.set_loss(parse_loss(text))
    gradient_view.redraw()
    canvas = gradient_view.local_widget
    for angle in (0, 45, 90, 135, 180, 270):
        gradient_view.set_angle(angle)
        boxes = [t.box(canvas) for t in gradient_view.texts.values()
                 if t.visible and t.text]
        boxes = [b for b in boxes if b is not None]
        assert len(boxes) >= 2
        for i, a in enumerate(boxes):
            a = a.adjusted(-2, 0, 2, 0)  # (a gap between them: touching, they read as one)
            assert not any(a.intersects(b) for b in boxes[i + 1:]), (text, angle)


def test_a_partial_that_is_exactly_0_reads_0(gradient_view, controller):
    """On a constant loss the run has converged at once, and the partials, exactly 0, read
    "≈ 0", as rounding noise does."""
    controller.set_loss(parse_loss("3 + 0*w1*w2"))
    controller.set_iteration(0)
    gradient_view.redraw()
    partials = gradient_view.partials_label.text()
    assert partials.split("‖∇f‖")[0].count("= <b>0</b>") == 2 and "≈" not in partials


def test_at_a_minimum_no_ring_elsewhere_is_called_the_contour_through_it(gradient_view,
                                                                          controller, qtbot):
    """Rastrigin, converged at a local minimum (f = 17.9): the rings at that level round
    lower minima nearby were drawn black and keyed "contour through the point"; the level set
    through a minimum is the point alone."""
    controller.set_domain(((-5.12, 5.12), (-5.12, 5.12)))
    controller.set_loss(parse_loss("20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)"))
    controller.update_run(0, start=(3.2, 2.7), lr=0.002, steps=100)
    qtbot.waitUntil(lambda: controller.runs[0].trajectory is not None
                    and controller.runs[0].trajectory.status == "converged", timeout=10000)
    controller.set_iteration(int(controller.runs[0].trajectory.stop_step))
    gradient_view.redraw()
    assert len(gradient_view.through.x) == 0
    assert "through the point" not in gradient_view.legend.text()
    assert len(gradient_view.others.x) > 0  # (the rings are there, grey)


def test_the_gradient_key_names_the_shadow_of_grad_f_on_u(gradient_view, controller):
    """The translucent orange bar, ∇f's shadow on u (∇f·u), was drawn but not in the key."""
    controller.set_iteration(0)
    gradient_view.redraw()
    assert len(gradient_view.shadow.x) > 0
    assert "shadow on u (∇f·u)" in gradient_view.legend.text()


def test_the_slope_label_does_not_flicker_between_its_two_forms(slice_view, controller,
                                                                 qtbot):
    """Played back, a cost hovering at the threshold switched the label between
    "slope = …" and the number alone (and moved it) frame after frame."""
    slice_view.resize(340, 640)
    qtbot.wait(20)
    forms = []
    for k in range(0, 30):
        controller.set_iteration(k)
        slice_view.redraw()
        forms.append(slice_view.slope_text.text.startswith("slope"))
    switches = sum(a != b for a, b in zip(forms, forms[1:], strict=False))
    assert switches <= 2, forms


def test_a_component_of_0_has_no_label_as_it_has_no_arrow(gradient_view, controller):
    """sin(w1²): ∂f/∂w2 = 0 everywhere, and "∂f/∂w2" was written at the point, beside no
    arrow."""
    controller.set_loss(parse_loss("sin(w1^2)"))
    controller.set_iteration(0)
    gradient_view.redraw()
    da, db = gradient_view.texts["da"], gradient_view.texts["db"]
    assert gradient_view._grad[1] == 0 and gradient_view._grad[0] != 0
    assert da.visible and not db.visible
    controller.set_loss(parse_loss("sin(w1)*w2*(1-w2)"))  # (both again where both are drawn)
    gradient_view.redraw()
    assert da.visible and db.visible


def test_a_component_a_billionth_of_the_other_reads_0(gradient_view, controller):
    """At w2 = 0.49999999999999 the lecture's ∂f/∂w2 is sin(w1)·2·10⁻¹⁴: the tab printed
    "∂f/∂w2 = 1.68×10⁻¹⁴" in bold beside ∂f/∂w1 = 0.135, and labelled an arrow too short to
    see; it is 0 to the vector's digits ("≈ 0": not exactly)."""
    controller.update_run(0, start=(1.0, 0.49999999999999))
    controller.set_iteration(0)
    gradient_view.redraw()
    text = gradient_view.partials_label.text()
    assert "∂f/∂w2 <b>≈ 0</b>" in text and "10⁻" not in text, text
    assert "∂f/∂w1 = <b>0.1351</b>" in text, text
    assert not gradient_view.texts["db"].visible and gradient_view.texts["da"].visible
    # A millionth of the other is a slope the class can be shown: it keeps its digits.
    controller.update_run(0, start=(1.0, 0.5 - 1e-6))
    gradient_view.redraw()
    assert "∂f/∂w2 = <b>1.683×10⁻⁶</b>" in gradient_view.partials_label.text()
    assert gradient_view._grad[1] != 0


def test_the_slope_at_a_converged_point_reads_0(slice_view, controller):
    """Newton converged at (−π/2, 0.5) with ‖∇f‖ ≈ 2·10⁻¹¹: the tab read "slope =
    −8.8×10⁻¹² (flat)", rounding noise as a number; it reads ≈ 0, as the Gradient tab's.
    A point examined by hand there keeps its digits."""
    controller.update_run(0, optimizer="newton", lr=1.0, steps=50)
    traj = controller.runs[0].trajectory
    assert traj.status == "converged"
    controller.set_iteration(len(traj.points) - 1)
    slice_view.redraw()
    assert slice_view.tangent_slope() != 0  # (the noise is there...)
    assert "≈ 0  (flat)" in slice_view.slope_label.text()  # (...and reads ≈ 0: not exactly)
    assert "10⁻" not in slice_view.slope_text.text


def test_a_converged_run_s_small_slope_reads_approximately_0(slice_view, controller):
    """GD on x² stops at x = 4.29×10⁻⁷, where the slope is 8.59×10⁻⁷ (the h → 0 tab's exact
    value): "= 0" was not true, "≈ 0" is (rounding noise, 10⁻¹⁷, still reads = 0)."""
    controller.set_loss(parse_loss("w1^2"))
    controller.update_run(0, optimizer="gd", lr=0.1, start=(1.0, 1.0), steps=200)
    traj = controller.runs[0].trajectory
    assert traj.status == "converged" and abs(traj.points[-1][0]) > 1e-9
    controller.set_iteration(len(traj.points) - 1)
    slice_view.redraw()
    assert "≈ 0  (flat)" in slice_view.slope_label.text(), slice_view.slope_label.text()
    assert slice_view.slope_text.text in ("slope ≈ 0", "0")
    controller.set_iteration(0)
    slice_view.redraw()
    assert "= 2  (rising)" in slice_view.slope_label.text()


def test_a_component_s_label_is_whole_inside_the_close_up(gradient_view, controller):
    """Near a far-out point (η = 5 on the lecture's loss) "∂f/∂w1" was cut to "∂w1" at the
    close-up's left edge: a label that would run past the plot goes to another corner of
    its arrow's tip, or is left out (the values are printed beside the plot)."""
    from gdviz.ui.derivatives.gradient_direction import keep_labels_apart

    controller.update_run(0, lr=5.0, steps=60)
    controller.set_iteration(len(controller.runs[0].trajectory.points) - 1)
    gradient_view.redraw()
    canvas = gradient_view.local_widget
    (x0, x1), (y0, y1) = canvas.view_range()
    da = gradient_view.texts["da"]
    # (its tip as far left as the close-up shows, the label left of it: past the edge)
    da.set_text(da.text, x0 + 0.02 * (x1 - x0), 0.5 * (y0 + y1))
    da.set_anchor((1.0, 0.0))
    da.set_visible(True)
    plot = canvas.plot_rect().adjusted(-1, -1, 1, 1)
    assert not plot.contains(da.box(canvas))
    keep_labels_apart(gradient_view)
    assert not da.visible or plot.contains(da.box(canvas)), da.box(canvas)


@pytest.mark.parametrize("size", [(700, 500), (330, 700)])
def test_component_labels_keep_off_u_s_arrow_and_the_point(gradient_view, controller, qtbot,
                                                           size):
    """In presentation mode's narrow dock "∂f/∂w1" lay across u's arrow, and "∂f/∂w2" (a
    component 2 % of the other, its arrow a few pixels long) on the point itself."""
    from gdviz.ui.derivatives.gradient_direction import MIN_ARROW_PX, _arrow_px, _marks

    gradient_view.resize(*size)
    controller.update_run(0, start=(-1.006, 0.4982))  # ∇f = (0.134, −0.003)
    controller.set_iteration(0)
    qtbot.wait(50)
    gradient_view.redraw()
    canvas = gradient_view.local_widget
    marks = _marks(canvas, (gradient_view.u_arrow,), gradient_view._p)
    assert marks
    for i, key in enumerate(("da", "db")):
        text = gradient_view.texts[key]
        if _arrow_px(gradient_view, canvas, i) < MIN_ARROW_PX:
            assert not text.visible, key
        if text.visible:
            box = text.box(canvas)
            assert not any(box.intersects(m) for m in marks), key
    assert not gradient_view.texts["db"].visible  # (−0.003 beside 0.134: no arrow to see)


def test_a_component_arrow_too_short_to_see_has_no_label(gradient_view, controller, qtbot):
    """Along the lecture's w2 = 0.5 − t, ∂f/∂w2 = sin(w1)·2t shrinks to 0: below 12 pixels
    its arrow is not seen, and its label sat at the point (where a clear spot was found)."""
    from gdviz.ui.derivatives.gradient_direction import MIN_ARROW_PX, _arrow_px

    short = 0
    for w2 in np.linspace(0.38, 0.5, 49):
        controller.update_run(0, start=(-1.0, float(w2)))
        controller.set_iteration(0)
        gradient_view.redraw()
        length = _arrow_px(gradient_view, gradient_view.local_widget, 1)
        if 0 < length < MIN_ARROW_PX:
            short += 1
            assert not gradient_view.texts["db"].visible, (w2, length)
    assert short >= 3  # (the sweep met such arrows)


def test_a_slope_on_the_grey_part_of_a_steep_slice_reads_gently(slice_view, controller):
    """exp(w1² + w2²) at (1, 1): the curve is grey there (nearly flat beside slopes of 10⁵
    further out), under "= 14.78 (rising)"; it reads "rising gently"; where the curve is
    coloured, just "rising"."""
    controller.set_domain(((-3.0, 3.0), (-3.0, 3.0)))
    controller.set_loss(parse_loss("exp(w1^2 + w2^2)"))
    controller.update_run(0, optimizer="gd", lr=1e-6, start=(1.0, 1.0), steps=5)
    controller.set_iteration(0)
    slice_view.redraw()
    text = slice_view.slope_label.text()
    assert "= 14.78  (rising gently)" in text, text
    controller.update_run(0, start=(2.7, 1.0))
    controller.set_iteration(0)
    slice_view.redraw()
    assert slice_view.slope_label.text().endswith("(rising)"), slice_view.slope_label.text()
    controller.set_domain(DOMAIN)
    controller.set_loss(parse_loss("sin(w1)*w2*(1-w2)"))  # (the lecture's: not gentle there)
    controller.update_run(0, lr=0.1, start=(-0.5, 0.2), steps=50)
    slice_view.redraw()
    assert slice_view.slope_label.text().endswith("(rising)")


def test_near_a_minimum_the_angle_is_still_a_right_one(gradient_view, controller):
    """GD on the lecture's loss at k = 81 of 163: the contour through the point is a loop
    0.005 long around the minimum; the tab drew the tangent along ∇f and said 0.5°."""
    controller.update_run(0, optimizer="gd", lr=0.3, start=(-0.5, 0.2), steps=200)
    for k in (40, 81):
        controller.set_iteration(k)
        gradient_view.redraw()
        text = gradient_view.angle_label.text()
        assert "angle between ∇f and the contour" in text and "90.0°" in text, (k, text)


def test_the_slope_s_number_alone_is_never_put_away_from_the_point(slice_view, controller,
                                                                    qtbot):
    """Rastrigin from (3.2, 2.7) in a dock at 1280 × 720: "66.16" alone, four label heights
    above the point, read as a value of f on the axis level with it. The number alone
    goes beside the point, or nowhere (the sentence under the plot has it)."""
    controller.set_loss(parse_loss("20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)"))
    controller.set_start(0, 3.2, 2.7)
    for size in ((370, 560), (330, 520), (430, 590), (300, 480)):
        slice_view.resize(*size)
        qtbot.waitUntil(lambda s=size: slice_view.plot_widget.width() <= s[0])
        slice_view.redraw()
        plot, label = slice_view.plot_widget, slice_view.slope_text
        if label.visible and not label.text.startswith("slope"):
            box = label.box(plot)
            x0, y0 = (float(v) for v in plot.data_to_px(*label.pos))
            apart = max(0.0, box.top() - y0, y0 - box.bottom())
            assert apart <= 0.5 * box.height(), (size, label.text, apart)


def test_a_component_s_label_keeps_off_the_gradient_arrow(gradient_view, controller):
    """(w1 − 1)² + 3(w2 + 0.5)² at (−0.5, 0.2): ∇f = (−3, 4.2) goes up and left, u up and
    right, and "∂f/∂w2" was put left of the vertical arrow's tip, across the middle of ∇f."""
    from gdviz.ui.derivatives.gradient_direction import _shaft

    controller.set_loss(parse_loss("(w1-1)^2 + 3*(w2+0.5)^2"))
    controller.update_run(0, start=(-0.5, 0.2))
    controller.set_iteration(0)
    gradient_view.redraw()
    canvas = gradient_view.local_widget
    shaft = _shaft(canvas, gradient_view.grad_arrow)
    assert len(shaft) == 6
    for key in ("da", "db"):
        text = gradient_view.texts[key]
        assert text.visible, key
        box = text.box(canvas)
        assert not any(box.intersects(mark) for mark in shaft), key


def test_a_label_moved_beside_its_arrow_goes_back_to_the_tip_as_u_turns(gradient_view,
                                                                     controller):
    """Moved beside the arrow's middle (u across the tip's corner), "∂f/∂w2" stayed there as
    the dial turned u away: the label's place was taken for the tip. (Now it moves just
    past the tip first, where that is clear.)"""
    from gdviz.ui.derivatives.gradient_direction import _along, _home

    controller.set_loss(parse_loss("(w1-1)^2 + 3*(w2+0.5)^2"))
    controller.update_run(0, start=(-0.5, 0.2))
    controller.set_iteration(0)
    gradient_view.redraw()
    db = gradient_view.texts["db"]
    first = _home(gradient_view._grad, 1)
    assert db.visible and db.anchor != first  # (off its first corner: u is there)
    gradient_view.dial.setValue(300)  # (u down and to the right: the tip's corner free)
    gradient_view.ensure_fresh()
    assert db.visible and db.pos == pytest.approx(_along(gradient_view, 1, 1.0)), db.pos
    assert db.anchor == first


@pytest.mark.parametrize("k", [0, 5])
def test_the_contour_labels_of_the_angle_plot_keep_off_the_curve_and_each_other(
        gradient_view, controller, k):
    """Centred at the plot's top in presentation mode's type, each "contour" label was a
    third of the plot wide and hid the cosine's rise on one side of its line; they go where
    the curve is not, clear of each other and of "∇f"."""
    from gdviz.ui.derivatives.common import points_along

    font = QtGui.QFont(gradient_view.font())
    font.setPixelSize(int(1.5 * QtGui.QFontInfo(font).pixelSize()))
    gradient_view.resize(450, 1000)  # (the dock's size in presentation mode at 1920 × 1080)
    plot = gradient_view.directional.widget
    plot.setFont(font)
    QtWidgets.QApplication.processEvents()
    controller.set_iteration(k)
    gradient_view.redraw()
    xs, ys = gradient_view.cosine.getData()
    drawn = points_along(np.column_stack(plot.data_to_px(xs, ys)))
    texts = [t for t in gradient_view.directional.mark_texts if t.visible]
    boxes = [t.box(plot) for t in texts]
    assert len(boxes) == 3
    for i, box in enumerate(boxes):
        assert plot.plot_rect().adjusted(-1, -1, 1, 1).contains(box)
        assert not any(box.intersects(other) for other in boxes[i + 1:])

    def hits(box) -> int:
        return int(((drawn[:, 0] >= box.left()) & (drawn[:, 0] <= box.right())
                    & (drawn[:, 1] >= box.top()) & (drawn[:, 1] <= box.bottom())).sum())

    # (the contour's two: the first clear, the two together no more covered than centred at
    # the top, where they were; the second may graze the curve where both cannot fit)
    centred = []
    for text in texts[1:]:
        (left, top, right, bottom), = text.boxes(plot, [(0.5, 0.0)])
        y_top = float(plot.plot_rect().top())
        centred.append(hits(QtCore.QRectF(left, y_top, right - left, bottom - top)))
    shown = [hits(box) for box in boxes[1:]]
    assert shown[0] == 0 and sum(shown) <= sum(centred), (shown, centred)


def test_a_contour_label_near_the_plot_s_side_is_moved_in_not_cut_off(gradient_view,
                                                                       controller):
    """Rosenbrock's from (−1.5, 2) in presentation mode at 1280 × 720: the left label read
    "ntour", cut off at the plot's side (outside cost less than over the other label)."""
    font = QtGui.QFont(gradient_view.font())
    font.setPixelSize(int(2.0 * QtGui.QFontInfo(font).pixelSize()))
    gradient_view.resize(353, 900)
    plot = gradient_view.directional.widget
    plot.setFont(font)
    controller.set_loss(parse_loss("(1-x)^2 + 100*(y-x^2)^2"))
    controller.set_start(0, -1.5, 2.0)
    QtWidgets.QApplication.processEvents()
    controller.set_iteration(0)
    gradient_view.redraw()
    texts = [t for t in gradient_view.directional.mark_texts if t.visible]
    assert [t.text for t in texts].count("contour") == 2
    area = plot.plot_rect().adjusted(-1, -1, 1, 1)
    for text in texts:
        assert area.contains(text.box(plot)), text.text


def test_the_close_up_s_contours_cover_it_after_a_resize(gradient_view, controller, qtbot):
    """Laid out wider after its first drawing (presentation mode), equal scales widened the
    close-up, and its contours stopped a fifth short of either side (blank strips)."""
    gradient_view.ensure_fresh()
    plot = gradient_view.local_widget
    plot.resize(plot.width() + 300, plot.height())
    qtbot.waitUntil(lambda: not gradient_view._dirty, timeout=3000)
    (x0, x1), _ = plot.view_range()
    xs = np.concatenate([gradient_view.others.getData()[0], gradient_view.through.getData()[0]])
    xs = xs[np.isfinite(xs)]
    span = x1 - x0
    assert xs.min() <= x0 + 0.05 * span and xs.max() >= x1 - 0.05 * span


def test_the_shadow_of_grad_f_on_u_stands_out_on_the_dark_ground(gradient_view):
    """On the dark theme the shadow (orange at 110/255) was a dim olive bar, about 2 : 1."""
    from PySide6 import QtGui

    from gdviz.ui.derivatives.gradient_direction import SHADOW_ALPHA

    gradient_view.ensure_fresh()
    assert gradient_view.shadow.pen.color().alpha() == SHADOW_ALPHA[False]
    gradient_view.local_widget.setBackground(QtGui.QColor("#202124"))
    gradient_view.mark_dirty()
    gradient_view.ensure_fresh()
    assert gradient_view.local_widget.dark
    assert gradient_view.shadow.pen.color().alpha() == SHADOW_ALPHA[True] > SHADOW_ALPHA[False]


def test_the_grey_of_the_slice_is_keyed_nearly_flat(slice_view, controller):
    """exp(x² + y²) at (−0.5, 0.2): a slope of −1.3 beside slopes of 10⁸ is grey, and the
    key called grey "flat (slope ≈ 0)"."""
    controller.set_domain(((-3.0, 3.0), (-3.0, 3.0)))
    controller.set_loss(parse_loss("exp(x^2 + y^2)"))
    controller.update_run(0, start=(-0.5, 0.2))
    controller.set_iteration(0)
    slice_view.ensure_fresh()
    text = slice_view.legend.text()
    assert "nearly flat" in text and "slope ≈ 0" not in text
    xs, _ys = slice_view.curves["flat"].getData()
    assert np.nanmin(xs) < -0.5 < np.nanmax(xs)  # (grey where the point is)


def test_the_angle_in_the_directional_sentence_gives_the_value_beside_it(gradient_view,
                                                                          controller):
    """"‖∇f‖ cos 136° = −645.9" beside ‖∇f‖ = 897.6: by hand, −645.7. The angle is given to
    a tenth where whole degrees give another value, and "≈" where a tenth does not do."""
    controller.set_loss(parse_loss("100*w1 + w2"))
    gradient_view.ensure_fresh()
    g = gradient_view.gradient()
    np.testing.assert_allclose(g, [100.0, 1.0])

    def said(turn: float) -> str:
        gradient_view.set_angle(calculus.angle_of(g) + turn, exact=True)
        return gradient_view.directional_label.text().replace("\u00a0", " ") \
            .replace("\u2060", "")

    assert "‖∇f‖ cos 60° =" in said(60.0)
    assert "‖∇f‖ cos 45.4° =" in said(45.4)
    assert "‖∇f‖ cos 45° ≈" in said(45.44)


def test_the_level_in_the_gradient_key_stays_on_one_line(gradient_view, controller):
    """"(f =" / "0.2104)" broke in presentation mode (from a QA round)."""
    import html
    import re

    from line_breaks import line_breaks

    gradient_view.ensure_fresh()
    plain = html.unescape(re.sub(r"<[^>]+>", "", gradient_view.legend.text()))
    part = plain[plain.index("(f"):plain.index(")") + 1]
    assert line_breaks(part) == [], (part, line_breaks(part))


def test_a_minus_is_held_to_what_it_negates_in_the_chain_rule_tab():
    """"f(w1, w2) = ln(1 + exp(−" / "(w1·2 + w2)))" and "u = 1 + exp(−" / "(w1·2 + w2))"
    broke after the minus (from a QA round)."""
    import html
    import re

    from line_breaks import line_breaks

    from gdviz import derivative_steps
    from gdviz.ui.derivatives.derivation_text import held_variable_html, sentence_text

    loss = parse_loss("log(1+exp(-(w1*2+w2)))")
    header = held_variable_html(loss.expr, loss.variables, loss.symbols, 0, text=loss.text)
    step = derivative_steps(loss, 0).steps[0]
    for said in (header.split("</div>")[0], sentence_text(step.explanation)):
        plain = html.unescape(re.sub(r"<[^>]+>", "", said))
        # (the header writes e^u as e raised: "e−(w1·2 + w2)" once its tags are gone)
        start = "exp(−" if "exp(−" in plain else "e−"
        at = plain.index(start) + len(start)
        assert at not in line_breaks(plain) and at + 1 not in line_breaks(plain), plain


def test_the_slice_sentences_hold_a_point_and_a_partial_whole():
    """"at (1," / "0.5)", "f(w1," / "1)" and "∂f/" / "∂w1" broke in presentation mode (from
    a QA round)."""
    import html
    import re

    from line_breaks import line_breaks

    from gdviz.ui.derivatives.slice_slope import held_sentence, slope_sentence

    _color, slope = slope_sentence(0.25, 1e-9, "w1", (1.0, 0.5), True)
    held = html.unescape(re.sub(r"<[^>]+>", "", held_sentence(("w1", "w2"), 0, "1", "#800080")))
    for text, part in ((slope, "∂f/"), (slope, "(1"), (held, "f(w1")):
        start = text.index(part)
        whole = text[start:text.index(")", start) + 1] if "(" in part else text[start:start + 6]
        assert line_breaks(whole) == [], (whole, line_breaks(whole))


def test_a_header_with_no_place_to_break_may_break_inside_its_brackets():
    """The softmax cross-entropy's header, −ln(exp(w1)/(exp(w1) + exp(w2))), short brackets
    joined by a slash, could not break at all: it widened the dock and squeezed the map
    (from a QA round). The lecture's stays whole."""
    import html
    import re

    from line_breaks import line_breaks

    from gdviz.ui.derivatives.derivation_text import MOST_UNBROKEN, held_variable_html

    def longest_run(text: str) -> int:
        loss = parse_loss(text)
        header = held_variable_html(loss.expr, loss.variables, loss.symbols, 0,
                                    text=loss.text).split("</div>")[0]
        plain = html.unescape(re.sub(r"<[^>]+>", "", header))
        cuts = [0, *line_breaks(plain), len(plain)]
        return max(b - a for a, b in zip(cuts, cuts[1:], strict=False))

    assert longest_run("-log(exp(w1)/(exp(w1)+exp(w2)))") <= MOST_UNBROKEN + 1
    assert longest_run("sin(w1)*w2*(1-w2)") >= len("sin(w1)·w2·(1 − w2)")


def test_the_gradient_key_s_its_always_names_something(gradient_view, monkeypatch):
    """Near the cone's tip the contour through the point was left out of the close-up's key
    (not drawn there), which began "╌╌ its tangent", "its" naming nothing."""
    from gdviz.ui.derivatives import gradient_view as module

    gradient_view.redraw()
    key = gradient_view.legend.text()
    assert "contour through the point" in key and "its tangent" in key
    sort = module.sort_contours
    monkeypatch.setattr(module, "sort_contours",  # (the contour through it not drawn)
                        lambda *args: (sort(*args)[0] + sort(*args)[1], []))
    gradient_view.redraw()
    key = gradient_view.legend.text()
    assert "contour through the point" not in key and "tangent" in key  # (the case)
    assert "its tangent" not in key and "the contour's tangent" in key


def test_converged_gradient_length_reads_approximately_zero(gradient_view, controller):
    """(w1−1)² + 3(w2+0.5)² from (2, 1), GD played to its last step (converged): the
    partials read "∂f/∂w1 ≈ 0", "∂f/∂w2 = 0" and then "‖∇f‖ = 8.035×10⁻⁷", both components
    zero and their length not. ‖∇f‖ reads ≈ 0 too, as the Slice tab's slope there; its value
    stays said in the sentence below ("∇f ≈ 0 here (‖∇f‖ = 8.035×10⁻⁷)")."""
    controller.set_loss(parse_loss("(w1-1)^2+3*(w2+0.5)^2"))
    controller.update_run(0, start=(2.0, 1.0), steps=200)
    traj = controller.runs[0].trajectory
    assert traj.status == "converged" and len(traj.points) - 1 == 66
    controller.set_iteration(66)
    gradient_view.redraw()
    partials = gradient_view.partials_label.text()
    assert "∂f/∂w1 <b>≈ 0</b>" in partials, partials
    assert "‖∇f‖ <b>≈ 0</b>" in partials and "‖∇f‖ = " not in partials, partials
    assert "10⁻" not in partials  # (no rounding noise written as a number)
    assert "‖∇f‖ = " + "8.035×10⁻⁷" in gradient_view.angle_label.text()  # (said there)


def test_a_partial_rounded_away_beside_the_other_reads_approximately_zero(gradient_view,
                                                                          controller):
    """1e10·w1² + w2: ∂f/∂w2 is exactly 1, under 10⁻⁹ of ∂f/∂w1, and the tab wrote it
    "∂f/∂w2 = 0" in bold (a QA round): beside the other's size it is about 0, not 0."""
    controller.set_loss(parse_loss("1e10*w1^2 + w2"))
    controller.update_run(0, start=(0.5, 0.2), steps=5)
    controller.set_iteration(0)
    gradient_view.redraw()
    partials = gradient_view.partials_label.text()
    assert "∂f/∂w2 <b>≈ 0</b>" in partials and "∂f/∂w2 = " not in partials, partials
    assert "∂f/∂w1 = <b>" in partials  # (the large one as it is)
    controller.set_loss(parse_loss("x^2 + y^2"))  # (an exact 0 stays "= 0")
    controller.update_run(0, start=(0.5, 0.0), steps=5)
    controller.set_iteration(0)
    gradient_view.redraw()
    assert "∂f/∂y = <b>0</b>" in gradient_view.partials_label.text()


def test_the_slice_tab_calls_an_infinite_f_infinite(slice_view, controller):
    """exp(w1·w2) run off to (1778, 1778) overflows: the readouts said "f ∞" and the run
    "the loss became infinite", the Slice tab "f is undefined at (1778, 1778)" (a QA round).
    Where f has no value at all it stays undefined."""
    controller.set_loss(parse_loss("exp(w1*w2)"))
    controller.update_run(0, start=(1.5, 1.5), lr=0.3, steps=50)
    traj = controller.runs[0].trajectory
    controller.set_iteration(len(traj.points) - 1)
    slice_view.redraw()
    said = slice_view.slope_label.text()
    assert "f is ∞ at (" in said and "undefined" not in said, said
    controller.set_loss(parse_loss("log(w1) + w2"))
    controller.update_run(0, start=(-1.0, 0.5), steps=5)
    controller.set_iteration(0)
    slice_view.redraw()
    assert "f is undefined at (" in slice_view.slope_label.text()
