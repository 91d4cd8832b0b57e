"""Formulas typeset by matplotlib's mathtext as ink, and a label that shows them scaled.

:func:`render_ink` is thread-safe and cached (the Chain-rule tab typesets on a worker thread);
:class:`ScaledFormula` paints the ink in the palette's text colour, shrinks it to the width
available and falls back to plain text when it would become unreadably small.
"""

from __future__ import annotations

import time

import numpy as np

from gdviz.core.latex_terms import breakable_terms
from gdviz.ui.binding import QtCore, QtGui, QtWidgets
from gdviz.ui.mathtext import RENDER_LOCK, forget_font_sets, math_parser, to_mathtext

FONT_SIZE = 15
DPI = 144  # for 12 px text; scaled with the widget's type size (Ctrl +/−, presentation)
PIXEL_RATIO = 1.5  # DPI / 96: images show at the size of 15 pt text
MAX_LATEX = 400  # longer formulas are not typeset (slow, and unreadable when fitted)
MIN_SCALE = 0.6  # formulas that would shrink more are shown as plain text
RENDER_ATTEMPTS = 5  # mathtext collisions with other threads are retried (0.05 s … 0.8 s)


# typeset formulas by (LaTeX, dpi): steps repeat ("∂/∂x x = 1"), and so do variable switches
_INK: dict[tuple[str, int], np.ndarray] = {}
_INK_LOCK = RENDER_LOCK  # one lock for every mathtext render in the app


def render_ink(latex: str, dpi: int = DPI) -> np.ndarray | None:
    """Ink coverage (uint8, rows × columns) of ``latex`` typeset by mathtext, or None.

    The same mathtext as :func:`gdviz.ui.mathtext.latex_to_png`, without the figure and PNG
    round trip (2–3 times faster; a derivation has dozens of formulas). mathtext is not
    thread-safe: renders here are serialised, and retried when they collide with another
    thread's (a collision raises). None when the formula is too long or mathtext cannot parse
    it: the caller shows plain text.
    """
    if len(latex) > MAX_LATEX:
        return None
    if (latex, dpi) in _INK:
        return _INK[latex, dpi]
    text = to_mathtext(latex)
    for attempt in range(RENDER_ATTEMPTS):
        try:
            with _INK_LOCK:
                parser, prop = math_parser(FONT_SIZE)
                image = parser.parse(f"${text}$", dpi=dpi, prop=prop).image
                forget_font_sets()
        except Exception:  # noqa: BLE001 - mathtext raises several types; plain text then
            time.sleep(0.05 * 2**attempt)  # another thread's render may take 0.5 s
            continue
        ink = np.pad(np.asarray(image, dtype=np.uint8), 2)  # a little air
        if len(_INK) > 2000:
            _INK.clear()
        _INK[latex, dpi] = ink
        return ink
    return None


BREAK_BELOW = 0.85
"""A formula that would shrink below this to fit its room is broken onto lines."""


def render_lines(latex: str, dpi: int = DPI, room: float = 0.0) -> np.ndarray | None:
    """:func:`render_ink` of ``latex``, broken before top-level + and − (or between a
    product's factors: :func:`gdviz.core.latex_terms.breakable_terms`) onto as many lines as
    it needs to fit ``room`` logical pixels (0: one line) without shrinking below
    :data:`BREAK_BELOW`: the sum rule's line for Rastrigin's five terms was shrunk to 60 %,
    letters 8 pixels tall. Lines after the first are indented; each is typeset alone."""
    whole = render_ink(latex, dpi)
    # (a product of one term between its bracketed factors too: tanh's chain step and
    # result, 6(1 − tanh²(3w1))·(tanh(3w1) − 0.5), fell back to plain text, shrunk)
    terms = breakable_terms(latex)
    width = room * PIXEL_RATIO  # (ink pixels show at 1 / PIXEL_RATIO of a logical pixel)
    # (none for the whole, too long for one line, its lines still may be: the regression
    # loss's ∂f/∂w1, eight terms, 430 characters, was plain text under the steps)
    if room <= 0 or len(terms) < 2 or (whole is not None
                                        and whole.shape[1] * BREAK_BELOW <= width):
        return whole
    inks = [render_ink(t, dpi) for t in terms]
    if any(ink is None for ink in inks):
        return whole
    indent = int(dpi / 6)  # (about an em)
    # A term wider than a line on its own is broken too, inside its bracket or between its
    # factors: ∂f/∂w1 of sin(w1·w2)·e^(…) + cos(3w1)·tanh(w2 − w1³) ends "− (3w1²(1 −
    # tanh²(…))·cos(3w1) − 3 sin(3w1)·tanh(…))", 657 pixels on its own, and the result
    # shrank below 60 % in a 1600 × 1000 window's dock: plain text, cut at its right edge.
    # (only where it would shrink below BREAK_BELOW alone: broken further, the terms that
    # nearly fit were split between their factors too, a line ending "· cos(w1w2) − (3w1²(1")
    terms, inks = _narrow(terms, inks, dpi, (width - indent) / BREAK_BELOW)
    # (lines as wide as the widest piece that cannot break, since all shrink to it: "+ w2
    # e^(…)" and "· cos(w1w2)" on a line each, beside a line wider than both)
    fill = max([width] + [ink.shape[1] + (indent if k else 0) for k, ink in enumerate(inks)])
    lines: list[list[str]] = [[]]
    used = 0
    for term, ink in zip(terms, inks, strict=True):
        need = ink.shape[1] + (indent if len(lines) > 1 and not lines[-1] else 0)
        if lines[-1] and used + need > fill:
            lines.append([])
            used = indent
        lines[-1].append(term)
        used += ink.shape[1]
    if len(lines) < 2:
        return whole
    rendered = [render_ink(" ".join(line), dpi) for line in lines]
    if any(ink is None for ink in rendered):
        return whole
    wide = max(ink.shape[1] + (indent if i else 0) for i, ink in enumerate(rendered))
    gap = int(dpi / 24)
    rows = []
    for i, ink in enumerate(rendered):
        left = indent if i else 0
        rows.append(np.pad(ink, ((0, gap), (left, wide - left - ink.shape[1]))))
    return np.vstack(rows)


def _narrow(terms: list[str], inks: list[np.ndarray], dpi: int, width: float,
            depth: int = 3) -> tuple[list[str], list[np.ndarray]]:
    """``terms`` (typeset as ``inks``) with each one wider than ``width`` ink pixels broken
    into its own :func:`~gdviz.core.latex_terms.breakable_terms` (a bracketed sum of two
    terms too), ``depth`` levels deep at most; a term that cannot be broken stays whole."""
    out_terms: list[str] = []
    out_inks: list[np.ndarray] = []
    for term, ink in zip(terms, inks, strict=True):
        parts = breakable_terms(term, 2) if depth > 0 and ink.shape[1] > width else [term]
        part_inks = [render_ink(p, dpi) for p in parts] if len(parts) > 1 else [ink]
        if len(parts) < 2 or any(p is None for p in part_inks):
            parts, part_inks = [term], [ink]
        elif any(p.shape[1] > width for p in part_inks):
            parts, part_inks = _narrow(parts, part_inks, dpi, width, depth - 1)
        out_terms += parts
        out_inks += part_inks
    return out_terms, out_inks


def _pixmap(ink: np.ndarray | None, color: QtGui.QColor) -> QtGui.QPixmap | None:
    """Ink coverage as a pixmap: ``color`` where there is ink, transparent elsewhere."""
    if ink is None or ink.size == 0:
        return None
    h, w = ink.shape
    argb = np.empty((h, w, 4), dtype=np.uint8)  # B, G, R, A in memory on little-endian hosts
    argb[..., 0], argb[..., 1], argb[..., 2] = color.blue(), color.green(), color.red()
    argb[..., 3] = ink
    image = QtGui.QImage(argb.data, w, h, 4 * w, QtGui.QImage.Format_ARGB32).copy()
    pm = QtGui.QPixmap.fromImage(image)
    pm.setDevicePixelRatio(PIXEL_RATIO)
    return pm


SHORT_BRACKET = 30
"""Characters inside a bracket that plain text keeps on one line."""


def wrap_between_terms(text: str, fits=None) -> str:
    """Plain text that wraps between terms: spaces inside short brackets made non-breaking, a
    sign kept with the term after it, a factor with its bracket, a slash with what follows
    (the regression loss's ∂f/∂w1 as plain text broke inside "(−0.5" / "w1 + w2 − 0.7)").
    A run kept together that ``fits`` (given: ``fits(run)`` is True where it fits a line)
    says is wider than a line breaks at its own spaces again.

    Examples
    --------
    >>> wrap_between_terms("−1/2 (−2 w1 + 0.45) − 3 x").split(" ")
    ['−1/\u20602\xa0(−2\xa0w1\xa0+\xa00.45)', '−\xa03', 'x']
    """
    out, opened = list(text), []
    for i, ch in enumerate(text):
        if ch == "(":
            opened.append(i)
            # (a number or name with its bracket: "1/2 (…)"; not one bracket with the next,
            # ") (": a product of brackets was one unbreakable run)
            if i >= 2 and text[i - 1] == " " and (text[i - 2].isalnum() or text[i - 2] in "²³"):
                out[i - 1] = "\u00a0"
        elif ch == ")" and opened:
            start = opened.pop()
            if i - start - 1 <= SHORT_BRACKET:
                out[start:i] = ["\u00a0" if c == " " else c for c in out[start:i]]
    joined = ("".join(out).replace(" − ", " −\u00a0").replace(" + ", " +\u00a0")
              .replace("/", "/\u2060"))
    # A run still too long to fit a line may break at its own spaces again (a QLabel never
    # breaks inside a word: it overflowed).
    # (and so may a shorter one wider than the line, at its outermost spaces first: "− (3·w1²·
    # (1 − tanh²(w1³ − w2))·cos(3·w" was cut off at the right edge of the Chain rule tab's
    # result, with no way to read the rest)
    return " ".join(run.replace("\u00a0", " ") if len(run) > 2 * SHORT_BRACKET
                    else _break_run(run, fits) if fits is not None else run
                    for run in joined.split(" "))


def _break_run(run: str, fits) -> str:
    """``run`` (words joined by no-break spaces) with the spaces at its shallowest bracket
    depth made breakable while ``fits(run)`` is False, and so on inside what still does not
    fit; a sign stays with the term after it ("(1 −" / "tanh²(…)" never)."""
    if fits(run) or "\u00a0" not in run:
        return run
    depth, spaces = 0, []
    for i, ch in enumerate(run):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "\u00a0" and not (run[i - 1:i] in ("−", "+")
                                      and (i < 2 or run[i - 2] == "\u00a0")):
            spaces.append((depth, i))
    if not spaces:
        return run
    low = min(d for d, _ in spaces)
    pieces, start = [], 0
    for d, i in spaces:
        if d == low:
            pieces.append(run[start:i])
            start = i + 1
    pieces.append(run[start:])
    return " ".join(_break_run(piece, fits) for piece in pieces)


class ScaledFormula(QtWidgets.QLabel):
    """A typeset image scaled down to a width, or plain text when there is no image.

    Parameters
    ----------
    ink : numpy.ndarray or None
        Ink coverage from :func:`render_ink`; None shows ``plain``.
    plain : str
        The plain-text form (also the tooltip).
    parent : QWidget, optional
    **props
        Qt properties of the label (``objectName``, ``frameShape``, ...).
    """

    def __init__(self, ink: np.ndarray | None, plain: str, parent=None, **props) -> None:
        super().__init__(parent, **props)
        self.set_policy(QtWidgets.QSizePolicy.Ignored)  # never widen the view
        self.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
        self._pm: QtGui.QPixmap | None = None
        self._ink: np.ndarray | None = None
        self._line = 0  # pixels a line of plain text has (from fit(); 0: not known yet)
        self.set_formula(ink, plain)

    def set_policy(self, horizontal: QtWidgets.QSizePolicy.Policy) -> None:
        """Use ``horizontal`` as the horizontal size policy (height follows the width)."""
        policy = QtWidgets.QSizePolicy(horizontal, QtWidgets.QSizePolicy.Preferred)
        policy.setHeightForWidth(True)  # wrapped plain text grows downwards
        self.setSizePolicy(policy)

    def set_formula(self, ink: np.ndarray | None, plain: str) -> None:
        """Show the typeset ``ink`` (see :func:`render_ink`) or, without it, ``plain``."""
        self._ink = ink
        # The active ink even while disabled (dimmed): the grey would stay in the picture.
        self._pm = _pixmap(ink, self.palette().color(QtGui.QPalette.ColorGroup.Active,
                                                     QtGui.QPalette.WindowText))
        self.setToolTip(plain)
        self._show(self._pm)

    def recolour(self) -> None:
        """Paint the ink again in the palette's text colour (after a theme change)."""
        self.set_formula(self._ink, self.toolTip())

    def _show(self, pm: QtGui.QPixmap | None) -> None:
        self.setWordWrap(pm is None)
        if pm is None:
            text = wrap_between_terms(self.toolTip(), self._fits if self._line else None)
            if text != self.text() or not text:  # (unchanged: no new layout)
                self.setText(text)
        else:
            self.setPixmap(pm)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        """The height of the wrapped text at the width it is given, at most its fixed width
        (its layout asks at the box's width: a row of the Chain rule tab with its first
        formula wrapped to 293 pixels, three lines, asked at 297, two, and the typeset second
        got 131 of its 151 pixels, its top and bottom cut off)."""
        return super().heightForWidth(min(width, self.maximumWidth()))

    def _fits(self, run: str) -> bool:
        """Whether ``run`` of plain text fits a line of the label, as fit() last sized it."""
        return self.fontMetrics().horizontalAdvance(run) <= self._line

    def widest_word(self) -> int:
        """The width in pixels of the widest piece of the plain text that cannot break (0
        when the formula is typeset)."""
        if not self.wordWrap():
            return 0
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(word) for word in self.text().split(" ")),
                   default=0)

    def natural_width(self) -> int:
        """The width in pixels the formula takes unscaled (or its plain text on one line)."""
        if self._pm is None:
            return self.fontMetrics().horizontalAdvance(self.text()) + 4
        return int(self._pm.width() / PIXEL_RATIO) + 2

    def fit(self, width: int, fixed: bool = True, height: int | None = None) -> None:
        """Scale to ``width`` pixels (and ``height``, where given); plain text when that would
        shrink it below 60 %.

        With ``fixed`` the label takes exactly the width it needs (inside a row). Plain text
        breaks where a run it keeps together is wider than the line.
        """
        self._line = max(1, width - 2 * (self.margin() + self.frameWidth()) - 4)
        scale = 1.0 if self._pm is None else min(
            1.0, width * PIXEL_RATIO / max(self._pm.width(), 1),
            height * PIXEL_RATIO / max(self._pm.height(), 1) if height else 1.0)
        if self._pm is not None and scale < 1.0:
            if scale < MIN_SCALE:
                self._show(None)  # unreadably small: wrapped plain text instead
            else:
                pm = self._pm.scaledToWidth(max(1, int(self._pm.width() * scale)),
                                            QtCore.Qt.SmoothTransformation)
                pm.setDevicePixelRatio(PIXEL_RATIO)
                self._show(pm)
        elif self._pm is not None:
            self._show(self._pm)
        else:
            self._show(None)
        if fixed:
            self.setFixedWidth(max(1, min(width, self.natural_width())))
