"""Qt (PySide6) for the UI modules, and pyqtgraph on first use.

``from gdviz.ui.qt import QtCore, QtGui, QtWidgets`` costs only PySide6; ``pg`` (pyqtgraph,
about half a second to import) is loaded and configured the first time a module asks for it,
so the window's first frame never waits for it. PySide6 is imported first so pyqtgraph binds
to it for certain.
"""

from __future__ import annotations

import os

from gdviz.ui.binding import QtCore, QtGui, QtWidgets, Signal, Slot

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

__all__ = ["QtCore", "QtGui", "QtWidgets", "Signal", "Slot", "pg"]  # noqa: F822 - lazy


def _cache_axis(init):
    """Wrap ``AxisItem.__init__`` so every axis keeps its picture in a pixmap cache.

    An axis with grid lines covers its whole plot, so any change inside a plot repaints it;
    replaying its ``QPicture`` (ticks, text, grid) costs milliseconds each time. Cached, it is a
    pixmap copy until the axis itself changes (pyqtgraph calls ``update()`` on a new range or
    label, which refreshes the cache).
    """

    def __init__(self, *args, **kwargs) -> None:
        init(self, *args, **kwargs)
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)

    return __init__


def _load_pyqtgraph():
    import pyqtgraph

    # Antialiasing every line is the costliest part of painting in software: pyqtgraph's own
    # items (the 3D view's helpers, colour maps) keep it off unless asked.
    pyqtgraph.setConfigOptions(imageAxisOrder="row-major", antialias=False, background="w",
                               foreground="k")
    if not getattr(pyqtgraph.AxisItem, "_gdviz_cached", False):
        pyqtgraph.AxisItem.__init__ = _cache_axis(pyqtgraph.AxisItem.__init__)
        pyqtgraph.AxisItem._gdviz_cached = True
    return pyqtgraph


def __getattr__(name: str):
    if name == "pg":
        pg = _load_pyqtgraph()
        globals()["pg"] = pg  # once loaded, a plain attribute
        return pg
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
