"""ItemCanvas: a :class:`~gdviz.ui.canvas.plot_canvas.PlotCanvas` of simple plot items.

See :mod:`gdviz.ui.canvas.items` for the items and how their layers are repainted.
"""

from __future__ import annotations

import numpy as np

from gdviz.ui.binding import QtCore, QtGui, Signal
from gdviz.ui.canvas.items import HIT_PX, Item
from gdviz.ui.canvas.plot_canvas import PlotCanvas


class ItemCanvas(PlotCanvas):
    """A plot of :class:`Item` objects; see the module docstring.

    Signals
    -------
    itemDragged(item)
        A movable item was dragged by the user (its new position is already set).
    plotClicked(x, y, button)
        A click without a drag inside the plot, at data point (x, y), with the left or the
        right ``Qt.MouseButton``.
    """

    itemDragged = Signal(object)
    plotClicked = Signal(float, float, object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.items: list[Item] = []

    def add(self, item: Item, frame: bool = False) -> Item:
        """Add ``item`` (to the frame layer when ``frame``); returns it."""
        item.canvas = self
        item.frame = bool(frame)
        self.items.append(item)
        self.items.sort(key=lambda it: it.z)
        self.item_changed(item)
        return item

    def item_changed(self, item: Item) -> None:
        if item.frame:
            # Frame items are clipped to the plot area: the axes around it stay on screen.
            self.update(self.plot_rect().toAlignedRect().adjusted(-1, -1, 1, 1))
        else:
            self.redraw_data()

    def auto_range(self, pad: float = 0.05, x=None, y=None) -> None:
        """Fit the range to the items' data (``x`` or ``y`` given: keep that one)."""
        boxes = [b for b in (it.bounds() for it in self.items if it.in_range) if b is not None]
        if not boxes:
            return
        x0, x1 = min(b[0] for b in boxes), max(b[1] for b in boxes)
        y0, y1 = min(b[2] for b in boxes), max(b[3] for b in boxes)
        if self.log_x:
            x0, x1 = np.log10(x0), np.log10(x1)
        if self.log_y:
            y0, y1 = np.log10(y0), np.log10(y1)

        def padded(lo, hi):
            span = hi - lo
            m = pad * span if span > 0 else 0.5 * max(abs(lo), 1.0)
            return (lo - m, hi + m)

        self.set_range(x if x is not None else padded(x0, x1),
                       y if y is not None else padded(y0, y1))

    # -- mouse -----------------------------------------------------------------------------
    def hit_test(self, pos: QtCore.QPointF):
        """The topmost visible movable item within :data:`HIT_PX` of ``pos``, or None."""
        if not self.plot_rect().adjusted(-HIT_PX, -HIT_PX, HIT_PX, HIT_PX).contains(pos):
            return None
        best, best_d = None, HIT_PX
        for item in reversed(self.items):  # the topmost first
            if item.visible and item.movable:
                d = item.distance_px(self, pos)
                if d <= best_d:
                    best, best_d = item, d
        return best

    def drag_handle(self, handle: Item, x: float, y: float) -> None:
        """Drag ``handle`` (an item from :meth:`hit_test`) to (x, y) and tell listeners."""
        handle.drag_to(x, y)
        self.itemDragged.emit(handle)

    def clicked(self, x: float, y: float) -> None:
        self.plotClicked.emit(float(x), float(y), QtCore.Qt.MouseButton.LeftButton)

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == QtCore.Qt.MouseButton.RightButton:
            event.accept()  # so the release comes here too
            return
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        if event.button() == QtCore.Qt.MouseButton.RightButton:
            if self.plot_rect().contains(pos):
                x, y = self.point_to_data(pos)
                self.plotClicked.emit(x, y, QtCore.Qt.MouseButton.RightButton)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        event.accept()  # the second press of a double click is not a second click

    # -- painting ----------------------------------------------------------------------------
    def _paint_layer(self, p: QtGui.QPainter, frame: bool) -> None:
        p.save()
        p.setClipRect(self.plot_rect())
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        for item in self.items:
            if item.visible and item.frame == frame:
                item.paint(p, self)
        p.restore()

    def paint_data(self, p: QtGui.QPainter) -> None:
        self._paint_layer(p, False)

    def paint_frame(self, p: QtGui.QPainter, export: bool = False) -> None:
        self._paint_layer(p, True)
