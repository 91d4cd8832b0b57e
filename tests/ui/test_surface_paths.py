"""The 3D view draws the runs over a cached GL picture (issue 6).

A playback frame must not render the GL scene; the paths it draws with QPainter must land where
GL would draw them, be hidden behind hills, and appear in grabs. These tests run the real GL
scene (Xvfb + Mesa), not a mock.
"""

from __future__ import annotations

import math
import statistics
import time
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtTest

from gdviz.core.grid import Grid
from gdviz.ui.path_projection import mesh_heights
from gdviz.ui.surface_view import SurfaceView

RED = "#ff0000"


def pixels(image: QtGui.QImage) -> np.ndarray:
    """``(h, w, 3)`` RGB copy of ``image`` (device pixels)."""
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return data[:, : 4 * w].reshape(h, w, 4)[..., 2::-1].copy()


def is_color(rgb: np.ndarray, color: str, tol: int = 40) -> np.ndarray:
    c = QtGui.QColor(color)
    want = np.array([c.red(), c.green(), c.blue()])
    return (np.abs(rgb.astype(int) - want) <= tol).all(axis=-1)


def hill(n: int = 128, hole: bool = False) -> tuple[Grid, np.ndarray]:
    """A round hill of height 1 in the middle of [-1, 1]² (a NaN hole at a corner if asked)."""
    a = np.linspace(-1.0, 1.0, n)
    b = np.linspace(-1.0, 1.0, n)
    values = np.exp(-4.0 * (a[None, :] ** 2 + b[:, None] ** 2))
    if hole:
        values[(a[None, :] > 0.5) & (b[:, None] < -0.5)] = np.nan
    return Grid(a=a, b=b, values=values, domain=((-1.0, 1.0), (-1.0, 1.0))), values


def run_along(points: np.ndarray, color: str = RED, visible: bool = True):
    """A run (as the window holds one) following ``points`` on the hill."""
    points = np.asarray(points, dtype=float)
    losses = np.exp(-4.0 * (points ** 2).sum(axis=1))
    traj = SimpleNamespace(points=points, losses=losses)
    return SimpleNamespace(spec=SimpleNamespace(visible=visible, color=color), trajectory=traj)


@pytest.fixture
def view(surface_view_of):
    """A shown 3D view of the hill, 420×360."""
    return surface_view_of(*hill())


def settle(rounds: int = 6) -> None:
    for _ in range(rounds):
        QtCore.QCoreApplication.processEvents()


def behind_the_hill_camera(surface: SurfaceView) -> None:
    # Looking along +y, low: the hill at the centre hides the far side's middle, while both
    # ends of a path across the far side (|a| > 0.85) stay clearly in sight.
    surface.view.setCameraPosition(distance=1.9, elevation=14, azimuth=-90)
    settle()


def red_near(image: np.ndarray, frame, point: np.ndarray, reach: int = 1) -> bool:
    """Whether the run's red is within ``reach`` device pixels of a projected point."""
    x, y = (np.asarray(point) * frame.dpr).round().astype(int)
    return bool(is_color(image[y - reach : y + reach + 1, x - reach : x + reach + 1], RED).any())


def grown(mask: np.ndarray, steps: int) -> np.ndarray:
    """``mask`` dilated by ``steps`` pixels (4-neighbourhood)."""
    out = mask.copy()
    for _ in range(steps):
        out[1:] |= out[:-1].copy()
        out[:-1] |= out[1:].copy()
        out[:, 1:] |= out[:, :-1].copy()
        out[:, :-1] |= out[:, 1:].copy()
    return out


def test_projection_matches_where_gl_draws_a_marker(view):
    import pyqtgraph.opengl as gl

    view.view.setCameraPosition(distance=2.1, elevation=35, azimuth=-40)
    # Above the hill's top (0.6): nothing can hide the markers from a camera above them.
    for point in ([0.3, -0.2, 0.7], [-0.35, 0.3, 0.65], [0.0, 0.0, 0.8]):
        marker = gl.GLScatterPlotItem(pos=np.array([point]), color=(1, 0, 0, 1), size=9,
                                      pxMode=True)
        marker.setGLOptions("opaque")
        view.view.addItem(marker)
        frame = view.view.current_frame()
        red = is_color(pixels(frame.image), RED, tol=60)
        view.view.removeItem(marker)
        assert red.sum() > 20, "GL drew no marker"
        rows, cols = np.nonzero(red)
        gl_xy = np.array([cols.mean() + 0.5, rows.mean() + 0.5]) / frame.dpr
        (xy,), _ = frame.project(np.array([point]))
        assert np.abs(xy - gl_xy).max() < 1.0, (point, xy, gl_xy)


def test_a_playback_frame_renders_no_gl_but_moves_the_path(view):
    path = np.column_stack([np.linspace(-0.9, 0.9, 60), np.full(60, -0.7)])
    runs = [run_along(path)]
    view.set_runs(runs, 5)
    view.view.repaint()
    renders = view.view.render_count
    first = is_color(pixels(view.grab_image()), RED).sum()
    for k in range(6, 60, 4):
        view.set_runs(runs, k)
        view.view.repaint()
        settle(2)
    assert view.view.render_count == renders, "a playback frame re-rendered the GL scene"
    grown_bit_by_bit = pixels(view.grab_image())
    assert is_color(grown_bit_by_bit, RED).sum() > first * 3, "the path did not grow"
    # A step back draws the paths afresh; stepping forward again gives the same picture as
    # the frames that added a few segments each.
    view.set_runs(runs, 10)
    assert is_color(pixels(view.grab_image()), RED).sum() < first * 3
    view.set_runs(runs, 58)
    afresh = pixels(view.grab_image())
    differ = np.abs(afresh.astype(int) - grown_bit_by_bit).max(axis=-1) > 60
    assert differ.sum() < 20
    assert view.view.render_count == renders


class PaintRegions(QtCore.QObject):
    """Records the region of every paint event of a widget."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.regions: list[QtGui.QRegion] = []
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
        if event.type() == QtCore.QEvent.Type.Paint:
            self.regions.append(QtGui.QRegion(event.region()))
        return False


def until_quiet(widget, qtbot, quiet_ms: int = 150, limit_ms: int = 3000) -> None:
    """Wait until ``widget`` has not painted for ``quiet_ms``: windows of earlier tests
    closing over it (no window manager under Xvfb) expose it, which repaints it all."""
    paints = PaintRegions(widget)
    waited = 0
    while waited < limit_ms:
        seen = len(paints.regions)
        qtbot.wait(quiet_ms)
        waited += quiet_ms
        if len(paints.regions) == seen:
            break
    widget.removeEventFilter(paints)


def test_a_playback_frame_repaints_only_the_box_it_changed(view, qtbot):
    path = np.column_stack([np.linspace(-0.9, 0.9, 60), np.full(60, -0.7)])
    runs = [run_along(path), run_along(path[:, ::-1], color="#0000ff")]
    view.set_runs(runs, 20)
    settle()
    until_quiet(view.view, qtbot)
    before = pixels(view.grab_image())
    paints = PaintRegions(view.view)
    view.set_runs(runs, 22)
    settle()
    after = pixels(view.grab_image())
    assert paints.regions, "the frame was not painted"
    region = paints.regions[-1]
    full = view.view.rect()
    area = sum(r.width() * r.height() for r in region)
    assert 0 < area < 0.5 * full.width() * full.height()
    changed = np.argwhere(np.abs(after.astype(int) - before).max(axis=-1) > 0)
    assert len(changed) > 20, "the paths did not move"
    dpr = view.view.devicePixelRatioF()
    outside = [(r, c) for r, c in changed
               if not region.contains(QtCore.QPoint(int(c / dpr), int(r / dpr)))]
    assert not outside, f"{len(outside)} changed pixels outside the repainted region"
    # Anything else than runs moving along their paths repaints the whole picture.
    view.set_runs(runs[:1], 22)
    settle()
    assert paints.regions[-1].boundingRect() == full


def test_the_path_is_drawn_where_gl_would_draw_it(view):
    import pyqtgraph.opengl as gl

    # A path on the near side of the hill, seen from the default camera.
    t = np.linspace(0.0, 1.0, 40)
    path = np.column_stack([-0.8 + 1.2 * t, -0.8 + 0.3 * np.sin(3 * t)])
    runs = [run_along(path)]
    k = 30
    view.set_runs(runs, k)
    frame = view.view.current_frame()
    drawn = pixels(view.grab_image())
    line, dot = view.run_items[0]
    assert line.visible() and len(dot.pos) == 1
    # The current point's dot is centred on its projection.
    ((cx, cy),), _ = frame.project(dot.pos)
    assert is_color(drawn[round(cy * frame.dpr), round(cx * frame.dpr)], RED)
    # The same polyline drawn by GL covers the same pixels as ours.
    ours = is_color(drawn, RED)
    view.set_runs([], k)  # only GL's line now
    item = gl.GLLinePlotItem(pos=line.pos, color=(1, 0, 0, 1), width=3, mode="line_strip")
    item.setGLOptions("opaque")
    view.view.addItem(item)
    theirs = is_color(pixels(view.view.current_frame().image), RED)
    view.view.removeItem(item)
    assert theirs.sum() > 50 and ours.sum() > 50
    near = grown(ours, 2 * round(frame.dpr))  # allow for antialiasing and line caps
    assert (theirs & near).sum() / theirs.sum() > 0.95


def test_a_segment_behind_the_hill_is_hidden(view):
    behind_the_hill_camera(view)
    a = np.linspace(-0.9, 0.9, 61)
    path = np.column_stack([a, np.full_like(a, 0.6)])  # straight across, behind the hill
    middle = len(a) // 2
    # Both directions: the end a path starts at carries no current-point dot.
    for run, start in ((run_along(path), 1), (run_along(path[::-1]), 1)):
        view.set_runs([run], len(a) - 1)
        frame = view.view.current_frame()
        drawn = pixels(view.grab_image())
        xy, _ = frame.project(view.run_items[0][0].pos)
        assert not red_near(drawn, frame, xy[middle]), "the part behind the hill is drawn"
        assert red_near(drawn, frame, xy[start]), "an end beside the hill is hidden"
    # With the camera on the path's side the whole path shows again (re-projected once).
    renders = view.view.render_count
    view.view.setCameraPosition(azimuth=90)
    settle()
    frame = view.view.current_frame()
    assert view.view.render_count == renders + 1
    drawn = pixels(view.grab_image())
    xy, _ = frame.project(view.run_items[0][0].pos)
    assert red_near(drawn, frame, xy[middle])


def test_what_is_hidden_matches_gl_depth_test(view):
    import pyqtgraph.opengl as gl

    behind_the_hill_camera(view)
    a = np.linspace(-0.95, 0.95, 120)
    path = np.column_stack([a, 0.5 + 0.15 * np.sin(5 * a)])
    view.set_runs([run_along(path)], len(a) - 1)
    frame = view.view.current_frame()
    ours = is_color(pixels(view.grab_image()), RED)
    line = view.run_items[0][0].pos
    (dot,), _ = frame.project(line[-1:])
    view.set_runs([], 0)
    # GL draws the same polyline, depth-tested against the surface ("opaque": depth test on).
    item = gl.GLLinePlotItem(pos=line, color=(1, 0, 0, 1), width=3, mode="line_strip")
    item.setGLOptions("opaque")
    view.view.addItem(item)
    theirs = is_color(pixels(view.view.current_frame().image), RED)
    view.view.removeItem(item)
    rows, cols = np.indices(ours.shape)
    away = np.hypot(cols - dot[0] * frame.dpr, rows - dot[1] * frame.dpr) > 12 * frame.dpr
    ours, theirs = ours & away, theirs & away  # the current point's dot is ours alone
    assert theirs.sum() > 50 and ours.sum() > 50
    # Each drawn pixel of one lies within 2 px of a drawn pixel of the other: the same parts
    # are shown and hidden (up to a pixel or two where the path meets the silhouette).
    for one, other in ((theirs, ours), (ours, theirs)):
        near = grown(other, 2 * round(frame.dpr))
        assert (one & near).sum() / one.sum() > 0.95


def test_the_current_point_behind_the_hill_is_hidden(view):
    behind_the_hill_camera(view)
    path = np.array([[-0.9, 0.6], [-0.5, 0.6], [0.0, 0.6]])
    view.set_runs([run_along(path)], 2)
    frame = view.view.current_frame()
    drawn = pixels(view.grab_image())
    ((x, y),), _ = frame.project(view.run_items[0][1].pos)
    x, y = round(x * frame.dpr), round(y * frame.dpr)
    assert not is_color(drawn[y - 3 : y + 4, x - 3 : x + 4], RED).any()
    # ...but its outline is, dashed, seen through the hill (the class lost a run at the
    # bottom of a well behind a fold): red on the circle of the disc's radius
    r = round(7 * frame.dpr)
    around = [drawn[y + round(r * math.sin(t)), x + round(r * math.cos(t))]
              for t in np.linspace(0, 2 * math.pi, 48, endpoint=False)]
    assert sum(bool(is_color(np.array(c), RED)) for c in around) >= 8
    # on a light rim (the dashes alone, blue over the surface's blues, were all but invisible
    # in an export): light just outside and inside the circle, between the dashes too
    rims = [drawn[y + round(d * math.sin(t)), x + round(d * math.cos(t))]
            for d in (r - round(2 * frame.dpr), r + round(2 * frame.dpr))
            for t in np.linspace(0, 2 * math.pi, 48, endpoint=False)]
    assert sum(int(np.min(c)) > 200 for c in rims) >= 32, rims


def test_camera_change_renders_once_and_moves_the_paths(view, qtbot):
    path = np.column_stack([np.linspace(-0.8, 0.8, 30), np.full(30, -0.6)])
    view.set_runs([run_along(path)], 29)
    settle()
    # (current_frame renders a scene not yet painted: the count is taken after it)
    old = view.view.current_frame().project(view.run_items[0][1].pos)[0]
    before = view.view.render_count
    view.view.setCameraPosition(azimuth=-20, elevation=45)
    settle()
    view.view.repaint()  # a later expose reuses the picture
    assert view.view.render_count == before + 1
    frame = view.view.current_frame()
    new = frame.project(view.run_items[0][1].pos)[0]
    assert np.abs(new - old).max() > 5
    drawn = pixels(view.grab_image())
    x, y = (new[0] * frame.dpr).round().astype(int)
    assert is_color(drawn[y, x], RED)
    # Dragging with the mouse rotates the camera the same way (one render per move).
    before = view.view.render_count
    azimuth = view.view.opts["azimuth"]
    centre = QtCore.QPoint(view.width() // 2, view.height() // 2)
    qtbot.mousePress(view.view, QtCore.Qt.MouseButton.LeftButton, pos=centre)
    event = QtGui.QMouseEvent(QtCore.QEvent.Type.MouseMove, QtCore.QPointF(centre.x() + 40,
                              centre.y()), QtCore.QPointF(view.view.mapToGlobal(centre)),
                              QtCore.Qt.MouseButton.NoButton, QtCore.Qt.MouseButton.LeftButton,
                              QtCore.Qt.KeyboardModifier.NoModifier)
    view.view.mouseMoveEvent(event)
    qtbot.mouseRelease(view.view, QtCore.Qt.MouseButton.LeftButton, pos=centre)
    settle()
    assert view.view.opts["azimuth"] != azimuth
    assert view.view.render_count == before + 1


def test_paths_off_the_domain_or_over_the_hole_are_not_drawn(view):
    grid, values = hill(hole=True)
    view.set_surface(grid, values, (0.0, 1.0))
    path = np.array([[-0.5, -0.9], [0.0, -0.9], [0.7, -0.9], [0.9, -0.7], [1.5, -0.7]])
    run = run_along(path)
    run.trajectory.losses[2:4] = np.nan  # undefined in the hole
    for k, expect_dot in ((1, True), (2, False), (4, False)):
        view.set_runs([run], k)
        assert len(view.run_items[0][1].pos) == (1 if expect_dot else 0), k
    line = view.run_items[0][0].pos
    assert len(line) == 2  # only the two points over the defined surface
    image = view.grab_image()  # paints without errors
    assert not image.isNull()


def test_hidden_runs_and_line_width(view):
    path = np.column_stack([np.linspace(-0.8, 0.8, 30), np.full(30, -0.6)])
    runs = [run_along(path), run_along(path[::-1], color="#0000ff", visible=False)]
    view.set_runs(runs, 29)
    (line0, _dot0), (line1, dot1) = view.run_items
    assert line0.visible() and not line1.visible() and len(dot1.pos) == 0
    thin = is_color(pixels(view.grab_image()), RED).sum()
    view.line_width = 8.0
    thick = is_color(pixels(view.grab_image()), RED).sum()
    assert thick > thin * 1.5
    assert not is_color(pixels(view.grab_image()), "#0000ff").any()


def test_mesh_heights_follow_the_triangles_gl_draws():
    import pyqtgraph.opengl as gl

    rng = np.random.default_rng(3)
    xs, ys = np.array([0.0, 1.0, 2.5]), np.array([-1.0, 0.0, 2.0, 3.0])
    zz = rng.normal(size=(len(ys), len(xs)))  # z[y, x]
    item = gl.GLSurfacePlotItem(x=xs, y=ys, z=zz.T)
    md = item._meshdata
    verts, faces = md.vertexes(), md.faces()
    px, py = rng.uniform(0.0, 2.5, 200), rng.uniform(-1.0, 3.0, 200)
    got = mesh_heights(xs, ys, zz, px, py)
    for x, y, z in zip(px, py, got, strict=True):
        for face in faces:  # the triangle GL draws under (x, y), and its plane's height there
            (x0, y0, z0), (x1, y1, z1), (x2, y2, z2) = verts[face]
            m = np.array([[x1 - x0, x2 - x0], [y1 - y0, y2 - y0]])
            u, v = np.linalg.solve(m, [x - x0, y - y0])
            if u >= -1e-9 and v >= -1e-9 and u + v <= 1 + 1e-9:
                assert z == pytest.approx(z0 + u * (z1 - z0) + v * (z2 - z0), abs=1e-5)
                break
        else:
            pytest.fail(f"no triangle under {(x, y)}")
    assert np.isnan(mesh_heights(xs, ys, zz, np.array([3.0]), np.array([0.0]))).all()


def test_frames_with_eight_long_runs_are_cheap(view):
    rng = np.random.default_rng(0)
    runs = []
    for i in range(8):  # 1500 steps spiralling into a point, as a slow descent would
        t = np.linspace(0.0, 1.0, 1501)
        angle = 12.0 * t + i
        radius = 0.9 * (1.0 - t) ** 3 + 0.02
        pts = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
        pts += rng.normal(scale=1e-3, size=pts.shape)
        runs.append(run_along(pts, color=QtGui.QColor.fromHsv(40 * i, 255, 200).name()))
    view.set_runs(runs, 1)
    view.view.repaint()  # projects every run once (not part of a frame)
    renders = view.view.render_count
    set_runs, frames = [], []
    for k in range(2, 1500, 25):
        t0 = time.perf_counter()
        view.set_runs(runs, k)
        t1 = time.perf_counter()
        view.view.repaint()
        t2 = time.perf_counter()
        set_runs.append(t1 - t0)
        frames.append(t2 - t0)
    assert view.view.render_count == renders
    # Generous bounds (shared CI machines); the benchmark measures the real cost.
    assert statistics.median(set_runs) < 0.005
    assert statistics.median(frames) < 0.030


def test_grabs_and_exports_of_the_window_include_the_paths(window):
    from gdviz.ui import export

    c = window.controller
    c.runs[0].spec.color = RED
    c.set_iteration(max(1, c.max_iteration // 2))
    c.runsChanged.emit()
    settle()
    surface = window.surface
    assert is_color(pixels(surface.grab_image()), RED).sum() > 30
    assert is_color(pixels(export.surface_image(window)), RED).sum() > 30
    whole = window.grab().toImage()
    dpr = whole.devicePixelRatio()
    corner = surface.mapTo(window, QtCore.QPoint(0, 0))
    part = whole.copy(QtCore.QRect(round(corner.x() * dpr), round(corner.y() * dpr),
                                   round(surface.width() * dpr), round(surface.height() * dpr)))
    assert is_color(pixels(part), RED).sum() > 30


def test_the_repaint_box_of_a_run_projected_billions_of_pixels_away_is_bounded():
    from gdviz.ui.surface_paths import SurfacePaths

    paths = SurfacePaths(lambda points, f: (np.zeros((len(points), 3)), np.ones(len(points), bool)))
    far = np.array([[10.0, 10.0], [2.5e9, -np.inf]])  # a diverged run seen from straight above
    track = SimpleNamespace(serial=7, projected=SimpleNamespace(
        t=np.array([0.0, 1.0]), xy=far, vertex_xy=far))
    paths._steps_moved = [(track, 0, 1)]
    region = paths.dirty_region(SimpleNamespace(serial=7))
    assert region is not None and not region.isEmpty()
    assert all(abs(r.right()) < 2**31 and abs(r.bottom()) < 2**31 for r in region)


def test_the_surface_is_drawn_from_the_grids_vertices_by_index(qtbot):
    # Three vertex copies per triangle (pyqtgraph's flat shading) cost a quarter of a render
    # in software GL for the same picture (no lighting: colours are interpolated anyway).
    surface = SurfaceView()
    qtbot.addWidget(surface)
    surface.resize(300, 300)
    surface.show()
    assert QtTest.QTest.qWaitForWindowExposed(surface)
    assert surface.view.current_frame() is not None  # no data yet: a frame all the same
    grid, values = hill()
    surface.set_surface(grid, values, (0.0, 1.0))
    assert surface.view.current_frame() is not None
    x, y, _ = surface._mesh
    assert len(surface.surface.vertexes) == len(x) * len(y)
    assert surface.surface.faces is not None and len(surface.surface.faces) > len(x) * len(y)


@pytest.mark.parametrize("size", [(420, 360), (760, 200)])
def test_the_whole_surface_is_in_a_wide_short_view(surface_view_of, size):
    # Below the map (the views stacked) the 3D view is wide and short: pyqtgraph's angle of
    # view is horizontal, and the hill's top and the floor's front were cut off.
    view = surface_view_of(*hill(), size=size)
    frame = view.view.current_frame()
    # the scene's box: the floor grid (±0.5) and the surface up to 0.6 above it
    corners = np.array([[x, y, z] for x in (-0.5, 0.5) for y in (-0.5, 0.5) for z in (0, 0.6)])
    xy, _ = frame.project(corners)
    w, h = view.view.width(), view.view.height()
    assert (xy[:, 0] > 0).all() and (xy[:, 0] < w).all(), xy
    assert (xy[:, 1] > 0).all() and (xy[:, 1] < h).all(), xy  # top and bottom in view
    # and it is not lost in the middle either: it fills most of the height
    assert np.ptp(xy[:, 1]) > 0.5 * h


def test_the_depth_neighbourhood_is_the_farthest_of_3x3_pixels():
    """Looked up per point, the 3×3 neighbourhood's farthest depth is the whole-picture
    filter's value there (edges repeated), at inner, edge and corner pixels."""
    from gdviz.ui.path_projection import farthest_3x3

    rng = np.random.default_rng(3)
    depth = rng.random((37, 53)).astype(np.float32)[::-1]  # (a flipped view, as read back)
    pad = np.pad(depth, 1, mode="edge")
    whole = np.max([pad[i:i + 37, j:j + 53] for i in range(3) for j in range(3)], axis=0)
    r = np.array([0, 0, 36, 36, 5, 17, 0, 36, 20])
    c = np.array([0, 52, 0, 52, 7, 30, 25, 11, 0])
    assert np.array_equal(farthest_3x3(depth, r, c), whole[r, c])
    assert farthest_3x3(depth, r[:0], c[:0]).shape == (0,)


@pytest.mark.parametrize("azimuth", [-60.0, 30.0, 135.0, 220.0])
def test_the_floor_s_axes_are_named_on_their_nearer_edges(surface_view_of, azimuth):
    """A student could not tell w1 from w2 on the surface, nor which way either grows: each
    name sits by the nearer of the two floor edges along which it varies, in view, an arrow
    pointing the way it grows."""
    from gdviz.ui.surface_axes import EDGE, axis_spots

    view = surface_view_of(*hill())
    cam = view.camera()
    view.set_camera(cam["distance"], cam["elevation"], azimuth)
    for _ in range(6):
        QtCore.QCoreApplication.processEvents()
    frame = view.view.current_frame()
    w, h = view.view.width(), view.view.height()
    for axis, (at, way) in enumerate(axis_spots(frame)):
        assert 0 < at[0] < w and 0 < at[1] < h, (axis, at)
        # the nearer edge of the two
        both = np.zeros((2, 3))
        both[:, 1 - axis] = (-EDGE, EDGE)
        xy, dist = frame.project(both)
        nearer = xy[int(np.argmin(dist))]
        assert np.allclose(at, nearer)
        # the arrow: the way the variable grows on screen
        ahead = both[int(np.argmin(dist))].copy()
        ahead[axis] = 0.3
        xy2, _ = frame.project(ahead[None, :])
        assert float(np.dot(xy2[0] - at, way)) > 0
    # and drawn into the scene's picture (once a render, not every frame): the letters show
    # where the names go
    named = view.grab_image()
    view.set_surface(*hill(), (0.0, 1.0), ("", ""))
    for _ in range(6):
        QtCore.QCoreApplication.processEvents()
    bare = view.grab_image()
    ratio = named.devicePixelRatio()
    for at, _way in axis_spots(view.view.current_frame()):
        box = QtCore.QRect(round((at[0] - 8) * ratio), round((at[1] - 6) * ratio),
                           round(16 * ratio), round(12 * ratio))
        assert named.copy(box) != bare.copy(box)


@pytest.mark.parametrize("distance, elevation, azimuth", [
    (1.0, 30.0, 45.0), (1.3, 30.0, 120.0), (2.5, 85.0, 90.0), (2.5, -20.0, 180.0),
    (2.5, 85.0, 270.0)])
def test_the_axes_names_stay_in_view_and_off_the_surface(surface_view_of, distance,
                                                         elevation, azimuth):
    """Zoomed in, one name was off the view and the other cut at its edge (seen from above
    or below, a name sat on the surface: spots behind it are not taken either)."""
    from gdviz.ui.surface_axes import MARGIN, axis_spots

    view = surface_view_of(*hill())
    view.set_camera(distance, elevation, azimuth)
    for _ in range(6):
        QtCore.QCoreApplication.processEvents()
    frame = view.view.current_frame()
    w, h = frame.size
    for at, way in axis_spots(frame):
        if not np.isfinite(at).all():
            continue
        assert MARGIN <= at[0] <= w - MARGIN and MARGIN <= at[1] <= h - MARGIN
        assert abs(float(np.hypot(*way)) - 1.0) < 1e-9


def test_a_jump_over_a_whole_path_is_bounded_with_numpy_as_with_floats():
    """A comparison's 7 runs of 20,000 steps jumped to their ends: bounding their repaint
    as Python floats took 45 ms; numpy gives the same box, NaN left out, far points kept
    within QRect's range."""
    from gdviz.ui.surface_paths import FAR_PX, _bounds

    rng = np.random.default_rng(0)
    seg = rng.random((20_000, 2)) * 500
    seg[5] = np.nan
    seg[7] = (3e12, -3e12)
    a, b = np.array([10.0, 20.0]), np.array([np.nan, np.nan])
    (lx, ly), (hx, hy) = _bounds(seg, a, b)
    assert (hx, ly) == (FAR_PX, -FAR_PX)
    assert lx == pytest.approx(min(np.nanmin(seg[:, 0]), 10.0))
    small = _bounds(seg[:40], a, b)
    assert small == _bounds(np.vstack([seg[:40]] * 2), a, b)  # (≤ 64 points: floats)
    assert _bounds(np.full((100, 2), np.nan), b, b) is None


def test_a_picture_drawn_larger_is_rendered_at_that_scale(view):
    """An export larger than the view renders the scene at that many times the screen's
    pixels (paths, points and names in proportion; laid out at a 4K frame's size the paths
    were hairlines), apart from the screen's picture."""
    path = np.column_stack([np.linspace(-0.8, 0.8, 30), np.full(30, -0.6)])
    view.set_runs([run_along(path)], 29)
    gl_view = view.view
    one = view.grab_image()
    renders = gl_view.render_count
    two = view.grab_image(2.0)
    assert (two.width(), two.height()) == (2 * one.width(), 2 * one.height())
    assert gl_view.render_count == renders + 1  # rendered afresh, not enlarged
    red_one, red_two = (is_color(pixels(im), RED).sum() for im in (one, two))
    assert 3.0 < red_two / red_one < 5.0  # the line twice as long and twice as wide
    # An animation's frames, the window painted between them: neither rendered again (the
    # screen's picture was replaced by the export's, and each paint rendered both anew)
    for k in (20, 25):
        view.set_runs([run_along(path)], k)
        gl_view.repaint()
        assert view.grab_image(2.0).width() == two.width()
    assert gl_view.render_count == renders + 1
    assert gl_view.last_frame().image.width() == one.width()  # (the screen's, as it was)
    gl_view.update()  # (the scene changed: the export's picture goes with the old scene)
    view.grab_image(2.0)
    assert gl_view.render_count == renders + 2


def piled_then_jump(piled: int = 50_000) -> np.ndarray:
    """A run that crosses the near side in 20 steps, then takes ``piled`` steps within 1e-7
    of one point (a run creeping along, as slow descent does), then jumps away."""
    cross = np.column_stack([np.linspace(-0.95, -0.6, 20), np.full(20, -0.7)])
    rest = np.array([-0.6, -0.7]) + 1e-7 * np.random.default_rng(1).random((piled, 2))
    # (along x where the hill is convex: the jump's chord stays above the surface)
    return np.vstack([cross, rest, [[-0.38, -0.7]]])


def test_steps_piled_on_one_pixel_are_projected_once(view, monkeypatch):
    """Only steps that move the path on screen are subdivided and depth-tested (100,000
    piled steps took 20–60 ms a render), while every step keeps its place for its dot."""
    from gdviz.ui.scene_frame import SceneFrame

    tested = []
    visible = SceneFrame.visible

    def counted(self, xy, distance, tolerance):
        tested.append(len(xy))
        return visible(self, xy, distance, tolerance)

    monkeypatch.setattr(SceneFrame, "visible", counted)
    points = piled_then_jump()
    view.set_runs([run_along(points)], len(points) - 1)
    view.view.repaint()
    assert tested and max(tested) < 1000, tested
    track = next(iter(view.paths._tracks.values()))
    proj = track.projected
    assert proj is not None and len(proj.vertex_xy) == len(points)
    assert len(proj.xy) < 200, len(proj.xy)
    assert np.all(np.diff(proj.t) > 0) and proj.t[0] == 0 and proj.t[-1] == len(points) - 1
    frame = view.view.current_frame()
    xy, _ = frame.project(track.pos)
    assert np.allclose(proj.vertex_xy, xy)


def test_the_path_does_not_run_ahead_of_its_point_before_a_jump(view):
    """Up to the last piled step the path ends at the pile; the jump is drawn at its step."""
    points = piled_then_jump(5_000)
    run = run_along(points)
    jump = len(points) - 1
    frame = view.view.current_frame()
    for k, drawn_halfway in ((jump - 1, False), (jump, True)):
        view.set_runs([run], k)
        image = pixels(view.grab_image())
        frame = view.view.current_frame()
        a, b = view.paths._runs[0][0].pos[[jump - 1, jump]]
        (half,), _ = frame.project(((a + b) / 2)[None])
        assert red_near(image, frame, half) == drawn_halfway, k


def test_a_path_bouncing_over_the_surface_is_split_into_a_bounded_number_of_samples(view):
    """RMSprop bouncing across the lecture's surface for 100,000 steps was split into six
    million samples: drawing the 3D view froze the window for seconds."""
    from gdviz.ui import path_projection

    n = 100_000
    rng = np.random.default_rng(2)
    pts = np.column_stack([np.where(np.arange(n) % 2, 0.85, -0.85) + rng.normal(0, 0.01, n),
                           rng.uniform(-0.85, 0.85, n)])
    view.set_runs([run_along(pts)], n - 1)
    frame = view.view.current_frame()
    (projected,) = path_projection.project_paths(frame, [(view.run_items[0][0].pos,
                                                          np.ones(n, bool))])
    assert len(projected.xy) <= path_projection.MAX_SAMPLES + 1
    assert projected.t[-1] == n - 1  # (the whole run, to its last step)
