"""Partial derivatives where their formula is undefined or infinite at a point.

The compiled ∂f/∂x of (x² + y²)^0.75 is 1.5x·(x² + y²)^−0.25: 0·∞ at the origin, NaN, where
f is as smooth as a bowl and its slope 0. The same happens to x^y's ∂f/∂y = x^y·ln x at
x = 0 (0·(−∞); f(0, y) = 0 for y > 0), to x·|x|^0.5 at 0, to sqrt(x·y) along y = 0. The
lecture tabs said "∂f/∂x is undefined" there and a run started at the origin "stopped at a
corner of f". Where f is finite, the formula NaN and the one-sided difference quotients
settle on one value from both sides, that value is the derivative — the limit definition
itself (:func:`fill_limits`) — provided f has a gradient there: where the partials exist but
f rises along a diagonal at another rate than ∇f·u ((x²y)^(1/3), (x³ + y³)^(1/3) at the
origin) they stay NaN. A corner (the two sides' values stay apart, as for |x| or the cone
sqrt(x² + y²) at its tip) or f undefined on one side stays NaN.

Where the formula is infinite, the two sides may still differ: x^(2/3)'s 2/(3·∛x) is +∞ at
0, where the slope is −∞ from the left and +∞ from the right, a cusp, not a vertical
tangent as x^(1/3)'s (:func:`one_sided_slopes`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

Array = np.ndarray
STEPS = (1e-3, 1e-4, 1e-5, 1e-6)
"""The quotients' steps, in units of the point's scale (max(1, |x|)), shrinking tenfold."""
AXES = ((1.0, 0.0), (0.0, 1.0))
"""The unit steps along the first and the second variable."""
_DIAGONALS = ((math.sqrt(0.5), math.sqrt(0.5)), (math.sqrt(0.5), -math.sqrt(0.5)))


def fill_limits(value: Callable[[Array, Array], Array], a, b, f: Array, da: Array,
                db: Array) -> tuple[Array, Array, Array]:
    """``f``, ``da``, ``db`` (compiled at ``(a, b)``) with each NaN partial where f is
    finite replaced by the limit of its difference quotients, where there is one and f has
    a gradient there; and NaN partials wherever f is NaN (sin(x)/x + y at x = 0 read
    ∂f/∂y = 1).

    Call under ``numpy.errstate(all="ignore")``. ``value(a, b)`` is f as an array. The
    arrays ``da`` and ``db`` are changed in place (the compiled code's own, new ones).

    Examples
    --------
    >>> import numpy as np
    >>> from gdviz.core.loss import parse_loss
    >>> loss = parse_loss("(x^2 + y^2)^0.75 + x")
    >>> [float(d) for d in loss.gradient(0.0, 0.0)]
    [1.0, 0.0]
    """
    # The usual case in three sums: no NaN anywhere (a sum is NaN if any part is).
    if not (np.isnan(np.add.reduce(da, axis=None)) or np.isnan(np.add.reduce(db, axis=None))
            or np.isnan(np.add.reduce(f, axis=None))):
        return f, da, db
    undefined = np.isnan(f)
    da[undefined], db[undefined] = np.nan, np.nan
    bad = np.isfinite(f) & (np.isnan(da) | np.isnan(db))
    if not bad.any():
        return f, da, db
    a_bad, b_bad = (np.broadcast_to(np.asarray(v, dtype=float), f.shape)[bad] for v in (a, b))
    f0, (ga, gb) = f[bad], (da[bad], db[bad])
    filled = np.isnan(ga), np.isnan(gb)
    for axis, g in ((0, ga), (1, gb)):
        todo = filled[axis]
        if todo.any():
            g[todo] = _limits(value, a_bad[todo], b_bad[todo], AXES[axis], f0[todo])[0]
    # A limit is the partial only where f has a gradient: along the diagonals, where f is
    # defined, it rises as ∇f·u says ((x²y)^(1/3) at the origin rises at 0.71 along
    # (1, 1)/√2, where ∇f·u = 0; sqrt(xy) has a corner there): else the limits go again.
    whole = np.isfinite(ga) & np.isfinite(gb)
    for u in _DIAGONALS:
        if not whole.any():
            break
        aw, bw, fw = a_bad[whole], b_bad[whole], f0[whole]
        along, defined, noise, (lefts, rights) = _limits(value, aw, bw, u, fw, sides=True)
        said = ga[whole] * u[0] + gb[whole] * u[1]
        # (as scale-free as the rest: 10⁻⁵·(x²y)^(1/3) passed an absolute 10⁻⁴)
        near = 1e-4 * np.maximum(np.abs(said), np.abs(along)) + 10 * noise
        # ... or every quotient along it is ∇f·u but for rounding on the partials' scale:
        # (x³)^(1/3) + y along (1, −1)/√2 is level, its quotients the rounding of two parts
        # each rising at 1 (10⁻¹⁶, never still), and ∂f/∂x = 1 was dropped: ∇f undefined
        blur = 1e-4 * np.abs(said) + 10 * noise + 1e-9 * (np.abs(ga[whole]) + np.abs(gb[whole]))
        close = np.logical_and.reduce([np.abs(q - said) <= blur for q in (*lefts, *rights)])
        off = defined & ~(np.abs(along - said) <= near) & ~close
        drop = np.flatnonzero(whole)[off]
        ga[drop[filled[0][drop]]], gb[drop[filled[1][drop]]] = np.nan, np.nan
        whole[drop] = False
    da[bad], db[bad] = ga, gb
    return f, da, db



def fill_curvatures(value_and_gradient: Callable, a, b, haa: Array, hab: Array, hbb: Array
                    ) -> tuple[Array, Array, Array]:
    """The curvatures with each NaN, where f and ∇f are finite, replaced by the central
    difference of ∇f where that holds still as its step shrinks tenfold (10⁻⁴, then 10⁻⁵ of
    the point's scale): the sigmoid 1/(1 + e^−x)'s f'' is ∞/∞ past x ≈ −355 (and log cosh's
    past 355), where ∇f, filled by :func:`fill_limits`, is 0, and Newton, meeting NaN,
    stopped for good ("undefined at the start"). (x² + y²)^0.75's, infinite at the origin,
    grows as the step shrinks: it stays NaN.

    Call under ``numpy.errstate(all="ignore")``; ``value_and_gradient(a, b)`` gives f, ∂f/∂a
    and ∂f/∂b as arrays. Returns new arrays of the curvatures' broadcast shape.
    """
    shape = np.broadcast_shapes(np.shape(haa), np.shape(hab), np.shape(hbb))
    haa, hab, hbb = (np.array(np.broadcast_to(h, shape), dtype=float) for h in (haa, hab, hbb))
    pa, pb = (np.broadcast_to(np.asarray(v, dtype=float), shape) for v in (a, b))
    bad = np.isnan(haa) | np.isnan(hab) | np.isnan(hbb)
    pa, pb = pa[bad], pb[bad]
    f, ga, gb = (np.broadcast_to(v, pa.shape) for v in value_and_gradient(pa, pb))
    ok = np.isfinite(f) & np.isfinite(ga) & np.isfinite(gb)

    def differences(step: float) -> tuple[Array, Array, Array]:
        da, db = step * np.maximum(1.0, np.abs(pa)), step * np.maximum(1.0, np.abs(pb))
        _, a_up, b_up = value_and_gradient(pa + da, pb)
        _, a_dn, b_dn = value_and_gradient(pa - da, pb)
        _, a_rt, b_rt = value_and_gradient(pa, pb + db)
        _, a_lf, b_lf = value_and_gradient(pa, pb - db)
        return ((a_up - a_dn) / (2 * da),
                0.5 * ((b_up - b_dn) / (2 * da) + (a_rt - a_lf) / (2 * db)),
                (b_rt - b_lf) / (2 * db))

    for h, coarse, fine in zip((haa, hab, hbb), differences(1e-4), differences(1e-5),
                               strict=True):
        part = h[bad]
        coarse, fine = np.broadcast_to(coarse, part.shape), np.broadcast_to(fine, part.shape)
        steady = np.abs(fine - coarse) <= 1e-3 * np.maximum(np.abs(fine), 1e-8 * (
            np.abs(ga) + np.abs(gb)))
        mend = np.isnan(part) & ok & np.isfinite(fine) & steady
        part[mend] = fine[mend]
        h[bad] = part
    return haa, hab, hbb


def one_sided_slopes(value: Callable[[Array, Array], Array], point, axis: int
                     ) -> tuple[float, float] | None:
    """The slopes of f along ``axis`` from the left and from the right at ``point`` where
    its partial is infinite and they differ — a cusp, (−∞, ∞) for x^(2/3) at 0, or
    (0, ∞) for max(x, 0)^(2/3) —; None where both are the same infinity (a vertical
    tangent: x^(1/3) at 0) or they cannot be told.

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> one_sided_slopes(parse_loss("x^(2/3) + y").value, (0.0, 1.0), 0)
    (-inf, inf)
    >>> one_sided_slopes(parse_loss("x^(1/3) + y").value, (0.0, 1.0), 0) is None
    True
    """
    a, b = np.array([float(point[0])]), np.array([float(point[1])])
    with np.errstate(all="ignore"):
        f0 = np.asarray(value(a, b), dtype=float).reshape(-1)
        lefts, rights = quotients(value, a, b, AXES[axis], f0)
    sides = [_side(q) for q in (lefts, rights)]
    if any(s is None for s in sides) or sides[0] == sides[1] or \
            not any(math.isinf(s) for s in sides):
        return None
    return sides[0], sides[1]


POLE_STEPS = np.array([1e-4, 1e-6, 1e-8])
"""Steps either side of a point, in units of its scale (max(1, |x|)), at which f is looked at
for running to an infinity (:func:`pole_sides`, :func:`pole_mask`)."""


def _running_to(near: Array) -> Array:
    """Per row of ``near`` (f at :data:`POLE_STEPS` from a point, nearer and nearer): the sign
    of the infinity f runs to there (|f| growing as the step shrinks, one sign all the way),
    else 0."""
    size, sign = np.abs(near), np.sign(near)
    ok = (~np.isnan(near).any(axis=1) & (size[:, 0] < size[:, 1]) & (size[:, 1] <= size[:, 2])
          & (sign[:, 0] == sign[:, 1]) & (sign[:, 1] == sign[:, 2]))
    return np.where(ok, sign[:, 0], 0.0)


def pole_sides(f: Callable[[Array], Array], a: float) -> tuple[float, float] | None:
    """The infinities f runs to from the left and from the right of ``a`` where they differ
    — a pole such as 1/x's at 0: (−∞, ∞) —: there f(a) has no value, infinite or not
    (numpy's 1/0.0 = ∞ had the tabs write "f(x = 0) is ∞"). None elsewhere: where both
    sides run to the same infinity (1/x² at 0), a side is undefined (log x left of 0) or
    |f| does not grow towards ``a`` on both sides. ``f`` takes an array of values of its
    variable.

    Examples
    --------
    >>> pole_sides(lambda x: 1 / x, 0.0)
    (-inf, inf)
    >>> pole_sides(lambda x: 1 / x**2, 0.0) is None
    True
    """
    steps = max(1.0, abs(a)) * POLE_STEPS
    with np.errstate(all="ignore"):
        left, right = (float(_running_to(np.asarray(f(a + side * steps), dtype=float)
                                         .reshape(1, -1))[0]) for side in (-1.0, 1.0))
    return (left * math.inf, right * math.inf) if left * right < 0 else None


def pole_mask(value: Callable[[Array, Array], Array], points: Array) -> Array:
    """Per point of ``points`` (``(m, 2)``), whether f runs to −∞ on one side of it and to ∞
    on the other along a variable (:func:`pole_sides`, all points at once: a run per point
    asked in a loop took 3 s for a basins map of −exp(x² + y²), every start's f overflowing)."""
    w = np.asarray(points, dtype=float).reshape(-1, 2)
    out = np.zeros(len(w), dtype=bool)
    if not len(w):
        return out
    scale = np.maximum(1.0, np.abs(w))
    with np.errstate(all="ignore"):
        for axis in (0, 1):
            sides = []
            for side in (-1.0, 1.0):
                at = np.repeat(w[:, None, :], len(POLE_STEPS), axis=1)
                at[:, :, axis] += side * scale[:, axis, None] * POLE_STEPS
                near = np.broadcast_to(value(at[..., 0].ravel(), at[..., 1].ravel()),
                                       (at[..., 0].size,)).reshape(len(w), -1)
                sides.append(_running_to(np.asarray(near, dtype=float)))
            out |= sides[0] * sides[1] < 0
    return out


def axis_partial(loss, point, axis: int) -> float:
    """∂f/∂(variable ``axis``) at ``point``: the compiled partial, or, where that is
    undefined and f is not, the slope both one-sided quotients along the axis settle on (NaN
    where they differ or cannot be told). f need not have a gradient for its slice through
    the point to have a slope: (x³ + y³)^(1/3) at the origin is x along the x axis, slope 1,
    though ∇f is undefined there (the Slice and h → 0 tabs said "undefined").

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> [round(axis_partial(parse_loss("(x^3 + y^3)^(1/3)"), (0.0, 0.0), k), 12) for k in (0, 1)]
    [1.0, 1.0]
    >>> axis_partial(parse_loss("sqrt(x^2 + y^2)"), (0.0, 0.0), 0)  # (a corner: −1 and 1)
    nan
    """
    a, b = np.array([float(point[0])]), np.array([float(point[1])])
    with np.errstate(all="ignore"):
        slope = float(np.asarray(loss.gradient(a[0], b[0])[axis], dtype=float))
        f0 = np.asarray(loss.value(a, b), dtype=float).reshape(-1)
        if not math.isnan(slope) or not np.isfinite(f0).all():
            return slope
        lefts, rights = quotients(loss.value, a, b, AXES[axis], f0)
    sides = [_side(q) for q in (lefts, rights)]
    if not (all(s is not None and math.isfinite(s) for s in sides) and sides[0] == sides[1]):
        return math.nan
    # The central quotients at 10⁻⁴ and 10⁻⁵ of the scale, extrapolated (Richardson: their
    # h² errors cancel), not the sides' six digits that tell them alike: (2x³ + y³)^(1/3)'s
    # 2^(1/3) read 1.259920000000 in the h → 0 tab, its error a flat line for every h.
    coarse, fine = (0.5 * (lefts[k][0] + rights[k][0]) for k in (-3, -2))
    return float(fine + (fine - coarse) / 99.0) + 0.0


def one_sided_rates(value: Callable[[Array, Array], Array], point, thetas) -> Array:
    """How fast f changes leaving ``point`` along u at each of ``thetas`` (degrees): the
    forward quotients (f(p + h·u) − f(p))/h at h = 10⁻⁵ and 10⁻⁶ of the scale of the
    variables u moves, extrapolated (Richardson: their first-order errors cancel); ±∞ where
    the quotients keep growing, twofold a step and more, as h shrinks (a cusp), NaN where
    they are undefined. Where f has a gradient this is ∇f·u; at a corner, where it has none,
    it is still there along every ray — at the tip of a cone, 1 in every direction, no
    cosine.

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> cone = parse_loss("sqrt(x^2 + y^2)").value
    >>> [round(float(v), 6) for v in one_sided_rates(cone, (0.0, 0.0), [0, 90, 225])]
    [1.0, 1.0, 1.0]
    >>> [round(float(v), 6) for v in one_sided_rates(parse_loss("x*y + x").value, (0.0, 2.0),
    ...                                              [0, 90])]
    [3.0, 0.0]
    >>> [round(v, 6) for v in one_sided_rates(parse_loss("x^(2/3) + y").value, (0.0, 1.0),
    ...                                        [0, 90]).tolist()]  # (a cusp: ∞ along x)
    [inf, 1.0]
    """
    th = np.radians(np.asarray(thetas, dtype=float))
    # (cos 90° is 6·10⁻¹⁷, not 0: along a crease of f a steep side leaked in)
    u = [np.where(np.abs(c) < 1e-15, 0.0, c) for c in (np.cos(th), np.sin(th))]
    a, b = float(point[0]), float(point[1])
    # Each ray's step by the scale of the variables it moves (far out along one axis, a
    # step sized by the other's coordinate was coarse: 0.591 for 0.878 at (10⁶, 0.5))
    scale = np.abs(u[0]) * max(1.0, abs(a)) + np.abs(u[1]) * max(1.0, abs(b))
    with np.errstate(all="ignore"):
        f0 = float(np.asarray(value(np.array([a]), np.array([b])), dtype=float).reshape(-1)[0])
        rates = []
        for step in (1e-4, 1e-5, 1e-6):
            h = step * scale
            f = np.broadcast_to(np.asarray(value(a + h * u[0], b + h * u[1]), dtype=float),
                                th.shape)
            rates.append((f - f0) / h)
        out = (10.0 * rates[2] - rates[1]) / 9.0
        # A ray along which the quotients keep growing as the step shrinks has no finite
        # rate (a cusp, x^(2/3) at 0: extrapolated, 106 "per unit" beside "slope ∞")
        growing = (np.abs(rates[2]) > 2.0 * np.abs(rates[1])) & \
            (np.abs(rates[1]) > 2.0 * np.abs(rates[0]))
        out = np.where(growing, np.copysign(np.inf, rates[2]), out)
    return np.where(np.isnan(out), np.nan, out) + 0.0


def cusp_mask(value: Callable[[Array, Array], Array], points: Array, gradients: Array
              ) -> Array:
    """Which of the infinite ``gradients`` (``(n, 2)``, at ``points``) are no slope at all:
    an ``(n, 2)`` boolean array, True where :func:`one_sided_slopes` finds two sides that
    differ (a run at x^(2/3)'s cusp read ∇f = (∞, 1) beside the tabs' "does not exist")."""
    out = np.zeros(gradients.shape, dtype=bool)
    for i, axis in zip(*np.nonzero(np.isinf(gradients)), strict=True):
        out[i, axis] = one_sided_slopes(value, points[i], int(axis)) is not None
    return out


def _side(quotients: list[Array]) -> float | None:
    """One side's slope from its quotients (steps shrinking): ±∞ where they grow at least
    1.1-fold each step with one sign, their value where they hold still; else None."""
    q = np.array([float(v[0]) for v in quotients])
    if not np.isfinite(q).all():
        return None
    if (np.sign(q) == np.sign(q[-1])).all() and q[-1] != 0 and \
            (np.abs(q[1:]) >= 1.1 * np.abs(q[:-1])).all():  # (x^(6/7): 1.39 a step)
        return math.copysign(math.inf, q[-1])
    if np.abs(np.diff(q)).max() <= 1e-6 * max(1.0, float(np.abs(q).max())):
        return float(f"{q[-1]:.6g}") + 0.0
    return None


def quotients(value, a: Array, b: Array, u: tuple[float, float], f0: Array,
              steps: tuple[float, ...] = STEPS, scale: Array | None = None
              ) -> tuple[list[Array], list[Array]]:
    """Backward and forward difference quotients of f (``value``; ``f0`` at the points)
    along ``u`` at the points ``(a, b)`` for each of ``steps``, times ``scale`` (by default
    the points' own, max(1, |a|, |b|)). Call under ``numpy.errstate(all="ignore")``."""
    if scale is None:
        scale = np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))

    def f(t: Array) -> Array:
        return np.broadcast_to(np.asarray(value(a + t * u[0], b + t * u[1]), dtype=float),
                               t.shape)

    lefts, rights = [], []
    for step in steps:
        h = step * scale
        lefts.append((f0 - f(-h)) / h)
        rights.append((f(h) - f0) / h)
    return lefts, rights


def _limits(value, a: Array, b: Array, u: tuple[float, float], f0: Array,
            sides: bool = False) -> tuple:
    """The limits of the difference quotients along ``u`` at the points ``(a, b)``, NaN
    where they do not settle on one value from both sides or rounding hides it; where the
    quotients are all finite (f defined on both sides); and the rounding in them (and, with
    ``sides``, the quotients themselves, ``(lefts, rights)``)."""
    lefts, rights = quotients(value, a, b, u, f0)
    scale = np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
    # Rounding: f's values are good to about an ulp, their difference over the least step
    # (blurred is f's own: under f + 10⁸ a slope of 0.05 is lost at the least step)
    size = np.maximum(np.abs(lefts[-1]), np.abs(rights[-1]))
    eps = np.finfo(float).eps
    blurred = 2 * eps * np.abs(f0) / (STEPS[-1] * scale)
    noise = blurred + 2 * eps * size
    tiny = 4 * noise + 1e-12 * size
    gaps = [r - q for q, r in zip(lefts, rights, strict=True)]
    # The two sides meet: their gap is nothing, or halves at least with each tenfold step
    # (a corner's holds still: |x|'s slopes −1 and 1 at every step)
    meet = np.abs(gaps[-1]) <= tiny
    halving = np.ones_like(meet)
    for early, late in zip(gaps, gaps[1:], strict=False):
        halving &= np.abs(late) <= 0.5 * np.abs(early)
    meet |= halving
    # The central quotients' limit: as they are where they hold still, else extrapolated
    # from their changes when those shrink by one ratio (q(h) = L + C·h^p: x·|x|^0.5's
    # 3.2·10⁻², 10⁻², 3.2·10⁻³, 10⁻³ → 0; a slower, logarithmic approach is not one)
    m = [(q + r) / 2 for q, r in zip(lefts, rights, strict=True)]
    d = [m[i] - m[i + 1] for i in range(len(m) - 1)]
    still = np.abs(d[-1]) <= tiny
    with np.errstate(all="ignore"):
        r1, r2 = d[-3] / d[-2], d[-2] / d[-1]
    steady = (r1 >= 1.5) & (r2 >= 1.5) & (np.abs(r1 / r2 - 1.0) <= 0.05)
    limit = np.where(still, m[-1], m[-1] - d[-1] / np.where(steady, r2 - 1.0, 1.0))
    # (and 10⁻¹² of the one-sided quotients at the largest step: at w1 = −1000 the steps'
    # own rounding left 7.8·10⁻¹⁷ of (w2 − 1)²'s ±0.5 along a diagonal, where ∇f·u = 0, and
    # the saturated sigmoid's ∂f/∂w1 went undefined: a "corner" for Newton)
    crumbs = (4 * eps * size + 1e-8 * np.maximum.reduce([np.abs(v) for v in m])
              + 1e-12 * np.maximum(np.abs(lefts[0]), np.abs(rights[0])))
    limit = np.where(np.abs(limit) <= crumbs, 0.0, limit)  # (rounding's crumbs: 0)
    defined = np.logical_and.reduce([np.isfinite(q) for q in (*lefts, *rights)])
    # (a value rounding could have made, 0 under f + 10⁸ at the cone's tip: not told, nor
    # where rounding is near the quotients' own size: 10⁻⁹·sqrt(x² + y²) + 10's ±10⁻⁹)
    feature = np.maximum.reduce([np.abs(q) for q in (lefts[0], rights[0], *gaps[:1])])
    # (quotients all exactly 0 say f is level to 10⁻¹² a unit: a saturated sigmoid's 0)
    level = np.logical_and.reduce([q == 0 for q in (*lefts, *rights)]) \
        & (2 * eps * np.abs(f0) / (STEPS[0] * scale) <= 1e-12)
    sharp = (blurred <= 1e-3 * feature) | level
    ok = defined & meet & (still | steady) & np.isfinite(limit) & sharp
    out = np.where(ok, limit, np.nan), defined, noise
    return (*out, (lefts, rights)) if sides else out
