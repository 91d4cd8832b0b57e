"""gdviz.ui.gc_tuning: start-up's objects are frozen out of the collector once, when settled."""

from __future__ import annotations

import gc
from types import SimpleNamespace

import pytest

from gdviz.ui import gc_tuning
from gdviz.ui.binding import QtCore
from gdviz.ui.main_window import MainWindow


@pytest.fixture
def freezes(monkeypatch):
    """Record gc.freeze calls (without freezing) as if no earlier window had frozen."""
    calls = []
    monkeypatch.setattr(gc_tuning, "_frozen", False)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    return calls


def test_freezing_happens_once_per_process(freezes):
    assert gc_tuning.freeze_startup_objects()
    assert not gc_tuning.freeze_startup_objects()
    assert len(freezes) == 1


def test_it_waits_until_start_up_and_the_compile_worker_are_idle(freezes, qtbot):
    owner = QtCore.QObject()
    owner.startup = SimpleNamespace(busy=True)
    owner.worker = SimpleNamespace(busy=False)
    gc_tuning.freeze_when_settled(owner)
    qtbot.wait(3 * gc_tuning.SETTLE_POLL_MS)
    assert freezes == []  # the steps are still running
    owner.startup.busy, owner.worker.busy = False, True
    qtbot.wait(2 * gc_tuning.SETTLE_POLL_MS)
    assert freezes == []  # sympy and the typesetter are still being imported and used
    owner.worker.busy = False
    qtbot.waitUntil(lambda: len(freezes) == 1, timeout=2000)


def test_the_window_freezes_when_its_start_up_has_settled(freezes, qtbot):
    w = MainWindow(restore=False)
    qtbot.addWidget(w)
    w.show()
    w.wait_idle()
    qtbot.waitUntil(lambda: len(freezes) == 1, timeout=5000)
    assert not w.startup.busy and not w.worker.busy
    w.close()
    w.worker.wait(30000)

