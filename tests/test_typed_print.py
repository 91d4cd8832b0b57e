"""f printed as it was typed (gdviz.core.typed_print), not in sympy's order."""

from __future__ import annotations

import pytest
import sympy as sp

from gdviz import parse_loss
from gdviz.core.presets import load_presets
from gdviz.core.typed_print import typed_latex, typed_plain

TEXTS = [
    "sin(w1)*w2*(1-w2)", "(w2 - w1^2)^2", "1e-8*(w1^2+w2^2)", "x^2 + 3y^2", "2x", "1/2x",
    "x/(y*x+1)", "-x^2", "(-x)^2", "x - (y - 1)", "x + (-y)", "x - -y", "sin(x)^2 + cos(y)^2",
    "abs(x)^2", "sqrt(x^2+y^2)", "sqrt(x)^2", "exp(x)^2", "e^(x*y)", "max(x, y)",
    "min(x^2, y)^2", "2*3*x", "x*2", "2.5e-9*x", "x*2.5e-9", "(2.5e-9)^x", "y^(2.5e-9)",
    "log(x)", "ln(x)^2", "arcsin(x/2) + atan(y)", "(x+1)*(x-1)", "x*(y*x)", "x^y^2",
    "(x^y)^2", "-x*y", "-(x+y)", "x*(y/3)", "x/y/2", "x/(y/2)", "-x/y", "-x/y*x", "y*(-x/y)",
    "0.5*x^2", "2.0*x", "x^-2", "x²+y²", "+x", "3", "x*-y", "(x*y)^2", "x/2^y", "pi*x - e",
    "x/(2.5e-9)", "-(-x)", "(x - y)/(x + y)", "2^x^y", "10^(x/2) + y", "sin(x)^-1",
    "tan(y)^(-2) + x", "1e5*x + 1.5e3*y^2", "ln(x) + arcsin(y)", "arctan(x)^2 + y",
    "x^1e2",
]


@pytest.mark.parametrize("text", TEXTS + [p.loss for p in load_presets()])
def test_the_typed_form_reads_back_as_the_same_loss(text):
    loss = parse_loss(text)
    back = parse_loss(typed_plain(text), loss.variables)
    assert back.expr == loss.expr or sp.simplify(back.expr - loss.expr) == 0, typed_plain(text)
    assert typed_plain(typed_plain(text)) == typed_plain(text)  # (a fixed point)


def test_terms_and_factors_keep_the_typed_order():
    assert typed_latex("sin(w1)*w2*(1-w2)") == \
        r"\sin{\left(w_{1} \right)} \, w_{2} \left(1 - w_{2}\right)"  # (sympy: w₂(1 − w₂)sin w₁)
    assert typed_latex("(w2 - w1^2)^2") == r"\left(w_{2} - w_{1}^{2}\right)^{2}"
    # a number in front of a sum is not distributed over it
    assert typed_latex("1e-8*(w1^2+w2^2)") == r"10^{-8} \left(w_{1}^{2} + w_{2}^{2}\right)"
    assert typed_plain("1e-8*(w1^2+w2^2)") == "1e-8*(w1**2 + w2**2)"


@pytest.mark.parametrize("text, latex", [
    ("1/2x", r"\frac{1}{2} x"),  # (how 1/2x is read is shown: ½·x)
    ("2*3*x", r"2 \cdot 3 x"), ("x*2", r"x \cdot 2"), ("2*(x/3)", r"2 \cdot \frac{x}{3}"),
    ("-x/y", r"- \frac{x}{y}"), ("x*-y", r"x \left(- y\right)"),
    ("x - -y", r"x - \left(- y\right)"), ("sin(x)^2", r"\sin^{2}{\left(x \right)}"),
    # (sin⁻¹(x) would read as arcsin)
    ("sin(x)^-1", r"\left(\sin{\left(x \right)}\right)^{- 1}"),
    ("cos(y)^(x)", r"\left(\cos{\left(y \right)}\right)^{x}"),
    ("(2.5e-9)^x", r"\left(2.5 \cdot 10^{-9}\right)^{x}"),
    ("x^y^2", "x^{y^{2}}"), ("(x^y)^2", r"\left(x^{y}\right)^{2}"), ("e^(x*y)", "e^{x y}"),
    ("max(x, y)", r"\max\left(x, y\right)"), ("abs(x)^2", r"\left|{x}\right|^{2}"),
    ("arcsin(x)", r"\arcsin{\left(x \right)}"), ("2x² + 3y", r"2 x^{2} + 3 y"),
    # as typed: e-notation (1e5 read 100000.0), ln and arcsin (read log, asin)
    ("1e5*x", r"10^{5} x"), ("1.5E3*x", r"1.5 \cdot 10^{3} x"), ("ln(x)", r"\ln{\left(x \right)}"),
    ("asin(x)", r"\operatorname{asin}{\left(x \right)}"),
])
def test_brackets_dots_and_functions(text, latex):
    assert typed_latex(text) == latex


def test_the_loss_prints_f_as_typed_and_marks_a_variable():
    loss = parse_loss("sin(w1)*w2*(1-w2)")
    assert loss.latex == typed_latex(loss.text)
    assert loss.plain == "sin(w1)*w2*(1 - w2)"
    w2 = loss.symbols[1]
    assert loss.latex_with({w2: r"\mathbf{w_{2}}"}) == \
        r"\sin{\left(w_{1} \right)} \, \mathbf{w_{2}} \left(1 - \mathbf{w_{2}}\right)"
    # the partials keep sympy's (board) form
    assert loss.partials_plain[1] == "(1 - 2*w2)*sin(w1)"


@pytest.mark.parametrize("text, latex", [
    ("exp(-1/w1^2) + w2^2", r"\exp{\left(- \frac{1}{w_{1}^{2}} \right)} + w_{2}^{2}"),
    ("e^(-x^2/2)*y", r"\exp{\left(- \frac{x^{2}}{2} \right)} \, y"),
    ("exp(w1) + w2", r"e^{w_{1}} + w_{2}"),  # (no fraction: raised, as before)
    ("exp(-1/w1^2)^2 + w2", r"\exp{\left(- \frac{1}{w_{1}^{2}} \right)}^{2} + w_{2}"),
])
def test_an_exponent_with_a_fraction_is_written_exp(text, latex):
    """e^{−1/w1²} set the fraction in a raised exponent at a quarter of the type, 7 pixels of
    24 on a projector: exp(−1/w1²), as books write it; the derivatives too."""
    from gdviz.core.printing import latex as sympy_latex

    assert typed_latex(text) == latex
    loss = parse_loss(text)
    w1 = sp.Symbol("w1")
    assert sympy_latex(sp.exp(-1 / w1**2)) == r"\exp{\left(- \frac{1}{w_{1}^{2}} \right)}"
    assert sympy_latex(sp.exp(w1)) == "e^{w_{1}}"
    if "frac" in latex:
        assert r"\exp{\left(" in "".join(loss.partials_latex)
