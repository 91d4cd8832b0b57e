"""What keeps a playback frame cheap (issue 6), checked by what happens, not by timing.

* The window is a raster window: no ``QOpenGLWidget`` (which would make Qt compose the whole
  window through OpenGL on every repaint); the 3D picture is rendered offscreen, and still
  appears in the window, in ``grab()`` and in exports.
* A frame repaints each view at most once and never re-lays out the main window.
* The map paints a frame from cached layers: only the runs' new path segments are drawn.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtOpenGLWidgets, QtTest, QtWidgets

from gdviz.ui.steady_label import SteadyLabel


class EventCounter(QtCore.QObject):
    """Counts paint and layout-request events per watched object."""

    def __init__(self) -> None:
        super().__init__()
        self.paints: dict[str, int] = {}
        self.layouts: dict[str, int] = {}
        self.names: dict[int, str] = {}

    def watch(self, obj: QtCore.QObject, name: str) -> None:
        self.names[id(obj)] = name
        obj.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        name = self.names.get(id(obj))
        if name is not None:
            if event.type() == QtCore.QEvent.Type.Paint:
                self.paints[name] = self.paints.get(name, 0) + 1
            elif event.type() == QtCore.QEvent.Type.LayoutRequest:
                self.layouts[name] = self.layouts.get(name, 0) + 1
        return False


def settle(app, rounds: int = 8) -> None:
    for _ in range(rounds):
        app.processEvents()


def non_white_fraction(image: QtGui.QImage) -> float:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(h, image.bytesPerLine())
    rgb = data[:, : 4 * w].reshape(h, w, 4)[..., :3].astype(int)
    return float(np.mean(rgb.sum(axis=2) < 3 * 235))


def test_the_window_has_no_opengl_widget_yet_shows_the_surface(window, qapp):
    assert window.findChildren(QtOpenGLWidgets.QOpenGLWidget) == []
    surface = window.surface
    assert surface.gl_ok, surface.message.text()
    settle(qapp)
    assert surface.view.render_count >= 1
    # The 3D picture is in the widget's own rendering and in a grab of the whole window.
    assert non_white_fraction(surface.grab_image()) > 0.05
    whole = window.grab().toImage()
    top_left = surface.mapTo(window, QtCore.QPoint(0, 0))
    dpr = whole.devicePixelRatio()
    part = whole.copy(QtCore.QRect(round(top_left.x() * dpr), round(top_left.y() * dpr),
                                   round(surface.width() * dpr), round(surface.height() * dpr)))
    assert non_white_fraction(part) > 0.05


def test_the_surface_renders_again_only_when_the_scene_changes(window, qapp):
    view = window.surface.view
    settle(qapp)
    before = view.render_count
    view.repaint()  # an expose without a change reuses the picture
    assert view.render_count == before
    view.setCameraPosition(azimuth=10)
    settle(qapp)
    assert view.render_count == before + 1


def test_a_frame_paints_each_view_once_and_never_relayouts_the_window(window, qapp):
    c = window.controller
    counter = EventCounter()
    counter.watch(window, "window")
    counter.watch(window.contour, "map")
    counter.watch(window.loss_plot, "loss_plot")
    slice_plot = window.findChild(QtWidgets.QWidget, "sliceView").plot_widget
    counter.watch(slice_plot, "slice")  # a canvas paints itself (no viewport)
    c.set_iteration(1)
    settle(qapp)
    for k in (2, 3, 5, 8):
        counter.paints.clear()
        counter.layouts.clear()
        c.set_iteration(k)
        settle(qapp)
        assert counter.layouts.get("window", 0) == 0, k
        for view in ("map", "loss_plot", "slice"):
            assert counter.paints.get(view, 0) == 1, (k, view, counter.paints)


def test_a_playback_frame_draws_only_new_path_segments(window, qapp):
    c = window.controller
    view = window.contour
    c.set_iteration(2)
    settle(qapp)
    static, rebuilds = view.static_renders, view.runs.trail_rebuilds
    for k in (3, 4, 5, 9):
        c.set_iteration(k)
        settle(qapp)
    # Moving forward repaints neither the heatmap layer nor the paths drawn so far.
    assert view.static_renders == static
    assert view.runs.trail_rebuilds == rebuilds
    x, _ = view.run_items[0]["path"].getData()
    assert len(x) == 10
    c.set_iteration(4)  # a step back must draw the shorter path from scratch
    settle(qapp)
    assert view.runs.trail_rebuilds == rebuilds + 1
    assert len(view.run_items[0]["path"].getData()[0]) == 5


def test_the_map_draws_the_path_where_the_run_went(window, qapp):
    c = window.controller
    window.apply_loss_text("x^2 + 3y^2")  # long first steps, well apart on screen
    window.wait_idle()
    traj = c.runs[0].trajectory
    k = min(40, len(traj.points) - 1)
    window.contour.fit(((-0.8, 0.8), (-0.4, 0.4)))  # zoomed in: steps far apart on screen
    window.view_options.arrows.setChecked(False)  # only the paths: no arrows, no slice line
    c.set_iteration(k)
    settle(qapp)
    window.contour.set_slice_line(None, 0.0)
    settle(qapp)
    image = window.contour.grab().toImage()
    color = QtGui.QColor(c.runs[0].spec.color)
    # Half-way along a long step the line is drawn in the run's colour (the dots, with their
    # white rings, sit on the points themselves).
    checked = hits = 0
    for j in range(k):
        p0, p1 = (window.contour.data_to_point(*traj.points[i]) for i in (j, j + 1))
        mid = (p0 + p1) / 2
        near_now = QtCore.QLineF(mid, window.contour.data_to_point(*traj.points[k])).length()
        if (QtCore.QLineF(p0, p1).length() < 16 or near_now < 20
                or not window.contour.plot_rect().adjusted(20, 20, -20, -20).contains(mid)):
            continue
        checked += 1
        seen = QtGui.QColor(image.pixel(round(mid.x()), round(mid.y())))
        if max(abs(seen.red() - color.red()), abs(seen.green() - color.green()),
               abs(seen.blue() - color.blue())) < 60:
            hits += 1
    assert checked >= 1 and hits >= 0.8 * checked, (hits, checked)


@pytest.mark.parametrize("wrap", [True, False])
def test_steady_label_asks_for_a_layout_only_when_its_size_must_change(qtbot, wrap):
    host = QtWidgets.QWidget()
    qtbot.addWidget(host)
    layout = QtWidgets.QVBoxLayout(host)
    label = SteadyLabel("slope = 0.1404", object_name="probe", word_wrap=wrap)
    layout.addWidget(label)
    host.resize(220, 200)
    host.show()
    assert QtTest.QTest.qWaitForWindowExposed(host)
    settle(QtWidgets.QApplication.instance())  # the first layout, at the real width
    counter = EventCounter()
    counter.watch(host, "host")
    label.setText("slope = 0.1405")  # same size: repaint only
    settle(QtWidgets.QApplication.instance())
    assert counter.layouts.get("host", 0) == 0
    assert host.findChild(QtWidgets.QLabel, "probe").text() == "slope = 0.1405"
    height, width = label.sizeHint().height(), label.sizeHint().width()
    label.setText("a much longer text that cannot fit in one line of a narrow dock " * 2)
    settle(QtWidgets.QApplication.instance())
    assert counter.layouts.get("host", 0) >= 1
    if wrap:
        assert label.sizeHint().height() > height
        assert label.height() > height  # the layout gave it the room
    else:
        assert label.sizeHint().width() > width


def test_the_runs_list_is_painted_with_the_views_not_after_them(window, qtbot):
    # The list laid its items out from a timer, after the window had painted the views:
    # a second pass over the window for every loss edit.
    panel = window.runs_panel
    c = window.controller
    passes = UpdateRequests(window)
    counter = EventCounter()
    counter.watch(panel.list.viewport(), "list")
    for lr in (0.05, 0.02, 0.01):
        settle(QtWidgets.QApplication.instance())
        counter.paints.clear()
        passes.count = 0
        c.runs[0].spec.lr = lr  # a new title
        window.contour.update()  # as in an edit: the window's repaint is asked for first
        panel.set_runs(c.runs, c.selected)
        settle(QtWidgets.QApplication.instance())
        assert counter.paints == {"list": 1}, lr
        assert passes.count == 1, lr


class UpdateRequests(QtCore.QObject):
    """Counts the window's repaint passes (its UpdateRequest events)."""

    def __init__(self, window: QtWidgets.QWidget) -> None:
        super().__init__(window)
        self.count = 0
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QtCore.QEvent.Type.UpdateRequest:
            self.count += 1
        return False


def _wrapped_label(qtbot, text: str, size: tuple[int, int]):
    """A wrapped SteadyLabel named "probe" at the top of a shown widget of ``size``:
    (host, label, the inner QLabel)."""
    host = QtWidgets.QWidget()
    qtbot.addWidget(host)
    layout = QtWidgets.QVBoxLayout(host)
    label = SteadyLabel(text, object_name="probe", word_wrap=True)
    layout.addWidget(label)
    layout.addStretch(1)
    host.resize(*size)
    host.show()
    assert QtTest.QTest.qWaitForWindowExposed(host)
    return host, label, host.findChild(QtWidgets.QLabel, "probe")


def test_a_wrapped_steady_label_always_gets_the_lines_its_text_needs(qtbot):
    host, label, inner = _wrapped_label(qtbot, "w2 = 0.2", (260, 400))
    words = ["<b style='color:#7B3294'>w2 = 0.123</b>", "is", "held", "constant:", "the",
             "curve", "is", "f(w1,", "<b>0.5</b>),", "a", "function", "of", "w1", "alone."]
    for n in range(1, len(words) + 1):
        for text in (" ".join(words[:n]), " ".join(reversed(words[:n]))):
            label.setText(text)
            settle(QtWidgets.QApplication.instance())
            need = inner.heightForWidth(inner.width())
            assert label.height() >= need, (text, label.height(), need)
    # A larger font (presentation mode) is measured afresh.
    font = host.font()
    font.setPointSize(font.pointSize() * 2)
    host.setFont(font)
    label.setText(" ".join(words))
    settle(QtWidgets.QApplication.instance())
    assert label.height() >= inner.heightForWidth(inner.width())


def test_a_wrapped_steady_label_made_empty_gets_a_whole_line_for_its_first_text(qtbot):
    # The Gradient tab's angle line: made empty, its type enlarged (the tabs' own size),
    # then given one line of text, which was clipped to the empty text's height.
    host, label, inner = _wrapped_label(qtbot, "", (700, 300))
    font = host.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    host.setFont(font)
    settle(QtWidgets.QApplication.instance())
    label.setText("angle between ∇f and the contour: <b>90.0°</b>")
    settle(QtWidgets.QApplication.instance())
    assert label.height() >= inner.heightForWidth(inner.width()) > 0


def test_path_dots_copied_from_sprites_land_where_drawn_dots_would(painted):
    from gdviz.ui.map_markers import dot, pen

    def render(draw) -> np.ndarray:  # brightness per pixel
        return painted(draw, 40, 40, "black").sum(axis=-1).astype(float)

    def centre(weights: np.ndarray) -> np.ndarray:
        rows, cols = np.mgrid[:40, :40]
        return np.array([(weights * cols).sum(), (weights * rows).sum()]) / weights.sum()

    for x, y in np.random.default_rng(1).random((20, 2)) * 10 + 15:
        copied = render(lambda p, x=x, y=y: dot(p, "#E69F00", x, y, 1.0))

        def drawn(p, x=x, y=y):
            for ring_or_dot in (pen("white", 6.6), pen("#E69F00", 5.0)):
                p.setPen(ring_or_dot)
                p.drawPoint(QtCore.QPointF(x, y))

        shape = render(drawn)
        assert np.abs(centre(copied) - centre(shape)).max() < 0.15
        assert abs(copied.sum() - shape.sum()) < 0.05 * shape.sum()  # as large and bright


class RegionRecorder(QtCore.QObject):
    """The regions of a widget's paint events."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.regions: list[QtGui.QRegion] = []
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QtCore.QEvent.Type.Paint:
            self.regions.append(QtGui.QRegion(event.region()))
        return False


def test_a_frame_repaints_only_the_loss_plots_marker_strips(window, qapp):
    c, plot = window.controller, window.loss_plot
    c.set_iteration(3)
    settle(qapp)
    x_old = float(plot.data_to_px(3, 0.0)[0])
    seen = RegionRecorder(plot)
    c.set_iteration(8)
    settle(qapp)
    assert plot.marker.value() == 8 and seen.regions
    x_new = float(plot.data_to_px(8, 0.0)[0])
    # One box from the old line to the new one (one rectangle: see PlotCanvas.update_box),
    # the height of the plot, not the axes around it.
    (box,) = list(seen.regions[-1])
    assert box.width() <= abs(x_new - x_old) + 12
    assert box.height() <= plot.plot_rect().height() + 8
    # The strips hold the old line (erased) and the new one: the screen now shows exactly
    # what a full repaint shows.
    shown = plot.screen().grabWindow(window.winId(), *plot.mapTo(window, QtCore.QPoint(0, 0))
                                     .toTuple(), plot.width(), plot.height()).toImage()
    full = plot.grab().toImage()
    a = shown.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    b = full.convertToFormat(QtGui.QImage.Format.Format_RGB32).scaled(a.size())
    assert a == b


def test_a_frame_repaints_only_the_strip_of_the_slider_its_handle_crossed(window, qapp):
    """The iteration slider is as wide as the window; a frame moves its handle a pixel or
    two, and repaints that strip (the whole slider cost 0.4 ms of every frame)."""
    c, slider = window.controller, window.playback.iteration
    assert c.max_iteration >= 20
    c.set_iteration(3)
    settle(qapp)
    seen = RegionRecorder(slider)
    c.set_iteration(5)
    settle(qapp)
    assert slider.value() == 5 and seen.regions
    box = seen.regions[-1].boundingRect()
    assert box.width() < slider.width() / 4, (box, slider.width())
    assert box.height() == slider.height()
    # after frames forward, back, a jump, a new range: the screen shows a full repaint's
    for k in (6, 7, 9, 8, 3, c.max_iteration, 1, 2):
        c.set_iteration(k)
        settle(qapp)
    slider.setMaximum(slider.maximum() + 7)  # (as a longer run would)
    settle(qapp)
    corner = slider.mapTo(window, QtCore.QPoint(0, 0))
    shown = slider.screen().grabWindow(window.winId(), corner.x(), corner.y(),
                                       slider.width(), slider.height()).toImage()
    fmt = QtGui.QImage.Format.Format_RGB32
    full = slider.grab().toImage().convertToFormat(fmt).scaled(shown.size())
    assert shown.convertToFormat(fmt) == full
    slider.setMaximum(c.max_iteration)
    settle(qapp)


def test_after_partial_frames_the_screen_shows_what_a_full_repaint_shows(window, qapp):
    """The dirty boxes of the map, the 3D view, the lecture plots and the readouts miss
    nothing (a run at rest among them too: its box and its row are left out)."""
    from gdviz.ui.run import RunSpec

    c = window.controller
    c.add_run()
    c.set_start(1, 1.0, -1.0)
    c.add_run(RunSpec(optimizer="gd", lr=0.1, steps=4, start=(-1.0, 1.0)))
    window.wait_idle()
    assert len(c.runs[2].trajectory.points) == 5
    c.set_iteration(1)
    settle(qapp)
    for k in (2, 3, 5, 9, 10, 17):
        c.set_iteration(k)
        settle(qapp)
    # The map's paths are drawn on a copy of its static picture; a new picture (here forced;
    # a colour scale or field change does it) must carry the paths drawn so far.
    assert window.contour.frame_covers_static()
    window.contour.invalidate()
    settle(qapp)
    for k in (18, 19):
        c.set_iteration(k)
        settle(qapp)
    fmt = QtGui.QImage.Format.Format_RGB32
    for view in (window.contour, window.surface.view, window.loss_plot,
                 window.derivatives.views["Slice"].plot_widget, window.readouts.table):
        corner = view.mapTo(window, QtCore.QPoint(0, 0))
        shown = view.screen().grabWindow(window.winId(), corner.x(), corner.y(),
                                         view.width(), view.height()).toImage()
        full = view.grab().toImage()
        a = _rgb(shown.convertToFormat(fmt))
        b = _rgb(full.convertToFormat(fmt).scaled(shown.size()))
        # (a path drawn piece by piece may differ by a shade where pieces join)
        stale = np.abs(a - b).max(axis=-1) > 48
        assert not stale.any(), (view.objectName() or type(view).__name__,
                                 np.argwhere(stale)[:5].tolist())


def _rgb(image: QtGui.QImage) -> np.ndarray:
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return data[:, : 4 * w].reshape(h, w, 4)[..., :3].astype(int)


def test_a_run_far_off_the_map_gets_bounded_repaint_boxes(window, qapp):
    layer = window.contour.runs
    state = layer.states[0]
    assert state.trajectory is not None
    state.current = (1e15, -1e15)  # a diverged run, pixels beyond any int
    layer.geometry_changed()
    rects = layer.frame_rects()
    assert rects and all(abs(r.left()) < 2**31 and abs(r.bottom()) < 2**31 for r in rects)


def test_markers_far_off_or_not_finite_are_skipped(qapp):
    from gdviz.ui.map_markers import dot, marker

    image = QtGui.QImage(40, 40, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("black"))
    p = QtGui.QPainter(image)
    try:  # (an open painter left by a failure would crash the test run)
        for x, y in ((1e304, 5.0), (math.inf, 5.0), (5.0, -math.inf), (math.nan, 5.0)):
            dot(p, "#E69F00", x, y, 1.0)
            marker(p, "current", "#E69F00", x, y, 1.0, False)
            marker(p, "start", "#E69F00", x, y, 1.0, True)
    finally:
        p.end()
    assert _rgb(image).max() == 0  # nothing drawn, nothing raised


def test_a_new_static_picture_of_the_map_carries_the_paths(window, qapp):
    """The map's paths are drawn on a copy of its static picture: when the picture changes,
    the paths must be drawn again on the new one."""
    c, view = window.controller, window.contour
    for k in (1, 5, 9):
        c.set_iteration(k)
        settle(qapp)
    assert view.frame_covers_static()
    # New static data, as redraw_data draws it (no re-layout, no rebuild asked for).
    paint_data = view.paint_data

    def with_a_patch(p):
        paint_data(p)
        p.fillRect(view.plot_rect().adjusted(10, 10, -200, -200), QtGui.QColor("red"))

    view.paint_data = with_a_patch
    view.redraw_data()
    settle(qapp)
    c.set_iteration(12)
    settle(qapp)
    fmt = QtGui.QImage.Format.Format_RGB32
    shown = _rgb(view.grab().toImage().convertToFormat(fmt))
    fresh = _rgb(view.render_image(view.devicePixelRatioF()).convertToFormat(fmt))
    # (exports draw markers as shapes, not sprites: a shade apart at their edges)
    stale = np.abs(shown - fresh).max(axis=-1) > 100
    assert stale.mean() < 0.002, stale.sum()


def test_a_long_loss_curve_is_drawn_from_what_its_pixel_columns_show(qapp):
    """A 100,000-step run's loss curve took 130 ms to stroke as it arrived (the window
    stalled): each pixel column's first, lowest, highest and last point cover the same
    pixels, at most four a column."""
    from gdviz.ui.canvas.polygons import column_envelope

    rng = np.random.default_rng(1)
    x = np.linspace(10.0, 410.0, 100_000)  # 400 columns
    y = 200 + 50 * np.sin(x / 30) + 20 * rng.standard_normal(x.size)  # (noisy: zigzags)
    pts = np.column_stack([x, y])
    kept = column_envelope(pts)
    cols = np.floor(kept[:, 0])
    assert len(kept) <= 4 * len(np.unique(np.floor(x)))
    assert np.all(np.diff(kept[:, 0]) >= 0)  # (in the curve's order)
    assert kept[0].tolist() == pts[0].tolist() and kept[-1].tolist() == pts[-1].tolist()
    for c in np.unique(np.floor(x))[::37]:  # each column keeps its lowest and highest point
        inside = np.floor(x) == c
        assert kept[cols == c, 1].min() == y[inside].min()
        assert kept[cols == c, 1].max() == y[inside].max()

    def drawn(points) -> QtGui.QImage:
        image = QtGui.QImage(420, 400, QtGui.QImage.Format.Format_RGB32)
        image.fill(QtGui.QColor("white"))
        painter = QtGui.QPainter(image)
        painter.setPen(QtGui.QPen(QtGui.QColor("black"), 1.0))
        painter.drawPolyline(QtGui.QPolygonF([QtCore.QPointF(a, b) for a, b in points]))
        painter.end()
        return image

    whole, envelope = drawn(pts), drawn(kept)
    inked = [np.frombuffer(img.constBits(), np.uint8).reshape(400, 420, 4)[..., 0] < 128
             for img in (whole, envelope)]
    assert (inked[0] != inked[1]).mean() < 0.002  # (the same pixels, but for rounding)
    short = pts[:300]  # about a point a column already: left as it is
    assert len(column_envelope(short[::100])) == 3


def test_the_loss_plot_strokes_a_long_curve_from_its_columns(qtbot, monkeypatch):
    from types import SimpleNamespace

    import gdviz.ui.loss_plot as loss_plot_module

    strokes = []
    real = loss_plot_module.stroke_polyline
    monkeypatch.setattr(loss_plot_module, "stroke_polyline",
                        lambda p, pts, pen: (strokes.append(len(pts)), real(p, pts, pen)))
    plot = loss_plot_module.LossPlot()
    qtbot.addWidget(plot)
    plot.resize(500, 300)
    plot.show()
    losses = 1 + np.random.default_rng(2).random(100_000)
    run = SimpleNamespace(trajectory=SimpleNamespace(losses=losses, status="max_steps"),
                          spec=SimpleNamespace(visible=True, color="#0072B2"))
    plot.set_runs([run])
    plot.grab()
    assert strokes and max(strokes) <= 4 * plot.width(), strokes


def _ink(points, draw) -> np.ndarray:
    image = QtGui.QImage(300, 200, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    draw(painter, points)
    painter.end()
    return np.frombuffer(image.constBits(), np.uint8).reshape(200, 300, 4)[..., 0] < 128


def test_a_converged_or_bouncing_path_is_drawn_from_its_distinct_pixels(qapp):
    """7 runs of 20,000 steps took 75 ms to stroke on the map and 31 ms as segments when the
    comparison arrived: a converged run repeats its point thousands of times, a run bouncing
    across a valley crosses the same pixels again and again."""
    from gdviz.ui.canvas.polygons import stroke_polyline, thin_path

    rng = np.random.default_rng(4)
    approach = np.column_stack([np.linspace(20, 150, 200), np.linspace(30, 100, 200)])
    settled = np.repeat([[150.0, 100.0]], 20_000, axis=0) + 1e-3 * rng.random((20_000, 2))
    path = np.vstack([approach, settled])
    thin = thin_path(path)
    assert len(thin) < 400 and thin[0].tolist() == path[0].tolist()
    assert thin[-1].tolist() == path[-1].tolist()
    pen = QtGui.QPen(QtGui.QColor("black"), 2.5)
    whole = _ink(path, lambda p, pts: stroke_polyline(p, pts, pen))
    assert (whole != _ink(thin, lambda p, pts: stroke_polyline(p, pts, pen))).mean() < 0.002
    # Bouncing between two points (drawn as separate segments): each drawn once
    bounce = np.array([[40.0, 50.0], [260.0, 150.0]] * 5_000)
    lines = []

    class Recording:
        def __getattr__(self, name):
            return getattr(self.real, name)

        def drawLines(self, polygon):  # noqa: N802 - Qt's name
            lines.append(polygon.size())
            self.real.drawLines(polygon)

    def draw(p, pts):
        recorder = Recording()
        recorder.real = p
        stroke_polyline(recorder, pts, pen)

    assert _ink(bounce, draw).any() and lines and max(lines) <= 4, lines


@pytest.mark.parametrize("width", range(300, 480, 6))
def test_a_wrapped_label_takes_the_lines_its_unbroken_parts_need(qapp, width):
    """The Slice tab's "tangent slope = ∂f/∂x at (0.1270, 0.2436) = −0.5100  (falling
    gently)", its point held whole, wrapped onto a third line, clipped: the estimate of its
    lines summed its characters' advances, as if it could break anywhere (from a QA round)."""
    label = SteadyLabel("tangent slope = ∂f/\u2060∂x at (0.5,\u00a00.5) = 0.25  (rising)",
                        word_wrap=True)
    font = label.font()
    font.setPixelSize(17)  # (the lecture tabs' type)
    label.setFont(font)
    label.resize(width, 40)
    label.show()
    qapp.processEvents()
    for text in ("tangent slope = ∂f/\u2060∂x at (0.1270,\u00a00.2436) = −0.5100  (falling "
                 "gently)", "tangent slope = ∂f/\u2060∂x at (−0.5,\u00a00.2) = 0.1404  "
                 "(rising)"):
        label.setText(text)
        need = label._label.heightForWidth(label.width())
        # (never fewer lines than it needs; one more is the estimate's slack, kept steady)
        assert label.sizeHint().height() >= need, (text, label.width())
    label.close()


def test_a_frame_repaints_no_run_that_has_stopped(window, qapp):
    """Runs at rest (converged, or out of steps) are drawn as the last frame left them: a
    frame's repaint box leaves them out (seven compared runs, six at rest, repainted all
    seven each frame), and the screen still shows what a full repaint shows."""
    from gdviz.ui.run import RunSpec

    c, view = window.controller, window.contour
    window.load_preset("himmelblau")
    window.wait_idle()
    c.add_run(RunSpec(optimizer="gd", lr=0.01, steps=5, start=(-1.0, 1.0)))
    window.wait_idle()
    short, long_ = c.runs[1].trajectory, c.runs[0].trajectory
    assert len(short.points) == 6 < len(long_.points) - 4
    c.set_iteration(3)
    settle(qapp)
    c.set_iteration(7)  # the short run reaches its end: its last move is repainted
    settle(qapp)
    arrows = []
    for k in (8, 9):
        c.set_iteration(k)
        arrows.append(view.runs.states[1].arrows)  # (worked out once: the same each frame)
        rects = view.runs.frame_rects(pieces=True)
        x, y = (float(v) for v in view.data_to_px(*short.points[-1]))
        assert rects and not any(r.contains(round(x), round(y)) for r in rects), (k, x, y)
        gx, gy = (float(v) for v in view.data_to_px(*long_.points[k]))
        assert any(r.contains(round(gx), round(gy)) for r in rects)
        settle(qapp)
    assert arrows[0] and arrows[1] is arrows[0]
    # A run changed from outside a frame (its point moved) is repainted again.
    view.runs.geometry_changed()
    rects = view.runs.frame_rects(pieces=True)
    assert any(r.contains(round(x), round(y)) for r in rects)


def test_the_map_lets_go_of_replaced_paths_and_keys_off_arrows_only_when_shown(window, qapp):
    """The arrows kept per run held every path a run had had (η dragged); the keys keep
    off the start's ∇f arrow only where arrows are drawn."""
    import gc
    import weakref

    c, view = window.controller, window.contour
    gone = []
    for lr in (0.2, 0.25, 0.3, 0.35):
        gone.append(weakref.ref(c.runs[0].trajectory))
        c.update_run(0, lr=lr)
        window.wait_idle()
        c.set_iteration(10 ** 6)
        settle(qapp)
    gc.collect()
    assert all(ref() is None for ref in gone)
    assert len(view._arrows_at) == len(c.runs)
    shown = len(view.runs.landmarks()[0])
    view.runs.arrows_shown = False
    assert len(view.runs.landmarks()[0]) == shown - 5  # (a shaft's three points, two barbs)
