"""A run's dashed or dotted arrow (its step, a momentum run's velocity) keeps a solid head:
dotted, the head broke into specks and the velocity read as a scatter of magenta dots."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from gdviz.ui.arrows import arrow_segments
from gdviz.ui.map_markers import draw_arrows


def _inked(style: QtCore.Qt.PenStyle) -> tuple[float, float]:
    """The shares of a head stroke's and of the shaft's pixels an arrow drawn in ``style``
    inks (a 200-pixel arrow to the right, its head 60 pixels long)."""
    image = QtGui.QImage(260, 120, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    xs, ys = arrow_segments([20.0], [60.0], [200.0], [0.0], head=0.3)
    p = QtGui.QPainter(image)
    draw_arrows(p, QtGui.QPen(QtGui.QColor("black"), 2.0, style,
                              QtCore.Qt.PenCapStyle.FlatCap), xs, ys)
    p.end()

    def share(x0, y0, x1, y1) -> float:
        ts = np.linspace(0.1, 0.9, 60)
        dark = [QtGui.QColor(image.pixel(round(x0 + t * (x1 - x0)), round(y0 + t * (y1 - y0))))
                .lightness() < 128 for t in ts]
        return float(np.mean(dark))

    return share(xs[2], ys[2], xs[3], ys[3]), share(xs[0], ys[0], xs[1] - 70, ys[1])


@pytest.mark.parametrize("style", [QtCore.Qt.PenStyle.DotLine, QtCore.Qt.PenStyle.DashLine])
def test_a_dotted_or_dashed_arrow_has_a_solid_head(style):
    head, shaft = _inked(style)
    assert head > 0.95, head
    assert shaft < 0.8, shaft  # (the shaft keeps its dots or dashes)
    solid_head, solid_shaft = _inked(QtCore.Qt.PenStyle.SolidLine)
    assert solid_head > 0.95 and solid_shaft > 0.95
