"""Things drawn over the 2D map: the legend, the slice line and the basins overlay's parts.

Small and mostly static; each is painted in logical widget pixels by the map canvas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gdviz.ui.arrows import clear_box_array
from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.legend_places import corner_rect
from gdviz.ui.numbers import axis_number

SLICE_COLOR = "#7B3294"


@dataclass
class SliceLine:
    """The line the "Slice" tab cuts along: b = value (``angle`` 0) or a = value (90)."""

    angle: int = 0
    _value: float = 0.0
    visible: bool = False
    name: str = "held"

    def value(self) -> float:
        return self._value

    def isVisible(self) -> bool:  # noqa: N802 - Qt's name
        return self.visible

    axis: tuple[float, float] = (0.0, 0.0)  # the held axis's visible range (for its digits)

    # (the text for the last value, range and name: asked for five times a playback frame)
    _said: tuple = field(default=(), repr=False, compare=False)

    @property
    def text(self) -> str:
        key = (self._value, self.axis, self.name)
        if self._said[:1] != (key,):
            shown, digits = axis_number(self._value, self.axis)
            value = f"{shown:.{digits}g}".replace("-", "−")  # (a real minus, as the axes)
            self._said = (key, f"slice: {self.name} = {value}")
        return self._said[1]


BOX_LIGHT, BOX_DARK = (255, 255, 255, 238), (40, 42, 46, 242)
"""The legends' box colours (RGBA)."""


SAMPLE = 34.0
"""Length (pixels) of a legend entry's line sample."""


LEGEND_LEAST_PX = 10
"""The smallest type a legend is set in where it is made smaller to fit (pixels)."""


@dataclass
class Legend:
    """Entries ``(key, text, QPen)`` in a box at a corner; cached as an image."""

    corner: str = "top-left"
    entries: list[tuple[str, str, QtGui.QPen]] = field(default_factory=list)
    visible: bool = True
    swatches: bool = False  # square colour swatches instead of line samples
    scale: float = 1.0  # its type, of the map's (the compact legend's last resort: smaller)
    least_px: int = LEGEND_LEAST_PX  # the smallest type ``scale`` makes
    _image: QtGui.QImage | None = None
    _key: tuple | None = None
    _font: QtGui.QFont | None = None  # (the type the picture was drawn in)

    def set_entries(self, entries) -> None:
        self.entries = list(entries)
        self._image = None

    def box_size(self, font: QtGui.QFont, dark: bool) -> QtCore.QSizeF | None:
        """The legend's size in ``font`` (None: nothing to show)."""
        if not self.visible or not self.entries:
            return None
        if self.scale != 1.0:
            # (``least_px`` at least, or the type's own if smaller: Himmelblau's basins at
            # 1366 × 768, 70 % of 12 pixels, could not be read)
            px = QtGui.QFontInfo(font).pixelSize()
            font = QtGui.QFont(font)
            font.setPixelSize(max(min(self.least_px, px), round(px * self.scale)))
        key = (tuple((k, t, pen.color().name(), pen.widthF(), pen.style().value)
                     for k, t, pen in self.entries), font.toString(), dark, self.swatches)
        if self._image is None or key != self._key:
            self._image, self._key, self._font = self._render(font, dark), key, font
        dpr = self._image.devicePixelRatio()
        return QtCore.QSizeF(self._image.width() / dpr, self._image.height() / dpr)

    def rect(self, plot: QtCore.QRectF, font: QtGui.QFont,
             dark: bool) -> QtCore.QRectF | None:
        """Where the legend is drawn in ``plot`` (None: not drawn). The map keeps its level
        labels out of it (a label under the box showed through it)."""
        size = self.box_size(font, dark)
        if size is None:
            return None
        if size.width() > plot.width() - 4 or size.height() > plot.height() - 4:
            return None  # a map too narrow for it (large type): no legend rather than a cut one
        return corner_rect(plot, size, self.corner)

    def paint(self, p: QtGui.QPainter, plot: QtCore.QRectF, font: QtGui.QFont,
              dark: bool) -> None:
        box = self.rect(plot, font, dark)
        if box is None:
            return
        if p.paintEngine().type() == QtGui.QPaintEngine.Type.SVG:
            # As lines and text in an SVG (a picture of it was blurred on a scaled slide)
            p.save()
            p.translate(box.topLeft())
            self._draw(p, self._font, dark, box.width(), box.height())
            p.restore()
        else:
            p.drawImage(box.topLeft(), self._image)

    def _render(self, font: QtGui.QFont, dark: bool) -> QtGui.QImage:
        fm = QtGui.QFontMetricsF(font)
        row = max(fm.height(), 14.0) + 4
        width = 10 + SAMPLE + 8 + max(fm.horizontalAdvance(t) for _, t, _ in self.entries) + 10
        height = 8 + row * len(self.entries) + 4
        image = QtGui.QImage(round(width), round(height),
                             QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QtCore.Qt.GlobalColor.transparent)
        p = QtGui.QPainter(image)
        self._draw(p, font, dark, width, height)
        p.end()
        return image

    def _draw(self, p: QtGui.QPainter, font: QtGui.QFont, dark: bool, width: float,
              height: float) -> None:
        """The legend's box and entries with its top left at the painter's origin."""
        fm = QtGui.QFontMetricsF(font)
        sample = SAMPLE
        row = max(fm.height(), 14.0) + 4
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtGui.QPen(QtGui.QColor("#888888"), 1.0))
        # Nearly opaque: the field's arrows under a lighter box showed through its entries
        # (a red shaft across "∇f (uphill)" reads as part of the key)
        p.setBrush(QtGui.QColor(*BOX_DARK) if dark else QtGui.QColor(*BOX_LIGHT))
        p.drawRect(QtCore.QRectF(0.5, 0.5, width - 1, height - 1))
        p.setFont(font)
        text_color = QtGui.QColor("#e6e6e6" if dark else "#111111")
        for i, (_key, text, pen) in enumerate(self.entries):
            y = 8 + row * i + row / 2
            if self.swatches:  # (as tall as most of a line: 12 pixels were a speck beside
                # presentation mode's 24-pixel type)
                side = max(12.0, round(0.7 * fm.height()))
                p.setPen(QtGui.QPen(QtGui.QColor("#555555"), 1.0))
                p.setBrush(pen.color())
                p.drawRect(QtCore.QRectF(10 + sample / 2 - side / 2, y - side / 2, side, side))
            else:
                p.setPen(pen)
                p.drawLine(QtCore.QPointF(10, y), QtCore.QPointF(10 + sample, y))
            p.setPen(text_color)
            p.drawText(QtCore.QPointF(10 + sample + 8, y + fm.ascent() / 2 - 1), text)


def show_basins(canvas, rgba: np.ndarray | None, domain=None, markers=None,
                legend: list[tuple[str, str]] | None = None) -> None:
    """Show on the map ``canvas`` (or with ``rgba=None`` hide) a basins picture, its minima
    ``markers`` and its legend's ``(colour, text)`` entries."""
    if rgba is None:
        canvas.basins.visible = False
        canvas.basins_legend.visible = False
    else:
        canvas.basins.set_picture(rgba, domain)
        canvas.basins.markers = np.asarray(markers if markers is not None else
                                           np.empty((0, 2)), dtype=float).reshape(-1, 2)
        canvas.basins.visible = True
        canvas.legends.set_basins_entries([("", text, QtGui.QPen(QtGui.QColor(color)))
                                           for color, text in (legend or [])])
        canvas.basins_legend.visible = bool(legend)
        canvas.legends.place_basins(canvas.basins.markers)
    canvas.invalidate()


def show_slice_line(canvas, axis: int | None, value: float) -> None:
    """Show the line the "Slice" tab cuts along on the map ``canvas`` (dashed; the held
    variable's colour).

    Parameters
    ----------
    axis
        0: the slice runs along the first variable, so the line is b = ``value``
        (horizontal); 1: along the second, the line a = ``value`` (vertical); None hides it.
    value
        The held variable's value.
    """
    line = canvas.slice_line
    before = slice_line_rect(canvas, line, canvas.font())
    if axis is None or not np.isfinite(value):
        if line.visible:
            line.visible = False
            canvas.update_box(before)
        return
    line.angle = 0 if axis == 0 else 90
    line._value, line.axis = float(value), tuple(canvas.view_range()[1 - axis])
    line.name = canvas.axis_label("left" if axis == 0 else "bottom") or "held"
    line.visible = True
    # Only the old and the new line's strips: it moves every playback frame.
    after = slice_line_rect(canvas, line, canvas.font())
    canvas.update_box(before)
    canvas.update_box(after)


def slice_line_rect(canvas, line: SliceLine, font: QtGui.QFont) -> QtCore.QRectF:
    """Where :func:`paint_slice_line` may draw (the line and its label, with a margin)."""
    if not line.visible or not np.isfinite(line.value()):
        return QtCore.QRectF()
    r = canvas.plot_rect()
    fm = QtGui.QFontMetricsF(font)
    w, h = fm.horizontalAdvance(line.text) + 8, fm.height() + 2
    if line.angle == 0:
        _, y = canvas.data_to_px(0.0, line.value())
        return QtCore.QRectF(r.left(), float(y) - h - 6, r.width(), 2 * h + 12)
    x, _ = canvas.data_to_px(line.value(), 0.0)
    return QtCore.QRectF(float(x) - w - 8, r.top(), 2 * w + 16, r.height())


def slice_line_ends(canvas, line: SliceLine) -> tuple[QtCore.QPointF, QtCore.QPointF] | None:
    """Where the slice line is drawn across the plot (None: hidden, or out of view)."""
    if not line.visible or not np.isfinite(line.value()):
        return None
    r = canvas.plot_rect()
    if line.angle == 0:
        y = float(canvas.data_to_px(0.0, line.value())[1])
        ok = r.top() <= y <= r.bottom()
        return (QtCore.QPointF(r.left(), y), QtCore.QPointF(r.right(), y)) if ok else None
    x = float(canvas.data_to_px(line.value(), 0.0)[0])
    ok = r.left() <= x <= r.right()
    return (QtCore.QPointF(x, r.top()), QtCore.QPointF(x, r.bottom())) if ok else None


def slice_tag_box(canvas, line: SliceLine, font: QtGui.QFont, avoid=(),
                  keep: QtCore.QRectF | None = None, soft=(), text: str | None = None,
                  strict: bool = False) -> QtCore.QRectF | None:
    """Where the slice line's label ("slice: w2 = 0.72") goes: the first of a few places
    along the line, inside the plot, clear of the rectangles ``avoid`` (the level labels, the
    legends: it sat on the level label 30, or 7000) and ``soft`` (the runs' paths); where
    none is, of ``avoid`` alone (on the saddle's narrow map every place met the run's path,
    and the label went under the legend), then of the runs' points alone; the first place
    if none is. ``keep``, where it was, stays while it is one of the places and clear (a
    label that moved back as a run moved away would be painted outside the frame's
    update). ``text``: another text than the line's own; ``strict``: None unless a place is
    clear of all of them."""
    ends = slice_line_ends(canvas, line)
    if ends is None:
        return None
    r = canvas.plot_rect()
    fm = QtGui.QFontMetricsF(font)
    w, h = fm.horizontalAdvance(line.text if text is None else text) + 8, fm.height() + 2
    if line.angle == 0:
        y = ends[0].y()
        top = y - h - 2 if y - h - 2 >= r.top() else y + 2
        other = y + 2 if top < y else y - h - 2
        # (last, a point's width off the line: on a narrow map every place met the point)
        places = [QtCore.QRectF(r.left() + f * (r.width() - w), t, w, h)
                  for t in (top, other, top + math.copysign(POINT_CLEAR, top - y),
                            other + math.copysign(POINT_CLEAR, other - y))
                  for f in (0.02, 0.98, 0.5, 0.27, 0.73)]
    else:
        x = ends[0].x()
        left = x + 4 if x + 4 + w <= r.right() else x - 4 - w
        other = x - 4 - w if left > x else x + 4
        places = [QtCore.QRectF(lf, r.top() + f * (r.height() - h), w, h)
                  for lf in (left, other, left + math.copysign(POINT_CLEAR, left - x),
                             other + math.copysign(POINT_CLEAR, other - x))
                  for f in (0.1, 0.9, 0.5, 0.3, 0.7)]
    places = [b for b in places if r.contains(b)] or places[:1]
    # Which places meet which boxes, all at once (one QRectF test at a time took a tenth of
    # a playback frame); a place meets a box as QRectF.intersects has it.
    at = np.array([b.getCoords() for b in places])
    near, paths = meets(at, box_array(avoid)), meets(at, box_array(soft))
    # Where no place is clear of them all, one clear of the runs' points at least (on a
    # narrow map the point sat on "w2 = 0.2", every place meeting its arrow's box)
    points = meets(at, _point_boxes(canvas))
    kept = places.index(keep) if keep is not None and keep in places else None
    for blocked in (near | paths | points, near | points, points)[:1 if strict else 3]:
        if kept is not None and not blocked[kept]:
            return keep
        if not blocked.all():
            return places[int(np.argmin(blocked))]
    return None if strict else places[0]


def box_array(boxes) -> np.ndarray:
    """``boxes`` (``QRectF`` objects, or an array of rows left, top, right, bottom) as an
    ``(m, 4)`` array of such rows, each left to right and top to bottom."""
    if isinstance(boxes, np.ndarray):
        a = boxes.reshape(-1, 4).astype(float, copy=False)
    else:
        a = np.array([b.getCoords() for b in boxes], dtype=float).reshape(-1, 4)
    return np.column_stack([np.minimum(a[:, 0], a[:, 2]), np.minimum(a[:, 1], a[:, 3]),
                            np.maximum(a[:, 0], a[:, 2]), np.maximum(a[:, 1], a[:, 3])])


def meets(places: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Per row of ``places``, whether it overlaps any row of ``boxes`` (both ``(n, 4)``:
    left, top, right, bottom, ordered): as ``QRectF.intersects``, an overlap of some area
    (touching edges, or a box without width or height, meet nothing).

    Examples
    --------
    >>> a = np.array([[0.0, 0, 10, 10], [20, 0, 30, 10]])
    >>> meets(a, np.array([[10.0, 0, 15, 5], [25, 5, 25, 9]])).tolist()
    [False, False]
    >>> meets(a, np.array([[9.0, 9, 12, 12]])).tolist()
    [True, False]
    """
    if not len(boxes):
        return np.zeros(len(places), dtype=bool)
    left, top, right, bottom = (places[:, i, None] for i in range(4))
    l2, t2, r2, b2 = boxes.T
    solid = (r2 > l2) & (b2 > t2)
    return ((left < r2) & (l2 < right) & (top < b2) & (t2 < bottom) & solid).any(axis=1)


POINT_CLEAR = 12.0
"""Pixels either side of a run's current point that the slice line's label keeps off."""


def _point_boxes(canvas) -> np.ndarray:
    """Squares about each shown run's current point on ``canvas`` (a map, with ``runs``),
    as rows left, top, right, bottom."""
    points = [s.current for s in getattr(getattr(canvas, "runs", None), "states", ())
              if s.visible and s.current is not None]
    if not points:
        return np.empty((0, 4))
    px, py = canvas.data_to_px(np.array([p[0] for p in points], dtype=float),
                               np.array([p[1] for p in points], dtype=float))
    px, py = np.atleast_1d(px), np.atleast_1d(py)
    ok = np.isfinite(px) & np.isfinite(py)
    px, py = px[ok], py[ok]
    return np.column_stack([px - POINT_CLEAR, py - POINT_CLEAR, px + POINT_CLEAR,
                            py + POINT_CLEAR])


def paint_slice_line(p: QtGui.QPainter, canvas, line: SliceLine, font: QtGui.QFont,
                     avoid=(), keep: QtCore.QRectF | None = None,
                     gaps=(), runs=()) -> QtCore.QRectF | None:
    """The dashed slice line with its label (never cut off, however narrow the map; placed
    by :func:`slice_tag_box`, clear of ``avoid`` and, where it can be, of the runs' current
    points and arrows, ``runs`` as :meth:`gdviz.ui.map_runs.MapRuns._overlay_px` gives
    them), broken where it would cross the boxes ``gaps`` (the level labels: drawn over
    "−2" it erased the minus, and the label read "2"); returns the label's box."""
    ends = slice_line_ends(canvas, line)
    if ends is None:
        return None
    band = slice_line_rect(canvas, line, font)  # (the points and arrows on it)
    soft = clear_box_array(runs, band.getCoords())
    avoid = box_array(avoid)  # (once for the up to three texts tried below)
    p.save()
    gaps = [gap for gap in gaps if gap.intersects(band)]  # (those the line may cross)
    if gaps:
        region = QtGui.QRegion(canvas.rect())
        for gap in gaps:
            region = region.subtracted(QtGui.QRegion(gap.toAlignedRect()))
        p.setClipRegion(region, QtCore.Qt.ClipOperation.IntersectClip)
    p.setPen(QtGui.QPen(QtGui.QColor(SLICE_COLOR), 2.5, QtCore.Qt.PenStyle.DashLine))
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    p.drawLine(*ends)
    p.restore()
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    # (the value alone where the whole label meets something everywhere: on the saddle's
    # narrow map in presentation mode "slice: y = 1.891" lay across the ∇f arrow)
    for text, strict in ((line.text, True), (line.text.removeprefix("slice: "), True),
                         (line.text, False)):
        box = slice_tag_box(canvas, line, font, avoid, keep, soft, text, strict)
        if box is not None:
            break
    p.setPen(QtCore.Qt.PenStyle.NoPen)
    p.setBrush(QtGui.QColor(255, 255, 255, 210))
    p.drawRect(box)
    p.setPen(QtGui.QColor(SLICE_COLOR))
    p.setFont(font)
    p.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, text)
    return box


CROWDED = 12
"""More minima than this on the basins map: a star at the lowest alone, dots at the rest."""


@dataclass
class BasinsLayer:
    """A coloured picture over the heatmap (RGBA rows upwards) and star markers."""

    image: QtGui.QImage | None = None
    domain: tuple = ((0.0, 1.0), (0.0, 1.0))
    opacity: float = 0.72
    markers: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    starred: int = 1  # (the first markers, the lowest minima: starred where they crowd)
    visible: bool = False
    rgba: np.ndarray | None = None

    def set_picture(self, rgba: np.ndarray, domain) -> None:
        self.rgba = np.asarray(rgba, dtype=np.uint8)  # rows upwards, as given
        rgba = np.ascontiguousarray(self.rgba[::-1])
        h, w = rgba.shape[:2]
        self.image = QtGui.QImage(rgba.data, w, h, 4 * w,
                                  QtGui.QImage.Format.Format_RGBA8888).copy()
        self.domain = domain

    def paint(self, p: QtGui.QPainter, canvas) -> None:
        if not self.visible or self.image is None:
            return
        (a0, a1), (b0, b1) = self.domain
        x0, y1 = canvas.data_to_px(a0, b0)
        x1, y0 = canvas.data_to_px(a1, b1)
        p.save()
        p.setOpacity(self.opacity)
        p.drawImage(QtCore.QRectF(float(x0), float(y0), float(x1 - x0), float(y1 - y0)),
                    self.image)
        p.restore()

    def paint_markers(self, p: QtGui.QPainter, canvas) -> None:
        """A star at each minimum; where more than :data:`CROWDED` are, at the lowest (the
        first :attr:`starred`) alone, the others small dots (Rastrigin's 121 stars buried
        its map)."""
        if not self.visible or not len(self.markers):
            return
        px, py = canvas.data_to_px(self.markers[:, 0], self.markers[:, 1])
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtGui.QPen(QtGui.QColor("black"), 1.5))
        p.setBrush(QtGui.QColor("white"))
        crowded = len(px) > CROWDED
        for i, (x, y) in enumerate(zip(px, py, strict=True)):
            if crowded and i >= self.starred:
                p.drawEllipse(QtCore.QPointF(float(x), float(y)), 3.0, 3.0)
            else:
                p.drawPolygon(_star(float(x), float(y), 10.0))


def _star(x: float, y: float, r: float) -> QtGui.QPolygonF:
    angles = np.pi / 2 + np.arange(10) * np.pi / 5
    radii = np.where(np.arange(10) % 2 == 0, r, r * 0.45)
    return QtGui.QPolygonF([QtCore.QPointF(x + rr * np.cos(t), y - rr * np.sin(t))
                            for rr, t in zip(radii, angles, strict=True)])
