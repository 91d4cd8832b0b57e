"""What the window imports before its first frame: none of the heavy modules that only later
work needs (each costs milliseconds of every launch)."""

from __future__ import annotations

import subprocess
import sys

LATER = ("sympy", "matplotlib", "contourpy", "pyqtgraph", "OpenGL", "multiprocessing",
         "concurrent.futures", "numpy.ma")


def test_the_window_modules_leave_later_work_unimported():
    code = ("import sys\n"
            "import gdviz.cli, gdviz.ui.app, gdviz.ui.main_window, gdviz.ui.first_loss\n"
            f"print(sorted(m for m in {LATER!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout
