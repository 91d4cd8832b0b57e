"""Pictures and clips of the views: PNG/SVG stills, GIF (Pillow) and MP4 (imageio-ffmpeg).

Every file is written to a temporary file in the target's folder and moved into place only when
complete, so a failed or cancelled export leaves no partial file (and never damages an existing
one). Animation frames are captioned with their iteration ("k = 12") and carry no timestamps;
their size is fixed, so the same settings give the same frames. :func:`export_headless` is the
``--export`` command-line path.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import signal
import sys
from collections.abc import Callable

import numpy as np

from gdviz.core.atomic import atomic_write_bytes
from gdviz.ui.qt import QtCore, QtGui, QtWidgets

VIEWS = {"map": "2D map", "3d": "3D view",
         # (as the window arranges them: "side by side" was said of a map above the 3D view)
         "both": "2D map and 3D view, as the window arranges them", "window": "whole window"}
ANIMATION_FORMATS = (".gif", ".mp4")
MAX_GIF_FRAMES = 600  # GIF frames are kept in memory until written: longer runs are sampled
MAX_FPS = 60.0
GIF_END_HOLD_MS = 1500  # how long a GIF shows its last frame before it starts again

Progress = Callable[[int, int], bool | None]


class ExportError(Exception):
    """An export that cannot be done; ``str(err)`` is one line for people."""


class ExportCancelled(ExportError):
    """The user cancelled; nothing was written."""


def ffmpeg_available() -> tuple[bool, str]:
    """Whether MP4 can be written (imageio-ffmpeg and its bundled ffmpeg), and if not, why."""
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # noqa: BLE001 - ImportError, RuntimeError (no binary), …
        return False, ("MP4 export needs the imageio-ffmpeg package (pip install "
                       "imageio-ffmpeg); GIF export works without it")
    # (one named by IMAGEIO_FFMPEG_EXE is not looked at: a missing or non-executable one
    # read "cannot write clip.mp4: No such file or directory", as if the path were wrong)
    found = shutil.which(exe)  # (a path too: on Windows it tries .exe after it)
    if not found or not os.path.isfile(found) or not os.access(found, os.X_OK):
        return False, (f"MP4 export needs ffmpeg, and {exe} is not a program that can be "
                       "run (IMAGEIO_FFMPEG_EXE?); GIF export works without it")
    return True, ""


# -- rendering ---------------------------------------------------------------------------------
def _background(window) -> QtGui.QColor:
    return QtGui.QColor(window.contour.backgroundBrush().color())


def map_image(window, width: int | None = None) -> QtGui.QImage:
    """The 2D map (plot, paths, arrows, colour bar) as drawn on screen, ``width`` px wide
    (default: as many as it has on screen, in device pixels).

    Drawn afresh at that size (lines and text stay sharp), not scaled from the screen.
    """
    view = window.contour
    native = max(16, view.width())
    width = width or round(native * view.devicePixelRatioF())
    image = view.render_image(int(width) / native)
    return image.convertToFormat(QtGui.QImage.Format_RGB32)


def map_svg(window) -> bytes:
    """The 2D map as SVG text (UTF-8)."""
    try:
        return window.contour.render_svg()
    except Exception as err:  # noqa: BLE001 - report one line, never a traceback
        raise ExportError(f"could not write the map as SVG ({type(err).__name__})") from None


def surface_image(window, width: int | None = None) -> QtGui.QImage:
    """The 3D view (or its explanation when OpenGL is missing), ``width`` px wide (default:
    as many as it has on screen, in device pixels).

    Rendered afresh at that size, as a denser screen would show it (lines, points and names
    in proportion and sharp), not scaled from the screen's picture.
    """
    view = window.surface
    native = max(16, view.width()) * view.devicePixelRatioF()
    image = view.grab_image(max(1.0, (width or native) / native))
    image = image.convertToFormat(QtGui.QImage.Format_RGB32)
    # Plain pixels, as the map's: drawn into a frame, a picture that kept its ratio (2.4
    # for a 4K export) was drawn 2.4 times smaller, a thumbnail in the corner of "both".
    image.setDevicePixelRatio(1.0)
    return image


def window_image(window) -> QtGui.QImage:
    """The whole window, OpenGL view included, without a passing status-bar note (it
    showed "Saved 751 frames to …" from the export before)."""
    window.contour.finish_picture()  # (not the stand-in shown while it is being made)
    window.statusBar().clearMessage()
    QtWidgets.QApplication.processEvents()
    return window.grab().toImage().convertToFormat(QtGui.QImage.Format_RGB32)


def native_size(window, view: str, even: bool = True) -> tuple[int, int]:
    """The on-screen size of ``view`` in device pixels (``even``: rounded down to even
    numbers, as video encoders need). At 150 % the map's PNG and animation were 482 × 258
    pixels against its 723 × 387 on screen (and the 3D view's PNG, grabbed in device
    pixels, 1.5 times as large)."""
    ratio = window.devicePixelRatioF()
    if view == "map":
        s = window.contour.size()
    elif view == "3d":
        s = window.surface.size()
    elif view == "both":  # (side by side or stacked, as the window arranges them)
        s = window.views_split.size()
    else:
        s = window.size()
    w, h = round(s.width() * ratio), round(s.height() * ratio)
    return (max(2, w // 2 * 2), max(2, h // 2 * 2)) if even else (max(2, w), max(2, h))


def _fit(image: QtGui.QImage, size: tuple[int, int], color: QtGui.QColor) -> QtGui.QImage:
    """``image`` scaled to fit ``size`` (aspect kept), centred on ``color``."""
    w, h = size
    if (image.width(), image.height()) == (w, h):
        return image
    out = QtGui.QImage(w, h, QtGui.QImage.Format_RGB32)
    out.fill(color)
    scaled = image.scaled(w, h, QtCore.Qt.KeepAspectRatio, QtCore.Qt.SmoothTransformation)
    painter = QtGui.QPainter(out)
    painter.drawImage((w - scaled.width()) // 2, (h - scaled.height()) // 2, scaled)
    painter.end()
    return out


def render_view(window, view: str, size: tuple[int, int] | None = None) -> QtGui.QImage:
    """A picture of ``view`` (a key of :data:`VIEWS`) at exactly ``size`` (native if None)."""
    size = size or native_size(window, view)
    bg = _background(window)
    if view == "map":
        src = window.contour
        scale = min(size[0] / max(src.width(), 1), size[1] / max(src.height(), 1))
        return _fit(map_image(window, max(16, math.floor(src.width() * scale))), size, bg)
    if view == "3d":
        src = window.surface
        scale = min(size[0] / max(src.width(), 1), size[1] / max(src.height(), 1))
        return _fit(surface_image(window, math.floor(src.width() * scale)), size, bg)
    if view == "window":
        return _fit(window_image(window), size, bg)
    # Both, as the window arranges them (map beside or above the 3D view), scaled to the
    # frame: put side by side whatever the window's arrangement, the map was a strip a
    # quarter of the frame tall, its labels 6 pixels (--export-view both --size 1600x900).
    split = window.views_split
    scale = min(size[0] / max(split.width(), 1), size[1] / max(split.height(), 1))
    out = QtGui.QImage(size[0], size[1], QtGui.QImage.Format_RGB32)
    out.fill(bg)
    left = (size[0] - split.width() * scale) / 2
    top = (size[1] - split.height() * scale) / 2
    painter = QtGui.QPainter(out)
    for part in (window.contour, window.surface):
        if not part.isVisibleTo(split):
            continue
        corner = part.mapTo(split, QtCore.QPoint(0, 0))
        w, h = max(2, round(part.width() * scale)), max(2, round(part.height() * scale))
        image = (map_image(window, w) if part is window.contour
                 else _fit(surface_image(window, w), (w, h), bg))
        painter.drawImage(round(left + corner.x() * scale), round(top + corner.y() * scale),
                          image)
    painter.end()
    return out


def to_array(image: QtGui.QImage) -> np.ndarray:
    """``(h, w, 3)`` uint8 RGB copy of a QImage."""
    img = image.convertToFormat(QtGui.QImage.Format_RGB888)
    w, h, stride = img.width(), img.height(), img.bytesPerLine()
    data = np.frombuffer(img.constBits(), np.uint8, count=stride * h).reshape(h, stride)
    return data[:, : w * 3].reshape(h, w, 3).copy()


def png_bytes(image: QtGui.QImage) -> bytes:
    """PNG file content of ``image``."""
    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ExportError("could not encode the picture as PNG")
    return bytes(buffer.data())


# -- stills -----------------------------------------------------------------------------------
def write_file(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (:func:`gdviz.core.atomic.atomic_write_bytes`);
    :class:`ExportError` saying why where it cannot be."""
    try:
        atomic_write_bytes(path, data)
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from None


def export_still(window, path: str, what: str) -> None:
    """Write ``what`` (``map_png``, ``map_svg``, ``3d_png`` or ``window_png``) to ``path``."""
    if what == "map_svg":
        write_file(path, map_svg(window))
        return
    image = {"map_png": lambda: map_image(window), "3d_png": lambda: surface_image(window),
             "window_png": lambda: window_image(window)}[what]()
    write_file(path, png_bytes(image))


# -- animations -------------------------------------------------------------------------------
# -- the command line --------------------------------------------------------------------------
def even_mp4_size(size: tuple[int, int]) -> tuple[int, int]:
    """``size`` with even sides, as an MP4's are, saying so on stderr where it changed (1281 ×
    721 became 1280 × 720 without a word; for the map, 3D or both views too, laid out for
    the even size before the export saw it)."""
    even = (size[0] // 2 * 2, size[1] // 2 * 2)
    if even != tuple(size):
        print(f"gdviz: note: an MP4's sides are even: {size[0]}×{size[1]} is written "
              f"as {even[0]}×{even[1]}", file=sys.stderr)
    return even


def export_headless(window, path: str, fps: float = 10.0, view: str = "map",
                    size: tuple[int, int] | None = None, iteration: int | None = None) -> int:
    """``--export PATH``: write a GIF/MP4 of the descent or a PNG (or the map's SVG) still;
    return exit status.

    A still shows step ``iteration`` (a session's), else the last. Progress goes to stderr as
    ``frame 12/40`` (one line updated in place on a terminal, else every tenth of the way);
    errors are one line on stderr, status 2.
    """
    if hasattr(window, "classroom"):
        window.classroom.sessions.set_autosave_enabled(False)
    ext = os.path.splitext(path)[1].lower()
    # Ctrl+C or a kill stops at the next frame, the partial file removed and ffmpeg closed:
    # raised as KeyboardInterrupt it could land in a Qt paint handler, which swallowed it,
    # and the export went on (a SIGTERM left a hidden .part file and ffmpeg writing).
    stop: list[int] = []
    handlers = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError, OSError):  # (not the main thread: left as is)
            handlers[sig] = signal.signal(sig, lambda signum, _frame: stop.append(signum))

    live = sys.stderr.isatty()
    open_line: list[bool] = []  # (a terminal's progress line not ended yet)

    def report(done: int, total: int) -> bool:
        # One line updated in place on a terminal; else the first frame, every tenth of
        # the way and the last (600 lines for a 600-step clip flooded a log)
        if live:
            print(f"\rframe {done}/{total}", end="\n" if done >= total else "",
                  file=sys.stderr, flush=True)
            open_line[:] = [done < total]
        elif done in (1, total) or done * 10 // total != (done - 1) * 10 // total:
            print(f"frame {done}/{total}", file=sys.stderr, flush=True)
        return not stop

    try:
        if ext == ".svg" and view != "map":
            raise ExportError("an SVG is of the map: use --export-view map (or .png for the "
                              "other views)")
        surface = getattr(window, "surface", None)
        if view in ("3d", "both") and surface is not None and not surface.gl_ok:
            # (it wrote a picture of the message, and exited 0; "both" still did, its right
            # half the words "3D view unavailable")
            reason = surface.message.text() or "the 3D view is not available"
            raise ExportError(reason if view == "3d" else
                              f"{reason} (--export-view map exports the map alone)")
        if ext in (".png", ".svg"):
            c = window.controller
            c.set_iteration(c.max_iteration if iteration is None else iteration)
            QtWidgets.QApplication.processEvents()
            if ext == ".svg":  # (the map, as File ▸ Export writes it: the CLI refused it)
                write_file(path, map_svg(window))
            else:
                write_file(path, png_bytes(render_view(window, view, size)))
        elif ext in ANIMATION_FORMATS:
            from gdviz.ui.export_frames import write_animation

            if ext == ".mp4" and size is not None:
                size = even_mp4_size(size)
            n = write_animation(window, path, view, size, fps, progress=report)
        else:
            raise ExportError(f"--export must end in .gif, .mp4, .png or .svg (got '{path}')")
        if stop:  # (asked during the encoding or the still, after the last frame's check:
            # the file is complete by now; deleting it deleted the one it replaced too)
            print(f"gdviz: interrupted after {path} was written", file=sys.stderr)
            return 130
        # (a still said nothing, a clip "wrote 11 frames to …")
        print(f"wrote {n} frames to {path}" if ext in ANIMATION_FORMATS else f"wrote {path}",
              file=sys.stderr)
    except ExportCancelled:
        _end_line(open_line)
        print(f"gdviz: export interrupted; {path} not written", file=sys.stderr)
        return 130
    except ExportError as err:
        _end_line(open_line)  # ("frame 12/40gdviz: error: …" on one line)
        print(f"gdviz: error: {err}", file=sys.stderr)
        return 2
    finally:
        for sig, handler in handlers.items():
            # (None: a handler installed from C, which cannot be put back from Python)
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
    return 0


def _end_line(open_line: list[bool]) -> None:
    """End a terminal's progress line left open, before another message."""
    if any(open_line):
        print(file=sys.stderr)


__all__ = ["ANIMATION_FORMATS", "VIEWS", "ExportCancelled", "ExportError", "export_headless",
           "export_still", "ffmpeg_available", "map_image", "map_svg", "native_size",
           "render_view", "surface_image", "window_image"]  # (and _FRAMES', looked up below)


# The animation frames (sizes, captions, GIF and MP4) live in their own module, which builds
# on the pictures above: its names are looked up there when first asked for (imported here at
# the top, importing gdviz.ui.export_frames first failed on the circle).
_FRAMES = ("caption_height", "frame_iterations", "frame_size", "write_animation")


def __getattr__(name: str):
    if name in _FRAMES:
        from gdviz.ui import export_frames

        return getattr(export_frames, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
