"""Pan, zoom, clicks and handle drags for :class:`gdviz.ui.canvas.plot_canvas.PlotCanvas`.

A mixin for the canvas widget: the wheel zooms around the pointer, a drag pans (or moves the
handle under the press, see ``hit_test``), a press released without moving is a click.
"""

from __future__ import annotations

import math

from gdviz.ui.binding import QtCore, QtGui

DRAG_THRESHOLD = 4.0  # px a press must move before it counts as a drag, not a click
WHEEL_ZOOM = 0.85  # range factor per wheel notch


class PanZoom:
    """Mouse handling of a plot canvas (it provides the ranges, mapping and hooks used here:
    ``pan_zoom``, ``view_range``, ``plot_rect``, ``point_to_data``, ``pixel_size``,
    ``hit_test``, ``drag_handle``, ``clicked``, ``handle_clicked``, ``invalidate``,
    ``userRangeChanged``)."""

    view_limit: float | None = None
    """No pan or zoom shows coordinates beyond ± this (None: no limit)."""

    def wheelEvent(self, event: QtGui.QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if not self.pan_zoom:
            return super().wheelEvent(event)
        notches = event.angleDelta().y() / 120.0
        if notches == 0:
            return None
        pos = event.position()
        if not self.plot_rect().contains(pos):
            pos = self.plot_rect().center()
        cx, cy = self.point_to_data(pos)
        f = WHEEL_ZOOM ** notches
        (x0, x1), (y0, y1) = self.view_range()
        self._set_view((cx + (x0 - cx) * f, cx + (x1 - cx) * f),
                       (cy + (y0 - cy) * f, cy + (y1 - cy) * f))
        event.accept()
        return None

    def _set_view(self, x, y) -> None:
        if self.invert_x:
            x = (x[1], x[0])  # pan and zoom work on the shown range, reversed
        if not all(math.isfinite(v) for v in (*x, *y)) or x[1] <= x[0] or y[1] <= y[0]:
            return
        reach = max(map(abs, (*x, *y)))
        if self.view_limit is not None and reach > max(self.view_limit, self._reach()):
            return  # (the map: no further out than a session keeps, or than it is already)
        span = max(abs(x[0]), abs(x[1]), abs(y[0]), abs(y[1]), 1e-300)
        if (x[1] - x[0]) < 1e-12 * span or (y[1] - y[0]) < 1e-12 * span:
            return  # no zooming into rounding noise
        # The view itself: not re-fitted to the aspect (it already has it).
        self._want = (float(x[0]), float(x[1])), (float(y[0]), float(y[1]))
        self._xr = self._want[0][::-1] if self.invert_x else self._want[0]
        self._yr = self._want[1]
        self.invalidate()
        self.userRangeChanged.emit()

    def _reach(self) -> float:
        """How far out the view shown reaches (a domain fitted around a start at 10⁶ is
        wider than the limit: zooming in and panning back must still work there)."""
        (x0, x1), (y0, y1) = self.view_range()
        return max(abs(x0), abs(x1), abs(y0), abs(y1))

    def mousePressEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() != QtCore.Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        pos = event.position()
        self._drag = {"pos": pos, "range": self.view_range(), "px": self.pixel_size(),
                      "handle": self.hit_test(pos), "moved": False}
        if self._drag["handle"] is not None:
            self.setCursor(QtCore.Qt.CursorShape.ClosedHandCursor)
        event.accept()
        return None

    def mouseMoveEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        d = self._drag
        if d is None:
            hover = self.hit_test(pos) is not None
            self.setCursor(QtCore.Qt.CursorShape.OpenHandCursor if hover
                           else QtCore.Qt.CursorShape.ArrowCursor)
            return
        delta = pos - d["pos"]
        if not d["moved"] and abs(delta.x()) + abs(delta.y()) < DRAG_THRESHOLD:
            return
        d["moved"] = True
        if d["handle"] is not None:
            self.drag_handle(d["handle"], *self.point_to_data(pos))
        elif self.pan_zoom:
            (x0, x1), (y0, y1) = d["range"]
            sx, sy = d["px"]
            dx, dy = -delta.x() * sx, delta.y() * sy
            self._set_view((x0 + dx, x1 + dx), (y0 + dy, y1 + dy))

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 - Qt's name
        d, self._drag = self._drag, None
        if d is None or event.button() != QtCore.Qt.MouseButton.LeftButton:
            return super().mouseReleaseEvent(event)
        self.unsetCursor()
        pos = event.position()
        if not d["moved"] and self.plot_rect().contains(pos):
            if d["handle"] is None:
                self.clicked(*self.point_to_data(pos))
            else:  # (on a handle, not dragged: it did nothing, without a word)
                self.handle_clicked(d["handle"], *self.point_to_data(pos))
        event.accept()
        return None

