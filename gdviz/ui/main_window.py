"""The main window: wires the loss panel, views, runs and playback to the controller."""

from __future__ import annotations

import sys

from gdviz.core.presets import get_preset, load_presets
from gdviz.launch import LaunchOptions
from gdviz.ui import window_layout as layouts
from gdviz.ui.compile_worker import CompileWorker
from gdviz.ui.contour_view import ContourView
from gdviz.ui.controller import Controller
from gdviz.ui.derivatives import DerivativesDock
from gdviz.ui.dock_room import watch_dock
from gdviz.ui.first_loss import build_lecture_tabs, load_first_loss, start_sandbox
from gdviz.ui.gc_tuning import freeze_when_settled
from gdviz.ui.later import drain_pools
from gdviz.ui.loss_panel import LossPanel
from gdviz.ui.loss_plot import LossPlot
from gdviz.ui.malloc import keep_freed_memory
from gdviz.ui.mathtext import render_loss
from gdviz.ui.menus import add_dock_action, escape, install_menus, install_shortcuts
from gdviz.ui.playback import PlaybackBar
from gdviz.ui.qt import QtCore, QtWidgets
from gdviz.ui.readouts import Readouts
from gdviz.ui.runs_panel import RunsPanel
from gdviz.ui.startup import Startup
from gdviz.ui.steady_label import SteadyLabel
from gdviz.ui.surface_view import SurfaceView
from gdviz.ui.undo import RunsHistory
from gdviz.ui.view_options import ViewOptions
from gdviz.ui.views_arrangement import ViewsArrangement
from gdviz.ui.window_layout import share_width
from gdviz.ui.window_sampling import WindowSampling

# How long a thread may keep the GIL while another waits for it. With Python's default (5 ms)
# a compile thread grinding through sympy starves the GUI thread: every time the GUI thread
# returns from Qt into Python (a timer, a paint, a signal) it waits up to 5 ms, many times per
# event, and the window stops responding for the whole compile (measured: no 10 ms timer tick
# in 0.3 s). At 1 ms it ticks every ~12 ms. Only threads that compete pay for it.
GIL_SWITCH_INTERVAL = 0.001


class MainWindow(WindowSampling, QtWidgets.QMainWindow):
    """gdviz's window. ``MainWindow()`` opens on the lecture's loss with one GD run.

    Parameters
    ----------
    options
        Launch options from the command line (loss or preset, optimizer, lr, start, steps).
    restore
        Restore geometry from the settings store.
    session
        A :class:`gdviz.core.session.Session` to open instead (``--session``, the autosave).
    session_note
        Status-bar note once ``session`` is open (e.g. "Restored the last session.").
    session_path
        The file ``session`` was read from (``--session``): the window's file once it is
        shown, as if opened from the menu.
    """

    dock_narrowed = False
    """Whether the lecture dock is hidden because the window was too narrow for it (not by the
    user): :func:`gdviz.ui.window_layout.share_width` shows it again when there is room."""

    dock_shared: int | None = None
    """The lecture dock's width as :func:`gdviz.ui.window_layout.share_width` last set it
    (None: hidden then): :func:`gdviz.ui.dock_room.regrow_dock` widens only such a dock."""

    sidebar_yielded = False
    """Whether the controls are hidden to make room for the lecture dock on a small screen
    (:func:`gdviz.ui.dock_room.make_room_for_dock`): shown again with the dock hidden."""

    def __init__(self, options: LaunchOptions | None = None, restore: bool = True,
                 session=None, session_note: str = "", session_path: str = "") -> None:
        super().__init__()
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL))
        self.setWindowTitle("gdviz — derivatives, gradients and gradient descent")
        self.setObjectName("mainWindow")
        self.presets = load_presets()
        # The sandbox process (for typed losses) starts after the first frame.
        self.worker = CompileWorker(sandbox=None, render=render_loss, parent=self)
        self.controller = Controller(self.worker, self)
        self.worker.typeset.connect(self._on_formulas_typeset)
        self._grid = None
        self._shown = None
        self._levels = (0.0, 1.0)
        self._log = False
        self._log_floor = 0.0
        self._log_eps = 1e-12  # (see gdviz.core.grid.log_params)
        self._log_hint = None
        self._undefined_note = self._undefined_head = ""  # a status-bar note (taken back later)
        self._build()
        self.views_arrangement = ViewsArrangement(self)  # map beside or above the 3D view
        self.startup = Startup(self)
        self._connect()
        install_shortcuts(self)
        install_menus(self)
        add_dock_action(self)
        self.history = RunsHistory(self)  # Edit ▸ Undo
        self._classroom = None  # sessions, export, presentation, compare, basins: see classroom
        # A headless window (--screenshot, --export) neither restores nor saves the user's
        # window settings: a screenshot at another size must not change the next launch.
        self.remember = restore
        if restore:
            self._restore_settings()
        self.session_note, self.session_error = session_note, ""  # (see first_loss)
        self.session_path = session_path  # (the file --session opened, if any)
        # First the exact loss (sympy, on the compile thread), then while it works the views
        # that wait for nothing else.
        load_first_loss(self, options or LaunchOptions(), session)
        # Repaints reuse their temporaries' pages from here on (gdviz.ui.malloc).
        self.startup.add("memory", keep_freed_memory)
        self.startup.add("classroom", lambda: self.classroom)
        self.startup.add("3D view", self.surface.build)
        self.startup.add("lecture tabs", lambda: build_lecture_tabs(self))
        self.startup.add("sandbox", lambda: start_sandbox(self))
        # Last: what start-up made lives as long as the app (gdviz.ui.gc_tuning).
        self.startup.add("heap", lambda: freeze_when_settled(self))

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.loss_panel = LossPanel(self.presets)
        self.runs_panel = RunsPanel(default_lr=self.controller.default_lr)
        self.view_options = ViewOptions()
        self.contour = ContourView()
        self.surface = SurfaceView(lazy=True)
        self.loss_plot = LossPlot()
        self.readouts = Readouts()
        self.playback = PlaybackBar()

        width = layouts.lay_out(self)
        self.derivatives = DerivativesDock(self.controller, self, lazy=True)
        self.addDockWidget(QtCore.Qt.RightDockWidgetArea, self.derivatives)
        self.derivatives.setMinimumWidth(320)
        watch_dock(self)
        # The map and the 3D view get what the controls do not need.
        share_width(self, width)
        # (A steady label: a new text does not lay out the whole window again.)
        self.busy = SteadyLabel("", "busyLabel")
        self._runs_done = 0.0  # the background runs' progress last reported (0 to 1)
        self.statusBar().addPermanentWidget(self.busy)
        # (for the mouse, beside the progress: the same as Esc)
        self.stop_runs_button = QtWidgets.QToolButton(
            text="Stop", objectName="stopRunsButton",
            toolTip="Stop the runs computing in the background (Esc)")
        self.stop_runs_button.clicked.connect(self.stop_runs)
        self.stop_runs_button.hide()
        self.statusBar().addPermanentWidget(self.stop_runs_button)

    def _connect(self) -> None:
        c = self.controller
        c.lossChanged.connect(self._on_controller_loss_changed)
        c.lossFailed.connect(self._on_controller_loss_failed)
        c.lossTextValid.connect(lambda _t: self.loss_panel.clear_error(typed=True))
        c.compileBusy.connect(lambda _b: self._show_busy())
        c.runsBusy.connect(lambda _b: self._show_busy())
        c.runner.progress.connect(lambda _r, done, total: self._show_busy(done / max(total, 1)))
        c.domainChanged.connect(self._on_controller_domain_changed)
        c.runsChanged.connect(self._on_controller_runs_changed)
        c.selectedChanged.connect(lambda _i: self._on_controller_runs_changed())
        c.iterationChanged.connect(self._on_controller_iteration_changed)
        c.playingChanged.connect(self._on_controller_playing_changed)
        c.logScaleHint.connect(self._on_controller_log_hint)
        p = self.loss_panel
        p.textEdited.connect(lambda t: c.set_loss_text(t, apply=False))
        # (Undo first keeps the window as it is, the preset's name too)
        p.applyRequested.connect(lambda t: (self.history.loss_typed(t), self._on_loss_apply(t)))
        p.presetChosen.connect(self.load_preset)
        r = self.runs_panel
        r.selected.connect(c.select)
        r.addRequested.connect(c.add_run)
        r.removeRequested.connect(c.remove_run)
        r.edited.connect(lambda i, ch: c.update_run(i, **ch))
        self.contour.mapClicked.connect(self._on_map_clicked)
        self.contour.startMoved.connect(self._on_contour_start_moved)
        self.contour.rangeChanged.connect(self._resample)
        self.contour.arrowRoomChanged.connect(self._on_arrow_room_changed)
        v = self.view_options
        v.changed.connect(self._on_view_options_changed)
        v.fitRequested.connect(lambda: self.fit_map())
        b = self.playback
        b.playToggled.connect(c.toggle_play)
        b.stepRequested.connect(lambda: (c.pause(), c.step_forward()))
        b.stepBackRequested.connect(lambda: (c.pause(), c.step_back()))
        b.resetRequested.connect(c.reset)
        b.speedChanged.connect(c.set_speed)
        b.iterationChosen.connect(c.set_iteration)

    @property
    def classroom(self):
        """The classroom features (:class:`gdviz.ui.classroom.Classroom`), built on first use
        (right after the first frame, or earlier when something asks for them)."""
        if self._classroom is None:
            from gdviz.ui.classroom import Classroom

            self._classroom = Classroom(self)
        return self._classroom

    def load_preset(self, name: str) -> None:
        """Switch to preset ``name`` (its loss, domain, colours and suggested run)."""
        preset = get_preset(name)
        self.loss_panel.set_text(preset.loss)
        self.loss_panel.set_preset_name(name)
        self.loss_panel.clear_error()
        self.controller.apply_preset(preset)

    def apply_loss_text(self, text: str) -> None:
        """Apply a typed loss as Enter does, without an Undo step (a script's or a test's
        loss; Enter's step is made where the loss box's ``applyRequested`` is connected)."""
        self.loss_panel.set_text(text)
        self._on_loss_apply(text)

    def _on_loss_apply(self, text: str) -> None:
        self.controller.preset = ""
        self._log_hint = None
        self.controller.set_loss_text(text, apply=True)

    def apply_session(self, session) -> None:
        """Show a loaded :class:`gdviz.core.session.Session` (loss, domain, runs, view)."""
        from gdviz.ui.sessions import apply_session

        notice = apply_session(self, session)
        if notice:
            self.statusBar().showMessage(notice, 8000)

    def current_session(self):
        """The window's state as a :class:`gdviz.core.session.Session`."""
        from gdviz.ui.sessions import session_from_window

        return session_from_window(self)

    def wait_idle(self, msecs: int = 30000) -> None:
        """Finish starting up, let queued compile work and runs computing in the background
        finish and their results arrive (tests, screenshots, exports)."""
        deadline = QtCore.QDeadlineTimer(msecs)
        self.startup.start()
        runner = self.controller.runner
        while (self.startup.busy or self.worker.busy or runner.busy) \
                and not deadline.hasExpired():
            if self.startup.busy:
                self.startup.run_next()
            elif self.worker.busy:
                self.worker.wait(100)
            else:
                runner.wait(100)
            QtCore.QCoreApplication.processEvents()
        # The views rearranged for the loss's domain, and the region then shown sampled
        # (with equal scales it follows the map's shape).
        self.views_arrangement.flush()
        QtCore.QCoreApplication.processEvents()
        self.contour.flush_range()
        self.derivatives.refresh_current()  # (and the slice line it puts on the map)
        QtCore.QCoreApplication.processEvents()
        self.contour.finish_picture()  # (a costly loss's map picture, made in the background)
        QtCore.QCoreApplication.processEvents()

    # -- reacting to the controller -----------------------------------------------------------
    def _on_map_clicked(self, a: float, b: float) -> None:
        """A click on the map starts the selected run there, and shows it if it was hidden
        (it moved a run no one could see)."""
        c = self.controller
        if c.runs and not c.runs[c.selected].spec.visible:
            c.update_run(c.selected, visible=True)
        c.set_start(c.selected, a, b)

    def _on_controller_loss_changed(self, loss) -> None:
        # (not over typing; typed and applied, set again: Ctrl+Z there is then Undo)
        if not self.loss_panel.edit.hasFocus() or self.loss_panel.edit.text() == loss.text:
            self.loss_panel.set_text(loss.text)
            self.loss_panel.set_preset_name(self.controller.preset)
        # (and the status note) unless a refused text stays in the box: Controller._superseded
        if not (self.controller.failed_apply and self.loss_panel.edit.text() != loss.text):
            self.loss_panel.clear_error()
        self.loss_panel.formulas_pending(loss)  # (dimmed until _on_formulas_typeset)
        self.contour.set_variables(*loss.variables)
        self.runs_panel.set_start_precision(self.controller.domain, loss.variables)
        self._log_floor = None
        self._resample(self.contour.visible_domain() if self._grid is not None
                       or self.controller.loss_changing else None, new_loss=True)
        self.busy.setText("")
        # Typeset f and its partials once the views have painted the new loss (typesetting
        # costs as much as compiling; the plain text shows meanwhile).
        self.worker.typeset_soon(loss)

    def _on_formulas_typeset(self, result) -> None:
        loss = self.controller.loss
        if (loss is not None and loss.text == result.text
                and tuple(loss.variables) == tuple(result.variables)):
            if result.images or self.worker.render is None:
                self.loss_panel.set_formulas(loss, result.images)
            else:  # the plain-text forms, printed: shown if the typeset ones are slow
                self.loss_panel.formulas_printed(loss)

    def _on_controller_loss_failed(self, message: str, position: int) -> None:
        c = self.controller
        self.loss_panel.refused(message, position, c.failed_text, c.failed_apply,
                                (c.loss_text, c.preset))

    def _on_controller_domain_changed(self, domain) -> None:
        self.runs_panel.set_start_precision(domain)
        if self.controller.loss_changing:
            self.contour.fit(domain)  # the loss handler samples the new region next
        else:
            self.fit_map(domain)

    def _on_controller_log_hint(self, hint) -> None:
        self._log_hint = hint

    def _on_controller_runs_changed(self) -> None:
        c = self.controller
        self.runs_panel.set_runs(c.runs, c.selected)
        self.loss_plot.set_runs(c.runs)
        # Other runs: the readouts' columns fit them afresh (they only grow during playback).
        self._on_controller_iteration_changed(c.iteration, refit=True)
        self.readouts.show_run(c.selected)
        self.recheck_undefined_note()  # ("Run 1 starts there" gone once it does not)

    def _on_controller_iteration_changed(self, k: int, refit: bool = False) -> None:
        c = self.controller
        self.playback.set_state(k, c.max_iteration)
        show = self.view_options.arrows.isChecked()
        self.contour.set_runs(c.runs, k, show)
        # Every step in 3D too: a frame only draws new path segments over the cached picture.
        self.surface.set_runs(c.runs, k)
        self.loss_plot.set_iteration(k)
        self.readouts.set_runs(c.runs, k, refit)

    def _on_controller_playing_changed(self, playing: bool) -> None:
        self.playback.set_playing(playing)

    def _on_contour_start_moved(self, index: int, a: float, b: float) -> None:
        self.controller.select(index)
        self.controller.set_start(index, a, b)

    def _on_view_options_changed(self) -> None:
        self.loss_plot.set_log(self.view_options.loss_log.isChecked())
        self.contour.set_equal_scales(self.view_options.equal.isChecked())
        self.surface.set_height_scale(self.view_options.height.value() / 100.0)
        self._resample(self.contour.visible_domain())
        self._on_controller_runs_changed()

    # -- settings -----------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        try:
            self.restore_window_layout(layouts.saved_layout())
            dark, px = layouts.saved_appearance()
            if dark or px is not None:  # (before the first frame: no flash of the other theme)
                self.classroom.presentation.restore(dark, px)
        except Exception:  # noqa: BLE001 - a damaged settings file must not stop the app
            self.statusBar().showMessage("Saved window settings were unreadable and were "
                                         "ignored.", 8000)

    def restore_window_layout(self, layout: dict, same_width: bool = True) -> None:
        """Put the window as :meth:`window_layout` described it (see
        :func:`gdviz.ui.window_layout.restore_window_layout`)."""
        layouts.restore_window_layout(self, layout, same_width)

    def window_layout(self) -> dict:
        """What :meth:`save_settings` keeps of the window: geometry, width, docks, splitters."""
        return layouts.window_layout(self)

    def save_settings(self) -> None:
        """Remember geometry, splitters, the last loss, the theme and the type size (in
        presentation mode: the window as it was before, not the full screen)."""
        presentation = getattr(self._classroom, "presentation", None)
        layout = presentation.window_before if presentation is not None and \
            presentation.active else self.window_layout()
        layouts.save_layout(layout, self.controller.loss_text)
        if presentation is not None:  # (never built: nothing chosen to keep)
            layouts.save_appearance(*presentation.kept())

    def _show_busy(self, fraction: float | None = None) -> None:
        """The status bar's note of background work: the loss compiling, or runs (or a
        comparison) computing, with how far along (the last ``fraction`` reported) and how
        to stop it."""
        if fraction is not None:
            self._runs_done = fraction
        if not self.controller.runner.busy:
            self._runs_done = 0.0
        if self.worker.busy:
            text = "working on the loss…"
        elif self.controller.runner.busy:
            done = f" {self._runs_done:.0%}" if self._runs_done else ""
            text = f"computing runs…{done} (Esc stops)"
        else:
            text = ""
        self.busy.setText(text)
        self.stop_runs_button.setVisible(self.controller.runner.busy)

    def escape(self) -> None:
        """Esc: cancel what is typed in a box and leave it; outside one, stop the runs
        computing in the background (:func:`gdviz.ui.menus.escape`)."""
        escape(self)

    def stop_runs(self) -> None:
        """Stop the runs (or the comparison) computing in the background and say so."""
        if not self.controller.runner.busy:
            return  # (a click that came just after they ended)
        self.controller.stop_runs()
        self.statusBar().showMessage("Stopped the runs computing in the background.", 8000)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.controller.pause()
        self.worker.shutdown()  # (the window is not shown again: nothing more to compile)
        self.controller.runner.shutdown()  # (a running job stops within a few ms)
        self.contour.picture.shutdown()
        if self.remember:
            self.save_settings()
        presentation = getattr(self._classroom, "presentation", None)
        if presentation is not None and presentation.active:
            presentation.leave()  # the application's type and theme as they were
        self.worker.wait(3000)
        drain_pools(self, 3000)  # the views' typesetting and the basins map's jobs
        super().closeEvent(event)
