"""What the lecture tabs share: the :class:`LinkedView` base, number formatting and plot styling.

The Slice, h → 0 and Gradient tabs derive from :class:`LinkedView`; their plots use
:class:`CompactPlotWidget` and :func:`style_plot`, their readouts :func:`fmt`.
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.core.loss import Loss
from gdviz.ui.qt import QtCore, QtGui, QtWidgets, pg

FONT_PT = 13  # type size of the lecture tabs (projector-friendly)


def fmt(value: float, digits: int = 4) -> str:
    """A number as students read it: ``digits`` significant digits and a real minus sign.

    Parameters
    ----------
    value : float
        The number; None or non-finite gives ``"undefined"``.
    digits : int
        Significant digits.

    Returns
    -------
    str
        E.g. ``"−0.1404"`` or ``"3.2×10⁻¹²"``.
    """
    if value is None or not math.isfinite(value):
        return "undefined"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mant, exp = text.split("e")
        sup = str(int(exp)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        text = f"{mant}×10{sup}" if mant not in ("1", "-1") else f"{mant[:-1]}10{sup}"
    return text.replace("-", "−")


def set_points(item, xs, ys, brushes=None) -> None:
    """Set the markers of a scatter-like item, leaving out non-finite points.

    (pyqtgraph computes marker bounds with ``nanmin``, which warns on all-NaN data.)

    Parameters
    ----------
    item : pg.PlotDataItem or pg.ScatterPlotItem
        The item to update.
    xs, ys : array_like
        Marker coordinates.
    brushes : list, optional
        One brush per point (the non-finite points' brushes are dropped with them).
    """
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    ok = np.isfinite(xs) & np.isfinite(ys)
    kwargs = {}
    if brushes is not None:
        key = "symbolBrush" if isinstance(item, pg.PlotDataItem) else "brush"
        kwargs[key] = [b for b, keep in zip(brushes, ok, strict=True) if keep]
    item.setData(xs[ok], ys[ok], **kwargs)


class CompactPlotWidget(pg.PlotWidget):
    """A PlotWidget asking for little room, so a dock of several plots starts at a sane size."""

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        return QtCore.QSize(280, 220)


def style_plot(plot: pg.PlotItem, bottom: str = "", left: str = "") -> None:
    """Projector-friendly axes: 12 pt ticks, 13 pt labels, no context menu.

    Parameters
    ----------
    plot : pg.PlotItem
        The plot to style.
    bottom, left : str
        Axis labels (empty: none).
    """
    font = QtGui.QFont()
    font.setPointSize(12)
    for name, text in (("bottom", bottom), ("left", left)):
        axis = plot.getAxis(name)
        axis.setTickFont(font)
        axis.setTextPen(pg.mkPen("#222222"))
        axis.enableAutoSIPrefix(False)
        if text:
            label_axis(plot, name, text)
    plot.setMenuEnabled(False)
    plot.hideButtons()


def label_axis(plot: pg.PlotItem, side: str, text: str) -> None:
    """Label the ``side`` (``"bottom"``, ``"left"``) axis in the tabs' type size, dark grey.

    An unchanged label is left alone: setting it redraws the axis (costly, once per frame
    during playback).
    """
    axis = plot.getAxis(side)
    if getattr(axis, "_gdviz_label", None) == text:
        return
    axis._gdviz_label = text
    plot.setLabel(side, text, **{"font-size": f"{FONT_PT}pt", "color": "#222222"})


def padded_range(ys: np.ndarray, pad: float) -> tuple[float, float]:
    """The range of the finite ``ys`` widened by ``pad`` of its span at each end.

    A flat curve gets half its value's size (at least 0.5) of room each side; no finite value
    gives ``(-1, 1)``.
    """
    finite = ys[np.isfinite(ys)]
    if not finite.size:
        return (-1.0, 1.0)
    y0, y1 = float(finite.min()), float(finite.max())
    margin = pad * (y1 - y0) if y1 > y0 else 0.5 * max(abs(y0), 1.0)
    return (y0 - margin, y1 + margin)


class LinkedView(QtWidgets.QWidget):
    """Base of the lecture tabs: follows the controller and redraws lazily.

    Changes of loss, domain, runs, selection or iteration mark the view dirty; a visible view
    redraws once per event-loop pass (playback never queues redraws), a hidden one when shown.
    Subclasses implement :meth:`redraw`; public getters call :meth:`ensure_fresh` first.

    Parameters
    ----------
    controller : gdviz.ui.controller.Controller
        Source of the loss, domain, runs and current point.
    parent : QWidget, optional
    """

    def __init__(self, controller, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._dirty = True
        self._timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.ensure_fresh)
        font = self.font()
        font.setPointSize(FONT_PT)
        self.setFont(font)

    def _subscribe(self) -> None:
        c = self.controller
        for signal in (c.lossChanged, c.domainChanged, c.runsChanged, c.selectedChanged):
            signal.connect(self._on_controller_changed)
        c.iterationChanged.connect(self._on_iteration_changed)

    def _on_iteration_changed(self, *_) -> None:
        # A new step (playback) is drawn at once, with the main views, so the window paints
        # once per frame; on a zero timer the tab would paint in a second pass, and the map
        # again for the slice line it moves.
        self._on_controller_changed()
        if self.isVisible():
            self._timer.stop()
            self.ensure_fresh()

    def _on_controller_changed(self, *_) -> None:
        self.mark_dirty()

    def mark_dirty(self) -> None:
        """Schedule a redraw (immediately after this event if visible, else when shown)."""
        self._dirty = True
        if self.isVisible():
            self._timer.start()

    def ensure_fresh(self) -> None:
        """Redraw now if anything changed since the last redraw."""
        if self._dirty:
            self._dirty = False
            self.redraw()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.ensure_fresh()

    def state(self) -> tuple[Loss, tuple[float, float]] | None:
        """The loss and the current point, or None when there is nothing to show."""
        loss, point = self.controller.loss, self.controller.current_point()
        if loss is None or point is None:
            return None
        return loss, (float(point[0]), float(point[1]))

    def run_color(self) -> str:
        """The selected run's colour (a default blue without one)."""
        runs, i = self.controller.runs, self.controller.selected
        return (runs[i].spec.color or "#0072B2") if 0 <= i < len(runs) else "#0072B2"

    def redraw(self) -> None:  # pragma: no cover - abstract
        """Draw the view from the controller's state (subclasses implement this)."""
        raise NotImplementedError
