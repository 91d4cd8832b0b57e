"""Partial derivatives whose formula is 0·∞ (NaN) where f is smooth: their limits."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdviz import descend, parse_loss


@pytest.mark.parametrize("text, point, expected", [
    ("(x^2 + y^2)^0.75", (0.0, 0.0), (0.0, 0.0)),
    ("(x^2 + y^2)^0.75 + x", (0.0, 0.0), (1.0, 0.0)),
    ("(x^2 + y^2)^0.75 - 2*y", (0.0, 0.0), (0.0, -2.0)),
    ("x^2*sqrt(x^2 + y^2)", (0.0, 0.0), (0.0, 0.0)),
    ("x*abs(x)^0.5 + y", (0.0, 1.0), (0.0, 1.0)),
    ("sqrt(x*y)", (0.3, 0.0), (0.0, math.inf)),
    ("x^y", (0.0, 0.5), (math.inf, 0.0)),
])
def test_a_partial_whose_formula_is_undefined_is_its_limit(text, point, expected):
    """(x² + y²)^0.75's ∂f/∂x = 1.5x(x² + y²)^−0.25 is 0·∞ at the origin, where f is a
    smooth bowl with slope 0: the tabs said "undefined" and a run started there "stopped at
    a corner of f"."""
    loss = parse_loss(text)
    got = [float(d) for d in loss.gradient(*point)]
    assert got == pytest.approx(list(expected), abs=1e-9), got


@pytest.mark.parametrize("text, point, axis", [
    ("sqrt(x^2 + y^2)", (0.0, 0.0), 0),  # the cone's tip: a corner, slopes −1 and 1
    ("sqrt(x^2 + y^2)", (0.0, 0.0), 1),
    ("sqrt(x^2 + y^2) + 1e8", (0.0, 0.0), 0),  # (it read 0 under a large f: rounding's)
    ("1e-9*sqrt(x^2 + y^2) + 10", (0.0, 0.0), 0),  # (slopes ±10⁻⁹ under rounding's 4·10⁻⁹)
    # a slope rounding hides is not told: 0.05 under f + 10⁸ (it read 0)
    ("(x^2 + y^2)^0.75 + 1e8 + 0.05*x", (0.0, 0.0), 0),
    ("1e-5*(x^2*y)^(1/3)", (0.0, 0.0), 0),  # (the diagonal check is scale-free)
    ("1e8 + (x^2 + y^2)^0.75 + abs(x)", (0.0, 0.0), 0),
    ("sqrt(x)*y", (0.0, 0.0), 0),  # f undefined left of it: no two-sided limit
    ("x^y", (-2.0, 2.0), 1),  # f undefined off y = 2
    ("x/log(x^2) + (x^2 + y^2)^0.75", (0.0, 0.0), 0),  # (a slow, logarithmic approach: it
    # was extrapolated to −0.0217)
    # partials that exist, but no gradient: f rises along (1, 1)/√2 at another rate
    ("(x^2*y)^(1/3)", (0.0, 0.0), 0),
    ("(x^2*y)^(1/3)", (0.0, 0.0), 1),
    ("(x^3 + y^3)^(1/3)", (0.0, 0.0), 0),
    ("sqrt(x*y)", (0.0, 0.0), 0),  # (|t|/√2 along the diagonal: a corner)
    # f undefined: so is every partial (∂f/∂y read 1)
    ("sin(x)/x + y", (0.0, 1.0), 1),
    ("x*log(x) + y", (0.0, 1.0), 1),
])
def test_a_corner_or_a_one_sided_point_stays_undefined(text, point, axis):
    assert math.isnan(float(parse_loss(text).gradient(*point)[axis]))


def test_an_infinite_slope_stays_infinite():
    assert float(parse_loss("x^(1/3) + y").gradient(0.0, 1.0)[0]) == math.inf


@pytest.mark.parametrize("text, point, expected", [
    ("1e-9*((x^2 + y^2)^0.75 + x)", (0.0, 0.0), 1e-9),  # (as scale-free as the rest)
    ("x^y", (0.0, 1.0), 1.0),  # (f undefined beside it along a diagonal: it keeps its ∂f/∂x)
    ("(x^2 + y^2)^0.75 + 1e4", (0.0, 0.0), 0.0),
    ("1/(1 + exp(-10*x)) + y^2", (-100.0, 1.0), 0.0),  # saturated: ∞/∞ in its formula
])
def test_a_small_or_offset_slope_is_kept(text, point, expected):
    got = float(parse_loss(text).gradient(*point)[0])
    assert got == pytest.approx(expected, rel=2e-3, abs=1e-300), got


@pytest.mark.parametrize("text, point, slopes", [
    ("x^(2/3) + y", (0.0, 1.0), (-math.inf, math.inf)),  # the textbook cusp
    ("x^(2/3)*y", (0.0, -1.0), (math.inf, -math.inf)),  # upside down
    ("max(x, 0)^(2/3) + y", (0.0, 1.0), (0.0, math.inf)),
    ("x^(1/3) + y", (0.0, 1.0), None),  # a vertical tangent: ∞ both sides
    ("x^(6/7) + y", (0.0, 1.0), (-math.inf, math.inf)),  # (its quotients grow 1.39 a step)
    ("abs(x)^(2/3) + y", (0.0, 1.0), (-math.inf, math.inf)),  # (its formula: NaN, not ∞)
    ("x^2 + y", (0.0, 1.0), None),
])
def test_an_infinite_formula_s_two_sides_tell_a_cusp(text, point, slopes):
    """x^(2/3)'s 2/(3·∛x) is +∞ at 0: the tabs said "the curve stands vertical there", at a
    cusp with slope −∞ from the left and +∞ from the right."""
    from gdviz.core.special_points import corner_slopes

    assert corner_slopes(parse_loss(text), point, 0) == slopes


def test_only_the_undefined_partials_of_a_grid_change():
    """(A sum of each partial finds none in the usual case: nothing else computed.)"""
    loss = parse_loss("(x^2 + y^2)^0.75 + x*y")
    a = np.linspace(-1.0, 1.0, 41)[None, :]
    b = np.linspace(-1.0, 1.0, 21)[:, None]
    with np.errstate(all="ignore"):
        _, raw_a, raw_b = loss._fg(a, b)  # (the compiled formula alone)
    da, db = loss.gradient(a, b)
    for raw, got in ((raw_a, da), (raw_b, db)):
        changed = ~((raw == got) | (np.isnan(raw) & np.isnan(got)))
        assert changed.sum() == 1 and changed[10, 20]  # the origin alone
        assert got[10, 20] == 0.0


def test_a_run_started_where_the_formula_is_undefined_steps_with_the_limit():
    loss = parse_loss("(x^2 + y^2)^0.75")
    run = descend(loss, (0.0, 0.0), "gd", 0.1, steps=20)
    assert run.status == "converged" and run.message() == "converged at step 0"
    assert run.gradients[0].tolist() == [0.0, 0.0]
    run = descend(parse_loss("(x^2 + y^2)^0.75 + x"), (0.0, 0.0), "gd", 0.1, steps=20)
    assert run.gradients[0].tolist() == pytest.approx([1.0, 0.0])
    assert run.points[1].tolist() == pytest.approx([-0.1, 0.0])
    # the scalar path (one start) and the array code (a batch) alike, bit for bit
    batch = descend(parse_loss("(x^2 + y^2)^0.75 + x"), np.zeros((1, 2)), "gd", 0.1, steps=20)
    np.testing.assert_array_equal(batch.points[0], run.points)
    np.testing.assert_array_equal(batch.gradients[0], run.gradients)


def test_a_run_at_a_cusp_reads_no_slope_across_it():
    """The readouts said ∇f = (∞, 1) at x^(2/3)'s cusp beside the tabs' "∂f/∂w1 does not
    exist"; at x^(1/3)'s vertical tangent ∞ is the slope."""
    cusp = descend(parse_loss("w1^(2/3) + w2^2"), (0.0, 0.5), "gd", 0.1, steps=5)
    assert math.isnan(cusp.gradients[0][0]) and cusp.gradients[0][1] == 1.0
    vertical = descend(parse_loss("w1^(1/3) + w2^2"), (0.0, 0.5), "gd", 0.1, steps=5)
    assert vertical.gradients[0][0] == math.inf


def test_newton_where_the_curvature_is_undefined_says_so_at_the_start():
    """∇f is a limit at the origin of (x² + y²)^0.75 + x, the Hessian NaN: Newton stood
    still and read "stopped after 50 steps (it has not moved since step 0)"."""
    run = descend(parse_loss("(x^2 + y^2)^0.75 + x"), (0.0, 0.0), "newton", 1.0, steps=50)
    assert run.status == "diverged" and run.stop_step == 0
    assert run.message() == ("Newton's step needs f's curvature (the Hessian), undefined at "
                             "the start")
    smooth = descend(parse_loss("x^2 + y^2"), (1.0, 1.0), "newton", 1.0, steps=50)
    assert smooth.status == "converged"


@pytest.mark.parametrize("text, point, hessian", [
    ("1/(1+exp(-w1)) + (w2-1)^2", (-1000.0, 0.0), [[0.0, 0.0], [0.0, 2.0]]),
    ("log(cosh(w1)) + (w2-1)^2", (400.0, 0.0), [[0.0, 0.0], [0.0, 2.0]]),
    # (e⁻⁴⁰⁰ itself since softplus is computed as such, gdviz.core.stable_forms)
    ("log(1+exp(-w1)) + w2^2", (-400.0, 1.0), [[math.exp(-400.0), 0.0], [0.0, 2.0]])])
def test_a_curvature_whose_formula_is_inf_over_inf_is_its_limit(text, point, hessian):
    """The sigmoid's f'' is ∞/∞ past w1 ≈ −355 where f levels off: NaN, and Newton, thrown
    there by its first step, stood still for good ("it has not moved since step 1", f near
    1 where one more step takes the w2 part to 0); log cosh at 400 read "Newton's step needs
    f's curvature (the Hessian), undefined at the start"."""
    loss = parse_loss(text)
    np.testing.assert_allclose(np.array(loss.hessian(*point), dtype=float), hessian,
                               rtol=1e-12, atol=0.0)
    start = (0.0, 0.0) if text.startswith("1/") else point
    run = descend(loss, start, "newton", 1.0, steps=50)
    assert "undefined" not in run.message() and "not moved" not in run.message(), run.message()
    if text.startswith("1/"):
        assert run.status == "converged" and run.losses[-1] < 1e-12


def test_a_run_started_on_an_infinite_slope_says_infinite_and_at_a_cusp_undefined():
    """x^(1/3) at 0 (a vertical tangent) read "The gradient is undefined at the start",
    where the readouts and tabs said ∞; x^(2/3)'s cusp has no slope: undefined."""
    vertical = descend(parse_loss("w1^(1/3) + w2^2"), (0.0, 0.5), "gd", 0.1, steps=5)
    assert vertical.message() == "The gradient is infinite at the start"
    cusp = descend(parse_loss("w1^(2/3) + w2^2"), (0.0, 0.5), "gd", 0.1, steps=5)
    assert cusp.message() == "The gradient is undefined at the start"


@pytest.mark.skipif(np.finfo(np.longdouble).eps >= np.finfo(np.float64).eps,
                    reason="no long double on this machine: nothing to check against")
@pytest.mark.parametrize("text, a, true", [("(1-cos(w1))/w1^2 + w2", 1e-3, -8.333332777778e-05),
                                           ("sin(w1)/w1 + w2", 1e-6, -3.333333333333e-07)])
def test_an_exact_partial_that_rounding_spoils_is_told_and_mended(text, a, true):
    """(1 − cos x)/x²'s derivative at 10⁻³ is right to 3 digits in float64, its terms
    cancelling, and the h → 0 tab showed all thirteen as exact."""
    from gdviz.core.finite import partial_with_rounding
    from gdviz.core.limits import axis_partial

    loss = parse_loss(text)
    plain = axis_partial(loss, (a, 0.0), 0)
    assert abs(plain - true) > 1e-5 * abs(true)  # (the case: float64 loses digits here)
    value, unsure = partial_with_rounding(loss, (a, 0.0), 0, plain)
    assert abs(value - true) <= unsure * abs(true) and 0 < unsure < 1e-4, (value, unsure)
    smooth = parse_loss("sin(w1)*w2*(1 - w2)")  # (and nothing said where nothing is lost)
    exact = axis_partial(smooth, (-0.5, 0.2), 0)
    assert partial_with_rounding(smooth, (-0.5, 0.2), 0, exact) == (exact, 0.0)


@pytest.mark.parametrize("text", ["(x^3)^(1/3) + y", "(x^5)^(1/5) + y", "(x^3)^(1/3) - 2*y"])
def test_a_direction_where_f_is_level_but_for_rounding_keeps_the_limit(text):
    """(x³)^(1/3) + y is x + y: along (1, −1)/√2 it is level, its quotients the rounding of
    two parts each rising at 1 (10⁻¹⁶, never still), and the filled ∂f/∂x = 1 was dropped
    for that: ∇f undefined at the origin, a run there "undefined at the start"."""
    loss = parse_loss(text)
    da, db = (float(v) for v in loss.gradient(0.0, 0.0))
    assert da == pytest.approx(1.0, abs=1e-12) and db == float(loss.gradient(1.0, 1.0)[1])
    assert "undefined" not in descend(loss, (0.0, 0.0), "gd", steps=3).message()
