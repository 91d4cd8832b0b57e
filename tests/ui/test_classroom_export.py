"""Export from the window: GIF/MP4 clips, PNG/SVG stills, cancel, missing codec."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image
from PySide6 import QtCore, QtGui

from gdviz.core.presets import get_preset
from gdviz.core.session import RunSpec, Session
from gdviz.ui import MainWindow, export

HIMMELBLAU = get_preset("himmelblau")


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory):
    """One window showing a 10-step Adam run on Himmelblau (11 frames per clip)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path_factory.mktemp("settings")))
        w = MainWindow()
        w.classroom.sessions.timer.stop()
        w.resize(1200, 800)
        w.show()
        w.apply_session(Session(loss=HIMMELBLAU.loss, domain=HIMMELBLAU.domain,
                                runs=[RunSpec("adam", 0.1, (0.0, 0.0), steps=10)]))
        w.wait_idle()
        yield w
        w.close()


def gif_frames(path) -> list[np.ndarray]:
    with Image.open(path) as im:
        out = []
        for i in range(im.n_frames):
            im.seek(i)
            out.append(np.asarray(im.convert("RGB")))
        return out


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_gif_one_frame_per_step_and_requested_size(window, out):
    tmp_path = out
    c = window.controller
    assert c.max_iteration == 10
    c.set_iteration(4)
    path = tmp_path / "clip.gif"
    assert export.write_animation(window, str(path), "map") == 11
    frames = gif_frames(path)
    assert len(frames) == 11
    # The map at its own size, the caption band below it (fitted into the window's size
    # less the band, it was drawn at 0.95 times its size: "step taken" read "slep laken")
    w, h = export.native_size(window, "map", even=False)
    assert frames[0].shape == (h + export.caption_height((w, h)), w, 3)
    picture = export.map_image(window)
    assert (picture.width(), picture.height()) == (w, h)
    window.controller.set_iteration(0)
    drawn = export.to_array(export.map_image(window)).astype(int)
    assert np.abs(frames[0][:h].astype(int) - drawn).mean() < 6  # (256 colours of it)
    # ...its greys kept (a palette of the map's colours alone tinted grey text purple)
    off = (np.abs(frames[0][:h].astype(int) - drawn).sum(axis=2) > 60).mean()
    assert off < 0.0005, off
    window.controller.set_iteration(4)
    assert not np.array_equal(frames[0], frames[-1])
    # One palette for all, each later frame stored as the rectangle that changed: a few
    # kB, where each frame with a palette of its own was stored whole (161 MB for 600)
    single = out / "one.gif"
    Image.fromarray(frames[0]).quantize(colors=256).save(single)
    assert path.stat().st_size < single.stat().st_size * (1 + 0.25 * 10)
    assert c.iteration == 4  # the window is left where it was
    small = tmp_path / "small.gif"
    assert export.write_animation(window, str(small), "both", (320, 240), fps=5, every=5) == 3
    frames = gif_frames(small)
    assert len(frames) == 3 and frames[0].shape == (240, 320, 3)
    with Image.open(small) as im:
        assert im.info["duration"] == 200
    single.unlink()
    assert sorted(os.listdir(tmp_path)) == ["clip.gif", "small.gif"]  # no temporary files


def test_a_gif_keeps_the_colour_map_s_gradations(window, out):
    """The heatmap and the colour bar in a GIF keep most of the colour map's steps (the
    octree palette gave them 38 of 256: the colour bar showed bands)."""
    from gdviz.ui.colors import lookup_table

    before = window.controller.iteration
    window.controller.set_iteration(0)
    path = out / "ramp.gif"
    export.write_animation(window, str(path), "map")
    drawn = export.to_array(export.map_image(window)).astype(int)
    window.controller.set_iteration(before)
    frame = gif_frames(path)[0][: drawn.shape[0]].astype(int)

    def key(rgb):
        return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]

    on_ramp = np.isin(key(drawn), key(lookup_table()[:, :3].astype(int)))
    assert len(np.unique(key(drawn)[on_ramp])) > 200  # the map shows most of the colour map
    assert len(np.unique(key(frame)[on_ramp])) >= 60
    assert np.abs(frame - drawn).max(axis=2)[on_ramp].max() <= 8


def test_an_odd_mp4_size_is_said_on_the_command_line(window, tmp_path, capsys):
    """--size 1281x721 wrote a 1280 × 720 file without a word."""
    assert export.export_headless(window, str(tmp_path / "odd.mp4"), size=(161, 121)) == 0
    err = capsys.readouterr().err
    assert "gdviz: note: an MP4's sides are even: 161×121 is written as 160×120" in err


def test_an_odd_mp4_size_of_the_map_alone_is_said_too(qtbot, tmp_path, monkeypatch, capsys):
    """--export-view map (the default), 3d or both: the frame was made even before the
    export saw it, and 641 × 481 became 640 × 480 without a word (the window's view said
    it)."""
    from gdviz.cli import build_parser
    from gdviz.ui import app as app_module

    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    out = tmp_path / "odd.mp4"
    args = build_parser().parse_args(["--loss", "x^2 + y^2", "--steps", "3", "--export",
                                      str(out), "--export-view", "map", "--size", "341x241"])
    assert app_module.run_app(args, None) == 0
    err = capsys.readouterr().err
    assert "gdviz: note: an MP4's sides are even: 341×241 is written as 340×240" in err
    assert out.exists()


def test_mp4_container_is_valid(window, tmp_path):
    import imageio.v2 as iio

    path = tmp_path / "clip.mp4"
    assert export.write_animation(window, str(path), "map", (321, 241), fps=10) == 11
    with open(path, "rb") as f:
        assert f.read(12)[4:8] == b"ftyp"
    reader = iio.get_reader(str(path), "FFMPEG")
    try:
        # 11 steps, and the last held for 1.5 s as a GIF holds it (it stopped dead: 8
        # frames of Rastrigin lasted 0.8 s)
        assert reader.count_frames() == 11 + 14
        assert reader.get_data(0).shape == (240, 320, 3)  # even sizes for the encoder
        last = reader.get_data(10)
        assert all(np.abs(reader.get_data(i).astype(int) - last).mean() < 2
                   for i in (11, 24))
    finally:
        reader.close()


@pytest.mark.parametrize("what", ["map_png", "map_svg", "3d_png", "window_png"])
def test_stills_are_written(window, tmp_path, what):
    path = tmp_path / f"still.{what[-3:]}"
    assert window.classroom.export_still(what, str(path))
    data = path.read_bytes()
    if what.endswith("png"):
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(path) as im:
            assert min(im.size) > 50
    else:
        assert b"<svg" in data[:2000] and b"</svg>" in data[-200:]


def test_cancel_leaves_no_partial_file(window, out):
    tmp_path = out
    target = tmp_path / "lecture.gif"
    target.write_bytes(b"the old clip")
    with pytest.raises(export.ExportCancelled):
        export.write_animation(window, str(target), "map",
                               progress=lambda done, total: done < 3)
    assert target.read_bytes() == b"the old clip"
    assert os.listdir(tmp_path) == ["lecture.gif"]
    # The same through the progress dialog's Cancel button.
    fresh = tmp_path / "fresh.mp4"
    cl = window.classroom
    QtCore.QTimer.singleShot(0, lambda: cl.progress_dialog.cancel())
    assert not cl.record(str(fresh), "map", (320, 240))
    assert os.listdir(tmp_path) == ["lecture.gif"]
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_clip_never_replaces_a_read_only_file_or_a_link(window, out):
    """The README promises it; a GIF or MP4 replaced a read-only file, a device, and a link
    rather than the file it points to (the rename needs only the folder's permission)."""
    locked = out / "locked.gif"
    locked.write_bytes(b"keep")
    locked.chmod(0o444)
    with pytest.raises(export.ExportError, match="read-only"):
        export.write_animation(window, str(locked), "map", (160, 120), every=5)
    assert locked.read_bytes() == b"keep"
    target, link = out / "target.gif", out / "link.gif"
    target.write_bytes(b"old")
    target.chmod(0o640)
    link.symlink_to(target)
    assert export.write_animation(window, str(link), "map", (160, 120), every=5) == 3
    assert link.is_symlink() and target.read_bytes()[:3] == b"GIF"
    assert target.stat().st_mode & 0o777 == 0o640  # (its permissions kept)
    assert sorted(os.listdir(out)) == ["link.gif", "locked.gif", "target.gif"]


def test_an_ffmpeg_named_that_cannot_run_is_said_so(window, out, monkeypatch):
    """IMAGEIO_FFMPEG_EXE naming a missing or non-executable program read "cannot write
    clip.mp4: No such file or directory", as if the clip's path were wrong."""
    plain = out / "ffmpeg"
    plain.write_text("not a program")
    plain.chmod(0o644)
    for exe in (str(out / "missing" / "ffmpeg"), str(plain)):
        monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", exe)
        with pytest.raises(export.ExportError, match="is not a program that can be run"):
            export.write_animation(window, str(out / "clip.mp4"), "map", (160, 120), every=5)
    assert sorted(os.listdir(out)) == ["ffmpeg"]


def test_missing_codec_and_bad_paths(window, out, monkeypatch, capsys):
    tmp_path = out
    monkeypatch.setattr(export, "ffmpeg_available",
                        lambda: (False, "MP4 export needs the imageio-ffmpeg package"))
    with pytest.raises(export.ExportError, match="imageio-ffmpeg"):
        export.write_animation(window, str(tmp_path / "a.mp4"))
    assert export.export_headless(window, str(tmp_path / "a.mp4")) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["gdviz: error: MP4 export needs the imageio-ffmpeg package"]
    dialog = __import__("gdviz.ui.classroom", fromlist=["x"]).AnimationDialog(window)
    assert not dialog.format.model().item(1).isEnabled()
    assert dialog.note.text().startswith("MP4 export needs")
    dialog.deleteLater()
    assert export.export_headless(window, str(tmp_path / "a.avi")) == 2
    assert "must end in .gif, .mp4, .png or .svg" in capsys.readouterr().err
    assert export.export_headless(window, str(tmp_path / "missing" / "a.gif")) == 2
    assert capsys.readouterr().err.startswith("gdviz: error: cannot write")
    with pytest.raises(export.ExportError, match="cannot write"):
        export.export_still(window, str(tmp_path / "missing" / "a.png"), "map_png")
    for fps in (0, -2, 61):  # (the message says what is allowed and what was given)
        with pytest.raises(export.ExportError,
                           match=rf"more than 0 and at most 60 \(got {fps}\)"):
            export.write_animation(window, str(tmp_path / "a.gif"), fps=fps)
    capsys.readouterr()
    assert export.export_headless(window, str(tmp_path / "still.png")) == 0
    assert (tmp_path / "still.png").read_bytes()[:4] == b"\x89PNG"
    assert capsys.readouterr().err.strip() == f"wrote {tmp_path / 'still.png'}"  # (as a clip)
    assert sorted(os.listdir(tmp_path)) == ["still.png"]


@pytest.mark.parametrize("signum", ["SIGINT", "SIGTERM"])
def test_ctrl_c_or_a_kill_stops_an_export_and_leaves_no_file(window, out, monkeypatch,
                                                             capsys, signum):
    """Ctrl+C raised KeyboardInterrupt wherever Python ran next, often a Qt paint handler that
    swallowed it: the export went on. A SIGTERM left a hidden .part file."""
    import signal

    from gdviz.ui import export_frames

    real, frames = export_frames._captioned, []

    def captioned(*args, **kwargs):
        frames.append(1)
        if len(frames) == 2:
            os.kill(os.getpid(), getattr(signal, signum))
        return real(*args, **kwargs)

    monkeypatch.setattr(export_frames, "_captioned", captioned)
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    target = out / f"stopped_{signum}.gif"
    assert export.export_headless(window, str(target)) == 130
    assert len(frames) <= 3  # stopped at the next frame
    assert "export interrupted" in capsys.readouterr().err
    assert not [name for name in os.listdir(out) if "stopped" in name]  # (nor a .part)
    assert {s: signal.getsignal(s) for s in before} == before  # handlers given back


def test_each_frame_says_its_step_out_of_how_many(window, out, monkeypatch):
    """The caption read "k = 12" alone: how far along the clip was, not said."""
    from gdviz.ui import export_frames

    real, texts = export_frames._captioned, []

    def captioned(window_, view, size, text, *rest):
        texts.append(text)
        return real(window_, view, size, text, *rest)

    monkeypatch.setattr(export_frames, "_captioned", captioned)
    assert export.export_headless(window, str(out / "steps.gif")) == 0
    total = window.controller.max_iteration
    assert texts[-1] == f"k = {total} / {total}" and f"k = 0 / {total}" in texts


def test_on_a_terminal_progress_is_one_line_ended_before_a_message(window, out,
                                                                    monkeypatch):
    """On a terminal the progress is one line updated in place: a stop midway printed
    "frame 2/21gdviz: export interrupted; …" on that line."""
    import io
    import sys

    from gdviz.ui import export_frames

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    real, frames = export_frames._captioned, []

    def captioned(*args, **kwargs):
        frames.append(1)
        if len(frames) == 5:  # (two for the palette, then two frames reported)
            raise export.ExportCancelled("stopped")
        return real(*args, **kwargs)

    monkeypatch.setattr(export_frames, "_captioned", captioned)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert export.export_headless(window, str(out / "tty.gif")) == 130
    text = terminal.getvalue()
    assert text.startswith("\rframe 1/") and "\n" not in text.split("gdviz:")[0][:-1]
    assert "\ngdviz: export interrupted" in text, repr(text)


def test_both_views_are_drawn_as_the_window_arranges_them(window, monkeypatch):
    """Drawn side by side whatever the window's arrangement, a map stacked above the 3D view
    was squeezed into half the frame's width: a strip a quarter of it tall (6-pixel labels)."""
    from PySide6 import QtGui

    def solid(color):
        def image(w, h):
            img = QtGui.QImage(w, h, QtGui.QImage.Format_RGB32)
            img.fill(QtGui.QColor(color))
            return img
        return image

    c = window.contour
    monkeypatch.setattr(export, "map_image", lambda win, width: solid("#ff0000")(
        width, round(width * c.height() / c.width())))
    monkeypatch.setattr(export, "surface_image", lambda win, width=None: solid("#0000ff")(
        window.surface.width(), window.surface.height()))
    split = window.views_split
    assert export.native_size(window, "both") == (split.width() // 2 * 2,
                                                  split.height() // 2 * 2)
    size = (split.width() * 2, split.height() * 2)  # (scale 2: the parts keep their places)
    rgb = export.to_array(export.render_view(window, "both", size))
    red = np.argwhere((rgb[..., 0] > 200) & (rgb[..., 2] < 50))
    corner = c.mapTo(split, QtCore.QPoint(0, 0))
    (y0, x0), (y1, x1) = red.min(axis=0), red.max(axis=0)
    assert (x0, y0) == pytest.approx((2 * corner.x(), 2 * corner.y()), abs=2)
    assert (x1 - x0, y1 - y0) == pytest.approx((2 * c.width(), 2 * c.height()), abs=3)
    assert ((rgb[..., 2] > 200) & (rgb[..., 0] < 50)).any()  # and the 3D view beside it


@pytest.mark.parametrize("view", ["map", "3d"])
def test_an_export_without_a_size_fills_its_frame_with_the_view(qtbot, monkeypatch, tmp_path,
                                                               view):
    """Without --size the view was drawn as laid out in the whole 1600 × 1000 window: a 3D
    export came out 866 × 256, a map 866 × 386."""
    from gdviz.cli import build_parser
    from gdviz.ui import app as app_module

    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    seen = {}

    def fake_export(window, path, fps=10.0, view="map", size=None, iteration=None):
        seen["size"] = export.native_size(window, view)
        return 0

    monkeypatch.setattr(export, "export_headless", fake_export)
    args = build_parser().parse_args(["--export", str(tmp_path / "a.png"), "--export-view",
                                      view])
    assert app_module.run_app(args) == 0
    w, h = seen["size"]  # (laid out at 1280 × 800 and drawn 1.25 times: the 1600 × 1000)
    assert w >= 1240 and h >= 760, seen


def test_a_still_shows_the_step_asked_for_else_the_last(window, out, monkeypatch):
    """A session saved at step 10 exported as a PNG showed its last step (--screenshot showed
    step 10)."""
    c = window.controller
    seen = []
    real = export.render_view
    monkeypatch.setattr(export, "render_view",
                        lambda *a, **k: seen.append(c.iteration) or real(*a, **k))
    assert export.export_headless(window, str(out / "at3.png"), iteration=3) == 0
    assert export.export_headless(window, str(out / "last.png")) == 0
    assert seen == [3, c.max_iteration]


def test_a_session_s_still_is_exported_at_its_saved_step(qtbot, monkeypatch, tmp_path):
    from gdviz.cli import build_parser
    from gdviz.ui import app as app_module

    monkeypatch.setenv("GDVIZ_SETTINGS_DIR", str(tmp_path))
    seen = {}
    monkeypatch.setattr(export, "export_headless",
                        lambda window, path, **kwargs: seen.update(kwargs) or 0)
    session = Session(loss=HIMMELBLAU.loss, domain=HIMMELBLAU.domain,
                      runs=[RunSpec("adam", 0.1, (0.0, 0.0), steps=20)], view={"iteration": 7})
    args = build_parser().parse_args(["--export", str(tmp_path / "a.png")])
    assert app_module.run_app(args, session) == 0
    assert seen["iteration"] == 7


def test_ctrl_c_after_the_last_frame_says_the_file_was_written(window, out, monkeypatch,
                                                                capsys):
    """Asked while the GIF was being encoded (after the last frame's check), the export went
    on and exited 0; then it deleted the finished file, and with it the one it had
    replaced, saying "not written". The file is whole: it stays, and the exit says
    interrupted."""
    import signal

    def encode(window, path, view, size, fps, progress=None):
        with open(path, "wb") as f:
            f.write(b"GIF89a new")
        os.kill(os.getpid(), signal.SIGINT)
        return 3

    from gdviz.ui import export_frames

    monkeypatch.setattr(export_frames, "write_animation", encode)
    target = out / "late.gif"
    target.write_bytes(b"GIF89a old")
    assert export.export_headless(window, str(target)) == 130
    assert target.read_bytes() == b"GIF89a new"
    assert f"interrupted after {target} was written" in capsys.readouterr().err


_AT_150_HEAD = """
import json
from gdviz.ui.app import make_app
from gdviz.ui.main_window import MainWindow
app = make_app()
w = MainWindow(); w.resize({width}, {height}); w.show()
for _ in range(40):
    app.processEvents()
w.wait_idle(); app.processEvents()
"""


def _at_150_percent(run_python, size, body: str) -> dict:
    """Run ``body`` in a fresh process at QT_SCALE_FACTOR=1.5, after a window ``w`` of
    ``size`` is shown and idle; the JSON its last printed line holds."""
    import json
    import os

    head = _AT_150_HEAD.format(width=size[0], height=size[1])
    done = run_python(head + body + "\nw.close()\n", env=dict(os.environ, QT_SCALE_FACTOR="1.5"))
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_exports_at_150_percent_have_the_screen_s_pixels(run_python):
    """At QT_SCALE_FACTOR=1.5 the map's PNG and the animation's frame were in logical
    pixels (482 × 258 for a map of 723 × 387 on screen), the 3D view's in device pixels."""
    out = _at_150_percent(run_python, (1200, 760), """
from gdviz.ui import export
m, s = export.map_image(w), export.surface_image(w)
f = export.render_view(w, "map")
print(json.dumps({"ratio": w.devicePixelRatioF(), "map": [w.contour.width(), w.contour.height()],
                  "map_png": [m.width(), m.height()], "surface_png": [s.width(), s.height()],
                  "native_map": export.native_size(w, "map"),
                  "native_3d": export.native_size(w, "3d"), "frame": [f.width(), f.height()]}))
""")
    assert out["ratio"] == 1.5
    device = [round(1.5 * v) for v in out["map"]]
    assert abs(out["map_png"][0] - device[0]) <= 1
    assert [abs(a - b) <= 2 for a, b in zip(out["native_map"], device, strict=True)] == [True] * 2
    assert out["frame"] == list(out["native_map"])
    # the 3D view's picture and its native size agree (both in device pixels)
    pairs = zip(out["native_3d"], out["surface_png"], strict=True)
    assert [abs(a - b) <= 2 for a, b in pairs] == [True] * 2


def test_the_3d_view_has_no_black_edge_at_150_percent(run_python):
    """At 150 % the 3D view's picture, rounded to whole device pixels, was a column short of
    a view an odd number of pixels wide, and that column showed black."""
    out = _at_150_percent(run_python, (1280, 800), """
view = w.surface.view
shot = w.grab().toImage()
dpr = shot.devicePixelRatio()
corner = view.mapTo(w, view.rect().topLeft())
x0, y0 = corner.x() * dpr, corner.y() * dpr
x1, y1 = (corner.x() + view.width()) * dpr, (corner.y() + view.height()) * dpr
dark = []
for x in range(int(x1) - 3, int(x1) + 1):  # the view's last device columns
    col = [shot.pixelColor(x, y).lightness() for y in range(int(y0) + 5, int(y1) - 5, 3)]
    dark.append(sum(v < 40 for v in col) / len(col))
print(json.dumps({"end": x1, "width": view.width() * dpr, "dark": dark}))
""")
    assert out["width"] % 1 == 0.5, out  # (the case: the view is a half device pixel wider)
    assert max(out["dark"]) < 0.5, out


def test_a_3d_export_without_opengl_fails_the_command(window, out, monkeypatch, capsys):
    """Under QT_QPA_PLATFORM=offscreen, --export-view 3d exited 0 with a picture of the
    words "3D view unavailable"; a script could not tell."""
    monkeypatch.setattr(window.surface, "gl_ok", False)
    window.surface.message.setText("3D view unavailable: the 'offscreen' display has no "
                                   "OpenGL.")
    target = out / "surface.png"
    assert export.export_headless(window, str(target), view="3d") == 2
    assert capsys.readouterr().err.strip() == ("gdviz: error: 3D view unavailable: the "
                                               "'offscreen' display has no OpenGL.")
    assert not target.exists()
    assert export.export_headless(window, str(out / "map.png"), view="map") == 0  # (the map can)


def test_a_picture_of_the_window_leaves_out_a_passing_status_note(window, tmp_path):
    """The window's PNG showed "Saved 751 frames to …" from the export before it."""
    bar = window.statusBar()
    bar.showMessage("Saved 751 frames to /somewhere/clip.mp4", 60000)
    image = export.window_image(window)
    assert bar.currentMessage() == ""
    QtCore.QCoreApplication.processEvents()
    clean = export.window_image(window)
    assert image == clean  # (the note was not in the first picture either)


def test_the_map_s_svg_has_its_legend_as_text(window):
    """The SVG's legend was a picture of it at screen resolution: blurred on a slide."""
    import re

    window.view_options.arrows.setChecked(True)
    QtCore.QCoreApplication.processEvents()
    legend = window.contour.legends.shown_arrows()
    assert legend.visible and legend.entries
    svg = export.map_svg(window).decode("utf-8")
    texts = " ".join(re.sub(r"\s+", " ", t) for t in re.findall(r"<text[^>]*>([^<]*)</text>",
                                                                svg))
    for _key, text, _pen in legend.entries:
        assert text in texts, (text, texts[:300])


def test_the_map_s_svg_keeps_its_field_arrows_inside_the_frame(window):
    """An SVG keeps no clip: the field's arrows on the edges stuck out of the plot's frame
    onto the tick labels (the PNG's picture clipped them). There only the arrows wholly
    inside are drawn."""
    import re

    from PySide6 import QtSvg

    from gdviz.ui import map_layers

    c = window.contour
    (a0, a1), (b0, b1) = c.view_range()
    mid = (b0 + b1) / 2
    # one arrow inside, one from inside across the right edge
    field = (np.array([a0 + 0.3 * (a1 - a0), a1 - 0.02 * (a1 - a0)]), np.array([mid, mid]),
             np.array([0.05 * (a1 - a0)] * 2), np.array([0.0, 0.0]), np.array([1.0, 1.0]))

    def drawn(device) -> list[float]:
        painter = QtGui.QPainter(device)
        map_layers.paint_field(painter, c, field, np.array([0, 0]), 2.0)
        painter.end()
        return []

    buffer = QtCore.QBuffer()
    buffer.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    gen = QtSvg.QSvgGenerator()
    gen.setOutputDevice(buffer)
    gen.setSize(c.size())
    gen.setViewBox(QtCore.QRect(0, 0, c.width(), c.height()))
    drawn(gen)
    svg = bytes(buffer.data()).decode("utf-8")
    paths = re.findall(r'<path[^>]* d="([^"]+)"', svg)
    xs = [float(v) for d in paths for v in re.findall(r"(-?\d+(?:\.\d+)?),", d)]
    assert xs, svg[:300]
    assert max(xs) <= c.plot_rect().right() + 0.5, (max(xs), c.plot_rect())
    image = QtGui.QImage(c.width(), c.height(), QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    drawn(image)  # (on the screen's picture both are drawn: it is clipped there)
    right = int(c.data_to_px(a1 - 0.02 * (a1 - a0), mid)[0]) + 2
    row = int(c.data_to_px(a0, mid)[1])
    assert QtGui.QColor(image.pixel(right, row)).name() != "#ffffff"


def test_a_gif_is_encoded_while_the_window_keeps_handling_events(window, out, monkeypatch):
    """Pillow encoded the GIF's frames in one call on the GUI thread: 0.8 s of frozen window
    (and progress dialog) at 600 frames."""
    import time

    from gdviz.ui import export_frames

    ticks: list[float] = []
    timer = QtCore.QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    try:
        export_frames._beside_the_event_loop(lambda: time.sleep(0.4))
    finally:
        timer.stop()
    assert len(ticks) >= 15 and np.diff(ticks).max() < 0.1
    with pytest.raises(OSError, match="disk full"):
        export_frames._beside_the_event_loop(lambda: (_ for _ in ()).throw(OSError("disk full")))
    used = []
    real = export_frames._beside_the_event_loop
    monkeypatch.setattr(export_frames, "_beside_the_event_loop",
                        lambda work: used.append(1) or real(work))
    assert export.write_animation(window, str(out / "a.gif"), "map", (200, 150)) == 11
    assert used == [1]


def test_a_large_3d_export_is_laid_out_as_the_map_and_drawn_larger(window, monkeypatch):
    """A 3840 × 2160 export of the 3D view was laid out at its full size (its picture being
    the OpenGL view's pixels): its axes' names 9 pixels tall, its paths hairlines. It is laid
    out as the map is, at most 1280 × 800, and rendered that many times larger."""
    from gdviz.ui import export_frames

    with monkeypatch.context() as patch:
        patch.setattr(window, "resize", lambda *a: None)  # (the layout itself: not here)
        for view in ("3d", "both", "map"):
            assert export_frames.lay_out_for(window, view, (3200, 2000), False) == 2.5
        # (the default 1600 × 1000 frame too: laid out at its size its ticks were 11 pixels)
        assert export_frames.lay_out_for(window, "map", (1600, 1000), False) == 1.25
        assert export_frames.lay_out_for(window, "map", (1280, 720), False) == 1.0
    assert window.classroom.presentation.type_scale == 1.0  # (type not made larger instead)
    surface = window.surface
    wide = 2 * round(surface.width() * surface.devicePixelRatioF())
    image = export.surface_image(window, wide)
    # Plain pixels (a 4K "both" drew the 3D view's picture, its ratio kept, as a thumbnail)
    assert image.width() == wide and image.devicePixelRatio() == 1.0
    framed = export.render_view(window, "3d", (image.width(), image.height()))
    assert export.to_array(framed).std() > 10  # (the scene, not a blank frame)


def test_the_map_s_svg_keys_the_field_with_its_ramp(window):
    """A gradient pen's stroke is written by its one colour in an SVG: the field's key
    sample, a light-to-dark ramp on screen, came out a black line."""
    import re

    window.view_options.arrows.setChecked(True)
    QtCore.QCoreApplication.processEvents()
    legend = window.contour.legends.shown_arrows()
    assert any(key == "field" for key, _t, _p in legend.entries)
    svg = export.map_svg(window).decode("utf-8")
    assert "linearGradient" in svg, svg[:500]
    # (no black stroked line of the sample's length in the legend)
    assert not re.search(r'stroke="#000000"[^>]*>\s*<polyline[^>]*points="10,', svg)
