"""Typeset formulas with matplotlib's mathtext (no Qt here: it runs on the compile thread).

Rendered images are kept in a bounded LRU cache, so a loss shown before is typeset at once.
"""

from __future__ import annotations

import functools
import re
import struct
import threading
import zlib
from collections import OrderedDict

import numpy as np

# mathtext's parser keeps global state: two threads rendering at once corrupt each other's
# parse. One lock for every render in the app.
RENDER_LOCK = threading.Lock()
_OPERATORNAME = re.compile(r"\\operatorname\{([A-Za-z]+)\}")
# mathtext puts no space between a factor and a following function name ("2xcos(x²)" in the
# loss panel, for the lecture's own chain-rule example): a thin space, as TeX would.
_FUNCTION_AFTER_FACTOR = re.compile(
    r"(?<=[A-Za-z0-9}\)\]])\s*(\\(?:sin|cos|tan|sinh|cosh|tanh|exp|log|ln|asin|acos|atan|"
    r"arcsin|arccos|arctan|operatorname|sqrt)(?![A-Za-z]))"
)


def to_mathtext(latex: str) -> str:
    """Adapt sympy's LaTeX to what mathtext understands (and spaces as TeX would)."""
    s = _FUNCTION_AFTER_FACTOR.sub(r"\\,\1", latex)
    s = _OPERATORNAME.sub(r"\\mathrm{\1}", s)
    s = s.replace(r"\left|", r"|").replace(r"\right|", r"|")
    return _spaced_names(s)


# A command with its one braced argument, a command, a control symbol (\,), a run of
# letters, spaces, or any other character.
_TOKEN = re.compile(r"\\(?:mathit|mathbf|boldsymbol|mathrm|mathsf|text)\{[^{}]*\}|\\[A-Za-z]+"
                    r"|\\.|[A-Za-z]+|\s+|.", re.S)
_WORD_COMMANDS = ("\\mathit{", "\\mathbf{", "\\boldsymbol{")
_NOT_A_FACTOR = ("\\right", "\\cdot", "\\times", "\\,", "\\;", "\\quad")


def _spaced_names(latex: str) -> str:
    r"""Variable names of several letters as one word, a thin space between one and a factor
    beside it: mathtext ignores spaces, so ∂f/∂bias of exp(−weight·bias) read
    "−weighte^{−weightbias}" (``- weight e^{- weight bias}`` from sympy; a QA round).

    Examples
    --------
    >>> print(_spaced_names(r"- weight e^{- weight bias} + 6 \left(bias + 0.5\right)"))
    - \mathit{weight}\,e^{- \mathit{weight}\,\mathit{bias}} + 6 \left(\mathit{bias} + 0.5\right)
    >>> _spaced_names(r"x y \sin{\left(w_{1} \right)}")  # (one letter each: as they were)
    'x y \\sin{\\left(w_{1} \\right)}'
    """
    tokens = _TOKEN.findall(latex)
    if not any(len(t) > 1 and t.isalpha() for t in tokens):
        return latex
    words = [len(t) > 1 and t.isalpha() or (t.startswith(_WORD_COMMANDS) and any(
        len(part) > 1 for part in re.findall("[A-Za-z]+", t[t.index("{"):])))
             for t in tokens]
    tokens = [rf"\mathit{{{t}}}" if len(t) > 1 and t.isalpha() else t for t in tokens]

    def factor(i: int) -> bool:  # (a name, a letter, a number, a bracket or a command's atom)
        t = tokens[i]
        return not t.isspace() and (t[0].isalnum() or t in ")}]" or (
            t.startswith("\\") and len(t) > 2 and not t.startswith(_NOT_A_FACTOR)))

    out: list[str] = []
    for i, t in enumerate(tokens):
        if t.isspace():
            before = next((j for j in range(i - 1, -1, -1) if not tokens[j].isspace()), None)
            after = next((j for j in range(i + 1, len(tokens)) if not tokens[j].isspace()),
                         None)
            if before is not None and after is not None and (words[before] or words[after]) \
                    and factor(before) and factor(after) and tokens[after][0] not in ")}]" \
                    and tokens[before] not in "([{" and not tokens[after].startswith("\\right"):
                out.append(r"\,")
                continue
        out.append(t)
    return "".join(out)


FORMULA_CACHE_ITEMS = 256
FORMULA_CACHE_BYTES = 16 * 1024 * 1024  # a typical formula image is 4-25 kB


class _PngCache:
    """Least-recently-used store of rendered formulas, bounded in count and in bytes.

    Switching back to a loss (or a preset) typesets nothing again: its three images come
    from here. Thread-safe (the compile worker and the derivative views render on
    different threads); rendering itself happens outside the lock.
    """

    def __init__(self, items: int, nbytes: int) -> None:
        self.max_items, self.max_bytes = items, nbytes
        self._data: OrderedDict[tuple, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            png = self._data.get(key)
            if png is None:
                self.misses += 1
            else:
                self.hits += 1
                self._data.move_to_end(key)
            return png

    def put(self, key: tuple, png: bytes) -> None:
        with self._lock:
            if key in self._data:
                return
            self._data[key] = png
            self._bytes += len(png)
            while self._data and (len(self._data) > self.max_items
                                  or self._bytes > self.max_bytes):
                _, old = self._data.popitem(last=False)
                self._bytes -= len(old)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def info(self) -> dict[str, int]:
        with self._lock:
            return {"items": len(self._data), "bytes": self._bytes, "hits": self.hits,
                    "misses": self.misses}


_CACHE = _PngCache(FORMULA_CACHE_ITEMS, FORMULA_CACHE_BYTES)


def formula_cache_info() -> dict[str, int]:
    """Size (``items``, ``bytes``) and ``hits``/``misses`` of the formula image cache."""
    return _CACHE.info()


def clear_formula_cache() -> None:
    """Forget every cached formula image (and reset the hit counts)."""
    _CACHE.clear()


def latex_to_png(latex: str, fontsize: float = 18, color: str = "#000000",
                 dpi: int = 144) -> bytes:
    """Render ``latex`` (math mode, without dollars) to PNG bytes: ``color`` ink on white;
    lines separated by ``"\\n"`` one below the other, left-aligned.

    mathtext's parser is used directly (no matplotlib figure: importing and drawing one
    costs several times the typesetting itself). Results are cached by
    (latex, fontsize, color, dpi) in a bounded LRU store; failures are not cached.

    Raises
    ------
    ValueError
        When mathtext cannot parse it (the caller shows plain text instead).
    """
    key = (latex, float(fontsize), color.lower(), int(dpi))
    png = _CACHE.get(key)
    if png is None:
        png = _render_png(*key)
        _CACHE.put(key, png)
    return png


def _render_png(latex: str, fontsize: float, color: str, dpi: int) -> bytes:
    lines = latex.split("\n")
    inks = [_ink(line, fontsize, dpi) for line in lines]
    if len(inks) > 1:  # one below the other, left-aligned, a third of a line apart
        wide = max(ink.shape[1] for ink in inks)
        gap = np.zeros((max(2, inks[0].shape[0] // 3), wide), np.float32)
        parts = []
        for i, ink in enumerate(inks):
            parts += [gap] if i else []
            parts.append(np.pad(ink, ((0, 0), (0, wide - ink.shape[1]))))
        inks = [np.vstack(parts)]
    return _inked_png(inks[0], color)


def _inked_png(ink: np.ndarray, color: str = "#000000") -> bytes:
    """PNG bytes of ``ink`` (0…1) in ``color`` on white."""
    ink = ink[..., None]
    rgb = np.array(_rgb(color), dtype=np.float32)
    pixels = np.empty(ink.shape[:2] + (4,), dtype=np.uint8)
    pixels[..., :3] = np.round(255.0 * (1.0 - ink) + rgb * ink)
    pixels[..., 3] = 255
    return png_bytes(pixels)


def _ink(latex: str, fontsize: float, dpi: int) -> np.ndarray:
    """The ink (0…1) of one formula, with a little air around it."""
    return ink_and_baseline(latex, fontsize, dpi)[0]


PAD = 2  # pixels of air around a rendered formula


def ink_and_baseline(latex: str, fontsize: float, dpi: int) -> tuple[np.ndarray, int]:
    """The ink (0…1) of one formula with :data:`PAD` pixels of air, and its baseline's row."""
    parser, prop = math_parser(fontsize)
    with RENDER_LOCK:
        out = parser.parse(f"${to_mathtext(latex)}$", dpi=dpi, prop=prop)
        forget_font_sets()
    ink = np.pad(np.asarray(out.image, dtype=np.float32) / 255.0, PAD)
    return ink, PAD + round(out.height - out.depth)


PIECES_WIDER_THAN_EM = 16
"""A formula is typeset in pieces too (for breaking onto lines) when it is wider than this
many ems: narrower, three quarters of its size fits any loss panel on one line."""
MIN_PIECES_LATEX = 48
"""A formula shorter than this (in LaTeX) is not typeset in pieces too: it fits anyway."""


@functools.lru_cache(maxsize=256)
def _piece_png(latex: str, fontsize: float, dpi: int) -> tuple[bytes, int]:
    ink, baseline = ink_and_baseline(latex, fontsize, dpi)
    return _inked_png(ink), baseline


def render_pieces(head: str, body: str, fontsize: float = 18,
                  dpi: int = 144) -> list[tuple[bytes, int]] | None:
    """``head`` followed by ``body`` typeset as pieces a line may break between (before each
    of ``body``'s terms, :func:`gdviz.core.latex_terms.breakable_terms`): per
    piece, PNG bytes (black on white) and its baseline's row. Each piece after the first
    starts with its sign set as between two terms (its space before it too), so pieces side
    by side read as the whole formula. None for a body of one term, or a short one."""
    from gdviz.core.latex_terms import breakable_terms

    terms = breakable_terms(body)
    if len(terms) < 2 or len(head) + len(body) < MIN_PIECES_LATEX:
        return None
    latex = [f"{head} {terms[0]}", *("{}" + term for term in terms[1:])]
    return [_piece_png(piece, float(fontsize), int(dpi)) for piece in latex]


def forget_font_sets() -> None:
    """Let go of the font sets mathtext made for the formulas typeset so far.

    mathtext makes a font set per formula, and a cache on one of its methods
    (``StixFonts.get_sized_alternatives_for_symbol``, for ``\\left(`` and roots) keeps every
    one alive: about 19 KB a formula, never freed (3,000 formulas: 58 MB; a long lecture's
    session grew by 0.14 MB a loss edit). Emptying it costs the next formula a few look-ups.
    """
    from matplotlib import _mathtext

    clear = getattr(_mathtext.StixFonts.get_sized_alternatives_for_symbol, "cache_clear", None)
    if clear is not None:  # (a matplotlib without the cache: nothing to do)
        clear()


@functools.lru_cache(maxsize=8)
def math_parser(fontsize: float):
    """mathtext's raster parser and the app's formula font at ``fontsize`` (cached)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    return MathTextParser("agg"), FontProperties(size=fontsize, family="DejaVu Sans")


def _rgb(color: str) -> tuple[int, int, int]:
    text = color.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6:
        raise ValueError(f"not a #rrggbb colour: {color!r}")
    return tuple(int(text[i:i + 2], 16) for i in (0, 2, 4))


def png_bytes(pixels: np.ndarray) -> bytes:
    """Encode an RGBA ``uint8`` array (rows × columns × 4) as a PNG file."""
    h, w, _ = pixels.shape
    rows = np.zeros((h, 1 + 4 * w), dtype=np.uint8)  # each row: filter byte 0, then pixels
    rows[:, 1:] = pixels.reshape(h, 4 * w)

    def chunk(tag: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(tag + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)) + chunk(b"IEND", b""))


def loss_formula_parts(loss) -> dict[str, tuple[str, str]]:
    """f and its two partial derivatives as (head, body) LaTeX: ``f(w_1, w_2) =`` and f."""
    import sympy as sp

    a, b = (sp.latex(s) for s in loss.symbols)
    da, db = loss.partials_latex
    return {
        "f": (rf"f({a}, {b}) =", loss.latex),
        "da": (rf"\frac{{\partial f}}{{\partial {a}}} =", da),
        "db": (rf"\frac{{\partial f}}{{\partial {b}}} =", db),
    }


def loss_formulas(loss) -> dict[str, str]:
    """LaTeX lines to show for a loss: f and its two partial derivatives."""
    return {key: f"{head} {body}" for key, (head, body) in loss_formula_parts(loss).items()}


def render_loss(loss, fontsize: float = 18, color: str = "#000000") -> dict[str, object]:
    """PNG images of :func:`loss_formulas` (a formula mathtext cannot draw is left out) and,
    under ``key + " pieces"``, a long one's :func:`render_pieces` (for the loss panel to break
    it onto lines where it is wider than the panel)."""
    out: dict[str, object] = {}
    for key, (head, body) in loss_formula_parts(loss).items():
        latex = f"{head} {body}"
        if len(latex) > 600:
            continue  # too long to read on screen; the plain text is shown instead
        try:
            out[key] = png = latex_to_png(latex, fontsize, color)
            # (only a formula too wide for any panel on one line: the pieces cost as much
            # typesetting again, 40 ms more before a long loss's formulas showed)
            wide = struct.unpack(">I", png[16:20])[0] > PIECES_WIDER_THAN_EM * fontsize * 2
            pieces = render_pieces(head, body, fontsize) if wide else None
        except Exception:  # noqa: BLE001 - mathtext raises several types; plain text then
            continue
        if pieces is not None:
            out[key + " pieces"] = pieces
    return out
