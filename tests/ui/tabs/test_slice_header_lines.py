"""The Slice tab's header (the loss with the held variable in purple) broken onto lines
between its terms when it is too wide for the tab, as the loss panel's formulas are."""

from __future__ import annotations

import numpy as np
from PySide6 import QtGui

from gdviz import parse_loss
from gdviz.ui.derivatives.held_formula import (
    held_formula_tex,
    held_pieces_tex,
    typeset_held,
)
from gdviz.ui.mathtext import PAD

RASTRIGIN = "20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)"


def _held_columns(share: np.ndarray, alpha: np.ndarray) -> int:
    return int(((share > 0.5) & (alpha > 0.3)).any(axis=0).sum())


def test_a_long_loss_is_typeset_in_pieces_that_make_up_the_whole():
    """Each piece carries its own purple (the held y's) and its baseline; side by side,
    without the air each was typeset with, they are as wide as the whole formula."""
    loss = parse_loss(RASTRIGIN)
    typeset = typeset_held(held_formula_tex(loss, 1), held_pieces_tex(loss, 1))
    assert typeset is not None and len(typeset.pieces) == 5  # f(x, y) = 20, +x², −…, +y², −…
    share, alpha = typeset.whole
    widths = [piece[1].shape[1] for piece in typeset.pieces]
    joined = sum(widths) - 2 * PAD * (len(widths) - 1)
    assert abs(joined - alpha.shape[1]) <= 2 * len(widths), (joined, alpha.shape[1])
    # f(x, y) and the last two terms hold y (purple); 20 + ..., x² and cos(2πx) do not
    purple = [_held_columns(*piece[:2]) > 0 for piece in typeset.pieces]
    assert purple == [True, False, False, True, True]
    # (as many purple columns, but for a pixel of antialiasing here or there)
    assert abs(sum(_held_columns(*piece[:2]) for piece in typeset.pieces)
               - _held_columns(share, alpha)) <= 2
    for _share, piece_alpha, base in typeset.pieces:  # (the baseline inside the piece)
        assert 0 < base < piece_alpha.shape[0]
        inked = np.flatnonzero(piece_alpha.max(axis=1) > 0.3)
        assert inked[0] < base <= inked[-1] + 2


def test_a_short_loss_is_typeset_whole_only():
    """Pieces cost as much typesetting again: only a formula too wide for any tab has them."""
    loss = parse_loss("x^2 + 3*y^2")
    assert held_pieces_tex(loss, 1) is not None  # (it has two terms)
    typeset = typeset_held(held_formula_tex(loss, 1), held_pieces_tex(loss, 1))
    assert typeset is not None and typeset.pieces == ()
    # (one term: a line may break after "f(w1, w2) =" and between its bracketed factors;
    # its minus spaced as a sign, not as between two terms)
    pieces = held_pieces_tex(parse_loss("sin(w1)*w2*(1-w2)"), 1)
    assert [len(p) for p in pieces] == [2, 2, 2]
    assert pieces[0][0].endswith("=") and pieces[2][0].startswith(r"{}\cdot")
    body = held_pieces_tex(parse_loss("-sin(w1)*w2*(1-w2)"), 1)[1][0]
    assert body.startswith("-") and not body.startswith("{}")
    loss = parse_loss("sin(x)*cos(y)")
    assert typeset_held(held_formula_tex(loss, 1), held_pieces_tex(loss, 1)).pieces == ()


def test_the_lecture_s_own_loss_breaks_after_its_head_in_large_type(slice_view, controller,
                                                                     qtbot):
    """In presentation mode at 1280 × 720 (the lecture tabs' type a quarter larger, a
    330-pixel tab) the header "f(w1, w2) = sin(w1) w2(1 − w2)" was cut off at "(1 − w2",
    fading out: one term, it had no pieces to break between. Now "f(w1, w2) =" and the
    rest on the next line."""
    controller.set_loss(parse_loss("sin(w1)*w2*(1-w2)"))
    font = slice_view.font()
    font.setPointSizeF(font.pointSizeF() * 1.25)
    slice_view.setFont(font)
    slice_view.resize(330, slice_view.height())
    label = slice_view.formula
    qtbot.waitUntil(lambda: label._pixmap is not None and len(label._pieces) == 3,
                    timeout=30000)
    label.refit()
    assert label.lines == 2 and not label.cut


def test_the_slice_header_breaks_a_long_loss_onto_lines(slice_view, controller, qtbot):
    """Rastrigin's header was cut off at the tab's edge, fading out after "+ y² − 10c": it
    is shown whole on two lines, the held y purple on the second."""
    controller.set_loss(parse_loss(RASTRIGIN))
    slice_view.resize(380, slice_view.height())  # (the dock at 1280 × 720)
    label = slice_view.formula
    # (Rastrigin's five pieces: not the lecture's three, shown before it)
    qtbot.waitUntil(lambda: label._pixmap is not None and len(label._pieces) == 5,
                    timeout=30000)
    label.refit()
    assert label.lines >= 2 and not label.cut
    pm = label.pixmap()
    assert pm.width() / pm.devicePixelRatio() <= label.width()
    image = pm.toImage().convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    rgba = np.frombuffer(image.constBits(), np.uint8).reshape(
        image.height(), image.bytesPerLine() // 4, 4)[:, : image.width()]
    rows = np.flatnonzero(rgba[..., 3].max(axis=1) > 0)
    second = rows[np.flatnonzero(np.diff(rows) > 1)[0] + 1:]  # the rows below the gap
    r, g, b = (rgba[second, :, k].astype(int) for k in range(3))
    purple = (rgba[second, :, 3] > 200) & (r - g > 40) & (b - g > 40)
    assert purple.any()  # the held y of + y² − 10 cos(2πy)
