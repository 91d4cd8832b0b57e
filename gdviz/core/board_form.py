"""Derivatives and parts of a loss written in the order the board has them.

sympy sorts a product's factors (symbols first, functions after) and a sum's terms its own
way. The lecture types ``sin(w1)*w2*(1-w2)`` and writes its partials as cos(w₁)·w₂(1 − w₂)
and sin(w₁)·(1 − 2w₂); sympy prints w₂(1 − w₂) cos(w₁) and (1 − 2w₂) sin(w₁). The helpers here
print parts of f as typed (:class:`gdviz.core.typed_parts.TypedParts`), order the factors of
a product of typed parts as typed, and write a partial derivative with its held factor where
f has it (:func:`board_latex`). Without typed parts (``typed=None``) sympy's order is kept.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.parameters import distribute
from sympy.printing.precedence import PRECEDENCE, precedence

from gdviz.core import printing
from gdviz.core.typed_parts import TypedParts

__all__ = ["board_latex", "join_factors", "ordered_factors", "typed_parts_of", "typed_tex",
           "typed_text"]


def typed_parts_of(text: str | None) -> TypedParts | None:
    """The :class:`TypedParts` of a loss's typed text; None where there is none or it cannot
    be read again (sympy's order is kept then)."""
    if not text:
        return None
    try:
        return TypedParts(text)
    except Exception:  # noqa: BLE001 - not expected (the text was accepted): sympy's order
        return None


def ordered_factors(e: sp.Expr, typed: TypedParts | None) -> list[sp.Expr] | None:
    """The factors of the product ``e`` in the typed order, where that differs from sympy's
    (and no factor is a division: x·y⁻¹ is a fraction to sympy's printer); else None."""
    if typed is None or not e.is_Mul:
        return None
    if any(f.is_Pow and f.exp.is_number and f.exp.is_negative for f in e.args):
        return None
    factors = typed.factors(e)
    if factors is None or factors == list(e.as_ordered_factors()):
        return None
    return factors


def join_factors(pieces: list[str], sums: list[bool]) -> str:
    """LaTeX factors side by side, a number first written 2·… only before a number (as
    sympy does: 2 w₂, 2 · 3); ``sums[i]`` brackets piece i."""
    out = ""
    for text, bracket in zip(pieces, sums, strict=True):
        text = rf"\left({text}\right)" if bracket else text
        if not out:
            out = text
        elif out == "-":
            out += text
        else:
            sep = r" \cdot " if text[:1].isdigit() else (
                r" \, " if out.endswith(r"\right)") else " ")
            out = f"{out}{sep}{text}"
    return out


def _bracketed(factors: list[sp.Expr]) -> list[bool]:
    """Which factors of a product need brackets: a sum (1 + π too), or a term with a minus
    sign, unless it is the number in front."""
    return [precedence(f) < PRECEDENCE["Mul"] and not (k == 0 and f.is_Number)
            for k, f in enumerate(factors)]


def typed_tex(e: sp.Expr, typed: TypedParts | None, alone: bool = True) -> str:
    """LaTeX of ``e``: as typed where it is a typed part, a product of typed parts in the
    typed order, else as :func:`gdviz.core.printing.latex` writes it with the typed parts
    inside it as typed (2(w₂ − w₁²), not 2(−w₁² + w₂)). Not ``alone`` (a factor, bracketed
    by its sympy form), a typed part is bracketed where its typed form binds less tightly."""
    if typed is None:
        return printing.latex(e)
    text = typed.latex(e, alone)
    if text is not None:
        return text
    factors = ordered_factors(e, typed)
    if factors is None:
        return printing.latex(e, as_typed=typed.latex)
    pieces = ["-" if f == -1 and k == 0 else typed_tex(f, typed, False)
              for k, f in enumerate(factors)]
    return join_factors(pieces, _bracketed(factors))


def typed_text(e: sp.Expr, typed: TypedParts | None, alone: bool = True) -> str:
    """Plain text of ``e`` (as :func:`gdviz.core.printing.plain`), in the order and with
    the brackets of :func:`typed_tex`."""
    if typed is None:
        return printing.plain(e)
    text = typed.plain(e, alone)
    if text is not None:
        return text
    factors = ordered_factors(e, typed)
    if factors is None:
        return printing.plain(e, as_typed=typed.plain)
    pieces = [f"({typed_text(f, typed, False)})" if bracket else typed_text(f, typed, False)
              for f, bracket in zip(factors, _bracketed(factors), strict=True)]
    return "-" + "*".join(pieces[1:]) if pieces[0] == "-1" else "*".join(pieces)


def _factor_latex(factor: sp.Expr, typed: TypedParts | None) -> str:
    """LaTeX of one factor of a product: bracketed when it binds less tightly than a product
    (a sum, or a term with a minus sign): (1 − 2w2) · sin(w1), not 1 − 2w2 · sin(w1)."""
    text = typed_tex(factor, typed, alone=False)
    if precedence(factor) < PRECEDENCE["Mul"]:
        return rf"\left({text}\right)"
    return text


def board_latex(expr: sp.Expr, result: sp.Expr, sym: sp.Symbol,
                typed: TypedParts | None = None) -> str:
    """LaTeX of ``result`` = ∂``expr``/∂``sym`` in the order the board has it.

    When f is a held constant times a part that varies, the derivative of that part and the
    held constant are written apart, in the order f has them (typed order where ``typed``
    is given: cos(w₁)·w₂(1 − w₂) and sin(w₁)·(1 − 2w₂) for sin(w₁)·w₂·(1 − w₂); without it,
    the varying part first); otherwise sympy's printing.
    """
    whole = printing.latex(result, as_typed=typed.latex if typed is not None else None)
    held, part = expr.as_independent(sym, as_Add=False)
    if held == 1 or held.is_number:
        return whole
    with distribute(False):
        varying = result / held
    if varying.has(held) or not varying.has(sym):
        return whole
    if not (varying.atoms(sp.Function) or held.atoms(sp.Function)):
        # Powers and numbers alone: sympy's own order is the board's (−x/y², 6xy; reordered
        # they read (−1/y²)·x and 2x·3y)
        return whole
    first, second = varying, held
    if typed is not None:
        held_at, part_at = typed.key(held), typed.key(part)
        if held_at is not None and part_at is not None and held_at < part_at:
            first, second = held, varying
    # A factor's minus leads the product, no bracket round it: −2e^{−w1²−w2²}w2 · cos(3w1),
    # not (−2e^{−w1²−w2²}w2) · cos(3w1); −sin(w1) · e^{−w2}, not sin(w1) · (−e^{−w2}) (one
    # typed so, sin(x)·(−y), stays as typed)
    pair = [first, second]
    typed_minus = any(typed is not None and typed.latex(f, False) is not None
                      and f.could_extract_minus_sign() for f in pair)
    negative = False
    for k, factor in enumerate(pair):
        # (not beside a factor typed with its own minus: −(−sin(w1))·sin(w2) for
        # −sin(w1)·cos(w2), a double negative)
        if not typed_minus and factor.could_extract_minus_sign() \
                and precedence(-factor) >= PRECEDENCE["Mul"]:
            pair[k], negative = -factor, not negative
    factors = [_factor_latex(f, typed) for f in pair]
    return ("- " if negative else "") + rf"{factors[0]} \cdot {factors[1]}"
