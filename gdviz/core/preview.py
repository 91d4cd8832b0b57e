"""A loss evaluated with numpy straight from its checked syntax tree, without sympy.

The window's first frame shows the loss's map before sympy (about a second to import and to
derive the gradient) is ready: :func:`preview_loss` reads the text with the same checks as the
parser (:mod:`gdviz.core.syntax`) and evaluates the allow-listed tree node by node with numpy
— nothing is ever ``eval``-ed. It gives values only; the exact gradient and everything else
come from the compiled :class:`~gdviz.core.loss.Loss`, which replaces the preview as soon as
it exists.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable

import numpy as np

from gdviz.core.errors import LossError
from gdviz.core.parse_hints import run_together
from gdviz.core.syntax import (
    CONSTANT_LOOKALIKES,
    CONSTANT_NAMES,
    FUNCTION_ARITY,
    MAX_LITERAL_DIGITS,
    ONE_ARGUMENT,
    RESERVED,
    choose_variables,
    parse_tree,
)

Array = np.ndarray

FUNCTIONS: dict[str, Callable[..., Array]] = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "asin": np.arcsin, "acos": np.arccos,
    "atan": np.arctan, "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "exp": np.exp,
    "log": np.log, "ln": np.log, "sqrt": np.sqrt, "abs": np.abs, "max": np.maximum,
    "min": np.minimum, "arcsin": np.arcsin, "arccos": np.arccos, "arctan": np.arctan,
}  # fmt: skip
CONSTANTS = {"pi": math.pi, "e": math.e}
_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide,
           ast.Pow: np.power}


class _NotPreviewable(Exception):
    """The tree holds something the preview does not evaluate (the parser will explain)."""


class PreviewLoss:
    """Values of a loss from its syntax tree (see the module docstring).

    Attributes
    ----------
    text : str
    variables : tuple[str, str]
        In the same natural order as :func:`gdviz.core.loss.parse_loss` gives.
    """

    def __init__(self, text: str, tree: ast.Expression, variables: tuple[str, str]) -> None:
        self.text = text
        self.variables = variables
        self._tree = tree

    def value(self, a, b) -> Array:
        """f(a, b) with numpy broadcasting; undefined points give NaN or ±inf."""
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        shape = np.broadcast_shapes(a.shape, b.shape)
        env = dict(zip(self.variables, (a, b), strict=True))
        with np.errstate(all="ignore"):
            out = np.asarray(_evaluate(self._tree.body, env), dtype=np.float64)
        return np.broadcast_to(out, shape).copy() if out.shape != shape else out


def _evaluate(node: ast.AST, env: dict[str, Array]):
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id] if node.id in env else CONSTANTS[node.id]
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand, env)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, env), _evaluate(node.right, env)
        root = _odd_root(node.right) if isinstance(node.op, ast.Pow) else None
        if root is not None:  # the real root, as the compiled loss has it (codegen's odd_root)
            magnitude = np.power(np.abs(left), abs(right)) * (np.sign(left) if root % 2 else 1)
            return magnitude if right > 0 else 1.0 / magnitude
        if isinstance(node.op, ast.Pow) and isinstance(left, float) and isinstance(right, float):
            try:
                # (0^2.5 is 0, as the compiled loss has it: it read NaN until that came)
                real = left > 0 or right.is_integer() or (left == 0 and right > 0)
                return math.pow(left, right) if real else math.nan
            except (OverflowError, ValueError, ZeroDivisionError):
                return math.inf
        return _BINARY[type(node.op)](left, right)
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](*(_evaluate(arg, env) for arg in node.args))
    raise _NotPreviewable(type(node).__name__)


def _odd_root(node: ast.AST) -> int | None:
    """The numerator p of an exponent typed as p/q (whole numbers, signs allowed), q odd and
    over 1."""
    sign, node = _signed(node)
    if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
        return None
    (p_sign, p), (q_sign, q) = _signed(node.left), _signed(node.right)
    if not all(isinstance(n, ast.Constant) and type(n.value) is int for n in (p, q)) or \
            q.value == 0:
        return None
    # (p/q in lowest terms; q > 0)
    top = sign * p_sign * q_sign * p.value
    common = math.gcd(top, q.value)
    numerator, denominator = top // common, q.value // common
    return numerator if denominator % 2 and denominator > 1 else None


def _plain_exponent(node: ast.AST) -> bool:
    """An exponent the preview powers by as the compiled loss does: one with a variable in
    it, a number (pi, e) or a fraction of whole numbers as typed (:func:`_odd_root`); not
    an arithmetic of numbers, whose exact value sympy knows (x^(1/(1 + 2)) is a cube root)."""
    _, bare = _signed(node)
    if isinstance(bare, ast.Constant | ast.Name) or _odd_root(node) is not None:
        return True
    if isinstance(bare, ast.BinOp) and isinstance(bare.op, ast.Div) and all(
            isinstance(_signed(n)[1], ast.Constant) for n in (bare.left, bare.right)):
        return True  # (p/q, q even or a decimal: no odd root)
    return any(isinstance(n, ast.Name) and n.id not in CONSTANTS for n in ast.walk(node))


def _signed(node: ast.AST) -> tuple[int, ast.AST]:
    """``node`` without the signs in front of it, and their product."""
    sign = 1
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign = -sign if isinstance(node.op, ast.USub) else sign
        node = node.operand
    return sign, node


def _check(node: ast.AST, found: dict[str, int]) -> None:
    """Walk the tree once: only what :func:`_evaluate` knows, names collected."""
    if isinstance(node, ast.Constant):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise _NotPreviewable("constant")
        if isinstance(v, int) and v.bit_length() > MAX_LITERAL_DIGITS * 4:
            raise _NotPreviewable("number")
        return
    if isinstance(node, ast.Name):
        name = node.id
        if name in CONSTANT_NAMES:
            return
        if name in FUNCTION_ARITY or name in RESERVED or name in CONSTANT_LOOKALIKES \
                or name.startswith("_") \
                or not name.isascii() or run_together(name, ONE_ARGUMENT, ("pi",)):
            raise _NotPreviewable(name)
        found.setdefault(name, getattr(node, "col_offset", 0))
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check(node.operand, found)
        return
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        if isinstance(node.op, ast.Pow) and not _plain_exponent(node.right):
            # (x^(2*(1/3)): sympy's exponent is 2/3, a real odd root, numpy's 0.667 not)
            raise _NotPreviewable("exponent")
        _check(node.left, found)
        _check(node.right, found)
        return
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords
            and FUNCTION_ARITY.get(node.func.id) == len(node.args)):
        for arg in node.args:
            _check(arg, found)
        return
    raise _NotPreviewable(type(node).__name__)


def preview_loss(text: str) -> PreviewLoss | None:
    """A numpy evaluator of ``text``, or None when it cannot be previewed.

    None means the text is wrong (the parser will say why, with its position) or uses
    something only the full parser handles; callers then simply wait for the compiled loss.
    """
    try:
        _prepared, tree = parse_tree(text)
        found: dict[str, int] = {}
        _check(tree.body, found)
        variables = choose_variables(found)
    except (LossError, _NotPreviewable, RecursionError, ValueError):
        return None
    return PreviewLoss(text, tree, variables)
