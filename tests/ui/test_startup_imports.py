"""What the window imports before its first frame: none of the heavy modules that only later
work needs (each costs milliseconds of every launch)."""

from __future__ import annotations

LATER = ("sympy", "matplotlib", "contourpy", "pyqtgraph", "OpenGL", "multiprocessing",
         "concurrent.futures", "numpy.ma", "difflib", "fractions", "gdviz.ui.sessions",
         "gdviz.core.descent", "html")


# (a snippet's start: the names of the enum classes made from here on, in ``made``)
ENUM_SPY = ("import enum\n"
            "made = []\n"
            "new = enum.EnumType.__new__\n"
            "def spy(*a, **k):\n"
            "    cls = new(*a, **k)\n"
            "    made.append(cls.__qualname__)\n"
            "    return cls\n"
            "enum.EnumType.__new__ = spy\n")


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
    code = (ENUM_SPY + "import sys\n"
            "from gdviz.ui.app import make_app\n"
            "app = make_app()\n"
            "styled = [m for m in made if m in ('PrimitiveElement', 'ControlElement')]\n"
            "print(app.style().name(), styled)\n")
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "fusion", done.stdout
    assert done.stdout.strip().endswith("[]"), done.stdout


def test_the_window_is_built_without_the_style_class_or_a_viewport_s_type_search(run_python):
    # A widget's style() makes QStyle's Python class (11 enum classes), and the first
    # viewport() of a process makes those of 60-odd widget classes looking for its type
    # (a colour dialog's, a calendar's…): 5 and 10 ms before the first frame, for a scroll
    # bar's width and an event filter.
    code = (ENUM_SPY + "import os\n"
            "from gdviz.ui.app import make_app\n"
            "from gdviz.ui.main_window import MainWindow\n"
            "app = make_app()\n"
            "window = MainWindow(restore=False)\n"
            "print(sorted({m for m in made if m in ('PrimitiveElement', 'ControlElement', "
            "'ColorDialogOption', 'HorizontalHeaderFormat')}))\n"
            "os._exit(0)\n")
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("[]"), done.stdout


def test_pyside_s_import_hook_reads_files_with_the_same_answers(run_python):
    # PySide6 looks for "PySide6" in every module imported after it (0.12 ms a module
    # through inspect.getsource); gdviz.ui.binding has it read the file instead.
    code = ("import sys, json, math\n"
            "import gdviz.ui.binding, gdviz.ui.qt, gdviz.core.grid\n"
            "feature = sys.modules['shibokensupport.feature']\n"
            "fast = feature._mod_uses_pyside\n"
            "mods = [gdviz.ui.binding, gdviz.ui.qt, gdviz.core.grid, json, math]\n"
            "print(getattr(fast, 'lightened', False), [fast(m) for m in mods], "
            "[fast.original(m) for m in mods])\n")
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ("True [True, True, False, False, False] "
                                   "[True, True, False, False, False]"), done.stdout
