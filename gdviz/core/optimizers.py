"""Gradient-descent optimizers, vectorized over many runs at once.

Every optimizer works on an ``(N, 2)`` array of points and keeps its state as ``(N, 2)``
arrays, so N runs advance together with no Python loop over runs. Each also carries its update
equations in LaTeX for display, and names the state it keeps so views can draw it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Array = np.ndarray
GradFn = Callable[[Array], Array]  # (N, 2) points -> (N, 2) gradients
HessFn = Callable[[Array], Array]  # (N, 2) points -> (N, 2, 2) Hessians
ValueFn = Callable[[Array], Array]  # (N, 2) points -> (N,) losses


@dataclass(frozen=True)
class Optimizer:
    """Description of one optimizer: its name, defaults, equations and state.

    Attributes
    ----------
    name : str
        Short name used by the API and command line (``"adam"``).
    label : str
        Name for people (``"Adam"``).
    lr : float
        Default learning rate.
    hyper : dict[str, float]
        Hyperparameters it uses, with their defaults (``momentum``, ``rho``, ``beta1``, …).
    equations : tuple[str, ...]
        The update, one LaTeX line each.
    state : tuple[str, ...]
        Names of the per-run state vectors recorded in a trajectory (``"velocity"``, …).
    """

    name: str
    label: str
    lr: float
    hyper: dict[str, float] = field(default_factory=dict)
    equations: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    description: str = ""


_G = r"\nabla f(w_k)"
OPTIMIZERS: dict[str, Optimizer] = {
    o.name: o
    for o in (
        Optimizer("gd", "Gradient descent", 0.1, {},
                  (rf"w_{{k+1}} = w_k - \eta\,{_G}",), (),
                  "Step against the gradient, scaled by the learning rate."),
        Optimizer("momentum", "Momentum", 0.05, {"momentum": 0.9},
                  (rf"v_{{k+1}} = \mu\,v_k - \eta\,{_G}", r"w_{k+1} = w_k + v_{k+1}"),
                  ("velocity",), "A heavy ball: past steps keep it rolling."),
        Optimizer("nesterov", "Nesterov momentum", 0.05, {"momentum": 0.9},
                  (r"v_{k+1} = \mu\,v_k - \eta\,\nabla f(w_k + \mu\,v_k)",
                   r"w_{k+1} = w_k + v_{k+1}"),
                  ("velocity",), "Momentum that looks ahead before it steps."),
        Optimizer("adagrad", "AdaGrad", 0.5, {"eps": 1e-8},
                  (rf"G_{{k+1}} = G_k + ({_G})^2",
                   rf"w_{{k+1}} = w_k - \eta\,{_G} / (\sqrt{{G_{{k+1}}}} + \epsilon)"),
                  ("accumulator",), "Per-coordinate steps that shrink with past gradients."),
        Optimizer("rmsprop", "RMSprop", 0.05, {"rho": 0.9, "eps": 1e-8},
                  (rf"s_{{k+1}} = \rho\,s_k + (1-\rho)({_G})^2",
                   rf"w_{{k+1}} = w_k - \eta\,{_G} / (\sqrt{{s_{{k+1}}}} + \epsilon)"),
                  ("accumulator",), "Per-coordinate steps scaled by recent gradient size."),
        Optimizer("adam", "Adam", 0.1, {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
                  (rf"m_{{k+1}} = \beta_1 m_k + (1-\beta_1){_G}",
                   rf"v_{{k+1}} = \beta_2 v_k + (1-\beta_2)({_G})^2",
                   # (one line each: together they were cut in a 1280 × 720 window's sidebar)
                   r"\hat m = m_{k+1}/(1-\beta_1^{k+1})",
                   r"\hat v = v_{k+1}/(1-\beta_2^{k+1})",
                   r"w_{k+1} = w_k - \eta\,\hat m / (\sqrt{\hat v} + \epsilon)"),
                  ("first_moment", "second_moment"),
                  "Momentum plus per-coordinate scaling, bias-corrected."),
        Optimizer("newton", "Newton", 1.0, {},
                  (r"w_{k+1} = w_k - t_k\,|H|^{-1}\nabla f(w_k)",
                   r"t_k = \eta, \eta/2, \eta/4, \ldots",
                   r"\text{(the first that does not raise } f)",
                   # (|H| read as the determinant to a class: ∇f over det H, a wrong rule)
                   r"|H|\text{: } H \text{ with each eigenvalue } \lambda \text{ as } |\lambda|"),
                  (), "Uses curvature (the Hessian). Where H is not positive definite its "
                      "negative curvature is flipped, so each step goes downhill, away from a "
                      "maximum or saddle where f curves down (started on the line into a "
                      "saddle it still stops there); a curvature under 10⁻⁸ of the largest "
                      "counts as that (the step along it a guess: the step without it is "
                      "taken where it lowers f more), a step is at most 1000·(1 + ‖w‖), "
                      "and a step that "
                      "would raise f is halved until it does not."),
    )
}  # fmt: skip

HYPER_NAMES = ("momentum", "rho", "beta1", "beta2", "eps")
NEWTON_REACH = 1e3
"""Newton's longest step, in units of 1 + ‖w‖ (:func:`within_reach`)."""
NEWTON_FLOOR = 1e-8
"""Newton's smallest curvature, as a share of the largest (:func:`newton_direction`)."""


def newton_direction(g: Array, h: Array, curved_only: bool = False) -> tuple[Array, Array]:
    """Newton direction with the Hessian's eigenvalues λ replaced by max(|λ|, δ), per run.

    Where the Hessian is positive definite (and not nearly singular) this is the pure Newton
    step H⁻¹∇f. Where it is indefinite, negative curvature is flipped (|λ|), so the step still
    goes downhill, away from a saddle or a maximum along the directions where f curves down
    ("saddle-free Newton"; started on the line into a saddle it still stops there); where it is
    nearly singular, δ = 10⁻⁸·max|λ| caps the step along the flat direction. (δ was
    10⁻³·(1 + max|λ|): its "1 +" capped every curvature of a flat bowl, 10⁻⁶·(x² + y²) took
    hundreds of steps, and its 10⁻³ every curvature 1,000 times below the largest one,
    x² + 10⁴y² took 145: the lesson is that Newton's step does not mind the scale.)

    With ``curved_only`` the parts along the nearly singular directions (curvature under δ)
    are left out: the step within the directions whose curvature Newton can trust
    (:func:`step`).

    Returns
    -------
    direction : (N, 2) array
        Solve of the modified system; the update is ``w - lr * direction``.
    modified : (N,) bool array
        True where the Hessian was changed (not positive definite, or nearly singular).
    """
    cos, sin, l1, l2 = _eigen(h)
    # (and 10⁻¹² of ‖∇f‖: with no curvature at all the step stays finite; within_reach caps it)
    delta = np.maximum(NEWTON_FLOOR * np.maximum(np.abs(l1), np.abs(l2)),
                       np.maximum(1e-12 * np.hypot(g[:, 0], g[:, 1]), 1e-300))
    m1 = np.maximum(np.abs(l1), delta)
    m2 = np.maximum(np.abs(l2), delta)
    p1 = (cos * g[:, 0] + sin * g[:, 1]) / m1
    p2 = (-sin * g[:, 0] + cos * g[:, 1]) / m2
    if curved_only:
        p1, p2 = np.where(np.abs(l1) < delta, 0.0, p1), np.where(np.abs(l2) < delta, 0.0, p2)
    direction = np.stack([cos * p1 - sin * p2, sin * p1 + cos * p2], axis=1)
    modified = (l1 < delta) | (l2 < delta)
    return direction, modified


def step(name: str, w: Array, g: Array, state: dict[str, Array], k: int, lr: Array | float,
         hyper: dict[str, float], grad_fn: GradFn, hess_fn: HessFn | None,
         f: Array | None = None, value_fn: ValueFn | None = None) -> Array:
    """Advance every run by one step; update ``state`` in place; return the new points.

    Parameters
    ----------
    name
        Optimizer name (a key of :data:`OPTIMIZERS`).
    w, g
        Points and their gradients, ``(N, 2)``.
    state
        The optimizer's state arrays (see :attr:`Optimizer.state`), ``(N, 2)`` each.
    k
        Step index, from 0.
    lr
        Learning rate for this step (scalar or ``(N, 1)``).
    hyper
        Hyperparameters, defaults filled in.
    grad_fn, hess_fn
        Gradient (for Nesterov's look-ahead) and Hessian (for Newton) of the loss.
    f, value_fn
        The loss at ``w`` and the loss itself (Newton's step halving, :func:`backtrack`);
        without them Newton takes the full step.
    """
    if name == "newton":
        assert hess_fn is not None
        h = hess_fn(w)
        d, _ = newton_direction(g, h)
        new = backtrack(w, within_reach(w, d), lr, f, value_fn)
        # (only where a curvature is nearly 0: a flipped negative one, a saddle's, is trusted
        # as it is, and a second search there found the same step)
        flat = np.flatnonzero(nearly_singular(h))
        if flat.size and f is not None and value_fn is not None:
            rate = lr if np.ndim(lr) == 0 else np.asarray(lr)[flat]
            new[flat] = _trusted_step(w[flat], g[flat], h[flat], new[flat], rate, f[flat],
                                      value_fn)
        return new

    if name == "nesterov":
        g = grad_fn(look_ahead(w, state, hyper))
    return update(name, w, g, state, k, lr, hyper)


def _eigen(h: Array) -> tuple[Array, Array, Array, Array]:
    """The symmetric 2×2 matrices ``h`` (``(N, 2, 2)``) decomposed in closed form
    (vectorized): the rotation's cosine and sine, and the two eigenvalues."""
    a, b, c = h[:, 0, 0], h[:, 0, 1], h[:, 1, 1]
    theta = 0.5 * np.arctan2(2.0 * b, a - c)
    # (a diagonal Hessian's axes exactly: cos(π/2) = 6·10⁻¹⁷ over a curvature of 0 sent
    # Newton 6·10⁻⁹ along w1 on 0·w1 + w2², the loss not depending on it)
    diagonal = b == 0
    cos = np.where(diagonal, (a >= c) | ~(a < c), np.cos(theta))
    sin = np.where(diagonal, a < c, np.sin(theta))
    l1 = a * cos * cos + 2.0 * b * sin * cos + c * sin * sin
    l2 = a * sin * sin - 2.0 * b * sin * cos + c * cos * cos
    return cos, sin, l1, l2


def nearly_singular(h: Array) -> Array:
    """Per run, whether the Hessian ``h`` (``(N, 2, 2)``) has a curvature under δ, as
    :func:`newton_direction` floors it (its ∇f part of δ aside)."""
    with np.errstate(all="ignore"):
        _, _, l1, l2 = np.abs(_eigen(h))
        return np.minimum(l1, l2) < NEWTON_FLOOR * np.maximum(l1, l2)


def _trusted_step(w: Array, g: Array, h: Array, new: Array, lr: Array | float, f: Array,
                  value_fn: ValueFn) -> Array:
    """Newton's points ``new`` from ``w``, where the Hessian is nearly singular, or the step
    within the directions it curves along alone where that lowers f more.

    Along a direction with no curvature the step (1/δ, capped by :func:`within_reach`) is a
    guess, and halving the whole step until f does not rise shrank the other direction's
    part with it: on |w1| + w2² Newton crept 10⁻⁵ a step along w2 and stopped at w2 = 1,
    f = 1, where its step along w2 alone solves w2² at once. Where that guess lowers f the
    more (the sigmoid's plateau, the plane x + 2y), it is kept.
    """
    trusted = backtrack(w, within_reach(w, newton_direction(g, h, curved_only=True)[0]),
                        lr, f, value_fn)
    with np.errstate(all="ignore"):
        better = value_fn(trusted) < value_fn(new)
    return np.where(better[:, None], trusted, new)


def within_reach(w: Array, d: Array) -> Array:
    """Newton's steps ``d`` shortened, per run, to at most :data:`NEWTON_REACH`·(1 + ‖w‖).

    Where f has no curvature at all (abs(x) + abs(y), x + 2y) the step H⁻¹∇f has no length
    to speak of: 10³⁰⁰·∇f, which 30 halvings could not bring back, and the run stood still or
    jumped to 10³⁰⁰. A bowl's Newton step, to its bottom, is far shorter than the cap.
    """
    reach = NEWTON_REACH * (1.0 + np.hypot(w[:, 0], w[:, 1]))
    length = np.hypot(d[:, 0], d[:, 1])
    with np.errstate(all="ignore"):
        scale = np.where(length > reach, reach / length, 1.0)
    return d * scale[:, None]


HALVINGS = 30
"""How often :func:`backtrack` halves a step before it gives up (the run then stays put)."""


def backtrack(w: Array, d: Array, lr: Array | float, f: Array | None,
              value_fn: ValueFn | None) -> Array:
    """``w − t·d`` with ``t = lr, lr/2, lr/4, …``, per run, the first that does not raise f.

    Newton's full step trusts the quadratic model of the loss; far from a minimum (the
    lecture's loss, Rosenbrock's valley) it can jump off the map and raise the loss a
    thousandfold. Halving until the loss does not rise keeps every step downhill (what is
    taught as damped Newton); near a minimum the full step is taken and the method keeps its
    speed. A run whose loss no step of :data:`HALVINGS` halvings lowers stays where it is; one
    whose loss is not finite at ``w`` takes the full step (the descent then reports it).
    """
    t = np.broadcast_to(np.asarray(lr, dtype=np.float64), (len(w), 1)).copy()
    new = w - t * d
    if value_fn is None or f is None or not len(w):
        return new
    with np.errstate(all="ignore"):
        higher = ~(value_fn(new) <= f) & np.isfinite(f)  # (NaN is higher)
        for _ in range(HALVINGS):
            idx = np.flatnonzero(higher)
            if not len(idx):
                return new
            t[idx] *= 0.5
            new[idx] = w[idx] - t[idx] * d[idx]
            higher[idx] = ~(value_fn(new[idx]) <= f[idx])
    new[higher] = w[higher]
    return new


def look_ahead(w, state: dict, hyper: dict[str, float]):
    """Where Nesterov momentum takes its gradient: ``w + μ v``."""
    return w + hyper["momentum"] * state["velocity"]


def update(name: str, w, g, state: dict, k: int, lr, hyper: dict[str, float], sqrt=np.sqrt):
    """The update of every optimizer but Newton, coordinate by coordinate.

    Each is elementwise, so the same lines serve ``(N, 2)`` arrays and one coordinate of one
    run held as float64 scalars (:mod:`gdviz.core.descent_scalar`). For Nesterov momentum,
    ``g`` is the gradient at :func:`look_ahead`. ``state`` is updated in place.
    """
    if name == "gd":
        return w - lr * g
    if name in ("momentum", "nesterov"):
        v = hyper["momentum"] * state["velocity"] - lr * g
        state["velocity"] = v
        return w + v
    if name == "adagrad":
        acc = state["accumulator"] + g * g
        state["accumulator"] = acc
        return w - lr * g / (sqrt(acc) + hyper["eps"])
    if name == "rmsprop":
        rho = hyper["rho"]
        acc = rho * state["accumulator"] + (1 - rho) * g * g
        state["accumulator"] = acc
        return w - lr * g / (sqrt(acc) + hyper["eps"])
    if name == "adam":
        # The same operations in the same order as m = b1·m + (1 − b1)·g and so on, with
        # augmented assignments to fresh temporaries: arrays of many runs are then updated in
        # place (fewer megabyte temporaries), scalars just rebound.
        b1, b2 = hyper["beta1"], hyper["beta2"]
        m = b1 * state["first_moment"]
        m += (1 - b1) * g
        v = (1 - b2) * g
        v *= g
        v = b2 * state["second_moment"] + v
        state["first_moment"], state["second_moment"] = m, v
        m_hat = m / (1 - b1 ** (k + 1))
        v_hat = v / (1 - b2 ** (k + 1))
        shift = lr * m_hat
        root = sqrt(v_hat)
        root += hyper["eps"]
        shift /= root
        return w - shift
    raise ValueError(f"unknown optimizer {name!r}")


def resolve(name: str, hyper: dict[str, float]) -> tuple[Optimizer, dict[str, float]]:
    """Check an optimizer name and hyperparameters; fill in defaults.

    Raises
    ------
    ValueError
        For an unknown optimizer, an unknown hyperparameter, or a value out of range.
    """
    key = str(name).lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer '{name}' (choose from {', '.join(OPTIMIZERS)})")
    opt = OPTIMIZERS[key]
    unknown = [h for h in hyper if h not in HYPER_NAMES]
    if unknown:
        raise ValueError(f"unknown hyperparameter '{unknown[0]}' "
                         f"(known: {', '.join(HYPER_NAMES)})")
    values = dict(opt.hyper)
    values.update({k: float(v) for k, v in hyper.items() if k in opt.hyper})
    for k, v in values.items():
        if not np.isfinite(v):
            raise ValueError(f"{k} must be a finite number")
        if k in ("momentum", "rho", "beta1", "beta2") and not 0 <= v < 1:
            raise ValueError(f"{k} must be in [0, 1), got {v:g}")
        if k == "eps" and v <= 0:
            raise ValueError(f"eps must be positive, got {v:g}")
    return opt, values
