"""The runs list and the editor for the selected run (optimizer, learning rate, …)."""

from __future__ import annotations

import math

from gdviz.core.optimizers import OPTIMIZERS
from gdviz.core.schedules import DEFAULT_DECAY, DEFAULT_DECAY_STEPS, SCHEDULES
from gdviz.core.session_checks import MAX_STEPS
from gdviz.ui.list_fit import RowsFit
from gdviz.ui.numbers import typed_number
from gdviz.ui.qt import QtCore, QtGui, QtWidgets, Signal
from gdviz.ui.run import MAX_RUNS
from gdviz.ui.run_menu import install_run_menu
from gdviz.ui.run_titles import run_title, run_title_parts
from gdviz.ui.update_rule import UpdateRuleLabel
from gdviz.ui.widgets import LogSpinBox, NumberSpinBox, WholeSpinBox, set_value, status_note

HYPER_LABELS = {"momentum": "momentum μ", "rho": "decay ρ", "beta1": "β₁", "beta2": "β₂"}
GRADIENT_LABELS = {"symbolic": "exact (symbolic)", "forward": "forward difference",
                   "central": "central difference"}

LR_LEAST, LR_MOST = 1e-6, 100.0
"""The learning rate box's range."""


NAME_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1  # a list item's run name ("" for "Run k")


class RunsPanel(QtWidgets.QWidget):
    """Lists the runs (colour, visibility) and edits the selected one.

    Signals
    -------
    selected(int), addRequested(), removeRequested(int), edited(int, dict)
    """

    selected = Signal(int)
    addRequested = Signal()
    removeRequested = Signal(int)
    edited = Signal(int, dict)

    def __init__(self, parent=None, default_lr=None) -> None:
        super().__init__(parent)
        # An optimizer's η when chosen for a run: the window's preset's own, else its default
        self.default_lr = default_lr or (lambda name: OPTIMIZERS[name].lr)
        self._index = 0
        self._region = None  # what the map shows (set_region)
        self._start_value = (0.0, 0.0)  # the selected run's start, in full
        self._updating = False
        self._spec = None  # the selected run's, as shown
        self._eta_note = ""  # the status bar's "η set to …" note, taken back once η is typed
        self._refusal = ""  # the status bar's "… was not taken" note (see status_note)
        self.compact = False  # presentation mode: the schedule's numbers tucked away too
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QtWidgets.QListWidget()
        self.list.setObjectName("runList")
        self.list.setAccessibleName("runs")
        self.list.setToolTip("The runs (legend). Tick to show or hide; select to edit; "
                             "right-click (Shift+F10) to rename, recolour or remove; F2 renames.")
        self.list.setMaximumHeight(120)
        self._list_least = self.list.minimumSizeHint().height()
        self.list.setTextElideMode(QtCore.Qt.ElideRight)
        self._rows_fit = RowsFit(self.list, self._list_least)  # (its height; titles wrap)
        self.list.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarAlwaysOff)
        layout.addWidget(self.list)
        install_run_menu(self)  # right-click: rename, colour, remove
        buttons = QtWidgets.QHBoxLayout()
        self.add_button = QtWidgets.QPushButton("Add run")
        self.add_button.setObjectName("addRunButton")
        self.remove_button = QtWidgets.QPushButton("Remove")
        self.remove_button.setObjectName("removeRunButton")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)

        form = QtWidgets.QFormLayout()
        self.optimizer = QtWidgets.QComboBox()
        self.optimizer.setObjectName("optimizerCombo")
        self.optimizer.setAccessibleName("optimizer")
        for name, opt in OPTIMIZERS.items():
            self.optimizer.addItem(opt.label, name)
            self.optimizer.setItemData(self.optimizer.count() - 1, opt.description,
                                       QtCore.Qt.ToolTipRole)
        self.optimizer.setToolTip("How the selected run steps downhill (another optimizer "
                                  "starts from its own default η)")
        form.addRow("Optimizer", self.optimizer)
        self.update_rule = UpdateRuleLabel()  # (lecture point 7: the step, as a formula)
        form.addRow(self.update_rule)
        self.lr = LogSpinBox(LR_LEAST, LR_MOST)
        self.lr.setObjectName("learningRateSpin")
        self.lr.setAccessibleName("learning rate")
        self.lr.setToolTip("Learning rate η: the size of each step. Arrows move 1, 2, 5, 10…")
        form.addRow("Learning rate η", self.lr)
        self.hyper: dict[str, NumberSpinBox] = {}
        for name, label in HYPER_LABELS.items():
            # (read as η is: "0,95" and 0.95 alike whatever the locale; Qt's own box read
            # "0,95" as 0 in an English locale, "0.95" as 0 in a German one)
            spin = NumberSpinBox(decimals=4, minimum=0.0, maximum=0.9999, singleStep=0.01)
            spin.setObjectName(f"{name}Spin")
            spin.setKeyboardTracking(False)
            spin.setToolTip(f"{label}: hyperparameter of the selected optimizer")
            self.hyper[name] = spin
            form.addRow(label, spin)
        # (the sessions' and the command line's limit: 20,000 here refused a 100,000-step
        # run that --steps 100000 had made)
        self.steps = WholeSpinBox(minimum=1, maximum=MAX_STEPS, singleStep=50)
        self.steps.setObjectName("stepsSpin")
        self.steps.setKeyboardTracking(False)
        self.steps.setToolTip("Most steps to compute")
        form.addRow("Steps", self.steps)
        self.start = [NumberSpinBox(decimals=3, minimum=-1e6, maximum=1e6, singleStep=0.1)
                      for _ in range(2)]
        start_row = QtWidgets.QHBoxLayout()
        for i, spin in enumerate(self.start):
            spin.setObjectName(f"start{'AB'[i]}Spin")
            spin.setKeyboardTracking(False)
            spin.setToolTip(f"Start point, {('first', 'second')[i]} variable (or click on the map)")
            spin.setAccessibleName(f"start, {'first' if i == 0 else 'second'} variable")
            spin.fit_width(80)  # (not as wide as ±1e6 with 3 decimals needs)
            start_row.addWidget(spin)
        form.addRow("Start", start_row)
        self.gradient = QtWidgets.QComboBox()
        self.gradient.setObjectName("gradientCombo")
        self.gradient.setAccessibleName("gradient")  # (a reader said its value alone)
        for key, label in GRADIENT_LABELS.items():
            self.gradient.addItem(label, key)
        self.gradient.setToolTip("Exact symbolic gradient, or a finite-difference "
                                 "approximation with step h")
        self.fd_h = LogSpinBox(1e-12, 1.0, decimals=12)
        self.fd_h.setObjectName("fdStepSpin")
        self.fd_h.setToolTip("Finite-difference step h")
        # Twelve decimals would make the spin box (and so the sidebar) ~130 px wide.
        self.fd_h.setMinimumWidth(72)
        form.addRow("Gradient", self.gradient)
        form.addRow("Step h", self.fd_h)
        self.fd_h_label = form.labelForField(self.fd_h)
        self.schedule = QtWidgets.QComboBox()
        self.schedule.setObjectName("scheduleCombo")
        self.schedule.setAccessibleName("learning-rate schedule")
        for key, formula in SCHEDULES.items():
            self.schedule.addItem(key.replace("_", " "), key)
            self.schedule.setItemData(self.schedule.count() - 1, formula, QtCore.Qt.ToolTipRole)
        self.schedule.setToolTip("Learning-rate schedule")
        form.addRow("Schedule", self.schedule)
        # The step and exponential schedules' own numbers (fixed at ×0.5 every 25 steps and
        # 0.97 a step but in a session file): shown with the schedules that use them.
        self.decay = NumberSpinBox(decimals=3, minimum=0.001, maximum=1.0, singleStep=0.05)
        self.decay.setObjectName("decaySpin")
        self.decay.setKeyboardTracking(False)
        self.decay.setToolTip("The factor η is multiplied by (each step, or every N steps)")
        form.addRow("Decay", self.decay)
        self.decay_steps = WholeSpinBox(minimum=1, maximum=MAX_STEPS, singleStep=5)
        self.decay_steps.setObjectName("decayStepsSpin")
        self.decay_steps.setKeyboardTracking(False)
        self.decay_steps.setToolTip("Multiply η by the decay every this many steps")
        form.addRow("Every N steps", self.decay_steps)
        self.noise = NumberSpinBox(decimals=3, minimum=0.0, maximum=100.0, singleStep=0.05)
        self.noise.setObjectName("noiseSpin")
        self.noise.setKeyboardTracking(False)
        self.noise.setToolTip("Gradient noise σ (stochastic gradient descent; seeded)")
        form.addRow("Noise σ", self.noise)
        self.form = form
        layout.addLayout(form)
        # Each number box names its range; a number it refuses is said (η = 1000: silent)
        names = {self.steps: "steps", self.fd_h: "step h", self.decay: "decay",
                 self.decay_steps: "steps between decays", self.noise: "noise σ",
                 **{spin: HYPER_LABELS[key] for key, spin in self.hyper.items()}}
        for box in (self.lr, *self.hyper.values(), self.steps, *self.start, self.fd_h,
                    self.decay, self.decay_steps, self.noise):
            box.setAccessibleName(box.accessibleName() or names[box])
            show = typed_number if isinstance(box, NumberSpinBox) else (lambda v: f"{v:,}")
            box.setToolTip(f"{box.toolTip()} ({show(box.minimum())} to {show(box.maximum())})")
            box.refused.connect(self._say_refused)
            box.valueChanged.connect(lambda _v: self._say_refused(""))  # (taken back)
        layout.addStretch(1)

        self.list.currentRowChanged.connect(self._on_list_row_changed)
        self.list.itemChanged.connect(self._on_list_item_changed)
        self.add_button.clicked.connect(self.addRequested)
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self._index))
        self.optimizer.activated.connect(self._on_optimizer_activated)
        self.lr.valueChanged.connect(lambda v: (self._emit(lr=float(v)), self._eta_typed()))
        for name, spin in self.hyper.items():
            spin.valueChanged.connect(lambda v, n=name: self._emit(hyper={n: float(v)}))
        self.steps.valueChanged.connect(lambda v: self._emit(steps=int(v)))
        for i, spin in enumerate(self.start):
            spin.valueChanged.connect(lambda v, i=i: self._on_start_spin_changed(i, v))
        self.gradient.activated.connect(
            lambda i: self._emit(gradient=self.gradient.itemData(i)))
        self.fd_h.valueChanged.connect(lambda v: self._emit(fd_h=float(v)))
        self.schedule.activated.connect(self._on_schedule_activated)
        self.decay.valueChanged.connect(lambda v: self._emit(decay=float(v)))
        self.decay_steps.valueChanged.connect(lambda v: self._emit(decay_steps=int(v)))
        self.noise.valueChanged.connect(lambda v: self._emit(noise=float(v)))

    def _on_optimizer_activated(self, i: int) -> None:
        """Another optimizer, with its own η (as Compare runs it: its default, or the preset's
        for the preset's own optimizer): Newton kept GD's 0.3 and took 35 steps where
        Compare's Newton took 4, and Adam took 0.3 for its 0.1."""
        name = self.optimizer.itemData(i)
        if self._spec is not None and name == self._spec.optimizer:
            return
        opt, lr = OPTIMIZERS[name], self.default_lr(name)
        self._emit(optimizer=name, lr=lr)
        bar = getattr(self.window(), "statusBar", None)
        if bar is not None and not self._updating:
            whose = "default" if lr == opt.lr else "η in this preset"
            self._eta_note = f"η set to {opt.label}'s {whose}, {lr:g}."
            bar().showMessage(self._eta_note, 6000)

    def _eta_typed(self) -> None:
        """Take back "η set to …'s default, 0.1" once η is typed (it stayed 6 s, beside the
        0.01 typed)."""
        bar = getattr(self.window(), "statusBar", None)
        if not self._updating and bar is not None and self._eta_note \
                and bar().currentMessage() == self._eta_note:
            bar().clearMessage()

    def set_compact(self, on: bool) -> None:
        """Tuck the schedule's numbers away with its row (presentation mode), or show them."""
        self.compact = bool(on)
        if self._spec is not None:
            self._updating = True
            try:
                self._show_spec(self._spec)
            finally:
                self._updating = False

    def _on_schedule_activated(self, i: int) -> None:
        # (another schedule starts from its own numbers: step's 0.5 is no exponential decay)
        name = self.schedule.itemData(i)
        if self._spec is None or name != self._spec.schedule:
            self._emit(schedule=name, decay=None, decay_steps=None)

    def _emit(self, **changes) -> None:
        if not self._updating:
            self.edited.emit(self._index, changes)

    def _on_start_spin_changed(self, index: int, value: float) -> None:
        # Only the coordinate typed changes: the other keeps its full value (a start set by a
        # click on the map has more digits than the box shows).
        if self._updating:
            return  # (the box shows the run's start, rounded: not an edit)
        start = list(self._start_value)
        start[index] = float(value)
        self._start_value = (start[0], start[1])
        self._emit(start=self._start_value)

    def set_start_precision(self, domain, variables: tuple[str, str] | None = None) -> None:
        """Digits and arrow step of the Start boxes for a domain's scale: three decimals for
        the lecture's 8 × 4, nine for a domain a millionth wide (whose starts showed as
        0.000), none for one a million wide; with ``variables``, the boxes' tooltips name
        them (w1, not only "first variable", as the map's axes do)."""
        for i, (spin, name) in enumerate(zip(self.start, variables or (), strict=False)):
            spin.setToolTip(f"Start point, {('first', 'second')[i]} variable, {name} (or "
                            f"click on the map) ({typed_number(spin.minimum())} to "
                            f"{typed_number(spin.maximum())})")
        (a0, a1), (b0, b1) = domain
        span = min(a1 - a0, b1 - b0)
        if not span > 0 or not math.isfinite(span):
            return
        e = math.floor(math.log10(span))
        decimals = min(10, max(0, 3 - e if e <= 0 else (3 if e <= 3 else 6 - e)))
        step = 10.0 ** (e - 1)  # (a tenth of the domain's order: 0.1 on the lecture's)
        spin = self.start[0]
        if decimals == spin.decimals() and step == spin.singleStep():
            return
        updating, self._updating = self._updating, True
        try:
            for spin, v in zip(self.start, self._start_value, strict=True):
                spin.setDecimals(decimals)
                spin.setSingleStep(step)
                spin.setValue(v)
        finally:
            self._updating = updating

    def _on_list_row_changed(self, row: int) -> None:
        if not self._updating and row >= 0:
            self.selected.emit(row)

    def _on_list_item_changed(self, item: QtWidgets.QListWidgetItem) -> None:
        if not self._updating:
            row = self.list.row(item)
            self.edited.emit(row, {"visible": item.checkState() == QtCore.Qt.Checked})

    def _say_refused(self, note: str) -> None:
        """Say why a typed number was refused ("": take back what was said)."""
        self._refusal = status_note(self, note, self._refusal)

    def set_region(self, runs, region) -> None:
        """The part of the plane the map shows: a run that used its steps and ended past it
        says where (as the readouts' "off the map", measured against the same region)."""
        self._region = region
        for i, run in enumerate(runs[:self.list.count()]):
            self._show_title(self.list.item(i), i, run)

    def _show_title(self, item: QtWidgets.QListWidgetItem, i: int, run) -> None:
        # (its status on a line of its own: on one line, cut at the sidebar's edge,
        # "— converged at step 163" read "— c…"; and how it differs on another:
        # "Run 2 · Gradient descent η=0.3, for…" hid its difference quotient)
        shown = "\n".join(part for part in run_title_parts(i, run, self._region) if part)
        if item.text() != shown:  # (only what changed: any change lays the list out again)
            item.setText(shown)
            item.setToolTip(run_title(i, run, self._region))

    def set_runs(self, runs, selected: int) -> None:
        """Refresh the list and the editor from the controller's runs (no signals emitted)."""
        self._updating = True
        try:
            self._index = selected
            while self.list.count() > len(runs):
                self.list.takeItem(self.list.count() - 1)
            for i, run in enumerate(runs):
                if i >= self.list.count():
                    item = QtWidgets.QListWidgetItem()
                    item.setFlags(item.flags() | QtCore.Qt.ItemIsUserCheckable)
                    # A check state stored from the start (a new item reports Unchecked
                    # without one, and would draw no box for a hidden run)
                    item.setCheckState(QtCore.Qt.Checked)
                    self.list.addItem(item)
                # Only what changed: any change makes the list lay out and repaint its items
                # (after the window's repaint, so a second one), even for an equal value.
                item = self.list.item(i)
                self._show_title(item, i, run)
                color = run.spec.color or "#000000"
                if item.data(QtCore.Qt.ItemDataRole.UserRole) != color:
                    pm = QtGui.QPixmap(14, 14)
                    pm.fill(QtGui.QColor(color))
                    item.setIcon(QtGui.QIcon(pm))
                    item.setData(QtCore.Qt.ItemDataRole.UserRole, color)
                if item.data(NAME_ROLE) != (run.spec.name or ""):  # (for Rename…)
                    item.setData(NAME_ROLE, run.spec.name or "")
                state = QtCore.Qt.Checked if run.spec.visible else QtCore.Qt.Unchecked
                if item.checkState() != state:
                    item.setCheckState(state)
            self.list.setCurrentRow(selected)
            self._rows_fit.fit()
            # Lay the items out now, not from the list's timer after the window has painted
            # (that repainted the whole list a second time).
            self.list.executeDelayedItemsLayout()
            if 0 <= selected < self.list.count():  # (Compare's best, the last, was cut; once
                # the list has its size)
                QtCore.QTimer.singleShot(0, self.list, lambda i=selected: self.list.scrollToItem(
                    self.list.item(i)) if i < self.list.count() else None)
            self.remove_button.setEnabled(len(runs) > 1)  # (one run always stays: its tip says so)
            self.remove_button.setToolTip("Remove the selected run (Ctrl+Delete)" if len(runs) > 1
                                          else "The last run stays: add another to remove this")
            full = len(runs) >= MAX_RUNS  # (it did nothing and said nothing at 8)
            self.add_button.setEnabled(not full)
            self.add_button.setToolTip(f"At most {MAX_RUNS} runs: remove one to add another"
                                       if full else "Add another run to compare (Ctrl+N)")
            if 0 <= selected < len(runs):
                self._show_spec(runs[selected].spec)
        finally:
            self._updating = False

    def _show_spec(self, spec) -> None:
        opt = OPTIMIZERS[spec.optimizer]
        self.update_rule.show_run(spec)
        self.optimizer.setCurrentIndex(self.optimizer.findData(spec.optimizer))
        set_value(self.lr, spec.lr, exact=True)
        for name, spin in self.hyper.items():
            used = name in opt.hyper
            spin.setVisible(used)
            self.form.labelForField(spin).setVisible(used)
            if used:
                set_value(spin, spec.hyper.get(name, opt.hyper[name]), exact=True)
        set_value(self.steps, spec.steps)
        self._start_value = (float(spec.start[0]), float(spec.start[1]))
        for spin, v in zip(self.start, spec.start, strict=True):
            set_value(spin, v)
        self.gradient.setCurrentIndex(self.gradient.findData(spec.gradient))
        set_value(self.fd_h, spec.fd_h, exact=True)
        # h means nothing for the exact gradient: its row shows only for a difference.
        numeric = spec.gradient != "symbolic"
        self.fd_h.setEnabled(numeric)
        self.fd_h.setVisible(numeric)
        self.fd_h_label.setVisible(numeric)
        self.schedule.setCurrentIndex(self.schedule.findData(spec.schedule))
        self._spec = spec
        # (in presentation mode the schedule's row is tucked away: its numbers with it)
        decays = spec.schedule in DEFAULT_DECAY and not self.compact
        for spin, shown, value in ((self.decay, decays,
                                    DEFAULT_DECAY.get(spec.schedule, 1.0)
                                    if spec.decay is None else spec.decay),
                                   (self.decay_steps, spec.schedule == "step" and decays,
                                    spec.decay_steps or DEFAULT_DECAY_STEPS)):
            spin.setVisible(shown)
            self.form.labelForField(spin).setVisible(shown)
            set_value(spin, value, exact=True)
        set_value(self.noise, spec.noise)
