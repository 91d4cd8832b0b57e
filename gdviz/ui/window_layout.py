"""How the window shares its room and keeps it: its first size, the split between the
controls, the map, the 3D view and the lecture dock for a given width, and the layout saved
in the settings store for the next launch."""

from __future__ import annotations

import os

from gdviz.ui.qt import QtCore, QtWidgets
from gdviz.ui.widgets import GutterScrollArea

MAP_SHARE = 0.6
"""The map's part of the room the views get (the 3D view has the rest): the map carries the
lesson (the field, the paths, the slice), and a 3D view narrower than tall wastes its sides."""
STACKED_MAP_SHARE = 0.6
"""The map's part of the views' height when the 3D view sits below it
(:mod:`gdviz.ui.views_arrangement`)."""
LOSS_PLOT_MIN = 0.25
"""The least of the row the loss plot keeps when the readouts need more room."""
LOSS_PLOT_PRESENTING = 0.4
"""The same in presentation mode, where the readouts' large type took all but a 204-pixel
plot at 1600 pixels with two runs, its curve 50 pixels wide behind its axes' labels."""
LOSS_PLOT_SHARE = 0.4
"""The loss plot's part of the row below the views (the readouts have the rest: seven columns,
the run's status last, which half the row left behind a scroll bar)."""
DOCK_SHARE = 0.24
"""The lecture dock's part of the window's width (within :data:`DOCK_WIDTHS`)."""
DOCK_WIDTHS = (340, 440)
PRESENTING_DOCK_SHARE = 0.3
"""The dock's part in presentation mode, where its large type wrapped the h → 0 tab's labels
over three lines and left the Gradient tab's ∇f·u plot 80 pixels tall in 455 of 1920 pixels;
never more than leaves the views :data:`PRESENTING_VIEWS` of the width."""
PRESENTING_VIEWS = 0.42
NARROW_VIEWS = 0.4
"""The least part of a window's width the views get beside the controls and the lecture dock:
on a narrower window (a 1024 × 768 projector gave them 31 %, the map's plot 150 pixels wide)
the dock starts hidden, and the status bar says that Ctrl+D shows it."""
NARROW_NOTE = ("Narrow window: the Derivatives tabs are hidden to give the map room "
               "(Ctrl+D shows them).")
DOCK_STATE_VERSION = 1
"""Of the saved dock layout: a new layout of docks raises it (Qt then ignores the old one)."""


def settings() -> QtCore.QSettings:
    """The app's settings store (an INI file under $GDVIZ_SETTINGS_DIR when set, for tests)."""
    folder = os.environ.get("GDVIZ_SETTINGS_DIR")
    if folder:
        return QtCore.QSettings(os.path.join(folder, "gdviz.ini"), QtCore.QSettings.IniFormat)
    return QtCore.QSettings("gdviz", "gdviz")


def initial_size(screen) -> tuple[int, int]:
    """The window's first size: most of the screen (a projector's 1920×1080 is used, not a
    1500-pixel island in it), but never more than the screen has, nor absurdly large.

    Parameters
    ----------
    screen : QtGui.QScreen or None
        The screen the window opens on (None: a 1500×920 default).
    """
    if screen is None:
        return 1500, 920
    avail = screen.availableGeometry()
    width = min(1800, max(1000, int(avail.width() * 0.94)))
    height = min(1100, max(700, int(avail.height() * 0.92)))
    return min(width, avail.width()), min(height, avail.height())


def lay_out(window) -> int:
    """Put ``window``'s parts in place: the sidebar (loss, runs, view options) in a scroll
    area, the map and the 3D view above the loss plot and the readouts, the playback bar
    across the bottom; the window at its first size (returned: its width).

    Parameters
    ----------
    window : MainWindow
        With its ``loss_panel``, ``runs_panel``, ``view_options``, ``contour``, ``surface``,
        ``loss_plot``, ``readouts`` and ``playback`` made; ``sidebar``, ``views_split``,
        ``bottom_split``, ``right_split`` and ``main_split`` are set here.
    """
    side = QtWidgets.QWidget()
    side_layout = QtWidgets.QVBoxLayout(side)
    for title, widget in (("Loss", window.loss_panel), ("Runs", window.runs_panel),
                          ("View", window.view_options)):
        box = QtWidgets.QGroupBox(title)
        box_layout = QtWidgets.QVBoxLayout(box)
        box_layout.addWidget(widget)
        side_layout.addWidget(box)
    side_layout.addStretch(1)
    # (one size for the formulas in the sidebar, the update rule's no larger than the loss's)
    window.loss_panel.formulas["f"].lead(window.runs_panel.update_rule)
    scroll = GutterScrollArea()  # (its content's width never waits on the scroll bar)
    scroll.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)  # (its controls are the stops)
    scroll.setWidget(side)
    # Never clip the controls: the sidebar is at least as wide as they need.
    scroll.setMinimumWidth(max(340, side.minimumSizeHint().width() + 24))
    scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarAlwaysOff)
    window.sidebar = scroll

    window.views_split = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
    window.views_split.addWidget(window.contour)
    window.views_split.addWidget(window.surface)
    window.bottom_split = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
    window.bottom_split.addWidget(window.loss_plot)
    window.bottom_split.addWidget(window.readouts)
    window.readouts.widthNeeded.connect(
        lambda width: give_readouts_room(window, window.readouts.room_needed(width)))
    window.readouts.roomWanted.connect(lambda: give_readouts_room(
        window, window.readouts.room_needed(sum(window.readouts.table.widths))))
    window.bottom_split.splitterMoved.connect(
        lambda *_: setattr(window.readouts, "sized_by_hand", True))
    window.right_split = QtWidgets.QSplitter(QtCore.Qt.Vertical)
    window.right_split.addWidget(window.views_split)
    window.right_split.addWidget(window.bottom_split)
    window.right_split.setStretchFactor(0, 3)
    window.right_split.setStretchFactor(1, 1)
    right = QtWidgets.QWidget()
    right_layout = QtWidgets.QVBoxLayout(right)
    right_layout.setContentsMargins(0, 0, 0, 0)
    right_layout.addWidget(window.right_split, 1)
    # Playback spans the window's whole width, below the lecture dock too (a timeline):
    # under the views alone, its controls set their least width, and with the sidebar's
    # and the dock's the window's (1107 pixels: wider than a 1024×768 projector).
    bar = QtWidgets.QToolBar("Playback")
    bar.setObjectName("playbackBar")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.toggleViewAction().setEnabled(False)  # (not to be closed by a right-click)
    bar.addWidget(window.playback)
    window.main_split = QtWidgets.QSplitter(QtCore.Qt.Horizontal)
    window.main_split.addWidget(scroll)
    window.main_split.addWidget(right)
    window.main_split.setStretchFactor(1, 1)
    window.setCentralWidget(window.main_split)
    # (after the sidebar: Tab goes through a window's controls in the order they join it,
    # and the first Tab from the window went to the playback bar at the bottom, not the
    # loss at the top)
    window.addToolBar(QtCore.Qt.ToolBarArea.BottomToolBarArea, bar)
    width, height = initial_size(QtWidgets.QApplication.primaryScreen())
    window.resize(width, height)
    window.views_split.setStretchFactor(0, 4)
    window.views_split.setStretchFactor(1, 3)
    window.right_split.setSizes([600, 240])
    return width


def dock_width(dock, width: int = 0) -> int:
    """``width``, or the least the lecture dock shows its tabs in, with every tab's title
    (at 1280 pixels they needed 363 of its 362, and "Regression" hid behind an arrow)."""
    return max(int(width), DOCK_WIDTHS[0], dock.minimumSizeHint().width(),
               dock.titles_width())


def dock_share(width: int) -> int:
    """The lecture dock's usual width in a window ``width`` pixels wide (about a quarter)."""
    return int(min(DOCK_WIDTHS[1], max(DOCK_WIDTHS[0], DOCK_SHARE * width)))


def share_width(window, width: int, side: int | None = None,
                narrow: bool = True, presenting: bool = False) -> dict[str, int]:
    """Split ``width`` as a fresh window does: the sidebar as narrow as its controls allow,
    the lecture dock about a quarter, the views the rest (the map :data:`MAP_SHARE` of it).
    When that leaves the views less than :data:`NARROW_VIEWS` of the width, the dock is
    hidden (it is shown again by Ctrl+D; presentation mode's end restores it as it was).

    Call it once the window has (or is about to have) ``width``: Qt keeps the docks' and the
    splitters' sizes when a window is resized, so sizes chosen for another width would
    squeeze the views (``--size``, presentation mode's full screen).

    Parameters
    ----------
    window : MainWindow
        Its ``sidebar``, ``main_split``, ``views_split``, ``bottom_split`` and (when built)
        ``derivatives`` dock are sized.
    width : int
        The window's width, logical pixels.
    side : int, optional
        The sidebar's width (default: its minimum width).
    narrow : bool
        Apply the narrow-window rule (False while a saved layout, which says whether the
        dock was shown, is being restored).
    presenting : bool
        Presentation mode's share: the dock up to :data:`PRESENTING_DOCK_SHARE` of the width
        where the views keep :data:`PRESENTING_VIEWS` (never less than the usual share).

    Returns
    -------
    dict
        The widths asked for: ``side``, ``dock`` (0 when hidden), ``views``, ``map``.
    """
    side_w = int(side if side is not None else window.sidebar.minimumWidth())
    dock_w = dock_share(width)
    if presenting:  # (on a small screen nothing changes: the views keep their room)
        room = int(width - side_w - PRESENTING_VIEWS * width)
        dock_w = max(dock_w, min(round(PRESENTING_DOCK_SHARE * width), room))
    dock = getattr(window, "derivatives", None)
    # Wanted: shown, or hidden by this rule for an earlier, narrower width (not by the user).
    narrowed = window.dock_narrowed
    docked = (dock is not None and (not dock.isHidden() or narrowed)
              and beside(window, dock))
    if docked:
        dock_w = dock_width(dock, dock_w)
        if narrow and int(width) - side_w - dock_w < NARROW_VIEWS * width:
            if not dock.isHidden():
                dock.hide()
                window.statusBar().showMessage(NARROW_NOTE, 15000)
            window.dock_narrowed = True
            docked = False
        elif narrowed:  # room for it again (a --size wider than the first size, say)
            window.dock_narrowed = False
            dock.show()
            if window.statusBar().currentMessage() == NARROW_NOTE:
                window.statusBar().clearMessage()
    views_w = max(400, int(width) - side_w - (dock_w if docked else 0))
    window.main_split.setSizes([side_w, views_w])
    map_w = round(MAP_SHARE * views_w)
    if window.views_split.orientation() == QtCore.Qt.Orientation.Vertical:  # map above 3D
        height = window.views_split.height()
        window.views_split.setSizes([round(STACKED_MAP_SHARE * height),
                                     height - round(STACKED_MAP_SHARE * height)])
    else:
        window.views_split.setSizes([map_w, views_w - map_w])
    plot_w = round(LOSS_PLOT_SHARE * views_w)
    window.bottom_split.setSizes([plot_w, views_w - plot_w])
    readouts = getattr(window, "readouts", None)
    if readouts is not None:  # (more if its columns need it; shared afresh, not by hand)
        readouts.sized_by_hand = False
        give_readouts_room(window, readouts.room_needed(sum(readouts.table.widths)))
    if docked:
        window.resizeDocks([dock], [dock_w], QtCore.Qt.Orientation.Horizontal)
    window.dock_shared = dock_w if docked else None  # (see dock_room.narrow_rule)
    return {"side": side_w, "dock": dock_w if docked else 0, "views": views_w, "map": map_w}


def give_readouts_room(window, need: int) -> None:
    """Widen the readouts (at the loss plot's expense) to ``need`` pixels if the row has them:
    at 1600 pixels a point of four digits put the status column behind a scroll bar. The
    loss plot keeps at least :data:`LOSS_PLOT_MIN` of the row (and 200 pixels, or half of a
    narrower row); the readouts
    never shrink here (playback would make the split jitter), but where their columns do not
    fit even then, they take what the layout they will take needs (stacked: in presentation
    mode at 1920 pixels they kept 700 pixels for a 300-pixel table, the loss plot squeezed
    to 80)."""
    plot, rows = window.bottom_split.sizes()
    total = plot + rows
    if rows >= need or total <= 0:
        return
    # (in a row under 400 pixels, half of it: at 302, 200 left the readouts 102, too few
    # for any layout of theirs, where 151 shows one run's values whole)
    classroom = getattr(window, "_classroom", None)
    presenting = classroom is not None and classroom.presentation.active
    least = LOSS_PLOT_PRESENTING if presenting else LOSS_PLOT_MIN
    widest = total - max(min(200, total // 2), round(least * total))
    if need > total - round(LOSS_PLOT_SHARE * total) and not window.readouts.sized_by_hand:
        # Side by side they would leave the loss plot under its share: stacked instead where
        # they fit so, whole and narrower (one run side by side took three quarters of the
        # row on the saddle, a line of values over an empty box, the loss plot 220 pixels)
        table = window.readouts.table
        size = table.stacked_size(())
        frame = 2 * window.readouts.frameWidth()
        if (size.height() + frame <= window.readouts.height()
                and size.width() + frame < min(need, widest + 1)):
            taken = size.width() + frame
            window.bottom_split.setSizes([total - taken, taken])
            return
    if need > widest:  # (the same answer at every width rows may have: no jitter)
        _, _, taken = window.readouts.layout_for(widest)
        if taken < widest and not window.readouts.sized_by_hand:
            window.bottom_split.setSizes([total - taken, taken])
            return
    if widest > rows:
        rows = min(need, widest)
        window.bottom_split.setSizes([total - rows, rows])


def beside(window, dock) -> bool:
    """Whether ``dock`` sits left or right of the views (not floating, nor above or below
    them): only then is its width part of the window's."""
    area = window.dockWidgetArea(dock)
    sides = (QtCore.Qt.DockWidgetArea.LeftDockWidgetArea,
             QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
    return not dock.isFloating() and area in sides


# -- the layout kept between launches -------------------------------------------------------------
def _splits(window) -> tuple[tuple[str, QtCore.QObject], ...]:
    return (("main", window.main_split), ("views", window.views_split),
            ("right", window.right_split), ("bottom", window.bottom_split))


def window_layout(window) -> dict:
    """What is kept of ``window`` between launches: geometry, width, docks, splitters."""
    layout = {"geometry": window.saveGeometry(), "width": window.width(),
              "docks": window.saveState(DOCK_STATE_VERSION)}  # the dock's place and width
    for key, split in _splits(window):
        layout[f"split_{key}"] = split.saveState()
    return layout


def restore_window_layout(window, layout: dict, same_width: bool = True) -> None:
    """Put ``window`` as :func:`window_layout` described it (missing parts are left).

    The width is shared afresh for the restored geometry (Qt keeps sizes chosen for the first
    one); with ``same_width``, the dock and splitters are restored only if the window has the
    width they were left at (not shrunk to fit another screen).
    """
    geometry = layout.get("geometry")
    if isinstance(geometry, QtCore.QByteArray):
        window.restoreGeometry(geometry)
    restoring = not (same_width and abs(int(layout.get("width") or -1) - window.width()) > 8)
    docks = layout.get("docks")
    restoring_docks = restoring and isinstance(docks, QtCore.QByteArray)
    if isinstance(geometry, QtCore.QByteArray):
        # (the saved docks say whether the lecture dock was shown: no narrow rule for them)
        share_width(window, window.width(), narrow=not restoring_docks)
    if not restoring:
        return
    if restoring_docks:
        window.dock_narrowed = False  # (shown or hidden as it was)
        window.restoreState(docks, DOCK_STATE_VERSION)
    for key, split in _splits(window):
        state = layout.get(f"split_{key}")
        if isinstance(state, QtCore.QByteArray):
            split.restoreState(state)


def saved_layout() -> dict:
    """The layout :func:`save_layout` kept (values missing or of any type: check them)."""
    s = settings()
    keys = ("geometry", "width", "docks",
            *(f"split_{key}" for key in ("main", "views", "right", "bottom")))
    return {key: s.value(f"window/{key}") for key in keys}


def saved_appearance() -> tuple[bool, int | None]:
    """The theme and type size :func:`save_appearance` kept: (dark, pixels or None for the
    app's own size); anything unreadable gives the defaults (False, None)."""
    s = settings()
    dark = str(s.value("view/dark", "false")).strip().lower() in ("true", "1")
    try:
        px = int(str(s.value("view/text_px", "")).strip())
    except ValueError:
        px = None
    return dark, px


def save_appearance(dark: bool, px: int | None) -> None:
    """Keep the dark theme and the Ctrl +/− type size (None: the app's own) for the next
    launch: a teacher who set them for a projector found them gone at the next lecture."""
    s = settings()
    s.setValue("view/dark", bool(dark))
    if px is None:
        s.remove("view/text_px")
    else:
        s.setValue("view/text_px", int(px))
    s.sync()


def save_layout(layout: dict, last_loss: str) -> None:
    """Keep ``layout`` (from :func:`window_layout`) and the last loss for the next launch."""
    s = settings()
    for key, value in layout.items():
        s.setValue(f"window/{key}", value)
    s.setValue("loss/last", last_loss)
    s.sync()
