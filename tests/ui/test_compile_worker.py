"""The compile worker: a fast path on its thread, the sandbox for heavy losses, and
typesetting as a separate, later job."""

from __future__ import annotations

import time

import pytest
from PySide6 import QtTest, QtWidgets

from gdviz.core.errors import LossError
from gdviz.core.loss import parse_loss
from gdviz.ui import compile_worker as cw
from gdviz.ui import sandboxed_compile as sc
from gdviz.ui.compile_worker import CompileWorker


class FakeSandbox:
    """Records the texts it is asked about; answers like the real one."""

    def __init__(self, reject: str = "") -> None:
        self.calls: list[str] = []
        self.timeouts: list[float | None] = []
        self.reject = reject

    def check(self, text: str, timeout: float | None = None, stop=None) -> None:
        self.calls.append(text)
        self.timeouts.append(timeout)
        if self.reject:
            raise LossError(self.reject)


def spin(seconds: float) -> None:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        pass


@pytest.fixture
def slow_parse(monkeypatch):
    """Every parse grinds (in pure Python) for longer than a shortened fast-path budget."""
    monkeypatch.setattr(sc, "FAST_BUDGET", 0.05)
    real = sc.parse_loss

    def parse(text, variables=None):
        spin(0.15)
        return real(text, variables)

    monkeypatch.setattr(sc, "parse_loss", parse)


def results(worker):
    compiled, typeset = [], []
    worker.finished.connect(compiled.append)
    worker.typeset.connect(typeset.append)
    return compiled, typeset


def test_an_ordinary_loss_is_compiled_without_the_sandbox(qtbot):
    sandbox = FakeSandbox()
    worker = CompileWorker(sandbox=sandbox)
    compiled, _ = results(worker)
    worker.submit("x^2 + y^2")
    qtbot.waitUntil(lambda: bool(compiled) and not worker.busy, timeout=10000)
    assert compiled[0].loss is not None and compiled[0].loss.text == "x^2 + y^2"
    assert sandbox.calls == []


def test_a_loss_over_the_budget_is_decided_by_the_sandbox(qtbot, slow_parse):
    sandbox = FakeSandbox()
    worker = CompileWorker(sandbox=sandbox)
    compiled, _ = results(worker)
    worker.submit("sin(x) + y")
    qtbot.waitUntil(lambda: bool(compiled) and not worker.busy, timeout=10000)
    assert sandbox.calls == ["sin(x) + y"]
    # Accepted by the sandbox, then compiled on the thread without the short budget.
    assert compiled[0].loss is not None and compiled[0].loss.text == "sin(x) + y"


def test_a_loss_the_sandbox_gives_up_on_is_reported(slow_parse):
    sandbox = FakeSandbox(reject="this loss is too complex to work with (gave up after 3 s)")
    with pytest.raises(LossError, match="too complex"):
        cw.compile_loss("x*y", sandbox)
    assert sandbox.calls == ["x*y"]


def test_a_stale_request_does_not_go_to_the_sandbox(slow_parse):
    sandbox = FakeSandbox()
    assert cw.compile_loss("x*y", sandbox, stale=lambda: True) is None
    assert sandbox.calls == []


def test_without_a_sandbox_a_runaway_loss_is_stopped_on_the_thread(monkeypatch, slow_parse):
    monkeypatch.setattr(sc, "THREAD_LIMIT", 0.05)
    t0 = time.perf_counter()
    with pytest.raises(LossError, match="too complex"):
        cw.compile_loss("x*y", None)
    assert time.perf_counter() - t0 < 1.0


def test_without_a_sandbox_a_sessions_longer_limit_holds(monkeypatch, slow_parse):
    # A session opened before the sandbox process started: its loss gets the session's
    # limit on the thread (a loss the command line took in 4 s was refused after 3 s).
    monkeypatch.setattr(sc, "THREAD_LIMIT", 0.05)
    loss = cw.compile_loss("x*y", None, timeout=2.0)
    assert loss is not None and loss.text == "x*y"
    with pytest.raises(LossError, match=r"gave up after 0\.05 s"):
        cw.compile_loss("x*y", None, timeout=0.01)  # (never shorter than the thread's own)


def test_without_a_sandbox_a_request_no_longer_wanted_stops_at_once(monkeypatch):
    # (on the thread it ran on to its limit, 6 s for a session, after a newer loss came)
    monkeypatch.setattr(sc, "parse_loss", lambda text, variables=None: spin(10.0))
    asked = time.perf_counter()
    t0 = time.perf_counter()
    assert cw.compile_loss("x*y", None, timeout=6.0,
                           stale=lambda: time.perf_counter() - asked > 0.2) is None
    assert time.perf_counter() - t0 < 2.0


def test_parse_errors_come_from_the_fast_path():
    sandbox = FakeSandbox()
    with pytest.raises(LossError) as info:
        cw.compile_loss("x +* y", sandbox)
    assert info.value.position is not None and sandbox.calls == []


def test_the_compile_job_does_not_typeset(qtbot):
    rendered = []
    worker = CompileWorker(sandbox=None, render=lambda loss: rendered.append(loss) or {})
    compiled, typeset = results(worker)
    worker.submit("x^2 + y^2")
    qtbot.waitUntil(lambda: bool(compiled) and not worker.busy, timeout=10000)
    assert compiled[0].loss is not None
    assert rendered == [] and typeset == []


def test_typesetting_a_compiled_loss_does_not_compile_it_again(qtbot):
    worker = CompileWorker(sandbox=None, render=lambda loss: {"f": loss.text.encode()})
    compiled, typeset = results(worker)
    loss = parse_loss("sin(w1)*w2*(1 - w2)")
    assert not loss.plain_ready  # printed by the typesetting job, not by the compile
    worker.submit_typeset(loss)
    qtbot.waitUntil(lambda: len(typeset) == 2, timeout=10000)
    # First the plain-text forms (printed, no images yet), then the images.
    assert typeset[0].images == {} and loss.plain_ready
    assert loss.partials_plain == ("w2*(1 - w2)*cos(w1)", "(1 - 2*w2)*sin(w1)")
    assert typeset[1].images == {"f": b"sin(w1)*w2*(1 - w2)"}
    assert typeset[1].variables == ("w1", "w2")
    assert loss._h is not None  # the Hessian's code was made there too, off the GUI thread
    assert compiled == []


def test_the_hessian_is_made_off_the_gui_thread_even_when_printing_uses_the_budget_up(
        qtbot, monkeypatch):
    """A heavy loss's plain forms took the typesetting job's whole budget (3.6 s of 2): its
    Hessian (0.65 s) was then made on the GUI thread by its first Newton run, frozen."""
    monkeypatch.setattr(cw, "TYPESET_BUDGET", 0.05)
    worker = CompileWorker(sandbox=None, render=None)
    _, typeset = results(worker)
    loss = parse_loss("sin(w1)*w2*(1 - w2)")
    monkeypatch.setattr(loss, "_plain_forms", lambda: spin(0.5))  # (the budget used up)
    worker.submit_typeset(loss)
    qtbot.waitUntil(lambda: bool(typeset) and not worker.busy, timeout=10000)
    assert loss._h is not None


def test_a_failed_loss_is_reported_and_not_typeset(qtbot):
    calls = []
    worker = CompileWorker(sandbox=None, render=lambda loss: calls.append(loss) or {})
    compiled, _ = results(worker)
    worker.submit("x +* y")
    qtbot.waitUntil(lambda: bool(compiled) and not worker.busy, timeout=10000)
    assert compiled[0].loss is None and compiled[0].error
    assert calls == []


class PaintProbe(QtWidgets.QWidget):
    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.log.append("paint")


def test_typeset_soon_runs_after_the_paint_and_keeps_the_worker_busy(qtbot):
    log: list[str] = []
    probe = PaintProbe(log)
    qtbot.addWidget(probe)
    probe.show()
    assert QtTest.QTest.qWaitForWindowExposed(probe)
    worker = CompileWorker(sandbox=None,
                           render=lambda loss: log.append("render") or {"f": b"png"})
    compiled, typeset = results(worker)
    busy: list[bool] = []
    worker.busyChanged.connect(busy.append)

    def on_compiled(result) -> None:  # what the window does with a new loss
        log.clear()
        probe.update()
        worker.typeset_soon(result.loss)

    worker.finished.connect(on_compiled)
    worker.submit("x^2 + y^2")
    worker.wait(10000)  # as MainWindow.wait_idle: returns once the typeset is delivered too
    assert compiled and typeset and typeset[-1].images == {"f": b"png"}
    assert log[:2] == ["paint", "render"]
    assert busy == [True, False]  # never idle between the compile and its typesetting


def test_a_newer_loss_makes_a_scheduled_typeset_useless(qtbot):
    rendered = []
    worker = CompileWorker(sandbox=None, render=lambda loss: rendered.append(loss.text) or {})
    compiled, typeset = results(worker)
    worker.typeset_soon(parse_loss("x*y"))
    worker.submit("x^2 + y^2")  # replaces the loss before the typeset was submitted
    assert worker.wait(10000)
    assert rendered == [] and typeset == []
    assert compiled[0].loss.text == "x^2 + y^2"


def test_a_typeset_request_does_not_hide_a_newer_compile_result(qtbot):
    worker = CompileWorker(sandbox=None, render=lambda loss: {})
    compiled, typeset = results(worker)
    worker.submit("x^2 + y^2")
    worker.submit_typeset(parse_loss("x*y"))  # a newer request, but of the other kind
    assert worker.wait(10000)
    assert [r.text for r in compiled] == ["x^2 + y^2"]
    assert [r.text for r in typeset] == ["x*y", "x*y"]  # its plain forms, then its images


def test_only_the_newest_compile_is_delivered(qtbot):
    worker = CompileWorker(sandbox=None)
    compiled, _ = results(worker)
    for k in range(1, 5):
        worker.submit(f"{k}*x + y")
    assert worker.wait(10000)
    assert [r.text for r in compiled] == ["4*x + y"]


def test_a_shut_down_worker_starts_no_job(qtbot):
    worker = CompileWorker()
    finished = []
    worker.finished.connect(finished.append)
    worker.shutdown()
    worker.submit("x^2 + y^2")
    worker.submit_typeset(parse_loss("x + y"))
    assert not worker.busy and worker._pool.activeThreadCount() == 0
    assert worker.wait(2000)
    qtbot.wait(200)
    assert finished == []


def test_a_validation_due_after_the_window_closed_compiles_nothing(qtbot):
    """Typing, then closing before the debounced validation fires: the window, about to be
    deleted, must have no compile job (one waiting for the GIL would hang its deletion)."""
    from gdviz.ui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    QtTest.QTest.qWaitForWindowExposed(w)
    w.wait_idle()
    started = []
    real = w.worker._pool.start
    w.worker._pool.start = lambda job: (started.append(job), real(job))  # noqa: B023
    w.loss_panel.edit.setFocus()
    QtTest.QTest.keyClicks(w.loss_panel.edit, " + y")  # the validation is due in 250 ms
    w.close()
    qtbot.wait(600)  # (events run: the debounce timer fires)
    assert started == [] and not w.worker.busy


def test_a_session_s_loss_gets_the_longer_limit_of_a_loss_accepted_before(qtbot, slow_parse):
    """A loss the command line took in 5 s (its limit 6 s), saved from its window, was
    refused on opening the file in a window: "gave up after 3 s". A loss typed keeps the
    sandbox's own limit."""
    from gdviz.core.sandbox import DEFAULT_TIMEOUT, OPEN_TIMEOUT

    sandbox = FakeSandbox()
    worker = CompileWorker(sandbox=sandbox)
    got = []
    worker.compile_for("sin(x) + y", None, got.append)
    qtbot.waitUntil(lambda: bool(got) and not worker.busy, timeout=10000)
    compiled, _ = results(worker)
    worker.submit("cos(x) + y")
    qtbot.waitUntil(lambda: bool(compiled) and not worker.busy, timeout=10000)
    assert sandbox.calls == ["sin(x) + y", "cos(x) + y"]
    assert sandbox.timeouts == [OPEN_TIMEOUT, None] and OPEN_TIMEOUT >= 2 * DEFAULT_TIMEOUT


def test_a_sandbox_check_made_stale_by_a_newer_loss_is_given_up(slow_parse):
    """It went on to its whole limit, the newer loss waiting behind it (2.6 s)."""
    class Stopped(FakeSandbox):
        def check(self, text, timeout=None, stop=None) -> None:
            super().check(text, timeout, stop)
            assert stop is not None and stop()  # (asked while it works)
            raise LossError("the work on this loss was stopped")

    wanted = [True]
    sandbox = Stopped()

    def stale() -> bool:
        wanted[0] = False if sandbox.calls else wanted[0]
        return not wanted[0]

    assert cw.compile_loss("x*y", sandbox, stale=stale) is None  # (no error shown)
    assert sandbox.calls == ["x*y"]


class WaitingSandbox(FakeSandbox):
    """Works until released or stopped; records which."""

    def __init__(self) -> None:
        super().__init__()
        import threading

        self.entered, self.release = threading.Event(), threading.Event()
        self.stopped: list[bool] = []

    def check(self, text: str, timeout: float | None = None, stop=None) -> None:
        super().check(text, timeout, stop)
        self.entered.set()
        t0 = time.perf_counter()
        while not self.release.is_set() and time.perf_counter() - t0 < 5.0:
            if stop is not None and stop():
                self.stopped.append(True)
                raise LossError("the work on this loss was stopped")
            time.sleep(0.01)
        self.stopped.append(False)


def test_a_check_of_typed_text_is_stopped_by_a_loss_to_apply_not_by_another_check(
        qtbot, slow_parse):
    """Each pause in typing a heavy loss killed the sandbox's warm process (0.7-1.2 s to
    start anew); a loss to apply still stops it at once."""
    sandbox = WaitingSandbox()
    worker = CompileWorker(sandbox=sandbox)
    worker.submit("x*y", apply=False)
    assert sandbox.entered.wait(5.0)
    worker.submit("x*y + 1", apply=False)  # (typing on)
    qtbot.wait(300)
    assert sandbox.stopped == []  # (still working: not stopped by a check)
    sandbox.entered.clear()
    sandbox.release.set()
    qtbot.waitUntil(lambda: len(sandbox.stopped) >= 1, timeout=5000)
    assert sandbox.stopped[0] is False
    qtbot.waitUntil(lambda: not worker.busy, timeout=10000)
    done = len(sandbox.stopped)  # (the second check ran too, once the first had ended)
    sandbox.release.clear()
    sandbox.entered.clear()
    worker.submit("x*y + 2", apply=False)
    assert sandbox.entered.wait(5.0)
    worker.submit("x^2 + y^2")  # (Enter on a loss: applied)
    qtbot.waitUntil(lambda: len(sandbox.stopped) > done, timeout=3000)
    assert sandbox.stopped[done] is True
    sandbox.release.set()
    qtbot.waitUntil(lambda: not worker.busy, timeout=10000)


def test_a_session_s_compile_no_longer_wanted_stops_and_says_so(qtbot, slow_parse):
    """A loss typed while a session's loss was checked waited behind it, up to its 6 s."""
    sandbox = WaitingSandbox()
    worker = CompileWorker(sandbox=sandbox)
    wanted, got = [True], []
    worker.compile_for("x*y", None, got.append, stale=lambda: not wanted[0])
    assert sandbox.entered.wait(5.0)
    wanted[0] = False
    qtbot.waitUntil(lambda: bool(got) and not worker.busy, timeout=3000)
    assert sandbox.stopped == [True]
    assert got[0].loss is None and got[0].error == "the work on this loss was stopped"
    sandbox.release.set()


def test_dropped_checks_deliver_nothing(qtbot, slow_parse):
    """The loss shown typed again left an older check of another text running, its late
    result delivered (a "valid" or a refusal of a text no longer in the box)."""
    sandbox = WaitingSandbox()
    worker = CompileWorker(sandbox=sandbox)
    compiled, _ = results(worker)
    worker.submit("x*y", apply=False)
    assert sandbox.entered.wait(5.0)
    worker.drop_checks()
    sandbox.release.set()
    qtbot.waitUntil(lambda: not worker.busy, timeout=10000)
    assert compiled == []
