"""Per-run readouts: iteration, point, f, ∇f, ‖∇f‖ and status.

A table painted directly with ``QPainter`` rather than a ``QTableWidget``: during playback
every cell but the name changes on every frame, and an item view repaints each cell through
its delegate and style (roles, elision, a text layout per cell), ~1.5 ms for 8 runs. Here a
frame costs the text drawing alone.

Where the row below the views is too narrow for the columns but not for a run's values side by
side (a 1280 × 720 projector in presentation mode: 326 pixels, four of seven columns shown),
the table is *stacked*: one column per run, the quantities down the side.
"""

from __future__ import annotations

import numpy as np

from gdviz.ui.colors import readable
from gdviz.ui.numbers import digits_for
from gdviz.ui.qt import QtCore, QtGui, QtWidgets

COLUMNS = ("run", "k", "point", "f", "∇f", "‖∇f‖", "status")
DIVERGED_COLOR = "#b00020"
TOOLTIP = "Where each run is at the current iteration"
REPEATING = (1, len(COLUMNS) - 1)  # k and status: the same text in many rows and frames


def _fmt(v: float, digits: int = 4) -> str:
    if not np.isfinite(v):
        return "∞" if v == np.inf else "−∞" if v == -np.inf else "undefined"
    text = f"{v + 0.0:.{digits}g}"  # (+ 0.0: −0.0 reads 0)
    mantissa, e, exponent = text.partition("e")
    # 5.404e5, 4.114e-7: a diverged run's two coordinates and gradient widened the table by
    # six characters of "+0" and "-0" (its status went behind a scroll bar)
    text = f"{mantissa}e{int(exponent)}" if e else text
    return text.replace("-", "−")  # (a real minus sign, as the axes and the tabs write)


def short_status(message: str) -> str:
    """A run's status for its cell: "diverged at step 11" (the reason after the colon goes
    to the readouts' tooltip; in the cell it took 300 pixels)."""
    return message.split(": ", 1)[0]


def run_readout(run, iteration: int, region=((0.0, 0.0), (0.0, 0.0))) -> list[str]:
    """The readout cells of one run at ``iteration`` (pure: used by tests and export); the
    point with the digits the map showing ``region`` needs (:func:`gdviz.ui.numbers.digits_for`)."""
    traj = run.trajectory
    if traj is None:
        return ["", "", "", "", "", run.note]
    k = min(iteration, len(traj.points) - 1)
    a, b = traj.points[k]
    ga, gb = traj.gradients[k]
    status = short_status(traj.message()) if k == len(traj.points) - 1 else "running"
    da, db = (digits_for(float(v), axis) for v, axis in zip((a, b), region, strict=True))
    return [str(k), f"({_fmt(a, da)}, {_fmt(b, db)})", _fmt(traj.losses[k]),
            f"({_fmt(ga)}, {_fmt(gb)})", _fmt(traj.grad_norms[k]), status]


class Cell:
    """One cell as callers see it: ``text()`` (the item-view API the tests use)."""

    def __init__(self, text: str) -> None:
        self._text = text

    def text(self) -> str:
        """The cell's text."""
        return self._text


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
        self._metrics()

    def _metrics(self) -> None:
        fm = QtGui.QFontMetricsF(self.font())
        self.row_h = int(fm.height() * 1.45) + 1
        self.stack_h = int(fm.height() * 1.25) + 1  # (stacked: seven lines in a short row)
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
            # one digit of slack: a text as long may still be a little wider
            need = max([self.header_w[j], *(fm.horizontalAdvance(r[j]) for r in rows)])
            need = int(need + 2 * self.PAD + (self.char_w if 0 < j < len(COLUMNS) - 1 else 0)
                       + 0.999)
            if need > self.widths[j] or (force and need != self.widths[j]):
                self.widths[j] = need
                changed = True
        if changed:
            self.setMinimumSize(self.sizeHint() if self.stacked else
                                QtCore.QSize(sum(self.widths), self.row_h * (len(rows) + 1)))
            self.widthNeeded.emit(sum(self.widths))  # (the side-by-side layout's, always)
        return changed

    def _fit_stack(self, rows: list[list[str]], force: bool) -> bool:
        """The stacked layout's column widths, grown as :meth:`_fit` grows the others."""
        pad = 2 * self.PAD + self.char_w  # (one digit of slack, as above)
        names = int(max(self.header_w) + 2 * self.PAD + 0.999)
        widths = [names] + [
            int(max([self.name_fm.horizontalAdvance(r[0]),
                     *(self.text_fm.horizontalAdvance(t) for t in r[1:])]) + pad + 0.999)
            for r in rows]
        if not force and len(widths) == len(self.stack_widths):
            widths = [max(a, b) for a, b in zip(widths, self.stack_widths, strict=True)]
        if widths == self.stack_widths:
            return False
        self.stack_widths = widths
        return self.stacked

    def stacked_size(self) -> QtCore.QSize:
        """The size the stacked layout takes."""
        return QtCore.QSize(sum(self.stack_widths), self.stack_h * len(COLUMNS))

    def set_stacked(self, on: bool) -> None:
        """One column per run (True) or one row per run."""
        if on != self.stacked:
            self.stacked = on
            self.setMinimumSize(self.sizeHint())
            self.update()

    def set_rows(self, rows: list[list[str]], colors: list[str], refit: bool = False) -> None:
        """New cell texts and run colours; repaints only the rows that changed. ``refit``:
        other runs (a new loss, session or setting), so the columns fit them afresh (a long
        run name kept its column 357 px wide through the next session)."""
        if refit or len(rows) != len(self.rows) or colors != self.colors:
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
        if changed:
            top = (min(changed) + 1) * self.row_h
            bottom = (max(changed) + 2) * self.row_h
            self.update(0, top, self.width(), bottom - top)

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        if self.stacked:
            return self.stacked_size()
        return QtCore.QSize(max(sum(self.widths), 200), self.row_h * (len(self.rows) + 1))

    def _static_text(self, text: str) -> QtGui.QStaticText:
        """A laid-out text kept for the cells that repeat from frame to frame (names, the
        step all runs share, "running"): drawing one costs a third of laying it out again."""
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
            xs = [0]
            for w in self.widths[:-1]:
                xs.append(xs[-1] + w)
            if clip.top() < h:
                p.fillRect(QtCore.QRect(0, 0, width, h), pal.color(QtGui.QPalette.Button))
                p.setPen(pal.color(QtGui.QPalette.ButtonText))
                for j, title in enumerate(COLUMNS):
                    p.drawText(QtCore.QRectF(xs[j], 0, self.widths[j], h),
                               QtCore.Qt.AlignmentFlag.AlignCenter, title)
            first = max(0, clip.top() // h - 1)
            last = min(len(self.rows), clip.bottom() // h + 1)
            baseline = (h - self.text_fm.height()) / 2 + self.ascent
            top = (h - self.text_fm.height()) / 2
            for i in range(first, last):
                y = (i + 1) * h
                row = self.rows[i]
                p.setFont(self.bold)
                # (in the run's hue, readable on either theme)
                p.setPen(QtGui.QColor(readable(QtGui.QColor(self.colors[i]).name(), base.name())))
                # (a static text is placed by its top, a drawn one by its baseline)
                p.drawStaticText(QtCore.QPointF(xs[0] + self.PAD, y + top),
                                 self._static_text(row[0]))
                p.setFont(self.font())
                p.setPen(text)
                for j in range(1, len(COLUMNS)):
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
            p.drawLines([QtCore.QLineF(x - 0.5, 0, x - 0.5, bottom) for x in xs[1:]])
            p.drawLines([QtCore.QLineF(0, (i + 1) * h - 0.5, width, (i + 1) * h - 0.5)
                         for i in range(len(self.rows) + 1)])
        finally:
            p.end()


    def _paint_stacked(self, p: QtGui.QPainter, pal: QtGui.QPalette) -> None:
        """The stacked layout: the quantities' names down the left, a column per run."""
        base, text = pal.color(QtGui.QPalette.Base), pal.color(QtGui.QPalette.Text)
        h, widths = self.stack_h, self.stack_widths
        p.fillRect(self.rect(), base)
        p.fillRect(QtCore.QRect(0, 0, widths[0], h * len(COLUMNS)),
                   pal.color(QtGui.QPalette.Button))
        p.setPen(pal.color(QtGui.QPalette.ButtonText))
        for j, title in enumerate(COLUMNS):
            p.drawText(QtCore.QRectF(self.PAD, j * h, widths[0] - self.PAD, h),
                       QtCore.Qt.AlignmentFlag.AlignVCenter, title)
        baseline = (h - self.text_fm.height()) / 2 + self.ascent
        x = widths[0]
        for i, row in enumerate(self.rows[: len(widths) - 1]):
            for j, cell in enumerate(row):
                if j == 0:  # the run's name, bold, in its hue (readable on either theme)
                    p.setFont(self.bold)
                    color = readable(QtGui.QColor(self.colors[i]).name(), base.name())
                    p.setPen(QtGui.QColor(color))
                elif j == len(COLUMNS) - 1 and "diverged" in cell:
                    p.setPen(QtGui.QColor(readable(DIVERGED_COLOR, base.name())))
                else:
                    p.setPen(text)
                p.drawText(QtCore.QPointF(x + self.PAD, j * h + baseline), cell)
                if j == 0:
                    p.setFont(self.font())
            x += widths[i + 1]
        p.setPen(pal.color(QtGui.QPalette.Mid))
        bottom, right = h * len(COLUMNS), min(self.width(), x)
        xs = [sum(widths[: i + 1]) for i in range(len(widths))]
        p.drawLines([QtCore.QLineF(x - 0.5, 0, x - 0.5, bottom) for x in xs])
        p.drawLines([QtCore.QLineF(0, j * h - 0.5, right, j * h - 0.5)
                     for j in range(1, len(COLUMNS) + 1)])


class Readouts(QtWidgets.QScrollArea):
    """One row per run: where it is at the current iteration (scrolls when runs are many).

    Keeps the few item-view methods callers use: :meth:`rowCount`, :meth:`columnCount`,
    :meth:`item`.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("readouts")
        self.setAccessibleName("readouts")
        self.setToolTip(TOOLTIP)
        self.table = ReadoutsTable()
        self.region = ((0.0, 0.0), (0.0, 0.0))  # what the map shows (set_region)
        self.widthNeeded = self.table.widthNeeded
        self.setWidget(self.table)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.widthNeeded.connect(lambda _width: self._choose_layout())

    def _choose_layout(self) -> None:
        """Stacked when the columns side by side do not fit the width and a column per run
        does (never for more runs than fit: then the rows scroll as usual)."""
        table = self.table
        # From this area's own size, not its viewport's (which a scroll bar narrows: the
        # choice would flip the bar, and the bar the choice, back and forth).
        width, height = self.width() - 2 * self.frameWidth(), self.height() - 2 * self.frameWidth()
        bar = self.verticalScrollBar().sizeHint().width()
        stacked = table.stacked_size()
        side_by_side = QtCore.QSize(sum(table.widths), table.row_h * (len(table.rows) + 1))

        def room(size: QtCore.QSize) -> int:
            return width - (bar if size.height() > height else 0)

        table.set_stacked(side_by_side.width() > room(side_by_side)
                          and stacked.width() <= room(stacked))

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._choose_layout()

    def room_needed(self, table_width: int) -> int:
        """The width this area needs to show a table ``table_width`` wide whole (its frame,
        and the vertical scroll bar when the rows need one)."""
        bar = self.verticalScrollBar()
        # (the side-by-side layout's height: the width asked for is that layout's)
        rows_hidden = (self.table.row_h * (len(self.table.rows) + 1)
                       > self.maximumViewportSize().height())
        return table_width + 2 * self.frameWidth() + (bar.sizeHint().width() if rows_hidden
                                                      else 0)

    def set_region(self, domain) -> None:
        """The region the map shows: the points get the digits that tell them apart on it
        (shown from the next :meth:`set_runs`)."""
        (a0, a1), (b0, b1) = domain
        self.region = ((float(a0), float(a1)), (float(b0), float(b1)))

    def set_runs(self, runs, iteration: int, refit: bool = False) -> None:
        """Show every run at ``iteration`` (``refit``: the runs are new, see ``set_rows``)."""
        rows = [[run.spec.name or f"Run {i + 1}", *run_readout(run, iteration, self.region)]
                for i, run in enumerate(runs)]
        count = len(self.table.rows)
        self.table.set_rows(rows, [run.spec.color or "#000000" for run in runs], refit)
        reasons = [f"{row[0]}: {run.trajectory.message()}" for row, run in zip(rows, runs,
                                                                                strict=True)
                   if run.trajectory is not None and row[-1] != "running"
                   and row[-1] != run.trajectory.message()]
        tip = "\n".join([TOOLTIP, *reasons])
        if tip != self.toolTip():
            self.setToolTip(tip)
        if refit or len(rows) != count:  # (other runs: the stacked layout may fit, or not)
            self._choose_layout()

    def rowCount(self) -> int:  # noqa: N802 - the item-view name
        """How many runs are shown."""
        return len(self.table.rows)

    def columnCount(self) -> int:  # noqa: N802 - the item-view name
        """How many columns (:data:`COLUMNS`)."""
        return len(COLUMNS)

    def item(self, row: int, column: int) -> Cell | None:
        """The cell at (``row``, ``column``), or None outside the table."""
        if 0 <= row < len(self.table.rows) and 0 <= column < len(COLUMNS):
            return Cell(self.table.rows[row][column])
        return None
