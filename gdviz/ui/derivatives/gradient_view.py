"""The "Gradient" tab: ∇f at the current point, perpendicular to the contour, pointing uphill.

Left, a square close-up around the current point: contour lines (the one through the point in
bold), the contour's tangent, the ∇f arrow with its two components, a right-angle marker, and a
direction u the user turns, with the shadow of ∇f on u (the directional derivative ∇f·u).
Right, the readouts and ∇f·u against the angle of u: a cosine, largest along ∇f, zero along the
contour (:mod:`gdviz.ui.derivatives.directional_plot`).
"""

from __future__ import annotations

import math

import numpy as np

from gdviz.core import calculus
from gdviz.core.close_up import contour_close_up
from gdviz.core.limits import axis_partial
from gdviz.core.special_points import corner_slopes, stationary_kind_at
from gdviz.ui.arrows import arrow_segments
from gdviz.ui.binding import QtCore, QtGui, QtWidgets
from gdviz.ui.canvas import Curve, Points, Text, make_pen
from gdviz.ui.derivatives.common import (
    FONT_PT,
    LecturePlot,
    LinkedView,
    ResponsiveRow,
    fmt,
    set_points,
)
from gdviz.ui.derivatives.directional_plot import (
    DirectionalPlot,
    angle_to_dial,
    dial_to_angle,
    joined,
)
from gdviz.ui.derivatives.gradient_direction import (
    ARROW_FRACTION,
    U_COLOR,
    close_up_key,
    component_away,
    corner_sentence,
    draw_corner_rates,
    draw_direction,
    no_gradient_sentence,
    partials_html,
    sort_contours,
)
from gdviz.ui.numbers import vector_rounded
from gdviz.ui.steady_label import SteadyLabel

GRAD_COLOR = "#c00000"  # as on the 2D map
COMPONENT_COLOR = "#e07070"
TANGENT_COLOR = "#009E73"
WINDOW_FRACTION = 0.15  # half-width of the close-up, as a fraction of the domain's size
RECENTRE = 0.2  # the close-up follows the point once it is this far (× half-width) off centre
TANGENT_RADIUS = 40  # the contour's tangent is traced within (half-width / this) of the point


class GradientView(LinkedView):
    """∇f ⟂ contour at the current point, and the directional derivative ∇f·u.

    The close-up is square in data units (equal aspect), so right angles look right. The
    contour's tangent is traced from the level set itself (:func:`calculus.contour_tangent`),
    never derived from ∇f, so the angle readout is a real check of ∇f ⟂ contour.

    Attributes
    ----------
    angle : float
        Direction of u in degrees, counter-clockwise from the first variable's axis (the
        ``directionDial`` notch points the same way).

    Notes
    -----
    Everything drawn in the two plots follows the point, so it lives in the canvases' frame
    layers. The close-up recentres only when the point nears its edge, and the θ plot keeps its
    range while |∇f| changes a little, so their axes are not drawn again every playback frame
    (and the picture holds still for the class while the point moves through it).
    """

    def __init__(self, controller, parent=None) -> None:
        super().__init__(controller, parent)
        self.setObjectName("gradientView")
        self._grad = np.array([np.nan, np.nan])
        self._grad_rounded = False  # (∇f set to 0 where a converged run's is rounding noise)
        self._tangent: np.ndarray | None = None
        self._p, self._r, self._s = np.zeros(2), 1.0, 1.0  # point, window half-width, scale
        self._rates: tuple | None = None  # f and the point, at a corner (draw_corner_rates)
        self._window: tuple | None = None  # the close-up's (a, b) ranges, and what set them
        self._window_key: tuple | None = None
        self._contoured: tuple | None = None  # the close-up's ranges its contours cover
        self._texts: dict[str, str] = {}

        self.local_widget = LecturePlot("gradientPlot",
                                        "close-up of the contour and the gradient", grid=0.0)
        self.local_widget.set_aspect_locked(True)
        # Equal scales: a short, wide close-up would show a strip of the plane (the right
        # angle between ∇f and the contour is the picture); the tab scrolls instead.
        self.local_widget.set_least_height(260, grows=False)  # (in any type: room enough)
        # Its shape decides what equal scales show: contours again for a new shape (laid out
        # wider after its first drawing, as presentation mode does, the contours stopped a
        # fifth short of either side)
        self.local_widget.resized.connect(self._on_local_resized)
        dotted = make_pen("#888888", 1.2, QtCore.Qt.DotLine)
        (self.others, self.through, self.tangent, self.shadow, self.drop, self.box,
         self.components, self.right_angle, self.u_arrow, self.grad_arrow) = (
            self.local_widget.add(item, frame=True) for item in (
                Curve(pen=make_pen("#b8b8b8", 1.3)),
                Curve(pen=make_pen("#222222", 3)),
                Curve(pen=make_pen(TANGENT_COLOR, 3, QtCore.Qt.DashLine)),
                Curve(pen=make_pen(QtGui.QColor(230, 159, 0, 110), 9)),
                Curve(pen=dotted),
                Curve(pen=dotted, connect="pairs"),
                Curve(pen=make_pen(COMPONENT_COLOR, 2.5, QtCore.Qt.DashLine), connect="pairs"),
                Curve(pen=make_pen("#222222", 1.5)),
                Curve(pen=make_pen(U_COLOR, 3.5), connect="pairs"),
                Curve(pen=make_pen(GRAD_COLOR, 4), connect="pairs")))
        self.dot = self.local_widget.add(Points(13, "#0072B2", "white", 2, z=5), frame=True)
        self.dot.mirror_fill = False  # the run's colour, as on the map
        self.texts = {key: self.local_widget.add(
            Text(color=color, fill=QtGui.QColor(255, 255, 255, 190), bold=key in ("grad", "u"),
                 scale=FONT_PT / (FONT_PT - 1), z=20), frame=True)
            for key, color in (("grad", GRAD_COLOR), ("u", U_COLOR), ("da", GRAD_COLOR),
                               ("db", GRAD_COLOR))}

        self.partials_label = SteadyLabel(object_name="partialsLabel", word_wrap=True)
        self.angle_label = SteadyLabel(object_name="angleLabel", word_wrap=True)
        self.directional_label = SteadyLabel(object_name="directionalLabel", word_wrap=True)
        self._exact_angle: float | None = None  # (see angle)
        self._setting = False
        self.dial = QtWidgets.QDial(objectName="directionDial")
        self.dial.setAccessibleName("direction u")
        self.dial.setToolTip("Turn to point u in another direction")
        self.dial.setRange(0, 359)
        self.dial.setWrapping(True)
        self.dial.setNotchesVisible(True)
        self.dial.setNotchTarget(15.0)
        self.dial.setFixedSize(96, 96)
        self.dial.setValue(angle_to_dial(45.0))
        self.dial.valueChanged.connect(self._on_dial_changed)
        self.along_grad = QtWidgets.QPushButton("u along ∇f", objectName="alongGradientButton",
                                                toolTip="Turn u along ∇f: ∇f·u is ‖∇f‖ there")
        self.along_grad.clicked.connect(self._on_along_grad_clicked)
        self.along_contour = QtWidgets.QPushButton(
            "u along the contour", objectName="alongContourButton",
            toolTip="Turn u along the contour: ∇f·u is 0 there")
        self.along_contour.clicked.connect(self._on_along_contour_clicked)

        self.directional = DirectionalPlot(GRAD_COLOR, TANGENT_COLOR, U_COLOR)
        self.theta_widget = self.directional.widget
        self.cosine, self.theta_dot = self.directional.cosine, self.directional.theta_dot

        dial_row = QtWidgets.QHBoxLayout()
        dial_row.addWidget(self.dial)
        buttons = QtWidgets.QVBoxLayout()
        buttons.addWidget(self.along_grad)
        buttons.addWidget(self.along_contour)
        dial_row.addLayout(buttons)
        side = QtWidgets.QVBoxLayout()
        side.addWidget(self.partials_label)
        side.addWidget(self.angle_label)
        side.addLayout(dial_row)
        side.addWidget(self.directional_label)
        side.addWidget(self.theta_widget, 1)
        # It quotes f at the point, which changes every frame: a steady label.
        self.legend = SteadyLabel(object_name="gradientLegend", word_wrap=True)
        left = QtWidgets.QVBoxLayout()
        left.addWidget(self.local_widget, 1)
        left.addWidget(self.legend)
        # Side by side when there is room; in a narrow dock (a sliver of a close-up) below.
        self.columns = ResponsiveRow(640, row_stretch=(3, 2), column_stretch=(1, 1))
        self.columns.addLayout(left, 3)
        self.columns.addLayout(side, 2)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(self.columns)
        self._subscribe()

    # -- public ---------------------------------------------------------------------------
    @property
    def angle(self) -> float:
        """The angle θ of u in degrees, counter-clockwise from the first variable's axis."""
        exact = self._exact_angle  # (set by the buttons, until the dial is turned)
        if exact is not None and angle_to_dial(exact) == self.dial.value():
            return exact
        return dial_to_angle(self.dial.value())

    def set_angle(self, theta: float, exact: bool = False) -> None:
        """Point u at ``theta`` degrees: rounded to the dial's whole degrees, or ``exact``
        (the buttons: along the contour ∇f·u must read 0, not 1 % of |∇f|)."""
        before = self.dial.value()
        self._setting, self._exact_angle = True, float(theta) % 360.0 if exact else None
        try:  # (_setting: the dial's signal must not drop the exact angle)
            self.dial.setValue(angle_to_dial(float(theta)))
            if self.dial.value() == before:  # (the same whole degree: no signal)
                self._on_dial_changed(before)
        finally:
            self._setting = False

    def gradient(self) -> np.ndarray:
        """∇f at the current point, as drawn."""
        self.ensure_fresh()
        return self._grad.copy()

    def contour_tangent(self) -> np.ndarray | None:
        """Unit tangent of the contour through the point, from the traced contour (not ∇f)."""
        self.ensure_fresh()
        return None if self._tangent is None else self._tangent.copy()

    def directional_derivative(self) -> float:
        """∇f·u for the current direction u."""
        self.ensure_fresh()
        return float(calculus.directional_derivative(self._grad, self.angle))

    # -- events ---------------------------------------------------------------------------
    def _on_local_resized(self) -> None:
        if self.local_widget.view_range() != self._contoured:
            self.mark_dirty()

    def _on_dial_changed(self, _value: int) -> None:
        if not self._setting:
            self._exact_angle = None  # turned by hand: whole degrees again
        self.ensure_fresh()
        self._draw_direction()

    def _on_along_grad_clicked(self) -> None:
        theta = calculus.angle_of(self.gradient())
        if math.isfinite(theta):
            self.set_angle(theta, exact=True)

    def _on_along_contour_clicked(self) -> None:
        # Along the contour is across ∇f (∇f·u reads 0); the traced tangent picks which way.
        t, g = self.contour_tangent(), self.gradient()
        if t is not None:
            across = np.array([-g[1], g[0]])
            self.set_angle(calculus.angle_of(across if across @ t > 0 else -across)
                           if np.isfinite(g).all() and g.any() else calculus.angle_of(t),
                           exact=True)

    # -- drawing --------------------------------------------------------------------------
    def redraw(self) -> None:
        self._texts = dict.fromkeys(self.texts, "")  # what each label should say this time
        self._drawn: set[int] = set()
        self._redraw()
        for item in (self.others, self.through, self.tangent, self.components, self.right_angle,
                     self.grad_arrow, self.box, self.cosine):
            if id(item) not in self._drawn and len(item.x):
                item.set_data([], [])
        for key, text in self.texts.items():
            if text.text != self._texts[key]:
                text.set_text(self._texts[key])

    def _redraw(self) -> None:
        st = self.state()
        self.directional.hide_marks()
        self._rates = None  # (f's rates along u at a corner: see draw_corner_rates)
        self.directional.widget.set_axis_label("left", "∇f·u")
        if st is None:
            self._grad, self._tangent = np.array([np.nan, np.nan]), None
            self._draw_direction()
            return
        loss, point = st
        names = loss.variables
        window = self._close_up(point, loss)
        self._r = r = 0.5 * (window[0][1] - window[0][0])
        self._p = p = np.array(point)
        self.local_widget.set_range(window[0], window[1])
        # Contours over all that is shown (equal scales widen the window to the plot's shape).
        shown = self._contoured = self.local_widget.view_range()
        self.local_widget.set_axis_label("bottom", names[0])
        self.local_widget.set_axis_label("left", names[1])
        self.dot.brush = QtGui.QColor(self.run_color())
        set_points(self.dot, [p[0]], [p[1]])

        level = float(loss.value(*point))
        raw = np.array([float(v) for v in loss.gradient(*point)])
        self._grad = g = np.array(vector_rounded(raw))  # (1e−9 of the other: 0)
        rounded = [v == 0 != r and math.isfinite(r) for v, r in zip(g, raw, strict=True)]
        # No gradient where f is undefined, nor at a corner (abs(w1) at 0: sign(0) gave 0).
        corners = [corner_slopes(loss, point, i) if math.isfinite(level) else None
                   for i in (0, 1)]
        # (the other partial exists at a corner: abs(w1) + w2^2 at (0, 0.5) has ∂f/∂w2 = 1;
        # both may where f has no gradient, sqrt(|w1·w2|) at the origin)
        partials_at = g if math.isfinite(level) else np.full(2, np.nan)
        if math.isfinite(level) and not any(corners):
            partials_at = np.array([axis_partial(loss, point, i) if math.isnan(v) else v
                                    for i, v in enumerate(g)])
        if not math.isfinite(level) or any(corners):
            g = self._grad = np.full(2, np.nan)
        norm = float(np.hypot(*g)) if np.isfinite(g).all() else float("nan")
        # Converged, ∇f is rounding noise: no tangent, arrow, angle (0.0° between noises);
        # undefined, the contour has a kink (|w1| + w2² at (0, 1) drew a tangent through it)
        settled = self.settled() and math.isfinite(norm)
        self._tangent = t = (None if settled or not math.isfinite(norm) else
                             self._traced(loss, point, r / TANGENT_RADIUS))
        # 81 × 81 samples: a contour vertex every few pixels (more: costlier lines to paint)
        a, b, values = calculus.local_grid(loss, shown, 81)
        # Neighbouring contours about r/3 apart near the point (where f is nearly linear).
        spacing = norm * r / 3
        finite = values[np.isfinite(values)]
        if settled or not norm > 0:  # (a stationary point: rings a quarter of the way up,
            # or down, the close-up's slopes; at a maximum f is below the point everywhere;
            # so too at a corner, no ∇f: the cone's tip was an empty box with one dot)
            spacing = (float(np.percentile(np.abs(finite - level), 90)) / 4
                       if finite.size and math.isfinite(level) else 0.0)
        levels = calculus.contour_levels_around(level, spacing, 4)
        others, through = sort_contours(levels, calculus.contour_sets(a, b, values, levels),
                                        level, point, r, settled or not norm > 0)
        self._put(self.others, *joined(others))
        self._put(self.through, *joined(through))
        # Only what is drawn (converged, at a saddle or a corner some of it is not)
        self.along_grad.setEnabled(arrows := not settled and norm > 0)  # (no ∇f to turn u to)
        self.along_contour.setEnabled(t is not None)
        self.legend.setText(close_up_key(fmt(level), bool(through), bool(others),
                                         t is not None, arrows, TANGENT_COLOR,
                                         self.ink(GRAD_COLOR), self.ink(U_COLOR)))
        if t is not None:
            self._put(self.tangent, *np.column_stack([p - 0.8 * r * t, p + 0.8 * r * t]))
        partials = partials_html(names, corners, partials_at, settled, g, norm, rounded)
        self.partials_label.setText(f"<span style='color:{self.ink(GRAD_COLOR)}'>{partials}</span>")
        if settled or not norm > 0:
            # (by the curvatures, else the samples near it: see stationary_kind_at)
            near = np.hypot(a[None, :] - p[0], b[:, None] - p[1]) <= r / 3
            kind = stationary_kind_at(loss, point, 1e-4 * r, values, level, near, r / 3)
            self.angle_label.setText(
                f"∇f = 0 here: {kind}; no direction is uphill to first order." if norm == 0
                else f"∇f ≈ 0 here (‖∇f‖ = {fmt(norm)}): the run has converged, at {kind}; "
                "∇f has no direction to draw." if settled else
                corner_sentence(names, corners) if any(corners) else
                no_gradient_sentence(names, level, partials_at))
            self._grad = np.zeros(2) if settled else self._grad
            # (∇f·u then ≈ 0, as the partials say: "= 0" beside ‖∇f‖ = 9.6×10⁻⁷)
            self._grad_rounded = bool(settled and norm > 0)
            if not settled and any(corners) and draw_corner_rates(self, loss, point):
                self._draw_direction()
                return
            # ∇f·u = 0 in every direction: a flat line on the θ axis (it showed no axis at all)
            grid = np.array([0.0, 360.0])
            self._put(self.cosine, grid, np.zeros(2) if np.isfinite(self._grad).all()
                      else np.full(2, np.nan))
            self.directional.widget.set_range((0.0, 360.0), (-1.0, 1.0))
            self._draw_direction()
            return
        self._grad_rounded = False
        self._s = s = ARROW_FRACTION * r / norm  # data units per unit of gradient
        tip = p + s * g
        self._put(self.grad_arrow, *arrow_segments([p[0]], [p[1]], [s * g[0]], [s * g[1]], 0.22))
        # Component heads as big as half the gradient's head, whatever their length.
        heads = [min(0.45, 0.11 * norm / abs(c)) if c else 0.0 for c in g]
        comp = [arrow_segments([p[0]], [p[1]], [s * g[0]], [0.0], heads[0]),
                arrow_segments([p[0]], [p[1]], [0.0], [s * g[1]], heads[1])]
        self._put(self.components, np.concatenate([c[0] for c in comp]),
                  np.concatenate([c[1] for c in comp]))
        self._put(self.box, [p[0] + s * g[0], tip[0], p[0], tip[0]],
                  [p[1], tip[1], p[1] + s * g[1], tip[1]])
        self._place(self.texts["grad"], "∇f", tip, g)
        for i, key in enumerate(("da", "db")):  # (each by its arrow's tip)
            at = p + s * g * (np.arange(2) == i)
            self._place(self.texts[key], f"∂f/∂{names[i]}", at, component_away(g, i))
        if t is not None:
            n = g / norm
            e = 0.09 * r
            corner = np.array([p + e * t, p + e * t + e * n, p + e * n])
            self._put(self.right_angle, corner[:, 0], corner[:, 1])
            angle = calculus.angle_between(g, t)
            self.angle_label.setText(f"angle between ∇f and the contour: <b>{angle:.1f}°</b>")
            thetas = [calculus.angle_of(t), calculus.angle_of(-t)]
        else:
            self.angle_label.setText("The contour through the point is not a single line here.")
            thetas = []
        grid = np.linspace(0.0, 360.0, 121)  # every 3°: smooth at any plot width
        self._put(self.cosine, grid, calculus.directional_derivative(g, grid))
        self.directional.show_marks(g, norm, thetas, (loss.text, self.controller.domain))
        self._draw_direction()

    def _close_up(self, point, loss) -> tuple:
        """The close-up's window: centred on the point, kept while the point stays near its
        centre (within :data:`RECENTRE` of its half-width)."""
        domain = self.controller.domain
        key = (loss.text, domain)
        old, same = self._window, key == self._window_key
        self._window_key = key
        # Zoomed in on a contour too small for it (gdviz.core.special_points)
        # (from the domain, not the window's ends: at a diverged run's 1e20 they are equal;
        (a0, a1), (b0, b1) = domain  # each side's root: a 1e-300 square's area was 0)
        r_full = want = WINDOW_FRACTION * float(np.sqrt(abs(a1 - a0)) * np.sqrt(abs(b1 - b0)))
        if not self.settled():
            want = contour_close_up(loss, point, r_full, 1.0 / TANGENT_RADIUS, self._traced)
        if old is not None and same:
            (a0, a1), (b0, b1) = old
            r = 0.5 * (a1 - a0)
            if (abs(point[0] - 0.5 * (a0 + a1)) <= RECENTRE * r
                    and abs(point[1] - 0.5 * (b0 + b1)) <= RECENTRE * r
                    and 0.5 * want <= r <= 2.0 * want):
                return old
        self._window = calculus.local_window(point, domain, WINDOW_FRACTION * want / r_full)
        return self._window

    def _traced(self, loss, point, radius: float):
        """:func:`calculus.contour_tangent`, remembered for the last (loss, point, radius):
        the close-up's choice and the drawing ask for the same one."""
        key = (loss.text, tuple(point), radius)
        if getattr(self, "_traced_key", None) != key:
            self._traced_key = key
            self._traced_value = calculus.contour_tangent(loss, point, radius)
        return self._traced_value

    def _put(self, item: Curve, x, y) -> None:
        """``item.set_data`` that :meth:`redraw` remembers (items not drawn are cleared once)."""
        item.set_data(x, y)
        self._drawn.add(id(item))

    def _place(self, text: Text, label: str, at, away) -> None:
        """Put ``label`` at ``at``, on the side ``away`` points to (so it clears the arrow)."""
        key = next(k for k, item in self.texts.items() if item is text)
        self._texts[key] = label
        text.set_text(label, float(at[0]), float(at[1]))
        text.set_anchor((0.0 if float(away[0]) >= 0 else 1.0, 1.0 if float(away[1]) >= 0 else 0.0))

    def _draw_direction(self) -> None:
        draw_direction(self)
