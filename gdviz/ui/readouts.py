"""Per-run readouts: iteration, point, f, ∇f, ‖∇f‖ and status.

A table painted directly with ``QPainter`` rather than a ``QTableWidget``: during playback
every cell but the name changes on every frame, and an item view repaints each cell through
its delegate and style (roles, elision, a text layout per cell), ~1.5 ms for 8 runs. Here a
frame costs the text drawing alone.

Where the row below the views is too narrow for the columns but not for a run's values side by
side (a 1280 × 720 projector in presentation mode: 326 pixels, four of seven columns shown),
the table is *stacked*: one column per run, the quantities down the side. Where neither fits
(two runs there, seven at 1600 pixels), columns are left out (:data:`DROP_ORDER`) until the
rest fits, and the tooltip says which.
"""

from __future__ import annotations

import math
import re

import numpy as np

from gdviz.ui.numbers import axis_number, rounded, short_number, vector_rounded
from gdviz.ui.path_memo import PathMemo
from gdviz.ui.qt import QtCore, QtGui, QtWidgets
from gdviz.ui.readouts_table import COLUMNS, DIVERGED_COLOR, NUMBERED, ReadoutsTable
from gdviz.ui.run_titles import off_map_end

__all__ = ["COLUMNS", "DIVERGED_COLOR", "DROP_ORDER", "Cell", "Readouts", "ReadoutsTable",
           "run_readout", "short_status"]

TOOLTIP = "Where each run is at the current iteration"
DROP_ORDER = (4, 2, 5, 1)
"""Columns left out, in this order, where the row is too narrow for them all and stacking does
not fit either: ∇f (‖∇f‖ and the map's arrows tell it), the point (the map shows it), ‖∇f‖,
then k (the playback bar shows it): the status stays (seven compared runs at 1280 × 720 hid
it behind a scroll bar, a diverged Newton's f = −1.1·10¹⁰ reading as the best)."""

_DROPS = tuple(DROP_ORDER[:n] for n in range(len(DROP_ORDER) + 1))
"""The quantities each layout leaves out, none first: (), (∇f,), (∇f, point), …"""

MOVING = "moving"
"""A run's status before its last step ("running" read as if it were computing, beside a
runs list saying "converged at step 163", while a teacher scrubbed a finished run)."""


def short_status(message: str) -> str:
    """A run's status for its cell: "converged", "diverged", "stopped" — its step is in the k
    column beside it, the rest of the message in the readouts' tooltip ("diverged at step 11:
    the loss became infinite" took 300 pixels; "converged at step 163" alone put the status
    behind a scroll bar in presentation mode, and flipped the table's layout at that step)."""
    head, _, why = message.partition(": ")
    if why.startswith("the loss rose") and head.startswith("stopped"):
        return "f rising"  # (used its steps climbing: "stopped" read as a run at rest)
    if why.startswith(("at a saddle point", "at a maximum", "in a flat region", "on a ridge")):
        return why.removeprefix("at a ").removeprefix("in a ").removeprefix("on a ").split(
            ",")[0]  # (no minimum)
    if why.startswith("the loss fell without bound"):  # (read as an η too large, in red:
        return "f → −∞"  # Newton on x² − y² went where f has no minimum)
    if "(barely moving:" in message:  # (a run crawling on a plateau read "stopped")
        return "barely moving"
    if "(settled where the" in message:  # (a quotient's run at rest off the minimum:
        return "settled"  # "stopped" read as a run that failed)
    if "(overshooting:" in message:  # (and one swinging across its valley for ever)
        return "overshooting"
    if head.startswith("Newton's step needs"):  # (its curvature undefined at the start)
        return "curvature undefined"
    # "The loss is undefined at the start": "f undefined" (also with its bracket: "… at the
    # start (−∞ on one side, ∞ on the other)", 1/x at 0)
    if head.endswith(" at the start") or " at the start (" in head:
        subject, _, state = head.partition(" at the start")[0].partition(" is ")
        return f"{ {'The loss': 'f', 'The gradient': '∇f'}.get(subject, subject)} {state}"
    return re.sub(r" (at step \d+|after \d+ steps?\b.*)$", "", head)


def run_readout(run, iteration: int, region=((0.0, 0.0), (0.0, 0.0))) -> list[str]:
    """The readout cells of one run at ``iteration`` (pure: used by tests and export); the
    point with the digits the map showing ``region`` needs, rounding noise as 0
    (:func:`gdviz.ui.numbers.axis_number`)."""
    traj = run.trajectory
    if traj is None:
        return ["", "", "", "", "", run.note]
    k = min(iteration, len(traj.points) - 1)
    a, b = traj.points[k]
    ga, gb = vector_rounded(traj.gradients[k])  # (−1.97e−14 beside 0.014 reads 0)
    status = short_status(traj.message()) if k == len(traj.points) - 1 else MOVING
    if status == "stopped" and off_map_end(traj, region) is not None:
        status = "off the map"  # (used its steps far off it: "stopped" read as at rest)
    (a, da), (b, db) = (axis_number(float(v), axis) for v, axis in zip((a, b), region,
                                                                        strict=True))
    n = short_number
    # (one rounded, both with their trailing zeros: "(−8.150, −3.01)" read as if −3.01 were
    # written otherwise, as the Compare table's column is)
    zeros = rounded(ga) or rounded(gb)
    return [str(k), f"({n(a, da)}, {n(b, db)})", n(traj.losses[k], loss_digits(traj.losses)),
            f"({n(ga, zeros=zeros)}, {n(gb, zeros=zeros)})", n(traj.grad_norms[k]), status]


_DIGITS: dict[int, tuple[object, int]] = {}
"""id(losses) → (losses, :func:`loss_digits`): worked out once per run's path, not in every
playback frame's readouts."""


def loss_digits(losses) -> int:
    """Significant digits for a run's f: 4, and as many more as its values' size is orders
    of magnitude above how far they fall (10⁶ + x² + y² read f = 1.000e6 at every step, its
    fall of 0.29 unseen), 12 at most."""
    kept = _DIGITS.get(id(losses))
    if kept is not None and kept[0] is losses:
        return kept[1]
    if len(_DIGITS) > 64:  # (paths gone since: their ids may be reused)
        _DIGITS.clear()
    digits = _loss_digits(losses)
    _DIGITS[id(losses)] = (losses, digits)
    return digits


def _loss_digits(losses) -> int:
    finite = np.asarray(losses, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size < 2:
        return 4
    fall = float(finite.max() - finite.min())
    size = float(np.abs(finite).max())
    if not fall > 0 or size < 100 * fall:
        return 4
    return min(12, 4 + int(math.floor(math.log10(size / fall))) - 1)


SHORT_OPTIMIZER = {"gd": "GD", "nesterov": "Nesterov"}
"""Optimizers named shorter in the readouts than in the menus (the others: their label)."""


def readout_name(runs, index: int) -> str:
    """The name of run ``index`` in the readouts: its own, else "Run 3", or, where the runs
    use different optimizers (after Compare optimizers), "3 · Adam": the rows read "Run 1" to
    "Run 7", the optimizers told only by colour, against a table the class may not see."""
    run = runs[index]
    if run.spec.name:
        return run.spec.name
    if len({r.spec.optimizer for r in runs}) < 2:
        return f"Run {index + 1}"
    from gdviz.core.optimizers import OPTIMIZERS

    opt = run.spec.optimizer
    return f"{index + 1} · {SHORT_OPTIMIZER.get(opt) or OPTIMIZERS[opt].label}"


class Cell:
    """One cell as callers see it: ``text()`` (the item-view API the tests use)."""

    def __init__(self, text: str) -> None:
        self._text = text

    def text(self) -> str:
        """The cell's text."""
        return self._text


class Readouts(QtWidgets.QScrollArea):
    """One row per run: where it is at the current iteration (scrolls when runs are many).

    Keeps the few item-view methods callers use: :meth:`rowCount`, :meth:`columnCount`,
    :meth:`item`.

    Signals
    -------
    widthNeeded(width)
        The side-by-side columns' width grew (or was fitted afresh).
    roomWanted()
        Squeezed into a stacked or shortened layout: the row may have more to give.
    """

    roomWanted = QtCore.Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("readouts")
        self.setAccessibleName("readouts")
        self.setToolTip(TOOLTIP)
        self.table = ReadoutsTable()
        self.region = ((0.0, 0.0), (0.0, 0.0))  # what the map shows (set_region)
        self._reasons: list[str] = []  # the runs' full statuses, for the tooltip
        self._at_rest = PathMemo()  # per run at rest, its cells at its last step (_cells)
        self.sized_by_hand = False  # the row's split was dragged (then no roomWanted)
        self._selected: int | None = None  # the run kept in view (show_run)
        self._room_timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._room_timer.timeout.connect(self.roomWanted)
        self.widthNeeded = self.table.widthNeeded
        self.setWidget(self.table)
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.widthNeeded.connect(lambda _width: self._choose_layout())
        # The header row stays in sight as the rows scroll under it (painted afresh: a
        # scroll's copied pixels would carry it along)
        self.verticalScrollBar().valueChanged.connect(self._keep_header)
        self.table.installEventFilter(self)  # (its growth: the selected run kept in view)

    def _keep_header(self, top: int) -> None:
        self.table.header_top = max(0, top)
        self.table.update()

    def layout_for(self, width: int) -> tuple[bool, tuple[int, ...], int]:
        """The layout chosen at ``width`` pixels (this area's, its height as now): side by side
        when the columns fit; else stacked when a column per run does; else side by side, then
        stacked, without the quantities of :data:`DROP_ORDER` (as few as will do); else side
        by side or stacked without them, whichever is narrower, scrolling (in a 116-pixel
        row, side by side showed the run and k only; stacked, all but a few pixels of each
        value). Returns ``(stacked, hidden, width it takes)``."""
        table, frame = self.table, 2 * self.frameWidth()
        # From this area's own size, not its viewport's (which a scroll bar narrows: the
        # choice would flip the bar, and the bar the choice, back and forth).
        room, height = width - frame, self.height() - frame
        table.fit_lines(height)  # (stacked, its lines as close as fits: before sizes)
        bar = self.verticalScrollBar().sizeHint().width()
        rows_h = table.row_h * (len(table.rows) + 1)

        def taken(size: QtCore.QSize) -> int:
            return size.width() + (bar if size.height() > height else 0)

        choices = [(False, ()), (True, ()),
                   *((stacked, hidden) for hidden in _DROPS[1:] for stacked in (False, True))]
        narrowest = None
        for stacked, hidden in choices:
            size = (table.stacked_size(hidden) if stacked
                    else QtCore.QSize(sum(table.shown_widths(hidden)), rows_h))
            # (never stacked for more runs than fit: then the rows scroll as usual)
            if taken(size) <= room:
                return stacked, tuple(sorted(hidden)), taken(size) + frame
            if hidden and (narrowest is None or taken(size) < narrowest[0]):
                narrowest = (taken(size), stacked)
        # (the last room there is: the names shortened to the runs' numbers, side by side;
        # scrolling sideways where even they do not fit, unless stacked is narrower: with
        # the names whole, f was cut off and the status out of sight at 1366 × 768 in
        # presentation mode after Ctrl + twice)
        numbered = tuple(sorted((NUMBERED, *DROP_ORDER)))
        size = QtCore.QSize(sum(table.shown_widths(numbered)), rows_h)
        if taken(size) <= room or taken(size) <= narrowest[0] or not narrowest[1]:
            return False, numbered, min(taken(size) + frame, width)
        return True, tuple(sorted(DROP_ORDER)), width

    def _choose_layout(self) -> None:
        stacked, hidden, _ = self.layout_for(self.width())
        self.table.set_layout(stacked, hidden)
        self._set_tip()
        if (stacked or hidden) and not self.sized_by_hand:
            # Squeezed (a window resize shares the row out in proportion: three pixels short,
            # ∇f went): ask the row again for what the layout chosen at its widest needs (not
            # once the split was dragged by hand: it snapped back under the mouse).
            self._room_timer.start()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._choose_layout()
        self._keep_selected()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if obj is self.table and event.type() == QtCore.QEvent.Type.Resize:
            self._keep_selected()  # (Compare's rows arrive, then the table grows to them)
        return False

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange:
            self._keep_selected()

    def _keep_selected(self) -> None:
        """The selected run back in view once the rows have their new size (after Ctrl +,
        the scroll bar's pixels held other rows: the best of a comparison went out of sight
        and a half row sat under the header)."""
        if self._selected is not None:
            self.show_run(self._selected)

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
        self._at_rest.keep_only(run.trajectory for run in runs)
        rows = [[readout_name(runs, i), *self._cells(run, iteration)]
                for i, run in enumerate(runs)]
        count = len(self.table.rows)
        self.table.set_rows(rows, [run.spec.color or "#000000" for run in runs], refit)
        self._reasons = [f"{row[0]}: {run.trajectory.message()}"
                         for row, run in zip(rows, runs, strict=True)
                         if run.trajectory is not None and row[-1] != MOVING
                         and row[-1] != run.trajectory.message()]
        if refit or len(rows) != count:  # (other runs: the stacked layout may fit, or not)
            self.table.fit_ahead(self._rows_ahead(runs), (*_DROPS, tuple(sorted(DROP_ORDER))))
            self._choose_layout()  # (sets the tooltip)
        else:
            self._set_tip()

    def _cells(self, run, iteration: int) -> list[str]:
        """:func:`run_readout` of ``run``; for a run at rest (past its last step), kept
        from the last frame: each frame of seven compared runs formatted the same cells of
        the six that had stopped."""
        traj = run.trajectory
        if traj is None or iteration < len(traj.points) - 1:
            return run_readout(run, iteration, self.region)
        return self._at_rest.get(traj, self.region,
                                 lambda: run_readout(run, iteration, self.region))

    def _rows_ahead(self, runs) -> list[list[str]]:
        """Each run's longest cells at a few steps spread over its path and at its last (the
        widest texts it will show, mostly: the layout is chosen for them), as rows."""
        last = max((len(r.trajectory.points) - 1 for r in runs if r.trajectory is not None),
                   default=0)
        steps = sorted(k for k in {*(round(last * i / 8) for i in range(9)), 1, 2} if k <= last)
        rows = []
        for i, run in enumerate(runs):
            cells = [run_readout(run, k, self.region) for k in steps]
            rows.append([readout_name(runs, i),
                         *(max(texts, key=len) for texts in zip(*cells, strict=True))])
        return rows

    def show_run(self, index: int) -> None:
        """Scroll the run ``index`` into view (Compare selects the best of seven: it was the
        last row, below the fold at 1280 × 720), once the table has its new size; and again
        whenever this area's size or type changes."""
        self._selected = index
        QtCore.QTimer.singleShot(0, self, lambda: self._show_run(index))

    def _show_run(self, index: int, tries: int = 8) -> None:
        # (the newest selection: a show_run(0) queued before Compare selected its best run
        # ran after it, and scrolled back to the top)
        index = index if self._selected is None else self._selected
        t = self.table
        if not 0 <= index < len(t.rows):
            return
        if t.stacked:
            x = sum(t.stack_widths[: index + 1])
            w = t.stack_widths[index + 1] if index + 1 < len(t.stack_widths) else 0
            self.ensureVisible(x + w // 2, 0, w // 2 + 2, 0)
        else:  # below the header row, which stays at the top of what is shown
            bar, h = self.verticalScrollBar(), t.row_h
            over = h * (len(t.rows) + 1) - self.viewport().height()
            pad = (-over) % h if over > 0 else 0  # (whole rows at the last position too)
            if pad != t.bottom_pad:  # (the scroll bar's range follows a moment later)
                t.set_bottom_pad(pad)
                QtCore.QTimer.singleShot(0, self, lambda: self._show_run(index, tries))
                return
            # (from whole rows: a position clamped to a range not yet grown by the pad, 68
            # of 41-pixel rows, stayed, the row shown, and a half row sat under the header)
            top, shown = bar.value() // h * h, self.viewport().height()
            row_top, row_bottom = (index + 1) * h, (index + 2) * h
            if row_bottom > top + shown:
                top = -(-(row_bottom - shown) // h) * h  # (whole rows under the header)
            top = min(top, row_top - h)  # (in a short area, the row under the header first)
            if top > bar.maximum() and tries:  # (the table not grown to its rows yet: after
                # Compare in presentation mode the best run stayed out of sight)
                QtCore.QTimer.singleShot(20, self, lambda: self._show_run(index, tries - 1))
            bar.setValue(max(0, top))

    def _set_tip(self) -> None:
        """The tooltip: what the table is, the columns left out, the runs' full statuses."""
        hidden = self.table.hidden
        left_out = ([f"Left out for room (widen the window to see): "
                     f"{', '.join(COLUMNS[j] for j in sorted(hidden) if j != NUMBERED)}"]
                    if hidden else [])
        if NUMBERED in hidden and not self.table.stacked:  # (which number is which run)
            # ("1 · GD" says it already: "1 = 1 · GD" repeated itself)
            left_out.append("Runs: " + ", ".join(
                row[0] if row[0].startswith(f"{i + 1} · ") else f"{i + 1} = {row[0]}"
                for i, row in enumerate(self.table.rows)))
        tip = "\n".join([TOOLTIP, *left_out, *self._reasons])
        if tip != self.toolTip():
            self.setToolTip(tip)

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
