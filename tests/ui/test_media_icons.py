"""The playback buttons' own icons: the right shape, the palette's text colour (dark theme
too), pause while playing."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtGui

from gdviz.ui.media_icons import KINDS, SIZE, media_pixmap
from gdviz.ui.playback import PlaybackBar


def alpha(pixmap: QtGui.QPixmap) -> np.ndarray:
    image = pixmap.toImage().convertToFormat(QtGui.QImage.Format.Format_ARGB32)
    raw = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    rows = raw.reshape(image.height(), image.bytesPerLine())[:, :4 * image.width()]
    return rows.reshape(image.height(), image.width(), 4)[..., 3].copy()  # (image is freed)


def inked(pixmap: QtGui.QPixmap) -> np.ndarray:
    return alpha(pixmap) > 128


@pytest.mark.parametrize("dpr", [1.0, 2.0])
def test_the_shapes(qapp, dpr):
    shapes = {kind: inked(media_pixmap(kind, QtGui.QColor("black"), dpr)) for kind in KINDS}
    side = round(SIZE * dpr)
    for kind, ink in shapes.items():
        assert ink.shape == (side, side)
        assert 0.1 < ink.mean() < 0.5, kind  # drawn, inside its box
    play, pause = shapes["play"], shapes["pause"]
    mid = side // 2
    # play: a triangle pointing right (tall on its left, a point on its right)
    cols = np.flatnonzero(play.any(axis=0))
    assert play[:, cols[0] + 1].sum() > 3 * play[:, cols[-1] - 1].sum()
    # pause: two bars with a gap between them
    assert pause[mid].any() and not pause[mid, mid]
    # back is forward pointing the other way
    fw, bw = shapes["forward"], shapes["back"]
    assert abs(int(fw.sum()) - int(bw.sum())) <= 0.05 * fw.sum()
    assert fw[:, : side // 2].sum() > 0 and bw[:, side // 2:].sum() > 0
    with pytest.raises(ValueError):
        media_pixmap("rewind", QtGui.QColor("black"))


def icon_color(button) -> QtGui.QColor:
    image = button.icon().pixmap(SIZE, SIZE).toImage()
    a = alpha(button.icon().pixmap(SIZE, SIZE))
    y, x = np.unravel_index(np.argmax(a), a.shape)
    return image.pixelColor(int(x), int(y))


def test_the_bar_paints_its_icons_in_the_palette_colour_and_follows_a_new_palette(qtbot):
    bar = PlaybackBar()
    qtbot.addWidget(bar)
    ink = bar.palette().color(QtGui.QPalette.ColorRole.ButtonText)
    for button in (bar.reset, bar.back, bar.play, bar.step):
        assert icon_color(button).rgb() == ink.rgb()
    dark = QtGui.QPalette(bar.palette())
    dark.setColor(QtGui.QPalette.ColorRole.ButtonText, QtGui.QColor("#f0f0f0"))
    bar.setPalette(dark)
    assert icon_color(bar.play).rgb() == QtGui.QColor("#f0f0f0").rgb()
    before = inked(bar.play.icon().pixmap(SIZE, SIZE))
    bar.set_playing(True)
    assert bar.play.accessibleName() == "pause"
    assert not np.array_equal(inked(bar.play.icon().pixmap(SIZE, SIZE)), before)
    assert icon_color(bar.play).rgb() == QtGui.QColor("#f0f0f0").rgb()
    bar.set_playing(False)
    np.testing.assert_array_equal(inked(bar.play.icon().pixmap(SIZE, SIZE)), before)


@pytest.mark.parametrize("dpr", [1.0, 1.25, 1.5, 2.0, 3.0])
def test_the_icon_is_drawn_for_the_screen_it_shows_on(qapp, dpr):
    from PySide6 import QtCore

    from gdviz.ui.media_icons import media_icon

    palette = qapp.palette()
    icon = media_icon("pause", palette)
    shown = icon.pixmap(QtCore.QSize(SIZE, SIZE), dpr)
    assert (shown.width(), shown.devicePixelRatio()) == (round(SIZE * dpr), dpr)
    ink = palette.color(QtGui.QPalette.ColorRole.ButtonText)
    assert shown.toImage() == media_pixmap("pause", ink, dpr).toImage()  # drawn, not scaled
    faded = icon.pixmap(QtCore.QSize(SIZE, SIZE), dpr, QtGui.QIcon.Mode.Disabled)
    assert alpha(faded).max() < 0.5 * alpha(shown).max()


def test_the_icons_follow_the_dark_theme_of_the_whole_app(qtbot, qapp):
    bar = PlaybackBar()
    qtbot.addWidget(bar)
    light = bar.palette().color(QtGui.QPalette.ColorRole.ButtonText)
    before = qapp.palette()
    palette = QtGui.QPalette(before)
    palette.setColor(QtGui.QPalette.ColorRole.ButtonText, QtGui.QColor("#eeeeee"))
    try:
        qapp.setPalette(palette)  # as the presentation's dark theme does
        qtbot.waitUntil(lambda: icon_color(bar.play).rgb() == QtGui.QColor("#eeeeee").rgb(),
                        timeout=5000)
        assert icon_color(bar.step).rgb() == QtGui.QColor("#eeeeee").rgb()
    finally:
        qapp.setPalette(before)
    qtbot.waitUntil(lambda: icon_color(bar.play).rgb() == light.rgb(), timeout=5000)


def test_the_playback_icons_grow_with_the_type(window, qtbot):
    """In presentation mode's 24-pixel type the 24-pixel play and step glyphs looked half the
    size of the "k = 12 / 163" beside them; they grow with the type, and shrink back."""
    Gui = QtGui
    play = window.playback.play
    assert play.iconSize().width() == window.playback.icon_size()  # (from the start)
    start = play.iconSize().width()
    window.menu_actions["presentation"].trigger()
    try:
        px = window.classroom.presentation.px
        qtbot.waitUntil(lambda: Gui.QFontInfo(window.playback.font()).pixelSize() == px,
                        timeout=5000)
        assert play.iconSize().width() >= 1.5 * px > start
        assert window.playback.step.iconSize() == play.iconSize()
    finally:
        window.menu_actions["presentation"].trigger()
    qtbot.waitUntil(lambda: play.iconSize().width() == start, timeout=5000)
    assert start >= SIZE
