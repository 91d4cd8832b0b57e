"""The map's level curves: their values at round numbers (:func:`contour_levels`, and
:func:`log_levels` on a log colour scale) and their paths on a sampled grid
(:func:`contour_paths`)."""

from __future__ import annotations

import numpy as np

Array = np.ndarray


NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def contour_levels(lo: float, hi: float, count: int = 12) -> Array:
    """Evenly spaced levels strictly inside (lo, hi) at round numbers, at most about
    ``count`` of them.

    The step is 1, 2, 2.5 or 5 times a power of ten, the one nearest (by ratio) to the range
    cut in ``count + 1`` parts, and the levels are its multiples: a map labelled −0.5, 0, 0.5
    reads at a glance, where −0.278, 0.278, 0.835 (the range cut in equal parts) did not.
    About ``0.7·(count + 1)`` to ``1.5·(count + 1)`` levels come back (7 to 16 for 10). Where
    the range is too small beside its values for round multiples (lo / step beyond 2⁵³),
    ``count`` evenly spaced levels.

    Examples
    --------
    >>> contour_levels(-3.1, 3.05, 10).tolist()
    [-3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
    """
    if not (hi > lo and np.isfinite(lo) and np.isfinite(hi)):
        return np.array([lo])
    raw = hi / (count + 1) - lo / (count + 1)  # (hi − lo itself may overflow)
    if not raw > np.finfo(float).tiny:  # (a subnormal range: no round steps to take)
        return np.array([(lo + hi) / 2])
    power = 10.0 ** np.floor(np.log10(raw))
    steps = sorted({m * power for m in NICE_STEPS} | {10 * power})
    step = min(steps, key=lambda st: abs(np.log(st / raw)))
    while True:
        # Multiples of the step from the first one at or below lo (an integer index k0 + i:
        # no drift), rounded to the step's decimals (0.30000000000000004), kept strictly
        # inside whatever the rounding (75.3 / 0.05 = 1505.9999999999998).
        k0 = np.floor(lo / step)
        n = int(np.ceil(hi / step) - k0) + 1
        if not 0 < n <= 10 * (count + 2):  # (lo / step beyond 2**53: multiples not exact)
            return np.linspace(lo, hi, count + 2)[1:-1]
        levels = (k0 + np.arange(n)) * step
        levels = np.round(levels, max(0, int(-np.floor(np.log10(step))) + 2))
        levels = levels[(levels > lo) & (levels < hi)]
        # (the nearest step can still give too many: 25000 on (−0.5, 175000.5) for 4 made 8)
        if levels.size <= 1.5 * (count + 1) or step == steps[-1]:
            break
        step = steps[steps.index(step) + 1]
    return levels if levels.size else np.array([(lo + hi) / 2])


def log_level_value(level: float, floor: float, eps: float) -> float:
    """The f at ``level`` of a log map (the inverse of
    :func:`~gdviz.core.grid.log_transform`), its rounding noise taken off: 0 above a floor
    of −1 is 0, not −1.1e−16."""
    with np.errstate(all="ignore"):
        size = 10.0 ** level
        f = size - eps + floor
        scale = max(abs(floor), size)
        if not (np.isfinite(f) and 0 < scale < 1e300):
            return float(f)
        quantum = 10.0 ** (np.floor(np.log10(scale)) - 12)  # (a power of ten: 3.00001 stays)
        return float(np.round(f / quantum) * quantum)


def log_levels(lo: float, hi: float, floor: float, eps: float, count: int = 12) -> Array:
    """Levels of a log map (``log10(f − floor + eps)``, see
    :func:`~gdviz.core.grid.log_transform`) between ``lo`` and ``hi`` where f itself is a
    round number.

    The levels of :func:`contour_levels` in the log space, each moved to the value of f
    nearby with the fewest significant digits (within a quarter of their spacing): the
    labels read 0.1, 0.3, 1, 3, 10 rather than 10 to the levels (0.0631, 0.158, 0.398).
    Near a floor that is not round, more digits are kept (3.01, 3.03, 3.1 above a minimum
    of 3), and a level whose f cannot be written (beyond the float range) is kept as is.

    Examples
    --------
    >>> [float(f"{10 ** v:.3g}") for v in log_levels(-2.2, 3.3, 0.0, 1e-9, 10)]
    [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0]
    """
    levels = contour_levels(lo, hi, count)
    if levels.size < 2:
        return levels
    tolerance = (levels[1] - levels[0]) / 4
    out = np.array(sorted({_round_log_level(v, floor, eps, tolerance) for v in levels}))
    out = out[(out > lo) & (out < hi)]
    return out if out.size else levels


def _round_log_level(level: float, floor: float, eps: float, tolerance: float) -> float:
    """``level`` moved to the f nearby (within ``tolerance``) with the fewest digits."""
    # numpy's powers, not Python's: 10.0 ** 309 raises OverflowError (a map of f up to
    # 1e308 on the log scale took the loss edit down), numpy's gives inf under errstate.
    ten = np.float64(10.0)
    with np.errstate(all="ignore"):
        f = ten ** level - eps + floor
        if not (np.isfinite(f) and np.isfinite(f - floor)):
            return float(level)
        # Multiples of 10^k, k from the size of f (or of f − floor, when f is near 0): a
        # level at f = −10⁻⁶ above a floor of −1 is 0, not −1e−06.
        top = int(np.floor(np.log10(max(abs(f), f - floor, 1e-300)))) + 1
        for k in range(top, max(top - 18, -299), -1):
            rounded = float(np.round(f / ten ** k) * ten ** k)
            shown = float(np.log10(max(rounded - floor, 0.0) + eps))
            if abs(shown - level) <= tolerance:
                return shown
    return float(level)


def contour_paths(a: Array, b: Array, values: Array, levels) -> dict[float, list[Array]]:
    """Level curves of ``values`` (rows along ``b``) in data coordinates.

    Parameters
    ----------
    a, b
        Grid coordinates, ``(na,)`` and ``(nb,)``.
    values
        ``(nb, na)`` samples; non-finite points are left out (curves stop at them).
    levels
        The levels to trace.

    Returns
    -------
    dict
        Level → list of ``(n, 2)`` polylines.
    """
    import contourpy  # C++ marching squares: milliseconds where a Python tracer takes seconds

    # contourpy treats NaN as masked: no masked array (numpy.ma costs 20 ms to import).
    z = np.asarray(values, dtype=np.float64)
    if not np.isfinite(z).all():
        z = np.where(np.isfinite(z), z, np.nan)
    gen = contourpy.contour_generator(a, b, z, line_type=contourpy.LineType.Separate)
    return {float(level): [np.asarray(p) for p in gen.lines(level) if len(p) >= 2]
            for level in levels}
