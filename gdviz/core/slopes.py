"""Where a slice rises, falls or is flat: slope classes relative to how steep the curve
usually is, and the curve cut into pieces by class (the Slice tab's colours and sentence).

Pure numpy; :mod:`gdviz.core.calculus` re-exports these for the lecture views.
"""

from __future__ import annotations

import numpy as np

Array = np.ndarray

#: The three slope classes of a slice, in legend order.
SLOPE_CLASSES = ("rising", "falling", "flat")


def slope_classes(slopes: Array, flat_fraction: float = 0.05) -> Array:
    """Classify slopes: 1 rising, -1 falling, 0 flat.

    A slope is flat when ``|slope| <= flat_fraction * scale``, where the scale is the 90th
    percentile of the finite ``|slope|``: "near zero" is relative to how steep this slice
    usually is, and one near-vertical stretch (log near 0) does not make the rest look flat.
    Non-finite slopes are flat.
    """
    s = np.asarray(slopes, dtype=float)
    finite = np.isfinite(s)
    tol = flat_tolerance(s, flat_fraction)
    out = np.zeros(s.shape, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        out[finite & (s > tol)] = 1
        out[finite & (s < -tol)] = -1
    return out


def flat_tolerance(slopes: Array, flat_fraction: float = 0.05) -> float:
    """The largest ``|slope|`` :func:`slope_classes` calls flat for these ``slopes``.

    ``flat_fraction`` times the 90th percentile (nearest rank) of the finite ``|slope|``; 0
    when none is finite. With a smaller fraction it also says when one slope (the tangent's)
    is flat compared with the rest of the curve.
    """
    s = np.asarray(slopes, dtype=float)
    mags = np.abs(s[np.isfinite(s)])
    if not mags.size:
        return 0.0
    k = min(mags.size - 1, int(round(0.9 * (mags.size - 1))))  # np.partition: cheaper
    return flat_fraction * float(np.partition(mags, k)[k])


def flat_tolerance_at(ts: Array, slopes: Array, t: float, flat_fraction: float) -> float:
    """The largest ``|slope|`` called flat at ``t``: as :func:`flat_tolerance`, but at most
    ``flat_fraction`` times the steepest of the (up to four) slopes sampled around ``t``.

    How steep a slice "usually" is says little where it spans many orders of magnitude: on
    e^(x·y) reaching 10⁴³ a slope of −1.3 is not flat where the curve is that steep. ``ts``
    are where ``slopes`` were sampled (increasing).
    """
    s = np.asarray(slopes, dtype=float)
    whole = flat_tolerance(s, flat_fraction)
    i = int(np.searchsorted(np.asarray(ts, dtype=float), t))
    near = np.abs(s[max(0, i - 2): i + 2])
    near = near[np.isfinite(near)]
    return min(whole, flat_fraction * float(near.max())) if near.size else whole


def split_by_slope(ts: Array, ys: Array, slopes: Array,
                   flat_fraction: float = 0.05) -> dict[str, tuple[Array, Array]]:
    """Cut a sampled curve into rising, falling and flat pieces.

    Segment ``i`` joins samples ``i`` and ``i + 1`` and belongs to the class of ``slopes[i]``.
    Each class's pieces come back as one ``(xs, ys)`` pair with NaN between pieces (draw with
    ``connect="finite"``); together the pieces cover every segment whose ends are finite.

    Returns
    -------
    dict
        ``{"rising": (xs, ys), "falling": (xs, ys), "flat": (xs, ys)}``.
    """
    ts = np.asarray(ts, dtype=float)
    ys = np.asarray(ys, dtype=float)
    cls = slope_classes(slopes, flat_fraction)
    ok = np.isfinite(ys[:-1]) & np.isfinite(ys[1:])
    out = {}
    for name, code in zip(SLOPE_CLASSES, (1, -1, 0), strict=True):
        idx = np.flatnonzero(ok & (cls == code))  # the segments of this class
        if not len(idx):
            out[name] = (np.empty(0), np.empty(0))
            continue
        # Every segment gives its first sample; the last segment of a piece also gives its
        # second sample and a NaN that ends the piece (done without a loop over pieces: the
        # slice is redrawn every playback frame).
        last = np.ones(len(idx), dtype=bool)
        last[:-1] = np.diff(idx) > 1
        counts = np.where(last, 3, 1)
        take = np.repeat(idx, counts)
        ends = np.cumsum(counts)[last]  # one past each piece's NaN
        take[ends - 2] += 1
        xs, yv = ts[take], ys[take]
        xs[ends - 1] = np.nan
        yv[ends - 1] = np.nan
        out[name] = (xs, yv)
    return out
