"""Where the Compare optimizers dock goes and how tall it is: below the views, or on a short
window a tab beside the lecture tabs, with headers to match (:class:`gdviz.ui.compare
.ComparePanel`'s)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gdviz.ui.compare_cells import COLUMNS
from gdviz.ui.qt import QtCore, QtWidgets

if TYPE_CHECKING:
    from gdviz.ui.compare import ComparePanel

WIDGET_SIZE_MAX = 16777215  # Qt's QWIDGETSIZE_MAX (not exported by PySide6)
SHORT_WINDOW = 1200
"""Below this height (logical pixels, at the app's own type size; as much more as the type
is larger) the Compare table sits beside the lecture tabs: below the views in a window
1000 pixels tall (a 1080-line screen's), it left the map a strip 190 pixels tall, its seven
paths one blob."""


def place_dock(panel: ComparePanel) -> None:
    """Below the views, or on a window under :data:`SHORT_WINDOW` pixels tall (every
    window the app opens at its own size) a tab beside the lecture tabs when they are
    shown at the side: below, even a quarter of a 720-line window left the map a strip
    95 pixels tall (at 150 % on a laptop). Not where the user has put the dock since."""
    window, dock = panel.window, panel.dock
    lecture = getattr(window, "derivatives", None)
    area = window.dockWidgetArea(dock)
    if panel._placed is not None and (area, dock.isFloating()) != panel._placed:
        return  # (moved by hand)
    side = (lecture is not None and lecture.isVisible() and not lecture.isFloating()
            and window.dockWidgetArea(lecture) == QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
    beside = side and is_short(panel)
    if beside and area != QtCore.Qt.DockWidgetArea.RightDockWidgetArea:
        window.tabifyDockWidget(lecture, dock)
    elif not beside and area != QtCore.Qt.DockWidgetArea.BottomDockWidgetArea:
        window.addDockWidget(QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    label_columns(panel, beside)
    panel._placed = (window.dockWidgetArea(dock), dock.isFloating())

def label_columns(panel: ComparePanel, beside: bool) -> None:
    """The headers for a table below the views, or (``beside``) for a narrow tab."""
    panel.narrow = beside
    # (two-line headers in the narrow tab: "steps to converge" with its sort arrow's room
    # took 101 pixels of 422, the status column behind a scroll bar; the whole name is
    # in the header's tooltip) Narrow, the steps column says how a run ended ("22 steps",
    # "stopped") and the status column goes: at 1280 × 720 the status was cut to "c"
    panel.table.setHorizontalHeaderLabels(
        ["result" if beside and c.endswith(" to converge") else
         c.replace(" ", "\n") if beside else c for c in COLUMNS])
    for col, name in enumerate(COLUMNS):
        panel.table.horizontalHeaderItem(col).setToolTip(
            "steps to converge, or how the run ended" if beside and col == 2 else
            f"{name} (— where the run did not converge)" if name.endswith("converge")
            else name)

def fit_columns(panel: ComparePanel) -> None:
    """In the narrow tab, leave out final ‖∇f‖, then η, while the columns are wider than
    the table (in presentation mode's type even the narrow cells did not fit); the
    optimizer, how it ended and its final loss stay."""
    table = panel.table
    room = table.viewport().width() or table.width() - 2 * table.frameWidth()
    for col in (4, 1):
        if table.horizontalHeader().length() <= room:
            break
        table.setColumnHidden(col, True)


def refit_columns(panel: ComparePanel) -> None:
    """The narrow tab's columns fitted again to the table's width or type: those left out
    shown again where they fit now (:func:`fit_columns`)."""
    if not panel.narrow or panel._filling or not panel.table.rowCount():
        return
    for col in (1, 4):
        panel.table.setColumnHidden(col, False)
    panel.table.resizeColumnsToContents()
    fit_columns(panel)
    panel.table.resizeRowsToContents()


def is_short(panel: ComparePanel) -> bool:
    """Whether the window is short for its type: under :data:`SHORT_WINDOW` pixels at
    the app's own type size, and as much taller as the type is larger (in presentation
    mode on a 1080-line projector, 24-pixel type, the table below left the map 195
    pixels and the loss plot 105)."""
    classroom = getattr(panel.window, "_classroom", None)
    scale = classroom.presentation.type_scale if classroom is not None else 1.0
    return panel.window.height() < SHORT_WINDOW * max(1.0, scale)

def fit_dock(panel: ComparePanel) -> None:
    """The dock as tall as its rows need, but at most a third of the window (a quarter
    below 800 pixels): on a 1280×720 projector in presentation mode it took half, the map
    a strip 90 pixels tall (a longer table scrolls)."""
    window, table = panel.window, panel.table
    if window.dockWidgetArea(panel.dock) not in (QtCore.Qt.DockWidgetArea.BottomDockWidgetArea,
                                                QtCore.Qt.DockWidgetArea.TopDockWidgetArea):
        return
    whole = whole_height(table)
    need = (whole + panel.tame.sizeHint().height() + 12
            + panel.dock.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_TitleBarHeight))
    # A quarter on a short window (a 720-line projector: a third still left the map a
    # strip); the table keeps two rows and scrolls the rest.
    share = 4 if is_short(panel) else 3
    header = table.horizontalHeader().height()
    table.setMinimumHeight(min(whole - 2 * table.frameWidth(),
                               header + 2 * table.verticalHeader().defaultSectionSize()
                               + 2 * table.frameWidth()))
    height = min(need, window.height() // share)
    window.resizeDocks([panel.dock], [height], QtCore.Qt.Orientation.Vertical)


def whole_height(table: QtWidgets.QTableWidget) -> int:
    """The height that shows ``table``'s header and every row, frame included."""
    return (table.verticalHeader().length() + table.horizontalHeader().height()
            + 2 * table.frameWidth())


def fit_chart(panel: ComparePanel) -> None:
    """The convergence chart below the table where the dock has room for both: beside the
    lecture tabs or floating (below the views the dock is as short as its table), the table
    then as tall as its rows and the chart the rest (the tab was empty below the table,
    half its height at 1600 × 1000)."""
    window, dock, table, chart = panel.window, panel.dock, panel.table, panel.chart
    side = dock.isFloating() or window.dockWidgetArea(dock) in (
        QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
    rows = whole_height(table)
    if table.horizontalHeader().length() > table.viewport().width():
        rows += table.horizontalScrollBar().sizeHint().height()  # (its columns scroll)
    holder = dock.widget()
    layout = holder.layout()
    margins = layout.contentsMargins()
    room = (holder.height() - margins.top() - margins.bottom() - 2 * layout.spacing()
            - panel.tame.sizeHint().height())
    show = side and not dock.isHidden() and room - rows >= chart.minimumHeight()
    if show:
        table.setMinimumHeight(rows)
        table.setMaximumHeight(rows)
    else:
        table.setMaximumHeight(WIDGET_SIZE_MAX)
        if side:  # (below the views fit_dock sets its least height)
            table.setMinimumHeight(0)
    if show == chart.isHidden():
        chart.setVisible(show)
