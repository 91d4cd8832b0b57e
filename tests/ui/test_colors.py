"""Text colours readable on either theme (gdviz.ui.colors.readable)."""

from __future__ import annotations

import pytest

from gdviz.ui.colors import RUN_COLORS, contrast_ratio, readable


def test_contrast_ratio_is_wcag_s():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's


@pytest.mark.parametrize("ground", ["#ffffff", "#efefef", "#1e1f22", "#26282c"])
@pytest.mark.parametrize("color", [*RUN_COLORS, "#c00000", "#7B3294", "#9a6a00"])
def test_readable_keeps_a_colour_that_reads_and_mends_one_that_does_not(color, ground):
    out = readable(color, ground)
    assert contrast_ratio(out, ground) >= 4.5
    if contrast_ratio(color, ground) >= 4.5:
        assert out == color
    else:  # lighter on a dark ground, darker on a light one, no further than needed
        darker = contrast_ratio(out, "#000000") < contrast_ratio(color, "#000000")
        assert darker == (ground in ("#ffffff", "#efefef"))


@pytest.mark.parametrize("ground", ["#ffffff", "#1e1f22", "#26282c"])
def test_every_run_colour_shows_as_a_line_on_either_theme(ground):
    # Compare's seventh run (Newton) was black: invisible on the dark theme's plots (1.2 : 1).
    # (The palette's yellow is its one light colour: on white it is the weakest, as designed.)
    for color in RUN_COLORS:
        if color != "#F0E442" or ground != "#ffffff":
            assert contrast_ratio(color, ground) >= 2.0, color
    assert contrast_ratio(RUN_COLORS[6], ground) >= 3.5


def test_red_text_reads_on_the_dark_theme(window, qtbot):
    # The parse error's red (#b00020) and the readouts' "diverged" were 2.0-2.3 : 1 on it.
    from PySide6 import QtGui

    window.classroom.presentation.set_dark(True)
    window.apply_loss_text("sin(w1")
    window.wait_idle()
    panel = window.loss_panel
    ground = panel.palette().color(QtGui.QPalette.ColorRole.Window).name()
    shown = panel.error.palette().color(QtGui.QPalette.ColorRole.WindowText).name()
    assert contrast_ratio(shown, ground) >= 4.5
    window.classroom.presentation.set_dark(False)  # and back: the light theme's red
    ground = panel.palette().color(QtGui.QPalette.ColorRole.Window).name()
    shown = panel.error.palette().color(QtGui.QPalette.ColorRole.WindowText).name()
    assert contrast_ratio(shown, ground) >= 4.5 and shown == readable("#b00020", ground)


def test_sliders_read_on_the_dark_theme(window, qtbot):
    """The playback scrubber's and the h slider's grooves were 1.5 : 1 against the dark
    theme's window: on a projector students could not see where playback was."""
    from PySide6 import QtGui, QtWidgets

    def groove_contrast() -> float:
        slider = window.findChild(QtWidgets.QSlider, "iterationSlider")
        window.controller.set_iteration(0)  # (the handle at the left: the groove beyond it)
        QtWidgets.QApplication.processEvents()
        image = slider.grab().toImage()
        # the groove's most contrasting pixel on the slider's middle row, right of the handle
        y = image.height() // 2
        inks = {QtGui.QColor(image.pixel(x, y)).name()
                for x in range(image.width() // 3, image.width() - 4)}
        return max(contrast_ratio(ink, window.palette().color(
            QtGui.QPalette.ColorRole.Window).name()) for ink in inks) if inks else 0.0

    presentation = window.classroom.presentation
    try:
        presentation.set_dark(True)
        QtWidgets.QApplication.processEvents()
        assert groove_contrast() >= 3.0
        limit = QtWidgets.QSlider()  # a slider made later (a lecture tab built on first use)
        limit.ensurePolished()
        assert limit.palette().color(QtGui.QPalette.ColorRole.Button) == QtGui.QColor(
            presentation._dark_slider_palette().color(QtGui.QPalette.ColorRole.Button))
    finally:
        presentation.set_dark(False)
    QtWidgets.QApplication.processEvents()
    later = QtWidgets.QSlider()  # and back: the light theme's own sliders
    later.ensurePolished()
    assert later.palette().color(QtGui.QPalette.ColorRole.Button) == (
        QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.Button))


def test_an_unticked_box_reads_on_the_dark_theme(window):
    """Fusion outlines a check box's square with the window colour, darkened: on the dark
    theme an unticked one ("log scale", "same length") was all but invisible."""
    from PySide6 import QtGui, QtWidgets

    def square_contrast() -> float:
        box = QtWidgets.QCheckBox("log scale")
        box.setChecked(False)
        box.resize(box.sizeHint())
        image = box.grab().toImage()
        ground = window.palette().color(QtGui.QPalette.ColorRole.Window).name()
        size = image.height()  # (the square sits at the left, as tall as the box)
        inks = {QtGui.QColor(image.pixel(x, y)).name() for x in range(size) for y in range(size)}
        return max(contrast_ratio(ink, ground) for ink in inks)

    presentation = window.classroom.presentation
    try:
        presentation.set_dark(True)
        QtWidgets.QApplication.processEvents()
        assert square_contrast() >= 3.0
    finally:
        presentation.set_dark(False)
    QtWidgets.QApplication.processEvents()
    later = QtWidgets.QCheckBox()
    later.ensurePolished()
    assert later.palette().color(QtGui.QPalette.ColorRole.Window) == (
        QtWidgets.QApplication.palette().color(QtGui.QPalette.ColorRole.Window))


def test_an_error_on_screen_grows_with_presentation_mode_s_type(window, qtbot):
    """A parse error shown before presentation mode kept its 12-pixel type there (its red in
    a style sheet held the label's type), while every other text grew."""
    from PySide6 import QtGui

    window.apply_loss_text("w1^^2")
    window.wait_idle()
    error = window.loss_panel.error
    before = QtGui.QFontInfo(error.font()).pixelSize()
    window.classroom.presentation.enter()
    try:
        qtbot.waitUntil(lambda: QtGui.QFontInfo(window.loss_panel.font()).pixelSize() > before)
        panel_px = QtGui.QFontInfo(window.loss_panel.font()).pixelSize()
        assert QtGui.QFontInfo(error.font()).pixelSize() == panel_px > before
    finally:
        window.classroom.presentation.leave()
    qtbot.waitUntil(lambda: QtGui.QFontInfo(error.font()).pixelSize() == before)
