"""The settings :func:`gdviz.core.descent.descend` is given, checked and said in gdviz's own
words: ``steps=nan`` said "cannot convert float NaN to integer", ``start="1,2"`` "could not
convert string to float", a complex start raised ``TypeError``, ``seed=-1`` was numpy's
message; ``steps=2.5`` ran two steps and ``lr="0.1"`` or ``lr=True`` ran without a word."""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np


def a_loss(loss):
    """``loss`` if it is a loss (it has ``value_and_gradient``), else a TypeError that says
    what to pass (``descend("x^2", …)`` failed inside with "'str' object has no attribute
    'value_and_gradient'")."""
    if not callable(getattr(loss, "value_and_gradient", None)):
        raise TypeError(f"descend needs a loss from parse_loss (e.g. parse_loss('x^2 + y^2')), "
                        f"not {type(loss).__name__}")
    return loss


def real(value, what: str) -> float:
    """``value`` as a float, refused unless it is a real number (not text, not a bool; a
    0-d numpy array is its number)."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{what} must be a number (got {_shown(value)})")
    try:
        return float(value)
    except OverflowError:  # (an int of 400 digits)
        return math.inf if value > 0 else -math.inf


def whole(value, what: str, low: int, high: int) -> int:
    """``value`` as an int from ``low`` to ``high``, refused unless it is a whole number."""
    number = real(value, what)
    if not (math.isfinite(number) and number.is_integer()) or not low <= number <= high:
        raise ValueError(f"{what} must be a whole number from {low:,} to {high:,} "
                         f"(got {_shown(value)})")
    return int(number) if not isinstance(value, Integral) or isinstance(value, bool) \
        else int(value)


def starts(start) -> tuple[np.ndarray, bool]:
    """``start`` as an ``(N, 2)`` float array, and whether it was one point."""
    if isinstance(start, str | bytes):
        raise ValueError(f"start must be a point (a, b) or an (N, 2) array, not text "
                         f"(got {_shown(start)})")
    try:
        w = np.array(start, dtype=np.float64)
    except (TypeError, ValueError):  # (complex numbers, text inside, ragged lists)
        raise ValueError("start must be a point (a, b) or an (N, 2) array of real "
                         "numbers") from None
    if w.shape[-1:] != (2,) or w.ndim > 2:  # ((1, 1, 1) failed in numpy's reshape)
        raise ValueError("start must be a point (a, b) or an (N, 2) array")
    if not w.size:
        raise ValueError("start must hold at least one point")
    if not np.isfinite(w).all():
        raise ValueError("start must be finite")
    return w.reshape(-1, 2), w.ndim == 1


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
