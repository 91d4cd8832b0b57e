"""What a run that used all its steps was doing at the end, said after its "stopped after
200 steps": going nowhere (:func:`stuck_note`: in place, bouncing, going round), barely
moving (:func:`crawl_note`) or overshooting (:func:`overshoot_note`)."""

from __future__ import annotations

import numpy as np

from gdviz.core.descent_checks import short_number

Array = np.ndarray


def stuck_note(points: Array, step: float | None = None) -> str:
    """What a run that used all its steps was doing at the end, if it was going nowhere
    (``points``: its path, one row per step): " (it has not moved since step 2)" (Newton
    where no step along its direction lowers f, e.g. with a coarse difference quotient), and
    why where its step (``step``: η‖∇f‖ there, for an optimizer stepping so) is under the
    rounding of w's size (:data:`ROUNDED_AWAY`), or
    " (bouncing between two points since step 5)" (GD on |w1| + |w2| from (0, 0.5) at
    η = 0.1 steps over the corner and back for ever, as on x² with η = 1: a step too large
    for where it is); "" otherwise.

    Examples
    --------
    >>> import numpy as np
    >>> stuck_note(np.array([[0.5], [0.3], [0.1], [-0.1], [0.1], [-0.1], [0.1]]))
    ' (bouncing between two points since step 2)'
    >>> stuck_note(np.array([[9.0], [1.0], [2.0], [3.0], [4.0], [1.0], [2.0], [3.0], [4.0],
    ...                      [1.0], [2.0]]))
    ' (going round the same 4 points since step 1)'
    """
    rows = np.asarray(points)
    if rows.ndim != 2 or len(rows) < 3:
        return ""
    k = len(rows) - 1
    moved = np.flatnonzero(np.any(rows[1:] != rows[:-1], axis=1))
    last = int(moved[-1]) + 1 if moved.size else 0
    if last < k - 1:
        if step is not None and 0 < step <= ROUNDED_AWAY * float(np.abs(rows[last]).max()):
            # (GD on 10⁻⁵⁰·(w1² + w2²) at η = 0.1: steps of 10⁻⁵¹ on w = −0.5, where a
            # float changes by 10⁻¹⁶ at least; "it has not moved" alone read as a bug)
            return (f" (it has not moved since step {last}: each step, η‖∇f‖ = "
                    f"{short_number(step, 2)}, is too small to change w at all in floating "
                    "point)")
        return f" (it has not moved since step {last})"
    # A cycle of p points, seen whole twice and one step more at least (the shortest such):
    # GD at η = 0.1 on a mean of |errors| went round four points for 150 steps, said nowhere.
    # (only periods whose last point repeats: the readouts ask every playback frame)
    periods = [p for p in range(2, min(MAX_CYCLE, k - 1) + 1)
               if np.array_equal(rows[k - p], rows[k])]
    for p in periods:
        same = np.all(rows[p:] == rows[:-p], axis=1)  # row i + p is row i
        if len(same) < p + 1 or not same[-(p + 1):].all():
            continue
        broken = np.flatnonzero(~same)
        since = int(broken[-1]) + 1 if broken.size else 0
        if p == 2:
            return f" (bouncing between two points since step {since})"
        return f" (going round the same {p} points since step {since})"
    return ""


MAX_CYCLE = 8
ROUNDED_AWAY = 1e-16
"""A step under this share of a point's largest coordinate cannot change it (float64 holds
about 16 digits): a run so stuck says why (:func:`stuck_note`)."""
"""The longest cycle of points :func:`stuck_note` names (a run repeating exactly: a step
too large for a loss made of straight pieces)."""


CRAWL_FALL = 1e-3
"""A run that used its steps with f lower by at most this share of |f|, and its point moved
by at most :data:`CRAWL_MOVE` of its length (or of 1), was barely moving
(:func:`crawl_note`)."""
CRAWL_MOVE = 1e-2


def crawl_note(points: Array, losses: Array) -> str:
    """What a run that used all its steps was doing, if it was barely moving on ground nearly flat
    (``points``, ``losses``: its path, one row per step): " (barely moving: f fell from 1 by
    only 1.4e-8; a larger η would go faster)" (GD on 1 − exp(−w1² − w2²) from (2.5, 2.5) moved
    0.0005 in 200 steps, and from (2.2, 2.2) 0.008; it read "stopped after 200 steps", as a run
    cut short on its way; GD at η = 10⁻⁹ on Rosenbrock from (−1.5, 2) moved 3·10⁻⁵); ""
    otherwise: a run that moved further, however little f fell (1000 + w1² from w1 = 1 at η =
    0.001), or whose f fell further, however little it moved.

    Examples
    --------
    >>> import numpy as np
    >>> path = np.array([[2.5, 2.5], [2.4999, 2.4999], [2.4998, 2.4998]])
    >>> crawl_note(path, np.array([0.9999963, 0.99999629, 0.99999628]))
    ' (barely moving: f fell from 1 by only 2e-8; a larger η would go faster)'
    >>> crawl_note(path, np.array([1.0, 0.5, 0.25]))
    ''
    """
    w = np.asarray(points, dtype=float)
    f = np.asarray(losses, dtype=float)
    if w.ndim != 2 or len(w) < 3 or not (np.isfinite(w).all() and np.isfinite(f).all()):
        return ""
    fall = float(f[0] - f[-1])
    # (the way it went, not from where to where: GD on x² + y² at η = 0.9999995 swings
    # across the minimum and back, ending by its start, and read "barely moving: a larger η
    # would go faster")
    moved = float(np.linalg.norm(np.diff(w, axis=0), axis=1).sum())
    if not (0.0 <= fall <= CRAWL_FALL * max(abs(float(f[0])), abs(float(f[-1])))
            and moved <= CRAWL_MOVE * max(1.0, float(np.linalg.norm(w[0])))):
        return ""
    # (short: the runs list shows it whole; ‖∇f‖ is in the readouts beside it. From what:
    # RMSprop on w1⁴ + w2⁴ from w1 = 10⁶ read "f fell by only 8.4e18", f being 10²⁴)
    what = (f"f fell from {short_number(float(f[0]), 3)} by only {short_number(fall, 2)}"
            if fall > 0 else "f did not fall")
    return f" (barely moving: {what}; a larger η would go faster)"


DRIFT = 5.0
"""How far (times 1 + |start|) a run swinging back and forth went from its start to be
drifting away (:data:`DRIFTING`)."""
DRIFTING = (" (overshooting: it swings back and forth as it drifts away; f may have no "
            "minimum that way)")
"""The note for a run swinging while it drifts far off: "a smaller η would settle" was false
on sin(w1)·w2, which has no minimum (η ÷ 10 flew off the map), and on the lecture's loss from
(1.5, 1.5), 756 units along w1 (η ÷ 10 bounced for ever)."""
OVER_CORNER = (" (overshooting: it swings back and forth over a corner of f, where no fixed η "
               "settles; a decaying η would)")
"""The note for a run swinging over a corner (``kinked``): "a smaller η would settle" was
false there, a smaller η swinging in a smaller band for ever."""
OVER_CUSP = OVER_CORNER.replace("corner", "cusp")
"""The same over a cusp (x^(2/3) at 0), where the slope either side is steeper still."""
OVER_CORNER_DECAYING = (" (overshooting: it swings back and forth over a corner of f, less "
                        "as its η decays; more steps would settle it)")
"""The same, for a run whose η already decays (its schedule's)."""
OVER_CUSP_DECAYING = OVER_CORNER_DECAYING.replace("corner", "cusp")


def overshoot_note(points: Array, losses: Array, grad_norms: Array,
                   kinked: int = 0, decaying: bool = False) -> str:
    """What a run that used all its steps was doing in its last quarter, if it was
    overshooting (``points``, ``losses``, ``grad_norms``: its path, one row per step): f
    rising on a quarter of its steps or more (by a thousandth of f's range over the run), or
    its steps reversing (each against the one before) with f falling under a thousandth of
    that range and ∇f still a hundredth of its largest: " (overshooting: it swings back and
    forth; a smaller η would settle)". GD at η = 0.1 on x² + 10y²
    flips y between 1 and −1 for ever, f at 10 (the minimum is 0), and on the lecture's
    loss at η = 0.3 f jumped between 700 and −236; both read "stopped after 200 steps", as a
    run resting at a minimum. "" otherwise, and for a run too short to tell (20 steps).
    ``kinked``: it swings over a corner of f, 1 (:data:`OVER_CORNER` is said, or with
    ``decaying``, its η decaying, :data:`OVER_CORNER_DECAYING`), or a cusp, 2
    (:data:`OVER_CUSP`, :data:`OVER_CUSP_DECAYING`).

    Examples
    --------
    >>> import numpy as np
    >>> y = (-1.0) ** np.arange(41)
    >>> x = 0.8 ** np.arange(41)
    >>> overshoot_note(np.column_stack([x, y]), x**2 + 10 * y**2, np.hypot(2 * x, 20 * y))
    ' (overshooting: it swings back and forth; a smaller η would settle)'
    >>> overshoot_note(np.column_stack([x, 0 * x]), x**2, 2 * x)  # (falling to its minimum)
    ''
    """
    w, f = np.asarray(points, dtype=float), np.asarray(losses, dtype=float)
    g = np.asarray(grad_norms, dtype=float)
    k = len(w) - 1
    if w.ndim != 2 or k < 20 or not (np.isfinite(w).all() and np.isfinite(f).all()):
        return ""
    span = float(f.max() - f.min())
    if not span > 0:
        return ""
    q = max(10, k // 4)
    df = np.diff(f[-q - 1:])
    rises = float(np.mean(df > 1e-3 * span))
    steps = np.diff(w[-q - 1:], axis=0)
    reversals = float(np.mean(np.einsum("ij,ij->i", steps[1:], steps[:-1]) < 0))
    fell = float(f[-q - 1] - f[-1])
    still = np.isfinite(g).all() and float(g[-1]) >= 1e-2 * float(g.max())
    if rises >= 0.25 or (reversals >= 0.75 and fell < 1e-3 * span and still):
        if kinked == 2:
            return OVER_CUSP_DECAYING if decaying else OVER_CUSP
        if kinked:
            return OVER_CORNER_DECAYING if decaying else OVER_CORNER
        if np.hypot(*(w[-1] - w[0])) > DRIFT * (1.0 + np.hypot(*w[0])):
            return DRIFTING
        return " (overshooting: it swings back and forth; a smaller η would settle)"
    return ""


SETTLED_SHARE = 0.05
"""A run stepping with a quotient whose last step was at most this share of the step ∇f
itself would give (η‖∇f‖) stands where the quotient is about 0 (:func:`quotient_note`)."""


def quotient_note(quotient: str, optimizer: str, lr: float, points: Array,
                  grad_norms: Array) -> str:
    """What a run stepping with a difference quotient (``quotient``: "forward" or "central";
    "" for ∇f itself) was doing at the end, if its steps had all but stopped while ∇f had
    not: it stands where the quotient is about 0, a little off the minimum, the exact ∇f
    there being the quotient's error (forward: about h·f″/2). The lecture's loss with a
    forward quotient at h = 10⁻⁵ settled at ∇f = (−1.2·10⁻⁶, −10⁻⁵) and read "stopped after
    200 steps", as a run that failed, beside the same run with ∇f converged at step 163.
    The last step against ``lr`` times the last ‖∇f‖, for the optimizers whose step is η
    times the gradient (gradient descent, momentum, Nesterov); times ‖∇f‖ up to 1 for those
    whose step is about η whatever the gradient's size (AdaGrad, RMSprop, Adam: so settled
    they read "bouncing between two points" 10⁻¹⁵ apart and "stopped after 300 steps"). Not
    Newton's: it stands still too where no step along its direction lowers f.

    Examples
    --------
    >>> import numpy as np
    >>> settled = np.array([[1.0, 1.0], [0.5, 0.5], [0.5 + 1e-9, 0.5]])
    >>> quotient_note("forward", "gd", 0.1, settled, np.array([2.0, 1e-3, 1e-5]))[:47]
    ' (settled where the forward difference quotient'
    >>> quotient_note("", "gd", 0.1, settled, np.array([2.0, 1e-3, 1e-5]))
    ''
    """
    w = np.asarray(points, dtype=float)
    g = np.asarray(grad_norms, dtype=float)
    if not quotient or optimizer == "newton" or w.ndim != 2 or len(w) < 3 \
            or not np.isfinite(w[-2:]).all():
        return ""
    moved = float(np.hypot(*(w[-1] - w[-2])))
    scale = float(g[-1]) if optimizer in ("gd", "momentum", "nesterov") \
        else min(float(g[-1]), 1.0)
    if not (np.isfinite(g[-1]) and g[-1] > 0 and moved <= SETTLED_SHARE * lr * scale):
        return ""
    return (f" (settled where the {quotient} difference quotient is 0, a little off the "
            "minimum: ∇f there is the quotient's error)")
