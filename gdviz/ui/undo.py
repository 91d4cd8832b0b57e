"""Edit ▸ Undo and Redo: the window as it was before a change of its loss or its runs.

Choosing a preset, Compare optimizers, removing a run and opening a session throw runs away
(one of them an Adam run with noise and a schedule set up by hand): the controller announces
each with ``runsAboutToBeReplaced``, and :class:`RunsHistory` keeps the window's state before
it (a :class:`gdviz.core.session.Session`, so the loss, domain and view come back with the
runs); a loss typed and applied with Enter is kept so too. Undo (Ctrl+Z) puts the last one
back; each undo goes one change further back, and Redo (Ctrl+Shift+Z, Ctrl+Y) forward again
(undoing a preset threw away the loss typed and the runs tuned after it, with no way back).
"""

from __future__ import annotations

import dataclasses

from gdviz.ui.qt import QtCore

DEPTH = 20
"""How many changes back Undo reaches."""
REPLACES_LOSS = ("choosing the preset", "opening a session")
"""The changes that ask for a loss of their own (a loss typed just before them, still
compiling, is then never shown: Undo put back a heavy one the sandbox refused)."""


class RunsHistory(QtCore.QObject):
    """The states before the last :data:`DEPTH` run-replacing changes of ``window``.

    Attributes
    ----------
    stack : list of (str, Session)
        What the change was ("choosing a preset") and the state before it, oldest first.

    Signals
    -------
    stepped(verb, what)
        A state was put back: ``verb`` "undo" or "redo", ``what`` the change it took back or
        made again ("comparing optimizers").
    """

    stepped = QtCore.Signal(str, str)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.stack: list[tuple[str, object]] = []
        self.redo_stack: list[tuple[str, object]] = []  # what Undo took back, newest last
        # The session file each state was saved as (by the state's id): undoing File ▸ Open
        # kept the opened file's name, and Ctrl+S wrote the older state over that file.
        self.paths: dict[int, str | None] = {}
        self._restoring = False
        window.controller.runsAboutToBeReplaced.connect(self.remember)
        window.controller.lossFailed.connect(self._loss_refused)
        self._typed: object = None  # the state kept for a loss typed, until it is applied
        self._redo_before: list[tuple[str, object]] = []
        self.action = window.menu_actions["undo"]
        self.action.triggered.connect(self.undo)
        self.redo_action = window.menu_actions["redo"]
        self.redo_action.triggered.connect(self.redo)
        # (Ctrl+Z in the loss box once what it shows is applied: see LossPanel.eventFilter)
        window.loss_panel.undoRequested.connect(self.undo)
        window.loss_panel.redoRequested.connect(self.redo)
        self._update_action()

    def loss_typed(self, text: str) -> None:
        """A loss typed is about to be applied (Enter): keep the window as it is now."""
        c = self.window.controller
        if (self._typed is not None and self.stack and self.stack[-1][1] is self._typed
                and c.pending_loss() is not None):
            # A loss typed before this one is still compiling: it never showed, so the
            # state kept before it stays the one to go back to (Undo put back a loss the
            # sandbox refused, never applied, and froze compiling it on the GUI thread).
            return
        if c.loss is not None and text.strip() != c.loss_text.strip():
            self._redo_before = list(self.redo_stack)  # (back if the loss is refused)
            self.remember("editing the loss")
            self._typed = self.stack[-1][1] if self.stack else None

    def _loss_refused(self, *_args) -> None:
        """A loss typed that did not compile changed nothing: nothing to undo."""
        if (self.window.controller.failed_apply and self._typed is not None and self.stack
                and self.stack[-1][1] is self._typed):
            self.forget_since(len(self.stack) - 1)
            self.redo_stack = self._redo_before
            self._update_action()
        self._typed = None

    def remember(self, what: str) -> None:
        """Keep the window's state before ``what`` happens to its runs."""
        c = self.window.controller
        if self._restoring or c.loss is None:
            return
        try:
            state = self.window.current_session()
        except Exception:  # noqa: BLE001 - an undo step is a convenience: never a crash
            return
        # (Undo brings back the loss and the runs, not the lecture tab then shown: it threw
        # the teacher from tab to tab)
        state = dataclasses.replace(state, view={k: v for k, v in state.view.items()
                                                 if k != "lecture_tab"})
        pending = c.pending_loss()
        if pending is not None and pending[1] is None and what.startswith(REPLACES_LOSS):
            pending = None  # a typed loss this change replaces never shows: not its state
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
        if not self._restoring:  # (a new change: what was undone cannot come back over it)
            self.redo_stack.clear()
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
        return self._step(self.stack, self.redo_stack, "undo", "Undone")

    def redo(self) -> bool:
        """Put back the state the last Undo left; False when there is none."""
        return self._step(self.redo_stack, self.stack, "redo", "Redone")

    def _step(self, source: list, target: list, verb: str, done: str) -> bool:
        """Show the newest state of ``source``, keeping the window's own on ``target``;
        whether it was shown (True too while its loss compiles: see when_compiled)."""
        if not source:
            self.window.statusBar().showMessage(f"Nothing to {verb}.", 4000)
            return False
        entry = source[-1]  # (taken off once shown: an Undo that gives way keeps it)
        what, state = entry

        def take() -> object:
            """``entry`` off ``source``; the file its state was (False: none known)."""
            if any(e is entry for e in source):
                source.remove(entry)
            return self.paths.pop(id(state), False)

        def show(loss) -> None:
            from gdviz.ui.sessions import apply_session

            try:
                now = self.window.current_session()
            except Exception:  # noqa: BLE001 - (then this step cannot be taken back)
                now = None
            self._restoring = True
            try:
                apply_session(self.window, state, loss, docks=False)
            except Exception as err:  # noqa: BLE001 - a state the window cannot show again
                # (a map zoomed out past what a session keeps, say): say so, change nothing
                failed(err)
                return
            finally:
                self._restoring = False
            shown.append(True)
            path = take()
            if now is not None:
                target.append((what, now))
                self.paths[id(now)] = self._sessions().path if self._sessions() else None
                for _what, old in target[:-DEPTH]:
                    self.paths.pop(id(old), None)
                del target[:-DEPTH]
            if path is not False and self._sessions() is not None:
                # (the file the state was, or none; a state of no file before a change that
                # was then saved is this file's, changed: Undo after Save dropped its name)
                current = self._sessions().path
                keep = path is None and current and not what.startswith("opening a session")
                self._sessions().return_to(current if keep else path)
            self._update_action()
            self.window.statusBar().showMessage(f"{done}: {what}.", 5000)
            self.stepped.emit(verb, what)

        def failed(err: Exception) -> None:
            shown.append(False)
            take()  # (a state that cannot be shown again: the next Undo goes further back)
            self._update_action()
            self.window.statusBar().showMessage(f"Could not {verb} {what}: {err}", 8000)

        # The loss is one the window compiled (installed at once), else it is compiled on
        # the compile thread first: a heavy one compiled here froze the window for seconds.
        # Pressed again meanwhile, Undo asks for the same state again (it is still on top).
        from gdviz.ui.sessions import when_compiled

        shown: list[bool] = []
        when_compiled(self.window, state, show, failed)
        return shown[0] if shown else True  # (True: on its way)

    def forget_since(self, depth: int) -> None:
        """Drop the entries made since the stack was ``depth`` deep (a change that did not
        happen after all: a session file that failed its checks)."""
        if len(self.stack) > depth:
            for _what, state in self.stack[depth:]:
                self.paths.pop(id(state), None)
            del self.stack[depth:]
            self._update_action()

    def _update_action(self) -> None:
        for action, stack, name in ((self.action, self.stack, "&Undo"),
                                    (self.redo_action, self.redo_stack, "&Redo")):
            what = stack[-1][0] if stack else ""
            action.setEnabled(bool(stack))
            action.setText(f"{name} {what}" if what else name)
            action.setIconText(name.replace("&", ""))  # (the keys' list: "Undo", not what)
