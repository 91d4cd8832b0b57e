"""A 3D view drawn offscreen: pyqtgraph's GL scene rendered into a framebuffer, shown as an image.

Why not pyqtgraph's ``GLViewWidget``: it is a ``QOpenGLWidget``, and a single ``QOpenGLWidget``
makes Qt compose the *whole* top-level window through OpenGL on every repaint. With software
OpenGL (llvmpipe: a teacher's laptop without a GPU driver, any virtual machine, CI) that
composition costs tens of milliseconds per frame even when only a 2D view changed. Here the
scene is rendered into an offscreen framebuffer only when the 3D scene itself changed (its
items, the camera, the size, the background), and the widget paints the resulting image like
any raster widget: the window stays a plain raster window, ``QWidget.grab()`` sees the 3D
picture, and hidden (``--export``) windows work too.

What changes every playback frame (the runs' paths) is not part of the GL scene: an *overlay*
callback draws it with ``QPainter`` on top of the cached picture, using the
:class:`~gdviz.ui.scene_frame.SceneFrame` of the last render to place 3D points (the same
projection GL used) and to tell which of them the scene hides (its depth buffer).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from pyqtgraph.opengl.GLViewWidget import GLViewMixin
from PySide6 import QtOpenGL

from gdviz.ui.canvas.box_updates import BoxUpdates
from gdviz.ui.qt import QtCore, QtGui, QtWidgets
from gdviz.ui.scene_frame import SceneFrame


def _matrix(m: QtGui.QMatrix4x4) -> np.ndarray:
    """A ``QMatrix4x4`` as a row-major numpy array (acting on column vectors, as in GL)."""
    return np.array(m.copyDataTo(), dtype=float).reshape(4, 4)


SCENE_ASPECT = 1.5
"""Width over height of the surface and its floor grid as the camera first sees them: a view
wider than this keeps the scene's height in view (:meth:`OffscreenGLView.projectionMatrix`)."""


class OffscreenGLView(GLViewMixin, BoxUpdates, QtWidgets.QWidget):
    """pyqtgraph's 3D scene (items, camera, mouse controls) without a ``QOpenGLWidget``.

    The scene is re-rendered on the next paint after :meth:`update` (which items, camera moves
    and the background colour call); other repaints — :meth:`update_overlay`, an overlapping
    window moved — reuse the last picture and only run :attr:`overlay` on top of it.

    Attributes
    ----------
    overlay : callable or None
        ``overlay(painter, frame)`` draws on the picture (in logical pixels) at every paint and
        in :meth:`compose`; ``frame`` is the :class:`SceneFrame` the picture came from.
    decorate : callable or None
        ``decorate(painter, frame)`` draws into each new picture once, as it is read back
        (what moves only with the scene, such as the axes' names: not again every frame).
    render_count : int
        How many times the GL scene was rendered (tests count them).
    """

    rendered = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        self._ctx: QtGui.QOpenGLContext | None = None
        self._surface: QtGui.QOffscreenSurface | None = None
        self._fbo = None
        self._frame: SceneFrame | None = None
        self._dirty = True
        self._changes = 0  # how many times the scene changed (update() calls)
        # (changes, w, h, proj, mvp) of a scene drawn by render_ahead and not yet read back
        self._drawn: tuple | None = None
        self._gl_initialized = False
        self.render_count = 0
        # A picture drawn larger for an export (:meth:`compose`), apart from the screen's,
        # and what it was drawn for: (scene changes, width, height)
        self._export_frame: SceneFrame | None = None
        self._export_key: tuple | None = None
        self.overlay: Callable[[QtGui.QPainter, SceneFrame], None] | None = None
        self.decorate: Callable[[QtGui.QPainter, SceneFrame], None] | None = None
        super().__init__(parent)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.ClickFocus)
        # Every pixel is painted from the image: Qt need not clear the background first.
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        app = QtCore.QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.release_gl)

    # -- what GLViewMixin expects of its host ---------------------------------------------------
    def context(self) -> QtGui.QOpenGLContext | None:  # noqa: D102 - mixin's API
        return self._ctx

    def isValid(self) -> bool:  # noqa: N802 - the mixin's (Qt's) name
        """Whether the GL context exists (items are initialised at the next render anyway)."""
        return self._ctx is not None

    def addItem(self, item) -> None:  # noqa: N802 - the mixin's name
        """Add an item; it is initialised in the GL context at the next render."""
        self.items.append(item)
        item._setView(self)
        self.update()

    def makeCurrent(self) -> bool:  # noqa: N802 - Qt's name
        """Make the private context current (on its offscreen surface)."""
        return self._ensure_context() and self._ctx.makeCurrent(self._surface)

    def doneCurrent(self) -> None:  # noqa: N802 - Qt's name
        if self._ctx is not None:
            self._ctx.doneCurrent()

    distance_limits = (0.5, 12.0)
    """How near and how far the wheel takes the camera (the mesh is a unit square: nearer, it
    overflows the view; farther, it is a dot; 60 notches in showed only grid lines)."""
    fov_limits = (10.0, 120.0)  # (Ctrl + wheel widens or narrows the field of view)

    doubleClicked = QtCore.Signal()  # (the 3D view resets its camera)

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        event.accept()  # (Qt's default would take it as a press, and nothing else see it)
        self.doubleClicked.emit()

    def wheelEvent(self, event: QtGui.QWheelEvent) -> None:  # noqa: N802 - Qt's name
        super().wheelEvent(event)
        for key, (lo, hi) in (("distance", self.distance_limits), ("fov", self.fov_limits)):
            self.opts[key] = min(max(float(self.opts[key]), lo), hi)

    def update(self, *args) -> None:
        """Mark the scene changed and schedule a repaint (which renders it again)."""
        self._dirty = True
        self._export_frame = self._export_key = None  # (an export's picture is of the past)
        self._changes += 1
        super().update(*args)

    def update_overlay(self, region: QtGui.QRegion | None = None) -> None:
        """Schedule a repaint that reuses the rendered picture and redraws the overlay (within
        the box around ``region`` only, when given: what the overlay changed)."""
        if region is None:
            QtWidgets.QWidget.update(self)
        else:
            self.update_box(region.boundingRect())

    def last_frame(self) -> SceneFrame | None:
        """The picture the widget shows now, or None when the next paint renders a new one."""
        if self._dirty or self._frame is None or self._size_wrong():
            return None
        return self._frame

    # -- pictures -------------------------------------------------------------------------------
    def current_frame(self) -> SceneFrame | None:
        """The picture of the scene as it is now (rendered first if anything changed)."""
        if self._dirty or self._frame is None or self._size_wrong():
            self._render()
        return self._frame

    def compose(self, scale: float = 1.0) -> QtGui.QImage:
        """The scene as it is now with the overlay drawn on it (what the widget shows).

        ``scale`` > 1 renders it at that many times the screen's pixels, as a screen that
        much denser would show it: an export drawn larger keeps its lines, points and names
        in proportion and sharp (laid out at 3840 pixels, a 4K picture's paths were
        hairlines and its names 9 pixels tall; enlarged, it was blurred). That picture is
        kept apart from the screen's, for the next call while the scene stays as it is (an
        animation's frames: painting the window between them renders neither again).
        """
        scale = max(1.0, float(scale))
        if scale == 1.0:
            frame = self.current_frame()
        else:
            key = (self._changes, *self._device_size(scale))
            if self._export_key != key or self._export_frame is None:
                self._export_frame, self._export_key = self._render(scale), key
            frame = self._export_frame
        if frame is None:
            return QtGui.QImage()
        image = frame.image.copy()  # a copy that owns its pixels: the caller may keep it
        image.setDevicePixelRatio(frame.dpr)
        if self.overlay is not None:
            painter = QtGui.QPainter(image)
            try:
                self.overlay(painter, frame)
            finally:
                painter.end()
        return image

    def grabFramebuffer(self) -> QtGui.QImage:  # noqa: N802 - QOpenGLWidget's name
        """The picture as it is now, overlay included."""
        return self.compose()

    # -- rendering --------------------------------------------------------------------------
    def _ensure_context(self) -> bool:
        if self._ctx is not None:
            return True
        ctx = QtGui.QOpenGLContext()
        share = QtGui.QOpenGLContext.globalShareContext() or _shared_context()
        if share is not None:
            ctx.setShareContext(share)
        ctx.setFormat(QtGui.QSurfaceFormat.defaultFormat())
        if not ctx.create():
            return False
        surface = QtGui.QOffscreenSurface()
        surface.setFormat(ctx.format())
        surface.create()
        self._ctx, self._surface = ctx, surface
        return True

    def _device_size(self, scale: float = 1.0) -> tuple[int, int]:
        dpr = self.devicePixelRatioF() * scale
        return max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr))

    def render_ahead(self) -> None:
        """Draw a changed scene now, before the paint that shows it.

        Software GL (llvmpipe) rasterizes on its own threads, outside the GIL, once the
        drawing is flushed: while it does, the GUI thread goes on (recomputing the runs,
        painting the map), and the paint then only reads the finished picture back. Call it
        when the scene is complete (a new surface); a change or a resize after it is drawn
        again at the paint, as without it.
        """
        if self._dirty and self.isVisible():
            self._draw()

    def _draw(self, scale: float = 1.0) -> bool:
        """Draw the scene into the framebuffer, ``scale`` times the screen's pixels, and
        flush it (no read-back)."""
        from OpenGL import GL

        if not self.makeCurrent():
            return False
        w, h = self._device_size(scale)
        try:
            if self._fbo is None or (self._fbo.width(), self._fbo.height()) != (w, h):
                self._fbo = QtOpenGL.QOpenGLFramebufferObject(
                    w, h, QtOpenGL.QOpenGLFramebufferObject.Attachment.CombinedDepthStencil)
            self._fbo.bind()
            if not self._gl_initialized:
                self.initializeGL()  # the mixin: version check, VAO for core profiles
                self._gl_initialized = True
            for item in self.items:
                if not item.isInitialized():
                    item.initialize()
            GL.glViewport(0, 0, w, h)
            # The mixin works in logical pixels (its projection only uses the aspect ratio).
            region = (0, 0, self.width(), self.height())
            self.paint(region=region, viewport=region)
            proj = _matrix(self.currentProjection())
            mvp = proj @ _matrix(self.currentModelView())
            GL.glFlush()  # llvmpipe starts rasterizing now
            self._fbo.release()
        finally:
            self.doneCurrent()
        self._drawn = (self._changes, w, h, proj, mvp)
        return True

    def _render(self, scale: float = 1.0) -> SceneFrame | None:
        """Render the scene into the framebuffer (unless :meth:`render_ahead` has drawn it
        as it is), read colour and depth back (``None`` without GL): the screen's picture,
        or at ``scale`` > 1 an export's, which does not replace it."""
        from OpenGL import GL

        w, h = self._device_size(scale)
        drawn = self._drawn
        stale = drawn is None or drawn[:3] != (self._changes, w, h)
        if stale and not self._draw(scale):
            return None
        _, _, _, proj, mvp = self._drawn
        self._drawn = None
        if not self.makeCurrent():
            return None
        try:
            self._fbo.bind()
            # glReadPixels straight into numpy: QOpenGLFramebufferObject.toImage() converts and
            # flips through several intermediate images (most of a render's cost in software).
            GL.glPixelStorei(GL.GL_PACK_ALIGNMENT, 4)
            pixels = np.empty((h, w, 4), np.uint8)
            GL.glReadPixels(0, 0, w, h, GL.GL_BGRA, GL.GL_UNSIGNED_BYTE, pixels)
            depth = np.empty((h, w), np.float32)
            GL.glReadPixels(0, 0, w, h, GL.GL_DEPTH_COMPONENT, GL.GL_FLOAT, depth)
            self._fbo.release()
        finally:
            self.doneCurrent()
        # GL's rows run bottom-up: flip once here, so every paint is a plain, untransformed blit.
        pixels = np.ascontiguousarray(pixels[::-1])
        pixels[..., 3] = 255  # blending leaves alpha < 1 where the grid is drawn; RGB32 wants 255
        image = QtGui.QImage(pixels.data, w, h, 4 * w, QtGui.QImage.Format.Format_RGB32)
        dpr = self.devicePixelRatioF() * scale
        image.setDevicePixelRatio(dpr)
        self.render_count += 1
        frame = SceneFrame(
            image=image, depth=depth[::-1], mvp=mvp,
            near_far=(float(proj[2, 2]), float(proj[2, 3])),
            size=(float(self.width()), float(self.height())), dpr=dpr,
            serial=self.render_count, pixels=pixels)
        if self.decorate is not None:
            painter = QtGui.QPainter(image)  # (into the frame's own pixels)
            try:
                self.decorate(painter, frame)
            finally:
                painter.end()
        if scale == 1.0:  # (the screen's picture; an export's is kept by compose)
            self._frame, self._dirty = frame, False
            self.rendered.emit()
        return frame

    def projectionMatrix(self, region, viewport):  # noqa: N802 - the mixin's name
        """The mixin's perspective, its angle widened in a view wider than tall.

        pyqtgraph's ``fov`` is the horizontal angle: in a wide, short view (the 3D view
        below the map) the surface's top and bottom were cut off. Beyond the aspect of the
        scene as the camera first sees it (:data:`SCENE_ASPECT`), the view shows what one of
        that aspect and the same height would, and more at its sides.
        """
        w, h = viewport[2], viewport[3]
        base = self.opts["fov"]
        if not (h > 0 and w > SCENE_ASPECT * h):
            return super().projectionMatrix(region, viewport)
        widen = w / (SCENE_ASPECT * h)
        self.opts["fov"] = math.degrees(2 * math.atan(math.tan(math.radians(base / 2)) * widen))
        try:
            return super().projectionMatrix(region, viewport)
        finally:
            self.opts["fov"] = base

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt's name
        self.box_painted()
        frame = self.current_frame()
        painter = QtGui.QPainter(self)
        try:  # an overlay's error must not leave the painter open (Qt aborts on that)
            if frame is not None:
                painter.drawImage(QtCore.QPointF(0, 0), frame.image)
                self._fill_past(painter, frame.image)
                if self.overlay is not None:
                    self.overlay(painter, frame)
            else:
                painter.fillRect(self.rect(), QtGui.QColor("white"))
        finally:
            painter.end()

    def _fill_past(self, painter: QtGui.QPainter, image: QtGui.QImage) -> None:
        """The strips of the view right of and below ``image`` in its background colour:
        at 150 % a view starting at a half pixel covers one device pixel more than its
        picture (rounded from its width), and that column stayed black."""
        dpr = image.devicePixelRatio() or 1.0
        w, h = image.width() / dpr, image.height() / dpr
        if w >= self.width() and h >= self.height():
            return
        ground = image.pixelColor(image.width() - 1, 0)  # (the scene's background)
        painter.fillRect(QtCore.QRectF(w, 0, self.width() - w + 1, self.height() + 1), ground)
        painter.fillRect(QtCore.QRectF(0, h, self.width() + 1, self.height() - h + 1), ground)

    def _size_wrong(self) -> bool:
        w, h = self._device_size()
        return (self._frame.image.width(), self._frame.image.height()) != (w, h)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self._dirty = True
        super().resizeEvent(event)

    def release_gl(self) -> None:
        """Free the framebuffer while its context can still be made current."""
        self._drawn = None  # (what render_ahead drew is gone with it)
        if self._fbo is not None and self.makeCurrent():
            self._fbo = None
            self.doneCurrent()
        self._fbo = None


_SHARED: list = []  # the process's own context to share with, made once (see _shared_context)


def _shared_context() -> QtGui.QOpenGLContext | None:
    """A context every 3D view shares with where the application has no global one (a
    QApplication made without ``AA_ShareOpenGLContexts``, as a script or notebook makes it
    before ``MainWindow``): pyqtgraph keeps its shader programs per process, and a second
    window's view, in a context of its own, drew nothing ("GLError 1281 glUseProgram")."""
    if not _SHARED:
        ctx = QtGui.QOpenGLContext()
        ctx.setFormat(QtGui.QSurfaceFormat.defaultFormat())
        _SHARED.append(ctx if ctx.create() else None)
    return _SHARED[0]
