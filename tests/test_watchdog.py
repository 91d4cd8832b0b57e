"""The watchdog stops runaway pure-Python work on a thread and never leaks its interruption."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from gdviz.core import watchdog
from gdviz.core.watchdog import BudgetExceeded, Interrupted, call_with_budget


def spin(seconds: float) -> int:
    """Pure-Python busy work (no C call that blocks), like sympy grinding."""
    t0, n = time.perf_counter(), 0
    while time.perf_counter() - t0 < seconds:
        n += 1
    return n


def in_thread(fn):
    """Run ``fn`` in a new thread; return what it returned or raised."""
    out: dict = {}

    def target() -> None:
        try:
            out["value"] = fn()
        except BaseException as err:  # noqa: BLE001 - the test inspects it
            out["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(10)
    assert not thread.is_alive()
    return out


def test_a_busy_loop_in_a_thread_is_stopped_within_budget_and_margin():
    def work():
        t0 = time.perf_counter()
        with pytest.raises(BudgetExceeded) as info:
            call_with_budget(0.1, spin, 30.0)
        return time.perf_counter() - t0, info.value.seconds

    out = in_thread(work)
    took, budget = out["value"]
    assert budget == 0.1
    assert 0.1 <= took < 2.0, f"stopped after {took:.2f} s"  # a 30 s loop, stopped


def test_work_that_finishes_in_time_is_returned_and_not_interrupted():
    # Generous budgets: a loaded machine may not run this thread for a while.
    assert call_with_budget(1.0, spin, 0.01) > 0
    assert call_with_budget(1.0, lambda a, b=0: a + b, 1, b=2) == 3
    spin(1.1)  # past the budget: nothing was left pending for this thread


def test_errors_of_the_work_pass_through():
    with pytest.raises(ZeroDivisionError):
        call_with_budget(0.5, lambda: 1 / 0)


def test_an_interrupted_thread_is_usable_again():
    def work():
        with pytest.raises(BudgetExceeded):
            call_with_budget(0.05, spin, 30.0)
        assert call_with_budget(1.0, spin, 0.01) > 0  # generous: a loaded machine is slow
        return spin(0.2)  # an unguarded loop after both guards is not interrupted

    assert in_thread(work)["value"] > 0


def test_no_interruption_leaks_when_the_work_ends_at_the_deadline(monkeypatch):
    # Finish before, around or after the moment the watchdog fires (it also waits for the
    # GIL: up to a switch interval, 5 ms), many times: whatever the race, nothing reaches
    # code after call_with_budget.
    monkeypatch.setattr(watchdog, "REFIRE_INTERVAL", 0.001)

    def work():
        outcomes = {"ok": 0, "exceeded": 0}
        for k in range(100):
            try:
                call_with_budget(0.002, spin, 0.001 + 0.001 * (k % 10))
                outcomes["ok"] += 1
            except BudgetExceeded:
                outcomes["exceeded"] += 1
            spin(0.003)  # a pending interruption would be delivered here
        return outcomes

    out = in_thread(work)
    assert "error" not in out, f"leaked: {out.get('error')!r}"
    assert out["value"]["exceeded"] > 0


def test_work_that_swallows_the_interruption_is_stopped_again():
    def stubborn():
        for _ in range(2):
            with contextlib.suppress(Interrupted):  # swallowed, as a bare "except:" would
                spin(30.0)

    def work():
        t0 = time.perf_counter()
        with pytest.raises(BudgetExceeded):
            call_with_budget(0.05, stubborn)
        return time.perf_counter() - t0

    assert in_thread(work)["value"] < 2.0


def test_an_enclosing_guard_interrupts_through_an_inner_one():
    def inner():
        return call_with_budget(10.0, spin, 30.0)

    def work():
        t0 = time.perf_counter()
        with pytest.raises(BudgetExceeded) as info:
            call_with_budget(0.1, inner)
        return time.perf_counter() - t0, info.value.seconds

    took, budget = in_thread(work)["value"]
    assert budget == 0.1 and took < 2.0


def test_interrupted_is_not_an_ordinary_exception():
    # sympy's "except Exception" blocks must not swallow it.
    assert not issubclass(Interrupted, Exception)
    assert issubclass(BudgetExceeded, TimeoutError)


def test_work_no_longer_wanted_is_stopped_before_its_budget():
    """The Chain rule tab's derivation of a loss already replaced held its one thread for
    minutes: ``stop`` saying so ends it within a poll or two."""
    from gdviz.core.watchdog import STOP_POLL, call_until

    wanted = [True]
    threading.Timer(0.2, lambda: wanted.__setitem__(0, False)).start()
    t0 = time.perf_counter()
    with pytest.raises(BudgetExceeded):
        call_until(30.0, lambda: not wanted[0], spin, 20.0)
    assert time.perf_counter() - t0 < 0.2 + 10 * STOP_POLL
    assert call_until(5.0, lambda: False, spin, 0.1) > 0  # (never asked to stop: done)


def test_a_stop_that_raises_stops_the_work_and_leaves_the_deadline():
    """A ``stop`` that raised killed the watchdog thread: the budget was never kept."""
    from gdviz.core.watchdog import call_until

    t0 = time.perf_counter()
    with pytest.raises(BudgetExceeded):
        call_until(0.3, lambda: 1 / 0, spin, 5.0)
    assert time.perf_counter() - t0 < 1.0


# (code that reads as importlib's own: the watchdog must not fire in it)
_IMPORTLIB = compile(
    "import sys, time\n"
    "def fake_import(seconds, done):\n"
    "    t0 = time.perf_counter()\n"
    "    while time.perf_counter() - t0 < seconds:\n"
    "        pass\n"
    "    done.append(True)\n"
    "def here():\n"
    "    return sys._getframe()\n",
    "<frozen importlib._bootstrap>", "exec")
_NS: dict = {}
exec(_IMPORTLIB, _NS)  # noqa: S102 - the test's own constant source, not user text


def test_the_watchdog_waits_for_the_work_to_leave_an_import():
    """An interruption inside importlib's code left the global import lock held (the window
    hung at launch); it now comes once the work has left that code."""
    def work():
        done: list = []

        def job():
            _NS["fake_import"](0.4, done)  # past the budget, inside "importlib"
            spin(30.0)

        t0 = time.perf_counter()
        with pytest.raises(BudgetExceeded):
            call_with_budget(0.05, job)
        return done, time.perf_counter() - t0

    out = in_thread(work)
    done, took = out["value"]
    assert done == [True]  # it ran its "import" to the end
    assert 0.4 <= took < 5.0


def test_importing_is_told_from_the_innermost_frame():
    import sys

    assert watchdog.in_import(_NS["here"]())  # (importlib's own code)
    assert not watchdog.in_import(sys._getframe())  # (a module's, an import's or not)
    assert not watchdog.in_import(None)  # (no frame: the thread is gone)
    assert watchdog.in_import([])  # (read from another thread, not a frame: look again)
    assert not watchdog.importing(threading.get_ident())


def test_a_global_import_lock_left_held_by_the_interrupted_work_is_let_go():
    import _imp

    def work():
        def job():
            _imp.acquire_lock()  # (as importlib's callback had, interrupted before its try)
            spin(30.0)

        with pytest.raises(BudgetExceeded):
            call_with_budget(0.05, job)
        held = 0
        while True:  # (this thread's holds; never leave one: every import would hang)
            try:
                _imp.release_lock()
            except RuntimeError:  # (not held by this thread)
                return held
            held += 1

    assert in_thread(work)["value"] == 0


def test_work_guarded_from_a_module_being_imported_is_still_stopped(tmp_path, monkeypatch):
    """The imports below the guarded call are not the work's: a budget set in a module's
    own code, while it is imported, was never enforced (a review)."""
    import importlib
    import sys

    (tmp_path / "guarded_at_import.py").write_text(
        "import time\n"
        "from gdviz.core.watchdog import BudgetExceeded, call_with_budget\n"
        "def spin(s):\n"
        "    t0 = time.perf_counter()\n"
        "    while time.perf_counter() - t0 < s:\n"
        "        pass\n"
        "t0 = time.perf_counter()\n"
        "try:\n"
        "    call_with_budget(0.1, spin, 10.0)\n"
        "    STOPPED = False\n"
        "except BudgetExceeded:\n"
        "    STOPPED = True\n"
        "TOOK = time.perf_counter() - t0\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def work():
        try:
            module = importlib.import_module("guarded_at_import")
            return module.STOPPED, module.TOOK
        finally:
            sys.modules.pop("guarded_at_import", None)

    stopped, took = in_thread(work)["value"]
    assert stopped and took < 5.0


def test_an_import_lock_the_caller_holds_is_left_to_it():
    """Only a hold the interrupted work left is let go: one the caller took before (a
    callback inside importlib's own critical section) stays its own (a review)."""
    import _imp

    def work():
        _imp.acquire_lock()
        try:
            with pytest.raises(BudgetExceeded):
                call_with_budget(0.05, spin, 30.0)
        finally:
            _imp.release_lock()  # (raised "not holding the import lock": let go for it)
        return True

    assert in_thread(work).get("value") is True


def test_work_that_never_leaves_importlib_s_code_is_stopped_after_a_while(monkeypatch):
    """The wait for the work to leave importlib's code is bounded: never for ever."""
    monkeypatch.setattr(watchdog, "IMPORT_WAIT_MOST", 0.2)

    def work():
        done: list = []
        t0 = time.perf_counter()
        with pytest.raises(BudgetExceeded):
            call_with_budget(0.05, _NS["fake_import"], 20.0, done)
        return done, time.perf_counter() - t0

    done, took = in_thread(work)["value"]
    assert done == [] and took < 5.0
