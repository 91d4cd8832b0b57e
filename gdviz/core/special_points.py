"""Special points, where the lecture tabs must not read a derivative as usual.

Corners: points where a partial derivative does not exist because the slopes from the left
and from the right differ (|w1| at w1 = 0, max(w1, w2) where w1 = w2). The symbolic
derivative cannot say so: |u|' is written sign(u)·u', and sign(0) = 0, so at the corner of
|w1| the "exact" ∂f/∂w1 came out as 0 while the forward quotient gave 1 for every h. That is
the limit definition's own lesson (the two one-sided limits differ, so there is no limit), so
the lecture tabs say it instead of printing a slope that does not exist. Only losses built
with a function that has corners (``Loss.has_corners``) are examined; a smooth loss never is,
whatever its rounding noise.

Stationary points (∇f = 0): whether f rises all around (a minimum), falls all around (a
maximum) or both (a saddle), from the signs of the curvatures there (the Hessian's
eigenvalues) and, where one of them is 0 (x³ − 3xy², x² + y⁴), from samples of f around the
point (:func:`stationary_kind_at`, :func:`stationary_kind`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from gdviz.core.limits import AXES, one_sided_slopes, quotients

if TYPE_CHECKING:  # (sympy: only for the type)
    from gdviz.core.loss import Loss

STEPS = (1e-4, 1e-5, 1e-6)
"""One-sided steps, in units of the point's scale (max(1, |x|)): a corner's two slopes stay
apart as the step shrinks, a smooth function's close in proportion to it; the middle one
tells a corner's quotients settling (their change shrinks with the step) from a point's just
beside it (their change grows as the step nears its distance from the corner)."""


def corner_slopes(loss: Loss, point, axis: int) -> tuple[float, float] | None:
    """The slopes of f along variable ``axis`` (0 or 1) from the left and from the right at
    ``point`` ``(a, b)``, when they differ (a corner, or a cusp: ±∞, see
    :func:`gdviz.core.limits.one_sided_slopes`): the partial does not exist there; else
    None. A loss with ``has_corners`` (abs, max, min) is examined everywhere, any other
    where the compiled partial is undefined and f is not: the cone sqrt(x² + y²)'s tip,
    whose ∂f/∂x = x/sqrt(x² + y²) is 0/0 there (the Slice tab called its slope 0).

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> corner_slopes(parse_loss("abs(w1) + w2^2"), (0.0, 0.5), 0)
    (-1.0, 1.0)
    >>> corner_slopes(parse_loss("abs(w1) + w2^2"), (0.3, 0.5), 0) is None
    True
    >>> corner_slopes(parse_loss("sqrt(x^2 + y^2)"), (0.0, 0.0), 1)
    (-1.0, 1.0)
    """
    if not getattr(loss, "has_corners", False) and not _undefined_partial(loss, point, axis):
        return None
    left, right, corner, spread = _one_sided(loss, np.array([float(point[0])]),
                                             np.array([float(point[1])]), axis)
    if corner[0]:
        return _tidy(float(left[0]), float(spread[0])), _tidy(float(right[0]), float(spread[0]))
    with np.errstate(all="ignore"):  # (x^(2/3)'s cusp: +∞ by its formula, ∓∞ either side;
        # |x|^(2/3)'s formula is NaN there)
        slope = np.asarray(loss.gradient(*point)[axis], dtype=float)
    return None if np.isfinite(slope).all() else one_sided_slopes(loss.value, point, axis)


def _undefined_partial(loss: Loss, point, axis: int) -> bool:
    """Whether f is finite at ``point`` and its compiled partial along ``axis`` is not."""
    a, b = float(point[0]), float(point[1])
    with np.errstate(all="ignore"):
        if not np.isfinite(np.asarray(loss.value(a, b), dtype=float)).all():
            return False
        return not np.isfinite(np.asarray(loss.gradient(a, b)[axis], dtype=float)).all()


def corner_mask(loss: Loss, points) -> np.ndarray:
    """Which partial derivatives do not exist at ``points`` (an ``(n, 2)`` array): an
    ``(n, 2)`` boolean array, True where :func:`corner_slopes` finds a corner along that
    variable (all False for a loss without ``has_corners``). A run moving along |w1|'s crease
    showed ∇f = (0, 1), sign(0) = 0, beside the tabs saying ∂f/∂w1 does not exist there.

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> corner_mask(parse_loss("abs(w1) + w2^2"), [[0.0, 0.5], [0.3, 0.5]]).tolist()
    [[True, False], [False, False]]
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    out = np.zeros(pts.shape, dtype=bool)
    if getattr(loss, "has_corners", False) and len(pts):
        for axis in (0, 1):
            out[:, axis] = _one_sided(loss, pts[:, 0], pts[:, 1], axis)[2]
    return out


def _one_sided(loss: Loss, a: np.ndarray, b: np.ndarray, axis: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The slopes from the left and from the right along ``axis`` at the points ``(a, b)``
    (extrapolated to a step of 0 where the quotients settle, else at the least step),
    whether they make a corner there, and how far the same from the two larger steps is
    from them (their uncertainty; vectorized)."""
    x = a if axis == 0 else b
    with np.errstate(all="ignore"):
        fx = np.broadcast_to(np.asarray(loss.value(a, b), dtype=float), x.shape)
        scale = np.maximum(1.0, np.abs(x))  # (the variable's own scale, not the point's)
        (l1, lm, l2), (r1, rm, r2) = quotients(loss.value, a, b, AXES[axis], fx, STEPS, scale)
        gap1, gap2 = r1 - l1, r2 - l2
        # Rounding: each quotient is off by up to ~2 ulp of f over h.
        noise = 8 * np.finfo(float).eps * (np.abs(fx) + 1.0) / (STEPS[-1] * scale)
        size = np.maximum(np.maximum(np.abs(l2), np.abs(r2)), 1.0)
        # A corner's one-sided slopes hold still as the step shrinks, or settle (curved:
        # |w1| + 20·w1² moves them by 20 × the step); a point just beside it (5e-9 from
        # |w1|'s, where AdaGrad lands) has a quotient that straddles it and moves more the
        # smaller the step: 2 × distance / step.
        steady = _settles(l1, lm, l2, size) & _settles(r1, rm, r2, size)
        # The sides' slopes extrapolated to a step of 0 (a curved side's quotient is off by
        # its curvature × the step: Richardson), and the gap between them held against the
        # one at the least step: a corner keeps it (|w1| + 10⁴·w1²: 2.02 then, 2 in the
        # limit), a smooth bottom's closes (10⁴·w1²: 0.02 then, 0 in the limit). (By the
        # quotients' own gaps, 4 at the largest step, |w1| + 10⁴·w1²'s corner read "slope 0".)
        # The same from the two larger steps must agree: where the quotients close on 0 at
        # another rate than the step's (|w1|^1.5, as √h) the two differ threefold.
        left, right = l2 - (lm - l2) / 9.0, r2 - (rm - r2) / 9.0
        early_gap = (rm - lm) - (gap1 - (rm - lm)) / 9.0
        ratio = (right - left) / gap2
        agree = np.abs(early_gap - (right - left)) <= 0.1 * np.abs(right - left)
        corner = (np.isfinite(fx) & np.isfinite(l1) & np.isfinite(r1) & np.isfinite(l2)
                  & np.isfinite(r2) & (np.abs(gap2) > np.maximum(100 * noise, 1e-6 * size))
                  & (ratio > 0.25) & (ratio < 4) & agree & steady)
        # The extrapolation from the two larger steps: where rounding inside f grows as the
        # step shrinks (1 − cos h in acos(cos w1)), it is the better one, and the gap
        # between the two is what the digits shown must allow for.
        spread = np.maximum(np.abs(left - (lm - (l1 - lm) / 9.0)),
                            np.abs(right - (rm - (r1 - rm) / 9.0)))
    return (np.where(steady, left, l2), np.where(steady, right, r2), corner,
            np.where(steady, spread, np.abs(gap2)))


def _settles(q1: np.ndarray, qm: np.ndarray, q2: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Whether the quotients ``q1``, ``qm``, ``q2`` (steps shrinking tenfold) hold still, to
    0.1 % of ``size``, or settle: each change under half the one before (beside a corner, a
    quotient straddling it moves more the smaller the step). (Not "all within 10 %": a side
    curved as |w1| + 10⁴·w1²'s moves from 2 to 1.01, and its corner went unseen.)"""
    late, early = np.abs(qm - q2), np.abs(q1 - qm)
    return (late <= 1e-3 * size) | (late <= 0.5 * early)


def _tidy(slope: float, spread: float = 0.0) -> float:
    """A one-sided slope rounded to the digits it has: the shortest number (to 6 digits)
    within twice ``spread`` of it (1.0000000000287 → 1.0; acos(cos w1)'s corner, ±1.00005
    from 1 − cos h's rounding, → ±1)."""
    for digits in range(1, 7):
        short = float(f"{slope:.{digits}g}")
        if abs(short - slope) <= 2.0 * spread:
            return short + 0.0
    return float(f"{slope:.6g}") + 0.0


KINDS = {"minimum": "a minimum (f rises in every direction around it)",
         "maximum": "a maximum (f falls in every direction around it)",
         "saddle": "a saddle point (f rises in some directions and falls in others)",
         "flat": "a flat spot (f hardly changes around it)",
         "valley": "a minimum on a flat valley floor (f stays level along a line through it "
                   "and rises off it)",
         "ridge": "a maximum on a flat ridge (f stays level along a line through it "
                  "and falls off it)"}
"""What a stationary point is, as the Gradient tab says it."""


def stationary_kind(values: np.ndarray, level: float) -> str:
    """What a point where ∇f = 0 is, from ``values`` of f around it (its level ``level``):
    a minimum (f higher all around), a maximum (lower all around), a saddle point (both) or
    a flat spot (neither). The Gradient tab said "no direction is uphill" at the saddle too,
    where f rises along x.

    Examples
    --------
    >>> import numpy as np
    >>> x, y = np.meshgrid(np.linspace(-1, 1, 9), np.linspace(-1, 1, 9))
    >>> stationary_kind(x**2 - y**2, 0.0)
    'a saddle point (f rises in some directions and falls in others)'
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    tol = 1e-9 * (1.0 + abs(level))
    above = float(np.mean(values > level + tol)) if values.size else 0.0
    below = float(np.mean(values < level - tol)) if values.size else 0.0
    if below < 0.02 and above < 0.02:
        return KINDS["flat"]
    if below < 0.02:
        return KINDS["minimum"]
    if above < 0.02:
        return KINDS["maximum"]
    return KINDS["saddle"]


CURVATURE_ZERO = 1e-6
"""A curvature below this share of the largest one counts as none (left to the samples)."""


def stationary_kind_at(loss: Loss, point, h: float, values: np.ndarray, level: float,
                       near: np.ndarray | None = None, reach: float = 0.0) -> str:
    """What the stationary point ``point`` is: :func:`stationary_kind`'s answer, told by
    the curvatures there (the Hessian, from differences of the compiled gradient ``h``
    apart) where they all differ from 0 and keep their signs ``reach`` / 2 around it.

    The samples alone called Rastrigin's local minima saddles: the close-up reaches the
    next, lower basin, and f below the point anywhere in it read as "falls in some
    directions". Where the Hessian cannot tell (a curvature of 0, not defined, or changing
    sign nearby: a run converged 5·10⁻⁴ from x³ + y²'s flat saddle sees a small positive
    curvature, f falling a little further on), the samples decide, only those ``near`` the
    point (a boolean mask of ``values``) if given.

    Examples
    --------
    >>> import numpy as np
    >>> from gdviz.core.loss import parse_loss
    >>> far = np.array([5.0, -3.0])  # (f below the point, far off: not a saddle for that)
    >>> stationary_kind_at(parse_loss("x^2 + y^2"), (0.0, 0.0), 1e-4, far, 0.0).split()[1]
    'minimum'
    """
    a, b = float(point[0]), float(point[1])
    probes = [(a, b)] + [(a + da, b + db) for da, db in ((reach / 2, 0.0), (-reach / 2, 0.0),
                                                         (0.0, reach / 2), (0.0, -reach / 2))
                         if reach > 0]
    hessians = [_hessian(loss, probe, h) for probe in probes]
    kinds = {curvature_kind(hessian) for hessian in hessians}
    if len(kinds) == 1 and None not in kinds:
        return KINDS[kinds.pop()]
    values = np.asarray(values, dtype=float)
    kind = stationary_kind(values[near] if near is not None else values, level)
    if kind in (KINDS["minimum"], KINDS["maximum"]) and _level_line(loss, (a, b), hessians[0],
                                                                      level, reach):
        # (x² at (0, 1): f is 0 all along the y axis; "rises in every direction" was wrong)
        return KINDS["valley" if kind == KINDS["minimum"] else "ridge"]
    return kind


def _level_line(loss: Loss, point: tuple[float, float], hessian: np.ndarray | None,
                level: float, reach: float) -> bool:
    """Whether f keeps the level ``level`` along the line through ``point`` in the direction
    of no curvature (one of ``hessian``'s eigenvalues 0, the other not), out to ``reach`` / 2
    either way: the floor of a valley (x² along the y axis), not a minimum where f rises
    slowly (x² + y⁴, whose curvature along y is 0 too)."""
    if hessian is None or not reach > 0:
        return False
    curvatures, directions = np.linalg.eigh(hessian)
    flat = int(np.argmin(np.abs(curvatures)))
    if not abs(curvatures[flat]) <= CURVATURE_ZERO * float(np.abs(curvatures).max()):
        return False
    direction = directions[:, flat]
    tol = 1e-9 * (1.0 + abs(level))
    with np.errstate(all="ignore"):
        along = [float(loss.value(point[0] + t * direction[0], point[1] + t * direction[1]))
                 for t in reach / 2 * np.array([-1.0, -0.5, -0.1, 0.1, 0.5, 1.0])]
    return all(math.isfinite(v) and abs(v - level) <= tol for v in along)


def curvature_kind_at(loss: Loss, point, h: float | None = None) -> str | None:
    """"minimum", "maximum" or "saddle" by the curvatures of f at ``point`` (the Hessian
    from differences ``h`` apart, by default 10⁻⁴ of each coordinate's scale); None where
    one is 0 or it is not defined."""
    return curvature_kind(hessian_at(loss, point, h))


def flat_kind(loss: Loss, point, level: float, hessian: np.ndarray) -> str | None:
    """"saddle", "maximum" or "ridge" for a stationary point whose curvatures cannot tell
    (one of ``hessian``'s eigenvalues 0: :func:`curvature_kind` gives None), by f itself
    along the direction of no curvature, a tenth of the point's scale either way: a saddle
    where f falls below ``level`` (f at ``point``) on either side while it rises across, or
    rises on either side while it falls across; a maximum where it falls across and on both
    sides; a ridge where it falls across and is level along it. None for a minimum (x² +
    y⁴, x⁴ along a valley's floor: a run that stopped 0.005 short of the floor sees f fall
    only that far), a valley's floor (f level along it), or a point whose slope, not its
    shape, decides f there.

    x² + y³ and y² − x⁴ at the origin are flat saddles: with only the curvatures, a run
    that reached them read "converged", where the Gradient tab said "a saddle point".

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> def kind(text, at):
    ...     loss = parse_loss(text)
    ...     return flat_kind(loss, at, float(loss.value(*at)), hessian_at(loss, at))
    >>> kind("x^2 + y^3", (1e-7, 0.0)), kind("y^2 - x^4", (0.0, 5e-7))
    ('saddle', 'saddle')
    >>> kind("x^3 - 3*x", (-1.0, 0.0)), kind("-x^2 - y^4", (0.0, 0.0))
    ('ridge', 'maximum')
    >>> kind("x^2 + y^4", (0.0, 0.006)), kind("x^4", (0.005, 0.7)), kind("x^4 + y^2", (0.005, 0.0))
    (None, None, None)
    """
    if hessian is None or not np.isfinite(hessian).all():
        return None
    curvatures, directions = np.linalg.eigh(hessian)
    flat = int(np.argmin(np.abs(curvatures)))
    across = float(curvatures[1 - flat])
    a, b = float(point[0]), float(point[1])
    reach = 0.1 * (1.0 + max(abs(a), abs(b)))
    if across == 0.0:  # (no curvature at all: f around it, as the Gradient tab samples it)
        return _round_kind(loss, a, b, reach, level)
    way = directions[:, flat]
    with np.errstate(all="ignore"):
        sides = [float(loss.value(a + t * way[0], b + t * way[1])) for t in (reach, -reach)]
        g = np.array([float(v) for v in loss.gradient(a, b)])
    if not (all(math.isfinite(v) for v in sides) and np.isfinite(g).all()):
        return None
    shape = max(abs(across) * reach**2 / 2, *(abs(v - level) for v in sides))
    if not float(np.hypot(*g)) * reach <= 0.1 * shape:
        return None  # (f's slope, not its shape, decides there: no stationary point)
    tol = 1e-6 * shape + 1e-12 * abs(level)
    if across > 0:
        return "saddle" if min(sides) < level - tol else None
    if max(sides) > level + tol:
        return "saddle"
    # Level along it both ways: the top of a ridge (x³ − 3x at (−1, y) for any y read "a
    # maximum, f falls in every direction", where it is flat along y)
    return "ridge" if min(sides) >= level - tol else "maximum"


def _round_kind(loss: Loss, a: float, b: float, reach: float, level: float) -> str | None:
    """"saddle" or "maximum" by f on a circle ``reach`` about a point without curvature
    (x³ − 3xy², the monkey saddle, at the origin read "converged at step 0", as at a
    minimum); None where f rises all round (x⁴ + y⁴), or its slope decides."""
    angles = np.linspace(0.0, 2 * math.pi, 16, endpoint=False)
    with np.errstate(all="ignore"):
        round_ = loss.value(a + reach * np.cos(angles), b + reach * np.sin(angles))
        g = np.array([float(v) for v in loss.gradient(a, b)])
    shape = float(np.abs(round_ - level).max())  # (NaN where f or ∇f is not finite)
    if not (shape > 0 and float(np.hypot(*g)) * reach <= 0.1 * shape):
        return None
    tol = 1e-6 * shape + 1e-12 * abs(level)
    below, above = bool((round_ < level - tol).any()), bool((round_ > level + tol).any())
    return "saddle" if below and above else "maximum" if below else None


def hessian_at(loss: Loss, point, h: float | None = None) -> np.ndarray | None:
    """f's Hessian at ``point`` from differences of the gradient (see
    :func:`curvature_kind_at`); None where it is not finite."""
    # (a step for each variable on its own scale: one from the larger coordinate, 2 at
    # w1 = 20000, measured cos(2·w2)'s curvature as its opposite: a minimum read a saddle)
    # (and a ten-thousandth of a unit plus a ten-millionth of the coordinate, not a
    # ten-thousandth of it: 5.9 apart at w1 = −58,925 on the lecture's sin(w1), its curvature
    # read −0.016 for 0.25, and a minimum there "a saddle point")
    steps = (1e-4 + 1e-7 * abs(float(point[0])), 1e-4 + 1e-7 * abs(float(point[1])))
    return _hessian(loss, point, steps if h is None else h)


def curvature_kind(hessian: np.ndarray | None) -> str | None:
    """"minimum", "maximum" or "saddle" by the signs of ``hessian``'s eigenvalues; None
    where one is 0 (under :data:`CURVATURE_ZERO` of the largest) or it is not defined."""
    if hessian is None:
        return None
    low, high = np.linalg.eigvalsh(hessian)
    zero = CURVATURE_ZERO * max(abs(low), abs(high))
    if not (zero > 0 and min(abs(low), abs(high)) > zero):
        return None
    return "minimum" if low > 0 else "maximum" if high < 0 else "saddle"


def _hessian(loss: Loss, point, h) -> np.ndarray | None:
    """The Hessian at ``point`` from central differences of the compiled gradient (its own
    code may not be compiled yet: compiling it on the GUI thread could stall it), ``h``
    apart (or ``(ha, hb)``, one per variable), and ``2h`` apart: the two combined cancel
    the differences' h² error (Richardson), and where all that is left is within that
    error the curvatures are 0. None where it is not finite.

    The differences alone read x⁴ − 3x²y² + y⁴ (no curvature at its origin, a saddle: f
    falls along y = x) as curving up 4h² = 4·10⁻⁸ every way, a minimum, and a run there
    "converged at step 0" with no word of the saddle.

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> _hessian(parse_loss("x^4 - 3*x^2*y^2 + y^4"), (0.0, 0.0), 1e-4).tolist()
    [[0.0, 0.0], [0.0, 0.0]]
    >>> np.round(_hessian(parse_loss("x^2 + x*y + y^4"), (0.0, 0.0), 1e-4), 12).tolist()
    [[2.0, 1.0], [1.0, 0.0]]
    """
    a, b = float(point[0]), float(point[1])
    ha, hb = (h, h) if np.ndim(h) == 0 else h

    def differences(scale: float) -> np.ndarray:
        cols = []
        for da, db, step in ((ha * scale, 0.0, ha * scale), (0.0, hb * scale, hb * scale)):
            plus = np.array([float(v) for v in loss.gradient(a + da, b + db)])
            minus = np.array([float(v) for v in loss.gradient(a - da, b - db)])
            cols.append((plus - minus) / (2 * step))
        return np.column_stack(cols)

    with np.errstate(all="ignore"):
        near, far = differences(1.0), differences(2.0)
        hessian = (4.0 * near - far) / 3.0
        error = np.abs(far - near)
    if not np.isfinite(hessian).all():
        # (2h across an edge of f's domain, x − 2·10⁻⁴·log x at its minimum: h alone then)
        return 0.5 * (near + near.T) if np.isfinite(near).all() else None
    # Each second derivative within its own error is none (one direction's large error
    # wiped out the other's real curvature: cos(3·10⁴x) + y² lost y's 2)
    hessian = np.where((error > 0) & (np.abs(hessian) <= error), 0.0, hessian)
    return 0.5 * (hessian + hessian.T)


