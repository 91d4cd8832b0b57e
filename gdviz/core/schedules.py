"""Learning-rate schedules: the factor applied to the base learning rate at step k."""

from __future__ import annotations

import math

SCHEDULES: dict[str, str] = {
    "constant": "η_k = η",
    "step": "η_k = η · decay^⌊k / decay_steps⌋",
    "exponential": "η_k = η · decay^k",
    "cosine": "η_k = η · (1 + cos(π k / K)) / 2",
    "inverse_sqrt": "η_k = η / √(1 + k)",
}
DEFAULT_DECAY = {"step": 0.5, "exponential": 0.97}
DEFAULT_DECAY_STEPS = 25


def schedule_factor(name: str, k: int, total: int, decay: float | None = None,
                    decay_steps: int | None = None) -> float:
    """Multiplier of the base learning rate at step ``k`` of ``total``.

    Parameters
    ----------
    name
        One of :data:`SCHEDULES`.
    k
        Step index, from 0.
    total
        Number of steps planned (the cosine schedule reaches 0 there).
    decay, decay_steps
        Factor and period for ``step`` and ``exponential`` (defaults 0.5 and 25, or 0.97).
    """
    if name == "constant":
        return 1.0
    if name == "step":
        d = DEFAULT_DECAY["step"] if decay is None else decay
        return d ** (k // max(int(decay_steps or DEFAULT_DECAY_STEPS), 1))
    if name == "exponential":
        return (DEFAULT_DECAY["exponential"] if decay is None else decay) ** k
    if name == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * min(k, total) / max(total, 1)))
    if name == "inverse_sqrt":
        return 1.0 / math.sqrt(1.0 + k)
    raise ValueError(f"unknown schedule '{name}' (choose from {', '.join(SCHEDULES)})")


def schedule_rule(name: str, decay: float | None = None, decay_steps: int | None = None,
                  total: int = 200) -> tuple[str, str] | None:
    """The schedule's line under an update rule, with the run's numbers: ``(latex, plain)``,
    or None for a constant η (the rule then says η, as the run takes it).

    A scheduled run's rule said "η" while each step took η_k: the rule on screen was not
    the step the run made.

    Parameters
    ----------
    name, decay, decay_steps
        As for :func:`schedule_factor` (its defaults for None).
    total
        The steps planned (the cosine schedule's K).

    Examples
    --------
    >>> schedule_rule("step")[1], schedule_rule("exponential", 0.9)[1]
    ('ηₖ = η · 0.5^⌊k/25⌋', 'ηₖ = η · 0.9ᵏ')
    >>> print(schedule_rule("cosine", total=300)[0])
    \\eta_k = \\eta\\,(1 + \\cos(\\pi k/300))/2
    >>> schedule_rule("constant") is None
    True
    """
    if name == "step":
        d = DEFAULT_DECAY["step"] if decay is None else decay
        n = max(int(decay_steps or DEFAULT_DECAY_STEPS), 1)
        return (rf"\eta_k = \eta \cdot {d:g}^{{\lfloor k/{n} \rfloor}}",
                f"ηₖ = η · {d:g}^⌊k/{n}⌋")
    if name == "exponential":
        d = DEFAULT_DECAY["exponential"] if decay is None else decay
        return rf"\eta_k = \eta \cdot {d:g}^k", f"ηₖ = η · {d:g}ᵏ"
    if name == "cosine":
        k_total = max(int(total), 1)
        return (rf"\eta_k = \eta\,(1 + \cos(\pi k/{k_total}))/2",
                f"ηₖ = η (1 + cos(πk/{k_total}))/2")
    if name == "inverse_sqrt":
        return r"\eta_k = \eta/\sqrt{1 + k}", "ηₖ = η/√(1 + k)"
    return None


def check_schedule(name: str, decay: float | None, decay_steps: int | None
                   ) -> tuple[float | None, int | None]:
    """``decay`` and ``decay_steps`` as a float and an int (None stays None); ``ValueError``
    for an unknown schedule or parameters out of range or not numbers (a ``decay_steps`` of
    2.5 ran as 2, a ``decay`` of "0.9" raised numpy's own TypeError)."""
    from gdviz.core.descent_args import real, whole

    if name not in SCHEDULES:
        raise ValueError(f"unknown schedule '{name}' (choose from {', '.join(SCHEDULES)})")
    if decay is not None:
        decay = real(decay, "decay")
        if not (0 < decay <= 1):
            raise ValueError(f"decay must be in (0, 1], got {decay:g}")
    if decay_steps is not None:
        decay_steps = whole(decay_steps, "decay_steps", 1, 10**9)
    return decay, decay_steps
