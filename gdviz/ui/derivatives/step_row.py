"""One row of the Chain rule tab: the rule's tag, the formula ``before = after`` and the
explanation (:class:`StepRow`)."""

from __future__ import annotations

import html

import numpy as np

from gdviz.core.derivation import Step
from gdviz.ui.binding import QtCore, QtWidgets
from gdviz.ui.derivatives.derivation_text import (
    board_text,
    latex_to_plain,
    rule_label,
    sentence_text,
)
from gdviz.ui.derivatives.typeset import ScaledFormula

_RULE_COLORS = {  # light tints of the Okabe–Ito colours (dark text stays readable on them)
    "chain": "#F9D9A6", "product": "#BFE3F7", "quotient": "#BFE3F7", "sum": "#BDE6D8",
    "constant multiple": "#E6E6E6", "constant": "#E6E6E6", "variable": "#E6E6E6",
    "power": "#F2CCE1", "together": "#D9ECC9",
}  # fmt: skip
_ELEMENTARY_COLOR = "#F6F0B3"


EXPLANATION_MIN_CHARS = 22  # the narrowest an explanation beside its tag may be, in characters
EXPLANATION_MOST_LINES = 4  # the most lines it may take beside its tag (else below it)


class StepRow(QtWidgets.QWidget):
    """One step: the rule tag, the formula ``before = after`` and the explanation."""

    def __init__(self, step: Step, variable: str, parent=None) -> None:
        super().__init__(parent)
        self.step = step
        self.fitted: int | None = None  # the width it was last laid out for (None: not yet)
        self._fitted_height = 0  # the height fit() asked for there
        label = rule_label(step.rule, variable)
        color = _RULE_COLORS.get(step.rule, _ELEMENTARY_COLOR)
        self.tag = QtWidgets.QLabel(
            f"<b>{html.escape(label)}</b>", objectName="stepRule",
            styleSheet=f"background: {color}; color: #000; border-radius: 4px; padding: 2px 6px")
        # (as on the board until typeset, or where it cannot be: x², not x^2)
        self.before = ScaledFormula(None, board_text(latex_to_plain(step.before_latex)))
        self.after = ScaledFormula(None, "= " + board_text(latex_to_plain(step.after_latex)))
        for w in (self.before, self.after):  # fit() gives them their width
            w.set_policy(QtWidgets.QSizePolicy.Fixed)
        # (a slash held to what follows it: "the derivative of 1/u is −1/" / "u²" broke
        # there; a short formula whole: "u = w1 −" / "1.")
        self.explanation = QtWidgets.QLabel(sentence_text(step.explanation), wordWrap=True)
        self.formulas = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.LeftToRight, spacing=0)
        for w in (self.before, self.after):
            self.formulas.addWidget(w)
        self.formulas.addStretch(1)
        self.top = QtWidgets.QBoxLayout(QtWidgets.QBoxLayout.LeftToRight)
        self.top.addWidget(self.tag, 0, QtCore.Qt.AlignTop | QtCore.Qt.AlignLeft)
        self.top.addWidget(self.explanation, 1)
        layout = QtWidgets.QVBoxLayout(self, spacing=2)
        layout.setContentsMargins(2, 4, 2, 6)
        layout.addLayout(self.top)
        layout.addLayout(self.formulas)
        self.setAccessibleName(f"{label}: {step.explanation}")

    def set_images(self, before: np.ndarray | None, after: np.ndarray | None) -> None:
        """Show the typeset formulas (a missing image keeps the plain text)."""
        if before is not None and after is not None:  # half-typeset rows read badly
            self.fitted = None  # (to be laid out again)
            self.before.set_formula(before, self.before.toolTip())
            self.after.set_formula(after, self.after.toolTip())

    def fit(self, width: int) -> int:
        """Lay out for ``width`` pixels; return the height needed."""
        inner = max(width - 8, 60)
        # The explanation beside its tag, unless that leaves it a column a few words wide
        # (large type in a narrow dock): then below it, across the width.
        room = inner - self.tag.sizeHint().width()
        metrics = self.explanation.fontMetrics()
        # (nor where beside it the explanation would run to more than
        # EXPLANATION_MOST_LINES lines: beside "constant factor" in presentation mode's type
        # it was a column six lines tall)
        narrow = (room < EXPLANATION_MIN_CHARS * metrics.averageCharWidth()
                  or metrics.horizontalAdvance(self.explanation.text())
                  > EXPLANATION_MOST_LINES * room)
        self.top.setDirection(QtWidgets.QBoxLayout.TopToBottom if narrow
                              else QtWidgets.QBoxLayout.LeftToRight)
        side = self.before.natural_width() + self.after.natural_width() + 4 <= inner
        self.formulas.setDirection(QtWidgets.QBoxLayout.LeftToRight if side
                                   else QtWidgets.QBoxLayout.TopToBottom)
        self.before.fit(inner)
        self.after.fit(inner)
        self.layout().activate()
        h = self.heightForWidth(width)
        h = h if h > 0 else super().sizeHint().height()
        self.fitted, self._fitted_height = width, h
        return h

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt's name
        # The tree makes a row as tall as its widget's hint at least: the layout's, worked
        # out for a guess at the explanation's width, held a row 274 pixels tall where its
        # 334 needed 214 once fitted (a blank gap under the step).
        if self.fitted is not None:
            return QtCore.QSize(self.fitted, self._fitted_height)
        return super().sizeHint()
