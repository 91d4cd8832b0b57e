"""Run an optimizer on a loss from one start or many at once: :func:`descend`."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from gdviz.core.corner_settle import (
    LEAST_STEPS,
    beside_corner,
    follow_anchor,
    settled_beside_corner,
)
from gdviz.core.descent_args import a_loss, real, starts, whole
from gdviz.core.descent_checks import (
    AT_KINK,
    RUNAWAY_LOSS,
    RUNAWAY_NORM,
    classify_runs,
    corner_at_end,
    corners_between,
    growing_at_end,
    said_at_start,
    stationary_at_end,
)
from gdviz.core.descent_scalar import descend_one, scalar_fg
from gdviz.core.errors import Cancelled
from gdviz.core.limits import cusp_mask, fill_limits
from gdviz.core.noise import NoiseStream
from gdviz.core.optimizers import resolve, step
from gdviz.core.schedules import check_schedule, schedule_factor
from gdviz.core.special_points import corner_mask
from gdviz.core.trajectory import Trajectory

if TYPE_CHECKING:  # the compiled loss needs sympy: not imported for type hints
    from gdviz.core.loss import Loss

Array = np.ndarray
GRADIENT_MODES = ("symbolic", "forward", "central")
SWING_STEPS = 8  # a run's last steps looked at for a swing over a corner of f
KINK_RUNS = 64  # of many runs, at most so many are looked at so (Compare's seven, not basins)


NEWTON_BLIND = "Newton's step needs f's curvature (the Hessian), undefined there"


def _gradient_fn(loss: Loss, mode: str, h: float):
    if mode == "symbolic":
        def grad(w: Array) -> Array:
            return np.stack(loss.gradient(w[:, 0], w[:, 1]), axis=1)
        return grad
    if mode not in GRADIENT_MODES:
        raise ValueError(f"unknown gradient mode '{mode}' (choose from "
                         f"{', '.join(GRADIENT_MODES)})")
    if not (np.isfinite(h) and h > 0):
        raise ValueError("the finite-difference step h must be a positive number")
    from gdviz.core.finite import central_gradient, forward_gradient

    fd = central_gradient if mode == "central" else forward_gradient

    def grad_fd(w: Array) -> Array:
        return np.stack(fd(loss, w[:, 0], w[:, 1], h), axis=1)

    return grad_fd


def _hess_fn(loss: Loss):
    def hess(w: Array) -> Array:
        (haa, hab), (_, hbb) = loss.hessian(w[:, 0], w[:, 1])
        return np.stack([np.stack([haa, hab], -1), np.stack([hab, hbb], -1)], -2)
    return hess


def descend(loss: Loss, start, optimizer: str = "gd", lr: float | None = None,
            steps: int = 100, tol: float = 1e-6, *, schedule: str = "constant",
            decay: float | None = None, decay_steps: int | None = None, noise: float = 0.0,
            seed: int = 0, gradient: str = "symbolic", fd_h: float = 1e-5,
            path: bool = True, cancel: Callable[[int], bool] | None = None,
            planned: int | None = None, **hyper: float) -> Trajectory:
    """Run gradient descent (or a variant) on ``loss``.

    Parameters
    ----------
    loss
        From :func:`gdviz.parse_loss`.
    start
        One point ``(a, b)``, or an ``(N, 2)`` array of starts advanced together (vectorized).
    optimizer
        ``gd``, ``momentum``, ``nesterov``, ``adagrad``, ``rmsprop``, ``adam`` or ``newton``.
    lr
        Learning rate; default depends on the optimizer (see ``OPTIMIZERS``).
    steps
        Most steps to take.
    tol
        A run has converged when ‖∇f‖ < tol.
    schedule, decay, decay_steps
        Learning-rate schedule (see :mod:`gdviz.core.schedules`).
    noise, seed
        Standard deviation of Gaussian noise added to each gradient (stochastic gradient
        descent, seeded for repeatability).
    gradient, fd_h
        ``"symbolic"`` (exact, default) or a finite-difference gradient ``"forward"`` or
        ``"central"`` with step ``fd_h``.
    path
        Keep every step (default). ``False``, for many starts whose ends alone matter (basins
        of attraction), keeps only the last three rows: the arrays along the step axis have
        length 3 (the last point and the two before it, which tell a run hovering about a
        kink, two steps apart, from one on its way; a run that stopped earlier repeats its
        final point), which spares writing ``N × steps`` rows to fresh memory
        (most of the time for 256² starts). ``stop_step`` still counts steps.
    planned
        The run the schedule is made for, when only its first ``steps`` are taken (the
        basins map caps a long run's steps; a cosine schedule must not then end early);
        default ``steps``.
    cancel
        Asked with the number of steps taken so far, after each step (every
        :data:`~gdviz.core.descent_scalar.CHECK_EVERY` steps for one start on the fast scalar
        path); True stops the descent (a run past its time on the GUI thread, or one computed
        in the background that nobody wants any more). It may also report progress.
    **hyper
        ``momentum``, ``rho``, ``beta1``, ``beta2``, ``eps``.

    Returns
    -------
    Trajectory
        For a single start, ends at convergence or divergence.

    Raises
    ------
    ValueError
        For an unknown optimizer or out-of-range settings.
    TypeError
        For a ``loss`` that is not one (text: parse it first).
    Cancelled
        When ``cancel`` returned True.
    """
    loss, (opt, hp) = a_loss(loss), resolve(optimizer, hyper)
    unused = [k for k in hyper if k not in opt.hyper]
    if unused:  # (descend(loss, start, "gd", momentum=0.9) was plain GD, without a word)
        warnings.warn(f"{opt.name} does not use {', '.join(unused)} (ignored); its "
                      f"hyperparameters: {', '.join(opt.hyper) or 'none'}", stacklevel=2)
    lr = opt.lr if lr is None else real(lr, "the learning rate")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError("the learning rate must be a positive number")
    steps = whole(steps, "steps", 0, 1_000_000)
    noise = real(noise, "noise")
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError("noise must be a non-negative number")
    tol = real(tol, "tol")
    if not (np.isfinite(tol) and tol >= 0):  # (−1 acted as 1: "converged" at ‖∇f‖ = 0.93)
        raise ValueError("tol must be a number of at least 0")
    seed = whole(seed, "seed", 0, 2**63 - 1)
    decay, decay_steps = check_schedule(schedule, decay, decay_steps)
    w, single = starts(start)
    n = len(w)
    grad_fn = _gradient_fn(loss, gradient, fd_h)
    hess_fn = _hess_fn(loss) if opt.name == "newton" else None
    value_fn = (lambda p: loss.value(p[:, 0], p[:, 1])) if opt.name == "newton" else None
    # (drawn in blocks: one draw a step starved the other threads of the GIL, see noise.py)
    rng = NoiseStream(np.random.default_rng(seed))

    # Rows of the record: one per step, or (path=False) a ring of three, row k at k % rows.
    ring = not (path or single)
    rows = 3 if ring else steps + 1
    pts = np.empty((rows, n, 2))
    fs = np.empty((rows, n))
    gs = np.empty((rows, n, 2))
    state = {name: np.zeros((n, 2)) for name in opt.state}
    states = {name: np.zeros((rows, n, 2)) for name in opt.state}
    horizon = steps if planned is None else max(int(planned), steps)
    lrs = np.array([lr * schedule_factor(schedule, k, horizon, decay, decay_steps)
                    for k in range(steps)])

    # Inside the loop numpy's floating-point warnings are off once for all (an errstate
    # context per step costs more than a small step itself), so the compiled function is
    # called directly rather than through Loss.value_and_gradient.
    fg = getattr(loss, "_fg", None) or loss.value_and_gradient

    raw = getattr(loss, "raw_value", None)

    def evaluate(p: Array) -> tuple[Array, Array]:
        f, da, db = fg(p[:, 0], p[:, 1])
        if raw is not None:  # (a partial 0·∞ where f is smooth: its limit, gdviz.core.limits)
            f, da, db = fill_limits(raw, p[:, 0], p[:, 1], f, da, db)
        g = np.empty((len(f), 2))
        g[:, 0], g[:, 1] = da, db
        return f, g

    with np.errstate(all="ignore"):
        f, g = evaluate(w)
        f0 = f.copy()
        pts[0], fs[0], gs[0] = w, f, g
        status = np.full(n, "max_steps", dtype=object)
        stop = np.full(n, steps)
        reasons = [""] * n
        classify = functools.partial(classify_runs, value_fn=loss.value)
        bad, why = classify(w, f, g, f0)
        for i in np.flatnonzero(bad):
            status[i], stop[i] = "converged" if why[i] in AT_KINK else "diverged", 0
            reasons[i] = why[i] if why[i] in AT_KINK else said_at_start(why[i])
        small = np.hypot(g[:, 0], g[:, 1]) < tol
        if hess_fn is not None:  # (∇f a limit where its formula is 0·∞: the curvature is
            # NaN, and Newton stood still, "stopped after 50 steps"; not where the run starts
            # at its minimum already: (x² + y²)^0.75 from (0, 0) read "diverged")
            flat = ~bad & ~small & ~np.isfinite(hess_fn(w)).all(axis=(1, 2))
            for i in np.flatnonzero(flat):
                status[i], stop[i] = "diverged", 0
                reasons[i] = said_at_start(NEWTON_BLIND)
            bad |= flat
        conv = ~bad & small
        status[conv], stop[conv] = "converged", 0
        active = ~(bad | conv)
        far = RUNAWAY_NORM * RUNAWAY_NORM
        swing = RUNAWAY_LOSS * (1.0 + np.abs(f0))
        last = 0
        every = slice(None)
        # Many runs keep no whole path (basins: the last rows): where each settled is
        # followed as they step (one run is told from its path at the end).
        anchor = w.copy() if loss.may_kink and not single else None
        since = np.zeros(n, dtype=int)
        one = scalar_fg(loss, fg) if single and gradient == "symbolic" else None
        if one is not None and opt.name != "newton" and active[0]:
            last, status[0], reasons[0] = descend_one(
                one, opt.name, hp, lrs, tol, noise, rng, (RUNAWAY_NORM, RUNAWAY_LOSS),
                classify, pts, fs, gs, states, cancel)
            stop[0] = last
            steps_left = 0  # done: the loop below is the array code's
        else:
            steps_left = steps
        for k in range(steps_left):
            # While every run is active (the usual case) plain slices, not index arrays:
            # views instead of copies, and no scatter back.
            idx = every if active.all() else np.flatnonzero(active)
            if isinstance(idx, np.ndarray) and idx.size == 0:
                break
            if cancel is not None and k and cancel(k):  # (a step of Newton can take 10 ms)
                raise Cancelled(k)
            last = k + 1
            r0, r1 = k % rows, last % rows
            everyone = idx is every
            if not everyone:  # the stopped runs repeat their last row
                pts[r1], fs[r1], gs[r1] = pts[r0], fs[r0], gs[r0]
                for name in opt.state:
                    states[name][r1] = states[name][r0]
            wa, ga = pts[r0, idx], gs[r0, idx]
            step_grad = grad_fn
            if noise > 0:
                shake = noise * rng.take(ga.shape)
                ga = ga + shake

                def step_grad(p: Array, shake: Array = shake) -> Array:
                    # Nesterov takes its gradient at the look-ahead point, not ga: it gets the
                    # same noise (it used to get none, so noise did nothing to Nesterov).
                    return grad_fn(p) + shake
            if gradient != "symbolic":
                ga = grad_fn(wa) + (ga - gs[r0, idx])
            sub = {name: state[name][idx] for name in opt.state}
            wn = step(opt.name, wa, ga, sub, k, lrs[k], hp, step_grad, hess_fn,
                      fs[r0, idx], value_fn)
            for name in opt.state:
                if everyone:
                    state[name] = sub[name]  # (new arrays: no copy back needed)
                else:
                    state[name][idx] = sub[name]
                states[name][r1, idx] = sub[name]
            fn, gn = evaluate(wn)
            pts[r1, idx], fs[r1, idx], gs[r1, idx] = wn, fn, gn
            if anchor is not None:
                if everyone:  # (views: followed in place)
                    follow_anchor(anchor, since, wn, last)
                else:
                    moved, after = anchor[idx], since[idx]  # (copies, for index arrays)
                    follow_anchor(moved, after, wn, last)
                    anchor[idx], since[idx] = moved, after
            gn2 = gn[:, 0] * gn[:, 0] + gn[:, 1] * gn[:, 1]
            conv = gn2 < tol * tol
            # The usual case in a few whole-array operations: every run still fine (a point
            # beyond the runaway radius, a loss not finite or beyond its bound, or a gradient
            # that is not finite fails them; the bound alone is inf for |f0| near the largest
            # float), so classify_runs need not look closer.
            fine = ((wn[:, 0] * wn[:, 0] + wn[:, 1] * wn[:, 1] <= far) & np.isfinite(fn)
                    & (np.abs(fn - f0[idx]) <= swing[idx]) & np.isfinite(gn2))
            if fine.all():
                if not conv.any():
                    continue
                bad, why = np.zeros(len(fn), bool), [""] * len(fn)
            else:
                bad, why = classify(wn, fn, gn, f0[idx])
                conv &= ~bad
            where = np.arange(n)[idx]
            for j in np.flatnonzero(bad):
                reasons[where[j]] = why[j]
                status[where[j]] = "converged" if why[j] in AT_KINK else "diverged"
            stop[where[bad]] = k + 1
            status[where[conv]], stop[where[conv]] = "converged", k + 1
            active[where[bad | conv]] = False
    if ring:  # the two rows before the last, then the last
        order = [max(last - j, 0) % rows for j in (2, 1, 0)]
        pts, fs, gs = pts[order], fs[order], gs[order]
        states = {name: v[order] for name, v in states.items()}
    elif last < steps:  # every run stopped early: fill the rest with the final values
        pts[last + 1:], fs[last + 1:], gs[last + 1:] = pts[last], fs[last], gs[last]
        for name in opt.state:
            states[name][last + 1:] = states[name][last]
    # No gradient where f itself is undefined (log(w1) at w1 < 0 has 1/w1 there): the
    # readouts printed a finite ∇f and the map drew its arrow at a point f does not have.
    gs[~np.isfinite(fs)] = np.nan
    with np.errstate(all="ignore"):
        norms = np.hypot(gs[..., 0], gs[..., 1])
    if single:
        end = int(stop[0]) + 1
        w_end, f_end = pts[end - 1, 0], float(fs[end - 1, 0])
        if status[0] == "converged" and not reasons[0]:
            corner = corner_at_end(loss, w_end, f_end, gs[end - 1, 0])
            if corner is not None:  # (landed on |x| + |y|'s corner: sign(0) gave ∇f = 0)
                reasons[0], gs[end - 1, 0] = corner
                norms[end - 1, 0] = np.nan
                if reasons[0] not in AT_KINK:  # (a ridge's corner: no minimum, see there)
                    status[0] = "diverged"
        if status[0] == "converged" and not reasons[0]:  # (a saddle, or f flattening out)
            ends = stationary_at_end(loss, pts[0, 0], w_end, f_end, tol)
            status[0], reasons[0] = ends if ends is not None else (status[0], reasons[0])
        elif status[0] == "max_steps" and (rising := growing_at_end(fs[:end, 0], noise > 0)):
            status[0], reasons[0] = rising  # (short of runaway, but diverging)
        elif status[0] == "max_steps" and (beside := settled_beside_corner(
                loss, pts[:end, 0], fs[:end, 0])):
            (stop[0], reasons[0]), status[0] = beside, "converged"
            end = int(stop[0]) + 1
        kinked = _kinked(loss, pts[:end, 0]) if status[0] == "max_steps" else 0
        # (one start kept every row, as it costs little; path=False then keeps the last three)
        keep = slice(0, end) if path else [max(end - j, 0) for j in (3, 2, 1)]
        grads, sizes = gs[keep, 0].copy(), norms[keep, 0].copy()
        on = corner_mask(loss, pts[keep, 0]) | cusp_mask(loss.value, pts[keep, 0], grads)
        # (on |w1|'s crease ∂f/∂w1 does not exist, nor at x^(2/3)'s cusp:
        grads[on], sizes[on.any(axis=1)] = np.nan, np.nan  # it read 0, sign(0), as the step)
        return Trajectory(pts[keep, 0], fs[keep, 0], sizes, grads,
                          str(status[0]), int(stop[0]), reasons[0], opt.name, lr, hp,
                          {k: v[keep, 0] for k, v in states.items()}, lrs[: end - 1],
                          noise > 0, kinked, "" if gradient == "symbolic" else gradient)
    if anchor is not None:  # (settled beside a corner: see settled_beside_corner)
        held = np.flatnonzero((status == "max_steps") & (since <= stop - LEAST_STEPS))
        with np.errstate(all="ignore"):
            # (as the one-run path has them: its limits filled, no ∇f where f is undefined)
            at_anchor, g_anchor = evaluate(anchor[held])
            g_anchor[~np.isfinite(at_anchor)] = np.nan
            why = beside_corner(loss, anchor[held], at_anchor)
        for j, (i, reason) in enumerate(zip(held, why, strict=True)):
            if reason:  # (stopped at its anchor: its rows from there on repeat it)
                k = int(since[i])
                status[i], stop[i], reasons[i] = "converged", k, reason
                rows_on = slice(k + 1, None) if path else slice(None)
                pts[rows_on, i], fs[rows_on, i] = anchor[i], at_anchor[j]
                gs[rows_on, i] = g_anchor[j]
                norms[rows_on, i] = np.hypot(*g_anchor[j])
                for name in states:
                    states[name][rows_on, i] = states[name][k if path else -1, i]
    kinked = np.zeros(len(status), dtype=np.int8)
    if path and loss.may_kink and len(status) <= KINK_RUNS:
        for i in np.flatnonzero(status == "max_steps"):  # (each as a run alone: see there)
            kinked[i] = _kinked(loss, pts[:int(stop[i]) + 1, i])
    return Trajectory(pts.transpose(1, 0, 2), fs.T, norms.T, gs.transpose(1, 0, 2),
                      status.astype(str), stop, reasons, opt.name, lr, hp,
                      {k: v.transpose(1, 0, 2) for k, v in states.items()}, lrs, noise > 0,
                      kinked, "" if gradient == "symbolic" else gradient)


def _kinked(loss: Loss, path: Array) -> int:
    """Whether a run's ``path`` (its points to its end) ends swinging over a corner of f (1)
    or a cusp (2), in any of its last :data:`SWING_STEPS` steps (momentum's and Adam's swings
    take several to each side); 0 if not."""
    k = min(SWING_STEPS, len(path) - 1)
    if k < 1:
        return 0
    return int(corners_between(loss, path[-1 - k:-1], path[-k:]).max())
