"""The "Chain rule" (step-by-step derivation) and "Regression" tabs, driven through a controller."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6 import QtTest

from gdviz import parse_loss
from gdviz.core.regression import (
    DEFAULT_DATA,
    data_from_loss_text,
    fitted_line,
    least_squares,
    regression_loss_text,
)
from gdviz.core.session import RunSpec
from gdviz.ui.colors import text_ink
from gdviz.ui.controller import Controller, Run
from gdviz.ui.derivatives.held_formula import HELD_COLOR as SLICE_HELD_COLOR
from gdviz.ui.derivatives.regression_view import RegressionView
from gdviz.ui.derivatives.steps_view import (
    HELD_COLOR,
    StepsView,
    held_variable_html,
    latex_to_plain,
)
from gdviz.ui.qt import QtCore, QtGui, QtWidgets

LECTURE = "sin(w1)*w2*(1-w2)"


@pytest.fixture
def controller(qtbot):
    c = Controller()
    c.runs = [Run(RunSpec(optimizer="gd", lr=0.1, start=(-0.5, 0.2), steps=50,
                          color="#0072B2"))]
    c.set_domain(((-4, 4), (-1.5, 2.5)))
    c.set_loss(parse_loss(LECTURE))
    yield c
    c.pause()
    c.worker.wait()


@pytest.fixture
def steps(steps_view_of, controller):
    view = steps_view_of(controller, (700, 500))
    yield view
    view._pool.waitForDone(30000)


def wait_for(qtbot, view, variable: str, expr: str) -> None:
    def done():
        d = view.derivation
        return (d is not None and d.variable == variable and str(d.expr) == expr
                and not view.busy)
    qtbot.waitUntil(done, timeout=30000)


# -- steps --------------------------------------------------------------------------------
def test_lecture_loss_steps_for_both_partials(qtbot, steps, controller):
    combo = steps.findChild(QtWidgets.QComboBox, "stepsVariableCombo")
    tree = steps.findChild(QtWidgets.QTreeWidget, "stepsTree")
    assert combo.count() == 2 and "w1" in combo.itemText(0)
    wait_for(qtbot, steps, "w1", str(controller.loss.expr))
    assert steps.rules() == ["constant multiple", "sin", "together"]
    # (the first step with its one inner step; the line putting them together after it)
    assert tree.topLevelItemCount() == 2 and tree.topLevelItem(0).childCount() == 1
    together = tree.itemWidget(tree.topLevelItem(1), 0)
    assert together.tag.text() == "<b>together</b>"
    assert tree.topLevelItem(0).isExpanded()
    assert steps.status.text() == ""
    result = steps.findChild(QtWidgets.QLabel, "stepsResult")
    assert "cos(w1)" in result.accessibleName() and "∂f/∂w1" in result.accessibleName()
    assert result.pixmap() is not None and not result.pixmap().isNull()  # typeset
    # the held variable is highlighted in the header
    # in the Slice tab's purple (readable on the tab's ground; orange means "falling" there)
    held = text_ink(steps, HELD_COLOR)
    assert HELD_COLOR == SLICE_HELD_COLOR
    header = steps.findChild(QtWidgets.QLabel, "stepsHeader").text()
    assert f"{held}'><b><i>w</i><sub>2</sub>" in header and "held constant" in header
    # f as it was typed, not in sympy's order (w2·(1 − w2)·sin(w1)); so is the final line
    document = QtGui.QTextDocument()
    document.setHtml(header)
    assert document.toPlainText().startswith("f(w1, w2) = sin(w1)·w2·(1 − w2)")
    assert "cos(w1)·w2·(1 − w2)" in result.accessibleName()  # (a dot: as the header)

    combo.setCurrentIndex(1)
    wait_for(qtbot, steps, "w2", str(controller.loss.expr))
    assert steps.rules()[:2] == ["constant multiple", "product"]
    assert {"sum", "variable", "constant"} <= set(steps.rules())
    assert f"{held}'><b><i>w</i><sub>1</sub>" in steps.header.text()
    assert steps.derivation.result.equals(controller.loss.partials[1])
    row = tree.itemWidget(tree.topLevelItem(0).child(0), 0)
    assert row.tag.text() == "<b>product rule</b>"
    # nested steps fold away
    tree.topLevelItem(0).setExpanded(False)
    assert not tree.topLevelItem(0).isExpanded()


def test_steps_follow_the_loss_chain_and_power(qtbot, steps, controller):
    controller.set_loss(parse_loss("sin(x^2)"))
    wait_for(qtbot, steps, "x", "sin(x**2)")
    assert steps.rules() == ["chain", "power", "together"]
    row = steps.tree.itemWidget(steps.tree.topLevelItem(0), 0)
    assert "chain rule" in row.tag.text()
    assert "cos" in row.explanation.text()
    assert "2·x·cos(x²)" in steps.result.accessibleName()  # (as the board writes it)
    assert "∂f/∂x" in steps.combo.itemText(0) and "(y held)" in steps.combo.itemText(0)


def test_steps_work_off_the_gui_thread_and_drop_stale_results(qtbot, steps, controller):
    shown = []
    steps.stepsShown.connect(lambda: shown.append(str(steps.derivation.expr)))
    controller.set_loss(parse_loss("exp(x*y)"))
    assert steps.status.text() == "working…"  # nothing computed on the GUI thread yet
    controller.set_loss(parse_loss("x^3 + y"))
    wait_for(qtbot, steps, "x", "x**3 + y")
    steps._pool.waitForDone(30000)
    qtbot.wait(50)
    assert shown == ["x**3 + y"]  # the first (stale) request never showed
    assert steps.rules() == ["sum", "power", "constant", "together"]


def _nested_atan(depth: int) -> str:
    text = "x*y*x + y"
    for _ in range(depth):
        text = f"atan({text})*x + y"
    return text


def test_a_derivation_too_long_is_stopped_and_the_next_loss_derived(qtbot, steps, controller,
                                                                    monkeypatch):
    """atan nested 25 deep (253 characters) kept the tab's one thread for over ten minutes,
    and the loss typed next was never derived; one over the budget says so."""
    import time

    from gdviz.ui.derivatives import steps_job

    controller.set_loss(parse_loss(_nested_atan(25)))
    qtbot.wait(300)  # (its derivation under way)
    began = time.monotonic()
    controller.set_loss(parse_loss("x^3 + y"))
    wait_for(qtbot, steps, "x", "x**3 + y")  # (stopped once replaced, not at the budget)
    assert time.monotonic() - began < 2.0 < steps_job.DERIVE_BUDGET - 0.3
    steps._pool.waitForDone(30000)
    monkeypatch.setattr(steps_job, "DERIVE_BUDGET", 0.3)
    controller.set_loss(parse_loss(_nested_atan(18)))  # (about 20 s, as the tab derives it)
    qtbot.waitUntil(lambda: not steps.busy, timeout=10000)
    assert steps.derivation is None
    assert "too long to show step by step" in steps.header.text()


def test_hidden_view_derives_when_shown(qtbot, controller):
    view = StepsView(controller)
    qtbot.addWidget(view)
    controller.set_loss(parse_loss("log(a) + b"))
    assert view.derivation is None and view._request == 0  # no work while hidden
    view.show()
    wait_for(qtbot, view, "a", "b + log(a)")
    assert sorted(view.rules()) == ["constant", "log", "sum", "together"]
    view._pool.waitForDone(30000)


def test_header_and_plain_fallback():
    loss = parse_loss(LECTURE)
    html = held_variable_html(loss.expr, loss.variables, loss.symbols, 0)
    assert "<i>w</i><sub>1</sub> is" not in html  # w1 is differentiated, w2 is held
    assert "is <b>held constant</b>" in html
    assert "(1&nbsp;−&nbsp;<span" in html  # (a bracket stays on one line: "w2·(1 −" / "w2)")
    # f of one variable holds nothing: sin(x²) read "y is held constant while we
    # differentiate with respect to x" (a QA round)
    one = parse_loss("sin(x^2)")
    said = held_variable_html(one.expr, one.variables, one.symbols, 0)
    assert "held constant" not in said and "f does not depend on" in said
    assert "is the ordinary derivative of a function of" in said
    plain = latex_to_plain(r"\frac{\partial}{\partial w_{1}}\left[w_{2} \sin{\left(w_{1} \right)}"
                           r"\right]")
    assert plain == "∂/∂w1 [w2·sin(w1)]"
    # Square roots and fractions inside fractions (it read "fracsqrt10 x^2 + y^2x + 10")
    assert latex_to_plain(r"\frac{\sqrt{10 x^{2} + y^{2}}}{x + 10}") == "√(10·x^2 + y^2)/(x + 10)"
    assert latex_to_plain(r"y^{2} + \frac{\sin{\left(x \right)}}{x}") == "y^2 + sin(x)/x"
    assert latex_to_plain(r"\sqrt[3]{x} + y") == "x^(1/3) + y"
    # Minus signs, close to their term after a bracket or a power ("e^(- x²)" read as a
    # hyphen where a long result stays plain text)
    assert latex_to_plain(r"2 x - 2 x e^{- x^{2}}") == "2·x − 2·x·e^(−x^2)"
    assert latex_to_plain(r"- \sin{\left(x \right)} + \left(- y\right)^{2}") == "−sin(x) + (−y)^2"
    assert latex_to_plain(r"\frac{e^{x^{2}}}{\sqrt{y + 1}}") == "e^(x^2)/√(y + 1)"
    # Braces inside the parts: |x|, sign(x), sin²(y) (they printed "frac|x|y^2 + 1")
    assert latex_to_plain(r"\frac{\left|{x}\right|}{y^{2} + 1}") == "|x|/(y^2 + 1)"
    assert latex_to_plain(r"\frac{\operatorname{sign}{\left(x \right)}}{2 \sqrt{\left|{x}"
                          r"\right|}}") == "sign(x)/(2·√|x|)"
    assert latex_to_plain(r"\frac{\sin^{2}{\left(y \right)}}{x}") == "sin^2(y)/x"
    assert latex_to_plain(r"\frac{1}{\cos^{2}{\left(x \right)}}") == "1/cos^2(x)"
    # The header names functions as they are typed, with real minus signs; |u|, √(u) and
    # e^u as the typeset formulas beside it write them ("abs(w1) + w2²" above |w₁|), from
    # sympy's expression or from the text typed
    loss = parse_loss("max(x, y) - abs(x) + exp(y) + 1/sqrt(x^2 + 1)")
    for text in (None, loss.text):
        html = held_variable_html(loss.expr, ("x", "y"), loss.symbols, 0, text=text)
        assert "max(" in html and "|<i>x</i>|" in html and "e<sup>" in html, html
        assert "√(" in html, html
        assert not any(name in html for name in ("Max", "Abs", "abs(", "exp(", "sqrt("))
    # ... u's own indices and powers written as characters: Qt's rich text cannot raise
    # them again inside a superscript (exp(−w1² − w2²) read e^(−(w 1 2 …)))
    loss = parse_loss("exp(-(w1^2 + w2^2)) + w2")
    for text in (None, loss.text):
        html = held_variable_html(loss.expr, loss.variables, loss.symbols, 0, text=text)
        exponent = re.search(r"e<sup>(.*?)</sup>", html)
        assert exponent and "₁²" in exponent[1] and "₂" in exponent[1], html
        assert "<sub>" not in exponent[1] and "exp(" not in html, html
    # A factor after a power is spaced off it: "e^{sin(x²)}·y", the dot level with the
    # raised text, read as the exponent sin(x²)·y (a QA round, at 1366 × 768)
    for typed in ("exp(sin(x^2))*y", "2^x*y"):
        loss = parse_loss(typed)
        for text in (None, loss.text):
            html = held_variable_html(loss.expr, ("x", "y"), loss.symbols, 0, text=text)
            assert "</sup>·" not in html, html
            assert text is None or "</sup> ·\u00a0" in html, html  # (sympy's: y·2ˣ)


# -- regression ---------------------------------------------------------------------------
@pytest.fixture
def regression(qtbot, controller):
    view = RegressionView(controller)
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    assert QtTest.QTest.qWaitForWindowExposed(view)
    return view


def use_as_loss(qtbot, view, controller):
    button = view.findChild(QtWidgets.QPushButton, "useRegressionButton")
    with qtbot.waitSignal(controller.lossChanged, timeout=30000):
        qtbot.mouseClick(button, QtCore.Qt.LeftButton)
    assert view.active


def test_use_as_loss_sets_the_mse_loss_and_domain(qtbot, regression, controller):
    assert not regression.active
    assert "not this data's MSE" in regression.pipeline.text()
    controller.preset = "lecture"
    # Every run is computed on the MSE only: moving its start into the new map once drew it
    # computed on the old loss first, from a start off the old map.
    controller.set_start(0, 40.0, -40.0)  # (off the MSE's map)
    computed, compute = [], controller._compute
    controller._compute = lambda run, deadline: (computed.append(
        (controller.loss.text, run.spec.start)), compute(run, deadline))
    use_as_loss(qtbot, regression, controller)
    mse = regression_loss_text(*DEFAULT_DATA)
    assert controller.runs[0].spec.start != (40.0, -40.0)  # (the case: the start moved)
    assert computed == [(mse, controller.runs[0].spec.start)]
    # The preset menu named the lecture's loss over the MSE: the default data is the
    # "Linear regression" preset's, other data none
    assert controller.preset == "linear_regression"
    assert controller.loss.text == regression_loss_text(*DEFAULT_DATA)
    w1, w2 = least_squares(*DEFAULT_DATA)
    (a0, a1), (b0, b1) = controller.domain
    assert a0 < w1 < a1 and b0 < w2 < b1
    start = controller.runs[0].spec.start
    assert a0 <= start[0] <= a1 and b0 <= start[1] <= b1
    # the descent on it reaches the least-squares line
    traj = controller.runs[0].trajectory
    assert float(traj.losses[-1]) < float(traj.losses[0])
    assert "MSE" in regression.pipeline.text() and "∇L" in regression.pipeline.text()


def test_line_follows_the_current_point(qtbot, regression, controller):
    use_as_loss(qtbot, regression, controller)
    for k in (0, 10, controller.max_iteration):
        controller.set_iteration(k)
        w1, w2 = controller.current_point()
        x, y = regression.line_data()
        assert len(x) == 2 and np.allclose(y, fitted_line(w1, w2, x))
        assert f"{w1:.3g}".replace("-", "−") in regression.pipeline.text()
    res_x, res_y = regression.residuals.getData()
    xs, ys = regression.data()
    assert len(res_x) == 2 * len(xs)
    assert np.allclose(res_y[1::2], fitted_line(w1, w2, np.asarray(xs)))


def test_a_steep_line_crosses_the_plot_where_it_should(qtbot, regression, controller):
    """A diverged run's ŷ = 1.39·10¹⁰x − 8.86·10⁵, drawn out to ±10¹¹, was squashed in the
    painter's range to a vertical line at x ≈ 0.47; it crosses y = 0 at x = 6.4·10⁻⁵."""
    controller.update_run(0, start=(1.39e10, -8.86e5), steps=3)
    controller.set_iteration(0)
    x, y = regression.line_data()
    (x0, x1), (y0, y1) = regression.plot.view_range()
    assert len(x) == 2 and np.allclose(y, fitted_line(1.39e10, -8.86e5, x))
    assert max(abs(v) for v in y) <= 3 * (y1 - y0) + max(abs(y0), abs(y1))  # (clipped)
    px = [float(v) for v in regression.plot.data_to_px(np.asarray(x), np.asarray(y))[0]]
    zero = float(regression.plot.data_to_px(np.array([8.86e5 / 1.39e10]), np.zeros(1))[0][0])
    assert abs(px[0] - zero) < 1.0 and abs(px[1] - zero) < 1.0  # (vertical, at x ≈ 0)


def test_the_update_line_is_the_run_s_step_under_a_schedule(qtbot, regression, controller):
    """With a step schedule η at step k is not the spec's: the update shown is the step the
    run takes there (the next point), with that η."""
    import re

    use_as_loss(qtbot, regression, controller)
    controller.update_run(0, schedule="step", decay=0.5, decay_steps=2)
    k = 4
    controller.set_iteration(k)
    regression._update_fit()
    traj = controller.runs[0].trajectory
    text = re.sub("<[^>]+>", " ", regression.pipeline.text()).replace("&nbsp;", " ")
    update = text[text.index("update"):]
    assert f"η = {float(traj.lrs[k]):.3g}" in update and float(traj.lrs[k]) != 0.1
    na, nb = (f"{v:.3g}".replace("-", "−") for v in traj.points[k + 1])
    assert f"({na}, {nb})" in update
    controller.update_run(0, schedule="constant", noise=0.5)
    regression._update_fit()
    assert "noise or is a difference quotient" in regression.pipeline.text()


def test_large_numbers_read_whole_as_in_the_readouts(qtbot, regression, controller):
    """A diverging run read "update (η = 0.9) = (3.98×10³, 981)", two ways of writing in
    one vector, beside the readouts' (3982, 981): from 1000 to a million, whole numbers."""
    import re

    use_as_loss(qtbot, regression, controller)
    controller.update_run(0, lr=0.9, steps=50)
    traj = controller.runs[0].trajectory
    k = next(i for i, p in enumerate(traj.points[1:]) if 1e3 <= abs(p).max() < 1e6)
    controller.set_iteration(k)
    regression._update_fit()
    text = re.sub("<[^>]+>", " ", regression.pipeline.text()).replace("&nbsp;", " ")
    update = text[text.index("update"):]
    na, nb = (f"{round(v)}" if abs(v) >= 1e3 else f"{v:.3g}" for v in traj.points[k + 1])
    assert f"({na}, {nb})".replace("-", "−") in update, update
    assert "×10³" not in text and "×10⁴" not in text and "×10⁵" not in text


def test_a_vector_of_small_numbers_reads_in_one_style(qtbot, regression, controller):
    """Near the fit the gradient read "∇L = (4.70×10⁻⁵, −0.000186)": a power of ten beside a
    decimal in one vector."""
    import re

    use_as_loss(qtbot, regression, controller)
    controller.update_run(0, lr=0.1, steps=50)
    traj = controller.runs[0].trajectory
    k = next(i for i, g in enumerate(traj.gradients)
             if min(abs(g)) < 1e-4 and max(abs(g)) < 1e-2 and min(abs(g)) > 0)
    controller.set_iteration(k)
    regression._update_fit()
    text = re.sub("<[^>]+>", " ", regression.pipeline.text()).replace("&nbsp;", " ")
    for a, b in re.findall(r"\(([^,()]+), ([^,()]+)\)", text):
        if "×10" in a + b:  # (then both as powers of ten, or a whole number)
            assert not re.search(r"0\.000", a + b), (a, b)


def test_each_note_under_the_pipeline_starts_a_line(qtbot, regression, controller):
    """"(the run uses Newton, which changes the update step) ✓ The loss is this data's MSE:
    …" ran on as one paragraph, the green sentence starting mid-line."""
    use_as_loss(qtbot, regression, controller)
    controller.update_run(0, optimizer="newton", lr=1.0)
    regression._update_fit()
    text = regression.pipeline.text()
    assert "changes the update step)<br><span" in text and "✓" in text


def test_the_gradient_at_the_fitted_line_reads_zero(qtbot, regression, controller):
    """At the least-squares line the gradient is rounding noise: it read
    (−2.78×10⁻¹⁶, −2.08×10⁻¹⁶)."""
    import re

    use_as_loss(qtbot, regression, controller)
    controller.update_run(0, lr=0.1, steps=2000)
    assert controller.runs[0].trajectory.status == "converged"
    controller.set_iteration(controller.max_iteration)
    regression._update_fit()
    text = re.sub("<[^>]+>", " ", regression.pipeline.text()).replace("&nbsp;", " ")
    gradient = text[text.index("gradient"):text.index("update")]
    assert "10⁻¹⁶" not in gradient and "10⁻¹⁵" not in gradient, gradient


def test_a_diverging_run_is_told_the_largest_eta_that_converges(qtbot, regression,
                                                                controller):
    """It said "✓ … play the descent and watch the line fit the points" as the line flew off."""
    from gdviz.core.regression import stable_lr

    use_as_loss(qtbot, regression, controller)
    limit = stable_lr(DEFAULT_DATA[0])
    controller.update_run(0, lr=round(3 * limit, 2), steps=100)
    regression._update_fit()
    text = regression.pipeline.text()
    assert "diverged" in text and "✓" not in text
    assert f"{limit:.3g}" in text
    controller.update_run(0, lr=round(0.5 * limit, 3))
    regression._update_fit()
    assert "✓" in regression.pipeline.text()
    # 2/λ is plain gradient descent's bound: a diverging momentum run is not told it
    controller.update_run(0, optimizer="momentum", lr=round(3 * limit, 2))
    regression._update_fit()
    text = regression.pipeline.text()
    assert "diverged" in text and "2/λ" not in text and "Momentum" in text


def test_the_keys_symbols_stay_with_their_words(qtbot, regression, controller):
    # In a 430-pixel dock the residuals' dashes ended one line and their words began the next.
    # The formulas stay whole too: in presentation mode's type "ŷ −" ended a line, "y" alone
    # on the next.
    use_as_loss(qtbot, regression, controller)
    text = regression.key.text()
    big = QtGui.QFont(regression.key.font())
    big.setPixelSize(24)
    for font, narrowest in ((regression.key.font(), 200), (big, 320)):
        for width in range(narrowest, 520, 10):
            doc = QtGui.QTextDocument()
            doc.setDefaultFont(font)
            doc.setHtml(text)
            doc.setTextWidth(width)
            doc.documentLayout().documentSize()  # (laid out now)
            layout = doc.firstBlock().layout()
            lines = [layout.lineAt(i) for i in range(layout.lineCount())]
            plain = doc.toPlainText()
            for symbol, word in (("━━", "line"), ("╍╍", "residuals ŷ − y"),
                                 ("ŷ = ", "w1·x + w2")):
                at = plain.index(symbol)
                end = plain.index(word, at) + len(word) - 1
                line = next(ln for ln in lines
                            if ln.textStart() <= at < ln.textStart() + ln.textLength())
                assert end < line.textStart() + line.textLength(), (width, symbol, word)


def test_clicks_add_and_remove_points_and_rebuild_the_loss(qtbot, regression, controller):
    use_as_loss(qtbot, regression, controller)
    xs0, ys0 = regression.data()

    def click(x, y, button=QtCore.Qt.LeftButton):
        pos = regression.plot.data_to_point(x, y).toPoint()
        with qtbot.waitSignal(controller.lossChanged, timeout=30000):
            qtbot.mouseClick(regression.plot, button, pos=pos)

    click(1.0, -0.5)  # empty space: a new point
    xs, ys = regression.data()
    assert len(xs) == len(xs0) + 1
    assert xs[-1] == pytest.approx(1.0, abs=0.05) and ys[-1] == pytest.approx(-0.5, abs=0.05)
    assert data_from_loss_text(controller.loss.text) == (tuple(xs), tuple(ys))
    assert regression.active

    click(xs0[0], ys0[0], QtCore.Qt.RightButton)  # on a point: removed
    xs, ys = regression.data()
    assert len(xs) == len(xs0) and xs0[0] not in xs
    assert controller.loss.text == regression_loss_text(xs, ys)
    assert controller.preset == ""  # (other data than the preset's)

    click(xs[-1], ys[-1])  # a left click on a point removes it too
    assert regression.data() == (xs[:-1], ys[:-1])


def test_a_line_keeps_two_points(qtbot, regression):
    regression.set_data([0, 1], [0, 1])
    pos = regression.plot.data_to_point(0.0, 0.0).toPoint()
    qtbot.mouseClick(regression.plot, QtCore.Qt.LeftButton, pos=pos)
    assert regression.data() == ([0.0, 1.0], [0.0, 1.0])
    assert "at least 2 points" in regression.hint.text()


def test_views_follow_theme_and_type_size(qtbot, steps, regression):
    first = steps.result.pixmap().height()
    font = steps.font()
    font.setPixelSize(2 * QtGui.QFontInfo(font).pixelSize())
    steps.setFont(font)  # as Ctrl + / presentation mode do through the application font
    qtbot.waitUntil(lambda: not steps.busy and steps.result.pixmap().height() > 1.5 * first,
                    timeout=30000)
    palette = QtGui.QPalette(steps.palette())
    palette.setColor(QtGui.QPalette.WindowText, QtGui.QColor("#f2f2f2"))
    palette.setColor(QtGui.QPalette.Base, QtGui.QColor("#26282c"))
    steps.setPalette(palette)

    def light_ink():
        image = steps.result.pixmap().toImage()
        inked = [image.pixelColor(x, y) for x in range(image.width())
                 for y in range(image.height()) if image.pixelColor(x, y).alpha() == 255]
        return inked and all(c.red() > 200 for c in inked)
    qtbot.waitUntil(light_ink, timeout=5000)  # light ink on the dark theme
    regression.setPalette(palette)
    assert regression.plot.backgroundBrush().color().name() == "#26282c"


def test_set_data_rebuilds_an_active_loss_and_adopts_a_loaded_one(qtbot, regression,
                                                                   controller):
    regression.set_data([0, 1, 2], [1, 3, 5])  # not active: the loss stays
    assert controller.loss.text == LECTURE
    use_as_loss(qtbot, regression, controller)
    with qtbot.waitSignal(controller.lossChanged, timeout=30000):
        regression.set_data([0, 1, 2, 3], [1, 3, 5, 7.5])
    assert controller.loss.text == regression_loss_text([0, 1, 2, 3], [1, 3, 5, 7.5])
    # a regression loss arriving from elsewhere (preset, session) shows its data
    text = regression_loss_text([-1, 0, 1], [0.5, 0.1, -0.4])
    controller.set_loss(parse_loss(text))
    assert regression.data() == ([-1.0, 0.0, 1.0], [0.5, 0.1, -0.4])
    controller.set_loss(parse_loss(LECTURE))
    assert not regression.active
    with pytest.raises(ValueError):
        regression.set_data([1] * 31, [1] * 31)


def test_large_type_in_a_narrow_dock_keeps_the_regression_plot_usable(qtbot, regression):
    font = QtGui.QFont(regression.font())
    font.setPixelSize(24)  # presentation mode's type
    regression.setFont(font)
    regression.resize(440, 1000)
    QtWidgets.QApplication.processEvents()
    qtbot.wait(20)
    assert regression.plot.height() >= 160
    # The hint wraps across the whole width, below the buttons, not in a column beside them.
    assert regression.hint.geometry().top() >= regression.use_button.geometry().bottom()
    assert regression.hint.width() > 0.8 * regression.width()
    # The stages' formulas go on lines of their own rather than wrapping word by word...
    assert "<td></td><td><span style='white-space:nowrap'>w = (w" in regression.pipeline.text()
    # ...and back beside their titles when there is room.
    regression.resize(1500, 1000)
    QtWidgets.QApplication.processEvents()
    nowrap = "<span style='white-space:nowrap'>"
    assert f"<td></td><td>{nowrap}w = (w" not in regression.pipeline.text()
    assert f"<td>{nowrap}w = (w" in regression.pipeline.text()


def test_an_explanation_goes_below_its_tag_when_beside_it_would_be_a_narrow_column(
        qtbot, steps):
    def widest_tag():
        rows = [row for _, row, _ in steps._rows]
        assert rows
        return max(rows, key=lambda row: row.tag.sizeHint().width())

    steps.resize(1200, 700)
    # (a top-level window's resize comes back from the X server: on a loaded machine it
    # took longer than a fixed 20 ms wait)
    qtbot.waitUntil(lambda: steps.width() > 1000, timeout=5000)

    def beside() -> bool:  # (polled: on a loaded machine the layout settles later)
        steps._fit_rows()
        return widest_tag().top.direction() == QtWidgets.QBoxLayout.LeftToRight

    qtbot.waitUntil(beside, timeout=5000)
    font = QtGui.QFont(steps.font())
    font.setPixelSize(24)  # presentation-size type (the rows are built again)...
    steps.setFont(font)
    qtbot.waitUntil(lambda: not steps.busy, timeout=30000)
    steps.resize(380, 700)  # ...in a narrow dock
    qtbot.waitUntil(lambda: steps.width() < 1000, timeout=5000)

    def below() -> bool:
        steps._fit_rows()
        row = widest_tag()
        return (row.top.direction() == QtWidgets.QBoxLayout.TopToBottom
                and row.explanation.width() > 0.7 * row.width())

    qtbot.waitUntil(below, timeout=5000)


def test_the_view_shows_the_residuals_whole(qtbot, regression, controller):
    """The view was fitted to the data alone: with the lecture's w = (−0.5, 0.2) the line
    ŷ = −0.5·x + 0.2 fell below the frame beside data rising to 3.3, and the residuals for
    x ≳ 1.8 were cut at the bottom edge."""
    regression.autorange()
    (_, _), (y0, y1) = regression.plot.view_range()
    _, res_y = regression.residuals.getData()
    assert len(res_y) and y0 <= float(np.min(res_y)) and float(np.max(res_y)) <= y1
    # a line gone wild stretches the view by at most the data's own height each way
    xs, ys = regression.data()
    controller.set_start(0, 1e6, 0.0)
    regression.autorange()
    (_, _), (y0, y1) = regression.plot.view_range()
    span = max(ys) - min(ys)
    assert y1 - y0 < 4 * span


def test_a_long_row_s_plain_text_writes_greek_letters_as_letters():
    """A row too long to typeset (Rastrigin's sum rule) read "10 cos(2 pi x)"."""
    from gdviz.ui.derivatives.derivation_text import latex_to_plain

    assert latex_to_plain(r"- 10 \cos{\left(2 \pi x \right)}") == "−10·cos(2·π·x)"
    assert latex_to_plain(r"\frac{\theta}{\lambda}") == "θ/λ"
    assert latex_to_plain(r"\pinch") == "pinch"  # (only whole commands)


def test_a_wide_derivation_never_widens_the_window(window, qtbot):
    """Goldstein–Price's Chain rule tab at 1280 × 720 made the window 1733 pixels wide (the
    page never narrower than its view, the header one unbreakable line of 1100 pixels):
    the map squeezed to 60 pixels, the readouts cut, and it stayed so on other tabs."""
    from gdviz.ui.window_layout import share_width

    window.resize(1280, 720)
    share_width(window, 1280)
    window.load_preset("goldstein_price")
    window.wait_idle()
    window.derivatives.build_tabs()
    window.derivatives.tabs.setCurrentIndex(2)
    steps = window.derivatives.views["Chain rule"]
    qtbot.waitUntil(lambda: steps.tree.topLevelItemCount() > 0, timeout=30000)
    window.wait_idle()
    qtbot.wait(200)
    assert window.width() <= 1280 and window.contour.width() > 300
    assert window.derivatives.width() <= 0.45 * 1280
    header = steps.header
    assert header.minimumSizeHint().width() < 0.4 * 1280  # (it wraps, between terms)
    row = steps.tree.itemWidget(steps.tree.topLevelItem(0), 0)
    # (its plain text, the tooltip or the stand-in where it is not typeset: as on the board)
    assert "^2" not in row.before.toolTip() and "²" in row.before.toolTip()


def test_short_brackets_stay_whole_in_the_header_and_long_ones_may_break():
    from gdviz.ui.derivatives.derivation_text import _brackets_whole

    assert _brackets_whole("w2·(1 − w2)·sin(w1)") == "w2·(1&nbsp;−&nbsp;w2)·sin(w1)"
    long = "(12·x² − 36·x·y − 32·x + 27·y² + 48·y + 18) + 30"
    inside = _brackets_whole(long).split("(", 1)[1].split(")")[0]
    assert inside.count(" −&nbsp;") == 2 and inside.count(" +&nbsp;") == 3  # (breaks before
    # a sign, not after it: "w1³ −" / "3·w1·w2²")
    # never after a slash ("1/" / "(1 + exp(−w1))"), nor inside a tag
    assert _brackets_whole("<i>1</i>/(1 + e)") == "<i>1</i>/\u2060(1&nbsp;+&nbsp;e)"
    # A run too long kept whole opens its longer brackets only: with every bracket opened,
    # the header broke "ln(1" / "+ x²)" beside √(1 + cos²(3·x))/(2 + tanh(x)) (a QA round)
    long = _brackets_whole("ln(1 + x²) − √(1 + cos²(3·x))/(2 + tanh(x))")
    assert "ln(1&nbsp;+&nbsp;x²)" in long
    runs = long.replace("\u2060", "").replace("&nbsp;", "_").split(" ")
    assert max(len(r) for r in runs) <= 28, runs


def test_the_header_writes_numbers_and_pi_as_the_formulas_do():
    """The Chain rule header wrote Rastrigin's "2·pi·x", and a long loss's "1.0·w2²" and
    "3.33333333333333" (the loss panel: 2πx, w2², 3.33333)."""
    import re

    from gdviz import parse_loss
    from gdviz.ui.derivatives.derivation_text import held_variable_html

    def header(text):
        loss = parse_loss(text)
        html = held_variable_html(loss.expr, loss.variables, loss.symbols, 0)
        return re.sub("<[^>]+>", "", html.split("</div>")[0]).replace("&nbsp;", " ")

    assert "2·π·x" in header("20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)")
    from gdviz.ui.derivatives.derivation_text import board_text

    assert board_text("only cos(2*pi*x) is differentiated") == "only cos(2·π·x) is differentiated"
    assert board_text("a spin of pie") == "a spin of pie"  # (the word pi alone)
    long = header("0.5*(w1^2 + 2*w2^2) + exp(-((w1 - 1)^2 + (w2 + 0.5)^2)/0.3)")
    assert "3.33333·" in long and "3.333333" not in long and "1.0·" not in long
    # e-notation as powers of ten: with a real minus "1e−8" read as 1·e − 8, beside the
    # formulas' 10⁻⁸ (a QA round), in the header and the sentences alike
    scaled = re.sub(r"[\s\u2060]", "", header("1e6*w1^2 + 2.5e-8*w2^2"))
    assert scaled == "f(w1,w2)=106·w12+2.5·10−8·w22", scaled  # (tags and spaces left out)
    assert board_text("The constant factor 1e6 stays in front; 1e-8*w2**2 does not contain "
                      "w1") == "The constant factor 10⁶ stays in front; 10⁻⁸·w2² does not " \
                               "contain w1"
    assert board_text("w1e5 + 3e2x") == "w1e5 + 3e2x"  # (not a number alone)


def test_a_long_result_is_typeset_on_lines_not_wrapped_as_plain_text(qtbot, steps_view_of,
                                                                      controller):
    """In a 1600 × 1000 window's dock the result of exp(−w1² − w2²)·cos(3w1) shrank below
    60 % on one line and fell back to plain text, wrapped inside "cos(3 w1)"."""
    view = steps_view_of(controller, (360, 600))
    controller.set_loss(parse_loss("exp(-w1^2-w2^2)*cos(3*w1)"))
    wait_for(qtbot, view, "w1", str(controller.loss.expr))
    qtbot.waitUntil(lambda: not view.busy, timeout=30000)
    result = view.result
    pm = result.pixmap()
    assert pm is not None and not pm.isNull(), result.text()  # typeset, not plain text
    shown = pm.width() / pm.devicePixelRatio()
    assert shown <= result.width()
    # on lines, at a readable scale: taller than one line of the formula (about the type)
    line = QtGui.QFontInfo(view.font()).pixelSize()
    assert pm.height() / pm.devicePixelRatio() > 3 * line


WAVY = "sin(w1*w2)*exp(-(w1^2+w2^2)/4)+cos(3*w1)*tanh(w2-w1^3)"


def test_a_result_whose_term_is_wider_than_the_box_is_typeset_on_lines(qtbot, steps_view_of,
                                                                      controller):
    """∂f/∂w1 of sin(w1·w2)·e^(−(w1² + w2²)/4) + cos(3w1)·tanh(w2 − w1³) ends in one term,
    "− (3w1²(1 − tanh²(…))·cos(3w1) − 3 sin(3w1)·tanh(…))", wider on its own than the
    result's box in a 1600 × 1000 window's dock: the lines shrank below 60 % and it fell back
    to plain text (from a QA round). That term breaks inside its bracket now."""
    view = steps_view_of(controller, (420, 1000))
    controller.set_loss(parse_loss(WAVY))
    wait_for(qtbot, view, "w1", str(controller.loss.expr))
    view._fit_rows()
    pm = view.result.pixmap()
    assert pm is not None and not pm.isNull(), view.result.text()  # typeset
    assert pm.width() / pm.devicePixelRatio() <= view.result.width()
    line = QtGui.QFontInfo(view.font()).pixelSize()
    assert pm.height() / pm.devicePixelRatio() > 4 * line  # on lines


def test_a_result_in_plain_text_is_never_cut_at_the_box_s_edge(qtbot, steps_view_of,
                                                              controller):
    """Its plain text kept "− (3·w1²·(1 − tanh²(w1³ − w2))·cos(3·w1)" on one line, wider than
    the box, and it was cut off at "cos(3·w", with no scroll bar (from a QA round): a run
    wider than the box breaks at its own spaces, and what cannot break scrolls sideways."""
    view = steps_view_of(controller, (340, 500))  # (a quarter of the tab: plain text)
    controller.set_loss(parse_loss(WAVY))
    wait_for(qtbot, view, "w1", str(controller.loss.expr))
    result, area = view.result, view.result_area
    bar = area.horizontalScrollBar()
    for width in (340, 300, 220):
        view.resize(width, 500)
        qtbot.wait(50)
        view._fit_rows()
        qtbot.wait(50)
        text = result.text()
        assert result.wordWrap() and "cos(3·w1)" in text, width  # plain text
        metrics = result.fontMetrics()
        words = text.split(" ")
        widest = max(metrics.horizontalAdvance(word) for word in words)
        room = result.contentsRect().width() - 2 * result.margin()
        assert widest <= room, (width, widest, room)  # no word runs past the label's edge,
        # and all of the label can be seen, scrolled sideways where it is wider than the box
        assert result.width() <= area.viewport().width() + bar.maximum(), width
        # (a sign stays with its term, a short bracket whole where the line has room)
        assert not {"−", "+", "−\u00a0", "+\u00a0"} & set(words)
        if width == 340:  # (broken between words, no scroll bar, where that is enough)
            assert bar.maximum() == 0 and "tanh²(w1³\u00a0−\u00a0w2)" in text
    def bare(t):
        return "".join(c for c in t if c not in " \u00a0\u2060")
    assert bare(text) == bare(result.toolTip())  # (all of it, nothing dropped)


def test_an_explanation_never_breaks_after_a_slash(qtbot, steps, controller):
    """"the derivative of 1/u is −1/" / "u² by the power rule" at the dock's width."""
    controller.set_loss(parse_loss("1/(1 + exp(-x)) + y"))
    wait_for(qtbot, steps, "x", str(controller.loss.expr))
    rows = []
    stack = [steps.tree.topLevelItem(i) for i in range(steps.tree.topLevelItemCount())]
    while stack:
        item = stack.pop()
        rows.append(steps.tree.itemWidget(item, 0))
        stack += [item.child(i) for i in range(item.childCount())]
    texts = [row.explanation.text() for row in rows if row is not None]
    slashed = [t for t in texts if "/" in t]
    assert slashed and all("/\u2060" in t and "/ " not in t for t in slashed), texts
    assert all(t.count("/") == t.count("/\u2060") for t in slashed)


def test_the_regression_loss_s_result_is_typeset_or_wraps_between_terms(qtbot, steps_view_of,
                                                                        controller):
    """Its ∂f/∂w1 (eight terms, 430 characters) was too long to typeset whole, and shown as
    plain text wrapped inside brackets ("(−0.5" / "w1 + w2 − 0.7)"): its lines are typeset
    now; where they do not fit a quarter of the tab, plain text breaks between terms."""
    from gdviz.core.presets import get_preset
    from gdviz.ui.derivatives import typeset

    loss = parse_loss(get_preset("linear_regression").loss)
    for size, typeset_wanted in (((900, 1400), True), ((360, 600), False)):
        view = steps_view_of(controller, size)
        controller.set_loss(loss)
        wait_for(qtbot, view, "w1", str(loss.expr))
        qtbot.waitUntil(lambda v=view: not v.busy, timeout=30000)
        view._fit_rows()
        pm = view.result.pixmap()
        typeset_shown = pm is not None and not pm.isNull()
        assert typeset_shown == typeset_wanted, size
        if typeset_shown:
            assert pm.height() / pm.devicePixelRatio() <= max(60, view._shown_height() // 4) + 2
        else:  # (a break only between terms: a short bracket's spaces do not break)
            text = view.result.text()
            assert "(−0.5·w1\u00a0+\u00a0w2\u00a0−\u00a00.7)" in text, text
        # (plain text too: scrolled within its quarter; Goldstein–Price's took a third)
        frame = 2 * (view.result.margin() + view.result.frameWidth())
        assert view.result_area.height() <= max(60, view._shown_height() // 4) + frame
    plain = typeset.wrap_between_terms("1/(1 + x) − 3 y")
    assert plain == "1/\u2060(1\u00a0+\u00a0x) −\u00a03 y"
    # copied from the label, it is a loss again (the word joiner was refused)
    assert str(parse_loss(plain.replace("\u00a0", " ")).expr) == str(parse_loss(
        "1/(1 + x) - 3*y").expr)
    # a product of brackets keeps places to break: each bracket joined to the next made one
    # run of 86 characters that a label cannot break
    product = typeset.wrap_between_terms(" ".join(f"(x + {k})" for k in range(1, 10)))
    assert max(len(run) for run in product.split(" ")) <= 2 * typeset.SHORT_BRACKET
    long = typeset.wrap_between_terms("2 (" + " + ".join(f"x{k}" for k in range(30)) + ")")
    assert max(len(run) for run in long.split(" ")) <= 2 * typeset.SHORT_BRACKET


def test_a_long_f_in_the_header_takes_smaller_type_not_the_steps_room(qtbot, steps_view_of,
                                                                       controller):
    """Goldstein–Price in presentation mode: f in large type took eight lines, and the steps
    were left 150 pixels."""
    from gdviz.core.presets import get_preset

    view = steps_view_of(controller, (360, 700))
    controller.set_loss(parse_loss(get_preset("goldstein_price").loss))
    qtbot.waitUntil(lambda: not view.busy, timeout=30000)
    view._fit_rows()
    header = view.header
    assert "font-size:x-large" not in header.text()  # (the case: large, it does not fit)
    assert header.heightForWidth(header.width()) <= 0.25 * view.height()
    controller.set_loss(parse_loss(LECTURE))  # (a short f: large again)
    qtbot.waitUntil(lambda: not view.busy, timeout=30000)
    view._fit_rows()
    assert "font-size:x-large" in header.text()


def test_an_explanation_that_would_be_a_tall_column_beside_its_tag_goes_below(qtbot, steps):
    """Beside "constant factor" in presentation mode's type at 1920 pixels the explanation
    was a column six lines tall (wide enough for 22 letters, so it stayed beside)."""
    from gdviz.ui.derivatives.step_row import EXPLANATION_MOST_LINES

    qtbot.waitUntil(lambda: bool(steps._rows) and not steps.busy, timeout=30000)
    font = QtGui.QFont(steps.font())
    font.setPixelSize(24)
    steps.setFont(font)
    qtbot.waitUntil(lambda: bool(steps._rows) and not steps.busy, timeout=30000)
    steps.resize(620, 700)
    qtbot.waitUntil(lambda: steps.width() < 700, timeout=5000)
    steps._fit_rows()
    for _item, row, _level in steps._rows:
        metrics = row.explanation.fontMetrics()
        beside = row.top.direction() == QtWidgets.QBoxLayout.LeftToRight
        if beside:  # (then it takes no more than that many lines)
            room = row.explanation.width()
            assert metrics.horizontalAdvance(row.explanation.text()) <= \
                EXPLANATION_MOST_LINES * max(room, 1) * 1.05


def test_a_step_row_is_as_tall_as_it_needs_no_more(steps_view_of, controller, qtbot):
    """A row whose explanation went under its tag kept the height its layout guessed for a
    narrower explanation: 274 pixels where it needed 214, a blank gap under the step (the
    tree makes a row as tall as its widget's hint; from a QA round)."""
    from gdviz.ui.derivatives.step_row import StepRow

    controller.set_loss(parse_loss("(w1-1)^2 + 10*w2^2"))
    view = steps_view_of(controller, (360, 900))
    qtbot.waitUntil(lambda: not view.busy and view.derivation is not None, timeout=30000)
    QtWidgets.QApplication.processEvents()
    rows = view.findChildren(StepRow)
    stacked = [r for r in rows if r.top.direction() == QtWidgets.QBoxLayout.TopToBottom]
    assert rows and stacked  # (a long explanation below its tag in a narrow tab)
    for row in rows:
        assert abs(row.height() - row.layout().totalHeightForWidth(row.width())) <= 2, \
            (row.explanation.text()[:30], row.height())
    view._pool.waitForDone(30000)


def test_the_update_line_is_the_run_s_own_step_under_another_optimizer(qtbot, regression,
                                                                      controller):
    """Newton's run showed w − η∇L with η = 1, a step that diverges, where Newton lands on
    the line at once (from a QA round): the update is the run's next point, "Newton's
    step"."""
    import re

    use_as_loss(qtbot, regression, controller)
    controller.update_run(0, optimizer="newton", lr=1.0)
    controller.set_iteration(0)
    regression._update_fit()
    traj = controller.runs[0].trajectory
    text = re.sub("<[^>]+>", " ", regression.pipeline.text()).replace("&nbsp;", " ")
    update = text[text.index("update"):]
    na, nb = (f"{v:.3g}".replace("-", "−") for v in traj.points[1])
    assert f"({na}, {nb})" in update and "Newton" in update and "η∇L" not in update


def test_the_values_of_another_loss_s_mse_are_greyed_under_a_note_that_says_so(
        qtbot, regression, controller):
    """On the lecture's loss the tab read "loss = 0.355", "gradient = (0.807, −0.881)"
    beside the readouts' f = 0.2093: two losses on screen, the note under them (from a QA
    round)."""
    import re

    assert not regression.active
    text = regression.pipeline.text()
    note = text.index("not this data's MSE")
    assert note > text.index("</table>")
    first = re.sub("<[^>]+>", "", text[text.index("</table>"):]).split("<br>")[0]
    assert "not this data's MSE" in first  # (the first note)
    table = text[:text.index("</table>")]
    assert table.count("'>=&nbsp;") == 5  # (each value greyed)


def test_a_refused_mse_leaves_the_run_as_it_was(qtbot, regression, controller, monkeypatch):
    """The run's start moved into the MSE's map waits for the MSE (computed once, on it):
    refused, the run was left half-changed, its start marker moved, its path from the old
    start. Its start and η are put back, its path computed from them."""
    controller.set_start(0, 40.0, -40.0)  # (off the MSE's map: "Use as loss" moves it)
    controller.update_run(0, lr=0.1)
    monkeypatch.setattr(regression, "loss_text", lambda: "x +* y")  # (refused)
    button = regression.findChild(QtWidgets.QPushButton, "useRegressionButton")
    with qtbot.waitSignal(controller.lossFailed, timeout=30000):
        qtbot.mouseClick(button, QtCore.Qt.LeftButton)
    spec, traj = controller.runs[0].spec, controller.runs[0].trajectory
    assert spec.start == (40.0, -40.0) and spec.lr == 0.1
    assert tuple(traj.points[0]) == (40.0, -40.0)
