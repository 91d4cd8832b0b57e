"""The window's start: a first frame at once, the rest right after it.

Importing sympy, pyqtgraph, OpenGL and matplotlib takes seconds together; a student double-
clicking the app should see the loss in well under one. The window is therefore built in two
stages. Before its first frame: the light widgets and the 2D map of the loss, evaluated from
its checked syntax tree with numpy (:mod:`gdviz.core.preview`). After it, one step per
event-loop turn (so the window stays responsive between them): the exact loss and gradient
(sympy, on the compile thread), the 3D view, the lecture tabs, the sandbox process.

``GDVIZ_STARTUP_TRACE=1`` prints ``gdviz-first-frame <unix time>`` on stderr when the map is
first painted with the loss (the benchmark's start-up measure); ``GDVIZ_FIRST_FRAME_EXIT=1``
also quits there.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable

from gdviz.ui.binding import QtCore, QtWidgets
from gdviz.ui.gc_tuning import RESUME_FALLBACK_MS, resume_collector

FALLBACK_MS = 400  # start anyway when no frame is painted (a window never shown)


class Startup(QtCore.QObject):
    """Runs the deferred start-up steps of a window, after its first frame.

    Parameters
    ----------
    window
        The main window; its map (``window.contour``) signals the first frame.
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.steps: deque[tuple[str, Callable[[], None]]] = deque()
        self.started = False
        self.first_frame_at: float | None = None
        window.contour.installEventFilter(self)
        self._timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.run_next)
        QtCore.QTimer.singleShot(FALLBACK_MS, self.start)

    def add(self, name: str, step: Callable[[], None]) -> None:
        """Queue ``step`` (run after the first frame, in the order added)."""
        self.steps.append((name, step))
        if self.started and not self._timer.isActive():
            self._timer.start()

    @property
    def busy(self) -> bool:
        """Whether steps remain."""
        return bool(self.steps)

    def start(self) -> None:
        """Begin the steps (the first frame is out, or it is time anyway)."""
        if not self.started:
            self._begin()
            self._timer.start()

    def run_next(self) -> None:
        """Run one step now; the next follows on the next event-loop turn."""
        if not self.steps:
            return
        _name, step = self.steps.popleft()
        try:
            step()
        finally:
            if self.steps:
                self._timer.start()

    def _begin(self) -> None:
        self.started = True
        # A launch pauses the garbage collector; settling resumes it, or this at the latest.
        QtCore.QTimer.singleShot(RESUME_FALLBACK_MS, self, resume_collector)

    def finish(self) -> None:
        """Run every remaining step now (tests, screenshots, exports)."""
        if not self.started:
            self._begin()
        self._timer.stop()
        while self.steps:
            self.run_next()
        self._timer.stop()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QtCore.QEvent.Type.Paint and self.first_frame_at is None \
                and getattr(obj, "grid", None) is not None:
            self.first_frame_at = time.time()
            obj.removeEventFilter(self)
            # Queued: runs once this paint (and the window's flush) is done.
            QtCore.QTimer.singleShot(0, self._after_first_frame)
        return False

    def _after_first_frame(self) -> None:
        if os.environ.get("GDVIZ_STARTUP_TRACE") or os.environ.get("GDVIZ_FIRST_FRAME_EXIT"):
            print(f"gdviz-first-frame {self.first_frame_at:.6f}", file=sys.stderr, flush=True)
        if os.environ.get("GDVIZ_FIRST_FRAME_EXIT"):
            QtWidgets.QApplication.instance().exit(0)
            return
        self.start()
