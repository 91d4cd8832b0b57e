"""Formula images: mathtext ink in the asked colour on white, as a valid PNG."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtGui

from gdviz.ui.mathtext import latex_to_png, png_bytes


def decode(data: bytes) -> np.ndarray:
    image = QtGui.QImage.fromData(data)
    assert not image.isNull()
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    w, h = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return rows[:, : 4 * w].reshape(h, w, 4).copy()


def test_png_bytes_round_trips_exact_pixels(qapp):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    assert np.array_equal(decode(png_bytes(pixels)), pixels)


def test_a_formula_is_coloured_ink_on_white(qapp):
    pixels = decode(latex_to_png(r"\frac{\partial f}{\partial w_1} = \cos(w_1)",
                                 color="#c00000"))
    h, w, _ = pixels.shape
    assert w > 3 * h > 0  # a line of text
    assert (pixels[..., 3] == 255).all()
    assert tuple(pixels[0, 0, :3]) == (255, 255, 255)
    darkest = pixels[np.unravel_index(pixels[..., :3].sum(axis=2).argmin(), (h, w))]
    assert tuple(darkest[:3]) == (0xC0, 0, 0)


def test_mathtext_errors_reach_the_caller(qapp):
    with pytest.raises(ValueError):
        latex_to_png(r"\frac{")
