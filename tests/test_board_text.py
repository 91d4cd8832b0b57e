"""The Chain rule tab's explanations written as on a board (derivation_text.board_text)."""

from __future__ import annotations

import pytest

import gdviz
from gdviz.ui.derivatives.derivation_text import board_text


@pytest.mark.parametrize(("code", "board"), [
    ("The derivative of x^2 is 2*x by the power rule.",
     "The derivative of x² is 2·x by the power rule."),
    ("x^(-2) and x**10", "x⁻² and x¹⁰"),
    ("only w1^(−2) is differentiated", "only w1⁻² is differentiated"),  # (a real minus)
    ("(u/v)' = (u'*v - u*v')/v^2", "(u/v)′ = (u′·v − u·v′)/v²"),
    ("that argument's derivative", "that argument's derivative"),  # an apostrophe stays
    ("only w2*(1 - w2) is differentiated", "only w2·(1 − w2) is differentiated"),
])
def test_board_text(code, board):
    assert board_text(code) == board


def test_no_code_left_in_the_lecture_s_explanations():
    loss = gdviz.parse_loss("sin(w1)*w2*(1-w2) + sin(w1^2)/w2")
    for variable in loss.variables:
        for step in gdviz.derivative_steps(loss, variable).steps:
            text = board_text(step.explanation)
            assert "*" not in text and "^" not in text, text
