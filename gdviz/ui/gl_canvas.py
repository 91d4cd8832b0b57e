"""A 3D view drawn offscreen: pyqtgraph's GL scene rendered into a framebuffer, shown as an image.

Why not pyqtgraph's ``GLViewWidget``: it is a ``QOpenGLWidget``, and a single ``QOpenGLWidget``
makes Qt compose the *whole* top-level window through OpenGL on every repaint. With software
OpenGL (llvmpipe: a teacher's laptop without a GPU driver, any virtual machine, CI) that
composition costs tens of milliseconds per frame even when only a 2D view changed. Here the
scene is rendered into an offscreen framebuffer only when the 3D scene itself changed, and the
widget paints the resulting image like any raster widget: the window stays a plain raster
window, ``QWidget.grab()`` sees the 3D picture, and hidden (``--export``) windows work too.
"""

from __future__ import annotations

from pyqtgraph.opengl.GLViewWidget import GLViewMixin
from PySide6 import QtOpenGL

from gdviz.ui.qt import QtCore, QtGui, QtWidgets


class OffscreenGLView(GLViewMixin, QtWidgets.QWidget):
    """pyqtgraph's 3D scene (items, camera, mouse controls) without a ``QOpenGLWidget``.

    The scene is re-rendered on the next paint after :meth:`update` (which items and camera
    moves call); other repaints (an overlapping window moved, the splitter dragged over it)
    reuse the last picture.
    """

    rendered = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        self._ctx: QtGui.QOpenGLContext | None = None
        self._surface: QtGui.QOffscreenSurface | None = None
        self._fbo = None
        self._image: QtGui.QImage | None = None
        self._dirty = True
        self._gl_initialized = False
        self.render_count = 0
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

    def update(self, *args) -> None:
        """Mark the scene changed and schedule a repaint (which renders it again)."""
        self._dirty = True
        super().update(*args)

    def grabFramebuffer(self) -> QtGui.QImage:  # noqa: N802 - QOpenGLWidget's name
        """The scene as it is now, rendered afresh."""
        image = self._render()
        return QtGui.QImage(image) if image is not None else QtGui.QImage()

    # -- rendering --------------------------------------------------------------------------
    def _ensure_context(self) -> bool:
        if self._ctx is not None:
            return True
        ctx = QtGui.QOpenGLContext()
        share = QtGui.QOpenGLContext.globalShareContext()
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

    def _device_size(self) -> tuple[int, int]:
        dpr = self.devicePixelRatioF()
        return max(1, round(self.width() * dpr)), max(1, round(self.height() * dpr))

    def _render(self) -> QtGui.QImage | None:
        """Render the scene into the framebuffer and read it back (``None`` without GL)."""
        from OpenGL import GL

        if not self.makeCurrent():
            return None
        w, h = self._device_size()
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
            image = self._fbo.toImage()
            self._fbo.release()
        finally:
            self.doneCurrent()
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self._image = image
        self._dirty = False
        self.render_count += 1
        self.rendered.emit()
        return image

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802 - Qt's name
        if self._dirty or self._image is None or self._image_size_wrong():
            self._render()
        painter = QtGui.QPainter(self)
        if self._image is not None:
            painter.drawImage(QtCore.QPointF(0, 0), self._image)
        else:
            painter.fillRect(self.rect(), QtGui.QColor("white"))
        painter.end()

    def _image_size_wrong(self) -> bool:
        w, h = self._device_size()
        return (self._image.width(), self._image.height()) != (w, h)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt's name
        self._dirty = True
        super().resizeEvent(event)

    def release_gl(self) -> None:
        """Free the framebuffer while its context can still be made current."""
        if self._fbo is not None and self.makeCurrent():
            self._fbo = None
            self.doneCurrent()
        self._fbo = None
