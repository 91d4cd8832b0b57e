"""A run's entry in the runs list: its name, optimizer and η, how else it differs, its status
(:func:`run_title`, :func:`run_title_parts`)."""

from __future__ import annotations

from gdviz.core.optimizers import OPTIMIZERS
from gdviz.core.schedules import DEFAULT_DECAY, DEFAULT_DECAY_STEPS
from gdviz.ui.numbers import short_number, typed_number

SHORT_LABELS = {"nesterov": "Nesterov"}
"""Optimizers named shorter in a run's title than in the menu."""
HYPER_SYMBOLS = {"momentum": "μ", "rho": "ρ", "beta1": "β₁", "beta2": "β₂", "eps": "ε"}


def off_map_end(trajectory, domain) -> tuple[float, float] | None:
    """Where a run that used all its steps with nothing else to say of it ("stopped after
    200 steps"), or converged, ended outside ``domain`` (``((a0, a1), (b0, b1))``), or None.

    The lecture's loss from (π/2, 0.2) at η = 0.3 flew to (473, −74.6) at its first steps
    and ended at (859, 0.5): "stopped after 200 steps" alone, the map showing it nowhere;
    exp(10x) + y² "converged at step 16" at x = −66,000, where f only levels off.
    """
    if trajectory is None or domain is None or not len(trajectory.points):
        return None
    message = trajectory.message() if trajectory.points.ndim != 3 else ""
    if not (message.startswith("stopped after") and "(" not in message
            or message.startswith("converged at")):
        return None
    a, b = (float(v) for v in trajectory.points[-1])
    (a0, a1), (b0, b1) = domain
    if not (a1 > a0 and b1 > b0) or not (a == a and b == b):  # (no domain; NaN)
        return None
    return None if a0 <= a <= a1 and b0 <= b <= b1 else (a, b)


def run_title(index: int, run, domain=None) -> str:
    """Legend entry, e.g. "Run 1 · Adam η=0.1 — converged at step 40".

    A run on a difference quotient, with noise, a schedule or hyperparameters other than
    its optimizer's defaults says so ("Run 2 · Momentum η=0.3 μ=0.5, cosine — …"): two runs
    that differ only there must not read the same (μ = 0.5 and 0.9 did).
    """
    head, how, status = run_title_parts(index, run, domain)
    return f"{head}{', ' + how if how else ''} — {status}"


def run_title_parts(index: int, run, domain=None) -> tuple[str, str, str]:
    """:func:`run_title`'s three parts: the run and its optimizer ("Run 2 · Momentum η=0.3
    μ=0.5"), how it differs otherwise ("cosine, forward h=0.5", or ""), and its status
    (where it ended, past the map's ``domain``: :func:`off_map_end`)."""
    spec = run.spec
    opt = OPTIMIZERS[spec.optimizer]
    title = spec.name or f"Run {index + 1}"
    status = run.note or (run.trajectory.message() if run.trajectory is not None else "")
    if not run.note and (end := off_map_end(run.trajectory, domain)) is not None:
        status += f", off the map at ({short_number(end[0], 3)}, {short_number(end[1], 3)})"
    hyper = "".join(f" {HYPER_SYMBOLS.get(k, k)}={v:g}" for k, v in spec.hyper.items()
                    if k in opt.hyper and v != opt.hyper[k])
    how = "" if spec.schedule == "constant" else f", {spec.schedule.replace('_', ' ')}"
    if spec.schedule in DEFAULT_DECAY and (spec.decay is not None or spec.decay_steps):
        every = spec.decay_steps or DEFAULT_DECAY_STEPS
        how += f" ×{DEFAULT_DECAY[spec.schedule] if spec.decay is None else spec.decay:g}" + (
            f" every {every}" if spec.schedule == "step" else "")
    if spec.gradient != "symbolic":
        how += f", {spec.gradient} h={typed_number(spec.fd_h)}"
    if spec.noise > 0:
        how += f", noise σ={typed_number(spec.noise)}"
    # ("Nesterov" in the list: "Run 5 · Nesterov momentum η=0.…" lost its η at the edge)
    label = SHORT_LABELS.get(opt.name, opt.label)
    return f"{title} · {label} η={typed_number(spec.lr)}{hyper}", how[2:], status
