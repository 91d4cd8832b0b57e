"""The loss with the held variable highlighted, for the Slice tab's header.

Rich text is shown at once (:func:`held_formula_html`); the typeset image
(:func:`typeset_held`, matplotlib mathtext, up to 0.5 s) is rendered on a pool thread by
:class:`FormulaJob` and kept in :data:`FORMULAS` without colours, which
:func:`composite_image` puts on for the theme shown.
"""

from __future__ import annotations

import contextlib
import html
import re
from typing import NamedTuple

import numpy as np

from gdviz.core import printing
from gdviz.core.latex_terms import breakable_terms
from gdviz.core.loss import Loss
from gdviz.ui.binding import QtCore, QtGui, Signal
from gdviz.ui.derivatives.common import FONT_PT
from gdviz.ui.derivatives.derivation_text import HELD_COLOR  # (the slice line's purple too)
from gdviz.ui.mathtext import ink_and_baseline

HELD_FONT = 18  # the header's mathtext size in points (at 144 dpi, shown at a ratio of 1.5):
# as the loss panel's; at 15 its em, 20 pixels, was smaller than presentation mode's text
HELD_LARGEST = 1.45
"""The header's em at most this many times the tab's type (typeset larger for presentation
mode, it would tower over the sentence under it in the window's own type)."""
HELD_EM_PX = HELD_FONT * 144 / 72 / 1.5
"""The header's em in logical pixels (:class:`gdviz.ui.formula_label.FormulaLabel`'s ``em_px``)."""


class HeldTypeset(NamedTuple):
    """A typeset held formula: the whole (:func:`composite_parts`) and, for one wider than
    :data:`~gdviz.ui.mathtext.PIECES_WIDER_THAN_EM` ems, its pieces (:func:`held_pieces_tex`,
    :func:`composite_piece` each) for the header to break onto lines where it is too wide."""

    whole: tuple[np.ndarray, np.ndarray]
    pieces: tuple[tuple[np.ndarray, np.ndarray, int], ...] = ()


HELD_PIECES_WIDER_THAN_EM = 12
"""The header is typeset in pieces too when wider than this many ems (the loss panel's
:data:`~gdviz.ui.mathtext.PIECES_WIDER_THAN_EM`, 16, left the lecture's loss, 15.3, whole:
in presentation mode's type at 1280 × 720 it was cut off). sin(x)·cos(y), 10.8, fits any
tab."""

#: Typeset formulas by ``(loss text, variables, held)``; None: mathtext cannot draw it.
FORMULAS: dict[tuple, HeldTypeset | None] = {}


def _heads_and_bodies(loss: Loss, held: int) -> list[tuple[str, str]]:
    """``(f(a, b) =, f)`` in LaTeX with the held symbol in bold, and with it invisible."""
    sym = loss.symbols[held]
    bold = rf"\mathbf{{{printing.latex(sym)}}}"
    out = []
    # (each in braces: mathtext draws \phantom{y}^{2} with the y, as if no phantom were there)
    for held_tex in (rf"{{{bold}}}", rf"{{\phantom{{{bold}}}}}"):
        names = [printing.latex(s) for s in loss.symbols]
        names[held] = held_tex
        out.append((rf"f({names[0]},\ {names[1]}) =", loss.latex_with({sym: held_tex})))
    return out


def held_formula_tex(loss: Loss, held: int) -> tuple[str, str] | None:
    """LaTeX of ``f(a, b) = …`` with the held symbol in bold, and the same with it invisible.

    Both have the same layout (``\\phantom`` keeps the space); see :func:`composite_parts`.
    None when the formula is too long to read.
    """
    full, phantom = (f"{head} {body}" for head, body in _heads_and_bodies(loss, held))
    return None if len(full) > 700 else (full, phantom)


def held_pieces_tex(loss: Loss, held: int) -> list[tuple[str, str]] | None:
    """:func:`held_formula_tex` in pieces a line may break between (before each of f's
    terms, as the loss panel's, :func:`gdviz.ui.mathtext.render_pieces`; for f of one term,
    after "f(a, b) =" and between its bracketed factors): a ``(full, phantom)`` pair per
    piece. None for one too long to read."""
    (head, body), (ghost_head, ghost_body) = _heads_and_bodies(loss, held)
    terms, ghosts = breakable_terms(body), breakable_terms(ghost_body)
    if len(head) + len(body) > 700:
        return None
    if len(terms) != len(ghosts):
        terms, ghosts = [body], [ghost_body]
    # (each piece after the first begins with its sign, or ·, set as between two terms)
    rest = [("{}" + term, "{}" + ghost) for term, ghost in zip(terms[1:], ghosts[1:],
                                                               strict=True)]
    if len(terms) < 2 or terms[1].startswith(r"\cdot"):
        # One term: a line may break after "f(w1, w2) =" (in presentation mode at
        # 1280 × 720 the lecture's own loss was cut off at "(1 − w2", fading out), and
        # between its factors (no "{}" before the first: a leading minus would be spaced as
        # between two terms)
        return [(head, ghost_head), (terms[0], ghosts[0]), *rest]
    return [(f"{head} {terms[0]}", f"{ghost_head} {ghosts[0]}"), *rest]


def composite_parts(full_tex: str, phantom_tex: str,
                    fontsize: float = HELD_FONT) -> tuple[np.ndarray, np.ndarray] | None:
    """The typeset formula as ``(share, alpha)``: how much of each pixel's ink is the held
    symbol's, and the ink's coverage (mathtext has no ``\\color``: ink present in
    ``full_tex`` but not in ``phantom_tex`` is the held symbol's). The slow part (can take
    0.5 s, thread-safe); the colours are put on by :func:`composite_image`, for any theme, in
    a millisecond. None when mathtext cannot draw it."""
    piece = composite_piece(full_tex, phantom_tex, fontsize)
    return None if piece is None else piece[:2]


def composite_piece(full_tex: str, phantom_tex: str, fontsize: float = HELD_FONT,
                    lead: bool = False) -> tuple[np.ndarray, np.ndarray, int] | None:
    """:func:`composite_parts` and the row of the formula's baseline in them (for pieces
    of a formula to stand on one line); ``lead``: with the space before it (see
    :func:`_inside_bars`)."""
    inks = []
    # mathtext crops its picture to the ink: a held symbol at either end, or the tallest, made
    # the two pictures differ in size or place (w1 + 2·w2: all black, no purple at all). Bars
    # at both ends, as tall as the formula, give both the same extent; they are cut off after.
    # (\vert, not |: to_mathtext turns \left| into a plain | no taller than a letter, and
    # a phantom in a denominator then left the picture's edge higher: all black again.)
    for tex in (full_tex, phantom_tex):
        try:
            inks.append(ink_and_baseline(rf"\left\vert{tex}\right\vert", fontsize, 144))
        except Exception:  # noqa: BLE001 - mathtext raises several types; rich text then
            return None
    (full, baseline), (rest, _) = inks
    if full.shape != rest.shape:
        rest = full  # the layouts differ: show it all in black (the held symbol stays bold)
    inside = _inside_bars(full, lead=lead)
    if inside is None:
        return None
    full, rest = full[inside], rest[inside]
    held_ink = np.clip(full - rest, 0.0, 1.0)
    alpha = np.clip(rest + held_ink, 0.0, 1.0)
    with np.errstate(all="ignore"):
        share = np.where(alpha > 0, held_ink / alpha, 0.0)
    return share.astype(np.float32), alpha.astype(np.float32), baseline - inside[0].start


def _inside_bars(ink: np.ndarray, air: int = 2, lead: bool = False
                 ) -> tuple[slice, slice] | None:
    """Rows and columns of ``ink`` (a formula between two bars) holding the formula alone,
    with ``air`` pixels around it; None when the bars cannot be told apart from it.
    ``lead``: all the space before the formula kept (a piece starting with a sign set
    between two terms has the sign's space before it, as the whole formula has)."""
    cols = ink.sum(axis=0) > 0.02
    edges = []
    for side in (cols, cols[::-1]):
        bar = int(np.argmax(side))  # the bar's first column, its gap's, the formula's
        gap = bar + int(np.argmax(~side[bar:]))
        start = gap + int(np.argmax(side[gap:]))
        if not (side[bar] and not side[gap] and side[start]):
            return None
        edges.append(start)
    left, right = edges[0], len(cols) - 1 - edges[1]
    if left > right:
        return None
    rows = np.flatnonzero(ink[:, left: right + 1].sum(axis=1) > 0.02)
    top, bottom = (int(rows[0]), int(rows[-1])) if rows.size else (0, ink.shape[0] - 1)
    # The air only where the gap is empty (a one-column gap let a strip of a bar in)
    lo, hi = left, right
    while lo > max(left - (len(cols) if lead else air), 0) and not cols[lo - 1]:
        lo -= 1
    while hi < min(right + air, len(cols) - 1) and not cols[hi + 1]:
        hi += 1
    return slice(max(top - air, 0), bottom + air + 1), slice(lo, hi + 1)


def composite_image(parts: tuple[np.ndarray, np.ndarray], color: str = HELD_COLOR,
                    ink: str = "#000000") -> QtGui.QImage:
    """The picture of :func:`composite_parts`: the held symbol in ``color``, the rest in
    ``ink``, on a transparent background."""
    share, alpha = parts
    tint = np.array(QtGui.QColor(color).getRgb()[:3], dtype=np.float32)
    base = np.array(QtGui.QColor(ink).getRgb()[:3], dtype=np.float32)
    share = share[..., None]
    out = np.empty(alpha.shape + (4,), dtype=np.uint8)
    out[..., :3] = (share * tint + (1.0 - share) * base).round().astype(np.uint8)
    out[..., 3] = (alpha * 255).round().astype(np.uint8)
    h, w = alpha.shape
    return QtGui.QImage(out.tobytes(), w, h, 4 * w, QtGui.QImage.Format_RGBA8888).copy()


def held_images(typeset: HeldTypeset, color: str = HELD_COLOR, ink: str = "#000000"
                ) -> tuple[QtGui.QImage, list[tuple[QtGui.QImage, int]]]:
    """The pictures of a :class:`HeldTypeset` (:func:`composite_image`): the whole, and its
    pieces with their baselines' rows (for :meth:`FormulaLabel.set_image`)."""
    pieces = [(composite_image(piece[:2], color, ink), piece[2]) for piece in typeset.pieces]
    return composite_image(typeset.whole, color, ink), pieces


def typeset_held(texts: tuple[str, str] | None, pieces: list[tuple[str, str]] | None = None,
                 fontsize: float = HELD_FONT) -> HeldTypeset | None:
    """Typeset :func:`held_formula_tex`'s ``texts`` and, when the whole is wider than
    :data:`HELD_PIECES_WIDER_THAN_EM` ems, :func:`held_pieces_tex`'s
    ``pieces`` too (as long again: only where the header may have to break it). None when
    mathtext cannot draw it."""
    whole = None if texts is None else composite_parts(*texts, fontsize)
    if whole is None:
        return None
    # (144 dpi: an em is twice the points in pixels)
    if not pieces or whole[1].shape[1] <= HELD_PIECES_WIDER_THAN_EM * fontsize * 2:
        return HeldTypeset(whole)
    typeset = [composite_piece(full, phantom, fontsize, lead=k > 0)
               for k, (full, phantom) in enumerate(pieces)]
    return HeldTypeset(whole, tuple(typeset) if None not in typeset else ())


def held_formula_html(loss: Loss, held: int, color: str = HELD_COLOR) -> str:
    """Rich-text ``f(a, b) = …`` with the held variable in ``color`` (shown until the typeset
    one)."""
    name = loss.variables[held]
    mark = f"<b style='color:{color}'>{html.escape(name)}</b>"
    args = [html.escape(v) for v in loss.variables]
    args[held] = mark
    # the printed form once the compile thread has made it (f as typed, gdviz's spacing and
    # numbers; not printed here, on the GUI thread), the text itself until then
    text = loss.plain if loss.plain_ready else loss.text
    # (a real minus, as the loss panel's plain text: "(1 - w2)" read as a hyphen)
    plain = html.escape(text.replace("**", "^").replace("*", "·").replace("-", "−"))
    body = re.sub(rf"\b{re.escape(html.escape(name))}\b", mark, plain)
    return f"<span style='font-size:{FONT_PT + 3}pt'>f({', '.join(args)}) = {body}</span>"


class _FormulaSignals(QtCore.QObject):
    done = Signal(object, object)  # key, a HeldTypeset or None


class FormulaJob(QtCore.QRunnable):
    """Typesets the Slice tab's header on a pool thread (:func:`typeset_held`): the loss's
    LaTeX as typed (:func:`held_formula_tex`, milliseconds) and mathtext (up to 0.5 s) are
    both too slow for the GUI thread.

    Parameters
    ----------
    key : tuple
        Handed back with the result (the :data:`FORMULAS` key).
    texts : callable
        Returns the two LaTeX strings of :func:`held_formula_tex` (or None); called on the
        pool thread.
    slot : callable
        Called on the GUI thread with ``(key, typeset or None)`` (a :class:`HeldTypeset`).
    pieces : callable, optional
        Returns :func:`held_pieces_tex`'s pieces (or None); called on the pool thread.
    """

    def __init__(self, key, texts, slot, pieces=None) -> None:
        super().__init__()
        self.key, self.texts, self.pieces = key, texts, pieces
        self.signals = _FormulaSignals()
        self.signals.done.connect(slot, QtCore.Qt.QueuedConnection)

    @classmethod
    def for_loss(cls, key, loss: Loss, held: int, slot) -> FormulaJob:
        """The job typesetting ``loss`` with variable ``held`` held, whole and in pieces."""
        return cls(key, lambda: held_formula_tex(loss, held), slot,
                   lambda: held_pieces_tex(loss, held))

    def run(self) -> None:
        try:
            typeset = typeset_held(self.texts(), self.pieces and self.pieces())
        except Exception:  # noqa: BLE001 - never let a formula take the app down
            typeset = None
        with contextlib.suppress(RuntimeError):  # the tab was closed meanwhile: no one to tell
            self.signals.done.emit(self.key, typeset)
