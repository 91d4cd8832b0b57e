"""Sessions in the window: save → open round-trip, bad files refused, autosave, restore, drop."""

from __future__ import annotations

import json
import os

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gdviz.core.presets import get_preset
from gdviz.core.session import RunSpec, Session, load_session
from gdviz.ui import MainWindow
from gdviz.ui import app as app_module
from gdviz.ui.autosave import autosave_path


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    """One window for the module (building one takes seconds); each test sets its state."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path_factory.mktemp("settings")))
        w = MainWindow()
        w.classroom.sessions.timer.stop()  # the tests decide when to autosave
        w.show()
        w.wait_idle()
        yield w
        w.controller.pause()
        w.close()


def _state(window):
    c = window.controller
    return (c.loss_text, c.domain, [r.spec for r in c.runs], c.selected,
            window.view_options.field_mode, window.loss_panel.edit.text())


HIMMELBLAU = get_preset("himmelblau")


def _customise(window):
    """A lecture state: loss, two runs (schedule, noise, hyper), view options, iteration."""
    view = {"field": "gradient", "arrow_density": 12, "normalise_arrows": True,
            "show_step_arrows": False, "log_mode": "linear", "height_scale": 1.5,
            "preset": "himmelblau", "iteration": 17, "equal_scales": True, "speed": 33}
    window.apply_session(Session(loss=HIMMELBLAU.loss, domain=HIMMELBLAU.domain, view=view,
                                 runs=[RunSpec("gd", 0.01, (0.0, 0.0))]))
    c = window.controller
    c.update_run(0, optimizer="adam", lr=0.05, hyper={"beta1": 0.8}, schedule="cosine",
                 noise=0.3, seed=7, steps=60)
    c.add_run()
    c.update_run(1, optimizer="momentum", lr=0.002, schedule="step", decay=0.5,
                 decay_steps=10, start=(-1.0, 2.5), gradient="central", fd_h=1e-4)
    c.set_iteration(17)
    if window.surface.gl_ok:
        window.surface.view.setCameraPosition(distance=2.5, elevation=41, azimuth=12)
    window.wait_idle()  # typeset formulas arrive and settle the layout


def _other(window, loss="x^2 + y^2"):
    window.apply_session(Session(loss=loss, domain=((-2, 2), (-2, 2)),
                                 runs=[RunSpec("gd", 0.1, (1.0, 1.0))]))


def test_save_open_round_trip_and_recent(window, tmp_path):
    _customise(window)
    before = window.current_session()
    assert before.runs[0].schedule == "cosine" and before.runs[0].noise == 0.3
    assert before.runs[1].decay_steps == 10 and before.runs[1].gradient == "central"
    path = str(tmp_path / "lecture.gdviz")
    sessions = window.classroom.sessions
    assert sessions.save_to(path), sessions.last_error
    assert load_session(path) == load_session(path)
    _other(window)  # something else entirely
    window.playback.speed.setValue(10)
    assert window.controller.loss_text != before.loss
    assert sessions.open_path(path)
    window.wait_idle()
    after = window.current_session()
    assert after == before
    assert window.playback.speed.value() == 33  # (the playback speed: it came back 10)
    assert window.loss_panel.edit.text() == before.loss
    assert window.controller.iteration == 17
    assert sessions.recent_files()[0] == os.path.abspath(path)
    sessions.fill_recent_menu()
    assert window.recent_menu.actions()[0].toolTip() == os.path.abspath(path)
    assert "lecture.gdviz" in window.windowTitle()


def test_the_title_marks_changes_not_saved(window, tmp_path):
    """A preset chosen over an opened file left the title "mine.gdviz — gdviz" as it was, no
    mark, and Ctrl+S wrote the preset over the file. Now the title is marked while the loss,
    domain or runs differ from the file's (the step shown or the camera do not count)."""
    path = str(tmp_path / "mine.gdviz")
    sessions = window.classroom.sessions
    assert sessions.save_to(path), sessions.last_error
    assert not window.isWindowModified() and "mine.gdviz[*]" in window.windowTitle()
    window.controller.set_iteration(5)
    assert not window.isWindowModified()
    window.load_preset("himmelblau")
    window.wait_idle()
    assert window.isWindowModified()
    window.history.undo()
    window.wait_idle()
    assert not window.isWindowModified()  # (the file's state again)
    eta = window.controller.runs[0].spec.lr
    window.controller.update_run(0, lr=eta / 2)
    assert window.isWindowModified()
    window.controller.update_run(0, lr=eta)
    assert not window.isWindowModified()
    window.controller.update_run(0, lr=eta / 2)
    assert sessions.save_to(path)
    assert not window.isWindowModified()
    assert sessions.open_path(path)
    window.wait_idle()
    assert not window.isWindowModified()


def test_a_session_keeps_the_basins_map(window, tmp_path):
    # The basins overlay (and its colouring) was lost on save: a lecture prepared with it
    # opened without.
    window.apply_session(Session(loss=HIMMELBLAU.loss, domain=HIMMELBLAU.domain,
                                 runs=[RunSpec("gd", 0.01, (0.0, 0.0))]))
    basins = window.classroom.basins
    basins.n = 24  # (small: the test waits for it)
    window.menu_actions["basins_steps"].setChecked(True)  # coloured by steps (turns it on)
    assert basins.enabled and basins.mode == "steps"
    assert window.current_session().view["basins"] == "steps"
    path = str(tmp_path / "basins.gdviz")
    assert window.classroom.sessions.save_to(path)
    window.menu_actions["basins"].setChecked(False)
    window.menu_actions["basins_steps"].setChecked(False)
    _other(window)
    assert not basins.enabled and "basins" not in window.current_session().view
    basins.wait(30000)
    basins.result = None  # (what opening computes, not a map left from before)
    assert window.classroom.sessions.open_path(path)
    assert basins.enabled and basins.mode == "steps"
    assert window.menu_actions["basins"].isChecked()
    assert window.menu_actions["basins_steps"].isChecked()
    assert basins.wait(30000) and basins.result is not None  # computed for the session's loss
    assert len(basins.result.minima) == 4  # Himmelblau's
    assert window.contour.basins.visible
    # A session without it turns it off; a bad value is refused
    _other(window)
    assert not basins.enabled and not window.menu_actions["basins"].isChecked()
    bad = Session(loss="x^2 + y^2", domain=((-1, 1), (-1, 1)), view={"basins": "all"})
    with pytest.raises(Exception, match="basins"):
        window.apply_session(bad)


def test_a_session_keeps_the_regression_tab_s_points(window, tmp_path):
    """Points added in the Regression tab without "Use as loss" were lost on saving (and on
    quitting: the autosave is a session too): reopened, the tab had its 8 default points."""
    window.derivatives.build_tabs()
    view = window.derivatives.views["Regression"]
    assert not view.active  # (not a regression's loss)
    loss_text = window.controller.loss_text
    xs, ys = view.data()
    view.set_data(xs + [4.0], ys + [4.5])
    assert window.current_session().view["regression_data"] == [xs + [4.0], ys + [4.5]]
    path = str(tmp_path / "points.gdviz")
    assert window.classroom.sessions.save_to(path)
    view.set_data(xs, ys)  # (the defaults: nothing to keep)
    assert "regression_data" not in window.current_session().view
    assert window.classroom.sessions.open_path(path)
    window.wait_idle()
    assert view.data() == (xs + [4.0], ys + [4.5])
    assert window.controller.loss_text == loss_text  # (the loss as it was)
    bad = Session(loss="x^2 + y^2", domain=((-1, 1), (-1, 1)),
                  view={"regression_data": [[1.0, "a"], [2.0, 3.0]]})
    with pytest.raises(Exception, match="regression_data"):
        window.apply_session(bad)


BAD_FILES = {
    "corrupted": b"\x89PNG\r\n\x1a\n\x00\x00garbage",
    "truncated": b'{"format": "gdviz-session", "version": 1, "loss": "x^2", "dom',
    "wrong type": json.dumps({"format": "gdviz-session", "version": 1, "loss": "x^2+y^2",
                              "domain": [[-1, 1], [-1, 1]],
                              "runs": [{"optimizer": "gd", "lr": "fast",
                                        "start": [0, 0]}]}).encode(),
    "hostile loss": json.dumps({"format": "gdviz-session", "version": 1,
                                "loss": "__import__('os').system('echo hacked')",
                                "domain": [[-1, 1], [-1, 1]]}).encode(),
    "huge exponent": json.dumps({"format": "gdviz-session", "version": 1,
                                 "loss": "x^(9^9^9) + y", "domain": [[-1, 1], [-1, 1]]}).encode(),
    "bad view": json.dumps({"format": "gdviz-session", "version": 1, "loss": "x^2+y^2",
                            "domain": [[-1, 1], [-1, 1]], "view": {"log_mode": 3}}).encode(),
    "not an object": b"[1, 2, 3]",
}


def test_bad_files_are_refused_and_change_nothing(window, tmp_path):
    before = _state(window)
    sessions = window.classroom.sessions
    for name, data in BAD_FILES.items():
        path = tmp_path / f"{name.replace(' ', '_')}.gdviz"
        path.write_bytes(data)
        assert not sessions.open_path(str(path)), name
        window.wait_idle()
        assert _state(window) == before, name
        box = sessions.message_box
        assert box is not None and box.isVisible()
        assert "\n" not in sessions.last_error and sessions.last_error, name
        assert path.name in box.text()
    assert not sessions.open_path(str(tmp_path / "missing.gdviz"))
    assert "cannot read" in sessions.last_error
    sessions.message_box.close()
    assert sessions.recent_files() == []


def test_an_autosave_that_cannot_be_written_is_said_once(window, monkeypatch, tmp_path):
    """The settings folder read-only (or autosave.gdviz a folder): the autosave failed
    without a word, and the next launch had nothing to restore."""
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    os.makedirs(autosave_path())  # (a folder where the file should be)
    sessions = window.classroom.sessions
    sessions._written = ""
    bar = window.statusBar()
    bar.clearMessage()
    assert sessions.autosave()
    sessions.flush()
    assert sessions.write_error
    _other(window, "x^2 + 5*y^2")
    window.wait_idle()
    sessions.autosave()  # (the next tick says it)
    said = bar.currentMessage()
    assert said.startswith("Autosave failed (") and "not kept for the next launch" in said
    bar.clearMessage()
    sessions.flush()
    sessions.autosave()
    assert bar.currentMessage() == ""  # (once, not every few seconds)
    sessions.flush()
    os.rmdir(autosave_path())  # a write that works again clears it
    sessions._written = ""
    assert sessions.autosave()
    sessions.flush()
    assert sessions.write_error == "" and os.path.isfile(autosave_path())


def test_autosave_restore_and_drop(window, tmp_path, monkeypatch):
    sessions = window.classroom.sessions
    sessions.return_to(None)  # (a file an earlier test saved: the autosave would name it)
    _customise(window)
    path = autosave_path()
    assert os.path.dirname(path) == os.environ["GDVIZ_SETTINGS_DIR"]
    assert sessions.autosave()
    sessions.flush()  # (written on a thread of its own)
    assert os.path.isfile(path)
    assert not sessions.autosave()  # unchanged: nothing written
    saved = window.current_session()
    assert load_session(path) == saved
    window.controller.update_run(0, lr=0.01)
    assert sessions.autosave()  # changed: written again
    sessions.flush()
    # While playing, a setting changed is written (a loss, η or run changed just before Play
    # was lost with a crash during a long playback), the moving step alone is not
    c = window.controller
    c.set_iteration(3)
    assert sessions.autosave()
    sessions.flush()
    c.play()
    try:
        c.set_iteration(5)
        assert c.playing and not sessions.autosave()
        c.update_run(0, lr=0.02)
        assert sessions.autosave()
        sessions.flush()
        kept = load_session(path)
        assert kept.runs[0].lr == 0.02 and kept.view["iteration"] == 3
    finally:
        c.pause()
    assert sessions.autosave()  # (stopped: the step it stopped at)
    sessions.flush()
    assert load_session(path).view["iteration"] == c.wanted_iteration
    c.update_run(0, lr=0.01)
    window.wait_idle()
    assert sessions.autosave()
    sessions.flush()
    # Restore on start: a valid autosave comes back...
    _other(window)
    assert sessions.restore_autosave()
    window.wait_idle()
    assert window.controller.loss_text == saved.loss
    assert window.controller.runs[0].spec.lr == 0.01
    # ...a corrupt one is ignored with a notice, never a crash.
    with open(path, "w", encoding="utf-8") as f:
        f.write('{"format": "gdviz-session", "version": 1, "loss": ')
    state = _state(window)
    assert not sessions.restore_autosave()
    assert "could not be restored" in window.statusBar().currentMessage()
    assert _state(window) == state
    # The launch path restores only for a plain launch.
    args = app_module._no_arguments
    plain = type("A", (), {k: None for k in ("loss", "preset", "optimizer", "lr", "start",
                                              "steps", "screenshot", "export")})()
    assert args(plain, None)
    plain.preset = "himmelblau"
    assert not args(plain, None)
    # Drag and drop a session file onto the window.
    dropped = tmp_path / "dropped.gdviz"
    _other(window, "x^2 + 2*y^2")
    assert sessions.save_to(str(dropped))
    _other(window)
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(dropped))])
    pos = QtCore.QPointF(50, 50)
    enter = QtGui.QDragEnterEvent(pos.toPoint(), QtCore.Qt.CopyAction, mime,
                                  QtCore.Qt.LeftButton, QtCore.Qt.NoModifier)
    QtWidgets.QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QtGui.QDropEvent(pos, QtCore.Qt.CopyAction, mime, QtCore.Qt.LeftButton,
                            QtCore.Qt.NoModifier)
    QtWidgets.QApplication.sendEvent(window, drop)
    assert drop.isAccepted()
    for _ in range(5):
        QtWidgets.QApplication.processEvents()
    window.wait_idle()
    assert window.controller.loss_text == "x^2 + 2*y^2"


def test_the_restored_autosave_names_the_file_it_showed(window, tmp_path):
    """Quit with changes unsaved, the next launch brought them back under no file name and
    unmarked: the student took hw.gdviz for their work. The title names it again, "*"
    where the window differed from it."""
    sessions = window.classroom.sessions
    hw = tmp_path / "hw.gdviz"
    _other(window, "x^2 + 2*y^2")
    window.wait_idle()
    assert sessions.save_to(str(hw))
    for changed in (False, True):
        if changed:
            window.controller.update_run(0, lr=0.002)
            window.wait_idle()
        assert window.isWindowModified() is changed
        sessions._written = ""  # (written again)
        assert sessions.autosave()
        sessions.flush()
        sessions.return_to(None)  # (as a new launch starts: no file)
        _other(window)
        window.wait_idle()
        assert sessions.restore_autosave()
        window.wait_idle()
        assert sessions.path == str(hw) and "hw.gdviz" in window.windowTitle()
        assert window.isWindowModified() is changed, changed
        assert window.controller.runs[0].spec.lr == (0.002 if changed else 0.1)
    hw.unlink()  # (a file gone since: the restored window names none)
    sessions._written = ""
    assert sessions.autosave()
    sessions.flush()
    sessions.return_to(None)
    assert sessions.restore_autosave()
    window.wait_idle()
    assert sessions.path is None and "hw.gdviz" not in window.windowTitle()


def test_autosave_writes_on_a_thread_of_its_own(window, monkeypatch):
    # The write ends with fsync, which a network home folder can make slow: never on the
    # GUI thread. A slow write holds back the next one, which then saves the newer state.
    import threading
    import time

    from gdviz.core import atomic

    sessions = window.classroom.sessions
    sessions.flush()
    real = atomic.atomic_write_text
    threads = []

    def slow_write(path, text, encoding="utf-8"):
        threads.append(threading.current_thread())
        time.sleep(0.4)
        real(path, text, encoding=encoding)

    monkeypatch.setattr(atomic, "atomic_write_text", slow_write)
    window.controller.update_run(0, lr=0.0125)
    started = time.perf_counter()
    assert sessions.autosave()
    assert time.perf_counter() - started < 0.3  # the window did not wait for the disk
    window.controller.update_run(0, lr=0.025)
    assert not sessions.autosave()  # (the first write is still going)
    sessions.flush()
    assert load_session(autosave_path()).runs[0].lr == 0.0125
    assert sessions.autosave()
    sessions.flush()
    assert load_session(autosave_path()).runs[0].lr == 0.025
    assert threads and threading.main_thread() not in threads


@pytest.mark.parametrize("flat", [True])
def test_design_md_flat_view_options_are_read(window, tmp_path, flat):
    path = tmp_path / "flat.gdviz"
    path.write_text(json.dumps({
        "format": "gdviz-session", "version": 1, "loss": "x^2 + 3*y^2",
        "domain": [[-2, 2], [-1, 1]], "log_scale": True, "field": "off",
        "runs": [{"optimizer": "rmsprop", "lr": 0.02, "start": [1.5, 0.5], "rho": 0.8,
                  "schedule": "exponential", "decay": 0.9, "noise": 0.1, "seed": 3},
                 {"optimizer": "gd", "lr": 0.1, "start": [-1, -0.5]}],
        "unknown_key": {"ignored": True}}), encoding="utf-8")
    assert window.classroom.sessions.open_path(str(path))
    window.wait_idle()
    c = window.controller
    assert c.loss_text == "x^2 + 3*y^2" and c.domain == ((-2.0, 2.0), (-1.0, 1.0))
    assert [r.spec.optimizer for r in c.runs] == ["rmsprop", "gd"]
    spec = c.runs[0].spec
    assert (spec.hyper, spec.schedule, spec.decay, spec.noise, spec.seed) == (
        {"rho": 0.8}, "exponential", 0.9, 0.1, 3)
    assert all(r.trajectory is not None for r in c.runs)
    assert window.view_options.log_mode is True
    assert window.view_options.field_mode == "off"


def test_a_screenshot_of_a_session_shows_its_basins_map_finished(qtbot, monkeypatch, tmp_path):
    # The screenshot was taken while the basins were still being computed (progress bar).
    from gdviz.cli import build_parser
    from gdviz.core.session import save_session

    path = str(tmp_path / "basins.gdviz")
    save_session(path, Session(loss=HIMMELBLAU.loss, domain=HIMMELBLAU.domain,
                               runs=[RunSpec("gd", 0.01, (0.0, 0.0))],
                               view={"basins": "minimum"}))
    seen = {}

    def grab(window):
        basins = window.classroom.basins
        seen.update(enabled=basins.enabled, busy=basins.busy, result=basins.result,
                    note=window.statusBar().currentMessage(), loss=window.controller.loss_text,
                    shown=window.contour.basins.visible)
        return QtGui.QImage(8, 8, QtGui.QImage.Format.Format_RGB32)

    import time

    from gdviz.ui import basins as basins_module

    real = basins_module.basins

    def slow(*args, **kwargs):  # a map that takes longer than the window's start-up
        time.sleep(3.0)
        return real(*args, **kwargs)

    monkeypatch.setattr(basins_module, "basins", slow)
    monkeypatch.setattr(app_module, "grab_window", grab)
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    args = build_parser().parse_args(["--session", path, "--size", "1000x700",
                                      "--screenshot", str(tmp_path / "shot.png")])
    assert app_module.run_app(args, load_session(path)) == 0  # (as gdviz.cli.main calls it)
    assert seen["enabled"] and not seen["busy"] and seen["shown"], seen
    assert len(seen["result"].minima) == 4  # Himmelblau's four basins


@pytest.fixture
def own_window(qtbot, tmp_path, monkeypatch):
    """A window of the test's own (it is closed), with settings in ``tmp_path`` and the
    autosave left to the test."""
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    w = MainWindow()
    qtbot.addWidget(w)
    w.classroom.sessions.timer.stop()
    w.show()
    w.wait_idle()
    return w


def test_closing_during_playback_saves_the_last_state(own_window):
    # The autosave waits while playing (a frame's time); closing the window mid-play lost
    # the changes made since the last tick.
    w = own_window
    w.controller.update_run(0, lr=0.0321)
    w.controller.play()
    assert w.controller.playing
    w.close()
    w.classroom.sessions.flush()
    assert load_session(autosave_path()).runs[0].lr == 0.0321


def test_closing_writes_the_autosave_even_if_unchanged_since_the_last_write(own_window):
    """The last write was skipped when nothing had changed since this window's own previous
    write: another gdviz writing the autosave meanwhile (or the file deleted) meant the
    window closed last was not the one restored (a QA round)."""
    import os

    w = own_window
    w.apply_loss_text("x^2 + 33*y^2")
    w.wait_idle()
    sessions = w.classroom.sessions
    assert sessions.autosave()
    sessions.flush()
    os.remove(autosave_path())  # (or overwritten by another window)
    assert not sessions.autosave()  # (unchanged: the ticks write nothing)
    w.close()
    sessions.flush()
    assert load_session(autosave_path()).loss == "x^2 + 33*y^2"


def test_closing_keeps_the_basins_map_in_the_autosave(own_window):
    """The basins map was switched off as the window closed, before the last autosave was
    written, so a restart came back without it."""
    w = own_window
    basins = w.classroom.basins
    basins.n = 24
    w.menu_actions["basins"].trigger()
    w.menu_actions["basins_steps"].trigger()
    assert basins.enabled and basins.mode == "steps"
    w.close()
    w.classroom.sessions.flush()
    assert load_session(autosave_path()).view.get("basins") == "steps"
    assert not basins.busy  # (and no new map was started as it closed)


def test_a_map_range_beyond_any_domain_is_refused():
    """±1e307 was accepted (the domain itself is capped at 1e6) and left the map empty."""
    from gdviz.core.session import SessionError
    from gdviz.ui.sessions import prepare_session

    session = Session(loss="x^2 + y^2", domain=((-3, 3), (-3, 3)),
                      runs=[RunSpec("gd", 0.1, (1.0, 1.0))],
                      view={"map_range": [[-1e307, 1e307], [-3, 3]]})
    with pytest.raises(SessionError, match="map_range must be"):
        prepare_session(session)
    session.view["map_range"] = [[-4.5, 4.5], [-3, 3]]  # (equal scales widen it: fine)
    assert prepare_session(session).view["map_range"] == ((-4.5, 4.5), (-3.0, 3.0))


def test_a_camera_the_3d_view_cannot_show_is_brought_within_it(window):
    """A session's camera at distance 1000 (a dot) or elevation 1e3 (upside down) loads as
    the nearest one the view can show; the session itself is not refused."""
    from gdviz.ui.gl_canvas import OffscreenGLView
    from gdviz.ui.surface_view import DISTANCE_LIMITS

    # (as near and as far as the wheel goes: at 100 the view was empty but for a dot)
    assert DISTANCE_LIMITS == OffscreenGLView.distance_limits == (0.5, 12.0)
    window.surface.set_camera(1000.0, 1e3, 725.0)
    camera = window.surface.camera()
    assert camera == {"distance": 12.0, "elevation": 90.0, "azimuth": 5.0}
    window.surface.set_camera(100.0, 30.0, -60.0)
    assert window.surface.camera()["distance"] == 12.0
    window.surface.set_camera(1e-6, -30.0, -60.0)
    assert window.surface.camera()["distance"] == 0.5
    window.surface.set_camera(1.9, 30.0, -60.0)


@pytest.mark.parametrize("loss", ["exp(100*x) + y^2", "1e20*x^2 + y"])
def test_a_session_saved_at_a_diverged_step_opens(window, loss):
    """Saved at a step where the run had blown up (x ≈ 1e44), opening it crashed the app: the
    Gradient tab's close-up divided by its width, 0 once 1e44 ± 0.7 rounds to 1e44, and PySide
    segfaulted handling that exception from the tab's showEvent."""
    from gdviz.core.session import session_from_dict

    window.apply_session(session_from_dict({
        "format": "gdviz-session", "version": 1, "loss": loss,
        "domain": [[-3, 3], [-2, 2]], "runs": [{"optimizer": "gd", "lr": 0.1, "start": [1, 1]}],
        "view": {"iteration": 2}}))
    window.wait_idle()
    assert abs(window.controller.current_point()[0]) > 1e18
    window.derivatives.build_tabs()
    for i in range(window.derivatives.tabs.count()):
        window.derivatives.tabs.setCurrentIndex(i)
        QtWidgets.QApplication.processEvents()
    gradient = window.derivatives.views["Gradient"]
    gradient.redraw()  # (raised ZeroDivisionError)
    (a0, a1), _ = gradient._window
    assert a1 > a0 or abs(a0) > 1e15  # a window, or a point too far out to tell its ends apart


def test_a_lecture_tab_that_fails_to_draw_is_reported_not_fatal(window, monkeypatch):
    """An exception leaving a tab's showEvent goes to the error report, not into PySide's own
    error handling (which segfaulted)."""
    from gdviz.ui import crash_dialog

    window.derivatives.build_tabs()
    window.derivatives.tabs.setCurrentIndex(1)  # (shown first, as it draws well: run alone,
    QtWidgets.QApplication.processEvents()  # the test counted this showing's failure too)
    reported = []
    monkeypatch.setattr(crash_dialog, "handle_exception",
                        lambda *info: reported.append(info[0]))
    view = window.derivatives.views["h → 0"]

    def fail():
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(view, "redraw", fail)
    view.mark_dirty()
    view.hide()
    view.show()
    QtWidgets.QApplication.processEvents()
    assert reported == [ZeroDivisionError]
    assert window.isVisible()


@pytest.mark.parametrize("how", ["--session", "autosave"])
def test_a_session_opened_at_launch_is_the_window_s_file(qtbot, tmp_path, monkeypatch, how):
    """Launched with --session hw.gdviz, or restoring the autosave of a window that showed it,
    the title named no file and Ctrl+S asked for a name (only the menu's Open linked it)."""
    from gdviz.core.session import save_session
    from gdviz.ui.autosave import RESTORED_NOTE

    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path / "settings"))
    hw = tmp_path / "hw.gdviz"
    session = Session(loss="x^2 + 2*y^2", domain=((-2.0, 2.0), (-2.0, 2.0)),
                      runs=[RunSpec("gd", 0.05, (1.0, 1.0), steps=40)])
    save_session(str(hw), session)
    if how == "autosave":  # (the autosave of a window that showed hw.gdviz, changed since)
        session.view = {"file": str(hw), "file_changed": True}
        w = MainWindow(session=session, session_note=RESTORED_NOTE)
    else:
        w = MainWindow(session=session, session_path=str(hw))
    qtbot.addWidget(w)
    w.classroom.sessions.set_autosave_enabled(False)
    w.show()
    w.wait_idle()
    sessions = w.classroom.sessions
    qtbot.waitUntil(lambda: sessions.path == str(hw), timeout=10000)
    assert "hw.gdviz" in w.windowTitle()
    assert w.isWindowModified() is (how == "autosave")
    asked = []
    monkeypatch.setattr(sessions, "save_as", lambda: asked.append(True) or False)
    w.controller.update_run(0, lr=0.02)
    w.wait_idle()
    assert sessions.save() and not asked  # (Ctrl+S writes the file, no dialog)
    assert load_session(str(hw)).runs[0].lr == 0.02
    w.close()
    w.worker.wait(30000)


def test_a_session_keeps_the_lecture_tab_shown(window, tmp_path):
    """Saved on the Gradient tab, a session reopened on whichever tab was shown since (and
    the autosave brought every launch back to the Slice tab)."""
    sessions, tabs = window.classroom.sessions, window.derivatives.tabs
    names = [tabs.tabText(i) for i in range(tabs.count())]
    tabs.setCurrentIndex(names.index("Gradient"))
    path = tmp_path / "on_gradient.gdviz"
    assert sessions.save_to(str(path))
    assert json.loads(path.read_text())["view"]["lecture_tab"] == "Gradient"
    tabs.setCurrentIndex(names.index("Chain rule"))
    assert sessions.open_path(str(path))
    window.wait_idle()
    assert tabs.tabText(tabs.currentIndex()) == "Gradient"
    # a name no tab has is left alone; one that is no text refuses the file
    data = json.loads(path.read_text())
    data["view"]["lecture_tab"] = "Hessian"
    path.write_text(json.dumps(data))
    tabs.setCurrentIndex(names.index("Slice"))
    assert sessions.open_path(str(path), quiet=True)
    window.wait_idle()
    assert tabs.tabText(tabs.currentIndex()) == "Slice"
    data["view"]["lecture_tab"] = ["Gradient"]
    path.write_text(json.dumps(data))
    assert not sessions.open_path(str(path), quiet=True)
    assert "lecture_tab" in sessions.last_error
    # Undo brings back the loss and runs, not the tab shown then (it threw the teacher from
    # tab to tab)
    tabs.setCurrentIndex(names.index("Gradient"))
    window.apply_loss_text("x^2 + 5*y^2")
    window.wait_idle()
    tabs.setCurrentIndex(names.index("Chain rule"))
    assert window.history.undo()
    window.wait_idle()
    assert tabs.tabText(tabs.currentIndex()) == "Chain rule"


def test_a_loss_the_first_frame_cannot_preview_comes_back_at_the_next_launch(
        own_window, qtbot):
    """x^(2*(1/3)) + y^2 typed and the window closed: the next launch put the autosave aside,
    "The last session could not be restored (loss: this loss cannot be read)", and opened on
    the lecture's loss (the launch reads it without sympy, and the first frame's preview
    leaves such powers to sympy)."""
    w = own_window
    loss = "x^(2*(1/3)) + y^2"
    w.loss_panel.set_text(loss)
    w.loss_panel.edit.returnPressed.emit()
    w.wait_idle()
    assert w.controller.loss_text == loss
    w.close()
    w.classroom.sessions.flush()
    session, note = app_module._read_autosave()
    assert session is not None and session.loss == loss, note
    again = MainWindow(session=session, session_note=note)
    qtbot.addWidget(again)
    again.classroom.sessions.timer.stop()
    again.show()
    again.wait_idle()
    assert again.controller.loss_text == loss
    assert "could not be restored" not in again.statusBar().currentMessage()
    again.controller.pause()
    again.worker.wait(30000)


def test_a_session_keeps_the_compare_table(window, tmp_path):
    """Saved with the Compare table shown, a lecture reopened without it (Ctrl+Shift+K to
    find it again)."""
    window.apply_session(Session(loss=HIMMELBLAU.loss, domain=HIMMELBLAU.domain,
                                 runs=[RunSpec("gd", 0.01, (0.0, 0.0))]))
    window.menu_actions["compare"].trigger()
    window.wait_idle()
    dock = window.classroom.compare.dock
    assert not dock.isHidden()
    assert window.current_session().view["compare_table"] in ("front", "behind")
    path = str(tmp_path / "compared.gdviz")
    assert window.classroom.sessions.save_to(path)
    dock.hide()
    _other(window)
    assert "compare_table" not in window.current_session().view
    assert window.classroom.sessions.open_path(path)
    window.wait_idle()
    assert not dock.isHidden() and len(window.controller.runs) == 7
    bad = Session(loss="x^2 + y^2", domain=((-1, 1), (-1, 1)), view={"compare_table": "left"})
    with pytest.raises(Exception, match="compare_table"):
        window.apply_session(bad)
    dock.hide()  # (as the tests after this one expect it)
