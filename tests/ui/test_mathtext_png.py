"""Formula images: mathtext ink in the asked colour on white, as a valid PNG."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6 import QtGui, QtWidgets

from gdviz.ui import mathtext
from gdviz.ui.mathtext import (
    clear_formula_cache,
    formula_cache_info,
    latex_to_png,
    png_bytes,
)


def decode(data: bytes) -> np.ndarray:
    image = QtGui.QImage.fromData(data)
    assert not image.isNull()
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    w, h = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    return rows[:, : 4 * w].reshape(h, w, 4).copy()


def test_png_bytes_round_trips_exact_pixels(qapp):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    assert np.array_equal(decode(png_bytes(pixels)), pixels)


def test_a_formula_is_coloured_ink_on_white(qapp):
    pixels = decode(latex_to_png(r"\frac{\partial f}{\partial w_1} = \cos(w_1)",
                                 color="#c00000"))
    h, w, _ = pixels.shape
    assert w > 3 * h > 0  # a line of text
    assert (pixels[..., 3] == 255).all()
    assert tuple(pixels[0, 0, :3]) == (255, 255, 255)
    darkest = pixels[np.unravel_index(pixels[..., :3].sum(axis=2).argmin(), (h, w))]
    assert tuple(darkest[:3]) == (0xC0, 0, 0)


def test_mathtext_errors_reach_the_caller(qapp):
    with pytest.raises(ValueError):
        latex_to_png(r"\frac{")


def test_formula_images_are_cached_by_latex_size_and_colour(qapp, monkeypatch):
    # Renders of this test's own formula are counted (a typesetting thread left by another
    # test may use the shared cache meanwhile: its global counts are not this test's).
    latex = r"x^2 + y^2 + \zeta"
    renders = []
    real = mathtext._render_png

    def counted(*key):
        if key[0] == latex:
            renders.append(key)
        return real(*key)

    monkeypatch.setattr(mathtext, "_render_png", counted)
    clear_formula_cache()
    first = latex_to_png(latex, fontsize=18, color="#000000")
    assert latex_to_png(latex, 18.0, "#000000") is first  # same key, no new render
    assert len(renders) == 1
    assert latex_to_png(latex, 18, "#c00000") != first
    assert latex_to_png(latex, 12, "#000000") != first
    assert len(renders) == 3
    info = formula_cache_info()
    assert info["hits"] >= 1 and info["misses"] >= 3 and info["items"] >= 3
    assert info["bytes"] > 0


def test_the_formula_cache_is_bounded_in_count_and_bytes():
    cache = mathtext._PngCache(items=2, nbytes=10)
    cache.put(("a",), b"1")
    cache.put(("b",), b"2")
    assert cache.get(("a",)) == b"1"  # now the most recently used
    cache.put(("c",), b"3")
    assert cache.get(("b",)) is None and cache.get(("a",)) == b"1"
    cache.put(("big",), b"x" * 9)  # 1 + 9 + ... over 10 bytes: the oldest go first
    assert cache.info()["bytes"] <= 10 and cache.get(("big",)) is not None


def test_a_formula_on_the_dark_theme_is_light_ink_without_a_white_box(qtbot):
    from gdviz.ui.formula_label import FormulaLabel

    label = FormulaLabel("formula_test")
    qtbot.addWidget(label)
    label.resize(400, 60)
    png = latex_to_png(r"f(x, y) = x^2 + y", fontsize=16)
    label.set_formula(png, "x^2 + y")

    def shown() -> np.ndarray:
        image = label.pixmap().toImage().convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
        w, h = image.width(), image.height()
        rows = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
        return rows[:, : 4 * w].reshape(h, w, 4).copy()

    light = shown()
    # no white box on the light theme either (it looked like a sticker on the grey panel)
    assert light[0, 0, 3] == 0
    assert (light[light[..., 3] > 200][:, :3] < 60).all()  # the theme's dark ink
    palette = QtGui.QPalette(label.palette())
    palette.setColor(QtGui.QPalette.WindowText, QtGui.QColor("#f2f2f2"))
    label.setPalette(palette)
    dark = shown()
    assert dark.shape == light.shape
    assert dark[0, 0, 3] == 0  # no white box: the ground shows through
    ink = dark[..., 3] > 200
    assert ink.sum() > 50 and (dark[ink][:, :3] > 220).all()  # the theme's light ink
    # The same ink, in either theme's colour
    assert ((light[..., 3] > 195) == (dark[..., 3] > 195)).mean() > 0.99


def test_a_formula_set_while_dimmed_keeps_its_ink(qtbot):
    # A new loss's formulas arrive while the labels are dimmed (disabled): the disabled grey
    # must not be taken for a dark theme's light ink and baked into the picture.
    from gdviz.ui.formula_label import FormulaLabel

    label = FormulaLabel("formula_test")
    qtbot.addWidget(label)
    label.resize(400, 60)
    label.setEnabled(False)
    label.set_formula(latex_to_png(r"f(x, y) = x^2 + y", fontsize=16), "x^2 + y")
    label.setEnabled(True)
    image = label.pixmap().toImage().convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    w, h = image.width(), image.height()
    rgba = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    rgba = rgba[:, : 4 * w].reshape(h, w, 4)
    ink = rgba[..., 3] > 200
    assert ink.sum() > 50 and (rgba[ink][:, :3] < 60).all()  # black ink, not the dimmed grey


def test_the_sidebar_formulas_share_one_size(window):
    # Each was shrunk to fit on its own: ∂f/∂w2 (the widest) came out smaller than the rest.
    window.apply_loss_text("sin(w1)*w2*(1-w2) + 0.001*w1*w2^3")  # a wide ∂f/∂w2
    window.wait_idle()
    labels = list(window.loss_panel.formulas.values())
    assert all(not label.pixmap().isNull() for label in labels)
    ratios = {round(label.scale, 2) for label in labels}
    assert len(ratios) == 1 and ratios.pop() < 1  # one factor for all three, shrunk to fit
    for label in labels:  # drawn at it: on one line, its width, or broken onto lines
        drawn = label.pixmap().width() / label.pixmap().devicePixelRatio()
        assert label.lines > 1 or drawn == pytest.approx(label.scale * label.natural_width(),
                                                         abs=1)
    widest = max(label.pixmap().width() / label.pixmap().devicePixelRatio() for label in labels)
    assert widest <= labels[0].width()  # and the widest fits


def test_a_huge_formula_is_cut_off_legibly_not_shrunk_to_dots(window):
    # Goldstein–Price's partials shrank to dotted lines (a factor of 0.1): they are drawn at
    # MIN_SHRINK at least, cut at the label's edge with a fade, and whole in the tooltip.
    from gdviz.ui.formula_label import MIN_SHRINK

    window.apply_loss_text("(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))"
                           "*(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))")
    window.wait_idle()
    labels = list(window.loss_panel.formulas.values())
    assert all(not label.pixmap().isNull() for label in labels)
    for label in labels:
        pm = label.pixmap()
        typeset = label._pixmap  # (logical pixels: Qt may hand back another pixel ratio)
        assert (pm.height() / pm.devicePixelRatio()
                >= MIN_SHRINK * typeset.height() / typeset.devicePixelRatio() - 1)
        assert pm.width() / pm.devicePixelRatio() <= label.width()  # within the label
        assert label.cut == (label.natural_width() * MIN_SHRINK > label.width() - 4)
    da = window.loss_panel.formulas["da"]
    assert da.cut and "∂f/∂x" in da.toolTip() and len(da.toolTip()) > 200
    # the cut picture fades out at its right edge: transparent there, its ink whole at the left
    image = da.pixmap().toImage().convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
    w, h = image.width(), image.height()
    rgba = np.frombuffer(image.constBits(), np.uint8).reshape(h, image.bytesPerLine())
    alpha = rgba[:, : 4 * w].reshape(h, w, 4)[..., 3]
    assert alpha[:, : w // 2].max() > 200 and alpha[:, -1].max() < 20


def test_in_larger_type_a_long_formula_stays_as_tall_as_the_text(window):
    # In presentation mode (24 px type) a long loss's formulas shrank to half their size,
    # 12 pixels on a projector: they shrink no further than the label's own type.
    from gdviz.ui.formula_label import FORMULA_EM_PX, MIN_SHRINK

    window.apply_loss_text(
        "((-2*w1 + w2 + 0.45)^2 + (-1.3*w1 + w2 - 0.12)^2 + (-0.5*w1 + w2 - 0.7)^2"
        " + (0.2*w1 + w2 - 1.06)^2 + (0.9*w1 + w2 - 1.92)^2 + (1.6*w1 + w2 - 2.13)^2)/6")
    window.wait_idle()
    label = window.loss_panel.formulas["f"]

    def drawn_height() -> float:  # (the factor its letters are drawn at)
        return label.scale

    def floor() -> float:
        return min(1.0, max(MIN_SHRINK, QtGui.QFontInfo(label.font()).pixelSize()
                            / FORMULA_EM_PX))

    normal = floor()
    # (broken onto lines, the rest after "…" and in the tooltip)
    assert drawn_height() == pytest.approx(normal, abs=0.02) and label.lines == 3
    presentation = window.classroom.presentation
    try:
        presentation.enter()
        window.wait_idle()
        assert QtGui.QFontInfo(label.font()).pixelSize() == presentation.px
        assert floor() > normal + 0.2
        assert drawn_height() == pytest.approx(floor(), abs=0.02)
        assert label.lines == 3  # (the rest after "…", whole in the tooltip)
    finally:
        presentation.leave()
    window.wait_idle()
    assert drawn_height() == pytest.approx(normal, abs=0.02)
    # a wider label shows more of the formula on its lines (broken afresh on resize)
    before = label.pixmap().width() / label.pixmap().devicePixelRatio()
    label.resize(label.width() + 240, label.height())
    after = label.pixmap().width() / label.pixmap().devicePixelRatio()
    assert before < after <= label.width() and label.lines <= 3


def test_the_slice_tab_s_formula_stays_as_tall_as_the_tab_s_text(window, qtbot):
    """Beale's Slice header, typeset smaller than the loss panel's, shrank to 8 px beside the
    tab's 17-pixel text."""
    from gdviz.ui.derivatives.held_formula import HELD_EM_PX

    window.apply_loss_text("(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2")
    window.derivatives.build_tabs()
    window.derivatives.tabs.setCurrentIndex(0)
    label = window.findChild(QtWidgets.QLabel, "sliceFormula")
    window.wait_idle()
    qtbot.waitUntil(lambda: label._pixmap is not None, timeout=30000)  # (typeset on a thread)
    window.derivatives.resize(380, window.derivatives.height())  # (a narrow dock)
    QtWidgets.QApplication.processEvents()
    label.resize(300, label.height())
    pm, typeset = label.pixmap(), label._pixmap
    assert typeset is not None and not pm.isNull()
    shown = (pm.height() / pm.devicePixelRatio()) / (typeset.height()
                                                    / typeset.devicePixelRatio())
    text_px = QtGui.QFontInfo(label.font()).pixelSize()
    assert shown >= min(1.0, text_px / HELD_EM_PX) - 0.02 > 0.6


def test_every_typed_form_of_f_typesets():
    """f is printed as typed (gdviz.core.typed_print): mathtext draws every form of it."""
    from test_typed_print import TEXTS

    from gdviz import parse_loss

    for text in TEXTS:
        assert latex_to_png(parse_loss(text).latex).startswith(b"\x89PNG"), text


def test_a_tall_formula_is_shown_whole_on_a_short_window(window, qtbot):
    """On a 720-line screen the sidebar gave each formula label its minimum, 28 pixels: the
    fractions of 1/(1 + e^(−xy)) and its partials lost their tops and bottoms."""
    window.resize(1280, 700)
    window.apply_loss_text("1/(1+exp(-x*y))")
    window.wait_idle()
    qtbot.wait(50)
    for label in window.loss_panel.formulas.values():
        pm = label.pixmap()
        assert not pm.isNull()
        assert label.height() >= pm.height() / pm.devicePixelRatio(), label.objectName()


def test_a_long_formula_is_broken_onto_lines_between_its_terms(window):
    """Rastrigin's f, on one line three times as wide as the loss panel at 1280 × 720, was
    shrunk as far as it may be and still cut off: broken before its terms, it shows whole,
    larger, on two lines (the second indented), its partials on one."""
    window.apply_loss_text("sin(w1)*w2*(1-w2)")  # (short formulas: one line each)
    window.wait_idle()
    assert all(label.lines == 1 for label in window.loss_panel.formulas.values())
    window.apply_loss_text("20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)")
    window.wait_idle()
    f, da = window.loss_panel.formulas["f"], window.loss_panel.formulas["da"]
    f.resize(250, f.height())  # (narrower than the panel at 1280 × 720)
    da.resize(250, da.height())
    f.refit()
    assert f.natural_width() * f.smallest() > 250  # (one line could not hold it)
    assert f.lines == 2 and not f.cut and f.scale > f.smallest() + 0.1
    assert da.lines == 1 and da.scale == f.scale  # (one type size for all three)
    pm = f.pixmap()
    assert pm.width() / pm.devicePixelRatio() <= 250
    ink = np.frombuffer(pm.toImage().convertToFormat(QtGui.QImage.Format.Format_RGBA8888)
                        .constBits(), np.uint8).reshape(pm.height(), pm.width(), 4)[..., 3]
    rows = np.flatnonzero(ink.max(axis=1) > 0)
    gaps = np.flatnonzero(np.diff(rows) > 1)
    assert len(gaps) >= 1  # (two lines of ink, a gap between)
    second = rows[gaps[0] + 1:]
    first_left = np.flatnonzero(ink[rows[0]:rows[gaps[0]] + 1].max(axis=0))[0]
    second_left = np.flatnonzero(ink[second].max(axis=0))[0]
    assert second_left > first_left + 10  # (indented)


def test_a_long_product_is_broken_between_its_factors(window):
    """∂f/∂w1 of (tanh(3w1) − 0.5)² is one term, a product: with nowhere to break it, the
    three formulas shrank to the window's text on one line. Broken after its first bracket,
    it is drawn larger, on two lines, whole."""
    window.apply_loss_text("(tanh(3*w1) - 0.5)**2 + w2**2")
    window.wait_idle()
    da = window.loss_panel.formulas["da"]
    for label in window.loss_panel.formulas.values():
        label.resize(280, label.height())
    for label in window.loss_panel.formulas.values():
        label.refit()
    assert da.natural_width() * max(da.smallest(), 0.75) > 280  # (one line: small type)
    assert da.lines == 2 and not da.cut and da.scale > da.smallest() + 0.1
    pm = da.pixmap()
    assert pm.width() / pm.devicePixelRatio() <= 280


def test_a_formula_cut_short_ends_in_dots_that_show(window):
    """The long loss's third line at 1920 × 1080 ran past the panel's edge and faded out, the
    "…" drawn beyond it: a term went missing without a word. The last line keeps room for
    the dots (the rest is in the tooltip)."""
    text = ("0.5*(w1^2 + 2*w2^2) - 1.5*cos(1.3*w1)*sin(0.7*w2) + exp(-((w1 - 1)^2 + "
            "(w2 + 0.5)^2)/0.3) + 0.2*log(1 + (w1*w2)^2) + sqrt(1 + (w1 - w2)^2)/3")
    window.apply_loss_text(text)
    window.wait_idle()
    f = window.loss_panel.formulas["f"]
    assert len(f._pieces) >= 5
    for width in (300, 330, 360):
        f.resize(width, f.height())
        f.refit()
        assert f.lines == 3
        pm = f.pixmap()
        assert pm.width() / pm.devicePixelRatio() <= width  # (nothing faded out)
        assert not f.cut


def test_the_slice_header_is_as_large_as_the_sentence_in_presentation_mode(window, qtbot):
    """Typeset at 15 points (an em of 20 pixels), its letters were smaller than presentation
    mode's 22-pixel sentence under it; in the window's own type it stays at most 1.45 times
    the text."""
    window.resize(1920, 1080)
    window.derivatives.build_tabs()
    window.derivatives.tabs.setCurrentIndex(0)
    view = window.derivatives.views["Slice"]
    label = view.formula
    qtbot.waitUntil(lambda: label._pixmap is not None, timeout=30000)
    text_px = QtGui.QFontInfo(label.font()).pixelSize()
    assert label.em_px * label.scale <= 1.45 * text_px + 0.5
    window.menu_actions["presentation"].trigger()  # (on)
    try:
        qtbot.waitUntil(lambda: QtGui.QFontInfo(label.font()).pixelSize() > text_px,
                        timeout=5000)
        window.wait_idle()
        label.refit()
        big = QtGui.QFontInfo(view.held_label.font()).pixelSize()
        assert label.em_px * label.scale >= big - 0.5
    finally:
        window.menu_actions["presentation"].trigger()  # (off)


def test_a_function_after_a_factor_is_set_apart_as_tex_sets_it(monkeypatch):
    """The loss panel's ∂f/∂x of sin(x²) read "2xcos(x²)": mathtext adds no space before a
    function name after a factor (the Chain rule tab's own renderer added a thin one)."""
    from gdviz.ui.mathtext import ink_and_baseline, to_mathtext

    latex = r"2 x \cos{\left(x^{2} \right)} \cos{\left(y \right)} - y e^{- x y}"
    assert to_mathtext(latex) == (r"2 x\,\cos{\left(x^{2} \right)}\,\cos{\left(y \right)}"
                                  r" - y e^{- x y}")
    assert to_mathtext(to_mathtext(latex)) == to_mathtext(latex)  # (once only)
    assert to_mathtext(r"- \sin{\left(x \right)}") == r"- \sin{\left(x \right)}"
    spaced = ink_and_baseline(latex, 18, 144)[0].shape[1]
    monkeypatch.setattr(mathtext, "_FUNCTION_AFTER_FACTOR", re.compile("(@never@)"))
    tight = ink_and_baseline(latex, 18, 144)[0].shape[1]
    assert spaced >= tight + 8  # two thin spaces of 18-point type at 144 dpi, 6 px each


def test_names_of_several_letters_are_set_apart_from_the_factors_beside_them(monkeypatch):
    """∂f/∂bias of (weight − 1)² + 3(bias + 0.5)² + exp(−weight·bias) read
    "−weighte^{−weightbias}" in the loss panel, the Slice tab and the Chain rule tab alike:
    mathtext ignores the spaces sympy leaves between factors (a QA round). Each name is one
    word, a thin space between it and a factor beside it; one-letter names are as they were."""
    from gdviz import parse_loss
    from gdviz.ui.mathtext import ink_and_baseline, to_mathtext

    loss = parse_loss("(weight-1)^2+3*(bias+0.5)^2+exp(-weight*bias)")
    by_bias = to_mathtext(loss.partials_latex[0])
    assert r"- \mathit{weight}\,e^{- \mathit{weight}\,\mathit{bias}}" in by_bias, by_bias
    assert to_mathtext(by_bias) == by_bias  # (once only)
    assert to_mathtext(r"\mathbf{bias} weight") == r"\mathbf{bias}\,\mathit{weight}"
    assert to_mathtext(r"\sin{\left(weight \right)}") == r"\sin{\left(\mathit{weight} \right)}"
    one_letter = r"- y e^{- x y} + 6 \left(y + 0.5\right)"
    assert to_mathtext(one_letter) == one_letter
    spaced = ink_and_baseline(loss.partials_latex[0], 18, 144)[0].shape[1]
    monkeypatch.setattr(mathtext, "_spaced_names", lambda latex: latex)
    tight = ink_and_baseline(loss.partials_latex[0], 18, 144)[0].shape[1]
    assert spaced >= tight + 6, (spaced, tight)  # (a thin space at least: a word kerns)


def test_the_loss_panel_s_formulas_grow_with_presentation_mode_s_type(window, qtbot):
    """At 1920 × 1080 the formulas' em was presentation mode's 24-pixel type, their letters
    smaller than the labels beside them. With larger type they are drawn up to 1.5 times as
    large as typeset (still sharp: typeset at 144 dpi, drawn at a ratio of 1.5) where they
    fit; in the window's own type, as typeset or smaller."""
    window.resize(1920, 1080)
    window.wait_idle()
    labels = [*window.loss_panel.formulas.values(), window.runs_panel.update_rule]
    qtbot.waitUntil(lambda: all(label._pixmap is not None for label in labels), timeout=30000)
    assert all(label.scale <= 1.0 for label in labels)
    window.menu_actions["presentation"].trigger()  # (on)
    try:
        text_px = QtGui.QFontInfo(window.loss_panel.edit.font()).pixelSize()
        qtbot.waitUntil(lambda: QtGui.QFontInfo(labels[0].font()).pixelSize() >= 20,
                        timeout=5000)
        window.wait_idle()
        for label in labels:
            label.refit()
            pm = label.pixmap()
            assert 1.2 < label.scale <= 1.5, (label.objectName(), label.scale, text_px)
            assert pm.width() / pm.devicePixelRatio() <= label.width()  # (it fits)
        f = window.loss_panel.formulas
        assert f["f"].scale == f["da"].scale == f["db"].scale  # (one size for the three)
        # the update rule no larger than they (beside Rastrigin's, shrunk to fit, it was 1.5
        # times its size)
        assert labels[-1].scale <= f["f"].scale + 1e-9
        window.apply_loss_text("20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y)")
        window.wait_idle()
        # (f on two lines, as large as those fit: 1.25 at 1920 × 1080; it was held at 1)
        qtbot.waitUntil(lambda: f["f"]._pixmap is not None and f["f"].lines == 2,
                        timeout=30000)
        assert 1.1 < f["f"].scale < 1.5 and not f["f"].cut
        assert labels[-1].scale <= f["f"].scale + 1e-9
        # broken onto lines all the same, a long partial grows with the others (it was held
        # at 1 for one line it never fitted, letters smaller than the labels beside it), and
        # its lines, made at the typeset ratio, fit (the grown picture's cut one off)
        window.apply_loss_text("exp(-w1^2-w2^2)*cos(3*w1)")
        window.wait_idle()
        qtbot.waitUntil(lambda: f["da"]._pixmap is not None and f["da"].lines == 2,
                        timeout=30000)
        for label in f.values():
            pm = label.pixmap()
            assert label.scale > 1.1 and not label.cut, (label.objectName(), label.scale)
            assert pm.width() / pm.devicePixelRatio() <= label.width()
        # at 1.5 times drawn pixel for pixel as typeset (resampled up, then down by the
        # ratio, it was blurred)
        window.apply_loss_text("x^2 + y^2")
        window.wait_idle()
        qtbot.waitUntil(lambda: f["f"].scale == 1.5, timeout=30000)
        for label in labels:
            pm = label.pixmap()
            assert label.scale == 1.5 and pm.width() == label._pixmap.width(), label.objectName()
    finally:
        window.menu_actions["presentation"].trigger()  # (off)
    window.wait_idle()
    for label in labels:
        label.refit()
    assert all(label.scale <= 1.0 for label in labels)


def test_typesetting_keeps_no_font_set_per_formula():
    """mathtext makes a font set per formula and a cache on one of its methods kept each
    alive (about 19 KB a formula: a long session grew by 0.14 MB a loss edit)."""
    import gc

    from matplotlib import _mathtext

    from gdviz.ui.derivatives.typeset import render_ink
    from gdviz.ui.mathtext import ink_and_baseline

    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, _mathtext.StixFonts) for o in gc.get_objects())

    before = alive()
    for n in range(40):
        ink_and_baseline(rf"\left(x^{{{n + 1000}}} + \sqrt{{y}}\right)^2", 18, 144)
        render_ink(rf"\left(w_{{1}}^{{{n + 1000}}} + 1\right)", 144)
    assert alive() - before <= 2
