"""A loss compiled on this thread under a short watchdog, the sandbox process deciding
for heavy ones (:func:`compile_loss`), and the app's one sandbox (:func:`shared_sandbox`).
Used by :mod:`gdviz.ui.compile_worker` on its thread."""

from __future__ import annotations

import atexit
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from gdviz.core.errors import LossError
from gdviz.core.sandbox import DEFAULT_TIMEOUT, TOO_COMPLEX, SymbolicSandbox
from gdviz.core.watchdog import BudgetExceeded, call_until, call_with_budget

if TYPE_CHECKING:  # sympy: imported on the worker thread by the first compile
    from gdviz.core.loss import Loss

FAST_BUDGET = 0.5
"""Seconds a loss may take to compile on the worker thread before the sandbox decides.

The slowest preset compiles in about 0.1 s on a slow, shared machine (cold caches included),
so only truly heavy losses pay for the process round trip.
"""
THREAD_LIMIT = DEFAULT_TIMEOUT
"""Seconds allowed on the thread when there is no sandbox process (``GDVIZ_NO_SANDBOX``)."""
_SANDBOX: SymbolicSandbox | None = None


def shared_sandbox() -> SymbolicSandbox | None:
    """The app's one sandbox process (started in the background on first call).

    ``GDVIZ_NO_SANDBOX=1`` turns it off (heavy losses then get :data:`THREAD_LIMIT` on the
    worker thread, and no memory limit).
    """
    global _SANDBOX
    if os.environ.get("GDVIZ_NO_SANDBOX"):
        return None
    if _SANDBOX is None:
        _SANDBOX = SymbolicSandbox()
        _SANDBOX.start()
        atexit.register(_SANDBOX.close)
    return _SANDBOX


def parse_loss(text: str, variables: tuple[str, str] | None = None) -> Loss:
    """:func:`gdviz.core.loss.parse_loss`, imported on first use (the first compile imports
    sympy on the worker thread, never on the GUI thread before the first frame). What the
    views do not need for their first picture (the printed forms, the Hessian) is made by
    the typesetting job that follows (:meth:`Loss.prepare`)."""
    from gdviz.core.loss import parse_loss as parse

    return parse(text, variables)


def compile_loss(text: str, sandbox=None, checked: bool = True,
                 stale: Callable[[], bool] | None = None,
                 variables: tuple[str, str] | None = None,
                 timeout: float | None = None,
                 stop: Callable[[], bool] | None = None) -> Loss | None:
    """Parse ``text`` into a compiled :class:`Loss` on this thread, stopping runaway work.

    Parameters
    ----------
    text
        The loss text.
    sandbox
        Object with ``check(text)`` raising :class:`LossError` (a :class:`SymbolicSandbox`),
        consulted only when the fast path runs out of time; None to stay on the thread.
    checked
        False for text already parsed once in this process (no budget, no sandbox).
    stale
        Returns True when the result is no longer wanted: the slow path is then skipped
        and None returned.
    variables
        The pair of names fixing the variables and their order (a session's), or None.
    timeout
        The sandbox's time limit (None: its own, for a loss typed); without a sandbox, the
        thread's, where it is longer than :data:`THREAD_LIMIT`.
    stop
        Ends the sandbox's check early when it returns True (default: ``stale``); None is
        then returned.

    Returns
    -------
    Loss or None
        The compiled loss; None when ``stale()`` (or ``stop()``) said it is no longer
        wanted, before the slow path or during it.

    Raises
    ------
    LossError
        A parse error, or "this loss is too complex…".
    """
    if not checked:
        return parse_loss(text, variables)
    if sandbox is None:  # no process to fall back on: one, longer, budget on the thread
        # (a session's own longer limit too: opened before the sandbox process had started,
        # a loss the command line took in 4 s was refused after 3 s)
        limit = THREAD_LIMIT if timeout is None else max(timeout, THREAD_LIMIT)
        wanted = stop or stale  # (a newer request stops it, as it stops the sandbox's check)
        try:
            return call_until(limit, wanted, parse_loss, text, variables)
        except BudgetExceeded:
            if wanted is not None and wanted():
                return None
            raise LossError(TOO_COMPLEX.format(limit)) from None
    try:
        # FAST_BUDGET is read here, not bound as a default, so tests can shorten it.
        return call_with_budget(FAST_BUDGET, parse_loss, text, variables)
    except (BudgetExceeded, MemoryError):
        pass  # too heavy for the fast path: let the sandbox decide
    if stale is not None and stale():
        return None
    stop = stop or stale
    try:  # time and memory limited; raises LossError when it gives up
        sandbox.check(text, timeout, stop)
    except LossError:
        if stop is not None and stop():  # (stopped for a newer request)
            return None
        raise
    return parse_loss(text, variables)
