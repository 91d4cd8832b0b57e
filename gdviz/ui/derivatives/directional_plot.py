"""The Gradient tab's plot of the directional derivative ∇f·u against the angle θ of u
(:class:`DirectionalPlot`): the cosine, the dot at u's angle, and dashed lines, labelled, at
the angle of ∇f (the maximum) and at the contour's two (the zeros), on axes that keep their
range while |∇f| changes a little. :class:`~gdviz.ui.derivatives.gradient_view.GradientView`
draws the cosine and the dot, and has the marks moved here.
"""

from __future__ import annotations

import numpy as np

from gdviz.core import calculus
from gdviz.ui.binding import QtCore, QtGui
from gdviz.ui.canvas import Curve, InfiniteLine, Points, Text, make_pen
from gdviz.ui.derivatives.common import LecturePlot, points_along, steady_range


class DirectionalPlot:
    """∇f·u against the angle θ of u, on a :class:`LecturePlot`, with its marks.

    Parameters
    ----------
    grad, contour, u : str
        The colours of ∇f's mark, the contour's marks, and u's dot.

    Attributes
    ----------
    widget : LecturePlot
        The plot (``directionalPlot``).
    cosine : Curve
        ∇f·u for every θ (the view draws it).
    theta_dot : Points
        ∇f·u at u's angle (the view draws it).
    """

    def __init__(self, grad: str, contour: str, u: str) -> None:
        self.widget = LecturePlot("directionalPlot",
                                  "directional derivative against the angle of u",
                                  bottom="angle θ of u (°)", left="∇f·u")
        theta = self.widget
        theta.set_ticks("bottom", [(t, str(t)) for t in range(0, 361, 90)])
        theta.add(InfiniteLine(0, pen=make_pen("#999999", 1)))
        self.cosine = theta.add(Curve(pen=make_pen("#333333", 2.5), z=1), frame=True)
        self.grad_mark = theta.add(InfiniteLine(90, pen=make_pen(grad, 2,
                                                                 QtCore.Qt.DashLine)), frame=True)
        self.contour_marks = [theta.add(InfiniteLine(90, pen=make_pen(
            contour, 2, QtCore.Qt.DashLine)), frame=True) for _ in range(2)]
        self.theta_dot = theta.add(Points(14, u, "#111111", 1.5, z=3), frame=True)
        # Where the curve is not: the maximum's label at the bottom, the zeros' beside their
        # lines on the side where the curve is away (see _place_zero).
        self.mark_texts = [theta.add(Text(t, c, anchor=(0.5, a), fill=QtGui.QColor(
            255, 255, 255, 200), z=4), frame=True) for t, c, a in (
                ("∇f", grad, 1.0), ("contour", contour, 0.0), ("contour", contour, 0.0))]
        self._range = (-1.0, 1.0)
        self._key: tuple | None = None

    def hide_marks(self) -> None:
        """Hide the lines at ∇f's and the contour's angles, and their labels."""
        for item in (self.grad_mark, *self.contour_marks, *self.mark_texts):
            item.set_visible(False)

    def show_marks(self, g, norm: float, thetas: list[float], key: tuple) -> None:
        """Fit the range to ∇f ``g`` (of length ``norm``) and mark its angle and the contour's
        angles ``thetas`` (none, or its two directions); ``key`` names the loss and domain
        (a new one fits the range afresh)."""
        # ±1.2 |∇f|, kept while |∇f| changes a little (steady axes during playback).
        self._range = lo, hi = steady_range(self._range, (-1.2 * norm, 1.2 * norm),
                                            key == self._key, slack=0.1)
        self._key = key
        self.widget.set_range((0.0, 360.0), self._range)
        self.grad_mark.set_value(calculus.angle_of(g))
        self.grad_mark.set_visible(True)
        self.mark_texts[0].set_visible(True)
        self._place_mark(self.mark_texts[0], calculus.angle_of(g), lo)
        taken = [box for box in (self.mark_texts[0].box(self.widget),) if box is not None]
        for mark, text, theta in zip(self.contour_marks, self.mark_texts[1:],
                                     thetas + [None, None], strict=False):
            mark.set_visible(theta is not None)
            text.set_visible(theta is not None)
            if theta is not None:
                mark.set_value(theta)
                self._place_zero(text, theta, calculus.angle_of(g), lo, hi, taken)

    def _place_zero(self, text: Text, theta: float, theta_g: float, lo: float, hi: float,
                    taken: list) -> None:
        """A contour angle's label by its line, at the plot's top or foot, on the side and
        row that cover least of the curve as drawn, inside the plot and clear of the labels
        ``taken`` (its box is added): first above the side where the cosine is negative,
        then below the side where it is positive (centred at the top always, a label as wide
        as a third of the plot hid the curve's rise, its peak near 0°)."""
        canvas, rect = self.widget, self.widget.plot_rect().adjusted(-1, -1, 1, 1)
        xs, ys = self.cosine.getData()
        drawn = points_along(np.column_stack(canvas.data_to_px(xs, ys))) if len(xs) else \
            np.empty((0, 2))
        right = np.sin(np.radians(theta - theta_g)) > 0  # (the cosine negative to the right)
        ax = 0.0 if right else 1.0  # (anchor 0: the label to the right of its line)
        best = None
        for anchor_x, anchor_y, y in ((ax, 0.0, hi), (1.0 - ax, 1.0, lo), (0.5, 0.0, hi),
                                      (0.5, 1.0, lo), (1.0 - ax, 0.0, hi), (ax, 1.0, lo)):
            text.set_pos(theta, y)
            boxes = text.boxes(canvas, [(anchor_x, anchor_y)])
            if boxes is None:
                return
            left, top, right_edge, bottom = (float(v) for v in boxes[0])
            # Moved in across, not cut off at the plot's side ("ntour" near 0°, in
            # presentation mode's type: outside cost less than over the other label)
            width = right_edge - left
            shift = max(0.0, rect.left() - left) - max(0.0, right_edge - rect.right())
            if shift and width > 0 and width <= rect.width():
                left, right_edge = left + shift, right_edge + shift
                anchor_x -= shift / width
            box = QtCore.QRectF(left, top, right_edge - left, bottom - top)
            hits = int(((drawn[:, 0] >= left) & (drawn[:, 0] <= right_edge)
                        & (drawn[:, 1] >= top) & (drawn[:, 1] <= bottom)).sum())
            cost = hits + 1000 * any(box.intersects(t) for t in taken) \
                + 500 * (not rect.contains(box))
            if best is None or cost < best[0]:
                best = (cost, anchor_x, anchor_y, y, box)
        _cost, anchor_x, anchor_y, y, box = best
        text.set_pos(theta, y)
        text.set_anchor((anchor_x, anchor_y))
        taken.append(box)

    @staticmethod
    def _place_mark(text: Text, theta: float, y: float) -> None:
        """Label a vertical line of the θ plot, inside the plot even near 0° and 360°."""
        text.set_pos(theta, y)
        text.set_anchor((0.0 if theta < 45 else 1.0 if theta > 315 else 0.5, text.anchor[1]))


def dial_to_angle(value: int) -> float:
    """The angle of u (degrees, counter-clockwise from the first axis) for a dial value."""
    # A wrapping QDial puts its minimum at 6 o'clock and turns clockwise; map it so the notch
    # points the way u points on the plot (counter-clockwise from the first axis).
    return float((270 - value) % 360)


def angle_to_dial(theta: float) -> int:
    """The dial value that points at angle ``theta`` (see :func:`dial_to_angle`)."""
    return int(round(270 - theta)) % 360


def joined(pieces: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Polylines joined into one (xs, ys) pair with NaN between them."""
    if not pieces:
        return np.empty(0), np.empty(0)
    nan = np.array([[np.nan, np.nan]])
    arr = np.concatenate([part for piece in pieces for part in (piece, nan)])
    return arr[:, 0], arr[:, 1]
