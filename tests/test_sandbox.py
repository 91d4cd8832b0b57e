"""The symbolic sandbox: runaway work is stopped, its process killed, good work answered."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gdviz.core.errors import LossError
from gdviz.core.sandbox import SymbolicSandbox, time_limit

# Allow-listed and under every cap, yet sympy needs tens of seconds for its derivatives.
RUNAWAY = "*".join(f"sin({k}*x + y)" for k in range(1, 60))


@pytest.fixture(scope="module")
def sandbox():
    box = SymbolicSandbox(timeout=2.0)
    box.check("x**2 + y**2")  # warm up: the worker imports sympy once
    yield box
    box.close()


def test_good_and_bad_losses_are_answered(sandbox):
    sandbox.check("sin(w1)*w2*(1-w2)")
    with pytest.raises(LossError) as info:
        sandbox.check("sinn(x)")
    assert info.value.message == "unknown function 'sinn' at character 1: did you mean sin?"
    assert info.value.position == 0


def test_runaway_work_is_stopped_and_its_process_killed(sandbox):
    pid = sandbox.pid
    assert pid is not None
    t0 = time.perf_counter()
    with pytest.raises(LossError, match="too complex"):
        sandbox.check(RUNAWAY)
    elapsed = time.perf_counter() - t0
    assert elapsed < 4.0, f"took {elapsed:.1f} s"
    # The worker was killed (its CPU freed), not left running in the background.
    with pytest.raises(OSError):
        os.kill(pid, 0)
    # A new worker answers the next request.
    sandbox.check("x**2")
    assert sandbox.pid not in (None, pid)


def test_abort_stops_a_check_at_once_from_another_thread(sandbox):
    """A window closed while a long loss was checked waited the whole limit (3.2 s): abort
    kills the worker at once, the check says it was stopped, the next one works."""
    import threading

    sandbox.check("x**2")  # (a worker ready)
    timer = threading.Timer(0.3, sandbox.abort)
    timer.start()
    t0 = time.perf_counter()
    with pytest.raises(LossError, match="stopped"):
        sandbox.check(RUNAWAY)
    elapsed = time.perf_counter() - t0
    timer.join()
    assert elapsed < 1.5, f"took {elapsed:.1f} s"  # (its limit here is 2 s)
    sandbox.check("x**2 + y")
    sandbox.abort()  # (no check waiting: nothing to stop, the next starts afresh)
    sandbox.check("x*y")


def test_a_runaway_right_after_a_runaway_gets_the_normal_limit(sandbox):
    # The compile worker asks the sandbox only about heavy losses, so the request after a
    # timeout may well be another runaway: the fresh worker's start-up (importing sympy)
    # must not be added to its limit.
    with pytest.raises(LossError, match="too complex"):
        sandbox.check(RUNAWAY, timeout=0.5)
    assert sandbox.pid is not None  # a new worker is already starting
    t0 = time.perf_counter()
    with pytest.raises(LossError, match=r"gave up after 0\.5 s"):
        sandbox.check(RUNAWAY, timeout=0.5)
    elapsed = time.perf_counter() - t0
    assert elapsed < 6.0, f"took {elapsed:.1f} s"  # start-up + 0.5 s, not 10 s of grace


def test_time_limit_stops_main_thread_work():
    from gdviz.core.loss import parse_loss

    t0 = time.perf_counter()
    with pytest.raises(LossError, match="too complex"), time_limit(0.5):
        parse_loss(RUNAWAY)
    assert time.perf_counter() - t0 < 3.0
    parse_loss("x**2")  # the alarm is off again


def _busy(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass


def test_time_limit_fires_again_when_the_first_alarm_is_swallowed():
    # Python drops an exception raised in a gc callback or a __del__ (hypothesis installs
    # such a callback): the first alarm can be lost while the work runs on for a long time.
    def stubborn():
        with contextlib.suppress(BaseException):  # stands in for the dropped exception
            _busy(0.6)
        _busy(10.0)

    t0 = time.perf_counter()
    with pytest.raises(LossError, match="too complex"), time_limit(0.3):
        stubborn()
    assert time.perf_counter() - t0 < 2.0


def test_time_limit_discards_work_that_swallowed_every_alarm():
    def swallows_all():
        end = time.perf_counter() + 0.6
        while time.perf_counter() < end:
            with contextlib.suppress(BaseException):  # every interruption dropped
                _busy(0.01)
        return "a result made after the limit"

    with pytest.raises(LossError, match="too complex"), time_limit(0.2):
        swallows_all()
    quick = time_limit(5.0)
    with quick:  # nothing pending from the last block: a quick block passes
        pass
    assert not quick.fired


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_time_limit_lost_in_a_gc_callback_still_stops_the_work():
    import gc

    calls = []

    def slow_callback(phase, _info):
        if phase == "start" and not calls:
            calls.append(phase)
            _busy(0.5)  # the alarm lands here; Python reports and drops it

    gc.callbacks.append(slow_callback)
    try:
        t0 = time.perf_counter()
        with pytest.raises(LossError, match="too complex"), time_limit(0.2):
            gc.collect()
            _busy(10.0)
        assert time.perf_counter() - t0 < 2.0
    finally:
        gc.callbacks.remove(slow_callback)


def test_time_limit_never_lets_its_alarm_escape_the_block():
    # The alarm repeats, so it can land while the block is being entered or left: it must
    # then neither escape as the internal exception nor leave a timer or a handler behind.
    import random
    import signal

    from gdviz.core.sandbox import _Timeout

    def previous(*_args):
        pass

    old = signal.signal(signal.SIGALRM, previous)
    rng = random.Random(7)
    outcomes = {"done": 0, "stopped": 0}
    try:
        for _ in range(6000):
            try:
                with time_limit(rng.uniform(0.00005, 0.0005)):
                    _busy(rng.uniform(0.0, 0.0006))
                outcomes["done"] += 1
            except LossError:
                outcomes["stopped"] += 1
            except _Timeout:
                pytest.fail("the alarm escaped the block")
            assert signal.getsignal(signal.SIGALRM) is previous
            assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGALRM, old)
    assert outcomes["done"] and outcomes["stopped"]  # both ends of the race were met


def test_a_check_no_longer_wanted_stops_at_once(sandbox):
    """A loss typed after a heavy one waited for the heavy one's whole time limit (2.6 s
    from Enter to the new loss shown): ``stop`` ends the check within a poll, its worker
    killed; the next check works."""
    sandbox.check("x**2")  # (a worker ready)
    pid, t0 = sandbox.pid, time.perf_counter()
    with pytest.raises(LossError, match="stopped"):
        sandbox.check(RUNAWAY, stop=lambda: time.perf_counter() - t0 > 0.3)
    assert time.perf_counter() - t0 < 1.2
    with pytest.raises(OSError):
        os.kill(pid, 0)
    sandbox.check("x**2")  # (not wanted no more: a good loss is answered as ever)
    sandbox.check("y**2", stop=lambda: False)


def test_time_limit_waits_for_the_work_to_leave_an_import():
    """An alarm raised inside importlib's code can leave the global import lock held (every
    later import hangs): the alarm lets it finish, and the next one stops the work."""
    namespace: dict = {}
    exec(compile("import time\n"  # noqa: S102 - the test's own constant source
                 "def fake_import(done):\n"
                 "    t0 = time.perf_counter()\n"
                 "    while time.perf_counter() - t0 < 0.5:\n"
                 "        pass\n"
                 "    done.append(True)\n",
                 "<frozen importlib._bootstrap>", "exec"), namespace)
    done: list = []
    t0 = time.perf_counter()
    with pytest.raises(LossError, match="too complex"), time_limit(0.1):
        namespace["fake_import"](done)  # past the limit, inside "importlib"
        _busy(10.0)
    assert done == [True] and 0.5 <= time.perf_counter() - t0 < 3.0


def test_a_script_without_a_main_guard_is_not_run_again_in_the_worker(tmp_path):
    # "spawn" ran the caller's main script again in the worker: a script that built a
    # window without an `if __name__ == "__main__":` guard built a second one there, and
    # the worker died with a traceback.
    script = tmp_path / "unguarded.py"
    # ... nor is the script's __main__ hidden from its other threads meanwhile (swapped out
    # while the worker started, a class of the script's could not be pickled there)
    script.write_text(
        "import os, pickle, sys, threading\n"
        "from gdviz.core.sandbox import SymbolicSandbox\n"
        "print('script ran in', os.getpid(), flush=True)\n"
        "class Point:\n"
        "    pass\n"
        "main, failed, done = sys.modules['__main__'], [], threading.Event()\n"
        "def watch():\n"
        "    while not done.is_set():\n"
        "        try:\n"
        "            pickle.dumps(Point())\n"
        "            assert sys.modules['__main__'] is main\n"
        "        except Exception as err:\n"
        "            failed.append(err)\n"
        "watcher = threading.Thread(target=watch)\n"
        "watcher.start()\n"
        "for _ in range(3):\n"
        "    box = SymbolicSandbox(timeout=20)\n"
        "    box.check('sin(x) * y')\n"
        "    box.close()\n"
        "done.set(); watcher.join()\n"
        "print('checked', len(failed), flush=True)\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("script ran in") == 1, done.stdout
    assert "checked 0" in done.stdout and "Traceback" not in done.stderr
