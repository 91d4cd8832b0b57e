"""The lecture tabs' plot, :class:`LecturePlot`: an item canvas in the tabs' type, as tall as
its curve needs in any type."""

from __future__ import annotations

from gdviz.ui.binding import QtCore, QtGui, QtWidgets
from gdviz.ui.canvas import ItemCanvas

FONT_PT = 13  # type size of the lecture tabs (projector-friendly)

MIN_PLOT_HEIGHT = 150
"""Pixels a lecture plot keeps at least: below it the axes leave no room for the curve."""
LEAST_GROWS = 1.5
"""The most a lecture plot's least height grows with its type (presentation mode's)."""


class LecturePlot(ItemCanvas):
    """A plot of the lecture tabs: ticks a point below the tabs' type, axis titles in it.

    The views choose the ranges (no pan or zoom) and ask for little room, so a dock of several
    plots starts at a sane size.

    Parameters
    ----------
    name : str
        Object name (for tests and automation).
    description : str
        Accessible name (what a screen reader says).
    bottom, left : str
        Axis titles (empty: none).
    grid : float
        Opacity of the grid lines, 0 (none) to 1.
    parent : QWidget, optional
    """

    def __init__(self, name: str, description: str, bottom: str = "", left: str = "",
                 grid: float = 0.15, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(description)
        font = self.font()
        font.setPointSize(FONT_PT - 1)
        # Tall enough to read: the tab scrolls when the dock is shorter than its plots.
        self._least, self._grows = MIN_PLOT_HEIGHT, True
        self._base_px = QtGui.QFontInfo(font).pixelSize()  # (the type it is built with)
        self.setMinimumHeight(MIN_PLOT_HEIGHT)
        self.setFont(font)
        self.grid_alpha = round(255 * grid)
        self.pan_zoom = False
        self.set_axis_label("bottom", bottom)
        self.set_axis_label("left", left)
        # The theme's ground (white, or dark with the dark theme) with the items' black and
        # grey inks mirrored on a dark one.
        self.mirror_inks = True
        self._follow_palette()

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        return QtCore.QSize(280, 220)

    def set_least_height(self, pixels: int, grows: bool = True) -> None:
        """Keep at least ``pixels`` of height in the type it was built with, more (up to
        :data:`LEAST_GROWS` times) in larger type where it ``grows``: its axes' labels grow,
        the curve's room must not shrink (in presentation mode the h → 0 tab's secant plot,
        100 pixels, had 30 for its curve, its tick labels on top of each other)."""
        self._least, self._grows = int(pixels), grows
        self._grow_least()

    def _grow_least(self) -> None:
        # (as the square of the type's scale: the axes' labels and title are two lines of
        # it, and the curve's room shrank by twice what they grew)
        scale = QtGui.QFontInfo(self.font()).pixelSize() / max(self._base_px, 1) \
            if self._grows else 1.0
        least = round(self._least * min(LEAST_GROWS, max(1.0, scale * scale)))
        if least != self.minimumHeight():
            self.setMinimumHeight(least)

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.PaletteChange:
            self._follow_palette()
        elif event.type() == QtCore.QEvent.Type.FontChange:
            self._grow_least()

    def _follow_palette(self) -> None:
        ground = self.palette().color(QtGui.QPalette.ColorRole.Base)
        if ground != self.backgroundBrush().color():
            self.setBackground(ground)
