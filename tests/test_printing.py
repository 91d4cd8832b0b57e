"""Formulas printed for people: numbers outside 10⁻⁴…10⁷ in short scientific notation."""

from __future__ import annotations

import pytest
import sympy as sp

from gdviz import parse_loss
from gdviz.core import printing
from gdviz.core.derivation import derivative_steps

x, y = sp.symbols("x y")


@pytest.mark.parametrize(("value", "plain", "latex"), [
    (1e12, "1e12", "10^{12}"),
    (-3e8, "-3e8", r"- 3 \cdot 10^{8}"),  # (sympy's spacing of a leading minus)
    (2.5e-9, "2.5e-9", r"2.5 \cdot 10^{-9}"),
    (1e-20, "1e-20", "10^{-20}"),
    (0.1, "0.1", "0.1"),
    (0.00012, "0.00012", "0.00012"),
    (123456.5, "123456.5", "123456.5"),
    (123456.0, "123456", "123456"),  # (a whole float as a person writes it: not 123456.0)
])
def test_numbers(value, plain, latex):
    term = sp.Float(value) * x
    assert printing.plain(term) == f"{plain}*x"
    assert printing.latex(term) == f"{latex} x"
    # on its own as inside a term (sympy's sstr wrote 0.100000000000000)
    assert printing.plain(sp.Float(value)) == plain
    for odd in (sp.Float("1e400"), sp.Float("-inf")):  # not a float64's
        assert printing.plain(odd) == sp.sstr(odd, full_prec=False)
        assert printing.latex(odd) == sp.latex(odd)
    assert printing.plain(sp.Float(0.0)) == printing.latex(sp.Float(0.0)) == "0"


def test_expressions_print_as_sympy_does_but_for_their_numbers():
    e = sp.Float(1e12) * x**2 + sp.Float(0.5) * x * y - sp.Float(2e-7) / (y + 1)
    assert printing.plain(e) == sp.sstr(e).replace("1000000000000.0", "1e12") \
        .replace("2.0e-7", "2e-7")
    assert printing.latex(e) == sp.latex(e).replace("1000000000000.0", "10^{12}") \
        .replace(r"2.0 \cdot 10^{-7}", r"2 \cdot 10^{-7}")
    assert printing.plain(x**2 + 1) == sp.sstr(x**2 + 1)  # no numbers: as sympy prints it
    # settings pass through (the held variable in bold on the board)
    assert r"\mathbf{x}" in printing.latex(x + y, symbol_names={x: r"\mathbf{x}"})


def test_a_loss_its_gradient_and_its_derivation_read_1e12_not_its_thirteen_digits():
    loss = parse_loss("1e12*x^2 + 2.5e-9*y")
    assert loss.plain == "1e12*x**2 + 2.5e-9*y"
    assert loss.partials_plain == ("2e12*x", "2.5e-9")
    assert loss.latex == r"10^{12} x^{2} + 2.5 \cdot 10^{-9} y"
    assert loss.partials_latex[0] == r"2 \cdot 10^{12} x"
    steps = derivative_steps(loss, 0)
    text = " ".join(s.after_latex + s.explanation for s in steps.steps) + steps.latex
    assert "000000" not in text and "10^{12}" in text and "1e12" in text


def test_abs_max_and_min_print_as_they_are_typed():
    e = sp.Abs(x) + sp.Max(x, y) - sp.Min(x, y)
    text = printing.plain(e)
    assert "abs(x)" in text and "max(x, y)" in text and "min(x, y)" in text
    assert "Abs" not in text and "Max" not in text


def test_derivation_sentences_use_a_real_minus_sign():
    steps = derivative_steps(parse_loss("exp(-x^2 - y^2)"), 0)
    sentences = " ".join(s.explanation for s in steps.steps)
    assert "−x^2 − y^2" in sentences and "-x" not in sentences


def test_a_number_in_scientific_notation_gets_brackets_as_a_power_base_or_exponent():
    # "2.5e-9**x" parses back right but reads 2.5e-(9**x); {10^{12}}^{x} reads 10^(12^x)
    loss = parse_loss("(2.5e-9)^x + y^(2.5e-9) + (1e12)^y")
    assert "(2.5e-9)**x" in loss.plain and "y**(2.5e-9)" in loss.plain
    assert "(1e12)**y" in loss.plain
    assert r"\left(2.5 \cdot 10^{-9}\right)^{x}" in loss.latex
    assert r"\left(10^{12}\right)^{y}" in loss.latex
    assert parse_loss(loss.plain).plain == loss.plain  # still reads back the same
    # numbers in fixed notation print as sympy prints them
    assert printing.plain(sp.Float(0.5) ** x) == "0.5**x"
    assert printing.latex(sp.Float(0.5) ** x) == sp.latex(sp.Float(0.5) ** x)


def test_the_chain_rule_sentences_write_numbers_as_typed():
    """"The constant factor 0.260000000000000 stays in front" (Matyas), "1.50000000000000 is a
    constant" (Beale): a number on its own printed with sympy's fifteen digits."""
    text = " ".join(s.explanation for v in (0, 1) for s in derivative_steps(
        parse_loss("0.26*(x^2 + y^2) - 0.48*x*y + (1.5 - x)^2 + exp(x) + 1e-3"), v).steps)
    assert "factor 0.26 stays" in text and "1.5 is a constant" in text
    # (1e-3 as typed, not 0.001)
    assert "1e−3 is a constant" in text and "00000" not in text
    assert parse_loss("0.5*x + 1.5*y").partials_plain == ("0.5", "1.5")


def test_max_and_min_derivatives_read_step_not_theta():
    """sympy writes Heaviside(u) and θ(u): a symbol students have not met."""
    loss = parse_loss("max(x, y) + min(x, y^2)")
    for text in (*loss.partials_plain, *loss.partials_latex):
        assert "step" in text and "Heaviside" not in text and "theta" not in text
    assert printing.latex(sp.Heaviside(x) ** 2) == r"\operatorname{step}\left(x\right)^{2}"
    steps = derivative_steps(loss, 0)
    text = " ".join(s.explanation for s in steps.steps)
    assert "step(u) is 1 where u > 0 and 0 where u < 0" in text and "Heaviside" not in text


def test_a_number_made_by_arithmetic_shows_six_digits_in_formulas():
    """The regression loss's ∂f/∂w1 with 9 points read "−0.288888888888889(−1.3w1 + …)" on
    the projector: 2·1.3/9, made by differentiating, not typed by anyone."""
    from gdviz import parse_loss
    from gdviz.core.regression import DEFAULT_DATA, regression_loss_text

    xs, ys = DEFAULT_DATA
    loss = parse_loss(regression_loss_text([*xs, 1.3], [*ys, 0.7]))
    da = loss.partials_latex[0]
    assert "0.288889" in da and "0.28888888" not in da
    assert "0.45" in da and "1.06" in da  # (the data's own numbers as they are)
    # A number typed with many digits keeps them in f as typed
    typed = parse_loss("0.28888888888*x^2 + y")
    assert "0.28888888888" in typed.latex


def test_a_long_numerator_is_written_as_a_factor_in_front():
    """mathtext sets a numerator in small type: the regression loss's sum over its data (f)
    and −(−2w1 + w2 + 0.45)/2 in its ∂f/∂w1 were unreadable in the loss panel."""
    from gdviz import parse_loss
    from gdviz.core.regression import DEFAULT_DATA, regression_loss_text

    loss = parse_loss(regression_loss_text(*DEFAULT_DATA))
    assert loss.latex.startswith(r"\frac{1}{8} \left(\left(- 2 w_{1}")
    assert loss.partials_latex[0].startswith(r"- \frac{1}{2} \left(- 2 w_{1} + w_{2} + 0.45")
    # a short one stays a fraction, as typed
    assert parse_loss("(x^2 + y^2)/2").latex == r"\frac{x^{2} + y^{2}}{2}"
    assert parse_loss("x/(1 + x^2 + y^2)").latex == r"\frac{x}{1 + x^{2} + y^{2}}"
    assert parse_loss("-(x + y + 1 + x*y)/2").latex == r"- \frac{1}{2} \left(x + y + 1 + x y\right)"


def test_whole_numbers_made_by_arithmetic_read_as_integers():
    """∂f/∂x of 1e5·x + y read 100000.0, of 2.0·x² "4.0 x" and of 0.5·y² "1.0 y"."""
    from gdviz import parse_loss

    assert parse_loss("1e5*x + y").partials_latex == ("100000", "1")
    assert parse_loss("2.0*x^2 + 3*y").partials_plain == ("4*x", "3")
    assert parse_loss("x^2/2 + 0.5*y^2").partials_latex == ("x", "y")
    assert parse_loss("2.0*x^2 + 3*y").latex.startswith("2.0 x^{2}")  # (f as typed)


def test_a_float_rounded_into_scientific_form_keeps_a_power_s_brackets():
    """9999999.99999999 prints 1e7 once rounded; the brackets were decided on the value
    unrounded: 1e7**x, read as 1e(7**x)."""
    x = sp.Symbol("x")
    assert printing.plain(sp.Float(9999999.99999999) ** x) == "(1e7)**x"
    assert printing.plain(sp.Float(0.0000999999999999) ** x) == "0.0001**x"
    assert printing.plain(sp.Float(2.5e-9) ** x) == "(2.5e-9)**x"  # (as before)


@pytest.mark.parametrize("text", ["e*x^2 + y", "x*exp(y) + e^2*y"])
def test_plain_partials_write_euler_s_number_as_typed(text):
    """The plain partials printed Euler's number E, a reserved name to the parser."""
    import numpy as np

    loss = parse_loss(text)
    for plain, exact in zip(loss.partials_plain, loss.gradient(0.3, 0.7), strict=True):
        assert "E" not in plain
        again = parse_loss(plain, loss.variables)
        assert np.allclose(again.value(0.3, 0.7), exact), (plain, exact)


def test_a_min_of_three_is_written_as_min_takes_it():
    """sympy gathers min(x, min(tan(1), π·y)) into one min of three, which a loss refuses
    ("min() takes two arguments"): written as nested pairs."""
    import sympy as sp

    from gdviz.core.printing import PlainPrinter

    x, y = sp.symbols("x y", real=True)
    for f, name in ((sp.Min, "min"), (sp.Max, "max")):
        expr = f(x, sp.tan(1), sp.pi * y)
        assert len(expr.args) == 3
        text = PlainPrinter().doprint(expr)
        assert text.count(f"{name}(") == 2, text
        assert sp.simplify(parse_loss(text, ("x", "y")).expr - expr) == 0


def test_a_million_typed_in_e_notation_stays_short_in_every_step():
    """1e6·(x² + y²): the header wrote 10⁶, the sum rule's terms 1000000x², the result
    2000000x (numbers were written out below 10⁷)."""
    from gdviz import derivative_steps

    loss = parse_loss("1e6*(x^2 + y^2)")
    assert loss.partials_plain == ("2e6*x", "2e6*y")
    steps = derivative_steps(loss, "x")
    text = " ".join(s.before_latex + s.after_latex for s in steps.steps) + steps.latex
    assert "1000000" not in text and "2000000" not in text, text
    assert r"10^{6} x^{2}" in text


@pytest.mark.parametrize("text, latex", [
    # (a fraction stacked in a raised exponent was 5 pixels tall in the loss panel)
    ("x^(1/3) + y^2", r"x^{1/3} + y^{2}"),
    ("x^(-1/2)*y", r"x^{-1/2} y"),
    ("(x^2 + y^2)^(3/2)", r"\left(x^{2} + y^{2}\right)^{3/2}"),
    ("2^(x/2) + y", r"2^{x/2} + y"),
])
def test_a_fraction_in_an_exponent_is_written_on_one_line(text, latex):
    loss = parse_loss(text)
    assert loss.latex == latex
    assert r"^{\frac" not in "".join(loss.partials_latex)
