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
