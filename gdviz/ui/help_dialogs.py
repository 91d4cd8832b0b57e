"""Help ▸ Keyboard shortcuts (the window's keys and the menus', by topic, within the
screen) and Help ▸ About."""

from __future__ import annotations

import html

from gdviz.ui.menus import shortcut_rows
from gdviz.ui.qt import QtCore, QtGui, QtWidgets

__all__ = ["shortcuts_html", "show_about", "show_shortcuts"]


def shortcuts_html(rows: list[tuple[str, str, str]], columns: int = 2,
                   wrap: int | None = None) -> str:
    """The shortcuts as rich text by topic, the topics in ``columns`` columns (in one, the
    list was taller than a 720-line screen in presentation mode's large type); each column
    one table, its topics' headings rows of it, so that every topic's descriptions line up
    (a table per topic set each one's own column, ragged from one topic to the next). With
    ``wrap``, descriptions are broken into lines of at most that many characters."""
    import textwrap

    topics: dict[str, list[str]] = {}
    for group, keys, text in rows:
        lines = textwrap.wrap(text, wrap) if wrap else [text]
        topics.setdefault(group, []).append(
            f"<tr><td><b>{html.escape(keys)}</b>&nbsp;&nbsp;</td>"
            f"<td>{'<br>'.join(html.escape(line) for line in lines)}</td></tr>")
    # Topics to columns in order, each column about as long as the others (by rows).
    total = sum(len(lines) + 2 for lines in topics.values())
    cells: list[list[str]] = []
    cell: list[str] = []
    height = 0
    for group, lines in topics.items():
        if cell and height + len(lines) / 2 > total / columns and len(cells) < columns - 1:
            cells.append(cell)
            cell, height = [], 0
        top = 12 if cell else 0  # (the space a paragraph's margin gave between topics)
        cell.append(f"<tr><td colspan='2' style='padding-top:{top}px'>"
                    f"<i>{html.escape(group)}</i></td></tr>")
        cell.extend(lines)
        height += len(lines) + 2
    cells.append(cell)
    tds = "".join(f"<td valign='top' style='padding-right:24px'><table>{''.join(c)}</table></td>"
                  for c in cells)
    return f"<table><tr>{tds}</tr></table>"


def show_shortcuts(window: QtWidgets.QWidget, actions: dict[str, QtGui.QAction]) -> None:
    """Show the keyboard shortcuts, by topic, in a small non-modal dialog."""
    # (A dialog of its own: a message box narrows its text and wraps every line.)
    box = QtWidgets.QDialog(window)
    box.setObjectName("shortcutsDialog")
    box.setWindowTitle("Keyboard shortcuts")
    column = QtWidgets.QVBoxLayout(box)
    rows = shortcut_rows(actions)
    box.label = QtWidgets.QLabel(shortcuts_html(rows))
    box.label.setObjectName("shortcutsText")
    box.label.setTextFormat(QtCore.Qt.RichText)
    # Within the screen: in two columns it was 1122 pixels wide (1551 in presentation mode's
    # type), past the edge of an 800, 1024 or 1366 screen, OK out of reach. One column where
    # two do not fit; scrolled where even that is too tall or wide.
    screen = window.screen().availableGeometry() if window.screen() else None
    room = QtCore.QSize(screen.width() - 60, screen.height() - 100) if screen else None
    if room is not None and box.label.sizeHint().width() > room.width():
        # Two columns still, their descriptions wrapped, where that leaves them 28 letters
        # or more: in presentation mode's type at 1920 pixels the two longest (the runs
        # list's menu, Esc) made it one column, Ctrl+PgDn below the fold
        metrics = box.label.fontMetrics()
        keys = max(metrics.horizontalAdvance(k) for _g, k, _t in rows) * 1.15 + 40
        wrap = int(((room.width() - 40) / 2 - keys - 24) / (1.15 * metrics.averageCharWidth()))
        box.label.setText(shortcuts_html(rows, 2, wrap))
        if wrap < 28 or box.label.sizeHint().width() > room.width():
            # One column, its descriptions wrapped to the room too (unwrapped, Esc's ran off
            # the edge behind a sideways scroll bar at 1366 × 768 after Ctrl + twice)
            wrap = int((room.width() - 60 - keys) / (1.15 * metrics.averageCharWidth()))
            box.label.setText(shortcuts_html(rows, columns=1, wrap=max(wrap, 16)))
    scroll = QtWidgets.QScrollArea()
    scroll.setObjectName("shortcutsScroll")
    scroll.setWidget(box.label)
    scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    hint = box.label.sizeHint()
    if room is not None:
        scroll.setMinimumSize(min(hint.width() + 20, room.width()),
                              min(hint.height() + 4, room.height()))
    column.addWidget(scroll)
    buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok)
    buttons.accepted.connect(box.accept)
    column.addWidget(buttons)
    box.setAttribute(QtCore.Qt.WA_DeleteOnClose)
    box.open()


def show_about(window: QtWidgets.QWidget) -> None:
    """Show what gdviz is (non-modal)."""
    from gdviz import __version__

    box = QtWidgets.QMessageBox(window)
    box.setObjectName("aboutDialog")
    box.setWindowTitle("About gdviz")
    box.setTextFormat(QtCore.Qt.RichText)
    box.setText(f"<b>gdviz {__version__}</b><br>See derivatives, gradients and gradient "
                "descent on a loss you type: its surface, contours, symbolic gradient and "
                "animated descent, with optimizers to compare.")
    box.setAttribute(QtCore.Qt.WA_DeleteOnClose)
    box.open()
