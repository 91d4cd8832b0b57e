"""Corners (gdviz.core.special_points): one-sided slopes that differ where a partial derivative does
not exist; smooth losses never examined; rounding noise never taken for a corner."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdviz.core.loss import parse_loss
from gdviz.core.special_points import corner_slopes


@pytest.mark.parametrize("text, point, axis, slopes", [
    ("abs(w1) + w2^2", (0.0, 0.5), 0, (-1.0, 1.0)),
    ("abs(w1 - 1)*3 + w2", (1.0, 0.0), 0, (-3.0, 3.0)),
    ("max(w1, w2)", (1.0, 1.0), 0, (0.0, 1.0)),
    ("max(w1, w2)", (1.0, 1.0), 1, (0.0, 1.0)),
    ("abs(w1^2 - 1)", (1.0, 0.0), 0, (-2.0, 2.0)),
    ("abs(sin(w1))", (0.0, 0.0), 0, (-1.0, 1.0)),
    ("abs(w1 - 1000)", (1000.0, 0.0), 0, (-1.0, 1.0)),
])
def test_a_corner_gives_its_two_slopes(text, point, axis, slopes):
    assert corner_slopes(parse_loss(text), point, axis) == pytest.approx(slopes, abs=1e-9)


@pytest.mark.parametrize("text, slopes", [
    ("abs(w1) + 20*w1^2", (-1.0, 1.0)), ("abs(w1) + 200*w1^2", (-1.0, 1.0)),
    ("max(0, w1) + 15*w1^2", (0.0, 1.0)), ("max(w1, 30*w1^2)", (0.0, 1.0)),
    ("abs(w1)^1.5 + abs(w1)", (-1.0, 1.0)),
    # (curved more, the quotients moved over 10 % as the step shrank, from 2 to 1.01, and
    # the corner read "slope 0 (flat)" in every tab; the slopes are the limits, not 1.01)
    ("abs(w1) + 1e4*w1^2", (-1.0, 1.0)), ("abs(w1) + 3000*w1^2", (-1.0, 1.0)),
    ("abs(w1) + 1e6*w1^2", (-1.0, 1.0)), ("abs(w1) - 1e4*w1^2", (-1.0, 1.0)),
])
def test_a_corner_where_f_curves_strongly_is_found(text, slopes):
    """The quotients of a curved corner move with the step (20·w1² by 20 × the step), and
    settle as it shrinks: an elastic-net-like loss's crease is a corner (with a stricter
    test for quotients holding still it read "slope = 0 (flat)")."""
    assert corner_slopes(parse_loss(text), (0.0, 0.3), 0) == pytest.approx(slopes, abs=1e-3)


def test_a_corner_far_from_the_origin_where_f_curves_strongly_is_found():
    """The steps grow with |w1|: at 5 a curvature of 300 moved the quotients as 10⁴ at 0."""
    loss = parse_loss("abs(w1 - 5) + 300*(w1 - 5)^2 + w2")
    assert corner_slopes(loss, (5.0, 0.5), 0) == pytest.approx((-1.0, 1.0), abs=1e-6)


@pytest.mark.parametrize("text, point, axis", [
    ("abs(w1) + w2^2", (0.3, 0.5), 0),  # beside the corner: differentiable
    ("abs(w1) + w2^2", (0.0, 0.5), 1),  # across the other variable: smooth
    ("max(w1, w2)", (1.0, 2.0), 0),
    ("abs(w1)^2 + w2", (0.0, 0.0), 0),  # |w1|² = w1²: no corner at all
    ("abs(w1)*1e-6 + 1e6", (0.0, 0.0), 0),  # a corner below the rounding noise: not claimed
    ("log(w1)", (-1.0, 0.0), 0),  # undefined there: nothing to say
    ("abs(w1)", (3e-7, 0.0), 0),  # just beside the corner (a run closing in): slope 1
    ("abs(w1)", (1e-7, 0.0), 0),
    # 5·10⁻⁹ off it (AdaGrad's first step on |w1| + w2² from (0.5, 1) at η = 0.5): the step
    # used ∂f/∂w1 = 1, where the readouts said "undefined"
    ("abs(w1)", (5e-9, 0.0), 0), ("abs(w1) + w2^2", (-2e-9, 0.5), 0),
    # quotients closing on the slope 0 at another rate than the step's (√h): no corner
    ("abs(w1)^1.5 + w2", (0.0, 0.0), 0), ("abs(w1)^1.1 + w2", (0.0, 0.0), 0),
    ("1e6*w1^2 + abs(w2)", (0.0, 0.0), 0),  # (curved hard, and smooth)
])
def test_no_corner(text, point, axis):
    assert corner_slopes(parse_loss(text), point, axis) is None


def test_smooth_losses_are_not_examined():
    smooth = parse_loss("1e6 + w1^2 + 1e-9*sin(1e9*w1)")  # (its quotients are noisy)
    assert not smooth.has_corners
    assert corner_slopes(smooth, (0.0, 0.0), 0) is None
    assert parse_loss("abs(w1) + w2").has_corners and parse_loss("min(w1, 1)").has_corners


def test_the_close_up_shrinks_only_where_the_contour_is_too_small_for_it():
    from gdviz.core.close_up import contour_close_up, feature_scale

    bowl = parse_loss("1e9*(x^2 + y^2)")
    assert feature_scale(bowl, (1e-3, 2e-3), 1e-6) == pytest.approx(math.hypot(1e-3, 2e-3))
    r = contour_close_up(bowl, (1e-3, 2e-3), 0.9, 1 / 40)
    assert r == pytest.approx(20 * math.hypot(1e-3, 2e-3), rel=1e-3)
    lecture = parse_loss("sin(w1)*w2*(1-w2)")
    assert contour_close_up(lecture, (-0.5, 0.2), 0.85, 1 / 40) == 0.85  # (as it was)
    assert contour_close_up(bowl, (0.0, 0.0), 0.9, 1 / 40) == 0.9  # (∇f = 0: no zoom)
    assert math.isinf(feature_scale(parse_loss("log(x) + y"), (-1.0, 0.0), 1e-6))


def _close_up(loss, point, r, n=81):
    from gdviz.core.calculus import local_grid

    a, b, values = local_grid(loss, ((point[0] - r, point[0] + r), (point[1] - r, point[1] + r)),
                              n)
    near = np.hypot(a[None, :] - point[0], b[:, None] - point[1]) <= r / 3
    return values, near


@pytest.mark.parametrize("text, point, r, kind", [
    # Rastrigin's local minimum near (3, 3): the close-up (±15 % of the domain) reaches the
    # next, lower basin; the samples alone said "a saddle point"
    ("20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)", None, 1.5, "minimum"),
    ("x^2 - 0.0001*y^2", (0.0, 0.0), 0.3, "saddle"),  # (f falls, slowly, along y)
    ("x^3 - 3*x*y^2", (0.0, 0.0), 0.3, "saddle"),  # no curvature: the samples decide
    ("x^2 + y^4", (0.0, 0.0), 0.3, "minimum"),  # one curvature 0: the samples decide
    ("-(x^2 + y^2)", (0.0, 0.0), 0.3, "maximum"),
    ("x*y", (0.0, 0.0), 0.3, "saddle"),
    # converged 5·10⁻⁴ from x³ + y²'s flat saddle: a small positive curvature there, but
    # negative a little further on: the samples decide (the Hessian alone said "minimum")
    ("x^3 + y^2", (5.3e-4, 0.0), 0.3, "saddle"),
    # f level along a line through the point: not "rises in every direction"
    ("x^2", (0.0, 1.0), 0.3, "valley"),
    ("x^2*y^2", (0.0, 1.0), 0.3, "valley"),  # (the axes are its valley floors)
    ("-(x - y)^2", (1.0, 1.0), 0.3, "ridge"),  # (a slanted line of maxima)
    ("(x - 2*y)^2 + 1", (2.0 + 1e-9, 1.0), 0.3, "valley"),  # (a run converged beside it)
    ("x^2 + 1e-3*y^4", (0.0, 0.0), 0.3, "minimum"),  # (rises along y, only slowly)
])
def test_a_stationary_point_is_told_by_its_curvatures(text, point, r, kind):
    from gdviz import descend
    from gdviz.core.special_points import KINDS, stationary_kind, stationary_kind_at

    loss = parse_loss(text)
    if point is None:  # where a run from (3, 3) converges: a local minimum
        t = descend(loss, (3.0, 3.0), "newton", lr=1.0, steps=50, tol=1e-10)
        assert t.status == "converged"
        point = tuple(t.points[-1])
        values, _near = _close_up(loss, point, r)
        assert stationary_kind(values, float(loss.value(*point))) == KINDS["saddle"]  # (was)
    values, near = _close_up(loss, point, r)
    level = float(loss.value(*point))
    assert stationary_kind_at(loss, point, 1e-4 * r, values, level, near, r / 3) == KINDS[kind]


@pytest.mark.parametrize("text", ["x^4 - 3*x^2*y^2 + y^4", "x^6 - x^4*y^2 + 0.01*y^6"])
def test_a_saddle_without_curvature_is_not_read_as_a_minimum(text):
    """The gradient's differences curve up h² every way at such a saddle (4·10⁻⁸ for the
    quartic): it read "minimum", and a run started on it "converged at step 0" with no word
    of the saddle, though f falls along y = x."""
    from gdviz.core.descent import descend
    from gdviz.core.special_points import curvature_kind_at, hessian_at

    loss = parse_loss(text)
    assert curvature_kind_at(loss, (0.0, 0.0)) is None
    assert not np.abs(hessian_at(loss, (0.0, 0.0))).any()
    assert "saddle" in descend(loss, (0.0, 0.0), "gd").message()


@pytest.mark.parametrize("text, point, kind", [
    ("x^2 + 3*y^2", (0.0, 0.0), "minimum"), ("x^2 - y^2", (0.0, 0.0), "saddle"),
    ("-(x^2) - 2*y^2", (0.0, 0.0), "maximum"), ("cos(x) + y^4 + 2*y^2", (0.0, 0.0), "saddle"),
    # (tiny real curvatures are kept: their differences' error is tinier still)
    ("1e-6*(x^2 + y^2)", (0.0, 0.0), "minimum"), ("(x^2 + y^2)*1e-3", (30.0, -20.0), "minimum")])
def test_real_curvatures_are_kept(text, point, kind):
    from gdviz.core.special_points import curvature_kind_at

    assert curvature_kind_at(parse_loss(text), point) == kind


def test_each_curvature_is_judged_by_its_own_error():
    """One direction's large difference error wiped out the other's real curvature; and
    where 2h crossed an edge of f's domain there was no answer, where h alone had one."""
    from gdviz.core.special_points import curvature_kind_at, hessian_at

    h = hessian_at(parse_loss("cos(3e4*x) + y^2"), (0.0, 0.0))
    assert h[1, 1] == pytest.approx(2.0)
    h = hessian_at(parse_loss("x^2 + 1e8*y^4 - 1e3*x^4"), (0.0, 0.0))
    assert h[0, 0] == pytest.approx(2.0) and h[1, 1] == 0.0
    assert curvature_kind_at(parse_loss("x - 2e-4*log(x) + y^2"), (2e-4, 0.0)) == "minimum"


@pytest.mark.parametrize("text, point, slopes", [
    ("acos(cos(w1)) + w2", (0.0, 0.0), (-1.0, 1.0)),
    ("asin(sin(w1)) + w2", (math.pi / 2, 0.0), (1.0, -1.0)),
    ("sqrt(1 - cos(w1)) + w2", (0.0, 0.0), (-0.7071, 0.7071)),
    ("1.234567*abs(w1) + w2", (0.0, 0.0), (-1.23457, 1.23457)),
    ("abs(w1) + 10000*w1^2 + w2", (0.0, 0.0), (-1.0, 1.0)),
])
def test_one_sided_slopes_show_the_digits_they_have(text, point, slopes):
    """acos(cos(w1))'s corner read ±1.00005 and asin(sin(w1))'s ±0.999991 (1 − cos h's
    rounding at the least step), six digits of which the last two were wrong; a corner
    known to six digits keeps them."""
    assert corner_slopes(parse_loss(text), point, 0) == slopes
