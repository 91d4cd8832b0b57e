"""The compile worker hands back the compiled loss first and its typeset formulas after."""

from __future__ import annotations

import threading

from gdviz.core.loss import parse_loss
from gdviz.ui.compile_worker import CompileWorker


def test_the_loss_arrives_before_its_formulas_are_typeset(qtbot):
    gate = threading.Event()
    rendered = []

    def slow_render(loss):
        assert gate.wait(10), "the test never released the render"
        rendered.append(loss.text)
        return {"f": b"png"}

    worker = CompileWorker(sandbox=None, render=slow_render)
    compiled, typeset = [], []
    worker.finished.connect(compiled.append)
    worker.typeset.connect(typeset.append)
    worker.submit("x^2 + y^2")
    # The compiled loss is delivered while the render is still blocked.
    qtbot.waitUntil(lambda: bool(compiled), timeout=10000)
    assert compiled[0].loss is not None and compiled[0].loss.text == "x^2 + y^2"
    assert not typeset and worker.busy
    gate.set()
    qtbot.waitUntil(lambda: bool(typeset), timeout=10000)
    assert typeset[0].text == "x^2 + y^2" and typeset[0].images == {"f": b"png"}
    assert typeset[0].variables == ("x", "y")
    qtbot.waitUntil(lambda: not worker.busy, timeout=10000)


def test_typesetting_a_compiled_loss_does_not_compile_it_again(qtbot):
    worker = CompileWorker(sandbox=None, render=lambda loss: {"f": loss.text.encode()})
    compiled, typeset = [], []
    worker.finished.connect(compiled.append)
    worker.typeset.connect(typeset.append)
    worker.submit_typeset(parse_loss("sin(w1)*w2*(1 - w2)"))
    qtbot.waitUntil(lambda: bool(typeset), timeout=10000)
    assert typeset[0].images == {"f": b"sin(w1)*w2*(1 - w2)"}
    assert compiled == []


def test_a_failed_loss_is_reported_and_not_typeset(qtbot):
    calls = []
    worker = CompileWorker(sandbox=None, render=lambda loss: calls.append(loss) or {})
    compiled = []
    worker.finished.connect(compiled.append)
    worker.submit("x +* y")
    qtbot.waitUntil(lambda: bool(compiled) and not worker.busy, timeout=10000)
    assert compiled[0].loss is None and compiled[0].error
    assert calls == []
