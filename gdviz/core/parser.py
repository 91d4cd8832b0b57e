"""Safe parsing of a typed loss into a sympy expression.

The text is never given to ``eval``, ``exec``, ``sympify`` or ``parse_expr``. It is normalised
(:mod:`gdviz.core.text`), parsed by :func:`ast.parse` in ``eval`` mode, and the tree is walked
against an allow-list: numbers, variable names, ``pi`` and ``e``, ``+ - * / **``, unary signs
and calls of allow-listed functions with positional arguments. The sympy expression is built
node by node. Every constant sub-expression is also computed as a Python float on the way, so
that huge powers, ``1/0`` or ``sqrt(-1)`` are refused *before* sympy ever evaluates them.
"""

from __future__ import annotations

import ast
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from gdviz.core.errors import LossError, at_char
from gdviz.core.parse_checks import (
    check_constants,
    check_powers,
    comma_error,
    guard_of,
    number_power,
    real_power,
    shown_power,
)
from gdviz.core.parse_hints import function_hint, run_together, syntax_hint
from gdviz.core.syntax import (
    CONSTANT_LOOKALIKES,
    MAX_EXP_ARGUMENT,
    MAX_EXPONENT,
    MAX_LITERAL_DIGITS,
    MAX_MAGNITUDE,
    MAX_NAME_LENGTH,
    ONE_ARGUMENT,
    RESERVED,
    check_joined_names,
    choose_variables,
    constant_lookalike,
    greek_hint,
    natural_key,
    parse_tree,
    partner_variable,
)
from gdviz.core.text import Prepared

# name -> (sympy builder, float evaluator, number of arguments)
FUNCTIONS: dict[str, tuple[Callable[..., sp.Expr], Callable[..., float], int]] = {
    "sin": (sp.sin, math.sin, 1),
    "cos": (sp.cos, math.cos, 1),
    "tan": (sp.tan, math.tan, 1),
    "asin": (sp.asin, math.asin, 1),
    "acos": (sp.acos, math.acos, 1),
    "atan": (sp.atan, math.atan, 1),
    "arcsin": (sp.asin, math.asin, 1),  # (numpy's and the board's names for them)
    "arccos": (sp.acos, math.acos, 1),
    "arctan": (sp.atan, math.atan, 1),
    "sinh": (sp.sinh, math.sinh, 1),
    "cosh": (sp.cosh, math.cosh, 1),
    "tanh": (sp.tanh, math.tanh, 1),
    "exp": (sp.exp, math.exp, 1),
    "log": (sp.log, math.log, 1),
    "ln": (sp.log, math.log, 1),
    "sqrt": (lambda u: real_power(u, sp.S.Half), math.sqrt, 1),
    "abs": (sp.Abs, abs, 1),
    "max": (sp.Max, max, 2),
    "min": (sp.Min, min, 2),
}
CONSTANTS: dict[str, tuple[sp.Expr, float]] = {"pi": (sp.pi, math.pi), "e": (sp.E, math.e)}
_SIMPLE_NAME = r"[A-Za-z]\d*"  # one letter, maybe numbered: x, b, w1, theta0 is not one
__all__ = ["CONSTANTS", "FUNCTIONS", "ParsedText", "natural_key", "parse_expression",
           "partner_variable", "typed_parts"]

_OPERATOR_NAMES = {
    ast.Mod: "'%' (remainder)", ast.FloorDiv: "'//' (integer division)", ast.MatMult: "'@'",
    ast.BitAnd: "'&'", ast.BitOr: "'|'", ast.BitXor: "'xor'", ast.LShift: "'<<'",
    ast.RShift: "'>>'",
}  # fmt: skip
_NODE_NAMES = {
    ast.Attribute: "attribute access ('.') is", ast.Subscript: "indexing with '[ ]' is",
    ast.Lambda: "lambda is", ast.ListComp: "comprehensions are",
    ast.SetComp: "comprehensions are", ast.DictComp: "comprehensions are",
    ast.GeneratorExp: "comprehensions are", ast.Compare: "comparisons (<, ==, ...) are",
    ast.BoolOp: "'and' / 'or' are", ast.IfExp: "'if ... else' is",
    ast.Tuple: "a comma outside a function call is", ast.List: "square brackets [ ] are",
    ast.Dict: "curly brackets { } are", ast.Set: "curly brackets { } are",
    ast.Starred: "'*' unpacking is",
    ast.NamedExpr: "':=' is", ast.JoinedStr: "text in quotes is",
    ast.FormattedValue: "text in quotes is", ast.Await: "'await' is", ast.Yield: "'yield' is",
    ast.YieldFrom: "'yield' is", ast.Slice: "slices are",
}  # fmt: skip


@dataclass
class _Value:
    """A sympy expression and, when it is a constant, its float value."""

    expr: sp.Expr
    number: float | None


class _Builder:
    """Walks an allow-listed ``ast`` tree and builds the sympy expression."""

    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.names: dict[str, int] = {}  # variable name -> first typed position
        self.symbols: dict[str, sp.Symbol] = {}
        # Parts as typed that are undefined (not finite) exactly outside the typed domain:
        # 1/b for a division by b, sqrt(u), log(u), asin(u); see guard_of.
        self.restrictions: list[sp.Expr] = []
        self.parts: dict[sp.Expr, list[ast.AST]] | None = None  # see typed_parts

    # -- helpers -----------------------------------------------------------------------
    def pos(self, node: ast.AST) -> int:
        return self.prepared.original_position(
            self.prepared.char_index(getattr(node, "col_offset", 0)))

    def op_pos(self, node: ast.AST) -> int:
        """Typed position of a binary operator or comparison (after its left operand)."""
        left = getattr(node, "left", None)
        end = getattr(left, "end_col_offset", None)
        src = self.prepared.source
        if end is None or getattr(left, "end_lineno", 1) != 1:
            return self.pos(node)
        end = self.prepared.char_index(end)
        while end < len(src) and src[end] in " )":
            end += 1
        return self.prepared.original_position(end)

    def fail(self, message: str, node: ast.AST, at_operator: bool = False,
             hint: str = "") -> LossError:
        p = self.op_pos(node) if at_operator else self.pos(node)
        return LossError(f"{message} {at_char(p)}{hint}", p)

    def _round_brackets(self, node: ast.AST) -> str:
        """The part ``node`` spans, as typed, its [ ] and { } made round ("[x+y]" → "(x+y)",
        "sin[x]" → "sin(x)"); "" where too long to quote or not to be found."""
        p = self.prepared
        end = getattr(node, "end_col_offset", None)
        if end is None or getattr(node, "end_lineno", 1) != getattr(node, "lineno", 1):
            return ""
        a = p.original_position(p.char_index(node.col_offset))
        b = p.original_position(p.char_index(end) - 1) + 1
        typed = p.original[a:b]
        if not 0 < len(typed) <= 40 or not any(ch in typed for ch in "[]{}"):
            return ""
        return typed.translate(str.maketrans("[]{}", "()()"))

    def _checked(self, value: float, node: ast.AST, what: str = "") -> float:
        if isinstance(value, complex) or math.isnan(value):
            raise self.fail(f"{what or 'this part'} is not a real number", node)
        if math.isinf(value) or abs(value) > MAX_MAGNITUDE:
            raise self.fail(f"{what or 'this number'} is too large (at most 1e150)", node)
        return value

    # -- the walk ----------------------------------------------------------------------
    def build(self, node: ast.AST) -> _Value:
        method = getattr(self, f"_visit_{type(node).__name__}", None)
        if isinstance(node, ast.Tuple) and not node.elts:
            raise self.fail("empty brackets '()' are not allowed", node)
        if isinstance(node, ast.Tuple):
            raise comma_error(self.prepared, node)
        if method is None:  # (x^{2}, [x + 1]^2: LaTeX's and a calculator's brackets)
            what = _NODE_NAMES.get(type(node), f"'{type(node).__name__}' is")
            one = isinstance(node, ast.Set | ast.List) and len(node.elts) == 1  # ([x, y]: no)
            hint = ""
            if one or isinstance(node, ast.Subscript):  # (the student's own part, round:
                # "as x^(2)" whatever was typed; sin[x] read "indexing with '[ ]'")
                what = "square brackets [ ] are" if isinstance(node, ast.Subscript) else what
                fixed = self._round_brackets(node)
                hint = (f": write {fixed}" if fixed else ": group with round brackets ( )")
            raise self.fail(f"{what} not allowed in a loss", node, isinstance(node, ast.Compare),
                            hint)
        value = self._constant(method(node), node)
        if self.parts is not None:
            self.parts.setdefault(value.expr, []).append(node)
        return value

    def _constant(self, value: _Value, node: ast.AST) -> _Value:
        """Give a float to a part whose variables cancelled (``x - x + 10``, ``acos(x-x+2)``).

        Without it such a part would slip past the checks on constants: ``((x-x+10)**100)**100``
        would have sympy build a number with 10,000 digits, and ``exp(x-x+800)`` would be inf.
        """
        if value.number is not None or value.expr.free_symbols:
            return value
        try:
            c = complex(value.expr.evalf(30))
        except (TypeError, ValueError, ArithmeticError):  # zoo, nan: no number at all
            raise self.fail("this part is infinite or undefined", node) from None
        if c.imag != 0 and abs(c.imag) > 1e-12 * max(1.0, abs(c.real)):
            raise self.fail("this part is not a real number", node)
        return _Value(value.expr, self._checked(c.real, node))

    def _visit_Constant(self, node: ast.Constant) -> _Value:
        v = node.value
        if isinstance(v, bool) or v is None or v is Ellipsis:
            raise self.fail(f"'{v}' is not allowed in a loss", node)
        if isinstance(v, str | bytes):
            raise self.fail("text in quotes is not allowed in a loss", node)
        if isinstance(v, complex):
            raise self.fail("imaginary numbers are not allowed", node)
        if isinstance(v, int):
            if v.bit_length() > MAX_LITERAL_DIGITS * 4:
                raise self.fail("this number has too many digits", node)
            return _Value(sp.Integer(v), self._checked(float(v), node))
        if isinstance(v, float):
            self._checked(v, node)
            seg = ast.get_source_segment(self.prepared.source, node) or repr(v)
            return _Value(sp.Float(v) if not float(v).is_integer() or "e" in seg.lower()
                          or "." in seg else sp.Integer(int(v)), v)
        raise self.fail("this constant is not allowed", node)

    def _visit_Name(self, node: ast.Name) -> _Value:
        name = node.id
        if name in CONSTANTS:
            expr, num = CONSTANTS[name]
            return _Value(expr, num)
        if name in FUNCTIONS:
            powered = re.search(rf"\b{name}\s*\*\*", self.prepared.source)  # sin^2(x)
            raise self.fail(f"'{name}' is a function: write {name}(...)", node,
                            hint=f", and a power after the brackets: {name}(x)^2"
                            if powered else "")
        if name.startswith("_"):
            raise self.fail(f"names starting with '_' are not allowed ('{name}')", node)
        if name in CONSTANT_LOOKALIKES:  # ("… at character 1: write pi for π")
            raise self.fail(f"'{name}' cannot be a variable", node, hint=constant_lookalike(name))
        if name in RESERVED:
            raise self.fail(f"'{name}' is reserved; choose another variable name", node)
        if len(name) > MAX_NAME_LENGTH:
            raise self.fail(f"the name '{name[:12]}…' is too long", node)
        meant = run_together(name, ONE_ARGUMENT, ("pi",))
        if meant:
            raise self.fail(f"'{name}' would be one variable: write {meant}", node)
        if not name.isascii():
            raise self.fail(f"'{name}' has letters gdviz cannot use as a variable", node,
                            hint=greek_hint(name))
        self.names.setdefault(name, self.pos(node))
        sym = self.symbols.setdefault(name, sp.Symbol(name, real=True))
        return _Value(sym, None)

    def _visit_UnaryOp(self, node: ast.UnaryOp) -> _Value:
        if isinstance(node.op, ast.USub):
            v = self.build(node.operand)
            return _Value(-v.expr, None if v.number is None else -v.number)
        if isinstance(node.op, ast.UAdd):
            return self.build(node.operand)
        what = "'not'" if isinstance(node.op, ast.Not) else "'~'"
        raise self.fail(f"{what} is not allowed in a loss", node)

    def _visit_BinOp(self, node: ast.BinOp) -> _Value:
        op = type(node.op)
        if op in _OPERATOR_NAMES:
            raise self.fail(f"{_OPERATOR_NAMES[op]} is not allowed in a loss", node, True)
        left = self.build(node.left)
        right = self.build(node.right)
        both = left.number is not None and right.number is not None
        if op is ast.Add:
            return _Value(left.expr + right.expr,
                          self._checked(left.number + right.number, node) if both else None)
        if op is ast.Sub:
            return _Value(left.expr - right.expr,
                          self._checked(left.number - right.number, node) if both else None)
        if op is ast.Mult:
            return _Value(left.expr * right.expr,
                          self._checked(left.number * right.number, node) if both else None)
        if op is ast.Div:
            if right.number == 0:
                raise self.fail("division by zero", node, True)
            if right.number is None:
                self.restrictions.append(1 / right.expr)
            return _Value(left.expr / right.expr,
                          self._checked(left.number / right.number, node) if both else None)
        if op is ast.Pow:
            return self._power(left, right, node)
        raise self.fail("this operator is not allowed in a loss", node)

    def _power(self, base: _Value, exp: _Value, node: ast.BinOp) -> _Value:
        if base.expr is sp.E:  # e^x is exp(x)
            return self._exp(exp, node)
        if exp.number is not None and abs(exp.number) > MAX_EXPONENT and base.number is None:
            raise self.fail(f"the exponent is too large (at most {MAX_EXPONENT})", node.right)
        if base.number is not None and exp.number is not None:
            try:
                power, value = number_power(base.expr, exp.expr, base.number, exp.number)
            except LossError as err:
                raise self.fail(err.message, node) from None
            return _Value(power, self._checked(value, node))
        if base.number is not None and base.number < 0:  # ((−2)^x: complex between whole x)
            raise self.fail("a negative number to a variable power is not real (only at "
                            "whole numbers)", node, hint=": a power's base is positive, as 2^x")
        power = real_power(base.expr, exp.expr)
        # (the cap on the powers together: (x^100)^100 is x^10000, which slipped past it)
        if isinstance(power, sp.Pow) and power.exp.is_Number and \
                abs(float(power.exp)) > MAX_EXPONENT and power.base.free_symbols:
            raise self.fail(f"the exponent is too large (at most {MAX_EXPONENT}; these "
                            f"powers together make {shown_power(power.exp)})", node)
        if exp.number is not None and base.number is None and (
                exp.number < 0 or not float(exp.number).is_integer()):
            self.restrictions.append(power)  # x^-2, x^0.5: not finite at x = 0, x < 0
        return _Value(power, None)

    def _exp(self, arg: _Value, node: ast.AST) -> _Value:
        if arg.number is not None:
            if arg.number > MAX_EXP_ARGUMENT:
                raise self.fail("exp of this number is too large", node)
            if arg.number < math.log(sys.float_info.min):
                raise self.fail("exp of this number is too small to compute with (write 0 "
                                "for zero)", node)
            # (held to the numbers' limit as any other constant: exp(400) is 5·10¹⁷³)
            return _Value(sp.exp(arg.expr), self._checked(math.exp(arg.number), node,
                                                           "exp(...)"))
        return _Value(sp.exp(arg.expr), None)

    def _visit_Call(self, node: ast.Call) -> _Value:
        if not isinstance(node.func, ast.Name):
            if isinstance(node.func, ast.Attribute):
                raise self.fail("attribute access ('.') is not allowed in a loss", node.func)
            raise self.fail("only named functions such as sin(...) can be called", node)
        name = node.func.id
        if name not in FUNCTIONS:
            if name in CONSTANTS:
                raise self.fail(f"'{name}' is a constant, not a function", node)
            if name.startswith("_"):
                raise self.fail(f"names starting with '_' are not allowed ('{name}')", node)
            if re.fullmatch(_SIMPLE_NAME, name) or name in self.names:  # w1(w2 + 1)
                raise self.fail(f"'{name}' is not a function", node,
                                hint=f": for a product write {name}*(...)")
            raise self.fail(f"unknown function '{name[:MAX_NAME_LENGTH]}'", node,
                            hint=function_hint(name, FUNCTIONS))
        if node.keywords:
            raise self.fail(f"{name}() takes no named arguments", node)
        builder, evaluator, arity = FUNCTIONS[name]
        if len(node.args) != arity:
            n = "one argument" if arity == 1 else "two arguments"
            raise self.fail(f"{name}() takes {n}, got {len(node.args)}", node)
        args = [self.build(a) for a in node.args]
        if name == "exp":
            return self._exp(args[0], node)
        if all(a.number is not None for a in args):
            try:
                value = evaluator(*(a.number for a in args))
            except (ValueError, ZeroDivisionError):
                shown = ", ".join(f"{a.number:g}" for a in args)
                raise self.fail(f"{name}({shown}) is undefined (no real value)", node) from None
            except OverflowError:
                raise self.fail(f"{name} of this number is too large", node) from None
            number = self._checked(value, node, f"{name}(...)")
        else:
            number = None
        value = builder(*(a.expr for a in args))
        if number is None and name in _RESTRICTED:
            self.restrictions.append(value)
        return _Value(value, number)


_RESTRICTED = {"sqrt", "log", "ln", "asin", "acos", "arcsin", "arccos"}
"""Functions defined on part of the real line only (their value is NaN outside it)."""


def typed_parts(text: str) -> tuple[Prepared, dict[sp.Expr, list[ast.AST]]]:
    """Every part of an accepted loss as sympy builds it → the syntax-tree nodes it was built
    from, for printing derived expressions in the typed order
    (:class:`gdviz.core.typed_parts.TypedParts`). Raises as :func:`parse_expression` does."""
    prepared, tree = parse_tree(text)
    builder = _Builder(prepared)
    builder.parts = {}
    builder.build(tree.body)
    return prepared, builder.parts


@dataclass(frozen=True)
class ParsedText:
    """Result of :func:`parse_expression`: the expression and its variables in order, and
    the :func:`guard_of` its typed domain (None: the expression keeps it)."""

    expr: sp.Expr
    variables: tuple[str, str]
    symbols: tuple[sp.Symbol, sp.Symbol]
    guard: sp.Expr | None = None


def parse_expression(text: str, variables: tuple[str, str] | None = None) -> ParsedText:
    """Parse typed text into a real sympy expression of two variables, safely.

    Parameters
    ----------
    text
        The loss as typed, e.g. ``"sin(w1)*w2*(1-w2)"`` or ``"2x² + 3y"``.
    variables
        Optional pair of variable names forcing their order; the text may use a subset.

    Returns
    -------
    ParsedText

    Raises
    ------
    LossError
        With a student-readable message and, where it applies, ``.position``.
    """
    try:
        prepared, tree = parse_tree(text)
    except LossError as err:
        raise syntax_hint(text, err, FUNCTIONS) from None
    builder = _Builder(prepared)
    try:
        value = builder.build(tree.body)
    except RecursionError:
        raise LossError("the loss is too deeply nested") from None
    except (OverflowError, MemoryError, ZeroDivisionError):
        raise LossError("a number in the loss is too large to work with") from None
    check_joined_names(builder.names, {*CONSTANTS, *FUNCTIONS})
    chosen = choose_variables(builder.names, variables)
    syms = tuple(builder.symbols.get(n) or sp.Symbol(n, real=True) for n in chosen)
    expr = value.expr
    if expr.has(sp.zoo, sp.oo, -sp.oo, sp.nan, sp.I):
        raise LossError("the loss contains an infinite, undefined or imaginary value")
    check_constants(expr)
    check_powers(expr)
    return ParsedText(expr, chosen, syms, guard_of(expr, builder.restrictions))  # type: ignore[arg-type]
