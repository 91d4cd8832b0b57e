"""The calculus behind the lecture views: slices, tangents, secants, error curves, contours.

Pure numpy (and contourpy, which matplotlib already depends on); no Qt. The views in
``gdviz.ui.derivatives`` only draw what these functions return.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np

from gdviz.core.finite import difference_quotients
from gdviz.core.loss import Loss

# (the slopes' classes and flatness live in gdviz.core.slopes; the lecture views reach them
# here, with the rest of the calculus)
from gdviz.core.slopes import (  # noqa: F401
    SLOPE_CLASSES,
    flat_tolerance,
    flat_tolerance_at,
    slope_classes,
    split_by_slope,
)

Array = np.ndarray
Point = tuple[float, float]


# -- slices -------------------------------------------------------------------------------------
def slice_function(loss: Loss, point: Point, axis: int) -> Callable[[Array], Array]:
    """f restricted to the line through ``point`` along variable ``axis``.

    Parameters
    ----------
    loss
        The loss f(a, b).
    point
        (a, b); the coordinate *not* along ``axis`` is held constant.
    axis
        0: t ↦ f(t, b); 1: t ↦ f(a, t).

    Returns
    -------
    callable
        Vectorized function of one variable.
    """
    a, b = float(point[0]), float(point[1])
    if axis == 0:
        return lambda t: loss.value(t, b)
    return lambda t: loss.value(a, t)


def slice_derivative(loss: Loss, point: Point, axis: int) -> Callable[[Array], Array]:
    """The exact derivative of :func:`slice_function`: the partial ∂f/∂(variable ``axis``)."""
    a, b = float(point[0]), float(point[1])
    if axis == 0:
        return lambda t: loss.gradient(t, b)[0]
    return lambda t: loss.gradient(a, t)[1]


def slice_curvature(loss: Loss, point: Point, axis: int) -> float:
    """The slice's second derivative at ``point``: the Hessian's diagonal entry for ``axis``."""
    h = loss.hessian(float(point[0]), float(point[1]))
    return float(h[axis][axis])


def sample_slice(loss: Loss, point: Point, axis: int, lo: float, hi: float,
                 n: int = 401) -> tuple[Array, Array, Array]:
    """Sample a slice and the slope of each segment between neighbouring samples.

    Returns
    -------
    ts, ys : ndarray
        ``n`` abscissae in [lo, hi] and f there.
    slopes : ndarray
        ``n - 1`` exact slopes (the partial derivative) at the segments' midpoints.
    """
    ts = np.linspace(float(lo), float(hi), int(n))
    ys = slice_function(loss, point, axis)(ts)
    slopes = slice_derivative(loss, point, axis)(0.5 * (ts[1:] + ts[:-1]))
    return ts, ys, slopes


def line_in_box(x0: float, y0: float, slope: float, x_range: tuple[float, float],
                y_range: tuple[float, float]) -> tuple[Array, Array]:
    """End points of the line through (x0, y0) with ``slope``, clipped to a box.

    Used for tangents and secants so a steep line never stretches the plot's range. Returns
    two empty arrays when the line misses the box or an input is not finite.
    """
    (xa, xb), (ya, yb) = x_range, y_range
    if not all(np.isfinite(v) for v in (x0, y0, slope, xa, xb, ya, yb)):
        return np.empty(0), np.empty(0)
    lo, hi = float(xa), float(xb)
    if slope != 0:
        # x where the line crosses y = ya and y = yb.
        xs = sorted(((ya - y0) / slope + x0, (yb - y0) / slope + x0))
        lo, hi = max(lo, xs[0]), min(hi, xs[1])
    elif not ya <= y0 <= yb:
        return np.empty(0), np.empty(0)
    if lo >= hi:
        return np.empty(0), np.empty(0)
    x = np.array([lo, hi])
    return x, y0 + slope * (x - x0)


# -- h → 0 --------------------------------------------------------------------------------------
def secant_slope(f: Callable[[Array], Array], x: float, h: float) -> float:
    """The forward difference quotient (f(x + h) − f(x)) / h: the secant's slope."""
    with np.errstate(all="ignore"):
        return float((f(np.float64(x + h)) - f(np.float64(x))) / h)


def default_hs(n: int = 80, largest: float = 1.0, smallest: float = 1e-16) -> Array:
    """``n`` step sizes from ``largest`` down to ``smallest``, evenly spaced on a log scale."""
    return np.logspace(np.log10(largest), np.log10(smallest), int(n))


def error_floor(exact: float) -> float:
    """The smallest error a log plot shows: half an ulp of the exact value (or of 1)."""
    scale = abs(exact) if np.isfinite(exact) and exact != 0 else 1.0
    return 0.5 * np.finfo(float).eps * scale


def error_curve(f: Callable[[Array], Array], x: float, exact: float,
                hs: Array, values=None) -> tuple[Array, Array]:
    """Absolute errors of the forward and central difference quotients against ``exact``
    (``values``: :func:`gdviz.core.finite.slice_values`, where already worked out).

    Errors that are exactly 0 (a lucky cancellation) are raised to :func:`error_floor` so a log
    plot can show them; non-finite errors stay NaN.

    Returns
    -------
    forward_error, central_error : ndarray
        Same shape as ``hs``.
    """
    fwd, cen = difference_quotients(f, float(x), hs, values)
    floor = error_floor(exact)
    out = []
    for q in (fwd, cen):
        with np.errstate(all="ignore"):
            err = np.abs(q - exact)
        err = np.where(np.isfinite(err), np.maximum(err, floor), np.nan)
        out.append(err)
    return out[0], out[1]


def best_h(hs: Array, err: Array) -> float:
    """The step size with the smallest error (NaN when no error is finite).

    The log error is smoothed by a running median of five neighbours first, so one lucky
    cancellation deep in the round-off regime does not win.
    """
    hs = np.asarray(hs, dtype=float)
    with np.errstate(all="ignore"):
        logs = np.log10(np.asarray(err, dtype=float))
    logs = np.where(np.isfinite(logs), logs, np.nan)
    if np.isnan(logs).all():
        return float("nan")
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(logs, 2, mode="edge"), 5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows
        smooth = np.nanmedian(windows, axis=1)
    smooth = np.where(np.isfinite(logs) & np.isfinite(smooth), smooth, np.inf)
    return float(hs[int(np.argmin(smooth))])


def roundoff_shows(hs: Array, err: Array, floor: float) -> bool:
    """Whether ``err`` (errors at the step sizes ``hs``) has a round-off regime: below its
    best h it climbs again, clearly (ten times its least error, a hundred times ``floor``).

    Not so for x² at 0, whose forward error is h down to the smallest h (f(h) = h² is exact
    to the last bit), nor for a quotient exact at every h: the error plot named a "round-off
    error" region on either.

    Examples
    --------
    >>> hs = default_hs(80)
    >>> fwd, cen = error_curve(lambda x: x * x, 0.0, 0.0, hs)
    >>> roundoff_shows(hs, fwd, error_floor(0.0)), roundoff_shows(hs, cen, error_floor(0.0))
    (False, False)
    >>> fwd, _cen = error_curve(np.sin, 1.0, float(np.cos(1.0)), hs)
    >>> roundoff_shows(hs, fwd, error_floor(float(np.cos(1.0))))
    True
    """
    hs, err = np.asarray(hs, dtype=float), np.asarray(err, dtype=float)
    hb = best_h(hs, err)
    if not np.isfinite(hb):
        return False
    least = float(err[int(np.argmin(np.abs(hs - hb)))])
    past = err[(hs < hb) & np.isfinite(err)]
    return bool(past.size and past.max() > max(10.0 * least, 100.0 * floor))


def fitted_slope(hs: Array, err: Array, h_range: tuple[float, float]) -> float:
    """Least-squares slope of log10(err) against log10(h) for h within ``h_range``.

    A slope of 1 means the error halves when h halves (forward differences); 2 means it
    quarters (central differences). NaN when fewer than two usable points.
    """
    hs = np.asarray(hs, dtype=float)
    err = np.asarray(err, dtype=float)
    lo, hi = min(h_range), max(h_range)
    sel = (hs >= lo) & (hs <= hi) & np.isfinite(err) & (err > 0)
    if sel.sum() < 2:
        return float("nan")
    slope, _ = np.polyfit(np.log10(hs[sel]), np.log10(err[sel]), 1)
    return float(slope)


def reference_line(hs: Array, order: int, anchor_h: float, anchor_err: float) -> Array:
    """``anchor_err · (h / anchor_h)^order``: a guide line of slope ``order`` on a log-log plot."""
    with np.errstate(over="ignore"):  # (a huge error's guide line: inf, left undrawn)
        return anchor_err * (np.asarray(hs, dtype=float) / anchor_h) ** order


# -- the gradient -------------------------------------------------------------------------------
def local_window(point: Point, domain, fraction: float = 0.15) -> tuple[Point, Point]:
    """A square window centred on ``point``: half-width ``fraction`` of the domain's size.

    The size is the geometric mean of the two spans, so the window is square in data units
    (right angles look right) and sensible when the spans differ.
    """
    (a0, a1), (b0, b1) = domain
    r = fraction * float(np.sqrt(abs(a1 - a0) * abs(b1 - b0)))
    a, b = float(point[0]), float(point[1])
    return (a - r, a + r), (b - r, b + r)


def local_grid(loss: Loss, window, n: int = 101) -> tuple[Array, Array, Array]:
    """Sample the loss on an ``n × n`` grid over ``window``; values are ``(n_b, n_a)``."""
    (a0, a1), (b0, b1) = window
    a = np.linspace(a0, a1, n)
    b = np.linspace(b0, b1, n)
    return a, b, loss.value(a[None, :], b[:, None])


def contour_sets(a: Array, b: Array, values: Array, levels) -> list[list[Array]]:
    """For each level, the pieces of ``values == level`` as ``(N, 2)`` arrays of (a, b) points.

    One contour generator serves every level (building it is the expensive part).
    """
    import contourpy

    levels = [float(lv) for lv in np.atleast_1d(levels)]
    z = np.asarray(values, dtype=float)
    bad = ~np.isfinite(z)
    if bad.all():
        return [[] for _ in levels]
    if bad.any():
        z = np.ma.masked_array(z, mask=bad)
    gen = contourpy.contour_generator(a, b, z, line_type=contourpy.LineType.Separate)
    return [[np.asarray(p, dtype=float) for p in gen.lines(lv) if len(p) >= 2]
            if np.isfinite(lv) else [] for lv in levels]


def contour_lines(a: Array, b: Array, values: Array, level: float) -> list[Array]:
    """Pieces of the level set ``values == level`` as ``(N, 2)`` arrays of (a, b) points."""
    return contour_sets(a, b, values, [level])[0]


def contour_levels_around(center: float, step: float, count: int = 3) -> Array:
    """``2·count + 1`` levels ``center + k·step`` for k = −count … count (``center`` exact).

    Choose ``step = |∇f| · spacing`` to get contours about ``spacing`` apart near the point.
    Only ``[center]`` when the step is zero or not finite.
    """
    if not np.isfinite(center):
        return np.empty(0)
    if not (np.isfinite(step) and step > 0):
        return np.array([float(center)])
    levels = center + step * np.arange(-count, count + 1, dtype=float)
    levels[count] = center
    return levels


def nearest_piece(pieces: list[Array], point: Point) -> tuple[Array, int] | None:
    """The piece passing closest to ``point`` and the index of its nearest vertex."""
    best = None
    p = np.asarray(point, dtype=float)
    for piece in pieces:
        d = np.hypot(*(piece - p).T)
        i = int(np.argmin(d))
        if best is None or d[i] < best[0]:
            best = (d[i], piece, i)
    return None if best is None else (best[1], best[2])


def contour_tangent(loss: Loss, point: Point, radius: float, n: int = 41) -> Array | None:
    """Unit tangent of the contour line through ``point``, from the contour's geometry.

    The level set f = f(point) is traced on a grid of half-width ``radius`` around the point
    (the gradient is not used). The traced points within ``radius / 2`` give a first direction
    (their principal axis); in that frame a parabola is fitted through them, and its slope at
    the point corrects the direction for the contour's curvature. The result is oriented with a
    positive first component (or a positive second one when vertical).

    Returns
    -------
    ndarray or None
        ``(2,)`` unit vector; None when f is undefined there or the level set near the point is
        not a single line through it (for example at a minimum, where it is just the point).
    """
    a, b = float(point[0]), float(point[1])
    level = float(loss.value(a, b))
    if not np.isfinite(level) or not radius > 0:
        return None
    ga, gb, values = local_grid(loss, ((a - radius, a + radius), (b - radius, b + radius)), n)
    found = nearest_piece(contour_lines(ga, gb, values, level), (a, b))
    if found is None:
        return None
    piece = found[0] - (a, b)
    near = piece[np.hypot(piece[:, 0], piece[:, 1]) <= 0.5 * radius]
    if len(near) < 4 or np.hypot(*near.mean(axis=0)) > 0.25 * radius:
        return None  # the traced level set does not run through the point
    _, sing, vt = np.linalg.svd(near - near.mean(axis=0), full_matrices=False)
    if not sing[0] > 2 * sing[1]:
        return None  # not a line here (a crossing, or a small loop around the point)
    t0, n0 = vt[0], np.array([-vt[0][1], vt[0][0]])
    s, q = near @ t0, near @ n0
    if not (s.min() < -0.1 * radius and s.max() > 0.1 * radius):
        # (a small loop that ends at the point, not a line through it: near the lecture's
        # minimum the loop's long axis read as the tangent, "0.5°" from ∇f)
        return None
    c2, c1, _ = np.polyfit(s, q, 2)
    t = t0 + c1 * n0
    t = t / np.hypot(*t)
    # Then, more exactly, the chord between the two points where the level set crosses a
    # small circle around the point (to second order along the tangent): the grid's
    # straight pieces and the parabola read Rosenbrock's banana-shaped contour 3° off.
    chord = _chord_tangent(loss, (a, b), level, 0.02 * radius)
    if chord is not None and abs(float(chord @ t)) > 0.9:
        t = chord
    else:
        # The fit and the chord disagree: the traced piece bends off near the point (a
        # crease 0.001 from it: |x| + y's V read 44° from ∇f). Two chords, one ten times
        # closer in than the other, that agree are the contour's own direction there.
        for rho in (0.002, 0.0002):
            closer = _chord_tangent(loss, (a, b), level, rho * radius)
            if closer is not None and chord is not None and abs(float(closer @ chord)) > 0.999:
                t = closer
                break
            chord = closer
    if t[0] < -1e-12 or (abs(t[0]) <= 1e-12 and t[1] < 0):
        t = -t
    return t


def _chord_tangent(loss: Loss, point: Point, level: float, rho: float,
                   n: int = 72) -> Array | None:
    """The unit chord between the two points where f = ``level`` on the circle of radius
    ``rho`` around ``point`` (found by bisection on the circle, not from ∇f); None unless
    the level set crosses it exactly twice."""
    a, b = point
    angles = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    with np.errstate(all="ignore"):
        side = np.sign(np.asarray(loss.value(a + rho * np.cos(angles),
                                             b + rho * np.sin(angles)), float) - level)
    if not np.isfinite(side).all():
        return None
    # (below the level or not: a sample exactly on it, |x| + y's straight contour through
    # one of the angles, made a third and fourth "crossing", and no chord at all)
    side[side == 0] = 1.0
    change = np.flatnonzero(side != np.roll(side, -1))
    if len(change) != 2:
        return None
    lo, hi = angles[change], angles[change] + 2 * np.pi / n
    s_lo = side[change]
    for _ in range(30):  # (both crossings at once)
        mid = 0.5 * (lo + hi)
        with np.errstate(all="ignore"):
            s_mid = np.sign(np.asarray(loss.value(a + rho * np.cos(mid),
                                                  b + rho * np.sin(mid)), float) - level)
        same = np.where(s_mid == 0, 1.0, s_mid) == s_lo
        lo, hi = np.where(same, mid, lo), np.where(same, hi, mid)
    theta = 0.5 * (lo + hi)
    chord = rho * np.array([np.cos(theta[1]) - np.cos(theta[0]),
                            np.sin(theta[1]) - np.sin(theta[0])])
    size = float(np.hypot(*chord))
    return chord / size if size > 0.5 * rho else None  # (two crossings side by side: no)


def direction(theta_deg: float) -> Array:
    """The unit vector u at angle ``theta_deg`` (degrees, counter-clockwise from the a-axis)."""
    th = np.radians(theta_deg)
    return np.array([np.cos(th), np.sin(th)])


def directional_derivative(grad, theta_deg) -> Array:
    """∇f · u(θ) for one angle or an array of angles (degrees); vectorized over θ."""
    th = np.radians(np.asarray(theta_deg, dtype=float))
    return grad[0] * np.cos(th) + grad[1] * np.sin(th)


def angle_of(vector) -> float:
    """Angle of a 2-vector in degrees in [0, 360) (NaN for the zero vector)."""
    x, y = float(vector[0]), float(vector[1])
    if not (np.isfinite(x) and np.isfinite(y)) or (x == 0 and y == 0):
        return float("nan")
    return float(np.degrees(np.arctan2(y, x)) % 360.0)


def angle_between(u, v) -> float:
    """Unsigned angle between two 2-vectors in degrees, in [0, 180] (NaN if one is zero)."""
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    nu, nv = np.hypot(*u), np.hypot(*v)
    if not (nu > 0 and nv > 0 and np.isfinite(nu) and np.isfinite(nv)):
        return float("nan")
    c = float(np.clip(np.dot(u, v) / (nu * nv), -1.0, 1.0))
    return float(np.degrees(np.arccos(c)))
