"""The "Slice" tab: the derivative graphically, and partial derivatives as slices.

f is drawn along one variable with the other held at the current point's value, coloured by
its slope's sign; the tangent at the examined point carries the slope, the partial derivative.

Re-exported here: the tabs' shared base (:mod:`~gdviz.ui.derivatives.common`), the held
formula (:mod:`~gdviz.ui.derivatives.held_formula`), the slope's colours, label and sentence
(:mod:`~gdviz.ui.derivatives.slice_slope`)."""

from __future__ import annotations

import math

import numpy as np

from gdviz.core import calculus
from gdviz.core.limits import axis_partial
from gdviz.core.loss import Loss
from gdviz.core.special_points import corner_slopes
from gdviz.ui.binding import QtCore, QtGui, QtWidgets, Signal
from gdviz.ui.canvas import Curve, InfiniteLine, Points, Text, make_pen
from gdviz.ui.derivatives.common import (
    FONT_PT,
    LecturePlot,
    LinkedView,
    fmt,
    kink,
    padded_range,
    set_points,
    steady_range,
)
from gdviz.ui.derivatives.held_formula import (
    HELD_COLOR,
    held_formula_html,
    held_formula_tex,
)
from gdviz.ui.derivatives.held_header import HeldHeader
from gdviz.ui.derivatives.slice_slope import (
    SENTENCE_FLAT,
    SLOPE_COLORS,
    held_sentence,
    label_side,
    legend_html,
    place_label,
    slope_sentence,
)
from gdviz.ui.key_owner import ArrowKeys
from gdviz.ui.numbers import axis_number
from gdviz.ui.steady_label import SteadyLabel

__all__ = ["FONT_PT", "HELD_COLOR", "SAMPLES", "SENTENCE_FLAT", "SLOPE_COLORS", "LecturePlot",
           "LinkedView", "SliceView", "fmt", "held_formula_html", "held_formula_tex", "set_points"]

SAMPLES = 181  # along the slice: chords of 2-4 px in a dock (each segment costs a frame)


class SliceView(LinkedView):
    """f along one variable with the other held constant; tangent slope = partial derivative.

    Signals
    -------
    sliceLineChanged(axis, value)
        The line the slice is taken along, for ``ContourView.set_slice_line``: axis 0 is the
        line b = value, axis 1 the line a = value; axis None (view hidden) hides it.
    pointDragged(a, b)
        The user dragged (or clicked) the examined point along the slice to (a, b).

    Notes
    -----
    Everything in the plot moves during playback (the held variable follows the current
    point), so every item is in the canvas's frame layer; the axes are drawn again only when
    the y range changes, which :func:`steady_range` keeps rare.
    """

    sliceLineChanged = Signal(object, float)
    pointDragged = Signal(float, float)

    def __init__(self, controller, parent=None) -> None:
        super().__init__(controller, parent)
        self.setObjectName("sliceView")
        self.slice_axis = 0
        self._examined: float | None = None  # abscissa of the examined point (None: current)
        self._data = (np.empty(0), np.empty(0))
        self._slope = float("nan")
        self._slopes = (np.zeros(0), np.zeros(0))  # (where, slope): what "flat" is here
        self._line: tuple[object, float] | None = None
        self._drawn_at: tuple | None = None  # the step's point drawn last: see _step_key
        self._y_range = (-1.0, 1.0)
        self._range_key: tuple | None = None
        self._line_timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._line_timer.timeout.connect(self._emit_line)

        self.header = HeldHeader(self)
        self.formula = self.header.label
        self.combo = QtWidgets.QComboBox(objectName="sliceAxisCombo")
        self.variable_combo = self.combo
        self.combo.setAccessibleName("variable to slice along")
        self.combo.setToolTip("Which variable moves along the slice; the other is held constant")
        self.combo.addItems(["along w1", "along w2"])
        # A width for "along w1  (w2 held)" whatever the names: a combo that fits its text
        # would change width with every loss in other variables, and lay out the tab again.
        self.combo.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(19)
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.formula.setSizePolicy(QtWidgets.QSizePolicy.Ignored,
                                   QtWidgets.QSizePolicy.Preferred)
        self.held_label = SteadyLabel(object_name="heldLabel", word_wrap=True)
        self.slope_label = SteadyLabel(object_name="slopeLabel", word_wrap=True)
        big = self.slope_label.font()
        big.setPointSize(FONT_PT + 2)
        self.slope_label.setFont(big)
        # Plain text in the slope's colour: it changes every frame (rich text: +0.6 ms a frame)
        self.slope_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)

        self.plot_widget = LecturePlot("slicePlot", "the slice of f with its tangent")
        self.plot_widget.setToolTip("Drag the grey line, click, or press ← / → (Shift: "
                                    "further) to examine another point of the slice")
        self.plot_widget.itemDragged.connect(self._on_handle_moved)
        self.plot_widget.plotClicked.connect(self._on_plot_clicked)
        # (the slope's label placed again for a new size: it lay across the curve otherwise)
        self.plot_widget.resized.connect(self._draw_tangent)
        ArrowKeys(self.plot_widget, self._step_examined)  # ← / →: a hundredth of the range
        self.curves = {name: self._add(Curve(pen=make_pen(SLOPE_COLORS[name], 4), smooth=True))
                       for name in calculus.SLOPE_CLASSES}
        self.legend = QtWidgets.QLabel(objectName="sliceLegend", wordWrap=True)
        self.legend.setText(legend_html())
        self.tangent = self._add(Curve(pen=make_pen("#111111", 2.5, QtCore.Qt.DashLine), z=5,
                                       smooth=True))
        # Light grey and opaque (a translucent line costs twice as much to paint), under the
        # curve so it never hides it.
        self.handle = self._add(InfiniteLine(90, pen=make_pen("#bcbcbc", 2), movable=True,
                                             z=-1))
        self.dot = self._add(Points(size=16, brush="#0072B2", outline="white",
                                    outline_width=2.5, z=10))
        self.dot.mirror_fill = False  # the run's colour, as on the map
        self.slope_text = self._add(Text(color="#111111", fill=QtGui.QColor(255, 255, 255, 200),
                                         scale=(FONT_PT + 2) / (FONT_PT - 1), z=9,
                                         inside=True))  # under the dot, moved inside

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.combo)
        top.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        # A row of its own: beside the menu it had to shrink below legible in a narrow dock.
        layout.addWidget(self.formula)
        layout.addWidget(self.held_label)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.slope_label)
        self._subscribe()

    # -- public ---------------------------------------------------------------------------
    def set_slice_axis(self, axis: int) -> None:
        """Slice along the first (0) or second (1) variable."""
        self.combo.setCurrentIndex(1 if axis else 0)

    def slice_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The (xs, ys) of the drawn slice."""
        self.ensure_fresh()
        return self._data

    def tangent_slope(self) -> float:
        """The slope of the drawn tangent (∂f/∂ the slice's variable at the examined point)."""
        self.ensure_fresh()
        return self._slope

    def examined_point(self) -> tuple[float, float] | None:
        """The 2D point the tangent is drawn at (the current point unless dragged)."""
        self.ensure_fresh()
        st = self.state()
        if st is None:
            return None
        (a, b), x = st[1], self._examined_x(st[1])
        return (x, b) if self.slice_axis == 0 else (a, x)

    def set_examined(self, x: float) -> None:
        """Examine the point at abscissa ``x`` along the slice (as a drag does, without signal)."""
        self._examined = float(x)
        self.mark_dirty()
        self.ensure_fresh()

    def slice_line(self) -> tuple[int | None, float]:
        """``(axis, value)`` of the line on the 2D map (``(None, nan)`` while hidden)."""
        if not self.in_sight():  # (first: no redraw out of sight — a window closing started
            return None, float("nan")  # typesetting jobs its deletion then waited on, a hang)
        self.ensure_fresh()
        st = self.state()
        if st is None:
            return None, float("nan")
        return self.slice_axis, st[1][1 - self.slice_axis]

    def _add(self, item):
        # The frame layer: every item moves with the current point (see the class notes).
        return self.plot_widget.add(item, frame=True)

    # -- events ---------------------------------------------------------------------------
    def _on_iteration_changed(self, *_) -> None:
        # A step that leaves the selected run where it was (it stopped before, the others
        # play on) changes nothing this tab shows: the slice, tangent, held value and
        # sentence stay, and so does a point examined along the slice.
        if not self._dirty and self._drawn_at is not None and self._drawn_at == self._step_key():
            return
        super()._on_iteration_changed()

    def _step_key(self) -> tuple:
        """What a step changes here: the selected run's point, whether it has settled."""
        return self.controller.current_point(), self.settled()

    def _on_controller_changed(self, *_) -> None:
        self._examined = None  # the run moved: examine its point again
        self.mark_dirty()

    def _on_combo_changed(self, index: int) -> None:
        self.slice_axis = 1 if index else 0
        self._examined = None
        self.mark_dirty()
        self.ensure_fresh()

    def _on_handle_moved(self, item: object | None = None) -> None:
        if item is not None and item is not self.handle:
            return
        self._examined = float(self.handle.value())
        self._draw_tangent()
        point = self.examined_point()
        if point is not None:
            self.pointDragged.emit(*point)

    def _step_examined(self, steps: int) -> None:
        if (st := self.state()) is not None:
            lo, hi = self.controller.domain[self.slice_axis]
            self.handle.set_value(self._examined_x(st[1]) + steps * (hi - lo) / 100)
            self._on_handle_moved()

    def _on_plot_clicked(self, x: float, _y: float, button: QtCore.Qt.MouseButton) -> None:
        if button == QtCore.Qt.MouseButton.LeftButton and self.state() is not None:
            self.handle.set_value(x)  # clamped to the domain
            self._on_handle_moved()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._line_timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        # Deferred: a view hidden because the window is being destroyed must not call into
        # half-deleted receivers (the timer dies with the view).
        self._line_timer.start()

    def came_in_sight(self) -> None:
        super().came_in_sight()
        self._line_timer.start()

    def announce_line(self) -> None:
        """Emit :attr:`sliceLineChanged` with the current line, changed or not (for a map
        connected after the tab was built, which may already have drawn and emitted)."""
        self._line = None
        self._emit_line()

    def _emit_line(self) -> None:
        axis, value = self.slice_line()
        line = (None, 0.0) if axis is None else (axis, value)
        if line != self._line:
            self._line = line
            self.sliceLineChanged.emit(axis, float(value))

    # -- drawing --------------------------------------------------------------------------
    def _examined_x(self, point) -> float:
        return point[self.slice_axis] if self._examined is None else self._examined

    def redraw(self) -> None:
        self._drawn_at = self._step_key()
        st = self.state()
        if st is None:
            for curve in (*self.curves.values(), self.tangent, self.dot):
                curve.set_data([], [])
            self.slope_text.set_text("")
            self._data, self._slope = (np.empty(0), np.empty(0)), float("nan")
            self.slope_label.set_color(None)
            self.slope_label.setText("No loss yet.")
            self._emit_line()
            return
        loss, point = st
        axis = self.slice_axis
        names = loss.variables
        for i, name in enumerate(names):
            text = f"along {name}  ({names[1 - i]} held)"
            if self.combo.itemText(i) != text:  # a new text re-lays out the tab
                self.combo.setItemText(i, text)
        lo, hi = self.controller.domain[axis]
        ts, ys, slopes = calculus.sample_slice(loss, point, axis, lo, hi, SAMPLES)
        self._data = (ts, ys)
        for name, (xs, yv) in calculus.split_by_slope(ts, ys, slopes).items():
            self.curves[name].set_data(xs, yv)
        # The sentence's "flat" is stricter than the curve's grey (5 % of how steep it usually
        # is): a slope of 1485 on a slice reaching 10⁶ is grey, "rising gently", not "flat".
        self._slopes = (0.5 * (ts[1:] + ts[:-1]), slopes)
        # Fitted per loss, domain and held variable, then kept steady while the held value
        # moves (an unchanged range and labels leave the canvas's static layer alone).
        key = (loss.text, axis, lo, hi)
        finite = np.abs(slopes[np.isfinite(slopes)])
        rise = float(finite.max()) * (hi - lo) if finite.size else 0.0
        self._y_range = steady_range(self._y_range, padded_range(ys, 0.08, rise=rise),
                                     key == self._range_key)
        self._range_key = key
        canvas = self.plot_widget
        canvas.set_range((lo, hi), self._y_range)
        canvas.set_axis_label("bottom", names[axis])
        # ("f (y held)" beside sin(x²), which has no y: f alone)
        canvas.set_axis_label("left", f"f  ({names[1 - axis]} held)" if loss.uses[1 - axis]
                              else "f")
        self.handle.set_bounds((lo, hi))
        self.handle.set_value(self._examined_x(point))
        self._draw_held(loss, point)
        self._draw_tangent()
        self._emit_line()

    def _draw_held(self, loss: Loss, point) -> None:
        axis, held, names = self.slice_axis, 1 - self.slice_axis, loss.variables
        ink = self.palette().color(QtGui.QPalette.ColorGroup.Active,
                                   QtGui.QPalette.ColorRole.WindowText).name()
        self.header.show(loss, held, ink, self.ink(HELD_COLOR))
        value = fmt(*axis_number(point[held], self.controller.domain[held]))
        self.held_label.setText(held_sentence(names, axis, value, self.ink(HELD_COLOR),
                                              loss.uses[held]))

    def _corner_beside(self, loss: Loss, at, corner, slope: float):
        """``(axis, slopes)`` of a corner at 0 of the slice's variable that the point, a hair
        off it, would be written at (see :func:`slope_sentence`'s ``beside``); else None."""
        axis = self.slice_axis
        x = at[axis]
        if corner is not None or not math.isfinite(slope) or x == 0 \
                or axis_number(x, self.controller.domain[axis])[0] != 0:
            return None
        slopes = corner_slopes(loss, (0.0, at[1]) if axis == 0 else (at[0], 0.0), axis)
        return None if slopes is None else (axis, slopes)

    def _draw_tangent(self) -> None:
        st = self.state()
        if st is None:
            return
        loss, point = st
        axis, names = self.slice_axis, loss.variables
        x0 = self._examined_x(point)
        y0 = float(calculus.slice_function(loss, point, axis)(np.float64(x0)))
        at = (x0, point[1]) if axis == 0 else (point[0], x0)
        slope = axis_partial(loss, at, axis)  # (a slope where ∇f is undefined, if it has one)
        corner = corner_slopes(loss, at, axis) if math.isfinite(y0) else None
        if not math.isfinite(y0) or corner is not None:
            slope = float("nan")  # no tangent where f is undefined, or at a corner
        self._slope = slope
        (lo, hi), held = self.controller.domain[axis], 1 - axis
        where, half = {axis: x0, held: point[held]}, 0.22 * (hi - lo)
        xs, ys = calculus.line_in_box(x0, y0, slope, (x0 - half, x0 + half), self._y_range)
        self.tangent.set_data(xs, ys)
        tol = calculus.flat_tolerance_at(*self._slopes, x0, SENTENCE_FLAT)
        # Rounding errors (cos(π/2) = 6·10⁻¹⁷), a converged run's slope (−8.8×10⁻¹²) read 0;
        settled = self._examined is None and self.settled()  # an undefined one stays so
        shown = 0.0 if math.isfinite(slope) and (abs(slope) <= 1e-9 * tol or settled) else slope
        eq = "≈" if shown == 0 != slope and abs(slope) > 1e-9 * tol else "="  # (a run's 10⁻⁷)
        if math.isfinite(y0) and lo <= x0 <= hi:  # (off the plot the sentence tells it alone)
            self.dot.brush = QtGui.QColor(self.run_color())
            set_points(self.dot, [x0], [y0])
            self.slope_text.set_text(f"a {kink(corner)}" if corner else f"slope {eq} {fmt(shown)}",
                                     x0, y0)
            right, below = label_side(loss, point, axis, x0, y0, (lo, hi), self._y_range)
            # (short, but a slope's: the number alone beside the point read as its f)
            place_label(self.plot_widget, self.slope_text, self._data, (xs, ys), right, below,
                        None if corner else f"f′={fmt(shown)}")
        else:
            self.dot.set_data([], [])
            self.slope_text.set_text("")
        color, sentence = slope_sentence(shown, tol, names[axis], where, math.isfinite(y0),
                                         corner, self.controller.domain, eq,  # (grey there:)
                                         abs(shown) <= calculus.flat_tolerance(self._slopes[1]),
                                         self._corner_beside(loss, at, corner, slope), y0)
        if math.isfinite(x0) and not lo <= x0 <= hi:
            # (the curve drawn is the plot's stretch of the slice: beside "= 0 (flat)" at a
            # run gone to w1 = 2380 it fell with slope −1, which read as a contradiction)
            span = f"{fmt(*axis_number(lo, (lo, hi)))} to {fmt(*axis_number(hi, (lo, hi)))}"
            # (the sentence's own full stop gone first: "… does not exist there. — off the
            # plot …" read as two sentences glued)
            sentence = (sentence.rstrip().removesuffix(".")
                        + f" — off the plot, which shows {names[axis]} from {span}.")
        elif math.isfinite(y0) and not self._y_range[0] <= y0 <= self._y_range[1]:
            # (1/x at x = 0.01: f = 100 over a plot to ±33, no dot and no word of it; the
            # tangent, near upright at the plot's edge, read as the asymptote)
            span = f"{fmt(*axis_number(self._y_range[0], self._y_range))} to " \
                   f"{fmt(*axis_number(self._y_range[1], self._y_range))}"
            side = "above" if y0 > self._y_range[1] else "below"
            sentence = (sentence.rstrip().removesuffix(".") + f" — f = {fmt(y0)} there, "
                        f"{side} the plot, which shows f from {span}.")
        self.slope_label.set_color(None if color is None else self.ink(color))
        self.slope_label.setText(sentence)
