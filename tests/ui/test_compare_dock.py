"""The Compare table's dock and what a comparison changes beside it: the lecture tabs behind
its tab are out of sight, though Qt calls them visible (the Slice tab's line stayed across the
map, and the tabs redrew every playback frame); the status bar's note; the loss plot's scale."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtWidgets


def _settle(qtbot) -> None:
    qtbot.wait(30)
    QtWidgets.QApplication.processEvents()


def _calls(monkeypatch, obj, name: str) -> list:
    """A list that gets an entry each time ``obj.name()`` is called (still called)."""
    calls, original = [], getattr(obj, name)
    monkeypatch.setattr(obj, name, lambda: (calls.append(1), original())[1])
    return calls


def test_the_slice_line_leaves_the_map_while_compare_s_tab_is_in_front(window, qtbot,
                                                                       monkeypatch):
    lecture = window.derivatives
    window.resize(1600, 1000)  # (a window the app opens: Compare's table beside the tabs)
    _settle(qtbot)
    assert lecture.is_built
    slice_view = lecture.views["Slice"]
    lecture.tabs.setCurrentWidget(lecture.tabs.widget(0))
    _settle(qtbot)
    assert window.contour.slice_line.visible
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    _settle(qtbot)
    dock = window.classroom.compare.dock
    assert dock in window.tabifiedDockWidgets(lecture)
    assert lecture.isVisible()  # (Qt's word: the reason for in_sight)
    assert not slice_view.in_sight()
    qtbot.waitUntil(lambda: not window.contour.slice_line.visible, timeout=3000)
    # A step of playback is not drawn in a tab out of sight (a step that moves the selected
    # run: one that leaves it where it was has nothing to draw, in sight or not) ...
    redraws = _calls(monkeypatch, slice_view, "redraw")
    drawn = window.controller.current_point()
    window.controller.set_iteration(1)
    assert window.controller.current_point() != drawn
    _settle(qtbot)
    assert not redraws
    # ... but once its tab is in front again, the line and the tab show that step.
    lecture.raise_()
    qtbot.waitUntil(lambda: window.contour.slice_line.visible, timeout=3000)
    assert redraws
    held = window.controller.current_point()[1]
    assert slice_view.in_sight()
    assert window.contour.slice_line.value() == pytest.approx(held)


def test_runs_whose_eta_was_cut_are_named_where_the_table_leaves_eta_out(
        window, qtbot, monkeypatch):
    """Presentation mode's narrow tab leaves the η column out: "η cut for 2 that overshot
    (the table says by how much)" said which to no one."""
    from gdviz.ui import compare as compare_module

    window.load_preset("himmelblau")
    window.controller.set_start(0, 0.0, 0.0)
    window.wait_idle()
    forms = []
    real = compare_module.fitting_message
    monkeypatch.setattr(compare_module, "fitting_message",
                        lambda bar, texts: (forms.append(list(texts)), real(bar, texts))[1])
    presentation = window.classroom.presentation
    presentation.enter()
    try:
        _settle(qtbot)
        window.menu_actions["compare"].trigger()
        window.wait_idle()
        _settle(qtbot)
        table = window.classroom.compare.table
        assert table.isColumnHidden(1)  # (η left out in the narrow tab at this type size)
        texts = forms[-1]
        assert not any("the table says" in t for t in texts), texts
        named = [i for i, t in enumerate(texts) if "η cut (it overshot): " in t
                 or "η cut: " in t]
        counted = [i for i, t in enumerate(texts) if "η cut for " in t]
        assert len(named) == 3 and counted and max(named) < min(counted), texts
        message = window.statusBar().currentMessage()
        assert "η cut (it overshot): " in message or "η cut: " in message
        # Rows as tall as what is shown in them: the η column's "(÷2)" on a line of its own
        # kept Momentum's row a line taller with η out of sight.
        heights = {table.item(r, 0).text(): table.rowHeight(r) for r in range(table.rowCount())}
        assert heights["Momentum"] == heights["Adam"], heights
    finally:
        presentation.leave()
        _settle(qtbot)


def test_a_comparison_whose_runs_end_decades_apart_turns_the_loss_plot_to_log(window):
    """Compared on Rosenbrock, Newton's 1.6·10⁻¹⁹, Adam's 1.3·10⁻⁷ and Gradient descent's
    0.06 all ended on one line at the bottom of a linear plot."""
    from gdviz.core.compare import ends_apart_in_decades

    log = window.view_options.loss_log
    assert not log.isChecked()
    window.load_preset("rosenbrock")
    window.wait_idle()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    assert ends_apart_in_decades([r.trajectory for r in window.controller.runs])
    assert log.isChecked() and window.loss_plot.log
    assert window.loss_plot.axis_label("left").startswith("log₁₀")
    window.menu_actions["compare"].trigger()  # (again: stays on; Shift+L turns it off)
    window.wait_idle()
    assert log.isChecked()


def test_a_closing_window_starts_no_lecture_tab_work(window, qtbot, monkeypatch):
    """The Slice tab redrew as its window closed (its line asked for on hiding), starting
    typesetting jobs the window's deletion then waited on, holding the interpreter those
    jobs needed: the next test's window hung."""
    slice_view = window.derivatives.views["Slice"]
    window.derivatives.tabs.setCurrentWidget(window.derivatives.tabs.widget(0))
    _settle(qtbot)
    redraws = _calls(monkeypatch, slice_view, "redraw")
    window.controller.set_iteration(4)
    _settle(qtbot)
    window.close()  # (what it draws while closing, its pools are drained of)
    redraws.clear()
    slice_view.mark_dirty()  # (a step played as it closed)
    window.controller.set_iteration(5)
    for _ in range(5):
        qtbot.wait(10)
    assert not redraws
    assert all(pool.activeThreadCount() == 0
               for pool in window.findChildren(QtCore.QThreadPool))


def test_the_regression_tab_behind_compare_s_tab_waits_to_refit(window, qtbot, monkeypatch):
    lecture = window.derivatives
    regression = lecture.views["Regression"]
    lecture.tabs.setCurrentWidget(lecture.tabs.widget(4))
    window.resize(1600, 1000)
    _settle(qtbot)
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    _settle(qtbot)
    assert window.classroom.compare.dock in window.tabifiedDockWidgets(lecture)
    fits = _calls(monkeypatch, regression, "_update_fit")
    window.controller.set_iteration(3)
    _settle(qtbot)
    assert not fits  # (behind the table: nobody sees it)
    lecture.raise_()
    qtbot.waitUntil(lambda: bool(fits), timeout=3000)  # (in front: it catches up)


def test_undoing_a_comparison_puts_the_table_back_as_it_was(window, qtbot):
    """Undo brought the runs back but left the table in front of the lecture tabs, a
    one-row "comparison" of the run put back."""
    from gdviz.ui.derivatives.common import in_sight

    lecture = window.derivatives
    window.resize(1600, 1000)  # (the table a tab beside the lecture tabs)
    _settle(qtbot)
    panel = window.classroom.compare
    assert panel.dock.isHidden()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    _settle(qtbot)
    assert in_sight(panel.table) and len(window.controller.runs) == 7
    # Brought behind the lecture tabs, then a second comparison: its Undo leaves it behind.
    window.menu_actions["undo"].trigger()
    window.wait_idle()
    _settle(qtbot)
    assert len(window.controller.runs) == 1
    assert panel.dock.isHidden()  # (hidden before the comparison: hidden again)
    window.menu_actions["redo"].trigger()
    window.wait_idle()
    _settle(qtbot)
    assert len(window.controller.runs) == 7 and in_sight(panel.table)
    lecture.raise_()
    _settle(qtbot)
    assert not in_sight(panel.table)
    window.menu_actions["compare"].trigger()  # (the table was there, behind the tabs)
    window.wait_idle()
    _settle(qtbot)
    assert in_sight(panel.table)
    window.menu_actions["undo"].trigger()
    window.wait_idle()
    _settle(qtbot)
    assert not panel.dock.isHidden() and not in_sight(panel.table)
    assert in_sight(lecture.tabs)


def test_undoing_two_comparisons_one_by_one_puts_back_each_table(window, qtbot):
    """One remembered state, overwritten by the second comparison, left the table shown
    (a one-row "comparison") once both comparisons were undone."""
    from gdviz.ui.derivatives.common import in_sight

    window.resize(1600, 1000)
    _settle(qtbot)
    panel = window.classroom.compare
    actions = window.menu_actions

    def do(name):
        actions[name].trigger()
        window.wait_idle()
        _settle(qtbot)

    assert panel.dock.isHidden()
    do("compare")
    do("compare")
    do("undo")
    assert in_sight(panel.table)  # (shown before the second comparison)
    do("undo")
    assert panel.dock.isHidden() and len(window.controller.runs) == 1
    do("redo")
    do("redo")
    assert in_sight(panel.table) and len(window.controller.runs) == 7
    do("undo")
    assert in_sight(panel.table)
    do("undo")
    assert panel.dock.isHidden()


def test_the_narrow_table_refits_its_columns_when_its_type_or_width_changes(window, qtbot):
    """Compared in the window, then presentation mode's larger type: the columns chosen for
    the smaller type stayed, the final loss cut at the dock's edge mid-number (Newton's
    1.10e−18 read "1.10e−1", Gradient descent's 1.45e−14 "1.45e−1")."""
    window.resize(1600, 1000)
    window.load_preset("himmelblau")
    window.wait_idle()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    _settle(qtbot)
    panel = window.classroom.compare
    table = panel.table
    assert panel.narrow

    def fits() -> bool:
        return table.horizontalHeader().length() <= table.viewport().width() + 1

    qtbot.waitUntil(fits, timeout=3000)
    presentation = window.classroom.presentation
    presentation.enter()
    try:
        for width in (None, 1300, 1900):
            if width is not None:
                window.resize(width, window.height())
            _settle(qtbot)
            qtbot.waitUntil(fits, timeout=3000)
            assert not table.isColumnHidden(0) and not table.isColumnHidden(3)
    finally:
        presentation.leave()
        _settle(qtbot)
    # Back in the window's type, what fits again is shown again (η came back).
    window.resize(1600, 1000)
    _settle(qtbot)
    qtbot.waitUntil(lambda: fits() and not table.isColumnHidden(1), timeout=3000)


def test_a_run_at_a_higher_minimum_is_ranked_after_and_says_so(window):
    """Three-hump camel from (−1.5, −1): Newton reached its local minimum (f = 0.299) in 5
    steps and topped the table, selected as the best run, above AdaGrad at the global
    minimum (f = 0) in 57."""
    from gdviz.core.presets import get_preset
    from gdviz.core.session import RunSpec, Session
    from gdviz.ui.compare_cells import HIGHER, RUN_ROLE

    camel = get_preset("three_hump_camel")
    window.apply_session(Session(loss=camel.loss, domain=camel.domain,
                                 runs=[RunSpec("gd", 0.01, (-1.5, -1.0), steps=300)],
                                 view={"preset": "three_hump_camel"}))
    window.resize(1600, 1000)
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    compare, c = window.classroom.compare, window.controller
    table, rows = compare.table, compare.rows()
    order = [c.runs[table.item(r, 0).data(RUN_ROLE)] for r in range(table.rowCount())]
    names = [run.spec.optimizer for run in order]
    newton = order[names.index("newton")]
    assert newton.trajectory.status == "converged" and newton.trajectory.losses[-1] > 0.29
    assert order[0].trajectory.losses[-1] < 1e-6, rows  # (the global minimum first)
    assert names.index("newton") > names.index("adagrad")
    # (said in the status column's text where it is shown, else in its tooltip and the
    # result column's: the narrow tab leaves the status out)
    said = [table.item(r, 5).toolTip() for r in range(table.rowCount())]
    assert said[names.index("newton")] == "converged at step 5" + HIGHER, said
    assert not said[0].endswith(HIGHER)
    if compare.narrow:
        assert table.item(names.index("newton"), 2).toolTip().endswith(HIGHER)
        # (and in the result column itself, the status column being left out there)
        assert rows[names.index("newton")][2] == "5 steps\n(higher min.)", rows
        assert "higher" not in rows[0][2]
    else:
        assert rows[names.index("newton")][5].endswith(HIGHER)
    assert c.runs[c.selected].trajectory.losses[-1] < 1e-6  # (the lecture tabs follow it)


def test_compare_grows_the_map_to_hold_where_the_runs_ended(window, qtbot):
    """Himmelblau typed (its map ±3): six of seven runs ended at (−2.81, 3.13), off the map's
    top, and the one left on it, the worst, was selected; Undo brings the map back."""
    from gdviz.core.session import RunSpec, Session

    window.apply_session(Session(loss="(x^2+y-11)^2+(x+y^2-7)^2",
                                 domain=((-3.0, 3.0), (-3.0, 3.0)),
                                 runs=[RunSpec("gd", 0.1, (-0.5, 0.2), steps=200)]))
    window.wait_idle()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    c = window.controller
    (a0, a1), (b0, b1) = c.domain
    assert b1 > 3.13 and (a1, b0) == (3.0, -3.0)
    (v0, v1), (w0, w1) = window.contour.visible_domain()
    assert w1 >= 3.13  # (the map shows it)
    selected = c.runs[c.selected].trajectory
    assert str(selected.status) == "converged", c.runs[c.selected].spec.optimizer
    assert window.history.undo()
    window.wait_idle()
    assert c.domain == ((-3.0, 3.0), (-3.0, 3.0))


def test_the_final_losses_are_written_alike_in_their_column(window):
    """The lecture's comparison read −0.25 for Newton, AdaGrad and Nesterov beside −0.250 for
    GD, Adam and Momentum: as if three were exact and three not, all within 10⁻¹¹ of −0.25
    (a QA round at 1280 × 720)."""
    from gdviz.core.presets import get_preset
    from gdviz.core.session import RunSpec, Session
    from gdviz.ui.compare_cells import final_loss_zeros
    from gdviz.ui.numbers import rounded, short_number

    lecture = get_preset("lecture")
    window.apply_session(Session(loss=lecture.loss, domain=lecture.domain,
                                 runs=[RunSpec("gd", 0.3, (-0.5, 0.2), steps=200)]))
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    compare = window.classroom.compare
    table = compare.table
    texts = [table.item(r, 3).text() for r in range(table.rowCount())]
    losses = [r.trajectory.losses[-1] for r in window.controller.runs]
    digits = 3 if compare.narrow else 4
    assert any(rounded(v, digits) for v in losses) and not all(rounded(v, digits)
                                                                for v in losses), losses
    assert len({len(t.lstrip("−")) for t in texts}) == 1, texts  # (−0.250 every one)
    # A column of exact values alone keeps them short
    exact = [type("R", (), {"final_loss": v})() for v in (-0.25, 0.5, 0.0)]
    assert not final_loss_zeros(exact, False)
    assert [short_number(v, 4, True) for v in (-0.25, 0.0)] == ["−0.2500", "0"]
