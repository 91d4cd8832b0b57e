"""The printer behind :mod:`gdviz.core.codegen`: :class:`_Printer` turns sympy expressions of
the two variables into lines of numpy code (a shared subtree computed once into a temporary,
constant subtrees folded into float literals by :func:`_value`, small powers as
multiplications, terms and factors grouped by the variables they depend on), and
:func:`_print` prints every output of one compiled function with it, in code whose arguments
are named :data:`ARG_NAMES`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import sympy as sp

from gdviz.core.stable_forms import (
    LogCosh,
    LogSumExp,
    Sigmoid,
    SigmoidSlope,
    Softplus,
    Tanh,
    TanhSlope,
)

# The generated code names its arguments after these, not after the user's variables: a loss
# in a variable called ``numpy`` would otherwise shadow the module inside the generated function
# (``numpy.sin(numpy)``). The parser refuses names starting with '_'; every name in the code is
# one of ours.
ARG_NAMES = ("_gdviz_a", "_gdviz_b")
MAX_MULTIPLIED_POWER = 16  # u**n for integer |n| up to this: multiplications, not pow()
_BIND_EVERY = 24  # nesting levels: Python's parser refuses ~200 nested parentheses

# sympy function -> numpy function of one argument
_UNARY: dict[type, str] = {
    sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.asin: "arcsin", sp.acos: "arccos",
    sp.atan: "arctan", sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh", sp.exp: "exp",
    sp.log: "log", sp.Abs: "abs", sp.sign: "sign",
}  # fmt: skip
# gdviz.core.stable_forms' functions (printed by _Printer.stable)
_STABLE = (Softplus, Sigmoid, SigmoidSlope)
_HYPERBOLIC = (TanhSlope, LogCosh)  # (printed by _Printer.hyperbolic)
# Elementwise, nested pairwise: sympy's own numpy printer stacks the arguments instead.
_NESTED: dict[type, str] = {sp.Max: "maximum", sp.Min: "minimum"}
# I appears in the derivative of a negative number to a variable power (log(-2) = log(2) + I*pi):
# no real value there, so NaN (as lambdify's complex result turned to NaN did).
_CONSTANTS: dict[sp.Basic, float] = {sp.pi: math.pi, sp.E: math.e, sp.nan: math.nan,
                                      sp.oo: math.inf, -sp.oo: -math.inf, sp.zoo: math.nan,
                                      sp.I: math.nan}

# precedence of a printed piece of code, to know when it needs parentheses
_ADD, _MUL, _NEG, _ATOM = 1, 2, 3, 4


def _wrap(code: str, prec: int, least: int) -> str:
    return code if prec >= least else f"({code})"


def _literal(value: float) -> tuple[str, int]:
    """A float as Python source (inf and nan through numpy: they have no literal)."""
    if math.isnan(value):
        return "numpy.nan", _ATOM
    if math.isinf(value):
        return ("numpy.inf" if value > 0 else "(-numpy.inf)"), _ATOM
    text = repr(float(value))
    return (f"({text})" if text.startswith("-") else text), _ATOM


def odd_root(exp: sp.Basic) -> int | None:
    """The numerator p of an exponent p/q whose denominator q is odd and over 1, else None.

    ``u**(p/q)`` is then the real q-th root of u to the p-th power, defined for a negative u
    too (the cube root of −8 is −2), as calculus books and students take it: numpy's (and
    sympy's principal) root gave NaN for every u < 0, and x^(2/3), the textbook cusp, had
    no left half. Its derivatives by the power rule hold on that real branch too (the real
    odd roots multiply as exponents add), so f, ∇f and the Hessian agree there.
    """
    if exp.is_Rational and not exp.is_Integer and exp.q % 2:
        return int(exp.p)
    return None


def _value(expr: sp.Basic) -> float:
    """A constant subtree as a float64, by numpy's rules (call under ``numpy.errstate``)."""
    if expr.is_Rational:
        try:  # int / int is correctly rounded in Python, whatever the size of p and q
            return expr.p / expr.q
        except OverflowError:  # an integer beyond float64: inf, as numpy would make it
            return math.inf if expr.p > 0 else -math.inf
    if expr.is_Float:
        return float(expr)
    if expr in _CONSTANTS:
        return _CONSTANTS[expr]
    args = [np.float64(_value(a)) for a in expr.args]
    if expr.is_Add:
        return float(sum(args[1:], args[0]))
    if expr.is_Mul:
        return float(np.prod(args))
    if expr.is_Pow:
        root = odd_root(expr.exp)
        if root is not None and args[0] < 0:  # (-8)^(1/3) is -2 (see odd_root)
            return float((-1.0) ** root * np.power(-args[0], args[1]))
        return float(np.power(args[0], args[1]))
    func = type(expr)
    if func in _UNARY and len(args) == 1:
        return float(getattr(np, _UNARY[func])(args[0]))
    if func in _STABLE:
        t = np.exp(-abs(args[0]))
        if func is Softplus:
            return float(max(args[0], 0.0) + np.log1p(t))
        if func is SigmoidSlope:
            return float(t / (1.0 + t) ** 2)
        return float((1.0 if args[0] >= 0 else t) / (1.0 + t))
    if func is Tanh:
        return float(np.tanh(args[0]))
    if func in _HYPERBOLIC:
        t = np.exp(-2.0 * abs(args[0]))
        if func is TanhSlope:
            return float(4.0 * t / (1.0 + t) ** 2)
        return float(abs(args[0]) + np.log1p(t) - math.log(2.0))
    if func in _NESTED or func is LogSumExp:
        pair = np.logaddexp if func is LogSumExp else getattr(np, _NESTED[func])
        out = args[0]
        for a in args[1:]:
            out = pair(out, a)
        return float(out)
    if func is sp.Heaviside:
        return float(np.heaviside(args[0], args[1] if len(args) > 1 else 0.5))
    raise NotImplementedError(f"gdviz cannot compile {func.__name__}")


class _Printer:
    """Prints expressions of the two symbols as lines of numpy code, sharing repeated parts."""

    def __init__(self, symbols: Sequence[sp.Symbol]) -> None:
        self.args = dict(zip(symbols, ARG_NAMES, strict=True))
        self.bits = {s: 1 << i for i, s in enumerate(symbols)}
        self.mask: dict[sp.Basic, int] = {}  # which symbols a subtree depends on (0: constant)
        self.uses: dict[sp.Basic, int] = {}  # how many parents use it, over all outputs
        self.names: dict[sp.Basic, str] = {}  # subtrees already computed into a temporary
        self.values: dict[sp.Basic, float] = {}
        self.squares: dict[tuple[str, int], str] = {}  # (name, k) -> temporary of name**(2**k)
        self.decays: dict[str, str] = {}  # name -> temporary of exp(−|name|) (see stable)
        self.lines: list[str] = []
        self.depth = 0

    # -- pass 1: dependencies and use counts ----------------------------------------------
    def scan(self, expr: sp.Basic) -> int:
        mask = self.mask.get(expr)
        if mask is not None:
            self.uses[expr] += 1
            return mask
        if expr.is_Symbol:
            if expr not in self.bits:
                raise NotImplementedError(f"unknown symbol {expr}")
            mask = self.bits[expr]
        else:
            mask = 0
            for arg in expr.args:
                mask |= self.scan(arg)
        self.mask[expr] = mask
        self.uses[expr] = 1
        return mask

    # -- pass 2: printing -------------------------------------------------------------------
    def number(self, expr: sp.Basic) -> float:
        if expr not in self.values:
            self.values[expr] = _value(expr)
        return self.values[expr]

    def bind(self, code: str, expr: sp.Basic | None = None) -> str:
        name = f"_gdviz_t{len(self.lines)}"
        self.lines.append(f"    {name} = {code}")
        if expr is not None:
            self.names[expr] = name
        return name

    def expr(self, expr: sp.Basic) -> tuple[str, int]:
        """Code for ``expr`` and its precedence; a shared subtree is computed once."""
        if not self.mask[expr]:
            return _literal(self.number(expr))
        if expr in self.names:
            return self.names[expr], _ATOM
        if expr.is_Symbol:
            return self.args[expr], _ATOM
        self.depth += 1
        try:
            code, prec = self.build(expr)
            # every _BIND_EVERY levels of nesting a temporary, however often it is used
            deep = self.depth % _BIND_EVERY == 0
        finally:
            self.depth -= 1
        if self.uses[expr] > 1 or deep:
            return self.bind(code, expr), _ATOM
        return code, prec

    def name_of(self, expr: sp.Basic) -> str:
        """A variable holding ``expr`` (for code that reads it more than once)."""
        code, _ = self.expr(expr)
        return code if code.isidentifier() else self.bind(code, expr)

    def build(self, expr: sp.Basic) -> tuple[str, int]:
        if expr.is_Add:
            return self.total(expr)
        if expr.is_Mul:
            neg, code, prec = self.product(expr)
            return (f"-{_wrap(code, prec, _MUL)}", _NEG) if neg else (code, prec)
        if expr.is_Pow:
            base, exp = expr.args
            if self.mask[exp]:
                return f"numpy.power({self.expr(base)[0]}, {self.expr(exp)[0]})", _ATOM
            if self.number(exp) < 0:
                code, prec = self.magnitude(base, exp)
                return f"1.0/{_wrap(code, prec, _NEG)}", _MUL
            return self.magnitude(base, exp)
        func = type(expr)
        if func in _UNARY and len(expr.args) == 1:
            return f"numpy.{_UNARY[func]}({self.expr(expr.args[0])[0]})", _ATOM
        if func in _STABLE:
            return self.stable(func, expr.args[0])
        if func is Tanh:
            return f"numpy.tanh({self.expr(expr.args[0])[0]})", _ATOM
        if func in _HYPERBOLIC:
            return self.hyperbolic(func, expr.args[0])
        if func is LogSumExp:  # (pairwise, each exact: see gdviz.core.stable_forms)
            codes = [self.expr(a)[0] for a in expr.args]
            out = codes[0]
            for code in codes[1:]:
                out = f"numpy.logaddexp({out}, {code})"
            return out, _ATOM
        if func in _NESTED:
            codes = [self.expr(a)[0] for a in expr.args]
            out = codes[-1]
            for code in reversed(codes[:-1]):
                out = f"numpy.{_NESTED[func]}({code}, {out})"
            return out, _ATOM
        if func is sp.Heaviside:  # the derivative of max/min; numpy keeps NaN as NaN
            h0 = self.number(expr.args[1]) if len(expr.args) > 1 else 0.5
            return f"numpy.heaviside({self.expr(expr.args[0])[0]}, {_literal(h0)[0]})", _ATOM
        raise NotImplementedError(f"gdviz cannot compile {func.__name__}")

    def stable(self, func: type, arg: sp.Basic) -> tuple[str, int]:
        """softplus(±w), sigmoid(±w) and sigmoid′(w) from t = exp(−|w|), which never
        overflows, and r = 1/(1 + t), shared by every one of them of the same w (numpy's
        logaddexp took 2.5 times as long): softplus(w) = max(w, 0) + log1p(t),
        sigmoid(w) = r where w ≥ 0, else t·r (sigmoid(−w) the other way round),
        sigmoid′(w) = t·r²."""
        sign = -1.0 if arg.could_extract_minus_sign() else 1.0
        w = -arg if sign < 0 else arg  # (−(w1 + w2) and w1 + w2: one t)
        if w not in self.mask:  # (−arg: not a subtree the first pass saw)
            self.scan(w)
        name = self.name_of(w)
        if name not in self.decays:
            self.decays[name] = self.bind(f"numpy.exp(-numpy.abs({name}))")
        t = self.decays[name]
        if func is Softplus:  # softplus(−w) = log1p(t) − min(w, 0)
            edge = (f"numpy.maximum({name}, 0.0) + " if sign > 0
                    else f"-numpy.minimum({name}, 0.0) + ")
            return f"{edge}numpy.log1p({t})", _ADD
        if t not in self.decays:
            self.decays[t] = self.bind(f"1.0/(1.0 + {t})")
        r = self.decays[t]
        if func is SigmoidSlope:  # (even: the same for ±w)
            return f"{t}*{r}*{r}", _MUL
        # (NaN w: the comparison is False and t NaN, so NaN either way)
        ends = "1.0, " + t if sign > 0 else t + ", 1.0"
        return f"numpy.where({name} >= 0.0, {ends})*{r}", _MUL

    def hyperbolic(self, func: type, arg: sp.Basic) -> tuple[str, int]:
        """sech²(w) = 4t/(1 + t)² and log(cosh(w)) = |w| + log1p(t) − log 2 from
        t = exp(−2|w|), which never overflows (one t per w)."""
        name = self.name_of(arg)
        key = f"2|{name}|"
        if key not in self.decays:
            self.decays[key] = self.bind(f"numpy.exp(-2.0*numpy.abs({name}))")
        t = self.decays[key]
        if func is TanhSlope:
            return f"4.0*{t}/((1.0 + {t})*(1.0 + {t}))", _MUL
        return f"numpy.abs({name}) + numpy.log1p({t}) - {math.log(2.0)!r}", _ADD

    def magnitude(self, base: sp.Basic, exp: sp.Basic) -> tuple[str, int]:
        """``base**|exp|`` for a constant ``exp``: a real root where its denominator is odd
        (:func:`odd_root`), else :meth:`power`."""
        p = abs(self.number(exp))
        root = odd_root(exp)
        if root is None or base.is_nonnegative:
            return self.power(base, p)
        name = self.name_of(base)  # read twice
        code = f"numpy.power(numpy.abs({name}), {_literal(p)[0]})"
        return (f"numpy.sign({name})*{code}", _MUL) if root % 2 else (code, _ATOM)

    def power(self, base: sp.Basic, p: float) -> tuple[str, int]:
        """``base**p`` for a number ``p >= 0``."""
        twice = 2.0 * p
        if not (twice.is_integer() and 0 < twice <= 2 * MAX_MULTIPLIED_POWER):
            code, _ = self.expr(base)
            return f"numpy.power({code}, {_literal(p)[0]})", _ATOM
        n, half = divmod(int(twice), 2)
        if n == 0:  # u**0.5
            return f"numpy.sqrt({self.expr(base)[0]})", _ATOM
        if n == 1 and not half:  # u**1.0 (sympy leaves a float exponent), or u**-1
            return self.expr(base)
        name = self.name_of(base)  # read more than once
        parts = self.multiplied(name, n)
        if half:
            parts.append(f"numpy.sqrt({name})")
        return "*".join(parts), (_MUL if len(parts) > 1 else _ATOM)

    def multiplied(self, name: str, n: int) -> list[str]:
        """Factors whose product is ``name**n``: x*x*x, or squares of squares for n >= 4."""
        if n <= 3 and (name, 1) not in self.squares:
            return [name] * n
        parts, square, k = [], name, 0
        while n:
            if n & 1:
                parts.append(square)
            n >>= 1
            k += 1
            if n:
                if (name, k) not in self.squares:
                    self.squares[(name, k)] = self.bind(f"{square}*{square}")
                square = self.squares[(name, k)]
        return parts

    def product(self, expr: sp.Basic) -> tuple[bool, str, int]:
        """A product as (negative, code of its magnitude, precedence)."""
        coeff = 1.0
        groups: dict[int, list[str]] = {1: [], 2: [], 3: []}
        dens: list[str] = []
        for f in expr.args:
            mask = self.mask[f]
            if not mask:
                coeff *= self.number(f)
                continue
            if (f.is_Pow and not self.mask[f.exp] and self.uses[f] == 1
                    and f not in self.names and self.number(f.exp) < 0):
                dens.append(_wrap(*self.magnitude(f.base, f.exp), _ATOM))
                continue
            groups[mask].append(_wrap(*self.expr(f), _ATOM))
        neg = coeff < 0
        coeff = abs(coeff)
        # factors of one variable multiplied together first: on an open grid that is a row
        chunks = [c for c in (groups[1], groups[2]) if c] + [[c] for c in groups[3]]
        if coeff != 1.0 or not chunks:
            lit = _literal(coeff)[0]
            chunks = [[lit, *chunks[0]], *chunks[1:]] if chunks else [[lit]]
        if len(chunks) == 1:
            pieces = chunks[0]
        else:
            pieces = [c[0] if len(c) == 1 else f"({'*'.join(c)})" for c in chunks]
        code = "*".join(pieces) + "".join(f"/{d}" for d in dens)
        return neg, code, (_ATOM if len(pieces) == 1 and not dens else _MUL)

    def term(self, expr: sp.Basic) -> tuple[bool, str, int]:
        """A term of a sum as (negative, code, precedence): ``a - 2*b``, not ``a + -2*b``."""
        if expr.is_Mul and self.uses[expr] == 1 and expr not in self.names:
            return self.product(expr)
        code, prec = self.expr(expr)
        return False, code, prec

    def total(self, expr: sp.Basic) -> tuple[str, int]:
        const = 0.0
        groups: dict[int, list[tuple[bool, str, int]]] = {1: [], 2: [], 3: []}
        for t in expr.args:
            mask = self.mask[t]
            if mask:
                groups[mask].append(self.term(t))
            else:
                const += self.number(t)
        if const != 0.0:  # also NaN
            first = next((m for m in (1, 2) if groups[m]), 3)
            groups[first].append((const < 0, _literal(abs(const))[0], _ATOM))
        items = [_join(groups[m]) for m in (1, 2) if groups[m]] + groups[3]
        neg, code, prec = _join(items)
        return (f"-({code})", _NEG) if neg else (code, prec)


def _join(items: list[tuple[bool, str, int]]) -> tuple[bool, str, int]:
    """A sum of signed terms, led by a positive one; (True, s) when all were negative."""
    if len(items) == 1:
        return items[0]
    lead = next((i for i, item in enumerate(items) if not item[0]), 0)
    ordered = [items[lead], *items[:lead], *items[lead + 1:]]
    flip, code, prec = ordered[0]
    if flip and prec >= _MUL and code[0].isdigit():
        # -2.0*u - 400.0*x*t: the sign goes into the literal (Python folds it), no negation
        flip, code = False, f"-{code}"
    parts = [code]
    for neg, code, prec in ordered[1:]:
        # A sum in parentheses stays one: on an open grid it is computed on a row or column.
        parts.append(f" {'+' if neg == flip else '-'} {_wrap(code, prec, _MUL)}")
    return flip, "".join(parts), _ADD


def _print(symbols: Sequence[sp.Symbol],
           exprs: Sequence[sp.Expr]) -> tuple[list[str], list[tuple[str, bool]]]:
    """The body lines and the outputs (code, constant?) shared by both generated functions."""
    printer = _Printer(symbols)
    exprs = [sp.sympify(e) for e in exprs]
    for e in exprs:
        printer.scan(e)
    outputs = []
    with np.errstate(all="ignore"):
        for e in exprs:
            if not printer.mask[e]:
                outputs.append((_literal(printer.number(e))[0], True))
            else:
                outputs.append((printer.expr(e)[0], False))
    return printer.lines, outputs
