"""The selected run's update rule, typeset under its optimizer: how the step is made.

Lecture point 7 ("step against the gradient, or some version of it") had no formula on
screen for Momentum, RMSprop or Adam: the equations were only in the code
(:attr:`gdviz.core.optimizers.Optimizer.equations`). They are typeset on a pool thread (a
few milliseconds each, Adam's four lines ~40 ms: too long for the GUI thread), shown in plain
text until then, and kept for the next time.
"""

from __future__ import annotations

import contextlib
import re

from gdviz.core.optimizers import OPTIMIZERS
from gdviz.core.schedules import schedule_rule
from gdviz.ui.formula_label import FormulaLabel
from gdviz.ui.later import after_paints
from gdviz.ui.qt import QtCore, Signal

FONT_SIZE = 18.0
"""mathtext's size for the equations, the loss panel's: drawn smaller to fit, but no smaller
than the type around them (at 13 they were 17-pixel letters beside presentation mode's 24)."""
EM_PX = FONT_SIZE * 144 / 72 / 1.5
TIP = ("How the selected run's optimizer takes step k: w are the weights (w1, w2), η the "
       "learning rate, ∇f(w) the gradient.\n\n")

_TYPESET: dict[str, bytes | None] = {}  # LaTeX lines → PNG (None: mathtext could not)

_PLAIN = [(r"\\eta", "η"), (r"\\nabla ?", "∇"), (r"\\mu", "μ"), (r"\\lambda", "λ"), (r"\\rho", "ρ"),
          (r"\\beta_1", "β₁"), (r"\\beta_2", "β₂"), (r"\\epsilon", "ε"), (r"\\sqrt", "√"),
          (r"\\hat ?(\w)", r"\1̂"), (r"\\ldots", "…"), (r"\\text\{([^}]*)\}", r"\1"),
          (r"_\{k\+1\}", "ₖ₊₁"), (r"_k", "ₖ"), (r"\^\{k\+1\}", "ᵏ⁺¹"), (r"\^\{-1\}", "⁻¹"),
          (r"\^2", "²"), (r"\\sigma", "σ"), (r"\\xi", "ξ"), (r"\\sim", "~"), (r"_i", "ᵢ"),
          (r"\\cdot ?", "·"), (r"\^\{(-?\d+)\}", lambda m: _superscript(m.group(1))),
          (r"\\[,\s]", " "), (r"[{}]", "")]
_QUOTIENTS = {"forward": r"g_i(w) = (f(w + h\,e_i) - f(w))/h",
              "central": r"g_i(w) = (f(w + h\,e_i) - f(w - h\,e_i))/(2h)"}


def _superscript(digits: str) -> str:
    return digits.translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _tex_number(value: float) -> str:
    """A number for a rule's line: 10^{-5} or 2.5\\cdot 10^{-3}, not 1e-05."""
    text = f"{value:.3g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa}\cdot {power}"


def gradient_lines(gradient: str = "symbolic", fd_h: float = 1e-5,
                   noise: float = 0.0) -> tuple[str, ...]:
    r"""LaTeX lines defining g, the gradient a run steps with where it is not ∇f itself: a
    difference quotient (its h) and or noise (its σ); none for the exact gradient. A run
    with a quotient or noise read "∇f(wₖ)" in its rule, as if it stepped with the exact
    gradient (the Regression tab alone said it did not).

    Examples
    --------
    >>> gradient_lines("forward", 1e-5)
    ('g_i(w) = (f(w + h\\,e_i) - f(w))/h', 'h = 10^{-5}')
    >>> gradient_lines(noise=0.5)[0]
    'g(w) = \\nabla f(w) + \\sigma\\,\\xi_k'
    """
    lines: list[str] = []
    if gradient in _QUOTIENTS:  # (q, the quotient, where noise is added to it)
        quotient = _QUOTIENTS[gradient]
        lines += [quotient.replace("g_i", "q_i") if noise > 0 else quotient,
                  f"h = {_tex_number(fd_h)}"]
    if noise > 0:
        exact = "q(w)" if lines else r"\nabla f(w)"
        lines += [rf"g(w) = {exact} + \sigma\,\xi_k",
                  rf"\xi_k \sim N(0, I),\ \sigma = {_tex_number(noise)}"]
    return tuple(lines)


def plain_equations(name: str, equations=None) -> str:
    """The optimizer's equations (or ``equations``, LaTeX lines) in plain text, one a line
    (shown until typeset).

    Examples
    --------
    >>> plain_equations("gd")
    'wₖ₊₁ = wₖ − η ∇f(wₖ)'
    """
    lines = []
    for latex in OPTIMIZERS[name].equations if equations is None else equations:
        for pattern, plain in _PLAIN:
            latex = re.sub(pattern, plain, latex)
        # (a real minus sign, as the typeset rule has: "wₖ - η" read as a hyphen)
        lines.append(re.sub(r"\s+", " ", latex).strip().replace("-", "−"))
    return "\n".join(lines)


def rule_lines(optimizer: str, schedule: str = "constant", decay: float | None = None,
               decay_steps: int | None = None, steps: int = 200,
               gradient: tuple[str, ...] = ()) -> tuple[tuple[str, ...], str]:
    """The update rule a run takes its steps by: ``(LaTeX lines, plain text)``; with a
    schedule, η is η_k and the schedule's own line, with the run's numbers, follows; with
    ``gradient`` (:func:`gradient_lines`), ∇f is g and those lines follow.

    Examples
    --------
    >>> rule_lines("gd", "exponential", 0.9)[1].splitlines()
    ['wₖ₊₁ = wₖ − ηₖ ∇f(wₖ)', 'ηₖ = η · 0.9ᵏ']
    """
    latex = OPTIMIZERS[optimizer].equations
    if gradient:
        latex = tuple(eq.replace(r"\nabla f(", "g(") for eq in latex)
    line = schedule_rule(schedule, decay, decay_steps, steps)
    if line is not None:
        latex = tuple(re.sub(r"\\eta(?!_)", r"\\eta_k", eq) for eq in latex)
    # (the schedule next to the update it belongs to, then what g is)
    plain = [plain_equations(optimizer, latex), *(line[1:] if line else ()),
             *([plain_equations(optimizer, gradient)] if gradient else [])]
    return (*latex, *(line[:1] if line else ()), *gradient), "\n".join(plain)


class _Signals(QtCore.QObject):
    done = Signal(str, object)  # optimizer, PNG bytes or None


class _TypesetJob(QtCore.QRunnable):
    def __init__(self, key: str, slot) -> None:
        super().__init__()
        self.key = key  # the LaTeX lines, joined
        self.signals = _Signals()
        self.signals.done.connect(slot, QtCore.Qt.ConnectionType.QueuedConnection)

    def run(self) -> None:
        from gdviz.ui.mathtext import latex_to_png

        try:
            png = latex_to_png(self.key, FONT_SIZE)
        except Exception:  # noqa: BLE001 - the plain text stays
            png = None
        with contextlib.suppress(RuntimeError):  # (the window closed meanwhile)
            self.signals.done.emit(self.key, png)


class UpdateRuleLabel(FormulaLabel):
    """The update rule of the optimizer :meth:`show_optimizer` was last given
    (``updateRuleLabel``)."""

    def __init__(self, parent=None) -> None:
        # (typeset large enough for presentation mode's type, drawn no larger than 1.6 times
        # the window's: at full size it towered over the loss panel's formulas)
        super().__init__("updateRuleLabel", parent, em_px=EM_PX, largest=1.6, grow=True)
        self.setAccessibleName("the selected optimizer's update rule")
        self.name = ""  # the optimizer shown
        self.key = ""  # its rule's LaTeX lines, joined (the schedule's too)
        self._plain = ""
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._asked: set[str] = set()

    def show_optimizer(self, name: str, schedule: str = "constant",
                       decay: float | None = None, decay_steps: int | None = None,
                       steps: int = 200, gradient: tuple[str, ...] = ()) -> None:
        """Show ``name``'s equations, with the schedule's η_k where the run has one and the
        gradient it steps with where that is not ∇f (typeset, or plain text until they
        are)."""
        lines, plain = rule_lines(name, schedule, decay, decay_steps, steps, gradient)
        key = "\n".join(lines)
        if key == self.key:
            return
        self.name, self.key = name, key
        png = _TYPESET.get(key)
        if png is not None:
            self._show(png, plain)
            return
        self._plain = plain
        self.set_rich_text(plain.replace("\n", "<br>"))
        self.setToolTip(self._tip(plain))
        if key not in _TYPESET and key not in self._asked:
            self._asked.add(key)
            # (once the views have painted: at launch, the first frame needs no matplotlib)
            after_paints(lambda: self._pool.start(_TypesetJob(key, self._on_typeset)), self)

    def show_run(self, spec) -> None:
        """Show the update rule run ``spec`` (a :class:`gdviz.core.session.RunSpec`) steps
        by: its optimizer's, with its schedule."""
        self.show_optimizer(spec.optimizer, spec.schedule, spec.decay, spec.decay_steps,
                            spec.steps, gradient_lines(spec.gradient, spec.fd_h, spec.noise))

    def _on_typeset(self, key: str, png) -> None:
        self._asked.discard(key)
        _TYPESET[key] = png
        if key == self.key and png is not None:
            self._show(png, self._plain)

    def _tip(self, plain: str) -> str:
        return TIP + ("ηₖ is the learning rate at step k, by the run's schedule.\n\n"
                      if "ηₖ" in plain else "") + (
            "g is the gradient the run steps with: a difference quotient along each variable "
            "(eᵢ the unit step along it; named q where noise ξₖ, drawn anew each step, is "
            "added to it), or ∇f with that noise."
            "\n\n" if "g(" in plain or "gᵢ(" in plain else "") + plain

    def _show(self, png: bytes, plain: str) -> None:
        self._plain = plain
        self.set_formula(png, plain)
        self.setToolTip(self._tip(plain))

    def wait(self, msecs: int = 30000) -> bool:
        """Let the typesetting finish and show (tests, screenshots)."""
        for _ in range(4):  # (the job starts after the pending paints)
            QtCore.QCoreApplication.processEvents()
        done = self._pool.waitForDone(msecs)
        QtCore.QCoreApplication.processEvents()
        return done
