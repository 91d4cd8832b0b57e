"""The runs list's context menu: hide or show a run, rename it, give it another colour,
remove it.

A run's name and colour are saved in sessions and shown in the legend, the readouts and the
map; before this menu only a hand-edited session file could set them.
"""

from __future__ import annotations

import sys

from gdviz.core.text import DISPLAY_CONTROLS
from gdviz.ui.colors import contrast_ratio
from gdviz.ui.qt import QtCore, QtGui, QtWidgets

FAINT = 1.6
"""Contrast with the plots' ground under which a run's colour is said to be hard to see."""

MAX_NAME = 40
"""Longest run name kept (a longer one is cut: the readouts' first column holds it)."""


def rename_run(panel, row: int, name: str) -> None:
    """Give run ``row`` of ``panel`` (a :class:`gdviz.ui.runs_panel.RunsPanel`) a name; an
    empty name gives back "Run k"."""
    # One line (no tabs or newlines), without the invisible characters that make text read
    # differently from what it is (sessions refuse them too)
    name = "".join(ch for ch in " ".join(name.split()) if ch not in DISPLAY_CONTROLS)[:MAX_NAME]
    panel.edited.emit(row, {"name": name})


def recolor_run(panel, row: int, color: str) -> None:
    """Give run ``row`` another colour (``#rrggbb``); an invalid colour is ignored."""
    qcolor = QtGui.QColor(color)
    if not qcolor.isValid():
        return
    panel.edited.emit(row, {"color": qcolor.name()})
    # (white on the light theme vanished from the loss plot and the 3D view's ground without
    # a word; the colour is the user's to choose, the note says what it costs)
    ground = panel.palette().color(QtGui.QPalette.ColorRole.Base).name()
    window = panel.window()
    if contrast_ratio(qcolor.name(), ground) < FAINT and hasattr(window, "statusBar"):
        window.statusBar().showMessage(
            f"Run {row + 1}'s colour {qcolor.name()} is hard to see on the plots' "
            f"{'dark' if QtGui.QColor(ground).lightness() < 128 else 'light'} ground: "
            "a darker or brighter one shows better.", 10000)


def toggle_shown(panel, row: int) -> None:
    """Hide run ``row`` of ``panel`` from the views, or show it again (its tick box)."""
    item = panel.list.item(row)
    if item is not None:
        shown = item.checkState() == QtCore.Qt.CheckState.Checked
        item.setCheckState(QtCore.Qt.CheckState.Unchecked if shown
                           else QtCore.Qt.CheckState.Checked)


def install_run_menu(panel) -> None:
    """Right-click on a run in ``panel.list`` (or the menu key, Shift+F10, on the current
    one): Hide / Show, Rename…, Colour…, Remove; double-click or F2 renames."""
    runs = panel.list
    runs.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.CustomContextMenu)

    def ask_name(row: int) -> None:
        from gdviz.ui.runs_panel import NAME_ROLE

        item = runs.item(row)
        if item is None:
            return
        name, ok = QtWidgets.QInputDialog.getText(
            panel, "Rename run", "Name (empty for “Run k”):", text=item.data(NAME_ROLE) or "")
        if ok:
            rename_run(panel, row, name)

    def ask_color(row: int) -> None:
        item = runs.item(row)
        if item is None:
            return
        start = QtGui.QColor(item.data(QtCore.Qt.ItemDataRole.UserRole) or "#000000")
        color = QtWidgets.QColorDialog.getColor(start, panel, "Run colour")
        if color.isValid():
            recolor_run(panel, row, color.name())

    def menu_row(pos: QtCore.QPoint) -> int:
        # (from the keyboard the menu is asked for where no item may be: the current run's)
        under = runs.itemAt(pos)
        return runs.row(under) if under is not None else runs.currentRow()

    def menu_for(row: int) -> QtWidgets.QMenu:
        menu = QtWidgets.QMenu(runs)
        # (Space plays, even in the list: a keyboard user had no way to hide a run)
        shown = runs.item(row).checkState() == QtCore.Qt.CheckState.Checked
        menu.addAction("Hide" if shown else "Show", lambda: toggle_shown(panel, row))
        menu.addAction("Rename…", lambda: ask_name(row))
        menu.addAction("Colour…", lambda: ask_color(row))
        remove = menu.addAction("Remove", lambda: panel.removeRequested.emit(row))
        remove.setEnabled(runs.count() > 1)
        return menu

    def show_menu(pos: QtCore.QPoint) -> None:
        row = menu_row(pos)
        if row < 0:
            return
        if runs.itemAt(pos) is None:  # (the current run, brought into view first)
            runs.scrollToItem(runs.item(row))
            pos = runs.visualItemRect(runs.item(row)).center()
        panel.menu_for(row).exec(runs.viewport().mapToGlobal(pos))

    panel.menu_row, panel.menu_for = menu_row, menu_for  # (what the menu does, for tests)
    runs.customContextMenuRequested.connect(show_menu)
    runs.itemDoubleClicked.connect(lambda item: ask_name(runs.row(item)))
    rename = QtGui.QShortcut(QtGui.QKeySequence(QtCore.Qt.Key.Key_F2), runs)
    rename.setContext(QtCore.Qt.ShortcutContext.WidgetShortcut)
    rename.activated.connect(lambda: ask_name(runs.currentRow()))
    panel.rename_shortcut = rename  # (for the keys' list and tests)
    # Shift+F10 asks for the menu on Windows only (Qt sends no context-menu event for it on
    # X11): on a laptop without a menu key the run menu was out of a keyboard's reach.
    if sys.platform != "win32":  # (there it asks for the menu itself: twice, else)
        menu_key = QtGui.QShortcut(QtGui.QKeySequence("Shift+F10"), runs)
        menu_key.setContext(QtCore.Qt.ShortcutContext.WidgetShortcut)
        menu_key.activated.connect(lambda: show_menu(QtCore.QPoint(-1, -1)))
