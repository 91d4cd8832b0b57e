"""The playback buttons' icons, drawn here: play, pause, step forward and back, reset.

The style's standard icons come from the desktop's icon theme, whose first lookup reads icon
folders from disk (~10 ms of every launch before the first frame), look different on every
desktop, and keep their colours on a dark background. These are plain shapes in the text
colour of the palette they are drawn for, sharp at any device pixel ratio.
"""

from __future__ import annotations

from gdviz.ui.binding import QtCore, QtGui

KINDS = ("reset", "back", "play", "pause", "forward")
SIZE = 24  # logical pixels (the buttons' icon size)

# Shapes in a 24 × 24 box: polygons (triangles) and rectangles (bars).
_TRIANGLE_RIGHT = ((0.0, 0.0), (1.0, 0.5), (0.0, 1.0))


def _triangle(x: float, width: float, pointing_right: bool) -> QtGui.QPolygonF:
    top, height = 5.0, 14.0
    points = [(x + (px if pointing_right else 1.0 - px) * width, top + py * height)
              for px, py in _TRIANGLE_RIGHT]
    return QtGui.QPolygonF([QtCore.QPointF(a, b) for a, b in points])


def _shapes(kind: str) -> tuple[list[QtGui.QPolygonF], list[QtCore.QRectF]]:
    if kind == "play":
        return [_triangle(7.0, 12.0, True)], []
    if kind == "pause":
        return [], [QtCore.QRectF(6.5, 5.0, 4.0, 14.0), QtCore.QRectF(13.5, 5.0, 4.0, 14.0)]
    if kind == "forward":
        return [_triangle(3.5, 8.5, True), _triangle(12.0, 8.5, True)], []
    if kind == "back":
        return [_triangle(3.5, 8.5, False), _triangle(12.0, 8.5, False)], []
    if kind == "reset":
        return [_triangle(9.5, 10.0, False)], [QtCore.QRectF(5.0, 5.0, 3.0, 14.0)]
    raise ValueError(f"unknown icon '{kind}' (choose from {', '.join(KINDS)})")


def media_pixmap(kind: str, color: QtGui.QColor, dpr: float = 1.0) -> QtGui.QPixmap:
    """Icon ``kind`` as a ``SIZE``-point pixmap at device pixel ratio ``dpr``."""
    side = max(1, round(SIZE * dpr))
    image = QtGui.QImage(side, side, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    image.setDevicePixelRatio(dpr)
    polygons, bars = _shapes(kind)
    p = QtGui.QPainter(image)
    try:
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(color)
        for polygon in polygons:
            p.drawPolygon(polygon)
        for bar in bars:
            p.drawRect(bar)
    finally:
        p.end()
    return QtGui.QPixmap.fromImage(image)


def media_icon(kind: str, palette: QtGui.QPalette) -> QtGui.QIcon:
    """Icon ``kind`` in ``palette``'s button text colour, at 1× and 2× (Qt derives the
    disabled look from them)."""
    color = palette.color(QtGui.QPalette.ColorRole.ButtonText)
    icon = QtGui.QIcon()
    for dpr in (1.0, 2.0):
        icon.addPixmap(media_pixmap(kind, color, dpr))
    return icon
