"""The last line of a derivation on the board: every ∂/∂ piece of the first step replaced by
what the steps below worked it out to be (sin(x²) → cos(x²)·(2x)), before it is tidied into
the result (2x·cos(x²)). Without it the steps ended on "∂/∂x[x²] = 2x" and the result box
jumped to "2x cos(x²)": the substitution itself, the point of the chain rule, was never shown.
"""

from __future__ import annotations

import re

from gdviz.core.derivation_rules import Step

# (it read "Together: each ∂/∂ part of the first line replaced by what the lines below work
# it out to be", its tag said twice and no verb: from a QA round)
EXPLANATION = ("Put it together: the first line again, with each ∂/∂ in it replaced by "
               "what it was worked out to be below.")


def together_step(steps: tuple[Step, ...]) -> Step | None:
    """The "together" step of ``steps`` (top-down, each child right after its parent one
    level deeper), or None where the first step has no ∂/∂ parts worked out below it, or a
    part cannot be found in its parent's line (then nothing is claimed).

    Examples
    --------
    >>> from gdviz import parse_loss
    >>> from gdviz.core.derivation import derivative_steps
    >>> together_step(derivative_steps(parse_loss("sin(x^2)"), "x").steps).after_latex
    '\\\\cos{\\\\left(x^{2} \\\\right)} \\\\, \\\\left(2 x\\\\right)'
    """
    if len(steps) < 2 or steps[1].depth <= steps[0].depth:
        return None
    finals: list[str] = [""] * len(steps)
    for i in reversed(range(len(steps))):
        text, depth = steps[i].after_latex, steps[i].depth
        j = i + 1
        while j < len(steps) and steps[j].depth > depth:
            if steps[j].depth == depth + 1:
                part, worked = steps[j].before_latex, finals[j]
                bracketed = rf"\left({part}\right)"
                if bracketed in text:  # (a factor the product rule had bracketed)
                    text = text.replace(bracketed, rf"\left({worked}\right)", 1)
                elif part in text:
                    at = text.index(part)
                    term = _stands_alone(text[:at], text[at + len(part):])
                    first = term and not text[:at].strip()  # (a sign may lead there)
                    text = (text[:at] + _grouped(worked, term, first)
                            + text[at + len(part):])
                else:
                    return None
            j += 1
        finals[i] = text
    # (a leading "−∂/∂w1[2]" worked out to "−0": "−0 − 1" read as a sign left over)
    together = re.sub(r"^-\s*0(?=\s*[-+]|\s*$)", "0", finals[0])
    return Step("together", steps[0].before_latex, together, EXPLANATION, 0, "")


def _stands_alone(before: str, after: str) -> bool:
    """Whether a part between ``before`` and ``after`` is a whole term of a sum (or all
    there is, or a whole numerator or denominator): a product may go there unbracketed."""
    left, right = before.rstrip(), after.lstrip()
    return ((not left or left.endswith(("+", "{"))) and
            (not right or right.startswith(("+", "-", "}"))))


def _grouped(latex: str, term: bool = False, first: bool = False) -> str:
    """``latex`` in brackets where it is more than one factor or signed ("2 x", "−sin x",
    "x + 1"), as it goes in the place of a ∂/∂ part; where the part was a whole term
    (``term``), only a sum or a signed value is ("2x + 3·1", not "(2x) + (3·1)"), and the
    first term keeps its sign."""
    text = latex.strip()
    if term and (first or not text.startswith("-")):
        signed = text.startswith("-")  # (first: its own sign leads the line)
        alone = not _has_top_level(text[1:] if signed else text, "+-")
    else:
        alone = not _has_top_level(text, " +-,", (r"\cdot",))
    return text if alone else rf"\left({text}\right)"


def _has_top_level(text: str, signs: str, words: tuple[str, ...] = ()) -> bool:
    """Whether ``text`` has one of ``signs`` (or ``words``) outside every bracket and brace."""
    depth, k = 0, 0
    while k < len(text):
        if text.startswith(r"\left", k):
            depth, k = depth + 1, k + 5
            continue
        if text.startswith(r"\right", k):
            depth, k = depth - 1, k + 6
            continue
        depth += {"{": 1, "}": -1}.get(text[k], 0)
        if depth == 0 and (text[k] in signs or text.startswith(words, k)):
            return True
        k += 1
    return False
