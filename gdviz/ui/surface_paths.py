"""The runs' paths on the 3D surface, drawn with QPainter over the cached GL picture.

A playback frame only moves where each path ends, so the paths are not part of the GL scene
(re-rendering the surface per frame cost 12–23 ms in software OpenGL). Per trajectory, and
only when the surface, the camera or the size changed, the path is placed in scene
coordinates (on the drawn mesh), projected with the matrices the picture was rendered with and
tested against the picture's depth buffer (:mod:`gdviz.ui.path_projection`). A frame then
strokes only the paths' new segments onto a cached copy of the picture, blits it and draws the
current points.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable

import numpy as np

from gdviz.ui.canvas.box_updates import FAR_PX
from gdviz.ui.canvas.polygons import stroke_polyline
from gdviz.ui.path_projection import DEPTH_TOLERANCE, OVER, ProjectedPath, project_paths
from gdviz.ui.qt import QtCore, QtGui
from gdviz.ui.scene_frame import SceneFrame

LIFT = 0.01  # paths float this far (scene units) above the surface, so they are not buried
DOT_PX = 14.0  # diameter of the current point, as the GL markers had
# The current point shows when its centre or any of these points of its disc (pixels) is
# visible: GL showed the unhidden part of a marker, so a run resting at the bottom of a pit
# stayed in sight; drawing the whole dot then beats drawing none.
_DOT_RIM = 0.3 * DOT_PX * np.array([[0.0, 0.0], [1, 0], [-1, 0], [0, 1], [0, -1],
                                    [0.7, 0.7], [-0.7, 0.7], [0.7, -0.7], [-0.7, -0.7]])
_uids = itertools.count()

Placer = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _steps_moved(before: list, after: list) -> list[tuple[_Track, int, int]] | None:
    """``(track, old step, new step)`` for each run whose step changed, when that is all that
    changed between two :meth:`SurfacePaths.set_runs` (same runs, tracks and colours)."""
    if len(before) != len(after):
        return None
    out = []
    for b, a in zip(before, after, strict=True):
        if (b is None) != (a is None):
            return None
        if a is None:
            continue
        if b[0] is not a[0] or b[2] != a[2]:
            return None
        if b[1] != a[1]:
            out.append((a[0], b[1], a[1]))
    return out


class _Track:
    """One trajectory: its placement in the scene and its projection (each cached)."""

    __slots__ = ("uid", "trajectory", "pos", "inside", "where", "version", "projected",
                 "serial")

    def __init__(self, trajectory) -> None:
        self.uid = next(_uids)  # unlike id(), never reused: the canvas is keyed on it
        self.trajectory = trajectory
        self.pos = np.empty((0, 3))
        self.inside = np.empty(0, bool)  # over the surface: its current point is drawn
        self.where = np.empty(0, np.int8)  # (path_projection's OFF, OVER, EXIT, ENTRY)
        self.version = -1  # placement version the scene positions belong to
        self.projected: ProjectedPath | None = None
        self.serial = -1  # the picture the projection belongs to


class _Mark:
    """What callers and tests see of a run's drawn line or dot (scene coordinates)."""

    def __init__(self, shown: bool, pos: np.ndarray) -> None:
        self._shown, self.pos = shown, pos

    def visible(self) -> bool:
        """Whether the run is drawn at all (hidden runs, runs without a path are not)."""
        return self._shown


class SurfacePaths:
    """Every visible run's path up to the current step, and its current point.

    Parameters
    ----------
    place : callable
        ``place(points, shown_losses) -> (pos, where)``: scene coordinates ``(n, 3)`` of a
        trajectory's points at the heights the surface shows, and which points lie over the
        surface's domain (:data:`~gdviz.ui.path_projection.OVER`, or True), off it, or are
        stood in for by where the path crosses its edge (see
        :func:`~gdviz.ui.path_projection.project_paths`).
    """

    def __init__(self, place: Placer) -> None:
        self._place = place
        self._version = 0  # bumped when the surface (so every placement) changed
        self._tracks: dict[int, _Track] = {}
        self._runs: list[tuple[_Track, int, QtGui.QColor] | None] = []
        self.line_width = 3.0
        self._canvas: QtGui.QImage | None = None  # the picture with the paths drawn so far
        self._canvas_key: tuple | None = None  # what the canvas was drawn for
        self._drawn: list[int] = []  # per shown run, the step its path is drawn up to
        # What the last set_runs changed, when only steps moved: (track, old, new) per run.
        self._steps_moved: list[tuple[_Track, int, int]] | None = None

    def invalidate(self) -> None:
        """The surface changed (domain, heights, scale): place every path again."""
        self._version += 1

    def set_runs(self, runs, iteration: int) -> bool:
        """Show each run's path up to ``iteration``; return whether anything drawn changed.

        Cheap by design (a playback frame): placement and projection wait for the next paint,
        and only happen when the trajectory, the surface or the picture changed.
        """
        tracks: dict[int, _Track] = {}
        shown: list[tuple[_Track, int, QtGui.QColor] | None] = []
        for run in runs:
            traj = run.trajectory
            if traj is None or not run.spec.visible or len(traj.points) == 0:
                shown.append(None)
                continue
            track = self._tracks.get(id(traj))
            if track is None or track.trajectory is not traj:
                track = _Track(traj)
            tracks[id(traj)] = track
            k = max(0, min(int(iteration), len(traj.points) - 1))
            shown.append((track, k, QtGui.QColor(run.spec.color or "#000000")))
        self._tracks = tracks  # forget trajectories no run holds any more
        changed = [(s[0], s[1], s[2].rgba()) if s else None for s in shown]
        before = [(s[0], s[1], s[2].rgba()) if s else None for s in self._runs]
        self._steps_moved = _steps_moved(before, changed)
        self._runs = shown
        return changed != before

    def dirty_region(self, frame: SceneFrame | None) -> QtGui.QRegion | None:
        """The part of the picture the last :meth:`set_runs` changed, in widget pixels, or
        None when it cannot be bounded (anything but runs moving along their paths, or paths
        not yet projected onto ``frame``): then the whole picture must be painted.

        A playback frame changes a few small boxes (each run's new segments and its old and
        new current point); painting just those spares the two full-size blits of the picture
        (and Qt's flush of the whole view) a frame would otherwise cost.
        """
        moves = self._steps_moved
        if frame is None or moves is None:
            return None
        grow = 0.5 * (DOT_PX + 3.0) + self.line_width + 2.0
        box = QtCore.QRect()
        for track, k0, k1 in moves:
            proj = track.projected
            if proj is None or track.serial != frame.serial:
                return None
            lo, hi = min(k0, k1), max(k0, k1)
            first = max(0, int(proj.t.searchsorted(lo, side="right")) - 1)
            last = int(proj.t.searchsorted(hi, side="right"))
            bounds = _bounds(proj.xy[first:last + 1], proj.vertex_xy[k0], proj.vertex_xy[k1])
            if bounds is None:
                continue
            (lo_x, lo_y), (hi_x, hi_y) = bounds
            x0, y0 = math.floor(lo_x - grow), math.floor(lo_y - grow)
            x1, y1 = math.ceil(hi_x + grow), math.ceil(hi_y + grow)
            box = box.united(QtCore.QRect(x0, y0, x1 - x0 + 1, y1 - y0 + 1))
        return QtGui.QRegion(box)

    @property
    def run_items(self) -> list[tuple[_Mark, _Mark]]:
        """Per run: its line (the drawn prefix) and its current point, in scene coordinates.

        The current point is empty when the run is off the surface's domain there.
        """
        out = []
        for entry in self._runs:
            if entry is None:
                empty = np.zeros((0, 3))
                out.append((_Mark(False, empty), _Mark(False, empty)))
                continue
            track, k, _color = entry
            self._placed(track)
            line = track.pos[: k + 1][track.where[: k + 1] != 0]
            dot = track.pos[k : k + 1] if track.inside[k] else np.zeros((0, 3))
            out.append((_Mark(True, line), _Mark(True, dot)))
        return out

    # -- drawing --------------------------------------------------------------------------------
    def _placed(self, track: _Track) -> _Track:
        if track.version != self._version:
            traj = track.trajectory
            with np.errstate(all="ignore"):
                f = np.asarray(traj.losses, dtype=float)
                pos, where = self._place(np.asarray(traj.points, dtype=float), f)
            track.pos = np.column_stack([pos[:, :2], pos[:, 2] + LIFT])
            track.where = np.asarray(where).astype(np.int8)
            track.inside = track.where == OVER
            track.version, track.projected = self._version, None
        return track

    def _project(self, tracks: list[_Track], frame: SceneFrame) -> None:
        """Project the tracks whose projection belongs to an older picture (all at once)."""
        stale = [tr for tr in tracks if tr.projected is None or tr.serial != frame.serial]
        if not stale:
            return
        for tr in stale:
            self._placed(tr)
        projected = project_paths(frame, [(tr.pos, tr.where) for tr in stale])
        for tr, proj in zip(stale, projected, strict=True):
            tr.projected, tr.serial = proj, frame.serial

    def paint(self, painter: QtGui.QPainter, frame: SceneFrame) -> None:
        """Draw ``frame``'s picture with the paths on it, then every current point on top.

        The paths are kept drawn on a copy of the picture: a frame that moves the runs forward
        strokes only their new segments (stroking wide antialiased lines is most of the cost),
        anything else — a step back, another picture, width or colour — draws them afresh.
        """
        shown = [e for e in self._runs if e]
        if not shown:
            return
        self._project([track for track, _k, _c in shown], frame)
        runs = [(track.projected, track, k, color) for track, k, color in shown]
        key = (frame.serial, self.line_width,
               tuple((track.uid, color.rgba()) for _p, track, _k, color in runs))
        drawn = self._drawn
        if (self._canvas is None or key != self._canvas_key
                or any(k < old for (_p, _t, k, _c), old in zip(runs, drawn, strict=True))):
            self._canvas = frame.image.copy()
            self._canvas.setDevicePixelRatio(frame.dpr)
            self._canvas_key, drawn = key, [0] * len(runs)
        if any(k > old for (_p, _t, k, _c), old in zip(runs, drawn, strict=True)):
            self._stroke(runs, drawn)
        self._drawn = [k for _p, _t, k, _c in runs]
        painter.drawImage(QtCore.QPointF(0, 0), self._canvas)
        self._paint_dots(painter, frame, runs)

    @staticmethod
    def _paint_dots(painter: QtGui.QPainter, frame: SceneFrame, runs) -> None:
        """Each run's current point, where the scene leaves some of its disc in sight; where
        it hides all of it, the disc's outline, dashed, seen through the surface (a run at
        the bottom of Himmelblau's well behind a fold had no mark at all: the class lost it)."""
        # One depth test for every run's disc (a frame's only per-step visibility work).
        rim = np.concatenate([p.vertex_xy[k] + _DOT_RIM for p, _t, k, _c in runs])
        near = np.repeat([p.vertex_distance[k] for p, _t, k, _c in runs], len(_DOT_RIM))
        seen = frame.visible(rim, near, DEPTH_TOLERANCE).reshape(len(runs), -1).any(axis=1)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        ring = QtGui.QPen(QtGui.QColor(255, 255, 255, 230), DOT_PX + 3.0)
        ring.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
        dot = QtGui.QPen(QtGui.QColor(), DOT_PX)
        dot.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
        half = _HIDDEN_PX / 2
        for (proj, track, k, color), show in zip(runs, seen, strict=True):
            if not track.inside[k]:
                continue
            point = QtCore.QPointF(*proj.vertex_xy[k])
            if not show:
                marker = _hidden_marker(color.rgba(), frame.dpr)
                painter.drawImage(QtCore.QPointF(point.x() - half, point.y() - half), marker)
                continue
            painter.setPen(ring)
            painter.drawPoint(point)
            dot.setColor(color)
            painter.setPen(dot)
            painter.drawPoint(point)

    def _stroke(self, runs, drawn: list[int]) -> None:
        """Add to the canvas each run's path from step ``drawn[i]`` to its current step."""
        painter = QtGui.QPainter(self._canvas)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        pen = QtGui.QPen()
        pen.setWidthF(self.line_width)
        pen.setCapStyle(QtCore.Qt.PenCapStyle.RoundCap)
        # Bevel joins: round ones cost the stroker most of a path's time, and look the same.
        pen.setJoinStyle(QtCore.Qt.PenJoinStyle.BevelJoin)
        try:
            for (proj, _track, k, color), old in zip(runs, drawn, strict=True):
                if k <= old:
                    continue
                # From the last sample already drawn (the new part joins it) to the last one
                # at or before step k.
                first = max(0, int(np.searchsorted(proj.t, old, side="right")) - 1)
                last = int(np.searchsorted(proj.t, k, side="right"))
                pen.setColor(color)
                painter.setPen(pen)
                skip = int(np.searchsorted(proj.pieces[:, 1], first, side="right"))
                for start, end in proj.pieces[skip:]:  # pieces ending before `first` are drawn
                    if start >= last:
                        break
                    start, end = max(start, first), min(end, last)
                    if end - start >= 2:
                        # (as separate segments when it zigzags: see stroke_polyline)
                        stroke_polyline(painter, proj.xy[int(start):int(end)], pen)
        finally:
            painter.end()


_HIDDEN_PX = DOT_PX + 10.0  # the hidden point's marker, its light rim included (pixels)


@functools.lru_cache(maxsize=64)
def _hidden_marker(rgba: int, dpr: float) -> QtGui.QImage:
    """A current point the scene hides: its disc's outline, dashed, on a light rim (the
    dashes alone, the run's blue over the surface's blues, were all but invisible in an
    export). Drawn once per colour and pixel ratio: stroked each frame, a dashed
    antialiased circle cost 0.2 ms, about 2 ms of a frame with runs behind Rastrigin's
    hills."""
    side = math.ceil(_HIDDEN_PX * dpr)
    image = QtGui.QImage(side, side, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QtCore.Qt.GlobalColor.transparent)
    image.setDevicePixelRatio(dpr)
    painter = QtGui.QPainter(image)
    try:
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        centre = QtCore.QPointF(_HIDDEN_PX / 2, _HIDDEN_PX / 2)
        painter.setPen(QtGui.QPen(QtGui.QColor(255, 255, 255, 210), 6.0))
        painter.drawEllipse(centre, DOT_PX / 2, DOT_PX / 2)
        painter.setPen(QtGui.QPen(QtGui.QColor.fromRgba(rgba), 2.5, QtCore.Qt.PenStyle.DashLine))
        painter.drawEllipse(centre, DOT_PX / 2, DOT_PX / 2)
    finally:
        painter.end()
    return image


def _bounds(segment: np.ndarray, a: np.ndarray, b: np.ndarray):
    """``((min x, min y), (max x, max y))`` of a path's projected points ``segment`` and the
    points ``a`` and ``b``, NaN left out, each kept within ±:data:`FAR_PX` (a run gone far off,
    seen from straight above, projects to billions of pixels: kept within QRect's int range,
    Qt clips the rest); None when all are NaN."""
    if len(segment) <= 64:  # a frame's few points: plain floats beat numpy's per-call cost
        pts = [*segment.tolist(), a.tolist(), b.tolist()]
        xs = [min(max(x, -FAR_PX), FAR_PX) for x, y in pts if x == x and y == y]
        ys = [min(max(y, -FAR_PX), FAR_PX) for x, y in pts if x == x and y == y]
        return ((min(xs), min(ys)), (max(xs), max(ys))) if xs else None
    # (a jump over a whole path: 7 runs of 20,000 steps took 45 ms as Python floats)
    pts = np.vstack([segment, a[None], b[None]])
    pts = np.clip(pts[~np.isnan(pts).any(axis=1)], -FAR_PX, FAR_PX)
    if not len(pts):
        return None
    low, high = pts.min(axis=0), pts.max(axis=0)
    return (float(low[0]), float(low[1])), (float(high[0]), float(high[1]))
