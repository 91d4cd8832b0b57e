"""The map beside the 3D view or above it (gdviz.ui.views_arrangement): whichever gives the
map more room for its domain's shape, without flipping back and forth."""

from __future__ import annotations

import pytest
from PySide6 import QtCore, QtGui, QtTest

from gdviz.ui.views_arrangement import (
    STACKING_GAIN,
    map_overhead,
    plot_room,
    wants_stacked,
)

LECTURE = (8.0, 4.0)  # the lecture's domain: [-4, 4] × [-1.5, 2.5]
SQUARE = (4.0, 4.0)  # Rosenbrock's


def test_a_small_projector_stacks_the_views():
    # 1280×720 in presentation mode: the views get about 540 × 460, the map's axes and
    # colour bar at large type take 200 across and 90 down.
    overhead = (200.0, 90.0)
    side = plot_room(540, 460, overhead, stacked=False, spans=LECTURE)
    stacked = plot_room(540, 460, overhead, stacked=True, spans=LECTURE)
    assert stacked > 2 * side
    assert wants_stacked(540, 460, overhead, LECTURE)


def test_a_wide_window_keeps_a_square_domain_side_by_side():
    assert not wants_stacked(1100, 560, (130.0, 60.0), SQUARE)


@pytest.mark.parametrize("size, preset, stacked", [((1280, 720), "lecture", True),
                                                   ((1600, 1000), "lecture", True),
                                                   ((1600, 1000), "rosenbrock", False)])
def test_the_window_takes_the_roomier_arrangement(qtbot, size, preset, stacked):
    from gdviz.launch import LaunchOptions
    from gdviz.ui import MainWindow

    window = MainWindow(LaunchOptions(preset=preset), restore=False)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    assert QtTest.QTest.qWaitForWindowExposed(window)
    window.wait_idle()
    qtbot.waitUntil(lambda: window.views_arrangement.stacked is stacked, timeout=5000)
    split = window.views_split
    expected = QtCore.Qt.Orientation.Vertical if stacked else QtCore.Qt.Orientation.Horizontal
    assert split.orientation() == expected
    # the map gets the larger part either way, and the 3D view stays in sight
    sizes = split.sizes()
    assert sizes[0] > sizes[1] > 100
    # what it chose is at least as roomy as the other (for the domain's shape)
    overhead = map_overhead(QtGui.QFontInfo(window.contour.font()).pixelSize())
    (a0, a1), (b0, b1) = window.controller.domain
    spans = (a1 - a0, b1 - b0)
    args = (split.width(), split.height(), overhead)
    assert wants_stacked(*args, spans) is stacked
    if stacked:  # (taken only for a clear gain: side by side is the default)
        assert plot_room(*args, True, spans) > STACKING_GAIN * plot_room(*args, False, spans)
    # and the estimate is near what the map's axes and colour bar really take
    plot = window.contour.plot_rect()
    real = (window.contour.width() - plot.width(), window.contour.height() - plot.height())
    assert overhead == pytest.approx(real, rel=0.25)
    window.controller.pause()
    window.close()


def test_a_window_being_resized_settles_without_flipping(qtbot):
    # Switching changes the map's own overhead (axes, colour bar): measured again after a
    # switch, the other arrangement must not look better at once, or the views would flip
    # back and forth at one size.
    from gdviz.launch import LaunchOptions
    from gdviz.ui import MainWindow

    window = MainWindow(LaunchOptions(preset="rosenbrock"), restore=False)
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    assert QtTest.QTest.qWaitForWindowExposed(window)
    window.wait_idle()
    arrangement = window.views_arrangement
    seen = set()
    for width in list(range(1000, 1900, 60)) + list(range(1900, 1000, -60)):
        window.resize(width, 700)
        qtbot.wait(20)
        # (the narrow-window rule may hide or bring back the dock after a resize: the views'
        # room settles a turn or two later)
        for _ in range(3):
            QtCore.QCoreApplication.processEvents()
        qtbot.wait(20)
        now = arrangement.stacked
        seen.add(now)
        for _ in range(3):  # measured again, at the same size: it stays
            arrangement.arrange()
            QtCore.QCoreApplication.processEvents()
            assert arrangement.stacked is now, width
    assert seen == {True, False}  # (the sweep crossed the break-even point)
    window.controller.pause()
    window.close()


def test_a_session_reopened_is_arranged_and_shows_its_saved_region(qtbot):
    """Opening a session arranges the views for its domain, as loading its preset does, so
    with equal scales the map shows the region that was saved (not a wider one)."""
    from gdviz.launch import LaunchOptions
    from gdviz.ui import MainWindow

    window = MainWindow(LaunchOptions(), restore=False)
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    assert QtTest.QTest.qWaitForWindowExposed(window)
    window.wait_idle()
    window.load_preset("himmelblau")
    window.wait_idle()
    window.view_options.equal.setChecked(True)
    window.wait_idle()
    arranged = window.views_arrangement.stacked
    session = window.current_session()
    window.load_preset("lecture")
    window.wait_idle()
    assert window.views_arrangement.stacked is not arranged  # (the lecture's differs)
    window.apply_session(session)
    window.wait_idle()
    assert window.views_arrangement.stacked is arranged
    saved = session.view["map_range"]
    shown = window.current_session().view["map_range"]
    flat = [v for pair in shown for v in pair]
    assert flat == pytest.approx([v for pair in saved for v in pair], rel=1e-6, abs=1e-9)
    window.controller.pause()
    window.close()
