"""Hardening in the window: runaway maths, undefined regions, damaged settings, errors."""

from __future__ import annotations

import subprocess
import sys
import time
import traceback

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from gdviz.ui import MainWindow

# Allow-listed and under every cap, yet sympy needs tens of seconds for its derivatives.
RUNAWAY = "*".join(f"sin({k}*x + y)" for k in range(1, 60))


def test_runaway_loss_is_stopped_and_the_window_stays_responsive(window, qtbot):
    window.wait_idle()
    before = window.controller.loss_text
    image_before = window.contour.image_data.copy()
    sandbox = window.worker.sandbox
    assert sandbox is not None
    sandbox.check("x**2")  # make sure the worker process is warm
    pid = sandbox.pid
    ticks: list[float] = []
    timer = QtCore.QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    t0 = time.perf_counter()
    window.apply_loss_text(RUNAWAY)
    qtbot.waitUntil(lambda: window.loss_panel.error.isVisible(), timeout=15000)
    elapsed = time.perf_counter() - t0
    timer.stop()
    assert "too complex" in window.loss_panel.error.text()
    assert elapsed < 8.0
    # The event loop kept running the whole time: no gap between timer ticks over 100 ms.
    gaps = np.diff(ticks)
    assert len(ticks) > 0.5 * elapsed / 0.010 * 0.5
    assert np.percentile(gaps, 99) < 0.100, f"99th percentile gap {np.percentile(gaps, 99):.3f}"
    # The runaway worker was killed; the last good loss and its views are untouched.
    assert sandbox.pid != pid
    assert window.controller.loss_text == before
    np.testing.assert_array_equal(window.contour.image_data, image_before)


@pytest.mark.parametrize("after_ms", [200, 1000])
def test_closing_the_window_while_a_loss_is_checked_is_at_once(window, qtbot, after_ms):
    """Closing the window while a heavy loss was being checked in the sandbox froze it for
    3.2 s (it waited for the check's whole time limit): the check is stopped now — and a
    loss still on the thread's first half second is not handed to the sandbox (a fresh
    process then ran its 3 s while the window waited)."""
    window.wait_idle()
    qtbot.waitUntil(lambda: window.worker.sandbox is not None, timeout=20000)
    sandbox = window.worker.sandbox
    sandbox.check("x**2")  # (a worker ready)
    window.apply_loss_text(RUNAWAY)
    qtbot.wait(after_ms)  # (on the thread's 0.5 s, or past it: the sandbox has it)
    assert window.worker.busy
    t0 = time.perf_counter()
    window.close()
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.5, f"closing took {elapsed:.2f} s"
    sandbox.check("x**2 + y")  # (a fresh worker for the next window)


def test_a_loss_typed_after_a_heavy_one_shows_without_waiting_for_it(window, qtbot):
    """A valid loss sent a second after a heavy one, which the sandbox had by then, waited
    for the heavy one's whole limit: 2.6 s from Enter to the new loss shown."""
    window.wait_idle()
    qtbot.waitUntil(lambda: window.worker.sandbox is not None, timeout=20000)
    sandbox = window.worker.sandbox
    sandbox.check("x**2")  # (a worker ready)
    window.apply_loss_text(RUNAWAY)
    qtbot.wait(1000)  # (past the thread's 0.5 s: the sandbox has it)
    t0 = time.perf_counter()
    window.apply_loss_text("x^2 + 3*y^2")
    qtbot.waitUntil(lambda: window.controller.loss_text == "x^2 + 3*y^2", timeout=15000)
    assert time.perf_counter() - t0 < 1.5  # (it took the heavy one's 3 s limit, less 1 s)
    assert not window.loss_panel.error.isVisible()  # (the heavy one's end says nothing)


def test_the_loss_shown_typed_again_is_not_compiled_again(window, qtbot):
    """A heavy loss opened with the command line's longer limit read "too complex" in red
    under itself when Enter was pressed on its text."""
    window.wait_idle()
    c, worker = window.controller, window.worker
    loss, asked, submit = c.loss, [], worker.submit
    worker.submit = lambda *args, **kwargs: asked.append(args) or submit(*args, **kwargs)
    valid = []
    c.lossTextValid.connect(valid.append)
    with qtbot.waitSignal(c.lossChanged, timeout=5000):
        window.apply_loss_text(c.loss_text)
    c.set_loss_text(c.loss_text, apply=False)
    assert asked == [] and c.loss is loss and valid == [c.loss_text]
    window.apply_loss_text("x^2 + y^2")  # (another text is compiled as ever)
    assert asked and asked[0][0] == "x^2 + y^2"


def test_undefined_regions_are_masked_and_reported(window, user):
    user.type_loss("log(x) + sqrt(y)")
    grid = window._grid
    assert np.isnan(grid.values).any() and np.isfinite(grid.values).any()
    # Masked (NaN) in what the map shows; the colour range comes from the defined part only.
    lo, hi = window._levels
    assert np.isfinite(lo) and np.isfinite(hi) and lo < hi
    assert "undefined" in window.statusBar().currentMessage()
    # Descent that walks into the undefined region stops with a clear status.
    c = window.controller
    c.set_start(c.selected, 0.05, 1.0)
    c.update_run(c.selected, lr=1.0)
    traj = c.runs[c.selected].trajectory
    assert traj.status == "diverged"
    assert traj.message().startswith("diverged at step")


def test_lone_rows_of_a_half_undefined_map_do_not_flatten_its_colours(window):
    """w1^w2 for w1 < 0 is defined only on whole w2: those rows' f down to −614125 set the log
    floor, and the whole defined half read 5.78826–5.78835, one dark colour."""
    window._log_hint = None  # (a typed loss's: no preset's scale)
    window.controller.set_loss_text("w1^w2", domain=((-3.0, 3.0), (-3.0, 3.0)))
    window.wait_idle()
    assert window._log  # (it spans decades: log colours, as before)
    lo, hi = window._levels
    assert hi - lo > 3, (lo, hi)
    right = window._grid.values[:, window._grid.a > 0]
    assert window._log_floor == right.min()
    shown = window.contour.image_data
    assert np.nanmax(shown) - np.nanmin(shown) > 3


def test_damaged_settings_are_ignored(qtbot, settings_dir):
    (settings_dir / "gdviz.ini").write_bytes(b"\x00\xff[window]\ngeometry=@ByteArray(\x01\x02"
                                             b"\nsplit_main=garbage\n\xfe\xfe")
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.wait_idle()
    assert w.controller.loss is not None
    w.close()


def test_unexpected_errors_are_shown_not_fatal(qtbot, monkeypatch, settings_dir):
    from gdviz.ui import crash_dialog

    shown = []
    monkeypatch.setattr(crash_dialog, "show_error_dialog",
                        lambda summary, details, parent=None: shown.append((summary, details))
                        or _FakeBox())
    monkeypatch.setattr(crash_dialog, "_headless", lambda: False)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        crash_dialog.handle_exception(*sys.exc_info())
    assert shown and "boom in a slot" in shown[0][0]
    assert "Traceback" in shown[0][1]
    log = (settings_dir / "gdviz-errors.log").read_text(encoding="utf-8")
    assert "boom in a slot" in log


def test_a_screenshot_or_export_run_reports_errors_on_stderr(qtbot, monkeypatch, capsys,
                                                              settings_dir):
    """Under a real display an export's unexpected error went to the log and to a dialog on a
    window never shown: the run exited 1 saying nothing."""
    from gdviz.ui import crash_dialog

    monkeypatch.setattr(crash_dialog, "show_error_dialog",
                        lambda *a, **k: pytest.fail("a dialog no one sees"))
    monkeypatch.setattr(crash_dialog, "_batch", False)
    crash_dialog.set_batch(True)
    try:
        raise OverflowError("frame duration")
    except OverflowError:
        crash_dialog.handle_exception(*sys.exc_info())
    err = capsys.readouterr().err
    assert "gdviz: unexpected error: OverflowError: frame duration" in err


class _FakeBox:
    class _Sig:
        def connect(self, _slot):
            pass

    finished = _Sig()


def test_no_runtime_warnings_reach_the_console(tmp_path):
    code = ("import gdviz, numpy as np\n"
            "for t in ['log(x)+1/y', 'sqrt(x)*asin(y)', 'exp(x*y)*x**-2']:\n"
            "    L = gdviz.parse_loss(t)\n"
            "    a = np.linspace(-800, 800, 101)\n"
            "    L.value(a[:, None], a); L.gradient(a[:, None], a); L.hessian(a[:, None], a)\n"
            "    gdviz.descend(L, (0.5, 0.5), 'gd', lr=10.0, steps=50)\n")
    out = subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Warning" not in out.stderr, out.stderr


def test_a_loss_near_the_float_limit_on_the_log_scale_is_drawn(window, user, monkeypatch):
    """f from −1.5e308 to 1e308 on the log colour scale: a level's 10.0 ** 309 raised
    OverflowError in the loss edit, and the map and the 3D view kept the loss before."""
    errors = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: errors.append(exc))
    user.type_loss("((((x+1)^7+y)^7+x)^7+y)^7")
    combo = window.view_options.log
    combo.setCurrentIndex(combo.findText("logarithmic", QtCore.Qt.MatchContains))
    assert "log" in combo.currentText()
    window.wait_idle()
    assert not errors, [traceback.format_exception(*e) for e in errors]
    grid, loss = window._grid, window.controller.loss
    assert loss.text.startswith("((((x+1)")
    with np.errstate(all="ignore"):  # the map samples the loss shown, not the one before
        want = loss.value(grid.a[None, ::32], grid.b[::32, None])
    np.testing.assert_allclose(grid.values[::32, ::32], want, equal_nan=True)
    assert window._log and np.isfinite(window._levels).all()
    # A slice through exp(exp(exp(x))): inf − inf in the slope label's check of the curve
    # printed a RuntimeWarning (an error under -W error) on every redraw.
    user.type_loss("exp(exp(exp(x))) + y^2")
    assert window.controller.loss.text == "exp(exp(exp(x))) + y^2"
    assert not errors, [traceback.format_exception(*e) for e in errors]


def test_a_headless_run_with_an_unexpected_error_exits_non_zero(qtbot, monkeypatch, capsys,
                                                                 settings_dir, tmp_path):
    """A session whose domain was 10⁻³⁰⁰ wide passed the file's checks; the Gradient tab's
    close-up divided by its area, which underflowed to 0; the screenshot printed
    "unexpected error" and exited 0. It is drawn now; and an error on the way exits 1."""
    import json

    from gdviz.cli import build_parser
    from gdviz.core.session import load_session
    from gdviz.ui import app as app_module
    from gdviz.ui import crash_dialog

    monkeypatch.setattr(crash_dialog, "_batch", False)
    monkeypatch.setattr(sys, "excepthook", crash_dialog.handle_exception)
    monkeypatch.setattr(app_module, "grab_window",
                        lambda window: QtGui.QImage(8, 8, QtGui.QImage.Format.Format_RGB32))
    path = tmp_path / "tiny.gdviz"
    path.write_text(json.dumps({"format": "gdviz-session", "version": 1,
                                "loss": "sin(w1)*w2*(1-w2)",
                                "domain": [[0, 1e-300], [0, 1e-300]],
                                "runs": [{"optimizer": "gd", "lr": 0.1, "start": [0, 0]}]}))
    args = build_parser().parse_args(["--size", "800x600", "--screenshot",
                                      str(tmp_path / "a.png"), "--session", str(path)])

    def shoot():
        return app_module.run_app(args, load_session(str(path)))

    # (the Gradient tab shown: it draws the close-up)
    monkeypatch.setattr("gdviz.ui.derivatives.DerivativesDock.refresh_current",
                        _showing_gradient_tab())
    assert shoot() == 0
    assert "unexpected error" not in capsys.readouterr().err

    def boom(*_args):
        raise RuntimeError("boom in a slot")

    monkeypatch.setattr("gdviz.ui.main_window.MainWindow._on_controller_loss_changed", boom)
    assert shoot() == 1
    assert "gdviz: unexpected error: RuntimeError: boom in a slot" in capsys.readouterr().err


def _showing_gradient_tab():
    from gdviz.ui.derivatives import TABS, DerivativesDock

    real = DerivativesDock.refresh_current
    index = [t[0] for t in TABS].index("Gradient")

    def refresh(dock):
        dock.tabs.setCurrentIndex(index)
        real(dock)
    return refresh
