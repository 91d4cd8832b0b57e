"""Typeset formulas with matplotlib's mathtext (no Qt here: it runs on the compile thread)."""

from __future__ import annotations

import io
import re
import threading

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
    """Render ``latex`` (math mode, without dollars) to PNG bytes.

    Raises
    ------
    ValueError
        When mathtext cannot parse it (the caller shows plain text instead).
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib import mathtext
    from matplotlib.font_manager import FontProperties

    buf = io.BytesIO()
    prop = FontProperties(size=fontsize, family="DejaVu Sans")
    with RENDER_LOCK:
        mathtext.math_to_image(f"${to_mathtext(latex)}$", buf, prop=prop, dpi=dpi,
                               format="png", color=color)
    return buf.getvalue()


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
