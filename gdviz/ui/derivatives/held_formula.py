"""The loss with the held variable highlighted, for the Slice tab's header.

Rich text is shown at once (:func:`held_formula_html`); the typeset image
(:func:`composite_formula`, matplotlib mathtext, up to 0.5 s) is rendered on a pool thread by
:class:`FormulaJob` and kept in :data:`FORMULAS` without colours, which
:func:`composite_image` puts on for the theme shown.
"""

from __future__ import annotations

import contextlib
import html
import re
import threading
import time

import numpy as np

from gdviz.core import printing
from gdviz.core.loss import Loss
from gdviz.ui.binding import QtCore, QtGui, Signal
from gdviz.ui.derivatives.common import FONT_PT
from gdviz.ui.derivatives.derivation_text import HELD_COLOR  # (the slice line's purple too)

HELD_FONT = 15  # the header's mathtext size in points (at 144 dpi, shown at a ratio of 1.5)
HELD_EM_PX = HELD_FONT * 144 / 72 / 1.5
"""The header's em in logical pixels (:class:`gdviz.ui.formula_label.FormulaLabel`'s ``em_px``)."""
#: Typeset formulas (:func:`composite_parts`) by ``(loss text, variables, held)``; None:
#: mathtext cannot draw it.
FORMULAS: dict[tuple, tuple[np.ndarray, np.ndarray] | None] = {}


def held_formula_tex(loss: Loss, held: int) -> tuple[str, str] | None:
    """LaTeX of ``f(a, b) = …`` with the held symbol in bold, and the same with it invisible.

    Both have the same layout (``\\phantom`` keeps the space); see :func:`composite_formula`.
    None when the formula is too long to read.
    """

    sym = loss.symbols[held]
    bold = rf"\mathbf{{{printing.latex(sym)}}}"
    out = []
    # (each in braces: mathtext draws \phantom{y}^{2} with the y, as if no phantom were there)
    for held_tex in (rf"{{{bold}}}", rf"{{\phantom{{{bold}}}}}"):
        names = [printing.latex(s) for s in loss.symbols]
        names[held] = held_tex
        out.append(rf"f({names[0]},\ {names[1]}) = "
                   + loss.latex_with({sym: held_tex}))
    return None if len(out[0]) > 700 else (out[0], out[1])


def composite_formula(full_tex: str, phantom_tex: str, color: str = HELD_COLOR,
                      fontsize: float = HELD_FONT, ink: str = "#000000") -> QtGui.QImage | None:
    """Typeset a formula with the held variable in ``color`` (thread-safe; can take 0.5 s).

    mathtext has no ``\\color``: ink present in ``full_tex`` but not in ``phantom_tex`` is
    the held symbol, and is painted in ``color``; the rest in ``ink`` (the theme's text
    colour), on a transparent background. None when mathtext cannot draw it.
    """
    parts = composite_parts(full_tex, phantom_tex, fontsize)
    return None if parts is None else composite_image(parts, color, ink)


def composite_parts(full_tex: str, phantom_tex: str,
                    fontsize: float = HELD_FONT) -> tuple[np.ndarray, np.ndarray] | None:
    """The typeset formula as ``(share, alpha)``: how much of each pixel's ink is the held
    symbol's, and the ink's coverage (the slow part of :func:`composite_formula`; the
    colours are put on by :func:`composite_image`, for any theme, in a millisecond)."""
    inks = []
    # mathtext crops its picture to the ink: a held symbol at either end, or the tallest, made
    # the two pictures differ in size or place (w1 + 2·w2: all black, no purple at all). Bars
    # at both ends, as tall as the formula, give both the same extent; they are cut off after.
    # (\vert, not |: to_mathtext turns \left| into a plain | no taller than a letter, and
    # a phantom in a denominator then left the picture's edge higher: all black again.)
    for tex in (full_tex, phantom_tex):
        png = _render(rf"\left\vert{tex}\right\vert", fontsize)
        if png is None:
            return None
        image = QtGui.QImage.fromData(png).convertToFormat(QtGui.QImage.Format_RGBA8888)
        arr = np.frombuffer(image.constBits(), np.uint8).reshape(
            image.height(), image.bytesPerLine())[:, : 4 * image.width()]
        rgb = arr.reshape(image.height(), image.width(), 4)[..., :3].astype(float)
        inks.append(1.0 - rgb.mean(axis=2) / 255.0)  # ink on a white background
    full, rest = inks
    if full.shape != rest.shape:
        rest = full  # the layouts differ: show it all in black (the held symbol stays bold)
    inside = _inside_bars(full)
    if inside is None:
        return None
    full, rest = full[inside], rest[inside]
    held_ink = np.clip(full - rest, 0.0, 1.0)
    alpha = np.clip(rest + held_ink, 0.0, 1.0)
    with np.errstate(all="ignore"):
        share = np.where(alpha > 0, held_ink / alpha, 0.0)
    return share.astype(np.float32), alpha.astype(np.float32)


def _inside_bars(ink: np.ndarray, air: int = 2) -> tuple[slice, slice] | None:
    """Rows and columns of ``ink`` (a formula between two bars) holding the formula alone,
    with ``air`` pixels around it; None when the bars cannot be told apart from it."""
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
    while lo > max(left - air, 0) and not cols[lo - 1]:
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


_RENDER_LOCK = threading.Lock()


def _render(tex: str, fontsize: float) -> bytes | None:
    """``latex_to_png`` one at a time, retried: matplotlib's mathtext is not thread-safe.

    Two threads parsing at once make both fail (``ParseException``). The lock serialises this
    module's renders; the retries cover a collision with another thread rendering (the compile
    worker). None when mathtext cannot draw the formula.
    """
    from gdviz.ui.mathtext import latex_to_png

    for attempt in range(3):
        try:
            with _RENDER_LOCK:
                return latex_to_png(tex, fontsize=fontsize)
        except Exception:  # noqa: BLE001 - mathtext raises several types; rich text then
            if attempt < 2:
                time.sleep(0.1)
    return None


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
    plain = html.escape(text.replace("**", "^").replace("*", "·"))
    body = re.sub(rf"\b{re.escape(html.escape(name))}\b", mark, plain)
    return f"<span style='font-size:{FONT_PT + 3}pt'>f({', '.join(args)}) = {body}</span>"


class _FormulaSignals(QtCore.QObject):
    done = Signal(object, object)  # key, composite_parts' (share, alpha) or None


class FormulaJob(QtCore.QRunnable):
    """Typesets the Slice tab's header on a pool thread: the loss's LaTeX as typed
    (:func:`held_formula_tex`, milliseconds) and mathtext (:func:`composite_parts`, up to
    0.5 s) are both too slow for the GUI thread.

    Parameters
    ----------
    key : tuple
        Handed back with the result (the :data:`FORMULAS` key).
    texts : callable
        Returns the two LaTeX strings of :func:`held_formula_tex` (or None); called on the
        pool thread.
    slot : callable
        Called on the GUI thread with ``(key, parts or None)`` (see :func:`composite_parts`).
    """

    def __init__(self, key, texts, slot) -> None:
        super().__init__()
        self.key, self.texts = key, texts
        self.signals = _FormulaSignals()
        self.signals.done.connect(slot, QtCore.Qt.QueuedConnection)

    def run(self) -> None:
        try:
            texts = self.texts()
            parts = None if texts is None else composite_parts(*texts)
        except Exception:  # noqa: BLE001 - never let a formula take the app down
            parts = None
        with contextlib.suppress(RuntimeError):  # the tab was closed meanwhile: no one to tell
            self.signals.done.emit(self.key, parts)
