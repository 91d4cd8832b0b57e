"""The Slice tab's header: the loss with the held variable highlighted, shown as rich text at
once and typeset on a pool thread (:class:`HeldHeader`)."""

from __future__ import annotations

from gdviz.core.loss import Loss
from gdviz.ui.binding import QtCore
from gdviz.ui.derivatives.held_formula import (
    FORMULAS,
    HELD_EM_PX,
    HELD_LARGEST,
    FormulaJob,
    held_formula_html,
    held_images,
)
from gdviz.ui.formula_label import FormulaLabel
from gdviz.ui.later import after_paints
from gdviz.ui.loss_panel import PLAIN_AFTER_MS

FORMULAS_KEPT = 32  # typeset headers remembered (one per loss, variable names and held one)


class HeldHeader(QtCore.QObject):
    """The header's :attr:`label` and what puts a formula in it.

    :meth:`show` puts the typeset formula up at once where it is known, else the rich text,
    dimmed beside the formula shown until the typeset one comes (new text would lay out the
    tab, twice, while it paints), and typesets it once the views have painted the loss.

    Attributes
    ----------
    label : FormulaLabel
        The header's widget.
    key : tuple or None
        (loss text, variables, held variable, ink) of the formula shown.
    typesetting : set of tuple
        Keys whose :class:`~gdviz.ui.derivatives.held_formula.FormulaJob` has not answered.
    held_text : tuple
        (key, rich text) of the formula as rich text, shown while it is typeset (or if that
        fails).
    """

    def __init__(self, parent: QtCore.QObject) -> None:
        super().__init__(parent)
        self.label = FormulaLabel("sliceFormula", em_px=HELD_EM_PX, largest=HELD_LARGEST)
        self.label.setAccessibleName("the loss with the held variable highlighted")
        self.key: tuple | None = None
        self.typesetting: set[tuple] = set()
        self.held_text: tuple[tuple, str] = ((), "")
        self._held_ink = ""  # (the held variable's colour on the theme shown)
        self._pool = QtCore.QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._timer = QtCore.QTimer(self, singleShot=True, interval=PLAIN_AFTER_MS)
        self._timer.timeout.connect(self._show_text)

    def show(self, loss: Loss, held: int, ink: str, held_ink: str) -> None:
        """Show ``loss`` with variable ``held`` highlighted in ``held_ink``, the rest in
        ``ink`` (nothing done when it is shown already in these colours)."""
        key = (loss.text, loss.variables, held)
        if (*key, ink) == self.key:
            return
        self.key, self._held_ink = (*key, ink), held_ink  # (another theme: recoloured)
        # (whole in the tooltip: a long formula is cut off at the tab's edge)
        self.label.setToolTip(held_formula_html(loss, held, held_ink))
        if FORMULAS.get(key) is not None:
            image, pieces = held_images(FORMULAS[key], held_ink, ink)
            self.label.set_image(image, pieces=pieces)
            self.label.setEnabled(True)
            return
        self.held_text = (key, held_formula_html(loss, held, held_ink))
        if key in FORMULAS or not self.label.text() and self.label.pixmap().isNull():
            self._show_text()  # typesetting failed before, or nothing shown yet
        else:
            self.label.setEnabled(False)
            self._timer.start()
        if key not in FORMULAS:
            after_paints(lambda: self.typeset(key, loss, held), self)

    def _show_text(self) -> None:
        """The formula as rich text (typesetting it is slow, or failed)."""
        key, text = self.held_text
        if self.key is not None and key == self.key[:3]:
            self.label.set_rich_text(text)
            self.label.setEnabled(True)

    def typeset(self, key: tuple, loss: Loss, held: int) -> None:
        """Typeset the formula of ``key`` on the pool's thread, unless it is no longer the
        one shown, is typeset already or on its way."""
        if self.key is None or key != self.key[:3] or key in FORMULAS or key in self.typesetting:
            return
        self.typesetting.add(key)
        self._pool.start(FormulaJob.for_loss(key, loss, held, self._on_rendered))

    def _on_rendered(self, key: tuple, typeset) -> None:
        self.typesetting.discard(key)
        if len(FORMULAS) > FORMULAS_KEPT:
            FORMULAS.clear()
        FORMULAS[key] = typeset
        if self.key is None or key != self.key[:3]:
            return
        self._timer.stop()
        if typeset is None:
            self._show_text()
        else:
            image, pieces = held_images(typeset, self._held_ink, self.key[3])
            self.label.set_image(image, pieces=pieces)
            self.label.setEnabled(True)
