"""Where a long formula may break onto another line (gdviz.core.latex_terms)."""

from __future__ import annotations

import pytest

from gdviz import parse_loss
from gdviz.core.latex_terms import breakable_terms, top_level_terms
from gdviz.core.regression import DEFAULT_DATA, regression_loss_text

RASTRIGIN = "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)"


def test_a_sum_breaks_before_each_of_its_terms_with_its_sign():
    latex = parse_loss(RASTRIGIN).latex
    terms = top_level_terms(latex)
    assert len(terms) == 5 and terms[0] == "20"
    assert [t[:2] for t in terms[1:]] == ["+ ", "- ", "+ ", "- "]
    assert " ".join(terms) == latex  # (nothing lost)


@pytest.mark.parametrize("latex", [
    r"\frac{a + b}{c - d}",  # (inside a fraction's braces)
    r"\left(a + b\right)^{2}",  # (inside brackets)
    r"e^{- x^{2} - y^{2}}",  # (inside an exponent)
    r"\sin{\left(a - b \right)}",
    r"- x",  # (a leading sign is the first term's)
])
def test_nothing_inside_brackets_braces_or_exponents_breaks(latex):
    assert top_level_terms(latex) == [latex]


def test_a_factor_times_a_long_bracketed_sum_breaks_inside_the_bracket():
    """The regression loss is ⅛(…) of a sum over its data: one term, wider than any panel."""
    latex = parse_loss(regression_loss_text(*DEFAULT_DATA)).latex
    pieces = breakable_terms(latex)
    assert len(pieces) == 8  # (one squared residual a piece)
    assert pieces[0].startswith(r"\frac{1}{8} (") and pieces[-1].endswith(")")
    assert all(p.count(r"\left(") == p.count(r"\right)") for p in pieces)  # (each typesets)
