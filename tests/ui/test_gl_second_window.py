"""A second window's 3D view draws in a process whose QApplication was made without
``AA_ShareOpenGLContexts`` (a script's or notebook's own, before ``MainWindow``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json
import sys

import numpy as np
from PySide6 import QtGui, QtTest, QtWidgets


def main():
    app = QtWidgets.QApplication(sys.argv[:1])  # (its own: contexts not shared)
    from gdviz.ui import MainWindow

    colours = []
    for _ in range(2):
        w = MainWindow()
        w.resize(1000, 700)
        w.show()
        QtTest.QTest.qWaitForWindowExposed(w)
        for _ in range(3):
            w.wait_idle(60000)
            QtTest.QTest.qWait(200)
        image = w.surface.view.grabFramebuffer().convertToFormat(
            QtGui.QImage.Format.Format_RGB32)
        pixels = np.frombuffer(image.constBits(), dtype=np.uint32)
        colours.append(int(len(np.unique(pixels))))
        w.close()
        QtTest.QTest.qWait(100)
    print("RESULT " + json.dumps({"colours": colours, "gl": w.surface.gl_ok}))


if __name__ == "__main__":
    main()
"""


def test_a_second_window_s_3d_view_draws_without_shared_contexts(tmp_path):
    """Each view had a context of its own and pyqtgraph keeps its shader programs per
    process: the second window's surface drew nothing ("GLError 1281 glUseProgram")."""
    script = tmp_path / "two_windows.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, GDVIZ_SETTINGS_DIR=str(tmp_path),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(next(line for line in proc.stdout.splitlines()
                             if line.startswith("RESULT "))[len("RESULT "):])
    assert result["gl"]
    assert "GLError" not in proc.stderr and "Error while drawing" not in proc.stderr, \
        proc.stderr[-2000:]
    first, second = result["colours"]
    assert second > 50 and second >= first / 2, result  # (the surface's shades: drawn)
