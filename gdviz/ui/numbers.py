"""Numbers for people: how many significant digits a coordinate needs to be told from its
neighbours on the map (:func:`digits_for`), and a quotient's digits against the exact value
(:func:`digits_html`, the h → 0 tab), a value in a table (:func:`short_number`), and a
vector's components to its own precision (:func:`vector_rounded`).

Four significant digits read well on the lecture's map (−0.5, 0.2), but on a map zoomed to a
thousandth around w = 1000 every point read "1000", and the Slice tab said "w2 = 10³ is held
constant" for 1000.000256: the digits that differ were cut off.
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.ui.canvas.ticks import power_of_ten

POINT_DIGITS = 4
"""The fewest significant digits a coordinate is written with, wherever the current point is
written (readouts, the Slice tab, the map's slice line): the Slice tab's 3 read
"(3.00, 2.00)" beside the readouts' "(3.000, 2.000)", "w2 = 0.498" beside 0.4982."""


def digits_for(value: float, axis: tuple[float, float], least: int = POINT_DIGITS) -> int:
    """Significant digits for ``value`` on an axis from ``axis[0]`` to ``axis[1]``: at least
    ``least``, and enough to show a thousandth of its span (at most 15) — for a value on the
    axis or within a span of it; one farther off (a run that diverged to 10⁸) gets ``least``:
    its digits tell nothing on this map, and twelve of them pushed the readouts' other
    columns out of sight.

    Examples
    --------
    >>> digits_for(0.5, (-4.0, 4.0))
    4
    >>> digits_for(1000.000256, (999.999, 1000.001))
    10
    >>> digits_for(-155908794.065, (-4.0, 4.0))
    4
    """
    lo, hi = axis
    span = hi - lo
    if not (math.isfinite(value) and value != 0 and math.isfinite(span) and span > 0):
        return least
    if not lo - span <= value <= hi + span:
        return least
    need = math.floor(math.log10(abs(value))) - math.floor(math.log10(span)) + 4
    return max(least, min(15, need))


def axis_number(value: float, axis: tuple[float, float],
                least: int = POINT_DIGITS) -> tuple[float, int]:
    """``(value, digits)`` to write a coordinate on the axis from ``axis[0]`` to ``axis[1]``
    with: 0 for one under 10⁻⁹ of the axis's span (rounding noise: Newton's run converged
    at y = −5.01·10⁻³⁴ made the map's slice line "y = −5.01e−34"), with the digits
    :func:`digits_for` gives it.

    Examples
    --------
    >>> axis_number(-5.01e-34, (-1.5, 2.5), 3), axis_number(0.2, (-1.5, 2.5), 3)
    ((0.0, 3), (0.2, 3))
    """
    lo, hi = axis
    if abs(value) < 1e-9 * (hi - lo):
        value = 0.0
    return value, digits_for(value, axis, least)


def not_finite_text(v: float) -> str:
    """How a value that is not a finite number reads everywhere: ``∞``, ``−∞`` or
    ``undefined`` (an infinite partial read ∞ in the readouts, "undefined" in the tabs)."""
    return "∞" if v == math.inf else "−∞" if v == -math.inf else "undefined"


def digits_html(value: float, exact: float, digits: int = 12, unsure: float = 0.0) -> str:
    """``value`` with the digits it shares with ``exact`` in bold and the rest in grey (shared
    in place, or correct: the decimals to which ``value`` is right, ``0.9999999999``83 against
    1).

    Both are written alike, with ``digits + 1`` significant digits of ``exact`` (float64
    holds about 16): fixed-point from 10⁻⁴ up to 10⁶, else as a multiple of the power of ten
    of the larger of the two (``−1.000000000000×10⁹``). Twelve decimals whatever the size
    ran off the dock at 10⁹ with digits float64 does not have, and left 10⁻⁹ four
    significant ones. ``unsure``: the relative error left in ``exact`` (rounding in its
    formula); no digit past those it is sure of is bold.
    """
    if not math.isfinite(value):
        return not_finite_text(value)
    text, same, power = _digits(value, exact, digits)
    if value != 0 and _after_significant(text, LEAST_SHOWN) == len(text):
        # Far smaller than the exact value: in its layout the value lost its digits, tan(x)
        # + y² at its pole read "−0.000000000000×10³²" for a central quotient of −9.56.
        # Written in its own layout, then, and grey: none of its digits agree.
        text, _same, power = _digits(value, value, digits)
        same = 0
    if unsure > 0:  # (as many significant digits as it is sure of, counted in this text:
        # counted in another layout, 0.0000357… for 3.57…×10⁻⁵, none sure read "−3.576")
        sure = max(0, math.floor(-math.log10(unsure))) if unsure < 1 else 0
        same = min(same, _after_significant(text, sure))
    return f"<b>{text[:same]}</b><span style='color:#888888'>{text[same:]}</span>{power}"


LEAST_SHOWN = 4
"""The fewest significant digits :func:`digits_html` leaves a value in the exact value's
layout (with fewer, the value is written in its own)."""


def _after_significant(text: str, count: int) -> int:
    """Where ``text`` (a number as :func:`_digits` writes it) is past its first ``count``
    significant digits (0 for none)."""
    seen = 0
    for i, ch in enumerate(text):
        if seen >= count:
            return i if count else 0
        if ch.isdigit() and (seen or ch != "0"):
            seen += 1
    return len(text)


def digits_text(value: float, digits: int = 12) -> str:
    """``value`` written as :func:`digits_html` writes it, as plain text (the h → 0 tab's
    quotients at a corner, where there is no exact value to agree with)."""
    if not math.isfinite(value):
        return not_finite_text(value)
    text, _same, power = _digits(value, value, digits)
    return text + power


def _digits(value: float, exact: float, digits: int) -> tuple[str, int, str]:
    """``value``'s digits, how many lead it as ``exact``'s do, and the power of ten after
    them (see :func:`digits_html`)."""
    if value == 0:  # (a quotient exactly 0 read "0.000000000000×10⁻²⁰", in the exact
        return "0", int(exact == 0), ""  # value's power of ten: as many zeros as digits)
    power = ""
    # The power of ten of the larger of the two: a quotient 10¹³⁴ times the derivative (h
    # far too large for exp(1000·w1)) was written out in 138 digits, off the dock.
    size = max(abs(exact) if math.isfinite(exact) else 0.0, abs(value))
    if size != 0:
        e = math.floor(math.log10(size))
        if e >= 6 or e < -4:
            # (in two factors below 10⁻³⁰⁰: 10.0 ** −324 is 0, and 10 ** −321 inexact)
            head, rest = (e, 0) if e >= -300 else (-300, e + 300)
            value, exact = (v / 10.0 ** head / 10.0 ** rest for v in (value, exact))
            power = "×" + power_of_ten(e)
        else:
            digits -= max(e, 0)  # 123456.7: six digits before the point, so 7 after it
    # (+ 0.0: a −0.0 reads 0)
    text, ref = f"{value + 0.0:.{digits}f}", f"{exact + 0.0:.{digits}f}"
    same = 0
    # Digits agree in place only: 18.2135 against 1000.0000 shares no digit (its "1" read
    # as agreeing, bold).
    point = len(text.split(".")[0])
    if point == len(ref.split(".")[0]):
        while same < min(len(text), len(ref)) and text[same] == ref[same]:
            same += 1
    # ... or are correct, d decimals for |error| ≤ ½·10⁻ᵈ, where they differ by a carry:
    # sin(w1)'s central quotient at 0, 0.999999999983 against 1.000000000000, shares no
    # character but is right to ten decimals (no digit was bold on the lecture's classic
    # example; 9.9999 against 10 too). Only by a carry: 0.138 against 0.1404 is right to two
    # decimals, but "0.13" in bold over the exact "0.14" read as digits that agree.
    err = abs(value - exact)
    if 0 < err < 0.05 and math.isfinite(err):
        end = point + 1 + min(digits, math.floor(-math.log10(2 * err)))
        pad = len(ref.split(".")[0]) - point  # (9.9999 against 10.0000: as 09.9999)
        a, b = (_padded(text, pad), ref) if pad >= 0 else (text, _padded(ref, -pad))
        if end > same and pad in (-1, 0, 1) and _carries(a, b, end + max(pad, 0)):
            same = end
    return text.replace("-", "−"), min(same, len(text)), power


def _padded(text: str, zeros: int) -> str:
    """``text`` with ``zeros`` zeros before its digits, after its sign (−9.9999 as
    −09.9999, against −10.0000: before the sign it had no carry, and no bold digit)."""
    sign = "-" if text.startswith("-") else ""
    return sign + "0" * zeros + text[len(sign):]


def _carries(a: str, b: str, end: int) -> bool:
    """Whether ``a[:end]`` and ``b[:end]`` differ as a number and the next one up do, by a
    carry: …k999 against …(k+1)000, with at least one 9 (one digit apart at the last place
    is not a carry but another digit)."""
    i = next((j for j in range(min(end, len(a), len(b))) if a[j] != b[j]), None)
    if i is None or not (a[i].isdigit() and b[i].isdigit()) or abs(int(a[i]) - int(b[i])) != 1:
        return False
    low, high = (a, b) if a[i] < b[i] else (b, a)
    tail = [(low[j], high[j]) for j in range(i + 1, min(end, len(a), len(b)))
            if low[j] != "." or high[j] != "."]
    return bool(tail) and all(pair == ("9", "0") for pair in tail)


def short_number(v: float, digits: int = 4, zeros: bool = False) -> str:
    """``v`` with ``digits`` significant digits, a short exponent and a real minus sign, as
    the readouts and the Compare table write it: ``−0.25``, ``9.526e−7``, ``undefined``; a
    rounded value keeps its trailing zeros (−1.000393 read "−1", as if exactly −1), and with
    ``zeros`` an exact one too (a column of which some are rounded: :func:`rounded`).

    Examples
    --------
    >>> short_number(-4.114e-7), short_number(float("nan")), short_number(-0.0)
    ('−4.114e−7', 'undefined', '0')
    >>> short_number(-1.000393), short_number(-1.0), short_number(0.24999998)
    ('−1.000', '−1', '0.2500')
    >>> short_number(1234.5), short_number(123.45, 3), short_number(1.0000001e-7)
    ('1234', '123', '1.000e−7')
    """
    if not np.isfinite(v):
        return not_finite_text(v)
    # 5.404e5, 4.114e-7: a diverged run's two coordinates and gradient widened the table by
    # six characters of "+0" and "-0" (its status went behind a scroll bar)
    text = short_exponent(significant(v, digits, zeros))
    return text.replace("-", "−")  # (a real minus sign, as the axes and the tabs write)


def rounded(v: float, digits: int = 4) -> bool:
    """Whether :func:`short_number` writes ``v`` rounded (not within arithmetic's noise of
    its short text). A column where one value is keeps every value's trailing zeros: the
    Compare table's final losses read −0.25 for Newton beside −0.250 for gradient descent,
    as if one were exact and the other not (both within 10⁻¹¹ of −0.25).

    Examples
    --------
    >>> rounded(-0.25), rounded(-0.25 + 1e-11), rounded(float("nan"))
    (False, True, False)
    """
    if not np.isfinite(v):
        return False
    return abs(float(f"{v + 0.0:.{digits}g}") - v) > EXACT_NOISE * abs(v)


def typed_number(v: float) -> str:
    """``v`` as a person types it, as short as it goes: decimals from 10⁻⁴ up to 10⁶, else
    e-notation, with a real minus sign — the runs list, Compare and the η box alike (the list
    wrote "η=1e-09" beside the box's "0.000000001").

    Examples
    --------
    >>> [typed_number(v) for v in (0.05, 1.0, 2.5e-4, 1e-9, 1e7, -1.5e-5, 250000.0, 0.1 + 0.2)]
    ['0.05', '1', '0.00025', '1e−9', '1e7', '−1.5e−5', '250000', '0.3']
    """
    if not np.isfinite(v) or v == 0:
        return short_number(v)
    v = float(f"{v:.12g}")  # (arithmetic's 0.30000000000000004 is 0.3, as a box shows it)
    if 1e-4 <= abs(v) < 1e6:
        text = np.format_float_positional(v, trim="-")
    else:
        mantissa, exponent = np.format_float_scientific(v, unique=True, trim="-").split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def percent(share: float) -> str:
    """A share as a whole percentage, never 0 % or 100 % for one that is not: "<1%" and
    ">99%" (the basins key read "0%" beside a basin it coloured, and shares added up to
    more or less than 100 %).

    Examples
    --------
    >>> percent(0.253), percent(0.003), percent(0.005), percent(0.0), percent(0.998)
    ('25%', '<1%', '<1%', '0%', '>99%')
    """
    text = f"{share:.0%}"
    if text == "0%" and share > 0:
        return "<1%"
    if text == "100%" and share < 1:
        return ">99%"
    return text


def whole_percents(shares: dict) -> dict:
    """Each of ``shares`` (fractions summing to 1) as :func:`percent` writes it, rounded so
    that the whole percentages add up to 100 (largest remainders rounded up: Himmelblau's
    four basins read 26 + 26 + 25 + 24 = 101 %), "<1%" and ">99%" kept.

    Examples
    --------
    >>> whole_percents({0: 0.2640, 1: 0.2560, 2: 0.2455, 3: 0.2345})
    {0: '26%', 1: '26%', 2: '25%', 3: '23%'}
    """
    total = sum(shares.values())
    if not shares or not 0.999 <= total <= 1.001:
        return {k: percent(v) for k, v in shares.items()}
    exact = {k: 100.0 * v for k, v in shares.items()}
    whole = {k: int(math.floor(v)) for k, v in exact.items()}
    spare = 100 - sum(whole.values())
    for k in sorted(exact, key=lambda k: whole[k] - exact[k])[:max(spare, 0)]:
        whole[k] += 1
    out = {}
    for k, v in shares.items():
        out[k] = ("<1%" if whole[k] == 0 and v > 0 else ">99%" if whole[k] == 100 and v < 1
                  else f"{whole[k]}%")
    return out


EXACT_NOISE = 1e-12
"""A value this close (relative) to its short text is written as exact (:func:`significant`):
a few thousand units in the last place of a float, far below any digit shown."""


def significant(v: float, digits: int, zeros: bool = False) -> str:
    """``v`` (finite) to ``digits`` significant digits as Python's ``g`` writes it, a
    rounded value with its trailing zeros ("−1.000" for −1.000393 read "−1", as if exact;
    an exact −1 stays "−1"), no point left dangling ("1234", not "1234."), −0.0 as "0". A
    value within arithmetic's noise of its short text is exact: 3·2·0.2 is
    1.2000000000000002, and ∇f = (−1, 1.200) read as if one part were rounded.

    Examples
    --------
    >>> significant(3 * 2 * 0.2, 4), significant(1.2 + 1e-9, 4), significant(0.1 + 0.2, 4)
    ('1.2', '1.200', '0.3')
    """
    text = f"{v + 0.0:.{digits}g}"  # (+ 0.0: −0.0 reads 0)
    if (zeros and v != 0) or rounded(v, digits):
        mantissa, e, exponent = f"{v + 0.0:#.{digits}g}".partition("e")
        text = mantissa.removesuffix(".") + e + exponent
    return text


def short_exponent(text: str) -> str:
    """"2.5e+05" → "2.5e5", "1e-06" → "1e-6": as the axes and the colour bar write them."""
    mantissa, e, exponent = text.partition("e")
    return f"{mantissa}e{int(exponent)}" if e else text


VECTOR_NOISE = 1e-9
"""A vector's component under this fraction of its largest reads 0 (:func:`vector_rounded`)."""


def vector_rounded(components) -> list[float]:
    """``components`` with each one under :data:`VECTOR_NOISE` times the largest made 0.

    A vector is read to the digits of its largest component: beside ∂f/∂w1 = 0.014,
    ∂f/∂w2 = −1.973e−14 (the true slope at w2 = 0.49999999999999, a step short of the
    ridge) read like a number to heed, where the lesson is "∂f/∂w2 is 0 here". Four
    significant digits of the larger component end near 10⁻⁴ of it; a billionth is far below
    anything the arrow or the step can show. A vector whose components are all tiny (a run
    converged at 10⁻¹⁴) keeps them: the larger is its own scale.

    Examples
    --------
    >>> vector_rounded([0.014, -1.973e-14])
    [0.014, 0.0]
    >>> vector_rounded([3e-14, -2e-14])
    [3e-14, -2e-14]
    >>> vector_rounded([float("nan"), 1e-20])
    [nan, 1e-20]
    """
    values = [float(c) for c in components]
    finite = [abs(v) for v in values if math.isfinite(v)]
    # (a NaN or ∞ component sets no scale: the others keep their digits)
    if len(finite) < len(values) or not finite:
        return values
    floor = VECTOR_NOISE * max(finite)
    return [0.0 if abs(v) < floor else v for v in values]
