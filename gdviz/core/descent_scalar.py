"""One run's descent on float64 scalars: the steps :func:`gdviz.core.descent.descend` takes
with ``(N, 2)`` arrays, for N = 1, without numpy's per-call cost on tiny arrays.

A single run is what the window recomputes whenever a loss or a run's settings change, often
for hundreds of steps (Rosenbrock's preset takes 1500). On one point every numpy call costs
about a microsecond whatever its size, so a step of the array code took 55-80 µs; here the
loss's compiled lines run on two ``numpy.float64`` scalars (:func:`compile_scalar`) and
each coordinate goes through the optimizer's own update (:func:`gdviz.core.optimizers.
update`): the same operations in the same order, so the path is the array code's bit for bit
(the tests compare them), with inf and NaN where the arrays have them.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gdviz.core.descent_checks import AT_KINK
from gdviz.core.errors import Cancelled
from gdviz.core.limits import fill_limits
from gdviz.core.noise import NoiseStream
from gdviz.core.optimizers import look_ahead, update

Array = np.ndarray
ROWS_AT_ONCE = 4096  # steps collected in lists before they are written into the arrays
CHECK_EVERY = 16
"""Steps between two questions to a single run's ``cancel`` callback here (well under a
millisecond for an ordinary loss; the array code, whose steps cost more, asks every step)."""
Classify = Callable[[Array, Array, Array, Array], tuple[Array, list[str]]]


def compile_scalar(fn: Callable) -> Callable:
    """The scalar twin of a function from :func:`gdviz.core.codegen.compile_exprs`, compiled
    from its ``scalar_source`` on first use and kept on it.

    It takes two ``numpy.float64`` values and returns one float64 scalar per expression,
    equal bit for bit to the array function's: the same lines run on numpy scalars, whose
    arithmetic and ufuncs follow the arrays' rules (inf and NaN, never an exception, under
    ``numpy.errstate(all="ignore")``). A point costs a few microseconds, not the array
    function's ~15.
    """
    scalar = getattr(fn, "scalar", None)
    if scalar is None:
        # The source was printed by gdviz from a checked sympy tree, never from user text;
        # it runs with numpy alone and no builtins, as the array function does.
        namespace = {"numpy": np, "__builtins__": {}}
        code = compile(fn.scalar_source, "<gdviz compiled loss>", "exec")
        exec(code, namespace)  # noqa: S102 - our own source
        scalar = fn.scalar = namespace["_gdviz_scalar"]
    return scalar


def scalar_fg(loss, fg: Callable) -> Callable | None:
    """The loss's compiled scalar value-and-gradient (:func:`compile_scalar`), a partial that
    is 0·∞ where f is smooth filled with its limit as the array code fills it
    (:func:`gdviz.core.limits.fill_limits`, on a one-point array: bit for bit); None where
    ``fg`` has no scalar twin (a stand-in object in a test)."""
    if getattr(fg, "scalar_source", None) is None:
        return None
    one, raw = compile_scalar(fg), loss.raw_value

    def with_limits(a, b):
        f, ga, gb = one(a, b)
        if (ga != ga or gb != gb) and math.isfinite(f):
            _, da, db = fill_limits(raw, np.array([a]), np.array([b]), np.array([f]),
                                    np.array([ga]), np.array([gb]))
            ga, gb = da[0], db[0]
        return f, ga, gb
    return with_limits


def descend_one(fg: Callable, name: str, hyper: dict[str, float], lrs: Array, tol: float,
                noise: float, rng: NoiseStream, limits: tuple[float, float],
                classify: Classify, pts: Array, fs: Array, gs: Array,
                states: dict[str, Array],
                cancel: Callable[[int], bool] | None = None) -> tuple[int, str, str]:
    """Take one run's steps from row 0 of ``pts``, ``fs`` and ``gs`` (shape ``(steps+1, 1,
    …)``), writing rows 1… of them and of ``states`` until the run stops.

    Parameters
    ----------
    fg
        The loss's scalar value-and-gradient function (``(a, b) -> (f, ∂f/∂a, ∂f/∂b)``).
    name, hyper, lrs
        Optimizer (not Newton), its hyperparameters, and the learning rate of each step.
    tol, noise, rng
        Convergence threshold on ‖∇f‖, gradient noise and its numbers (drawn as the array
        code draws them, two per step).
    limits
        (RUNAWAY_NORM, RUNAWAY_LOSS) of :mod:`gdviz.core.descent_checks`.
    classify
        The array code's check of a point, asked when the quick check here fails (so the
        verdict and its reason are the same).
    cancel
        Asked every :data:`CHECK_EVERY` steps with the steps taken; True raises
        :class:`~gdviz.core.errors.Cancelled`.

    Returns
    -------
    last, status, reason
        The index of the last row written, ``"converged"``, ``"diverged"`` or
        ``"max_steps"``, and why a diverged run stopped.
    """
    runaway_norm, runaway_loss = limits
    wa, wb = pts[0, 0]
    ga, gb = gs[0, 0]
    f0 = fs[0, 0]
    far = runaway_norm * runaway_norm
    swing = runaway_loss * (1.0 + abs(f0))
    tol2 = tol * tol
    zero = np.float64(0.0)
    sa = {key: zero for key in states}  # the optimizer's state, coordinate by coordinate
    sb = {key: zero for key in states}
    points, losses, grads = [], [], []
    kept = {key: [] for key in states}
    nesterov = name == "nesterov"
    isfinite = math.isfinite
    status, reason = "max_steps", ""
    row = 1  # the next row of the arrays to write
    for k in range(len(lrs)):
        if cancel is not None and k % CHECK_EVERY == 0 and k and cancel(k):
            raise Cancelled(k)
        lr = lrs[k]
        ua, ub = ga, gb
        if noise > 0:
            shake = noise * rng.take((1, 2))
            ua, ub = ua + shake[0, 0], ub + shake[0, 1]
        if nesterov:  # its gradient at the look-ahead point, with the same noise
            _, ua, ub = fg(look_ahead(wa, sa, hyper), look_ahead(wb, sb, hyper))
            if noise > 0:
                ua, ub = ua + shake[0, 0], ub + shake[0, 1]
        wa = update(name, wa, ua, sa, k, lr, hyper)
        wb = update(name, wb, ub, sb, k, lr, hyper)
        f, ga, gb = fg(wa, wb)
        points.append((wa, wb))
        losses.append(f)
        grads.append((ga, gb))
        for key in kept:
            kept[key].append((sa[key], sb[key]))
        if len(points) == ROWS_AT_ONCE:  # into the arrays: a long run's lists stay short
            row = _store(row, points, losses, grads, kept, pts, fs, gs, states)
        bad = False
        if not (isfinite(wa) and isfinite(wb) and isfinite(f) and isfinite(ga)
                and isfinite(gb) and wa * wa + wb * wb <= far and abs(f - f0) <= swing):
            flags, why = classify(np.array([[wa, wb]]), np.array([f]), np.array([[ga, gb]]),
                                  np.array([f0]))
            bad = bool(flags[0])
            if bad:  # (or converged at a corner that is a minimum: the reason says so)
                reason = why[0]
                status = "converged" if reason in AT_KINK else "diverged"
        if not bad and ga * ga + gb * gb < tol2:
            status = "converged"
        if status != "max_steps":
            break
    last = _store(row, points, losses, grads, kept, pts, fs, gs, states) - 1
    return last, status, reason


def _store(row: int, points: list, losses: list, grads: list, kept: dict[str, list],
           pts: Array, fs: Array, gs: Array, states: dict[str, Array]) -> int:
    """Write the rows collected so far from ``row`` on, empty the lists; the next row."""
    end = row + len(points)
    if points:
        pts[row:end, 0] = points
        fs[row:end, 0] = losses
        gs[row:end, 0] = grads
        for key, rows in kept.items():
            states[key][row:end, 0] = rows
            rows.clear()
        points.clear()
        losses.clear()
        grads.clear()
    return end
