"""Parse, differentiate, compile and typeset a loss off the GUI thread.

Each request gets an id; only the newest request's result is delivered, so fast typing never
shows a stale loss. The compiled loss is delivered first (:attr:`CompileWorker.finished`), its
typeset formulas next (:attr:`CompileWorker.typeset`). The symbolic work first runs in the
sandbox process (which has a time and memory limit and is killed on a runaway loss), then once
more here to get compiled functions.
"""

from __future__ import annotations

import atexit
import os
from dataclasses import dataclass, field

from gdviz.core.errors import LossError
from gdviz.core.loss import Loss, parse_loss
from gdviz.core.sandbox import SymbolicSandbox
from gdviz.ui.qt import QtCore, Signal

_SANDBOX: SymbolicSandbox | None = None


def shared_sandbox() -> SymbolicSandbox | None:
    """The app's one sandbox process (started in the background on first call).

    ``GDVIZ_NO_SANDBOX=1`` turns it off (the symbolic work then runs only on the thread).
    """
    global _SANDBOX
    if os.environ.get("GDVIZ_NO_SANDBOX"):
        return None
    if _SANDBOX is None:
        _SANDBOX = SymbolicSandbox()
        _SANDBOX.start()
        atexit.register(_SANDBOX.close)
    return _SANDBOX


@dataclass
class CompileResult:
    """What the worker hands back to the GUI thread."""

    request: int
    text: str
    loss: Loss | None = None
    error: str = ""
    position: int = -1
    apply: bool = False
    images: dict[str, bytes] = field(default_factory=dict)


@dataclass
class TypesetResult:
    """Typeset formula images of a compiled loss (they follow its :class:`CompileResult`)."""

    request: int
    text: str
    variables: tuple[str, str]
    images: dict[str, bytes] = field(default_factory=dict)


class _Signals(QtCore.QObject):
    finished = Signal(object)
    typeset = Signal(object)
    done = Signal()


class _Job(QtCore.QRunnable):
    """Compile a text (or take an already compiled loss), hand it over, then typeset it.

    The compiled loss is delivered before typesetting starts, so the views redraw while the
    formulas are being set (typesetting costs as much as compiling).
    """

    def __init__(self, request: int, text: str, apply: bool, sandbox, render,
                 latest=None, loss: Loss | None = None) -> None:
        super().__init__()
        self.request, self.text, self.apply = request, text, apply
        self.sandbox, self.render = sandbox, render
        self.latest = latest or (lambda: request)
        self.loss = loss
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self._compile() if self.loss is None else None
            loss = self.loss if result is None else result.loss
            if result is not None:
                self.signals.finished.emit(result)
            # A newer request makes these formulas useless: skip the work.
            if loss is not None and self.render is not None and self.latest() == self.request:
                try:
                    images = self.render(loss)
                except Exception:  # noqa: BLE001 - plain text is shown instead
                    images = {}
                self.signals.typeset.emit(TypesetResult(self.request, loss.text,
                                                        tuple(loss.variables), images))
        finally:
            self.signals.done.emit()

    def _compile(self) -> CompileResult:
        result = CompileResult(self.request, self.text, apply=self.apply)
        try:
            if self.sandbox is not None:
                self.sandbox.check(self.text)
            result.loss = parse_loss(self.text)
            _ = result.loss.latex, result.loss.partials_latex
        except LossError as err:
            result.loss = None
            result.error = err.message
            result.position = -1 if err.position is None else int(err.position)
        except Exception as err:  # noqa: BLE001 - a loss must never take the app down
            result.loss = None
            result.error = f"gdviz cannot work with this loss ({type(err).__name__})"
        return result


class CompileWorker(QtCore.QObject):
    """Compiles loss texts on a background thread; emits :attr:`finished` with the newest.

    Parameters
    ----------
    sandbox
        Object with ``check(text)`` raising :class:`LossError` (see
        :mod:`gdviz.core.sandbox`), or None to skip the process check.
    render
        Callable ``Loss -> dict[str, bytes]`` producing typeset formula images, or None.
    """

    finished = Signal(object)  # CompileResult
    typeset = Signal(object)  # TypesetResult, after the CompileResult of the same request
    busyChanged = Signal(bool)

    def __init__(self, sandbox=None, render=None, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # sympy is not thread-safe enough to run two at once
        self._latest = 0
        self._pending = 0
        self.sandbox = sandbox
        self.render = render

    def submit(self, text: str, apply: bool = True, check: bool = True) -> int:
        """Queue ``text``; return its request id.

        ``check=False`` skips the sandbox process for text already parsed once in this process
        (the launch loss), so the first formulas appear without waiting for the worker.
        """
        return self._start(text, apply, self.sandbox if check else None, None)

    def submit_typeset(self, loss: Loss) -> int:
        """Typeset an already compiled ``loss`` (emits only :attr:`typeset`)."""
        return self._start(loss.text, False, None, loss)

    def _start(self, text: str, apply: bool, sandbox, loss: Loss | None) -> int:
        self._latest += 1
        job = _Job(self._latest, text, apply, sandbox, self.render,
                   latest=lambda: self._latest, loss=loss)
        queued = QtCore.Qt.QueuedConnection
        job.signals.finished.connect(self._on_job_finished, queued)
        job.signals.typeset.connect(self._on_job_typeset, queued)
        job.signals.done.connect(self._on_job_done, queued)
        self._pending += 1
        if self._pending == 1:
            self.busyChanged.emit(True)
        self._pool.start(job)
        return self._latest

    def _on_job_finished(self, result: CompileResult) -> None:
        if result.request == self._latest:
            self.finished.emit(result)

    def _on_job_typeset(self, result: TypesetResult) -> None:
        if result.request == self._latest:
            self.typeset.emit(result)

    def _on_job_done(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busyChanged.emit(False)

    def cancel_pending(self) -> None:
        """Drop queued (not yet started) requests, e.g. when the window closes."""
        self._pool.clear()
        self._pending = min(self._pending, self._pool.activeThreadCount())

    @property
    def busy(self) -> bool:
        """True while a request is being worked on."""
        return self._pending > 0

    def wait(self, msecs: int = 30000) -> bool:
        """Block until queued work is done (for tests and headless rendering)."""
        ok = self._pool.waitForDone(msecs)
        QtCore.QCoreApplication.processEvents()
        return ok
