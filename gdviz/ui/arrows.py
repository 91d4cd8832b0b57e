"""Arrow geometry for line items: shafts and heads as segment pairs (``connect="pairs"``)."""

from __future__ import annotations

import math

import numpy as np


def arrow_segments(x, y, u, v, head: float = 0.3, aspect: float = 1.0) -> tuple[np.ndarray, ...]:
    """Segments drawing arrows from (x, y) along (u, v), for a ``connect="pairs"`` line.

    Parameters
    ----------
    x, y, u, v
        Arrow tails and vectors (same shape; non-finite arrows are dropped).
    head
        Head length as a fraction of the arrow length.
    aspect
        Data units of y per data unit of x on screen, so heads look symmetric on a
        non-square view.

    Returns
    -------
    xs, ys : ndarray
        Interleaved segment end points: 3 segments (shaft and two head strokes) per arrow.
    """
    x, y, u, v = (np.ravel(np.asarray(t, dtype=float)) for t in (x, y, u, v))
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(u) & np.isfinite(v) & ((u != 0) | (v != 0))
    x, y, u, v = x[ok], y[ok], u[ok], v[ok]
    tx, ty = x + u, y + v
    # Heads are built in screen-like units so they look right whatever the axes' scales.
    su, sv = u, v / aspect
    c, s = np.cos(np.radians(25)), np.sin(np.radians(25))
    h1u, h1v = -(c * su - s * sv) * head, -(s * su + c * sv) * head
    h2u, h2v = -(c * su + s * sv) * head, -(-s * su + c * sv) * head
    n = len(x)
    xs = np.empty(6 * n)
    ys = np.empty(6 * n)
    xs[0::6], ys[0::6] = x, y
    xs[1::6], ys[1::6] = tx, ty
    xs[2::6], ys[2::6] = tx, ty
    xs[3::6], ys[3::6] = tx + h1u, ty + h1v * aspect
    xs[4::6], ys[4::6] = tx, ty
    xs[5::6], ys[5::6] = tx + h2u, ty + h2v * aspect
    return xs, ys


_COS, _SIN = math.cos(math.radians(25)), math.sin(math.radians(25))


def one_arrow(x: float, y: float, u: float, v: float, head: float = 0.3,
              aspect: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """:func:`arrow_segments` for a single arrow, in plain floats (a playback frame draws a
    few per run: numpy's per-call overhead would dominate). Empty for a null or non-finite
    arrow."""
    if not all(math.isfinite(t) for t in (x, y, u, v)) or (u == 0 and v == 0):
        return np.empty(0), np.empty(0)
    tx, ty = x + u, y + v
    su, sv = u, v / aspect
    h1u, h1v = -(_COS * su - _SIN * sv) * head, -(_SIN * su + _COS * sv) * head
    h2u, h2v = -(_COS * su + _SIN * sv) * head, -(-_SIN * su + _COS * sv) * head
    return (np.array([x, tx, tx, tx + h1u, tx, tx + h2u]),
            np.array([y, ty, ty, ty + h1v * aspect, ty, ty + h2v * aspect]))


def room_along(x: float, y: float, dx: float, dy: float,
               box: tuple[float, float, float, float]) -> float:
    """How far (pixels) from ``(x, y)`` along the direction ``(dx, dy)`` the ``box``
    (left, top, right, bottom) reaches (0 outside it; inf for no direction):
    an arrow longer than this leaves the map (six-hump camel's ∇f at (−0.5, 1), pointing
    up, was a stub at the frame's edge).

    Examples
    --------
    >>> room_along(50, 50, 0, -1, (0, 0, 100, 100)), room_along(50, 50, 3, 4, (0, 0, 100, 100))
    (50.0, 62.5)
    """
    left, top, right, bottom = box
    norm = math.hypot(dx, dy)
    if not norm > 0:
        return math.inf
    if not (left <= x <= right and top <= y <= bottom):
        return 0.0
    ux, uy = dx / norm, dy / norm
    reach = [(right - x) / ux if ux > 0 else (left - x) / ux if ux < 0 else math.inf,
             (bottom - y) / uy if uy > 0 else (top - y) / uy if uy < 0 else math.inf]
    return float(min(reach))


def clear_boxes(geos, within: tuple[float, float, float, float], pad: float = 4.0,
                step: float = 6.0) -> list[tuple[float, ...]]:
    """Small boxes (left, top, right, bottom, pixels) about each run's current point and
    along each of its arrows inside ``within`` (left, top, right, bottom), for ``geos`` as
    :meth:`gdviz.ui.map_runs.MapRuns._overlay_px` gives them: what a label keeps off, far
    tighter than one box about a run's point and a diagonal arrow (every place on the
    saddle's narrow map met that box, and the slice line's label went under the legend).
    A segment is cut to ``within`` first: a diverged run's step arrow, 10⁸ pixels long, was
    66 million boxes. (:func:`clear_box_array` gives them as an array.)

    Examples
    --------
    >>> geo = {"current": (0.0, 0.0), "gradient": ([0.0, 12.0], [0.0, 0.0])}
    >>> len(clear_boxes([geo], (-50, -50, 50, 50))), len(clear_boxes([geo], (6, -50, 50, 50)))
    (4, 3)
    """
    return [tuple(b) for b in clear_box_array(geos, within, pad, step).tolist()]


def clear_box_array(geos, within: tuple[float, float, float, float], pad: float = 4.0,
                    step: float = 6.0) -> np.ndarray:
    """:func:`clear_boxes` as an ``(m, 4)`` array, the current points' boxes first."""
    points: list[float] = []
    ends_x: list[float] = []  # the arrows' segments' ends, two points a segment
    ends_y: list[float] = []
    for geo in geos:
        for name, value in (geo or {}).items():
            if name == "current":
                x, y = value
                points.extend((x - 11.0, y - 11.0, x + 11.0, y + 11.0))
            elif name != "start":
                ax, ay = value
                n = len(ax) // 2 * 2  # (its segments: points 2i and 2i + 1)
                ends_x.extend(ax[:n])
                ends_y.extend(ay[:n])
    boxes = np.array(points, dtype=float).reshape(-1, 4)
    if not ends_x:
        return boxes
    # All the runs' segments at once (a playback frame spent 1.2 ms cutting them one
    # arrow at a time, and 0.3 ms more stacking each arrow's ends): each cut to ``within``,
    # then a box every ``step`` pixels along it.
    pairs = np.column_stack([ends_x, ends_y]).reshape(-1, 4)
    inside, lo, hi = clip_segments(pairs, within)
    inside &= np.isfinite(pairs).all(axis=1)  # (an undefined step's arrow: no boxes)
    x0, y0, x1, y1 = pairs[inside].T
    lo, hi = lo[inside], hi[inside]
    dx, dy = x1 - x0, y1 - y0
    x0, y0, x1, y1 = x0 + lo * dx, y0 + lo * dy, x0 + hi * dx, y0 + hi * dy
    n = np.maximum(1, np.hypot(x1 - x0, y1 - y0) // step).astype(int)
    which = np.repeat(np.arange(len(n)), n + 1)
    k = np.arange(len(which)) - np.repeat(np.cumsum(n + 1) - (n + 1), n + 1)
    t = k / n[which]
    xs, ys = x0[which] + t * (x1 - x0)[which], y0[which] + t * (y1 - y0)[which]
    along = np.column_stack([xs - pad, ys - pad, xs + pad, ys + pad])
    return np.concatenate([boxes, along])


def clip_segments(segments: np.ndarray, box) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Liang–Barsky, for many segments at once: which of ``segments`` (``(m, 4)``: x0, y0,
    x1, y1) meet ``box`` (left, top, right, bottom), and the part of each inside it, as the
    fractions ``lo``–``hi`` along it (a segment with no finite part there meets nothing)."""
    left, top, right, bottom = box
    x0, y0, x1, y1 = np.asarray(segments, dtype=float).reshape(-1, 4).T
    dx, dy = x1 - x0, y1 - y0
    lo, hi = np.zeros(len(x0)), np.ones(len(x0))
    ok = np.ones(len(x0), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for d, room in ((-dx, x0 - left), (dx, right - x0), (-dy, y0 - top), (dy, bottom - y0)):
            flat = d == 0
            ok &= ~(flat & (room < 0))
            t = room / np.where(flat, 1.0, d)
            lo = np.where(~flat & (d < 0), np.maximum(lo, t), lo)
            hi = np.where(~flat & (d > 0), np.minimum(hi, t), hi)
        ok &= (lo <= hi) & np.isfinite(lo + hi)
    return ok, lo, hi


def clip_polyline(points: np.ndarray, box) -> list[np.ndarray]:
    """The parts of the polyline ``points`` (``(n, 2)``) inside ``box`` (left, top, right,
    bottom), each an ``(m, 2)`` array, cut where it crosses the box's edges — for an SVG,
    which keeps no clip (a path leaving the map ran on over the margin)."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(pts) < 2:
        return []
    a, b = pts[:-1], pts[1:]
    ok, lo, hi = clip_segments(np.hstack([a, b]), box)
    d = b - a
    starts = a + lo[:, None] * d
    ends = a + hi[:, None] * d
    parts: list[np.ndarray] = []
    piece: list[np.ndarray] = []
    for k in range(len(a)):
        if not ok[k]:
            if len(piece) > 1:
                parts.append(np.array(piece))
            piece = []
            continue
        if not piece or lo[k] > 0.0:  # (entering: a part begins at the edge)
            if len(piece) > 1:
                parts.append(np.array(piece))
            piece = [starts[k]]
        piece.append(ends[k])
        if hi[k] < 1.0:  # (leaving at the edge)
            parts.append(np.array(piece))
            piece = []
    if len(piece) > 1:
        parts.append(np.array(piece))
    return parts
