"""The lecture dock and the room it takes: shown again as narrow as its tabs allow, hidden
when the window is made too narrow for it (and back when widened), and on a screen too small
for the controls, the views and the dock side by side, the controls yield while it is shown.
"""

from __future__ import annotations

from gdviz.ui.qt import QtCore
from gdviz.ui.window_layout import (
    NARROW_NOTE,
    NARROW_VIEWS,
    beside,
    dock_share,
    dock_width,
    share_width,
)

SMALL_SCREEN_NOTE = ("Small screen: controls hidden while the Derivatives tabs are shown "
                     "(Ctrl+D hides them).")


def watch_dock(window) -> None:
    """Call :func:`narrow_dock_shown` and :func:`make_room_for_dock` when the lecture dock is
    shown (once Qt has laid it out; not after the window is gone), and give the controls
    back when it is hidden."""
    def shown() -> None:
        narrow_dock_shown(window)
        make_room_for_dock(window)

    def changed(visible: bool) -> None:
        # (The dock is also hidden as the window is destroyed, when the window can no longer
        # be a timer's context: a hide only shows the sidebar again, if it yielded.)
        if visible:
            QtCore.QTimer.singleShot(0, window, shown)
            # ("the tabs are hidden … Ctrl+D shows them" stayed up to 15 s after Ctrl+D)
            if window.statusBar().currentMessage() == NARROW_NOTE:
                window.statusBar().clearMessage()
        elif window.sidebar_yielded:
            window.sidebar_yielded = False
            try:
                window.sidebar.show()
                if window.statusBar().currentMessage() == SMALL_SCREEN_NOTE:
                    window.statusBar().clearMessage()
            except RuntimeError:  # the window is being destroyed: nothing to give back
                pass

    window.derivatives.visibilityChanged.connect(changed)
    window._width_watch = _WidthWatch(window)  # (kept: an event filter must outlive this)


class _WidthWatch(QtCore.QObject):
    """Applies :func:`narrow_rule` when the user makes the window narrower or wider."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self._state_changed = QtCore.QElapsedTimer()
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if obj is not self.window:
            return False
        kind = event.type()
        if kind == QtCore.QEvent.Type.WindowStateChange:
            full = QtCore.Qt.WindowState.WindowFullScreen
            if bool(event.oldState() & full) != bool(obj.windowState() & full):
                self._state_changed.start()  # full screen on or off: presentation mode's own
            # (maximising or restoring is a widening or narrowing like any other)
        elif kind == QtCore.QEvent.Type.Resize:
            old, new = event.oldSize().width(), event.size().width()
            # (not the resizes of entering or leaving full screen: leaving presentation mode
            # restores the dock as it was, and the rule hid it again)
            settling = self._state_changed.isValid() and self._state_changed.elapsed() < 1000
            if old > 0 and new != old and obj.isVisible() and not settling:
                QtCore.QTimer.singleShot(0, obj, lambda: narrow_rule(obj, grew=new > old))
        return False


def narrow_rule(window, grew: bool) -> None:
    """The narrow-window rule of :func:`share_width` for a window resized by hand: narrower,
    a dock that leaves the views less than :data:`NARROW_VIEWS` of the width is hidden (a
    1024-pixel window left the map 85 pixels); wider, a dock hidden so comes back. Only the
    room is shared afresh (as :func:`share_width` does at launch), and only then."""
    dock = getattr(window, "derivatives", None)
    if dock is None or window.isFullScreen() or not beside(window, dock):
        return
    if window.sidebar_yielded:
        # (a larger screen, or the window made wider: the controls may fit again)
        room = screen_width(window) - (window.frameGeometry().width() - window.width())
        if grew and window.minimumSizeHint().width() + window.sidebar.minimumWidth() <= room:
            window.sidebar_yielded = False
            window.sidebar.show()
            if window.statusBar().currentMessage() == SMALL_SCREEN_NOTE:
                window.statusBar().clearMessage()
        return
    width = window.width()
    shrunk = not grew and not dock.isHidden() \
        and window.main_split.widget(1).width() < NARROW_VIEWS * width
    if shrunk or (grew and dock.isHidden() and window.dock_narrowed):
        # (shared afresh, as at launch: the views take the dock's room, the map its share)
        share_width(window, width, side=window.sidebar.width())
    elif grew and not dock.isHidden():
        regrow_dock(window, dock, width)


def regrow_dock(window, dock, width: int) -> None:
    """A wider window gives the lecture dock its share of the new width where the dock is
    still as the window's sharing left it (at launch, or narrowed by the rule), not where the
    user has resized it since: shrunk to 1250 pixels and widened to 1800 again, it kept 371
    of its 432, the views taking all the room (and so on a window opened narrow, then
    maximised)."""
    shared = window.dock_shared
    if shared is None or abs(dock.width() - shared) > 2:
        return  # (a width the user chose stays)
    want = dock_width(dock, dock_share(width))
    if want > dock.width():
        window.resizeDocks([dock], [want], QtCore.Qt.Orientation.Horizontal)
        window.dock_shared = want


def show_controls(window) -> None:
    """The controls, for Ctrl+L and Ctrl+P: hidden on a small screen while the lecture dock
    is shown, they come back by hiding the dock (as Ctrl+D does)."""
    if window.sidebar_yielded:
        window.derivatives.hide()  # (its visibilityChanged shows the controls)


def make_room_for_dock(window) -> None:
    """On a screen too narrow for the controls, the views and the lecture dock side by side
    (800 pixels: they need 946, so Ctrl+D pushed the window past the screen's edge), hide the
    controls while the dock is shown, with a note; the window is brought back on screen."""
    dock = getattr(window, "derivatives", None)
    if dock is None or dock.isHidden() or not beside(window, dock) or window.sidebar.isHidden():
        return
    if window.isFullScreen():
        # Presentation mode's window cannot grow: its large type on a 1024 × 768 projector
        # squeezed the map to 80 pixels. The controls yield where the views get less than
        # their least part of the width.
        if window.main_split.widget(1).width() >= NARROW_VIEWS * window.width():
            return
        window.sidebar_yielded = True
        window.sidebar.hide()
        window.statusBar().showMessage(SMALL_SCREEN_NOTE, 15000)
        return
    room = screen_width(window) - (window.frameGeometry().width() - window.width())
    if window.minimumSizeHint().width() <= room:
        return
    window.sidebar_yielded = True
    window.sidebar.hide()
    window.statusBar().showMessage(SMALL_SCREEN_NOTE, 15000)

    def fit() -> None:  # (once Qt has grown the window for the dock and taken the new least)
        if window.width() > room and not window.isFullScreen():
            window.layout().invalidate()  # (else its least width is still the old one)
            window.layout().activate()
            window.resize(room, window.height())

    QtCore.QTimer.singleShot(0, window, fit)


def narrow_dock_shown(window) -> None:
    """The lecture dock that :func:`share_width` hid, shown again (Ctrl+D): as narrow as its
    tabs allow, not the width Qt kept for it (at 1000 pixels 416 of them, leaving the map
    234). Any other show (the window restored from the task bar, a tab of docks raised)
    leaves the width the user chose."""
    dock = getattr(window, "derivatives", None)
    if dock is None or not window.dock_narrowed:
        return
    window.dock_narrowed = False
    if beside(window, dock):
        window.resizeDocks([dock], [dock_width(dock)], QtCore.Qt.Orientation.Horizontal)


def screen_width(window) -> int:
    """The width of the screen ``window`` is on, less task bars (a large one when unknown)."""
    screen = window.screen()
    return screen.availableGeometry().width() if screen is not None else 1 << 16
