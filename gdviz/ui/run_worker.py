"""Long descents off the GUI thread: runs of thousands of steps, and Compare's trials.

Almost every run a class sees takes a few milliseconds and is computed where it is asked for,
on the GUI thread, so the views show it in the same frame. A run of 20,000 Newton steps takes
seconds, and would freeze the window for as long. :func:`attempt` therefore gives the GUI
thread's share a deadline (:data:`SYNC_BUDGET`); work still going at the deadline stops
(:class:`~gdviz.core.errors.Cancelled`) and is handed to :class:`RunWorker`, which computes
it on its own thread, reports its progress, and can be stopped: by a newer request for the
same run, or by the user.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gdviz.core.errors import Cancelled, LossError
from gdviz.ui.pool_worker import PoolWorker
from gdviz.ui.qt import QtCore, Signal

SYNC_BUDGET = 0.02
"""Seconds of descent the GUI thread does itself for one change (a frame or so); the rest
goes to the worker thread."""
PROGRESS_EVERY = 0.1
"""Seconds between two progress reports of a background job."""

Work = Callable[["Ticket"], Any]
"""A job: computes its result, asking its ticket (as a descent's ``cancel``) whether to stop."""


class Ticket:
    """The ``cancel`` callback of one piece of work: stops it when it is no longer wanted and
    notes its progress.

    Parameters
    ----------
    stop
        Returns True when the work must stop.
    total
        Steps the whole job takes at most (for progress).
    report
        Called with (steps done, total) at most every :data:`PROGRESS_EVERY` seconds.
    """

    def __init__(self, stop: Callable[[], bool], total: int = 0,
                 report: Callable[[int, int], None] | None = None) -> None:
        self.stop, self.total, self.report = stop, max(int(total), 1), report
        self.base = 0  # steps of the job's earlier descents (set by multi-descent work)
        self._last = time.perf_counter()

    def __call__(self, k: int) -> bool:
        if self.stop():
            return True
        if self.report is not None:
            now = time.perf_counter()
            if now - self._last >= PROGRESS_EVERY:
                self._last = now
                self.report(min(self.base + k, self.total), self.total)
        return False


def attempt(work: Work, deadline: float) -> tuple[bool, Any]:
    """Run ``work`` on this thread until ``deadline`` (a ``time.perf_counter()`` value).

    Returns
    -------
    done, result
        ``(True, result)`` when it finished, ``(False, None)`` when the deadline stopped it
        (or had already passed): it is then for :meth:`RunWorker.submit`.
    """
    if time.perf_counter() >= deadline:
        return False, None
    try:
        return True, work(Ticket(lambda: time.perf_counter() >= deadline))
    except Cancelled:
        return False, None


@dataclass
class JobResult:
    """What a background job hands back: its result, or why there is none."""

    request: int
    result: Any = None
    error: str = ""
    cancelled: bool = False
    done: int = 0  # steps finished when it was stopped


class _Signals(QtCore.QObject):
    finished = Signal(object)
    progress = Signal(int, int, int)


class _Job(QtCore.QRunnable):
    def __init__(self, request: int, work: Work, total: int, worker: RunWorker) -> None:
        super().__init__()
        self.request, self.work, self.total = request, work, total
        self.signals = _Signals()
        self._stop = lambda: request not in worker._live  # read-only from this thread

    def run(self) -> None:
        out = JobResult(self.request)
        ticket = Ticket(self._stop, self.total,
                        lambda done, total: self.signals.progress.emit(self.request, done,
                                                                       total))
        try:
            if not self._stop():
                out.result = self.work(ticket)
            else:
                out.cancelled = True
        except Cancelled as stop:
            out.cancelled, out.done = True, ticket.base + stop.done
        except (ValueError, LossError) as err:
            out.error = str(err)
        except Exception as err:  # noqa: BLE001 - a run must never take the app down
            out.error = f"gdviz could not compute this run ({type(err).__name__})"
        self.signals.finished.emit(out)


class RunWorker(PoolWorker):
    """Computes descents on a background thread, one job at a time, newest wishes first.

    Each :meth:`submit` returns a request id. The job stops early when its id is dropped
    (:meth:`drop`, :meth:`keep_only`, :meth:`stop_all`); whatever happens, :attr:`finished`
    brings its :class:`JobResult` back to the GUI thread (a dropped one as ``cancelled``).
    """

    finished = Signal(object)  # JobResult
    progress = Signal(int, int, int)  # request, steps done, steps in all

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        # (one thread: a second would only compete for the GIL, and the second core is the
        # GUI thread's and the compile thread's)
        super().__init__(parent)
        self._serial = 0
        self._live: set[int] = set()  # requests still wanted (read by the worker thread)

    def submit(self, work: Work, total: int) -> int:
        """Queue ``work`` (``total``: its most steps, for progress); return its request id."""
        self._serial += 1
        request = self._serial
        if self._closed:
            return request
        self._live = self._live | {request}  # (a new set: the worker thread only reads)
        job = _Job(request, work, total, self)
        queued = QtCore.Qt.ConnectionType.QueuedConnection
        job.signals.finished.connect(self._on_job_finished, queued)
        job.signals.progress.connect(self._on_job_progress, queued)
        self._add_pending(1)
        self._pool.start(job)
        return request

    def wanted(self, request: int) -> bool:
        """Whether ``request`` is still queued or running and not dropped."""
        return request in self._live

    def drop(self, request: int) -> None:
        """Stop ``request`` (its result comes back as cancelled)."""
        self._live = self._live - {request}

    def keep_only(self, requests) -> None:
        """Stop every request not in ``requests``."""
        self._live = self._live & set(requests)

    def stop_all(self) -> None:
        """Stop every job (the user's Stop; the window closing)."""
        self._live = set()

    def shutdown(self) -> None:
        """Take no more work and stop what runs (the window closes)."""
        self._closed = True
        self.stop_all()

    def _on_job_finished(self, out: JobResult) -> None:
        if not out.cancelled and out.request not in self._live:
            out.cancelled = True  # dropped after its last check: nobody wants it
        self._live = self._live - {out.request}
        try:
            self.finished.emit(out)
        finally:
            self._add_pending(-1)

    def _on_job_progress(self, request: int, done: int, total: int) -> None:
        if request in self._live:
            self.progress.emit(request, done, total)
