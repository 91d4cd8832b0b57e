"""Edit ▸ Undo: the runs as they were before a change that replaced or removed them.

Choosing a preset, Compare optimizers, removing a run and opening a session throw runs away
(one of them an Adam run with noise and a schedule set up by hand): the controller announces
each with ``runsAboutToBeReplaced``, and :class:`RunsHistory` keeps the window's state before
it (a :class:`gdviz.core.session.Session`, so the loss, domain and view come back with the
runs). Undo (Ctrl+Z) puts the last one back; each undo goes one change further back.
"""

from __future__ import annotations

import dataclasses

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
        # The session file each state was saved as (by the state's id): undoing File ▸ Open
        # kept the opened file's name, and Ctrl+S wrote the older state over that file.
        self.paths: dict[int, str | None] = {}
        self._restoring = False
        window.controller.runsAboutToBeReplaced.connect(self.remember)
        self.action = window.menu_actions["undo"]
        self.action.triggered.connect(self.undo)
        self._update_action()

    def remember(self, what: str) -> None:
        """Keep the window's state before ``what`` happens to its runs."""
        c = self.window.controller
        if self._restoring or c.loss is None:
            return
        try:
            state = self.window.current_session()
        except Exception:  # noqa: BLE001 - an undo step is a convenience: never a crash
            return
        pending = c.pending_loss()
        if pending is not None:
            # A loss is still compiling (a preset's, or one just typed): the runs shown are
            # already for it, so the state is that loss's, on its domain (Booth then
            # Rosenbrock in quick succession kept the sphere's loss with Booth's run).
            text, domain = pending
            view = {k: v for k, v in state.view.items() if k != "map_range"}
            state = dataclasses.replace(state, loss=text, domain=domain or state.domain,
                                        view=view)
        self.stack.append((what, state))
        self.paths[id(state)] = self._sessions().path if self._sessions() else None
        for _what, old in self.stack[:-DEPTH]:
            self.paths.pop(id(old), None)
        del self.stack[:-DEPTH]
        self._update_action()

    def _sessions(self):
        """The window's session files (:class:`gdviz.ui.session_files.SessionManager`), if
        the classroom features are built."""
        classroom = getattr(self.window, "_classroom", None)
        return None if classroom is None else classroom.sessions

    def undo(self) -> bool:
        """Put back the state before the last change; False when there is none."""
        if not self.stack:
            self.window.statusBar().showMessage("Nothing to undo.", 4000)
            return False
        what, state = self.stack.pop()
        path = self.paths.pop(id(state), False)
        self._restoring = True
        try:
            self.window.apply_session(state)
        except Exception as err:  # noqa: BLE001 - a state the window cannot show again
            # (a map zoomed out past what a session keeps, say): say so, change nothing
            self.window.statusBar().showMessage(f"Could not undo {what}: {err}", 8000)
            return False
        finally:
            self._restoring = False
            self._update_action()
        if path is not False and self._sessions() is not None:
            self._sessions().return_to(path)  # (the file the state was, or none)
        self.window.statusBar().showMessage(f"Undone: {what}.", 5000)
        return True

    def forget_since(self, depth: int) -> None:
        """Drop the entries made since the stack was ``depth`` deep (a change that did not
        happen after all: a session file that failed its checks)."""
        if len(self.stack) > depth:
            for _what, state in self.stack[depth:]:
                self.paths.pop(id(state), None)
            del self.stack[depth:]
            self._update_action()

    def _update_action(self) -> None:
        what = self.stack[-1][0] if self.stack else ""
        self.action.setEnabled(bool(self.stack))
        self.action.setText(f"&Undo {what}" if what else "&Undo")
