"""A loss printed as it was typed: its terms and factors in the typed order.

sympy keeps sums and products in its own order and distributes numbers over sums: the
lecture's ``sin(w1)*w2*(1-w2)`` came out as w₂(1 − w₂) sin(w₁), ``(w2 - w1^2)^2`` as
(−w₁² + w₂)², and ``1e-8*(w1^2 + w2^2)`` as 10⁻⁸w₁² + 10⁻⁸w₂². A teacher's slide says what
was typed, so f is printed here from the typed text's syntax tree instead (the derivatives,
which sympy works out, keep sympy's order).

The text is parsed again with :func:`gdviz.core.syntax.parse_tree` (``ast.parse``; nothing
evaluated) and is expected to be one that :func:`gdviz.core.parser.parse_expression` has
accepted: anything else raises and the caller falls back to sympy's printing. Brackets are
written where the meaning needs them; numbers and function names are printed as in the
derivatives (:mod:`gdviz.core.printing`), so the two read alike.

Examples
--------
>>> typed_latex("sin(w1)*w2*(1-w2)")
'\\\\sin{\\\\left(w_{1} \\\\right)} \\\\, w_{2} \\\\left(1 - w_{2}\\\\right)'
>>> typed_plain("(w2 - w1^2)^2")
'(w2 - w1**2)**2'
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Mapping

import numpy as np
import sympy as sp

from gdviz.core import printing
from gdviz.core.syntax import parse_tree

SUM, NEGATIVE, PRODUCT, FRACTION, POWER, ATOM = 10, 15, 20, 22, 30, 40
"""Binding strengths: a part binding less tightly than its place needs gets brackets."""

# placeholders in sympy's LaTeX of a function (longer than a variable's name may be)
_SLOT = ("gdvizplaceholderthefirstarg", "gdvizplaceholderthesecondarg",
         "gdvizplaceholdertheexponent")
_CONSTANTS = {"pi": (sp.pi, "pi"), "e": (sp.E, "e")}


_HEADS = {"ln": (r"\log", r"\ln"), "arcsin": (r"\operatorname{asin}", r"\arcsin"),
          "arccos": (r"\operatorname{acos}", r"\arccos"),
          "arctan": (r"\operatorname{atan}", r"\arctan")}
"""Names typed another way than sympy prints them: (sympy's head, the typed one's)."""
_PLAIN_NAMES = {"log": "ln"}
"""Names written otherwise than typed in plain text (log₁₀ 10 = 1 is what "log" says to many)."""


@functools.lru_cache(maxsize=64)
def _template(name: str, arity: int, powered: bool) -> str:
    """sympy's LaTeX of function ``name`` applied to placeholders (and raised to one), its
    head as typed (ln, arcsin: not log, asin)."""
    from gdviz.core.parser import FUNCTIONS

    slots = [sp.Symbol(s) for s in _SLOT[:arity]]
    call = FUNCTIONS[name][0](*slots)
    if powered:
        call = sp.Pow(call, sp.Symbol(_SLOT[2]), evaluate=False)
    text = printing.latex(call)
    if name in _HEADS:
        text = text.replace(*_HEADS[name], 1)
    return text


def _e_notation(value: float, latex: bool) -> str:
    """``value`` typed in e-notation, written so: 1e5 → 10⁵, 1.5e3 → 1.5·10³."""
    mantissa, exponent = np.format_float_scientific(value, unique=True, trim="-").split("e")
    if not latex:
        return f"{mantissa}e{int(exponent)}"
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa} \cdot {power}"


class TypedPrinter:
    """Walks an accepted loss's syntax tree; each visit (:meth:`show`) gives ``(text,
    binding)``, the binding on the scale :data:`SUM` … :data:`ATOM`. LaTeX (``latex``) or
    plain text; ``symbol_names`` maps a variable's name to what to write for it; ``source``
    is the parsed text (the numbers' digits are read from it)."""

    def __init__(self, latex: bool, symbol_names: Mapping[str, str], source: str) -> None:
        self.latex = latex
        self.symbol_names = symbol_names
        self.source = source  # (the numbers' digits as typed)

    def show(self, node: ast.AST) -> tuple[str, int]:
        return getattr(self, f"_{type(node).__name__}")(node)

    def wrap(self, text: str) -> str:
        return rf"\left({text}\right)" if self.latex else f"({text})"

    def part(self, node: ast.AST, least: int) -> str:
        """``node`` printed, in brackets when it binds less tightly than ``least``."""
        text, binding = self.show(node)
        return self.wrap(text) if binding < least else text

    # -- leaves ------------------------------------------------------------------------
    def _Constant(self, node: ast.Constant) -> tuple[str, int]:  # noqa: N802 - ast's naming
        v = node.value
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise TypeError(f"not a loss's number: {v!r}")
        number = sp.Integer(v) if isinstance(v, int) else sp.Float(v)
        # typed in e-notation (1e5, 1.5e3): written so, not 100000.0
        typed = (ast.get_source_segment(self.source, node) or "").lower()
        # (but 0 is 0: 0.0e-5 read "0e0")
        scientific = isinstance(v, float) and v != 0 and ("e" in typed
                                               or printing.split_scientific(v) is not None)
        if scientific and printing.split_scientific(v) is None:
            text = _e_notation(v, self.latex)
        else:
            text = (printing.latex(number, round_long=False) if self.latex
                    else printing.plain(number, round_long=False))
        # 2.5·10⁻⁹ is a product on the board (and 10⁻⁹ a power): brackets as a power's
        # base; in plain text 2.5e-9 is bracketed as a power's base or exponent
        if scientific:
            return text, FRACTION if self.latex else POWER - 1
        return text, ATOM

    def _Name(self, node: ast.Name) -> tuple[str, int]:  # noqa: N802
        name = node.id
        if name in _CONSTANTS:
            constant, plain = _CONSTANTS[name]
            return (printing.latex(constant) if self.latex else plain), ATOM
        if name in self.symbol_names:
            return self.symbol_names[name], ATOM
        return (printing.latex(sp.Symbol(name)) if self.latex else name), ATOM

    # -- operators ---------------------------------------------------------------------
    def _UnaryOp(self, node: ast.UnaryOp) -> tuple[str, int]:  # noqa: N802
        if isinstance(node.op, ast.UAdd):
            return self.show(node.operand)
        if not isinstance(node.op, ast.USub):
            raise TypeError("not a loss's operator")
        sign = "- " if self.latex else "-"
        return sign + self.part(node.operand, PRODUCT), NEGATIVE

    def _BinOp(self, node: ast.BinOp) -> tuple[str, int]:  # noqa: N802
        op = type(node.op)
        if op in (ast.Add, ast.Sub):
            left = self.part(node.left, SUM)
            # a - (b + c) and a + (-b) keep their brackets; a + (b + c) was typed so
            right = self.part(node.right, PRODUCT if op is ast.Sub else NEGATIVE + 1)
            return f"{left} {'+' if op is ast.Add else '-'} {right}", SUM
        if op is ast.Mult:
            return self._product(node), PRODUCT
        if op is ast.Div:
            if self.latex:  # the bar groups both sides; -x/y is written -(x/y)
                negated = isinstance(node.left, ast.UnaryOp) and isinstance(node.left.op,
                                                                            ast.USub)
                top = self.show(node.left.operand if negated else node.left)[0]
                bottom = self.show(node.right)[0]
                if len(top.split()) > printing.LONG_FRAC_RATIO * len(bottom.split()):
                    # (a long numerator is set in small type: the regression loss's sum
                    # over its data was unreadable; ⅛(…) keeps it full size, on one line)
                    frac = rf"\frac{{1}}{{{bottom}}} \left({top}\right)"
                    return (f"- {frac}", NEGATIVE) if negated else (frac, PRODUCT)
                frac = rf"\frac{{{top}}}{{{bottom}}}"
                return (f"- {frac}", NEGATIVE) if negated else (frac, FRACTION)
            left, binding = self.show(node.left)
            left = self.wrap(left) if binding < NEGATIVE else left
            return f"{left}/{self.part(node.right, POWER)}", PRODUCT
        if op is ast.Pow:
            return self._power(node), POWER
        raise TypeError("not a loss's operator")

    def _product(self, node: ast.BinOp) -> str:
        left, binding = self.show(node.left)
        if binding < NEGATIVE:  # (-a·b reads as it computes; (a + b)·c needs them)
            left = self.wrap(left)
        right = self.part(node.right, FRACTION if self.latex else PRODUCT + 1)
        if not self.latex:
            return f"{left}*{right}"
        # side by side, except where two numbers would run together (2·3, x·2, 2·½); a thin
        # space after a bracket (sin(w₁) w₂, not sin(w₁)w₂: mathtext sets them touching)
        if right[:1].isdigit() or right.startswith(r"\frac"):
            return f"{left} \\cdot {right}"
        after_bracket = left.endswith((r"\right)", r"\right)}"))
        return f"{left} \\, {right}" if after_bracket else f"{left} {right}"

    def _inline_fraction(self, exponent: ast.AST) -> str:
        """An exponent that is a number or a name over another, ``-`` allowed in front,
        written on one line ("1/3"), as sympy's folded powers are (:mod:`gdviz.core
        .printing`): stacked in a raised exponent it was 5 pixels tall. "" otherwise."""
        sign, node = "", exponent
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            sign, node = "-", node.operand
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)):
            return ""
        parts = []
        left = node.left
        if isinstance(left, ast.UnaryOp) and isinstance(left.op, ast.USub) and not sign:
            sign, left = "-", left.operand  # (-1/2 is (−1)/2 to Python)
        for side in (left, node.right):
            if not isinstance(side, (ast.Constant, ast.Name)):
                return ""
            shown = self.show(side)[0]
            if " " in shown or "{" in shown:  # (w_{1}: one token, but not a plain one)
                return ""
            parts.append(shown)
        return f"{sign}{parts[0]}/{parts[1]}"

    def _power(self, node: ast.BinOp) -> str:
        base, exponent = node.left, node.right
        # sin²(x), as sympy writes it; but sin(x)^-1 in brackets: sin⁻¹(x) reads as arcsin
        positive = isinstance(exponent, ast.Constant) and exponent.value > 0
        if self.latex and _is_exp(base) and (
                written := printing.exp_latex(self.show(base.args[0])[0])) is not None:
            return f"{written}^{{{self.show(exponent)[0]}}}"  # (exp(−1/w1²)² as exp(…)²)
        if self.latex and isinstance(base, ast.Call) and positive:
            power = self.show(exponent)[0]
            return self._call(base, _template(base.func.id, len(base.args), True)
                              .replace(_SLOT[2], power))
        shown = self.part(base, ATOM)
        if self.latex and isinstance(base, ast.Call) and not shown.startswith(r"\left|"):
            shown = self.wrap(shown)  # ((sin x)⁻¹: sin(x)⁻¹ could be read either way)
        if self.latex:
            power = self._inline_fraction(exponent) or self.show(exponent)[0]
            written = printing.exp_latex(power) if shown == "e" else None  # (e^(−1/w1²))
            return written or f"{shown}^{{{power}}}"
        return f"{shown}**{self.part(exponent, POWER)}"

    def _Call(self, node: ast.Call) -> tuple[str, int]:  # noqa: N802
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise TypeError("not a loss's function call")
        if not self.latex:  # (log written ln, as everywhere: see printing.PlainPrinter)
            args = ", ".join(self.show(a)[0] for a in node.args)
            return f"{_PLAIN_NAMES.get(node.func.id, node.func.id)}({args})", ATOM
        if _is_exp(node) and (written := printing.exp_latex(self.show(node.args[0])[0])):
            return written, ATOM
        return self._call(node, _template(node.func.id, len(node.args), False)), ATOM

    def _call(self, node: ast.Call, template: str) -> str:
        for slot, arg in zip(_SLOT, node.args, strict=False):
            template = template.replace(slot, self.show(arg)[0])
        return template


def _is_exp(node: ast.AST) -> bool:
    """Whether ``node`` is a call of exp with one argument."""
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
        and node.func.id == "exp" and len(node.args) == 1


def typed_latex(text: str, symbol_names: Mapping[sp.Symbol | str, str] | None = None) -> str:
    """LaTeX of the loss ``text`` as it was typed.

    Parameters
    ----------
    text
        A loss that :func:`gdviz.parse_loss` accepts.
    symbol_names
        LaTeX to write for some variables instead of their names (by symbol or name), as
        ``sympy.latex``'s ``symbol_names``.

    Raises
    ------
    Exception
        For a text that was not accepted as a loss (callers fall back to sympy's printing).
    """
    names = {getattr(k, "name", k): v for k, v in (symbol_names or {}).items()}
    prepared, tree = parse_tree(text)
    return TypedPrinter(True, names, prepared.source.strip()).show(tree.body)[0]


def typed_plain(text: str) -> str:
    """Plain text of the loss ``text`` as it was typed, in the form gdviz reads back
    (``**`` for powers, ``*`` for every product, spaces around ``+`` and ``-``)."""
    prepared, tree = parse_tree(text)
    return TypedPrinter(False, {}, prepared.source.strip()).show(tree.body)[0]


class _HtmlPrinter(TypedPrinter):
    """Plain text as Qt rich text: names as ``name_html`` writes them, powers raised, π."""

    def __init__(self, name_html: Callable[[str], str], source: str) -> None:
        super().__init__(False, {}, source)
        self.name_html = name_html

    def _Name(self, node: ast.Name) -> tuple[str, int]:  # noqa: N802 - ast's naming
        if node.id in _CONSTANTS:
            return ("π" if node.id == "pi" else node.id), ATOM
        return self.name_html(node.id), ATOM

    def _Call(self, node: ast.Call) -> tuple[str, int]:  # noqa: N802 - ast's naming
        # |u|, √(u) and e^u, as the typeset formulas beside the header write them (it read
        # "abs(w1) + w2²" above the steps' |w₁|)
        if isinstance(node.func, ast.Name) and len(node.args) == 1 and not node.keywords \
                and node.func.id in _HTML_CALLS:
            inner = self.show(node.args[0])[0]
            if node.func.id == "exp":
                # (u's own indices and powers as characters: Qt's rich text cannot raise
                # them again inside a superscript, w₁² read "w 1 2" on the line; exp(u)
                # where they are not digits)
                inner = flat_scripts(inner)
            if inner is not None:
                return _HTML_CALLS[node.func.id].format(inner), ATOM
        return super()._Call(node)

    def _power(self, node: ast.BinOp) -> str:
        base = self.part(node.left, ATOM)
        if base.startswith("e<sup>"):  # ((e^u)²: e^u² reads as e to the u²)
            base = f"({base})"
        return f"{base}<sup>{self.show(node.right)[0]}</sup>"


_HTML_CALLS = {"abs": "|{}|", "sqrt": "√({})", "exp": "e<sup>{}</sup>"}
"""Functions rich text writes as a board does."""
_SCRIPT = re.compile(r"<(sub|sup)>([^<]*)</\1>")
_LOWERED = str.maketrans("0123456789+-−()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₍₎")
_RAISED = str.maketrans("0123456789+-−()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁽⁾")


def flat_scripts(html: str) -> str | None:
    """``html`` with its subscripts and superscripts written as characters (w₁², for
    ``w<sub>1</sub><sup>2</sup>``), to go inside another superscript, which Qt's rich text
    cannot raise again; None where one holds more than digits and signs.

    Examples
    --------
    >>> flat_scripts("-(w<sub>1</sub><sup>2</sup> + y)"), flat_scripts("x<sup>a</sup>")
    ('-(w₁² + y)', None)
    """
    def flat(m: re.Match) -> str:
        table = _LOWERED if m[1] == "sub" else _RAISED
        text = m[2].translate(table)
        if any(ch in "0123456789+-−()" or ch.isalpha() for ch in text):
            raise ValueError(m[0])
        return text

    try:
        flat_html = _SCRIPT.sub(flat, html)
    except ValueError:
        return None
    return None if "<su" in flat_html else flat_html  # (one inside another: as it was)


def typed_html(text: str, name_html: Callable[[str], str]) -> str:
    """Qt rich text of the loss ``text`` as typed: ``name_html(name)`` for each variable's
    name, powers as superscripts, ``*`` between factors and ``-`` for minus (callers write
    them as · and −), |u|, √(u) and e^u for abs, sqrt and exp. Raises as :func:`typed_latex`.

    Examples
    --------
    >>> typed_html("abs(w1) + sqrt(w2)", str), typed_html("exp(-w1)^2", str)
    ('|w1| + √(w2)', '(e<sup>-w1</sup>)<sup>2</sup>')
    >>> typed_html("exp(-w1^2)", str)  # (w1² as characters inside: Qt cannot raise it again)
    'e<sup>-w1²</sup>'
    >>> typed_html("exp(w1^a)", str)
    'exp(w1<sup>a</sup>)'
    """
    prepared, tree = parse_tree(text)
    return _HtmlPrinter(name_html, prepared.source.strip()).show(tree.body)[0]
