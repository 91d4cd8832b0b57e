"""The text item of an ``ItemCanvas``: a label at a data point (see :mod:`.items`)."""

from __future__ import annotations

import math

import numpy as np

from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.canvas.items import Item
from gdviz.ui.colors import readable

REGROW = 0.8  # a shrunk label takes its full size again once that fills at most this much


class Text(Item):
    """Text at a data point; ``anchor`` (0..1, 0..1) is the text box point placed there.

    The font is the canvas's, ``scale`` times as large; ``\\n`` starts a new (centred) line.
    With ``inside`` the box is moved into the plot area where the anchor would put part of it
    outside, and its type made smaller where it is wider than the plot (a long label near an
    edge, in a narrow plot, is shown whole, not cut off).
    """

    def __init__(self, text: str = "", color="#111111", anchor=(0.0, 0.0),
                 fill=None, scale: float = 1.0, bold: bool = False, z: float = 10.0,
                 inside: bool = False) -> None:
        super().__init__(z, in_range=False)
        self.inside = inside
        self.text = text
        self.color = QtGui.QColor(color)
        self.anchor = anchor
        self.fill = QtGui.QColor(fill) if fill is not None else None
        self.scale = scale
        self.bold = bold
        self.pos = (np.nan, np.nan)
        self._font: tuple[tuple, QtGui.QFont, QtGui.QFontMetricsF] | None = None
        self._fitted: tuple[tuple, float, QtGui.QFont, QtGui.QFontMetricsF] | None = None
        self._measured: tuple[str, QtGui.QFontMetricsF, float] | None = None  # see _width

    def set_text(self, text: str, x: float | None = None, y: float | None = None) -> None:
        if x is not None and y is not None:
            self.pos = (float(x), float(y))
        self.text = text
        self.changed()

    def set_pos(self, x: float, y: float) -> None:
        self.pos = (float(x), float(y))
        self.changed()

    def set_anchor(self, anchor: tuple[float, float]) -> None:
        """The point of the text box put at :attr:`pos` ((0, 0): top left, (1, 1): bottom
        right; values outside 0..1 leave a gap)."""
        if tuple(anchor) != tuple(self.anchor):
            self.anchor = (float(anchor[0]), float(anchor[1]))
            self.changed()

    def set_color(self, color) -> None:
        """Colour of the text (a name or a ``QColor``)."""
        self.color = QtGui.QColor(color)
        self.changed()

    def toPlainText(self) -> str:  # noqa: N802 - the name Qt's text items use
        """The text shown."""
        return self.text

    def _font_and_metrics(self, base: QtGui.QFont,
                          fit: float = math.inf) -> tuple[QtGui.QFont, QtGui.QFontMetricsF]:
        # Kept between paints: building a font and its metrics costs more than drawing.
        key = (base.key(), self.scale, self.bold)
        if self._font is None or self._font[0] != key:
            self._font = (key, *self._scaled(base, self.scale))
            self._fitted = None
        font, fm = self._font[1], self._font[2]
        if fit == math.inf:
            return font, fm
        # ``fit``: the widest the text may be; a smaller type where it is wider. The smaller
        # type is kept for the next texts (only made smaller still), until the plot's width
        # or the font changes: a value that changes every frame must not change size too.
        fitted_key = (key, fit)
        full_wide = self._width(fm)
        fitted = self._fitted if self._fitted is not None and self._fitted[0] == fitted_key \
            else (fitted_key, self.scale, font, fm)
        if full_wide <= REGROW * fit:  # well inside at full size again (another loss, say)
            fitted = (fitted_key, self.scale, font, fm)
        _, scale, font, fm = fitted
        wide = self._width(fm)
        for _ in range(3):
            if wide <= fit:
                break
            scale *= 0.98 * fit / wide
            font, fm = self._scaled(base, scale)
            wide = self._width(fm)
        self._fitted = (fitted_key, scale, font, fm)
        return font, fm

    def _width(self, fm: QtGui.QFontMetricsF) -> float:
        """The box's width for the text in ``fm``'s type (its widest line and a margin)."""
        # (kept for the last text and metrics: a placement asks three times per place tried)
        kept = self._measured
        if kept is not None and kept[0] == self.text and kept[1] is fm:
            return kept[2]
        width = max(fm.horizontalAdvance(line) for line in self.text.split("\n")) + 6
        self._measured = (self.text, fm, width)
        return width

    def _scaled(self, base: QtGui.QFont, scale: float) -> tuple[QtGui.QFont, QtGui.QFontMetricsF]:
        font = QtGui.QFont(base)
        if scale != 1.0:
            size = font.pixelSize()
            if size > 0:
                font.setPixelSize(max(6, round(size * scale)))
            else:
                font.setPointSizeF(max(5.0, font.pointSizeF() * scale))
        font.setBold(self.bold)
        return font, QtGui.QFontMetricsF(font)

    def box(self, canvas) -> QtCore.QRectF | None:
        """The rectangle the text fills on ``canvas`` (widget pixels), None when not shown."""
        font_box = self._font_and_box(canvas)
        return None if font_box is None else font_box[1]

    def _font_and_box(self, canvas) -> tuple[QtGui.QFont, QtCore.QRectF] | None:
        placed = self._placed(canvas, np.array([self.anchor], float))
        if placed is None:
            return None
        font, ((left, top, right, bottom),) = placed
        return font, QtCore.QRectF(left, top, right - left, bottom - top)

    def boxes(self, canvas, anchors) -> np.ndarray | None:
        """The rectangles the text would fill at each of ``anchors`` (``(n, 2)``), as
        ``(n, 4)`` rows of left, top, right and bottom in widget pixels; None when not shown.
        (One call for many places: the slope label tries twenty in a frame.)"""
        placed = self._placed(canvas, np.asarray(anchors, float).reshape(-1, 2))
        return None if placed is None else placed[1]

    def _placed(self, canvas, anchors: np.ndarray) -> tuple[QtGui.QFont, np.ndarray] | None:
        if not self.text or not all(np.isfinite(self.pos)):
            return None
        area = canvas.plot_rect() if self.inside else None
        font, fm = self._font_and_metrics(canvas.font(),
                                          area.width() if area is not None else math.inf)
        w = self._width(fm)
        h = fm.lineSpacing() * self.text.count("\n") + fm.height() + 2
        x, y = canvas.data_to_px(*self.pos)
        left = float(x) - anchors[:, 0] * w
        top = float(y) - anchors[:, 1] * h
        if area is not None:  # (2 pixels off the frame: "slope 2" touched the axis line)
            area = area.adjusted(2, 2, -2, -2)
            left = np.maximum(area.left(), np.minimum(left, area.right() - w))
            top = np.maximum(area.top(), np.minimum(top, area.bottom() - h))
        return font, np.column_stack([left, top, left + w, top + h])

    def paint(self, p, canvas) -> None:
        font_box = self._font_and_box(canvas)
        if font_box is None:
            return
        font, box = font_box
        ground = canvas.backgroundBrush().color()
        if self.fill is not None:
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            ground = canvas.ink(self.fill, floor=False)  # a box as dark as the ground
            p.setBrush(ground)
            p.drawRoundedRect(box, 3, 3)
        p.setFont(font)
        # Readable on its box or ground (WCAG 4.5 : 1, the hue kept): the Gradient tab's dark
        # red "∇f" on the dark theme's black box was hard to read from the back of a room.
        ink = canvas.ink(self.color)
        p.setPen(QtGui.QColor(readable(ink.name(), ground.name())))
        p.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, self.text)
