"""Special points in the lecture tabs: at a corner (|w1| at w1 = 0) the partial derivative
does not exist (sympy's sign(0) = 0 printed a slope of 0); at a stationary point the Gradient
tab says whether it is a minimum, a maximum or a saddle."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from PySide6 import QtWidgets

from gdviz import parse_loss
from gdviz.ui.numbers import digits_html


def _plain(text: str) -> str:
    """A label's text with its no-break spaces and word joiners as plain spaces."""
    return text.replace("\u00a0", " ").replace("&nbsp;", " ").replace("\u2060", "")



@pytest.fixture
def at_corner(controller):
    controller.set_loss(parse_loss("abs(w1) + w2^2"))
    controller.set_start(0, 0.0, 0.5)
    QtWidgets.QApplication.processEvents()
    return controller


def test_the_slice_tab_says_there_is_no_tangent_at_a_corner(slice_view, at_corner):
    slice_view.redraw()
    text = _plain(slice_view.slope_label.text())
    assert "corner" in text and "−1 from the left" in text and "1 from the right" in text
    assert "does not exist" in text
    assert math.isnan(slice_view.tangent_slope())
    # Along w2 the same point is smooth: slope 2·0.5 = 1, as before.
    combo = slice_view.findChild(QtWidgets.QComboBox, "sliceAxisCombo")
    combo.setCurrentIndex(1)
    assert slice_view.tangent_slope() == pytest.approx(1.0)
    assert "corner" not in _plain(slice_view.slope_label.text())
    # And away from the corner along w1: slope 1 (sign(0.3)).
    combo.setCurrentIndex(0)
    at_corner.set_start(0, 0.3, 0.5)
    QtWidgets.QApplication.processEvents()
    slice_view.redraw()
    assert slice_view.tangent_slope() == pytest.approx(1.0)
    assert "corner" not in _plain(slice_view.slope_label.text())


@pytest.mark.parametrize("text, x, hair", [("abs(w1) + w2^2", 1e-9, True),
                                            ("abs(w1) + w2^2", -2e-9, True),
                                            ("abs(w1) + w2^2", 0.3, False),
                                            ("w1^2 + w2^2", 1e-9, False)])
def test_a_point_a_hair_off_a_corner_is_not_written_at_it(slice_view, controller, text, x,
                                                          hair):
    """At w1 = 10⁻⁹ on |w1| + w2² (under 10⁻⁹ of the axis: written 0 elsewhere) the tab said
    "∂f/∂w1 at (0, 0.5) = 1", the slope of a point it calls a corner with no tangent."""
    controller.set_loss(parse_loss(text))
    controller.set_start(0, x, 0.5)
    QtWidgets.QApplication.processEvents()
    slice_view.redraw()
    sentence = _plain(slice_view.slope_label.text())
    assert slice_view.tangent_slope() == pytest.approx(2 * x if "w1^2" in text
                                                       else math.copysign(1.0, x))
    assert ("a hair off w1 = 0, where f has a corner (slope −1 from the left, 1 from the "
            "right: no tangent)" in sentence) == hair, sentence
    if hair:
        written = "10⁻⁹" if x > 0 else "−2×10⁻⁹"
        assert f"at ({written}, 0.5) = " in sentence, sentence
    else:
        assert "hair" not in sentence and "corner" not in sentence


def test_the_h_to_0_tab_compares_with_no_exact_value_at_a_corner(limit_view, at_corner):
    limit_view.redraw()
    exact = limit_view.exact_label.text()
    assert exact.startswith("<b>none</b>: a corner") and "−1 from the left" in exact
    assert limit_view.no_exact.visible
    # The forward quotient is the right-hand slope whatever h: 1, not an "error" of 1.
    assert limit_view.forward_label.text().startswith("1.000000000000")
    assert "error" not in limit_view.forward_label.text()
    # A smooth point: the exact value and the errors again.
    at_corner.set_start(0, 0.3, 0.5)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    assert "none" not in limit_view.exact_label.text() and not limit_view.no_exact.visible
    assert "error" in limit_view.forward_label.text()


@pytest.mark.parametrize("text, kind", [("x^2 - y^2", "a saddle point"),
                                        ("-(x^2 + y^2)", "a maximum"),
                                        ("x^2 + y^2", "a minimum"),
                                        # (f falls along y: 2 % of the samples, "a minimum")
                                        ("x^2 - 0.0001*y^2", "a saddle point")])
def test_the_gradient_tab_tells_what_a_stationary_point_is(gradient_view, controller, text,
                                                          kind):
    """∇f = 0: the tab said "the point is flat, no direction is uphill" at a saddle too (f
    rises along x there), and at a maximum drew no contours at all."""
    import numpy as np

    controller.set_loss(parse_loss(text))
    controller.set_start(0, 0.0, 0.0)
    QtWidgets.QApplication.processEvents()
    gradient_view.redraw()
    assert kind in gradient_view.angle_label.text()
    xs, _ys = gradient_view.others.getData()
    assert np.isfinite(np.asarray(xs, dtype=float)).sum() > 10  # the neighbouring contours
    # The key names what is drawn: the contours, not a tangent or arrows
    key = gradient_view.legend.text()
    assert "contours" in key and "tangent" not in key and "uphill" not in key
    assert ("contour through the point" in key) == bool(len(gradient_view.through.x))
    # ∇f·u against θ: a flat line at 0 over 0…360°.
    cx, cy = gradient_view.cosine.getData()
    assert list(cx) == [0.0, 360.0] and list(cy) == [0.0, 0.0]


def test_a_tiny_valued_loss_is_not_called_converged_on_a_slope(gradient_view, controller):
    """On 1e-9·(x² + y²) ‖∇f‖ is 10⁻⁹ everywhere: below the absolute 10⁻⁶ every run
    "converged" at step 0, and the tab called a sloping point "a saddle point"."""
    controller.set_loss(parse_loss("1e-9*(x^2 + y^2)"))
    controller.set_start(0, 1.0, 1.2)
    QtWidgets.QApplication.processEvents()
    run = controller.runs[0].trajectory
    assert run is not None and run.status != "converged"
    assert controller.run_tol < 1e-12
    gradient_view.redraw()
    text = gradient_view.angle_label.text()
    assert "converged" not in text and "saddle" not in text, text
    # With η scaled as the loss is, the run converges as on x² + y² (at the minimum).
    controller.update_run(0, lr=0.1e9, steps=200)
    QtWidgets.QApplication.processEvents()
    run = controller.runs[0].trajectory
    assert run.status == "converged" and abs(run.points[-1]).max() < 1e-3


def test_the_gradient_tab_says_there_is_no_gradient_at_a_corner(gradient_view, at_corner):
    """abs(w1) + w2² at w1 = 0: sign(0) made ∂f/∂w1 = 0 and |∇f| = 1, an arrow drawn, where
    the Slice and h → 0 tabs say ∂f/∂w1 does not exist."""
    gradient_view.redraw()
    partials = gradient_view.partials_label.text()
    assert "none (a corner)" in partials and "= <b>0</b>" not in partials
    # ∂f/∂w2 exists there: 2·w2 = 1 (it read "undefined")
    assert "∂f/∂w2 = <b>1</b>" in partials and "∂f/∂w2 = <b>undefined" not in partials
    text = gradient_view.angle_label.text()
    assert "corner" in text and "∂f/∂w1 does not exist" in text and "−1 from the left" in text
    assert not np.isfinite(gradient_view.gradient()).all()
    key = gradient_view.legend.text()  # (it said "neighbouring contours" and drew none)
    assert ("neighbouring" in key) == bool(len(gradient_view.others.x))
    assert ("contour through" in key) == bool(len(gradient_view.through.x))
    # Its θ plot shows how fast f changes along each u, |cos θ| + sin θ, no cosine (it was
    # empty axes), the dot on it, and says the rate at u's angle
    thetas, rates = gradient_view.cosine.getData()
    expected = np.abs(np.cos(np.radians(thetas))) + np.sin(np.radians(thetas))
    np.testing.assert_allclose(rates, expected, atol=1e-6)
    assert gradient_view.directional.widget.axis_label("left") == "rate along u"
    gradient_view.set_angle(45.0, exact=True)
    said = gradient_view.directional_label.text()
    assert "∇f·u = undefined" in said and "f changes at <b>1.414</b>" in said, said
    (x,), (y,) = gradient_view.theta_dot.getData()
    assert (x, y) == pytest.approx((45.0, 2 ** 0.5), abs=1e-6)
    at_corner.set_start(0, 0.3, 0.5)  # off the corner: ∇f = (1, 1) as before
    QtWidgets.QApplication.processEvents()
    gradient_view.redraw()
    assert np.allclose(gradient_view.gradient(), [1.0, 1.0])
    assert "corner" not in gradient_view.angle_label.text()
    assert gradient_view.directional.widget.axis_label("left") == "∇f·u"
    gradient_view.set_angle(45.0, exact=True)
    assert "changes at" not in gradient_view.directional_label.text()


@pytest.mark.parametrize("text, slope", [("sqrt(abs(w1*w2))", "0"),
                                         ("(w1^3 + w2^3)^(1/3)", "1")])
def test_the_gradient_tab_shows_partials_where_f_has_no_gradient(gradient_view, controller,
                                                                  text, slope):
    """The classic example of partials without a derivative: at the origin both partials
    exist (the Slice and h → 0 tabs show them) but f rises along a diagonal at another rate
    than ∇f·u. The Gradient tab read "∂f/∂w1 = undefined, ∂f/∂w2 = undefined"."""
    controller.set_loss(parse_loss(text))
    controller.set_start(0, 0.0, 0.0)
    QtWidgets.QApplication.processEvents()
    gradient_view.redraw()
    partials = gradient_view.partials_label.text()
    assert f"∂f/∂w1 = <b>{slope}</b>" in partials and f"∂f/∂w2 = <b>{slope}</b>" in partials
    assert "‖∇f‖ = <b>undefined" in partials  # (there is no ∇f: no arrow, no norm)
    assert not np.isfinite(gradient_view.gradient()).all()
    said = gradient_view.angle_label.text()
    assert "∂f/∂w1 and ∂f/∂w2 exist, yet ∇f does not" in said, said
    controller.set_loss(parse_loss("sqrt(w1^2 + w2^2)"))  # (a cone's tip: no partial at all)
    QtWidgets.QApplication.processEvents()
    gradient_view.redraw()
    assert "exist, yet" not in gradient_view.angle_label.text()


def test_u_along_the_contour_reads_exactly_zero(gradient_view, controller):
    """cos 90° in floating point: ∇f·u read −6.661×10⁻¹⁶ (−0% of |∇f|)."""
    controller.set_loss(parse_loss("w1^2 + w2^2"))
    controller.set_start(0, 1.0, 1.0)
    QtWidgets.QApplication.processEvents()
    gradient_view.redraw()
    gradient_view.findChild(QtWidgets.QPushButton, "alongContourButton").click()
    text = gradient_view.directional_label.text().replace("\u00a0", " ").replace("\u2060", "")
    assert "<b>0</b>" in text and "(0% of ‖∇f‖)" in text, text
    from gdviz.ui.derivatives.common import share_text

    assert [share_text(r) for r in (1.0, -1.0, 0.995, 0.0004, 0.71, 1e-17)] == [
        "+100%", "−100%", "+99.5%", "+0.04%", "+71%", "0%"]


def test_the_close_up_zooms_in_on_a_contour_too_small_for_it(gradient_view, controller):
    """1e9·(x² + y²) at (1e-3, 2e-3): the contour, a circle 0.002 across, was a dot in a
    close-up ±0.9 wide, and the tab said it was "not a single line"."""
    controller.set_loss(parse_loss("1e9*(w1^2 + w2^2)"))
    controller.set_start(0, 1e-3, 2e-3)
    QtWidgets.QApplication.processEvents()
    gradient_view.redraw()
    (a0, a1), _ = gradient_view.local_widget.view_range()
    assert a1 - a0 < 0.2
    assert gradient_view.contour_tangent() is not None
    assert "not a single line" not in gradient_view.angle_label.text()
    assert "90" in gradient_view.angle_label.text()  # ∇f ⟂ the contour, as anywhere
    # The lecture's loss keeps its usual close-up (15 % of the domain)
    controller.set_loss(parse_loss("sin(w1)*w2*(1-w2)"))
    controller.set_start(0, -0.5, 0.2)
    QtWidgets.QApplication.processEvents()
    gradient_view.redraw()
    (a0, a1), _ = gradient_view.local_widget.view_range()
    assert a1 - a0 > 1.0


@pytest.mark.parametrize("text, left, right", [("sqrt(w1^2 + w2^2)", "−1", "1"),
                                               ("sqrt(w1^2 + w2^2) + w1/2", "−0.5", "1.5")])
def test_the_tip_of_a_cone_is_a_corner_in_every_tab(slice_view, limit_view, gradient_view,
                                                    controller, text, left, right):
    """∂f/∂w1 = w1/sqrt(w1² + w2²) is 0/0 at the tip: the Slice tab, its run "converged"
    there, called the slope 0 ("flat"), the curve plainly −1 and 1 on its two sides."""
    controller.set_loss(parse_loss(text))
    controller.set_start(0, 0.0, 0.0)
    QtWidgets.QApplication.processEvents()
    slice_view.redraw()
    sentence = _plain(slice_view.slope_label.text())
    assert "corner" in sentence and f"{left} from the left" in sentence, sentence
    assert f"{right} from the right" in sentence and "flat" not in sentence
    assert math.isnan(slice_view.tangent_slope())
    limit_view.redraw()
    assert limit_view.exact_label.text().startswith("<b>none</b>: a corner")
    gradient_view.redraw()
    assert "corner" in gradient_view.angle_label.text()
    assert "tangent" not in gradient_view.legend.text()
    # rings round the tip, as round a stationary point (no ∇f made their spacing NaN: the
    # close-up was an empty box with one dot), no "contour through the point" for the tip
    assert len(gradient_view.others.x) > 0
    assert "neighbouring contours" in gradient_view.legend.text()
    assert "through the point" not in gradient_view.legend.text()
    # f rises at the same rate along every u (plus the tilt's cosine): no cosine ∇f·u alone
    thetas, rates = gradient_view.cosine.getData()
    tilt = 0.5 if "w1/2" in text else 0.0
    np.testing.assert_allclose(rates, 1.0 + tilt * np.cos(np.radians(thetas)), rtol=1e-6)


@pytest.mark.parametrize("text, slopes", [("(w1^3 + w2^3)^(1/3)", (1.0, 1.0)),
                                          ("(w1^2*w2)^(1/3)", (0.0, 0.0)),
                                          ("sqrt(abs(w1*w2))", (0.0, 0.0)),
                                          # (not rounded: it read 1.259920000000)
                                          ("(2*w1^3 + w2^3)^(1/3) + sin(w1)",
                                           (2 ** (1 / 3) + 1, 1.0))])
def test_a_partial_that_exists_where_the_gradient_does_not_is_shown(
        slice_view, limit_view, gradient_view, controller, text, slopes):
    """At the origin each slice through it has a slope ((w1³ + w2³)^(1/3) is w1 along the
    w1 axis), though f has no gradient there: the Slice and h → 0 tabs said "undefined"."""
    controller.set_loss(parse_loss(text))
    controller.set_start(0, 0.0, 0.0)
    QtWidgets.QApplication.processEvents()
    for axis, slope in enumerate(slopes):
        slice_view.set_slice_axis(axis)
        slice_view.redraw()
        assert slice_view.tangent_slope() == pytest.approx(slope, rel=1e-12, abs=1e-15)
        assert "undefined" not in _plain(slice_view.slope_label.text())
        limit_view.set_axis(axis)
        limit_view.redraw()
        shown = re.sub(r"<[^>]+>", "", limit_view.exact_label.text()).replace("−", "-")
        assert float(shown) == pytest.approx(slope, rel=1e-12, abs=1e-15), shown
        assert shown == re.sub(r"<[^>]+>", "", digits_html(slope, slope)).replace("−", "-")
    gradient_view.redraw()  # (∇f itself stays undefined: f has no tangent plane there)
    assert "yet ∇f does not" in gradient_view.angle_label.text()
    assert "‖∇f‖ = <b>undefined" in gradient_view.partials_label.text()


@pytest.mark.parametrize("text, point", [("sqrt(w1)*w2", (0.0, 1.0)),
                                         ("asin(w1) + w2", (1.0, 0.0))])
def test_no_directional_derivative_where_the_gradient_is_undefined(gradient_view, controller,
                                                                   text, point):
    """∇f = (∞, 0) at sqrt(w1)·w2's edge: ∇f·u read 0 (∞ ≤ ∞ passed for rounding noise),
    the dot drawn at 0, and "its tangent" keyed with no contour drawn."""
    controller.set_loss(parse_loss(text))
    controller.set_start(0, *point)
    QtWidgets.QApplication.processEvents()
    gradient_view.redraw()
    assert "undefined" in gradient_view.angle_label.text()
    assert "undefined" in gradient_view.directional_label.text()
    assert "= 0" not in gradient_view.directional_label.text()
    _x, y = gradient_view.theta_dot.getData()
    assert not np.isfinite(np.asarray(y, dtype=float)).any()
    assert "tangent" not in gradient_view.legend.text()
    assert not gradient_view.findChild(QtWidgets.QPushButton, "alongContourButton").isEnabled()


@pytest.mark.parametrize("text, point", [("abs(w1) + w2^2", (0.0, 1.0)),
                                         ("min(w1, w2)", (0.3, 0.3))])
def test_no_tangent_is_drawn_through_a_contour_s_kink(gradient_view, controller, text, point):
    """|w1| + w2² at (0, 1) drew a level "tangent" through the kink of its contour (at
    (0, 0.5) it did not), min(w1, w2) a diagonal one through its L."""
    controller.set_loss(parse_loss(text))
    controller.set_start(0, *point)
    QtWidgets.QApplication.processEvents()
    gradient_view.redraw()
    assert "tangent" not in gradient_view.legend.text()
    assert not len(gradient_view.tangent.x)
    assert not gradient_view.findChild(QtWidgets.QPushButton, "alongContourButton").isEnabled()


@pytest.mark.parametrize("text, point, word", [("sqrt(w1)*w2", (0.0, 1.0), "infinite"),
                                               ("w1^(1/3) + w2", (0.0, 1.0), "infinite")])
def test_the_slice_tab_says_an_infinite_slope_in_words(slice_view, controller, text, point,
                                                       word):
    """sqrt(w1)·w2 at w1 = 0 read "∂f/∂w1 at (0, 1) = undefined  (undefined)"."""
    controller.set_loss(parse_loss(text))
    controller.set_start(0, *point)
    QtWidgets.QApplication.processEvents()
    slice_view.redraw()
    sentence = _plain(slice_view.slope_label.text())
    assert word in sentence and "no tangent with a slope" in sentence, sentence
    assert "(undefined)" not in sentence


def test_the_slice_tab_sentence_for_an_undefined_slope():
    from gdviz.ui.derivatives.slice_slope import slope_sentence

    color, text = slope_sentence(float("nan"), 1e-9, "w1", (0.0, 1.0), True)
    text = _plain(text)
    assert color is None and text == "∂f/∂w1 at (0, 1) is undefined, so no tangent with a slope."


def test_an_infinite_partial_reads_infinite_in_every_tab(slice_view, limit_view, gradient_view,
                                                         controller):
    """sqrt(w1)·w2 at w1 = 0: ∂f/∂w1 = +∞. The readouts wrote ∞, the Gradient and h → 0 tabs
    "undefined", and the Slice tab's label "slope = undefined" under its sentence's
    "is infinite"."""
    from gdviz.ui.derivatives.common import fmt
    from gdviz.ui.numbers import digits_html

    assert (fmt(math.inf), fmt(-math.inf), fmt(math.nan)) == ("∞", "−∞", "undefined")
    assert digits_html(math.inf, math.inf) == "∞" and digits_html(math.nan, 1.0) == "undefined"
    controller.set_loss(parse_loss("sqrt(w1)*w2"))
    controller.set_start(0, 0.0, 1.0)
    QtWidgets.QApplication.processEvents()
    slice_view.redraw()
    assert slice_view.slope_text.text in ("slope = ∞", "∞"), slice_view.slope_text.text
    gradient_view.redraw()
    partials = gradient_view.partials_label.text()
    assert "∂f/∂w1 = <b>∞</b>" in partials and "‖∇f‖ = <b>∞</b>" in partials, partials
    limit_view.redraw()
    assert "∞" in limit_view.exact_label.text()


def test_a_corner_s_quotients_in_the_h_to_0_tab(limit_view, controller):
    """1e8·|w1| at 0: the quotients were written with 12 fixed decimals, "100000000.0000…"
    and at h = 10⁻¹² 21 digits, more than a float holds (1.000000000000×10⁸ elsewhere)."""
    controller.set_loss(parse_loss("1e8*abs(w1) + w2^2"))
    controller.set_start(0, 0.0, 0.5)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    assert limit_view.exact_label.text().startswith("<b>none</b>: a corner")
    shown = limit_view.forward_label.text()
    assert shown == "1.000000000000×10⁸", shown


def test_a_cusp_is_no_vertical_tangent_in_the_three_tabs(slice_view, limit_view,
                                                         gradient_view, controller):
    """x^(2/3) + w2² at w1 = 0 (the textbook cusp, both halves now that odd roots are real):
    its formula 2/(3∛w1) is +∞ there, and the Slice tab said "the curve stands vertical",
    where the slope is −∞ from the left and +∞ from the right."""
    # (an uneven cusp, sides −∞ and ∞ too: its central quotient grows as h^(−2/3))
    controller.set_loss(parse_loss("2*abs(w1)^(1/3) + w1^(1/3) + w2^2"))
    controller.set_start(0, 0.0, 0.5)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    uneven = limit_view.exact_label.text()
    assert "the central one grows without bound" in uneven and "cancels" not in uneven, uneven
    controller.set_loss(parse_loss("w1^(2/3) + w2^2"))
    controller.set_start(0, 0.0, 0.5)
    QtWidgets.QApplication.processEvents()
    slice_view.redraw()
    sentence = _plain(slice_view.slope_label.text())
    assert "f has a cusp at (0, 0.5)" in sentence and "does not exist" in sentence, sentence
    assert "−∞ from the left" in sentence and "vertical" not in sentence
    limit_view.redraw()
    exact = limit_view.exact_label.text()
    assert exact.startswith("<b>none</b>: a cusp") and "grows without bound" in exact
    # (the central quotient does settle, on 0 here: "the quotients settle on no single
    # value" was false of it; but sides −∞ and ∞ have no mean: their infinite parts cancel)
    assert "the central one cancels their infinite parts" in exact, exact
    assert "mean" not in exact and "no single value" not in exact
    controller.set_loss(parse_loss("abs(w1) + w2^2"))  # (finite sides: their mean, 0)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    assert "the central one to the sides' mean" in limit_view.exact_label.text()
    controller.set_loss(parse_loss("w1^(2/3) + w2^2"))
    gradient_view.redraw()
    partials = gradient_view.partials_label.text()
    assert "none (a cusp)" in partials and "‖∇f‖ = <b>undefined" in partials  # (it read ∞)
    # no rates along u: along w1 it has none ("f changes at 106.0 per unit", extrapolated,
    # beside "slope ∞ from the right")
    assert gradient_view.directional.widget.axis_label("left") == "∇f·u"
    gradient_view.set_angle(0.0, exact=True)
    assert "changes at" not in gradient_view.directional_label.text()


def test_the_error_plot_draws_no_guide_for_a_rate_it_does_not_have(limit_view, controller):
    """(w1² + w2²)^0.75 + w1 at the origin: the forward quotient is 1 + h^½, its error falls
    at slope ½, yet a "slope 1" guide sat beside it as if naming it, and "best h ≈ 10⁻¹⁶ ★"
    was below the slider's least h, its star cut by the frame."""
    from gdviz.ui.derivatives.error_plot import SMALLEST_EXPONENT

    controller.set_loss(parse_loss("(w1^2 + w2^2)^0.75 + w1"))
    controller.set_start(0, 0.0, 0.0)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    assert not len(limit_view.ref_lines[0].x) and not limit_view.ref_texts[0].visible
    assert all(not h < 10.0 ** -SMALLEST_EXPONENT for h in limit_view.best_hs)
    # a smooth point keeps its guides: slope 1 and 2 (the lecture's loss)
    controller.set_loss(parse_loss("sin(w1)*w2*(1 - w2)"))
    controller.set_start(0, -0.5, 0.2)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    assert len(limit_view.ref_lines[0].x) and len(limit_view.ref_lines[1].x)


def test_a_quotient_of_exactly_0_reads_0(qapp):
    """|w1| + w2² at its end, ∂f/∂w2: the central quotient, exactly 0, read
    "0.000000000000×10⁻²⁰" — as many zeros as digits, in the exact value's power of ten."""
    from gdviz.ui.numbers import digits_text

    assert re.sub(r"<[^>]+>", "", digits_html(0.0, -9.958837365314e-20)) == "0"
    assert digits_html(0.0, 0.0) == "<b>0</b><span style='color:#888888'></span>"  # (right)
    assert "<b></b>" in digits_html(0.0, 0.5)  # (no digit of 0.5 agrees)
    assert digits_text(0.0) == digits_text(-0.0) == "0"
    assert re.sub(r"<[^>]+>", "", digits_html(1e-20, -9.9e-20)).endswith("×10⁻²⁰")
