"""Colours shared by every view: the run palette and the loss colour map."""

from __future__ import annotations

import numpy as np

# Okabe–Ito palette: distinct for colour-blind viewers and on a washed-out projector.
RUN_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
              "#F0E442")
COLORMAP_NAME = "viridis"


def run_color(index: int) -> str:
    """Colour of the run at ``index`` (cycling through the palette)."""
    return RUN_COLORS[index % len(RUN_COLORS)]


def lookup_table(n: int = 256) -> np.ndarray:
    """``(n, 4)`` uint8 RGBA table of the loss colour map (shared by the 2D map and 3D surface)."""
    from gdviz.ui.qt import pg

    cmap = pg.colormap.get(COLORMAP_NAME)
    return cmap.getLookupTable(0.0, 1.0, n, alpha=True)


def map_colors(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Float RGBA in [0, 1] for ``values`` scaled between ``lo`` and ``hi``; NaN → transparent."""
    lut = lookup_table().astype(np.float32) / 255.0
    with np.errstate(all="ignore"):
        t = (values - lo) / (hi - lo if hi > lo else 1.0)
    t = np.clip(np.nan_to_num(t, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
    idx = (t * (len(lut) - 1)).astype(int)
    out = lut[idx]
    out[~np.isfinite(values)] = (0.8, 0.8, 0.8, 0.0)
    return out
