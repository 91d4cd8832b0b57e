"""Derivatives as the board writes them (:class:`Derivative`), and the numpy printer for
sympy's ``lambdify`` where complex points are needed (:class:`ElementwisePrinter`); the
compiled loss (:mod:`gdviz.core.loss`) is built on them."""

from __future__ import annotations

import sympy as sp
from sympy.printing.numpy import NumPyPrinter

from gdviz.core.stable_forms import STABLE_FUNCTIONS


class ElementwisePrinter(NumPyPrinter):
    """numpy printer whose Max/Min broadcast elementwise (sympy's default stacks a tuple).

    The loss itself is compiled by :mod:`gdviz.core.codegen`; this printer serves
    ``sympy.lambdify`` where complex points are needed (gdviz.core.derivation checks a
    derivation numerically, also at complex points).
    """

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


# Functions whose derivative sympy gives as ``fdiff``: the same forms ``sympy.diff`` prints.
_FDIFF = (sp.sin, sp.cos, sp.tan, sp.asin, sp.acos, sp.atan, sp.sinh, sp.cosh, sp.tanh, sp.log,
          sp.Max, sp.Min, *STABLE_FUNCTIONS)
# Steps and spikes: their derivative is 0 away from the jump, which is all a grid ever samples
# (sympy's DiracDelta cannot be evaluated by numpy).
FLAT_FUNCTIONS = (sp.sign, sp.Heaviside, sp.DiracDelta)


def _times(*factors: sp.Expr) -> sp.Expr:
    """The product, with its number kept outside a sum: 2*(x - 1), not 2*x - 2.

    ``sympy.diff`` distributes a number over a sum (d/dx (x + y**2 - 7)**2 gives
    ``2*x + 2*y**2 - 14``). The board writes 2(x + y² − 7), and the compiled code can then
    compute ``x + y**2 - 7`` once for the loss and its gradient.
    """
    coeff, rest = sp.S.One, []
    for f in factors:
        c, m = f.as_coeff_Mul()
        coeff *= c
        if m is not sp.S.One:
            rest.append(m)
    if coeff.is_zero:
        return sp.S.Zero
    body = sp.Mul(*rest)
    if body.is_Add and coeff is not sp.S.One:
        # Mul(2, x + 1) would distribute; unevaluated it stays 2*(x + 1) (as Add itself
        # keeps such a term, and as distribute(False) does)
        return sp.Mul(coeff, body, evaluate=False)
    return coeff * body  # a number times a product or a power: nothing to distribute


class Derivative:
    """d/d``symbol`` by the rules of calculus, remembering every subtree's derivative.

    Equal to what ``sympy.diff`` gives under ``distribute(False)``, without that switch: it
    clears sympy's cache on the way in and out (so every later sympy call starts cold) and it
    is not thread-safe (the cache is shared). The form differs where a product has factors
    that do not vary: they stay outside the product rule (see ``_product``). Two differences
    in value from ``sympy.diff``, on purpose:
    |u| differentiates to sign(u)·u' as for a real u (sympy does so only when it can prove u
    real; for abs(log(x)) it answers with re, im and atan2, and for sign(log(x)) with an
    unevaluated Derivative numpy cannot print), and sign, Heaviside and DiracDelta to 0 (see
    ``FLAT_FUNCTIONS``). Where the loss is defined u is real, so sign(u)·u' is right there.
    """

    def __init__(self, symbol: sp.Symbol) -> None:
        self.symbol = symbol
        self.memo: dict[sp.Expr, sp.Expr] = {}

    def __call__(self, expr: sp.Expr) -> sp.Expr:
        d = self.memo.get(expr)
        if d is None:
            d = self.memo[expr] = self._rule(expr)
        return d

    def _rule(self, expr: sp.Expr) -> sp.Expr:
        zero = sp.S.Zero
        if not expr.args:
            return sp.S.One if expr == self.symbol else zero
        if expr.is_Add:
            return sp.Add(*(self(t) for t in expr.args))
        if expr.is_Mul:  # product rule
            return self._product(expr.args)
        if expr.is_Pow:
            base, exp = expr.args
            db, de = self(base), self(exp)
            if de is zero:  # power rule, as the board (and the Chain rule tab) writes it:
                # w2·w1^(w2 − 1), not sympy's w1^w2·w2/w1 (which is also 0/0 at w1 = 0)
                return zero if db is zero else _times(exp, base ** (exp - 1), db)
            if db is zero:  # exponential: a**u (ln 0.5 kept, not −0.693147, as the board has it)
                return _times(expr, sp.log(base, evaluate=not base.is_Float), de)
            return _times(expr, sp.Add(_times(de, sp.log(base)), _times(db, exp, 1 / base)))
        func = type(expr)
        if func is sp.exp:
            return _times(expr, self(expr.args[0]))
        if func is sp.Abs:
            return _times(sp.sign(expr.args[0]), self(expr.args[0]))
        if func in FLAT_FUNCTIONS:
            return zero
        if func in _FDIFF:  # chain rule
            terms = []
            for i, arg in enumerate(expr.args):
                d = self(arg)
                if d is not zero:
                    terms.append(_times(expr.fdiff(i + 1), d))
            return sp.Add(*terms)
        raise NotImplementedError(f"gdviz cannot differentiate {func.__name__}")

    def _product(self, args: tuple[sp.Expr, ...]) -> sp.Expr:
        """The product rule, with the factors that do not vary kept outside, as the board
        (and the Chain rule tab) has it: ∂/∂w2 [w2(1 − w2)·sin(w1)] = (1 − 2w2)·sin(w1),
        where the rule applied to all three factors gave −w2·sin(w1) + (1 − w2)·sin(w1)."""
        derivs = [self(arg) for arg in args]
        held = [arg for arg, d in zip(args, derivs, strict=True) if d is sp.S.Zero]
        varying = [(arg, d) for arg, d in zip(args, derivs, strict=True)
                   if d is not sp.S.Zero]
        factors = [arg for arg, _ in varying]
        terms = [_times(*factors[:i], d, *factors[i + 1:]) for i, (_, d) in enumerate(varying)]
        if len(terms) < 2:  # one factor varies: c·u' as it is
            return _times(*held, *terms) if terms else sp.S.Zero
        return _times(*held, sp.Add(*terms))
