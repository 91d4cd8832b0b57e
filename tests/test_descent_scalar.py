"""A single run's descent on scalars (gdviz.core.descent_scalar) is the array code's, bit for
bit: every optimizer but Newton, schedules, noise, convergence and every kind of divergence."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from gdviz import LossError, parse_loss
from gdviz.core import descent as descent_module
from gdviz.core.descent import descend
from gdviz.core.descent_scalar import compile_scalar

OPTIMIZERS = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]


def both(loss, start, *args, **kwargs):
    """(one start through the scalar path, the same start as a batch of one: array code)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # neither path may leak numpy warnings
        one = descend(loss, start, *args, **kwargs)
        batch = descend(loss, np.array([start], dtype=float), *args, **kwargs)
    # A single run's partials that do not exist (on a crease of |x|, max) read NaN for
    # display; the batch code keeps the numbers it stepped with: the same rule put on them.
    from gdviz.core.limits import cusp_mask
    from gdviz.core.special_points import corner_mask

    on = corner_mask(loss, batch.points[0]) | cusp_mask(loss.value, batch.points[0],
                                                        batch.gradients[0])
    batch.gradients[0][on] = np.nan
    batch.grad_norms[0][on.any(axis=1)] = np.nan
    return one, batch


def assert_same(one, batch) -> None:
    end = int(one.stop_step) + 1
    if one.reason.endswith("and was still rising"):
        # (an end check of one run's whole path, made for one start only: many starts keep
        # their last three points, descend(path=False), and say "stopped" there)
        assert batch.status[0] == "max_steps" and batch.reason[0] == ""
    else:
        assert one.status == batch.status[0]
        assert one.reason == batch.reason[0]
    assert one.stop_step == batch.stop_step[0]
    assert len(one.points) == end
    for mine, theirs in ((one.points, batch.points[0]), (one.losses, batch.losses[0]),
                         (one.gradients, batch.gradients[0]),
                         (one.grad_norms, batch.grad_norms[0])):
        np.testing.assert_array_equal(mine, theirs[:end])  # NaN equals NaN here; bits else
    assert set(one.state) == set(batch.state)
    for key in one.state:
        np.testing.assert_array_equal(one.state[key], batch.state[key][0, :end])
    np.testing.assert_array_equal(one.lrs, batch.lrs[: end - 1])


def test_the_single_path_is_taken_and_is_faster_per_step(monkeypatch):
    # guards the comparisons below: a single start really goes through descend_one
    calls = []
    real = descent_module.descend_one
    monkeypatch.setattr(descent_module, "descend_one",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    loss = parse_loss("sin(w1)*w2*(1-w2)")
    descend(loss, (1.0, 0.2), "adam", 0.1, 50)
    descend(loss, np.array([[1.0, 0.2]]), "adam", 0.1, 50)  # a batch: the array code
    descend(loss, (1.0, 0.2), "newton", 1.0, 50)  # Newton: the array code
    descend(loss, (1.0, 0.2), "gd", 0.1, 50, gradient="central")  # differences: arrays
    assert calls == [1]


LOSSES = ["sin(w1)*w2*(1-w2)", "(1-x)^2 + 100*(y-x^2)^2", "(x^2+y-11)^2 + (x+y^2-7)^2",
          "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)", "abs(x) + 2*abs(y)",
          "max(x, y) + x^2", "sqrt(x^2 + y^2 + 1)", "exp(x) + y^2", "log(x) + y^2",
          "x/y + y^2", "x + 2*y", "x^4 + y^4 - x*y", "tanh(x*y) + 0.1*x^2",
          "x^(4/3) + (y - x)^(2/3)"]


@pytest.mark.parametrize("text", LOSSES)
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_same_path_on_the_presets_and_hard_cases(text, optimizer):
    loss = parse_loss(text)
    for start, lr in (((1.3, -0.7), 0.02), ((-2.0, 2.5), 0.3), ((0.5, 0.5), 3.0)):
        assert_same(*both(loss, start, optimizer, lr, 120))


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("schedule, options", [("step", {"decay": 0.5, "decay_steps": 10}),
                                               ("exponential", {"decay": 0.97}),
                                               ("cosine", {}), ("inverse_sqrt", {})])
def test_same_path_with_schedules_and_noise(optimizer, schedule, options):
    loss = parse_loss("(1-x)^2 + 100*(y-x^2)^2")
    for noise in (0.0, 0.5):
        one, batch = both(loss, (-1.2, 1.0), optimizer, 0.01, 200, schedule=schedule,
                          noise=noise, seed=7, **options)
        assert_same(one, batch)


def test_every_divergence_and_convergence_is_the_same():
    cases = [("x^2 + y^2", (1.0, 1.0), "gd", 0.1, "converged", ""),
             ("x^2 + y^2", (1.0, 1.0), "gd", 1.5, "diverged", "grew"),
             ("x + 2*y", (0.0, 0.0), "gd", 1e9, "diverged", "fell"),
             ("log(x) + y^2", (0.05, 1.0), "gd", 0.1, "diverged", "undefined"),
             ("exp(x^2) + y^2", (2.0, 0.0), "gd", 1.0, "diverged", "infinite"),
             # (−1/x² lands on −∞: f fell without bound)
             ("-1/x^2 + y^2", (0.5, 0.0), "gd", 1 / 32, "diverged", "fell without bound"),
             # (−1/x lands on its pole, −∞ one side and ∞ the other: f has no value there)
             ("-1/x + y^2", (0.5, 0.0), "gd", 0.125, "diverged", "−∞ on one side"),
             ("x^3 + y^2", (-1.0, 0.0), "gd", 0.5, "diverged", "")]
    seen = set()
    for text, start, opt, lr, status, word in cases:
        one, batch = both(parse_loss(text), start, opt, lr, 500)
        assert_same(one, batch)
        assert one.status == status and word in one.reason, (text, one.status, one.reason)
        seen.add(one.reason)
    assert len(seen) >= 5  # several different reasons were compared, not one


def test_a_stopped_start_takes_no_step():
    loss = parse_loss("log(x) + y^2")
    assert_same(*both(loss, (-1.0, 0.0), "adam", 0.1, 10))  # undefined at the start
    assert_same(*both(parse_loss("x^2 + y^2"), (0.0, 0.0), "adam", 0.1, 10))  # minimum


def test_the_scalar_function_matches_the_array_function_bit_for_bit():
    loss = parse_loss("sin(3*x)*exp(-y^2) + atan(x*y) + abs(x - y)^1.5 + max(x, 0.2*y)")
    scalar = compile_scalar(loss._fg)
    rng = np.random.default_rng(1)
    a, b = rng.uniform(-3, 3, 500), rng.uniform(-3, 3, 500)
    arrays = loss.value_and_gradient(a, b)
    with np.errstate(all="ignore"):
        for i in range(len(a)):
            values = scalar(np.float64(a[i]), np.float64(b[i]))
            assert all(isinstance(v, np.float64) for v in values)
            assert [v.tobytes() for v in values] == [arr[i].tobytes() for arr in arrays]


LEAVES = st.sampled_from(["x", "y", "x", "y", "1", "2", "0.5", "e"])


def _extend(children):
    return st.one_of(
        st.builds("{}({})".format, st.sampled_from(["sin", "cos", "exp", "log", "sqrt",
                                                     "abs", "tanh", "atan"]), children),
        st.builds("({} {} {})".format, children, st.sampled_from("+-*/"), children),
        st.builds("({})^{}".format, children, st.sampled_from(["2", "3", "-1", "0.5", "1.5"])),
        st.builds("{}({}, {})".format, st.sampled_from(["max", "min"]), children, children))


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=st.recursive(LEAVES, _extend, max_leaves=6),
       start=st.tuples(st.sampled_from([-1.5, -0.3, 0.7, 2.1]), st.sampled_from([-2.2, 0.4, 1.1])),
       optimizer=st.sampled_from(OPTIMIZERS), lr=st.sampled_from([0.01, 0.1, 1.0]))
def test_same_path_on_random_losses(text, start, optimizer, lr):
    try:
        loss = parse_loss(text)
    except LossError:
        reject()
    assert_same(*both(loss, start, optimizer, lr, 60))


def test_a_loss_that_becomes_infinite_is_caught_whatever_its_start_value():
    # |f0| near the largest float makes the loss bound itself infinite: the step's quick
    # check must still see an infinite loss (the array path once let it through).
    loss = parse_loss("2*exp(min(709.7, max(700, 700 + y))) - y")
    one, batch = both(loss, (0.0, -1.0), "gd", 20.0, 5)
    assert_same(one, batch)
    assert one.status == "diverged" and one.reason == "the loss became infinite"


def test_a_run_longer_than_the_rows_written_at_once_is_the_same():
    from gdviz.core.descent_scalar import ROWS_AT_ONCE

    loss = parse_loss("(1-x)^2 + 100*(y-x^2)^2")
    one, batch = both(loss, (-1.2, 1.0), "adam", 0.001, 2 * ROWS_AT_ONCE + 17)
    assert one.stop_step > ROWS_AT_ONCE
    assert_same(one, batch)
