"""The sympy-free half of reading a loss: text → checked ``ast`` tree, names, variables.

:mod:`gdviz.core.parser` builds the sympy expression from the tree; :mod:`gdviz.core.preview`
evaluates it with numpy for the window's first frame, before sympy is even imported. Both rely
on the same checks here, so they accept the same texts' shape and report the same positions.
"""

from __future__ import annotations

import ast
import keyword
import re

from gdviz.core.errors import LossError, at_char
from gdviz.core.text import Prepared, prepare

MAX_NODES = 1500
MAX_DEPTH = 80
MAX_NAME_LENGTH = 24
MAX_EXPONENT = 100  # largest |exponent| of a numeric power applied to a variable expression
MAX_EXP_ARGUMENT = 700.0  # exp(709) is the largest finite float
MAX_MAGNITUDE = 1e150  # numeric constants beyond this are refused
MAX_LITERAL_DIGITS = 40
MAX_EXACT_BITS = 4096  # largest exact numerator or denominator a numeric power may build


# Names the parser gives a meaning to (functions with their number of arguments, constants).
FUNCTION_ARITY = {"sin": 1, "cos": 1, "tan": 1, "asin": 1, "acos": 1, "atan": 1, "sinh": 1,
                  "cosh": 1, "tanh": 1, "exp": 1, "log": 1, "ln": 1, "sqrt": 1, "abs": 1,
                  "max": 2, "min": 2, "arcsin": 1, "arccos": 1, "arctan": 1}
ONE_ARGUMENT = tuple(name for name, n in FUNCTION_ARITY.items() if n == 1)
CONSTANT_NAMES = ("pi", "e")
RESERVED = {"inf", "nan", "oo", "zoo", "I", "E", "j", "i", "infinity"}
CONSTANT_LOOKALIKES = {"E": "e", "Pi": "pi", "PI": "pi"}
"""Names written as a constant is elsewhere (sympy, calculators): Pi·r² was a loss in a
variable Pi, and E·x "reserved; choose another variable name"."""


def constant_lookalike(name: str) -> str:
    """The hint for a name in :data:`CONSTANT_LOOKALIKES`: ": write pi for π"."""
    meant = CONSTANT_LOOKALIKES[name]
    return f": write {meant} for {'π' if meant == 'pi' else 'the number e'}"


def natural_key(name: str) -> tuple:
    """Sort key putting ``x`` before ``y``, ``x`` before ``Y`` (capitals came first: x² + Y²
    had Y across) and ``w2`` before ``w10``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, p.lower(), p)
                 for p in re.split(r"(\d+)", name) if p)


def partner_variable(name: str) -> str:
    """The second variable for a loss typed with one: x↔y, w1↔w2, a↔b, theta0↔theta1."""
    pairs = {"x": "y", "y": "x", "a": "b", "b": "a", "u": "v", "v": "u", "p": "q", "q": "p",
             "s": "t", "t": "s", "x1": "x2", "x2": "x1", "w1": "w2", "w2": "w1"}
    if name in pairs:
        return pairs[name]
    m = re.fullmatch(r"(.*?)(\d+)", name)
    if m:
        prefix, n = m.group(1), int(m.group(2))
        return f"{prefix}{n - 1 if n in (2,) else n + 1}"
    return "y" if name != "y" else "x"


_PART = r"[A-Za-z](?:_?\d+)?"  # one letter, maybe numbered: x, b, w1, w_1 (theta0 is not)


def check_joined_names(names: dict[str, int], taken: set[str]) -> None:
    """Refuse a name that is two or three variables written together (``w1w2``, ``xy``,
    ``xyz``, ``w_1w_2``): it was read as one variable, given a made-up partner (f(xy, y) =
    xy; f(w_1w_1, w_1w_2)). Only where two neighbouring parts are a usual pair (x and y, w1
    and w2, a and b: :func:`partner_variable`) or one part is used on its own in the loss
    (``w1^2 + w1w2``); ``mu``, ``dx``, ``lr``, ``tau`` and ``x^2 + xi^2`` (i is reserved)
    stay names, as does any name with a part in ``taken`` (constants, functions).

    Raises
    ------
    LossError
        "'xyz' at character 1 reads as one name: for a product write x*y*z".
    """
    for name, position in names.items():
        m = (re.fullmatch(f"({_PART})({_PART})", name)
             or re.fullmatch(f"({_PART})({_PART})({_PART})", name))
        if m is None:
            continue
        parts = m.groups()
        if any(part in RESERVED or part in taken for part in parts):
            continue
        joined = any(partner_variable(a) == b for a, b in zip(parts, parts[1:], strict=False))
        if joined or any(part in names for part in parts):
            raise LossError(f"'{name}' {at_char(position)} reads as one name: for a product "
                            f"write {'*'.join(parts)}", position)


def syntax_message(prepared: Prepared, err: SyntaxError) -> LossError:
    src = prepared.source.strip()
    original = prepared.original
    # A Python keyword breaks the parse somewhere after it ("lambda+x": "unexpected '+' at
    # character 7"): name the word itself.
    for m in re.finditer(r"[A-Za-z_][A-Za-z_0-9]*", prepared.source):
        if keyword.iskeyword(m[0]):
            p = prepared.original_position(m.start())
            return LossError(f"'{m[0]}' is a reserved word, not a variable or function "
                             f"{at_char(p)}: use another name", p)
    # LaTeX (\frac{1}{2}x said "missing operator before 'f'")
    if "\\" in prepared.source:
        p = prepared.original_position(prepared.source.index("\\"))
        return LossError(f"unexpected '\\' {at_char(p)}: a loss is typed plainly, not in LaTeX "
                         "(\\frac{a}{b} is a/b, \\sin x is sin(x))", p)
    # (also operators no loss may use: "x%" said "missing operator before 'x' at character
    # 1", marking the start of good text)
    if src and src[-1] in "+-*/,%@&|<>~":
        p = prepared.original_position(len(prepared.source.rstrip()) - 1)
        return LossError(f"the loss ends after '{original[p]}' {at_char(p)}: "
                         "something is missing", len(original))
    if src.endswith(".") and not src[:-1].rstrip()[-1:].isdigit() and _parses(src[:-1]):
        # ("x." said "missing operator before 'x' at character 1", marking the good text)
        p = prepared.original_position(len(prepared.source.rstrip()) - 1)
        return LossError(f"unexpected '.' {at_char(p)}: a decimal point belongs in a number, "
                         "as in 0.5", p)
    lead = len(prepared.source) - len(prepared.source.lstrip())
    idx = max((err.offset or 1) - 1, 0) + lead
    if "forgot a comma" in (err.msg or "") and err.end_offset:
        # Python marks the whole bracket's inside ("exp(-x y)": "unexpected '-' at character
        # 5"): the gap between two operands in it is where the operator is missing.
        inside = prepared.source[idx:err.end_offset - 1 + lead]
        gap = re.search(r"[\w.)\]]\s+(?=[\w(.])", inside)
        if gap is not None:
            idx += gap.end()
    if (err.lineno or 1) > 1 or idx >= len(prepared.source.rstrip()):
        return LossError(f"the loss ends unexpectedly {at_char(len(original))}",
                         len(original))
    p = prepared.original_position(idx)
    ch = original[p] if p < len(original) else ""
    if ch == ")":
        return LossError(f"expected a value before ')' {at_char(p)}", p)
    if ch in ("'", '"'):
        return LossError(f"text in quotes is not allowed ({at_char(p)})", p)
    if ch == "=":
        return LossError(f"'=' is not allowed: type only the loss, e.g. x**2 ({at_char(p)})", p)
    if ch in SUPERSCRIPTS and original[:p].rstrip().endswith(("^", "**")):
        # ("x^²" said "missing operator before '²'": the power written twice)
        return LossError(f"'{ch}' after a power sign {at_char(p)}: write the power once, "
                         "x^2 or x²", p)
    if ch and (ch.isalnum() or ch in "._"):
        # (the whole name: "w1 w2" said "missing operator before 'w'"; parse_hints adds
        # the product meant)
        word = re.match(r"[\w.]+", original[p:])[0]
        return LossError(f"missing operator before '{word}' {at_char(p)}", p)
    if ch in ROOT_SIGNS:  # (√ is read as sqrt; these said only "unexpected '∛'")
        return LossError(f"unexpected '{ch}' {at_char(p)}: write a root as a power, "
                         f"(…)^(1/{ROOT_SIGNS[ch]})", p)
    shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
    return LossError(f"unexpected '{shown}' {at_char(p)}", p)


SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
"""Superscript digits (a power written x²; x^⁻1 is x^-1 meant, not a power twice)."""


def _parses(source: str) -> bool:
    """Whether ``source`` (prepared text, never run) is an expression's syntax: a stray
    point at the end is the error only where the rest is good ("x +* y." is about its '*')."""
    import ast

    try:
        ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return False
    return True
ROOT_SIGNS = {"∛": 3, "∜": 4}
"""Root signs other than √, and their degree."""

GREEK_NAMES = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "theta", "ι": "iota", "κ": "kappa",
    "λ": "lam", "μ": "mu", "ν": "nu", "ξ": "xi", "ρ": "rho", "σ": "sigma", "τ": "tau",
    "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega"}
"""Greek letters typed as variables, and the names to write instead (λ: lambda is a Python
word; π is the constant, said so apart)."""


def greek_hint(name: str) -> str:
    """The hint for a variable written with a Greek letter (and digits): ": write theta1 for
    θ1", or "" where there is more to it (xθ may mean x·θ).

    Examples
    --------
    >>> greek_hint("θ1"), greek_hint("λ"), greek_hint("xθ")
    (': write theta1 for θ1', ': write lam for λ', '')
    """
    letter, digits = name[:1], name[1:]
    if letter not in GREEK_NAMES or not (digits.isascii() and (digits.isdigit() or not digits)):
        return ""
    return f": write {GREEK_NAMES[letter]}{digits} for {name}"


_SUMS, _PRODUCTS = (ast.Add, ast.Sub), (ast.Mult, ast.Div)


def _link(node: ast.AST, child: ast.AST) -> float:
    """How deep ``child`` is below ``node``: half a level where both are ``+``/``−`` (or
    both ``×``/``÷``) operations, which ``ast`` nests one per term (a least-squares loss of
    78 terms, a flat sum, was "too deeply nested"); a level otherwise."""
    if isinstance(node, ast.BinOp) and isinstance(child, ast.BinOp):
        for family in (_SUMS, _PRODUCTS):
            if isinstance(node.op, family) and isinstance(child.op, family):
                return 0.5
    return 1.0


def check_size(tree: ast.AST) -> None:
    """Refuse a tree of more than :data:`MAX_NODES` parts, or nested more than
    :data:`MAX_DEPTH` levels (the walks that read it recurse; a sum's terms count half)."""
    count = 0
    stack: list[tuple[ast.AST, float, int]] = [(tree, 0.0, 0)]  # (and the terms on the way)
    while stack:
        node, depth, terms = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise LossError(f"the loss is too long (more than {MAX_NODES} parts)")
        if depth > MAX_DEPTH:
            # (a flat sum of 300 terms read "too deeply nested": a student sees no nesting)
            nested = depth - 0.5 * terms  # (the levels of other kinds on the way)
            if terms > MAX_DEPTH and nested < 0.5 * MAX_DEPTH:
                raise LossError("the loss has too many terms in one sum or product (at "
                                f"most about {int(2 * (MAX_DEPTH - nested)) // 10 * 10} here)")
            raise LossError(f"the loss is too deeply nested (more than {MAX_DEPTH} levels)")
        for child in ast.iter_child_nodes(node):
            link = _link(node, child)
            stack.append((child, depth + link, terms + (link == 0.5)))


def parse_tree(text: str) -> tuple[Prepared, ast.Expression]:
    """Normalise ``text`` and parse it with ``ast`` in eval mode, within the size caps.

    Raises
    ------
    LossError
        Syntax errors with their typed position; too long, too deep.
    """
    prepared = prepare(text)
    try:
        tree = ast.parse(prepared.source.strip(), mode="eval")
    except SyntaxError as err:
        raise syntax_message(prepared, err) from None
    except (RecursionError, MemoryError, ValueError):
        raise LossError("the loss is too deeply nested or too long") from None
    check_size(tree)
    return prepared, tree


def choose_variables(found: dict[str, int],
                     variables: tuple[str, str] | None = None) -> tuple[str, str]:
    """The loss's two variables in order, from the names ``found`` (name → typed position).

    Raises
    ------
    LossError
        More than two names, or names outside ``variables`` when those are given.
    """
    names = sorted(found, key=natural_key)
    if variables is not None:
        variables = tuple(str(v) for v in variables)  # type: ignore[assignment]
        if len(variables) != 2 or variables[0] == variables[1]:
            raise LossError("variables must be two different names")
        for v in variables:
            if (not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", v) or len(v) > MAX_NAME_LENGTH
                    or v in FUNCTION_ARITY or v in CONSTANT_NAMES or v in RESERVED):
                raise LossError(f"'{v[:MAX_NAME_LENGTH]}' cannot be a variable name")
        extra = [n for n in names if n not in variables]
        if extra:
            p = found[extra[0]]
            raise LossError(f"unknown variable '{extra[0]}' {at_char(p)}: this loss uses "
                            f"{variables[0]} and {variables[1]}", p)
        chosen: tuple[str, str] = variables  # type: ignore[assignment]
    elif len(names) > 2:
        p = found[names[2]]
        raise LossError(f"too many variables: {', '.join(names)} (at most two) — "
                        f"'{names[2]}' {at_char(p)}", p)
    elif len(names) == 2:
        chosen = (names[0], names[1])
    elif len(names) == 1:
        pair = sorted((names[0], partner_variable(names[0])), key=natural_key)
        chosen = (pair[0], pair[1])
    else:
        chosen = ("x", "y")
    return chosen
