"""Step-by-step derivation of a partial derivative, as a student writes it on the board.

:func:`derivative_steps` walks the sympy expression tree top-down (outer rule first) and
records one :class:`Step` per rule applied: sum, constant multiple, product, quotient, chain,
power, exponential and the elementary functions. The result is built bottom-up from the same
rules, never by differentiating the whole expression at once, so it keeps the form the lecture
writes (``cos(w1)*w2*(1 - w2)``, not expanded). It is then checked against ``sympy.diff``; in
the unlikely case that check fails, ``sympy.diff``'s answer is used instead. The walk and its
:class:`Step` records live in :mod:`gdviz.core.derivation_rules` (importable from here too).

Rule names (``Step.rule``): ``"sum"`` (also for differences), ``"constant multiple"``,
``"constant"`` (derivative of a constant or of the other variable is 0), ``"variable"``
(d/dx x = 1), ``"power"``, ``"product"``, ``"quotient"``, ``"chain"``, ``"exponential"`` (a^x,
and f^g written as exp(g·ln f)), the elementary functions ``"sin"``, ``"cos"``, ``"tan"``,
``"asin"``, ``"acos"``, ``"atan"``, ``"sinh"``, ``"cosh"``, ``"tanh"``, ``"exp"``, ``"log"``,
``"sqrt"``, ``"abs"``, ``"max"``, ``"min"``, and ``"too long"`` (a single step for expressions
with more than :data:`MAX_OPERATIONS` operations). ``Step.function`` names the elementary rule
used on the outside of a chain step (``"sin"``, ``"power"``, ``"exp"``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy as sp
from sympy.core.parameters import distribute

from gdviz.core import printing
from gdviz.core.board_derivative import ElementwisePrinter
from gdviz.core.board_form import board_latex, typed_parts_of
from gdviz.core.derivation_rules import Step, _Walker
from gdviz.core.derivation_together import together_step
from gdviz.core.display_tidy import tidy_derivative
from gdviz.core.typed_parts import TypedParts

MAX_OPERATIONS = 400  # beyond this, a single "too long" step and sympy's own derivative
_KINKS = (sp.Abs, sp.sign, sp.Heaviside, sp.Max, sp.Min, sp.re, sp.im)

# fixed, irregular sample points for the numeric check of the result (several scales, so that
# log, sqrt, asin, ... find points inside their domains)
_POINTS = np.array([
    [0.37, -1.21], [1.73, 0.61], [-0.83, 2.29], [0.55, 0.45], [2.61, -0.31], [-1.93, -0.71],
    [0.12, 0.88], [3.31, 1.43], [0.71, -0.19], [-0.27, 0.33], [1.17, 2.71], [-2.47, 1.09],
    [0.93, 1.37], [-0.61, -0.47], [5.3, 0.23], [0.29, 4.1],
]).T  # fmt: skip


@dataclass(frozen=True)
class Derivation:
    """The step-by-step derivation of ∂f/∂variable.

    Attributes
    ----------
    variable : str
        Name of the variable differentiated by.
    expr : sympy.Expr
        The function f.
    steps : tuple[Step, ...]
        Top-down: the outermost rule first, inner parts after, each with its ``depth``.
    result : sympy.Expr
        The derivative, built from the rules; equal to ``sympy.diff(expr, variable)``.
    latex : str
        LaTeX of ``result``, as the loss panel shows it
        (:func:`gdviz.core.display_tidy.tidy_derivative`).
    from_rules : bool
        False when ``result`` is sympy's own derivative (expression too long, or the
        step-by-step form could not be confirmed equal to it).
    typed : TypedParts or None
        The parts of f as typed, which the steps and ``latex`` write so (None: sympy's
        order throughout).
    """

    variable: str
    expr: sp.Expr
    steps: tuple[Step, ...]
    result: sp.Expr
    latex: str
    from_rules: bool = True
    typed: TypedParts | None = field(default=None, compare=False, repr=False)
    together: Step | None = field(default=None, compare=False, repr=False)

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule name of every step, in order."""
        return tuple(s.rule for s in self.steps)

    @property
    def board_steps(self) -> tuple[Step, ...]:
        """The steps as the board shows them: :attr:`steps`, then the line that puts their
        parts together, where there is one (:mod:`gdviz.core.derivation_together`)."""
        return self.steps if self.together is None else (*self.steps, self.together)



def _values(f, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):
        va, vb = (np.broadcast_to(np.asarray(v, dtype=complex), points[0].shape)
                  for v in f(points[0], points[1]))
    return va, vb


def _agrees(a: sp.Expr, b: sp.Expr, symbols: tuple[sp.Symbol, sp.Symbol]) -> bool:
    """True when a and b are identical, or equal wherever both are finite at sample points.

    Real sample points first; where no point gives a real value (say sqrt of a negative
    everywhere) complex points, unless kinks (abs, sign, max, min) make that meaningless.
    """
    if a == b or a - b == 0:
        return True
    try:
        f = sp.lambdify(symbols, [a, b], modules="numpy", printer=ElementwisePrinter,
                        docstring_limit=0)
        va, vb = _values(f, _POINTS)
        ok = np.isfinite(va) & np.isfinite(vb) & (abs(va.imag) < 1e-9) & (abs(vb.imag) < 1e-9)
        if not ok.any() and not (a.has(*_KINKS) or b.has(*_KINKS)):
            va, vb = _values(f, _POINTS + 0.3j)
            ok = np.isfinite(va) & np.isfinite(vb)
        scale = 1 + np.maximum(abs(va[ok]), abs(vb[ok]))
        return bool(ok.any()) and bool(np.all(abs(va[ok] - vb[ok]) <= 1e-7 * scale))
    except Exception:  # noqa: BLE001 - an odd function numpy cannot print: not confirmed
        return False


def _resolve(loss, variable: str | int) -> tuple[str, sp.Symbol, int]:
    if not all(hasattr(loss, part) for part in ("expr", "symbols", "variables")):
        # (derivative_steps("x^2", "x") failed inside: "'str' object has no attribute
        # 'variables'")
        raise TypeError("derivative_steps needs a loss from parse_loss (e.g. "
                        f"parse_loss('sin(x^2)')), not {type(loss).__name__}")
    names = tuple(loss.variables)
    if isinstance(variable, int) and not isinstance(variable, bool):
        if variable not in (0, 1):
            raise ValueError(f"variable index must be 0 or 1, not {variable}")
        return names[variable], loss.symbols[variable], variable
    if isinstance(variable, str) and variable in names:
        i = names.index(variable)
        return names[i], loss.symbols[i], i
    raise ValueError(f"unknown variable {variable!r}: this loss uses {names[0]} and {names[1]}")


def derivative_steps(loss, variable: str | int) -> Derivation:
    """Derive ∂f/∂variable step by step, as a student would on the board.

    Parameters
    ----------
    loss : Loss
        A parsed loss (:func:`gdviz.parse_loss`); uses ``.expr``, ``.symbols``, ``.variables``.
    variable
        The variable's name (one of ``loss.variables``) or its index, 0 or 1.

    Returns
    -------
    Derivation
        Steps top-down (outer rule first) and the result, equal to ``sympy.diff``.

    Raises
    ------
    TypeError
        For ``loss`` not a parsed loss (text, say).
    ValueError
        For a variable the loss does not have.

    Examples
    --------
    >>> from gdviz import parse_loss
    >>> d = derivative_steps(parse_loss("sin(x^2)"), "x")
    >>> d.rules
    ('chain', 'power')
    >>> d.result
    2*x*cos(x**2)
    """
    name, sym, index = _resolve(loss, variable)
    expr = loss.expr
    typed = (loss.typed_parts if hasattr(loss, "typed_parts")  # (a Loss has read them)
             else typed_parts_of(getattr(loss, "text", None)))
    walker = _Walker(sym, typed, tuple(str(v) for v in loss.symbols))
    partials = getattr(loss, "partials", None)  # a Loss has sympy.diff's answers already
    reference = partials[index] if partials is not None else sp.diff(expr, sym)
    if sp.count_ops(expr) > MAX_OPERATIONS:
        step = Step("too long", walker.D(expr), printing.latex(reference),
                    "This expression is too long to show step by step, so only the final "
                    "derivative is shown.", 0)
        return Derivation(name, expr, (step,), reference, printing.latex(reference), False,
                          typed)
    with distribute(False):  # keep 2*(x + 1) as the board has it, not 2*x + 2
        result = walker.d(expr, 0)
    from_rules = _agrees(result, reference, tuple(loss.symbols))
    if not from_rules:
        result = reference
    steps = tuple(walker.steps)
    # (the final line as the loss panel's: 3·tanh(3w1), where the steps end in sinh/cosh;
    # the loss's own, where it is the same derivative, not tidied a second time)
    shown = loss.shown_partials[index] if hasattr(loss, "shown_partials") and \
        partials is not None and result == partials[index] else tidy_derivative(result)
    return Derivation(name, expr, steps, result, board_latex(expr, shown, sym, typed),
                      from_rules, typed, together_step(steps) if from_rules else None)
