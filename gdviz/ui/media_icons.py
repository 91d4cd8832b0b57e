"""The playback buttons' icons, drawn here: play, pause, step forward and back, reset.

The style's standard icons come from the desktop's icon theme: they look different on every
desktop, their first lookup reads icon folders from disk, and they keep their dark colours on
the dark theme's background. These are plain shapes in the text
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


def media_pixmap(kind: str, color: QtGui.QColor, dpr: float = 1.0,
                 side: float = SIZE) -> QtGui.QPixmap:
    """Icon ``kind`` as a ``side``-point pixmap at device pixel ratio ``dpr``."""
    polygons, bars = _shapes(kind)  # (an unknown kind raises before any drawing)
    pixels = max(1, round(side * dpr))
    image = QtGui.QImage(pixels, pixels, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    p = QtGui.QPainter(image)
    try:
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.scale(pixels / SIZE, pixels / SIZE)  # the shapes are laid out in a SIZE box
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.setBrush(color)
        for polygon in polygons:
            p.drawPolygon(polygon)
        for bar in bars:
            p.drawRect(bar)
    finally:
        p.end()
    image.setDevicePixelRatio(dpr)
    return QtGui.QPixmap.fromImage(image)


class _MediaEngine(QtGui.QIconEngine):
    """Draws the icon for the size and device pixel ratio asked for: sharp on any screen,
    including one the window moves to."""

    def __init__(self, kind: str, color: QtGui.QColor) -> None:
        super().__init__()
        self.kind, self.color = kind, QtGui.QColor(color)

    def _color(self, mode: QtGui.QIcon.Mode) -> QtGui.QColor:
        color = QtGui.QColor(self.color)
        if mode == QtGui.QIcon.Mode.Disabled:
            color.setAlphaF(0.35)
        return color

    def scaledPixmap(self, size: QtCore.QSize, mode: QtGui.QIcon.Mode,  # noqa: N802 - Qt's
                     state: QtGui.QIcon.State, scale: float) -> QtGui.QPixmap:
        side = min(size.width(), size.height())
        return media_pixmap(self.kind, self._color(mode), max(scale, 0.01), side)

    def pixmap(self, size: QtCore.QSize, mode: QtGui.QIcon.Mode,
               state: QtGui.QIcon.State) -> QtGui.QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def paint(self, painter: QtGui.QPainter, rect: QtCore.QRect, mode: QtGui.QIcon.Mode,
              state: QtGui.QIcon.State) -> None:
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        side = min(rect.width(), rect.height())
        painter.drawPixmap(rect.topLeft(), media_pixmap(self.kind, self._color(mode), dpr, side))

    def clone(self) -> _MediaEngine:
        return _MediaEngine(self.kind, self.color)


def media_icon(kind: str, palette: QtGui.QPalette) -> QtGui.QIcon:
    """Icon ``kind`` in ``palette``'s button text colour (faded when disabled), drawn for
    whatever size and device pixel ratio it is shown at."""
    _shapes(kind)  # (an unknown kind raises here, not at the first paint)
    return QtGui.QIcon(_MediaEngine(kind, palette.color(QtGui.QPalette.ColorRole.ButtonText)))
