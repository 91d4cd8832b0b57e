"""The Chain rule tab stays responsive on a long derivation: sympy's printing is done on the
worker thread, the rows are built a few per turn of the event loop, and the typesetting
starts only once they are all built (it would compete for the GIL with building them)."""

from __future__ import annotations

import threading
import time

import pytest

from gdviz import parse_loss
from gdviz.core import printing
from gdviz.core.session import RunSpec
from gdviz.ui.controller import Controller, Run
from gdviz.ui.derivatives import steps_job, steps_view
from gdviz.ui.derivatives.steps_view import StepsView
from gdviz.ui.qt import QtCore

# 15 factors: 75 steps, each product-rule row with a formula a few hundred characters long.
BIG = "*".join(f"sin({k}*x + y/7)" for k in range(1, 16))


@pytest.fixture
def controller(qtbot):
    c = Controller()
    c.runs = [Run(RunSpec(optimizer="gd", lr=0.1, start=(0.5, 0.2), steps=50))]
    c.set_loss(parse_loss("x*y"))
    yield c
    c.worker.wait()


def test_a_long_derivation_never_holds_the_gui_thread(qtbot, steps_view_of, controller,
                                                     monkeypatch):
    view = steps_view_of(controller)
    gui = threading.current_thread()
    printed_on, turns, typeset_while_building = [], [], []
    real_sstr, real_add, real_render = (printing.latex, StepsView._add_rows,
                                        steps_job.render_lines)

    def sstr(expr, *args, **kwargs):
        printed_on.append((expr, threading.current_thread() is gui))
        return real_sstr(expr, *args, **kwargs)

    def add_rows(self):
        turns.append(len(self._queue))
        return real_add(self)

    def render(*args, **kwargs):
        typeset_while_building.append(bool(view._queue))
        return real_render(*args, **kwargs)

    monkeypatch.setattr(printing, "latex", sstr)
    monkeypatch.setattr(StepsView, "_add_rows", add_rows)
    monkeypatch.setattr(steps_job, "render_lines", render)
    gaps, last = [], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QtCore.QTimer(interval=10, timeout=tick)
    timer.start()
    controller.set_loss(parse_loss(BIG))
    qtbot.waitUntil(lambda: view.derivation is not None and not view.busy, timeout=60000)
    timer.stop()
    rows = len(view.rules())
    assert rows == len(view.derivation.board_steps) > 60
    # ∂f/∂x printed on the worker thread (0.17 s on the GUI thread; its plain stand-in is
    # made from that LaTeX); f itself, for the header, is quick to print
    result = view.derivation.result
    assert any(expr == result for expr, _ in printed_on)
    assert not any(expr == result for expr, on_gui in printed_on if on_gui)
    assert len([t for t in turns if t]) > 2  # the rows came over several turns
    assert typeset_while_building and not any(typeset_while_building)
    # All at once (0.2–0.8 s here before), the event loop stood still; allow a loaded machine.
    assert max(gaps) < 0.4, f"the event loop stood still for {max(gaps):.2f} s"


def test_a_loss_changed_while_the_rows_are_built_and_the_tab_hidden(qtbot, steps_view_of,
                                                                   controller):
    # (the rows still to build finished with what the tab had forgotten: an exception)
    view = steps_view_of(controller)
    controller.set_loss(parse_loss(BIG))
    qtbot.waitUntil(lambda: view.derivation is not None and bool(view._queue), timeout=60000)
    view.hide()
    controller.set_loss(parse_loss("x^3 + y"))  # hidden: derived when shown again
    errors = []
    with qtbot.captureExceptions() as caught:
        qtbot.waitUntil(lambda: not view._queue, timeout=30000)
        qtbot.wait(50)
        errors = list(caught)
    assert errors == []
    view.show()
    qtbot.waitUntil(lambda: view.derivation is not None and str(view.derivation.expr) == "x**3 + y"
                    and not view.busy, timeout=60000)
    assert view.rules() == ["sum", "power", "constant", "together"]


def test_a_variable_changed_while_hidden_stops_the_work_under_way(qtbot, steps_view_of, controller):
    # The rows of ∂f/∂x went on being built and typeset while hidden, as "∂f/∂y = …".
    view = steps_view_of(controller)
    typeset_for = []
    real = steps_job.StepsJob._typeset

    def typeset(job, d):
        typeset_for.append((d.variable, job.variable))
        return real(job, d)

    steps_job.StepsJob._typeset = typeset
    try:
        controller.set_loss(parse_loss(BIG))
        qtbot.waitUntil(lambda: view.derivation is not None and bool(view._queue),
                        timeout=60000)
        view.hide()
        view.set_variable(1)
        assert not view.busy and not view._queue  # stopped at once
        qtbot.wait(300)
        assert typeset_for == []  # nothing typeset for the old request
        view.show()
        qtbot.waitUntil(lambda: view.derivation is not None and view.derivation.variable == "y"
                        and not view.busy, timeout=60000)
    finally:
        steps_job.StepsJob._typeset = real
    names = controller.loss.variables
    assert typeset_for and all(d == names[v] for d, v in typeset_for)


def test_a_failed_typesetting_still_ends_the_work(qtbot, controller, monkeypatch):
    def fail(*args, **kwargs):
        raise RecursionError("too deep")

    monkeypatch.setattr(steps_job, "render_lines", fail)
    view = StepsView(controller)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.stepsShown, timeout=30000):
        controller.set_loss(parse_loss("sin(x^2)"))
    assert not view.busy and view.rules() == ["chain", "power", "together"]  # plain text rows


def test_rows_are_not_laid_out_again_for_nothing(qtbot, steps_view_of, controller, monkeypatch):
    view = steps_view_of(controller)
    controller.set_loss(parse_loss("sin(x^2)*exp(-y^2) + log(1 + x^2*y^2)"))
    qtbot.waitUntil(lambda: view.derivation is not None and not view.busy, timeout=60000)
    fits = []
    real = steps_view.StepRow.fit
    monkeypatch.setattr(steps_view.StepRow, "fit",
                        lambda row, width: fits.append(width) or real(row, width))
    view._fit_rows()
    assert fits == []  # same width, nothing new: nothing to do
    view.resize(420, 700)
    qtbot.wait(50)
    view._fit_rows()
    assert len(fits) >= len(view.rules())  # a new width: every row


def test_a_long_sum_is_broken_onto_lines_not_shrunk(qapp):
    """The sum rule's line for Rastrigin's five terms was shrunk to 60 % to fit the dock,
    its letters 8 pixels tall: it is broken before a top-level + or − onto lines that fit."""
    from gdviz.ui.derivatives.typeset import BREAK_BELOW, PIXEL_RATIO, render_ink, render_lines

    latex = (r"= \frac{\partial}{\partial x} 20 + \frac{\partial}{\partial x}\left[x^{2}\right]"
             r" - \frac{\partial}{\partial x}\left[10 \cos{\left(2 \pi x \right)}\right]"
             r" + \frac{\partial}{\partial x}\left[y^{2}\right]"
             r" - \frac{\partial}{\partial x}\left[10 \cos{\left(2 \pi y \right)}\right]")
    whole = render_ink(latex)
    room = 0.6 * whole.shape[1] / PIXEL_RATIO  # (a dock where it would shrink to 60 %)
    broken = render_lines(latex, room=room)
    assert broken.shape[0] > 1.5 * whole.shape[0]  # on two lines or more
    assert broken.shape[1] * BREAK_BELOW <= room * PIXEL_RATIO  # fits without shrinking much
    assert broken.sum() > 0.9 * whole.sum()  # (all of it there)
    # where it fits, or cannot be broken, one line as before
    assert render_lines(latex, room=whole.shape[1]) is whole
    single = r"\frac{\partial}{\partial x}\left[x^{2} y\right]"
    assert render_lines(single, room=10) is render_ink(single)


def test_a_long_product_is_broken_between_its_factors_not_shrunk(qapp):
    """tanh's result, 6(1 − tanh²(3w1))(tanh(3w1) − 0.5), one term, had nowhere to break:
    shrunk, then plain text under the steps. It breaks after its first bracket, "·" leading
    the next line (from a QA round)."""
    from gdviz import derivative_steps, parse_loss
    from gdviz.ui.derivatives.derivation_text import result_latex
    from gdviz.ui.derivatives.typeset import BREAK_BELOW, PIXEL_RATIO, render_ink, render_lines

    loss = parse_loss("(tanh(3*w1) - 0.5)^2 + w2^2")
    latex = result_latex(derivative_steps(loss, 0), loss.symbols[0])
    whole = render_ink(latex)
    room = 0.6 * whole.shape[1] / PIXEL_RATIO
    broken = render_lines(latex, room=room)
    assert broken.shape[0] > 1.5 * whole.shape[0]
    assert broken.shape[1] * BREAK_BELOW <= room * PIXEL_RATIO


def test_wrapped_formula_text_is_as_tall_as_at_its_own_width(qtbot):
    """A row's box asks its formulas' heights at its own width, 4 pixels more than the
    fixed width a wrapped formula has: three lines at 293 pixels read as two at 297, and the
    typeset formula under it got 131 of its 151 pixels, its top and bottom cut off (a QA
    round: "∂" read as "σ")."""
    from gdviz.ui.derivatives.typeset import ScaledFormula

    text = "∂/∂x [sin(x²) exp(−x/3) + ln(1 + x²) − √(1 + cos²(3 x))/(2 + tanh(x))]"
    label = ScaledFormula(None, text)
    qtbot.addWidget(label)
    label.fit(150)
    assert label.wordWrap() and label.maximumWidth() == 150
    own = label.heightForWidth(150)
    assert own > 2 * label.fontMetrics().height()  # (wrapped onto lines)
    for wider in (154, 200, 400):
        assert label.heightForWidth(wider) == own
