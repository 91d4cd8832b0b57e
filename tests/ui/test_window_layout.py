"""How the window shares its width: sidebar, map, 3D view and lecture dock, for the width the
window really has (a fresh window, ``--size``, presentation mode's full screen)."""

from __future__ import annotations

import os

import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gdviz.cli import build_parser
from gdviz.ui import app as app_module
from gdviz.ui import window_layout
from gdviz.ui.window_layout import (
    DOCK_WIDTHS,
    LOSS_PLOT_MIN,
    LOSS_PLOT_SHARE,
    MAP_SHARE,
    STACKED_MAP_SHARE,
    share_width,
)


def _settle(qtbot) -> None:
    qtbot.wait(30)
    QtWidgets.QApplication.processEvents()


def _open(qtbot, size: tuple[int, int] | None = None):
    """A new main window (restoring the test's settings), shown at ``size`` if given."""
    from gdviz.ui import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    if size is not None:
        w.resize(*size)
    w.show()
    _settle(qtbot)
    return w


def _done(w) -> None:
    """Let a window's compile thread finish (its widgets are closed by qtbot)."""
    w.controller.pause()
    w.worker.wait(30000)


def _widths(window) -> dict[str, int]:
    return {"side": window.sidebar.width(), "dock": window.derivatives.width(),
            "map": window.contour.width(), "surface": window.surface.width(),
            "window": window.width(), "split": window.views_split.sizes()}


def test_the_room_is_shared_for_the_width_the_window_has(window, qtbot):
    window.resize(1600, 900)
    share_width(window, 1600)
    _settle(qtbot)
    wide = _widths(window)
    assert wide["dock"] == pytest.approx(0.24 * 1600, abs=12)
    # Qt keeps a dock's width when its window shrinks: all the loss falls on the views.
    window.resize(1250, 760)
    _settle(qtbot)
    assert _widths(window)["dock"] == pytest.approx(wide["dock"], abs=4)
    share_width(window, 1250)
    _settle(qtbot)
    narrow = _widths(window)
    dock_min = max(DOCK_WIDTHS[0], window.derivatives.minimumSizeHint().width())
    assert narrow["dock"] <= dock_min + 12
    assert narrow["side"] <= window.sidebar.minimumWidth() + 4
    first, second = window.views_split.sizes()
    share = STACKED_MAP_SHARE if window.views_arrangement.stacked else MAP_SHARE
    assert first == pytest.approx(share * (first + second), abs=0.03 * (first + second))
    views = window.views_split.width()
    assert views >= 1250 - narrow["side"] - narrow["dock"] - 40  # splitter handles, frames


def test_the_readouts_show_every_column_at_1600(window, qtbot):
    # Half the row below the views left the readouts' ‖∇f‖ and status behind a scroll bar.
    window.resize(1600, 1000)
    share_width(window, 1600)
    _settle(qtbot)
    table, area = window.readouts.table, window.readouts
    # Played on, the point has four digits a coordinate: the columns grew and put the
    # status behind a scroll bar; the readouts take what they need from the loss plot (in
    # the layout chosen for the run's values all along its path: one, however it plays).
    layouts = set()
    for k in (0, 8, 40, window.controller.max_iteration):
        window.controller.set_iteration(k)
        _settle(qtbot)
        shown = (table.stack_widths if table.stacked else table.shown_widths())
        assert table.hidden == () and sum(shown) <= area.viewport().width(), k
        assert not area.horizontalScrollBar().isVisible(), k
        plot, rows = window.bottom_split.sizes()
        assert plot >= LOSS_PLOT_MIN * (plot + rows) - 2
        layouts.add((table.stacked, rows))
    assert len(layouts) == 1, layouts


def _readouts_in_large_type(window, qtbot):
    """The window at 1600 pixels, its readouts in presentation mode's type on a large screen
    (26 px): too wide side by side, stacked."""
    window.resize(1600, 1000)
    share_width(window, 1600)
    _settle(qtbot)
    area = window.readouts
    font = QtGui.QFont(area.font())
    font.setPixelSize(26)
    area.setFont(font)
    _settle(qtbot)
    return area, area.table


def test_stacked_readouts_leave_the_rest_of_the_row_to_the_loss_plot(window, qtbot):
    # In presentation mode at 1920 pixels the readouts took three quarters of the row for
    # their side-by-side columns, did not fit, stacked into 300 pixels, and the loss plot was
    # left 80 pixels wide beside 400 empty ones.
    area, table = _readouts_in_large_type(window, qtbot)
    plot, rows = window.bottom_split.sizes()
    total = plot + rows
    assert sum(table.widths) > total - max(200, LOSS_PLOT_MIN * total)  # no room side by side
    assert table.stacked
    assert rows <= table.stacked_size().width() + 2 * area.frameWidth() + 30
    assert plot > LOSS_PLOT_SHARE * total  # the loss plot got the rest
    assert area.horizontalScrollBar().maximum() == 0
    seen = []
    for k in (8, 40, 8, 40, 0):  # the split follows the columns' growth only (no jitter)
        window.controller.set_iteration(k)
        _settle(qtbot)
        seen.append(window.bottom_split.sizes()[0])
        assert table.stacked and seen[-1] > LOSS_PLOT_SHARE * total, k
    assert seen == sorted(seen, reverse=True) and len(set(seen[1:])) == 1, seen


def test_in_presentation_mode_the_loss_plot_keeps_its_share(window, qtbot):
    """Two runs at 1600 pixels in presentation mode: the readouts' large type took all but a
    204-pixel loss plot, its curve 50 pixels wide behind its axes' labels. It keeps
    :data:`LOSS_PLOT_PRESENTING` of the row; the readouts leave out what the map shows."""
    from gdviz.ui.window_layout import LOSS_PLOT_PRESENTING

    window.resize(1600, 1000)
    share_width(window, 1600)
    window.controller.add_run()
    window.wait_idle()
    window.menu_actions["presentation"].trigger()
    window.wait_idle()
    for _ in range(5):
        _settle(qtbot)
    plot, rows = window.bottom_split.sizes()
    assert plot >= LOSS_PLOT_PRESENTING * (plot + rows) - 2, (plot, rows)
    assert window.readouts.horizontalScrollBar().maximum() == 0
    window.menu_actions["presentation"].trigger()
    window.wait_idle()


def test_a_screenshot_at_a_size_is_laid_out_for_that_size(qtbot, monkeypatch, tmp_path):
    seen = {}

    def grab(window):
        QtWidgets.QApplication.processEvents()
        seen.update(_widths(window), titles=window.derivatives.titles_width())
        return QtGui.QImage(8, 8, QtGui.QImage.Format.Format_RGB32)

    monkeypatch.setattr(app_module, "grab_window", grab)
    # A large screen: the window's first size is wider than the one asked for.
    monkeypatch.setattr(window_layout, "initial_size", lambda _screen: (1800, 1000))
    args = build_parser().parse_args(["--size", "1366x768",
                                      "--screenshot", str(tmp_path / "shot.png")])
    assert app_module.run_app(args) == 0
    assert seen["window"] == 1366
    # The dock as a 1366-pixel window starts with it (not the quarter of a wider first size
    # the window had before --size; or as wide as every tab's title needs), the map wider
    # than the 3D view.
    assert seen["dock"] <= max(0.24 * 1366 + 40, seen["titles"] + 12) < 0.24 * 1800
    assert seen["split"][0] > seen["split"][1]  # the map gets the larger part


def test_a_restored_window_is_laid_out_for_its_restored_width(qtbot, monkeypatch, tmp_path):

    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    first = _open(qtbot, (1400, 850))
    share_width(first, 1400)
    _settle(qtbot)
    first.save_settings()
    _done(first)
    # A window as a wide screen first sizes it, then restores the saved (narrower) geometry.
    monkeypatch.setattr(window_layout, "initial_size", lambda _screen: (1800, 1000))
    settings = window_layout.settings()
    settings.remove("window/docks")  # as saved by an earlier gdviz: geometry and splitters
    settings.sync()
    second = _open(qtbot)
    seen = _widths(second)
    assert seen["window"] == 1400
    assert seen["dock"] <= 0.24 * 1400 + 40  # not the quarter of 1800
    assert seen["split"][0] > seen["split"][1]  # the map gets the larger part
    _done(second)


def test_the_lecture_docks_place_and_width_are_remembered(qtbot, monkeypatch, tmp_path):
    from PySide6 import QtCore


    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    first = _open(qtbot, (1500, 900))
    first.resizeDocks([first.derivatives], [520], QtCore.Qt.Orientation.Horizontal)
    _settle(qtbot)
    wide = first.derivatives.width()
    assert wide > 480
    first.save_settings()
    _done(first)
    second = _open(qtbot)
    assert second.derivatives.width() == pytest.approx(wide, abs=6)
    _done(second)


def test_only_a_dock_beside_the_views_is_given_a_width(window, qtbot):
    from PySide6 import QtCore

    from gdviz.ui.window_layout import beside

    dock = window.derivatives
    assert beside(window, dock)  # where it starts: right of the views
    try:
        window.addDockWidget(QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        _settle(qtbot)
        assert not beside(window, dock)
        window.addDockWidget(QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        dock.setFloating(True)
        _settle(qtbot)
        assert not beside(window, dock)
        dock.setFloating(False)
        _settle(qtbot)
        assert beside(window, dock)
    finally:  # back where it was: the window saves its docks for the windows of later tests
        dock.setFloating(False)
        window.addDockWidget(QtCore.Qt.DockWidgetArea.RightDockWidgetArea, dock)
        _settle(qtbot)


def test_a_screenshot_leaves_the_users_window_settings_alone(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    monkeypatch.setattr(app_module, "grab_window",
                        lambda _w: QtGui.QImage(8, 8, QtGui.QImage.Format.Format_RGB32))
    settings = window_layout.settings()
    settings.setValue("window/geometry", b"the user's")
    settings.sync()
    args = build_parser().parse_args(["--size", "1000x700",
                                      "--screenshot", str(tmp_path / "shot.png")])
    assert app_module.run_app(args) == 0
    settings = window_layout.settings()
    assert settings.value("window/geometry") in (b"the user's", "the user's")
    assert settings.value("window/docks") is None and settings.value("loss/last") is None


def test_quitting_in_presentation_mode_saves_the_window_not_the_full_screen(
        qtbot, monkeypatch, tmp_path):

    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    w = _open(qtbot, (1300, 800))
    width = w.width()
    w.classroom.presentation.enter()
    _settle(qtbot)
    assert w.width() > width  # full screen
    w.close()
    _done(w)
    settings = window_layout.settings()
    saved = int(settings.value("window/width"))
    assert saved == width  # the window's width before, not the screen's
    again = _open(qtbot)
    assert not again.isFullScreen() and again.width() == saved
    assert again.derivatives.width() <= DOCK_WIDTHS[1] + 12
    _done(again)


def test_a_window_shrunk_to_another_screen_does_not_take_the_old_docks_sizes(
        qtbot, monkeypatch, tmp_path):
    from PySide6 import QtCore


    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    first = _open(qtbot, (1400, 850))
    first.resizeDocks([first.derivatives], [540], QtCore.Qt.Orientation.Horizontal)
    _settle(qtbot)
    first.save_settings()
    _done(first)
    settings = window_layout.settings()
    settings.setValue("window/width", 2400)  # left on a wider screen than this one
    settings.sync()
    second = _open(qtbot)
    assert second.derivatives.width() <= 0.24 * second.width() + 40  # shared afresh
    _done(second)


def test_the_window_fits_a_1024_pixel_projector(window, qtbot):
    # The playback bar under the views set the window's least width with the sidebar and the
    # dock: 1107 pixels, wider than a 1024×768 projector (the dock's right edge off screen).
    assert window.minimumSizeHint().width() <= 1000
    bar = window.findChild(QtWidgets.QToolBar, "playbackBar")
    assert bar is not None and window.toolBarArea(bar) == QtCore.Qt.ToolBarArea.BottomToolBarArea
    assert bar.isAncestorOf(window.playback)
    # the scrubber is long enough to drag (it shrank to a knob)
    assert window.findChild(QtWidgets.QSlider, "iterationSlider").width() > 200


def test_a_narrow_window_hides_the_lecture_dock_and_says_how_to_show_it(window, qtbot):
    # A 1024 × 768 projector: beside the controls and the dock the views got 31 % of the width
    # (the map's plot 150 pixels wide).
    window.resize(1024, 740)
    shared = share_width(window, 1024)
    _settle(qtbot)
    assert window.derivatives.isHidden() and shared["dock"] == 0
    assert window.statusBar().currentMessage() == window_layout.NARROW_NOTE
    assert window.views_split.width() >= 1024 - window.sidebar.width() - 40
    assert window.contour.width() >= 0.45 * 1024
    # Ctrl+D brings it back, and a wide window shares its width with it as before.
    toggle = window.menu_actions["derivatives"]
    assert toggle.shortcut().toString() == "Ctrl+D"
    toggle.trigger()
    _settle(qtbot)
    assert window.derivatives.isVisible()
    # (the note that the tabs are hidden stayed up to 15 s after they were shown)
    assert window.statusBar().currentMessage() != window_layout.NARROW_NOTE
    window.resize(1600, 900)
    assert share_width(window, 1600)["dock"] > 0
    _settle(qtbot)
    assert window.derivatives.isVisible()
    assert window.derivatives.width() == pytest.approx(0.24 * 1600, abs=12)
    # A window wide enough keeps it (1280: the views get 47 %).
    window.resize(1280, 800)
    share_width(window, 1280)
    _settle(qtbot)
    assert window.derivatives.isVisible()


@pytest.mark.parametrize("width", [1024, 1280, 1366])
def test_presentation_mode_gives_the_dock_no_more_on_a_small_screen(window, qtbot, width):
    # (a projector's 1024 to 1366 pixels: the views keep all they had)
    window.resize(width, 700)
    usual = share_width(window, width, side=460)
    _settle(qtbot)
    assert share_width(window, width, side=460, presenting=True) == usual


def test_a_dock_the_user_closed_leaves_its_width_to_the_views(window, qtbot):
    window.resize(1600, 900)
    window.derivatives.hide()
    shared = share_width(window, 1600)
    _settle(qtbot)
    assert shared["dock"] == 0
    assert window.views_split.width() >= 1600 - window.sidebar.width() - 40


def test_the_lecture_dock_shown_on_a_narrow_window_takes_no_more_than_it_needs(qtbot,
                                                                             monkeypatch):
    # A window that starts narrow (its first size on a 1024 × 768 screen) hides the dock;
    # Ctrl+D then showed it 416 pixels wide, leaving the map 234.
    from gdviz.ui import MainWindow

    monkeypatch.setattr(window_layout, "initial_size", lambda screen: (1000, 740))
    w = MainWindow(restore=False)
    qtbot.addWidget(w)
    w.show()
    w.wait_idle()  # (the real tabs in place: wider than the placeholders)
    _settle(qtbot)
    assert w.derivatives.isHidden()
    w.menu_actions["derivatives"].trigger()
    _settle(qtbot)
    dock = w.derivatives
    assert dock.isVisible() and dock.width() <= window_layout.dock_width(dock) + 8
    bar = dock.tabs.tabBar()  # and every tab's title still shows
    assert not any(b.isVisible() for b in bar.findChildren(QtWidgets.QToolButton))
    # A width the user then chooses is kept when the dock is shown again for another reason
    # (the window restored from the task bar; a tab of docks raised).
    w.resizeDocks([dock], [430], QtCore.Qt.Orientation.Horizontal)
    _settle(qtbot)
    chosen = dock.width()
    assert chosen > window_layout.dock_width(dock) + 20
    w.hide()
    w.show()
    _settle(qtbot)
    assert abs(dock.width() - chosen) <= 4
    _done(w)


def test_a_window_that_starts_narrow_gets_the_dock_back_when_it_is_made_wider(qtbot,
                                                                               monkeypatch):
    # `--screenshot --size 1600x1000` on a small screen: the first size hid the dock, and the
    # --size width left it hidden as if the user had closed it.
    from gdviz.ui import MainWindow

    monkeypatch.setattr(window_layout, "initial_size", lambda screen: (1000, 740))
    w = MainWindow(restore=False)
    qtbot.addWidget(w)
    assert w.derivatives.isHidden() and w.dock_narrowed
    w.resize(1600, 1000)
    assert share_width(w, 1600)["dock"] > 0
    w.show()
    w.wait_idle()
    _settle(qtbot)
    assert w.derivatives.isVisible() and not w.dock_narrowed
    assert w.statusBar().currentMessage() != window_layout.NARROW_NOTE
    # A dock the user closed stays closed.
    w.derivatives.hide()
    share_width(w, 1600)
    _settle(qtbot)
    assert w.derivatives.isHidden()
    _done(w)


def test_restoring_a_narrow_layout_keeps_the_dock_as_it_was(qtbot, monkeypatch, tmp_path):
    # The restore shared the width first: the dock was hidden and "Narrow window" said, then
    # the saved state showed it again (at the least width, not the saved one).
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    first = _open(qtbot, (1000, 740))
    first.wait_idle()
    share_width(first, 1000)
    first.menu_actions["derivatives"].trigger()  # shown on purpose, then widened
    _settle(qtbot)
    first.resizeDocks([first.derivatives], [400], QtCore.Qt.Orientation.Horizontal)
    _settle(qtbot)
    saved_width = first.derivatives.width()
    first.save_settings()
    _done(first)
    second = _open(qtbot)
    second.wait_idle()
    _settle(qtbot)
    assert second.width() == first.width() and second.derivatives.isVisible()
    assert abs(second.derivatives.width() - saved_width) <= 4
    assert second.statusBar().currentMessage() != window_layout.NARROW_NOTE
    _done(second)


def test_the_lecture_tabs_titles_all_show_at_1280(window, qtbot):
    # At 1280 pixels the titles needed 363 of the dock's 362: "Regression" hid behind the
    # tab bar's scroll arrow.
    window.wait_idle()  # (the real tabs in place)
    window.resize(1280, 800)
    share_width(window, 1280)
    _settle(qtbot)
    bar = window.derivatives.tabs.tabBar()
    assert window.derivatives.isVisible()
    assert bar.width() >= sum(bar.tabRect(i).width() for i in range(bar.count()))
    assert not any(b.isVisible() for b in bar.findChildren(QtWidgets.QToolButton))



def test_a_narrow_window_exits_without_a_traceback(tmp_path):
    # The dock is hidden as the window is destroyed at exit: its watcher used the dying window
    # as a timer's context and printed "Internal C++ object (MainWindow) already deleted".
    import os
    import subprocess
    import sys

    script = (
        "from gdviz.ui import window_layout\n"
        "window_layout.initial_size = lambda screen: (1000, 740)\n"
        "from gdviz.ui.app import make_app\n"
        "from gdviz.ui.main_window import MainWindow\n"
        "app = make_app()\n"
        "w = MainWindow(restore=False)\n"
        "w.show()\n"
        "w.wait_idle()\n"
        "w.menu_actions['derivatives'].trigger()\n"
        "for _ in range(5):\n"
        "    app.processEvents()\n"
        "assert w.derivatives.isVisible()\n"
        "print('shown')\n")
    env = dict(os.environ, GDVIZ_SETTINGS_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and "shown" in done.stdout, done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]


def test_squeezed_readouts_ask_the_row_again_after_a_window_resize(window, qtbot):
    # A window resize shares the row out in proportion: the stacked readouts lost three
    # pixels, left ∇f out, and nothing gave them back.
    area, table = _readouts_in_large_type(window, qtbot)
    assert table.stacked and table.hidden == ()
    plot, rows = window.bottom_split.sizes()
    window.bottom_split.setSizes([plot + 3, rows - 3])  # (as a resize does)
    _settle(qtbot)
    assert table.stacked and table.hidden == ()
    assert window.bottom_split.sizes()[1] >= rows


def test_a_split_set_by_hand_stays_where_it_was_put(window, qtbot):
    """Squeezed readouts asked the row for room after every change of the split, so a drag
    of the splitter snapped back under the mouse."""
    area, table = _readouts_in_large_type(window, qtbot)
    assert table.stacked
    plot, rows = window.bottom_split.sizes()
    window.bottom_split.splitterMoved.emit(plot + 60, 1)  # (what a drag of the handle says)
    window.bottom_split.setSizes([plot + 60, rows - 60])
    _settle(qtbot)
    assert window.bottom_split.sizes() == [plot + 60, rows - 60]
    assert area.sized_by_hand
    share_width(window, 1600)  # shared afresh (a new window size): the rule applies again
    _settle(qtbot)
    assert not area.sized_by_hand


def test_the_readouts_grow_in_few_steps_while_a_run_plays(window, qtbot):
    """A point's digits grow one at a time: each growth widened its column and re-split the
    row, ten jumps of the loss plot over the lecture's run. Columns grow three digits at a
    time."""
    window.resize(1600, 1000)
    share_width(window, 1600)
    _settle(qtbot)
    table, changes = window.readouts.table, 0
    last = list(table.widths)
    for k in range(window.controller.max_iteration + 1):
        window.controller.set_iteration(k)
        if table.widths != last:
            changes, last = changes + 1, list(table.widths)
    assert changes <= 6, changes
    assert sum(table.widths) <= window.readouts.viewport().width() or table.stacked


def test_in_a_short_row_the_readouts_get_half_of_it(qtbot):
    """A 1027-pixel window with the lecture dock shown left a 302-pixel row below the views:
    the loss plot kept 200 of it, the readouts' 102 fitted no layout of theirs."""
    from types import SimpleNamespace

    from gdviz.ui.readouts import Readouts

    split = QtWidgets.QSplitter()
    qtbot.addWidget(split)
    readouts = Readouts()
    split.addWidget(QtWidgets.QWidget())
    split.addWidget(readouts)
    split.resize(302 + split.handleWidth(), 150)
    split.show()
    split.setSizes([192, 110])
    _settle(qtbot)
    total = sum(split.sizes())
    assert total == 302
    window_layout.give_readouts_room(SimpleNamespace(bottom_split=split, readouts=readouts), 140)
    plot, rows = split.sizes()
    assert rows == 140 and plot == 162


def test_a_screenshot_is_written_as_exports_are(qtbot, monkeypatch, tmp_path, capsys):
    """It was saved straight onto the target: a read-only PNG was replaced (as root), a
    failure could leave half a file, and a folder's name gave no reason."""
    monkeypatch.setattr(app_module, "grab_window",
                        lambda window: QtGui.QImage(8, 8, QtGui.QImage.Format.Format_RGB32))
    locked = tmp_path / "locked.png"
    locked.write_bytes(b"keep")
    locked.chmod(0o444)
    folder = tmp_path / "folder.png"
    folder.mkdir()
    for target, why in ((locked, "read-only"), (folder, "folder")):
        args = build_parser().parse_args(["--size", "640x480", "--screenshot", str(target)])
        assert app_module.run_app(args) == 2
        assert why in capsys.readouterr().err
    assert locked.read_bytes() == b"keep"
    good = tmp_path / "shot.png"
    args = build_parser().parse_args(["--size", "640x480", "--screenshot", str(good)])
    assert app_module.run_app(args) == 0 and good.read_bytes()[:4] == b"\x89PNG"
    assert sorted(os.listdir(tmp_path)) == ["folder.png", "locked.png", "shot.png"]


def test_the_lecture_s_slice_plot_labels_its_slope_at_1600(window, qtbot):
    """The lecture at 1600 × 1000: its Slice plot is narrow and steep at the point, so the
    label takes its short form; "f′ = 0.1404" with spaces found no place and was left out
    (the bare "0.1404" before it read as f)."""
    window.resize(1600, 1000)
    share_width(window, 1600)
    _settle(qtbot)
    window.derivatives.build_tabs()
    tabs = window.derivatives.tabs
    tabs.setCurrentIndex(0)
    view = window.derivatives.views["Slice"]
    view.redraw()
    QtWidgets.QApplication.processEvents()
    label = view.slope_text
    assert label.visible and label.text in ("slope = 0.1404", "f′=0.1404"), label.text


@pytest.mark.parametrize("height", [1250, 900])  # below the views; a tab beside the lecture's
def test_the_comparison_table_is_shown_again_at_the_next_launch(qtbot, monkeypatch, tmp_path,
                                                                  height):
    """The runs of a comparison came back without their table (hidden, reached only by View ▸
    Comparison table): the table is built after the window restores its docks."""
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    first = _open(qtbot, (1500, height))
    first.wait_idle()
    first.menu_actions["compare"].trigger()
    first.wait_idle()
    _settle(qtbot)
    compare = first.classroom.compare
    assert compare.dock.isVisible() and compare.table.rowCount() == 7
    assert first.classroom.sessions.autosave(closing=True)
    first.classroom.sessions.flush()
    first.save_settings()
    _done(first)
    from gdviz.ui import MainWindow
    from gdviz.ui.app import _read_autosave

    last, note = _read_autosave()  # (as a launch reads it)
    assert last is not None and len(last.runs) == 7
    second = MainWindow(session=last, session_note=note)
    qtbot.addWidget(second)
    second.show()
    second.wait_idle()
    qtbot.waitUntil(lambda: second.classroom.compare.table.rowCount() == 7, timeout=10000)
    again = second.classroom.compare
    assert again.dock.isVisible()
    assert second.dockWidgetArea(again.dock) == first.dockWidgetArea(compare.dock)
    assert again.narrow == compare.narrow == (height == 900)  # (its headers as they were)
    header = again.table.horizontalHeaderItem(2).text()
    assert header == compare.table.horizontalHeaderItem(2).text()
    assert second.menu_actions["compare_table"].isChecked()
    _done(second)
    # Hidden, it stays hidden.
    again.dock.hide()
    second.save_settings()
    third = _open(qtbot)
    third.wait_idle()
    _settle(qtbot)
    assert not third.classroom.compare.dock.isVisible()
    _done(third)


def test_the_comparison_s_halving_choice_is_kept_between_launches(qtbot, monkeypatch,
                                                                   tmp_path):
    """Compare's "halve η until the run does not diverge", unticked, came back ticked."""
    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    first = _open(qtbot)
    assert first.classroom.compare.tame.isChecked()  # (on at first)
    first.classroom.compare.tame.setChecked(False)
    _done(first)
    second = _open(qtbot)
    assert not second.classroom.compare.tame.isChecked()
    second.classroom.compare.tame.setChecked(True)
    _done(second)
    third = _open(qtbot)
    assert third.classroom.compare.tame.isChecked()
    _done(third)


def test_one_run_side_by_side_does_not_take_the_loss_plot_s_share(window, qtbot):
    """On the saddle at 1600 pixels one run's readouts side by side just fitted three
    quarters of the row: a line of values over an empty box, the loss plot 220 pixels.
    Stacked they fit a quarter."""
    window.resize(1600, 1000)
    window.load_preset("saddle")
    window.wait_idle()
    share_width(window, 1600)
    for _ in range(3):
        _settle(qtbot)
    plot, rows = window.bottom_split.sizes()
    assert plot >= LOSS_PLOT_SHARE * (plot + rows), (plot, rows)
    assert window.readouts.table.stacked
    assert window.readouts.horizontalScrollBar().maximum() == 0
