"""A loss edit repaints the views, and lays out nothing else again: the formulas are dimmed
until the new ones come (typeset a moment after the views), the status line and the slice's
menu keep their size, the runs list is touched only where a run changed."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gdviz import parse_loss
from gdviz.ui.loss_panel import PLAIN_AFTER_MS


class Layouts(QtCore.QObject):
    """Counts layout requests per widget while on."""

    def __init__(self) -> None:
        super().__init__()
        self.on = False
        self.seen: list[str] = []
        QtWidgets.QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if self.on and event.type() == QtCore.QEvent.Type.LayoutRequest:
            self.seen.append(f"{type(obj).__name__}:{obj.objectName()}")
        return False

    def close(self) -> None:
        QtWidgets.QApplication.instance().removeEventFilter(self)


def test_a_loss_edit_does_not_lay_out_the_window_again(window, user, qtbot):
    user.type_loss("x^2 + 3y^2")  # the variables and the formulas' place settle
    qtbot.wait(200)  # (and the layout their typeset formulas asked for)
    layouts = Layouts()
    typeset = []
    window.worker.typeset.connect(typeset.append)
    try:
        layouts.on = True
        window.apply_loss_text("w1^2 + 4*w2^2")  # other names too (the slice's menu says them)
        # Until the typesetting job's first report (it starts after the views have painted).
        qtbot.waitUntil(lambda: bool(typeset), timeout=20000)
        layouts.on = False
    finally:
        layouts.close()
    assert window.controller.loss.text == "w1^2 + 4*w2^2"
    assert "MainWindow:mainWindow" not in layouts.seen, layouts.seen
    assert not [w for w in layouts.seen if w.startswith(("QGroupBox", "LossPanel", "QStatusBar",
                                                         "QStackedWidget"))], layouts.seen
    window.wait_idle()


def test_the_old_formulas_are_dimmed_until_the_new_ones_come(window, user, qtbot):
    panel = window.loss_panel
    labels = [panel.formulas[k] for k in ("f", "da", "db")]
    before = [label.toolTip() for label in labels]
    heights = [label.height() for label in labels]
    seen = []
    window.controller.lossChanged.connect(
        lambda _loss: seen.append([(label.isEnabled(), label.toolTip()) for label in labels]))
    window.apply_loss_text("x^2 + 5y^2")
    qtbot.waitUntil(lambda: bool(seen), timeout=20000)
    assert seen[0] == [(False, tip) for tip in before]  # dimmed, not replaced
    assert [label.height() for label in labels] == heights
    window.wait_idle()
    assert all(label.isEnabled() for label in labels)
    assert "x**2 + 5*y**2" in labels[0].toolTip() and "10*y" in labels[2].toolTip()
    assert all(not label.pixmap().isNull() for label in labels)  # typeset
    for label in labels:  # in the light theme's black ink (not the dimmed grey), no box
        image = label.pixmap().toImage()
        assert QtGui.QColor.fromRgba(image.pixel(0, 0)).alpha() == 0
        inked = [QtGui.QColor.fromRgba(image.pixel(x, y))
                 for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)]
        inked = [c for c in inked if c.alpha() > 200]
        assert inked and max(c.lightness() for c in inked) < 60


def test_the_plain_forms_show_when_typesetting_is_slow(window, qtbot):
    panel = window.loss_panel
    loss = parse_loss("x*y + y^3")
    panel.formulas_pending(loss)
    loss.prepare()  # printed: the typesetting job reports that first
    panel.formulas_printed(loss)
    assert not panel.formulas["f"].isEnabled()  # typeset ones may still come: wait
    qtbot.waitUntil(lambda: panel.formulas["f"].isEnabled(), timeout=PLAIN_AFTER_MS + 2000)
    assert panel.formulas["f"].toolTip() == "f(x, y) = x*y + y**3"
    assert panel.formulas["db"].toolTip() == "∂f/∂y = x + 3*y**2"
    # (powers as the box has them, products and minus signs as the Chain rule tab's: they
    # read "2*w1 - 3*w2" beside its "2·w1 − 3·w2")
    assert panel.formulas["f"].text() == "f(x, y) = x·y + y^3"
    # A late report for that loss, once its formulas are shown, changes nothing.
    panel.formulas_printed(loss)
    assert panel.formulas["f"].toolTip() == "f(x, y) = x*y + y**3"
    # A long one is cut with "…" (it was cut at the panel's edge with nothing to say so)
    long = parse_loss(" + ".join(f"{k}*sin({k}*x + y)^2" for k in range(1, 30)))
    panel.formulas_pending(long)
    long.prepare()
    panel.formulas_printed(long)
    label = panel.formulas["f"]
    qtbot.waitUntil(label.isEnabled, timeout=PLAIN_AFTER_MS + 2000)
    assert label.text().endswith("…") and label.cut and "**" not in label.text()
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    assert label.toolTip().startswith("f(x, y) = ") and "…" not in label.toolTip()
    minus = parse_loss("x - 2*y")
    panel.formulas_pending(minus)
    minus.prepare()
    panel.formulas_printed(minus)
    qtbot.waitUntil(lambda: "−" in panel.formulas["f"].text(), timeout=PLAIN_AFTER_MS + 2000)
    assert panel.formulas["f"].text() == "f(x, y) = x − 2·y"
    assert panel.formulas["f"].toolTip() == "f(x, y) = x - 2*y"  # (to copy into a script)


def test_the_slice_header_is_dimmed_until_its_typeset_formula_comes(window, user, qtbot):
    view = window.derivatives.findChild(QtWidgets.QWidget, "sliceView")
    assert view is not None and view.isVisible()
    user.type_loss("x^2 + 3y^2")
    header = view.formula
    assert header.isEnabled() and not header.pixmap().isNull()
    old = header.pixmap().toImage()
    window.controller.set_loss(parse_loss("x^2 + 6y^2"))  # applied and drawn at once
    assert not header.isEnabled() and header.pixmap().toImage() == old  # dimmed, kept
    window.wait_idle()
    qtbot.waitUntil(header.isEnabled, timeout=20000)
    assert not header.pixmap().isNull() and header.pixmap().toImage() != old


def test_the_runs_list_is_touched_only_where_a_run_changed(window, user):
    panel = window.runs_panel
    changes = []
    panel.list.model().dataChanged.connect(lambda *a: changes.append(a))
    c = window.controller
    panel.set_runs(c.runs, c.selected)
    assert changes == []  # the same runs: nothing rewritten
    c.add_run()
    changes.clear()
    panel.set_runs(c.runs, c.selected)
    assert changes == []
    c.runs[1].spec.color = "#123456"
    panel.set_runs(c.runs, c.selected)
    assert changes and {index.row() for index, *_ in changes} == {1}  # that run's colour


def test_the_formulas_are_not_left_dimmed_when_the_next_edit_fails(window, qtbot):
    # A failed edit right after a loss is installed makes that loss's typesetting useless
    # before it starts: the panel must still show that loss's formulas, not stay dimmed.
    panel = window.loss_panel
    window.controller.set_loss(parse_loss("x^2 + 7*y^2"))
    window.controller.set_loss_text("x + (", True)
    window.wait_idle()
    labels = list(panel.formulas.values())
    qtbot.waitUntil(lambda: all(label.isEnabled() for label in labels),
                    timeout=PLAIN_AFTER_MS + 5000)
    assert window.controller.loss.text == "x^2 + 7*y^2"
    assert "7" in panel.formulas["f"].toolTip()


def test_a_hidden_run_added_to_the_list_has_its_check_box(window):
    import dataclasses

    from gdviz.ui.controller import Run

    c = window.controller
    spec = dataclasses.replace(c.runs[0].spec, visible=False, color="#ff0000")
    c.runs = [*c.runs, Run(spec)]
    c.recompute()
    window.runs_panel.set_runs(c.runs, c.selected)
    item = window.runs_panel.list.item(len(c.runs) - 1)
    assert item.data(QtCore.Qt.ItemDataRole.CheckStateRole) is not None
    assert item.checkState() == QtCore.Qt.CheckState.Unchecked


class Paints(QtCore.QObject):
    """Counts paint events of the given widgets."""

    def __init__(self, widgets) -> None:
        super().__init__()
        self.count = 0
        self.widgets = list(widgets)
        for w in self.widgets:
            w.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QtCore.QEvent.Type.Paint:
            self.count += 1
        return False


def test_the_runs_editor_repaints_only_values_that_changed(window, qtbot):
    panel = window.runs_panel
    c = window.controller
    panel.set_runs(c.runs, c.selected)
    spins = panel.findChildren(QtWidgets.QAbstractSpinBox)
    shown = [s for s in spins if s.isVisible()]
    assert len(shown) >= 4
    qtbot.wait(50)
    paints = Paints(shown)
    panel.set_runs(c.runs, c.selected)  # the same runs (as after a loss edit)
    qtbot.wait(50)
    assert paints.count == 0
    c.runs[c.selected].spec.start = (0.25, -0.5)
    c.runs[c.selected].spec.steps = 77
    panel.set_runs(c.runs, c.selected)
    assert [s.value() for s in panel.start] == [0.25, -0.5] and panel.steps.value() == 77
    qtbot.wait(50)
    assert paints.count > 0
    # Text typed but not committed belongs to the run shown before: it goes, as with Qt's own
    # setValue.
    panel.lr.lineEdit().setText("0.987")
    panel.set_runs(c.runs, c.selected)
    assert panel.lr.cleanText() == panel.lr.textFromValue(panel.lr.value()) != "0.987"


def test_a_new_loss_on_the_same_map_keeps_its_axes_and_redraws_its_colour_bar(window, user):
    from PySide6 import QtGui

    view = window.contour
    user.type_loss("x^2 + 3*y^2")
    view.grab()  # painted: layout and backdrop made
    layout, backdrop = view.layout_info, view._backdrop
    plot = view.plot_rect().toAlignedRect()
    bar = QtCore.QRect(plot.right() + 1, plot.top(), view.width() - plot.right() - 1,
                       plot.height())
    before = view.grab().toImage().copy(bar)
    user.type_loss("100*x^2 + 300*y^2")  # the same domain, other values
    after = view.grab().toImage().copy(bar)
    assert view.layout_info is layout and view._backdrop is backdrop  # axes not redone
    assert after.convertToFormat(QtGui.QImage.Format.Format_RGB32) != \
        before.convertToFormat(QtGui.QImage.Format.Format_RGB32)  # the bar's new labels
    # Its labels are those of the new range, as a fresh full paint draws them.
    view.invalidate()
    fresh = view.grab().toImage().copy(bar)
    assert fresh.convertToFormat(QtGui.QImage.Format.Format_RGB32) == \
        after.convertToFormat(QtGui.QImage.Format.Format_RGB32)


def test_the_loss_box_takes_the_sidebar_s_width(window):
    """Beside the presets it was 154 pixels wide at any window width: the lecture's own loss
    read "sin(w1)*w2*(1"; on a row of its own it shows it whole, the presets above it."""
    edit, combo = window.loss_panel.edit, window.loss_panel.combo
    side = window.sidebar.viewport().width()
    assert edit.width() > 0.75 * side, (edit.width(), side)
    text = "sin(w1)*w2*(1 - w2)"
    need = QtGui.QFontMetrics(edit.font()).horizontalAdvance(text)
    assert edit.width() > need + 30  # (and the clear button)
    assert combo.geometry().bottom() < edit.geometry().top()
    assert combo.width() > 0.75 * side


def test_the_loss_box_shows_its_text_from_the_start_once_left(window, user):
    """Typed, the box kept its end in sight after Enter; presentation mode's larger type
    then cut the loss's opening "(" ("w1-1)**2 + 10*…")."""
    user.focus_window()  # (an active window: focus events)
    user.type_loss("(w1-1)**2 + 10*(w2+w1**2)**2 + 0.001*(w1**4 + w2**4 + w1*w2)")
    edit = user.find("lossEdit")
    assert edit.cursorPosition() == len(edit.text())  # (typing: its end in sight)
    user.focus_window()
    assert not edit.hasFocus() and edit.cursorPosition() == 0


def test_typing_on_after_switching_windows_goes_where_the_cursor_was(window, user, qtbot):
    """Moving the cursor to the start as the box lost the focus to another window (Alt+Tab,
    F1's dialog) put what was typed on switching back in front of the text: "^2x^2 + y"."""
    from PySide6 import QtCore, QtWidgets

    user.focus_window()
    edit = user.find("lossEdit")
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "x^2 + y")
    other = QtWidgets.QWidget()
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is other, timeout=3000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QtWidgets.QApplication.activeWindow() is window, timeout=3000)
    qtbot.waitUntil(edit.hasFocus, timeout=3000)
    qtbot.keyClicks(edit, "^2")
    assert edit.text() == "x^2 + y^2"
    other.close()
    qtbot.keyClick(edit, QtCore.Qt.Key.Key_Escape)  # (the loss as it was)
