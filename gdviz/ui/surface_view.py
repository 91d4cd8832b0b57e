"""The 3D view: the loss surface with the runs drawn on it (OpenGL), or a plain message."""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np

from gdviz.core.grid import Grid
from gdviz.ui.colors import map_colors
from gdviz.ui.path_projection import ENTRY, EXIT, OFF, edge_stand_ins, mesh_heights
from gdviz.ui.qt import QtCore, QtGui, QtWidgets
from gdviz.ui.surface_axes import paint_axis_names
from gdviz.ui.surface_paths import SurfacePaths

DISTANCE_LIMITS = (0.5, 12.0)
"""The camera's nearest and farthest, a session's as the wheel's (OffscreenGLView's
``distance_limits``): a session at distance 100 showed an empty view with one dot."""

DEFAULT_CAMERA = {"distance": 1.9, "elevation": 30.0, "azimuth": -60.0}
"""The first view of the surface (double-click or R returns to it)."""
NAME_SCALE = 1.25  # the axes' names, of the window's type


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
    """Surface + trajectories in 3D; falls back to an explanation when OpenGL is missing.

    The surface and its grid are an OpenGL scene, rendered only when they, the camera, the
    size or the background change; the runs' paths are drawn over that picture with QPainter
    (:class:`~gdviz.ui.surface_paths.SurfacePaths`), so a playback frame renders nothing in GL.
    """

    def __init__(self, parent=None, lazy: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("surfaceView")
        self.setAccessibleName("3D surface of the loss")
        self.setToolTip("Drag to rotate, scroll to zoom, double-click (or R) to reset.")
        self.gl_ok = False  # known once built
        self.built = False
        self.message = QtWidgets.QLabel("", alignment=QtCore.Qt.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setObjectName("surfaceMessage")
        self.addWidget(self.message)
        self.height_scale = 1.0
        self.surface = None
        self.view = None
        self.paths = SurfacePaths(self._place_path)
        self._grid: Grid | None = None
        self._names = ("w1", "w2")  # (the floor's axes)
        self._z = (0.0, 1.0)
        self._shown: np.ndarray | None = None
        self._colours: tuple[np.ndarray, tuple[float, float]] | None = None
        # f -> what the surface's heights show (None: f itself)
        self._height_of: Callable[[np.ndarray], np.ndarray] | None = None
        self._caption = ""  # said in the view where the heights are not f
        self._mesh_scale = 1.0  # the height scale the drawn mesh was built with
        self._mesh: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # x, y, z[y, x]
        self._camera = dict(DEFAULT_CAMERA)
        self._background = "w"
        self._runs: tuple | None = None  # the last set_runs, replayed once built
        if lazy:
            # OpenGL (and pyqtgraph's 3D module) take a while to start: the window's first
            # frame shows this note; build() follows right after it.
            self.message.setText("Preparing the 3D view…")
            self.message.setEnabled(False)
        else:
            self.build()

    def build(self) -> None:
        """Start OpenGL and show the surface (once); without OpenGL, say why."""
        if self.built:
            return
        self.built = True
        self.gl_ok, why = opengl_available()
        self.message.setEnabled(True)
        if not self.gl_ok:
            self.message.setText(why)
            return
        self._build_gl()
        self.setCurrentWidget(self.view)
        if self._grid is not None and self._shown is not None:
            self.set_surface(self._grid, self._shown, self._z, self._names, self._colours,
                             self._height_of, self._caption)
        if self._runs is not None:
            self.set_runs(*self._runs)

    def _build_gl(self) -> None:
        import pyqtgraph.opengl as gl

        from gdviz.ui.gl_canvas import OffscreenGLView

        self.view = OffscreenGLView()
        self.view.setBackgroundColor(self._background)
        self.view.setCameraPosition(**self._camera)
        self.view.opts["center"] = QtGui.QVector3D(0, 0, 0.2)
        self.view.overlay = self.paths.paint
        self.view.decorate = self._paint_names
        self.view.doubleClicked.connect(self.reset_camera)
        # No lighting (no normals): the colours are interpolated between vertices either way,
        # and "smooth" lets pyqtgraph draw the grid's vertices by index instead of copying
        # three per triangle (the same picture; a render 15 -> 12 ms in software GL).
        self.surface = gl.GLSurfacePlotItem(smooth=True, computeNormals=False)
        self.surface.setGLOptions("opaque")
        self.surface.hide()  # until it has data (pyqtgraph cannot index an empty mesh)
        self.view.addItem(self.surface)
        self.grid = gl.GLGridItem(size=QtGui.QVector3D(1, 1, 1))
        self.grid.setSpacing(0.1, 0.1, 0.1)
        self.grid.setColor(_grid_color(self._background))
        self.view.addItem(self.grid)
        self.addWidget(self.view)

    def _paint_names(self, painter: QtGui.QPainter, frame) -> None:
        """The axes' names, into each new picture of the scene (over the surface)."""
        ink = QtGui.QColor("#dddddd" if _is_dark(self._background) else "#333333")
        # (a quarter larger than the window's type: the view's only words, "x" and "y" were
        # 10 pixels tall in a 1280 × 720 export)
        font = QtGui.QFont(self.font())
        font.setPixelSize(round(NAME_SCALE * QtGui.QFontInfo(font).pixelSize()))
        paint_axis_names(painter, frame, self._names, ink, font)
        if self._caption:  # (heights that are not f say so, top left)
            painter.setFont(font)
            painter.setPen(ink)
            metrics = QtGui.QFontMetricsF(font)
            painter.drawText(QtCore.QPointF(8, 6 + metrics.ascent()), self._caption)

    def camera(self) -> dict[str, float]:
        """The camera: ``distance``, ``elevation`` and ``azimuth`` (degrees)."""
        if self.view is not None:
            opts = self.view.opts
            camera = {k: float(opts[k]) for k in ("distance", "elevation", "azimuth")}
            return camera | {"azimuth": _azimuth(camera["azimuth"])}
        return dict(self._camera)

    def set_camera(self, distance: float, elevation: float, azimuth: float) -> None:
        """Place the camera (kept until the view is built), within what the view can show:
        distance :data:`DISTANCE_LIMITS` (its default 1.9), elevation −90…90°, azimuth modulo
        360° from −180° (the first view's −60° came back from Undo as 300°: two session files
        of one view differed)."""
        lo, hi = DISTANCE_LIMITS
        self._camera = {"distance": min(max(float(distance), lo), hi),
                        "elevation": min(max(float(elevation), -90.0), 90.0),
                        "azimuth": _azimuth(azimuth)}
        if self.view is not None:
            self.view.setCameraPosition(**self._camera)

    def reset_camera(self) -> None:
        """Back to the first view of the surface (double-click, or R)."""
        self.set_camera(**DEFAULT_CAMERA)

    def set_background(self, color) -> None:
        """Background colour (the dark theme's, or white)."""
        self._background = color
        if self.view is not None:
            self.view.setBackgroundColor(color)
            self.grid.setColor(_grid_color(color))  # (black lines vanished on the dark theme)

    @property
    def line_width(self) -> float:
        """Width of the paths in pixels (presentation mode thickens them)."""
        return self.paths.line_width

    @line_width.setter
    def line_width(self, width: float) -> None:
        self.paths.line_width = float(width)
        if self.gl_ok:
            self.view.update_overlay()

    @property
    def run_items(self) -> list[tuple]:
        """Per run, ``(line, dot)``: ``visible()`` and the drawn points ``pos`` (scene units)."""
        return self.paths.run_items

    # -- coordinates: every axis is mapped to [-0.5, 0.5] so any domain looks the same --------
    def _to_gl(self, a, b, f):
        (a0, a1), (b0, b1) = self._grid.domain
        lo, hi = self._z
        x = (np.asarray(a) - a0) / (a1 - a0) - 0.5
        y = (np.asarray(b) - b0) / (b1 - b0) - 0.5
        z = (np.clip(np.asarray(f), lo, hi) - lo) / (hi - lo if hi > lo else 1.0)
        return x, y, z * 0.6 * self._mesh_scale

    def _place_path(self, points: np.ndarray, f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Scene coordinates of a path at the heights ``f``, and where each point is drawn
        (:data:`~gdviz.ui.path_projection.OVER` the surface, ``OFF`` it, or at its edge on
        the way out, ``EXIT``, or back in, ``ENTRY``).

        Only the part of the path over the drawn surface is drawn: a run that leaves the
        domain would otherwise draw lines flying off into space. A step leaving it (or coming
        back) is drawn to the edge, as the map draws it to its frame.
        """
        (a0, a1), (b0, b1) = self._grid.domain
        if self._height_of is not None:
            with np.errstate(all="ignore"):
                f = np.asarray(self._height_of(np.asarray(f, dtype=float)), dtype=float)
        with np.errstate(invalid="ignore"):
            inside = (np.isfinite(points).all(axis=1) & np.isfinite(f)
                      & (points[:, 0] >= a0) & (points[:, 0] <= a1)
                      & (points[:, 1] >= b0) & (points[:, 1] <= b1))
        where = inside.astype(np.int8)
        edge, at, leaving = edge_stand_ins(points, inside, (a0, b0, a1, b1))
        if len(edge) and self._mesh is not None:
            points = points.copy()
            points[edge] = at
            where[edge] = np.where(leaving, EXIT, ENTRY)
        x, y, z = self._to_gl(points[:, 0], points[:, 1], np.where(inside, f, 0.0))
        if self._mesh is not None:
            on_mesh = mesh_heights(*self._mesh, x, y)
            z = np.where(np.isfinite(on_mesh), on_mesh, z)
            where[(where >= EXIT) & ~np.isfinite(on_mesh)] = OFF  # (a hole in the mesh)
        return np.column_stack([x, y, z]), where

    def set_surface(self, grid: Grid, shown: np.ndarray, levels: tuple[float, float],
                    names: tuple[str, str] = ("w1", "w2"),
                    colours: tuple[np.ndarray, tuple[float, float]] | None = None,
                    height_of: Callable[[np.ndarray], np.ndarray] | None = None,
                    caption: str = "") -> None:
        """Draw the surface of the heights ``shown`` (f on ``grid``), ``levels`` the range of
        heights drawn, its floor's axes named ``names``.

        ``colours``: ``(values, levels)`` the surface is coloured by, the 2D map's (its log
        scale: the heights stay f, the shape the class is shown); by default the heights.
        ``height_of`` maps f to the heights where they are not f (the runs' paths are placed
        by it), and ``caption`` then says so in the view.
        """
        self._grid = grid
        self._names = (str(names[0]), str(names[1]))
        self._z = levels
        self._shown, self._colours = shown, colours
        self._height_of, self._caption = height_of, caption
        self._mesh_scale = self.height_scale
        self.paths.invalidate()
        if not self.gl_ok:
            return
        step = max(1, shown.shape[0] // 96)  # ~96² mesh: smooth enough, cheap in software GL
        z = shown[::step, ::step]
        a, b = grid.a[::step], grid.b[::step]
        tint, tint_levels = colours if colours is not None else (shown, levels)
        colors = map_colors(tint[::step, ::step], *tint_levels)
        x, y, zz = self._to_gl(a, b, z)
        # Undefined points get NaN heights: the triangles touching them are not drawn, so the
        # surface has a hole where the loss is undefined (as the map is blank there).
        zz = np.where(np.isfinite(z), zz, np.nan)
        # GLSurfacePlotItem wants z[x_index, y_index]: transpose the row-major (b, a) samples.
        self.surface.setData(x=x, y=y, z=zz.T, colors=colors.transpose(1, 0, 2).reshape(-1, 4))
        self.surface.show()
        self._mesh = (x, y, zz)
        # Drawn now: software GL rasterizes it while the other views are brought up to date.
        self.view.render_ahead()

    def set_height_scale(self, scale: float) -> None:
        """Stretch the surface vertically (0.2–3)."""
        self.height_scale = float(scale)
        if self._grid is not None and self.gl_ok and self.height_scale != self._mesh_scale:
            self.set_surface(self._grid, self._shown, self._z, self._names, self._colours,
                             self._height_of, self._caption)

    def set_runs(self, runs, iteration: int) -> None:
        """Draw each run's path (up to ``iteration``) on the surface, at the heights of its
        losses. Cheap: a playback frame repaints the cached picture of the surface with the
        paths' new ends.
        """
        self._runs = (runs, iteration)
        if not self.gl_ok or self._grid is None:
            return
        if self.paths.set_runs(runs, iteration):
            self.view.update_overlay(self.paths.dirty_region(self.view.last_frame()))

    def grab_image(self, scale: float = 1.0) -> QtGui.QImage:
        """The current picture (surface and paths), or the message without OpenGL; ``scale``
        times the screen's pixels (see :meth:`OffscreenGLView.compose`)."""
        if self.gl_ok:
            return self.view.compose(scale)
        return self.message.grab().toImage()

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QtCore.QEvent.Type.FontChange and self.view is not None:
            self.view.update()  # (the axes' names are drawn into the scene's picture)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.build()  # a click on "Preparing…" need not wait for the queue
        super().mousePressEvent(event)


def _azimuth(degrees: float) -> float:
    """``degrees`` as an angle from −180° up to 180°."""
    return (float(degrees) + 180.0) % 360.0 - 180.0


def _is_dark(background) -> bool:
    """Whether ``background`` (a colour, or pyqtgraph's one-letter "w", "k") is dark."""
    if isinstance(background, str):
        background = {"w": "#ffffff", "k": "#000000"}.get(background, background)
    color = QtGui.QColor(background)
    return color.isValid() and color.lightness() < 128


def _grid_color(background) -> tuple[int, int, int, int]:
    """The floor grid's colour: faint black on a light background, faint white on a dark."""
    return (255, 255, 255, 60) if _is_dark(background) else (0, 0, 0, 40)
