"""Compare optimizers: every optimizer from one start with its default settings, summarised.

Pure numpy (no Qt). The window turns :func:`comparison_specs` into runs and shows
:func:`summarize` of each in a sortable table.

Examples
--------
>>> from gdviz.core.loss import parse_loss
>>> rows = compare_optimizers(parse_loss("x^2 + 3*y^2"), (2.0, 1.0), steps=300)
>>> [r.optimizer for r in rows]
['gd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'newton']
>>> next(r for r in rows if r.optimizer == "newton").steps_to_converge
1
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from gdviz.core.compare_rows import ComparisonRow, ranking, summarize
from gdviz.core.descent import Trajectory, descend
from gdviz.core.errors import LossError
from gdviz.core.optimizers import OPTIMIZERS
from gdviz.core.session import RunSpec

if TYPE_CHECKING:  # needs sympy; only a type hint here
    from gdviz.core.loss import Loss

COMPARED = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton")
def best_shown(trajectories: Sequence[Trajectory | None], domain) -> int:
    """Index of the run to select after a comparison: the best (:meth:`ComparisonRow.sort_key`)
    among those that end on the map (inside ``domain``, ``((a0, a1), (b0, b1))``); when none
    does, the one that ends nearest to it (in domain widths). 0 when there is none at all.

    On a loss without a lower bound (the saddle) every run slides away downhill, and the
    lowest loss belongs to the one that went farthest: the lecture tabs would show its point
    a hundred thousand units off the map.
    """
    (a0, a1), (b0, b1) = domain
    wa, wb = max(a1 - a0, 1e-300), max(b1 - b0, 1e-300)
    shown = [(i, t) for i, t in enumerate(trajectories) if t is not None]
    ranks = ranking([summarize(t) for _i, t in shown])
    keys = []
    for (i, trajectory), rank in zip(shown, ranks, strict=True):
        a, b = (float(v) for v in trajectory.points[-1])
        off = math.hypot(max(a0 - a, 0.0, a - a1) / wa, max(b0 - b, 0.0, b - b1) / wb)
        off = off if math.isfinite(off) else math.inf
        keys.append((off > 0, off, rank, i))
    return min(keys)[-1] if keys else 0


REACH = 1.0
"""How far past the map's edge (in its spans) a run's end may be for the map to grow to it."""
END_PAD = 0.08
"""Room kept about such an end, in the map's spans (its marker is drawn whole)."""


def domain_holding_ends(trajectories: Sequence[Trajectory | None], domain):
    """``domain`` (``((a0, a1), (b0, b1))``) grown to hold the ends of the runs that
    converged at a minimum (:attr:`ComparisonRow.at_minimum`) just past its edge, within
    :data:`REACH` of its spans; as it was where they all end on it. Himmelblau typed, its
    map ±3: every run but the slowest ended at (−2.81, 3.13) off the top, and the one run
    left on the map, the worst, was selected.

    Examples
    --------
    >>> from gdviz.core.descent import descend
    >>> from gdviz.core.loss import parse_loss
    >>> run = descend(parse_loss("(x - 3.5)^2 + y^2"), (0.0, 0.0), "gd", 0.3, 100)
    >>> (a0, a1), (b0, b1) = domain_holding_ends([run], ((-3.0, 3.0), (-3.0, 3.0)))
    >>> a0, round(a1, 3), (b0, b1)
    (-3.0, 3.98, (-3.0, 3.0))
    """
    (a0, a1), (b0, b1) = (p0, p1), (q0, q1) = domain  # (reach from the map as given:
    wa, wb = a1 - a0, b1 - b0  # grown by one run's end, it let the next reach farther)
    for t in trajectories:
        if t is None or not summarize(t).at_minimum:
            continue
        a, b = (float(v) for v in t.points[-1])
        if not (p0 - REACH * wa <= a <= p1 + REACH * wa and q0 - REACH * wb <= b
                <= q1 + REACH * wb):
            continue  # (far off: the map would lose what it shows to hold it)
        if not (a0 <= a <= a1 and b0 <= b <= b1):  # (an end on the map keeps it)
            a0, a1 = min(a0, a - END_PAD * wa), max(a1, a + END_PAD * wa)
            b0, b1 = min(b0, b - END_PAD * wb), max(b1, b + END_PAD * wb)
    return (float(a0), float(a1)), (float(b0), float(b1))


def comparison_specs(start: Sequence[float], steps: int = 200,
                     colors: Sequence[str] | None = None,
                     optimizers: Sequence[str] = COMPARED,
                     lrs: dict[str, float] | None = None,
                     like: RunSpec | None = None) -> list[RunSpec]:
    """Run settings for each optimizer from ``start`` with its default lr and hyperparameters.

    Parameters
    ----------
    start
        The common start ``(a, b)``.
    steps
        Most steps for every run.
    colors
        One colour per run (cycled); ``None`` leaves colours to the app.
    optimizers
        Names from ``OPTIMIZERS``; all seven by default.
    lrs
        Learning rates to use instead of the defaults (a preset's suggestion), by name.
    like
        A run whose conditions every run shares: its gradient noise σ and seed, and its
        gradient (exact or by differences, and the step h). The comparison is of the
        optimizers under one problem: SGD (σ > 0) against Adam with the same noise; σ = 0.5
        became 0 for all seven without a word.
    """
    specs = []
    for i, name in enumerate(optimizers):
        opt = OPTIMIZERS[name]
        color = colors[i % len(colors)] if colors else None
        lr = float((lrs or {}).get(name, opt.lr))
        shared = ({} if like is None else
                  {"noise": like.noise, "seed": like.seed, "gradient": like.gradient,
                   "fd_h": like.fd_h})
        specs.append(RunSpec(optimizer=name, lr=lr, start=(float(start[0]),
                                                                float(start[1])),
                             hyper=dict(opt.hyper), steps=int(steps), color=color, **shared))
    return specs


HALVINGS = 12
"""How often :func:`tamed_lr` halves a learning rate (down to 1/4096 of it) before it gives up."""
PROBE_STEPS = 2000
"""Most steps of each trial run of :func:`tamed_lr` (a step too large shows long before)."""


def overshot(trajectory: Trajectory) -> bool:
    """Whether a run overshot: it diverged with its loss risen above where it started (or
    overflowed, or undefined where it stepped), or it ended higher than it started, or it
    ended bouncing with no progress (:func:`bouncing`), the marks of a step too large. A run
    that slid away downhill on a loss without a lower bound (the saddle) also "diverges",
    and no smaller step would stop it. (Momentum on Rastrigin ended at f = 478 from 37.5,
    thrown far off the map, and was "stopped after 100 steps", its η not halved.)"""
    losses = np.asarray(trajectory.losses, dtype=float)
    if losses.size == 0:
        return False
    if trajectory.status != "diverged":
        first, last = float(losses[0]), float(losses[-1])
        # (not bouncing over a corner or cusp of f, where no fixed η settles: on |w1| + w2²
        # Nesterov's η was cut 64 times and Adam's 32, each still swinging, or crawling)
        return bool(np.isfinite(first) and last > first + 1e-12 * (1.0 + abs(first))) \
            or (bouncing(trajectory) and not np.any(getattr(trajectory, "kinked", False)))
    finite = losses[np.isfinite(losses)]
    # (or it stepped where f is undefined, from a start where it is not: GD on
    # 10(x − 2)² + y² + √x from (4, 1) jumped to x = −0.025 at its first step, and "halve η
    # until the run does not diverge" kept η, where η/2 converges — unless it slid downhill
    # to the edge, ever steeper, as on log(x) + y², where no η stops it; Momentum on
    # 100(x − ln x) + y², thrown past its minimum where ∇f is small, is not sliding)
    norms = np.asarray(getattr(trajectory, "grad_norms", ()), dtype=float)[:len(losses)]
    norms = norms[np.isfinite(losses[:len(norms)]) & np.isfinite(norms)]
    sliding = (finite.size > 2 and bool(np.all(np.diff(finite) <= 0)) and norms.size > 2
               and norms[-1] >= norms.max())
    stepped_off = bool(np.isfinite(losses[0]) and np.isnan(losses[-1]) and not sliding)
    return bool(losses[-1] == np.inf or stepped_off
                or (finite.size and finite.max() > losses[0]))


BOUNCE_WINDOW = 20
"""Steps at the end of a run over which it must have lowered f at all (see :func:`bouncing`)."""


def bouncing(trajectory: Trajectory) -> bool:
    """Whether a run that used all its steps ended going up and down with no progress over
    its last :data:`BOUNCE_WINDOW` steps, ‖∇f‖ still a thousandth of its start's or more: it
    bounces across a valley or round a minimum, a step too large for where it is. (GD on
    Himmelblau from (0, 0) at η = 0.025 went between two points for 190 steps, f = 3.09 and
    4.24, ‖∇f‖ = 24, and ranked last in Compare; at η/2 it converges in 49 steps.)

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> from gdviz.core.descent import descend
    >>> himmelblau = parse_loss("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    >>> bouncing(descend(himmelblau, (0.0, 0.0), "gd", lr=0.025, steps=200))
    True
    >>> bouncing(descend(himmelblau, (0.0, 0.0), "gd", lr=0.0125, steps=200))
    False
    """
    losses = np.asarray(trajectory.losses, dtype=float)
    norms = np.asarray(getattr(trajectory, "grad_norms", ()), dtype=float)
    if trajectory.status == "converged" or losses.size <= BOUNCE_WINDOW or norms.size == 0:
        return False
    recent = losses[-BOUNCE_WINDOW - 1:]
    if not (np.isfinite(recent).all() and np.isfinite(norms[[0, -1]]).all()):
        return False
    stalled = recent[-1] >= recent[0] - 1e-9 * (1.0 + abs(recent[0]))
    return bool(stalled and (np.diff(recent) > 0).any() and norms[-1] >= 1e-3 * norms[0])


LOG_SPREAD = 1e-3
"""Final losses closer than this share of the plot's height read as one on a linear axis."""


def ends_apart_in_decades(trajectories: Sequence[Trajectory | None]) -> bool:
    """Whether a log scale of f tells apart final losses a linear one cannot: every loss
    above 0, the ends at least a decade apart, and two of them closer than
    :data:`LOG_SPREAD` of the height the curves fall (compared on Rosenbrock, Newton's
    1.6·10⁻¹⁹, Adam's 1.3·10⁻⁷ and Momentum's 1.8·10⁻¹⁰ ended on one line beside Gradient
    descent's 0.06). Not where the runs share one minimum above 0 (5 and 5.000000002: one
    line on a log scale too), nor where f goes below 0, whose log scale measures from the
    best run's end (rounding noise spread over decades). Diverged runs count for nothing.

    Examples
    --------
    >>> from types import SimpleNamespace as Run
    >>> ends_apart_in_decades([Run(losses=[12.0, 1e-19], status="converged"),
    ...                        Run(losses=[12.0, 1e-7], status="max_steps")])
    True
    >>> ends_apart_in_decades([Run(losses=[12.0, 5.0], status="converged"),
    ...                        Run(losses=[12.0, 5.000000002], status="converged")])
    False
    """
    runs = [np.asarray(getattr(t, "losses", ()), dtype=float) for t in trajectories
            if t is not None and t.status != "diverged"]
    runs = [y[np.isfinite(y)] for y in runs if y.size and np.isfinite(y[[0, -1]]).all()]
    if len(runs) < 2 or any((y <= 0).any() for y in runs):
        return False
    ends = np.array([y[-1] for y in runs])
    height = max(float(y[0]) for y in runs) - float(ends.min())
    gaps = np.diff(np.unique(ends))
    return bool(height > 0 and gaps.size and gaps.min() < LOG_SPREAD * height
                and ends.max() >= 10 * ends.min())


def descend_spec(loss: Loss, spec: RunSpec, lr: float | None = None,
                 steps: int | None = None,
                 cancel: Callable[[int], bool] | None = None, tol: float = 1e-6) -> Trajectory:
    """The run ``spec`` describes (optimizer, start, schedule, noise, gradient, …), with
    another learning rate or number of steps when given (``cancel``, ``tol``: see
    :func:`~gdviz.core.descent.descend`; the window's ``tol`` follows the loss's scale,
    :func:`gdviz.core.grid.domain_tol`)."""
    return descend(loss, spec.start, spec.optimizer, spec.lr if lr is None else lr,
                   spec.steps if steps is None else steps, tol, schedule=spec.schedule,
                   decay=spec.decay, decay_steps=spec.decay_steps, noise=spec.noise,
                   seed=spec.seed, gradient=spec.gradient, fd_h=spec.fd_h, cancel=cancel,
                   **used_hyper(spec))


def used_hyper(spec: RunSpec) -> dict[str, float]:
    """``spec``'s hyperparameters its optimizer uses (a session file may name others)."""
    used = OPTIMIZERS[spec.optimizer].hyper
    return {k: v for k, v in spec.hyper.items() if k in used}


def tame(loss: Loss, spec: RunSpec, halvings: int = HALVINGS,
         cancel: Callable[[int], bool] | None = None,
         tol: float = 1e-6) -> tuple[float, Trajectory | None]:
    """The largest of ``spec.lr``, ``spec.lr/2``, ``spec.lr/4``, … whose run does not
    overshoot (see :func:`overshot`), and that run's trajectory.

    Momentum's default η diverges on Rosenbrock, as plain gradient descent's does: a
    comparison of their defaults shows three runs leaving the map, where the class wanted
    to see how they go. Halving (as a practitioner would) keeps each optimizer's character.
    Each trial takes at most :data:`PROBE_STEPS` steps.

    Returns
    -------
    lr : float
        ``spec.lr`` itself when it does not overshoot, and also when no halving helps.
    trajectory : Trajectory or None
        The run at ``lr`` when a trial was the whole run (``spec.steps`` ≤
        :data:`PROBE_STEPS`): it need not be computed again. None otherwise.

    Raises
    ------
    Cancelled
        When ``cancel`` (asked during each trial, see :func:`~gdviz.core.descent.descend`)
        returned True.
    """
    lr, steps = spec.lr, min(spec.steps, PROBE_STEPS)
    whole = steps == spec.steps
    first = None
    for _ in range(halvings + 1):
        with np.errstate(all="ignore"):
            traj = descend_spec(loss, spec, lr, steps, cancel, tol)
        first = traj if first is None else first
        if not overshot(traj):
            return lr, (traj if whole else None)
        lr /= 2
    return spec.lr, (first if whole else None)  # (no halving helped: the default's run)


def compare_runs(loss: Loss, specs: Sequence[RunSpec], halve: bool = True,
                 cancel: Callable[[int], bool] | None = None, tol: float = 1e-6
                 ) -> list[tuple[float, Trajectory | None, str]]:
    """Every run of a comparison: each spec's learning rate (halved by :func:`tame` when
    ``halve`` and its default overshoots), its trajectory, and an error when it has none.

    The specs are not changed. ``cancel`` is asked during every descent (see
    :func:`~gdviz.core.descent.descend`); when it has a ``base`` attribute (a progress
    ticket), it is set before each spec to the steps of the specs before it.

    Returns
    -------
    list of (lr, trajectory or None, error)
        In the order of ``specs``.

    Raises
    ------
    Cancelled
        When ``cancel`` returned True.
    """
    out: list[tuple[float, Trajectory | None, str]] = []
    done = 0
    for spec in specs:
        if hasattr(cancel, "base"):
            cancel.base = done
        done += spec.steps
        lr, traj, error = spec.lr, None, ""
        if halve:  # (a ValueError, LossError too: the run itself reports it below)
            with contextlib.suppress(ValueError):
                lr, traj = tame(loss, spec, cancel=cancel, tol=tol)
        if traj is None:
            try:
                with np.errstate(all="ignore"):
                    traj = descend_spec(loss, spec, lr, cancel=cancel, tol=tol)
            except (ValueError, LossError) as err:
                error = str(err)
        out.append((lr, traj, error))
    return out


def tamed_lr(loss: Loss, spec: RunSpec, halvings: int = HALVINGS) -> float:
    """The learning rate :func:`tame` chooses for ``spec``."""
    return tame(loss, spec, halvings)[0]


def compare_optimizers(loss: Loss, start: Sequence[float], steps: int = 200,
                       optimizers: Sequence[str] = COMPARED, tol: float = 1e-6,
                       lrs: dict[str, float] | None = None) -> list[ComparisonRow]:
    """Descend ``loss`` from ``start`` with every optimizer (defaults) and summarise each.

    Returns
    -------
    list of ComparisonRow
        In the order of ``optimizers``; rank with :func:`ranking`.
    """
    rows = []
    for spec in comparison_specs(start, steps, optimizers=optimizers, lrs=lrs):
        with np.errstate(all="ignore"):
            traj = descend(loss, spec.start, spec.optimizer, spec.lr, spec.steps, tol,
                           **used_hyper(spec))
        rows.append(summarize(traj, spec.optimizer))
    return rows
