"""Where the h → 0 error plot's labels go: the guide lines' "slope 1" and "slope 2" and the
regions' "truncation error" and "round-off error", clear of the curves as drawn, of the dotted
line at the current h and of each other (see :func:`keep_regions_clear`).

Each label's candidate spots are checked all at once against an integral image of the points
to avoid (:class:`Occupancy`): the labels are placed again on every h and every playback
frame, and a box tested against every point cost 15 ms a frame.
"""

from __future__ import annotations

import numpy as np

from gdviz.ui.derivatives.common import points_along as _along

GUIDE_ANCHORS = ((0, 1), (1, 0), (1, 1), (0, 0))
"""The corners of a guide line's label tried at each point of the line (slope 1's own,
above and right of the point, first; slope 2's, below and left, next)."""
GUIDE_RINGS = (0, 8, 16, 24)
"""How far (pixels) a guide line's label may be moved off its line, nearest first."""
GUIDE_MARGIN = 8.0
"""How much nearer (pixels) a guide line's label must be to its own line than the other."""
CELL = 2.0
"""Pixels per cell of :class:`Occupancy` (a spot it rejects is at most this near a point)."""


class Occupancy:
    """The points to keep off, counted per :data:`CELL`-pixel cell over ``area`` and summed
    (an integral image): whether a box covers any is four look-ups, for many boxes at once.
    Cells a box only touches count too."""

    def __init__(self, points: np.ndarray, area) -> None:
        self.left, self.top = area.left(), area.top()
        self.nx, self.ny = int(area.width() / CELL) + 2, int(area.height() / CELL) + 2
        counts = np.zeros((self.ny + 1, self.nx + 1))
        if len(points):
            ix = np.clip(((points[:, 0] - self.left) / CELL).astype(int), 0, self.nx - 1)
            iy = np.clip(((points[:, 1] - self.top) / CELL).astype(int), 0, self.ny - 1)
            np.add.at(counts, (iy + 1, ix + 1), 1.0)
        self.summed = counts.cumsum(axis=0).cumsum(axis=1)

    def hits(self, boxes: np.ndarray) -> np.ndarray:
        """Whether each box (rows of left, top, right, bottom, pixels) covers a point."""
        c0 = np.clip(((boxes[:, 0] - self.left) / CELL).astype(int), 0, self.nx)
        r0 = np.clip(((boxes[:, 1] - self.top) / CELL).astype(int), 0, self.ny)
        c1 = np.clip(np.ceil((boxes[:, 2] - self.left) / CELL).astype(int) + 1, 0, self.nx)
        r1 = np.clip(np.ceil((boxes[:, 3] - self.top) / CELL).astype(int) + 1, 0, self.ny)
        s = self.summed
        return (s[r1, c1] - s[r0, c1] - s[r1, c0] + s[r0, c0]) > 0


def keep_regions_clear(canvas, ref_texts, regime_texts, hs: np.ndarray, curves,
                       lo: float, hi: float, h: float | None = None) -> None:
    """Place the guide lines' labels (``ref_texts``: slope 1, slope 2) and the two regions'
    names (``regime_texts``: truncation, round-off) clear of each other, of the ``curves``
    (errors at ``hs``) as drawn in ``canvas`` and of the dotted line at the current ``h``
    (the names of the guide lines too), inside its frame; a label is left out where no spot is
    clear (the plot's key names a guide line then). ``lo``, ``hi``: the log10 range of the
    errors. (At the lecture's last step "slope 2" sat on "truncation error"; at h = 10⁻⁴
    "slope 2" lay across the central curve, the dotted line through it.) Each region's name
    is tried first up and down its own side's edge, then anywhere over its half of the
    plot, nearest its side first."""
    area = canvas.plot_rect()
    # The curves as drawn: points every few pixels along each segment (their vertices
    # alone, five a decade, let "truncation error" lie across a line in a small plot)
    points = [_along(np.column_stack(canvas.data_to_px(hs[np.isfinite(c)], c[np.isfinite(c)])))
              for c in curves]
    points = np.concatenate(points) if points else np.empty((0, 2))
    marked = points  # (and the dotted line at the current h, which the labels keep off)
    if h is not None and np.isfinite(h) and h > 0:
        x = float(canvas.data_to_px(np.array([h]), np.array([1.0]))[0][0])
        ys = np.arange(area.top(), area.bottom(), 3.0)
        marked = np.concatenate([points, np.column_stack([np.full(len(ys), x), ys])])
    taken, guides = _place_guides(canvas, ref_texts, marked, area)
    marked = np.concatenate([marked, guides])  # (the names crossed the dashed lines too)
    # Each name centred on its own side of the V: left of the middle of the two curves'
    # lowest points for truncation, right of it for round-off (over the other branch it
    # named the wrong one)
    lows = [hs[int(np.nanargmin(np.where(c > 0, c, np.nan)))] for c in curves
            if np.isfinite(c).any() and (c > 0).any()]
    split = (float(np.mean(canvas.data_to_px(np.array(lows), np.ones(len(lows)))[0]))
             if lows else area.center().x())
    occupied = Occupancy(marked, area)
    for text, fractions, side in ((regime_texts[0], (0.14, 0.02, 0.3, 0.5, 0.7, 0.9), 1.0),
                                  (regime_texts[1], (0.3, 0.1, 0.5, 0.7, 0.9), -1.0)):
        if not getattr(text, "wanted", True):  # (no such region: see LimitView)
            text.set_visible(False)
            continue
        # (from where the curves put it: after a search that found no spot, its last try
        # was the far side of its half, and a larger plot found none from there either)
        text.set_pos(getattr(text, "home_x", text.pos[0]), 10.0 ** lo)
        box = text.box(canvas)
        found = None
        if box is not None:
            edge = box.left() if side > 0 else box.right()  # (its side's edge, in pixels)
            xs, ys = _spots(canvas, area, box, edge, side, fractions, lo, hi)
            ax, ay = text.anchor
            w, hgt = box.width(), box.height()
            boxes = np.column_stack([xs - ax * w, ys - ay * hgt, xs + (1 - ax) * w,
                                     ys + (1 - ay) * hgt])
            middle = 0.5 * (boxes[:, 0] + boxes[:, 2])
            ok = (middle <= split) if side > 0 else (middle >= split)
            ok &= _inside(boxes, area) & ~occupied.hits(boxes) & ~_overlaps(boxes, taken)
            found = _put(canvas, text, xs, ys, np.flatnonzero(ok), marked, taken, area)
        if found is not None:
            taken.append(found)
        text.set_visible(found is not None)  # (no clear spot in a small plot: left out)


def _put(canvas, text, xs, ys, order, points, taken, area, check=None):
    """``text`` at the first of the pixel spots ``order`` indexes whose box, as drawn, is
    clear (and passes ``check``); that box, or None."""
    for i in order[:4]:
        text.set_pos(*(float(v) for v in canvas.px_to_data(float(xs[i]), float(ys[i]))))
        box = text.box(canvas)
        if box is not None and _clear(box, points, taken, area) and (check is None
                                                                      or check(box)):
            return box
    return None


def _inside(boxes: np.ndarray, area) -> np.ndarray:
    return ((boxes[:, 0] >= area.left()) & (boxes[:, 2] <= area.right())
            & (boxes[:, 1] >= area.top()) & (boxes[:, 3] <= area.bottom()))


def _overlaps(boxes: np.ndarray, taken) -> np.ndarray:
    out = np.zeros(len(boxes), bool)
    for b in taken:
        out |= ((boxes[:, 0] < b.right()) & (boxes[:, 2] > b.left())
                & (boxes[:, 1] < b.bottom()) & (boxes[:, 3] > b.top()))
    return out


def _clear(box, points: np.ndarray, taken, area) -> bool:
    """Whether ``box`` is inside ``area``, off every point and off the boxes ``taken``."""
    hit = (points[:, 0] >= box.left()) & (points[:, 0] <= box.right()) \
        & (points[:, 1] >= box.top()) & (points[:, 1] <= box.bottom())
    return (not hit.any() and not any(box.intersects(t) for t in taken)
            and area.contains(box))  # (nor across the frame)


def _place_guides(canvas, ref_texts, points: np.ndarray,
                  area) -> tuple[list, np.ndarray]:
    """Each guide line's label at a point up its line from its low end (``home``), by one
    of its corners, or a little off the line (up to :data:`GUIDE_RINGS`' last), clear of the
    ``points`` (the curves', the dotted line's at the current h) and the label placed
    before, and plainly nearer its own line than the other; left out where no such spot is
    (the error plot's key then names the guide: in a small plot "slope 2" lay across the
    central curve, and moved anywhere clear it sat beside the other guide). Their boxes,
    and points along the guide lines as drawn."""
    lines = []
    for k, text in enumerate(ref_texts):
        home = getattr(text, "home", None)  # (None: no guide line drawn)
        if home is None:
            lines.append(np.empty((0, 2)))
            continue
        # (larger h: up the line, as far as it is drawn, to h = 1)
        up = home[0] * 10.0 ** np.linspace(0.0, max(0.0, -np.log10(home[0])), 16)
        lines.append(np.column_stack(canvas.data_to_px(up, home[1] * (up / home[0]) ** (k + 1))))
    occupied = Occupancy(points, area)
    taken = []
    for k, text in enumerate(ref_texts):
        if not len(lines[k]):
            continue
        own = GUIDE_ANCHORS[k]
        text.set_anchor(own)
        text.set_pos(*text.home)
        box = text.box(canvas)
        found = None
        if box is not None:
            others = [_along(line) for j, line in enumerate(lines) if j != k and len(line)]
            found = _first_clear(canvas, text, lines[k],
                                 (own, *(a for a in GUIDE_ANCHORS if a != own)),
                                 box.width(), box.height(), occupied, points, taken, area,
                                 _along(lines[k]),
                                 np.concatenate(others) if others else None)
        text.set_visible(found is not None)
        if found is not None:
            taken.append(found)
    drawn = [_along(line) for line in lines if len(line)]
    return taken, (np.concatenate(drawn) if drawn else np.empty((0, 2)))


def _distance(box, pts: np.ndarray) -> float:
    """The distance (pixels) from ``box`` to the nearest of ``pts`` (0 where one is in it)."""
    return float(_distances(np.array([[box.left(), box.top(), box.right(), box.bottom()]]),
                            pts)[0])


def _distances(boxes: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """The distance from each box (rows of left, top, right, bottom) to the nearest of
    ``pts``."""
    x, y = pts[None, :, 0], pts[None, :, 1]
    dx = np.maximum(np.maximum(boxes[:, :1] - x, x - boxes[:, 2:3]), 0.0)
    dy = np.maximum(np.maximum(boxes[:, 1:2] - y, y - boxes[:, 3:4]), 0.0)
    return np.hypot(dx, dy).min(axis=1)


def _first_clear(canvas, text, line, anchors, w: float, h: float, occupied: Occupancy,
                 points: np.ndarray, taken, area, own_line: np.ndarray,
                 other_line: np.ndarray | None):
    """Put ``text`` at the first spot near ``line`` (pixel points) whose box is clear of
    the ``occupied`` points and the boxes ``taken``, inside ``area``, and plainly nearer
    ``own_line`` than ``other_line`` (a label beside the other guide named it); its box,
    or None. A ring of spots around the line is checked at once."""
    corners = np.asarray(anchors, float)
    l0, t0, l1, t1 = area.left(), area.top(), area.right() - w, area.bottom() - h
    if l1 < l0 or t1 < t0:
        return None

    def nearer_own(box) -> bool:
        return other_line is None or (_distance(box, own_line) + GUIDE_MARGIN
                                      < _distance(box, other_line))

    for r in GUIDE_RINGS:
        ring = np.array([(dx, dy) for dx in (-r, 0, r) for dy in (-r, 0, r)
                         if max(abs(dx), abs(dy)) == r] or [(0, 0)], float)
        # every (line point, offset, corner), in that order of preference; moved inside
        # the frame, as a label at its edge is drawn
        spots = line[:, None, None, :] + ring[None, :, None, :]
        left = np.clip(spots[..., 0] - corners[None, None, :, 0] * w, l0, l1).ravel()
        top = np.clip(spots[..., 1] - corners[None, None, :, 1] * h, t0, t1).ravel()
        boxes = np.column_stack([left, top, left + w, top + h])
        maybe = np.flatnonzero(~occupied.hits(boxes) & ~_overlaps(boxes, taken))
        if other_line is not None and len(maybe):
            near = boxes[maybe]
            maybe = maybe[_distances(near, own_line) + GUIDE_MARGIN
                          < _distances(near, other_line)]
        for i in maybe[:4]:
            ax, ay = corners[i % len(corners)]
            text.set_anchor((float(ax), float(ay)))
            found = _put(canvas, text, [left[i] + ax * w], [top[i] + ay * h], [0], points,
                         taken, area, nearer_own)
            if found is not None:
                return found
    return None


def _spots(canvas, area, box, edge: float, side: float, fractions, lo: float,
           hi: float) -> tuple[np.ndarray, np.ndarray]:
    """Where a region's name may go (pixels of its anchor), best first: up and down its own
    side's edge at ``fractions`` of the errors' range, the frame's lowest corner there,
    then across its half of the plot (``side`` 1: from the left, −1: from the right), from
    the top down (in a 300-pixel plot the one clear place for "truncation error" was above
    its curves)."""
    _, ys = canvas.data_to_px(np.ones(len(fractions)),
                              10.0 ** (lo + np.asarray(fractions, float) * (hi - lo)))
    ys = [float(ys[0]), area.bottom() - 3 - box.height() / 2, *(float(y) for y in ys[1:])]
    xs = [edge] * len(ys)
    h = box.height()
    for shift in np.arange(0.05, 0.5, 0.05) * area.width():
        for share in np.linspace(0.0, 1.0, 11):
            xs.append(edge + side * shift)
            ys.append(area.top() + 3 + h / 2 + share * (area.height() - h - 6))
    return np.array(xs), np.array(ys)
