"""Import Qt (PySide6) before pyqtgraph so the binding is certain, and configure pyqtgraph once."""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg  # noqa: E402
from PySide6 import QtCore, QtGui, QtWidgets  # noqa: E402

# Antialiasing every line is the costliest part of painting in software; it is switched on
# only for the items that move (the runs' paths).
pg.setConfigOptions(imageAxisOrder="row-major", antialias=False, background="w", foreground="k")


def _cache_axis(init):
    """Wrap ``AxisItem.__init__`` so every axis keeps its picture in a pixmap cache.

    An axis with grid lines covers its whole plot, so any change inside a plot (a marker, a
    path growing during playback) repaints it; replaying its ``QPicture`` (ticks, text, grid)
    costs milliseconds each time. Cached, it is a pixmap copy until the axis itself changes
    (pyqtgraph calls ``update()`` on a new range or label, which refreshes the cache).
    """

    def __init__(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    return __init__


if not getattr(pg.AxisItem, "_gdviz_cached", False):
    pg.AxisItem.__init__ = _cache_axis(pg.AxisItem.__init__)
    pg.AxisItem._gdviz_cached = True

Signal = QtCore.Signal
Slot = QtCore.Slot

__all__ = ["QtCore", "QtGui", "QtWidgets", "Signal", "Slot", "pg"]
