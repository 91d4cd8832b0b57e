"""The dark theme and the Ctrl +/− type size are kept between launches (a teacher who set
them for a projector found them gone at the next lecture); a screenshot neither takes nor
changes them."""

from __future__ import annotations

from PySide6 import QtGui, QtWidgets

from gdviz.cli import build_parser
from gdviz.ui import app as app_module
from gdviz.ui import window_layout


def _open(qtbot):
    from gdviz.ui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.wait(30)
    QtWidgets.QApplication.processEvents()
    return w


def _app_px() -> int:
    return QtGui.QFontInfo(QtWidgets.QApplication.font()).pixelSize()


def _back_to_defaults(w) -> None:
    """The application's palette and font are every later test's: as they were."""
    p = w.classroom.presentation
    p.set_dark(False)
    while p.normal_px is not None:
        p.smaller() if p.normal_px > p._default_px else p.larger()
    QtWidgets.QApplication.processEvents()
    w.controller.pause()
    w.worker.wait(30000)


def test_the_dark_theme_and_the_type_size_are_kept_for_the_next_launch(
        qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    own = _app_px()
    first = _open(qtbot)
    p = first.classroom.presentation
    try:
        assert not p.dark and p.normal_px is None  # (nothing kept yet: the defaults)
        first.menu_actions["dark"].trigger()
        p.larger()
        p.larger()
        chosen = p.normal_px
        assert chosen == own + 2
        first.close()
    finally:
        _back_to_defaults(first)
    assert _app_px() == own
    second = _open(qtbot)
    try:
        q = second.classroom.presentation
        assert q.dark and second.menu_actions["dark"].isChecked()
        assert second.contour.backgroundBrush().color().lightness() < 60
        assert q.normal_px == chosen and _app_px() == chosen
        # Back to the light theme and the app's own size: that is kept too.
        second.menu_actions["dark"].trigger()
        q.smaller()
        q.smaller()
        assert not q.dark and q.normal_px is None
        second.close()
    finally:
        _back_to_defaults(second)
    assert window_layout.saved_appearance() == (False, None)
    third = _open(qtbot)
    try:
        r = third.classroom.presentation
        assert not r.dark and r.normal_px is None and _app_px() == own
        assert not third.menu_actions["dark"].isChecked()
    finally:
        _back_to_defaults(third)


def test_quitting_in_presentation_mode_keeps_the_size_outside_it(
        qtbot, monkeypatch, tmp_path):
    """Presentation mode's type is its own: the size kept is the one outside it."""
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    w = _open(qtbot)
    p = w.classroom.presentation
    try:
        p.larger()
        outside = p.normal_px
        p.enter()
        p.larger()  # (presentation mode's own size, not kept)
        w.close()
    finally:
        if p.active:
            p.leave()
        _back_to_defaults(w)
    assert window_layout.saved_appearance() == (False, outside)


def test_a_theme_chosen_in_presentation_mode_stays_after_it(qtbot, monkeypatch, tmp_path):
    """Dark chosen mid-lecture (F11, View ▸ Dark theme) went on leaving presentation mode,
    its menu item unticked, and so at the next launch."""
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    w = _open(qtbot)
    p = w.classroom.presentation
    try:
        p.enter()
        w.menu_actions["dark"].trigger()
        assert p.dark
        p.leave()
        assert p.dark and w.menu_actions["dark"].isChecked()
        assert w.contour.backgroundBrush().color().lightness() < 60
        w.close()
        assert window_layout.saved_appearance()[0] is True
    finally:
        if p.active:
            p.leave()
        _back_to_defaults(w)


def test_unreadable_or_out_of_reach_kept_values_give_the_defaults(
        qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    s = window_layout.settings()
    s.setValue("view/dark", "maybe")
    s.setValue("view/text_px", "huge")
    s.sync()
    assert window_layout.saved_appearance() == (False, None)
    s.setValue("view/text_px", 500)  # (beyond what Ctrl + reaches: the app's own size)
    s.sync()
    own = _app_px()
    w = _open(qtbot)
    try:
        assert w.classroom.presentation.normal_px is None and _app_px() == own
        assert w.statusBar().currentMessage() == ""  # (nothing to complain about)
    finally:
        _back_to_defaults(w)


def test_a_screenshot_does_not_take_the_kept_theme(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    window_layout.save_appearance(True, 20)
    shots = []
    monkeypatch.setattr(app_module, "grab_window", lambda w: shots.append(
        (w.classroom.presentation.dark, _app_px()))
        or QtGui.QImage(8, 8, QtGui.QImage.Format.Format_RGB32))
    args = build_parser().parse_args(["--size", "1000x700",
                                      "--screenshot", str(tmp_path / "shot.png")])
    assert app_module.run_app(args) == 0
    assert shots and shots[0][0] is False and shots[0][1] != 20
    assert window_layout.saved_appearance() == (True, 20)
