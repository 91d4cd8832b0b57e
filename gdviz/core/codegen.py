"""Compile sympy expressions of two variables into one numpy function (replaces ``lambdify``).

gdviz compiles every loss the user types with its gradient (and, on demand, its Hessian) and
evaluates them on grids of a million points. ``sympy.lambdify(..., cse=True)`` took 2.5-3.6 ms
per function and printed what sympy gave it (``2*pi*x`` as two passes over the array). This
module prints the sympy tree itself (the printer is :mod:`gdviz.core.codegen_printer`), in well
under a millisecond:

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

from collections.abc import Callable, Sequence

import numpy as np
import sympy as sp

from gdviz.core.codegen_printer import ARG_NAMES, _print

Array = np.ndarray


def _finish(value, shape: tuple[int, ...]) -> Array:
    """An output as a float64 array of the broadcast shape (constants and one-variable terms
    come out smaller or as scalars)."""
    out = np.asarray(value, dtype=np.float64)
    if out.shape != shape:
        out = np.broadcast_to(out, shape).copy()  # writable, not a read-only view
    return out


def _scalar_output(code: str, constant: bool) -> str:
    # A constant as a float64 too: Python's float arithmetic raises on 1.0/0.0, numpy's not.
    return f"numpy.float64({code})" if constant else code


_GUARD = "_gdviz_guard"


def _sources(symbols: Sequence[sp.Symbol], exprs: Sequence[sp.Expr],
             guard: sp.Expr | None = None) -> tuple[str, str]:
    lines, outputs = _print(symbols, [*exprs] + ([guard] if guard is not None else []))
    if guard is not None:  # 0 where it is finite, NaN where not: added to every output
        code, _constant = outputs.pop()
        lines.append(f"    {_GUARD} = 0.0 * ({code})")
        outputs = [(f"({code}) + {_GUARD}", False) for code, _constant in outputs]
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


def compile_exprs(symbols: Sequence[sp.Symbol], exprs: Sequence[sp.Expr],
                  guard: sp.Expr | None = None) -> Callable[..., tuple[Array, ...]]:
    """Compile expressions of two symbols into one vectorized numpy function.

    Parameters
    ----------
    symbols
        The two variables, in argument order.
    exprs
        The expressions to compute, sharing their common parts.
    guard
        An expression that is not finite exactly where the outputs must be undefined (NaN)
        though their expressions are finite there: the domain of what was typed, which sympy
        may have simplified away (``sqrt(x)**2`` is ``x``, for x < 0 too).

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
    source, scalar_source = _sources(symbols, exprs, guard)
    fn = _exec(source, "_gdviz_compiled")
    fn.source = source  # type: ignore[attr-defined]  # for inspection and tests
    fn.scalar_source = scalar_source  # type: ignore[attr-defined]  # descent_scalar
    return fn
