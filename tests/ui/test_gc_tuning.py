"""gdviz.ui.gc_tuning: no collections while the app launches; start-up's objects collected
once and frozen out of the collector when it has settled."""

from __future__ import annotations

import gc
import threading
from types import SimpleNamespace

import pytest

from gdviz.cli import main
from gdviz.ui import gc_tuning, startup
from gdviz.ui.binding import QtCore, QtWidgets
from gdviz.ui.main_window import MainWindow


@pytest.fixture
def collector(monkeypatch):
    """Record gc.collect and gc.freeze calls (without doing them) as if no earlier window had
    frozen; the collector's on/off state is restored afterwards."""
    calls = []
    was = gc.isenabled()
    monkeypatch.setattr(gc_tuning, "_frozen", False)
    monkeypatch.setattr(gc_tuning, "_paused", False)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    yield calls
    (gc.enable if was else gc.disable)()


def test_the_garbage_is_collected_then_the_rest_frozen_once_per_process(collector):
    gc_tuning.pause_collector()
    assert not gc.isenabled()
    assert gc_tuning.freeze_startup_objects()
    assert collector == ["collect", "freeze"]
    assert gc.isenabled()  # automatic collections are back, the long-lived heap out of reach
    assert not gc_tuning.freeze_startup_objects()
    assert collector == ["collect", "freeze"]


def test_resume_only_undoes_its_own_pause(collector):
    gc.disable()  # off for reasons of someone else's
    gc_tuning.pause_collector()
    gc_tuning.resume_collector()
    assert not gc.isenabled()
    gc.enable()
    gc_tuning.pause_collector()
    gc_tuning.resume_collector()
    assert gc.isenabled()


def shown_owner(qtbot, busy: bool = False) -> QtWidgets.QWidget:
    """A stand-in for the window: shown, with ``startup`` and ``worker`` busy or not."""
    owner = QtWidgets.QWidget()
    qtbot.addWidget(owner)
    owner.startup = SimpleNamespace(busy=busy)
    owner.worker = SimpleNamespace(busy=busy)
    owner.show()
    return owner


def test_it_waits_until_start_up_and_the_compile_worker_are_idle(collector, qtbot):
    owner = shown_owner(qtbot)
    owner.startup.busy = True
    gc_tuning.freeze_when_settled(owner)
    qtbot.wait(3 * gc_tuning.SETTLE_POLL_MS)
    assert collector == []  # the steps are still running
    owner.startup.busy, owner.worker.busy = False, True
    qtbot.wait(2 * gc_tuning.SETTLE_POLL_MS)
    assert collector == []  # sympy and the typesetter are still being imported and used
    owner.worker.busy = False
    qtbot.waitUntil(lambda: collector == ["collect", "freeze"], timeout=2000)


def test_it_waits_for_the_jobs_on_the_windows_thread_pools(collector, qtbot):
    owner = shown_owner(qtbot)
    pool = QtCore.QThreadPool(owner)
    release = threading.Event()
    pool.start(lambda: release.wait(10))  # a typesetting job, say
    gc_tuning.freeze_when_settled(owner)
    qtbot.wait(3 * gc_tuning.SETTLE_POLL_MS)
    assert collector == []  # no collection while a job runs
    release.set()
    pool.waitForDone(5000)
    qtbot.waitUntil(lambda: collector == ["collect", "freeze"], timeout=2000)


def test_a_window_closed_before_it_settles_freezes_nothing(collector, qtbot):
    owner = shown_owner(qtbot, busy=True)
    gc_tuning.freeze_when_settled(owner)
    owner.close()
    owner.startup.busy = owner.worker.busy = False
    qtbot.wait(3 * gc_tuning.SETTLE_POLL_MS)
    assert collector == []


def test_it_gives_up_when_start_up_does_not_settle_in_time(collector, qtbot, monkeypatch):
    monkeypatch.setattr(gc_tuning, "RESUME_FALLBACK_MS", 2 * gc_tuning.SETTLE_POLL_MS)
    owner = shown_owner(qtbot, busy=True)
    gc_tuning.freeze_when_settled(owner)
    qtbot.wait(4 * gc_tuning.SETTLE_POLL_MS)
    owner.startup.busy = owner.worker.busy = False  # a session's long runs ended, say
    qtbot.wait(3 * gc_tuning.SETTLE_POLL_MS)
    assert collector == []  # what is alive now is not start-up's alone


def test_the_window_freezes_when_its_start_up_has_settled(collector, qtbot):
    gc_tuning.pause_collector()
    w = MainWindow(restore=False)
    qtbot.addWidget(w)
    w.show()
    w.wait_idle()
    qtbot.waitUntil(lambda: "freeze" in collector, timeout=5000)
    assert not w.startup.busy and not w.worker.busy
    assert gc.isenabled()
    w.close()
    w.worker.wait(30000)


def test_collections_resume_after_the_first_frame_even_if_start_up_never_settles(
        collector, qtbot, monkeypatch):
    monkeypatch.setattr(startup, "RESUME_FALLBACK_MS", 50)
    host = QtWidgets.QWidget()
    host.contour = QtWidgets.QWidget(host)
    gc_tuning.pause_collector()
    steps = startup.Startup(host)
    steps.start()
    qtbot.waitUntil(gc.isenabled, timeout=2000)
    assert collector == []  # nothing frozen: it had not settled
    gc_tuning.pause_collector()
    startup.Startup(host).finish()  # (screenshots and exports start this way)
    qtbot.waitUntil(gc.isenabled, timeout=2000)
    host.deleteLater()


@pytest.mark.parametrize("argv", [["--list-presets"], ["--loss", "sinn(x)"], ["--bogus"],
                                  ["--preset", "bowl", "--print", "--steps", "3"]])
def test_the_command_line_leaves_the_collector_on(argv, collector, capsys):
    main(argv)
    assert gc.isenabled()
