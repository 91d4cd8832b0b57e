"""The h → 0 tab's error plot: |error| of the forward and central difference quotients
against h on log-log axes, the guide lines of slope 1 and 2, the two regions' names kept clear
of the rest, and the best h of each quotient."""

from __future__ import annotations

import math

import numpy as np

from gdviz.core import calculus
from gdviz.core.finite import roundoff_bounds, slice_values
from gdviz.ui.binding import QtCore
from gdviz.ui.canvas import Curve, InfiniteLine, Points, Text, make_pen
from gdviz.ui.derivatives.common import LecturePlot, fmt, set_points, steady_range
from gdviz.ui.derivatives.error_labels import keep_regions_clear
from gdviz.ui.steady_label import SteadyLabel

FORWARD_COLOR = "#0072B2"
CENTRAL_COLOR = "#E69F00"
ERROR_HS = calculus.default_hs(80)  # the error plot's h: 1 down to 1e-16
SMALLEST_EXPONENT = 12  # the h slider goes from h = 1 down to 1e-12
ROUNDOFF_SPAN = 4.0
"""A quotient whose error is within this many times its rounding bound at every h has no
truncation error (:func:`gdviz.core.finite.roundoff_bounds`; f's own last-bit errors and
the bound's rough sum leave room)."""


STAR_ROOM_PX = 13  # half a star marker (22 pixels across) and a little: kept inside the plot
DOT_ROOM_PX = 7  # half the current h's dot (10 pixels across) and a little


class ErrorPlotPart:
    """The error plot's items and drawing, for :class:`~gdviz.ui.derivatives.limit_view.
    LimitView` (which supplies ``controller``)."""

    def _build_error_plot(self) -> None:
        """The plot (h shrinks to the right, like the slider), its items and its key."""
        self.error_widget = LecturePlot("errorPlot",
                                        "error of the difference quotients against h",
                                        bottom="h  (smaller →)", left="|error|", grid=0.2)
        plot = self.error_widget
        plot.set_log(True, True)
        plot.set_invert_x(True)
        dashed = make_pen("#888888", 1.5, QtCore.Qt.DashLine)
        self.ref_lines = [plot.add(Curve(pen=dashed), frame=True) for _ in range(2)]
        self.fwd_curve = plot.add(Curve(pen=make_pen(FORWARD_COLOR, 2.5), z=1), frame=True)
        self.cen_curve = plot.add(Curve(pen=make_pen(CENTRAL_COLOR, 2.5), z=1), frame=True)
        self.h_line = plot.add(InfiniteLine(90, pen=make_pen("#111111", 1.5, QtCore.Qt.DotLine),
                                            z=2), frame=True)
        self.best = plot.add(Points(22, "#111111", "#111111", 1, symbol="star", z=3),
                             frame=True)
        self.at_h = plot.add(Points(10, "#111111", "#111111", 1.5, z=4), frame=True)
        # Each at its guide line's low end: "slope 1" above and right of it, "slope 2" below
        # and left of its own (the two ends are close: side by side, the labels overlapped).
        self.ref_texts = [plot.add(Text(t, "#666666", anchor=anchor, inside=True), frame=True)
                          for t, anchor in (("slope 1", (0, 1)), ("slope 2", (1, 0)))]
        # Below the V on each side: the region the curves never reach.
        self.regime_texts = [plot.add(Text(t, "#555555", anchor=anchor), frame=True)
                             for t, anchor in (("truncation\nerror", (0, 0.5)),
                                               ("round-off\nerror", (1, 0.5)))]
        # Where there is no exact value (a corner, f undefined): said in the empty plot.
        self.no_exact = plot.add(Text("no exact value\nto compare with", "#555555",
                                      anchor=(0.5, 0.5)), frame=True)
        self.no_exact.set_visible(False)
        self._err_range = (-1.0, 1.0)
        self._err_key: tuple | None = None
        self._err_span: tuple[float, float] | None = None  # (the errors' log10 span)
        self.zero_error = [False, False]  # (per quotient: no error at any h)
        self.exact_below = [math.nan, math.nan]  # (per quotient: exact at every h up to)
        self._below_zero = [False, False]  # (and its error 0 there, not rounding's)
        self._clear_args: tuple | None = None  # (what keep_regions_clear was given)
        self._labels_h: float | None = None  # (the h they were kept clear of)
        plot.resized.connect(self._keep_regions_clear)
        # Its best h changes with the point: a steady label (no window re-layout per frame).
        self.err_legend = SteadyLabel(object_name="errorLegend", word_wrap=True)

    def _fit_error_range(self, same: bool) -> None:
        """The error axis for the errors' span in decades (:attr:`_err_span`), with room for
        the stars at either end in the plot's height: 0.6 of a decade was 3 pixels in a
        60-pixel plot at 1280 × 720, the central star cut in half. Kept steady while it
        holds them (``same``: and the loss and variable are the same)."""
        if self._err_span is None:
            return
        lo, hi = self._err_span
        tall = self.error_widget.plot_rect().height()
        # (pixels to decades; the stars mark the curves' lows, the current h's dot, 10
        # pixels across, may be at the top)
        per_px = (hi - lo) / max(tall - STAR_ROOM_PX - DOT_ROOM_PX, STAR_ROOM_PX)
        below = max(0.6, min(STAR_ROOM_PX * per_px, max(hi - lo, 0.6)))
        above = max(0.6, min(DOT_ROOM_PX * per_px, max(hi - lo, 0.6)))
        key = (self.controller.loss.text, self.axis)
        self._err_range = steady_range(self._err_range, (lo - below, hi + above),
                                       same and key == self._err_key)
        self._err_key = key
        self.error_widget.set_range((-16.0, 0.0), self._err_range)

    def _keep_regions_clear(self) -> None:
        """Place the regions' names for the plot's size (again after a resize: placed for
        another size, "truncation error" lay across a line)."""
        self._fit_error_range(same=True)  # (room for the stars in the new height)
        if self._clear_args is not None:
            keep_regions_clear(self.error_widget, self.ref_texts, self.regime_texts,
                               *self._clear_args, h=self._labels_h)
            if hasattr(self, "best_hs"):  # (the key names a guide left unlabelled)
                self._set_error_legend(self.best_hs, self.exact_quotients)

    def _draw_error_curves(self, f, a: float, exact: float) -> None:
        hs = ERROR_HS
        values = slice_values(f, a, hs)  # (f evaluated once for the errors and bounds)
        fwd, cen = calculus.error_curve(f, a, exact, hs, values)
        self._errors = (fwd, cen)
        # Both quotients exact at every h (f constant along the slice: not even round-off):
        # no curve, said in the plot (a line at the floor, 10⁻¹⁶, read "round-off error")
        floor = calculus.error_floor(exact)
        none = all(bool(np.isfinite(e).all() and (e <= floor).all()) for e in (fwd, cen))
        self.fwd_curve.set_data(*((hs, fwd) if not none else ([], [])))
        self.cen_curve.set_data(*((hs, cen) if not none else ([], [])))
        finite = np.concatenate([fwd[np.isfinite(fwd) & (fwd > 0)],
                                 cen[np.isfinite(cen) & (cen > 0)]]) if not none else fwd[:0]
        self.no_exact.set_visible(finite.size == 0)
        self.no_exact.set_text("no error at any h:\nboth quotients are exact" if none else
                               "no exact value\nto compare with")
        if finite.size == 0:
            for item in (self.best, *self.ref_lines):
                item.set_data([], [])
            for text in (*self.ref_texts, *self.regime_texts):
                text.set_visible(False)
                text.home = None
            self.best_hs = [float("nan")] * 2
            self.exact_quotients = self.zero_error = [none, none]
            self.exact_below = [math.nan, math.nan]
            self._clear_args = None
            self._set_error_legend(self.best_hs, self.exact_quotients)
            self._err_range, self._err_key, self._err_span = (-16.0, 0.0), None, None
            self.error_widget.set_range((-16.0, 0.0), self._err_range)
            self.no_exact.set_pos(10.0 ** -8, 10.0 ** -8)
            return
        # (the axis is fitted to them by _keep_regions_clear, below)
        lo, hi = self._err_span = (math.log10(finite.min()), math.log10(finite.max()))
        # (the truncation side's low in the corner: higher, the forward curve crossed it)
        for text, x, at in zip(self.regime_texts, (10.0 ** -0.3, 10.0 ** -15.7), (0.14, 0.3),
                               strict=True):
            text.home_x = x
            text.set_pos(x, 10.0 ** (lo + at * (hi - lo)))
        top = int(np.argmax(hs))
        small = (hs >= 1e-4) & (hs <= 1e-2)
        # No truncation error (f linear along the slice for the forward quotient,
        # quadratic for the central, constant for both): the error is round-off alone,
        # least at the largest h. A "best h ≈ 1 ★" on a flat line said nothing. Nor where
        # the quotients are exact for every small h (max(w1, w2) at w1 < w2: f flat up to
        # h = 0.7, "best h ≈ 0.6 ★", the largest h with no error).
        # ... or where the error stays within a few times what rounding alone gives at every
        # h (x² + 3y² near its minimum: the central quotient's error, all rounding of the
        # small values there, is least at a middle h, "best h ≈ 0.02 ★", a truncation
        # error named that is not there)
        bounds = roundoff_bounds(f, a, hs, exact, values)
        with np.errstate(all="ignore"):
            # (per h: the error 0, or within what rounding alone gives)
            within = [(err <= floor) | (err / np.maximum(bound, floor) <= ROUNDOFF_SPAN)
                      for err, bound in zip((fwd, cen), bounds, strict=True)]
            # The largest h below which a quotient has no error but rounding's (exp(−1/w1²)
            # at 0: its error falls from e⁻¹ at h = 1 to exactly 0 by h ≈ 0.1, all
            # truncation, and the key said "no truncation error here, only round-off";
            # |w1| at −0.5, linear up to h = 0.5, said "best h ≈ 0.4 ★")
            # (and not where the error there is the truncation error above it going on at its
            # rate, only sunk to rounding's size: 10⁻⁸·w2² beside 10⁶·w1² at (0.5, 2), its
            # forward error 10⁻⁸·h at every h, read "no truncation error for h up to 0.15")
            self.exact_below = [_exact_below(hs, w, err, order, floor) for w, err, order
                                in zip(within, (fwd, cen), (1, 2), strict=True)]
            # (and whether that error is 0 there, not rounding's: the key says which)
            self._below_zero = [bool((e[hs <= below] <= floor).all()) if math.isfinite(below)
                                else False for e, below in zip((fwd, cen), self.exact_below,
                                                               strict=True)]
            roundoff = [bool(err[top] <= 10 * np.nanmin(err)
                             or np.nanmax(err[small]) <= 2 * calculus.error_floor(exact)
                             or w.all() or below >= 0.01)
                        for err, w, below in zip((fwd, cen), within, self.exact_below,
                                                 strict=True)]
        # Each region named where a curve has it (x² at 0: the forward error is h all the
        # way down, no round-off; a linear f's quotients are round-off alone)
        has = (not all(roundoff), any(calculus.roundoff_shows(hs, e, floor) for e in (fwd, cen)))
        for text, wanted in zip(self.regime_texts, has, strict=True):
            text.wanted = wanted
            text.set_visible(wanted)
        # (a quotient with no error at any h — x²'s central one at 0 — is exact, not round-off)
        self.zero_error = [bool(np.isfinite(e).any() and (e[np.isfinite(e)] <= floor).all())
                           for e in (fwd, cen)]
        # Guide lines of slope 1 and 2 through the truncation regime, a little above the data
        # (none for a quotient with no truncation error: "slope 2" was drawn down in the
        # round-off region of a quadratic, beside a key saying there was none)
        anchor_h = 10.0 ** -1.5
        for k, (line, text, err) in enumerate(zip(self.ref_lines, self.ref_texts, (fwd, cen),
                                                  strict=True)):
            order = k + 1
            i = int(np.argmin(np.abs(np.log10(hs / anchor_h))))
            text.home = None
            # (nor where the error falls at another rate: h^½ at (x² + y²)^0.75 + x's origin,
            # whose "slope 1" guide sat beside the curve as if naming it)
            rate = calculus.fitted_slope(hs, err, (1e-4, 10.0 ** -1.5))
            if roundoff[k] or not (np.isfinite(err[i]) and abs(rate - order) <= 0.35
                                   and err[i] > 10 * calculus.error_floor(exact)):
                line.set_data([], [])
                text.set_visible(False)
                continue
            ref_hs = hs[(hs <= 1.0) & (hs >= 10.0 ** -(4 if order == 1 else 2.5))]
            ref = calculus.reference_line(ref_hs, order, anchor_h, 4.0 * err[i])
            line.set_data(ref_hs, ref)
            text.home = (float(ref_hs[-1]), float(ref[-1]))
            text.set_pos(*text.home)
            text.set_visible(True)
        self._clear_args = (hs, (fwd, cen), lo, hi)
        self._keep_regions_clear()
        best_xs, best_ys, brushes = [], [], []
        self.best_hs, self.exact_quotients = [], []
        for err, color, only_roundoff in zip((fwd, cen), (FORWARD_COLOR, CENTRAL_COLOR),
                                             roundoff, strict=True):
            self.exact_quotients.append(only_roundoff)
            hb = float("nan") if only_roundoff else calculus.best_h(hs, err)
            # (still falling past the slider's least h: no best one to show, "best h ≈ 10⁻¹⁶"
            # and a star cut by the frame's edge said one)
            hb = hb if hb >= 10.0 ** -SMALLEST_EXPONENT else float("nan")
            # (nor where no round-off climbs back below it, nothing to trade the truncation
            # error against: x³ at 0, error h², had "best h ≈ 8·10⁻⁹" where h² passes 10⁻¹⁶;
            # (w1 − 2)² at w1 = 2, "best h ≈ 5·10⁻⁹" where f(a + h) rounds to f(a) and the
            # quotient to 0, the exact value's own rounding noise)
            if not calculus.roundoff_shows(hs, err, floor):
                hb = float("nan")
            self.best_hs.append(hb)
            if math.isfinite(hb):
                best_xs.append(hb)
                best_ys.append(float(err[int(np.argmin(np.abs(hs - hb)))]))
                brushes.append(color)
        set_points(self.best, best_xs, best_ys, brushes)
        self._set_error_legend(self.best_hs, self.exact_quotients)

    def _set_error_legend(self, best_hs: list[float], exact=(False, False)) -> None:
        parts = []
        for name, color, hb, no_truncation, zero, below, below_zero in zip(
                ("forward", "central"), (FORWARD_COLOR, CENTRAL_COLOR), best_hs, exact,
                self.zero_error, self.exact_below, self._below_zero, strict=True):
            # (held together: in presentation mode the star wrapped onto a line of its own)
            best = (f", best&nbsp;h&nbsp;≈&nbsp;{fmt(hb, 1)}&nbsp;<span style='color:{color}'>"
                    "★</span>"
                    if math.isfinite(hb) else ": exact at every h (error 0)"
                    if no_truncation and (self.no_exact.visible or zero) else
                    f": exact (error 0) for every h up to {fmt(below, 2)}"
                    if no_truncation and math.isfinite(below) and below_zero else
                    f": no truncation error for h up to {fmt(below, 2)}, only round-off"
                    if no_truncation and math.isfinite(below) else
                    ": no truncation error here, only round-off" if no_truncation else "")
            parts.append(f"<span style='color:{color}'>━━</span> {name}{best}")
        # A guide line whose label found no clear spot beside it is named here instead.
        unlabelled = [k + 1 for k, t in enumerate(self.ref_texts)
                      if getattr(t, "home", None) is not None and not t.visible]
        # (by what a class sees and what it means: "the shorter guide line: slope 2" read
        # as a riddle; the slope-2 line falls twice as steeply, as the error h² does)
        if unlabelled:
            parts.append("<span style='color:#888888'>╌╌</span> guide lines: slope 1 (error "
                         "∝ h) and, steeper, slope 2 (error ∝ h²)" if len(unlabelled) == 2 else
                         f"<span style='color:#888888'>╌╌</span> the "
                         f"{'gentler' if unlabelled[0] == 1 else 'steeper'} guide line: "
                         f"slope {unlabelled[0]} (error ∝ {'h' if unlabelled[0] == 1 else 'h²'})")
        text = "<br>".join(parts)
        if text != self.err_legend.text():
            self.err_legend.setText(text)


def _exact_below(hs: np.ndarray, exact: np.ndarray, err: np.ndarray | None = None,
                 order: int = 1, floor: float = 0.0) -> float:
    """The largest of ``hs`` (shrinking) from which on ``exact`` holds (the error 0, or
    rounding's alone) at every smaller h, down to 10⁻⁴ at least; NaN where there is none
    (or it is every h, or the truncation error goes on there: :func:`_truncation_goes_on`
    with ``err``, the errors, of a quotient of ``order``)."""
    if exact.all() or not exact[-1]:
        return math.nan
    first = len(exact) - int(np.argmin(exact[::-1]))  # (the first of the exact tail)
    if first >= len(hs) or hs[first] < 1e-4:
        return math.nan
    if err is not None and _truncation_goes_on(hs, err, first, order, floor):
        return math.nan
    return float(hs[first])


TRUNCATION_SPAN = 4.0
"""An error within this factor of the truncation error above it, continued at its rate, is
that truncation error (:func:`_truncation_goes_on`)."""


def _truncation_goes_on(hs: np.ndarray, err: np.ndarray, first: int, order: int,
                        floor: float) -> bool:
    """Whether the error at the first h of a tail within rounding's size (from index
    ``first``) is the truncation error above it going on at its rate — h^``order`` or
    steeper, as the last two errors above fall — not gone: the error of a quotient that
    truly has none there drops far below it (|w1| at −0.5, linear up to h = 0.5: from 0.4
    to 10⁻¹⁶; exp(−1/w1²) at 0 to exactly 0), while one merely sunk to rounding's size is
    still about it (10⁻⁸·w2² beside 10⁶·w1², f ≈ 2.5·10⁵: the forward error 10⁻⁸·h, within
    four times the rounding bound for h ≤ 0.15)."""
    h0, e0 = float(hs[first - 1]), float(err[first - 1])
    if not (math.isfinite(e0) and e0 > floor):
        return False
    rate = float(order)
    if first >= 2 and math.isfinite(err[first - 2]) and err[first - 2] > floor:
        rate = max(rate, math.log(err[first - 2] / e0) / math.log(hs[first - 2] / h0))
    for i in range(first, min(first + 2, len(hs))):  # (two: one may round near 0 by luck)
        e = float(err[i])
        if not math.isfinite(e) or e <= floor:  # (exact there: nothing going on)
            continue
        going_on = e0 * (float(hs[i]) / h0) ** rate
        if going_on / TRUNCATION_SPAN <= e <= going_on * TRUNCATION_SPAN:
            return True
    return False
