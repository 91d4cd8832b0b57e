"""The map's picture at screen resolution: heatmap colours with the contour lines shaded in.

Stroking the contour polylines with antialiasing costs Qt a few microseconds per segment: a
loss with many level curves (Rastrigin: 35,000 segments) took over 100 ms to draw. Here the
loss is sampled once per screen pixel and each pixel is coloured directly (numpy, a few
milliseconds whatever the loss looks like): its colour from the colour map, then white where
it lies on a level curve. How far a pixel is from the curve f = L is |f − L| divided by how
much f changes per pixel there (the difference of f between neighbouring pixels); pixels
closer than half the line width are covered, with a soft edge of one pixel (antialiasing).
"""

from __future__ import annotations

import numpy as np

from gdviz.ui.binding import QtGui
from gdviz.ui.colors import lookup_table

MAX_SIDE = 2048  # px: a larger map is shaded at this size and scaled
LINE_ALPHA = 200 / 255  # the contour lines' opacity (white)


def pixel_centres(domain, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Abscissae (left to right) and ordinates (top to bottom) of the pixel centres."""
    (a0, a1), (b0, b1) = domain
    x = a0 + (np.arange(width) + 0.5) * ((a1 - a0) / width)
    y = b1 - (np.arange(height) + 0.5) * ((b1 - b0) / height)
    return x, y


def shade(values: np.ndarray, lo: float, hi: float, levels: np.ndarray,
          line_width: float) -> np.ndarray:
    """RGBA pixels (rows top to bottom) of ``values`` with the contour lines at ``levels``.

    Parameters
    ----------
    values
        ``(h, w)`` what the map colours (the loss or its log) at the pixel centres; NaN is
        transparent.
    lo, hi
        The colour range.
    levels
        Evenly spaced contour levels.
    line_width
        Width of the lines in pixels.

    Returns
    -------
    ndarray
        ``(h, w, 4)`` uint8, premultiplied by alpha (transparent pixels are all zero).

    Notes
    -----
    Written for speed on a few hundred thousand pixels: float32, whole-array operations, a
    pixel held as one uint32 (colour look-up by integer index), and the blending done only
    on the pixels a line touches.
    """
    v = np.asarray(values, dtype=np.float32)
    lut = np.ascontiguousarray(lookup_table()).view(np.uint32).ravel()  # RGBA bytes in one
    with np.errstate(all="ignore"):
        t = (v - np.float32(lo)) * np.float32(255.0 / (hi - lo if hi > lo else 1.0))
        ok = np.isfinite(t)
        np.clip(t, 0, 255, out=t)
        t[~ok] = 0
        pixels = lut[t.astype(np.uint8)]
        if len(levels) >= 1 and v.shape[0] > 1 and v.shape[1] > 1:
            _lines(pixels, v, np.asarray(levels, dtype=np.float64), line_width)
    pixels[~ok] = 0
    return pixels.view(np.uint8).reshape(v.shape + (4,))


def _lines(pixels: np.ndarray, v: np.ndarray, levels: np.ndarray, width: float) -> None:
    """Blend white into ``pixels`` (uint32 RGBA) where ``v`` crosses a level (in place)."""
    step = float(levels[1] - levels[0]) if len(levels) > 1 else 1.0
    s = (v - np.float32(levels[0])) / np.float32(step)  # in level units: lines at integers
    frac = np.abs(s - np.rint(s))
    # How much s changes per pixel: central differences (one-sided at the border).
    gx = np.empty_like(s)
    gy = np.empty_like(s)
    np.subtract(s[:, 2:], s[:, :-2], out=gx[:, 1:-1])
    gx[:, 1:-1] *= 0.5
    gx[:, 0], gx[:, -1] = s[:, 1] - s[:, 0], s[:, -1] - s[:, -2]
    np.subtract(s[2:], s[:-2], out=gy[1:-1])
    gy[1:-1] *= 0.5
    gy[0], gy[-1] = s[1] - s[0], s[-1] - s[-2]
    per_px = np.sqrt(gx * gx + gy * gy)
    cover = np.float32(0.5 * width + 0.5) - frac / per_px
    cover[(s < -0.5) | (s > len(levels) - 0.5)] = 0  # no lines beyond the first and last
    on = np.flatnonzero(cover > 0)  # finite and close to a line
    alpha = np.minimum(cover.ravel()[on], 1.0) * np.float32(LINE_ALPHA)
    flat = pixels.ravel()
    touched = flat[on].view(np.uint8).reshape(-1, 4).copy()
    rgb = touched[:, :3].astype(np.float32)
    rgb += (255.0 - rgb) * alpha[:, None]
    touched[:, :3] = rgb.astype(np.uint8)
    flat[on] = touched.view(np.uint32).ravel()


def raster_size(width_px: float, height_px: float) -> tuple[int, int]:
    """Pixels to shade for a map area of this many device pixels (capped)."""
    return (int(min(MAX_SIDE, max(16, round(width_px)))),
            int(min(MAX_SIDE, max(16, round(height_px)))))


def raster_image(sampler, domain, width: int, height: int, lo: float, hi: float,
                 levels: np.ndarray, line_width: float) -> QtGui.QImage:
    """Sample ``sampler(a, b)`` (broadcasting) at every pixel of ``domain`` and shade it."""
    x, y = pixel_centres(domain, width, height)
    values = np.asarray(sampler(x[None, :], y[:, None]), dtype=np.float64)
    values = np.broadcast_to(values, (height, width))
    rgba = np.ascontiguousarray(shade(values, lo, hi, levels, line_width))
    image = QtGui.QImage(rgba.data, width, height, 4 * width,
                         QtGui.QImage.Format.Format_RGBA8888_Premultiplied)
    return image.convertToFormat(QtGui.QImage.Format.Format_ARGB32_Premultiplied)
