"""The map and the 3D view side by side, or the map above the 3D view: whichever gives the
map more room for the shape of its loss's domain.

On a 1280×720 projector in presentation mode the views get about 540 × 460 pixels; side by
side, the map's axes and colour bar at large type left its plot 115 pixels wide (a sliver,
and the lecture's domain is twice as wide as tall). Stacked, it is about 340 × 200. On a wide
window the side-by-side layout stays. The choice is made again whenever the views' room or
the type size changes, with a margin so that it does not flip back and forth.
"""

from __future__ import annotations

from gdviz.ui.qt import QtCore
from gdviz.ui.window_layout import MAP_SHARE, STACKED_MAP_SHARE

SWITCH_GAIN = 1.2
"""How much roomier the other arrangement must make the map's plot before it is taken."""


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
                  stacked_now: bool, spans: tuple[float, float] = (1.0, 1.0)) -> bool:
    """Whether the map should sit above the 3D view (see :func:`plot_room`)."""
    now = plot_room(width, height, overhead, stacked_now, spans)
    other = plot_room(width, height, overhead, not stacked_now, spans)
    switch = other > SWITCH_GAIN * max(now, 1e-9)
    return (not stacked_now) if switch else stacked_now


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

    def arrange(self) -> None:
        """Take the orientation that gives the map's plot more room (if it is not taken)."""
        split, contour = self.window.views_split, self.window.contour
        plot = contour.plot_rect()
        overhead = (contour.width() - plot.width(), contour.height() - plot.height())
        width, height = split.width(), split.height()
        if width < 50 or height < 50:
            return  # (not laid out yet)
        (a0, a1), (b0, b1) = self.window.controller.domain
        spans = (a1 - a0, b1 - b0) if a1 > a0 and b1 > b0 else (1.0, 1.0)
        stacked = wants_stacked(width, height, overhead, self.stacked, spans)
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
