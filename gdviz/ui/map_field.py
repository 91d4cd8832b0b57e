"""The gradient field's arrows on the 2D map: what each arrow draws (:func:`field_arrows`: its
vector along ``sign·∇f``, scaled to its cell), how many arrows a side fit the map
(:func:`arrows_that_fit`), and the line width and spacing those assume (:data:`FIELD_WIDTH`,
:data:`MIN_ARROW_CELL`); :class:`~gdviz.ui.contour_view.ContourView` keeps what is drawn and
paints it with :mod:`gdviz.ui.map_layers`.
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.core.grid import percentiles
from gdviz.ui.binding import QtCore

FIELD_WIDTH = 1.6  # px: the field arrows' lines (presentation mode thickens them)
MIN_ARROW_CELL = 15.0  # px at least between neighbouring field arrows (see arrows_that_fit)


def field_arrows(A, B, U, V, M, sign: float,
                 normalise: bool) -> tuple[np.ndarray, np.ndarray]:
    """The field arrows' vectors ``(du, dv)`` in data units, along ``sign·∇f``.

    Parameters
    ----------
    A, B
        The arrows' feet, an n × n grid.
    U, V, M
        ∇f's components and magnitude there.
    sign
        +1 for ∇f (uphill), -1 for -∇f (the way descent goes).
    normalise
        Every arrow as long (0.8 of a cell); otherwise up to 0.9 of a cell, in proportion
        to the magnitude (the 95th percentile and above at full length).
    """
    n = A.shape[0]
    (a0, a1), (b0, b1) = (A.min(), A.max()), (B.min(), B.max())
    cell_a = (a1 - a0) / max(n - 1, 1)
    cell_b = (b1 - b0) / max(n - 1, 1)
    with np.errstate(all="ignore"):
        finite = M[np.isfinite(M)]
        scale_ref = percentiles(finite, [95])[0] if finite.size else 1.0
        if not scale_ref > 0:
            scale_ref = 1.0
        # Arrow length in "cells": the screen direction is what matters, so each axis is
        # scaled by its own cell size (an arrow never pokes into its neighbour's cell).
        length = np.full_like(M, 0.8) if normalise else _lengths(M, finite, scale_ref)
        ua, vb = U / cell_a, V / cell_b
        norm = np.hypot(ua, vb)
        du = sign * ua / norm * length * cell_a
        dv = sign * vb / norm * length * cell_b
    return du, dv


WIDE_FIELD = 20.0  # the 95th percentile of |∇f| over this many medians: lengths on a log scale
LOG_DECADES = 4.0  # at most this many decades of |∇f| below the 95th percentile shown


def _lengths(M: np.ndarray, finite: np.ndarray, top: float) -> np.ndarray:
    """Arrow lengths in cells for magnitudes ``M``: in proportion, ``top`` (the 95th
    percentile) and above 0.9 of a cell; where |∇f| spans many decades (the median under
    1/:data:`WIDE_FIELD` of ``top``: exp(x² + y²), Beale), on a log scale instead, from 0.2
    of a cell at the 5th percentile (at most :data:`LOG_DECADES` below ``top``) to 0.9 at
    ``top``, less in proportion below it: in proportion all but the corners' arrows were
    dots, the map's field blank where the class looks."""
    middle = percentiles(finite, [50])[0] if finite.size else 0.0
    if not (middle > 0 and top > WIDE_FIELD * middle):
        return np.clip(M / top, 0, 1) * 0.9
    low = max(percentiles(finite, [5])[0], top * 10.0 ** -LOG_DECADES)
    span = math.log(top / low)
    logs = 0.2 + 0.7 * np.clip(np.log(np.maximum(M, low) / low) / span, 0, 1)
    return np.where(low > M, 0.2 * M / low, logs)


def arrows_that_fit(rect: QtCore.QRectF, field_width: float, wanted: int) -> int:
    """How many field arrows a side to draw when ``wanted`` are asked for: no more than
    leave :data:`MIN_ARROW_CELL` pixels (more for presentation mode's thicker arrows)
    between neighbours on the map's shorter side (``rect``: the plot area), and at least 4. A
    map 130 pixels wide (presentation mode on a 1280×720 projector) with 18 arrows a side was a
    thicket."""
    cell = MIN_ARROW_CELL * max(1.0, field_width / FIELD_WIDTH)
    room = int(min(rect.width(), rect.height()) // cell)
    return max(4, min(int(wanted), room)) if room > 0 else int(wanted)
