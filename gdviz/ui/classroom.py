"""Classroom features installed on the main window: sessions, export, presentation, compare."""

from __future__ import annotations


def install_classroom(window) -> None:
    """Attach the classroom features to ``window`` (a MainWindow)."""
