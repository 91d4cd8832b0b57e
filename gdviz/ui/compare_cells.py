"""The Compare table's cells: its columns, a cell that sorts by a key of its own, and the
runs' summaries it is filled from (:mod:`gdviz.ui.compare`)."""

from __future__ import annotations

import math

from gdviz.core.compare import ComparisonRow, summarize
from gdviz.ui.qt import QtCore, QtWidgets

COLUMNS = ("optimizer", "η", "steps to converge", "final loss", "final ‖∇f‖", "status")
RUN_ROLE = QtCore.Qt.UserRole + 1
SORT_ROLE = QtCore.Qt.UserRole + 2


class SortItem(QtWidgets.QTableWidgetItem):
    """A cell that sorts by a key kept under ``SORT_ROLE`` (numbers, with "—" last)."""

    def __lt__(self, other: QtWidgets.QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return mine < theirs


def number_key(value: float | None) -> tuple:
    """A number's sort key: finite numbers in order, then the rest ("—")."""
    if value is None or not math.isfinite(value):
        return (1, 0.0)
    return (0, float(value))


def table_rows(runs) -> list[tuple[int, ComparisonRow | None, str]]:
    """(run index, summary or None when the run failed, error) for each run."""
    out = []
    for i, run in enumerate(runs):
        if run.trajectory is None:
            out.append((i, None, run.note or "not computed"))
        else:
            out.append((i, summarize(run.trajectory, run.spec.optimizer), ""))
    return out
