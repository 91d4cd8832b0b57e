"""The Gradient tab's close-up width (gdviz.core.close_up): a close-up, however far out the
point and however large the map grew to hold it."""

from __future__ import annotations

import pytest

from gdviz import parse_loss
from gdviz.core.close_up import MOST_CROSSINGS, contour_close_up, crossings
from gdviz.core.presets import get_preset

LECTURE = "sin(w1)*w2*(1-w2)"


def test_far_out_the_close_up_holds_a_loop_or_two_not_seven():
    """The lecture's loss at (50, −30), the map grown to ±75: the close-up was ±22.5 wide
    and f crossed its value there 14 times along ∇f (seven loops of its contour)."""
    loss = parse_loss(LECTURE)
    assert crossings(loss, (50.0, -30.0), 22.5) == 14
    r = contour_close_up(loss, (50.0, -30.0), 22.5, 1 / 40)
    assert r == pytest.approx(22.5 / 4)  # (halved twice: 7 crossings, then 3)
    assert crossings(loss, (50.0, -30.0), r) <= MOST_CROSSINGS


@pytest.mark.parametrize("name", ["lecture", "rastrigin", "himmelblau", "rosenbrock",
                                  "ackley", "three_hump_camel"])
def test_the_presets_close_ups_at_their_starts_are_as_they_were(name):
    preset = get_preset(name)
    (a0, a1), (b0, b1) = preset.domain
    r = 0.15 * ((a1 - a0) * (b1 - b0)) ** 0.5
    assert contour_close_up(parse_loss(preset.loss), preset.start, r, 1 / 40) == r


def test_no_crossings_where_the_gradient_is_zero_or_undefined():
    assert crossings(parse_loss("x^2 + y^2"), (0.0, 0.0), 1.0) == 0
    assert crossings(parse_loss("log(x) + y"), (-1.0, 0.0), 1.0) == 0
