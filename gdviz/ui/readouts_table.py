"""The readouts' painted table (:class:`ReadoutsTable`): a header row, then a row per run, or
*stacked*, a column per run; :class:`gdviz.ui.readouts.Readouts` scrolls it and chooses its
layout. Painted with ``QPainter``, not an item view (see :mod:`gdviz.ui.readouts`)."""

from __future__ import annotations

import math

from gdviz.ui.colors import readable
from gdviz.ui.qt import QtCore, QtGui, QtWidgets

COLUMNS = ("run", "k", "point", "f", "∇f", "‖∇f‖", "status")
DIVERGED_COLOR = "#b00020"
REPEATING = (1, len(COLUMNS) - 1)  # k and status: the same text in many rows and frames
NUMBERED = 0
"""In a layout's ``hidden``: the runs' names shortened to their numbers, in their colours (the
last room there is: seven compared runs at 1280 × 720 in presentation mode had their status
behind a scroll bar, "3 · Nesterov" taking 140 pixels of 300)."""


class ReadoutsTable(QtWidgets.QWidget):
    """The painted table itself: a header row, then a row per run."""

    widthNeeded = QtCore.Signal(int)  # its columns' width grew (or was fitted afresh)

    PAD = 6  # px either side of a cell's text

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.rows: list[list[str]] = []
        self.colors: list[str] = []
        self.widths = [0] * len(COLUMNS)
        self._longest = [0] * len(COLUMNS)
        self.stacked = False  # one column per run (see the module's docstring)
        self.stack_widths: list[int] = [0]  # stacked: the names' column, then one per run
        self.hidden: tuple[int, ...] = ()  # quantities left out for room (either layout)
        self._stack_grown: dict[tuple[int, ...], list[int]] = {}  # see _grown
        self._stack_lengths: dict[tuple[int, ...], list[list[int]]] = {}  # (the same)
        self.header_top = 0  # px: where the header row is painted (the top of what is shown)
        self.bottom_pad = 0  # px under the last row (set_bottom_pad)
        self._metrics()

    def _metrics(self) -> None:
        fm = QtGui.QFontMetricsF(self.font())
        self.row_h = int(fm.height() * 1.45) + 1
        self.stack_h = int(fm.height() * 1.25) + 1  # (stacked: seven lines in a short row)
        self._stack_lines = (int(fm.height() * 1.05) + 1, self.stack_h)  # (tightest, usual)
        self.ascent = fm.ascent()
        self.char_w = fm.horizontalAdvance("0")
        self.bold = QtGui.QFont(self.font())
        self.bold.setBold(True)
        self.header_w = [fm.horizontalAdvance(h) for h in COLUMNS]
        self.name_fm = QtGui.QFontMetricsF(self.bold)
        self.text_fm = fm
        self.widths = [0] * len(COLUMNS)
        self._static: dict[str, QtGui.QStaticText] = {}

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._metrics()
            self._fit(self.rows, force=True)
            self.update()
        super().changeEvent(event)

    def _fit(self, rows: list[list[str]], force: bool = False) -> bool:
        """Grow the columns to fit ``rows`` (they never shrink while playing, so the table
        does not jitter); True if a width changed. A text is measured only when it is longer
        than any seen in its column: most frames measure nothing."""
        if force:
            self._longest = [0] * len(COLUMNS)
        changed = self._fit_stack(rows, force)
        for j in range(len(COLUMNS)):
            fm = self.name_fm if j == 0 else self.text_fm
            longest = max((r[j] for r in rows), key=len, default="")
            if len(longest) <= self._longest[j] and not force:
                continue
            self._longest[j] = len(longest)
            # One digit of slack (a text as long may still be a little wider); and once fitted,
            # the values' columns grow three digits at a time: a point's digits grow one at a
            # time as a run plays, and each growth re-split the row (ten jumps of the loss plot).
            need = max([self.header_w[j], *(fm.horizontalAdvance(r[j]) for r in rows)])
            need += 2 * self.PAD
            if 0 < j < len(COLUMNS) - 1:
                need += self.char_w
                if not force and need > self.widths[j]:
                    need = self.widths[j] + math.ceil(
                        (need - self.widths[j]) / (3 * self.char_w)) * 3 * self.char_w
            need = int(need + 0.999)
            if need > self.widths[j] or (force and need != self.widths[j]):
                self.widths[j] = need
                changed = True
        if changed:
            self.setMinimumSize(self.sizeHint() if self.stacked else
                                QtCore.QSize(sum(self.shown_widths()),
                                             self.row_h * (len(rows) + 1) + self.bottom_pad))
            self.widthNeeded.emit(sum(self.widths))  # (the side-by-side layout's, always)
        return changed

    def _stack_widths(self, rows: list[list[str]], hidden: tuple[int, ...]) -> list[int]:
        """The stacked layout's snug column widths without the quantities ``hidden``."""
        pad = 2 * self.PAD + self.char_w  # (one digit of slack, as above)
        shown = [j for j in range(1, len(COLUMNS)) if j not in hidden]
        names = int(max(self.header_w[j] for j in (0, *shown)) + 2 * self.PAD + 0.999)
        return [names] + [
            int(max([self.name_fm.horizontalAdvance(r[0]),
                     *(self.text_fm.horizontalAdvance(r[j]) for j in shown)]) + pad + 0.999)
            for r in rows]

    def _grown(self, hidden: tuple[int, ...]) -> list[int]:
        """The stacked widths without ``hidden``, grown as :meth:`_fit` grows the others: each
        set of quantities keeps its widest so far, so that no layout looks smaller later than
        it was (measured afresh, the layouts not shown flipped the choice back and forth
        while a run played)."""
        old = self._stack_grown.get(hidden)
        # Measured only when a cell is longer than any measured for its run and quantity (as
        # _fit does): every frame measured all of them twice, ~100 texts, ~0.2 ms of a frame.
        lengths = [[len(cell) for cell in row] for row in self.rows]
        seen = self._stack_lengths.get(hidden)
        if old is not None and seen is not None and len(seen) == len(lengths) and all(
                a <= b for new, had in zip(lengths, seen, strict=True)
                for a, b in zip(new, had, strict=True)):
            return old
        self._stack_lengths[hidden] = lengths if seen is None or len(seen) != len(lengths) \
            else [[max(a, b) for a, b in zip(new, had, strict=True)]
                  for new, had in zip(lengths, seen, strict=True)]
        widths = self._stack_widths(self.rows, hidden)
        if old is not None and len(old) == len(widths):
            widths = [max(a, b) for a, b in zip(widths, old, strict=True)]
        self._stack_grown[hidden] = widths
        return widths

    def _fit_stack(self, rows: list[list[str]], force: bool) -> bool:
        """The stacked layout's column widths (:meth:`_grown`; afresh with ``force``)."""
        if force:
            self._stack_grown.clear()
            self._stack_lengths.clear()
        widths = self._grown(self.hidden)
        if widths == self.stack_widths:
            return False
        self.stack_widths = widths
        return self.stacked

    def shown_widths(self, hidden: tuple[int, ...] | None = None) -> list[int]:
        """The columns' widths side by side, 0 for those left out (``hidden``, else
        :attr:`hidden`)."""
        hidden = self.hidden if hidden is None else hidden
        return [self.number_w() if j == NUMBERED and j in hidden else 0 if j in hidden else w
                for j, w in enumerate(self.widths)]

    def number_w(self) -> int:
        """The names' column's width with the runs' numbers for names (:data:`NUMBERED`),
        each after a swatch of its run's colour."""
        digits = self.name_fm.horizontalAdvance(str(max(1, len(self.rows))))
        return int(max(self.header_w[0], self._swatch() + digits) + 2 * self.PAD + 0.999)

    def _swatch(self) -> float:
        """Width a numbered name's swatch takes, with the gap after it (pixels)."""
        return round(0.6 * self.name_fm.height()) + 3

    def name(self, i: int) -> str:
        """Run ``i``'s name as shown: its number where the layout shortens the names."""
        return str(i + 1) if NUMBERED in self.hidden and not self.stacked else self.rows[i][0]

    def stacked_size(self, hidden: tuple[int, ...] | None = None) -> QtCore.QSize:
        """The size the stacked layout takes (without the quantities ``hidden``, else
        :attr:`hidden`)."""
        if hidden is None or hidden == self.hidden:
            hidden, widths = self.hidden, self.stack_widths
        else:
            widths = self._grown(hidden)
        return QtCore.QSize(sum(widths), self.stack_h * (len(COLUMNS) - len(hidden)))

    def fit_lines(self, height: int, hidden: tuple[int, ...] = ()) -> None:
        """Stacked, its lines closer (to 1.05 times the type's height) where the usual ones
        would not fit ``height`` pixels: after Ctrl + twice in presentation mode the status
        went behind a scroll bar, half a line showing."""
        tight, usual = self._stack_lines
        lines = len(COLUMNS) - len(hidden)
        fitted = max(tight, min(usual, height // max(lines, 1))) if height > 0 else usual
        if fitted != self.stack_h:
            self.stack_h = fitted
            self.setMinimumSize(self.sizeHint())
            self.update()

    def set_layout(self, stacked: bool, hidden: tuple[int, ...] = ()) -> None:
        """One column per run (``stacked``) or one row per run, without the quantities
        ``hidden`` (column indices; the run's name, :data:`NUMBERED`, shortened to its
        number, side by side only)."""
        if (stacked, hidden) != (self.stacked, self.hidden):
            self.stacked, self.hidden = stacked, hidden
            self._fit_stack(self.rows, force=False)
            self.setMinimumSize(self.sizeHint())
            self.update()

    def fit_ahead(self, rows: list[list[str]], variants) -> None:
        """Grow the columns of every layout (the quantities hidden in each of ``variants``) to
        ``rows`` too (the runs' texts at other iterations): fitted to the runs' first step
        alone, the row split again and the table flipped to one column per run at step 1,
        then widened three times as the digits grew (the loss plot beside it jumped)."""
        shown, self.rows = self.rows, rows
        self._fit(rows)
        for hidden in variants:
            self._grown(hidden)
        self.rows = shown

    def set_rows(self, rows: list[list[str]], colors: list[str], refit: bool = False) -> None:
        """New cell texts and run colours; repaints only the rows that changed. ``refit``:
        other runs (a new loss, session or setting), so the columns fit them afresh (a long
        run name kept its column 357 px wide through the next session)."""
        if refit or len(rows) != len(self.rows) or colors != self.colors or \
                [r[0] for r in rows] != [r[0] for r in self.rows]:  # (renamed: measured, as
            # the widths skip texts no longer than before, and "iiii" → "WWWW" is not)
            self.widths = [0] * len(COLUMNS)  # other runs: fit them afresh
            self.rows, self.colors = rows, list(colors)
            self._fit(rows, force=True)  # (sets the minimum size too)
            self.update()
            return
        changed = [i for i, (old, new) in enumerate(zip(self.rows, rows, strict=True))
                   if old != new]
        self.rows = rows
        if self._fit(rows) or (changed and self.stacked):  # (stacked: every row a column)
            self.update()
            return
        for i in changed:  # (each row apart: runs at rest between them stay as painted)
            self.update(0, (i + 1) * self.row_h, self.width(), self.row_h)

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        if self.stacked:
            return self.stacked_size()
        return QtCore.QSize(max(sum(self.shown_widths()), 200),
                            self.row_h * (len(self.rows) + 1) + self.bottom_pad)

    def set_bottom_pad(self, px: int) -> None:
        """Room under the last row (side by side): what the rows overflow their area by,
        made a whole number of rows, so the last scroll position leaves no half row under
        the header (see :meth:`gdviz.ui.readouts.Readouts._show_run`)."""
        if px != self.bottom_pad:
            self.bottom_pad = px
            self.setMinimumSize(self.sizeHint())

    def _static_text(self, text: str) -> QtGui.QStaticText:
        """A laid-out text kept for the cells that repeat from frame to frame (names, the
        step all runs share, "moving"): drawing one costs a third of laying it out again."""
        st = self._static.get(text)
        if st is None:
            if len(self._static) > 256:
                self._static.clear()
            st = self._static[text] = QtGui.QStaticText(text)
            st.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        return st

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt's name
        pal = self.palette()
        base, text = pal.color(QtGui.QPalette.Base), pal.color(QtGui.QPalette.Text)
        grid = pal.color(QtGui.QPalette.Mid)
        p = QtGui.QPainter(self)
        if self.stacked:
            try:
                self._paint_stacked(p, pal)
            finally:
                p.end()
            return
        try:
            clip = event.rect()
            p.fillRect(clip, base)
            h, width = self.row_h, self.width()
            # the last column takes what is left
            widths, shown = self.shown_widths(), [j for j in range(1, len(COLUMNS))
                                                  if j not in self.hidden]
            xs = [0]
            for w in widths[:-1]:
                xs.append(xs[-1] + w)
            first = max(0, clip.top() // h - 1)
            last = min(len(self.rows), clip.bottom() // h + 1)
            region = event.region()  # (the rows that changed, not those between them)
            baseline = (h - self.text_fm.height()) / 2 + self.ascent
            top = (h - self.text_fm.height()) / 2
            for i in range(first, last):
                y = (i + 1) * h
                if not region.intersects(QtCore.QRect(0, y, width, h)):
                    continue
                row = self.rows[i]
                p.setFont(self.bold)
                x0 = xs[0] + self.PAD
                if NUMBERED in self.hidden:
                    # A swatch of the run's own colour before its number: the number in a hue
                    # readable on the ground changed it (Adam's light blue read as GD's blue)
                    side = self._swatch() - 3
                    p.fillRect(QtCore.QRectF(x0, y + (h - side) / 2, side, side),
                               QtGui.QColor(self.colors[i]))
                    x0 += side + 3
                # (in the run's hue, readable on either theme)
                p.setPen(QtGui.QColor(readable(QtGui.QColor(self.colors[i]).name(), base.name())))
                # (a static text is placed by its top, a drawn one by its baseline)
                p.drawStaticText(QtCore.QPointF(x0, y + top), self._static_text(self.name(i)))
                p.setFont(self.font())
                p.setPen(text)
                for j in shown:
                    cell = row[j]
                    if not cell:
                        continue
                    x = xs[j] + self.PAD
                    if j == 1:  # k: right-aligned (digits share one advance), so they line up
                        x = xs[j] + self.widths[j] - self.PAD - len(cell) * self.char_w
                    if j == len(COLUMNS) - 1 and "diverged" in cell:
                        p.setPen(QtGui.QColor(readable(DIVERGED_COLOR, base.name())))
                    if j in REPEATING:
                        p.drawStaticText(QtCore.QPointF(x, y + top), self._static_text(cell))
                    else:
                        p.drawText(QtCore.QPointF(x, y + baseline), cell)
            p.setPen(grid)
            bottom = min(self.height(), h * (len(self.rows) + 1))
            p.drawLines([QtCore.QLineF(xs[j] - 0.5, 0, xs[j] - 0.5, bottom) for j in shown])
            p.drawLines([QtCore.QLineF(0, (i + 1) * h - 0.5, width, (i + 1) * h - 0.5)
                         for i in range(len(self.rows) + 1)])
            # The header row last, at the top of what is in sight: scrolled to the best of
            # Compare's seven runs, the columns had lost their names.
            y0 = self.header_top
            if clip.top() < y0 + h:
                p.fillRect(QtCore.QRect(0, y0, width, h), pal.color(QtGui.QPalette.Button))
                p.setPen(pal.color(QtGui.QPalette.ButtonText))
                for j in (0, *shown):
                    p.drawText(QtCore.QRectF(xs[j], y0, widths[j], h),
                               QtCore.Qt.AlignmentFlag.AlignCenter, COLUMNS[j])
                p.setPen(grid)
                p.drawLine(QtCore.QLineF(0, y0 + h - 0.5, width, y0 + h - 0.5))
                p.drawLines([QtCore.QLineF(xs[j] - 0.5, y0, xs[j] - 0.5, y0 + h)
                             for j in shown])
        finally:
            p.end()


    def _paint_stacked(self, p: QtGui.QPainter, pal: QtGui.QPalette) -> None:
        """The stacked layout: the quantities' names down the left, a column per run."""
        base, text = pal.color(QtGui.QPalette.Base), pal.color(QtGui.QPalette.Text)
        h, widths = self.stack_h, self.stack_widths
        shown = [j for j in range(len(COLUMNS)) if j not in self.hidden]
        p.fillRect(self.rect(), base)
        p.fillRect(QtCore.QRect(0, 0, widths[0], h * len(shown)),
                   pal.color(QtGui.QPalette.Button))
        p.setPen(pal.color(QtGui.QPalette.ButtonText))
        for line, j in enumerate(shown):
            p.drawText(QtCore.QRectF(self.PAD, line * h, widths[0] - self.PAD, h),
                       QtCore.Qt.AlignmentFlag.AlignVCenter, COLUMNS[j])
        baseline = (h - self.text_fm.height()) / 2 + self.ascent
        x = widths[0]
        for i, row in enumerate(self.rows[: len(widths) - 1]):
            for line, j in enumerate(shown):
                cell = row[j]
                if j == 0:  # the run's name, bold, in its hue (readable on either theme)
                    p.setFont(self.bold)
                    color = readable(QtGui.QColor(self.colors[i]).name(), base.name())
                    p.setPen(QtGui.QColor(color))
                elif j == len(COLUMNS) - 1 and "diverged" in cell:
                    p.setPen(QtGui.QColor(readable(DIVERGED_COLOR, base.name())))
                else:
                    p.setPen(text)
                p.drawText(QtCore.QPointF(x + self.PAD, line * h + baseline), cell)
                if j == 0:
                    p.setFont(self.font())
            x += widths[i + 1]
        p.setPen(pal.color(QtGui.QPalette.Mid))
        bottom, right = h * len(shown), min(self.width(), x)
        xs = [sum(widths[: i + 1]) for i in range(len(widths))]
        p.drawLines([QtCore.QLineF(x - 0.5, 0, x - 0.5, bottom) for x in xs])
        p.drawLines([QtCore.QLineF(0, line * h - 0.5, right, line * h - 0.5)
                     for line in range(1, len(shown) + 1)])
