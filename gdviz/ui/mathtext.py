"""Typeset formulas with matplotlib's mathtext (no Qt here: it runs on the compile thread)."""

from __future__ import annotations

import functools
import re
import struct
import threading
import zlib

import numpy as np

# mathtext's parser keeps global state: two threads rendering at once corrupt each other's
# parse. One lock for every render in the app.
RENDER_LOCK = threading.Lock()
_OPERATORNAME = re.compile(r"\\operatorname\{([A-Za-z]+)\}")


def to_mathtext(latex: str) -> str:
    """Adapt sympy's LaTeX to what mathtext understands."""
    s = _OPERATORNAME.sub(r"\\mathrm{\1}", latex)
    s = s.replace(r"\left|", r"|").replace(r"\right|", r"|")
    return s


def latex_to_png(latex: str, fontsize: float = 18, color: str = "#000000",
                 dpi: int = 144) -> bytes:
    """Render ``latex`` (math mode, without dollars) to PNG bytes: ``color`` ink on white.

    mathtext's parser is used directly (no matplotlib figure: importing and drawing one
    costs several times the typesetting itself).

    Raises
    ------
    ValueError
        When mathtext cannot parse it (the caller shows plain text instead).
    """
    parser, prop = math_parser(float(fontsize))
    with RENDER_LOCK:
        image = parser.parse(f"${to_mathtext(latex)}$", dpi=dpi, prop=prop).image
    ink = np.pad(np.asarray(image, dtype=np.float32) / 255.0, 2)[..., None]  # a little air
    rgb = np.array(_rgb(color), dtype=np.float32)
    pixels = np.empty(ink.shape[:2] + (4,), dtype=np.uint8)
    pixels[..., :3] = np.round(255.0 * (1.0 - ink) + rgb * ink)
    pixels[..., 3] = 255
    return png_bytes(pixels)


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


def loss_formulas(loss) -> dict[str, str]:
    """LaTeX lines to show for a loss: f and its two partial derivatives."""
    import sympy as sp

    a, b = (sp.latex(s) for s in loss.symbols)
    da, db = loss.partials_latex
    return {
        "f": rf"f({a}, {b}) = {loss.latex}",
        "da": rf"\frac{{\partial f}}{{\partial {a}}} = {da}",
        "db": rf"\frac{{\partial f}}{{\partial {b}}} = {db}",
    }


def render_loss(loss, fontsize: float = 18, color: str = "#000000") -> dict[str, bytes]:
    """PNG images of :func:`loss_formulas`; a formula mathtext cannot draw is left out."""
    out = {}
    for key, latex in loss_formulas(loss).items():
        if len(latex) > 600:
            continue  # too long to read on screen; the plain text is shown instead
        try:
            out[key] = latex_to_png(latex, fontsize, color)
        except Exception:  # noqa: BLE001 - mathtext raises several types; plain text then
            continue
    return out
