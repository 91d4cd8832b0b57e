"""The map's level labels: where along its curve each goes (:func:`label_spots`), what it
says (:func:`format_levels`), and painting them clear of the legends, the runs' markers,
each other and the runs' paths (:func:`paint_labels`)."""

from __future__ import annotations

import numpy as np

from gdviz.ui.arrows import clip_segments
from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.numbers import short_exponent

LABEL_BOX_ALPHA = 215  # the level labels' white boxes


def paint_labels(p: QtGui.QPainter, canvas, labels: list[tuple[float, float, str]],
                 font: QtGui.QFont, avoid=(), spots=None, paths=None) -> list[QtCore.QRectF]:
    """Level values on light chips: dark text, readable on every colour of the map; none
    where it would meet one of the rectangles ``avoid`` (the legends). Returns where they
    went (the slice line's label keeps clear of them).

    ``spots`` (per label, its places best first, as :func:`label_spots` gives them) let a
    label move on along its curve where its first place is taken, and off the runs' paths
    ``paths`` (:func:`path_segments`: they are drawn over the labels, and Momentum's path
    through "16" read "1"). Where every place meets a path, the first whose digits no path
    crosses; where there is none, no label (a "25" crossed out read "5").
    """
    fm = QtGui.QFontMetricsF(font)
    p.setFont(font)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    drawn: list[QtCore.QRectF] = []
    frame, gap = canvas.plot_rect(), fm.horizontalAdvance("0")
    cells = PathCells(paths, frame) if paths is not None else None
    for i, (a, b, text) in enumerate(labels):
        w, h = fm.horizontalAdvance(text) + 6, fm.height() + 2
        crossed = None  # the first free place whose chip alone a path crosses
        for sa, sb in (spots[i] if spots is not None else ((a, b),)):
            x, y = canvas.data_to_px(sa, sb)
            if not frame.contains(float(x), float(y)):
                continue  # (panned out of view)
            box = QtCore.QRectF(float(x) - w / 2, float(y) - h / 2, w, h)
            # Moved in off the frame's edge (beside its curve still): one on a curve meeting
            # the edge was cut in half ("6" of "600").
            box.moveLeft(max(frame.left() + 1, min(box.left(), frame.right() - 1 - w)))
            box.moveTop(max(frame.top() + 1, min(box.top(), frame.bottom() - 1 - h)))
            # (large type on a small map: overlapping labels would be unreadable; and side by
            # side, a digit's width apart at least: two chips 4 pixels apart read "−2−3")
            wide = box.adjusted(-gap, 0, gap, 0)
            if any(wide.intersects(other) for other in drawn) or \
                    any(box.intersects(other) for other in avoid):
                continue
            if cells is not None and cells.meets(box.adjusted(-2, -2, 2, 2)):
                if crossed is None and not cells.meets(box.adjusted(2, 1, -2, -1)):
                    crossed = box  # (by its chip's edge only)
                continue
            break
        else:
            box = crossed
        if box is None:
            continue
        drawn.append(box.adjusted(-2, -2, 2, 2))
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        # (mostly opaque: a field arrow across a translucent box crossed out its digits)
        p.setBrush(QtGui.QColor(255, 255, 255, LABEL_BOX_ALPHA))
        p.drawRoundedRect(box, 3, 3)
        p.setPen(QtGui.QColor(20, 20, 20))
        p.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, text)
    return drawn


def path_segments(canvas) -> np.ndarray:
    """The shown runs' whole paths on ``canvas`` (the map) as pixel segments ``(m, 4)``:
    x0, y0, x1, y1."""
    out = []
    for s in canvas.runs.states:
        if s.visible and s.trajectory is not None and len(s.points) > 1:
            x, y = canvas.data_to_px(s.points[:, 0], s.points[:, 1])  # (its finite steps)
            out.append(np.column_stack([x[:-1], y[:-1], x[1:], y[1:]]))
    return np.vstack(out) if out else np.empty((0, 4))


def crosses(box: QtCore.QRectF, segments: np.ndarray) -> bool:
    """Whether one of the pixel ``segments`` (:func:`path_segments`) meets ``box``."""
    return bool(len(segments)) and bool(clip_segments(segments, _ltrb(box))[0].any())


def _ltrb(box: QtCore.QRectF) -> tuple[float, float, float, float]:
    return box.left(), box.top(), box.right(), box.bottom()


class PathCells:
    """The cells of :data:`CELL` pixels the ``segments`` (:func:`path_segments`) pass through
    within ``frame``: whether a box meets a path is then a look at a few cells, not a test of
    every segment (the seven paths of a comparison have thousands)."""

    CELL = 2.0
    MOST_POINTS = 400_000

    def __init__(self, segments: np.ndarray, frame: QtCore.QRectF) -> None:
        self.grid = np.zeros((0, 0), dtype=bool)
        self.left, self.top = frame.left(), frame.top()
        if not len(segments):
            return
        self.grid = np.zeros((int(frame.height() // self.CELL) + 2,
                              int(frame.width() // self.CELL) + 2), dtype=bool)
        self._mark(segments[:, 0], segments[:, 1])  # (most steps are shorter than a cell)
        self._mark(segments[:, 2], segments[:, 3])
        x0, y0, x1, y1 = segments.T
        long = np.hypot(x1 - x0, y1 - y0) > self.CELL
        if not long.any():
            return
        # (a diverged run's steps run far off it)
        inside, lo, hi = clip_segments(segments[long], _ltrb(frame))
        x0, y0, x1, y1 = segments[long][inside].T
        lo, hi = lo[inside], hi[inside]
        dx, dy = x1 - x0, y1 - y0
        # Points along each part within the frame, a cell apart at most — but no more than
        # MOST_POINTS in all, spread out further (RMSprop bouncing across the map for
        # 100,000 steps asked for millions: the window froze as the map was drawn)
        n = np.ceil(np.hypot(dx, dy) * (hi - lo) / self.CELL).astype(int) + 1
        total = int(n.sum())
        thinned = total > self.MOST_POINTS
        if thinned:
            n = 2 + ((n - 2) * (max(self.MOST_POINTS - 2 * len(n), 0) / total)).astype(int)
        which = np.repeat(np.arange(len(n)), n)
        k = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        if thinned:  # (each segment's points shifted along it by its own share of a gap,
            # golden-ratio steps: at the same fractions they stood in a few columns)
            shift = (np.arange(len(n)) * 0.6180339887) % 1.0
            t = lo[which] + (hi - lo)[which] * ((k + shift[which]) / n[which])
        else:
            t = lo[which] + (hi - lo)[which] * k / np.maximum(n - 1, 1)[which]
        self._mark(x0[which] + t * dx[which], y0[which] + t * dy[which])

    def _mark(self, x: np.ndarray, y: np.ndarray) -> None:
        with np.errstate(invalid="ignore"):
            cx, cy = (x - self.left) * (1 / self.CELL), (y - self.top) * (1 / self.CELL)
            ok = (cx >= 0) & (cy >= 0) & (cx < self.grid.shape[1]) & (cy < self.grid.shape[0])
        self.grid[cy[ok].astype(np.intp), cx[ok].astype(np.intp)] = True  # (≥ 0: floors)

    def meets(self, box: QtCore.QRectF) -> bool:
        """Whether a path passes through a cell ``box`` touches."""
        c = self.CELL
        i0, i1 = int((box.top() - self.top) // c), int((box.bottom() - self.top) // c) + 1
        j0, j1 = int((box.left() - self.left) // c), int((box.right() - self.left) // c) + 1
        return bool(self.grid[max(i0, 0):max(i1, 0), max(j0, 0):max(j1, 0)].any())


ROOMY = 0.02
"""The room between neighbouring level curves (a fraction of the map) a label needs: a curve
where they run closer counts for less in choosing where the labels go (:func:`label_spots`)."""


def label_spots(pieces, placed, index: int, span, room=None) -> list[tuple[float, float]]:
    """Points on a level's curves where its label may go, best first: along its longest
    piece, then the middles of its next longest, away from the labels already ``placed``
    (empty: no room).

    Labels of nested contours (a valley, a bowl) would all sit at the same spot if each went
    to its curve's middle; trying different fractions along the curve spreads them out.
    ``room(point)``, if given, is how far apart the level curves run there (a fraction of
    the map): a piece's length counts in proportion where that is under :data:`ROOMY`. On
    sin(x²) every level's longest piece ran up the map's left edge, where the curves are a
    pixel apart, and the labels stood in one column there, none telling which line it named.
    """
    def weight(line: np.ndarray) -> float:
        if room is None:
            return float(len(line))
        return len(line) * min(1.0, room(line[len(line) // 2]) / ROOMY)

    lines = [line for line in sorted(pieces, key=weight, reverse=True) if len(line) >= 8]
    if not lines:
        return []
    sx, sy = (float(s) if s > 0 else 1.0 for s in span)
    fractions = np.roll([0.5, 0.25, 0.75, 0.12, 0.88, 0.38, 0.62], index % 7)
    points = [lines[0][int(f * (len(lines[0]) - 1))] for f in fractions]
    points += [line[len(line) // 2] for line in lines[1:4]]
    return [(float(q[0]), float(q[1])) for q in points
            if all(((q[0] - r[0]) / sx) ** 2 + ((q[1] - r[1]) / sy) ** 2 > 0.1 ** 2
                   for r in placed)]


def format_levels(values) -> list[str]:
    """Labels for several levels, as :func:`format_level` writes them, with more digits
    where it leaves two alike or one nearer another level than its own: a log map's levels
    above a floor of 3 (3.000124, 3.0002, 3.001) read "3" each, above 10⁶ "1e6" each."""
    v = np.asarray(values, dtype=float)
    finite = np.isfinite(v)
    gaps = np.full(v.shape, np.inf)
    if finite.sum() > 1:  # each level's distance to its nearest other level
        order = np.argsort(np.where(finite, v, np.inf))
        ordered = v[order][: finite.sum()]
        step = np.diff(ordered)
        nearest = np.minimum(np.append(step, np.inf), np.insert(step, 0, np.inf))
        gaps[order[: finite.sum()]] = nearest
    texts = [format_level(x).replace("−", "-") for x in v]
    for digits in range(4, 17):
        shown = np.array([float(t) if t else np.nan for t in texts])
        close = ~finite | (np.abs(shown - v) <= 0.05 * gaps)
        if close.all() and len(set(texts)) == len(texts):
            break
        texts = [t if ok else short_exponent(f"{x:.{digits}g}")
                 for t, ok, x in zip(texts, close, v, strict=True)]
    return [t.replace("-", "−") for t in texts]  # (a real minus sign, as on the axes)


def format_level(v: float) -> str:
    """A contour level as its label shows it."""
    if not np.isfinite(v):
        return ""
    if v == 0:
        return "0"
    if abs(v) >= 1e5 or abs(v) < 1e-2:
        text = short_exponent(f"{v:.2g}")  # 1e5, 3.2e5, 0.005: two digits, one style
    elif abs(v) >= 100:  # 1000, not "1e+03" (what 3 significant digits print for it);
        # 12000 up to 10⁵, as the colour bar's ticks (1.2e4 beside its 12000)
        text = f"{v:.0f}"
    else:
        text = f"{v:.3g}"
    return text.replace("-", "−")  # (a real minus sign, as on the axes)


class LevelLabels:
    """The level labels of ``canvas`` (the map), kept off the runs' paths: painted with the
    paths as they are, and placed again (a repaint of the map's static layer) ``settle_ms``
    after new paths stop coming (not with every step of a start's drag)."""

    def __init__(self, canvas, settle_ms: int) -> None:
        self.canvas = canvas
        self._painted: tuple = ()  # the paths the labels were placed for
        self._timer = QtCore.QTimer(canvas, singleShot=True, interval=settle_ms)
        self._timer.timeout.connect(lambda: self.settled() or canvas.redraw_data())

    def _key(self) -> tuple:
        return tuple((id(s.trajectory), s.visible) for s in self.canvas.runs.states)

    def settled(self) -> bool:
        """Whether the labels were placed for the paths shown."""
        return self._key() == self._painted

    def runs_changed(self) -> None:
        """The runs' paths may be new: place the labels again once they settle."""
        if not self.settled():
            self._timer.start()

    def paint(self, p: QtGui.QPainter, avoid) -> list[QtCore.QRectF]:
        """Paint them clear of the rectangles ``avoid`` (:func:`paint_labels`)."""
        c = self.canvas
        self._painted = self._key()
        return paint_labels(p, c, c.contour_labels, c.font(), avoid, c.label_places,
                            path_segments(c))
