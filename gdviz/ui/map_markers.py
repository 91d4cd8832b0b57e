"""The map's markers: a run's current point, its start, the dots along its path, pens and arrows.

On screen each is copied from a small cached picture (a *sprite*): an antialiased disc or
thick point is a path of Bézier arcs for Qt every time it is drawn, and a frame draws dozens.
Exports draw the shapes themselves.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.canvas.box_updates import FAR_PX

SPRITE_SIDE = 22  # px: room for the largest marker (19 px) and its antialiasing
DOT_PHASES = 4  # sub-pixel positions per axis a path dot's sprite is drawn at


@functools.lru_cache(maxsize=256)
def pen(color, width: float, style=QtCore.Qt.PenStyle.SolidLine,
        cap=QtCore.Qt.PenCapStyle.RoundCap) -> QtGui.QPen:
    """A pen with bevel joins (kept: a frame sets dozens, each costs microseconds to build)."""
    return QtGui.QPen(QtGui.QColor(color), width, style, cap, QtCore.Qt.PenJoinStyle.BevelJoin)


def draw_marker(p: QtGui.QPainter, kind: str, color: str, x: float, y: float) -> None:
    """A run's current point (``kind="current"``) or start marker, drawn as shapes."""
    point = QtCore.QPointF(x, y)
    if kind == "current":  # a disc in the run's colour, ringed in white
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(QtGui.QColor("white"))
        p.drawEllipse(point, 9.5, 9.5)
        p.setBrush(QtGui.QColor(color))
        p.drawEllipse(point, 7.0, 7.0)
    else:  # the start: a smaller disc with a thin white ring
        p.setPen(QtGui.QPen(QtGui.QColor("white"), 2.0))
        p.setBrush(QtGui.QColor(color))
        p.drawEllipse(point, 7.0, 7.0)


@functools.lru_cache(maxsize=128)
def sprite(kind: str, color: str, dpr: float) -> QtGui.QImage:
    """A marker drawn once, antialiased, centred in a small image (see :func:`marker`)."""
    side = math.ceil(SPRITE_SIDE * dpr)
    image = QtGui.QImage(side, side, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    image.setDevicePixelRatio(dpr)
    p = QtGui.QPainter(image)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    half = side / dpr / 2
    draw_marker(p, kind, color, half, half)
    p.end()
    return image


def marker(p: QtGui.QPainter, kind: str, color: str, x: float, y: float, dpr: float,
           export: bool) -> None:
    """A run's current point or start marker at widget pixel (x, y). On screen a cached
    sprite is copied (an antialiased disc costs Qt a path of Bézier arcs each time, and a
    frame draws sixteen); exports draw the discs as shapes."""
    if not (abs(x) < FAR_PX and abs(y) < FAR_PX):  # off the widget, or not finite
        return
    if export:
        draw_marker(p, kind, color, x, y)
        return
    image = sprite(kind, color, dpr)
    half = image.width() / dpr / 2
    # whole device pixels, so the copy is a plain blit
    p.drawImage(QtCore.QPointF(round((x - half) * dpr) / dpr, round((y - half) * dpr) / dpr),
                image)


@functools.lru_cache(maxsize=256)
def dot_sprite(color: str, dpr: float, fx: int, fy: int) -> QtGui.QImage:
    """A path dot (white ring, coloured centre) whose centre lies ``fx / DOT_PHASES`` and
    ``fy / DOT_PHASES`` of a device pixel right of and below the sprite's middle pixel corner:
    copied at whole pixels, a dot still lands within an eighth of a pixel of its point."""
    side = math.ceil(12 * dpr)
    image = QtGui.QImage(side, side, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    image.setDevicePixelRatio(dpr)
    p = QtGui.QPainter(image)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    half = (side // 2) / dpr
    centre = QtCore.QPointF(half + fx / DOT_PHASES / dpr, half + fy / DOT_PHASES / dpr)
    for ring_or_dot in (pen("white", 6.6), pen(color, 5.0)):
        p.setPen(ring_or_dot)
        p.drawPoint(centre)
    p.end()
    return image


def dot(p: QtGui.QPainter, color: str, x: float, y: float, dpr: float) -> None:
    """A path dot centred at widget pixel (x, y), copied from a sprite (none far off the
    widget, or at a position that is not finite)."""
    if not (abs(x) < FAR_PX and abs(y) < FAR_PX):  # (also False for NaN and inf)
        return
    qx, qy = round(x * dpr * DOT_PHASES), round(y * dpr * DOT_PHASES)
    ix, fx = divmod(qx, DOT_PHASES)
    iy, fy = divmod(qy, DOT_PHASES)
    image = dot_sprite(color, dpr, fx, fy)
    off = image.width() // 2
    p.drawImage(QtCore.QPointF((ix - off) / dpr, (iy - off) / dpr), image)


def draw_arrows(p: QtGui.QPainter, line: QtGui.QPen, xs: Sequence[float],
                ys: Sequence[float]) -> None:
    """Arrows from :func:`gdviz.ui.arrows.arrow_segments`' points in pixels (a shaft and two
    head strokes each) with ``line``: a dashed or dotted one for the shaft alone, the heads
    solid (a dotted head broke into specks, a momentum run's velocity a scatter of dots)."""
    lines = [QtCore.QLineF(xs[i], ys[i], xs[i + 1], ys[i + 1])
             for i in range(0, len(xs) - 1, 2)]
    p.setPen(line)
    if line.style() == QtCore.Qt.PenStyle.SolidLine:
        p.drawLines(lines)
        return
    p.drawLines(lines[0::3])
    solid = QtGui.QPen(line)
    solid.setStyle(QtCore.Qt.PenStyle.SolidLine)
    p.setPen(solid)
    p.drawLines([*lines[1::3], *lines[2::3]])
