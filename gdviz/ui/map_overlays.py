"""Things drawn over the 2D map: the legend and the basins overlay's parts (the slice line:
:mod:`gdviz.ui.map_slice_line`).

Small and mostly static; each is painted in logical widget pixels by the map canvas.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.legend_places import corner_rect

BOX_LIGHT, BOX_DARK = (255, 255, 255, 238), (40, 42, 46, 242)
"""The legends' box colours (RGBA)."""


SAMPLE = 34.0
"""Length (pixels) of a legend entry's line sample."""
DIM_ON_DARK = 110
"""A sample darker than this (HSL lightness) gets a light rim on the dark theme's box."""
RIM = (255, 255, 255, 170)
"""The light rim's colour (RGBA), under the field's ramp and dark samples."""


LEGEND_LEAST_PX = 10
"""The smallest type a legend is set in where it is made smaller to fit (pixels)."""


HEADING = "heading"
"""An entry's key for a line of its own with no swatch or sample (what the key is for)."""


@dataclass
class Legend:
    """Entries ``(key, text, QPen)`` in a box at a corner; cached as an image. An entry
    keyed :data:`HEADING` is a line of text alone, from the box's left edge."""

    corner: str = "top-left"
    entries: list[tuple[str, str, QtGui.QPen]] = field(default_factory=list)
    visible: bool = True
    swatches: bool = False  # square colour swatches instead of line samples
    scale: float = 1.0  # its type, of the map's (the compact legend's last resort: smaller)
    least_px: int = LEGEND_LEAST_PX  # the smallest type ``scale`` makes
    _image: QtGui.QImage | None = None
    _key: tuple | None = None
    _font: QtGui.QFont | None = None  # (the type the picture was drawn in)

    def set_entries(self, entries) -> None:
        self.entries = list(entries)
        self._image = None

    def box_size(self, font: QtGui.QFont, dark: bool) -> QtCore.QSizeF | None:
        """The legend's size in ``font`` (None: nothing to show)."""
        if not self.visible or not self.entries:
            return None
        if self.scale != 1.0:
            # (``least_px`` at least, or the type's own if smaller: Himmelblau's basins at
            # 1366 × 768, 70 % of 12 pixels, could not be read)
            px = QtGui.QFontInfo(font).pixelSize()
            font = QtGui.QFont(font)
            font.setPixelSize(max(min(self.least_px, px), round(px * self.scale)))
        key = (tuple((k, t, pen.color().name(), pen.widthF(), pen.style().value, _stops(pen))
                     for k, t, pen in self.entries), font.toString(), dark, self.swatches)
        if self._image is None or key != self._key:
            self._image, self._key, self._font = self._render(font, dark), key, font
        dpr = self._image.devicePixelRatio()
        return QtCore.QSizeF(self._image.width() / dpr, self._image.height() / dpr)

    def rect(self, plot: QtCore.QRectF, font: QtGui.QFont,
             dark: bool) -> QtCore.QRectF | None:
        """Where the legend is drawn in ``plot`` (None: not drawn). The map keeps its level
        labels out of it (a label under the box showed through it)."""
        size = self.box_size(font, dark)
        if size is None:
            return None
        if size.width() > plot.width() - 4 or size.height() > plot.height() - 4:
            return None  # a map too narrow for it (large type): no legend rather than a cut one
        return corner_rect(plot, size, self.corner)

    def paint(self, p: QtGui.QPainter, plot: QtCore.QRectF, font: QtGui.QFont,
              dark: bool) -> None:
        box = self.rect(plot, font, dark)
        if box is None:
            return
        if p.paintEngine().type() == QtGui.QPaintEngine.Type.SVG:
            # As lines and text in an SVG (a picture of it was blurred on a scaled slide)
            p.save()
            p.translate(box.topLeft())
            self._draw(p, self._font, dark, box.width(), box.height())
            p.restore()
        else:
            p.drawImage(box.topLeft(), self._image)

    def _render(self, font: QtGui.QFont, dark: bool) -> QtGui.QImage:
        fm = QtGui.QFontMetricsF(font)
        row = max(fm.height(), 14.0) + 4
        width = max(fm.horizontalAdvance(t) + (0 if k == HEADING else SAMPLE + 8)
                    for k, t, _ in self.entries) + 20
        height = 8 + row * len(self.entries) + 4
        image = QtGui.QImage(round(width), round(height),
                             QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QtCore.Qt.GlobalColor.transparent)
        p = QtGui.QPainter(image)
        self._draw(p, font, dark, width, height)
        p.end()
        return image

    def _draw(self, p: QtGui.QPainter, font: QtGui.QFont, dark: bool, width: float,
              height: float) -> None:
        """The legend's box and entries with its top left at the painter's origin."""
        fm = QtGui.QFontMetricsF(font)
        sample = SAMPLE
        row = max(fm.height(), 14.0) + 4
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtGui.QPen(QtGui.QColor("#888888"), 1.0))
        # Nearly opaque: the field's arrows under a lighter box showed through its entries
        # (a red shaft across "∇f (uphill)" reads as part of the key)
        p.setBrush(QtGui.QColor(*BOX_DARK) if dark else QtGui.QColor(*BOX_LIGHT))
        p.drawRect(QtCore.QRectF(0.5, 0.5, width - 1, height - 1))
        p.setFont(font)
        text_color = QtGui.QColor("#e6e6e6" if dark else "#111111")
        for i, (key, text, pen) in enumerate(self.entries):
            y = 8 + row * i + row / 2
            if key == HEADING:
                p.setPen(text_color)
                p.drawText(QtCore.QPointF(10, y + fm.ascent() / 2 - 1), text)
                continue
            if self.swatches:  # (as tall as most of a line: 12 pixels were a speck beside
                # presentation mode's 24-pixel type)
                side = max(12.0, round(0.7 * fm.height()))
                p.setPen(QtGui.QPen(QtGui.QColor("#555555"), 1.0))
                p.setBrush(pen.color())
                p.drawRect(QtCore.QRectF(10 + sample / 2 - side / 2, y - side / 2, side, side))
            elif (pen.brush().gradient() is not None
                  and pen.style() == QtCore.Qt.PenStyle.SolidLine):
                # A ramp (the field's): a filled strip on a light rim, not a stroke (an SVG
                # writes a stroke by its pen's one colour: black; the rim keeps its dark end
                # seen on the dark theme's box)
                w = pen.widthF()
                strip = QtCore.QRectF(10, y - w / 2, sample, w)
                p.setPen(QtCore.Qt.PenStyle.NoPen)
                p.setBrush(QtGui.QColor(*RIM))
                p.drawRect(strip.adjusted(-1, -1, 1, 1))
                p.setBrush(pen.brush())
                p.drawRect(strip)
            elif pen.brush().gradient() is not None:  # dashed: the runs' steps, one dash
                # in each run's colour (dashes of the pen's own pattern mixed three colours;
                # a gradient stroke is written in an SVG in one colour)
                stops = pen.brush().gradient().stops()
                for (t0, color), (t1, _same) in zip(stops[::2], stops[1::2], strict=False):
                    _stroke(p, QtGui.QPen(color, pen.widthF(), QtCore.Qt.PenStyle.SolidLine,
                                          QtCore.Qt.PenCapStyle.FlatCap),
                            10 + t0 * sample, 10 + (t0 + 0.7 * (t1 - t0)) * sample, y, dark)
            else:
                _stroke(p, pen, 10, 10 + sample, y, dark)
            p.setPen(text_color)
            p.drawText(QtCore.QPointF(10 + sample + 8, y + fm.ascent() / 2 - 1), text)


def _stroke(p: QtGui.QPainter, pen: QtGui.QPen, x0: float, x1: float, y: float,
            dark: bool) -> None:
    """A sample's line from ``x0`` to ``x1`` at ``y``; on the ``dark`` box a dark one on a
    light rim, as the field's ramp (∇f's dark red was all but invisible on a projector), its
    dashes as long as the line's (a pattern is counted in pen widths: the wider rim's dashes
    were twice as long)."""
    if dark and pen.color().lightness() < DIM_ON_DARK:
        rim = QtGui.QPen(pen)
        rim.setColor(QtGui.QColor(*RIM))
        w, rw = pen.widthF(), pen.widthF() + 3.0
        rim.setWidthF(rw)
        ext = 0.0
        if pen.style() != QtCore.Qt.PenStyle.SolidLine:
            # (flat-capped: each dash exactly as long as the line's with its caps)
            ext = 0.0 if pen.capStyle() == QtCore.Qt.PenCapStyle.FlatCap else w
            pattern = pen.dashPattern()
            rim.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
            rim.setDashPattern([(v * w + (ext if k % 2 == 0 else -ext)) / rw
                                for k, v in enumerate(pattern)])
        p.setPen(rim)
        # (to x1 only: past it a dash the line does not draw began, a sliver of rim alone)
        p.drawLine(QtCore.QPointF(x0 - ext / 2, y), QtCore.QPointF(x1, y))
    p.setPen(pen)
    p.drawLine(QtCore.QPointF(x0, y), QtCore.QPointF(x1, y))


def _stops(pen: QtGui.QPen) -> tuple:
    """A gradient pen's colour stops (what its picture depends on beside its colour)."""
    gradient = pen.brush().gradient()
    return () if gradient is None else tuple((t, c.name()) for t, c in gradient.stops())


def show_basins(canvas, rgba: np.ndarray | None, domain=None, markers=None,
                legend: list[tuple[str, str]] | None = None, points=None) -> None:
    """Show on the map ``canvas`` (or with ``rgba=None`` hide) a basins picture, its minima
    ``markers`` and its legend's ``(colour, text)`` entries (colour "": a heading), with
    ``points``, the minimum each entry names (None: none, or no such list)."""
    if rgba is None:
        canvas.basins.visible = False
        canvas.basins_legend.visible = False
    else:
        canvas.basins.set_picture(rgba, domain)
        canvas.basins.markers = np.asarray(markers if markers is not None else
                                           np.empty((0, 2)), dtype=float).reshape(-1, 2)
        canvas.basins.visible = True
        canvas.legends.set_basins_entries([("" if color else HEADING, text,
                                            QtGui.QPen(QtGui.QColor(color or "#000000")))
                                           for color, text in (legend or [])], points)
        canvas.basins_legend.visible = bool(legend)
        canvas.legends.place_basins(canvas.basins.markers)
    canvas.invalidate()


CROWDED = 12
"""More minima than this on the basins map: a star at the lowest alone, dots at the rest."""


@dataclass
class BasinsLayer:
    """A coloured picture over the heatmap (RGBA rows upwards) and star markers."""

    image: QtGui.QImage | None = None
    domain: tuple = ((0.0, 1.0), (0.0, 1.0))
    opacity: float = 0.72
    markers: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    starred: int = 1  # (the first markers, the lowest minima: starred where they crowd)
    visible: bool = False
    rgba: np.ndarray | None = None

    def set_picture(self, rgba: np.ndarray, domain) -> None:
        self.rgba = np.asarray(rgba, dtype=np.uint8)  # rows upwards, as given
        rgba = np.ascontiguousarray(self.rgba[::-1])
        h, w = rgba.shape[:2]
        self.image = QtGui.QImage(rgba.data, w, h, 4 * w,
                                  QtGui.QImage.Format.Format_RGBA8888).copy()
        self.domain = domain

    def paint(self, p: QtGui.QPainter, canvas) -> None:
        if not self.visible or self.image is None:
            return
        (a0, a1), (b0, b1) = self.domain
        x0, y1 = canvas.data_to_px(a0, b0)
        x1, y0 = canvas.data_to_px(a1, b1)
        p.save()
        p.setOpacity(self.opacity)
        p.drawImage(QtCore.QRectF(float(x0), float(y0), float(x1 - x0), float(y1 - y0)),
                    self.image)
        p.restore()

    def paint_markers(self, p: QtGui.QPainter, canvas) -> None:
        """A star at each minimum; where more than :data:`CROWDED` are, at the lowest (the
        first :attr:`starred`) alone, the others small dots (Rastrigin's 121 stars buried
        its map)."""
        if not self.visible or not len(self.markers):
            return
        px, py = canvas.data_to_px(self.markers[:, 0], self.markers[:, 1])
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtGui.QPen(QtGui.QColor("black"), 1.5))
        p.setBrush(QtGui.QColor("white"))
        crowded = len(px) > CROWDED
        for i, (x, y) in enumerate(zip(px, py, strict=True)):
            if crowded and i >= self.starred:
                p.drawEllipse(QtCore.QPointF(float(x), float(y)), 3.0, 3.0)
            else:
                p.drawPolygon(_star(float(x), float(y), 10.0))


def _star(x: float, y: float, r: float) -> QtGui.QPolygonF:
    angles = np.pi / 2 + np.arange(10) * np.pi / 5
    radii = np.where(np.arange(10) % 2 == 0, r, r * 0.45)
    return QtGui.QPolygonF([QtCore.QPointF(x + rr * np.cos(t), y - rr * np.sin(t))
                            for rr, t in zip(radii, angles, strict=True)])
