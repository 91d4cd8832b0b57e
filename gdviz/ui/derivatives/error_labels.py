"""Where the h → 0 tab's error plot puts its regions' names ("truncation error",
"round-off error"): clear of the guide lines' labels and of the curves."""

from __future__ import annotations

import numpy as np


def keep_regions_clear(canvas, ref_texts, regime_texts, hs: np.ndarray, curves,
                       lo: float, hi: float) -> None:
    """Move the two regions' names (``regime_texts``: truncation, round-off) up or down until
    clear of the guide lines' labels (``ref_texts``) and of the ``curves`` (errors at ``hs``)
    in ``canvas``; left out where no spot is clear. ``lo``, ``hi``: the log10 range of the
    errors. (At the lecture's last step "slope 2" sat on "truncation error".)"""
    taken = [t.box(canvas) for t in ref_texts if t.visible]
    taken = [box for box in taken if box is not None]
    points = [np.column_stack(canvas.data_to_px(hs[np.isfinite(c)], c[np.isfinite(c)]))
              for c in curves]
    points = np.concatenate(points) if points else np.empty((0, 2))
    for text, fractions in ((regime_texts[0], (0.14, 0.02, 0.3, 0.5, 0.7, 0.9)),
                            (regime_texts[1], (0.3, 0.1, 0.5, 0.7, 0.9))):
        x, clear = text.pos[0], False
        for fraction in fractions:
            text.set_pos(x, 10.0 ** (lo + fraction * (hi - lo)))
            box = text.box(canvas)
            if box is None:
                break
            hit = (points[:, 0] >= box.left()) & (points[:, 0] <= box.right()) \
                & (points[:, 1] >= box.top()) & (points[:, 1] <= box.bottom())
            clear = not hit.any() and not any(box.intersects(t) for t in taken)
            if clear:
                taken.append(box)
                break
        text.set_visible(clear)  # (no clear spot in a small plot: the legend says it)
