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

from gdviz.core.basin_minima import (
    cluster_minima,
    kinks,
    level_groups,
    level_joined,
    with_known,
)
from gdviz.core.descent import descend
from gdviz.core.descent_checks import FELL_WITHOUT_BOUND
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
    level : ndarray of bool, (k,), optional
        Whether each minimum stands for a line or region of minima level with it (w1²'s
        line w1 = 0, a constant loss): one point of it, where most of its starts ended.
    """

    labels: np.ndarray
    steps: np.ndarray
    converged: np.ndarray
    minima: np.ndarray
    domain: Domain
    end_points: np.ndarray
    level: np.ndarray | None = None

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


LEVEL_TOL = 1e-15
"""f within this share of its range over the starts is level, rounding's (:func:`_level_sets`):
a loss's own scale (10⁻¹⁰·((x² − 1)² + y²)) or a steep direction beside its minima
(10¹²·y² + (x² − 1)²) must not make a hill between two minima level."""


def _level_sets(loss: Loss, found: np.ndarray, labels: np.ndarray, ends: np.ndarray,
                settled: np.ndarray, starts: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``found`` and ``labels`` with each line or region of minima as one minimum
    (:func:`gdviz.core.basin_minima.level_groups`), standing for it where most of its starts
    ended; a ``settled`` start left unlabelled (past the clusters kept) whose end is level
    with one such set, along a straight path to it, has reached it too. Also which of the
    minima stand for such a set."""
    single = np.zeros(len(found), dtype=bool)
    if len(found) < 2:
        return found, labels, single
    with np.errstate(all="ignore"):
        f = np.asarray(np.broadcast_to(loss.value(starts[:, 0], starts[:, 1]),
                                       (len(starts),)), dtype=float)
    spread = float(np.nanmax(f) - np.nanmin(f)) if np.isfinite(f).any() else 0.0
    tol = LEVEL_TOL * (spread if np.isfinite(spread) else 0.0)
    groups = level_groups(loss, found, tol)
    if groups.max() + 1 == len(found):
        return found, labels, single
    counts = np.bincount(labels[labels >= 0], minlength=len(found))
    # (each set by its member most starts reached: the key's "→ (a, b)" for the set)
    stand = np.array([np.flatnonzero(groups == g)[np.argmax(counts[groups == g])]
                      for g in range(groups.max() + 1)])
    labels = np.where(labels >= 0, groups[np.maximum(labels, 0)], labels)
    found = found[stand]
    sizes = np.bincount(groups)
    left = np.flatnonzero((labels == NOT_CONVERGED) & settled)
    for g in np.flatnonzero(sizes > 1):
        if not len(left):
            break
        at = np.broadcast_to(found[g], (len(left), 2))
        with np.errstate(all="ignore"):
            level = float(loss.value(found[g][0], found[g][1]))
        joined = level_joined(loss, ends[left], at, np.full(len(left), level), tol)
        labels[left[joined]] = g
        left = left[~joined]
    return found, labels, sizes > 1


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
                kinked = kinks(loss, middle, radius)
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
        found = with_known(found, np.asarray(minima, dtype=float).reshape(-1, 2), radius)
    labels = label_ends(ends, diverged, found, radius, undefined)
    if len(found) and (reach > radius).any():
        # (only about a kink: a run bouncing across a smooth minimum, its step too large,
        # stays where it is for good, and a smaller η reaches the minimum)
        kink = kinks(loss, found, radius)
        hovering = label_ends(ends, diverged, found, reach, undefined)
        about_kink = (hovering >= 0) & kink[np.maximum(hovering, 0)]
        labels[about_kink] = hovering[about_kink]
    labels[diverged & fell] = FELL
    found, labels, level = _level_sets(loss, found, labels, ends, settled & converged, starts)
    return BasinsResult(labels.reshape(n, n), stop.reshape(n, n), converged.reshape(n, n),
                        found, ((float(a0), float(a1)), (float(b0), float(b1))),
                        ends.reshape(n, n, 2), level)
