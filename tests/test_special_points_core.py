"""Corners (gdviz.core.special_points): one-sided slopes that differ where a partial derivative does
not exist; smooth losses never examined; rounding noise never taken for a corner."""

from __future__ import annotations

import math

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


@pytest.mark.parametrize("text, point, axis", [
    ("abs(w1) + w2^2", (0.3, 0.5), 0),  # beside the corner: differentiable
    ("abs(w1) + w2^2", (0.0, 0.5), 1),  # across the other variable: smooth
    ("max(w1, w2)", (1.0, 2.0), 0),
    ("abs(w1)^2 + w2", (0.0, 0.0), 0),  # |w1|² = w1²: no corner at all
    ("abs(w1)*1e-6 + 1e6", (0.0, 0.0), 0),  # a corner below the rounding noise: not claimed
    ("log(w1)", (-1.0, 0.0), 0),  # undefined there: nothing to say
    ("abs(w1)", (3e-7, 0.0), 0),  # just beside the corner (a run closing in): slope 1
    ("abs(w1)", (1e-7, 0.0), 0),
])
def test_no_corner(text, point, axis):
    assert corner_slopes(parse_loss(text), point, axis) is None


def test_smooth_losses_are_not_examined():
    smooth = parse_loss("1e6 + w1^2 + 1e-9*sin(1e9*w1)")  # (its quotients are noisy)
    assert not smooth.has_corners
    assert corner_slopes(smooth, (0.0, 0.0), 0) is None
    assert parse_loss("abs(w1) + w2").has_corners and parse_loss("min(w1, 1)").has_corners


def test_the_close_up_shrinks_only_where_the_contour_is_too_small_for_it():
    from gdviz.core.special_points import contour_close_up, feature_scale

    bowl = parse_loss("1e9*(x^2 + y^2)")
    assert feature_scale(bowl, (1e-3, 2e-3), 1e-6) == pytest.approx(math.hypot(1e-3, 2e-3))
    r = contour_close_up(bowl, (1e-3, 2e-3), 0.9, 1 / 40)
    assert r == pytest.approx(20 * math.hypot(1e-3, 2e-3), rel=1e-3)
    lecture = parse_loss("sin(w1)*w2*(1-w2)")
    assert contour_close_up(lecture, (-0.5, 0.2), 0.85, 1 / 40) == 0.85  # (as it was)
    assert contour_close_up(bowl, (0.0, 0.0), 0.9, 1 / 40) == 0.9  # (∇f = 0: no zoom)
    assert math.isinf(feature_scale(parse_loss("log(x) + y"), (-1.0, 0.0), 1e-6))
