"""Measures of the window against matplotlib drawing the same scene: a loss edit until every
view has repainted (redraw) and playback frames; and a cProfile of both. See ``run.py``."""

from __future__ import annotations

import os
import subprocess
import sys

from bench_common import (
    GRID,
    LOSSES,
    N_RUNS,
    QUIVER,
    ROOT,
    Bench,
    freeze_heap,
    med,
    now,
    p95,
    paint_summary,
    quiet_gc,
    repetitions,
    worst,
)
from mpl_scene import MplScene


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
        # A map picture too costly for a frame is made in the background (a stand-in shown
        # meanwhile): the edit is done when it is painted.
        background = w.contour.picture.pending
        if background:
            w.contour.picture.wait()
            bench.paint_pending()
        tg = now() - t0
        raw[name].setdefault("background_pictures", []).append(bool(background))
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
        "matplotlib_excludes": "sampling the grid (arrays handed over ready)",
        "background_pictures": sum(sum(r.get("background_pictures", [])) for r in raw.values())}


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
        # (a playback frame, as frame_ratio times it: from k − PLAYBACK_STEPS to k; the
        # profile once took scrubs, whose trail is drawn afresh, for frames)
        c.set_iteration(max(k - PLAYBACK_STEPS, 0))
        bench.paint_pending()
        prof.enable()
        c.set_iteration(k)
        bench.paint_pending()
        prof.disable()
    report(prof, os.path.join(folder, "frames.prof"), "30 playback frames, 8 runs, 2D + 3D")

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


