"""The Regression tab's data points edited by clicking (a point added on empty space, one
clicked removed) and Reset, each throwing points away an Edit ▸ Undo step
(:class:`PointEditing`, mixed into :class:`gdviz.ui.derivatives.regression_view.RegressionView`)."""

from __future__ import annotations

import math

import numpy as np

from gdviz.core.regression import DEFAULT_DATA, MAX_POINTS
from gdviz.ui.binding import QtCore

MIN_POINTS = 2  # a line needs two points
RESETTING = "resetting the data points"  # (the changes, as Edit ▸ Undo names them)
REMOVING = "removing a data point"
ADDING = "adding a data point"
PICK_RADIUS = 12.0  # pixels: a click this close to a point removes it
HINT = ("Click on empty space to add a data point; click (or right-click) a point to remove it. "
        "Drag to pan, wheel to zoom.")


class PointEditing:
    """Clicks and Reset on the data; the view gives ``_xs``, ``_ys``, ``_active``, ``plot``,
    ``hint``, ``controller``, :meth:`data`, :meth:`set_data` and :meth:`_on_data_changed`."""

    _change = ""
    """The edit under way, as Edit ▸ Undo names it where it changes the loss too (the data
    being the loss: every point added or removed read "Undo using the data as the loss")."""

    def _on_reset_clicked(self) -> None:
        if self.data() != (list(DEFAULT_DATA[0]), list(DEFAULT_DATA[1])):
            self._undoable(RESETTING)
        self._change = RESETTING
        self.set_data(*DEFAULT_DATA)
        self._change = ""

    def _undoable(self, what: str) -> None:
        """An Edit ▸ Undo step before points are thrown away while the data is not the loss
        (as the loss, the new loss is one): Reset took the user's own points for good."""
        if not self._active:
            self.controller.runsAboutToBeReplaced.emit(what)

    def _on_plot_clicked(self, x: float, y: float, button: QtCore.Qt.MouseButton) -> None:
        nearest = self._point_at(x, y)
        if nearest is not None:
            if len(self._xs) > MIN_POINTS:
                self._undoable(REMOVING)
                del self._xs[nearest], self._ys[nearest]
                self._changed(REMOVING)
            else:
                self.hint.setText(f"A line needs at least {MIN_POINTS} points. " + HINT)
        elif button == QtCore.Qt.MouseButton.LeftButton:
            if len(self._xs) >= MAX_POINTS:
                self.hint.setText(f"At most {MAX_POINTS} points. " + HINT)
                return
            (x0, x1), (y0, y1) = self.plot.view_range()
            self._xs.append(_round_to(x, x1 - x0))
            self._ys.append(_round_to(y, y1 - y0))
            self._changed(ADDING)

    def _changed(self, what: str) -> None:
        """The data changed by ``what`` (:data:`ADDING`, :data:`REMOVING`): redrawn, and the
        loss with it where the data is the loss, an Undo step so named."""
        self._change = what
        try:
            self._on_data_changed()
        finally:
            self._change = ""

    def _point_at(self, x: float, y: float) -> int | None:
        """The data point within :data:`PICK_RADIUS` pixels of (x, y), or None."""
        if not self._xs:
            return None
        px, py = self.plot.data_to_px(np.asarray(self._xs), np.asarray(self._ys))
        cx, cy = self.plot.data_to_px(x, y)
        d = np.hypot(px - cx, py - cy)
        i = int(np.argmin(d))
        return i if d[i] <= PICK_RADIUS else None


def _round_to(value: float, span: float) -> float:
    """``value`` rounded to about a thousandth of ``span`` (clicked points stay readable)."""
    if not (math.isfinite(span) and span > 0):
        return round(value, 2)
    digits = max(0, min(6, 2 - math.floor(math.log10(span))))
    return round(value, digits)
