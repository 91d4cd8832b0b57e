"""Keys a focused control needs for itself, taken back from the window's shortcuts.

The window binds the arrows, Home/End and PgUp/PgDn to playback and single letters to the
map's toggles (:func:`gdviz.ui.menus.install_shortcuts`), wherever the focus is. A keyboard
user then could not move the h → 0 slider (only Up/Down, one of 240 positions a press), turn
the Gradient tab's dial, switch lecture tabs with ←/→, fold the Chain rule steps, or pick
"Adam" in a drop-down by typing its name ("a" toggled the map's arrows). A control that has the
focus and uses such a key gets it (Qt's ShortcutOverride); elsewhere the shortcuts work as
before. Text boxes claim most of their editing keys themselves; the rest they are given
(:data:`_EDITING`).
"""

from __future__ import annotations

from gdviz.ui.qt import QtCore, QtGui, QtWidgets

Key = QtCore.Qt.Key
_MOVES = {Key.Key_Left, Key.Key_Right, Key.Key_Up, Key.Key_Down, Key.Key_Home, Key.Key_End,
          Key.Key_PageUp, Key.Key_PageDown}
_SIDEWAYS = {Key.Key_Left, Key.Key_Right, Key.Key_Home, Key.Key_End}
_PLAIN = (QtCore.Qt.KeyboardModifier.NoModifier, QtCore.Qt.KeyboardModifier.KeypadModifier,
          QtCore.Qt.KeyboardModifier.ShiftModifier)


def wants_key(widget: QtWidgets.QWidget | None, key: int, text: str) -> bool:
    """Whether ``widget``, focused, uses ``key`` (typing ``text``) itself."""
    if isinstance(widget, QtWidgets.QAbstractSlider | QtWidgets.QAbstractSpinBox
                  | QtWidgets.QTreeView):
        return key in _MOVES
    if isinstance(widget, QtWidgets.QTabBar):
        return key in _SIDEWAYS
    if isinstance(widget, QtWidgets.QComboBox):  # type-to-select ("adam"), Home/End, PgUp
        if key in (Key.Key_Left, Key.Key_Right) and not widget.isEditable():
            return False  # (Qt ignores ← / → on a list: they were lost, playback still)
        return key in _MOVES or (bool(text) and text.isprintable() and not text.isspace())
    return False


_EDITING = (QtGui.QKeySequence.StandardKey.DeleteEndOfLine,  # Ctrl+K
            QtGui.QKeySequence.StandardKey.DeleteEndOfWord,  # Ctrl+Del
            QtGui.QKeySequence.StandardKey.DeleteStartOfWord)  # Ctrl+Backspace
"""Editing chords a text box keeps from the window's shortcuts: with the cursor in the loss
box, Ctrl+K ran Compare (replacing every run) and Ctrl+Del removed the selected run, the
text left as it was."""


def edits_with(widget: QtWidgets.QWidget | None, event: QtGui.QKeyEvent) -> bool:
    """Whether ``widget`` is a text or number box and ``event`` one of its editing chords,
    or a drop-down and ``event`` Alt+↑/↓, which open and close its list (the 3D view's keys
    elsewhere)."""
    if isinstance(widget, QtWidgets.QComboBox):
        return (event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier
                == QtCore.Qt.KeyboardModifier.AltModifier
                and event.key() in (Key.Key_Up, Key.Key_Down))
    return (isinstance(widget, QtWidgets.QLineEdit | QtWidgets.QAbstractSpinBox)
            and any(event.matches(key) for key in _EDITING))


_CLICKER = {Key.Key_PageUp, Key.Key_PageDown}
"""A presentation clicker's "previous" and "next": in presentation mode always playback's."""


class KeyOwner(QtCore.QObject):
    """Event filter giving a control its keys back (see the module's docstring). In
    presentation mode (``presenting()`` true) PgUp/PgDn stay playback's wherever the focus
    is, and Enter in a number box hands the focus back to the window: after the teacher set
    η (or dragged the h → 0 slider) the clicker's "next" set η to 0.001 (moved h tenfold)
    and its Space went into the box, playback standing still."""

    def __init__(self, window: QtWidgets.QWidget, presenting=lambda: False) -> None:
        super().__init__(window)
        self.window, self.presenting = window, presenting

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind == QtCore.QEvent.Type.ShortcutOverride and (
                (event.modifiers() in _PLAIN and wants_key(obj, event.key(), event.text())
                 and not (event.key() in _CLICKER and self.presenting()))
                or edits_with(obj, event)):
            event.accept()  # (the key goes to the control, the shortcut does not fire)
            return True
        if kind == QtCore.QEvent.Type.KeyPress and isinstance(obj, QtWidgets.QAbstractSpinBox) \
                and event.key() in (Key.Key_Return, Key.Key_Enter) and self.presenting():
            QtCore.QTimer.singleShot(0, self.window, self.window.setFocus)  # (once applied)
        return False


def own_keys(root: QtWidgets.QWidget, owner: KeyOwner) -> None:
    """Let every slider, dial, spin box, tree, tab bar, drop-down and text box in ``root``
    keep the keys it uses (:func:`wants_key`, :func:`edits_with`) when it has the focus, and
    let Tab leave every table and list."""
    kinds = (QtWidgets.QAbstractSlider, QtWidgets.QAbstractSpinBox, QtWidgets.QTreeView,
             QtWidgets.QTabBar, QtWidgets.QComboBox, QtWidgets.QLineEdit)
    for kind in kinds:
        for widget in root.findChildren(kind):
            widget.removeEventFilter(owner)  # (once each, however often this runs)
            widget.installEventFilter(owner)
    # Tab moves on to the next control, never from cell to cell (in the Compare table Tab,
    # Shift+Tab and Ctrl+Tab went round its cells for ever; the arrows move there)
    for view in root.findChildren(QtWidgets.QAbstractItemView):
        view.setTabKeyNavigation(False)


def no_tab_stop(*widgets: QtWidgets.QWidget) -> None:
    """Take ``widgets`` out of the Tab order, keeping focus by a click: plots, tables and
    scroll areas with no keys of their own were 7 of 36 Tab stops, none showing focus."""
    for widget in widgets:
        if widget is not None and widget.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus:
            widget.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)


class ArrowKeys(QtCore.QObject):
    """← / → (Shift: ten times as far) on a plot call ``move(steps)``; the plot becomes a Tab
    stop and keeps those keys from playback while focused (the Slice tab's examined point
    could be moved only with the mouse)."""

    def __init__(self, widget: QtWidgets.QWidget, move) -> None:
        super().__init__(widget)
        self.move = move
        widget.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QtCore.QEvent.Type.FocusIn, QtCore.QEvent.Type.FocusOut):
            obj.update()  # (the plot's focus frame: PlotCanvas draws it)
            return False
        if kind not in (QtCore.QEvent.Type.KeyPress, QtCore.QEvent.Type.ShortcutOverride):
            return False
        if event.key() not in (Key.Key_Left, Key.Key_Right) or event.modifiers() not in _PLAIN:
            return False
        if kind == QtCore.QEvent.Type.KeyPress:
            big = event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier
            self.move((10 if big else 1) * (1 if event.key() == Key.Key_Right else -1))
        event.accept()
        return True


class FocusKeeper(QtCore.QObject):
    """Gives the window the focus where the focused control was hidden: Qt passed it on to
    the next Tab stop, the playback bar's Reset button (the lecture dock closed by Ctrl+D
    with its tab bar focused; presentation mode tucking away the focused Noise row), where
    Space then reset playback instead of playing it, with no focus ring to say why."""

    def __init__(self, window: QtWidgets.QWidget) -> None:
        super().__init__(window)
        self.window = window
        QtWidgets.QApplication.instance().focusChanged.connect(self._changed)

    def _changed(self, old: QtWidgets.QWidget | None, new: QtWidgets.QWidget | None) -> None:
        try:
            if (old is None or new is None or old.isVisible() or new is self.window
                    or old.window() is not self.window or new.window() is not self.window):
                return
        except RuntimeError:  # (a widget deleted meanwhile)
            return
        self.window.setFocus()
