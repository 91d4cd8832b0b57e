"""A comparison's rows: one optimizer's run summarised (:func:`summarize`) and the rows
ranked best first (:func:`ranking`: converged at the lowest minimum any run reached, by
steps, before runs that converged higher). Pure Python (no Qt, no sympy).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from gdviz.core.descent import Trajectory
from gdviz.core.descent_checks import FLAT_REGION, MAXIMUM, RIDGE, SADDLE
from gdviz.core.optimizers import OPTIMIZERS

NO_MINIMUM = (SADDLE, MAXIMUM, RIDGE, FLAT_REGION)
"""Why a run converged where there is no minimum: ranked with the runs stopped on their way."""


@dataclass(frozen=True)
class ComparisonRow:
    """One optimizer's result.

    Attributes
    ----------
    optimizer, label : str
        Name (``"adam"``) and name for people (``"Adam"``).
    lr : float
        The learning rate used.
    steps_to_converge : int or None
        Step at which ‖∇f‖ fell below the tolerance; ``None`` if it never did.
    steps_taken : int
        Steps actually taken (until convergence, divergence or the step limit).
    final_loss, final_grad_norm : float
        f and ‖∇f‖ at the last point (NaN or inf when the run diverged).
    status : str
        ``"converged"``, ``"diverged"`` or ``"max_steps"``.
    message : str
        The status for people (``"converged at step 12"``).
    reason : str
        Why it stopped, where the status needs one (``Trajectory.reason``: converged at a
        saddle point, say).
    start_loss : float
        f at the start (the scale :func:`minimum_levels` tells minima apart by).
    end : tuple of float
        The last point (NaN where unknown).
    """

    optimizer: str
    label: str
    lr: float
    steps_to_converge: int | None
    steps_taken: int
    final_loss: float
    final_grad_norm: float
    status: str
    message: str
    reason: str = ""
    start_loss: float = math.nan
    end: tuple[float, float] = (math.nan, math.nan)

    @property
    def at_minimum(self) -> bool:
        """Whether the run converged at a minimum (not a saddle point, maximum or plateau)."""
        return self.status == "converged" and self.reason not in NO_MINIMUM

    def sort_key(self, level: int = 0) -> tuple:
        """Best first: converged at a minimum — at the lowest any run reached (``level`` 0:
        :func:`minimum_levels`), then higher ones — by steps, then the others by final loss
        (a run converged at a saddle point, a maximum or on a plateau among those stopped on
        their way: Newton at x² − y² + y⁴'s saddle ranked above the runs that reached its
        minima); diverged last."""
        rank = {"converged": 0, "max_steps": 1}.get(self.status, 2)
        if rank == 0 and not self.at_minimum:
            rank = 1
        loss = self.final_loss if math.isfinite(self.final_loss) else math.inf
        return (rank, level if rank == 0 else 0, self.steps_to_converge if rank == 0 else 0,
                loss)


LEVEL_TOL = 1e-4
"""Minima whose f differ by less than this share of the runs' fall (start to the lowest end)
are as low (Himmelblau's four, each found to within its run's tolerance)."""


def minimum_levels(rows: Sequence[ComparisonRow]) -> list[int]:
    """For each row, how many lower minima other runs converged at (0: the lowest any run
    reached, or not converged at a minimum).

    Three-hump camel from (−1.5, −1): Newton converged in 5 steps at its local minimum,
    f = 0.299, and was ranked best, above AdaGrad at the global one, f = 0, in 57. Two ends
    are at one minimum where their f differ by less than :data:`LEVEL_TOL` of the runs' fall
    or than the slopes left at them explain over the distance between them (twice the
    larger ‖∇f‖ times it): on x⁴ + y⁴ from (0.03, 0.02) the runs stop where ‖∇f‖ < 10⁻⁶,
    f 1.4 to 1.8·10⁻⁹ apart by their tolerance alone, and were called three minima.

    Parameters
    ----------
    rows : sequence of ComparisonRow
        The compared runs (:func:`summarize`).

    Returns
    -------
    list of int
        Each row's level, in the order of ``rows``.

    Examples
    --------
    >>> row = ComparisonRow("gd", "GD", 0.1, 5, 5, 0.3, 1e-7, "converged", "", "", 2.0)
    >>> minimum_levels([row, ComparisonRow("adam", "Adam", 0.1, 50, 50, 0.0, 1e-7,
    ...                                    "converged", "", "", 2.0)])
    [1, 0]
    """
    at = [i for i, r in enumerate(rows) if r.at_minimum and math.isfinite(r.final_loss)]
    levels = [0] * len(rows)
    if not at:
        return levels
    ends = [rows[i].final_loss for i in at]
    lowest = min(ends)
    starts = [r.start_loss - lowest for r in rows if math.isfinite(r.start_loss)]
    fall = max([*starts, max(ends) - lowest, 0.0])
    tol = LEVEL_TOL * fall if fall > 0 else 0.0
    floors: list[ComparisonRow] = []  # each level's lowest run
    for i in sorted(at, key=lambda i: rows[i].final_loss):
        row = rows[i]
        same = next((k for k, floor in enumerate(floors)
                     if row.final_loss - floor.final_loss <= tol + _explained(row, floor)),
                    None)
        if same is None:
            floors.append(row)
            same = len(floors) - 1
        levels[i] = same
    return levels


def _explained(a: ComparisonRow, b: ComparisonRow) -> float:
    """How far apart in f the slopes left at two runs' ends explain them being, over the
    distance between the ends: twice the larger ‖∇f‖ times it (0 where unknown)."""
    distance = math.dist(a.end, b.end)
    slope = max(a.final_grad_norm, b.final_grad_norm)
    return 2.0 * slope * distance if math.isfinite(distance * slope) else 0.0


def ranking(rows: Sequence[ComparisonRow], levels: Sequence[int] | None = None) -> list[tuple]:
    """Each row's :meth:`ComparisonRow.sort_key` among ``rows`` (best first when sorted);
    ``levels``: their :func:`minimum_levels`, where already worked out."""
    levels = minimum_levels(rows) if levels is None else levels
    return [r.sort_key(level) for r, level in zip(rows, levels, strict=True)]


def summarize(trajectory: Trajectory, optimizer: str | None = None) -> ComparisonRow:
    """The table row of one single-start trajectory."""
    name = optimizer or trajectory.optimizer
    k = len(trajectory.points) - 1
    status = str(trajectory.status)
    f = float(trajectory.losses[-1]) if len(trajectory.losses) else math.nan
    g = float(trajectory.grad_norms[-1]) if len(trajectory.grad_norms) else math.nan
    return ComparisonRow(optimizer=name, label=OPTIMIZERS[name].label, lr=float(trajectory.lr),
                         steps_to_converge=k if status == "converged" else None, steps_taken=k,
                         final_loss=f, final_grad_norm=g, status=status,
                         message=trajectory.message(), reason=str(trajectory.reason or ""),
                         start_loss=float(trajectory.losses[0]) if len(trajectory.losses)
                         else math.nan,
                         end=(tuple(float(v) for v in trajectory.points[-1])
                              if len(trajectory.points) else (math.nan, math.nan)))
