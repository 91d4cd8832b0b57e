"""The map's level curves, traced on a worker thread: the same curves as traced in place, the
labels of the newest samples, nothing after a clear."""

from __future__ import annotations

import threading

import numpy as np

from gdviz import parse_loss
from gdviz.core.grid import sample_grid
from gdviz.core.levels import contour_levels, contour_paths
from gdviz.ui import map_contours
from gdviz.ui.map_contours import MapContours, trace
from gdviz.ui.map_labels import format_level

BOWL = parse_loss("x^2 + 3*y^2")
DOMAIN = ((-2.0, 2.0), (-2.0, 2.0))


def samples(loss=BOWL):
    grid = sample_grid(loss, DOMAIN, 256)
    return grid, grid.values


def test_the_curves_are_those_of_the_samples():
    grid, shown = samples()
    lines, spots = trace(grid, shown, contour_levels(0.5, 12.0, map_contours.LEVELS))
    levels = contour_levels(0.5, 12.0, map_contours.LEVELS)
    direct = contour_paths(grid.a[::2], grid.b[::2], shown[::2, ::2], levels)
    assert sorted(lines) == sorted(float(v) for v in levels)
    for level, pieces in lines.items():
        assert len(pieces) == len(direct[level])
        for got, want in zip(pieces, direct[level], strict=True):
            np.testing.assert_array_equal(got, want)
        for piece in pieces:  # on the level: x² + 3y² = level
            np.testing.assert_allclose(piece[:, 0] ** 2 + 3 * piece[:, 1] ** 2, level,
                                       rtol=0.02, atol=0.02)
    assert spots and {v for _x, _y, v, _p in spots} <= set(lines)
    assert all(places[0] == (x, y) for x, y, _v, places in spots)  # (its first place first)


def test_labels_come_from_the_worker_thread_with_the_loss_values(qapp):
    grid, shown = samples()
    seen = []
    real = map_contours.trace

    def spy(*args):
        seen.append(threading.current_thread() is not threading.main_thread())
        return real(*args)

    contours = MapContours()
    map_contours.trace = spy
    try:
        contours.start(grid, shown, contour_levels(0.5, 12.0, 10), lambda v: 100 * v)
        labels = contours.labels
    finally:
        map_contours.trace = real
    assert seen == [True]
    lines, spots = trace(grid, shown, contour_levels(0.5, 12.0, map_contours.LEVELS))
    assert [(x, y) for x, y, _ in labels] == [(x, y) for x, y, _v, _p in spots]
    assert [text for *_, text in labels] == [format_level(100 * v) for _x, _y, v, _p in spots]
    assert contours.places == [places for *_, places in spots]
    assert contours.lines.keys() == lines.keys()


def test_the_newest_samples_win_and_clear_leaves_none(qapp):
    contours = MapContours()
    grid, shown = samples()
    other, other_shown = samples(parse_loss("(x - 1)^2 + y^2"))
    contours.start(grid, shown, contour_levels(0.5, 12.0, 10), float)
    contours.start(other, other_shown, contour_levels(0.2, 5.0, 10), float)
    expected, _ = trace(other, other_shown, contour_levels(0.2, 5.0, 10))
    assert sorted(contours.lines) == sorted(expected)
    contours.clear()
    assert contours.lines == {} and contours.labels == []


def test_a_failed_tracing_leaves_no_labels_of_the_last_samples(qapp, monkeypatch, capsys):
    contours = MapContours()
    grid, shown = samples()
    contours.start(grid, shown, contour_levels(0.5, 12.0, 10), float)
    assert contours.labels  # the bowl's

    def broken(*_args):
        raise RuntimeError("tracing failed")

    monkeypatch.setattr(map_contours, "trace", broken)
    contours.start(grid, shown, contour_levels(0.5, 12.0, 10), float)
    assert contours.lines == {} and contours.labels == []  # not the previous ones
    assert "tracing failed" in capsys.readouterr().err


def test_labels_go_where_the_curves_leave_them_room():
    """On sin(x²) every level's longest piece ran up the map's left edge, where the curves are
    a pixel apart: the labels stood in one column there, none telling which line it named
    (a QA round at 1280 × 720). They go to the roomier middle now."""
    grid = sample_grid(parse_loss("sin(x^2)"), ((-4.0, 4.0), (-2.5, 2.5)), 256)
    _lines, spots = trace(grid, grid.values, contour_levels(-0.9, 0.9, map_contours.LEVELS))
    xs = np.array([x for x, _y, _v, _p in spots])
    assert len(xs) >= 5 and np.mean(np.abs(xs) < 2.5) >= 0.75, xs
    # (beside f's undefined edge, where the curves crowd, no room: it counted as the most)
    log = sample_grid(parse_loss("log(x) + y^2"), ((-1.0, 1.0), (-1.0, 1.0)), 256)
    room = map_contours._room(log.a[::2], log.b[::2], log.values[::2, ::2],
                              contour_levels(-3.0, 1.0, map_contours.LEVELS))
    assert room((0.0, 0.0)) == 0.0 and room((0.9, 0.0)) > room((0.1, 0.0)) > 0.0
    # (a bowl's labels are where they were: its curves have room everywhere)
    grid, shown = samples()
    levels = contour_levels(0.5, 12.0, map_contours.LEVELS)
    _lines, roomy = trace(grid, shown, levels)
    placed, plain = [], []
    for i, level in enumerate(levels):
        pieces = contour_paths(grid.a[::2], grid.b[::2], shown[::2, ::2], levels)[float(level)]
        places = map_contours.label_spots(pieces, placed, i, (4.0, 4.0))
        if places:
            placed.append(places[0])
            plain.append(places[0])
    assert [(x, y) for x, y, _v, _p in roomy] == plain
