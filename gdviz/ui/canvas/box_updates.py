"""Partial repaints kept to one rectangle per widget, and the bound on repaint coordinates."""

from __future__ import annotations

from gdviz.ui.binding import QtCore, QtWidgets

FAR_PX = 1e6  # |pixel coordinates| kept in repaint boxes; marks farther off are not drawn


class BoxUpdates:
    """A mixin for a ``QWidget``: :meth:`update_box` schedules a repaint of a rectangle,
    keeping what is to be repainted one rectangle until the next paint.

    Several small ``update(rect)`` calls give Qt a region of many rectangles, and a painter
    clipped to such a region is slow in every call (Qt's raster engine clips each drawing span
    by span: ~0.1 ms per call on a window-sized device, whatever is drawn). Here each call
    widens one box around everything asked since the last paint, which costs a few more pixels
    instead. The widget's ``paintEvent`` calls :meth:`box_painted` first.
    """

    _pending_box: QtCore.QRect | None = None

    def update_box(self, rect: QtCore.QRect | QtCore.QRectF) -> None:
        """Schedule a repaint of ``rect`` (within the box since the last paint)."""
        r = rect.toAlignedRect() if isinstance(rect, QtCore.QRectF) else QtCore.QRect(rect)
        r = r.intersected(self.rect())
        if r.isEmpty():
            return
        box = self._pending_box
        self._pending_box = r if box is None else box.united(r)
        # QWidget's own update: a subclass's update() may mean more (the 3D view's re-renders).
        QtWidgets.QWidget.update(self, self._pending_box)

    def box_painted(self) -> None:
        """The widget is being painted: the next update_box starts a new box."""
        self._pending_box = None
