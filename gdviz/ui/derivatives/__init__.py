"""The "Derivatives" area: lecture views linked to the current loss and point.

Each tab is a widget class taking ``(controller, parent=None)``; it subscribes to the
controller's signals and reads ``controller.loss`` and ``controller.current_point()``.
"""

from __future__ import annotations

import importlib

from gdviz.ui.qt import QtCore, QtGui, QtWidgets
from gdviz.ui.widgets import GutterScrollArea, scroll_bar_width

# (tab title, module, class, tooltip) in lecture order.
TABS = (
    ("Slice", "gdviz.ui.derivatives.slice_view", "SliceView",
     "f along one variable with the other held constant; the tangent's slope is the partial "
     "derivative"),
    ("h → 0", "gdviz.ui.derivatives.limit_view", "LimitView",
     "Secant slope approaching the derivative as h shrinks; error against h"),
    ("Chain rule", "gdviz.ui.derivatives.steps_view", "StepsView",
     "How each partial derivative is built, one rule per step"),
    ("Gradient", "gradient_view", "GradientView",
     "∇f at the current point: perpendicular to the contour, pointing uphill; directional "
     "derivative"),
    ("Regression", "gdviz.ui.derivatives.regression_view", "RegressionView",
     "Why ML cares: a line fitted to data by descending the mean-squared error"),
)


_BASE_PT = "gdvizOwnPointSize"  # the type size a widget of the tabs was built with
_SIZE_RESOLVED = 0x2  # QFont's resolve-mask bit for an explicitly set size


MAX_PAGE_SHARE = 0.4
"""The most of the screen's (and the window's) width a tab may ask the dock for; a view
wider than that (the Chain rule's typeset steps of Goldstein–Price, 1100 pixels) scrolls
sideways instead: it widened the window to 1733 pixels on a 1280 screen, the map squeezed
to 60."""


class _Page(GutterScrollArea):
    """A tab page that scrolls vertically when the dock is shorter than its view's plots
    need (a 720-line projector): squeezed instead, the gradient's close-up was a strip 60
    pixels tall with its labels cut off. It is never narrower than the view (as the view
    alone was: numbers wider than the dock must not be cut) up to :data:`MAX_PAGE_SHARE` of
    the screen; beyond, it scrolls sideways. The view is as wide whether or not the
    vertical bar shows (see :class:`~gdviz.ui.widgets.GutterScrollArea`: its wrapped text
    could flip the bar on and off, as the sidebar's formulas did)."""

    def __init__(self, view: QtWidgets.QWidget) -> None:
        super().__init__()
        self.setObjectName(f"{view.objectName() or type(view).__name__}Page")
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setBackgroundRole(QtGui.QPalette.ColorRole.Window)  # the tab's ground, not Base
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)  # (no Tab stop of its own)
        self.viewport().setBackgroundRole(QtGui.QPalette.ColorRole.Window)
        self.setWidget(view)
        view.installEventFilter(self)

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        view = self.widget()
        if view is None:
            return hint
        bar = scroll_bar_width(self)
        screen = self.screen() or QtGui.QGuiApplication.primaryScreen()
        room = min(screen.availableGeometry().width() if screen else 2000,
                   self.window().width() if self.window() is not self else 2000)
        most = int(MAX_PAGE_SHARE * room)
        return QtCore.QSize(max(hint.width(), min(view.minimumSizeHint().width() + bar, most)),
                            hint.height())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if obj is self.widget() and event.type() == QtCore.QEvent.Type.LayoutRequest:
            self.updateGeometry()  # the view's minimum width may have changed (larger type)
        return super().eventFilter(obj, event)


def _view_of(page: QtWidgets.QWidget | None) -> QtWidgets.QWidget | None:
    """The lecture view a tab page shows (the page itself while it is a placeholder)."""
    return page.widget() if isinstance(page, QtWidgets.QScrollArea) else page


class DerivativesDock(QtWidgets.QDockWidget):
    """A dock holding the lecture tabs; ``tabs`` is the QTabWidget, ``views`` maps titles.

    The tabs need sympy and the typesetter, which the window's first frame must not wait
    for: with ``lazy=True`` the dock starts with light placeholders and :meth:`build_tabs`
    (called after the first frame) puts the real views in.

    Signals
    -------
    built()
        The real tabs are in place (``views`` is filled).
    """

    built = QtCore.Signal()

    def __init__(self, controller, parent=None, lazy: bool = False) -> None:
        super().__init__("Derivatives", parent)
        self.setObjectName("derivativesDock")
        self.setAllowedAreas(QtCore.Qt.AllDockWidgetAreas)
        self.controller = controller
        self.type_scale = 1.0
        self.pending_data: tuple | None = None  # the Regression tab's, until it is built
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.setObjectName("derivativesTabs")
        self.views: dict[str, QtWidgets.QWidget] = {}
        for title, _module, _cls, tip in TABS:
            waiting = QtWidgets.QLabel("Preparing the lecture views…",
                                       alignment=QtCore.Qt.AlignmentFlag.AlignCenter)
            waiting.setEnabled(False)
            self.tabs.addTab(waiting, title)
            self.tabs.setTabToolTip(self.tabs.count() - 1, tip)
        self.setWidget(self.tabs)
        # Tabbed with another dock (Compare's), Qt shows and hides nothing when its tab
        # comes to the front or goes behind: it says so by this signal alone.
        # (with the dock as the timer's context: a window closed meanwhile calls nothing; a
        # dock deleted under it raised in the next test's event loop, and its report hung)
        self.visibilityChanged.connect(lambda _shown: QtCore.QTimer.singleShot(
            0, self, self._views_in_sight))
        if not lazy:
            self.build_tabs()

    def _views_in_sight(self) -> None:
        for view in self.views.values():
            if hasattr(view, "came_in_sight"):
                view.came_in_sight()

    @property
    def is_built(self) -> bool:
        """Whether the real tabs are in place."""
        return len(self.views) == len(TABS)

    def titles_width(self) -> int:
        """The width that shows every tab's title, with no scroll arrows (at 1280 pixels the
        titles needed 363 of the dock's 362, and "Regression" hid behind an arrow)."""
        # (the tab widget's and the dock's frames: a few pixels, whatever the type size)
        return self.tabs.tabBar().sizeHint().width() + 8

    def refresh_current(self) -> None:
        """Bring the shown tab up to date now (it otherwise redraws on its next event-loop
        turn; screenshots and exports must not catch it before that)."""
        view = _view_of(self.tabs.currentWidget())
        if hasattr(view, "ensure_fresh") and view.isVisibleTo(self):
            view.ensure_fresh()

    def wait_typeset(self, msecs: int = 30000) -> bool:
        """Let the shown tab's typesetting on its pool threads finish and show (screenshots:
        the Slice tab's header of w1^w2 was caught as plain text, "w1^w2")."""
        view = _view_of(self.tabs.currentWidget())
        pools = view.findChildren(QtCore.QThreadPool) if view is not None else []
        deadline = QtCore.QDeadlineTimer(msecs)
        idle = 0
        # Until its pools have been idle, and the view not busy, for a few turns in a row:
        # its jobs start after the pending paints, their results arrive as queued signals,
        # and the Chain rule tab's come in stages (derived, rows built, then typeset).
        while idle < 4 and not deadline.hasExpired():
            QtCore.QCoreApplication.processEvents()
            busy = getattr(view, "busy", False) or any(not pool.waitForDone(20) for pool in pools)
            idle = 0 if busy else idle + 1
        return idle >= 4

    def build_tabs(self) -> None:
        """Replace the placeholders by the lecture views (once)."""
        if self.is_built:
            return
        current = self.tabs.currentIndex()
        self.tabs.setUpdatesEnabled(False)
        try:
            for i, (title, module, cls, tip) in enumerate(TABS):
                if "." not in module:
                    module = f"gdviz.ui.derivatives.{module}"
                widget = getattr(importlib.import_module(module), cls)(self.controller)
                self.views[title] = widget
                old = self.tabs.widget(i)
                self.tabs.removeTab(i)
                self.tabs.insertTab(i, _Page(widget), title)
                self.tabs.setTabToolTip(i, tip)
                old.deleteLater()
            self.tabs.setCurrentIndex(max(current, 0))
            if self.pending_data is not None:  # (a session's, opened before the tabs)
                self.views["Regression"].show_data(*self.pending_data)
                self.pending_data = None
            self._note_own_sizes()
            if self.type_scale != 1.0:
                self.set_type_scale(self.type_scale)
        finally:
            self.tabs.setUpdatesEnabled(True)
        self.built.emit()

    def _note_own_sizes(self) -> None:
        """Remember the type size each widget of the tabs was built with, where it set one."""
        for view in self.views.values():
            for widget in [view, *view.findChildren(QtWidgets.QWidget)]:
                font = widget.font()
                if (widget.testAttribute(QtCore.Qt.WidgetAttribute.WA_SetFont)
                        and font.resolveMask() & _SIZE_RESOLVED and font.pointSizeF() > 0):
                    widget.setProperty(_BASE_PT, font.pointSizeF())

    def set_type_scale(self, scale: float) -> None:
        """Scale the tabs' type: 1 is their own size (a little larger than the app's type).

        The tabs choose their sizes in points, which the application font (presentation
        mode, Ctrl + / −) does not change; this follows it. Every widget built with a size
        of its own is scaled from that size; the others inherit theirs.
        """
        self.type_scale = float(scale)
        for view in self.views.values():
            for widget in [view, *view.findChildren(QtWidgets.QWidget)]:
                base = widget.property(_BASE_PT)
                if base is not None:
                    font = QtGui.QFont(widget.font())
                    font.setPointSizeF(float(base) * self.type_scale)
                    widget.setFont(font)
