"""What the lecture tabs share: the :class:`LinkedView` base, number formatting and plots.

The Slice, h → 0 and Gradient tabs derive from :class:`LinkedView`; their plots are
:class:`LecturePlot` canvases (no pyqtgraph: the window's first frame does not wait for it),
their readouts use :func:`fmt`.
"""

from __future__ import annotations

import math
import sys

import numpy as np

from gdviz.core.loss import Loss
from gdviz.ui.binding import QtCore, QtGui, QtWidgets
from gdviz.ui.canvas import Points
from gdviz.ui.colors import text_ink
from gdviz.ui.derivatives.lecture_plot import (  # noqa: F401 - the tabs' names for them
    FONT_PT,
    LEAST_GROWS,
    MIN_PLOT_HEIGHT,
    LecturePlot,
)
from gdviz.ui.later import drain_pools
from gdviz.ui.numbers import not_finite_text, significant


def fmt(value: float, digits: int = 4) -> str:
    """A number as students read it: ``digits`` significant digits and a real minus sign.

    Parameters
    ----------
    value : float
        The number; None or NaN gives ``"undefined"``, an infinity ``"∞"`` or ``"−∞"`` (as
        the readouts write it: an infinite partial read ∞ there and "undefined" here).
    digits : int
        Significant digits.

    Returns
    -------
    str
        E.g. ``"−0.1404"``, ``"3.2×10⁻¹²"`` or, rounded, ``"0.5000"``.
    """
    if value is None or not math.isfinite(value):
        return not_finite_text(math.nan if value is None else value)
    # (−0.0, a converged gradient's, reads 0; a rounded value keeps its trailing zeros, as
    # in the readouts: "w2 = 0.5" here beside their "0.5000" for 0.4999997)
    text = significant(value, digits)
    if "e" in text:
        mant, exp = text.split("e")
        sup = str(int(exp)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        text = f"{mant}×10{sup}" if mant not in ("1", "-1") else f"{mant[:-1]}10{sup}"
    return text.replace("-", "−")


def kink(*corners) -> str:
    """"cusp" where a side's slope is infinite (x^(2/3) at 0: −∞ and ∞), else "corner"."""
    return "cusp" if any(c and any(math.isinf(v) for v in c) for c in corners) else "corner"


def variable_in_use(loss, index: int) -> int:
    """``index`` (0 or 1), or the other variable's where ``loss`` does not depend on this one
    but on the other: after a loss in w1 and w2 with the tabs on w2, sin(x²) showed its
    Chain rule as ∂f/∂y = 0 and its slice as a flat line along y."""
    partials = getattr(loss, "partials", None)
    if partials is None:
        return index
    return 1 - index if partials[index] == 0 and partials[1 - index] != 0 else index


def keep_variable_in_use(combo: QtWidgets.QComboBox, loss) -> None:
    """Turn a tab's choice of variable (``combo``, its two entries in the variables' order)
    to one ``loss`` depends on (see :func:`variable_in_use`)."""
    if combo.count() == 2:
        index = variable_in_use(loss, max(combo.currentIndex(), 0))
        if index != combo.currentIndex():
            combo.setCurrentIndex(index)


def in_sight(widget: QtWidgets.QWidget) -> bool:
    """Whether ``widget`` is shown, not behind another dock's tab: Qt calls a dock behind
    Compare's tab visible, and the tabs redrew every playback frame there, the Slice tab's
    line left across the map where no slice was in sight."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def share_text(ratio: float) -> str:
    """``ratio`` as a signed percentage for people: "+71%", "0%"; with decimals where whole
    percents would read 0% or ±100% for a value that is not (0.995 is "+99.5%")."""
    if not math.isfinite(ratio):
        return "undefined"
    if abs(ratio) < 1e-9:
        return "0%"
    text = f"{ratio:+.0%}"
    for decimals in (1, 2, 3):
        if abs(abs(ratio) - 1.0) < 1e-9 or float(text.strip("+-%")) not in (0.0, 100.0):
            break
        text = f"{ratio:+.{decimals}%}"
    return text.replace("-", "−")


def set_points(item: Points, xs, ys, brushes=None) -> None:
    """Set the markers of ``item``, leaving out non-finite points.

    ``item.getData()`` then gives only the points drawn (tests and readouts rely on it).

    Parameters
    ----------
    item : Points
        The markers to update.
    xs, ys : array_like
        Marker coordinates.
    brushes : list, optional
        One colour per point (the non-finite points' colours are dropped with them).
    """
    xs, ys = np.atleast_1d(np.asarray(xs, dtype=float)), np.atleast_1d(np.asarray(ys, dtype=float))
    ok = np.isfinite(xs) & np.isfinite(ys)
    if brushes is not None:
        item.brushes = [QtGui.QColor(b) for b, keep in zip(brushes, ok, strict=True) if keep]
    item.set_data(xs[ok], ys[ok])


def points_along(points: np.ndarray, step: float = 3.0) -> np.ndarray:
    """Points every ``step`` pixels along the polyline through ``points`` (N × 2), as drawn:
    a label is checked against the line, not its vertices (five a decade let "truncation
    error" lie across a line; a sparse curve let the slope's label sit on it). Segments
    with an end that is not finite are left out (the line has a gap there). Whole-array
    work: it runs for the slope's label every playback frame (a loop per segment took 2 ms)."""
    points = np.asarray(points, float).reshape(-1, 2)
    first = points[:1][np.isfinite(points[:1]).all(axis=1)]
    if len(points) < 2:
        return first
    with np.errstate(invalid="ignore", over="ignore"):  # (inf − inf: not finite, left out)
        p, seg = points[:-1], np.diff(points, axis=0)
    ok = np.isfinite(p).all(axis=1) & np.isfinite(seg).all(axis=1)
    length = np.hypot(seg[:, 0], seg[:, 1], where=ok, out=np.zeros(len(seg)))
    n = np.maximum(1, np.ceil(length / step)).astype(np.int64)
    n[n > 1000] = 1  # (a segment running far off the plot: its ends are enough)
    n[~ok] = 0
    which = np.repeat(np.arange(len(seg)), n)
    k = np.arange(which.size) - np.repeat(np.cumsum(n) - n, n)  # 0 … n − 1 in each segment
    t = (k + 1) / np.repeat(n, n)
    return np.concatenate([first, p[which] + t[:, None] * seg[which]])


def padded_range(ys: np.ndarray, pad: float, flat: float = 1e-5,
                 rise: float = 0.0) -> tuple[float, float]:
    """The range of the finite ``ys`` widened by ``pad`` of its span at each end.

    A flat curve gets half its value's size (at least 0.5) of room each side, and so does one
    that varies by under 10⁻⁵ of its size (rounding error: Beale's slice at y = 1 is the
    constant 14.203125, computed 14.203112 … 14.203138, which drew ticks six digits deep);
    ``flat`` is that share (the h → 0 tab's zoomed secant plot lowers it: zoomed 10⁴ times,
    a slope of 0.3 varies by 10⁻⁵ of f, and was drawn flat) — unless ``rise``, what the
    curve's exact slopes can account for (the largest |slope| times its width), is half the
    variation or more: then it is real (10⁶ + x² + y², a parabola 9 high on 10⁶, was drawn a
    flat line labelled "slope = −1"). No finite value gives ``(-1, 1)``.
    """
    finite = ys[np.isfinite(ys)]
    if not finite.size:
        return (-1.0, 1.0)
    y0, y1 = float(finite.min()), float(finite.max())
    if y1 - y0 <= flat * max(abs(y0), abs(y1)) and not rise >= 0.5 * (y1 - y0) > 0:
        y0 = y1 = 0.5 * (y0 + y1)
    margin = pad * (y1 - y0) if y1 > y0 else 0.5 * max(abs(y0), 1.0)
    return (y0 - margin, y1 + margin)


def steady_range(old: tuple[float, float], tight: tuple[float, float], same: bool,
                 slack: float = 0.1, shrink: float = 0.5) -> tuple[float, float]:
    """The range to show for data whose snug range is ``tight``, changing as rarely as it can.

    During playback the data drift a little each frame; a range refitted every frame makes the
    axes jitter (and costs a redraw of them). The ``old`` range stays while it holds the data
    and the data fill at least ``shrink`` of it. Otherwise the new range is ``tight`` widened
    by ``slack`` of its span at each end, so a drift keeps fitting for a while.

    Parameters
    ----------
    old : tuple of float
        The range shown now.
    tight : tuple of float
        A snug (already padded) range of the data.
    same : bool
        Whether the data are the same kind as before (same loss, domain, variable...); if not,
        ``tight`` is used as it is.
    slack, shrink : float
        See above.

    Returns
    -------
    tuple of float
    """
    (o0, o1), (n0, n1) = old, tight
    if not same or not (o1 > o0) or not (n1 > n0):
        return tight
    if o0 <= n0 and n1 <= o1 and (n1 - n0) >= shrink * (o1 - o0):
        return old
    margin = slack * (n1 - n0)
    return (n0 - margin, n1 + margin)


class ResponsiveRow(QtWidgets.QBoxLayout):
    """A row of widgets that turns into a column when narrower than ``min_width`` pixels.

    The dock is narrow beside the map (side by side, each plot would be too thin to read) and
    wide when undocked or on a big screen.

    Parameters
    ----------
    min_width : int
        Below this width (px) the items are stacked.
    row_stretch, column_stretch : tuple of int, optional
        Stretch factors of the items side by side and stacked (default: as added).
    """

    def __init__(self, min_width: int, row_stretch: tuple[int, ...] | None = None,
                 column_stretch: tuple[int, ...] | None = None) -> None:
        super().__init__(QtWidgets.QBoxLayout.Direction.LeftToRight)
        self.min_width = min_width
        self._stretch = {QtWidgets.QBoxLayout.Direction.LeftToRight: row_stretch,
                         QtWidgets.QBoxLayout.Direction.TopToBottom: column_stretch}

    def setGeometry(self, rect: QtCore.QRect) -> None:  # noqa: N802 - Qt's name
        wanted = (QtWidgets.QBoxLayout.Direction.TopToBottom if rect.width() < self.min_width
                  else QtWidgets.QBoxLayout.Direction.LeftToRight)
        if wanted != self.direction():  # only when the width crosses the threshold
            self.setDirection(wanted)
            for i, factor in enumerate(self._stretch[wanted] or ()):
                self.setStretch(i, factor)
        super().setGeometry(rect)


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

    variable_combo: QtWidgets.QComboBox | None = None
    """The tab's choice of variable, if it has one (kept on one the loss depends on)."""

    def __init__(self, controller, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._dirty = True
        self._timer = QtCore.QTimer(self, singleShot=True, interval=0)
        # (not once out of sight: a window closing drew on, starting typesetting jobs its
        # deletion waited on)
        self._timer.timeout.connect(lambda: self.ensure_fresh() if self.in_sight() else None)
        # An opaque page: its labels change every playback frame, and Qt would otherwise paint
        # the dock, the tab widget and the window behind them each time (about 0.4 ms).
        self.setAutoFillBackground(True)
        font = self.font()
        font.setPointSize(FONT_PT)
        self.setFont(font)

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        """The least height the tab's layout takes at ``width``, not the height its parts
        would like: the tab's scrolling page gives the view this height (or the page's, if
        taller). With the preferred height the h → 0 tab was 794 pixels tall in a 587-pixel
        dock at 1280 × 720, its error plot below the fold, where both plots fit at their
        least."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return super().heightForWidth(width)
        return layout.totalMinimumHeightForWidth(width)

    def _subscribe(self) -> None:
        c = self.controller
        for signal in (c.lossChanged, c.domainChanged, c.runsChanged, c.selectedChanged):
            signal.connect(self._on_controller_changed)
        if self.variable_combo is not None:  # (a new loss: a variable it depends on)
            c.lossChanged.connect(self._keep_variable_in_use)
        c.iterationChanged.connect(self._on_iteration_changed)

    def _keep_variable_in_use(self, loss) -> None:
        keep_variable_in_use(self.variable_combo, loss)

    def _on_iteration_changed(self, *_) -> None:
        # A new step (playback) is drawn at once, with the main views, so the window paints
        # once per frame; on a zero timer the tab would paint in a second pass, and the map
        # again for the slice line it moves.
        self._on_controller_changed()
        if self.in_sight():
            self._timer.stop()
            self.ensure_fresh()

    def _on_controller_changed(self, *_) -> None:
        self.mark_dirty()

    def mark_dirty(self) -> None:
        """Schedule a redraw (immediately after this event if in sight, else when shown)."""
        self._dirty = True
        if self.in_sight():
            self._timer.start()

    def in_sight(self) -> bool:
        """Whether the view is shown, not behind another dock's tab (:func:`in_sight`)."""
        return in_sight(self)

    def came_in_sight(self) -> None:
        """Its dock's tab came to the front (or went behind): redraw what changed meanwhile."""
        if self._dirty and self.in_sight():
            self._timer.start()

    def ensure_fresh(self) -> None:
        """Redraw now if anything changed since the last redraw."""
        if self._dirty:
            self._dirty = False
            self.redraw()

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.PaletteChange:
            self.mark_dirty()  # what is typeset in the theme's ink is typeset again

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt's name
        # A tab shown as a window of its own: its typesetting jobs end before it goes.
        drain_pools(self)
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        # A hidden tab grown to the height a stacked ResponsiveRow needs got no resize
        # event for it: its layout stayed at the row's height (the Gradient tab's column
        # squeezed into 740 pixels of a page 872 tall, its labels over its plots, in
        # presentation mode). Laid out in the size it is shown at.
        layout = self.layout()
        if layout is not None and layout.geometry().size() != self.size():
            layout.setGeometry(self.rect())
        try:
            self.ensure_fresh()
        except Exception:  # noqa: BLE001 - reported here: see below
            # An exception leaving a Qt virtual (this one) crashed PySide 6.11 in its own error
            # handling (a segfault opening a session at a diverged step); reported the usual
            # way instead, the window kept.
            from gdviz.ui.crash_dialog import handle_exception

            handle_exception(*sys.exc_info())

    def state(self) -> tuple[Loss, tuple[float, float]] | None:
        """The loss and the current point, or None when there is nothing to show."""
        loss, point = self.controller.loss, self.controller.current_point()
        if loss is None or point is None:
            return None
        return loss, (float(point[0]), float(point[1]))

    def settled(self) -> bool:
        """Whether the selected run has converged at the current iteration: ‖∇f‖ is below
        its tolerance there, and the direction of so small a gradient is rounding noise."""
        runs, i = self.controller.runs, self.controller.selected
        traj = runs[i].trajectory if 0 <= i < len(runs) else None
        return traj is not None and traj.converged_by(self.controller.iteration)

    def run_color(self) -> str:
        """The selected run's colour (a default blue without one)."""
        runs, i = self.controller.runs, self.controller.selected
        return (runs[i].spec.color or "#0072B2") if 0 <= i < len(runs) else "#0072B2"

    def ink(self, color: str) -> str:
        """:func:`text_ink` on this tab (which redraws on a theme change: its text follows)."""
        return text_ink(self, color)

    def redraw(self) -> None:  # pragma: no cover - abstract
        """Draw the view from the controller's state (subclasses implement this)."""
        raise NotImplementedError
