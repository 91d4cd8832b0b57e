"""The Qt binding (PySide6) alone, for modules the first frame needs.

``gdviz.ui.qt`` adds pyqtgraph (about half a second to import); the window's first frame is
drawn without it, so the modules it uses import Qt from here.
"""

from __future__ import annotations

import sys

from PySide6 import QtCore, QtGui, QtWidgets

Signal = QtCore.Signal
Slot = QtCore.Slot

__all__ = ["QtCore", "QtGui", "QtWidgets", "Signal", "Slot"]


def _lighten_import_hook() -> None:
    """Let PySide6's import hook read a module's file, not ask ``inspect`` for its source.

    Once imported, PySide6 looks at every module imported after it for the word "PySide6"
    (for its ``__feature__`` switches), through ``inspect.getsource``: about 0.12 ms a
    module, 18 ms for the 150 imported before the window's first frame. Reading the file's
    bytes answers the same question in a fifth of the time. A module with no ``.py`` file,
    or a PySide6 without this hook, is left as it was.
    """
    feature = sys.modules.get("shibokensupport.feature")
    slow = getattr(feature, "_mod_uses_pyside", None)
    if slow is None or getattr(slow, "lightened", False):
        return

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return slow(module)

    uses_pyside.lightened = True
    uses_pyside.original = slow
    feature._mod_uses_pyside = uses_pyside


_lighten_import_hook()
