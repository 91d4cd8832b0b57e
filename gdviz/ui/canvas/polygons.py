"""numpy ↔ Qt geometry without Python loops: polylines, point sets and segment pairs.

A ``QPolygonF`` stores its points as consecutive (x, y) doubles, so an array can be copied into
one through a buffer over its memory: thousands of points cost microseconds, where building
``QPointF`` objects one by one costs milliseconds.
"""

from __future__ import annotations

import numpy as np
import shiboken6

from gdviz.ui.binding import QtGui


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
