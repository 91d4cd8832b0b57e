"""The linear-regression loss: its minimum is the least-squares solution."""

from __future__ import annotations

import numpy as np
import pytest

from gdviz import descend, parse_loss
from gdviz.core.regression import (
    DEFAULT_DATA,
    MAX_POINTS,
    data_from_loss_text,
    fitted_line,
    format_number,
    least_squares,
    mse,
    mse_gradient,
    regression_loss_text,
    suggested_domain,
)
from gdviz.core.text import MAX_LENGTH


def lstsq(xs, ys):
    design = np.column_stack([xs, np.ones(len(xs))])
    return np.linalg.lstsq(design, np.asarray(ys, dtype=float), rcond=None)[0]


def test_default_data_is_small_and_linear():
    xs, ys = DEFAULT_DATA
    assert 6 <= len(xs) == len(ys) <= 10
    w1, w2 = least_squares(xs, ys)
    assert 0.5 < w1 < 1.0 and 0.8 < w2 < 1.3
    assert mse(w1, w2, xs, ys) < 0.05  # clearly linear, a little noise


@pytest.mark.parametrize("optimizer, lr, steps", [("newton", 1.0, 20), ("gd", 0.1, 2000)])
def test_minimum_of_the_loss_is_least_squares(optimizer, lr, steps):
    xs, ys = DEFAULT_DATA
    loss = parse_loss(regression_loss_text(xs, ys))
    assert loss.variables == ("w1", "w2")
    traj = descend(loss, (-1.0, 3.0), optimizer, lr, steps, tol=1e-10)
    assert np.allclose(traj.points[-1], lstsq(xs, ys), atol=1e-6)
    assert np.allclose(least_squares(xs, ys), lstsq(xs, ys), atol=1e-12)


def test_gradient_vanishes_at_least_squares_and_matches_numpy_version():
    rng = np.random.default_rng(7)
    xs = np.round(rng.uniform(-5, 5, 20), 3)
    ys = np.round(2.5 * xs - 1.0 + rng.normal(0, 0.5, 20), 3)
    loss = parse_loss(regression_loss_text(xs, ys))
    w1, w2 = lstsq(xs, ys)
    g = np.array(loss.gradient(w1, w2), dtype=float)
    assert np.all(np.abs(g) < 1e-9)
    for a, b in [(0.3, -1.2), (2.0, 4.0)]:
        assert np.allclose(loss.gradient(a, b), mse_gradient(a, b, xs, ys), rtol=1e-10)
        assert float(loss.value(a, b)) == pytest.approx(mse(a, b, xs, ys), rel=1e-12)


def test_text_is_readable_and_round_trips():
    text = regression_loss_text([1, -2.5], [2.1, -0.3])
    assert text == "((w1 + w2 - 2.1)^2 + (-2.5*w1 + w2 + 0.3)^2)/2"
    assert data_from_loss_text(text) == ((1.0, -2.5), (2.1, -0.3))
    # No "0*w1", "1*w1" or "- 0" (as written by hand); the long forms still read back
    short = regression_loss_text([0, -1, 2], [1e6, 0, 0])
    assert short == "((w2 - 1000000)^2 + (-w1 + w2)^2 + (2*w1 + w2)^2)/3"
    assert data_from_loss_text(short) == ((0.0, -1.0, 2.0), (1e6, 0.0, 0.0))
    assert data_from_loss_text("((1*w1 + w2 - 2.1)^2 + (0*w1 + w2 - 0)^2)/2") == \
        ((1.0, 0.0), (2.1, 0.0))
    assert data_from_loss_text("sin(w1)*w2*(1-w2)") is None
    assert data_from_loss_text("((1*w1 + w2 - 2.1)^2)/3") is None  # count mismatch


def test_the_stable_learning_rate_is_where_descent_stops_diverging():
    from gdviz.core.descent import descend
    from gdviz.core.loss import parse_loss
    from gdviz.core.regression import stable_lr

    xs, ys = DEFAULT_DATA
    limit = stable_lr(xs)
    loss = parse_loss(regression_loss_text(xs, ys))
    below = descend(loss, (0.0, 0.0), "gd", 0.95 * limit, 400)
    above = descend(loss, (0.0, 0.0), "gd", 1.05 * limit, 400)
    assert below.status != "diverged" and below.losses[-1] < below.losses[0]
    assert above.status == "diverged" or above.losses[-1] > above.losses[0]


def test_numbers_are_short_and_exact_enough():
    assert format_number(0.1 + 0.2) == "0.3"
    assert format_number(-0.0) == "0"
    assert format_number(1e-5) == "1e-05"
    assert float(format_number(np.pi)) == pytest.approx(np.pi, rel=1e-11)


def test_largest_data_set_stays_within_parser_limits():
    rng = np.random.default_rng(1)
    xs = -rng.uniform(1e5, 1e6, MAX_POINTS) * (1 + 1e-9)
    ys = -rng.uniform(1e-6, 1e-5, MAX_POINTS) * (1 + 1e-9)
    text = regression_loss_text(xs, ys)
    assert len(text) <= MAX_LENGTH
    parse_loss(text)
    back = data_from_loss_text(text)
    assert np.allclose(back, (xs, ys), rtol=1e-11)


@pytest.mark.parametrize("xs, ys", [
    ([], []), ([1, 2], [1]), ([1] * (MAX_POINTS + 1), [1] * (MAX_POINTS + 1)),
    ([1, float("nan")], [1, 2]), ([1, 2e7], [1, 2]),
])
def test_bad_data_is_refused(xs, ys):
    with pytest.raises(ValueError):
        regression_loss_text(xs, ys)


def test_changing_the_data_changes_the_loss():
    xs, ys = map(list, DEFAULT_DATA)
    before = parse_loss(regression_loss_text(xs, ys))
    after = parse_loss(regression_loss_text(xs + [4.0], ys + [0.0]))
    assert float(before.value(0.5, 1.0)) != float(after.value(0.5, 1.0))
    assert least_squares(xs, ys) != least_squares(xs + [4.0], ys + [0.0])


def test_fitted_line_and_domain():
    assert np.allclose(fitted_line(2.0, -1.0, [0, 1, 2]), [-1, 1, 3])
    (a0, a1), (b0, b1) = suggested_domain(*DEFAULT_DATA)
    w1, w2 = least_squares(*DEFAULT_DATA)
    assert a0 < w1 - 1 and w1 + 1 < a1 and b0 < w2 - 1 and w2 + 1 < b1
