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
        assert "Traceback" not in err
    first, second = (_frames(p) for p in outputs)
    assert len(first) == 21  # one frame per descent step, plus the start
    assert len({f.shape for f in first}) == 1 and first[0].shape[0] > 100
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))
    assert not any(f.name.endswith(".tmp") or ".part" in f.name for f in tmp_path.iterdir())
    # Nothing of a headless run ends up in the user's autosave.
    assert not (settings_dir / "autosave.gdviz").exists()
