"""One run on the 2D map, drawn by a single light graphics item.

A playback frame moves every run one step. With stock pyqtgraph items that meant, per run and
per frame, a ``PlotDataItem`` with symbols rebuilt (line + scatter), a scatter for the current
point and three arrow items: about a millisecond each, most of a frame's budget with 8 runs.
Here a run keeps its whole trajectory as a polygon; a frame only changes which prefix is drawn
and the three arrows, then paints with a handful of ``QPainter`` calls.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph.functions as fn

from gdviz.ui.arrows import arrow_segments
from gdviz.ui.qt import QtCore, QtGui, pg

ARROW_NAMES = ("gradient", "step", "velocity")
DOT_LIMIT = 300  # past this many steps the dots merge into the line: only the line is drawn
EMPTY = np.empty(0)


class _Part:
    """What tests and callers see of one drawn part (``getData``, visibility)."""

    def __init__(self, item: RunItem, name: str) -> None:
        self._item, self._name = item, name

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 - pyqtgraph's name
        """The (x, y) drawn for this part (empty when nothing is)."""
        return self._item.part_data(self._name)

    def isVisible(self) -> bool:  # noqa: N802 - Qt's name
        return self._item.isVisible()

    def setVisible(self, on: bool) -> None:  # noqa: N802 - Qt's name
        self._item.setVisible(on)


class RunItem(pg.GraphicsObject):
    """A run's path up to the current step (a dot per step), its current point and arrows.

    All pens are cosmetic (widths in screen pixels, whatever the zoom).
    """

    def __init__(self) -> None:
        super().__init__()
        self._points = np.empty((0, 2))
        self._poly = QtGui.QPolygonF()
        self._prefix_cache: tuple[int, QtGui.QPolygonF] | None = None
        self._shown = 0  # how many of the finite points are drawn
        self._current: tuple[float, float] | None = None
        self._arrows: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._arrow_lines: dict[str, list[QtCore.QLineF]] = {}
        self._bounds: QtCore.QRectF | None = None
        self.dots = True
        self.set_style("#000000", 2.5)
        self.path = _Part(self, "path")
        self.current = _Part(self, "current")
        self.arrows = {name: _Part(self, name) for name in ARROW_NAMES}

    # -- state --------------------------------------------------------------------------------
    def set_style(self, color: str, width: float, velocity_color: str = "#ff3fd2") -> None:
        """Colour of the run and the line width (presentation mode thickens it)."""
        c = QtGui.QColor(color)

        def pen(col, w, style=QtCore.Qt.PenStyle.SolidLine):
            p = QtGui.QPen(QtGui.QColor(col), w, style, QtCore.Qt.PenCapStyle.RoundCap,
                           QtCore.Qt.PenJoinStyle.RoundJoin)
            p.setCosmetic(True)
            return p

        line = pen(c, width)
        # Bevel joins: round ones cost the stroker most of a path's time, and at these widths
        # the two look the same.
        line.setJoinStyle(QtCore.Qt.PenJoinStyle.BevelJoin)
        self._pens = {
            "line": line,
            "dot_ring": pen("w", 6.6), "dot": pen(c, 5.0),
            "current_ring": pen("w", 19.0), "current": pen(c, 14.0),
            "gradient": pen("#c00000", width + 0.5),
            "step": pen(c, width + 0.5, QtCore.Qt.PenStyle.DashLine),
            "velocity": pen(velocity_color, width, QtCore.Qt.PenStyle.DotLine),
        }
        for name in ("step", "velocity", "gradient"):
            self._pens[name].setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
        self._margin = max(19.0, width + 0.5)  # pixels around the drawn geometry
        self._invalidate()

    def set_trajectory(self, points: np.ndarray) -> None:
        """The run's whole path (non-finite points are skipped, as the line cannot go there)."""
        pts = np.asarray(points, dtype=float)
        pts = pts[np.isfinite(pts).all(axis=1)] if len(pts) else np.empty((0, 2))
        if pts.shape == self._points.shape and np.array_equal(pts, self._points):
            return
        self._points = pts
        self._poly = fn.create_qpolygonf(len(pts))
        self._prefix_cache = None
        fn.ndarray_from_qpolygonf(self._poly)[:] = pts
        self._shown = min(self._shown, len(pts))
        self._invalidate()

    def set_frame(self, shown: int, current, arrows: dict[str, tuple[np.ndarray, np.ndarray]],
                  dots: bool) -> None:
        """Draw the first ``shown`` finite points, the current point and these arrows.

        ``arrows`` maps a name of :data:`ARROW_NAMES` to segment pairs ``(xs, ys)``.
        """
        self._shown = max(0, min(int(shown), len(self._points)))
        self._current = None if current is None else (float(current[0]), float(current[1]))
        self._arrows = {k: v for k, v in arrows.items() if len(v[0])}
        # Lines built here, once per frame, not in paint (which may run several times).
        self._arrow_lines = {k: [QtCore.QLineF(xs[i], ys[i], xs[i + 1], ys[i + 1])
                                 for i in range(0, len(xs) - 1, 2)]
                             for k, (xs, ys) in self._arrows.items()}
        self.dots = bool(dots)
        self._invalidate()

    def part_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) drawn for ``"path"``, ``"current"`` or an arrow."""
        if name == "path":
            pts = self._points[: self._shown]
            return pts[:, 0].copy(), pts[:, 1].copy()
        if name == "current":
            if self._current is None:
                return EMPTY, EMPTY
            return np.array([self._current[0]]), np.array([self._current[1]])
        return self._arrows.get(name, (EMPTY, EMPTY))

    @staticmethod
    def arrow(x: float, y: float, u: float, v: float, head: float, aspect: float):
        """Segment pairs of one arrow (see :func:`gdviz.ui.arrows.arrow_segments`)."""
        return arrow_segments([x], [y], [u], [v], head, aspect)

    # -- QGraphicsItem ------------------------------------------------------------------------
    def _invalidate(self) -> None:
        self.prepareGeometryChange()
        self._bounds = None
        self.update()

    def viewTransformChanged(self) -> None:  # noqa: N802 - pyqtgraph's hook
        # The margin is in pixels: a zoom changes it in data units.
        self._invalidate()

    def _data_rect(self) -> QtCore.QRectF | None:
        xs = [self._points[: self._shown, 0]]
        ys = [self._points[: self._shown, 1]]
        if self._current is not None:
            xs.append(np.array([self._current[0]]))
            ys.append(np.array([self._current[1]]))
        for ax, ay in self._arrows.values():
            xs.append(ax)
            ys.append(ay)
        x, y = np.concatenate(xs), np.concatenate(ys)
        if not x.size:
            return None
        return QtCore.QRectF(float(x.min()), float(y.min()),
                             float(x.max() - x.min()), float(y.max() - y.min()))

    def boundingRect(self) -> QtCore.QRectF:  # noqa: N802 - Qt's name
        if self._bounds is None:
            rect = self._data_rect()
            if rect is None:
                self._bounds = QtCore.QRectF()
            else:
                px, py = self.pixelWidth(), self.pixelHeight()
                mx = self._margin * (px if np.isfinite(px) else 0.0)
                my = self._margin * (py if np.isfinite(py) else 0.0)
                self._bounds = rect.adjusted(-mx, -my, mx, my)
        return self._bounds

    def paint(self, painter: QtGui.QPainter, *_args) -> None:
        pens = self._pens
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        if self._shown >= 2:
            part = self._prefix()
            painter.setPen(pens["line"])
            painter.drawPolyline(part)
            if self.dots and self._shown <= DOT_LIMIT:
                painter.setPen(pens["dot_ring"])
                painter.drawPoints(part)
                painter.setPen(pens["dot"])
                painter.drawPoints(part)
        for name in ARROW_NAMES:
            if name in self._arrow_lines:
                painter.setPen(pens[name])
                painter.drawLines(self._arrow_lines[name])
        if self._current is not None:
            point = QtCore.QPointF(*self._current)
            painter.setPen(pens["current_ring"])
            painter.drawPoint(point)
            painter.setPen(pens["current"])
            painter.drawPoint(point)

    def _prefix(self) -> QtGui.QPolygonF:
        """The drawn part of the path (kept until the frame changes: a view may paint twice)."""
        if self._shown == len(self._points):
            return self._poly
        if self._prefix_cache is None or self._prefix_cache[0] != self._shown:
            self._prefix_cache = (self._shown, self._poly.mid(0, self._shown))
        return self._prefix_cache[1]
