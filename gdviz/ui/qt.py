"""Import Qt (PySide6) before pyqtgraph so the binding is certain, and configure pyqtgraph once."""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg  # noqa: E402
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402

# Antialiasing every line is the costliest part of painting in software; it is switched on
# only for the items that move (the runs' paths).
pg.setConfigOptions(imageAxisOrder="row-major", antialias=False, background="w", foreground="k")

Signal = QtCore.Signal
Slot = QtCore.Slot

__all__ = ["QtCore", "QtGui", "QtWidgets", "Signal", "Slot", "pg"]
