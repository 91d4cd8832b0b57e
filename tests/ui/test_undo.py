"""Edit ▸ Undo (Ctrl+Z): runs replaced by a preset, Compare, Remove or an opened session come
back, with their loss."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtTest

from gdviz.core.presets import get_preset
from gdviz.core.session import RunSpec, Session

MINE = [RunSpec("adam", 0.05, (1.0, -1.0), steps=120, noise=0.2, schedule="cosine"),
        RunSpec("gd", 0.1, (-2.0, 0.5), steps=80)]


@pytest.fixture
def mine(window):
    window.apply_session(Session(loss="x^2 + 3*y^2", domain=((-3.0, 3.0), (-3.0, 3.0)),
                                 runs=list(MINE)))
    window.wait_idle()
    window.history.stack.clear()  # (the session opened above is not the test's change)
    window.history._update_action()
    return window


def _specs(window):
    return [(r.spec.optimizer, r.spec.lr, tuple(r.spec.start), r.spec.steps, r.spec.noise,
             r.spec.schedule) for r in window.controller.runs]


def _press_undo(window):
    window.activateWindow()
    assert QtTest.QTest.qWaitForWindowActive(window, 3000)
    window.contour.setFocus()
    QtTest.QTest.keyClick(window, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    window.wait_idle()


def test_a_preset_a_comparison_and_a_removal_are_undone_in_turn(mine):
    w, c = mine, mine.controller
    action = w.menu_actions["undo"]
    assert not action.isEnabled()
    before = _specs(w)
    assert len(before) == 2 and before[0][0] == "adam"
    c.remove_run(1)
    assert len(c.runs) == 1 and action.isEnabled() and "removing a run" in action.text()
    w.classroom.compare.run()  # (one run per optimizer replaces them)
    w.wait_idle()
    assert len(c.runs) > 2
    w.load_preset("himmelblau")
    w.wait_idle()
    assert len(c.runs) == 1 and c.loss_text != "x^2 + 3*y^2"
    _press_undo(w)  # the preset: the compared runs on x² + 3y² again
    assert c.loss_text == "x^2 + 3*y^2" and len(c.runs) > 2
    assert "Undone" in w.statusBar().currentMessage()
    _press_undo(w)  # the comparison: the one run left after the removal
    assert _specs(w) == before[:1]
    _press_undo(w)  # the removal: both, the Adam run's noise and schedule included
    assert _specs(w) == before
    assert not action.isEnabled()


def test_an_opened_session_is_undone(mine, tmp_path):
    from gdviz.core.session import save_session

    path = tmp_path / "other.gdviz"
    save_session(str(path), Session(loss="x^4 + y^2", domain=((-2.0, 2.0), (-2.0, 2.0)),
                                    runs=[RunSpec("momentum", 0.02, (1.5, 1.5), steps=50)]))
    before = _specs(mine)
    assert mine.classroom.sessions.open_path(str(path))
    mine.wait_idle()
    assert mine.controller.loss_text == "x^4 + y^2"
    assert mine.history.undo()
    mine.wait_idle()
    assert mine.controller.loss_text == "x^2 + 3*y^2" and _specs(mine) == before


def test_an_undo_the_window_cannot_show_says_so_and_changes_nothing(mine):
    """A state a session cannot hold (the map zoomed out past ±1e7) raised SessionError out
    of Undo, with the entry gone and no word."""
    history, c = mine.history, mine.controller
    before = _specs(mine)
    state = mine.current_session()
    state.view["map_range"] = ((-1e308, 1e308), (-1.0, 1.0))
    history.stack.append(("a test change", state))
    assert history.undo() is False
    assert "Could not undo a test change" in mine.statusBar().currentMessage()
    assert _specs(mine) == before and c.loss_text == "x^2 + 3*y^2"


def test_a_session_that_fails_its_checks_leaves_nothing_to_undo(mine, tmp_path):
    path = tmp_path / "bad.gdviz"
    path.write_text('{"format": "gdviz-session", "version": 1, "loss": "sin(x", '
                    '"domain": [[-1, 1], [-1, 1]], "runs": []}', encoding="utf-8")
    assert not mine.classroom.sessions.open_path(str(path), quiet=True)
    assert mine.history.stack == [] and not mine.menu_actions["undo"].isEnabled()


def test_presets_chosen_in_quick_succession_undo_to_the_state_before_them(mine):
    """Booth then Rosenbrock before Booth compiled: the second entry held the sphere's loss
    with Booth's run (started off its map)."""
    c = mine.controller
    before = _specs(mine)
    mine.load_preset("booth")
    mine.load_preset("rosenbrock")
    mine.wait_idle()
    assert c.preset == "rosenbrock"
    assert len(mine.history.stack) in (1, 2)
    while mine.history.stack and mine.history.stack[-1][1].loss != "x^2 + 3*y^2":
        assert mine.history.undo()
        mine.wait_idle()
    assert mine.history.undo()
    mine.wait_idle()
    assert c.loss_text == "x^2 + 3*y^2" and _specs(mine) == before
    # The undone preset's domain does not wait for the next loss typed
    mine.apply_loss_text("x^2 + 2*y^2")
    mine.wait_idle()
    assert c.domain == ((-3.0, 3.0), (-3.0, 3.0))


def test_a_change_while_a_typed_loss_compiles_is_undone_with_that_loss(mine):
    """A run removed while a typed loss compiled left no entry: Undo jumped to an older
    state and the runs were gone."""
    c, history = mine.controller, mine.history
    mine.apply_loss_text("(x-1)^2 + 2*(y+1)^2")  # (compiling: the removal comes first)
    assert c.applying_loss
    c.remove_run(1)
    assert len(history.stack) == 1
    mine.wait_idle()
    assert history.undo()
    mine.wait_idle()
    assert c.loss_text == "(x-1)^2 + 2*(y+1)^2" and len(c.runs) == 2


def test_a_check_of_typed_text_does_not_discard_a_preset_being_applied(mine):
    """Only the newest compile is delivered: a keystroke's check right after choosing Booth
    threw Booth's loss away (its run and name showed over the old loss)."""
    c = mine.controller
    mine.load_preset("booth")
    c.set_loss_text("x^2+y^2+1", apply=False)
    mine.wait_idle()
    assert c.loss_text == get_preset("booth").loss and not c.applying_loss


def test_undoing_an_open_gives_back_the_file_the_state_was(mine, tmp_path):
    """Open B, Undo: the window showed the state before, but kept B's name, and Ctrl+S
    wrote that older state over B."""
    import json

    sessions = mine.classroom.sessions
    a, b = tmp_path / "a.gdviz", tmp_path / "b.gdviz"
    assert sessions.save_to(str(a))
    b.write_text(json.dumps({"format": "gdviz-session", "version": 1,
                             "loss": "sin(w1)*w2*(1 - w2)", "domain": [[-4, 4], [-1.5, 2.5]],
                             "runs": []}), encoding="utf-8")
    b_before = b.read_text(encoding="utf-8")
    assert sessions.open_path(str(b), quiet=True)
    mine.wait_idle()
    assert sessions.path == str(b) and mine.windowTitle().startswith("b.gdviz")
    assert mine.history.undo()
    mine.wait_idle()
    assert mine.controller.loss_text == "x^2 + 3*y^2"
    assert sessions.path == str(a) and mine.windowTitle().startswith("a.gdviz")
    assert sessions.save()  # (Ctrl+S) writes a, not b
    assert b.read_text(encoding="utf-8") == b_before
    assert json.loads(a.read_text(encoding="utf-8"))["loss"] == "x^2 + 3*y^2"


def test_a_typed_loss_is_undone_and_redone(mine, user, qtbot):
    """Himmelblau chosen, x² + 3y² typed, a run tuned, Ctrl+Z: it went back to before the
    preset, the typed loss and the tuned run gone with no way back (no Redo)."""
    w, c = mine, mine.controller
    w.load_preset("himmelblau")
    w.wait_idle()
    user.type_loss("x^2 + 5*y^2")
    w.wait_idle()
    assert c.loss_text == "x^2 + 5*y^2"
    assert w.history.stack[-1][0] == "editing the loss"
    c.update_run(0, lr=0.0123)  # tuned after the loss was typed
    w.wait_idle()
    _press_undo(w)
    assert c.loss_text == get_preset("himmelblau").loss  # one step back: the preset's loss
    assert c.preset == "himmelblau"  # (its name was lost: cleared before the state was kept)
    assert w.menu_actions["redo"].isEnabled()
    assert w.menu_actions["redo"].text() == "&Redo editing the loss"
    w.activateWindow()
    QtTest.QTest.keyClick(w, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier
                          | QtCore.Qt.KeyboardModifier.ShiftModifier)
    w.wait_idle()
    assert c.loss_text == "x^2 + 5*y^2" and c.runs[0].spec.lr == 0.0123  # all of it back
    assert not w.menu_actions["redo"].isEnabled()
    _press_undo(w)
    _press_undo(w)  # and the preset, as before
    assert c.loss_text == "x^2 + 3*y^2" and _specs(w) == _specs_of(MINE)
    assert w.history.redo() and w.history.redo()  # (Ctrl+Y, the menu's Redo: the same)
    assert c.loss_text == "x^2 + 5*y^2"


def test_ctrl_z_in_the_loss_box_after_enter_undoes_the_loss(mine, user):
    """x² + 5y² typed, Enter, Ctrl+Z still in the box: it took back the typing only, the box
    showing the old loss beside the new loss's map. Typing since is the box's to undo first."""
    w, c = mine, mine.controller
    edit = w.loss_panel.edit
    w.activateWindow()
    assert QtTest.QTest.qWaitForWindowActive(w, 3000)
    user.type_loss("x^2 + 5*y^2")
    assert c.loss_text == "x^2 + 5*y^2" and edit.hasFocus()  # (still typing there)
    QtTest.QTest.keyClick(edit, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    w.wait_idle()
    assert c.loss_text == "x^2 + 3*y^2" and edit.text() == "x^2 + 3*y^2"
    QtTest.QTest.keyClick(edit, QtCore.Qt.Key.Key_Y, QtCore.Qt.KeyboardModifier.ControlModifier)
    w.wait_idle()
    assert c.loss_text == "x^2 + 5*y^2" and edit.text() == "x^2 + 5*y^2"
    edit.setFocus()
    edit.end(False)
    QtTest.QTest.keyClicks(edit, " + 1")  # typing since Enter: Ctrl+Z takes it back first
    QtTest.QTest.keyClick(edit, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    w.wait_idle()
    assert edit.text() == "x^2 + 5*y^2" and c.loss_text == "x^2 + 5*y^2"
    assert w.history.stack[-1][0] == "editing the loss"  # (nothing undone yet)


def test_ctrl_z_in_the_loss_box_while_the_loss_compiles_undoes_the_loss(mine, user):
    """Enter, then Ctrl+Z before the loss had compiled: the box's own undo put the old text
    back, and the new loss's map came beside it."""
    w, c = mine, mine.controller
    edit = w.loss_panel.edit
    w.activateWindow()
    assert QtTest.QTest.qWaitForWindowActive(w, 3000)
    user.type_loss("x^2 + 9*y^2", enter=False)
    QtTest.QTest.keyClick(edit, QtCore.Qt.Key.Key_Return)
    QtTest.QTest.keyClick(edit, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    w.wait_idle()
    assert (c.loss_text, edit.text()) == ("x^2 + 3*y^2", "x^2 + 3*y^2")
    user.type_loss("x^2 +", enter=False)  # (refused: Ctrl+Z takes back the typing)
    QtTest.QTest.keyClick(edit, QtCore.Qt.Key.Key_Return)
    w.wait_idle()
    QtTest.QTest.keyClick(edit, QtCore.Qt.Key.Key_Z, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert edit.text() != "x^2 +" and c.loss_text == "x^2 + 3*y^2"


def test_a_new_change_clears_redo_and_a_refused_loss_is_not_a_change(mine, user):
    w, c = mine, mine.controller
    user.type_loss("x^2 + 5*y^2")
    w.wait_idle()
    assert w.history.undo()
    w.wait_idle()
    assert w.history.redo_stack
    depth = len(w.history.stack)
    user.type_loss("sin(x")  # refused: nothing to undo
    w.wait_idle()
    assert len(w.history.stack) == depth and w.history.redo_stack
    user.type_loss("x^2 + 7*y^2")  # a change: what was undone cannot come back over it
    w.wait_idle()
    assert c.loss_text == "x^2 + 7*y^2" and not w.history.redo_stack


def _specs_of(specs):
    return [(s.optimizer, s.lr, tuple(s.start), s.steps, s.noise, s.schedule) for s in specs]


def test_undo_after_save_keeps_the_file_it_was_saved_as(mine, tmp_path):
    """Compare, Save as s1.gdviz, Ctrl+Z: the title dropped the file's name and Ctrl+S asked
    for one again; the state before the comparison is that file's, changed ("*")."""
    sessions = mine.classroom.sessions
    sessions.return_to(None)
    mine.classroom.compare.run()
    mine.wait_idle()
    saved = tmp_path / "s1.gdviz"
    assert sessions.save_to(str(saved))
    assert mine.history.undo()
    mine.wait_idle()
    assert sessions.path == str(saved) and mine.windowTitle().startswith("s1.gdviz")
    assert mine.isWindowModified()  # (the file holds the comparison)
    assert mine.history.redo()
    mine.wait_idle()
    assert sessions.path == str(saved) and not mine.isWindowModified()


def test_use_as_loss_lowers_a_diverging_eta_and_undo_brings_it_back(mine, qtbot):
    """Data reaching x = 8 kept the run's η = 0.1 on "Use as loss": gradient descent on its
    MSE diverges for η ≥ 0.042, and the line flew off at the first step. η is lowered (a
    note says so); Undo brings back the loss, the start and η."""
    from PySide6 import QtWidgets

    from gdviz.core.regression import stable_lr
    from gdviz.ui.derivatives.regression_pipeline import lowered_lr_note

    w, c = mine, mine.controller
    c.select(1)  # (the gradient-descent run, η = 0.1)
    before = _specs(w)
    w.derivatives.show()
    view = w.derivatives.views["Regression"]
    xs, ys = (0.0, 2.0, 5.0, 8.0), (1.0, 2.0, 3.5, 5.0)
    view.set_data(xs, ys)
    assert stable_lr(xs) < 0.1  # (the case: η = 0.1 would diverge)
    button = view.findChild(QtWidgets.QPushButton, "useRegressionButton")
    with qtbot.waitSignal(c.lossChanged, timeout=30000):
        qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)
    w.wait_idle()
    spec = c.runs[1].spec
    assert spec.lr < stable_lr(xs) and spec.lr == 0.02  # (a round number below half of it)
    assert view.hint.text() == lowered_lr_note(xs, 0.1, 0.02)
    assert w.statusBar().currentMessage().startswith("η lowered from 0.1 to 0.02")
    assert str(c.runs[1].trajectory.status) != "diverged"
    assert c.runs[0].spec.lr == 0.05  # (Adam's, not the selected run: as it was)
    assert w.history.undo()
    w.wait_idle()
    assert c.loss_text == "x^2 + 3*y^2" and _specs(w) == before
    # An η that converges is kept.
    c.update_run(1, lr=0.04)
    w.wait_idle()
    with qtbot.waitSignal(c.lossChanged, timeout=30000):
        qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)
    w.wait_idle()
    assert c.runs[1].spec.lr == 0.04
    # Data so wide that a converging η would be below the η box's least: η is kept (the
    # tab says the run diverged, and below which η it would not), not set out of range.
    view.set_data((0.0, 2000.0, 4000.0), (1.0, 2.0, 3.0))
    w.wait_idle()
    with qtbot.waitSignal(c.lossChanged, timeout=30000):
        qtbot.mouseClick(button, QtCore.Qt.MouseButton.LeftButton)
    w.wait_idle()
    assert c.runs[1].spec.lr == 0.04 and not view.hint.text().startswith("η lowered")


def test_points_thrown_away_from_data_not_yet_the_loss_come_back_with_undo(mine, qtbot):
    """Reset (and a click on a point) threw the user's own points away for good while the
    data was not the loss: Undo was greyed out (a QA round)."""
    w, c = mine, mine.controller
    w.derivatives.show()
    view = w.derivatives.views["Regression"]
    mine_xs, mine_ys = [0.0, 1.0, 2.0, 3.5], [1.0, 1.5, 2.5, 3.0]
    view.set_data(mine_xs, mine_ys)
    w.wait_idle()
    assert not view.active and not w.history.stack
    view._on_reset_clicked()
    w.wait_idle()
    assert view.data() != (mine_xs, mine_ys)
    assert w.history.stack and w.history.stack[-1][0] == "resetting the data points"
    assert w.history.undo()
    w.wait_idle()
    assert view.data() == (mine_xs, mine_ys) and c.loss_text == "x^2 + 3*y^2"
    # A point clicked away
    view._on_plot_clicked(3.5, 3.0, QtCore.Qt.MouseButton.LeftButton)
    assert len(view.data()[0]) == 3
    assert w.history.undo()
    w.wait_idle()
    assert view.data() == (mine_xs, mine_ys)
    # Reset of the default points themselves changes nothing: no step
    from gdviz.ui.derivatives.regression_view import DEFAULT_DATA

    view.set_data(*DEFAULT_DATA)
    depth = len(w.history.stack)
    view._on_reset_clicked()
    assert len(w.history.stack) == depth


def test_points_edited_on_data_that_is_the_loss_are_undone_by_name(mine, qtbot):
    """With the data as the loss, every point added or removed read "Undo using the data as
    the loss" in the Edit menu, and "Undone: using the data as the loss." after Ctrl+Z (a QA
    round): the step is named for the edit."""
    w, c = mine, mine.controller
    w.derivatives.show()
    view = w.derivatives.views["Regression"]
    view.set_data([0.0, 1.0, 2.0, 3.5], [1.0, 1.5, 2.5, 3.0])
    view._on_use_clicked()
    w.wait_idle()
    assert view.active and w.history.stack[-1][0] == "using the data as the loss"
    before = c.loss_text
    view._on_plot_clicked(1.0, 0.0, QtCore.Qt.MouseButton.LeftButton)  # (empty space)
    w.wait_idle()
    assert len(view.data()[0]) == 5 and c.loss_text != before
    assert w.history.stack[-1][0] == "adding a data point"
    assert w.history.undo()
    w.wait_idle()
    assert c.loss_text == before and len(view.data()[0]) == 4
    view._on_plot_clicked(3.5, 3.0, QtCore.Qt.MouseButton.LeftButton)  # (on a point)
    w.wait_idle()
    assert len(view.data()[0]) == 3 and w.history.stack[-1][0] == "removing a data point"
    view._on_reset_clicked()
    w.wait_idle()
    assert w.history.stack[-1][0] == "resetting the data points"
