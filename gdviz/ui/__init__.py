"""gdviz's Qt layer. ``from gdviz.ui import MainWindow`` builds the window."""

from gdviz.ui.main_window import LaunchOptions, MainWindow

__all__ = ["LaunchOptions", "MainWindow"]
