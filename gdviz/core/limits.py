"""Partial derivatives whose formula is undefined at a point where the derivative is not.

The compiled ∂f/∂x of (x² + y²)^0.75 is 1.5x·(x² + y²)^−0.25: 0·∞ at the origin, NaN, where
f is as smooth as a bowl and its slope 0. The same happens to x^y's ∂f/∂y = x^y·ln x at
x = 0 (0·(−∞); f(0, y) = 0 for y > 0), to x·|x|^0.5 at 0, to sqrt(x·y) along y = 0. The
lecture tabs said "∂f/∂x is undefined" there and a run started at the origin "stopped at a
corner of f". Where f is finite, the formula NaN and the one-sided difference quotients
settle on one value from both sides, that value is the derivative — the limit definition
itself (:func:`fill_limits`). A corner (their two values stay apart, as for |x| or the
cone sqrt(x² + y²) at its tip), an infinite slope, or f undefined on one side stays NaN.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Array = np.ndarray
STEPS = (1e-4, 1e-5, 1e-6)
"""The quotients' steps, in units of the point's scale (max(1, |x|)), shrinking tenfold."""


def fill_limits(value: Callable[[Array, Array], Array], a, b, f: Array, da: Array,
                db: Array) -> tuple[Array, Array, Array]:
    """``f``, ``da``, ``db`` (compiled at ``(a, b)``) with each NaN partial where f is
    finite replaced by the limit of its difference quotients, where there is one.

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
    # The usual case in two sums: no NaN partial anywhere (a sum is NaN if any part is).
    if not (np.isnan(np.add.reduce(da, axis=None)) or np.isnan(np.add.reduce(db, axis=None))):
        return f, da, db
    finite = np.isfinite(f)
    for axis, d in ((0, da), (1, db)):
        bad = finite & np.isnan(d)
        if not bad.any():
            continue
        a_bad, b_bad = (np.broadcast_to(np.asarray(v, dtype=float), f.shape)[bad]
                        for v in (a, b))
        limit = _limits(value, a_bad, b_bad, axis, f[bad])
        if d.ndim:
            d[bad] = limit
        else:  # (a single point: 0-d arrays)
            d[...] = limit[0]
    return f, da, db


def _limits(value, a: Array, b: Array, axis: int, f0: Array) -> Array:
    """The limits of the difference quotients along ``axis`` at the points ``(a, b)``,
    NaN where they do not settle on one value from both sides."""
    x = a if axis == 0 else b
    scale = np.maximum(1.0, np.abs(x))

    def f(t: Array) -> Array:
        args = (t, b) if axis == 0 else (a, t)
        return np.broadcast_to(np.asarray(value(*args), dtype=float), t.shape)

    lefts, rights = [], []
    for step in STEPS:
        h = step * scale
        lefts.append((f0 - f(x - h)) / h)
        rights.append((f(x + h) - f0) / h)
    (l1, lm, l2), (r1, rm, r2) = lefts, rights
    size = np.maximum(np.maximum(np.abs(l2), np.abs(r2)), 1.0)
    noise = 8 * np.finfo(float).eps * (np.abs(f0) + 1.0) / (STEPS[-1] * scale)
    tiny = np.maximum(100 * noise, 1e-9 * size)
    g1, gm, g2 = r1 - l1, rm - lm, r2 - l2
    # The two sides meet: their gap is nothing, or halves at least with each tenfold step
    # (a corner's holds still: |x|'s slopes −1 and 1 at every step)
    meet = (np.abs(g2) <= tiny) | ((np.abs(g2) <= 0.5 * np.abs(gm))
                                   & (np.abs(gm) <= 0.5 * np.abs(g1)))
    # The central quotients' limit: as they are where they hold still, else extrapolated
    # from their last two changes (q(h) = L + C·h^p: x·|x|^0.5's 10⁻², 3.2·10⁻³, 10⁻³ → 0)
    m1, mm, m2 = (l1 + r1) / 2, (lm + rm) / 2, (l2 + r2) / 2
    d1, d2 = m1 - mm, mm - m2
    still = np.abs(d2) <= tiny
    settling = (d1 * d2 > 0) & (np.abs(d1) >= 1.5 * np.abs(d2))
    limit = np.where(still, m2, m2 - d2 / (d1 / np.where(d2 == 0, 1.0, d2) - 1.0))
    limit = np.where(np.abs(limit) <= 10 * noise, 0.0, limit)  # (rounding's crumbs: 0)
    ok = (np.isfinite(l1) & np.isfinite(lm) & np.isfinite(l2) & np.isfinite(r1)
          & np.isfinite(rm) & np.isfinite(r2) & meet & (still | settling))
    return np.where(ok & np.isfinite(limit), limit, np.nan)
