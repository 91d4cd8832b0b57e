"""A typeset formula in a label: :class:`FormulaLabel`, scaled down to fit its width (no
further than the type around it; up, with larger type, where asked), cut off fading where it
must be, in the theme's ink."""

from __future__ import annotations

import math

import numpy as np

from gdviz.ui.mathtext import PAD
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


WRAP_BELOW = 0.75
"""A formula that one line holds at this size or larger is shrunk, not broken onto lines
(sin(w1)·w2·(1 − w2) is better a little smaller than broken inside its bracket)."""
MAX_LINES = 3
"""The most lines a long formula is broken onto (the rest fades out; the tooltip has it)."""
INDENT_EM = 1.0
"""How far lines after a formula's first are indented, in ems."""
LINE_GAP_EM = 0.15
"""The space between a formula's lines, in ems."""

GROW_MOST = 1.5
"""The most a growing formula is drawn larger than typeset: its pictures are typeset at 144
dpi and drawn at a pixel ratio of 1.5, so at 1.5 times each of their pixels is one of a
standard screen's (grown less, they are resampled once, by the lower ratio)."""
OVER_TYPE = 1.5
"""A growing formula's em over the type around it, where its width leaves room."""

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
    largest : float or None
        Its em at most this many times its type's.
    grow : bool
        Whether it is drawn larger than typeset with larger type around it, up to
        :data:`OVER_TYPE` times the type and :data:`GROW_MOST` times its size (the loss
        panel's formulas, whose letters were as tall as presentation mode's 24-pixel type,
        looked smaller than the labels beside them).
    """

    def __init__(self, name: str, parent=None, em_px: float = FORMULA_EM_PX,
                 largest: float | None = None, grow: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.em_px = em_px
        # (its em at most this many times its type's, where given: see _fit)
        self.largest = largest
        self.grow = grow
        self.leader: FormulaLabel | None = None  # grown no larger than it (see lead)
        self.followers: list[FormulaLabel] = []
        self.setMinimumHeight(28)
        self.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        self._pixmap: QtGui.QPixmap | None = None
        self._typeset: QtGui.QImage | None = None
        self._plain_text = ""  # the plain text shown without a typeset picture (see _elide)
        # Labels shrunk by one common factor (f and its partials: one type size, not the
        # widest formula smallest); set by the panel.
        self.peers: list[FormulaLabel] = [self]
        self.cut = False  # whether the picture is cut off at the right (see MIN_SHRINK)
        self.lines = 1  # the lines the picture is broken onto (see set_formula's pieces)
        self.scale = 1.0  # the factor its picture is drawn at
        self._pieces: list[tuple[QtGui.QImage, int]] = []  # typeset, black on white
        self._inked: list[tuple[QtGui.QImage, int]] = []  # in the theme's ink

    def set_formula(self, png: bytes | None, plain: str, pieces=None) -> None:
        """Show a typeset formula (``png``: black ink on white), or ``plain`` without one;
        ``pieces`` (:func:`gdviz.ui.mathtext.render_pieces`: PNG bytes and baseline row
        each), where given, are put on up to :data:`MAX_LINES` lines when the whole is wider
        than the label at its smallest."""
        self.setToolTip(plain)  # (as Python writes it: text to copy into a script)
        self._pieces = [(QtGui.QImage.fromData(p, "PNG"), base) for p, base in pieces or ()]
        self._typeset = QtGui.QImage.fromData(png, "PNG") if png else None
        if self._typeset is not None and not self._typeset.isNull():
            self._plain_text = ""
            self._show_typeset()
        else:
            self._typeset = None
            self._pixmap = None
            # (powers as the box and the sentences write them, not Python's **, and products
            # and minus signs as the Chain rule tab's: Goldstein–Price's partials read
            # "((2*w1 - 3*w2)^2*(24*w1 …" beside its "(2·w1 − 3·w2)"; cut with "…" where too
            # wide, the whole in the tooltip: a long loss's was cut at the panel's edge with
            # nothing to say so)
            self._plain_text = plain.replace("**", "^").replace("*", "·").replace("-", "−")
            self._elide()

    def _elide(self) -> None:
        """The plain text, each line with "…" where it is wider than the label."""
        room = max(self.width() - 4, 50)
        metrics, mode = self.fontMetrics(), QtCore.Qt.TextElideMode.ElideRight
        shown = "\n".join(metrics.elidedText(line, mode, room)
                          for line in self._plain_text.split("\n"))
        self.cut = shown != self._plain_text
        self.setText(shown)

    def _show_typeset(self) -> None:
        image = self._typeset
        # The active ink even while the label is dimmed (disabled: a new loss's formulas are
        # on their way): the disabled grey would be baked into the picture for good.
        text = self.palette().color(QtGui.QPalette.ColorGroup.Active,
                                    QtGui.QPalette.ColorRole.WindowText)
        # The theme's ink on the panel's own ground (a white box around each formula, on the
        # light theme's grey panel, looked like a sticker; on the dark theme a glare)
        image = ink_on_clear(image, text)
        self._inked = [(ink_on_clear(piece, text), base) for piece, base in self._pieces]
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

    def set_image(self, image: QtGui.QImage, ratio: float = 1.5,
                  pieces: list[tuple[QtGui.QImage, int]] | None = None) -> None:
        """Show a rendered formula image (scaled down to fit the label's width); ``pieces``
        (pictures in its colours and their baselines' rows, as :meth:`set_formula`'s) break
        it onto lines where it is too wide."""
        self._typeset, self._plain_text = None, ""
        self._pieces = self._inked = list(pieces or ())
        pm = QtGui.QPixmap.fromImage(image)
        pm.setDevicePixelRatio(ratio)
        self._pixmap = pm
        self._fit()

    def set_rich_text(self, text: str) -> None:
        """Show rich text (before a typeset image is ready), as tall as its lines."""
        self._pixmap = self._typeset = None
        self._plain_text = ""
        self._pieces, self._inked = [], []
        self.cut = False
        self.setText(text)
        # (the last picture's height stayed: Adam's four plain lines got two lines' room,
        # the third's hats drawn over the second)
        self.setMinimumHeight(max(28, self.fontMetrics().lineSpacing() * (text.count("<br>") + 1)
                                  + 2 * self.margin() + 4))

    def natural_width(self) -> float:
        """The picture's width unscaled, in logical pixels (0 without a picture)."""
        pm = self._pixmap
        return 0.0 if pm is None else pm.width() / pm.devicePixelRatio()

    def fit_width(self, room: float) -> float:
        """The width its picture needs unscaled, in logical pixels, in a label ``room`` wide:
        the whole, or, for a formula in pieces that one line holds only shrunk below
        :data:`WRAP_BELOW`, the wider of two lines where it is broken best (Rastrigin's f,
        shrunk to fit one line, was drawn as small as the label allows and still cut off)."""
        whole = self.natural_width()
        # (one line only where it fits no smaller than the label's type: in presentation mode
        # exp(−w1² − w2²)·cos(3w1)'s ∂f/∂w1 was held at its smallest, 1, for the one line,
        # broken onto two all the same, and drawn smaller than the labels beside it)
        if len(self._pieces) < 2 or self._pixmap is None or \
                whole * max(WRAP_BELOW, self.smallest()) <= room:
            return whole
        ratio = self._pixmap.devicePixelRatio()
        # (a pixel a piece for the rounding of each piece's scaled width)
        widths = [image.width() + 1 for image, _ in self._pieces]
        indent = INDENT_EM * self.em_px * ratio + 1
        two = min(max(sum(widths[:k]), indent + sum(widths[k:])) for k in range(1, len(widths)))
        return min(whole, two / ratio)

    def shrink(self, most: float = 1.0) -> float:
        """The factor every peer's picture is drawn at: the widest one just fits (at most
        ``most``), on two lines where it is in pieces."""
        # (The peers share this label's column: its width serves for all, even while a
        # resize has reached it and not them yet.)
        width = max(self.width() - 4, 50)
        widest = max(label.fit_width(width) for label in self.peers)
        return min(most, width / widest) if widest > 0 else most

    def largest_scale(self) -> float:
        """The largest factor its picture is drawn at (where it fits): 1, or for a growing
        label up to :data:`OVER_TYPE` times its type and :data:`GROW_MOST` (and no more than
        its leader's, where it has one: see :meth:`lead`)."""
        if not self.grow:
            return 1.0
        text_px = QtGui.QFontInfo(self.font()).pixelSize()
        most = min(GROW_MOST, max(1.0, OVER_TYPE * text_px / self.em_px))
        return most if self.leader is None else min(most, max(1.0, self.leader.scale))

    def lead(self, follower: FormulaLabel) -> None:
        """Grow ``follower`` no larger than this label is drawn (the update rule under the
        loss's formulas: 1.5 times their size beside a long loss's shrunk to fit)."""
        follower.leader = self
        self.followers.append(follower)
        follower.refit()

    def smallest(self) -> float:
        """The smallest factor its picture is drawn at: letters as tall as its own type (the
        window's text, presentation mode's, the lecture tabs'), at least :data:`MIN_SHRINK`,
        at most 1. (In presentation mode a long loss's formulas shrank to 12 pixels, and the
        Slice tab's, typeset smaller, to 8 beside 17-pixel text.)"""
        text_px = QtGui.QFontInfo(self.font()).pixelSize()
        return min(1.0, max(MIN_SHRINK, text_px / self.em_px))

    def _fit(self) -> None:
        if self._pixmap is None:
            if self._plain_text:
                self._elide()
            return
        pm = self._pixmap
        shrink = self.shrink(self.largest_scale())
        if self.largest is not None:  # (no larger than its share of the type around it)
            text_px = QtGui.QFontInfo(self.font()).pixelSize()
            shrink = min(shrink, self.largest * text_px / self.em_px)
        self.scale = scale = max(shrink, self.smallest())
        ratio = pm.devicePixelRatio()  # (as typeset)
        if scale > 1.0:  # (drawn at a lower ratio, not resampled: at 1.5 times, pixel for
            # pixel on a standard screen; scaled up, then down by the ratio, it was blurred)
            pm = QtGui.QPixmap(pm)
            pm.setDevicePixelRatio(self._pixmap.devicePixelRatio() / scale)
        elif scale < 1.0:
            pm = pm.scaledToWidth(max(1, int(pm.width() * scale)), QtCore.Qt.SmoothTransformation)
            pm.setDevicePixelRatio(self._pixmap.devicePixelRatio())
        room = int(max(self.width() - 4, 50) * pm.devicePixelRatio())
        self.lines = 1
        if pm.width() > room + 1 and self._inked:
            # (the lines are made at the typeset ratio: a grown picture's own, lower, made
            # the room too narrow for them, and a line that fitted was cut off)
            pm = self._wrapped(scale, int(max(self.width() - 4, 50) * ratio))
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
        for follower in self.followers:
            follower.refit()

    def _wrapped(self, scale: float, room: int) -> QtGui.QPixmap:
        """The pieces at ``scale`` on lines at most ``room`` device pixels wide (a piece wider
        than that alone on its line), at most :data:`MAX_LINES`; lines after the first
        indented by an em, as on the board."""
        ratio = self._pixmap.devicePixelRatio()
        pieces = []
        for image, base in self._inked:
            w = max(1, round(image.width() * scale))
            pieces.append((image.scaledToWidth(w, QtCore.Qt.SmoothTransformation),
                           base * scale))
        indent = round(INDENT_EM * self.em_px * ratio * scale)
        # Side by side without the air each piece was typeset with (between two terms the
        # sign's own spaces are enough: "20  +x²" had the air's 4 pixels more before the +)
        air = round(PAD * scale)
        lines: list[list[tuple[QtGui.QImage, float]]] = [[]]
        x = 0
        for image, base in pieces:
            if lines[-1] and x + image.width() - 2 * air > room:
                if len(lines) == MAX_LINES:
                    break  # (the rest is in the tooltip; the last line fades out)
                lines.append([])
                x = indent
            lines[-1].append((image, base))
            x += image.width() - (2 * air if len(lines[-1]) > 1 else 0)
        cut_short = sum(len(line) for line in lines) < len(pieces)
        font = QtGui.QFont(self.font())
        font.setPixelSize(max(6, round(self.em_px * ratio * scale)))
        dots = math.ceil(QtGui.QFontMetricsF(font).horizontalAdvance(" …")) if cut_short else 0

        def width(n: int, line) -> int:
            return (sum(i.width() for i, _ in line) - 2 * air * (len(line) - 1)
                    + (indent if n else 0))

        # (room for the "…" after the last line's last whole piece: it was drawn past the
        # edge and faded out, and a term went missing without a word)
        while cut_short and len(lines[-1]) > 1 and width(len(lines) - 1, lines[-1]) + dots > room:
            lines[-1].pop()
        rows = [(max(b for _, b in line), max(i.height() - b for i, b in line)) for line in lines]
        gap = round(LINE_GAP_EM * self.em_px * ratio * scale)
        widths = [width(n, line) for n, line in enumerate(lines)]
        height = sum(math.ceil(a + d) for a, d in rows) + gap * (len(rows) - 1)
        out = QtGui.QImage(max(widths[:-1] + [widths[-1] + dots]), height,
                           QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        out.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QtGui.QPainter(out)
        y = 0.0
        for n, (line, (ascent, descent)) in enumerate(zip(lines, rows, strict=True)):
            x = indent if n else 0
            for k, (image, base) in enumerate(line):
                x -= 2 * air if k else 0
                painter.drawImage(QtCore.QPointF(x, round(y + ascent - base)), image)
                x += image.width()
            if cut_short and n == len(lines) - 1:  # (more in the tooltip)
                painter.setFont(font)
                painter.setPen(self.palette().color(QtGui.QPalette.ColorGroup.Active,
                                                    QtGui.QPalette.ColorRole.WindowText))
                painter.drawText(QtCore.QPointF(x, y + ascent), " …")
            y += math.ceil(ascent + descent) + gap
        painter.end()
        self.lines = len(lines)
        pm = QtGui.QPixmap.fromImage(out)
        pm.setDevicePixelRatio(ratio)
        return pm

    def refit(self) -> None:
        """Draw the picture again at the peers' common factor (one of them changed)."""
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()
