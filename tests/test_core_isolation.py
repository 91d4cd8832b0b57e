"""gdviz.core is usable without Qt: importing it and running a descent loads no GUI library."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
import gdviz, gdviz.core
loss = gdviz.parse_loss("sin(w1)*w2*(1-w2)")
traj = gdviz.descend(loss, (0.5, 0.5), "adam", steps=20)
many = gdviz.descend(loss, [[0.5, 0.5], [1.0, -1.0]], "newton", steps=5)
gui = sorted(m for m in sys.modules
             if m.split(".")[0] in ("PySide6", "pyqtgraph", "shiboken6", "OpenGL")
             or m.startswith("gdviz.ui"))
print(json.dumps({"gui": gui, "status": traj.status, "shape": list(many.points.shape),
                  "PySide6": "PySide6" in sys.modules, "pyqtgraph": "pyqtgraph" in sys.modules}))
"""


def run(script: str) -> dict:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_core_does_not_import_qt_or_pyqtgraph():
    result = run(SCRIPT)
    assert result["status"] in ("converged", "max_steps")
    assert result["shape"] == [2, 6, 2]
    assert result["PySide6"] is False
    assert result["pyqtgraph"] is False
    assert result["gui"] == []


def test_the_check_would_see_qt_if_it_were_loaded():
    # Guards the test above: the same probe reports PySide6 once something imports it.
    result = run("import PySide6.QtCore\n" + SCRIPT)
    assert result["PySide6"] is True
