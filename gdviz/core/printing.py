"""Printing formulas for people: sympy's plain-text and LaTeX printers, with numbers written
as a teacher writes them.

sympy prints a float in full: 10¹² as ``1000000000000.0`` and 1.2·10⁻⁴ as ``0.00012``. Here a
number from 10⁻⁴ up to 10⁷ keeps its shortest form (``0.1``, ``123456.0``); outside that range
it is written ``1e12`` / ``2.5e-9`` in plain text and ``10^{12}`` / ``2.5 \\cdot 10^{-9}`` in
LaTeX. Nothing is evaluated: these only print expressions that are already built.

Examples
--------
>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> plain(sp.Float(1e12) * x**2 + sp.Float(0.1) * x)
'1e12*x**2 + 0.1*x'
>>> latex(sp.Float(2.5e-9) * x)
'2.5 \\\\cdot 10^{-9} x'
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

FIXED_RANGE = (1e-4, 1e6)
"""|numbers| printed in fixed notation; others in scientific notation."""


def split_scientific(value: float) -> tuple[str, int] | None:
    """``(mantissa, exponent)`` of ``value`` in its shortest scientific form, or None when it
    is printed in fixed notation (inside :data:`FIXED_RANGE`, zero, or not finite)."""
    if not math.isfinite(value) or value == 0 or FIXED_RANGE[0] <= abs(value) < FIXED_RANGE[1]:
        return None
    mantissa, exponent = np.format_float_scientific(value, unique=True, trim="-").split("e")
    return mantissa, int(exponent)


LONG_FRAC_RATIO = 5
"""A fraction whose numerator has more than this many times its denominator's words is
written 1/d·(…): mathtext sets a numerator in small type, and the regression loss's
∂f/∂w1 = −(−2w1 + w2 + 0.45)/2 − … was unreadable in the loss panel (−½(−2w1 + w2 + 0.45))."""

LONG_DIGITS = 10
"""A float whose shortest form has more significant digits than this came from arithmetic
(2·1.3/9 = 0.288888888888889), not from a person: formulas show it to :data:`SHOWN_DIGITS`."""
SHOWN_DIGITS = 6


def shown_value(value: float) -> float:
    """``value`` as a formula shows it: rounded to :data:`SHOWN_DIGITS` significant digits
    when its shortest form has over :data:`LONG_DIGITS` (the regression loss's ∂f/∂w1 read
    "−0.288888888888889(−1.3w1 + …)" on the projector); as it is otherwise (0.45, 1e12).

    Examples
    --------
    >>> shown_value(2 * 1.3 / 9), shown_value(0.45), shown_value(0.1 + 0.2)
    (0.288889, 0.45, 0.3)
    """
    if not math.isfinite(value) or value == 0:
        return value
    digits = np.format_float_scientific(value, unique=True, trim="-").split("e")[0]
    if sum(c.isdigit() for c in digits) <= LONG_DIGITS:
        return value
    return float(f"{value:.{SHOWN_DIGITS}g}")


def whole_numbers(expr: sp.Basic) -> sp.Basic:
    """``expr`` with its whole floats as integers, as a person writes them: ∂f/∂x of 1e5·x + y
    read 100000.0, of 2.0·x² "4.0 x" and of 0.5·y² "1.0 y" (now 100000, 4x, y); from 10⁷ on
    they are written short (10¹²), as floats."""
    if not isinstance(expr, sp.Basic):
        return expr
    whole = {f: sp.Integer(int(f)) for f in expr.atoms(sp.Float)
             if float(f).is_integer() and abs(float(f)) < FIXED_RANGE[1]}
    return expr.xreplace(whole) if whole else expr


def _scientific(expr: sp.Basic, rounded: bool = True) -> bool:
    """True for a Float printed in scientific notation (``2.5e-9``): as :func:`shown_value`
    rounds it where ``rounded`` (9999999.99999999 prints 1e7, and 1e7**x needs brackets)."""
    if not isinstance(expr, sp.Float):
        return False
    return split_scientific((shown_value if rounded else float)(float(expr))) is not None


class _AsTyped:
    """The ``as_typed`` setting: a callable giving the text of a part of f as it was typed
    (or None), printed instead of sympy's form (:mod:`gdviz.core.board_form`)."""

    _settings: dict
    _alone_for: tuple = ()  # the arguments of the function being printed (see below)

    def _print(self, expr, **kwargs) -> str:
        as_typed = self._settings.get("as_typed")
        # A function's own argument is alone in its brackets: a typed part there needs no
        # brackets of its own (∂/∂w1 of sin(1/w1) read −cos((1/w1))/w1²). Only the argument
        # itself: what is inside it is printed in its place as usual.
        alone_for, self._alone_for = self._alone_for, ()
        try:
            # (not with keywords: sympy prints tan(u)² as tan²(u) through _print(tan(u), exp=2))
            if as_typed is not None and not kwargs and isinstance(expr, sp.Basic) and expr.args:
                text = as_typed(expr, True) if any(expr is a for a in alone_for) \
                    else as_typed(expr)
                if text is not None:
                    return text
            return super()._print(expr, **kwargs)  # type: ignore[misc]
        finally:
            self._alone_for = alone_for

    def _print_Function(self, expr, **kwargs) -> str:  # noqa: N802 - sympy's naming
        self._alone_for = expr.args
        return super()._print_Function(expr, **kwargs)  # type: ignore[misc]


class PlainPrinter(_AsTyped, StrPrinter):
    """sympy's plain-text printer (``sympy.sstr``) with short scientific numbers, and
    ``abs``, ``max`` and ``min`` as they are typed (sympy writes Abs, Max, Min)."""

    def _print_Abs(self, expr: sp.Abs) -> str:  # noqa: N802 - sympy's naming
        return f"abs({self._print(expr.args[0])})"

    def _print_Max(self, expr: sp.Max) -> str:  # noqa: N802
        return self._pairs("max", expr.args)

    def _print_Min(self, expr: sp.Min) -> str:  # noqa: N802
        return self._pairs("min", expr.args)

    def _pairs(self, name: str, args) -> str:
        """``max(a, max(b, c))``: sympy gathers nested max's into one of three or more
        arguments, which a loss cannot hold (max takes two)."""
        rest = self._pairs(name, args[1:]) if len(args) > 2 else self._print(args[1])
        return f"{name}({self._print(args[0])}, {rest})"

    def _print_Exp1(self, expr) -> str:  # noqa: N802
        return "e"  # (sympy writes E, which a loss refuses as a reserved name)

    def _print_Heaviside(self, expr: sp.Heaviside) -> str:  # noqa: N802
        return f"step({self._print(expr.args[0])})"  # (see PeopleLatexPrinter's)

    def _print_log(self, expr: sp.log) -> str:
        # ln(10), not log(10), where differentiating a**u brought a log in: "10^x*log(10)"
        # read as 10ˣ·log₁₀(10) = 10ˣ. (A log typed in f is written ln too: typed_print.)
        return f"ln({self._print(expr.args[0])})"

    _default_settings = {**StrPrinter._default_settings, "round_long": True, "as_typed": None}

    def _print_Float(self, expr: sp.Float) -> str:  # noqa: N802 - sympy's naming
        if self._settings.get("round_long", True):  # (arithmetic's 3.33333333333333: 3.33333)
            shown = shown_value(float(expr))
            expr = expr if shown == float(expr) else sp.Float(shown)
        parts = split_scientific(float(expr))
        if parts is None:
            return super()._print_Float(expr)
        mantissa, exponent = parts
        return f"{mantissa}e{exponent}"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:  # noqa: N802
        # "2.5e-9**x" parses back as (2.5e-9)**x, but a reader sees 2.5e-(9**x): a number in
        # scientific notation gets brackets as a power's base or exponent.
        rounded = self._settings.get("round_long", True)
        if not (_scientific(expr.base, rounded) or _scientific(expr.exp, rounded)):
            return super()._print_Pow(expr, rational)
        level = PRECEDENCE["Pow"]

        def side(part: sp.Basic) -> str:
            if _scientific(part, rounded):
                return f"({self._print(part)})"
            return self.parenthesize(part, level, strict=False)

        return f"{side(expr.base)}**{side(expr.exp)}"


class PeopleLatexPrinter(_AsTyped, LatexPrinter):
    """sympy's LaTeX printer (``sympy.latex``) with ``10^{12}`` for 1e12, and step(u) for the
    Heaviside step function (sympy's θ(u), in max's and min's derivatives, was a symbol
    students have not met: step reads as what it is, 1 where u > 0, 0 where u < 0)."""

    def _print_Heaviside(self, expr: sp.Heaviside, exp=None) -> str:  # noqa: N802
        tex = rf"\operatorname{{step}}\left({self._print(expr.args[0])}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"

    # (fold_frac_powers: x^{1/3}, not a fraction stacked in the raised exponent, 5 pixels
    # tall in the loss panel)
    _default_settings = {**LatexPrinter._default_settings, "round_long": True,
                         "long_frac_ratio": LONG_FRAC_RATIO, "as_typed": None,
                         "fold_frac_powers": True}

    def _print_log(self, expr: sp.log, exp=None) -> str:  # noqa: D102 - see PlainPrinter's
        tex = rf"\ln{{\left({self._print(expr.args[0])} \right)}}"
        return tex if exp is None else f"{tex}^{{{exp}}}"

    def _print_Float(self, expr: sp.Float) -> str:  # noqa: N802
        # (round_long=False: a number as the user typed it, every digit)
        value = (shown_value if self._settings["round_long"] else float)(float(expr))
        parts = split_scientific(value)
        if parts is None:
            if value != float(expr):  # (rounded: sympy's own form would print every digit)
                return np.format_float_positional(value, unique=True, trim="-")
            return super()._print_Float(expr)
        mantissa, exponent = parts
        power = f"10^{{{exponent}}}"
        if mantissa in ("1", "-1"):
            return power if mantissa == "1" else f"-{power}"
        return rf"{mantissa} \cdot {power}"

    def _print_ExpBase(self, expr, exp=None) -> str:  # noqa: N802 - sympy's naming
        written = exp_latex(self._print(expr.args[0]))
        if written is None:
            return super()._print_ExpBase(expr, exp)
        return self._do_exponent(written, exp)

    def _print_Pow(self, expr: sp.Pow) -> str:  # noqa: N802
        # sympy writes {10^{12}}^{x}: two raised exponents, read as 10^(12^x). Brackets instead.
        if _scientific(expr.base, self._settings["round_long"]):
            base = rf"\left({self._print(expr.base)}\right)"
            return f"{base}^{{{self._print(expr.exp)}}}"
        return super()._print_Pow(expr)


def exp_latex(power: str) -> str | None:
    r"""e raised to ``power`` (LaTeX) as exp(…) where the exponent holds a fraction, as books
    write it (e^{−1/w1²} set the fraction in a raised exponent at a quarter of the type, 7
    pixels of 24 on a projector, unreadable from the back of the room); else None (raised).

    Examples
    --------
    >>> exp_latex(r"- \frac{1}{x^{2}}"), exp_latex("x")
    ('\\exp{\\left(- \\frac{1}{x^{2}} \\right)}', None)
    """
    return rf"\exp{{\left({power} \right)}}" if r"\frac" in power else None


def plain(expr: sp.Basic, **settings) -> str:
    """Plain text of ``expr`` as ``sympy.sstr`` prints it, numbers as :mod:`this module
    <gdviz.core.printing>` says.

    A number on its own prints as it does inside an expression: 0.26, not sympy's
    0.260000000000000 (``full_prec=False``; the Chain rule tab's sentences read "the constant
    factor 0.260000000000000 stays in front")."""
    settings.setdefault("full_prec", False)
    if settings.get("round_long", True):  # (a typed number, round_long=False, stays as typed)
        expr = whole_numbers(expr)
    return PlainPrinter(settings).doprint(expr)


def latex(expr: sp.Basic, **settings) -> str:
    """LaTeX of ``expr`` as ``sympy.latex`` prints it (``settings`` as its), numbers as
    :mod:`this module <gdviz.core.printing>` says."""
    if settings.get("round_long", True):  # (a typed number, round_long=False, stays as typed)
        expr = whole_numbers(expr)
    return PeopleLatexPrinter(settings).doprint(expr)
