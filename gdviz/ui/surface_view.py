"""The 3D view: the loss surface with the runs drawn on it (OpenGL), or a plain message."""

from __future__ import annotations

import os

import numpy as np

from gdviz.core.grid import Grid
from gdviz.ui.colors import map_colors
from gdviz.ui.qt import QtCore, QtGui, QtWidgets


def opengl_available() -> tuple[bool, str]:
    """Whether an OpenGL context can be created here, and if not, why."""
    if os.environ.get("GDVIZ_NO_GL"):
        return False, "3D view turned off (GDVIZ_NO_GL is set)."
    app = QtGui.QGuiApplication.instance()
    platform = app.platformName() if app else ""
    if platform in ("offscreen", "minimal", "vnc"):
        return False, f"3D view unavailable: the '{platform}' display has no OpenGL."
    ctx = QtGui.QOpenGLContext()
    if not ctx.create():
        return False, "3D view unavailable: OpenGL could not start on this machine."
    surface = QtGui.QOffscreenSurface()
    surface.create()
    ok = ctx.makeCurrent(surface)
    if ok:
        ctx.doneCurrent()
    return (True, "") if ok else (False, "3D view unavailable: OpenGL could not start.")


class SurfaceView(QtWidgets.QStackedWidget):
    """Surface + trajectories in 3D; falls back to an explanation when OpenGL is missing."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("surfaceView")
        self.setAccessibleName("3D surface of the loss")
        self.setToolTip("Drag to rotate, scroll to zoom.")
        self.gl_ok, why = opengl_available()
        self.message = QtWidgets.QLabel(why or "", alignment=QtCore.Qt.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setObjectName("surfaceMessage")
        self.height_scale = 1.0
        self.line_width = 3.0
        self.surface = None
        self.run_items: list[tuple] = []
        self._grid: Grid | None = None
        self._z = (0.0, 1.0)
        if self.gl_ok:
            self._build_gl()
        else:
            self.addWidget(self.message)

    def _build_gl(self) -> None:
        import pyqtgraph.opengl as gl

        from gdviz.ui.gl_canvas import OffscreenGLView

        self.gl = gl
        self.view = OffscreenGLView()
        self.view.setBackgroundColor("w")
        self.view.setCameraPosition(distance=1.9, elevation=30, azimuth=-60)
        self.view.opts["center"] = QtGui.QVector3D(0, 0, 0.2)
        self.surface = gl.GLSurfacePlotItem(smooth=False, computeNormals=False)
        self.surface.setGLOptions("opaque")
        self.view.addItem(self.surface)
        axes = gl.GLGridItem(size=QtGui.QVector3D(1, 1, 1))
        axes.setSpacing(0.1, 0.1, 0.1)
        axes.setColor((0, 0, 0, 40))
        self.view.addItem(axes)
        self.addWidget(self.view)

    # -- coordinates: every axis is mapped to [-0.5, 0.5] so any domain looks the same --------
    def _to_gl(self, a, b, f):
        (a0, a1), (b0, b1) = self._grid.domain
        lo, hi = self._z
        x = (np.asarray(a) - a0) / (a1 - a0) - 0.5
        y = (np.asarray(b) - b0) / (b1 - b0) - 0.5
        z = (np.clip(np.asarray(f), lo, hi) - lo) / (hi - lo if hi > lo else 1.0)
        return x, y, z * 0.6 * self.height_scale

    def set_surface(self, grid: Grid, shown: np.ndarray, levels: tuple[float, float]) -> None:
        """Draw the surface of ``shown`` (values or their log) coloured like the 2D map."""
        self._grid = grid
        self._z = levels
        if not self.gl_ok:
            return
        step = max(1, shown.shape[0] // 96)  # ~96² mesh: smooth enough, cheap in software GL
        z = shown[::step, ::step]
        a, b = grid.a[::step], grid.b[::step]
        colors = map_colors(z, *levels)
        self._shown = shown
        x, y, zz = self._to_gl(a, b, z)
        # Undefined points get NaN heights: the triangles touching them are not drawn, so the
        # surface has a hole where the loss is undefined (as the map is blank there).
        zz = np.where(np.isfinite(z), zz, np.nan)
        # GLSurfacePlotItem wants z[x_index, y_index]: transpose the row-major (b, a) samples.
        self.surface.setData(x=x, y=y, z=zz.T, colors=colors.transpose(1, 0, 2).reshape(-1, 4))

    def set_height_scale(self, scale: float) -> None:
        """Stretch the surface vertically (0.2–3)."""
        self.height_scale = float(scale)
        if self._grid is not None and self.gl_ok:
            self.set_surface(self._grid, self._shown, self._z)

    def set_runs(self, runs, iteration: int, transform) -> None:
        """Draw each run's path (up to ``iteration``) on the surface.

        ``transform`` maps loss values to what the surface shows (identity or log).
        """
        if not self.gl_ok or self._grid is None:
            return
        gl = self.gl
        while len(self.run_items) < len(runs):
            line = gl.GLLinePlotItem(antialias=True, mode="lines")
            line.setGLOptions("translucent")
            dot = gl.GLScatterPlotItem(pxMode=True)
            dot.setGLOptions("translucent")
            self.view.addItem(line)
            self.view.addItem(dot)
            self.run_items.append((line, dot))
        for i, (line, dot) in enumerate(self.run_items):
            run = runs[i] if i < len(runs) else None
            show = run is not None and run.spec.visible and run.trajectory is not None
            line.setVisible(show)
            dot.setVisible(show)
            if not show:
                continue
            traj = run.trajectory
            k = min(iteration, len(traj.points) - 1)
            pts = traj.points[: k + 1]
            f = transform(traj.losses[: k + 1])
            (a0, a1), (b0, b1) = self._grid.domain
            # Only the part of the path over the drawn surface: a run that leaves the domain
            # would otherwise draw lines flying off into space.
            inside = (np.isfinite(pts).all(axis=1) & np.isfinite(f)
                      & (pts[:, 0] >= a0) & (pts[:, 0] <= a1)
                      & (pts[:, 1] >= b0) & (pts[:, 1] <= b1))
            x, y, z = self._to_gl(pts[:, 0], pts[:, 1], np.where(inside, f, 0.0))
            pos = np.column_stack([x, y, z + 0.01])
            c = QtGui.QColor(run.spec.color or "#000000")
            rgba = (c.redF(), c.greenF(), c.blueF(), 1.0)
            both = inside[:-1] & inside[1:]  # segments with both ends over the surface
            seg = np.stack([pos[:-1][both], pos[1:][both]], axis=1).reshape(-1, 3)
            if len(seg):
                line.setData(pos=seg, color=rgba, width=self.line_width)
            else:
                line.setData(pos=np.zeros((0, 3)))
            now = pos[-1:] if inside[-1] else np.zeros((0, 3))
            dot.setData(pos=now, color=rgba, size=14)

    def grab_image(self) -> QtGui.QImage:
        """The current picture (the GL framebuffer, or the message)."""
        if self.gl_ok:
            return self.view.grabFramebuffer()
        return self.message.grab().toImage()
