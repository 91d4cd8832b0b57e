"""Where Qt may break a line of text (for the tests of labels that must not wrap inside)."""

from __future__ import annotations

from PySide6 import QtCore


def line_breaks(text: str) -> list[int]:
    """The positions inside ``text`` (not its end) where a line may break."""
    finder = QtCore.QTextBoundaryFinder(QtCore.QTextBoundaryFinder.BoundaryType.Line, text)
    breaks = []
    pos = finder.toNextBoundary()
    while 0 <= pos < len(text):
        breaks.append(pos)
        pos = finder.toNextBoundary()
    return breaks
