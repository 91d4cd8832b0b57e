"""Basins of attraction: descend from every point of a grid at once and label where each ends.

Pure numpy (no Qt): the window runs :func:`basins` on a worker thread, chunk by chunk, and
colours the map by the labels.

Examples
--------
>>> from gdviz.core.loss import parse_loss
>>> r = basins(parse_loss("x^2 + 3*y^2"), ((-2, 2), (-2, 2)), 8, "gd", 0.1, 200)
>>> sorted(set(r.labels.ravel().tolist())), (r.minima.round(6) + 0.0).tolist()
([0], [[0.0, 0.0]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gdviz.core.descent import descend
from gdviz.core.descent_checks import FELL_WITHOUT_BOUND
from gdviz.core.end_kind import NO_MINIMUM_KINDS, kind_near
from gdviz.core.grid import relative_tol

if TYPE_CHECKING:  # needs sympy; only a type hint here
    from gdviz.core.loss import Loss

NOT_CONVERGED = -1
DIVERGED = -2
UNDEFINED = -3  # f is not defined at the start (log, sqrt… of a negative): no descent at all
FELL = -4
"""Diverged with the loss falling without bound: f has no minimum that way (Newton on the
lecture's loss, where −w2²·sin w1 falls for ever: two thirds of the map read "diverged",
as an η too large is read, where the runs themselves say "f → −∞")."""
# Starts descended together. Only the last three rows of each run are kept (path=False), so
# memory is no bound; ~8192 starts keep numpy's arrays small enough to stay in the cache
# (measured: 256² starts × 200 Adam steps in 0.37 s at 8192, 0.53 s all at once, 0.66 s at 2048).
DEFAULT_CHUNK = 8192
MAX_CLUSTERS = 256  # (Rastrigin has 121 minima on its ±5.12 square)
HOVER_REACH = 5.0
"""The farthest (in radii) a run hovering about a minimum, its steps across it and back,
is counted as reaching it: within its step, but not a tenth of the map away."""

Domain = tuple[tuple[float, float], tuple[float, float]]


class BasinsCancelled(Exception):
    """Raised by :func:`basins` when its ``progress`` callback returns ``False``."""


@dataclass
class BasinsResult:
    """Where each start of an ``n × n`` grid ends.

    Attributes
    ----------
    labels : ndarray of int, (n, n)
        Row ``i`` is the ``i``-th value of the second variable (bottom to top), column ``j`` the
        ``j``-th of the first. Index into ``minima`` (the run ended within ``radius`` of it,
        converged or not), or ``-1`` (did not reach a minimum within
        the steps), ``-2`` (diverged), ``-3`` (f undefined at the start) or ``-4`` (the loss
        fell without bound: :data:`FELL`).
    steps : ndarray of int, (n, n)
        The step at which each run stopped: for a converged run, its steps to converge.
    converged : ndarray of bool, (n, n)
        Whether ‖∇f‖ fell below the tolerance (see :func:`basins`).
    minima : ndarray, (k, 2)
        The minima the labels refer to (the known minima if given, else those found).
    domain : ((amin, amax), (bmin, bmax))
        The region covered; starts are the centres of the ``n × n`` cells.
    end_points : ndarray, (n, n, 2)
        Final point of every run.
    """

    labels: np.ndarray
    steps: np.ndarray
    converged: np.ndarray
    minima: np.ndarray
    domain: Domain
    end_points: np.ndarray

    def fractions(self) -> dict[int, float]:
        """Share of starts per label, e.g. ``{0: 0.25, 1: 0.25, -2: 0.5}``."""
        values, counts = np.unique(self.labels, return_counts=True)
        return {int(v): float(c) / self.labels.size for v, c in zip(values, counts, strict=True)}


def grid_starts(domain: Domain, n: int) -> np.ndarray:
    """Centres of an ``n × n`` grid of cells covering ``domain``, as ``(n*n, 2)``, row-major.

    Row ``i`` (the second variable) varies slowest, so ``reshape(n, n)`` gives image rows.
    """
    (a0, a1), (b0, b1) = domain
    a = a0 + (np.arange(n) + 0.5) * (a1 - a0) / n
    b = b0 + (np.arange(n) + 0.5) * (b1 - b0) / n
    aa, bb = np.meshgrid(a, b)
    return np.column_stack([aa.ravel(), bb.ravel()])


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


def _kinks(loss: Loss, points: np.ndarray, r: float) -> np.ndarray:
    """Whether f's slope keeps its size right up to each point (|w1| + |w2|'s corner, the
    cone √(w1² + w2²)'s tip), where at a smooth minimum it shrinks with the distance: ‖∇f‖
    at ``r``/100 from the point at least half of it at ``r``."""
    angles = np.linspace(0.0, 2.0 * np.pi, 8, endpoint=False) + 0.1  # (off the axes' creases)
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1)[None]

    def slope(at: float) -> np.ndarray:
        p = points[:, None, :] + at * ring
        ga, gb = loss.gradient(p[..., 0], p[..., 1])
        return np.hypot(ga, gb).mean(axis=1)

    with np.errstate(all="ignore"):
        return slope(0.01 * r) >= 0.5 * slope(r)


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
    polishable = polished.status == "converged"
    good = polishable & (moved <= radius)
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


def _with_known(found: np.ndarray, known: np.ndarray, radius: float) -> np.ndarray:
    """``known`` minima and those ``found`` farther than ``radius`` from every known one,
    sorted by (a, b) as :func:`cluster_minima` sorts them."""
    if len(known) and len(found):
        gap = np.hypot(found[:, None, 0] - known[None, :, 0], found[:, None, 1] - known[None, :, 1])
        found = found[~(gap <= radius).any(axis=1)]
    out = np.concatenate([known, found]) if len(found) else known
    return out[np.lexsort((out[:, 1], out[:, 0]))] if len(out) else out


def label_ends(ends: np.ndarray, diverged: np.ndarray, minima: np.ndarray,
               radius: float | np.ndarray, undefined: np.ndarray | None = None) -> np.ndarray:
    """Index of the minimum within ``radius`` (one for all, or each end's own) of each end
    point, else -1; diverged → -2; ``undefined`` (f undefined at the start) → -3."""
    ends = np.asarray(ends, dtype=float).reshape(-1, 2)
    labels = np.full(len(ends), NOT_CONVERGED, dtype=int)
    if len(minima):
        with np.errstate(all="ignore"):
            d = np.hypot(ends[:, None, 0] - minima[None, :, 0],
                         ends[:, None, 1] - minima[None, :, 1])
        d = np.where(np.isfinite(d), d, np.inf)
        nearest = np.argmin(d, axis=1)
        close = d[np.arange(len(ends)), nearest] <= radius
        labels[close] = nearest[close]
    labels[np.asarray(diverged, dtype=bool).ravel()] = DIVERGED
    if undefined is not None:
        labels[np.asarray(undefined, dtype=bool).ravel()] = UNDEFINED
    return labels


def basins(loss: Loss, domain: Domain, n: int, optimizer: str = "gd", lr: float | None = None,
           steps: int = 200, minima: Sequence[Sequence[float]] | None = None, *,
           tol: float = 1e-6, scale_tol: bool = True, radius: float | None = None,
           chunk: int = DEFAULT_CHUNK,
           progress: Callable[[int, int], bool | None] | None = None,
           **options) -> BasinsResult:
    """Descend from the centre of every cell of an ``n × n`` grid and label where each ends.

    Parameters
    ----------
    loss
        From :func:`gdviz.parse_loss`.
    domain
        ``((amin, amax), (bmin, bmax))``.
    n
        Starts per side (``n²`` in all), 2 to 1024.
    optimizer, lr, steps
        As for :func:`gdviz.descend`.
    minima
        Known minima (a preset's), exact: each stands for the minimum found within ``radius``
        of it. The others found by clustering the settled end points are kept too (a preset
        may list only the global minimum: Rastrigin's local minima, reached by most starts,
        were "no minimum reached" while the run from one of them said "converged").
    tol
        Convergence threshold on ‖∇f‖ (for ``steps`` and ``converged``), relative to the map's
        typical slope when that is below 1 (see :func:`gdviz.core.grid.relative_tol`).
    scale_tol
        Whether to scale ``tol`` so; False: it is used as given, scaled already (the window
        passes its runs' own, so a start's steps on the map are its run's: on 10⁻³·Himmelblau
        they were judged against 2.8·10⁻⁷ and the runs against 3.6·10⁻⁷, a step apart).
    radius
        An end point within this distance of a minimum has reached it; default 2% of the
        larger side of ``domain``.
    chunk
        Starts descended together (progress is reported after each chunk).
    progress
        ``progress(done, total)`` after each chunk; returning ``False`` cancels.
    **options
        Passed to :func:`gdviz.descend`: hyperparameters, ``schedule``, ``noise``…

    Returns
    -------
    BasinsResult

    Raises
    ------
    BasinsCancelled
        When ``progress`` returned ``False``.
    ValueError
        For bad settings (as :func:`gdviz.descend`) or ``n`` out of range.
    """
    n = int(n)
    if not 2 <= n <= 1024:
        raise ValueError("the basins grid must have from 2 to 1024 points per side")
    (a0, a1), (b0, b1) = domain
    if radius is None:
        radius = 0.02 * max(a1 - a0, b1 - b0)
    starts = grid_starts(domain, n)
    total = len(starts)
    tol = relative_tol(loss, starts, tol) if scale_tol else float(tol)
    with np.errstate(all="ignore"):
        undefined = ~np.isfinite(np.broadcast_to(loss.value(starts[:, 0], starts[:, 1]),
                                                 (total,)))
    ends = np.empty((total, 2))
    final_loss = np.empty(total)
    stop = np.empty(total, dtype=int)
    status = np.empty(total, dtype=object)
    fell = np.zeros(total, dtype=bool)  # diverged, the loss falling without bound
    last_move = np.empty(total)
    reach = np.full(total, float(radius))  # how far from a minimum an end still reaches it
    probes = np.empty((total, 2))  # where the minima are looked for: the ends, or (below)
    probe_loss = np.empty(total)
    chunk = max(1, int(chunk))
    for lo in range(0, total, chunk):
        hi = min(lo + chunk, total)
        # The ends alone matter: descend keeps the last three rows, not the whole paths. (A
        # run that stopped early repeats its end there, so its last move reads 0; only runs
        # that used every step, which ran to the last row, are judged by their last moves.)
        traj = descend(loss, starts[lo:hi], optimizer, lr, steps, tol, path=False, **options)
        ends[lo:hi] = probes[lo:hi] = traj.points[:, -1]
        final_loss[lo:hi] = probe_loss[lo:hi] = traj.losses[:, -1]
        stop[lo:hi] = traj.stop_step
        status[lo:hi] = traj.status
        fell[lo:hi] = np.atleast_1d(np.asarray(traj.reason, dtype=object)) == FELL_WITHOUT_BOUND
        with np.errstate(all="ignore"):
            # The last step, or the last two where they come back: a run hovering about a
            # kink (GD on |w1| + |w2| steps η√2 across its corner and back, over the radius:
            # no start was said to reach it) is within its step of the corner it straddles.
            step, back = (np.hypot(*(ends[lo:hi] - traj.points[:, j]).T) for j in (-2, -3))
            hover = np.flatnonzero((back < radius) & (step >= radius))
            # (about a kink only, told where the two last points meet: a run bouncing across
            # a smooth minimum, w2 of w1² + 10·w2² at η = 0.1, stays as far off for good)
            if len(hover):
                middle = 0.5 * (ends[lo:hi][hover] + traj.points[hover, -2])
                kinked = _kinks(loss, middle, radius)
                hover, middle = hover[kinked], middle[kinked]
                # (the corner looked for between its two points, not at an end: bouncing
                # symmetrically, ±0.125 about |w1| + |w2|'s at η = 0.25, no end was near
                # it, and no minimum was found)
                probes[lo:hi][hover] = middle
                probe_loss[lo:hi][hover] = loss.value(middle[:, 0], middle[:, 1])
            # (within its step, give or take rounding: an end 4.8·10⁻¹⁴ past it was out)
            reach[lo:hi][hover] = np.minimum(step[hover] * (1 + 1e-6), HOVER_REACH * radius)
            step[hover] = back[hover]
            last_move[lo:hi] = step
        if progress is not None and progress(hi, total) is False:
            raise BasinsCancelled()
    diverged = (status == "diverged") & ~undefined
    converged = status == "converged"
    # Only end points on the map (with a margin) found minima: a run that left the map
    # reached no minimum the class can see.
    inside = ((ends[:, 0] >= a0 - 0.1 * (a1 - a0)) & (ends[:, 0] <= a1 + 0.1 * (a1 - a0))
              & (ends[:, 1] >= b0 - 0.1 * (b1 - b0)) & (ends[:, 1] <= b1 + 0.1 * (b1 - b0)))
    settled = ~diverged & inside & (converged | (last_move < radius))
    found = cluster_minima(loss, probes[settled], probe_loss[settled], radius,
                           converged[settled], polish_tol=min(1e-9, 1e-3 * tol))
    if minima is not None:
        found = _with_known(found, np.asarray(minima, dtype=float).reshape(-1, 2), radius)
    labels = label_ends(ends, diverged, found, radius, undefined)
    if len(found) and (reach > radius).any():
        # (only about a kink: a run bouncing across a smooth minimum, its step too large,
        # stays where it is for good, and a smaller η reaches the minimum)
        kink = _kinks(loss, found, radius)
        hovering = label_ends(ends, diverged, found, reach, undefined)
        about_kink = (hovering >= 0) & kink[np.maximum(hovering, 0)]
        labels[about_kink] = hovering[about_kink]
    labels[diverged & fell] = FELL
    return BasinsResult(labels.reshape(n, n), stop.reshape(n, n), converged.reshape(n, n),
                        found, ((float(a0), float(a1)), (float(b0), float(b1))),
                        ends.reshape(n, n, 2))
