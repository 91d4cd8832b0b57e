"""The session files behind File ▸ Open / Save / Open Recent, drag-and-drop, the autosave and
restore-on-start (what a session holds and how the window shows one: :mod:`gdviz.ui.sessions`).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading

from gdviz.core.session import SessionError, load_session, save_session
from gdviz.ui.autosave import Autosaving
from gdviz.ui.qt import QtCore, QtWidgets
from gdviz.ui.sessions import apply_session, session_from_window, when_compiled
from gdviz.ui.window_layout import settings

AUTOSAVE_INTERVAL_MS = 5000
RECENT_KEY = "sessions/recent"
MAX_RECENT = 8
FILE_FILTER = "gdviz sessions (*.gdviz);;All files (*)"


def ask_save_path(parent, title: str, start: str, file_filter: str, suffix: str,
                  only_suffix: bool = False) -> str:
    """A file name from the save dialog, ``suffix`` added where none was typed (or, with
    ``only_suffix``, put in place of another: a PNG was written to "map.jpg"); "" when
    cancelled. The dialog asks before replacing only the name typed: "lecture" while
    lecture.gdviz exists was replaced without a word, so that is asked here."""
    path, _ = QtWidgets.QFileDialog.getSaveFileName(parent, title, start, file_filter)
    path = path.rstrip(".") if path.endswith(".") and not path.endswith("/.") else path
    stem, ext = os.path.splitext(path)  # ("lecture." was saved as lecture..gdviz)
    if not re.fullmatch(r"\.[A-Za-z][A-Za-z0-9]{0,4}", ext):  # ("descent_lr0.05": a name)
        stem, ext = path, ""
    if not path or ext.lower() == suffix or (ext and not only_suffix):
        return path
    path = stem + suffix
    if os.path.exists(path):
        answer = QtWidgets.QMessageBox.question(
            parent, title, f"{os.path.basename(path)} already exists. Replace it?",
            QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
            QtWidgets.QMessageBox.StandardButton.No)
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return ""
    return path


# -- the manager -----------------------------------------------------------------------------
def _content(window) -> tuple | None:
    """What a session file holds that Save would change: the loss, the domain, the runs (not
    the view, the step shown or the camera); None where the window has no loss yet."""
    try:
        s = window.current_session()
    except Exception:  # noqa: BLE001 - only a mark in the title: never a crash
        return None
    return s.loss, s.domain, tuple(s.runs)


class SessionManager(Autosaving, QtCore.QObject):
    """File ▸ Open / Save / Save as / Open Recent, drag-and-drop, autosave and restore."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.path: str | None = None
        self.last_error = ""
        self.message_box: QtWidgets.QMessageBox | None = None
        self._written = ""
        self._written_step = 0  # the step the last autosave held (kept while playing)
        self._writer: threading.Thread | None = None
        self.write_error = ""  # why the last autosave could not be written ("" once one is)
        self._error_said = False
        self._title = window.windowTitle()
        self.autosave_enabled = True
        self.timer = QtCore.QTimer(self, interval=AUTOSAVE_INTERVAL_MS)
        self.timer.timeout.connect(self.autosave)
        self.timer.start()
        window.setAcceptDrops(True)
        window.installEventFilter(self)
        # A note on the runs an opened file lost goes with those runs (it stayed up 15 s
        # over the preset chosen after it)
        self._runs_note = ""
        window.controller.runsAboutToBeReplaced.connect(self._drop_runs_note)
        self._saved: dict[str, tuple | None] = {}  # path → its loss, domain, runs (_content)
        for signal in (window.controller.runsChanged, window.controller.lossChanged,
                       window.controller.domainChanged):
            signal.connect(self._mark_changed)
        window.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        self.fill_recent_menu()

    # -- open ----------------------------------------------------------------------------
    def open_dialog(self) -> bool:
        """Ask for a .gdviz file and open it."""
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, "Open session", os.path.dirname(self.path or ""), FILE_FILTER)
        return self.open_path(path) if path else False

    def open_path(self, path: str, quiet: bool = False) -> bool:
        """Open the session at ``path``; on a bad file show why and change nothing.

        The file is read and checked at once (False when it is bad); its loss is compiled on
        the compile thread unless the window compiled it lately, and the session shown when
        it is (:func:`gdviz.ui.sessions.when_compiled`; ``MainWindow.wait_idle`` waits for
        it). True when the session is shown or on its way.
        """
        try:
            session = load_session(path)
        except Exception as err:  # noqa: BLE001 - SessionError, or a bug: never a crash
            return self._failed(path, err, quiet)
        shown: list[bool] = []  # (set at once when the loss is one compiled lately)
        when_compiled(self.window, session,
                      lambda loss: shown.append(self._show(path, session, loss, quiet)),
                      lambda err: shown.append(self._failed(path, err, quiet)))
        return shown[0] if shown else True

    def _show(self, path: str, session, loss, quiet: bool) -> bool:
        """Show ``session`` (read from ``path``) with its compiled ``loss``."""
        history = getattr(self.window, "history", None)
        depth = len(history.stack) if history is not None else 0
        try:
            self.window.controller.runsAboutToBeReplaced.emit("opening a session")
            notice = apply_session(self.window, session, loss)
        except Exception as err:  # noqa: BLE001 - SessionError, or a bug: never a crash
            if history is not None:  # (nothing changed: nothing to undo)
                history.forget_since(depth)
            return self._failed(path, err, quiet)
        self.last_error = ""
        return self.opened(path, notice)

    def opened(self, path: str, notice: str = "") -> bool:
        """The window shows the session of the file ``path`` (opened from the menu, or with
        ``--session`` at launch: Ctrl+S then opened a Save dialog); ``notice``: the runs it
        left out. True."""
        if notice:
            # Runs were left out: Save must not write the file again without them (Ctrl+S
            # replaced 20 runs by 8, without a word), so it asks for a name.
            self._now_at(path, "Opened")
            self.return_to(None)
            self._runs_note = (f"Opened {os.path.abspath(path)}. {notice} Save asks for a "
                               "new name, so the file keeps them all.")
            self.window.statusBar().showMessage(self._runs_note, 15000)
            return True
        return self._now_at(path, "Opened")

    def _drop_runs_note(self, _why: str = "") -> None:
        if self._runs_note and self.window.statusBar().currentMessage() == self._runs_note:
            self.window.statusBar().clearMessage()
        self._runs_note = ""

    def _failed(self, path: str, err: Exception, quiet: bool) -> bool:
        """Say why ``path`` could not be opened (a box, unless ``quiet``); False."""
        self.last_error = str(err) if isinstance(err, SessionError) else \
            f"could not open the session ({type(err).__name__}: {err})"
        if not quiet:
            self.show_error("Cannot open this session",
                            f"{os.path.basename(path)}: {self.last_error}")
        return False

    # -- save ----------------------------------------------------------------------------
    def save(self) -> bool:
        """Save to the current file (asks for one the first time)."""
        return self.save_to(self.path) if self.path else self.save_as()

    def save_as(self) -> bool:
        """Ask for a file name and save there."""
        path = ask_save_path(self.window, "Save session", self.path or "session.gdviz",
                             FILE_FILTER, ".gdviz")
        return self.save_to(path) if path else False

    def save_to(self, path: str) -> bool:
        """Write the window's session to ``path`` atomically."""
        try:
            save_session(path, session_from_window(self.window))
        except SessionError as err:
            self.last_error = str(err)
            self.show_error("Cannot save the session", str(err))
            return False
        return self._now_at(path, "Saved")

    def _now_at(self, path: str, verb: str) -> bool:
        """The window's session is now the file ``path`` (opened or saved): remember it, name
        it in the title and say so; True."""
        self.path = os.path.abspath(path)
        self.add_recent(self.path)
        self._saved[self.path] = _content(self.window)
        self._set_title()
        # (taken back, as the runs' note, when other runs replace these: "Opened mine.gdviz"
        # stayed up over the preset chosen after it)
        self._runs_note = f"{verb} {self.path}"
        self.window.statusBar().showMessage(self._runs_note, 5000)
        return True

    def return_to(self, path: str | None) -> None:
        """The window shows the state it had as ``path`` again (Undo): Save writes there
        (or asks for a name, for None), the title names it."""
        self.path = path
        self._set_title()

    def _set_title(self) -> None:
        name = os.path.basename(self.path or "")
        # "[*]": Qt's place for the mark of changes not saved (a preset chosen over an opened
        # file left "mine.gdviz — gdviz" as it was, and Ctrl+S wrote the preset over it)
        self.window.setWindowTitle(f"{name}[*] — {self._title}" if name else self._title)
        self._mark_changed()

    def _mark_changed(self) -> None:
        """Mark the title where the loss, domain or runs differ from the file's."""
        saved = self._saved.get(self.path) if self.path else None
        changed = saved is not None and _content(self.window) != saved
        if changed != self.window.isWindowModified():
            self.window.setWindowModified(changed)

    # -- recent files --------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        """Recently opened or saved sessions, newest first."""
        value = settings().value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(p) for p in (value or []) if isinstance(p, str) and p][:MAX_RECENT]

    def add_recent(self, path: str) -> None:
        files = [path] + [p for p in self.recent_files() if p != path]
        s = settings()
        s.setValue(RECENT_KEY, files[:MAX_RECENT])
        s.sync()

    def fill_recent_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        files = self.recent_files()
        names = [os.path.basename(p) for p in files]
        for path, name in zip(files, names, strict=True):
            # (two r7.gdviz in different folders read the same: the folder tells them apart)
            folder = os.path.basename(os.path.dirname(path))
            action = menu.addAction(f"{name}  ({folder})" if names.count(name) > 1 else name)
            action.setToolTip(path)
            action.setStatusTip(f"Open {path}")
            action.setEnabled(os.path.isfile(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        if not files:
            empty = menu.addAction("(no recent sessions)")
            empty.setEnabled(False)
        else:
            menu.addSeparator()
            clear = menu.addAction("Clear list")
            clear.setStatusTip("Forget the recent sessions")
            clear.triggered.connect(lambda: (settings().remove(RECENT_KEY),
                                             self.fill_recent_menu()))

    # -- autosave and restore ------------------------------------------------------------
    def relink(self, view: dict) -> None:
        """The file the restored window showed, named in the title again, marked "*" where
        it differed (quit with changes unsaved, the next launch showed them under no file:
        the student took the file for their work)."""
        file = view.get("file")
        if not isinstance(file, str) or not os.path.isfile(file):
            return
        self._saved[file] = ("changed",) if view.get("file_changed") is True \
            else _content(self.window)
        self.return_to(file)

    # -- drag and drop, close ------------------------------------------------------------
    @staticmethod
    def _dropped_file(event) -> str | None:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".gdviz"):
                return url.toLocalFile()
        return None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if obj is self.window and kind in (QtCore.QEvent.DragEnter, QtCore.QEvent.DragMove):
            if self._dropped_file(event):
                event.acceptProposedAction()
                return True
        elif obj is self.window and kind == QtCore.QEvent.Drop:
            path = self._dropped_file(event)
            if path:
                event.acceptProposedAction()
                QtCore.QTimer.singleShot(0, lambda: self.open_path(path))
                return True
        elif obj is self.window and kind == QtCore.QEvent.Close:
            with contextlib.suppress(Exception):
                self.flush()  # (a write still going), then the last state
                self.autosave(closing=True)  # (playing or not: the last chance)
                self.flush()
        return False

    def show_error(self, title: str, message: str) -> None:
        """A non-blocking warning box (kept as ``message_box``)."""
        if self.message_box is not None:
            self.message_box.close()
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Warning, title, message,
                                    QtWidgets.QMessageBox.Ok, self.window)
        box.setObjectName("sessionErrorBox")
        self.message_box = box
        box.open()
