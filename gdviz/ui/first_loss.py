"""The window's first loss: its map at once (a numpy preview), the exact loss after the first
frame, and the other start-up steps (see :mod:`gdviz.ui.startup`).
"""

from __future__ import annotations

from gdviz.core.grid import check_domain
from gdviz.core.presets import DEFAULT_PRESET, get_preset
from gdviz.core.preview import preview_loss
from gdviz.core.session import RunSpec
from gdviz.launch import LaunchOptions
from gdviz.ui.autosave import RESTORED_NOTE, keep_unreadable_autosave
from gdviz.ui.colors import RUN_COLORS
from gdviz.ui.compile_worker import shared_sandbox
from gdviz.ui.controller import Run


def load_first_loss(window, opt: LaunchOptions, session=None) -> None:
    """Show the first loss: a preview of its map now, the exact loss after the first frame.

    ``session`` (the autosave, or ``--session``) takes the place of the launch options.
    """
    if session is not None:
        _load_session(window, session)
        return
    if window.session_note:  # (an autosave that could not be read: where it was kept)
        window.startup.add("note", lambda: window.statusBar().showMessage(
            window.session_note, 15000))
    preset = get_preset(opt.preset or DEFAULT_PRESET)
    text = opt.loss if opt.loss is not None else preset.loss
    spec = RunSpec(optimizer=opt.optimizer or preset.optimizer,
                   lr=opt.learning_rate(preset),
                   start=tuple(opt.start) if opt.start else tuple(preset.start),
                   steps=opt.steps or preset.steps, color=RUN_COLORS[0])
    window.controller.runs = [Run(spec)]
    window.controller.preset = preset.name if opt.loss is None else ""
    window._log_hint = preset.log_scale if opt.loss is None else None
    domain = opt.domain(preset)
    window.loss_panel.set_text(text)
    window.loss_panel.set_preset_name(window.controller.preset)
    parsed = opt.parsed  # the command line already parsed (and time-limited) typed text
    if parsed is not None and parsed.text == text:
        window.controller.set_loss(parsed, domain)
        return
    show_preview(window, text, domain)
    asked = window.worker.requests

    def compile_first() -> None:
        # Presets and the command line's own text need no sandbox check; the compiled
        # loss replaces the preview (and adds the gradient, the runs and the formulas).
        # Skipped when another loss was asked for or installed meanwhile.
        if window.controller.loss is None and window.worker.requests == asked:
            window.controller.set_loss_text(text, True, domain, check=False)

    window.startup.add("loss", compile_first)

def _load_session(window, session) -> None:
    c = window.controller
    c.runs = [Run(spec) for spec in session.runs[:8]] or c.runs
    window.loss_panel.set_text(session.loss)
    view = session.view or {}
    show_preview(window, session.loss, session.domain, view.get("map_range"))

    def failed(err: Exception) -> None:
        # (the autosave, kept aside; or the file given with --session, which must not be
        # called "the last session", nor end in a picture of another loss: see app.py)
        window.session_error = str(err)
        if window.session_note == RESTORED_NOTE:
            window.statusBar().showMessage(keep_unreadable_autosave(err), 15000)
        else:
            # The last session instead, as a launch without the file shows it: the lecture's
            # loss took its place, and the autosave, written over with it seconds later, was
            # lost to a file that could not be opened.
            note = f"The session could not be opened: {err}"
            window.statusBar().showMessage(note, 15000)
            # (and where it cannot be shown either, the lecture's loss after all: the
            # window was left with no loss, the failed file's picture on the map)
            if window.classroom.sessions.restore_autosave(
                    note, lambda: window.load_preset(DEFAULT_PRESET)):
                return
        window.load_preset(DEFAULT_PRESET)

    def apply(loss) -> None:
        from gdviz.ui.sessions import apply_session

        try:
            notice = apply_session(window, session, loss)
        except Exception as err:  # noqa: BLE001 - a bad session must never stop the app
            failed(err)
            return
        window.session_notice = notice  # (the command line says it too: see app.py)
        note = f"{window.session_note} {notice}".strip()
        if note:
            window.statusBar().showMessage(note, 8000 if notice else 5000)
        # The file it came from, named in the title, Ctrl+S writing there (the autosave's:
        # the file the window showed when it closed; they were under no file at launch)
        sessions = window.classroom.sessions
        if window.session_note == RESTORED_NOTE:
            sessions.relink(session.view)
        elif window.session_path:
            sessions.opened(window.session_path, notice)

    def check() -> None:
        # The compile thread compiles the loss (and imports sympy there, not on this
        # thread); the session is applied with it when it comes, or refused.
        from gdviz.ui.sessions import when_compiled

        when_compiled(window, session, apply, failed)

    window.startup.add("session", check)

def show_preview(window, text: str, domain, map_range=None) -> None:
    """The first frame: the loss's map from its syntax tree (no sympy; no gradient yet)."""
    window.controller.domain = check_domain(domain)
    window.contour.fit(map_range or window.controller.domain)
    preview = preview_loss(text)
    if preview is None:
        return
    window.contour.set_variables(*preview.variables)
    window._log_floor = None
    # Half the resolution: a quarter of the work, and replaced within a second anyway.
    window.sample_loss(preview, window.contour.visible_domain(), new_loss=True, coarse=True,
                 trace=False)
    window.contour.set_runs(window.controller.runs, 0, window.view_options.arrows.isChecked())
    window.busy.setText("working out the gradient…")

def build_lecture_tabs(window) -> None:
    window.derivatives.build_tabs()
    slice_view = window.derivatives.views.get("Slice")
    if slice_view is not None:
        slice_view.sliceLineChanged.connect(window.contour.set_slice_line)
        slice_view.announce_line()  # it may have drawn (and emitted) before this connection
        slice_view.mark_dirty()

def start_sandbox(window) -> None:
    window.worker.sandbox = shared_sandbox()
