"""The map's legends: the arrows' (∇f at the current point, the step, the velocity, the
field), the basins', and the runs' when they use different optimizers (a comparison). The
arrows' legend sits in the corner where it hides least of the runs, the runs' in the
emptiest other one, and the level labels keep out of all (a label under a box showed
through it)."""

from __future__ import annotations

import numpy as np

from gdviz.core.grid import grid_minima
from gdviz.ui.basins_key import WHOLE_MOST, BasinsKeyPlacing
from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.legend_places import CORNERS, emptiest_corner
from gdviz.ui.map_layers import FIELD_COLORS
from gdviz.ui.map_overlays import CROWDED, SAMPLE, Legend
from gdviz.ui.map_runs import GRADIENT_COLOR, VELOCITY_COLOR

MOST_COVERED = 0.4
"""The most of the map's plot the two legends may cover together (else only the basins')."""


MARKER_CLEAR = 12.0
"""Pixels about a run's start and end marker (19 across) the level labels keep off."""
FLOOR_WEIGHT = 15.0
"""A local minimum of the map's samples, to a legend placed over it (more than an edge's
middle costs: :data:`gdviz.ui.legend_places.EDGE_COST`)."""
LOWEST_FLOOR_WEIGHT = 25.0
"""The lowest of them (more than a run's start)."""
RUNS_MOST = 0.15
"""The most of the map's plot the runs' legend covers before its type is made smaller."""
RUNS_HIDE = 0.22
"""The most it covers in its smaller type; beyond, it is left out (it hid a third of a short
map, the runs' starts too)."""


def field_entry(visible: bool, sign: float) -> str:
    """The field's line in the legend: which way its arrows point ("" without a field)."""
    if not visible:
        return ""
    return ("field −∇f, downhill (darker: steeper)" if sign < 0 else
            "field ∇f, uphill (darker: steeper)")


class MapLegends(BasinsKeyPlacing):
    """The legends of ``canvas`` (a :class:`gdviz.ui.contour_view.ContourView`).

    Attributes
    ----------
    arrows : Legend
        ∇f at the current point, the step taken, the velocity (momentum runs), the field.
    basins : Legend
        The basins map's minima (bottom right).
    """

    def __init__(self, canvas) -> None:
        self.canvas = canvas
        self.arrows = Legend("top-left")
        # Where the whole legend does not fit (a 720-line projector's map): ∇f and the field
        # alone, in few words (it showed none, and the red arrows pointed both ways unkeyed)
        self.compact = Legend("top-left")
        self.basins = Legend("bottom-right", swatches=True, visible=False)
        self._basins_full: list = []  # the basins' key in full (see place_basins)
        self._basins_points: list = []  # the minimum each line of it names, or None
        # Which colour is which optimizer, on the map itself (a comparison on a slide, or on
        # the projector with the Compare table out of sight, could not be read)
        self.runs = Legend("bottom-left", visible=False)
        self._runs_key: tuple = ()
        self._compared = False  # whether the shown runs use two optimizers or more
        self._floors_of = None  # the grid _floor_points were found on
        self._floor_points = np.empty((0, 2))
        self._velocity = False
        self._field = ""
        self._step_colors: tuple[str, ...] = ()  # the shown runs' (their step arrows')
        self._line_width = float(getattr(canvas, "line_width", 2.5))  # the runs' lines
        self._landmarks_key: tuple = ()  # the runs the arrows' corner was chosen for
        self._compact_key: tuple = ()  # what the compact legend's type was chosen for
        self._set_entries()

    def _set_entries(self) -> None:
        entries = [("gradient", "∇f at the current point (uphill)", QtGui.QPen(
                        QtGui.QColor(GRADIENT_COLOR), 3.0)),
                   ("step", "step taken", step_pen(self._step_colors))]
        if self._velocity:
            entries.append(("velocity", "velocity (momentum)", QtGui.QPen(
                QtGui.QColor(VELOCITY_COLOR), min(self._line_width, 3.0),
                QtCore.Qt.PenStyle.DotLine)))
        if self._field:  # the field's arrows are red too: which way do they point?
            # (its sample light to dark, as its arrows are with steepness: one red line beside
            # ∇f's read as the same kind of arrow, the darkest field arrows as ∇f's)
            ramp = QtGui.QLinearGradient(10.0, 0.0, 10.0 + SAMPLE, 0.0)
            for k, color in enumerate(FIELD_COLORS[1:]):
                ramp.setColorAt(k / (len(FIELD_COLORS) - 2), QtGui.QColor(color))
            entries.append(("field", self._field, QtGui.QPen(QtGui.QBrush(ramp), 3.0)))
        self.arrows.set_entries(entries)
        field, _, way = self._field.partition(", ")  # "field −∇f", "downhill (darker: …)"
        short = {"gradient": "∇f (uphill)", "field": f"{field} ({way.split(' ')[0]})"}
        self.compact.set_entries([(k, short[k], pen) for k, _t, pen in entries if k in short])
        self.canvas.redraw_data()  # (the labels keep out of the legend's box)

    def set_line_width(self, width: float) -> None:
        """The runs' line width (the velocity's sample follows it)."""
        self._line_width = float(width)
        self._set_entries()

    def set_field(self, visible: bool, sign: float) -> None:
        """The field is shown along ``sign·∇f`` (or not at all)."""
        entry = field_entry(visible, sign)
        if entry != self._field:
            self._field = entry
            self._set_entries()

    def set_runs(self, show_arrows: bool, velocity: bool, key: tuple, runs=()) -> None:
        """The runs' arrows are shown (or not), one of them has a velocity (or none), and
        ``key`` names their paths and starts: the legend's lines and corner follow; ``runs``
        (the controller's) name the runs' legend's entries."""
        self._set_run_entries(runs)
        if self.arrows.visible != show_arrows:
            self.arrows.visible = show_arrows
            self.canvas.redraw_data()  # (the labels under its box come back, or go)
        if velocity != self._velocity:
            self._velocity = velocity
            self._set_entries()
        if key != self._landmarks_key:  # new paths or starts: the legend may move
            self._landmarks_key = key
            corner = self.arrows.corner
            self.place()
            if self.arrows.corner != corner:
                self.canvas.redraw_data()  # (the labels keep out of its new box)

    def _set_run_entries(self, runs) -> None:
        """The runs' legend: each shown run's name (as the readouts write it, "2 · Adam")
        in its colour, where the shown runs use two optimizers or more; where they differ
        only in η, each one's η ("η = 0.02": three paths on a slide said nothing of which
        η was which); else none."""
        shown = [(i, r) for i, r in enumerate(runs) if r.spec.visible]
        key = tuple((i, r.spec.optimizer, r.spec.lr, r.spec.name, r.spec.color)
                    for i, r in shown)
        if key == self._runs_key:
            return
        self._runs_key = key
        colors = tuple(dict.fromkeys(r.spec.color or "#000000" for _i, r in shown))
        if colors != self._step_colors:
            self._step_colors = colors
            self._set_entries()
        from gdviz.ui.numbers import typed_number
        from gdviz.ui.readouts import readout_name

        by_optimizer = len({r.spec.optimizer for _i, r in shown}) > 1
        by_lr = not by_optimizer and len({r.spec.lr for _i, r in shown}) > 1
        self._compared = by_optimizer or by_lr
        self.runs.set_entries([(f"run{i}", readout_name(runs, i) if by_optimizer or
                                r.spec.name else f"η = {typed_number(r.spec.lr)}",
                                QtGui.QPen(QtGui.QColor(r.spec.color or "#000000"), 3.0))
                               for i, r in shown] if self._compared else [])
        self.place()
        self.canvas.redraw_data()  # (the labels keep out of its box, or come back)

    def place(self) -> None:
        """The arrows' legend goes to the corner where it hides least of the runs (their
        starts above all), clear of the basins' legend; the runs' legend to the emptiest
        corner the two leave."""
        c = self.canvas
        plot, font = c.plot_rect(), c.font()
        taken = [box for box in (self.basins.rect(plot, font, c.dark),) if box is not None]
        size = self.arrows.box_size(font, c.dark)
        landmarks = self._landmarks(c.basins.markers if c.basins.visible
                                    else np.empty((0, 2)))
        if size is not None:
            # (by the legend as drawn: placed by the whole one's size, 492 pixels wide in
            # presentation mode, the compact one drawn instead covered six-hump camel's start)
            shown = self.shown_arrows()
            size = shown.box_size(font, c.dark) or size
            self.arrows.corner = shown.corner = emptiest_corner(plot, size, *landmarks, taken)
            arrows = shown.rect(plot, font, c.dark)
            taken += [arrows] if arrows is not None else []
        self.runs.visible, runs = self._compared, None
        for scale in (1.0, 0.85):  # (smaller type where it would hide much of the map)
            self.runs.scale = scale
            runs = self.runs.box_size(font, c.dark)
            if runs is None or runs.width() * runs.height() <= RUNS_MOST * plot.width() \
                    * plot.height():
                break
        if runs is not None and runs.width() * runs.height() > RUNS_HIDE * plot.width() \
                * plot.height():  # (a short map, 1024 × 768 with the table docked below:
            self.runs.visible, runs = False, None  # the readouts name the runs there)
        if runs is not None:
            # Clear of the minima too; in smaller type, or left out, where the place that
            # hides least still covers a run's start (Himmelblau compared with its basins at
            # 1366 × 768: the key sat over the start of all seven paths; the readouts name
            # the runs there)
            self.runs.corner = emptiest_corner(plot, runs, *landmarks, taken,
                                               corners=CORNERS[::-1])
            if self._hides_a_start(self.runs) and self.runs.scale == 1.0:
                self.runs.scale = 0.85
                runs = self.runs.box_size(font, c.dark)
                self.runs.corner = emptiest_corner(plot, runs, *landmarks, taken,
                                                   corners=CORNERS[::-1])
            if self._hides_a_start(self.runs):
                self.runs.visible = False

    def _hides_a_start(self, legend: Legend) -> bool:
        """Whether ``legend`` as placed covers a shown run's start (or meets its marker)."""
        c = self.canvas
        box = legend.rect(c.plot_rect(), c.font(), c.dark)
        if box is None:
            return False
        starts = self._clear_boxes([s.start for s in c.runs.states if s.visible])
        return any(box.intersects(start) for start in starts)

    def _clear_boxes(self, points) -> list[QtCore.QRectF]:
        """Squares of :data:`MARKER_CLEAR` pixels about ``points`` (data coordinates; those
        not finite on the map left out)."""
        if not len(points):
            return []
        c = self.canvas
        xy = np.asarray(points, dtype=float).reshape(-1, 2)
        x, y = c.data_to_px(xy[:, 0], xy[:, 1])
        r = MARKER_CLEAR
        return [QtCore.QRectF(float(a) - r, float(b) - r, 2 * r, 2 * r)
                for a, b in zip(np.atleast_1d(x), np.atleast_1d(y), strict=True)
                if np.isfinite(a) and np.isfinite(b)]

    def _landmarks(self, minima: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """What a legend must not hide: the runs (:meth:`MapRuns.landmarks`) and the basins'
        ``minima``, 30 each (the arrows' legend hid six-hump camel's (1.61, 0.569)), its
        centre and four tips 6 each: a run's start and the ring about it outweigh one (with
        a minimum in every corner, 150 a star, Himmelblau's key in presentation mode went
        over the start, the run coming out from under it)."""
        c = self.canvas
        points, weights = c.runs.landmarks()
        if not len(minima):  # (no basins shown: the map's own lowest samples)
            return self._floors(points, weights)
        mx, my = c.data_to_px(minima[:, 0], minima[:, 1])
        # (each star's tips too: by its centre alone a star at the box's edge was half hidden)
        stars = np.vstack([np.column_stack([mx + dx, my + dy]) for dx, dy in
                           ((0, 0), (10, 0), (-10, 0), (0, 10), (0, -10))])
        # Crowded, the lowest minimum (starred, first) outweighs every dot together: the
        # arrows' key covered Rastrigin's global minimum, hiding no fewer dots elsewhere.
        each = np.full(len(minima), 30.0)
        if len(minima) > CROWDED:
            each[:] = 3.0
            each[:c.basins.starred] = 30.0 * len(minima)
        else:  # (the lowest, where a run likely ends, before the start: six-hump camel's
            # key went over its global minimum in presentation mode at 1366 × 768)
            each[:c.basins.starred] = 150.0
        return (np.vstack([np.reshape(points, (-1, 2)), stars]),
                np.r_[weights, np.tile(each / 5.0, 5)])

    def _floors(self, points: np.ndarray, weights: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
        """``points`` and ``weights`` with the map's local minima as sampled
        (:func:`gdviz.core.grid.grid_minima`): :data:`FLOOR_WEIGHT` each, the lowest
        :data:`LOWEST_FLOOR_WEIGHT`, a tenth each past :data:`CROWDED` (Rastrigin's). More
        than a place in an edge's middle costs: in presentation mode the arrows' key covered
        one of Himmelblau's four minima, the preset's point."""
        c = self.canvas
        grid = getattr(c, "grid", None)
        if grid is None:
            return points, weights
        floors = self._floors_on(grid)
        if not len(floors):
            return points, weights
        fx, fy = c.data_to_px(floors[:, 0], floors[:, 1])
        each = np.full(len(floors), FLOOR_WEIGHT / (10.0 if len(floors) > CROWDED else 1.0))
        each[0] = LOWEST_FLOOR_WEIGHT
        return (np.vstack([np.reshape(points, (-1, 2)), np.column_stack([fx, fy])]),
                np.r_[weights, each])

    def shown_arrows(self) -> Legend:
        """The arrows' legend as drawn: the whole one, or :attr:`compact` where it does not
        fit the plot or would cover more than :data:`WHOLE_MOST` of it (in the same corner,
        shown or hidden with it)."""
        c = self.canvas
        plot = c.plot_rect()
        whole = self.arrows.rect(plot, c.font(), c.dark)
        if whole is not None and (whole.width() * whole.height()
                                  <= WHOLE_MOST * plot.width() * plot.height()):
            return self.arrows
        self.compact.corner, self.compact.visible = self.arrows.corner, self.arrows.visible
        # In smaller type where even it does not fit (presentation mode on a square map:
        # 292 pixels of key on a 291-pixel plot, and no key at all for the red arrows). The
        # type is chosen once per plot size, type and entries: each try renders the legend.
        key = (plot.width(), plot.height(), c.font().toString(), c.dark,
               tuple(t for _k, t, _p in self.compact.entries))
        if key != self._compact_key:
            self._compact_key = key
            for scale in (1.0, 0.85, 0.7):
                self.compact.scale = scale
                if self.compact.rect(plot, c.font(), c.dark) is not None:
                    break
        return self.compact

    def marker_boxes(self) -> list[QtCore.QRectF]:
        """Squares of :data:`MARKER_CLEAR` pixels about each shown run's start and its path's
        end, where its markers sit: the level labels keep off them (Himmelblau's "16" lay
        under Momentum's end marker, read as "1")."""
        c = self.canvas
        points = []
        for s in c.runs.states:
            if not s.visible or s.trajectory is None:
                continue
            points.append(s.start)
            finite = s.points[np.isfinite(s.points).all(axis=1)] if len(s.points) else ()
            if len(finite):
                points.append((float(finite[-1][0]), float(finite[-1][1])))
        return self._clear_boxes(points)

    def _floors_on(self, grid) -> np.ndarray:
        """:func:`gdviz.core.grid.grid_minima` of ``grid``, kept for it."""
        if self._floors_of is not grid:
            self._floors_of, self._floor_points = grid, grid_minima(grid)
        return self._floor_points

    def minimum_boxes(self) -> list[QtCore.QRectF]:
        """Squares of :data:`MARKER_CLEAR` pixels about the map's minima — the basins'
        stars where they are shown, else its samples' local minima — the lowest alone past
        :data:`~gdviz.ui.map_overlays.CROWDED` (Rastrigin's): the level labels keep off
        them (Himmelblau's "4" and "2.5" sat on two of its minima, on their stars with the
        basins shown, "☆4")."""
        c = self.canvas
        if c.basins.visible:
            points = c.basins.markers
            points = points[:max(c.basins.starred, 1)] if len(points) > CROWDED else points
        else:
            grid = getattr(c, "grid", None)
            points = self._floors_on(grid) if grid is not None else np.empty((0, 2))
            points = points[:1] if len(points) > CROWDED else points
        return self._clear_boxes(points)

    def boxes(self) -> list[QtCore.QRectF]:
        """Where the legends are drawn (the level labels keep out).

        The basins' legend explains the map's colours; the arrows' only the arrows. On a
        small map (800 × 600 screen: 215 pixels tall) the two overlapped each other and hid
        most of the map: when they would overlap, or cover more than
        :data:`MOST_COVERED` of the plot together, the arrows' legend gives way.
        """
        c = self.canvas
        plot, font = c.plot_rect(), c.font()
        arrows, basins, runs = (legend.rect(plot, font, c.dark) if legend.visible else None
                                for legend in (self.shown_arrows(), self.basins, self.runs))
        area = MOST_COVERED * plot.width() * plot.height()
        # The arrows' legend gives way first, then the runs' (to the basins', which explains
        # the map's colours)
        for which in ("arrows", "runs"):
            boxes = [b for b in (arrows, basins, runs) if b is not None]
            crowded = (sum(b.width() * b.height() for b in boxes) > area
                       or any(a.intersects(b) for i, a in enumerate(boxes)
                              for b in boxes[i + 1:]))
            if crowded and which == "arrows":
                arrows = None
            elif crowded:
                runs = None
        return [box for box in (arrows, basins, runs) if box is not None]

    def paint(self, p: QtGui.QPainter, boxes: list[QtCore.QRectF] | None = None) -> None:
        """Draw both, or the one :meth:`boxes` keeps (over the runs, with each frame; ``boxes``
        when the caller has them already)."""
        c = self.canvas
        boxes = self.boxes() if boxes is None else boxes
        for legend in (self.shown_arrows(), self.basins, self.runs):
            box = legend.rect(c.plot_rect(), c.font(), c.dark) if legend.visible else None
            if box is not None and box in boxes:
                legend.paint(p, c.plot_rect(), c.font(), c.dark)


def step_pen(colors: tuple[str, ...]) -> QtGui.QPen:
    """The key's sample of the step arrows, dashed in the runs' colours as they are drawn
    (it was grey, beside Adam's blue step pointing away from −∇f, unexplained): one run's
    colour, or each run's in turn along the sample (a gradient's pairs of stops, which the
    key strokes part by part), grey without runs."""
    if len(colors) <= 1:
        return QtGui.QPen(QtGui.QColor(colors[0] if colors else "#888888"), 3.0,
                          QtCore.Qt.PenStyle.DashLine)
    ramp = QtGui.QLinearGradient(10.0, 0.0, 10.0 + SAMPLE, 0.0)
    n = len(colors)
    for j, color in enumerate(colors):
        ramp.setColorAt(j / n, QtGui.QColor(color))
        ramp.setColorAt(max(j / n, (j + 1) / n - 1e-6), QtGui.QColor(color))
    return QtGui.QPen(QtGui.QBrush(ramp), 3.0, QtCore.Qt.PenStyle.DashLine)
