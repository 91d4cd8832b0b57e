"""The Regression tab's pipeline: weights → outputs → loss → gradient → update, with the
values of the selected run at the current step (the lecture's last slide)."""

from __future__ import annotations

import math

from gdviz.core.optimizers import OPTIMIZERS
from gdviz.core.regression import mse, mse_gradient, stable_lr
from gdviz.ui.colors import text_ink
from gdviz.ui.derivatives.common import fmt
from gdviz.ui.numbers import typed_number


def _fmt(v: float) -> str:
    # As the other tabs write numbers (9.69×10⁻⁷, not 9.69e-07); whole from 1000 up to a
    # million, as the readouts write them: "(3.98×10³, 981)" mixed two ways in one vector
    # beside the readouts' (3982, 981)
    if math.isfinite(v) and 1e3 <= abs(v) < 1e6:
        return f"{round(v)}".replace("-", "−")
    return fmt(v, 3) if math.isfinite(v) else "—"


def _pair(a: float, b: float) -> str:
    texts = [_fmt(a), _fmt(b)]
    # One style in one vector: "(4.70×10⁻⁵, −0.000186)" read as two kinds of number (a
    # small decimal beside a power of ten is written as one too; 2.5 stays 2.5)
    powers = ["×10" in t or t.startswith(("10", "−10")) for t in texts]
    if any(powers):
        texts = [_power(v) if not p and math.isfinite(v) and 0 < abs(v) < 1e-2 else t
                 for t, p, v in zip(texts, powers, (a, b), strict=True)]
    return f"({texts[0]},&nbsp;{texts[1]})"  # wraps as a whole


def _power(v: float) -> str:
    """``v`` as a power of ten, three digits: −1.86×10⁻⁴."""
    mant, exp = f"{v:.2e}".split("e")
    sup = str(int(exp)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mant}×10{sup}".replace("-", "−")


def pipeline_html(view, w, stacked: bool = False) -> str:
    """The lecture's last slide, one stage per line: a title, a formula and a value
    (``stacked``: the formula on a line of its own, below, for a narrow tab).

    ``view`` is the :class:`~gdviz.ui.derivatives.regression_view.RegressionView` (its
    controller, data, whether its MSE is the loss, its theme); ``w`` the weights shown.
    """
    c = view.controller
    xs, ys = view.data()
    spec = c.runs[c.selected].spec if 0 <= c.selected < len(c.runs) else None
    lr = spec.lr if spec is not None else math.nan
    traj = c.runs[c.selected].trajectory if spec is not None else None
    if traj is not None and len(traj.lrs):  # (η at this step: a schedule changes it)
        lr = float(traj.lrs[min(c.iteration, len(traj.lrs) - 1)])
    # (the update's η in brackets: "update, η = 1 = (12.5, 4.01)" read as η being a vector)
    titles = ("weights", "outputs", "loss", "gradient", f"update (η&nbsp;=&nbsp;{_fmt(lr)})")
    formulas = tuple(f"<span style='white-space:nowrap'>{f}</span>" for f in (
        "w = (w<sub>1</sub>, w<sub>2</sub>)", "ŷ = w<sub>1</sub>·x + w<sub>2</sub>",
        "MSE = mean (ŷ − y)²", "∇L = (∂L/∂w<sub>1</sub>, ∂L/∂w<sub>2</sub>)",
        "w ← w − η∇L"))  # (they broke mid-formula: "MSE = mean (ŷ − / y)²")
    values = ("",) * 5
    if w is not None:
        w1, w2 = w
        loss = mse(w1, w2, xs, ys)
        g1, g2 = mse_gradient(w1, w2, xs, ys)
        # At the least-squares line the gradient is rounding noise (−2.78×10⁻¹⁶): it reads 0
        # (against the gradient's own scale, √loss·(1 + max|x|): the loss grows as w², the
        # gradient as w)
        noise = 1e-12 * max(1.0, math.sqrt(loss) * (1.0 + max(abs(x) for x in xs))) \
            if math.isfinite(loss) else 0.0
        g1, g2 = (0.0 if abs(g) <= noise else g for g in (g1, g2))
        sign = "+" if w2 >= 0 else "−"
        line = f"{_fmt(w1)}·x&nbsp;{sign}&nbsp;{_fmt(abs(w2))}"
        step = _pair(w1 - lr * g1, w2 - lr * g2)
        plain = spec is not None and spec.optimizer == "gd"
        k = c.iteration
        if not plain and traj is not None and k + 1 < len(traj.points):
            # (the run's own next point: Newton's, shown as w − η∇L with η = 1, was a step
            # that diverges, where Newton lands on the line at once)
            step = _pair(*(float(v) for v in traj.points[k + 1]))
            formulas = (*formulas[:4], "<span style='white-space:nowrap'>w ← "
                        f"{OPTIMIZERS[spec.optimizer].label}'s step</span>")
            titles = (*titles[:4], "update")
        values = tuple(f"=&nbsp;{v}" for v in (
            _pair(w1, w2), line, f"<b>{_fmt(loss)}</b>", _pair(g1, g2), step))
        if not view.active:  # (greyed: the loss descended is another, its values others)
            grey = text_ink(view, "#8a8a8a")
            values = tuple(f"<span style='color:{grey}'>{v}</span>" for v in values)
    blue = text_ink(view, "#0072B2")
    arrows = [f"<td style='color:{blue}'><b>{'↓' if k else ''}</b></td>" for k in range(5)]
    if stacked:
        rows = "".join(
            f"<tr>{a}<td><b>{t}</b> {v}</td></tr><tr><td></td><td>{f}</td></tr>"
            for a, t, f, v in zip(arrows, titles, formulas, values, strict=True))
    else:
        rows = "".join(f"<tr>{a}<td><b>{t}</b></td><td>{f}</td><td>{v}</td></tr>"
                       for a, t, f, v in zip(arrows, titles, formulas, values, strict=True))
    notes = []
    if w is None:
        notes.append("<i>No run: add one to see a line.</i>")
    if spec is not None and spec.optimizer != "gd":
        notes.append(f"(the run uses {OPTIMIZERS[spec.optimizer].label}, which changes the "
                     "update step)")
    elif spec is not None and (spec.noise > 0 or spec.gradient != "symbolic"):
        notes.append("(the run's gradient has noise or is a difference quotient: its "
                     "step differs from this one)")
    diverged = traj is not None and str(traj.status) == "diverged"
    plain_gd = spec is not None and spec.optimizer == "gd" and spec.schedule == "constant" \
        and spec.noise == 0 and spec.gradient == "symbolic"
    if view.active and diverged and len(xs) >= 1:
        # (it still said "✓ … watch the line fit the points" as the line flew off); the
        # bound 2/λ holds for plain gradient descent only
        bound = (f"on this data gradient descent converges only for η below "
                 f"{_fmt(stable_lr(xs))} (2/λ, λ the largest curvature of its MSE). "
                 if plain_gd else "")
        notes.append(f"<span style='color:{text_ink(view, '#D55E00')}'>✗ The run diverged: "
                     f"{bound}Lower η.</span>")
    elif view.active:
        notes.append(f"<span style='color:{text_ink(view, '#009E73')}'>✓ The loss is this "
                     "data's MSE: play the descent and watch the line fit the points.</span>")
    else:  # (first: the values above are this data's MSE's, not the loss descended)
        notes.insert(0, f"<span style='color:{text_ink(view, '#D55E00')}'>The loss being "
                     "descended is not this data's MSE (the values above are): press "
                     "<b>Use as loss</b>.</span>")
    # (one note a line: "(the run uses Newton, which changes the update step) ✓ The loss is
    # this data's MSE: …" ran on as one paragraph)
    return f"<table cellspacing=2>{rows}</table>" + "<br>".join(notes)


def lowered_lr_note(xs, lr: float, lowered: float) -> str:
    """What "Use as loss" says where it lowered a gradient-descent run's η from ``lr`` to
    ``lowered`` (data reaching x = 8 kept the lecture's η = 0.3: the line flew off at the
    first step)."""
    return (f"η lowered from {typed_number(lr)} to {typed_number(lowered)}: gradient descent "
            f"on this data's MSE diverges for η ≥ {_fmt(stable_lr(xs))} (2/λ, λ "
            "its largest curvature).")


def key_html(line: str, residuals: str) -> str:
    """The plot's key: the data, the selected run's line in ``line``'s colour, the residuals
    in ``residuals``'. Each entry's symbol stays with its first word (it wrapped away from
    its words), the formulas whole too (in presentation mode's type "ŷ −" and "y" were
    broken onto two lines)."""
    return ("<span style='white-space:nowrap'>● data (x, y)</span> &nbsp;&nbsp; "
            f"{_mark(line, '━━', 'line')} <span style='white-space:nowrap'>ŷ = w<sub>1</sub>"
            "·x + w<sub>2</sub></span> of the selected run &nbsp;&nbsp; "
            f"{_mark(residuals, '╍╍', 'residuals ŷ − y')}")


def _mark(ink: str, symbol: str, word: str) -> str:
    """A key's symbol in ``ink`` and its first word, kept on one line."""
    return (f"<span style='white-space:nowrap'><span style='color:{ink}'>"
            f"<b>{symbol}</b></span> {word}</span>")
