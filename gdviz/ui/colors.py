"""Colours shared by every view: the run palette and the loss colour map."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

# Okabe–Ito palette: distinct for colour-blind viewers and on a washed-out projector.
RUN_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
              "#F0E442")
COLORMAP_NAME = "viridis"
COLORMAP_DIR = Path(__file__).resolve().parents[2] / "resources" / "colormaps"


def run_color(index: int) -> str:
    """Colour of the run at ``index`` (cycling through the palette)."""
    return RUN_COLORS[index % len(RUN_COLORS)]


@functools.lru_cache(maxsize=4)
def _table(name: str) -> np.ndarray:
    # The colour map's data ships with gdviz (a text file of 256 colours): the first frame
    # needs it before pyqtgraph, which also has it, is imported.
    rows = [line.strip() for line in (COLORMAP_DIR / f"{name}.txt").read_text("utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    rgb = np.array([[int(r[i:i + 2], 16) for i in (0, 2, 4)] for r in rows], dtype=np.uint8)
    return np.column_stack([rgb, np.full(len(rgb), 255, np.uint8)])


def lookup_table(n: int = 256) -> np.ndarray:
    """``(n, 4)`` uint8 RGBA table of the loss colour map (shared by the 2D map and 3D surface)."""
    table = _table(COLORMAP_NAME)
    if n == len(table):
        return table.copy()
    idx = np.round(np.linspace(0, len(table) - 1, n)).astype(int)
    return table[idx]


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
