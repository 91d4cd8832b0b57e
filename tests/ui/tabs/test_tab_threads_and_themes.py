"""The lecture tabs beyond their maths: what they import, their typesetting threads (never a
hang when a tab closes), the dark theme, large type, and the Slice legend's line breaks."""

from __future__ import annotations

import re

import numpy as np
import pytest

from gdviz import parse_loss
from gdviz.ui.binding import QtGui, QtWidgets


def test_the_lecture_tabs_do_not_import_pyqtgraph(run_python):
    """The tabs draw on the light canvas: building them must not wait for pyqtgraph."""
    code = ("import sys\n"
            "for m in ('slice_view', 'limit_view', 'gradient_view', 'regression_view', "
            "'steps_view'):\n"
            "    __import__('gdviz.ui.derivatives.' + m)\n"
            "assert 'pyqtgraph' not in sys.modules, 'pyqtgraph was imported'\n")
    done = run_python(code)
    assert done.returncode == 0, done.stderr


CLOSE_WITH_JOBS_QUEUED = """
import time
from PySide6 import QtTest, QtWidgets
app = QtWidgets.QApplication([])
from gdviz import parse_loss
from gdviz.ui.controller import Controller
from gdviz.ui.derivatives.held_formula import FormulaJob
from gdviz.ui.derivatives.slice_view import SliceView
c = Controller()
c.set_loss(parse_loss("sin(w1)*w2*(1-w2)"))
view = SliceView(c)
view.show()
QtTest.QTest.qWaitForWindowExposed(view)
for i in range(4):  # one typesets, three wait in the queue
    view.header._pool.start(FormulaJob(("k", i), lambda: (r"x^2", r"x^2"), lambda *a: None))
view.close()
view.deleteLater()
other = QtWidgets.QWidget()
other.show()
QtTest.QTest.qWaitForWindowExposed(other, 3000)  # runs the deletion with the GIL held
print("deleted")
"""


def test_closing_a_tab_with_typesetting_queued_does_not_hang(run_python):
    # Its thread pool, deleted with it, waited for a job that waited for the GIL: for good.
    done = run_python(CLOSE_WITH_JOBS_QUEUED, timeout=60)
    assert done.returncode == 0 and "deleted" in done.stdout, done.stderr


# -- the dark theme ---------------------------------------------------------------------------
def _dark(widget) -> None:
    from gdviz.ui.binding import QtGui

    palette = QtGui.QPalette(widget.palette())
    palette.setColor(QtGui.QPalette.WindowText, QtGui.QColor("#f2f2f2"))
    palette.setColor(QtGui.QPalette.Text, QtGui.QColor("#f2f2f2"))
    palette.setColor(QtGui.QPalette.Base, QtGui.QColor("#26282c"))
    palette.setColor(QtGui.QPalette.Window, QtGui.QColor("#1e1f22"))
    widget.setPalette(palette)


def test_the_slice_follows_the_dark_theme(qtbot, slice_view):
    from gdviz.ui.binding import QtGui

    plot = slice_view.plot_widget
    assert plot.backgroundBrush().color().lightness() > 240
    tangent = slice_view.tangent.pen.color()
    assert plot.ink(tangent) == tangent  # on white, drawn as chosen
    _dark(slice_view)
    QtWidgets.QApplication.processEvents()
    assert plot.backgroundBrush().color().name() == "#26282c"
    # The black tangent is drawn light; a colour keeps its hue (the slope's sign).
    assert plot.ink(tangent).lightness() > 200
    rising = QtGui.QColor("#009E73")
    assert plot.ink(rising) == rising
    image = plot.grab().toImage()
    r = plot.plot_rect()
    xs, ys = slice_view.tangent.x, slice_view.tangent.y
    mid = len(xs) // 2
    px, py = plot.data_to_px(xs[mid], ys[mid])
    dpr = image.devicePixelRatio()
    around = [image.pixelColor(round((px + dx) * dpr), round((py + dy) * dpr)).lightness()
              for dx in range(-2, 3) for dy in range(-2, 3)
              if r.contains(px + dx, py + dy)]
    assert max(around) > 180  # a light dash on the dark ground

    # The typeset header is typeset again in the theme's light ink.
    def light_formula():
        pm = slice_view.formula.pixmap()
        if pm is None or pm.isNull():
            return False
        image = pm.toImage()
        inked = [image.pixelColor(x, y) for x in range(0, image.width(), 2)
                 for y in range(0, image.height(), 2) if image.pixelColor(x, y).alpha() > 250]
        neutral = [c for c in inked if c.hslSaturation() < 40]
        return len(neutral) > 10 and all(c.lightness() > 200 for c in neutral)
    qtbot.waitUntil(light_formula, timeout=15000)


@pytest.mark.parametrize("width", [440, 330])  # (330: the dock in presentation at 1600)
def test_large_type_in_a_narrow_dock_shows_the_whole_quotients(qtbot, limit_view, width):
    from gdviz.ui.presentation import LECTURE_MAX_SCALE

    font = QtGui.QFont(limit_view.font())
    font.setPointSizeF(font.pointSizeF() * LECTURE_MAX_SCALE)  # presentation mode's type
    limit_view.setFont(font)
    limit_view.resize(width, 1000)
    qtbot.wait(20)
    limit_view.ensure_fresh()
    QtWidgets.QApplication.processEvents()
    # The names wrap; the digits (which cannot) are shown whole.
    for label in (limit_view.forward_label, limit_view.exact_label):
        digits = max(re.sub("<[^>]+>", "", label.text()).split(), key=len)
        assert label.width() >= label.fontMetrics().horizontalAdvance(digits), digits


def test_the_secant_plots_key_follows_the_dark_theme(qtbot, limit_view):
    plot = limit_view.secant_widget
    drawn = plot.ink(limit_view.curve.pen.color()).name()
    assert drawn in limit_view.sec_legend.text()
    _dark(limit_view)
    qtbot.waitUntil(lambda: plot.dark)
    limit_view.ensure_fresh()
    drawn_dark = plot.ink(limit_view.curve.pen.color()).name()
    assert drawn_dark != drawn and drawn_dark in limit_view.sec_legend.text()


STUCK_JOB = """
import threading
from PySide6 import QtCore, QtTest, QtWidgets
app = QtWidgets.QApplication([])
from gdviz.ui.later import drain_pools

release = threading.Event()

class Stuck(QtCore.QRunnable):
    def run(self):
        release.wait(20)

owner = QtWidgets.QWidget()
pool = QtCore.QThreadPool(owner)
pool.start(Stuck())
pool.start(Stuck())  # queued
QtCore.QThread.msleep(100)
assert not drain_pools(owner, 200)  # gives up on the running job...
assert pool.parent() is None  # ...and keeps its pool out of the owner's deletion
owner.deleteLater()
other = QtWidgets.QWidget()
other.show()
QtTest.QTest.qWaitForWindowExposed(other, 2000)  # the deletion, with the GIL held
release.set()
assert pool.waitForDone(5000)
print("deleted")
"""


def test_a_job_that_outlives_the_wait_does_not_hang_its_owners_deletion(run_python):
    done = run_python(STUCK_JOB, timeout=60)
    assert done.returncode == 0 and "deleted" in done.stdout, done.stderr


def test_a_theme_change_recolours_the_typeset_header_at_once(qtbot, slice_view):
    qtbot.waitUntil(lambda: slice_view.formula.pixmap() is not None
                    and not slice_view.formula.pixmap().isNull(), timeout=30000)

    def inks():
        image = slice_view.formula.pixmap().toImage()
        return [image.pixelColor(x, y) for x in range(0, image.width(), 2)
                for y in range(0, image.height(), 2)
                if image.pixelColor(x, y).alpha() > 250
                and image.pixelColor(x, y).hslSaturation() < 40]

    assert inks() and all(c.lightness() < 60 for c in inks())
    _dark(slice_view)
    slice_view.ensure_fresh()  # the redraw the palette change asks for, now: no typesetting
    pm = slice_view.formula.pixmap()
    assert pm is not None and not pm.isNull()  # still the picture, not the rich-text stand-in
    assert inks() and all(c.lightness() > 200 for c in inks())


def test_a_header_being_typeset_is_not_typeset_twice(qtbot, slice_view, controller,
                                                      monkeypatch):
    import gdviz.ui.derivatives.held_header as module

    started = []
    real = module.FormulaJob.for_loss

    def counting(key, *args, **kwargs):
        started.append(key)
        return real(key, *args, **kwargs)

    monkeypatch.setattr(module.FormulaJob, "for_loss", counting)
    module.FORMULAS.clear()
    loss, held = controller.loss, 1 - slice_view.slice_axis
    key = (loss.text, loss.variables, held)
    slice_view.header.key = (*key, "#000000")
    slice_view.header.typesetting.clear()
    slice_view.header.typeset(key, loss, held)
    slice_view.header.typeset(key, loss, held)  # a theme change while the first is running
    assert started == [key]
    qtbot.waitUntil(lambda: key in module.FORMULAS, timeout=30000)
    assert not slice_view.header.typesetting


def test_the_slice_legend_breaks_only_between_its_entries(slice_view):
    """A swatch never ends a line without its words, whatever the dock's width."""
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(slice_view.legend.font())
    doc.setHtml(slice_view.legend.text())
    swatches = ("━━", "╌╌")
    widest = max(QtGui.QFontMetricsF(slice_view.legend.font()).horizontalAdvance(
        f"━━ {label}") for label in ("rising (slope > 0)", "falling (slope < 0)"))
    for width in range(int(widest) + 12, 700, 7):  # (a narrower one must cut an entry)
        doc.setTextWidth(width)
        doc.size()  # (lays the text out)
        block = doc.begin()
        layout, text = block.layout(), block.text()
        lines = [text[layout.lineAt(i).textStart():
                      layout.lineAt(i).textStart() + layout.lineAt(i).textLength()].strip()
                 for i in range(layout.lineCount())]
        for line in lines:
            assert not line.endswith(swatches), (width, lines)
            assert line.startswith(swatches), (width, lines)  # each line starts an entry


def _text_colors(html_text: str) -> list[str]:
    return re.findall(r"color:(#[0-9a-fA-F]{6})", html_text)


@pytest.mark.parametrize("dark", [False, True])
def test_coloured_text_in_the_tabs_is_readable_on_either_theme(gradient_view, slice_view, dark):
    # The map's dark red (∂f/∂w1 = …) and the held variable's purple were 2.6 and 2.1 : 1 on
    # the dark theme's grey; text in a colour is now at least 4.5 : 1 (WCAG AA).
    from gdviz.ui.colors import contrast_ratio

    for view in (gradient_view, slice_view):
        if dark:
            _dark(view)
        view.mark_dirty()
        view.ensure_fresh()
        ground = view.palette().color(QtGui.QPalette.ColorRole.Window).name()
        texts = [label.text() for label in view.findChildren(QtWidgets.QLabel)]
        if hasattr(view, "header"):  # the Slice tab's header, before it is typeset
            texts.append(view.header.held_text[1])
        colors = [c for t in texts if "━━" not in t and "╌╌" not in t for c in _text_colors(t)]
        assert colors, "no coloured text found"
        for color in colors:
            assert contrast_ratio(color, ground) >= 4.5, (color, ground)


def test_the_gradient_labels_are_readable_on_the_dark_theme(qtbot, gradient_view):
    # "∇f", "∂f/∂w1" in the arrow's dark red on the dark theme's black boxes: 2.6 : 1.
    from gdviz.ui.colors import contrast_ratio

    _dark(gradient_view)
    plot = gradient_view.local_widget
    qtbot.waitUntil(lambda: plot.dark)
    gradient_view.redraw()
    drawn = []

    class Recorder(QtGui.QPainter):
        def setPen(self, pen):  # noqa: N802 - Qt's name
            if isinstance(pen, QtGui.QColor):
                drawn.append(pen.name())
            super().setPen(pen)

    label = gradient_view.texts["grad"]
    assert label.text == "∇f"
    image = QtGui.QImage(plot.width(), plot.height(), QtGui.QImage.Format.Format_ARGB32)
    painter = Recorder(image)
    label.paint(painter, plot)
    painter.end()
    box = plot.ink(label.fill, floor=False).name()
    assert drawn and contrast_ratio(drawn[-1], box) >= 4.5


@pytest.mark.parametrize("text, occurrences, ends_held", [
    ("w1 + 2*w2", 2, True), ("x^2 + 3*y^2", 2, False), ("exp(10*w1*w2)", 2, True),
    ("a^2 + a*b", 2, True), ("sin(w1)*w2*(1-w2)", 3, False),
    ("x/y + 1", 2, False), ("x/(y*x + 1)", 2, False), ("sin(x)/(1 + y^2)", 2, False),
    ("y/(1 + y/(2 + x))", 3, False)])
def test_the_held_variable_is_purple_wherever_it_stands(qtbot, text, occurrences, ends_held):
    """mathtext crops to the ink: with the held symbol last (w1 + 2·w2) the two pictures
    differed in size and the whole formula came out black; and it drew \\phantom{y}^{2}
    with its y, so the y of 3y² stayed black. In a denominator the phantom's missing ink
    lowered the picture's edge (its bars were plain |, not stretched): all black again."""
    from gdviz.ui.derivatives.held_formula import composite_parts, held_formula_tex

    share, alpha = composite_parts(*held_formula_tex(parse_loss(text), 1))
    held = ((share > 0.5) & (alpha > 0.3)).any(axis=0)
    # one run of purple columns per appearance (f(a, b) and the formula's); a name and its
    # subscript (w, 2) a few columns apart are one
    columns = np.flatnonzero(held)
    runs = 1 + int((np.diff(columns) > 6).sum()) if columns.size else 0
    assert runs == occurrences, text
    inked = np.flatnonzero((alpha > 0.3).any(axis=0))
    assert held[inked[-1]] == ends_held  # (no bar left at the right end)
    assert inked[0] <= 4 and inked[-1] >= alpha.shape[1] - 5  # (nor at the left: "f" first)
    assert not (share[alpha > 0.3] > 0.5).all()  # the rest is not purple


@pytest.mark.parametrize("text", ["sqrt(x^2 + y^2)", "w1 + 2*w2", "x^2 + 3*y^2", "x/y + 1"])
def test_no_strip_of_the_bars_is_left_at_the_header_s_edges(qtbot, text):
    """With a one-column gap before the closing bar (√(x² + y²)) its margin of air took a
    faint strip of the bar with it."""
    from gdviz.ui.derivatives.held_formula import composite_parts, held_formula_tex

    share, alpha = composite_parts(*held_formula_tex(parse_loss(text), 1))
    assert alpha[:, 0].max() < 0.05, alpha[:, 0].max()
    assert alpha[:, -1].max() < 0.05, alpha[:, -1].max()


def test_the_header_shown_until_typeset_writes_a_real_minus(qtbot):
    """The Slice tab's header as rich text, before its typeset picture comes: "(1 - w2)"
    had a hyphen, where the loss panel and the typeset header have a minus."""
    from gdviz.ui.derivatives.held_formula import held_formula_html

    loss = parse_loss("sin(w1)*w2*(1-w2) - 2e-3")
    loss.prepare()  # (the printed form, as the compile thread makes it)
    html = held_formula_html(loss, 1)
    assert "-" not in html.replace("font-size", "").replace("style=", ""), html
    assert "(1 − <b" in html and "−" in html.split("</b>)")[-1], html
