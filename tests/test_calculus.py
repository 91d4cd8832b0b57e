"""The calculus behind the lecture views (no Qt): slices, secants, error curves, contours."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdviz import parse_loss
from gdviz.core import calculus

LECTURE = "sin(w1)*w2*(1-w2)"
HS = calculus.default_hs(80)


@pytest.fixture(scope="module")
def lecture():
    return parse_loss(LECTURE)


# -- slices ---------------------------------------------------------------------------------------
def test_slice_function_holds_the_other_variable(lecture):
    ts = np.linspace(-2, 2, 7)
    along_a = calculus.slice_function(lecture, (0.3, 0.2), 0)
    along_b = calculus.slice_function(lecture, (0.3, 0.2), 1)
    np.testing.assert_allclose(along_a(ts), np.sin(ts) * 0.2 * 0.8)
    np.testing.assert_allclose(along_b(ts), math.sin(0.3) * ts * (1 - ts))


def test_slice_derivative_is_the_partial(lecture):
    p = (-0.5, 0.2)
    da, db = (float(v) for v in lecture.gradient(*p))
    assert calculus.slice_derivative(lecture, p, 0)(np.float64(p[0])) == pytest.approx(da)
    assert calculus.slice_derivative(lecture, p, 1)(np.float64(p[1])) == pytest.approx(db)
    assert calculus.slice_curvature(lecture, p, 0) == pytest.approx(-math.sin(-0.5) * 0.16)


def test_flat_tolerance_is_where_slope_classes_stops_calling_flat():
    rng = np.random.default_rng(3)
    slopes = np.append(rng.normal(size=300), [np.nan, np.inf])
    tol = calculus.flat_tolerance(slopes)
    classes = calculus.slope_classes(slopes)
    finite = np.isfinite(slopes)
    assert tol > 0
    flat = finite & (np.abs(slopes) <= tol)
    steep = finite & (np.abs(slopes) > tol)
    assert (classes[flat] == 0).all() and flat.sum() > 5
    assert (classes[steep] == np.sign(slopes[steep])).all()
    assert calculus.flat_tolerance(np.array([np.nan])) == 0.0


def test_flat_at_a_point_follows_how_steep_the_slice_is_there():
    loss = parse_loss("exp(-25*x)*(1 + y^2)")  # reaches 10⁴³ at x = -4
    ts, _, slopes = calculus.sample_slice(loss, (0.0, 0.2), 0, -4.0, 4.0, 181)
    mid = 0.5 * (ts[1:] + ts[:-1])
    x = math.log(1.3 / (25 * 1.04)) / -25  # where the slope is -1.3
    assert calculus.flat_tolerance(slopes, 1e-3) > 1e30  # "usually" the slice is that steep
    assert calculus.flat_tolerance_at(mid, slopes, x, 1e-3) < 0.05
    # At the top of a smooth curve the rounding error of the exact slope stays flat, and the
    # tolerance never exceeds the whole slice's.
    ts, _, slopes = calculus.sample_slice(parse_loss("sin(x)*y"), (0.0, 1.0), 0, -4.0, 4.0, 181)
    mid = 0.5 * (ts[1:] + ts[:-1])
    at_top = calculus.flat_tolerance_at(mid, slopes, math.pi / 2, 1e-3)
    assert 1e-6 < at_top <= calculus.flat_tolerance(slopes, 1e-3)
    assert calculus.flat_tolerance_at(mid, np.full(len(mid), np.nan), 0.0, 1e-3) == 0.0


def test_slope_classes_relative_threshold():
    slopes = np.linspace(-10, 10, 21)  # 90th percentile of |slope| = 9: flat below 0.45
    classes = calculus.slope_classes(np.append(slopes, [0.4, 0.5, np.nan]), 0.05)
    assert classes[:10].tolist() == [-1] * 10 and classes[10] == 0
    assert classes[11:21].tolist() == [1] * 10
    assert classes[21:].tolist() == [0, 1, 0]
    assert calculus.slope_classes(np.zeros(4)).tolist() == [0, 0, 0, 0]


def test_a_steep_stretch_does_not_flatten_the_rest():
    ts = np.linspace(0.001, 4, 400)
    classes = calculus.slope_classes(1 / ts)  # log rises everywhere, very steeply near 0
    assert (classes == 1).all()


def test_split_by_slope_covers_every_segment_once(lecture):
    ts, ys, slopes = calculus.sample_slice(lecture, (0.0, 0.2), 0, -4, 4, 201)
    parts = calculus.split_by_slope(ts, ys, slopes)
    assert set(parts) == {"rising", "falling", "flat"}
    segments = 0
    for xs, yv in parts.values():
        finite = np.isfinite(xs)
        # Pieces are runs of consecutive samples separated by NaN.
        for piece in np.split(xs, np.flatnonzero(~finite)):
            piece = piece[np.isfinite(piece)]
            segments += max(len(piece) - 1, 0)
        np.testing.assert_array_equal(np.isfinite(xs), np.isfinite(yv))
    assert segments == len(ts) - 1
    # sin rises on (-π/2, π/2): the middle of the slice is rising.
    rx, _ = parts["rising"]
    assert np.nanmin(np.abs(rx)) < 0.05
    fx, _ = parts["falling"]
    assert np.all(np.abs(fx[np.isfinite(fx)]) > 1.3)


def _split_reference(ts, ys, slopes):
    """split_by_slope written plainly, piece by piece."""
    cls = calculus.slope_classes(slopes)
    ok = np.isfinite(ys[:-1]) & np.isfinite(ys[1:])
    out = {}
    for name, code in zip(calculus.SLOPE_CLASSES, (1, -1, 0), strict=True):
        xs, yv, i, n = [], [], 0, len(cls)
        while i < n:
            if ok[i] and cls[i] == code:
                j = i
                while j + 1 < n and ok[j + 1] and cls[j + 1] == code:
                    j += 1
                xs += [*ts[i:j + 2], np.nan]
                yv += [*ys[i:j + 2], np.nan]
                i = j + 1
            else:
                i += 1
        out[name] = (np.array(xs, dtype=float), np.array(yv, dtype=float))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_split_by_slope_matches_a_piece_by_piece_split(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    ts = np.linspace(-1.0, 1.0, n)
    ys = rng.normal(size=n).cumsum()
    ys[rng.random(n) < 0.1] = np.nan
    slopes = np.diff(ys) * rng.choice([1.0, 0.001], size=n - 1)  # some nearly flat
    got, want = calculus.split_by_slope(ts, ys, slopes), _split_reference(ts, ys, slopes)
    for name in calculus.SLOPE_CLASSES:
        np.testing.assert_array_equal(got[name][0], want[name][0])
        np.testing.assert_array_equal(got[name][1], want[name][1])


def test_split_by_slope_skips_undefined_points():
    ts = np.linspace(-1, 1, 11)
    ys = np.where(np.abs(ts) < 0.15, np.nan, ts**2)
    parts = calculus.split_by_slope(ts, ys, 2 * (ts[1:] + ts[:-1]) / 2)
    xs = np.concatenate([p[0] for p in parts.values()])
    assert not np.any(np.isclose(xs, 0.0))


def test_line_in_box_clips_to_the_box():
    xs, ys = calculus.line_in_box(0.0, 0.0, 10.0, (-1.0, 1.0), (-1.0, 1.0))
    np.testing.assert_allclose(xs, [-0.1, 0.1])
    np.testing.assert_allclose(ys, [-1.0, 1.0])
    xs, ys = calculus.line_in_box(0.0, 0.5, 0.0, (-1.0, 1.0), (-1.0, 1.0))
    np.testing.assert_allclose(ys, [0.5, 0.5])
    assert calculus.line_in_box(0.0, 5.0, 0.0, (-1, 1), (-1, 1))[0].size == 0
    assert calculus.line_in_box(0.0, 0.0, math.nan, (-1, 1), (-1, 1))[0].size == 0


# -- h → 0 ----------------------------------------------------------------------------------------
def test_secant_slope_is_the_difference_quotient():
    assert calculus.secant_slope(np.sin, 1.0, 0.1) == (math.sin(1.1) - math.sin(1.0)) / 0.1


def test_error_curve_slopes_on_a_smooth_function():
    fwd, cen = calculus.error_curve(np.sin, 1.0, math.cos(1.0), HS)
    assert calculus.fitted_slope(HS, fwd, (1e-3, 1e-1)) == pytest.approx(1.0, abs=0.05)
    assert calculus.fitted_slope(HS, cen, (1e-3, 1e-1)) == pytest.approx(2.0, abs=0.05)
    # Round-off takes over for tiny h: the error grows again.
    assert np.nanmedian(fwd[HS < 1e-13]) > 100 * np.nanmin(fwd)


def test_best_h_orders_of_magnitude():
    fwd, cen = calculus.error_curve(np.sin, 1.0, math.cos(1.0), HS)
    assert -9.5 < math.log10(calculus.best_h(HS, fwd)) < -6.5  # ≈ √eps ≈ 1e-8
    assert -6.5 < math.log10(calculus.best_h(HS, cen)) < -4.0  # ≈ eps^(1/3) ≈ 1e-5


def test_error_curve_floors_exact_zeros_and_best_h_handles_nan():
    # Central differences are exact on a parabola: errors are pure round-off (or 0).
    fwd, cen = calculus.error_curve(lambda x: x * x, 0.5, 1.0, HS)
    assert np.all(cen[np.isfinite(cen)] > 0)
    assert math.isnan(calculus.best_h(HS, np.full(HS.shape, np.nan)))
    assert math.isnan(calculus.fitted_slope(HS, np.full(HS.shape, np.nan), (1e-3, 1e-1)))


def test_reference_line_has_the_given_slope():
    ref = calculus.reference_line(HS, 2, 1e-2, 1e-4)
    assert calculus.fitted_slope(HS, ref, (1e-6, 1)) == pytest.approx(2.0)


# -- the gradient ---------------------------------------------------------------------------------
def test_local_window_is_square_and_centred():
    (a0, a1), (b0, b1) = calculus.local_window((1.0, 2.0), ((-4, 4), (-1.5, 2.5)), 0.15)
    assert a1 - a0 == pytest.approx(b1 - b0)
    assert (a0 + a1) / 2 == pytest.approx(1.0)
    assert (b0 + b1) / 2 == pytest.approx(2.0)


@pytest.mark.parametrize("point", [(-0.5, 0.2), (1.0, 0.7), (2.0, -1.0), (0.3, 2.0),
                                   (-2.5, 1.6), (3.0, 0.1)])
def test_contour_tangent_is_perpendicular_to_the_gradient(lecture, point):
    t = calculus.contour_tangent(lecture, point, 0.85 / 40)
    assert t is not None
    g = np.array([float(v) for v in lecture.gradient(*point)])
    assert abs(np.dot(t, g)) / np.hypot(*g) < 0.02
    assert np.hypot(*t) == pytest.approx(1.0)


@pytest.mark.parametrize("text, point, radius", [
    ("(1 - x)^2 + 100*(y - x^2)^2", (-0.3093, 0.0977), 0.03),  # (it read 93.2°, 81.9° here)
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", (0.3, -0.4), 0.3),
    ("sin(w1)*w2*(1 - w2)", (-0.5, 0.2), 0.3),
    # a crease just beside the point (a run passing close to an L1 term's): |x| + y's V read
    # 44° from ∇f, the fit bent by the crease; the chords close in tell the line
    ("abs(x) + y", (0.001, 0.5), 0.03), ("abs(w1) + w2^2", (0.002, 0.5), 0.03),
    ("abs(w1) + abs(w2)", (0.003, 0.6), 0.03),
    # a straight contour through one of the chord's sample angles: no chord found (a sample
    # exactly on the level made four "crossings"), and the fit's 87° stood
    ("abs(x) + y", (0.01, 0.5), 0.03),
])
def test_contour_tangent_is_perpendicular_to_a_tenth_of_a_degree(text, point, radius):
    """The Gradient tab measured Rosenbrock's banana-shaped contour 3° off (from the grid's
    straight pieces and a parabola), and drew its right angle beside "93.2°"."""
    loss = parse_loss(text)
    t = calculus.contour_tangent(loss, point, radius)
    g = np.array([float(v) for v in loss.gradient(*point)])
    angle = np.degrees(np.arccos(abs(np.dot(t, g)) / np.hypot(*g)))
    assert angle == pytest.approx(90.0, abs=0.1)


def test_contour_tangent_none_at_a_minimum_or_undefined_point():
    bowl = parse_loss("x^2 + y^2")
    assert calculus.contour_tangent(bowl, (0.0, 0.0), 0.1) is None
    assert calculus.contour_tangent(parse_loss("log(x) + y"), (-1.0, 0.0), 0.1) is None
    t = calculus.contour_tangent(bowl, (1.0, 0.0), 0.05)
    np.testing.assert_allclose(t, [0.0, 1.0], atol=1e-3)


def test_contour_levels_around_contains_the_center():
    levels = calculus.contour_levels_around(0.3, 0.1, 2)
    np.testing.assert_allclose(levels, [0.1, 0.2, 0.3, 0.4, 0.5])
    assert levels[2] == 0.3
    assert calculus.contour_levels_around(0.3, 0.0).tolist() == [0.3]
    assert calculus.contour_levels_around(math.nan, 0.1).size == 0


def test_contour_lines_lie_on_the_level(lecture):
    window = calculus.local_window((-0.5, 0.2), ((-4, 4), (-1.5, 2.5)))
    a, b, values = calculus.local_grid(lecture, window, 81)
    level = float(lecture.value(-0.5, 0.2))
    pieces = calculus.contour_lines(a, b, values, level)
    assert pieces
    pts = np.concatenate(pieces)
    assert np.max(np.abs(lecture.value(pts[:, 0], pts[:, 1]) - level)) < 2e-3
    assert calculus.contour_lines(a, b, np.full_like(values, np.nan), 0.0) == []


def test_directional_derivative_is_a_cosine():
    g = np.array([3.0, 4.0])
    theta_g = calculus.angle_of(g)
    assert calculus.directional_derivative(g, theta_g) == pytest.approx(5.0)
    assert calculus.directional_derivative(g, theta_g + 90) == pytest.approx(0.0, abs=1e-12)
    thetas = np.linspace(0, 360, 721)
    values = calculus.directional_derivative(g, thetas)
    assert values.max() == pytest.approx(5.0, rel=1e-4)
    np.testing.assert_allclose(calculus.direction(90.0), [0.0, 1.0], atol=1e-15)


def test_angles():
    assert calculus.angle_of((0.0, -1.0)) == pytest.approx(270.0)
    assert math.isnan(calculus.angle_of((0.0, 0.0)))
    assert calculus.angle_between((1, 0), (0, 2)) == pytest.approx(90.0)
    assert calculus.angle_between((1, 0), (-1, 0)) == pytest.approx(180.0)
    assert math.isnan(calculus.angle_between((0, 0), (1, 0)))


def test_core_calculus_has_no_qt():
    import subprocess
    import sys

    code = ("import sys, gdviz.core.calculus; "
            "sys.exit(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_a_huge_error_s_guide_line_is_inf_without_a_warning():
    """e^709 at h = 1: the guide line overflowed with a RuntimeWarning on the console."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        line = calculus.reference_line(np.array([1.0, 1e-158]), 2, 1e-160, 1e300)
    assert np.isinf(line[0]) and np.isfinite(line[1])


def test_a_small_loop_ending_at_the_point_is_no_tangent():
    """Near the lecture's minimum the contour through a run's point (k = 81 of GD, η = 0.3)
    is a loop 0.005 long that ends at the point: its long axis read as the tangent, drawn
    along ∇f, "angle between ∇f and the contour: 0.5°"."""
    import numpy as np

    from gdviz import descend, parse_loss
    from gdviz.core.calculus import contour_tangent

    loss = parse_loss("sin(w1)*w2*(1-w2)")
    point = descend(loss, (-0.5, 0.2), "gd", 0.3, steps=200).points[81]
    g = np.array([float(v) for v in loss.gradient(*point)])
    for radius in (0.4, 0.1, 0.01, 0.003, 0.001):
        t = contour_tangent(loss, point, radius)
        if t is not None:  # (where one is found, it is the contour's: across ∇f)
            assert abs(float(t @ g)) / np.hypot(*g) < 0.02, (radius, t)
    assert contour_tangent(loss, point, 0.01) is None
