"""Where a long formula may break onto another line: between its top-level terms.

A loss such as Rastrigin's, typeset on one line, is three times as wide as the loss panel on
a 1280 × 720 projector; shrunk no smaller than the type around it, most of it was cut off.
Broken before a top-level ``+`` or ``-`` (not inside brackets, braces or a fraction), it
reads on two or three lines, as a teacher writes a long formula on the board.
"""

from __future__ import annotations

import re

_LEFT = re.compile(r"\\left\b")
_RIGHT = re.compile(r"\\right\b")


def top_level_terms(latex: str) -> list[str]:
    """``latex`` split before each top-level `` + `` or `` - `` (its terms, each with its
    sign); one piece where there is none. A leading sign stays with the first term.

    Examples
    --------
    >>> top_level_terms(r"20 + x^{2} - 10 \\cos{\\left(2 \\pi x \\right)}")
    ['20', '+ x^{2}', '- 10 \\\\cos{\\\\left(2 \\\\pi x \\\\right)}']
    >>> top_level_terms(r"\\frac{1}{8} \\left(a + b\\right)")
    ['\\\\frac{1}{8} \\\\left(a + b\\\\right)']
    >>> top_level_terms(r"- x + y")
    ['- x', '+ y']
    >>> top_level_terms(r"f = - x + y")
    ['f = - x', '+ y']
    """
    pieces, start = [], 0
    for i, token, depth in _tokens(latex):
        # (not a sign right after "=": unary, the first term's — "∂f/∂w1 =" was left alone
        # on a line of its own, and "= −2w1…" split into "=" and the rest)
        before = latex[:i].rstrip()
        if (token in "+-" and depth == 0 and latex[i - 1:i] == " "
                and latex[i + 1:i + 2] == " " and before and not before.endswith("=")):
            pieces.append(latex[start:i].strip())
            start = i
    pieces.append(latex[start:].strip())
    return [piece for piece in pieces if piece]


def breakable_terms(latex: str, inner_terms: int = 3) -> list[str]:
    """:func:`top_level_terms`, or, for one term that ends in a bracketed sum of at least
    ``inner_terms`` terms (the regression loss's ``\\frac{1}{8} \\left(a + b + …\\right)``),
    the sum's terms, the factor before it and plain brackets joined to the first and last
    (each piece must typeset alone, and ``\\left(`` cannot open in one piece and close in
    another). A term too wide for its line on its own is broken with ``inner_terms`` 2:
    ``- \\left(a - b\\right)``.

    Examples
    --------
    >>> breakable_terms(r"\\frac{1}{8} \\left(a^{2} + b^{2} - c\\right)")
    ['\\\\frac{1}{8} (a^{2}', '+ b^{2}', '- c)']
    >>> breakable_terms(r"\\left(a + b\\right)^{2}")
    ['\\\\left(a + b\\\\right)^{2}']
    >>> breakable_terms(r"x \\left(1 - y\\right)")
    ['x \\\\left(1 - y\\\\right)']

    A product of bracketed factors breaks between them (:func:`top_level_factors`).
    """
    terms = top_level_terms(latex)
    if len(terms) > 1:
        return terms
    opening = _outer_left(latex) if latex.endswith(r"\right)") else None
    inner = [] if opening is None else \
        top_level_terms(latex[opening + len(r"\left("):-len(r"\right)")])
    if len(inner) < max(2, inner_terms):  # (a short bracket, (1 − w2), is not worth breaking)
        factors = top_level_factors(latex)
        return terms if len(factors) < 2 else factors
    before = latex[:opening].rstrip()
    return [f"{before} ({inner[0]}".lstrip(), *inner[1:-1], f"{inner[-1]})"]


_FACTOR_END = re.compile(r"\\right\)(?:\}|\^\{[^{}]*\}|\^\w)*$")
"""A factor's end a product may break after: a bracket closed, or a function's argument's
(``\\tanh{\\left(3 w_{1} \\right)}``), with any power on it."""


def top_level_factors(latex: str) -> list[str]:
    """``latex``, one product, split after each top-level factor that ends in a bracket
    (each piece after the first begins with ``\\cdot``, as a product broken onto lines is
    written on the board); one piece where there is none.

    One term can be wider than any panel: tanh's slope, 1 − tanh², times the rest made the
    partial of (tanh(3w1) − 0.5)² shrink to the window's text in the loss panel, on one line
    beside room for two.

    Examples
    --------
    >>> top_level_factors(r"6 \\left(1 - a\\right) \\left(b - 0.5\\right)")
    ['6 \\\\left(1 - a\\\\right)', '\\\\cdot \\\\left(b - 0.5\\\\right)']
    >>> top_level_factors(r"w_{2} \\cos{\\left(w_{1} \\right)}")
    ['w_{2} \\\\cos{\\\\left(w_{1} \\\\right)}']
    """
    pieces, start = [], 0
    for i, token, depth in _tokens(latex):
        if token == " " and depth == 0 and _FACTOR_END.search(latex, start, i) \
                and latex[i + 1:i + 2] not in ("", "+", "-", "="):
            pieces.append(latex[start:i])
            start = i + 1
    pieces.append(latex[start:])
    # (the app's printer sets a · after a function's bracket already: not a second; f as
    # typed has a thin space there, which put the dot nearer the factor before it)
    rest = [re.sub(r"^(?:\\[,;: ]\s*)+", "", piece) for piece in pieces[1:]]
    return [pieces[0], *(piece if piece.startswith(r"\cdot") else rf"\cdot {piece}"
                         for piece in rest)]


def _outer_left(latex: str) -> int | None:
    """Where the ``\\left(`` opens whose ``\\right)`` ends ``latex``, if it is at the top
    level; else None."""
    opened = None
    for i, token, depth in _tokens(latex):
        if token == "left" and depth == 0:
            opened = i
        elif token == "right" and depth == 1 and i + len(r"\right)") != len(latex):
            opened = None  # (closed before the end: not the outer bracket)
    return opened


def _tokens(latex: str):
    """Each ``(index, token, depth)`` of ``latex``: a character, or "left" / "right" for
    ``\\left`` / ``\\right`` (another command or escaped character is skipped), with the
    depth of brackets and braces it stands at (before it opens or closes one)."""
    depth, i = 0, 0
    while i < len(latex):
        ch = latex[i]
        if ch == "\\":
            token = "left" if _LEFT.match(latex, i) else "right" if _RIGHT.match(latex, i) else ""
            if token:
                yield i, token, depth
                depth += 1 if token == "left" else -1
            i += 2  # (an escaped character, or a command's first letter)
            continue
        yield i, ch, depth
        depth += {"{": 1, "}": -1}.get(ch, 0)
        i += 1
