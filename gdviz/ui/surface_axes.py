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
MIN_ARROW_PX = 12.0
"""A shorter picture of that stretch: the axis is seen nearly end on, and not named."""
MARGIN = 12.0
"""How far inside the view a name's centre must be (nearer, it was cut at the edge)."""
HIDDEN_BY = 0.02
"""Scene units behind what the scene drew there at which a name's spot counts as hidden."""


def axis_spots(frame: SceneFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each variable, where its name goes on ``frame`` (widget pixels) and the unit
    direction in which the variable grows there on screen: by the nearer of the two floor
    edges along which it varies where that spot is in view and not behind the surface, else
    by the farther; NaN where neither will do, or where the axis points at the eye (seen
    end on, its arrow a dot: at 85° of elevation "w1" sat on the surface, its arrow up the
    surface's wall)."""
    width, height = frame.size
    spots = []
    for axis in (0, 1):
        candidates = []
        for side in (-EDGE, EDGE):
            mid = np.zeros(3)
            mid[1 - axis] = side
            lo, hi = mid.copy(), mid.copy()
            lo[axis], hi[axis] = -ARROW, ARROW
            xy, dist = frame.project(np.stack([mid, lo, hi]))
            candidates.append((float(dist[0]), xy, dist))
        chosen = (np.full(2, np.nan), np.full(2, np.nan))
        for dist, xy, dists in sorted(candidates, key=lambda c: c[0] if c[0] > 0 else math.inf):
            step = xy[2] - xy[1]
            length = float(np.hypot(*step))
            inside = (MARGIN <= xy[0][0] <= width - MARGIN
                      and MARGIN <= xy[0][1] <= height - MARGIN)
            if (dist > 0 and np.isfinite(xy).all() and length >= MIN_ARROW_PX and inside
                    and frame.visible(xy[:1], dists[:1], HIDDEN_BY)[0]):
                chosen = (xy[0], step / length)
                break
        spots.append(chosen)
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
