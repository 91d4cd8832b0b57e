"""Sampling a loss on a grid: values for the heatmap and surface, arrows for the field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the compiled loss needs sympy: not imported for type hints
    from gdviz.core.loss import Loss


Array = np.ndarray
Domain = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Grid:
    """A loss sampled on a regular grid.

    Attributes
    ----------
    a, b : ndarray
        Coordinates along the first and second variable, ``(na,)`` and ``(nb,)``.
    values : ndarray
        ``(nb, na)``: row i holds b[i] (row-major, as the image views expect).
    domain : Domain
    """

    a: Array
    b: Array
    values: Array
    domain: Domain

    @property
    def finite(self) -> Array:
        """Boolean mask of the points where the loss is defined and finite."""
        return np.isfinite(self.values)

    @property
    def undefined_fraction(self) -> float:
        """Share of the grid where the loss is undefined or infinite."""
        return float(1.0 - self.finite.mean()) if self.values.size else 0.0


def check_domain(domain) -> Domain:
    """Validate and normalise ``((amin, amax), (bmin, bmax))``; raise ``ValueError`` if bad."""
    try:
        (a0, a1), (b0, b1) = ((float(x), float(y)) for x, y in domain)
    except (TypeError, ValueError):
        raise ValueError("domain must be ((amin, amax), (bmin, bmax))") from None
    if not np.isfinite([a0, a1, b0, b1]).all() or not (a0 < a1 and b0 < b1):
        raise ValueError("domain must be finite with min < max on each axis")
    return (a0, a1), (b0, b1)


def sample_grid(loss: Loss, domain: Domain, n: int = 256) -> Grid:
    """Evaluate the loss on an ``n × n`` grid over ``domain`` (vectorized, one call)."""
    (a0, a1), (b0, b1) = check_domain(domain)
    a = np.linspace(a0, a1, n)
    b = np.linspace(b0, b1, n)
    values = loss.value(a[None, :], b[:, None])
    return Grid(a, b, values, ((a0, a1), (b0, b1)))


def gradient_field(loss: Loss, domain: Domain, n: int = 20) -> tuple[Array, ...]:
    """∇f on an ``n × n`` grid of arrow positions, inset from the domain's edges.

    Returns
    -------
    A, B, U, V, M : ndarray
        Positions, gradient components and magnitude, each ``(n, n)``.
    """
    (a0, a1), (b0, b1) = check_domain(domain)
    ha, hb = (a1 - a0) / n, (b1 - b0) / n
    a = np.linspace(a0 + ha / 2, a1 - ha / 2, n)
    b = np.linspace(b0 + hb / 2, b1 - hb / 2, n)
    A, B = np.meshgrid(a, b)
    F, U, V = loss.value_and_gradient(A, B)
    # Where f itself is undefined (log(x) for x < 0, whose derivative 1/x is not) there is no
    # gradient to draw: mask it like the heatmap.
    undefined = ~np.isfinite(F)
    U[undefined] = np.nan
    V[undefined] = np.nan
    with np.errstate(all="ignore"):
        M = np.hypot(U, V)
    return A, B, U, V, M


def relative_tol(loss: Loss, points: Array, tol: float = 1e-6) -> float:
    """``tol`` times the typical slope ‖∇f‖ at ``points`` (``(n, 2)``) when that is below 1.

    A run has converged when ‖∇f‖ < tol. Absolute, on a loss whose values are all tiny
    (``1e-9·(x² + y²)``) every point passed where it stood: runs "converged" at step 0 on a
    slope, the Gradient tab called that point a saddle, the basins map found dozens of minima.
    Scaled by the 90th percentile of ‖∇f‖, a loss and the same loss times 10⁻⁹ are judged
    alike. (Steep losses keep ``tol``: a larger one would stop runs early.)
    """
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    with np.errstate(all="ignore"):
        ga, gb = loss.gradient(points[:, 0], points[:, 1])
        norms = np.broadcast_to(np.hypot(ga, gb), (len(points),))
    norms = norms[np.isfinite(norms)]
    scale = percentiles(norms, [90])[0] if len(norms) else 1.0
    return tol * scale if 0.0 < scale < 1.0 else tol


def domain_tol(loss: Loss, domain: Domain, tol: float = 1e-6, n: int = 16) -> float:
    """:func:`relative_tol` over an ``n × n`` grid of ``domain`` (the map a run is shown on)."""
    (a0, a1), (b0, b1) = domain
    aa, bb = np.meshgrid(np.linspace(a0, a1, n), np.linspace(b0, b1, n))
    return relative_tol(loss, np.column_stack([aa.ravel(), bb.ravel()]), tol)


_TIED = ((0, 1), (1, 0), (1, 1))
"""The neighbours a sample may equal and still be a minimum: the rest of its 2 × 2 block."""


def grid_minima(grid: Grid) -> Array:
    """The samples of ``grid`` lower than their eight neighbours (all finite; of a 2 × 2
    block of samples as low as each other, the top left; a wider flat region has none),
    lowest first,
    as ``(n, 2)`` points: the map's basins' floors, which a legend should not cover.

    Examples
    --------
    >>> a = np.linspace(-2, 2, 41)
    >>> values = (a[None, :] ** 2 - 1) ** 2 + a[:, None] ** 2  # (minima at (±1, 0))
    >>> grid_minima(Grid(a, a, values, ((-2, 2), (-2, 2)))).round(6).tolist()
    [[-1.0, 0.0], [1.0, 0.0]]
    >>> even = np.linspace(-1, 1, 10)  # (the minimum at 0 between four equal samples)
    >>> bowl = even[None, :] ** 2 + even[:, None] ** 2
    >>> grid_minima(Grid(even, even, bowl, ((-1, 1), (-1, 1)))).round(6).tolist()
    [[-0.111111, -0.111111]]
    >>> disc = np.maximum(a[None, :] ** 2 + a[:, None] ** 2 - 1, 0)  # (a flat disc)
    >>> len(grid_minima(Grid(a, a, disc, ((-2, 2), (-2, 2)))))
    0
    """
    v = np.asarray(grid.values, dtype=float)
    if v.shape[0] < 3 or v.shape[1] < 3:
        return np.empty((0, 2))
    middle = v[1:-1, 1:-1]
    lowest = np.isfinite(middle)
    with np.errstate(invalid="ignore"):
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                if di or dj:
                    other = v[1 + di:v.shape[0] - 1 + di, 1 + dj:v.shape[1] - 1 + dj]
                    # Ties: the top left of a 2 × 2 block of equal samples counts (Rastrigin's
                    # minimum at 0 between four samples as low as each other: none did), not
                    # a wider flat region's edge (a flat disc's gave three "minima")
                    lowest &= (middle <= other) if (di, dj) in _TIED else (middle < other)
    rows, cols = np.nonzero(lowest)
    order = np.argsort(middle[rows, cols], kind="stable")
    return np.column_stack([np.asarray(grid.a)[cols[order] + 1],
                            np.asarray(grid.b)[rows[order] + 1]])


def percentiles(v: Array, qs) -> list[float]:
    """``numpy.percentile(v, qs)`` (linear interpolation) of a non-empty 1-D array.

    By partial sorting: the same numbers, without ``numpy.percentile``'s machinery (which
    also imports ``numpy.ma`` on first use: tens of milliseconds before the first frame).
    """
    v = np.asarray(v, dtype=np.float64).ravel()
    n = v.size
    pos = [q / 100.0 * (n - 1) for q in qs]
    kth = sorted({int(np.floor(p)) for p in pos} | {min(int(np.floor(p)) + 1, n - 1)
                                                     for p in pos})
    part = np.partition(v, kth)
    out = []
    for p in pos:
        i = int(np.floor(p))
        j = min(i + 1, n - 1)
        out.append(float(part[i] + (part[j] - part[i]) * (p - i)))
    return out


def scale_values(values: Array) -> Array:
    """``values`` without the cells that must not set the colour scale (NaN there): finite
    cells on a strip one cell wide through an undefined region, both neighbours across it
    undefined or off the grid. w1^w2 is defined for w1 < 0 only where w2 is a whole number:
    the grid's rows at w2 = −3, −1, 1, 3 held values down to −614125, which as the log
    scale's floor left the whole map one colour (they are drawn, in the scale's end colours).
    Where such strips are all the map has, they are kept.

    Examples
    --------
    >>> v = np.ones((4, 3))
    >>> v[:, 0] = [np.nan, np.nan, -9.0, np.nan]  # (-9: a row through the undefined column)
    >>> scale_values(v)[:, 0].tolist(), scale_values(v)[:, 1:].tolist() == v[:, 1:].tolist()
    ([nan, nan, nan, nan], True)
    """
    finite = np.isfinite(values)
    if finite.all() or values.ndim != 2:
        return values
    gaps = np.pad(~finite, 1, constant_values=True)  # (off the grid counts as undefined)
    across_rows = gaps[:-2, 1:-1] & gaps[2:, 1:-1]
    across_columns = gaps[1:-1, :-2] & gaps[1:-1, 2:]
    thin = finite & (across_rows | across_columns)
    if not thin.any() or not (finite & ~thin).any():  # (all the map has: kept; log(w1) on
        return values  # w1 < 10⁻⁴, one column defined, had the colour range (0, 1))
    out = np.array(values, dtype=float)
    out[thin] = np.nan
    return out


def robust_range(values: Array, low: float = 1.0, high: float = 99.0) -> tuple[float, float]:
    """Colour range from percentiles of the finite values, so spikes and holes don't wash out."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return 0.0, 1.0
    lo, hi = percentiles(v, [low, high])
    if not hi > lo:
        lo, hi = float(v.min()), float(v.max())
        if not hi > lo:
            lo, hi = lo - 0.5, hi + 0.5
    return float(lo), float(hi)


def height_range(values: Array, reach: float = 1.0) -> tuple[float, float]:
    """Heights the 3D surface spans: :func:`robust_range`'s, out to the least and greatest
    value where they lie within ``reach`` of its span beyond it (a bowl's corners and its
    bottom are drawn whole: 1000·(w1² + w2²) had its top percent cut flat, saw-toothed along
    the mesh), else cut there (1/(w1² + w2²)'s spike would flatten all the rest)."""
    lo, hi = robust_range(values)
    v = values[np.isfinite(values)]
    if v.size:
        least, most = float(v.min()), float(v.max())
        span = hi - lo
        lo = least if lo - least <= reach * span else lo
        hi = most if most - hi <= reach * span else hi
    return lo, hi


def flat_surface(values: Array, heights: tuple[float, float], share: float = 0.8) -> bool:
    """Whether more than ``share`` of the finite ``values`` lie within a hundredth of the
    ``heights`` span above its bottom: a surface of f that is a flat floor (exp(w1² + w2²):
    89 % of it, four pillars at its corners), which its log shows."""
    v = values[np.isfinite(values)]
    lo, hi = heights
    return bool(v.size and hi > lo and np.mean(v <= lo + 0.01 * (hi - lo)) > share)


def wants_log_scale(values: Array) -> bool:
    """True when most of the range sits in a thin layer near the bottom (e.g. Rosenbrock)."""
    v = values[np.isfinite(values)]
    if v.size < 16:
        return False
    p1, p50, p99 = percentiles(v, [1, 50, 99])
    return bool((p99 - p1) > 30 * (p50 - p1 + 1e-300))


def log_params(values: Array) -> tuple[float, float]:
    """The ``floor`` and ``eps`` :func:`log_transform` uses for a map of ``values``.

    ``floor`` is the finite minimum; ``eps`` (what keeps log10 of 0 finite) is 10⁻⁶ of the
    span of ``f − floor``, or the 1st percentile of its positive values when that is smaller:
    six decades below the top are shown, and more when the map has them ((w1 + w2)¹⁰⁰ spans
    77: with 10⁻⁶ of the span alone it was one colour). It is never larger than 10⁻⁶ of the
    span, so zooming in on a minimum still shows its decades, and at least 10⁻¹⁵·|floor|,
    below which ``f − floor`` is rounding error.
    """
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1e-12
    floor = float(finite.min())
    with np.errstate(over="ignore"):  # (f − floor beyond the float range: left out)
        above = finite[finite > floor] - floor
    above = above[np.isfinite(above)]
    if not above.size:
        return floor, 1e-12
    low = min(float(percentiles(above, [1])[0]), 1e-6 * float(above.max()))
    eps = max(low, abs(floor) * 1e-15, 1e-300)
    return floor, eps


def log_transform(values: Array, floor: float | None = None,
                  eps: float | None = None) -> tuple[Array, float]:
    """``log10(f − floor + eps)``: shows the structure of a loss spanning many decades.

    Returns the transformed values and the floor used. ``floor`` and ``eps`` default to
    :func:`log_params` of ``values``; pass the map's own to transform other samples (a path,
    the screen's pixels) the same way.
    """
    if floor is None or eps is None:
        own_floor, own_eps = log_params(values)
        floor = own_floor if floor is None else floor
        eps = own_eps if eps is None else eps
    with np.errstate(all="ignore"):
        return np.log10(np.maximum(values - floor, 0.0) + eps), floor
