"""The 3D view's axis names: each variable's name beside the floor's edge along which it
varies (the edge nearer the eye), with an arrow the way it grows.

Without them a student could not tell w1 from w2 on the surface, nor which way either grows
(the 2D map has its axes; the 3D view turns). Drawn over the rendered picture with QPainter,
as the runs' paths are (:mod:`gdviz.ui.surface_paths`).
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.ui.qt import QtCore, QtGui
from gdviz.ui.scene_frame import SceneFrame

EDGE = 0.6
"""How far from the floor's centre the names sit (the floor spans ±0.5)."""
ARROW = 0.12
"""Half the length of the stretch of the axis whose picture gives the arrow's direction."""


def axis_spots(frame: SceneFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each variable, where its name goes on ``frame`` (widget pixels) and the unit
    direction in which the variable grows there on screen; NaN where it cannot be drawn
    (behind the camera)."""
    spots = []
    for axis in (0, 1):
        ends = []
        for side in (-EDGE, EDGE):  # the two edges along this axis: the nearer one
            mid = np.zeros(3)
            mid[1 - axis] = side
            lo, hi = mid.copy(), mid.copy()
            lo[axis], hi[axis] = -ARROW, ARROW
            xy, dist = frame.project(np.stack([mid, lo, hi]))
            ends.append((float(dist[0]), xy))
        dist, xy = min(ends, key=lambda e: e[0] if e[0] > 0 else math.inf)
        step = xy[2] - xy[1]
        length = float(np.hypot(*step))
        if not (dist > 0 and np.isfinite(xy).all() and length > 1e-6):
            spots.append((np.full(2, np.nan), np.full(2, np.nan)))
            continue
        spots.append((xy[0], step / length))
    return spots


def paint_axis_names(painter: QtGui.QPainter, frame: SceneFrame, names: tuple[str, str],
                     ink: QtGui.QColor, font: QtGui.QFont) -> None:
    """Each name in ``ink`` at its :func:`axis_spots` place, an arrow beside it."""
    painter.save()
    try:
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setFont(font)
        fm = QtGui.QFontMetricsF(font)
        pen = QtGui.QPen(ink, max(1.2, fm.height() / 12))
        for name, (at, way) in zip(names, axis_spots(frame), strict=True):
            if not np.isfinite(at).all():
                continue
            w, h = fm.horizontalAdvance(name), fm.height()
            box = QtCore.QRectF(at[0] - w / 2, at[1] - h / 2, w, h)
            painter.setPen(pen)
            painter.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, name)
            # The arrow beyond the name, the way the variable grows
            reach = 0.5 * math.hypot(w, h) + 3
            tail = QtCore.QPointF(*(at + way * reach))
            tip = QtCore.QPointF(*(at + way * (reach + 1.3 * h)))
            painter.drawLine(tail, tip)
            side = np.array([-way[1], way[0]])
            for sign in (1, -1):
                barb = at + way * (reach + 0.9 * h) + sign * side * 0.3 * h
                painter.drawLine(tip, QtCore.QPointF(*barb))
    finally:
        painter.restore()
