"""Tools ▸ Basins of attraction: a map overlay colouring every start by the minimum it reaches
(or by steps to converge), computed on a worker thread and redrawn when the loss, the view or
the selected run's optimizer or learning rate changes.
"""

from __future__ import annotations

import threading

import numpy as np

from gdviz.core.basins import (
    DIVERGED,
    FELL,
    NOT_CONVERGED,
    UNDEFINED,
    BasinsCancelled,
    BasinsResult,
    basins,
)
from gdviz.core.compare import used_hyper
from gdviz.core.optimizers import OPTIMIZERS
from gdviz.core.presets import get_preset
from gdviz.ui.numbers import axis_number, short_number, typed_number, whole_percents
from gdviz.ui.qt import QtCore, QtGui, QtWidgets, Signal

GRID = 96
# The map descends n² starts: the selected run's steps are capped to stay within seconds
# (96² Adam starts × 5000 steps: 4–5 s on a 2-core laptop, on the worker thread); the legend
# says so when the cap applies. (500 before, silently: a Rosenbrock run converging at step
# 1292 sat in grey.)
MAX_STEPS = 5000
CHUNK = 1024
OPACITY = 0.72
# Light, distinct colours (ColorBrewer Set3) so the runs' darker paths stay visible on top.
BASIN_COLORS = ("#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69",
                "#fccde5", "#bc80bd", "#ccebc5", "#ffed6f")
NOT_CONVERGED_COLOR = "#9a9a9a"
CANCELLED_NOTE = ("Basins map cancelled and turned off (Tools ▸ Basins of attraction, Ctrl+B, "
                  "computes it again)")
DIVERGED_COLOR = "#1a1a1a"
FELL_COLOR = "#3d5a80"
"""Dusky blue: a run whose loss fell without bound (f has no minimum that way), told apart
from the near-black of one that diverged (an η too large, a loss growing without bound)."""


def basin_colors(result: BasinsResult) -> list[str]:
    """Each minimum's colour, by the size of its basin, largest first: the key's eight (and
    the eleven largest) are told apart. (By the minimum's number, Rastrigin's key showed two
    orange, two pink and two green swatches for six different minima: a QA round.)"""
    share = result.fractions()
    sizes = np.array([share.get(k, 0.0) for k in range(len(result.minima))], dtype=float)
    order = np.argsort(-sizes, kind="stable")  # (ties by number, as the key lists them)
    rank = np.empty(len(order), dtype=int)
    rank[order] = np.arange(len(order))
    return [BASIN_COLORS[r % len(BASIN_COLORS)] for r in rank]


def label_colors(result: BasinsResult, mode: str = "minimum") -> np.ndarray:
    """``(n, n, 4)`` uint8 RGBA picture of a result, by minimum or by steps to converge."""
    labels = result.labels
    out = np.zeros(labels.shape + (4,), dtype=np.uint8)
    out[..., 3] = 255

    def rgb(color: str) -> tuple[int, int, int]:
        c = QtGui.QColor(color)
        return c.red(), c.green(), c.blue()

    if mode == "steps":
        # (converged only: a start that hovers about |x| + |y|'s corner is labelled with its
        # minimum, but its steps are all it had; the map and key said "200 steps to converge")
        ok = (labels >= 0) & result.converged
        out[(labels >= 0) & ~ok, :3] = rgb(NOT_CONVERGED_COLOR)
        steps = result.steps.astype(float)
        top = max(float(steps[ok].max()) if ok.any() else 1.0, 1.0)
        from gdviz.ui.qt import pg  # the colour map; pyqtgraph is loaded by then

        lut = pg.colormap.get("plasma").getLookupTable(0.0, 1.0, 256, alpha=False)
        idx = np.clip((steps / top * 255).astype(int), 0, 255)
        out[ok, :3] = lut[idx[ok]]
    else:
        for k, color in enumerate(basin_colors(result)):
            out[labels == k, :3] = rgb(color)
    out[labels == NOT_CONVERGED, :3] = rgb(NOT_CONVERGED_COLOR)
    out[labels == DIVERGED, :3] = rgb(DIVERGED_COLOR)
    out[labels == FELL, :3] = rgb(FELL_COLOR)
    out[labels == UNDEFINED] = 0  # left clear: the map shows f is undefined there
    return out


def lowest_first(minima, loss) -> tuple[np.ndarray, int]:
    """``minima`` (``(k, 2)``) ordered by the loss's value there, lowest first, and how many
    share the lowest value (to 10⁻⁹ of it, or of 1): where they crowd the map stars those
    alone (:class:`gdviz.ui.map_overlays.BasinsLayer`; sin(2x)·sin(2y)'s are all as low)."""
    points = np.asarray(minima, dtype=float).reshape(-1, 2)
    if loss is None or len(points) < 2:
        return points, len(points)
    with np.errstate(all="ignore"):
        f = np.asarray(loss.value(points[:, 0], points[:, 1]), dtype=float).reshape(-1)
    f = np.where(np.isfinite(f), f, np.inf)
    order = np.argsort(f, kind="stable")
    low = float(f[order[0]])
    ties = int(np.sum(f <= low + 1e-9 * max(1.0, abs(low)))) if np.isfinite(low) else 1
    return points[order], max(ties, 1)


class _Signals(QtCore.QObject):
    progress = Signal(int, int, int)  # done, total, generation
    finished = Signal(object, int)  # BasinsResult, generation
    failed = Signal(str, int)


class _Job(QtCore.QRunnable):
    def __init__(self, generation: int, args: tuple, kwargs: dict) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the overlay keeps it (to cancel it) while it runs
        self.generation, self.args, self.kwargs = generation, args, kwargs
        self.spec, self.planned = None, 0  # (the run it is made for: see BasinsOverlay.compute)
        self.cancel = threading.Event()
        self.signals = _Signals()

    def run(self) -> None:
        def progress(done: int, total: int) -> bool:
            self.signals.progress.emit(done, total, self.generation)
            return not self.cancel.is_set()

        try:
            with np.errstate(all="ignore"):
                result = basins(*self.args, progress=progress, chunk=CHUNK, **self.kwargs)
        except BasinsCancelled:
            return
        except Exception as err:  # noqa: BLE001 - a loss must never take the app down
            self.signals.failed.emit(str(err) or type(err).__name__, self.generation)
            return
        self.signals.finished.emit(result, self.generation)


class BasinsOverlay(QtCore.QObject):
    """The basins map over ``window.contour``: picture, minima markers, legend, progress.

    Signals
    -------
    computed(BasinsResult)
        A new map is shown.
    """

    computed = Signal(object)

    def __init__(self, window, n: int = GRID) -> None:
        super().__init__(window)
        self.window = window
        self.n = n
        self._planned = 0  # the steps of the run the map is made for (capped: MAX_STEPS)
        self._spec = None  # the run's spec the map is made for
        self.enabled = False
        self._closed = False  # (shutdown: the window closes; no new map)
        self.mode = "minimum"
        self.result: BasinsResult | None = None
        self.legend: list[tuple[str, str]] = []  # (colour, text) shown on the map
        # (the minimum each line names, None for the others: a minimum off the map keeps its
        # coordinates in the key's shares-alone form, no star on the map saying which it is)
        self.legend_points: list[tuple[float, float] | None] = []
        self._key = None
        self._generation = 0
        self._job: _Job | None = None
        self.pool = QtCore.QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.progress = QtWidgets.QProgressBar()
        self.progress.setObjectName("basinsProgress")
        self.progress.setMaximumWidth(160)
        self.progress.setFormat("basins %p%")
        self.progress.setToolTip("Computing the basins map: a descent from every start of "
                                 "a grid (Esc or Cancel stops it)")
        self.cancel_button = QtWidgets.QToolButton(text="Cancel")
        self.cancel_button.setToolTip("Stop computing the basins map and turn it off (Esc)")
        self.cancel_button.clicked.connect(self.cancel_by_user)
        bar = window.statusBar()
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self.progress.hide()
        self.cancel_button.hide()
        self._timer = QtCore.QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.compute)
        c = window.controller
        for signal in (c.runsChanged, c.lossChanged, c.selectedChanged, c.domainChanged):
            signal.connect(self._on_state_changed)
        window.contour.rangeChanged.connect(self._on_state_changed)

    # -- public ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """Whether a map is being computed."""
        return self._job is not None

    def set_enabled(self, on: bool) -> None:
        """Show (and compute) or hide the basins map."""
        self.enabled = bool(on)
        if on:
            bar = self.window.statusBar()
            if bar.currentMessage() == CANCELLED_NOTE:  # (it stayed beside the map again)
                bar.clearMessage()
            self._key = None
            self.compute()
        else:
            self.cancel()
            self.window.contour.set_basins(None)

    def set_mode(self, mode: str) -> None:
        """Colour by ``"minimum"`` reached or by ``"steps"`` to converge."""
        self.mode = "steps" if mode == "steps" else "minimum"
        if self.result is not None:
            self._show(self.result)

    def settings(self):
        """(args, kwargs) for :func:`gdviz.core.basins.basins` from the window, or None."""
        c = self.window.controller
        if c.loss is None or not c.runs:
            return None
        spec = c.runs[c.selected].spec
        minima = None
        if c.preset:
            try:
                preset = get_preset(c.preset)
                if preset.loss == c.loss_text and preset.minima:
                    minima = tuple(preset.minima) + tuple(preset.nonsmooth_minima)
            except (KeyError, ValueError):
                minima = None
        domain = self.window.contour.visible_domain()
        args = (c.loss, domain, self.n, spec.optimizer, spec.lr, min(spec.steps, MAX_STEPS),
                minima)
        kwargs = dict(used_hyper(spec), schedule=spec.schedule, decay=spec.decay,
                      decay_steps=spec.decay_steps, noise=spec.noise, seed=spec.seed,
                      gradient=spec.gradient, fd_h=spec.fd_h, planned=spec.steps,
                      tol=c.run_tol, scale_tol=False)  # (the runs' own: the same steps)
        return args, kwargs

    def compute(self) -> None:
        """Start computing the map for the current state (cancelling one under way)."""
        if not self.enabled or self._closed:
            return
        settings = self.settings()
        if settings is None:
            return
        args, kwargs = settings
        c = self.window.controller
        key = (c.loss_text, args[1:], tuple(sorted(kwargs.items())))
        if key == self._key:
            return
        self.cancel()
        self._key = key
        self._generation += 1
        job = _Job(self._generation, args, kwargs)
        # (the run it is made for, named in its key's heading once it is shown: set now, a
        # mode changed while another map computed drew the old map under the new heading)
        job.spec, job.planned = c.runs[c.selected].spec, int(kwargs["planned"])
        job.signals.progress.connect(self._on_job_progress, QtCore.Qt.QueuedConnection)
        job.signals.finished.connect(self._on_job_finished, QtCore.Qt.QueuedConnection)
        job.signals.failed.connect(self._on_job_failed, QtCore.Qt.QueuedConnection)
        self._job = job
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.pool.start(job)

    def cancel(self) -> None:
        """Stop the computation under way (the last map stays)."""
        if self._job is not None:
            self._job.cancel.set()
            self._job = None
            self._key = None
        self.progress.hide()
        self.cancel_button.hide()

    def cancel_by_user(self) -> None:
        """The Cancel button: stop and turn the map off, with a note. (The map shown is for
        the settings before the change that started this one: left on, it would misread.)"""
        if self._job is None:
            return
        self.cancel()
        action = self.window.menu_actions.get("basins")
        if action is not None and action.isChecked():
            action.setChecked(False)  # (toggled → set_enabled(False): the map goes)
        else:
            self.set_enabled(False)
        self.window.statusBar().showMessage(CANCELLED_NOTE, 8000)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until the computation is done and shown (tests, screenshots)."""
        deadline = QtCore.QDeadlineTimer(msecs)
        while (self._job is not None or self._timer.isActive()) and not deadline.hasExpired():
            self.pool.waitForDone(50)
            QtCore.QCoreApplication.processEvents()
        return self._job is None

    def shutdown(self) -> None:
        """Cancel, let the worker finish and start no other map (window closing: a job
        started while the window is deleted could hang it, as CompileWorker.shutdown says)."""
        self._timer.stop()
        # (enabled stays as it is: the autosave written as the window closes keeps the map)
        self._closed = True
        self.cancel()
        self.pool.waitForDone(3000)

    # -- internals --------------------------------------------------------------------------
    def _on_state_changed(self, *_args) -> None:
        if self.enabled and not self._closed:
            self._timer.start()

    def _on_job_progress(self, done: int, total: int, generation: int) -> None:
        if generation == self._generation and self._job is not None:
            self.progress.setValue(round(100 * done / max(total, 1)))

    def _on_job_finished(self, result: BasinsResult, generation: int) -> None:
        if generation != self._generation or self._job is None:
            return
        self._spec, self._planned = self._job.spec, self._job.planned
        self._job = None
        self.progress.hide()
        self.cancel_button.hide()
        self.result = result
        if self.enabled:
            self._show(result)
            self.computed.emit(result)

    def _on_job_failed(self, message: str, generation: int) -> None:
        if generation == self._generation:
            self._job = None
            self.progress.hide()
            self.cancel_button.hide()
            self.window.statusBar().showMessage(f"The basins map failed: {message}", 8000)

    def _show(self, result: BasinsResult) -> None:
        heading = self._heading()  # (colour "": a line of its own, no swatch)
        points: list[tuple[float, float] | None] = []
        self.legend = ([("", heading)] if heading else []) + self._legend(result, points)
        self.legend_points = [None] * (len(self.legend) - len(points)) + points
        contour = self.window.contour
        markers, contour.basins.starred = lowest_first(result.minima,
                                                       self.window.controller.loss)
        contour.set_basins(label_colors(result, self.mode), result.domain, markers, self.legend,
                           self.legend_points)

    def _heading(self) -> str:
        """What the map was made with: "Adam, η = 0.05, 200 steps" (a map made for another
        η reads differently: a tiny one leaves most starts grey, "no minimum reached", and
        the key did not say for which run)."""
        spec = self._spec
        if spec is None:
            return ""
        label = OPTIMIZERS[spec.optimizer].label if spec.optimizer in OPTIMIZERS else \
            spec.optimizer
        decays = "" if spec.schedule == "constant" else f" ({spec.schedule} decay)"
        noisy = ", noisy ∇f" if spec.noise else ""
        return (f"{label}, η = {typed_number(spec.lr)}{decays}, "
                f"{min(self._planned, MAX_STEPS)} steps{noisy}")

    def _legend(self, result: BasinsResult, points: list | None = None
                ) -> list[tuple[str, str]]:
        """(colour, text) entries: each minimum's colour and share, then the failures;
        ``points``, if given, gets each entry's minimum (None for the others)."""
        points = [] if points is None else points
        share = result.fractions()
        steps = self.mode == "steps"
        if steps:  # (those that came near a minimum but never converged did not converge)
            ok = (result.labels >= 0) & result.converged
            share = {k: v for k, v in share.items() if k < 0} | {0: float(ok.mean())}
            share[NOT_CONVERGED] = share.get(NOT_CONVERGED, 0.0) + float(
                ((result.labels >= 0) & ~ok).mean())
        shown = whole_percents(share)  # (adding up to 100 %: Himmelblau's four read 101 %)
        out: list[tuple[str, str]] = []
        if steps:
            top = int(result.steps[ok].max()) if ok.any() else 0
            least = int(result.steps[ok].min()) if ok.any() else 0
            from gdviz.ui.qt import pg

            # The colours at the fewest steps, half way and the most, each with its count, as
            # the map colours them (steps ÷ the most): "few steps to converge" in a dark blue
            # no start had and the most in yellow read as two colours, the map all magenta
            lut = pg.colormap.get("plasma")
            for n in sorted({least, (least + top) // 2, top}) if ok.any() else ():
                out.append((lut.map(n / top if top > 0 else 0.0, "qcolor").name(),
                            f"{n} step{'' if n == 1 else 's'} to converge" if n == least
                            else f"{n} steps"))
        else:
            # The eight largest basins, largest first (Rastrigin's 121 minima were named by
            # their coordinates' order: eight at its edge, all "→ (−4.97, …)", 1 % each);
            # none that no start reaches (Himmelblau at η = 0.03 keyed three at "0%")
            reached = [k for k in range(len(result.minima)) if share.get(k, 0.0) > 0]
            largest = sorted(reached, key=lambda k: -share.get(k, 0.0))[:8]
            colors = basin_colors(result)
            for k in largest:
                point = result.minima[k]
                # (rounding noise of a minimum at 0 reads 0, as on the axes)
                a, b = (axis_number(float(v), axis)[0] + 0.0
                        for v, axis in zip(point, result.domain, strict=True))
                # (a line or region of minima: "→ (a, b)" named one point of it)
                sets = getattr(result, "level", None)
                level = sets is not None and k < len(sets) and bool(sets[k])
                out.append((colors[k], ("→ minima level with " if level else "→ ")
                            + f"({short_number(a, 3)}, {short_number(b, 3)})  "
                            f"{shown.get(k, '0%')}"))
                points.append((float(point[0]), float(point[1])))
            if len(reached) > 8:
                out.append(("#ffffff", f"… {len(reached) - 8} more minima, none with "
                                       f"a larger basin"))
        if share.get(NOT_CONVERGED):
            within = (f" in {MAX_STEPS} steps" if self._planned > MAX_STEPS else "")
            out.append((NOT_CONVERGED_COLOR,
                        (f"not converged in {min(self._planned, MAX_STEPS)} steps" if steps
                         else f"no minimum reached{within}") + f"  {shown[NOT_CONVERGED]}"))
        if share.get(DIVERGED):
            out.append((DIVERGED_COLOR, f"diverged  {shown[DIVERGED]}"))
        if share.get(FELL):  # (as the runs' readouts say it: "f → −∞", not "diverged")
            out.append((FELL_COLOR, f"f → −∞, no minimum that way  {shown[FELL]}"))
        if share.get(UNDEFINED):  # an empty swatch, as the map is left clear
            out.append(("transparent", f"f undefined at the start  {shown[UNDEFINED]}"))
        points.extend([None] * (len(out) - len(points)))  # (the steps and the failures)
        return out
