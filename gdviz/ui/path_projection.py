"""Paths in the 3D view as seen in one rendered picture: where they land, what hides them.

Pure numpy on top of a :class:`~gdviz.ui.scene_frame.SceneFrame` (its projection and depth
buffer); :mod:`gdviz.ui.surface_paths` caches the results and paints them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from gdviz.ui.arrows import clip_segments

if TYPE_CHECKING:  # (scene_frame uses farthest_3x3 from here)
    from gdviz.ui.scene_frame import SceneFrame

# How far (scene units along the view axis) a point may lie behind what GL drew at its pixel
# and still be shown. Paths lie on the mesh (plus a lift), but the depth buffer holds the
# surface at pixel centres: on steep or grazing triangles that differs from the point's own
# depth (by up to ~0.03 for the mesh's own nodes, measured on Rosenbrock's log surface).
DEPTH_TOLERANCE = 0.03
SAMPLE_PX = 3.0  # a long segment is tested for occlusion at least every this many pixels
MAX_SUBDIVISIONS = 64  # … but split into at most this many pieces
MAX_SAMPLES = 200_000
"""The most samples all paths are split into: beyond, long segments are tested further apart
(RMSprop bouncing across the lecture's surface for 100,000 steps made 6 million samples, the
window frozen for seconds when its 3D view was drawn)."""
CELL_PX = 0.5  # consecutive samples within the same half-pixel cell are drawn as one
FAR_PX = 1e5  # projected points are clamped to ±this (near the eye plane they run off to ±inf)


def mesh_heights(xs: np.ndarray, ys: np.ndarray, zz: np.ndarray, px: np.ndarray,
                 py: np.ndarray) -> np.ndarray:
    """Heights of the drawn mesh at points ``(px, py)`` (NaN off the mesh or in its holes).

    Parameters
    ----------
    xs, ys : ndarray
        Increasing node coordinates of the mesh, ``(nx,)`` and ``(ny,)``.
    zz : ndarray
        ``(ny, nx)`` node heights (row ``j`` at ``ys[j]``), NaN where the loss is undefined.
    px, py : ndarray
        Points (same shape).

    Notes
    -----
    ``GLSurfacePlotItem`` splits the cell between nodes ``(i, j)`` and ``(i + 1, j + 1)``
    along the diagonal from ``(i, j + 1)`` to ``(i + 1, j)``; each triangle is flat, so the
    height is linear on either side of that diagonal. Paths follow these heights rather than
    the exact loss: the coarse mesh lies above the exact values in every convex dip (the
    minima!), and a path at the exact heights would sink below it and be hidden.
    """
    px, py = np.asarray(px, dtype=float), np.asarray(py, dtype=float)
    nx, ny = len(xs), len(ys)
    if nx < 2 or ny < 2:
        return np.full(px.shape, np.nan)
    with np.errstate(invalid="ignore"):
        fi = np.interp(px, xs, np.arange(nx, dtype=float), left=np.nan, right=np.nan)
        fj = np.interp(py, ys, np.arange(ny, dtype=float), left=np.nan, right=np.nan)
    ok = np.isfinite(fi) & np.isfinite(fj)
    i = np.clip(np.floor(np.where(ok, fi, 0.0)), 0, nx - 2).astype(np.intp)
    j = np.clip(np.floor(np.where(ok, fj, 0.0)), 0, ny - 2).astype(np.intp)
    u, v = np.where(ok, fi, 0.0) - i, np.where(ok, fj, 0.0) - j
    z00, z10, z01, z11 = zz[j, i], zz[j, i + 1], zz[j + 1, i], zz[j + 1, i + 1]
    lower = z00 + u * (z10 - z00) + v * (z01 - z00)
    upper = z11 + (1.0 - u) * (z01 - z11) + (1.0 - v) * (z10 - z11)
    return np.where(ok, np.where(u + v <= 1.0, lower, upper), np.nan)


OFF, OVER, EXIT, ENTRY = 0, 1, 2, 3
"""Where a path's point is drawn (the codes placers give, see :func:`project_paths`): off the
surface, over it, or a point off it stood in for by where the path crosses the surface's
edge on its way out to it (EXIT) or back in from it (ENTRY)."""


def edge_stand_ins(points: np.ndarray, over: np.ndarray, box: tuple[float, float, float, float]
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points off the surface next to a point over it, where the path crosses the edge of
    ``box`` (a0, b0, a1, b1) between the two, and whether that is on its way out:
    ``(indices, crossings, leaving)``.

    A run whose first step leapt off the surface (GD at η = 10 on x² + y²) had nothing drawn
    in 3D but its start, while the map drew its path to the frame; its step now runs to the
    surface's edge. A point reached from the surface stands in for its way out, else for the
    way back in from it (one place cannot be both); a non-finite one for neither.

    Examples
    --------
    >>> import numpy as np
    >>> i, at, out = edge_stand_ins(np.array([[0.0, 0.0], [10.0, 0.0], [20.0, 5.0]]),
    ...                             np.array([True, False, False]), (-1.0, -1.0, 1.0, 1.0))
    >>> i.tolist(), at.tolist(), out.tolist()
    ([1], [[1.0, 0.0]], [True])
    """
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    over = np.asarray(over, dtype=bool)
    finite = np.isfinite(pts).all(axis=1)
    out = ~over & finite
    leaving = np.zeros(len(pts), bool)
    leaving[1:] = out[1:] & over[:-1]
    entering = np.zeros(len(pts), bool)
    entering[:-1] = out[:-1] & over[1:] & ~leaving[:-1]
    idx = np.flatnonzero(leaving | entering)
    if not len(idx):
        return idx, np.zeros((0, 2)), np.zeros(0, bool)
    near = np.where(leaving[idx], idx - 1, idx + 1)  # (the point over the surface)
    a, b = pts[near], pts[idx]
    left, top, right, bottom = box
    ok, _lo, hi = clip_segments(np.hstack([a, b]), box)
    with np.errstate(invalid="ignore", over="ignore"):
        at = a + hi[:, None] * (b - a)
    keep = ok & np.isfinite(at).all(axis=1)
    return idx[keep], np.clip(at[keep], [left, top], [right, bottom]), leaving[idx[keep]]


class ProjectedPath:
    """One path as seen in one rendered picture.

    Attributes
    ----------
    xy : ndarray
        ``(m, 2)`` kept samples in widget pixels.
    t : ndarray
        ``(m,)`` each sample's position along the trajectory (step index, fractional between
        steps), increasing.
    pieces : ndarray
        ``(p, 2)`` ``[start, end)`` ranges of consecutive visible samples.
    vertex_xy, vertex_distance : ndarray
        Per step: its position in widget pixels and its distance from the eye.
    """

    __slots__ = ("xy", "t", "pieces", "vertex_xy", "vertex_distance")

    def __init__(self, xy: np.ndarray, t: np.ndarray, seen: np.ndarray, vertex_xy: np.ndarray,
                 vertex_distance: np.ndarray) -> None:
        self.xy, self.t = xy, t
        self.vertex_xy, self.vertex_distance = vertex_xy, vertex_distance
        edges = np.diff(np.concatenate([[0], seen.astype(np.int8), [0]]))
        self.pieces = np.column_stack([np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)])


def project_paths(frame: SceneFrame,
                  paths: list[tuple[np.ndarray, np.ndarray]]) -> list[ProjectedPath]:
    """Project paths onto ``frame`` and find which parts of them its scene hides.

    Parameters
    ----------
    frame : SceneFrame
        The rendered picture (projection and depth buffer).
    paths : list of (pos, where)
        Each path's ``(n, 3)`` scene points (n ≥ 1) and where each is (:data:`OFF`,
        :data:`OVER`, :data:`EXIT` or :data:`ENTRY`; True and False are OVER and OFF):
        segments are drawn between two points over the surface, from one over it to an
        exit, and from an entry to one over it.

    Notes
    -----
    All paths go through numpy together: their arrays are short (a few thousand points), so
    doing them one by one would cost more in per-call overhead than in work.
    """
    sizes = np.array([len(pos) for pos, _inside in paths], dtype=np.intp)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])  # each path's first vertex
    pos = np.concatenate([p for p, _i in paths])
    where = np.concatenate([i for _p, i in paths]).astype(np.int8)
    inside = where != OFF
    vertex_xy, vertex_distance = frame.project(pos)
    # Steps that stay in the half-pixel cell of the step before add nothing to the drawing
    # (a long run's tiny steps: 100,000 of them took 20–60 ms a render to subdivide and
    # depth-test): only the steps that enter another cell, change sides of the domain's edge
    # or are not finite are kept as the path's vertices, and each path's ends.
    step = _cell_changes(vertex_xy) | (where[1:] != where[:-1])
    keep = np.concatenate([[True], step])
    keep[first] = True
    keep[first[1:] - 1] = True
    keep[-1] = True
    vi = np.flatnonzero(keep)  # kept vertices (step indices)
    first = np.searchsorted(vi, first)  # each path's first kept vertex
    xy_v, inside, where, n = vertex_xy[vi], inside[vi], where[vi], len(vi)
    # (not between two stand-ins at the edge, nor from an exit back onto the surface: the
    # path between them runs off it; GD over, off and back over drew a line across it)
    seg_ok = ((where[:-1] == OVER) & ((where[1:] == OVER) | (where[1:] == EXIT))) \
        | ((where[:-1] == ENTRY) & (where[1:] == OVER))
    joins = np.zeros(n - 1, bool)
    joins[first[1:] - 1] = True  # no segment joins one path's end to the next one's start
    seg_ok &= ~joins
    with np.errstate(invalid="ignore"):
        length = np.hypot(*(xy_v[1:] - xy_v[:-1]).T)
    length = np.where(seg_ok & np.isfinite(length), length, 0.0)
    # Long segments are subdivided (in 3D: projection keeps straight lines straight) so that
    # a segment passing behind a hill is cut where the hill hides it.
    sub = np.clip(np.ceil(length / SAMPLE_PX), 1, MAX_SUBDIVISIONS).astype(np.intp)
    total = int(sub.sum())
    if total > MAX_SAMPLES:  # (each segment keeps its ends; the rest shared out)
        spare = max(MAX_SAMPLES - len(sub), 0) / max(total - len(sub), 1)
        sub = 1 + np.floor((sub - 1) * spare).astype(np.intp)
    # Between two points drawn that no segment joins (two stand-ins at the edge), a sample
    # off the surface: the pieces drawn are runs of samples in sight, and would join them.
    sub[inside[:-1] & inside[1:] & ~seg_ok & ~joins] = 2
    starts = np.zeros(n, np.intp)  # each vertex's sample index
    np.cumsum(sub, out=starts[1:])
    seg = np.repeat(np.arange(n - 1), sub)
    frac = (np.arange(len(seg)) - starts[seg]) / sub[seg]
    # Each sample's place along the run, in steps. Between kept vertices a and b the steps
    # a + 1 … b − 1 stayed in a's cell, so the path leaves it only from step b − 1: a sample
    # at a fraction of the segment is b − 1 plus that fraction (the drawn path would
    # otherwise run ahead of the current point along a jump that follows a pile of steps).
    t = np.concatenate([np.where(frac > 0, vi[seg + 1] - 1 + frac, vi[seg]), [vi[-1]]])
    pos = pos[vi]
    p3 = np.concatenate([pos[seg] + frac[:, None] * (pos[seg + 1] - pos[seg]), pos[-1:]])
    xy, distance = frame.project(p3)
    on_surface = np.concatenate([np.where(frac > 0, seg_ok[seg], inside[seg]), inside[-1:]])
    seen = frame.visible(xy, distance, DEPTH_TOLERANCE) & on_surface
    # Converged runs pile hundreds of steps onto one pixel: keep a sample only where the path
    # enters another half-pixel cell or its visibility changes (the stroker's cost grows with
    # the vertex count, not with what is visible), and every path's first and last sample.
    keep = np.ones(len(xy), bool)
    keep[1:] = _cell_changes(xy) | (seen[1:] != seen[:-1])
    keep[starts[first]] = True
    keep[starts[first[1:]] - 1] = True
    keep[-1] = True
    xy = np.clip(np.where(np.isfinite(xy), xy, 0.0), -FAR_PX, FAR_PX)
    kept = np.flatnonzero(keep)
    bounds = np.append(np.searchsorted(kept, starts[first]), len(kept))
    out = []
    f0 = 0  # the path's first step
    for r, size in enumerate(sizes):
        ks = kept[bounds[r]:bounds[r + 1]]
        out.append(ProjectedPath(xy[ks], t[ks] - f0, seen[ks], vertex_xy[f0:f0 + size],
                                 vertex_distance[f0:f0 + size]))
        f0 += size
    return out


def _cell_changes(xy: np.ndarray) -> np.ndarray:
    """Whether each projected point but the first lies in another half-pixel cell than the
    point before it, or either is not finite: ``(n - 1,)`` for ``(n, 2)`` points."""
    finite = np.isfinite(xy).all(axis=1)
    cell = np.floor(np.clip(np.where(finite[:, None], xy, 0.0), -FAR_PX, FAR_PX) / CELL_PX)
    return (cell[1:] != cell[:-1]).any(axis=1) | ~finite[1:] | ~finite[:-1]


def farthest_3x3(depth: np.ndarray, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The largest depth among pixel ``(r, c)`` and its 8 neighbours (edges repeated), for
    each of the given pixels.

    Only where it is asked: a filter over the whole picture cost every render 1–2 ms (7 ms
    on a HiDPI screen), and the paths look at a few thousand pixels at most.
    """
    h, w = depth.shape
    # (not np.clip: on integers with Python bounds it looks up the type's limits each call,
    # 6 µs against 2 µs, six calls a path every frame)
    rows = [np.minimum(np.maximum(r + d, 0), h - 1) for d in (-1, 0, 1)]
    cols = [np.minimum(np.maximum(c + d, 0), w - 1) for d in (-1, 0, 1)]
    out = depth[rows[0], cols[0]]
    for rr in rows:
        for cc in cols:
            np.maximum(out, depth[rr, cc], out=out)
    return out
