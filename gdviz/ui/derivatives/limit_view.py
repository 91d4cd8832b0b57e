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
from gdviz.core.finite import partial_with_rounding
from gdviz.core.limits import axis_partial
from gdviz.core.special_points import corner_slopes
from gdviz.ui.binding import QtCore, QtWidgets
from gdviz.ui.canvas import Curve, Points, Text, make_pen
from gdviz.ui.derivatives.common import (
    FONT_PT,
    LecturePlot,
    LinkedView,
    ResponsiveRow,
    fmt,
    padded_range,
    points_along,
    set_points,
    steady_range,
)
from gdviz.ui.derivatives.error_plot import (
    CENTRAL_COLOR,
    ERROR_HS,
    FORWARD_COLOR,
    SMALLEST_EXPONENT,
    ErrorPlotPart,
)
from gdviz.ui.derivatives.quotient_rows import QuotientRows
from gdviz.ui.steady_label import SteadyLabel

SECANT_COLOR = "#0072B2"
TICKS_PER_DECADE = 20  # slider resolution: h = 10^(-k / 20)
SECANT_LEAST = 100  # the secant plot's least height (the others' plots: 150)
WINDOW = (0.75, 1.5)  # the secant plot shows a − 0.75 … a + 1.5 (room for a + h, h ≤ 1)
LABEL_ANCHOR = (-0.15, -0.05)  # "a", "a + h": below and right of their points
MARK_CLEAR = 7.0  # pixels from a point's centre to its label's box (its mark: 13 across)
FULL_H = 0.3  # below this h the secant plot zooms in, FULL_H / h times: a + h stays apart
MOST_ZOOM = 1e4  # (deeper, a slice's values differ in their last digits only and read flat)


class LimitView(ErrorPlotPart, LinkedView):
    """Secant → tangent as h shrinks, and the error of difference quotients against h.

    Attributes
    ----------
    h : float
        The step size chosen with the slider (1 down to 1e-12).
    zoom : float
        How many times the secant plot is zoomed in around a (1: not zoomed).
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
        self.variable_combo = self.combo
        self.combo.setAccessibleName("variable to differentiate along")
        self.combo.setToolTip("The partial derivative whose difference quotients are shown")
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
        self.zoom_box = QtWidgets.QCheckBox("Zoom", objectName="secantZoomBox",
                                            checked=True)
        self.zoom_box.setToolTip(
            "Zoom the secant plot in around a as h shrinks (ten times per tenfold smaller h,"
            " down to h ≈ 3·10⁻⁵), so a + h stays apart from a and the secant can be seen"
            " turning into the tangent")
        self.zoom_box.toggled.connect(self._on_slider_changed)

        # The secant plot.
        self.secant_widget = LecturePlot("secantPlot", "the secant and the tangent")
        plot = self.secant_widget
        self.curve = plot.add(Curve(pen=make_pen("#555555", 3)), frame=True)
        self.tangent = plot.add(Curve(pen=make_pen("#111111", 2, QtCore.Qt.DashLine), z=1),
                                frame=True)
        self.secant = plot.add(Curve(pen=make_pen(SECANT_COLOR, 2.5), z=2), frame=True)
        self.points = plot.add(Points(13, SECANT_COLOR, "white", 2, z=3), frame=True)
        self.base_dot = plot.add(Points(13, "#111111", "white", 2, z=3), frame=True)
        self.point_labels = [plot.add(Text(text, color, anchor=LABEL_ANCHOR,
                                           scale=FONT_PT / (FONT_PT - 1)), frame=True)
                             for text, color in (("a", "#111111"), ("a + h", SECANT_COLOR))]
        # (and the secant plot's range again: the room under a lowest "a" is in pixels)
        plot.resized.connect(lambda: (self._place_point_labels(), self.mark_dirty()))
        self._window = (-1.0, 1.0)
        self._sec_range = (-1.0, 1.0)
        self._window_key: tuple | None = None
        # (a SteadyLabel, as the error plot's key: a QLabel's height for its width made the
        # stacked plots overflow the tab, the error plot's axis cut off below its edge)
        self.sec_legend = SteadyLabel(object_name="secantLegend", word_wrap=True)
        self._legend_ink = None
        self._set_legend()

        self._build_error_plot()

        # The numbers.
        self.numbers = QuotientRows()
        self.forward_label, self.central_label, self.exact_label = self.numbers.values
        self.name_labels = self.numbers.name_labels

        # The slider on a line of its own, the dock's width: beside the variable, h and Zoom
        # it was 67 pixels (25 on an 800-pixel screen) for twelve decades, the tab's main
        # control.
        choices = QtWidgets.QHBoxLayout()
        choices.addWidget(self.combo)
        choices.addWidget(self.h_label, 1)
        choices.addWidget(self.zoom_box)
        controls = QtWidgets.QVBoxLayout()
        controls.addLayout(choices)
        controls.addWidget(self.slider)
        # Each plot with its key above it (a key inside would hide part of a curve). The
        # secant plot may be shorter than the other tabs' plots: at 1366 × 768 the error
        # plot, the tab's point, was below the fold, behind the dock's scroll bar.
        self.secant_widget.set_least_height(SECANT_LEAST)
        self.plots = ResponsiveRow(620)
        for legend, widget in ((self.sec_legend, self.secant_widget),
                               (self.err_legend, self.error_widget)):
            column = QtWidgets.QVBoxLayout()
            column.addWidget(legend)
            column.addWidget(widget, 1)
            self.plots.addLayout(column, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(controls)
        # The quotients right under the slider that changes them, above the plots: below
        # them, on a 720-line screen they were out of sight, under the dock's scroll.
        layout.addLayout(self.numbers)
        layout.addLayout(self.plots, 1)
        self._set_error_legend([float("nan")] * 2)
        self._on_slider_changed(self.slider.value())
        self._subscribe()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.numbers.fit(event.size().width())

    # -- public ---------------------------------------------------------------------------
    @property
    def h(self) -> float:
        """The step size chosen with the slider: 10^(−k/20) to the two digits shown (the
        label read "h = 0.32" over quotients taken with 0.316228: a class checking one by
        hand disagreed at the fourth digit)."""
        return float(f"{10.0 ** (-self.slider.value() / TICKS_PER_DECADE):.2g}")

    @property
    def zoom(self) -> float:
        """How many times the secant plot is zoomed in around a: FULL_H / h, from 1 (h ≥ 0.3
        or "Zoom" off) up to 10⁴."""
        if not self.zoom_box.isChecked():
            return 1.0
        return min(max(FULL_H / self.h, 1.0), MOST_ZOOM)

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
        zoom = self.zoom
        # (its text changes only when the zoom does: a re-layout per slider step otherwise)
        # (×9.5, ×300, ×9,500: not ×3×10²)
        times = fmt(zoom, 2) if zoom < 10 else f"{float(f'{zoom:.2g}'):,.0f}"
        zoomed = f" &nbsp; <i>zoomed in ×{times}</i>" if zoom > 1 else ""
        if (ink, zoomed) != self._legend_ink:
            self._legend_ink = (ink, zoomed)
            self.sec_legend.setText(
                f"<span style='color:{ink}'>━━</span> f &nbsp; "
                f"<span style='color:{SECANT_COLOR}'>━━</span> secant &nbsp; "
                f"<b>╌╌</b> tangent{zoomed}")

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
        # ((x³ + y³)^(1/3) at the origin: a slope along the axis, 1, though ∇f is undefined)
        exact = axis_partial(loss, point, axis) if math.isfinite(fa) and corner is None \
            else float("nan")
        # (its formula's own rounding, where its terms cancel: the digits left unsure)
        exact, unsure = partial_with_rounding(loss, point, axis, exact)
        self._secant = calculus.secant_slope(f, a, h)
        self._draw_secant(f, a, fa, exact, h, names[axis])
        placed_for, self._labels_h = self._labels_h, h  # (labels kept off the h line)
        if (loss, point, axis) != self._error_key:  # the error curves do not depend on h
            self._error_key = (loss, point, axis)
            self._draw_error_curves(f, a, exact)
        elif h != placed_for:
            self._keep_regions_clear()
        self.h_line.set_value(h)
        at = calculus.error_curve(f, a, exact, np.array([h]))
        # (none where no curve is drawn: error 0 at every h, said in the plot)
        drawn = len(self.fwd_curve.x) > 0
        set_points(self.at_h, [h, h][:2 * drawn], [float(e[0]) for e in at][:2 * drawn],
                   [FORWARD_COLOR, CENTRAL_COLOR][:2 * drawn])
        self.numbers.show(f, a, exact, h, names[axis], corner, self.ink, unsure)

    def _secant_window(self, a: float, key: tuple, zoom: float) -> tuple[float, float]:
        """a − 0.75 … a + 1.5 (divided by the zoom), kept while a stays well inside it (steady
        axes in playback)."""
        x0, _ = self._window
        if key != self._window_key or not (x0 + 0.5 / zoom <= a <= x0 + 1.0 / zoom):
            self._window = (a - WINDOW[0] / zoom, a + WINDOW[1] / zoom)
        return self._window

    def _draw_secant(self, f, a: float, fa: float, exact: float, h: float, name: str) -> None:
        zoom = self.zoom
        key = (self.controller.loss.text, self.axis, zoom)
        x_range = self._secant_window(a, key, zoom)
        xs = np.linspace(*x_range, 300)
        ys = f(xs)
        self.curve.set_data(xs, ys)
        # (zoomed in, a real slope varies by less than rounding's share of f at full size)
        # (nor is one the exact slope accounts for, however small beside f: 10⁶ + x²)
        rise = abs(exact) * (x_range[1] - x_range[0]) if math.isfinite(exact) else 0.0
        tight = padded_range(ys, 0.1, max(1e-5 / zoom, 1e-12), rise)
        # Room for "a" under its point (at a cusp the curve rises on both sides of it, and
        # "a" above it sat on the curve): its height and a little, at most 40 % of the plot
        box = self.point_labels[0].box(self.secant_widget)
        room = min(0.4, ((box.height() if box is not None else 22.0) + 4.0)
                   / max(self.secant_widget.plot_rect().height(), 1.0))
        if math.isfinite(fa) and fa - tight[0] < room * (tight[1] - tight[0]):
            tight = (fa - room / (1.0 - room) * (tight[1] - fa), tight[1])
        self._sec_range = y_range = steady_range(self._sec_range, tight, key == self._window_key)
        self._window_key = key
        self.secant_widget.set_range(x_range, y_range)
        self.secant_widget.set_axis_label("bottom", name)
        self.tangent.set_data(*calculus.line_in_box(a, fa, exact, x_range, y_range))
        self.secant.set_data(*calculus.line_in_box(a, fa, self._secant, x_range, y_range))
        fah = float(f(np.float64(a + h)))
        set_points(self.base_dot, [a], [fa])
        set_points(self.points, [a + h], [fah])
        # Labels would sit on top of each other once h is below a few pixels: then one,
        # "a, a + h", right of both points (at h = 10⁻⁵ "a" alone sat between the two dots,
        # and nothing said which was a + h)
        apart = h * zoom > 0.12 or not math.isfinite(fah)
        self.point_labels[0].set_text("a" if apart else "a, a + h", a if apart else a + h, fa)
        self.point_labels[1].set_pos(a + h, fah)
        self.point_labels[0].set_visible(math.isfinite(fa))
        self.point_labels[1].set_visible(apart and math.isfinite(fah))
        self._place_point_labels()

    def _place_point_labels(self) -> None:
        """"a" and "a + h" by the first corner of their points, below and right first, whose
        box is inside the plot and off f's curve, the secant and the tangent as drawn (at the bottom
        of the range they were cut in half; at a cusp, turned up, "a" sat on the curve)."""
        canvas = self.secant_widget
        area = canvas.plot_rect()
        lines = [points_along(np.column_stack(canvas.data_to_px(*item.getData())))
                 for item in (self.curve, self.secant, self.tangent) if len(item.getData()[0])]
        for dots in (self.base_dot, self.points):  # (their markers, 13 pixels across)
            x, y = (np.asarray(v, float) for v in canvas.data_to_px(*dots.getData()))
            lines += [np.column_stack([x + dx, y + dy]) for dx in (-6, 0, 6) for dy in (-6, 0, 6)]
        drawn = np.concatenate(lines) if lines else np.empty((0, 2))
        taken: list[QtCore.QRectF] = []  # (and off each other: "a" lay over "a + h")
        for text in self.point_labels:
            # Off its own point's mark at every corner: a fraction of the box alone put a
            # narrow "a" 2.4 pixels from its centre, on the mark, so that no corner was
            # clear and it stayed below and right, on the secant and the tangent.
            text.set_anchor((0.0, 0.0))
            size = text.box(canvas)
            ax, ay = LABEL_ANCHOR
            if size is not None and size.width() > 0 and size.height() > 0:
                ax = min(ax, -MARK_CLEAR / size.width())
                ay = min(ay, -MARK_CLEAR / size.height())
            corners = ((ax, ay), (ax, 1 - ay), (1 - ax, ay), (1 - ax, 1 - ay))
            fits = []
            for anchor in corners:
                text.set_anchor(anchor)
                box = text.box(canvas)
                if box is None or not text.visible:
                    break
                inside = area.contains(box)
                off = not ((drawn[:, 0] >= box.left()) & (drawn[:, 0] <= box.right())
                           & (drawn[:, 1] >= box.top()) & (drawn[:, 1] <= box.bottom())).any()
                off = off and not any(box.intersects(t) for t in taken)
                fits.append((not (inside and off), _overshoot(box, area), anchor, box))
            if fits:  # (the first clear one; else the one cut least by the frame)
                *_, anchor, box = min(fits, key=lambda f: f[:2])
                text.set_anchor(anchor)
                taken.append(box)


def _overshoot(box: QtCore.QRectF, area: QtCore.QRectF) -> float:
    """How far ``box`` reaches out of ``area``, in pixels, on all its sides (0 inside it):
    in a secant plot too short for any corner of its point to hold "a, a + h" whole, it went
    below and right, cut in half by the frame, where above it fitted but for a pixel."""
    return (max(0.0, area.left() - box.left()) + max(0.0, box.right() - area.right())
            + max(0.0, area.top() - box.top()) + max(0.0, box.bottom() - area.bottom()))
