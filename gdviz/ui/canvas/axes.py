"""Axis layout and painting for :class:`gdviz.ui.canvas.plot_canvas.PlotCanvas`.

The layout (plot rectangle, ticks, their labels) depends only on the widget's size, the ranges,
the font and the axis labels, so it is computed once per change and reused by every paint and
by the data ↔ pixel mapping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.canvas.ticks import log_tick_labels, offset_labels, tick_values

TICK = 5.0  # tick length, px
PAD = 4.0  # gap between ticks, labels and titles, px


@dataclass
class AxisLayout:
    """Where everything goes for one size, range and font."""

    rect: QtCore.QRectF  # the plot area, in widget pixels
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_range: tuple[float, float] = (0.0, 1.0)
    y_range: tuple[float, float] = (0.0, 1.0)
    # What the tick labels are counted from ("+1.71798691e10"), "" for none
    x_offset: str = ""
    y_offset: str = ""
    x_offset_below: bool = False  # (on a line under the title's: beside it, they would touch)

    def x_px(self, x: float) -> float:
        (x0, x1), r = self.x_range, self.rect
        return r.left() + (x - x0) / (x1 - x0) * r.width()

    def y_px(self, y: float) -> float:
        (y0, y1), r = self.y_range, self.rect
        return r.bottom() - (y - y0) / (y1 - y0) * r.height()


def _offset_ticks(lo: float, hi: float, count: float,
                  log: bool = False) -> tuple[list[tuple[float, str]], str]:
    """Ticks inside [lo, hi] and what their labels count from ("" for themselves)."""
    values, step = tick_values(lo, hi, count)
    if log and step < 1.0 and hi - lo > 1.0:  # whole decades only on a log axis
        values, step = tick_values(lo, hi, max(1.0, min(count, hi - lo)))
        step = max(step, 1.0)
        values = [v for v in values if float(v).is_integer()]
    labels, offset = (log_tick_labels(values, step), "") if log else \
        offset_labels(values, step)
    return list(zip(values, labels, strict=True)), offset


def compute_layout(size: QtCore.QSizeF, x_range, y_range, font: QtGui.QFont,
                   labels: dict[str, str], right_extra: float = 0.0,
                   log: tuple[bool, bool] = (False, False),
                   fixed: dict[str, list[tuple[float, str]]] | None = None) -> AxisLayout:
    """The plot rectangle and ticks for a widget of ``size``.

    Parameters
    ----------
    size
        Widget size in logical pixels.
    x_range, y_range
        The data ranges shown (``x_range`` reversed for an x axis growing to the left).
    font
        Tick font (axis titles use it one point larger).
    labels
        ``{"bottom": ..., "left": ...}`` axis titles ("" for none).
    right_extra
        Room to keep on the right (a colour bar), px.
    log
        Whether the x and y axes are logarithmic (ranges in log10 units, ticks as powers).
    fixed
        ``{"bottom": [(value, label), ...], "left": ...}``: ticks to use instead of automatic
        ones on that side (those outside the range are left out).
    """
    fm = QtGui.QFontMetricsF(font)
    title_h = QtGui.QFontMetricsF(title_font(font)).height()
    w, h = max(size.width(), 40.0), max(size.height(), 40.0)
    top = max(8.0, fm.height() * 0.6)
    bottom = TICK + PAD + fm.height() + (PAD + title_h if labels.get("bottom") else 0.0) + 2
    plot_h = max(10.0, h - top - bottom)
    fixed = fixed or {}
    y_ticks, y_offset = (_inside(fixed["left"], y_range), "") if "left" in fixed else \
        _offset_ticks(*y_range, max(2.0, plot_h / (3.5 * fm.height())), log[1])
    if y_offset:  # (a line above the plot for it: the Slice plot of a diverged run)
        top = max(top, fm.height() + PAD)
        plot_h = max(10.0, h - top - bottom)
    # Every other one where their labels would touch (0 kept): a nice step can give more
    # than asked for (five for two on the Gradient tab's 90-pixel ∇f·u plot in presentation
    # mode's type, "0.04" to "−0.04" a column of touching labels).
    while "left" not in fixed and len(y_ticks) > 2 \
            and plot_h / (len(y_ticks) - 1) < 1.3 * fm.height():
        zero = next((i for i, (v, _) in enumerate(y_ticks) if v == 0), 0)
        y_ticks = y_ticks[zero % 2::2] if len(y_ticks) > 3 else y_ticks[::2]
    # At least the width of a short number: the plot must not shift sideways (under the
    # pointer, while zooming) each time the tick labels gain or lose a digit.
    label_w = max([fm.horizontalAdvance("−0.00")] + [fm.horizontalAdvance(t) for _, t in y_ticks])
    left = TICK + PAD + label_w + (PAD + title_h if labels.get("left") else 0.0) + 4
    # The last x label reaches half its width past the plot: into the room kept on the right
    # (a colour bar, which ends above the labels' row) when there is any.
    right = max(10.0, fm.horizontalAdvance("00000") / 2, right_extra)
    plot_w = max(10.0, w - left - right)
    # As many x ticks as fit with room between their labels.
    count = max(2.0, plot_w / 70.0)
    x_lo, x_hi = sorted(x_range)
    x_ticks, x_offset = (_inside(fixed["bottom"], x_range), "") if "bottom" in fixed else \
        _offset_ticks(x_lo, x_hi, count, log[0])
    for _ in range(0 if "bottom" in fixed else 6):
        widest = max((fm.horizontalAdvance(t) for _, t in x_ticks), default=0.0)
        gap = widest + fm.horizontalAdvance("00")
        if len(x_ticks) < 3 or gap * len(x_ticks) <= plot_w:
            # Two that still run into each other: one of them alone (a close-up around
            # w1 = 1.39·10¹⁰ wrote its 14-digit labels on top of each other, 190 pixels wide)
            apart = (abs(x_ticks[1][0] - x_ticks[0][0]) / (x_hi - x_lo) * plot_w
                     if len(x_ticks) == 2 and x_hi > x_lo else math.inf)
            x_ticks = x_ticks[1:] if apart < widest + fm.horizontalAdvance("0") else x_ticks
            break
        count *= 0.7
        fewer, offset = _offset_ticks(x_lo, x_hi, count, log[0])
        if len(fewer) < 2 or len(fewer) >= len(x_ticks):
            # The next nicer step leaves one tick (−4 … 4 by 2, then by 5: only 0): every
            # other tick of these instead (−4, 0, 4)
            fewer, offset = x_ticks[::2], x_offset
        x_ticks, x_offset = fewer, offset
    # On the title's line, right of it, where it leaves room; else a line of its own
    below = bool(x_offset) and bool(labels.get("bottom")) and (
        QtGui.QFontMetricsF(title_font(font)).horizontalAdvance(labels["bottom"]) / 2
        + fm.horizontalAdvance(x_offset) + fm.horizontalAdvance("00") > plot_w / 2)
    if x_offset and (below or not labels.get("bottom")):
        plot_h = max(10.0, plot_h - fm.height() - PAD)
    rect = QtCore.QRectF(left, top, plot_w, plot_h)
    return AxisLayout(rect, x_ticks, y_ticks, tuple(x_range), tuple(y_range), x_offset,
                      y_offset, below)


def _inside(ticks: list[tuple[float, str]], span) -> list[tuple[float, str]]:
    lo, hi = sorted(span)
    eps = 1e-9 * (hi - lo)
    return [(v, t) for v, t in ticks if lo - eps <= v <= hi + eps]


def title_font(font: QtGui.QFont) -> QtGui.QFont:
    """The axis-title font: the tick font, a little larger."""
    out = QtGui.QFont(font)
    if out.pixelSize() > 0:
        out.setPixelSize(round(out.pixelSize() * 1.1) + 1)
    else:
        out.setPointSizeF(out.pointSizeF() + 1)
    return out


def grid_color(fg: QtGui.QColor, bg: QtGui.QColor, alpha: int) -> QtGui.QColor:
    """The grid's colour: ``fg`` at opacity ``alpha`` (0–255) over ``bg``, as an opaque colour
    when ``bg`` is opaque.

    The grid is drawn straight onto the plain background, so mixing the two beforehand looks
    the same, and Qt's raster engine draws opaque thin lines about 15× faster than translucent
    ones (about 1 ms for a lecture plot's grid, redrawn whenever its range changes).
    """
    if bg.alpha() < 255:
        out = QtGui.QColor(fg)
        out.setAlpha(alpha)
        return out
    t = max(0, min(255, int(alpha))) / 255.0
    return QtGui.QColor.fromRgbF(*(t * f + (1.0 - t) * b for f, b in
                                   zip(fg.getRgbF()[:3], bg.getRgbF()[:3], strict=True)))


def paint_grid(p: QtGui.QPainter, lay: AxisLayout, color: QtGui.QColor) -> None:
    """Light lines at every tick, inside the plot."""
    pen = QtGui.QPen(color, 1.0)
    pen.setCosmetic(True)
    p.setPen(pen)
    r = lay.rect
    for v, _ in lay.x_ticks:
        x = round(lay.x_px(v)) + 0.5
        p.drawLine(QtCore.QPointF(x, r.top()), QtCore.QPointF(x, r.bottom()))
    for v, _ in lay.y_ticks:
        y = round(lay.y_px(v)) + 0.5
        p.drawLine(QtCore.QPointF(r.left(), y), QtCore.QPointF(r.right(), y))


def paint_frame(p: QtGui.QPainter, lay: AxisLayout, fg: QtGui.QColor,
                bg: QtGui.QColor | None = None) -> None:
    """The plot's frame: a thin rectangle just outside the plot area, ``fg`` at 60 % over
    ``bg`` (the background it lies on; translucent without one)."""
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
    frame = grid_color(fg, bg if bg is not None else QtGui.QColor(0, 0, 0, 0), 150)
    p.setPen(QtGui.QPen(frame, 1.0))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.drawRect(lay.rect.adjusted(-0.5, -0.5, 0.5, 0.5))


def paint_axes(p: QtGui.QPainter, lay: AxisLayout, font: QtGui.QFont, fg: QtGui.QColor,
               labels: dict[str, str], frame: bool = True) -> None:
    """Frame (unless not ``frame``), ticks, tick labels and axis titles (bottom and left)."""
    r = lay.rect
    fm = QtGui.QFontMetricsF(font)
    if frame:
        paint_frame(p, lay, fg)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
    p.setPen(QtGui.QPen(fg, 1.0))
    p.setFont(font)
    p.setRenderHint(QtGui.QPainter.RenderHint.TextAntialiasing, True)
    right = p.window().width()  # (a label at the plot's end kept whole: "−1.3056" read
    # "−1.305", cut at the widget's edge, on the h → 0 tab zoomed ×10,000)
    for v, text in lay.x_ticks:
        x = lay.x_px(v)
        p.drawLine(QtCore.QPointF(x, r.bottom()), QtCore.QPointF(x, r.bottom() + TICK))
        tw = fm.horizontalAdvance(text)
        left = min(max(x - tw / 2, 1.0), right - tw - 1.0) if right > tw + 2 else x - tw / 2
        p.drawText(QtCore.QPointF(left, r.bottom() + TICK + PAD + fm.ascent()), text)
    for v, text in lay.y_ticks:
        y = lay.y_px(v)
        p.drawLine(QtCore.QPointF(r.left() - TICK, y), QtCore.QPointF(r.left(), y))
        tw = fm.horizontalAdvance(text)
        p.drawText(QtCore.QPointF(r.left() - TICK - PAD - tw, y + fm.ascent() / 2 - 1), text)
    if lay.y_offset:  # above the plot, from its left edge, as matplotlib writes it
        p.drawText(QtCore.QPointF(r.left(), r.top() - PAD - fm.descent()), lay.y_offset)
    if lay.x_offset:  # below the ticks' labels (the title's line), at the plot's right edge
        tw = fm.horizontalAdvance(lay.x_offset)
        base = r.bottom() + TICK + PAD + fm.height() + PAD + fm.ascent()
        if lay.x_offset_below:
            base += QtGui.QFontMetricsF(title_font(font)).height() + PAD
        p.drawText(QtCore.QPointF(min(r.right(), right - 1.0) - tw, base), lay.x_offset)
    tf = title_font(font)
    tfm = QtGui.QFontMetricsF(tf)
    p.setFont(tf)
    if labels.get("bottom"):
        text = labels["bottom"]
        tw = tfm.horizontalAdvance(text)
        base = r.bottom() + TICK + PAD + fm.height() + PAD + tfm.ascent()
        p.drawText(QtCore.QPointF(r.center().x() - tw / 2, base), text)
    if labels.get("left"):
        text = labels["left"]
        tw = tfm.horizontalAdvance(text)
        widest = max((fm.horizontalAdvance(t) for _, t in lay.y_ticks), default=0.0)
        x = r.left() - TICK - PAD - widest - PAD - tfm.descent()
        p.save()
        p.translate(x, r.center().y() + tw / 2)
        p.rotate(-90)
        p.drawText(QtCore.QPointF(0, 0), text)
        p.restore()
