"""The basins map: its tints lie over f's lightness alone, and the colour bar says so (over
viridis a basin changed hue with f: Himmelblau's yellow basin read salmon, as the red one, in
its well; the bar's viridis beside basins coloured by steps matched nothing); its crowded
minima; its starts judged as the window's runs are."""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from gdviz.ui import map_layers


def _shown_basins(window, n: int | None = None):
    """The window's basins map, turned on (``n`` starts per side if given) and computed."""
    basins = window.classroom.basins
    if n is not None:
        basins.n = n
    window.menu_actions["basins"].setChecked(True)
    assert basins.wait(30000)
    QtWidgets.QApplication.processEvents()
    return basins


def _rgb(image: QtGui.QImage) -> np.ndarray:
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    w, h = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * h)
    return raw.reshape(h, image.bytesPerLine() // 4, 4)[:, :w, 2::-1].astype(int)  # (BGRA)


def _bar(grey: bool) -> np.ndarray:
    image = QtGui.QImage(120, 220, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    p = QtGui.QPainter(image)
    map_layers.paint_colorbar(p, QtCore.QRectF(0, 10, 10, 200), 0.0, 1.0, "f",
                              QtWidgets.QApplication.font(), QtGui.QColor("black"), grey)
    p.end()
    x = int(10 + map_layers.BAR_GAP + map_layers.BAR_WIDTH / 2)
    return _rgb(image)[20:200, x]


def test_the_grey_scale_is_the_colour_map_s_lightness(qapp):
    shown = np.linspace(0.0, 1.0, 64)[None, :].repeat(4, axis=0)
    grey = _rgb(map_layers.heat_image(shown, 0.0, 1.0, grey=True))[0]
    assert (grey[:, 0] == grey[:, 1]).all() and (grey[:, 1] == grey[:, 2]).all()
    assert (np.diff(grey[:, 0]) >= 0).all() and grey[-1, 0] - grey[0, 0] > 150  # dark → light
    coloured = _rgb(map_layers.heat_image(shown, 0.0, 1.0))[0]
    assert (coloured[:, 0] != coloured[:, 2]).any()
    bar = _bar(True)
    assert (bar[:, 0] == bar[:, 1]).all() and (bar[:, 1] == bar[:, 2]).all()
    assert bar[0, 0] > bar[-1, 0]  # (high values light, at the top)
    assert (_bar(False)[:, 0] != _bar(False)[:, 2]).any()


def test_the_map_is_grey_under_the_basins_and_coloured_without_them(window):
    window.load_preset("himmelblau")
    window.wait_idle()
    contour = window.contour
    _shown_basins(window)
    try:
        contour.grab()  # (painted: the heatmap is made as it is first painted)
        heat = _rgb(contour._heat)
        assert (heat[..., 0] == heat[..., 2]).all()
        # One basin, one hue: (−3.78, −3.28)'s, low and high up its side (off its star).
        x0, y0 = contour.data_to_px(-3.0, -2.4)
        x1, y1 = contour.data_to_px(-4.6, -0.6)
        shot = _rgb(contour.grab().toImage())
        assert abs(_hue(contour, shot, x0, y0) - _hue(contour, shot, x1, y1)) < 0.05
    finally:
        window.menu_actions["basins"].setChecked(False)
        QtWidgets.QApplication.processEvents()
    # Without them, viridis again: the well dark blue, its side green.
    shot = _rgb(contour.grab().toImage())
    assert abs(_hue(contour, shot, x0, y0) - _hue(contour, shot, x1, y1)) > 0.1


def _hue(contour, shot: np.ndarray, x: float, y: float) -> float:
    """The hue of the median colour of a 7 × 7 patch of ``shot`` around (x, y)."""
    dpr = contour.devicePixelRatioF()
    i, j = int(y * dpr), int(x * dpr)
    r, g, b = np.median(shot[i - 3:i + 4, j - 3:j + 4].reshape(-1, 3), axis=0)
    return QtGui.QColor(int(r), int(g), int(b)).hslHueF()


class _Identity:
    """A canvas whose data coordinates are its pixels."""

    @staticmethod
    def data_to_px(x, y):
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def _painted_markers(markers: np.ndarray, starred: int = 1) -> np.ndarray:
    from gdviz.ui.map_overlays import BasinsLayer

    layer = BasinsLayer(markers=markers, visible=True, starred=starred)
    image = QtGui.QImage(400, 60, QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("grey"))
    p = QtGui.QPainter(image)
    layer.paint_markers(p, _Identity())
    p.end()
    return _rgb(image)


def test_crowded_minima_star_the_lowest_alone(qapp):
    """Rastrigin's 121 stars buried its map: past twelve minima, the lowest (first) keeps
    its star, the others are small dots."""
    from gdviz.ui.map_overlays import CROWDED

    def star_tip_white(rgb, x, y) -> bool:  # (a star's top arm, 6 pixels up; not a dot's)
        return bool((rgb[y - 6, x] > 200).all())

    few = np.column_stack([20.0 + 30 * np.arange(CROWDED), np.full(CROWDED, 30.0)])
    rgb = _painted_markers(few)
    assert all(star_tip_white(rgb, int(x), 30) for x in few[:, 0])
    many = np.column_stack([20.0 + 28 * np.arange(CROWDED + 1), np.full(CROWDED + 1, 30.0)])
    rgb = _painted_markers(many)
    assert star_tip_white(rgb, 20, 30)
    assert not any(star_tip_white(rgb, int(x), 30) for x in many[1:, 0])
    assert all((rgb[30, int(x)] > 200).all() for x in many[:, 0])  # (each still marked)
    rgb = _painted_markers(many, starred=2)  # (two as low as each other: both starred)
    assert star_tip_white(rgb, 20, 30) and star_tip_white(rgb, 48, 30)
    assert not star_tip_white(rgb, 76, 30)


def test_the_lowest_minimum_comes_first_and_no_key_hides_it(window):
    from gdviz import parse_loss
    from gdviz.ui.basins import lowest_first

    bowl = parse_loss("(x - 2)^2 + y^2")
    ordered, ties = lowest_first([[1.0, 1.0], [0.0, 0.0], [2.0, 0.0], [2.0, 0.5]], bowl)
    assert ordered.tolist() == [[2.0, 0.0], [2.0, 0.5], [1.0, 1.0], [0.0, 0.0]] and ties == 1
    # Minima all as low (a periodic loss): every one is the lowest, none picked by rounding.
    waves = parse_loss("sin(2*x)*sin(2*y)")
    q = np.pi / 4
    _ordered, ties = lowest_first([[q, -q], [-q, q], [3 * q, q], [q, 3 * q]], waves)
    assert ties == 4
    window.load_preset("rastrigin")
    window.wait_idle()
    _shown_basins(window, 64)
    try:
        contour = window.contour
        contour.grab()
        markers = contour.basins.markers
        assert len(markers) > 12 and np.allclose(markers[0], [0.0, 0.0], atol=1e-3)
        x, y = contour.data_to_px(0.0, 0.0)
        for legend in (contour.legends.shown_arrows(), contour.basins_legend):
            box = legend.rect(contour.plot_rect(), contour.font(), False) \
                if legend.visible else None
            assert box is None or not box.adjusted(-10, -10, 10, 10).contains(
                QtCore.QPointF(float(x), float(y))), (legend, box)
    finally:
        window.menu_actions["basins"].setChecked(False)
        QtWidgets.QApplication.processEvents()


def test_a_start_s_steps_on_the_map_are_its_run_s(window):
    """On 10⁻³·Himmelblau the map judged convergence against a tolerance of its own (2.8·10⁻⁷,
    the runs 3.6·10⁻⁷): a start's run "converged at step 30" read 31 steps on the map."""
    from gdviz import parse_loss
    from gdviz.core.basins import basins, grid_starts
    from gdviz.core.descent import descend

    c = window.controller
    window.loss_panel.set_text("1e-3*((x^2 + y - 11)^2 + (x + y^2 - 7)^2)")
    window.loss_panel.edit.returnPressed.emit()
    window.wait_idle()
    c.update_run(0, optimizer="gd", lr=5.0, steps=200)
    window.wait_idle()
    args, kwargs = window.classroom.basins.settings()
    assert kwargs["tol"] == c.run_tol and kwargs["scale_tol"] is False
    loss = parse_loss(c.loss_text)
    domain = ((-5.0, 5.0), (-5.0, 5.0))
    result = basins(loss, domain, 12, "gd", 5.0, 200, tol=c.run_tol, scale_tol=False)
    starts = grid_starts(domain, 12)
    converged = 0
    for k in range(0, len(starts), 7):
        run = descend(loss, tuple(starts[k]), "gd", 5.0, 200, tol=c.run_tol)
        i, j = divmod(k, 12)
        if run.status == "converged":
            converged += 1
            assert result.steps[i, j] == len(run.points) - 1, (starts[k], run.reason)
    assert converged >= 10


def test_the_key_names_no_minimum_no_start_reaches(window):
    """Himmelblau at η = 0.03 keyed three of its four minima at "0%", beside "no minimum
    reached 79%": swatches colouring nothing."""
    from gdviz.core.presets import get_preset

    window.load_preset("himmelblau")
    window.wait_idle()
    window.controller.update_run(0, lr=0.03)
    window.wait_idle()
    basins = _shown_basins(window, 32)
    try:
        share = basins.result.fractions()
        unreached = [k for k in range(len(basins.result.minima)) if not share.get(k)]
        assert unreached, share  # (the state the key went wrong in)
        texts = [text for _colour, text in basins.legend]
        assert not any(text.endswith(" 0%") for text in texts), texts
        assert len([t for t in texts if t.startswith("→")]) == len(
            [k for k in range(len(basins.result.minima)) if share.get(k)])
        assert get_preset("himmelblau").minima  # (its four minima, starred on the map)
        assert len(window.contour.basins.markers) == len(basins.result.minima)
    finally:
        window.menu_actions["basins"].setChecked(False)


def test_the_key_names_the_descent_the_map_was_made_with(window):
    """A tiny η leaves most starts grey ("no minimum reached"): the key now says for which
    optimizer, η and number of steps the map was computed, and follows the selected run."""
    from gdviz.ui.map_overlays import HEADING

    window.load_preset("himmelblau")
    window.wait_idle()
    c = window.controller
    c.update_run(0, optimizer="momentum", lr=0.002, steps=150)
    window.wait_idle()
    basins = _shown_basins(window, 24)
    try:
        heading = basins.legend[0]
        assert heading == ("", "Momentum, η = 0.002, 150 steps"), basins.legend
        assert all(colour for colour, _text in basins.legend[1:])
        drawn = window.contour.legends.basins.entries
        assert [(k, t) for k, t, _pen in drawn if k == HEADING] in (
            [(HEADING, heading[1])], [])  # (the compact key leaves it out)
        c.update_run(0, lr=0.004, schedule="cosine")
        window.wait_idle()
        basins._timer.stop()
        basins.compute()
        # (while that map computes, the one shown keeps its own heading: a mode changed
        # meanwhile drew the old map under the new run's)
        basins.set_mode("steps")
        assert basins.legend[0] == ("", "Momentum, η = 0.002, 150 steps"), basins.legend
        basins.set_mode("minimum")
        assert basins.wait(30000)
        assert basins.legend[0] == ("", "Momentum, η = 0.004 (cosine decay), 150 steps")
    finally:
        window.menu_actions["basins"].setChecked(False)


def test_a_heading_in_a_legend_is_drawn_without_a_swatch(qapp):
    """The heading's row has text from the box's left edge and no swatch under the samples'
    column (the box as wide as the heading needs)."""
    from gdviz.ui.map_overlays import HEADING, SAMPLE, Legend

    font = QtWidgets.QApplication.font()
    pen = QtGui.QPen(QtGui.QColor("#ff0000"))
    plain = Legend(swatches=True, entries=[("", "→ (3, 2)  25%", pen)])
    headed = Legend(swatches=True, entries=[(HEADING, "Gradient descent, η = 0.1, 200 steps",
                                             pen), ("", "→ (3, 2)  25%", pen)])
    w0, w1 = plain.box_size(font, False), headed.box_size(font, False)
    fm = QtGui.QFontMetricsF(font)
    assert w1.width() >= fm.horizontalAdvance("Gradient descent, η = 0.1, 200 steps") + 20
    assert w1.height() > w0.height()
    image = _rgb(headed._image)
    row = max(fm.height(), 14.0) + 4
    y = round(8 + row / 2)
    swatch_x = slice(int(10 + SAMPLE / 2 - 4), int(10 + SAMPLE / 2 + 4))
    red = (image[:, :, 0] > 200) & (image[:, :, 1] < 80) & (image[:, :, 2] < 80)
    assert not red[y - 3:y + 4, swatch_x].any()  # (no swatch on the heading's row)
    assert red[round(8 + row * 1.5), swatch_x].any()  # (the entry's swatch below it)


def test_the_key_tells_a_loss_falling_without_bound_from_a_diverged_run(window):
    """Newton on the lecture's loss: two thirds of the map were black, "diverged", read as
    an η too large, where the loss falls for ever (−w2²·sin w1) and the runs say "f → −∞"."""
    from gdviz.core.basins import FELL
    from gdviz.ui.basins import DIVERGED_COLOR, FELL_COLOR

    window.load_preset("lecture")
    window.wait_idle()
    window.controller.update_run(0, optimizer="newton")
    window.wait_idle()
    basins = _shown_basins(window, 24)
    try:
        labels = basins.result.labels
        assert (labels == FELL).mean() > 0.3
        texts = {colour: text for colour, text in basins.legend}
        assert texts[FELL_COLOR].startswith("f → −∞, no minimum that way"), texts
        assert DIVERGED_COLOR not in texts, texts
        # The map shows that colour where those starts are, not the diverged one's black.
        image = window.contour.basins.rgba
        fell = image[labels == FELL][:, :3]
        assert (fell == QtGui.QColor(FELL_COLOR).getRgb()[:3]).all()
    finally:
        window.menu_actions["basins"].setChecked(False)


def test_no_key_covers_the_start_s_gradient_arrow(window):
    """Himmelblau's basins at 1280 × 720: the key went over the ∇f arrow at the start (the
    class's first look at ∇f), a place that hid nothing else the map weighed."""
    window.resize(1280, 720)
    window.load_preset("himmelblau")
    window.wait_idle()
    basins = _shown_basins(window, 32)
    try:
        contour = window.contour
        xs, ys = contour.run_items[0]["arrows"]["gradient"].getData()
        assert len(xs)
        px, py = contour.data_to_px(np.asarray(xs), np.asarray(ys))
        boxes = contour.legends.boxes()
        assert boxes and basins.result is not None
        for box in boxes:
            assert not any(box.contains(float(x), float(y)) for x, y in zip(px, py,
                                                                           strict=True)), box
    finally:
        window.menu_actions["basins"].setChecked(False)


def test_the_key_s_minima_have_colours_of_their_own(window):
    """Colours by the minimum's number, modulo eleven: Rastrigin's key showed two orange, two
    pink and two green swatches for six different minima (a QA round). By basin size, the
    key's eight largest (and the map's eleven largest basins) are told apart."""
    from gdviz.core.basins import BasinsResult
    from gdviz.ui.basins import basin_colors, label_colors

    # 20 minima, basins of 20 − k cells: the eight largest are 0 … 7, but with minima
    # 11 … 19 given the larger basins the number's colours repeat among them.
    sizes = np.array([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 8, 7, 6, 5, 4, 3, 2, 1])
    labels = np.repeat(np.arange(20), sizes)
    labels = np.concatenate([labels, np.full(100 - len(labels), -1)]).reshape(10, 10)
    minima = np.column_stack([np.linspace(-1, 1, 20), np.zeros(20)])
    result = BasinsResult(labels, np.zeros((10, 10), int), labels >= 0, minima,
                          ((-1.0, 1.0), (-1.0, 1.0)), np.zeros((10, 10, 2)))
    colors = basin_colors(result)
    top = np.argsort(-sizes, kind="stable")[:11]
    assert len({colors[k] for k in top}) == 11
    key = window.classroom.basins._legend(result)
    swatches = [color for color, text in key if text.startswith("→")]
    assert len(swatches) == 8 and len(set(swatches)) == 8
    picture = label_colors(result)
    for k in top[:8]:  # (the map tints each as its key does)
        cell = picture[labels == k][0, :3]
        assert QtGui.QColor(*map(int, cell)).name() == colors[k]
