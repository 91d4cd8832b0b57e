"""Launch options shared by the command line and the window (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class LaunchOptions:
    """What the command line asks the window to show first."""

    loss: str | None = None
    preset: str | None = None
    optimizer: str | None = None
    lr: float | None = None
    start: tuple[float, float] | None = None
    steps: int | None = None
    parsed: Any = None  # the Loss the command line already parsed from ``loss`` (not redone)

    def learning_rate(self, preset) -> float:
        """The first run's η: ``lr`` when given; else the preset's, tuned for its own loss
        and optimizer; for another loss the optimizer's own default (the lecture's η = 0.3
        made momentum diverge on x² + 10y² by step 9); for the preset's loss with another
        optimizer the smaller of the two (the optimizer's default alone made momentum and
        Nesterov diverge on Himmelblau, where the preset's smaller η did not)."""
        if self.lr is not None:
            return float(self.lr)
        optimizer = self.optimizer or preset.optimizer
        if self.loss is None and optimizer == preset.optimizer:
            return float(preset.lr)
        from gdviz.core.optimizers import OPTIMIZERS

        default = float(OPTIMIZERS[optimizer].lr)
        return default if self.loss is not None else min(default, float(preset.lr))

    def domain(self, preset) -> tuple:
        """The first map's domain: the preset's for its own loss; for a typed loss a square
        around the origin that holds the start with room to spare."""
        if self.loss is None:
            return preset.domain
        a, b = self.start if self.start else preset.start
        # (no wider than a session keeps, 10⁶: a start at 10⁶ made a map of ±1.5·10⁶)
        half = min(max(3.0, 1.5 * max(abs(a), abs(b))), 1e6)
        return ((-half, half), (-half, half))
