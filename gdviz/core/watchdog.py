"""Stop runaway pure-Python work on the calling thread after a time budget.

:func:`call_with_budget` runs a function on the current thread while a watchdog thread waits.
If the budget passes first, the watchdog raises :class:`Interrupted` *in the working thread*
with CPython's ``PyThreadState_SetAsyncExc``; the interpreter delivers it between bytecodes,
so pure-Python work (sympy) stops within milliseconds and the caller gets
:class:`BudgetExceeded`. Work blocked inside one long C call is only stopped when that call
returns: for a hard guarantee (and a memory limit) use a process, see
:mod:`gdviz.core.sandbox`.

How a late exception is kept from escaping
------------------------------------------
The watchdog fires only while it holds the guard's *permit* lock, and the working thread
disarms by taking that lock for good (one C call: no bytecode boundary, hence no delivery,
can fall between entering the ``finally`` block and holding the lock). From then on no new
exception can be set; one set just before may still be pending, so the working thread clears
it (``PyThreadState_SetAsyncExc(tid, NULL)``) — or, if it is delivered first, catches it: the
disarm sits inside the ``try`` that handles :class:`Interrupted`. After
:func:`call_with_budget` returns or raises, nothing is pending for the thread.

The watchdog fires again every :data:`REFIRE_INTERVAL` seconds until the thread disarms, in
case the work swallowed the first exception (a bare ``except:`` around a C call, as mpmath
has). Once fired, the result is discarded even if the work ends normally: a swallowed
interruption may have left it wrong.

Never inside an import
----------------------
An exception raised in importlib's own code can leave its locks held: delivered in the
weakref callback that forgets a module's lock, just after it took the global import lock
and before its ``try``, it left that lock held for good, and the next import on any thread
waited for ever (a QA round saw the window hang at launch, twice in 14, after "Exception
ignored in: <function _get_module_lock.<locals>.cb>"). So the watchdog looks at the working
thread's innermost frame before firing and waits while it is importlib's (the thread is
stopped where it will receive the exception: it waits for the interpreter lock the watchdog
holds; an exception in a module's own code, run by an import, importlib handles), for
:data:`IMPORT_WAIT_MOST` seconds at most; and once fired, the working thread lets go of the
global import lock if it still holds it when its work has ended (and did not before).
"""

from __future__ import annotations

import _imp
import ctypes
import sys
import threading
import time
import types
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

REFIRE_INTERVAL = 0.1
"""Seconds between repeated interruptions of work that swallowed the previous one."""
STOP_POLL = 0.05
"""Seconds between the watchdog's questions to a ``stop`` (:func:`call_until`)."""
IMPORT_POLL = 0.002
"""Seconds between the watchdog's looks at a thread it waits to leave importlib's code."""
IMPORT_WAIT_MOST = 5.0
"""Seconds past its due time the watchdog waits for the thread to leave importlib's code."""


class Interrupted(BaseException):
    """Raised asynchronously in the working thread when its budget has passed.

    A ``BaseException`` so that sympy's broad ``except Exception`` blocks let it through.
    Callers of :func:`call_with_budget` never see it; they get :class:`BudgetExceeded`.
    """


class BudgetExceeded(TimeoutError):
    """The guarded work did not finish within its budget (and was stopped).

    Attributes
    ----------
    seconds : float
        The budget that passed.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"gave up after {seconds:g} s")
        self.seconds = seconds


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> int:
    """Schedule ``exc`` in thread ``thread_id`` (None clears a pending one).

    No ``argtypes`` are declared on purpose: the shared ``ctypes.pythonapi`` object is not
    ours to reconfigure, and only an untyped call turns ``None`` into the NULL that clears.
    """
    arg = None if exc is None else ctypes.py_object(exc)
    return ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), arg)


class _Guard:
    """One armed deadline for one thread; used once."""

    __slots__ = ("thread_id", "seconds", "deadline", "fired", "permit", "finished", "stop",
                 "importing", "due")

    def __init__(self, thread_id: int, seconds: float,
                 stop: Callable[[], bool] | None = None) -> None:
        self.thread_id = thread_id
        self.seconds = seconds
        self.stop = stop  # (asked every STOP_POLL seconds: the work is no longer wanted)
        # Counted from the call, not from when the watchdog thread gets to run.
        self.deadline = time.monotonic() + seconds
        self.fired = False
        self.importing = False  # (due to fire, but the thread is in importlib's code)
        self.due: float | None = None  # (when it was first due to fire)
        self.permit = threading.Lock()  # held by the watchdog while firing, by the worker after
        self.finished = threading.Event()  # wakes the watchdog early when the work is done

    def watch(self) -> None:
        """The watchdog thread: wait for the deadline, then interrupt until disarmed."""
        while not self.finished.wait(self._wait()):
            if not self.fired and time.monotonic() < self.deadline and not self._stopped():
                continue  # (polled: neither past the deadline nor asked to stop yet)
            self.due = time.monotonic() if self.due is None else self.due
            self.importing = time.monotonic() - self.due < IMPORT_WAIT_MOST and \
                importing(self.thread_id)
            if self.importing:
                continue  # (an exception there can leave the import locks held: see above)
            if not self.permit.acquire(blocking=False):
                return  # the worker has disarmed: it must never be interrupted again
            try:
                self.fired = True
                _set_async_exc(self.thread_id, Interrupted)
            finally:
                self.permit.release()

    def _stopped(self) -> bool:
        """Whether ``stop`` says the work is no longer wanted; a ``stop`` that raises (one
        asking a deleted Qt object) says so too — the deadline still holds either way."""
        try:
            return self.stop is not None and bool(self.stop())
        except Exception:  # noqa: BLE001 - (it raised in the watchdog: it killed the thread)
            return True

    def _wait(self) -> float:
        """Seconds to wait before looking again: to the deadline, at most :data:`STOP_POLL`
        with a ``stop`` to ask, :data:`REFIRE_INTERVAL` once fired."""
        if self.importing:
            return IMPORT_POLL
        if self.fired:
            return REFIRE_INTERVAL
        left = max(0.0, self.deadline - time.monotonic())
        return left if self.stop is None else min(left, STOP_POLL)

    def clear(self) -> None:
        """Drop an interruption set before the worker disarmed but not yet delivered."""
        if self.fired:
            _set_async_exc(self.thread_id, None)
        self.finished.set()


def importing(thread_id: int) -> bool:
    """Whether thread ``thread_id`` is running importlib's own code."""
    return in_import(sys._current_frames().get(thread_id))


def in_import(frame) -> bool:
    """Whether the innermost frame ``frame`` (of a thread; None: none) is importlib's own code,
    where an exception raised asynchronously (an interruption, an alarm's) can leave the
    import locks held (a module's own code, run by an import, is not: importlib lets go of
    its locks when it raises). Read from another thread, a frame that is not one says so
    too: look again shortly (a watchdog walking a busy thread's stack once met a list)."""
    if frame is None:
        return False
    try:
        if not isinstance(frame, types.FrameType):
            return True
        name = frame.f_code.co_filename
    except Exception:  # noqa: BLE001 - (as above: not a frame as it should be)
        return True
    return isinstance(name, str) and "importlib" in name and "_bootstrap" in name


def let_go_of_import_lock() -> None:
    """Release the global import lock if this thread holds it (it holds it only for a few
    bytecodes inside importlib: with its work ended, a hold is one an interruption left)."""
    for _ in range(64):  # (re-entrant: as often as it was taken; never for ever)
        try:
            _imp.release_lock()
        except RuntimeError:  # not held by this thread: nothing was left
            return


def call_with_budget(seconds: float, fn: Callable[..., T], /, *args, **kwargs) -> T:
    """:func:`call_until` with nothing to stop it before ``seconds``: see there."""
    return call_until(seconds, None, fn, *args, **kwargs)


def call_until(seconds: float, stop: Callable[[], bool] | None, fn: Callable[..., T], /,
               *args, **kwargs) -> T:
    """Call ``fn(*args, **kwargs)`` on this thread; stop it after ``seconds`` of wall time.

    Parameters
    ----------
    seconds
        The budget. The work is interrupted once it has passed (at the next bytecode).
    stop
        Asked every :data:`STOP_POLL` seconds (on the watchdog's thread): True interrupts
        the work as the budget's end would (the Chain rule tab's derivation of a loss
        already replaced by another: it held the tab's one thread for minutes). None: never.
    fn, *args, **kwargs
        The work. It should be pure Python, or C calls that return quickly.

    Returns
    -------
    Whatever ``fn`` returns.

    Raises
    ------
    BudgetExceeded
        The budget passed, or ``stop`` said so (the work was interrupted, or fired upon and
        finished anyway).
    Exception
        Whatever ``fn`` raises within the budget.
    """
    guard = _Guard(threading.get_ident(), float(seconds), stop)
    held = _imp.lock_held()  # (by anyone: then a hold afterwards may not be one it left)
    disarm = guard.permit.acquire  # a bound C method: calling it runs no bytecode of ours
    watchdog = threading.Thread(target=guard.watch, name="gdviz-watchdog", daemon=True)
    try:
        try:
            watchdog.start()
            result = fn(*args, **kwargs)
        finally:
            # Keep these two calls first: no interruption can be set after disarm() returns,
            # and clear() drops one still pending. A delivery in between is caught below.
            disarm()
            guard.clear()
    except Interrupted:
        if not guard.fired:
            raise  # an enclosing guard's interruption: let it reach its own handler
        if not held:
            let_go_of_import_lock()
        raise BudgetExceeded(guard.seconds) from None
    if guard.fired:
        if not held:
            let_go_of_import_lock()
        raise BudgetExceeded(guard.seconds)
    return result
