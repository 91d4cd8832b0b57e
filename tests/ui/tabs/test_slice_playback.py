"""The Slice tab during playback: a step that leaves the selected run where it was (it
stopped, the other runs play on) costs the tab nothing, and shows what it showed."""

from __future__ import annotations

import numpy as np
import pytest

from gdviz import parse_loss
from gdviz.core.session import RunSpec
from gdviz.ui.controller import Run

LECTURE = "sin(w1)*w2*(1-w2)"


def test_a_step_that_leaves_the_selected_run_where_it_was_redraws_nothing(
        slice_view, controller, monkeypatch):
    controller.runs = [
        Run(RunSpec(optimizer="gd", lr=0.1, start=(-0.5, 0.2), steps=20, color="#0072B2")),
        Run(RunSpec(optimizer="gd", lr=0.1, start=(1.0, 0.6), steps=50, color="#D55E00"))]
    controller.set_loss(parse_loss(LECTURE))  # (both runs computed)
    controller.select(0)
    assert controller.max_iteration == 50
    assert len(controller.runs[0].trajectory.points) == 21
    redraws = []
    draw = slice_view.redraw
    monkeypatch.setattr(slice_view, "redraw", lambda: (redraws.append(controller.iteration),
                                                       draw())[1])
    for k in (10, 20, 25, 30, 40, 50):
        controller.set_iteration(k)
    assert redraws == [10, 20]  # past step 20 the first run stays at its last point
    a, b = controller.current_point()
    assert (a, b) == tuple(controller.runs[0].trajectory.points[20])
    xs, ys = slice_view.slice_data()
    np.testing.assert_allclose(ys, np.sin(xs) * b * (1 - b), atol=1e-12)
    assert slice_view.dot.getData()[0][0] == pytest.approx(a)
    # A point examined along the slice stays while the run does not move, and goes when
    # it moves again.
    slice_view.set_examined(1.0)
    controller.set_iteration(45)
    assert slice_view.examined_point() == (pytest.approx(1.0), pytest.approx(b))
    controller.set_iteration(12)
    assert redraws[-1] == 12
    assert slice_view.examined_point() == controller.current_point()
    # Another selected run (the one still moving): every step redraws again.
    controller.select(1)
    redraws.clear()
    for k in (30, 31, 32):
        controller.set_iteration(k)
    assert redraws[-3:] == [30, 31, 32]


@pytest.mark.parametrize("size", [(700, 500), (420, 900), (360, 700)])
def test_played_back_the_slope_label_shows_wherever_a_fresh_placement_shows_it(
        slice_view, controller, size):
    """Kept short ("f′=…") through a stretch where the whole label did not fit beside the
    point, the label was looked for beside the point only, and stayed hidden for the rest of
    the run near the plot's edge (tanh(3w1) at 1920 × 1080: from step 15 to the end), where
    a placement from scratch found room a little further off."""
    slice_view.resize(*size)
    controller.runs = [Run(RunSpec(optimizer="adam", lr=0.5, start=(-1.0, 1.0), steps=60,
                                   color="#0072B2"))]
    controller.set_domain(((-3.0, 3.0), (-3.0, 3.0)))
    controller.set_loss(parse_loss("(tanh(3*w1) - 0.5)^2 + w2^2"))
    label, played = slice_view.slope_text, []
    for k in range(0, 60):  # played back
        controller.set_iteration(k)
        slice_view.ensure_fresh()
        played.append(label.visible)
    missing = []
    for k in range(0, 60):  # each step placed afresh
        controller.set_iteration(k)
        label.was_short = False
        slice_view.redraw()
        if label.visible and not played[k]:
            missing.append(k)
    assert not missing


def test_a_point_above_or_below_the_plot_is_said_to_be(slice_view, controller):
    """1/x at x = 0.01: f = 100 over a plot to about ±33, no dot in sight and no word of it;
    the near-upright tangent at the plot's edge read as the asymptote (a QA round)."""
    controller.set_loss(parse_loss("1/x"))
    controller.set_start(0, 0.01, 0.0)
    slice_view.redraw()
    lo, hi = slice_view.plot_widget.view_range()[1]
    assert hi < 100.0
    said = slice_view.slope_label.text()
    assert " — f = 100 there, above the plot, which shows f from " in said, said
    assert said.endswith(".") and ". —" not in said
    controller.set_start(0, -0.01, 0.0)
    slice_view.redraw()
    assert " — f = −100 there, below the plot" in slice_view.slope_label.text()
    controller.set_start(0, 1.0, 0.0)  # (in sight: nothing more)
    slice_view.redraw()
    assert "the plot" not in slice_view.slope_label.text()


def test_a_function_of_one_variable_holds_no_other(slice_view, controller):
    """sin(x²), the lecture's first part: the tab said "y = 0 is held constant: the curve
    is f(x, 0)" and "f (y held)", a y it never had (a QA round)."""
    controller.set_loss(parse_loss("sin(x^2)"))
    slice_view.redraw()
    said = slice_view.held_label.text()
    assert said.startswith("f does not depend on ") and "held constant" not in said, said
    assert "the curve is f itself, a function of x alone." in said
    assert slice_view.plot_widget.axis_label("left") == "f"
    controller.set_loss(parse_loss(LECTURE))  # (two variables: held, as before)
    slice_view.redraw()
    assert "is held constant" in slice_view.held_label.text()
    assert slice_view.plot_widget.axis_label("left") == "f  (w2 held)"
