"""The losses the window compiled lately, by their text: Undo, Redo and a session opened
again install one of them at once, instead of compiling it again (on the GUI thread, that
froze the window for as long as a heavy loss takes: seconds). And :func:`keep_names`, the
names a constant loss takes from the loss before it."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from gdviz.core.errors import LossError

if TYPE_CHECKING:  # needs sympy: not imported at start-up
    from gdviz.core.loss import Loss

SIZE = 24
"""How many losses are kept (Undo reaches 20 changes back)."""


class LossMemo:
    """Compiled losses by text, the least recently used dropped past :data:`SIZE`."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._losses: OrderedDict[str, Loss] = OrderedDict()

    def add(self, loss: Loss) -> None:
        """Keep ``loss`` (the newest of its text)."""
        self._losses[loss.text] = loss
        self._losses.move_to_end(loss.text)
        while len(self._losses) > self.size:
            self._losses.popitem(last=False)

    def get(self, text: str, variables: tuple[str, str] | None = None) -> Loss | None:
        """The loss compiled from ``text`` with ``variables`` (without: with the variables
        ``parse_loss`` would give it, in their natural order), or None."""
        loss = self._losses.get(text)
        if loss is None:
            return None
        if variables is None:  # (one opened with ("y", "x") swapped the axes of "x*y + x")
            from gdviz.core.preview import preview_loss

            preview = preview_loss(text)
            variables = None if preview is None else preview.variables
        if variables is None or tuple(variables) != tuple(loss.variables):
            return None
        self._losses.move_to_end(text)
        return loss

    def __len__(self) -> int:
        return len(self._losses)


def keep_names(loss: Loss, before: Loss | None) -> Loss:
    """A constant loss typed after one of w1 and w2 keeps those names (it named its axes x
    and y, the default for a loss that names none); a constant compiles in milliseconds."""
    if before is None or loss.expr.free_symbols or loss.variables == before.variables:
        return loss
    from gdviz.core.loss import parse_loss

    try:
        return parse_loss(loss.text, tuple(before.variables))
    except (LossError, ValueError):
        return loss
