"""What the window imports before its first frame: none of the heavy modules that only later
work needs (each costs milliseconds of every launch)."""

from __future__ import annotations

LATER = ("sympy", "matplotlib", "contourpy", "pyqtgraph", "OpenGL", "multiprocessing",
         "concurrent.futures", "numpy.ma")


def test_the_window_modules_leave_later_work_unimported(run_python):
    code = ("import sys\n"
            "import gdviz.cli, gdviz.ui.app, gdviz.ui.main_window, gdviz.ui.first_loss\n"
            f"print(sorted(m for m in {LATER!r} if m in sys.modules))\n")
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout


def test_the_app_is_fusion_styled_without_making_the_style_class_first(run_python):
    # -style on the command line, not setStyle("Fusion"): that one hands the QStyle back, and
    # its Python class (11 enum classes, ~4 ms) was made before the first frame for nothing.
    code = ("import enum, sys\n"
            "made = []\n"
            "new = enum.EnumType.__new__\n"
            "def spy(*a, **k):\n"
            "    cls = new(*a, **k)\n"
            "    made.append(cls.__qualname__)\n"
            "    return cls\n"
            "enum.EnumType.__new__ = spy\n"
            "from gdviz.ui.app import make_app\n"
            "app = make_app()\n"
            "styled = [m for m in made if m in ('PrimitiveElement', 'ControlElement')]\n"
            "print(app.style().name(), styled)\n")
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "fusion", done.stdout
    assert done.stdout.strip().endswith("[]"), done.stdout
