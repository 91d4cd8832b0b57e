"""Classroom features installed on the main window: sessions, export, presentation, compare,
basins. :func:`install_classroom` creates them (``window.classroom``) and connects the menus.
"""

from __future__ import annotations

import os

from gdviz.ui import export
from gdviz.ui.basins import BasinsOverlay
from gdviz.ui.compare import ComparePanel
from gdviz.ui.key_owner import own_keys
from gdviz.ui.menus import add_table_action
from gdviz.ui.presentation import Presentation
from gdviz.ui.qt import QtCore, QtWidgets
from gdviz.ui.session_files import SessionManager, ask_save_path
from gdviz.ui.widgets import NumberSpinBox

STILLS = {"map_png": ("Save the 2D map", "PNG pictures (*.png)", ".png"),
          "map_svg": ("Save the 2D map", "SVG drawings (*.svg)", ".svg"),
          "3d_png": ("Save the 3D view", "PNG pictures (*.png)", ".png"),
          "window_png": ("Save the window", "PNG pictures (*.png)", ".png")}


class AnimationDialog(QtWidgets.QDialog):
    """Format, views, size, frames per second and frame spacing of an animation."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setObjectName("animationDialog")
        self.setWindowTitle("Export animation")
        self.window = window
        form = QtWidgets.QFormLayout(self)
        self.format = QtWidgets.QComboBox()
        self.format.setObjectName("animationFormatCombo")
        self.format.addItem("GIF (plays everywhere, slides and web pages)", ".gif")
        self.format.addItem("MP4 video (small files, smooth)", ".mp4")
        ok, why = export.ffmpeg_available()
        self.note = QtWidgets.QLabel("" if ok else why)
        self.note.setWordWrap(True)
        self.note.setVisible(not ok)
        if not ok:  # explain instead of failing later
            self.format.model().item(1).setEnabled(False)
            self.format.setItemData(1, why, QtCore.Qt.ToolTipRole)
        self.format.setAccessibleName("format")
        self.format.setToolTip("GIF or MP4 (MP4 needs ffmpeg)")
        form.addRow("Format", self.format)
        form.addRow("", self.note)
        self.view = QtWidgets.QComboBox()
        self.view.setObjectName("animationViewCombo")
        for key, label in export.VIEWS.items():
            self.view.addItem(label, key)
        self.view.setToolTip("What each frame shows")
        form.addRow("Views", self.view)
        self.width_spin = QtWidgets.QSpinBox(minimum=64, maximum=3840, singleStep=16)
        self.height_spin = QtWidgets.QSpinBox(minimum=64, maximum=2160, singleStep=16)
        self.width_spin.setAccessibleName("width in pixels")
        self.height_spin.setAccessibleName("height in pixels")
        self.width_spin.setToolTip("The clip's width in pixels (64 to 3840)")
        self.height_spin.setToolTip("The clip's height in pixels (64 to 2160)")
        size_row = QtWidgets.QHBoxLayout()
        size_row.addWidget(self.width_spin)
        size_row.addWidget(QtWidgets.QLabel("×"))
        size_row.addWidget(self.height_spin)
        form.addRow("Size (px)", size_row)
        self.fps = NumberSpinBox(minimum=0.5, maximum=export.MAX_FPS, value=10.0, decimals=1)
        self.fps.setToolTip("Frames per second of the clip")
        self.fps.setAccessibleName("frames per second")
        form.addRow("Frames per second", self.fps)
        self.every = QtWidgets.QSpinBox(minimum=1, maximum=1000, value=1)
        self.every.setToolTip("1: one frame per descent step; 5: every fifth step")
        self.every.setAccessibleName("one frame every this many steps")
        form.addRow("One frame every", self.every)
        self.summary = QtWidgets.QLabel()
        form.addRow("", self.summary)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.Ok
                                             | QtWidgets.QDialogButtonBox.Cancel)
        buttons.button(QtWidgets.QDialogButtonBox.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.view.currentIndexChanged.connect(self._on_view_changed)
        for w in (self.every, self.fps):
            w.valueChanged.connect(self._update_summary)
        self.format.currentIndexChanged.connect(self._update_summary)
        self.summary.setWordWrap(True)
        self._on_view_changed()

    def _on_view_changed(self, *_args) -> None:
        w, h = export.native_size(self.window, self.view.currentData())
        self.width_spin.setValue(w)
        self.height_spin.setValue(h)
        self._update_summary()

    def _update_summary(self, *_args) -> None:
        last, every = self.window.controller.max_iteration, self.every.value()
        n = len(export.frame_iterations(last, every))
        text = f"{n} frames, {n / self.fps.value():.1f} s"
        if self.format.currentData() == ".gif" and n > export.MAX_GIF_FRAMES:
            n = len(export.frame_iterations(last, every, export.MAX_GIF_FRAMES))
            text = (f"{n} frames, {n / self.fps.value():.1f} s (a GIF holds at most "
                    f"{export.MAX_GIF_FRAMES}: steps are sampled; MP4 keeps every one)")
        self.summary.setText(text)

    def options(self) -> dict:
        return {"view": self.view.currentData(), "fps": self.fps.value(),
                "every": self.every.value(),
                "size": (self.width_spin.value(), self.height_spin.value())}


class Classroom(QtCore.QObject):
    """Holds the features of one window: ``sessions``, ``presentation``, ``compare``,
    ``basins``; and runs the File ▸ Export dialogs."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.sessions = SessionManager(window)
        self.presentation = Presentation(window)
        self.compare = ComparePanel(window)
        self.basins = BasinsOverlay(window)
        self.export_folder = ""
        a = window.menu_actions
        a["open"].triggered.connect(self.sessions.open_dialog)
        a["save"].triggered.connect(self.sessions.save)
        a["save_as"].triggered.connect(self.sessions.save_as)
        for what in STILLS:
            a[f"export_{what}"].triggered.connect(lambda _=False, w=what: self.export_still(w))
        a["export_animation"].triggered.connect(self.export_animation)
        a["presentation"].triggered.connect(self.presentation.toggle)
        a["dark"].triggered.connect(self.presentation.set_dark)
        a["larger"].triggered.connect(self.presentation.larger)
        a["smaller"].triggered.connect(self.presentation.smaller)
        a["compare"].triggered.connect(self.compare.run)
        add_table_action(window, self.compare)
        a["basins"].toggled.connect(self.basins.set_enabled)
        a["basins_steps"].toggled.connect(self._on_basins_steps_toggled)
        self.presentation.changed.connect(self._sync_checks)
        window.controller.lossChanged.connect(self._hand_back_keys)
        window.installEventFilter(self)
        owner = getattr(window, "_key_owner", None)  # (the docks made here: their keys too)
        if owner is not None:
            own_keys(self.compare.dock, owner)

    def _hand_back_keys(self, loss) -> None:
        """In presentation mode a loss typed and applied with Enter hands the keys back to
        the window, as a number box does (:class:`gdviz.ui.key_owner.KeyOwner`): the
        teacher's Space then typed into the box, playback standing still. A loss refused
        keeps them, to be mended; outside presentation mode the box keeps them too."""
        edit = self.window.loss_panel.edit
        if self.presentation.active and edit.hasFocus() and edit.text() == loss.text:
            QtCore.QTimer.singleShot(0, self.window, self.window.setFocus)

    def _sync_checks(self) -> None:
        a = self.window.menu_actions
        for key, on in (("presentation", self.presentation.active),
                        ("dark", self.presentation.dark)):
            if a[key].isChecked() != on:
                a[key].blockSignals(True)
                a[key].setChecked(on)
                a[key].blockSignals(False)

    def _on_basins_steps_toggled(self, on: bool) -> None:
        self.basins.set_mode("steps" if on else "minimum")
        if on and not self.basins.enabled:
            self.window.menu_actions["basins"].setChecked(True)

    def _ask_path(self, title: str, file_filter: str, suffix: str) -> str:
        start = os.path.join(self.export_folder, f"gdviz{suffix}")
        path = ask_save_path(self.window, title, start, file_filter, suffix, only_suffix=True)
        if path:
            self.export_folder = os.path.dirname(path)
        return path

    def runs_finished(self) -> bool:
        """Wait (with a progress dialog the user can cancel) for the runs still computing in
        the background, and the basins map, so an export shows them (a GIF recorded while
        the map computed gained it halfway); False when the user gave up waiting."""
        c, basins = self.window.controller, self.basins

        def busy() -> bool:
            return c.runner.busy or (basins.enabled and basins.busy)

        if not busy():
            return True
        progress = QtWidgets.QProgressDialog("Finishing the runs and maps before the export…",
                                             "Cancel", 0, 0, self.window)
        progress.setObjectName("runsProgress")
        progress.setWindowTitle("Export")
        progress.setWindowModality(QtCore.Qt.WindowModal)
        progress.setMinimumDuration(300)
        try:
            while busy() and not progress.wasCanceled():
                if c.runner.busy:
                    c.runner.wait(50)  # (delivers results and keeps the window painting)
                else:
                    basins.wait(50)
        finally:
            progress.close()
        if busy():
            self.window.statusBar().showMessage(
                "Export cancelled while the runs were computing; nothing was written.", 5000)
            return False
        return True

    def export_still(self, what: str, path: str | None = None) -> bool:
        """File ▸ Export ▸ a picture (``map_png``, ``map_svg``, ``3d_png``, ``window_png``)."""
        path = path or self._ask_path(*STILLS[what])
        if not path or not self.runs_finished():
            return False
        try:
            export.export_still(self.window, path, what)
        except export.ExportError as err:
            self.sessions.show_error("Export failed", str(err))
            return False
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def export_animation(self) -> bool:
        """File ▸ Export ▸ Animation: ask for the settings and a file, then record."""
        if not self.runs_finished():  # (the dialog counts the frames the runs make)
            return False
        dialog = AnimationDialog(self.window)
        if dialog.exec() != QtWidgets.QDialog.Accepted:
            return False
        suffix = dialog.format.currentData()
        label = "GIF animations (*.gif)" if suffix == ".gif" else "MP4 videos (*.mp4)"
        path = self._ask_path("Export animation", label, suffix)
        return bool(path) and self.record(path, **dialog.options())

    def record(self, path: str, view: str = "map", size=None, fps: float = 10.0,
               every: int = 1) -> bool:
        """Write an animation with a cancellable progress dialog; True when written."""
        if not self.runs_finished():
            return False
        progress = QtWidgets.QProgressDialog("Recording the descent…", "Cancel", 0, 100,
                                             self.window)
        progress.setObjectName("exportProgress")
        progress.setWindowTitle("Export animation")
        progress.setWindowModality(QtCore.Qt.WindowModal)
        progress.setMinimumDuration(300)
        self.progress_dialog = progress

        def report(done: int, total: int) -> bool:
            progress.setMaximum(total)
            progress.setValue(done)
            progress.setLabelText(f"Recording the descent… frame {done} of {total}")
            QtWidgets.QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            n = export.write_animation(self.window, path, view, size, fps, every, report)
        except export.ExportCancelled:
            self.window.statusBar().showMessage("Export cancelled; nothing was written.", 5000)
            return False
        except export.ExportError as err:
            self.sessions.show_error("Export failed", str(err))
            return False
        finally:
            progress.close()
        self.window.statusBar().showMessage(f"Saved {n} frames to {path}", 8000)
        return True

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if obj is self.window and event.type() == QtCore.QEvent.Close:
            self.basins.shutdown()
        return False


def install_classroom(window) -> Classroom:
    """The classroom features of ``window`` (a MainWindow builds them on first use)."""
    return window.classroom
