"""Checks the parser makes beside its walk of the syntax tree: a comma outside a function call
(:func:`comma_error`, a decimal comma read as the point it means), the constants sympy
makes out of the typed numbers (:func:`check_constants`), a power of two numbers
(:func:`number_power`), the typed domain sympy's simplifications lose (:func:`guard_of`) and
the domain a derivative does not carry (:func:`derivative_guard`)."""

from __future__ import annotations

import ast
import math
import re
import sys

import sympy as sp

from gdviz.core.codegen_printer import odd_root
from gdviz.core.errors import LossError, at_char
from gdviz.core.syntax import MAX_EXACT_BITS, MAX_EXPONENT, MAX_MAGNITUDE
from gdviz.core.text import Prepared

COMMA = "a comma outside a function call is not allowed in a loss"


def comma_error(prepared: Prepared, node: ast.Tuple) -> LossError:
    """The error for a comma outside a function call (``node``: the tuple it made), marked
    where the comma is (the mark sat on the first character), with the decimal point
    suggested between digits: "0,5" is 0.5.

    Examples
    --------
    >>> from gdviz.core.text import prepare
    >>> p = prepare("x + 0,5")
    >>> comma_error(p, ast.parse(p.source, mode="eval").body).message  # doctest: +ELLIPSIS
    'a comma outside a function call ... at character 6: for a decimal number write 0.5 ...'
    """
    first, src = node.elts[0], prepared.source
    at = getattr(first, "end_col_offset", None)
    if at is None or getattr(first, "end_lineno", 1) != 1:
        p = prepared.original_position(prepared.char_index(node.col_offset))
        return LossError(f"{COMMA} {at_char(p)}", p)
    at = prepared.char_index(at)
    while at < len(src) and src[at] != ",":
        at += 1
    p = prepared.original_position(min(at, len(src) - 1))
    left, right = re.search(r"(\d+)$", src[:at]), re.match(r"(\d+)", src[at + 1:])
    hint = (f": for a decimal number write {left[1]}.{right[1]} (a point, not a comma)"
            if left and right else "")
    return LossError(f"{COMMA} {at_char(p)}{hint}", p)


def check_constants(expr: sp.Expr) -> None:
    """Refuse a constant that sympy made, out of numbers each within the limits, beyond them:
    it gathers a product's numbers into one (``1e150*x*1e150`` is 10³⁰⁰·x, whose values
    overflow; ``1e-200*x*1e-200`` is 10⁻⁴⁰⁰·x, silently 0), and ``exp(700)*x*exp(700)`` into
    x·exp(1400). (Where it stands in the typed text is not known: no position.)

    Raises
    ------
    LossError
        Naming the limit, 1e150 or about 1e-307.
    """
    walk = sp.preorder_traversal(expr)
    for node in walk:
        if node.free_symbols:
            continue
        walk.skip()  # (a constant's parts were checked as they were built)
        value = abs(node.evalf(15))  # (in sympy's range: 10⁻⁴⁰⁰ is no float, 0.0 as one)
        if not value.is_Number:
            continue
        if value > MAX_MAGNITUDE:
            raise LossError("a constant in the loss, its numbers multiplied together, is too "
                            "large (at most 1e150)")
        if 0 < value < sys.float_info.min:
            raise LossError("a constant in the loss, its numbers multiplied together, is too "
                            "small to compute with (the smallest is about 1e-307)")


def guard_of(expr: sp.Expr, restrictions: list[sp.Expr]) -> sp.Expr | None:
    """The sum of the ``restrictions`` (parts as typed, not finite outside the typed
    domain) that sympy simplified out of ``expr``: ``sqrt(w1)**2`` is ``w1``, and
    ``exp(log(w1))``, ``w1**2/w1`` too, defined for every w1 so (the map, the runs, the
    readouts gave f = −0.3 at w1 = −0.5). None where ``expr`` keeps them all."""
    lost = list(dict.fromkeys(r for r in restrictions if r.free_symbols and not expr.has(r)))
    return sp.Add(*lost) if lost else None


def derivative_guard(expr: sp.Expr, derived: list[sp.Expr],
                     guard: sp.Expr | None) -> sp.Expr | None:
    """The guard of the derivatives ``derived`` of ``expr`` (0 where f is defined, NaN where
    not, once compiled): ``guard`` (the typed domain), and the parts of ``expr`` undefined
    somewhere that a derivative does not carry. log(u)'s derivative u'/u is finite where
    log(u) is not (u < 0): √sign(u) (not log u: at u = 0, f is −∞ and its slope infinite, not
    undefined; not √u: at u = ∞, 0·√u is NaN). A root, a fractional or variable power,
    asin or acos: sign of the part itself, NaN exactly where it is (sqrt(x) + y's ∂f/∂y
    was 1 at x = −1, where f is undefined; asin(x) + y² at x = 2, x^x + y at x < 0)."""
    pieces = [sp.sqrt(sp.sign(part.args[0])) for part in expr.atoms(sp.log)
              if part.free_symbols]
    pieces += [sp.sign(part) for part in _undefined_somewhere(expr)
               if not all(_carries(d, part) for d in derived)]
    if guard is not None:
        pieces.append(guard)
    return sp.Add(*pieces) if pieces else None


def _carries(derived: sp.Expr, part: sp.Expr) -> bool:
    """Whether ``derived`` is undefined wherever ``part`` is: it holds ``part``, or a root of
    its base as undefined for a negative base (√w1's second derivative holds w1^(−3/2))."""
    if derived.has(part):
        return True
    return part.is_Pow and _fractional(part.exp) and any(
        p.base == part.base and _fractional(p.exp) for p in derived.atoms(sp.Pow))


def _fractional(exp: sp.Expr) -> bool:
    """A constant exponent undefined for a negative base (1/2, 0.4; not 2, nor 1/3)."""
    return not exp.free_symbols and not float(exp).is_integer() and odd_root(exp) is None


def _undefined_somewhere(expr: sp.Expr) -> list[sp.Expr]:
    """The parts of ``expr`` (not logarithms) undefined for some real values of their
    arguments: asin, acos, an even root or decimal power of what may be negative, a power
    with a variable exponent of what may be negative."""
    parts = [p for p in expr.atoms(sp.asin, sp.acos) if p.free_symbols]
    for power in expr.atoms(sp.Pow):
        base, exp = power.args
        if not base.free_symbols and not exp.free_symbols or base.is_nonnegative:
            continue
        if exp.free_symbols or _fractional(exp):
            parts.append(power)
    return parts


def check_powers(expr: sp.Expr) -> None:
    """Refuse a power of a variable beyond :data:`~gdviz.core.syntax.MAX_EXPONENT` that
    sympy made out of typed ones each within it: ``x^100*x^100`` is x²⁰⁰, ``(2*x^100)^100``
    holds x¹⁰⁰⁰⁰ (maps mostly undefined, as the cap is there to prevent). (No position.)

    Raises
    ------
    LossError
        Naming the power and the limit.
    """
    for power in expr.atoms(sp.Pow):
        if power.exp.is_Number and power.base.free_symbols and \
                abs(float(power.exp)) > MAX_EXPONENT:
            raise LossError(f"the exponent is too large (at most {MAX_EXPONENT}): the powers "
                            f"together make {shown_power(power.exp)}")


def real_power(base: sp.Expr, exp: sp.Expr) -> sp.Expr:
    """``base**exp`` as the real odd roots have it, where sympy would combine the powers by
    its principal root: (x^(2/3))^(1/2) is |x|^(1/3) (sympy made x^(1/3), −2 at x = −8 for
    a square root), (x^(2/5))^(5/2) is |x|^1, not x. An exponent written as a decimal whole
    number is that whole number: (x^(1/3))^2.0 is x^(2/3) (sympy's x^0.667 was undefined
    for x < 0).

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> real_power(x**sp.Rational(2, 3), sp.Rational(1, 2)), real_power(x, sp.Float(2.0))
    (Abs(x)**(1/3), x**2)
    """
    if exp.is_Float and float(exp).is_integer():
        exp = sp.Integer(int(exp))
    root = odd_root(base.exp) if isinstance(base, sp.Pow) else None
    if not exp.is_Integer and root is not None and root % 2 == 0:
        # (the same value: never below 0; not where sympy's combined power is an even
        # real root itself, (x^(2/3))^(1/3) = x^(2/9): |x| there turned corners on)
        together = odd_root(base.exp * exp) if exp.is_Rational else None
        if together is None or together % 2:
            base = sp.Abs(base.base)**base.exp
    return base**exp


def number_power(base: sp.Expr, exp: sp.Expr, b: float, p: float) -> tuple[sp.Expr, float]:
    """The power ``base**exp`` of two numbers (``b``, ``p`` as floats) and its value, checked
    before sympy computes it: no division by zero, a real value (an odd root of a negative
    number is one: (-8)^(1/3) is −2, as the compiled x^(1/3) is at −8), not too large or
    small, not too many exact digits.

    Raises
    ------
    LossError
        Saying why, without a position (the parser adds the power's).
    """
    if b == 0 and p < 0:
        raise LossError("division by zero (0 to a negative power)")
    root = odd_root(exp)
    if b < 0 and not float(p).is_integer() and root is None:
        raise LossError("a negative number to a fractional power is not real, unless its "
                        "denominator is odd: (-8)^(1/3) is -2")
    # (by the power's own sign: 2^-500 is 3·10⁻¹⁵¹, not too large)
    size = p * math.log10(abs(b)) if b != 0 else 0.0
    if size > math.log10(MAX_MAGNITUDE):
        raise LossError("this power is too large")
    if size < math.log10(sys.float_info.min):
        raise LossError("this power is too small to compute with (the smallest is about "
                        "1e-307; write 0 for zero)")
    # sympy powers fractions exactly: (2**84/3**53)**100 is close to 1 but has 5,000-digit
    # parts, and another **100 would take minutes. The magnitude check above cannot see that
    # (nor an underflow like (20**-100)**100). (bits the exact result needs: 2^-1000 is
    # 1,000 of them; bit_length's 3 per factor 1/2 refused 2^-700 as "too many digits")
    if base.is_Rational and exp.is_Integer and \
            base not in (sp.S.Zero, sp.S.One, sp.S.NegativeOne) and \
            (math.log2(abs(base.p)) + math.log2(base.q)) * abs(int(p)) > MAX_EXACT_BITS:
        raise LossError("this power has too many digits to compute exactly")
    if b < 0 and root is not None:
        sign = -1 if root % 2 else 1
        return sign * (-base)**exp, sign * math.pow(-b, p)
    try:
        return base**exp, math.pow(b, p)
    except (OverflowError, ValueError):
        raise LossError("this power is too large") from None


def shown_power(exponent: sp.Expr) -> str:
    """An exponent as a person writes it (10000, 1/200, 100.0000001)."""
    return str(exponent) if exponent.is_Rational else f"{float(exponent):.12g}"
