"""How many significant digits a coordinate needs to be told from its neighbours on the map.

Four significant digits read well on the lecture's map (−0.5, 0.2), but on a map zoomed to a
thousandth around w = 1000 every point read "1000", and the Slice tab said "w2 = 10³ is held
constant" for 1000.000256: the digits that differ were cut off.
"""

from __future__ import annotations

import math


def digits_for(value: float, axis: tuple[float, float], least: int = 4) -> int:
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
