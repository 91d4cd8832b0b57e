"""Measures of the numerical core: the compiled gradient against hand-written numpy and
against sympy per point, and the vectorized descent against a per-start loop. See ``run.py``."""

from __future__ import annotations

from bench_common import (
    BASIN_LR,
    BASIN_SIDE,
    BASIN_STEPS,
    LOSSES,
    Bench,
    freeze_heap,
    med,
    now,
    quiet_gc,
    repetitions,
    worst,
)


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

