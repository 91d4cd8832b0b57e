"""Colours shared by every view: the run palette, the loss colour map, and text colours
readable on the theme's ground."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from gdviz.ui.binding import QtGui

# Okabe–Ito palette: distinct for colour-blind viewers and on a washed-out projector; its
# black is a mid grey here, which reads on both themes (Compare's Newton run was black on the
# dark theme's plots: invisible).
RUN_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#808080",
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


def lookup_table(n: int = 256, grey: bool = False) -> np.ndarray:
    """``(n, 4)`` uint8 RGBA table of the loss colour map (shared by the 2D map and 3D surface);
    with ``grey``, its lightness alone (under the basins' tints, :mod:`gdviz.ui.basins`)."""
    table = _table(COLORMAP_NAME)
    if grey:  # (Rec. 601 luma: viridis's rises steadily from its dark end to its light one)
        luma = np.round(table[:, :3] @ np.array([0.299, 0.587, 0.114])).astype(np.uint8)
        table = np.column_stack([luma, luma, luma, table[:, 3]])
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


def _luminance(color: str) -> float:
    """Relative luminance (WCAG 2) of ``#rrggbb``."""
    def channel(c: int) -> float:
        s = c / 255.0
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@functools.lru_cache(maxsize=256)  # (a few colours, asked for on every playback frame)
def readable(color: str, ground: str, ratio: float = 4.5) -> str:
    """``color`` for text on ``ground``: itself if it contrasts enough (WCAG's 4.5 : 1 for
    text), else mixed towards white (on a dark ground) or black (on a light one) just until
    it does. Text in a line's colour stays its hue and reads from the back of a lecture hall
    on either theme (the map's dark red on the dark theme's grey was 2.6 : 1).
    """
    if contrast_ratio(color, ground) >= ratio:
        return color
    towards = 255 if _luminance(ground) < 0.18 else 0
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    for step in range(1, 21):
        t = step / 20
        mixed = "#" + "".join(f"{round(c + t * (towards - c)):02x}" for c in rgb)
        if contrast_ratio(mixed, ground) >= ratio:
            return mixed
    return "#ffffff" if towards else "#000000"


def text_ink(widget, color: str) -> str:
    """``color`` made readable as text on ``widget``'s ground (:func:`readable`): the same
    hue, lighter on the dark theme, darker on the light one where it is too pale."""
    ground = widget.palette().color(QtGui.QPalette.ColorGroup.Active,
                                    QtGui.QPalette.ColorRole.Window)
    return readable(QtGui.QColor(color).name(), ground.name())
