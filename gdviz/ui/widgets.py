"""Small reusable controls."""

from __future__ import annotations

import math
import re

from gdviz.ui.numbers import typed_number
from gdviz.ui.qt import QtCore, QtGui, QtWidgets

# A number as far as it is typed: "1", "0.5", ".5", "+2", "1e-", "2.5E-3".
_PARTIAL_NUMBER = re.compile(r"[-+]?(\d*\.?\d*)([eE][-+]?\d*)?")
_THOUSANDS = re.compile(r"[-+]?[1-9]\d{0,2},\d{3}")  # "1,000": a thousand, or one?


def scroll_bar_width(area: QtWidgets.QAbstractScrollArea | None = None) -> int:
    """The width of a vertical scroll bar: ``area``'s own, else one in the app's style.

    Asked of a scroll bar, not of ``style().pixelMetric(PM_ScrollBarExtent)`` (the same
    number): a widget's ``style()`` makes PySide6's Python class of QStyle and its eleven
    enums, 5–11 ms, and the sidebar's spin boxes asked before the window's first frame.
    """
    bar = area.verticalScrollBar() if area is not None else QtWidgets.QScrollBar()
    return bar.sizeHint().width()


def set_value(spin: QtWidgets.QAbstractSpinBox, value: float, exact: bool = False) -> None:
    """Set a spin box's value unless it already shows it: Qt repaints a spin box on every
    setValue, even of its own value (five spin boxes on every loss edit). Text typed and not
    committed is replaced, as setValue does (it belonged to the run shown before).

    A value from a session or the command line outside the box's range widens it, and
    (``exact``) one with more decimals than it shows gets them: η = 10⁻⁹ showed as 0.000001,
    500 as 100, 50,000 steps as 20,000, β₁ = 0.99999 as 0.9999 (the run itself unchanged)."""
    if exact and isinstance(spin, QtWidgets.QDoubleSpinBox):
        decimals = spin.decimals()
        while decimals < 12 and round(value, decimals) != value:
            decimals += 1
        if decimals > spin.decimals():
            spin.setDecimals(decimals)
    if not spin.minimum() <= value <= spin.maximum():
        spin.setRange(min(spin.minimum(), value), max(spin.maximum(), value))
    if spin.value() != value or spin.cleanText() != spin.textFromValue(spin.value()):
        spin.setValue(value)


def refusal(box: QtWidgets.QAbstractSpinBox, text: str) -> str:
    """What to say of ``text`` typed into ``box`` and refused ("" when it is no number, or
    one the box takes): its name, the range, the value kept. η = 1000, 0 or 1e-8 put 0.3
    back without a word, and 50,000 steps became 5000."""
    raw = text.strip().replace("−", "-")
    whole = not isinstance(box, QtWidgets.QDoubleSpinBox)
    # (a comma groups thousands in a count, "50,000"; elsewhere, and in a count where it
    # groups nothing, "0,5", it is a decimal point)
    grouped = whole and _GROUPED.fullmatch(raw) is not None
    try:
        value = float(raw.replace(",", "" if grouped else "."))
    except ValueError:
        return ""
    lo, hi = box.minimum(), box.maximum()
    name = box.accessibleName() or "the value"
    kept = box.textFromValue(box.value()).replace("-", "−")
    show = typed_number if isinstance(box, QtWidgets.QDoubleSpinBox) else (lambda v: f"{v:,}")
    if whole and math.isfinite(value) and lo <= value <= hi and value != int(value):
        return (f"{name[:1].upper()}{name[1:]} must be a whole number: {text.strip()} was "
                f"not taken; it stays {kept}.")
    if math.isfinite(value) and lo <= value <= hi:
        if isinstance(box, QtWidgets.QDoubleSpinBox) and round(value, box.decimals()) != value:
            return (f"{name[:1].upper()}{name[1:]}: {text.strip()} has more digits than it "
                    f"keeps; it stays {kept}.")
        return ""
    return (f"{name[:1].upper()}{name[1:]} must be from {show(lo)} to {show(hi)}: "
            f"{text.strip()} was not taken; it stays {kept}.")


def status_note(widget: QtWidgets.QWidget, note: str, shown: str = "") -> str:
    """Say ``note`` in ``widget``'s window's status bar for 8 s, or with ``note`` "" take
    back ``shown`` (said before) if it still shows; returns what is said now (a box's
    :func:`refusal`)."""
    bar = getattr(widget.window(), "statusBar", None)
    if bar is None:
        return shown
    if note:
        bar().showMessage(note, 8000)
    elif shown and bar().currentMessage() == shown:
        bar().clearMessage()
    return note


def fitting_message(bar: QtWidgets.QStatusBar, texts: list[str]) -> str:
    """The first of ``texts`` (longest first) that ``bar`` shows whole in its type, else
    the last: Compare's note, long enough for a 1280-pixel window's status bar, was cut at
    "Gradient descent ÷64, M" in presentation mode's type."""
    # (up to the widgets kept at its right, the busy label's room among them; and margins)
    right = [w.geometry().left() for w in bar.findChildren(
        QtWidgets.QWidget, options=QtCore.Qt.FindChildOption.FindDirectChildrenOnly)
        if w.isVisible() and w.geometry().left() > bar.width() // 2]
    room = min(right, default=bar.width()) - 16
    fm = bar.fontMetrics()
    return next((t for t in texts if fm.horizontalAdvance(t) <= room), texts[-1])


FITS = "-00.000"
"""The text a number box is made wide enough for (its decimals as many as it keeps)."""


class NumberSpinBox(QtWidgets.QDoubleSpinBox):
    """A spin box for numbers that also reads scientific notation (``1e-2``, ``2.5E3``) and a
    decimal comma; Qt's own dropped what it could not read, so "1e-2" became 12 (η, the
    Start boxes, noise σ). A number it refuses is said (``refused``: the status bar)."""

    refused = QtCore.Signal(str)

    refuse_rounding = False
    """Whether a value with more decimals than the box keeps is refused (else rounded)."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        # A decimal point whatever the locale: in a German one Qt wrote 1.5 as "1,500",
        # which the box's own reading takes for a thousand and a half.
        text = f"{value:.{self.decimals()}f}"
        if len(text) > len(FITS) and "." in text:  # (a start of 10⁶ on the lecture's map,
            # "1000000.000", was cut to "1000000.0(": its zeros say nothing there)
            text = text.rstrip("0").rstrip(".")
        return text

    def fit_width(self, least: int = 80) -> None:
        """A least width for its value and the sample "-00.000" in its font, at least
        ``least`` (Qt's own is as wide as the range's ends, ±1e6: too wide; a fixed 80 px cut
        "-0.50" in presentation mode's large type). Kept up to date on font changes."""
        self._least = least
        fm = self.fontMetrics()
        text = max(self.textFromValue(self.value()), FITS[:4] + "0" * self.decimals(), key=len)
        arrows = scroll_bar_width()  # (about the width of the arrows)
        self.setMinimumWidth(max(least, fm.horizontalAdvance(text) + arrows + 16))

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange and getattr(self, "_least", None):
            self.fit_width(self._least)

    def validate(self, text: str, pos: int):  # noqa: D102 - Qt's
        # Scientific notation is accepted (1e-2, 5E-4): Qt's own validator took "1e-2" as
        # "12" (it drops what it cannot read), so η became 12 without a word.
        state = QtGui.QValidator.State
        raw = text.strip().replace("−", "-")
        if "," in raw and ("." in raw or _THOUSANDS.fullmatch(raw)):
            return state.Intermediate, text, pos  # (a comma is a decimal point only alone)
        body = raw.replace(",", ".")
        if _PARTIAL_NUMBER.fullmatch(body) is None:
            return state.Invalid, text, pos
        try:
            value = float(body)
        except ValueError:
            return state.Intermediate, text, pos  # ("1e-", "-", ".": being typed)
        if not self.minimum() <= value <= self.maximum() or (
                self.refuse_rounding and round(value, self.decimals()) != value):
            return state.Intermediate, text, pos  # (out of range, or more digits than kept)
        return state.Acceptable, text, pos

    def fixup(self, text: str) -> str:  # noqa: D102 - Qt's
        # Nothing mended: Qt's own took "1,000" for a thousand in an English locale (its
        # group separator dropped) and refused it in a German one; refused everywhere now,
        # the box keeps its value (a comma is a decimal point only where nothing else is).
        # A number out of range, or with more digits than kept, is said.
        if self.refuse_rounding or not self.minimum() <= self.valueFromText(text) \
                <= self.maximum():
            note = refusal(self, text)
            if note:
                self.refused.emit(note)
        return text

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt's name
        try:
            value = float(text.strip().replace("−", "-").replace(",", "."))
        except ValueError:
            return self.value()
        return round(value, self.decimals())  # (as it shows it; see refuse_rounding)


class WholeSpinBox(QtWidgets.QSpinBox):
    """A spin box for counts (steps): a number out of its range is refused and said, not cut
    to fit as it was typed (50,000 steps became 5000: the fifth digit was not taken)."""

    refused = QtCore.Signal(str)

    def validate(self, text: str, pos: int):  # noqa: D102 - Qt's
        if _decimal_comma(text):
            # A comma that does not group thousands is a decimal comma, as in the η box:
            # "0,5" became 5 steps (Qt dropped it as a group mark). Not taken as it stands;
            # on Enter it is refused and said (a whole number is needed), or it is "50,00" on
            # the way to "50,000".
            return QtGui.QValidator.State.Intermediate, text, pos
        state = super().validate(text, pos)
        # Digits, grouped or not ("50,000": Qt took "50,00" as 5000 and dropped the last 0):
        # let them come, and refuse the number whole if it is out of range.
        if state[0] == QtGui.QValidator.State.Invalid and re.fullmatch(r"\s*[\d,]*\d\s*", text):
            return QtGui.QValidator.State.Intermediate, text, pos
        # Any other number too, whole or not, with a sign or an exponent: "1e4" is taken
        # (Qt's dropped the "e": 14 steps), "2.5" or "-3" refused whole and said (they
        # became 25 and 3)
        raw = text.strip().replace("−", "-")
        if state[0] == QtGui.QValidator.State.Invalid and _PARTIAL_NUMBER.fullmatch(raw):
            value = _whole(raw)
            ok = value is not None and self.minimum() <= value <= self.maximum()
            return (QtGui.QValidator.State.Acceptable if ok
                    else QtGui.QValidator.State.Intermediate), text, pos
        return state

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt's name
        value = _whole(text.strip().replace("−", "-"))
        return super().valueFromText(text) if value is None else value

    def fixup(self, text: str) -> str:  # noqa: D102 - Qt's
        note = refusal(self, text)
        if note:
            self.refused.emit(note)
        if _decimal_comma(text):
            return text  # (Qt's fixup drops the commas: "0,5" became 05, taken as 5)
        return super().fixup(text)


_GROUPED = re.compile(r"[-+−]?\d{1,3}(,\d{3})+")
"""A count with its thousands grouped by commas ("50,000")."""


def _decimal_comma(text: str) -> bool:
    """Whether ``text`` has a comma that groups no thousands ("0,5"): a decimal comma."""
    return "," in text and not _GROUPED.fullmatch(text.strip())


def _whole(raw: str) -> int | None:
    """The whole number ``raw`` writes with a point or an exponent ("1e4", "2.0"); None for
    any other text, or a number that is not whole."""
    if not re.search(r"[.eE]", raw):
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return int(value) if math.isfinite(value) and value == int(value) else None


class LogSpinBox(NumberSpinBox):
    """A spin box for learning rates and step sizes: arrows move along 1, 2, 5, 10, 20, …

    A value with more decimals than it keeps is refused, not rounded (1.5e-6 would be 2e-6).
    """

    refuse_rounding = True

    def __init__(self, minimum: float, maximum: float, decimals: int = 6, parent=None) -> None:
        super().__init__(parent)
        self.setDecimals(decimals)
        self.setRange(minimum, maximum)
        self.setKeyboardTracking(False)
        self.setAccelerated(True)

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        # As short as it goes, as the runs list writes it: "1", "0.05", and "1e-9" (it
        # wrote 0.000000001 beside the list's 1e-09); typed, so with the keyboard's minus
        return typed_number(round(value, self.decimals())).replace("−", "-")

    def stepBy(self, steps: int) -> None:  # noqa: N802
        v = self.value()
        for _ in range(abs(steps)):
            v = _next_125(v, up=steps > 0)
        self.setValue(min(max(v, self.minimum()), self.maximum()))


def _next_125(v: float, up: bool) -> float:
    if v <= 0:
        return 1e-6
    e = math.floor(math.log10(v) + 1e-9)
    mantissas = (1.0, 2.0, 5.0, 10.0)
    m = v / 10**e
    if up:
        nxt = next((k for k in mantissas if k > m + 1e-9), 10.0)
        return nxt * 10**e
    prev = [k for k in (0.5, 1.0, 2.0, 5.0) if k < m - 1e-9]
    return (prev[-1] if prev else 0.5) * 10**e


class GutterScrollArea(QtWidgets.QScrollArea):
    """A scroll area whose content is as wide whether or not its vertical scroll bar shows:
    room for the bar is kept beside it (a gutter) while it is hidden.

    The content's height may depend on its width (formulas that shrink to fit, wrapped
    text): at the edge, showing the bar narrowed the content, which then fitted without it,
    which widened the content again… Qt resized it back and forth within one call until the
    stack ran out, and the app crashed (the sidebar at 1600 × 1000, choosing RMSprop after
    Adam on a sum of two roots).
    """

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)

    def setWidget(self, widget: QtWidgets.QWidget) -> None:  # noqa: N802 - Qt's name
        super().setWidget(widget)
        self._hold_width(self.width())

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        # The content's least width may grow without the area resizing (larger type in a
        # hidden tab): its cap follows, or Qt squeezed it below that width, cut off on the
        # right with no scroll bar to reach the rest.
        if obj is self.widget() and event.type() == QtCore.QEvent.Type.LayoutRequest:
            self._hold_width(self.width())
        return super().eventFilter(obj, event)

    def viewportEvent(self, event: QtCore.QEvent) -> bool:  # noqa: N802 - Qt's name
        # (content without a layout of its own asks its parent, the viewport, to lay out)
        if event.type() == QtCore.QEvent.Type.LayoutRequest:
            self._hold_width(self.width())
        return super().viewportEvent(event)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt's name
        # (the area's own width: its viewport's resizes come here too, with theirs)
        self._hold_width(self.width())
        super().resizeEvent(event)

    def _hold_width(self, outer: int) -> None:
        view = self.widget()
        if view is None:
            return
        bar = scroll_bar_width(self)
        # (no narrower than the content needs: then it scrolls sideways, if it may)
        room = max(outer - 2 * self.frameWidth() - bar, view.minimumSizeHint().width())
        if view.maximumWidth() != room:
            view.setMaximumWidth(room)
