"""Parse, differentiate and compile a loss off the GUI thread; typeset its formulas later.

Two kinds of job share one worker thread (sympy is not thread-safe enough to run two at once):

- *compile* (:meth:`CompileWorker.submit`): the loss is parsed, differentiated and compiled
  directly on the worker thread under a short
  :data:`~gdviz.ui.sandboxed_compile.FAST_BUDGET`
  (:func:`gdviz.core.watchdog.call_with_budget`). An ordinary loss takes tens of
  milliseconds and never leaves the thread. Past the budget the work is interrupted and the
  separate sandbox process decides with its full time and memory limit ("this loss is too
  complex…"); only a loss it accepts is then compiled here, without the short budget. So a
  runaway loss is always stopped, and ordinary losses never pay for the process round trip.
- *typeset* (:meth:`CompileWorker.submit_typeset`, :meth:`CompileWorker.typeset_soon`):
  LaTeX and mathtext images of f and its partials. Typesetting costs as much as compiling, so
  it is kept off the path from Enter to repainted views: the window asks for it once the views
  have painted, and it is skipped when a newer request makes it useless.

Newest request wins: only the newest compile request's result is delivered
(:attr:`CompileWorker.finished`), and only the newest typeset's (:attr:`CompileWorker.typeset`);
a compile job that is already stale when it starts is skipped.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from gdviz.core.errors import LossError
from gdviz.core.sandbox import OPEN_TIMEOUT, STOPPED
from gdviz.core.watchdog import call_until, call_with_budget
from gdviz.ui.compile_results import CompileResult, TypesetResult
from gdviz.ui.pool_worker import PoolWorker
from gdviz.ui.qt import QtCore, Signal
from gdviz.ui.sandboxed_compile import compile_loss, shared_sandbox

if TYPE_CHECKING:  # sympy: imported on the worker thread by the first compile
    from gdviz.core.loss import Loss

__all__ = ["CompileWorker", "compile_loss", "shared_sandbox"]

TYPESET_BUDGET = 2.0
"""Seconds sympy may spend printing the LaTeX of a loss before plain text is shown instead."""
HESSIAN_BUDGET = 8.0
"""Seconds the typesetting job may spend on the Hessian's code after the plain forms (a
newer request stops it sooner)."""


def _latex(loss: Loss) -> None:
    _ = loss.latex, loss.partials_latex  # cached on the loss; render reads them


class _Signals(QtCore.QObject):
    finished = Signal(object)
    typeset = Signal(object)
    done = Signal()


class _CompileJob(QtCore.QRunnable):
    """Compile one text and hand the result over (no typesetting here)."""

    def __init__(self, request: int, text: str, apply: bool, sandbox, checked: bool,
                 stale: Callable[[], bool], variables: tuple[str, str] | None = None,
                 timeout: float | None = None, stop: Callable[[], bool] | None = None,
                 report_stop: bool = False) -> None:
        super().__init__()
        self.request, self.text, self.apply = request, text, apply
        self.sandbox, self.checked, self.stale = sandbox, checked, stale
        self.variables, self.timeout, self.stop = variables, timeout, stop
        self.report_stop = report_stop  # (a stopped job still answers: its caller waits)
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = CompileResult(self.request, self.text, apply=self.apply)
            if self.stale():  # a newer request was made before this one started
                if self.report_stop:
                    result.error = STOPPED
                    self.signals.finished.emit(result)
                return
            try:
                result.loss = compile_loss(self.text, self.sandbox, self.checked, self.stale,
                                           self.variables, self.timeout, self.stop)
                if result.loss is None:
                    if not self.report_stop:
                        return  # nobody wants it
                    result.error = STOPPED
            except LossError as err:
                result.error = err.message
                result.position = -1 if err.position is None else int(err.position)
            except Exception as err:  # noqa: BLE001 - a loss must never take the app down
                result.error = f"gdviz cannot work with this loss ({type(err).__name__})"
            self.signals.finished.emit(result)
        finally:
            self.signals.done.emit()


class _TypesetJob(QtCore.QRunnable):
    """Typeset an already compiled loss, unless a newer request made it useless."""

    def __init__(self, request: int, loss: Loss, render, stale: Callable[[], bool]) -> None:
        super().__init__()
        self.request, self.loss, self.render, self.stale = request, loss, render, stale
        self.signals = _Signals()

    def run(self) -> None:
        try:
            if self.stale():
                return
            # First the plain-text forms (shown at once) and the Hessian, then the pictures.
            # (BudgetExceeded: what is missing is made on first use, if ever.)
            with contextlib.suppress(Exception):
                call_with_budget(TYPESET_BUDGET, self.loss.prepare)
            self._emit({})
            # The Hessian too where the plain forms used the budget up: a heavy loss's (0.65
            # s) was then made on the GUI thread by its first Newton run, the window frozen
            with contextlib.suppress(Exception):
                call_until(HESSIAN_BUDGET, self.stale, self.loss.prepare_hessian)
            if self.render is None or self.stale():
                return
            try:
                call_with_budget(TYPESET_BUDGET, _latex, self.loss)
                images = self.render(self.loss)
            except Exception:  # noqa: BLE001 - BudgetExceeded, mathtext errors: plain text
                images = {}
            self._emit(images)
        finally:
            self.signals.done.emit()

    def _emit(self, images: dict[str, object]) -> None:
        self.signals.typeset.emit(TypesetResult(self.request, self.loss.text,
                                                tuple(self.loss.variables), images))


_HOP = QtCore.QEvent.Type(QtCore.QEvent.registerEventType())
_HOPS = 2  # see CompileWorker.typeset_soon


class CompileWorker(PoolWorker):
    """Compiles loss texts on a background thread; emits :attr:`finished` with the newest.

    Parameters
    ----------
    sandbox
        Object with ``check(text)`` raising :class:`LossError` (see
        :mod:`gdviz.core.sandbox`), asked only about losses too heavy for the fast path;
        None to keep all work on the thread (with
        :data:`~gdviz.ui.sandboxed_compile.THREAD_LIMIT`).
    render
        Callable ``Loss -> dict[str, bytes]`` producing typeset formula images, or None.
    """

    finished = Signal(object)  # CompileResult of the newest compile request
    typeset = Signal(object)  # TypesetResult of the newest typeset request
    def __init__(self, sandbox=None, render=None, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)  # (one thread: sympy is not thread-safe enough to run two)
        self.sandbox = sandbox
        self.render = render
        # Request ids come from one counter; the worker thread only reads these integers.
        self._serial = 0
        self._latest_compile = 0
        self._latest_apply = 0  # the newest compile that will replace the shown loss
        self._latest_typeset = 0
        # (_pending counts a typeset scheduled by typeset_soon too)
        self._soon: tuple[Loss, int] | None = None  # (loss, id of the newest request then)
        self._callbacks: dict[int, Callable[[CompileResult], None]] = {}  # compile_for's
        self._hops_left = 0

    # -- requests ---------------------------------------------------------------------------
    def submit(self, text: str, apply: bool = True, check: bool = True) -> int:
        """Queue ``text`` for compiling; return its request id.

        ``check=False`` is for text already parsed once in this process (the launch loss): it
        is compiled without the watchdog and never sent to the sandbox.
        """
        self._serial += 1
        request = self._latest_compile = self._serial
        if apply:
            self._latest_apply = request
        # (stale once the window closes too: a job still on its first half second went on
        # to the sandbox, and the closing window waited for its 3 s limit). Its sandbox check
        # stops for a newer loss to apply, not for a newer check of text being typed (each
        # pause in typing a heavy loss killed the warm process: 0.7-1.2 s to start anew).
        job = _CompileJob(request, text, apply, self.sandbox, check,
                          stale=lambda: self._closed or self._latest_compile != request,
                          stop=lambda: self._closed or self._latest_apply > request)
        self._start(job)
        return request

    def compile_for(self, text: str, variables: tuple[str, str] | None,
                    callback: Callable[[CompileResult], None],
                    stale: Callable[[], bool] | None = None) -> None:
        """Compile ``text`` (with ``variables``) as a typed loss is, time-limited and
        sandboxed, and hand the result to ``callback`` on this object's thread — a session
        being opened (its loss compiled on the GUI thread froze the window for seconds).

        Unlike :meth:`submit`, the result goes to ``callback`` whatever is asked meanwhile,
        and nothing is installed or shown; :attr:`busy` counts the job until then. Where
        ``stale()`` (asked on the worker thread) says it is no longer wanted, the work stops
        and ``callback`` gets the error :data:`~gdviz.core.sandbox.STOPPED` (a loss typed
        meanwhile waited behind a session's check, up to its 6 s).
        """
        self._serial += 1
        self._callbacks[self._serial] = callback
        # (the longer limit of a loss accepted before, as the command line's: a file saved
        # from a window whose loss took 5 s was refused on opening, "gave up after 3 s")
        job = _CompileJob(self._serial, text, False, self.sandbox, True,
                          stale=lambda: self._closed or bool(stale and stale()),
                          variables=variables, timeout=OPEN_TIMEOUT, report_stop=True)
        job.signals.finished.connect(self._on_job_for, QtCore.Qt.QueuedConnection)
        self._start(job, deliver=False)

    def _on_job_for(self, result: CompileResult) -> None:
        callback = self._callbacks.pop(result.request, None)
        if callback is not None and not self._closed:
            callback(result)

    def drop_checks(self) -> None:
        """Checks of text being typed still on their way are no longer wanted (the text
        typed now is the loss shown: nothing to check). Not while a loss to apply compiles
        (its request would be dropped too)."""
        if self._latest_apply != self._latest_compile or not self.busy:
            self._serial += 1
            self._latest_compile = self._serial

    def supersede(self) -> None:
        """A loss was installed without the worker (a session, the command line's): compile
        results still on their way must not replace it."""
        self._serial += 1
        self._latest_compile = self._latest_apply = self._serial

    @property
    def requests(self) -> int:
        """How many requests were made so far (a counter: did anything ask since?)."""
        return self._serial

    def submit_typeset(self, loss: Loss) -> int:
        """Typeset an already compiled ``loss`` now (emits only :attr:`typeset`).

        Skipped when, before it starts, another typeset or a compile that replaces the loss
        (``apply=True``) is requested.
        """
        return self._submit_typeset(loss, self._serial)

    def typeset_soon(self, loss: Loss) -> None:
        """Typeset ``loss`` once the views have painted what was just changed.

        Call it right after the window has updated its views for a new loss. The request
        is posted to this object as a low-priority event (:data:`_HOPS` times in a row)
        instead of being submitted at once, so the typesetting thread does not compete
        for the GIL with the paint it would otherwise delay:

        - Qt's widget paints are ``UpdateRequest`` events posted at low priority when a view
          calls ``update()``; posted events run by priority, then in posting order, so a low
          priority event posted afterwards runs after them;
        - a graphics scene repaints its views from queued calls (normal priority) that post
          their ``UpdateRequest`` later, possibly behind the first hop; the second hop is
          posted behind those.

        A newer call replaces the loss and restarts the hops. The scheduled typeset counts
        as pending work, so :attr:`busy` never drops to False between the compile result and
        the typeset (``MainWindow.wait_idle`` and screenshots rely on that). It is dropped
        if a compile that replaces the loss is requested before it is submitted.
        """
        if self._soon is None:
            self._add_pending(1)
        self._soon = (loss, self._serial)
        if self._hops_left == 0:
            self._post_hop()
        self._hops_left = _HOPS

    def customEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() != _HOP:
            super().customEvent(event)
            return
        self._hops_left -= 1
        if self._hops_left > 0:
            self._post_hop()
            return
        if self._soon is None:
            return  # cancelled
        (loss, basis), self._soon = self._soon, None
        if self._latest_apply <= basis:  # still the loss on screen
            self._submit_typeset(loss, basis)
        self._add_pending(-1)

    def _post_hop(self) -> None:
        QtCore.QCoreApplication.postEvent(self, QtCore.QEvent(_HOP),
                                          QtCore.Qt.EventPriority.LowEventPriority.value)

    def _submit_typeset(self, loss: Loss, basis: int) -> int:
        self._serial += 1
        request = self._latest_typeset = self._serial

        def stale() -> bool:
            return self._latest_typeset != request or self._latest_apply > basis

        self._start(_TypesetJob(request, loss, self.render, stale))
        return request

    def _start(self, job, deliver: bool = True) -> None:
        if self._closed:
            return
        queued = QtCore.Qt.QueuedConnection
        if deliver:
            job.signals.finished.connect(self._on_job_finished, queued)
        job.signals.typeset.connect(self._on_job_typeset, queued)
        job.signals.done.connect(self._on_job_done, queued)
        self._add_pending(1)
        self._pool.start(job)

    # -- results ----------------------------------------------------------------------------
    def _on_job_finished(self, result: CompileResult) -> None:
        if result.request == self._latest_compile:
            self.finished.emit(result)

    def _on_job_typeset(self, result: TypesetResult) -> None:
        if result.request == self._latest_typeset:
            self.typeset.emit(result)

    def _on_job_done(self) -> None:
        self._add_pending(-1)

    # -- control ----------------------------------------------------------------------------
    def cancel_pending(self) -> None:
        """Drop queued (not yet started) requests, e.g. when the window closes."""
        self._pool.clear()
        scheduled = self._soon is not None
        self._soon = None
        # Cleared jobs never report "done": what is left is at most the running job.
        left = min(self._pending - scheduled, self._pool.activeThreadCount())
        self._add_pending(left - self._pending)

    def shutdown(self) -> None:
        """Take no more work (the window closes): queued requests are dropped and later ones
        ignored. A request made after the window closed (a debounced validation, say) would
        otherwise start a job that can still be waiting for the GIL when the window is
        deleted, and the thread pool's destructor, waiting for it with the GIL held, would
        hang the process."""
        self._closed = True
        self.cancel_pending()
        if self._pool.activeThreadCount() and self.sandbox is not None:
            # (a loss being checked in the sandbox: the window waited up to its 3 s limit)
            self.sandbox.abort()
