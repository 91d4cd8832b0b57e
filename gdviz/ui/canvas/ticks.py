"""Axis ticks: "nice" values (1, 2, 5 × 10ⁿ) and their labels. Pure Python, no Qt."""

from __future__ import annotations

import math

MINUS = "\u2212"  # a real minus sign: as wide as '+', and what a blackboard shows


def nice_step(span: float, count: float) -> float:
    """The 1-2-5 step giving closest to ``count`` intervals over ``span`` (> 0)."""
    if not (span > 0 and math.isfinite(span)):
        return 1.0
    raw = span / max(count, 1.0)
    mag = 10.0 ** math.floor(math.log10(raw))
    steps = [m * mag for m in (0.5, 1.0, 2.0, 5.0, 10.0)]
    return min(steps, key=lambda st: abs(math.log(span / st) - math.log(max(count, 1.0))))


def tick_values(lo: float, hi: float, count: float) -> tuple[list[float], float]:
    """Tick positions inside ``[lo, hi]`` about ``count`` intervals apart, and the step.

    Parameters
    ----------
    lo, hi
        The axis range (``lo < hi``; otherwise no ticks).
    count
        Wanted number of intervals (a fractional value is fine).

    Returns
    -------
    values, step
        Multiples of ``step`` within the range (at most a few dozen).
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [], 1.0
    step = nice_step(hi - lo, count)
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    if last - first < 1 and step > (hi - lo) / 4:  # a single tick says nothing: halve
        step = nice_step(hi - lo, 2.0 * (hi - lo) / step)
        first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    if last - first > 200:  # a degenerate range: never build thousands of labels
        return [], step
    values = [k * step for k in range(first, last + 1)]
    return [0.0 if abs(v) < step * 1e-9 else v for v in values], step


def tick_labels(values: list[float], step: float) -> list[str]:
    """Labels for ``values``: as few digits as tell them apart, scientific when huge or tiny."""
    if not values:
        return []
    big = max(abs(v) for v in values)
    decimals = max(0, -int(math.floor(math.log10(step) + 1e-9)))
    # (a step of 2.5 needs one more digit; past 10⁻⁹ the labels are scientific anyway, and
    # 10 ** 320 for a step of 10⁻³²⁰ — a map of f ≈ 10⁻³¹⁹ — overflowed a float: a crash)
    if decimals <= 9 and abs(step * 10 ** decimals - round(step * 10 ** decimals)) > 1e-6:
        decimals += 1
    # Plain decimals for values of a moderate size, however many a narrow range needs (a
    # plateau's loss plot read 9.99999950435e−1, 9.9999995043e−1: 0.999999950435 now)
    if big >= 1e5 or (0 < big < 1e-3) or decimals > 12:
        digits = max(1, min(12, int(math.ceil(math.log10(big / step))) + 1 if big > 0 else 1))
        out = _scientific(values, digits)
    else:
        out = [f"{v:.{decimals}f}" for v in values]
    return [s.replace("-", MINUS) for s in out]


OFFSET_DIGITS = 7
"""Ticks whose labels would need this many significant digits or more in e-notation are
labelled from an offset instead (:func:`offset_labels`)."""


def offset_labels(values: list[float], step: float) -> tuple[list[str], str]:
    """Labels for ``values`` less an offset, and the offset ("+1.71798691e10"), where their
    own labels would be long mantissas that differ in their last digits; else their own
    labels (:func:`tick_labels`) and "".

    The Slice plot of a diverged run ticked 1.7179869184e10, 1.7179869186e10… up to
    1.7179869194e10: 84, 86 … 94 beside "+1.71798691e10" read at a glance (the value is the
    label plus the offset, a whole number of the power of ten above the ticks' span).

    Examples
    --------
    >>> offset_labels([17179869184.0, 17179869186.0, 17179869188.0], 2.0)
    (['4', '6', '8'], '+1.717986918e10')
    >>> offset_labels([17179869184.0 + 2 * k for k in range(6)], 2.0)
    (['84', '86', '88', '90', '92', '94'], '+1.71798691e10')
    >>> offset_labels([0.0, 0.5, 1.0], 0.5)
    (['0.0', '0.5', '1.0'], '')
    """
    own = tick_labels(values, step)
    if len(values) < 2 or not all(map(math.isfinite, values)) or not step > 0:
        return own, ""
    lo, hi = min(values), max(values)
    big = max(abs(lo), abs(hi))
    if lo <= 0.0 <= hi or "e" not in "".join(own) or big / step < 10.0 ** (OFFSET_DIGITS - 1):
        return own, ""
    # A whole number of the power of ten above the span: the labels' last two digits or so
    power = 10.0 ** math.ceil(math.log10((hi - lo) * (1 + 1e-9)))
    offset = (math.floor(lo / power) if lo > 0 else math.ceil(hi / power)) * power
    rest = [round((v - offset) / step) * step for v in values]  # (rounding noise of v − offset)
    digits = max(1, int(math.floor(math.log10(abs(offset) / power) + 1e-9)) + 1)
    sign = "+" if offset > 0 else MINUS
    return tick_labels(rest, step), sign + _scientific([abs(offset)], digits)[0].replace(
        "-", MINUS)


def _scientific(values: list[float], digits: int) -> list[str]:
    """``values`` in e-notation with ``digits`` significant digits, less the trailing zeros
    every mantissa has (one length for all: 1.1596411701e11 beside 1.15964117008e11)."""
    parts = [f"{v:.{max(digits - 1, 0)}e}".split("e") if v != 0 else None for v in values]
    spare = min((len(m) - len(m.rstrip("0")) for m, _e in filter(None, parts) if "." in m),
                default=0)
    out = []
    for part in parts:
        if part is None:
            out.append("0")
            continue
        mant, exp = part
        if "." in mant:
            mant = mant[:len(mant) - spare].rstrip(".")
        out.append(f"{mant}e{int(exp)}")
    return out


_SUPERSCRIPT = str.maketrans("-0123456789.", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹·")


def power_of_ten(exponent: int) -> str:
    """``10⁻⁶``: ten to a whole ``exponent``, as the log axes label their ticks."""
    return "10" + str(int(exponent)).translate(_SUPERSCRIPT)


def log_tick_labels(values: list[float], step: float) -> list[str]:
    """Labels for ticks on a log10 axis: ``10⁻³`` for whole powers, else the value."""
    out = []
    for v in values:
        if float(v).is_integer():
            out.append(power_of_ten(int(v)))
        else:
            out.append(f"{10.0 ** v:.3g}".replace("-", MINUS))
    return out
