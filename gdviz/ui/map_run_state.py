"""One run as the 2D map draws it, and the handles onto its drawn parts: :class:`RunState`
(what :class:`~gdviz.ui.map_runs.RunLayer` keeps per run: its points, how many are drawn, its
current point, arrows and start), :class:`RunPart` (a path, current point or arrow as tests and
callers see it: ``getData()`` and visibility) and :class:`StartMarker` (a start marker's
``pos()``, and ``setPos`` acting like a drag).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from gdviz.ui.binding import QtCore

if TYPE_CHECKING:
    from gdviz.ui.map_runs import RunLayer

EMPTY = np.empty(0)


@dataclass
class RunState:
    """One run as the map draws it."""

    index: int
    points: np.ndarray = field(default_factory=lambda: np.empty((0, 2)))
    trajectory: object = None
    color: str = "#000000"
    visible: bool = False
    start: tuple[float, float] = (0.0, 0.0)
    shown: int = 0  # finite points to draw
    drawn: int = 0  # finite points already in the trail image
    dots: bool = True
    current: tuple[float, float] | None = None
    arrows: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    finite_upto: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=int))
    # (what the last frame's repaint box was made for: see RunLayer.frame_rects)
    framed: tuple | None = None
    framed_trajectory: object = None


class RunPart:
    """What tests and callers see of one drawn part: ``getData()`` and visibility."""

    def __init__(self, layer: RunLayer, index: int, name: str) -> None:
        self._layer, self._index, self._name = layer, index, name

    def getData(self) -> tuple[np.ndarray, np.ndarray]:  # noqa: N802 - the usual name
        """The (x, y) drawn for this part, in data coordinates (empty when nothing is)."""
        s = self._layer.states[self._index]
        if self._name == "path":
            pts = s.points[: s.shown]
            return pts[:, 0].copy(), pts[:, 1].copy()
        if self._name == "current":
            if s.current is None:
                return EMPTY, EMPTY
            return np.array([s.current[0]]), np.array([s.current[1]])
        return s.arrows.get(self._name, (EMPTY, EMPTY))

    def isVisible(self) -> bool:  # noqa: N802 - Qt's name
        s = self._layer.states[self._index]
        return s.visible and s.trajectory is not None


class StartMarker:
    """A run's start marker: ``pos()``, and ``setPos`` acting like a drag to that point."""

    def __init__(self, layer: RunLayer, index: int) -> None:
        self._layer, self._index = layer, index

    def pos(self) -> QtCore.QPointF:
        return QtCore.QPointF(*self._layer.states[self._index].start)

    def setPos(self, a: float, b: float) -> None:  # noqa: N802 - Qt's name
        """Move the marker as a drag would (the map emits ``startMoved``)."""
        self._layer.canvas.drag_handle(("start", self._index), float(a), float(b))

    def isVisible(self) -> bool:  # noqa: N802 - Qt's name
        return self._layer.states[self._index].visible
