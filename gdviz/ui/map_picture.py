"""The map's picture at screen resolution (:mod:`gdviz.ui.map_raster`): made at once when it is
cheap, on a worker thread when it is not.

Shading costs a few nanoseconds a pixel, but the loss is evaluated at every pixel too: a long
loss (a least-squares sum of 40 terms) on a HiDPI screen (the map 1,200 × 700 device pixels)
took 120 ms, in the map's paint, on every loss edit and every size change of the map. The cost
is foreseeable: the window has just sampled the same loss on its grid, and a pixel costs about
what a grid point did, plus the shading. A picture expected to take longer than a frame
(:data:`FRAME_BUDGET`) is made on a worker thread; meanwhile the map shows a stand-in (the
last picture of the same samples, stretched, when only the size changed; else the same picture
sampled at the lower resolution that fits in half a frame, or when that is no finer than the
grid, the grid's own samples shaded at their resolution), scaled up, and repaints when the
picture arrives (:attr:`MapPicture.ready`). Ordinary losses on an ordinary screen never leave
the GUI thread: a hop to a thread and back would only delay them.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gdviz.ui.map_layers import device_box, paint_heatmap, paint_picture
from gdviz.ui.map_raster import raster_image, raster_size, shade
from gdviz.ui.pool_worker import PoolWorker
from gdviz.ui.qt import QtCore, QtGui, Signal

FRAME_BUDGET = 1 / 60
"""Seconds a picture may be expected to take on the GUI thread; a costlier one is made on the
worker thread."""
STAND_IN_SHARE = 0.5
"""Share of a frame that a stand-in sampled at a lower resolution may take
(:meth:`MapPicture.reduced`)."""
SHADE_SECONDS = 15e-9
"""Seconds per pixel of the shading itself (colour look-up and level lines; 7–12 ns measured
on the development machine, rounded up so that the estimate errs towards the thread)."""

Key = tuple  # (samples' serial, widget width, widget height, device pixel ratio, line width)


@dataclass(frozen=True)
class Source:
    """What the picture shows: the sampler and the colours and levels it is shaded with.

    Attributes
    ----------
    sampler
        ``sampler(a, b)`` (broadcasting): what the map colours at any points.
    domain
        The sampled region (the picture covers it).
    lo, hi
        The colour range.
    levels
        The contour levels (values of what the map colours).
    shown
        The grid's samples (rows along the second variable, upwards): the stand-in.
    point_seconds
        What one grid point cost to sample (the estimate of a pixel's evaluation).
    """

    sampler: Callable
    domain: tuple
    lo: float
    hi: float
    levels: np.ndarray
    shown: np.ndarray
    point_seconds: float


class _Signals(QtCore.QObject):
    done = Signal(object)  # the _PictureJob


class _PictureJob(QtCore.QRunnable):
    """Make one picture on the worker thread.

    Its :attr:`image` is None when it failed or :attr:`gave_up` (no longer wanted when it
    looked: a newer size or source was asked for meanwhile).
    """

    def __init__(self, key: Key, size: tuple[int, int], line_width: float,
                 make: Callable[..., QtGui.QImage | None], stale: Callable[[], bool]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # (the MapPicture keeps it until its result is handled)
        self.key, self.size, self.line_width = key, size, line_width
        self.make, self.stale = make, stale
        self.image: QtGui.QImage | None = None
        self.gave_up = False
        self.signals = _Signals()

    def run(self) -> None:
        try:
            if not self.stale():
                self.image = self.make(self.stale)
            self.gave_up = self.image is None
        except Exception:  # noqa: BLE001 - the map keeps its stand-in, the app goes on
            traceback.print_exc()
        self.signals.done.emit(self)


class MapPicture(PoolWorker):
    """The map's screen-resolution picture of the current samples, made when it is asked for.

    Signals
    -------
    ready()
        A picture made in the background has arrived: the map should repaint.
    """

    ready = Signal()

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.source: Source | None = None
        self._serial = 0  # counts the sources (an id() of freed samples could come again)
        self._picture: tuple[Key, QtGui.QImage] | None = None
        self._wanted: Key | None = None  # the key of the picture the map needs now
        self._job: _PictureJob | None = None  # the job on the worker thread, until handled
        self._next: tuple[Key, tuple[int, int], float] | None = None  # to make after it
        self._coarse: tuple[float, QtGui.QImage] | None = None  # (line width, stand-in)
        self._reduced: tuple[Key, QtGui.QImage] | None = None  # a smaller stand-in

    def set_source(self, source: Source | None) -> None:
        """New samples (or colours, or levels): every picture made so far is out of date."""
        self._serial += 1
        self.source = source
        self._picture = self._wanted = self._next = self._coarse = self._reduced = None

    def key(self, widget_size: tuple[int, int], dpr: float, line_width: float) -> Key:
        """The key of the picture for a map of ``widget_size`` (a pan or zoom keeps it: the
        picture is moved and scaled until the region is sampled again)."""
        return (self._serial, *widget_size, dpr, line_width)

    def expected_seconds(self, size: tuple[int, int]) -> float:
        """How long a picture of ``size`` device pixels is expected to take."""
        point = self.source.point_seconds if self.source is not None else 0.0
        return size[0] * size[1] * (point + SHADE_SECONDS)

    def picture(self, key: Key, size: tuple[int, int], line_width: float,
                wait: bool = False) -> QtGui.QImage | None:
        """The picture for ``key`` at ``size`` device pixels with lines ``line_width`` wide.

        Made here when it is expected to fit in a frame (or ``wait``: exports); else its
        making starts on the worker thread and None is returned (paint :meth:`stand_in`,
        :attr:`ready` follows).
        """
        if self.has(key):
            return self._picture[1]
        if self.source is None:
            return None
        if not wait and self.expected_seconds(size) > FRAME_BUDGET:
            self._request(key, size, line_width)
            return None
        self._wanted = key
        job = self._job
        if job is not None and job.key == key:  # being made there: wait for it (no events)
            self._pool.waitForDone()
            if job.image is not None:
                self._picture = (key, job.image)
                return job.image
        image = self._maker(size, line_width)(None)
        self._picture = (key, image)
        return image

    def has(self, key: Key) -> bool:
        """Whether the picture for ``key`` is made."""
        return self._picture is not None and self._picture[0] == key

    def stand_in(self) -> QtGui.QImage | None:
        """The last picture of the current samples (made for another size), if any."""
        if self._picture is not None and self._picture[0][0] == self._serial:
            return self._picture[1]
        return None

    def reduced(self, key: Key, size: tuple[int, int],
                line_width: float) -> QtGui.QImage | None:
        """A stand-in for the picture of ``key``: the same, sampled here at the resolution
        that fits in :data:`STAND_IN_SHARE` of a frame; None when that would be no finer
        than the grid. (An ordinary loss on a HiDPI screen gets about half the resolution
        for a moment, not the grid's lines, five times wider and blurred.)"""
        if self._reduced is not None and self._reduced[0] == key:
            return self._reduced[1]
        if self.source is None:
            return None
        scale = math.sqrt(FRAME_BUDGET * STAND_IN_SHARE
                          / max(self.expected_seconds(size), 1e-12))
        small = (round(size[0] * scale), round(size[1] * scale))
        if scale >= 1 or small[0] <= self.source.shown.shape[1]:
            return None
        image = self._maker(small, max(1.0, line_width * scale))(None)
        self._reduced = (key, image)
        return image

    def coarse(self, line_width: float) -> QtGui.QImage | None:
        """The grid's samples shaded at their own resolution (top row: the last samples),
        with level lines ``line_width`` grid pixels wide."""
        if self.source is None:
            return None
        if self._coarse is None or self._coarse[0] != line_width:
            s = self.source
            rgba = np.ascontiguousarray(shade(s.shown[::-1], s.lo, s.hi, s.levels, line_width))
            h, w = rgba.shape[:2]
            image = QtGui.QImage(rgba.data, w, h, 4 * w,
                                 QtGui.QImage.Format.Format_RGBA8888_Premultiplied)
            self._coarse = (line_width, image.convertToFormat(
                QtGui.QImage.Format.Format_ARGB32_Premultiplied))
        return self._coarse[1]

    # -- on the map -------------------------------------------------------------------------------
    def placement(self, view) -> tuple[Key, tuple[int, int], float, QtCore.QRectF, float]:
        """For the map ``view`` (a ContourView): the key, size in device pixels and line width
        of its picture, the rectangle (logical pixels) it covers, the device pixel ratio."""
        dpr = view.devicePixelRatioF()
        (a0, a1), (b0, b1) = view.grid.domain
        x0, y1 = view.data_to_px(a0, b0)
        x1, y0 = view.data_to_px(a1, b1)
        rect = QtCore.QRectF(float(x0), float(y0), float(x1 - x0), float(y1 - y0))
        size = raster_size(*device_box(rect, dpr)[2:])
        line = view.contour_width * dpr
        return self.key((view.width(), view.height()), dpr, line), size, line, rect, dpr

    def for_view(self, view, wait: bool = True) -> QtGui.QImage | None:
        """The picture ``view`` shows now (:meth:`picture`)."""
        key, size, line, _, _ = self.placement(view)
        return self.picture(key, size, line, wait)

    def finish(self, view) -> bool:
        """Make the picture ``view`` shows now, unless it is made already (screenshots and
        grabs of the window: never the stand-in); True if it was not."""
        key, size, line, _, _ = self.placement(view)
        if self.source is None or self.has(key):
            return False
        self.picture(key, size, line, wait=True)
        return True

    def paint(self, p: QtGui.QPainter, view) -> None:
        """Paint ``view``'s picture, or its stand-in while it is being made (an export waits
        for it)."""
        key, size, line, rect, dpr = self.placement(view)
        image = self.picture(key, size, line, view.exporting)
        if image is None:  # being made: the last one (another size), a smaller one, the grid
            image = self.stand_in() or self.reduced(key, size, line)
        if image is not None:
            paint_picture(p, image, rect, dpr)
            return
        cells = view.grid.values.shape[1] / max(size[0], 1)  # grid cells per device pixel
        coarse = self.coarse(max(0.8, line * cells))
        if coarse is not None:
            paint_heatmap(p, view, coarse, view.grid.a, view.grid.b)

    @property
    def pending(self) -> bool:
        """Whether the picture the map needs is still being made."""
        return self._wanted is not None and (self._picture is None
                                             or self._picture[0] != self._wanted)

    # -- the worker thread ----------------------------------------------------------------------
    def _maker(self, size: tuple[int, int], line_width: float):
        s = self.source

        def make(stale: Callable[[], bool] | None) -> QtGui.QImage | None:
            return raster_image(s.sampler, s.domain, *size, s.lo, s.hi, s.levels, line_width,
                                stale)

        return make

    def _request(self, key: Key, size: tuple[int, int], line_width: float) -> None:
        self._wanted = key
        job = self._job
        if job is not None:  # one at a time: this one once that one is handled
            # (If that one is this one, it goes on; had it given up already, it is restarted.)
            self._next = None if job.key == key else (key, size, line_width)
            return
        self._start(key, size, line_width)

    def _start(self, key: Key, size: tuple[int, int], line_width: float) -> None:
        if self._closed:
            return
        job = _PictureJob(key, size, line_width, self._maker(size, line_width),
                          stale=lambda: self._wanted != key)
        job.signals.done.connect(self._on_done, QtCore.Qt.ConnectionType.QueuedConnection)
        self._job = job
        self._add_pending(1)
        self._pool.start(job)

    def _on_done(self, job: _PictureJob) -> None:
        self._job = None
        if job.image is not None and job.key == self._wanted and not self.has(job.key):
            self._picture = (job.key, job.image)
            self.ready.emit()
        upcoming, self._next = self._next, None
        if upcoming is None and job.gave_up and job.key == self._wanted:
            upcoming = (job.key, job.size, job.line_width)  # wanted again after it gave up
        if upcoming is not None and upcoming[0] == self._wanted and not self.has(upcoming[0]):
            self._start(*upcoming)
        self._add_pending(-1)  # (after the next job is counted: busy stays True between)

    def shutdown(self) -> None:
        """Take no more work (the window closes); a picture being made stops at its next
        band of rows."""
        self._closed = True
        self._next = self._wanted = None
