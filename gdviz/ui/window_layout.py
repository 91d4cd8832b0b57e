"""How the window shares its room: its first size, and the split between the controls, the
map, the 3D view and the lecture dock for a given width."""

from __future__ import annotations

from gdviz.ui.qt import QtCore

MAP_SHARE = 0.6
"""The map's part of the room the views get (the 3D view has the rest): the map carries the
lesson (the field, the paths, the slice), and a 3D view narrower than tall wastes its sides."""
DOCK_SHARE = 0.24
"""The lecture dock's part of the window's width (within :data:`DOCK_WIDTHS`)."""
DOCK_WIDTHS = (340, 440)


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


def share_width(window, width: int, side: int | None = None) -> dict[str, int]:
    """Split ``width`` as a fresh window does: the sidebar as narrow as its controls allow,
    the lecture dock about a quarter, the views the rest (the map :data:`MAP_SHARE` of it).

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

    Returns
    -------
    dict
        The widths asked for: ``side``, ``dock``, ``views``, ``map``.
    """
    side_w = int(side if side is not None else window.sidebar.minimumWidth())
    dock_w = int(min(DOCK_WIDTHS[1], max(DOCK_WIDTHS[0], DOCK_SHARE * width)))
    views_w = max(400, int(width) - side_w - dock_w)
    window.main_split.setSizes([side_w, views_w])
    map_w = round(MAP_SHARE * views_w)
    window.views_split.setSizes([map_w, views_w - map_w])
    window.bottom_split.setSizes([views_w // 2, views_w - views_w // 2])
    dock = getattr(window, "derivatives", None)
    if dock is not None and beside(window, dock):
        window.resizeDocks([dock], [dock_w], QtCore.Qt.Orientation.Horizontal)
    return {"side": side_w, "dock": dock_w, "views": views_w, "map": map_w}


def beside(window, dock) -> bool:
    """Whether ``dock`` sits left or right of the views (not floating, nor above or below
    them): only then is its width part of the window's."""
    area = window.dockWidgetArea(dock)
    sides = (QtCore.Qt.DockWidgetArea.LeftDockWidgetArea,
             QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
    return not dock.isFloating() and area in sides
