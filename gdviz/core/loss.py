"""The compiled loss: a sympy expression with its exact gradient and Hessian, as numpy code."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from gdviz.core.errors import LossError
from gdviz.core.parser import parse_expression

Array = np.ndarray


class ElementwisePrinter(NumPyPrinter):
    """numpy printer whose Max/Min broadcast elementwise (sympy's default stacks a tuple)."""

    def _nested(self, fn: str, args) -> str:
        out = self._print(args[-1])
        for arg in reversed(args[:-1]):
            out = f"numpy.{fn}({self._print(arg)}, {out})"
        return out

    def _print_Max(self, expr) -> str:  # noqa: N802 - sympy's naming
        return self._nested("maximum", expr.args)

    def _print_Min(self, expr) -> str:  # noqa: N802
        return self._nested("minimum", expr.args)

    def _print_Integer(self, expr) -> str:  # noqa: N802
        # An integer beyond int64 would reach numpy as a Python object: numpy.log(10**40)
        # raises TypeError instead of computing. Everything is float64 anyway.
        if abs(expr.p) <= 2**53:
            return super()._print_Integer(expr)
        try:
            return repr(float(expr.p))
        except OverflowError:
            return "numpy.inf" if expr.p > 0 else "(-numpy.inf)"

    def _print_Heaviside(self, expr) -> str:  # noqa: N802
        # The derivative of max/min. sympy's code printers rewrite it as a Piecewise, whose
        # construction simplifies the conditions: seconds for max(-ln(y), min(-x, x)). numpy
        # has the function itself (and keeps NaN as NaN, where the Piecewise gave 1).
        h0 = expr.args[1] if len(expr.args) > 1 else sp.S.Half
        return f"numpy.heaviside({self._print(expr.args[0])}, {self._print(h0)})"


def _without_dirac(expr: sp.Expr) -> sp.Expr:
    # abs/max/min have kinks; sympy's second derivative there is a DiracDelta, which numpy
    # cannot evaluate. Away from the kink it is 0, which is what a grid ever samples.
    if expr.has(sp.DiracDelta):
        expr = expr.replace(sp.DiracDelta, lambda *args: sp.Integer(0))
    return expr


class _RealAbs(sp.Function):
    """|u| differentiated as if u were real: sign(u)·u'. See :func:`_diff`."""

    def fdiff(self, argindex=1):
        return sp.sign(self.args[0])


class _RealSign(sp.Function):
    """sign(u) differentiated as if u were real: 0 away from its jump. See :func:`_diff`."""

    def fdiff(self, argindex=1):
        return sp.S.Zero


def _diff(expr: sp.Expr, symbol: sp.Symbol) -> sp.Expr:
    """``sympy.diff``, except that |u| and sign(u) are differentiated as for a real u.

    sympy gives sign(u)·u' for |u| only when it can prove u real. For abs(log(x)) or
    abs(sqrt(x)) it cannot (log(x) is complex for x < 0) and answers with re(u), im(u) and
    atan2 terms, and for sign(log(x)) with an unevaluated Derivative that numpy cannot print:
    parsing abs(log(x)) raised an error. Where the loss is defined u is real, so sign(u)·u'
    is right there; the jump of sign is dropped like the DiracDelta of :func:`_without_dirac`.
    """
    if not expr.has(sp.Abs, sp.sign):
        return sp.diff(expr, symbol)
    real = expr.replace(sp.Abs, _RealAbs).replace(sp.sign, _RealSign)
    return sp.diff(real, symbol).replace(_RealAbs, sp.Abs).replace(_RealSign, sp.sign)


# The compiled code names its arguments after these, not after the user's variables: a loss in
# a variable called ``numpy`` would otherwise shadow the module inside the generated function
# (``numpy.sin(numpy)``). The parser refuses names starting with '_', so these never clash.
_ARGS = (sp.Symbol("_gdviz_a", real=True), sp.Symbol("_gdviz_b", real=True))


def _compile(symbols, exprs) -> Callable:
    rename = dict(zip(symbols, _ARGS, strict=True))
    if isinstance(exprs, list):
        exprs = [sp.sympify(e).xreplace(rename) for e in exprs]
    else:
        exprs = sp.sympify(exprs).xreplace(rename)
    return sp.lambdify(_ARGS, exprs, modules="numpy", cse=True, printer=ElementwisePrinter,
                       docstring_limit=0)


def _as_float(result, shape: tuple[int, ...]) -> Array:
    out = np.asarray(result)
    if np.iscomplexobj(out):
        real = np.where(np.abs(out.imag) <= 1e-12 * (1 + np.abs(out.real)), out.real, np.nan)
        out = real
    out = np.asarray(out, dtype=np.float64)
    if out.shape != shape:
        out = np.broadcast_to(out, shape).copy()
    return out


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
    partials : tuple[sympy.Expr, sympy.Expr]
        ∂f/∂a and ∂f/∂b, exactly as ``sympy.diff`` gives them (never expanded), except
        that |u| always differentiates to sign(u)·u', as for a real u (see ``_diff``).
    hessian_exprs : tuple[tuple[sympy.Expr, sympy.Expr], tuple[sympy.Expr, sympy.Expr]]
    """

    def __init__(self, text: str, expr: sp.Expr, variables: tuple[str, str],
                 symbols: tuple[sp.Symbol, sp.Symbol]) -> None:
        self.text = text
        self.expr = expr
        self.variables = variables
        self.symbols = symbols
        a, b = symbols
        da, db = _diff(expr, a), _diff(expr, b)
        self.partials = (da, db)
        haa, hab, hbb = (_without_dirac(_diff(da, a)), _without_dirac(_diff(da, b)),
                         _without_dirac(_diff(db, b)))
        self.hessian_exprs = ((haa, hab), (hab, hbb))
        self._f = _compile(symbols, expr)
        self._fg = _compile(symbols, [expr, _without_dirac(da), _without_dirac(db)])
        self._h = _compile(symbols, [haa, hab, hbb])
        self._latex: str | None = None
        self._partials_latex: tuple[str, str] | None = None

    # -- display --------------------------------------------------------------------------
    @property
    def latex(self) -> str:
        """LaTeX of f."""
        if self._latex is None:
            self._latex = sp.latex(self.expr)
        return self._latex

    @property
    def partials_latex(self) -> tuple[str, str]:
        """LaTeX of ∂f/∂a and ∂f/∂b."""
        if self._partials_latex is None:
            self._partials_latex = (sp.latex(self.partials[0]), sp.latex(self.partials[1]))
        return self._partials_latex

    @property
    def plain(self) -> str:
        """Plain-text form of f, e.g. ``w2*(1 - w2)*sin(w1)``."""
        return sp.sstr(self.expr)

    @property
    def partials_plain(self) -> tuple[str, str]:
        """Plain-text forms of ∂f/∂a and ∂f/∂b."""
        return (sp.sstr(self.partials[0]), sp.sstr(self.partials[1]))

    # -- evaluation -----------------------------------------------------------------------
    @staticmethod
    def _args(a, b) -> tuple[Array, Array, tuple[int, ...]]:
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        return a, b, np.broadcast_shapes(a.shape, b.shape)

    def value(self, a, b) -> Array:
        """f(a, b), vectorized."""
        a, b, shape = self._args(a, b)
        with np.errstate(all="ignore"):
            return _as_float(self._f(a, b), shape)

    def gradient(self, a, b) -> tuple[Array, Array]:
        """(∂f/∂a, ∂f/∂b) at (a, b), vectorized."""
        _, da, db = self.value_and_gradient(a, b)
        return da, db

    def value_and_gradient(self, a, b) -> tuple[Array, Array, Array]:
        """f, ∂f/∂a and ∂f/∂b in one pass (shared sub-expressions computed once)."""
        a, b, shape = self._args(a, b)
        with np.errstate(all="ignore"):
            f, da, db = self._fg(a, b)
            return _as_float(f, shape), _as_float(da, shape), _as_float(db, shape)

    def hessian(self, a, b) -> list[list[Array]]:
        """The 2×2 Hessian ``[[f_aa, f_ab], [f_ab, f_bb]]`` at (a, b), vectorized."""
        a, b, shape = self._args(a, b)
        with np.errstate(all="ignore"):
            haa, hab, hbb = (_as_float(h, shape) for h in self._h(a, b))
        return [[haa, hab], [hab.copy(), hbb]]

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
    try:
        parsed = parse_expression(text, variables)
        return Loss(text, parsed.expr, parsed.variables, parsed.symbols)
    except LossError:
        raise
    except (RecursionError, MemoryError, ArithmeticError, ValueError, TypeError,
            AttributeError, SyntaxError, KeyError, NotImplementedError) as err:
        # sympy can still fail on an odd but allow-listed expression (NotImplementedError: a
        # printer meeting something it cannot print); the user gets a message, not a traceback.
        raise LossError(f"gdviz cannot work with this loss ({type(err).__name__})") from None
