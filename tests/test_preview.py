"""The sympy-free preview of a loss (first frame): same values and variables as parse_loss."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdviz import parse_loss
from gdviz.core import parser, syntax
from gdviz.core.presets import load_presets
from gdviz.core.preview import FUNCTIONS, preview_loss


def _compare(text: str, a, b) -> None:
    loss, preview = parse_loss(text), preview_loss(text)
    assert preview is not None, text
    assert preview.variables == loss.variables
    want, got = loss.value(a, b), preview.value(a, b)
    assert got.shape == want.shape and got.dtype == np.float64
    both = np.isfinite(want) & np.isfinite(got)
    assert np.array_equal(np.isfinite(want), np.isfinite(got)), text
    np.testing.assert_allclose(got[both], want[both], rtol=1e-9, atol=1e-9, err_msg=text)


@pytest.mark.parametrize("preset", load_presets(), ids=lambda p: p.name)
def test_every_preset_previews_as_it_compiles(preset):
    (a0, a1), (b0, b1) = preset.domain
    a = np.linspace(a0, a1, 41)[None, :]
    b = np.linspace(b0, b1, 37)[:, None]
    _compare(preset.loss, a, b)


@pytest.mark.parametrize("text", [
    "x^2 + 3y^2", "2x", "sin(w1)*w2*(1-w2)", "log(x) + sqrt(y)", "max(x, y) - min(x, -y)",
    "abs(x - 1) + e^y", "x", "7", "pi*theta1 + theta0", "(x+1)(y-2)", "x² + y²",
    "exp(-(x^2+y^2)) * cos(3x)", "1/(x - y)", "x**-2 + 2**-y", "(-2)**3 * x", "ln(y) / x",
    "tanh(x) + asin(y/5) + acos(x/5) + atan(y)", "cosh(x/3) - sinh(y/3) + tan(x/4)",
    # odd roots are real for negative numbers, as in the compiled loss; even ones are not
    "x^(1/3) + y", "x^(-2/3)*y", "x^-(4/6) + y^(3/5)", "(-8)^(1/3)*x + y^(1/-3)",
    "x^(1/2) + y^(3/4)", "x^0.4 + y", "sqrt(x^(2/3)) + y", "(x^(2/5))^(5/2) + y",
    "x^(1/3)*x^1.0 + y", "x^(1/3.0) + y",
    # 0 to a positive power is 0 (the preview read NaN until the compiled loss came)
    "0^2.5 + x + y", "0^pi*x + y", "tan(0)^e + x*y",
])
def test_typed_losses_preview_as_they_compile(text):
    a = np.linspace(-3, 3, 25)[None, :]
    b = np.linspace(-2.5, 2.5, 23)[:, None]
    _compare(text, a, b)


def test_scalars_and_broadcasting():
    p = preview_loss("x^2 + y")
    assert p.value(2.0, 1.0).shape == () and float(p.value(2.0, 1.0)) == 5.0
    assert p.value(np.zeros((3, 1)), np.zeros((1, 4))).shape == (3, 4)
    assert preview_loss("5").value(np.zeros(3), 0.0).tolist() == [5.0, 5.0, 5.0]


def test_an_exponent_of_number_arithmetic_waits_for_the_compiled_loss():
    """x^(2*(1/3)) is a real cube root squared to sympy, x^0.667 to numpy: the preview gave
    NaN at x = −8 where the loss has 4. (An exponent typed as p/q previews as it compiles.)"""
    for text in ("x^(2*(1/3)) + y", "x^(1/(1+2)) + y", "x^(4/2/3) + y", "x^(1/3)^2 + y"):
        assert preview_loss(text) is None, text
        assert np.isfinite(parse_loss(text).value(-8.0, 0.0)), text


@pytest.mark.parametrize("text", ["", "x +", "sin(x", "x.real", "__import__('os')",
                                  "a + b + c", "foo(x)", "x if y else 1", "[x]", "sin(x, y)",
                                  "lambda: 1", "x; y", "'text'", "True * x", "1j * x",
                                  "sinx + cosy", "sin(pix) + y"])
def test_bad_or_unusual_text_gives_no_preview(text):
    assert preview_loss(text) is None


def test_the_preview_knows_every_function_the_parser_allows():
    assert set(FUNCTIONS) == set(syntax.FUNCTION_ARITY) == set(parser.FUNCTIONS)
    for name, (_builder, _evaluator, arity) in parser.FUNCTIONS.items():
        assert syntax.FUNCTION_ARITY[name] == arity


_LEAF = st.sampled_from(["x", "y", "2", "0.5", "3", "pi", "e", "x", "y"])


def _expr(depth: int):
    if depth == 0:
        return _LEAF
    sub = _expr(depth - 1)
    unary = st.builds(lambda f, u: f"{f}({u})",
                      st.sampled_from(["sin", "cos", "exp", "log", "sqrt", "abs", "tanh",
                                       "atan"]), sub)
    binary = st.builds(lambda u, op, v: f"({u}){op}({v})", sub,
                       st.sampled_from(["+", "-", "*", "/", "^"]), sub)
    two = st.builds(lambda f, u, v: f"{f}({u}, {v})", st.sampled_from(["max", "min"]), sub, sub)
    return st.one_of(_LEAF, unary, binary, two)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(_expr(3))
def test_random_losses_preview_as_they_compile(text):
    try:
        loss = parse_loss(text)
    except ValueError:
        return  # refused by the full parser (a constant overflow, say): nothing to compare
    preview = preview_loss(text)
    assert preview is not None, text
    assert preview.variables == loss.variables
    a = np.linspace(-2, 2, 9)[None, :]
    b = np.linspace(-1.5, 2.5, 7)[:, None]
    want, got = loss.value(a, b), preview.value(a, b)
    both = np.isfinite(want) & np.isfinite(got)
    np.testing.assert_allclose(got[both], want[both], rtol=1e-7, atol=1e-9, err_msg=text)
    # The preview never invents a value where the loss is undefined. (The other way round
    # can happen: sympy cancels u/u to 1 where numpy computes 0/0.)
    assert not np.any(np.isfinite(got) & np.isnan(want)), text


def test_the_preview_does_not_import_sympy():
    code = ("import sys; from gdviz.core.preview import preview_loss; "
            "p = preview_loss('sin(w1)*w2*(1-w2)'); p.value(0.5, 0.2); "
            "print('sympy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


@pytest.mark.parametrize("n", [1, 2, 3, 10, 1001, 65536])
def test_percentiles_match_numpy(n):
    from gdviz.core.grid import percentiles, robust_range

    v = np.random.default_rng(n).normal(size=n)
    qs = [0, 1, 5, 50, 95, 99, 100]
    np.testing.assert_allclose(percentiles(v, qs), np.percentile(v, qs), rtol=0, atol=1e-12)
    v[::7] = np.nan
    finite = v[np.isfinite(v)]
    if finite.size:
        lo, hi = robust_range(v)
        assert lo <= hi and (finite.size < 2 or lo < hi or finite.min() == finite.max())
