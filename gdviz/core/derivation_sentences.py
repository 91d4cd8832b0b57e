"""The plain sentences of the step-by-step derivation (:mod:`gdviz.core.derivation_rules`):
parts quoted as a sentence quotes them, and the notes said before a step where sympy read a
part otherwise than it was typed."""

from __future__ import annotations

import re
from collections import Counter

import sympy as sp

from gdviz.core.board_form import typed_text
from gdviz.core.typed_parts import TypedParts

MAX_TEXT = 48  # longest expression quoted in an explanation sentence


def quote(e: sp.Expr, typed: TypedParts | None = None) -> str:
    """``e`` as a sentence quotes it (its typed text where known)."""
    return sentence(typed_text(e, typed))


def sentence(s: str) -> str:
    """Plain text of a part as a sentence quotes it: ^ for **, cut short past MAX_TEXT."""
    return cut(spelt(s))


def spelt(s: str) -> str:
    """``s`` with ^ for ** and real minus signs, as the rest of the sentence and the board
    have them ("u = −x² − y²")."""
    return s.replace("**", "^").replace("-", "−")


def cut(s: str) -> str:
    """``s`` cut short past :data:`MAX_TEXT`."""
    if len(s) <= MAX_TEXT:
        return s
    # (at the last space before the limit, not inside a name or a number: Goldstein–Price's
    # product rule read "− 14·w…"; a sign or operator left at the end goes too)
    cut = s[: MAX_TEXT - 1]
    cut = cut[: cut.rfind(" ")] if " " in cut[MAX_TEXT // 2:] else cut
    return cut.rstrip(" −+*/·(") + "…"


_NUMBER = re.compile(r"\d+\.?\d*(?:[eE][-−+]?\d+)?|\.\d+(?:[eE][-−+]?\d+)?")
_ALIASES = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "ln": "log", "e": "exp"}


def _names(text: str) -> Counter:
    """The functions and variables a part's text names, and how often (numbers, signs and
    order aside; ``e^x`` and ``exp(x)``, ``arcsin`` and ``asin`` alike)."""
    words = re.findall(r"[A-Za-z_]\w*", _NUMBER.sub(" ", text.replace("e^", "exp ")))
    return Counter(_ALIASES.get(w, w) for w in words)


def simplified_note(typed: str, plain: str, cut=lambda s: s) -> str:
    """What to say first where sympy read a part as something else than its typed text
    names: "ln(exp(w1)) simplifies to w1; " (its step said "the derivative of w1 with
    respect to itself is 1" under ∂/∂w1 ln(e^w1)); "" where they name the same (another
    order, a sign moved) or either is cut short. ``cut`` shortens the texts as said (the
    decision is on the whole texts: an MSE's ((…)² + (…)² + (…)²)/3, too long to quote,
    was multiplied out to three terms over 3 with no word why).

    Examples
    --------
    >>> simplified_note("ln(exp(w1))", "w1"), simplified_note("sin(w1)*w2", "w2*sin(w1)")
    ('ln(exp(w1)) simplifies to w1; ', '')
    >>> simplified_note("e^x", "exp(x)"), simplified_note("w1*w1", "w1^2")
    ('', 'w1*w1 simplifies to w1^2; ')
    >>> simplified_note("exp(x)^2", "exp(2*x)")  # (the same names, a power gone)
    'exp(x)^2 simplifies to exp(2*x); '
    """
    if typed == plain or "…" in typed + plain:
        return ""
    if _names(typed) == _names(plain) and _powers(typed) == _powers(plain):
        # (the same names and powers, other terms: sympy multiplied out a number, and the
        # sum rule then split (x + 1)/2 + y into three terms with no word why)
        if _terms(typed) == _terms(plain):
            return ""
        typed, plain = _unlike_terms(typed, plain)
        return f"{cut(typed)} is multiplied out as {cut(plain)}; "
    return f"{cut(typed)} simplifies to {cut(plain)}; "


def _terms(text: str) -> int:
    """How many terms ``text`` adds at its top level (signs inside brackets, leading ones,
    after an operator or in e-notation aside): 3 for "x/2 + y + 1/2", 2 for "(x+1)/2+y"."""
    return len(_top_terms(text))


def _top_terms(text: str) -> list[str]:
    """The terms ``text`` adds at its top level, each with the sign before it (as
    :func:`_terms` counts them): ["x/2", "+ y", "+ 1/2"] for "x/2 + y + 1/2"."""
    depth, cuts, before = 0, [0], ""
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch in "+-−" and depth == 0 and before and before not in "*/^(e,+-−" \
                and not (before == "e" and i > 1 and text[i - 2].isdigit()):
            cuts.append(i)
        if not ch.isspace():
            before = ch
    return [text[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]


def _unlike_terms(typed: str, plain: str) -> tuple[str, str]:
    """``typed`` and ``plain`` without the terms they share (by the names and powers each
    writes, sign and order aside), where some are: the part multiplied out alone ("0.01*(w1^2
    + w2^2) is multiplied out as 0.01*w1^2 + 0.01*w2^2", where the whole loss, sympy's ln(…)
    rewritten and first, stood beside the typed one, cut short at both ends).

    Examples
    --------
    >>> _unlike_terms("ln(1 + exp(-x)) + 0.5*(x^2 + y^2)", "0.5*x^2 + 0.5*y^2 + ln(exp(-x) + 1)")
    ('0.5*(x^2 + y^2)', '0.5*x^2 + 0.5*y^2')
    """
    a, b = _top_terms(typed), _top_terms(plain)

    def key(term: str) -> tuple:  # (and how many terms it adds at any depth: (x + 1)/2
        # is not x/2, though they name the same)
        inner = sum(len(_top_terms(part)) for part in re.findall(r"\(([^()]*)\)", term))
        return _names(term), _powers(term), inner + len(_top_terms(term.lstrip("+-− ")))

    left = list(b)
    rest = []
    for term in a:
        same = next((t for t in left if key(t) == key(term)), None)
        if same is None:
            rest.append(term)
        else:
            left.remove(same)
    if not rest or not left or len(rest) == len(a):
        return typed, plain

    def joined(terms: list[str]) -> str:
        text = " ".join(terms)
        return text[1:].lstrip() if text.startswith("+") else text

    return joined(rest), joined(left)


def _powers(text: str) -> int:
    """How many powers of a function ``text`` writes (exp(x)^2, which sympy reads as
    exp(2·x): the same names, and no note said so; x^(−1) and 1/x are alike here)."""
    return len(re.findall(r"[A-Za-z]\w*\([^()]*\)\s*(?:\^|\*\*)", text))


def after_note(explanation: str) -> str:
    """``explanation`` going on after a note (one sentence: "…; the derivative of …")."""
    first = explanation.split(" ", 1)[0]
    if first in ("The", "Chain", "Product", "Quotient", "Sum", "Both"):
        return explanation[0].lower() + explanation[1:]
    return explanation


def held(e: sp.Expr) -> str:
    """" (y is held constant)": the variables ``e`` holds, said after its rule."""
    names = sorted(str(s) for s in e.free_symbols)
    if not names:
        return ""
    return f" ({', '.join(names)} {'is' if len(names) == 1 else 'are'} held constant)"
