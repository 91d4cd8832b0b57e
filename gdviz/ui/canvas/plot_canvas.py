"""PlotCanvas: a light, fast 2D plot widget with axes, pan and zoom (``pan_zoom.py``).

A playback frame changes little: a few path segments, a marker. A general scene graph repaints
every item the change touches (the heatmap, the contours, the axes) and costs tens of
milliseconds per frame in software rendering. A canvas instead paints in two layers:

* the *static* layer — background, data that changes only with the loss or the view, axes —
  is rendered once into an image and reused until :meth:`PlotCanvas.invalidate`;
* the *frame* layer (:meth:`PlotCanvas.paint_frame`) is painted on top at every repaint and
  holds only what moves.

Subclasses implement :meth:`paint_data` (static, clipped to the plot) and
:meth:`paint_frame`. Everything is painted in logical widget pixels, so the same code renders
to the screen, to a larger image (:meth:`render_image`) and to SVG (:meth:`render_svg`).
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.ui.binding import QtCore, QtGui, QtWidgets, Signal
from gdviz.ui.canvas import axes
from gdviz.ui.canvas.box_updates import BoxUpdates
from gdviz.ui.canvas.pan_zoom import PanZoom


class PlotCanvas(PanZoom, BoxUpdates, QtWidgets.QWidget):
    """A plot with a bottom and a left axis; see the module docstring.

    Signals
    -------
    userRangeChanged
        The user panned or zoomed (emitted on every move; debounce if costly).
    """

    userRangeChanged = Signal()
    resized = Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._want = ((0.0, 1.0), (0.0, 1.0))  # the range asked for
        self._xr, self._yr = self._want  # the range shown (widened when aspect-locked)
        self._px_kept: tuple | None = None  # (layout, ranges, scales): see _px_scales
        self._labels = {"bottom": "", "left": ""}
        self._bg = QtGui.QColor("white")
        self._fg = QtGui.QColor("#222222")
        self._grid_alpha = 0  # 0: no grid lines
        self.log_x = False  # log axes: ranges and ticks in log10 units, data mapped by log10
        self.log_y = False
        self.invert_x = False  # x grows to the left (view_range gives x reversed)
        self.exporting = False  # True while an export draws (see _paint_static)
        self._fixed_ticks: dict[str, list[tuple[float, str]]] = {}
        self.aspect_locked = False
        self.pan_zoom = True
        self._layout: axes.AxisLayout | None = None
        self._static: QtGui.QImage | None = None
        self._backdrop: tuple | None = None  # (layout it was drawn for, image)
        self._drag: dict | None = None
        self.static_renders = 0  # how often the static layer was rendered (tests, profiling)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        # Focus by a click (leaving a text box: Space then plays), not Tab: no keys of its own
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(160, 120)

    # -- theme and labels -------------------------------------------------------------------
    @property
    def grid_alpha(self) -> int:
        """Opacity (0–255) of the grid lines at the ticks; 0: no grid."""
        return self._grid_alpha

    @grid_alpha.setter
    def grid_alpha(self, alpha: int) -> None:
        if int(alpha) != self._grid_alpha:
            self._grid_alpha = int(alpha)
            self.invalidate()

    def setBackground(self, color) -> None:  # noqa: N802 - the name pyqtgraph's views use
        """Background colour (a name, ``"w"``/``"k"``, or a ``QColor``)."""
        named = {"w": "white", "k": "black"}
        self._bg = QtGui.QColor(named.get(color, color) if isinstance(color, str) else color)
        self._fg = QtGui.QColor("#e6e6e6" if self._bg.lightness() < 128 else "#222222")
        self.invalidate()

    def backgroundBrush(self) -> QtGui.QBrush:  # noqa: N802 - Qt's name
        """The background as a brush."""
        return QtGui.QBrush(self._bg)

    @property
    def foreground(self) -> QtGui.QColor:
        """Colour of axes and text (follows the background's lightness)."""
        return QtGui.QColor(self._fg)

    @property
    def dark(self) -> bool:
        """Whether the background is dark."""
        return self._bg.lightness() < 128

    def set_axis_label(self, side: str, text: str) -> None:
        """Title of the ``"bottom"`` or ``"left"`` axis."""
        if self._labels.get(side) != text:
            self._labels[side] = text
            self.invalidate()

    def axis_label(self, side: str) -> str:
        """Title of the ``"bottom"`` or ``"left"`` axis."""
        return self._labels.get(side, "")

    # -- ranges ------------------------------------------------------------------------------
    def set_range(self, x: tuple[float, float], y: tuple[float, float]) -> None:
        """Show ``x`` × ``y`` (widened to equal scales when :attr:`aspect_locked`)."""
        x, y = _ordered(x), _ordered(y)
        if (x, y) == self._want and self._layout is not None:
            return
        self._want = (x, y)
        self._fit_aspect()
        self.invalidate()

    def view_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The data ranges shown, ``((x0, x1), (y0, y1))``: x0 at the left (x0 > x1 when
        :attr:`invert_x`), y0 at the bottom."""
        return self._xr, self._yr

    def set_invert_x(self, on: bool) -> None:
        """Let x grow to the left (e.g. a step size shrinking to the right)."""
        if bool(on) != self.invert_x:
            self.invert_x = bool(on)
            self._fit_aspect()
            self.invalidate()

    def set_ticks(self, side: str, ticks: list[tuple[float, str]] | None) -> None:
        """Fixed ``(value, label)`` ticks on the ``"bottom"`` or ``"left"`` axis (None: automatic
        ticks), e.g. every 90° on an angle axis."""
        if ticks is None:
            self._fixed_ticks.pop(side, None)
        else:
            self._fixed_ticks[side] = [(float(v), str(t)) for v, t in ticks]
        self.invalidate()

    def set_aspect_locked(self, on: bool) -> None:
        """Equal scales on both axes (one data unit is as long on x as on y)."""
        if bool(on) != self.aspect_locked:
            self.aspect_locked = bool(on)
            self._fit_aspect()
            self.invalidate()

    def _fit_aspect(self) -> None:
        (x0, x1), (y0, y1) = self._want
        if self.aspect_locked:
            r = self._plot_rect_for(self._want)
            sx, sy = (x1 - x0) / r.width(), (y1 - y0) / r.height()
            s = max(sx, sy)
            cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
            x0, x1 = cx - 0.5 * s * r.width(), cx + 0.5 * s * r.width()
            y0, y1 = cy - 0.5 * s * r.height(), cy + 0.5 * s * r.height()
        self._xr, self._yr = ((x1, x0) if self.invert_x else (x0, x1)), (y0, y1)
        self._layout = None

    def _plot_rect_for(self, ranges) -> QtCore.QRectF:
        lay = axes.compute_layout(QtCore.QSizeF(self.size()), ranges[0], ranges[1], self.font(),
                                  self._labels, self.right_margin(), (self.log_x, self.log_y),
                                  self._fixed_ticks)
        return lay.rect

    # -- geometry ----------------------------------------------------------------------------
    @property
    def layout_info(self) -> axes.AxisLayout:
        """Plot rectangle and ticks for the current size, range and font."""
        if self._layout is None:
            self._layout = axes.compute_layout(QtCore.QSizeF(self.size()), self._xr, self._yr,
                                               self.font(), self._labels, self.right_margin(),
                                               (self.log_x, self.log_y), self._fixed_ticks)
        return self._layout

    def plot_rect(self) -> QtCore.QRectF:
        """The plot area in widget pixels."""
        return QtCore.QRectF(self.layout_info.rect)

    def set_log(self, x: bool = False, y: bool = False) -> None:
        """Logarithmic axes: data are mapped by log10, ranges are given in log10 units."""
        if (bool(x), bool(y)) != (self.log_x, self.log_y):
            self.log_x, self.log_y = bool(x), bool(y)
            self.invalidate()

    def data_to_px(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Widget pixel coordinates of data points (vectorized)."""
        x0, sx, left, y0, sy, bottom = self._px_scales()
        if type(x) is float and type(y) is float and not (self.log_x or self.log_y):
            # (one point, as a label's or a line's: the same arithmetic without numpy's
            # calls, which cost ten times as much; float overflow gives inf here too)
            return np.float64(left + (x - x0) * sx), np.float64(bottom - (y - y0) * sy)
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        if self.log_x or self.log_y:
            with np.errstate(all="ignore"):
                x = np.log10(x) if self.log_x else x
                y = np.log10(y) if self.log_y else y
        with np.errstate(over="ignore", invalid="ignore"):  # (e^709's secant: inf, not drawn)
            px = left + (x - x0) * sx
            py = bottom - (y - y0) * sy
        return px, py

    def _px_scales(self) -> tuple[float, ...]:
        """What :meth:`data_to_px` maps by, kept for the layout and ranges it was worked out
        for (asked for thirty-odd times a playback frame, with a point or a curve each)."""
        lay, ranges = self.layout_info, (self._xr, self._yr)
        kept = self._px_kept
        if kept is None or kept[0] is not lay or kept[1] != ranges:
            r = lay.rect
            (x0, x1), (y0, y1) = ranges
            kept = self._px_kept = (lay, ranges, (x0, r.width() / (x1 - x0), r.left(),
                                                  y0, r.height() / (y1 - y0), r.bottom()))
        return kept[2]

    def px_to_data(self, px, py) -> tuple[np.ndarray, np.ndarray]:
        """Data coordinates of widget pixels (vectorized)."""
        r = self.layout_info.rect
        (x0, x1), (y0, y1) = self._xr, self._yr
        x = x0 + (np.asarray(px, dtype=float) - r.left()) * ((x1 - x0) / r.width())
        y = y0 + (r.bottom() - np.asarray(py, dtype=float)) * ((y1 - y0) / r.height())
        # (clipped to float's range: a pixel above a plot of errors near 10³⁰⁰ overflowed)
        return ((10.0 ** np.clip(x, -320, 308) if self.log_x else x),
                (10.0 ** np.clip(y, -320, 308) if self.log_y else y))

    def data_to_point(self, x: float, y: float) -> QtCore.QPointF:
        """The widget position of one data point."""
        px, py = self.data_to_px(x, y)
        return QtCore.QPointF(float(px), float(py))

    def point_to_data(self, pos: QtCore.QPointF) -> tuple[float, float]:
        """The data point at a widget position."""
        x, y = self.px_to_data(pos.x(), pos.y())
        return float(x), float(y)

    def pixel_size(self) -> tuple[float, float]:
        """Data units per pixel along x and y."""
        r = self.layout_info.rect
        return ((self._xr[1] - self._xr[0]) / r.width(), (self._yr[1] - self._yr[0]) / r.height())

    # -- hooks for subclasses ----------------------------------------------------------------
    def right_margin(self) -> float:
        """Extra room on the right of the plot (e.g. for a colour bar), px."""
        return 0.0

    def paint_data(self, p: QtGui.QPainter) -> None:
        """Paint the static data (clipped to the plot area)."""

    def paint_margin(self, p: QtGui.QPainter) -> None:
        """Paint static things outside the plot area that go with the data (a colour bar):
        painted with the data layer, after it and unclipped."""

    def paint_frame(self, p: QtGui.QPainter, export: bool = False) -> None:
        """Paint what moves, on top of the static layer (``export``: no cached images)."""

    def frame_covers_static(self) -> bool:
        """Whether :meth:`paint_frame` paints a picture that already holds the static layer
        (the paint then skips copying the static picture first)."""
        return False

    def hit_test(self, pos: QtCore.QPointF):
        """A draggable handle under ``pos``, or None (a press there then pans)."""
        return None

    def drag_handle(self, handle, x: float, y: float) -> None:
        """A handle from :meth:`hit_test` is dragged to data point (x, y)."""

    def clicked(self, x: float, y: float) -> None:
        """A left click (without a drag) at data point (x, y) inside the plot."""

    def handle_clicked(self, handle, x: float, y: float) -> None:
        """A left click (without a drag) on a handle from :meth:`hit_test` at (x, y)."""

    # -- painting ----------------------------------------------------------------------------
    def invalidate(self) -> None:
        """The static layer must be painted again (data, range, size, font or theme changed)."""
        self._static = None
        self._layout = None
        self._backdrop = None
        self.update()

    def redraw_data(self) -> None:
        """Only the data changed (not the range, size, labels or theme): the static layer is
        painted again over the kept backdrop (background, grid, axes, tick labels), whose
        text is most of a lecture plot's drawing."""
        self._static = None
        self.update()

    def _new_image(self) -> QtGui.QImage:
        dpr = self.devicePixelRatioF()
        # Opaque pictures are copied to the window as they are; translucent ones are blended.
        fmt = QtGui.QImage.Format.Format_RGB32 if self._bg.alpha() == 255 else \
            QtGui.QImage.Format.Format_ARGB32_Premultiplied
        # (rounded up: at scale 1.5, a picture 340 wide left a widget 227 wide a stray column)
        image = QtGui.QImage(max(1, math.ceil(self.width() * dpr)),
                             max(1, math.ceil(self.height() * dpr)), fmt)
        image.setDevicePixelRatio(dpr)
        return image

    def _render_static(self) -> QtGui.QImage:
        lay = self.layout_info
        if self._backdrop is None or self._backdrop[0] is not lay:
            backdrop = self._new_image()
            p = QtGui.QPainter(backdrop)
            try:
                self._paint_backdrop(p)
            finally:
                p.end()
            self._backdrop = (lay, backdrop)
        image = self._backdrop[1].copy()
        p = QtGui.QPainter(image)
        try:
            self._paint_data_layer(p)
        finally:
            p.end()
        self.static_renders += 1
        return image

    def _paint_backdrop(self, p: QtGui.QPainter) -> None:
        lay = self.layout_info
        p.fillRect(QtCore.QRectF(0, 0, self.width(), self.height()), self._bg)
        if self.grid_alpha:
            axes.paint_grid(p, lay, axes.grid_color(self._fg, self._bg, self.grid_alpha))
        axes.paint_axes(p, lay, self.font(), self._fg, self._labels, frame=False)

    def _paint_static(self, p: QtGui.QPainter) -> None:
        """Everything but the frame layer, drawn afresh (exports: :attr:`exporting` is True
        meanwhile, so a layer made in the background is waited for, not stood in for)."""
        self.exporting = True
        try:
            self._paint_backdrop(p)
            self._paint_data_layer(p)
        finally:
            self.exporting = False

    def _paint_data_layer(self, p: QtGui.QPainter) -> None:
        lay = self.layout_info
        p.save()
        p.setClipRect(lay.rect)  # ticks and labels lie outside it: the order does not matter
        self.paint_data(p)
        p.restore()
        p.save()  # (its render hints stay its own)
        self.paint_margin(p)
        p.restore()
        axes.paint_frame(p, lay, self._fg, self._bg)  # on top of the data, over the margin

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt's name
        self.box_painted()
        if self._static is None:
            self._static = self._render_static()
        p = QtGui.QPainter(self)
        try:
            # Only the rectangles Qt asks for: a frame's few small boxes are copied as such,
            # where one blit of the whole picture would be clipped span by span to them.
            dpr = self._static.devicePixelRatio()
            for r in event.region() if not self.frame_covers_static() else ():
                p.drawImage(QtCore.QRectF(r), self._static,
                            QtCore.QRectF(r.x() * dpr, r.y() * dpr, r.width() * dpr,
                                          r.height() * dpr))
            self.paint_frame(p)
            if self.hasFocus() and self.focusPolicy() & QtCore.Qt.FocusPolicy.TabFocus:
                p.setPen(QtGui.QPen(self.palette().highlight().color(), 2))  # (focus shown)
                p.drawRect(QtCore.QRectF(self.rect()).adjusted(1, 1, -1, -1))
        finally:
            p.end()  # even after an error: an open painter on the window would crash Qt

    def render_image(self, scale: float = 1.0) -> QtGui.QImage:
        """Everything drawn afresh into an image ``scale`` times the widget's size."""
        w, h = max(1, round(self.width() * scale)), max(1, round(self.height() * scale))
        image = QtGui.QImage(w, h, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self._bg)
        p = QtGui.QPainter(image)
        p.scale(w / max(self.width(), 1), h / max(self.height(), 1))
        # Scaled down, Qt draws the text's cached glyphs resampled: without smoothing whole
        # rows were dropped, "field −∇f" read "ficld ∇f" (a GIF at 384 × 482: the minus lost,
        # "step taken" read "slep laken")
        p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
        self._paint_static(p)
        self.paint_frame(p, export=True)
        p.end()
        return image

    def render_svg(self) -> bytes:
        """Everything as an SVG document (UTF-8 bytes)."""
        from PySide6 import QtSvg

        buffer = QtCore.QBuffer()
        buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
        gen = QtSvg.QSvgGenerator()
        gen.setOutputDevice(buffer)
        gen.setSize(self.size())
        gen.setViewBox(QtCore.QRect(0, 0, self.width(), self.height()))
        # The screen's resolution, in which the type's points were turned into pixels (at
        # the generator's own 72 dpi every text was written at 3/4 of its size, small in its
        # boxes, and the picture declared 4/3 as wide)
        gen.setResolution(round(self.logicalDpiX()))
        gen.setTitle(self.accessibleName() or "gdviz")
        p = QtGui.QPainter(gen)
        self._paint_static(p)
        self.paint_frame(p, export=True)
        p.end()
        return bytes(buffer.data())

    # -- events ------------------------------------------------------------------------------
    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self._fit_aspect()
        self.invalidate()
        super().resizeEvent(event)
        self.resized.emit()  # (labels placed in pixels: placed again)

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QtCore.QEvent.Type.FontChange, QtCore.QEvent.Type.PaletteChange):
            self._fit_aspect()
            self.invalidate()
        super().changeEvent(event)


def _ordered(r) -> tuple[float, float]:
    lo, hi = float(r[0]), float(r[1])
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return (0.0, 1.0)
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo <= 1e-300 or hi - lo < 1e-12 * max(abs(lo), abs(hi)):
        pad = max(abs(lo) * 1e-6, 1e-9)
        lo, hi = lo - pad, hi + pad
    return lo, hi
