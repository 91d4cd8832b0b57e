"""Fixtures for the UI tests: the real main window, and a "user" that drives it."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtTest, QtWidgets

from gdviz.ui import MainWindow
from gdviz.ui.later import drain_pools

Qt = QtCore.Qt


@pytest.fixture(autouse=True)
def collect_between_tests():
    """Collect the garbage earlier tests left (closed windows and their cycles) while no
    worker thread of this test runs yet: a collection that frees Qt wrappers at a random
    moment, with a typesetting thread busy, once crashed the suite in CI."""
    # First the earlier tests' background jobs end (their widgets, deleted later, would wait
    # for them holding the GIL: a hang).
    for widget in QtWidgets.QApplication.topLevelWidgets():
        drain_pools(widget)
    gc.collect()
    yield


@pytest.fixture(autouse=True)
def errors_shown_as_in_the_window(monkeypatch):
    """A test that runs ``run_app`` headless puts the error report in batch mode (stderr):
    each test starts as the window does."""
    from gdviz.ui import crash_dialog

    monkeypatch.setattr(crash_dialog, "_batch", False)


def _wait_for_pools(widget: QtWidgets.QWidget) -> None:
    """Let the typesetting threads of ``widget``'s views finish their jobs."""
    for pool in widget.findChildren(QtCore.QThreadPool):
        pool.waitForDone(30000)


@pytest.fixture
def window(qtbot):
    """The main window as ``MainWindow()`` builds it, shown, with its first loss applied."""
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    assert QtTest.QTest.qWaitForWindowExposed(w)
    w.wait_idle()
    yield w
    w.controller.pause()
    w.close()
    w.worker.wait(30000)  # the compile and typesetting threads too
    _wait_for_pools(w)


class User:
    """Drives the window like a person: keyboard, mouse, the widgets' object names."""

    def __init__(self, qtbot, window: MainWindow) -> None:
        self.qtbot = qtbot
        self.window = window

    # -- finding things ------------------------------------------------------------------
    def find(self, name: str, cls=QtWidgets.QWidget):
        widget = self.window.findChild(cls, name)
        assert widget is not None, f"no widget named {name!r}"
        return widget

    # -- keyboard --------------------------------------------------------------------------
    def type_loss(self, text: str, enter: bool = True) -> None:
        """Replace the loss text by typing it (and press Enter)."""
        edit = self.find("lossEdit")
        edit.setFocus()
        self.qtbot.keyClick(edit, Qt.Key_A, Qt.ControlModifier)  # select all: typing replaces
        self.qtbot.keyClick(edit, Qt.Key_Backspace)
        self.qtbot.keyClicks(edit, text)
        if enter:
            self.qtbot.keyClick(edit, Qt.Key_Return)
            self.window.wait_idle()

    def focus_window(self) -> None:
        """Move the focus off the line edit (as clicking the map would)."""
        self.window.activateWindow()
        self.window.raise_()
        self.window.contour.setFocus()
        self.qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is self.window,
                             timeout=3000)
        QtWidgets.QApplication.processEvents()

    def key(self, key, modifier=Qt.NoModifier) -> None:
        """Press a key in the window (not in the line edit)."""
        target = QtWidgets.QApplication.focusWidget() or self.window
        self.qtbot.keyClick(target, key, modifier)

    # -- mouse -----------------------------------------------------------------------------
    def click(self, name: str) -> None:
        self.qtbot.mouseClick(self.find(name), Qt.LeftButton)

    def tick(self, name: str, checked: bool = True) -> None:
        """Click a check box's indicator (if it is not already as wanted)."""
        box = self.find(name, QtWidgets.QCheckBox)
        if box.isChecked() != checked:
            option = QtWidgets.QStyleOptionButton()
            box.initStyleOption(option)
            rect = box.style().subElementRect(
                QtWidgets.QStyle.SubElement.SE_CheckBoxIndicator, option, box)
            self.qtbot.mouseClick(box, Qt.LeftButton, pos=rect.center())
        assert box.isChecked() == checked, f"clicking {name} did not toggle it"

    def choose(self, combo_name: str, text: str) -> None:
        """Open a combo box's list and click the entry whose text contains ``text``."""
        combo = self.find(combo_name, QtWidgets.QComboBox)
        index = next((i for i in range(combo.count()) if text in combo.itemText(i)), -1)
        assert index >= 0, f"{combo_name} has no entry with {text!r}"
        combo.showPopup()
        view = combo.view()
        self.qtbot.waitUntil(view.isVisible, timeout=3000)
        model_index = view.model().index(index, combo.modelColumn(), view.rootIndex())
        view.scrollTo(model_index)
        rect = view.visualRect(model_index)
        self.qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=rect.center())
        self.qtbot.waitUntil(lambda: not view.isVisible(), timeout=3000)
        assert combo.currentIndex() == index

    def map_point(self, a: float, b: float) -> QtCore.QPoint:
        """Widget (viewport) coordinates of the data point (a, b) on the 2D map."""
        return self.window.contour.data_to_point(a, b).toPoint()

    def map_data(self, pos: QtCore.QPoint) -> tuple[float, float]:
        """Data coordinates of a viewport position on the 2D map."""
        return self.window.contour.point_to_data(QtCore.QPointF(pos))

    def click_map(self, a: float, b: float) -> None:
        self.qtbot.mouseClick(self.window.contour, Qt.LeftButton,
                              pos=self.map_point(a, b))

    def drag_on_map(self, start: tuple[float, float], end: tuple[float, float],
                    steps: int = 8) -> None:
        """Press at ``start``, move in small steps to ``end``, release (data coordinates)."""
        viewport = self.window.contour
        p0, p1 = self.map_point(*start), self.map_point(*end)
        QtTest.QTest.mousePress(viewport, Qt.LeftButton, Qt.NoModifier, p0)
        for t in np.linspace(0, 1, steps + 1)[1:]:
            p = QtCore.QPoint(round(p0.x() + t * (p1.x() - p0.x())),
                              round(p0.y() + t * (p1.y() - p0.y())))
            QtTest.QTest.mouseMove(viewport, p, 10)
        QtTest.QTest.mouseRelease(viewport, Qt.LeftButton, Qt.NoModifier, p1, 10)
        QtWidgets.QApplication.processEvents()


@pytest.fixture
def user(qtbot, window):
    return User(qtbot, window)


@pytest.fixture
def painted(qapp):
    """``painted(paint, width, height, background)``: the ``(height, width, 3)`` int RGB
    array of what ``paint(painter)`` draws, antialiased, on an image of that background."""

    def render(paint, width: int = 400, height: int = 400, background: str = "white"):
        image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_RGB32)
        image.fill(QtGui.QColor(background))
        p = QtGui.QPainter(image)
        try:  # (an open painter left by a failure would crash the test run)
            p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
            paint(p)
        finally:
            p.end()
        data = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
        return data[:, : 4 * width].reshape(height, width, 4)[..., 2::-1].astype(int)

    return render


@pytest.fixture
def surface_view_of(qtbot):
    """``surface_view_of(grid, values, levels=(0, 1), size=(420, 360))``: a shown 3D view
    (``SurfaceView``) of ``values`` on ``grid``, its first picture painted."""
    from gdviz.ui.surface_view import SurfaceView

    def make(grid, values, levels=(0.0, 1.0), size=(420, 360)):
        surface = SurfaceView()
        qtbot.addWidget(surface)
        assert surface.gl_ok, surface.message.text()
        surface.resize(*size)
        surface.show()
        assert QtTest.QTest.qWaitForWindowExposed(surface)
        surface.set_surface(grid, values, levels)
        for _ in range(6):
            QtCore.QCoreApplication.processEvents()
        return surface

    return make



@pytest.fixture
def steps_view_of(qtbot):
    """``steps_view_of(controller, size=(500, 700))``: a Chain rule view (``StepsView``) of
    ``controller``, shown at ``size``, done with its loss."""
    from gdviz.ui.derivatives.steps_view import StepsView

    def make(controller, size=(500, 700)):
        view = StepsView(controller)
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitUntil(lambda: not view.busy, timeout=60000)
        return view

    return make


@pytest.fixture
def canvas(qtbot):
    """A shown 400 × 300 plotting canvas (``ItemCanvas``), its axes titled x and y, showing
    x from −2 to 2 and y from 0 to 10."""
    from gdviz.ui.canvas import ItemCanvas

    view = ItemCanvas()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.set_axis_label("bottom", "x")
    view.set_axis_label("left", "y")
    view.set_range((-2.0, 2.0), (0.0, 10.0))
    view.show()
    assert QtTest.QTest.qWaitForWindowExposed(view)
    return view
