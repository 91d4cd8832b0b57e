"""The runs on the 2D map: paths drawn incrementally, current points, arrows and start markers.

During playback a path grows by a step per frame. Its drawn part is kept in a *trail* image;
a frame draws only the new segments into it (microseconds), then the map paints the trail,
the arrows at each current point and the start markers on top. The trail is drawn again in
full only when it must be (a step back, another path, colour or width, a new view). A run's
state and the handles onto its parts are in :mod:`gdviz.ui.map_run_state`.
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.ui.arrows import clip_polyline
from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.canvas.box_updates import FAR_PX
from gdviz.ui.canvas.polygons import polygon, stroke_polyline, thin_path
from gdviz.ui.map_markers import dot, draw_arrows, marker, pen
from gdviz.ui.map_run_arrows import run_arrows
from gdviz.ui.map_run_state import RunPart, RunState, StartMarker

ARROW_NAMES = ("gradient", "step", "velocity")
DOT_LIMIT = 300  # past this many steps the dots merge into the line: only the line is drawn
VELOCITY_COLOR = "#ff3fd2"  # magenta: visible on the dark and the light end of the map
GRADIENT_COLOR = "#c00000"
HIT_RADIUS = 11.0  # px: a press this close to a start marker drags it
_MARKER_EDGES = np.array([[0, 0], [10, 0], [-10, 0], [0, 10], [0, -10]], dtype=float)


class RunLayer:
    """Draws every run of the map (see the module docstring); owned by the map canvas."""

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.states: list[RunState] = []
        self.items: list[dict] = []  # per run: "path", "current", "arrows", "start" parts
        self.line_width = 2.5
        self._trail: QtGui.QImage | None = None
        self._trail_base: QtGui.QImage | None = None  # the static picture the trail copies
        self._trail_key = None
        self._full = True  # the trail must be drawn again from scratch
        self._px: tuple | None = None  # (view key, per-run pixel geometry), see _overlay_px
        self.trail_rebuilds = 0  # how often (tests, profiling)
        self.arrows_shown = True  # whether the runs' arrows are drawn (see landmarks)

    # -- state -------------------------------------------------------------------------------
    def ensure(self, count: int) -> None:
        while len(self.states) < count:
            i = len(self.states)
            self.states.append(RunState(i))
            self.items.append({"path": RunPart(self, i, "path"),
                               "current": RunPart(self, i, "current"),
                               "arrows": {n: RunPart(self, i, n) for n in ARROW_NAMES},
                               "start": StartMarker(self, i), "index": i})

    def set_line_width(self, width: float) -> None:
        if width != self.line_width:
            self.line_width = float(width)
            self.rebuild()

    def rebuild(self) -> None:
        """Draw every path again at the next paint (view, size or style changed)."""
        self._full = True

    def update_run(self, i: int, visible: bool, color: str, start, trajectory, points,
                   shown: int, current, arrows: dict, dots: bool) -> None:
        """New state of run ``i`` for this frame."""
        s = self.states[i]
        start = (float(start[0]), float(start[1]))
        if (trajectory is not s.trajectory or color != s.color or visible != s.visible
                or dots != s.dots or shown < s.drawn or start != s.start):
            self._full = True  # (frames repaint no start marker's box: see frame_rects)
        if trajectory is not s.trajectory:
            s.points = points
        s.trajectory, s.color, s.visible, s.dots = trajectory, color, visible, dots
        s.start = start
        s.shown = max(0, min(int(shown), len(s.points)))
        s.current = current
        s.arrows = arrows
        self._px = None

    def geometry_changed(self) -> None:
        """A start, current point or arrow moved outside :meth:`update_run`."""
        self._px = None
        for s in self.states:
            s.framed = None

    def hide_from(self, count: int) -> None:
        """Runs at ``count`` and after no longer exist."""
        self._px = None
        for s in self.states[count:]:
            if s.visible or s.trajectory is not None:
                self._full = True
            s.visible, s.trajectory, s.points = False, None, np.empty((0, 2))
            s.shown = s.drawn = 0
            s.current, s.arrows = None, {}

    def landmarks(self, reach: float = 45.0) -> tuple[np.ndarray, np.ndarray]:
        """Widget pixels of what a legend must not hide, and their weights: each shown run's
        start (20), a ring of ``reach`` pixels around it (3 each), its ∇f arrow there where
        arrows are shown (:meth:`_start_arrow`, 6 a point: at 1280 × 720 Himmelblau's basins
        key lay over the arrow the class is shown first), its path, a point a 6-pixel cell
        (1), and its end with its marker's edges (10 each: the runs' key hid where seven
        compared runs reached Rosenbrock's minimum)."""
        ring = reach * np.column_stack([np.cos(np.arange(8) * np.pi / 4),
                                        np.sin(np.arange(8) * np.pi / 4)])
        points, weights = [], []
        for s in self.states:
            if not s.visible or s.trajectory is None:
                continue
            path = s.points[:: max(1, len(s.points) // 200)]
            x, y = self.canvas.data_to_px(np.r_[s.start[0], path[:, 0]],
                                          np.r_[s.start[1], path[:, 1]])
            start = np.array([[float(x[0]), float(y[0])]])
            # (once per 6-px cell: steps piled up at a minimum outweighed Rosenbrock's start)
            path_px = np.unique(np.round(np.column_stack([x[1:], y[1:]]) / 6.0), axis=0) * 6.0
            ex, ey = self.canvas.data_to_px(*(s.points[-1] if len(s.points) else s.start))
            end = np.array([[float(ex), float(ey)]]) + _MARKER_EDGES
            arrow = self._start_arrow(s.trajectory)
            points += [start, start + ring, arrow, path_px, end]
            weights += [np.array([20.0]), np.full(8, 3.0), np.full(len(arrow), 6.0),
                        np.ones(len(path_px)), np.full(5, 10.0)]
        if not points:
            return np.empty((0, 2)), np.empty(0)
        return np.vstack(points), np.concatenate(weights)

    def _start_arrow(self, traj) -> np.ndarray:
        """Widget pixels of the ∇f arrow drawn at ``traj``'s start: a third, two thirds and
        the whole of its shaft, and its head's two barbs (none where arrows are off)."""
        if not self.arrows_shown:
            return np.empty((0, 2))
        c = self.canvas
        xs, ys = run_arrows(traj, 0, traj.points[0], c.view_range(), c.plot_rect()).get(
            "gradient", ((), ()))
        if len(xs) < 6:
            return np.empty((0, 2))
        t = np.array([1 / 3, 2 / 3, 1.0])
        ax = np.r_[xs[0] + t * (xs[1] - xs[0]), xs[3], xs[5]]
        ay = np.r_[ys[0] + t * (ys[1] - ys[0]), ys[3], ys[5]]
        px, py = c.data_to_px(ax, ay)
        return np.column_stack([px, py])

    def hit(self, pos: QtCore.QPointF) -> int | None:
        """The run whose start marker is under ``pos`` (topmost first)."""
        for s in reversed(self.states):
            if s.visible:
                x, y = self.canvas.data_to_px(*s.start)
                if (x - pos.x()) ** 2 + (y - pos.y()) ** 2 <= HIT_RADIUS ** 2:
                    return s.index
        return None

    # -- what a frame changes ----------------------------------------------------------------
    @property
    def needs_full_repaint(self) -> bool:
        """Whether the next paint draws every path again (then the whole map repaints)."""
        return self._full or self._trail is None

    def _overlay_px(self) -> list[dict | None]:
        """Per run, the widget pixels of its start, current point and arrows — mapped in one
        numpy call for all runs (per item, the calls cost more than the drawing)."""
        c = self.canvas
        key = (c.view_range(), c.plot_rect().getRect())
        if self._px is not None and self._px[0] == key:
            return self._px[1]
        xs: list[float] = []
        ys: list[float] = []
        spans: list[dict | None] = []
        for s in self.states:
            if not s.visible:
                spans.append(None)
                continue
            span = {"start": len(xs)}
            xs.append(s.start[0])
            ys.append(s.start[1])
            if s.trajectory is not None:
                if s.current is not None:
                    span["current"] = len(xs)
                    xs.append(s.current[0])
                    ys.append(s.current[1])
                for name, (ax, ay) in s.arrows.items():
                    span[name] = (len(xs), len(ax))
                    xs.extend(ax)
                    ys.extend(ay)
            spans.append(span)
        px, py = c.data_to_px(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
        pxl, pyl = px.tolist(), py.tolist()  # Python floats: what QPointF and min() want
        out: list[dict | None] = []
        for span in spans:
            if span is None:
                out.append(None)
                continue
            geo = {"start": (pxl[span["start"]], pyl[span["start"]])}
            if "current" in span:
                geo["current"] = (pxl[span["current"]], pyl[span["current"]])
            for name in ARROW_NAMES:
                if name in span:
                    i, n = span[name]
                    geo[name] = (pxl[i:i + n], pyl[i:i + n])
            out.append(geo)
        self._px = (key, out)
        return out

    def frame_rects(self, pieces: bool = True) -> list[QtCore.QRect]:
        """Where this frame draws over the static map, in widget pixels: per run, a box around
        its current point and arrows and one around the path's piece not yet drawn (not with
        ``pieces=False``: what the next frame must erase). Start markers do not move during
        playback (a new start repaints the whole map), nor does a run that has stopped: a
        run whose point, arrows and path are as the last frame drew them gets no box (seven
        compared runs, six of them at rest, repainted all seven each frame). Plain float
        arithmetic: per run and frame, numpy's per-call overhead would cost more than the
        boxes."""
        c = self.canvas
        grow = self.line_width / 2 + 4.0
        out: list[QtCore.QRect] = []
        view = (c.view_range(), c.plot_rect().getRect(), self.line_width)

        def add(x0: float, y0: float, x1: float, y1: float) -> None:
            if math.isfinite(x0 + y0 + x1 + y1):
                # A diverging run sits far off the map: keep the box within int range (Qt
                # clips it to the widget anyway).
                x0, x1 = max(x0, -FAR_PX), min(x1, FAR_PX)
                y0, y1 = max(y0, -FAR_PX), min(y1, FAR_PX)
                if x1 >= x0 and y1 >= y0:
                    out.append(QtCore.QRect(int(x0) - 1, int(y0) - 1, int(x1 - x0) + 3,
                                            int(y1 - y0) + 3))

        for s, geo in zip(self.states, self._overlay_px(), strict=True):
            if geo is None or s.trajectory is None:
                continue
            # (the same path, point and arrows in the same view: drawn as they are)
            framed = (view, s.shown, s.current, tuple(s.arrows))
            # (the trajectory by identity: a dataclass's == would compare its arrays)
            same = (framed == s.framed and s.trajectory is s.framed_trajectory
                    and s.shown <= s.drawn)
            s.framed, s.framed_trajectory = framed, s.trajectory
            if pieces and same:
                continue
            if pieces and s.shown > s.drawn:
                lo = max(s.drawn - 1, 0)
                px, py = c.data_to_px(s.points[lo:s.shown, 0], s.points[lo:s.shown, 1])
                if len(px) <= 4:  # the usual frame: a step or two
                    xs, ys = px.tolist(), py.tolist()
                    add(min(xs) - grow, min(ys) - grow, max(xs) + grow, max(ys) + grow)
                else:
                    add(px.min() - grow, py.min() - grow, px.max() + grow, py.max() + grow)
            x0 = y0 = math.inf
            x1 = y1 = -math.inf
            if "current" in geo:
                cx, cy = geo["current"]
                x0, y0, x1, y1 = cx - 11.0, cy - 11.0, cx + 11.0, cy + 11.0
            for name in ARROW_NAMES:
                if name in geo:
                    ax, ay = geo[name]
                    x0, x1 = min(x0, min(ax) - grow), max(x1, max(ax) + grow)
                    y0, y1 = min(y0, min(ay) - grow), max(y1, max(ay) + grow)
            add(x0, y0, x1, y1)
        return out

    # -- painting ----------------------------------------------------------------------------
    def _pens(self, color: str) -> dict[str, QtGui.QPen]:
        w = self.line_width
        return {"line": pen(color, w), "ring": pen("white", 6.6), "dot": pen(color, 5.0)}

    def _draw_path(self, p: QtGui.QPainter, s: RunState, lo: int, hi: int,
                   export: bool = False) -> None:
        """Points ``lo`` … ``hi - 1`` of run ``s`` (the line from ``lo``, then its dots;
        copied from sprites on screen, drawn as shapes in ``export``)."""
        if hi - lo < 1:
            return
        px, py = self.canvas.data_to_px(s.points[lo:hi, 0], s.points[lo:hi, 1])
        pens = self._pens(s.color)
        if export:  # cut at the frame by hand: an SVG keeps no clip (the path ran on over
            # the margin); its dots only inside the frame
            box = self.canvas.plot_rect().getCoords()
            pts = np.column_stack([px, py])
            for part in clip_polyline(pts, box):
                stroke_polyline(p, thin_path(part), pens["line"])
            inside = ((pts[:, 0] >= box[0]) & (pts[:, 0] <= box[2])
                      & (pts[:, 1] >= box[1]) & (pts[:, 1] <= box[3]))
            if s.dots and inside.any():
                points = polygon(pts[inside])
                p.setPen(pens["ring"])
                p.drawPoints(points)
                p.setPen(pens["dot"])
                p.drawPoints(points)
            return
        if hi - lo <= 4:  # a playback frame's piece: a step or two, drawn without numpy
            points = [QtCore.QPointF(x, y) for x, y in zip(px.tolist(), py.tolist(), strict=True)]
            p.setPen(pens["line"])
            if hi - lo >= 2:
                p.drawPolyline(points)
        else:
            pts = np.column_stack([px, py])
            if hi - lo >= 2:
                stroke_polyline(p, thin_path(pts), pens["line"])
            points = polygon(pts)
        if not s.dots:
            return
        # An antialiased thick point is a stroked path for Qt; a sprite copy costs a fifth.
        dpr = self.canvas.devicePixelRatioF()
        for x, y in zip(px.tolist(), py.tolist(), strict=True):
            dot(p, s.color, x, y, dpr)  # (skips points far off or not finite)

    def paint_paths(self, p: QtGui.QPainter) -> None:
        """Every run's whole drawn path (exports: no cached image)."""
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        for s in self.states:
            if s.visible and s.trajectory is not None:
                self._draw_path(p, s, 0, s.shown, export=True)

    def covers_static(self) -> bool:
        """Whether the trail is drawn on a copy of the map's static picture (then painting the
        trail paints the map: one opaque copy per frame, not a copy and a blend)."""
        base = self.canvas._static
        return base is not None and base.format() == QtGui.QImage.Format.Format_RGB32

    def _update_trail(self) -> None:
        c = self.canvas
        dpr = c.devicePixelRatioF()
        base = c._static if self.covers_static() else None
        key = (c.width(), c.height(), dpr, c.view_range(), c.plot_rect())
        if self._trail is None or key != self._trail_key or base is not self._trail_base:
            self._trail_key, self._trail_base = key, base
            self._full = True
        if self._full:
            if base is not None:  # the picture, with the paths to be drawn on it
                self._trail = base.copy()
            else:  # transparent, over the picture (all of it, not just the plot)
                self._trail = QtGui.QImage(max(1, round(c.width() * dpr)),
                                           max(1, round(c.height() * dpr)),
                                           QtGui.QImage.Format.Format_ARGB32_Premultiplied)
                self._trail.fill(QtCore.Qt.GlobalColor.transparent)
            self._trail.setDevicePixelRatio(dpr)
        p = QtGui.QPainter(self._trail)
        p.setClipRect(c.plot_rect())
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        if self._full:
            for s in self.states:
                s.drawn = 0
            self.trail_rebuilds += 1
            self._full = False
        for s in self.states:
            if not s.visible or s.trajectory is None:
                s.drawn = s.shown
                continue
            if s.shown > s.drawn:
                # From the last drawn point, so the new piece joins the old one.
                self._draw_path(p, s, max(s.drawn - 1, 0), s.shown)
                s.drawn = s.shown
        p.end()

    def paint(self, p: QtGui.QPainter, export: bool = False, over_paths=None) -> None:
        """Paths (the cached trail; afresh for an export), ``over_paths(p)``, arrows, points."""
        if export:
            p.save()
            p.setClipRect(self.canvas.plot_rect())
            self.paint_paths(p)
            p.restore()
        else:
            self._update_trail()
            p.drawImage(QtCore.QPointF(0, 0), self._trail)
        if over_paths is not None:
            over_paths(p)
        p.save()
        p.setClipRect(self.canvas.plot_rect())
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        w = self.line_width
        styles = {"gradient": pen(GRADIENT_COLOR, w + 0.5, cap=QtCore.Qt.PenCapStyle.FlatCap),
                  "velocity": pen(VELOCITY_COLOR, w, QtCore.Qt.PenStyle.DotLine,
                                   QtCore.Qt.PenCapStyle.FlatCap)}
        geometry = self._overlay_px()
        dpr = 1.0 if export else self.canvas.devicePixelRatioF()
        for s, geo in zip(self.states, geometry, strict=True):
            if geo is None or s.trajectory is None:
                continue
            for name in ARROW_NAMES:
                if name not in geo:
                    continue
                line = styles.get(name) or pen(s.color, w + 0.5, QtCore.Qt.PenStyle.DashLine,
                                               QtCore.Qt.PenCapStyle.FlatCap)
                draw_arrows(p, line, *geo[name])
            if "current" in geo:
                marker(p, "current", s.color, *geo["current"], dpr, export)
        # Start markers on top: they are what a drag grabs.
        for s, geo in zip(self.states, geometry, strict=True):
            if geo is not None:
                marker(p, "start", s.color, *geo["start"], dpr, export)
        p.restore()

