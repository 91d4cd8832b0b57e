"""Basins of attraction and optimizer comparison (pure numpy, no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from gdviz.core.basins import (
    DIVERGED,
    FELL,
    UNDEFINED,
    BasinsCancelled,
    basins,
    grid_starts,
)
from gdviz.core.compare import COMPARED, compare_optimizers, comparison_specs
from gdviz.core.loss import parse_loss
from gdviz.core.optimizers import OPTIMIZERS
from gdviz.core.presets import get_preset

HIMMELBLAU = get_preset("himmelblau")
HIMMELBLAU_LOSS = parse_loss(HIMMELBLAU.loss)
BOWL = "x^2 + 3*y^2"
BOWL_DOMAIN = ((-3.0, 3.0), (-3.0, 3.0))


@pytest.fixture(scope="module")
def himmelblau():
    return parse_loss(HIMMELBLAU.loss)


def _near(result, point, radius):
    starts = grid_starts(result.domain, result.labels.shape[0]).reshape(*result.labels.shape, 2)
    return np.hypot(starts[..., 0] - point[0], starts[..., 1] - point[1]) < radius


def test_a_preset_listing_only_its_global_minimum_still_shows_the_local_ones():
    """Rastrigin's preset lists (0, 0) alone: its 120 local minima, where most starts end,
    were "no minimum reached" (99 %), the run from one of them "converged" in the readouts."""
    from gdviz import descend

    rastrigin = get_preset("rastrigin")
    loss = parse_loss(rastrigin.loss)
    r = basins(loss, rastrigin.domain, 48, rastrigin.optimizer, rastrigin.lr, rastrigin.steps,
               rastrigin.minima)
    assert len(r.minima) == 121  # (a minimum at every integer point of the ±5.12 square)
    assert [0.0, 0.0] in r.minima.tolist()  # (the known one, exact)
    share = r.fractions()
    assert share.get(-1, 0.0) < 0.05, share
    run = descend(loss, rastrigin.start, rastrigin.optimizer, rastrigin.lr, rastrigin.steps)
    assert run.status == "converged"
    starts = grid_starts(r.domain, 48)
    cell = int(np.argmin(np.hypot(*(starts - run.points[0]).T)))
    label = r.labels.ravel()[cell]
    assert label >= 0 and np.hypot(*(r.minima[label] - run.points[-1])) < 0.1


def test_grid_starts_are_cell_centres_in_image_order():
    s = grid_starts(((0.0, 4.0), (10.0, 12.0)), 4).reshape(4, 4, 2)
    assert s[0, 0].tolist() == [0.5, 10.25]
    assert s[0, 1, 0] == 1.5  # columns: the first variable
    assert s[1, 0, 1] == 10.75  # rows: the second variable, bottom to top


@pytest.mark.parametrize("known", [True, False], ids=["preset minima", "clustered"])
def test_himmelblau_four_basins(himmelblau, known):
    minima = HIMMELBLAU.minima if known else None
    r = basins(himmelblau, HIMMELBLAU.domain, 48, "gd", 0.01, 200, minima)
    assert len(r.minima) == 4
    for m in HIMMELBLAU.minima:
        k = int(np.argmin(np.hypot(*(r.minima - np.array(m)).T)))
        assert np.hypot(*(r.minima[k] - m)) < 1e-3  # found (or given) where it is
        near = _near(r, m, 0.8)
        assert near.sum() >= 4
        assert (r.labels[near] == k).all(), f"starts around {m} must reach it"
    assert set(np.unique(r.labels)) == {0, 1, 2, 3}
    assert (r.steps[r.converged] > 0).all()


def test_himmelblau_adam_hovering_still_finds_the_minima(himmelblau):
    # Adam never gets ‖∇f‖ below 1e-6 here; the minima are found by clustering anyway.
    r = basins(himmelblau, HIMMELBLAU.domain, 24, "adam", 0.1, 150)
    assert len(r.minima) == 4
    assert not r.converged.any() or r.converged.mean() < 1
    assert (r.labels >= 0).mean() > 0.9


def test_bowl_one_basin_with_a_small_step():
    r = basins(parse_loss(BOWL), BOWL_DOMAIN, 32, "gd", 0.1, 300)
    assert np.allclose(r.minima, [[0.0, 0.0]], atol=1e-6)
    assert (r.labels == 0).all()
    assert r.converged.all()
    # Starts far from the minimum need more steps than those next to it.
    assert r.steps[0, 0] > r.steps[16, 16]


@pytest.mark.parametrize("text", ["w1^2", "(w1 - w2)^2", "3", "0*w1 + 0*w2"])
def test_a_line_or_region_of_minima_is_one_minimum(text):
    """w1²'s minima fill the line w1 = 0: clustering made one every radius along it (24 in
    the key), and on a constant loss the 256 it keeps, the other 78 % of the starts "no
    minimum reached" where every run says "converged" (a QA round)."""
    r = basins(parse_loss(text), BOWL_DOMAIN, 32, "gd", 0.1, 300)
    assert len(r.minima) == 1 and (r.labels == 0).all(), (len(r.minima), r.fractions())


def test_minima_level_with_each_other_across_a_hill_stay_apart(himmelblau):
    """Himmelblau's four minima are all at f = 0: the straight way between them climbs."""
    from gdviz.core.basin_minima import level_groups

    minima = np.array([[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186],
                       [3.584428, -1.848126]])
    assert list(level_groups(himmelblau, minima, 1e-6)) == [0, 1, 2, 3]
    # (nor where the loss is tiny, or steep along another variable: a tolerance grown with
    # f's spread over the map, or its 1, made their hill "level" — a review)
    for text, lr in (("1e-10*((x^2 - 1)^2 + y^2)", 1e8), ("(x^2 - 1)^2 + 1e3*y^2", 1e-4)):
        r = basins(parse_loss(text), ((-2.0, 2.0), (-2.0, 2.0)), 24, "gd", lr, 500)
        assert len(r.minima) == 2 and not r.level.any(), (text, r.minima)
    line = parse_loss("(w1 - w2)^2")
    assert list(level_groups(line, np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0], [2.0, 0.0]]),
                             1e-9)) == [0, 0, 0, 1]


def test_bowl_diverges_when_the_step_is_too_large():
    loss = parse_loss(BOWL)
    small = basins(loss, BOWL_DOMAIN, 32, "gd", 0.3, 200).fractions()
    large = basins(loss, BOWL_DOMAIN, 32, "gd", 0.7, 200)  # 1 - 0.7·6 = -3.2 along y
    assert small.get(DIVERGED, 0.0) == 0.0
    assert large.fractions().get(DIVERGED, 0.0) > 0.9
    assert (large.labels == DIVERGED).any()


def test_starts_whose_loss_falls_without_bound_are_told_from_diverged_ones():
    """Newton on the lecture's loss: most starts slide where −w2²·sin w1 falls for ever. The
    map called them "diverged", as an η too large is read; the runs say "f → −∞"."""
    lecture = get_preset("lecture")
    r = basins(parse_loss(lecture.loss), lecture.domain, 24, "newton", lecture.lr, 200)
    share = r.fractions()
    assert share.get(FELL, 0.0) > 0.3 and share.get(DIVERGED, 0.0) == 0.0, share
    # The same loss's values at their ends: far below any start's.
    assert (r.end_points[r.labels == FELL][:, 1] ** 2 > 1e3).all()
    # A step too large on a bowl, whose loss grows without bound, is still "diverged".
    large = basins(parse_loss(BOWL), BOWL_DOMAIN, 16, "gd", 0.7, 200)
    assert (large.labels == DIVERGED).mean() > 0.9 and not (large.labels == FELL).any()


def test_a_tiny_valued_loss_finds_no_false_minima():
    # ‖∇f‖ ~ 1e-12 everywhere: an absolute 1e-6 tolerance called every start converged where
    # it stood, and each founded a "minimum" of its own (dozens on the map).
    tiny = parse_loss("1e-12*(x^2 + 3*y^2)")
    still = basins(tiny, BOWL_DOMAIN, 32, "gd", 0.1, 200)  # moves ~1e-13 per step
    assert len(still.minima) == 0 and not still.converged.any()
    assert (still.labels == -1).all()
    # Scaled by 1e12, the step makes the same descent as on the bowl itself.
    scaled = basins(tiny, BOWL_DOMAIN, 32, "gd", 0.1e12, 300)
    plain = basins(parse_loss(BOWL), BOWL_DOMAIN, 32, "gd", 0.1, 300)
    assert len(scaled.minima) == 1 and np.hypot(*scaled.minima[0]) < 0.05
    assert (scaled.labels == 0).all() and scaled.converged.all()
    # (the tolerance follows the map's slope, so the steps to converge differ a little)
    assert np.abs(scaled.steps - plain.steps).max() <= 0.25 * plain.steps.max()


def test_starts_where_the_loss_is_undefined_are_not_called_diverged():
    loss = parse_loss("(x - 1)^2 + y^2 + log(x + 2)/100")  # undefined for x ≤ -2
    r = basins(loss, BOWL_DOMAIN, 24, "gd", 0.1, 200)
    starts = grid_starts(BOWL_DOMAIN, 24).reshape(24, 24, 2)
    undefined = starts[..., 0] <= -2
    assert undefined.any()
    assert (r.labels[undefined] == UNDEFINED).all()
    assert (r.labels[~undefined] == 0).all()  # every other start reaches the one minimum
    assert r.fractions().get(DIVERGED, 0.0) == 0.0


def test_progress_reports_chunks_and_can_cancel(himmelblau):
    calls = []
    basins(himmelblau, HIMMELBLAU.domain, 20, "gd", 0.01, 20,
           progress=lambda d, t: calls.append((d, t)), chunk=100)
    assert calls[-1] == (400, 400) and len(calls) == 4
    with pytest.raises(BasinsCancelled):
        basins(himmelblau, HIMMELBLAU.domain, 20, "gd", 0.01, 20, chunk=100,
               progress=lambda d, t: False)


def test_basins_rejects_bad_settings(himmelblau):
    with pytest.raises(ValueError):
        basins(himmelblau, HIMMELBLAU.domain, 1, "gd", 0.01, 10)
    with pytest.raises(ValueError):
        basins(himmelblau, HIMMELBLAU.domain, 8, "sgd", 0.01, 10)


def test_comparison_specs_use_each_optimizers_defaults():
    specs = comparison_specs((1.0, -2.0), 150, ["#000000"])
    assert [s.optimizer for s in specs] == list(COMPARED)
    for s in specs:
        assert s.lr == OPTIMIZERS[s.optimizer].lr
        assert s.hyper == OPTIMIZERS[s.optimizer].hyper
        assert s.start == (1.0, -2.0) and s.steps == 150 and s.color == "#000000"
    assert comparison_specs((0, 0), lrs={"gd": 0.01})[0].lr == 0.01


def test_compare_on_a_convex_bowl():
    rows = {r.optimizer: r for r in compare_optimizers(parse_loss(BOWL), (2.0, 1.0), 500)}
    assert set(rows) == set(COMPARED)
    assert rows["newton"].steps_to_converge == 1
    assert rows["gd"].status == "converged" and rows["gd"].final_grad_norm < 1e-6
    for r in rows.values():
        if r.status == "converged":
            assert r.steps_to_converge == r.steps_taken
            assert r.final_loss < 1e-10
        else:
            assert r.steps_to_converge is None
    ranked = sorted(rows.values(), key=lambda r: r.sort_key())
    assert ranked[0].optimizer == "newton"


def test_compare_on_himmelblau(himmelblau):
    rows = compare_optimizers(himmelblau, (0.0, 0.0), 200, lrs={"gd": HIMMELBLAU.lr})
    by = {r.optimizer: r for r in rows}
    assert by["gd"].status == "converged" and by["gd"].lr == HIMMELBLAU.lr
    assert by["gd"].final_loss < 1e-8  # a minimum of Himmelblau has f = 0
    diverged = [r for r in rows if r.status == "diverged"]
    assert all(r.steps_to_converge is None for r in diverged)
    ranked = sorted(rows, key=lambda r: r.sort_key())
    assert ranked[-1].status == "diverged" if diverged else True
    assert [r.status for r in ranked] == sorted((r.status for r in ranked),
                                                key=["converged", "max_steps",
                                                     "diverged"].index)


def test_a_diverging_default_is_halved_until_it_does_not_diverge(himmelblau):
    from gdviz.core.compare import HALVINGS, tamed_lr
    from gdviz.core.descent import descend

    spec = next(s for s in comparison_specs((0.0, 0.0), 200) if s.optimizer == "momentum")
    assert descend(himmelblau, spec.start, "momentum", spec.lr, 200,
                   **spec.hyper).status == "diverged"  # its default diverges here
    lr = tamed_lr(himmelblau, spec)
    k = round(np.log2(spec.lr / lr))
    assert 1 <= k <= HALVINGS and lr == spec.lr / 2**k  # a halving of it
    assert descend(himmelblau, spec.start, "momentum", lr, 200,
                   **spec.hyper).status != "diverged"
    assert descend(himmelblau, spec.start, "momentum", 2 * lr, 200,
                   **spec.hyper).status == "diverged"  # the largest such
    # A default that does not diverge is kept; one that no halving saves is kept too.
    adam = next(s for s in comparison_specs((0.0, 0.0), 200) if s.optimizer == "adam")
    assert tamed_lr(himmelblau, adam) == adam.lr
    assert tamed_lr(himmelblau, spec, halvings=0) == spec.lr


def test_the_trial_that_chose_eta_is_the_run_itself(himmelblau):
    # Compare ran every optimizer twice: once to choose η, then again as the run.
    from gdviz.core.compare import PROBE_STEPS, descend_spec, tame

    for spec in comparison_specs((0.0, 0.0), 200):
        lr, traj = tame(himmelblau, spec)
        spec.lr = lr
        again = descend_spec(himmelblau, spec)
        assert traj is not None and traj.status == again.status, spec.optimizer
        np.testing.assert_array_equal(traj.points, again.points)
    # No halving allowed (or none helps): the default's own run, diverged as it is.
    momentum = next(s for s in comparison_specs((0.0, 0.0), 200) if s.optimizer == "momentum")
    lr, traj = tame(himmelblau, momentum, halvings=0)
    assert lr == momentum.lr and traj.status == "diverged"
    np.testing.assert_array_equal(traj.points, descend_spec(himmelblau, momentum).points)
    # A run longer than a trial is not one: it is computed whole afterwards.
    long = comparison_specs((0.0, 0.0), PROBE_STEPS + 1)[0]
    assert tame(himmelblau, long)[1] is None


@pytest.mark.parametrize("text, start, halved", [
    ("10*(x - 2)^2 + y^2 + sqrt(x)", (4.0, 1.0), {"gd"}),
    ("100*(x - log(x)) + y^2", (3.0, 1.0), {"gd", "momentum", "nesterov"})])
def test_a_run_that_steps_where_f_is_undefined_is_halved(text, start, halved):
    """GD on 10(x − 2)² + y² + √x from (4, 1) jumped to x = −0.025 at its first step,
    "diverged: the loss is undefined there", and "halve η until the run does not diverge"
    kept η (its loss [43, NaN] never rose); η/2 converges. Momentum on 100(x − ln x) + y²,
    thrown past its minimum into x < 0 with its loss falling all the way, too."""
    from gdviz.core.compare import compare_runs

    loss = parse_loss(text)
    specs = comparison_specs(start, 200)
    for spec, (lr, traj, _error) in zip(specs, compare_runs(loss, specs), strict=True):
        assert (lr < spec.lr) == (spec.optimizer in halved), (spec.optimizer, lr)
        assert traj.status != "diverged", (spec.optimizer, traj.reason)


@pytest.mark.parametrize("text, start", [("x^2 - y^2", (1.0, 0.5)), ("-exp(x^2)", (1.0, 0.0)),
                                         # (slid ever steeper to x = 0, where log is −∞ and
                                         # past it undefined: no η stops it)
                                         ("log(x) + y^2", (1.0, 1.0))])
def test_a_run_sliding_downhill_without_bound_is_not_halved(text, start):
    # On a loss without a lower bound a run "diverges" downhill whatever its step: halving
    # only slowed it (the saddle preset's slide, the point of it, became "η ÷16").
    from gdviz.core.compare import overshot, tamed_lr
    from gdviz.core.descent import descend

    loss = parse_loss(text)
    for spec in comparison_specs(start, 200):
        assert tamed_lr(loss, spec) == spec.lr, spec.optimizer
        traj = descend(loss, spec.start, spec.optimizer, spec.lr, 200, **spec.hyper)
        assert not overshot(traj)
    gd = comparison_specs(start, 200)[0]
    assert descend(loss, gd.start, "gd", gd.lr, 200).status == "diverged"  # (downhill)


def test_the_run_selected_after_a_comparison_ends_on_the_map():
    """On the saddle every run slides away downhill: the lowest loss belongs to the one that
    went farthest, and selecting it put the lecture tabs' point far off the map."""
    from gdviz.core.compare import best_shown, compare_runs, summarize

    loss = parse_loss(get_preset("saddle").loss)
    domain = get_preset("saddle").domain
    specs = comparison_specs((0.5, 0.05), 200)
    runs = compare_runs(loss, specs)
    trajectories = [t for _lr, t, _err in runs]
    # (the lowest loss: what was selected when every run had slid away, as with more steps)
    lowest = min(range(len(specs)), key=lambda i: summarize(trajectories[i]).final_loss)
    chosen = best_shown(trajectories, domain)
    (a0, a1), (b0, b1) = domain

    def outside(i):  # how far past the map's edges the run ends, in domain widths
        a, b = trajectories[i].points[-1]
        return np.hypot(max(a0 - a, 0, a - a1) / (a1 - a0), max(b0 - b, 0, b - b1) / (b1 - b0))

    assert outside(lowest) > 1000 and outside(chosen) < outside(lowest)
    if any(outside(i) == 0 for i in range(len(specs))):
        assert outside(chosen) == 0
    else:  # none stays on the map (so here): the one that ends nearest to it
        assert chosen == min(range(len(specs)), key=outside) and outside(chosen) < 5
    # On a bowl every run converges on the map: the best by steps and loss, as before.
    bowl = parse_loss(BOWL)
    bowl_runs = [t for _lr, t, _e in compare_runs(bowl, comparison_specs((2.0, 1.0), 300))]
    best = min(range(len(bowl_runs)), key=lambda i: summarize(bowl_runs[i]).sort_key())
    assert best_shown(bowl_runs, BOWL_DOMAIN) == best
    assert best_shown([None, None], BOWL_DOMAIN) == 0


def test_a_capped_run_keeps_its_schedule(himmelblau):
    """descend(..., planned=N) takes the first steps of an N-step schedule (the basins map
    caps a long run's steps; its cosine schedule ended early, so η differed from the run's)."""
    from gdviz import descend

    full = descend(himmelblau, (0.0, 0.0), "gd", 0.001, 300, schedule="cosine")
    first = descend(himmelblau, (0.0, 0.0), "gd", 0.001, 40, schedule="cosine", planned=300)
    np.testing.assert_allclose(first.lrs, full.lrs[:40])
    np.testing.assert_allclose(first.points, full.points[:41])
    alone = descend(himmelblau, (0.0, 0.0), "gd", 0.001, 40, schedule="cosine")
    assert alone.lrs[-1] < 0.01 * full.lrs[39]  # (what the cap did: η near 0 at its end)


def test_a_run_thrown_far_uphill_is_halved_though_it_did_not_diverge():
    """Momentum on Rastrigin from (3.2, 2.7) ended at f = 478 (from 37.5), far off the map,
    "stopped after 100 steps" and not diverged: its η was kept. Ending higher than it
    started is the same mark of a step too large."""
    from gdviz.core.compare import compare_runs, overshot

    rastrigin = get_preset("rastrigin")
    loss = parse_loss(rastrigin.loss)
    specs = comparison_specs(rastrigin.start, rastrigin.steps, ["#000000"] * len(COMPARED))
    out = dict(zip([s.optimizer for s in specs], compare_runs(loss, specs), strict=True))
    for name in ("momentum", "nesterov"):
        spec = next(s for s in specs if s.optimizer == name)
        lr, traj, _error = out[name]
        assert lr < spec.lr, name
        assert traj.status != "diverged" and traj.losses[-1] < traj.losses[0], name
        bare = compare_runs(loss, [spec], halve=False)[0][1]
        assert bare.status != "diverged" and overshot(bare), name


@pytest.mark.parametrize("text, minimum", [("abs(x) + abs(y)", (0.0, 0.0)),
                                           ("abs(x - 1) + abs(y + 0.5)", (1.0, -0.5)),
                                           ("abs(x + y) + 2*abs(x - y)", (0.0, 0.0)),
                                           # (a crease at another slant: no minimum found)
                                           ("abs(x + 2*y) + 0.3*abs(x - y)", (0.0, 0.0))])
def test_a_minimum_at_a_kink_is_found_where_it_is(text, minimum):
    """Newton cannot polish at a kink: the legend put |x| + |y|'s minimum at (−0.000417,
    −0.000417), the lowest of GD's ends hovering around it."""
    r = basins(parse_loss(text), ((-2.0, 2.0), (-2.0, 2.0)), 32, "gd", 0.01, 500)
    assert len(r.minima) == 1
    assert np.hypot(*(r.minima[0] - np.array(minimum))) < 1e-9, r.minima


@pytest.mark.parametrize("text", ["abs(w1) + abs(w2)", "sqrt(w1^2 + w2^2)", "abs(w1) + w2^2"])
@pytest.mark.parametrize("lr", [0.1, 0.3])
def test_runs_hovering_about_a_kink_reach_it(text, lr):
    """GD on |w1| + |w2| steps η√2 across the corner and back for ever, over the radius the
    ends are judged by: the map said no start reached a minimum (100 % "did not reach")."""
    r = basins(parse_loss(text), ((-3.0, 3.0), (-3.0, 3.0)), 32, "gd", lr, 200)
    assert len(r.minima) == 1 and np.hypot(*r.minima[0]) < 1e-9, r.minima
    assert r.fractions() == {0: 1.0}
    assert np.hypot(*r.end_points.reshape(-1, 2).T).max() <= lr * np.sqrt(2) + 1e-12


@pytest.mark.parametrize("known", [True, False], ids=["preset minima", "clustered"])
def test_a_valley_still_falling_makes_no_minimum(known):
    """Beale (Adam, η = 0.05): runs strung along its slowly falling valleys made seven more
    "minima", ∇f up to 5 there, stars in a row across the map."""
    beale = get_preset("beale")
    loss = parse_loss(beale.loss)
    r = basins(loss, beale.domain, 48, beale.optimizer, beale.lr, beale.steps,
               beale.minima if known else None)
    assert len(r.minima) >= 1
    for point in r.minima:
        assert np.hypot(*loss.gradient(*point)) < 1e-3, point
    assert np.allclose(r.minima[0] if len(r.minima) == 1 else r.minima[-1], [3.0, 0.5],
                       atol=1e-6)


@pytest.mark.parametrize("lr", [0.2, 0.25, 0.3])
def test_runs_bouncing_symmetrically_about_a_kink_find_it(lr):
    """|w1| + |w2| on a 16² grid at η = 0.25: every run ends bouncing between (±0.125,
    ±0.125), no end near the corner, and no minimum was found (100 % "not reached")."""
    r = basins(parse_loss("abs(w1) + abs(w2)"), ((-2.0, 2.0), (-2.0, 2.0)), 16, "gd", lr, 200)
    assert len(r.minima) == 1 and np.hypot(*r.minima[0]) < 1e-9
    assert r.fractions() == {0: 1.0}
    # (and an end within its step of the corner, give or take rounding, reaches it)
    r = basins(parse_loss("abs(w1) + w2^2"), ((-2.0, 2.0), (-2.0, 2.0)), 96, "gd", 5 / 48, 200)
    assert r.fractions() == {0: 1.0}


def test_a_search_from_between_two_hovering_points_reaches_a_slanted_crease_s_tip():
    """|x + 2y| + 0.3|x − y| at η = 0.05: the founder between two hovering points, the
    search along the axes and diagonals stalled short of the tip and no minimum was found."""
    r = basins(parse_loss("abs(x+2*y)+0.3*abs(x-y)"), ((-2.0, 2.0), (-2.0, 2.0)), 24, "gd",
               0.05, 200)
    assert len(r.minima) == 1 and np.hypot(*r.minima[0]) < 1e-9, r.minima
    assert r.fractions() == {0: 1.0}


def test_runs_bouncing_across_a_smooth_minimum_do_not_reach_it():
    """η = 1 on w1² + w2²: w → −w for ever, as far off as the start; a smaller η reaches
    the minimum, so these runs are not counted (though they come back every two steps)."""
    r = basins(parse_loss("w1^2 + w2^2"), ((-3.0, 3.0), (-3.0, 3.0)), 32, "gd", 1.0, 200,
               minima=[(0.0, 0.0)])
    assert r.fractions() == {-1: 1.0}
    # (nor do they make a minimum of their own: w2 of w1² + 10·w2² bounces at η = 0.1, and
    # a minimum found from its ends was "reached" by 6 % of them)
    r = basins(parse_loss("w1^2 + 10*w2^2"), ((-3.0, 3.0), (-3.0, 3.0)), 32, "gd", 0.1, 200)
    assert len(r.minima) == 0 and r.fractions() == {-1: 1.0}


def test_a_run_still_crawling_along_a_valley_makes_no_minimum_of_its_end():
    """Rosenbrock's preset (Adam, 1,500 steps): runs not yet at (1, 1), strung along the
    valley, made a "minimum" at (0.96, 0.921) where ∇f = (−0.025, −0.029); Newton from there
    goes on to (1, 1)."""
    rosenbrock = get_preset("rosenbrock")
    loss = parse_loss(rosenbrock.loss)
    r = basins(loss, rosenbrock.domain, 48, rosenbrock.optimizer, rosenbrock.lr,
               rosenbrock.steps, rosenbrock.minima)
    assert r.minima.tolist() == [[1.0, 1.0]]
    found = basins(loss, rosenbrock.domain, 48, rosenbrock.optimizer, rosenbrock.lr,
                   rosenbrock.steps)  # (clustered alone, without the preset's list)
    assert len(found.minima) == 1 and np.allclose(found.minima[0], [1.0, 1.0], atol=1e-6)


@pytest.mark.parametrize("text, optimizer, lr, steps", [("x^2 + y^3", "newton", 1.0, 50),
                                                        ("x^3", "newton", 1.0, 50),
                                                        ("x^3 + y^3", "gd", 0.05, 3000)])
def test_a_flat_saddle_or_an_inflection_is_no_basin(text, optimizer, lr, steps):
    """x² + y³'s origin (a flat saddle: f(0, −t) = −t³) was a minimum with half the starts
    its basin; x³'s y axis sixteen minima, x³ + y³'s origin one: f falls past each."""
    result = basins(parse_loss(text), ((-2.0, 2.0), (-2.0, 2.0)), 16, optimizer, lr, steps)
    assert len(result.minima) == 0, result.minima
    bowl = basins(parse_loss("x^2 + y^4"), ((-2.0, 2.0), (-2.0, 2.0)), 16, "gd", 0.05, 3000)
    assert len(bowl.minima) == 1  # (a minimum with a curvature of 0 stays one)


def test_a_run_converged_at_a_saddle_ranks_below_those_at_a_minimum():
    """On x² − y² + y⁴ from beside its saddle, Newton "converged at step 1" at the saddle
    ranked first, above the runs that reached the minima (f = −0.25)."""
    rows = compare_optimizers(parse_loss("x^2 - y^2 + y^4"), (0.5, 1e-14), 300)
    ranked = sorted(rows, key=lambda r: r.sort_key())
    assert ranked[0].status == "converged" and ranked[0].final_loss == pytest.approx(-0.25)
    saddle = [r for r in rows if "saddle" in r.message]
    assert saddle and all(ranked.index(r) > ranked.index(m) for r in saddle for m in rows
                          if m.status == "converged" and m not in saddle)


@pytest.mark.parametrize("text, start, log", [
    ("(1 - x)^2 + 100*(y - x^2)^2", (-1.5, 2.0), True),  # (1.6e-19 … 0.06: one line, linear)
    ("(x - 1)^2 + (y - 2)^2 + 5", (0.0, 0.0), False),  # (5 and 5.000000002: one line, log too)
    ("(x - 1)^2 + (y + 0.5)^2 - 2", (0.0, 0.0), False)])  # (below 0: rounding over decades)
def test_a_comparison_asks_for_a_log_scale_only_where_it_tells_the_ends_apart(text, start,
                                                                               log):
    from gdviz.core.compare import compare_runs, ends_apart_in_decades

    loss = parse_loss(text)
    runs = [traj for _lr, traj, _error in compare_runs(loss, comparison_specs(start, 300))]
    assert ends_apart_in_decades(runs) == log


def test_runs_swinging_over_a_corner_keep_their_eta():
    """On |w1| + w2² no fixed η settles a run at the corner: "halve η until the run does not
    diverge" cut Nesterov's 64 times and Adam's 32, none of them diverging, and each still
    swung or crawled (a QA round)."""
    from gdviz.core.compare import compare_runs

    specs = comparison_specs((-0.5, 0.2), 200)
    for spec, (lr, traj, _error) in zip(specs, compare_runs(parse_loss("abs(w1) + w2^2"),
                                                             specs), strict=True):
        assert lr == spec.lr, (spec.optimizer, lr)
        if spec.optimizer != "newton":
            assert traj.kinked and "over a corner of f" in traj.message()
    # A step too large about a smooth minimum is halved as ever (Himmelblau, η = 0.025)
    bowl = compare_runs(HIMMELBLAU_LOSS, comparison_specs((0.0, 0.0), 200, lrs={"gd": 0.025}))
    assert bowl[0][0] < 0.025


def test_compared_runs_share_the_problem_s_noise_and_gradient():
    """Compared with the selected run's noise σ = 0.5 (SGD against Adam), all seven ran
    without noise; its gradient by differences went back to the exact one."""
    from gdviz.core.session import RunSpec

    like = RunSpec("gd", 0.05, (0.0, 0.0), noise=0.5, seed=7, gradient="central", fd_h=1e-3,
                   schedule="step", decay=0.5, decay_steps=10)
    specs = comparison_specs((1.0, -2.0), 150, like=like)
    assert len(specs) == len(COMPARED)
    for spec in specs:
        assert (spec.noise, spec.seed, spec.gradient, spec.fd_h) == (0.5, 7, "central", 1e-3)
        assert spec.schedule == "constant"  # (an optimizer's setting: its default)
    plain = comparison_specs((1.0, -2.0), 150)
    assert all(s.noise == 0.0 and s.gradient == "symbolic" for s in plain)


def test_halving_does_not_stop_at_a_run_that_bounces_for_ever():
    """GD on Himmelblau from (0, 0) at η = 0.025 went between two points for 190 steps
    (f = 3.09 and 4.24, ‖∇f‖ = 24): "stopped", ranked last in Compare, where η/2 converges
    in 49 steps (from a QA round)."""
    from gdviz.core.compare import compare_runs
    from gdviz.core.session import RunSpec

    himmelblau = parse_loss("(x^2 + y - 11)^2 + (x + y^2 - 7)^2")
    spec = RunSpec(optimizer="gd", lr=0.1, start=(0.0, 0.0), steps=200, color="#000000")
    ((lr, trajectory, error),) = compare_runs(himmelblau, [spec])
    assert not error and lr == pytest.approx(0.0125)
    assert trajectory is not None and trajectory.status == "converged"


def test_a_run_at_a_higher_minimum_ranks_after_the_runs_at_the_lowest():
    """Three-hump camel from (−1.5, −1): Newton converged in 5 steps at its local minimum
    (f = 0.299) and was ranked best, above AdaGrad at the global one (f = 0) in 57 steps."""
    from gdviz.core.compare import best_shown, compare_runs
    from gdviz.core.compare_rows import minimum_levels, ranking, summarize

    camel = get_preset("three_hump_camel")
    loss = parse_loss(camel.loss)
    specs = comparison_specs((-1.5, -1.0), 300)
    trajectories = [t for _lr, t, _err in compare_runs(loss, specs)]
    rows = [summarize(t) for t in trajectories]
    at = {r.optimizer: r for r in rows}
    assert at["newton"].status == "converged" and at["newton"].final_loss > 0.29
    assert at["adagrad"].status == "converged" and at["adagrad"].final_loss < 1e-6
    assert at["newton"].steps_to_converge < at["adagrad"].steps_to_converge  # (the case)
    levels = dict(zip((r.optimizer for r in rows), minimum_levels(rows), strict=True))
    assert levels["newton"] == 1 and levels["adagrad"] == 0
    keys = ranking(rows)
    order = [rows[i].optimizer for i in sorted(range(len(rows)), key=keys.__getitem__)]
    lowest = [r.optimizer for r in rows if r.at_minimum and r.final_loss < 1e-6]
    assert set(order[:len(lowest)]) == set(lowest), order
    assert order.index("newton") > order.index("adagrad")
    best = rows[best_shown(trajectories, camel.domain)]
    assert best.final_loss < 1e-6 and best.optimizer != "newton"


def test_minima_as_low_as_each_other_rank_by_steps():
    """Himmelblau's four minima are all at f = 0: runs ending at different ones, each to
    within its tolerance, are as low (level 0), ranked by steps as before; a tiny-valued
    loss is told apart by the runs' own fall, not by an absolute tolerance."""
    from gdviz.core.compare_rows import ComparisonRow, minimum_levels, ranking
    from gdviz.core.descent_checks import SADDLE

    def row(f, steps, start=100.0, status="converged", reason=""):
        return ComparisonRow("gd", "GD", 0.1, steps if status == "converged" else None,
                             steps, f, 1e-7, status, "", reason, start)

    as_low = [row(1e-9, 30), row(3e-8, 12), row(0.0, 50)]
    assert minimum_levels(as_low) == [0, 0, 0]
    keys = ranking(as_low)
    assert sorted(range(3), key=keys.__getitem__) == [1, 0, 2]  # (by steps: 12, 30, 50)
    assert minimum_levels([row(1e-9, 30), row(2.5, 12), row(2.5 + 1e-7, 9),
                           row(7.0, 3)]) == [0, 1, 1, 2]
    scaled = [row(1e-21, 30, 1e-10), row(3e-12, 5, 1e-10)]  # (a loss times 10⁻¹⁰)
    assert minimum_levels(scaled) == [0, 1]
    # A saddle or a run that stopped on its way is not a minimum: not a level of its own.
    assert minimum_levels([row(-5.0, 4, reason=SADDLE), row(-1.0, 200, status="max_steps"),
                           row(0.0, 40)]) == [0, 0, 0]


def test_the_map_grows_to_hold_the_minima_runs_reached_just_past_its_edge():
    """Himmelblau typed, its map ±3: six of the seven runs ended at (−2.81, 3.13), off the
    map's top, and the one left on the map, the worst, was selected."""
    from gdviz.core.compare import END_PAD, best_shown, compare_runs, domain_holding_ends
    from gdviz.core.compare_rows import summarize

    loss = parse_loss(HIMMELBLAU.loss)
    square = ((-3.0, 3.0), (-3.0, 3.0))
    trajectories = [t for _lr, t, _e in compare_runs(loss, comparison_specs((-0.5, 0.2), 200))]
    ends = [t.points[-1] for t in trajectories]
    assert sum(e[1] > 3.0 for e in ends) >= 5  # (the case)
    grown = domain_holding_ends(trajectories, square)
    (a0, a1), (b0, b1) = grown
    for t in trajectories:
        if summarize(t).at_minimum:
            a, b = t.points[-1]
            assert a0 < a < a1 and b0 < b < b1
    assert b1 == pytest.approx(3.1313 + END_PAD * 6.0, abs=1e-3) and (a1, b0) == (3.0, -3.0)
    chosen = summarize(trajectories[best_shown(trajectories, grown)])
    assert chosen.status == "converged" and chosen.optimizer == "newton"
    # A map holding every end is kept; so is one whose runs end far off, or diverged.
    assert domain_holding_ends(trajectories, grown) == grown
    assert domain_holding_ends(trajectories, ((-300.0, 300.0), (-300.0, 300.0))) == (
        (-300.0, 300.0), (-300.0, 300.0))
    tiny = ((10.0, 10.5), (10.0, 10.5))  # (the ends are ten spans away: not chased)
    assert domain_holding_ends(trajectories, tiny) == tiny


def test_runs_stopped_near_one_flat_minimum_are_at_one_minimum():
    """x⁴ + y⁴ from (0.03, 0.02): the runs stop where ‖∇f‖ < 10⁻⁶, f 1.4 to 1.8·10⁻⁹ apart
    by their tolerance alone, and were called three minima ("at a higher minimum than
    another run reached")."""
    from gdviz.core.compare_rows import minimum_levels

    for text, start in (("x^4 + y^4", (0.03, 0.02)), ("x^6 + y^6", (0.1, 0.08))):
        rows = compare_optimizers(parse_loss(text), start, 300)
        converged = [r for r in rows if r.at_minimum]
        assert len(converged) >= 2 and len({r.final_loss for r in converged}) >= 2  # (case)
        assert minimum_levels(rows) == [0] * len(rows), text


def test_the_map_grows_alike_whatever_the_runs_order():
    """The reach was measured from the map as grown by the runs before: one run's end let
    the next reach twice as far."""
    from types import SimpleNamespace

    from gdviz.core import compare

    def run(end):
        return SimpleNamespace(points=np.array([[0.0, 0.0], end]), losses=np.array([1.0, 0.0]),
                               grad_norms=np.array([1.0, 1e-9]), status="converged",
                               reason="", lr=0.1, optimizer="gd",
                               message=lambda: "converged at step 1")

    near, far = run([4.5, 0.0]), run([9.5, 0.0])  # (1.5 and 6.5 past the edge of ±3)
    square = ((-3.0, 3.0), (-3.0, 3.0))
    one = compare.domain_holding_ends([near, far], square)
    other = compare.domain_holding_ends([far, near], square)
    assert one == other and one[0][1] == pytest.approx(4.5 + compare.END_PAD * 6.0)


def test_compare_keeps_eta_for_runs_swinging_over_two_creases_and_newton_converges():
    """On |w1| + |w2| from (1.5, −1) Compare cut RMSprop's η eight times, "it overshot",
    to a run 4.6 times worse (its swing crosses both creases in one step, not told as over a
    corner), and called Newton, 1.4·10⁻⁷ from the corner, "stopped" (a QA round)."""
    from gdviz.core.compare import compare_runs

    specs = comparison_specs((1.5, -1.0), 200)
    for spec, (lr, traj, _error) in zip(specs, compare_runs(parse_loss("abs(w1) + abs(w2)"),
                                                             specs), strict=True):
        assert lr == spec.lr, (spec.optimizer, lr)
        if spec.optimizer == "newton":
            assert traj.status == "converged", traj.message()
        elif spec.optimizer in ("rmsprop", "adagrad"):
            assert traj.kinked and "over a corner of f" in traj.message()


@pytest.mark.parametrize("text, minimum", [("w1^4 + w2^4", (0.0, 0.0)),
                                           ("(w1 - 1)^4 + 2*(w2 + 0.5)^4", (1.0, -0.5))])
def test_a_flat_minimum_is_found_where_it_is(text, minimum):
    """On w1⁴ + w2⁴ the key read "→ (−0.000426, −0.000233)": Newton polished the runs' ends
    a third of the way a step (no curvature at the minimum) until ‖∇f‖ = 4w³ was under the
    tolerance, 4·10⁻⁴ off it (a QA round)."""
    r = basins(parse_loss(text), ((-2.0, 2.0), (-2.0, 2.0)), 24, "gd", 0.1, 200)
    assert len(r.minima) == 1
    assert np.hypot(*(r.minima[0] - np.array(minimum))) < 1e-9, r.minima
