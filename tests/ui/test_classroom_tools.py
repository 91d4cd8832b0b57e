"""Menus, Compare optimizers, the basins map and presentation mode in the real window."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtTest, QtWidgets

from gdviz.core.basins import DIVERGED, UNDEFINED
from gdviz.core.compare import summarize
from gdviz.core.optimizers import OPTIMIZERS
from gdviz.core.presets import get_preset
from gdviz.core.session import RunSpec, Session
from gdviz.ui import MainWindow
from gdviz.ui.menu_tables import ACTIONS
from gdviz.ui.presentation import LECTURE_MAX_SCALE, LECTURE_PRESENTING_MOST

HIMMELBLAU = get_preset("himmelblau")


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    """One window for the module (building one takes seconds); each test sets its state."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path_factory.mktemp("settings")))
        w = MainWindow()
        w.classroom.sessions.timer.stop()
        w.show()
        w.wait_idle()
        yield w
        w.controller.pause()
        w.close()


def _show(window, loss, domain, runs, preset=""):
    window.apply_session(Session(loss=loss, domain=domain, runs=runs,
                                 view={"preset": preset} if preset else {}))


def test_menus_have_every_action_with_tips_and_shortcuts(window):
    bar = window.menuBar()
    titles = [a.text().replace("&", "") for a in bar.actions()]
    assert titles == ["File", "Edit", "View", "Tools", "Help"]
    actions = window.menu_actions
    # (the docks' own: the Derivatives panel's, the comparison table's)
    assert set(actions) == {key for key, *_ in ACTIONS} | {"derivatives", "compare_table"}
    for key, action in actions.items():
        assert action.toolTip() and action.statusTip(), key
        assert action in window.actions(), f"{key} must work with the menu bar hidden"
    expected = {"open": "Ctrl+O", "save": "Ctrl+S", "save_as": "Ctrl+Shift+S",
                "presentation": "F11", "compare": "Ctrl+K", "basins": "Ctrl+B",
                "larger": "Ctrl++", "smaller": "Ctrl+-", "compare_table": "Ctrl+Shift+K"}
    for key, keys in expected.items():
        shown = [s.toString() for s in actions[key].shortcuts()]
        assert keys in shown, (key, shown)
    file_menu = bar.actions()[0].menu()
    names = [a.text().replace("&", "") for a in file_menu.actions() if a.text()]
    assert names[:5] == ["Open session…", "Open Recent", "Save session", "Save session as…",
                         "Export"]
    export_names = [a.text() for a in window.menus["File/Export"].actions()]
    assert len(export_names) == 5


def test_the_comparison_table_comes_back_from_the_view_menu(window, user):
    """Once closed, the table came back only by comparing again, which replaced the runs
    (and no key reached it): View ▸ Comparison table (Ctrl+Shift+K) shows it with the runs
    of now."""
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200)], "himmelblau")
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    dock, toggle = window.classroom.compare.dock, window.menu_actions["compare_table"]
    view = [a.text().replace("&", "") for a in window.menus["View"].actions()]
    assert view[:2] == ["Derivatives panel", "Comparison table"]
    assert dock.isVisible() and toggle.isChecked()
    toggle.trigger()
    QtWidgets.QApplication.processEvents()
    assert not dock.isVisible() and not toggle.isChecked()
    # Two runs now, not the comparison's seven: the table shows them, nothing recomputed.
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200),
           RunSpec("adam", 0.1, (1.0, 1.0), steps=200)], "himmelblau")
    window.wait_idle()
    user.focus_window()
    user.key(QtCore.Qt.Key_K, QtCore.Qt.ControlModifier | QtCore.Qt.ShiftModifier)
    QtWidgets.QApplication.processEvents()
    assert dock.isVisible() and toggle.isChecked()
    assert not dock.visibleRegion().isEmpty()  # (in front of a tab beside it)
    rows = window.classroom.compare.rows()
    assert len(rows) == 2 and len(window.controller.runs) == 2
    toggle.trigger()
    QtWidgets.QApplication.processEvents()
    assert not dock.isVisible()


def test_ctrl_plus_reaches_the_lecture_tabs_from_the_first_step(window):
    """The lecture tabs' type grew only once the app's passed theirs: Ctrl + twice at
    1280 × 720 left the Slice and Chain rule tabs as they were, as if Ctrl + did not reach
    the lecture panel. They grow from the first step now, by at most a quarter."""
    window.derivatives.build_tabs()
    held = window.derivatives.views["Slice"].held_label
    p = window.classroom.presentation

    def px() -> int:
        return QtGui.QFontInfo(held.font()).pixelSize()

    own = px()
    try:
        p.larger()
        QtWidgets.QApplication.processEvents()
        once = px()
        assert once > own
        for _ in range(8):
            p.larger()
        QtWidgets.QApplication.processEvents()
        assert once < px() <= round(LECTURE_MAX_SCALE * own) + 1
    finally:
        while p.normal_px is not None:
            p.smaller()
        QtWidgets.QApplication.processEvents()
    assert px() == own


def test_compare_ranks_the_runs_that_stopped_by_their_final_loss(window):
    """On Rosenbrock the table read Newton, then Gradient descent at f = 0.0624, then
    Momentum at 1.8·10⁻¹⁰: the runs that used their steps were in menu order."""
    from gdviz.ui.compare import RUN_ROLE

    rosenbrock = get_preset("rosenbrock")
    _show(window, rosenbrock.loss, rosenbrock.domain,
          [RunSpec("gd", 0.002, (-1.5, 2.0), steps=200)], "rosenbrock")
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    table = window.classroom.compare.table
    runs = window.controller.runs
    order = [runs[table.item(r, 0).data(RUN_ROLE)].trajectory for r in range(table.rowCount())]
    stopped = [t.losses[-1] for t in order if t.status == "max_steps"]
    assert len(stopped) >= 2 and stopped == sorted(stopped), stopped
    converged = [t for t in order if t.status == "converged"]
    assert order[:len(converged)] == converged  # (converged first, by steps)


def test_a_compared_run_renamed_or_hidden_keeps_its_halved_mark(window):
    """Renamed, recoloured or hidden, Momentum's "0.025 (÷2)" read "0.025", the cut η shown
    as its default; a new η is the user's own, unmarked."""
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200)], "himmelblau")
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    c, compare = window.controller, window.classroom.compare
    index = next(i for i, r in enumerate(c.runs) if "(÷" in compare.lr_text(r.spec)[0])
    for change in ({"name": "heavy ball"}, {"color": "#123456"}, {"visible": False}):
        c.update_run(index, **change)
        window.wait_idle()
        compare.refresh()
        assert "(÷" in compare.lr_text(c.runs[index].spec)[0], change
    c.update_run(index, lr=c.runs[index].spec.lr / 2)
    window.wait_idle()
    assert "(÷" not in compare.lr_text(c.runs[index].spec)[0]


def test_undo_and_redo_of_a_comparison_keep_its_halved_marks(window):
    """After Ctrl+Z then Ctrl+Y the η column read plain "0.0125", where the comparison had
    "0.0125 (÷4)": Redo brought the runs back as copies, and the marks were kept by the
    runs' identity."""
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200)], "himmelblau")
    window.history.stack.clear()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    halved = sorted(r[1] for r in window.classroom.compare.rows() if "(÷" in r[1])
    assert halved  # (Momentum's and Nesterov's defaults overshoot here)
    assert window.history.undo()
    window.wait_idle()
    assert window.history.redo()
    window.wait_idle()
    window.classroom.compare.refresh()
    assert sorted(r[1] for r in window.classroom.compare.rows() if "(÷" in r[1]) == halved


def test_diverged_reads_in_the_compare_table_on_the_dark_theme(window):
    """"diverged" stayed #b00020 on the dark theme's ground, 1.7 : 1 (the readouts
    lighten it); refilled as the theme changes."""
    from gdviz.ui.colors import contrast_ratio

    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200)], "himmelblau")
    compare = window.classroom.compare
    compare.tame.setChecked(False)  # (the defaults, divergence and all)
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    window.menu_actions["dark"].trigger()
    for _ in range(3):  # (refilled once the new palette has reached the table)
        QtWidgets.QApplication.processEvents()
    try:
        table = compare.table
        base = table.palette().color(QtGui.QPalette.ColorRole.Base).name()
        cells = [table.item(r, 5) for r in range(table.rowCount())
                 if "diverged" in table.item(r, 5).text()]
        assert cells  # (Momentum's and Nesterov's defaults diverge here)
        for cell in cells:
            assert contrast_ratio(cell.foreground().color().name(), base) >= 4.4
    finally:
        window.menu_actions["dark"].trigger()
        compare.tame.setChecked(True)
        window.wait_idle()


def test_presentation_mode_on_a_small_projector_keeps_the_lecture_tabs_type(window,
                                                                            monkeypatch):
    """On a 768-line projector presentation mode's type (17 pixels) is the lecture tabs' own:
    grown by a quarter as Ctrl + grows them, the h → 0 tab was 437 pixels in a 395-pixel
    dock at 1024 × 768, its plot and "Zoom" cut off."""
    from gdviz.ui.presentation import lecture_px

    p = window.classroom.presentation
    monkeypatch.setattr(p, "active", True)
    p._fonts(lecture_px())
    assert window.derivatives.type_scale == 1.0
    monkeypatch.setattr(p, "active", False)
    p._fonts(None)
    assert window.derivatives.type_scale == 1.0


def test_compare_computes_each_run_once(window, monkeypatch):
    # The trial run that chose an optimizer's η is its run: Compare did all the work twice
    # (130 ms on the GUI thread on Rosenbrock, half of it the second time).
    from gdviz.ui import controller as controller_module

    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200)], "himmelblau")
    again = []
    real = controller_module.compute_trajectory
    monkeypatch.setattr(controller_module, "compute_trajectory",
                        lambda loss, spec, *rest: again.append(spec) or real(loss, spec))
    window.menu_actions["compare"].trigger()
    window.wait_idle()  # (a comparison longer than a frame is finished in the background)
    c = window.controller
    assert len(c.runs) == 7 and all(r.trajectory is not None for r in c.runs)
    assert again == []
    for run in c.runs:  # the same paths as computing them afresh
        np.testing.assert_array_equal(run.trajectory.points,
                                      real(c.loss, run.spec).points)


def test_the_runs_list_shows_as_many_runs_as_it_can_hold_after_compare(window):
    """After Compare the sidebar's list showed 1.5 of its 7 runs (squeezed to its least
    size, the sidebar scrolling anyway); now as many as its 120 pixels hold."""
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200)], "himmelblau")
    runs_list = window.runs_panel.list
    one = runs_list.height()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    QtWidgets.QApplication.processEvents()
    row = runs_list.sizeHintForRow(0)
    assert runs_list.count() == 7 and row > 0
    assert runs_list.height() >= min(runs_list.maximumHeight(), 7 * row) - 2, (
        runs_list.height(), row)
    assert runs_list.height() >= 3 * row
    window.runs_panel.set_runs(window.controller.runs[:1], 0)  # (one run: as before)
    QtWidgets.QApplication.processEvents()
    assert runs_list.minimumHeight() <= max(one, runs_list.minimumSizeHint().height())


def test_compare_optimizers_table(window):
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200)], "himmelblau")
    window.menu_actions["compare"].trigger()
    window.wait_idle()  # (a comparison longer than a frame is finished in the background)
    c = window.controller
    assert [r.spec.optimizer for r in c.runs] == ["gd", "momentum", "nesterov", "adagrad",
                                                  "rmsprop", "adam", "newton"]
    assert all(r.spec.start == (0.0, 0.0) for r in c.runs)
    assert len({r.spec.color for r in c.runs}) == 7
    table = window.findChild(QtWidgets.QTableWidget, "compareTable")
    assert table is not None and table.isVisible() and table.isSortingEnabled()
    # Beside the lecture tabs in a window the app opens at its own size (1100 pixels tall at
    # most): below the views at 1600 × 1000 it left the map a strip 190 pixels tall.
    dock = window.classroom.compare.dock
    size = window.size()
    lecture = window.derivatives
    assert window.height() <= 1100 and lecture.isVisible()
    assert dock in window.tabifiedDockWidgets(lecture) and dock.isVisible()
    assert window.contour.height() > window.height() // 3
    # Below the views in a taller one, at most a third of it (it took half on a 720-line
    # projector in presentation mode's large type): a dock left tall is fitted again.
    window.resize(1600, 1300)
    QtWidgets.QApplication.processEvents()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    assert window.dockWidgetArea(dock) == QtCore.Qt.DockWidgetArea.BottomDockWidgetArea
    window.resizeDocks([dock], [2 * window.height() // 3], QtCore.Qt.Orientation.Vertical)
    QtWidgets.QApplication.processEvents()
    assert dock.height() > window.height() // 2
    window.menu_actions["compare"].trigger()
    window.wait_idle()  # (a comparison longer than a frame is finished in the background)
    QtWidgets.QApplication.processEvents()
    assert dock.height() <= window.height() // 3 + 8
    # On a short window a quarter: a third still left a 720-line projector's map a strip.
    window.resize(1280, 700)
    lecture_width = lecture.width()
    lecture.hide()
    QtWidgets.QApplication.processEvents()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    QtWidgets.QApplication.processEvents()
    assert dock.height() <= window.height() // 4 + 8, (dock.height(), window.height())
    # With the lecture tabs shown at the side, a tab beside them (below, the map was a strip
    # 95 pixels tall at 150 % on a laptop), its headers on two lines
    lecture.show()
    QtWidgets.QApplication.processEvents()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    QtWidgets.QApplication.processEvents()
    right = QtCore.Qt.DockWidgetArea.RightDockWidgetArea
    assert window.dockWidgetArea(dock) == right and dock in window.tabifiedDockWidgets(lecture)
    assert dock.isVisible() and window.contour.height() > window.height() // 3
    assert table.horizontalHeaderItem(2).text() == "result"
    assert "how the run ended" in table.horizontalHeaderItem(2).toolTip()
    # Every column shown is whole, at the dock's width at 1280 × 720 too (the status was cut
    # to "c" in its 362 pixels): names on two lines, three digits, how a run ended in the
    # steps column ("22 steps", "stopped", "diverged"), the status column left out
    from gdviz.ui.window_layout import share_width

    for width in (None, 1280):
        if width is not None:
            share_width(window, width)
            QtWidgets.QApplication.processEvents()
            window.classroom.compare.refresh()
        QtWidgets.QApplication.processEvents()
        assert table.horizontalHeader().length() <= table.viewport().width()
        assert table.horizontalScrollBar().maximum() == 0
        assert table.isColumnHidden(5) and not table.isColumnHidden(2)
        assert not table.isColumnHidden(3)  # (the final loss stays)
        narrow = window.classroom.compare.rows()
        assert "Gradient\ndescent" in [r[0] for r in narrow]
        # ("22 steps": a bare "22" in a column headed "result" said nothing)
        assert all(re.fullmatch(r"\d+ steps?", r[2]) or r[2] in ("stopped", "diverged")
                   for r in narrow), narrow
        assert any(r[2].endswith("steps") for r in narrow)
        status = [table.item(r, 2).toolTip() for r in range(table.rowCount())]
        assert all(tip.startswith(("converged at step", "stopped after", "diverged at"))
                   for tip in status)
    window.resize(1600, 1300)
    QtWidgets.QApplication.processEvents()
    window.menu_actions["compare"].trigger()  # (tall again: below the views, one line)
    window.wait_idle()
    assert window.dockWidgetArea(dock) == QtCore.Qt.DockWidgetArea.BottomDockWidgetArea
    assert table.horizontalHeaderItem(2).text() == "steps to converge"
    # (as it was: the layout is saved, and the next tests' windows restore it)
    window.resizeDocks([lecture], [lecture_width], QtCore.Qt.Orientation.Horizontal)
    assert table.rowCount() == 7
    # The selected run's row is highlighted, after a refresh too, and follows the runs list
    from gdviz.ui.compare import RUN_ROLE

    assert table.selectedItems() and table.selectedItems()[0].data(RUN_ROLE) == c.selected
    window.runs_panel.list.setCurrentRow(2)
    QtWidgets.QApplication.processEvents()
    assert c.selected == 2 and table.selectedItems()[0].data(RUN_ROLE) == 2
    window.classroom.compare.refresh()
    assert table.selectedItems()[0].data(RUN_ROLE) == 2
    rows = window.classroom.compare.rows()
    by = {r[0]: r for r in rows}
    gd = by["Gradient descent"]
    assert gd[1] == "0.01" and gd[2].isdigit() and gd[5].startswith("converged")
    assert float(gd[3].replace("−", "-")) < 1e-8
    # f and ‖∇f‖ written as the readouts write them (the table wrote 7.307e−07, they 9.526e−7)
    from gdviz.ui.numbers import short_number

    ends = {run.spec.optimizer: run.trajectory for run in c.runs}
    assert gd[3] == short_number(ends["gd"].losses[-1])
    assert gd[4] == short_number(ends["gd"].grad_norms[-1])
    assert not any(re.search(r"e[−-]0\d", r[3] + r[4]) for r in rows)
    # Momentum's and Nesterov's default η diverge here: halved until they do not, and said
    assert not any(r[5].startswith("diverged") for r in rows)
    halved = [r for r in rows if "(÷" in r[1]]
    assert {r[0] for r in halved} >= {"Momentum", "Nesterov momentum"}
    for r in halved:
        run = next(run for run in c.runs if run.spec.lr == float(r[1].split()[0]))
        default = OPTIMIZERS[run.spec.optimizer].lr
        assert r[1] == f"{run.spec.lr:g} (÷{default / run.spec.lr:.0f})"
    message = window.statusBar().currentMessage()
    # ("overshot": on Rastrigin they only ended higher than they started, not "diverged")
    # (by how much: "η halved" was said of one divided by 64)
    assert "η cut (it overshot): " in message
    for r in halved:
        assert f"{r[0]} ÷{r[1].split('÷')[1].rstrip(')')}" in message, message
    # Unticked: the defaults, divergence and all (best first: diverged runs sort last)
    tame = window.findChild(QtWidgets.QCheckBox, "compareTameCheck")
    tame.setChecked(False)
    window.wait_idle()
    rows = window.classroom.compare.rows()
    assert rows[-1][5].startswith("diverged") and not any("(÷" in r[1] for r in rows)
    assert all(r.spec.lr == OPTIMIZERS[r.spec.optimizer].lr for r in c.runs
               if r.spec.optimizer != "gd")
    tame.setChecked(True)
    window.wait_idle()
    rows = window.classroom.compare.rows()
    assert not any(r[5].startswith("diverged") for r in rows)
    # The best run is selected (the lecture tabs follow it), not a diverged one.
    best = min(range(7), key=lambda i: summarize(c.runs[i].trajectory).sort_key())
    assert c.selected == best and c.runs[best].trajectory.status == "converged"
    # Sort by steps to converge: numbers ascending, then "—".
    table.sortItems(2, QtCore.Qt.AscendingOrder)
    steps = [table.item(r, 2).text() for r in range(7)]
    numbers = [int(s) for s in steps if s != "—"]
    assert numbers == sorted(numbers) and steps[len(numbers):] == ["—"] * (7 - len(numbers))
    # Clicking a row selects that run.
    row = next(r for r in range(7) if table.item(r, 0).text() == "Adam")
    table.selectRow(row)
    assert c.selected == 5
    # The table follows later changes.
    c.update_run(0, lr=0.05)
    assert any(r[1] == "0.05" and r[0] == "Gradient descent"
               for r in window.classroom.compare.rows())

    def momentum_eta():
        return next(r[1] for r in window.classroom.compare.rows() if r[0] == "Momentum")

    assert "(÷" in momentum_eta()
    c.remove_run(0)  # the runs after it move up: the mark stays with its run
    assert "(÷" in momentum_eta()
    index = next(i for i, r in enumerate(c.runs) if r.spec.optimizer == "momentum")
    c.update_run(index, start=(0.5, 0.5))  # another start: "the default diverged" is not known
    assert "(÷" not in momentum_eta()
    window.resize(size)  # (as it was: the layout is saved, and the next tests' restore it)


def test_basins_map_follows_the_learning_rate(window):
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200)], "himmelblau")
    basins = window.classroom.basins
    basins.n = 48
    window.menu_actions["basins"].trigger()
    assert basins.enabled
    assert basins.wait(30000)
    r = basins.result
    shown = window.contour.basins
    assert r is not None and shown.visible
    assert set(np.unique(r.labels)) == {0, 1, 2, 3}  # Himmelblau's four minima
    assert len(basins.legend) == 5 and window.contour.basins_legend.visible  # (a heading)
    texts = " ".join(text for _color, text in basins.legend)
    assert "→ (−2.81, 3.13)" in texts and "-" not in texts, texts  # (a real minus: "(-2.81")
    assert len(shown.markers) == 4
    image = shown.rgba
    assert image.shape == (48, 48, 4)
    assert len({tuple(image[i, j, :3]) for i, j in ((5, 5), (5, 42), (42, 5), (42, 42))}) == 4
    # A larger learning rate: convergence regions shrink, a diverged region appears.
    window.controller.update_run(0, lr=0.03)
    QtTest.QTest.qWait(250)
    assert basins.wait(30000)
    bigger = basins.result
    assert bigger is not r
    assert bigger.fractions().get(DIVERGED, 0) > 0.1
    assert (bigger.labels >= 0).mean() < (r.labels >= 0).mean()
    window.menu_actions["basins_steps"].trigger()
    assert basins.mode == "steps"
    window.menu_actions["basins_steps"].trigger()
    window.menu_actions["basins"].trigger()
    assert not basins.enabled and not window.contour.basins.visible


def test_the_basins_legend_keeps_off_the_minimum_it_names(window):
    """Always bottom-right, it covered a minimum in that corner (Himmelblau's (3.58, −1.85)
    at 1280 × 720): it goes to the corner where it hides least of the minima and the runs."""
    _show(window, "(x - 3.5)^2 + (y + 3.5)^2", ((-4.0, 4.0), (-4.0, 4.0)),
          [RunSpec("gd", 0.1, (-2.0, 2.0), steps=100)])
    basins = window.classroom.basins
    basins.n = 16
    window.menu_actions["basins"].setChecked(True)
    try:
        QtTest.QTest.qWait(250)
        assert basins.wait(30000)
        contour = window.contour
        markers = contour.basins.markers
        box = contour.basins_legend.rect(contour.plot_rect(), contour.font(), contour.dark)
        assert len(markers) == 1 and box is not None
        x, y = (float(v) for v in contour.data_to_px(markers[0, 0], markers[0, 1]))
        assert not box.adjusted(-6, -6, 6, 6).contains(QtCore.QPointF(x, y))
        assert contour.basins_legend.corner != "bottom-right"
        arrows = contour.legend.rect(contour.plot_rect(), contour.font(), contour.dark)
        assert arrows is None or not arrows.intersects(box)  # (and the arrows' keep clear)
    finally:
        window.menu_actions["basins"].setChecked(False)


def test_the_basins_map_says_when_it_caps_the_run_s_steps(window, monkeypatch):
    """The map took at most 500 of a run's steps, silently (a Rosenbrock run converging at
    step 1292 sat in grey), and a cosine schedule then ended at step 500."""
    import gdviz.ui.basins as basins_module

    monkeypatch.setattr(basins_module, "MAX_STEPS", 40)
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 1e-5, (0.0, 0.0), steps=300, schedule="cosine")], "himmelblau")
    basins = window.classroom.basins
    basins.n = 24
    args, kwargs = basins.settings()
    assert args[5] == 40 and kwargs["planned"] == 300 and kwargs["schedule"] == "cosine"
    window.menu_actions["basins"].setChecked(True)
    QtTest.QTest.qWait(250)  # (the map is made 150 ms after a change)
    assert basins.wait(30000)
    assert basins.result is not None and basins.result.steps.max() <= 40
    texts = [text for _color, text in basins.legend]
    assert any(t.startswith("no minimum reached in 40 steps") for t in texts), texts
    window.menu_actions["basins"].setChecked(False)


def test_basins_leave_undefined_starts_clear_and_cancel_turns_the_map_off(window, qtbot):
    _show(window, "(x - 1)^2 + y^2 + log(x + 2)/100", ((-3.0, 3.0), (-3.0, 3.0)),
          [RunSpec("gd", 0.1, (2.0, 2.0), steps=200)])
    basins, action = window.classroom.basins, window.menu_actions["basins"]
    basins.n = 48
    action.setChecked(True)
    assert basins.wait(30000)
    r = basins.result
    undefined = r.labels == UNDEFINED
    assert undefined.any() and not (r.labels == DIVERGED).any()
    image = window.contour.basins.rgba
    assert (image[undefined, 3] == 0).all() and (image[~undefined, 3] == 255).all()
    assert any("f undefined" in text for _, text in basins.legend)
    # Cancel while a new map is computed: the old map (for η = 0.1) must not stay on as if
    # it were the new one's.
    basins.n = 400
    window.controller.update_run(0, lr=0.05)
    qtbot.waitUntil(lambda: basins.busy, timeout=5000)
    basins.cancel_button.click()
    assert not basins.busy and not basins.enabled and not action.isChecked()
    assert not window.contour.basins.visible
    assert "cancelled" in window.statusBar().currentMessage()
    # Esc (its shortcut's slot) stops it too, outside a text box (it let the map run on)
    action.setChecked(True)
    qtbot.waitUntil(lambda: basins.busy, timeout=5000)
    window.escape()
    qtbot.waitUntil(lambda: not basins.busy, timeout=2000)
    assert not basins.enabled and not action.isChecked()
    assert "cancelled" in window.statusBar().currentMessage()
    # On again, the note goes (it stayed beside the map being computed, then the map)
    action.setChecked(True)
    assert "cancelled" not in window.statusBar().currentMessage()
    assert basins.wait(30000)
    action.setChecked(False)
    basins.n = 48


def _himmelblau_basins(window):
    """Himmelblau with one GD run from (0, 0) and its basins map (48² starts) shown; the map."""
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200)], "himmelblau")
    basins = window.classroom.basins
    basins.n = 48
    window.menu_actions["basins"].setChecked(True)
    assert basins.wait(30000)
    return window.contour


def test_on_a_small_map_the_arrows_legend_gives_way_to_the_basins_legend(window, monkeypatch):
    c = _himmelblau_basins(window)
    font, dark = c.font(), c.dark
    both = c.legends.boxes()
    assert len(both) == 2 and not both[0].intersects(both[1])  # room for both
    # The map of an 800 × 600 screen (456 × 215, the plot ~330 × 160): together they hid
    # most of it, one over the other.
    small = QtCore.QRectF(60, 10, 330, 160)
    monkeypatch.setattr(c, "plot_rect", lambda: small)
    assert c.legends.boxes() == [c.basins_legend.rect(small, font, dark)]
    image = QtGui.QImage(500, 250, QtGui.QImage.Format.Format_ARGB32)
    image.fill(QtCore.Qt.GlobalColor.black)
    painter = QtGui.QPainter(image)
    c.legends.paint(painter)
    painter.end()
    arrows_at = c.legend.rect(small, font, dark)
    assert arrows_at is not None  # (it would fit alone, so only the rule left it out)
    top_left = image.pixelColor(arrows_at.topLeft().toPoint() + QtCore.QPoint(4, 4))
    assert top_left == QtGui.QColor("black")  # not drawn
    window.menu_actions["basins"].setChecked(False)


def test_a_key_that_must_hide_something_hides_a_local_minimum_before_the_start(window,
                                                                              monkeypatch):
    """What the map's keys weigh: a local minimum's star less than the run's start (with a
    minimum in every corner, 150 a star, Himmelblau's key went over the start), the start
    less than a lowest minimum's, where a run likely ends (six-hump camel's key went over
    its global minimum)."""
    c = _himmelblau_basins(window)
    runs_points, runs_weights = c.runs.landmarks()
    start = float(runs_weights[:9].sum())  # (the start and the ring about it)
    assert runs_weights[0] == 20.0 and start == 44.0
    markers = c.basins.markers
    assert c.basins.starred == 4  # (Himmelblau's four are all lowest)
    monkeypatch.setattr(c.basins, "starred", 1)  # (as if one alone were lowest)
    _points, weights = c.legends._landmarks(markers)
    stars = weights[len(runs_weights):].reshape(5, len(markers)).sum(axis=0)
    assert stars[0] == 150.0 and (stars[1:] == 30.0).all()
    assert stars[1] < start < stars[0]
    window.menu_actions["basins"].setChecked(False)


def test_a_narrow_map_keys_its_basins_in_smaller_type(window, monkeypatch):
    """The narrow map of presentation mode at 1920 × 1080 (beside the 3D view, about 220
    pixels of plot) had no basins legend at all: its colours unexplained."""
    c = _himmelblau_basins(window)
    legend = c.basins_legend
    whole = legend.box_size(c.font(), c.dark)
    narrow = QtCore.QRectF(60, 10, whole.width() * 0.9, 400)  # (too narrow for it whole)
    monkeypatch.setattr(c, "plot_rect", lambda: narrow)
    c.legends.place_basins(c.basins.markers)
    box = legend.rect(narrow, c.font(), c.dark)
    assert box is not None and narrow.contains(box) and legend.scale < 1.0
    monkeypatch.undo()
    c.legends.place_basins(c.basins.markers)  # (room again: full size)
    assert legend.scale == 1.0
    # A short map where it fits whole but would cover over 15 % of it (at 1366 × 768 in
    # presentation mode a third, the run's current point and a minimum under it): smaller,
    # but not below 10 pixels where the map has room for that (70 % of 12 pixels, to cover
    # under 15 %, could not be read)
    # (measured without its heading, which is left out where it would make the key smaller)
    from gdviz.ui.map_overlays import HEADING, Legend

    whole = Legend(swatches=True, entries=[e for e in legend.entries if e[0] != HEADING]
                   ).box_size(c.font(), c.dark)
    short = QtCore.QRectF(60, 10, whole.width() * 2.2, whole.height() * 2.6)
    monkeypatch.setattr(c, "plot_rect", lambda: short)
    c.legends.place_basins(c.basins.markers)
    box = legend.rect(short, c.font(), c.dark)
    assert legend.scale < 1.0 and box is not None
    assert box.width() * box.height() < whole.width() * whole.height()
    assert QtGui.QFontInfo(legend._font).pixelSize() >= min(
        10, QtGui.QFontInfo(c.font()).pixelSize())
    monkeypatch.undo()
    c.legends.place_basins(c.basins.markers)
    window.menu_actions["basins"].setChecked(False)


def test_the_basins_key_is_set_in_type_that_can_be_read(window, monkeypatch):
    """Himmelblau's basins at 1366 × 768 (a plot 218 × 428 pixels): the key was set in 70 %
    of 12 pixels, 8 pixels that a class could not read; now 10 at least, where the map has
    room for it."""
    c = _himmelblau_basins(window)
    legend = c.basins_legend
    plot = QtCore.QRectF(60, 10, 218, 428)
    monkeypatch.setattr(c, "plot_rect", lambda: plot)
    font = QtGui.QFont(c.font())
    font.setPixelSize(12)
    monkeypatch.setattr(c, "font", lambda: font)
    c.legends.place_basins(c.basins.markers)
    assert legend.rect(plot, font, c.dark) is not None
    assert legend.scale < 1.0  # (the case: made smaller to fit)
    assert QtGui.QFontInfo(legend._font).pixelSize() >= 10
    monkeypatch.undo()
    c.legends.place_basins(c.basins.markers)
    window.menu_actions["basins"].setChecked(False)


def test_presentation_mode_keeps_the_dark_theme_and_tucks_the_decay_away(window, qtbot):
    """F11 switched a dark window to the light theme (its menu item left unticked), and left
    a step schedule's "Decay" and "Every N steps" on screen without the schedule's row."""
    p, panel = window.classroom.presentation, window.runs_panel
    window.controller.update_run(window.controller.selected, schedule="step")
    QtWidgets.QApplication.processEvents()
    assert panel.decay.isVisibleTo(window) and panel.decay_steps.isVisibleTo(window)
    window.menu_actions["dark"].trigger()
    assert p.dark
    try:
        p.enter()
        QtWidgets.QApplication.processEvents()
        assert p.dark and window.menu_actions["dark"].isChecked()
        assert not panel.decay.isVisibleTo(window) and not panel.decay_steps.isVisibleTo(window)
        window.controller.update_run(window.controller.selected, decay=0.8)  # (a refresh)
        QtWidgets.QApplication.processEvents()
        assert not panel.decay.isVisibleTo(window)
    finally:
        p.leave()
        window.menu_actions["dark"].trigger()
        window.wait_idle()
    assert panel.decay.isVisibleTo(window) and panel.decay.value() == 0.8
    window.controller.update_run(window.controller.selected, schedule="constant", decay=None)


def test_presentation_mode_and_back(window, qtbot):
    p = window.classroom.presentation
    def type_px(widget) -> int:
        return QtGui.QFontInfo(widget.font()).pixelSize()

    before = (type_px(window.contour), type_px(window.loss_plot),
              window.contour.line_width, window.contour.contour_width,
              window.view_options.isVisibleTo(window),
              QtWidgets.QApplication.font().pixelSize())
    window.derivatives.build_tabs()
    held = window.derivatives.views["Slice"].held_label
    held_px = type_px(held)
    window.wait_idle()  # (the views arranged for the loss's domain: a settled layout)
    total = sum(window.bottom_split.sizes())
    window.bottom_split.setSizes([total // 3, total - total // 3])  # the user's own split
    QtWidgets.QApplication.processEvents()
    views_before = window.views_split.sizes(), window.bottom_split.sizes()
    dock_before = window.derivatives.width()
    assert not window.isFullScreen()
    window.activateWindow()
    window.raise_()
    assert QtTest.QTest.qWaitForWindowActive(window, 3000)
    QtTest.QTest.keyClick(window, QtCore.Qt.Key_F11)
    QtWidgets.QApplication.processEvents()  # the new application font reaches every widget
    assert p.active and window.isFullScreen()
    assert window.menu_actions["presentation"].isChecked()
    # The map's ticks, axis titles, colour bar and legend, and the loss plot, use this type.
    # The type is sized for the screen: 24 px on 1080 lines, in proportion on others.
    lines = window.screen().geometry().height()
    assert p.px == max(15, min(48, round(24 * lines / 1080)))
    big = p.px
    assert type_px(window.contour) == big and type_px(window.loss_plot) == big
    assert QtGui.QFontInfo(window.readouts.font()).pixelSize() == big
    assert window.contour.line_width > before[2]
    assert window.contour.contour_width > before[3]
    assert not window.view_options.isVisibleTo(window)
    assert not window.runs_panel.noise.isVisibleTo(window)
    # (not the gradient choice: exact against difference quotients is lecture step 3)
    assert window.runs_panel.gradient.isVisibleTo(window)
    assert window.runs_panel.lr.isVisibleTo(window)  # the lesson's control stays
    # The lecture tabs' own (larger) type grows to the presentation's size too.
    app_px = QtWidgets.QApplication.font().pixelSize()
    assert held_px < type_px(held) <= max(held_px, app_px)
    assert type_px(held) >= min(app_px, LECTURE_MAX_SCALE * held_px) - 1
    # The screen's width is shared afresh: the map keeps its part of the views.
    qtbot.waitUntil(lambda: window.sidebar.width() >= window.sidebar.minimumWidth() - 2)
    map_w, surface_w = window.views_split.sizes()
    assert map_w >= 1.4 * surface_w
    # The lecture dock gets more of a wide screen for its large type (455 of 1920 pixels
    # wrapped the h → 0 tab's labels over three lines), the views keep their part.
    from gdviz.ui.window_layout import DOCK_WIDTHS, PRESENTING_DOCK_SHARE, PRESENTING_VIEWS

    width, dock = window.width(), window.derivatives
    assert dock.isVisible() and width >= 1900
    qtbot.waitUntil(lambda: dock.width() > DOCK_WIDTHS[1] + 60)
    assert dock.width() <= PRESENTING_DOCK_SHARE * width + 12
    assert window.views_split.width() >= PRESENTING_VIEWS * width - 12
    presenting = type_px(held)
    p.larger()
    QtWidgets.QApplication.processEvents()
    assert type_px(window.contour) == big + 2
    # Ctrl + reaches the lecture tabs too (at F11's size they had their quarter already,
    # and Ctrl + left them as they were while all else grew: a QA round), up to a limit.
    assert type_px(held) > presenting
    for _ in range(12):
        p.larger()
    QtWidgets.QApplication.processEvents()
    assert type_px(held) <= round(LECTURE_PRESENTING_MOST * held_px) + 1
    for _ in range(12):
        p.smaller()
    QtWidgets.QApplication.processEvents()
    assert p.px == big + 2
    window.menu_actions["dark"].trigger()
    assert p.dark
    assert window.contour.backgroundBrush().color().lightness() < 60
    QtTest.QTest.keyClick(window, QtCore.Qt.Key_F11)
    QtWidgets.QApplication.processEvents()
    assert not p.active and not window.isFullScreen()
    after = (type_px(window.contour), type_px(window.loss_plot),
             window.contour.line_width, window.contour.contour_width,
             window.view_options.isVisibleTo(window),
             QtWidgets.QApplication.font().pixelSize())
    assert after == before
    assert type_px(held) == held_px
    # (the bars' smaller type is laid out a moment later: the splits then come back)
    qtbot.waitUntil(lambda: (window.views_split.sizes(),
                             window.bottom_split.sizes()) == views_before, timeout=3000)
    assert window.derivatives.width() == dock_before
    # The theme chosen in presentation mode is the user's, not the mode's: it stays (dark
    # chosen mid-lecture went on leaving, its menu item unticked).
    assert p.dark and window.menu_actions["dark"].isChecked()
    window.menu_actions["dark"].trigger()  # (light again for the module's later tests)
    assert not p.dark and window.contour.backgroundBrush().color().lightness() > 200
    assert window.runs_panel.noise.isVisibleTo(window)


def test_the_basins_map_starts_no_job_once_the_window_closed(qtbot, monkeypatch, tmp_path):
    # (a window of its own: closed, the module's would have computed no comparison, basins
    # map or compile in the background for the tests after it; one waited on a comparison)
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    window = MainWindow()
    qtbot.addWidget(window)
    window.classroom.sessions.timer.stop()
    window.show()
    window.wait_idle()
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=50)], "himmelblau")
    basins = window.classroom.basins
    basins.n = 16
    window.menu_actions["basins"].trigger()
    assert basins.wait(30000)
    started = []
    real = basins.pool.start
    basins.pool.start = lambda job: (started.append(job), real(job))
    window.controller.update_run(0, lr=0.02)  # a new map is due in 150 ms
    window.close()
    qtbot.wait(400)
    assert started == [] and not basins.busy


def test_the_iteration_counter_fits_in_presentation_mode_and_after(window, qtbot):
    # "k = 0 / 150" was cut by "speed" in presentation mode's large type: its width was fixed
    # in pixels for the normal type.
    bar = window.playback
    counter = bar.findChild(QtWidgets.QLabel, "iterationLabel")

    def fits() -> bool:
        QtWidgets.QApplication.processEvents()
        text = f"k = {window.controller.max_iteration} / {window.controller.max_iteration}"
        need = QtGui.QFontMetricsF(counter.font()).horizontalAdvance(text)
        box = bar.label.geometry()
        speed = next(w for w in bar.findChildren(QtWidgets.QLabel) if w.text() == "speed")
        return counter.width() >= need and box.right() < speed.geometry().left()

    assert fits()
    normal = bar.label.width()
    window.classroom.presentation.enter()
    qtbot.waitUntil(lambda: fits() and bar.label.width() > normal, timeout=3000)
    window.classroom.presentation.leave()
    qtbot.waitUntil(lambda: fits() and bar.label.width() < 1.2 * normal, timeout=3000)


def test_the_field_keeps_its_arrows_apart_on_a_small_map(window, qtbot):
    # Presentation mode on a 1280×720 projector left the map 130 px wide with 18 thick
    # arrows a side: a thicket. As many as fit, at least MIN_ARROW_CELL px apart.
    from gdviz.ui.contour_view import FIELD_WIDTH, MIN_ARROW_CELL

    def arrows() -> int:
        QtWidgets.QApplication.processEvents()
        return window.contour.field_drawn[0].shape[0]

    wanted = window.view_options.density.value()
    assert arrows() == wanted  # the normal window has room for them all
    window.classroom.presentation.enter()

    def spaced() -> bool:  # (once the layout has settled: it may take a few passes)
        rect = window.contour.plot_rect()
        thick = window.contour.field_width / FIELD_WIDTH
        n = arrows()
        return n < wanted and (n == 4 or min(rect.width(), rect.height()) / n
                               >= MIN_ARROW_CELL * thick)

    qtbot.waitUntil(spaced, timeout=3000)
    assert window.contour.field_width / FIELD_WIDTH > 1  # presentation mode's: further apart
    window.classroom.presentation.leave()
    qtbot.waitUntil(lambda: arrows() == wanted, timeout=3000)  # back as it was


def test_presentation_mode_keeps_every_lecture_tab_title_in_view(window, qtbot):
    # At presentation mode's full type "Gradient" and "Regression" hid behind the tab bar's
    # scroll arrows even on a 1920-pixel screen.
    from gdviz.ui.presentation import TAB_TITLE_MOST, TAB_TITLE_SHARE, titles_width

    p = window.classroom.presentation
    window.derivatives.build_tabs()
    bar = window.derivatives.tabs.tabBar()
    p.enter()
    qtbot.wait(50)
    QtWidgets.QApplication.processEvents()
    px = QtGui.QFontInfo(bar.font()).pixelSize()
    # (as large as the dock has room for, from half its type: at half, on a 1920 × 1080
    # projector, the titles were the app's 13 pixels beside the tabs' 22)
    assert round(TAB_TITLE_SHARE * p.px) <= px <= round(TAB_TITLE_MOST * p.px) < p.px
    widths = sum(bar.tabRect(i).width() for i in range(bar.count()))
    assert widths <= bar.width() + 1, (widths, bar.width())
    if px < round(TAB_TITLE_MOST * p.px):  # (made smaller to fit: one pixel more would not)
        assert titles_width(bar, bar.font(), px + 1) > window.derivatives.tabs.width()
    for _ in range(6):  # (Ctrl − in presentation mode: never below the app's default type)
        window.menu_actions["smaller"].trigger()
    QtWidgets.QApplication.processEvents()
    assert QtGui.QFontInfo(bar.font()).pixelSize() >= max(p._default_px,
                                                           round(TAB_TITLE_SHARE * p.px))
    for _ in range(6):  # (presentation mode's type as it was, for the tests after this one)
        window.menu_actions["larger"].trigger()
    p.leave()
    QtWidgets.QApplication.processEvents()
    assert bar.font().pixelSize() == QtWidgets.QApplication.font().pixelSize() or \
        QtGui.QFontInfo(bar.font()).pixelSize() == QtGui.QFontInfo(
            QtWidgets.QApplication.font()).pixelSize()


def test_the_basins_legend_reads_a_minimum_at_zero_as_zero(window):
    """A minimum at x = 0 found as −1.06e-18 (rounding) is listed as (0, −2.24)."""
    from types import SimpleNamespace

    result = SimpleNamespace(
        domain=((-3.0, 3.0), (-3.0, 3.0)), minima=[(-1.06e-18, -2.24), (1.5, -0.0)],
        fractions=lambda: {0: 0.6, 1: 0.4})
    legend = window.classroom.basins._legend(result)
    assert [text for _color, text in legend] == ["→ (0, −2.24)  60%", "→ (1.5, 0)  40%"]


def test_a_basins_key_that_hides_much_wherever_it_goes_keeps_its_shares_alone(window,
                                                                              monkeypatch):
    """Six-hump camel's tiny map in presentation mode at 1366 × 768: the whole key went over
    its global minimum wherever it went; its shares alone hide less (the colours and stars
    say which is which)."""
    from gdviz.ui.basins_key import share_only as _share_only

    assert _share_only("→ (−0.0898, 0.713)  27%") == "27%"
    assert _share_only("no minimum reached  5%") == "none 5%"
    assert _share_only("f undefined at the start  2%") == "undefined 2%"
    assert _share_only("diverged  3%") == "diverged 3%"
    assert _share_only("f → −∞, no minimum that way  46%") == "f → −∞ 46%"
    assert _share_only("… 2 more minima, none with a larger basin") == "+2 more"
    c = _himmelblau_basins(window)
    legends = c.legends
    whole = [text for _k, text, _pen in legends.basins.entries]
    assert any(text.startswith("→ (") for text in whole)
    for hides, compact in (((150.0, 30.0), True), ((150.0, 120.0), False)):
        # (what the whole key hides, then the shares alone)
        monkeypatch.setattr(legends, "_place_basins_key", lambda _m, h=hides: h[all(
            "(" not in t for _k, t, _p in legends.basins.entries)])
        legends.place_basins(c.basins.markers)
        shown = [text for _k, text, _pen in legends.basins.entries]
        assert (shown != whole) is compact, shown
        if compact:
            assert all("(" not in text for text in shown) and "26%" in " ".join(shown)
    # A minimum off the map keeps its coordinates there: no star on the map says which it
    # is (at 1280 × 720 the lecture's loss keyed "26%", "6%", the second past the edge)
    named = [p for p in legends._basins_points if p is not None]
    assert len(named) == 4 and min(abs(a - 3) + abs(b - 2) for a, b in named) < 1e-3
    c.fit(((1.0, 4.0), (0.5, 3.5)))  # (only the minimum at (3, 2) in view)
    monkeypatch.setattr(legends, "_place_basins_key", lambda _m: 150.0 if any(  # (whole)
        t.startswith("→ (3, 2)") for _k, t, _p in legends.basins.entries) else 30.0)
    legends.place_basins(c.basins.markers)
    shown = [text for _k, text, _pen in legends.basins.entries]
    assert sum(text.startswith("→ (") for text in shown) == 3, shown
    assert not any(text.startswith("→ (3, 2)") for text in shown), shown
    c.fit(window.controller.domain)
    monkeypatch.undo()
    legends.place_basins(c.basins.markers)  # (room: the whole key)
    assert [text for _k, text, _pen in legends.basins.entries] == whole
    window.menu_actions["basins"].setChecked(False)


def test_the_basins_legend_names_a_line_of_minima_as_such(window):
    """(w1 − w2)²'s minima fill its diagonal: one entry for them all (64 before), named as
    minima level with the point most of its starts reached."""
    from types import SimpleNamespace

    result = SimpleNamespace(domain=((-3.0, 3.0), (-3.0, 3.0)), minima=[(-0.635, -0.635),
                                                                        (2.0, -1.0)],
                             fractions=lambda: {0: 0.9, 1: 0.1}, level=np.array([True, False]))
    texts = [text for _color, text in window.classroom.basins._legend(result)]
    assert texts == ["→ minima level with (−0.635, −0.635)  90%", "→ (2, −1)  10%"]


def test_the_basins_legend_s_shares_add_up_to_100_percent(window):
    """Himmelblau's four basins read 26 + 26 + 25 + 24 = 101 % (each rounded alone)."""
    import re
    from types import SimpleNamespace

    result = SimpleNamespace(
        domain=((-5.0, 5.0), (-5.0, 5.0)), minima=[(3.0, 2.0), (-2.81, 3.13), (-3.78, -3.28),
                                                   (3.58, -1.85)],
        fractions=lambda: {0: 0.2640, 1: 0.2560, 2: 0.2455, 3: 0.2345})
    texts = [text for _color, text in window.classroom.basins._legend(result)]
    assert sum(int(re.search(r"(\d+)%$", t).group(1)) for t in texts) == 100, texts


def test_the_basins_legend_names_the_largest_basins_first(window):
    """Rastrigin's 121 minima were named in their coordinates' order: eight at the map's edge,
    all "→ (−4.97, …)", 1 % each, while most starts settled elsewhere."""
    from types import SimpleNamespace

    from gdviz.ui.basins import BASIN_COLORS

    minima = [(float(i), 0.0) for i in range(10)]
    shares = {i: 0.01 for i in range(10)} | {7: 0.5, 3: 0.3, 9: 0.02}
    result = SimpleNamespace(domain=((-1.0, 10.0), (-1.0, 1.0)), minima=minima,
                             fractions=lambda: shares)
    legend = window.classroom.basins._legend(result)
    texts = [text for _color, text in legend]
    assert texts[:3] == ["→ (7, 0)  50%", "→ (3, 0)  30%", "→ (9, 0)  2%"], texts
    assert texts[8] == "… 2 more minima, none with a larger basin"
    # (each in its own colour, by basin size: by number, 0 and 11 shared one)
    assert [color for color, _text in legend[:3]] == list(BASIN_COLORS[:3])


def test_larger_text_outside_presentation_mode_grows_the_loss_box_and_stops(window):
    """Ctrl+= outside presentation mode: the loss box's type follows the rest, and the size
    stops at twice the app's (39 px type cut the sidebar off at the window's edge)."""
    from PySide6 import QtGui as Gui

    pres = window.classroom.presentation
    assert not pres.active
    default = pres.current_px
    edit = window.loss_panel.edit
    before = Gui.QFontInfo(edit.font()).pixelSize()
    try:
        for _ in range(40):
            window.menu_actions["larger"].trigger()
        assert pres.current_px == round(2 * default)
        assert Gui.QFontInfo(edit.font()).pixelSize() == round(1.1 * pres.current_px)
    finally:
        while pres.current_px > default:
            window.menu_actions["smaller"].trigger()
    assert pres.normal_px is None and Gui.QFontInfo(edit.font()).pixelSize() == before


@pytest.mark.parametrize(("size", "steps"), [((1280, 720), 3), ((1024, 700), 40)])
def test_larger_text_widens_the_sidebar_or_lets_it_scroll(window, qtbot, size, steps):
    """At 1280 × 720 after Ctrl + three times (and on a 1024-pixel projector in presentation
    mode) the sidebar kept the width it had at start-up: its controls' right edges were cut
    off (the η and start boxes' arrows, the Remove button), with no way to scroll to them."""
    from gdviz.ui.window_layout import share_width

    pres = window.classroom.presentation
    default = pres.current_px
    before, dock_shown = window.size(), window.derivatives.isVisible()
    window.resize(*size)
    side = window.sidebar
    try:
        for _ in range(steps):
            window.menu_actions["larger"].trigger()
        QtWidgets.QApplication.processEvents()

        def fitted() -> bool:
            QtWidgets.QApplication.processEvents()
            need = side.widget().minimumSizeHint().width()
            wide = side.viewport().width() >= need
            scrolls = (side.horizontalScrollBarPolicy()
                       != QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            return wide or scrolls

        qtbot.waitUntil(fitted, timeout=3000)
        assert side.minimumWidth() <= round(0.34 * window.width()) + 1 or (
            side.minimumWidth() == pres._sidebar_min)  # (never more than a third of it)
        widened = window.main_split.sizes()[0]
    finally:
        while pres.current_px > default:
            window.menu_actions["smaller"].trigger()
    QtWidgets.QApplication.processEvents()
    qtbot.waitUntil(lambda: side.minimumWidth() == pres._sidebar_min, timeout=3000)
    # and narrowed again with the type (it stayed at the larger type's width)
    if widened > pres._sidebar_min + 4:
        qtbot.waitUntil(lambda: window.main_split.sizes()[0] <= pres._sidebar_min + 4
                        or window.main_split.sizes()[0] < widened, timeout=3000)
        assert window.main_split.sizes()[0] < widened
    # The window as it was (at 1024 pixels the lecture dock made room for the map: the next
    # tests, on a window left that narrow, found it hidden)
    window.resize(before)
    share_width(window, before.width())
    qtbot.waitUntil(lambda: window.derivatives.isVisible() == dock_shown, timeout=3000)


def test_compare_s_message_writes_the_start_with_real_minus_signs(window):
    """"Compared 7 optimizers from (-0.5, 0.2)": ASCII hyphens, where the app writes −."""
    _show(window, "sin(w1)*w2*(1-w2)", ((-4.0, 4.0), (-2.0, 2.0)),
          [RunSpec("gd", 0.3, (-0.5, 0.2), steps=200)])
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    assert "from (−0.5, 0.2)" in window.statusBar().currentMessage()


def test_compare_s_message_goes_with_the_loss_it_was_about(window):
    """After Compare, the Regression tab's "Use as loss" (or any other loss) left "Compared
    7 optimizers … (Gradient descent at the preset's 0.3)" beside the new loss's runs."""
    _show(window, "sin(w1)*w2*(1-w2)", ((-4.0, 4.0), (-2.0, 2.0)),
          [RunSpec("gd", 0.3, (-0.5, 0.2), steps=200)])
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    bar = window.statusBar()
    assert bar.currentMessage().startswith("Compared 7 optimizers")
    # (a session, as this module's window was closed by an earlier test: no compiles)
    _show(window, "w1^2 + 3*w2^2", ((-4.0, 4.0), (-2.0, 2.0)),
          [RunSpec("gd", 0.1, (-0.5, 0.2), steps=200)])
    window.wait_idle()
    assert not bar.currentMessage().startswith("Compared"), bar.currentMessage()


def test_compare_s_message_names_the_preset_s_own_learning_rate(window):
    """"with their default settings": the preset's own optimizer ran at the preset's η
    (Rastrigin's GD at 0.002, not 0.1), and nothing said so."""
    from gdviz.core.presets import get_preset

    rastrigin = get_preset("rastrigin")
    _show(window, rastrigin.loss, rastrigin.domain,
          [RunSpec(rastrigin.optimizer, rastrigin.lr, rastrigin.start, steps=100)],
          "rastrigin")
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    message = window.statusBar().currentMessage()
    assert "Gradient descent at the preset's 0.002" in message
    assert len(message) < 160  # (at 1280 pixels the status bar cut a longer one)


def test_larger_text_keeps_every_lecture_tab_title_in_view(window, qtbot):
    """Three Ctrl+= at 150 % put "Regression" behind the tab bar's scroll arrows ("R…"):
    outside presentation mode the titles grow as far as the dock has room for them."""
    pres = window.classroom.presentation
    default = pres.current_px
    window.classroom.compare.dock.hide()  # (the lecture dock alone: an earlier Compare's
    window.derivatives.build_tabs()  # table tabbed with it kept it from being resized)
    bar = window.derivatives.tabs.tabBar()
    try:
        for _ in range(40):
            window.menu_actions["larger"].trigger()
        # (the titles are fitted once the dock is laid out again: on a slow machine later
        # than 50 ms)
        try:
            qtbot.waitUntil(lambda: bar.tabRect(bar.count() - 1).right() <= bar.width(),
                            timeout=3000)
        finally:
            last = bar.tabRect(bar.count() - 1)
            assert last.right() <= bar.width(), (last, bar.width())
        assert bar.font().pixelSize() >= default  # (not below the app's type)
    finally:
        while pres.current_px > default:
            window.menu_actions["smaller"].trigger()


def test_lecture_tab_titles_are_as_before_after_presentation_mode(window, qtbot):
    """Ctrl+ twice, F11, F11: the titles, fitted to the full-screen dock as presentation mode
    was left, kept that size in the narrower dock ("Regres…" behind scroll arrows)."""
    pres = window.classroom.presentation
    default = pres.current_px
    window.classroom.compare.dock.hide()  # (the lecture dock alone: an earlier Compare's
    window.derivatives.build_tabs()  # table tabbed with it kept it from being resized)
    bar = window.derivatives.tabs.tabBar()
    from gdviz.ui.presentation import titles_width

    size = window.size()
    window.resize(1600, 1000)
    QtWidgets.QApplication.processEvents()  # (laid out first: a shrink shares out later)
    window.resizeDocks([window.derivatives], [371], QtCore.Qt.Orientation.Horizontal)
    QtWidgets.QApplication.processEvents()
    try:
        for _ in range(2):
            window.menu_actions["larger"].trigger()
        qtbot.wait(50)
        QtWidgets.QApplication.processEvents()
        before = QtGui.QFontInfo(bar.font()).pixelSize()
        # (the case: one pixel more would not fit this dock, as the full screen's did)
        tabs = window.derivatives.tabs
        assert titles_width(bar, bar.font(), before + 1) > tabs.width(), tabs.width()
        pres.enter()
        qtbot.wait(50)
        pres.leave()
        qtbot.waitUntil(lambda: QtGui.QFontInfo(bar.font()).pixelSize() == before,
                        timeout=3000)
        last = bar.tabRect(bar.count() - 1)
        assert last.right() <= bar.width(), (last, bar.width())
    finally:
        while pres.current_px > default:
            window.menu_actions["smaller"].trigger()
        window.resize(size)


def test_in_presentation_mode_the_comparison_sits_beside_the_tabs(window, qtbot):
    """On a 1080-line projector in presentation mode (24-pixel type) Compare's table docked
    across the bottom: the map's plot 195 pixels tall, the loss plot 105 × 105. The window
    is short for its type there, as a 720-line one is for the app's own."""
    p, dock = window.classroom.presentation, window.classroom.compare.dock
    lecture = window.derivatives
    try:
        p.enter()
        qtbot.waitUntil(lambda: window.isFullScreen(), timeout=5000)
        lecture.show()
        QtWidgets.QApplication.processEvents()
        assert window.height() >= 1000 and p.type_scale >= 1.9  # (tall in pixels)
        window.menu_actions["compare"].trigger()
        window.wait_idle()
        QtWidgets.QApplication.processEvents()
        assert window.dockWidgetArea(dock) == QtCore.Qt.DockWidgetArea.RightDockWidgetArea
        assert dock in window.tabifiedDockWidgets(lecture)
        assert window.contour.height() > window.height() // 3
    finally:
        dock.hide()
        p.leave()
        window.wait_idle()


def test_runs_differing_only_in_eta_are_keyed_by_it_on_the_map(window):
    """Three GD runs at η = 0.02, 0.09 and 0.105 on a slide: three coloured paths, nothing
    saying which η was which."""
    from gdviz.ui.window_layout import share_width

    legends = window.contour.legends
    window.resize(1600, 1000)
    share_width(window, 1600)
    _show(window, "x^2 + 3*y^2", ((-3.0, 3.0), (-3.0, 3.0)),
          [RunSpec("gd", lr, (2.5, 1.0 + i * 0.3), steps=60)
           for i, lr in enumerate((0.02, 0.09, 0.105))])
    window.wait_idle()
    QtWidgets.QApplication.processEvents()
    assert [t for _k, t, _p in legends.runs.entries] == ["η = 0.02", "η = 0.09", "η = 0.105"]
    assert legends.runs.visible
    _show(window, "x^2 + 3*y^2", ((-3.0, 3.0), (-3.0, 3.0)),
          [RunSpec("gd", 0.05, (2.5, 1.0)), RunSpec("gd", 0.05, (-2.0, 1.0))])
    window.wait_idle()
    assert legends.runs.entries == [] and not legends.runs.visible  # (nothing to tell apart)


def test_a_comparison_keys_its_runs_on_the_map(window):
    """After Compare optimizers the map showed seven coloured paths and nothing saying which
    was GD and which Adam (on a slide, or with the table out of sight, unreadable)."""
    from gdviz.ui.readouts import readout_name
    from gdviz.ui.window_layout import share_width

    c, legends = window.contour, window.contour.legends
    window.resize(1600, 1000)
    share_width(window, 1600)
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain, [RunSpec("gd", 0.01, (0.0, 0.0))],
          "himmelblau")
    assert not legends.runs.visible  # one optimizer: nothing to tell apart
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    QtWidgets.QApplication.processEvents()
    runs = window.controller.runs
    assert legends.runs.visible
    assert [t for _k, t, _p in legends.runs.entries] == [readout_name(runs, i)
                                                         for i in range(len(runs))]
    assert [p.color().name() for _k, _t, p in legends.runs.entries] == [
        r.spec.color.lower() for r in runs]
    plot = c.plot_rect()
    box = legends.runs.rect(plot, c.font(), c.dark)
    assert box is not None, (plot, legends.runs.box_size(c.font(), c.dark), legends.runs.scale)
    assert plot.contains(box) and box in legends.boxes()
    arrows = legends.shown_arrows().rect(plot, c.font(), c.dark)
    assert arrows is None or not arrows.intersects(box)
    window.controller.update_run(2, visible=False)  # a hidden run is not keyed
    QtWidgets.QApplication.processEvents()
    assert len(legends.runs.entries) == len(runs) - 1
    # On a short map (1024 × 768 with the table docked below) it hid a third of the map and
    # the runs' starts: left out there (the readouts name the runs)
    short = QtCore.QRectF(plot.left(), plot.top(), plot.width(), 140)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(c, "plot_rect", lambda: short)
        legends.place()
        assert not legends.runs.visible
        assert legends.runs.rect(short, c.font(), c.dark) is None
    legends.place()
    assert legends.runs.visible
    window.classroom.compare.dock.hide()


def test_a_status_note_is_the_longest_form_the_bar_shows_whole(qtbot):
    """In presentation mode's type Compare's note was cut at "Gradient descent ÷64, M"
    (Rosenbrock): the bar shows the longest of its forms that fits, left of the widgets kept
    at its right (the busy label's room)."""
    from PySide6 import QtGui

    from gdviz.ui.widgets import fitting_message

    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    bar = window.statusBar()
    busy = QtWidgets.QLabel("computing runs… 45 %")
    bar.addPermanentWidget(busy)
    font = QtGui.QFont(bar.font())
    font.setPixelSize(20)
    bar.setFont(font)
    busy.setFont(font)
    fm = QtGui.QFontMetrics(font)
    forms = ["Compared 7 optimizers at their default η; η cut (it overshot): GD ÷64, "
             "Momentum ÷32",
             "Compared 7 optimizers; η cut for 2 that overshot.",
             "Compared 7 optimizers."]
    # (room for the second form beside the busy label, not for the first)
    window.resize(fm.horizontalAdvance(forms[1]) + fm.horizontalAdvance(busy.text()) + 80, 300)
    window.show()
    qtbot.waitExposed(window)
    chosen = fitting_message(bar, forms)
    assert chosen == forms[1], (chosen, bar.width())
    assert fm.horizontalAdvance(chosen) < busy.geometry().left()
    busy.hide()  # (the room it kept is the message's again)
    window.resize(fm.horizontalAdvance(forms[0]) + 80, 300)
    qtbot.waitUntil(lambda: bar.width() >= fm.horizontalAdvance(forms[0]) + 40)
    assert fitting_message(bar, forms) == forms[0]
    assert fitting_message(bar, ["x" * 2000, "short"]) == "short"
def _camel_with_basins(window):
    """Six-hump camel with its basins map drawn (48 starts a side): the map view."""
    window.load_preset("six_hump_camel")
    window.wait_idle()
    basins = window.classroom.basins
    basins.n = 48
    window.menu_actions["basins"].setChecked(True)
    assert basins.wait(60000)
    window.wait_idle()
    view = window.contour
    assert view.basins.visible and len(view.basins.markers)  # (the map is drawn)
    return view


def test_the_field_legend_is_placed_by_its_size_as_drawn(window, qtbot):
    """Presentation mode at 1920 × 1080, six-hump camel with its basins: the field's legend
    was placed by the whole key's size (492 pixels wide, so every corner looked as bad) while
    the compact key was drawn, over the run's start and its ∇f arrow."""
    size = window.size()
    window.classroom.compare.dock.hide()  # (the map as presentation mode lays it out)
    window.resize(1920, 1080)
    window.classroom.presentation.enter()
    try:
        view = _camel_with_basins(window)
        view.grab()
        legends = view.legends
        shown = legends.shown_arrows()
        assert shown is legends.compact  # (the case: the whole key does not fit)
        box = shown.rect(view.plot_rect(), view.font(), view.dark)
        start = window.controller.runs[0].spec.start
        x, y = (float(v) for v in view.data_to_px(*start))
        assert not box.adjusted(-6, -6, 6, 6).contains(x, y), (box, x, y)
    finally:
        window.menu_actions["basins"].setChecked(False)
        window.classroom.presentation.leave()
        window.resize(size)


def test_no_legend_hides_a_basin_s_minimum_where_there_is_room(window):
    """Six-hump camel has a minimum near each corner of its map: the basins' legend hid
    (1.70, −0.796) in the bottom-right corner. It goes to the middle of an edge instead."""
    size = window.size()
    window.classroom.compare.dock.hide()
    window.resize(1600, 1000)
    try:
        view = _camel_with_basins(window)
        view.grab()
        markers = view.basins.markers
        assert len(markers) == 6
        boxes = view.legends.boxes()
        assert len(boxes) == 2  # (both legends are drawn)
        for a, b in markers:
            x, y = (float(v) for v in view.data_to_px(a, b))
            star = QtCore.QRectF(x - 11, y - 11, 22, 22)
            assert not any(box.intersects(star) for box in boxes), ((a, b), boxes)
    finally:
        window.menu_actions["basins"].setChecked(False)
        window.resize(size)


def _compared_at_1366(window, qtbot, preset: str) -> None:
    """The window at 1366 × 768 with ``preset`` loaded and its optimizers compared."""
    window.resize(1366, 768)
    window.load_preset(preset)
    window.wait_idle()
    window.menu_actions["compare"].trigger()
    qtbot.waitUntil(lambda: not window.classroom.compare.computing, timeout=60000)
    window.wait_idle()


def test_no_legend_hides_where_compared_runs_end(window, qtbot):
    """Rosenbrock compared at 1366 × 768: the runs' key sat over (1, 1), where five of the
    seven runs ended, the lesson "who got there" out of sight."""
    size = window.size()
    try:
        _compared_at_1366(window, qtbot, "rosenbrock")
        c, view = window.controller, window.contour
        c.set_iteration(c.max_iteration)
        view.grab()
        boxes = view.legends.boxes()
        assert view.legends.runs.visible and len(boxes) >= 2
        ends = {tuple(np.round(r.trajectory.points[-1], 3)) for r in c.runs}
        assert (1.0, 1.0) in ends
        x, y = (float(v) for v in view.data_to_px(1.0, 1.0))
        marker = QtCore.QRectF(x - 10, y - 10, 20, 20)
        assert not any(box.intersects(marker) for box in boxes), boxes
    finally:
        window.classroom.compare.dock.hide()
        window.resize(size)


def test_compare_keeps_the_selected_run_s_noise_and_says_so(window):
    """Noise σ = 0.5 on the selected run, then Ctrl+K: all seven ran with σ = 0 and the
    note said only "at their default η"."""
    window.controller.update_run(window.controller.selected, noise=0.5)
    window.wait_idle()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    runs = window.controller.runs
    assert len(runs) == 7 and all(r.spec.noise == 0.5 for r in runs)
    assert "with noise σ = 0.5" in window.statusBar().currentMessage()


def test_the_selected_run_stays_in_sight_as_the_runs_list_changes_size(window, qtbot):
    """Compared, then presentation mode: its larger type wrapped the rows taller and the
    list kept its scroll, runs 5 and 6 in sight and the selected run 7 below them."""
    _show(window, HIMMELBLAU.loss, HIMMELBLAU.domain,
          [RunSpec("gd", 0.01, (0.0, 0.0), steps=200)], "himmelblau")
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    runs_list = window.runs_panel.list
    window.controller.select(6)
    QtWidgets.QApplication.processEvents()

    def current_in_sight() -> bool:
        rect = runs_list.visualItemRect(runs_list.currentItem())
        return runs_list.viewport().rect().contains(rect)

    qtbot.waitUntil(current_in_sight, timeout=3000)
    presentation = window.classroom.presentation
    presentation.enter()
    try:
        for width in (None, 1300):
            if width is not None:
                window.resize(width, window.height())
            qtbot.wait(50)
            qtbot.waitUntil(current_in_sight, timeout=3000)
            assert runs_list.currentRow() == 6
    finally:
        presentation.leave()
        qtbot.wait(50)
    qtbot.waitUntil(current_in_sight, timeout=3000)


def test_the_runs_key_never_hides_the_runs_start(window, qtbot):
    """Himmelblau compared, with its basins, at 1366 × 768: the runs' key went to the top
    edge's middle and covered the start of all seven paths (the readouts name the runs)."""
    size = window.size()
    try:
        _compared_at_1366(window, qtbot, "himmelblau")
        window.menu_actions["basins"].setChecked(True)
        assert window.classroom.basins.wait(30000)
        view = window.contour
        view.grab()
        legends = view.legends
        x, y = (float(v) for v in view.data_to_px(*window.controller.runs[0].spec.start))
        for box in legends.boxes():
            assert not box.adjusted(-6, -6, 6, 6).contains(x, y), box
        if legends.runs.visible:
            assert not legends._hides_a_start(legends.runs)
    finally:
        window.menu_actions["basins"].setChecked(False)
        window.classroom.compare.dock.hide()
        window.resize(size)


def test_a_basins_key_that_fits_only_in_tiny_type_shows_its_shares_alone(window, monkeypatch):
    """Himmelblau in presentation mode at 1280 × 720: the whole key fitted only in 9-pixel
    type beside the window's 16; its shares alone fit in 10 pixels or more."""
    from gdviz.ui.map_overlays import HEADING, LEGEND_LEAST_PX, Legend

    c = _himmelblau_basins(window)
    legend, font = c.basins_legend, c.font()
    whole = [e for e in c.legends._basins_full if e[0] != HEADING]

    def size(least: int, entries) -> QtCore.QSizeF:
        probe = Legend(swatches=True, entries=entries, scale=0.7, least_px=least)
        return probe.box_size(font, c.dark)

    small, large = size(8, whole), size(LEGEND_LEAST_PX, whole)
    assert small.width() < large.width()  # (the case: 8 pixels narrower than 10)
    narrow = QtCore.QRectF(60, 10, (small.width() + large.width()) / 2 + 4, 400)
    monkeypatch.setattr(c, "plot_rect", lambda: narrow)
    c.legends.place_basins(c.basins.markers)
    shown = [text for _k, text, _p in legend.entries]
    assert all("(" not in text for text in shown), shown  # (shares alone)
    assert QtGui.QFontInfo(legend._font).pixelSize() >= LEGEND_LEAST_PX
    monkeypatch.undo()
    c.legends.place_basins(c.basins.markers)
    window.menu_actions["basins"].setChecked(False)


def test_the_basins_steps_key_gives_the_fewest_middle_and_most_steps(window):
    """It showed "few steps to converge" in a dark blue no start had and "13 steps" in
    yellow, while the map was all magenta and orange (a QA round): the colours at the fewest,
    half way and the most, each with its count, as the map colours them."""
    from types import SimpleNamespace

    import numpy as np

    from gdviz.ui.qt import pg

    basins = window.classroom.basins
    result = SimpleNamespace(labels=np.array([0, 0, 1, -1]), steps=np.array([4, 8, 12, 0]),
                             converged=np.array([True, True, True, False]),
                             domain=((-1.0, 1.0), (-1.0, 1.0)), minima=[(0.0, 0.0), (1, 1)],
                             fractions=lambda: {0: 0.5, 1: 0.25})
    old = basins.mode
    basins.mode = "steps"
    try:
        legend = basins._legend(result)
    finally:
        basins.mode = old
    lut = pg.colormap.get("plasma")
    steps = [(color, text) for color, text in legend if "step" in text]
    assert [text for _c, text in steps] == ["4 steps to converge", "8 steps", "12 steps"]
    assert [c for c, _t in steps] == [lut.map(n / 12, "qcolor").name() for n in (4, 8, 12)]


def test_presentation_mode_lays_the_window_out_again_when_it_shrinks(window, qtbot):
    """A projector plugged in drops the screen to 1280 × 720 while presenting: the sidebar
    and the dock kept their 1920-pixel widths, the map a sliver 10 pixels wide, its axis
    reading "5" (a QA round). Laid out again for the new size, as F11 there lays it out."""
    p = window.classroom.presentation
    size = window.size()
    window.resize(1920, 1080)
    window.wait_idle()
    p.enter()
    try:
        qtbot.waitUntil(lambda: window.isFullScreen(), timeout=5000)
        window.wait_idle()
        window.showNormal()  # (as a screen that shrank does to a full-screen window)
        window.resize(1280, 720)
        qtbot.waitUntil(lambda: window.width() == 1280, timeout=5000)
        qtbot.waitUntil(lambda: window.contour.plot_rect().width() > 150
                        and window.main_split.sizes()[0] <= 0.36 * 1280, timeout=5000)
    finally:
        p.leave()
        window.resize(size)
        window.wait_idle()


def test_the_basins_steps_map_counts_converged_starts_only(window):
    """On |w1| + |w2| at η = 0.1 no start converges (each bounces about the corner), yet
    the map was all yellow, keyed "200 steps to converge": a start near its minimum took its
    steps, all it had (a QA round). Such starts did not converge, in the map and the key."""
    import numpy as np

    from gdviz import parse_loss
    from gdviz.core.basins import NOT_CONVERGED, basins
    from gdviz.ui.basins import NOT_CONVERGED_COLOR, label_colors

    panel = window.classroom.basins
    result = basins(parse_loss("abs(w1) + abs(w2)"), ((-2.0, 2.0), (-2.0, 2.0)), 8, "gd",
                    0.1, 60)
    assert (result.labels >= 0).any() and not result.converged.any()  # (the state it erred in)
    old = panel.mode
    panel.mode = "steps"
    try:
        legend = panel._legend(result)
    finally:
        panel.mode = old
    texts = [text for _colour, text in legend]
    assert not any("step" in t and "not converged" not in t for t in texts), texts
    assert texts[0].startswith("not converged in ") and texts[0].endswith("100%"), texts
    grey = np.array(QtGui.QColor(NOT_CONVERGED_COLOR).getRgb()[:3])
    assert (label_colors(result, "steps")[..., :3] == grey).all()
    # A start that converged keeps its colour by steps; in the minimum map all are keyed
    smooth = basins(parse_loss("w1^2 + w2^2"), ((-2.0, 2.0), (-2.0, 2.0)), 8, "gd", 0.1, 200)
    assert smooth.converged.all() and NOT_CONVERGED not in smooth.fractions()
    assert not (label_colors(smooth, "steps")[..., :3] == grey).all(axis=-1).any()
    assert any(t.startswith("→ (0, 0)") for _c, t in panel._legend(result))
