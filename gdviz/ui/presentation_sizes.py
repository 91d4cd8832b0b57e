"""Presentation mode's sizes: its type for a screen, the lecture tabs' type, the share of
the window the sidebar may take, the thick lines, the dark theme's colours; and the measures
:class:`gdviz.ui.presentation.Presentation` fits the tab titles and rows with."""

from __future__ import annotations

from gdviz.ui.binding import QtGui, QtWidgets

PRESENTATION_PX = 24  # type size on a 1920×1080 projector (in proportion on others)
PRESENTATION_MIN_PX = 15
LECTURE_MAX_SCALE = 1.25  # how much larger the lecture tabs' type may grow than their own
LECTURE_PRESENTING_MOST = 1.75  # and in presentation mode, with Ctrl + past its own size
MIN_PX, MAX_PX = 9, 72
NORMAL_MAX_SCALE = 2.0  # outside presentation mode: at most twice the app's type (a sidebar
# of 39 px type was cut off at the window's edge)
SIDEBAR_SHARE = 0.34  # the most of the window's width the sidebar widens to for its type
TAB_TITLE_SHARE = 0.5  # the lecture tabs' titles' least size in presentation mode, of its type
TAB_TITLE_MOST = 0.8  # their largest, where the dock has room (at half, on a 1920 × 1080
# projector, they were the app's 13 pixels beside the tabs' 22)
LINE_WIDTHS = {"contour": 5.0, "loss_plot": 4.5, "surface": 6.0, "field": 3.0, "levels": 2.2}
DARK = {"window": "#1e1f22", "base": "#26282c", "text": "#f2f2f2", "button": "#33363b",
        "highlight": "#3d8bfd", "plot": "#101113", "groove": "#8a8f98",
        "groove_edge": "#c0c4ca"}


def presentation_px(screen) -> int:
    """Presentation mode's type size for ``screen``: :data:`PRESENTATION_PX` on 1080 lines,
    in proportion to the screen's height on others (a 768-line projector would otherwise
    leave the map a sliver between its axes' labels)."""
    if screen is None:
        return PRESENTATION_PX
    lines = screen.geometry().height()
    return max(PRESENTATION_MIN_PX, min(2 * PRESENTATION_PX,
                                        round(PRESENTATION_PX * lines / 1080)))


def lecture_px() -> int:
    """The lecture tabs' own type size in pixels."""
    from gdviz.ui.derivatives.common import FONT_PT

    font = QtGui.QFont(QtWidgets.QApplication.font())
    font.setPointSize(FONT_PT)
    return max(1, QtGui.QFontInfo(font).pixelSize())


def titles_width(bar: QtWidgets.QTabBar, font: QtGui.QFont, px: int) -> int:
    """The width ``bar``'s titles need in ``font`` at ``px`` pixels (text and each tab's
    padding as the style gives it now)."""
    sized = QtGui.QFont(font)
    sized.setPixelSize(px)
    fm = QtGui.QFontMetrics(sized)
    now = QtGui.QFontMetrics(bar.font())
    padding = sum(bar.tabRect(i).width() - now.horizontalAdvance(bar.tabText(i))
                  for i in range(bar.count()))
    return padding + sum(fm.horizontalAdvance(bar.tabText(i)) for i in range(bar.count()))


def row_of(form: QtWidgets.QFormLayout, widget: QtWidgets.QWidget) -> int:
    """Row of ``form`` holding ``widget`` (directly or inside the row's layout), or -1."""
    for row in range(form.rowCount()):
        item = form.itemAt(row, QtWidgets.QFormLayout.FieldRole)
        if item is None:
            continue
        if item.widget() is widget or (item.layout() is not None
                                       and item.layout().indexOf(widget) >= 0):
            return row
    return -1
