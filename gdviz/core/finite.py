"""Finite-difference derivatives: the numerical side of "numerical versus exact"."""

from __future__ import annotations

import math
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


def slice_values(f, x: float, hs: Array) -> tuple[Array, Array, Array]:
    """``(f(x + h), f(x − h), f(x))`` for each h of ``hs``: what the difference quotients and
    their rounding bounds are made of, each evaluated once."""
    hs = np.asarray(hs, dtype=np.float64)
    with np.errstate(all="ignore"):
        return f(x + hs), f(x - hs), f(np.full_like(hs, x))


def difference_quotients(f, x: float, hs: Array,
                         values: tuple[Array, Array, Array] | None = None
                         ) -> tuple[Array, Array]:
    """Forward and central difference quotients of a 1-D function at ``x`` for each h.

    Parameters
    ----------
    f
        Vectorized function of one variable.
    x
        Where to differentiate.
    hs
        Step sizes.
    values
        :func:`slice_values` of ``f``, ``x`` and ``hs``, where already worked out.

    Returns
    -------
    forward, central : ndarray
    """
    hs = np.asarray(hs, dtype=np.float64)
    ahead, behind, here = values if values is not None else slice_values(f, x, hs)
    with np.errstate(all="ignore"):
        # Divide by h itself (not the representable step (x + h) - x): this is the quotient
        # students write, and its error curve shows truncation and round-off as taught.
        fwd = (ahead - here) / hs
        cen = (ahead - behind) / (2 * hs)
    return fwd, cen


def roundoff_bounds(f, x: float, hs: Array, slope: float,
                    values: tuple[Array, Array, Array] | None = None) -> tuple[Array, Array]:
    """The error rounding alone can give the forward and central quotients at each h.

    Each value of f is rounded to within an ulp of itself, and x ± h to within half an ulp
    of x (the quotients divide by h itself, not by the step the rounded x ± h took, which
    costs |slope| times that half ulp, over h): ε·(|f(x+h)| + |f(x)|)/h + ε·|x·slope|/(2h)
    for the forward quotient, ε·(|f(x+h)| + |f(x−h)|)/(2h) + ε·|x·slope|/(2h) for the
    central. A quotient whose error stays within a few times this at every h has no
    truncation error to speak of: near a quadratic's minimum the central quotient's error
    (all rounding of the small values there) is least at a middle h, and the plot said
    "best h ≈ 0.02" and named a truncation error that is not there.

    Examples
    --------
    >>> hs = np.array([1.0, 1e-8])
    >>> fwd, cen = roundoff_bounds(lambda x: x * x, 0.01, hs, 0.02)
    >>> bool(cen[1] > cen[0])  # (the values are tiny: rounding grows as h shrinks)
    True
    """
    eps = float(np.finfo(np.float64).eps)
    hs = np.asarray(hs, dtype=np.float64)
    with np.errstate(all="ignore"):  # (``values``: :func:`slice_values`, if worked out)
        up, down, here = (np.abs(v) for v in (values if values is not None
                                              else slice_values(f, x, hs)))
        step = eps * abs(x * slope) / (2 * hs)
        return eps * (up + here) / hs + step, eps * (up + down) / (2 * hs) + step


def partial_with_rounding(loss: Loss, point, axis: int, exact: float) -> tuple[float, float]:
    """The exact partial ``exact`` (its formula, in float64) checked against the same formula
    in numpy's long double (18 digits where the machine has them, x86's): ``(value,
    unsure)``, where ``unsure`` is the relative error left (0 where the two agree, or where
    there is no long double). The formula may lose digits to rounding where its terms
    cancel: (1 − cos x)/x²'s derivative at x = 10⁻³ is right to 3 digits in float64
    (−8.3317…·10⁻⁵ for −8.3333…·10⁻⁵), and the h → 0 tab showed all thirteen as exact.

    Examples
    --------
    >>> import math
    >>> from gdviz.core.loss import parse_loss
    >>> exact = 2 * math.cos(0.5)  # (∂f/∂x of sin(x)·y at (0.5, 2): nothing lost)
    >>> partial_with_rounding(parse_loss("sin(x)*y"), (0.5, 2.0), 0, exact) == (exact, 0.0)
    True
    """
    extra = np.finfo(np.longdouble).eps
    fg = getattr(loss, "_fg", None)
    if extra >= np.finfo(np.float64).eps or fg is None or not math.isfinite(exact):
        return exact, 0.0
    from gdviz.core.descent_scalar import compile_scalar

    with np.errstate(all="ignore"):
        long = compile_scalar(fg)(np.longdouble(point[0]), np.longdouble(point[1]))[1 + axis]
        if not np.isfinite(long) or long == 0:
            return exact, 0.0
        apart = float(abs((long - np.longdouble(exact)) / long))
    if apart <= 64 * np.finfo(np.float64).eps:  # (float64's own rounding: nothing lost)
        return exact, 0.0
    # The long double loses about as many digits as float64 did, from its 2048 times finer
    # ones (16 times that, to be safe: (1 − cos x)/x²'s is off by 6·10⁻⁷, estimated 9·10⁻⁸).
    return float(long), float(max(16 * apart * float(extra) / np.finfo(np.float64).eps,
                                  np.finfo(np.float64).eps))
