"""The loss parser: what students may type, how it is read, and the errors they get."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

import gdviz
from gdviz import LossError, parse_loss

x, y = sp.symbols("x y", real=True)
w1, w2 = sp.symbols("w1 w2", real=True)


def same(text: str, expected: sp.Expr) -> None:
    """The parsed expression equals ``expected`` (structurally, else symbolically)."""
    got = parse_loss(text).expr
    assert got == expected or sp.simplify(got - expected) == 0, (text, got, expected)


def test_loss_error_is_a_value_error_exported_from_the_package():
    assert issubclass(LossError, ValueError)
    assert gdviz.LossError is LossError
    assert gdviz.parse_loss is parse_loss
    with pytest.raises(ValueError):
        parse_loss("sinn(x)")


# -- numbers and operators ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("2", 2.0), ("0.5", 0.5), ("1e-3", 1e-3), (".5", 0.5), ("2.", 2.0), ("1E2", 100.0),
     ("2.5e+1", 25.0), ("-3", -3.0), ("--3", 3.0), ("+4", 4.0)],
)
def test_numbers(text, value):
    loss = parse_loss(text)
    assert float(loss.value(0.3, -0.7)) == pytest.approx(value, rel=1e-15)
    assert loss.expr.is_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x + y", x + y),
        ("x - y", x - y),
        ("x * y", x * y),
        ("x / y", x / y),
        ("x ** 2", x**2),
        ("x ^ 2", x**2),
        ("x^2 + y^2", x**2 + y**2),
        ("2^3^2 * x", 512 * x),  # right-associative like ** (2^9, not 8^2)
        ("-x", -x),
        ("-x^2", -(x**2)),  # unary minus binds looser than the power
        ("(-x)^2", x**2),
        ("x^-1", 1 / x),
        ("x*-y", -x * y),
        ("-(x + y)", -x - y),
        ("((x))", x),
        ("(x + 1) * (y - 2)", (x + 1) * (y - 2)),
        ("x - y - 1", x - y - 1),  # left-associative
        ("x / y / 2", x / y / 2),
        ("x^2 +\ny^2", x**2 + y**2),  # a line break beside an operator is only a space
        ("x^2\r\n- 2*y", x**2 - 2 * y),
    ],
)
def test_operators_and_parentheses(text, expected):
    same(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2x", 2 * x),
        ("2 x", 2 * x),
        ("3 w1", 3 * w1),
        ("3w1 + w2", 3 * w1 + w2),
        ("2(x+1)", 2 * (x + 1)),
        ("(x+1)(x-1)", (x + 1) * (x - 1)),
        ("(x+1)y", (x + 1) * y),
        ("(x+1)2", 2 * (x + 1)),
        ("2x^2", 2 * x**2),  # the power binds first: 2·x², not (2x)²
        ("0.5x y", None),  # two names side by side stay an error (see test below)
    ],
)
def test_implicit_products(text, expected):
    if expected is None:
        with pytest.raises(LossError, match="missing operator"):
            parse_loss(text)
    else:
        same(text, expected)


def test_constants_pi_and_e():
    assert float(parse_loss("pi").value(0, 0)) == pytest.approx(math.pi, rel=1e-15)
    assert float(parse_loss("e").value(0, 0)) == pytest.approx(math.e, rel=1e-15)
    assert parse_loss("e^x").expr == sp.exp(x)
    assert parse_loss("e**x").expr == parse_loss("exp(x)").expr == sp.exp(x)
    assert parse_loss("e^(x+y)").expr == sp.exp(x + y)
    same("2pi*x", 2 * sp.pi * x)
    with pytest.raises(LossError, match="'pi' is a constant, not a function at character 2"):
        parse_loss("2pi(x+1)")
    same("pi*x^2", sp.pi * x**2)


FUNCTION_CASES = [
    ("sin", math.sin, 0.3), ("cos", math.cos, 0.3), ("tan", math.tan, 0.3),
    ("asin", math.asin, 0.3), ("acos", math.acos, 0.3), ("atan", math.atan, 0.3),
    ("sinh", math.sinh, 0.3), ("cosh", math.cosh, 0.3), ("tanh", math.tanh, 0.3),
    ("exp", math.exp, 0.3), ("log", math.log, 0.3), ("ln", math.log, 0.3),
    ("sqrt", math.sqrt, 0.3), ("abs", abs, -0.3),
]  # fmt: skip


@pytest.mark.parametrize(("name", "reference", "point"), FUNCTION_CASES)
def test_every_one_argument_function(name, reference, point):
    loss = parse_loss(f"{name}(x) + y")
    assert loss.variables == ("x", "y")
    assert float(loss.value(point, 2.0)) == pytest.approx(reference(point) + 2.0, rel=1e-14)
    with pytest.raises(LossError, match="takes one argument"):
        parse_loss(f"{name}(x, y)")


def test_max_and_min_take_two_arguments():
    loss = parse_loss("max(x, y) + min(x, 2)")
    assert float(loss.value(1.0, 3.0)) == 3.0 + 1.0
    assert float(loss.value(5.0, -1.0)) == 5.0 + 2.0
    assert loss.expr == sp.Max(x, y) + sp.Min(x, 2)
    for bad in ("max(x)", "min(x, y, 1)"):
        with pytest.raises(LossError, match="takes two arguments"):
            parse_loss(bad)


def test_ln_is_log():
    assert parse_loss("ln(x)").expr == parse_loss("log(x)").expr == sp.log(x)


# -- unicode -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x \u2212 y", x - y),  # unicode minus
        ("x × y", x * y),
        ("x · y", x * y),
        ("x ÷ y", x / y),
        ("x² + y³", x**2 + y**3),
        ("2x²", 2 * x**2),
        ("x⁻¹", 1 / x),
        ("ｘ + ｙ", x + y),  # full-width letters
        ("ｓｉｎ(ｘ)", sp.sin(x)),
        ("π·x", sp.pi * x),
        ("2πx", 2 * sp.pi * x),  # not 2 times a variable 'pix'
        ("xπ + π(y+1)", sp.pi * x + sp.pi * (y + 1)),
        ("π²", sp.pi**2),
        ("√x", sp.sqrt(x)),
        ("x√y", x * sp.sqrt(y)),
        ("√(x+1)", sp.sqrt(x + 1)),
        ("√sin(x) + y", sp.sqrt(sp.sin(x)) + y),
        ("√x²", x),  # sqrt(x)**2
        ("√π", sp.sqrt(sp.pi)),  # (π after the root sign was refused as a letter)
        ("2√πx", 2 * sp.sqrt(sp.pi) * x),  # as √2x is sqrt(2)·x
        ("√π(x+1)", sp.sqrt(sp.pi) * (x + 1)),
        # (a root of a root, of a negated operand: "'sqrt' is a function: write sqrt(...)")
        ("√√x + y", x**sp.Rational(1, 4) + y),
        ("√√√x + y", x**sp.Rational(1, 8) + y),
        ("√√sin(x) + y", sp.sin(x)**sp.Rational(1, 4) + y),
        ("√-x + y", sp.sqrt(-x) + y),
        ("√ −sin(x)·y", sp.sqrt(-sp.sin(x)) * y),
        ("√sin(x)·√cos(y)", sp.sqrt(sp.sin(x)) * sp.sqrt(sp.cos(y))),
        ("√−(x + 1) + y", sp.sqrt(-x - 1) + y),
        ("√−√x + y", sp.sqrt(-sp.sqrt(x)) + y),
        ("√\u00a0√x + y", x**sp.Rational(1, 4) + y),  # (a no-break space between)
        ("x\u00a0+\u2003y", x + y),  # no-break and em spaces
    ],
)
def test_unicode_normalisation(text, expected):
    same(text, expected)


@pytest.mark.parametrize("text, at", [("√", 0), ("√√", 1), ("x + √", 4), ("2*√ − ", 2)])
def test_a_root_sign_with_nothing_after_it_says_so(text, at):
    """"√√" said "expected ')' at character 3 to close the '(' at character 1", a bracket
    nobody typed; "x + √" that "'sqrt' is a function"."""
    with pytest.raises(LossError, match="^the loss ends after '√' at character") as err:
        parse_loss(text)
    assert err.value.position == at


def test_root_sign_never_merges_into_a_name():
    # Before the fix '√x' became the single variable 'sqrtx' and '√2' the variable 'sqrt2'.
    for text in ("√x", "√2 + x", "2√x", "x√y", "√x2"):
        loss = parse_loss(text)
        assert not any(v.startswith("sqrt") for v in loss.variables), (text, loss.variables)
        assert any(p.exp == sp.Rational(1, 2) for p in loss.expr.atoms(sp.Pow)), text


# -- variables ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "variables"),
    [
        ("y + x", ("x", "y")),
        ("y*x", ("x", "y")),
        ("w2 + w1", ("w1", "w2")),
        ("theta1 * theta0", ("theta0", "theta1")),
        ("w10 + w2", ("w2", "w10")),  # natural order, not string order
        ("b - a", ("a", "b")),
        ("sin(w1)*w2*(1-w2)", ("w1", "w2")),
    ],
)
def test_variables_come_in_natural_order(text, variables):
    assert parse_loss(text).variables == variables


@pytest.mark.parametrize(
    ("text", "variables"),
    [
        ("x^2", ("x", "y")),
        ("y^2", ("x", "y")),
        ("sin(w1)", ("w1", "w2")),
        ("w2^2", ("w1", "w2")),
        ("3", ("x", "y")),  # a constant still has two variables
    ],
)
def test_one_variable_gets_a_partner(text, variables):
    loss = parse_loss(text)
    assert loss.variables == variables
    assert len(loss.symbols) == 2
    assert np.shape(loss.value(np.zeros(3), np.ones(3))) == (3,)


def test_partner_variable_is_constant_in_its_direction():
    loss = parse_loss("y^2")
    assert loss.variables == ("x", "y")
    # y is the *second* argument even though it is the only one typed
    assert float(loss.value(100.0, 3.0)) == 9.0
    da, db = loss.gradient(100.0, 3.0)
    assert float(da) == 0.0 and float(db) == 6.0


def test_explicit_variables_fix_the_order():
    loss = parse_loss("x - 2y", variables=("y", "x"))
    assert loss.variables == ("y", "x")
    assert float(loss.value(1.0, 10.0)) == 10.0 - 2.0
    loss = parse_loss("a", variables=("a", "b"))
    assert loss.variables == ("a", "b")
    assert parse_loss("x", variables=["x", "z"]).variables == ("x", "z")


def test_explicit_variables_are_checked():
    with pytest.raises(LossError, match="unknown variable 'z' at character 5"):
        parse_loss("x + z", variables=("x", "y"))
    with pytest.raises(LossError, match="two different names"):
        parse_loss("x", variables=("x", "x"))
    with pytest.raises(LossError, match="two different names"):
        parse_loss("x", variables=("x", "y", "z"))
    for bad in ("sin", "pi", "__import__", "a b", "numpy.sin", ""):
        with pytest.raises(LossError):
            parse_loss("x", variables=("x", bad))


def test_three_variables_is_an_error():
    with pytest.raises(LossError, match="too many variables") as info:
        parse_loss("x + y + z")
    assert info.value.position == 8
    assert "at character 9" in str(info.value)
    with pytest.raises(LossError, match="too many variables"):
        parse_loss("w1*w2*w3")


def test_variable_named_like_a_module_still_evaluates():
    # The compiled code once named its arguments after the variables, so a variable called
    # 'numpy' shadowed the module: numpy.sin(numpy) raised AttributeError at evaluation.
    loss = parse_loss("sin(numpy) * y")
    assert float(loss.value(0.5, 2.0)) == pytest.approx(2 * math.sin(0.5))
    assert float(loss.gradient(0.5, 2.0)[0]) == pytest.approx(2 * math.cos(0.5))
    assert float(loss.hessian(0.5, 2.0)[0][0]) == pytest.approx(-2 * math.sin(0.5))


# -- errors and positions ----------------------------------------------------------------------


def error(text: str) -> LossError:
    with pytest.raises(LossError) as info:
        parse_loss(text)
    assert info.value.message and str(info.value) == info.value.message
    return info.value


def test_unknown_function_message_and_position():
    err = error("sinn(x)")
    assert err.message == "unknown function 'sinn' at character 1: did you mean sin?"
    assert err.position == 0
    err = error("x + foo(y)")
    assert err.message.startswith("unknown function 'foo' at character 5 (a loss may use sin")
    assert err.position == 4


@pytest.mark.parametrize(("name", "written"), [
    ("relu", "max(0, ...)"), ("sigmoid", "1/(1 + exp(-(...)))"),
    ("softplus", "log(1 + exp(...))"), ("mean", "(a + b + ...)/n"),
    ("huber", "min(abs(u), 1)^2/2 + max(abs(u) - 1, 0) for δ = 1")])
def test_a_machine_learning_function_is_answered_with_how_to_write_it(name, written):
    """A student types relu(w1) or sigmoid(z): the list of known functions did not say how
    to write it (log10 had its rewrite), and the huber one written is the loss for δ = 1."""
    err = error(f"{name}(w1 + w2)")
    assert err.message == f"unknown function '{name}' at character 1: write {written}"
    huber = parse_loss("min(abs(w1), 1)^2/2 + max(abs(w1) - 1, 0) + 0*w2")
    for u in (-3.0, -1.0, -0.5, 0.0, 0.3, 2.5):
        assert float(huber.value(u, 0.0)) == pytest.approx(
            0.5 * u * u if abs(u) <= 1 else abs(u) - 0.5)


def test_unclosed_call():
    err = error("sin(")
    assert "expected ')'" in err.message
    assert err.position == 4
    assert "at character 5" in err.message  # counted from 1 for people (.position from 0)
    err = error("(x + (y)")
    assert "expected ')'" in err.message and err.position == 8


@pytest.mark.parametrize(("text", "position"), [(")", 0), ("x)", 1), ("sin(x))", 6),
                                                ("(x))+y", 3)])
def test_unexpected_close(text, position):
    err = error(text)
    assert err.message == f"unexpected ')' at character {position + 1}"
    assert err.position == position


@pytest.mark.parametrize(
    ("text", "fragment", "position"),
    [
        ("x +", "ends after '+'", 3),
        # (an operator no loss may use, last: "missing operator before 'x' at character 1")
        ("x%", "the loss ends after '%' at character 2", 2),
        ("y+x@", "the loss ends after '@' at character 4", 4),
        # (read 1·e − x, Euler's number, without a word)
        ("1e-x", "'1e-' at character 1 begins a number's exponent but no digits follow: "
                 "write 1e-5, or 1*e for Euler's number", 0),
        ("x + 1.5e+y^2", "'1.5e+' at character 5", 4),
        ("1e-.5*x", "'1e-' at character 1 begins a number's exponent", 0),
        ("x y", "missing operator before 'y'", 2),
        ("1 2", "missing operator before '2'", 2),
        # (both said "missing operator before …", the first at the good 'x': a QA round)
        ("x.", "unexpected '.' at character 2: a decimal point belongs in a number, as in "
               "0.5", 1),
        ("x^²", "'²' after a power sign at character 3: write the power once, x^2 or x²", 2),
        # (an earlier error stays the one named; x^⁻1 meant x^-1, not a power twice: a review)
        ("x +* y.", "unexpected '*' at character 4", 3),
        ("2*x^⁻1", "unexpected '⁻' at character 5", 4),
        ("x % 2", "'%'", 2),
        ("x < y", "comparisons", 2),
        ("sin", "'sin' is a function", 0),
        ("x = 1", "'='", 2),
        ("x²√ + y", "'sqrt' is a function", 2),
        ("x # note", "'#' is not allowed", 2),
        ("x + 'y'", "text in quotes", 4),
        ("ｘ + ｚ + ｙ", "too many variables", 4),  # positions count what was typed
        ("x² + sinn(y)", "unknown function 'sinn'", 5),
        # read otherwise before: 0 (silently), 0·x10 (0 everywhere), 1 times a name '_000'
        ("1e-400*w1 + w2^2", "too small to compute with", 0),
        ("x + 2e-330", "too small to compute with", 4),
        ("0x10*w1", "hexadecimal", 1),
        ("1_000*w1", "without '_' at character 2 (1000, not 1_000)", 1),
        ("()", "empty brackets", 0),  # (was "a comma outside a function call")
        # the comma marked (it was character 1), a decimal comma read as the point it means
        ("x^2+0,5*y^2", "at character 6: for a decimal number write 0.5 (a point", 5),
        ("0,5*(x^2+y^2)", "write 0.5 (a point, not a comma)", 1),
        ("x²+0,25y", "at character 5: for a decimal number write 0.25", 4),
        ("x, y", "a comma outside a function call is not allowed in a loss at character 2", 1),
        ("θ + 0,5", "at character 6: for a decimal number write 0.5", 5),  # (θ: two bytes)
        ("x + ½*y", "'½' at character 5 is not allowed: write (1/2)", 4),
        ("x^½", "write (1/2)", 2),  # (x^1/2, as it said, is x/2)
        # (said only "has letters gdviz cannot use", "unexpected '∛'")
        ("θ^2 + x", "at character 1: write theta for θ", 0),
        ("λ1*x + y", "write lam1 for λ1", 0),
        ("x*∛y", "unexpected '∛' at character 3: write a root as a power, (…)^(1/3)", 2),
        ("1e200*w1", "too large (at most 1e150)", 0),
        # a power's size by its sign, and exp's held to the same limit as other functions'
        ("2^-2000*x", "too small to compute with", 0),
        ("x + exp(400)", "exp(...) is too large (at most 1e150)", 4),
        ("e^400 + x", "too large (at most 1e150)", 0),
        ("exp(-800)*x", "too small to compute with", 0),
        # a loss over two lines (a session file's) read as a product: x²·y²
        ("x^2\ny^2", "a line break at character 5 between '2' and 'y': write * for a product "
                     "or + for a sum", 4),
        ("(x+1)\r\n(y-1)", "a line break at character 8 between ')' and '('", 7),
    ],
)
def test_error_messages_point_at_the_problem(text, fragment, position):
    err = error(text)
    assert fragment in err.message
    assert err.position == position
    assert "position" not in err.message  # (counted from 0: not how students count)
    if "character" in err.message and "ends after" not in err.message:  # (that names the
        assert f"character {position + 1}" in err.message  # last sign; position is the end)


def test_position_maps_back_through_normalisation():
    # 'x² + ' becomes 'x**(2) + ' internally: the position must still be the typed one.
    err = error("x² + 1/0")
    assert err.position == 6
    assert "division by zero" in err.message


def test_error_survives_pickling():
    import pickle

    err = pickle.loads(pickle.dumps(error("sinn(x)")))
    assert isinstance(err, LossError) and err.position == 0
    assert err.message == "unknown function 'sinn' at character 1: did you mean sin?"


def test_non_text_is_refused():
    for bad in (None, 3, b"x", ["x"]):
        with pytest.raises(LossError, match="the loss must be text, got"):
            parse_loss(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("text, word, position", [("lambda+x", "lambda", 0),
                                                  ("x + import", "import", 4),
                                                  ("yield x", "yield", 0)])
def test_a_python_keyword_is_named_where_it_stands(text, word, position):
    # ("lambda+x" said "unexpected '+' at character 7")
    with pytest.raises(LossError) as info:
        parse_loss(text)
    assert f"'{word}' is a reserved word" in str(info.value)
    assert info.value.position == position


@pytest.mark.parametrize(("text", "message", "position"), [
    ("w1w2", "'w1w2' at character 1 reads as one name: for a product write w1*w2", 0),
    ("xy", "'xy' at character 1 reads as one name: for a product write x*y", 0),
    ("w1^2 + w1w2", "'w1w2' at character 8 reads as one name: for a product write w1*w2", 7),
    ("ab + a", "'ab' at character 1 reads as one name: for a product write a*b", 0),
    # three letters, and numbered names written w_1 (read as f(xyz, y), f(w_1w_1, w_1w_2))
    ("xyz", "'xyz' at character 1 reads as one name: for a product write x*y*z", 0),
    ("w_1w_2", "'w_1w_2' at character 1 reads as one name: for a product write w_1*w_2", 0),
    ("x^2 + 2*xyx", "'xyx' at character 9 reads as one name: for a product write x*y*x", 8),
    ("w1(w2 + 1)", "'w1' is not a function at character 1: for a product write w1*(...)", 0),
    ("sin w1", "missing operator before 'w1' at character 5: write sin(w1), a function's "
               "argument in brackets", 4),
    ("log10(x) + y", "unknown function 'log10' at character 1: write log(...)/log(10)", 0),
    ("w1^1000", "the exponent is too large (at most 100) at character 4", 3),
    # (nested, the powers together slipped past the cap: a map 75 % undefined)
    ("(w1^100)^100", "the exponent is too large (at most 100; these powers together make "
                     "10000) at character 1", 0),
    ("((w1+w2)^20)^6", "the exponent is too large (at most 100; these powers together make "
                       "120) at character 1", 0),
    # (made by sympy out of typed powers each within the cap: no position)
    ("w1^100*w1^100", "the exponent is too large (at most 100): the powers together make 200",
     None),
    ("(2*w1^100)^100", "the exponent is too large (at most 100): the powers together make "
                       "10000", None),
    ("", "the loss is empty: type a formula such as x^2 + y^2", None),
    ("|x| + y", "unexpected '|' at character 1: write abs(x) for |x|", 0),
    # (wherever the bars: these said "the loss ends after '|' …: something is missing")
    ("|x|", "the loss ends after '|' at character 3: write abs(x) for |x|", 3),
    ("y + |x - 1|", "the loss ends after '|' at character 11: write abs(x - 1) for |x - 1|",
     11),
    ("2|x|", "the loss ends after '|' at character 4: write abs(x) for |x|", 4),
    # ((−2)^x is complex between the whole numbers: its derivative read (−2)^x·(ln 2 + iπ))
    ("(-2)^x + y^2", "a negative number to a variable power is not real (only at whole "
                     "numbers) at character 1: a power's base is positive, as 2^x", 0),
    ("(1 - 3)^w1", "a negative number to a variable power is not real (only at whole "
                   "numbers) at character 1: a power's base is positive, as 2^x", 0),
    ("x^^2", "unexpected '^' at character 3: a power is written x^2", 2),
    ("sin^2(x)", "'sin' is a function: write sin(...) at character 1, and a power after the "
                 "brackets: sin(x)^2", 0),
    # a function or constant run together with a variable (sinx + cosy was a linear loss in
    # "sinx" and "cosy", and the lecture's sinw1*w2 a product)
    ("sinx + cosy", "'sinx' would be one variable: write sin(x) at character 1", 0),
    ("sinw1*w2*(1 - w2)", "'sinw1' would be one variable: write sin(w1) at character 1", 0),
    ("x^2 + lny", "'lny' would be one variable: write ln(y) at character 7", 6),
    ("sinhx + y", "'sinhx' would be one variable: write sinh(x) at character 1", 0),
    ("sin(pix) + y", "'pix' would be one variable: write pi*x at character 5", 4),
    # the constants as sympy and calculators write them (Pi*r^2 was a loss in a variable Pi;
    # E*x said "reserved; choose another variable name")
    # LaTeX's and a calculator's brackets, LaTeX itself ("sets are not allowed", "missing
    # operator before 'f'")
    # (the whole name, and the product meant: "w1 w2" said "missing operator before 'w'",
    # where "w1w2" got "for a product write w1*w2": a QA round)
    ("w1 w2 + 1", "missing operator before 'w2' at character 4: for a product write w1*w2", 3),
    ("2 x1 x2", "missing operator before 'x2' at character 6: for a product write x1*x2", 5),
    ("x^{2} + y", "curly brackets { } are not allowed in a loss at character 3: write (2)",
     2),
    # (the student's own part in round brackets: "as x^(2)" whatever was typed, and sin[x]
    # read "indexing with '[ ]' is not allowed": a QA round)
    ("[x + 1]^2 + y", "square brackets [ ] are not allowed in a loss at character 1: write "
                      "(x + 1)", 0),
    ("{x+y}^2", "curly brackets { } are not allowed in a loss at character 1: write (x+y)", 0),
    ("sin[x] + y", "square brackets [ ] are not allowed in a loss at character 1: write "
                   "sin(x)", 0),
    ("y + 2[x+1]", "square brackets [ ] are not allowed in a loss at character 5: write "
                   "2(x+1)", 4),
    ("\\frac{1}{2}x + y", "unexpected '\\' at character 1: a loss is typed plainly, not in "
                        "LaTeX (\\frac{a}{b} is a/b, \\sin x is sin(x))", 0),
    ("Pi*x^2", "'Pi' cannot be a variable at character 1: write pi for π", 0),
    ("PI*r^2 + r", "'PI' cannot be a variable at character 1: write pi for π", 0),
    ("2*E^x + y", "'E' cannot be a variable at character 3: write e for the number e", 2),
])
def test_common_slips_get_a_hint(text, message, position):
    """A student's slips: letters run together (w1w2 became one variable, with a made-up
    partner), a call without brackets, a variable used as a function, a missing function."""
    err = error(text)
    assert err.message == message and err.position == position


def test_names_that_are_not_two_variables_run_together_stay_names():
    # (a single two-letter name is a name unless it is a usual pair; a part that is reserved
    # or a constant is no variable: "write x*j" would itself be refused)
    for text, names in (("theta0*theta1", ("theta0", "theta1")), ("lr*x", ("lr", "x")),
                        ("x1 + x2", ("x1", "x2")), ("arcsin(x/2) + y", ("x", "y")),
                        ("mu^2 + y", ("mu", "y")), ("dx^2 + y", ("dx", "y")),
                        ("x^2 + xi^2", ("x", "xi")), ("xj + y", ("xj", "y")),
                        ("maxx + y", ("maxx", "y")), ("e1 + e2", ("e1", "e2")),
                        ("expected + y", ("expected", "y")),
                        ("ex + y", ("ex", "y")), ("tau*x", ("tau", "x")),
                        ("rho + y", ("rho", "y")), ("eta*x", ("eta", "x")),
                        ("w_1 + w_2", ("w_1", "w_2"))):
        assert parse_loss(text).variables == names
    arc = parse_loss("arcsin(x/2) + arctan(y)")
    assert arc.expr == parse_loss("asin(x/2) + atan(y)").expr
    assert arc.plain == "arcsin(x/2) + arctan(y)"  # (f as it was typed)


@pytest.mark.parametrize(("text", "plain"), [("1e-300*x + y", "1e-300*x + y"),
                                             ("0x + y", "0*x + y"), ("2x10", "2*x10"),
                                             ("0.0e-5*x + y", "0.0*x + y")])
def test_numbers_near_those_refused_still_read_as_typed(text, plain):
    """The checks for 1e-400, 0x10 and 1_000 leave their neighbours alone; a zero typed in
    e-notation is written 0, not "0e0"."""
    assert parse_loss(text).plain == plain


@pytest.mark.parametrize("text", ["x+" * 300 + "y", "x*" * 300 + "y", "x-" * 200 + "y"])
def test_a_flat_sum_too_long_says_too_many_terms(text):
    """300 terms, under the 2000 characters allowed, read "too deeply nested (more than 80
    levels)": a student sees no nesting in x + x + … + y."""
    with pytest.raises(LossError, match=r"too many terms in one sum or product \(at most "
                                        r"about 150 here\)"):
        parse_loss(text)
    # (inside nested calls, fewer: said so, not the 160 of a sum on its own)
    with pytest.raises(LossError, match=r"\(at most about 130 here\)"):
        parse_loss("sin(" * 10 + "+".join(["x"] * 150) + ")" * 10 + "+y")


def test_a_long_flat_sum_is_not_too_deeply_nested():
    """A least-squares loss of 80 terms (1110 characters, well under the 2000 allowed) was
    refused as "too deeply nested (more than 80 levels)": ast nests a sum one level per
    term. A sum's or product's terms count half a level; nesting of other kinds as before."""
    from gdviz.core.derivation import derivative_steps

    text = "+".join(f"(w1*{k}-w2)**2" for k in range(1, 81))
    loss = parse_loss(text)
    w1, w2 = 0.3, -0.2
    ks = np.arange(1, 81)
    assert float(loss.value(w1, w2)) == pytest.approx(float(np.sum((w1 * ks - w2) ** 2)))
    da, db = (float(v) for v in loss.gradient(w1, w2))
    assert da == pytest.approx(float(np.sum(2 * ks * (w1 * ks - w2))))
    assert db == pytest.approx(float(np.sum(-2 * (w1 * ks - w2))))
    assert loss.plain and loss.latex and derivative_steps(loss, 0).steps
    # a long product: the same (of factors apart: 120 alike are one power, (1 + w1/9)¹²⁰,
    # over the cap on exponents)
    products = "*".join(f"(1 + w1/{k})" for k in range(1, 121))
    assert parse_loss(products).variables == ("w1", "w2")
    with pytest.raises(LossError, match="too many terms"):
        parse_loss("+".join(["w1"] * 300))  # (the walks that read a tree recurse)
    with pytest.raises(LossError, match="too deeply nested"):
        parse_loss("sin(" * 45 + "x" + ")" * 45)  # (a call is two levels: as before)


@pytest.mark.parametrize("text, value", [("2^-500*x", 2.0**-500), ("10^-151*x", 1e-151),
                                         ("0.5^500*x", 0.5**500), ("exp(300)*x", math.exp(300)),
                                         # (refused as "too many digits": 3 bits a factor ½)
                                         ("2^-1022*x", 2.0**-1022), ("(1/2)^1000*x", 0.5**1000),
                                         ("(2/3)^1000*x", (2 / 3) ** 1000)])
def test_small_powers_and_exp_within_the_limits_are_kept(text, value):
    """2^-500 is 3·10⁻¹⁵¹: refused as "too large" (the check took the exponent's size)."""
    assert parse_loss(text).value(1.0, 0.0) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text, fragment", [
    ("1e150*x*1e150*1e150", "too large (at most 1e150)"),  # 10⁴⁵⁰·x: inf everywhere
    ("exp(300)*x*exp(300)", "too large (at most 1e150)"),  # x·exp(600)
    ("1e-200*x*1e-200", "too small to compute with"),  # 10⁻⁴⁰⁰·x: silently 0
])
def test_constants_sympy_gathers_are_held_to_the_limits(text, fragment):
    """Each number was checked as typed, but sympy gathers a product's numbers into one."""
    with pytest.raises(LossError) as info:
        parse_loss(text)
    assert fragment in info.value.message


def test_invisible_joiners_in_pasted_text_are_dropped():
    """The Chain rule tab's plain text keeps "1/" with what follows by a word joiner (U+2060):
    copied into the loss box it was refused ("unexpected 'U+2060'")."""
    from gdviz.core.loss import parse_loss

    for text in ("1/\u2060(1 + w1²) − w2", "w\u200b1 + \ufeffw2^2",
                 # a soft hyphen (from a web page or a PDF) and the joiners read "unexpected
                 # 'U+00AD' at character 2", pointing at a character nobody can see
                 "w\u00ad1 + w2\u200d^2\u200c"):
        assert parse_loss(text).expr == parse_loss(
            "".join(c for c in text if c not in "\u2060\u200b\ufeff\u00ad\u200c\u200d")).expr


@pytest.mark.parametrize("char", ["\u2063", "\u2062", "\u180e", "\u2061"])
def test_other_invisible_characters_are_named_as_such(char):
    """An invisible separator, times or function application read "unexpected 'U+2063'"."""
    with pytest.raises(LossError) as info:
        parse_loss(f"w1{char} + w2")
    assert info.value.message == (f"invisible character U+{ord(char):04X} at character 3: "
                                  "delete it (it came with pasted text)")
    assert info.value.position == 2


@pytest.mark.parametrize("text, value", [
    ("(-8)^(1/3) + x", -2.0), ("(-8)^(2/3) + x", 4.0), ("(-8)^(-1/3) + x", -0.5),
    ("(x - x - 27)^(1/3) + y", -3.0), ("-(-32)^(3/5) + x", 8.0)])
def test_an_odd_root_of_a_negative_number_is_a_real_constant(text, value):
    """(-8)^(1/3) is −2, as x^(1/3) is at x = −8 (it was refused as "not real")."""
    loss = parse_loss(text)
    assert float(loss.value(0.0, 0.0)) == pytest.approx(value, rel=1e-12)
    assert not loss.expr.has(sp.I) and loss.expr.is_real is not False


@pytest.mark.parametrize("text", ["(-8)^(1/2) + x", "(-8)^(3/4) + x", "(-8)^0.5 + x"])
def test_an_even_root_of_a_negative_number_is_refused_with_the_odd_one_named(text):
    with pytest.raises(LossError, match=r"not real, unless its denominator is odd: "
                                        r"\(-8\)\^\(1/3\) is -2"):
        parse_loss(text)


@pytest.mark.parametrize("text, position, near", [
    ("exp(-x y)", 7, "'y'"), ("cos(pi x)", 7, "'x'"), ("x^2 + (x y)", 9, "'y'"),
    ("exp(x y)", 6, "'y'"), ("sin(x) + cos(2*x y)", 17, "'y'")])
def test_a_missing_operator_inside_brackets_is_marked_at_the_gap(text, position, near):
    """Python marks a bracket's whole inside: "exp(-x y)" said "unexpected '-' at character
    5", "cos(pi x)" "missing operator before 'p'"; the operator is missing at the gap."""
    with pytest.raises(LossError) as info:
        parse_loss(text)
    assert info.value.position == position, info.value.message
    assert info.value.message.startswith(f"missing operator before {near}")


@pytest.mark.parametrize("text, variables", [
    ("x^2 + Y^2", ("x", "Y")), ("b^2 + A^2", ("A", "b")), ("w10 + w2", ("w2", "w10")),
    ("X + y", ("X", "y")), ("x + X", ("X", "x"))])
def test_capitals_take_their_letter_s_place_in_the_order(text, variables):
    """x² + Y² had Y across and x up (a capital sorted before every small letter)."""
    assert parse_loss(text).variables == variables
