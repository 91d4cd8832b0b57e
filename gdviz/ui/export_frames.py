"""Animation frames of an export: their size and caption, and the GIF or MP4 they make
(the stills and the views' pictures: :mod:`gdviz.ui.export`)."""

from __future__ import annotations

import contextlib
import math
import os
import secrets
import threading
from collections.abc import Callable

import numpy as np

from gdviz.core.atomic import check_replaceable, replace_with
from gdviz.ui import export
from gdviz.ui.colors import lookup_table
from gdviz.ui.export import (
    ANIMATION_FORMATS,
    GIF_END_HOLD_MS,
    MAX_FPS,
    MAX_GIF_FRAMES,
    ExportCancelled,
    ExportError,
    Progress,
    _background,
    native_size,
    render_view,
    to_array,
)
from gdviz.ui.qt import QtCore, QtGui, QtWidgets


def caption_height(size: tuple[int, int]) -> int:
    """Height of the caption band under each animation frame."""
    return max(18, size[1] // 22)


def frame_size(picture: tuple[int, int], even: bool = False) -> tuple[int, int]:
    """The size of an animation frame whose picture is ``picture``, the caption band
    (:func:`caption_height` of the picture) added below it, so the view is drawn at its own
    size: fitted into the frame less the band, the map was drawn at 0.95 times its size,
    its small type unhinted ("step taken" read "slep laken"). ``even``: the band a pixel
    taller where that makes the height even, as video encoders need."""
    w, h = picture
    band = caption_height(picture)
    return w, h + band + (1 if even and (h + band) % 2 else 0)


LAYOUT_MOST = (1280, 800)
"""The largest a view is laid out for an export; a larger frame draws it that much larger
(the default 1600 × 1000 frame 1.25 times: laid out at 1600 × 1000, its ticks and labels
were 11 pixels tall on a slide)."""


def lay_out_for(window, view: str, frame: tuple[int, int], animated: bool) -> float:
    """Resize ``window`` (showing only ``view``, see ``app._only``) so that ``view`` fills
    the picture of a ``frame``-sized export at a whole scale: laid out at the picture's size
    up to :data:`LAYOUT_MOST`, and a larger frame drawn that many times as large (a
    3840 × 2160 export was laid out at 3840 pixels, its type 9 pixels tall on a 4K slide,
    and the 3D view's paths hairlines). The picture is the frame less its caption band
    when ``animated``. Returns the scale."""
    parts = {"map": window.contour, "3d": window.surface, "both": window.views_split}
    if view not in parts:
        return 1.0
    pw, ph = frame if not animated else (frame[0], frame[1] - caption_height(frame))
    # (each view is drawn afresh at any scale: the map by QPainter, the 3D view rendered at
    # that many times the screen's pixels; see render_view)
    scale = max(1.0, pw / LAYOUT_MOST[0], ph / LAYOUT_MOST[1])
    want = (round(pw / scale), round(ph / scale))
    part = parts[view]
    for _ in range(4):  # (the rest of the window around it takes a few pixels)
        have = (part.width(), part.height())
        if have == want:
            break
        window.resize(window.width() + want[0] - have[0], window.height() + want[1] - have[1])
        QtWidgets.QApplication.processEvents()
    return scale


def _captioned(window, view: str, size: tuple[int, int], text: str,
               band: int | None = None) -> QtGui.QImage:
    """``view`` drawn above a band with ``text`` ("k = 12 / 40"): exactly ``size`` in all; the
    band ``band`` pixels tall (default :func:`caption_height` of ``size``)."""
    band = caption_height(size) if band is None else band
    picture = render_view(window, view, (size[0], max(2, size[1] - band)))
    bg = _background(window)
    out = QtGui.QImage(size[0], size[1], QtGui.QImage.Format_RGB32)
    out.fill(bg)
    painter = QtGui.QPainter(out)
    painter.drawImage(0, 0, picture)
    painter.setRenderHint(QtGui.QPainter.TextAntialiasing)
    font = QtGui.QFont("DejaVu Sans")
    font.setPixelSize(max(10, round(band * 0.7)))
    painter.setFont(font)
    painter.setPen(QtGui.QColor("white" if bg.lightness() < 128 else "black"))
    painter.drawText(QtCore.QRect(0, size[1] - band, size[0], band), QtCore.Qt.AlignCenter,
                     text)
    painter.end()
    return out


def frame_iterations(last: int, every: int = 1, limit: int | None = None) -> list[int]:
    """Iterations to draw: 0, every, 2·every, … and always ``last``; at most ``limit``."""
    ks = list(range(0, last + 1, max(1, int(every))))
    if ks[-1] != last:
        ks.append(last)
    if limit is not None and len(ks) > limit:
        ks = sorted({round(x) for x in np.linspace(0, last, limit)})
    return ks


def _temp_path(path: str) -> str:
    folder, name = os.path.split(os.path.abspath(path))
    stem, ext = os.path.splitext(name)
    return os.path.join(folder, f".{stem}.{secrets.token_hex(4)}.part{ext}")


def write_animation(window, path: str, view: str = "map", size: tuple[int, int] | None = None,
                    fps: float = 10.0, every: int = 1, progress: Progress | None = None) -> int:
    """Record the descent (iteration 0 to the last) as a GIF or MP4; return the frame count.

    Parameters
    ----------
    window
        The MainWindow; its iteration is restored afterwards.
    path
        Ends in ``.gif`` or ``.mp4``.
    view, size
        What to draw (a key of :data:`VIEWS`) and the frame size (native if None; MP4 sizes
        are rounded down to even numbers).
    fps, every
        Frames per second, and one frame every ``every`` steps (1: one per step).
    progress
        ``progress(done, total)`` after each frame; returning ``False`` cancels.

    Raises
    ------
    ExportCancelled
        When cancelled (no file is left behind).
    ExportError
        For a bad setting, a missing codec or a file that cannot be written.
    """
    ext = os.path.splitext(path)[1].lower()
    if ext not in ANIMATION_FORMATS:
        raise ExportError(f"an animation must be .gif or .mp4 (got '{ext or path}')")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise ExportError(f"cannot write {path}: the folder does not exist or is read-only")
    if not (math.isfinite(fps) and 0 < fps <= MAX_FPS):
        raise ExportError(f"frames per second must be more than 0 and at most {MAX_FPS:g} "
                          f"(got {fps:g})")
    if ext == ".mp4":
        ok, why = export.ffmpeg_available()  # (looked up there: tests replace it)
        if not ok:
            raise ExportError(why)
    c = window.controller
    c.pause()
    mp4, band = ext == ".mp4", None
    if size is None:  # (the view at its own size, the band below it)
        picture = native_size(window, view, even=mp4)
        size = frame_size(picture, even=mp4)
        band = size[1] - picture[1]
    if ext == ".mp4":
        size = (max(2, size[0] // 2 * 2), max(2, size[1] // 2 * 2))
    ks = frame_iterations(c.max_iteration, every, MAX_GIF_FRAMES if ext == ".gif" else None)
    try:  # (before the frames: a read-only file, a device or a folder is never replaced)
        check_replaceable(os.path.realpath(path))
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from None
    # (next to the file a link points to: the link stays, the file is replaced)
    temp, before, writer, frames = _temp_path(os.path.realpath(path)), c.iteration, None, []
    try:
        if ext == ".mp4":
            import imageio.v2 as iio

            writer = iio.get_writer(temp, format="FFMPEG", mode="I", fps=fps, codec="libx264",
                                    macro_block_size=2, ffmpeg_log_level="error",
                                    output_params=["-fflags", "+bitexact"])
        def frame(k: int) -> QtGui.QImage:
            c.set_iteration(k)
            # Some views (the map's slice line) update through zero-delay timers.
            QtWidgets.QApplication.processEvents()
            # (out of how many: "k = 12" alone said not how far along the clip was)
            return _captioned(window, view, size, f"k = {k} / {c.max_iteration}", band)

        palette = None if writer is not None else _gif_palette(frame(ks[0]), frame(ks[-1]))
        for i, k in enumerate(ks):
            image = frame(k)
            if writer is not None:
                writer.append_data(to_array(image))
            else:
                frames.append(_gif_frame(image, palette))
            if progress is not None and progress(i + 1, len(ks)) is False:
                raise ExportCancelled("export cancelled")
        if writer is not None:
            # The last frame stays up a while, as in a GIF (an MP4 stopped dead: Rastrigin's
            # 8 frames lasted 0.8 s)
            last = to_array(image)
            for _ in range(max(0, math.ceil(GIF_END_HOLD_MS / 1000 * fps) - 1)):
                writer.append_data(last)
            writer.close()
            writer = None
        else:
            step_ms = max(20, round(1000 / fps / 10) * 10)
            # The last frame stays up a while before the clip loops: the end is the lesson.
            durations = [step_ms] * (len(frames) - 1) + [max(step_ms, GIF_END_HOLD_MS)]
            _beside_the_event_loop(lambda: frames[0].save(
                temp, format="GIF", save_all=True, append_images=frames[1:],
                duration=durations, loop=0, optimize=True))
        replace_with(temp, path)
    except BaseException as err:
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.close()
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(err, OSError):
            raise ExportError(f"cannot write {path}: {err.strerror or err}") from None
        raise
    finally:
        c.set_iteration(before)
    return len(ks)


GIF_GREYS = 32
"""Palette entries kept for greys (the text, axes and grid): a palette made from the map
alone gave them to its colours, and grey text came out tinted purple."""
GIF_RAMP = 64
"""Palette entries kept for the colour map (every fourth entry of its table): chosen by the
octree from the frames, the heatmap and the colour bar got about 38 of them and showed
bands; the other colours (runs, arrows, the lines' blends) share what is left."""


def _beside_the_event_loop(work: Callable[[], object]) -> None:
    """Run ``work`` on a thread of its own while this thread keeps handling events, and
    raise what it raised: encoding a GIF's 600 frames in one call froze the window (and its
    progress dialog) for 0.8 s."""
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as err:  # noqa: BLE001 - handed back to the caller's thread
            failed.append(err)

    thread = threading.Thread(target=run, name="gdviz-gif-encoder", daemon=True)
    thread.start()
    while thread.is_alive():
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 15)
        thread.join(0.015)
    if failed:
        raise failed[0]


def _gif_palette(first: QtGui.QImage, last: QtGui.QImage):
    """One palette for every frame of a GIF, from its first and last frames (the map's
    colours, the paths at their longest), :data:`GIF_GREYS` greys and :data:`GIF_RAMP`
    colours of the colour map: with a palette of its
    own each frame was stored almost whole, where a step changes a few hundred pixels (161 MB
    for Rosenbrock's 600 frames; frames that share a palette are stored as the rectangle
    that changed)."""
    from PIL import Image

    both = Image.fromarray(np.concatenate([to_array(first), to_array(last)]), "RGB")
    rest = 256 - GIF_GREYS - GIF_RAMP
    colours = both.quantize(colors=rest, method=Image.Quantize.FASTOCTREE,
                            dither=Image.Dither.NONE).getpalette()[: 3 * rest]
    colours += [0] * (3 * rest - len(colours))  # (fewer colours than asked: entries unused)
    greys = [int(g) for g in np.linspace(0, 255, GIF_GREYS).round() for _ in range(3)]
    ramp = lookup_table(GIF_RAMP)[:, :3].ravel().tolist()
    palette = Image.new("P", (1, 1))
    palette.putpalette(colours + greys + ramp)
    return palette


def _gif_frame(image: QtGui.QImage, palette):
    from PIL import Image

    rgb = Image.fromarray(to_array(image), "RGB")
    return rgb.quantize(palette=palette, dither=Image.Dither.NONE)
