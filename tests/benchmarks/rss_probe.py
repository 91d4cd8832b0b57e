"""Peak memory of the real window on a fine grid with the most runs (run by ``run.py``).

Builds the window with ``gdviz.ui.window_sampling.GRID_SIZE`` patched to ``--grid`` (512), loads
the preset ``--preset``, adds runs up to ``--runs`` (8), steps through ``--frames`` frames of
the animation (spread over the whole path, ending on the last one), re-applies each of the
benchmark's losses once, and prints one JSON line with the peak RSS in MB.

The peak is this process's ``VmHWM`` (/proc/self/status). ``getrusage(RUSAGE_SELF).ru_maxrss``
is reported too, but on Linux it keeps the high-water mark of the process image that exec'd
this one: started from a parent that once held 1 GB, it says 1 GB whatever this does.

Usage: ``python tests/benchmarks/rss_probe.py [--grid 512] [--runs 8] [--frames 40]``
(needs a display; ``run.py`` runs it under its own Xvfb).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LOSSES = ("lecture", "rosenbrock", "himmelblau", "rastrigin")


def vm_hwm_mb(pid: str = "self") -> float | None:
    """Peak resident set size of a process's current image (VmHWM), in MB."""
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def children_peak_mb() -> dict:
    """Peak RSS (VmHWM) of this process's live children, e.g. gdviz's sandbox process."""
    out = {}
    me = str(os.getpid())
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="utf-8") as fh:
                status = dict(line.split(":", 1) for line in fh if ":" in line)
        except OSError:
            continue
        if status.get("PPid", "").strip() == me and "VmHWM" in status:
            kb = float(status["VmHWM"].split()[0])
            out[f"{status.get('Name', '?').strip()}:{entry}"] = kb / 1024.0
    return out


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--grid", type=int, default=512)
    p.add_argument("--runs", type=int, default=8)
    p.add_argument("--frames", type=int, default=40)
    p.add_argument("--preset", default="rosenbrock")
    p.add_argument("--losses", type=int, default=1,
                   help="1: also apply each benchmark loss once (with 8 runs); 0: skip")
    args = p.parse_args()
    t0 = time.perf_counter()

    import numpy as np

    import gdviz.ui.main_window as mw
    import gdviz.ui.window_sampling as sampling
    from gdviz.core.presets import get_preset
    from gdviz.core.session import RunSpec
    from gdviz.ui.app import make_app

    stages = {}

    def stage(name: str) -> None:  # peak so far, to see which step raised it
        stages[name] = vm_hwm_mb()

    sampling.GRID_SIZE = args.grid  # before the window samples anything
    app = make_app()
    window = mw.MainWindow(restore=False)
    window.show()
    window.wait_idle()
    app.processEvents()
    stage("window_shown")
    preset = get_preset(args.preset)
    window.load_preset(preset.name)
    window.wait_idle()
    stage("preset_loaded")
    c = window.controller
    (a0, a1), (b0, b1) = preset.domain
    fractions = [(0.2, 0.8), (0.8, 0.2), (0.3, 0.3), (0.7, 0.7), (0.15, 0.5), (0.85, 0.5),
                 (0.5, 0.15), (0.5, 0.85), (0.6, 0.4)]
    i = 0
    while len(c.runs) < args.runs:
        fa, fb = fractions[i % len(fractions)]
        i += 1
        c.add_run(RunSpec(optimizer=preset.optimizer, lr=preset.lr, steps=preset.steps,
                          start=(a0 + fa * (a1 - a0), b0 + fb * (b1 - b0))))
    app.processEvents()
    stage("runs_added")
    last = c.max_iteration
    ks = sorted({int(k) for k in np.linspace(1, max(last, 1), max(args.frames, 1))})
    for k in ks:
        c.set_iteration(k)
        window.contour.repaint()
        window.loss_plot.repaint()
        if window.surface.gl_ok:
            window.surface.view.repaint()
        app.processEvents()
    stage("frames_stepped")
    shape = None if window._grid is None else list(window._grid.values.shape)
    # every loss of the benchmark on the fine grid, 8 runs each
    for name in LOSSES if args.losses else ():
        window.apply_loss_text(get_preset(name).loss)
        window.wait_idle()
        c.set_iteration(c.max_iteration)
        app.processEvents()
        stage(f"loss_{name}")
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    hwm = vm_hwm_mb()
    out = {"peak_rss_mb": hwm if hwm is not None else maxrss_kb / 1024.0,
           "peak_rss_source": "VmHWM" if hwm is not None else "ru_maxrss",
           "ru_maxrss_mb": maxrss_kb / 1024.0, "children_peak_rss_mb": children_peak_mb(),
           "peak_rss_mb_after": stages, "grid": args.grid, "grid_shape": shape,
           "runs": len(c.runs), "frames": len(ks), "max_iteration": int(last),
           "preset": preset.name, "gl": bool(window.surface.gl_ok),
           "elapsed_s": time.perf_counter() - t0, "pid": os.getpid()}
    window.close()
    print("RSS_PROBE " + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
