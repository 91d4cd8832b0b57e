"""Parts of f and its derivatives written in the typed order (gdviz.core.board_form,
gdviz.core.typed_print.TypedParts): the Chain rule tab and the loss panel write
sin(w1)·w2·(1 − w2) and its partials as the board does, not in sympy's order."""

from __future__ import annotations

import pytest
import sympy as sp
from sympy.core.parameters import distribute

from gdviz import parse_loss
from gdviz.core import printing
from gdviz.core.board_form import board_latex, typed_parts_of, typed_tex, typed_text
from gdviz.core.derivation import derivative_steps
from gdviz.core.typed_parts import TypedParts
from gdviz.core.typed_print import typed_html

w1, w2, x, y = sp.symbols("w1 w2 x y", real=True)
LECTURE = "sin(w1)*w2*(1-w2)"


def test_a_typed_part_prints_as_typed():
    parts = TypedParts(LECTURE)
    assert parts.plain(sp.sin(w1) * w2 * (1 - w2)) == "sin(w1)*w2*(1 - w2)"
    assert parts.latex(1 - w2) == r"1 - w_{2}"
    assert parts.plain(w2 * (1 - w2)) is None  # (not typed on its own: sin(w1)*w2 was)
    assert parts.plain(sp.cos(w1)) is None


def test_factors_are_ordered_where_they_were_typed():
    parts = TypedParts(LECTURE)
    assert parts.factors(w2 * (1 - w2) * sp.sin(w1)) == [sp.sin(w1), w2, 1 - w2]
    # a derived factor where its typed part is: cos(w1) where w1 was
    assert parts.factors(3 * sp.cos(w1) * w2 * (1 - w2)) == [3, sp.cos(w1), w2, 1 - w2]
    # the x after the bracket is the factor, not the one inside it, nor the one in exp(x)
    assert TypedParts("(x+1)*x").factors(x * (x + 1)) == [x + 1, x]
    assert TypedParts("x*(x+1)").factors(x * (x + 1)) == [x, x + 1]
    assert TypedParts("exp(x)*(x+1)*x").factors(x * (x + 1) * sp.exp(x)) == [
        sp.exp(x), x + 1, x]
    # a factor from nothing typed: no order
    assert TypedParts("x*y").factors(x * y * sp.Symbol("z")) is None


def test_terms_of_a_typed_sum_keep_the_typed_order_only():
    parts = TypedParts("(w2 - w1^2)^2 + 1 - w1")
    assert parts.terms(w2 - w1**2) == [w2, -w1**2]
    assert parts.terms((w2 - w1**2) ** 2 + 1 - w1) == [(w2 - w1**2) ** 2, 1, -w1]
    assert parts.terms(1 - 2 * w2) is None  # a derivative's sum: sympy's order


def test_typed_tex_orders_products_and_writes_typed_parts_inside():
    parts = TypedParts("(w2 - w1^2)^2")
    with distribute(False):  # (as the derivation builds it: 2(w2 − w1²), not 2w2 − 2w1²)
        twice = 2 * (w2 - w1**2)
    # inside a derived expression the typed part keeps its typed form ...
    assert typed_tex(twice, parts) == r"2 \left(w_{2} - w_{1}^{2}\right)"
    assert printing.latex(twice) == r"2 \left(- w_{1}^{2} + w_{2}\right)"
    # ... and a product of typed parts is in the typed order
    lecture = TypedParts(LECTURE)
    assert typed_tex(w2 * (1 - w2) * sp.sin(w1), lecture).startswith(r"\sin")
    assert typed_text(w2 * (1 - w2) * sp.sin(w1), lecture) == "sin(w1)*w2*(1 - w2)"
    assert typed_text(-3 * w2 * sp.sin(w1), lecture) == "-3*sin(w1)*w2"
    # without typed parts, sympy's printing
    assert typed_tex(twice, None) == printing.latex(twice)


def test_a_typed_part_inside_a_power_of_a_function_keeps_the_power():
    # sympy prints tan(u)² as tan²(u) through the function's own printer: not replaced
    parts = TypedParts("tan(x^2 + y)")
    tex = printing.latex(2 * x * (sp.tan(x**2 + y) ** 2 + 1), as_typed=parts.latex)
    assert r"\tan^{2}" in tex


def test_board_latex_puts_the_held_factor_where_f_has_it():
    lecture = TypedParts(LECTURE)
    f = sp.sin(w1) * w2 * (1 - w2)
    d1, d2 = sp.cos(w1) * w2 * (1 - w2), sp.sin(w1) * (1 - 2 * w2)
    assert board_latex(f, d1, w1, lecture) == (
        r"\cos{\left(w_{1} \right)} \cdot w_{2} \left(1 - w_{2}\right)")
    assert board_latex(f, d2, w2, lecture) == (
        r"\sin{\left(w_{1} \right)} \cdot \left(1 - 2 w_{2}\right)")
    # typed the other way round, the other way round
    other = TypedParts("w2*(1-w2)*sin(w1)")
    assert board_latex(f, d1, w1, other) == (
        r"w_{2} \left(1 - w_{2}\right) \cdot \cos{\left(w_{1} \right)}")
    assert board_latex(f, d2, w2, other) == (
        r"\left(1 - 2 w_{2}\right) \cdot \sin{\left(w_{1} \right)}")
    # without typed parts, the varying part first (as before)
    assert board_latex(f, d2, w2) == r"\left(1 - 2 w_{2}\right) \cdot \sin{\left(w_{1} \right)}"


def test_factors_made_from_one_typed_part_keep_sympy_order():
    """∂f/∂w1 of sin(w1²)·w2 read 2 cos(w1²) w1 · w2 (both keyed where w1 was typed, the
    longer first), w1 after the cosine's bracket, where sin(x²)'s reads 2x cos(x²)."""
    from gdviz import parse_loss

    assert parse_loss("sin(w1^2)*w2").partials_latex[0] == (
        r"2 w_{1} \cos{\left(w_{1}^{2} \right)} \cdot w_{2}")
    assert parse_loss("sin(x^2)").partials_latex[0] == r"2 x \cos{\left(x^{2} \right)}"
    # (where what it was made from ends: after the typed parts inside it, "2x cos(xy²) y")
    assert parse_loss("sin(x*y**2)*(x+1)").partials_latex[1] == (
        r"2 x y \cos{\left(x y^{2} \right)} \cdot \left(x + 1\right)")
    # typed parts keep the longer first where two start together: (x + 1)·x, not x (x + 1)
    from gdviz.core.derivation import derivative_steps

    step = derivative_steps(parse_loss("(x+1)*y*x"), 0).steps[0]
    assert r"\left[\left(x + 1\right) \, x\right]" in step.after_latex, step.after_latex


def test_unreadable_text_keeps_sympy_order():
    assert typed_parts_of(None) is None and typed_parts_of("") is None
    assert typed_parts_of("sin(") is None


def test_the_chain_rule_steps_write_f_as_typed():
    d = derivative_steps(parse_loss(LECTURE), "w2")
    first = d.steps[0]
    assert first.rule == "constant multiple"
    assert first.before_latex.endswith(
        r"\left[\sin{\left(w_{1} \right)} \, w_{2} \left(1 - w_{2}\right)\right]")
    assert "only w2*(1 − w2) is differentiated" in first.explanation
    d = derivative_steps(parse_loss("(1-x)^2 + 100*(y - x^2)^2"), "x")
    chains = [s for s in d.steps if s.rule == "chain"]
    assert r"2 \left(y - x^{2}\right)" in chains[1].after_latex  # not 2(−x² + y)
    assert "u = y − x^2" in chains[1].explanation
    assert d.latex == r"- 400 x \left(y - x^{2}\right) - 2 \left(1 - x\right)"
    # the sum rule takes the terms in the typed order
    d = derivative_steps(parse_loss("y - x^2 + sin(x)"), "x")
    assert d.steps[0].rule == "sum"
    after = d.steps[0].after_latex
    assert after.index(r"\partial x} y") < after.index("x^{2}") < after.index(r"\sin")


def test_typed_html_writes_the_header_as_typed():
    text = typed_html("sin(w1)*w2*(1-w2) + w1^(2+w2) - pi", lambda n: f"<i>{n}</i>")
    assert text == ("sin(<i>w1</i>)*<i>w2</i>*(1 - <i>w2</i>) + <i>w1</i><sup>2 + <i>w2</i></sup>"
                    " - π")


def test_parts_that_are_not_expressions_have_no_negative():
    # (a Piecewise's (value, condition) pairs are sympy objects without a minus sign)
    parts = TypedParts("x^2")
    assert parts.key(sp.Piecewise((x, x > 0), (0, True))) == (0, -1)


def test_a_sum_that_is_a_number_keeps_its_brackets():
    # (1 + π) was taken for the number in front: cos(x)·π + 1 y, "pi + 1*y does not depend"
    loss = parse_loss("sin(x)*(pi+1)*y")
    assert loss.partials_latex[0] == (
        r"\cos{\left(x \right)} \cdot \left(\pi + 1\right) \, y")
    step = derivative_steps(loss, "x").steps[0]
    assert step.after_latex.startswith(r"\left(\pi + 1\right) \, y")
    assert step.explanation.startswith("(pi + 1)*y does not depend on x")
    assert typed_text(2 * x * (2 + sp.sqrt(2)) * y, TypedParts("y*x*(2+sqrt(2))")) == (
        "2*y*x*(2 + sqrt(2))")


def test_a_part_sympy_works_out_to_a_number_prints_as_that_number():
    # (1 - 0.5) read "1 − 0.5 · ∂/∂x[x²]", and x − x printed for 0
    step = derivative_steps(parse_loss("(1 - 0.5)*x^2 + y^2"), "x").steps[1]
    assert step.after_latex.startswith(r"0.5 \cdot")
    assert "constant factor 1 − 0.5 = 0.5 stays" in step.explanation  # (as typed, worked out)
    parts = TypedParts("(x - x + 2) + 2.0*sin(y)")
    assert parts.plain(sp.Integer(0)) is None and parts.plain(sp.Integer(2)) == "2"
    assert TypedParts("1e-3*x").plain(sp.Float(1e-3)) == "1e-3"  # a typed number, as typed


def test_a_typed_part_looser_than_sympys_form_gets_brackets_in_place():
    # typed x + x for sympy's 2x, and x·x for x²: brackets where sympy's form needed none
    loss = parse_loss("(x + x)*sin(y)")
    assert loss.partials_latex[1] == r"\left(x + x\right) \cdot \cos{\left(y \right)}"
    loss = parse_loss("x*x + y/x")
    parts = typed_parts_of(loss.text)
    assert typed_text(loss.partials[0], parts) == "2*x - y/(x*x)"
    assert loss.partials_latex[0] == r"2 x - \frac{y}{\left(x x\right)}"
    # on its own (a step's ∂/∂[…], a sentence) no brackets
    step = derivative_steps(loss, "x").steps[1]
    assert step.before_latex.endswith(r"\left[x x\right]")
    assert step.explanation == ("x*x simplifies to x^2; the derivative of x*x is 2*x by the "
                                "power rule.")


@pytest.mark.parametrize("text, k, latex", [
    ("sin(1/w1) + w2^2", 0, r"- \frac{\cos{\left(\frac{1}{w_{1}} \right)}}{w_{1}^{2}}"),
    ("tanh(1/w1)*w2", 0, r"- \frac{1 - \tanh^{2}{\left(\frac{1}{w_{1}} \right)}}{w_{1}^{2}}"
                         r" \cdot w_{2}"),
    ("sin(x + x)*y", 1, r"\sin{\left(x + x \right)}")])
def test_a_typed_part_alone_in_a_function_s_brackets_gets_none_of_its_own(text, k, latex):
    """∂/∂w1 of sin(1/w1) read −cos((1/w1))/w1²: the typed 1/w1 (sympy's w1⁻¹, a power)
    was bracketed as a factor is, inside the cosine's own brackets."""
    loss = parse_loss(text)
    assert loss.partials_latex[k] == latex
    assert r"\left(\left(" not in loss.partials_latex[k]
    assert "((" not in typed_text(loss.partials[k], typed_parts_of(loss.text))


@pytest.mark.parametrize("text, k, latex", [
    # (−2e^{−w1²−w2²}w2) · cos(3w1) had a bracket the minus did not need (from a QA round)
    ("exp(-w1**2-w2**2)*cos(3*w1)", 1,
     r"- 2 e^{- w_{1}^{2} - w_{2}^{2}} w_{2} \cdot \cos{\left(3 w_{1} \right)}"),
    ("cos(w1)*exp(-w2)", 1, r"- \cos{\left(w_{1} \right)} \cdot e^{- w_{2}}"),
    ("-sin(w1)*w2*(1-w2)", 0, r"- \cos{\left(w_{1} \right)} \cdot w_{2} \left(1 - w_{2}\right)"),
    # (not beside a factor typed with its minus: it read −(−sin(w1))·sin(w2))
    ("-sin(w1)*cos(w2)", 1,
     r"\left(- \sin{\left(w_{1} \right)}\right) \cdot \left(- \sin{\left(w_{2} \right)}\right)"),
])
def test_a_factor_s_minus_leads_the_product(text, k, latex):
    assert parse_loss(text).partials_latex[k] == latex
