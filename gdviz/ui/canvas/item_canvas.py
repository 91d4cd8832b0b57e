"""ItemCanvas: a :class:`~gdviz.ui.canvas.plot_canvas.PlotCanvas` of simple plot items.

See :mod:`gdviz.ui.canvas.items` for the items and how their layers are repainted.
"""

from __future__ import annotations

import numpy as np

from gdviz.ui.binding import QtCore, QtGui, Signal
from gdviz.ui.canvas.items import HIT_PX, Item
from gdviz.ui.canvas.plot_canvas import PlotCanvas
from gdviz.ui.colors import readable

NEUTRAL_SATURATION = 40  # HSL saturation (0-255) at or below which an ink counts as grey
MIN_INK_STEP = 60  # least lightness (0-255) a mirrored ink keeps above a dark ground


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
        self._inks: dict[tuple[int, bool], QtGui.QColor] = {}
        # Whether neutral inks follow a dark background (see ink); off for plots that choose
        # their colours for the theme themselves.
        self.mirror_inks = False

    # -- the items' colours on this background ------------------------------------------------
    def setBackground(self, color) -> None:  # noqa: N802 - the name pyqtgraph's views use
        super().setBackground(color)
        self._inks.clear()

    def ink(self, color: QtGui.QColor, floor: bool = True) -> QtGui.QColor:
        """``color`` as the items draw it here: on a dark background a neutral ink (black,
        grey, white) is mirrored in lightness, so a black tangent or a white outline keeps
        its contrast; colours with a hue are kept (they mean a run, a slope's sign…).
        ``floor``: keep a mirrored ink :data:`MIN_INK_STEP` lighter than the ground (lines,
        text, outlines); False for a fill meant to be as dark as the ground (a label's box)."""
        if not (self.mirror_inks and self.dark):
            return color
        key = (color.rgba(), floor)
        out = self._inks.get(key)
        if out is None:
            hue, sat, light, alpha = color.getHsl()
            # Mirrored, but never closer to the ground than MIN_INK_STEP: a light grey meant
            # as faint on white (a handle, neighbouring contours) must stay visible.
            least = min(255, self._bg.lightness() + MIN_INK_STEP) if floor else 0
            if sat <= NEUTRAL_SATURATION:
                out = QtGui.QColor.fromHsl(max(hue, 0), sat, max(255 - light, least), alpha)
            elif floor:  # (its hue kept, lightened to 3 : 1 with the ground where it was
                # less: the Gradient tab's ∇f arrow, #c00000, was 2.3 : 1)
                out = QtGui.QColor(readable(color.name(), self._bg.name(), 3.0))
                out.setAlpha(alpha)
            else:
                out = color
            self._inks[key] = out
        return out

    def ink_pen(self, pen: QtGui.QPen) -> QtGui.QPen:
        """``pen`` with its colour as :meth:`ink` gives it (the pen itself when unchanged)."""
        if not (self.mirror_inks and self.dark):
            return pen
        color = self.ink(pen.color())
        if color == pen.color():
            return pen
        out = QtGui.QPen(pen)
        out.setColor(color)
        return out

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
