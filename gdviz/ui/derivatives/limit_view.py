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
from gdviz.ui.derivatives.common import (
    FONT_PT,
    CompactPlotWidget,
    LinkedView,
    fmt,
    padded_range,
    set_points,
    style_plot,
)
from gdviz.ui.qt import QtCore, QtGui, QtWidgets, pg
from gdviz.ui.steady_label import SteadyLabel

FORWARD_COLOR = "#0072B2"
CENTRAL_COLOR = "#E69F00"
SECANT_COLOR = "#0072B2"
TICKS_PER_DECADE = 20  # slider resolution: h = 10^(-k / 20)
SMALLEST_EXPONENT = 12  # the slider goes from h = 1 down to 1e-12
ERROR_HS = calculus.default_hs(80)  # the error plot's h: 1 down to 1e-16


def digits_html(value: float, exact: float, digits: int = 12) -> str:
    """``value`` with the digits it shares with ``exact`` in bold and the rest in grey."""
    if not math.isfinite(value):
        return "undefined"
    text, ref = f"{value:.{digits}f}", f"{exact:.{digits}f}"
    same = 0
    while same < min(len(text), len(ref)) and text[same] == ref[same]:
        same += 1
    text = text.replace("-", "−")
    return f"<b>{text[:same]}</b><span style='color:#888888'>{text[same:]}</span>"


class LimitView(LinkedView):
    """Secant → tangent as h shrinks, and the error of difference quotients against h.

    Attributes
    ----------
    h : float
        The step size chosen with the slider (1 down to 1e-12).
    axis : int
        Differentiate along the first (0) or second (1) variable.
    """

    def __init__(self, controller, parent=None) -> None:
        super().__init__(controller, parent)
        self.setObjectName("limitView")
        self.axis = 0
        self._secant = float("nan")
        self._errors = (np.empty(0), np.empty(0))
        self.best_hs: list[float] = [float("nan"), float("nan")]  # forward, central
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
        self.secant_widget = CompactPlotWidget(objectName="secantPlot")
        self.secant_widget.setAccessibleName("the secant and the tangent")
        self.sec_plot = self.secant_widget.getPlotItem()
        style_plot(self.sec_plot)
        self.sec_plot.setMouseEnabled(x=False, y=False)
        self.sec_plot.showGrid(x=True, y=True, alpha=0.15)
        self.curve = pg.PlotDataItem(pen=pg.mkPen("#555555", width=3))
        self.tangent = pg.PlotDataItem(pen=pg.mkPen("#111111", width=2,
                                                    style=QtCore.Qt.DashLine))
        self.secant = pg.PlotDataItem(pen=pg.mkPen(SECANT_COLOR, width=2.5))
        self.points = pg.ScatterPlotItem(size=13, pen=pg.mkPen("w", width=2),
                                         brush=pg.mkBrush(SECANT_COLOR))
        self.base_dot = pg.ScatterPlotItem(size=13, pen=pg.mkPen("w", width=2),
                                           brush=pg.mkBrush("#111111"))
        for item in (self.curve, self.tangent, self.secant, self.points, self.base_dot):
            self.sec_plot.addItem(item)
        self.point_labels = [pg.TextItem(text, color="#111111", anchor=(-0.15, -0.05))
                             for text in ("a", "a + h")]
        for label in self.point_labels:
            label.setFont(self._font(FONT_PT))
            self.sec_plot.addItem(label)
        self.point_labels[1].setColor(SECANT_COLOR)

        # The error plot.
        self.error_widget = CompactPlotWidget(objectName="errorPlot")
        self.error_widget.setAccessibleName("error of the difference quotients against h")
        self.err_plot = self.error_widget.getPlotItem()
        style_plot(self.err_plot, bottom="h  (smaller →)", left="|error|")
        self.err_plot.setLogMode(x=True, y=True)
        self.err_plot.invertX(True)
        self.err_plot.setMouseEnabled(x=False, y=False)
        self.err_plot.showGrid(x=True, y=True, alpha=0.2)
        self.fwd_curve = pg.PlotDataItem(pen=pg.mkPen(FORWARD_COLOR, width=2.5),
                                         connect="finite")
        self.cen_curve = pg.PlotDataItem(pen=pg.mkPen(CENTRAL_COLOR, width=2.5),
                                         connect="finite")
        self.ref_lines = [pg.PlotDataItem(pen=pg.mkPen("#888888", width=1.5,
                                                       style=QtCore.Qt.DashLine))
                          for _ in range(2)]
        self.ref_texts = [pg.TextItem(t, color="#666666", anchor=(0, 1))
                          for t in ("slope 1", "slope 2")]
        self.best = pg.PlotDataItem(pen=None, symbol="star", symbolSize=22,
                                    symbolPen=pg.mkPen("#111111", width=1))
        self.at_h = pg.PlotDataItem(pen=None, symbol="o", symbolSize=10,
                                    symbolPen=pg.mkPen("#111111", width=1.5))
        self.h_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#111111", width=1.5,
                                                              style=QtCore.Qt.DotLine))
        for item in (*self.ref_lines, self.fwd_curve, self.cen_curve, self.h_line, self.best,
                     self.at_h):
            self.err_plot.addItem(item)
        # Below the V on each side: the region the curves never reach.
        self.regime_texts = [pg.TextItem(t, color="#555555", anchor=anchor) for t, anchor in
                             (("truncation\nerror", (0, 0.5)), ("round-off\nerror", (1, 0.5)))]
        for text in (*self.ref_texts, *self.regime_texts):
            text.setFont(self._font(FONT_PT - 1))
            self.err_plot.addItem(text)
        # Big h and small error (bottom left) is where the curves never go.
        self.err_legend = self._legend(self.err_plot, (8, -8))
        self.err_legend.addItem(self.fwd_curve, "forward")
        self.err_legend.addItem(self.cen_curve, "central")
        self.sec_legend = self._legend(self.sec_plot, (8, 8))
        self.sec_legend.addItem(self.curve, "f")
        self.sec_legend.addItem(self.secant, "secant")
        self.sec_legend.addItem(self.tangent, "tangent")

        # The numbers.
        self.forward_label = SteadyLabel(object_name="forwardLabel", word_wrap=True)
        self.central_label = SteadyLabel(object_name="centralLabel", word_wrap=True)
        self.exact_label = SteadyLabel(object_name="exactLabel", word_wrap=True)
        numbers = QtWidgets.QGridLayout()
        self.name_labels = []
        for row, (label, color) in enumerate(((self.forward_label, FORWARD_COLOR),
                                              (self.central_label, "#b07800"),
                                              (self.exact_label, "#111111"))):
            label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
            name = QtWidgets.QLabel()
            name.setProperty("color", color)
            self.name_labels.append(name)
            numbers.addWidget(name, row, 0)
            numbers.addWidget(label, row, 1)
        numbers.setColumnStretch(1, 1)

        controls = QtWidgets.QHBoxLayout()
        controls.addWidget(self.combo)
        controls.addWidget(self.slider, 1)
        controls.addWidget(self.h_label)
        plots = QtWidgets.QHBoxLayout()
        plots.addWidget(self.secant_widget, 1)
        plots.addWidget(self.error_widget, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(plots, 1)
        layout.addLayout(numbers)
        self._on_slider_changed(self.slider.value())
        self._subscribe()

    @staticmethod
    def _legend(plot: pg.PlotItem, offset: tuple[int, int]) -> pg.LegendItem:
        legend = pg.LegendItem(offset=offset, labelTextSize=f"{FONT_PT - 1}pt",
                               labelTextColor="#222222", brush=(255, 255, 255, 220),
                               pen=pg.mkPen("#aaaaaa"), verSpacing=-4)
        legend.setParentItem(plot.vb)
        return legend

    @staticmethod
    def _font(size: int) -> QtGui.QFont:
        font = QtGui.QFont()
        font.setPointSize(size)
        return font

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
    def redraw(self) -> None:
        st = self.state()
        if st is None:
            for item in (self.curve, self.tangent, self.secant, self.fwd_curve, self.cen_curve):
                item.setData([], [])
            self._secant, self._error_key = float("nan"), None
            return
        loss, point = st
        axis, names, h = self.axis, loss.variables, self.h
        for i, name in enumerate(names):
            self.combo.setItemText(i, f"∂f/∂{name}")
        f = calculus.slice_function(loss, point, axis)
        a = point[axis]
        fa = float(f(np.float64(a)))
        exact = float(loss.gradient(*point)[axis]) if math.isfinite(fa) else float("nan")
        self._secant = calculus.secant_slope(f, a, h)
        self._draw_secant(f, a, fa, exact, h, names[axis])
        if (loss, point, axis) != self._error_key:  # the error curves do not depend on h
            self._error_key = (loss, point, axis)
            self._draw_error_curves(f, a, exact)
        self.h_line.setValue(math.log10(h))
        at = calculus.error_curve(f, a, exact, np.array([h]))
        set_points(self.at_h, [h, h], [float(at[0][0]), float(at[1][0])],
                   [pg.mkBrush(FORWARD_COLOR), pg.mkBrush(CENTRAL_COLOR)])
        self._draw_numbers(f, a, exact, h, names[axis])

    def _draw_secant(self, f, a: float, fa: float, exact: float, h: float, name: str) -> None:
        x_range = (a - 0.75, a + 1.5)
        xs = np.linspace(*x_range, 300)
        ys = f(xs)
        self.curve.setData(xs, ys, connect="finite")
        y_range = padded_range(ys, 0.1)
        self.sec_plot.setRange(xRange=x_range, yRange=y_range, padding=0.0)
        self.sec_plot.setLabel("bottom", name, **{"font-size": f"{FONT_PT}pt"})
        self.tangent.setData(*calculus.line_in_box(a, fa, exact, x_range, y_range))
        self.secant.setData(*calculus.line_in_box(a, fa, self._secant, x_range, y_range))
        fah = float(f(np.float64(a + h)))
        set_points(self.base_dot, [a], [fa])
        set_points(self.points, [a + h], [fah])
        self.point_labels[0].setPos(a, fa)
        self.point_labels[1].setPos(a + h, fah)
        # Labels would sit on top of each other once h is below a few pixels.
        self.point_labels[1].setVisible(h > 0.12)

    def _draw_error_curves(self, f, a: float, exact: float) -> None:
        hs = ERROR_HS
        fwd, cen = calculus.error_curve(f, a, exact, hs)
        self._errors = (fwd, cen)
        self.fwd_curve.setData(hs, fwd)
        self.cen_curve.setData(hs, cen)
        finite = np.concatenate([fwd[np.isfinite(fwd)], cen[np.isfinite(cen)]])
        if finite.size == 0:
            for item in (self.best, *self.ref_lines):
                item.setData([], [])
            self.best_hs = [float("nan")] * 2
            return
        lo, hi = math.log10(finite.min()), math.log10(finite.max())
        # Room below the data for the legend.
        self.err_plot.setRange(xRange=(0.0, -16.0), yRange=(lo - 0.22 * (hi - lo) - 1.0,
                                                             hi + 1.0), padding=0.0)
        self.regime_texts[0].setPos(-0.3, lo + 0.3 * (hi - lo))
        self.regime_texts[1].setPos(-15.7, lo + 0.3 * (hi - lo))
        # Guide lines of slope 1 and 2 through the truncation regime, a little above the data.
        anchor_h = 10.0 ** -1.5
        for k, (line, text, err) in enumerate(zip(self.ref_lines, self.ref_texts, (fwd, cen),
                                                  strict=True)):
            order = k + 1
            i = int(np.argmin(np.abs(np.log10(hs / anchor_h))))
            if not (np.isfinite(err[i]) and err[i] > 10 * calculus.error_floor(exact)):
                line.setData([], [])
                text.setText("")
                continue
            ref_hs = hs[(hs <= 1.0) & (hs >= 10.0 ** -(4 if order == 1 else 2.5))]
            ref = calculus.reference_line(ref_hs, order, anchor_h, 4.0 * err[i])
            line.setData(ref_hs, ref)
            text.setText(f"slope {order}")
            text.setPos(math.log10(ref_hs[-1]), math.log10(ref[-1]))
        best_xs, best_ys, brushes = [], [], []
        self.best_hs = []
        for err, name, color in zip((fwd, cen), ("forward", "central"),
                                    (FORWARD_COLOR, CENTRAL_COLOR), strict=True):
            hb = calculus.best_h(hs, err)
            self.best_hs.append(hb)
            label = f"{name}, best h ≈ {fmt(hb, 1)}" if math.isfinite(hb) else name
            self.err_legend.getLabel(self.fwd_curve if name == "forward"
                                     else self.cen_curve).setText(label)
            if math.isfinite(hb):
                best_xs.append(hb)
                best_ys.append(float(err[int(np.argmin(np.abs(hs - hb)))]))
                brushes.append(pg.mkBrush(color))
        self.best.setData(best_xs, best_ys, symbolBrush=brushes)

    def _draw_numbers(self, f, a: float, exact: float, h: float, name: str) -> None:
        with np.errstate(all="ignore"):
            fwd = float((f(np.float64(a + h)) - f(np.float64(a))) / h)
            cen = float((f(np.float64(a + h)) - f(np.float64(a - h))) / (2 * h))
        for label, text in zip(self.name_labels, ("forward  (f(a+h) − f(a)) / h",
                                                  "central  (f(a+h) − f(a−h)) / 2h",
                                                  f"exact  ∂f/∂{name}"), strict=True):
            label.setText(f"<span style='color:{label.property('color')}'>{text}</span>")
        for label, value in ((self.forward_label, fwd), (self.central_label, cen)):
            err = abs(value - exact) if math.isfinite(value) else float("nan")
            label.setText(f"{digits_html(value, exact)}   error {fmt(err, 2)}")
        self.exact_label.setText(f"<b>{digits_html(exact, exact)}</b>")
