"""The readouts table (painted, not an item view): cells, column fitting, partial repaints."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from PySide6 import QtGui, QtTest, QtWidgets

from gdviz.core.loss import parse_loss
from gdviz.core.session import RunSpec
from gdviz.ui.controller import Run, compute_trajectory
from gdviz.ui.readouts import COLUMNS, DIVERGED_COLOR, DROP_ORDER, Readouts


def _plain(text: str) -> str:
    """A label's text with its no-break spaces and word joiners as plain spaces."""
    return text.replace("\u00a0", " ").replace("&nbsp;", " ").replace("\u2060", "")



def _runs(lrs=(0.1, 0.3)):
    loss = parse_loss("x**2 + 3*y**2")
    runs = []
    for i, lr in enumerate(lrs):
        spec = RunSpec(optimizer="gd", lr=lr, steps=30, start=(1.0 + i, -1.0),
                       color=("#1f77b4", "#d62728", "#2ca02c")[i % 3])
        run = Run(spec)
        run.trajectory = compute_trajectory(loss, spec)
        runs.append(run)
    return runs


@pytest.fixture
def readouts(qtbot):
    view = Readouts()
    qtbot.addWidget(view)
    view.resize(700, 200)
    view.show()
    assert QtTest.QTest.qWaitForWindowExposed(view)
    return view


def _painted(view) -> QtGui.QImage:
    return view.table.grab().toImage()


def test_cells_follow_the_iteration(readouts):
    runs = _runs()
    readouts.set_runs(runs, 0)
    assert readouts.rowCount() == 2 and readouts.columnCount() == len(COLUMNS)
    assert readouts.item(0, 0).text() == "Run 1"
    assert readouts.item(1, 1).text() == "0"
    readouts.set_runs(runs, 7)
    assert readouts.item(0, 1).text() == "7"
    # before its last step a run is "moving" ("running" read as if it were computing,
    # beside the runs list's "converged at step 163", while a finished run was scrubbed)
    assert readouts.item(0, 6).text() == "moving"
    a, b = runs[0].trajectory.points[7]
    assert readouts.item(0, 2).text() == f"({a:.4g}, {b:.4g})".replace("-", "−")
    assert readouts.item(0, 3).text() == f"{runs[0].trajectory.losses[7]:.4g}".replace("-", "−")
    assert readouts.item(5, 0) is None and readouts.item(0, 99) is None


def test_a_run_without_a_path_says_why_in_its_status(readouts):
    # (the reason used to land in an eighth cell, past the status column: never shown)
    runs = _runs()
    runs[0].trajectory, runs[0].error = None, "the learning rate must be a positive number"
    runs[1].trajectory, runs[1].pending = None, True
    readouts.set_runs(runs, 3)
    status = COLUMNS.index("status")
    assert [readouts.item(r, status).text() for r in (0, 1)] == [
        "the learning rate must be a positive number", "computing…"]
    assert all(readouts.item(r, c).text() == "" for r in (0, 1) for c in range(1, status))


def test_a_diverged_run_keeps_its_cells_short_and_its_reason_in_the_tooltip(readouts):
    # Its status ("diverged at step 3: the loss grew far beyond its start") and numbers
    # such as 5.404e+05 pushed the status column behind a scroll bar at 1600 pixels.
    runs = _runs((0.1, 2.0))  # η = 2 on 3y² diverges
    message = runs[1].trajectory.message()
    assert ": " in message
    readouts.set_runs(runs, 10_000)
    status = COLUMNS.index("status")
    # a word in the cell (the step is in the k column), the whole message in the tooltip
    assert readouts.item(1, status).text() == "diverged"
    first = runs[0].trajectory.message()
    assert readouts.item(0, status).text() == first.split(" ")[0]
    assert readouts.item(0, status).text() in ("converged", "stopped")
    assert f"Run 2: {message}" in readouts.toolTip() and f"Run 1: {first}" in readouts.toolTip()
    cells = " ".join(readouts.item(1, j).text() for j in range(1, status))
    assert "e+" not in cells and "e−0" not in cells and "e" in cells, cells
    assert "-" not in cells  # (real minus signs, as on the axes)
    readouts.set_runs(runs, 0)  # (running again: the reason goes from the tooltip)
    assert "Run 2:" not in readouts.toolTip()


def test_a_run_on_a_corner_reads_no_gradient_there(readouts):
    """GD on |x| + |y| from (1, 1) lands on (0, 0) at step 2: its ∇f read (0, 0) (sign(0) =
    0) where the Gradient tab says the partials do not exist."""
    spec = RunSpec(optimizer="gd", lr=0.5, steps=30, start=(1.0, 1.0), color="#1f77b4")
    run = Run(spec)
    run.trajectory = compute_trajectory(parse_loss("abs(x) + abs(y)"), spec)
    readouts.set_runs([run], 10_000)
    grad, norm = (COLUMNS.index(c) for c in ("∇f", "‖∇f‖"))
    assert readouts.item(0, grad).text() == "(undefined, undefined)"
    assert readouts.item(0, norm).text() == "undefined"
    assert "corner" in readouts.toolTip()
    readouts.set_runs([run], 1)  # (on the way there ∇f exists)
    assert readouts.item(0, grad).text() == "(1, 1)"


def test_columns_fit_their_text_and_do_not_shrink_while_playing(readouts):
    runs = _runs()
    readouts.set_runs(runs, 0)
    table = readouts.table
    fm = QtGui.QFontMetricsF(table.font())
    for j in range(1, len(COLUMNS)):
        widest = max(fm.horizontalAdvance(readouts.item(i, j).text()) for i in range(2))
        assert table.widths[j] >= widest + 2 * table.PAD, COLUMNS[j]
    before = list(table.widths)
    readouts.set_runs(runs, 29)  # shorter numbers near the minimum
    assert all(a >= b for a, b in zip(table.widths, before, strict=True))
    readouts.set_runs(_runs((0.1, 0.3, 0.2)), 0)  # other runs: fitted afresh
    assert readouts.rowCount() == 3


def test_the_table_paints_names_in_their_colours_and_divergence_in_red(readouts, qtbot):
    runs = _runs((0.1, 2.0))  # η = 2 on 3y² diverges
    assert "diverged" in runs[1].trajectory.message()
    readouts.resize(1200, 200)  # (one row per run: narrower, the long status stacks them)
    readouts.set_runs(runs, 10_000)
    image = _painted(readouts)
    pixels = {image.pixelColor(x, y).name() for x in range(image.width())
              for y in range(min(image.height(), 3 * readouts.table.row_h))}
    assert "#1f77b4" in pixels or any(_near(p, "#1f77b4") for p in pixels)
    assert any(_near(p, DIVERGED_COLOR) for p in pixels)


def _near(name: str, target: str, tol: int = 40) -> bool:
    a, b = QtGui.QColor(name), QtGui.QColor(target)
    return (abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())
            <= tol)


def test_a_frame_repaints_only_the_rows_that_changed(readouts, qtbot, monkeypatch):
    runs = _runs()
    for k in range(6):  # the columns have grown to fit these steps
        readouts.set_runs(runs, k)
    qtbot.wait(20)
    table = readouts.table
    seen = []
    monkeypatch.setattr(table, "update", lambda *a: seen.append(a))
    readouts.set_runs(runs, 5)
    assert seen == []  # nothing changed: nothing repainted
    readouts.set_runs(runs, 4)
    assert seen and all(len(a) == 4 for a in seen)  # a rectangle, not the whole table
    assert [(y, h) for _x, y, _w, h in seen] == [(table.row_h, table.row_h),
                                                 (2 * table.row_h, table.row_h)]
    # A run at rest between two that move is not repainted (each changed row apart)
    runs = _runs((0.1, 0.3, 0.1))
    runs[1].trajectory = dataclasses.replace(
        runs[1].trajectory, **{name: getattr(runs[1].trajectory, name)[:3] for name in
                               ("points", "losses", "grad_norms", "gradients")},
        stop_step=2, status="max_steps")
    readouts.set_runs(runs, 10)
    qtbot.wait(20)
    seen.clear()
    readouts.set_runs(runs, 11)
    assert [y for _x, y, _w, _h in seen] == [table.row_h, 3 * table.row_h], seen


def _where(image: QtGui.QImage, color: str) -> list[tuple[int, int]]:
    return [(x, y) for x in range(image.width()) for y in range(image.height())
            if _near(image.pixelColor(x, y).name(), color)]


def test_a_narrow_row_stacks_the_table_a_column_per_run(readouts, qtbot):
    # A 1280 × 720 projector in presentation mode left the readouts ~330 pixels: four of the
    # seven columns showed. Stacked, every quantity of a run shows, down one column.
    runs = _runs((0.1,))
    readouts.resize(330, 220)
    readouts.set_runs(runs, 3)
    qtbot.wait(20)
    table = readouts.table
    assert sum(table.widths) > 330 and table.stacked
    assert table.stacked_size().width() <= readouts.viewport().width()
    assert readouts.horizontalScrollBar().maximum() == 0  # nothing hidden sideways
    # The same cells (the item API does not depend on the layout)...
    assert readouts.item(0, 0).text() == "Run 1" and readouts.item(0, 1).text() == "3"
    # ...painted down a column: the run's name at the top of the second column, in its hue.
    blue = _where(_painted(readouts), "#1f77b4")
    assert blue and all(x >= table.stack_widths[0] and y < table.stack_h for x, y in blue)
    # Wide again: one row per run.
    readouts.resize(900, 220)
    qtbot.wait(20)
    assert not table.stacked
    blue = _where(_painted(readouts), "#1f77b4")
    assert blue and all(x < table.widths[0] and table.row_h <= y < 2 * table.row_h
                        for x, y in blue)


def test_a_short_row_sets_the_stacked_lines_closer_before_it_scrolls(readouts, qtbot):
    """Presentation mode after Ctrl + twice: the seven lines, 1.25 times the type apart, took
    more than the row's height, and the status went behind a scroll bar, half a line showing.
    Closer (down to 1.05 times the type) they fit; shorter still, the area scrolls."""
    runs = _runs((0.1,))
    readouts.set_runs(runs, 3)
    table = readouts.table
    usual = table.stack_h
    line = table.fontMetrics().height()
    readouts.resize(330, int(7 * 1.12 * line) + 2 * readouts.frameWidth())
    qtbot.wait(20)
    assert table.stacked and table.stack_h < usual
    assert readouts.verticalScrollBar().maximum() == 0  # (every line in sight)
    readouts.resize(330, int(5 * line))  # (too short even so: it scrolls, as before)
    qtbot.wait(20)
    assert table.stack_h == table._stack_lines[0]  # (the tightest)
    assert readouts.verticalScrollBar().maximum() > 0
    readouts.resize(330, 400)  # (room again: the usual lines)
    qtbot.wait(20)
    assert table.stack_h == usual


def test_runs_that_do_not_fit_side_by_side_keep_one_row_each(readouts, qtbot):
    readouts.resize(330, 220)
    readouts.set_runs(_runs((0.1, 0.3, 0.2)), 3)
    qtbot.wait(20)
    # three columns of every value would not fit either (with ∇f and the point left out,
    # they do: the values at later steps, which the layout is chosen for, are wider)
    assert not readouts.table.stacked or readouts.table.hidden
    readouts.set_runs(_runs((0.1,)), 3)  # one run: they do
    qtbot.wait(20)
    assert readouts.table.stacked


SIX = (0.1, 0.3, 0.2, 0.05, 0.15, 0.25)


def test_where_nothing_fits_the_vector_and_then_the_point_are_left_out(readouts, qtbot):
    # Two runs on a 1280 × 720 projector, seven at 1600 pixels: the status (diverged?) went
    # behind a scroll bar. ∇f goes first (‖∇f‖ and the map's arrows tell it), then the point.
    table = readouts.table
    readouts.set_runs(_runs(SIX), 3)  # (too many to stack)
    widths = list(table.widths)
    without_grad = sum(widths) - widths[COLUMNS.index("∇f")]
    for width, hidden in ((sum(widths) + 40, ()), (without_grad + 20, ("∇f",)),
                          (without_grad - 20, ("point", "∇f"))):
        readouts.resize(width, 220)
        qtbot.wait(20)
        assert not table.stacked
        assert tuple(COLUMNS[j] for j in sorted(table.hidden)) == hidden, width
        assert readouts.horizontalScrollBar().maximum() == 0, width  # the status in view
        assert (("Left out for room" in readouts.toolTip()) == bool(hidden))
        # painted: the status column's text shows, right of the shown columns
        shown = sum(table.shown_widths())
        assert shown <= readouts.viewport().width()
    # the cells are all still there (the item API, export)
    assert readouts.item(0, COLUMNS.index("∇f")).text().startswith("(")
    readouts.resize(sum(widths) + 40, 220)  # wide again: every column
    qtbot.wait(20)
    assert table.hidden == () and "Left out" not in readouts.toolTip()


def test_where_even_then_nothing_fits_the_names_become_numbers(readouts, qtbot):
    """Seven compared runs at 1280 × 720 in presentation mode: with every column that may go
    gone, "3 · Nesterov" took 140 of 300 pixels and the status went behind a scroll bar. The
    names shorten to the runs' numbers (in their colours; the tooltip says which is which)."""
    from gdviz.ui.readouts_table import NUMBERED

    table = readouts.table
    runs = _runs(SIX)
    for i, run in enumerate(runs):
        run.spec.name = f"a long name for run {i + 1}"
    readouts.set_runs(runs, 3)
    fewest = sum(table.shown_widths(DROP_ORDER))
    short = table.number_w() + fewest - table.widths[0]
    assert max(short, 200) < fewest - 60
    bar = readouts.verticalScrollBar().sizeHint().width()
    # (the table is never narrower than 200 pixels: ReadoutsTable.sizeHint)
    readouts.resize(max(short, 200) + bar + 2 * readouts.frameWidth() + 10, 220)
    qtbot.wait(20)
    assert NUMBERED in table.hidden and not table.stacked
    assert readouts.horizontalScrollBar().maximum() == 0  # f and the status in view
    assert sum(table.shown_widths()) <= readouts.viewport().width()
    assert "1 = a long name for run 1" in readouts.toolTip()
    assert "run," not in readouts.toolTip()  # (the names are not "left out")
    assert readouts.item(0, 0).text() == "a long name for run 1"  # (the item API: whole)
    assert table.name(2) == "3"
    # Each number after a swatch of its run's own colour (the number, in a hue readable on
    # the ground, changed it: Adam's light blue read as GD's blue)
    image = table.grab().toImage()
    for i, run in enumerate(runs):
        y = round((i + 1.5) * table.row_h)
        row = {image.pixelColor(x, y).name() for x in range(table.PAD, table.PAD + 8)}
        assert QtGui.QColor(run.spec.color).name() in row, (i, row)
    readouts.resize(fewest + bar + 60, 220)  # room for the names: whole again
    qtbot.wait(20)
    assert NUMBERED not in table.hidden and table.name(2) == "a long name for run 3"


def test_a_left_out_column_is_not_painted(readouts, qtbot):
    table = readouts.table
    readouts.set_runs(_runs(SIX), 3)
    widths = list(table.widths)
    readouts.resize(sum(widths) - widths[COLUMNS.index("∇f")] + 20, 220)
    qtbot.wait(20)
    assert table.hidden == (COLUMNS.index("∇f"),)
    image = _painted(readouts)
    ink = QtGui.QColor(readouts.palette().color(QtGui.QPalette.ButtonText)).name()
    header = np.array([[_near(image.pixelColor(x, y).name(), ink, 120)
                        for x in range(image.width())] for y in range(2, table.row_h - 2)])
    inked = header.any(axis=0)
    # Each shown column's title centred in its own strip, laid out without ∇f's: a paint
    # that ignored the left-out column put the titles after it elsewhere.
    x = 0
    for j, w in enumerate(table.shown_widths()):
        if not w:
            continue
        if j < len(COLUMNS) - 1:  # (the last takes what is left: its title sits further in)
            cols = np.flatnonzero(inked[x + 1: x + w - 1]) + x + 1
            assert cols.size, COLUMNS[j]
            assert abs((cols[0] + cols[-1]) / 2 - (x + w / 2)) <= 3, COLUMNS[j]
        x += w


def test_the_layout_choice_does_not_flip_with_its_own_scroll_bar(readouts, qtbot):
    # Stacked and too tall, the scroll bar narrows the viewport; the choice is made from
    # the area's own size, so it is the same before and after the bar shows.
    table = readouts.table
    readouts.set_runs(_runs((0.1,)), 3)
    for height in range(40, 240, 7):
        readouts.resize(330, height)
        qtbot.wait(5)
        first = table.stacked
        for _ in range(3):
            QtWidgets.QApplication.processEvents()
        assert table.stacked == first, height


def test_a_negative_zero_reads_zero():
    """A converged run's gradient can be −0.0: it reads 0, not "−0" (readouts and tabs)."""
    from gdviz.ui.derivatives.common import fmt
    from gdviz.ui.numbers import short_number as _fmt

    assert _fmt(-0.0) == "0" and fmt(-0.0) == "0"
    assert _fmt(-1e-17) == "−1e−17" and fmt(-1e-17) == "−10⁻¹⁷"  # (small is not zero)


def test_points_get_the_digits_that_tell_them_apart_on_the_map():
    """On a map a thousandth wide around 1000 every point read "1000": the digits a
    thousandth of the map needs are shown (at least four, at most fifteen)."""
    from gdviz.ui.numbers import digits_for

    assert digits_for(-0.5, (-4, 4)) == 4 and digits_for(0.2, (-1.5, 2.5)) == 4  # lecture's
    assert digits_for(1000.000256, (999.999, 1000.001)) == 10
    assert f"{1000.000256:.{digits_for(1000.000256, (999.999, 1000.001))}g}" == "1000.000256"
    assert digits_for(2.56e5, (-1e6, 1e6)) == 4 and digits_for(0.0, (0, 1e-9)) == 4
    assert digits_for(1.0, (1.0, 1.0 + 1e-14)) == 15 and digits_for(float("nan"), (0, 1)) == 4
    # A point far off the map (a run that diverged) gets no more than the least: its digits
    # tell nothing there, and they pushed the other columns out of sight.
    assert digits_for(-155908794.065, (-4.0, 4.0)) == 4
    assert digits_for(1000.5, (999.999, 1000.001)) == 4  # (off by 250 spans)


def _at(window, domain, loss: str, start):
    """The window on ``loss`` over ``domain``, its run at ``start`` (step 0); its Slice tab,
    redrawn there."""
    from gdviz.core.session import RunSpec

    c = window.controller
    c.set_domain(domain)
    window.apply_loss_text(loss)
    window.wait_idle()
    c.runs[0].spec = RunSpec("gd", 0.1, start, steps=5)
    c.recompute()
    c.set_iteration(0)
    window.wait_idle()
    slice_view = window.derivatives.views["Slice"]
    slice_view.redraw()
    return slice_view


def test_the_window_shows_an_offset_point_in_full(window):

    slice_view = _at(window, ((999.999, 1000.001), (999.999, 1000.001)),
                     "(w1 - 1000)^2 + (w2 - 1000)^2", (1000.000256, 999.9995))
    assert window.readouts.item(0, 2).text() == "(1000.000256, 999.9995)"
    assert "w2 = 999.9995" in _plain(slice_view.held_label.text())
    assert "(1000.000256, 999.9995)" in _plain(slice_view.slope_label.text())


def test_the_columns_fit_new_runs_afresh(window):
    """A long run name kept its column wide through the next session or preset (the columns
    only grew): new runs fit them again; playback frames still never shrink them."""
    c = window.controller
    table = window.readouts.table
    c.update_run(0, name="Adam from the left shoulder of the valley, η = 0.05")
    window.wait_idle()
    wide = table.widths[0]
    c.update_run(0, name="")
    window.wait_idle()
    assert table.widths[0] < wide / 2


def test_a_start_where_f_is_undefined_says_so_and_has_no_gradient(readouts):
    # log(x) at x < 0: the status read "diverged at step 0" (in red) and ∇f = (-2, 0.4),
    # the 1/x of a loss that is not there.
    loss = parse_loss("log(x) + y^2")
    spec = RunSpec(optimizer="gd", lr=0.1, steps=30, start=(-0.5, 0.2), color="#1f77b4")
    run = Run(spec)
    run.trajectory = compute_trajectory(loss, spec)
    readouts.set_runs([run], 0)
    cells = [readouts.item(0, j).text() for j in range(len(COLUMNS))]
    # (one word or two in the cell, as the others: the sentence put the status behind a
    # scroll bar in Compare's readouts; it is in the tooltip)
    assert cells[COLUMNS.index("status")] == "f undefined"
    assert cells[COLUMNS.index("∇f")] == "(undefined, undefined)"
    assert cells[COLUMNS.index("f")] == "undefined"


def test_a_row_too_narrow_for_every_layout_takes_the_narrowest(readouts, qtbot):
    """At 125 % on a 1366 × 768 screen with the lecture dock shown the readouts had 116
    pixels: side by side (the fallback) showed the run, k and half of f; stacked, a run's
    values all but a few pixels."""
    table = readouts.table
    readouts.set_runs(_runs((0.1,)), 3)
    both = (COLUMNS.index("point"), COLUMNS.index("∇f"))
    stacked = table.stacked_size(DROP_ORDER[:2])  # (as the layout is chosen: its widths
    # grown to the runs' values at later steps too)
    readouts.resize(stacked.width() + 2 * readouts.frameWidth() - 12, stacked.height() + 40)
    qtbot.wait(20)
    # (‖∇f‖ and k go too before anything scrolls; f and the status stay)
    assert table.stacked and set(both) < set(table.hidden)
    assert not {COLUMNS.index("f"), COLUMNS.index("status")} & set(table.hidden)


def test_seven_runs_in_a_narrow_row_keep_their_status(readouts, qtbot):
    """Seven compared runs at 1280 × 720: without ∇f and the point the status was still cut
    behind a scroll bar, and a diverged Newton's f = −1.1·10¹⁰ read as the best. ‖∇f‖ (then
    k) goes first."""
    table = readouts.table
    runs = _runs((0.1, 0.3, 0.2, 0.05, 0.4, 0.15, 0.25))
    readouts.set_runs(runs, 30)
    both = (COLUMNS.index("point"), COLUMNS.index("∇f"))
    norm = COLUMNS.index("‖∇f‖")
    without_norm = sum(table.shown_widths((*both, norm)))
    assert without_norm < sum(table.shown_widths(both))
    bar = readouts.verticalScrollBar().sizeHint().width()
    readouts.resize(without_norm + 2 * readouts.frameWidth() + bar + 4, 4 * table.row_h)
    qtbot.wait(20)
    assert norm in table.hidden and COLUMNS.index("status") not in table.hidden
    assert readouts.horizontalScrollBar().maximum() == 0


def test_two_runs_in_a_narrow_row_stack_without_the_vector_and_the_point(readouts, qtbot):
    # The 1280 × 720 projector with two runs: side by side, even without ∇f and the point,
    # the status stayed behind a scroll bar; stacked without them, every run's f, ‖∇f‖ and
    # status show.
    table = readouts.table
    readouts.set_runs(_runs((0.1, 0.3)), 3)
    both = (COLUMNS.index("point"), COLUMNS.index("∇f"))
    stacked = table.stacked_size(DROP_ORDER[:2])  # (as the layout is chosen: its widths
    # grown to the runs' values at later steps too)
    assert stacked.width() < sum(table.shown_widths(both))  # (what makes it the choice)
    readouts.resize(stacked.width() + 2 * readouts.frameWidth() + 4, stacked.height() + 40)
    qtbot.wait(20)
    assert table.stacked and table.hidden == both
    assert readouts.horizontalScrollBar().maximum() == 0
    assert readouts.verticalScrollBar().maximum() == 0
    assert "Left out for room" in readouts.toolTip() and "point, ∇f" in readouts.toolTip()
    # painted: five quantities down the side, the runs' names in their hues at the top
    blue = _where(_painted(readouts), "#1f77b4")
    assert blue and all(x >= table.stack_widths[0] and y < table.stack_h for x, y in blue)
    assert table.height() >= 5 * table.stack_h and table.minimumHeight() < 6 * table.stack_h


def test_the_layout_never_flips_back_while_a_run_plays(readouts, qtbot):
    """Measured afresh, the layouts not shown looked smaller than the one shown (its widths
    grown with the longest values so far): stacked, side by side at k = 16, stacked at 21…"""
    runs = _runs((0.1, 2.0))
    readouts.resize(261, 220)
    seen = []
    for k in range(31):
        readouts.set_runs(runs, k)
        qtbot.wait(5)
        layout = (readouts.table.stacked, readouts.table.hidden)
        if not seen or seen[-1] != layout:
            seen.append(layout)
    assert len(seen) == len(set(seen)), seen  # each layout taken at most once


def test_a_run_converged_on_a_corner_reads_converged(readouts):
    """The cone's tip reached exactly: the status cell says "converged", the rest of the
    message (the corner) in the tooltip."""
    loss = parse_loss("sqrt(x^2 + y^2)")
    spec = RunSpec(optimizer="gd", lr=0.5, steps=30, start=(1.0, 0.0), color="#1f77b4")
    run = Run(spec)
    run.trajectory = compute_trajectory(loss, spec)
    readouts.set_runs([run], run.trajectory.stop_step)
    assert readouts.item(0, COLUMNS.index("status")).text() == "converged"
    assert "corner" in readouts.toolTip()


def test_a_start_s_status_is_short_in_its_cell():
    from gdviz.ui.readouts import short_status

    assert short_status("The loss is infinite at the start") == "f infinite"
    assert short_status("The loss is undefined at the start (−∞ on one side, ∞ on the "
                        "other)") == "f undefined"  # (1/x at 0: its whole sentence)
    assert short_status("The gradient is undefined at the start") == "∇f undefined"
    assert short_status("The gradient is infinite at the start") == "∇f infinite"
    # (Newton where ∇f is a limit: the whole sentence filled the cell)
    assert short_status("Newton's step needs f's curvature (the Hessian), undefined at the "
                        "start") == "curvature undefined"
    assert short_status("diverged at step 3: the loss became infinite") == "diverged"
    # (where f has no minimum that way: "diverged" in red read as an η too large, a QA round)
    assert short_status("diverged at step 28: the loss fell without bound (f has no minimum "
                        "that way)") == "f → −∞"
    # (GD crawling on a plateau read "stopped", as if cut short on its way)
    assert short_status("stopped after 200 steps (barely moving: f fell from 1 by only 1.4e-8; a "
                        "larger η would go faster)") == "barely moving"
    assert short_status("stopped after 200 steps") == "stopped"
    assert short_status("stopped after 200 steps (overshooting: it swings back and forth; a "
                        "smaller η would settle)") == "overshooting"
    # converged, at no minimum: the cell says where (it read "converged" at w1² − w2²'s saddle)
    assert short_status("converged at step 62: at a saddle point, not a minimum (f falls "
                        "in some directions from it)") == "saddle point"
    assert short_status("converged at step 0: at a maximum, not a minimum") == "maximum"
    assert short_status("converged at step 0: on a ridge, not a minimum (f is level along it "
                        "and falls on either side)") == "ridge"
    assert short_status("converged at step 1: in a flat region, not at a minimum (f hardly "
                        "changes around it)") == "flat region"
    # (its steps used climbing: "stopped" read as a run at rest beside one still falling)
    assert short_status("stopped at step 100: the loss rose from 28.8 to 1200 and was still "
                        "rising") == "f rising"
    assert short_status("diverged at step 200: the loss rose from 3.72 to 9.6e6 and was "
                        "still rising") == "diverged"


def test_the_selected_run_is_scrolled_into_view(window, qtbot):
    """Compare selects the best of seven runs: Newton, the last row, was below the fold of
    the readouts at 1280 × 720 in presentation mode (and cut in half in the runs list)."""
    from gdviz.ui.window_layout import share_width

    c = window.controller
    for _ in range(7):
        c.add_run()
    window.resize(1280, 620)
    share_width(window, 1280)
    window.wait_idle()
    c.select(7)
    window.wait_idle()
    qtbot.wait(50)
    area = window.readouts
    t = area.table
    if t.stacked:
        pytest.skip("the table is laid out a column per run here")  # (not at this size)
    assert area.verticalScrollBar().maximum() > 0  # (the rows do scroll here)
    top = area.verticalScrollBar().value()
    row_top, row_bottom = 8 * t.row_h, 9 * t.row_h
    assert top <= row_top and row_bottom <= top + area.viewport().height()
    # The header row stays in sight above the rows (it scrolled away with them: the f and
    # status numbers had no names), and the selected row is not under it.
    assert top > 0 and t.header_top == top
    assert row_top >= top + t.row_h
    image = area.viewport().grab().toImage()
    header = QtGui.QColor(image.pixel(3, t.row_h // 2)).name()
    assert header == t.palette().color(QtGui.QPalette.ColorRole.Button).name()
    item = window.runs_panel.list.item(7)
    rect = window.runs_panel.list.visualItemRect(item)
    assert window.runs_panel.list.viewport().rect().contains(rect)


def test_a_run_selected_in_a_short_readouts_area_is_not_under_the_header(window, qtbot):
    """The header row stays at the top of what is shown: in an area 2.7 rows tall, the
    selected run's row was scrolled in under it (hidden, or a third of it showing)."""
    c = window.controller
    for _ in range(7):
        c.add_run()
    window.wait_idle()
    area, t = window.readouts, window.readouts.table
    for rows in (2.7, 3.5):
        area.setFixedHeight(int(rows * t.row_h) + 2 * area.frameWidth())
        qtbot.wait(50)
        window.wait_idle()
        if t.stacked:
            pytest.skip("the table is laid out a column per run here")
        shown = area.viewport().height()
        for index in (0, 7, 5, 2, 4):
            c.select(index)
            window.wait_idle()
            qtbot.wait(20)
            top = area.verticalScrollBar().value()
            row_top, row_bottom = (index + 1) * t.row_h, (index + 2) * t.row_h
            assert row_top >= top + t.row_h, (rows, index, top)  # not under the header
            if shown >= 2 * t.row_h:
                assert row_bottom <= top + shown, (rows, index, top, shown)
    assert shown < 4 * t.row_h  # (the case this is about)


def test_runs_of_different_optimizers_are_named_by_them(readouts):
    """After Compare optimizers the rows read "Run 1" to "Run 7": which optimizer each was
    told only by its colour, matched against a table the class may not be looking at."""
    import dataclasses

    runs = _runs((0.1, 0.3, 0.2))
    readouts.set_runs(runs, 0)
    assert [readouts.item(i, 0).text() for i in range(3)] == ["Run 1", "Run 2", "Run 3"]
    runs[1].spec = dataclasses.replace(runs[1].spec, optimizer="adam")
    runs[2].spec = dataclasses.replace(runs[2].spec, optimizer="nesterov", name="mine")
    readouts.set_runs(runs, 0, refit=True)
    assert [readouts.item(i, 0).text() for i in range(3)] == ["1 · GD", "2 · Adam", "mine"]


def test_a_gradient_component_a_billionth_of_the_other_reads_0():
    """∇f = (0.1351, 1.68e−14) at w2 = 0.49999999999999 on the lecture's loss: read to the
    vector's digits, its second component is 0 (it read like a number to heed)."""
    from gdviz.ui.readouts import run_readout

    cells = []
    for text, start in (("sin(w1)*w2*(1-w2)", (1.0, 0.49999999999999)),
                        ("w1^2 + w2^2", (1e-12, 1e-13))):
        loss = parse_loss(text)
        run = Run(RunSpec(optimizer="gd", lr=0.1, steps=3, start=start))
        run.trajectory = compute_trajectory(loss, run.spec)
        cells.append(run_readout(run, 0, ((-4.0, 4.0), (-4.0, 4.0)))[3])
    assert cells[0] == "(0.1351, 0)", cells
    # (both tiny: the larger is the vector's own scale, and both keep their digits)
    assert cells[1] == "(2e−12, 2e−13)", cells


def test_a_gradient_s_components_keep_their_trailing_zeros_alike():
    """∇f read "(−8.150, −3.01)": the rounded component kept its trailing zero, the exact one
    not (a QA round); as in the Compare table's column, one rounded keeps both."""
    from gdviz.ui.readouts import run_readout

    loss = parse_loss("8.1503*w1 + 3.01*w2")
    run = Run(RunSpec(optimizer="gd", lr=0.1, steps=3, start=(0.5, 0.5)))
    run.trajectory = compute_trajectory(loss, run.spec)
    assert run_readout(run, 0, ((-4.0, 4.0), (-4.0, 4.0)))[3] == "(8.150, 3.010)"
    exact = parse_loss("8.15*w1 + 3.01*w2")
    run.trajectory = compute_trajectory(exact, run.spec)
    assert run_readout(run, 0, ((-4.0, 4.0), (-4.0, 4.0)))[3] == "(8.15, 3.01)"


def test_a_share_is_never_0_or_100_percent_unless_it_is():
    """The basins key read "0%" beside a basin it coloured."""
    from gdviz.ui.numbers import percent

    assert [percent(v) for v in (0.253, 0.003, 0.005, 0.0, 0.998, 0.9951, 1.0)] == [
        "25%", "<1%", "<1%", "0%", ">99%", ">99%", "100%"]


def test_arithmetic_s_noise_is_not_rounding():
    """x² + 3y² at (−0.5, 0.2): ∇f read "(−1, 1.200)", as if only the second part were
    rounded — 3·2·0.2 is 1.2000000000000002 in floats. Within a few thousand units in the
    last place a value is its short text; a real rounding keeps its zeros."""
    from gdviz.core import parse_loss
    from gdviz.ui.numbers import short_number

    assert short_number(3 * 2 * 0.2) == "1.2" and short_number(0.1 + 0.2) == "0.3"
    assert short_number(1.2 + 1e-9) == "1.200" and short_number(-0.2499999) == "−0.2500"
    ga, gb = parse_loss("x^2 + 3*y^2").gradient(-0.5, 0.2)
    assert (short_number(float(ga)), short_number(float(gb))) == ("−1", "1.2")


def test_a_rounded_number_keeps_its_trailing_zeros():
    """Adam's point (−1.000393, 0.618766) read "(−1, 0.6188)", and Compare's final loss
    −0.2499999 "−0.25": on a projector "−1" reads as exactly −1. A rounded number keeps its
    zeros; an exact one does not grow them."""
    from gdviz.ui.numbers import short_number

    assert short_number(-1.000393) == "−1.000" and short_number(-1.0) == "−1"
    assert short_number(-0.2499999) == "−0.2500" and short_number(-0.25) == "−0.25"
    assert short_number(1.0000001e-7) == "1.000e−7" and short_number(2.5e5) == "2.5e5"
    # (and no point left dangling where the digits end at it: "1234." for 1234.5)
    assert short_number(1234.5) == "1234" and short_number(123.45, 3) == "123"
    # The lecture tabs write numbers the same way (the Slice tab said "w2 = 0.5 is held
    # constant" beside the readouts' 0.5000)
    from gdviz.ui.derivatives.common import fmt

    assert fmt(0.4999997) == "0.5000" and fmt(0.5) == "0.5" and fmt(-1.000393) == "−1.000"
    assert fmt(1.0000001e-7) == "1.000×10⁻⁷" and fmt(1e-7) == "10⁻⁷"


def test_a_coordinate_of_rounding_noise_reads_0(window):
    """Newton converged on Rastrigin at y = −5.01·10⁻³⁴: the map's slice line read "slice:
    y = −5.01e−34", the Slice tab "y = −5.009×10⁻³⁴ is held constant", the readouts the same
    in the point; under 10⁻⁹ of the map's span a coordinate reads 0."""
    slice_view = _at(window, ((-4.0, 4.0), (-1.5, 2.5)), "x^2 + y^2", (0.7, -5.01e-34))
    assert window.readouts.item(0, 2).text() == "(0.7, 0)"
    held, slope = _plain(slice_view.held_label.text()), _plain(slice_view.slope_label.text())
    assert "10⁻³⁴" not in held + slope and "0.7, 0)" in slope, (held, slope)
    assert window.contour.slice_line.text in ("slice: y = 0", "slice: x = 0.7"), (
        window.contour.slice_line.text)


def test_stacked_columns_fit_each_run_s_longest_texts_measuring_only_longer_ones(readouts,
                                                                              monkeypatch):
    """The stacked widths are the runs' widest texts so far; a frame whose texts are no
    longer than before measures none (every frame measured ~100 texts, twice)."""
    table = readouts.table
    runs = _runs((0.1, 0.3))
    measured = []
    original = table._stack_widths
    monkeypatch.setattr(table, "_stack_widths",
                        lambda rows, hidden: measured.append(1) or original(rows, hidden))
    for k in range(30):
        readouts.set_runs(runs, k)
    calls = len(measured)
    readouts.set_runs(runs, 5)  # texts seen before, none longer: nothing measured
    readouts.set_runs(runs, 29)
    assert len(measured) == calls
    fm, bold = table.text_fm, table.name_fm
    for i in range(2):  # every run's stacked column fits every text it showed
        texts = [[readouts.item(i, j).text() for j in range(len(COLUMNS))]]
        for k in range(30):
            readouts.set_runs(runs, k)
            texts.append([readouts.item(i, j).text() for j in range(len(COLUMNS))])
        widest = max(max(bold.horizontalAdvance(t[0]),
                         *(fm.horizontalAdvance(t[j]) for j in range(1, len(COLUMNS))
                           if j not in table.hidden)) for t in texts)
        assert table.stack_widths[i + 1] >= widest + 2 * table.PAD
    before = table.stack_widths[1]
    runs[0].spec = dataclasses.replace(runs[0].spec, name="A run with a much longer name")
    readouts.set_runs(runs, 29)  # a longer text: measured, its column grown
    assert table.stack_widths[1] > before
    assert table.stack_widths[1] >= bold.horizontalAdvance(readouts.item(0, 0).text())
    # a name as long but wider is measured too (lengths alone would skip it)
    runs[0].spec = dataclasses.replace(runs[0].spec, name="i" * 12)
    readouts.set_runs(runs, 29, refit=True)  # (fitted afresh: the long name's width gone)
    runs[0].spec = dataclasses.replace(runs[0].spec, name="W" * 12)
    readouts.set_runs(runs, 29)
    assert table.stack_widths[1] >= bold.horizontalAdvance("W" * 12) + 2 * table.PAD
    assert table.widths[0] >= bold.horizontalAdvance("W" * 12) + 2 * table.PAD


def test_the_point_is_written_alike_in_the_readouts_the_slice_tab_and_the_map(window):
    """The Slice tab and the map's slice line wrote the point with 3 digits at least, the
    readouts with 4: "w2 = 0.498" and "(3.00, 2.00)" beside "(…, 0.4982)" and
    "(3.000, 2.000)"."""
    slice_view = _at(window, ((-4.0, 4.0), (-1.5, 2.5)), "sin(w1)*w2*(1 - w2)",
                     (-1.00617, 0.498213))
    point = window.readouts.item(0, 2).text()
    assert point == "(−1.006, 0.4982)", point
    assert "w2 = 0.4982" in _plain(slice_view.held_label.text())
    assert point in _plain(slice_view.slope_label.text()), _plain(slice_view.slope_label.text())
    assert window.contour.slice_line.text == "slice: w2 = 0.4982"
    # and f as the Gradient tab's key writes it (it took 3 digits: −0.211 beside −0.2112)
    f_text = window.readouts.item(0, 3).text()
    window.derivatives.tabs.setCurrentIndex(3)
    gradient = window.derivatives.views["Gradient"]
    gradient.redraw()
    key = gradient.legend.text().replace("&nbsp;", " ")
    assert f"(f = {f_text})" in key, (f_text, key)
    window.derivatives.tabs.setCurrentIndex(0)
    slice_view = _at(window, ((-5.0, 5.0), (-5.0, 5.0)), "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
                     (3.0000001, 2.0000002))
    assert window.readouts.item(0, 2).text() == "(3.000, 2.000)"
    assert "(3.000, 2.000)" in _plain(slice_view.slope_label.text())


def test_where_not_even_numbers_fit_the_names_stay_numbers(readouts, qtbot):
    """1366 × 768 in presentation mode after Ctrl + twice: where even the numbered layout
    was too wide, the names came back whole ("2 · Momentum"), f was cut off and the status
    went out of sight. The numbers stay (the narrowest); the rest scrolls sideways."""
    from gdviz.ui.readouts_table import NUMBERED

    table = readouts.table
    runs = _runs(SIX)
    for i, run in enumerate(runs):
        run.spec.name = f"{i + 1} · a long optimizer name"
    readouts.set_runs(runs, 3)
    numbered = sum(table.shown_widths((NUMBERED, *DROP_ORDER)))
    readouts.resize(numbered - 30, 4 * table.row_h)
    qtbot.wait(20)
    assert NUMBERED in table.hidden and not table.stacked
    assert table.name(2) == "3"
    # which number is which, said once each ("1 = 1 · GD" repeated itself)
    assert "Runs: 1 · a long optimizer name, 2 · a long" in readouts.toolTip()


def test_the_selected_run_stays_in_view_as_the_type_grows(readouts, qtbot):
    """After Ctrl + the scroll bar's pixels held other rows: Compare's best run (the last)
    went out of sight, and a half row sat under the header."""
    table = readouts.table
    readouts.set_runs(_runs(SIX), 3)
    readouts.resize(sum(table.widths) + 60, int(3.6 * table.row_h))
    qtbot.wait(20)
    last = len(SIX) - 1
    readouts.show_run(last)
    qtbot.wait(20)
    font = QtGui.QFont(readouts.font())
    font.setPixelSize(int(QtGui.QFontInfo(font).pixelSize() * 1.4))
    readouts.setFont(font)
    qtbot.wait(50)
    h, top = table.row_h, readouts.verticalScrollBar().value()
    assert top > 0 and top % h == 0, (top, h)  # whole rows under the header
    assert (last + 2) * h <= top + readouts.viewport().height()  # the selected run in view


def test_a_scroll_position_between_rows_is_put_on_whole_rows(readouts, qtbot):
    """After Compare in presentation mode the scroll bar sat at 68 of 41-pixel rows (clamped
    to a range the room under the last row had not grown yet): the best run was in view, so
    it stayed, and half of "2 · Momentum" sat under the header."""
    table = readouts.table
    readouts.set_runs(_runs(SIX), 3)
    readouts.resize(sum(table.widths) + 60, int(3.6 * table.row_h))
    qtbot.wait(20)
    table.set_bottom_pad(0)
    qtbot.wait(20)
    bar, h, last = readouts.verticalScrollBar(), table.row_h, len(SIX) - 1
    bar.setValue(bar.maximum())  # (the last row in view, the top between two rows)
    assert bar.value() % h
    readouts.show_run(last)
    qtbot.wait(100)
    assert bar.value() % h == 0, (bar.value(), h)
    assert (last + 2) * h <= bar.value() + readouts.viewport().height()


def test_the_newest_selection_wins_over_one_queued_before_it(readouts, qtbot):
    """Compare selects its best run right after the runs change: a scroll to run 1 queued
    before it (re-queued as the table's room under its last row changed) ran last and took
    the view back to the top, the best run out of sight."""
    table = readouts.table
    readouts.set_runs(_runs(SIX), 3)
    readouts.resize(sum(table.widths) + 60, int(3.6 * table.row_h))
    qtbot.wait(20)
    table.set_bottom_pad(0)  # (so the first scroll changes it, and asks again)
    last = len(SIX) - 1
    readouts.show_run(0)
    readouts.show_run(last)
    qtbot.wait(100)
    top, h = readouts.verticalScrollBar().value(), table.row_h
    assert (last + 2) * h <= top + readouts.viewport().height(), (top, h)


def test_the_readouts_keep_their_layout_and_width_as_a_run_plays(window, qtbot):
    """Himmelblau at 1366 × 768: fitted to the first step alone, the readouts took one row
    side by side at k = 0, flipped to a column per run at k = 1 (177 pixels), then widened
    three times (190, 205, 228) as the digits grew: the loss plot beside them jumped."""
    window.resize(1366, 768)
    window.load_preset("himmelblau")
    window.wait_idle()
    c, readouts = window.controller, window.readouts
    seen = set()
    for k in range(c.max_iteration + 1):
        c.set_iteration(k)
        QtWidgets.QApplication.processEvents()
        seen.add((readouts.width(), readouts.table.stacked, readouts.table.hidden,
                  window.loss_plot.width()))
    assert len(seen) == 1, seen


def test_f_has_the_digits_its_fall_needs_on_a_loss_far_from_0(window):
    """10⁶ + x² + y² read f = 1.000e6 at every step: its fall of 0.29 was unseen."""
    from gdviz.ui.readouts import loss_digits, run_readout

    assert loss_digits([-0.0767, -0.25]) == 4 and loss_digits([170.0, 0.0]) == 4
    assert loss_digits([5.0]) == 4 and loss_digits([1e6 + 0.29, 1e6]) == 9
    assert loss_digits([1e12, 1e12 + 1e-3]) == 12  # (no more than a float has)
    window.apply_loss_text("1e6 + x^2 + y^2")
    window.wait_idle()
    run = window.controller.runs[0]
    first = run_readout(run, 0)[2]
    last = run_readout(run, len(run.trajectory.points) - 1)[2]
    assert first != last and first.startswith("1000000.")


def test_a_run_at_rest_is_not_formatted_again_each_frame(readouts, monkeypatch):
    """Seven compared runs, six stopped: each frame formatted the six rows' numbers again."""
    import gdviz.ui.readouts as module

    runs = _runs((0.1, 0.3))
    runs[1].trajectory = dataclasses.replace(
        runs[1].trajectory, **{name: getattr(runs[1].trajectory, name)[:3] for name in
                               ("points", "losses", "grad_norms", "gradients")},
        stop_step=2, status="max_steps")
    readouts.set_runs(runs, 1)  # (new runs: the columns fitted to cells ahead)
    formatted = []
    real = module.run_readout
    monkeypatch.setattr(module, "run_readout",
                        lambda run, k, region: formatted.append(run) or real(run, k, region))

    def count(run) -> int:
        return sum(r is run for r in formatted)

    for k in range(3, 9):
        readouts.set_runs(runs, k)
    assert count(runs[1]) == 1 and count(runs[0]) == 6
    assert readouts.table.rows[1][1:] == real(runs[1], 8, readouts.region)
    # Another region (the map zoomed: other digits) or another path: formatted afresh.
    readouts.set_region(((-10.0, 10.0), (-10.0, 10.0)))
    readouts.set_runs(runs, 9)
    runs[1].trajectory = dataclasses.replace(runs[1].trajectory)
    readouts.set_runs(runs, 10)
    assert count(runs[1]) == 3


def test_runs_replaced_are_let_go(readouts):
    """The cells kept for runs at rest held every path the runs had had (η dragged: 40
    paths of 100,000 steps, 190 MB, kept alive)."""
    import gc
    import weakref

    runs = _runs((0.1, 0.3))
    gone = []
    for _ in range(5):
        readouts.set_runs(runs, 100)  # (both at rest: kept)
        gone.append(weakref.ref(runs[0].trajectory))
        runs[0].trajectory = dataclasses.replace(runs[0].trajectory)
    readouts.set_runs(runs, 100)
    gc.collect()
    assert all(ref() is None for ref in gone)
    assert len(readouts._at_rest) == 2


def test_a_run_that_used_its_steps_off_the_map_says_where_it_ended():
    """The lecture's loss from (π/2, 0.2) at η = 0.3 flew to (473, −74.6) and ended at
    (859, 0.5): "stopped after 200 steps" alone, in the runs list and the readouts, the map
    showing it nowhere (a QA round at 1366 × 768)."""
    from gdviz.ui.readouts import run_readout
    from gdviz.ui.run_titles import off_map_end, run_title, run_title_parts

    loss = parse_loss("sin(w1)*w2*(1 - w2)")
    run = Run(RunSpec(optimizer="gd", lr=0.3, start=(1.5708, 0.2), steps=200))
    run.trajectory = compute_trajectory(loss, run.spec)
    assert run.trajectory.message() == "stopped after 200 steps"
    domain = ((-4.0, 4.0), (-2.0, 2.5))
    end = off_map_end(run.trajectory, domain)
    assert end is not None and end[0] > 100
    status = run_title_parts(0, run, domain)[2]
    assert status.startswith("stopped after 200 steps, off the map at (") and "0.5)" in status
    assert "off the map" not in run_title(0, run)  # (no map, nothing said of it)
    last = len(run.trajectory.points) - 1
    assert run_readout(run, last, domain)[-1] == "off the map"
    assert run_readout(run, last - 1, domain)[-1] != "off the map"  # (still moving)
    # On the map, or converged anywhere, it says what it said
    near = Run(RunSpec(optimizer="gd", lr=0.3, start=(-0.5, 0.2), steps=200))
    near.trajectory = compute_trajectory(loss, near.spec)
    assert off_map_end(near.trajectory, domain) is None
    assert "off the map" not in run_title_parts(0, near, domain)[2]
    assert off_map_end(run.trajectory, ((-1e4, 1e4), (-1e4, 1e4))) is None
    # Converged far off the map, where f only levels off: said too (the readouts keep
    # "converged": the runs list says where)
    flat = Run(RunSpec(optimizer="gd", lr=0.3, start=(1.0, 0.5), steps=200))
    flat.trajectory = compute_trajectory(parse_loss("exp(10*x) + y^2"), flat.spec)
    assert flat.trajectory.message().startswith("converged at step")
    status = run_title_parts(0, flat, domain)[2]
    assert status.startswith("converged at step") and ", off the map at (−" in status, status
    assert run_readout(flat, len(flat.trajectory.points) - 1, domain)[-1] == "converged"
