"""The window's menus, their actions and its keyboard shortcuts.

:func:`install_shortcuts` adds the keys that have no menu entry (playback, the map's toggles);
:func:`install_menus` builds File, View, Tools and Help with every action named in
``window.menu_actions`` (a dict); :func:`gdviz.ui.classroom.install_classroom` connects the
actions that need the classroom features. Every action is also added to the window itself, so
its shortcut works while the menu bar is hidden (presentation mode). The actions and keys
themselves are listed in :mod:`gdviz.ui.menu_tables`.
"""

from __future__ import annotations

from gdviz.ui.dock_room import show_controls
from gdviz.ui.key_owner import FocusKeeper, KeyOwner, no_tab_stop, own_keys
from gdviz.ui.loss_panel import CANCELLED_NOTE
from gdviz.ui.menu_tables import ACTIONS, FOCUSED_KEYS, WINDOW_KEYS
from gdviz.ui.qt import QtCore, QtGui, QtWidgets
from gdviz.ui.run import MAX_RUNS

Key = QtGui.QKeySequence

def install_menus(window: QtWidgets.QMainWindow) -> dict[str, QtGui.QAction]:
    """Create the menu bar of ``window`` (a MainWindow) and return its actions by name.

    The actions are also stored as ``window.menu_actions``; the Open Recent submenu is
    ``window.recent_menu`` (filled by the session manager when it opens).
    """
    bar = window.menuBar()
    menus: dict[str, QtWidgets.QMenu] = {}
    actions: dict[str, QtGui.QAction] = {}

    def menu(path: str) -> QtWidgets.QMenu:
        if path not in menus:
            parent, _, name = path.rpartition("/")
            holder = menu(parent) if parent else bar
            menus[path] = holder.addMenu("&" + name)
            menus[path].setToolTipsVisible(True)
        return menus[path]

    for key, path, text, shortcuts, tip, checkable in ACTIONS:
        m = menu(path)
        if key == "save":
            window.recent_menu = m.addMenu("Open &Recent")
            window.recent_menu.setObjectName("recentMenu")
            window.recent_menu.setToolTipsVisible(True)
        if key == "quit":
            m.addSeparator()
        action = QtGui.QAction(text, window)
        action.setObjectName(f"{key}Action")
        action.setShortcuts(_bindings(shortcuts))
        action.setShortcutContext(QtCore.Qt.WindowShortcut)
        # (each key a student types, once: Redo's tip named Ctrl+Shift+Z, not the Ctrl+Y it
        # has too; not a keyboard's own Open or Undo key)
        keys = [k.toString(Key.NativeText) for k in action.shortcuts()]
        shown = " / ".join(dict.fromkeys(keys[:1] + [k for k in keys[1:] if "Ctrl+" in k]))
        action.setToolTip(f"{tip} ({shown})" if shown else tip)
        action.setStatusTip(tip)
        action.setCheckable(checkable)
        m.addAction(action)
        window.addAction(action)
        actions[key] = action
        if key in ("save_as", "smaller", "compare"):
            m.addSeparator()
    menus["File/Export"].menuAction().setStatusTip("Save pictures and clips of the views")
    window.recent_menu.menuAction().setStatusTip("Open a recently used session")
    actions["quit"].triggered.connect(window.close)
    # (window.menu_actions when shown: the Derivatives panel's action joins it later)
    actions["shortcuts"].triggered.connect(lambda: _help("show_shortcuts", window))
    actions["about"].triggered.connect(lambda: _help("show_about", window))
    window.menu_actions = actions
    window.menus = menus
    return actions


def _help(name: str, window) -> None:
    """Help ▸ Keyboard shortcuts and About (:mod:`gdviz.ui.help_dialogs`, loaded on use)."""
    from gdviz.ui import help_dialogs

    if name == "show_shortcuts":
        help_dialogs.show_shortcuts(window, window.menu_actions)
    else:
        help_dialogs.show_about(window)


def shortcut_rows(actions: dict[str, QtGui.QAction]) -> list[tuple[str, str, str]]:
    """(topic, keys, what they do) for the window's keys and every menu action with a
    shortcut (the Derivatives panel's among them)."""
    rows = [(topic, shown, text) for topic, keys in WINDOW_KEYS for _, shown, text in keys]
    rows += FOCUSED_KEYS
    menu_rows = []
    for action in actions.values():
        keys = " or ".join(k.toString(Key.NativeText) for k in action.shortcuts()
                           if _typed_keys(k))
        if keys:
            # (its short name: Undo's text names what it undoes, "Undo choosing the preset
            # Linear regression: MSE over slope w1 and intercept w2", and widened the list)
            place, topic = _menu_topic(action)
            menu_rows.append((place, (topic, keys, action.iconText().replace("&", "")
                                      .rstrip("…"))))
    # (the menus in the bar's order: the Derivatives panel's action, first in the list,
    # put the View menu before File)
    return rows + [row for _, row in sorted(menu_rows, key=lambda item: item[0])]


def _menu_topic(action: QtGui.QAction) -> tuple[int, str]:
    """The topic an action's keys are listed under, its menu's ("View menu" or "File ▸ Export
    menu": all under one "Menus" a student could not tell where Ctrl+B sat), and the place
    of that menu in the menu bar."""
    def menu_of(item: QtGui.QAction) -> QtWidgets.QMenu | None:
        # (a titled one: F10's untitled pop-up holds the menus too)
        return next((o for o in item.associatedObjects()
                     if isinstance(o, QtWidgets.QMenu) and o.title()), None)

    names: list[str] = []
    holder, top = menu_of(action), None
    while holder is not None and len(names) < 4:
        names.insert(0, holder.title().replace("&", ""))
        holder, top = menu_of(holder.menuAction()), holder
    bar = top.parentWidget() if top is not None else None
    bar_actions = bar.actions() if isinstance(bar, QtWidgets.QMenuBar) else []
    place = (bar_actions.index(top.menuAction())
             if top is not None and top.menuAction() in bar_actions else 99)
    return place, f"{' ▸ '.join(names)} menu" if names else "Menus"


def _typed_keys(sequence: QtGui.QKeySequence) -> bool:
    """Keys a student types: with Ctrl, Alt or Shift, or F1 … F12; not the platform's
    dedicated keys that the standard bindings add ("Ctrl+Z or F14 or Undo", "Zoom In")."""
    if sequence.isEmpty():
        return False
    combo = sequence[0]
    if combo.keyboardModifiers() != QtCore.Qt.KeyboardModifier.NoModifier:
        return True
    return QtCore.Qt.Key.Key_F1.value <= combo.key().value <= QtCore.Qt.Key.Key_F12.value


def focus_by_keyboard(root: QtWidgets.QWidget) -> None:
    """Buttons, tick boxes and combo boxes in ``root`` take the focus from Tab, not from a
    click (see :func:`install_shortcuts`'s Space)."""
    for kind in (QtWidgets.QAbstractButton, QtWidgets.QComboBox):
        for widget in root.findChildren(kind):
            if widget.focusPolicy() & QtCore.Qt.FocusPolicy.ClickFocus:
                widget.setFocusPolicy(QtCore.Qt.FocusPolicy.TabFocus)


TURN, TILT, ZOOM = 15.0, 10.0, 1.25
"""The 3D view's keys: degrees about the surface, degrees up or down, and the distance's
factor a step (:func:`move_camera`)."""


def move_camera(surface, farther: float, up: float, around: float) -> None:
    """Move the 3D view's camera ``farther`` times as far, ``up`` degrees higher and
    ``around`` degrees about the surface (within what it can show: see ``set_camera``)."""
    camera = surface.camera()
    surface.set_camera(camera["distance"] * farther, camera["elevation"] + up,
                       camera["azimuth"] + around)


def install_shortcuts(window) -> None:
    """The keys without a menu entry: playback, speed, the loss box, runs and the map's
    toggles (listed in the README and in Help → Keyboard shortcuts)."""
    c = window.controller
    opts = window.view_options

    def add(keys, slot) -> None:
        QtGui.QShortcut(QtGui.QKeySequence(keys), window).activated.connect(slot)

    def space() -> None:
        # Space plays/pauses, but a focused button or tick box keeps Space's usual meaning:
        # keyboard users could not tick "log scale" or press "Add run".
        focus = QtWidgets.QApplication.focusWidget()
        if isinstance(focus, QtWidgets.QAbstractButton) and focus.isEnabled():
            focus.click()
        elif isinstance(focus, QtWidgets.QComboBox):
            focus.showPopup()
        else:
            c.toggle_play()

    add(QtCore.Qt.Key_Space, space)
    # Buttons, tick boxes and combo boxes take the focus from Tab only: a click leaves it
    # where it was, so Space after clicking "Add run" plays (it would add another run).
    # (After the first frame: finding them all made their Python objects, 3.6 ms.)
    window.startup.add("keyboard focus", lambda: focus_by_keyboard(window))
    window.derivatives.built.connect(lambda: focus_by_keyboard(window.derivatives))
    add(QtCore.Qt.Key_Right, lambda: (c.pause(), c.step_forward()))
    add(QtCore.Qt.Key_Left, lambda: (c.pause(), c.step_back()))
    add(QtCore.Qt.Key_Home, c.reset)
    add(QtCore.Qt.Key_End, lambda: c.set_iteration(c.max_iteration))
    # (PgDn on, as Ctrl+PgDn is the next tab and a presentation clicker's "next" is PgDn:
    # it walked the descent backwards)
    add(QtCore.Qt.Key_PageDown, lambda: c.set_iteration(c.iteration + 10))
    add(QtCore.Qt.Key_PageUp, lambda: c.set_iteration(c.iteration - 10))
    add("]", lambda: window.playback.speed.setValue(min(120, int(c.speed * 1.5) + 1)))
    add("[", lambda: window.playback.speed.setValue(max(1, int(c.speed / 1.5))))
    add("Ctrl+L", lambda: (show_controls(window), window.loss_panel.edit.setFocus(),
                           window.loss_panel.edit.selectAll()))
    add("Ctrl+P", lambda: (show_controls(window), window.loss_panel.combo.showPopup()))
    add("Ctrl+N", lambda: c.add_run() >= 0 or window.statusBar().showMessage(
        f"At most {MAX_RUNS} runs: remove one to add another.", 5000))
    add("Ctrl+Delete", lambda: c.remove_run(c.selected) if len(c.runs) > 1 else
        window.statusBar().showMessage("The last run stays: add another (Ctrl+N) first.", 5000))
    add("F", window.fit_map)
    add("G", lambda: opts.field.setCurrentIndex((opts.field.currentIndex() + 1) % 3))
    add("L", lambda: opts.log.setCurrentIndex(1 if window.log_shown else 2))
    add("A", opts.arrows.toggle)
    add("E", opts.equal.toggle)
    add("R", window.surface.reset_camera)
    for keys, turn in (("Alt+Left", (1.0, 0.0, -TURN)), ("Alt+Right", (1.0, 0.0, TURN)),
                       ("Alt+Up", (1.0, TILT, 0.0)), ("Alt+Down", (1.0, -TILT, 0.0)),
                       ("Alt+PgUp", (1 / ZOOM, 0.0, 0.0)), ("Alt+PgDown", (ZOOM, 0.0, 0.0))):
        add(keys, lambda t=turn: move_camera(window.surface, *t))
    add("Shift+L", opts.loss_log.toggle)
    add("Escape", window.escape)
    add("F10", lambda: show_menus(window))
    add("Ctrl+PgDown", lambda: next_lecture_tab(window, 1))
    add("Ctrl+PgUp", lambda: next_lecture_tab(window, -1))
    # A focused slider, dial, spin box, tree, tab bar or drop-down keeps the keys it uses
    owner = window._key_owner = KeyOwner(window, lambda: _presenting(window))
    own_keys(window, owner)
    window.derivatives.built.connect(lambda: own_keys(window.derivatives, owner))
    # The window takes the focus (Esc gives it back to it) by a click, not as a Tab stop; and
    # it has it first: on launch Qt gave it to the first Tab stop, the playback bar's Reset
    # button, where Space reset instead of playing.
    window.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)
    no_tab_stop(window.contour, window.loss_plot, window.readouts)
    window.setFocus()
    window.focus_keeper = FocusKeeper(window)  # (nor on Reset where a focused control hides)


def _presenting(window) -> bool:
    """Whether the window is in presentation mode (not building the classroom to ask)."""
    classroom = getattr(window, "_classroom", None)
    return classroom is not None and classroom.presentation.active


def show_menus(window) -> None:
    """F10: show (hide) the menu bar that presentation mode hides, and open its first menu:
    the dark theme, exports and About had no other way in there."""
    bar = window.menuBar()
    presenting = window.classroom.presentation.active
    if bar.isVisible() and presenting:
        bar.hide()
        return
    bar.show()
    bar.setActiveAction(bar.actions()[0])
    if presenting and not getattr(bar, "_hides_again", False):
        bar._hides_again = True  # (in presentation mode it goes once its menu is closed)

        def closed() -> None:  # (Esc leaves the bar's item highlighted: not a menu open)
            if window.classroom.presentation.active and not any(
                    a.menu() is not None and a.menu().isVisible() for a in bar.actions()):
                bar.hide()

        for action in bar.actions():
            if action.menu() is not None:
                action.menu().aboutToHide.connect(lambda: QtCore.QTimer.singleShot(0, closed))


def next_lecture_tab(window, step: int) -> None:
    """Show the lecture tab ``step`` after (before) the shown one, and the dock if hidden
    (Ctrl+PgDn / Ctrl+PgUp from anywhere: from outside the dock no key switched them)."""
    dock = window.derivatives
    if dock.isHidden():
        window.menu_actions["derivatives"].trigger()
    dock.raise_()  # (in front of a tab beside it: Compare's on a short window)
    tabs = dock.tabs
    tabs.setCurrentIndex((tabs.currentIndex() + step) % tabs.count())


def _dock_toggle(dock, text: str, key: str, tip: str, status: str) -> QtGui.QAction:
    """``dock``'s show/hide action with its text, shortcut and tips."""
    toggle = dock.toggleViewAction()
    toggle.setText(text)
    toggle.setShortcut(QtGui.QKeySequence(key))
    toggle.setToolTip(f"{tip} ({key})")
    toggle.setStatusTip(status)
    return toggle


def add_dock_action(window) -> None:
    """Put the Derivatives dock's show/hide action first in the View menu (Ctrl+D)."""
    toggle = _dock_toggle(window.derivatives, "&Derivatives panel", "Ctrl+D",
                          "Show or hide the Derivatives panel: slice, h → 0, chain rule, "
                          "gradient, regression", "Show or hide the Derivatives panel")
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == "View" and action.menu() is not None:
            actions = action.menu().actions()
            action.menu().insertAction(actions[0] if actions else None, toggle)
            break
    window.addAction(toggle)
    window.menu_actions = {"derivatives": toggle, **window.menu_actions}  # (first: F1 lists it)


def add_table_action(window, panel) -> None:
    """Put the comparison table's show/hide action second in the View menu (Ctrl+Shift+K):
    once hidden, the table came back only by comparing again, which replaced the runs."""
    toggle = _dock_toggle(panel.dock, "Comparison &table", "Ctrl+Shift+K",
                          "Show or hide the table of every run's result; Compare optimizers "
                          "(Ctrl+K) fills it with one run per optimizer",
                          "Show or hide the table of every run's result")
    # (placed, in front and filled with the runs of now, as a comparison shows it)
    toggle.triggered.connect(lambda on: panel.show_table() if on else None)
    view = window.menus["View"]
    first = window.menu_actions.get("derivatives")
    actions = view.actions()
    at = actions.index(first) + 1 if first in actions else 0
    view.insertAction(actions[at] if at < len(actions) else None, toggle)
    window.addAction(toggle)
    window.menu_actions["compare_table"] = toggle



def _bindings(shortcuts) -> list[QtGui.QKeySequence]:
    """Every key sequence of ``shortcuts`` (all a standard key's bindings on this platform:
    ``QKeySequence(StandardKey.Redo)`` is only the first, Ctrl+Y on Windows' scheme, and
    Ctrl+Y added to it made an ambiguous pair, Ctrl+Shift+Z left out), each once."""
    out: list[QtGui.QKeySequence] = []
    for s in shortcuts:
        for seq in (Key.keyBindings(s) if isinstance(s, Key.StandardKey) else [Key(s)]):
            if not seq.isEmpty() and seq not in out:
                out.append(seq)
    return out


def escape(window) -> None:
    """Esc: leave a text box, cancelling what is typed (a number box gets its value back,
    the loss box the loss shown); outside one, stop the runs computing in the background,
    and a basins map being computed (as its Cancel button does: Esc let it run on), or,
    with neither running, leave presentation mode."""
    focus, c = QtWidgets.QApplication.focusWidget(), window.controller
    typing = isinstance(focus, (QtWidgets.QLineEdit, QtWidgets.QAbstractSpinBox))
    if not typing:
        basins = getattr(window._classroom, "basins", None)
        busy = c.runner.busy or (basins is not None and basins.busy)
        window.stop_runs()
        if basins is not None and basins.busy:
            basins.cancel_by_user()
        # With nothing to stop, Esc leaves presentation mode, as it leaves a full-screen
        # slide show (it did nothing there; only F11 left). Work to stop is stopped first.
        presentation = getattr(window._classroom, "presentation", None)
        if not busy and presentation is not None and presentation.active:
            presentation.leave()
    elif hasattr(focus, "textFromValue"):
        # Esc cancels a typed value: leaving the box would apply it (7 typed into Steps
        # and Esc made 7 steps)
        focus.lineEdit().setText(focus.textFromValue(focus.value()))
    elif focus is window.loss_panel.edit and c.applying_loss \
            and c.pending_loss()[0] == focus.text():
        # (being checked: put back once refused; applied, it is the loss then)
        window.loss_panel.cancel_when_refused = True
    elif focus is window.loss_panel.edit and c.loss is not None and not c.applying_loss \
            and window.loss_panel.cancel_edit(c.loss_text, c.preset):
        window.loss_panel.show_note(CANCELLED_NOTE, 6000, until_applied=True)
    window.setFocus()
