"""Where a legend box goes on a plot: one of its corners, or (where every corner would hide
something that matters) the middle of one of its edges."""

from __future__ import annotations

import numpy as np

from gdviz.ui.binding import QtCore

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
EDGES = ("top-middle", "bottom-middle", "middle-left", "middle-right")
"""The middles of the edges: tried after the corners (a legend is looked for in a corner)."""
EDGE_COST = 10.0
"""What a place in the middle of an edge costs beyond what it hides: it is taken only where
every corner hides more, a run's start (20) or a basin's minimum (30, a lowest one 150):
six-hump camel with its basins has a minimum in every corner, and the arrows' key went over
the start."""


def corner_rect(plot: QtCore.QRectF, size: QtCore.QSizeF, corner: str) -> QtCore.QRectF:
    """A box of ``size`` at ``corner`` of ``plot`` (:data:`CORNERS` or :data:`EDGES`), 8
    pixels in (less if it barely fits)."""
    mx = min(8.0, (plot.width() - size.width()) / 2)
    my = min(8.0, (plot.height() - size.height()) / 2)
    if corner.endswith("left"):
        x = plot.left() + mx
    elif corner.endswith("right"):
        x = plot.right() - mx - size.width()
    else:
        x = plot.center().x() - size.width() / 2
    if corner.startswith("top"):
        y = plot.top() + my
    elif corner.startswith("bottom"):
        y = plot.bottom() - my - size.height()
    else:
        y = plot.center().y() - size.height() / 2
    return QtCore.QRectF(QtCore.QPointF(x, y), size)


def emptiest_corner(plot: QtCore.QRectF, size: QtCore.QSizeF, points: np.ndarray,
                    weights: np.ndarray, taken=(), corners=CORNERS, edges=EDGES) -> str:
    """The place of ``plot`` where a box of ``size`` covers the least of ``points``.

    ``points`` are widget pixels (``(n, 2)``) with ``weights`` (a start counts more than a
    point of a path); a place whose box meets one of the rectangles ``taken`` (another
    legend) comes last. Ties go to the first of ``corners`` (:data:`CORNERS`: top-left, where
    the legend always was): the map's legend hid the start on Rosenbrock and linear
    regression. The middles of the ``edges`` cost :data:`EDGE_COST` more.
    """
    return least_covering(plot, size, points, weights, taken, corners, edges)[0]


def least_covering(plot: QtCore.QRectF, size: QtCore.QSizeF, points: np.ndarray,
                   weights: np.ndarray, taken=(), corners=CORNERS, edges=EDGES
                   ) -> tuple[str, float]:
    """:func:`emptiest_corner`'s place and the weight of the ``points`` its box covers
    (``inf`` where it meets one of ``taken``)."""
    best, best_cost, covered = corners[0], None, 0.0
    for corner in (*corners, *edges):
        box = corner_rect(plot, size, corner).adjusted(-6, -6, 6, 6)
        inside = ((points[:, 0] >= box.left()) & (points[:, 0] <= box.right())
                  & (points[:, 1] >= box.top()) & (points[:, 1] <= box.bottom()))
        weight = float(weights[inside].sum())
        meets = any(box.intersects(t) for t in taken)
        cost = weight + (1e9 if meets else 0.0) + (EDGE_COST if corner in edges else 0.0)
        if best_cost is None or cost < best_cost:
            best, best_cost, covered = corner, cost, (np.inf if meets else weight)
    return best, covered
