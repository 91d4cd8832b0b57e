"""The map's level curves and where their labels go, traced on a worker thread.

Tracing takes milliseconds (contourpy's marching squares, which releases the GIL, then the
label spots). The map needs the result only when it paints its static layer, so the tracing
starts as soon as a loss is sampled and runs while the GUI thread goes on with the rest of
the edit (the 3D surface, the runs' descent); the first read waits for it if needed.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from gdviz.core.grid import Grid
from gdviz.core.levels import contour_paths
from gdviz.ui.map_labels import format_levels, label_spots

if TYPE_CHECKING:  # (concurrent.futures is imported with the first tracing, after start-up)
    from concurrent.futures import Future

LEVELS = 10
COARSE_SIDE = 128  # traced on a copy of at most about this many points a side: smooth enough

Lines = dict[float, list[np.ndarray]]
Spots = list[tuple[float, float, float, list[tuple[float, float]]]]  # (a, b, level, places)

_POOL = None


def _pool():
    global _POOL
    if _POOL is None:  # (imported here: not needed before the first frame)
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gdviz-contours")
    return _POOL


def trace(grid: Grid, shown: np.ndarray, levels: np.ndarray) -> tuple[Lines, Spots]:
    """Level curves of ``shown`` at ``levels``, and a label spot per level.

    Returns
    -------
    lines
        Level → polylines (``(n, 2)`` arrays in data coordinates).
    spots
        ``(a, b, level, places)`` for each level that has room for a label, away from the
        others: its first place, and all its places best first (:func:`label_spots`).
    """
    step = max(1, shown.shape[0] // COARSE_SIDE)
    a, b = grid.a[::step], grid.b[::step]
    coarse = shown[::step, ::step]
    traced = contour_paths(a, b, coarse, levels)
    lines = {float(v): traced[float(v)] for v in levels}
    placed: list[tuple[float, float]] = []
    spots: Spots = []
    room = _room(a, b, coarse, levels)
    for i, level in enumerate(levels):
        places = label_spots(traced[float(level)], placed, i, (a[-1] - a[0], b[-1] - b[0]),
                             room)
        if places:
            placed.append(places[0])
            spots.append((*places[0], float(level), places))
    return lines, spots


def _room(a: np.ndarray, b: np.ndarray, shown: np.ndarray, levels: np.ndarray):
    """How far apart the level curves run about a point, as a fraction of the map: the
    levels' step over how fast the samples change there (per map width and height)."""
    if len(a) < 3 or len(b) < 3 or len(levels) < 2:
        return None
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        db, da = np.gradient(shown, b, a)
        steep = np.hypot(da * (a[-1] - a[0]), db * (b[-1] - b[0]))
    apart = float(np.median(np.diff(np.sort(np.asarray(levels, dtype=float)))))

    def room(point) -> float:
        j = min(max(int(np.searchsorted(a, point[0])), 0), len(a) - 1)
        i = min(max(int(np.searchsorted(b, point[1])), 0), len(b) - 1)
        s = float(steep[i, j])
        if not np.isfinite(s):  # (beside f's undefined edge, where curves crowd: cramped)
            return 0.0
        return apart / s if s > 0 else np.inf

    return room


class MapContours:
    """The level curves of the map's current samples (traced in the background)."""

    def __init__(self) -> None:
        self._job: Future | None = None
        self._label_of: Callable[[float], float] = float  # (the job's: set by start)
        self._lines: Lines = {}
        self._labels: list[tuple[float, float, str]] = []
        self._places: list[list[tuple[float, float]]] = []

    def start(self, grid: Grid, shown: np.ndarray, levels: np.ndarray,
              label_of: Callable[[float], float]) -> None:
        """Trace these samples at these levels (replacing what was traced before)."""
        job = _pool().submit(trace, grid, shown, levels)
        if self._job is not None:
            self._job.cancel()  # (if it has not started: its result is no longer wanted)
        self._job, self._label_of = job, label_of

    def clear(self) -> None:
        """No curves (a preview without them, say)."""
        self._job, self._lines, self._labels, self._places = None, {}, [], []

    def _settle(self) -> None:
        if self._job is not None:
            job, self._job = self._job, None
            # (the last samples' curves are no more)
            self._lines, self._labels, self._places = {}, [], []
            try:
                lines, spots = job.result()  # waits if still tracing
                texts = format_levels([self._label_of(v) for _x, _y, v, _p in spots])
                labels = [(x, y, text) for (x, y, _v, _p), text in zip(spots, texts,
                                                                      strict=True)]
            except Exception:  # noqa: BLE001 - the map shows without its labels, never not at all
                traceback.print_exc()
                return
            self._lines, self._labels = lines, labels
            self._places = [places for *_, places in spots]

    @property
    def lines(self) -> Lines:
        """Level → polylines in data coordinates."""
        self._settle()
        return self._lines

    @property
    def labels(self) -> list[tuple[float, float, str]]:
        """``(a, b, text)`` of each label."""
        self._settle()
        return self._labels

    @property
    def places(self) -> list[list[tuple[float, float]]]:
        """Per label, every place it may go, its first place first."""
        self._settle()
        return self._places
