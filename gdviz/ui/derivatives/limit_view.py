"""The "h → 0" tab: the limit definition of the derivative, and what finite h costs.

Left, the slice through the current point with the secant through (a, f(a)) and (a+h, f(a+h))
and the tangent: as h shrinks the secant turns into the tangent. Right, the error of the forward
and central difference quotients against h on log-log axes: truncation error (slopes 1 and 2)
for large h, round-off error for tiny h, and the best h of each.
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.core import calculus
from gdviz.core.special_points import corner_slopes
from gdviz.ui.binding import QtCore, QtWidgets
from gdviz.ui.canvas import Curve, InfiniteLine, Points, Text, make_pen
from gdviz.ui.derivatives.common import (
    FONT_PT,
    LecturePlot,
    LinkedView,
    ResponsiveRow,
    fmt,
    padded_range,
    set_points,
    steady_range,
)
from gdviz.ui.derivatives.error_labels import keep_regions_clear
from gdviz.ui.numbers import digits_html
from gdviz.ui.steady_label import SteadyLabel

FORWARD_COLOR = "#0072B2"
CENTRAL_COLOR = "#E69F00"
SECANT_COLOR = "#0072B2"
TICKS_PER_DECADE = 20  # slider resolution: h = 10^(-k / 20)
SMALLEST_EXPONENT = 12  # the slider goes from h = 1 down to 1e-12
ERROR_HS = calculus.default_hs(80)  # the error plot's h: 1 down to 1e-16
WINDOW = (0.75, 1.5)  # the secant plot shows a − 0.75 … a + 1.5 (room for a + h, h ≤ 1)


class LimitView(LinkedView):
    """Secant → tangent as h shrinks, and the error of difference quotients against h.

    Attributes
    ----------
    h : float
        The step size chosen with the slider (1 down to 1e-12).
    axis : int
        Differentiate along the first (0) or second (1) variable.

    Notes
    -----
    Both plots keep their ranges while the point moves a little (the secant plot's window
    follows the point only when it nears an edge), so a playback frame or a move of the
    slider repaints only their frame layers, not their axes.
    """

    def __init__(self, controller, parent=None) -> None:
        super().__init__(controller, parent)
        self.setObjectName("limitView")
        self.axis = 0
        self._secant = float("nan")
        self._errors = (np.empty(0), np.empty(0))
        self.best_hs: list[float] = [float("nan"), float("nan")]  # forward, central
        self.exact_quotients = [False, False]  # (no truncation error: no best h to speak of)
        self._error_key: tuple | None = None  # (loss, point, axis) the error curves are for

        self.combo = QtWidgets.QComboBox(objectName="limitAxisCombo")
        self.combo.setAccessibleName("variable to differentiate along")
        self.combo.addItems(["∂f/∂w1", "∂f/∂w2"])
        self.combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToContents)
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.slider = QtWidgets.QSlider(QtCore.Qt.Horizontal, objectName="hSlider")
        self.slider.setAccessibleName("step size h (logarithmic)")
        self.slider.setToolTip("Drag right to make h smaller: 1, 0.1, 0.01, … down to 10⁻¹²")
        self.slider.setRange(0, SMALLEST_EXPONENT * TICKS_PER_DECADE)
        self.slider.setTickPosition(QtWidgets.QSlider.TicksBelow)
        self.slider.setTickInterval(TICKS_PER_DECADE)
        self.slider.setPageStep(TICKS_PER_DECADE)
        self.slider.setValue(TICKS_PER_DECADE // 2)
        self.slider.valueChanged.connect(self._on_slider_changed)
        self.h_label = QtWidgets.QLabel(objectName="hLabel")
        metrics = self.h_label.fontMetrics()
        self.h_label.setMinimumWidth(metrics.horizontalAdvance("h = 3.2×10⁻¹²  "))

        # The secant plot.
        self.secant_widget = LecturePlot("secantPlot", "the secant and the tangent")
        plot = self.secant_widget
        self.curve = plot.add(Curve(pen=make_pen("#555555", 3)), frame=True)
        self.tangent = plot.add(Curve(pen=make_pen("#111111", 2, QtCore.Qt.DashLine), z=1),
                                frame=True)
        self.secant = plot.add(Curve(pen=make_pen(SECANT_COLOR, 2.5), z=2), frame=True)
        self.points = plot.add(Points(13, SECANT_COLOR, "white", 2, z=3), frame=True)
        self.base_dot = plot.add(Points(13, "#111111", "white", 2, z=3), frame=True)
        self.point_labels = [plot.add(Text(text, color, anchor=(-0.15, -0.05),
                                           scale=FONT_PT / (FONT_PT - 1)), frame=True)
                             for text, color in (("a", "#111111"), ("a + h", SECANT_COLOR))]
        self._window = (-1.0, 1.0)
        self._sec_range = (-1.0, 1.0)
        self._window_key: tuple | None = None
        self.sec_legend = QtWidgets.QLabel(objectName="secantLegend", wordWrap=True)
        self._legend_ink = None
        self._set_legend()

        # The error plot: h shrinks to the right, like the slider.
        self.error_widget = LecturePlot("errorPlot",
                                        "error of the difference quotients against h",
                                        bottom="h  (smaller →)", left="|error|", grid=0.2)
        plot = self.error_widget
        plot.set_log(True, True)
        plot.set_invert_x(True)
        dashed = make_pen("#888888", 1.5, QtCore.Qt.DashLine)
        self.ref_lines = [plot.add(Curve(pen=dashed), frame=True) for _ in range(2)]
        self.fwd_curve = plot.add(Curve(pen=make_pen(FORWARD_COLOR, 2.5), z=1), frame=True)
        self.cen_curve = plot.add(Curve(pen=make_pen(CENTRAL_COLOR, 2.5), z=1), frame=True)
        self.h_line = plot.add(InfiniteLine(90, pen=make_pen("#111111", 1.5, QtCore.Qt.DotLine),
                                            z=2), frame=True)
        self.best = plot.add(Points(22, "#111111", "#111111", 1, symbol="star", z=3),
                             frame=True)
        self.at_h = plot.add(Points(10, "#111111", "#111111", 1.5, z=4), frame=True)
        # Each at its guide line's low end: "slope 1" above and right of it, "slope 2" below
        # and left of its own (the two ends are close: side by side, the labels overlapped).
        self.ref_texts = [plot.add(Text(t, "#666666", anchor=anchor, inside=True), frame=True)
                          for t, anchor in (("slope 1", (0, 1)), ("slope 2", (1, 0)))]
        # Below the V on each side: the region the curves never reach.
        self.regime_texts = [plot.add(Text(t, "#555555", anchor=anchor), frame=True)
                             for t, anchor in (("truncation\nerror", (0, 0.5)),
                                               ("round-off\nerror", (1, 0.5)))]
        # Where there is no exact value (a corner, f undefined): said in the empty plot.
        self.no_exact = plot.add(Text("no exact value\nto compare with", "#555555",
                                      anchor=(0.5, 0.5)), frame=True)
        self.no_exact.set_visible(False)
        self._err_range = (-1.0, 1.0)
        self._err_key: tuple | None = None
        # Its best h changes with the point: a steady label (no window re-layout per frame).
        self.err_legend = SteadyLabel(object_name="errorLegend", word_wrap=True)

        # The numbers.
        self.forward_label = SteadyLabel(object_name="forwardLabel", word_wrap=True)
        self.central_label = SteadyLabel(object_name="centralLabel", word_wrap=True)
        self.exact_label = SteadyLabel(object_name="exactLabel", word_wrap=True)
        numbers = QtWidgets.QGridLayout()
        self.name_labels = []
        for row, (label, color) in enumerate(((self.forward_label, FORWARD_COLOR),
                                              (self.central_label, "#b07800"),
                                              (self.exact_label, ""))):  # the theme's
            label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
            # The digits never wrap: room for all of them, in any type size (presentation
            # mode's cut "0.140413209902" to "0.1404132099"); "error …" wraps below them.
            label.reserve("−0.140413209902")
            name = QtWidgets.QLabel(wordWrap=True)  # wraps before the digits are cut off
            name.setProperty("color", color)
            self.name_labels.append(name)
            numbers.addWidget(name, row, 0)
            numbers.addWidget(label, row, 1)
        numbers.setColumnStretch(1, 1)

        controls = QtWidgets.QHBoxLayout()
        controls.addWidget(self.combo)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.h_label)
        # Each plot with its key above it (a key inside would hide part of a curve).
        self.plots = ResponsiveRow(620)
        for legend, widget in ((self.sec_legend, self.secant_widget),
                               (self.err_legend, self.error_widget)):
            column = QtWidgets.QVBoxLayout()
            column.addWidget(legend)
            column.addWidget(widget, 1)
            self.plots.addLayout(column, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(self.plots, 1)
        layout.addLayout(numbers)
        self._set_error_legend([float("nan")] * 2)
        self._on_slider_changed(self.slider.value())
        self._subscribe()

    # -- public ---------------------------------------------------------------------------
    @property
    def h(self) -> float:
        """The step size chosen with the slider."""
        return 10.0 ** (-self.slider.value() / TICKS_PER_DECADE)

    def set_h(self, h: float) -> None:
        """Move the slider to the step closest to ``h`` (clamped to [1e-12, 1])."""
        k = round(-math.log10(max(min(float(h), 1.0), 10.0 ** -SMALLEST_EXPONENT))
                  * TICKS_PER_DECADE)
        self.slider.setValue(k)

    def set_axis(self, axis: int) -> None:
        """Differentiate along the first (0) or second (1) variable."""
        self.combo.setCurrentIndex(1 if axis else 0)

    def secant_slope(self) -> float:
        """The slope of the drawn secant, (f(a + h) − f(a)) / h."""
        self.ensure_fresh()
        return self._secant

    def error_data(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(hs, forward error, central error) as plotted."""
        self.ensure_fresh()
        return (ERROR_HS, *self._errors)

    # -- events ---------------------------------------------------------------------------
    def _on_combo_changed(self, index: int) -> None:
        self.axis = 1 if index else 0
        self.mark_dirty()
        self.ensure_fresh()

    def _on_slider_changed(self, _value: int) -> None:
        self.h_label.setText(f"h = {fmt(self.h, 2)}")
        self.mark_dirty()
        self.ensure_fresh()

    # -- drawing --------------------------------------------------------------------------
    def _set_legend(self) -> None:
        """The secant plot's key, its f swatch in the colour the plot draws f (theme)."""
        ink = self.secant_widget.ink(self.curve.pen.color()).name()
        if ink != self._legend_ink:
            self._legend_ink = ink
            self.sec_legend.setText(
                f"<span style='color:{ink}'>━━</span> f &nbsp; "
                f"<span style='color:{SECANT_COLOR}'>━━</span> secant &nbsp; "
                "<b>╌╌</b> tangent")

    def redraw(self) -> None:
        self._set_legend()  # (a theme change redraws)
        st = self.state()
        if st is None:
            for item in (self.curve, self.tangent, self.secant, self.fwd_curve, self.cen_curve,
                         self.points, self.base_dot, self.best, self.at_h, *self.ref_lines):
                item.set_data([], [])
            for text in (*self.point_labels, *self.ref_texts, *self.regime_texts):
                text.set_visible(False)
            self._secant, self._error_key = float("nan"), None
            return
        loss, point = st
        axis, names, h = self.axis, loss.variables, self.h
        for i, name in enumerate(names):
            self.combo.setItemText(i, f"∂f/∂{name}")
        f = calculus.slice_function(loss, point, axis)
        a = point[axis]
        fa = float(f(np.float64(a)))
        # At a corner (|w1| at 0) the one-sided slopes differ: there is no derivative, and
        # sign(0) = 0 would print one. The quotients are then compared with nothing.
        corner = corner_slopes(loss, point, axis) if math.isfinite(fa) else None
        exact = float(loss.gradient(*point)[axis]) if math.isfinite(fa) and corner is None \
            else float("nan")
        self._secant = calculus.secant_slope(f, a, h)
        self._draw_secant(f, a, fa, exact, h, names[axis])
        if (loss, point, axis) != self._error_key:  # the error curves do not depend on h
            self._error_key = (loss, point, axis)
            self._draw_error_curves(f, a, exact)
        self.h_line.set_value(h)
        at = calculus.error_curve(f, a, exact, np.array([h]))
        set_points(self.at_h, [h, h], [float(at[0][0]), float(at[1][0])],
                   [FORWARD_COLOR, CENTRAL_COLOR])
        self._draw_numbers(f, a, exact, h, names[axis], corner)

    def _secant_window(self, a: float, key: tuple) -> tuple[float, float]:
        """a − 0.75 … a + 1.5, kept while a stays well inside it (steady axes in playback)."""
        x0, _ = self._window
        if key != self._window_key or not (x0 + 0.5 <= a <= x0 + 1.0):
            self._window = (a - WINDOW[0], a + WINDOW[1])
        return self._window

    def _draw_secant(self, f, a: float, fa: float, exact: float, h: float, name: str) -> None:
        key = (self.controller.loss.text, self.axis)
        x_range = self._secant_window(a, key)
        xs = np.linspace(*x_range, 300)
        ys = f(xs)
        self.curve.set_data(xs, ys)
        self._sec_range = y_range = steady_range(self._sec_range, padded_range(ys, 0.1),
                                                 key == self._window_key)
        self._window_key = key
        self.secant_widget.set_range(x_range, y_range)
        self.secant_widget.set_axis_label("bottom", name)
        self.tangent.set_data(*calculus.line_in_box(a, fa, exact, x_range, y_range))
        self.secant.set_data(*calculus.line_in_box(a, fa, self._secant, x_range, y_range))
        fah = float(f(np.float64(a + h)))
        set_points(self.base_dot, [a], [fa])
        set_points(self.points, [a + h], [fah])
        self.point_labels[0].set_pos(a, fa)
        self.point_labels[1].set_pos(a + h, fah)
        self.point_labels[0].set_visible(math.isfinite(fa))
        # Labels would sit on top of each other once h is below a few pixels.
        self.point_labels[1].set_visible(h > 0.12 and math.isfinite(fah))

    def _draw_error_curves(self, f, a: float, exact: float) -> None:
        hs = ERROR_HS
        fwd, cen = calculus.error_curve(f, a, exact, hs)
        self._errors = (fwd, cen)
        self.fwd_curve.set_data(hs, fwd)
        self.cen_curve.set_data(hs, cen)
        finite = np.concatenate([fwd[np.isfinite(fwd) & (fwd > 0)],
                                 cen[np.isfinite(cen) & (cen > 0)]])
        self.no_exact.set_visible(finite.size == 0)
        if finite.size == 0:
            for item in (self.best, *self.ref_lines):
                item.set_data([], [])
            for text in (*self.ref_texts, *self.regime_texts):
                text.set_visible(False)
            self.best_hs = [float("nan")] * 2
            self._set_error_legend(self.best_hs)
            self._err_range, self._err_key = (-16.0, 0.0), None
            self.error_widget.set_range((-16.0, 0.0), self._err_range)
            self.no_exact.set_pos(10.0 ** -8, 10.0 ** -8)
            return
        lo, hi = math.log10(finite.min()), math.log10(finite.max())
        key = (self.controller.loss.text, self.axis)
        self._err_range = steady_range(self._err_range, (lo - 0.6, hi + 0.6),
                                       key == self._err_key)
        self._err_key = key
        self.error_widget.set_range((-16.0, 0.0), self._err_range)
        # (the truncation side's low in the corner: higher, the forward curve crossed it)
        self.regime_texts[0].set_pos(10.0 ** -0.3, 10.0 ** (lo + 0.14 * (hi - lo)))
        self.regime_texts[1].set_pos(10.0 ** -15.7, 10.0 ** (lo + 0.3 * (hi - lo)))
        for text in self.regime_texts:
            text.set_visible(True)
        # Guide lines of slope 1 and 2 through the truncation regime, a little above the data.
        anchor_h = 10.0 ** -1.5
        for k, (line, text, err) in enumerate(zip(self.ref_lines, self.ref_texts, (fwd, cen),
                                                  strict=True)):
            order = k + 1
            i = int(np.argmin(np.abs(np.log10(hs / anchor_h))))
            if not (np.isfinite(err[i]) and err[i] > 10 * calculus.error_floor(exact)):
                line.set_data([], [])
                text.set_visible(False)
                continue
            ref_hs = hs[(hs <= 1.0) & (hs >= 10.0 ** -(4 if order == 1 else 2.5))]
            ref = calculus.reference_line(ref_hs, order, anchor_h, 4.0 * err[i])
            line.set_data(ref_hs, ref)
            text.set_pos(float(ref_hs[-1]), float(ref[-1]))
            text.set_visible(True)
        keep_regions_clear(self.error_widget, self.ref_texts, self.regime_texts, hs,
                           (fwd, cen), lo, hi)
        best_xs, best_ys, brushes = [], [], []
        self.best_hs, self.exact_quotients = [], []
        top = int(np.argmax(hs))
        for err, color in zip((fwd, cen), (FORWARD_COLOR, CENTRAL_COLOR), strict=True):
            # No truncation error (f linear along the slice for the forward quotient,
            # quadratic for the central, constant for both): the error is round-off alone,
            # least at the largest h. A "best h ≈ 1 ★" on a flat line said nothing.
            with np.errstate(all="ignore"):
                only_roundoff = bool(err[top] <= 10 * np.nanmin(err))
            self.exact_quotients.append(only_roundoff)
            hb = float("nan") if only_roundoff else calculus.best_h(hs, err)
            self.best_hs.append(hb)
            if math.isfinite(hb):
                best_xs.append(hb)
                best_ys.append(float(err[int(np.argmin(np.abs(hs - hb)))]))
                brushes.append(color)
        set_points(self.best, best_xs, best_ys, brushes)
        self._set_error_legend(self.best_hs, self.exact_quotients)

    def _set_error_legend(self, best_hs: list[float], exact=(False, False)) -> None:
        parts = []
        for name, color, hb, no_truncation in zip(
                ("forward", "central"), (FORWARD_COLOR, CENTRAL_COLOR), best_hs, exact,
                strict=True):
            best = (f", best h ≈ {fmt(hb, 1)} <span style='color:{color}'>★</span>"
                    if math.isfinite(hb) else
                    ": no truncation error here, only round-off" if no_truncation else "")
            parts.append(f"<span style='color:{color}'>━━</span> {name}{best}")
        self.err_legend.setText("<br>".join(parts))

    def _draw_numbers(self, f, a: float, exact: float, h: float, name: str,
                      corner: tuple[float, float] | None = None) -> None:
        with np.errstate(all="ignore"):
            fwd = float((f(np.float64(a + h)) - f(np.float64(a))) / h)
            cen = float((f(np.float64(a + h)) - f(np.float64(a - h))) / (2 * h))
        for label, text in zip(self.name_labels, ("forward  (f(a+h) − f(a)) / h",
                                                  "central  (f(a+h) − f(a−h)) / 2h",
                                                  f"exact  ∂f/∂{name}"), strict=True):
            color = label.property("color")
            label.setText(f"<span style='color:{self.ink(color)}'>{text}</span>"
                          if color else text)
        if corner is not None:
            left, right = corner
            for label, value in ((self.forward_label, fwd), (self.central_label, cen)):
                label.setText(f"{value:.12f}".replace("-", "−") if math.isfinite(value)
                              else "undefined")
            self.exact_label.setText(
                f"<b>none</b>: a corner, slope {fmt(left)} from the left and {fmt(right)} "
                "from the right; the quotients settle on no single value as h → 0")
            return
        for label, value in ((self.forward_label, fwd), (self.central_label, cen)):
            err = abs(value - exact) if math.isfinite(value) else float("nan")
            label.setText(f"{digits_html(value, exact)}   error {fmt(err, 2)}")
        self.exact_label.setText(f"<b>{digits_html(exact, exact)}</b>")
