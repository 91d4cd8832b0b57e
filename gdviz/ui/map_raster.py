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

from collections.abc import Callable

import numpy as np

from gdviz.ui.binding import QtGui
from gdviz.ui.colors import lookup_table

MAX_SIDE = 2048  # px: a larger map is shaded at this size and scaled
LINE_ALPHA = 200 / 255  # the contour lines' opacity (white)
BAND_ROWS = 64  # rows sampled at a time on a worker thread (between checks for staleness)


def pixel_centres(domain, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Abscissae (left to right) and ordinates (top to bottom) of the pixel centres."""
    (a0, a1), (b0, b1) = domain
    x = a0 + (np.arange(width) + 0.5) * ((a1 - a0) / width)
    y = b1 - (np.arange(height) + 0.5) * ((b1 - b0) / height)
    return x, y


FLOAT32_SAFE = 1e30  # a colour range beyond this is worked out in units of itself (float64)
FLOAT32_TINY = 1e-30  # and one within this of 0 (float32's least normal number is 1.2e-38)
OFFSET_SHARE = 1e-3
"""A colour range narrower than this share of its values' size is worked out in units of
itself too (float32's 7 digits would leave it a few steps)."""


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
    size = max(abs(lo), abs(hi))
    if size > FLOAT32_SAFE or (hi > lo and hi - lo < OFFSET_SHARE * size) \
            or (hi > lo and hi - lo < FLOAT32_TINY):
        # Beyond float32's reach (3.4e38), or a range narrow for its offset (float32 keeps 7
        # digits: 10⁶ + x² + y² drew two or three flat bands, no contour lines): in units of
        # the colour range, worked out in float64 (1e40·x² drew a blank map, every value cast
        # to inf and taken for "no value"); or far under float32's least (1e-50·(x² + y²)
        # drew a blank map, every value cast to 0, a range of none).
        span = hi - lo if hi > lo else 1.0
        with np.errstate(all="ignore"):
            values = np.clip((np.asarray(values, dtype=np.float64) - lo) / span, -1e6, 1e6)
        levels = (np.asarray(levels, dtype=np.float64) - lo) / span
        lo, hi = 0.0, 1.0
    with np.errstate(over="ignore"):
        v = np.asarray(values, dtype=np.float32)
    over = np.isinf(v)
    if over.any():  # finite values beyond float32 take the end colours, not "no value"
        big = over & np.isfinite(np.asarray(values))
        v[big] = np.where(v[big] > 0, np.float32(hi), np.float32(lo))
    lut = np.ascontiguousarray(lookup_table()).view(np.uint32).ravel()  # RGBA bytes in one
    with np.errstate(all="ignore"):
        t = (v - np.float32(lo)) * np.float32(255.0 / (hi - lo if hi > lo else 1.0))
        ok = np.isfinite(t)
        np.clip(t, 0, 255, out=t)
        t[~ok] = 0
        pixels = np.take(lut, t.astype(np.uint8))  # (twice as fast as lut[...])
        if len(levels) >= 1 and v.shape[0] > 1 and v.shape[1] > 1:
            _lines(pixels, v, np.asarray(levels, dtype=np.float64), line_width)
    pixels[~ok] = 0
    return pixels.view(np.uint8).reshape(v.shape + (4,))


def _lines(pixels: np.ndarray, v: np.ndarray, levels: np.ndarray, width: float) -> None:
    """Blend white into ``pixels`` (uint32 RGBA) where ``v`` crosses a level (in place).

    A pixel is covered by ``0.5·width + 0.5 − d`` (clipped to [0, 1]), d being its distance
    to the nearest level curve in pixels: |s − round(s)| ÷ |∇s| with s = f in level units and
    ∇s its change per pixel (central differences; one-sided at the border). Whole-array work
    is kept to the test ``frac² < c²·|∇s|²`` (no square root, no division, few temporaries:
    each new array of this size costs page faults); the coverage itself is worked out only
    for the pixels that pass (a tenth of them on most maps, a third on Rastrigin's).
    """
    step = float(levels[1] - levels[0]) if len(levels) > 1 else 1.0
    s = np.subtract(v, np.float32(levels[0]), dtype=np.float32)
    s /= np.float32(step)  # in level units: lines at the integers 0 … len(levels) − 1
    frac = np.rint(s)
    np.subtract(s, frac, out=frac)  # signed distance to the nearest integer, in levels
    # Twice the change of s per pixel: central differences s[i+1] − s[i−1]; at the border
    # twice the one-sided difference. (Halved below, with the constant.)
    gx = np.empty_like(s)
    np.subtract(s[:, 2:], s[:, :-2], out=gx[:, 1:-1])
    np.subtract(s[:, 1], s[:, 0], out=gx[:, 0])
    np.subtract(s[:, -1], s[:, -2], out=gx[:, -1])
    gx[:, 0] *= 2
    gx[:, -1] *= 2
    gy = np.empty_like(s)
    np.subtract(s[2:], s[:-2], out=gy[1:-1])
    np.subtract(s[1], s[0], out=gy[0])
    np.subtract(s[-1], s[-2], out=gy[-1])
    gy[0] *= 2
    gy[-1] *= 2
    np.multiply(gx, gx, out=gx)
    np.multiply(gy, gy, out=gy)
    gx += gy  # |2∇s|²
    reach = np.float32(0.5 * width + 0.5)
    # d < reach  ⇔  frac² < reach²·|∇s|² = (reach/2)²·|2∇s|²; NaN anywhere fails the test.
    gx *= np.float32(0.25) * reach * reach
    np.multiply(frac, frac, out=gy)
    on = np.flatnonzero(gy < gx)
    rounded = s.ravel()[on]
    keep = (rounded >= -0.5) & (rounded <= len(levels) - 0.5)  # no lines beyond the levels
    on = on[keep]
    per_px = np.sqrt(gx.ravel()[on]) / reach  # |∇s| (gx holds reach²·|∇s|²)
    cover = reach - np.abs(frac.ravel()[on]) / per_px
    np.clip(cover, 0.0, 1.0, out=cover)
    # Where the levels crowd closer than a line and its gap the lines fade out, fully gone at
    # width + 1 pixels apart: they ran together into white mush (Rastrigin's rims on a small
    # map, a moiré on the projector); the colours show the rise there.
    apart = np.float32(1.0) / per_px  # pixels between neighbouring levels
    cover *= np.clip((apart - np.float32(width + 1.0)) / np.float32(width + 1.0), 0.0, 1.0)
    # Blend towards white in integers, two bytes of a pixel per multiplication (each byte's
    # product, at most 255·201 + 128, stays within its 16 bits): a dense loss such as
    # Rastrigin has lines on a third of the map, where float blending took 3 ms. The colour
    # map is opaque, and 255 blended towards 255 stays 255.
    weight = (cover * np.float32(256 * LINE_ALPHA) + np.float32(0.5)).astype(np.uint32)
    flat = pixels.ravel()
    p = flat[on]
    room = ~p  # 255 − c in each byte
    even = (((room & 0x00FF00FF) * weight + 0x00800080) >> 8) & 0x00FF00FF
    odd = ((((room >> 8) & 0x00FF00FF) * weight + 0x00800080) >> 8) & 0x00FF00FF
    flat[on] = p + (even | (odd << 8))


def raster_size(width_px: float, height_px: float) -> tuple[int, int]:
    """Pixels to shade for a map area of this many device pixels (capped)."""
    return (int(min(MAX_SIDE, max(16, round(width_px)))),
            int(min(MAX_SIDE, max(16, round(height_px)))))


def raster_image(sampler, domain, width: int, height: int, lo: float, hi: float,
                 levels: np.ndarray, line_width: float,
                 stale: Callable[[], bool] | None = None) -> QtGui.QImage | None:
    """Sample ``sampler(a, b)`` (broadcasting) at every pixel of ``domain`` and shade it.

    With ``stale`` (a picture made on a worker thread), the pixels are sampled in bands of
    rows and the work stops, returning None, as soon as ``stale()`` says the picture is no
    longer wanted (a long loss takes tens of milliseconds a picture).
    """
    x, y = pixel_centres(domain, width, height)
    if stale is None:
        values = np.asarray(sampler(x[None, :], y[:, None]), dtype=np.float64)
        values = np.broadcast_to(values, (height, width))
    else:
        values = np.empty((height, width))
        for r0 in range(0, height, BAND_ROWS):
            if stale():
                return None
            r1 = min(height, r0 + BAND_ROWS)
            values[r0:r1] = sampler(x[None, :], y[r0:r1, None])
    rgba = np.ascontiguousarray(shade(values, lo, hi, levels, line_width))
    image = QtGui.QImage(rgba.data, width, height, 4 * width,
                         QtGui.QImage.Format.Format_RGBA8888_Premultiplied)
    return image.convertToFormat(QtGui.QImage.Format.Format_ARGB32_Premultiplied)
