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


def _load_pyqtgraph():
    import pyqtgraph

    # pyqtgraph draws only the 3D scene (and lends a colour map): its 2D axes and plots are
    # not used any more (see gdviz.ui.canvas).
    pyqtgraph.setConfigOptions(imageAxisOrder="row-major", antialias=False, background="w",
                               foreground="k")
    return pyqtgraph


def __getattr__(name: str):
    if name == "pg":
        pg = _load_pyqtgraph()
        globals()["pg"] = pg  # once loaded, a plain attribute
        return pg
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
