"""The "Derivatives" area: lecture views linked to the current loss and point.

Each tab is a widget class taking ``(controller, parent=None)``; it subscribes to the
controller's signals and reads ``controller.loss`` and ``controller.current_point()``.
"""

from __future__ import annotations

import importlib

from gdviz.ui.qt import QtCore, QtWidgets

# (tab title, module, class, tooltip) in lecture order.
TABS = (
    ("Slice", "gdviz.ui.derivatives.slice_view", "SliceView",
     "f along one variable with the other held constant; the tangent's slope is the partial "
     "derivative"),
    ("h → 0", "gdviz.ui.derivatives.limit_view", "LimitView",
     "Secant slope approaching the derivative as h shrinks; error against h"),
    ("Chain rule", "gdviz.ui.derivatives.steps_view", "StepsView",
     "How each partial derivative is built, one rule per step"),
    ("Gradient", "gradient_view", "GradientView",
     "∇f at the current point: perpendicular to the contour, pointing uphill; directional "
     "derivative"),
    ("Regression", "gdviz.ui.derivatives.regression_view", "RegressionView",
     "Why ML cares: a line fitted to data by descending the mean-squared error"),
)


class DerivativesDock(QtWidgets.QDockWidget):
    """A dock holding the lecture tabs; ``tabs`` is the QTabWidget, ``views`` maps titles."""

    def __init__(self, controller, parent=None) -> None:
        super().__init__("Derivatives", parent)
        self.setObjectName("derivativesDock")
        self.setAllowedAreas(QtCore.Qt.AllDockWidgetAreas)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setObjectName("derivativesTabs")
        self.views: dict[str, QtWidgets.QWidget] = {}
        for title, module, cls, tip in TABS:
            if "." not in module:
                module = f"gdviz.ui.derivatives.{module}"
            widget = getattr(importlib.import_module(module), cls)(controller)
            self.views[title] = widget
            self.tabs.addTab(widget, title)
            self.tabs.setTabToolTip(self.tabs.count() - 1, tip)
        self.setWidget(self.tabs)
