"""Edit ▸ Undo: the runs as they were before a change that replaced or removed them.

Choosing a preset, Compare optimizers, removing a run and opening a session throw runs away
(one of them an Adam run with noise and a schedule set up by hand): the controller announces
each with ``runsAboutToBeReplaced``, and :class:`RunsHistory` keeps the window's state before
it (a :class:`gdviz.core.session.Session`, so the loss, domain and view come back with the
runs). Undo (Ctrl+Z) puts the last one back; each undo goes one change further back.
"""

from __future__ import annotations

from gdviz.ui.qt import QtCore

DEPTH = 20
"""How many changes back Undo reaches."""


class RunsHistory(QtCore.QObject):
    """The states before the last :data:`DEPTH` run-replacing changes of ``window``.

    Attributes
    ----------
    stack : list of (str, Session)
        What the change was ("choosing a preset") and the state before it, oldest first.
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.stack: list[tuple[str, object]] = []
        self._restoring = False
        window.controller.runsAboutToBeReplaced.connect(self.remember)
        self.action = window.menu_actions["undo"]
        self.action.triggered.connect(self.undo)
        self._update_action()

    def remember(self, what: str) -> None:
        """Keep the window's state before ``what`` happens to its runs."""
        if self._restoring or self.window.controller.loss is None:
            return
        try:
            state = self.window.current_session()
        except Exception:  # noqa: BLE001 - an undo step is a convenience: never a crash
            return
        self.stack.append((what, state))
        del self.stack[:-DEPTH]
        self._update_action()

    def undo(self) -> bool:
        """Put back the state before the last change; False when there is none."""
        if not self.stack:
            self.window.statusBar().showMessage("Nothing to undo.", 4000)
            return False
        what, state = self.stack.pop()
        self._restoring = True
        try:
            self.window.apply_session(state)
        finally:
            self._restoring = False
            self._update_action()
        self.window.statusBar().showMessage(f"Undone: {what}.", 5000)
        return True

    def _update_action(self) -> None:
        what = self.stack[-1][0] if self.stack else ""
        self.action.setEnabled(bool(self.stack))
        self.action.setText(f"&Undo {what}" if what else "&Undo")
