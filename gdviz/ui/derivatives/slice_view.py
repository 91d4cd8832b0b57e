"""The "Slice" tab: the derivative graphically, and partial derivatives as slices.

f is drawn along one variable with the other held constant at the current point's value. The
curve is coloured by the sign of its slope; the tangent at the examined point carries the slope,
which is the partial derivative. The held variable is highlighted in the typeset formula.

This module also holds :class:`LinkedView`, the small base the lecture tabs share.
"""

from __future__ import annotations

import html
import math
import re
import threading
import time

import numpy as np

from gdviz.core import calculus
from gdviz.core.loss import Loss
from gdviz.ui.loss_panel import FormulaLabel
from gdviz.ui.qt import QtCore, QtGui, QtWidgets, Signal, pg

#: Colours (Okabe–Ito where possible: readable by colour-blind students and on a projector).
SLOPE_COLORS = {"rising": "#009E73", "falling": "#D55E00", "flat": "#9a9a9a"}
SLOPE_LABELS = {"rising": "rising (slope &gt; 0)", "falling": "falling (slope &lt; 0)",
                "flat": "flat (slope ≈ 0)"}
HELD_COLOR = "#7B3294"  # the variable held constant (also the slice line on the 2D map)
FONT_PT = 13


def fmt(value: float, digits: int = 4) -> str:
    """A number as students read it: ``digits`` significant digits and a real minus sign."""
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
    """Projector-friendly axes: 12 pt ticks, 13 pt labels, no context menu."""
    font = QtGui.QFont()
    font.setPointSize(12)
    for name, text in (("bottom", bottom), ("left", left)):
        axis = plot.getAxis(name)
        axis.setTickFont(font)
        axis.setTextPen(pg.mkPen("#222222"))
        axis.enableAutoSIPrefix(False)
        if text:
            plot.setLabel(name, text, **{"font-size": f"{FONT_PT}pt", "color": "#222222"})
    plot.setMenuEnabled(False)
    plot.hideButtons()


def held_formula_tex(loss: Loss, held: int) -> tuple[str, str] | None:
    """LaTeX of ``f(a, b) = …`` with the held symbol in bold, and the same with it invisible.

    Both have the same layout (``\\phantom`` keeps the space); see :func:`composite_formula`.
    None when the formula is too long to read.
    """
    import sympy as sp

    sym = loss.symbols[held]
    bold = rf"\mathbf{{{sp.latex(sym)}}}"
    out = []
    for held_tex in (bold, rf"\phantom{{{bold}}}"):
        names = [sp.latex(s) for s in loss.symbols]
        names[held] = held_tex
        out.append(rf"f({names[0]},\ {names[1]}) = "
                   + sp.latex(loss.expr, symbol_names={sym: held_tex}))
    return None if len(out[0]) > 700 else (out[0], out[1])


def composite_formula(full_tex: str, phantom_tex: str, color: str = HELD_COLOR,
                      fontsize: float = 15) -> QtGui.QImage | None:
    """Typeset a formula with the held variable in ``color`` (thread-safe; can take 0.5 s).

    mathtext has no ``\\color``: ink present in ``full_tex`` but not in ``phantom_tex`` is
    the held symbol, and is painted in ``color``; the rest in black, on a transparent
    background. None when mathtext cannot draw it.
    """
    inks = []
    for tex in (full_tex, phantom_tex):
        png = _render(tex, fontsize)
        if png is None:
            return None
        image = QtGui.QImage.fromData(png).convertToFormat(QtGui.QImage.Format_RGBA8888)
        arr = np.frombuffer(image.constBits(), np.uint8).reshape(
            image.height(), image.bytesPerLine())[:, : 4 * image.width()]
        rgb = arr.reshape(image.height(), image.width(), 4)[..., :3].astype(float)
        inks.append(1.0 - rgb.mean(axis=2) / 255.0)  # ink on a white background
    full, rest = inks
    if full.shape != rest.shape:
        rest = full  # the layouts differ: show it all in black (the held symbol stays bold)
    held_ink = np.clip(full - rest, 0.0, 1.0)
    alpha = np.clip(rest + held_ink, 0.0, 1.0)
    tint = np.array(QtGui.QColor(color).getRgb()[:3], dtype=float)
    with np.errstate(all="ignore"):
        share = np.where(alpha > 0, held_ink / alpha, 0.0)
    out = np.empty(full.shape + (4,), dtype=np.uint8)
    out[..., :3] = (share[..., None] * tint).round().astype(np.uint8)
    out[..., 3] = (alpha * 255).round().astype(np.uint8)
    h, w = full.shape
    return QtGui.QImage(out.tobytes(), w, h, 4 * w, QtGui.QImage.Format_RGBA8888).copy()


_RENDER_LOCK = threading.Lock()


def _render(tex: str, fontsize: float) -> bytes | None:
    """``latex_to_png`` one at a time, retried: matplotlib's mathtext is not thread-safe.

    Two threads parsing at once make both fail (``ParseException``). The lock serialises this
    module's renders; the retries cover a collision with another thread rendering (the compile
    worker). None when mathtext cannot draw the formula.
    """
    from gdviz.ui.mathtext import latex_to_png

    for attempt in range(3):
        try:
            with _RENDER_LOCK:
                return latex_to_png(tex, fontsize=fontsize)
        except Exception:  # noqa: BLE001 - mathtext raises several types; rich text then
            if attempt < 2:
                time.sleep(0.1)
    return None


def held_formula_html(loss: Loss, held: int) -> str:
    """Rich-text ``f(a, b) = …`` with the held variable coloured (shown until the typeset one)."""
    name = loss.variables[held]
    mark = f"<b style='color:{HELD_COLOR}'>{html.escape(name)}</b>"
    args = [html.escape(v) for v in loss.variables]
    args[held] = mark
    plain = html.escape(loss.plain.replace("**", "^").replace("*", "·"))
    body = re.sub(rf"\b{re.escape(html.escape(name))}\b", mark, plain)
    return f"<span style='font-size:{FONT_PT + 3}pt'>f({', '.join(args)}) = {body}</span>"


_FORMULAS: dict[tuple, QtGui.QImage | None] = {}  # rendered formulas, by (text, vars, held)


class _FormulaSignals(QtCore.QObject):
    done = Signal(object, object)  # key, QImage or None


class _FormulaJob(QtCore.QRunnable):
    """Renders :func:`composite_formula` on a pool thread (mathtext is too slow for the GUI)."""

    def __init__(self, key, texts: tuple[str, str], slot) -> None:
        super().__init__()
        self.key, self.texts = key, texts
        self.signals = _FormulaSignals()
        self.signals.done.connect(slot, QtCore.Qt.QueuedConnection)

    def run(self) -> None:
        try:
            image = composite_formula(*self.texts)
        except Exception:  # noqa: BLE001 - never let a formula take the app down
            image = None
        self.signals.done.emit(self.key, image)


class LinkedView(QtWidgets.QWidget):
    """Base of the lecture tabs: follows the controller and redraws lazily.

    Changes of loss, domain, runs, selection or iteration mark the view dirty; a visible view
    redraws once per event-loop pass (playback never queues redraws), a hidden one when shown.
    Subclasses implement :meth:`redraw`; public getters call :meth:`ensure_fresh` first.
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
        for signal in (c.lossChanged, c.domainChanged, c.runsChanged, c.selectedChanged,
                       c.iterationChanged):
            signal.connect(self._on_controller_changed)

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
        runs, i = self.controller.runs, self.controller.selected
        return (runs[i].spec.color or "#0072B2") if 0 <= i < len(runs) else "#0072B2"

    def redraw(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class SliceView(LinkedView):
    """f along one variable with the other held constant; tangent slope = partial derivative.

    Signals
    -------
    sliceLineChanged(axis, value)
        The line the slice is taken along, for ``ContourView.set_slice_line``: axis 0 is the
        line b = value, axis 1 the line a = value; axis None (view hidden) hides it.
    pointDragged(a, b)
        The user dragged the examined point along the slice to (a, b).
    """

    sliceLineChanged = Signal(object, float)
    pointDragged = Signal(float, float)

    def __init__(self, controller, parent=None) -> None:
        super().__init__(controller, parent)
        self.setObjectName("sliceView")
        self.slice_axis = 0
        self._examined: float | None = None  # abscissa of the examined point (None: current)
        self._data = (np.empty(0), np.empty(0))
        self._slope = float("nan")
        self._line: tuple[object, float] | None = None
        self._formula_key: tuple | None = None
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._y_range = (-1.0, 1.0)
        self._setting = False
        self._line_timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._line_timer.timeout.connect(self._emit_line)

        self.formula = FormulaLabel("sliceFormula")
        self.formula.setAccessibleName("the loss with the held variable highlighted")
        self.combo = QtWidgets.QComboBox(objectName="sliceAxisCombo")
        self.combo.setAccessibleName("variable to slice along")
        self.combo.setToolTip("Which variable moves along the slice; the other is held constant")
        self.combo.addItems(["along w1", "along w2"])
        self.combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToContents)
        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        self.formula.setSizePolicy(QtWidgets.QSizePolicy.Ignored,
                                   QtWidgets.QSizePolicy.Preferred)
        self.held_label = QtWidgets.QLabel(objectName="heldLabel", wordWrap=True)
        self.slope_label = QtWidgets.QLabel(objectName="slopeLabel", wordWrap=True)
        big = self.slope_label.font()
        big.setPointSize(FONT_PT + 2)
        self.slope_label.setFont(big)

        self.plot_widget = CompactPlotWidget(objectName="slicePlot")
        self.plot_widget.setAccessibleName("the slice of f with its tangent")
        self.plot = self.plot_widget.getPlotItem()
        style_plot(self.plot)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.plot.setMouseEnabled(x=False, y=False)
        self.curves = {}
        for name in calculus.SLOPE_CLASSES:
            curve = pg.PlotDataItem(pen=pg.mkPen(SLOPE_COLORS[name], width=4), connect="finite")
            self.plot.addItem(curve)
            self.curves[name] = curve
        self.legend = QtWidgets.QLabel(objectName="sliceLegend", wordWrap=True)
        self.legend.setText("&nbsp;&nbsp;".join(
            [f"<span style='color:{SLOPE_COLORS[n]}'>━━</span> {SLOPE_LABELS[n]}"
             for n in calculus.SLOPE_CLASSES] + ["<b>╌╌</b> tangent"]))
        self.tangent = pg.PlotDataItem(pen=pg.mkPen("#111111", width=2.5,
                                                    style=QtCore.Qt.DashLine))
        self.tangent.setZValue(5)
        self.plot.addItem(self.tangent)
        self.handle = pg.InfiniteLine(angle=90, movable=True,
                                      pen=pg.mkPen((60, 60, 60, 90), width=2),
                                      hoverPen=pg.mkPen("#444444", width=3))
        self.handle.setToolTip("Drag to move the point along the slice")
        self.handle.sigPositionChanged.connect(self._on_handle_moved)
        self.plot.addItem(self.handle)
        self.dot = pg.ScatterPlotItem(size=16, pen=pg.mkPen("w", width=2.5))
        self.dot.setZValue(10)
        self.plot.addItem(self.dot)
        self.slope_text = pg.TextItem(anchor=(0, 1), color="#111111",
                                      fill=pg.mkBrush(255, 255, 255, 200))
        self.slope_text.setFont(big)
        self.slope_text.setZValue(11)
        self.plot.addItem(self.slope_text)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.combo)
        top.addSpacing(12)
        top.addWidget(self.formula, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.held_label)
        layout.addWidget(self.legend)
        layout.addWidget(self.plot_widget, 1)
        layout.addWidget(self.slope_label)
        self._subscribe()

    # -- public ---------------------------------------------------------------------------
    def set_slice_axis(self, axis: int) -> None:
        """Slice along the first (0) or second (1) variable."""
        self.combo.setCurrentIndex(1 if axis else 0)

    def slice_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The (xs, ys) of the drawn slice."""
        self.ensure_fresh()
        return self._data

    def tangent_slope(self) -> float:
        """The slope of the drawn tangent (∂f/∂ the slice's variable at the examined point)."""
        self.ensure_fresh()
        return self._slope

    def examined_point(self) -> tuple[float, float] | None:
        """The 2D point the tangent is drawn at (the current point unless dragged)."""
        self.ensure_fresh()
        st = self.state()
        if st is None:
            return None
        (a, b), x = st[1], self._examined_x(st[1])
        return (x, b) if self.slice_axis == 0 else (a, x)

    def set_examined(self, x: float) -> None:
        """Examine the point at abscissa ``x`` along the slice (as a drag does, without signal)."""
        self._examined = float(x)
        self.mark_dirty()
        self.ensure_fresh()

    def slice_line(self) -> tuple[int | None, float]:
        """``(axis, value)`` of the line on the 2D map (``(None, nan)`` while hidden)."""
        self.ensure_fresh()
        st = self.state()
        if st is None or not self.isVisible():
            return None, float("nan")
        return self.slice_axis, st[1][1 - self.slice_axis]

    # -- events ---------------------------------------------------------------------------
    def _on_controller_changed(self, *_) -> None:
        self._examined = None  # the run moved: examine its point again
        self.mark_dirty()

    def _on_combo_changed(self, index: int) -> None:
        self.slice_axis = 1 if index else 0
        self._examined = None
        self.mark_dirty()
        self.ensure_fresh()

    def _on_handle_moved(self) -> None:
        if self._setting:
            return
        self._examined = float(self.handle.value())
        self._draw_tangent()
        point = self.examined_point()
        if point is not None:
            self.pointDragged.emit(*point)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._line_timer.start()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        # Deferred: a view hidden because the window is being destroyed must not call into
        # half-deleted receivers (the timer dies with the view).
        self._line_timer.start()

    def _emit_line(self) -> None:
        axis, value = self.slice_line()
        line = (None, 0.0) if axis is None else (axis, value)
        if line != self._line:
            self._line = line
            self.sliceLineChanged.emit(axis, float(value))

    # -- drawing --------------------------------------------------------------------------
    def _examined_x(self, point) -> float:
        return point[self.slice_axis] if self._examined is None else self._examined

    def redraw(self) -> None:
        st = self.state()
        if st is None:
            for curve in (*self.curves.values(), self.tangent):
                curve.setData([], [])
            self.dot.setData([], [])
            self.slope_text.setText("")
            self._data, self._slope = (np.empty(0), np.empty(0)), float("nan")
            self.slope_label.setText("No loss yet.")
            self._emit_line()
            return
        loss, point = st
        axis = self.slice_axis
        names = loss.variables
        for i, name in enumerate(names):
            self.combo.setItemText(i, f"along {name}  ({names[1 - i]} held)")
        lo, hi = self.controller.domain[axis]
        ts, ys, slopes = calculus.sample_slice(loss, point, axis, lo, hi)
        self._data = (ts, ys)
        for name, (xs, yv) in calculus.split_by_slope(ts, ys, slopes).items():
            self.curves[name].setData(xs, yv, connect="finite")
        finite = ys[np.isfinite(ys)]
        if finite.size:
            y0, y1 = float(finite.min()), float(finite.max())
            pad = 0.08 * (y1 - y0) if y1 > y0 else 0.5 * max(abs(y0), 1.0)
            self._y_range = (y0 - pad, y1 + pad)
        else:
            self._y_range = (-1.0, 1.0)
        self.plot.setRange(xRange=(lo, hi), yRange=self._y_range, padding=0.0)
        label = {"font-size": f"{FONT_PT}pt", "color": "#222222"}
        self.plot.setLabel("bottom", names[axis], **label)
        self.plot.setLabel("left", f"f  ({names[1 - axis]} held)", **label)
        self._setting = True
        self.handle.setBounds((lo, hi))
        self.handle.setValue(self._examined_x(point))
        self._setting = False
        self._draw_held(loss, point)
        self._draw_tangent()
        self._emit_line()

    def _draw_held(self, loss: Loss, point) -> None:
        axis, held = self.slice_axis, 1 - self.slice_axis
        names = loss.variables
        key = (loss.text, loss.variables, held)
        if key != self._formula_key:
            self._formula_key = key
            if _FORMULAS.get(key) is not None:
                self.formula.set_image(_FORMULAS[key])
            else:
                self.formula.set_rich_text(held_formula_html(loss, held))
                texts = held_formula_tex(loss, held) if key not in _FORMULAS else None
                if texts is not None:
                    self._pool.start(_FormulaJob(key, texts, self._on_formula_rendered))
        value = fmt(point[held], 3)
        args = [names[0], names[1]]
        args[held] = f"<b style='color:{HELD_COLOR}'>{value}</b>"
        self.held_label.setText(
            f"<b style='color:{HELD_COLOR}'>{names[held]} = {value}</b> is held constant: the "
            f"curve is f({', '.join(args)}), a function of {names[axis]} alone.")

    def _on_formula_rendered(self, key, image) -> None:
        if len(_FORMULAS) > 32:
            _FORMULAS.clear()
        _FORMULAS[key] = image
        if key == self._formula_key and image is not None:
            self.formula.set_image(image)

    def _draw_tangent(self) -> None:
        st = self.state()
        if st is None:
            return
        loss, point = st
        axis, names = self.slice_axis, loss.variables
        x0 = self._examined_x(point)
        y0 = float(calculus.slice_function(loss, point, axis)(np.float64(x0)))
        slope = float(calculus.slice_derivative(loss, point, axis)(np.float64(x0)))
        if not math.isfinite(y0):
            slope = float("nan")  # no tangent where f itself is undefined
        self._slope = slope
        lo, hi = self.controller.domain[axis]
        half = 0.22 * (hi - lo)
        held = 1 - axis
        where = {axis: x0, held: point[held]}
        xs, ys = calculus.line_in_box(x0, y0, slope, (x0 - half, x0 + half), self._y_range)
        self.tangent.setData(xs, ys)
        if math.isfinite(y0):
            self.dot.setData([x0], [y0], brush=pg.mkBrush(self.run_color()))
            self.slope_text.setText(f"slope = {fmt(slope)}")
            self.slope_text.setPos(x0, y0)
            # Put the text where neither the curve nor the tangent goes: a convex curve lies
            # above its tangent, so below it, on the side where the tangent rises (mirrored for
            # a concave curve).
            curv = float(calculus.slice_curvature(loss, (where[0], where[1]), axis))
            below = not curv < 0
            (ya, yb), frac = self._y_range, 0.5
            if yb > ya:
                frac = (y0 - ya) / (yb - ya)
            if frac < 0.15 or frac > 0.85:  # keep it inside the plot first
                below = frac > 0.85
            right = (slope > 0) == below
            if not 0.2 < (x0 - lo) / (hi - lo) < 0.8:
                right = (x0 - lo) / (hi - lo) <= 0.2
            self.slope_text.setAnchor((-0.08 if right else 1.08, -0.15 if below else 1.15))
        else:
            self.dot.setData([], [])
            self.slope_text.setText("")
        sign = ("rising" if slope > 0 else "falling" if slope < 0 else "flat") \
            if math.isfinite(slope) else "undefined"
        color = SLOPE_COLORS.get(sign, "#222222")
        at = f"({fmt(where[0], 3)}, {fmt(where[1], 3)})"
        if not math.isfinite(y0):
            self.slope_label.setText(f"f is undefined at {at}: no tangent there.")
            return
        self.slope_label.setText(
            f"tangent slope = ∂f/∂{names[axis]} at {at} = <b>{fmt(slope)}</b>  "
            f"<span style='color:{color}'>({sign})</span>")
