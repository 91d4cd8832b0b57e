"""Fixtures for the lecture tabs' tests: a controller on the lecture's loss with one run,
and each tab shown on its own (no main window)."""

from __future__ import annotations

import pytest
from PySide6 import QtTest

from gdviz import parse_loss
from gdviz.core.session import RunSpec
from gdviz.ui.controller import Controller, Run
from gdviz.ui.derivatives.gradient_view import GradientView
from gdviz.ui.derivatives.limit_view import LimitView
from gdviz.ui.derivatives.slice_view import SliceView

LECTURE = "sin(w1)*w2*(1-w2)"
DOMAIN = ((-4.0, 4.0), (-1.5, 2.5))


@pytest.fixture
def controller(qtbot):
    c = Controller()
    c.runs = [Run(RunSpec(optimizer="gd", lr=0.1, start=(-0.5, 0.2), steps=50,
                          color="#0072B2"))]
    c.set_domain(DOMAIN)
    c.set_loss(parse_loss(LECTURE))
    yield c
    c.pause()
    c.worker.wait()


def _show(qtbot, view):
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    assert QtTest.QTest.qWaitForWindowExposed(view)
    return view


@pytest.fixture
def slice_view(qtbot, controller):
    return _show(qtbot, SliceView(controller))


@pytest.fixture
def limit_view(qtbot, controller):
    return _show(qtbot, LimitView(controller))


@pytest.fixture
def gradient_view(qtbot, controller):
    return _show(qtbot, GradientView(controller))
