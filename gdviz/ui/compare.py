"""Tools ▸ Compare optimizers: every optimizer from the selected start, drawn together, with a
sortable table (steps to converge, final loss, final ‖∇f‖, status) in a dock.

The table summarises whatever runs the window holds, so it stays right when the loss, a start
or a learning rate changes afterwards.
"""

from __future__ import annotations

import contextlib
import time

from gdviz.core.compare import (
    best_shown,
    compare_runs,
    comparison_specs,
    domain_holding_ends,
    ends_apart_in_decades,
)
from gdviz.core.compare_rows import minimum_levels, ranking
from gdviz.core.optimizers import OPTIMIZERS
from gdviz.core.session import RunSpec
from gdviz.ui.colors import RUN_COLORS, readable
from gdviz.ui.compare_cells import (
    COLUMNS,
    RUN_ROLE,
    SORT_ROLE,
    SortItem,
    conditions_note,
    final_loss_zeros,
    lr_cell,
    note_forms,
    row_cells,
    same_run,
    table_rows,
)
from gdviz.ui.compare_chart import ConvergenceChart
from gdviz.ui.compare_dock import (
    fit_chart,
    fit_columns,
    fit_dock,
    label_columns,
    place_dock,
    refit_columns,
)
from gdviz.ui.controller import MAX_RUNS, Run
from gdviz.ui.derivatives.common import in_sight
from gdviz.ui.numbers import short_number
from gdviz.ui.qt import QtCore, QtGui, QtWidgets
from gdviz.ui.readouts import DIVERGED_COLOR
from gdviz.ui.run_worker import SYNC_BUDGET, attempt
from gdviz.ui.undo import DEPTH
from gdviz.ui.widgets import fitting_message
from gdviz.ui.window_layout import settings

TAME_KEY = "compare/halve_diverging"
WHAT = "comparing optimizers"  # (the change, as Edit ▸ Undo names it)


class ComparePanel(QtCore.QObject):
    """The comparison action and its table dock (``compareDock`` / ``compareTable``)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("compareTable")
        self.table.setAccessibleName("optimizer comparison")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setToolTip("Every run's result. Click a header to sort; click a row to "
                              "select that run.")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        # Best first: converged by steps, then the rest, diverged last.
        self.table.horizontalHeader().setSortIndicator(len(COLUMNS) - 1,
                                                       QtCore.Qt.AscendingOrder)
        self.tame = QtWidgets.QCheckBox("halve η until the run does not diverge")
        self.tame.setObjectName("compareTameCheck")
        # (kept between launches: unticked, it came back ticked)
        self.tame.setChecked(str(settings().value(TAME_KEY, "true")).lower() != "false")
        self.tame.setToolTip(
            "On: an optimizer whose default η diverges (Momentum on Rosenbrock) is run again "
            "with η/2, η/4, … until it does not; the table says so. Off: every default, "
            "divergence and all.")
        self.tame.toggled.connect(self._on_tame_toggled)
        holder = QtWidgets.QWidget()
        column = QtWidgets.QVBoxLayout(holder)
        column.setContentsMargins(4, 2, 4, 4)
        column.addWidget(self.tame)
        column.addWidget(self.table)
        self.chart = ConvergenceChart()  # (shown where there is room: compare_dock.fit_chart)
        self.chart.hide()
        column.addWidget(self.chart, 1)
        self._holder = holder
        holder.installEventFilter(self)  # (its height decides whether the chart fits)
        # id(spec) → (spec, its default η) of each run whose η was halved: the table names
        # the halving while the run keeps that spec, or an equal one (any edit of the run
        # makes another)
        self._tamed: dict[int, tuple[RunSpec, float]] = {}
        self._tamed_text = ""  # the loss they were halved on
        self.dock = QtWidgets.QDockWidget("Compare optimizers", window)
        self.dock.setObjectName("compareDock")
        self.dock.setWidget(holder)
        self.dock.setAllowedAreas(QtCore.Qt.BottomDockWidgetArea | QtCore.Qt.RightDockWidgetArea)
        # (bound methods: disconnected as the panel goes, not called by a dock outliving it)
        self.dock.dockLocationChanged.connect(self._fit_chart)
        self.dock.topLevelChanged.connect(self._fit_chart)
        self._placed: tuple | None = None  # (area, floating) where place_dock put it
        # Shown where the last launch left it: built after the window restored its docks, it
        # came back hidden (the runs of a comparison without their table). Restored before it
        # is added: adding it drops the place the restored docks kept for it.
        self.narrow = False  # a tab beside the lecture tabs: shorter cells (see refresh)
        if window.restoreDockWidget(self.dock) and not self.dock.isHidden():
            area = window.dockWidgetArea(self.dock)
            self._placed = (area, self.dock.isFloating())
            label_columns(self, area == QtCore.Qt.DockWidgetArea.RightDockWidgetArea)
            QtCore.QTimer.singleShot(0, self, self.refresh)
        else:
            window.addDockWidget(QtCore.Qt.BottomDockWidgetArea, self.dock)
            self.dock.hide()
        self._filling = False
        self._request = 0  # the comparison computing in the background, if any
        self._waiting: tuple | None = None  # its (specs, loss)
        window.controller.runner.finished.connect(self._on_runner_finished)
        window.controller.runsChanged.connect(self._on_controller_runs_changed)
        # (a halving was for the loss compared: another loss's runs are not "halved"; the
        # same loss again, as Redo brings it back, keeps them)
        window.controller.lossChanged.connect(self._on_loss_changed)
        self._note = ""  # the status bar's note on the last comparison
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.table.installEventFilter(self)  # (a theme's own red for "diverged")
        window.controller.selectedChanged.connect(self._highlight_selected)
        window.controller.iterationChanged.connect(self.chart.set_iteration)
        # How the table was before each comparison showed it ("hidden", "behind" the
        # lecture tabs, "front"), newest last, as Edit ▸ Undo keeps the comparisons: Undo of
        # one puts that back too (one remembered state, overwritten by a second comparison,
        # left the table shown after both were undone); those undone, for Redo
        self._befores: list[str] = []
        self._undone: list[str] = []
        history = getattr(window, "history", None)
        if history is not None:
            history.stepped.connect(self._on_history_stepped)

    def _fit_chart(self, *_args) -> None:
        fit_chart(self)

    def _on_loss_changed(self, loss) -> None:
        if loss.text != self._tamed_text:
            self._tamed.clear()
            # (the note named runs on the loss before: "Compared 7 optimizers … (Gradient
            # descent at the preset's 0.3)" stayed beside the regression loss from "Use as loss")
            bar = self.window.statusBar()
            if self._note and bar.currentMessage() == self._note:
                bar.clearMessage()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if obj is self.table and kind == QtCore.QEvent.Type.PaletteChange \
                and self.dock.isVisible():
            QtCore.QTimer.singleShot(0, self, self.refresh)  # (refilled in the new colours)
        elif obj is self.table and self.narrow and kind in (
                QtCore.QEvent.Type.Resize, QtCore.QEvent.Type.FontChange):
            # The columns chosen anew for the new width or type: those chosen for
            # the window's type stayed in presentation mode's, and the final loss was cut
            # at the dock's edge mid-number (1.10e−18 read "1.10e−1").
            QtCore.QTimer.singleShot(0, self, lambda: refit_columns(self))
        elif obj is self._holder and event.type() == QtCore.QEvent.Type.Resize:
            # (its own reference, not dock.widget(): asked of a dock being deleted, as the
            # window closed and the table's last events came here, that crashed)
            fit_chart(self)
        return False

    def run(self) -> None:
        """Replace the runs by one per optimizer from the selected start; show the table."""
        c = self.window.controller
        if c.loss is None:
            return
        base = c.runs[c.selected].spec if c.runs else None
        start = base.start if base is not None else c.center()
        steps = base.steps if base is not None else 200
        # (every optimizer under the selected run's noise σ and gradient: σ = 0.5 became 0)
        specs = comparison_specs(start, steps, RUN_COLORS, lrs=c.preset_lrs(),
                                 like=base)[:MAX_RUNS]
        loss, halve, tol = c.loss, self.tame.isChecked(), c.run_tol
        if any(spec.optimizer == "newton" for spec in specs):
            # (the Hessian's code is made with sympy: here, not on the run worker's thread,
            # while the compile thread may be using sympy)
            with contextlib.suppress(Exception):
                loss.hessian(0.0, 0.0)

        def work(ticket):
            return compare_runs(loss, specs, halve, ticket, tol)

        c.runner.drop(self._request)  # a comparison still computing is replaced
        self._waiting = None
        c.pause()
        done, results = attempt(work, time.perf_counter() + SYNC_BUDGET)
        if done:
            self._apply(specs, results, loss)
            return
        # The runs computing now would be replaced: the comparison need not queue behind them.
        c.runner.stop_all()
        self._request = c.runner.submit(work, sum(spec.steps for spec in specs))
        self._waiting = (specs, loss)
        self.window.statusBar().showMessage(
            f"Comparing {len(specs)} optimizers from ({short_number(start[0], 3)}, "
            f"{short_number(start[1], 3)}) in "
            "the background (Esc stops)…")

    def _on_runner_finished(self, out) -> None:
        if out.request != self._request or self._waiting is None:
            return
        (specs, loss), self._waiting = self._waiting, None
        if out.cancelled or self.window.controller.loss is not loss:
            self.window.statusBar().showMessage("The comparison was stopped.", 8000)
            return
        if out.error:
            self.window.statusBar().showMessage(f"The comparison failed: {out.error}", 8000)
            return
        self._apply(specs, out.result, loss)

    @property
    def computing(self) -> bool:
        """Whether a comparison is being computed in the background."""
        return self._waiting is not None

    def _apply(self, specs, results, loss) -> None:
        """Make the compared runs the window's runs and show the table."""
        c = self.window.controller
        self._tamed, self._tamed_text = {}, loss.text
        halved = []
        runs = []
        # (a preset's own optimizer runs at the preset's η, not its default: said so)
        own = [f"{OPTIMIZERS[s.optimizer].label} at the preset's {s.lr:g}" for s in specs
               if s.lr != OPTIMIZERS[s.optimizer].lr]
        for spec, (lr, trajectory, error) in zip(specs, results, strict=True):
            if lr != spec.lr:
                self._tamed[id(spec)] = (spec, spec.lr)
                # (÷ how much: "η halved" was said of one divided by 64)
                halved.append((spec.optimizer, f"÷{spec.lr / lr:.0f}"))
                spec.lr = lr
            runs.append(Run(spec, trajectory, error))
        c.runsAboutToBeReplaced.emit(WHAT)
        c.pause()
        c.runs = runs
        c.selected = 0
        c.rewind()
        c.recompute([])  # (every run is computed: this drops older background work)
        # The map grown to hold the minima the runs reached just past its edge (typed
        # Himmelblau's ±3: six of seven ended off its top, the seventh, the worst, selected)
        grown = domain_holding_ends([r.trajectory for r in c.runs], c.domain)
        if grown != c.domain:
            c.set_domain(grown)
        # The best run that ends on the map is selected (the lecture tabs follow it): one
        # that diverged to 1e5 would put the Slice tab's point off the map.
        c.selected = best_shown([r.trajectory for r in c.runs],
                                self.window.contour.visible_domain())
        c.selectedChanged.emit(c.selected)
        c.set_iteration(c.max_iteration)
        if ends_apart_in_decades([r.trajectory for r in runs]):  # (Shift+L: linear again)
            self.window.view_options.loss_log.setChecked(True)
        self._befores = [*self._befores, "hidden" if self.dock.isHidden() else
                         "front" if in_sight(self.table) else "behind"][-DEPTH:]
        self._undone = []  # (a new change: Redo has nothing to bring back)
        self.show_table()
        start = specs[0].start if specs else c.center()
        self._note = fitting_message(self.window.statusBar(), note_forms(
            len(specs), start, own, halved, eta_shown=not self.table.isColumnHidden(1),
            conditions=conditions_note(specs[0]) if specs else ""))
        self.window.statusBar().showMessage(self._note, 8000)

    def _on_history_stepped(self, verb: str, what: str) -> None:
        """Undo of a comparison puts the table back as it was before it (it stayed in front
        of the lecture tabs, a one-row "comparison" of the run put back); Redo shows it."""
        if what != WHAT:
            return
        if verb == "redo":
            if self._undone:
                self._befores.append(self._undone.pop())
            self.show_table()
            return
        was = self._befores.pop() if self._befores else "front"
        self._undone.append(was)
        if was == "hidden":
            self.dock.hide()
        elif was == "behind" and self.window.derivatives in \
                self.window.tabifiedDockWidgets(self.dock):
            self.window.derivatives.raise_()

    def show_table(self) -> None:
        """Show the table of the runs' results, in front, placed and sized for the window."""
        place_dock(self)
        self.dock.show()
        self.dock.raise_()
        self.refresh()
        fit_dock(self)

    def _on_tame_toggled(self) -> None:
        settings().setValue(TAME_KEY, self.tame.isChecked())
        if self.dock.isVisible():
            self.run()  # (the comparison again: with or without the halving)

    def lr_text(self, spec: RunSpec) -> tuple[str, str]:
        """A run's η cell and its tooltip (naming a halved default)."""
        # (or an equal copy: Undo and then Redo of a comparison brought its runs back as
        # copies, the "(÷4)" marks lost)
        default = next((d for h, d in self._tamed.values() if same_run(h, spec)), None)
        return lr_cell(spec.lr, default, self.narrow)

    def refresh(self) -> None:
        """Fill the table from the window's runs (keeps the current sort order)."""
        runs = self.window.controller.runs
        table = self.table
        self._filling = True
        sort_column = table.horizontalHeader().sortIndicatorSection()
        order = table.horizontalHeader().sortIndicatorOrder()
        table.setSortingEnabled(False)
        table.clearContents()
        table.setRowCount(0)  # (rows made anew: of the default height, not a narrow tab's)
        table.setRowCount(len(runs))
        rows = table_rows(runs)
        summaries = [row for _i, row, _e in rows if row is not None]
        found = minimum_levels(summaries)  # (once: each row's rank and its note need them)
        ranks = iter(ranking(summaries, found))
        levels = iter(found)
        zeros = final_loss_zeros(summaries, self.narrow)
        for r, (i, row, error) in enumerate(rows):
            spec = runs[i].spec
            lr_cell, lr_tip = self.lr_text(spec)
            if row is None:
                note = "computing…" if runs[i].pending else "error"
                cells = [(spec.name or spec.optimizer, spec.optimizer), (lr_cell, spec.lr),
                         (note if self.narrow else "—", (1, 0.0)), ("—", (1, 0.0)),
                         ("—", (1, 0.0)),
                         (error if runs[i].pending else f"error: {error}", (3, 0))]
                message = error
            else:
                cells, message = row_cells(row, lr_cell, next(ranks), next(levels),
                                           self.narrow, zeros)
            tips = {1: lr_tip, 5: message, **({2: message} if self.narrow else {})}
            for col, (text, key) in enumerate(cells):
                item = SortItem(text)
                item.setData(SORT_ROLE, key)
                item.setData(RUN_ROLE, i)
                item.setToolTip(tips.get(col, text))
                if col in (1, 2, 3, 4):
                    item.setTextAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
                if col == 0:
                    pm = QtGui.QPixmap(14, 14)
                    pm.fill(QtGui.QColor(spec.color or "#000000"))
                    item.setIcon(QtGui.QIcon(pm))
                if col in (2, 5) and "diverged" in text:  # (lightened on the dark theme:
                    # #b00020 on its ground was 1.7 : 1, as the readouts' is not)
                    base = table.palette().color(QtGui.QPalette.ColorRole.Base).name()
                    item.setForeground(QtGui.QBrush(QtGui.QColor(
                        readable(DIVERGED_COLOR, base))))
                table.setItem(r, col, item)
        table.setSortingEnabled(True)
        table.sortItems(sort_column if sort_column >= 0 else 0, order)
        table.resizeColumnsToContents()
        for col in range(len(COLUMNS)):
            table.setColumnHidden(col, self.narrow and col == len(COLUMNS) - 1)
        if self.narrow:
            fit_columns(self)
            # (the names' two lines; after the columns left out: the η column's "(÷2)" on a
            # line of its own kept Momentum's row a line taller with η out of sight)
            table.resizeRowsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        self._filling = False
        self._highlight_selected()
        c = self.window.controller
        self.chart.set_runs(runs, c.run_tol)
        self.chart.set_iteration(c.iteration)
        fit_chart(self)

    def _highlight_selected(self, *_args) -> None:
        """The selected run's row highlighted (a refresh cleared it; a run chosen in the runs
        list moves it)."""
        table, selected = self.table, self.window.controller.selected
        self._filling = True
        try:
            for r in range(table.rowCount()):
                item = table.item(r, 0)
                if item is not None and item.data(RUN_ROLE) == selected:
                    table.selectRow(r)
                    break
        finally:
            self._filling = False

    def rows(self) -> list[list[str]]:
        """The table's text as shown (sorted), one list per row."""
        return [[self.table.item(r, c).text() for c in range(self.table.columnCount())]
                for r in range(self.table.rowCount())]

    def _on_controller_runs_changed(self) -> None:
        if self.dock.isVisible():
            self.refresh()

    def _on_table_selection_changed(self) -> None:
        if self._filling:
            return
        items = self.table.selectedItems()
        if items:
            self.window.controller.select(int(items[0].data(RUN_ROLE)))
