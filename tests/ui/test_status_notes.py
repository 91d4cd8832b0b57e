"""The status bar's notes about the loss are taken back when they no longer hold: a note about
the last loss's blank region, or "the loss was not changed", never sits under a new loss."""

from __future__ import annotations


def note(window) -> str:
    return window.statusBar().currentMessage()


def test_the_blank_region_note_goes_with_the_loss_it_was_about(window):
    window.apply_loss_text("log(w1) + w2^2")  # undefined for w1 <= 0: half the lecture's map
    window.wait_idle()
    assert "undefined or infinite on 50%" in note(window)
    window.apply_loss_text("w1^2 + 3 w2^2")
    window.wait_idle()
    assert "undefined" not in note(window)


def test_a_sliver_of_blank_region_is_under_one_percent_not_none(window):
    """tan(x·y)¹⁰⁰: its poles overflow on a few grid points, and the note said "undefined or
    infinite on 0% of the map"."""
    window._note_undefined(0.003)
    assert "on <1% of the map" in note(window)
    window._note_undefined(0.0)


def test_a_long_paste_is_not_cut_by_the_box(window):
    """Qt's line edit holds 32,767 characters: a 60,001-character paste was cut, and the
    error named 32767 characters. (Not megabytes: they froze the box at each keystroke.)"""
    window.loss_panel.edit.setText("x+" * 30_000 + "y")
    assert len(window.loss_panel.edit.text()) == 60_001
    assert window.loss_panel.edit.maxLength() == 100_000
    window.loss_panel.edit.setText(window.controller.loss_text)


def test_a_paste_longer_than_the_box_holds_is_not_said_to_be_as_long_as_it(window, qtbot):
    """2,000,001 characters pasted were cut to the box's 100,000, and the error said "(100000
    characters; at most 2000)", not the length pasted."""
    panel = window.loss_panel
    panel.edit.setText("x+" * 1_000_000 + "y")
    assert len(panel.edit.text()) == panel.edit.maxLength()
    window.apply_loss_text(panel.edit.text())
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=10000)
    assert "100000 characters or more, all the box holds; at most 2000" in panel.error.text()
    # (and the status bar the same: it said "(100000 characters; at most 2000)", a QA round)
    note = window.statusBar().currentMessage()
    assert note.startswith("The loss was not changed") and \
        "100000 characters or more, all the box holds; at most 2000" in note, note
    panel.edit.setText("x+" * 1500 + "y")  # (a length the box holds is said as it is)
    window.apply_loss_text(panel.edit.text())
    qtbot.waitUntil(lambda: "3001 characters" in panel.error.text(), timeout=10000)
    panel.edit.setText(window.controller.loss_text)


def test_a_loss_undefined_all_over_the_map_says_so_without_the_start_s_hint(window):
    """sqrt(−w1² − 1 − w2²): the map all hatched, and the note said "Run 1 starts there:
    click the map where it is coloured", where nothing was."""
    window.apply_loss_text("sqrt(-w1^2 - 1 - w2^2)")
    window.wait_idle()
    assert "everywhere on the map" in note(window) and "coloured" not in note(window)
    window.controller.update_run(0, lr=0.05)  # (the runs changed: said again, still without)
    window.wait_idle()
    assert "coloured" not in note(window)
    window.apply_loss_text("log(w1) + w2^2")  # (half the map: the hint comes back)
    window.wait_idle()
    assert "on 50%" in note(window) and "click the map where it is coloured" in note(window)


def test_the_blank_region_note_follows_the_region_shown(window):
    window.apply_loss_text("log(w1) + w2^2")
    window.wait_idle()
    assert "undefined" in note(window)
    window.contour.fit(((1.0, 3.0), (-1.0, 1.0)))  # only where the loss is defined
    window.contour.rangeChanged.emit(window.contour.visible_domain())
    assert "undefined" not in note(window)


def test_a_refused_loss_note_goes_when_a_loss_is_applied(window):
    window.apply_loss_text("sin(w1")
    window.wait_idle()
    assert note(window).startswith("The loss was not changed")
    window.apply_loss_text("sin(w1) + w2")
    window.wait_idle()
    assert note(window) == ""


def test_other_notes_are_left_alone(window):
    window.statusBar().showMessage("Saved the session.", 8000)
    window.apply_loss_text("w1^2 + w2^2")
    window.wait_idle()
    assert note(window) == "Saved the session."


def test_a_text_being_typed_gets_its_error_but_no_note(window, user, qtbot):
    """Typing "sin(w1" (no Enter) said "The loss was not changed" in the status bar: nothing
    was to be changed yet. The error under the box says what is wrong; once the text is
    mended it goes."""
    user.type_loss("sin(w1", enter=False)
    qtbot.waitUntil(lambda: window.loss_panel.error.isVisible(), timeout=10000)
    assert note(window) == ""
    user.type_loss("sin(w1)", enter=False)
    qtbot.waitUntil(lambda: not window.loss_panel.error.isVisible(), timeout=10000)


def test_a_refused_note_goes_once_the_text_is_mended(window, user, qtbot):
    user.type_loss("sin(w1")  # (Enter: refused, said so)
    window.wait_idle()
    assert note(window).startswith("The loss was not changed")
    assert window.loss_panel.error.isVisible()
    user.type_loss("exp(w1)", enter=False)  # mended, not applied yet
    qtbot.waitUntil(lambda: not window.loss_panel.error.isVisible(), timeout=5000)
    assert note(window) == ""  # (it stayed its 8 seconds)


def test_the_cancelled_note_goes_when_another_loss_is_applied(window, user, qtbot):
    from PySide6 import QtCore, QtTest

    window.wait_idle()
    user.focus_window()  # (shortcuts answer in the active window)
    assert QtTest.QTest.qWaitForWindowActive(window, 3000)
    user.type_loss("w1^3", enter=False)
    qtbot.keyClick(window.loss_panel.edit, QtCore.Qt.Key.Key_Escape)
    assert note(window).startswith("Loss edit cancelled")
    # (the text Esc brought back is checked as typed: that took the note back at once)
    window.wait_idle()
    qtbot.wait(400)
    assert note(window).startswith("Loss edit cancelled")
    user.type_loss("w1^2 + w2^2")
    window.wait_idle()
    assert note(window) == ""


def test_the_undefined_region_is_hatched_on_the_map(window):
    """It was the plot's plain ground (white on the light theme), told only by this note."""
    from PySide6 import QtCore

    window.apply_loss_text("log(w1) + w2^2")  # undefined for w1 <= 0
    window.wait_idle()
    assert "hatched" in note(window)
    canvas = window.contour
    image = canvas.grab().toImage()
    ratio = image.devicePixelRatio()

    # a block of the left half, off the grid lines and legends: hatched, one pixel in eight grey
    x0, y0 = (float(v) * ratio for v in canvas.data_to_px(-3.6, -0.6))
    x1, y1 = (float(v) * ratio for v in canvas.data_to_px(-2.6, -1.2))
    pixels = [image.pixelColor(QtCore.QPoint(x, y)) for x in range(int(x0), int(x1))
              for y in range(int(y0), int(y1))]
    grey = sum(c.red() == c.green() == c.blue() and c.red() < 245 for c in pixels)
    assert grey > 0.05 * len(pixels), (grey, len(pixels))
    # the loss plot says why it is empty (it showed axes 0 to 1 and nothing else)
    assert "f is undefined or infinite at the start" in window.loss_plot.note
    assert_note_fits(window.loss_plot)
    # in ink that reads as text on the plot (the placeholder grey was 3.6 : 1)
    from gdviz.ui.colors import contrast_ratio

    plot = window.loss_plot
    image = plot.grab().toImage()
    r, k = plot.plot_rect().adjusted(4, 4, -4, -4), image.devicePixelRatio()
    darkest = min((image.pixelColor(QtCore.QPoint(int(x * k), int(y * k)))
                   for x in range(int(r.left()), int(r.right()))
                   for y in range(int(r.top()), int(r.bottom()))), key=lambda c: c.lightness())
    ground = plot.backgroundBrush().color().name()
    assert contrast_ratio(darkest.name(), ground) >= 4.5, darkest.name()
    window.apply_loss_text("w1^2 + 3 w2^2")
    window.wait_idle()
    assert "undefined" not in note(window) and window.loss_plot.note == ""


def assert_note_fits(plot) -> None:
    from PySide6 import QtCore, QtGui

    from gdviz.ui.loss_plot import NOTE_FLAGS, NOTE_MARGIN

    m = NOTE_MARGIN
    rect = plot.plot_rect().adjusted(m, m, -m, -m)
    need = QtGui.QFontMetricsF(plot.note_font(rect)).boundingRect(rect, NOTE_FLAGS, plot.note)
    assert rect.contains(need), (rect, need)
    assert QtCore.QRectF(rect).width() > 0


def test_the_loss_plot_note_fits_a_narrow_plot(window, qtbot):
    """Beside four columns of readouts the plot was narrower than "f is undefined or infinite
    at the start": the note was cut off at both ends ("is undefined or infinite at the star")."""
    window.apply_loss_text("log(w1) + w2^2")
    window.wait_idle()
    plot = window.loss_plot
    from PySide6 import QtGui

    widths = []
    for width in (320, 260, 200):
        sizes = window.bottom_split.sizes()
        window.bottom_split.setSizes([width, sum(sizes) - width])
        qtbot.wait(50)
        widths.append(plot.width())
        assert_note_fits(plot)
        assert plot.note_font(plot.plot_rect()).pointSizeF() >= 4
    # (narrower than the note's longer line in the plot's own type: the case that was cut)
    longest = max(QtGui.QFontMetricsF(plot.font()).horizontalAdvance(line)
                  for line in plot.note.splitlines())
    assert min(widths) < longest, (widths, longest)


def test_a_run_starting_where_f_is_undefined_is_told_how_to_move(window):
    """log(w1) over the lecture's start (−0.5, 0.2): a run of no step, its list entry saying
    why but nowhere what to do; the hint goes once the start is moved into the domain."""
    window.apply_loss_text("log(w1) + w2^2")
    window.wait_idle()
    assert "Run 1 starts there: click the map where it is coloured" in note(window)
    window.controller.set_start(0, 1.0, 0.2)
    window.wait_idle()
    assert "hatched" in note(window) and "starts there" not in note(window)
    window.controller.set_start(0, -2.0, 0.5)
    window.wait_idle()
    assert "Run 1 starts there" in note(window)
    window.apply_loss_text("sqrt(w2) + w1^2")  # undefined for w2 < 0, defined at the start
    window.wait_idle()
    assert "hatched" in note(window) and "starts there" not in note(window)
