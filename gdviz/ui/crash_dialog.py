"""One handler for unexpected exceptions: log them, show them, keep the app running.

Qt calls Python slots from C++; an exception escaping a slot would otherwise print a
traceback (or abort). The handler shows a dialog with the message and a "Copy details"
button, logs the traceback to ``gdviz-errors.log`` next to the settings, and returns to the
event loop.
"""

from __future__ import annotations

import datetime
import os
import sys
import traceback

from gdviz.ui.qt import QtWidgets
from gdviz.ui.window_layout import settings

_showing = False


def log_path() -> str:
    """Where tracebacks are appended."""
    folder = os.path.dirname(settings().fileName()) or "."
    return os.path.join(folder, "gdviz-errors.log")


def _log(details: str) -> None:
    try:
        path = log_path()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n{details}\n")
    except OSError:
        pass


def show_error_dialog(summary: str, details: str, parent=None) -> QtWidgets.QMessageBox:
    """A non-blocking dialog with the error and a button copying the details."""
    box = QtWidgets.QMessageBox(parent)
    box.setObjectName("errorDialog")
    box.setIcon(QtWidgets.QMessageBox.Warning)
    box.setWindowTitle("gdviz hit an unexpected error")
    box.setText(f"Something went wrong, but your work is still here.\n\n{summary}")
    box.setInformativeText("Copy the details into a bug report if this keeps happening.")
    box.setDetailedText(details)
    copy = box.addButton("Copy details", QtWidgets.QMessageBox.ActionRole)
    box.setDefaultButton(box.addButton(QtWidgets.QMessageBox.Close))  # (Enter closes it)
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QtWidgets.QApplication.clipboard().setText(details))
    box.setModal(False)
    box.show()
    return box


_batch = False  # a --screenshot or --export run: no one to see a dialog
reported = 0  # unexpected errors reported so far (a batch run then exits with 1)


def set_batch(on: bool) -> None:
    """Report errors on stderr, not in a dialog (``--screenshot`` and ``--export`` runs: their
    window is never on screen, and an error left only the log and an exit status of 1)."""
    global _batch
    _batch = on


def _headless() -> bool:
    app = QtWidgets.QApplication.instance()
    return _batch or app is None or app.platformName() in ("offscreen", "minimal")


def handle_exception(exc_type, exc, tb) -> None:
    """``sys.excepthook`` replacement: log, then show (or print when headless)."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    global _showing, reported
    reported += 1
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    _log(details)
    summary = f"{exc_type.__name__}: {exc}"
    app = QtWidgets.QApplication.instance()
    if _headless() or _showing:
        print(f"gdviz: unexpected error: {summary} (details in {log_path()})", file=sys.stderr)
        return
    _showing = True
    try:
        box = show_error_dialog(summary, details, app.activeWindow())
        box.finished.connect(_on_box_finished)
    finally:
        pass


def _on_box_finished(_result: int) -> None:
    global _showing
    _showing = False


def install_exception_handler() -> None:
    """Route uncaught exceptions (including those in Qt slots) to :func:`handle_exception`."""
    sys.excepthook = handle_exception
