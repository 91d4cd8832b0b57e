"""The "h → 0" tab, driven through a real controller (fixtures: conftest.py here)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from gdviz import parse_loss
from gdviz.core import calculus
from gdviz.ui.binding import QtWidgets


def _partials(controller):
    return [float(v) for v in controller.loss.gradient(*controller.current_point())]


# -- h → 0 ----------------------------------------------------------------------------------------
def test_secant_slope_is_the_difference_quotient_for_the_chosen_h(limit_view, controller):
    slider = limit_view.findChild(QtWidgets.QSlider, "hSlider")
    f = calculus.slice_function(controller.loss, controller.current_point(), 0)
    a = controller.current_point()[0]
    for value in (slider.minimum(), 10, 33, 40, 100, slider.maximum()):
        slider.setValue(value)
        h = limit_view.h
        assert h == pytest.approx(10.0 ** (-value / 20), rel=0.02)
        expected = (float(f(np.float64(a + h))) - float(f(np.float64(a)))) / h
        assert limit_view.secant_slope() == expected
        # the h shown is the h used (it read "h = 0.32" over quotients taken with 0.316228)
        shown = limit_view.h_label.text().removeprefix("h = ")
        plain = shown.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))
        plain = plain.replace("×10", "e") if "×" in plain else plain.replace("10", "1e", 1)
        assert h == float(plain), shown
    assert slider.minimum() == 0 and limit_view.h == pytest.approx(1e-12)
    slider.setValue(slider.minimum())
    assert limit_view.h == 1.0


def _plain(label: QtWidgets.QLabel) -> str:
    return re.sub(r"<[^>]+>", "", label.text()).replace("−", "-")


def test_difference_quotients_shown_beside_the_exact_derivative(limit_view, controller):
    limit_view.set_h(1e-3)
    h = limit_view.h
    exact = _partials(controller)[0]
    f = calculus.slice_function(controller.loss, controller.current_point(), 0)
    a = controller.current_point()[0]
    fwd = (float(f(np.float64(a + h))) - float(f(np.float64(a)))) / h
    cen = (float(f(np.float64(a + h))) - float(f(np.float64(a - h)))) / (2 * h)
    labels = {n: limit_view.findChild(QtWidgets.QLabel, n)
              for n in ("forwardLabel", "centralLabel", "exactLabel")}
    assert f"{exact:.12f}" in _plain(labels["exactLabel"])
    assert f"{fwd:.12f}" in _plain(labels["forwardLabel"])
    assert f"{cen:.12f}" in _plain(labels["centralLabel"])
    assert "error" in _plain(labels["forwardLabel"]) and "error" in _plain(labels["centralLabel"])
    # Secant → tangent: the forward quotient's error shrinks with h (truncation regime).
    errors = []
    for h in (1e-1, 1e-2, 1e-3):
        limit_view.set_h(h)
        errors.append(abs(limit_view.secant_slope() - exact))
    assert errors[0] > errors[1] > errors[2]


@pytest.mark.parametrize("text, power", [("1e9*(w1^2 + w2^2)", "×10⁹"),
                                         ("1e-9*w1^2 + w2^2", "×10⁻⁹")])
def test_quotients_of_a_large_or_tiny_derivative_keep_thirteen_digits(limit_view, controller,
                                                                      text, power):
    # Twelve decimals whatever the size: "−1000000000.000000238419" ran off the dock with
    # digits float64 does not hold, and 10⁻⁹ kept four significant digits.
    controller.set_loss(parse_loss(text))
    limit_view.set_h(1e-3)
    limit_view.ensure_fresh()
    for name in ("forwardLabel", "centralLabel", "exactLabel"):
        shown = _plain(limit_view.findChild(QtWidgets.QLabel, name)).split("error")[0]
        assert power in shown, shown
        assert sum(ch.isdigit() for ch in shown.split("×")[0]) == 13, shown
    from gdviz.ui.numbers import digits_html

    assert "−" not in digits_html(-0.0, 0.0)  # (−x² + y² at 0: the exact value read −0)


def test_error_plot_slopes_and_best_h(limit_view, controller):
    hs, fwd, cen = limit_view.error_data()
    assert len(hs) == 80 and hs[0] == 1.0 and hs[-1] == pytest.approx(1e-16)
    assert calculus.fitted_slope(hs, fwd, (1e-3, 1e-1)) == pytest.approx(1.0, abs=0.1)
    assert calculus.fitted_slope(hs, cen, (1e-3, 1e-1)) == pytest.approx(2.0, abs=0.1)
    hb_f, hb_c = limit_view.best_hs
    assert -9.5 < math.log10(hb_f) < -6.5
    assert -6.5 < math.log10(hb_c) < -3.5
    xs, ys = limit_view.best.getData()
    assert len(xs) == 2
    # The plotted curves are the computed errors.
    np.testing.assert_allclose(limit_view.fwd_curve.getData()[1], fwd)
    # On log-log axes, with h shrinking to the right (as the slider moves).
    canvas = limit_view.error_widget
    assert canvas.log_x and canvas.log_y
    left, right = canvas.data_to_px([1e-2, 1e-8], [1e-3, 1e-3])[0]
    assert left < right
    # "slope 1" and "slope 2" side by side at their lines' ends overlapped; the truncation
    # label sat on the forward curve. Each is inside the plot and clear of the others (in a
    # plot large enough for them all: the error plot is 225 pixels wide here, where no spot
    # is clear of the curves for "truncation error", and it is left out).
    limit_view.resize(1400, 900)
    QtWidgets.QApplication.processEvents()
    texts = (*limit_view.ref_texts, *limit_view.regime_texts)
    assert all(t.visible for t in texts)
    boxes = [t.box(canvas) for t in texts]
    for i, a in enumerate(boxes):
        assert canvas.plot_rect().contains(a)
        assert not any(a.intersects(b) for b in boxes[i + 1:])
    from gdviz.ui.derivatives.common import points_along as _along

    line = _along(np.column_stack(canvas.data_to_px(hs, fwd)), 1.0)
    truncation = boxes[2]
    assert not any(truncation.contains(float(px), float(py)) for px, py in line)


def test_limit_view_follows_loss_and_axis(limit_view, controller):
    limit_view.set_h(1e-2)
    before = limit_view.secant_slope()
    controller.set_iteration(20)
    assert limit_view.secant_slope() != before
    controller.set_loss(parse_loss("w1^4 + 5*w2"))
    a = controller.current_point()[0]
    assert limit_view.secant_slope() == pytest.approx(((a + 0.01) ** 4 - a**4) / 0.01)
    limit_view.set_axis(1)
    assert limit_view.secant_slope() == pytest.approx(5.0)


@pytest.mark.parametrize("text, exact", [("3 + 0*w2", (True, True)),
                                         ("2*w1 + w2", (True, True)),
                                         ("w1^2 + w2", (False, True)),
                                         # flat up to h = 0.7: it read "best h ≈ 0.6 ★"
                                         ("max(w1, w2)", (True, True)),
                                         # linear up to h = 0.5 at w1 = −0.5: its error all
                                         # rounding there, and "best h ≈ 0.4 ★" said
                                         ("abs(w1) + w2^2", (True, True))])
def test_no_best_h_where_a_quotient_has_no_truncation_error(limit_view, controller, text,
                                                            exact):
    """A constant loss read "forward, best h ≈ 1 ★ / central, best h ≈ 1 ★" over a flat line
    at 10⁻¹⁶; a quadratic's central quotient is exact but for round-off too."""
    controller.set_loss(parse_loss(text))
    limit_view.ensure_fresh()
    assert limit_view.exact_quotients == list(exact)
    legend = limit_view.err_legend.text().replace("&nbsp;", " ").split("<br>")
    for line, no_truncation, hb in zip(legend, exact, limit_view.best_hs, strict=True):
        # (a constant's quotients have no error at all: "exact at every h"; max(w1, w2)'s
        # forward one none up to h = 0.63, where the slice turns: "… for every h up to 0.63")
        said = ("no truncation error", "exact at every h", "exact (error 0) for every h up to")
        assert any(s in line for s in said) == no_truncation, line
        assert ("best h" in line) == (not no_truncation), line
        assert math.isnan(hb) == no_truncation
    xs, _ = limit_view.best.getData()
    assert len(xs) == exact.count(False)  # a star only where there is a best h


@pytest.mark.parametrize("text, start, regions", [
    ("sin(w1)*w2*(1-w2)", (-0.5, 0.2), (True, True)),
    # x² at 0: the forward error is h down to the smallest h (no round-off), the central 0
    ("w1^2*w2", (0.0, 1.0), (True, False)),
    ("2*w1 + w2", (0.3, 0.2), (False, True))])  # linear: round-off alone
def test_the_error_plot_names_only_the_regions_its_curves_have(limit_view, controller, text,
                                                               start, regions):
    """At x² = 0 the plot named a "round-off error" region where the forward error kept
    falling, and its key said the central quotient (0 at every h) had round-off only."""
    controller.set_loss(parse_loss(text))
    controller.set_start(0, *start)
    limit_view.ensure_fresh()
    assert tuple(t.wanted for t in limit_view.regime_texts) == regions
    # (a name wanted is shown where a clear spot is; one not wanted never)
    texts = limit_view.regime_texts
    assert not any(t.visible for t, want in zip(texts, regions, strict=True) if not want)
    central = limit_view.err_legend.text().replace("&nbsp;", " ").split("<br>")[1]
    assert ("exact at every h" in central) == (text == "w1^2*w2"), central


@pytest.mark.parametrize("text", ["sin(w1)*w2*(1-w2)", "1e-9*w1^2 + w2^2", "abs(w1) + w2"])
def test_the_error_plot_labels_stay_clear_at_the_last_step(limit_view, controller, text):
    """At the lecture's last step (∂f/∂w1 ≈ 10⁻⁶) "slope 2" sat on "truncation error"."""
    controller.set_loss(parse_loss(text))
    controller.set_iteration(controller.max_iteration)
    limit_view.ensure_fresh()
    canvas = limit_view.error_widget
    texts = [t for t in (*limit_view.ref_texts, *limit_view.regime_texts) if t.visible]
    boxes = [t.box(canvas) for t in texts]
    for i, a in enumerate(boxes):
        assert not any(a.intersects(b) for b in boxes[i + 1:]), [t.text for t in texts]
    hs, fwd, cen = limit_view.error_data()
    for region in (t for t in limit_view.regime_texts if t.visible):
        box = region.box(canvas)
        for curve in (fwd, cen):
            ok = np.isfinite(curve)
            x, y = canvas.data_to_px(hs[ok], curve[ok])
            assert not any(box.contains(float(px), float(py))
                           for px, py in zip(x, y, strict=True)), region.text


@pytest.mark.parametrize("size", [(330, 900), (280, 800), (420, 1000)])
def test_in_a_small_error_plot_the_region_names_cross_no_line_nor_the_frame(
        limit_view, controller, qtbot, size):
    """In a narrow dock (150 % on a laptop) "truncation error" lay across the central
    quotient's line (between two of its points, five a decade) and "round-off error" on
    both: the lines are checked as drawn, and the names stay inside the frame."""
    from gdviz.ui.derivatives.common import points_along as _along

    limit_view.resize(*size)
    qtbot.wait(20)
    limit_view.ensure_fresh()
    canvas = limit_view.error_widget
    area = canvas.plot_rect()
    hs, fwd, cen = limit_view.error_data()
    lines = [_along(np.column_stack(canvas.data_to_px(hs[np.isfinite(c)], c[np.isfinite(c)])),
                    1.0) for c in (fwd, cen)]
    if size[0] >= 420:  # (room for both names: the truncation one was hidden at every size)
        truncation, round_off = limit_view.regime_texts
        assert truncation.visible and round_off.visible
        # each over its own branch of the V
        assert truncation.box(canvas).center().x() < round_off.box(canvas).center().x()
    for text in (*limit_view.regime_texts, *limit_view.ref_texts):
        if not text.visible:
            continue
        box = text.box(canvas)
        assert area.contains(box), (text.text, box, area)
        if text in limit_view.regime_texts:
            for pts in lines:
                inside = ((pts[:, 0] > box.left()) & (pts[:, 0] < box.right())
                          & (pts[:, 1] > box.top()) & (pts[:, 1] < box.bottom()))
                assert not inside.any(), text.text


def test_the_secant_plot_zooms_in_as_h_shrinks(limit_view, controller):
    """With a fixed window a + h sat under a from h ≈ 0.01 on: the secant could not be seen
    turning into the tangent. Zoomed FULL_H / h times, a + h stays as far from a on screen
    (at 13 % of the plot's width)."""
    canvas = limit_view.secant_widget
    a = controller.current_point()[0]

    def gap(h: float) -> float:
        limit_view.set_h(h)
        limit_view.ensure_fresh()
        h = limit_view.h  # (the slider's nearest step)
        (x0, x1), _ = canvas.view_range()
        assert x0 < a < a + h < x1
        return h / (x1 - x0)  # of the plot's width (its pixels vary with the tick labels)

    assert limit_view.zoom_box.isChecked()  # on by default
    wide = gap(0.3)
    assert limit_view.zoom == 1.0 and "zoomed" not in limit_view.sec_legend.text()
    zoomed = gap(3e-2)
    assert zoomed > 0.9 * wide  # (h = 0.3 is h = 10^-0.5 on the slider: 0.316)
    for h in (3e-2, 1e-3, 1e-4):
        assert gap(h) == pytest.approx(zoomed, rel=0.01)
        assert limit_view.zoom == pytest.approx(0.3 / limit_view.h)
        assert "zoomed in ×" in limit_view.sec_legend.text()
        assert limit_view.point_labels[1].visible  # "a + h" stays labelled
        assert limit_view.point_labels[0].text == "a"
    gap(1e-8)  # at most 10⁴ times: deeper, the slice's digits run out
    assert limit_view.zoom == 1e4
    # (the points one: "a" alone sat between the two dots, nothing naming a + h)
    assert not limit_view.point_labels[1].visible
    assert limit_view.point_labels[0].text == "a, a + h" and limit_view.point_labels[0].visible
    assert limit_view.point_labels[0].pos[0] == pytest.approx(a + limit_view.h)
    assert "zoomed in ×10,000" in limit_view.sec_legend.text()  # (not ×10⁴ or ×1×10⁴)
    limit_view.zoom_box.setChecked(False)  # off: the whole window again
    assert gap(1e-3) < wide / 100
    assert limit_view.zoom == 1.0 and "zoomed" not in limit_view.sec_legend.text()
    assert canvas.view_range()[0] == pytest.approx((a - 0.75, a + 1.5))
    # the secant's slope is the quotient whatever the zoom
    limit_view.zoom_box.setChecked(True)
    f = calculus.slice_function(controller.loss, controller.current_point(), 0)
    assert limit_view.secant_slope() == (float(f(np.float64(a + 1e-3)))
                                         - float(f(np.float64(a)))) / 1e-3


def test_the_quotients_sit_under_the_slider_above_the_plots(limit_view):
    """Below the plots, on a 720-line screen the quotients were out of sight under the dock's
    scroll: they are what the slider changes."""
    def top(name):
        w = limit_view.findChild(QtWidgets.QWidget, name)
        return w.mapTo(limit_view, w.rect().topLeft()).y()

    assert top("hSlider") < top("forwardLabel") < top("centralLabel") < top("exactLabel") \
        < top("secantPlot")


def test_the_h_slider_spans_the_tab(limit_view, qtbot):
    """Beside the variable, h and Zoom the slider was 67 pixels wide at 1280 × 720 (25 on an
    800-pixel screen): twelve decades on the tab's main control. It has a line of its own."""
    limit_view.resize(360, 700)
    QtWidgets.QApplication.processEvents()
    slider = limit_view.findChild(QtWidgets.QSlider, "hSlider")
    assert slider.width() >= 0.85 * limit_view.width()
    combo_bottom = limit_view.combo.mapTo(limit_view, limit_view.combo.rect().bottomLeft()).y()
    assert slider.mapTo(limit_view, slider.rect().topLeft()).y() >= combo_bottom


def test_zoomed_in_a_sloping_slice_is_not_drawn_flat(limit_view, controller):
    """Zoomed 10⁴ times, a slope of 0.3 on f ≈ 8 varies by 10⁻⁵ of f across the plot: the
    rule that reads such a spread as rounding noise drew the secant and tangent flat."""
    controller.set_loss(parse_loss("0.3*w1 + 8 + w2^2"))
    limit_view.set_h(3e-5)
    limit_view.ensure_fresh()
    assert limit_view.zoom > 9e3
    (x0, x1), (y0, y1) = limit_view.secant_widget.view_range()
    rise = 0.3 * (x1 - x0)
    assert rise > 0.5 * (y1 - y0)  # the line climbs across most of the plot's height
    assert y1 - y0 < 1e-3


def test_quotients_with_a_power_of_ten_are_never_cut(limit_view, controller):
    """exp(w1) at w1 = 30: "…×10¹²" was cut at the dock's edge (room was kept for twelve
    decimals, not for the power of ten)."""
    from gdviz.ui.binding import QtGui

    controller.set_loss(parse_loss("exp(w1) + w2"))
    controller.set_start(0, 30.0, 0.2)
    limit_view.resize(380, 700)
    limit_view.set_h(1e-3)
    limit_view.ensure_fresh()
    QtWidgets.QApplication.processEvents()
    for name in ("forwardLabel", "centralLabel", "exactLabel"):
        label = limit_view.findChild(QtWidgets.QLabel, name)
        assert "10" in label.text()
        doc = QtGui.QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setHtml(label.text().split("   error")[0])
        assert doc.idealWidth() <= label.width() + 1, name


@pytest.mark.parametrize("width", [380, 250])
def test_the_exact_derivative_s_bold_digits_are_never_cut(limit_view, controller, width):
    """Newton after Compare at 1366 × 768: "−8.800111985455×10⁻¹²" in bold needed 237 pixels,
    its room was measured in regular type, 221: it read "−8.800111985455×10⁻"."""
    from gdviz.ui.binding import QtGui

    controller.set_loss(parse_loss("-8.800111985455e-12*w1 + w2"))
    limit_view.resize(width, 700)
    limit_view.ensure_fresh()
    QtWidgets.QApplication.processEvents()
    label = limit_view.exact_label
    assert "10" in label.text() and "<b>" in label.text()
    doc = QtGui.QTextDocument()
    doc.setDocumentMargin(0)  # (as a label lays out its rich text)
    doc.setDefaultFont(label.font())
    doc.setHtml(label.text())
    assert doc.idealWidth() <= label.contentsRect().width() + 1, (doc.idealWidth(),
                                                                 label.contentsRect())


def test_the_exact_derivative_s_name_never_breaks_inside(limit_view):
    """In a narrow dock "exact ∂f/∂w1" wrapped as "∂f/" over "∂w1"."""
    from line_breaks import line_breaks

    text = limit_view.name_labels[2].text()
    part = text[text.index("∂f"):]
    assert not line_breaks(part), (part, line_breaks(part))


def test_the_quotients_break_only_after_their_names_the_minus_and_the_bar(limit_view):
    """In a narrow dock "central (f(a+h) − f(a−h)) / 2h" wrapped as "central (f(a+h) −" /
    "f(a−h)) /" / "2h", and in presentation mode's type a "−" stood alone on a line: now
    only after the name, the minus and the bar, each kept with what is before it."""
    import re

    from line_breaks import line_breaks

    for label, name in zip(limit_view.name_labels[:2], ("forward", "central"), strict=True):
        text = re.sub(r"<[^>]+>", "", label.text())
        shown = text.replace("\u2060", "").replace("\u00a0", " ")
        assert shown.startswith(name) and shown.endswith(("/ h", "/ 2h")), shown
        at = [shown[:len(text[:b].replace("\u2060", ""))].rstrip()[-1]
              for b in line_breaks(text)]
        assert at == ["d" if name == "forward" else "l", "−", "/"], (shown, at)


@pytest.mark.parametrize("h", [0.32, 0.05, 1.0])
def test_the_point_labels_stay_inside_the_secant_plot(limit_view, controller, h):
    """On (w2 − w1²)² + 0.1·w1² the points sit at the bottom of the range: "a" and "a + h"
    below them were cut in half by the plot's frame."""
    controller.set_loss(parse_loss("(w2 - w1^2)^2 + 0.1*w1^2"))
    limit_view.set_h(h)
    limit_view.ensure_fresh()
    canvas = limit_view.secant_widget
    area = canvas.plot_rect()
    shown = [t for t in limit_view.point_labels if t.visible]
    assert shown
    for text in shown:
        assert area.contains(text.box(canvas)), (text.text, text.box(canvas), area)


def test_a_label_no_corner_holds_whole_is_cut_least(limit_view, controller, qtbot):
    """In a secant plot too short for any corner of its point to hold "a, a + h" whole
    (1280 × 720: sin(x²) at 1.2, h = 10⁻¹²), it went below and right, cut in half by the
    frame; it goes where the frame cuts it least (a QA round)."""
    limit_view.resize(353, 620)
    limit_view.secant_widget.setFixedHeight(105)  # (as short as in a 1280 × 720 window)
    qtbot.wait(20)
    controller.set_loss(parse_loss("sin(x^2)"))
    controller.set_start(0, 1.2, 0.0)
    limit_view.set_h(1e-12)
    limit_view.ensure_fresh()
    canvas = limit_view.secant_widget
    area, label = canvas.plot_rect(), limit_view.point_labels[0]
    assert label.text == "a, a + h" and label.visible
    box = label.box(canvas)
    cut = (max(0.0, area.top() - box.top()) + max(0.0, box.bottom() - area.bottom())
           + max(0.0, area.left() - box.left()) + max(0.0, box.right() - area.right()))
    assert area.height() < 3 * box.height() or cut == 0  # (a short plot, as at 1280 × 720)
    assert cut <= 0.25 * box.height(), (box, area)


def _secant_drawn(limit_view, controller, qtbot, text, start, size, items):
    """The secant plot at h = 0.32 for ``text`` from ``start`` in a view of ``size``, and
    points along ``items`` as drawn (pixels)."""
    from gdviz.ui.derivatives.common import points_along

    limit_view.resize(*size)
    qtbot.wait(20)
    controller.set_loss(parse_loss(text))
    controller.set_start(0, *start)
    limit_view.set_h(0.32)
    limit_view.ensure_fresh()
    canvas = limit_view.secant_widget
    return canvas, np.concatenate([points_along(np.column_stack(
        canvas.data_to_px(*item.getData()))) for item in items])


@pytest.mark.parametrize("text, start", [("w1^(2/3) + w2^2", (0.0, 1.0)),
                                         ("sin(w1)*w2*(1-w2)", (-0.5, 0.2)),
                                         ("(w2 - w1^2)^2 + 0.1*w1^2", (0.0, 0.0)),
                                         ("w1^2*w2", (0.0, 1.0))])  # ("a" over "a + h")
@pytest.mark.parametrize("size", [(370, 940), (370, 760), (330, 640)])
def test_the_point_labels_keep_off_the_curve_and_the_lines(limit_view, controller, qtbot, text,
                                                           start, size):
    """At the cusp of w1^(2/3) the curve rises on both sides of a, at the bottom of the
    range: "a", turned up to stay inside the frame, sat on the curve."""
    canvas, drawn = _secant_drawn(limit_view, controller, qtbot, text, start, size,
                                  (limit_view.curve, limit_view.secant))
    for label in (t for t in limit_view.point_labels if t.visible):
        box = label.box(canvas)
        assert canvas.plot_rect().contains(box)
        inside = ((drawn[:, 0] >= box.left()) & (drawn[:, 0] <= box.right())
                  & (drawn[:, 1] >= box.top()) & (drawn[:, 1] <= box.bottom()))
        assert not inside.any(), (text, label.text)
    shown = [t.box(canvas) for t in limit_view.point_labels if t.visible]
    assert not any(a.intersects(b) for i, a in enumerate(shown) for b in shown[i + 1:])


@pytest.mark.parametrize("text, start", [("exp(-w1^2-w2^2)", (0.5, 0.5)),
                                         ("sin(w1)*w2*(1-w2)", (50.0, -30.0))])
def test_a_is_put_off_the_tangent_and_its_own_mark(limit_view, controller, qtbot, text, start):
    """Where the slope falls "a" sat on the secant and the tangent, a line through it: its
    own mark, 2.4 pixels from its box, counted as a line at every corner, so none was
    clear and it stayed below and right (from a QA round)."""
    from gdviz.ui.derivatives.limit_view import MARK_CLEAR

    canvas, drawn = _secant_drawn(limit_view, controller, qtbot, text, start, (440, 940),
                                  (limit_view.curve, limit_view.secant, limit_view.tangent))
    label = limit_view.point_labels[0]
    assert label.visible and label.text == "a"
    box = label.box(canvas)
    inside = ((drawn[:, 0] >= box.left()) & (drawn[:, 0] <= box.right())
              & (drawn[:, 1] >= box.top()) & (drawn[:, 1] <= box.bottom()))
    assert not inside.any()
    x, y = (float(v[0]) for v in canvas.data_to_px(*limit_view.base_dot.getData()))
    gap = max(box.left() - x, x - box.right(), box.top() - y, y - box.bottom())
    assert gap >= MARK_CLEAR - 0.5  # (off its mark, 13 pixels across)


def test_the_room_under_a_is_made_again_when_the_plot_shrinks(limit_view, controller, qtbot):
    """At the cusp of w1^(2/3), shown first in a tall plot and then in presentation mode's
    small one, the range kept from before left no room under the point: "a" sat on the
    curve."""
    from gdviz.ui.derivatives.common import points_along

    controller.set_loss(parse_loss("w1^(2/3) + w2^2"))
    controller.set_start(0, 0.0, 1.0)
    limit_view.resize(370, 1000)
    qtbot.wait(20)
    limit_view.ensure_fresh()
    limit_view.resize(330, 640)
    qtbot.waitUntil(lambda: not limit_view._dirty, timeout=3000)
    canvas = limit_view.secant_widget
    drawn = points_along(np.column_stack(canvas.data_to_px(*limit_view.curve.getData())))
    box = limit_view.point_labels[0].box(canvas)
    assert not ((drawn[:, 0] >= box.left()) & (drawn[:, 0] <= box.right())
                & (drawn[:, 1] >= box.top()) & (drawn[:, 1] <= box.bottom())).any()


def test_a_quotient_far_larger_than_the_derivative_is_written_short(limit_view, controller,
                                                                     qtbot):
    """exp(1000·w1) at 0 with h = 0.32: the forward quotient, about 2.94·10¹³⁹ (6.85·10¹³⁷
    with the h of 0.316 used before), was written out in 138 digits ("685446882756585376…"),
    off the dock, read as a 22-digit number."""
    from gdviz.ui.numbers import digits_html

    controller.set_loss(parse_loss("exp(1000*w1) + w2^2"))
    controller.set_start(0, 0.0, 0.0)
    controller.set_iteration(0)
    qtbot.waitUntil(lambda: controller.current_point() == (0.0, 0.0), timeout=10000)
    limit_view.set_h(0.32)
    limit_view.ensure_fresh()
    shown = _plain(limit_view.findChild(QtWidgets.QLabel, "forwardLabel")).split("error")[0]
    assert "×10¹³⁹" in shown, shown
    assert sum(ch.isdigit() for ch in shown.split("×")[0]) == 13, shown
    # nothing bold: no digit of 6.85·10¹³⁷ agrees with 1000
    assert digits_html(6.85e137, 1000.0).startswith("<b></b>")
    assert digits_html(2.5e9, 0.0).endswith("×10⁹")  # (an exact 0 gave no power at all)
    # A quotient far smaller than the exact value in its own layout: tan(x) + y² at its pole
    # read "−0.000000000000×10³²" for a central quotient of −9.56 (a QA round)
    assert digits_html(-9.56, 2.7e32) == ("<b></b><span style='color:#888888'>"
                                          "−9.560000000000</span>")
    assert digits_html(1e-9, 1.0).endswith("1.000000000000</span>×10⁻⁹")
    assert digits_html(1.2e-7, 1.0).endswith("0.000000120000</span>")  # (6 digits: kept)
    # below 10⁻³⁰⁰ (10.0 ** −324 is 0: a ZeroDivisionError; 10 ** −321 inexact)
    assert "4.940656458412</span>×10⁻³²⁴" in digits_html(5e-324, 0.0)
    assert "9.999888671827</span>×10⁻³²¹" in digits_html(1e-320, 0.0)


@pytest.mark.parametrize("height", [460, 500, 560])
def test_the_guide_lines_labels_never_overlap(limit_view, controller, qtbot, height):
    """Their lines' low ends are close: with the h slider on a line of its own the error
    plot got 20 pixels shorter, and "slope 2" ran into "slope 1" (abs(w1) + w2's last step)."""
    controller.set_loss(parse_loss("sin(w1)*w2*(1 - w2)"))
    controller.set_iteration(controller.max_iteration)
    for size in ((700, height), (700, 900)):  # (and back to a roomy plot: both shown again)
        limit_view.resize(*size)
        qtbot.wait(20)
        limit_view.ensure_fresh()
        canvas = limit_view.error_widget
        one, two = limit_view.ref_texts
        if one.visible and two.visible:
            assert not one.box(canvas).intersects(two.box(canvas))
    # (a label without a clear spot beside its line is named in the key instead)
    assert one.visible or "slope 1" in limit_view.err_legend.text()
    assert two.visible or "slope 2" in limit_view.err_legend.text()
    assert all(len(line.x) for line in limit_view.ref_lines)


@pytest.mark.parametrize("text, order", [("abs(w1) + w2", 1), ("w1^2 + w2", 2)])
def test_no_guide_line_for_a_quotient_with_no_truncation_error(limit_view, controller, text,
                                                               order):
    """w1² along w1: the central quotient has no truncation error, and the key says so; its
    "slope 2" guide was still drawn, down in the round-off region. |w1| beside its kink:
    the forward one, exact for small h, no "slope 1" either."""
    controller.set_loss(parse_loss(text))
    controller.set_iteration(controller.max_iteration)
    limit_view.resize(700, 900)
    limit_view.ensure_fresh()
    assert limit_view.exact_quotients[order - 1]
    line, label = limit_view.ref_lines[order - 1], limit_view.ref_texts[order - 1]
    assert len(line.x) == 0 and not label.visible
    assert "no truncation error here" in limit_view.err_legend.text()
    assert f"slope {order}" not in limit_view.err_legend.text()


@pytest.mark.parametrize("size, h", [((380, 900), 1e-4), ((560, 1000), 1e-4),
                                     ((420, 900), 0.32), ((380, 900), 1e-2)])
def test_the_guide_lines_labels_cross_no_curve_nor_the_h_line(limit_view, controller, qtbot,
                                                              size, h):
    """At h = 10⁻⁴ "slope 2" lay across the central quotient's curve, and the dotted line at
    the current h ran through it (at 1280 × 720, 1920 × 1080 and in presentation mode)."""
    from gdviz.ui.derivatives.common import points_along as _along

    limit_view.resize(*size)
    qtbot.wait(20)
    limit_view.set_h(h)
    limit_view.ensure_fresh()
    canvas = limit_view.error_widget
    hs, fwd, cen = limit_view.error_data()
    lines = [_along(np.column_stack(canvas.data_to_px(hs[np.isfinite(c)], c[np.isfinite(c)])),
                    1.0) for c in (fwd, cen)]
    x_h = float(canvas.data_to_px(np.array([h]), np.array([1.0]))[0][0])
    shown = [t for t in limit_view.ref_texts if t.visible]
    legend = limit_view.err_legend.text()
    if size == (560, 1000):  # (room for both beside their lines)
        assert len(shown) == 2 and "guide line" not in legend
    else:  # a label left out is named in the key
        hidden = [t.text for t in limit_view.ref_texts if not t.visible]
        assert all(f"guide line: {name}" in legend or "guide lines: slope 1" in legend
                   for name in hidden), (hidden, legend)
        # (named by what a class sees and what it means, not "the shorter guide line")
        assert "shorter" not in legend and "longer" not in legend
        assert all(("steeper" if name == "slope 2" else "gentler") in legend
                   or "guide lines: slope 1" in legend for name in hidden), legend
    for text in (*shown, *(t for t in limit_view.regime_texts if t.visible)):
        box = text.box(canvas)
        assert canvas.plot_rect().contains(box)
        assert not box.left() <= x_h <= box.right(), (text.text, box, x_h)
        for pts in lines:
            inside = ((pts[:, 0] > box.left()) & (pts[:, 0] < box.right())
                      & (pts[:, 1] > box.top()) & (pts[:, 1] < box.bottom()))
            assert not inside.any(), text.text
    boxes = [t.box(canvas) for t in (*limit_view.ref_texts, *limit_view.regime_texts)
             if t.visible]
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    # Each guide's label is plainly nearer its own line than the other (moved anywhere
    # clear, "slope 2" sat beside the other guide)
    from gdviz.ui.derivatives.error_labels import _distance

    lines = [_along(np.column_stack(canvas.data_to_px(*line.getData())), 1.0)
             for line in limit_view.ref_lines]
    for k, text in enumerate(limit_view.ref_texts):
        if text.visible:
            box = text.box(canvas)
            assert _distance(box, lines[k]) + 4 < _distance(box, lines[1 - k]), text.text


def test_digits_agree_only_in_their_places():
    """log(x) + y² at x = 0.001, h = 0.32: the forward quotient 18.21… had its "1" in bold
    beside the exact 1000.000…, as if the first digit agreed."""
    from gdviz.ui.numbers import digits_html

    assert digits_html(18.213517722, 1000.0).startswith("<b></b>")
    assert digits_html(999.9, 1000.0).startswith("<b></b>")
    assert digits_html(1000.02, 1000.0).startswith("<b>1000.0</b>")
    assert digits_html(1.25, 1.5).startswith("<b>1.</b>")


def test_a_quotient_right_to_some_decimals_has_them_in_bold(limit_view, controller):
    """sin(w1) at 0, h = 10⁻⁵: the central quotient 0.999999999983 against the exact
    1.000000000000 shares no character, and no digit was bold on the classic example."""
    from gdviz.ui.numbers import digits_html

    controller.set_loss(parse_loss("sin(w1) + w2"))
    controller.set_start(0, 0.0, 0.0)
    limit_view.set_h(1e-5)
    limit_view.ensure_fresh()
    central = limit_view.findChild(QtWidgets.QLabel, "centralLabel").text()
    bold = re.search(r"<b>([^<]*)</b>", central).group(1)
    assert bold == "0.9999999999", central  # (error 1.7·10⁻¹¹: ten decimals right)
    assert digits_html(9.9999, 10.0).startswith("<b>9.999</b>")  # (a shorter integer part)
    assert digits_html(-0.9996, -1.0).startswith("<b>−0.999</b>")
    assert digits_html(0.6, 1.0).startswith("<b></b>")  # (nothing right to a decimal)
    # Only where they differ by a carry: the lecture's central quotient at h = 0.32, right
    # to two decimals, had "0.13" in bold over the exact "0.14", read as digits that agree.
    assert digits_html(0.138084663017, 0.140413209902).startswith("<b>0.1</b>")
    assert digits_html(0.1999, 0.2).startswith("<b>0.199</b>")
    assert digits_html(10.0001, 9.99999).startswith("<b>10.000</b>")
    assert digits_html(-9.9995, -10.0).startswith("<b>−9.99</b>")  # (negative: as positive)
    assert digits_html(-99.9995, -100.0).startswith("<b>−99.99</b>")


def test_a_quotient_exact_at_every_small_h_is_not_called_round_off(limit_view, controller):
    """exp(−1/w1²) at 0: the forward error falls from e⁻¹ at h = 1 to exactly 0 by h ≈ 0.15,
    all of it truncation error, and the key said "no truncation error here, only round-off"."""
    controller.set_loss(parse_loss("exp(-1/w1^2) + w2"))
    controller.set_start(0, 0.0, 0.0)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    key = limit_view.err_legend.text()
    assert "only round-off" not in key, key
    below = limit_view.exact_below[0]
    assert 0.1 < below < 0.3 and "forward: exact (error 0) for every h up to 0.15" in key
    assert "central: exact at every h (error 0)" in key  # (f is even: no error at all)
    controller.set_loss(parse_loss("3*w1 + w2"))  # (a linear f: round-off alone, as before)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    assert "only round-off" in limit_view.err_legend.text()


def test_a_truncation_error_sunk_to_rounding_s_size_is_not_called_absent(limit_view,
                                                                          controller):
    """10⁻⁸·w2² beside 10⁶·w1² at (0.5, 2), along w2: the forward quotient's error is 10⁻⁸·h
    at every h (f ≈ 2.5·10⁵, its rounding about as large below h ≈ 0.1), and the key said
    "forward: no truncation error for h up to 0.15, only round-off" over a row at h = 0.32
    whose error, 3.2·10⁻⁹, was truncation alone. The central quotient (f quadratic along
    w2) has none, and says so."""
    controller.set_loss(parse_loss("1e6*w1^2 + 1e-8*w2^2"))
    controller.set_start(0, 0.5, 2.0)
    controller.set_iteration(0)
    QtWidgets.QApplication.processEvents()
    limit_view.set_axis(1)
    limit_view.set_h(0.32)
    limit_view.redraw()
    forward, central = limit_view.err_legend.text().replace("&nbsp;", " ").split("<br>")[:2]
    assert "no truncation error" not in forward and "round-off" not in forward, forward
    assert math.isnan(limit_view.exact_below[0]) and not limit_view.exact_quotients[0]
    assert "best h" in forward, forward  # (truncation above, rounding below: a V)
    assert "no truncation error here" in central, central


def test_no_best_h_where_the_error_falls_to_the_floor_and_stays(limit_view, controller):
    """w1³ at 0: the forward error is h², no round-off at all; the star marked "best h ≈
    8·10⁻⁹", where h² passes the plot's floor of 10⁻¹⁶."""
    controller.set_loss(parse_loss("w1^3 + w2"))
    controller.set_start(0, 0.0, 0.0)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    assert math.isnan(limit_view.best_hs[0]), limit_view.best_hs
    assert "best h" not in limit_view.err_legend.text().replace("&nbsp;", " ").split("<br>")[0]
    controller.set_start(0, 0.5, 0.0)  # (away from 0 round-off climbs back: a best h)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    assert all(1e-10 < h < 1e-3 for h in limit_view.best_hs), limit_view.best_hs


def test_a_constant_loss_has_no_error_at_any_h(limit_view, controller):
    """f = 3: both quotients are exactly 0 at every h, yet the plot drew them as a line at
    10⁻¹⁶ (the floor of a log scale) beside "round-off error"."""
    controller.set_loss(parse_loss("3"))
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    assert not len(limit_view.fwd_curve.getData()[0]) and not len(limit_view.cen_curve.x)
    assert limit_view.no_exact.visible and "no error at any h" in limit_view.no_exact.text
    assert not any(t.visible for t in limit_view.regime_texts)
    assert limit_view.err_legend.text().count("exact at every h (error 0)") == 2
    assert not len(limit_view.at_h.getData()[0])  # (the current h's dots sat at 10⁻¹⁶)
    # A linear loss: its round-off is real, drawn as before.
    controller.set_loss(parse_loss("3*w1 + w2"))
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    assert len(limit_view.fwd_curve.getData()[0]) and not limit_view.no_exact.visible
    assert "only round-off" in limit_view.err_legend.text()


@pytest.mark.parametrize("h", [1e-2, 1e-6, 1e-10])
def test_a_guide_line_s_label_sits_by_its_line(limit_view, controller, qtbot, h):
    """In presentation mode's type at h = 10⁻⁶ "slope 1" sat 45 pixels from its line, beside
    the dotted line at the current h, as if naming it: a label that far is left to the key."""
    from PySide6 import QtGui

    from gdviz.ui.derivatives.common import points_along
    from gdviz.ui.derivatives.error_labels import GUIDE_RINGS, _distance

    font = QtGui.QFont(limit_view.font())
    font.setPixelSize(int(1.5 * QtGui.QFontInfo(font).pixelSize()))
    limit_view.resize(450, 1000)
    limit_view.error_widget.setFont(font)
    qtbot.wait(20)
    limit_view.set_h(h)
    limit_view.ensure_fresh()
    canvas = limit_view.error_widget
    for line, text in zip(limit_view.ref_lines, limit_view.ref_texts, strict=True):
        xs, ys = line.getData()
        if not (text.visible and len(xs)):
            continue
        drawn = points_along(np.column_stack(canvas.data_to_px(xs, ys)))
        assert _distance(text.box(canvas), drawn) <= max(GUIDE_RINGS) + 2, text.text


@pytest.mark.parametrize("text, start", [("sin(w1)*w2*(1 - w2)", (-0.5, 0.2)),
                                         ("abs(w1) + w2^2", (0.0, 0.5))])  # (a corner)
def test_a_narrow_tab_shows_the_error_plot_whole(limit_view, controller, qtbot, text, start):
    """At 1366 × 768 (a tab 353 × 635) the names took three and four lines beside their
    digits, and the error plot, the tab's point, was below the fold; at a corner (its "none:
    …" five lines) its axis was cut off below the tab's edge with no scroll bar to reach
    it. The names go above their digits, and the plots fit."""
    controller.set_loss(parse_loss(text))
    controller.set_start(0, *start)
    controller.set_iteration(0)
    limit_view.resize(353, 635)
    qtbot.wait(20)
    limit_view.ensure_fresh()
    QtWidgets.QApplication.processEvents()
    assert limit_view.numbers.names_above
    for name in limit_view.name_labels:  # (one line each)
        assert name.height() <= 1.6 * name.fontMetrics().height(), name.text()
    plot = limit_view.error_widget
    assert plot.mapTo(limit_view, plot.rect().bottomLeft()).y() <= limit_view.height()
    assert limit_view.minimumSizeHint().height() <= 635
    limit_view.resize(700, 900)  # wide: beside them again
    qtbot.wait(20)
    QtWidgets.QApplication.processEvents()
    assert not limit_view.numbers.names_above


@pytest.mark.skipif(np.finfo(np.longdouble).eps >= np.finfo(np.float64).eps,
                    reason="no long double on this machine: nothing to check against")
def test_an_exact_value_that_rounding_spoils_says_so(limit_view, controller, qtbot):
    """(1 − cos w1)/w1² at w1 = 10⁻³: its derivative's formula, in float64, is right to 3
    digits, and the tab showed all thirteen bold as the exact value, and a quotient's
    "−8.32" bold against it."""
    controller.set_loss(parse_loss("(1-cos(w1))/w1^2 + w2"))
    controller.set_start(0, 1e-3, 0.0)
    controller.set_iteration(0)
    qtbot.waitUntil(lambda: controller.current_point() == (1e-3, 0.0), timeout=10000)
    limit_view.set_h(1e-4)  # (at h = 10⁻³ the central quotient takes f(0), undefined)
    limit_view.ensure_fresh()
    exact = limit_view.exact_label.text()
    assert "rounding in its formula" in exact, exact
    sure = re.search(r"<b>([^<]*)</b>", exact).group(1)
    assert sure.startswith("−8.333") and len(sure) < 10, exact  # (true: −8.3333327778…)
    # (counted in the text shown: counted in another layout, 0.0000357… for 3.57…×10⁻⁵, a
    # value with no digit sure, at w1 = 10⁻⁵, read "−3.576" in bold)
    from gdviz.ui.numbers import digits_html

    assert digits_html(-3.576723933918e-05, -3.576723933918e-05, unsure=1.8).startswith(
        "<b></b>")
    assert digits_html(0.1404, 0.1404, unsure=1e-3).startswith("<b>0.140</b>")
    for name in ("forwardLabel", "centralLabel"):  # (no quotient bolder than the exact)
        shown = limit_view.findChild(QtWidgets.QLabel, name).text()
        bold = re.search(r"<b>([^<]*)</b>", shown)
        assert bold is not None, shown
        bold = bold.group(1)
        assert len(bold) <= len(sure), (name, bold, sure)


@pytest.mark.parametrize("start", [(0.0107, 0.0002), (0.001, 1e-4), (-0.5, 0.2)])
def test_near_a_quadratic_s_minimum_the_central_quotient_has_no_best_h(limit_view, controller,
                                                                      start):
    """Near x² + 3y²'s minimum the central quotient's error, all rounding of the small values
    there, is least at a middle h: the key read "central, best h ≈ 0.02 ★" and the plot named
    a truncation error, where at the start it read "no truncation error here"."""
    controller.set_loss(parse_loss("w1^2 + 3*w2^2"))
    controller.set_start(0, *start)
    limit_view.ensure_fresh()
    assert limit_view.exact_quotients == [False, True]
    assert math.isnan(limit_view.best_hs[1]) and math.isfinite(limit_view.best_hs[0])
    central = limit_view.err_legend.text().replace("&nbsp;", " ").split("<br>")[1]
    assert "no truncation error" in central and "best h" not in central, central
    xs, _ = limit_view.best.getData()
    assert len(xs) == 1  # (the forward quotient's star alone)


def test_a_truncation_error_below_the_rounding_of_large_values_is_still_one(limit_view,
                                                                            controller):
    """The rounding bound does not swallow a real truncation error: sin's central quotient
    at 1 keeps its best h (its error h²/6·cos 1 is far above rounding at h = 10⁻³)."""
    controller.set_loss(parse_loss("sin(w1) + 100*w2^2"))
    controller.set_start(0, 1.0, 3.0)
    limit_view.ensure_fresh()
    assert limit_view.exact_quotients == [False, False]
    assert all(math.isfinite(h) for h in limit_view.best_hs)


def test_a_secant_far_from_0_is_not_drawn_flat(limit_view, controller):
    """On 10⁶ + x² + y² the curve, varying by 1.6 on 10⁶, was drawn flat on a 5·10⁵ …
    1.5·10⁶ axis under a tangent of slope −1 (the Slice tab was mended first)."""
    controller.set_loss(parse_loss("1e6 + w1^2 + w2^2"))
    controller.set_start(0, -0.5, 0.2)
    limit_view.ensure_fresh()
    _xs, ys = limit_view.curve.getData()
    (_x0, _x1), (lo, hi) = limit_view.secant_widget.view_range()
    assert lo <= ys.min() and hi >= ys.max() and hi - lo < 3 * np.ptp(ys)


def test_a_quotient_exact_but_for_rounding_up_to_a_corner_says_so(limit_view, controller):
    """|w1| + w2² at w1 = −0.5: both quotients' errors are rounding's alone for every h up
    to 0.5, where the slice turns, and both keys said "best h ≈ 0.4 ★"."""
    controller.set_loss(parse_loss("abs(w1) + w2^2"))
    controller.set_start(0, -0.5, 0.2)
    QtWidgets.QApplication.processEvents()
    limit_view.redraw()
    key = limit_view.err_legend.text().replace("&nbsp;", " ")
    assert "best h" not in key, key
    # (up to the largest h sampled short of 0.5)
    assert len(re.findall(r"no truncation error for h up to 0\.[345]\d*, only round-off",
                          key)) == 2, key
    assert all(0.3 < b <= 0.5 for b in limit_view.exact_below), limit_view.exact_below


def test_the_best_h_and_its_star_stay_on_one_line(limit_view, controller):
    """In presentation mode the star wrapped onto a line of its own ("forward, best h ≈
    5×10⁻⁹" / "★"; from a QA round)."""
    import html
    import re

    from line_breaks import line_breaks

    limit_view.ensure_fresh()
    first = limit_view.err_legend.text().split("<br>")[0]
    plain = html.unescape(re.sub(r"<[^>]+>", "", first))
    part = plain[plain.index("best"):]
    assert part.endswith("★") and line_breaks(part) == [], (part, line_breaks(part))


@pytest.mark.parametrize("text, start, axis", [
    # f(a + h) rounds to f(a) below h ≈ 6·10⁻⁹, the quotient to 0, the exact value itself
    # rounding noise (−8.9·10⁻¹⁶): "best h ≈ 5·10⁻⁹ ★", round-off making the error smaller
    ("(w1 - 2)^2 + 10*(w2 + 1)^2", None, 0),  # (at the end of GD from (0.7, −1.2))
    # |w1| at −0.1: linear up to the corner, h = 0.1; "best h ≈ 0.1 ★" and "central, best
    # h ≈ 0.04" (at −0.5 it read "no truncation error for h up to 0.5")
    ("abs(w1) + w2^2", (-0.1, 0.5), 0)])
def test_no_best_h_that_only_rounding_makes(limit_view, controller, text, start, axis):
    controller.set_loss(parse_loss(text))
    if start is None:
        controller.update_run(0, optimizer="gd", lr=0.1, steps=200, start=(0.7, -1.2))
        controller.set_iteration(controller.max_iteration)
        assert abs(controller.current_point()[0] - 2.0) < 1e-6  # (converged, w1 ≈ 2)
    else:
        controller.set_start(0, *start)
        controller.set_iteration(0)
    QtWidgets.QApplication.processEvents()
    limit_view.set_axis(axis)
    limit_view.redraw()
    assert all(math.isnan(h) for h in limit_view.best_hs), limit_view.best_hs
    assert "best h" not in limit_view.err_legend.text().replace("&nbsp;", " ")
    xs, _ = limit_view.best.getData()
    assert len(xs) == 0


def test_where_f_is_infinite_the_exact_line_says_why(limit_view, controller):
    """log(x) at x = 0: the exact line read "undefined" alone, beside a forward quotient of
    ∞ (a QA round)."""
    controller.set_loss(parse_loss("log(x)"))
    controller.set_start(0, 0.0, 0.0)
    limit_view.set_h(0.32)
    limit_view.ensure_fresh()
    said = re.sub(r"<[^>]+>", "", limit_view.exact_label.text())
    assert said == "undefined: f(x = 0) is −∞, so no quotient from there is a slope", said
    controller.set_start(0, 1.0, 0.0)  # (defined there: its digits, as before)
    limit_view.ensure_fresh()
    assert re.sub(r"<[^>]+>", "", limit_view.exact_label.text()).startswith("1")


@pytest.mark.parametrize("text, said", [
    ("1/x", "undefined: f(x = 0) has no value (−∞ from the left, ∞ from the right), so no "
            "quotient from there is a slope"),
    ("1/x^2", "undefined: f(x = 0) is ∞, so no quotient from there is a slope")])
def test_at_a_pole_with_two_infinities_f_has_no_value(limit_view, controller, text, said):
    """1/x at 0 read "f(x = 0) is ∞" (numpy's 1/0.0), though it runs to −∞ from the left:
    f has no value there; 1/x² runs to ∞ on both sides."""
    controller.set_loss(parse_loss(text))
    controller.set_start(0, 0.0, 0.0)
    limit_view.set_h(0.32)
    limit_view.ensure_fresh()
    shown = re.sub(r"<[^>]+>", "", limit_view.exact_label.text())
    assert shown == said, shown


def test_the_stars_stay_whole_in_a_short_error_plot(limit_view, controller, qtbot):
    """At 1280 × 720 the error plot had 60 pixels for its curves and 0.6 of a decade, 3
    pixels, under the lowest error: the central quotient's star was cut in half (a QA
    round); the room under it is in pixels now, again when the plot is resized."""
    controller.set_loss(parse_loss("sin(x^2)"))
    controller.set_start(0, 1.2, 0.0)
    limit_view.set_h(1e-12)
    limit_view.ensure_fresh()
    plot = limit_view.error_widget
    plot.setFixedHeight(105)  # (as short as in a 1280 × 720 window: resized after drawing)
    qtbot.waitUntil(lambda: plot.height() == 105)
    limit_view.ensure_fresh()
    area = plot.plot_rect()
    xs, ys = limit_view.best.getData()
    assert len(ys) == 2 and np.isfinite(ys).all()
    _, py = plot.data_to_px(xs, ys)
    for y in np.atleast_1d(py):
        assert area.top() + 10 <= y <= area.bottom() - 10, (y, area)
