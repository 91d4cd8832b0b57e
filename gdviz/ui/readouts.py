"""Per-run readouts: iteration, point, f, ∇f, ‖∇f‖ and status."""

from __future__ import annotations

import numpy as np

from gdviz.ui.qt import QtCore, QtGui, QtWidgets

COLUMNS = ("run", "k", "point", "f", "∇f", "‖∇f‖", "status")


def _fmt(v: float) -> str:
    if not np.isfinite(v):
        return "∞" if v == np.inf else "−∞" if v == -np.inf else "undefined"
    return f"{v:.4g}"


def run_readout(run, iteration: int) -> list[str]:
    """The readout cells of one run at ``iteration`` (pure: used by tests and export)."""
    traj = run.trajectory
    if traj is None:
        return ["", "", "", "", "", "", run.error]
    k = min(iteration, len(traj.points) - 1)
    a, b = traj.points[k]
    ga, gb = traj.gradients[k]
    status = traj.message() if k == len(traj.points) - 1 else "running"
    return [str(k), f"({_fmt(a)}, {_fmt(b)})", _fmt(traj.losses[k]),
            f"({_fmt(ga)}, {_fmt(gb)})", _fmt(traj.grad_norms[k]), status]


class Readouts(QtWidgets.QTableWidget):
    """A table with one row per run."""

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("readouts")
        self.setAccessibleName("readouts")
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().hide()
        self.setEditTriggers(QtWidgets.QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QtWidgets.QAbstractItemView.NoSelection)
        self.horizontalHeader().setStretchLastSection(True)
        self.setToolTip("Where each run is at the current iteration")

    def set_runs(self, runs, iteration: int) -> None:
        """Show every run at ``iteration`` (only the cells whose text changed are touched:
        each ``setText`` repaints its cell and costs a little on every playback frame)."""
        resize = self.rowCount() != len(runs) or iteration % 25 == 0
        if self.rowCount() != len(runs):
            self.setRowCount(len(runs))
        text_color = self.palette().color(QtGui.QPalette.Text)
        for i, run in enumerate(runs):
            cells = [run.spec.name or f"Run {i + 1}", *run_readout(run, iteration)]
            for j, text in enumerate(cells):
                item = self.item(i, j)
                if item is None:
                    item = QtWidgets.QTableWidgetItem()
                    self.setItem(i, j, item)
                    if j == 1:
                        item.setTextAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
                if item.text() == text and j not in (0, len(cells) - 1):
                    continue
                if item.text() != text:
                    item.setText(text)
                if j == 0:
                    color = QtGui.QColor(run.spec.color or "#000")
                    if item.foreground().color() != color or not item.font().bold():
                        item.setForeground(QtGui.QBrush(color))
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                elif j == len(cells) - 1:
                    color = QtGui.QColor("#b00020") if "diverged" in text else text_color
                    if item.foreground().color() != color:
                        item.setForeground(QtGui.QBrush(color))
        if resize:  # measuring every cell is slow: not on every playback frame
            self.resizeColumnsToContents()
            self.horizontalHeader().setStretchLastSection(True)

    def setAlignment(self) -> None:  # noqa: N802 - keep Qt-like naming for this helper
        for i in range(self.rowCount()):
            for j in (1,):
                item = self.item(i, j)
                if item is not None:
                    item.setTextAlignment(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
