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
from gdviz.ui.formula_label import FormulaLabel
from gdviz.ui.later import after_paints
from gdviz.ui.qt import QtCore, Signal

FONT_SIZE = 18.0
"""mathtext's size for the equations, the loss panel's: drawn smaller to fit, but no smaller
than the type around them (at 13 they were 17-pixel letters beside presentation mode's 24)."""
EM_PX = FONT_SIZE * 144 / 72 / 1.5
TIP = ("How the selected run's optimizer takes step k: w are the weights (w1, w2), η the "
       "learning rate, ∇f(w) the gradient.\n\n")

_TYPESET: dict[str, bytes | None] = {}  # optimizer → PNG (None: mathtext could not)

_PLAIN = [(r"\\eta", "η"), (r"\\nabla ?", "∇"), (r"\\mu", "μ"), (r"\\rho", "ρ"),
          (r"\\beta_1", "β₁"), (r"\\beta_2", "β₂"), (r"\\epsilon", "ε"), (r"\\sqrt", "√"),
          (r"\\hat ?(\w)", r"\1̂"), (r"\\ldots", "…"), (r"\\text\{([^}]*)\}", r"\1"),
          (r"_\{k\+1\}", "ₖ₊₁"), (r"_k", "ₖ"), (r"\^\{k\+1\}", "ᵏ⁺¹"), (r"\^\{-1\}", "⁻¹"),
          (r"\^2", "²"), (r"\\[,\s]", " "), (r"[{}]", "")]


def plain_equations(name: str) -> str:
    """The optimizer's equations in plain text, one a line (shown until typeset).

    Examples
    --------
    >>> plain_equations("gd")
    'wₖ₊₁ = wₖ − η ∇f(wₖ)'
    """
    lines = []
    for latex in OPTIMIZERS[name].equations:
        for pattern, plain in _PLAIN:
            latex = re.sub(pattern, plain, latex)
        # (a real minus sign, as the typeset rule has: "wₖ - η" read as a hyphen)
        lines.append(re.sub(r"\s+", " ", latex).strip().replace("-", "−"))
    return "\n".join(lines)


class _Signals(QtCore.QObject):
    done = Signal(str, object)  # optimizer, PNG bytes or None


class _TypesetJob(QtCore.QRunnable):
    def __init__(self, name: str, slot) -> None:
        super().__init__()
        self.name = name
        self.signals = _Signals()
        self.signals.done.connect(slot, QtCore.Qt.ConnectionType.QueuedConnection)

    def run(self) -> None:
        from gdviz.ui.mathtext import latex_to_png

        try:
            png = latex_to_png("\n".join(OPTIMIZERS[self.name].equations), FONT_SIZE)
        except Exception:  # noqa: BLE001 - the plain text stays
            png = None
        with contextlib.suppress(RuntimeError):  # (the window closed meanwhile)
            self.signals.done.emit(self.name, png)


class UpdateRuleLabel(FormulaLabel):
    """The update rule of the optimizer :meth:`show_optimizer` was last given
    (``updateRuleLabel``)."""

    def __init__(self, parent=None) -> None:
        # (typeset large enough for presentation mode's type, drawn no larger than 1.6 times
        # the window's: at full size it towered over the loss panel's formulas)
        super().__init__("updateRuleLabel", parent, em_px=EM_PX, largest=1.6, grow=True)
        self.setAccessibleName("the selected optimizer's update rule")
        self.name = ""
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._asked: set[str] = set()

    def show_optimizer(self, name: str) -> None:
        """Show ``name``'s equations (typeset, or plain text until they are)."""
        if name == self.name:
            return
        self.name = name
        plain = plain_equations(name)
        png = _TYPESET.get(name)
        if png is not None:
            self._show(png, plain)
            return
        self.set_rich_text(plain.replace("\n", "<br>"))
        self.setToolTip(TIP + plain)
        if name not in _TYPESET and name not in self._asked:
            self._asked.add(name)
            # (once the views have painted: at launch, the first frame needs no matplotlib)
            after_paints(lambda: self._pool.start(_TypesetJob(name, self._on_typeset)), self)

    def _on_typeset(self, name: str, png) -> None:
        self._asked.discard(name)
        _TYPESET[name] = png
        if name == self.name and png is not None:
            self._show(png, plain_equations(name))

    def _show(self, png: bytes, plain: str) -> None:
        self.set_formula(png, plain)
        self.setToolTip(TIP + plain)

    def wait(self, msecs: int = 30000) -> bool:
        """Let the typesetting finish and show (tests, screenshots)."""
        for _ in range(4):  # (the job starts after the pending paints)
            QtCore.QCoreApplication.processEvents()
        done = self._pool.waitForDone(msecs)
        QtCore.QCoreApplication.processEvents()
        return done
