"""Sessions in the window: show a loaded session and capture the window as one (the files
behind File ▸ Open / Save, the autosave and restore-on-start: :mod:`gdviz.ui.session_files`).

A file is untrusted input: :func:`apply_session` checks everything (and re-parses the loss)
before it changes anything, so a bad file leaves the window exactly as it was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gdviz.core.compare import used_hyper
from gdviz.core.errors import LossError
from gdviz.core.grid import check_domain
from gdviz.core.presets import get_preset
from gdviz.core.session import RunSpec, Session, SessionError
from gdviz.core.session_checks import MAX_COORDINATE, show_value
from gdviz.ui.colors import RUN_COLORS
from gdviz.ui.controller import MAX_RUNS, Run

if TYPE_CHECKING:  # needs sympy: imported when a session is applied, not at start-up
    from gdviz.core.loss import Loss

LOG_MODES = {"auto": None, "linear": False, "log": True}


# -- window <-> session ----------------------------------------------------------------------
def session_from_window(window) -> Session:
    """The window's state (loss, fit domain, runs, view options, camera) as a Session."""
    c, v = window.controller, window.view_options
    mode = next(k for k, val in LOG_MODES.items() if val == v.log_mode)
    (a0, a1), (b0, b1) = window.contour.visible_domain()
    view = {"log_scale": bool(getattr(window, "_log", False)), "log_mode": mode,
            "field": v.field_mode, "normalise_arrows": v.normalise.isChecked(),
            "arrow_density": int(v.density.value()), "height_scale": v.height.value() / 100.0,
            "show_step_arrows": v.arrows.isChecked(), "loss_plot_log": v.loss_log.isChecked(),
            "iteration": int(c.wanted_iteration), "selected": int(c.selected),
            "speed": int(window.playback.speed.value()),  # (steps a second: it came back 10)
            # (12 digits: the range shown again gives the same numbers, not 5.000000000000001)
            "map_range": [[float(f"{v:.12g}") for v in pair]
                          for pair in _within_limits(((a0, a1), (b0, b1)))]}
    if hasattr(v, "equal"):
        view["equal_scales"] = v.equal.isChecked()
    if c.preset:
        view["preset"] = c.preset
    if window.surface.gl_ok:
        view["camera"] = window.surface.camera()
    tabs = window.derivatives.tabs  # (the lecture tab shown: reopened on the Slice tab)
    if tabs.count():
        view["lecture_tab"] = tabs.tabText(tabs.currentIndex())
    basins = getattr(getattr(window, "classroom", None), "basins", None)
    if basins is not None and basins.enabled:
        view["basins"] = basins.mode  # (recomputed when opened: a map is not stored)
    classroom = getattr(window, "_classroom", None)
    compare = getattr(classroom, "compare", None) if classroom is not None else None
    if compare is not None and not compare.dock.isHidden():  # (it came back closed)
        from gdviz.ui.derivatives.common import in_sight  # (sympy: not before a frame)

        view["compare_table"] = "front" if in_sight(compare.table) else "behind"
    # The Regression tab's points added without "Use as loss" (they were lost on saving)
    held = (window.derivatives.views["Regression"].held_data() if window.derivatives.is_built
            else window.derivatives.pending_data)
    if held is not None:
        view["regression_data"] = [list(held[0]), list(held[1])]
    return Session(loss=c.loss_text, domain=_within_limits(c.domain),
                   runs=[dataclasses.replace(r.spec) for r in c.runs], view=view)


def _within_limits(domain) -> tuple[tuple[float, float], tuple[float, float]]:
    """``domain`` cut to the ±10⁶ a session holds (a map zoomed out to ±2·10⁸, or fitted
    around a start at 3·10⁶ from the command line, was saved, and the file, the autosave
    with it, then refused: "map_range is not valid"); a side wholly outside keeps a sliver
    at the limit."""
    out = []
    for lo, hi in domain:
        lo, hi = (min(max(float(v), -MAX_COORDINATE), MAX_COORDINATE) for v in (lo, hi))
        if not lo < hi:  # (both beyond the same limit)
            lo, hi = (hi - 1.0, hi) if hi > 0 else (lo, lo + 1.0)
        out.append((lo, hi))
    return out[0], out[1]


_UNSET = object()


@dataclass
class _Prepared:
    loss: Loss
    domain: tuple
    runs: list[Run]
    view: dict
    preset: str
    notice: str
    log_mode: object = _UNSET  # None (automatic), False, True, or _UNSET (not in the file)


def _domain_or_none(value):
    try:
        domain = check_domain(value)
    except (TypeError, ValueError):
        return None
    # Within reach of a domain (at most ±1e6; equal scales widen what the map shows): a
    # range of ±1e307 was accepted and left the map empty.
    if max(abs(v) for pair in domain for v in pair) > 10 * MAX_COORDINATE:  # (1e7: said so)
        return None
    return domain


# View keys this window adds to the format (the core checks the ones DESIGN.md names), each
# with what it must be (said with the value refused, as the core says it)
_EXTRA_VIEW = {
    "log_mode": (lambda v: isinstance(v, str) and v in LOG_MODES,
                 '"auto", "linear" or "log"'),
    "loss_plot_log": (lambda v: isinstance(v, bool), "true or false"),
    "equal_scales": (lambda v: isinstance(v, bool), "true or false"),
    "selected": (lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v < 10**6,
                 "a whole number from 0 (the first run)"),
    "map_range": (lambda v: _domain_or_none(v) is not None,
                  "[[a0, a1], [b0, b1]], a0 < a1 and b0 < b1, within ±1e7"),
    "basins": (lambda v: v in ("minimum", "steps"), '"minimum" or "steps"'),
    "speed": (lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 120,
              "a whole number from 1 to 120 (steps a second)"),
    "regression_data": (lambda v: _data_or_none(v) is not None,
                        "[[x…], [y…]]: as many x as y, 1 to 30 finite points"),
    "compare_table": (lambda v: v in ("front", "behind"), '"front" or "behind"'),
}


def _data_or_none(value):
    """The Regression tab's points ``[xs, ys]`` as a session keeps them, or None if invalid."""
    from gdviz.core.regression import regression_loss_text  # (sympy: not before a frame)

    try:
        xs, ys = value
        regression_loss_text(xs, ys)  # (finite numbers, 1 to 30 points, within bounds)
    except (TypeError, ValueError):
        return None
    return xs, ys


def precheck_session(session: Session) -> tuple[tuple, dict]:
    """The checks of :func:`prepare_session` that need no compiled loss: the domain and
    the view options this window adds (a bad file is refused before its loss is compiled,
    and on the command line before the window is built: it failed after 14–18 s).

    Raises
    ------
    SessionError
        "view: speed must be a whole number from 1 to 120 (steps a second), got 0".
    """
    try:
        domain = check_domain(session.domain)
    except ValueError as err:
        raise SessionError(str(err)) from None
    view = dict(session.view)
    for key, (ok, desc) in _EXTRA_VIEW.items():
        if key in view and not ok(view[key]):
            raise SessionError(f"view: {key} must be {desc}, got {show_value(view[key])}")
    return domain, view


def prepare_session(session: Session, loss: Loss | None = None) -> _Prepared:
    """Check a session completely, without touching any window; ``loss``, its loss already
    compiled (by :func:`when_compiled`), else it is compiled here.

    Raises
    ------
    SessionError
        With one line saying what is wrong.
    """
    from gdviz.core.descent import descend
    from gdviz.core.loss import parse_loss

    domain, view = precheck_session(session)
    try:
        loss = loss or parse_loss(session.loss, session.variables)
    except LossError as err:
        raise SessionError(f"loss: {err}") from None
    specs = list(session.runs)
    notice = ""
    if len(specs) > MAX_RUNS:
        notice = f"Only the first {MAX_RUNS} of the {len(specs)} runs were opened."
        specs = specs[:MAX_RUNS]
    if not specs:
        (a0, a1), (b0, b1) = domain
        specs = [RunSpec(optimizer="gd", lr=0.1, start=((a0 + a1) / 2, (b0 + b1) / 2))]
    runs = []
    for i, spec in enumerate(specs):
        try:
            descend(loss, spec.start, spec.optimizer, spec.lr, 1, schedule=spec.schedule,
                    decay=spec.decay, decay_steps=spec.decay_steps, noise=spec.noise,
                    seed=spec.seed, gradient=spec.gradient, fd_h=spec.fd_h, **used_hyper(spec))
        except (ValueError, TypeError) as err:
            raise SessionError(f"run {i + 1}: {err}") from None
        color = spec.color or RUN_COLORS[i % len(RUN_COLORS)]
        runs.append(Run(dataclasses.replace(spec, color=color, hyper=dict(spec.hyper))))
    mode = LOG_MODES[view["log_mode"]] if "log_mode" in view else _UNSET
    if "map_range" in view:
        view["map_range"] = check_domain(view["map_range"])
    preset = view.get("preset", "")
    try:
        preset = preset if preset and get_preset(preset).loss == session.loss else ""
    except (KeyError, ValueError):
        preset = ""
    return _Prepared(loss, domain, runs, view, preset, notice, mode)


def apply_session(window, session: Session, loss: Loss | None = None,
                  docks: bool = True) -> str:
    """Show ``session`` in ``window``: loss, domain, runs, view options and camera, and
    with ``docks`` the Compare table if it was shown (not for Undo's states: a comparison
    undone or redone puts its table back itself, :class:`gdviz.ui.compare.ComparePanel`).

    Everything is checked first (:func:`prepare_session`); on :class:`SessionError` the window
    is unchanged. ``loss`` is the session's loss compiled already (:func:`when_compiled`);
    without it one the window compiled lately is used, else it is compiled here, on the
    calling thread. Returns a notice for the status bar ("" or "Only the first 8 of the 20
    runs were opened."), which the caller shows (after its own "Opened …", not under it).
    """
    loss = loss or window.controller.compiled.get(session.loss, session.variables)
    p = prepare_session(session, loss)
    c, v, view = window.controller, window.view_options, p.view
    c.pause()
    equal = getattr(v, "equal", None)
    widgets = tuple(w for w in (v.field, v.log, v.density, v.normalise, v.arrows, v.height,
                                v.loss_log, equal) if w is not None)
    blocked = [w.blockSignals(True) for w in widgets]
    try:
        if "field" in view:
            v.field.setCurrentIndex(max(0, v.field.findData(view["field"])))
        if p.log_mode is not _UNSET:
            v.log.setCurrentIndex(list(LOG_MODES.values()).index(p.log_mode))
        elif "log_scale" in view:
            v.log.setCurrentIndex(2 if view["log_scale"] else 1)
        if "arrow_density" in view:
            v.density.setValue(int(view["arrow_density"]))
        if "normalise_arrows" in view:
            v.normalise.setChecked(bool(view["normalise_arrows"]))
        if "show_step_arrows" in view:
            v.arrows.setChecked(bool(view["show_step_arrows"]))
        if "height_scale" in view:
            v.height.setValue(round(float(view["height_scale"]) * 100))
        v.loss_log.setChecked(bool(view.get("loss_plot_log", False)))
        if equal is not None and "equal_scales" in view:
            equal.setChecked(view["equal_scales"])
    finally:
        for w, b in zip(widgets, blocked, strict=True):
            w.blockSignals(b)
    window.loss_plot.set_log(v.loss_log.isChecked())
    window.surface.height_scale = v.height.value() / 100.0
    if equal is not None:
        window.contour.set_equal_scales(equal.isChecked())
    hint = view.get("log_scale") if p.log_mode is None else None
    if hint is None and p.preset and p.log_mode in (None, _UNSET):
        hint = get_preset(p.preset).log_scale
    c.logScaleHint.emit(hint)
    c.preset = p.preset
    c.runs = p.runs
    c.selected = min(max(int(view.get("selected", 0)), 0), len(p.runs) - 1)
    c.rewind()
    window.loss_panel.set_text(session.loss)
    window.loss_panel.set_preset_name(p.preset)
    window.loss_panel.clear_error()
    # Show the saved region first, so installing the loss samples the map only once. The
    # views are arranged for the domain before (map above or beside the 3D view, as loading
    # the preset would): with equal scales the region shown follows the map's shape.
    c.domain = p.domain
    window.views_arrangement.arrange()
    window.contour.fit(view.get("map_range") or p.domain)
    c.set_loss(p.loss)
    c.selectedChanged.emit(c.selected)
    c.set_iteration(int(view.get("iteration", 0)))
    if "speed" in view:
        window.playback.speed.setValue(int(view["speed"]))
    camera = view.get("camera")
    if camera:  # kept for the 3D view even while it is still being prepared
        window.surface.set_camera(float(camera["distance"]), float(camera["elevation"]),
                                  float(camera["azimuth"]))
    if docks and view.get("compare_table") and window.classroom.compare.dock.isHidden():
        # (a lecture saved with the table reopened without it; one without it leaves the
        # table as it is, showing the runs opened; shown already — restored where the last
        # launch left it — it stays where it is)
        window.classroom.compare.show_table()
        if view["compare_table"] == "behind" and not window.derivatives.isHidden():
            window.derivatives.raise_()
    _show_basins(window, view.get("basins"))
    tabs = window.derivatives.tabs
    names = [tabs.tabText(i) for i in range(tabs.count())]
    if view.get("lecture_tab") in names:
        tabs.setCurrentIndex(names.index(view["lecture_tab"]))
    data = _data_or_none(view["regression_data"]) if "regression_data" in view else None
    if not window.derivatives.is_built:
        window.derivatives.pending_data = data  # (shown as the tabs are built)
    elif data is not None:
        window.derivatives.views["Regression"].show_data(*data)
    return p.notice


def when_compiled(window, session: Session, then: Callable[[Loss], None],
                  failed: Callable[[SessionError], None]) -> None:
    """Call ``then(loss)`` with ``session``'s loss compiled — at once when the window
    compiled it lately, else once the compile thread has (time-limited and sandboxed like a
    loss typed: a heavy loss compiled on the GUI thread froze the window for seconds) — or
    ``failed(error)`` when it cannot be compiled ("loss: this loss is too complex…").
    Both are called on the GUI thread. A newer call for the same window, or any loss asked
    for meanwhile (typed, a preset, an Undo), replaces this one: neither is called then (a
    session compiling for seconds was shown over the preset chosen since).
    """
    c = window.controller
    window._opening_session = None  # (an older call still compiling gives way)
    try:
        precheck_session(session)
    except SessionError as err:
        failed(err)
        return
    loss = c.compiled.get(session.loss, session.variables)
    if loss is not None:
        then(loss)
        return
    token = window._opening_session = object()
    asked = c.loss_requests
    note = "Opening the session: working out its loss's gradient…"
    window.statusBar().showMessage(note)

    def compiled(result) -> None:
        if getattr(window, "_opening_session", None) is not token:
            return  # (another session was opened meanwhile)
        window._opening_session = None
        if window.statusBar().currentMessage() == note:
            window.statusBar().clearMessage()
        if c.loss_requests != asked:
            window.statusBar().showMessage("The session was not opened: another loss was "
                                           "chosen while it was being prepared.", 8000)
        elif result.loss is None:
            failed(SessionError(f"loss: {result.error}"))
        else:
            then(result.loss)

    # (stopped once it is replaced: a loss typed meanwhile waited behind its check)
    window.worker.compile_for(session.loss, session.variables, compiled,
                              stale=lambda: getattr(window, "_opening_session", None)
                              is not token or c.loss_requests != asked)


def _show_basins(window, mode: str | None) -> None:
    """The basins map as the session had it: off, or on coloured by ``mode`` (computed
    again, on its worker thread, for the session's loss and selected run)."""
    actions = getattr(window, "menu_actions", {})
    if "basins" not in actions:
        return
    if mode is None and getattr(window, "_classroom", None) is None:
        return  # (no basins map without the classroom tools: nothing to turn off)
    _ = window.classroom  # (built now if not yet: the menu actions drive it once it is)
    if "basins_steps" in actions:
        actions["basins_steps"].setChecked(mode == "steps")  # (turns the map on for steps)
    actions["basins"].setChecked(mode is not None)
