"""The slice line on the 2D map: the line the "Slice" tab cuts along, dashed, with a label
("slice: w2 = 0.72") kept clear of the level labels, the legends and the runs.

It moves every playback frame, so its label's place is found with whole-array tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gdviz.ui.arrows import clear_box_array
from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.numbers import axis_number

SLICE_COLOR = "#7B3294"
SLICE_HALO = (255, 255, 255, 150)
"""The light band under the dashed line (RGBA), and its label's box colour."""


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


_TAG_SIZES: dict[tuple[str, str], tuple[float, float]] = {}


def tag_size(font: QtGui.QFont, text: str) -> tuple[float, float]:
    """The slice line's label box for ``text`` in ``font``: its width and height, pixels
    (kept: the label is measured five times a playback frame, for a few values)."""
    key = (font.key(), text)
    size = _TAG_SIZES.get(key)
    if size is None:
        if len(_TAG_SIZES) > 256:
            _TAG_SIZES.clear()
        fm = QtGui.QFontMetricsF(font)
        size = _TAG_SIZES[key] = (fm.horizontalAdvance(text) + 8, fm.height() + 2)
    return size


def slice_line_rect(canvas, line: SliceLine, font: QtGui.QFont) -> QtCore.QRectF:
    """Where :func:`paint_slice_line` may draw (the line and its label, with a margin)."""
    if not line.visible or not np.isfinite(line.value()):
        return QtCore.QRectF()
    r = canvas.plot_rect()
    w, h = tag_size(font, line.text)
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
    w, h = tag_size(font, line.text if text is None else text)
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
"""Pixels either side of a run's current point and start marker that the slice line's label
keeps off."""


def _point_boxes(canvas) -> np.ndarray:
    """Squares about each shown run's current point and start marker on ``canvas`` (a map,
    with ``runs``), as rows left, top, right, bottom (the start's marker, drawn over the
    label, hid its last digit: "slice: w2 = −1.2" read "−1.")."""
    states = [s for s in getattr(getattr(canvas, "runs", None), "states", ()) if s.visible]
    points = [p for s in states for p in (s.current, s.start) if p is not None]
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
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    # On a light band: the purple dashes alone were lost on viridis's dark purple, where a
    # run's valley usually is (and where the line is, under the run's point).
    p.setPen(QtGui.QPen(QtGui.QColor(*SLICE_HALO), 5.0))
    p.drawLine(*ends)
    p.setPen(QtGui.QPen(QtGui.QColor(SLICE_COLOR), 2.5, QtCore.Qt.PenStyle.DashLine))
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
    p.setBrush(QtGui.QColor(*SLICE_HALO[:3], 238))  # (as the legends': arrows hardly show)
    p.drawRect(box)
    p.setPen(QtGui.QColor(SLICE_COLOR))
    p.setFont(font)
    p.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, text)
    return box
