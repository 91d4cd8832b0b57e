"""The loss editor: the text box, presets, the error line and the typeset formulas."""

from __future__ import annotations

import html
import math
import time

import numpy as np

from gdviz.core.presets import Preset
from gdviz.ui.colors import text_ink
from gdviz.ui.qt import QtCore, QtGui, QtWidgets, Signal


def ink_on_clear(image: QtGui.QImage, ink: QtGui.QColor) -> QtGui.QImage:
    """A black-on-white picture as ``ink`` on a transparent ground (its darkness → opacity)."""
    rgb = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    h, w = rgb.height(), rgb.width()
    pixels = np.frombuffer(rgb.constBits(), np.uint8).reshape(h, rgb.bytesPerLine())
    bgr = pixels[:, : 4 * w].reshape(h, w, 4)[..., :3]
    out = np.empty((h, w, 4), np.uint8)
    out[..., :3] = (ink.blue(), ink.green(), ink.red())  # ARGB32 is B, G, R, A in memory
    out[..., 3] = 255 - bgr.min(axis=2)
    result = QtGui.QImage(out.data, w, h, 4 * w, QtGui.QImage.Format.Format_ARGB32).copy()
    result.setDevicePixelRatio(image.devicePixelRatio())
    return result


def faded_cut(pm: QtGui.QPixmap, width: int, fade: int = 36) -> QtGui.QPixmap:
    """The left ``width`` device pixels of ``pm``, fading out over the last ``fade``: a
    formula that goes on beyond the label, and shows that it does."""
    image = pm.toImage().convertToFormat(QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image = image.copy(0, 0, width, image.height())
    image.setDevicePixelRatio(1.0)  # (the painter's coordinates are then device pixels)
    painter = QtGui.QPainter(image)
    painter.setCompositionMode(QtGui.QPainter.CompositionMode.CompositionMode_DestinationIn)
    ramp = QtGui.QLinearGradient(width - fade, 0, width, 0)
    ramp.setColorAt(0.0, QtGui.QColor(0, 0, 0, 255))
    ramp.setColorAt(1.0, QtGui.QColor(0, 0, 0, 0))
    painter.fillRect(QtCore.QRect(width - fade, 0, fade, image.height()), ramp)
    painter.end()
    out = QtGui.QPixmap.fromImage(image)
    out.setDevicePixelRatio(pm.devicePixelRatio())
    return out


ERROR_COLOR = "#b00020"  # a parse error's text and the text box's border
PLAIN_AFTER_MS = 400
"""How long a new loss's typeset formulas may take before its plain-text forms are shown."""
MIN_SHRINK = 0.5
"""The smallest a formula is drawn (its letters then as tall as the window's text): smaller
is unreadable (Goldstein–Price's partials shrank to dotted lines). Beyond it the formula is
cut off at the label's edge, fading out; its tooltip holds it whole."""


FORMULA_EM_PX = 18 * 144 / 72 / 1.5
"""The loss panel's formulas' em in logical pixels (18-point mathtext at 144 dpi, drawn at a
pixel ratio of 1.5)."""


class FormulaLabel(QtWidgets.QLabel):
    """Shows a typeset formula image, scaled down to fit, or plain text as a fallback.

    Parameters
    ----------
    name : str
        The object name.
    em_px : float
        The em of its pictures in logical pixels, unshrunk: they shrink no further than the
        label's own type (:meth:`smallest`).
    """

    def __init__(self, name: str, parent=None, em_px: float = FORMULA_EM_PX) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.em_px = em_px
        self.setMinimumHeight(28)
        self.setSizePolicy(QtWidgets.QSizePolicy.Ignored, QtWidgets.QSizePolicy.Preferred)
        self._pixmap: QtGui.QPixmap | None = None
        self._typeset: QtGui.QImage | None = None
        # Labels shrunk by one common factor (f and its partials: one type size, not the
        # widest formula smallest); set by the panel.
        self.peers: list[FormulaLabel] = [self]
        self.cut = False  # whether the picture is cut off at the right (see MIN_SHRINK)

    def set_formula(self, png: bytes | None, plain: str) -> None:
        """Show a typeset formula (``png``: black ink on white), or ``plain`` without one."""
        self.setToolTip(plain)
        self._typeset = QtGui.QImage.fromData(png, "PNG") if png else None
        if self._typeset is not None and not self._typeset.isNull():
            self._show_typeset()
        else:
            self._typeset = None
            self._pixmap = None
            self.cut = False
            self.setText(plain)

    def _show_typeset(self) -> None:
        image = self._typeset
        # The active ink even while the label is dimmed (disabled: a new loss's formulas are
        # on their way): the disabled grey would be baked into the picture for good.
        text = self.palette().color(QtGui.QPalette.ColorGroup.Active,
                                    QtGui.QPalette.ColorRole.WindowText)
        # The theme's ink on the panel's own ground (a white box around each formula, on the
        # light theme's grey panel, looked like a sticker; on the dark theme a glare)
        image = ink_on_clear(image, text)
        pm = QtGui.QPixmap.fromImage(image)
        pm.setDevicePixelRatio(1.5)
        self._pixmap = pm
        self._fit()

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.PaletteChange and self._typeset is not None:
            self._show_typeset()
        elif event.type() == QtCore.QEvent.Type.FontChange:
            self._fit()  # (larger type: a floor of its own, see smallest)

    def set_image(self, image: QtGui.QImage, ratio: float = 1.5) -> None:
        """Show a rendered formula image (scaled down to fit the label's width)."""
        self._typeset = None
        pm = QtGui.QPixmap.fromImage(image)
        pm.setDevicePixelRatio(ratio)
        self._pixmap = pm
        self._fit()

    def set_rich_text(self, text: str) -> None:
        """Show rich text (before a typeset image is ready)."""
        self._pixmap = self._typeset = None
        self.cut = False
        self.setText(text)

    def natural_width(self) -> float:
        """The picture's width unscaled, in logical pixels (0 without a picture)."""
        pm = self._pixmap
        return 0.0 if pm is None else pm.width() / pm.devicePixelRatio()

    def shrink(self) -> float:
        """The factor every peer's picture is drawn at: the widest one just fits (at most 1)."""
        # (The peers share this label's column: its width serves for all, even while a
        # resize has reached it and not them yet.)
        width = max(self.width() - 4, 50)
        widest = max(label.natural_width() for label in self.peers)
        return min(1.0, width / widest) if widest > 0 else 1.0

    def smallest(self) -> float:
        """The smallest factor its picture is drawn at: letters as tall as its own type (the
        window's text, presentation mode's, the lecture tabs'), at least :data:`MIN_SHRINK`,
        at most 1. (In presentation mode a long loss's formulas shrank to 12 pixels, and the
        Slice tab's, typeset smaller, to 8 beside 17-pixel text.)"""
        text_px = QtGui.QFontInfo(self.font()).pixelSize()
        return min(1.0, max(MIN_SHRINK, text_px / self.em_px))

    def _fit(self) -> None:
        if self._pixmap is None:
            return
        pm = self._pixmap
        scale = max(self.shrink(), self.smallest())
        if scale < 1.0:
            pm = pm.scaledToWidth(max(1, int(pm.width() * scale)), QtCore.Qt.SmoothTransformation)
            pm.setDevicePixelRatio(self._pixmap.devicePixelRatio())
        room = int(max(self.width() - 4, 50) * pm.devicePixelRatio())
        self.cut = pm.width() > room + 1
        if self.cut:
            pm = faded_cut(pm, room)
        # As tall as the picture: on a 720-line screen the sidebar gave each label its
        # minimum, 28 pixels, and a fraction's top and bottom were cut off (the controls
        # scroll instead). Only when it changes: a new minimum lays the window out again.
        tall = max(28, math.ceil(pm.height() / pm.devicePixelRatio()) + 2)
        if tall != self.minimumHeight():
            self.setMinimumHeight(tall)
        self.setPixmap(pm)

    def refit(self) -> None:
        """Draw the picture again at the peers' common factor (one of them changed)."""
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()



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
    """

    textEdited = Signal(str)
    applyRequested = Signal(str)
    presetChosen = Signal(str)

    def __init__(self, presets: tuple[Preset, ...], parent=None) -> None:
        super().__init__(parent)
        self.presets = presets
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QtWidgets.QHBoxLayout()
        self.edit = QtWidgets.QLineEdit()
        self.edit.setObjectName("lossEdit")
        self.edit.setAccessibleName("loss formula")
        self.edit.setPlaceholderText("type a loss, e.g. sin(w1)*w2*(1-w2)")
        self.edit.setToolTip("The loss in two variables. Use + - * / ^ (or **), sin, cos, exp, "
                             "log, sqrt, abs, max, min, pi, e. Press Enter to apply (Ctrl+L).")
        # The clear button's icon takes a few milliseconds to load: not before the first frame.
        QtCore.QTimer.singleShot(0, lambda: self.edit.setClearButtonEnabled(True))
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
        row.addWidget(self.edit, 1)
        row.addWidget(self.combo)
        layout.addLayout(row)
        self.error = QtWidgets.QLabel()
        self.error.setObjectName("lossError")
        self.error.setAccessibleName("loss error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(QtCore.Qt.RichText)
        self.error.hide()
        layout.addWidget(self.error)
        self.formulas = {key: FormulaLabel(f"formula_{key}") for key in ("f", "da", "db")}
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
        self.combo.activated.connect(self._on_combo_activated)

    def _on_edit_text_edited(self, _text: str) -> None:
        self._timer.start()
        self.set_preset_name("")

    def _on_edit_return(self) -> None:
        self._timer.stop()
        self.applyRequested.emit(self.edit.text())

    def _on_combo_activated(self, index: int) -> None:
        name = self.combo.itemData(index)
        if name:
            self.presetChosen.emit(name)

    def set_text(self, text: str) -> None:
        """Show ``text`` without emitting edits."""
        if self.edit.text() != text:
            self.edit.setText(text)
            self.edit.setCursorPosition(0)

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
        text = self.edit.text() if text is None else text
        shown = html.escape(message)
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
        self.edit.setStyleSheet(f"QLineEdit {{ border: 2px solid {ERROR_COLOR}; }}")

    def _colour_error(self) -> None:
        """The error's red, readable on the theme's ground (lighter on the dark theme)."""
        self.error.setStyleSheet(f"color: {text_ink(self, ERROR_COLOR)};")

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.PaletteChange and hasattr(self, "error"):
            self._colour_error()

    def clear_error(self) -> None:
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

    def set_formulas(self, loss, images: dict[str, bytes]) -> None:
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
            label.set_formula(images.get(key), plain[key])
        for label in self.formulas.values():
            label.refit()  # at one common size
        if images:
            self.formulas_shown_at = time.perf_counter()  # (the benchmark reads it)
