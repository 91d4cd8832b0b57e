"""The 2D map: heatmap, labelled contour lines, colour bar, gradient field and the runs."""

from __future__ import annotations

import numpy as np

from gdviz.core.grid import Grid, contour_levels, contour_paths
from gdviz.ui.arrows import arrow_segments
from gdviz.ui.qt import QtCore, QtGui, QtWidgets, Signal, pg
from gdviz.ui.run_item import RunItem

FIELD_BINS = 5
VELOCITY_COLOR = "#ff3fd2"  # magenta: visible on the dark and the light end of the map
FIELD_COLORS = ("#f2f2f2", "#f6c7b6", "#f08a6c", "#d7301f", "#7f0000")


class ContourView(pg.GraphicsLayoutWidget):
    """Heatmap + contours + gradient field + trajectories; emits the user's intents.

    Signals
    -------
    mapClicked(a, b)
        A plain left click on the map (sets the selected run's start).
    startMoved(run, a, b)
        A start marker is being dragged.
    rangeChanged(domain)
        The user panned or zoomed (debounced); the loss should be re-sampled there.
    """

    mapClicked = Signal(float, float)
    startMoved = Signal(int, float, float)
    rangeChanged = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("contourView")
        self.setAccessibleName("2D map of the loss")
        self.setToolTip("Click to set the start of the selected run; drag a start marker "
                        "(circle) to move it. Scroll to zoom, drag to pan.")
        self.plot = self.addPlot()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        # The heatmap, contours and field change only when the loss or view does: cache their
        # pixels so a playback frame repaints only the moving runs.
        self.image.setCacheMode(QtWidgets.QGraphicsItem.DeviceCoordinateCache)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(colorMap=pg.colormap.get("viridis"), interactive=False,
                                        width=18)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.contours: list[pg.PlotDataItem] = []
        self.labels: list[pg.TextItem] = []
        self.field_items = []
        for color in FIELD_COLORS:
            item = pg.PlotDataItem(pen=pg.mkPen(color, width=1.6), connect="pairs")
            item.setZValue(5)
            item.curve.setCacheMode(QtWidgets.QGraphicsItem.DeviceCoordinateCache)
            self.plot.addItem(item)
            self.field_items.append(item)
        self.run_items: list[dict] = []
        self._velocity_listed = False
        self.line_width = 2.5
        self.legend = pg.LegendItem(offset=(8, 8), labelTextColor="k", brush=(255, 255, 255, 200),
                                    pen=pg.mkPen("#888888"))
        self.legend.setParentItem(self.plot.vb)
        self._legend_items = {
            "gradient": pg.PlotDataItem(pen=pg.mkPen("#c00000", width=3)),
            "step": pg.PlotDataItem(pen=pg.mkPen("#333333", width=3,
                                                 style=QtCore.Qt.DashLine)),
            "velocity": pg.PlotDataItem(pen=pg.mkPen(VELOCITY_COLOR, width=2.5,
                                                     style=QtCore.Qt.DotLine)),
        }
        self.legend.addItem(self._legend_items["gradient"], "∇f at the current point")
        self.legend.addItem(self._legend_items["step"], "step taken")
        self._font = QtGui.QFont()
        self._range_timer = QtCore.QTimer(self, singleShot=True, interval=150)
        self._range_timer.timeout.connect(self._emit_range)
        self._suspend_range = False
        self.plot.vb.sigRangeChangedManually.connect(self._on_range_changed_manually)
        self.plot.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.grid: Grid | None = None
        self.field_drawn: tuple[np.ndarray, ...] = ()
        self.contour_lines: dict[float, list[np.ndarray]] = {}
        self.slice_line: pg.InfiniteLine | None = None  # see set_slice_line

    # -- axes and range -------------------------------------------------------------------
    def set_variables(self, a: str, b: str) -> None:
        """Label the axes with the loss's variable names."""
        self.plot.setLabel("bottom", a)
        self.plot.setLabel("left", b)

    def set_equal_scales(self, on: bool) -> None:
        """Lock both axes to the same scale (then ∇f looks perpendicular to the contours)."""
        self.plot.vb.setAspectLocked(bool(on))

    def fit(self, domain) -> None:
        """Show exactly ``domain``."""
        (a0, a1), (b0, b1) = domain
        self._suspend_range = True
        self.plot.vb.setRange(xRange=(a0, a1), yRange=(b0, b1), padding=0.0)
        self._suspend_range = False

    def visible_domain(self):
        """The region currently shown, as a domain."""
        (a0, a1), (b0, b1) = self.plot.vb.viewRange()
        return (float(a0), float(a1)), (float(b0), float(b1))

    def _on_range_changed_manually(self, *_):
        if not self._suspend_range:
            self._range_timer.start()

    def _emit_range(self) -> None:
        self.rangeChanged.emit(self.visible_domain())

    # -- the loss -------------------------------------------------------------------------
    def set_grid(self, grid: Grid, shown: np.ndarray, levels_range: tuple[float, float],
                 log: bool, label_of=None) -> None:
        """Draw a sampled loss.

        Parameters
        ----------
        grid
            The samples (for the image position).
        shown
            What to colour: the values, or their log transform (same shape; NaN is masked).
        levels_range
            Colour range (robust percentiles of ``shown``).
        log
            Whether ``shown`` is a log transform (changes the colour bar's label).
        label_of
            Maps a level of ``shown`` back to the loss value printed on its contour.
        """
        self.grid = grid
        (a0, a1), (b0, b1) = grid.domain
        lo, hi = levels_range
        self.image.setImage(shown, autoLevels=False, levels=(lo, hi))
        self.image.setRect(QtCore.QRectF(a0, b0, a1 - a0, b1 - b0))
        self.colorbar.setLevels((lo, hi))
        self.colorbar.axis.setLabel("log₁₀(f − min f)" if log else "f")
        self._draw_contours(grid, shown, lo, hi, label_of or (lambda v: v))

    def _draw_contours(self, grid: Grid, shown: np.ndarray, lo: float, hi: float,
                       label_of) -> None:
        levels = contour_levels(lo, hi, 10)
        step = max(1, shown.shape[0] // 160)  # a coarser copy: smooth lines, less work
        a, b = grid.a[::step], grid.b[::step]
        traced = contour_paths(a, b, shown[::step, ::step], levels)
        while len(self.contours) < len(levels):
            item = pg.PlotDataItem(pen=pg.mkPen((255, 255, 255, 200), width=1.2))
            item.setZValue(1)
            item.curve.setCacheMode(QtWidgets.QGraphicsItem.DeviceCoordinateCache)
            self.plot.addItem(item)
            self.contours.append(item)
            # Dark text on a light chip: readable on every colour of the map.
            label = pg.TextItem(color=(20, 20, 20), anchor=(0.5, 0.5),
                                fill=pg.mkBrush(255, 255, 255, 170))
            label.setZValue(2)
            label.setCacheMode(QtWidgets.QGraphicsItem.DeviceCoordinateCache)
            self.plot.addItem(label)
            self.labels.append(label)
        self.contour_lines = {}
        placed: list[tuple[float, float]] = []
        for i, item in enumerate(self.contours):
            if i >= len(levels):
                item.setData([], [])
                self.labels[i].setText("")
                continue
            pieces = traced[float(levels[i])]
            gap = np.full((1, 2), np.nan)  # NaN rows break the line between pieces
            joined = (np.concatenate([q for p in pieces for q in (p, gap)]) if pieces
                      else np.zeros((0, 2)))
            self.contour_lines[float(levels[i])] = pieces
            item.setData(joined[:, 0], joined[:, 1], connect="finite")
            spot = _label_spot(pieces, placed, i, (a[-1] - a[0], b[-1] - b[0]))
            if spot is not None:
                placed.append(spot)
                self.labels[i].setText(_format_level(label_of(levels[i])))
                self.labels[i].setPos(spot[0], spot[1])
            else:
                self.labels[i].setText("")

    def set_field(self, A, B, U, V, M, sign: float, normalise: bool, visible: bool) -> None:
        """Draw the gradient field: arrows along ``sign·∇f``, coloured by magnitude."""
        if not visible or A is None:
            for item in self.field_items:
                item.setData([], [])
            self.field_drawn = ()
            return
        n = A.shape[0]
        (a0, a1), (b0, b1) = (A.min(), A.max()), (B.min(), B.max())
        cell_a = (a1 - a0) / max(n - 1, 1)
        cell_b = (b1 - b0) / max(n - 1, 1)
        with np.errstate(all="ignore"):
            scale_ref = np.nanpercentile(M[np.isfinite(M)], 95) if np.isfinite(M).any() else 1.0
            if not scale_ref > 0:
                scale_ref = 1.0
            # Arrow length in "cells": screen-direction is what matters, so scale each axis by
            # its own cell size (so an arrow never pokes into the neighbour's cell).
            length = np.full_like(M, 0.8) if normalise else np.clip(M / scale_ref, 0, 1) * 0.9
            ua, vb = U / cell_a, V / cell_b
            norm = np.hypot(ua, vb)
            du = sign * ua / norm * length * cell_a
            dv = sign * vb / norm * length * cell_b
        self.field_drawn = (A, B, du, dv, M)
        finite = np.isfinite(M)
        edges = np.nanpercentile(M[finite], np.linspace(0, 100, FIELD_BINS + 1)) \
            if finite.any() else np.zeros(FIELD_BINS + 1)
        bins = np.clip(np.searchsorted(edges[1:-1], M, side="right"), 0, FIELD_BINS - 1)
        aspect = cell_b / cell_a if cell_a > 0 else 1.0
        for k, item in enumerate(self.field_items):
            sel = (bins == k) & finite
            xs, ys = arrow_segments(A[sel], B[sel], du[sel], dv[sel], 0.35, aspect)
            item.setData(xs, ys, connect="pairs")

    # -- runs ------------------------------------------------------------------------------
    def _ensure_runs(self, count: int) -> None:
        while len(self.run_items) < count:
            index = len(self.run_items)
            run = RunItem()
            run.setZValue(10 + 0.01 * index)
            self.plot.addItem(run)
            start = pg.TargetItem(movable=True, size=16, symbol="o")
            start.setZValue(13)
            start.sigPositionChanged.connect(
                lambda item, i=index: self._on_start_dragged(i, item))
            self.plot.addItem(start)
            self.run_items.append({"item": run, "path": run.path, "current": run.current,
                                   "arrows": run.arrows, "start": start, "index": index})

    def _on_start_dragged(self, index: int, item) -> None:
        if getattr(item, "_gdviz_setting", False):
            return
        pos = item.pos()
        self.startMoved.emit(index, float(pos.x()), float(pos.y()))

    def set_runs(self, runs, iteration: int, show_arrows: bool) -> None:
        """Draw every run's path up to ``iteration``, its start and its current point."""
        self._ensure_runs(len(runs))
        self.legend.setVisible(show_arrows)
        has_velocity = any(r.trajectory is not None and "velocity" in r.trajectory.state
                           for r in runs if r.spec.visible)
        if has_velocity != self._velocity_listed:
            self._velocity_listed = has_velocity
            if has_velocity:
                self.legend.addItem(self._legend_items["velocity"], "velocity (momentum)")
            else:
                self.legend.removeItem(self._legend_items["velocity"])
        for i, items in enumerate(self.run_items):
            run = runs[i] if i < len(runs) else None
            listed = run is not None and run.spec.visible
            items["item"].setVisible(listed and run.trajectory is not None)
            items["start"].setVisible(listed)
            if not listed:
                continue
            start = items["start"]
            if tuple(start.pos()) != tuple(run.spec.start):
                start._gdviz_setting = True
                start.setPos(*run.spec.start)
                start._gdviz_setting = False
            style = (run.spec.color or "#000000", self.line_width)
            if items.get("style") != style:  # restyling only on change, never per frame
                items["style"] = style
                start.setPen(pg.mkPen("w", width=2))
                start.setBrush(pg.mkBrush(style[0]))
                items["item"].set_style(style[0], self.line_width, VELOCITY_COLOR)
            if run.trajectory is not None:
                self._draw_run(items, run, iteration, show_arrows)

    def _draw_run(self, items, run, iteration: int, show_arrows: bool) -> None:
        traj = run.trajectory
        item: RunItem = items["item"]
        if items.get("trajectory") is not traj:
            items["trajectory"] = traj
            finite = np.isfinite(traj.points).all(axis=1)
            items["finite_upto"] = np.cumsum(finite)  # finite points among the first k + 1
            item.set_trajectory(traj.points)
        k = min(iteration, len(traj.points) - 1)
        cur = traj.points[k]
        ok = bool(np.isfinite(cur).all())
        arrows = self._run_arrows(traj, k, cur) if show_arrows and ok else {}
        # A dot per step shows the step sizes; past a few hundred steps they merge into the
        # line and only cost time.
        item.set_frame(int(items["finite_upto"][k]), cur if ok else None, arrows, dots=k <= 300)

    def _run_arrows(self, traj, k: int, cur: np.ndarray) -> dict:
        """The gradient, step and velocity arrows at step ``k``, as segment pairs."""
        (a0, a1), (b0, b1) = self.visible_domain()
        span = np.array([a1 - a0, b1 - b0])
        aspect = span[1] / span[0] if span[0] > 0 else 1.0
        arrows = {}
        g = traj.gradients[k]
        gn = float(np.hypot(*(g / span)))
        if np.isfinite(gn) and gn > 0:
            # The gradient arrow has a fixed on-screen length (12% of the view): its direction
            # is the lesson; its size is in the readouts.
            vec = g / gn * 0.12
            arrows["gradient"] = RunItem.arrow(cur[0], cur[1], vec[0], vec[1], 0.3, aspect)
        if k + 1 < len(traj.points) and np.isfinite(traj.points[k + 1]).all():
            d = traj.points[k + 1] - cur
            arrows["step"] = RunItem.arrow(cur[0], cur[1], d[0], d[1], 0.25, aspect)
        vel = traj.state.get("velocity")
        if vel is not None and np.isfinite(vel[k]).all() and np.any(vel[k] != 0):
            v = vel[k]
            arrows["velocity"] = RunItem.arrow(cur[0], cur[1], v[0], v[1], 0.25, aspect)
        return arrows

    # -- clicks -----------------------------------------------------------------------------
    def _on_scene_clicked(self, event) -> None:
        if event.button() != QtCore.Qt.LeftButton or event.double() or event.isAccepted():
            return
        if not self.plot.vb.sceneBoundingRect().contains(event.scenePos()):
            return
        p = self.plot.vb.mapSceneToView(event.scenePos())
        self.mapClicked.emit(float(p.x()), float(p.y()))

    def set_line_width(self, width: float) -> None:
        """Thicker lines for presentation mode."""
        self.line_width = width

    def set_slice_line(self, axis: int | None, value: float) -> None:
        """Show the line the "Slice" tab cuts along (dashed; the held variable's colour).

        Parameters
        ----------
        axis
            0: the slice runs along the first variable, so the line is b = ``value``
            (horizontal); 1: along the second, the line a = ``value`` (vertical); None hides it.
        value
            The held variable's value.
        """
        if axis is None or not np.isfinite(value):
            if self.slice_line is not None:
                self.slice_line.setVisible(False)
            return
        if self.slice_line is None:
            self.slice_line = pg.InfiniteLine(
                movable=False, pen=pg.mkPen("#7B3294", width=2.5, style=QtCore.Qt.DashLine),
                label="", labelOpts={"position": 0.15, "color": "#7B3294",
                                     "fill": (255, 255, 255, 210)})
            font = QtGui.QFont()
            font.setPointSize(12)
            self.slice_line.label.setFont(font)
            self.slice_line.setZValue(4)
            self.plot.addItem(self.slice_line, ignoreBounds=True)
        name = self.plot.getAxis("left" if axis == 0 else "bottom").labelText or "held"
        self.slice_line.setAngle(0 if axis == 0 else 90)
        self.slice_line.setValue(float(value))
        label = self.slice_line.label
        # Left-aligned just above a horizontal line; right of a vertical one, near the top:
        # never cut off by the plot's edge, however narrow the map is.
        label.anchors = [(0.0, 1.0)] * 2 if axis == 0 else [(0.0, 0.0)] * 2
        label.orthoPos = 0.02 if axis == 0 else 0.9
        label.setFormat(f"slice: {name} = {{value:.3g}}")
        label.updatePosition()
        self.slice_line.setVisible(True)


def _label_spot(pieces, placed, index: int, span) -> tuple[float, float] | None:
    """A point on the level's longest piece, away from labels already placed.

    Labels of nested contours (a valley, a bowl) would all sit at the same spot if each went
    to its curve's middle; trying different fractions along the curve spreads them out.
    """
    if not pieces:
        return None
    line = max(pieces, key=len)
    if len(line) < 8:
        return None
    sx, sy = (float(s) if s > 0 else 1.0 for s in span)
    for frac in np.roll([0.5, 0.25, 0.75, 0.12, 0.88, 0.38, 0.62], index % 7):
        p = line[int(frac * (len(line) - 1))]
        if all(((p[0] - q[0]) / sx) ** 2 + ((p[1] - q[1]) / sy) ** 2 > 0.1 ** 2 for q in placed):
            return float(p[0]), float(p[1])
    return None


def _format_level(v: float) -> str:
    if not np.isfinite(v):
        return ""
    if v == 0:
        return "0"
    if abs(v) >= 1e4 or abs(v) < 1e-2:
        return f"{v:.1e}"
    return f"{v:.3g}"
