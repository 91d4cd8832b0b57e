"""What the lecture tabs need from the canvas: draggable lines, clicks with either button,
star markers, multi-line text, an x axis growing to the left and fixed ticks."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtTest, QtWidgets

from gdviz.ui.canvas import Curve, InfiniteLine, ItemCanvas, Points, Text, make_pen


@pytest.fixture
def canvas(qtbot):
    view = ItemCanvas()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.set_range((-2.0, 2.0), (0.0, 10.0))
    view.pan_zoom = False
    view.show()
    assert QtTest.QTest.qWaitForWindowExposed(view)
    return view


def test_a_movable_line_is_dragged_within_its_bounds(canvas, qtbot):
    line = canvas.add(InfiniteLine(90, 0.0, movable=True, bounds=(-1.0, 1.5)), frame=True)
    fixed = canvas.add(InfiniteLine(90, -1.5))  # not movable: never grabbed
    dragged = []
    canvas.itemDragged.connect(dragged.append)
    y = round(canvas.plot_rect().center().y())
    start = QtCore.QPoint(round(canvas.data_to_point(0.0, 0.0).x()), y)
    assert canvas.hit_test(QtCore.QPointF(start)) is line
    assert canvas.hit_test(QtCore.QPointF(canvas.data_to_point(-1.5, 5.0))) is None
    assert canvas.hit_test(QtCore.QPointF(start + QtCore.QPoint(30, 0))) is None
    end = QtCore.QPoint(round(canvas.data_to_point(0.8, 0.0).x()), y)
    qtbot.mousePress(canvas, QtCore.Qt.LeftButton, pos=start)
    qtbot.mouseMove(canvas, QtCore.QPoint((start.x() + end.x()) // 2, y))
    qtbot.mouseMove(canvas, end)
    qtbot.mouseRelease(canvas, QtCore.Qt.LeftButton, pos=end)
    assert dragged and all(item is line for item in dragged)
    assert line.value() == pytest.approx(0.8, abs=2 * canvas.pixel_size()[0])
    assert canvas.view_range() == ((-2.0, 2.0), (0.0, 10.0))  # a drag of a line is no pan
    canvas.drag_handle(line, 5.0, 0.0)
    assert line.value() == 1.5  # clamped to the bounds
    line.set_bounds(None)
    line.set_value(-1.9)
    assert line.value() == -1.9 and fixed.value() == -1.5


def test_clicks_carry_their_button_and_a_double_click_is_one_click(canvas, qtbot):
    clicks = []
    canvas.plotClicked.connect(lambda x, y, b: clicks.append((x, y, b)))
    pos = canvas.data_to_point(1.0, 2.0).toPoint()
    qtbot.mouseClick(canvas, QtCore.Qt.RightButton, pos=pos)
    qtbot.mouseClick(canvas, QtCore.Qt.LeftButton, pos=pos)
    assert [c[2] for c in clicks] == [QtCore.Qt.RightButton, QtCore.Qt.LeftButton]
    assert clicks[0][:2] == pytest.approx((1.0, 2.0), abs=0.05)
    clicks.clear()
    qtbot.mousePress(canvas, QtCore.Qt.LeftButton, pos=pos)  # a double click, as Qt sends it
    qtbot.mouseRelease(canvas, QtCore.Qt.LeftButton, pos=pos)
    qtbot.mouseDClick(canvas, QtCore.Qt.LeftButton, pos=pos)
    qtbot.mouseRelease(canvas, QtCore.Qt.LeftButton, pos=pos)
    assert len(clicks) == 1
    outside = QtCore.QPoint(2, 2)  # on the margin, not in the plot
    qtbot.mouseClick(canvas, QtCore.Qt.RightButton, pos=outside)
    qtbot.mouseClick(canvas, QtCore.Qt.LeftButton, pos=outside)
    assert len(clicks) == 1


def _color_at(canvas, x, y) -> QtGui.QColor:
    image = canvas.grab().toImage()
    p = canvas.data_to_point(x, y) * image.devicePixelRatio()
    return QtGui.QColor(image.pixel(round(p.x()), round(p.y())))


def test_star_markers_and_their_own_colours(canvas):
    stars = canvas.add(Points(22, "#111111", "#111111", 1, symbol="star"), frame=True)
    stars.set_data([-1.0, 1.0], [5.0, 5.0])
    stars.set_style(brushes=["#0072B2", "#E69F00"])
    assert _color_at(canvas, -1.0, 5.0).name() == "#0072b2"
    assert _color_at(canvas, 1.0, 5.0).name() == "#e69f00"
    # Between the points of a star: background (a disc of that size would cover it).
    x, y = canvas.data_to_point(1.0, 5.0).x(), canvas.data_to_point(1.0, 5.0).y()
    image = canvas.grab().toImage()
    corner = QtGui.QColor(image.pixel(round(x + 8), round(y + 8)))
    assert corner.name() == "#ffffff"


def test_text_lines_stack_and_an_anchor_places_the_box(canvas):
    one = canvas.add(Text("one line", anchor=(0.0, 0.0)), frame=True)
    one.set_pos(0.0, 5.0)
    two = canvas.add(Text("first\nsecond", anchor=(0.0, 0.0)), frame=True)
    font, fm = two._font_and_metrics(canvas.font())
    assert fm.lineSpacing() > 0 and two.toPlainText() == "first\nsecond"
    two.set_anchor((1.0, 1.0))
    assert two.anchor == (1.0, 1.0)
    two.set_pos(-1.0, 5.0)
    svg = canvas.render_svg().decode("utf-8")
    assert "first" in svg and "second" in svg and "one line" in svg


def test_an_inverted_x_axis_grows_to_the_left(canvas, qtbot):
    canvas.set_log(True, True)
    canvas.set_invert_x(True)
    canvas.set_range((-16.0, 0.0), (-12.0, 0.0))
    (x0, x1), _ = canvas.view_range()
    assert (x0, x1) == (0.0, -16.0)  # left to right
    r = canvas.plot_rect()
    px, _ = canvas.data_to_px([1.0, 1e-16], [1.0, 1.0])
    assert px == pytest.approx([r.left(), r.right()])
    assert canvas.point_to_data(canvas.data_to_point(1e-4, 1e-6)) == pytest.approx((1e-4, 1e-6))
    ticks = canvas.layout_info.x_ticks
    assert len(ticks) >= 3 and all(label.startswith("10") for _, label in ticks)
    xs = [canvas.layout_info.x_px(v) for v, _ in ticks]
    values = [v for v, _ in ticks]
    assert np.all(np.diff(xs) * np.diff(values) < 0)  # bigger h further left
    canvas.pan_zoom = True
    p0 = canvas.data_to_point(1e-8, 1e-6).toPoint()
    qtbot.mousePress(canvas, QtCore.Qt.LeftButton, pos=p0)
    qtbot.mouseMove(canvas, p0 + QtCore.QPoint(40, 0))
    qtbot.mouseRelease(canvas, QtCore.Qt.LeftButton, pos=p0 + QtCore.QPoint(40, 0))
    (a0, a1), _ = canvas.view_range()
    assert a0 > a1 and a1 - a0 == pytest.approx(-16.0)  # still inverted, same span
    # The data under the pointer followed it.
    assert canvas.point_to_data(QtCore.QPointF(p0 + QtCore.QPoint(40, 0)))[0] == \
        pytest.approx(1e-8, rel=0.05)


def test_fixed_ticks_replace_automatic_ones_inside_the_range(canvas):
    canvas.set_range((0.0, 360.0), (-1.0, 1.0))
    canvas.set_ticks("bottom", [(t, f"{t}°") for t in range(-90, 451, 90)])
    assert [v for v, _ in canvas.layout_info.x_ticks] == [0, 90, 180, 270, 360]
    assert canvas.layout_info.x_ticks[1][1] == "90°"
    canvas.set_ticks("bottom", None)
    assert [v for v, _ in canvas.layout_info.x_ticks] != [0, 90, 180, 270, 360]


def test_dashed_pens_have_flat_caps_and_lines_are_crisp(canvas):
    assert make_pen("#000", 2, QtCore.Qt.DashLine).capStyle() == QtCore.Qt.FlatCap
    assert make_pen("#000", 2).capStyle() == QtCore.Qt.RoundCap
    canvas.add(InfiniteLine(90, 0.3, pen=make_pen("#000000", 1)), frame=True)
    canvas.add(Curve(pen=make_pen("#D55E00", 3)), frame=True).set_data([-2, 2], [1, 1])
    image = canvas.grab().toImage()
    x = canvas.data_to_point(0.3, 5.0).x()
    y = round(canvas.data_to_point(0.3, 5.0).y())
    dark = [QtGui.QColor(image.pixel(c, y)).lightness() < 60 for c in range(int(x) - 2,
                                                                          int(x) + 3)]
    assert sum(dark) == 1  # one whole pixel, not two half-blended ones


def test_an_inside_text_is_moved_whole_into_the_plot_area(canvas):
    # Anchored left of a point near the plot's left edge, a long label would be cut off.
    long = "slope = −0.123456"
    cut = canvas.add(Text(long, "#ff0000", anchor=(1.08, 1.15)), frame=True)
    whole = canvas.add(Text(long, "#0000ff", anchor=(1.08, 1.15), inside=True), frame=True)
    cut.set_pos(-1.8, 9.9)
    whole.set_pos(-1.8, 9.9)
    area = canvas.plot_rect()
    assert not area.contains(cut.box(canvas))
    assert area.contains(whole.box(canvas))
    # What is painted: the blue text lies inside the plot area, and all of it is there.
    image = canvas.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB32)
    dpr = image.devicePixelRatio()
    ptr = image.constBits()
    rgb = np.frombuffer(ptr, np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    blue = (rgb[..., 0] > 180) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)  # BGRA
    ys, xs = np.nonzero(blue)
    assert len(xs) > 30
    inside = whole.box(canvas)
    assert xs.min() / dpr >= area.left() - 1 and xs.max() / dpr <= area.right() + 1
    assert xs.min() / dpr <= inside.left() + 6 and xs.max() / dpr >= inside.right() - 6


def test_neutral_inks_are_mirrored_on_a_dark_ground_only_when_asked(canvas):
    black, grey, blue = (QtGui.QColor(c) for c in ("#111111", "#bcbcbc", "#0072B2"))
    canvas.setBackground("#26282c")
    assert canvas.ink(black) == black  # not asked: the plot chooses its colours itself
    canvas.mirror_inks = True
    assert canvas.ink(black).lightness() == 255 - black.lightness()
    # A light grey (faint on white) is mirrored, but keeps its distance from the dark ground.
    ground = canvas.backgroundBrush().color().lightness()
    assert canvas.ink(grey).lightness() == max(255 - grey.lightness(), ground + 60)
    assert canvas.ink(grey).lightness() > ground + 50
    # A colour keeps its hue, lightened just to 3 : 1 with the ground where it was less
    # (the Gradient tab's ∇f arrow, #c00000, was 2.3 : 1 on the dark theme)
    from gdviz.ui.colors import contrast_ratio

    for color in (blue, QtGui.QColor("#c00000")):
        inked = canvas.ink(color)
        assert 3.0 <= contrast_ratio(inked.name(), "#26282c") < 3.3, inked.name()
        assert abs(inked.hslHue() - color.hslHue()) <= 6
    light = QtGui.QColor("#56b4e9")  # (already 3 : 1 and more: as it is)
    assert canvas.ink(light) == light
    pen = make_pen("#111111", 3)
    assert canvas.ink_pen(pen).color().lightness() > 200 and pen.color() == black
    canvas.setBackground("w")
    assert canvas.ink(black) == black and canvas.ink_pen(pen) is pen


def test_an_inside_text_wider_than_the_plot_gets_smaller_type(canvas):
    label = canvas.add(Text("slope = −0.1217 (a label for a much wider plot)", anchor=(1, 1),
                            scale=1.5, inside=True), frame=True)
    label.set_pos(0.0, 5.0)
    plain = canvas.add(Text(label.text, anchor=(1, 1), scale=1.5), frame=True)
    plain.set_pos(0.0, 5.0)
    area = canvas.plot_rect()
    assert plain.box(canvas).width() > area.width()  # as wide as its type makes it
    box = label.box(canvas)
    assert area.contains(box) and box.width() > 0.8 * area.width()
    # The type grows back where there is room.
    canvas.resize(900, 300)
    QtWidgets.QApplication.processEvents()
    wide = label.box(canvas)
    assert wide.width() == pytest.approx(plain.box(canvas).width())


def test_a_fill_that_names_a_run_keeps_its_colour_on_a_dark_ground(canvas):
    canvas.setBackground("#26282c")
    canvas.mirror_inks = True
    neutral = canvas.add(Points(20, "#111111", None), frame=True)
    run = canvas.add(Points(20, "#000000", None), frame=True)
    run.mirror_fill = False
    neutral.set_data([-1.0], [5.0])
    run.set_data([1.0], [5.0])
    assert _color_at(canvas, -1.0, 5.0).lightness() > 200  # a black ink, drawn light
    assert _color_at(canvas, 1.0, 5.0).name() == "#000000"  # the seventh run's black


def test_a_fitted_label_keeps_its_type_size_while_its_text_changes(canvas):
    label = canvas.add(Text("slope = −0.1217 (a label for a much wider plot)", anchor=(1, 1),
                            scale=1.5, inside=True), frame=True)
    label.set_pos(0.0, 5.0)
    base = canvas.font()
    small = label._font_and_box(canvas)[0]
    assert QtGui.QFontInfo(small).pixelSize() < 1.5 * QtGui.QFontInfo(base).pixelSize() - 1
    # A slightly shorter value (the next frame's) keeps the size: the label does not pulse.
    label.set_text("slope = 0.14 (a label for a much wider plot)")
    assert QtGui.QFontInfo(label._font_and_box(canvas)[0]).pixelSize() == \
        QtGui.QFontInfo(small).pixelSize()


def test_a_shrunk_label_takes_its_full_size_again_when_it_fits_well(canvas):
    label = canvas.add(Text("slope = −0.1217 (a label for a much wider plot)", anchor=(1, 1),
                            scale=1.5, inside=True), frame=True)
    label.set_pos(0.0, 5.0)
    full = QtGui.QFontInfo(Text("x", scale=1.5)._font_and_metrics(canvas.font())[0])
    assert QtGui.QFontInfo(label._font_and_box(canvas)[0]).pixelSize() < full.pixelSize()
    label.set_text("slope = 1")  # (another loss: a short value)
    assert QtGui.QFontInfo(label._font_and_box(canvas)[0]).pixelSize() == full.pixelSize()


def test_a_labels_box_on_a_dark_ground_is_as_dark_as_the_ground(canvas):
    canvas.setBackground("#26282c")
    canvas.mirror_inks = True
    white = QtGui.QColor(255, 255, 255, 200)
    assert canvas.ink(white, floor=False).lightness() == 0  # the box: dark
    assert canvas.ink(white).lightness() > 60  # an outline: kept off the ground
