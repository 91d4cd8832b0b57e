"""Newton's method: saddle-free (|H|⁻¹∇f) and damped (a step that would raise f is halved)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdviz import descend, parse_loss
from gdviz.core.optimizers import HALVINGS, backtrack, newton_direction

LECTURE = parse_loss("sin(w1)*w2*(1-w2)")


def test_newton_does_not_head_for_a_saddle():
    # Pure Newton on x² - y² jumps straight to the saddle (0, 0). newton_direction shifts the
    # indefinite Hessian diag(2, -2) by λ = δ - λ_min ≈ 2.001, so the step goes downhill:
    # away from the saddle in y.
    saddle = parse_loss("x^2 - y^2")
    traj = descend(saddle, (0.5, 0.1), "newton", lr=1.0, steps=20)
    assert traj.status != "converged"
    assert abs(traj.points[1, 1]) > 0.1  # moved away from y = 0
    assert np.sign(traj.points[1, 1]) == 1.0  # in the direction it was already leaning
    assert 0 <= traj.points[1, 0] < 0.5  # while x still heads for 0
    assert traj.losses[1] < traj.losses[0]
    assert np.all(np.hypot(traj.points[1:, 0], traj.points[1:, 1]) > 0.1)


def test_newton_direction_is_pure_newton_when_positive_definite():
    g = np.array([[2.0, 6.0]])
    h = np.array([[[2.0, 0.0], [0.0, 6.0]]])
    d, modified = newton_direction(g, h)
    np.testing.assert_allclose(d, [[1.0, 1.0]])
    assert not modified[0]
    # Indefinite: the negative eigenvalue -2 is used as |-2| = 2 (saddle-free Newton).
    d, modified = newton_direction(np.array([[1.0, -0.2]]), np.array([[[2.0, 0.0], [0.0, -2.0]]]))
    assert modified[0]
    np.testing.assert_allclose(d, [[0.5, -0.1]])
    assert d[0] @ np.array([1.0, -0.2]) > 0  # still a descent direction for w - d
    # A rotated positive-definite Hessian gives exactly H^-1 g.
    hr = np.array([[[3.0, 1.0], [1.0, 2.0]]])
    d, modified = newton_direction(np.array([[1.0, 1.0]]), hr)
    np.testing.assert_allclose(d[0], np.linalg.solve(hr[0], [1.0, 1.0]))
    assert not modified[0]


def test_newton_on_the_lecture_loss_goes_downhill_to_the_minimum():
    # The full step from (-0.5, 0.2) jumped to w1 ≈ 9.5 and raised f from -0.077 to 1e4 by
    # step 13; halved steps reach the minimum (-π/2, 1/2), f = -1/4, in a few steps.
    traj = descend(LECTURE, (-0.5, 0.2), "newton", lr=1.0, steps=150)
    assert traj.status == "converged" and len(traj.losses) < 20
    assert np.all(np.diff(traj.losses) <= 0)
    np.testing.assert_allclose(traj.points[-1], (-math.pi / 2, 0.5), atol=1e-6)
    assert traj.losses[-1] == pytest.approx(-0.25)


@pytest.mark.parametrize("start", [(-1.5, 2.0), (-1.2, 1.0), (0.0, 0.0), (2.0, 2.0)])
def test_newton_never_raises_rosenbrock_and_still_converges(start):
    rosenbrock = parse_loss("(1-x)^2 + 100(y-x^2)^2")
    traj = descend(rosenbrock, start, "newton", lr=1.0, steps=100)
    assert np.all(np.diff(traj.losses) <= 0)
    assert traj.status == "converged"
    np.testing.assert_allclose(traj.points[-1], (1.0, 1.0), atol=1e-4)


def test_newton_takes_the_full_step_where_it_lowers_f():
    bowl = parse_loss("x^2 + 3y^2")  # quadratic: the full step lands on the minimum
    traj = descend(bowl, (1.0, 1.0), "newton", lr=1.0, steps=5)
    np.testing.assert_allclose(traj.points[1], (0.0, 0.0), atol=1e-12)


def test_backtrack_halves_only_the_runs_whose_step_raises_f():
    def value(p):  # a bowl with its minimum at 0: f(w - d) for d = w lands there
        return p[:, 0] ** 2 + p[:, 1] ** 2

    w = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 0.0], [1.0, 0.0]])
    d = np.array([[1.0, 0.0], [3.0, 0.0], [1.0, 0.0], [-1.0, 0.0]])
    f = value(w)
    new = backtrack(w, d, 1.0, f, value)
    np.testing.assert_allclose(new[0], (0.0, 0.0))  # the full step lowers f: taken
    np.testing.assert_allclose(new[1], (-0.5, 0.0))  # 1 - 3 = -2 raises f; 1 - 1.5 lowers it
    np.testing.assert_allclose(new[2], (0.0, 0.0))  # at the minimum no step lowers f: stays
    np.testing.assert_allclose(new[3], (1.0, 0.0))  # uphill only: stays after HALVINGS
    assert HALVINGS >= 20


def test_backtrack_without_the_loss_or_where_f_is_not_finite_takes_the_full_step():
    w, d = np.array([[1.0, 1.0]]), np.array([[5.0, 5.0]])
    np.testing.assert_allclose(backtrack(w, d, 0.5, None, None), [[-1.5, -1.5]])
    def value(p):
        return np.full(len(p), np.inf)

    np.testing.assert_allclose(backtrack(w, d, 0.5, np.array([np.nan]), value), [[-1.5, -1.5]])


def test_a_run_that_stops_moving_says_so():
    # With a coarse forward difference no step along Newton's direction lowers f after
    # step 2: the run sits still, and its message says since when.
    traj = descend(LECTURE, (-0.5, 0.2), "newton", lr=1.0, steps=150, gradient="forward",
                   fd_h=0.5)
    assert traj.status == "max_steps"
    assert traj.message() == "stopped after 150 steps (it has not moved since step 2)"
    moving = descend(LECTURE, (-0.5, 0.2), "gd", lr=0.3, steps=10)
    assert moving.message() == "stopped after 10 steps"


@pytest.mark.parametrize("text", ["x^2 + 1e4*y^2", "1e-6*(x^2 + y^2)", "1e-4*(x^2 + y^2)",
                                  "x^2 + 1e3*y^2", "3*(x - 1)^2 + (x - 1)*(y + 2) + 1e5*(y + 2)^2"])
def test_newton_takes_any_bowl_in_one_step(text):
    """δ = 10⁻³·(1 + max|λ|) capped every curvature of a flat bowl and every curvature 1,000
    times below the largest: x² + 10⁴y² took 145 steps, 10⁻⁶(x² + y²) did not arrive in 200
    — where the lesson is that Newton's step does not mind the bowl's scale or shape."""
    loss = parse_loss(text)
    traj = descend(loss, (2.0, 1.0), "newton", lr=1.0, steps=200, tol=1e-9)
    assert traj.status == "converged" and len(traj.points) == 2, traj.message()


def test_newton_without_curvature_still_moves_downhill_in_bounded_steps():
    """No curvature at all (abs(x) + abs(y), x + 2y): δ was 0, the step 10³⁰⁰·∇f; the run
    stood still ("has not moved since step 0") or jumped to 10³⁰⁰ at step 1."""
    corners = descend(parse_loss("abs(x) + abs(y)"), (1.0, 1.0), "newton", lr=1.0, steps=60)
    assert np.abs(corners.points[-1]).max() < 1e-6
    assert np.all(np.diff(corners.losses) <= 0)
    plane = descend(parse_loss("x + 2*y"), (1.0, 1.0), "newton", lr=1.0, steps=3)
    assert plane.losses[1] < plane.losses[0]
    assert np.hypot(*plane.points[1]) <= 1e3 * (1 + np.hypot(1.0, 1.0)) + 1e-9  # (reach)
    # no curvature along y alone: the step along it is as long as the reach, f falls
    tilted = descend(parse_loss("x^2 + y"), (1.0, 1.0), "newton", lr=1.0, steps=5)
    assert tilted.losses[1] < tilted.losses[0] and np.isfinite(tilted.points[1]).all()


@pytest.mark.parametrize("text, start, minimum", [("abs(w1) + w2^2", (1.0, 1.0), (0.0, 0.0)),
                                                  ("abs(w1 - 1) + (w2 - 2)^2", (-0.5, 0.2),
                                                   (1.0, 2.0))])
def test_a_direction_without_curvature_does_not_stall_the_curved_one(text, start, minimum):
    """|w1| has no curvature: its step 1/δ (10⁸ times the curved one's), halved as a whole
    until f did not rise, shrank w2's part to 10⁻⁵ of a step, and the run stopped at w2 = 1
    ("it has not moved since step 12"), f = 1, where one Newton step solves w2²."""
    traj = descend(parse_loss(text), start, "newton", lr=1.0, steps=200)
    assert np.allclose(traj.points[-1], minimum, atol=1e-5) and traj.losses[-1] < 1e-5
    assert traj.points[1][1] == minimum[1]  # (w2² solved by the first step)
    assert np.all(np.diff(traj.losses) <= 0)


def test_where_the_guess_along_no_curvature_lowers_f_more_it_is_kept():
    """The sigmoid's inflection at w1 = 0 (no curvature): at (0, 0) the step along w2 alone
    lowers f more (the long step's w2 part is shrunk by the reach), from (0, 1) the long step
    onto the plateau, as before."""
    sig = descend(parse_loss("1/(1+exp(-w1)) + (w2-1)^2"), (0.0, 0.0), "newton", 1.0, steps=50)
    assert sig.status == "converged" and sig.losses[-1] < 1e-12
    assert sig.points[1][1] == 1.0 and sig.points[2][0] < -100
    d, modified = newton_direction(np.array([[1.0, 2.0]]), np.array([[[0.0, 0.0], [0.0, 2.0]]]),
                                   curved_only=True)
    assert np.allclose(d, [[0.0, 1.0]]) and modified[0]


def test_only_a_nearly_singular_hessian_tries_the_step_without_its_flat_direction():
    """A saddle's flipped curvature is trusted as it is: a second search there found the same
    step and doubled Newton's time on x² − y²'s basins (a review)."""
    from gdviz.core.optimizers import nearly_singular

    h = np.array([[[2.0, 0.0], [0.0, -2.0]], [[0.0, 0.0], [0.0, 2.0]],
                  [[1.0, 1.0], [1.0, 1.0]], [[2.0, 0.0], [0.0, 1e-9]]])
    assert list(nearly_singular(h)) == [False, True, True, True]


@pytest.mark.parametrize("text, start, end", [
    ("0*w1 + w2^2", (1.5, -1.0), (1.5, 0.0)),
    ("w1^2 + 0*w2", (1.5, -1.0), (0.0, -1.0)),
])
def test_newton_leaves_a_weight_the_loss_does_not_depend_on_where_it_was(text, start, end):
    """On 0·w1 + w2² Newton ended at w1 = 1.499999993876766, the readouts' "(1.500, 0)" where
    every other optimizer's read "(1.5, 0)": cos(π/2) = 6·10⁻¹⁷ in the Hessian's rotation,
    over its curvature of 0, stepped 6·10⁻⁹ along w1 (a QA round)."""
    traj = descend(parse_loss(text), start, "newton", 1.0, steps=50)
    assert traj.status == "converged" and tuple(traj.points[-1]) == end
