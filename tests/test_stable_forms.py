"""The logistic family computed without overflow or cancellation (gdviz.core.stable_forms)."""

from __future__ import annotations

import functools
import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from gdviz import descend, parse_loss
from gdviz.core.stable_forms import LogSumExp, Sigmoid, Softplus, stable_form

LOSSES = [
    "log(1+exp(w1)) + w2^2",  # softplus: ∞ past 709 as typed
    "log(1+exp(-(2*w1+w2)))",  # the logistic loss: 0 past 37 as typed, ∞ the other way
    "1/(1+exp(-w1)) + w2",  # the sigmoid
    "exp(w1)/(1+exp(w1)) + w2",  # the sigmoid written the other way: ∞/∞ past 709
    "-log(1-1/(1+exp(-(10*w1+w2))))",  # cross-entropy of a label 0: cancels from z ≈ 25
    "-(0.7*log(1/(1+exp(-(w1+w2)))) + 0.3*log(1-1/(1+exp(-(w1+w2)))))",
]
POINTS = [-800.0, -50.0, -36.5, -3.0, 0.0, 0.4, 3.6, 36.5, 50.0, 705.0, 800.0]


@functools.lru_cache
def _exact(text: str):
    loss = parse_loss(text)
    exprs = [loss.expr, *loss.partials, loss.hessian_exprs[0][0]]
    return [sp.lambdify(loss.symbols, e, modules="mpmath") for e in exprs]


def _reference(text: str, a: float, b: float) -> tuple[float, ...]:
    """f, ∂f/∂w1, ∂f/∂w2 and ∂²f/∂w1² at (a, b) in 4000 digits (mpmath: e⁻⁸⁰⁰⁰ beside 1)."""
    with mpmath.workdps(4000):
        return tuple(float(fn(mpmath.mpf(a), mpmath.mpf(b))) for fn in _exact(text))


def _agrees(loss, text: str, points=POINTS, b: float = 0.25,
            shares: bool = False) -> None:
    """f, ∇f and ∂²f/∂w1² of ``loss`` at each (a, ``b``) agree with the 4000-digit reference
    to 12 digits (the curvature, where built from softmax ``shares``, to 9 digits and the
    log-sum-exp's own rounding: see below)."""
    for a in points:
        want = _reference(text, a, b)
        got = (float(loss.value(a, b)), *(float(g) for g in loss.gradient(a, b)),
               float(loss.hessian(a, b)[0][0]))
        for g, w in zip(got[:3] if shares else got, want[:3] if shares else want,
                        strict=True):
            assert math.isclose(g, w, rel_tol=1e-12, abs_tol=1e-300), (a, got, want)
        if shares:
            ulps = 4e-16 * max(1.0, abs(want[0]))  # (the log-sum-exp's own rounding)
            assert math.isclose(got[3], want[3], rel_tol=1e-9, abs_tol=ulps), (a, got, want)


@pytest.mark.parametrize("text", LOSSES)
def test_the_logistic_family_is_right_to_the_last_digits_far_out(text):
    """As typed: log(1 + exp(-z)) was 0 past z ≈ 37 (its slope not), ∞ past −709 (its slope
    NaN); 1 - sigmoid cancelled, cross-entropy 36.04 at z = 36 and ∞ from 37 on."""
    _agrees(parse_loss(text), text)


def test_cross_entropy_of_a_misclassified_point_descends():
    """A run from a badly misclassified point was refused: "The loss is infinite at the
    start"; its slope read 10.45 where it is 10."""
    loss = parse_loss("-log(1-1/(1+exp(-(10*w1+w2))))")
    assert float(loss.gradient(3.6, 0.0)[0]) == pytest.approx(10.0, rel=1e-14)
    run = descend(loss, (4.0, 0.0), "gd", lr=0.01, steps=50)
    assert run.status != "diverged" and np.isfinite(run.losses).all()
    assert run.losses[-1] < run.losses[0] - 4.0  # (0.01 · 10² · 50 steps ≈ 5 lower)


def test_what_the_student_sees_is_as_typed():
    """The rewrite is only the arithmetic: f and ∂f/∂w as typed and as sympy differentiates
    them, no softplus or sigmoid on the board."""
    loss = parse_loss("log(1+exp(-(2*w1+w2)))")
    w1, _ = loss.symbols
    assert sp.simplify(loss.partials[0] - sp.diff(loss.expr, w1)) == 0
    assert not loss.expr.has(Softplus, Sigmoid) and not loss.partials[0].has(Softplus)
    text = loss.latex + "".join(loss.partials_latex) + loss.plain + "".join(
        loss.partials_plain)
    assert "oftplus" not in text and "igmoid" not in text


def test_only_the_exponential_parts_are_rewritten():
    x, y = sp.symbols("x y", real=True)
    plain = x**2 + sp.log(1 + y**2) + sp.exp(x)
    assert stable_form(plain) is plain
    assert stable_form(sp.log(1 + sp.exp(sp.Integer(3))) + x) is not None  # constants kept
    assert not stable_form(sp.log(1 + sp.exp(sp.Integer(3))) + x).has(Softplus)
    assert stable_form(sp.log(1 + sp.exp(x)) + y) == Softplus(x) + y
    assert stable_form(1 / (1 + sp.exp(-x))) == Sigmoid(x)
    assert stable_form(sp.exp(x) / (1 + sp.exp(x))**2) == Sigmoid(x) * Sigmoid(-x)
    # Equal in value, at points where float64 as typed is still exact.
    for expr in (sp.log(1 + sp.exp(x - y)), sp.exp(x) / (1 + sp.exp(x)) ** 2,
                 -sp.log(1 - 1 / (1 + sp.exp(-x * y)))):
        f, g = (sp.lambdify((x, y), e, modules=[{"Softplus": lambda u: np.logaddexp(0, u),
                                                   "Sigmoid": lambda u: 1 / (1 + np.exp(-u))},
                                                  "numpy"])
                for e in (expr, stable_form(expr)))
        for a, b in ((0.3, -1.2), (2.0, 0.5), (-1.5, 2.5)):
            assert f(a, b) == pytest.approx(g(a, b), rel=1e-12)


def test_the_compiled_code_shares_one_exp_per_argument():
    """softplus(±u) and sigmoid(±u) from t = exp(−|u|), once for all of them: numpy's
    logaddexp took 2.5 times as long, and once per function."""
    from gdviz.core.codegen import generate_source

    loss = parse_loss("-(0.7*log(1/(1+exp(-(w1+w2)))) + 0.3*log(1-1/(1+exp(-(w1+w2)))))")
    source = generate_source(loss.symbols, list(loss._numeric[:3]))
    assert "log1p" in source and "logaddexp" not in source
    assert source.count("numpy.exp(-numpy.abs(") == 1, source


def test_the_guard_is_the_compiled_form_s():
    """The typed form's guard, √sign(1 − exp(z)/(1 + exp(z))), is ∞/∞ past z ≈ 709: NaN
    added to f, ∇f and H from the stable code, the map finite where a run there read
    "diverged"."""
    loss = parse_loss("-log(1 - exp(w1)/(1+exp(w1))) + w2^2")
    xs = np.linspace(-800.0, 800.0, 3201)
    f, ga, gb = loss.value_and_gradient(xs, 0.0 * xs)
    assert np.isfinite(f).all() and np.isfinite(ga).all() and np.isfinite(gb).all()
    np.testing.assert_allclose(f, loss.value(xs, 0.0 * xs), rtol=1e-15)
    assert np.isfinite(np.array(loss.hessian(xs, 0.0 * xs), dtype=float)).all()
    # a root of softplus needs no guard of its own (it is positive): ∂²f/∂w2² is 0, not NaN
    root = parse_loss("sqrt(log(1+exp(w1)))*w2")
    assert (np.asarray(root.hessian(xs[::40], 1.0)[1][1]) == 0.0).all()
    # where f is undefined, so is its gradient still
    undefined = parse_loss("log(w1) + log(1+exp(w2))")
    assert np.isnan(np.array(undefined.value_and_gradient(-1.0, 0.5), dtype=float)).all()


LOG_SUM_EXP = [
    "log(exp(w1) + exp(w2))",  # softmax's normaliser: ∞ past 709 as typed, its slope NaN
    "log(exp(w1) + exp(2*w1) + 1) + w2^2",  # three terms, one of them exp(0)
    "log(exp(w1) + exp(w2)) - w1",  # softmax cross-entropy of class 1: cancelled to 0
    "-log(exp(w1)/(exp(w1) + exp(w2)))",  # the same as a share: ∞/∞ past 709
    "-0.5*log(exp(2*w1+w2)/(exp(2*w1+w2) + exp(w1-w2) + 1))",  # three classes, weighted
    "log(2*exp(w1) + exp(w2)) - w1",  # a class weighted 2: exp(w1 + log 2)
    "log(exp(w1+0.5) + exp(w2))",  # sympy's 1.6487·exp(w1): ∞ past 709 as typed
    "log(0.5*exp(w1) + 0.5*exp(w2))",
    "exp(w1)/(exp(w1) + exp(w2) + exp(w1*w2))",  # a share outside a log: ∞/∞ past 709
]


@pytest.mark.parametrize("text", LOG_SUM_EXP)
def test_log_sum_exp_is_right_to_the_last_digits_far_out(text):
    """As typed, log(exp(800) + exp(0.25)) was ∞ and its slope ∞/∞ = NaN: a softmax
    cross-entropy's map had a hole and a run there stopped at once. (The curvature keeps
    1 − softmax's rounding where the softmax is within 1e-16 of 1: off by about the
    rounding of the log-sum-exp itself, 8e-15 at 36, 1e-13 at 705.)"""
    loss = parse_loss(text)
    assert loss._numeric[0].has(LogSumExp, Softplus) and not loss.expr.has(LogSumExp)
    assert np.isfinite(np.array(loss.value_and_gradient(800.0, 0.25), dtype=float)).all()
    _agrees(loss, text, shares=True)


def test_log_sum_exp_is_written_only_for_a_sum_of_exponentials():
    x, y = sp.symbols("x y", real=True)
    both = stable_form(sp.log(sp.exp(x) + sp.exp(y)))
    assert isinstance(both, LogSumExp) and set(both.args) == {x, y}
    assert stable_form(sp.log(1 + sp.exp(x))) == Softplus(x)  # (two terms, one of them 1)
    # a positive weight or constant is an exponential too: 2·exp(x) = exp(x + log 2)
    weighted = stable_form(sp.log(2 * sp.exp(x) + sp.exp(y)))
    assert isinstance(weighted, LogSumExp) and set(weighted.args) == {x + sp.log(2), y}
    assert set(stable_form(sp.log(sp.exp(x) + 2)).args) == {x, sp.log(2)}
    for kept in (sp.log(sp.exp(x) + y), sp.log(sp.exp(y) - 2 * sp.exp(x)),
                 sp.log(sp.exp(x) - 2)):
        assert not stable_form(kept).has(LogSumExp, Softplus), kept
    # the compiled code: one logaddexp per pair, shared by f and its slopes
    from gdviz.core.codegen import generate_source

    loss = parse_loss("log(exp(w1) + exp(w2) + exp(w1*w2))")
    source = generate_source(loss.symbols, list(loss._numeric[:3]))
    assert source.count("numpy.logaddexp(") == 2, source


SHIFTED = [
    "log(exp(w1) + exp(w1+w2)) - w1 - w2",  # shifted by w1 + w2, not by w1 (a subset of it)
    "-log(exp(w1+w2)/(exp(w1) + exp(w1+w2)))",
    "log(exp(w1) + exp(w2) + exp(w1+w2)) - w1 - w2",
    "log(1+exp(w1)) - w1 + w2^2",  # a label-1 logistic loss: softplus(z) − z
    # three cross-entropies, whose −w1 and −2·w1 sympy merges to −3·w1
    "log(exp(w1)+exp(w2)) - w1 + log(exp(2*w1)+exp(2*w2)) - 2*w1 + log(exp(-w1)+exp(-w2)) + w2",
    "(log(exp(w1)+exp(w2)) - w1 + log(exp(w1+w2)+exp(w2)) - w1 - w2)/2",  # their mean
]


@pytest.mark.parametrize("text", SHIFTED)
def test_the_class_shifted_by_is_the_one_the_sum_holds_whole(text):
    """Shifted by w1 (whose −w1 the sum held, as it held −w2 too), the first loss cancelled
    worse than as typed: 2.061153026e-9 at (1, 20), 2.9e-7 off; the third's slope had the
    wrong sign at (1, 40); softplus(w1) − w1 was 0 from w1 ≈ 37; of three cross-entropies
    only one was shifted (f 4.25e-18 for 8.50e-18 at (20, −20), its slope 0)."""
    loss = parse_loss(text)
    for a, b in ((1.0, 20.0), (-3.0, 25.0), (1.0, 40.0), (23.5, 0.25), (40.0, 1.0),
                 (-2.0, -30.0), (20.0, -20.0)):
        want = _reference(text, a, b)
        got = (float(loss.value(a, b)), *(float(g) for g in loss.gradient(a, b)))
        for g, w in zip(got, want[:3], strict=True):
            assert math.isclose(g, w, rel_tol=1e-12, abs_tol=1e-300), (a, b, got, want)


HYPERBOLIC = [
    "tanh(w1) + w2^2",  # tanh′ as typed, 1 − tanh², is 0 past |w1| ≈ 18.5
    "3*tanh(w1) - tanh(2*w1) + w2",  # sympy's 3 − 3tanh² − 2(1 − tanh²(2w1))
    "tanh(w1*w2)^2",
    "log(cosh(w1 - 2*w2))",  # log-cosh: ∞ past |u| ≈ 710 as typed, its slope ∞/∞
    "log(cosh(w1)) + log(cosh(w2 - 1))",
]


@pytest.mark.parametrize("text", HYPERBOLIC)
def test_tanh_and_log_cosh_are_right_to_the_last_digits_far_out(text):
    """As typed, tanh(20)′ = 1 − tanh(20)² was 0 (it is 1.7·10⁻¹⁷), 1 − tanh(5)² lost four
    digits; log(cosh(800)) was ∞ (it is 799.3), its slope sinh/cosh NaN."""
    loss = parse_loss(text)
    assert loss._numeric[0] is not loss.expr
    _agrees(loss, text)


def test_a_log_cosh_run_far_out_descends_and_the_board_is_as_typed():
    """A run started at w1 = 1000 on the log-cosh loss was refused ("infinite at the
    start"); its slope there is tanh(1000) = 1. On the board: as typed, its slope as a
    teacher writes it (tanh, gdviz.core.display_tidy), no stable form's name."""
    loss = parse_loss("log(cosh(w1)) + w2^2")
    run = descend(loss, (1000.0, 0.5), "gd", lr=1.0, steps=20)
    assert np.isfinite(run.losses).all() and run.losses[0] == pytest.approx(1000.25 - math.log(2))
    assert run.points[-1][0] == pytest.approx(980.0)
    text = loss.latex + "".join(loss.partials_latex) + loss.plain + "".join(
        loss.partials_plain)
    assert loss.partials_plain[0] == "tanh(w1)" and r"\tanh" in loss.partials_latex[0]
    assert "Tanh" not in text and "LogCosh" not in text


LABELLED = [
    # a cross-entropy with its labels typed as numbers: sympy drops the 0-weighted terms,
    # whose logs stay in the typed domain's guard
    "-(1*log(1/(1+exp(-(w1+w2)))) + (1-1)*log(1-1/(1+exp(-(w1+w2)))))",
    "-(1*log(exp(w1)/(exp(w1)+exp(w2)+1)) + 0*log(exp(w2)/(exp(w1)+exp(w2)+1))"
    " + 0*log(1/(exp(w1)+exp(w2)+1)))",
]


@pytest.mark.parametrize("text", LABELLED)
def test_a_term_weighted_0_leaves_no_rounding_hole_in_the_domain(text):
    """(1 − 1)·log(1 − s) is 0, but its log stays in the guard of the typed domain: as
    typed, 1 − s rounded to 0 past z ≈ 37, so f and ∇f were NaN there, and a logistic
    regression's run stopped at step 1, "the loss is undefined there"."""
    loss = parse_loss(text)
    assert loss.guard is not None
    _agrees(loss, text, (-800.0, -3.0, 0.4, 36.5, 50.0, 705.0, 800.0), shares=True)


def test_a_logistic_regression_with_typed_labels_runs_where_it_is_defined():
    three = ("-( (1-0)*log(1-1/(1+exp(-(w1*2+w2)))) + 1*log(1/(1+exp(-(w1*5+w2))))"
             " + (1-1)*log(1-1/(1+exp(-(w1*5+w2)))) + 1*log(1/(1+exp(-(w1*15+w2))))"
             " + (1-1)*log(1-1/(1+exp(-(w1*15+w2)))) )/3")
    loss = parse_loss(three)
    assert float(loss.value(3.0, 0.1667)) == pytest.approx(2.0562654, rel=1e-7)
    run = descend(loss, (0.0, 0.0), "gd", lr=1.0, steps=100)
    assert run.status != "diverged" and np.isfinite(run.losses).all()
    # (a 0·log of what is 0 at a point stays undefined there, as typed: log 0 is no number)
    assert math.isnan(float(parse_loss("0*log(w1^2) + w2^2").value(0.0, 1.0)))
