"""The benchmark's shared parts: settings, targets, timing helpers and :class:`Bench` (the
window under test and what the sections record). See ``run.py``."""

from __future__ import annotations

import gc
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

LOSSES = ("lecture", "rosenbrock", "himmelblau", "rastrigin")
N_RUNS = 8
WINDOW = (1600, 1000)
GRID = 256
QUIVER = 18
BASIN_SIDE = 256
BASIN_STEPS = 200
BASIN_LR = 0.05
TARGETS = {  # key: (comparison, target, unit)
    "redraw_ratio": (">=", 20.0, "×"),
    "frame_ratio": (">=", 20.0, "×"),
    "frame_p95_ms_2d": ("<=", 16.7, "ms"),
    "grad_floor_ratio": ("<=", 1.5, "×"),
    "naive_ratio": (">=", 1000.0, "×"),
    "basins_ratio": (">=", 100.0, "×"),
    "startup_ratio": ("<=", 2.5, "×"),
    "peak_rss_mb_512": ("<=", 500.0, "MB"),
}
# In-process sections first; the launches last, when the page cache holds every library and
# this process's window is closed.
SECTIONS = ("grad_floor", "naive", "basins", "redraw", "frames", "startup", "rss")
SECTION_KEYS = {"startup": ["startup_ratio"], "rss": ["peak_rss_mb_512"],
                "grad_floor": ["grad_floor_ratio"], "naive": ["naive_ratio"],
                "basins": ["basins_ratio"], "redraw": ["redraw_ratio"],
                "frames": ["frame_ratio", "frame_p95_ms_2d"]}



# -- environment ------------------------------------------------------------------------------
def ensure_display(script: str | Path, argv: list[str]) -> None:
    """Re-run ``script`` with ``argv`` under xvfb-run when there is no display (once)."""
    if os.environ.get("DISPLAY"):
        return
    xvfb = shutil.which("xvfb-run")
    if xvfb is None or os.environ.get("GDVIZ_BENCH_REEXEC"):
        sys.exit("run.py: no DISPLAY and no xvfb-run: run it under Xvfb "
                 "(xvfb-run -a python tests/benchmarks/run.py)")
    os.environ["GDVIZ_BENCH_REEXEC"] = "1"
    # A 1920×1080 screen (a projector's) holds the benchmark's 1600×1000 window whole.
    cmd = [xvfb, "-a", "-s", "-screen 0 1920x1080x24", sys.executable,
           str(Path(script).resolve()), *argv]
    sys.stdout.flush()
    os.execv(xvfb, cmd)


def configure_env(settings_dir: str) -> None:
    os.environ["LIBGL_ALWAYS_SOFTWARE"] = "1"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["GDVIZ_SETTINGS_DIR"] = settings_dir  # never touch the user's settings
    os.environ.pop("GDVIZ_NO_GL", None)


def machine_info() -> dict:
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = {}
    for mod in ("numpy", "sympy", "PySide6", "pyqtgraph", "matplotlib", "contourpy", "OpenGL"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - report what is there
            versions[mod] = None
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = None
    return {"platform": platform.platform(), "machine": platform.machine(), "cpu_model": cpu,
            "load_average_1_5_15": list(os.getloadavg()),
            "cpu_count": os.cpu_count(), "cpus_usable": affinity,
            "python": platform.python_version(), **versions,
            "qt_platform": os.environ.get("QT_QPA_PLATFORM"),
            "libgl_always_software": os.environ.get("LIBGL_ALWAYS_SOFTWARE")}


# -- timing helpers ---------------------------------------------------------------------------
def now() -> float:
    return time.perf_counter()


def repetitions(min_n: int, max_n: int, budget_s: float):
    """Yield 0, 1, … at least ``min_n`` times, then while under ``budget_s`` and ``max_n``."""
    t0 = now()
    i = 0
    while i < max_n and (i < min_n or now() - t0 < budget_s):
        yield i
        i += 1


def quiet_gc() -> None:
    """Collect garbage before a timed repetition, cheaply: the long-lived heap (sympy,
    matplotlib, the window) is frozen out of the collector by :func:`freeze_heap`, so the
    collector neither runs long here nor fires in the middle of a measurement."""
    gc.collect()


def freeze_heap() -> None:
    """Move everything alive now out of the collector's reach (it is never garbage)."""
    gc.collect()
    gc.freeze()


def med(xs) -> float:
    return float(statistics.median(xs)) if xs else float("nan")


def p95(xs) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(xs, dtype=float), 95)) if xs else float("nan")


def paint_summary(per_frame: list[dict]) -> dict:
    """Per view: in how many of the frames it was painted, and the median paints per frame."""
    views = sorted({v for p in per_frame for v in p})
    return {v: {"frames_painted": sum(1 for p in per_frame if p.get(v)),
                "median_paints": med([p.get(v, 0) for p in per_frame])} for v in views} | {
        "frames": len(per_frame)}


def worst(values: dict, key: str) -> float:
    vals = [v for v in values.values() if v == v]
    if not vals:
        return float("nan")
    return min(vals) if TARGETS[key][0] == ">=" else max(vals)


class Bench:
    """Holds the mode, results, raw times and the Qt objects once made."""

    def __init__(self, quick: bool, tmp: str) -> None:
        self.quick = quick
        self.tmp = tmp
        self.keys: dict[str, float] = {}
        self.raw: dict[str, dict] = {}
        self.details: dict[str, dict] = {}
        self.notes: list[str] = []
        self.errors: dict[str, str] = {}
        self.app = None
        self.window = None
        self.elapsed: dict[str, float] = {}

    # budgets: (min reps, max reps, seconds) for quick and full runs
    def plan(self, quick, full):
        return quick if self.quick else full

    # -- the real window --------------------------------------------------------------------
    def get_window(self):
        if self.window is None:
            from gdviz.ui.app import make_app
            from gdviz.ui.main_window import MainWindow

            self.app = make_app()
            t0 = now()
            self.window = MainWindow(restore=False)
            # One size whatever the screen (the window's default follows the screen): the
            # --screenshot default, smaller than a 1920×1080 projector's full screen.
            self.window.resize(*WINDOW)
            self.window.show()
            self.window.wait_idle()
            self.settle()
            self.details.setdefault("window", {})["build_s"] = now() - t0
            self.watch_paints()
            freeze_heap()
            self.details["window"]["gl"] = bool(self.window.surface.gl_ok)
            w = self.window
            self.details["window"]["sizes_px"] = {
                "screen": list(self.app.primaryScreen().geometry().getRect()[2:]),
                "window": [w.width(), w.height()],
                **{n: [getattr(w, n).width(), getattr(w, n).height()]
                   for n in ("contour", "surface", "loss_plot")}}
            self.details["window"]["gl_renderer"] = self._gl_renderer()
            if not self.window.surface.gl_ok:
                self.notes.append("OpenGL unavailable: the 3D view was not measured "
                                  f"({self.window.surface.message.text()})")
        return self.window

    def close_window(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.settle()
            self.window = None

    def _gl_renderer(self):
        try:
            from OpenGL import GL

            view = self.window.surface.view
            view.makeCurrent()
            name = GL.glGetString(GL.GL_RENDERER)
            view.doneCurrent()
            return name.decode() if isinstance(name, bytes) else str(name)
        except Exception:  # noqa: BLE001 - informational only
            return None

    def settle(self, n: int = 3) -> None:
        for _ in range(n):
            self.app.processEvents()

    def watch_paints(self) -> None:
        """Count paint events of the views (an event filter: gdviz is not touched)."""
        import pyqtgraph as pg

        from gdviz.ui.qt import QtCore

        class PaintCounter(QtCore.QObject):
            def __init__(self) -> None:
                super().__init__()
                self.labels: dict[int, str] = {}
                self.total = 0
                self.counts: dict[str, int] = {}

            def watch(self, widget, label: str) -> None:
                self.labels[id(widget)] = label
                widget.installEventFilter(self)

            def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
                if event.type() == QtCore.QEvent.Type.Paint:
                    label = self.labels.get(id(obj), "other")
                    self.counts[label] = self.counts.get(label, 0) + 1
                    self.total += 1
                return False

        w = self.window
        self.paints = PaintCounter()
        self.paints.watch(w.contour, "map")
        self.paints.watch(w.loss_plot, "loss_plot")
        if w.surface.gl_ok:
            self.paints.watch(w.surface.view, "surface_3d")
        from gdviz.ui.canvas import PlotCanvas

        # The lecture tab's plots (light canvases; any pyqtgraph view left, too).
        for view in w.findChildren(PlotCanvas):
            if view not in (w.contour, w.loss_plot):
                self.paints.watch(view, "other_2d")
        for view in w.findChildren(pg.GraphicsView):
            self.paints.watch(view.viewport(), "other_2d")

    def paint_pending(self, max_rounds: int = 12) -> dict:
        """Run the event loop until the window stops painting: everything the change made dirty
        is painted once, as in the app (Qt paints from the event loop; forcing a repaint before
        the scene has processed its dirty items would paint the views twice). Returns the
        paint events seen, per view."""
        before = dict(self.paints.counts)
        for i in range(max_rounds):
            total = self.paints.total
            self.app.processEvents()
            if i >= 1 and self.paints.total == total:
                break
        return {k: v - before.get(k, 0) for k, v in self.paints.counts.items()
                if v - before.get(k, 0)}


