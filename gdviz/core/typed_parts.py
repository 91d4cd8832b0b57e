"""The parts of a typed loss (:class:`TypedParts`), for writing what is derived from it in
the typed order (:mod:`gdviz.core.board_form`): each part sympy built from the typed text is
kept with the syntax-tree nodes it came from (:func:`gdviz.core.parser.typed_parts`), printed
as typed by :class:`gdviz.core.typed_print.TypedPrinter`, and ordered by where it was typed.
"""

from __future__ import annotations

import ast

import sympy as sp

from gdviz.core.typed_print import ATOM, NEGATIVE, POWER, PRODUCT, SUM, TypedPrinter

__all__ = ["TypedParts"]


class TypedParts:
    """The parts of a typed loss, for printing what is derived from it in the typed order.

    sympy sorts a product's factors and a sum's terms its own way; the Chain rule tab's steps
    work on parts of f, and the board writes them as typed: ∂/∂w₁[sin(w₁)·w₂(1 − w₂)], not
    ∂/∂w₁[w₂(1 − w₂) sin(w₁)]. Each part sympy built from the typed text (every node of its
    syntax tree) is kept with its nodes, so it can be printed as typed, and the parts of a
    product or sum ordered by where they were typed.

    Parameters
    ----------
    text
        A loss that :func:`gdviz.parse_loss` accepts (anything else raises).

    Examples
    --------
    >>> import sympy as sp
    >>> w1, w2 = sp.symbols("w1 w2", real=True)
    >>> parts = TypedParts("sin(w1)*w2*(1-w2)")
    >>> parts.plain(sp.sin(w1) * w2 * (1 - w2))
    'sin(w1)*w2*(1 - w2)'
    >>> parts.factors(sp.cos(w1) * w2 * (1 - w2))
    [cos(w1), w2, 1 - w2]
    """

    def __init__(self, text: str) -> None:
        from gdviz.core.parser import typed_parts

        prepared, nodes = typed_parts(text)
        # (each part's nodes from left to right)
        self._nodes = {e: sorted(ns, key=_start) for e, ns in nodes.items()}
        self._exprs = {id(n): e for e, ns in nodes.items() for n in ns}  # (nodes kept alive)
        self._source = prepared.source.strip()

    def _first(self, expr: sp.Basic) -> ast.AST | None:
        nodes = self._nodes.get(expr)  # type: ignore[call-overload]
        return nodes[0] if nodes else None

    def _shown(self, expr: sp.Basic, latex: bool, alone: bool) -> str | None:
        nodes = self._nodes.get(expr, ())  # type: ignore[call-overload]
        if expr.is_Number:
            # (a part sympy works out to a number prints as that number: (1 − 0.5) as 0.5,
            # x − x as 0; a typed number, 1e-3, as typed, and pi + 1)
            nodes = [n for n in nodes if _literal(n)]
        if not nodes:
            return None
        node = nodes[0]
        text, binding = TypedPrinter(latex, {}, self._source).show(node)
        # sympy's printer brackets a part by its own form: typed x + x for its 2x (a
        # product), or x·x for its x² (a power), would lose the brackets they need there
        if not alone and binding < _binding(expr) and not _literal(node):
            return rf"\left({text}\right)" if latex else f"({text})"
        return text

    def latex(self, expr: sp.Basic, alone: bool = False) -> str | None:
        """LaTeX of ``expr`` as typed, when it is a typed part; else None. In its place in a
        sympy printing (``alone`` False) it is bracketed where its typed form binds less
        tightly than sympy's form (x + x for 2x)."""
        return self._shown(expr, True, alone)

    def written(self, expr: sp.Basic, inside: sp.Basic) -> str | None:
        """Plain text of where ``expr`` was typed within the typed part ``inside``, a number
        worked out too ((-8)^(2/3) for 4, which :meth:`plain` writes as the number); None if
        it was not typed there (not another term's: ∂/∂w1 of (-8)^(2/3)*w2 + 4*w1 quoted
        "(−8)^(2/3) = 4" for the 4 of 4*w1)."""
        outer = self._first(inside)
        if outer is None:
            return None
        node = next((n for n in self._nodes.get(expr, ())  # type: ignore[call-overload]
                     if _start(outer) <= _start(n) and _end(n) <= _end(outer)), None)
        return None if node is None else TypedPrinter(False, {}, self._source).show(node)[0]

    def plain(self, expr: sp.Basic, alone: bool = False) -> str | None:
        """Plain text of ``expr`` as typed (as :func:`typed_plain`), when it is a typed part;
        else None. Bracketed as :meth:`latex`."""
        return self._shown(expr, False, alone)

    def key(self, expr: sp.Basic, within: tuple[int, int] = (0, 1 << 30)
            ) -> tuple[int, int] | None:
        """Where ``expr`` was typed inside the stretch ``within`` (start, end) of the text, as
        (start, −length): a typed part (or its negative) where it first occurs there, the
        longer first where two start together ((x + 1)·x: the x inside the bracket is not the
        one after it); anything else where its earliest typed part that is not a bare number
        is (cos(w₁): where w₁ was). None when nothing of it was typed there."""
        start, end = within
        # (an Expr's negative too; a Basic that is not an Expr has none)
        for e in (expr, -expr) if isinstance(expr, sp.Expr) else (expr,):
            for node in self._nodes.get(e, ()):  # type: ignore[call-overload]
                if start <= _start(node) and _end(node) <= end:
                    return _start(node), _start(node) - _end(node)
        keys = [k for a in expr.args if not a.is_number and (k := self.key(a, within)) is not None]
        return min(keys) if keys else None

    def _ordered(self, whole: sp.Expr, parts: list[sp.Expr],
                 operators: tuple[type, ...]) -> list[sp.Expr] | None:
        # Inside a typed part, each of its own parts where it was typed as an operand of it:
        # the x after (x + 1) in exp(x)·(x + 1)·x, not the x inside exp(x); a part sympy made
        # of several (x·x is x²) where its first typed piece is inside the whole.
        node = self._first(whole)
        within, operands = (0, 1 << 30), []
        if node is not None:
            within, operands = (_start(node), _end(node)), _operands(node, operators)
        free = list(operands)
        keys = []
        for i, part in enumerate(parts):
            match = next((n for n in free if self._exprs.get(id(n)) in (part, -part)), None)
            if match is not None:
                free.remove(match)
                keys.append((_start(match), _start(match) - _end(match), i))
            elif (key := self.key(part, within)) is not None:
                # (a part made from what was typed there, not typed itself, where that ends:
                # after the typed parts inside it, ∂f/∂w1 of sin(w1²)·w2 read 2 cos(w1²) w1
                # · w2, w1 after the cosine's bracket, where sin(x²)'s reads 2x cos(x²); and
                # ∂f/∂y of sin(xy²)·(x + 1) 2x cos(xy²) y; typed parts keep the longer
                # first, (x + 1)·x)
                keys.append(key + (i,) if self._typed_within(part, within) else
                            (key[0] - key[1], 0, i))
            else:
                return None
        return [parts[i] for i in sorted(range(len(parts)), key=keys.__getitem__)]

    def _typed_within(self, expr: sp.Basic, within: tuple[int, int]) -> bool:
        """Whether ``expr`` (or its negative) was itself typed inside ``within``."""
        start, end = within
        for e in (expr, -expr) if isinstance(expr, sp.Expr) else (expr,):
            if any(start <= _start(n) and _end(n) <= end for n in self._nodes.get(e, ())):
                return True
        return False

    def factors(self, expr: sp.Expr) -> list[sp.Expr] | None:
        """A product's factors in the typed order, its coefficient (2, −1, ½) first; None
        unless every other factor has a :meth:`key`."""
        factors = expr.as_ordered_factors()
        rest = self._ordered(expr, [f for f in factors if not f.is_Number], (ast.Mult,))
        return None if rest is None else [f for f in factors if f.is_Number] + rest

    def terms(self, expr: sp.Expr) -> list[sp.Expr] | None:
        """A typed sum's terms in the typed order; None for a sum that was not typed (the
        derivatives' sums are sympy's), or unless every term has a :meth:`key`."""
        if self._first(expr) is None:
            return None
        return self._ordered(expr, list(expr.as_ordered_terms()), (ast.Add, ast.Sub))


def _operands(node: ast.AST, operators: tuple[type, ...]) -> list[ast.AST]:
    """The operands of a chain of the binary ``operators`` (a·b·c: a, b and c), through
    unary signs (−a·b: −a and b)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, operators):
        return _operands(node.left, operators) + _operands(node.right, operators)
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.BinOp):
        return _operands(node.operand, operators)
    return [node]


def _literal(node: ast.AST) -> bool:
    """A number as typed: 2, 1e-3, −0.5, pi."""
    if isinstance(node, ast.UnaryOp):
        node = node.operand
    return isinstance(node, ast.Constant | ast.Name)


def _binding(expr: sp.Basic) -> int:
    """How tightly sympy's printers hold ``expr`` together, on :data:`SUM` … :data:`ATOM`."""
    if expr.is_Add:
        return SUM
    if isinstance(expr, sp.Expr) and expr.could_extract_minus_sign():
        return NEGATIVE
    if expr.is_Mul or (expr.is_Rational and not expr.is_Integer):
        return PRODUCT
    if expr.is_Pow or isinstance(expr, sp.exp):  # (exp(x) prints as e^x)
        return POWER
    return ATOM


def _start(node: ast.AST) -> int:
    return getattr(node, "col_offset", 0)


def _end(node: ast.AST) -> int:
    return getattr(node, "end_col_offset", _start(node))
