"""Loss against iteration for every run, with a marker at the current iteration."""

from __future__ import annotations

import numpy as np

from gdviz.ui.qt import QtCore, pg


class LossPlot(pg.PlotWidget):
    """f(w_k) against k for each run; optional log scale of f − min f."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("lossPlot")
        self.setAccessibleName("loss against iteration")
        self.setToolTip("Loss at each iteration for every run. The vertical line is the "
                        "current iteration.")
        self.plotItem.setMenuEnabled(False)
        self.setLabel("bottom", "iteration k")
        self.setLabel("left", "f(w_k)")
        self.showGrid(x=True, y=True, alpha=0.25)
        for side in ("left", "bottom"):
            self.getAxis(side).enableAutoSIPrefix(False)
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen("#555555", width=1.5,
                                                             style=QtCore.Qt.DashLine))
        self.addItem(self.marker)
        self.curves: list[pg.PlotDataItem] = []
        self.log = False
        self.line_width = 2.5
        self.floor = 0.0

    def set_log(self, on: bool) -> None:
        """Plot log₁₀(f − min f) instead of f."""
        self.log = bool(on)
        self.setLabel("left", "log₁₀(f − min f)" if on else "f(w_k)")

    def set_runs(self, runs) -> None:
        """Draw the whole loss curve of every visible run."""
        while len(self.curves) < len(runs):
            self.curves.append(self.plot([], []))
        finite = [r.trajectory.losses[np.isfinite(r.trajectory.losses)] for r in runs
                  if r.trajectory is not None and r.spec.visible]
        finite = [f for f in finite if f.size]
        self.floor = min((float(f.min()) for f in finite), default=0.0)
        for i, curve in enumerate(self.curves):
            run = runs[i] if i < len(runs) else None
            if run is None or run.trajectory is None or not run.spec.visible:
                curve.setData([], [])
                continue
            y = run.trajectory.losses.astype(float)
            if self.log:
                span = max((float(f.max()) for f in finite), default=1.0) - self.floor
                with np.errstate(all="ignore"):
                    y = np.log10(y - self.floor + max(span * 1e-12, 1e-300))
            x = np.arange(len(y))
            ok = np.isfinite(y)
            curve.setData(x[ok], y[ok], pen=pg.mkPen(run.spec.color, width=self.line_width))

    def set_iteration(self, k: int) -> None:
        """Move the current-iteration marker."""
        self.marker.setValue(k)
