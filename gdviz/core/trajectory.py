"""The result of a descent: :class:`Trajectory` (the path of one run or of many run together)
and what it says of itself for people (:meth:`Trajectory.message`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gdviz.core.corner_settle import NEAR_KINK
from gdviz.core.run_notes import crawl_note, overshoot_note, quotient_note, stuck_note

Array = np.ndarray


@dataclass
class Trajectory:
    """The path of one run, or of N runs descended together.

    Attributes
    ----------
    points : ndarray
        ``(steps+1, 2)`` for one start (ending where the run stopped), or ``(N, steps+1, 2)``;
        a run that stopped early repeats its last point. With ``descend(..., path=False)``
        only the last three rows: ``(3, 2)`` or ``(N, 3, 2)``.
    losses, grad_norms : ndarray
        f and ‖∇f‖ at each point, aligned with ``points``.
    gradients : ndarray
        ∇f (exact) at each point, shape of ``points``.
    status : str or ndarray of str
        ``"converged"`` (‖∇f‖ < tol), ``"diverged"`` (non-finite or runaway), ``"max_steps"``.
    stop_step : int or ndarray of int
        The step at which the run stopped: the index of its last point in a whole path (with
        ``path=False``, its last point is the last row whatever the step).
    reason : str or list of str
        Why a diverged run stopped (empty otherwise).
    state : dict[str, ndarray]
        The optimizer's state after each step (``velocity``, ``first_moment``…), shaped like
        ``points``; entry 0 is the initial state.
    lrs : ndarray
        The learning rate used at each step (after the schedule), ``(steps,)``.
    noisy : bool
        Whether its gradients had noise added (its f jitters: no note says it overshoots).
    kinked : int or ndarray of int
        Whether a run that used its steps ended swinging over a corner of f (1) or a cusp
        (2), where no fixed η settles (its overshooting note says so), else 0; per run for
        many (0 for all of them with ``path=False`` or over
        :data:`gdviz.core.descent.KINK_RUNS` runs).
    quotient : str
        The difference quotient the run stepped with instead of ∇f (``"forward"`` or
        ``"central"``), or "" for the exact gradient.
    """

    points: Array
    losses: Array
    grad_norms: Array
    gradients: Array
    status: str | Array
    stop_step: int | Array
    reason: str | list[str]
    optimizer: str
    lr: float
    hyper: dict[str, float]
    state: dict[str, Array] = field(default_factory=dict)
    lrs: Array = field(default_factory=lambda: np.zeros(0))
    noisy: bool = False
    kinked: bool | int | Array = False
    quotient: str = ""
    # (message() per run, worked out once: the readouts ask each playback frame for every
    # finished run, and its notes read the whole path, 5 ms for 100,000 steps)
    _messages: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def steps(self) -> Array:
        """The update actually taken to reach each point (row 0 is zero)."""
        d = np.diff(self.points, axis=-2)
        pad = np.zeros_like(self.points[..., :1, :])
        return np.concatenate([pad, d], axis=-2)

    def converged_by(self, k: int) -> bool:
        """Whether a single run has converged by step ``k``: from there ‖∇f‖ is below its
        tolerance, and the direction of so small a gradient is rounding noise (the views
        draw none). Not next to a corner (:data:`~gdviz.core.corner_settle.NEAR_CORNER`),
        where ‖∇f‖ keeps its size: |w1| + |w2|'s slope √2 read "≈ 0" in the tabs."""
        return bool(np.ndim(self.status) == 0 and self.status == "converged"
                    and k >= int(self.stop_step) and self.reason not in NEAR_KINK)

    def message(self, run: int | None = None) -> str:
        """Status for people: "converged at step 12", "diverged at step 3: the loss became
        infinite".

        Parameters
        ----------
        run
            Which run of a trajectory of many starts (0 … N − 1; negative counts from the
            end); None for a single start's.

        Raises
        ------
        ValueError
            ``run`` None for many runs, or a ``run`` for a single start's.
        IndexError
            ``run`` not one of the runs.
        TypeError
            ``run`` not a whole number.
        """
        run = self._run_index(run)
        said = self._messages.get(run)
        if said is None:
            said = self._messages[run] = self._message(run)
        return said

    def _run_index(self, run) -> int | None:
        """``run`` checked against the runs held (numpy's own errors said nothing of runs:
        "index 4 is out of bounds for axis 0 with size 4", "'int' object is not
        subscriptable"; True was taken as run 1)."""
        if run is None:
            return None
        if isinstance(run, bool) or not isinstance(run, (int, np.integer)):
            raise TypeError(f"run must be a whole number, not {type(run).__name__}")
        if not np.ndim(self.status):
            raise ValueError("this trajectory holds one run: ask for message() without run")
        n = np.size(self.status)
        if not -n <= run < n:
            raise IndexError(f"no run {int(run)}: this trajectory holds runs 0 to {n - 1}")
        return int(run) % n

    def _message(self, run: int | None) -> str:
        if run is None:
            if np.ndim(self.status):  # (numpy's "truth value of an array … is ambiguous")
                raise ValueError(f"this trajectory holds {np.size(self.status)} runs: "
                                 "ask for one, message(run=i)")
            status, k, why = self.status, self.stop_step, self.reason
        else:
            status, k, why = self.status[run], self.stop_step[run], self.reason[run]
        if status == "converged":
            return f"converged at step {int(k)}" + (f": {why}" if why else "")
        if status == "diverged":
            if int(k) == 0 and " there" in why:  # (−|x| + y² started on its crease)
                why = why.replace(" there", " at the start", 1)
            if int(k) == 0 and "at the start" in why:
                return why[0].upper() + why[1:]  # ("diverged" at a start it never left?)
            return f"diverged at step {int(k)}: {why}"
        if why:  # (∇f ≈ 0 where f only flattens out: see stationary_at_end)
            return f"stopped at step {int(k)}: {why}"
        # (each run of many as a run alone: its own path, to its last step)
        path = slice(None) if run is None else run
        end = int(k) + 1
        points, losses = self.points[path][:end], self.losses[path][:end]
        if len(points) < end:  # (path=False: its last rows only, no way to tell)
            return f"stopped after {_steps(int(k))}"
        lrs = np.asarray(self.lrs, dtype=float)
        note = quotient_note(self.quotient, self.optimizer,
                             float(lrs[end - 2]) if 1 < end <= lrs.size + 1 else self.lr,
                             points, self.grad_norms[path][:end]) or stuck_note(
            points, _plain_step(self.optimizer, lrs, end, self.lr, self.grad_norms[path][:end])) \
            or crawl_note(points, losses) or (
            "" if self.noisy else overshoot_note(points, losses, self.grad_norms[path][:end],
                                                 int(self.kinked[run] if np.ndim(self.kinked)
                                                     else self.kinked),
                                                 _decaying(self.lrs)))
        return f"stopped after {_steps(int(k))}" + note


def _plain_step(optimizer: str, lrs: Array, end: int, lr: float, norms: Array) -> float | None:
    """The length of the last step of a run stepping η‖∇f‖ (gradient descent), or None for
    the others (momentum's step is its velocity)."""
    if optimizer != "gd" or not len(norms):
        return None
    eta = float(lrs[end - 2]) if 1 < end <= lrs.size + 1 else float(lr)
    step = eta * float(norms[-1])
    return step if np.isfinite(step) else None


def _decaying(lrs: Array) -> bool:
    """Whether the learning rates a run used fell over its steps (a decaying schedule)."""
    lrs = np.asarray(lrs, dtype=float)
    return bool(lrs.size > 1 and lrs[-1] < lrs[0])


def _steps(n: int) -> str:
    """"1 step", "200 steps"."""
    return f"{n} step" if n == 1 else f"{n} steps"
