"""Keep the garbage collector's full passes short in the window's process.

By the end of start-up the process holds about 180,000 objects that live as long as it does:
the modules of numpy, sympy, matplotlib and pyqtgraph, Qt's wrappers, the window. CPython's
full (generation 2) collection walks all of them while holding the GIL, 82–104 ms on the
development machine, and it runs on whichever thread's allocations trigger it: typically the
typesetting thread in the middle of a long derivation, and every other thread, the GUI thread
included, waits. (Measured: the longest stall of the event loop while the Chain rule tab
typeset an 8-factor product, 82–104 ms, was such a collection; with the start-up objects
frozen, no collection took over 8 ms and the collector's total time fell from 150–190 ms to
50–70 ms.) The benchmark has frozen its heap since the first measurements; the app now does
so too.

``gc.freeze()`` moves every object alive now to a permanent generation that collections skip.
Objects freed by reference counting (nearly all) are freed as before; only a reference cycle
among the frozen objects that later becomes garbage would stay, and start-up objects are meant
to live as long as the process. It is done once per process, when start-up has settled: its
steps done, the first loss compiled and typeset (sympy and matplotlib are imported on the
compile thread, after the first frame) and no job running on the window's thread pools.
"""

from __future__ import annotations

import gc
import time

SETTLE_POLL_MS = 250  # how often to look whether start-up has settled
RESUME_FALLBACK_MS = 15_000  # the collector runs again by then, settled or not
_frozen = False
_paused = False


def pause_collector() -> None:
    """Stop automatic collections while the app launches (no Qt is imported here).

    A launch makes ~180,000 objects, nearly all of which live on: the collector walked them
    in 89 passes before the first frame (about 10 ms) and in three full passes of 63–67 ms
    after it (220 ms in the first 5 s). Paused, the launch's garbage waits for the one
    collection of :func:`freeze_startup_objects`, which turns automatic collections back on
    (so does, at the latest, :data:`RESUME_FALLBACK_MS` after the first frame, see
    :mod:`gdviz.ui.startup`). Measured, alternating launches: the first frame 289 → 280 ms
    (median of 34), the complete window (``--screenshot``) 1.78 → 1.50 s (median of 8).
    Nothing happens if they were off already.
    """
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collector() -> None:
    """Turn automatic collections back on if :func:`pause_collector` turned them off."""
    global _paused
    if _paused:
        gc.enable()
        _paused = False


def freeze_startup_objects() -> bool:
    """Move the objects alive now out of the collector's reach, once per process.

    Returns
    -------
    bool
        True when this call froze them, False when an earlier call had already done it.
    """
    global _frozen
    if _frozen:
        return False
    # First the garbage of the launch (27,000 objects, ~5 MB: mostly the exceptions, frames
    # and tracebacks of the typesetter's parser), which frozen would never be freed: one
    # collection, ~110 ms, instead of the three full ones (63-67 ms each) that came at random
    # moments of a launch before.
    gc.collect()
    gc.freeze()
    _frozen = True
    resume_collector()  # (the long-lived objects are out of its way now)
    return True


def freeze_when_settled(window, since: float | None = None) -> None:
    """Freeze the start-up objects once ``window`` has settled (see the module's notes).

    Parameters
    ----------
    window : gdviz.ui.main_window.MainWindow
        Its ``startup`` steps, its compile ``worker`` and the jobs on the thread pools under
        it are waited for; the check is repeated every :data:`SETTLE_POLL_MS` milliseconds
        while any is busy (the timer goes with the window). It stops when the window is
        closed or hidden, and after :data:`RESUME_FALLBACK_MS`: what is alive by then is no
        longer start-up's alone (a restored session's long runs, say), and is not frozen.
    since : float, optional
        ``time.monotonic()`` of the first check (set by the first call).
    """
    from gdviz.ui.binding import QtCore

    now = time.monotonic()
    since = now if since is None else since
    if _frozen or not window.isVisible() or now - since > RESUME_FALLBACK_MS / 1000:
        return
    # Also no job running on the window's other thread pools (the lecture tabs' typesetting):
    # the collection frees finished jobs' wrappers, and freeing Qt wrappers while a
    # typesetting thread ran once crashed the test suite (tests/ui/conftest.py).
    pools_busy = any(pool.activeThreadCount()
                     for pool in window.findChildren(QtCore.QThreadPool))
    if window.startup.busy or window.worker.busy or pools_busy:
        QtCore.QTimer.singleShot(SETTLE_POLL_MS, window,
                                 lambda: freeze_when_settled(window, since))
        return
    freeze_startup_objects()
