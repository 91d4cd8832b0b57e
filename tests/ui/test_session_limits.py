"""Nothing the user had is lost to a save: what the window saves is a session it can open
again (the map is not zoomed out past the ±10⁶ a session holds, a domain beyond it is saved
cut to it), an autosave it cannot restore is kept aside, and a file is replaced only when
asked."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gdviz.core.session import load_session, save_session
from gdviz.core.session_checks import MAX_COORDINATE

Qt = QtCore.Qt


def _wheel(view, notches: int) -> None:
    centre = QtCore.QPointF(view.plot_rect().center())
    for _ in range(abs(notches)):
        event = QtGui.QWheelEvent(centre, QtCore.QPointF(view.mapToGlobal(centre)),
                                  QtCore.QPoint(0, 0), QtCore.QPoint(0, 120 if notches > 0
                                                                     else -120),
                                  Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
        QtWidgets.QApplication.sendEvent(view, event)


def test_the_map_zooms_out_no_further_than_a_session_holds(window, tmp_path):
    """About 100 notches out the map showed ±2·10⁸: File ▸ Save said it saved, the file
    would not open ("map_range is not valid"), and the autosave was refused at the next
    launch, the runs lost."""
    _wheel(window.contour, -150)
    (a0, a1), (b0, b1) = window.contour.visible_domain()
    assert max(abs(a0), abs(a1), abs(b0), abs(b1)) <= MAX_COORDINATE
    assert a1 - a0 > 1e5  # (it did zoom out, that far)
    path = tmp_path / "far.gdviz"
    save_session(path, window.current_session())
    assert load_session(path).view["map_range"] is not None
    _wheel(window.contour, 3)  # (and back in)
    assert window.contour.visible_domain()[0][1] - window.contour.visible_domain()[0][0] \
        < a1 - a0


def test_a_map_already_beyond_the_limit_still_zooms_in_and_pans_back(window):
    """Shown past ±10⁶ (a session's domain of ±10⁶ with equal scales, a wide domain), the
    map refused every zoom and pan, in too."""
    c = window.controller
    c.set_domain(((-4.5e6, 4.5e6), (-2.0e6, 2.0e6)))
    window.contour.fit(c.domain)
    (a0, a1), _ = window.contour.visible_domain()
    _wheel(window.contour, 3)
    (b0, b1), _ = window.contour.visible_domain()
    assert b1 - b0 < 0.7 * (a1 - a0)
    _wheel(window.contour, -2)  # out again: not while past the limit
    assert window.contour.visible_domain()[0] == (b0, b1)
    from gdviz.launch import LaunchOptions

    far = LaunchOptions(loss="w1^2 + w2^2", start=(1e6, 0.0)).domain(None)
    assert far == ((-1e6, 1e6), (-1e6, 1e6))  # (it made ±1.5·10⁶)


def test_a_domain_beyond_the_limits_is_saved_cut_to_them(window, tmp_path):
    """--start=3e6,0 fitted the map around it: Ctrl+S refused ("domain must be numbers
    from -1,000,000 to 1,000,000") though the user never set a domain, and the autosave
    was written but could not be loaded."""
    c = window.controller
    c.set_domain(((-4.5e6, 4.5e6), (-2.0, 2.0)))
    window.contour.fit(c.domain)
    session = window.current_session()
    assert session.domain == ((-MAX_COORDINATE, MAX_COORDINATE), (-2.0, 2.0))
    path = tmp_path / "wide.gdviz"
    save_session(path, session)
    back = load_session(path)
    assert back.domain == session.domain
    (a0, a1), _ = back.view["map_range"]
    assert -MAX_COORDINATE <= a0 < a1 <= MAX_COORDINATE


def _kept_files(folder):
    return sorted(p for p in folder.iterdir() if p.name.startswith("autosave-unreadable-"))


def test_an_unreadable_autosave_is_kept_aside_and_the_launch_says_where(qtbot):
    """A damaged autosave was dropped without a word, and the next autosave, five seconds
    later, wrote over the only copy of the user's runs."""
    import pathlib

    from gdviz.ui import MainWindow
    from gdviz.ui import app as app_module
    from gdviz.ui.autosave import autosave_path

    path = pathlib.Path(autosave_path())
    damaged = '{"format": "gdviz-session", "version": 1, "loss": '
    path.write_text(damaged, encoding="utf-8")
    try:
        session, note = app_module._read_autosave()
        assert session is None and not path.exists()
        kept = _kept_files(path.parent)
        assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == damaged
        assert str(kept[0]) in note and "could not be restored" in note
        w = MainWindow(session=None, session_note=note)  # (as a plain launch makes it)
        qtbot.addWidget(w)
        w.show()
        w.wait_idle()
        assert w.statusBar().currentMessage() == note
        w.close()
        w.worker.wait(30000)
    finally:
        for p in _kept_files(path.parent):
            p.unlink()


def test_an_autosave_the_window_cannot_show_is_kept_aside_too(qtbot):
    """It passed the file's checks and failed the window's (a view option it does not know):
    the window started on the lecture's loss and the autosave was overwritten."""
    import pathlib

    from gdviz.core.session import Session
    from gdviz.ui import MainWindow
    from gdviz.ui.autosave import RESTORED_NOTE, autosave_path

    path = pathlib.Path(autosave_path())
    session = Session(loss="x^2 + y^2", domain=((-1.0, 1.0), (-1.0, 1.0)), runs=[],
                      view={"log_mode": "sideways"})
    save_session(path, session)
    try:
        w = MainWindow(session=session, session_note=RESTORED_NOTE)
        qtbot.addWidget(w)
        w.show()
        w.wait_idle()
        qtbot.waitUntil(lambda: w.session_error != "", timeout=10000)
        assert not path.exists() and len(_kept_files(path.parent)) == 1
        assert "it was kept as" in w.statusBar().currentMessage()
        w.close()
        w.worker.wait(30000)
    finally:
        for p in _kept_files(path.parent):
            p.unlink()


def test_a_session_file_the_window_cannot_show_leaves_the_last_session(qtbot, tmp_path):
    """main.py --session FILE, the file passing the file's checks but not the window's: the
    lecture's loss took its place, and the autosave (the student's last work), written over
    with it seconds later, was lost. The last session comes instead, and stays kept."""
    import pathlib

    from gdviz.core.session import RunSpec, Session
    from gdviz.ui import MainWindow
    from gdviz.ui.autosave import RESTORED_NOTE, autosave_path

    mine = Session(loss="x^2 + 9*y^2 + x*y", domain=((-2.0, 2.0), (-2.0, 2.0)),
                   runs=[RunSpec("adam", 0.05, (1.5, 1.0))])
    path = pathlib.Path(autosave_path())
    save_session(path, mine)
    kept = path.read_text(encoding="utf-8")
    odd = tmp_path / "odd.gdviz"
    bad = Session(loss="x^2 + y^2", domain=((-1.0, 1.0), (-1.0, 1.0)), runs=[],
                  view={"log_mode": "sideways"})
    save_session(odd, bad)
    try:
        w = MainWindow(session=load_session(odd), session_path=str(odd))
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: w.session_error != "", timeout=10000)
        qtbot.waitUntil(lambda: w.controller.loss is not None
                        and w.controller.loss.text == mine.loss, timeout=10000)
        said = w.statusBar().currentMessage()
        assert said.startswith("The session could not be opened: ") and "log_mode" in said
        assert RESTORED_NOTE in said
        assert w.loss_panel.edit.text() == mine.loss
        assert [r.spec.optimizer for r in w.controller.runs] == ["adam"]
        w.classroom.sessions.autosave()
        w.classroom.sessions.flush()
        assert load_session(path).loss == mine.loss  # (kept, not the lecture's loss)
        w.close()
        w.worker.wait(30000)
    finally:
        assert kept
        path.unlink(missing_ok=True)


def test_when_neither_the_file_nor_the_last_session_can_be_shown_the_lecture_comes(qtbot,
                                                                                 tmp_path):
    """Both passed the file's checks and not the window's: the window was left with no loss
    and no run, the failed file's picture on the map."""
    import pathlib

    from gdviz.core.presets import DEFAULT_PRESET, get_preset
    from gdviz.core.session import Session
    from gdviz.ui import MainWindow
    from gdviz.ui.autosave import autosave_path

    odd = Session(loss="x^2 + 3*y^2", domain=((-1.0, 1.0), (-1.0, 1.0)), runs=[],
                  view={"log_mode": "sideways"})
    path = pathlib.Path(autosave_path())
    save_session(path, odd)
    given = tmp_path / "odd.gdviz"
    save_session(given, Session(loss="x^2 + y^2", domain=odd.domain, runs=[], view=odd.view))
    try:
        w = MainWindow(session=load_session(given), session_path=str(given))
        qtbot.addWidget(w)
        w.show()
        lecture = get_preset(DEFAULT_PRESET).loss
        qtbot.waitUntil(lambda: w.controller.loss is not None
                        and w.controller.loss.text == lecture, timeout=15000)
        assert w.controller.runs and w.loss_panel.edit.text() == lecture
        assert not path.exists() and len(_kept_files(path.parent)) == 1  # (kept aside)
        w.close()
        w.worker.wait(30000)
    finally:
        for p in _kept_files(path.parent):
            p.unlink()


def test_a_session_given_that_the_window_cannot_show_fails_the_command(tmp_path,
                                                                       monkeypatch, capsys):
    """main.py --session FILE --screenshot: a file that passed the file's checks and not the
    window's exited 0 with a picture of the lecture's loss, the status bar speaking of "the
    last session"."""
    from gdviz.cli import build_parser
    from gdviz.core.session import Session
    from gdviz.ui import app as app_module

    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    path = tmp_path / "odd.gdviz"
    save_session(path, Session(loss="x^2 + y^2", domain=((-1.0, 1.0), (-1.0, 1.0)), runs=[],
                               view={"log_mode": "sideways"}))
    shot = tmp_path / "shot.png"
    args = build_parser().parse_args(["--session", str(path), "--screenshot", str(shot)])
    assert app_module.run_app(args, load_session(path)) == 2
    err = capsys.readouterr().err
    # (the file named, the value as the file writes it: it read 'sideways', unnamed)
    assert f'the session cannot be shown: {path}: view: log_mode must be "auto", "linear" ' \
        'or "log", got "sideways"' in err
    assert not shot.exists()


@pytest.mark.parametrize("view, said", [
    ({"speed": 0}, "view: speed must be a whole number from 1 to 120 (steps a second), got 0"),
    ({"selected": -1}, "view: selected must be a whole number from 0 (the first run), got -1"),
    ({"map_range": [[5, 5], [1, 2]]}, "view: map_range must be [[a0, a1], [b0, b1]]"),
    ({"regression_data": [[1, 2], [3]]}, "view: regression_data must be [[x…], [y…]]"),
])
def test_the_command_line_refuses_a_bad_view_before_building_the_window(
        tmp_path, monkeypatch, capsys, view, said):
    """--session FILE --screenshot with "speed": 0 built the whole window first and failed
    14–18 s on, saying "speed is not valid", not what it must be."""
    from gdviz import cli
    from gdviz.core.session import Session
    from gdviz.ui import app as app_module

    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    path = tmp_path / "odd.gdviz"
    save_session(path, Session(loss="x^2 + y^2", domain=((-1.0, 1.0), (-1.0, 1.0)), runs=[],
                               view=view))

    def no_window(*_args):
        raise AssertionError("the window was built")

    monkeypatch.setattr(app_module, "run_app", no_window)
    code = cli.main(["--session", str(path), "--screenshot", str(tmp_path / "shot.png")])
    err = capsys.readouterr().err
    assert code == 2 and f"gdviz: error: {path}: {said}" in err, err


@pytest.mark.parametrize("answer, replaced", [("Yes", True), ("No", False)])
def test_a_name_typed_without_its_extension_asks_before_replacing(window, tmp_path,
                                                                  monkeypatch, answer,
                                                                  replaced):
    """Typing "lecture" in Save as, lecture.gdviz existing: the dialog saw no file called
    "lecture" and did not ask; gdviz added .gdviz and replaced the file without a word (an
    export of "gdviz" replaced gdviz.png so too)."""
    existing = tmp_path / "lecture.gdviz"
    existing.write_text("mine", encoding="utf-8")
    asked = []
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "lecture"), "")))
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", staticmethod(
        lambda *a, **k: asked.append(a[2]) or getattr(QtWidgets.QMessageBox.StandardButton,
                                                      answer)))
    assert window.classroom.sessions.save_as() is replaced
    assert asked == ["lecture.gdviz already exists. Replace it?"]
    assert (existing.read_text(encoding="utf-8") == "mine") is not replaced
    asked.clear()  # an export's name, likewise
    (tmp_path / "lecture.png").write_bytes(b"png")
    assert window.classroom._ask_path("Export", "PNG (*.png)", ".png") == \
        (str(tmp_path / "lecture.png") if replaced else "")
    assert asked == ["lecture.png already exists. Replace it?"]


def test_an_export_s_name_gets_its_format_s_extension(window, tmp_path, monkeypatch):
    """A PNG was written to "shot.jpg" and an SVG to "map.png", without a word."""
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "shot.jpg"), "")))
    assert window.classroom._ask_path("Export", "PNG (*.png)", ".png") == \
        str(tmp_path / "shot.png")
    assert window.classroom._ask_path("Export", "SVG (*.svg)", ".svg") == \
        str(tmp_path / "shot.svg")


def test_recent_sessions_of_the_same_name_say_their_folder(window, tmp_path):
    """Two r7.gdviz in different folders read the same in Open Recent."""
    sessions = window.classroom.sessions
    for folder in ("week1", "week2"):
        (tmp_path / folder).mkdir()
        sessions.add_recent(str(tmp_path / folder / "r7.gdviz"))
    sessions.add_recent(str(tmp_path / "other.gdviz"))
    sessions.fill_recent_menu()
    texts = [a.text() for a in window.recent_menu.actions()[:3]]
    assert texts == ["other.gdviz", "r7.gdviz  (week2)", "r7.gdviz  (week1)"]


@pytest.mark.parametrize("typed, suffix, saved", [
    ("descent_lr0.05", ".png", "descent_lr0.05.png"),  # (was "descent_lr0.png")
    ("run v1.2", ".gif", "run v1.2.gif"),
    ("lecture 3.1", ".gdviz", "lecture 3.1.gdviz"),  # (saved with no extension at all)
    ("notes.json", ".gdviz", "notes.json"),  # a session keeps an extension typed
    ("lecture.", ".gdviz", "lecture.gdviz"),  # (was "lecture..gdviz")
])
def test_a_dot_in_a_name_is_not_taken_for_an_extension(window, tmp_path, monkeypatch, typed,
                                                       suffix, saved):
    from gdviz.ui.session_files import ask_save_path

    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / typed), "")))
    path = ask_save_path(window, "Save", "", "", suffix, only_suffix=suffix != ".gdviz")
    assert path == str(tmp_path / saved)
