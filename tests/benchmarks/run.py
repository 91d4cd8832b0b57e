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
import json
import os
import shutil
import sys
import tempfile
import traceback

# (Run as a script, this folder is on the path; bench_common puts the repository there too.)
from bench_common import (
    LOSSES,
    SECTION_KEYS,
    SECTIONS,
    TARGETS,
    Bench,
    configure_env,
    ensure_display,
    machine_info,
    now,
)
from compute_measures import bench_basins, bench_grad_floor, bench_naive
from launch_measures import bench_rss, bench_startup
from view_measures import bench_frames, bench_redraw, profile_gdviz


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
    ensure_display(__file__, argv)
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

