"""The "Regression" tab: why machine learning cares about gradient descent.

A line ``ŷ = w1·x + w2`` is fitted to editable data points by descending the mean squared
error over the two weights. The data view shows the points, the line for the selected run's
current point (it moves as the descent plays) and the residuals; a readout walks the lecture's
last slide: weights → outputs → loss → gradient → update.

The line and the residuals move with every playback frame, so they are in the plot's frame
layer, with the points above them; the static layer holds the grid and the axes.
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.core import calculus
from gdviz.core.regression import (
    DEFAULT_DATA,
    converging_lr,
    data_from_loss_text,
    fitted_line,
    least_squares,
    regression_loss_text,
    suggested_domain,
)
from gdviz.ui.binding import QtCore, QtGui, QtWidgets, Signal
from gdviz.ui.canvas import Curve, Points, make_pen
from gdviz.ui.colors import RUN_COLORS
from gdviz.ui.derivatives.common import FONT_PT, in_sight
from gdviz.ui.derivatives.lecture_plot import LecturePlot
from gdviz.ui.derivatives.regression_pipeline import key_html, lowered_lr_note, pipeline_html
from gdviz.ui.derivatives.regression_points import HINT, MIN_POINTS, PointEditing
from gdviz.ui.runs_panel import LR_LEAST
from gdviz.ui.steady_label import SteadyLabel

_REGRESSION_PRESET_LOSS = regression_loss_text(*DEFAULT_DATA)  # (the preset's, on its data)
USING = "using the data as the loss"  # (the change, as Edit ▸ Undo names it)
PAD = 0.08  # room around the data when fitting the view, as a fraction of their span
RESIDUAL_COLOR = "#D55E00"


class RegressionView(PointEditing, QtWidgets.QWidget):
    """Linear regression on editable data, linked to the controller's loss and current point.

    Parameters
    ----------
    controller : gdviz.ui.controller.Controller
        Its loss is set to the data's mean squared error by "Use as loss"; its selected run's
        current point gives the line shown.
    parent : QWidget, optional

    Signals
    -------
    dataChanged()
        The data points changed (by a click, :meth:`set_data` or "Reset data").
    """

    dataChanged = Signal()

    def __init__(self, controller, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._xs: list[float] = list(DEFAULT_DATA[0])
        self._ys: list[float] = list(DEFAULT_DATA[1])
        self._active = False  # the controller's loss is this data's MSE
        self._pending: str | None = None  # loss text submitted, not yet applied
        # (run index, start, η) of the run "Use as loss" changed for the MSE on its way,
        # put back should the MSE be refused (it was left half-changed: its start moved,
        # its path from the old one)
        self._deferred: tuple[int, tuple[float, float], float] | None = None

        # Its numbers change every playback frame: a steady label, which re-lays out the
        # window only when its size must change (a QLabel would, every frame).
        self.pipeline = SteadyLabel(object_name="regressionPipeline", word_wrap=True)
        self.pipeline.setAccessibleName("Weights, outputs, loss, gradient, update")

        # (a lecture plot: its least height grows with its type; in presentation mode at
        # 1280 × 720 the data had 70 of its 160 pixels, the axes' labels the rest)
        self.plot = LecturePlot("dataView", "Data and fitted line", "x", "y", grid=0.25)
        self.plot.pan_zoom, self.plot.mirror_inks = True, False  # (drag, wheel; own inks)
        self.plot.setToolTip(HINT)
        # Only the points count for fitting the view; the line is as long as the view.
        self.residuals = self.plot.add(Curve(pen=make_pen(RESIDUAL_COLOR, 2, QtCore.Qt.DashLine),
                                             connect="pairs", in_range=False), frame=True)
        self.line = self.plot.add(Curve(pen=make_pen(RUN_COLORS[0], 3), z=1, in_range=False),
                                  frame=True)
        self.points = self.plot.add(Points(size=13, z=10), frame=True)

        # the key sits outside the plot so that it never hides a point or a residual
        self.key = QtWidgets.QLabel(wordWrap=True)
        self.key.setObjectName("regressionKey")
        self.key.setTextFormat(QtCore.Qt.RichText)

        self.use_button = QtWidgets.QPushButton("Use as loss")
        self.use_button.setObjectName("useRegressionButton")
        self.use_button.setAccessibleName("Use the data's mean squared error as the loss")
        self.use_button.setToolTip("Make the loss the mean squared error of the line "
                                   "w1·x + w2 on these points, then descend on it")
        self.reset_button = QtWidgets.QPushButton("Reset data")
        self.reset_button.setObjectName("regressionResetButton")
        self.reset_button.setToolTip("Go back to the example data set")
        self.hint = QtWidgets.QLabel(HINT)
        self.hint.setObjectName("regressionHint")
        self.hint.setWordWrap(True)

        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.pipeline)
        layout.addWidget(self.key)
        # The plot never shrinks to a sliver (large type in a narrow dock: presentation mode),
        # and the hint wraps across the whole width, not in a column beside the buttons.
        self.plot.set_least_height(160)
        layout.addWidget(self.plot, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)

        self.use_button.clicked.connect(self._on_use_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.plot.plotClicked.connect(self._on_plot_clicked)
        self.plot.userRangeChanged.connect(self._on_range_changed)
        controller.lossChanged.connect(self._on_controller_loss_changed)
        controller.lossFailed.connect(self._on_controller_loss_failed)
        controller.iterationChanged.connect(self._on_controller_point_changed)
        controller.runsChanged.connect(self._on_controller_point_changed)
        controller.selectedChanged.connect(self._on_controller_point_changed)

        self._apply_theme()
        if controller.loss is not None:
            self._on_controller_loss_changed(controller.loss)
        self._draw_points()
        self.autorange()
        self._update_fit()
        # The lecture tabs' type, as the other tabs take it (this one's was the app's: 11
        # pixels beside their 17)
        font = self.font()
        font.setPointSize(FONT_PT)
        self.setFont(font)

    # -- public ---------------------------------------------------------------------------
    def data(self) -> tuple[list[float], list[float]]:
        """The data points ``(xs, ys)``."""
        return list(self._xs), list(self._ys)

    def set_data(self, xs, ys) -> None:
        """Replace the data points (at most :data:`MAX_POINTS`); rebuilds an active loss."""
        xs, ys = [float(v) for v in xs], [float(v) for v in ys]
        regression_loss_text(xs, ys)  # validates: raises ValueError for bad data
        self._xs, self._ys = xs, ys
        self._on_data_changed()
        self.autorange()

    def held_data(self) -> tuple[list[float], list[float]] | None:
        """The data points where neither the loss nor the defaults have them (points added
        without "Use as loss"), for a session to keep; else None."""
        data = self.data()
        if self._active or data == (list(DEFAULT_DATA[0]), list(DEFAULT_DATA[1])):
            return None
        return data

    def show_data(self, xs, ys) -> None:
        """Show data points kept by a session, the loss as it is (not an active MSE's: that
        loss has its own data)."""
        if self._active:
            return
        regression_loss_text(xs, ys)  # validates: raises ValueError for bad data
        self._xs, self._ys = [float(v) for v in xs], [float(v) for v in ys]
        self._draw_points()
        self.autorange()
        self.dataChanged.emit()

    @property
    def active(self) -> bool:
        """True when the controller's loss is the mean squared error of this data."""
        return self._active

    def loss_text(self) -> str:
        """The data's mean-squared-error loss as gdviz text."""
        return regression_loss_text(self._xs, self._ys)

    def current_weights(self) -> tuple[float, float] | None:
        """``(w1, w2)``: the selected run's current point, or None without a run."""
        return self.controller.current_point()

    def line_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The x and y of the fitted line as drawn."""
        return self.line.getData()

    def autorange(self) -> None:
        """Fit the view to the data points and the residuals' other ends, as the line of the
        selected run is now (they ran off the bottom: ŷ = −0.5·x + 0.2 beside data rising to
        3.3), stretched by at most the data's own height each way (a line gone wild would
        squash the points)."""
        self.plot.auto_range(pad=PAD)
        w, xs = self.current_weights(), np.asarray(self._xs, dtype=float)
        if w is not None and xs.size and all(math.isfinite(v) for v in w):
            (x0, x1), (y0, y1) = self.plot.view_range()
            with np.errstate(all="ignore"):
                fitted = fitted_line(w[0], w[1], xs)
            fitted = fitted[np.isfinite(fitted)]
            span = y1 - y0
            lo = max(min(y0, float(fitted.min(initial=y0))), y0 - span)
            hi = min(max(y1, float(fitted.max(initial=y1))), y1 + span)
            if (lo, hi) != (y0, y1):
                self.plot.set_range((x0, x1), (lo - PAD * (hi - lo) / 2, hi + PAD * (hi - lo) / 2))
        self._update_fit()  # the line spans the view

    # -- handlers -------------------------------------------------------------------------
    def _on_use_clicked(self) -> None:
        if len(self._xs) < MIN_POINTS:
            return
        domain = suggested_domain(self._xs, self._ys)
        c = self.controller
        remembered = c.loss is not None and self.loss_text().strip() != c.loss_text.strip()
        if remembered:  # (before the start and η change below: Undo brings them back too)
            c.runsAboutToBeReplaced.emit(USING)
        if c.runs and 0 <= c.selected < len(c.runs):
            (a0, a1), (b0, b1) = domain
            spec = c.runs[c.selected].spec
            self._deferred = (c.selected, tuple(spec.start), spec.lr)
            a, b = spec.start
            if not (a0 <= a <= a1 and b0 <= b <= b1):
                # start inside the new map, away from the minimum (upper left); the run is
                # computed once the MSE arrives (not first on the old loss, drawn there)
                c.set_start(c.selected, a0 + 0.15 * (a1 - a0), b0 + 0.85 * (b1 - b0),
                            recompute=False)
            if spec.optimizer == "gd" and spec.schedule == "constant":
                self._converging_lr(spec.lr)
        self._submit(domain, remembered)

    def _converging_lr(self, lr: float) -> None:
        """The selected gradient-descent run's η lowered where it would diverge on the data's
        MSE, with a note saying so (:func:`lowered_lr_note`)."""
        lowered = converging_lr(self._xs, lr, LR_LEAST)
        if lowered != lr:
            self.controller.update_run(self.controller.selected, recompute=False, lr=lowered)
            self.hint.setText(note := lowered_lr_note(self._xs, lr, lowered))
            if isinstance(window := self.window(), QtWidgets.QMainWindow):
                window.statusBar().showMessage(note, 10000)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QtCore.QEvent.PaletteChange, QtCore.QEvent.FontChange):
            self._apply_theme()  # follow the dark theme and the type size (presentation mode)

    def _apply_theme(self) -> None:
        if not hasattr(self, "key"):
            return  # still being built
        pal = self.palette()
        ink, ground = pal.color(pal.ColorRole.Text), pal.color(pal.ColorRole.Base)
        self.plot.setBackground(ground)  # the axes take a contrasting ink
        px = QtGui.QFontInfo(self.font()).pixelSize()
        self.points.set_style(size=max(11, round(px * 1.1)), brush=ink, outline=ground)
        self._update_fit()

    def _on_range_changed(self, *_args) -> None:
        self._update_fit()

    def _on_controller_loss_changed(self, loss) -> None:
        text = "" if loss is None else loss.text
        if self._pending is not None:
            if text != self._pending:
                return  # an older loss arriving while ours compiles
            self._pending = self._deferred = None
        data = data_from_loss_text(text)
        if data is not None and (list(data[0]), list(data[1])) != (self._xs, self._ys):
            # a regression loss from a preset or a session file: show its data
            self._xs, self._ys = list(data[0]), list(data[1])
            self._draw_points()
            self.autorange()
            self.dataChanged.emit()
        self._active = data is not None
        self._update_fit()

    def _on_controller_loss_failed(self, *_args) -> None:
        self._pending = None
        deferred, self._deferred = self._deferred, None
        c = self.controller
        if deferred is not None and deferred[0] < len(c.runs):
            index, start, lr = deferred  # (as it was, computed again on the loss shown)
            c.update_run(index, start=start, lr=lr)
            if self.hint.text().startswith("η lowered"):
                self.hint.setText(HINT)

    def _on_controller_point_changed(self, *_args) -> None:
        # Hidden (another tab shown, or behind Compare's), the fit is redrawn when the tab is
        # in sight again: a playback frame must not pay for a view nobody sees.
        if in_sight(self):
            self._update_fit()
        else:
            self._fit_stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.came_in_sight(shown=True)

    def came_in_sight(self, shown: bool = False) -> None:
        """Shown (``shown``: before its first layout, out of sight by its size), or its
        dock's tab brought to the front: the fit, if it went stale."""
        if getattr(self, "_fit_stale", False) and (shown or in_sight(self)):
            self._fit_stale = False
            self._update_fit()

    def _on_data_changed(self) -> None:
        self._draw_points()
        self.hint.setText(HINT)
        if self._active and len(self._xs) >= MIN_POINTS:
            lo_hi = self.controller.domain
            w = least_squares(self._xs, self._ys)
            inside = all(lo <= v <= hi for v, (lo, hi) in zip(w, lo_hi, strict=True))
            self._submit(None if inside else suggested_domain(self._xs, self._ys))
        self._update_fit()
        self.dataChanged.emit()

    # -- drawing --------------------------------------------------------------------------
    def _submit(self, domain, remembered: bool = False) -> None:
        text = self.loss_text()
        self._pending = text
        c = self.controller
        if not remembered and c.loss is not None and text.strip() != c.loss_text.strip():
            # An Undo step, as for a loss typed (Ctrl+Z skipped it: the loss typed before
            # "Use as loss" could not be had back), named for the edit that made it
            c.runsAboutToBeReplaced.emit(self._change or USING)
        # The preset menu names what is shown: "Linear regression" for its own data, else
        # nothing (it kept "Lecture: sin(w1)·w2·(1 − w2)" over the MSE)
        c.preset = "linear_regression" if text == _REGRESSION_PRESET_LOSS else ""
        c.set_loss_text(text, True, domain)

    def _draw_points(self) -> None:
        self.points.set_data(self._xs, self._ys)

    def _update_fit(self) -> None:
        c = self.controller
        w = c.current_point()
        color = RUN_COLORS[0]
        if c.runs and 0 <= c.selected < len(c.runs):
            color = c.runs[c.selected].spec.color or RUN_COLORS[c.selected % len(RUN_COLORS)]
        if self.line.pen.color() != QtGui.QColor(color):
            self.line.set_pen(make_pen(color, 3))
        self.key.setText(key_html(color, RESIDUAL_COLOR))
        xs, ys = np.asarray(self._xs), np.asarray(self._ys)
        if w is None or not all(math.isfinite(v) for v in w):
            self.line.set_data([], [])
            self.residuals.set_data([], [])
            self._show_pipeline(None)
            return
        w1, w2 = w
        (x0, x1), (y0, y1) = self.plot.view_range()
        pad, rise = x1 - x0, y1 - y0
        with np.errstate(all="ignore"):
            # (clipped to the plot and its surroundings: a diverged run's ŷ = 1.39·10¹⁰x −
            # 8.86·10⁵, drawn out to ±10¹¹, was squashed in the painter's range to a vertical
            # line at x ≈ 0.47, where it crosses y near x = 0)
            self.line.set_data(*calculus.line_in_box(0.0, w2, w1, (x0 - pad, x1 + pad),
                                                     (y0 - rise, y1 + rise)))
            seg_x = np.repeat(xs, 2)
            seg_y = np.column_stack([ys, fitted_line(w1, w2, xs)]).ravel()
        finite = np.isfinite(seg_y).reshape(-1, 2).all(axis=1).repeat(2)
        self.residuals.set_data(seg_x[finite], seg_y[finite])
        self._show_pipeline(w)

    def _show_pipeline(self, w) -> None:
        self._pipeline_w = w
        self._stacked = self._pipeline_too_wide()
        self.pipeline.setText(pipeline_html(self, w, self._stacked))

    def _pipeline_too_wide(self) -> bool:
        """Whether the stages' title, formula and value no longer fit on one line each."""
        fm = self.pipeline.fontMetrics()
        bold = QtGui.QFont(self.pipeline.font())
        bold.setBold(True)
        need = (QtGui.QFontMetrics(bold).horizontalAdvance("↓ update, η = 0.000")
                + fm.horizontalAdvance("∇L = (∂L/∂w1, ∂L/∂w2)")
                + fm.horizontalAdvance("= (−0.000, −0.000)") + 24)
        return self.pipeline.width() < need

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if hasattr(self, "_stacked") and self._pipeline_too_wide() != self._stacked:
            self._show_pipeline(self._pipeline_w)

