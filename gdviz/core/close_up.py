"""The Gradient tab's close-up: how wide a window about the point shows the contour through
it as a teacher wants it — near enough to a line to see ∇f at right angles to it, without
the rest of the loss crowding in (a circle 0.002 across in a close-up ±0.9 wide; seven loops
of the lecture's loss far out at (50, −30), where the map had grown to ±75).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # (sympy: only for the type)
    from gdviz.core.loss import Loss

MOST_CROSSINGS = 6
"""The most times f may cross its value at the point along the line through it in ∇f's
direction, within the close-up (a line-like contour: once; Rastrigin's bumps at its start:
5–6, as they were); beyond, the close-up is halved until it does not."""
SAMPLES = 401
"""Samples of f along that line."""


def feature_scale(loss: Loss, point, h: float) -> float:
    """How far from ``point`` the loss's shape changes: ‖∇f‖ / the largest curvature there
    (for a bowl, the distance to its bottom; ``inf`` where f is nearly linear or undefined).

    The curvature comes from differences of the compiled gradient ``h`` apart (the Hessian's
    own code may not be compiled yet, and compiling it on the GUI thread could stall it).

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> round(feature_scale(parse_loss("x^2 + y^2"), (0.003, 0.004), 1e-6), 6)
    0.005
    """
    a, b = float(point[0]), float(point[1])
    with np.errstate(all="ignore"):
        g0 = np.array([float(v) for v in loss.gradient(a, b)])
        ga = np.array([float(v) for v in loss.gradient(a + h, b)])
        gb = np.array([float(v) for v in loss.gradient(a, b + h)])
        hessian = np.column_stack([(ga - g0) / h, (gb - g0) / h])
        hessian = 0.5 * (hessian + hessian.T)
        norm = float(np.hypot(*g0))
        defined = math.isfinite(float(loss.value(a, b)))
        if not (defined and np.isfinite(hessian).all() and math.isfinite(norm)):
            return math.inf
        curvature = float(np.abs(np.linalg.eigvalsh(hessian)).max())
    return norm / curvature if curvature > 0 else math.inf


def contour_close_up(loss: Loss, point, half_width: float, tangent_share: float,
                     tangent=None) -> float:
    """The close-up's half-width at ``point``: ``half_width``, unless the contour through the
    point is too small there to be traced as a line (within ``half_width * tangent_share``)
    and f changes shape nearer: then 20 :func:`feature_scale` (1e9·(x² + y²) at
    (1e-3, 2e-3): a circle 0.002 across in a close-up ±0.9 wide); halved while f crosses
    its value there more than :data:`MOST_CROSSINGS` times along ∇f (:func:`crossings`:
    the lecture's loss at (50, −30) showed seven loops in ±22.5). ``tangent``: the
    :func:`gdviz.core.calculus.contour_tangent` to use (the caller's, remembering its
    result for the same point)."""
    if tangent is None:
        from gdviz.core.calculus import contour_tangent as tangent  # (needs sympy's Loss)

    scale = feature_scale(loss, point, 1e-5 * half_width)
    if 0 < 20.0 * scale < half_width \
            and tangent(loss, point, half_width * tangent_share) is None:
        return 20.0 * scale
    while half_width > 1e-9 * (1.0 + max(abs(float(v)) for v in point)) \
            and crossings(loss, point, half_width) > MOST_CROSSINGS:
        half_width *= 0.5  # (the lecture's loss far out: seven loops in the close-up)
    return half_width


def crossings(loss: Loss, point, half_width: float) -> int:
    """How many times f crosses its value at ``point`` along the line through it in ∇f's
    direction, within ``half_width`` of it (0 where ∇f is 0 or undefined).

    Examples
    --------
    >>> from gdviz.core.loss import parse_loss
    >>> crossings(parse_loss("x^2 + y^2"), (1.0, 0.0), 0.5)  # (a line-like contour)
    1
    >>> crossings(parse_loss("sin(w1)*w2*(1-w2)"), (50.0, -30.0), 22.5)
    14
    """
    a, b = float(point[0]), float(point[1])
    with np.errstate(all="ignore"):
        g = np.array([float(v) for v in loss.gradient(a, b)])
        norm = float(np.hypot(*g))
        if not (math.isfinite(norm) and norm > 0):
            return 0
        d = g / norm
        s = np.linspace(-half_width, half_width, SAMPLES)
        f = np.asarray(loss.value(a + s * d[0], b + s * d[1]), dtype=float) \
            - float(loss.value(a, b))
    signs = np.sign(f[np.isfinite(f) & (f != 0)])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))
