"""When a descent stops for good: a run that diverged (its point or loss not finite, run away,
or its gradient undefined), and why; or one that reached a corner of f that is a minimum
(:data:`CORNER`), where the gradient is undefined too but the run has arrived."""

from __future__ import annotations

import math
import re

import numpy as np

from gdviz.core.end_kind import NO_MINIMUM_KINDS, _negligible_bend, kind_near

Array = np.ndarray

RUNAWAY_NORM = 1e12  # a point this far out has run away
RUNAWAY_LOSS = 1e10  # a loss this many times (1 + |f0|) beyond its start has run away
FELL_WITHOUT_BOUND = "the loss fell without bound (f has no minimum that way)"
"""The reason of a run whose loss fell further than :data:`RUNAWAY_LOSS` below its start: not
an η too large, as "diverged" alone is read (Newton on x² − y²)."""

CORNER = "at a corner of f (∇f undefined there), lowest around it"
"""Why a run stopped converged where its gradient is undefined: the tip of a cone such as
sqrt(x² + y²), reached exactly (it read "diverged: the gradient is undefined there")."""
CUSP = "at a cusp of f (∇f undefined there), lowest around it"
"""A corner whose slopes either side are infinite, as the tabs call it ((x² + y²)^(1/3) at 0
read "at a corner of f" beside the Slice tab's "a cusp")."""
AT_KINK = (CORNER, CUSP)
"""The reasons a run converged at a corner or cusp that is a minimum."""
POLE = "the loss is undefined there (−∞ on one side, ∞ on the other)"
"""f at a pole whose sides run to opposite infinities (1/x at 0): numpy's 1/0.0 = ∞ read
"the loss is infinite at the start"."""
CORNER_NOT_LOWEST = "the gradient is undefined there (a corner of f, not lowest around it)"
"""Why a run stopped where the compiled gradient read 0 at a corner that is no minimum (the
ridge of −|x| + y²): diverged, as where the gradient is undefined otherwise (it read
"converged", at the top of a ridge)."""
SADDLE = "at a saddle point, not a minimum (f falls in some directions from it)"
MAXIMUM = "at a maximum, not a minimum (f falls in every direction from it)"
RIDGE = "on a ridge, not a minimum (f is level along it and falls on either side)"
"""Why a run converged where ∇f = 0 at a point that is no minimum, by the curvatures there
(w1² − w2² from (0.5, 0) read just "converged at step 62")."""
FLAT_REGION = "in a flat region, not at a minimum (f hardly changes around it)"
"""Why a run converged where ∇f = 0 and the curvatures keep ∇f under the run's tolerance across
the point's scale: Newton on exp(−w1² − w2²)·cos(3w1) leapt from (0.3, 0.4) to (3.3, 5.1),
f ≈ −10⁻¹⁶ there, its curvatures ±10⁻¹⁴ (it read "at a saddle point")."""
FLATTENS = "f flattens out there but keeps falling beyond it (∇f ≈ 0, not a minimum)"
"""Why a run "converged" where f only flattens out, lower all along the way on: stopped (GD
on 1/(w1² + w2²) thrown to w1 = 600,000 read "converged at step 1")."""


def _corner_minimum(value_fn, w: Array, f: float) -> bool:
    """Whether f is no lower at eight points a little around ``w`` than at it (f there)."""
    a, b = float(w[0]), float(w[1])
    r = 1e-6 * (1.0 + math.hypot(a, b))
    angles = np.linspace(0.0, 2 * math.pi, 8, endpoint=False)
    with np.errstate(all="ignore"):
        around = np.asarray(value_fn(a + r * np.cos(angles), b + r * np.sin(angles)), float)
    return bool(np.isfinite(around).all() and (around >= f).all())


def _infinite(value_fn, w: Array, g: Array) -> bool:
    """Whether ∇f ``g`` at ``w`` is infinite (none of it NaN) with a slope of ∞ each way
    where it is, not a cusp's (:func:`gdviz.core.limits.one_sided_slopes`)."""
    from gdviz.core.limits import one_sided_slopes

    return not np.isnan(g).any() and (value_fn is None or all(
        one_sided_slopes(value_fn, w, axis) is None for axis in np.flatnonzero(np.isinf(g))))


def _cusp(value_fn, w: Array) -> bool:
    """Whether f has a cusp at ``w``: a side's slope infinite along an axis."""
    from gdviz.core.limits import one_sided_slopes

    return any(one_sided_slopes(value_fn, w, axis) is not None for axis in (0, 1))


def classify_runs(w: Array, f: Array, g: Array, f0: Array,
                  value_fn=None) -> tuple[Array, list[str]]:
    """Which runs stopped for good, and why (vectorized): diverged, or (with ``value_fn``,
    the loss) at a corner that is a minimum (reason :data:`CORNER`: converged)."""
    with np.errstate(all="ignore"):
        # The usual case first, in a few operations: every run still fine.
        fine = (np.isfinite(w).all(axis=1) & np.isfinite(f) & np.isfinite(g).all(axis=1)
                & (w[:, 0] * w[:, 0] + w[:, 1] * w[:, 1] <= RUNAWAY_NORM * RUNAWAY_NORM)
                & (np.abs(f - f0) <= RUNAWAY_LOSS * (1.0 + np.abs(f0))))
    if fine.all():
        return ~fine, [""] * len(w)
    bad_w = ~np.isfinite(w).all(axis=1)
    inf_f = np.isinf(f)
    nan_f = np.isnan(f)
    bad_g = ~np.isfinite(g).all(axis=1)
    with np.errstate(all="ignore"):
        far = np.hypot(w[:, 0], w[:, 1]) > RUNAWAY_NORM
        scale = RUNAWAY_LOSS * (1.0 + np.abs(f0))
        up = (f - f0) > scale
        down = (f0 - f) > scale
    bad = bad_w | inf_f | nan_f | bad_g | far | up | down
    reasons = [""] * len(w)
    pole = np.zeros(len(w), dtype=bool)
    if value_fn is not None and inf_f.any():  # (all at once: see pole_mask)
        from gdviz.core.limits import pole_mask

        pole[inf_f] = pole_mask(value_fn, w[inf_f])
    for i in np.flatnonzero(bad):
        if bad_w[i]:
            # (NaN too: a NaN gradient's step, whose point the readouts call undefined)
            reasons[i] = ("the point became infinite" if not np.isnan(w[i]).any() else
                          "the point became undefined (not a number)")
        elif inf_f[i]:
            # (−∞, as log(x) at 0: f fell without bound, as the Compare table and the basins
            # map say of a run sliding down for ever; "diverged: the loss became infinite"
            # beside a final loss of −∞ read as an η too large)
            reasons[i] = POLE if pole[i] else FELL_WITHOUT_BOUND if f[i] < 0 \
                else "the loss became infinite"
        elif nan_f[i]:
            reasons[i] = "the loss is undefined there"
        elif bad_g[i]:
            corner = value_fn is not None and _corner_minimum(value_fn, w[i], float(f[i]))
            cusp = corner and _cusp(value_fn, w[i])
            # (x^(1/3)'s vertical tangent at 0: ∞, not x^(2/3)'s cusp, whose ∞ is its formula's)
            reasons[i] = (CUSP if cusp else CORNER) if corner else (
                "the gradient is infinite there" if _infinite(value_fn, w[i], g[i])
                else "the gradient is undefined there")
        elif far[i]:
            reasons[i] = "the point ran away (|w| > 10¹²)"
        elif up[i]:
            reasons[i] = "the loss grew far beyond its start"
        else:
            reasons[i] = FELL_WITHOUT_BOUND
    return bad, reasons


def corner_at_end(loss, w: Array, f: float, g: Array) -> tuple[str, Array] | None:
    """Whether a run that converged at ``w`` (f and the compiled ∇f ``g`` there) stopped on
    a corner of f, where a partial derivative does not exist: the reason to give
    (:data:`CORNER` where f is lowest around it) and ∇f with the missing partials
    undefined (NaN); None elsewhere, and for losses without corners.

    |x|' is compiled as sign(x), 0 at x = 0: GD on |x| + |y| that lands on (0, 0) read
    "∇f = (0, 0)" while the Gradient tab said the partials do not exist there.

    Examples
    --------
    >>> import numpy as np
    >>> from gdviz.core.loss import parse_loss
    >>> corner_at_end(parse_loss("abs(x) + y^2"), np.zeros(2), 0.0, np.zeros(2))[1]
    array([nan,  0.])
    """
    from gdviz.core.special_points import corner_slopes

    if not getattr(loss, "has_corners", False) or not np.isfinite(w).all():
        return None
    slopes = [corner_slopes(loss, w, axis) for axis in (0, 1)]
    corners = [s is not None for s in slopes]
    if not any(corners):
        return None
    lowest = _corner_minimum(loss.value, w, f)
    cusp = any(s is not None and any(math.isinf(v) for v in s) for s in slopes)
    return ((CUSP if cusp else CORNER) if lowest else CORNER_NOT_LOWEST), \
        np.where(corners, np.nan, g)


def swings_over_corner(loss, a: Array, b: Array) -> bool:
    """Whether a run stepping between ``a`` and ``b`` swings over a corner of f between them
    (:func:`corners_between` for one step). Then no fixed η settles it, however small: GD on
    |x| + y² swings between x = 10⁻⁴ and −2·10⁻⁴ at η = 3·10⁻⁴, and its note said "a
    smaller η would settle".

    Examples
    --------
    >>> import numpy as np
    >>> from gdviz.core.loss import parse_loss
    >>> swings_over_corner(parse_loss("abs(x) + y^2"), np.array([1e-4, 0]), np.array([-2e-4, 0]))
    True
    >>> swings_over_corner(parse_loss("abs(x) + y^4"), np.array([0.3, 1]), np.array([0.3, -0.5]))
    False
    """
    return bool(corners_between(loss, np.reshape(a, (1, 2)), np.reshape(b, (1, 2)))[0])


CORNER_BISECTIONS = 24
"""Halvings of a step to find where f's slope along it turns (to 10⁻⁷ of the step)."""
CUSP_STEEPER = 30.0
"""A turn whose slope either side, 2⁻²⁴ of the step from it, is this many times the
step's ends' or more is a cusp's (x^(2/3): about 250 times; |x|'s corner: about 1)."""


def corners_between(loss, a: Array, b: Array) -> Array:
    """Per step from ``a[i]`` to ``b[i]`` (``(m, 2)`` each), whether f's slope along it turns
    from falling to rising at a corner of f on the way (1), or at a cusp (2), else 0: where
    the sign turns (found by halving the step, all steps at once), the slope jumps from just
    before to just after — at a smooth minimum it goes through 0 there —, and at a cusp
    steeper still, :data:`CUSP_STEEPER` times the step's ends' or more (its slope grows
    without bound towards it). Only for losses that may have them (``Loss.may_kink``:
    ``abs``, ``max``, ``min``, a power that is not whole)."""
    a, b = np.asarray(a, dtype=float).reshape(-1, 2), np.asarray(b, dtype=float).reshape(-1, 2)
    out = np.zeros(len(a), dtype=np.int8)
    if not getattr(loss, "may_kink", getattr(loss, "has_corners", False)) or not len(a):
        return out
    step = b - a

    def slope(t: Array) -> Array:
        at = a + t[:, None] * step
        ga, gb = (np.asarray(g, dtype=float) * np.ones(len(t))
                  for g in loss.gradient(at[:, 0], at[:, 1]))
        return ga * step[:, 0] + gb * step[:, 1]

    with np.errstate(all="ignore"):
        lo, hi = np.zeros(len(a)), np.ones(len(a))
        s_lo, s_hi = slope(lo), slope(hi)
        turns = (s_lo < 0) & (s_hi > 0)  # (falling along the step, then rising: overshot)
        if not turns.any():
            return out
        for _ in range(CORNER_BISECTIONS):
            mid = 0.5 * (lo + hi)
            s_mid = slope(mid)
            rising = ~(s_mid < 0)  # (NaN on the corner itself: the turn is there)
            hi, s_hi = np.where(rising, mid, hi), np.where(rising, s_mid, s_hi)
            lo, s_lo = np.where(rising, lo, mid), np.where(rising, s_lo, s_mid)
        ends = np.maximum(np.abs(slope(np.zeros(len(a)))), np.abs(slope(np.ones(len(a)))))
        s_hi = np.where(np.isfinite(s_hi), s_hi, -s_lo)
        steep = np.minimum(np.abs(s_lo), np.abs(s_hi))
        # The slope jumps there, by a fifth of the ends' or more: at a smooth minimum it goes
        # through 0. (Not "steep on both sides": a step over |x| + |y|'s two creases turns
        # in two, falling, level between them, then rising: RMSprop swinging so read "a
        # smaller η would settle", where none does.)
        kink = turns & (np.abs(s_hi - s_lo) > 0.2 * ends)
        out = np.where(kink, np.where(steep > CUSP_STEEPER * ends, 2, 1), 0).astype(np.int8)
    return out


def stationary_at_end(loss, start: Array, w: Array, f: float,
                      tol: float = 0.0) -> tuple[str, str] | None:
    """Whether a run that converged at ``w`` (f there; from ``start``) stopped at no
    minimum: ``("converged", SADDLE, MAXIMUM or RIDGE)`` by the curvatures there, or
    ``("max_steps", FLATTENS)`` where they are not a minimum's and f is lower all along the
    way the run went (down ∇f, for one that never moved), from near it to a scale further
    on: it only flattens out there; ``("converged", FLAT_REGION)`` where the curvatures keep
    ∇f under the run's tolerance ``tol`` across the point's scale. None at a minimum, or
    where the curvatures cannot tell.

    Examples
    --------
    >>> import numpy as np
    >>> from gdviz.core.loss import parse_loss
    >>> stationary_at_end(parse_loss("x^2 - y^2"), np.array([0.5, 0.0]), np.zeros(2), 0.0)[1]
    'at a saddle point, not a minimum (f falls in some directions from it)'
    >>> stationary_at_end(parse_loss("x^2 + y^3"), np.array([1.0, 0.0]), np.zeros(2), 0.0)[1]
    'at a saddle point, not a minimum (f falls in some directions from it)'
    """
    from gdviz.core.special_points import hessian_at

    if not (np.isfinite(w).all() and math.isfinite(f)):
        return None
    hessian = hessian_at(loss, w)
    kind = kind_near(loss, w, f, hessian)
    if kind is None and f == 0.0 and hessian is not None and not np.any(hessian) \
            and _underflowed_falling(loss, start, w):
        return "max_steps", FLATTENS
    if kind not in NO_MINIMUM_KINDS:
        return ("max_steps", FLATTENS) if _falls_on(loss, start, w, f) else None
    way = np.asarray(w, float) - np.asarray(start, float)
    if not np.hypot(*way) > 0:  # (it never moved: the way a step would go, where ∇f is more
        # than rounding noise beside the curvatures: the lecture's saddle at (π, 0) has
        # ∇f ~ 10⁻¹⁶ pointing anywhere, and read "flattens out")
        with np.errstate(all="ignore"):
            g = np.array([float(v) for v in loss.gradient(*w)])
        bend = float(np.abs(np.linalg.eigvalsh(hessian)).max()) * (1.0 + float(np.hypot(*w)))
        way = -g if np.hypot(*g) > 1e-3 * bend else np.zeros(2)
    if np.isfinite(way).all() and np.hypot(*way) > 0:
        reach = (1.0 + float(np.hypot(*w))) * way / float(np.hypot(*way))
        with np.errstate(all="ignore"):  # (near as well as far: a probe far off alone
            # landed in another basin beside a real saddle)
            beyond = [float(loss.value(*(w + s * reach))) for s in (0.01, 0.1, 1.0)]
        if all(math.isfinite(v) and v < f - 1e-9 * abs(f) for v in beyond) or (
                # level to the digits a float holds: exact arithmetic tells (1 − exp(−r²)
                # from (4, 4), ∇f ~ 10⁻¹³, falls by 10⁻¹⁴ at the near probes, and read
                # "at a saddle point" where from (3, 3) it "flattens out")
                all(math.isfinite(v) and v <= f + 1e-9 * abs(f) for v in beyond)
                and _exact_falls(loss, w, [w + s * reach for s in (0.01, 0.1, 1.0)])):
            return "max_steps", FLATTENS
    if _negligible_bend(loss, start, w, f, hessian, tol):  # (level beyond too)
        return "converged", FLAT_REGION
    return "converged", {"saddle": SADDLE, "ridge": RIDGE}.get(kind, MAXIMUM)


def _falls_on(loss, start: Array, w: Array, f: float) -> bool:
    """Whether f, bending up at ``w`` (or too little to tell) where ∇f is under the
    tolerance, is lower all along the way the run went from ``start``, out to the point's
    scale further on, and there lower by a hundredth of all the run came down: f has no
    minimum that way, the run only went so far that its slope is small. −log(x) "converged"
    at x = 10⁶, x^(1/3) at −2.8·10⁸ (f = −657, and on down); exp(−x) levels off to its
    bound at x = 14, no lower by more than 10⁻⁶: that stays converged."""
    way = np.asarray(w, float) - np.asarray(start, float)
    if not (np.isfinite(way).all() and np.hypot(*way) > 0):
        return False
    reach = (1.0 + float(np.hypot(*w))) * way / float(np.hypot(*way))
    with np.errstate(all="ignore"):
        f0 = float(loss.value(*start))
        beyond = [float(loss.value(*(w + s * reach))) for s in (0.01, 0.1, 1.0)]
    came_down = f0 - f
    return (math.isfinite(came_down) and came_down > 0
            and all(math.isfinite(v) and v < f for v in beyond)
            and beyond[-1] < f - 0.01 * came_down)


def _underflowed_falling(loss, start: Array, w: Array) -> bool:
    """Whether f, 0 at ``w`` to the last digit with its gradient and curvatures, only
    underflowed there and falls on beyond it, the way the run went from ``start``: f in
    exact arithmetic by sympy (its exponent unlimited) at ``w`` and further on. Newton on
    exp(−x² − y²) leapt from (0.5, 0.5) to (1207.6, 1207.6), f = 10⁻¹²⁶⁶⁶⁶² there, and read
    "converged at step 1" (first in Compare), where from (0.3, 0.4) it "flattens out". A
    level region (max(0, x + y) on its flat side) is exactly 0: a minimum, no note."""
    way = np.asarray(w, float) - np.asarray(start, float)
    if not (np.isfinite(way).all() and np.hypot(*way) > 0):
        return False
    reach = (1.0 + float(np.hypot(*w))) * way / float(np.hypot(*way))
    return _exact_falls(loss, w, [w + s * reach for s in (0.01, 0.1)], nonzero=True)


def _exact_falls(loss, w: Array, points: list[Array], nonzero: bool = False) -> bool:
    """Whether f is lower at each of ``points`` than at ``w`` (and, with ``nonzero``, not 0
    there), told by sympy from the floats' exact values: each difference f(p) − f(w) is
    evaluated to the digits its cancellation needs (up to :data:`EXACT_DIGITS`), where
    floats hold f's 16 digits only."""
    import sympy as sp

    def at(point: Array):
        return loss.expr.subs({sym: sp.Rational(float(v))
                               for sym, v in zip(loss.symbols, point, strict=True)})

    try:
        here = at(w)
        # (strict: a difference sympy cannot tell from 0 raises, where it came back as a
        # Float of no digits and either sign, "−0.e−269": sin²x + cos²x fell along x)
        if nonzero and here.evalf(15, maxn=EXACT_DIGITS, strict=True) == 0:
            return False
        for point in points:
            drop = (at(point) - here).evalf(15, maxn=EXACT_DIGITS, strict=True)
            if not (drop.is_Number and drop.is_real and drop < 0):
                return False
    except (ArithmeticError, TypeError, ValueError, RecursionError):  # (PrecisionExhausted)
        return False
    return True


EXACT_DIGITS = 200
"""The most digits :func:`_exact_falls` works with (1 − exp(−r²) level in floats from r ≈ 6
falls by 10⁻⁸⁷ near r = 10)."""


GROWN = 1e3
"""A run that used all its steps with its loss this many times (1 + |f0|) above its start,
at its highest and still rising, diverged (:func:`growing_at_end`)."""
RISEN = 0.1
"""Above its start by this much of (1 + |f0|), and still rising, it is said to be rising."""


def growing_at_end(losses: Array, noisy: bool = False) -> tuple[str, str] | None:
    """``(status, why)`` for a run that used all its steps with its loss rising at the end:
    above its start (by :data:`RISEN` of 1 + |f0|), at least half as far above it as it had
    been at its highest, and its last tenth higher on average than the tenth before (by
    half that). ``"diverged"`` more than :data:`GROWN` times (1 + |f0|) above its start, else
    ``"max_steps"``; None when not rising, and for a ``noisy`` run (gradient noise) unless it
    diverged so (a noisy run at its minimum read "f rising" one seed in ten). GD at
    η = 0.34 on (w1 − 1)² + 3(w2 + 0.5)², the bound 1/3: f from 3.72 to 9.6·10⁶, and it read
    "stopped after 200 steps" beside a run still falling (runaway, 10¹⁰ times, took 0.35);
    at η = 0.101 on x² + 10y² f rose sevenfold, said nowhere.

    Examples
    --------
    >>> import numpy as np
    >>> growing_at_end(3.72 * 1.08 ** np.arange(201))
    ('diverged', 'the loss rose from 3.72 to 1.8e7 and was still rising')
    >>> growing_at_end(28.8 * 1.02 ** np.arange(101))[0]
    'max_steps'
    >>> growing_at_end(np.linspace(-100.0, -10.0, 50))[0]  # (below 0 all along)
    'max_steps'
    >>> growing_at_end(np.r_[1.0, 5e3, np.full(30, 2.0)]) is None
    True
    """
    f = np.asarray(losses, dtype=float)
    f = f[np.isfinite(f)]
    if len(f) < 20:
        return None
    f0, end = float(f[0]), float(f[-1])
    tenth = max(2, len(f) // 10)
    rise = float(np.mean(f[-tenth:])) - float(np.mean(f[-2 * tenth:-tenth]))
    margin = RISEN * (1.0 + abs(f0))
    # (from the start, not from 0: a loss below 0 all along never reached half its highest)
    if not (end - f0 > margin and end - f0 >= 0.5 * (float(f.max()) - f0)
            and rise > 0.5 * margin):
        return None
    diverged = end - f0 > GROWN * (1.0 + abs(f0))
    if noisy and not diverged:
        return None
    why = f"the loss rose from {short_number(f0, 3)} to {short_number(end, 2)} and was still rising"
    return ("diverged" if diverged else "max_steps"), why


def short_number(v: float, digits: int) -> str:
    """``v`` to ``digits`` significant digits: 1200 and 3.72, and 9.6e6, not 9.6e+06."""
    text = f"{v:.{digits}g}"
    if 1e-3 <= abs(v) < 1e5:
        return f"{float(text):g}"  # (1.2e+03: 1200)
    return re.sub(r"e\+?(-?)0*(\d)", r"e\1\2", text)


def said_at_start(why: str) -> str:
    """A reason to stop found at the start, said of the start: a run that never left it did
    not "diverge" (1/(w1² + w2²) from (0, 0) read "diverged at step 0: loss became
    infinite", in red)."""
    if why == FELL_WITHOUT_BOUND:  # (only −∞ there: the start's f is its own)
        return "the loss is infinite at the start"
    return why.replace("became infinite", "is infinite at the start").replace(
        "there", "at the start")
