"""A typeset formula in a label: :class:`FormulaLabel`, scaled down to fit its width (no
further than the type around it), cut off fading where it must be, in the theme's ink."""

from __future__ import annotations

import math

import numpy as np

from gdviz.ui.qt import QtCore, QtGui, QtWidgets


def ink_on_clear(image: QtGui.QImage, ink: QtGui.QColor) -> QtGui.QImage:
    """A black-on-white picture as ``ink`` on a transparent ground (its darkness → opacity)."""
    rgb = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    h, w = rgb.height(), rgb.width()
    pixels = np.frombuffer(rgb.constBits(), np.uint8).reshape(h, rgb.bytesPerLine())
    bgr = pixels[:, : 4 * w].reshape(h, w, 4)[..., :3]
    out = np.empty((h, w, 4), np.uint8)
    out[..., :3] = (ink.blue(), ink.green(), ink.red())  # ARGB32 is B, G, R, A in memory
    out[..., 3] = 255 - bgr.min(axis=2)
    result = QtGui.QImage(out.data, w, h, 4 * w, QtGui.QImage.Format.Format_ARGB32).copy()
    result.setDevicePixelRatio(image.devicePixelRatio())
    return result


def faded_cut(pm: QtGui.QPixmap, width: int, fade: int = 36) -> QtGui.QPixmap:
    """The left ``width`` device pixels of ``pm``, fading out over the last ``fade``: a
    formula that goes on beyond the label, and shows that it does."""
    image = pm.toImage().convertToFormat(QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image = image.copy(0, 0, width, image.height())
    image.setDevicePixelRatio(1.0)  # (the painter's coordinates are then device pixels)
    painter = QtGui.QPainter(image)
    painter.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_DestinationIn)
    ramp = QtGui.QLinearGradient(width - fade, 0, width, 0)
    ramp.setColorAt(0.0, QtGui.QColor(0, 0, 0, 255))
    ramp.setColorAt(1.0, QtGui.QColor(0, 0, 0, 0))
    painter.fillRect(QtCore.QRect(width - fade, 0, fade, image.height()), ramp)
    painter.end()
    out = QtGui.QPixmap.fromImage(image)
    out.setDevicePixelRatio(pm.devicePixelRatio())
    return out


MIN_SHRINK = 0.5
"""The smallest a formula is drawn (its letters then as tall as the window's text): smaller
is unreadable (Goldstein–Price's partials shrank to dotted lines). Beyond it the formula is
cut off at the label's edge, fading out; its tooltip holds it whole."""


FORMULA_EM_PX = 18 * 144 / 72 / 1.5
"""The loss panel's formulas' em in logical pixels (18-point mathtext at 144 dpi, drawn at a
pixel ratio of 1.5)."""


class FormulaLabel(QtWidgets.QLabel):
    """Shows a typeset formula image, scaled down to fit, or plain text as a fallback.

    Parameters
    ----------
    name : str
        The object name.
    em_px : float
        The em of its pictures in logical pixels, unshrunk: they shrink no further than the
        label's own type (:meth:`smallest`).
    """

    def __init__(self, name: str, parent=None, em_px: float = FORMULA_EM_PX) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.em_px = em_px
        self.setMinimumHeight(28)
        self.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        self._pixmap: QtGui.QPixmap | None = None
        self._typeset: QtGui.QImage | None = None
        # Labels shrunk by one common factor (f and its partials: one type size, not the
        # widest formula smallest); set by the panel.
        self.peers: list[FormulaLabel] = [self]
        self.cut = False  # whether the picture is cut off at the right (see MIN_SHRINK)

    def set_formula(self, png: bytes | None, plain: str) -> None:
        """Show a typeset formula (``png``: black ink on white), or ``plain`` without one."""
        self.setToolTip(plain)
        self._typeset = QtGui.QImage.fromData(png, "PNG") if png else None
        if self._typeset is not None and not self._typeset.isNull():
            self._show_typeset()
        else:
            self._typeset = None
            self._pixmap = None
            self.cut = False
            self.setText(plain)

    def _show_typeset(self) -> None:
        image = self._typeset
        # The active ink even while the label is dimmed (disabled: a new loss's formulas are
        # on their way): the disabled grey would be baked into the picture for good.
        text = self.palette().color(QtGui.QPalette.ColorGroup.Active,
                                    QtGui.QPalette.ColorRole.WindowText)
        # The theme's ink on the panel's own ground (a white box around each formula, on the
        # light theme's grey panel, looked like a sticker; on the dark theme a glare)
        image = ink_on_clear(image, text)
        pm = QtGui.QPixmap.fromImage(image)
        pm.setDevicePixelRatio(1.5)
        self._pixmap = pm
        self._fit()

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.PaletteChange and self._typeset is not None:
            self._show_typeset()
        elif event.type() == QtCore.QEvent.Type.FontChange:
            self._fit()  # (larger type: a floor of its own, see smallest)

    def set_image(self, image: QtGui.QImage, ratio: float = 1.5) -> None:
        """Show a rendered formula image (scaled down to fit the label's width)."""
        self._typeset = None
        pm = QtGui.QPixmap.fromImage(image)
        pm.setDevicePixelRatio(ratio)
        self._pixmap = pm
        self._fit()

    def set_rich_text(self, text: str) -> None:
        """Show rich text (before a typeset image is ready)."""
        self._pixmap = self._typeset = None
        self.cut = False
        self.setText(text)

    def natural_width(self) -> float:
        """The picture's width unscaled, in logical pixels (0 without a picture)."""
        pm = self._pixmap
        return 0.0 if pm is None else pm.width() / pm.devicePixelRatio()

    def shrink(self) -> float:
        """The factor every peer's picture is drawn at: the widest one just fits (at most 1)."""
        # (The peers share this label's column: its width serves for all, even while a
        # resize has reached it and not them yet.)
        width = max(self.width() - 4, 50)
        widest = max(label.natural_width() for label in self.peers)
        return min(1.0, width / widest) if widest > 0 else 1.0

    def smallest(self) -> float:
        """The smallest factor its picture is drawn at: letters as tall as its own type (the
        window's text, presentation mode's, the lecture tabs'), at least :data:`MIN_SHRINK`,
        at most 1. (In presentation mode a long loss's formulas shrank to 12 pixels, and the
        Slice tab's, typeset smaller, to 8 beside 17-pixel text.)"""
        text_px = QtGui.QFontInfo(self.font()).pixelSize()
        return min(1.0, max(MIN_SHRINK, text_px / self.em_px))

    def _fit(self) -> None:
        if self._pixmap is None:
            return
        pm = self._pixmap
        scale = max(self.shrink(), self.smallest())
        if scale < 1.0:
            pm = pm.scaledToWidth(max(1, int(pm.width() * scale)), QtCore.Qt.SmoothTransformation)
            pm.setDevicePixelRatio(self._pixmap.devicePixelRatio())
        room = int(max(self.width() - 4, 50) * pm.devicePixelRatio())
        self.cut = pm.width() > room + 1
        if self.cut:
            pm = faded_cut(pm, room)
        # As tall as the picture: on a 720-line screen the sidebar gave each label its
        # minimum, 28 pixels, and a fraction's top and bottom were cut off (the controls
        # scroll instead). Only when it changes: a new minimum lays the window out again.
        tall = max(28, math.ceil(pm.height() / pm.devicePixelRatio()) + 2)
        if tall != self.minimumHeight():
            self.setMinimumHeight(tall)
        self.setPixmap(pm)

    def refit(self) -> None:
        """Draw the picture again at the peers' common factor (one of them changed)."""
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()
