"""The Gradient tab's component labels keep off u's arrow where there is room."""

from __future__ import annotations

import numpy as np
import pytest

from gdviz import parse_loss


def _covered(view, key: str) -> int:
    """How many of 40 points per segment of u's arrow lie in the label ``key``'s box."""
    canvas, text = view.local_widget, view.texts[key]
    box = text.box(canvas)
    if box is None or not text.visible:
        return 0
    x, y = (np.asarray(v, dtype=float) for v in (view.u_arrow.x, view.u_arrow.y))
    px, py = canvas.data_to_px(x, y)
    t = np.linspace(0.0, 1.0, 40)
    count = 0
    for i in range(len(px) - 1):
        if np.isfinite([px[i], px[i + 1], py[i], py[i + 1]]).all():
            for a, b in zip(px[i] + t * (px[i + 1] - px[i]), py[i] + t * (py[i + 1] - py[i]),
                            strict=True):
                count += box.contains(float(a), float(b))
    return count


@pytest.mark.parametrize("size", [(384, 900), (420, 760), (700, 500)])
def test_a_component_label_goes_past_its_tip_before_it_goes_onto_u(gradient_view, controller,
                                                                   size):
    """log-cosh at (0, 0), u at 40°: "u" beside the tip of ∂f/∂w2's arrow, "∇f" on its other
    side, ∇f's arrow below — "∂f/∂w2" went beside the arrow's middle, across u's arrow,
    where the room just above the tip was clear."""
    gradient_view.resize(*size)
    controller.set_start(0, 0.0, 0.0)
    controller.set_loss(parse_loss("log(cosh(w1-1)) + log(cosh(w2+2))"))
    gradient_view.redraw()
    for angle in (30, 40, 50):
        gradient_view.set_angle(angle)
        assert gradient_view.texts["db"].visible
        assert _covered(gradient_view, "db") == 0, (size, angle)
        assert _covered(gradient_view, "da") == 0, (size, angle)
