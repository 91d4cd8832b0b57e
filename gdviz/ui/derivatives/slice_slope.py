"""How the "Slice" tab shows the tangent's slope: the colours and words of a rising, falling or
flat slice (:data:`SLOPE_COLORS`, :data:`SLOPE_LABELS`, :data:`SENTENCE_FLAT`) and the legend
made of them (:func:`legend_html`), where the slope's label goes beside the examined point
(:func:`label_side`, :func:`place_label`), and the sentence under the plot
(:func:`slope_sentence`); :mod:`gdviz.ui.derivatives.slice_view` draws with them and
re-exports the constants.
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.core import calculus
from gdviz.core.loss import Loss
from gdviz.ui.canvas import Text
from gdviz.ui.derivatives.common import LecturePlot, fmt, kink, points_along
from gdviz.ui.numbers import axis_number, not_finite_text

SENTENCE_FLAT = 1e-3
"""The sentence under the plot calls the tangent flat below this fraction of how steep the
slice usually is (:func:`gdviz.core.calculus.flat_tolerance`): a rounding error at a maximum
(10⁻¹⁷) is flat, whatever its sign; the curve's grey uses 5 %."""
#: Colours (Okabe–Ito where possible: readable by colour-blind students and on a projector).
SLOPE_COLORS = {"rising": "#009E73", "falling": "#D55E00", "flat": "#9a9a9a"}
SLOPE_LABELS = {"rising": "rising (slope &gt; 0)", "falling": "falling (slope &lt; 0)",
                "flat": "nearly flat"}
"""(grey is "nearly flat" for the curve's own steepness: "flat (slope ≈ 0)" was said of
exp(x² + y²)'s slope of −1.3 beside slopes of 10⁸)"""


def legend_html() -> str:
    """The legend's rich text: a swatch and its words per slope class, then the tangent's."""
    # Each entry stays whole on its line (a swatch never ends a line without its words):
    # the lines break only between entries.
    entries = [f"<span style='color:{SLOPE_COLORS[n]}'>━━</span> {SLOPE_LABELS[n]}"
               for n in calculus.SLOPE_CLASSES] + ["<b>╌╌</b> tangent"]
    return "&nbsp; ".join(f"<span style='white-space:nowrap'>{e}</span>" for e in entries)


def label_side(loss: Loss, point, axis: int, x0: float, y0: float, domain: tuple[float, float],
               y_range: tuple[float, float]) -> tuple[bool, bool]:
    """Which side of the examined point ``(x0, y0)`` the slope's label goes, as
    ``(right, below)``, on a slice along ``axis`` through ``point`` shown over ``domain`` ×
    ``y_range``."""
    lo, hi = domain
    # Put the text where neither the curve nor the tangent goes: a convex curve lies
    # above its tangent, so below it, on the side where the tangent rises (mirrored for
    # a concave curve).
    # Which way it bends, from the exact slope just either side (the Hessian's code
    # is compiled on the compile thread after the views have painted, not here).
    step = 1e-4 * (hi - lo)
    ahead = calculus.slice_derivative(loss, point, axis)(np.array([x0 - step, x0 + step]))
    below = not ahead[1] < ahead[0]
    (ya, yb), frac = y_range, 0.5
    if yb > ya:
        frac = (y0 - ya) / (yb - ya)
    if frac < 0.15 or frac > 0.85:  # keep it inside the plot first
        below = frac > 0.85
    # Horizontally, toward the wider side of the plot: the label is as wide as a third
    # of a narrow dock, and must never be cut off.
    right = (x0 - lo) / (hi - lo) < 0.5
    return right, below


GAPS = ((0.0,), (1.0, 2.0, 3.0, 4.0))
"""The label's places in tiers: beside the point, then up to four label heights off it."""
ASIDE = (0.0, 0.2, 0.4)
"""How far aside of the point the label may also go, in its widths."""
SAMPLE_PX = 3.0
"""Pixels between the samples of the curve and the tangent a label is checked against."""
SHORT_COST = 6.0
"""Samples covered beyond which the label tries its short form ("f′=0.1404")."""
HIDE_COST = 12.0
"""Samples covered beyond which the label is left out (the sentence under the plot has it)."""
FAR_COST = 2.0
"""What each label height further from the point costs, in samples of curve covered."""


def place_label(plot: LecturePlot, text: Text, curve, tangent, right: bool,
                below: bool, short: str | None = None) -> None:
    """The slope's label ``text`` beside the point, in the first of its places that covers
    the fewest samples (one every :data:`SAMPLE_PX` pixels) of the ``curve`` and the
    ``tangent`` (each ``(xs, ys)``): the four
    beside the point (the one the curve's bend suggests first: ``right``, ``below``), or,
    where those cover more than :data:`FAR_COST` samples, the same one to four label heights
    further up or down, each height counted as :data:`FAR_COST` samples; each also
    :data:`ASIDE` of its width further aside. On a wiggly loss (Himmelblau, Rastrigin) the
    suggested place sat on the curve further along, and washed out half the tangent (the
    tangent, drawn from its two ends, is counted along its length: counted by its ends
    alone, a label across its middle covered nothing); on Rastrigin in a small plot all four
    places beside the point lay across the curve, while the room above it was clear.

    Where every place covers more than :data:`SHORT_COST` samples (a label as wide as most
    of a narrow dock's plot, moved in beside a steep tangent: it lay across the curve and
    the tangent), the ``short`` text ("f′=0.1404") is tried; where even that covers
    more than :data:`HIDE_COST`, the label is left out: the sentence under the plot says it.
    """
    # The curve and the tangent as drawn: a point every 3 pixels along each (the curve's
    # own samples are sparse where it is steep, and the tangent is drawn from its two ends)
    lines = [points_along(np.column_stack(plot.data_to_px(np.asarray(x, float),
                                                          np.asarray(y, float))), SAMPLE_PX)
             for x, y in (curve, tangent)]
    dense = np.concatenate(lines)
    samples = dense[:, 0], dense[:, 1]
    near = ((right, below), (right, not below), (not right, below), (not right, not below))
    # (the short form kept until the whole label is well clear again: played back, a
    # cost hovering at the threshold switched it back and forth, and moved it, each frame;
    # so clear a place is one beside the point, where the whole label is then looked for)
    was_short = getattr(text, "was_short", False) and bool(short)
    limit = SHORT_COST / 4 if was_short else SHORT_COST
    found = _cheapest(plot, text, samples, near, GAPS[:1] if was_short else GAPS)
    if found is None:
        return
    best, cost = found
    text.was_short = False
    full = text.text
    if cost > limit and short:
        text.set_text(short)
        found = _cheapest(plot, text, samples, near)
        if found is not None and (found[1] < cost or was_short):
            best, cost = found
            text.was_short = True
        else:
            text.set_text(full)
    # The number alone only beside the point: further off (Rastrigin's "66.16", four label
    # heights above it) it read as a value of f on the axis level with it; the sentence
    # under the plot has it.
    if text.was_short and not _beside(best):
        # Then the whole label where it goes, if it goes anywhere: kept short, it had been
        # looked for beside the point only, and the label stayed hidden for the rest of a
        # run near a plot's edge (tanh(3w1) near 2.5: k = 15 to the end at 1920 × 1080),
        # where a fresh placement found room two label heights below.
        short_text = text.text
        text.set_text(full)
        found = _cheapest(plot, text, samples, near)
        if found is not None and found[1] <= HIDE_COST:
            best, cost = found
            text.was_short = False
        else:
            text.set_text(short_text)
    text.set_anchor(best)
    text.set_visible(cost <= HIDE_COST and (_beside(best) or not text.was_short))


def _beside(anchor: tuple[float, float]) -> bool:
    """Whether a label at ``anchor`` sits beside the point (not one or more heights off)."""
    return min(abs(anchor[1] + 0.15), abs(anchor[1] - 1.15)) < 0.5


def _cheapest(plot: LecturePlot, text: Text, samples, near, tiers=None
              ) -> tuple[tuple[float, float], float] | None:
    """The first cheapest place of :func:`place_label` for ``text`` as it reads now, and its
    cost, among the places ``tiers`` of :data:`GAPS` give; None where the text has no box
    (not shown)."""
    px, py = samples
    best, best_cost = None, None
    for gaps in tiers or GAPS:  # (further off only when all four beside it are taken)
        # (and each a fifth or two of its width further aside: a steep tangent ran through
        # the label's first letters beside the point)
        anchors = [((-0.08 - aside) if r else (1.08 + aside), (-0.15 - gap) if b else (1.15 + gap))
                   for gap in gaps for aside in ASIDE for r, b in near]
        boxes = text.boxes(plot, anchors)  # (as placed: moved inside the plot if need be)
        if boxes is None:
            return None
        # (only the samples within reach of some box: a playback frame places the label)
        near_x = (px >= boxes[:, 0].min()) & (px <= boxes[:, 2].max())
        reach = near_x & (py >= boxes[:, 1].min()) & (py <= boxes[:, 3].max())
        sx, sy = px[reach], py[reach]
        left, top, right_edge, bottom = (side[:, None] for side in boxes.T)
        hits = ((sx >= left) & (sx <= right_edge) & (sy >= top) & (sy <= bottom)).sum(axis=1)
        # Each label height between the box as placed and the point costs as much as two
        # samples covered (a tangent grazing a corner of the label beside the point is
        # better than a label far off; a box moved inside the plot may end up further than
        # its place says: at the plot's foot); covering the point itself is out of question.
        x0, y0 = (float(v) for v in plot.data_to_px(*text.pos))
        height = np.maximum(boxes[:, 3] - boxes[:, 1], 1.0)
        apart = np.hypot(np.maximum(0.0, np.maximum(boxes[:, 0] - x0, x0 - boxes[:, 2])),
                         np.maximum(0.0, np.maximum(boxes[:, 1] - y0, y0 - boxes[:, 3])))
        covers = (apart == 0.0) * 1000.0
        cost = hits + FAR_COST * np.maximum(apart / height - 0.15, 0.0) + covers
        first = int(np.argmin(cost))  # (the first of the cheapest: the nearest)
        if best_cost is None or cost[first] < best_cost:
            best, best_cost = anchors[first], float(cost[first])
        if best_cost <= FAR_COST:  # (nothing further off can do better)
            break
    return best, best_cost


def slope_sentence(slope: float, tol: float, name: str, where, defined: bool,
                   corner: tuple[float, float] | None = None,
                   domain=None, eq: str = "=", gentle: bool = False,
                   beside: tuple[int, tuple[float, float]] | None = None,
                   value: float = math.nan) -> tuple[str | None, str]:
    """The sentence under the plot about the tangent at ``where`` (the 2D point), and its colour
    (None: the theme's ink).

    Parameters
    ----------
    slope : float
        The tangent's slope, ∂f/∂``name`` at ``where``.
    tol : float
        Below this |slope| the sentence calls the tangent flat (see :data:`SENTENCE_FLAT`).
    name : str
        The variable the slice runs along.
    where
        The examined point: ``where[0]`` and ``where[1]`` are its two variables' values.
    defined : bool
        Whether f is defined there (else there is no tangent to speak of).
    corner : tuple of float, optional
        The slopes from the left and from the right where they differ (no tangent either).
    domain : optional
        ``((a0, a1), (b0, b1))``: the point gets the digits that tell it apart there.
    eq : str
        "=", or "≈" where ``slope`` is 0 only as rounded (a converged run's 8.6×10⁻⁷).
    gentle : bool
        Whether the curve is grey there (nearly flat beside the slice's steeper parts): a
        slope that is not flat then reads "rising gently" (a grey curve under
        "= 14.78 (rising)" on e^(w1² + 1) looked like a contradiction).
    value : float
        f there (±∞ is said so: not "undefined").
    beside : tuple, optional
        ``(axis, (left, right))`` where the point's coordinate along ``axis`` is a hair off a
        corner at 0 of that variable (under 10⁻⁹ of its axis: written 0 elsewhere) with those
        slopes either side: that coordinate is written as it is, and the corner named
        ("∂f/∂w1 at (0, 0.5) = 1" at w1 = 10⁻⁹ on |w1| + w2² read as the corner's slope).
    """
    sign = ("rising" if slope > tol else "falling" if slope < -tol else "flat") \
        if math.isfinite(slope) else "undefined"
    axes = domain if domain is not None else ((0.0, 0.0), (0.0, 0.0))
    # (held whole, and ∂f/∂w1 too: "at (1," / "0.5)" and "∂f/" / "∂w1" broke there)
    coords = [fmt(*axis_number(where[i], axes[i])) for i in (0, 1)]
    if beside is not None:
        coords[beside[0]] = fmt(where[beside[0]])  # (its own digits: not the axis's 0)
    at = f"({coords[0]},\u00a0{coords[1]})"
    partial = f"∂f/\u2060∂{name}"
    if not defined:  # (∞ as the readouts say it: exp(w1·w2) overflowed, "undefined" beside "f ∞")
        what = not_finite_text(value) if math.isinf(value) else "undefined"
        return None, f"f is {what} at {at}: no tangent there."
    if corner is not None:
        return None, (f"f has a {kink(corner)} at {at}: slope {fmt(corner[0])} from the left, "
                      f"{fmt(corner[1])} from the right, so no tangent: {partial} does "
                      "not exist there.")
    if not math.isfinite(slope):  # (it read "= undefined  (undefined)")
        what = ("is infinite: the curve stands vertical there" if math.isinf(slope)
                else "is undefined")
        return None, f"{partial} at {at} {what}, so no tangent with a slope."
    # Coloured as the curve is there: green rising, orange falling (the theme's ink when
    # flat, for contrast on either background).
    color = SLOPE_COLORS[sign] if sign in ("rising", "falling") else None
    word = f"{sign} gently" if gentle and color is not None else sign
    sentence = f"tangent slope = {partial} at {at} {eq} {fmt(slope)}  ({word})"
    if beside is not None:
        (left, right) = beside[1]
        sentence += (f" — a hair off {name} = 0, where f has a {kink(beside[1])} (slope "
                     f"{fmt(left)} from the left, {fmt(right)} from the right: no tangent).")
    return color, sentence


def held_sentence(names, axis: int, value: str, ink: str, depends: bool = True) -> str:
    """Rich text "w2 = 0.2 is held constant: the curve is f(w1, 0.2), a function of w1
    alone" for a slice along ``names[axis]``, the held value ``value`` in ``ink``; where f
    does not ``depend`` on the held variable, "f does not depend on y: the curve is f
    itself, a function of x alone" (sin(x²) read "y = 0 is held constant", a y it never
    had)."""
    held = 1 - axis
    if not depends:
        return (f"f does not depend on <b style='color:{ink}'>{names[held]}</b>: the curve "
                f"is f itself, a function of {names[axis]} alone.")
    args = [names[0], names[1]]
    args[held] = f"<b style='color:{ink}'>{value}</b>"
    return (f"<b style='color:{ink}'>{names[held]} = {value}</b> is held constant: the "
            f"curve is f({',&nbsp;'.join(args)}), a function of {names[axis]} alone.")
