"""What the window saves is always a session it can open again: the map is not zoomed out
past the ±10⁶ a session holds, and a domain beyond it (a start far out from the command
line) is saved cut to it."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gdviz.core.session import load_session, save_session
from gdviz.core.session_checks import MAX_COORDINATE

Qt = QtCore.Qt


def _wheel(view, notches: int) -> None:
    centre = QtCore.QPointF(view.plot_rect().center())
    for _ in range(abs(notches)):
        event = QtGui.QWheelEvent(centre, QtCore.QPointF(view.mapToGlobal(centre)),
                                  QtCore.QPoint(0, 0), QtCore.QPoint(0, 120 if notches > 0
                                                                     else -120),
                                  Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
        QtWidgets.QApplication.sendEvent(view, event)


def test_the_map_zooms_out_no_further_than_a_session_holds(window, tmp_path):
    """About 100 notches out the map showed ±2·10⁸: File ▸ Save said it saved, the file
    would not open ("map_range is not valid"), and the autosave was refused at the next
    launch, the runs lost."""
    _wheel(window.contour, -150)
    (a0, a1), (b0, b1) = window.contour.visible_domain()
    assert max(abs(a0), abs(a1), abs(b0), abs(b1)) <= MAX_COORDINATE
    assert a1 - a0 > 1e5  # (it did zoom out, that far)
    path = tmp_path / "far.gdviz"
    save_session(path, window.current_session())
    assert load_session(path).view["map_range"] is not None
    _wheel(window.contour, 3)  # (and back in)
    assert window.contour.visible_domain()[0][1] - window.contour.visible_domain()[0][0] \
        < a1 - a0


def test_a_domain_beyond_the_limits_is_saved_cut_to_them(window, tmp_path):
    """--start=3e6,0 fitted the map around it: Ctrl+S refused ("domain must be numbers
    from -1,000,000 to 1,000,000") though the user never set a domain, and the autosave
    was written but could not be loaded."""
    c = window.controller
    c.set_domain(((-4.5e6, 4.5e6), (-2.0, 2.0)))
    window.contour.fit(c.domain)
    session = window.current_session()
    assert session.domain == ((-MAX_COORDINATE, MAX_COORDINATE), (-2.0, 2.0))
    path = tmp_path / "wide.gdviz"
    save_session(path, session)
    back = load_session(path)
    assert back.domain == session.domain
    (a0, a1), _ = back.view["map_range"]
    assert -MAX_COORDINATE <= a0 < a1 <= MAX_COORDINATE
