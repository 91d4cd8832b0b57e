"""The compiled loss: a sympy expression with its exact gradient and Hessian, as numpy code."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import sympy as sp

from gdviz.core import printing
from gdviz.core.board_derivative import FLAT_FUNCTIONS, Derivative
from gdviz.core.codegen import compile_exprs
from gdviz.core.errors import LossError
from gdviz.core.limits import fill_curvatures, fill_limits
from gdviz.core.parse_checks import derivative_guard
from gdviz.core.parser import parse_expression
from gdviz.core.stable_forms import stable_form
from gdviz.core.typed_print import typed_latex, typed_plain

Array = np.ndarray


class Loss:
    """A loss of two variables with its exact derivatives, compiled to numpy.

    Build one with :func:`parse_loss`. Every evaluation method broadcasts its arguments like
    numpy and returns float64 arrays of the broadcast shape (0-d for scalars); points where the
    loss is undefined give NaN or ±inf, never an exception or a warning.

    Attributes
    ----------
    text : str
        The text it was parsed from.
    expr : sympy.Expr
        The loss, in real symbols.
    variables : tuple[str, str]
        The two variable names in natural order (x before y, w1 before w2).
    symbols : tuple[sympy.Symbol, sympy.Symbol]
    uses : tuple[bool, bool]
        Whether f depends on each variable (sin(x²) not on y: the tabs hold no y for it).
    partials : tuple[sympy.Expr, sympy.Expr]
        ∂f/∂a and ∂f/∂b, equal to ``sympy.diff``'s, written as on the board: never expanded,
        numbers kept outside sums (``2*(x - 1)``), factors that do not vary kept outside the
        product rule (``(1 - 2*w2)*sin(w1)``), and |u| differentiated to sign(u)·u' as for a
        real u (see :class:`~gdviz.core.board_derivative.Derivative`).
    hessian_exprs : tuple[tuple[sympy.Expr, sympy.Expr], tuple[sympy.Expr, sympy.Expr]]
        The second derivatives, by the same rules (0 for the jump of a step or a kink).
    """

    def __init__(self, text: str, expr: sp.Expr, variables: tuple[str, str],
                 symbols: tuple[sp.Symbol, sp.Symbol], guard: sp.Expr | None = None) -> None:
        self.text = text
        self.expr = expr
        self.guard = guard  # (the typed domain sympy simplified away: gdviz.core.parser)
        self.variables = variables
        self.symbols = symbols
        # Built with a function that has corners (|u|, max, min; steps): a partial derivative
        # may not exist at some points (gdviz.core.special_points).
        self.has_corners = bool(expr.has(sp.Abs, sp.Max, sp.Min, *FLAT_FUNCTIONS))
        # Or with a power that is not whole (x^(2/3)'s cusp, the cone √(x² + y²)'s tip): f
        # may turn there as at a corner (gdviz.core.descent_checks.corners_between).
        self.may_kink = self.has_corners or any(
            p.exp.is_number and not p.exp.is_integer for p in expr.atoms(sp.Pow))
        # (once: sympy works out free_symbols afresh each time, 0.2 ms on a long loss, and
        # the Slice tab asks every playback frame)
        self.uses = tuple(s in expr.free_symbols for s in symbols)
        # one memo per variable, shared by the first and second derivatives
        d_a, d_b = Derivative(symbols[0]), Derivative(symbols[1])
        da, db = d_a(expr), d_b(expr)
        self.partials = (da, db)
        # The second derivatives are made here, within the compile's time budget: a loss
        # whose Hessian runs away is refused as a whole, never left to freeze the window
        # when Newton's method asks for it.
        hab = d_b(da)
        self.hessian_exprs = ((d_a(da), hab), (hab, d_b(db)))
        # The numpy code from a form equal in value that float64 evaluates without overflow
        # or cancellation, where f has one (log(1 + exp(−z)) as softplus: ∞ past z ≈ 709
        # and 0 past z ≈ 37 as typed; gdviz.core.stable_forms); differentiated on its own.
        numeric = stable_form(expr)
        if numeric is expr:
            self._numeric = (expr, da, db, self.hessian_exprs)
        else:
            n_a, n_b = Derivative(symbols[0]), Derivative(symbols[1])
            nda, ndb = n_a(numeric), n_b(numeric)
            nab = n_b(nda)
            self._numeric = (numeric, nda, ndb, ((n_a(nda), nab), (nab, n_b(ndb))))
        # NaN where f is: log(u)'s derivative u'/u is finite for u < 0, sqrt(x) + y's ∂f/∂y
        # is 1 at x = −1 (gdviz.core.parse_checks.derivative_guard); of the form compiled
        # (the typed form's log(1 − exp(z)/(1 + exp(z))) is ∞/∞ past z ≈ 709 in its guard)
        # The typed domain too: a cross-entropy's label-0 term typed (1 − 1)·log(1 − s) is 0
        # to sympy, its guard log(1 − s) rounds to log(0) past z ≈ 37 as typed (f NaN there,
        # a run stopped as "undefined"); as −softplus(z) it is finite everywhere.
        guard = stable_form(guard) if guard is not None else None
        (n_aa, n_ab), (_, n_bb) = self._numeric[3]
        self._d_guard = derivative_guard(self._numeric[0], [*self._numeric[1:3], n_aa, n_ab,
                                                            n_bb], guard)
        self._f = compile_exprs(symbols, [self._numeric[0]], guard)
        self._fg = compile_exprs(symbols, list(self._numeric[:3]), self._d_guard)
        # What the views need only after their first picture (the Hessian's numpy code, the
        # printed forms) is made on first use, or ahead by prepare() on the compile thread
        # once the views have painted: a new loss shows sooner. Each lazy member is made under
        # its own lock, so two threads never make one twice (and the Hessian never waits for
        # the printing).
        self._plain_lock = threading.Lock()
        self._hessian_lock = threading.Lock()
        self._h: Callable | None = None
        self._h_unknown = False  # (its code could not be made: curvatures unknown, NaN)
        self._latex: str | None = None
        self._partials_latex: tuple[str, str] | None = None
        self._shown: tuple[sp.Expr, sp.Expr] | None = None  # (see shown_partials)
        self._typed: list = []  # [TypedParts or None] once read (see typed_parts)
        self._plain: tuple[str, str, str] | None = None

    def prepare(self) -> None:
        """Make the lazy parts now: the plain-text forms and the Hessian's numpy code. The
        compile thread calls it after the views have painted the loss."""
        self._plain_forms()
        self._hessian_fn()

    def prepare_hessian(self) -> None:
        """Make the Hessian's numpy code now (nothing where it is made)."""
        self._hessian_fn()

    # -- display --------------------------------------------------------------------------
    @property
    def latex(self) -> str:
        """LaTeX of f as it was typed (terms and factors in the typed order)."""
        if self._latex is None:
            self._latex = self.latex_with()
        return self._latex

    def latex_with(self, symbol_names: dict[sp.Symbol, str] | None = None) -> str:
        """LaTeX of f as it was typed, with ``symbol_names`` written for some variables (as
        ``sympy.latex``'s)."""
        try:
            return typed_latex(self.text, symbol_names)
        except Exception:  # noqa: BLE001 - not expected (the text was parsed): sympy's order
            return printing.latex(self.expr, symbol_names=symbol_names or {})

    @property
    def partials_latex(self) -> tuple[str, str]:
        """LaTeX of ∂f/∂a and ∂f/∂b, as the board and the Chain rule tab write them: a held
        factor where f has it, the parts of f as typed (cos(w₁)·w₂(1 − w₂) and
        sin(w₁)·(1 − 2w₂) for ``sin(w1)*w2*(1-w2)``; :func:`gdviz.core.board_form.board_latex`)."""
        if self._partials_latex is None:
            from gdviz.core.board_form import board_latex

            typed, (da, db) = self.typed_parts, self.shown_partials
            self._partials_latex = (board_latex(self.expr, da, self.symbols[0], typed),
                                    board_latex(self.expr, db, self.symbols[1], typed))
        return self._partials_latex

    @property
    def shown_partials(self) -> tuple[sp.Expr, sp.Expr]:
        """∂f/∂a and ∂f/∂b as shown (:func:`gdviz.core.display_tidy.tidy_derivative`:
        3·tanh(3w1), not 3·sinh(3w1)/cosh(3w1)); :attr:`partials` are what is compiled."""
        if self._shown is None:  # (two threads may both make it: the same, either kept)
            from gdviz.core.display_tidy import tidy_derivatives

            self._shown = tidy_derivatives(self.partials)
        return self._shown

    @property
    def typed_parts(self):
        """The parts of f as typed (:class:`gdviz.core.typed_parts.TypedParts`; None where
        the text cannot be read again), read once for the partials and the Chain rule tab."""
        if not self._typed:
            from gdviz.core.board_form import typed_parts_of

            self._typed.append(typed_parts_of(self.text))
        return self._typed[0]

    def _plain_forms(self) -> tuple[str, str, str]:
        # Printed once, by prepare() on the compile thread (a large loss takes a while).
        with self._plain_lock:
            if self._plain is None:
                try:
                    f = typed_plain(self.text)
                except Exception:  # noqa: BLE001 - (as in latex_with)
                    f = printing.plain(self.expr)
                da, db = self.shown_partials
                self._plain = (f, printing.plain(da), printing.plain(db))
            return self._plain

    @property
    def plain_ready(self) -> bool:
        """Whether :attr:`plain` is printed already (the GUI thread shows the typed text
        until then, rather than print on it)."""
        return self._plain is not None

    @property
    def plain(self) -> str:
        """Plain-text form of f as it was typed, e.g. ``sin(w1)*w2*(1 - w2)``."""
        return self._plain_forms()[0]

    @property
    def partials_plain(self) -> tuple[str, str]:
        """Plain-text forms of ∂f/∂a and ∂f/∂b."""
        return self._plain_forms()[1:]

    # -- evaluation -----------------------------------------------------------------------
    # The compiled functions convert and broadcast their arguments themselves and return new
    # float64 arrays of the broadcast shape (see gdviz.core.codegen).
    def value(self, a, b) -> Array:
        """f(a, b), vectorized."""
        with np.errstate(all="ignore"):
            return self._f(a, b)[0]

    def gradient(self, a, b) -> tuple[Array, Array]:
        """(∂f/∂a, ∂f/∂b) at (a, b), vectorized."""
        _, da, db = self.value_and_gradient(a, b)
        return da, db

    def value_and_gradient(self, a, b) -> tuple[Array, Array, Array]:
        """f, ∂f/∂a and ∂f/∂b in one pass (shared sub-expressions computed once); a partial
        whose formula is 0·∞ where f is smooth is its limit (:mod:`gdviz.core.limits`)."""
        with np.errstate(all="ignore"):
            return fill_limits(self.raw_value, a, b, *self._fg(a, b))

    def raw_value(self, a, b) -> Array:
        """f(a, b) as :meth:`value`, for callers already under ``numpy.errstate``."""
        return self._f(a, b)[0]

    def hessian(self, a, b) -> list[list[Array]]:
        """The 2×2 Hessian ``[[f_aa, f_ab], [f_ab, f_bb]]`` at (a, b), vectorized; a
        curvature whose formula is undefined (∞/∞) where f and ∇f are finite is taken from
        ∇f's differences (:func:`gdviz.core.limits.fill_curvatures`)."""
        with np.errstate(all="ignore"):
            haa, hab, hbb = self._hessian_fn()(a, b)
            if np.isnan(np.add.reduce(haa + hab + hbb, axis=None)) and not self._h_unknown:
                haa, hab, hbb = fill_curvatures(self.value_and_gradient, a, b, haa, hab, hbb)
        return [[haa, hab], [hab.copy(), hbb]]

    def _hessian_fn(self) -> Callable:
        with self._hessian_lock:
            if self._h is None:
                try:
                    (haa, hab), (_, hbb) = self._numeric[3]
                    self._h = compile_exprs(self.symbols, [haa, hab, hbb], self._d_guard)
                # Not expected (the gradient compiled), not fatal: curvatures unknown, NaN
                # (a product of 79 factors: Python's compiler ran out of recursion on the
                # second derivatives' code, and Newton raised RecursionError)
                except (NotImplementedError, RecursionError, MemoryError):
                    self._h = compile_exprs(self.symbols, [sp.nan] * 3)
                    self._h_unknown = True  # (not to be guessed from ∇f's differences)
            return self._h

    def __call__(self, a, b) -> Array:
        return self.value(a, b)

    def __reduce__(self):  # compiled functions do not pickle: rebuild from the text
        return (parse_loss, (self.text, self.variables))

    def __repr__(self) -> str:
        return f"Loss({self.text!r}, variables={self.variables})"


def parse_loss(text: str, variables: tuple[str, str] | None = None) -> Loss:
    """Parse typed text into a compiled :class:`Loss`, safely.

    Parameters
    ----------
    text
        The loss as a student types it: ``"sin(w1)*w2*(1-w2)"``, ``"x^2 + 3y²"``, ``"2(x+1)"``.
        Never evaluated as Python; see :mod:`gdviz.core.parser`.
    variables
        Optional pair of names fixing the variables and their order.

    Returns
    -------
    Loss

    Raises
    ------
    LossError
        A ``ValueError`` with a message a student understands and ``.position`` where it
        applies. No other exception escapes.

    Examples
    --------
    >>> loss = parse_loss("sin(w1)*w2*(1-w2)")
    >>> loss.variables
    ('w1', 'w2')
    >>> float(loss.gradient(0.0, 0.5)[0])
    0.25
    """
    if not isinstance(text, str):  # ("gdviz cannot work with this loss (TypeError)" said)
        raise LossError(f"the loss must be text, got {type(text).__name__}")
    try:
        parsed = parse_expression(text, variables)
        return Loss(text, parsed.expr, parsed.variables, parsed.symbols, parsed.guard)
    except LossError:
        raise
    except (RecursionError, MemoryError, ArithmeticError, ValueError, TypeError,
            AttributeError, SyntaxError, KeyError, NotImplementedError) as err:
        # sympy can still fail on an odd but allow-listed expression (NotImplementedError: a
        # printer meeting something it cannot print); the user gets a message, not a traceback.
        raise LossError(f"gdviz cannot work with this loss ({type(err).__name__})") from None
