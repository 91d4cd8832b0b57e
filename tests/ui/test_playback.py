"""Playback: play, pause, step, step back, reset, scrubber, speed, several runs in sync."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6 import QtCore, QtTest, QtWidgets

from gdviz.ui import MainWindow

Qt = QtCore.Qt


@pytest.fixture(scope="module")
def shared_window(qapp, tmp_path_factory):
    """One window for the whole module: playback never changes the loss, so a reset between
    tests (below) is enough, and it saves building a window (seconds) per test."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path_factory.mktemp("settings")))
        w = MainWindow()
        w.show()
        w.wait_idle()
        yield w, w.controller.runs[0].spec
        w.controller.pause()
        w.close()
    w.deleteLater()


@pytest.fixture
def window(shared_window, qtbot):
    """The shared window, back to how it opened: one run, step 0, paused, 10 steps/s."""
    w, spec = shared_window
    c = w.controller
    c.pause()
    while len(c.runs) > 1:
        c.remove_run(len(c.runs) - 1)
    c.runs[0].spec = spec
    c.select(0)
    c.recompute()
    w.playback.speed.setValue(10)
    w.view_options.arrows.setChecked(True)
    c.reset()
    assert QtTest.QTest.qWaitForWindowExposed(w)
    assert c.iteration == 0 and len(c.runs) == 1
    yield w
    c.pause()


def shown_k(window, run: int = 0) -> int:
    """The iteration the 2D map shows for ``run`` (its path has k + 1 points)."""
    x, _y = window.contour.run_items[run]["path"].getData()
    return 0 if x is None else len(x) - 1


def readout_k(window, run: int = 0) -> int:
    return int(window.readouts.item(run, 1).text())


def assert_everything_at(window, user, k: int) -> None:
    """Every view and control shows iteration ``k`` (each run clamped to its own length)."""
    c = window.controller
    assert c.iteration == k
    assert user.find("iterationSlider").value() == k
    assert window.playback.label.text().startswith(f"k = {k} /")
    assert window.loss_plot.marker.value() == k
    for i, run in enumerate(c.runs):
        own = min(k, run.length - 1)
        assert shown_k(window, i) == own, f"map shows run {i + 1} at the wrong step"
        assert readout_k(window, i) == own, f"readouts show run {i + 1} at the wrong step"
        x, y = window.contour.run_items[i]["current"].getData()
        assert (x[0], y[0]) == pytest.approx(tuple(run.trajectory.points[own]))
        if window.surface.gl_ok:
            dot = window.surface.run_items[i][1]
            (a0, a1), (b0, b1) = window.surface._grid.domain
            pa, pb = run.trajectory.points[own]
            if not (a0 <= pa <= a1 and b0 <= pb <= b1):
                assert len(dot.pos) == 0  # off the drawn surface: no dot floating in space
                continue
            assert len(dot.pos) == 1
            surf_x, surf_y = window.surface._to_gl(pa, pb, 0.0)[:2]
            assert dot.pos[0][:2] == pytest.approx((surf_x, surf_y))


def test_play_advances_and_pause_holds(window, user, qtbot):
    c = window.controller
    user.click("playButton")
    assert c.playing
    assert user.find("playButton").accessibleName() == "pause"
    qtbot.waitUntil(lambda: c.iteration >= 3, timeout=10000)
    user.click("playButton")
    assert not c.playing
    assert user.find("playButton").accessibleName() == "play"
    k = c.iteration
    qtbot.wait(300)
    assert c.iteration == k
    assert_everything_at(window, user, k)


def test_step_step_back_and_reset(window, user):
    user.click("stepButton")
    assert_everything_at(window, user, 1)
    user.click("stepButton")
    user.click("stepButton")
    assert_everything_at(window, user, 3)
    user.click("stepBackButton")
    assert_everything_at(window, user, 2)
    user.click("resetButton")
    assert_everything_at(window, user, 0)
    user.click("stepBackButton")  # nothing before step 0
    assert_everything_at(window, user, 0)


def test_step_pauses_playback(window, user, qtbot):
    c = window.controller
    user.click("playButton")
    qtbot.waitUntil(lambda: c.iteration >= 2, timeout=10000)
    user.click("stepButton")
    assert not c.playing
    k = c.iteration
    qtbot.wait(200)
    assert c.iteration == k


def test_keyboard_shortcuts_drive_playback(window, user):
    user.focus_window()
    user.key(Qt.Key_Right)
    user.key(Qt.Key_Right)
    assert_everything_at(window, user, 2)
    user.key(Qt.Key_Left)
    assert_everything_at(window, user, 1)
    user.key(Qt.Key_End)
    assert_everything_at(window, user, window.controller.max_iteration)
    user.key(Qt.Key_Home)
    assert_everything_at(window, user, 0)


def test_the_scrubber_jumps(window, user):
    slider = user.find("iterationSlider")
    assert slider.maximum() == window.controller.max_iteration
    slider.setValue(37)
    assert_everything_at(window, user, 37)
    slider.setValue(5)
    assert_everything_at(window, user, 5)


def test_the_scrubber_follows_the_keyboard(window, user, qtbot):
    slider = user.find("iterationSlider")
    slider.setFocus()
    qtbot.keyClick(slider, Qt.Key_PageDown)  # its page step: 10 iterations on (a clicker's "next")
    assert window.controller.iteration == 10
    assert_everything_at(window, user, 10)
    qtbot.keyClick(slider, Qt.Key_PageUp)
    assert window.controller.iteration == 0


def test_page_down_goes_on_from_anywhere_as_a_clicker_s_next(window, user, qtbot):
    """A presentation clicker's "next" sends PgDn, and PgDn went ten steps back: the teacher
    walked the descent backwards (Ctrl+PgDn was already the next tab)."""
    user.focus_window()
    user.key(Qt.Key_PageDown)
    assert window.controller.iteration == 10
    user.key(Qt.Key_PageDown)
    assert window.controller.iteration == 20
    user.key(Qt.Key_PageUp)
    assert window.controller.iteration == 10


def test_several_runs_stay_in_sync(window, user, qtbot):
    c = window.controller
    user.click("addRunButton")
    user.click("addRunButton")
    assert len(c.runs) == 3
    assert window.readouts.rowCount() == 3
    assert_everything_at(window, user, 0)
    user.click("stepButton")
    user.click("stepButton")
    assert_everything_at(window, user, 2)
    user.click("playButton")
    qtbot.waitUntil(lambda: c.iteration >= 6, timeout=10000)
    user.click("playButton")
    assert_everything_at(window, user, c.iteration)
    user.find("iterationSlider").setValue(c.max_iteration)
    assert_everything_at(window, user, c.max_iteration)
    user.click("resetButton")
    assert_everything_at(window, user, 0)


def test_speed_slider_sets_the_timer(window, user):
    c = window.controller
    speed = user.find("speedSlider")
    assert (speed.minimum(), speed.maximum()) == (1, 120)
    speed.setValue(5)
    assert c.speed == 5
    assert c._timer.interval() == 200
    speed.setValue(50)
    assert c._timer.interval() == 20
    speed.setValue(120)
    assert c.speed == 120
    assert c._timer.interval() >= 16  # never faster than a frame (then several steps a tick)
    assert window.playback.speed_label.text() == "120/s"


def test_playback_speed_holds_when_frames_are_slow(window, user, qtbot):
    c = window.controller

    def slow_frame(_k):  # a slow machine: every frame costs 40 ms more to draw
        time.sleep(0.04)

    c.iterationChanged.connect(slow_frame)
    try:
        user.find("speedSlider").setValue(40)
        user.click("playButton")
        start = time.perf_counter()
        qtbot.wait(1500)
        user.click("playButton")
        elapsed = time.perf_counter() - start
    finally:
        c.iterationChanged.disconnect(slow_frame)
    rate = c.iteration / elapsed
    assert rate == pytest.approx(40, rel=0.25), f"played {rate:.1f} steps/s at 40/s"


def test_play_stops_at_the_end(window, user, qtbot):
    c = window.controller
    last = c.max_iteration
    user.find("iterationSlider").setValue(last - 5)
    user.find("speedSlider").setValue(60)
    user.click("playButton")
    qtbot.waitUntil(lambda: not c.playing, timeout=10000)
    assert c.iteration == last
    assert user.find("playButton").accessibleName() == "play"
    assert_everything_at(window, user, last)
    # The last step shows the run's final status.
    # (a word in the cell, the step being in k beside it; the whole message in the tooltip)
    status = window.readouts.item(0, window.readouts.columnCount() - 1).text()
    message = c.runs[0].trajectory.message()
    assert status == message.split(" ")[0] and status in ("converged", "stopped", "diverged")
    assert message in window.readouts.toolTip()
    # Playing again from the end starts over.
    user.click("playButton")
    assert c.playing
    qtbot.waitUntil(lambda: 0 < c.iteration < last, timeout=10000)
    user.click("playButton")


def test_changing_a_run_keeps_playback_in_range(window, user):
    c = window.controller
    user.find("iterationSlider").setValue(c.max_iteration)
    user.find("stepsSpin").setValue(20)  # fewer steps: the current iteration must follow
    assert c.max_iteration <= 20
    assert_everything_at(window, user, c.max_iteration)


def test_step_arrows_follow_the_current_point(window, user):
    user.find("iterationSlider").setValue(4)
    traj = window.controller.runs[0].trajectory
    arrows = window.contour.run_items[0]["arrows"]
    x, y = arrows["step"].getData()
    assert (x[0], y[0]) == pytest.approx(tuple(traj.points[4]))
    assert (x[1], y[1]) == pytest.approx(tuple(traj.points[5]))
    gx, gy = arrows["gradient"].getData()
    assert (gx[0], gy[0]) == pytest.approx(tuple(traj.points[4]))
    drawn = np.array([gx[1] - gx[0], gy[1] - gy[0]])
    g = traj.gradients[4]
    assert np.dot(drawn, g) / (np.linalg.norm(drawn) * np.linalg.norm(g)) == pytest.approx(1)
    # The arrows toggle hides them.
    window.view_options.arrows.setChecked(False)
    for item in arrows.values():
        x, _ = item.getData()
        assert x is None or len(x) == 0


def test_a_hidden_run_does_not_drive_playback(window):
    """A hidden run of 3000 steps beside a shown one of ~160: End and Play went to k = 3000,
    with nothing moving on the map for 2800 steps."""
    from gdviz.core.session import RunSpec

    c = window.controller
    first = len(c.runs[0].trajectory.points) - 1
    long = c.add_run(RunSpec(optimizer="gd", lr=1e-4, start=(1.0, 0.5), steps=3000))
    window.wait_idle()
    assert c.max_iteration == 3000
    c.set_iteration(3000)
    c.update_run(long, visible=False)
    assert c.max_iteration == first and c.iteration == first
    c.update_run(long, visible=True)
    assert c.max_iteration == 3000
    for i in range(len(c.runs)):  # all hidden: playback still covers them
        c.update_run(i, visible=False)
    assert c.max_iteration == 3000
    c.remove_run(long)
    c.update_run(0, visible=True)


def test_in_presentation_mode_the_clicker_steps_playback_from_any_control(window, user, qtbot,
                                                                          monkeypatch):
    """After the teacher set η (Enter) or moved a slider, the clicker's "next" (PgDn) set η
    to 0.001 or moved the slider, and its Space went into the η box: playback stood still.
    Outside presentation mode a focused control keeps PgDn (a keyboard user's)."""
    p = window.classroom.presentation
    c = window.controller
    c.set_iteration(0)
    user.focus_window()  # (the window active: run alone, its shortcuts never fired)
    eta = user.find("learningRateSpin")
    before = eta.value()
    monkeypatch.setattr(p, "active", True)  # (presentation mode's keys, not its full screen)
    eta.setFocus()
    qtbot.keyClick(eta, Qt.Key_PageDown)
    assert c.iteration == 10 and eta.value() == before  # (the clicker's, even in the box)
    qtbot.keyClick(eta, Qt.Key_Return)
    qtbot.waitUntil(lambda: QtWidgets.QApplication.focusWidget() is not eta, timeout=2000)
    user.key(Qt.Key_PageDown)
    assert c.iteration == 20 and eta.value() == before
    speed = user.find("speedSlider")
    speed.setFocus()
    value = speed.value()
    qtbot.keyClick(speed, Qt.Key_PageUp)
    assert c.iteration == 10 and speed.value() == value
    monkeypatch.undo()  # (outside it: the focused slider's own page step)
    speed.setFocus()
    qtbot.keyClick(speed, Qt.Key_PageUp)
    assert c.iteration == 10 and speed.value() != value
    speed.setValue(value)


def test_in_presentation_mode_a_loss_applied_with_enter_hands_the_keys_back(window, user,
                                                                            qtbot, monkeypatch):
    """After the teacher typed a loss and pressed Enter, Space typed into the box and the
    arrows moved its cursor: playback stood still. A refused loss keeps the box focused (to
    be mended), and outside presentation mode the box keeps the keys (a student iterating)."""
    p = window.classroom.presentation
    edit = user.find("lossEdit")
    monkeypatch.setattr(p, "active", True)  # (presentation mode's keys, not its full screen)
    user.focus_window()
    user.type_loss("x^2 + 3*y^2")
    assert window.controller.loss.text == "x^2 + 3*y^2"
    qtbot.waitUntil(lambda: not edit.hasFocus(), timeout=3000)
    user.key(Qt.Key_Space)
    assert window.controller.playing and edit.text() == "x^2 + 3*y^2"
    window.controller.pause()
    user.type_loss("x^2 + (")  # (refused: the box keeps the keys)
    error = window.loss_panel.error
    qtbot.waitUntil(lambda: error.isVisible() and error.text() != "", timeout=3000)
    qtbot.wait(50)  # (a focus handed back would have come by now)
    assert edit.hasFocus() and window.controller.loss.text == "x^2 + 3*y^2"
    monkeypatch.undo()
    user.type_loss("x^2 + y^2")
    assert window.controller.loss.text == "x^2 + y^2"
    qtbot.wait(50)  # (as long as the hand-back above took)
    assert edit.hasFocus()


def test_a_rule_parts_the_step_count_from_the_speed(window):
    """In presentation mode "k = 1500 / 1500 speed" read as one phrase."""
    rule = window.findChild(QtWidgets.QFrame, "playbackRule")
    count = window.findChild(QtWidgets.QLabel, "iterationLabel")
    speed = window.findChild(QtWidgets.QSlider, "speedSlider")
    assert rule is not None and rule.isVisible()
    at = rule.mapTo(window, QtCore.QPoint(0, 0)).x()
    assert count.mapTo(window, QtCore.QPoint(count.width(), 0)).x() <= at
    assert at < speed.mapTo(window, QtCore.QPoint(0, 0)).x()
