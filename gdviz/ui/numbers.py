"""How many significant digits a coordinate needs to be told from its neighbours on the map.

Four significant digits read well on the lecture's map (−0.5, 0.2), but on a map zoomed to a
thousandth around w = 1000 every point read "1000", and the Slice tab said "w2 = 10³ is held
constant" for 1000.000256: the digits that differ were cut off.
"""

from __future__ import annotations

import math


def digits_for(value: float, span: float, least: int = 4) -> int:
    """Significant digits for ``value`` on an axis ``span`` wide: at least ``least``, and
    enough to show a thousandth of the span (at most 15).

    Examples
    --------
    >>> digits_for(0.5, 8.0)
    4
    >>> digits_for(1000.000256, 0.002)
    10
    """
    if not (math.isfinite(value) and value != 0 and math.isfinite(span) and span > 0):
        return least
    need = math.floor(math.log10(abs(value))) - math.floor(math.log10(span)) + 4
    return max(least, min(15, need))
