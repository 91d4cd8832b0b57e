"""The "Chain rule" tab: how ∂f/∂a and ∂f/∂b are built, one rule per step.

The derivation (:func:`gdviz.core.derivation.derivative_steps`, sympy) and its typesetting
(matplotlib mathtext, :mod:`gdviz.ui.derivatives.typeset`) run on a worker thread; only the
newest request's result is shown, and a stale job stops early. The header shows f with the
variable held constant highlighted (:mod:`gdviz.ui.derivatives.derivation_text`), which is the
whole idea of a partial derivative.
"""

from __future__ import annotations

import html
import time

from gdviz.core.derivation import Derivation, Step
from gdviz.ui.binding import QtCore, QtGui, QtWidgets, Signal
from gdviz.ui.colors import text_ink
from gdviz.ui.derivatives.common import FONT_PT, in_sight, keep_variable_in_use
from gdviz.ui.derivatives.derivation_text import (
    HELD_COLOR,
    MAX_HEADER,
    RULE_LABELS,
    held_variable_html,
    latex_to_plain,
    result_latex,
    rule_label,
)
from gdviz.ui.derivatives.step_row import StepRow
from gdviz.ui.derivatives.steps_job import MAX_TYPESET_STEPS, StepsJob
from gdviz.ui.derivatives.typeset import (
    DPI,
    FONT_SIZE,
    MAX_LATEX,
    MIN_SCALE,
    PIXEL_RATIO,
    RENDER_ATTEMPTS,
    ScaledFormula,
)

__all__ = [
    "DPI", "FONT_SIZE", "HELD_COLOR", "MAX_HEADER", "MAX_LATEX", "MAX_SHOWN_STEPS",
    "MAX_TYPESET_STEPS", "MIN_SCALE", "PIXEL_RATIO", "RENDER_ATTEMPTS", "RULE_LABELS",
    "StepsView", "held_variable_html", "latex_to_plain", "result_latex", "rule_label",
]  # fmt: skip

MAX_SHOWN_STEPS = 300
ROWS_BUDGET = 0.012
"""Seconds of row building per turn of the event loop: a row takes 1–40 ms to make (fonts and
layout), and the 75 rows of a 15-factor product took 0.2–0.8 s at once, the window frozen."""

class StepsView(QtWidgets.QWidget):
    """Step-by-step derivation of ∂f/∂a or ∂f/∂b for the controller's loss.

    Parameters
    ----------
    controller : gdviz.ui.controller.Controller
        Source of the loss (``lossChanged``).
    parent : QWidget, optional

    Notes
    -----
    Work starts when the view is visible (or on :meth:`refresh`). The steps appear as plain
    text as soon as they are derived and are typeset one by one; :attr:`derivation` holds the
    derivation shown, :meth:`rules` its rule names, :attr:`busy` is True until typesetting ends
    (then ``stepsShown`` is emitted).
    """

    stepsShown = Signal()

    def __init__(self, controller, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.derivation: Derivation | None = None
        self.busy = False
        self._latest = [0]  # shared with the jobs; set to -1 when the view goes away
        latest = self._latest
        self.destroyed.connect(lambda *_: latest.__setitem__(0, -1))
        app = QtCore.QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(lambda: latest.__setitem__(0, -1))
        self._shown = None  # (loss, variable) last asked for
        self._request_loss, self._request_variable = None, 0  # the newest request's
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._rows: list[tuple[QtWidgets.QTreeWidgetItem, StepRow, int]] = []  # item, row, level
        self._fit_timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self._fit_rows)
        # Rows are built a few at a time (see ROWS_BUDGET), then typeset: the steps still to
        # show and the open parents.
        self._queue: list[Step] = []
        self._building = False  # rows of the derivation shown are still to be built
        self._parents: list[QtWidgets.QTreeWidgetItem] = []
        self._more = 0
        self._rows_timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._rows_timer.timeout.connect(self._add_rows)

        self.combo = QtWidgets.QComboBox(objectName="stepsVariableCombo",
                                         accessibleName="Differentiate with respect to",
                                         toolTip="Which partial derivative to derive")
        self.header = QtWidgets.QLabel(objectName="stepsHeader", wordWrap=True,
                                       textFormat=QtCore.Qt.RichText)
        self.status = QtWidgets.QLabel(objectName="stepsStatus")
        # (its "typesetting…" never widens the tab: shown as the tab first came into view, it
        # widened the dock from 371 to 393 pixels at 1366 × 768, for good)
        self.status.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        self.tree = QtWidgets.QTreeWidget(
            objectName="stepsTree", accessibleName="Derivation steps", headerHidden=True,
            columnCount=1, indentation=18, selectionMode=QtWidgets.QTreeWidget.NoSelection,
            horizontalScrollBarPolicy=QtCore.Qt.ScrollBarAlwaysOff,
            verticalScrollMode=QtWidgets.QTreeWidget.ScrollPerPixel,
            toolTip="Each row applies one rule; click ▸ to fold the inner steps")
        self.tree.viewport().installEventFilter(self)
        # a plain frame, no style sheet: styled widgets stop following app font changes
        self.result = ScaledFormula(None, "", objectName="stepsResult", accessibleName="Result",
                               frameShape=QtWidgets.QFrame.Box, lineWidth=2, margin=4)
        # (scrolled where even as plain text it is taller than its quarter of the tab:
        # Goldstein–Price's ∂f/∂x in presentation mode took a third of it, on eleven lines;
        # sideways only where a piece of it that cannot break is wider than the box)
        self.result_area = QtWidgets.QScrollArea(
            objectName="stepsResultArea", widgetResizable=True, frameShape=QtWidgets.QFrame.NoFrame,
            horizontalScrollBarPolicy=QtCore.Qt.ScrollBarAsNeeded)
        self.result_area.setWidget(self.result)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("Derive"))
        top.addWidget(self.combo)
        top.addStretch(1)
        top.addWidget(self.status)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        for w, stretch in ((self.header, 0), (self.tree, 1), (self.result_area, 0)):
            layout.addWidget(w, stretch)

        self.combo.currentIndexChanged.connect(self._on_combo_changed)
        controller.lossChanged.connect(self._on_controller_loss_changed)
        self._set_variables(controller.loss)
        # The lecture tabs' type, as the other tabs take it (this one's was the app's: 11
        # pixels beside their 17)
        font = self.font()
        font.setPointSize(FONT_PT)
        self.setFont(font)

    # -- public ---------------------------------------------------------------------------
    @property
    def _request(self) -> int:  # id of the newest request
        return self._latest[0]

    @property
    def variable(self) -> int:
        """Index (0 or 1) of the variable differentiated by."""
        return max(self.combo.currentIndex(), 0)

    def set_variable(self, index: int) -> None:
        """Derive ∂f/∂(variable ``index``)."""
        self.combo.setCurrentIndex(index)

    def rules(self) -> list[str]:
        """Rule names of the steps shown, top-down."""
        return [row.step.rule for _, row, _ in self._rows]

    def refresh(self) -> None:
        """Derive again now (normally this happens when the loss changes and on show)."""
        loss = self.controller.loss
        self._shown = (loss, self.variable)
        # (kept when _shown is forgotten: what the rows being built are typeset for)
        self._request_loss, self._request_variable = loss, self.variable
        self._latest[0] += 1
        self.derivation = None
        if loss is None:
            self.busy = False
            self.status.setText("")
            self._clear("No loss yet.")
            return
        self.busy = True
        # (the old steps' rows that were still to come are of no use now)
        self._queue, self._building = [], False
        self.status.setText("working…")
        # printing f is cheap; the derivation and its typesetting are not
        self._show_header(loss)
        self.tree.setEnabled(False)  # the old steps stay, greyed, until the new ones arrive
        self.result.setEnabled(False)
        self._start_job(loss, None)

    def _start_job(self, loss, derivation: Derivation | None) -> None:
        """Derive (``derivation`` None) or typeset ``derivation``, for the newest request."""
        px = QtGui.QFontInfo(self.font()).pixelSize()
        # (a formula wider than the steps' column, less a nested row's indent, is broken)
        room = max(0.0, self.tree.viewport().width() - 90.0)
        job = StepsJob(self._request, loss, self._request_variable, self._latest,
                       round(DPI * max(1.0, px / 12)), derivation, room,
                       max(0.0, self._result_width() - 8.0))
        for signal, slot in ((job.signals.derived, self._on_job_derived),
                             (job.signals.rendered, self._on_job_rendered),
                             (job.signals.finished, self._on_job_finished)):
            signal.connect(slot, QtCore.Qt.QueuedConnection)
        self._pool.start(job)

    # -- handlers -------------------------------------------------------------------------
    def _set_variables(self, loss) -> None:
        names = loss.variables if loss is not None else ("a", "b")
        # (short: "∂f/∂w1 (hold w2 constant)" was cut to "…(hold w2 consta" in a narrow dock)
        labels = [f"∂f/∂{n}  ({names[1 - i]} held)" for i, n in enumerate(names)]
        if [self.combo.itemText(i) for i in range(self.combo.count())] != labels:
            index = self.variable
            blocked = self.combo.blockSignals(True)
            self.combo.clear()
            self.combo.addItems(labels)
            self.combo.setCurrentIndex(index)
            self.combo.blockSignals(blocked)

    def _on_controller_loss_changed(self, loss) -> None:
        self._set_variables(loss)
        blocked = self.combo.blockSignals(True)  # (derived once, below)
        keep_variable_in_use(self.combo, loss)
        self.combo.blockSignals(blocked)
        self._refresh_if_visible()

    def _on_combo_changed(self, _index: int) -> None:
        self._refresh_if_visible()

    def _refresh_if_visible(self) -> None:
        if in_sight(self):  # (not behind Compare's tab either)
            self.refresh()
        else:
            self._forget()

    def _forget(self) -> None:
        """Hidden, and what it shows is out of date: stop the work under way (derive, build
        rows, typeset); the tab derives again when shown."""
        self._shown = None
        if self.busy or self._building:
            self._latest[0] += 1  # (the jobs under way stop at their next check)
        self._queue, self._building = [], False
        self._rows_timer.stop()
        self.busy = False

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.came_in_sight(shown=True)

    def came_in_sight(self, shown: bool = False) -> None:
        """Shown (``shown``), or its dock's tab brought to the front: derive again if out
        of date."""
        if (shown or in_sight(self)) and self._shown != (self.controller.loss, self.variable):
            self.refresh()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.FontChange:  # typeset again at the new size
            self._refresh_if_visible()
        elif event.type() == QtCore.QEvent.PaletteChange:  # dark/light theme: recolour the ink
            QtCore.QTimer.singleShot(0, self._recolour)  # once the children have the palette

    def _show_header(self, loss) -> None:
        """f with the held variable in its purple, readable on the theme's ground."""
        self._header_html = held_variable_html(loss.expr, loss.variables, loss.symbols,
                                               self.variable, text_ink(self, HELD_COLOR),
                                               loss.text)
        self.header.setText(self._header_html)
        self._fit_header()

    def _fit_header(self) -> None:
        """f in large type, or smaller where that would take more than a quarter of the tab
        (Goldstein–Price in presentation mode: eight lines, the steps left 150 pixels)."""
        html = getattr(self, "_header_html", "")
        sizes = [html.replace("font-size:x-large", f"font-size:{size}")
                 for size in ("x-large", "large", "medium")]
        for text in sizes if html and self.header.text() in sizes else ():  # (not a message)
            self.header.setText(text)
            if self.header.heightForWidth(self.header.width()) <= 0.25 * self.height():
                break

    def _recolour(self) -> None:
        loss = self.controller.loss
        if loss is not None and self.header.text():  # the held variable's colour, readable
            self._show_header(loss)
        formulas = [self.result]
        for _, row, _ in self._rows:
            formulas += [row.before, row.after]
            row.fitted = None  # (its formulas are shown unscaled again until fitted)
        for formula in formulas:
            formula.recolour()
        self._fit_rows()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if obj is self.tree.viewport() and event.type() == QtCore.QEvent.Resize:
            self._fit_timer.start(0)
        return super().eventFilter(obj, event)

    def _on_job_derived(self, request: int, derived: tuple[Derivation, str] | None,
                        error: str) -> None:
        if request != self._request:
            return  # a newer request is under way
        self.tree.setEnabled(True)
        self.result.setEnabled(True)
        d, plain = derived if derived is not None else (None, "")
        self.derivation = d
        if d is None:
            self._clear(error)
            return
        self.status.setText("typesetting…")
        self._populate(d)
        self.result.set_formula(None, plain)
        self.result.setAccessibleName(plain)
        self._fit_timer.start(0)

    def _on_job_rendered(self, request: int, index: int, before, after) -> None:
        if request != self._request:
            return
        if index < 0:
            if before is not None:
                self.result.set_formula(before, self.result.toolTip())
        elif index < len(self._rows):
            self._rows[index][1].set_images(before, after)
        if not self._fit_timer.isActive():  # lay out at most ~10 times a second meanwhile
            self._fit_timer.start(100)

    def _on_job_finished(self, request: int) -> None:
        if request != self._request or not self.busy:
            return
        self.busy = False
        self.status.setText("")
        self._fit_rows()
        self.stepsShown.emit()

    # -- drawing --------------------------------------------------------------------------
    def _clear(self, message: str) -> None:
        self.tree.clear()
        self._rows = []
        self._queue, self._building = [], False
        self.header.setText(html.escape(message))
        self.result.set_formula(None, "")

    def _populate(self, d: Derivation) -> None:
        """Show the steps of ``d``: the rows are built over the next turns of the event loop
        (:meth:`_add_rows`), so a long derivation never freezes the window."""
        self.tree.clear()
        self._rows = []
        self._parents = []
        steps = d.board_steps  # (with the line that puts the parts together)
        self._queue = list(steps[:MAX_SHOWN_STEPS])
        self._more = max(0, len(steps) - MAX_SHOWN_STEPS)
        self._building = True
        self._add_rows()

    def _add_rows(self) -> None:
        """Build rows for up to :data:`ROWS_BUDGET` seconds; come back for the rest."""
        d = self.derivation
        if d is None or not self._building:
            return  # (a timer left from rows that are no longer wanted)
        deadline = time.perf_counter() + ROWS_BUDGET
        width = self.tree.viewport().width()
        parents = self._parents
        while self._queue and time.perf_counter() < deadline:
            step = self._queue.pop(0)
            depth = min(step.depth, len(parents))
            del parents[depth:]
            item = QtWidgets.QTreeWidgetItem()
            item.setData(0, QtCore.Qt.UserRole, step.rule)
            item.setData(0, QtCore.Qt.AccessibleTextRole, step.explanation)
            if parents:
                parents[-1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            row = StepRow(step, d.variable)
            self.tree.setItemWidget(item, 0, row)
            row.ensurePolished()  # (its style sheet's padding and the font, before it is fitted)
            item.setExpanded(True)  # (children added later show under it)
            parents.append(item)
            self._rows.append((item, row, len(parents)))
            self._fit_row(item, row, len(parents), width)
        if self._queue:
            self._rows_timer.start()
            return
        self._building = False
        if self._more:
            self.tree.addTopLevelItem(QtWidgets.QTreeWidgetItem([f"… {self._more} more steps"]))
        self._start_job(self._request_loss, d)  # typeset, now that the rows are built

    def _fit_row(self, item: QtWidgets.QTreeWidgetItem, row: StepRow, level: int,
                 width: int) -> None:
        w = width - level * self.tree.indentation()
        if row.fitted == w:
            return  # (laid out for this width already, and unchanged since)
        h = row.fit(w)
        if item.sizeHint(0).height() != h or item.sizeHint(0).width() != w:
            item.setSizeHint(0, QtCore.QSize(w, h))

    def _shown_height(self) -> int:
        """The height the tab is shown in (its page scrolls: its own grows with the result)."""
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, QtWidgets.QAbstractScrollArea):
            widget = widget.parentWidget()
        return widget.viewport().height() if widget is not None else self.height()

    def _result_width(self) -> int:
        """The width the result under the steps has, in logical pixels."""
        return max(self.width() - 30, 60)

    def _fit_rows(self) -> None:
        self._fit_header()  # (the tab's size changed, or its type)
        width = self.tree.viewport().width()
        for item, row, level in self._rows:
            self._fit_row(item, row, level, width)
        # (a quarter of the tab: the regression's ∂f/∂w1 left the steps a 150-pixel strip)
        most = max(60, self._shown_height() // 4)
        self.result.fit(self._result_width(), False, most)
        frame = 2 * (self.result.margin() + self.result.frameWidth())  # (around the formula)
        # (plain text breaks where a run wider than the box is; a piece that cannot break at
        # all, wider than the box, scrolls sideways rather than being cut off at its edge)
        shown = self.result_area.viewport().width()
        widest = self.result.widest_word() + frame + 4
        self.result.setMinimumWidth(widest if widest > shown else 0)
        need = self.result.heightForWidth(max(shown, self.result.minimumWidth())) \
            if self.result.wordWrap() else -1
        need = need if need > 0 else self.result.sizeHint().height()
        bar = self.result_area.horizontalScrollBar().sizeHint().height() \
            if self.result.minimumWidth() else 0
        self.result_area.setFixedHeight(min(need, most + frame) + bar)
        self.tree.doItemsLayout()
