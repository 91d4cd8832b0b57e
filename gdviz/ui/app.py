"""Start the Qt application: the window, or a headless screenshot or export."""

from __future__ import annotations

import os
import sys

from gdviz.ui import crash_dialog
from gdviz.ui.qt import QtCore, QtGui, QtWidgets


def make_app() -> QtWidgets.QApplication:
    """The QApplication (created once), with the app's name and style."""
    app = QtWidgets.QApplication.instance()
    if app is None:
        QtCore.QCoreApplication.setOrganizationName("gdviz")
        QtCore.QCoreApplication.setApplicationName("gdviz")
        # pyqtgraph caches GL shader programs per process: every GL view must share contexts.
        QtCore.QCoreApplication.setAttribute(QtCore.Qt.AA_ShareOpenGLContexts, True)
        # Fusion from the command line, not setStyle("Fusion"): that returns the QStyle, and
        # making its Python class (11 enum classes) cost ~4 ms before the first frame.
        app = QtWidgets.QApplication([*sys.argv[:1], "-style", "Fusion"])
    return app


def _only(window, view: str) -> None:
    """Show only the exported ``view`` ("map", "3d" or "both"), so that it fills a window of
    the export's ``--size``: inside the whole window at 1000×1000 the map was a strip 190
    pixels wide, and the export scaled that strip into the frame."""
    for part in (window.sidebar, window.derivatives, window.bottom_split, window.playback,
                 window.menuBar(), window.statusBar()):
        part.hide()
    if view == "map":
        window.surface.hide()
    elif view == "3d":
        window.contour.hide()


def parse_size(text: str | None, default=(1600, 1000)) -> tuple[int, int]:
    """``"1600x1000"`` → (1600, 1000); raises ValueError with a clear message."""
    if not text:
        return default
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise ValueError(f"--size must look like 1600x1000 (got '{text}')") from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise ValueError("--size must be between 320x240 and 7680x4320")
    return w, h


def grab_window(window: QtWidgets.QWidget) -> QtGui.QImage:
    """Picture of the whole window, including the OpenGL view."""
    QtWidgets.QApplication.processEvents()
    return window.grab().toImage()


def _no_arguments(args, session) -> bool:
    """Whether the window was launched plainly (so the last session should come back)."""
    keys = ("loss", "preset", "optimizer", "lr", "start", "steps", "screenshot", "export")
    return session is None and not any(getattr(args, k, None) is not None for k in keys)


def _read_autosave() -> tuple[object, str]:
    """The last session (autosave) to restore, read without sympy, and the note to show:
    (None, "") if there is none; (None, why) if it is unreadable (a damaged autosave never
    stops the app; it is kept aside and the note says where)."""
    import os

    from gdviz.core.session import load_session
    from gdviz.ui.autosave import RESTORED_NOTE, autosave_path, keep_unreadable_autosave

    path = autosave_path()
    if not os.path.isfile(path):
        return None, ""
    try:
        return load_session(path, parse=False), RESTORED_NOTE
    except Exception as err:  # noqa: BLE001 - the app starts on the lecture's loss
        return None, keep_unreadable_autosave(err)


def run_app(args, session=None) -> int:
    """Open the window (or render it headless) as the command line asks; return exit status."""
    from gdviz.launch import LaunchOptions
    from gdviz.ui.main_window import MainWindow

    size = parse_size(args.size)
    app = make_app()
    options = LaunchOptions(loss=args.loss, preset=args.preset, optimizer=args.optimizer,
                            lr=args.lr, start=_pair(args.start), steps=args.steps,
                            parsed=getattr(args, "parsed_loss", None))
    headless = bool(args.screenshot or args.export)
    first, note = session, ""
    if first is None and not headless and _no_arguments(args, session):
        first, note = _read_autosave()  # checked lightly now, fully when applied
    errors = crash_dialog.reported  # (counted from before the window is built)
    if headless:  # errors on stderr, not in a dialog (one while building counts too)
        crash_dialog.set_batch(True)
    # (--session's file linked to the window, for Ctrl+S; not when rendering headless, which
    # must not touch the user's recent files)
    path = os.path.abspath(args.session) if session is not None and not headless and \
        getattr(args, "session", None) else ""
    window = MainWindow(options, restore=not headless, session=first, session_note=note,
                        session_path=path)
    if headless:  # never overwrite the user's autosave
        window.classroom.sessions.set_autosave_enabled(False)
        status = _headless_run(app, window, args, session, size)
        # (an unexpected error on the way was printed, and the run said 0: it fails now)
        return status or int(crash_dialog.reported > errors)
    window.show()
    return app.exec()


def _headless_run(app, window, args, session, size) -> int:
    """:func:`run_app`'s ``--screenshot`` or ``--export``: its exit status."""
    from gdviz.ui.window_layout import share_width

    window.resize(*size)
    share_width(window, size[0])  # the splits as a window of this width starts with
    if args.export:
        from gdviz.ui.export import export_headless

        view = getattr(args, "export_view", None) or "map"
        if view in ("map", "3d", "both"):
            # The view fills the window (of --size, else 1600 × 1000), not a strip of it:
            # without --size a 3D export was 866 × 256, a map 866 × 386.
            _only(window, view)
        # Lay out and paint without putting a window on the screen.
        window.setAttribute(QtCore.Qt.WA_DontShowOnScreen, True)
        window.show()
        _wait_for_everything(window)
        # --size sets the frame size of an export (else 1600 × 1000): the view is laid
        # out to fill it, at most 1600 × 1000, a larger frame drawing it larger
        frame = parse_size(args.size)
        if view in ("map", "3d", "both"):
            from gdviz.ui.export import ANIMATION_FORMATS
            from gdviz.ui.export_frames import lay_out_for

            ext = os.path.splitext(args.export)[1].lower()
            if ext == ".mp4":  # (video sizes are even: laid out for what is drawn)
                from gdviz.ui.export import even_mp4_size

                frame = even_mp4_size(frame)
            lay_out_for(window, view, frame, ext in ANIMATION_FORMATS)
            _wait_for_everything(window)
        for _ in range(3):
            app.processEvents()
        if _session_failed(window, getattr(args, "session", None)):
            return 2
        try:
            # (a session's still shows the step it was saved at, as --screenshot does)
            saved = session.view.get("iteration") if session is not None else None
            fps = 10.0 if getattr(args, "fps", None) is None else args.fps
            return export_headless(window, args.export, fps=fps, size=frame,
                                   view=view, iteration=saved)
        finally:
            window.close()  # its threads end before it goes (see MainWindow.closeEvent)
    window.show()
    _wait_for_everything(window)
    for _ in range(5):
        app.processEvents()
    if _session_failed(window, getattr(args, "session", None)):
        return 2
    try:
        from gdviz.ui.export import ExportError, png_bytes, write_file

        try:  # (as exports are: atomic, a read-only file, a folder or a device refused)
            write_file(args.screenshot, png_bytes(grab_window(window)))
        except ExportError as err:
            print(f"gdviz: error: {err}", file=sys.stderr)
            return 2
        return 0
    finally:
        window.close()


def _session_failed(window, path: str | None = None) -> bool:
    """Whether the session given could not be shown (it passed the file's checks, not the
    window's): say so on stderr and close (the picture was of the lecture's loss, exit 0).
    A session shown without some of its runs says so on stderr too (it said nothing)."""
    notice = getattr(window, "session_notice", "")
    if notice and not window.session_error:
        print(f"gdviz: note: {notice}", file=sys.stderr)
    if not window.session_error:
        return False
    window.close()
    # (the file named, as every other error about it names it)
    where = f"{path}: " if path else ""
    print(f"gdviz: error: the session cannot be shown: {where}{window.session_error}",
          file=sys.stderr)
    return True


def _wait_for_everything(window) -> None:
    """What a screenshot or an export shows, finished: the loss, and the basins map of a
    session saved with it (computed on a worker thread; without the wait, the picture
    showed its progress bar), and runs computed in the background (100,000 Newton steps can
    take a minute: longer than ``wait_idle``'s usual 30 s)."""
    window.wait_idle(600_000)
    window.runs_panel.update_rule.wait()  # (typeset on its pool thread: not its plain text)
    window.derivatives.wait_typeset()  # (the shown lecture tab's formulas, the same)
    basins = window.classroom.basins
    if basins.enabled:
        basins.wait(120000)
        window.wait_idle()


def _pair(text):
    if not text:
        return None
    a, b = text.replace(";", ",").split(",")
    return float(a), float(b)
