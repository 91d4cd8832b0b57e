"""descend(..., path=False): only the last three rows, equal to the ends of the full paths."""

from __future__ import annotations

import numpy as np
import pytest

from gdviz import OPTIMIZERS, descend, parse_loss
from gdviz.core.basins import basins, grid_starts

HIMMELBLAU = parse_loss("(x**2 + y - 11)**2 + (x + y**2 - 7)**2")


def mixed_starts() -> np.ndarray:
    """Starts that converge early, run every step, diverge, or start undefined or at a minimum."""
    rng = np.random.default_rng(7)
    return np.vstack([rng.uniform(-6, 6, (200, 2)), [[3.0, 2.0], [40.0, 40.0], [1e200, 0.0]]])


def assert_ends_match(full, ends, last: int) -> None:
    runs = np.arange(len(full.points))
    k = np.asarray(full.stop_step)
    assert ends.points.shape == (len(runs), 3, 2)
    assert ends.losses.shape == ends.grad_norms.shape == (len(runs), 3)
    np.testing.assert_array_equal(ends.points[:, 2], full.points[runs, k])
    np.testing.assert_array_equal(ends.points[:, 1], full.points[:, max(last - 1, 0)])
    np.testing.assert_array_equal(ends.points[:, 0], full.points[:, max(last - 2, 0)])
    np.testing.assert_array_equal(ends.losses[:, 2], full.losses[runs, k])
    np.testing.assert_array_equal(ends.gradients[:, 2], full.gradients[runs, k])
    np.testing.assert_array_equal(ends.grad_norms[:, 2], full.grad_norms[runs, k])
    for name, values in full.state.items():
        np.testing.assert_array_equal(ends.state[name][:, 2], values[runs, k])
    np.testing.assert_array_equal(ends.status, full.status)
    np.testing.assert_array_equal(ends.stop_step, full.stop_step)
    assert ends.reason == full.reason
    np.testing.assert_array_equal(ends.lrs, full.lrs)


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
@pytest.mark.parametrize("steps", [0, 1, 2, 9, 80])
def test_many_starts_keep_the_ends_of_their_full_paths(optimizer, steps):
    starts = mixed_starts()
    lr = 1.0 if optimizer == "newton" else 0.02
    full = descend(HIMMELBLAU, starts, optimizer, lr, steps, 1e-3)
    ends = descend(HIMMELBLAU, starts, optimizer, lr, steps, 1e-3, path=False)
    last = int(np.max(full.stop_step))
    statuses = set(full.status)
    if steps == 80 and optimizer != "newton":  # the starts cover every way a run can end
        assert statuses == {"converged", "diverged", "max_steps"}, statuses
    assert_ends_match(full, ends, last)


def test_noise_and_a_schedule_give_the_same_ends():
    kwargs = dict(noise=0.3, seed=5, schedule="step", decay=0.5, decay_steps=10)
    full = descend(HIMMELBLAU, mixed_starts(), "momentum", 0.01, 50, **kwargs)
    ends = descend(HIMMELBLAU, mixed_starts(), "momentum", 0.01, 50, path=False, **kwargs)
    assert_ends_match(full, ends, int(np.max(full.stop_step)))


@pytest.mark.parametrize("start, stop", [((0.5, 0.5), None), ((3.0, 2.0), 0)])
def test_one_start_keeps_the_last_three_points_of_its_path(start, stop):
    full = descend(HIMMELBLAU, start, "adam", 0.1, 300)
    ends = descend(HIMMELBLAU, start, "adam", 0.1, 300, path=False)
    if stop is not None:
        assert full.stop_step == stop
    rows = [max(full.stop_step - j, 0) for j in (2, 1, 0)]
    np.testing.assert_array_equal(ends.points, full.points[rows])
    np.testing.assert_array_equal(ends.losses, full.losses[rows])
    np.testing.assert_array_equal(ends.state["second_moment"], full.state["second_moment"][rows])
    assert (ends.status, ends.stop_step) == (full.status, full.stop_step)


def test_basins_label_the_ends_of_the_full_paths():
    """basins keeps the ends only; the result is what the full paths say."""
    domain = ((-6.0, 6.0), (-6.0, 6.0))
    n, steps, lr = 24, 60, 0.01
    result = basins(HIMMELBLAU, domain, n, "gd", lr, steps, chunk=100)
    full = descend(HIMMELBLAU, grid_starts(domain, n), "gd", lr, steps, 1e-6)
    k = np.asarray(full.stop_step)
    ends = full.points[np.arange(n * n), k]
    np.testing.assert_array_equal(result.end_points.reshape(-1, 2), ends)
    np.testing.assert_array_equal(result.steps.ravel(), k)
    assert set(full.status) >= {"converged", "max_steps"}
    same = basins(HIMMELBLAU, domain, n, "gd", lr, steps, chunk=n * n)
    np.testing.assert_array_equal(same.labels, result.labels)
    assert len(result.minima) == 4  # Himmelblau's four minima, found from the ends


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_runs_all_active_to_the_end_keep_their_last_three_points(optimizer):
    """No run stops: the ring's rows turn to the very end (every step count modulo 3)."""
    starts = np.random.default_rng(3).uniform(-5, 5, (64, 2))
    lr = 0.3 if optimizer == "newton" else 1e-4
    for steps in (7, 8, 9):
        full = descend(HIMMELBLAU, starts, optimizer, lr, steps, 1e-12)
        ends = descend(HIMMELBLAU, starts, optimizer, lr, steps, 1e-12, path=False)
        assert set(full.status) == {"max_steps"}
        np.testing.assert_array_equal(ends.points, full.points[:, -3:])
        np.testing.assert_array_equal(ends.losses, full.losses[:, -3:])
        for name, values in full.state.items():
            np.testing.assert_array_equal(ends.state[name], values[:, -3:])


@pytest.mark.parametrize("kwargs", [dict(optimizer="newton", lr=0.5),
                                    dict(optimizer="momentum", lr=0.01, gradient="central")])
def test_one_start_on_the_array_path_keeps_its_last_three_points(kwargs):
    full = descend(HIMMELBLAU, (0.5, 0.5), steps=40, **kwargs)
    ends = descend(HIMMELBLAU, (0.5, 0.5), steps=40, path=False, **kwargs)
    rows = [max(full.stop_step - j, 0) for j in (2, 1, 0)]
    np.testing.assert_array_equal(ends.points, full.points[rows])
    np.testing.assert_array_equal(ends.gradients, full.gradients[rows])
    assert (ends.status, ends.stop_step) == (full.status, full.stop_step)


@pytest.mark.parametrize("start, lr", [((1.0, 0.0), 0.5), ((3.0, 0.0), 0.25)])
def test_a_run_landing_on_a_cone_s_tip_has_converged(start, lr):
    """GD on sqrt(x² + y²) lands exactly on (0, 0), where ∇f is undefined: it read "diverged
    at step 2: the gradient is undefined there", at the minimum. Single and batched alike."""
    from gdviz.core.descent_checks import CORNER

    cone = parse_loss("sqrt(x^2 + y^2)")
    single = descend(cone, start, "gd", lr=lr, steps=50)
    assert single.status == "converged" and single.reason == CORNER
    assert single.message().startswith("converged at step ") and "corner" in single.message()
    assert np.allclose(single.points[-1], 0.0)
    many = descend(cone, np.array([start, start]), "gd", lr=lr, steps=50)
    assert list(many.status) == ["converged"] * 2
    assert many.message(0) == single.message()


def test_an_undefined_gradient_off_a_minimum_still_stops_the_run():
    """Not lowest around it (f falls along x at the tip of sqrt(x² + y²) − 2x): no corner
    minimum, the gradient undefined — the run stops there, as before."""
    t = descend(parse_loss("sqrt(x^2 + y^2) - 2*x"), (0.0, 0.0), "gd", lr=0.1, steps=5)
    assert t.status == "diverged" and "undefined" in t.message()


@pytest.mark.parametrize("text, start, lr, missing", [
    ("abs(x) + abs(y)", (1.0, 0.5), 0.5, [True, True]),  # lands on (0, 0) at step 2
    ("abs(x) + abs(y)", (0.0, 0.0), 0.5, [True, True]),  # starts there
    ("abs(x) + y^2", (0.0, 0.0), 0.5, [True, False]),  # ∂f/∂y exists (0) at the corner
])
def test_a_run_converged_on_a_corner_has_no_gradient_there(text, start, lr, missing):
    """|x|' is compiled as sign(x), 0 at x = 0: a run landing on |x| + |y|'s corner read
    "∇f = (0, 0)" while the Gradient tab said the partials do not exist there."""
    from gdviz.core.descent_checks import CORNER

    t = descend(parse_loss(text), start, "gd", lr=lr, steps=50)
    assert t.status == "converged" and t.reason == CORNER
    assert np.isnan(t.gradients[-1]).tolist() == missing and np.isnan(t.grad_norms[-1])
    # (before, only where a partial does not exist: (1, 0.5) → (0.5, 0), on y's crease)
    on_crease = t.points[:-1] == 0.0
    assert np.isnan(t.gradients[:-1][on_crease]).all()
    assert np.isfinite(t.gradients[:-1][~on_crease]).all()


@pytest.mark.parametrize("text", ["(x^2 + y^2)^(1/3)", "sqrt(abs(x)) + y^2"])
def test_a_run_at_a_cusp_says_cusp_as_the_tabs_do(text):
    """(x² + y²)^(1/3) at 0 read "at a corner of f" beside the Slice tab's "a cusp" (a QA
    round)."""
    from gdviz.core.descent_checks import CUSP

    t = descend(parse_loss(text), (0.0, 0.0), "gd", lr=0.1, steps=50)
    assert t.status == "converged" and t.reason == CUSP
    assert t.message() == "converged at step 0: at a cusp of f (∇f undefined there), lowest " \
                          "around it"


def test_a_run_moving_along_a_crease_has_no_partial_across_it():
    """From (0, 0.5) on |w1| + |w2| the run slides down the w1 = 0 crease: the readouts
    showed ∇f = (0, 1) (sign(0) = 0) and the map its arrow, while the lecture tabs said
    ∂f/∂w1 does not exist there; max(w1, w2) from (0.5, 0.5) moves along its ridge."""
    t = descend(parse_loss("abs(w1) + abs(w2)"), (0.0, 0.5), "gd", lr=0.1, steps=3)
    assert np.isnan(t.gradients[:, 0]).all() and (t.gradients[:, 1] == 1.0).all()
    assert np.isnan(t.grad_norms).all()
    ridge = descend(parse_loss("max(w1, w2)"), (0.5, 0.5), "gd", lr=0.1, steps=3)
    assert np.isnan(ridge.gradients).all()
    off = descend(parse_loss("abs(w1) + abs(w2)"), (0.3, 0.5), "gd", lr=0.01, steps=3)
    assert np.isfinite(off.gradients).all()  # (off the creases, as before)


def test_a_run_converged_on_a_ridge_s_corner_says_it_is_not_lowest():
    from gdviz.core.descent_checks import CORNER_NOT_LOWEST

    t = descend(parse_loss("-abs(x) + y^2"), (0.0, 1.0), "gd", lr=0.5, steps=50)
    assert (t.status, t.reason) == ("diverged", CORNER_NOT_LOWEST)  # (it read "converged")
    assert t.message() == f"diverged at step 1: {CORNER_NOT_LOWEST}"


def test_a_smooth_minimum_keeps_its_gradient():
    t = descend(parse_loss("abs(x - 5) + x^2 + y^2"), (1.0, 1.0), "gd", lr=0.5, steps=50)
    assert t.status == "converged" and t.reason == ""
    assert np.isfinite(t.gradients[-1]).all()


def test_a_run_converged_at_a_saddle_says_it_is_not_a_minimum():
    """GD on w1² − w2² from (0.5, 0) slides to the saddle along its one uphill-curving line:
    it read just "converged at step 62"."""
    traj = descend(parse_loss("x^2 - y^2"), (0.5, 0.0), "gd", 0.1, steps=300)
    assert traj.status == "converged"
    assert traj.message().startswith("converged at step ")
    assert "at a saddle point, not a minimum" in traj.message()
    top = descend(parse_loss("-(x^2 + y^2)"), (0.0, 0.0), "gd", 0.1, steps=30)
    assert top.status == "converged" and "at a maximum, not a minimum" in top.message()


@pytest.mark.parametrize("text, said", [
    ("x^3 - 3*x*y^2", "at a saddle point, not a minimum"),  # the monkey saddle
    ("x^3 + y^3", "at a saddle point, not a minimum"),
    ("-(x^4 + y^4)", "at a maximum, not a minimum"),
    ("x^4 + y^4", None),  # (a minimum: nothing to add)
])
def test_a_point_without_curvature_is_told_by_f_around_it(text, said):
    """The monkey saddle x³ − 3xy² started at the origin read "converged at step 0", as at
    a minimum: its curvatures are all 0, and nothing else was looked at."""
    traj = descend(parse_loss(text), (0.0, 0.0), "gd", 0.1, steps=30)
    assert traj.status == "converged"
    if said is None:
        assert traj.message() == "converged at step 0"
    else:
        assert said in traj.message(), traj.message()


@pytest.mark.parametrize("text, start, optimizer, lr", [
    ("1/(x^2 + y^2)", (0.01, 0.0), "gd", 0.1),
    ("1/(x^2 + y^2)", (1.0, 1.0), "newton", 1.0),
    ("1/(x^2 + y^2)", (1000.0, 0.0), "gd", 0.1),  # never moved: down ∇f is looked along
    ("-exp(-(x^2 + y^2))", (4.0, 0.0), "gd", 0.1),  # (it read "a saddle point")
    # f ≈ 1 falls by 10⁻¹⁴ (10⁻⁸⁷) at the near probes, under a float's digits: it read "at a
    # saddle point" (f bends down outward, up around), where from (3, 3) it flattened out
    ("1 - exp(-(x^2 + y^2))", (4.0, 4.0), "gd", 0.1),
    ("1 - exp(-(x^2 + y^2))", (10.0, 10.0), "gd", 0.1),
    ("tanh(x^2 + y^2)", (2.9, 2.9), "gd", 0.1),
    # bending up where it stopped, falling on without end: "converged" at x = 10⁶, f = −13.9
    ("-log(x)", (1.0, 1.0), "newton", 1.0), ("x^(1/3)", (1.0, 1.0), "newton", 1.0),
    ("-sqrt(x)", (1.0, 1.0), "newton", 1.0),
])
def test_a_run_stopped_where_f_only_flattens_has_not_converged(text, start, optimizer, lr):
    """1/(w1² + w2²) has no minimum: GD thrown to w1 = 200,000, where ∇f is below the
    tolerance, read "converged at step 1", and Newton topped the Compare table so."""
    traj = descend(parse_loss(text), start, optimizer, lr, steps=300)
    assert traj.status == "max_steps"  # (ranked with the runs that stopped)
    assert traj.message().startswith(f"stopped at step {traj.stop_step}: f flattens out")


@pytest.mark.parametrize("text, start, reason", [
    # a minimum far out: one difference step for both variables, from w1 = 20000, measured
    # cos(2·w2)'s curvature wrong: "a saddle point"
    ("(x - 20000)^2 - cos(2*y)", (20000.5, 0.3), ""),
    # a real saddle: a probe far along the way, in the next basin, read "diverged"
    ("(x^2 - 1)^2 + 1 - cos(y) - 0.05*y^2", (0.0, 1.0), "at a saddle point"),
])
def test_the_end_of_a_run_is_told_apart_right(text, start, reason):
    traj = descend(parse_loss(text), start, "gd", 0.1, steps=300)
    assert traj.status == "converged" and traj.reason.startswith(reason), traj.message()


@pytest.mark.parametrize("text, start, optimizer, lr", [
    # f levels off to its bound (no minimum, but no lower by more than the tolerance)
    ("exp(-x) + y^2", (0.0, 1.0), "newton", 1.0), ("tanh(x) + y^2", (1.0, 1.0), "newton", 1.0),
    ("(1 - x)^2 + 100*(y - x^2)^2", (-1.5, 2.0), "newton", 1.0),
])
def test_a_run_levelling_off_at_f_s_bound_or_a_minimum_has_converged(text, start, optimizer,
                                                                      lr):
    traj = descend(parse_loss(text), start, optimizer, lr, steps=300)
    assert traj.status == "converged" and traj.reason == "", traj.message()


@pytest.mark.parametrize("text, start, lr", [
    ("x^2 + y^2", (1.0, 1.0), 0.1),
    ("sin(x)*y*(1 - y)", (-0.5, 0.2), 0.3),
    ("20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)", (3.2, 2.7), 0.002),  # a local one
])
def test_a_run_converged_at_a_minimum_says_nothing_more(text, start, lr):
    traj = descend(parse_loss(text), start, "gd", lr, steps=300)
    assert traj.status == "converged" and traj.reason == "", traj.message()


@pytest.mark.parametrize("text, start, optimizer, lr", [
    ("x^2 + y^4", (1.0, 1.0), "newton", 1.0), ("x^4 + y^4", (1.0, 1.0), "newton", 1.0),
    ("x^2", (1.0, 1.0), "newton", 1.0),
    # (stopped 0.005 off the valley's floor: a circle around the end crossed it, and f below
    # the end there read "a saddle point")
    ("x^4", (1.0, 0.7), "newton", 1.0), ("x^4 + y^2", (1.0, 0.7), "newton", 1.0),
    ("(x - y)^4", (0.9, -0.4), "rmsprop", 0.01), ("x^6", (-1.2, 0.3), "newton", 1.0)])
def test_a_flat_minimum_or_valley_says_nothing_more(text, start, optimizer, lr):
    """A curvature of 0 at a minimum (x² + y⁴ along y) or along a valley's floor (x²,
    x⁴): f along that direction, which decides there, rises or stays level both ways."""
    traj = descend(parse_loss(text), start, optimizer, lr, steps=3000)
    assert traj.status == "converged" and traj.reason == "", traj.message()


@pytest.mark.parametrize("text, start", [
    ("x^3 + y^2", (0.0, 1.0)), ("x^2 + y^3", (1.0, 0.0)), ("y^2 - x^4", (0.0, 0.5))])
def test_a_run_converged_at_a_flat_saddle_says_so(text, start):
    """A curvature of 0 at a saddle: x² + y³ read "converged" as at a minimum, where the
    Gradient tab called the same point a saddle (f falls for y < 0)."""
    traj = descend(parse_loss(text), start, "gd", 0.1, steps=300)
    assert traj.status == "converged", traj.message()
    assert traj.reason.startswith("at a saddle point"), traj.message()


@pytest.mark.parametrize("text, start, optimizer, lr, steps", [
    ("x^2 + y^3", (1.0, 0.5), "newton", 1.0, 100), ("x^2 + y^3", (1.0, 0.5), "gd", 0.1, 8000),
    ("x^3 + y^2", (1.0, 1.0), "newton", 1.0, 100), ("x^2 + y^3", (-0.6, 0.4), "adam", 0.015,
                                                     3000)])
def test_a_run_stopped_just_beside_a_flat_saddle_says_so(text, start, optimizer, lr, steps):
    """Off the saddle's axis the run stops where ∇f first falls under its tolerance, 5·10⁻⁴
    above x² + y³'s origin: curvatures 2 and 0.003 there, "a minimum" by their signs, and it
    read plain "converged" (only a start on the axis, landing on it, was told a saddle)."""
    traj = descend(parse_loss(text), start, optimizer, lr, steps=steps)
    assert traj.status == "converged", traj.message()
    assert traj.reason.startswith("at a saddle point"), traj.message()


@pytest.mark.parametrize("text, start, optimizer, lr", [
    ("x^2 + 0.001*y^2", (1.0, 1.0), "newton", 1.0),
    ("x^2 + 1e-4*y^2", (1.5, -1.0), "momentum", 0.5),
    ("(1 - x)^2 + 100*(y - x^2)^2", (-1.5, 2.0), "newton", 1.0),
    ("(x - 1)^2 + 1e-3*(y + 2)^4", (0.5, 1.0), "newton", 1.0)])
def test_an_unequally_curved_minimum_says_nothing_more(text, start, optimizer, lr):
    """The softer curvature's direction checked by f itself: f rises both ways there (but for
    the slope left under the tolerance)."""
    traj = descend(parse_loss(text), start, optimizer, lr, steps=20000)
    assert traj.status == "converged" and traj.reason == "", traj.message()


@pytest.mark.parametrize("text, start, optimizer, lr, steps", [
    ("x^3 + y^3", (1.0, 1.0), "newton", 1.0, 2000),  # curvatures 0.0015 and 0.0015 at its end
    ("x^3", (1.0, 0.0), "newton", 1.0, 200),  # beside x³'s flat line x = 0
    ("x^3 + y^3", (0.5, 0.5), "gd", 0.1, 50000)])
def test_a_run_that_stops_beside_an_inflection_is_not_converged(text, start, optimizer, lr,
                                                                steps):
    """Each read "converged at step 12" (Compare ranked Newton first): f falls on past the
    end, which is no minimum; its curvatures there are not the stationary point's own."""
    from gdviz.core.descent_checks import FLATTENS

    traj = descend(parse_loss(text), start, optimizer, lr, steps=steps)
    assert traj.reason == FLATTENS, traj.message()
    ok = descend(parse_loss("x^4 + y^4"), start, optimizer, lr, steps=steps)
    assert ok.status == "converged" and ok.reason == "", ok.message()  # (a minimum: no note)


def test_a_slope_too_gentle_for_the_tolerance_is_no_saddle():
    """10⁻⁹·(x² + y³) at (1, 0) "converges" at step 0 under an absolute tolerance: f falls
    in half the directions around it, by its slope, not its shape: no note."""
    traj = descend(parse_loss("1e-9*(x^2 + y^3)"), (1.0, 0.0), "gd", 0.1, steps=300)
    assert traj.status == "converged" and traj.reason == "", traj.message()


@pytest.mark.parametrize("text, start, lr, since", [
    ("abs(w1) + abs(w2)", (0.0, 0.5), 0.1, 5),  # over the corner and back, for ever
    ("x^2 + y^2", (1.0, 1.0), 1.0, 0),  # a step too large: w → −w → w
])
def test_a_run_bouncing_between_two_points_says_so(text, start, lr, since):
    """It read just "stopped after 30 steps", as if it had been on its way."""
    traj = descend(parse_loss(text), start, "gd", lr, steps=30)
    assert traj.message() == f"stopped after 30 steps (bouncing between two points since " \
        f"step {since})"
    slow = descend(parse_loss("x^2 + y^2"), (1.0, 1.0), "gd", 0.1, steps=30)
    assert slow.message() == "stopped after 30 steps"  # (on its way: nothing more)


def test_a_run_going_round_more_points_says_so():
    """GD at η = 0.1 on a mean of absolute errors went round four points for 190 steps, and
    read "stopped after 200 steps" as if on its way; a run still moving gets no note."""
    loss = parse_loss("(abs(w1*1+w2-2) + abs(w1*2+w2-3) + abs(w1*3+w2-5))/3")
    traj = descend(loss, (0.0, 0.0), "gd", 0.1, steps=200)
    assert traj.message() == "stopped after 200 steps (going round the same 4 points since " \
        "step 10)"
    k = len(traj.points) - 1
    assert all(np.array_equal(traj.points[i], traj.points[i + 4]) for i in range(10, k - 3))
    slow = descend(parse_loss("(w1 - 3)^2 + w2^2"), (0.0, 0.0), "gd", 0.001, steps=200)
    assert slow.message() == "stopped after 200 steps"


@pytest.mark.parametrize("text, start, lr, fell", [
    ("1 - exp(-(w1^2 + w2^2))", (2.5, 2.5), 0.1, "1 by only 1.4e-8"),  # ‖∇f‖ ~ 10⁻⁵
    ("1 - exp(-(w1^2 + w2^2))", (2.2, 2.2), 0.1, "1 by only 3.2e-6"),  # moved 0.008 of 3
    ("(1 - w1)^2 + 100*(w2 - w1^2)^2", (-1.5, 2.0), 1e-9, "12.5 by only 0.0053"),  # η tiny
    ("w1^4 + w2^4", (1e6, -1.0), 1e-26, "1e24 by only 3.2e13"),  # (from what, too)
])
def test_a_run_barely_moving_says_so(text, start, lr, fell):
    """It read "stopped after 200 steps", as a run cut short on its way; and "f fell by only
    8.4e18" said nothing of f's size, 10²⁴ (a QA round): from what it fell too."""
    traj = descend(parse_loss(text), start, "gd", lr, steps=200)
    assert traj.message() == (f"stopped after 200 steps (barely moving: f fell from "
                              f"{fell}; a larger η would go faster)")
    fell = fell.split()[-1]
    assert float(fell) == pytest.approx(traj.losses[0] - traj.losses[-1], rel=0.05)


@pytest.mark.parametrize("text, start, optimizer, lr", [
    ("1 - exp(-(w1^2 + w2^2))", (1.8, 1.8), "gd", 0.1),  # off the plateau: on its way
    ("1 - exp(-(w1^2 + w2^2))", (2.5, 2.5), "adam", 0.1),  # Adam's steps are η long
    ("1000 + w1^2 + w2^2", (1.0, 0.0), "gd", 0.001),  # f hardly falls, yet w moved 0.33
    ("(1 - w1)^2 + 100*(w2 - w1^2)^2", (-1.5, 2.0), "gd", 0.001),
    # (swinging across the minimum and back, by its start after an even count: η is too
    # large, not too small; it read "barely moving: a larger η would go faster")
    ("x^2 + y^2", (3.0, 4.0), "gd", 0.9999995),
])
def test_a_run_on_its_way_is_not_said_to_barely_move(text, start, optimizer, lr):
    traj = descend(parse_loss(text), start, optimizer, lr, steps=200)
    assert traj.message() == "stopped after 200 steps"


@pytest.mark.parametrize("text, start, why", [
    ("x^3 - 3*x", (-1.0, 0.0), "on a ridge, not a minimum (f is level along it and falls "
                               "on either side)"),
    ("-w1^2", (0.0, 0.5), "on a ridge"),
    ("-(x^2 + y^2)", (0.0, 0.0), "at a maximum, not a minimum (f falls in every direction"),
    ("-x^2 - y^4", (0.0, 0.0), "at a maximum"),  # (no curvature along y, yet it falls)
    ("-x^2 - max(y, 0)^4", (0.0, 0.0), "at a maximum"),  # (level on one side only)
])
def test_a_ridge_is_not_said_to_be_a_maximum(text, start, why):
    """x³ − 3x at (−1, 0) read "at a maximum, not a minimum (f falls in every direction from
    it)": f is level along y there (a QA round)."""
    traj = descend(parse_loss(text), start, "gd", 0.1, steps=50)
    assert traj.status == "converged" and why in traj.message(), traj.message()


@pytest.mark.parametrize("text, start, kind", [
    ("x^2 - y^2", (0.0, 1e-9), "saddle point"),
    ("sin(w1)*w2*(1 - w2)", (np.pi, 0.0), "saddle point"),  # (∇f ~ 10⁻¹⁶ there)
    ("sin(w1)*w2*(1 - w2)", (np.pi, 1.0), "saddle point"),
    ("-(x^2 + y^2)", (1e-9, 0.0), "maximum"),
])
def test_a_run_starting_at_a_saddle_or_maximum_is_not_said_to_flatten_out(text, start, kind):
    """A run that never moved was looked along −∇f, rounding noise there: the lecture's
    saddle at (π, 0) read "f flattens out there but keeps falling beyond it"."""
    traj = descend(parse_loss(text), start, "gd", 0.1, steps=100)
    assert traj.status == "converged" and traj.stop_step == 0
    assert f"at a {kind}, not a minimum" in traj.message()


def test_a_run_that_leapt_onto_a_flat_region_says_so_not_a_saddle():
    """Newton on exp(−w1² − w2²)·cos(3·w1) from (0.3, 0.4) leaps to (3.3, 5.1), where f is
    −10⁻¹⁶ and its curvatures ±10⁻¹⁴, rounding noise: it read "at a saddle point"."""
    traj = descend(parse_loss("exp(-w1^2-w2^2)*cos(3*w1)"), (0.3, 0.4), "newton", 1.0,
                   steps=200)
    assert traj.status == "converged", traj.message()
    assert traj.reason == "in a flat region, not at a minimum (f hardly changes around it)"
    # real saddles keep their name: far out, where f fell a long way (measured against that
    # fall, x² − y² from (2000, 0) read "flat region"), and on a loss as small, at a
    # tolerance as small (its curvature is its own scale)
    for text, start, optimizer, lr, tol in (
            ("x^2 - y^2", (2000.0, 0.0), "gd", 0.1, 1e-6),
            ("x^2 - y^2", (2000.0, 0.0), "newton", 1.0, 1e-6),
            ("exp(x^2) - y^2", (4.0, 0.0), "newton", 1.0, 1e-6),
            ("x^6 - y^2", (12.0, 0.0), "newton", 1.0, 1e-6),
            ("1e-12*(x^2 - y^2)", (0.5, 0.0), "gd", 1e11, 1e-20)):
        saddle = descend(parse_loss(text), start, optimizer, lr, steps=300, tol=tol)
        assert saddle.stop_step > 0 and saddle.reason.startswith("at a saddle point"), \
            (text, saddle.message())


@pytest.mark.parametrize("optimizer, lr", [("newton", 1.0), ("gd", 3000.0)])
def test_a_run_leaping_to_where_f_underflows_to_0_has_not_converged(optimizer, lr):
    """exp(−x² − y²) from (0.5, 0.5): one step to (1207.6, 1207.6), where f, ∇f and the
    curvatures are 0 to the last digit (f is 10⁻¹²⁶⁶⁶⁶²); it read "converged at step 1" and
    came first in Compare, where from (0.3, 0.4) the same loss "flattens out"."""
    traj = descend(parse_loss("exp(-x^2 - y^2)"), (0.5, 0.5), optimizer, lr, steps=100)
    assert traj.losses[-1] == 0.0 and traj.stop_step == 1
    assert traj.status == "max_steps" and traj.reason.startswith("f flattens out"), (
        traj.message())


@pytest.mark.parametrize("text", ["max(0, x + y)", "max(0, x + y)^2"])
def test_a_run_reaching_a_level_region_at_its_lowest_has_converged(text):
    """Exactly 0 there (not underflowed): a minimum, no note."""
    traj = descend(parse_loss(text), (1.0, 1.0), "gd", 0.5, steps=300)
    assert traj.status == "converged" and traj.reason == "", traj.message()


@pytest.mark.parametrize("lr, status, said", [
    (0.33, "max_steps", ""),  # (under the bound 1/3: still falling)
    (0.34, "diverged", "the loss rose from 3.72 to 9.6e6 and was still rising"),
    (0.35, "diverged", "the loss grew far beyond its start"),  # (runaway, as before)
])
def test_a_run_using_its_steps_while_its_loss_climbs_has_diverged(lr, status, said):
    """GD at η = 0.34 on (w1 − 1)² + 3(w2 + 0.5)²: f from 3.72 to 9.6·10⁶, rising every
    step, read "stopped after 200 steps", as a run still falling at η = 0.33 does."""
    traj = descend(parse_loss("(w1-1)^2 + 3*(w2+0.5)^2"), (-0.5, 0.2), "gd", lr, steps=200)
    assert traj.status == status and traj.reason == said, traj.message()


def test_a_run_whose_loss_rose_a_little_says_so_without_diverging():
    """η = 0.101 on x² + 10y² (bound 0.1): f rose from 28.8 to 1200, said nowhere."""
    traj = descend(parse_loss("x^2 + 10*y^2"), (-2.5, 1.5), "gd", 0.101, steps=100)
    assert traj.status == "max_steps", traj.message()
    assert traj.message() == ("stopped at step 100: the loss rose from 28.8 to 1200 and was "
                              "still rising")
    bounce = descend(parse_loss("x^2 + 10*y^2"), (-2.5, 1.5), "gd", 0.1, steps=100)
    assert "rose" not in bounce.message()  # (swinging at one height: not rising)


def test_a_noisy_run_at_its_minimum_is_not_said_to_rise():
    """With gradient noise, f jitters at the minimum: one seed in ten read "f rising", "the
    loss rose from 0.07 to 0.27"."""
    loss = parse_loss("(w1-1)^2 + 3*(w2+0.5)^2")
    for seed in range(40):
        traj = descend(loss, (1.2, -0.4), "gd", 0.1, steps=200, noise=1.0, seed=seed)
        assert "rose" not in traj.reason, (seed, traj.message())


@pytest.mark.parametrize("shift", ["", " - 30", " - 10"])
def test_a_climbing_run_is_told_so_wherever_its_loss_lies(shift):
    """A constant added changed the verdict: below 0 all along (− 30), f from −26.3 to −6.1
    never reached "half its highest" and read "stopped after 200 steps"."""
    traj = descend(parse_loss("(w1-1)^2 + 3*(w2+0.5)^2" + shift), (-0.5, 0.2), "gd", 0.3345,
                   steps=200)
    assert traj.status == "max_steps" and "and was still rising" in traj.reason, (
        traj.message())


@pytest.mark.parametrize("optimizer, lr", [("gd", 0.1), ("newton", 1.0)])
def test_a_shallow_minimum_beside_a_fall_is_still_a_minimum(optimizer, lr):
    """x² + 10⁻³y² + y³: a minimum at the origin (curvatures 2 and 0.002), f falling 0.01
    further down y; a check of f that far along the softer curvature called it a saddle.
    The stationary point the run stopped beside decides."""
    traj = descend(parse_loss("x^2 + 0.001*y^2 + y^3"), (1.0, 0.0005), optimizer, lr,
                   steps=3000)
    assert traj.status == "converged" and traj.reason == "", traj.message()


def test_a_minimum_far_out_is_not_misjudged_by_its_coarse_curvatures():
    """The lecture's loss, Momentum from (0.8, 1.2) to w1 = 90,150 (a minimum there):
    curvatures from differences 9 apart (as they were) sent the steps 9000 off."""
    from gdviz.core.end_kind import _kind_nearby
    from gdviz.core.special_points import hessian_at

    loss = parse_loss("sin(w1)*w2*(1-w2)")
    far = np.array([90149.5720, 0.5000000130])  # (where that run ends: sin(w1) = −1 there)
    far[0] = np.round(far[0] / (2 * np.pi) - 0.75) * 2 * np.pi + 1.5 * np.pi
    assert float(loss.value(*far)) == pytest.approx(-0.25)
    # (not wandering 9000 off, to a "maximum", on curvatures measured 9 apart)
    assert _kind_nearby(loss, far, hessian_at(loss, far)) in ("minimum", None)
    traj = descend(loss, (0.7999999999999998, 1.2000000000000002), "momentum", 0.015,
                   steps=3000)
    assert traj.status == "converged" and traj.reason == "", traj.message()


def test_a_minimum_far_out_on_a_periodic_loss_is_a_minimum():
    """Momentum took the lecture's loss from (0.8, 1.2) to w1 = −58,925, a minimum (sin(w1) =
    −1 there): its curvatures, from differences 10⁻⁴ of the coordinate (5.9) apart, read
    −0.016 for 0.25, and the run "converged at a saddle point"."""
    from gdviz.core.special_points import curvature_kind, hessian_at

    loss = parse_loss("sin(w1)*w2*(1-w2)")
    traj = descend(loss, (0.8, 1.2), "momentum", 0.015, steps=3000)
    assert traj.points[-1][0] < -5e4
    assert traj.status == "converged" and traj.reason == "", traj.message()
    h = hessian_at(loss, traj.points[-1])
    assert h[0, 0] == pytest.approx(0.25, rel=1e-3)
    assert curvature_kind(h) == "minimum"


def test_a_level_difference_sympy_cannot_tell_from_zero_is_no_fall():
    """sin²x + cos²x is 1 along x: its differences, unproven zeros, came back from sympy as
    Floats of no digits and either sign (−0.e−269), and four of five read as falls."""
    from gdviz.core.descent_checks import _exact_falls

    loss = parse_loss("sin(x)^2 + cos(x)^2 + y^2")
    w = np.array([0.3, 0.0])
    assert not any(_exact_falls(loss, w, [np.array([a, 0.0])]) for a in (1.7, 2.9, 0.31, 5.0))
    assert _exact_falls(parse_loss("1 - exp(-(x^2 + y^2))"), np.array([4.0, 4.0]),
                        [np.array([3.96, 3.96])])  # (a real fall of 10⁻¹⁴ still is one)


@pytest.mark.parametrize("text, start, lr, note", [
    # y flips between 1 and −1 for ever: η at its limit
    ("x^2 + 10*y^2", (1.0, 1.0), 0.1, "; a smaller η would settle)"),
    # f jumping between 700 and −236, 756 units along w1 from its start: a smaller η bounced
    # for ever, and on sin(w1)·w2, which has no minimum, flew off the map (a QA round)
    ("sin(w1)*w2*(1 - w2)", (1.5, 1.5), 0.3,
     " as it drifts away; f may have no minimum that way)"),
    ("sin(w1)*w2", (-0.5, 0.2), 0.3, " as it drifts away; f may have no minimum that way)"),
])
def test_a_run_overshooting_says_so(text, start, lr, note):
    """Both read "stopped after 200 steps", as a run resting at a minimum (a QA round)."""
    traj = descend(parse_loss(text), start, "gd", lr, steps=200)
    assert traj.message() == ("stopped after 200 steps (overshooting: it swings back and "
                              "forth" + note)
    many = descend(parse_loss(text), np.array([start, start]), "gd", lr, steps=200)
    assert many.message(1) == traj.message()  # (each of many as a run alone)


@pytest.mark.parametrize("text, start, optimizer, lr, steps", [
    ("abs(x) + y^2", (0.001, 0.5), "gd", 0.3, 200),
    ("abs(x) + y^2", (0.001, 0.5), "gd", 0.003, 2000),
    ("abs(x) + y^2", (0.001, 0.5), "momentum", 0.01, 200),
    ("abs(x) + abs(y)", (0.5, 0.3), "adam", 0.01, 2000),
])
def test_a_run_swinging_over_a_corner_is_not_told_a_smaller_eta_settles_it(text, start,
                                                                           optimizer, lr,
                                                                           steps):
    """GD on |x| + y² swings over x = 0 at any fixed η (at 0.003 between 10⁻⁴ and −2·10⁻⁴):
    "a smaller η would settle" was false there (a QA round)."""
    loss = parse_loss(text)
    traj = descend(loss, start, optimizer, lr, steps=steps)
    assert traj.kinked
    assert traj.message() == (f"stopped after {steps} steps (overshooting: it swings back and "
                              "forth over a corner of f, where no fixed η settles; a decaying "
                              "η would)")
    # With a decaying η it settles, or says it swings less as η decays
    decayed = descend(loss, start, optimizer, lr, steps=steps, schedule="inverse_sqrt")
    said = decayed.message()
    assert "a decaying η would" not in said and "smaller η would settle" not in said, said
    many = descend(loss, np.array([start, start]), optimizer, lr, steps=steps)
    assert many.message(1) == traj.message()  # (each of many as a run alone)
    # About a smooth minimum the note stays as it was, a corner elsewhere or not (an abs
    # at x = 30 had a run swinging about x = 0 told it swung over a corner: a review)
    assert not descend(parse_loss("x^2 + 10*y^2"), (1.0, 1.0), "gd", 0.1, steps=200).kinked
    smooth = descend(parse_loss("sqrt(1 + x^2) + 0.01*y^2 + abs(x - 30)/100"), (3.0, 1.0),
                     "gd", 10.0, steps=200)
    assert not smooth.kinked and smooth.message().endswith("a smaller η would settle)")


@pytest.mark.parametrize("lr", [0.1, 0.01, 0.001])
def test_a_run_swinging_over_a_cusp_is_not_told_a_smaller_eta_settles_it(lr):
    """GD on w1^(2/3) + w2² swings over its cusp at any fixed η (its slope grows without bound
    towards it): it read "a smaller η would settle" at η = 0.1, 0.01 and 0.001 alike (a QA
    round); the loss has no abs, max or min, so it was never looked for."""
    loss = parse_loss("w1^(2/3) + w2^2")
    traj = descend(loss, (1.0, 0.5), "gd", lr, steps=5000)
    assert traj.kinked == 2
    assert traj.message() == ("stopped after 5000 steps (overshooting: it swings back and "
                              "forth over a cusp of f, where no fixed η settles; a decaying "
                              "η would)")
    many = descend(loss, np.array([(1.0, 0.5), (1.0, 0.5)]), "gd", lr, steps=5000)
    assert many.message(1) == traj.message()
    # |x|'s corner is a corner still, a smooth minimum neither
    assert descend(parse_loss("abs(w1) + w2^2"), (1.0, 0.5), "gd", 0.1, steps=500).kinked == 1
    smooth = descend(parse_loss("sqrt(1 + w1^2) + 0.01*w2^2"), (1.0, 0.5), "gd", 3.0,
                     steps=500)  # (a power not whole, looked at: swinging about a minimum)
    assert smooth.kinked == 0 and smooth.message().endswith("a smaller η would settle)")


def test_a_noisy_run_jittering_is_not_said_to_overshoot():
    """Gradient noise makes f jitter wherever the run is: that is no overshooting."""
    loss = parse_loss("x^2 + 10*y^2")
    calm = descend(loss, (1.0, 1.0), "gd", 0.1, steps=200)
    noisy = descend(loss, (1.0, 1.0), "gd", 0.1, steps=200, noise=1e-9)
    assert "overshooting" in calm.message() and noisy.noisy and not calm.noisy
    assert "overshooting" not in noisy.message()
    short = descend(loss, (1.0, 1.0), "gd", 0.1, steps=15)
    assert short.message() == "stopped after 15 steps"  # (too short to tell)


def test_a_run_where_f_has_no_minimum_that_way_says_so():
    """Newton on x² − y² read "diverged at step 28: the loss fell without bound", which a
    class reads as an η too large (a QA round)."""
    traj = descend(parse_loss("x^2 - y^2"), (1.0, 0.001), "newton", steps=200)
    assert traj.status == "diverged"
    assert traj.message().endswith(": the loss fell without bound (f has no minimum that way)")


@pytest.mark.parametrize("gradient, settled", [("forward", True), ("central", False),
                                               ("symbolic", False)])
def test_a_run_stepping_with_a_forward_quotient_settles_off_the_minimum(gradient, settled):
    """The lecture's loss with a forward quotient (h = 10⁻⁵) settles where the quotient is 0,
    ∇f = (−1.2·10⁻⁶, −10⁻⁵) there (its error, h·f″/2), and read "stopped after 200 steps" as
    a run that failed, beside the exact gradient's "converged at step 163" (a QA round)."""
    from gdviz.ui.readouts import short_status

    traj = descend(parse_loss("sin(w1)*w2*(1-w2)"), (-0.5, 0.2), "gd", 0.3, steps=200,
                   gradient=gradient)
    said = traj.message()
    assert ("settled where the forward difference quotient is 0" in said) == settled, said
    if settled:
        assert said.startswith("stopped after 200 steps") and short_status(said) == "settled"
        assert traj.quotient == "forward" and np.hypot(*traj.gradients[-1]) > 1e-6
    else:
        assert said == "converged at step 163"
    # (a run still on its way is not said to have settled, however it steps)
    early = descend(parse_loss("x^2 + 3*y^2"), (1.0, 1.0), "gd", 0.1, steps=20,
                    gradient="forward", fd_h=1e-3)
    assert "settled" not in early.message()


@pytest.mark.parametrize("text, start", [
    ("sqrt(w1^2 + w2^2)", (1.0, 1.0)),  # (halving towards the tip, side to side)
    ("abs(w1) + abs(w2)", (1.5, -1.0)),  # (standing 1.4·10⁻⁷ off the corner)
    ("abs(w1) + w2^2", (1.5, -1.0)),
    ("max(abs(w1), abs(w2))", (1.5, -1.0)),
])
def test_newton_settled_beside_a_corner_minimum_has_converged(text, start):
    """Newton on the cone halved its way to 10⁻⁶⁶ from the tip and read "overshooting: it
    swings … over a corner, where no fixed η settles"; on |w1| + |w2| it stood 1.4·10⁻⁷ off
    the corner from step 18 and read "stopped after 200 steps", while the basins map said
    the same runs reached (0, 0) (a QA round): ‖∇f‖ never falls under the tolerance there."""
    loss = parse_loss(text)
    traj = descend(loss, start, "newton", 1.0, steps=200)
    assert traj.status == "converged" and traj.stop_step < 40, traj.message()
    assert traj.message() == (f"converged at step {traj.stop_step}: next to a corner of f "
                              "(∇f undefined there), lowest around it")
    assert len(traj.points) == traj.stop_step + 1
    assert np.hypot(*traj.points[-1]) < 1e-6
    # Many at once, keeping their paths or only their ends, say the same of each
    for path in (True, False):
        many = descend(loss, np.array([start, start]), "newton", 1.0, steps=200, path=path)
        assert list(many.status) == ["converged"] * 2 and many.message(1) == traj.message()
        assert list(many.stop_step) == [traj.stop_step] * 2
        assert np.array_equal(many.points[1, -1], traj.points[-1])


@pytest.mark.parametrize("text, start, optimizer, lr", [
    ("x^2 + y^2", (1.0, 1.0), "gd", 1e-4),  # (crawling towards a smooth minimum)
    ("abs(x) + y", (1.0, 1.0), "newton", 1.0),  # (a crease, f falling along it)
    ("abs(x) + abs(y)", (1.5, -1.0), "gd", 0.1),  # (bouncing η/2 about the corner)
])
def test_a_run_not_settled_beside_a_corner_minimum_has_not_converged(text, start, optimizer,
                                                                      lr):
    """Only a run that stays within 10⁻⁷ of its scale of one point beside a corner that is
    lowest around it: not one crawling, one on a crease f falls along, one bouncing."""
    traj = descend(parse_loss(text), start, optimizer, lr, steps=200)
    assert not (traj.status == "converged" and "next to a c" in traj.reason), traj.message()


@pytest.mark.parametrize("optimizer, lr", [("rmsprop", 0.05), ("adagrad", 0.5)])
def test_a_swing_over_two_creases_at_once_is_over_a_corner(optimizer, lr):
    """RMSprop on |w1| + |w2| swings for ever between (0.017, 0.040) and (−0.033, −0.0098),
    over both creases in one step: f falls, is level between them, then rises, so the slope
    was not steep on both sides of the turn, and it read "a smaller η would settle" (a QA
    round; none does: its steps keep their size)."""
    traj = descend(parse_loss("abs(w1) + abs(w2)"), (1.5, -1.0), optimizer, lr, steps=200)
    assert traj.kinked == 1
    assert "over a corner of f, where no fixed η settles" in traj.message()


def test_a_run_next_to_a_corner_keeps_its_gradient_in_the_views():
    """Converged next to |w1| + |w2|'s corner, ‖∇f‖ is √2 there, not rounding noise: the
    tabs wrote "≈ 0" for a converged run's slope and partials, and the map drew no arrow."""
    traj = descend(parse_loss("abs(w1) + abs(w2)"), (1.5, -1.0), "newton", 1.0, steps=200)
    assert traj.status == "converged" and not traj.converged_by(traj.stop_step)
    assert traj.grad_norms[-1] == pytest.approx(np.sqrt(2))
    landed = descend(parse_loss("w1^2 + w2^2"), (1.0, 1.0), "gd", 0.1, steps=200)
    assert landed.converged_by(landed.stop_step)


@pytest.mark.parametrize("optimizer, lr", [("adagrad", 0.3), ("adam", 0.05),
                                          ("momentum", 0.1)])
def test_every_optimizer_settled_where_the_quotient_is_0_says_so(optimizer, lr):
    """With a forward quotient at h = 0.1 on the lecture's loss AdaGrad read "bouncing between
    two points" (10⁻¹⁵ apart) and Adam "stopped after 300 steps": only GD, momentum and
    Nesterov were told they settled where the quotient is 0 (a QA round). (Newton stands
    still too where no step along its direction lowers f: "it has not moved", as it says.)"""
    loss = parse_loss("sin(w1)*w2*(1-w2)")
    traj = descend(loss, (-0.5, 0.2), optimizer, lr, steps=300, gradient="forward", fd_h=0.1)
    assert "(settled where the forward difference quotient is 0" in traj.message(), \
        traj.message()
    # RMSprop swinging about it (steps of about η) is not settled
    swinging = descend(parse_loss("sin(w1)*w2*(1-w2)"), (-0.5, 0.2), "rmsprop", 0.01,
                       steps=300, gradient="forward", fd_h=0.1)
    assert "settled" not in swinging.message()


def test_a_run_whose_steps_round_away_says_why_it_has_not_moved():
    """GD on 10⁻⁵⁰·(w1² + w2²) at η = 0.1 steps 10⁻⁵¹ from w1 = −0.5, where a float changes
    by 10⁻¹⁶ at least: "it has not moved since step 0" alone read as a bug (a QA round)."""
    loss = parse_loss("1e-50*(w1^2 + w2^2)")
    traj = descend(loss, (-0.5, 0.2), "gd", 0.1, steps=200, tol=1e-70)
    assert traj.message() == ("stopped after 200 steps (it has not moved since step 0: each "
                              "step, η‖∇f‖ = 1.1e-51, is too small to change w at all in "
                              "floating point)")
    # Newton standing still where no step lowers f is not told so: its step is not η‖∇f‖
    newton = descend(parse_loss("sin(w1)*w2*(1-w2)"), (-0.5, 0.2), "newton", 1.0, steps=150,
                     gradient="forward", fd_h=0.5)
    assert newton.message() == "stopped after 150 steps (it has not moved since step 2)"


@pytest.mark.parametrize("text", ["abs(w1)", "abs(w1 - w2)", "abs(w1) + 3"])
def test_newton_settled_beside_a_crease_of_minima_has_converged(text):
    """Newton on |w1| stood 8.5·10⁻⁷ off the crease from step 12 and read "stopped after 100
    steps": the ring about it had a point along the crease (cos(3π/2) = −1.8·10⁻¹⁶) 350
    floats nearer it than the centre, f there lower by rounding (a review; |w1| + 3 was
    told converged)."""
    loss = parse_loss(text)
    for start in ((1.0, 1.0), (-1.5, 0.3), (0.4, -2.0)):
        traj = descend(loss, start, "newton", 1.0, steps=100)
        assert traj.status == "converged" and "a corner of f" in traj.reason, traj.message()
