"""The loss editor: the text box, presets, the error line and the typeset formulas."""

from __future__ import annotations

import time

from gdviz.core.presets import Preset
from gdviz.ui.colors import text_ink
from gdviz.ui.formula_label import FormulaLabel
from gdviz.ui.qt import QtCore, QtGui, QtWidgets, Signal

CANCELLED_NOTE = "Loss edit cancelled (Ctrl+Z in the box brings your text back)."
"""The status bar's note when Esc cancels an edit of the loss (taken back by the next loss)."""

ERROR_COLOR = "#b00020"  # a parse error's text and the text box's border
PLAIN_AFTER_MS = 400
"""How long a new loss's typeset formulas may take before its plain-text forms are shown."""
class LossPanel(QtWidgets.QWidget):
    """Loss text box with validation as you type, preset menu and typeset f, ∂f/∂a, ∂f/∂b.

    Signals
    -------
    textEdited(str)
        The text changed (debounced ~250 ms): validate it.
    applyRequested(str)
        Enter pressed: apply it.
    presetChosen(str)
        A preset was picked (its name).
    undoRequested, redoRequested
        Ctrl+Z (or a redo key) in the box with no typing of its own to take back: the
        window's Undo (Redo) is meant (see :meth:`eventFilter`).
    """

    textEdited = Signal(str)
    applyRequested = Signal(str)
    presetChosen = Signal(str)
    undoRequested = Signal()
    redoRequested = Signal()

    def __init__(self, presets: tuple[Preset, ...], parent=None) -> None:
        super().__init__(parent)
        self.presets = presets
        self._note = ""  # the status bar's note on the loss (see show_note)
        self._note_until_applied = False
        self._sent: str | None = None  # the text Enter sent, while nothing is typed after it
        # Esc pressed while the text Enter sent was being checked: put the loss shown back if
        # it is refused (Esc otherwise did nothing then: only the focus left the box)
        self.cancel_when_refused = False
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QtWidgets.QHBoxLayout()
        self.edit = QtWidgets.QLineEdit()
        self.edit.setObjectName("lossEdit")
        self.edit.setAccessibleName("loss formula")
        self.edit.setPlaceholderText("type a loss, e.g. sin(w1)*w2*(1-w2)")
        # (Qt's 32,767 cut a long paste without a word, and "too long" named 32767
        # characters; far more than the 2,000 a loss may have, far less than the megabytes
        # that froze the box for a second at each keystroke)
        self.edit.setMaxLength(100_000)
        # (every function a loss may use: it named 8 of 17; as gdviz.core.parse_hints does)
        self.edit.setToolTip("The loss in two variables. Use + - * / ^ (or **), sin, cos, tan, "
                             "asin, acos, atan, sinh, cosh, tanh, exp, log (ln), sqrt, abs, "
                             "max, min, pi, e. Press Enter to apply (Ctrl+L).")
        # The clear button's icon takes a few milliseconds to load: not before the first frame.
        QtCore.QTimer.singleShot(0, self._add_clear_button)
        font = self.edit.font()
        font.setFamily("DejaVu Sans Mono")
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.edit.setFont(font)
        self.combo = QtWidgets.QComboBox()
        self.combo.setObjectName("presetCombo")
        self.combo.setAccessibleName("preset losses")
        self.combo.setToolTip("Classic losses with a suggested start and optimizer (Ctrl+P)")
        self.combo.setSizeAdjustPolicy(QtWidgets.QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(9)
        self.combo.addItem("Custom", "")
        for p in presets:
            self.combo.addItem(p.title, p.name)
            self.combo.setItemData(self.combo.count() - 1, p.description, QtCore.Qt.ToolTipRole)
        # The box on a row of its own, the sidebar's width: beside the presets it was 154
        # pixels at any window width, "sin(w1)*w2*(1" of the lecture's own loss.
        row.addWidget(self.combo, 1)
        layout.addLayout(row)
        layout.addWidget(self.edit)
        self.error = QtWidgets.QLabel()
        self.error.setObjectName("lossError")
        self.error.setAccessibleName("loss error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(QtCore.Qt.RichText)
        self.error.hide()
        layout.addWidget(self.error)
        self.formulas = {key: FormulaLabel(f"formula_{key}", grow=True)
                         for key in ("f", "da", "db")}
        self.formulas_shown_at: float | None = None  # perf_counter when typeset images came
        for label in self.formulas.values():
            label.peers = list(self.formulas.values())
            layout.addWidget(label)
        self._pending = None  # a loss whose formulas are on their way (formulas_pending)
        self._shown = None  # the loss whose formulas are shown, and whether typeset
        self._typeset_shown = False
        self._plain_timer = QtCore.QTimer(self, singleShot=True, interval=PLAIN_AFTER_MS)
        self._plain_timer.timeout.connect(self._on_plain_timer)
        self._timer = QtCore.QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(lambda: self.textEdited.emit(self.edit.text()))
        self.edit.textEdited.connect(self._on_edit_text_edited)
        self.edit.returnPressed.connect(self._on_edit_return)
        self.edit.installEventFilter(self)
        self.combo.activated.connect(self._on_combo_activated)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802
        """Ctrl+Z in the box once its text is the loss shown (the box's own history is then
        empty, see :meth:`set_text`) is the window's Undo: it took back the typing before
        Enter, the box then showing the old loss's text beside the new loss's map. Typing
        since, or an Esc that put the loss back, is the box's own to undo first."""
        if watched is self.edit and event.type() == QtCore.QEvent.Type.KeyPress:
            keys = QtGui.QKeySequence.StandardKey
            # (sent with Enter and unchanged, though still compiling: the box's own undo
            # put the old text back beside the new loss's map once it came)
            sent = self._sent is not None and self.edit.text() == self._sent
            if event.matches(keys.Undo) and (sent or not self.edit.isUndoAvailable()):
                self.undoRequested.emit()
                return True
            if event.matches(keys.Redo) and not self.edit.isRedoAvailable():
                self.redoRequested.emit()
                return True
        if watched is self.edit and event.type() == QtCore.QEvent.Type.FocusOut \
                and event.reason() not in (QtCore.Qt.FocusReason.PopupFocusReason,
                                           QtCore.Qt.FocusReason.ActiveWindowFocusReason):
            # Left for another widget, the box shows its text from the start: typed, its end
            # kept in sight, and presentation mode's type cut the loss's opening "(" ("w1-1)
            # **2 + …"). (Not as the window loses the focus: typing on after switching back
            # went in front of the text.)
            self.edit.setCursorPosition(0)
        return super().eventFilter(watched, event)

    def _on_edit_text_edited(self, _text: str) -> None:
        self._sent = None
        self.cancel_when_refused = False
        self._timer.start()
        self.set_preset_name("")

    def _on_edit_return(self) -> None:
        self._timer.stop()
        self.cancel_when_refused = False
        self._sent = self.edit.text()  # (see eventFilter; a refusal takes it back)
        self.applyRequested.emit(self.edit.text())

    def _on_combo_activated(self, index: int) -> None:
        name = self.combo.itemData(index)
        if name:
            self.presetChosen.emit(name)

    def set_text(self, text: str) -> None:
        """Show ``text`` (a loss now shown) without emitting edits, and forget the box's own
        undo history: Ctrl+Z there is then the window's Undo (see :meth:`eventFilter`)."""
        self.cancel_when_refused = False  # (applied: Esc came too late to cancel it)
        if self.edit.text() != text:
            self.edit.setText(text)  # (Qt clears the history)
            self.edit.setCursorPosition(0)
        elif self.edit.isUndoAvailable() or self.edit.isRedoAvailable():
            at = self.edit.cursorPosition()
            self.edit.setText(text)
            self.edit.setCursorPosition(at)

    def cancel_edit(self, applied: str, preset: str) -> bool:
        """Esc in the box: put back the loss the views show (``applied``, from ``preset`` or
        "" for a typed one), as one edit Ctrl+Z takes back; True if the text had changed.
        (The box kept the unapplied text, and its "Custom", beside the old loss's map.)"""
        self._timer.stop()
        if self.edit.text() == applied:
            return False
        self.edit.selectAll()
        self.edit.insert(applied)  # (undoable, unlike setText)
        self.edit.setCursorPosition(0)
        self.set_preset_name(preset)
        self.clear_error()
        return True

    def set_preset_name(self, name: str) -> None:
        i = max(self.combo.findData(name), 0)
        blocked = self.combo.blockSignals(True)
        self.combo.setCurrentIndex(i)
        self.combo.blockSignals(blocked)

    def show_error(self, message: str, position: int, text: str | None = None) -> None:
        """Show a parse error under the text box, with the position marked."""
        import html  # (2 ms: not before the window's first frame)

        self._sent = None  # (refused: Ctrl+Z takes back the typing, there is no loss to undo)
        text = self.edit.text() if text is None else text
        shown = html.escape(self._worded(message, text))
        if 0 <= position <= len(text):
            # A long loss shows 40 characters either side of the mark (past 200 there was
            # no snippet at all, only "at character 610" in a narrow box)
            lo, hi = (0, len(text)) if len(text) <= 200 else (max(position - 40, 0),
                                                               min(position + 41, len(text)))
            before = ("…" if lo else "") + html.escape(text[lo:position])
            at = html.escape(text[position:position + 1]) or "&nbsp;"
            after = html.escape(text[position + 1:hi]) + ("…" if hi < len(text) else "")
            shown += (f"<br><span style='font-family: DejaVu Sans Mono'>{before}"
                      f"<span style='background:#ffb3b3; color:#000000; "
                      f"text-decoration: underline'>{at}</span>{after}</span>")
        self.error.setText("⚠ " + shown)
        self._colour_error()
        self.error.show()
        # (in the theme's red: #b00020 on the dark theme was 2 : 1)
        self.edit.setStyleSheet(
            f"QLineEdit {{ border: 2px solid {text_ink(self, ERROR_COLOR)}; }}")

    def _colour_error(self) -> None:
        """The error's red, readable on the theme's ground (lighter on the dark theme). In
        its palette, not a style sheet: a label with one kept its type when presentation
        mode enlarged the panel's (an error on screen stayed small on the projector)."""
        palette = self.error.palette()
        palette.setColor(QtGui.QPalette.ColorRole.WindowText,
                         QtGui.QColor(text_ink(self, ERROR_COLOR)))
        self.error.setPalette(palette)

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.PaletteChange and hasattr(self, "error"):
            self._colour_error()

    def _add_clear_button(self) -> None:
        """The box's clear button, with a tooltip (the one control without one)."""
        self.edit.setClearButtonEnabled(True)
        for action in self.edit.findChildren(QtGui.QAction):
            action.setToolTip("Clear the box to type a new loss (the loss shown stays until "
                              "Enter; Ctrl+Z brings the text back)")

    def _worded(self, message: str, text: str) -> str:
        """``message`` about ``text`` as the box and the status bar say it: a paste cut to
        what the box holds is "too long (100000 characters or more, …" (2,000,001 characters
        pasted read "100000 characters")."""
        cut = f"the loss is too long ({self.edit.maxLength()} characters;"
        if message.startswith(cut) and len(text) >= self.edit.maxLength():
            return message.replace(cut, f"the loss is too long ({self.edit.maxLength()} "
                                        "characters or more, all the box holds;", 1)
        return message

    def refused(self, message: str, position: int, text: str, applied: bool,
                shown: tuple[str, str]) -> None:
        """``text`` was refused (``message``, at ``position``), checked as typed or sent with
        Enter (``applied``); ``shown``: the text and preset of the loss the views show.

        A check's verdict on a text the box no longer holds is dropped (Esc before it came
        left its error in red under the loss put back); a text sent with Enter and refused
        after Esc was pressed is cancelled as Esc does (it only left the box meanwhile)."""
        if not applied and text != self.edit.text():
            return
        if applied and self.cancel_when_refused:
            self.cancel_edit(*shown)
            self.show_note(CANCELLED_NOTE, 6000, until_applied=True)
            return
        self.show_error(message, position)
        if applied:  # (a text being typed, checked: its error is enough)
            # (worded as under the box: it said "100000 characters" beside its "or more")
            self.show_note("The loss was not changed: " + self._worded(message, text), 8000)

    def show_note(self, note: str, msecs: int, until_applied: bool = False) -> None:
        """Say ``note`` on the loss in the window's status bar for ``msecs``, until
        :meth:`clear_error` takes it back (``until_applied``: not for a text found valid as
        typed, only once a loss is applied)."""
        self._note, self._note_until_applied = note, until_applied
        bar = getattr(self.window(), "statusBar", None)
        if bar is not None:
            bar().showMessage(note, msecs)

    def clear_error(self, typed: bool = False) -> None:
        """The text is fine now (``typed``: checked as typed) or applied: its error goes, and
        the status bar's note on it ("the loss was not changed" stayed after the text was
        mended; "Loss edit cancelled" after another loss was applied — not when the text
        Esc brought back was checked, a moment after the note came up)."""
        bar = getattr(self.window(), "statusBar", None)
        if self._note and bar is not None and bar().currentMessage() == self._note and \
                not (typed and self._note_until_applied):
            bar().clearMessage()
        # Only when there is one: each call would lay the side bar out again.
        if not self.error.isHidden() or self.error.text():
            self.error.hide()
            self.error.setText("")
        if self.edit.styleSheet():
            self.edit.setStyleSheet("")

    def formulas_pending(self, loss) -> None:
        """``loss`` is shown now; its formulas come a moment later (typeset after the views
        have painted). Until then the formulas shown are dimmed, not replaced: new text would
        lay out and paint the side bar again, twice (now and when the typeset ones come),
        while the views paint. The plain-text forms are shown if the typeset ones are slow
        (:data:`PLAIN_AFTER_MS`) or fail."""
        self._pending = loss
        for label in self.formulas.values():
            label.setEnabled(False)
        self._plain_timer.start()

    def formulas_printed(self, loss) -> None:
        """The plain-text forms of ``loss`` are ready (the typeset ones may follow)."""
        if self._pending is loss:
            if not self._plain_timer.isActive():  # (while it runs, typeset ones may come)
                self.set_formulas(loss, {})
        elif self._shown is loss and not self._typeset_shown:
            self.set_formulas(loss, {})  # sympy's forms replace the loss as typed

    def _on_plain_timer(self) -> None:
        # Whatever happened to the typesetting (slow, failed, or skipped because another
        # edit came and failed), the dimmed formulas of the previous loss go: the plain forms
        # if printed, else the loss as typed.
        if self._pending is not None:
            self.set_formulas(self._pending, {})

    def set_formulas(self, loss, images: dict[str, object]) -> None:
        """Show f and its partials (typeset when images were rendered)."""
        self._pending = None
        self._plain_timer.stop()
        self._shown, self._typeset_shown = loss, bool(images)
        a, b = loss.variables
        # Until the compile thread has printed the forms (a moment after the views), the
        # loss's text and no partials: printing them here would hold up the new picture.
        f, da, db = ((loss.plain, *loss.partials_plain) if loss.plain_ready
                     else (loss.text, "…", "…"))
        plain = {"f": f"f({a}, {b}) = {f}", "da": f"∂f/∂{a} = {da}", "db": f"∂f/∂{b} = {db}"}
        for key, label in self.formulas.items():
            label.setEnabled(True)
            label.set_formula(images.get(key), plain[key], images.get(key + " pieces"))
        for label in self.formulas.values():
            label.refit()  # at one common size
        if images:
            self.formulas_shown_at = time.perf_counter()  # (the benchmark reads it)
