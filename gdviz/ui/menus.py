"""The window's menus and their actions."""

from __future__ import annotations

from gdviz.ui.qt import QtGui


def install_menus(window) -> None:
    """Create the menu bar of ``window`` (a MainWindow)."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    quit_action = QtGui.QAction("&Quit", window)
    quit_action.setShortcut(QtGui.QKeySequence.Quit)
    quit_action.triggered.connect(window.close)
    file_menu.addAction(quit_action)
