"""The sidebar scrolls without flipping its scroll bar on and off: its formulas shrink with
its width, and at the edge Qt resized them back and forth until the stack ran out (a
segfault at 1600 × 1000, choosing RMSprop after Adam on a sum of two roots)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6 import QtCore, QtWidgets

from gdviz.ui.widgets import GutterScrollArea

ROOT = Path(__file__).resolve().parents[2]

# The steps that crashed the window, found by a long session's loop (and cut down).
CRASH_SCRIPT = r"""
from PySide6 import QtTest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from gdviz.ui.app import make_app

app = make_app()
from gdviz.ui import MainWindow

w = MainWindow(); w.show(); w.wait_idle(); w.resize(1600, 1000); w.wait_idle()
combo = w.findChild(QWidget, "optimizerCombo")

def choose(key):
    i = [combo.itemData(k) for k in range(combo.count())].index(key)
    combo.setCurrentIndex(i); combo.activated.emit(i); w.wait_idle()

choose("rmsprop"); choose("adam")
edit = w.findChild(QWidget, "lossEdit")
edit.setFocus(); edit.selectAll()
QtTest.QTest.keyClicks(edit, "sqrt(1+x^2) + sqrt(1+1*y^2)")
QtTest.QTest.keyClick(edit, Qt.Key_Return); w.wait_idle()
QtTest.QTest.mouseClick(w.findChild(QWidget, "addRunButton"), Qt.LeftButton); w.wait_idle()
choose("rmsprop")
print("chosen", w.controller.runs[-1].spec.optimizer)
"""


# Another, found by a monkey test: 1920 × 1200, Rosenbrock, a forward difference, the step
# schedule (its rows make the sidebar taller): 4 crashes in 5 runs.
CRASH_SCRIPT_2 = r"""
from PySide6 import QtTest, QtWidgets
from gdviz.ui.app import make_app

app = make_app()
from gdviz.ui import MainWindow

w = MainWindow(); w.resize(1400, 900); w.show()
QtTest.QTest.qWaitForWindowExposed(w); w.wait_idle()
w.resize(1920, 1200); QtTest.QTest.qWait(40)
for name, text in (("presetCombo", "Rosenbrock"), ("gradientCombo", "forward"),
                   ("scheduleCombo", "step")):
    combo = w.findChild(QtWidgets.QComboBox, name)
    i = next(j for j in range(combo.count()) if text in combo.itemText(j))
    combo.setCurrentIndex(i); combo.activated.emit(i)
    QtTest.QTest.qWait(40)
w.wait_idle(); QtTest.QTest.qWait(300)
print("chosen", w.controller.runs[0].spec.schedule)
"""


@pytest.mark.parametrize("script, said", [(CRASH_SCRIPT, "chosen rmsprop"),
                                          (CRASH_SCRIPT_2, "chosen step")])
def test_the_window_survives_the_sidebar_at_its_scroll_bar_s_edge(tmp_path, script, said):
    env = {**os.environ, "GDVIZ_SETTINGS_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, (out.returncode, out.stderr[-2000:])
    assert said in out.stdout


class _ByWidth(QtWidgets.QWidget):
    """Content whose height depends on its width, as the sidebar's formulas' does: taller
    than ``edge`` (the viewport's height) when narrower than ``limit`` pixels."""

    def __init__(self, limit: int, edge: int) -> None:
        super().__init__()
        self.limit, self.edge = limit, edge
        self.widths: list[int] = []
        self.setMinimumWidth(50)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self.edge + 40 if width < self.limit else self.edge - 40

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        return QtCore.QSize(self.limit, self.heightForWidth(self.width()))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.widths.append(event.size().width())
        self.setMinimumHeight(self.heightForWidth(event.size().width()))
        super().resizeEvent(event)


def test_the_content_keeps_its_width_whether_or_not_the_bar_shows(qtbot):
    area = GutterScrollArea()
    qtbot.addWidget(area)
    area.resize(300, 400)
    bar = area.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_ScrollBarExtent)
    content = _ByWidth(limit=300 - 2 * area.frameWidth() - bar // 2, edge=400)
    area.setWidget(content)
    area.show()
    qtbot.waitExposed(area)
    for _ in range(5):
        QtCore.QCoreApplication.processEvents()
    width = content.width()
    assert width == 300 - 2 * area.frameWidth() - bar  # the gutter kept for the bar
    assert len(content.widths) < 6, content.widths  # no back and forth
    # Taller content (the bar shows) or shorter (it goes): the same width.
    for edge in (200, 900, 200):
        content.edge = edge
        content.setMinimumHeight(content.heightForWidth(width))
        for _ in range(5):
            QtCore.QCoreApplication.processEvents()
        assert content.width() == width
    # A wider area gives the content the room, less the gutter.
    area.resize(500, 400)
    for _ in range(5):
        QtCore.QCoreApplication.processEvents()
    assert content.width() == 500 - 2 * area.frameWidth() - bar


def test_content_that_grows_wider_scrolls_sideways(qtbot):
    """The width held for the bar followed resizes only: content whose least width grew
    afterwards (larger type in a hidden tab) was squeezed below it, cut off on the right
    with no scroll bar."""
    area = GutterScrollArea()
    qtbot.addWidget(area)
    area.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    label = QtWidgets.QLabel("short")
    area.setWidget(label)
    area.resize(300, 200)
    area.show()
    qtbot.waitExposed(area)
    label.setText("a much longer line of text " * 4)
    for _ in range(5):
        QtCore.QCoreApplication.processEvents()
    assert label.width() >= label.minimumSizeHint().width()
    assert area.horizontalScrollBar().maximum() > 0


def test_a_tab_grown_wider_while_hidden_scrolls_sideways(window, qtbot):
    """Type made larger while a tab was hidden: its least width grew past the width held
    for its page's scroll bar, and Qt squeezed it, the h → 0 tab's quotients cut off on the
    right ("error 0.0097") with no scroll bar to reach them."""
    from gdviz.ui.window_layout import share_width

    window.resize(1280, 720)
    share_width(window, 1280)
    lecture, tabs = window.derivatives, window.derivatives.tabs

    def settle() -> None:
        qtbot.wait(50)
        window.wait_idle()

    for scale in (1.0, 1.5, 2.0):
        lecture.set_type_scale(scale)
        for i in range(tabs.count()) if scale < 2 else [0]:
            tabs.setCurrentIndex(i)
            settle()
    tabs.setCurrentIndex(1)
    settle()
    page = tabs.currentWidget()
    view = page.widget()
    assert view.width() >= view.minimumSizeHint().width()
    if view.minimumSizeHint().width() > page.viewport().width():
        assert page.horizontalScrollBar().maximum() > 0
    lecture.set_type_scale(1.0)
