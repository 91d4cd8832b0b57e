"""Without OpenGL (Qt's offscreen platform) the window still opens and the 2D map works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WINDOW_SCRIPT = r"""
import json
import numpy as np
from gdviz.ui.app import make_app

app = make_app()
from gdviz.ui import MainWindow

w = MainWindow()
w.show()
w.wait_idle()
image = w.contour.image_data
w.apply_loss_text("x^2 + 3y^2")
w.wait_idle()
after = w.contour.image_data
c = w.controller
w.controller.step_forward()
out = {
    "platform": app.platformName(),
    "gl_ok": w.surface.gl_ok,
    "message": w.surface.message.text(),
    "message_shown": w.surface.currentWidget() is w.surface.message,
    "image_shape": list(image.shape),
    "image_finite": float(np.isfinite(image).mean()),
    "image_changed": not np.array_equal(image, after),
    "contours": sum(len(v) for v in w.contour.contour_lines.values()),
    "arrows": int(np.isfinite(w.contour.field_drawn[2]).sum()) if w.contour.field_drawn else 0,
    "loss": c.loss.text,
    "iteration": c.iteration,
    "runs": len(c.runs),
    "surface_grab": not w.surface.grab_image().isNull(),
}
w.close()
print("RESULT " + json.dumps(out))
"""


def _env(tmp_path) -> dict:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["GDVIZ_SETTINGS_DIR"] = str(tmp_path)
    env.pop("GDVIZ_NO_GL", None)
    return env


@pytest.fixture(scope="module")
def offscreen_runs(tmp_path_factory):
    """Both subprocesses, started together (each takes several seconds to import and draw)."""
    tmp = tmp_path_factory.mktemp("offscreen")
    shot = tmp / "shot.png"
    window = subprocess.Popen([sys.executable, "-c", WINDOW_SCRIPT], cwd=ROOT,
                              env=_env(tmp), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    screenshot = subprocess.Popen(
        [sys.executable, "main.py", "--screenshot", str(shot)], cwd=ROOT, env=_env(tmp),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # (an export of both views wrote the words "3D view unavailable" beside the map, exit 0)
    both = subprocess.Popen(
        [sys.executable, "main.py", "--export", str(tmp / "both.png"), "--export-view", "both"],
        cwd=ROOT, env=_env(tmp), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = {}
    for name, proc in (("window", window), ("screenshot", screenshot), ("both", both)):
        try:
            out, err = proc.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
        results[name] = (proc.returncode, out, err)
    results["shot"], results["both_path"] = shot, tmp / "both.png"
    return results


def test_window_opens_without_opengl_and_says_so(offscreen_runs):
    code, out, err = offscreen_runs["window"]
    assert code == 0, err
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    r = json.loads(line[len("RESULT "):])
    assert r["platform"] == "offscreen"
    assert r["gl_ok"] is False
    assert r["message_shown"] is True
    assert "OpenGL" in r["message"] or "3D" in r["message"]
    assert r["surface_grab"] is True
    # The 2D map works: a full image, contours, field arrows, and it follows a new loss.
    assert r["image_shape"][0] > 50 and r["image_shape"][1] > 50
    assert r["image_finite"] > 0.99
    assert r["contours"] > 0
    assert r["arrows"] > 0
    assert r["image_changed"] is True
    assert r["loss"] == "x^2 + 3y^2"
    assert r["runs"] == 1 and r["iteration"] == 1
    assert "Traceback" not in err


def test_screenshot_works_without_opengl(offscreen_runs):
    from PIL import Image

    code, _out, err = offscreen_runs["screenshot"]
    assert code == 0, err
    shot = offscreen_runs["shot"]
    assert shot.exists()
    assert shot.stat().st_size > 20_000
    with Image.open(shot) as image:
        assert image.format == "PNG"
        assert image.width >= 640 and image.height >= 480
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
        assert colours is not None and len(colours) > 200, "the picture is nearly blank"
    assert "Traceback" not in err


def test_an_export_of_both_views_without_opengl_is_refused(offscreen_runs):
    code, _out, err = offscreen_runs["both"]
    assert code == 2, err
    said = [line for line in err.splitlines() if line.startswith("gdviz:")]  # (not Qt's)
    assert len(said) == 1 and said[0].startswith("gdviz: error:"), err
    assert "--export-view map" in said[0], err
    assert not offscreen_runs["both_path"].exists() and "Traceback" not in err
