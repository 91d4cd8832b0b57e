"""The map's picture made in the background for a costly loss (gdviz.ui.map_picture): a
stand-in meanwhile, the very same picture afterwards, nothing stale, no stand-in left for
good, exports and screenshots never catch the stand-in."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from gdviz.ui import map_picture
from gdviz.ui.map_raster import raster_image

LOSS = "(w1 - 1)^2 + 3*(w2 + 0.5)^2 + sin(3*w1)"


def pixels(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    raw = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return raw.reshape(image.height(), image.bytesPerLine())[:, :4 * image.width()].copy()


def made_here(view) -> QtGui.QImage:
    """The view's picture made afresh on this thread."""
    key, size, line, _, _ = view.picture.placement(view)
    s = view.picture.source
    return raster_image(s.sampler, s.domain, *size, s.lo, s.hi, s.levels, line)


def apply_without_waiting(window, user, text: str) -> None:
    """Type ``text`` and press Enter; return once the loss is installed and the map has
    painted, without waiting for the map's picture (as a user sees it)."""
    user.type_loss(text, enter=False)
    user.qtbot.keyClick(user.find("lossEdit"), QtCore.Qt.Key.Key_Return)
    user.qtbot.waitUntil(lambda: window.controller.loss is not None
                         and window.controller.loss.text == text, timeout=10000)
    window.contour.repaint()  # (the paint asks for the picture)


@pytest.fixture
def costly(monkeypatch):
    """Every picture counts as too slow for a frame (a costly loss on a large screen)."""
    monkeypatch.setattr(map_picture, "FRAME_BUDGET", 0.0)


class Gate(threading.Event):
    """Holds pictures made on the thread until set; counts where pictures are made."""

    def __init__(self) -> None:
        super().__init__()
        self.here = 0  # made on the GUI thread
        self.results: list = []  # what each picture made on the thread returned


@pytest.fixture
def gate(monkeypatch, costly):
    """However fast the machine, the test sees the stand-in first."""
    opened = Gate()
    real = map_picture.raster_image

    def held(*args):
        if len(args) > 8 and args[8] is not None:  # (stale: made on the thread)
            opened.wait(20)
            out = real(*args)
            opened.results.append(out)
            return out
        opened.here += 1
        return real(*args)

    monkeypatch.setattr(map_picture, "raster_image", held)
    yield opened
    opened.set()


def test_a_picture_within_a_frame_is_made_in_the_paint(window, user, monkeypatch):
    monkeypatch.setattr(map_picture, "FRAME_BUDGET", 1.0)  # (whatever this machine's speed)
    apply_without_waiting(window, user, LOSS)
    picture = window.contour.picture
    assert not picture.pending and not picture.busy


def test_the_estimate_is_a_grid_point_plus_the_shading(window):
    picture = window.contour.picture
    source = picture.source
    assert source is not None and 0 < source.point_seconds < 1e-5  # measured by the window
    expected = 700 * 400 * (source.point_seconds + map_picture.SHADE_SECONDS)
    assert picture.expected_seconds((700, 400)) == pytest.approx(expected)


def test_a_costly_picture_comes_from_the_thread_and_is_the_same(window, user, gate):
    view = window.contour
    apply_without_waiting(window, user, LOSS)
    assert view.picture.pending and view.picture.busy  # the map painted a stand-in
    stand_in = pixels(view._render_static())
    gate.set()
    user.qtbot.waitUntil(lambda: not view.picture.pending, timeout=10000)
    made = view.map_picture(wait=False)
    assert made is not None and len(gate.results) == 1 and gate.here == 0
    # Made on the thread, the picture is the one the GUI thread makes.
    assert np.array_equal(pixels(made), pixels(made_here(view)))
    final = pixels(view._render_static())
    assert final.shape == stand_in.shape and not np.array_equal(final, stand_in)


def test_the_stand_in_is_close_to_the_picture(window, user, gate):
    """The stand-in (the grid's own samples shaded and scaled up) shows the same colours."""
    view = window.contour
    apply_without_waiting(window, user, LOSS)
    assert view.picture.pending
    stand_in = pixels(view._render_static()).astype(int)
    gate.set()
    user.qtbot.waitUntil(lambda: not view.picture.pending, timeout=10000)
    final = pixels(view._render_static()).astype(int)
    rect = view.plot_rect().toAlignedRect().adjusted(4, 4, -4, -4)
    dpr = view.devicePixelRatioF()
    box = (slice(int(rect.top() * dpr), int(rect.bottom() * dpr)),
           slice(int(rect.left() * dpr), int(rect.right() * dpr)))
    diff = np.abs(stand_in[box][..., :3] - final[box][..., :3]).max(axis=-1)
    assert np.median(diff) <= 4  # colours alike (lines and labels differ a little)
    assert (diff > 60).mean() < 0.1


def test_a_stand_in_sampled_at_half_the_resolution_when_that_fits(window, user, gate,
                                                                  monkeypatch):
    """A picture expected at twice the frame budget: its stand-in is the same picture at half
    the resolution (a quarter of the time: half the budget), made here, close to the end."""
    monkeypatch.setattr(map_picture, "FRAME_BUDGET", 1.0)
    monkeypatch.setattr(map_picture.MapPicture, "expected_seconds", lambda self, size: 2.0)
    view = window.contour
    apply_without_waiting(window, user, LOSS)
    assert view.picture.pending and gate.here == 1  # the smaller one, made here
    key, size, line, _, _ = view.picture.placement(view)
    small = view.picture.reduced(key, size, line)
    assert (small.width(), small.height()) == (round(size[0] / 2), round(size[1] / 2))
    stand_in = pixels(view._render_static()).astype(int)
    gate.set()
    user.qtbot.waitUntil(lambda: not view.picture.pending, timeout=10000)
    final = pixels(view._render_static()).astype(int)
    rect = view.plot_rect().toAlignedRect().adjusted(4, 4, -4, -4)
    box = (slice(rect.top(), rect.bottom()), slice(rect.left(), rect.right()))
    diff = np.abs(stand_in[box][..., :3] - final[box][..., :3]).max(axis=-1)
    assert np.median(diff) <= 2 and (diff > 60).mean() < 0.03


def test_a_newer_loss_wins(window, user, gate):
    view = window.contour
    apply_without_waiting(window, user, "w1^2 + w2^2")
    apply_without_waiting(window, user, LOSS)  # (the first still being made)
    gate.set()
    user.qtbot.waitUntil(lambda: not view.picture.busy, timeout=10000)
    QtWidgets.QApplication.processEvents()
    assert gate.results[0] is None  # the first gave up
    assert np.array_equal(pixels(view.map_picture(wait=False)), pixels(made_here(view)))


def test_a_size_asked_for_again_after_its_job_gave_up_is_made(window, user, gate):
    """A picture for K1 gives up when K2 is asked for; if K1 is asked for again before its
    result is handled, it is made again (the stand-in does not stay for good)."""
    picture = map_picture.MapPicture(window)  # (not the map's: its paints would ask too)
    picture.set_source(window.contour.picture.source)
    k1 = picture.key((100, 100), 1.0, 1.0)
    k2 = picture.key((120, 100), 1.0, 1.0)
    assert picture.picture(k1, (40, 30), 1.0) is None
    assert picture.picture(k2, (48, 30), 1.0) is None
    gate.set()
    picture._pool.waitForDone()
    assert picture._job.gave_up  # K1's job gave up; its result is not yet handled
    assert picture.picture(k1, (40, 30), 1.0) is None
    user.qtbot.waitUntil(lambda: not picture.busy, timeout=10000)
    assert picture.has(k1) and not picture.pending
    assert gate.results[-1] is not None


def test_a_resize_stretches_the_last_picture_meanwhile(window, user, gate):
    view = window.contour
    gate.set()
    apply_without_waiting(window, user, LOSS)
    user.qtbot.waitUntil(lambda: not view.picture.pending, timeout=10000)
    before = view.map_picture(wait=False)
    gate.clear()
    view.picture.picture(view.picture.key((view.width() + 10, view.height()), 1.0, 1.0),
                         (50, 50), 1.0)  # another size: made in the background
    assert view.picture.pending and view.picture.stand_in() is before
    gate.set()
    user.qtbot.waitUntil(lambda: not view.picture.busy, timeout=10000)


def test_an_export_takes_the_threads_picture(window, user, gate):
    from gdviz.ui.export import render_view

    view = window.contour
    apply_without_waiting(window, user, LOSS)
    assert view.picture.pending
    threading.Timer(0.05, gate.set).start()
    exported = pixels(render_view(window, "map"))  # waits for it: not the stand-in
    assert gate.here == 0 and len(gate.results) == 1  # made once, on the thread
    user.qtbot.waitUntil(lambda: not view.picture.busy, timeout=10000)
    view.picture.set_source(view.picture.source)  # made afresh, here
    assert np.array_equal(exported, pixels(render_view(window, "map")))


@pytest.mark.parametrize("painted", [True, False])
def test_grabs_and_screenshots_never_catch_the_stand_in(window, user, gate, painted):
    from gdviz.ui.export import window_image

    view = window.contour
    for factor, finish in ((2, window_image), (3, lambda w: w.wait_idle())):
        gate.clear()
        apply_without_waiting(window, user, f"{factor}*({LOSS})")
        if not painted:  # new samples, not yet painted: nothing asked for the picture yet
            view.picture.set_source(view.picture.source)
            view.redraw_data()
        threading.Timer(0.05, gate.set).start()
        finish(window)
        assert view.picture.has(view.picture.placement(view)[0])
        QtWidgets.QApplication.processEvents()
        # What the window painted is the picture, not the stand-in.
        assert view._static is not None
        assert np.array_equal(pixels(view._static), pixels(view._render_static()))


def test_a_stale_picture_stops_early():
    calls = []

    def sampler(a, b):
        calls.append(np.shape(b)[0])
        return a + b

    levels = np.linspace(-2, 2, 5)
    assert raster_image(sampler, ((-1, 1), (-1, 1)), 100, 300, -2, 2, levels, 1.0,
                        stale=lambda: len(calls) >= 2) is None
    assert len(calls) == 2  # two bands of rows, then it noticed
    # Band by band, the picture is the one made at once.
    whole = raster_image(sampler, ((-1, 1), (-1, 1)), 100, 300, -2, 2, levels, 1.0)
    banded = raster_image(sampler, ((-1, 1), (-1, 1)), 100, 300, -2, 2, levels, 1.0,
                          stale=lambda: False)
    assert np.array_equal(pixels(whole), pixels(banded))


def test_closing_stops_a_picture_being_made(qtbot, gate):
    from gdviz.ui.main_window import MainWindow

    gate.set()
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.wait_idle()
    gate.clear()
    gate.results.clear()
    w.contour.picture.set_source(w.contour.picture.source)
    assert w.contour.map_picture(wait=False) is None and w.contour.picture.busy
    threading.Timer(0.1, gate.set).start()
    started = time.perf_counter()
    w.close()
    assert w.contour.picture._pool.activeThreadCount() == 0  # waited for, not left running
    assert gate.results == [None]  # it stopped at its first band instead of finishing
    assert time.perf_counter() - started < 3


def test_the_first_frame_is_pictured_in_its_paint(window):
    """The first frame's small grid, sampled cold, overstates a point's cost: its picture is
    not sent to the thread (the start-up measure times the same first frame as before)."""
    loss, domain = window.controller.loss, window.controller.domain
    window.sample_loss(loss, domain, coarse=True)
    assert window.contour.picture.source.point_seconds == 0.0
    window.sample_loss(loss, domain)
    assert window.contour.picture.source.point_seconds > 0.0
