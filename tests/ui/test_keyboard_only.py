"""The whole window by keyboard alone (gdviz.ui.key_owner, gdviz.ui.menus): a focused control
keeps the keys it uses, Space plays from the start, lecture tabs switch from anywhere, the Tab
order holds only controls, menus and dialogs read well."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gdviz.ui.canvas.plot_canvas import PlotCanvas

Qt = QtCore.Qt


def _activate(window, qtbot) -> None:
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is window, timeout=3000)
    QtWidgets.QApplication.processEvents()


def test_space_plays_from_the_first_moment(window, qtbot):
    """On launch Qt gave the focus to the first Tab stop, the playback bar's Reset button:
    Space reset (nothing to see at k = 0) instead of playing."""
    _activate(window, qtbot)
    focus = QtWidgets.QApplication.focusWidget()
    assert not isinstance(focus, QtWidgets.QAbstractButton), focus
    qtbot.keyClick(focus or window, Qt.Key.Key_Space)
    assert window.controller.playing
    window.controller.pause()


def test_a_focused_control_hidden_leaves_the_focus_with_the_window(window, qtbot):
    """Ctrl+D with the lecture tabs' bar focused, or presentation mode tucking away the
    focused Noise box: Qt passed the focus to the next Tab stop, the playback bar's Reset
    button, and Space reset playback (k 20 → 0) instead of playing it."""
    _activate(window, qtbot)
    c = window.controller
    window.derivatives.tabs.tabBar().setFocus()
    c.set_iteration(20)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not window.derivatives.isVisible()
    focus = QtWidgets.QApplication.focusWidget()
    assert focus is window, focus
    qtbot.keyClick(focus, Qt.Key.Key_Space)
    assert c.playing and c.iteration >= 20
    c.pause()
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # (back)
    window.runs_panel.noise.setFocus()
    window.menu_actions["presentation"].trigger()
    assert QtWidgets.QApplication.focusWidget() is window
    window.menu_actions["presentation"].trigger()
    # (a Tab from a control still shown goes where Tab goes)
    window.runs_panel.lr.setFocus()
    qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QtWidgets.QApplication.focusWidget() is not window


def test_tab_leaves_the_compare_table(window, qtbot):
    """Tab, Shift+Tab and Ctrl+Tab went round the Compare table's cells for ever (only Esc
    got out); the arrows move between its rows."""
    _activate(window, qtbot)
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    table = window.findChild(QtWidgets.QTableWidget, "compareTable")
    assert not table.tabKeyNavigation()
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QtWidgets.QApplication.focusWidget() is not table
    assert not any(view.tabKeyNavigation()
                   for view in window.findChildren(QtWidgets.QAbstractItemView))


def test_a_focused_control_keeps_its_keys(window, qtbot):
    """The arrows, Home/End and PgUp/PgDn stepped playback even in the h → 0 slider (only
    Up/Down moved it), the dial and the tab bar; "a" in the optimizer box toggled the
    map's arrows instead of choosing Adam."""
    c = window.controller
    c.set_iteration(5)
    _activate(window, qtbot)
    window.derivatives.build_tabs()
    limit = window.derivatives.views["h → 0"]
    window.derivatives.tabs.setCurrentWidget(window.derivatives.tabs.widget(1))
    QtWidgets.QApplication.processEvents()
    slider = limit.slider
    slider.setFocus()
    before = slider.value()
    for key in (Qt.Key.Key_Right, Qt.Key.Key_PageUp, Qt.Key.Key_End):
        qtbot.keyClick(slider, key)
    assert slider.value() == slider.maximum() and slider.value() != before
    assert c.iteration == 5  # (playback did not move)
    # the lecture tab bar: ← / → switch tabs
    bar = window.derivatives.tabs.tabBar()
    bar.setFocus()
    qtbot.keyClick(bar, Qt.Key.Key_Right)
    assert window.derivatives.tabs.currentIndex() == 2 and c.iteration == 5
    # a drop-down: type to choose
    combo = window.runs_panel.findChild(QtWidgets.QComboBox, "optimizerCombo")
    arrows = window.view_options.arrows.isChecked()
    combo.setFocus()
    qtbot.keyClicks(combo, "adam")
    assert combo.currentText() == "Adam" and window.view_options.arrows.isChecked() == arrows
    qtbot.keyClick(combo, Qt.Key.Key_Home)  # (the list's first, not playback's start)
    assert combo.currentIndex() == 0 and c.iteration == 5
    # ... but ← / →, which a list does not use, step playback (they were lost: nothing moved)
    qtbot.keyClick(combo, Qt.Key.Key_Right)
    assert c.iteration == 6 and combo.currentIndex() == 0
    qtbot.keyClick(combo, Qt.Key.Key_Left)
    assert c.iteration == 5
    # elsewhere the keys still step playback
    window.contour.setFocus()
    qtbot.keyClick(window.contour, Qt.Key.Key_Right)
    assert c.iteration == 6


def test_lecture_tabs_switch_from_anywhere(window, qtbot):
    """From the map or the loss box no key switched the lecture tabs (24 Tab presses reached
    the tab bar)."""
    _activate(window, qtbot)
    tabs = window.derivatives.tabs
    start = tabs.currentIndex()
    window.contour.setFocus()
    qtbot.keyClick(window.contour, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == (start + 1) % tabs.count()
    qtbot.keyClick(window.contour, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == start
    # with Compare's table a tab in front of them (a short window), they come to the front
    window.resize(1280, 700)
    QtWidgets.QApplication.processEvents()
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    dock = window.classroom.compare.dock
    if dock in window.tabifiedDockWidgets(window.derivatives):
        qtbot.waitUntil(lambda: window.derivatives.visibleRegion().isEmpty(), timeout=3000)
        qtbot.keyClick(window.contour, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not window.derivatives.visibleRegion().isEmpty(), timeout=3000)


def test_the_tab_order_holds_only_controls(window, qtbot):
    """Plots, the readouts, the window and scroll areas were Tab stops with no keys of their
    own and no focus shown (7 of 36)."""
    _activate(window, qtbot)
    window.loss_panel.edit.setFocus()
    seen = []
    for _ in range(80):
        window.focusNextChild()
        QtWidgets.QApplication.processEvents()
        focus = QtWidgets.QApplication.focusWidget()
        if focus is None or focus in seen:
            break
        seen.append(focus)
    assert len(seen) > 10
    stray = [w.objectName() or type(w).__name__ for w in seen
             if isinstance(w, PlotCanvas | QtWidgets.QScrollArea | QtWidgets.QMainWindow)
             and w.objectName() != "slicePlot"]  # (its point moves with ← / →)
    assert not stray, stray


def test_tab_reads_the_window_from_the_top_left(window, qtbot):
    """The first Tab from the window went to the playback bar at the bottom (Reset, Back,
    Play, …), then the preset and the loss: now the sidebar top to bottom, then the playback
    bar, then the lecture tabs."""
    _activate(window, qtbot)
    window.setFocus()
    order = []
    for _ in range(80):
        qtbot.keyClick(QtWidgets.QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        name = QtWidgets.QApplication.focusWidget().objectName()
        if name in order:
            break
        order.append(name)
    assert order[:2] == ["presetCombo", "lossEdit"], order
    bar = [order.index(n) for n in ("resetButton", "playButton", "iterationSlider")]
    assert order.index("fitButton") < min(bar) and bar == sorted(bar), order
    assert max(bar) < order.index("qt_tabwidget_tabbar"), order


def test_menus_read_each_shortcut_once_and_each_letter_once(window):
    """"Make all text larger (Ctrl++) (Ctrl++)"; "&Derivatives panel" and "&Dark theme"
    shared D in the View menu."""
    for action in window.menu_actions.values():
        keys = action.shortcut().toString(QtGui.QKeySequence.SequenceFormat.NativeText)
        if keys:
            tip = action.toolTip()  # ("(Ctrl+Shift+Z / Ctrl+Y)": every key typed, once)
            assert tip.count(keys) == 1 and tip.endswith(")"), tip
    for menu in window.menuBar().findChildren(QtWidgets.QMenu):
        letters = [a.text().split("&")[1][0].lower() for a in menu.actions()
                   if "&" in a.text() and not a.isSeparator()]
        assert len(letters) == len(set(letters)), (menu.title(), letters)


def test_enter_closes_the_error_dialog(window, qtbot):
    """Focus was on "Show Details…" and there was no default button: Enter unfolded the
    details."""
    from gdviz.ui.crash_dialog import show_error_dialog

    box = show_error_dialog("boom", "details", window)
    qtbot.addWidget(box)
    assert box.defaultButton() is box.button(QtWidgets.QMessageBox.StandardButton.Close)
    box.close()


def test_f10_opens_the_menus_presentation_mode_hides(window, qtbot):
    """In presentation mode the menu bar is hidden: the dark theme, the exports and About
    had no way in."""
    _activate(window, qtbot)
    p = window.classroom.presentation
    p.enter()
    try:
        qtbot.waitUntil(lambda: not window.menuBar().isVisible(), timeout=3000)
        window.contour.setFocus()
        qtbot.keyClick(window.contour, Qt.Key.Key_F10)
        assert window.menuBar().isVisible()
        qtbot.waitUntil(lambda: window.menuBar().activeAction() is not None, timeout=3000)
        qtbot.keyClick(window.menuBar(), Qt.Key.Key_Escape)  # (the menu closes, one item
        qtbot.waitUntil(lambda: not window.menuBar().isVisible(), timeout=3000)  # highlighted)
    finally:
        p.leave()
    assert window.menuBar().isVisible()


def test_the_slice_point_moves_by_keyboard(window, qtbot):
    """The Slice tab's examined point moved with the mouse only: ← / → move it a hundredth
    of the range (Shift: a tenth), with the plot focused by Tab, its focus shown."""
    _activate(window, qtbot)
    window.derivatives.build_tabs()
    window.derivatives.tabs.setCurrentIndex(0)
    view = window.derivatives.views["Slice"]
    QtWidgets.QApplication.processEvents()
    plot = view.plot_widget
    assert plot.focusPolicy() & Qt.FocusPolicy.TabFocus
    plot.setFocus()
    k = window.controller.iteration
    x0 = view.examined_point()[0]
    lo, hi = window.controller.domain[0]
    qtbot.keyClick(plot, Qt.Key.Key_Right)
    assert abs(view.examined_point()[0] - (x0 + (hi - lo) / 100)) < 1e-9
    qtbot.keyClick(plot, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert abs(view.examined_point()[0] - (x0 + (hi - lo) / 100 - (hi - lo) / 10)) < 1e-9
    assert window.controller.iteration == k  # (playback did not step)
    # F1 lists these keys (they were in no list)
    from gdviz.ui.menus import shortcut_rows

    assert any("Slice plot" in keys and "examined point" in text
               for _topic, keys, text in shortcut_rows(window.menu_actions))
    # the focus frame: the highlight colour along the plot's edge
    image = plot.grab().toImage()
    edge = {QtGui.QColor(image.pixel(x, 1)).name() for x in range(5, image.width() - 5, 7)}
    assert plot.palette().highlight().color().name() in edge


def test_tooltips_say_which_start_and_every_key(window, qtbot):
    """The two Start boxes had one tooltip between them; Redo's named Ctrl+Shift+Z, not the
    Ctrl+Y it answers too; Remove, disabled with one run, and Ctrl+Del said nothing."""
    panel = window.runs_panel
    first, second = (panel.start[i].toolTip() for i in range(2))
    assert first != second and "first variable" in first and "second variable" in second
    # (the variables by name too, as the map's axes write them)
    assert "variable, w1 (" in first and "variable, w2 (" in second
    redo = window.menu_actions["redo"].toolTip()
    assert "Ctrl+Y" in redo and "Ctrl+Shift+Z" in redo, redo
    assert "F2" in panel.list.toolTip() and "Shift+F10" in panel.list.toolTip()
    assert len(window.controller.runs) == 1 and not panel.remove_button.isEnabled()
    assert "last run stays" in panel.remove_button.toolTip()
    _activate(window, qtbot)
    qtbot.keyClick(window, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert "The last run stays" in window.statusBar().currentMessage()
    assert len(window.controller.runs) == 1
    panel.add_button.click()
    assert panel.remove_button.isEnabled() and "Ctrl+Delete" in panel.remove_button.toolTip()
    assert "Ctrl+N" in panel.add_button.toolTip()
    # (the loss box's clear button was the one visible control without a tooltip)
    # (a screen reader said only the value of these: "exact (symbolic)")
    for name in ("gradientCombo", "scheduleCombo", "fieldCombo", "colorScaleCombo",
                 "optimizerCombo", "presetCombo", "learningRateSpin", "stepsSpin"):
        assert window.findChild(QtWidgets.QWidget, name).accessibleName(), name
    # (every function a loss may use: it named 8 of 17)
    from gdviz.core.parse_hints import KNOWN_FUNCTIONS

    assert KNOWN_FUNCTIONS in window.loss_panel.edit.toolTip()
    clear = window.loss_panel.edit.findChildren(QtGui.QAction)
    assert clear and all("Clear the box" in a.toolTip() for a in clear)
