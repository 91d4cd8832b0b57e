"""Measures that launch processes: start-up (gdviz against a bare PySide6 window) and peak
memory (``rss_probe.py``). See ``run.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

from bench_common import (
    HERE,
    N_RUNS,
    ROOT,
    Bench,
    med,
    now,
    repetitions,
)


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
    # A settings folder of its own (no autosave), inside the run's folder, which is removed.
    env["GDVIZ_SETTINGS_DIR"] = tempfile.mkdtemp(prefix="startup-settings-", dir=bench.tmp)
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

