"""Finite-difference derivatives: the numerical side of "numerical versus exact"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # needs sympy; only a type hint here
    from gdviz.core.loss import Loss


Array = np.ndarray


def forward_gradient(loss: Loss, a, b, h: float) -> tuple[Array, Array]:
    """Forward differences ((f(a+h, b) - f(a, b)) / h, (f(a, b+h) - f(a, b)) / h)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    f0 = loss.value(a, b)
    with np.errstate(all="ignore"):
        return (loss.value(a + h, b) - f0) / h, (loss.value(a, b + h) - f0) / h


def central_gradient(loss: Loss, a, b, h: float) -> tuple[Array, Array]:
    """Central differences ((f(a+h, b) - f(a-h, b)) / 2h, likewise for b)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(all="ignore"):
        da = (loss.value(a + h, b) - loss.value(a - h, b)) / (2 * h)
        db = (loss.value(a, b + h) - loss.value(a, b - h)) / (2 * h)
    return da, db


def difference_quotients(f, x: float, hs: Array) -> tuple[Array, Array]:
    """Forward and central difference quotients of a 1-D function at ``x`` for each h.

    Parameters
    ----------
    f
        Vectorized function of one variable.
    x
        Where to differentiate.
    hs
        Step sizes.

    Returns
    -------
    forward, central : ndarray
    """
    hs = np.asarray(hs, dtype=np.float64)
    with np.errstate(all="ignore"):
        # Divide by h itself (not the representable step (x + h) - x): this is the quotient
        # students write, and its error curve shows truncation and round-off as taught.
        fx = f(np.full_like(hs, x))
        fwd = (f(x + hs) - fx) / hs
        cen = (f(x + hs) - f(x - hs)) / (2 * hs)
    return fwd, cen
