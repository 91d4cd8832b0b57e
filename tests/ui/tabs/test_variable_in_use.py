"""A new loss that leaves out the variable a lecture tab was on turns the tab to the other:
after the lecture's loss with the tabs on w2, sin(x²) showed its Chain rule as ∂f/∂y = 0 and
its slice as a flat line along y (the h → 0 tab was on x)."""

from __future__ import annotations

from PySide6 import QtWidgets

from gdviz import parse_loss


def test_a_variable_is_kept_unless_only_the_other_is_used():
    from gdviz.ui.derivatives.common import variable_in_use

    both, only_x, only_y = (parse_loss(t) for t in ("x*y", "sin(x^2)", "y^2"))
    assert [variable_in_use(both, i) for i in (0, 1)] == [0, 1]
    assert [variable_in_use(only_x, i) for i in (0, 1)] == [0, 0]
    assert [variable_in_use(only_y, i) for i in (0, 1)] == [1, 1]
    constant = parse_loss("5")  # (neither: nothing better to choose)
    assert [variable_in_use(constant, i) for i in (0, 1)] == [0, 1]
    assert variable_in_use(None, 1) == 1


def _tabs(window):
    views = window.derivatives.views
    return views["Slice"], views["h → 0"], views["Chain rule"]


def test_the_tabs_leave_a_variable_the_new_loss_does_not_use(window, qtbot):
    window.derivatives.show()
    qtbot.waitUntil(lambda: window.derivatives.is_built, timeout=10000)
    slice_view, limit_view, steps_view = _tabs(window)
    window.derivatives.tabs.setCurrentIndex(2)  # (the Chain rule tab in front: it derives)
    for view in (slice_view, limit_view, steps_view):
        view.combo.setCurrentIndex(1)
    assert (slice_view.slice_axis, limit_view.axis, steps_view.variable) == (1, 1, 1)
    window.apply_loss_text("w1*w2 + w2^2")  # (both used: the choice stays)
    window.wait_idle()
    assert (slice_view.slice_axis, limit_view.axis, steps_view.variable) == (1, 1, 1)
    window.apply_loss_text("sin(x^2)")
    window.wait_idle()
    window.derivatives.wait_typeset()
    QtWidgets.QApplication.processEvents()
    assert (slice_view.slice_axis, limit_view.axis, steps_view.variable) == (0, 0, 0)
    assert slice_view.combo.currentText().startswith("along x")
    assert steps_view.combo.currentText().startswith("∂f/∂x")
    # The Chain rule derived ∂f/∂x (not the ∂f/∂y = 0 of the tab's old choice).
    qtbot.waitUntil(lambda: steps_view.derivation is not None and not steps_view.busy,
                    timeout=20000)
    assert "cos" in str(steps_view.derivation.result)
    # A loss of y alone turns them to y.
    window.apply_loss_text("(y - 1)^2")
    window.wait_idle()
    assert (slice_view.slice_axis, limit_view.axis, steps_view.variable) == (1, 1, 1)
