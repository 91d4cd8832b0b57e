"""The Qt binding (PySide6) alone, for modules the first frame needs.

``gdviz.ui.qt`` adds pyqtgraph (about half a second to import); the window's first frame is
drawn without it, so the modules it uses import Qt from here.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

Signal = QtCore.Signal
Slot = QtCore.Slot

__all__ = ["QtCore", "QtGui", "QtWidgets", "Signal", "Slot"]
