"""Symbolic work in a separate process with a time and memory limit.

The parser's caps stop resource bombs before anything is evaluated, but an allow-listed loss
can still make sympy work for a long time (differentiating, printing LaTeX or generating code
for a large expression). The app's compile worker first tries a loss on its own thread under
a short watchdog (:mod:`gdviz.core.watchdog`); a loss that outlasts it is handed to
:class:`SymbolicSandbox`, which does the work in a worker process with a time and a memory
limit. If it takes longer than the limit the process is killed (its CPU freed at once) and the
user gets :class:`LossError` "this loss is too complex". A thread can only be interrupted
between bytecodes; a process can always be stopped.
"""

from __future__ import annotations

import _imp
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator

from gdviz.core.errors import LossError

DEFAULT_TIMEOUT = 3.0
OPEN_TIMEOUT = 2 * DEFAULT_TIMEOUT
"""Seconds for a loss accepted before: a session opened (in the window or on the command line)
and the command line's loss. A loss the command line took in 5 s, saved from its window,
was refused on opening the file in a window ("gave up after 3 s")."""
STOP_POLL = 0.05  # seconds between looks at whether a check is still wanted
DEFAULT_MEMORY_MB = 2048
STARTUP_TIMEOUT = 20.0  # importing sympy in a fresh process, on a slow, busy machine
TOO_COMPLEX = "this loss is too complex to work with (gave up after {:g} s)"
NO_WORKER = "gdviz could not start its symbolic worker process"
STOPPED = "the work on this loss was stopped"
_READY = "ready"


def _limit_memory(megabytes: int) -> None:
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform: time limit only
        pass


_STARTING = threading.local()
"""Set (``bare``) on a thread while it starts a worker: see :func:`_bare_main`."""


@contextlib.contextmanager
def _bare_main() -> Iterator[None]:
    """While this thread starts a worker process, the worker is told of no main module.

    "spawn" runs the parent's main script again in the new process, to find what its target
    needs; the worker needs only gdviz. A script that built a window without an
    ``if __name__ == "__main__":`` guard (as the README's "in a script" example reads) was run
    a second time in the worker: a second window there, a traceback, and no worker. What
    "spawn" hands the new process is filtered for this thread alone (swapping
    ``sys.modules["__main__"]`` instead hid the script's own classes from its other threads
    meanwhile: pickling one of them failed).
    """
    from multiprocessing import spawn

    if not getattr(spawn.get_preparation_data, "gdviz_filter", False):
        spawn.get_preparation_data = _without_main(spawn.get_preparation_data)
    _STARTING.bare = True
    try:
        yield
    finally:
        _STARTING.bare = False


def _without_main(prepare: Callable[[str], dict]) -> Callable[[str], dict]:
    def get_preparation_data(name: str) -> dict:
        data = prepare(name)
        if getattr(_STARTING, "bare", False):  # (this thread is starting a gdviz worker)
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
        return data

    get_preparation_data.gdviz_filter = True  # type: ignore[attr-defined]
    return get_preparation_data


def _serve(conn, memory_mb: int) -> None:
    """Worker loop: receive loss texts, do the symbolic work, answer (ok, message, position)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    _limit_memory(memory_mb)
    from gdviz.core.loss import parse_loss

    # Imports done: from now on the parent's time limit measures the symbolic work alone.
    conn.send(_READY)
    while True:
        try:
            text = conn.recv()
        except (EOFError, OSError):
            return
        if text is None:
            return
        try:
            loss = parse_loss(text)
            _ = loss.latex, loss.partials_latex
            conn.send((True, "", None))
        except LossError as err:
            conn.send((False, err.message, err.position))
        except MemoryError:
            conn.send((False, "this loss needs too much memory to work with", None))
        except Exception as err:  # noqa: BLE001 - report, never die silently
            conn.send((False, f"gdviz cannot work with this loss ({type(err).__name__})", None))


class SymbolicSandbox:
    """A persistent worker process that checks a loss within a time and memory limit.

    Parameters
    ----------
    timeout
        Seconds allowed for one loss (parse, differentiate, LaTeX, compile).
    memory_mb
        Address-space limit of the worker.

    Notes
    -----
    The worker is started on first use ("spawn", safe with Qt threads). It reports when its
    imports are done; only then does the time limit of a check start, so a fresh worker gets
    its full limit. After a timeout it is killed and a new one is started at once, warming up
    while the user reads the error (the compile worker asks the sandbox only about heavy
    losses, so the next request may be the next runaway one). Thread-safe: one check at a
    time.
    """

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, memory_mb: int = DEFAULT_MEMORY_MB):
        self.timeout = timeout
        self.memory_mb = memory_mb
        # (imported here: the window imports this module before its first frame, and
        # multiprocessing alone takes ~7 ms to import; the process starts after that frame)
        import multiprocessing

        self._ctx = multiprocessing.get_context("spawn")
        self._proc = None
        self._conn = None
        self._ready = False
        self._lock = threading.Lock()

    def _start(self) -> None:
        if self._conn is not None:  # (a worker killed by abort: its pipe closed, not leaked)
            with contextlib.suppress(OSError):
                self._conn.close()
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_serve, args=(child, self.memory_mb), daemon=True,
                                 name="gdviz-symbolic")
        with _bare_main():
            proc.start()
        child.close()
        self._proc, self._conn = proc, parent
        self._ready = False

    def start(self) -> None:
        """Start the worker now (it takes about a second to import sympy)."""
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                self._start()

    def check(self, text: str, timeout: float | None = None,
              stop: Callable[[], bool] | None = None) -> None:
        """Do the symbolic work for ``text`` in the worker; raise :class:`LossError` if bad.

        ``stop``, asked every :data:`STOP_POLL` seconds, ends the check early when it says
        the answer is no longer wanted (a newer loss typed: it waited for this one's whole
        time limit, 2.6 s from Enter to the new loss shown).

        Raises
        ------
        LossError
            The parse error, "this loss is too complex…" when the time limit passes, or
            :data:`STOPPED` when ``stop`` said so (the worker is then killed and a fresh one
            started).
        """
        limit = self.timeout if timeout is None else timeout
        with self._lock:
            if self._proc is None or not self._proc.is_alive():
                self._start()
            self._wait_ready()
            assert self._conn is not None
            try:
                self._conn.send(text)
                answered = self._wait_answer(limit, stop)
                if answered is None:  # (no longer wanted)
                    self._kill()
                    with contextlib.suppress(OSError):
                        self._start()
                    raise LossError(STOPPED)
                if answered:
                    ok, message, position = self._conn.recv()
            except (EOFError, OSError):  # killed meanwhile (abort): a fresh one next time
                self._kill()
                raise LossError(STOPPED) from None
            if not answered:
                self._kill()
                # Warm a fresh worker now (a failure here is retried on the next check).
                with contextlib.suppress(OSError):
                    self._start()
                raise LossError(TOO_COMPLEX.format(limit))
        if not ok:
            raise LossError(message, position)

    def _wait_answer(self, limit: float, stop: Callable[[], bool] | None) -> bool | None:
        """Whether the worker answered within ``limit`` seconds (None: ``stop`` said so)."""
        assert self._conn is not None
        if stop is None:
            return self._conn.poll(limit)
        deadline = time.monotonic() + limit
        while True:
            left = deadline - time.monotonic()
            if self._conn.poll(max(0.0, min(STOP_POLL, left))):
                return True
            if left <= STOP_POLL:
                return False
            if stop():
                return None

    def _wait_ready(self) -> None:
        """Wait (outside the time limit) until the worker has imported sympy."""
        if self._ready:
            return
        assert self._conn is not None
        try:
            if self._conn.poll(STARTUP_TIMEOUT) and self._conn.recv() == _READY:
                self._ready = True
                return
        except (EOFError, OSError):
            pass
        self._kill()
        raise LossError(NO_WORKER)

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(2)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None
        self._ready = False

    def abort(self) -> None:
        """Kill the worker now, from any thread, even while :meth:`check` waits on it (which
        then raises :class:`LossError`): a window closed during a long check waited up to
        the whole time limit. The next check starts a fresh worker."""
        proc = self._proc
        if proc is not None and proc.is_alive():
            proc.kill()
            proc.join(2)  # (reaped: the next check sees it gone and starts a fresh one)

    def close(self) -> None:
        """Stop the worker."""
        with self._lock:
            if self._conn is not None and self._proc is not None and self._proc.is_alive():
                try:
                    self._conn.send(None)
                    self._proc.join(1)
                except (OSError, BrokenPipeError):
                    pass
            self._kill()

    @property
    def pid(self) -> int | None:
        """The worker's process id (None when not running)."""
        return self._proc.pid if self._proc is not None and self._proc.is_alive() else None


class time_limit:  # noqa: N801 - used as a context manager, reads like a function
    """Stop symbolic work in the main thread after ``seconds`` (POSIX; elsewhere a no-op).

    sympy is pure Python, so a SIGALRM handler runs between its bytecodes and can abandon a
    runaway computation with :class:`LossError`. Used where a loss is parsed on the main thread
    before any window exists (the command line, opening a session from the command line).

    The alarm fires again every :data:`~gdviz.core.watchdog.REFIRE_INTERVAL` seconds until the
    block ends: an exception raised inside a garbage collector callback or a ``__del__`` is
    dropped by Python ("Exception ignored in ..."), and hypothesis, for one, installs such a
    callback, so a single alarm can be lost and the work run on to the end. Once the alarm has
    fired the block's result is discarded (:class:`LossError`) even if the work ends normally.
    """

    def __init__(self, seconds: float = OPEN_TIMEOUT) -> None:
        self.seconds = seconds
        self.fired = False
        self._armed = False
        self._old = None
        self._in_import: Callable[[object], bool] = lambda _frame: False
        self._held = False

    def _on_alarm(self, _signum, frame) -> None:
        self.fired = True
        # Never inside our own arming or disarming: the exception would escape the block.
        # The next alarm lands in the work instead (or the block is already over).
        if frame is not None and frame.f_code in _OWN_CODE:
            return
        # (not inside an import: its locks could be left held, and every later import would
        # hang; the next alarm, a tenth of a second on, comes after it)
        if self._in_import(frame):
            return
        # A BaseException: sympy has broad "except Exception" blocks that would swallow an
        # ordinary error and carry on.
        raise _Timeout

    def __enter__(self) -> time_limit:
        from gdviz.core.watchdog import REFIRE_INTERVAL, in_import

        self._in_import = in_import  # (the handler imports nothing: it may come mid-import)
        self._held = _imp.lock_held()  # (a hold afterwards may then not be one it left)
        self.fired = False
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGALRM, self._on_alarm)
            self._armed = True
            signal.setitimer(signal.ITIMER_REAL, self.seconds, REFIRE_INTERVAL)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            # (None: the handler before was installed from C and cannot be put back)
            signal.signal(signal.SIGALRM, signal.SIG_DFL if self._old is None else self._old)
            self._armed, self._old = False, None
        if self.fired and not self._held:
            from gdviz.core.watchdog import let_go_of_import_lock

            let_go_of_import_lock()
        if exc_type is _Timeout or (self.fired and (exc_type is None
                                                    or issubclass(exc_type, Exception))):
            raise LossError(TOO_COMPLEX.format(self.seconds)) from None


_OWN_CODE = (time_limit.__enter__.__code__, time_limit.__exit__.__code__)


class _Timeout(BaseException):
    """Raised by the alarm inside :class:`time_limit`; turned into :class:`LossError`."""
