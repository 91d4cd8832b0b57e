"""Optimizers and descend(): hand-computed steps, convergence, divergence, batches, options."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdviz import OPTIMIZERS, Trajectory, descend, parse_loss

BOWL = parse_loss("x^2 + 3y^2")  # ∇f = (2x, 6y), H = diag(2, 6)
EPS = 1e-8


def first_points(optimizer: str, **kwargs) -> np.ndarray:
    traj = descend(BOWL, (1.0, 1.0), optimizer, steps=2, **kwargs)
    assert traj.points.shape == (3, 2)
    np.testing.assert_array_equal(traj.points[0], [1.0, 1.0])
    return traj.points[1:]


# -- two steps by hand on f = x² + 3y² from (1, 1) ---------------------------------------------


def test_gd_by_hand():
    # g0 = (2, 6): w1 = (1 - 0.1·2, 1 - 0.1·6) = (0.8, 0.4)
    # g1 = (1.6, 2.4): w2 = (0.8 - 0.16, 0.4 - 0.24) = (0.64, 0.16)
    np.testing.assert_allclose(first_points("gd", lr=0.1), [[0.8, 0.4], [0.64, 0.16]],
                               rtol=1e-14)


def test_momentum_by_hand():
    # v1 = -0.1·(2, 6) = (-0.2, -0.6);                   w1 = (0.8, 0.4)
    # v2 = 0.9·v1 - 0.1·(1.6, 2.4) = (-0.34, -0.78);      w2 = (0.46, -0.38)
    got = first_points("momentum", lr=0.1, momentum=0.9)
    np.testing.assert_allclose(got, [[0.8, 0.4], [0.46, -0.38]], rtol=1e-13)


def test_nesterov_by_hand():
    # v0 = 0, so the look-ahead is w0: v1 = (-0.2, -0.6), w1 = (0.8, 0.4)
    # look-ahead w1 + 0.9·v1 = (0.62, -0.14), gradient there (1.24, -0.84)
    # v2 = 0.9·v1 - 0.1·(1.24, -0.84) = (-0.304, -0.456); w2 = (0.496, -0.056)
    got = first_points("nesterov", lr=0.1, momentum=0.9)
    np.testing.assert_allclose(got, [[0.8, 0.4], [0.496, -0.056]], rtol=1e-12)


def test_adagrad_by_hand():
    # G1 = (4, 36): w1 = 1 - 0.5·(2, 6)/(√G1 + ε) = 1 - 0.5·(2/(2+ε), 6/(6+ε)) ≈ (0.5, 0.5)
    w1x = 1 - 0.5 * 2 / (2 + EPS)
    w1y = 1 - 0.5 * 6 / (6 + EPS)
    # g1 = (2·w1x, 6·w1y); G2 = G1 + g1²
    g1x, g1y = 2 * w1x, 6 * w1y
    w2x = w1x - 0.5 * g1x / (math.sqrt(4 + g1x**2) + EPS)
    w2y = w1y - 0.5 * g1y / (math.sqrt(36 + g1y**2) + EPS)
    got = first_points("adagrad", lr=0.5, eps=EPS)
    np.testing.assert_allclose(got, [[w1x, w1y], [w2x, w2y]], rtol=1e-13)
    # without ε: w2 = 0.5 - 0.5/√5 in both coordinates
    np.testing.assert_allclose(got[1], [0.5 - 0.5 / math.sqrt(5)] * 2, rtol=1e-7)


def test_rmsprop_by_hand():
    # s1 = 0.1·g0² = (0.4, 3.6): the step is 0.05·g/√(0.1 g²) = 0.05/√0.1 per coordinate
    w1 = 1 - 0.05 * 2 / (math.sqrt(0.4) + EPS), 1 - 0.05 * 6 / (math.sqrt(3.6) + EPS)
    g1 = 2 * w1[0], 6 * w1[1]
    s2 = 0.9 * 0.4 + 0.1 * g1[0] ** 2, 0.9 * 3.6 + 0.1 * g1[1] ** 2
    w2 = (w1[0] - 0.05 * g1[0] / (math.sqrt(s2[0]) + EPS),
          w1[1] - 0.05 * g1[1] / (math.sqrt(s2[1]) + EPS))
    got = first_points("rmsprop", lr=0.05, rho=0.9, eps=EPS)
    np.testing.assert_allclose(got, [w1, w2], rtol=1e-13)
    assert got[0] == pytest.approx([1 - 0.05 / math.sqrt(0.1)] * 2, rel=1e-7)


def test_adam_by_hand_with_bias_correction():
    # step 1: m1 = 0.1·g0 = (0.2, 0.6), v1 = 0.001·g0² = (0.004, 0.036)
    #         m̂ = m1/(1-0.9) = (2, 6), v̂ = v1/(1-0.999) = (4, 36): the step is 0.1·(1, 1)
    w1x = 1 - 0.1 * 2 / (2 + EPS)
    w1y = 1 - 0.1 * 6 / (6 + EPS)
    # step 2: g1 = (1.8, 5.4) (≈), m2 = 0.9 m1 + 0.1 g1, v2 = 0.999 v1 + 0.001 g1²
    g1x, g1y = 2 * w1x, 6 * w1y
    m2x, m2y = 0.9 * 0.2 + 0.1 * g1x, 0.9 * 0.6 + 0.1 * g1y
    v2x, v2y = 0.999 * 0.004 + 0.001 * g1x**2, 0.999 * 0.036 + 0.001 * g1y**2
    c1, c2 = 1 - 0.9**2, 1 - 0.999**2
    w2x = w1x - 0.1 * (m2x / c1) / (math.sqrt(v2x / c2) + EPS)
    w2y = w1y - 0.1 * (m2y / c1) / (math.sqrt(v2y / c2) + EPS)
    got = first_points("adam", lr=0.1, beta1=0.9, beta2=0.999, eps=EPS)
    np.testing.assert_allclose(got, [[w1x, w1y], [w2x, w2y]], rtol=1e-12)
    # The first step is lr in each coordinate; without bias correction it would be
    # 0.1·0.2/√0.004 ≈ 0.316.
    np.testing.assert_allclose(got[0], [0.9, 0.9], rtol=1e-8)
    np.testing.assert_allclose(got[1], [0.80041, 0.80041], atol=1e-5)


def test_newton_by_hand():
    # H⁻¹∇f = (2/2, 6/6) = (1, 1): with lr = 0.5 each step halves the point
    got = first_points("newton", lr=0.5)
    np.testing.assert_allclose(got, [[0.5, 0.5], [0.25, 0.25]], rtol=1e-14)
    # a full Newton step lands on the minimum of a quadratic and stops there
    traj = descend(BOWL, (1.0, 1.0), "newton", lr=1.0, steps=50)
    assert traj.status == "converged" and traj.stop_step == 1
    np.testing.assert_allclose(traj.points, [[1.0, 1.0], [0.0, 0.0]], atol=1e-15)


# -- convergence and stopping ------------------------------------------------------------------


SHIFTED_BOWL = parse_loss("(x - 1)^2 + 2(y + 0.5)^2")


@pytest.mark.parametrize(
    ("optimizer", "lr"),
    [("gd", 0.1), ("momentum", 0.05), ("nesterov", 0.05), ("adagrad", 0.5),
     ("rmsprop", 0.05), ("adam", 0.1), ("newton", 1.0)],
)
def test_every_optimizer_converges_on_a_convex_bowl(optimizer, lr):
    traj = descend(SHIFTED_BOWL, (-1.5, 2.0), optimizer, lr=lr, steps=3000)
    assert traj.status == "converged", traj.message()
    np.testing.assert_allclose(traj.points[-1], [1.0, -0.5], atol=1e-5)
    assert traj.grad_norms[-1] < 1e-6
    assert traj.message() == f"converged at step {traj.stop_step}"


def test_every_optimizer_is_tested():
    assert set(OPTIMIZERS) == {"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam",
                               "newton"}


def test_gd_with_too_large_a_step_diverges():
    # x² + y² with lr = 1.5: w_{k+1} = (1 - 2·1.5)·w_k = -2·w_k, the loss grows 4× per step
    loss = parse_loss("x^2 + y^2")
    traj = descend(loss, (1.0, 1.0), "gd", lr=1.5, steps=500)
    assert traj.status == "diverged"
    assert isinstance(traj.stop_step, int) and 0 < traj.stop_step < 500
    assert len(traj.points) == traj.stop_step + 1
    assert traj.reason
    assert traj.message() == f"diverged at step {traj.stop_step}: {traj.reason}"
    assert traj.message().startswith(f"diverged at step {traj.stop_step}: ")
    k = np.arange(traj.stop_step + 1)
    np.testing.assert_allclose(traj.points, np.outer((-2.0) ** k, [1.0, 1.0]))
    assert np.all(np.diff(traj.losses) > 0)


def test_divergence_to_non_finite_values():
    # log(x) at x = 0.5 has slope 2: one gd step with lr 1 lands on x = -1.5, where the
    # loss is undefined.
    loss = parse_loss("log(x) + y^2")
    traj = descend(loss, (0.5, 0.0), "gd", lr=1.0, steps=100)
    assert traj.status == "diverged" and traj.stop_step == 1
    np.testing.assert_allclose(traj.points[1], [-1.5, 0.0])
    assert np.isnan(traj.losses[1])
    assert traj.message() == "diverged at step 1: the loss is undefined there"


def test_undefined_start_diverges_at_step_zero():
    traj = descend(parse_loss("log(x) + y"), (-1.0, 0.0), "gd", steps=10)
    assert traj.status == "diverged" and traj.stop_step == 0
    assert traj.points.shape == (1, 2)
    # (it never left the start: not "diverged at step 0", and no ∇f at a point f lacks,
    # though 1/x is finite there)
    assert traj.message() == "The loss is undefined at the start"
    assert np.isnan(traj.gradients).all() and np.isnan(traj.grad_norms).all()


@pytest.mark.parametrize("text, start", [("1/(x^2 + y^2)", (0.0, 0.0)),
                                         ("log(x) + y^2", (0.0, 0.5))])
def test_a_start_where_f_is_infinite_says_so(text, start):
    """It read "diverged at step 0: loss became infinite", in red, though no step was taken."""
    traj = descend(parse_loss(text), start, "gd", steps=10)
    assert traj.stop_step == 0 and traj.message() == "The loss is infinite at the start"


@pytest.mark.parametrize("text, start", [("1/x + y^2", (0.0, 0.5)), ("y/x", (0.0, 1.0)),
                                         ("1/(x*y)", (1.0, 0.0)), ("-1/(x - 2)", (2.0, 0.0))])
def test_a_start_on_a_pole_with_two_infinities_is_undefined(text, start):
    """1/x at 0 read "The loss is infinite at the start" (numpy's 1/0.0 = ∞), though f runs
    to −∞ on one side: it has no value there."""
    traj = descend(parse_loss(text), start, "gd", steps=10)
    assert traj.stop_step == 0
    assert traj.message() == ("The loss is undefined at the start (−∞ on one side, ∞ on "
                              "the other)")


def test_pole_sides():
    from gdviz.core.limits import pole_mask, pole_sides

    # (all points at once, as descend asks for every run whose f became infinite)
    points = np.array([[0.0, 0.5], [0.0, 0.0], [1.0, 0.0], [2.0, 2.0]])
    assert list(pole_mask(parse_loss("1/x + y^2").value, points)) == [True, True, False, False]
    assert list(pole_mask(parse_loss("1/(x*y)").value, points[2:])) == [True, False]
    assert not pole_mask(parse_loss("1/x^2 + y").value, points).any()

    assert pole_sides(lambda x: 1 / x, 0.0) == (-math.inf, math.inf)
    assert pole_sides(lambda x: -1 / (x - 5.0), 5.0) == (math.inf, -math.inf)
    for f, a in ((lambda x: 1 / x**2, 0.0), (np.log, 0.0), (lambda x: x, 0.0),
                 (lambda x: 1 / x, 1.0)):
        assert pole_sides(f, a) is None


def test_a_run_landing_where_f_is_minus_infinity_fell_without_bound():
    """Newton on log(w1) + w2² from (1, 0.2) lands on w1 = 0, f = −∞: "diverged: the loss
    became infinite" beside a final loss of −∞ read as an η too large, where the Compare
    table and the basins map say "f → −∞" of runs sliding down for ever (a QA round)."""
    traj = descend(parse_loss("log(w1) + w2^2"), (1.0, 0.2), "newton", steps=50)
    assert traj.losses[-1] == -math.inf
    assert traj.message() == ("diverged at step 1: the loss fell without bound (f has no "
                              "minimum that way)")
    # (a start at −∞ is said of the start, as before)
    start = descend(parse_loss("log(w1) + w2^2"), (0.0, 0.2), "gd", steps=5)
    assert start.message() == "The loss is infinite at the start"


def test_a_start_on_a_corner_that_is_not_lowest_says_so():
    """−|x| + y² from (0, 0): "diverged at step 0: the gradient is undefined there", at a
    start it never left."""
    traj = descend(parse_loss("-abs(x) + y^2"), (0.0, 0.0), "gd", steps=10)
    assert traj.stop_step == 0
    assert traj.message() == ("The gradient is undefined at the start (a corner of f, not "
                              "lowest around it)")


def test_max_steps():
    traj = descend(BOWL, (1.0, 1.0), "gd", lr=0.01, steps=5)
    assert traj.status == "max_steps"
    assert traj.stop_step == 5
    assert traj.message() == "stopped after 5 steps"
    assert traj.points.shape == (6, 2)
    assert traj.lrs.shape == (5,)


def test_single_start_is_truncated_at_convergence_and_aligned():
    traj = descend(BOWL, (1.0, -2.0), "gd", lr=0.1, steps=1000, tol=1e-6)
    assert isinstance(traj, Trajectory)
    assert traj.status == "converged" and traj.stop_step < 1000
    n = traj.stop_step + 1
    assert traj.points.shape == (n, 2)
    assert traj.losses.shape == traj.grad_norms.shape == (n,)
    assert traj.gradients.shape == (n, 2)
    np.testing.assert_array_equal(traj.points[0], [1.0, -2.0])
    a, b = traj.points[:, 0], traj.points[:, 1]
    np.testing.assert_allclose(traj.losses, BOWL.value(a, b), rtol=1e-14)
    ga, gb = BOWL.gradient(a, b)
    np.testing.assert_allclose(traj.grad_norms, np.hypot(ga, gb), rtol=1e-14)
    assert traj.grad_norms[-1] < 1e-6
    assert np.all(traj.grad_norms[:-1] >= 1e-6)  # it stopped at the first converged point
    assert traj.lrs.shape == (n - 1,)
    np.testing.assert_allclose(traj.steps[1:], np.diff(traj.points, axis=0))


def test_start_at_the_minimum_converges_at_step_zero():
    traj = descend(BOWL, (0.0, 0.0), "adam")
    assert traj.status == "converged" and traj.stop_step == 0
    assert traj.points.shape == (1, 2)


# -- many starts at once -----------------------------------------------------------------------


QUARTIC = parse_loss("x^4 + y^2")
STARTS = np.array([[0.0, 0.0], [0.5, 0.5], [10.0, 0.0], [-0.3, 1.0], [0.2, -4.0]])


def pad(points: np.ndarray, length: int) -> np.ndarray:
    extra = np.repeat(points[-1:], length - len(points), axis=0)
    return np.concatenate([points, extra])


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam", "newton"])
def test_many_starts_run_independently(optimizer):
    steps = 30
    lr = {"gd": 0.1, "momentum": 0.05, "adam": 0.1, "newton": 1.0}[optimizer]
    many = descend(QUARTIC, STARTS, optimizer, lr=lr, steps=steps)
    n = len(STARTS)
    assert many.points.shape == (n, steps + 1, 2)
    assert many.losses.shape == many.grad_norms.shape == (n, steps + 1)
    assert len(many.status) == len(many.stop_step) == len(many.reason) == n
    np.testing.assert_array_equal(many.points[:, 0], STARTS)
    for i, start in enumerate(STARTS):
        one = descend(QUARTIC, start, optimizer, lr=lr, steps=steps)
        assert many.status[i] == one.status
        assert many.stop_step[i] == one.stop_step
        assert many.reason[i] == one.reason
        assert many.message(i) == one.message()
        np.testing.assert_allclose(many.points[i], pad(one.points, steps + 1), rtol=1e-12,
                                   equal_nan=True)
        np.testing.assert_allclose(many.losses[i], pad(one.losses[:, None], steps + 1)[:, 0],
                                   rtol=1e-12, equal_nan=True)


def test_many_starts_have_their_own_statuses():
    many = descend(QUARTIC, STARTS, "gd", lr=0.1, steps=30)
    status = list(many.status)
    assert status[0] == "converged" and many.stop_step[0] == 0
    assert status[1] == "max_steps" and many.stop_step[1] == 30  # x⁴ is flat near 0: slow
    assert status[2] == "diverged"  # 10 - 0.1·4·1000 = -390: overshoots and explodes
    assert 0 < many.stop_step[2] < 30
    assert set(status) == {"converged", "max_steps", "diverged"}
    # a run that stopped repeats its last point
    k = many.stop_step[2]
    assert np.all(many.points[2, k:] == many.points[2, k])
    assert many.message(1) == "stopped after 30 steps"


def test_one_start_given_as_an_array_of_starts_keeps_the_batch_shape():
    traj = descend(BOWL, np.array([[1.0, 1.0]]), "gd", lr=0.1, steps=4)
    assert traj.points.shape == (1, 5, 2)
    np.testing.assert_allclose(traj.points[0, :3], [[1, 1], [0.8, 0.4], [0.64, 0.16]])


# -- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"optimizer": "sgdx"},
        {"optimizer": "gd", "foo": 1.0},
        {"optimizer": "adam", "beta": 0.9},
        {"optimizer": "gd", "lr": 0.0},
        {"optimizer": "gd", "lr": -0.1},
        {"optimizer": "gd", "lr": float("nan")},
        {"optimizer": "gd", "lr": float("inf")},
        {"optimizer": "momentum", "momentum": 1.5},
        {"optimizer": "rmsprop", "rho": -0.1},
        {"optimizer": "adam", "beta2": 1.0},
        {"optimizer": "adam", "eps": 0.0},
        {"optimizer": "gd", "steps": -1},
        {"optimizer": "gd", "schedule": "sometimes"},
        {"optimizer": "gd", "schedule": "step", "decay": 1.5},
        {"optimizer": "gd", "gradient": "magic"},
        {"optimizer": "gd", "gradient": "forward", "fd_h": 0.0},
        {"optimizer": "gd", "noise": -1.0},
        {"optimizer": "gd", "tol": -1.0},  # (acted as 1: "converged" at ‖∇f‖ = 0.93)
        {"optimizer": "gd", "tol": float("nan")},
    ],
)
def test_bad_settings_raise_value_error(kwargs):
    with pytest.raises(ValueError):
        descend(BOWL, (1.0, 1.0), **kwargs)


@pytest.mark.parametrize(("kwargs", "words"), [
    # numpy's or Python's words before ("cannot convert float NaN to integer", "expected
    # non-negative integer"), or run without a word (2.5 steps ran 2; "0.1", True as η)
    ({"steps": float("nan")}, "steps must be a whole number from 0 to 1,000,000 (got nan)"),
    ({"steps": 2.5}, "steps must be a whole number"),
    ({"steps": "5"}, "steps must be a number (got '5')"),
    ({"lr": "0.1"}, "the learning rate must be a number (got '0.1')"),
    ({"lr": True}, "the learning rate must be a number (got True)"),
    ({"seed": -1}, "seed must be a whole number"),
    ({"noise": "0.1"}, "noise must be a number"),
])
def test_settings_of_the_wrong_kind_are_said_in_gdviz_s_words(kwargs, words):
    with pytest.raises(ValueError) as info:
        descend(BOWL, (1.0, 1.0), "gd", **kwargs)
    assert str(info.value).startswith(words), str(info.value)
    # (numpy's own numbers are numbers, a 0-d array too)
    assert len(descend(BOWL, (1.0, 1.0), "gd", steps=np.int64(3), tol=0.0).points) == 4
    assert len(descend(BOWL, (1.0, 1.0), "gd", steps=np.array(3), tol=0.0).points) == 4


@pytest.mark.parametrize("name", ["steps", "lr", "tol", "noise"])
def test_an_integer_too_large_for_a_float_is_a_value_error(name):
    """10**400 raised OverflowError from float(), not gdviz's ValueError."""
    with pytest.raises(ValueError):
        descend(BOWL, (1.0, 1.0), "gd", **{name: 10**400})


@pytest.mark.parametrize("start", [(1.0,), (1.0, 2.0, 3.0), [[1.0, 2.0, 3.0]], 5.0,
                                   np.zeros((0, 2)), np.zeros((2, 2, 2)),
                                   (float("nan"), 0.0), (float("inf"), 1.0),
                                   "1,2", [1 + 2j, 3.0], [["a", 1.0]]])
def test_bad_starts_raise_value_error(start):
    # gdviz's own words, not numpy's ("cannot reshape array of size 3 into shape (2)", "the
    # truth value of an empty array is ambiguous")
    with pytest.raises(ValueError, match="^start must"):
        descend(BOWL, start, "gd")


@pytest.mark.parametrize("loss", ["x^2 + y^2", None, 3.0])
def test_a_loss_that_is_not_one_is_refused_in_gdviz_s_words(loss):
    """descend("x^2", …) failed inside: "'str' object has no attribute 'value_and_gradient'"."""
    with pytest.raises(TypeError, match="^descend needs a loss from parse_loss"):
        descend(loss, (1.0, 1.0), "gd")


def test_the_message_of_many_starts_asks_which_run():
    traj = descend(BOWL, [[1.0, 1.0], [2.0, 2.0]], "gd", 0.1)
    assert traj.message(run=1).startswith("converged at step")
    with pytest.raises(ValueError, match=r"holds 2 runs: ask for one, message\(run=i\)"):
        traj.message()
    # A run asked for that is not one, in gdviz's words (numpy's said "index 2 is out of
    # bounds for axis 0 with size 2"; True was taken as run 1)
    assert traj.message(run=-1) == traj.message(run=1)
    with pytest.raises(IndexError, match="^no run 2: this trajectory holds runs 0 to 1$"):
        traj.message(run=2)
    for bad in (1.5, "0", True):
        with pytest.raises(TypeError, match="^run must be a whole number"):
            traj.message(run=bad)
    one = descend(BOWL, (1.0, 1.0), "gd", 0.1)
    with pytest.raises(ValueError, match="holds one run: ask for message"):
        one.message(run=0)  # (it said "'int' object is not subscriptable")


def test_derivative_steps_of_text_says_what_it_needs():
    from gdviz import derivative_steps

    with pytest.raises(TypeError, match="^derivative_steps needs a loss from parse_loss"):
        derivative_steps("x^2", "x")  # ("'str' object has no attribute 'variables'")


def test_defaults_come_from_the_optimizer_table():
    traj = descend(BOWL, (1.0, 1.0), "adam", steps=1)
    assert traj.lr == OPTIMIZERS["adam"].lr
    assert traj.hyper == OPTIMIZERS["adam"].hyper
    traj = descend(BOWL, (1.0, 1.0), "ADAM", steps=1, beta1=0.5)
    assert traj.optimizer == "adam" and traj.hyper["beta1"] == 0.5


# -- schedules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "options", "expected"),
    [
        ("constant", {}, [0.1] * 8),
        ("step", {"decay": 0.5, "decay_steps": 3},
         [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025]),
        ("exponential", {"decay": 0.9}, [0.1 * 0.9**k for k in range(8)]),
        ("cosine", {}, [0.1 * (1 + math.cos(math.pi * k / 8)) / 2 for k in range(8)]),
        ("inverse_sqrt", {}, [0.1 / math.sqrt(1 + k) for k in range(8)]),
    ],
)
def test_schedules_set_the_learning_rate_of_each_step(schedule, options, expected):
    traj = descend(BOWL, (1.0, 1.0), "gd", lr=0.1, steps=8, schedule=schedule, **options)
    assert traj.status == "max_steps"
    np.testing.assert_allclose(traj.lrs, expected, rtol=1e-14)
    # and the path really used them: w_{k+1} = w_k - lr_k ∇f(w_k)
    np.testing.assert_allclose(np.diff(traj.points, axis=0),
                               -np.asarray(expected)[:, None] * traj.gradients[:-1],
                               rtol=1e-12, atol=1e-15)
    if schedule != "constant":
        plain = descend(BOWL, (1.0, 1.0), "gd", lr=0.1, steps=8)
        assert np.max(np.abs(plain.points - traj.points)) > 1e-3


@pytest.mark.parametrize("options, message", [
    ({"decay_steps": 2.5}, "decay_steps must be a whole number"),  # (it ran as 2)
    ({"decay": "0.9"}, "decay must be a number"),  # (numpy's "'<' not supported …")
    ({"decay": 1.5}, "decay must be in")])
def test_a_schedule_s_parameters_are_checked_in_gdviz_s_words(options, message):
    with pytest.raises(ValueError, match=message):
        descend(BOWL, (1.0, 1.0), "gd", lr=0.1, steps=8, schedule="step", **options)


# -- noise and finite-difference gradients -----------------------------------------------------


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_noise_moves_every_optimizer_reproducibly(optimizer):
    # Nesterov takes its gradient at a look-ahead point; it used to ignore the noise.
    run = dict(optimizer=optimizer, steps=10, noise=0.5)
    a = descend(BOWL, (1.0, 1.0), seed=1, **run)
    b = descend(BOWL, (1.0, 1.0), seed=1, **run)
    c = descend(BOWL, (1.0, 1.0), seed=2, **run)
    clean = descend(BOWL, (1.0, 1.0), optimizer, steps=10)
    np.testing.assert_array_equal(a.points, b.points)
    n = min(len(a.points), len(c.points), len(clean.points))
    assert np.max(np.abs(a.points[:n] - c.points[:n])) > 1e-3
    assert np.max(np.abs(a.points[:n] - clean.points[:n])) > 1e-3


def test_noise_is_reproducible_with_a_seed():
    run = dict(optimizer="gd", lr=0.05, steps=20, noise=0.5)
    a = descend(BOWL, (1.0, 1.0), seed=1, **run)
    b = descend(BOWL, (1.0, 1.0), seed=1, **run)
    c = descend(BOWL, (1.0, 1.0), seed=2, **run)
    clean = descend(BOWL, (1.0, 1.0), "gd", lr=0.05, steps=20)
    np.testing.assert_array_equal(a.points, b.points)
    assert a.points.shape == c.points.shape
    assert np.max(np.abs(a.points - c.points)) > 1e-3
    assert np.max(np.abs(a.points - clean.points)) > 1e-3
    # the recorded gradients are the exact ones, not the noisy ones
    np.testing.assert_allclose(a.gradients[:, 0], 2 * a.points[:, 0])


def test_noise_zero_is_plain_descent():
    a = descend(BOWL, (1.0, 1.0), "gd", lr=0.05, steps=20, noise=0.0, seed=7)
    b = descend(BOWL, (1.0, 1.0), "gd", lr=0.05, steps=20)
    np.testing.assert_array_equal(a.points, b.points)


def test_central_differences_follow_the_symbolic_path():
    loss = parse_loss("sin(x)*cos(y) + 0.1(x^2 + y^2)")
    exact = descend(loss, (1.0, 0.5), "gd", lr=0.2, steps=40)
    central = descend(loss, (1.0, 0.5), "gd", lr=0.2, steps=40, gradient="central", fd_h=1e-5)
    assert central.points.shape == exact.points.shape
    np.testing.assert_allclose(central.points, exact.points, atol=1e-7)


def test_forward_differences_with_a_big_step_go_elsewhere():
    # On x² + 3y² at (1, 1) with h = 0.5: ((1.5)² - 1)/0.5 = 2.5 and (3·1.5² - 3)/0.5 = 7.5,
    # so the first gd step with lr 0.1 lands on (0.75, 0.25) instead of (0.8, 0.4).
    traj = descend(BOWL, (1.0, 1.0), "gd", lr=0.1, steps=10, gradient="forward", fd_h=0.5)
    np.testing.assert_allclose(traj.points[1], [0.75, 0.25], rtol=1e-14)
    exact = descend(BOWL, (1.0, 1.0), "gd", lr=0.1, steps=10)
    assert np.max(np.abs(traj.points - exact.points)) > 0.05


def test_converged_by_is_true_from_the_converging_step_on():
    from gdviz import descend, parse_loss

    traj = descend(parse_loss("x^2 + y^2"), (1.0, 1.0), "gd", lr=0.1, steps=200)
    k = int(traj.stop_step)
    assert traj.status == "converged"
    assert not traj.converged_by(k - 1) and traj.converged_by(k) and traj.converged_by(k + 5)
    unfinished = descend(parse_loss("x^2 + y^2"), (1.0, 1.0), "gd", lr=0.1, steps=5)
    assert not unfinished.converged_by(5)


def test_the_readme_s_api_example_says_what_descend_gives():
    """The README's Python API example quoted step 212; descend gave 219."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    quoted = re.search(r'# "(converged at step \d+)"', readme)
    assert quoted is not None
    loss = parse_loss("sin(w1)*w2*(1-w2)")
    t = descend(loss, (-0.5, 0.2), optimizer="adam", lr=0.05, steps=300)
    assert t.message() == quoted.group(1)


def test_a_hyperparameter_the_optimizer_does_not_use_is_said_so():
    """descend(loss, start, "gd", momentum=0.9) was plain gradient descent, without a word."""
    loss = parse_loss("x^2 + 3*y^2")
    with pytest.warns(UserWarning, match="gd does not use momentum"):
        t = descend(loss, (1.0, 1.0), "gd", lr=0.1, steps=5, momentum=0.9)
    assert np.allclose(t.points, descend(loss, (1.0, 1.0), "gd", lr=0.1, steps=5).points)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (a used one: no word)
        descend(loss, (1.0, 1.0), "momentum", lr=0.1, steps=5, momentum=0.9)


def test_a_run_spec_with_an_unused_hyperparameter_computes_quietly():
    """A session file may name one the run's optimizer does not use: the window's runs
    pass on only the ones it does (no warning on every recompute)."""
    import warnings

    from gdviz.core.compare import descend_spec
    from gdviz.core.session import RunSpec

    spec = RunSpec(optimizer="gd", lr=0.1, start=(1.0, 1.0), steps=5, hyper={"momentum": 0.9})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = descend_spec(parse_loss("x^2 + y^2"), spec)
    assert t.status in ("converged", "max_steps")


def test_a_run_s_message_is_worked_out_once():
    """The readouts ask each playback frame for every finished run's message, whose notes
    read the whole path (5 ms for 100,000 steps): it is kept, per run."""
    traj = descend(parse_loss("x^2 + 10*y^2"), (1.0, 1.0), "gd", lr=0.1, steps=200)
    first = traj.message()
    assert "overshooting" in first
    traj.points[:] = traj.points[0]  # (worked out again, it would read "has not moved")
    assert traj.message() == first
