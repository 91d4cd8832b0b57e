"""``python main.py … --export out.gif`` renders headless, deterministically, and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
COMMAND = ["--preset", "himmelblau", "--optimizer", "adam", "--lr", "0.1", "--start=0,0",
           "--steps", "20"]


def _frames(path: Path) -> list[np.ndarray]:
    with Image.open(path) as im:
        frames = []
        for i in range(im.n_frames):
            im.seek(i)
            frames.append(np.asarray(im.convert("RGB")))
        return frames


def test_headless_gif_export_is_deterministic(tmp_path, settings_dir):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GDVIZ_SETTINGS_DIR": str(settings_dir)}
    outputs = [tmp_path / "a.gif", tmp_path / "b.gif"]
    # Two runs at once (each starts Python, sympy and Qt: seconds).
    runs = [subprocess.Popen([sys.executable, "main.py", *COMMAND, "--export", str(out)],
                             cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for out in outputs]
    results = [(p.wait(timeout=180), p.stdout.read(), p.stderr.read()) for p in runs]
    for p in runs:
        p.stdout.close()
        p.stderr.close()
    for code, _out, err in results:
        assert code == 0, err
        assert "frame 1/21" in err and "frame 21/21" in err
        # (not a terminal: every tenth of the way, not a line a frame — 600 for 600 steps)
        assert 10 <= err.count("frame ") <= 12, err
        assert "Traceback" not in err
    first, second = (_frames(p) for p in outputs)
    assert len(first) == 21  # one frame per descent step, plus the start
    assert len({f.shape for f in first}) == 1 and first[0].shape[0] > 100
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    with Image.open(outputs[0]) as im:  # 10 frames a second, the last held 1.5 s
        durations = []
        for i in range(im.n_frames):
            im.seek(i)
            durations.append(im.info["duration"])
    assert durations[:-1] == [100] * 20 and durations[-1] == 1500
    assert not any(f.name.endswith(".tmp") or ".part" in f.name for f in tmp_path.iterdir())
    # Nothing of a headless run ends up in the user's autosave.
    assert not (settings_dir / "autosave.gdviz").exists()


def test_an_export_at_a_size_fills_the_frame_with_the_map(tmp_path, settings_dir):
    # --size 1000x1000 made a 1000-pixel window: the map was a strip ~190 px wide inside it,
    # and the export scaled that strip into the frame (found by a review).
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GDVIZ_SETTINGS_DIR": str(settings_dir)}
    out = tmp_path / "map.png"
    done = subprocess.run([sys.executable, "main.py", "--preset", "lecture", "--size",
                           "1000x800", "--export", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    with Image.open(out) as im:
        rgb = np.asarray(im.convert("RGB")).astype(int)
    assert rgb.shape[:2] == (800, 1000)
    # The heatmap's colourful pixels (saturated: not the white ground, grey axes or text)
    # span most of the width.
    saturation = rgb.max(axis=2) - rgb.min(axis=2)
    columns = np.flatnonzero((saturation > 60).sum(axis=0) > 100)
    assert columns[-1] - columns[0] > 0.75 * 1000


def test_a_large_export_draws_the_map_larger_not_its_layout_wider(tmp_path, settings_dir):
    """--size 3840x2160 laid the map out 3840 pixels wide: ticks, legend and labels 9 pixels
    tall on a 4K slide. A frame over 1280 × 800 now draws the 1280 × 800 layout larger;
    and without --size the map is 1600 × 1000, as the README says (it was 1600 × 956)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GDVIZ_SETTINGS_DIR": str(settings_dir)}
    outs = {size: tmp_path / f"map{size or ''}.png" for size in (None, "3200x2000")}
    runs = [subprocess.Popen([sys.executable, "main.py", "--preset", "lecture",
                              *(["--size", size] if size else []), "--export", str(out)],
                             cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for size, out in outs.items()]
    for p in runs:
        assert p.wait(timeout=180) == 0, p.stderr.read()
        p.stderr.close()
    with Image.open(outs[None]) as im:
        assert im.size == (1600, 1000)
        small = np.asarray(im.convert("RGB")).astype(int)
    with Image.open(outs["3200x2000"]) as im:
        assert im.size == (3200, 2000)
        halved = np.asarray(im.convert("RGB").resize((1600, 1000), Image.BOX)).astype(int)
    # the same picture, twice as large (laid out at 3200 pixels, its type and lines stayed
    # the size they are at 1600, and the picture differed: more ticks, thinner lines)
    assert np.abs(small - halved).mean() < 4


def test_the_map_exports_as_svg_from_the_command_line(tmp_path, settings_dir):
    """`--export map.svg` was refused ("must end in .gif, .mp4 or .png"), SVG only in the
    window's File ▸ Export; another view as SVG says it is the map's."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GDVIZ_SETTINGS_DIR": str(settings_dir)}
    out = tmp_path / "map.svg"
    done = subprocess.run([sys.executable, "main.py", *COMMAND, "--export", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and len(text) > 10_000
    refused = subprocess.run([sys.executable, "main.py", *COMMAND, "--export",
                              str(tmp_path / "b.svg"), "--export-view", "both"], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=180)
    assert refused.returncode == 2 and "an SVG is of the map" in refused.stderr
    assert not (tmp_path / "b.svg").exists()
