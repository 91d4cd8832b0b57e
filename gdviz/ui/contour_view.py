"""The 2D map: heatmap, labelled contour lines, colour bar, gradient field and the runs.

Drawn on a :class:`~gdviz.ui.canvas.plot_canvas.PlotCanvas`: everything that changes only with
the loss or the view is painted once into the static layer (:mod:`gdviz.ui.map_layers`); a
playback frame paints the runs' new path segments, the arrows and markers
(:mod:`gdviz.ui.map_runs`) and the slice line on top."""

from __future__ import annotations

import numpy as np

from gdviz.core.grid import Grid
from gdviz.core.levels import contour_levels
from gdviz.core.session_checks import MAX_COORDINATE
from gdviz.ui import map_field
from gdviz.ui import map_layers as layers
from gdviz.ui.binding import QtCore, QtGui, Signal
from gdviz.ui.canvas.plot_canvas import PlotCanvas
from gdviz.ui.map_contours import LEVELS, MapContours
from gdviz.ui.map_field import FIELD_WIDTH
from gdviz.ui.map_field import MIN_ARROW_CELL as MIN_ARROW_CELL
from gdviz.ui.map_labels import LevelLabels
from gdviz.ui.map_legends import MapLegends
from gdviz.ui.map_overlays import BasinsLayer, show_basins
from gdviz.ui.map_picture import MapPicture, Source
from gdviz.ui.map_run_arrows import run_arrows
from gdviz.ui.map_runs import DOT_LIMIT, RunLayer
from gdviz.ui.map_slice_line import SliceLine, paint_slice_line, show_slice_line, slice_line_rect
from gdviz.ui.path_memo import PathMemo

RANGE_DEBOUNCE_MS = 150


class ContourView(PlotCanvas):
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
    arrowRoomChanged = Signal()  # size or arrow width: the window fits the field to it

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("contourView")
        self._slice_box: QtCore.QRectF | None = None  # where the slice line's label was
        self.view_limit = MAX_COORDINATE  # (a map zoomed out past it could not be saved)
        self.setAccessibleName("2D map of the loss")
        self.setToolTip("Click to set the start of the selected run; drag a start marker "
                        "(circle) to move it. Scroll to zoom, drag to pan.")
        self.grid: Grid | None = None
        self.shown: np.ndarray | None = None
        self.levels_range = (0.0, 1.0)
        self._any_value = False
        self.levels = np.array([0.5])  # the contour levels (of what the map colours)
        self.colorbar_label = "f"
        self.bar_log = None  # (a log map's levels and the f of each: the bar's ticks)
        self._heat: QtGui.QImage | None = None
        self._heat_grey = False  # (whether _heat is in grey: under the basins' tints)
        # The screen-resolution picture (made in the background for a costly loss).
        self.picture = MapPicture(self)
        self.picture.ready.connect(self.redraw_data)
        self._contours = MapContours()
        self.field_drawn: tuple[np.ndarray, ...] = ()
        self._field_bins: np.ndarray | None = None
        self.line_width = 2.5
        self.contour_width = 1.2
        self.field_width = FIELD_WIDTH
        self.runs = RunLayer(self)
        self.slice_line = SliceLine()
        self._frame_rects: list[QtCore.QRect] = []  # where the last frame drew runs
        self._arrows_at = PathMemo()  # (per run: see _run_arrows)
        self.basins = BasinsLayer()
        self.legends = MapLegends(self)
        self.label_boxes: list[QtCore.QRectF] = []  # where the level labels went
        self.legend, self.basins_legend = self.legends.arrows, self.legends.basins
        self._range_timer = QtCore.QTimer(self, singleShot=True, interval=RANGE_DEBOUNCE_MS)
        self._range_timer.timeout.connect(self._emit_range)
        self.level_labels = LevelLabels(self, RANGE_DEBOUNCE_MS)  # (off the runs' paths)
        self.userRangeChanged.connect(self._on_user_range_changed)

    @property
    def run_items(self) -> list[dict]:
        """Per run: ``"path"``, ``"current"``, ``"arrows"`` and ``"start"`` (what is drawn)."""
        return self.runs.items

    @property
    def image_data(self) -> np.ndarray | None:
        """The values coloured on the map (the loss or its log), rows along the 2nd variable."""
        return self.shown

    # -- axes and range -------------------------------------------------------------------
    def set_variables(self, a: str, b: str) -> None:
        """Label the axes with the loss's variable names."""
        self.set_axis_label("bottom", a)
        self.set_axis_label("left", b)
        self.slice_line.name = b if self.slice_line.angle == 0 else a

    def set_equal_scales(self, on: bool) -> None:
        """Lock both axes to the same scale (then ∇f looks perpendicular to the contours)."""
        self.set_aspect_locked(on)

    def fit(self, domain) -> None:
        """Show exactly ``domain`` (widened to equal scales when those are on)."""
        (a0, a1), (b0, b1) = domain
        self.set_range((a0, a1), (b0, b1))

    def visible_domain(self):
        """The region currently shown, as a domain."""
        (a0, a1), (b0, b1) = self.view_range()
        return (float(a0), float(a1)), (float(b0), float(b1))

    def invalidate(self) -> None:
        super().invalidate()
        if hasattr(self, "runs"):
            self.runs.rebuild()
            # The arrows at the current points have an on-screen length: a new size or range
            # needs them made again (they kept the first frame's plot size until the step
            # changed).
            shown, self._shown_runs = getattr(self, "_shown_runs", None), None
            if shown is not None:
                self.set_runs(*shown)

    def _on_user_range_changed(self) -> None:
        self._range_timer.start()

    def flush_range(self) -> None:
        """Report a range change now if one is waiting (:meth:`MainWindow.wait_idle`)."""
        if self._range_timer.isActive():
            self._range_timer.stop()
            self._emit_range()

    def _emit_range(self) -> None:
        self.rangeChanged.emit(self.visible_domain())

    # -- the loss -------------------------------------------------------------------------
    def set_grid(self, grid: Grid, shown: np.ndarray, levels_range: tuple[float, float],
                 log: bool, label_of=None, sampler=None, trace: bool = True,
                 levels: np.ndarray | None = None, point_seconds: float = 0.0) -> None:
        """Draw a sampled loss.

        Parameters
        ----------
        grid
            The samples (for the image position).
        shown
            What to colour: the values, or their log transform (same shape; NaN is blank).
        levels_range
            Colour range (robust percentiles of ``shown``).
        log
            Whether ``shown`` is a log transform (changes the colour bar's label).
        label_of
            Maps a level of ``shown`` back to the loss value printed on its contour.
        sampler
            ``sampler(a, b)`` gives what ``shown`` holds at any points (broadcasting): the
            map is then drawn at screen resolution with its contour lines shaded in
            (:mod:`gdviz.ui.map_raster`); without one, ``shown`` is scaled up and the traced
            contour lines are stroked.
        trace
            Trace the level curves (for their labels and ``contour_lines``). The first frame
            skips it (contourpy imports ``numpy.ma``: tens of milliseconds); the compiled
            loss, a moment later, brings them.
        levels
            The contour levels (values of ``shown``); default: round numbers between the
            ends of ``levels_range`` (a log map passes levels at round values of f).
        point_seconds
            What sampling one grid point cost: the map's picture is made on a worker thread
            when that makes it too slow for a frame (:mod:`gdviz.ui.map_picture`).
        """
        self.grid, self.shown = grid, shown
        self._any_value = bool(np.isfinite(shown).any())  # (none: no colour bar to show)
        margin = self.right_margin()
        lo, hi = self.levels_range = (float(levels_range[0]), float(levels_range[1]))
        self.levels = contour_levels(lo, hi, LEVELS) if levels is None else np.asarray(levels)
        # (a log map's bar ticked with f at its levels, as its labels: "log₁₀(f − min f)"'s
        # 0.5 to 2.5 beside Himmelblau's labels of f, 2.5 to 400, read as one scale)
        self.colorbar_label = "f (log scale)" if log else "f"
        self.bar_log = (np.asarray(self.levels), label_of) if log and label_of else None
        if self.right_margin() != margin:  # (its labels are wider or narrower: laid out again,
            self._fit_aspect()  # the plot's shape too: equal scales went 4.5 % apart)
            self.invalidate()
            if self.aspect_locked:  # (and what it shows sampled, as after a resize)
                self._range_timer.start()
        self._heat_grey = self.basins.visible  # (made now, not in a paint; again if toggled)
        self._heat = None if sampler is not None else layers.heat_image(shown, lo, hi,
                                                                         self._heat_grey)
        self.picture.set_source(None if sampler is None else Source(
            sampler, grid.domain, lo, hi, self.levels, shown, float(point_seconds)))
        if trace:  # (on a worker thread, read when the map paints)
            self._contours.start(grid, shown, self.levels, label_of or (lambda v: v))
        else:
            self._contours.clear()
        # Only the data layer (the colour bar is part of it): the axes, their labels and the
        # layout stay, unless the view's range changes too (which lays them out again).
        self.redraw_data()

    @property
    def contour_lines(self) -> dict[float, list[np.ndarray]]:
        """Level → traced polylines (data coordinates) of the current samples."""
        return self._contours.lines

    @property
    def contour_labels(self) -> list[tuple[float, float, str]]:
        """``(a, b, text)`` of the level labels."""
        return self._contours.labels

    @property
    def label_places(self) -> list[list[tuple[float, float]]]:
        """Per level label, every place it may go, best first."""
        return self._contours.places

    def set_field(self, A, B, U, V, M, sign: float, normalise: bool, visible: bool) -> None:
        """Draw the gradient field: arrows along ``sign·∇f``, coloured by magnitude."""
        self.legends.set_field(visible and A is not None, sign)
        if not visible or A is None:
            self.field_drawn, self._field_bins = (), None
            self.redraw_data()
            return
        du, dv = map_field.field_arrows(A, B, U, V, M, sign, normalise)
        self.field_drawn = (A, B, du, dv, M)
        self._field_bins = layers.field_bins(M)
        self.redraw_data()

    def arrows_that_fit(self, wanted: int) -> int:
        """How many field arrows a side to draw when ``wanted`` are asked for, on this map
        (:func:`gdviz.ui.map_field.arrows_that_fit`)."""
        return map_field.arrows_that_fit(self.plot_rect(), self.field_width, wanted)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.arrowRoomChanged.emit()
        if self.basins.visible:  # (its key's type and corner for this size)
            self.legends.place_basins(self.basins.markers)
        if self.aspect_locked and self.grid is not None:
            # With equal scales the region shown follows the map's shape (the views
            # rearranged, the window resized): sample what it shows, not leave bands blank.
            self._range_timer.start()

    def set_line_width(self, width: float) -> None:
        """Thicker lines for presentation mode (paths, arrows)."""
        self.line_width = float(width)
        self.runs.set_line_width(width)
        self.legends.set_line_width(width)
        self.update()

    def set_static_widths(self, contour: float, field: float) -> None:
        """Widths of the contour lines and the field arrows (presentation mode)."""
        self.contour_width, self.field_width = float(contour), float(field)
        self.invalidate()
        self.arrowRoomChanged.emit()

    # -- runs ------------------------------------------------------------------------------
    def set_runs(self, runs, iteration: int, show_arrows: bool) -> None:
        """Draw every run's path up to ``iteration``, its start and its current point."""
        self._shown_runs = (runs, iteration, show_arrows)  # (see invalidate)
        self.runs.arrows_shown = bool(show_arrows)
        self.runs.ensure(len(runs))
        self._arrows_at.keep_only(run.trajectory for run in runs)
        self.runs.hide_from(len(runs))
        for i, run in enumerate(runs):
            traj = run.trajectory
            visible = bool(run.spec.visible)
            color = run.spec.color or "#000000"
            if traj is None or not visible:
                self.runs.update_run(i, visible, color, run.spec.start, traj if visible else None,
                                     np.empty((0, 2)), 0, None, {}, True)
                continue
            state = self.runs.states[i]
            if state.trajectory is not traj:
                finite = np.isfinite(traj.points).all(axis=1)
                points = traj.points[finite]
                state.finite_upto = np.cumsum(finite)  # finite points among the first k + 1
            else:
                points = state.points
            k = min(iteration, len(traj.points) - 1)
            cur = traj.points[k]
            ok = bool(np.isfinite(cur).all())
            arrows = self._run_arrows(traj, k, cur) if show_arrows and ok else {}
            # A dot per step shows the step sizes; on a path of more than a few hundred steps
            # they merge into the line, so such a path has none (decided per path, not per
            # frame: dots vanishing mid-playback would redraw every path).
            self.runs.update_run(i, True, color, run.spec.start, traj, points,
                                 int(state.finite_upto[k]), (float(cur[0]), float(cur[1]))
                                 if ok else None, arrows, len(points) <= DOT_LIMIT)
        velocity = any(r.trajectory is not None and "velocity" in r.trajectory.state
                       for r in runs if r.spec.visible)
        self.legends.set_runs(show_arrows, velocity, tuple(
            (id(s.trajectory), s.start, s.visible) for s in self.runs.states), runs)
        self.level_labels.runs_changed()
        self._update_frame()

    def _update_frame(self) -> None:
        """Repaint only where the runs were drawn and will be drawn (a playback frame changes
        a few small areas; repainting the whole map would copy and flush all of it)."""
        if self.runs.needs_full_repaint or self._static is None:
            # The whole map repaints; the next frame must still erase this one's points and
            # arrows, wherever they are drawn now.
            self._frame_rects = self.runs.frame_rects(pieces=False)
            self.update()
            return
        rects = self.runs.frame_rects()
        box = QtCore.QRect()
        for r in (*self._frame_rects, *rects):
            box = box.united(r)
        tag = self._slice_box if self.slice_line.visible else None
        if tag is not None and any(tag.intersects(QtCore.QRectF(r)) for r in rects):
            # (a run reaches the slice line's label: it moves along the line, repainted)
            box = box.united(slice_line_rect(self, self.slice_line, self.font()).toAlignedRect())
        self.update_box(box)  # one box around them all: see BoxUpdates
        self._frame_rects = rects

    def _run_arrows(self, traj, k: int, cur: np.ndarray) -> dict:
        """The gradient, step and velocity arrows at step ``k``, as segment pairs (kept per
        run for the next frame: a run at rest shows the same ones)."""
        view, rect = self.view_range(), self.plot_rect()
        return self._arrows_at.get(traj, (k, view, rect.getRect()),
                                   lambda: run_arrows(traj, k, cur, view, rect))

    # -- overlays --------------------------------------------------------------------------
    def set_slice_line(self, axis: int | None, value: float) -> None:
        """Show the line the "Slice" tab cuts along (:func:`show_slice_line`)."""
        show_slice_line(self, axis, value)

    def set_basins(self, rgba: np.ndarray | None, domain=None, markers=None,
                   legend: list[tuple[str, str]] | None = None, points=None) -> None:
        """Show (or with ``rgba=None`` hide) a basins picture, its minima and its legend
        (``points``: the minimum each legend line names, or None)."""
        show_basins(self, rgba, domain, markers, legend, points)

    # -- painting --------------------------------------------------------------------------
    def right_margin(self) -> float:
        return layers.bar_margin(self.font(), *self.levels_range, self.height(), self.bar_log)

    def paint_data(self, p: QtGui.QPainter) -> None:
        if self.grid is None:
            return
        layers.paint_undefined(p, self, self.grid)  # (under the picture, clear there)
        if self.picture.source is not None and not self.basins.visible:
            self.picture.paint(p, self)
        else:
            # Under the basins' tints f's lightness alone (over viridis a basin changed hue)
            if self._heat is None or self._heat_grey != self.basins.visible:
                self._heat_grey = self.basins.visible
                self._heat = layers.heat_image(self.shown, *self.levels_range, self._heat_grey)
            layers.paint_heatmap(p, self, self._heat, self.grid.a, self.grid.b)
            self.basins.paint(p, self)  # under the contour lines
            layers.paint_contours(p, self, self.contour_lines, self.contour_width)
        if self.field_drawn and self._field_bins is not None:
            layers.paint_field(p, self, self.field_drawn, self._field_bins, self.field_width)
        # The level labels over the arrows (an arrow through "0.5" made it unreadable), out
        # of the legends' boxes (drawn over them later, with each frame), the runs' markers
        # and the minima.
        self.legends.place()
        keep_off = (self.legends.boxes() + self.legends.marker_boxes()
                    + self.legends.minimum_boxes())
        self.label_boxes = self.level_labels.paint(p, keep_off)
        self.basins.paint_markers(p, self)

    def map_picture(self, wait: bool = True) -> QtGui.QImage | None:
        """The sampled region at screen resolution (made again for new samples, size or line
        width; a pan or zoom just moves and scales it until the region is sampled again).
        ``wait=False``: None while it is being made in the background."""
        return self.picture.for_view(self, wait)

    def finish_picture(self) -> None:
        """Make the map's picture now if it is being made in the background (before a
        screenshot or a grab of the window), and repaint with it."""
        if self.grid is not None and not self.basins.visible and self.picture.finish(self):
            self.redraw_data()

    def paint_margin(self, p: QtGui.QPainter) -> None:
        # (f undefined all over the map: a 0-to-1 bar read as a scale of nothing)
        if self.grid is not None and self._any_value:
            layers.paint_colorbar(p, self.plot_rect(), *self.levels_range, self.colorbar_label,
                                  self.font(), self.foreground, self.basins.visible,
                                  self.bar_log)

    def frame_covers_static(self) -> bool:
        return self.runs.covers_static()

    def paint_frame(self, p: QtGui.QPainter, export: bool = False) -> None:
        legends = self.legends.boxes()  # (once a frame: 0.2 ms)
        # (the slice line under the runs' points and arrows, its label clear of them)
        slice_line = (lambda p: self._paint_slice_line(p, legends)) if self.slice_line.visible \
            else None
        self.runs.paint(p, export, slice_line)
        self.legends.paint(p, legends)

    def _paint_slice_line(self, p: QtGui.QPainter, legends) -> None:
        p.save()
        p.setClipRect(self.plot_rect())
        self._slice_box = paint_slice_line(p, self, self.slice_line, self.font(),
                                           (*self.label_boxes, *legends), self._slice_box,
                                           self.label_boxes, self.runs._overlay_px())
        p.restore()

    # -- mouse -----------------------------------------------------------------------------
    def hit_test(self, pos: QtCore.QPointF):
        i = self.runs.hit(pos)
        return None if i is None else ("start", i)

    def drag_handle(self, handle, x: float, y: float) -> None:
        _, index = handle
        if 0 <= index < len(self.runs.states):
            self.runs.states[index].start = (x, y)
            self.runs.geometry_changed()
            self.update()
            self.startMoved.emit(index, float(x), float(y))

    def clicked(self, x: float, y: float) -> None:
        self.mapClicked.emit(float(x), float(y))

    def handle_clicked(self, handle, x: float, y: float) -> None:
        # A run's start clicked: the selected run starts exactly there (to compare optimizers
        # from one start, a click within 11 pixels of another's did nothing)
        _, index = handle
        self.clicked(*(self.runs.states[index].start if index < len(self.runs.states) else (x, y)))
