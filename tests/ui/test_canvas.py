"""The light plotting layer (gdviz.ui.canvas): ticks, the data ↔ pixel mapping, layers, pan and
zoom, log axes, exports."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtTest, QtWidgets

from gdviz.ui.canvas import Curve, InfiniteLine, ItemCanvas, PlotCanvas, Points, Text, make_pen
from gdviz.ui.canvas.polygons import finite_runs, polygon
from gdviz.ui.canvas.ticks import MINUS, log_tick_labels, nice_step, tick_labels, tick_values


# -- ticks ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("lo, hi, count", [(-4, 4, 2.6), (-1.5, 2.5, 8), (0, 150, 4),
                                           (1e-7, 3e-7, 4), (-0.25, -0.08, 5), (12e3, 15e4, 4),
                                           (0.1, 0.3, 1), (-1e9, 1e9, 6), (3.0, 3.0 + 1e-6, 5)])
def test_ticks_are_nice_inside_the_range_and_about_as_many_as_asked(lo, hi, count):
    values, step = tick_values(lo, hi, count)
    assert len(values) >= 2
    assert all(lo - 1e-12 <= v <= hi + 1e-12 for v in values)
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-9
    assert np.allclose(np.diff(values), step)
    assert len(values) - 1 <= 2.5 * max(count, 1) + 1
    labels = tick_labels(values, step)
    assert len(set(labels)) == len(labels), labels  # every tick reads differently


@pytest.mark.parametrize("hi", [1.4688e-319, 3e-310, 1e-300, 2.5e-12])
def test_ticks_of_a_range_of_denormal_size(hi):
    """A map of exp(−40(x² + y²)) dragged far off: its colour bar ran 0 to 1.47·10⁻³¹⁹, and
    tick_labels raised OverflowError (10 ** 320, an int, to a float) on every repaint."""
    values, step = tick_values(0.0, hi, 6)
    labels = tick_labels(values, step)
    assert values and len(set(labels)) == len(labels), labels
    assert all("e" in t or t == "0" for t in labels), labels


def test_tick_labels_use_a_real_minus_and_short_forms():
    values, step = tick_values(-1.0, 1.0, 4)
    labels = tick_labels(values, step)
    assert labels[0].startswith(MINUS) and "-" not in "".join(labels)
    assert tick_labels([0.0, 50.0, 100.0], 50.0) == ["0", "50", "100"]
    assert tick_labels([5e4, 1e5], 5e4) == ["5e4", "1e5"]
    # A narrow range of moderate values in plain decimals, not 9.99999950435e−1
    # (a plateau's loss plot), and e-notation in one length for all (1.1596411701e11 beside
    # 1.15964117008e11: each label's zeros were stripped on its own)
    values, step = tick_values(0.9999999504, 0.99999995045, 5)
    assert tick_labels(values, step)[:2] == ["0.99999995040", "0.99999995041"]
    values, step = tick_values(1.15964117e11, 1.15964117020e11, 4)
    labels = tick_labels(values, step)
    assert len({len(t) for t in labels}) == 1 and labels[0] == "1.15964117000e11", labels
    assert log_tick_labels([-3.0, 0.0, 2.0], 1.0) == ["10⁻³", "10⁰", "10²"]
    assert nice_step(10.0, 5) == 2.0
    assert tick_values(1.0, 1.0, 5) == ([], 1.0)  # an empty range has no ticks


# -- geometry helpers ------------------------------------------------------------------------
def test_polygon_copies_points_and_finite_runs_split_at_nan(qapp):
    pts = np.array([[0.0, 1.0], [2.0, 3.0], [4.5, -1.0]])
    poly = polygon(pts)
    assert [(poly.at(i).x(), poly.at(i).y()) for i in range(3)] == [tuple(p) for p in pts]
    assert polygon(np.empty((0, 2))).isEmpty()
    line = np.array([[0, 0], [1, 1], [np.nan, 0], [2, 2], [3, 3], [4, 4], [np.inf, 1], [5, 5]])
    pieces = finite_runs(line)
    assert [len(p) for p in pieces] == [2, 3]
    assert [len(p) for p in finite_runs(line, 1)] == [2, 3, 1]


# -- the canvas --------------------------------------------------------------------------------
def test_data_and_pixels_map_both_ways(canvas):
    r = canvas.plot_rect()
    assert 20 < r.left() < 120 and r.right() < 400 and r.bottom() < 300
    px, py = canvas.data_to_px([-2.0, 2.0], [0.0, 10.0])
    assert px == pytest.approx([r.left(), r.right()])
    assert py == pytest.approx([r.bottom(), r.top()])  # y grows upwards
    for a, b in [(0.3, 7.0), (-1.9, 0.1), (1.5, 9.5)]:
        assert canvas.point_to_data(canvas.data_to_point(a, b)) == pytest.approx((a, b))


def test_equal_scales_widen_the_range_to_square_units(canvas):
    canvas.set_aspect_locked(True)
    (x0, x1), (y0, y1) = canvas.view_range()
    r = canvas.plot_rect()
    assert (x1 - x0) / r.width() == pytest.approx((y1 - y0) / r.height(), rel=1e-6)
    assert x0 <= -2.0 and x1 >= 2.0 and y0 <= 0.0 and y1 >= 10.0  # the asked range is shown
    canvas.set_aspect_locked(False)
    assert canvas.view_range() == ((-2.0, 2.0), (0.0, 10.0))


def test_wheel_zooms_around_the_pointer_and_drag_pans(canvas, qtbot):
    moved = []
    canvas.userRangeChanged.connect(lambda: moved.append(canvas.view_range()))
    target = canvas.data_to_point(1.0, 5.0)
    event = QtGui.QWheelEvent(target, canvas.mapToGlobal(target), QtCore.QPoint(0, 0),
                              QtCore.QPoint(0, 120), QtCore.Qt.NoButton, QtCore.Qt.NoModifier,
                              QtCore.Qt.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(canvas, event)
    (x0, x1), (y0, y1) = canvas.view_range()
    assert x1 - x0 == pytest.approx(4.0 * 0.85)
    assert canvas.point_to_data(target) == pytest.approx((1.0, 5.0))  # the point stays put
    assert moved
    before = canvas.view_range()
    p0 = canvas.data_to_point(0.0, 5.0).toPoint()
    qtbot.mousePress(canvas, QtCore.Qt.LeftButton, pos=p0)
    qtbot.mouseMove(canvas, p0 + QtCore.QPoint(40, 0))
    qtbot.mouseRelease(canvas, QtCore.Qt.LeftButton, pos=p0 + QtCore.QPoint(40, 0))
    (a0, a1), _ = canvas.view_range()
    assert a0 < before[0][0] and a1 - a0 == pytest.approx(before[0][1] - before[0][0])


def test_a_click_without_moving_is_a_click(qtbot):
    class Clicks(PlotCanvas):
        def __init__(self):
            super().__init__()
            self.seen = []

        def clicked(self, x, y):
            self.seen.append((x, y))

    view = Clicks()
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.set_range((0.0, 1.0), (0.0, 1.0))
    view.show()
    assert QtTest.QTest.qWaitForWindowExposed(view)
    qtbot.mouseClick(view, QtCore.Qt.LeftButton, pos=view.data_to_point(0.25, 0.75).toPoint())
    assert len(view.seen) == 1 and view.seen[0] == pytest.approx((0.25, 0.75), abs=0.02)
    assert view.view_range() == ((0.0, 1.0), (0.0, 1.0))


def test_frame_items_repaint_without_rendering_the_static_layer(canvas, qtbot):
    curve = canvas.add(Curve(pen=make_pen("#009E73", 3)))
    marker = canvas.add(InfiniteLine(90, 0.0, make_pen("#555555")), frame=True)
    dot = canvas.add(Points(size=12, brush="#0072B2"), frame=True)
    curve.set_data(np.linspace(-2, 2, 50), np.linspace(0, 10, 50) ** 1.0)
    # grab() paints through paintEvent like the screen does, whether or not the window
    # manager has mapped the widget yet (repaint() does nothing before that).
    canvas.grab()
    renders = canvas.static_renders
    assert renders >= 1
    for v in (-1.0, 0.0, 1.0):
        marker.set_value(v)
        dot.set_data([v], [5.0])
        canvas.grab()
    assert canvas.static_renders == renders
    curve.set_data([0, 1], [1, 2])
    canvas.grab()
    assert canvas.static_renders == renders + 1
    image = canvas.grab().toImage()
    p = canvas.data_to_point(1.0, 5.0)
    assert QtGui.QColor(image.pixel(round(p.x()), round(p.y()))).name() == "#0072b2"


def test_new_data_keeps_the_axes_backdrop_and_paints_as_a_fresh_render(canvas):
    canvas.grid_alpha = 60
    curve = canvas.add(Curve(pen=make_pen("#009E73", 4)))
    curve.set_data(np.linspace(-2, 2, 80), np.linspace(-1, 11, 80))  # crosses the frame
    canvas.grab()
    backdrop = canvas._backdrop
    assert backdrop is not None
    curve.set_data(np.linspace(-2, 2, 80), np.linspace(11, -1, 80))
    shown = canvas.grab().toImage().convertToFormat(QtGui.QImage.Format_RGB32)
    assert canvas._backdrop is backdrop  # the axes were not drawn again...
    fresh = canvas.render_image().convertToFormat(QtGui.QImage.Format_RGB32)
    assert shown == fresh  # ...and the picture is the same as drawing everything afresh
    canvas.set_range((-3.0, 3.0), (0.0, 10.0))  # a new range: new ticks, a new backdrop
    canvas.grab()
    assert canvas._backdrop is not backdrop


def test_auto_range_and_log_axes(canvas):
    curve = canvas.add(Curve())
    curve.set_data([1e-8, 1e-4, 1.0], [1e-10, 1e-3, 10.0])
    canvas.set_log(True, True)
    canvas.auto_range(pad=0.0)
    (x0, x1), (y0, y1) = canvas.view_range()
    assert (x0, x1, y0, y1) == pytest.approx((-8.0, 0.0, -10.0, 1.0))
    px, py = canvas.data_to_px(1e-4, 1e-3)
    r = canvas.plot_rect()
    assert px == pytest.approx(r.left() + 0.5 * r.width())
    assert any(label.startswith("10") for _, label in canvas.layout_info.x_ticks)


def test_exports_draw_everything_afresh(canvas):
    canvas.add(Curve(pen=make_pen("#D55E00", 4))).set_data([-2, 2], [0, 10])
    canvas.add(Text("hello", anchor=(0.5, 0.5)), frame=True).set_pos(0.0, 5.0)
    big = canvas.render_image(2.0)
    assert (big.width(), big.height()) == (800, 600)
    mid = canvas.data_to_point(1.0, 7.5) * 2
    assert QtGui.QColor(big.pixel(round(mid.x()), round(mid.y()))).red() > 150
    svg = canvas.render_svg().decode("utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg and "hello" in svg


def test_an_svg_s_type_and_size_are_the_window_s(canvas):
    """At the SVG generator's own 72 dpi every text was written at 3/4 of its size (9 for
    12 pixels: small in its boxes), and the picture declared itself 4/3 as wide."""
    import re

    canvas.add(Text("hello", anchor=(0.5, 0.5)), frame=True).set_pos(0.0, 5.0)
    svg = canvas.render_svg().decode("utf-8")
    sizes = {float(v) for v in re.findall(r'font-size="([0-9.]+)"', svg)}
    assert QtGui.QFontInfo(canvas.font()).pixelSize() in sizes, sizes
    width_mm = float(re.search(r'<svg width="([0-9.]+)mm"', svg).group(1))
    assert width_mm == pytest.approx(canvas.width() / canvas.logicalDpiX() * 25.4, rel=0.01)


@pytest.mark.parametrize("scale", [0.7, 0.8, 0.9])
def test_an_export_drawn_smaller_keeps_every_row_of_its_pictures(qtbot, scale):
    """A GIF at 384 × 482 (the map drawn at 0.9 of its size) read "ficld ∇f (downhill)": the
    legend, a cached picture, was drawn scaled without smoothing and whole rows were dropped
    — the minus sign, the e's bar, the t's cross. A one-pixel line keeps its ink on any
    row."""

    class Lines(PlotCanvas):
        row = 0

        def paint_frame(self, p, export=False):
            picture = QtGui.QImage(60, 12, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
            picture.fill(QtCore.Qt.GlobalColor.transparent)  # (as the legend's)
            for x in range(60):
                picture.setPixel(x, self.row, QtGui.QColor("black").rgb())
            p.drawImage(QtCore.QPointF(40, 40), picture)

    view = Lines()
    qtbot.addWidget(view)
    view.resize(300, 200)
    for row in range(10):
        view.row = row
        image = view.render_image(scale).convertToFormat(QtGui.QImage.Format.Format_RGB32)
        darkest = min(QtGui.QColor(image.pixel(x, y)).lightness()
                      for x in range(round(60 * scale), round(95 * scale))  # (not the frame)
                      for y in range(round(38 * scale), round(54 * scale)))
        assert darkest < 200, (row, darkest)


def test_grid_and_frame_colours_are_mixed_with_an_opaque_background():
    from gdviz.ui.canvas import axes

    black, white = QtGui.QColor("black"), QtGui.QColor("white")
    mixed = axes.grid_color(black, white, 64)  # what fg at 64/255 over white looks like
    assert mixed.alpha() == 255
    assert abs(mixed.red() - round(255 * (1 - 64 / 255))) <= 1
    assert mixed.red() == mixed.green() == mixed.blue()
    # Over a translucent background nothing can be mixed: the colour stays translucent.
    glass = axes.grid_color(black, QtGui.QColor(0, 0, 0, 0), 64)
    assert glass.alpha() == 64 and glass.red() == 0


def test_a_long_smooth_curve_drawn_in_pieces_looks_like_the_whole_curve(painted):
    from gdviz.ui.canvas.polygons import CHUNK, stroke_chunks

    xs = np.linspace(-5.12, 5.12, 181)  # a slice of Rastrigin's loss: long and winding
    ys = 10 + xs**2 - 10 * np.cos(2 * np.pi * xs)
    pts = np.column_stack([20 + (xs + 5.12) * 35, 380 - ys * 8])
    assert len(pts) > 4 * CHUNK
    draw = painted
    pen = make_pen("#009E73", 4)
    whole = draw(lambda p: (p.setPen(pen), p.drawPolyline(polygon(pts))))
    pieces = draw(lambda p: stroke_chunks(p, pts, pen))
    ink = (whole.sum(axis=-1) < 700).sum()
    differ = (np.abs(whole - pieces).max(axis=-1) > 40).sum()
    assert ink > 3000 and differ < 0.01 * ink  # the same curve, joins a shade apart
    # A dashed line is not cut: its pattern runs on as in one polyline.
    dashed = make_pen("#111111", 2.5, QtCore.Qt.PenStyle.DashLine)
    assert (draw(lambda p: stroke_chunks(p, pts, dashed))
            == draw(lambda p: (p.setPen(dashed), p.drawPolyline(polygon(pts))))).all()


def test_a_moved_frame_item_repaints_the_plot_area_only_and_correctly(qtbot):
    canvas = ItemCanvas()
    qtbot.addWidget(canvas)
    canvas.set_axis_label("left", "f")
    canvas.set_range((0.0, 10.0), (0.0, 10.0))
    curve = canvas.add(Curve(pen=make_pen("#D55E00", 4), smooth=True), frame=True)
    curve.set_data([1, 5, 9], [1, 9, 1])
    canvas.resize(320, 240)
    canvas.show()
    assert QtTest.QTest.qWaitForWindowExposed(canvas)
    qtbot.wait(50)
    regions = []

    class Spy(QtCore.QObject):
        def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
            if event.type() == QtCore.QEvent.Type.Paint:
                regions.append(event.region().boundingRect())
            return False

    spy = Spy()
    canvas.installEventFilter(spy)
    curve.set_data([1, 5, 9], [9, 1, 9])  # the curve turns over
    qtbot.waitUntil(lambda: bool(regions))
    qtbot.wait(50)
    plot = canvas.plot_rect().toAlignedRect().adjusted(-1, -1, 1, 1)
    assert all(plot.contains(r) for r in regions)  # the axes were not painted again
    shown = canvas.screen().grabWindow(canvas.winId()).toImage()
    full = canvas.grab().toImage()
    fmt = QtGui.QImage.Format.Format_RGB32
    assert shown.convertToFormat(fmt) == full.convertToFormat(fmt).scaled(shown.size())


def test_only_round_capped_opaque_lines_are_stroked_in_pieces(painted):
    from gdviz.ui.canvas.polygons import stroke_chunks

    xs = np.linspace(0, 380, 120)
    pts = np.column_stack([xs + 10, 200 + 150 * np.sin(xs / 12)])
    draw = painted
    square = QtGui.QPen(QtGui.QColor("#0072B2"), 3)  # Qt's default: square caps
    glass = make_pen(QtGui.QColor(230, 159, 0, 110), 9)  # round caps, translucent
    for pen in (square, glass):
        whole = draw(lambda p, pen=pen: (p.setPen(pen), p.drawPolyline(polygon(pts))))
        assert (draw(lambda p, pen=pen: stroke_chunks(p, pts, pen)) == whole).all()


# -- axis layout -----------------------------------------------------------------------------
def test_a_narrow_plot_keeps_more_than_one_x_tick_where_two_fit(qapp):
    from gdviz.ui.canvas import axes

    font = QtGui.QFont(QtWidgets.QApplication.font())
    for px in (14, 22, 30):  # up to presentation-size type in a narrow lecture plot
        font.setPixelSize(px)
        fm = QtGui.QFontMetricsF(font)
        for width in range(120, 420, 10):
            lay = axes.compute_layout(QtCore.QSizeF(width, 300), (-4.0, 4.0), (0.0, 1.0), font,
                                      {"bottom": "x", "left": "f"})
            # (two where "−4" and "4" fit apart at the plot's ends; in a plot narrower than
            # that, one: two labels on top of each other tell nothing)
            ends = fm.horizontalAdvance("−4") + fm.horizontalAdvance("0")
            assert len(lay.x_ticks) >= (2 if lay.rect.width() >= ends else 1), \
                (px, width, lay.x_ticks)
            # ... and their labels do not run into each other (when two fit at all).
            r = lay.rect
            spans = []
            for value, label in lay.x_ticks:
                x = r.left() + (value + 4.0) / 8.0 * r.width()
                half = fm.horizontalAdvance(label) / 2
                spans.append((x - half, x + half))
            widest = max(b - a for a, b in spans)
            if 2 * widest + 4 <= r.width():
                assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1)), \
                    (px, width, lay.x_ticks)


def test_the_room_kept_on_the_right_also_takes_the_last_x_label(qapp):
    from gdviz.ui.canvas import axes

    font = QtGui.QFont(QtWidgets.QApplication.font())
    font.setPixelSize(20)
    size = QtCore.QSizeF(600, 400)
    bare = axes.compute_layout(size, (-5.0, 5.0), (0.0, 1.0), font, {})
    half_label = 600 - bare.rect.right()
    assert half_label >= 10
    # A colour bar's room (wider than half a label) is not added to the label's: the label
    # reaches into the room below the bar.
    bar = axes.compute_layout(size, (-5.0, 5.0), (0.0, 1.0), font, {}, right_extra=150.0)
    assert 600 - bar.rect.right() == pytest.approx(150.0)
    narrow = axes.compute_layout(size, (-5.0, 5.0), (0.0, 1.0), font, {}, right_extra=4.0)
    assert 600 - narrow.rect.right() == pytest.approx(half_label)


@pytest.mark.parametrize("height", [120, 150, 170, 200, 300])
def test_y_tick_labels_never_touch(qapp, height):
    """The Gradient tab's ∇f·u plot, 90 pixels tall in presentation mode's type, wrote five
    labels from "0.04" to "−0.04" in a touching column (a nice step gives more ticks than
    asked for): every other one goes, 0 kept, down to the two ends."""
    from gdviz.ui.canvas import axes

    font = QtGui.QFont(QtWidgets.QApplication.font())
    font.setPixelSize(19)
    lay = axes.compute_layout(QtCore.QSizeF(400, height), (0.0, 360.0), (-0.045, 0.045), font,
                              {"bottom": "angle", "left": "∇f·u"})
    values = [v for v, _ in lay.y_ticks]
    gaps = np.diff([lay.y_px(v) for v in values])
    line = QtGui.QFontMetricsF(font).height()
    assert len(values) >= 2 and (np.abs(gaps) >= line).all(), (height, values)
    if len(values) >= 3:
        assert 0.0 in values
    if height >= 300:  # (room enough: all of them)
        assert len(values) == 5


def test_a_tick_label_at_the_plot_s_end_is_kept_whole(qapp):
    """Zoomed ×10,000 on the h → 0 tab, the last x tick "−1.3056" read "−1.305": centred on
    its tick, it ran past the widget's edge."""
    from gdviz.ui.canvas.axes import AxisLayout, paint_axes

    image = QtGui.QImage(200, 100, QtGui.QImage.Format.Format_ARGB32)
    image.fill(QtCore.Qt.GlobalColor.white)
    lay = AxisLayout(QtCore.QRectF(40, 5, 158, 60), [(0.0, "−1.3058"), (1.0, "−1.3056")], [],
                     (0.0, 1.0), (0.0, 1.0))
    p = QtGui.QPainter(image)
    font = QtGui.QFont()
    font.setPixelSize(14)
    paint_axes(p, lay, font, QtGui.QColor("black"), {}, frame=False)
    p.end()
    ink = np.frombuffer(image.constBits(), np.uint8).reshape(100, 200, 4)[70:95, :, :3]
    dark = np.flatnonzero((ink < 128).any(axis=(0, 2)))
    assert dark.max() <= 198  # (ink stops short of the edge: the label is not cut)
    text_w = QtGui.QFontMetricsF(font).horizontalAdvance("−1.3056")
    assert dark.max() - dark.min() > text_w  # (both labels there)


def test_a_picture_covers_every_device_pixel_at_a_fractional_scale(canvas, monkeypatch):
    """At a scale of 1.5 a widget 227 pixels wide covers part of a 341st device pixel
    column; a picture 340 wide (rounded to the nearest) left it unpainted: a stray column
    of an older frame at the lecture plots' right edge."""
    canvas.resize(227, 151)
    monkeypatch.setattr(canvas, "devicePixelRatioF", lambda: 1.5)
    image = canvas._new_image()
    assert (image.width(), image.height()) == (341, 227)
    assert image.devicePixelRatio() == 1.5


def test_tick_labels_too_long_for_two_leave_one(qapp):
    """A close-up a hundredth wide around w1 = 1.39·10¹⁰ (a diverged run, Gradient tab)
    wrote three 14-digit labels on top of each other in a 190-pixel plot: one is left."""
    from gdviz.ui.canvas import axes

    font = QtGui.QFont(QtWidgets.QApplication.font())
    font.setPixelSize(16)
    fm = QtGui.QFontMetricsF(font)
    x_range = (13900305610.0, 13900305629.0)
    lay = axes.compute_layout(QtCore.QSizeF(300, 300), x_range, (0.0, 1.0), font, {})
    r = lay.rect
    spans = []
    for value, label in lay.x_ticks:
        x = r.left() + (value - x_range[0]) / (x_range[1] - x_range[0]) * r.width()
        spans.append((x - fm.horizontalAdvance(label) / 2, x + fm.horizontalAdvance(label) / 2))
    assert len(spans) >= 1
    assert all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1)), lay.x_ticks
