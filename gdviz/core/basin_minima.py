"""The minima the basins' runs reached: their ends grouped, each group's lowest polished by
Newton's method and kept where f is lowest around it (:func:`cluster_minima`), the minima
known beforehand added (:func:`with_known`), and which of them are kinks (:func:`kinks`).
Pure numpy (no Qt); :mod:`gdviz.core.basins` labels the starts by them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from gdviz.core.corner_settle import NEAR_KINK, ring_slopes
from gdviz.core.descent import descend
from gdviz.core.end_kind import NO_MINIMUM_KINDS, kind_near

if TYPE_CHECKING:  # needs sympy; only a type hint here
    from gdviz.core.loss import Loss

MAX_CLUSTERS = 256  # (Rastrigin has 121 minima on its ±5.12 square)


def _is_minimum(loss: Loss, points: np.ndarray) -> np.ndarray:
    """Whether the Hessian is positive semi-definite at each point (rejects saddles, maxima),
    and, where a curvature is 0, f about it no flat saddle's
    (:func:`gdviz.core.end_kind.kind_near`: x² + y³'s origin was a "minimum" with half
    the starts its basin, x³'s y axis sixteen of them)."""
    if len(points) == 0:
        return np.zeros(0, dtype=bool)
    with np.errstate(all="ignore"):
        (haa, hab), (_, hbb) = loss.hessian(points[:, 0], points[:, 1])
        haa, hab, hbb = (np.broadcast_to(np.asarray(h, float), (len(points),))
                         for h in (haa, hab, hbb))
        mean = 0.5 * (haa + hbb)
        rad = np.hypot(0.5 * (haa - hbb), hab)
        lmin, lmax = mean - rad, mean + rad
        ok = lmin >= -1e-6 * (1.0 + np.abs(lmax))
        # (only the points the curvatures pass are looked at closer: a Python loop)
        for i in np.flatnonzero(ok):
            ok[i] = kind_near(loss, points[i],
                              float(loss.value(*points[i]))) not in NO_MINIMUM_KINDS
    # Where the Hessian is undefined (kinks such as |x|) trust the descent.
    return ok | ~np.isfinite(lmin)


def _compass(loss: Loss, points: np.ndarray, step: float, rounds: int = 200) -> np.ndarray:
    """Each of ``points`` moved downhill by compass search: to the lowest of 32 points
    ``step`` away in every direction (the axes and diagonals among them) while that is lower,
    else with half the step,
    until the step is 10⁻¹³ of the point's scale. It needs no derivatives, so it finds the
    tip of a kink (|x| + |y|, the cone sqrt(x² + y²)) exactly, where Newton's step is
    undefined."""
    p = np.array(points, dtype=float)
    if len(p) == 0:
        return p
    # (32 ways: along the axes alone it stuck in |x + y| + 2|x − y|'s slanted valley, and
    # with the diagonals too on |x + 2y| + 0.3|x − y|'s crease, short of its tip)
    angles = np.linspace(0.0, 2.0 * np.pi, 32, endpoint=False)
    moves = np.column_stack([np.cos(angles), np.sin(angles)])
    moves[np.abs(moves) < 1e-12] = 0.0  # (the axes exactly)
    steps = np.full(len(p), float(step))
    floor = 1e-13 * (1.0 + np.abs(p).max(axis=1))
    with np.errstate(all="ignore"):
        here = np.asarray(loss.value(p[:, 0], p[:, 1]), float) * np.ones(len(p))
        for _ in range(rounds):
            live = steps > floor
            if not live.any():
                break
            trial = p[:, None, :] + steps[:, None, None] * moves[None]
            values = np.asarray(loss.value(trial[..., 0], trial[..., 1]), float)
            values = np.where(np.isfinite(values), values, np.inf) * np.ones((len(p), 32))
            best = np.argmin(values, axis=1)
            lower = live & (values[np.arange(len(p)), best] < here)
            p[lower] = trial[lower, best[lower]]
            here[lower] = values[lower, best[lower]]
            steps[live & ~lower] *= 0.5
    return p


def _lowest_around(loss: Loss, points: np.ndarray, r: float) -> np.ndarray:
    """Whether each point is lower than 16 points on a circle of radius ``r`` around it.

    A test of "local minimum at the scale of the map" that needs no derivatives, so it also
    holds at kinks (``|x| + |y|``) and for optimizers that hover around a minimum.
    """
    angles = np.linspace(0.0, 2.0 * np.pi, 16, endpoint=False)
    ring = points[:, None, :] + r * np.stack([np.cos(angles), np.sin(angles)], axis=1)[None]
    with np.errstate(all="ignore"):
        centre = loss.value(points[:, 0], points[:, 1])
        around = loss.value(ring[..., 0], ring[..., 1])
        return np.isfinite(centre) & np.all(~(around < centre[:, None]), axis=1)


FLAT_STEPS = 60
"""Newton's steps on from a polished minimum ((2/3)⁶⁰ ≈ 3·10⁻¹¹ of the way left on a quartic)."""


def polished_f(loss: Loss, points: np.ndarray) -> np.ndarray:
    """f at ``points`` (``(n, 2)``), one value each."""
    with np.errstate(all="ignore"):
        return np.broadcast_to(np.asarray(loss.value(points[:, 0], points[:, 1]), float),
                               (len(points),))


def kinks(loss: Loss, points: np.ndarray, r: float) -> np.ndarray:
    """Whether f's slope keeps its size right up to each point (|w1| + |w2|'s corner, the
    cone √(w1² + w2²)'s tip), where at a smooth minimum it shrinks with the distance: ‖∇f‖
    at ``r``/100 from the point at least half of it at ``r``."""
    with np.errstate(all="ignore"):
        return ring_slopes(loss, points, 0.01 * r) >= 0.5 * ring_slopes(loss, points, r)


def cluster_minima(loss: Loss, ends: np.ndarray, losses: np.ndarray, radius: float,
                   certified: np.ndarray | None = None,
                   max_clusters: int = MAX_CLUSTERS, polish_tol: float = 1e-9) -> np.ndarray:
    """Group end points lying within ``radius`` of each other and keep the true minima.

    Greedy: the lowest remaining end point founds a cluster and takes every end point within
    ``radius``. Each founder is then polished with a few Newton steps; it is a minimum when
    that converges within ``radius`` to a point whose Hessian is positive semi-definite (not a
    saddle or maximum), or, where Newton cannot help (kinks such as ``|x|``), when one of its
    members is ``certified`` (the descent itself reached ‖∇f‖ < tol). Newton stops when
    ‖∇f‖ < ``polish_tol`` (scale it with the loss: on a tiny-valued loss every point would
    pass an absolute one where it stands). Returns ``(k, 2)``
    minima sorted by (a, b), so labels do not depend on the order of the starts.
    """
    ends = np.asarray(ends, dtype=float).reshape(-1, 2)
    losses = np.asarray(losses, dtype=float).ravel()
    certified = (np.zeros(len(ends), dtype=bool) if certified is None
                 else np.asarray(certified, dtype=bool).ravel())
    keep = np.isfinite(ends).all(axis=1) & np.isfinite(losses)
    order = np.argsort(np.where(keep, losses, np.inf), kind="stable")[: int(keep.sum())]
    ends, certified = ends[order], certified[order]
    free = np.ones(len(ends), dtype=bool)
    founders, trusted = [], []
    while free.any() and len(founders) < max_clusters:
        first = int(np.flatnonzero(free)[0])
        with np.errstate(all="ignore"):
            near = free & (np.hypot(*(ends - ends[first]).T) <= radius)
        free &= ~near
        founders.append(ends[first])
        trusted.append(bool(certified[near].any()))
    if not founders:
        return np.zeros((0, 2))
    founders_arr = np.array(founders)
    polished = descend(loss, founders_arr, "newton", 1.0, 50, polish_tol)
    final = polished.points[np.arange(len(founders_arr)), polished.stop_step]
    with np.errstate(all="ignore"):
        moved = np.hypot(*(final - founders_arr).T)
    # (beside a kink Newton "converges" only next to it: the search below finds the tip)
    polishable = (polished.status == "converged") & ~np.isin(polished.reason, NEAR_KINK)
    good = polishable & (moved <= radius)
    if good.any():
        # On from there, a fixed number of steps: Newton closes in on a flat minimum a third
        # of the way a step (w1⁴ + w2⁴, no curvature there), and ‖∇f‖ = 4w³ fell under the
        # tolerance 4·10⁻⁴ off it: the key read "→ (−0.000426, −0.000233)", not (0, 0).
        on = descend(loss, final[good], "newton", 1.0, FLAT_STEPS, 0.0, path=False)
        ends = on.points[:, -1]
        with np.errstate(all="ignore"):
            closer = (np.isfinite(ends).all(axis=1) & (on.losses[:, -1] <= polished_f(
                loss, final[good])) & (np.hypot(*(ends - final[good]).T) <= radius))
        final[good] = np.where(closer[:, None], ends, final[good])
    # Where Newton cannot polish (a kink: |x| + |y|), a search that needs no derivatives
    # does: the legend put |x| + |y|'s minimum at (−0.000417, −0.000417), GD's lowest end.
    found = np.where(good[:, None], final, _compass(loss, founders_arr, 0.5 * radius))
    # (the founder, or the tip the search found from it within the cluster: a run hovering
    # about |w1| + |w2|'s corner ends beside it, where a ring around it dips below)
    with np.errstate(all="ignore"):
        tip = np.hypot(*(found - founders_arr).T) <= radius
    trusted_arr = np.array(trusted) | _lowest_around(loss, founders_arr, 0.5 * radius) | (
        tip & _lowest_around(loss, found, 0.5 * radius))
    # Where Newton converged further off, the founder is no minimum: it lies on the way to
    # one (Adam's ends strung along Rosenbrock's valley were "→ (0.96, 0.921)", ∇f ≠ 0 there);
    # only where Newton cannot tell (a kink) do the descent's word and the ring count.
    # And lowest on a ring close about it (10⁻⁴ of the radius), where f is as good as flat or
    # a kink: a point a search left in a valley still falling, its ring at half the radius
    # missing the narrow floor between its 16 points, made Beale eight "minima" with ∇f up
    # to 5 there.
    close = _lowest_around(loss, found, 1e-4 * radius)
    accept = (good | (~polishable & trusted_arr & close)) & _is_minimum(loss, found)
    found = found[accept]
    merged: list[np.ndarray] = []
    for p in found:  # two founders may polish to the same minimum
        if all(np.hypot(*(p - q)) > radius for q in merged):
            merged.append(p)
    out = np.array(merged, dtype=float).reshape(-1, 2)
    return out[np.lexsort((out[:, 1], out[:, 0]))] if len(out) else out


def with_known(found: np.ndarray, known: np.ndarray, radius: float) -> np.ndarray:
    """``known`` minima and those ``found`` farther than ``radius`` from every known one,
    sorted by (a, b) as :func:`cluster_minima` sorts them."""
    if len(known) and len(found):
        gap = np.hypot(found[:, None, 0] - known[None, :, 0], found[:, None, 1] - known[None, :, 1])
        found = found[~(gap <= radius).any(axis=1)]
    out = np.concatenate([known, found]) if len(found) else known
    return out[np.lexsort((out[:, 1], out[:, 0]))] if len(out) else out


LEVEL_SAMPLES = 9
"""Points along a segment checked for f staying level (:func:`level_joined`)."""


def level_joined(loss: Loss, a: np.ndarray, b: np.ndarray, level: np.ndarray,
                 tol: float) -> np.ndarray:
    """Per pair ``a[i]``, ``b[i]`` (``(m, 2)`` each): whether f stays within ``tol`` of
    ``level[i]`` all along the straight segment between them (both ends included)."""
    a, b = np.asarray(a, float).reshape(-1, 2), np.asarray(b, float).reshape(-1, 2)
    t = np.linspace(0.0, 1.0, LEVEL_SAMPLES)
    pts = a[:, None, :] + t[None, :, None] * (b - a)[:, None, :]
    with np.errstate(all="ignore"):
        f = np.broadcast_to(loss.value(pts[..., 0].ravel(), pts[..., 1].ravel()),
                            (pts[..., 0].size,)).reshape(len(a), LEVEL_SAMPLES)
        return np.all(np.abs(f - np.asarray(level, float).reshape(-1, 1)) <= tol, axis=1)


def level_groups(loss: Loss, minima: np.ndarray, tol: float) -> np.ndarray:
    """A group number per minimum (0, 1, … by first member): minima joined by a straight
    path along which f stays level (within ``tol`` of theirs) share one, and so do minima so
    joined through others. A line or region of minima — w1², (w1 − w2)², a constant loss —
    is one group, where clustering made one "minimum" every radius along it (a constant
    loss: the 256 it keeps, and the rest of the starts "no minimum reached"); distinct
    minima, a hill or a ridge between them, stay apart."""
    minima = np.asarray(minima, float).reshape(-1, 2)
    k = len(minima)
    parent = np.arange(k)
    if k > 1:
        with np.errstate(all="ignore"):
            f = np.broadcast_to(loss.value(minima[:, 0], minima[:, 1]), (k,)).astype(float)
        i, j = np.triu_indices(k, 1)
        same = np.abs(f[i] - f[j]) <= tol
        i, j = i[same], j[same]
        joined = level_joined(loss, minima[i], minima[j], f[i], tol)

        def root(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = int(parent[x])
            return x

        for x, y in zip(i[joined], j[joined], strict=True):
            rx, ry = root(int(x)), root(int(y))
            if rx != ry:
                parent[max(rx, ry)] = min(rx, ry)
        parent = np.array([root(x) for x in range(k)])
    _, groups = np.unique(parent, return_inverse=True)
    return groups
