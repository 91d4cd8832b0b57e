"""The one object that owns the app's state: loss, domain, runs, iteration, playback.

Views never change state directly: they emit intents, the main window calls the controller,
and the controller emits what changed. Trajectories are recomputed here (cheap: computed at
once, playback only reveals them); one too long for a frame is finished on the run worker's
thread (:mod:`gdviz.ui.run_worker`)."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import time
from typing import TYPE_CHECKING

from gdviz.core.errors import LossError
from gdviz.core.grid import check_domain, domain_tol
from gdviz.core.presets import Preset
from gdviz.core.session import RunSpec
from gdviz.ui.colors import RUN_COLORS
from gdviz.ui.compile_worker import CompileResult, CompileWorker
from gdviz.ui.loss_memo import LossMemo, keep_names
from gdviz.ui.playback_clock import PlaybackClock
from gdviz.ui.qt import QtCore, Signal
from gdviz.ui.run import MAX_RUNS, Run, compute_trajectory
from gdviz.ui.run_worker import SYNC_BUDGET, JobResult, RunWorker, Ticket, attempt

if TYPE_CHECKING:  # sympy-backed types: not imported before the window's first frame
    from gdviz.core.descent import Trajectory
    from gdviz.core.loss import Loss

# (Run and compute_trajectory live in gdviz.ui.run; imported from here by many modules)
__all__ = ["MAX_RUNS", "Controller", "Run", "compute_trajectory"]


class Controller(PlaybackClock, QtCore.QObject):
    """Owns the current loss, runs and playback; emits signals when they change."""

    lossChanged = Signal(object)  # Loss
    lossFailed = Signal(str, int)  # message, position (-1 when none)
    lossTextValid = Signal(str)  # a text validated while typing (not applied)
    compileBusy = Signal(bool)
    runsBusy = Signal(bool)  # runs are being computed in the background
    domainChanged = Signal(object)  # the "fit" domain for the current loss
    runsChanged = Signal()
    selectedChanged = Signal(int)
    iterationChanged = Signal(int)
    playingChanged = Signal(bool)
    logScaleHint = Signal(object)  # True/False from a preset, None to decide from the values
    runsAboutToBeReplaced = Signal(str)  # what will replace or remove runs (Edit ▸ Undo)

    def __init__(self, worker: CompileWorker | None = None,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker or CompileWorker(parent=self)
        self.compiled = LossMemo()  # the losses installed lately (Undo installs them again)
        self.loss_requests = 0  # losses asked for so far (a session opening late gives way)
        self.worker.finished.connect(self._on_worker_finished)
        self.worker.busyChanged.connect(self.compileBusy)
        self.runner = RunWorker(self)
        self.runner.finished.connect(self._on_run_finished)
        self.runner.busyChanged.connect(self.runsBusy)
        self.loss: Loss | None = None
        self.loss_text, self._applying_text = "", ""
        self.domain = ((-4.0, 4.0), (-4.0, 4.0))
        self._tol_key, self._tol = None, 1e-6  # (run_tol, for this loss and domain)
        self._validated: Loss | None = None  # the newest text checked as it was typed
        self._applying = 0  # the compile request that will replace the loss (0: none)
        self.failed_apply = False  # whether the last text refused was to be applied
        self.failed_text = ""  # the last text refused (a check's may come after its text went)
        self.runs: list[Run] = []
        self.selected, self.iteration = 0, 0
        self.speed = 10.0
        self.preset: str = ""
        self._pending_domain = None
        self._superseded: tuple | None = None  # see _on_worker_finished
        self._resume: int | None = None  # an iteration to show once the runs computing end
        self.loss_changing = False
        self._ticking = False
        self._clock = QtCore.QElapsedTimer()
        self._play_origin = (0, 0.0)  # (iteration, elapsed ms) when playback (re)started
        self._timer = QtCore.QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)

    # -- loss -------------------------------------------------------------------------------
    def set_loss_text(self, text: str, apply: bool = True, domain=None,
                      check: bool = True) -> None:
        """Compile ``text`` off the GUI thread; apply it when done (or only validate).
        ``check`` runs the symbolic work in the time-limited sandbox process first."""
        if self.loss is not None and text == self.loss.text and domain is None \
                and not self.applying_loss:
            # The loss shown, typed again: nothing to compile (a heavy one, opened with the
            # command line's longer limit, read "too complex" in red under itself)
            if apply:
                self.set_loss(self.loss)
            else:  # (a check of another text still on its way is of no use now)
                self.worker.drop_checks()
                self._validated = self.loss
                self.lossTextValid.emit(text)
            return
        if apply and self.applying_loss and self._applying_text != text:  # (see below)
            self._superseded = (self._applying_text, self._pending_domain)
        if domain is not None:
            self._pending_domain = check_domain(domain)
        if apply:  # (a comparison computing for the old loss is of no use now)
            self.runner.keep_only(r.request for r in self.runs if r.pending)
            checked = self._validated
            if check and domain is None and checked is not None and checked.text == text:
                # Checked as it was typed: installed now, not compiled again (Enter showed
                # the loss a compile and a thread's round trip later, 15-25 ms)
                self.set_loss(keep_names(checked, self.loss))
                return
            self.loss_requests += 1
        elif self.applying_loss:
            # Only the newest compile's result is delivered: a check of a text being typed
            # would throw away a preset's loss, its runs showing (the next keystroke checks)
            return
        request = self.worker.submit(text, apply, check)
        if apply:
            self._applying, self._applying_text = request, text

    @property
    def applying_loss(self) -> bool:
        """Whether a loss is compiling that will replace the one shown (Undo and Esc wait
        for it: the runs may already be the new loss's)."""
        return bool(self._applying) and self.worker.busy

    def pending_loss(self) -> tuple[str, object] | None:
        """(text, domain or None) of the loss compiling to replace the one shown, if any."""
        return (self._applying_text, self._pending_domain) if self.applying_loss else None

    def set_loss(self, loss: Loss, domain=None, asked: bool = True) -> None:
        """Install an already compiled loss (synchronously) and recompute every run
        (``asked``: False for a compile's result, whose request was counted)."""
        self.loss_requests += asked
        self.worker.supersede()  # an older compile still running must not replace this one
        self._pending_domain = None  # (nor its domain wait for the next loss typed)
        self._applying, self._superseded = 0, None
        self.loss, self.loss_text = loss, loss.text
        self.compiled.add(loss)
        # While True, listeners of domainChanged know lossChanged follows (the map then fits
        # first and samples once, instead of sampling the old region and then the new one).
        self.loss_changing = True
        try:
            if domain is not None:
                self.domain = check_domain(domain)
                self.domainChanged.emit(self.domain)
            self.lossChanged.emit(loss)
        finally:  # (its listeners told a refused text from the loss shown: now none is)
            self.loss_changing = self.failed_apply = False
        self.recompute()

    def _on_worker_finished(self, result: CompileResult) -> None:
        if result.request >= self._applying:  # (done, or superseded by this newer one)
            self._applying = 0
        if result.loss is None:
            self._pending_domain = None
            self.failed_apply = result.apply  # (or a check of a text being typed)
            self.failed_text = result.text
            self.lossFailed.emit(result.error, result.position)
            if result.apply and self._superseded and not self._applying:
                # A loss whose runs show (a preset's), replaced on its way by a text now
                # refused, is applied after all (its runs sat uncomputed on the old loss).
                (text, domain), self._superseded = self._superseded, None
                self.set_loss_text(text, True, domain)
            return
        if not result.apply:
            self._validated = result.loss  # (Enter on this text installs it: set_loss_text)
            self.lossTextValid.emit(result.text)
            return
        domain, self._pending_domain = self._pending_domain, None
        self.set_loss(keep_names(result.loss, self.loss), domain, asked=False)

    def apply_preset(self, preset: Preset) -> None:
        """Load a preset: its loss, domain, colour scale and one suggested run."""
        self.runsAboutToBeReplaced.emit(f"choosing the preset {preset.title}")
        self.preset = preset.name
        self.pause()
        self.runs = [Run(RunSpec(optimizer=preset.optimizer, lr=preset.lr,
                                 start=tuple(preset.start), steps=preset.steps,
                                 color=RUN_COLORS[0]))]
        self.selected = 0
        self.rewind()
        self.logScaleHint.emit(preset.log_scale)
        self.set_loss_text(preset.loss, True, preset.domain)

    # -- runs -------------------------------------------------------------------------------
    def recompute(self, indices=None) -> None:
        """Recompute the trajectories of ``indices`` (all runs by default).

        The runs are computed here for up to :data:`SYNC_BUDGET` seconds in all; the rest
        (a run of thousands of steps) are finished on the run worker's thread and are
        :attr:`Run.pending` until then. Background work for runs that were replaced or
        recomputed meanwhile stops.
        """
        if self.loss is not None:
            deadline = time.perf_counter() + SYNC_BUDGET
            for i in range(len(self.runs)) if indices is None else indices:
                self._compute(self.runs[i], deadline)
        self.runner.keep_only(r.request for r in self.runs if r.pending)
        self._clamp_iteration()
        self.runsChanged.emit()
        self.iterationChanged.emit(self.iteration)

    def _clamp_iteration(self) -> None:
        """Keep the iteration within the runs' paths. While some run is still computing, an
        iteration beyond the others' is remembered and shown once it is done (a session
        opened at step 5000 of a long run, which the other runs end before)."""
        last = self.max_iteration
        if self.iteration > last and self.runs_pending:
            self._resume = max(self._resume or 0, self.iteration)
        if self._resume is not None and not self.runs_pending:
            self.iteration, self._resume = self._resume, None
        self.iteration = min(self.iteration, last)

    def preset_lrs(self) -> dict[str, float]:
        """The current preset's own optimizer and η, while its loss is shown ({} else)."""
        from gdviz.core.presets import get_preset

        with contextlib.suppress(KeyError, ValueError):  # (no such preset: {})
            preset = get_preset(self.preset)
            return {preset.optimizer: preset.lr} if preset.loss == self.loss_text else {}
        return {}

    def default_lr(self, optimizer: str) -> float:
        """``optimizer``'s η for a run: the preset's own, else the optimizer's default (as
        Compare runs them)."""
        from gdviz.core.optimizers import OPTIMIZERS

        return self.preset_lrs().get(optimizer, OPTIMIZERS[optimizer].lr)

    @property
    def run_tol(self) -> float:
        """The runs' convergence threshold on ‖∇f‖: 1e-6 of the loss's typical slope on its
        domain when that is below 1 (:func:`gdviz.core.grid.domain_tol`)."""
        key = (self.loss, self.domain)
        if self.loss is None:
            return 1e-6
        if self._tol_key != key:
            self._tol_key, self._tol = key, domain_tol(self.loss, self.domain)
        return self._tol

    def _compute(self, run: Run, deadline: float) -> None:
        loss, spec, tol = self.loss, run.spec, self.run_tol

        def work(ticket: Ticket) -> Trajectory:
            return compute_trajectory(loss, spec, ticket, tol)

        run.pending = False
        try:
            done, trajectory = attempt(work, deadline)
        except (ValueError, LossError) as err:
            run.trajectory, run.error = None, str(err)
            return
        if done:
            run.trajectory, run.error = trajectory, ""
            return
        if spec.optimizer == "newton":
            # The Hessian's code is made with sympy, which must not run on two threads at
            # once (the compile thread's): made here, if the compile thread has not yet.
            with contextlib.suppress(Exception):
                loss.hessian(0.0, 0.0)
        run.trajectory, run.error, run.pending = None, "", True
        run.request = self.runner.submit(work, spec.steps)

    def rewind(self) -> None:
        """Back to step 0 (no signal: for callers replacing the runs), forgetting a later
        step that was waiting for a run to be computed."""
        self.iteration, self._resume = 0, None

    @property
    def wanted_iteration(self) -> int:
        """The iteration shown, or the later one to be shown once the runs computing are done
        (what a session saved meanwhile keeps)."""
        return self._resume if self._resume is not None else self.iteration

    @property
    def runs_pending(self) -> bool:
        """Whether some run is still being computed in the background."""
        return any(r.pending for r in self.runs)

    def stop_runs(self) -> None:
        """Stop the runs computing in the background (each says where it stopped)."""
        self.runner.stop_all()

    def _on_run_finished(self, out: JobResult) -> None:
        run = next((r for r in self.runs if r.pending and r.request == out.request), None)
        if run is None:
            return  # replaced or recomputed meanwhile
        run.pending = False
        if out.cancelled:
            run.trajectory = None
            run.error = (f"stopped after {out.done:,} of {run.spec.steps:,} steps; change "
                         "a setting to compute it again")
        else:
            run.trajectory, run.error = out.result, out.error
        self._clamp_iteration()
        self.runsChanged.emit()
        self.iterationChanged.emit(self.iteration)

    def add_run(self, spec: RunSpec | None = None) -> int:
        """Add a run (a copy of the selected one, started elsewhere, by default)."""
        if len(self.runs) >= MAX_RUNS:
            return -1
        used = {r.spec.color for r in self.runs}
        color = next((c for c in RUN_COLORS if c not in used), RUN_COLORS[0])
        if spec is None:
            base = self.runs[self.selected].spec if self.runs else RunSpec(
                optimizer="gd", lr=0.1, start=self.center())
            (a0, a1), (b0, b1) = self.domain
            k = len(self.runs)
            # (to a billionth of the domain: −0.6500000000000004 went into session files)
            start = (_tidy(a0 + (a1 - a0) * (0.25 + 0.5 * ((k * 0.37) % 1.0)), a1 - a0),
                     _tidy(b0 + (b1 - b0) * (0.25 + 0.5 * ((k * 0.61) % 1.0)), b1 - b0))
            # Its own noise seed (two noisy runs from one start should differ), shown
            seed = max((r.spec.seed for r in self.runs), default=-1) + 1
            spec = dataclasses.replace(base, start=start, color=color, name="", seed=seed,
                                       visible=True)
        elif spec.color is None:
            spec = dataclasses.replace(spec, color=color)
        self.runs.append(Run(spec))
        self.selected = len(self.runs) - 1
        self.recompute([self.selected])
        self.selectedChanged.emit(self.selected)
        return self.selected

    def remove_run(self, index: int) -> None:
        """Remove a run (at least one always stays)."""
        if len(self.runs) <= 1 or not 0 <= index < len(self.runs):
            return
        self.runsAboutToBeReplaced.emit("removing a run")
        del self.runs[index]
        self.selected = min(self.selected, len(self.runs) - 1)
        self.recompute([])
        self.selectedChanged.emit(self.selected)

    def select(self, index: int) -> None:
        """Make run ``index`` the one the controls edit."""
        if 0 <= index < len(self.runs) and index != self.selected:
            self.selected = index
            self.selectedChanged.emit(index)

    def update_run(self, index: int, recompute: bool = True, **changes) -> None:
        """Change settings of a run and recompute its path.

        ``recompute=False`` only changes the settings, telling no one: for a caller that
        applies a new loss next, whose :meth:`set_loss` recomputes every run (the run was
        computed and drawn on the old loss first, its new start on the old map).
        """
        if not 0 <= index < len(self.runs):
            return
        run = self.runs[index]
        if "hyper" in changes:
            changes["hyper"] = {**run.spec.hyper, **changes["hyper"]}
        if changes.get("optimizer", run.spec.optimizer) != run.spec.optimizer:
            from gdviz.core.optimizers import OPTIMIZERS

            # (Adam's β₁ stayed in a momentum run's settings and session file)
            used = OPTIMIZERS[changes["optimizer"]].hyper
            changes["hyper"] = {k: v for k, v in changes.get("hyper", run.spec.hyper).items()
                                if k in used}
        run.spec = dataclasses.replace(run.spec, **changes)
        if not recompute:
            return
        only_display = set(changes) <= {"color", "visible", "name"}
        if only_display:
            self.runsChanged.emit()
            if self.iteration > self.max_iteration:  # (a longer run was hidden)
                self.set_iteration(self.max_iteration)
        else:
            self.recompute([index])

    def set_start(self, index: int, a: float, b: float, recompute: bool = True) -> None:
        """Move the start of run ``index`` (where it is already: nothing to do);
        ``recompute`` as for :meth:`update_run`."""
        same = 0 <= index < len(self.runs) and tuple(self.runs[index].spec.start) == (a, b)
        if math.isfinite(a) and math.isfinite(b) and not same:
            self.update_run(index, recompute, start=(float(a), float(b)))

    def set_domain(self, domain) -> None:
        """Set the "fit" domain (what the fit button returns to)."""
        self.domain = check_domain(domain)
        self.domainChanged.emit(self.domain)

    def current_point(self, index: int | None = None) -> tuple[float, float] | None:
        """Point of run ``index`` (the selected run by default) at the current iteration; past
        a divergence, its last finite point (the tabs showed the start, as if it were there)."""
        index = self.selected if index is None else index
        if not 0 <= index < len(self.runs):
            return None
        traj = self.runs[index].trajectory
        if traj is None:
            return tuple(self.runs[index].spec.start)
        for k in range(min(self.iteration, len(traj.points) - 1), -1, -1):
            a, b = traj.points[k]
            if math.isfinite(a) and math.isfinite(b):
                return float(a), float(b)
        return tuple(self.runs[index].spec.start)

    def center(self) -> tuple[float, float]:
        (a0, a1), (b0, b1) = self.domain
        return (0.5 * (a0 + a1), 0.5 * (b0 + b1))

    # -- playback ---------------------------------------------------------------------------
    @property
    def max_iteration(self) -> int:
        """Last iteration any shown run reaches (any run when all are hidden): a hidden run
        of 3000 steps kept playback going 2800 steps past the last one shown."""
        done = [r for r in self.runs if r.trajectory is not None]
        shown = [r for r in done if r.spec.visible] or done
        return max((r.length - 1 for r in shown), default=0)

    def set_iteration(self, k: int) -> None:
        """Show every run at iteration ``k`` (clamped; beyond the runs shown while a run is
        still computing, shown when it is done)."""
        k = max(0, int(k))
        self._resume = k if k > self.max_iteration and self.runs_pending else None
        k = min(k, self.max_iteration)
        if k != self.iteration:
            self.iteration = k
            self.iterationChanged.emit(k)
            if self.playing and not self._ticking:
                self._restart_clock()


def _tidy(value: float, width: float) -> float:
    """``value`` rounded to a billionth of ``width`` (a decimal place, not a binary one)."""
    if not (math.isfinite(value) and width > 0):
        return value
    return round(value, 9 - math.floor(math.log10(width))) + 0.0
