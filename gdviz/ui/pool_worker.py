"""What the background workers share: one thread, a count of the work not yet delivered, and
a way to wait for it (:class:`PoolWorker`)."""

from __future__ import annotations

from gdviz.ui.qt import QtCore, Signal


class PoolWorker(QtCore.QObject):
    """A one-thread pool whose jobs report back to the GUI thread.

    Subclasses count each job with :meth:`_add_pending` (+1 when queued, −1 once its result
    has been delivered), so :attr:`busy` and :attr:`busyChanged` cover the hand-over too.
    """

    busyChanged = Signal(bool)

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending = 0  # queued or running jobs whose results are not yet delivered
        self._closed = False  # shut down: no new jobs

    def _add_pending(self, delta: int) -> None:
        before = self._pending
        self._pending = max(0, before + delta)
        if (before > 0) != (self._pending > 0):
            self.busyChanged.emit(self._pending > 0)

    @property
    def busy(self) -> bool:
        """True while work is queued, running or not yet delivered."""
        return self._pending > 0

    def wait(self, msecs: int = 30000) -> bool:
        """Block until all requested work is done and delivered (tests, headless rendering).

        Returns False if ``msecs`` passed first.
        """
        deadline = QtCore.QDeadlineTimer(msecs)
        while True:
            self._pool.waitForDone(max(1, deadline.remainingTime()))
            # Deliver results (which may start more work).
            QtCore.QCoreApplication.processEvents()
            if not self.busy or deadline.hasExpired():
                return not self.busy
