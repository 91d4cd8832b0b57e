"""Runs, learning rates and presets, driven like a user: add, remove and hide runs, give each
its optimizer and learning rate, see a divergence, load a preset."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtTest, QtWidgets

from gdviz import parse_loss
from gdviz.core.presets import get_preset
from gdviz.ui.controller import MAX_RUNS

Qt = QtCore.Qt


def curve_data(window, i: int = 0) -> np.ndarray:
    x, y = window.loss_plot.curves[i].getData()
    return np.column_stack([x, y]) if x is not None else np.zeros((0, 2))


# -- learning rate, divergence -----------------------------------------------------------------

def test_the_runs_list_and_the_readouts_say_off_the_map_of_the_map_shown(window, qtbot):
    """A run that used its steps and ended past the map says so in both, measured against
    the region the map shows: zoomed out to take its end in, the list still said "off the
    map" beside the readouts' "stopped" (a review)."""
    c = window.controller
    window.load_preset("Lecture")
    window.wait_idle()
    c.set_start(0, 1.5708, 0.2)
    window.wait_idle()
    assert c.runs[0].trajectory.message() == "stopped after 200 steps"
    c.set_iteration(c.max_iteration)
    window.wait_idle()
    last = window.readouts.columnCount() - 1

    def said() -> tuple[str, str]:
        return (window.runs_panel.list.item(0).text(),
                window.readouts.item(0, last).text())

    listed, status = said()
    assert "off the map at (" in listed and status == "off the map", said()
    window.contour.set_range((-10.0, 1000.0), (-100.0, 100.0))  # (as a zoom out does)
    window.contour._on_user_range_changed()
    window.wait_idle()
    assert "off the map" not in said()[0] and said()[1] == "stopped", said()


def test_a_too_large_learning_rate_shows_diverged(window, user, qtbot):
    user.choose("presetCombo", "Sphere")
    window.wait_idle()
    assert window.controller.loss.text.replace(" ", "") == "x**2+y**2"
    spin = user.find("learningRateSpin")
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "5")
    qtbot.keyClick(spin, Qt.Key_Return)
    run = window.controller.runs[0]
    assert run.spec.lr == 5.0
    assert run.trajectory.status == "diverged"
    assert "diverged" in window.runs_panel.list.item(0).text()
    user.focus_window()
    user.key(Qt.Key_End)
    assert window.controller.iteration == window.controller.max_iteration
    status = window.readouts.item(0, window.readouts.columnCount() - 1).text()
    assert "diverged" in status
    # Every view still draws (no NaN/inf reached the plots).
    assert len(curve_data(window)) >= 2
    assert np.isfinite(curve_data(window)).all()
    # Back to a sane learning rate: converges or runs out of steps, no longer diverges.
    spin.setValue(0.1)
    assert window.controller.runs[0].trajectory.status != "diverged"


def test_learning_rate_spin_moves_along_1_2_5(window, user, qtbot):
    spin = user.find("learningRateSpin")
    spin.setValue(0.1)
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key_Up)
    assert spin.value() == pytest.approx(0.2)
    qtbot.keyClick(spin, Qt.Key_Up)
    assert spin.value() == pytest.approx(0.5)
    assert window.controller.runs[0].spec.lr == pytest.approx(0.5)


# -- runs -----------------------------------------------------------------------------------

def test_add_remove_and_hide_runs(window, user):
    c = window.controller
    user.click("addRunButton")
    user.click("addRunButton")
    assert len(c.runs) == 3
    assert window.runs_panel.list.count() == 3
    assert window.readouts.rowCount() == 3
    colors = [r.spec.color for r in c.runs]
    assert len(set(colors)) == 3, "each run has its own colour"
    starts = [tuple(r.spec.start) for r in c.runs]
    assert len(set(starts)) == 3, "new runs start somewhere else"
    for i in range(3):
        assert window.contour.run_items[i]["path"].isVisible()
        assert len(curve_data(window, i)) > 0
    # Hide run 2: untick it in the run list.
    window.runs_panel.list.item(1).setCheckState(Qt.Unchecked)
    assert c.runs[1].spec.visible is False
    assert not window.contour.run_items[1]["path"].isVisible()
    assert not window.contour.run_items[1]["start"].isVisible()
    assert len(curve_data(window, 1)) == 0
    if window.surface.gl_ok:
        assert not window.surface.run_items[1][0].visible()
    assert window.contour.run_items[0]["path"].isVisible()
    # Show it again.
    window.runs_panel.list.item(1).setCheckState(Qt.Checked)
    assert window.contour.run_items[1]["path"].isVisible()
    # Remove the selected run (the last one added).
    assert c.selected == 2
    user.click("removeRunButton")
    assert len(c.runs) == 2
    assert window.runs_panel.list.count() == 2
    assert window.readouts.rowCount() == 2
    assert not window.contour.run_items[2]["path"].isVisible()
    assert [r.spec.color for r in c.runs] == colors[:2]
    # One run always stays.
    user.click("removeRunButton")
    assert len(c.runs) == 1
    assert not user.find("removeRunButton").isEnabled()


def test_runs_are_capped(window, user):
    for _ in range(MAX_RUNS + 2):
        user.click("addRunButton")
    assert len(window.controller.runs) == MAX_RUNS
    assert window.runs_panel.list.count() == MAX_RUNS


def test_each_run_has_its_own_optimizer(window, user):
    c = window.controller
    user.click("addRunButton")
    assert c.selected == 1
    first = c.runs[0].trajectory.points.copy()
    user.choose("optimizerCombo", "Adam")
    assert c.runs[1].spec.optimizer == "adam"
    assert c.runs[0].spec.optimizer == "gd"
    assert np.array_equal(first, c.runs[0].trajectory.points)
    # Selecting a run shows its settings in the editor.
    window.runs_panel.list.setCurrentRow(0)
    assert c.selected == 0
    assert user.find("optimizerCombo").currentData() == "gd"
    window.runs_panel.list.setCurrentRow(1)
    assert user.find("optimizerCombo").currentData() == "adam"
    assert "Adam" in window.runs_panel.list.item(1).text()
    # Momentum shows its own hyperparameter; plain GD does not.
    user.choose("optimizerCombo", "Momentum")
    assert user.find("momentumSpin").isVisible()
    window.runs_panel.list.setCurrentRow(0)
    assert not user.find("momentumSpin").isVisible()


def test_another_optimizer_starts_from_its_own_default_learning_rate(window, user):
    """Newton kept GD's η = 0.3 on the lecture's loss and took 35 steps, where Compare's
    Newton (its default η = 1) took 4: a class would conclude that Newton is slow."""
    from gdviz.core.optimizers import OPTIMIZERS

    c = window.controller
    c.update_run(0, lr=0.3)
    user.choose("optimizerCombo", "Newton")
    assert c.runs[0].spec.optimizer == "newton"
    assert c.runs[0].spec.lr == OPTIMIZERS["newton"].lr == 1.0
    assert user.find("learningRateSpin").value() == pytest.approx(1.0)
    assert "default" in window.statusBar().currentMessage()
    user.find("learningRateSpin").setValue(0.5)  # (tuned by hand: kept while it stays Newton)
    assert "η set to" not in window.statusBar().currentMessage()  # (taken back: 0.5 now)
    user.choose("optimizerCombo", "Newton")
    assert c.runs[0].spec.lr == pytest.approx(0.5)
    user.choose("optimizerCombo", "Adam")
    assert c.runs[0].spec.lr == OPTIMIZERS["adam"].lr
    assert "Ctrl+Z" not in window.statusBar().currentMessage()  # (no undo for it)
    # The preset's own optimizer at the preset's η, as Compare runs it (not GD's 0.1)
    window.load_preset("rastrigin")
    window.wait_idle()
    user.choose("optimizerCombo", "Newton")
    user.choose("optimizerCombo", "Gradient descent")
    assert c.runs[0].spec.lr == 0.002 and "preset" in window.statusBar().currentMessage()


def test_the_selected_optimizer_s_update_rule_is_typeset_under_it(window, user):
    """Lecture point 7 had no formula on screen for Momentum, RMSprop or Adam: their
    equations were only in the code."""
    from gdviz.ui import update_rule

    label = user.find("updateRuleLabel")
    assert label.isVisible() and label.name == "gd"
    label.wait()
    assert not label.pixmap().isNull() and not label.cut
    for key in [k for k in update_rule._TYPESET if r"\beta_1" in k]:
        del update_rule._TYPESET[key]  # (typeset on its pool thread, not here)
    user.choose("optimizerCombo", "Adam")
    assert label.name == "adam" and label.pixmap().isNull()  # plain text meanwhile
    assert "β₁" in label.text() and "m̂" in label.text() and "<br>" in label.text()
    # (its lines in room for them: it kept GD's one line's height, the rest clipped)
    assert label.minimumHeight() >= 4 * label.fontMetrics().lineSpacing()
    label.wait()
    assert not label.pixmap().isNull() and not label.cut
    assert label.height() > 4 * label.fontMetrics().height()  # (its five lines)
    assert "learning rate" in label.toolTip() and "v̂" in label.toolTip()
    window.runs_panel.list.setCurrentRow(0)  # (another run's optimizer: its own rule)
    user.choose("optimizerCombo", "Momentum")
    label.wait()
    assert label.name == "momentum" and "μ" in label.toolTip()
    # Newton's step-halving line was cut at a 1280 × 720 window's sidebar, and the rules
    # were 17-pixel letters beside presentation mode's 24-pixel type
    user.choose("optimizerCombo", "Newton")
    label.wait()
    assert not label.cut and label.lines == 1
    # (|H| read as the determinant: the rule says what it is)
    assert "|H|: H with each eigenvalue λ as |λ|" in label.toolTip()
    from PySide6 import QtGui

    text_px = QtGui.QFontInfo(label.font()).pixelSize()
    assert label.scale * label.em_px >= text_px - 1
    assert label.scale * label.em_px <= 1.6 * text_px + 1  # (nor towering over the rest)


def test_a_scheduled_run_s_update_rule_says_eta_k_and_how_it_is_scheduled(window, user):
    """With a schedule the rule still said "η", where each step took η_k: the rule on screen
    was not the step the run made."""
    from gdviz.ui import update_rule

    label = user.find("updateRuleLabel")
    label.wait()
    assert "ηₖ" not in label.toolTip()
    for key in [k for k in update_rule._TYPESET if "lfloor" in k]:
        del update_rule._TYPESET[key]  # (typeset on its pool thread, not here)
    user.choose("scheduleCombo", "step")
    assert "ηₖ" in label.text() and "ηₖ = η · 0.5^⌊k/25⌋" in label.text()  # (plain, at once)
    label.wait()
    assert not label.pixmap().isNull() and not label.cut
    assert "wₖ₊₁ = wₖ − ηₖ ∇f(wₖ)" in label.toolTip()
    assert "ηₖ = η · 0.5^⌊k/25⌋" in label.toolTip()
    user.find("decaySpin").setValue(0.7)
    window.wait_idle()
    assert "ηₖ = η · 0.7^⌊k/25⌋" in label.toolTip()
    user.choose("scheduleCombo", "cosine")
    label.wait()
    steps = window.controller.runs[0].spec.steps
    assert f"ηₖ = η (1 + cos(πk/{steps}))/2" in label.toolTip()
    user.choose("scheduleCombo", "constant")
    label.wait()
    assert "ηₖ" not in label.toolTip() and "wₖ₊₁ = wₖ − η ∇f(wₖ)" in label.toolTip()


def test_a_run_s_update_rule_names_the_gradient_it_steps_with(window, user):
    """A run stepping with a difference quotient, or with noise, read "∇f(wₖ)" in its rule,
    as if it took the exact gradient (the Regression tab alone said it did not)."""
    label = user.find("updateRuleLabel")
    c = window.controller
    c.update_run(c.selected, gradient="forward", fd_h=0.001)
    window.wait_idle()
    label.wait()
    tip = label.toolTip()
    assert "wₖ₊₁ = wₖ − η g(wₖ)" in tip and "∇f(wₖ)" not in tip
    assert "gᵢ(w) = (f(w + h eᵢ) − f(w))/h" in tip and "h = 0.001" in tip
    assert not label.pixmap().isNull() and not label.cut
    c.update_run(c.selected, gradient="central", fd_h=1e-5, noise=0.5)
    window.wait_idle()
    label.wait()
    tip = label.toolTip()
    assert "qᵢ(w) = (f(w + h eᵢ) − f(w − h eᵢ))/(2h)" in tip and "h = 10⁻⁵" in tip
    assert "g(w) = q(w) + σ ξₖ" in tip and "σ = 0.5" in tip
    # a schedule's line stays next to the update it belongs to, before what g is
    c.update_run(c.selected, schedule="exponential", decay=0.9, fd_h=2.5e-7)
    window.wait_idle()
    label.wait()
    tip = label.toolTip()
    assert tip.index("ηₖ = η · 0.9ᵏ") < tip.index("qᵢ(w)") and "h = 2.5·10⁻⁷" in tip
    c.update_run(c.selected, gradient="symbolic", noise=0.0, schedule="constant")
    window.wait_idle()
    label.wait()
    assert "wₖ₊₁ = wₖ − η ∇f(wₖ)" in label.toolTip() and "g(" not in label.toolTip()


def test_the_step_and_exponential_schedules_numbers_can_be_set(window, user):
    """Step decay was fixed at ×0.5 every 25 steps and exponential at 0.97 a step, but in a
    session file: no control showed or changed them."""
    c = window.controller
    decay, every = user.find("decaySpin"), user.find("decayStepsSpin")
    assert not decay.isVisible() and not every.isVisible()  # (constant: nothing to set)
    user.choose("scheduleCombo", "step")
    assert decay.isVisible() and every.isVisible()
    assert decay.value() == 0.5 and every.value() == 25  # (the defaults, shown)
    every.setValue(10)
    decay.setValue(0.7)
    spec = c.runs[0].spec
    assert (spec.schedule, spec.decay, spec.decay_steps) == ("step", 0.7, 10)
    assert c.runs[0].trajectory.lrs[10] == pytest.approx(0.7 * spec.lr)
    assert ", step ×0.7 every 10" in window.runs_panel.list.item(0).toolTip()
    user.choose("scheduleCombo", "exponential")  # (its own default, not step's 0.7)
    spec = c.runs[0].spec
    assert spec.decay is None and decay.value() == 0.97 and not every.isVisible()
    assert c.runs[0].trajectory.lrs[2] == pytest.approx(0.97 ** 2 * spec.lr)
    user.choose("scheduleCombo", "cosine")
    assert not decay.isVisible()


def test_learning_rate_applies_to_the_selected_run_only(window, user):
    c = window.controller
    user.click("addRunButton")
    lr0 = c.runs[0].spec.lr
    user.find("learningRateSpin").setValue(0.05)
    assert c.runs[1].spec.lr == pytest.approx(0.05)
    assert c.runs[0].spec.lr == lr0


# -- presets -----------------------------------------------------------------------------

def test_choosing_rosenbrock_loads_it_with_log_colours(window, user):
    preset = get_preset("rosenbrock")
    c = window.controller
    for equal_scales in (False, True):
        user.tick("equalScalesCheck", equal_scales)
        user.choose("presetCombo", "Lecture")
        window.wait_idle()
        assert window._log is False
        user.choose("presetCombo", "Rosenbrock")
        window.wait_idle()
        assert c.loss.text == preset.loss
        assert window._log is True
        assert "log" in window.contour.colorbar_label
        # The map shows the preset's domain (with equal axis scales one side shows more).
        (a0, a1), (b0, b1) = window.contour.visible_domain()
        (p0, p1), (q0, q1) = preset.domain
        tol = 1e-6
        assert a0 <= p0 + tol and a1 >= p1 - tol and b0 <= q0 + tol and b1 >= q1 - tol
        assert (a0, a1) == pytest.approx((p0, p1)) or (b0, b1) == pytest.approx((q0, q1))
        if not equal_scales:
            assert (b0, b1) == pytest.approx((q0, q1))
        assert len(c.runs) == 1 and c.runs[0].spec.optimizer == preset.optimizer
        assert c.runs[0].spec.start == pytest.approx(preset.start)
        assert user.find("lossEdit").text() == preset.loss
        assert user.find("optimizerCombo").currentData() == preset.optimizer
        assert "Adam" in window.runs_panel.list.item(0).text()
    # Typing a loss by hand turns the preset menu back to "Custom".
    user.type_loss("x^2 + y^2")
    assert user.find("presetCombo", QtWidgets.QComboBox).currentIndex() == 0


def test_the_map_is_sampled_over_the_whole_visible_region_after_a_preset(window, user):
    # Equal axis scales show more than the preset's domain on one side: that band must be
    # coloured too, not left blank.
    user.tick("equalScalesCheck")
    user.choose("presetCombo", "Rosenbrock")
    window.wait_idle()
    (a0, a1), (b0, b1) = window.contour.visible_domain()
    (g0, g1), (h0, h1) = window.contour.grid.domain
    pad = 0.02 * max(a1 - a0, b1 - b0)
    assert g0 <= a0 + pad and g1 >= a1 - pad and h0 <= b0 + pad and h1 >= b1 - pad, (
        f"map sampled on {((g0, g1), (h0, h1))} but showing {((a0, a1), (b0, b1))}")


def test_a_run_on_a_difference_quotient_or_with_noise_says_so_in_the_list(window, user):
    c = window.controller
    user.click("addRunButton")
    c.update_run(1, gradient="forward", fd_h=0.5)
    c.update_run(0, noise=0.1)
    exact, forward = (window.runs_panel.list.item(i).text() for i in (0, 1))
    assert "forward h=0.5" in forward and "noise" not in forward
    assert "noise σ=0.1" in exact and "forward" not in exact
    c.update_run(0, noise=0.0)
    assert "noise" not in window.runs_panel.list.item(0).text()


def test_runs_differing_in_schedule_or_hyperparameters_read_differently(window, user):
    """Momentum at μ = 0.5 and at 0.9, or GD constant and cosine, read the same in the list."""
    c = window.controller
    user.click("addRunButton")
    c.update_run(0, optimizer="momentum", hyper={"momentum": 0.5})
    c.update_run(1, optimizer="momentum", hyper={"momentum": 0.9}, schedule="cosine")
    first, second = (window.runs_panel.list.item(i).toolTip() for i in (0, 1))
    assert "μ=0.5" in first and "cosine" not in first
    assert "μ=" not in second and ", cosine" in second  # (0.9: the default, not named)
    assert window.runs_panel.list.item(1).text().split("\n")[1] == "cosine"  # (its own line)
    c.update_run(1, schedule="inverse_sqrt")
    assert ", inverse sqrt" in window.runs_panel.list.item(1).toolTip()


def test_the_loss_plot_is_fitted_to_the_runs_that_did_not_diverge(window, user):
    # A diverged run's loss reaches 1e30 and beyond: fitted to it, the loss plot showed the
    # other runs as one flat line at 0.
    c = window.controller
    user.click("addRunButton")
    c.update_run(1, lr=5.0)  # x^2-like near the start: diverges
    assert c.runs[1].trajectory.status == "diverged"
    assert c.runs[0].trajectory.status != "diverged"
    good = c.runs[0].trajectory.losses
    (_, _), (y0, y1) = window.loss_plot.view_range()
    span = float(good.max() - good.min())
    assert y0 <= good.min() and y1 >= good.max()
    assert y1 - y0 < 2 * span  # fitted to the sane run, not to the diverged one
    c.update_run(0, lr=5.0)  # every run diverged: all are shown
    worst = max(float(np.nanmax(np.where(np.isfinite(r.trajectory.losses),
                                         r.trajectory.losses, np.nan))) for r in c.runs)
    assert window.loss_plot.view_range()[1][1] >= worst


@pytest.mark.parametrize("typed, value", [("1e-2", 0.01), ("2.5E-3", 0.0025), ("0.05", 0.05),
                                          ("5e-1", 0.5)])
def test_a_learning_rate_typed_in_scientific_notation_is_read_as_such(window, user, typed,
                                                                       value):
    """Qt's validator read "1e-2" as 12 (it dropped the characters it could not read)."""
    from PySide6 import QtCore

    spin = user.find("learningRateSpin")
    spin.setFocus()
    spin.selectAll()
    user.qtbot.keyClicks(spin.lineEdit(), typed)
    user.qtbot.keyClick(spin, QtCore.Qt.Key.Key_Return)
    c = window.controller
    assert c.runs[c.selected].spec.lr == pytest.approx(value)
    # Letters are refused as they are typed; the value stays.
    spin.selectAll()
    user.qtbot.keyClicks(spin.lineEdit(), "abc")
    user.qtbot.keyClick(spin, QtCore.Qt.Key.Key_Return)
    assert c.runs[c.selected].spec.lr == pytest.approx(value)


def test_a_run_added_beside_a_hidden_one_is_shown(window):
    """Ctrl+N with a hidden run selected added a hidden copy: nowhere on the map."""
    c = window.controller
    c.update_run(c.selected, visible=False)
    added = c.add_run()
    assert c.runs[added].spec.visible and not c.runs[0].spec.visible
    window.wait_idle()
    item = window.runs_panel.list.item(added)
    assert item.checkState() == QtCore.Qt.CheckState.Checked


def test_an_added_noisy_run_has_its_own_seed(window):
    """Two noisy runs from one start differ (the point of stochastic gradient descent): an
    added run copies the selected one's settings but not its noise seed."""
    import numpy as np

    c = window.controller
    c.update_run(c.selected, noise=0.5)
    first = c.selected
    second = c.add_run()
    assert c.runs[second].spec.noise == 0.5
    assert c.runs[second].spec.seed != c.runs[first].spec.seed
    c.update_run(second, start=c.runs[first].spec.start)
    window.wait_idle()
    a, b = c.runs[first].trajectory.points, c.runs[second].trajectory.points
    assert np.array_equal(a[0], b[0]) and not np.array_equal(a[1:5], b[1:5])
    third = c.add_run()
    assert len({c.runs[i].spec.seed for i in (first, second, third)}) == 3


@pytest.mark.parametrize("text, state", [
    ("1e-2", "Acceptable"), ("+1", "Acceptable"), ("0,5", "Acceptable"), ("2e-6", "Acceptable"),
    ("-", "Intermediate"), (".", "Intermediate"), ("1e", "Intermediate"),  # being typed
    ("1,000", "Intermediate"),  # a thousand, or one? (it was read as 1)
    ("1.5e-6", "Intermediate"),  # more digits than the box keeps (it was rounded to 2e-6)
    ("1e5", "Intermediate"),  # beyond the box's range
    ("abc", "Invalid"),
])
def test_what_the_learning_rate_box_accepts(qapp, text, state):
    from gdviz.ui.widgets import LogSpinBox

    box = LogSpinBox(1e-6, 10.0)
    assert box.validate(text, len(text))[0].name == state


@pytest.mark.parametrize("name, typed, value", [
    ("noiseSpin", "1e-2", 0.01),  # (read as 12: Qt dropped the "e" and the "-")
    ("startASpin", "1e3", 1000.0),  # (read as 13)
    ("startBSpin", "-2.5E-1", -0.25),
    ("startASpin", "0,25", 0.25),
])
def test_the_start_and_noise_boxes_read_scientific_notation(window, qtbot, name, typed,
                                                            value):
    box = window.runs_panel.findChild(QtWidgets.QDoubleSpinBox, name)
    box.setValue(0.5)
    box.lineEdit().selectAll()
    QtTest.QTest.keyClicks(box, typed)
    QtTest.QTest.keyClick(box, QtCore.Qt.Key.Key_Return)
    assert box.value() == pytest.approx(value)


def _type_into(box, text: str) -> None:
    box.lineEdit().selectAll()
    QtTest.QTest.keyClicks(box, text)
    QtTest.QTest.keyClick(box, QtCore.Qt.Key.Key_Return)


@pytest.mark.parametrize("language", ["English", "German"])
@pytest.mark.parametrize("typed, value", [("0,95", 0.95), ("0.85", 0.85), ("1,000", None)])
def test_the_hyperparameter_boxes_read_numbers_as_the_learning_rate_box(window, language,
                                                                        typed, value):
    """β₁ typed "0,95" in an English locale, or "0.85" in a German one, became 0 (Qt's own
    box): Adam with β₁ = 0, saved so. "1,000" (a thousand, or one?) keeps the value in
    either, as the Start box does (in an English locale it took it for a thousand)."""
    locale = QtCore.QLocale(getattr(QtCore.QLocale.Language, language))
    c = window.controller
    c.update_run(c.selected, optimizer="adam")
    window.wait_idle()
    beta1 = window.runs_panel.hyper["beta1"]
    start = window.runs_panel.findChild(QtWidgets.QDoubleSpinBox, "startASpin")
    for box in (beta1, start):
        box.setLocale(locale)
        box.setValue(0.5)
        _type_into(box, typed)
        assert box.value() == pytest.approx(0.5 if value is None else value), box.objectName()
    assert c.runs[c.selected].spec.hyper["beta1"] == pytest.approx(value or 0.5)


@pytest.mark.parametrize("language", ["English", "German"])
def test_the_animation_s_frames_per_second_read_either_decimal_sign(window, language):
    """"12.5" frames per second became 12 in a German locale, "12,5" in an English one."""
    from gdviz.ui.classroom import AnimationDialog

    dialog = AnimationDialog(window)
    dialog.fps.setLocale(QtCore.QLocale(getattr(QtCore.QLocale.Language, language)))
    for typed in ("12.5", "12,5"):
        dialog.fps.setValue(10.0)
        _type_into(dialog.fps, typed)
        assert dialog.fps.value() == 12.5, typed
    dialog.deleteLater()


def test_the_learning_rate_box_writes_whole_numbers_as_the_runs_list_does(qapp):
    from gdviz.ui.widgets import LogSpinBox

    box = LogSpinBox(1e-6, 100.0)
    shown = []
    for v in (1.0, 10.0, 0.05, 2.5e-4):
        box.setValue(v)
        shown.append(box.text())
    assert shown == ["1", "10", "0.05", "0.00025"]  # (it wrote "1.0" and "10.0")


def test_a_run_can_be_renamed_and_recoloured_from_the_runs_list(window, monkeypatch):
    """The README listed a colour per run, but only a hand-edited session could set one."""
    from gdviz.ui import run_menu

    c, panel = window.controller, window.runs_panel
    row = c.selected
    run_menu.rename_run(panel, row, "  big\u202e step\n η ")
    assert c.runs[row].spec.name == "big step η"  # (one line; no display controls)
    assert panel.list.item(row).text().startswith("big step η")
    assert window.readouts.item(row, 0).text() == "big step η"
    run_menu.recolor_run(panel, row, "#ff00aa")
    assert c.runs[row].spec.color == "#ff00aa"
    assert window.current_session().runs[row].color == "#ff00aa"  # (saved with the session)
    run_menu.recolor_run(panel, row, "not a colour")
    assert c.runs[row].spec.color == "#ff00aa"
    # The menu's dialogs go through the same functions.
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("", True)))
    panel.list.itemDoubleClicked.emit(panel.list.item(row))
    assert c.runs[row].spec.name == "" and panel.list.item(row).text().startswith("Run ")


def test_a_run_coloured_like_the_plots_ground_is_said_to_be_hard_to_see(window):
    """A run recoloured #ffffff vanished from the loss plot and the 3D view without a word;
    the colour stays the user's."""
    from gdviz.ui import run_menu

    c, panel, bar = window.controller, window.runs_panel, window.statusBar()
    before = c.runs[c.selected].spec.color
    bar.clearMessage()
    run_menu.recolor_run(panel, c.selected, "#0072b2")
    assert "hard to see" not in bar.currentMessage()
    ground = panel.palette().color(QtGui.QPalette.ColorRole.Base).name()
    run_menu.recolor_run(panel, c.selected, ground)
    assert c.runs[c.selected].spec.color == ground
    assert f"Run {c.selected + 1}'s colour {ground} is hard to see" in bar.currentMessage()
    c.update_run(c.selected, color=before)  # (as it was, for the tests after this one)


def test_a_run_can_be_hidden_and_renamed_from_the_keyboard(window, monkeypatch, qtbot):
    """Space plays even in the runs list, and its menu had no Hide: a keyboard user could
    not hide a run; F2 did nothing."""
    from PySide6 import QtCore

    c, panel = window.controller, window.runs_panel
    runs = panel.list
    row = c.selected
    runs.setCurrentRow(row)
    # the menu key asks for the menu where no item may be: it is the current run's
    empty = QtCore.QPoint(runs.viewport().width() - 2, runs.viewport().height() - 2)
    assert runs.itemAt(empty) is None and panel.menu_row(empty) == row
    menu = panel.menu_for(row)
    assert [a.text() for a in menu.actions()][:2] == ["Hide", "Rename…"]
    menu.actions()[0].trigger()
    assert runs.item(row).checkState() == QtCore.Qt.CheckState.Unchecked
    assert not c.runs[row].spec.visible
    menu = panel.menu_for(row)
    assert menu.actions()[0].text() == "Show"
    menu.actions()[0].trigger()
    assert c.runs[row].spec.visible
    # from the keyboard, a current run scrolled out of the list is brought into view, and
    # the menu shown at it (it popped up above the list)
    for _ in range(6):
        c.add_run()
    window.wait_idle()
    runs.setCurrentRow(0)
    QtWidgets.QApplication.processEvents()
    runs.executeDelayedItemsLayout()
    runs.verticalScrollBar().setValue(runs.verticalScrollBar().maximum())
    QtWidgets.QApplication.processEvents()
    assert not runs.viewport().rect().contains(runs.visualItemRect(runs.item(0)))
    shown_at = []

    class Menu:
        def exec(self, where):
            shown_at.append(runs.viewport().mapFromGlobal(where))

    monkeypatch.setattr(panel, "menu_for", lambda row: Menu())
    empty = QtCore.QPoint(runs.viewport().width() - 2, runs.viewport().height() - 2)
    runs.customContextMenuRequested.emit(empty)
    assert shown_at and runs.viewport().rect().contains(shown_at[0])
    assert runs.viewport().rect().contains(runs.visualItemRect(runs.item(0)).center())
    # Shift+F10 (no menu key on most laptops; Qt asks for the menu so on Windows only)
    shown_at.clear()
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is window, timeout=3000)
    runs.setFocus()
    qtbot.waitUntil(runs.hasFocus, timeout=3000)
    qtbot.keyClick(runs, QtCore.Qt.Key.Key_F10, QtCore.Qt.KeyboardModifier.ShiftModifier)
    assert len(shown_at) == 1 and runs.viewport().rect().contains(shown_at[0])
    row = 0
    runs.setCurrentRow(row)
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("by keys", True)))
    assert panel.rename_shortcut.key().toString() == "F2"
    panel.rename_shortcut.activated.emit()
    assert c.runs[row].spec.name == "by keys"


def test_changing_the_optimizer_drops_the_old_one_s_hyperparameters(window):
    c = window.controller
    c.update_run(c.selected, optimizer="adam", hyper={"beta1": 0.8})
    assert c.runs[c.selected].spec.hyper.get("beta1") == 0.8
    c.update_run(c.selected, optimizer="momentum")  # (β₁ stayed, and went into sessions)
    assert "beta1" not in c.runs[c.selected].spec.hyper
    assert "beta1" not in window.current_session().runs[c.selected].hyper
    c.update_run(c.selected, optimizer="gd")


def test_a_number_box_writes_a_decimal_point_in_any_locale(qapp):
    # In a German locale Qt wrote 1.5 as "1,500", which the box read as a thousand and a half
    from PySide6 import QtCore

    from gdviz.ui.widgets import NumberSpinBox

    box = NumberSpinBox(decimals=3, minimum=-1e6, maximum=1e6)
    box.setLocale(QtCore.QLocale(QtCore.QLocale.Language.German, QtCore.QLocale.Country.Germany))
    box.setValue(1.5)
    assert box.text() == "1.500"
    assert box.validate(box.text(), 0)[0].name == "Acceptable"
    assert box.valueFromText(box.text()) == 1.5


def test_a_start_far_off_is_written_without_its_zeros(window, tmp_path):
    """A session starting RMSprop at w1 = 10⁶ on the lecture's map (three decimals) cut
    the Start box's "1000000.000" to "1000000.0(" (a QA round): past the width the box is
    made for, its trailing zeros are left off; a start on the map keeps them."""
    from gdviz.core.session import RunSpec, Session, save_session
    from gdviz.ui.widgets import FITS, NumberSpinBox

    box = NumberSpinBox(decimals=3, minimum=-1e7, maximum=1e7)
    for value, text in ((1e6, "1000000"), (-0.5, "-0.500"), (12.25, "12.250"),
                        (-123456.5, "-123456.5"), (1e6 + 0.125, "1000000.125")):
        box.setValue(value)
        assert box.text() == text and box.valueFromText(text) == value
    path = tmp_path / "far.gdviz"
    save_session(path, Session("w1^4 + w2^4", ((-4.0, 4.0), (-1.5, 2.5)),
                               [RunSpec("rmsprop", 0.01, (1e6, -1.0))]))
    assert window.classroom.sessions.open_path(str(path))
    window.wait_idle()
    a, b = window.runs_panel.start
    assert (a.text(), b.text()) == ("1000000", "-1.000")
    fm = a.fontMetrics()
    shown = a.lineEdit().width()
    assert fm.horizontalAdvance(a.text()) <= max(shown, fm.horizontalAdvance(FITS))


def test_a_start_box_grows_with_its_type(qapp):
    """A fixed 80 px cut "-0.50" (the last digit under the arrows) in presentation mode's
    24-pixel type."""
    from PySide6 import QtGui

    from gdviz.ui.widgets import NumberSpinBox

    box = NumberSpinBox(decimals=3, minimum=-1e6, maximum=1e6)
    box.setValue(-0.5)
    box.fit_width(80)
    assert box.minimumWidth() == 80  # (the app's type: as before)
    font = QtGui.QFont(box.font())
    font.setPixelSize(24)
    box.setFont(font)
    assert box.minimumWidth() > QtGui.QFontMetrics(font).horizontalAdvance("-0.500") + 16


def test_a_constant_loss_keeps_the_variable_names(window):
    """Typing 5 after the lecture's loss renamed the axes x and y (a constant names none)."""
    window.apply_loss_text("sin(w1)*w2*(1-w2)")
    window.wait_idle()
    window.apply_loss_text("5")
    window.wait_idle()
    c = window.controller
    assert c.loss_text == "5" and tuple(c.loss.variables) == ("w1", "w2")
    assert window.contour.axis_label("bottom") == "w1"
    window.apply_loss_text("x^2 + y")  # (a loss that names its own keeps them)
    window.wait_idle()
    assert tuple(c.loss.variables) == ("x", "y")


def test_a_spike_of_one_run_does_not_flatten_the_others(window, qtbot):
    """A run thrown uphill for a few steps (the lecture's loss from (0.96, −0.06) at η = 0.3:
    f up to ~750, then back within ±0.25) flattened every other curve to a line at 0: it
    leaves the frame, marked where it goes out at the top."""
    c = window.controller
    window.runs_panel.add_button.click()
    c.update_run(1, start=(0.96, -0.06), lr=0.3)
    spiky = c.runs[1].trajectory
    assert spiky.status != "diverged" and float(np.nanmax(spiky.losses)) > 100
    good = c.runs[0].trajectory.losses
    (_, _), (y0, y1) = window.loss_plot.view_range()
    assert y0 <= good.min() and y1 >= good.max()
    assert y1 - y0 < 10 * float(good.max() - good.min())  # (not 750 tall)
    assert window.loss_plot.clipped
    # a ▲ (▼) where the spike leaves at the top (bottom)
    drawn = []

    class Recorder(QtGui.QPainter):
        def drawPolygon(self, polygon):  # noqa: N802 - Qt's name
            drawn.append([polygon.at(i).y() for i in range(polygon.size())])
            super().drawPolygon(polygon)

    image = QtGui.QImage(window.loss_plot.size(), QtGui.QImage.Format.Format_ARGB32)
    painter = Recorder(image)
    r = window.loss_plot.plot_rect()
    window.loss_plot.paint_data(painter)
    painter.end()
    assert any(min(ys) == r.top() for ys in drawn) and any(max(ys) == r.bottom() for ys in drawn)


def test_a_run_that_climbs_far_above_the_others_leaves_the_frame(window):
    """A run climbing far above the others (η just over the stable limit, "f rising", not
    diverged; Momentum wandering off to f ≈ 3.7·10⁵) flattened the other runs' curves to a
    line at 0: it leaves the frame at the top, marked there, as a diverged run does. Alone,
    or where every run climbs, all of it is in the frame."""
    c = window.controller
    c.set_loss(parse_loss("x^2 + 10*y^2"))
    c.update_run(0, start=(1.0, 1.0), lr=0.05, steps=100)
    window.runs_panel.add_button.click()
    c.update_run(1, start=(1.0, 1.0), lr=0.101, steps=100)  # ("f rising": 11 to 570)
    climbing = c.runs[1].trajectory
    good = c.runs[0].trajectory.losses
    assert climbing.status != "diverged" and climbing.losses[-1] > 30 * good.max()
    (_, _), (y0, y1) = window.loss_plot.view_range()
    assert y0 <= good.min() and good.max() <= y1 < 2 * good.max()
    c.update_run(0, lr=0.1015)  # (both climbing: no run to fit the frame to but them)
    (_, _), (y0, y1) = window.loss_plot.view_range()
    assert y1 >= climbing.losses[-1]
    c.update_run(0, lr=0.05)
    c.update_run(1, visible=False)
    (_, _), (y0, y1) = window.loss_plot.view_range()
    assert y1 < 2 * good.max()
    c.update_run(1, visible=True)
    c.remove_run(0)  # (alone: all of it)
    (_, _), (y0, y1) = window.loss_plot.view_range()
    assert y1 >= climbing.losses[-1]


def test_the_log_scale_is_not_flattened_by_a_spike(window):
    """log₁₀(f − min f) took min f from the spiking run's −312: every run sat at 2.4774 to
    2.4779. The floor is the lowest value that is no spike's."""
    c = window.controller
    window.runs_panel.add_button.click()
    c.update_run(1, start=(0.96, -0.06), lr=0.3)
    window.loss_plot.set_log(True)
    window.loss_plot.set_runs(c.runs)
    good = window.loss_plot.curves[0].y
    assert np.isfinite(good).all() and float(np.ptp(good)) > 2  # decades, not a flat line


def test_a_positive_loss_s_log_scale_is_log_f_itself(window):
    """Less the lowest value plotted (the best run's own last one), Adam's curve on
    Rosenbrock dived to log₁₀ 10⁻¹² at its last step, as if it converged there (f = 1.3·10⁻⁷
    is −6.9). Where f is above 0 everywhere the plot is log₁₀ f; else f − min f, as before."""
    window.load_preset("rosenbrock")
    window.wait_idle()
    plot = window.loss_plot
    plot.set_log(True)
    plot.set_runs(window.controller.runs)
    run = window.controller.runs[0].trajectory
    assert run.losses.min() > 0 and plot.positive
    np.testing.assert_allclose(plot.curves[0].y, np.log10(run.losses))
    assert plot.axis_label("left") == "log₁₀ f"
    window.apply_loss_text("sin(w1)*w2*(1 - w2)")  # (below 0: f − min f)
    window.wait_idle()
    plot.set_runs(window.controller.runs)
    assert not plot.positive and plot.axis_label("left") == "log₁₀(f − min f)"
    losses = window.controller.runs[0].trajectory.losses
    assert plot.curves[0].y[0] > plot.curves[0].y[-1] and losses.min() < 0
    # A minimum above 0 (linear regression's 0.0106): f − min f, or log₁₀ f flattens at
    # log₁₀ f* and the rate is unseen; the best run's last point one step down its line,
    # not dived to the floor 12 decades down
    window.load_preset("linear_regression")
    window.wait_idle()
    plot.set_runs(window.controller.runs)
    y = plot.curves[0].y
    assert not plot.positive and y[0] - y[-1] > 4, (y[0], y[-1])
    assert y[-2] - y[-1] < 2.5, (y[-2], y[-1])
    plot.set_log(False)


def test_one_run_s_single_step_to_the_minimum_does_not_flatten_the_others(window):
    """Newton reaches linear regression's minimum in one step, from 9.19 to 0.0106: that
    fall was put under every curve of the log scale, and a comparison's seven runs lay flat
    at log₁₀ 9.2 (0.95 to 1.27 on the axis). The others' approach shows in decades."""
    window.load_preset("linear_regression")
    window.wait_idle()
    c = window.controller
    window.runs_panel.add_button.click()
    c.update_run(1, optimizer="newton", lr=1.0)
    window.wait_idle()
    assert c.runs[1].trajectory.stop_step <= 2  # (the premise: one big step to the minimum)
    plot = window.loss_plot
    plot.set_log(True)
    plot.set_runs(c.runs)
    gd = plot.curves[0].y
    assert not plot.positive and gd[0] - gd[-1] > 4, (gd[0], gd[-1])
    plot.set_log(False)


def test_the_panel_shows_a_run_s_values_beyond_its_boxes_as_they_are(window):
    """A session or the command line may hold what the boxes' ranges do not: η = 10⁻⁹ showed
    as 0.000001, 500 as 100, 50,000 steps as 20,000, noise 500 as 100, β₁ = 0.99999 as
    0.9999 (the runs themselves were right; what the panel said was not)."""
    from gdviz.core.session import RunSpec, Session

    window.apply_session(Session(loss="x^2 + y^2", domain=((-2.0, 2.0), (-2.0, 2.0)), runs=[
        RunSpec("gd", 1e-9, (1.0, 1.0), steps=50000, noise=500.0),
        RunSpec("adam", 500.0, (1.0, 1.0), steps=10, hyper={"beta1": 0.99999}),
    ]))
    window.wait_idle()
    panel = window.runs_panel
    assert float(panel.lr.cleanText()) == 1e-9 and panel.lr.value() == 1e-9
    assert panel.steps.value() == 50000 and panel.noise.value() == 500.0
    window.controller.select(1)
    assert panel.lr.value() == 500.0
    assert panel.hyper["beta1"].value() == 0.99999
    assert panel.hyper["beta1"].cleanText() == "0.99999"
    assert [r.spec.lr for r in window.controller.runs] == [1e-9, 500.0]  # (unchanged)


def test_a_run_s_status_has_a_line_of_its_own_in_the_list(window):
    """On one line the title was cut at the sidebar's edge at 1280 × 720: "Run 1 · Gradient
    descent η=0.3 — c…", the status lost. The tooltip keeps the title on one line."""
    item = window.runs_panel.list.item(0)
    first, second = item.text().split("\n")
    assert first.startswith("Run 1 · ") and " — " not in item.text()
    assert second == window.controller.runs[0].trajectory.message().split(":")[0]
    assert item.toolTip() == f"{first} — {item.text().split(chr(10), 1)[1]}"
    fm = window.runs_panel.list.fontMetrics()
    assert fm.horizontalAdvance(second) < window.runs_panel.list.viewport().width() - 40


def test_a_title_too_wide_for_the_list_wraps_rather_than_losing_its_rate(window, qtbot):
    """In presentation mode's type Rastrigin's run read "Run 1 · Gradient descent η=0.0…":
    η = 0.002 cut to look like 0."""
    window.load_preset("rastrigin")
    window.wait_idle()
    panel = window.runs_panel
    font = QtGui.QFont(panel.list.font())
    font.setPixelSize(2 * QtGui.QFontInfo(font).pixelSize())
    panel.list.setFont(font)
    qtbot.wait(50)
    first = panel.list.item(0).text().split("\n")[0]
    fm = QtGui.QFontMetrics(font)
    assert fm.horizontalAdvance(first) > panel.list.viewport().width() - 40  # (the case)
    rect = panel.list.visualItemRect(panel.list.item(0))
    # (the title wrapped onto a line of its own: three lines with the status, none cut)
    assert rect.height() >= 3 * fm.lineSpacing(), (rect.height(), fm.lineSpacing())
    # (and the list as tall as the wrapped row, where the sidebar squeezes it to its least:
    # at 1920 × 1080 half of a third line was cut)
    qtbot.wait(50)
    assert panel.list.minimumHeight() >= rect.height() + 2 * panel.list.frameWidth()


@pytest.mark.parametrize("preset, typed", [("matyas", "x/0"), ("rosenbrock", "x**")])
def test_a_refused_loss_typed_before_a_preset_s_loss_arrives_leaves_the_preset(
        window, preset, typed):
    """The preset's run replaced the runs at once; a text typed before its loss arrived
    replaced that loss's compile, and was refused: the run stayed uncomputed, on the loss
    before the preset (from a start outside its map), until something changed."""
    from gdviz.core.grid import check_domain
    from gdviz.core.presets import get_preset

    window.load_preset(preset)
    window.apply_loss_text(typed)  # (before the preset's loss has compiled)
    window.wait_idle()
    c = window.controller
    assert c.loss_text == get_preset(preset).loss
    assert c.domain == check_domain(get_preset(preset).domain)
    assert all(r.trajectory is not None for r in c.runs)
    assert c.max_iteration == len(c.runs[0].trajectory.points) - 1


def test_past_a_divergence_the_tabs_show_the_run_s_last_point_not_its_start(window):
    """Nesterov on sqrt(x) + (y − 1)² steps to a NaN point at step 17: the lecture tabs
    (through current_point) showed the start (2, 0.2), as if the run were there."""
    c = window.controller
    window.apply_loss_text("sqrt(x) + (y-1)^2")
    window.wait_idle()
    c.update_run(c.selected, optimizer="nesterov", lr=0.05, start=(2.0, 0.2), steps=200)
    window.wait_idle()
    traj = c.runs[c.selected].trajectory
    assert traj.status == "diverged" and not np.isfinite(traj.points[-1]).all()
    assert "undefined (not a number)" in traj.message()
    c.set_iteration(len(traj.points) - 1)
    assert c.current_point() == tuple(float(v) for v in traj.points[-2])
    c.set_iteration(3)
    assert c.current_point() == tuple(float(v) for v in traj.points[3])


def _enter(box, text: str) -> None:
    """Type ``text`` over what ``box`` (a spin box) shows, and press Enter."""
    from PySide6 import QtCore, QtTest

    box.setFocus()
    box.selectAll()
    QtTest.QTest.keyClicks(box, text)
    QtTest.QTest.keyClick(box, QtCore.Qt.Key.Key_Return)


def test_a_number_out_of_a_box_s_range_is_refused_and_said(window, qtbot):
    """η = 1000, 0 or 1e-8 put 0.3 back without a word; 50,000 steps became 5000 (its fifth
    digit not taken). Now the box keeps its value and the status bar says why; each box's
    tooltip names its range."""
    from PySide6 import QtCore, QtTest, QtWidgets

    c = window.controller
    lr_before, steps_before = c.runs[c.selected].spec.lr, c.runs[c.selected].spec.steps
    bar = window.statusBar()
    for name, text, words in (("learningRateSpin", "1000", "from 1e−6 to 100: 1000"),
                              ("learningRateSpin", "0", "0 was not taken"),
                              ("stepsSpin", "500000", "from 1 to 100,000: 500000"),
                              # (grouped as its tooltip writes it: "50,00" was read as 5000)
                              ("stepsSpin", "500,000", "from 1 to 100,000: 500,000"),
                              # (Qt dropped what it could not read: 2.5 became 25 steps,
                              # −3 became 3, and 1e4 became 14)
                              ("stepsSpin", "2.5", "a whole number: 2.5 was not taken"),
                              # (a decimal comma, as the η box reads it: they became 25
                              # and 5 steps)
                              ("stepsSpin", "2,5", "a whole number: 2,5 was not taken"),
                              ("stepsSpin", "0,5", "from 1 to 100,000: 0,5 was not taken"),
                              ("stepsSpin", "-3", "from 1 to 100,000: -3"),
                              ("stepsSpin", "1e6", "from 1 to 100,000: 1e6")):
        box = window.findChild(QtWidgets.QAbstractSpinBox, name)
        box.setFocus()
        box.selectAll()
        QtTest.QTest.keyClicks(box, text)
        assert box.lineEdit().text() == text  # (typed whole: "50000", not "5000")
        QtTest.QTest.keyClick(box, QtCore.Qt.Key.Key_Return)
        assert words in bar.currentMessage(), bar.currentMessage()
        assert "it stays" in bar.currentMessage()
    spec = c.runs[c.selected].spec
    assert (spec.lr, spec.steps) == (lr_before, steps_before)
    _enter(window.runs_panel.steps, "1,500")  # (grouped thousands are a count still)
    window.wait_idle()
    assert c.runs[c.selected].spec.steps == 1500
    _enter(window.runs_panel.steps, "1e3")  # (in scientific notation, as η: 1e4 is 10,000)
    window.wait_idle()
    assert c.runs[c.selected].spec.steps == 1000
    c.update_run(c.selected, steps=steps_before)
    window.wait_idle()
    assert "(1 to 100,000)" in window.runs_panel.steps.toolTip()
    assert "(1e−6 to 100)" in window.runs_panel.lr.toolTip()
    _enter(window.runs_panel.lr, "0.05")
    window.wait_idle()
    assert c.runs[c.selected].spec.lr == 0.05
    assert "was not taken" not in bar.currentMessage()  # (taken back)
    density = window.findChild(QtWidgets.QAbstractSpinBox, "fieldDensitySpin")
    before = density.value()
    window.view_options.show()
    density.setFocus()
    density.selectAll()
    QtTest.QTest.keyClicks(density, "500")  # (became 50 without a word)
    QtTest.QTest.keyClick(density, QtCore.Qt.Key.Key_Return)
    assert density.value() == before and "from 4 to 64: 500" in bar.currentMessage()
    assert "(4 to 64)" in density.toolTip()


def test_how_a_run_differs_has_a_line_of_its_own_in_the_list(window):
    """A run on a difference quotient read "Run 2 · Gradient descent η=0.3, for…" at
    1280 × 720: cut at the sidebar's edge, nothing said which run was the numerical one."""
    from gdviz.ui.runs_panel import run_title

    c = window.controller
    c.update_run(c.selected, gradient="forward", fd_h=0.5, schedule="cosine")
    window.wait_idle()
    item = window.runs_panel.list.item(c.selected)
    lines = item.text().split("\n")
    assert len(lines) == 3 and lines[1] == "cosine, forward h=0.5", lines
    assert lines[0].endswith("η=" + window.runs_panel.lr.text())
    fm = window.runs_panel.list.fontMetrics()
    room = window.runs_panel.list.viewport().width() - 40  # (the tick box and the colour)
    assert fm.horizontalAdvance(lines[1]) < room
    assert item.toolTip() == run_title(c.selected, c.runs[c.selected])
    # (the list's room counted every row as the first's two lines: a third went unseen)
    runs_list = window.runs_panel.list
    heights = [runs_list.sizeHintForRow(i) for i in range(runs_list.count())]
    assert runs_list.minimumHeight() >= min(runs_list.maximumHeight(), sum(heights))
    # (room for two of its tallest rows: 120 pixels showed a three-line row's first line
    # alone in presentation mode's type)
    assert runs_list.maximumHeight() >= 2 * max(heights)
    c.update_run(c.selected, optimizer="nesterov")
    window.wait_idle()
    assert item.text().split("\n")[0].endswith("Nesterov η=" + window.runs_panel.lr.text())
    assert ", cosine, forward h=0.5 — " in item.toolTip()  # (one line, as before)
    c.update_run(c.selected, gradient="symbolic", schedule="constant")
    window.wait_idle()
    assert len(item.text().split("\n")) == 2  # (nothing else to say: two lines)


def test_a_learning_rate_is_written_alike_in_the_list_the_box_and_compare(window):
    """η = 10⁻⁹: the runs list wrote "η=1e-09", the box 0.000000001, Compare "1e-09"."""
    from gdviz.ui.runs_panel import run_title

    c = window.controller
    c.update_run(c.selected, lr=1e-9)
    window.wait_idle()
    assert "η=1e−9 " in run_title(c.selected, c.runs[c.selected])
    assert window.runs_panel.lr.text() == "1e-9"
    c.update_run(c.selected, lr=1e7)
    window.wait_idle()
    assert "η=1e7 " in run_title(c.selected, c.runs[c.selected])
    assert window.runs_panel.lr.text() == "1e7"
    assert window.classroom.compare.lr_text(c.runs[c.selected].spec)[0] == "1e7"


def test_the_refused_text_keeps_its_error_when_the_earlier_loss_arrives(window, user, qtbot):
    """The loss applied before (still compiling) arrives after the refused text: it cleared
    the error, leaving the refused text in the box, unexplained, beside another loss."""
    user.focus_window()
    window.apply_loss_text("1/(x^2+y^2)")  # compiling…
    user.type_loss("x**", enter=False)
    edit = user.find("lossEdit")
    qtbot.keyClick(edit, QtCore.Qt.Key.Key_Return)
    window.wait_idle()
    assert window.controller.loss_text == "1/(x^2+y^2)"
    assert edit.text() == "x**"
    error = user.find("lossError", QtWidgets.QLabel)
    assert error.isVisible() and error.text(), "the refused text's error was cleared"


def test_a_loss_applied_after_a_refused_one_ends_the_refusal(window, user):
    """failed_apply stayed True after a later loss was applied: the loss box's error is kept
    while it is True and the box's text is not the loss shown."""
    user.type_loss("x**")
    assert window.controller.failed_apply
    user.type_loss("x^2 + y^2")
    assert window.controller.loss_text == "x^2 + y^2"
    assert not window.controller.failed_apply


def test_the_update_rule_s_stand_in_text_writes_real_minus_signs():
    """Shown until the rule is typeset: "wₖ₊₁ = wₖ - η ∇f(wₖ)", a hyphen for the minus."""
    from gdviz.core.optimizers import OPTIMIZERS
    from gdviz.ui.numbers import typed_number
    from gdviz.ui.update_rule import plain_equations

    assert plain_equations("gd") == "wₖ₊₁ = wₖ − η ∇f(wₖ)"
    assert all("-" not in plain_equations(name) for name in OPTIMIZERS)
    assert [typed_number(v) for v in (0.05, 2.5e-4, 1e-9, 1e7, 0.1 + 0.2)] == [
        "0.05", "0.00025", "1e−9", "1e7", "0.3"]


def test_an_added_run_starts_at_a_tidy_point(window):
    """Ctrl+N on Himmelblau started a run at (−0.6500000000000004, 0.5499999999999989): the
    boxes showed −0.650, the session file the float noise."""
    window.load_preset("himmelblau")
    window.wait_idle()
    c = window.controller
    for _ in range(3):
        c.add_run()
    window.wait_idle()
    for run in c.runs[1:]:
        for v in run.spec.start:
            assert repr(v) == repr(float(f"{v:.9g}")), run.spec.start
