"""What a stationary point a run stopped at, or beside, is: a minimum, a saddle or a
maximum, by the curvatures there, f about it where one is 0, and the stationary point next to
it where they are not its own (:func:`kind_near`, :func:`kind_at`)."""

from __future__ import annotations

import math

import numpy as np

Array = np.ndarray


NO_MINIMUM_KINDS = ("saddle", "maximum", "ridge")
"""The kinds of stationary point that are no minimum (:func:`kind_near`)."""
SOFT_RATIO = 1e-2
"""A minimum's curvatures this unequal or more (the smaller under this share of the larger)
are judged again at the stationary point the run stopped beside (:func:`_kind_nearby`)."""


def kind_near(loss, w: Array, f: float, hessian=None) -> str | None:
    """What a run that stopped at ``w`` (f there, its ``hessian`` if known) stopped at:
    "minimum", "saddle" (or "maximum", "ridge"), by the curvatures there, f about it where one is 0,
    and the stationary point beside it where they are not its own (:func:`_kind_nearby`);
    None where none of them can tell.

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> loss = parse_loss("x^3 + y^3")  # (Newton's end from (1, 1): curvatures 0.0015, 0.0015)
    >>> kind_near(loss, np.array([2.4e-4, 2.4e-4]), float(loss.value(2.4e-4, 2.4e-4)))
    'saddle'
    """
    from gdviz.core.special_points import curvature_kind, flat_kind, hessian_at

    hessian = hessian_at(loss, w) if hessian is None else hessian
    kind = curvature_kind(hessian)
    if kind is None and hessian is not None:  # (a curvature of 0: f along it tells; x² + y³
        kind = flat_kind(loss, w, f, hessian)  # at the origin read "converged", as at a minimum)
    if kind in ("minimum", None) and _kind_nearby(loss, w, hessian) in NO_MINIMUM_KINDS:
        # (x² + y³ from (1, 0.5): stopped 5·10⁻⁴ above the flat saddle; x³ + y³ by Newton
        # 2.4·10⁻⁴ from the origin, curvatures equal and positive; x³ beside its flat line)
        kind = "saddle"
    return kind


def _kind_nearby(loss, w: Array, hessian) -> str | None:
    """The kind of the stationary point next to ``w``, where a run stopped once ∇f fell
    under its tolerance, by Newton's steps on ∇f = 0 (at most 60, within ten times the first
    step's length of ``w``); None where they cannot get there. Only for a minimum whose
    curvatures are very unequal (:data:`SOFT_RATIO`): beside a flat saddle the softer one
    is its own, not 0 (x² + y³ from (1, 0.5) stopped 5·10⁻⁴ above the origin: curvatures 2
    and 0.003, "a minimum"), while a shallow minimum keeps it (x² + 10⁻³y² + y³ at the
    origin, with f falling 0.01 further on: a minimum, not a saddle).

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> from gdviz.core.special_points import hessian_at
    >>> def kind(text, at):
    ...     loss = parse_loss(text)
    ...     return _kind_nearby(loss, np.array(at), hessian_at(loss, at))
    >>> kind("x^2 + y^3", (1e-7, 5e-4)), kind("x^2 + 0.001*y^2 + y^3", (1e-7, 5e-4))
    ('saddle', 'minimum')
    """
    from gdviz.core.special_points import hessian_at

    if hessian is None:
        return None
    curvatures = np.linalg.eigvalsh(hessian)
    if not (float(np.abs(curvatures).min()) < SOFT_RATIO * float(np.abs(curvatures).max())
            or _unsteady(loss, w, hessian)):
        return "minimum"
    p, reach = np.asarray(w, dtype=float).copy(), None
    with np.errstate(all="ignore"):
        for _ in range(60):
            h = hessian_at(loss, p)
            g = np.array([float(v) for v in loss.gradient(*p)])
            if h is None or not np.isfinite(g).all():
                return None
            # (least squares: along a curvature of 0 no step, x³'s flat line y = anything)
            step = np.linalg.lstsq(h, g, rcond=None)[0]
            # Within ten first steps of the end, where that point is (curvatures from
            # differences are a rough guide far out: on the lecture's loss at w1 = 90,150,
            # 9 apart, the steps wandered 9000 off to a "maximum")
            if reach is None and not np.hypot(*step) <= 0.01 * (1.0 + float(np.hypot(*w))):
                return None  # (none next to w: 10⁻⁹·(x² + y³) stopped at (1, 0) by its slope)
            reach = 10.0 * float(np.hypot(*step)) if reach is None else reach
            p = p - step
            if not (np.isfinite(p).all() and np.hypot(*(p - w)) <= reach):
                return None
            if np.hypot(*step) <= 1e-13 * (1.0 + float(np.abs(p).max())):
                break
    return kind_at(loss, p)


def kind_at(loss, p: Array) -> str | None:
    """"minimum", "maximum" or "saddle" for the stationary point ``p``, by its curvatures
    where they tell, else by f about it (:func:`gdviz.core.special_points.flat_kind`); None
    where neither can (f or its curvatures not defined there, a valley's floor).

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> [kind_at(parse_loss(t), np.zeros(2)) for t in ("x^2 + y^2", "x^2 + y^3", "x^3 + y^3")]
    ['minimum', 'saddle', 'saddle']
    """
    from gdviz.core.special_points import curvature_kind, flat_kind, hessian_at

    with np.errstate(all="ignore"):
        h, value = hessian_at(loss, p), float(loss.value(*p))
    if h is None or not math.isfinite(value):
        return None
    if _negligible_curvature(loss, p, value, h):
        return flat_kind(loss, p, value, np.zeros((2, 2)))  # (f round it decides)
    kind = curvature_kind(h)
    return kind if kind is not None else flat_kind(loss, p, value, h)


def _negligible_curvature(loss, p: Array, value: float, hessian) -> bool:
    """Whether f's curvatures at the stationary point ``p`` (f = ``value`` there) account
    for under a tenth of how f varies on a circle a tenth of its scale round it: they do
    not tell its kind (x³ + y³'s origin: 6·10⁻¹³ and 6·10⁻¹³ from differences, "a minimum",
    where f falls by 10⁻³ one way and rises the other)."""
    reach = 0.1 * (1.0 + float(np.abs(p).max()))
    angles = np.linspace(0.0, 2 * math.pi, 16, endpoint=False)
    with np.errstate(all="ignore"):
        shape = float(np.abs(loss.value(p[0] + reach * np.cos(angles),
                                        p[1] + reach * np.sin(angles)) - value).max())
    bend = float(np.abs(np.linalg.eigvalsh(hessian)).max()) * reach**2 / 2
    return math.isfinite(shape) and bend < 0.1 * shape


def _unsteady(loss, w: Array, hessian) -> bool:
    """Whether f's curvatures at ``w`` change by a quarter or more on the way to where
    Newton's step from ``w`` says ∇f is 0: there they are not the stationary point's own
    (x³ + y³ 2.4·10⁻⁴ from the origin curves up alike both ways, and half as much at the
    point Newton's step aims for), where at a quadratic minimum they hold all the way."""
    from gdviz.core.special_points import hessian_at

    with np.errstate(all="ignore"):
        g = np.array([float(v) for v in loss.gradient(*w)])
        if not np.isfinite(g).all():
            return False
        aim = hessian_at(loss, np.asarray(w, float) - np.linalg.lstsq(hessian, g, rcond=None)[0])
    return aim is None or bool(np.abs(aim - hessian).max() > 0.25 * np.abs(hessian).max())


def _negligible_bend(loss, start: Array, w: Array, f: float, hessian, tol: float) -> bool:
    """Whether the curvatures ``hessian`` at ``w`` keep ∇f under the run's tolerance ``tol``
    across the point's scale (1 + ‖w‖), for a run that fell from ``start`` to get there: f
    is flat there at the run's resolution, and their signs tell nothing of a saddle or a
    maximum. (Measured against how far f fell instead, x² − y² from (2000, 0) read "flat".)"""
    with np.errstate(all="ignore"):
        fell = float(np.asarray(loss.value(*np.asarray(start, float)), float)) - f
    if hessian is None or not (math.isfinite(fell) and fell > 0 and tol > 0):
        return False
    bend = float(np.abs(np.linalg.eigvalsh(hessian)).max())
    return bend * (1.0 + float(np.hypot(*w))) <= tol
