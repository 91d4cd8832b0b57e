"""A run as the window holds it (:class:`Run`) and how its path is computed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gdviz.core.session import RunSpec

if TYPE_CHECKING:  # sympy-backed types: not imported before the window's first frame
    from gdviz.core.descent import Trajectory
    from gdviz.core.loss import Loss
    from gdviz.ui.run_worker import Ticket

MAX_RUNS = 8


@dataclass
class Run:
    """A run as the window holds it: its settings and its computed path."""

    spec: RunSpec
    trajectory: Trajectory | None = None
    error: str = ""
    pending: bool = False  # being computed on the run worker's thread
    request: int = 0  # that computation's request id

    @property
    def length(self) -> int:
        return 0 if self.trajectory is None else len(self.trajectory.points)

    @property
    def note(self) -> str:
        """Why the run has no path, for people ("" when it has one)."""
        return "computing…" if self.pending else self.error


def compute_trajectory(loss: Loss, spec: RunSpec, cancel: Ticket | None = None,
                       tol: float = 1e-6) -> Trajectory:
    """Descend ``loss`` with the settings of ``spec`` (``cancel``, ``tol``: see
    :func:`gdviz.core.descent.descend`)."""
    from gdviz.core.compare import descend_spec

    return descend_spec(loss, spec, cancel=cancel, tol=tol)
