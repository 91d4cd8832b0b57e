"""The map's picture (gdviz.ui.map_raster.shade): colours from the colour map, level curves
shaded in by a pixel's distance to them, NaN transparent; checked against a plain float64
statement of the same rule."""

from __future__ import annotations

import numpy as np
import pytest

from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.colors import lookup_table
from gdviz.ui.map_raster import LINE_ALPHA, pixel_centres, shade

LUT = np.asarray(lookup_table(), dtype=np.uint8)


def reference(values, lo, hi, levels, width, lines=True):
    """The rule written out plainly, in float64 (slow, clear)."""
    v = np.asarray(values, dtype=np.float64)
    t = np.clip(np.nan_to_num((v - lo) * (255.0 / (hi - lo)), nan=0.0), 0, 255)
    rgba = LUT[t.astype(np.uint8)].astype(np.float64)
    s = (v - levels[0]) / (levels[1] - levels[0])
    gy, gx = np.gradient(s)  # central inside, one-sided at the border
    dist = np.abs(s - np.rint(s)) / np.hypot(gx, gy)
    cover = np.clip(0.5 * width + 0.5 - dist, 0, 1)
    # faded out where levels are closer than width + 1 px, fully drawn from twice that
    apart = 1.0 / np.hypot(gx, gy)
    cover *= np.clip((apart - (width + 1)) / (width + 1), 0, 1)
    cover[(s < -0.5) | (s > len(levels) - 0.5) | ~np.isfinite(cover)] = 0
    alpha = cover[..., None] * LINE_ALPHA * lines
    rgba[..., :3] += (255 - rgba[..., :3]) * alpha[..., :1]
    out = rgba.astype(np.uint8)
    out[~np.isfinite(v)] = 0
    return out


def sampled(fn, size=(240, 180), domain=((-3, 3), (-2, 2.5))):
    x, y = pixel_centres(domain, *size)
    with np.errstate(all="ignore"):
        return np.broadcast_to(fn(x[None, :], y[:, None]), (size[1], size[0]))


@pytest.mark.parametrize("fn", [
    lambda x, y: (x * x + y - 1) ** 2 + (x + y * y - 2) ** 2,
    lambda x, y: np.sin(3 * x) * np.cos(2 * y),
    lambda x, y: np.log(x) + y,  # NaN on half the map
    lambda x, y: x + 0 * y,  # straight, evenly spaced lines
])
@pytest.mark.parametrize("width", [1.2, 3.0])
def test_the_picture_follows_the_rule(fn, width):
    v = sampled(fn)
    finite = v[np.isfinite(v)]
    lo, hi = np.percentile(finite, [2, 98])
    levels = np.linspace(lo, hi, 10)
    got = shade(v, lo, hi, levels, width).astype(int)
    want = reference(v, lo, hi, levels, width).astype(int)
    assert got.shape == v.shape + (4,) and got.dtype == int
    diff = np.abs(got - want).max(axis=-1)
    # float32 coverage and integer blending against float64: a level or two on line pixels
    assert diff.max() <= 2
    assert (diff > 1).mean() < 0.01
    on_a_line = (want != reference(v, lo, hi, levels, width, lines=False)).any(axis=-1)
    assert on_a_line.mean() > 0.02  # there are lines to compare


def test_lines_sit_on_the_levels_and_nowhere_else():
    # f = x on a 200 px wide map of [0, 10]: 20 px per unit; levels at 2, 4, 6, 8.
    v = sampled(lambda x, y: x + 0 * y, size=(200, 20), domain=((0, 10), (0, 1)))
    levels = np.array([2.0, 4.0, 6.0, 8.0])
    got = shade(v, 0.0, 10.0, levels, 1.0)
    plain = np.asarray(LUT[np.clip((v[0] * 25.5), 0, 255).astype(np.uint8)], dtype=int)
    whitened = (got[0, :, :3].astype(int) - plain[:, :3]).sum(axis=1) > 0
    columns = np.flatnonzero(whitened)
    centres = (columns + 0.5) / 20.0
    assert set(np.round(centres).astype(int)) == {2, 4, 6, 8}
    assert np.all(np.abs(centres - np.round(centres)) <= 1.0 / 20.0 + 1e-9)  # ≤ 1 px away
    assert not whitened[: 2 * 20 - 2].any() and not whitened[8 * 20 + 2:].any()


@pytest.mark.parametrize("width", [1.0, 2.0])
def test_crowded_levels_fade_out_instead_of_running_together(width):
    """Levels closer than a line and its gap (Rastrigin's rims on a small map) made a white
    moiré; they fade out there and keep full strength where they are apart."""
    def lines(per_px: float) -> float:
        # f = x with a level every 1/per_px pixels: the fraction of pixels whitened
        v = sampled(lambda x, y: x + 0 * y, size=(200, 8), domain=((0, 200 * per_px), (0, 1)))
        levels = np.arange(0.0, 200 * per_px + 1)
        got = shade(v, 0.0, 200 * per_px, levels, width).astype(int)
        plain = shade(v, 0.0, 200 * per_px, levels[:0], width).astype(int)
        return float(np.abs(got - plain)[..., :3].sum(axis=-1).mean())

    assert lines(1 / (width + 1)) == 0.0  # width + 1 px apart: gone
    assert lines(1 / (1.5 * (width + 1))) > 0  # fading in
    full = lines(1 / (2 * (width + 1)))
    assert full > lines(1 / (1.5 * (width + 1)))
    assert lines(1 / (4 * (width + 1))) > 0.3 * full  # apart: drawn (fewer lines, as strong)


def test_undefined_points_are_transparent():
    v = sampled(lambda x, y: np.log(x) + y)
    got = shade(v, -2.0, 2.0, np.linspace(-2, 2, 10), 1.2)
    assert np.all(got[~np.isfinite(v)] == 0)
    assert np.all(got[np.isfinite(v)][:, 3] == 255)


@pytest.mark.parametrize("scale", [1e40, 1e300, 1e-50, 1e-300])
def test_values_beyond_float32_are_coloured_as_any_others(scale):
    """1e40·x² drew a blank map: cast to float32 every value became inf, "no value"; and
    1e-50·(x² + y²) one too: every value became 0, a colour range of none."""
    v = sampled(lambda x, y: scale * (x * x + 0 * y), size=(200, 20), domain=((-1, 1), (0, 1)))
    levels = np.linspace(0.1, 0.9, 5) * scale
    got = shade(v, 0.0, scale, levels, 1.0)
    assert np.all(got[..., 3] == 255)  # all opaque
    same = shade(v / scale, 0.0, 1.0, levels / scale, 1.0)  # as the unit-sized map
    assert np.abs(got.astype(int) - same.astype(int)).max() <= 2


@pytest.mark.parametrize("offset", [1e6, -123456.789, 1e12])
def test_a_narrow_range_far_from_0_is_coloured_as_the_same_range_at_0(offset):
    """10⁶ + x² + y² drew two or three flat bands with no contour lines: in float32 (7
    digits) its values were a few steps apart."""
    span = 15.0
    v = sampled(lambda x, y: span * (x * x + 0 * y), size=(200, 20), domain=((-1, 1), (0, 1)))
    levels = np.linspace(1.0, 14.0, 8)
    got = shade(v + offset, offset, offset + span, levels + offset, 1.0)
    same = shade(v, 0.0, span, levels, 1.0)
    assert np.abs(got.astype(int) - same.astype(int)).max() <= 2


def test_the_colour_bar_makes_room_for_long_labels(qapp):
    """Its labels were given the width of "−0.000": 10⁶ + x² + y²'s "1.000015e6" was cut
    at the window's edge."""
    from gdviz.ui.canvas.ticks import tick_labels, tick_values
    from gdviz.ui.map_layers import bar_margin

    font = QtGui.QFont()
    fm = QtGui.QFontMetricsF(font)
    assert bar_margin(font, -3.0, 3.0, 400.0) == bar_margin(font)  # (short labels)
    for height in (400.0, 1158.0):
        wide = bar_margin(font, 1e6, 1e6 + 15.0, height)
        # (whatever share of it the plot, and so the bar, takes: its labels fit)
        for share in np.linspace(0.6, 1.0, 9):
            values, step = tick_values(1e6, 1e6 + 15.0, share * height / (3.5 * fm.height()))
            longest = max(fm.horizontalAdvance(t) for t in tick_labels(values, step))
            assert wide - bar_margin(font) >= longest - fm.horizontalAdvance("−0.000") - 1e-9


def test_values_beyond_float32_beside_a_small_range_take_the_end_colours():
    v = np.array([[0.5, 1e39, -1e39, np.nan]] * 2)
    got = shade(v, 0.0, 1.0, np.array([0.25, 0.75]), 1.0)
    assert np.all(got[:, :3, 3] == 255) and np.all(got[:, 3] == 0)  # only NaN transparent
    lut = np.asarray(LUT)
    assert np.array_equal(got[0, 1, :3], lut[255][:3]) and np.array_equal(got[0, 2, :3],
                                                                        lut[0][:3])


def test_the_window_copies_the_picture_pixel_for_pixel(window, user):
    """The map's picture is made at the map's size and copied as it is (no resampling)."""
    from PySide6 import QtGui

    user.choose("fieldCombo", "off")
    user.type_loss("x^2 + 3*y^2")
    view = window.contour
    picture = view.map_picture().convertToFormat(QtGui.QImage.Format.Format_RGB32)
    (a0, _), (_, b1) = view.grid.domain
    x0, y0 = view.data_to_px(a0, b1)
    static = view._render_static().convertToFormat(QtGui.QImage.Format.Format_RGB32)
    w, h = picture.width(), picture.height()

    def pixels(image, x, y):
        raw = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
        rows = raw.reshape(image.height(), image.bytesPerLine())[:, :4 * image.width()]
        return rows.reshape(image.height(), image.width(), 4)[y:y + h, x:x + w, :3]

    shown = pixels(static, round(float(x0)), round(float(y0)))
    assert shown.shape == (h, w, 3)
    same = np.all(shown == pixels(picture, 0, 0), axis=-1)
    # All but the level labels and the plot's frame are the picture's own pixels.
    assert same.mean() > 0.9, same.mean()


@pytest.mark.parametrize("dpr", [1.0, 1.25, 2.0])
def test_a_picture_of_its_box_covers_the_clipped_rectangle_exactly(dpr):
    """Drawn where Qt clips the plot (each edge rounded on its own), the map's picture leaves
    no gap of background at any edge, for any fractional rectangle."""
    from PySide6 import QtCore, QtGui

    from gdviz.ui.map_layers import device_box, paint_picture

    rng = np.random.default_rng(int(dpr * 100))
    for _ in range(40):
        x, y = rng.uniform(10, 60, 2)
        w, h = rng.uniform(100, 200, 2)
        rect = QtCore.QRectF(x, y, w, h)
        bx, by, bw, bh = device_box(rect, dpr)
        picture = QtGui.QImage(bw, bh, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        picture.fill(QtGui.QColor("red"))
        canvas = QtGui.QImage(round(300 * dpr), round(300 * dpr), QtGui.QImage.Format.Format_RGB32)
        canvas.setDevicePixelRatio(dpr)
        canvas.fill(QtGui.QColor("white"))
        p = QtGui.QPainter(canvas)
        p.setClipRect(rect)
        paint_picture(p, picture, rect, dpr)
        p.end()
        raw = np.frombuffer(canvas.constBits(), np.uint32, canvas.sizeInBytes() // 4)
        red = (raw.reshape(canvas.height(), -1)[:, :canvas.width()] & 0xFFFFFF) == 0xFF0000
        rows, cols = np.nonzero(red)
        assert (rows.min(), cols.min(), rows.max() + 1, cols.max() + 1) == (by, bx, by + bh,
                                                                            bx + bw)
        assert red[by:by + bh, bx:bx + bw].all()  # no gap


def test_level_labels_read_plainly():
    from gdviz.ui.map_labels import format_level

    assert [format_level(v) for v in (0, 0.5, 63.1, 1000, -1500, 12000, 2.5e5, 1e-60)] == \
        ["0", "0.5", "63.1", "1000", "−1500", "12000", "2.5e5", "1e−60"]  # never "1e+03"
    # (plain up to 10⁵, as the colour bar's ticks: "1.2e4" beside its 12000)
    assert format_level(float("nan")) == ""


def test_a_label_at_the_frame_edge_is_moved_inside_it(qapp):
    # A label on a curve meeting the map's edge was cut in half ("6" of "600").
    from gdviz.ui.map_labels import paint_labels

    class Canvas:
        def plot_rect(self):
            return QtCore.QRectF(50, 20, 300, 200)

        def data_to_px(self, a, b):
            return a, b  # (data are pixels here)

    class Recorder(QtGui.QPainter):
        boxes: list = []

        def drawRoundedRect(self, box, *args):  # noqa: N802 - Qt's name
            self.boxes.append(QtCore.QRectF(box))
            super().drawRoundedRect(box, *args)

    image = QtGui.QImage(400, 300, QtGui.QImage.Format.Format_ARGB32)
    painter = Recorder(image)
    labels = [(50.5, 100, "600"), (349, 219, "1e+04"), (200, 100, "3"), (10, 100, "gone")]
    paint_labels(painter, Canvas(), labels, QtGui.QFont())
    painter.end()
    boxes = Recorder.boxes
    assert len(boxes) == 3  # the one outside the frame is not drawn
    frame = Canvas().plot_rect()
    assert all(frame.contains(box) for box in boxes)
    assert boxes[0].left() <= 52 and boxes[1].right() >= 347  # beside their curves still
    assert boxes[2].center().x() == 200  # one well inside stays centred on its spot


def test_level_labels_near_a_floor_are_told_apart():
    # Above a minimum of 3 a log map's levels 3.00001, 3.0001, 3.001 all read "3".
    from gdviz.core.levels import log_level_value, log_levels
    from gdviz.ui.map_labels import format_levels

    for floor in (3.0, 3.0001234, -1.0, 1e6):
        values = [log_level_value(v, floor, 1e-9) for v in log_levels(-6, 5, floor, 1e-9, 10)]
        texts = format_levels(values)
        assert len(set(texts)) == len(texts), texts
        assert not any("e+" in t or "e−0" in t or "-" in t for t in texts), texts  # 1e6
        gaps = np.diff(values)
        for i, (text, value) in enumerate(zip(texts, values, strict=True)):
            gap = min(gaps[max(i - 1, 0)], gaps[min(i, len(gaps) - 1)])
            assert abs(float(text.replace("−", "-")) - value) <= 0.05 * gap, (text, value)
    # Levels already told apart keep their short labels
    assert format_levels([-0.5, 0.0, 0.5, 1000.0, 2.5e5]) == ["−0.5", "0", "0.5", "1000",
                                                              "2.5e5"]
    assert format_levels([1.0, float("nan")]) == ["1", ""]


def test_no_level_label_under_a_legend(window):
    # The legend is drawn over the map with each frame: a label under its box showed
    # through it ("150" behind the basins' legend).
    contour = window.contour
    contour.legend.visible = True
    box = contour.legend.rect(contour.plot_rect(), contour.font(), contour.dark)
    assert box is not None
    (a0, a1), (b0, b1) = contour.visible_domain()
    inside = contour.px_to_data(box.center().x(), box.center().y())
    outside = ((a0 + a1) / 2, (b0 + b1) / 2)
    drawn = []
    from gdviz.ui import map_labels

    class Recorder(QtGui.QPainter):
        def drawText(self, *args):  # noqa: N802 - Qt's name
            drawn.append(args[-1])
            super().drawText(*args)

    image = QtGui.QImage(contour.width(), contour.height(), QtGui.QImage.Format.Format_ARGB32)
    painter = Recorder(image)
    map_labels.paint_labels(painter, contour, [(*inside, "under"), (*outside, "clear")],
                            contour.font(), [box])
    painter.end()
    assert drawn == ["clear"]


def test_the_map_keeps_its_labels_out_of_its_legends(window, monkeypatch):
    from gdviz.ui import map_labels

    contour = window.contour
    contour.legend.visible = True
    seen = []
    real = map_labels.paint_labels

    def spy(p, canvas, labels, font, avoid=(), *places_and_paths):
        seen.append(list(avoid))
        return real(p, canvas, labels, font, avoid, *places_and_paths)

    monkeypatch.setattr(map_labels, "paint_labels", spy)
    contour.invalidate()
    contour.grab()
    box = contour.legend.rect(contour.plot_rect(), contour.font(), contour.dark)
    assert seen and box in seen[-1]


def test_no_level_label_under_a_run_s_start_or_end_marker(window):
    """Himmelblau's "16" lay under Momentum's end marker (read "1"): a run started on a
    label's place takes it off, and so does its path's end."""
    from gdviz.core.session import RunSpec

    contour = window.contour
    window.wait_idle()
    contour.grab()
    frame = contour.plot_rect()
    labels = [(a, b, t) for a, b, t in contour.contour_labels
              if frame.adjusted(40, 40, -40, -40).contains(*map(float, contour.data_to_px(a, b)))]
    assert labels
    a, b, text = labels[0]
    c = window.controller
    c.runs[0].spec = RunSpec("gd", 0.01, (float(a), float(b)), steps=3)
    c.recompute()
    window.wait_idle()
    contour.grab()
    markers = contour.legends.marker_boxes()
    assert len(markers) == 2
    x, y = (float(v) for v in contour.data_to_px(a, b))
    assert markers[0].contains(x, y)
    assert not any(box.intersects(m) for box in contour.label_boxes for m in markers), text


def test_legend_and_level_label_boxes_hide_what_is_under_them(qapp):
    """A field arrow under the legend's translucent box crossed its entries ("∇f (uphill)"
    with a red shaft through it), and one under a level label crossed out its digits: the
    boxes are nearly opaque now. Painted over pure red, a box's inside stays nearly white."""
    from gdviz.ui.map_labels import paint_labels
    from gdviz.ui.map_overlays import Legend

    class Canvas:  # (what paint_labels asks of the map)
        def plot_rect(self):
            return QtCore.QRectF(0, 0, 300, 200)

        def data_to_px(self, a, b):
            return a, b

    image = QtGui.QImage(300, 200, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtGui.QColor("#ff0000"))
    font = QtGui.QFont()
    font.setPixelSize(14)
    legend = Legend(entries=[("grad", "∇f (uphill)", QtGui.QPen(QtGui.QColor("#0000ff"), 3))])
    p = QtGui.QPainter(image)
    legend.paint(p, QtCore.QRectF(0, 0, 300, 200), font, False)
    boxes = paint_labels(p, Canvas(), [(200.0, 150.0, "1.5")], font)
    p.end()
    box = legend.rect(QtCore.QRectF(0, 0, 300, 200), font, False)
    # the legend box's right-hand margin, past its text; the label box's corner, off its digits
    for x, y in ((box.right() - 3, box.center().y()), (boxes[0].left() + 3, boxes[0].top() + 3)):
        green = QtGui.QColor(image.pixel(round(x), round(y))).green()
        assert green >= 210, (x, y, green)  # (the legend was 200, the labels 170)


def test_the_steepest_field_arrows_have_a_light_rim(qapp):
    """The darkest field arrows (the steepest, maroon) lay in viridis' dark wells, purple
    on purple: they are drawn on a light rim, which shows on a dark ground."""
    from types import SimpleNamespace

    from gdviz.ui.map_layers import FIELD_COLORS, HALO_FROM, paint_field

    canvas = SimpleNamespace(data_to_px=lambda a, b: (np.asarray(a) * 10.0 + 20.0,
                                                     np.asarray(b) * 10.0 + 20.0))
    a = np.array([0.0, 4.0])
    field = (a, np.zeros(2), np.array([3.0, 3.0]), np.zeros(2), np.ones(2))
    image = QtGui.QImage(80, 40, QtGui.QImage.Format.Format_RGB32)
    for k, rimmed in ((len(FIELD_COLORS) - 1, True), (HALO_FROM - 1, False)):
        image.fill(QtGui.QColor("#440154"))  # (viridis' darkest)
        painter = QtGui.QPainter(image)
        paint_field(painter, canvas, field, np.full(2, k), 1.5)
        painter.end()
        rgb = np.array([[QtGui.QColor(image.pixel(x, y)).getRgb()[:3] for x in range(80)]
                        for y in range(40)])
        rim = (np.array([255, 255, 255]) * 150 + np.array([0x44, 0x01, 0x54]) * 105) / 255
        light = (np.abs(rgb - rim).max(axis=2) < 25).sum()  # (white at 150/255 on purple)
        assert (light > 20) == rimmed, (k, light)


def test_basin_swatches_grow_with_the_type(qapp):
    """The basins key's swatches were 12 pixels square beside presentation mode's 24-pixel
    type: a speck of colour to match against the map."""
    from gdviz.ui.map_overlays import Legend

    legend = Legend("bottom-right", swatches=True)
    legend.set_entries([("0", "→ (3, 2)  26%", QtGui.QPen(QtGui.QColor("#ff00ff")))])
    sides = []
    for px in (12, 24):
        font = QtGui.QFont("DejaVu Sans")
        font.setPixelSize(px)
        assert legend.box_size(font, False) is not None
        image = legend._image
        ink = [[image.pixelColor(x, y).name() == "#ff00ff" for x in range(image.width())]
               for y in range(image.height())]
        sides.append(max(sum(row) for row in ink))
    assert sides[0] >= 10 and sides[1] >= 1.5 * sides[0], sides


def test_level_labels_side_by_side_keep_a_digit_apart(qapp):
    """In presentation mode with Ctrl + twice, "−2" and "−3" at the map's foot were chips 4
    pixels apart, and read "−2−3": a label that close to another is left out."""
    from types import SimpleNamespace

    from PySide6 import QtCore, QtGui

    from gdviz.ui.map_labels import paint_labels

    font = QtGui.QFont()
    font.setPixelSize(24)
    fm = QtGui.QFontMetricsF(font)
    frame = QtCore.QRectF(0, 0, 600, 300)
    canvas = SimpleNamespace(plot_rect=lambda: frame, data_to_px=lambda a, b: (a, b))
    w = fm.horizontalAdvance("−2") + 6
    image = QtGui.QImage(600, 300, QtGui.QImage.Format.Format_ARGB32)
    for apart, shown in ((4.0, 1), (fm.horizontalAdvance("0") + 4.0, 2)):
        p = QtGui.QPainter(image)
        try:
            labels = [(100.0, 280.0, "−2"), (100.0 + w + apart, 280.0, "−3")]
            drawn = paint_labels(p, canvas, labels, font)
        finally:
            p.end()
        assert len(drawn) == shown, apart


def test_a_level_label_moves_off_a_run_s_path_or_goes(qapp):
    """Runs' paths are drawn over the level labels: Momentum's path through "16" read "1".
    A label goes to the next place along its curve that no path meets; where every place
    has a path through its digits, it is left out (a crossed-out "25" read "5")."""
    from gdviz.ui.map_labels import PathCells, crosses, paint_labels

    class Canvas:  # (what paint_labels asks of the map)
        def plot_rect(self):
            return QtCore.QRectF(0, 0, 300, 200)

        def data_to_px(self, a, b):
            return a, b

    font = QtGui.QFont()
    font.setPixelSize(14)
    image = QtGui.QImage(300, 200, QtGui.QImage.Format.Format_ARGB32_Premultiplied)

    def drawn(places, paths):
        p = QtGui.QPainter(image)
        try:
            return paint_labels(p, Canvas(), [(*places[0], "16")], font, (), [places], paths)
        finally:
            p.end()

    across = np.array([[50.0, 40.0, 150.0, 60.0]])  # (through (100, 50), a label's middle)
    assert crosses(QtCore.QRectF(90, 40, 20, 20), across)
    assert not crosses(QtCore.QRectF(90, 70, 20, 20), across)
    assert not crosses(QtCore.QRectF(0, 0, 20, 20), np.empty((0, 4)))
    places = [(100.0, 50.0), (200.0, 150.0)]
    (box,) = drawn(places, across)
    assert box.contains(200, 150) and not box.contains(100, 50)
    assert drawn(places, np.empty((0, 4)))[0].contains(100, 50)  # (no path: its first place)
    both = np.vstack([across, [[150.0, 140.0, 250.0, 160.0]]])
    assert drawn(places, both) == []
    # A path by the chip's edge, off its digits: there, where nothing better is free
    top = 50.0 - (QtGui.QFontMetricsF(font).height() + 2) / 2
    (edge,) = drawn([(100.0, 50.0)], np.array([[0.0, top - 1.5, 300.0, top - 1.5]]))
    assert edge.contains(100, 50)
    # A diverged run's step to 10⁹ pixels: its cells are the frame's, along the part within
    frame = QtCore.QRectF(0, 0, 300, 200)
    cells = PathCells(np.array([[100.0, 100.0, 1e9, 1e9]]), frame)
    assert cells.grid.size < 20000
    assert cells.meets(QtCore.QRectF(195, 195, 4, 4)) and cells.meets(QtCore.QRectF(98, 98, 4, 4))
    assert not cells.meets(QtCore.QRectF(10, 150, 20, 20))


def test_the_map_s_level_labels_keep_off_the_runs_paths(window, qtbot):
    """Himmelblau compared: the seven paths crossed "16", "25" and "10" (read "1", "5", "0").
    Once the runs are computed the labels are placed again, none with a path through its
    digits."""
    from gdviz.ui.map_labels import crosses, path_segments

    window.load_preset("himmelblau")
    window.menu_actions["compare"].trigger()
    qtbot.waitUntil(lambda: not window.classroom.compare.computing, timeout=60000)
    window.wait_idle()
    contour = window.contour
    contour.grab()
    qtbot.waitUntil(contour.level_labels.settled, timeout=5000)
    contour.grab()
    paths = path_segments(contour)
    assert len(paths) > 100 and len(contour.label_boxes) >= 3
    for box in contour.label_boxes:  # (each drawn 2 pixels larger than its chip)
        assert not crosses(box.adjusted(4, 3, -4, -3), paths), box


def test_a_path_bouncing_across_the_map_marks_a_bounded_number_of_points(monkeypatch):
    """RMSprop bouncing across the lecture's map for 100,000 steps asked for millions of
    points along its segments: the window froze as the map was drawn."""
    from gdviz.ui import map_labels

    frame = QtCore.QRectF(0, 0, 800, 500)
    rng = np.random.default_rng(1)
    n = 100_000
    pts = np.column_stack([np.where(np.arange(n) % 2, 750.0, 50.0) + rng.normal(0, 5, n),
                           rng.uniform(20, 480, n)])
    segments = np.column_stack([pts[:-1], pts[1:]])
    marked = []
    real = map_labels.PathCells._mark
    monkeypatch.setattr(map_labels.PathCells, "_mark",
                        lambda self, x, y: (marked.append(len(x)), real(self, x, y))[1])
    cells = map_labels.PathCells(segments, frame)
    assert marked[-1] <= map_labels.PathCells.MOST_POINTS
    # Still a mark of where the paths go: most of the band they sweep, little outside it.
    assert cells.grid[10:240, 25:375].mean() > 0.9 and not cells.grid[:5, :].any()


def test_equal_scales_stay_equal_when_the_colour_bar_widens(window, qtbot):
    """The colour bar's labels for 10⁶ + x² + y² widened its margin, and the plot with it,
    without fitting equal scales again: x and y went 4.5 % apart."""
    window.resize(1600, 1000)
    window.contour.set_equal_scales(True)
    window.wait_idle()
    window.apply_loss_text("1e6 + x^2 + y^2")
    window.wait_idle()
    qtbot.wait(50)
    sx, sy = window.contour.pixel_size()
    assert sx == pytest.approx(sy, rel=1e-6)


def test_no_colour_bar_where_f_is_undefined_all_over_the_map(window, monkeypatch):
    """sqrt(−x² − 1 − y²) hatched the whole map beside a colour bar from 0 to 1: a scale of
    nothing."""
    from gdviz.ui import map_layers

    calls = []
    real = map_layers.paint_colorbar
    monkeypatch.setattr(map_layers, "paint_colorbar",
                        lambda *args, **kw: (calls.append(args[2:4]), real(*args, **kw))[1])
    window.apply_loss_text("sqrt(-x^2 - 1 - y^2)")
    window.wait_idle()
    window.contour.grab()
    assert calls == []
    window.apply_loss_text("x^2 + y^2")
    window.wait_idle()
    window.contour.grab()
    assert calls


def test_no_level_label_over_a_minimum_of_the_map(window):
    """Himmelblau in presentation mode: "4" and "2.5", the labels of the innermost loops,
    sat on two of its minima — with the basins shown on their stars, "☆4"."""
    contour = window.contour
    window.load_preset("himmelblau")
    window.wait_idle()
    window.classroom.presentation.enter()
    try:
        window.wait_idle()
        contour.grab()
        floors = contour.legends.minimum_boxes()
        assert len(floors) == 4  # (Himmelblau's four, as sampled)
        assert not any(box.intersects(m) for box in contour.label_boxes for m in floors)
        window.menu_actions["basins"].setChecked(True)
        assert window.classroom.basins.wait(30000)
        contour.grab()
        stars = contour.legends.minimum_boxes()
        markers = contour.basins.markers
        assert len(stars) == len(markers) == 4
        for (a, b), box in zip(markers, stars, strict=True):
            assert box.contains(*(float(v) for v in contour.data_to_px(a, b)))
        assert not any(box.intersects(m) for box in contour.label_boxes for m in stars)
    finally:
        window.menu_actions["basins"].setChecked(False)
        window.classroom.presentation.leave()


def test_a_crowded_map_keeps_its_labels_off_its_lowest_minimum_alone(window):
    """Rastrigin's 121 minima: its labels keep off the lowest (kept off all, it had none)."""
    contour = window.contour
    window.load_preset("rastrigin")
    window.wait_idle()
    contour.grab()
    floors = contour.legends.minimum_boxes()
    assert len(floors) == 1
    x, y = (float(v) for v in contour.data_to_px(0.0, 0.0))
    assert floors[0].adjusted(-3, -3, 3, 3).contains(x, y)  # (its global minimum, sampled)


def test_a_log_map_s_colour_bar_is_ticked_with_f_as_its_labels_are(window):
    """Himmelblau's bar read log₁₀(f − min f), 0.5 to 2.5, beside its level labels of f
    itself, 2.5 to 400: the darkest "2.5" of the labels the lightest of the bar."""
    import math

    from gdviz.core.grid import log_transform
    from gdviz.ui import map_layers

    contour = window.contour
    window.load_preset("himmelblau")
    window.wait_idle()
    assert window._log and contour.colorbar_label == "f (log scale)"
    lo, hi = contour.levels_range
    fm_height = QtGui.QFontMetricsF(contour.font()).height()
    count = max(2.0, contour.plot_rect().height() / (3.5 * fm_height))
    values, texts = map_layers.bar_ticks(lo, hi, count, contour.bar_log)
    assert len(values) >= 2 and values == sorted(values)
    floor, eps = window._log_floor, window._log_eps
    for v, text in zip(values, texts, strict=True):
        f = float(text.replace("−", "-"))
        assert math.isclose(float(log_transform(np.array([f]), floor, eps)[0][0]), v,
                            abs_tol=1e-6), (v, text)  # (the tick sits where f is)
        assert len(text.replace(".", "").strip("0")) <= 2  # (round values: 10, 40, 100)
    # The margin holds the widest of them.
    widest = max(QtGui.QFontMetricsF(contour.font()).horizontalAdvance(t) for t in texts)
    assert contour.right_margin() >= map_layers.BAR_GAP + map_layers.BAR_WIDTH + widest


def test_the_map_makes_room_for_its_log_bar_s_labels(window):
    """The colour bar's margin was checked before a log map's ticks were set: switched to
    the log scale, the plot kept the linear bar's margin and wide labels of f (123456.3)
    were cut at the window's edge."""
    from gdviz.ui import map_layers

    contour = window.contour
    window.controller.set_loss_text("123456 + x^2 + y^2")
    window.wait_idle()
    window.view_options.log.setCurrentIndex(1)  # linear
    window.wait_idle()
    contour.grab()
    window.view_options.log.setCurrentIndex(2)  # logarithmic
    window.wait_idle()
    assert window._log and contour.bar_log is not None
    contour.grab()
    plot = contour.plot_rect()
    need = map_layers.bar_margin(contour.font(), *contour.levels_range, contour.height(),
                                 contour.bar_log)
    assert contour.width() - plot.right() >= need - 1, (contour.width() - plot.right(), need)


def test_a_log_bar_s_ticks_are_apart_and_never_blank(qapp):
    """Picks in neighbouring stretches of a short bar sat a level apart (labels on top of
    each other); a level whose f cannot be written made a blank tick."""
    from gdviz.ui import map_layers

    levels = np.linspace(0.0, 3.0, 13)  # (log₁₀ f: 1, 1.78, 3.16, 5.6, 10, … 1000)
    values, texts = map_layers.bar_ticks(0.0, 3.0, 3.0, (levels, lambda v: 10.0 ** v))
    assert len(values) >= 2 and "" not in texts
    assert min(np.diff(values)) >= 0.5 * 3.0 / 3
    assert {"1", "10", "100", "1000"} & set(texts)  # (round values of f)
    blank = map_layers.bar_ticks(0.0, 3.0, 3.0, (levels, lambda v: float("nan")))
    assert "" not in blank[1]


def test_a_log_bar_over_decades_is_ticked_at_even_decades(qapp):
    """exp(−(w1² + w2²))'s bar read 0.1, 0.001, 0.0001, 10⁻⁶ (the roundest f in each
    stretch): 0.01 and 10⁻⁵ left out, the steps uneven. Decades, every one where they fit,
    else every second (…); two decades alone keep the stretches' picks (10, 40, 100)."""
    from gdviz.ui import map_layers

    levels = np.linspace(-6.0, 0.0, 31)  # (log₁₀ f, f from 10⁻⁶ to 1 in fifths of a decade)
    values, texts = map_layers.bar_ticks(-6.0, 0.0, 8.0, (levels, lambda v: 10.0 ** v))
    assert texts == ["1e−6", "1e−5", "0.0001", "0.001", "0.01", "0.1", "1"]
    assert np.allclose(np.diff(values), 1.0)
    values, texts = map_layers.bar_ticks(-6.0, 0.0, 4.0, (levels, lambda v: 10.0 ** v))
    assert texts == ["1e−6", "0.0001", "0.01", "1"]  # (every second: exponents even)
    two = np.linspace(0.5, 2.5, 11)  # (f from 3.2 to 316: the decades 10 and 100 alone)
    values, texts = map_layers.bar_ticks(0.5, 2.5, 4.0, (two, lambda v: 10.0 ** v))
    assert len(texts) > 2


def test_arrows_of_one_steepness_are_one_shade():
    """The cone's ‖∇f‖ = 1 everywhere (0.9999999999999998 to 1.0000000000000002 as computed)
    was ranked into pale and dark arrows at random, beside a key saying "darker: steeper"."""
    from gdviz import parse_loss
    from gdviz.ui.map_layers import field_bins

    a, b = np.meshgrid(np.linspace(-3, 3, 18), np.linspace(-3, 3, 18))
    da, db = parse_loss("sqrt(w1^2 + w2^2)").gradient(a, b)
    bins = field_bins(np.hypot(da, db))
    assert len(np.unique(bins)) == 1
    # Steepness that differs keeps its order, the gentlest (10⁻²⁰ and 3·10⁻²⁰) too.
    bins = field_bins(np.array([1e-20, 3e-20, 1e-3, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]))
    assert list(bins) == sorted(bins) and bins[0] < bins[-1] and bins[0] == 0
    # (subnormal: the rounding unit underflowed to 0 and they went last, "steepest")
    assert list(field_bins(np.array([1e-320, 2e-320, 1.0, 2.0]))) == [0, 1, 3, 4]
