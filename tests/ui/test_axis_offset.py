"""Tick labels counted from an offset where their own would be long mantissas: the Slice plot
of a diverged run ticked 1.7179869184e10, 1.7179869186e10…"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtGui

from gdviz.ui.canvas.ticks import MINUS, offset_labels, tick_labels, tick_values

BIG = 1.7179869184e10  # (2¹⁷)²: f = w1² + w2² where GD at η = 1.5 ran off, 17 steps


@pytest.mark.parametrize("lo, hi, offset", [
    (BIG - 1, BIG + 11, "+1.71798691e10"),
    (-BIG - 11, -BIG + 1, MINUS + "1.71798691e10"),
    (1e14, 1e14 + 1e3, "+1e14"),  # its own labels all read 1.00000000000e14
    (3e-9, 3e-9 + 1e-18, "+3e" + MINUS + "9"),
])
def test_labels_plus_the_offset_are_the_values(lo, hi, offset):
    values, step = tick_values(lo, hi, 5)
    labels, said = offset_labels(values, step)
    assert said == offset
    assert all(len(t) <= 6 for t in labels), labels
    read = [float(t.replace(MINUS, "-")) for t in labels]
    base = float(said.replace(MINUS, "-"))
    assert np.allclose(np.array(read) + base, values, rtol=0, atol=step * 1e-6)
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("lo, hi", [(0.9999999504, 0.99999995045),  # plain decimals kept
                                    (1e5, 2e5), (-1.0, 1e12), (-3.0, 3.0), (1e10, 3e10)])
def test_no_offset_where_the_labels_are_short_or_plain(lo, hi):
    values, step = tick_values(lo, hi, 5)
    assert offset_labels(values, step) == (tick_labels(values, step), "")


def _ink(image: QtGui.QImage, x0: int, x1: int, y0: int, y1: int) -> int:
    """How many pixels in the box are much darker than the canvas's light background."""
    return sum(QtGui.QColor(image.pixel(x, y)).lightness() < 128
               for x in range(max(x0, 0), min(x1, image.width()))
               for y in range(max(y0, 0), min(y1, image.height())))


def test_the_canvas_writes_the_offset_above_the_y_axis(canvas):
    canvas.set_range((-3.0, 3.0), (0.0, 10.0))
    plain = canvas.layout_info
    assert plain.y_offset == plain.x_offset == ""
    canvas.set_range((-3.0, 3.0), (BIG - 1, BIG + 11))
    lay = canvas.layout_info
    assert lay.y_offset == "+1.71798691e10" and lay.x_offset == ""
    assert [t for _, t in lay.y_ticks][:2] in (["84", "86"], ["84", "85"]), lay.y_ticks
    # Room above the plot for it, and written there (nothing was before)
    fm = QtGui.QFontMetricsF(canvas.font())
    assert lay.rect.top() >= fm.height() and lay.rect.top() > plain.rect.top()
    image = canvas.grab().toImage()
    r = lay.rect.toRect()
    width = int(fm.horizontalAdvance(lay.y_offset))
    assert _ink(image, r.left(), r.left() + width, 0, r.top() - 1) > 20


def test_the_canvas_writes_the_offset_under_the_x_axis(canvas):
    canvas.set_axis_label("bottom", "")
    canvas.set_range((-BIG - 11, -BIG + 1), (0.0, 10.0))
    lay = canvas.layout_info
    assert lay.x_offset == MINUS + "1.71798691e10" and lay.y_offset == ""
    assert all(len(t) <= 3 for _, t in lay.x_ticks), lay.x_ticks
    image = canvas.grab().toImage()
    r = lay.rect.toRect()
    fm = QtGui.QFontMetricsF(canvas.font())
    below = r.bottom() + int(fm.height()) + 8  # (under the ticks' labels)
    assert below + fm.height() <= canvas.height()
    assert _ink(image, r.right() - int(fm.horizontalAdvance(lay.x_offset)), r.right() + 1,
                below, canvas.height()) > 20


def test_an_x_offset_beside_a_title_it_would_touch_goes_under_it(canvas):
    """On a narrow plot the offset, right-aligned on the title's line, ran into the centred
    title (a review): it takes a line of its own there."""
    canvas.set_axis_label("bottom", "w1")
    canvas.set_range((BIG - 1, BIG + 11), (0.0, 10.0))
    wide = canvas.layout_info
    assert wide.x_offset and not wide.x_offset_below  # (room beside the title at 400 px)
    canvas.resize(200, 300)
    narrow = canvas.layout_info
    assert narrow.x_offset and narrow.x_offset_below
    image = canvas.grab().toImage()
    fm = QtGui.QFontMetricsF(canvas.font())
    r = narrow.rect.toRect()
    # (its line: under the title's, at the plot's right edge)
    top = r.bottom() + int(2 * fm.height()) + 8
    assert _ink(image, r.right() - int(fm.horizontalAdvance(narrow.x_offset)), r.right() + 1,
                top, canvas.height()) > 20
