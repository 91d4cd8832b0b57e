"""The Compare optimizers dock's chart: ‖∇f(wₖ)‖ against k for every run, on a log scale, with
the runs' convergence threshold — how fast each optimizer closes in, where the table gives
only where each ended.

Shown where the dock has room below its table (a tab beside the lecture tabs, or floating);
below the views the dock is as short as its table, and the loss plot is beside it.
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.ui.binding import QtCore, QtGui, QtWidgets
from gdviz.ui.canvas import Curve, InfiniteLine, Text, make_pen
from gdviz.ui.canvas.ticks import power_of_ten
from gdviz.ui.derivatives.common import MIN_PLOT_HEIGHT, LecturePlot, points_along

PAD_DECADES = 0.3  # room above and below the curves, in powers of ten
LOWEST = 1e-300  # no curve is drawn below this (a gradient of exactly 0 sits on the floor)


def norm_range(series: list[np.ndarray], settled: list[np.ndarray],
               tol: float) -> tuple[float, float] | None:
    """The log₁₀ range of the chart: every positive ‖∇f‖ of ``series`` and the threshold
    ``tol`` at the bottom; at the top, the largest of the ``settled`` runs (those that did
    not diverge: a diverged run's 10³⁰ left every other curve a line at the bottom), or of
    every run where all diverged. None where no run has a positive, finite ‖∇f‖."""
    low = [float(g[(g > 0) & np.isfinite(g)].min()) for g in series
           if ((g > 0) & np.isfinite(g)).any()]
    if not low:  # (only exact zeros, a run started at a minimum: on the floor, below tol)
        if not any((g == 0).any() for g in series):
            return None
        mid = math.log10(tol) if tol > 0 and math.isfinite(tol) else 0.0
        return mid - 1.0 - PAD_DECADES, mid + 1.0 + PAD_DECADES
    tops = [g[np.isfinite(g)] for g in (settled or series)]
    high = max((float(t.max()) for t in tops if t.size), default=max(low))
    lo = math.log10(max(min(min(low), tol if tol > 0 else math.inf), LOWEST))
    hi = math.log10(max(high, tol if tol > 0 else 0.0, 10.0 ** lo))
    if hi - lo < 1.0:  # (a decade at least: a flat line is not drawn across the top)
        mid = 0.5 * (hi + lo)
        lo, hi = mid - 0.5, mid + 0.5
    return lo - PAD_DECADES, hi + PAD_DECADES


def power_text(v: float) -> str:
    """``v`` (> 0) as the axis writes its ticks: ``10⁻⁶``, ``3.2×10⁻⁸``."""
    mantissa, exponent = f"{v:.1e}".split("e")
    power = power_of_ten(int(exponent))
    return power if mantissa == "1.0" else f"{mantissa}×{power}"


class ConvergenceChart(LecturePlot):
    """‖∇f(wₖ)‖ against k, log scale, one curve per visible run in its colour, the runs'
    threshold dashed (a run converges when its ‖∇f‖ falls below it) and the current
    iteration dotted (``compareChart``)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("compareChart", "gradient norm against iteration, log scale",
                         bottom="iteration k", left="‖∇f(wₖ)‖", grid=0.2, parent=parent)
        self.setToolTip(
            "How fast each run closes in: ‖∇f‖ at each step, on a log scale (each grid line "
            "a power of ten). A straight falling line means ‖∇f‖ shrinks by the same factor "
            "every step (linear convergence, as gradient descent's near a minimum); a curve "
            "that bends down ever steeper converges faster still (Newton's, quadratic, near "
            "a minimum). Below the dashed line a run has converged.")
        self.set_log(False, True)
        self.curves: list[Curve] = []
        self.tol_line = self.add(InfiniteLine(0, pen=make_pen("#555555", 1.5,
                                                              QtCore.Qt.PenStyle.DashLine)))
        # (below the line, at its right end: converged runs stop at the line, so their
        # curves seldom cross the text there; above it, it lay across the others; on a
        # ground of its own, for a run whose line still passes there)
        self.tol_text = self.add(Text("", "#444444", anchor=(1.0, -0.1), z=3, inside=True,
                                      fill=QtGui.QColor(255, 255, 255, 200)))
        self.marker = self.add(InfiniteLine(90, pen=make_pen("#333333", 1.5,
                                                             QtCore.Qt.PenStyle.DotLine), z=2),
                               frame=True)
        self._lines: list[tuple[np.ndarray, np.ndarray]] = []  # each run's (k, ‖∇f‖) drawn
        self.resized.connect(self._place_tol_text)  # (placed in pixels: placed again)
        self.setMinimumHeight(MIN_PLOT_HEIGHT)
        # The application's type, as the loss plot's (the lecture plots' own size did not
        # follow presentation mode: its ticks were half the table's type beside them)
        self.setFont(QtGui.QFont())

    def set_runs(self, runs, tol: float) -> None:
        """Draw every visible run's ‖∇f‖ and the threshold ``tol``."""
        while len(self.curves) < len(runs):
            self.curves.append(self.add(Curve(z=1)))
        shown = [(i, r) for i, r in enumerate(runs)
                 if r.trajectory is not None and r.spec.visible]
        series = [np.asarray(r.trajectory.grad_norms, dtype=float).reshape(-1)
                  for _, r in shown]
        settled = [g for g, (_, r) in zip(series, shown, strict=True)
                   if r.trajectory.status != "diverged"]
        span = norm_range(series, settled, tol)
        for curve in self.curves:
            curve.set_data([], [])
        if span is None:
            self.tol_line.set_visible(False)
            self.tol_text.set_visible(False)
            self.set_range((0.0, 1.0), (-1.0, 0.0))
            self.invalidate()
            return
        floor = 10.0 ** span[0]
        self._lines = []
        for (i, run), g in zip(shown, series, strict=True):
            curve = self.curves[i]
            curve.set_pen(make_pen(run.spec.color or "#000000", 2.5))
            # (a gradient of exactly 0 — Newton landing on a quadratic's minimum — on the
            # floor: log₁₀ 0 left the run's last step out, as if it had stopped above; an
            # undefined one, a run that left f's domain, is left out: on the floor it read
            # as converged)
            line = (np.arange(g.size, dtype=float), np.where(g == 0, floor, g))
            curve.set_data(*line)
            self._lines.append(line)
        last = max((g.size - 1 for g in series), default=1)
        # (a little room left of step 0, as the loss plot has: Newton's plunge in four steps
        # lay along the axis, hardly seen)
        end = float(max(last, 1))
        self.set_range((-0.02 * end, end), span)
        ok = tol > 0 and math.isfinite(tol)
        self.tol_line.set_visible(ok)
        self.tol_text.set_visible(ok)
        if ok:
            self.tol_line.set_value(tol)
            self.tol_text.set_text(f"converged below {power_text(tol)}",
                                   float(max(last, 1)), tol)
            self._place_tol_text()
        self.invalidate()

    def _place_tol_text(self) -> None:
        """The threshold's label under the line at its right end, or at its left where fewer
        of the runs' lines pass through it there: at the right it hid where GD, Nesterov and
        RMSprop crossed the threshold, what a teacher points at (a QA round)."""
        text = self.tol_text
        if not text.visible or not text.text or self.width() < 2:
            return
        (x0, x1), _ = self.view_range()
        y = text.pos[1]
        drawn = [points_along(np.column_stack(self.data_to_px(k, g)), 3.0)
                 for k, g in self._lines]
        dense = np.concatenate(drawn) if drawn else np.empty((0, 2))
        best = None
        for x, anchor in ((max(x0, x1), (1.0, -0.1)), (min(x0, x1), (0.0, -0.1))):
            text.pos, text.anchor = (float(x), y), anchor
            box = text.box(self)
            if box is None:
                best = best or (0, x, anchor)
                break
            hits = int(np.count_nonzero(
                (dense[:, 0] >= box.left()) & (dense[:, 0] <= box.right())
                & (dense[:, 1] >= box.top()) & (dense[:, 1] <= box.bottom())))
            if best is None or hits < best[0]:  # (the right end, where it ties)
                best = (hits, x, anchor)
        text.set_anchor(best[2])
        text.set_pos(best[1], y)

    def set_iteration(self, k: int) -> None:
        """Move the current-iteration line."""
        self.marker.set_value(float(k))
