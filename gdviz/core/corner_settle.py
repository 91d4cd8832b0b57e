"""Runs that used all their steps but settled beside a corner or cusp of f that is a minimum.
There ∇f never falls under the tolerance (|x| + |y| has slope √2 right up to its corner), so
the usual test never says "converged", however close a run came: Newton on √(w1² + w2²)
halved its way to 10⁻⁶⁶ from the tip and read "overshooting … no fixed η settles", on
|w1| + |w2| it stood 1.4·10⁻⁷ off the corner for 180 steps and read "stopped after 200
steps", while the basins map said the same runs reached (0, 0).

A run has settled from the step after which all its points stay within :data:`SETTLE` (of
its scale) of one point: told from its path (:func:`settle_step`), or, keeping only its last
rows, by following that point as it steps (:func:`follow_anchor`). It settled beside such a
corner where f is higher all round it and keeps its slope towards it (:func:`beside_corner`).
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray

NEAR_CORNER = "next to a corner of f (∇f undefined there), lowest around it"
"""Why a run converged within :data:`SETTLE` of its scale of a corner that is a minimum."""
NEAR_CUSP = "next to a cusp of f (∇f undefined there), lowest around it"
"""The same beside a cusp (its slopes either side infinite), as the tabs call it."""
NEAR_KINK = (NEAR_CORNER, NEAR_CUSP)

SETTLE = 1e-7
"""How near (times 1 + |w|) a run's later points all stay to the one it settled at."""
RING = 1e-4
"""Where (times 1 + |w|) f must be higher all round, and keep its slope: a corner's slope
keeps its size right up to it, a smooth minimum's shrinks with the distance."""
STEEPER = 3.0
"""How much steeper f is at a hundredth of :data:`RING` than at it, beside a cusp (x^(2/3):
100^(1/3) ≈ 4.6 times), to call it one."""
LEAST_STEPS = 2
"""The fewest steps a run must have stayed settled for (one that just arrived has not)."""


def reach(w: Array, factor: float) -> Array:
    """``factor`` times 1 + |w| for each point of ``w`` (``(n, 2)``): a distance at its scale."""
    return factor * (1.0 + np.hypot(w[..., 0], w[..., 1]))


def _near(dx, dy, x, y) -> bool | Array:
    """Whether a move (dx, dy) from a point (x, y) is within half of :data:`SETTLE` of its
    scale, √(1 + |w|²) here: squares alone, as :func:`follow_anchor` runs every step (hypot
    made descent five times slower on |w1| + |w2|)."""
    return dx * dx + dy * dy <= (0.25 * SETTLE * SETTLE) * (1.0 + x * x + y * y)


def settle_step(path: Array) -> int:
    """The step from which a run's points (``path``, to its last step) all lie within half
    of :data:`SETTLE` of the point it then stood at, as :func:`follow_anchor` tells it step
    by step (the same step for one run as for many)."""
    rows = np.asarray(path, dtype=float).reshape(-1, 2).tolist()
    (a, b), since = rows[0], 0
    for k, (x, y) in enumerate(rows[1:], 1):
        if not _near(x - a, y - b, x, y):
            (a, b), since = (x, y), k
    return since


def follow_anchor(anchor: Array, since: Array, w: Array, k: int) -> None:
    """After step ``k``, where each run (``w``: its new points) went: those that left their
    ``anchor`` by more than half of :data:`SETTLE` anchor there, ``since`` step ``k``
    (in place; the anchors and steps of the runs stepping, as :func:`settle_step` would tell
    from their paths)."""
    with np.errstate(all="ignore"):  # (as _near, in few whole-array operations)
        d = np.subtract(w, anchor)
        np.multiply(d, d, out=d)
        scale = np.multiply(w, w)
        far = scale[:, 0] + scale[:, 1]
        far += 1.0
        far *= 0.25 * SETTLE * SETTLE
        left = ~(d[:, 0] + d[:, 1] <= far)
    np.copyto(anchor, w, where=left[:, None])
    np.copyto(since, k, where=left)


def beside_corner(loss, w: Array, f: Array) -> list[str]:
    """Per point of ``w`` (``(n, 2)``, f there ``f``), :data:`NEAR_CORNER` or
    :data:`NEAR_CUSP` where it lies beside a corner or cusp of f that is lowest around it:
    f is no lower at eight points :data:`RING` (of its scale) around it, and ‖∇f‖ a
    hundredth of that from it at least half of ‖∇f‖ there (a smooth minimum's shrinks
    towards it); "" elsewhere, and for losses without kinks (``Loss.may_kink``).

    Examples
    --------
    >>> import numpy as np
    >>> from gdviz.core.loss import parse_loss
    >>> w = np.array([[1e-8, 2e-8], [0.5, 0.0]])
    >>> beside_corner(parse_loss("abs(x) + abs(y)"), w, np.abs(w).sum(axis=1))
    ['next to a corner of f (∇f undefined there), lowest around it', '']
    >>> beside_corner(parse_loss("x^2 + abs(y)^0.5"), np.array([[1e-8, 1e-9]]), np.array([3e-5]))
    ['next to a cusp of f (∇f undefined there), lowest around it']
    """
    w = np.asarray(w, dtype=float).reshape(-1, 2)
    f = np.asarray(f, dtype=float).reshape(-1)
    out = [""] * len(w)
    if not getattr(loss, "may_kink", False) or not len(w):
        return out
    r = reach(w, RING)
    # (off the axes: cos(3π/2) = −1.8·10⁻¹⁶ put the ring's point along |w1|'s crease 350
    # floats nearer it than the centre, and Newton settled beside it never converged)
    angles = np.linspace(0.0, 2.0 * np.pi, 8, endpoint=False) + 0.1
    ring = w[:, None, :] + r[:, None, None] * np.stack([np.cos(angles), np.sin(angles)], 1)
    with np.errstate(all="ignore"):
        around = np.asarray(loss.value(ring[..., 0], ring[..., 1]), dtype=float)
        lowest = np.isfinite(f) & np.isfinite(around).all(axis=1) & (around >= f[:, None]).all(
            axis=1)
        near, far = ring_slopes(loss, w, 0.01 * r), ring_slopes(loss, w, r)
        kink = lowest & (near >= 0.5 * far) & (far > 0)
    for i in np.flatnonzero(kink):
        out[i] = NEAR_CUSP if near[i] >= STEEPER * far[i] else NEAR_CORNER
    return out


def settled_beside_corner(loss, path: Array, losses: Array) -> tuple[int, str] | None:
    """The step from which a run (``path``: its points to its last step, ``losses`` its f
    there) settled beside a corner or cusp of f that is lowest around it
    (:func:`settle_step`, :func:`beside_corner`), and the reason to give; None where it did
    not.

    Examples
    --------
    >>> import numpy as np
    >>> from gdviz.core.loss import parse_loss
    >>> path = np.array([[1.0, 1.0], [0.5, 0.5], [1e-8, 2e-8], [1e-8, 2e-8], [1e-8, 2e-8]])
    >>> settled_beside_corner(parse_loss("abs(x) + abs(y)"), path, np.abs(path).sum(axis=1))
    (2, 'next to a corner of f (∇f undefined there), lowest around it')
    >>> settled_beside_corner(parse_loss("x^2 + y^2"), path, (path ** 2).sum(axis=1)) is None
    True
    """
    if not getattr(loss, "may_kink", False) or len(path) < LEAST_STEPS + 1:
        return None
    k = settle_step(path)
    if k > len(path) - 1 - LEAST_STEPS:
        return None
    why = beside_corner(loss, np.asarray(path[k], dtype=float), np.asarray(losses[k]))[0]
    return (k, why) if why else None


def ring_slopes(loss, points: Array, r: float | Array) -> Array:
    """The mean of ‖∇f‖ at eight points ``r`` around each of ``points`` (``(n, 2)``; ``r``
    one distance or one each; off the axes' creases, where |w1|'s partial is sign(0) = 0);
    NaN where ∇f is undefined there."""
    angles = np.linspace(0.0, 2.0 * np.pi, 8, endpoint=False) + 0.1
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)[None]
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    p = points[:, None, :] + np.reshape(r, (-1, 1, 1)) * ring
    with np.errstate(all="ignore"):
        ga, gb = loss.gradient(p[..., 0], p[..., 1])
        return np.broadcast_to(np.hypot(ga, gb), p.shape[:2]).mean(axis=1)
