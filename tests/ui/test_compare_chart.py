"""The Compare dock's convergence chart: ‖∇f(wₖ)‖ of every run on a log scale below the table,
where the dock has room for it (the tab beside the lecture tabs was empty below its table)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6 import QtCore, QtWidgets

from gdviz.ui.compare_chart import norm_range, power_text


def _settle(qtbot) -> None:
    qtbot.wait(30)
    QtWidgets.QApplication.processEvents()


def _compare(window, qtbot) -> None:
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    _settle(qtbot)


def test_the_range_leaves_out_diverged_tops_and_zeros_and_holds_the_threshold():
    falling = np.array([10.0, 1.0, 1e-3, 1e-7])
    runaway = np.array([1.0, 1e5, 1e30])
    landed = np.array([4.0, 0.0])  # (Newton on a quadratic: exactly 0)
    lo, hi = norm_range([falling, runaway, landed], [falling, landed], tol=1e-6)
    assert lo == pytest.approx(-7.3) and hi == pytest.approx(1.3)  # (not 30.3)
    # Every run diverged: their tops are all there is to show.
    assert norm_range([runaway], [], 1e-6)[1] == pytest.approx(30.3)
    # The threshold is in sight even where every run stayed above it.
    assert norm_range([np.array([5.0, 2.0])], [np.array([5.0, 2.0])], 1e-6)[0] == \
        pytest.approx(-6.3)
    # Nothing to draw on a log scale.
    assert norm_range([np.array([np.nan, np.inf])], [], 1e-6) is None
    # A flat ‖∇f‖ still gets a decade (not a line along the frame).
    lo, hi = norm_range([np.array([2.0, 2.0])], [np.array([2.0, 2.0])], 0.0)
    assert hi - lo == pytest.approx(1.0 + 2 * 0.3)


def test_the_threshold_is_written_as_the_axis_writes_powers_of_ten():
    assert power_text(1e-6) == "10⁻⁶"
    assert power_text(3.24e-8) == "3.2×10⁻⁸"
    assert power_text(1e3) == "10³"


def test_beside_the_lecture_tabs_the_chart_draws_every_run_s_gradient_norm(window, qtbot):
    window.resize(1600, 1000)  # (a window the app opens: Compare's table beside the tabs)
    _settle(qtbot)
    _compare(window, qtbot)
    panel = window.classroom.compare
    chart = window.findChild(QtWidgets.QWidget, "compareChart")
    assert chart is panel.chart
    assert panel.dock in window.tabifiedDockWidgets(window.derivatives)
    qtbot.waitUntil(chart.isVisible, timeout=3000)
    runs = window.controller.runs
    assert len(runs) == 7
    for run, curve in zip(runs, chart.curves, strict=False):
        x, y = curve.getData()
        g = run.trajectory.grad_norms
        assert len(y) == len(g) and np.array_equal(x, np.arange(len(g)))
        assert np.allclose(y[g > 0], g[g > 0])
        assert curve.pen.color().name() == run.spec.color.lower()
    # The threshold the runs converge under, dashed and named.
    tol = window.controller.run_tol
    assert chart.tol_line.value() == tol and chart.tol_line.isVisible()
    assert chart.tol_text.toPlainText() == f"converged below {power_text(tol)}"
    (x0, x1), (y0, y1) = chart.view_range()
    assert x1 == max(len(r.trajectory.grad_norms) for r in runs) - 1
    assert x0 < 0  # (room left of step 0: a plunge in a few steps lay along the axis)
    assert y0 < math.log10(tol) < y1
    # The table shows all its rows above it (none behind a scroll bar).
    table = panel.table
    rows = table.verticalHeader().length() + table.horizontalHeader().height()
    assert table.height() >= rows
    assert not table.verticalScrollBar().isVisible()
    # The dotted line follows playback.
    window.controller.set_iteration(3)
    assert chart.marker.value() == 3


def test_a_gradient_of_exactly_zero_is_drawn_on_the_floor(window, qtbot):
    """Newton lands on a quadratic's minimum in one step, ∇f = (0, 0): log₁₀ 0 dropped the
    step, as if Newton had stopped above the threshold."""
    window.resize(1600, 1000)
    window.apply_loss_text("w1^2 + w2^2")
    window.wait_idle()
    _compare(window, qtbot)
    chart = window.classroom.compare.chart
    newton = next(i for i, r in enumerate(window.controller.runs)
                  if r.spec.optimizer == "newton")
    g = window.controller.runs[newton].trajectory.grad_norms
    assert g[-1] == 0.0
    _x, y = chart.curves[newton].getData()
    assert len(y) == len(g) and y[-1] == pytest.approx(10.0 ** chart.view_range()[1][0])


def test_below_the_views_the_dock_keeps_to_its_table(window, qtbot):
    window.resize(1600, 1000)
    _settle(qtbot)
    _compare(window, qtbot)
    panel = window.classroom.compare
    qtbot.waitUntil(panel.chart.isVisible, timeout=3000)
    window.addDockWidget(QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, panel.dock)
    _settle(qtbot)
    assert not panel.chart.isVisible()
    assert panel.table.maximumHeight() > 10_000  # (no longer held to its rows' height)
    # Floating, it has room again.
    panel.dock.setFloating(True)
    try:
        panel.dock.resize(500, 700)
        _settle(qtbot)
        qtbot.waitUntil(panel.chart.isVisible, timeout=3000)
    finally:  # (as the next test's window would restore it: docked, and hidden)
        panel.dock.setFloating(False)
        panel.dock.hide()
        _settle(qtbot)


def test_an_undefined_gradient_is_left_out_not_put_on_the_floor(window, qtbot):
    """Runs that left sqrt(w1 + 5)'s domain ended with ‖∇f‖ = NaN, drawn on the floor below
    the "converged" line as if they had converged."""
    window.resize(1600, 1000)
    window.apply_loss_text("sqrt(w1 + 5) + w2^2")
    window.wait_idle()
    _compare(window, qtbot)
    chart = window.classroom.compare.chart
    floor = 10.0 ** chart.view_range()[1][0]
    undefined = 0
    for run, curve in zip(window.controller.runs, chart.curves, strict=False):
        g = run.trajectory.grad_norms
        _x, y = curve.getData()
        assert np.isnan(y[np.isnan(g)]).all()
        assert not (y[~np.isnan(g)] == floor).any() or (g == 0).any()
        undefined += int(np.isnan(g).any())
    assert undefined  # (the case at hand: some run did leave the domain)


def test_runs_that_start_where_the_gradient_is_0_sit_on_the_floor():
    lo, hi = norm_range([np.array([0.0, 0.0])], [np.array([0.0, 0.0])], 1e-6)
    assert lo < -6 < hi


def test_the_threshold_s_label_keeps_off_where_runs_cross_it(qtbot):
    """At the line's right end the label hid where GD, Nesterov and RMSprop crossed the
    threshold (a QA round): it goes to the left end where fewer lines pass there."""
    from types import SimpleNamespace

    from gdviz.ui.compare_chart import ConvergenceChart

    def run(norms, color="#0072B2"):
        return SimpleNamespace(trajectory=SimpleNamespace(grad_norms=np.asarray(norms),
                                                          status="max_steps"),
                               spec=SimpleNamespace(visible=True, color=color))

    chart = ConvergenceChart()
    qtbot.addWidget(chart)
    chart.resize(420, 320)
    chart.show()
    k = np.arange(201, dtype=float)
    # Three runs crossing the threshold near the end, none near the start
    late = [run(10.0 ** (-(k / 200) * (6.5 + 0.2 * i)), c)
            for i, c in enumerate(("#0072B2", "#009E73", "#E69F00"))]
    chart.set_runs(late, 1e-6)
    _settle(qtbot)
    assert chart.tol_text.anchor == (0.0, -0.1), chart.tol_text.pos
    # ... and runs crossing it early leave it at the right end, where it was
    early = [run(np.maximum(10.0 ** (-(k / 20) * (6.5 + 0.2 * i)), 1e-9), c)
             for i, c in enumerate(("#0072B2", "#009E73"))]
    chart.set_runs(early, 1e-6)
    _settle(qtbot)
    assert chart.tol_text.anchor == (1.0, -0.1) and chart.tol_text.pos[0] == 200.0
