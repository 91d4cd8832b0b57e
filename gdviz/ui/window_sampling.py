"""The main window's sampling of the loss: the grid behind the map and the 3D surface, the
colour range and scale (linear or log), the gradient field's arrows, and the note on the
status bar when part of the map is undefined. A mixin of :class:`gdviz.ui.main_window.MainWindow`
(its views, view options and controller)."""

from __future__ import annotations

import time

import numpy as np

from gdviz.core.grid import (
    flat_surface,
    gradient_field,
    height_range,
    log_params,
    log_transform,
    robust_range,
    sample_grid,
    scale_values,
    wants_log_scale,
)
from gdviz.core.levels import log_level_value, log_levels
from gdviz.ui.map_contours import LEVELS
from gdviz.ui.numbers import percent
from gdviz.ui.readouts import readout_name

GRID_SIZE = 256
"""Samples a side of the map's grid (the RSS probe of the benchmark raises it to 512)."""


class WindowSampling:
    """Sampling for the window (mixed into ``MainWindow``)."""

    @property
    def log_shown(self) -> bool:
        """Whether the map and the surface show the loss on a log scale now."""
        return self._log

    def _transform(self, values):
        if not self._log:
            return np.asarray(values, dtype=float)
        return log_transform(np.asarray(values, dtype=float), self._log_floor,
                             self._log_eps)[0]

    def _resample(self, domain=None, new_loss: bool = False) -> None:
        loss = self.controller.loss
        if loss is None:
            return
        domain = domain or self.controller.domain
        self.readouts.set_region(domain)  # (the digits that tell points apart on it)
        self.runs_panel.set_region(self.controller.runs, domain)  # (a run ended off it)
        grid = self.sample_loss(loss, domain, new_loss)
        self._refresh_field(domain)
        if not new_loss:  # (a new loss's runs are recomputed next, and shown then)
            self.surface.set_runs(self.controller.runs, self.controller.iteration)
            self.readouts.set_runs(self.controller.runs, self.controller.iteration)
        self._note_undefined(grid.undefined_fraction)

    def _refresh_field(self, domain) -> None:
        """The gradient field's arrows over ``domain``, as many a side as the view options
        ask for and the map has room for."""
        loss = self.controller.loss
        fmode = self.view_options.field_mode
        n = self.contour.arrows_that_fit(self.view_options.density.value())
        A, B, U, V, M = gradient_field(loss, domain, n)
        self.contour.set_field(A, B, U, V, M, -1.0 if fmode == "negative" else 1.0,
                               self.view_options.normalise.isChecked(), fmode != "off")

    def _on_arrow_room_changed(self) -> None:
        drawn = self.contour.field_drawn
        if self.controller.loss is None or not drawn:
            return
        n = self.contour.arrows_that_fit(self.view_options.density.value())
        if n != drawn[0].shape[0]:  # more or fewer arrows fit now
            self._refresh_field(self.contour.visible_domain())

    def _note_undefined(self, fraction: float) -> None:
        """Say on the status bar how much of the map is blank (and take back what was said
        about the map before: a new loss or region must not keep the last one's note)."""
        bar = self.statusBar()
        # (everywhere: the run's hint, "click the map where it is coloured", could not be
        # followed, sqrt(−w1² − 1 − w2²))
        self._undefined_everywhere = fraction >= 1.0
        if fraction > 0:
            # ("<1%": tan(x·y)¹⁰⁰'s poles said "on 0% of the map")
            self._undefined_head = (
                "The loss is undefined or infinite everywhere on the map (hatched): zoom out, "
                "or look for a root or log of a negative in it." if self._undefined_everywhere
                else f"The loss is undefined or infinite on {percent(fraction)} of the map "
                "(hatched; colours ignore it).")
            hint = self._undefined_start_hint()
            self._undefined_note = self._undefined_head + hint
            bar.showMessage(self._undefined_note, 15000 if hint else 8000)
        elif self._undefined_note and bar.currentMessage() == self._undefined_note:
            bar.clearMessage()

    def recheck_undefined_note(self) -> None:
        """After the runs changed: take back "Run 1 starts there" once its start has moved
        into the defined region (the note said it for 15 s more), or say it of the run now
        selected."""
        bar = self.statusBar()
        note = self._undefined_note
        if not note or bar.currentMessage() != note:
            return
        hint = self._undefined_start_hint()
        if self._undefined_head + hint != note:
            self._undefined_note = self._undefined_head + hint
            bar.showMessage(self._undefined_note, 15000 if hint else 8000)

    def _undefined_start_hint(self) -> str:
        """What to do where the selected run starts in the undefined region: log(w1) typed
        over the lecture's start (−0.5, 0.2) left a run of no step, its list entry saying
        why but not what to do."""
        c = self.controller
        if c.loss is None or not c.runs or not hasattr(c.loss, "value") or \
                getattr(self, "_undefined_everywhere", False):
            return ""
        index = min(max(c.selected, 0), len(c.runs) - 1)
        a, b = c.runs[index].spec.start
        with np.errstate(all="ignore"):
            try:
                value = np.asarray(c.loss.value(np.array([a]), np.array([b])), dtype=float)
            except (ArithmeticError, TypeError, ValueError):
                return ""
        if value.size and np.isfinite(value).all():
            return ""
        return (f" {readout_name(c.runs, index)} starts there: click the map where it is "
                "coloured to move its start.")

    def sample_loss(self, loss, domain, new_loss: bool = False, coarse: bool = False,
                    trace: bool = True):
        """Sample ``loss`` (a Loss or a preview: values only) and show the map and surface."""
        # GRID_SIZE read now (a module setting the RSS probe changes); coarse: the first frame.
        started = time.perf_counter()
        grid = sample_grid(loss, domain, GRID_SIZE // 2 if coarse else GRID_SIZE)
        mode = self.view_options.log_mode
        scaled = scale_values(grid.values)  # (one-cell strips through holes left out)
        if new_loss or self._log_floor is None:
            auto = self._log_hint if self._log_hint is not None else wants_log_scale(scaled)
            self._auto_log = bool(auto)
            self._log_floor, self._log_eps = log_params(scaled)
        self._log = self._auto_log if mode is None else bool(mode)
        shown = self._transform(grid.values)
        # What a point cost (the map's picture samples the same at every pixel of the map).
        # Not for the first frame: its quarter-size grid, sampled cold, costs about twice as
        # much a point, which would send even the default loss's picture to the thread and
        # show the first frame with a stand-in; its picture is made in its paint.
        point_seconds = 0.0 if coarse else \
            (time.perf_counter() - started) / max(grid.values.size, 1)
        self._levels = robust_range(shown if scaled is grid.values else
                                    np.where(np.isnan(scaled), np.nan, shown))
        self._grid, self._shown = grid, shown

        log, floor, eps = self._log, self._log_floor, self._log_eps  # as now (labels come later)

        def label_of(level):
            return log_level_value(level, floor, eps) if log else level

        def sampler(a, b):  # what the map colours, anywhere: for its screen-size picture
            # (The scale as now, not as the window's attributes say later: the picture may be
            # made on a worker thread while the next sampling sets them.)
            values = np.asarray(loss.value(a, b), dtype=float)
            return log_transform(values, floor, eps)[0] if log else values

        # A log map's levels sit at round values of f (0.1, 0.3, 1), which its labels show.
        levels = log_levels(*self._levels, floor, eps, LEVELS) if log else None
        self.contour.set_grid(grid, shown, self._levels, self._log, label_of, sampler, trace,
                              levels, point_seconds)
        # The surface's heights are f whatever the colours' scale: on a log scale a Gaussian
        # bump stood as a paraboloid's dome beside the Slice tab's bell, Rosenbrock folded —
        # but where f is a flat floor and a few pillars (exp(w1² + w2²)) its log, said so.
        heights = height_range(scaled)
        if log and flat_surface(scaled, heights):
            self.surface.set_surface(grid, shown, self._levels, loss.variables, None,
                                     lambda f: log_transform(f, floor, eps)[0],
                                     "height: log₁₀ f")
        else:
            self.surface.set_surface(grid, grid.values, heights, loss.variables,
                                     (shown, self._levels))
        return grid

    def fit_map(self, domain=None) -> None:
        """Show ``domain`` (default: the loss's) on the map and sample it (the F key)."""
        domain = domain or self.controller.domain
        self.contour.fit(domain)
        # With equal axis scales the view shows more than the domain: sample what is shown.
        self._resample(self.contour.visible_domain())
