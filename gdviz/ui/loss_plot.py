"""Loss against iteration for every run, with a marker at the current iteration."""

from __future__ import annotations

import math

import numpy as np

from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.canvas.plot_canvas import PlotCanvas
from gdviz.ui.canvas.polygons import column_envelope, finite_runs, stroke_polyline
from gdviz.ui.colors import readable

NOTE_FLAGS = QtCore.Qt.AlignmentFlag.AlignCenter | QtCore.Qt.TextFlag.TextWordWrap
NOTE_MARGIN = 4.0  # pixels between the note and the plot's frame
OUTLIER_SPAN = 3.0
"""A spike taller than this many times the rest of the curves leaves the frame."""


def robust_range(ys: list[np.ndarray]) -> tuple[float, float, bool]:
    """``(low, high, spiky)``: where the curves ``ys`` start and end and 90 % of their values
    lie, and whether their whole range is over :data:`OUTLIER_SPAN` times that (a spike)."""
    pooled = np.concatenate(ys)
    ends = [float(v) for y in ys for v in (y[0], y[-1])]
    low = min(min(ends), float(np.percentile(pooled, 5)))
    high = max(max(ends), float(np.percentile(pooled, 95)))
    whole = float(pooled.max()) - float(pooled.min())
    return low, high, bool(low < high and whole > OUTLIER_SPAN * (high - low))


def _without_climbs(ys: list[np.ndarray]) -> list[np.ndarray]:
    """``ys`` without the curves that climbed far above the others: a run that ended
    higher than it started, reaching over :data:`OUTLIER_SPAN` times the span of the runs
    that did not above them (Momentum wandering off to f ≈ 3.7·10⁵, "stopped" but not
    diverged, flattened GD's, Adam's and Nesterov's curves to a line at 0). It leaves the
    frame, as a diverged run does; all are kept where none or every one climbed."""
    calm = [y for y in ys if not y[-1] > y[0]]
    if not calm or len(calm) == len(ys):
        return ys
    low = min(float(y.min()) for y in calm)
    high = max(float(y.max()) for y in calm)
    top = high + OUTLIER_SPAN * max(high - low, 1e-12 * max(abs(high), 1.0))
    return [y for y in ys if not (y[-1] > y[0] and float(y.max()) > top)]


class _Curve:
    """One run's drawn curve: ``getData()`` gives what is drawn."""

    def __init__(self) -> None:
        self.x = np.empty(0)
        self.y = np.empty(0)
        self.color = "#000000"
        self.diverged = False  # (the plot's range leaves it out when others did not)

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 - the usual name
        return self.x, self.y


class _Marker:
    """The current-iteration line: ``value()``."""

    def __init__(self) -> None:
        self.k = 0

    def value(self) -> int:
        return self.k


class LossPlot(PlotCanvas):
    """f(w_k) against k for each run; optional log scale of f − min f.

    The curves are static (drawn once per change of the runs); a playback frame only moves the
    dashed marker. Scroll to zoom, drag to pan, double-click to see everything again.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("lossPlot")
        self.setAccessibleName("loss against iteration")
        self.setToolTip("Loss at each iteration for every run. The vertical line is the "
                        "current iteration. Scroll to zoom, drag to pan, double-click to fit.")
        self.set_axis_label("bottom", "iteration k")
        self.set_axis_label("left", "f(wₖ)")
        self.grid_alpha = 60
        self.curves: list[_Curve] = []
        self.marker = _Marker()
        self.log = False
        self.line_width = 2.5
        self.floor = 0.0
        self.positive = False  # every value plotted above 0 (log scale: log₁₀ f itself)
        self._below = 0.0  # (the log scale's floor under min f: see set_runs)
        self._auto = True
        self.clipped = False  # (a spike above the frame: see _fit_data)
        self.note = ""  # said in the plot where no run has a value of f to draw
        self.userRangeChanged.connect(self._on_user_range_changed)

    def set_log(self, on: bool) -> None:
        """Plot log₁₀ f (where every value is positive; else log₁₀(f − min f)) instead of f."""
        self.log = bool(on)
        self._label()

    def _label(self) -> None:
        self.set_axis_label("left", "f(wₖ)" if not self.log else "log₁₀ f" if self.positive
                            else "log₁₀(f − min f)")

    def set_runs(self, runs) -> None:
        """Draw the whole loss curve of every visible run."""
        while len(self.curves) < len(runs):
            self.curves.append(_Curve())
        finite = [r.trajectory.losses[np.isfinite(r.trajectory.losses)] for r in runs
                  if r.trajectory is not None and r.spec.visible]
        finite = [f for f in finite if f.size]
        # (empty axes 0 to 1 and nothing said, where every run's start was undefined)
        computed = [r for r in runs if r.trajectory is not None and r.spec.visible]
        self.note = "no value of f to plot:\nf is undefined or infinite at the start" \
            if computed and not finite else ""
        self.floor = min((float(f.min()) for f in finite), default=0.0)
        top = max((float(f.max()) for f in finite), default=1.0)
        # Losses above 0 that come within a millionth of their start's values of 0 (a minimum
        # of 0): log₁₀ f itself. Less the lowest value plotted, the best run's own last one,
        # its curve dived to log₁₀ 10⁻¹² there (Adam on Rosenbrock "converged" at its last
        # step, to −10.7, where f = 1.3·10⁻⁷ is −6.9). A minimum above 0 keeps f − min f:
        # log₁₀ f flattens at log₁₀ f* (linear regression's 0.0106), the rate unseen.
        self.positive = bool(finite) and 0 < self.floor <= 1e-6 * top
        self._label()
        # (the best run's last fall, below min f: its last point goes on down its line a
        # step, not to the floor's 10⁻¹² of the span)
        self._below = max((float(f[-2] - f[-1]) for f in finite if f.size >= 2
                           and float(f[-1]) == self.floor and f[-2] > f[-1]), default=0.0)
        if finite and self.log and not self.positive:
            # (log scale: f − min f from a spike's −312 put every run at log₁₀ 312.25, flat;
            # the floor is then the lowest value that is no spike's, a spike's fall not drawn)
            low, _high, spiky = robust_range(finite)
            self.floor = low if spiky else self.floor
            # ... nor below any other value plotted: Newton's one step from 9.19 to linear
            # regression's minimum put every run 9.18 over its f − min f, all flat at log₁₀ 9.2
            above = [g[g > self.floor] for g in finite]
            nearest = min((float(g.min()) - self.floor for g in above if g.size),
                          default=self._below)
            self._below = min(self._below, nearest)
        for i, curve in enumerate(self.curves):
            run = runs[i] if i < len(runs) else None
            if run is None or run.trajectory is None or not run.spec.visible:
                curve.x, curve.y = np.empty(0), np.empty(0)
                continue
            y = run.trajectory.losses.astype(float)
            if self.log and self.positive:
                with np.errstate(all="ignore"):
                    y = np.log10(y)
            elif self.log:
                span = top - self.floor
                with np.errstate(all="ignore"):
                    y = np.log10(y - self.floor + max(span * 1e-12, self._below, 1e-300))
            x = np.arange(len(y), dtype=float)
            ok = np.isfinite(y)
            curve.x, curve.y, curve.color = x[ok], y[ok], run.spec.color or "#000000"
            curve.diverged = run.trajectory.status == "diverged"
        if self._auto:
            self._fit_data()
        self.invalidate()

    def _fit_data(self) -> None:
        xs = [c.x for c in self.curves if c.x.size]
        ys = [c.y for c in self.curves if c.y.size]
        if not xs:
            self.set_range((0.0, 1.0), (0.0, 1.0))
            self.clipped = False
            self._whole_ticks()
            return
        x1 = max(float(x.max()) for x in xs)
        # A diverged run's loss runs off to 1e30: fitted to it, the other runs' curves would
        # be one flat line. It leaves the frame instead (unless every run diverged).
        settled = [c.y for c in self.curves if c.y.size and not c.diverged]
        settled = _without_climbs(settled)
        ys = settled or ys
        y0 = min(float(y.min()) for y in ys)
        y1 = max(float(y.max()) for y in ys)
        # A spike (a run thrown far off for a few steps, then back: f from −312 to 750 on
        # the lecture's loss, whose runs stay within ±0.25) flattened every other curve to a
        # line. The range is then where the runs start and end and where 90 % of the values
        # lie, if the spikes would make it over three times that (they leave the frame, as
        # in TensorBoard's "ignore outliers"; not where every run diverged: all is shown).
        low, high, spiky = robust_range(ys)
        self.clipped = bool(settled) and spiky
        if self.clipped:
            y0, y1 = low, high
        pad = 0.04 * (y1 - y0) if y1 > y0 else 0.5 * max(abs(y0), 1.0)
        self.set_range((-0.02 * max(x1, 1.0), x1 * 1.02 + (0 if x1 > 0 else 1)),
                       (y0 - pad, y1 + pad))
        self._whole_ticks()

    def set_iteration(self, k: int) -> None:
        """Move the current-iteration marker."""
        if k != self.marker.k:
            # Only the strips the dashed line leaves and enters are repainted (a frame's
            # repaint is bound by memory: the whole plot is ten times the pixels).
            before = self._marker_strip()
            self.marker.k = int(k)
            self.update_box(before)
            self.update_box(self._marker_strip())

    def _marker_strip(self) -> QtCore.QRect:
        """Where the marker line is drawn (with a margin for its width and antialiasing)."""
        r = self.plot_rect()
        x = float(self.data_to_px(self.marker.k, 0.0)[0])
        if not r.left() - 4 <= x <= r.right() + 4:
            return QtCore.QRect()
        return QtCore.QRectF(x - 3, r.top() - 2, 6, r.height() + 4).toAlignedRect()

    def _on_user_range_changed(self) -> None:
        self._auto = False
        self._whole_ticks()

    def _whole_ticks(self) -> None:
        """k is a whole number: where fewer than 6 fit the range shown, ticks at each (a run of
        a step or none read 0.0, 0.2, 0.4 … along the axis); automatic ones otherwise, and
        where fewer than two whole numbers are in sight (zoomed in between two steps)."""
        x0, x1 = sorted(self.view_range()[0])
        ks = range(math.ceil(x0), math.floor(x1) + 1)
        self.set_ticks("bottom", [(k, str(k)) for k in ks] if 2 <= len(ks) <= 5 else None)

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        self._auto = True
        self._fit_data()
        event.accept()

    # -- painting --------------------------------------------------------------------------
    def paint_data(self, p: QtGui.QPainter) -> None:
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        for curve in self.curves:
            if not curve.x.size:
                continue
            pen = QtGui.QPen(QtGui.QColor(curve.color), self.line_width)
            pen.setJoinStyle(QtCore.Qt.PenJoinStyle.BevelJoin)
            p.setPen(pen)
            px, py = self.data_to_px(curve.x, curve.y)
            # Far off-screen points make the rasteriser work for nothing: clamp them.
            py = np.clip(py, -1e4, 1e4)
            for piece in finite_runs(np.column_stack([px, py]), 1):
                if len(piece) == 1:  # (a run that ended at its start: a dot, not a
                    # pen-wide point under the k = 0 line, where it was all but invisible)
                    radius = max(3.5, 1.2 * self.line_width)
                    p.setBrush(QtGui.QColor(curve.color))
                    p.drawEllipse(QtCore.QPointF(*piece[0]), radius, radius)
                    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                else:  # (k rises along the curve: what a pixel column shows, see there)
                    stroke_polyline(p, column_envelope(piece), pen)
        if self.note:
            # (the placeholder grey, darkened to read as text on the plot: it was 3.6 : 1)
            grey = self.palette().color(QtGui.QPalette.ColorRole.PlaceholderText)
            p.setPen(QtGui.QColor(readable(grey.name(), self.backgroundBrush().color().name())))
            rect = self.plot_rect().adjusted(NOTE_MARGIN, NOTE_MARGIN, -NOTE_MARGIN,
                                             -NOTE_MARGIN)
            p.setFont(self.note_font(rect))
            p.drawText(rect, NOTE_FLAGS, self.note)
        # where a curve leaves the frame (a spike left out, a diverged run): drawn with the
        # curves, into the picture kept until they or the range change (not every frame)
        self._paint_exits(p, self.plot_rect())

    def note_font(self, rect: QtCore.QRectF) -> QtGui.QFont:
        """The font :attr:`note` is drawn in inside ``rect``: the plot's, or smaller until the
        note, broken between words, fits (beside four columns of readouts the plot was
        narrower than "f is undefined or infinite at the start", cut off at both ends)."""
        font = QtGui.QFont(self.font())
        size = font.pointSizeF() if font.pointSizeF() > 0 else float(font.pixelSize())
        for _ in range(8):
            need = QtGui.QFontMetricsF(font).boundingRect(rect, NOTE_FLAGS, self.note)
            if need.width() <= rect.width() and need.height() <= rect.height():
                break
            size *= 0.85
            if font.pointSizeF() > 0:
                font.setPointSizeF(size)
            else:
                font.setPixelSize(max(1, round(size)))
        return font

    def paint_frame(self, p: QtGui.QPainter, export: bool = False) -> None:
        r = self.plot_rect()
        x, _ = self.data_to_px(self.marker.k, 0.0)
        x = float(x)
        if r.left() <= x <= r.right():
            pen = QtGui.QPen(QtGui.QColor("#888888" if self.dark else "#555555"), 1.5,
                             QtCore.Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QtCore.QPointF(x, r.top()), QtCore.QPointF(x, r.bottom()))

    def _paint_exits(self, p: QtGui.QPainter, r: QtCore.QRect) -> None:
        """A small ▲ (▼) in the run's hue where its curve leaves the frame's top (bottom): a
        spike left out of the range, not the curve's end."""
        bottom, top = self.view_range()[1]
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        for curve in self.curves:
            p.setBrush(QtGui.QColor(curve.color))
            for out, edge, tip in ((curve.y > top, r.top(), -8), (curve.y < bottom,
                                                                 r.bottom(), 8)):
                leaves = np.flatnonzero(out & ~np.concatenate([[False], out[:-1]]))[:12]
                for x in self.data_to_px(curve.x[leaves], np.zeros(leaves.size))[0]:
                    if r.left() <= x <= r.right():
                        base = edge - tip
                        p.drawPolygon(QtGui.QPolygonF([QtCore.QPointF(x - 5, base),
                                                       QtCore.QPointF(x + 5, base),
                                                       QtCore.QPointF(x, edge)]))
