"""Presentation mode (F11): full screen, large type, thick lines, a projector theme, fewer
controls; plus the dark theme and Ctrl +/− text size, which also work outside it.

Leaving presentation mode restores the window state, fonts, line widths and every control
that was tucked away; the theme stays as chosen (dark, chosen mid-lecture, went on leaving).
"""

from __future__ import annotations

from gdviz.ui.binding import QtCore, QtGui, QtWidgets
from gdviz.ui.presentation_sizes import (
    DARK,
    LECTURE_MAX_SCALE,
    LECTURE_PRESENTING_MOST,
    LINE_WIDTHS,
    MAX_PX,
    MIN_PX,
    NORMAL_MAX_SCALE,
    PRESENTATION_PX,
    SIDEBAR_SHARE,
    TAB_TITLE_MOST,
    TAB_TITLE_SHARE,
    lecture_px,
    presentation_px,
    row_of,
    titles_width,
)
from gdviz.ui.window_layout import share_width


class Presentation(QtCore.QObject):
    """Presentation mode, theme and text size of one MainWindow.

    Attributes
    ----------
    active : bool
        Whether presentation mode is on.
    dark : bool
        Whether the dark theme is shown.
    px : int
        Type size in presentation mode: :func:`presentation_px` of the screen on entering,
        until Ctrl +/− (while active) chooses another.
    """

    changed = QtCore.Signal()

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.active = False
        self.dark = False
        self.px = PRESENTATION_PX
        self._px_chosen = False  # True once Ctrl +/− chose a size in presentation mode
        self.window_before: dict = {}
        app = QtWidgets.QApplication.instance()
        self._app_font = QtGui.QFont(app.font())
        self._app_palette = QtGui.QPalette(app.palette())
        self._default_px = QtGui.QFontInfo(self._app_font).pixelSize()
        self.normal_px: int | None = None  # None: the app's own size
        window.derivatives.tabs.installEventFilter(self)  # (see eventFilter)
        window.installEventFilter(self)
        # Laid out again for a window that changes size while presenting (a projector
        # plugged in drops the screen to 1280 × 720: the sidebar and the dock kept their
        # 1920-pixel widths, the map a sliver 10 pixels wide), once its size settles.
        self._relayout = QtCore.QTimer(self, singleShot=True, interval=50)
        self._relayout.timeout.connect(self._fit_new_size)
        self._laid_out_for: QtCore.QSize | None = None
        self._saved: dict = {}
        loss_panel = getattr(window, "loss_panel", None)
        self._edit_font = QtGui.QFont(loss_panel.edit.font()) if loss_panel else None
        sidebar = getattr(window, "sidebar", None)
        self._sidebar_min = sidebar.minimumWidth() if sidebar is not None else 0
        self._widened = False  # whether _fit_sidebar widened the sidebar for larger type

    # -- public ---------------------------------------------------------------------------
    def toggle(self) -> None:
        """Enter or leave presentation mode."""
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        """Full screen, large type and thick lines, light high-contrast theme, fewer controls."""
        if self.active:
            return
        w = self.window
        self._saved = {"state": w.windowState(), "menubar": w.menuBar().isVisible(),
                       "edit_font": QtGui.QFont(w.loss_panel.edit.font()),
                       "sidebar_min": w.sidebar.minimumWidth(), "hidden": []}
        # Geometry, docks and splitters: restored on leaving, saved if the app quits meanwhile.
        self.window_before = w.window_layout()
        self.active = True
        if not self._px_chosen:
            self.px = presentation_px(w.screen())
        self._tuck_away(True)
        self._lines(True)
        # (the theme as chosen: a teacher in a dim room who chose the dark one lost it on F11,
        # its menu item left unticked)
        self.set_dark(self.dark)
        self._fonts(self.px)
        w.menuBar().hide()
        w.showFullScreen()
        screen = w.screen()
        if screen is not None and w.size() != screen.geometry().size():
            w.setGeometry(screen.geometry())  # no window manager to do it (e.g. Xvfb)
            w.setWindowState(w.windowState() | QtCore.Qt.WindowFullScreen)
        QtCore.QTimer.singleShot(0, lambda: self._fit_sidebar(share=True))
        self._laid_out_for = None  # (the share above is for the full-screen size)
        self.changed.emit()

    def leave(self) -> None:
        """Restore everything as it was before :meth:`enter`."""
        if not self.active:
            return
        w, saved = self.window, self._saved
        self.active = False
        if w.sidebar_yielded:  # (given back: the normal window's own rules apply again)
            w.sidebar_yielded = False
            w.sidebar.show()
        self._tuck_away(False)
        self._lines(False)
        self._fonts(self.normal_px)
        w.loss_panel.edit.setFont(saved["edit_font"])
        w.sidebar.setMinimumWidth(saved["sidebar_min"])
        # (the theme as chosen meanwhile: dark, chosen mid-lecture, went on leaving)
        self.set_dark(self.dark)
        w.menuBar().setVisible(saved["menubar"])
        w.setWindowState(saved["state"])
        w.restore_window_layout(self.window_before, same_width=False)
        w.show()
        self.changed.emit()

    def set_dark(self, dark: bool) -> None:
        """Dark theme (True) or the light one (False) for the widgets and every plot."""
        self.dark = bool(dark)
        w = self.window
        app = QtWidgets.QApplication.instance()
        app.setPalette(self._dark_palette() if dark else self._app_palette)
        # Fusion draws a slider's groove in the button colour, outlined darker than the
        # window: on the dark theme 1.5 : 1 against the playback bar, the scrubber and the
        # h slider all but invisible on a projector. Grooves of their own there (every
        # slider, those of tabs built later too: a palette for the class; on the light theme
        # the app's). (Not a style sheet: with one set, the type size no longer reached the
        # widgets, and presentation mode's large type was lost.)
        app.setPalette(self._dark_slider_palette() if dark else self._app_palette, "QSlider")
        # A check box's square is outlined with the window's colour, darkened: unticked, it
        # was all but invisible on the dark theme ("log scale", "same length").
        app.setPalette(self._dark_box_palette() if dark else self._app_palette, "QCheckBox")
        # The plots pick their axis and legend colours from their background.
        for plot in (w.contour, w.loss_plot):
            plot.setBackground(DARK["plot"] if dark else "w")
        w.surface.set_background(DARK["plot"] if dark else "w")
        self.changed.emit()

    def larger(self) -> None:
        """Ctrl++: larger type."""
        self._step(+2 if self.active else +1)

    def smaller(self) -> None:
        """Ctrl+−: smaller type."""
        self._step(-2 if self.active else -1)

    def kept(self) -> tuple[bool, int | None]:
        """What the next launch starts with: the theme, and the Ctrl +/− type size outside
        presentation mode (not its own)."""
        return bool(self.dark), self.normal_px

    def restore(self, dark: bool, px: int | None) -> None:
        """Show the theme and type size :meth:`kept` gave (``px`` clamped to what Ctrl +/−
        could reach; the app's own size if None or out of reach)."""
        top = max(self._default_px, round(NORMAL_MAX_SCALE * self._default_px))
        if px is not None and MIN_PX <= px <= top and px != self._default_px:
            self.normal_px = int(px)
            self._fonts(self.normal_px)
        if dark:
            self.set_dark(True)
        self.changed.emit()

    @property
    def current_px(self) -> int:
        """The type size now shown, in pixels."""
        return self.px if self.active else (self.normal_px or self._default_px)

    @property
    def type_scale(self) -> float:
        """The type now shown against the app's own (2.0 for presentation mode's 24 px
        over 12)."""
        return self.current_px / max(1, self._default_px)

    # -- parts ------------------------------------------------------------------------------
    def _step(self, delta: int) -> None:
        top = MAX_PX if self.active else max(self._default_px,
                                             round(NORMAL_MAX_SCALE * self._default_px))
        px = max(MIN_PX, min(top, self.current_px + delta))
        if self.active:
            self.px = px
            self._px_chosen = True
        else:
            self.normal_px = None if px == self._default_px else px
        self._fonts(px if self.active else self.normal_px)
        self.changed.emit()

    def _fonts(self, px: int | None) -> None:
        """Type size ``px`` everywhere (None: the app's defaults)."""
        w = self.window
        app = QtWidgets.QApplication.instance()
        font = QtGui.QFont(self._app_font)
        if px is not None:
            font.setPixelSize(px)
        app.setFont(font)
        # The map and the loss plot draw with the application font (ticks, labels, legend,
        # colour bar): they follow by themselves.
        w.readouts.setFont(font)  # the table bolds the run names itself
        # The lecture tabs' type (in points of their own, a little larger than the app's)
        # grows once presentation mode's passes it, by at most a quarter: their plots and
        # tables must still fit the dock's quarter of the screen (on a 768-line projector
        # its type is theirs already). Outside it, with Ctrl + from its first step (grown
        # only past their own size, two steps left them as they were, as if Ctrl + did not
        # reach the lecture panel).
        base = lecture_px() if self.active else self._default_px
        scale = min(LECTURE_MAX_SCALE, max(1.0, (px or self._default_px) / base))
        if self.active and px is not None:
            # Ctrl + past presentation mode's own size: the tabs grow with the rest, up to
            # LECTURE_PRESENTING_MOST (at F11's size they had their quarter already, and two
            # steps of Ctrl + left the lecture panel as it was while all else grew: a QA round)
            scale = min(LECTURE_PRESENTING_MOST,
                        scale * max(1.0, px / presentation_px(w.screen())))
        w.derivatives.set_type_scale(scale)
        # The tabs' titles as large as the dock has room for: in presentation mode from
        # half its type (at the full size, "Regression" and "Gradient" hid behind scroll
        # arrows even at 1920 pixels) to TAB_TITLE_MOST of it.
        self._fit_tab_titles(px)
        if px is not None:  # (the loss box's type, a little larger than the rest, follows)
            edit = QtGui.QFont(w.loss_panel.edit.font())
            edit.setPixelSize(round(px * 1.1))
            w.loss_panel.edit.setFont(edit)
        elif self._edit_font is not None:
            w.loss_panel.edit.setFont(self._edit_font)
        QtCore.QTimer.singleShot(0, self._fit_tables)
        QtCore.QTimer.singleShot(0, self._fit_sidebar)

    def _fit_tab_titles(self, px: int | None) -> None:
        """The lecture tabs' titles at type size ``px`` (None: the dock's own font)."""
        w = self.window
        bar_font = QtGui.QFont()  # (nothing set: the dock's own font, as before)
        bar = w.derivatives.tabs.tabBar()
        if px is not None:  # as large as still fits the dock (in presentation mode's type
            # "Gradient" and "Regression" hid behind the scroll arrows; three steps of Ctrl +
            # at 150 % put "Regression" there), never below the app's default
            bar_font = QtGui.QFont(QtWidgets.QApplication.font())
            room = w.derivatives.tabs.width()
            size, least = px, self._default_px
            if self.active:
                least = max(least, round(TAB_TITLE_SHARE * px))
                size = max(least, round(TAB_TITLE_MOST * px))  # (Ctrl − there: not below)
            while size > least and titles_width(bar, bar_font, size) > room:
                size -= 1
            bar_font.setPixelSize(size)
        if bar_font != bar.font():
            bar.setFont(bar_font)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if obj is self.window:
            if event.type() == QtCore.QEvent.Type.Resize and self.active:
                self._relayout.start()
            return False
        # Fitted again as the dock's width changes: after presentation mode, fitted to its
        # full-screen width, the titles kept that size in the narrower dock ("Regres…")
        if event.type() == QtCore.QEvent.Type.Resize and (self.active or self.normal_px):
            QtCore.QTimer.singleShot(0, lambda: self._fit_tab_titles(
                self.px if self.active else self.normal_px))
        return False

    def _fit_new_size(self) -> None:
        """Presentation mode laid out again for the window's new size: the type for its
        screen (unless Ctrl +/− chose one), the sidebar, views and dock shared afresh."""
        w = self.window
        if not self.active or w.size() == self._laid_out_for:
            return
        self._laid_out_for = w.size()
        if not self._px_chosen:
            px = presentation_px(w.screen())
            if px != self.px:
                self.px = px
                self._fonts(px)
        self._fit_sidebar(share=True)

    def _fit_tables(self) -> None:
        for table in self.window.findChildren(QtWidgets.QTableWidget):
            table.resizeColumnsToContents()
            table.resizeRowsToContents()
            table.horizontalHeader().setStretchLastSection(True)

    def _fit_sidebar(self, share: bool = False) -> None:
        """Widen the sidebar so its controls are not clipped at the type size shown, up to a
        third of the window; beyond that it scrolls sideways (on a 1024-pixel projector, or
        at 1280 after Ctrl + three times, their right edges were cut off: the η and start
        boxes' arrows, the Remove button). With ``share``, split the rest of the screen
        between the views and the dock."""
        w = self.window
        if share and not self.active:  # (presentation mode left before this ran)
            return
        hint = w.sidebar.widget().minimumSizeHint().width() + 32
        cap = round(w.width() * SIDEBAR_SHARE)
        need = min(cap, hint)
        if not self.active:  # (never narrower than the window made it)
            need = max(self._sidebar_min, need)
        w.sidebar.setMinimumWidth(need)
        w.sidebar.setHorizontalScrollBarPolicy(
            QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded if hint > need
            else QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        sizes = w.main_split.sizes()
        if share:  # the screen's width shared afresh (the sizes were chosen for a smaller one)
            share_width(w, w.width(), side=need, presenting=True)
        elif sizes and (sizes[0] < need or (self._widened and sizes[0] > need)):
            # (widened for larger type, narrowed again for smaller: it stayed 377 pixels
            # after Ctrl + and Ctrl − three times each, where it had been 340)
            w.main_split.setSizes([need, max(1, sum(sizes) - need)])
            self._widened = need > self._sidebar_min

    def _lines(self, thick: bool) -> None:
        w = self.window
        saved = self._saved
        if thick:
            saved["widths"] = (w.contour.line_width, w.loss_plot.line_width,
                               w.surface.line_width, w.contour.contour_width,
                               w.contour.field_width)
            w.contour.set_line_width(LINE_WIDTHS["contour"])
            w.loss_plot.line_width = LINE_WIDTHS["loss_plot"]
            w.surface.line_width = LINE_WIDTHS["surface"]
            w.contour.set_static_widths(LINE_WIDTHS["levels"], LINE_WIDTHS["field"])
        else:
            c, lp, s, levels, field = saved["widths"]
            w.contour.set_line_width(c)
            w.loss_plot.line_width = lp
            w.surface.line_width = s
            w.contour.set_static_widths(levels, field)
        w.controller.runsChanged.emit()  # redraw the paths with the new widths

    def _tuck_away(self, hide: bool) -> None:
        """Hide the View box and the runs' advanced rows (or show what was hidden)."""
        w = self.window
        w.runs_panel.set_compact(hide)  # (a step schedule's "Decay" stayed, unexplained)
        if hide:
            targets = [w.view_options.parentWidget()]
            form = w.runs_panel.form
            # (the Gradient row stays: exact against difference quotients is lecture step 3,
            # and a run's "Step h" row left alone said nothing of what it was for)
            rows = [row_of(form, x) for x in (w.runs_panel.steps, w.runs_panel.schedule,
                                               w.runs_panel.noise)]
            self._saved["rows"] = [r for r in rows if r >= 0 and form.isRowVisible(r)]
            for r in self._saved["rows"]:
                form.setRowVisible(r, False)
            self._saved["hidden"] = [t for t in targets if t is not None and t.isVisible()]
            for t in self._saved["hidden"]:
                t.hide()
        else:
            for r in self._saved.get("rows", []):
                w.runs_panel.form.setRowVisible(r, True)
            for t in self._saved.get("hidden", []):
                t.show()

    def _dark_slider_palette(self) -> QtGui.QPalette:
        """The dark palette with light grooves: Fusion fills a groove with the button colour
        and outlines it with the window's, darkened."""
        p = self._dark_palette()
        p.setColor(QtGui.QPalette.ColorRole.Button, QtGui.QColor(DARK["groove"]))
        p.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(DARK["groove_edge"]))
        return p

    def _dark_box_palette(self) -> QtGui.QPalette:
        """The dark palette with a light window colour, which Fusion darkens to outline a
        check box's square (its label is drawn in the text colour; no background)."""
        p = self._dark_palette()
        p.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(DARK["groove_edge"]))
        return p

    def _dark_palette(self) -> QtGui.QPalette:
        p = QtGui.QPalette(self._app_palette)
        role, c = QtGui.QPalette.ColorRole, QtGui.QColor
        for r, key in ((role.Window, "window"), (role.Base, "base"), (role.AlternateBase,
                       "button"), (role.Button, "button"), (role.Highlight, "highlight"),
                       (role.ToolTipBase, "base")):
            p.setColor(r, c(DARK[key]))
        for r in (role.WindowText, role.Text, role.ButtonText, role.ToolTipText,
                  role.BrightText, role.HighlightedText):
            p.setColor(r, c(DARK["text"]))
        p.setColor(QtGui.QPalette.Disabled, role.Text, c("#8a8d92"))
        p.setColor(QtGui.QPalette.Disabled, role.ButtonText, c("#8a8d92"))
        p.setColor(QtGui.QPalette.Disabled, role.WindowText, c("#8a8d92"))
        return p
