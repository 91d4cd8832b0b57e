"""The Chain rule tab's explanations written as on a board (derivation_text.board_text)."""

from __future__ import annotations

import pytest

import gdviz
from gdviz.ui.derivatives.derivation_text import board_text, sentence_text


@pytest.mark.parametrize(("code", "board"), [
    ("The derivative of x^2 is 2*x by the power rule.",
     "The derivative of x² is 2·x by the power rule."),
    ("x^(-2) and x**10", "x⁻² and x¹⁰"),
    ("only w1^(−2) is differentiated", "only w1⁻² is differentiated"),  # (a real minus)
    ("(u/v)' = (u'*v - u*v')/v^2", "(u/v)′ = (u′·v − u·v′)/v²"),
    ("that argument's derivative", "that argument's derivative"),  # an apostrophe stays
    ("only w2*(1 - w2) is differentiated", "only w2·(1 − w2) is differentiated"),
    # a decimal exponent stays whole ("w1².5" read as w1² times .5)
    ("The derivative of w1^2.5 is 2.5*w1^1.5", "The derivative of w1^2.5 is 2.5·w1^1.5"),
    ("w1^0.5 and w1^(2)", "w1^0.5 and w1²"),
    ("(g*h)' = g'*h + g*h'", "(g·h)′ = g′·h + g·h′"),  # (the parts of a loss in u and v)
])
def test_board_text(code, board):
    assert board_text(code) == board


def test_no_code_left_in_the_lecture_s_explanations():
    loss = gdviz.parse_loss("sin(w1)*w2*(1-w2) + sin(w1^2)/w2")
    for variable in loss.variables:
        for step in gdviz.derivative_steps(loss, variable).steps:
            text = board_text(step.explanation)
            assert "*" not in text and "^" not in text, text


@pytest.mark.parametrize(("text", "variable", "clash"), [
    ("sin(u*v)", "v", "the inside u = u·v"), ("sin(g*u)", "u", "the inside g = g·u"),
    ("u*v*(1 - v)", "v", "with u = v and v = 1 − v"),
    ("(u + v)/(u - v)", "v", "with u = u + v and v = u − v"),
])
def test_the_rules_parts_are_not_named_as_a_variable(text, variable, clash):
    """sin(u·v)'s chain rule said "the inside u = u·v", u·v·(1 − v)'s product rule "u = v
    and v = 1 − v": the rules' placeholders took the loss's own variables' names."""
    loss = gdviz.parse_loss(text)
    sentences = [board_text(s.explanation) for s in gdviz.derivative_steps(loss, variable).steps]
    assert not any(clash in s for s in sentences), sentences
    names = set(loss.variables)
    for s in sentences:
        for rule in ("Chain rule", "Product rule", "Quotient rule"):
            if s.startswith(rule):
                part = s.split(" = ")[-2 if rule != "Chain rule" else -1].split()[-1]
                assert part not in names, (s, part)


NBSP = "\u00a0"


def _unbroken(text: str) -> list[str]:
    """The pieces a line may break between (spaces that are not held)."""
    return text.replace("\u2060", "").split(" ")


def test_a_short_formula_in_a_sentence_does_not_break():
    """"the inside u = w1 −" / "1." broke inside the formula; a bracket of prose still may."""
    step = gdviz.derivative_steps(gdviz.parse_loss("(w1-1)^2 + w2^2"), "w1").steps[1]
    pieces = _unbroken(sentence_text(step.explanation))
    assert pieces[-1] == f"u{NBSP}={NBSP}w1{NBSP}−{NBSP}1."
    text = sentence_text("w2 does not depend on w1 (w2 is held constant), so only "
                         "exp(−(w1 − 1)^2) is differentiated.")
    assert f"exp(−(w1{NBSP}−{NBSP}1)²)" in _unbroken(text)
    assert "(w2" in _unbroken(text) and "constant)," in _unbroken(text)


def test_a_sign_before_a_long_term_goes_with_it():
    text = sentence_text("the inside u = 1 + exp(−w1)")
    assert _unbroken(text)[-2:] == [f"u{NBSP}={NBSP}1", f"+{NBSP}exp(−w1)"]


def test_a_long_run_of_short_terms_may_still_break():
    """Nine short terms glued one to the next made one unbreakable run of 41 characters."""
    loss = gdviz.parse_loss("(w1 + w2 + w1^2 + w2^2 + w1^3 + w2^3 + w1^4 + w2^4 + 1)^2")
    step = gdviz.derivative_steps(loss, "w1").steps[0]
    text = sentence_text(step.explanation)
    assert "u = w1" in text.replace(NBSP, " ")
    assert max(len(piece) for piece in _unbroken(text)) <= 20


def test_a_less_than_sign_does_not_hide_the_brackets_after_it():
    text = sentence_text("where u < 0 the derivative of max(u, 0) is 0")
    assert f"max(u,{NBSP}0)" in _unbroken(text)


def test_a_long_part_in_a_sentence_is_cut_between_words():
    """Goldstein–Price's product rule read "… − 14·w…", cut inside a name (from a QA
    round): cut at a space, no sign left dangling before the "…"."""
    from gdviz.core.derivation_sentences import MAX_TEXT, sentence

    said = sentence("(2*w1 - 3*w2)**2*(18 - 32*w1 + 12*w1**2 + 48*w2 - 36*w1*w2 + 27*w2**2)")
    assert said.endswith("48*w2…") and len(said) <= MAX_TEXT
