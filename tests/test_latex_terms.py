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


def test_one_long_product_breaks_between_its_bracketed_factors():
    """The partial of (tanh(3w1) − 0.5)², 6(1 − tanh²(3w1))(tanh(3w1) − 0.5), is one term:
    with nowhere to break, the loss panel shrank it (and f and ∂f/∂w2 with it) to the
    window's text on one line. It breaks between its factors, the second set after a ·."""
    da = parse_loss("(tanh(3*w1) - 0.5)**2 + w2**2").partials_latex[0]
    pieces = breakable_terms(da)
    assert len(pieces) == 2
    assert pieces[0].startswith("6 ") and pieces[1].startswith(r"\cdot \left(\tanh")
    assert all(p.count(r"\left(") == p.count(r"\right)") for p in pieces)  # (each typesets)
    assert " ".join(pieces).replace(r"\cdot ", "") == da  # (nothing lost)


@pytest.mark.parametrize("latex", [
    r"x \left(1 - y\right)",  # (a plain factor before a bracket stays with it)
    r"\frac{1}{8} \left(a + b\right)",
    r"\left(a + b\right)^{2}",
    r"e^{x} \sin{\left(y \right)}",
])
def test_a_product_breaks_only_after_a_bracket(latex):
    assert breakable_terms(latex) == [latex]


def test_a_dot_the_printer_set_is_not_doubled():
    """The printer sets a · after a function's bracket (sin(w1)·w2(1 − w2)): the break
    keeps that one."""
    da = parse_loss("sin(w1)*w2*(1-w2)").partials_latex[0]
    pieces = breakable_terms(da)
    assert len(pieces) == 2 and pieces[1].startswith(r"\cdot w_{2}")
    assert r"\cdot \cdot" not in pieces[1]


def test_the_dot_of_a_broken_product_is_set_without_the_thin_space_after_it():
    """f as typed has a thin space between sin(w1) and w2: after a break the dot sat nearer
    the factor before it."""
    latex = parse_loss("sin(w1)*w2*(1-w2)").latex
    assert r"\," in latex
    pieces = breakable_terms(latex)
    assert pieces[1].startswith(r"\cdot w_{2}") and r"\," not in pieces[1]


def test_a_sign_right_after_equals_is_the_first_term_s():
    """The result "∂f/∂w1 = −2w1·e^… − 3e^…" was broken into "∂f/∂w1 =" alone on its first
    line (from a QA round), and a step's "= −2w1…" into "=" and the rest."""
    assert top_level_terms(r"\frac{\partial f}{\partial w_{1}} = - 2 w_{1} + 3") == \
        [r"\frac{\partial f}{\partial w_{1}} = - 2 w_{1}", "+ 3"]
    assert top_level_terms(r"= - 2 w_{1} - 3") == [r"= - 2 w_{1}", "- 3"]
