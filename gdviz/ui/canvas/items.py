"""Simple plot items (curves, points, lines; text in :mod:`.text_item`) for an ``ItemCanvas``.

Each item lives in the canvas's static layer (repainted only when a static item, the range,
the size or the theme changes) or in its frame layer (repainted at every update, for what
moves each playback frame). Setting an item's data tells the canvas, which repaints only the
layer concerned::

    canvas = ItemCanvas()
    curve = canvas.add(Curve(pen=make_pen("#009E73", 3)))
    dot = canvas.add(Points(size=12, brush="#0072B2"), frame=True)
    curve.set_data(x, y)
    dot.set_data([x0], [y0])
    canvas.auto_range()

Items paint in logical widget pixels from data coordinates (``canvas.data_to_px``), so log
axes, exports and SVG work for all of them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.canvas.plot_canvas import PlotCanvas
from gdviz.ui.canvas.polygons import finite_runs, polygon, stroke_chunks, stroke_polyline

if TYPE_CHECKING:
    from gdviz.ui.canvas.item_canvas import ItemCanvas

CLAMP = 1e5  # px: points far off-screen are clamped (the rasteriser would work for nothing)
HIT_PX = 6.0  # px: how close the pointer must be to grab a movable item


def make_pen(color="#000000", width: float = 1.0,
             style=QtCore.Qt.PenStyle.SolidLine) -> QtGui.QPen:
    """A pen with round caps and bevel joins (cheap and smooth at plot widths).

    Dashed and dotted pens get flat caps: a round cap on every dash makes them a hundred times
    slower to draw antialiased in software (8 dashed residuals: 9 ms instead of 0.05 ms).
    """
    cap = (QtCore.Qt.PenCapStyle.RoundCap if style == QtCore.Qt.PenStyle.SolidLine
           else QtCore.Qt.PenCapStyle.FlatCap)
    return QtGui.QPen(QtGui.QColor(color), float(width), style, cap,
                      QtCore.Qt.PenJoinStyle.BevelJoin)


class Item:
    """Base of the plot items: visibility, stacking order, layer and range bounds.

    A ``movable`` item can be dragged with the mouse: the canvas asks :meth:`distance_px`
    which item is under the pointer, calls :meth:`drag_to` as it moves, and emits
    :attr:`ItemCanvas.itemDragged`.
    """

    movable = False

    def __init__(self, z: float = 0.0, in_range: bool = True) -> None:
        self.canvas: ItemCanvas | None = None
        self.visible = True
        self.z = float(z)
        self.frame = False
        self.in_range = in_range  # counts for auto_range

    def changed(self) -> None:
        """Tell the canvas to repaint this item's layer."""
        if self.canvas is not None:
            self.canvas.item_changed(self)

    def set_visible(self, on: bool) -> None:
        if bool(on) != self.visible:
            self.visible = bool(on)
            self.changed()

    def isVisible(self) -> bool:  # noqa: N802 - Qt's name, for callers used to it
        return self.visible

    def bounds(self) -> tuple[float, float, float, float] | None:
        """(xmin, xmax, ymin, ymax) of the finite data, or None."""
        return None

    def paint(self, p: QtGui.QPainter, canvas: PlotCanvas) -> None:
        """Draw the item (subclasses)."""

    def distance_px(self, canvas: PlotCanvas, pos: QtCore.QPointF) -> float:
        """Distance in pixels from ``pos`` to the item (movable items; else infinity)."""
        return math.inf

    def drag_to(self, x: float, y: float) -> None:
        """The item is dragged to data point (x, y) (movable items)."""


class _XY(Item):
    def __init__(self, z: float = 0.0, in_range: bool = True) -> None:
        super().__init__(z, in_range)
        self.x = np.empty(0)
        self.y = np.empty(0)

    def set_data(self, x, y) -> None:
        """New data (x and y of the same length; NaN breaks a curve, hides a point)."""
        self.x = np.asarray(x, dtype=float).ravel()
        self.y = np.asarray(y, dtype=float).ravel()
        self.changed()

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 - the usual name
        return self.x, self.y

    def bounds(self):
        if not self.visible or not self.x.size:
            return None
        ok = np.isfinite(self.x) & np.isfinite(self.y)
        if self.canvas is not None and self.canvas.log_x:
            ok &= self.x > 0
        if self.canvas is not None and self.canvas.log_y:
            ok &= self.y > 0
        if not ok.any():
            return None
        x, y = self.x[ok], self.y[ok]
        return float(x.min()), float(x.max()), float(y.min()), float(y.max())

    def _px(self, canvas) -> np.ndarray:
        px, py = canvas.data_to_px(self.x, self.y)
        return np.column_stack([np.clip(px, -CLAMP, CLAMP), np.clip(py, -CLAMP, CLAMP)])


class Curve(_XY):
    """A polyline (``connect="pairs"``: separate segments between points 2i and 2i+1).

    ``smooth=True`` promises a curve that does not zigzag over itself (a function sampled
    finely, a straight line): it is stroked without checking each piece for zigzags (see
    :func:`stroke_polyline` and :func:`stroke_chunks`).
    """

    def __init__(self, pen: QtGui.QPen | None = None, connect: str = "finite",
                 z: float = 0.0, in_range: bool = True, smooth: bool = False) -> None:
        super().__init__(z, in_range)
        self.pen = pen or make_pen()
        self.connect = connect
        self.smooth = smooth

    def set_pen(self, value: QtGui.QPen) -> None:
        self.pen = value
        self.changed()

    def paint(self, p, canvas) -> None:
        if not self.x.size:
            return
        pen = canvas.ink_pen(self.pen)
        p.setPen(pen)
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        pts = self._px(canvas)
        if self.connect == "pairs":
            n = len(pts) // 2 * 2
            pairs = pts[:n].reshape(-1, 2, 2)
            pairs = pairs[np.isfinite(pairs).all(axis=(1, 2))]
            if len(pairs):
                p.drawLines(polygon(pairs.reshape(-1, 2)))
            return
        stroke = stroke_chunks if self.smooth else stroke_polyline
        for piece in finite_runs(pts, 2):
            stroke(p, piece, pen)


class Points(_XY):
    """Markers of ``size`` px with a fill and an outline.

    ``symbol`` is ``"o"`` (round), ``"s"`` (square; also ``square=True``) or ``"star"``
    (five points, to mark a best value).
    """

    def __init__(self, size: float = 10.0, brush="#000000", outline="#ffffff",
                 outline_width: float = 1.5, square: bool = False, z: float = 0.0,
                 in_range: bool = True, symbol: str = "o") -> None:
        super().__init__(z, in_range)
        self.size = float(size)
        self.brush = QtGui.QColor(brush)
        self.outline = QtGui.QColor(outline) if outline else None
        self.outline_width = outline_width
        self.symbol = "s" if square else symbol
        self.brushes: list[QtGui.QColor] | None = None  # one per point, optional
        # False for a fill that names something (a run's colour, black included): kept on a
        # dark ground as the other views show it (see ItemCanvas.ink).
        self.mirror_fill = True

    def set_style(self, size: float | None = None, brush=None, brushes=None,
                  outline=None) -> None:
        """Marker size, fill (one for all, or ``brushes``: one per point) and outline colour."""
        if size is not None:
            self.size = float(size)
        if brush is not None:
            self.brush = QtGui.QColor(brush)
        if outline is not None:
            self.outline = QtGui.QColor(outline)
        self.brushes = None if brushes is None else [QtGui.QColor(b) for b in brushes]
        self.changed()

    def paint(self, p, canvas) -> None:
        if not self.x.size:
            return
        pts = self._px(canvas)
        r = self.size / 2
        pen = QtGui.QPen(canvas.ink(self.outline), self.outline_width) if self.outline else None
        if pen is not None:
            pen.setJoinStyle(QtCore.Qt.PenJoinStyle.MiterJoin)  # sharp star points
        p.setPen(pen if pen is not None else QtCore.Qt.PenStyle.NoPen)
        for i, (x, y) in enumerate(pts):
            if not (np.isfinite(x) and np.isfinite(y)):
                continue
            fill = self.brushes[i] if self.brushes and i < len(self.brushes) else self.brush
            p.setBrush(canvas.ink(fill) if self.mirror_fill else fill)
            if self.symbol == "s":
                p.drawRect(QtCore.QRectF(x - r, y - r, 2 * r, 2 * r))
            elif self.symbol == "star":
                p.drawPolygon(_star(x, y, r))
            else:
                p.drawEllipse(QtCore.QPointF(x, y), r, r)


def _star(x: float, y: float, r: float) -> QtGui.QPolygonF:
    """A five-pointed star of outer radius ``r`` centred on (x, y), a point upward."""
    k = np.arange(10)
    radius = np.where(k % 2 == 0, r, 0.45 * r)
    angle = np.pi / 2 + k * np.pi / 5
    return polygon(np.column_stack([x + radius * np.cos(angle), y - radius * np.sin(angle)]))


class InfiniteLine(Item):
    """A horizontal (``angle=0``: y = value) or vertical (``angle=90``: x = value) line.

    A ``movable`` line can be dragged across the plot, within ``bounds`` (lo, hi) if given.
    """

    def __init__(self, angle: int = 90, value: float = 0.0, pen: QtGui.QPen | None = None,
                 z: float = 0.0, movable: bool = False,
                 bounds: tuple[float, float] | None = None) -> None:
        super().__init__(z, in_range=False)
        self.angle = 0 if angle == 0 else 90
        self.movable = bool(movable)
        self.bounds = bounds
        self._value = self._clamped(float(value))
        self.pen = pen or make_pen("#555555")

    def value(self) -> float:
        return self._value

    def set_value(self, value: float) -> None:
        """Move the line (clamped to :attr:`bounds`)."""
        value = self._clamped(float(value))
        if value != self._value:
            self._value = value
            self.changed()

    def set_bounds(self, bounds: tuple[float, float] | None) -> None:
        """Where a drag (and :meth:`set_value`) may put the line; None: anywhere."""
        self.bounds = None if bounds is None else (float(min(bounds)), float(max(bounds)))
        self.set_value(self._value)

    def _clamped(self, value: float) -> float:
        if self.bounds is None or not math.isfinite(value):
            return value
        return min(max(value, self.bounds[0]), self.bounds[1])

    def distance_px(self, canvas, pos) -> float:
        x, y = canvas.data_to_px(self._value, self._value)
        d = abs(pos.x() - float(x)) if self.angle == 90 else abs(pos.y() - float(y))
        return d if math.isfinite(d) else math.inf

    def drag_to(self, x: float, y: float) -> None:
        self.set_value(x if self.angle == 90 else y)

    def paint(self, p, canvas) -> None:
        r = canvas.plot_rect()
        p.setPen(canvas.ink_pen(self.pen))
        # On the pixel grid without antialiasing: crisp, and several times cheaper in software
        # than a blended line (this one is often dragged or moved every frame).
        aa = p.testRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        odd = round(self.pen.widthF()) % 2 == 1 or self.pen.widthF() == 0

        def snap(v: float) -> float:
            return math.floor(v) + 0.5 if odd else float(round(v))

        if self.angle == 90:
            x, _ = canvas.data_to_px(self._value, 1.0)
            if np.isfinite(x):
                x = snap(float(x))
                p.drawLine(QtCore.QPointF(x, r.top()), QtCore.QPointF(x, r.bottom()))
        else:
            _, y = canvas.data_to_px(1.0, self._value)
            if np.isfinite(y):
                y = snap(float(y))
                p.drawLine(QtCore.QPointF(r.left(), y), QtCore.QPointF(r.right(), y))
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, aa)
