"""A text label that can change every animation frame without re-laying out the window."""

from __future__ import annotations

import math
import re

from gdviz.ui.qt import QtCore, QtGui, QtWidgets

_TAG = re.compile(r"<[^>]*>")


class SteadyLabel(QtWidgets.QWidget):
    """A ``QLabel`` look-alike for text that changes on every playback frame.

    ``QLabel.setText`` always asks its parent layout to recompute; the request climbs to the
    main window, which then lays out and repaints *every* widget (a full-window repaint per
    frame, the largest cost of a frame in software rendering). Here the label lives in a
    container without a layout, so a new text only repaints the label; the container asks for
    a new layout only when the text needs more (or fewer) lines, or, unwrapped, more width.

    Parameters
    ----------
    text : str
        The first text (rich text allowed, as in ``QLabel``).
    object_name : str
        Name of the widget (for tests and style sheets).
    word_wrap : bool
        Wrap to the width the layout gives (else the width grows to fit, never shrinks).
    parent : QWidget, optional
    """

    def __init__(self, text: str = "", object_name: str = "", word_wrap: bool = False,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        # The inner label carries the name, so ``findChild(QLabel, name)`` finds the text.
        self.setObjectName(f"{object_name}Box" if object_name else "")
        self._label = QtWidgets.QLabel(text, self)
        self._label.setObjectName(object_name)
        self._label.setWordWrap(word_wrap)
        self._label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.NoTextInteraction)
        self._wrap = word_wrap
        self._color: int | None = None  # the text's colour set by set_color (rgba), if any
        self._hint = QtCore.QSize(0, 0)
        # (width, estimated lines, measured lines) when last measured
        self._lines: tuple[int, int, int] | None = None
        self._advances: dict[str, float] | None = None  # per character, in the label's font
        self._reserve = ""  # text whose width the label keeps at least (see reserve)
        self._reserve_w: int | None = None  # its width in the label's font, once measured
        self._reserve_bold = False  # (measured in bold: see reserve)
        horizontal = (QtWidgets.QSizePolicy.Policy.Ignored if word_wrap
                      else QtWidgets.QSizePolicy.Policy.Minimum)
        self.setSizePolicy(horizontal, QtWidgets.QSizePolicy.Policy.Fixed)
        self._fit()

    # -- QLabel's API, as used here ------------------------------------------------------------
    def text(self) -> str:
        """The text shown."""
        return self._label.text()

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name
        """Show ``text``; re-lays out only if its size needs change."""
        if text != self._label.text():
            self._label.setText(text)
            # (Laid out during its paint, a wrapped rich-text label asks for one more repaint
            # of itself. Laying it out here instead avoided that, and cost more per playback
            # frame than the extra repaint: 9.5 against 9.1 ms, measured.)
            self._fit()

    def setFont(self, font: QtGui.QFont) -> None:  # noqa: N802 - Qt's name
        super().setFont(font)
        self._label.setFont(font)
        self._lines = None
        self._advances = None
        self._reserve_w = None
        self._fit()

    def setAlignment(self, alignment) -> None:  # noqa: N802 - QLabel's name
        self._label.setAlignment(alignment)

    def setTextInteractionFlags(self, flags) -> None:  # noqa: N802 - QLabel's name
        self._label.setTextInteractionFlags(flags)

    def setToolTip(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setToolTip(text)
        self._label.setToolTip(text)

    def setTextFormat(self, text_format) -> None:  # noqa: N802 - QLabel's name
        self._label.setTextFormat(text_format)

    def set_color(self, color: QtGui.QColor | None) -> None:
        """Draw the whole text in ``color`` (None: the palette's text colour, following the
        theme). A plain text in one colour is laid out far faster than rich text."""
        key = None if color is None else QtGui.QColor(color).rgba()
        if key == self._color:
            return
        self._color = key
        if color is None:
            self._label.setPalette(QtGui.QPalette())  # inherit again (a theme change reaches it)
        else:
            palette = self._label.palette()
            palette.setColor(QtGui.QPalette.ColorRole.WindowText, QtGui.QColor(color))
            self._label.setPalette(palette)

    # -- layout ------------------------------------------------------------------------------
    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        return self._hint

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        return QtCore.QSize(0 if self._wrap else self._hint.width(), self._hint.height())

    def _reserved_width(self) -> int:
        if self._reserve_w is None:  # (measured once per font: the text changes per frame)
            font = QtGui.QFont(self._label.font())
            font.setBold(font.bold() or self._reserve_bold)
            advance = QtGui.QFontMetricsF(font).horizontalAdvance(self._reserve)
            self._reserve_w = math.ceil(advance) + 2 * self._label.margin() + 2
        return self._reserve_w

    def reserve(self, text: str, bold: bool = False) -> None:
        """Be at least as wide as ``text`` in the label's font, whatever font that becomes
        (a counter's widest value: "k = 0000 / 0000"; a wrapped label's unbreakable number),
        in bold where ``bold`` (rich text setting it bold: the h → 0 tab's exact derivative,
        measured in regular type, lost its exponent, "−8.800111985455×10⁻").
        """
        self._reserve, self._reserve_w, self._reserve_bold = text, None, bool(bold)
        self._hint = QtCore.QSize(0, 0)
        self._fit()
        self._keep_reserved()

    def _keep_reserved(self) -> None:
        # A wrapped label's width is the layout's to choose (its size policy ignores hints):
        # what it reserves (a number whose digits cannot wrap) is its minimum width.
        if self._wrap and self._reserve:
            self.setMinimumWidth(self._reserved_width())

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QtCore.QEvent.Type.FontChange:  # (presentation mode, a theme)
            self._lines = None
            self._advances = None
            self._reserve_w = None
            # Measured again in the new font, and allowed to shrink (large type left).
            self._label.setFont(self.font())
            self._hint = QtCore.QSize(0, 0)
            self._fit()
            self._keep_reserved()
        super().changeEvent(event)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self._label.setGeometry(self.rect())
        self._fit()
        super().resizeEvent(event)

    def _estimate_lines(self) -> int:
        """Lines the text needs at this width, from its plain width (the sum of its
        characters' advances: no text shaping, which cost more than the rest of a frame's
        label update)."""
        import html  # (2 ms: not before the window's first frame)

        plain = html.unescape(_TAG.sub("", self._label.text().replace("<br>", "\n")))
        width = max(self.width() - 2, 1)
        advances = self._advances
        if advances is None:
            advances = self._advances = {}
        fm = None
        lines = 0
        # 15% slack: bold and larger spans, and kerning, make it differ a little.
        room = width / 1.15
        for line in plain.split("\n"):
            # Word by word, as the label wraps (a sentence holding "at (0.1270, 0.2436)"
            # whole wraps less tightly than its sum of advances says: it took a third line,
            # clipped, where the estimate kept two)
            used, count = 0.0, 1
            for word in line.split(" "):
                total = 0.0
                for ch in word + " ":
                    a = advances.get(ch)
                    if a is None:
                        fm = fm or QtGui.QFontMetricsF(self._label.font())
                        a = advances[ch] = fm.horizontalAdvance(ch)
                    total += a
                if used and used + total > room:
                    count += 1
                    used = 0.0
                used += total
                while used > room:  # (a word wider than a line runs over)
                    count += 1
                    used -= room
            lines += count
        return lines

    def _fit(self) -> None:
        """Ask for a new layout only when the text's size needs it."""
        if self._wrap and self.width() > 0:
            # The height at this width is all a wrapped label needs: QLabel.sizeHint() would
            # lay the rich text out several more times looking for a pleasant width. Even the
            # height costs a rich-text layout (about a millisecond per label and frame), so it
            # is measured only when a cheap estimate of the number of lines changes, or while
            # the estimate and the last measure disagree (near a line break the estimate's
            # slack says one line more before the text needs it: it may need it any frame).
            lines = self._estimate_lines()
            if self._lines == (self.width(), lines, lines) and self._hint.height() > 0:
                return
            need = QtCore.QSize(0, self._label.heightForWidth(self.width()))
            if need.height() < 0:
                need.setHeight(self._label.sizeHint().height())
            spacing = QtGui.QFontMetricsF(self._label.font()).lineSpacing()
            # An empty text's height is not a line's (14 px against 20 for the Gradient tab's
            # angle at its own type size): kept as "one line measured", it clipped the first
            # real line. Measured again once there is text.
            self._lines = (None if not self._label.text() else
                           (self.width(), lines, max(1, round(need.height() / spacing))))
        else:
            hint = self._label.sizeHint()
            if self._wrap:
                need = QtCore.QSize(0, self._label.heightForWidth(max(hint.width(), 1)))
            else:  # grow to fit, never shrink: a counter ticking 9 → 10 must not jitter
                width = max(hint.width(), self._hint.width())
                if self._reserve:
                    width = max(width, self._reserved_width())
                need = QtCore.QSize(width, hint.height())
            if need.height() < 0:
                need.setHeight(hint.height())
        if need != self._hint:
            self._hint = need
            self.updateGeometry()
