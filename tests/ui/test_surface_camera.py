"""The 3D view's camera under the mouse and keys: the wheel stays within sensible distances,
and a double-click or R brings back the first view."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtTest, QtWidgets

from gdviz.ui.surface_view import DEFAULT_CAMERA


def _wheel(view, notches: int) -> None:
    centre = QtCore.QPointF(view.width() / 2, view.height() / 2)
    for _ in range(abs(notches)):
        event = QtGui.QWheelEvent(centre, QtCore.QPointF(view.mapToGlobal(centre.toPoint())),
                                  QtCore.QPoint(0, 0), QtCore.QPoint(0, 120 if notches > 0
                                                                     else -120),
                                  QtCore.Qt.MouseButton.NoButton,
                                  QtCore.Qt.KeyboardModifier.NoModifier,
                                  QtCore.Qt.ScrollPhase.NoScrollPhase, False)
        QtWidgets.QApplication.sendEvent(view, event)


def test_the_wheel_keeps_the_surface_in_sight_and_r_or_a_double_click_resets(window, qtbot):
    surface = window.surface
    surface.build()
    assert surface.gl_ok
    view = surface.view
    lo, hi = view.distance_limits
    # 60 notches in showed only grid lines (distance 0.0014), 150 out a dot (93,644).
    _wheel(view, 60)
    assert surface.camera()["distance"] == lo
    _wheel(view, -150)
    assert surface.camera()["distance"] == hi
    assert 0.2 < lo < DEFAULT_CAMERA["distance"] < hi < 20
    # (the first view as it was set: its −60° came back as 300°, and two session files of
    # one view differed)
    first = dict(DEFAULT_CAMERA)
    surface.set_camera(5.0, 70.0, 10.0)
    window.activateWindow()
    assert QtTest.QTest.qWaitForWindowActive(window, 3000)
    QtTest.QTest.keyClick(window, QtCore.Qt.Key.Key_R)
    assert surface.camera() == first
    surface.set_camera(5.0, 70.0, 10.0)
    QtTest.QTest.mouseDClick(view, QtCore.Qt.MouseButton.LeftButton,
                             pos=QtCore.QPoint(view.width() // 2, view.height() // 2))
    assert surface.camera() == first
    surface.set_camera(2.0, 20.0, 300.0)
    assert surface.camera()["azimuth"] == -60.0


def test_keys_turn_tilt_and_zoom_the_3d_view(window):
    """Dragging and the wheel had no keys: a teacher at a laptop's keyboard could not turn the
    surface to show a valley (a QA round). Alt+arrows turn and tilt it, Alt+PgUp/PgDn zoom,
    within what the view can show; a focused drop-down keeps Alt+↓ to open its list."""
    from gdviz.ui.menus import TILT, TURN, ZOOM

    surface = window.surface
    surface.build()
    window.activateWindow()
    assert QtTest.QTest.qWaitForWindowActive(window, 3000)
    window.setFocus()
    surface.set_camera(2.0, 30.0, 10.0)
    alt = QtCore.Qt.KeyboardModifier.AltModifier
    for key, (distance, elevation, azimuth) in (
            (QtCore.Qt.Key.Key_Right, (2.0, 30.0, 10.0 + TURN)),
            (QtCore.Qt.Key.Key_Left, (2.0, 30.0, 10.0)),
            (QtCore.Qt.Key.Key_Up, (2.0, 30.0 + TILT, 10.0)),
            (QtCore.Qt.Key.Key_Down, (2.0, 30.0, 10.0)),
            (QtCore.Qt.Key.Key_PageUp, (2.0 / ZOOM, 30.0, 10.0)),
            (QtCore.Qt.Key.Key_PageDown, (2.0, 30.0, 10.0))):
        QtTest.QTest.keyClick(window, key, alt)
        camera = surface.camera()
        assert (camera["distance"], camera["elevation"], camera["azimuth"]) == \
            (distance, elevation, azimuth), key
    for _ in range(20):  # (no further than it can show)
        QtTest.QTest.keyClick(window, QtCore.Qt.Key.Key_Up, alt)
    assert surface.camera()["elevation"] == 90.0
    combo = window.findChild(QtWidgets.QComboBox, "optimizerCombo")
    combo.setFocus()
    QtTest.QTest.keyClick(combo, QtCore.Qt.Key.Key_Down, alt)
    assert surface.camera()["elevation"] == 90.0 and combo.view().isVisible()
    combo.hidePopup()
    window.setFocus()


def test_the_floor_grid_shows_on_the_dark_theme(window):
    surface = window.surface
    surface.build()
    window.classroom.presentation.set_dark(True)
    try:
        assert surface.grid.color().lightness() > 128  # (black lines on a dark ground)
    finally:
        window.classroom.presentation.set_dark(False)
    assert surface.grid.color().lightness() < 128
