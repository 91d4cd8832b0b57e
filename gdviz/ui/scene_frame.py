"""One rendered picture of the 3D view's scene (:class:`SceneFrame`): the image, its depth
buffer and the projection it was drawn with, to place 3D points on it and tell which of them
the scene hides. Pure numpy; :mod:`gdviz.ui.gl_canvas` makes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gdviz.ui.path_projection import farthest_3x3

if TYPE_CHECKING:
    from gdviz.ui.qt import QtGui


@dataclass(frozen=True, eq=False)
class SceneFrame:
    """One rendered picture of the scene, and what is needed to draw 3D points onto it.

    Attributes
    ----------
    image : QtGui.QImage
        The picture (``Format_RGB32``, top row first, device pixel ratio set).
    depth : ndarray
        ``(h, w)`` float32 window depths in [0, 1] per device pixel, top row first (as read
        back; :meth:`visible` looks at each point's 3×3 neighbourhood).
    mvp : ndarray
        4×4 projection·view matrix the scene was drawn with.
    near_far : tuple of float
        ``(m22, m23)`` of the projection matrix: they turn a window depth back into a distance.
    size : tuple of float
        The widget's logical size when rendered.
    dpr : float
        Device pixels per logical pixel.
    serial : int
        Which render this is (the view's ``render_count``): caches of projected points key on it.
    pixels : ndarray
        The memory ``image`` points into (a QImage made from a buffer does not own it).
    """

    image: QtGui.QImage
    depth: np.ndarray
    mvp: np.ndarray
    near_far: tuple[float, float]
    size: tuple[float, float]
    dpr: float
    serial: int
    pixels: np.ndarray

    def project(self, xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Widget coordinates (logical pixels) of 3D points, and their distances to the eye.

        Parameters
        ----------
        xyz : ndarray
            ``(n, 3)`` points in scene coordinates.

        Returns
        -------
        xy : ndarray
            ``(n, 2)`` positions, x right and y down from the widget's top-left corner (QPainter
            coordinates: pixel ``(i, j)`` covers ``[i, i + 1) × [j, j + 1)``, as in GL).
        distance : ndarray
            ``(n,)`` distance along the viewing axis; not positive behind the camera.
        """
        xyz = np.asarray(xyz, dtype=float).reshape(-1, 3)
        m = self.mvp
        clip = xyz @ m[:, :3].T + m[:, 3]  # homogeneous w = 1, without building (n, 4)
        w = clip[:, 3]
        with np.errstate(divide="ignore", invalid="ignore"):
            nx, ny = clip[:, 0] / w, clip[:, 1] / w
        width, height = self.size
        xy = np.column_stack([(nx + 1.0) * (0.5 * width), (1.0 - ny) * (0.5 * height)])
        return xy, w

    def visible(self, xy: np.ndarray, distance: np.ndarray,
                tolerance: float) -> np.ndarray:
        """Which projected points the scene does not hide.

        A point is hidden when it is behind the camera, not finite, or more than ``tolerance``
        (scene units along the viewing axis) behind what the scene drew at its pixel. Points
        outside the picture are kept (nothing is known there; QPainter clips them anyway).
        The depth map is the farthest of 3×3 pixels, so a point exactly on a silhouette is
        judged by the surface it lies on rather than by the hill next to it.
        """
        xy = np.asarray(xy, dtype=float)
        ok = np.isfinite(xy).all(axis=1) & np.isfinite(distance) & (distance > 0)
        h, w = self.depth.shape
        with np.errstate(invalid="ignore"):
            col = np.floor(np.where(ok, xy[:, 0], -1.0) * self.dpr)
            row = np.floor(np.where(ok, xy[:, 1], -1.0) * self.dpr)
        inside = ok & (col >= 0) & (col < w) & (row >= 0) & (row < h)
        r, c = row[inside].astype(np.intp), col[inside].astype(np.intp)
        m22, m23 = self.near_far
        # Window depth d → normalised z = 2d − 1 = −m22 + m23 / distance (a perspective
        # frustum), solved for the distance of the surface drawn there.
        ndc = 2.0 * farthest_3x3(self.depth, r, c).astype(float) - 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            scene = m23 / (ndc + m22)
        seen = ok.copy()
        seen[inside] = ~(distance[inside] > scene + tolerance)
        return seen
