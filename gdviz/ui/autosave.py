"""The autosave: the window's session written every few seconds (on a thread of its own) for
the next launch to restore, and restored (:class:`Autosaving`, part of
:class:`gdviz.ui.session_files.SessionManager`)."""

from __future__ import annotations

import os
import threading

from gdviz.core.session import SessionError, load_session, session_to_json
from gdviz.ui.window_layout import settings

AUTOSAVE_NAME = "autosave.gdviz"


def autosave_path() -> str:
    """Where the autosave lives: ``autosave.gdviz`` next to the settings file."""
    return os.path.join(os.path.dirname(settings().fileName()), AUTOSAVE_NAME)


RESTORED_NOTE = "Restored the last session."
"""The status bar's note when the window starts on the autosave."""


def keep_unreadable_autosave(error: object) -> str:
    """The note for an autosave that could not be restored, which is kept aside first as
    ``autosave-unreadable-<time>.gdviz`` (it was dropped without a word, and overwritten by
    the next autosave a few seconds later: the only copy of the user's runs)."""
    import time

    path = autosave_path()
    kept = os.path.join(os.path.dirname(path),
                        time.strftime("autosave-unreadable-%Y%m%d-%H%M%S.gdviz"))
    try:
        os.replace(path, kept)
    except OSError:
        return f"The last session could not be restored and was ignored: {error}"
    return f"The last session could not be restored ({error}); it was kept as {kept}."


class Autosaving:
    """The autosave's part of the session manager: it needs the manager's ``window``,
    ``timer``, ``path``, ``_written``, ``_writer``, ``write_error``, ``_error_said``,
    ``autosave_enabled`` and :meth:`relink`."""

    def set_autosave_enabled(self, on: bool) -> None:
        """Turn autosave on or off (off for headless rendering)."""
        self.autosave_enabled = bool(on)
        self.timer.start() if on else self.timer.stop()

    def autosave(self, closing: bool = False) -> bool:
        """Write the session to :func:`autosave_path` if it changed since the last write.

        The file is written on a thread of its own (:meth:`flush` waits for it): an atomic
        write ends with ``fsync``, which a network or USB home folder can make take a good
        part of a second, every few seconds, on the GUI thread. Returns whether a write
        began (not while the previous one is still going: the next tick tries again).
        ``closing``: the window is closing, so its step is saved even during playback, and
        the session is written even if unchanged since the last write.
        """
        c = self.window.controller
        if self.write_error and not self._error_said:  # (said once, on this thread)
            self._error_said = True
            self.window.statusBar().showMessage(
                f"Autosave failed ({self.write_error}): this session is not kept for the next "
                "launch; File ▸ Save as keeps it.", 30000)
        if not self.autosave_enabled or c.loss is None:
            return False
        if self._writer is not None and self._writer.is_alive():
            return False
        from gdviz.ui.sessions import session_from_window  # (see restore_autosave)

        try:
            session = session_from_window(self.window)
            if c.playing and not closing and self._written:
                # The step moves every frame while playing: the one last written is kept,
                # so only a change of something else is written (a loss, η or run changed
                # just before Play was lost with a crash during a long playback), and the
                # step once playback stops. (Nothing written yet: the step as it is.)
                session.view["iteration"] = self._written_step
            if self.path:  # (the file the window shows, and whether it differs: see restore)
                session.view["file"] = self.path
                session.view["file_changed"] = self.window.isWindowModified()
            text = session_to_json(session)
        except SessionError:
            return False
        # (closing: written whatever was written before, which another gdviz may have
        # overwritten since, or the user deleted: the window closed last is the one the next
        # launch restores)
        if text == self._written and not closing:
            return False
        self._written_step = session.view.get("iteration", 0)
        self._writer = threading.Thread(target=self._write, args=(autosave_path(), text),
                                        name="gdviz-autosave", daemon=True)
        self._writer.start()
        return True

    def _write(self, path: str, text: str) -> None:
        """(On the writer thread.) Write ``text`` atomically; a failed write is tried again
        at the next tick. (Unlike File ▸ Save, no load check first: it would parse the loss
        on the GUI thread every few seconds. A file that would not load is ignored with a
        notice at the next launch.)"""
        from gdviz.core.atomic import atomic_write_text  # (secrets, hashlib: not at start-up)

        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            atomic_write_text(path, text, encoding="utf-8")
        except OSError as err:  # (said at the next tick: it failed without a word, and the
            # next launch had nothing to restore)
            self.write_error = err.strerror or type(err).__name__
            return
        self._written, self.write_error, self._error_said = text, "", False

    def flush(self, timeout: float = 10.0) -> None:
        """Wait (at most ``timeout`` seconds) for an autosave being written to finish."""
        if self._writer is not None:
            self._writer.join(timeout)

    def restore_autosave(self, note: str = "", failed=None) -> bool:
        """Open the autosave if there is a valid one (its loss compiled as in
        :meth:`open_path`), ``note`` said first (why it comes instead of another session);
        False (nothing opened) where there is none or it cannot be read, which is said.
        ``failed()`` is called where it is read but cannot be shown, once its loss is
        compiled (the window, left with none, takes another)."""
        path = autosave_path()
        if not os.path.isfile(path):
            return False
        # (gdviz.ui.sessions: imported here, not with the module, which the launch reads
        # for the autosave's path; 4 ms before the first frame)
        from gdviz.ui.sessions import apply_session, when_compiled

        said = 15000 if note else 5000

        def cannot_show(err: Exception) -> None:
            unreadable(err)
            if failed is not None:
                failed()

        def show(loss) -> None:
            try:
                notice = apply_session(self.window, session, loss)
            except Exception as err:  # noqa: BLE001 - a damaged autosave: never a crash
                cannot_show(err)
                return
            self.window.statusBar().showMessage(
                f"{note} {RESTORED_NOTE} {notice}".strip(), said)
            self.relink(session.view)

        def unreadable(err: Exception) -> None:
            self.window.statusBar().showMessage(
                f"{note} {keep_unreadable_autosave(err)}".strip(), 15000)

        try:
            session = load_session(path)
        except Exception as err:  # noqa: BLE001 - a damaged autosave must never stop the app
            unreadable(err)
            return False
        self.window.loss_panel.set_text(session.loss)  # (the file's text left in the box)
        when_compiled(self.window, session, show, cannot_show)  # (see open_path)
        return True

