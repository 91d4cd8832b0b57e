"""The h → 0 tab's numbers: the forward and central difference quotients and the exact
derivative, each under its name (or beside it, where the tab is wide), with their errors
and the digits that agree with the exact value in bold."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from gdviz.core.limits import pole_sides
from gdviz.ui.binding import QtCore, QtWidgets
from gdviz.ui.derivatives.common import fmt, kink
from gdviz.ui.derivatives.error_plot import FORWARD_COLOR
from gdviz.ui.numbers import digits_html, digits_text
from gdviz.ui.steady_label import SteadyLabel

CENTRAL_NAME_COLOR = "#b07800"


class QuotientRows(QtWidgets.QGridLayout):
    """Three rows, forward, central and exact: a name (``name_labels``) and its value
    (``forward_label``, ``central_label``, ``exact_label``).

    Each name sits beside its digits where it fits there on two lines, else above them on a
    line of its own (:meth:`arrange`): in a dock 340 pixels wide (1366 × 768) the names took
    three and four lines each, and the error plot, the tab's point, was below the fold.
    """

    def __init__(self) -> None:
        super().__init__()
        self.forward_label = SteadyLabel(object_name="forwardLabel", word_wrap=True)
        self.central_label = SteadyLabel(object_name="centralLabel", word_wrap=True)
        self.exact_label = SteadyLabel(object_name="exactLabel", word_wrap=True)
        self.values = (self.forward_label, self.central_label, self.exact_label)
        self.name_labels: list[QtWidgets.QLabel] = []
        for label, color in zip(self.values, (FORWARD_COLOR, CENTRAL_NAME_COLOR, ""),
                                strict=True):  # ("": the theme's ink)
            label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)
            # The digits never wrap: room for all of them, in any type size (presentation
            # mode's cut "0.140413209902" to "0.1404132099"); "error …" wraps below them.
            label.reserve("−1.404132099020×10⁻¹²", bold=True)  # (the power of ten too; bold
            # digits: the agreeing ones, the exact value's all)
            name = QtWidgets.QLabel(wordWrap=True)  # wraps before the digits are cut off
            name.setProperty("color", color)
            self.name_labels.append(name)
        self.names_above: bool | None = None
        self.arrange(False)

    def fit(self, width: int) -> None:
        """Names above their digits or beside them, for a tab ``width`` pixels wide."""
        metrics = self.name_labels[1].fontMetrics()
        name = metrics.horizontalAdvance("central  (f(a+h) − f(a−h)) / 2h")
        self.arrange(width < self.forward_label.minimumWidth() + 0.6 * name + 40)

    def arrange(self, above: bool) -> None:
        """Put the names beside their digits, or (``above``) each on a line of its own."""
        if above == self.names_above:
            return
        self.names_above = above
        for row, (name, label) in enumerate(zip(self.name_labels, self.values, strict=True)):
            self.removeWidget(name)
            self.removeWidget(label)
            if above:
                self.addWidget(name, 2 * row, 0, 1, 2)
                self.addWidget(label, 2 * row + 1, 0, 1, 2)
            else:
                self.addWidget(name, row, 0)
                self.addWidget(label, row, 1)
        self.setColumnStretch(1, 1)
        self.setVerticalSpacing(2 if above else -1)  # (a name close to its own digits)

    def show(self, f: Callable, a: float, exact: float, h: float, name: str,
             corner: tuple[float, float] | None, ink: Callable[[str], str],
             unsure: float = 0.0) -> None:
        """The quotients of ``f`` at ``a`` for step ``h`` against ``exact`` (∂f/∂``name``),
        or, at a ``corner`` (its two one-sided slopes), why there is no derivative;
        ``ink(color)`` is a colour readable on the theme's ground; ``unsure``, the relative
        error rounding left in ``exact`` (its digits beyond it grey, and said)."""
        with np.errstate(all="ignore"):
            fwd = float((f(np.float64(a + h)) - f(np.float64(a))) / h)
            cen = float((f(np.float64(a + h)) - f(np.float64(a - h))) / (2 * h))
        # (a line breaks only after the name, the minus and the bar, each kept with what is
        # before it: in presentation mode's type a "−" stood alone on a line; whole, the
        # numerator widened the dock past a 1024-pixel window)
        for label, text in zip(self.name_labels, (f"forward  {_whole('(f(a+h) −')} "
                                                  f"{_whole('f(a)) /')} h",
                                                  f"central  {_whole('(f(a+h) −')} "
                                                  f"{_whole('f(a−h)) /')} 2h",
                                                  # (never "∂f/" then "∂w1": joined)
                                                  f"exact  ∂f\u2060/\u2060∂{name}"),
                                       strict=True):
            color = label.property("color")
            label.setText(f"<span style='color:{ink(color)}'>{text}</span>"
                          if color else text)
        if corner is not None:
            left, right = corner
            for label, value in ((self.forward_label, fwd), (self.central_label, cen)):
                # (written as beside an exact value, without its bold: fixed decimals wrote
                # 1e8·|w1|'s quotient in 21 digits, more than a float holds)
                label.setText(digits_text(value))
            # (the central quotient does settle, on the sides' mean, 0 at a symmetric cusp:
            # "the quotients settle on no single value" was false of it; of sides −∞ and ∞
            # there is no mean: x^(2/3) + x's central quotient is 1 at every h)
            central = ("to the sides' mean" if math.isfinite(left + right) else
                       "cancels their infinite parts" if _central_settles(f, a) else
                       "grows without bound")
            self.exact_label.setText(
                f"<b>none</b>: a {kink(corner)}, slope {fmt(left)} from the left and {fmt(right)} "
                "from the right; the forward quotient " + ("grows without bound" if math.isinf(
                    right) else "tends to the right one") + f", the central one {central}: "
                "neither is a derivative")
            return
        for label, value in ((self.forward_label, fwd), (self.central_label, cen)):
            err = abs(value - exact) if math.isfinite(value) else float("nan")
            label.setText(f"{digits_html(value, exact, unsure=unsure)}   error {fmt(err, 2)}")
        with np.errstate(all="ignore"):
            fa = float(f(np.float64(a)))
        if not math.isfinite(exact) and not math.isfinite(fa):
            # (log(x) at 0 read "undefined" alone, beside a forward quotient of ∞)
            pole = pole_sides(f, a) if math.isinf(fa) else None
            # (1/x at 0: ∞ is numpy's 1/0.0, not f's value; it has none there)
            value = "undefined" if math.isnan(fa) else fmt(fa)
            said = (f"has no value ({fmt(pole[0])} from the left, {fmt(pole[1])} from the "
                    "right)") if pole is not None else f"is {value}"
            self.exact_label.setText(
                f"<b>undefined</b>: f({name} = {fmt(a)}) {said}, so no quotient from "
                "there is a slope")
            return
        if unsure > 0:  # (bold as far as it is sure: the quotients' bold cannot pass it)
            said = "no digit sure" if unsure > 0.1 else "the grey digits unsure"
            self.exact_label.setText(
                f"{digits_html(exact, exact, unsure=unsure)}   (rounding in its formula: "
                f"{said})")
        else:
            self.exact_label.setText(f"<b>{digits_html(exact, exact)}</b>")


def _central_settles(f, a: float) -> bool:
    """Whether the central quotients of ``f`` at ``a`` hold still as h shrinks (10⁻⁴ to
    10⁻⁶ of the point's scale), where a side's slope is infinite: x^(2/3) + x's is 1 at every
    h, 2|x|^(1/3) + x^(1/3)'s grows as h^(−2/3) (its sides −∞ and ∞ too)."""
    scale = max(1.0, abs(a))
    with np.errstate(all="ignore"):
        qs = [float((f(np.float64(a + h)) - f(np.float64(a - h))) / (2 * h))
              for h in (1e-4 * scale, 1e-5 * scale, 1e-6 * scale)]
    return all(math.isfinite(q) for q in qs) and \
        abs(qs[2] - qs[0]) <= 1e-3 * max(1.0, abs(qs[0]))


def _whole(text: str) -> str:
    """``text`` as one unit a label never breaks across lines (word joiners between its
    characters, its spaces no-break)."""
    return "\u2060".join(text.replace(" ", "\u00a0"))
