"""gdviz's Qt layer. ``from gdviz.ui import MainWindow`` builds the window.

The window module is imported on first use, so importing a single view module (tests,
scripts) does not build the whole UI.
"""

from __future__ import annotations

__all__ = ["LaunchOptions", "MainWindow"]


def __getattr__(name: str):
    if name in __all__:
        from gdviz.ui import main_window

        return getattr(main_window, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
