"""The keys without a menu entry (gdviz.ui.menus.install_shortcuts): runs, speed and the
map's toggles, pressed as a user presses them (playback keys: test_playback.py)."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtTest, QtWidgets

Qt = QtCore.Qt


def test_g_cycles_the_field_arrows(window, user):
    user.focus_window()
    field = window.view_options.field
    seen = [field.currentData()]
    for _ in range(3):
        user.key(Qt.Key_G)
        seen.append(field.currentData())
    assert seen == ["negative", "gradient", "off", "negative"]

    def along_gradient():  # the drawn arrows · ∇f, where both are finite
        A, B, du, dv, _ = window.contour.field_drawn
        ga, gb = window.controller.loss.gradient(A, B)
        dot = du * ga + dv * gb
        return dot[np.isfinite(dot) & (np.hypot(ga, gb) > 1e-9)]

    assert (along_gradient() < 0).all()  # −∇f: downhill
    user.key(Qt.Key_G)
    assert (along_gradient() > 0).all()  # ∇f: uphill
    user.key(Qt.Key_G)
    assert window.contour.field_drawn == ()  # off


def test_l_switches_the_colour_scale_and_back(window, user):
    user.focus_window()
    before = window.log_shown
    user.key(Qt.Key_L)
    assert window.log_shown is (not before)
    user.key(Qt.Key_L)
    assert window.log_shown is before


def test_shift_l_puts_the_loss_plot_on_a_log_scale_and_back(window, user):
    """Presentation mode hides the View box, and with it the loss plot's "log scale": it
    could not be reached there."""
    user.focus_window()
    box, plot = window.view_options.loss_log, window.loss_plot
    before = box.isChecked()
    user.key(Qt.Key_L, Qt.ShiftModifier)
    assert box.isChecked() is (not before) and plot.log is (not before)
    user.key(Qt.Key_L, Qt.ShiftModifier)
    assert box.isChecked() is before and plot.log is before
    # typed in the loss box it is a capital L, not the key
    edit = window.loss_panel.edit
    edit.setFocus()
    text = edit.text()
    user.qtbot.keyClick(edit, Qt.Key_L, Qt.ShiftModifier)
    assert edit.text() != text and box.isChecked() is before
    edit.setText(text)


def test_a_and_e_toggle_the_arrows_and_equal_scales(window, user):
    user.focus_window()
    opts = window.view_options
    arrows, equal = opts.arrows.isChecked(), opts.equal.isChecked()
    user.key(Qt.Key_A)
    user.key(Qt.Key_E)
    assert opts.arrows.isChecked() is (not arrows)
    assert opts.equal.isChecked() is (not equal)


def test_f_fits_the_map_to_the_loss_again(window, user):
    user.focus_window()
    (a0, a1), (b0, b1) = window.controller.domain
    window.contour.fit(((a0 / 4, a1 / 4), (b0 / 4, b1 / 4)))  # zoomed in, as by the wheel
    user.key(Qt.Key_F)
    np.testing.assert_allclose(window.contour.visible_domain(), ((a0, a1), (b0, b1)))


def test_ctrl_n_adds_a_run_and_ctrl_delete_removes_it(window, user):
    user.focus_window()
    c = window.controller
    n = len(c.runs)
    user.key(Qt.Key_N, Qt.ControlModifier)
    assert len(c.runs) == n + 1
    user.key(Qt.Key_Delete, Qt.ControlModifier)
    assert len(c.runs) == n


def test_at_eight_runs_add_is_disabled_and_ctrl_n_says_why(window, user):
    from gdviz.ui.controller import MAX_RUNS

    user.focus_window()
    c = window.controller
    while len(c.runs) < MAX_RUNS:
        c.add_run()
    add = window.runs_panel.add_button
    assert not add.isEnabled() and str(MAX_RUNS) in add.toolTip()
    user.key(Qt.Key_N, Qt.ControlModifier)  # (it did nothing and said nothing)
    assert len(c.runs) == MAX_RUNS
    assert f"At most {MAX_RUNS} runs" in window.statusBar().currentMessage()
    c.remove_run(c.selected)
    assert add.isEnabled()


def test_space_ticks_a_box_reached_with_tab_but_plays_after_a_click(window, user, qtbot):
    from PySide6 import QtWidgets

    user.focus_window()
    c = window.controller
    box = window.findChild(QtWidgets.QCheckBox, "lossLogCheck")
    before = box.isChecked()
    box.setFocus(Qt.FocusReason.TabFocusReason)  # (as Tab reaches it)
    assert box.hasFocus()
    user.key(Qt.Key_Space)
    assert box.isChecked() != before and not c.playing  # (Space played; the box stayed)
    box.click()  # back as it was
    # A click leaves the focus where it was: Space then plays, not "Add run" again.
    user.focus_window()
    n = len(c.runs)
    qtbot.mouseClick(window.runs_panel.add_button, Qt.LeftButton)
    assert len(c.runs) == n + 1 and not window.runs_panel.add_button.hasFocus()
    user.key(Qt.Key_Space)
    assert c.playing and len(c.runs) == n + 1
    c.pause()
    c.remove_run(c.selected)


def test_brackets_change_the_speed(window, user):
    user.focus_window()
    speed = window.playback.speed
    start = speed.value()
    user.key(Qt.Key_BracketRight)
    faster = speed.value()
    user.key(Qt.Key_BracketLeft)
    user.key(Qt.Key_BracketLeft)
    assert faster > start > speed.value()


def test_f1_lists_every_key_the_window_answers_to(window, qtbot):
    # E, Esc and Ctrl+D worked but were missing from Help ▸ Keyboard shortcuts.
    from PySide6 import QtGui, QtWidgets

    from gdviz.ui.menu_tables import WINDOW_KEYS
    from gdviz.ui.menus import shortcut_rows

    listed = {k for _, keys in WINDOW_KEYS for seqs, *_ in keys for k in seqs}
    bound = {s.key().toString() for s in window.findChildren(QtGui.QShortcut)}
    assert bound and bound <= listed, bound - listed
    assert listed <= bound, listed - bound  # and nothing listed that does nothing
    rows = shortcut_rows(window.menu_actions)
    menu_keys = {action.shortcut().toString(QtGui.QKeySequence.NativeText)
                 for action in window.actions() if not action.shortcut().isEmpty()}
    shown = " ".join(keys for _, keys, _ in rows)
    assert all(keys in shown for keys in menu_keys), menu_keys
    assert any(text == "Derivatives panel" for *_, text in rows)
    assert all(text[0].isupper() for *_, text in rows)  # one style: "Play / pause"
    window.menu_actions["shortcuts"].trigger()
    box = window.findChild(QtWidgets.QDialog, "shortcutsDialog")
    qtbot.waitUntil(box.isVisible)
    for topic in ("Playback", "Loss and runs", "Map", "Menus"):
        assert f"<i>{topic}</i>" in box.label.text()
    # In two columns: in one, the list was taller than a 720-line screen in presentation
    # mode's large type (the OK button off the screen).
    from gdviz.ui.help_dialogs import shortcuts_html

    assert box.label.text() == shortcuts_html(rows)
    heights = []
    for columns in (1, 2):
        label = QtWidgets.QLabel(shortcuts_html(rows, columns))
        heights.append(label.sizeHint().height())
    assert heights[1] < 0.65 * heights[0], heights
    # One table per column, the topics' headings rows of it: a table per topic set each its
    # own key column, the descriptions ragged from one topic to the next.
    for columns in (1, 2):
        assert shortcuts_html(rows, columns).count("<table>") == columns + 1
    # the keys a student types, not the platform's dedicated ones ("Ctrl+Z or F14 or Undo")
    assert "F14" not in shown and "Zoom In" not in shown and " or Undo" not in shown
    assert "Ctrl+Shift+Z or Ctrl+Y" in shown
    box.close()


def test_f1_fits_a_small_screen(window, qtbot, monkeypatch):
    """In two columns the dialog was 1122 pixels wide (1551 in presentation mode): past the
    edge of an 800, 1024 or 1366 screen, its OK button out of reach."""
    from PySide6 import QtCore, QtWidgets

    class Screen:  # (an 800 × 600 screen's working area)
        @staticmethod
        def availableGeometry():
            return QtCore.QRect(0, 0, 800, 600)

    monkeypatch.setattr(window, "screen", lambda: Screen)
    window.menu_actions["shortcuts"].trigger()
    box = window.findChild(QtWidgets.QDialog, "shortcutsDialog")
    qtbot.waitUntil(box.isVisible)
    assert box.sizeHint().width() <= 800 and box.sizeHint().height() <= 600
    assert "<table><tr><td valign='top'" in box.label.text()
    assert box.label.text().count("<td valign='top'") == 1  # one column (wrapped: too thin)
    scroll = box.findChild(QtWidgets.QScrollArea, "shortcutsScroll")
    assert scroll.widget() is box.label  # (the rest scrolls)
    # Down, not sideways: its descriptions wrapped to the screen (Esc's ran off the edge
    # behind a sideways scroll bar in presentation mode's type at 1366 × 768: a QA round)
    assert "<br>" in box.label.text() and box.label.sizeHint().width() <= 800 - 60
    box.close()


def test_f1_keeps_two_columns_where_wrapped_descriptions_fit(window, qtbot, monkeypatch):
    """In presentation mode's type at 1920 pixels the two longest descriptions (the runs
    list's menu, Esc) made the list one column, Ctrl+PgDn below the fold; wrapped, two
    columns fit."""
    from PySide6 import QtCore, QtWidgets

    from gdviz.ui.help_dialogs import shortcuts_html
    from gdviz.ui.menus import shortcut_rows

    rows = shortcut_rows(window.menu_actions)
    wrapped = shortcuts_html(rows, 2, 30)
    assert "<br>" in wrapped
    whole = QtWidgets.QLabel(shortcuts_html(rows)).sizeHint().width()

    class Screen:  # (narrower than the two columns unwrapped, wide enough wrapped)
        @staticmethod
        def availableGeometry():
            return QtCore.QRect(0, 0, whole - 60, 1400)

    monkeypatch.setattr(window, "screen", lambda: Screen)
    window.menu_actions["shortcuts"].trigger()
    box = window.findChild(QtWidgets.QDialog, "shortcutsDialog")
    qtbot.waitUntil(box.isVisible)
    assert box.label.text().count("<td valign='top'") == 2 and "<br>" in box.label.text()
    assert box.label.sizeHint().width() <= whole - 60
    box.close()


def test_esc_cancels_what_is_typed_in_the_loss_box_and_a_spin_box(window, user, qtbot):
    from PySide6 import QtWidgets

    c = window.controller
    window.wait_idle()
    user.focus_window()  # (shortcuts answer in the active window)
    assert QtTest.QTest.qWaitForWindowActive(window, 3000)
    applied, preset = c.loss_text, c.preset
    edit = window.loss_panel.edit
    edit.setFocus()
    edit.selectAll()
    QtTest.QTest.keyClicks(edit, "w1^4 + w2^2")
    assert window.loss_panel.combo.currentData() == ""  # ("Custom" while typing)
    QtTest.QTest.keyClick(edit, Qt.Key_Escape)
    # (it kept the unapplied text beside the old loss's map)
    assert edit.text() == applied and c.loss_text == applied
    assert window.loss_panel.combo.currentData() == preset
    assert "cancelled" in window.statusBar().currentMessage()
    edit.setFocus()
    QtTest.QTest.keyClick(edit, Qt.Key_Z, Qt.ControlModifier)  # the typing comes back
    assert edit.text() == "w1^4 + w2^2"
    window.loss_panel.set_text(applied)
    # Esc just after Enter, the loss still compiling: not "cancelled" (it is applied)
    window.statusBar().clearMessage()
    edit.setFocus()
    edit.selectAll()
    QtTest.QTest.keyClicks(edit, "x^4 + y^4")
    QtTest.QTest.keyClick(edit, Qt.Key_Return)
    QtTest.QTest.keyClick(edit, Qt.Key_Escape)
    assert "cancelled" not in window.statusBar().currentMessage()
    window.wait_idle()
    assert c.loss_text == "x^4 + y^4" and edit.text() == "x^4 + y^4"
    window.apply_loss_text(applied)
    window.wait_idle()
    steps = window.findChild(QtWidgets.QSpinBox, "stepsSpin")
    before = c.runs[c.selected].spec.steps
    steps.setFocus()
    steps.lineEdit().selectAll()
    QtTest.QTest.keyClicks(steps, "7")
    QtTest.QTest.keyClick(steps, Qt.Key_Escape)  # (it applied 7: the opposite of cancel)
    QtWidgets.QApplication.processEvents()
    assert c.runs[c.selected].spec.steps == before and steps.value() == before


def test_a_text_box_keeps_its_editing_chords(window, user, qtbot):
    """With the cursor in the loss box, Ctrl+K ran Compare (every run replaced) and Ctrl+Del
    removed the selected run, the text left as it was; in the learning-rate box too."""
    c = window.controller
    c.add_run()
    window.wait_idle()
    user.focus_window()
    assert QtTest.QTest.qWaitForWindowActive(window, 3000)
    runs = [r.spec for r in c.runs]
    edit = window.loss_panel.edit
    edit.setFocus()
    edit.setText("x^2 + y^2")
    edit.setCursorPosition(3)
    QtTest.QTest.keyClick(edit, QtCore.Qt.Key.Key_K, QtCore.Qt.KeyboardModifier.ControlModifier)
    assert edit.text() == "x^2"  # (deleted to the end of the line)
    edit.setText("x^2 + y^2")
    edit.setCursorPosition(0)
    QtTest.QTest.keyClick(edit, QtCore.Qt.Key.Key_Delete,
                          QtCore.Qt.KeyboardModifier.ControlModifier)
    assert edit.text() != "x^2 + y^2"  # (a word deleted)
    lr = window.findChild(QtWidgets.QAbstractSpinBox, "learningRateSpin")
    lr.setFocus()
    QtTest.QTest.keyClick(lr, QtCore.Qt.Key.Key_Delete,
                          QtCore.Qt.KeyboardModifier.ControlModifier)
    window.wait_idle()
    assert [r.spec for r in c.runs] == runs  # nothing compared, nothing removed
    window.contour.setFocus()  # outside a box the shortcut works, as before
    QtTest.QTest.keyClick(window, QtCore.Qt.Key.Key_Delete,
                          QtCore.Qt.KeyboardModifier.ControlModifier)
    assert len(c.runs) == len(runs) - 1


def test_redo_answers_to_every_binding_of_the_platform(window):
    """On Windows' key scheme QKeySequence(StandardKey.Redo) is Ctrl+Y alone: with Ctrl+Y
    added again the two were ambiguous (neither worked) and Ctrl+Shift+Z was not bound."""
    from PySide6 import QtGui

    keys = [k.toString() for k in window.menu_actions["redo"].shortcuts()]
    assert len(keys) == len(set(keys)) and {"Ctrl+Y", "Ctrl+Shift+Z"} <= set(keys)
    redo = QtGui.QKeySequence.keyBindings(QtGui.QKeySequence.StandardKey.Redo)
    assert {k.toString() for k in redo} <= set(keys)


def test_f1_lists_each_menu_key_under_its_menu(window):
    """Every menu key was listed under one "Menus" topic: a student could not tell which
    menu held Ctrl+B or where to look for it."""
    from gdviz.ui.menus import shortcut_rows

    topics = {text: topic for topic, _keys, text in shortcut_rows(window.menu_actions)}
    assert topics["Undo"] == "Edit menu", topics
    assert topics["Open session"] == "File menu", topics
    assert topics["Derivatives panel"] == "View menu", topics
    assert topics["Open the menus (presentation mode hides their bar)"] == "Menus"
    # the menus in the bar's order (the Derivatives panel's action, first, put View first)
    order = list(dict.fromkeys(topic for topic in topics.values() if topic.endswith(" menu")))
    bar = [a.text().replace("&", "") + " menu" for a in window.menuBar().actions()]
    assert order == [topic for topic in bar if topic in order], (order, bar)
    for action in window.menu_actions.values():
        text = action.iconText().replace("&", "").rstrip("…")
        if text in topics and text != "Undo" and text != "Redo":
            menu = next(o for o in action.associatedObjects()
                        if o.metaObject().className() == "QMenu")
            assert topics[text].startswith(menu.title().replace("&", "")), (text, topics)


def test_f1_lists_an_action_in_no_menu_under_menus(window):
    """An action with a key in no titled menu (made by code, not the menu bar) raised
    AttributeError where F1 looked for its menu."""
    from PySide6 import QtGui

    from gdviz.ui.menus import shortcut_rows

    lone = QtGui.QAction("Lone", window)
    lone.setShortcut(QtGui.QKeySequence("Ctrl+J"))
    assert ("Menus", "Ctrl+J", "Lone") in shortcut_rows({"lone": lone})


def test_f1_names_undo_as_undo_whatever_it_would_undo(window):
    """The keys' list took Undo's menu text, "Undo choosing the preset Linear regression:
    MSE over slope w1 and intercept w2", which widened the dialog; the menu keeps it."""
    from gdviz.ui.menus import shortcut_rows

    window.load_preset("linear_regression")
    window.wait_idle()
    undo = window.menu_actions["undo"]
    assert "choosing the preset" in undo.text()
    texts = {keys: text for _, keys, text in shortcut_rows(window.menu_actions)}
    assert texts["Ctrl+Z"] == "Undo", texts
    assert texts["Ctrl+Shift+Z or Ctrl+Y"] == "Redo", texts


def test_esc_before_a_typed_check_or_a_sent_text_is_refused_leaves_no_error(window, user,
                                                                              qtbot):
    """Esc while the text typed was being checked put the loss back, but the check's late
    verdict left its error in red under it; Esc while a text sent with Enter was checked
    only left the box, the refused text staying in it with nothing said."""
    c = window.controller
    window.wait_idle()
    user.focus_window()
    applied = c.loss_text
    edit, panel = window.loss_panel.edit, window.loss_panel
    # A check on its way (as the box's timer sends it), then Esc.
    edit.setFocus()
    edit.selectAll()
    QtTest.QTest.keyClicks(edit, applied + " + sinn(w1)")
    panel._timer.stop()
    c.set_loss_text(edit.text(), apply=False)
    window.escape()
    assert edit.text() == applied
    window.wait_idle()
    qtbot.wait(50)
    assert panel.error.isHidden() and panel.error.text() == ""
    # Sent with Enter, then Esc while it is checked: put back once refused.
    edit.setFocus()
    edit.selectAll()
    QtTest.QTest.keyClicks(edit, "sinn(w1)")
    QtTest.QTest.keyClick(edit, Qt.Key_Return)
    assert c.applying_loss
    window.escape()
    window.wait_idle()
    qtbot.waitUntil(lambda: edit.text() == applied, timeout=3000)
    assert c.loss_text == applied and panel.error.isHidden()
    assert "cancelled" in window.statusBar().currentMessage()
    # A valid text sent and Esc'd is applied all the same (Esc came too late to cancel it).
    edit.setFocus()
    edit.selectAll()
    QtTest.QTest.keyClicks(edit, "w1^2 + 2*w2^2")
    QtTest.QTest.keyClick(edit, Qt.Key_Return)
    window.escape()
    window.wait_idle()
    assert c.loss_text == "w1^2 + 2*w2^2" and not panel.cancel_when_refused
