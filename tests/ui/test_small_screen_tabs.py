"""The lecture tabs on a 1280×720 projector: a tab taller than the dock scrolls instead of
squeezing its plots, and is never narrower than what it shows (digits are not cut)."""

from __future__ import annotations

import re

from PySide6 import QtGui, QtWidgets

from gdviz.ui.derivatives import _Page
from gdviz.ui.derivatives.common import MIN_PLOT_HEIGHT
from gdviz.ui.derivatives.limit_view import SECANT_LEAST
from gdviz.ui.window_layout import share_width


def _show_tab(window, title: str):
    tabs = window.derivatives.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == title))
    window.derivatives.refresh_current()
    QtWidgets.QApplication.processEvents()
    view = window.derivatives.views[title]
    return view, tabs.currentWidget()


def test_tabs_scroll_rather_than_squeeze_their_plots_at_1280x720(window, qtbot):
    window.resize(1280, 720)
    share_width(window, 1280)
    window.derivatives.build_tabs()
    qtbot.waitUntil(lambda: window.height() <= 720, timeout=3000)
    view, page = _show_tab(window, "Gradient")
    assert isinstance(page, _Page) and page.widget() is view
    qtbot.waitUntil(lambda: view.local_widget.height() >= 260, timeout=3000)  # a close-up
    assert page.verticalScrollBar().maximum() > 0  # the rest is a scroll away
    for title in ("Slice", "h → 0", "Gradient"):
        view, page = _show_tab(window, title)
        for plot in view.findChildren(QtWidgets.QWidget):
            if type(plot).__name__ == "LecturePlot" and plot.isVisibleTo(view):
                # (each its least: the h → 0 tab's secant plot may be shorter, 100 pixels,
                # for the error plot, the tab's point, to stay in sight at 1366 × 768)
                least = plot.minimumHeight()
                assert least >= min(MIN_PLOT_HEIGHT, SECANT_LEAST), plot.objectName()
                assert plot.height() >= least, (title, plot.objectName())
    view, page = _show_tab(window, "h → 0")
    qtbot.waitUntil(lambda: view.width() <= page.viewport().width(), timeout=3000)
    for label in (view.forward_label, view.central_label, view.exact_label):
        digits = max(re.sub("<[^>]+>", "", label.text()).split(), key=len)
        right = label.mapTo(page.viewport(), label.rect().topLeft()).x() + \
            label.fontMetrics().horizontalAdvance(digits)
        assert right <= page.viewport().width() + 1, digits  # not cut at the dock's edge


def test_a_tab_scrolls_only_by_what_its_least_size_needs(window, qtbot):
    """At 1280 × 720 the h → 0 tab was 794 pixels tall in a 587-pixel dock (its parts'
    preferred sizes), its error plot below the fold, where at their least both plots fit
    but for a few lines; a tab taller than its page fills the page instead."""
    window.resize(1280, 720)
    share_width(window, 1280)
    window.derivatives.build_tabs()
    qtbot.waitUntil(lambda: window.height() <= 720, timeout=3000)
    view, page = _show_tab(window, "h → 0")
    qtbot.wait(50)
    least = view.layout().totalMinimumHeightForWidth(view.width())
    assert view.height() == max(least, page.viewport().height())
    assert view.height() < view.layout().totalHeightForWidth(view.width())
    # The error plot starts within sight (its top, and its key, above the fold)
    top = view.error_widget.mapTo(page.viewport(), view.error_widget.rect().topLeft()).y()
    assert top < page.viewport().height() - 40


def test_a_tab_grown_while_hidden_is_laid_out_in_its_size(window, qtbot):
    """In presentation mode (larger type) in a 1280 × 720 window the Gradient tab, hidden
    meanwhile, grew to the height its stacked columns need with no resize event: its layout
    stayed at the row's height, 740 pixels of 872, its labels drawn over its plots."""
    window.resize(1280, 720)
    share_width(window, 1280)
    window.derivatives.build_tabs()
    _show_tab(window, "Slice")
    window.classroom.presentation.enter()
    qtbot.wait(50)
    window.resize(1280, 720)
    share_width(window, 1280)
    qtbot.wait(120)  # (presentation mode lays a resized window out again: see there)
    if not window.derivatives.isVisible():
        window.derivatives.toggleViewAction().trigger()
    qtbot.wait(50)
    view, page = _show_tab(window, "Gradient")
    qtbot.wait(50)
    assert view.columns.direction() == QtWidgets.QBoxLayout.Direction.TopToBottom
    assert view.layout().geometry().size() == view.size()
    # (the last of its parts ends inside the view, none laid over another)
    side = [view.partials_label, view.angle_label, view.dial, view.directional_label,
            view.theta_widget]
    tops = [w.mapTo(view, w.rect().topLeft()).y() for w in side]
    assert tops == sorted(tops)
    bottom = view.theta_widget.mapTo(view, view.theta_widget.rect().bottomLeft()).y()
    assert bottom <= view.height()
    window.classroom.presentation.leave()


def test_a_plot_keeps_room_for_its_curve_in_larger_type(window, qtbot):
    """In presentation mode the h → 0 tab's secant plot kept its 100 pixels, 30 of them for
    the curve, its tick labels on top of each other: a plot's least height grows with its
    type (as the square of the type's scale, at most half as large again)."""
    from gdviz.ui.derivatives.common import LEAST_GROWS

    window.derivatives.build_tabs()
    view = window.derivatives.views["h → 0"]
    secant, error = view.secant_widget, view.error_widget
    assert (secant.minimumHeight(), error.minimumHeight()) == (SECANT_LEAST, MIN_PLOT_HEIGHT)
    window.classroom.presentation.enter()
    qtbot.wait(50)
    scale = QtGui.QFontInfo(secant.font()).pixelSize() / secant._base_px
    assert scale > 1.1
    grown = min(LEAST_GROWS, scale * scale)
    assert secant.minimumHeight() == round(SECANT_LEAST * grown)
    assert error.minimumHeight() == round(MIN_PLOT_HEIGHT * grown)
    # The Regression tab's data plot too (at 1280 × 720 the data had 70 of its 160 pixels)
    data = window.derivatives.views["Regression"].plot
    assert data.minimumHeight() == round(160 * grown) and data.pan_zoom
    # (the gradient's close-up keeps its 260 in any type: a font change set it to 225)
    close_up = window.derivatives.views["Gradient"].local_widget
    assert close_up.minimumHeight() == 260
    window.classroom.presentation.leave()
    qtbot.wait(50)
    assert (secant.minimumHeight(), error.minimumHeight()) == (SECANT_LEAST, MIN_PLOT_HEIGHT)
    assert close_up.minimumHeight() == 260 and data.minimumHeight() == 160
