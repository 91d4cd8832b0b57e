"""The map and the 3D view side by side, or the map above the 3D view: whichever gives the
map more room for the shape of its loss's domain.

On a 1280×720 projector in presentation mode the views get about 540 × 460 pixels; side by
side, the map's axes and colour bar at large type left its plot 115 pixels wide (a sliver,
and the lecture's domain is twice as wide as tall). Stacked, it is about 340 × 200. On a wide
window the side-by-side layout stays. The choice is made again whenever the views' room,
the type size or the domain changes, and is the same for the same three whatever was shown
before (:func:`map_overhead`).
"""

from __future__ import annotations

from gdviz.ui.qt import QtCore, QtGui
from gdviz.ui.window_layout import MAP_SHARE, STACKED_MAP_SHARE

STACKING_GAIN = 1.15
"""How much roomier stacking must make the map: side by side, a square domain's map is not
squashed, and the 3D view keeps a panel of its own shape (Rosenbrock at 1600 × 1000 gained
4 % stacked)."""


def plot_room(width: float, height: float, overhead: tuple[float, float],
              stacked: bool, spans: tuple[float, float] = (1.0, 1.0)) -> float:
    """Pixels per unit of the loss's domain along the map's more crowded axis, when the views
    get ``width`` × ``height``.

    Parameters
    ----------
    width, height
        The room of the map and the 3D view together.
    overhead
        What the map's axes, labels and colour bar take across and down.
    stacked
        The 3D view below the map (``True``) or beside it.
    spans
        The domain's width and height (the lecture's, 8 × 4, wants a wide map; the default
        1 × 1 compares the plot's shorter sides).
    """
    ox, oy = overhead
    if stacked:
        across, down = width - ox, STACKED_MAP_SHARE * height - oy
    else:
        across, down = MAP_SHARE * width - ox, height - oy
    return min(across / spans[0], down / spans[1])


def wants_stacked(width: float, height: float, overhead: tuple[float, float],
                  spans: tuple[float, float] = (1.0, 1.0)) -> bool:
    """Whether the map should sit above the 3D view: it then gets :data:`STACKING_GAIN`
    times the room (see :func:`plot_room`) or more."""
    return (plot_room(width, height, overhead, True, spans)
            > STACKING_GAIN * plot_room(width, height, overhead, False, spans))


def map_overhead(font_px: float) -> tuple[float, float]:
    """What the map's axes, tick labels and colour bar take across and down in type of
    ``font_px`` pixels (measured: 167 × 52 at 12 px, 279 × 91 at 24 px).

    An estimate from the type size rather than the map's own measure: that changes with the
    arrangement (other tick labels), and a choice made on it could flip back at once. So
    the same window, type size and domain always get the same arrangement, whatever was
    shown before (a session reopened shows its saved map range again).
    """
    return 60.0 + 9.0 * font_px, 14.0 + 3.2 * font_px


class ViewsArrangement(QtCore.QObject):
    """Keeps ``window.views_split`` (map, 3D view) in the better orientation.

    Attributes
    ----------
    stacked : bool
        Whether the 3D view sits below the map now.
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.arrange)
        # (the map's own font changes its overhead: presentation mode, Ctrl +/−)
        for widget in (window.views_split, window.contour):
            widget.installEventFilter(self)
        window.controller.domainChanged.connect(lambda _domain: self._timer.start())

    @property
    def stacked(self) -> bool:
        return self.window.views_split.orientation() == QtCore.Qt.Orientation.Vertical

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind in (QtCore.QEvent.Type.Resize, QtCore.QEvent.Type.FontChange):
            self._timer.start()  # (once the layout has settled)
        return False

    def flush(self) -> None:
        """Arrange now if a change is waiting (:meth:`MainWindow.wait_idle`)."""
        if self._timer.isActive():
            self._timer.stop()
            self.arrange()

    def arrange(self) -> None:
        """Take the orientation that gives the map's plot more room (if it is not taken)."""
        split, contour = self.window.views_split, self.window.contour
        overhead = map_overhead(QtGui.QFontInfo(contour.font()).pixelSize())
        width, height = split.width(), split.height()
        if width < 50 or height < 50:
            return  # (not laid out yet)
        (a0, a1), (b0, b1) = self.window.controller.domain
        spans = (a1 - a0, b1 - b0) if a1 > a0 and b1 > b0 else (1.0, 1.0)
        stacked = wants_stacked(width, height, overhead, spans)
        if stacked == self.stacked:
            return
        if stacked:
            split.setOrientation(QtCore.Qt.Orientation.Vertical)
            first = round(STACKED_MAP_SHARE * height)
            split.setSizes([first, height - first])
        else:
            split.setOrientation(QtCore.Qt.Orientation.Horizontal)
            first = round(MAP_SHARE * width)
            split.setSizes([first, width - first])
