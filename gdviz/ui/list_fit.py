"""The runs list's height (:class:`RowsFit`): its rows as laid out, wrapped titles and all,
fitted again as its width or type changes."""

from __future__ import annotations

from gdviz.ui.qt import QtCore, QtWidgets


class RowsFit(QtCore.QObject):
    """Keeps ``view`` (a list whose long lines wrap at a space) as tall as its rows before the
    sidebar squeezes it: as many as it can hold, at most 120 pixels (after Compare it showed
    1.5 of 7 runs, the sidebar scrolling anyway), at least two of its tallest (three-line rows
    in presentation mode's type are 86 pixels, and 120 showed the selected one's first line
    alone), never less than ``least``. A line too wide wraps (presentation mode's type cut
    "Run 1 · Gradient descent η=0.002" to "η=0.0…", as if η were 0), so the rows are measured
    as laid out, and again as the width or the type changes (a row's size hint is unwrapped:
    at 1920 × 1080 half of a wrapped third line was cut)."""

    def __init__(self, view: QtWidgets.QListWidget, least: int) -> None:
        super().__init__(view)
        # (the viewport kept: asked for during the list's destruction, it crashed)
        self.view, self.least, self._viewport = view, least, viewport_of(view)
        self._refits = 0  # (fits the width asked for since the rows changed: see eventFilter)
        view.setWordWrap(True)
        view.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
        for watched in (view, self._viewport):
            watched.installEventFilter(self)

    def fit(self, refit: bool = False) -> None:
        """Size the list to its rows as they are laid out now (``refit``: for a new width or
        type, not new rows)."""
        self._refits = self._refits + 1 if refit else 0
        view = self.view
        view.executeDelayedItemsLayout()
        heights = [max(view.sizeHintForRow(i), view.visualItemRect(view.item(i)).height(), 0)
                   for i in range(view.count())]
        frame = 2 * view.frameWidth()
        view.setMaximumHeight(max(120, 2 * max(heights, default=0) + frame))
        view.setMinimumHeight(min(view.maximumHeight(),
                                  max(self.least, sum(heights) + frame)))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        # (a few times only until the rows change: a height that brings a scroll bar, and a
        # width without it that takes it away, would fit it for ever)
        if self._refits < 3 and ((watched is self.view and kind == QtCore.QEvent.Type.FontChange)
                                 or (watched is self._viewport and kind == QtCore.QEvent.Type.Resize
                                     and event.size().width() != event.oldSize().width())):
            QtCore.QTimer.singleShot(0, self, lambda: self.fit(refit=True))  # (re-wrapped)
        if watched is self._viewport and kind == QtCore.QEvent.Type.Resize:
            # The selected run kept in sight as the list shrinks or re-wraps (presentation
            # mode after Compare left runs 5 and 6 showing, the selected 7 below them).
            QtCore.QTimer.singleShot(0, self, self._keep_current)
        return False

    def _keep_current(self) -> None:
        item = self.view.currentItem()
        if item is not None:
            self.view.scrollToItem(item)



def viewport_of(area: QtWidgets.QAbstractScrollArea) -> QtWidgets.QWidget:
    """``area.viewport()``, found as the child Qt names "qt_scrollarea_viewport".

    The first ``viewport()`` of the process costs PySide6 about 10 ms (it works out the
    returned widget's Python class, making those of 60-odd widget enums on the way), before
    the window's first frame; asked for by its class and name, the same widget costs 0.05
    ms. (Should Qt name it otherwise, ``viewport()`` answers.)
    """
    found = area.findChild(QtWidgets.QWidget, "qt_scrollarea_viewport",
                           QtCore.Qt.FindChildOption.FindDirectChildrenOnly)
    return found if found is not None else area.viewport()
