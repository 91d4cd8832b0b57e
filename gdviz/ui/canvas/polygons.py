"""numpy ↔ Qt geometry without Python loops: polylines, point sets and segment pairs.

A ``QPolygonF`` stores its points as consecutive (x, y) doubles, so an array can be copied into
one through a buffer over its memory: thousands of points cost microseconds, where building
``QPointF`` objects one by one costs milliseconds.
"""

from __future__ import annotations

import numpy as np
import shiboken6

from gdviz.ui.binding import QtCore, QtGui


def polygon(points: np.ndarray) -> QtGui.QPolygonF:
    """A ``QPolygonF`` holding the ``(n, 2)`` float ``points`` (copied)."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    poly = QtGui.QPolygonF()
    n = len(pts)
    if n == 0:
        return poly
    poly.resize(n)
    # data() gives the first element; its address is the start of the point array.
    view = np.frombuffer(shiboken6.VoidPtr(poly.data(), n * 16, True), np.float64)
    view.reshape(n, 2)[:] = pts
    return poly


def finite_runs(points: np.ndarray, min_len: int = 2) -> list[np.ndarray]:
    """The pieces of an ``(n, 2)`` polyline between non-finite points (NaN breaks a line)."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    ok = np.isfinite(pts).all(axis=1)
    if ok.all():
        return [pts] if len(pts) >= min_len else []
    idx = np.flatnonzero(np.diff(np.concatenate(([0], ok.view(np.int8), [0]))))
    return [pts[s:e] for s, e in zip(idx[0::2], idx[1::2], strict=True) if e - s >= min_len]


_ELEMENT = np.dtype([("type", ">i4"), ("x", ">f8"), ("y", ">f8")])


def segments_path(points: np.ndarray) -> QtGui.QPainterPath:
    """A ``QPainterPath`` of separate segments between points 2i and 2i+1 of ``points``.

    Built in one go from a byte image of the path (the layout ``QDataStream`` reads: element
    count, then per element its type — 0 move, 1 line — and x, y as big-endian int32 and
    doubles, then the path's cStart and fill rule). Stroking it is several times faster than
    ``QPainter.drawLines``, which converts every point through Python.
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    n = len(pts) // 2 * 2
    elements = np.empty(n, dtype=_ELEMENT)
    elements["type"][0::2] = 0
    elements["type"][1::2] = 1
    elements["x"] = pts[:n, 0]
    elements["y"] = pts[:n, 1]
    data = (np.array([n], ">i4").tobytes() + elements.tobytes()
            + np.array([0, 0], ">i4").tobytes())
    path = QtGui.QPainterPath()
    QtCore.QDataStream(QtCore.QByteArray(data)) >> path
    return path


CHUNK = 16  # segments per polyline when a long smooth one is drawn in pieces


def stroke_chunks(painter: QtGui.QPainter, points: np.ndarray, pen: QtGui.QPen) -> None:
    """Draw a polyline that does not zigzag (``(n, 2)`` widget pixels) with ``pen``, as
    pieces of :data:`CHUNK` segments sharing their end points.

    Qt outlines a whole thick polyline before filling it, and a long one that winds (a slice
    of Rastrigin's loss: ~3,400 px of curve) makes an outline so involved that filling it
    costs three times as much as filling the pieces' outlines one by one. Round caps at the
    shared points look like the round joins the whole line would have. A patterned (dashed)
    line stays whole, so its pattern runs on, and so do lines with other caps or translucent.
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    painter.setPen(pen)
    # Only where the pieces' meeting is invisible: round caps (other caps leave nubs at the
    # joints) in an opaque colour (a translucent one would be blended twice there).
    whole = (pen.style() != QtCore.Qt.PenStyle.SolidLine
             or pen.capStyle() != QtCore.Qt.PenCapStyle.RoundCap or pen.color().alpha() < 255)
    if len(pts) <= CHUNK + 1 or whole:
        if len(pts) >= 2:
            painter.drawPolyline(polygon(pts))
        return
    for i in range(0, len(pts) - 1, CHUNK):
        painter.drawPolyline(polygon(pts[i:i + CHUNK + 1]))


def stroke_polyline(painter: QtGui.QPainter, points: np.ndarray, pen: QtGui.QPen) -> None:
    """Draw a polyline (``(n, 2)`` widget pixels) with ``pen``, fast whatever its shape.

    Qt strokes a thick polyline by outlining all of it and filling that outline: for a path
    that zigzags over itself (a loss curve oscillating between two values, a descent path
    bouncing across a valley) the outline overlaps itself hundreds of times and filling it
    takes tens of milliseconds, where drawing the same segments one by one takes one or two.
    So a zigzagging polyline is drawn as separate segments (square caps close the joints);
    a smooth one in pieces (:func:`stroke_chunks`).
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(pts) < 2:
        return
    d = np.diff(pts, axis=0)
    turns_back = int(np.count_nonzero((d[:-1] * d[1:]).sum(axis=1) < 0)) if len(d) > 1 else 0
    if pen.widthF() <= 1.0 or len(pts) < 6 or turns_back <= 0.1 * len(d):
        if pen.widthF() <= 1.0:
            painter.setPen(pen)
            painter.drawPolyline(polygon(pts))
        else:
            stroke_chunks(painter, pts, pen)
        return
    # Each segment once, to a quarter pixel: a run bouncing across a valley for thousands of
    # steps crosses the same few pixels again and again (order does not matter for
    # separate segments of one colour; 7 such runs took 31 ms, 20,000 segments each).
    ends = np.column_stack([pts[:-1], pts[1:]])
    with np.errstate(invalid="ignore"):
        _, first = np.unique(np.round(ends * 4.0), axis=0, return_index=True)
    ends = ends[np.sort(first)]
    pairs = ends.reshape(-1, 2)
    square = QtGui.QPen(pen)
    square.setCapStyle(QtCore.Qt.PenCapStyle.SquareCap)
    painter.setPen(square)
    painter.drawLines(polygon(pairs))


def column_envelope(points: np.ndarray) -> np.ndarray:
    """The points of a curve whose x never decreases (``(n, 2)`` widget pixels) that show on
    screen: in each pixel column its first, lowest, highest and last point, in their order.
    Drawn as a polyline it covers the same pixels as the whole curve, with at most four
    points a column (a 100,000-step run's loss curve took 130 ms to stroke, the window
    stalling as the run arrived; a plot 400 pixels wide needs at most 1,600 of them)."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(pts) < 8:
        return pts
    cols = np.floor(pts[:, 0])
    starts = np.flatnonzero(np.r_[True, cols[1:] != cols[:-1]])
    if len(pts) <= 4 * len(starts):
        return pts  # (already about one point a column: nothing to leave out)
    ends = np.r_[starts[1:], len(pts)] - 1
    # Within each column (contiguous, as x never decreases) by height: the lowest first.
    order = np.lexsort((pts[:, 1], cols))
    keep = np.unique(np.concatenate([starts, ends, order[starts], order[ends]]))
    return pts[keep]


def thin_path(points: np.ndarray, cell: float = 0.5) -> np.ndarray:
    """A path (``(n, 2)`` widget pixels) without the points that stay in the previous point's
    ``cell``-pixel square: a run that has converged repeats its point thousands of times (7
    runs of 20,000 steps took 75 ms to stroke on the map), and drawn they change no pixel
    by more than ``cell``. The first and last points stay."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(pts) < 3:
        return pts
    with np.errstate(invalid="ignore"):
        cells = np.floor(pts / cell)
    moved = np.r_[True, np.any(cells[1:] != cells[:-1], axis=1)]  # (NaN ≠ NaN: kept)
    moved[-1] = True
    return pts if moved.all() else pts[moved]
