#!/usr/bin/env python
"""gdviz performance benchmark (issue 6): gdviz side by side with what a student would use.

Every measure is a ratio of two timings taken in the same run, on the same loss and grid,
interleaved (A, B, A, B…) so machine noise hits both sides alike; each side is repeated and
the median used. Absolute times are in the JSON for reference only.

Usage::

    xvfb-run -a .venv/bin/python tests/benchmarks/run.py --quick --json /tmp/bench.json
    .venv/bin/python tests/benchmarks/run.py            # re-runs itself under xvfb-run

Options: ``--quick`` (fewer repetitions, losses rotate across repetitions; meant to finish
within a minute on 2 cores once gdviz meets its targets), ``--json PATH``, ``--only
SECTION[,SECTION]`` (grad_floor, naive, basins, redraw, frames, startup, rss), ``--profile DIR``
(cProfile of gdviz's loss edit, frames, compile job and start-up, written to DIR and
summarised on stdout).

Keys (targets from issue 6):

* ``redraw_ratio`` – matplotlib (Agg: Figure + FigureCanvasAgg) drawing the scene (contourf +
  contour + quiver + plot_surface + loss curve + the runs' paths + the Slice tab's plot, as
  gdviz's window shows it; same 256² grid, 18² arrows, same surface mesh as gdviz) ÷ gdviz
  from a loss edit to every view repainted (``apply_loss_text`` → the compiled loss installed
  → event loop until the window stops painting; the typeset formulas, which follow, are timed
  separately).
* ``frame_ratio`` – a matplotlib animation frame of that scene with 8 trajectories (line data
  updated, ``canvas.draw()``) ÷ a gdviz playback frame with 8 runs (``set_iteration(k)`` from
  ``k - PLAYBACK_STEPS``, the most a frame advances at the fastest playback speed, then the
  event loop until the window stops painting: map, 3D view, loss plot and the rest, each once;
  paint events are counted per view and kept in the JSON as evidence). Scrubs (a jump from the
  previous measured k, as dragging the slider does) are timed too and reported as
  ``details.frames.scrub_ratio``.
* ``frame_p95_ms_2d`` – 95th percentile of the gdviz frame time, 8 runs, 2D views only (the
  3D view's updates switched off).
* ``grad_floor_ratio`` – ``Loss.value_and_gradient`` on 1e6 points ÷ the same by hand in numpy.
* ``naive_ratio`` – sympy ``subs``/``evalf`` per point ÷ gdviz compiled value+gradient per point.
* ``basins_ratio`` – a Python loop of ``descend`` calls, one start each (gdviz's single-run
  path, float64 scalars), ÷ gdviz's vectorized descent of 256² starts × 200 Adam steps on
  Himmelblau as the basins map runs it (chunks of starts, each run's end kept, not its path);
  the loop is timed on a random subset of the starts and extrapolated per start. Also
  reported: all starts at once keeping every path (``details.basins.whole_paths_ratio``) and
  a loop of one-start batches through the numpy code (``numpy_loop_ratio``).
* ``startup_ratio`` – launch to first painted frame with the default loss (``main.py`` with
  ``GDVIZ_FIRST_FRAME_EXIT=1``) ÷ a bare PySide6 window's launch to first paint
  (``bare_window.py --first-frame``); the complete window (``--screenshot``) is in the JSON.
* ``peak_rss_mb_512`` – peak RSS of the window with a 512² grid and 8 runs (``rss_probe.py``).

For ratio keys measured on several losses the key is the worst loss; every loss's value is in
the JSON. Missed targets never fail the run (exit 0); only a crash does (exit 1).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from mpl_scene import MplScene  # noqa: E402 - needs the paths above

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
def ensure_display(argv: list[str]) -> None:
    """Re-run under xvfb-run when there is no display (once)."""
    if os.environ.get("DISPLAY"):
        return
    xvfb = shutil.which("xvfb-run")
    if xvfb is None or os.environ.get("GDVIZ_BENCH_REEXEC"):
        sys.exit("run.py: no DISPLAY and no xvfb-run: run it under Xvfb "
                 "(xvfb-run -a python tests/benchmarks/run.py)")
    os.environ["GDVIZ_BENCH_REEXEC"] = "1"
    # A 1920×1080 screen (a projector's) holds the benchmark's 1600×1000 window whole.
    cmd = [xvfb, "-a", "-s", "-screen 0 1920x1080x24", sys.executable,
           str(Path(__file__).resolve()), *argv]
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


# -- matplotlib: the same scene (mpl_scene.py) ------------------------------------------------
def scene_of(bench: Bench) -> dict:
    """What gdviz shows now (grid, colour values, range, arrows, surface mesh step)."""
    from gdviz.core.grid import gradient_field

    w = bench.window
    grid, shown = w._grid, w._shown
    surf = getattr(w.surface.surface, "_z", None) if w.surface.gl_ok else None
    n = shown.shape[0]
    if surf is not None and surf.shape[0] > 1:
        step = max(1, round((n - 1) / (surf.shape[0] - 1)))
    else:
        step = max(1, n // 96)
    field = gradient_field(w.controller.loss, grid.domain, QUIVER)
    scene = {"a": grid.a, "b": grid.b, "shown": shown, "levels": tuple(w._levels),
             "field": field, "mesh_step": step, "transform": w._transform,
             "mesh": [len(range(0, n, step))] * 2, "slice": None}
    view = _slice_view(w)
    if view is not None:
        c = w.controller
        scene["slice"] = {"loss": c.loss, "axis": view.slice_axis, "selected": c.selected,
                          "range": tuple(c.domain[view.slice_axis]),
                          "names": c.loss.variables}
        scene["slice_width"] = view.plot_widget.width() / max(w.contour.width(), 1)
    return scene


def _slice_view(w):
    """The lecture dock's Slice tab when the window shows it, else None."""
    view = w.derivatives.views.get("Slice")
    return view if view is not None and view.isVisible() else None


def figure_size(bench: Bench) -> tuple[int, int]:
    w = bench.window
    width = w.contour.width() + w.surface.width()
    height = max(w.contour.height(), w.surface.height()) + w.loss_plot.height()
    view = _slice_view(w)
    if view is not None:  # the slice plot as large as gdviz's
        width += view.plot_widget.width()
        height = max(height, view.plot_widget.height())
    return max(width, 400), max(height, 300)


# -- sections ---------------------------------------------------------------------------------
def bench_startup(bench: Bench) -> None:
    """startup_ratio: launch → first painted frame, gdviz (default loss) ÷ a bare PySide6 window.

    Both are timed the same way: the wall clock before the process is started, and the time
    the process reports for its first paint (gdviz: the map painted with the loss, printed
    by ``GDVIZ_FIRST_FRAME_EXIT=1``; bare: ``bare_window.py --first-frame``). The complete
    window (``main.py --screenshot``: 3D view, exact gradient, runs, formulas) is timed too, as
    detail. Python may write bytecode caches (as on a user's machine: every launch after the
    first uses them), and one launch of each is made first and not counted.
    """
    mn, mx, budget = bench.plan((3, 5, 6.0), (7, 15, 240.0))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["GDVIZ_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="gdviz-startup-")  # no autosave
    size = "1600x1000"
    png = os.path.join(bench.tmp, "startup_gdviz.png")
    first_g = [sys.executable, str(ROOT / "main.py"), "--size", size]
    first_b = [sys.executable, str(HERE / "bare_window.py"), "--first-frame", size]
    shot_g = [sys.executable, str(ROOT / "main.py"), "--screenshot", png, "--size", size]

    def first_frame(cmd, tag: str, extra: dict) -> float:
        t0 = time.time()
        proc = subprocess.run(cmd, cwd=str(ROOT), env={**env, **extra}, capture_output=True,
                              text=True, timeout=300)
        for line in proc.stderr.splitlines():
            if line.startswith(tag + " "):
                return float(line.split()[1]) - t0
        raise RuntimeError(f"{cmd[1]} reported no first frame ({proc.returncode}): "
                           f"{proc.stderr[-800:]}")

    def gdviz() -> float:
        return first_frame(first_g, "gdviz-first-frame", {"GDVIZ_FIRST_FRAME_EXIT": "1"})

    def bare() -> float:
        return first_frame(first_b, "bare-first-frame", {})

    def screenshot() -> float:
        t0 = now()
        proc = subprocess.run(shot_g, cwd=str(ROOT), env=env, capture_output=True, text=True,
                              timeout=300)
        if proc.returncode != 0 or not os.path.exists(png):
            raise RuntimeError(f"--screenshot failed ({proc.returncode}): {proc.stderr[-800:]}")
        return now() - t0

    bare(), gdviz(), screenshot()  # warm the file cache and the bytecode caches (not counted)
    gd, bb = [], []
    for i in repetitions(mn, mx, budget):
        pair = [(gd, gdviz), (bb, bare)]
        for times, fn in (pair if i % 2 == 0 else pair[::-1]):
            times.append(fn())
    complete = [screenshot() for _ in range(1 if bench.quick else 3)]
    bench.raw["startup"] = {"gdviz_first_frame_s": gd, "bare_first_frame_s": bb,
                            "gdviz_screenshot_s": complete}
    bench.keys["startup_ratio"] = med(gd) / med(bb)
    bench.details["startup"] = {
        "gdviz_first_frame_median_s": med(gd), "bare_first_frame_median_s": med(bb),
        "gdviz_complete_window_median_s": med(complete), "repetitions": len(gd),
        "gdviz_cmd": f"GDVIZ_FIRST_FRAME_EXIT=1 python main.py --size {size}",
        "bare_cmd": f"python tests/benchmarks/bare_window.py --first-frame {size}",
        "complete_cmd": f"python main.py --screenshot PNG --size {size}",
        "what": "launch to the first painted frame showing the default loss's map; the 3D "
                "view, exact gradient, runs and formulas follow (complete_window)"}


def bench_rss(bench: Bench) -> None:
    """peak_rss_mb_512: the window at a 512² grid with 8 runs, in its own process."""
    frames = 4 if bench.quick else 120
    cmd = [sys.executable, str(HERE / "rss_probe.py"), "--grid", "512", "--runs", str(N_RUNS),
           "--frames", str(frames), "--losses", "0" if bench.quick else "1"]
    proc = subprocess.run(cmd, cwd=str(ROOT), env=dict(os.environ), capture_output=True,
                          text=True, timeout=600)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RSS_PROBE ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"rss_probe failed ({proc.returncode}): {proc.stderr[-1500:]}")
    out = json.loads(line.split(" ", 1)[1])
    bench.keys["peak_rss_mb_512"] = out["peak_rss_mb"]
    out["note"] = ("peak_rss_mb is the probe's VmHWM; ru_maxrss_mb is getrusage's, which on "
                   "Linux also carries the high-water mark of the process that launched it "
                   "(this benchmark, after the 256²-start descent) across exec")
    bench.details["rss"] = out


def _hand_written():
    import numpy as np

    def lecture(a, b):
        s = np.sin(a)
        f = s * b * (1 - b)
        da = np.cos(a) * b * (1 - b)
        db = s * (1 - 2 * b)
        return f, da, db

    def rosenbrock(x, y):
        t = y - x * x
        f = (1 - x) ** 2 + 100 * t * t
        return f, -2 * (1 - x) - 400 * x * t, 200 * t

    def himmelblau(x, y):
        u = x * x + y - 11
        v = x + y * y - 7
        return u * u + v * v, 4 * x * u + 2 * v, 2 * u + 4 * y * v

    def rastrigin(x, y):
        tx, ty = 2 * np.pi * x, 2 * np.pi * y
        f = 20 + x * x - 10 * np.cos(tx) + y * y - 10 * np.cos(ty)
        return f, 2 * x + 20 * np.pi * np.sin(tx), 2 * y + 20 * np.pi * np.sin(ty)

    return {"lecture": lecture, "rosenbrock": rosenbrock, "himmelblau": himmelblau,
            "rastrigin": rastrigin}


_LOSSES: dict = {}


def preset_loss(name: str):
    """The compiled loss of preset ``name`` (parsed once per benchmark run)."""
    if name not in _LOSSES:
        from gdviz.core.loss import parse_loss
        from gdviz.core.presets import get_preset

        _LOSSES[name] = parse_loss(get_preset(name).loss)
    return _LOSSES[name]


def _points(name: str, n: int, seed: int = 0):
    import numpy as np

    from gdviz.core.presets import get_preset

    (a0, a1), (b0, b1) = get_preset(name).domain
    rng = np.random.default_rng(seed)
    return rng.uniform(a0, a1, n), rng.uniform(b0, b1, n)


def bench_grad_floor(bench: Bench) -> None:
    """grad_floor_ratio: compiled value+gradient on 1e6 points ÷ hand-written numpy."""
    import numpy as np

    mn, mx, budget = bench.plan((3, 7, 0.6), (15, 31, 6.0))
    hand = _hand_written()
    raw, by_loss = {}, {}
    for name in LOSSES:
        loss = preset_loss(name)
        a, b = _points(name, 1_000_000)
        ref, got = hand[name](a, b), loss.value_and_gradient(a, b)
        for r, g in zip(ref, got, strict=True):  # same numbers, or the comparison is void
            if not np.allclose(r, g, rtol=1e-9, atol=1e-9):
                raise AssertionError(f"hand-written {name} disagrees with gdviz")
        tg, th = [], []
        freeze_heap()
        for i in repetitions(mn, mx, budget):
            order = ((tg, loss.value_and_gradient), (th, hand[name]))
            for times, fn in (order if i % 2 == 0 else order[::-1]):
                quiet_gc()
                t0 = now()
                fn(a, b)
                times.append(now() - t0)
        raw[name] = {"gdviz_s": tg, "numpy_by_hand_s": th}
        by_loss[name] = med(tg) / med(th)
    bench.raw["grad_floor"] = raw
    bench.keys["grad_floor_ratio"] = worst(by_loss, "grad_floor_ratio")
    bench.details["grad_floor"] = {"by_loss": by_loss, "points": 1_000_000}


def bench_naive(bench: Bench) -> None:
    """naive_ratio: sympy subs/evalf per point ÷ gdviz compiled value+gradient per point."""
    n_sym = 24 if bench.quick else 200
    chunks = 3 if bench.quick else 8
    n_vec = 100_000
    raw, by_loss = {}, {}
    for name in LOSSES:
        loss = preset_loss(name)
        sa, sb = loss.symbols
        a, b = _points(name, n_sym, seed=1)
        av, bv = _points(name, n_vec, seed=2)
        exprs = (loss.expr, *loss.partials)
        ts, tv = [], []
        per = n_sym // chunks
        freeze_heap()
        for c in range(chunks):  # interleaved: a chunk of sympy points, a vectorized call
            quiet_gc()
            t0 = now()
            for x, y in zip(a[c * per:(c + 1) * per], b[c * per:(c + 1) * per], strict=True):
                subs = {sa: float(x), sb: float(y)}
                _ = [float(e.subs(subs).evalf()) for e in exprs]
            ts.append((now() - t0) / per)
            quiet_gc()
            t0 = now()
            loss.value_and_gradient(av, bv)
            tv.append((now() - t0) / n_vec)
        raw[name] = {"sympy_per_point_s": ts, "gdviz_per_point_s": tv}
        by_loss[name] = med(ts) / med(tv)
    bench.raw["naive"] = raw
    bench.keys["naive_ratio"] = worst(by_loss, "naive_ratio")
    bench.details["naive"] = {"by_loss": by_loss, "sympy_points_per_loss": n_sym,
                              "vectorized_points": n_vec,
                              "what": "value and both partials per point: "
                                      "expr.subs({a: x, b: y}).evalf() for f, df/da, df/db"}


def bench_basins(bench: Bench) -> None:
    """basins_ratio: a per-start loop (extrapolated) ÷ gdviz's vectorized descent."""
    import numpy as np

    from gdviz.core.basins import DEFAULT_CHUNK
    from gdviz.core.descent import descend
    from gdviz.core.presets import get_preset

    preset = get_preset("himmelblau")
    loss = preset_loss("himmelblau")
    (a0, a1), (b0, b1) = preset.domain
    A, B = np.meshgrid(np.linspace(a0, a1, BASIN_SIDE), np.linspace(b0, b1, BASIN_SIDE))
    starts = np.column_stack([A.ravel(), B.ravel()])
    n = len(starts)
    mn, mx, budget = bench.plan((1, 3, 4.0), (3, 7, 60.0))
    subset = 8 if bench.quick else 96
    rng = np.random.default_rng(3)
    tv, tp, tl, ts, steps_taken = [], [], [], [], []
    freeze_heap()
    for i in repetitions(mn, mx, budget):
        idx = rng.choice(n, subset, replace=False)

        def vectorized():
            # As gdviz's basins map descends: every start advanced together, a chunk of
            # starts at a time, keeping each run's end (not its whole path).
            for lo in range(0, n, DEFAULT_CHUNK):
                descend(loss, starts[lo:lo + DEFAULT_CHUNK], "adam", BASIN_LR, BASIN_STEPS,
                        path=False)

        def whole_paths():
            # All starts at once, keeping every step of every path (~1 GB): reported only.
            descend(loss, starts, "adam", BASIN_LR, BASIN_STEPS)

        def scalar_loop(idx=idx):
            # One start at a time through gdviz's single-run path (float64 scalars, the
            # fastest loop over starts there is in gdviz): a Python loop per start.
            for j in idx:
                traj = descend(loss, starts[j], "adam", BASIN_LR, BASIN_STEPS)
                steps_taken.append(int(traj.stop_step))

        def numpy_loop(idx=idx):
            # One start at a time through the numpy code (a batch of one): reported only.
            for j in idx:
                descend(loss, starts[j:j + 1], "adam", BASIN_LR, BASIN_STEPS)

        order = ((tv, vectorized, 1), (ts, scalar_loop, subset), (tl, numpy_loop, subset),
                 (tp, whole_paths, 1))
        for times, fn, per in (order if i % 2 == 0 else order[::-1]):
            quiet_gc()
            t0 = now()
            fn()
            times.append((now() - t0) / per)
    loop_total = med(ts) * n
    bench.raw["basins"] = {"vectorized_s": tv, "whole_paths_s": tp,
                           "scalar_loop_per_start_s": ts, "numpy_loop_per_start_s": tl}
    bench.keys["basins_ratio"] = loop_total / med(tv)
    bench.details["basins"] = {
        "starts": n, "steps": BASIN_STEPS, "optimizer": "adam", "lr": BASIN_LR,
        "loss": preset.loss, "vectorized_median_s": med(tv), "chunk": DEFAULT_CHUNK,
        "vectorized_note": "descend(..., path=False) on chunks of starts, as gdviz.core.basins",
        "loop_extrapolated_s": loop_total, "loop_starts_timed_per_rep": subset,
        "loop_note": "gdviz's single-run descend (float64 scalars), one start at a time",
        "loop_mean_steps_taken": float(np.mean(steps_taken)) if steps_taken else None,
        "whole_paths_median_s": med(tp),
        "whole_paths_ratio": loop_total / med(tp),
        "numpy_loop_extrapolated_s": med(tl) * n,
        "numpy_loop_ratio": med(tl) * n / med(tv),
        "old_measure_ratio": med(tl) * n / med(tp),
        "old_measure_note": "the key until 2026-12-03: a loop of one-start batches through "
                            "the numpy code ÷ all starts at once keeping every path",
        "extrapolated": True,
        "note": f"the loops were timed on {subset} random starts per repetition and their "
                f"median time per start multiplied by {n}"}


def bench_redraw(bench: Bench) -> None:
    """redraw_ratio: matplotlib same scene ÷ gdviz loss edit → every view repainted."""
    from gdviz.core.presets import get_preset

    w = bench.get_window()
    size = figure_size(bench)
    # quick: the losses rotate across repetitions (one pair each); full: several per loss
    mn, mx, budget = bench.plan((4, 8, 6.0), (12, 24, 240.0))
    raw = {name: {"gdviz_s": [], "matplotlib_s": [], "texts": [], "gdviz_paints": []}
           for name in LOSSES}
    current = None
    meshes = {}
    for i in repetitions(mn, mx, budget):
        name = LOSSES[i % len(LOSSES)]
        if name != current:  # the preset's domain, shown by the next edit (not timed)
            _use_domain(bench, get_preset(name).domain)
            current = name
        # A new text every time (a scale factor), so no cache could serve it.
        text = f"{1 + (i + 1) / 1000:.3f}*({get_preset(name).loss})"
        bench.paint_pending()
        quiet_gc()
        t0 = now()
        before = dict(bench.paints.counts)
        applied_at = wait_for_loss(bench, text)  # compiles (thread), applies, samples
        bench.paint_pending()
        tg = now() - t0
        # The typeset formulas follow the views (not part of the measure): when do they come?
        w.wait_idle()
        formulas_at = w.loss_panel.formulas_shown_at
        raw[name].setdefault("formulas_s", []).append(
            (formulas_at - t0) if formulas_at is not None and formulas_at > t0 else None)
        raw[name].setdefault("compiled_s", []).append(applied_at - t0)
        paints = {k: v - before.get(k, 0) for k, v in bench.paints.counts.items()
                  if v - before.get(k, 0)}
        if w.controller.loss is None or w.controller.loss.text != text:
            raise RuntimeError(f"gdviz did not apply {text!r}")
        scene = scene_of(bench)
        meshes[name] = scene["mesh"]
        runs = [r for r in w.controller.runs if r.trajectory is not None]
        quiet_gc()
        t0 = now()
        mpl = MplScene(scene, runs, size)
        mpl.frame(w.controller.iteration)  # the runs' paths as gdviz draws them
        mpl.draw()
        tm = now() - t0
        raw[name]["gdviz_s"].append(tg)
        raw[name]["matplotlib_s"].append(tm)
        raw[name]["texts"].append(text)
        raw[name]["gdviz_paints"].append(paints)
    by_loss = {n: med(r["matplotlib_s"]) / med(r["gdviz_s"]) for n, r in raw.items()
               if r["gdviz_s"]}
    all_g = [t for r in raw.values() for t in r["gdviz_s"]]
    all_m = [t for r in raw.values() for t in r["matplotlib_s"]]
    bench.raw["redraw"] = raw
    bench.keys["redraw_ratio"] = worst(by_loss, "redraw_ratio")
    formulas = [t for r in raw.values() for t in r.get("formulas_s", []) if t is not None]
    compiled = [t for r in raw.values() for t in r.get("compiled_s", [])]
    bench.details["redraw"] = {
        "by_loss": by_loss, "pooled_ratio": med(all_m) / med(all_g),
        "gdviz_compiled_median_s": med(compiled),
        "gdviz_formulas_shown_median_s": med(formulas),
        "formulas_note": "the typeset formulas follow the views; gdviz_s stops when every view "
                         "has repainted, formulas_s is when the loss panel showed them",
        "gdviz_median_s": med(all_g), "matplotlib_median_s": med(all_m),
        "figure_px": list(size), "surface_mesh": meshes, "grid": GRID, "quiver": QUIVER,
        "order": "gdviz then matplotlib for each repetition; losses rotate",
        "gdviz_paints": paint_summary([p for r in raw.values() for p in r["gdviz_paints"]]),
        "matplotlib_excludes": "sampling the grid (arrays handed over ready)"}


def wait_for_loss(bench: Bench, text: str) -> float:
    """Apply ``text`` as Enter does and block (without spinning the GUI thread, which would
    compete with the compile thread) until the window has installed the compiled loss; return
    the time it was installed."""
    from gdviz.ui.qt import QtCore

    w = bench.window
    loop = QtCore.QEventLoop()
    seen: list[float] = []

    def done(*_args) -> None:
        seen.append(now())
        loop.quit()

    c = w.controller
    c.lossChanged.connect(done)  # after the window's own handler (connected first)
    c.lossFailed.connect(done)
    QtCore.QTimer.singleShot(30000, loop.quit)
    try:
        w.apply_loss_text(text)
        if not seen:
            loop.exec()
    finally:
        c.lossChanged.disconnect(done)
        c.lossFailed.disconnect(done)
    if not seen:
        raise RuntimeError(f"gdviz did not apply {text!r} within 30 s")
    return seen[0]


def _use_domain(bench: Bench, domain) -> None:
    """Make ``domain`` the map's range without re-sampling (the next loss edit samples it)."""
    from gdviz.core.grid import check_domain

    w = bench.window
    w.controller.domain = check_domain(domain)
    w.contour.fit(w.controller.domain)


def _setup_runs(bench: Bench, name: str):
    """Preset ``name``'s loss and domain with 8 runs (its settings, starts spread over the
    domain), installed with one compile, one re-sample and one recompute (not timed)."""
    from gdviz.core.presets import get_preset
    from gdviz.core.session import RunSpec
    from gdviz.ui.colors import RUN_COLORS
    from gdviz.ui.controller import Run

    w = bench.window
    preset = get_preset(name)
    c = w.controller
    c.pause()
    (a0, a1), (b0, b1) = preset.domain
    fractions = [(0.5, 0.5), (0.2, 0.8), (0.8, 0.2), (0.3, 0.3), (0.7, 0.7), (0.15, 0.5),
                 (0.85, 0.5), (0.5, 0.15)]
    runs = [Run(RunSpec(optimizer=preset.optimizer, lr=preset.lr, steps=preset.steps,
                        start=tuple(preset.start) if i == 0 else
                        (a0 + fa * (a1 - a0), b0 + fb * (b1 - b0)), color=RUN_COLORS[i]))
            for i, (fa, fb) in enumerate(fractions[:N_RUNS])]
    c.runs, c.selected, c.iteration = runs, 0, 0
    _use_domain(bench, preset.domain)
    w.apply_loss_text(preset.loss)  # compiles, samples, recomputes the 8 runs
    w.wait_idle()
    bench.settle()
    if len(c.runs) != N_RUNS or w.controller.loss.text != preset.loss:
        raise RuntimeError(f"set-up of {name} failed ({len(c.runs)} runs)")
    return c


def _frame_ks(c, count: int) -> list[int]:
    import numpy as np

    last = max(c.max_iteration, 1)
    ks = np.linspace(1, last, count).astype(int)
    return [int(k) for k in ks]


# A playback frame shows the step the clock has reached: at most 120 steps/s (the fastest
# speed) over ~60 frames/s, so an animation frame advances by up to two steps.
PLAYBACK_STEPS = 2


def _go_to(bench: Bench, c, k: int) -> None:
    """Make sure set_iteration(k) will change something (not timed)."""
    if c.iteration == k:
        c.set_iteration(k - 1 if k > 0 else k + 1)
    bench.paint_pending()


def bench_frames(bench: Bench) -> None:
    """frame_ratio (2D + 3D vs matplotlib) and frame_p95_ms_2d (gdviz 2D views only)."""
    bench.get_window()
    size = figure_size(bench)
    pairs = 2 if bench.quick else 12
    n2d = 5 if bench.quick else 60
    raw = {}
    for name in LOSSES:
        t_setup = now()
        c = _setup_runs(bench, name)
        t_setup = now() - t_setup
        t_mpl = now()
        scene = scene_of(bench)
        mpl = MplScene(scene, list(c.runs), size)
        mpl.draw()  # first draw builds caches: not counted
        t_mpl = now() - t_mpl
        freeze_heap()
        tg, tm, t2, pg_, p2, ts = [], [], [], [], [], []
        ks = [max(k, PLAYBACK_STEPS) for k in _frame_ks(c, pairs)]
        for i, k in enumerate(ks):
            steps = ["g", "m"]
            for side in (steps if i % 2 == 0 else steps[::-1]):
                quiet_gc()
                if side == "g":
                    # A scrub: from the last frame's step straight to k (the slider dragged).
                    _go_to(bench, c, k)
                    t0 = now()
                    c.set_iteration(k)
                    bench.paint_pending()
                    ts.append(now() - t0)
                    # A playback frame: the step before (not timed), then k.
                    c.set_iteration(k - PLAYBACK_STEPS)
                    bench.paint_pending()
                    quiet_gc()
                    t0 = now()
                    c.set_iteration(k)
                    paints = bench.paint_pending()
                    tg.append(now() - t0)
                    pg_.append(paints)
                else:
                    t0 = now()
                    mpl.frame(k)
                    mpl.draw()
                    tm.append(now() - t0)
        # 2D only: the GL view's updates are switched off meanwhile, so it is not rendered;
        # set_iteration's work (including what it computes for the 3D view) is counted.
        gl_view = bench.window.surface.view if bench.window.surface.gl_ok else None
        if gl_view is not None:
            gl_view.setUpdatesEnabled(False)
        try:
            for k in _frame_ks(c, n2d):
                _go_to(bench, c, k)
                quiet_gc()
                t0 = now()
                c.set_iteration(k)
                p2.append(bench.paint_pending())
                t2.append(now() - t0)
        finally:
            if gl_view is not None:
                gl_view.setUpdatesEnabled(True)
        raw[name] = {"gdviz_frame_s": tg, "matplotlib_frame_s": tm, "gdviz_2d_frame_s": t2,
                     "gdviz_scrub_frame_s": ts,
                     "iterations": ks, "max_iteration": int(c.max_iteration),
                     "runs": len(c.runs), "gdviz_setup_s": t_setup,
                     "matplotlib_setup_s": t_mpl, "gdviz_frame_paints": pg_,
                     "gdviz_2d_frame_paints": p2}
        del mpl
    by_loss = {n: med(r["matplotlib_frame_s"]) / med(r["gdviz_frame_s"]) for n, r in raw.items()}
    scrub = {n: med(r["matplotlib_frame_s"]) / med(r["gdviz_scrub_frame_s"])
             for n, r in raw.items()}
    all_2d = [t for r in raw.values() for t in r["gdviz_2d_frame_s"]]
    all_g = [t for r in raw.values() for t in r["gdviz_frame_s"]]
    all_m = [t for r in raw.values() for t in r["matplotlib_frame_s"]]
    bench.raw["frames"] = raw
    bench.keys["frame_ratio"] = worst(by_loss, "frame_ratio")
    bench.keys["frame_p95_ms_2d"] = 1000.0 * p95(all_2d)
    bench.details["frames"] = {
        "by_loss": by_loss, "pooled_ratio": med(all_m) / med(all_g),
        "scrub_ratio_by_loss": scrub, "scrub_ratio": min(scrub.values()),
        "gdviz_scrub_median_ms": 1000 * med([t for r in raw.values()
                                             for t in r["gdviz_scrub_frame_s"]]),
        "playback_steps": PLAYBACK_STEPS,
        "gdviz_median_ms": 1000 * med(all_g), "matplotlib_median_ms": 1000 * med(all_m),
        "gdviz_2d_median_ms": 1000 * med(all_2d),
        "p95_ms_2d_by_loss": {n: 1000 * p95(r["gdviz_2d_frame_s"]) for n, r in raw.items()},
        "figure_px": list(size), "runs": N_RUNS,
        "gdviz_paints": paint_summary([p for r in raw.values() for p in r["gdviz_frame_paints"]]),
        "gdviz_2d_paints": paint_summary([p for r in raw.values()
                                          for p in r["gdviz_2d_frame_paints"]]),
        "frames": "iterations k spread evenly over each animation (short and long paths); "
                  "gdviz: a playback frame from k - playback_steps to k (frame_ratio) and a "
                  "scrub from the previous k (scrub_ratio); matplotlib redraws the scene at k"}


def profile_gdviz(bench: Bench, folder: str) -> None:
    """cProfile of gdviz's loss edit and frames; writes .prof files and prints summaries."""
    import cProfile
    import io
    import pstats

    from gdviz.core.presets import get_preset

    os.makedirs(folder, exist_ok=True)
    w = bench.get_window()

    def report(prof, path, title):
        prof.dump_stats(path)
        for order in ("cumulative", "tottime"):
            s = io.StringIO()
            pstats.Stats(prof, stream=s).strip_dirs().sort_stats(order).print_stats(28)
            print(f"\n===== profile: {title} (by {order}) → {path}\n{s.getvalue()}")

    _use_domain(bench, get_preset("rosenbrock").domain)
    prof = cProfile.Profile()
    for k, name in enumerate(LOSSES):
        text = f"{1.5 + k / 100:.3f}*({get_preset(name).loss})"
        prof.enable()
        wait_for_loss(bench, text)
        bench.paint_pending()
        prof.disable()
        w.wait_idle()  # the typesetting that follows, outside the profile
    report(prof, os.path.join(folder, "redraw.prof"), "4 loss edits → every view repainted")
    c = _setup_runs(bench, "rosenbrock")
    prof = cProfile.Profile()
    for k in _frame_ks(c, 30):
        _go_to(bench, c, k)
        prof.enable()
        c.set_iteration(k)
        bench.paint_pending()
        prof.disable()
    report(prof, os.path.join(folder, "frames.prof"), "30 frames, 8 runs, 2D + 3D")

    # The compile job normally runs on the worker thread, where cProfile does not look: run the
    # same work here, synchronously (the compile; then the typesetting, which follows later).
    try:
        from gdviz.ui.compile_worker import compile_loss

        prof = cProfile.Profile()
        for k, name in enumerate(LOSSES):
            text = f"{2.5 + k / 100:.3f}*({get_preset(name).loss})"
            prof.enable()
            loss = compile_loss(text, None)
            w.worker.render(loss)
            prof.disable()
        report(prof, os.path.join(folder, "compile_job.prof"),
               "the compile worker's work for 4 losses (parse, differentiate, compile, typeset)")
    except Exception as err:  # noqa: BLE001 - informational only
        print(f"(compile work not profiled: {err!r})")

    # Start-up, in its own process.
    path = os.path.join(folder, "startup.prof")
    png = os.path.join(bench.tmp, "profile_startup.png")
    subprocess.run([sys.executable, "-m", "cProfile", "-o", path, str(ROOT / "main.py"),
                    "--screenshot", png, "--size", "1600x1000"], cwd=str(ROOT),
                   env=dict(os.environ), check=True, capture_output=True, timeout=300)
    for order in ("cumulative", "tottime"):
        s = io.StringIO()
        pstats.Stats(path, stream=s).strip_dirs().sort_stats(order).print_stats(35)
        print(f"\n===== profile: python main.py --screenshot (by {order}) → {path}\n"
              f"{s.getvalue()}")


# -- report -----------------------------------------------------------------------------------
def verdict(key: str, value: float) -> str:
    if value != value:
        return "n/a"
    op, target, _ = TARGETS[key]
    ok = value >= target if op == ">=" else value <= target
    return "pass" if ok else "FAIL"


def run_profile(bench: Bench, folder: str) -> None:
    t0 = now()
    try:
        profile_gdviz(bench, folder)
    except Exception as err:  # noqa: BLE001
        bench.errors["profile"] = "".join(traceback.format_exception(err))
        print(bench.errors["profile"])
    bench.elapsed["profile"] = now() - t0


def print_table(bench: Bench) -> None:
    rows = [("key", "value", "target", "result")]
    for key, (op, target, unit) in TARGETS.items():
        if key in bench.keys:
            v = bench.keys[key]
            rows.append((key, f"{v:.4g} {unit}", f"{op} {target:g} {unit}", verdict(key, v)))
        elif any(key in SECTION_KEYS[s] for s in bench.errors):
            rows.append((key, "error", f"{op} {target:g} {unit}", "ERROR"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    line = "  ".join("-" * n for n in widths)
    print()
    for j, r in enumerate(rows):
        print("  ".join(c.ljust(n) for c, n in zip(r, widths, strict=True)))
        if j == 0:
            print(line)
    print()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(description="gdviz performance benchmark (issue 6)")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (< 60 s)")
    p.add_argument("--json", metavar="PATH", help="write keys, raw times and machine here")
    p.add_argument("--only", metavar="SECTIONS",
                   help=f"comma-separated subset of: {', '.join(SECTIONS)}")
    p.add_argument("--profile", metavar="DIR", help="also cProfile gdviz (loss edit, frames)")
    args = p.parse_args(argv)
    ensure_display(argv)
    only = SECTIONS if not args.only else tuple(s.strip() for s in args.only.split(","))
    unknown = set(only) - set(SECTIONS)
    if unknown:
        p.error(f"unknown section(s): {', '.join(sorted(unknown))}")

    t_start = now()
    tmp = tempfile.mkdtemp(prefix="gdviz-bench-")
    configure_env(os.path.join(tmp, "settings"))
    os.makedirs(os.environ["GDVIZ_SETTINGS_DIR"], exist_ok=True)
    bench = Bench(args.quick, tmp)
    load_start = list(os.getloadavg())
    print(f"gdviz benchmark ({'quick' if args.quick else 'full'}) on "
          f"{os.cpu_count()} CPUs, DISPLAY={os.environ.get('DISPLAY')}", flush=True)
    runners = {"startup": bench_startup, "rss": bench_rss, "grad_floor": bench_grad_floor,
               "naive": bench_naive, "basins": bench_basins, "redraw": bench_redraw,
               "frames": bench_frames}
    for section in SECTIONS:
        if section not in only:
            continue
        if section == "startup" and args.profile:
            run_profile(bench, args.profile)
        if section in ("startup", "rss"):
            bench.close_window()
        t0 = now()
        print(f"  {section} …", end="", flush=True)
        try:
            runners[section](bench)
            done = ", ".join(f"{k}={bench.keys[k]:.4g}" for k in SECTION_KEYS[section]
                             if k in bench.keys)
            print(f" {now() - t0:.1f} s  {done}", flush=True)
        except Exception as err:  # noqa: BLE001 - report, go on, exit non-zero at the end
            bench.errors[section] = "".join(traceback.format_exception(err))
            print(f" CRASHED after {now() - t0:.1f} s:\n{bench.errors[section]}", flush=True)
        bench.elapsed[section] = now() - t0
    if args.profile and "profile" not in bench.elapsed:
        run_profile(bench, args.profile)
    total = now() - t_start
    print_table(bench)
    print(f"total {total:.1f} s")
    if args.json:
        from gdviz.core.presets import get_preset

        machine = machine_info()
        machine["load_average_at_start"] = load_start
        machine["gl_renderer"] = bench.details.get("window", {}).get("gl_renderer")
        out = {
            **{k: bench.keys.get(k) for k in TARGETS},
            "targets": {k: {"op": op, "target": t, "unit": u,
                            "result": verdict(k, bench.keys[k]) if k in bench.keys else None}
                        for k, (op, t, u) in TARGETS.items()},
            "mode": "quick" if args.quick else "full",
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine,
            "losses": {n: get_preset(n).loss for n in LOSSES},
            "details": bench.details, "raw": bench.raw, "notes": bench.notes,
            "errors": bench.errors, "section_seconds": bench.elapsed, "total_seconds": total,
        }
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=1, default=float)
        print(f"wrote {args.json}")
    bench.close_window()
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main())
