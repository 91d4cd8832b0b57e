"""What the 2D map paints once per loss or view: heatmap, contour lines (their labels:
:mod:`gdviz.ui.map_labels`), the gradient field and the colour bar. All of it goes into the
map's static layer (see :mod:`gdviz.ui.canvas.plot_canvas`), so none of it is painted again
during playback.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from gdviz.core.grid import percentiles
from gdviz.ui.arrows import arrow_segments
from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.canvas.polygons import polygon, segments_path
from gdviz.ui.canvas.ticks import tick_labels, tick_values
from gdviz.ui.colors import lookup_table
from gdviz.ui.map_labels import format_levels

FIELD_BINS = 5
FIELD_COLORS = ("#f2f2f2", "#f6c7b6", "#f08a6c", "#d7301f", "#7f0000")
HALO_FROM = 3  # the field's colours from this one on are drawn on a light rim
HALO_COLOR = QtGui.QColor(255, 255, 255, 150)
CONTOUR_COLOR = QtGui.QColor(255, 255, 255, 200)
BAR_WIDTH = 16.0
BAR_GAP = 10.0


def heat_image(shown: np.ndarray, lo: float, hi: float, grey: bool = False) -> QtGui.QImage:
    """The coloured heatmap of ``shown`` (rows: second variable, upwards); NaN is transparent;
    ``grey``: in the colour map's lightness alone.

    Returns an image whose top row is the *last* row of ``shown`` (the map's top edge).
    """
    lut = lookup_table(grey=grey)
    with np.errstate(all="ignore"):
        t = (shown - lo) * (255.0 / (hi - lo if hi > lo else 1.0))
    ok = np.isfinite(t)
    idx = np.clip(np.where(ok, t, 0.0), 0, 255).astype(np.uint8)
    rgba = lut[idx]
    rgba[~ok] = 0  # transparent (premultiplied: every channel 0)
    rgba = np.ascontiguousarray(rgba[::-1])
    h, w = rgba.shape[:2]
    image = QtGui.QImage(rgba.data, w, h, 4 * w, QtGui.QImage.Format.Format_RGBA8888)
    # One conversion now (and a copy that owns its pixels): every later draw is a plain blit.
    return image.convertToFormat(QtGui.QImage.Format.Format_ARGB32_Premultiplied)


def paint_heatmap(p: QtGui.QPainter, canvas, image: QtGui.QImage, a: np.ndarray,
                  b: np.ndarray) -> None:
    """Draw ``image`` so that pixel (i, j) is centred on sample (a[i], b[j])."""
    da = (a[-1] - a[0]) / max(len(a) - 1, 1)
    db = (b[-1] - b[0]) / max(len(b) - 1, 1)
    x0, y1 = canvas.data_to_px(a[0] - da / 2, b[0] - db / 2)
    x1, y0 = canvas.data_to_px(a[-1] + da / 2, b[-1] + db / 2)
    p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
    p.drawImage(QtCore.QRectF(float(x0), float(y0), float(x1 - x0), float(y1 - y0)), image)


UNDEFINED_HATCH = QtGui.QColor(150, 150, 150, 110)
"""The hatching where f is undefined (drawn under the map's picture, which is clear there)."""


def paint_undefined(p: QtGui.QPainter, canvas, grid) -> None:
    """Hatch the map's region under its picture where the grid has undefined cells: it was
    left the plot's plain ground there (log(w1) + w2²'s left half looked unfinished, white on
    white, told only by the status bar)."""
    if grid is None or not grid.undefined_fraction > 0:
        return
    (a0, a1), (b0, b1) = grid.domain
    x0, y0 = canvas.data_to_px(a0, b1)
    x1, y1 = canvas.data_to_px(a1, b0)
    rect = QtCore.QRectF(float(x0), float(y0), float(x1 - x0), float(y1 - y0)).normalized()
    p.save()
    p.setClipRect(rect & canvas.plot_rect())
    p.fillRect(rect, QtGui.QBrush(UNDEFINED_HATCH, QtCore.Qt.BrushStyle.BDiagPattern))
    p.restore()


def paint_contours(p: QtGui.QPainter, canvas, lines: dict[float, list[np.ndarray]],
                   width: float) -> None:
    """White level lines (every piece of every level)."""
    pen = QtGui.QPen(CONTOUR_COLOR, width)
    pen.setJoinStyle(QtCore.Qt.PenJoinStyle.BevelJoin)
    p.setPen(pen)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    for pieces in lines.values():
        for piece in pieces:
            px, py = canvas.data_to_px(piece[:, 0], piece[:, 1])
            p.drawPolyline(polygon(np.column_stack([px, py])))


def field_bins(M: np.ndarray) -> np.ndarray:
    """Colour bin (0 … FIELD_BINS-1) of each arrow by |∇f| quantile; magnitudes alike to 9
    digits are alike (the cone's ‖∇f‖ = 1 everywhere, 0.9999999999999998 to
    1.0000000000000002, was ranked into pale and dark arrows at random, beside a key saying
    "darker: steeper")."""
    finite = np.isfinite(M)
    with np.errstate(all="ignore"):  # (each to its own 9 digits: the gentlest keep their order)
        unit = 10.0 ** (np.floor(np.log10(np.where(finite & (M != 0), np.abs(M), 1.0))) - 8)
        # (not where the unit underflows: below 10⁻³¹⁶ it is 0, and M/0 went last, "steepest")
        M = np.where(finite & (unit > 0), np.round(M / unit) * unit, M)
    edges = (np.array(percentiles(M[finite], np.linspace(0, 100, FIELD_BINS + 1)))
             if finite.any() else np.zeros(FIELD_BINS + 1))
    return np.clip(np.searchsorted(edges[1:-1], M, side="right"), 0, FIELD_BINS - 1)


def paint_field(p: QtGui.QPainter, canvas, field: tuple, bins: np.ndarray,
                width: float) -> None:
    """Gradient-field arrows, coloured by magnitude bin; heads built in pixels."""
    A, B, du, dv, M = field
    tx, ty = canvas.data_to_px(A, B)
    hx, hy = canvas.data_to_px(A + du, B + dv)
    finite = np.isfinite(M)
    if p.paintEngine() is not None and \
            p.paintEngine().type() == QtGui.QPaintEngine.Type.SVG:
        # An SVG keeps no clip: arrows at the edges stuck out of the frame onto the tick
        # labels (the picture clips them). Only the arrows wholly inside are drawn there.
        r = canvas.plot_rect()
        finite = finite & (np.minimum(tx, hx) >= r.left()) & (np.maximum(tx, hx) <= r.right()) \
            & (np.minimum(ty, hy) >= r.top()) & (np.maximum(ty, hy) <= r.bottom())
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
    for k, color in enumerate(FIELD_COLORS):
        sel = (bins == k) & finite
        if not sel.any():
            continue
        xs, ys = arrow_segments(tx[sel], ty[sel], (hx - tx)[sel], (hy - ty)[sel], 0.35, 1.0)
        if not len(xs):
            continue
        path = segments_path(np.column_stack([xs, ys]))
        p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        if k >= HALO_FROM:  # (the steepest, darkest arrows lay in viridis' dark wells,
            # maroon on purple, the hardest to see: a light rim under them)
            halo = QtGui.QPen(HALO_COLOR, width + 2.0)
            halo.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
            p.setPen(halo)
            p.drawPath(path)
        pen = QtGui.QPen(QtGui.QColor(color), width)
        pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
        p.setPen(pen)
        p.drawPath(path)


def device_box(rect: QtCore.QRectF, dpr: float) -> tuple[int, int, int, int]:
    """``(x, y, width, height)`` in whole device pixels of what Qt fills or clips for
    ``rect``: each edge rounded as Qt rounds it (half up), not the size rounded."""
    def snap(v: float) -> int:
        return math.floor(v * dpr + 0.5)

    x0, y0, x1, y1 = snap(rect.left()), snap(rect.top()), snap(rect.right()), snap(rect.bottom())
    return x0, y0, x1 - x0, y1 - y0


def paint_picture(p: QtGui.QPainter, picture: QtGui.QImage, rect: QtCore.QRectF,
                  dpr: float) -> None:
    """Draw ``picture`` (device pixels) over ``rect`` (logical pixels).

    A picture made for this very rectangle (:func:`device_box`'s size) is copied pixel for
    pixel at the rectangle's device pixels: drawn into the exact, fractional rectangle it
    would be resampled, which costs several times a plain copy and blurs it by half a pixel.
    Any other (a pan or a zoom until the map is sampled again) is scaled smoothly.
    """
    x, y, w, h = device_box(rect, dpr)
    # (Smooth either way: an export scales the painter, and a scaled copy should not be
    # blocky; an untransformed copy at whole pixels ignores the hint.)
    p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, True)
    if (picture.width(), picture.height()) == (w, h):
        picture.setDevicePixelRatio(dpr)
        p.drawImage(QtCore.QPointF(x / dpr, y / dpr), picture)
    else:
        p.drawImage(rect, picture)


def bar_ticks(lo: float, hi: float, count: float, log=None) -> tuple[list, list[str]]:
    """The colour bar's ticks from ``lo`` to ``hi``, about ``count`` of them: round values,
    or on a log map (``log``: its levels and the f each stands for, ``label_of``) every so
    many of its levels, labelled with f as the level labels write it — the bar of
    log₁₀(f − min f) read 0.5 to 2.5 beside Himmelblau's labels 2.5, 4, 40 of f itself, the
    darkest "2.5" of one the lightest of the other."""
    if log is not None:
        levels, label_of = log
        levels = [float(v) for v in levels if lo <= v <= hi]
        if len(levels) >= 2:
            # In each of ``count`` stretches of the bar the level with the roundest f: 10
            # and 100, not every fourth level's 2.5, 16, 100
            bins = max(2, int(count))
            fs = [label_of(v) for v in levels]
            texts = format_levels(fs)
            decades = _decade_ticks(levels, texts, fs, bins, 0.5 * (hi - lo) / bins)
            if decades:
                return [v for v, _t in decades], [t for _v, t in decades]
            best: dict[int, tuple] = {}
            for v, text in zip(levels, texts, strict=True):
                if not text:  # (an f that cannot be written: no blank tick)
                    continue
                digits = _significant(text)
                key = (len(digits), digits[:1] != "1", v)
                at = min(bins - 1, int((v - lo) / (hi - lo) * bins))
                if at not in best or key < best[at][0]:
                    best[at] = (key, v, text)
            chosen: list[tuple] = []
            for k in sorted(best):  # (picks in neighbouring stretches may sit close: apart
                # by half a stretch at least, or their labels would overlap)
                if not chosen or best[k][1] - chosen[-1][1] >= 0.5 * (hi - lo) / bins:
                    chosen.append(best[k])
            if chosen:
                return [v for _k, v, _t in chosen], [t for _k, _v, t in chosen]
    values, step = tick_values(lo, hi, count)
    return list(values), tick_labels(values, step)


def _significant(text: str) -> str:
    """The significant digits of a label as written ("0.0025" and "2.5e−3": "25")."""
    return text.lstrip("−").split("e")[0].replace(".", "").strip("0")


def _decade_ticks(levels: list[float], texts: list[str], fs: list[float], most: int,
                  apart: float) -> list[tuple[float, str]]:
    """A log bar's ticks at whole powers of ten of f among its ``levels`` (labelled
    ``texts``, standing for ``fs``), every decade or every 2nd, 3rd, 5th… (exponents its
    multiples), at most ``most`` and ``apart`` at least; none where fewer than three can be
    (Himmelblau's 10 and 100 alone said less than 10, 40, 100). The roundest f in each
    stretch of the bar read 0.1, 0.001, 0.0001, 10⁻⁶ on exp(−(w1² + w2²)): 0.01 and 10⁻⁵
    left out, the steps uneven."""
    decades = []
    for v, text, f in zip(levels, texts, fs, strict=True):
        if text and _significant(text) == "1":
            decades.append((v, text, round(math.log10(abs(f)))))
    if len(decades) < 3:
        return []
    for every in (1, 2, 3, 5, 10, 20, 50, 100):
        picks = [(v, t) for v, t, e in decades if e % every == 0]
        if 3 <= len(picks) <= most and all(b[0] - a[0] >= apart
                                           for a, b in zip(picks, picks[1:], strict=False)):
            return picks
    return []


def bar_margin(font: QtGui.QFont, lo: float = 0.0, hi: float = 0.0,
               height: float = 0.0, log=None) -> float:
    """Room the colour bar needs right of the plot (bar, ticks, labels, title), px: for
    labels as wide as "−0.000", or the widest of ``lo`` to ``hi``'s on a bar about
    ``height`` tall where wider (10⁶ + x² + y²'s "1.000015e6" was cut to "1.000015e");
    ``log`` as for :func:`bar_ticks`."""
    fm = QtGui.QFontMetricsF(font)
    widest = fm.horizontalAdvance("−0.000")
    if hi > lo and math.isfinite(lo) and math.isfinite(hi):
        # (the bar is the plot's height, which the margin itself moves: the widest labels
        # of the counts a bar from 60 to 100 % of ``height`` would have)
        for share in (0.6, 0.7, 0.8, 0.9, 1.0):
            _values, texts = bar_ticks(lo, hi, max(2.0, share * height / (3.5 * fm.height())),
                                       log)
            widest = max([widest, *(fm.horizontalAdvance(t) for t in texts)])
    return BAR_GAP + BAR_WIDTH + 4 + widest + 6 + fm.height() + 4


def paint_colorbar(p: QtGui.QPainter, plot: QtCore.QRectF, lo: float, hi: float, title: str,
                   font: QtGui.QFont, fg: QtGui.QColor, grey: bool = False,
                   log=None) -> None:
    """A vertical colour scale right of ``plot``: ``lo`` at the bottom, ``hi`` at the top
    (``grey``: the lightness scale under the basins' tints; ``log``: ticks at a log map's
    levels, :func:`bar_ticks`)."""
    if not (np.isfinite(lo) and np.isfinite(hi)) or hi <= lo:
        return
    bar = QtCore.QRectF(plot.right() + BAR_GAP, plot.top(), BAR_WIDTH, plot.height())
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
    # An opaque 1 × 256 picture stretched without smoothing (a gradient fill costs
    # milliseconds in software, smooth stretching a millisecond; 256 colours over a few
    # hundred pixels show no steps).
    smooth = p.testRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform)
    p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, False)
    p.drawImage(bar, _bar_image(grey))
    # (back as it was: an export drawn smaller needs it for its text, see render_image)
    p.setRenderHint(QtGui.QPainter.RenderHint.SmoothPixmapTransform, smooth)
    frame = QtGui.QColor(fg)
    frame.setAlpha(150)
    p.setPen(QtGui.QPen(frame, 1.0))
    p.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    p.drawRect(bar)
    fm = QtGui.QFontMetricsF(font)
    p.setFont(font)
    p.setPen(QtGui.QPen(fg, 1.0))
    values, texts = bar_ticks(lo, hi, max(2.0, bar.height() / (3.5 * fm.height())), log)
    for v, text in zip(values, texts, strict=True):
        y = bar.bottom() - (v - lo) / (hi - lo) * bar.height()
        p.drawLine(QtCore.QPointF(bar.right(), y), QtCore.QPointF(bar.right() + 4, y))
        p.drawText(QtCore.QPointF(bar.right() + 6, y + fm.ascent() / 2 - 1), text)
    if title:
        tw = fm.horizontalAdvance(title)
        widest = max((fm.horizontalAdvance(t) for t in texts), default=0.0)
        p.save()
        p.translate(bar.right() + 6 + widest + 4 + fm.ascent(), bar.center().y() + tw / 2)
        p.rotate(-90)
        p.drawText(QtCore.QPointF(0, 0), title)
        p.restore()


@functools.lru_cache(maxsize=2)
def _bar_image(grey: bool = False) -> QtGui.QImage:
    """The colour map (or its lightness) as a 1 × 256 picture, high values at the top."""
    rgba = np.ascontiguousarray(lookup_table(grey=grey)[::-1].reshape(256, 1, 4))
    return QtGui.QImage(rgba.data, 1, 256, 4, QtGui.QImage.Format.Format_RGBA8888).convertToFormat(
        QtGui.QImage.Format.Format_RGB32)
