"""Compile sympy expressions of two variables into one numpy function (replaces ``lambdify``).

gdviz compiles every loss the user types with its gradient (and, on demand, its Hessian) and
evaluates them on grids of a million points. ``sympy.lambdify(..., cse=True)`` took 2.5-3.6 ms
per function and printed what sympy gave it (``2*pi*x`` as two passes over the array). This
module prints the sympy tree itself, in well under a millisecond:

* common sub-expressions by hashing: a subtree used twice (sympy's hash and structural
  equality) is computed once into a temporary; the rest is written inline, where numpy reuses
  the temporaries of ``a*b + c`` by itself;
* constant subtrees folded into one float literal, computed by numpy's float64 rules (so
  ``log(10**40)`` or ``pi/3`` are numbers, and 0**-1 is inf, never an exception);
* small powers as multiplications (``x**2`` -> ``x*x``, ``x**1.5`` -> ``x*numpy.sqrt(x)``),
  negative powers in a product as a division (``a/b``, not ``a*(1/b)``);
* terms and factors grouped by the variables they depend on, so that on an open grid
  (``a[None, :]``, ``b[:, None]``) ``x**2 - 10*cos(2*pi*x)`` is computed on the row only.

In-place ufuncs (``numpy.multiply(t, u, out=t)``) on the function's own temporaries were
measured (Himmelblau, Rastrigin, 1e6 points): no faster than inline code, since numpy already
elides those temporaries, and they need the inputs broadcast to full size first, which loses
the open-grid saving. They are not used.

The source is printed from a validated sympy tree, never from user text, and runs in a
namespace holding only numpy and :func:`_finish`. Anything else raises NotImplementedError.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp

Array = np.ndarray

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
        return float(np.power(args[0], args[1]))
    func = type(expr)
    if func in _UNARY and len(args) == 1:
        return float(getattr(np, _UNARY[func])(args[0]))
    if func in _NESTED:
        out = args[0]
        for a in args[1:]:
            out = getattr(np, _NESTED[func])(out, a)
        return float(out)
    if func is sp.Heaviside:
        return float(np.heaviside(args[0], args[1] if len(args) > 1 else 0.5))
    raise NotImplementedError(f"gdviz cannot compile {func.__name__}")


def _finish(value, shape: tuple[int, ...]) -> Array:
    """An output as a float64 array of the broadcast shape (constants and one-variable terms
    come out smaller or as scalars)."""
    out = np.asarray(value, dtype=np.float64)
    if out.shape != shape:
        out = np.broadcast_to(out, shape).copy()  # writable, not a read-only view
    return out


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
            p = self.number(exp)
            if p < 0:
                code, prec = self.power(base, -p)
                return f"1.0/{_wrap(code, prec, _NEG)}", _MUL
            return self.power(base, p)
        func = type(expr)
        if func in _UNARY and len(expr.args) == 1:
            return f"numpy.{_UNARY[func]}({self.expr(expr.args[0])[0]})", _ATOM
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
                dens.append(_wrap(*self.power(f.base, -self.number(f.exp)), _ATOM))
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


def _scalar_output(code: str, constant: bool) -> str:
    # A constant as a float64 too: Python's float arithmetic raises on 1.0/0.0, numpy's not.
    return f"numpy.float64({code})" if constant else code


def _sources(symbols: Sequence[sp.Symbol], exprs: Sequence[sp.Expr]) -> tuple[str, str]:
    lines, outputs = _print(symbols, exprs)
    a, b = ARG_NAMES
    head = [
        f"def _gdviz_compiled({a}, {b}):",
        f"    {a} = numpy.asarray({a}, dtype=numpy.float64)",
        f"    {b} = numpy.asarray({b}, dtype=numpy.float64)",
        f"    _gdviz_s = numpy.broadcast({a}, {b}).shape",
    ]
    returned: set[str] = set(ARG_NAMES)
    finished = []
    for code, constant in outputs:
        if not constant:
            if code in returned:  # an input, or an array already returned: a copy
                code = f"numpy.array({code})"
            returned.add(code)
        finished.append(f"_gdviz_finish({code}, _gdviz_s), ")
    vector = "\n".join([*head, *lines, f"    return ({''.join(finished).rstrip()})"])
    # The same lines on two float64 scalars: numpy's scalar arithmetic and ufuncs give the
    # array code's values bit for bit, without its per-call conversions (see
    # gdviz.core.descent_scalar.compile_scalar).
    scalar = "\n".join([f"def _gdviz_scalar({a}, {b}):", *lines,
                        f"    return ({', '.join(_scalar_output(*out) for out in outputs)},)"])
    return vector, scalar


def generate_source(symbols: Sequence[sp.Symbol], exprs: Sequence[sp.Expr]) -> str:
    """The Python source of the function :func:`compile_exprs` builds.

    Parameters
    ----------
    symbols
        The two variables, in argument order.
    exprs
        The expressions to compute; each may use either, both or neither symbol.

    Returns
    -------
    str
        Source of ``def _gdviz_compiled(_gdviz_a, _gdviz_b): ...``.

    Raises
    ------
    NotImplementedError
        For a node outside gdviz's function set or a symbol other than the two.
    """
    return _sources(symbols, exprs)[0]


def _exec(source: str, name: str) -> Callable:
    # Only numpy and our own helper; no builtins: the code needs none.
    namespace = {"numpy": np, "_gdviz_finish": _finish, "__builtins__": {}}
    exec(compile(source, "<gdviz compiled loss>", "exec"), namespace)  # noqa: S102 - our source
    return namespace[name]


def compile_exprs(symbols: Sequence[sp.Symbol],
                  exprs: Sequence[sp.Expr]) -> Callable[..., tuple[Array, ...]]:
    """Compile expressions of two symbols into one vectorized numpy function.

    Parameters
    ----------
    symbols
        The two variables, in argument order.
    exprs
        The expressions to compute, sharing their common parts.

    Returns
    -------
    Callable
        ``f(a, b) -> tuple`` of float64 arrays of the broadcast shape of ``a`` and ``b``, one
        per expression (new arrays, never the inputs). Call it under
        ``numpy.errstate(all="ignore")``: undefined points give NaN or ±inf.

    Raises
    ------
    NotImplementedError
        For a node outside gdviz's function set or a symbol other than the two.

    Examples
    --------
    >>> x, y = sp.symbols("x y", real=True)
    >>> f = compile_exprs((x, y), [(x + y**2 - 7)**2, 2*(x + y**2 - 7)])
    >>> [float(v) for v in f(1.0, 2.0)]
    [4.0, -4.0]
    """
    source, scalar_source = _sources(symbols, exprs)
    fn = _exec(source, "_gdviz_compiled")
    fn.source = source  # type: ignore[attr-defined]  # for inspection and tests
    fn.scalar_source = scalar_source  # type: ignore[attr-defined]  # descent_scalar
    return fn
