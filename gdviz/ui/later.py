"""Run something once the views have painted what was just changed.

Widget repaints are low-priority ``UpdateRequest`` events, posted when a view calls
``update()``; posted events run by priority, then in posting order. A low-priority event posted
after the change therefore runs after those paints — twice in a row, because a view may post
its repaint from a queued call of its own. Work that is not itself a view (typesetting a
formula on a thread, say) then does not compete with the repaint for the GIL.
(:meth:`gdviz.ui.compile_worker.CompileWorker.typeset_soon` does the same for the formulas.)
"""

from __future__ import annotations

from collections.abc import Callable

from gdviz.ui.binding import QtCore

_HOP = QtCore.QEvent.Type(QtCore.QEvent.registerEventType())
HOPS = 2


class _Later(QtCore.QObject):
    def __init__(self, callback: Callable[[], None], parent: QtCore.QObject | None) -> None:
        super().__init__(parent)
        self.callback = callback
        self.left = HOPS

    def customEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() != _HOP:
            return
        self.left -= 1
        if self.left > 0:
            _post(self)
            return
        try:
            self.callback()
        finally:
            self.deleteLater()


def _post(obj: QtCore.QObject) -> None:
    QtCore.QCoreApplication.postEvent(obj, QtCore.QEvent(_HOP),
                                      QtCore.Qt.EventPriority.LowEventPriority.value)


def after_paints(callback: Callable[[], None], parent: QtCore.QObject | None = None) -> None:
    """Call ``callback`` on this thread once the pending repaints have been done.

    ``parent`` (a widget, say) cancels the call if it is deleted first.
    """
    _post(_Later(callback, parent))


def drain_pools(root: QtCore.QObject, msecs: int = 30000) -> bool:
    """Drop the background jobs queued in the thread pools under ``root`` and wait (up to
    ``msecs`` each) for those running; True when every pool is idle.

    Call it before ``root`` goes away. A ``QThreadPool`` deleted with its parent waits for its
    threads in C++ while the GIL is held, and a job about to run Python waits for the GIL:
    the window would hang for good. Waiting here, called from Python, lets the jobs finish.
    """
    idle = True
    for pool in root.findChildren(QtCore.QThreadPool):
        pool.clear()
        if not pool.waitForDone(msecs):
            # Still busy: kept out of ``root``'s deletion (and alive) until the process ends.
            idle = False
            pool.setParent(None)
            _BUSY_POOLS.append(pool)
    return idle


_BUSY_POOLS: list[QtCore.QThreadPool] = []
