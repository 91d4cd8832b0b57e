"""The map's contour levels sit at round numbers (gdviz.core.levels.contour_levels), and its log
scale shows every decade of a loss (gdviz.core.grid.log_params)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from gdviz.core.levels import NICE_STEPS, contour_levels


def test_the_lecture_map_gets_half_units():
    levels = contour_levels(-3.1, 3.05, 10)
    assert levels.tolist() == [-3.0, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0,
                               2.5, 3.0]


def test_levels_are_strictly_inside_despite_rounding():
    levels = contour_levels(75.3, 75.8, 10)  # 75.3 / 0.05 = 1505.9999999999998
    assert levels[0] == 75.35 and levels[-1] == 75.75


def test_extreme_ranges_give_levels_inside_them():
    for lo, hi in ((0.0, 1e-322), (-1e308, 1e308), (1e12, 1e12 + 1e-3), (-1e-300, 1e-300)):
        levels = contour_levels(lo, hi, 10)
        assert levels.size >= 1 and np.isfinite(levels).all(), (lo, hi)
        assert ((levels > lo) & (levels < hi)).all(), (lo, hi, levels)
    assert len(contour_levels(1e12, 1e12 + 1e-3, 10)) >= 7  # not collapsed to one


def test_an_empty_or_undefined_range_gives_its_one_value():
    assert contour_levels(2.0, 2.0).tolist() == [2.0]
    assert contour_levels(0.0, math.inf).tolist() == [0.0]
    assert np.isnan(contour_levels(math.nan, 1.0)).all()


@given(st.floats(-1e6, 1e6), st.floats(1e-6, 1e6), st.integers(4, 20))
def test_levels_are_round_evenly_spaced_and_about_count(lo, span, count):
    # (a span below 1e-5 of the values' size leaves too few digits to measure the step by)
    assume(span > 1e-5 * abs(lo))
    hi = lo + span
    levels = contour_levels(lo, hi, count)
    assert ((levels > lo) & (levels < hi)).all()
    if len(levels) < 2:
        return
    steps = np.diff(levels)
    step = float(np.median(steps))
    np.testing.assert_allclose(steps, step, rtol=1e-6, atol=1e-9 * max(abs(lo), abs(hi)))
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in NICE_STEPS)
    # multiples of the step: a level divided by the step is a whole number
    ratios = levels / step
    np.testing.assert_allclose(ratios, np.round(ratios), atol=1e-6 * max(1.0, abs(ratios).max()))
    assert 0.7 * (count + 1) - 1 <= len(levels) <= 1.5 * (count + 1)


def test_a_loss_spanning_many_decades_shows_them_all_on_a_log_scale():
    # (w1 + w2)^100 spans 77 decades on the lecture's map: with ε at 1e-6 of the span the
    # log map showed the top six (75.3 to 75.8 between its percentiles: one colour).
    from gdviz import parse_loss
    from gdviz.core.grid import log_params, log_transform, robust_range, sample_grid

    grid = sample_grid(parse_loss("(w1+w2)^100"), ((-4, 4), (-1.5, 2.5)), 128)
    floor, eps = log_params(grid.values)
    shown, _ = log_transform(grid.values, floor, eps)
    lo, hi = robust_range(shown)
    assert hi - lo > 60
    # a sample of its own is transformed as the map's when given the map's floor and ε
    same, _ = log_transform(grid.values[:3, :3], floor, eps)
    np.testing.assert_array_equal(same, shown[:3, :3])


def test_log_params_keep_log10_of_the_minimum_finite():
    from gdviz.core.grid import log_params

    values = np.array([[-1e6, -1e6 + 1.0], [np.nan, -1e6 + 100.0]])
    floor, eps = log_params(values)
    assert floor == -1e6 and 1e6 * 1e-15 <= eps < 2.0  # the 1st percentile of (1, 100)
    assert np.isfinite(np.log10(np.maximum(values[0, 0] - floor, 0) + eps))


def test_log_eps_never_washes_out_a_minimum():
    # The 1st percentile alone was 2.46 on Himmelblau's map: zoomed in on a minimum, the log
    # colours then spanned 0.3 decades instead of 2.4. ε stays at most 1e-6 of the span.
    from gdviz import parse_loss
    from gdviz.core.grid import log_params, log_transform, robust_range, sample_grid
    from gdviz.core.presets import get_preset

    preset = get_preset("himmelblau")
    loss = parse_loss(preset.loss)
    grid = sample_grid(loss, preset.domain, 128)
    floor, eps = log_params(grid.values)
    finite = grid.values[np.isfinite(grid.values)]
    assert eps <= 1e-6 * (finite.max() - floor)
    near = sample_grid(loss, ((2.9, 3.1), (1.9, 2.1)), 64)  # around the minimum (3, 2)
    lo, hi = robust_range(log_transform(near.values, floor, eps)[0])
    assert hi - lo > 2  # decades still shown there


def _significant_digits(value: float) -> int:
    """How many significant digits ``value`` needs (1 for 0.03, 3 for 3.01)."""
    for digits in range(1, 17):
        if math.isclose(float(f"{value:.{digits}g}"), value, rel_tol=1e-9, abs_tol=1e-12):
            return digits
    return 17


def test_log_levels_sit_at_round_values_of_the_loss():
    # Rosenbrock's log map was labelled 10 to the levels: 0.0631, 0.158, 0.398, 63.1.
    from gdviz.core.levels import log_level_value, log_levels

    levels = log_levels(-2.2, 3.3, 0.0, 1e-9, 10)
    values = [log_level_value(v, 0.0, 1e-9) for v in levels]
    assert all(_significant_digits(f) == 1 for f in values), values
    assert all(np.diff(levels) > 0) and levels.min() > -2.2 and levels.max() < 3.3
    assert 7 <= len(levels) <= 16
    # Above a floor of 3 (Goldstein–Price) the levels near it keep the digits they need
    values = [log_level_value(v, 3.0, 1e-9) for v in log_levels(-6.0, 5.0, 3.0, 1e-9, 10)]
    assert all(f > 3.0 for f in values) and len(set(values)) == len(values)
    assert all(_significant_digits(f - 3.0) == 1 for f in values if f < 4), values
    assert all(_significant_digits(f) <= 2 for f in values if f >= 4), values


def test_log_level_values_carry_no_rounding_noise():
    from gdviz.core.levels import log_level_value, log_levels

    values = [log_level_value(v, -1.0, 1e-6) for v in log_levels(-1.0, 2.0, -1.0, 1e-6, 10)]
    assert 0.0 in values  # not -1.1e-16
    assert all(_significant_digits(f) <= 2 for f in values), values


def test_log_levels_beyond_the_float_range_are_kept():
    from gdviz.core.levels import log_levels

    levels = log_levels(250.0, 400.0, 0.0, 1e-300, 10)  # f up to 10^400: not a float
    assert len(levels) >= 7 and np.all(np.isfinite(levels))


def test_the_nearest_round_step_gives_way_when_it_makes_too_many_levels():
    # (found by the property test above: 25000 is the nearest step to 175001 / 5, and the
    # range just holds both ends: 8 levels for 4)
    assert contour_levels(-0.5, 175000.5, 4).tolist() == [0.0, 50000.0, 100000.0, 150000.0]


def test_log_levels_of_a_loss_near_the_float_limit_raise_nothing():
    # ((((x+1)^7+y)^7+x)^7+y)^7 on the log scale: f from −1.5e308 to 1e308 levels up to
    # 10^308.4, and Python's 10.0 ** 309 raised OverflowError inside the loss edit (the map
    # and the 3D view kept the loss before).
    from gdviz.core.levels import log_levels

    levels = log_levels(200.0, 308.4, -1.5e308, 1e-6)
    assert len(levels) >= 7 and np.all(np.isfinite(levels))
    assert np.all(np.diff(levels) > 0) and levels.min() > 200.0 and levels.max() < 308.4


def test_one_cell_strips_through_an_undefined_region_do_not_set_the_scale():
    """w1^w2 is defined for w1 < 0 only on whole w2: those grid rows held f down to −614125,
    which as the log floor made every other value read log10(614125) ≈ 5.79, one colour."""
    from gdviz.core.grid import log_params, log_transform, robust_range, sample_grid, scale_values
    from gdviz.core.loss import parse_loss

    grid = sample_grid(parse_loss("w1^w2"), ((-3.0, 3.0), (-3.0, 3.0)), 256)
    left = grid.values[:, grid.a < 0]
    assert np.isfinite(left).any()  # the whole-number rows are sampled and drawn
    scaled = scale_values(grid.values)
    assert not np.isfinite(scaled[:, grid.a < 0]).any()
    right = grid.values[:, grid.a > 0]
    assert np.array_equal(scaled[:, grid.a > 0], right)  # nothing else left out
    floor, eps = log_params(scaled)
    assert floor == right.min() > 0
    shown = log_transform(grid.values, floor, eps)[0]
    lo, hi = robust_range(np.where(np.isnan(scaled), np.nan, shown))
    assert hi - lo > 3  # decades of colour, not a sliver


def test_a_defined_map_and_wide_holes_keep_every_value_for_the_scale():
    from gdviz.core.grid import scale_values

    whole = np.arange(36.0).reshape(6, 6)
    assert scale_values(whole) is whole
    holed = whole.copy()
    holed[2:4, 2:4] = np.nan  # a hole: its neighbours are parts of wider regions
    holed[0, 0] = np.nan  # a corner of the grid undefined
    assert np.array_equal(np.isnan(scale_values(holed)), np.isnan(holed))
    column = np.full((4, 5), np.nan)
    column[:, 2] = 1.0  # a one-cell column through the undefined
    point = np.full((3, 3), np.nan)
    point[1, 1] = 5.0
    assert scale_values(column) is column and scale_values(point) is point  # (all there is)
    column[0, 0] = 7.0  # (a wider region beside them: the strip alone is left out)
    column[0, 1] = column[1, 0] = column[1, 1] = 7.0
    assert np.isnan(scale_values(column)[2:, 2]).all() and scale_values(column)[0, 0] == 7.0


def test_the_surface_s_heights_keep_a_bowl_whole_and_cut_a_spike():
    """1000·(w1² + w2²) had its top percent cut flat (saw-toothed along the 3D mesh); a
    spike, 1/(w1² + w2²), is still cut where it would flatten all the rest."""
    from gdviz import parse_loss
    from gdviz.core.grid import height_range, robust_range, sample_grid

    bowl = sample_grid(parse_loss("1000*(w1^2 + w2^2)"), ((-3, 3), (-3, 3)), 64).values
    assert height_range(bowl) == (bowl.min(), bowl.max())
    assert robust_range(bowl)[1] < bowl.max()  # (the case: the top percent was cut)
    spike = sample_grid(parse_loss("1/(w1^2 + w2^2)"), ((-3, 3), (-3, 3)), 64).values
    lo, hi = height_range(spike)
    assert lo == spike.min() and hi == robust_range(spike)[1] < spike.max() / 10


def test_a_surface_of_f_that_is_a_flat_floor_is_told():
    """exp(w1² + w2²): 89 % within a hundredth of its height; a bowl is not a floor."""
    from gdviz import parse_loss
    from gdviz.core.grid import flat_surface, height_range, sample_grid

    steep = sample_grid(parse_loss("exp(w1^2 + w2^2)"), ((-3, 3), (-3, 3)), 64).values
    bowl = sample_grid(parse_loss("w1^2 + w2^2"), ((-3, 3), (-3, 3)), 64).values
    assert flat_surface(steep, height_range(steep))
    assert not flat_surface(bowl, height_range(bowl))
