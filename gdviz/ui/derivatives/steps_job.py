"""The "Chain rule" tab's work off the GUI thread (:class:`StepsJob`): derive ∂f/∂a one rule
per step (sympy), then typeset the steps (matplotlib mathtext), handing each result to
:class:`~gdviz.ui.derivatives.steps_view.StepsView` by signal."""

from __future__ import annotations

import contextlib

from gdviz.core.derivation import Derivation, derivative_steps
from gdviz.core.watchdog import BudgetExceeded, call_until
from gdviz.ui.binding import QtCore, Signal
from gdviz.ui.derivatives.derivation_text import board_text, latex_to_plain, result_latex
from gdviz.ui.derivatives.typeset import render_lines

MAX_TYPESET_STEPS = 40  # further steps stay plain text (mathtext takes ~0.1 s per formula)
DERIVE_BUDGET = 8.0
"""Seconds the steps of one derivative may take (a preset's take under 0.05 s): past it the
tab says the loss is too long to show step by step. A short loss can take far longer, its
printing doubling with each level of nesting (log(1 + (… x)²) fourteen deep: 8 s; atan
twenty-five deep: over ten minutes, the tab busy and every later loss waiting behind it)."""


class _Signals(QtCore.QObject):
    derived = Signal(int, object, str)  # request, (Derivation, its plain result) or None, error
    rendered = Signal(int, int, object, object)  # request, step (-1: result), before, after
    finished = Signal(int)  # request


class StepsJob(QtCore.QRunnable):
    """Derive and hand the steps over (``derivation`` None); or, given the derivation once
    its rows are shown, typeset them one by one (mathtext takes ~0.1 s each).

    The two are separate jobs so the typesetting does not compete for the GIL with the GUI
    thread while it builds the rows (a row then took 55 ms to add instead of 2).
    """

    def __init__(self, request: int, loss, variable: int, latest: list[int], dpi: int,
                 derivation: Derivation | None = None, room: float = 0.0,
                 result_room: float = 0.0) -> None:
        super().__init__()
        self.request, self.loss, self.variable, self.dpi = request, loss, variable, dpi
        self.room = room  # logical pixels a formula has (a long one is broken onto lines)
        self.result_room = result_room  # (the same for the result under the steps)
        self.latest = latest  # [newest request id], -1 once the view is gone: stop early
        self.derivation = derivation
        self.signals = _Signals()

    def run(self) -> None:
        with contextlib.suppress(RuntimeError):  # the view went away meanwhile
            if self.latest[0] != self.request:
                return
            if self.derivation is None:
                self._derive()
                return
            try:
                self._typeset(self.derivation)
            except Exception:  # noqa: BLE001 - the rows keep their plain text
                pass
            finally:  # (the view's busy state ends with this signal, whatever happened)
                self.signals.finished.emit(self.request)

    def _derive(self) -> None:
        def derive() -> tuple[Derivation, str]:
            d = derivative_steps(self.loss, self.variable)
            # (printed here: sympy took 0.17 s on the GUI thread for a 15-factor product)
            return d, f"∂f/∂{d.variable} = {board_text(latex_to_plain(d.latex))}"

        try:  # (stopped as soon as another loss or variable is asked for, too)
            d, plain = call_until(DERIVE_BUDGET, lambda: self.latest[0] != self.request,
                                  derive)
        except BudgetExceeded:
            if self.latest[0] != self.request:
                self.signals.finished.emit(self.request)  # (replaced: nothing to show)
                return
            d, error = None, (f"too long to show step by step (gave up after "
                              f"{DERIVE_BUDGET:g} s)")
        except Exception as err:  # noqa: BLE001 - a derivation must never take the app down
            d, error = None, f"cannot show the steps ({type(err).__name__})"
        self.signals.derived.emit(self.request, (d, plain) if d else None, "" if d else error)
        if d is None:
            self.signals.finished.emit(self.request)

    def _typeset(self, d: Derivation) -> None:
        emit = self.signals.rendered.emit
        result = result_latex(d, self.loss.symbols[self.variable])
        # (broken onto lines as the rows are: on one line, shrunk below 60 %, it fell back to
        # plain text wrapped inside "cos(3 w1)")
        emit(self.request, -1, render_lines(result, self.dpi, self.result_room), None)
        for k, step in enumerate(d.board_steps[:MAX_TYPESET_STEPS]):
            if self.latest[0] != self.request:
                return
            emit(self.request, k, render_lines(step.before_latex, self.dpi, self.room),
                 render_lines("= " + step.after_latex, self.dpi, self.room))
