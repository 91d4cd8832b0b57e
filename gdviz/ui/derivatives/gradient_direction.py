"""The Gradient tab's direction u: its arrow, the shadow of ∇f on it (∇f·u) and the
sentence with its value and share of |∇f| (drawn by :func:`draw_direction` for
:class:`~gdviz.ui.derivatives.gradient_view.GradientView`); and which of its close-up's
contours go through the point (:func:`sort_contours`); what it says where there is no ∇f
(:func:`corner_sentence`, :func:`no_gradient_sentence`)."""

from __future__ import annotations

import math

import numpy as np

from gdviz.core import calculus
from gdviz.core.limits import one_sided_rates
from gdviz.ui.arrows import arrow_segments
from gdviz.ui.canvas import make_pen
from gdviz.ui.derivatives.common import fmt, kink, set_points, share_text
from gdviz.ui.qt import QtCore, QtGui

ARROW_FRACTION = 0.6  # drawn length of ∇f and u, as a fraction of the close-up's half-width
U_COLOR = "#E69F00"
SHADOW_ALPHA = {False: 110, True: 210}
"""Opacity of ∇f's shadow on u over the light and the dark ground."""


def sort_contours(levels, sets, level: float, point, r: float,
                  stationary: bool) -> tuple[list, list]:
    """``(others, through)``: the close-up's contour pieces (``sets``, one list per level of
    ``levels``) that do not and do go through ``point`` (f = ``level`` there; the close-up's
    half-width ``r``). At a ``stationary`` point only a piece at its level that comes within
    r/15 of it goes through it (Rastrigin's rings at its level round lower minima were called
    "through" it), and one smaller than r/20 is left out: at a minimum the level set is the
    point alone, a speck the key named "contour through the point" in bold where nothing
    showed."""
    others, through = [], []
    for lv, pieces in zip(levels, sets, strict=True):
        for piece in pieces:
            if lv != level:
                others.append(piece)
            elif not stationary:
                through.append(piece)
            elif np.ptp(piece, axis=0).max() >= r / 20:
                near = np.hypot(*(piece - np.asarray(point)).T).min() <= r / 15
                (through if near else others).append(piece)
    return others, through


def draw_direction(view) -> None:
    """Draw u at the view's angle, ∇f·u's shadow and dot, and say ∇f·u (``view``: the
    Gradient tab, with its point ``_p``, close-up half-width ``_r`` and arrow scale ``_s``)."""
    theta = view.angle
    g = view._grad
    norm = float(np.hypot(*g)) if np.isfinite(g).all() else float("nan")
    value = float(calculus.directional_derivative(g, theta))
    if not math.isfinite(norm):  # (∇f = (∞, 0) at sqrt(w1)·w2's edge: ∞ ≤ ∞ read 0)
        value = float("nan")
    elif abs(value) <= 1e-12 * norm:  # (along the contour: cos 90° rounds to 6e-17)
        value = 0.0
    rates = getattr(view, "_rates", None)  # (at a corner: see draw_corner_rates)
    rate = float(one_sided_rates(*rates, [theta])[0]) if rates else math.nan
    set_points(view.theta_dot, [theta], [rate if rates else value])
    if not norm > 0:
        for item in (view.u_arrow, view.shadow, view.drop):
            item.set_data([], [])
        view._texts["u"] = ""
        view.texts["u"].set_text("")
        eq = "≈" if view._grad_rounded else "="  # (a converged run's)
        said = f"θ = {round(theta) % 360}°: ∇f·u {eq} {fmt(value)}"
        if rates:
            said += f"; leaving the point along u, f changes at <b>{fmt(rate)}</b> per unit"
        view.directional_label.setText(said)
        return
    p, r, s = view._p, view._r, view._s
    u = calculus.direction(theta)
    L = ARROW_FRACTION * r
    view.u_arrow.set_data(*arrow_segments([p[0]], [p[1]], [L * u[0]], [L * u[1]], 0.22))
    foot = p + s * value * u
    # (more opaque on the dark ground: at the light theme's 110 it was a dim olive there)
    alpha = SHADOW_ALPHA[bool(view.local_widget.dark)]
    if view.shadow.pen.color().alpha() != alpha:
        color = QtGui.QColor(U_COLOR)
        color.setAlpha(alpha)
        view.shadow.set_pen(make_pen(color, 9))
    view.shadow.set_data([p[0], foot[0]], [p[1], foot[1]])
    tip = p + s * g
    view.drop.set_data([tip[0], foot[0]], [tip[1], foot[1]])
    # Along ∇f the two tips meet: "u" then goes on the arrow's other side ("uf" read as
    # one word).
    across = np.array([u[1], -u[0]])
    side = u if abs(value) < 0.94 * norm or value < 0 else across
    # ...and off "∇f" (u a few degrees from ∇f on x² + 3y²: "u" lay on it, either side)
    canvas = view.local_widget
    grad_box = view.texts["grad"].box(canvas) if view.texts["grad"].visible else None
    # (beside its tip, else beside its middle: at the tip both sides can meet "∇f")
    for at, away in ((1.0, side), (1.0, across), (1.0, -across), (0.5, across),
                     (0.5, -across)):
        view._place(view.texts["u"], "u", p + at * L * u, away)
        box = view.texts["u"].box(canvas)
        if grad_box is None or box is None or not box.intersects(
                _spaced(grad_box)):
            break
    else:
        view._place(view.texts["u"], "u", p + L * u, side)
    keep_labels_apart(view)
    ratio = share_text(value / norm)
    # The angle between ∇f and u, as a number: "cos(angle)" under "angle between ∇f and
    # the contour: 90.0°" read as cos 90° = 0 beside ∇f·u = −0.1041
    between = math.degrees(math.acos(max(-1.0, min(1.0, value / norm))))
    # (the angle to a tenth where whole degrees give another value: ‖∇f‖ = 897.6 times
    # cos 136° is −645.7, where ∇f·u is −645.9; "≈" where a tenth does not do either)
    angle, equals = f"{between:.0f}", "≈"
    for digits in (0, 1):
        product = norm * math.cos(math.radians(round(between, digits)))
        if abs(product - value) <= 1e-9 * norm or fmt(product) == fmt(value):
            angle, equals = f"{between:.{digits}f}", "="
            break
    view.directional_label.setText(
        f"<span style='color:{view.ink(U_COLOR)}'>direction u at "
        f"θ = {round(theta) % 360}°</span><br>"
        # Each part whole on its line ("(−33% of ‖" / "∇f‖)" broke after the bar): joined by
        # no-break spaces and word joiners (Qt's labels ignore white-space: nowrap).
        f"{unbroken(f'∇f·u = ‖∇f‖ cos {angle}° {equals}')} <b>{fmt(value)}</b>"
        f"  {unbroken(f'({ratio} of ‖∇f‖)')}")


RATE_AXIS = "rate along u"
"""The θ plot's axis where there is no ∇f·u to plot (a corner): f's rate along each u."""


def draw_corner_rates(view, loss, point) -> bool:
    """At a corner, where ∇f and so ∇f·u do not exist, plot how fast f changes leaving the
    point along each u instead (:func:`gdviz.core.limits.one_sided_rates`): at the cone's
    tip 1 in every direction, a flat line no cosine ∇f·u could draw — the picture of "no
    gradient here" (the plot was empty axes). False where the rates cannot be told."""
    grid = np.linspace(0.0, 360.0, 121)
    rates = one_sided_rates(loss.value, point, grid)
    finite = np.abs(rates[np.isfinite(rates)])
    if not finite.size or np.isinf(rates).any():  # (a cusp: no rate to plot along some u)
        view._rates = None
        return False
    view._rates = (loss.value, point)
    view._put(view.cosine, grid, rates)
    top = 1.2 * float(finite.max()) or 1.0
    view.directional.widget.set_range((0.0, 360.0), (-top, top))
    view.directional.widget.set_axis_label("left", RATE_AXIS)
    view.angle_label.setText(view.angle_label.text() + " Below: how fast f changes along "
                             "each u — no cosine ∇f·u gives that.")
    return True


def close_up_key(level: str, through: bool, others: bool, tangent: bool, arrows: bool,
                 tangent_ink: str, grad_ink: str, u_ink: str) -> str:
    """The close-up's key, naming only what is drawn (converged, at a saddle or a corner
    some of it is not): the contour through the point at f = ``level``, its tangent, the
    ``others``, ∇f and u (``arrows``), in their inks."""
    # ("its" only after the contour it belongs to: near the cone's tip "╌╌ its tangent"
    # came first, with nothing for "its" to name; "(f =" / "0.2104)" broke there in
    # presentation mode)
    whose = "its" if through else "the contour's"
    key = [(f"<b>━━</b> contour through the point (f&nbsp;=&nbsp;{level})", through),
           (f"<span style='color:{tangent_ink}'><b>╌╌</b></span> {whose} tangent", tangent),
           ("<span style='color:#999999'>━━</span> neighbouring contours", others),
           (f"<span style='color:{grad_ink}'><b>➜</b> ∇f points uphill</span>", arrows),
           (f"<span style='color:{u_ink}'><b>➜</b> a direction u, <b>▬</b> "
            "∇f's shadow on u (∇f·u)</span>", arrows)]  # (the bar was not in the key)
    return ", ".join(text for text, drawn in key if drawn)


def partials_html(names, corners, partials, settled: bool, g, norm: float,
                  rounded=(False, False)) -> str:
    """The Gradient tab's "∂f/∂w1 = …", "∂f/∂w2 = …", "‖∇f‖ = …" lines (rich text): "none
    (a corner)" where ``corners`` has the one-sided slopes, "≈ 0" where the run has
    ``settled`` (its partials are rounding noise: "∂f/∂w1 = −8.8×10⁻¹²" read in bold red),
    and so does ‖∇f‖ there (it read "‖∇f‖ = 8.035×10⁻⁷" under two partials of ≈ 0 and = 0;
    the sentence below the lines gives its value). ``rounded``: which partials read 0 only
    beside the other's size (under 10⁻⁹ of it, :func:`gdviz.ui.numbers.vector_rounded`):
    "≈ 0" too (1e10·w1² + w2 read "∂f/∂w2 = 0", exactly 1)."""
    shown = [f"none (a {kink(c)})" if c else "≈ 0" if (settled and v != 0) or small
             else fmt(v) for c, v, small in zip(corners, partials, rounded, strict=True)]
    length = ("≈ 0" if settled and norm != 0 and math.isfinite(norm)
              else fmt(np.inf if np.isinf(g).any() else norm))  # (a cusp's: ∞)
    return "<br>".join(f"{n} {'' if v.startswith('≈') else '= '}<b>{v}</b>"
                       for n, v in zip([f"∂f/∂{n}" for n in names] + ["‖∇f‖"],
                                       [*shown, length], strict=True))


_CORNERS = ((0.0, 1.0), (1.0, 1.0), (0.0, 0.0), (1.0, 0.0))


def unbroken(text: str) -> str:
    """``text`` that a label never breaks across lines: no-break spaces, and word joiners
    around the bars of ‖∇f‖ (a line could break after a bar)."""
    return text.replace(" ", "\u00a0").replace("‖", "\u2060‖\u2060")


def keep_labels_apart(view) -> None:
    """Move a component's label ("∂f/∂w2") to another corner of its arrow's tip where it
    covered "∇f", "u" or the other component's or ran past the plot's edge, or leave it out
    where no corner is clear (on
    max(w1, w2) "∂f/∂w2" and "∇f" were drawn on top of each other; the values are printed
    beside the plot anyway); a component of 0, which has no arrow, has no label either."""
    canvas = view.local_widget
    # (with a gap: "∂f/∂y" ending where "u" began read "∂f/∂yu")
    taken = [_spaced(b) for b in (view.texts[k].box(canvas) for k in ("grad", "u"))
             if b is not None]
    # ...nor ∇f's arrow ("∂f/∂w2" lay across its middle), nor the point, nor u's arrow (in
    # presentation mode's small close-up "∂f/∂w1" lay across u, "∂f/∂w2" on the point) —
    # u's the last to give way: it turns, and its label says what it is
    taken += _marks(canvas, (), getattr(view, "_p", None))
    soft = _marks(canvas, (view.u_arrow,), None)
    shaft = _shaft(canvas, view.grad_arrow)
    grad = getattr(view, "_grad", None)
    plot = canvas.plot_rect().adjusted(-1, -1, 1, 1)
    for i, key in enumerate(("da", "db")):
        text = view.texts[key]
        # No arrow where the component is 0, or one too short to see (−0.003 beside 0.13):
        # nor a label (sin(x²) at any point named an ∂f/∂y no arrow went to)
        text.set_visible(grad is None or _arrow_px(view, canvas, i) >= MIN_ARROW_PX)
        if not text.visible:
            continue
        # Its first place again, by the tip (moved beside the arrow's middle once, it stayed
        # there as the dial turned u away, the tip's corners never tried again)
        tip, first = _along(view, i, 1.0) or text.pos, _home(grad, i) or text.anchor
        text.set_pos(*tip)
        text.set_anchor(first)
        box = text.box(canvas)
        if box is None:
            continue
        # (∇f along this component lies under it: a label beside its tip touches its line)
        taken_here = taken + (shaft if _across(grad, i) else [])
        if not _clear(box, plot, taken_here + soft):
            # Another corner of the tip, else beside the arrow's middle (with u on one side
            # and ∇f on the other of the tip, "∂f/∂w2" had no corner left)
            middle = _along(view, i, 0.5)
            places = [(tip, first), *((tip, c) for c in _CORNERS if c != first),
                      *((tip, a) for a in _beyond(grad, i)),
                      *((middle, a) for a in _SIDES[i] if middle is not None)]
            for pos, anchor, avoid in [(*pl, taken_here + soft) for pl in places] + [
                    (*pl, taken_here) for pl in places]:
                text.set_pos(*pos)
                text.set_anchor(anchor)
                box = text.box(canvas)
                if _clear(box, plot, avoid):
                    break
            else:
                text.set_pos(*tip)
                text.set_anchor(first)
                text.set_visible(False)
                continue
        taken.append(_spaced(box))


LABEL_GAP = 4.0
"""Pixels kept between two labels side by side (touching, they read as one word)."""


def _spaced(box: QtCore.QRectF) -> QtCore.QRectF:
    """A label's ``box`` with the room another label keeps from it (:data:`LABEL_GAP`)."""
    return box.adjusted(-LABEL_GAP, -1, LABEL_GAP, 1)


def _beyond(grad, i: int) -> list[tuple[float, float]]:
    """The anchor putting component ``i``'s label just past its arrow's tip, centred on its
    line (with u on one side of the tip and "∇f" on the other, "∂f/∂w2" went onto u's
    arrow beside the middle, where the room above the tip was clear)."""
    if grad is None or not np.isfinite(grad).all():
        return []
    up = float(grad[i]) >= 0
    return [(-0.08 if up else 1.08, 0.5)] if i == 0 else [(0.5, 1.1 if up else -0.1)]


_SIDES = (((0.5, 0.0), (0.5, 1.0)), ((0.0, 0.5), (1.0, 0.5)))
"""Anchors beside the middle of a component's arrow: below or above the horizontal one,
right or left of the vertical one."""


def component_away(grad, i: int) -> tuple[float, float]:
    """The side component ``i``'s label goes to from its arrow's tip: along the component,
    and away from the other one."""
    g0, g1 = float(grad[0]), float(grad[1])
    return ((g0, -abs(g0) * np.sign(g1 or 1)) if i == 0
            else (-abs(g1) * np.sign(g0 or 1), g1))


def _home(grad, i: int) -> tuple[float, float] | None:
    """Component ``i``'s label's first corner of its tip (:func:`component_away`)."""
    if grad is None or not np.isfinite(grad).all():
        return None
    away = component_away(grad, i)
    return 0.0 if away[0] >= 0 else 1.0, 1.0 if away[1] >= 0 else 0.0


def _along(view, i: int, share: float) -> tuple[float, float] | None:
    """The point ``share`` of the way along component ``i``'s arrow (1: its tip), or None."""
    g, p, s = getattr(view, "_grad", None), getattr(view, "_p", None), getattr(view, "_s", 0.0)
    if g is None or p is None or not np.isfinite(g).all():
        return None
    point = [float(p[0]), float(p[1])]
    point[i] += share * s * float(g[i])
    return point[0], point[1]


MIN_ARROW_PX = 12.0
"""A component's arrow shorter than this (pixels) gets no label: it would sit on the point."""


def _arrow_px(view, canvas, i: int) -> float:
    """The on-screen length of component ``i``'s arrow (0 where it has none)."""
    g, p, s = getattr(view, "_grad", None), getattr(view, "_p", None), getattr(view, "_s", 0.0)
    if g is None or p is None or not g[i] or not np.isfinite(g).all():
        return 0.0
    tip = np.array(p, dtype=float)
    tip[i] += s * g[i]
    x, y = canvas.data_to_px([p[0], tip[0]], [p[1], tip[1]])
    return float(np.hypot(x[1] - x[0], y[1] - y[0]))


def _marks(canvas, arrows, point) -> list:
    """Small boxes along ``arrows``' drawn segments, and around ``point``: what a label
    should not cover."""
    xs, ys = [], []
    for arrow in arrows:
        x, y = np.asarray(arrow.x, dtype=float), np.asarray(arrow.y, dtype=float)
        ok = np.isfinite(x[:-1]) & np.isfinite(x[1:]) & np.isfinite(y[:-1]) & np.isfinite(y[1:])
        for t in np.linspace(0.0, 1.0, 6):
            xs.append((x[:-1] + t * (x[1:] - x[:-1]))[ok])
            ys.append((y[:-1] + t * (y[1:] - y[:-1]))[ok])
    if not xs:
        return []
    px, py = canvas.data_to_px(np.concatenate(xs), np.concatenate(ys))
    boxes = [QtCore.QRectF(a - 2.0, b - 2.0, 4.0, 4.0) for a, b in zip(px, py, strict=True)
             if math.isfinite(a) and math.isfinite(b)]
    if point is not None:
        (a,), (b,) = canvas.data_to_px([point[0]], [point[1]])
        if math.isfinite(a) and math.isfinite(b):
            boxes.append(QtCore.QRectF(a - 6.0, b - 6.0, 12.0, 12.0))
    return boxes


def _across(grad, i: int) -> bool:
    """Whether ∇f leaves component ``i``'s line: its other component over 0.15 of it."""
    if grad is None or not np.isfinite(grad).all():
        return False
    return abs(float(grad[1 - i])) > 0.15 * float(np.hypot(*grad))


def _shaft(canvas, arrow) -> list:
    """Small boxes along the middle of ``arrow``'s shaft (its first segment, a quarter to
    three quarters of the way): not its ends, where a component's label sits beside the
    tip of a component as long as ∇f itself (sin(w1²): ∇f along w1)."""
    x, y = np.asarray(arrow.x, dtype=float), np.asarray(arrow.y, dtype=float)
    if len(x) < 2 or not np.isfinite([x[0], x[1], y[0], y[1]]).all():
        return []
    t = np.linspace(0.25, 0.75, 6)
    px, py = canvas.data_to_px(x[0] + t * (x[1] - x[0]), y[0] + t * (y[1] - y[0]))
    return [QtCore.QRectF(a - 2.0, b - 2.0, 4.0, 4.0) for a, b in zip(px, py, strict=True)
            if math.isfinite(a) and math.isfinite(b)]


def _clear(box, plot, taken) -> bool:
    """Whether a label's ``box`` lies whole in ``plot`` and meets none of ``taken`` (whole:
    "∂f/∂w1" was cut to "∂w1" at the plot's left edge, near a far-out point)."""
    return plot.contains(box) and not any(box.intersects(t) for t in taken)


def corner_sentence(names, corners) -> str:
    """What the Gradient tab says at a corner: which partial derivatives do not exist, with
    the slopes from either side (``corners[i]`` from
    :func:`gdviz.core.special_points.corner_slopes`, None where the partial exists)."""
    parts = [f"∂f/∂{name} does not exist (slope {fmt(c[0])} from the left, {fmt(c[1])} "
             "from the right)" for name, c in zip(names, corners, strict=True) if c]
    return f"f has a {kink(*corners)} here: {' and '.join(parts)}, so neither does ∇f."


def no_gradient_sentence(names, level: float, partials) -> str:
    """What the Gradient tab says where ∇f is undefined, not at a corner: f undefined; the
    partials there (``partials``, by :func:`gdviz.core.limits.axis_partial`) but f rising
    along a diagonal at another rate than ∇f·u ((x³ + y³)^(1/3), sqrt(|xy|) at the origin,
    the classic example of partials without a derivative, read "∂f/∂x = undefined"); or
    neither."""
    if not math.isfinite(level):
        return "f is undefined here."
    if all(math.isfinite(v) for v in partials):
        return (f"∂f/∂{names[0]} and ∂f/∂{names[1]} exist, yet ∇f does not: along a slanted "
                "direction f does not change at the rate ∇f·u gives (f has no derivative "
                "at this point).")
    return "∇f is undefined here: f has no derivative at this point."
