"""The arrows drawn at a run's current point on the 2D map: ∇f (one length on screen, shrunk
where the slope flattens), the step about to be taken and, for momentum methods, the
velocity, as segment pairs (:func:`run_arrows`)."""

from __future__ import annotations

import math

import numpy as np

from gdviz.ui.arrows import one_arrow, room_along
from gdviz.ui.binding import QtCore

ARROW_CLEAR_PX = 24.0  # px: the shortest ∇f arrow (the current point's marker is 19 across)
ARROW_EDGE_PX = 14.0  # px: ... or, by the map's edge, its head just past the marker


def flatness_scale(traj, k: int) -> float:
    """1 while ‖∇f‖ at step ``k`` is at least a third of the steepest the run has met by
    then, then in proportion, down to 0.25 (not of steps still to come: a diverging run's
    first arrows were a quarter long)."""
    if getattr(traj, "grad_norms", None) is None:
        return 1.0
    met = getattr(traj, "_steepest_met", None)
    if met is None:  # (once per trajectory: trajectories are replaced, never changed)
        norms = np.asarray(traj.grad_norms, dtype=float)
        met = np.fmax.accumulate(np.where(np.isfinite(norms), norms, np.nan))
        traj._steepest_met = met
    steepest, norm = (float(met[k]) if np.isfinite(met[k]) else 0.0), float(traj.grad_norms[k])
    if not (steepest > 0 and math.isfinite(norm)):
        return 1.0
    return min(1.0, max(0.25, 3.0 * norm / steepest))


def run_arrows(traj, k: int, cur: np.ndarray, view_range, rect: QtCore.QRectF) -> dict:
    """The gradient, step and velocity arrows at step ``k``, as segment pairs."""
    ((a0, a1), (b0, b1)), r = view_range, rect
    sa, sb = a1 - a0, b1 - b0
    # Data units of y per data unit of x on screen: heads then look symmetric.
    aspect = (sb / r.height()) / (sa / r.width()) if sa > 0 else 1.0
    (x, y), arrows = (float(cur[0]), float(cur[1])), {}
    ga, gb = (float(t) for t in traj.gradients[k])
    # ∇f's length on screen (pixels per data unit on each axis: kx, ky)
    kx, ky = (r.width() / sa, r.height() / sb) if sa > 0 and sb > 0 else (math.nan, math.nan)
    gn = math.hypot(ga * kx, gb * ky)
    # No arrow once converged (‖∇f‖ under its tolerance: a 10⁻⁷ gradient points anywhere)
    if math.isfinite(gn) and gn > 0 and not traj.converged_by(k):
        # One on-screen length whatever its direction (12 % of the view's mean side, at least
        # 40 px where there is room): its direction is the lesson, its size in the readouts.
        side = math.sqrt(r.width() * r.height())
        length = max(0.12 * side, min(40.0, 0.4 * min(r.width(), r.height())))
        # ...but shrunk with the slope below a third of the steepest the run met, to a quarter
        # (full-length near Rosenbrock's minimum they read as a steep spot), and to the map's
        # edge (a stub there hid where ∇f points), clear of the marker where there is room
        room = room_along(r.left() + (x - a0) * kx, r.bottom() - (y - b0) * ky, ga * kx,
                          -gb * ky, r.getCoords()) - 2.0
        floor = ARROW_CLEAR_PX if room >= ARROW_CLEAR_PX else max(room, ARROW_EDGE_PX)
        length = max(min(length * flatness_scale(traj, k), room), min(length, floor))
        arrows["gradient"] = one_arrow(x, y, ga * length / gn, gb * length / gn, 0.3, aspect)
    if k + 1 < len(traj.points):
        na, nb = (float(t) for t in traj.points[k + 1])
        if math.isfinite(na) and math.isfinite(nb):
            arrows["step"] = one_arrow(x, y, na - x, nb - y, 0.25, aspect)
    vel = traj.state.get("velocity")
    if vel is not None:
        va, vb = (float(t) for t in vel[k])
        if math.isfinite(va) and math.isfinite(vb) and (va != 0 or vb != 0):
            arrows["velocity"] = one_arrow(x, y, va, vb, 0.25, aspect)
    return {name: xy for name, xy in arrows.items() if len(xy[0])}

