"""Edit ▸ Undo (Ctrl+Z): runs replaced by a preset, Compare, Remove or an opened session come
back, with their loss."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtTest

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
