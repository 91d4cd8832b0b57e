"""The 3D surface stands at f whatever the map's colour scale (its colours follow the map)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt


def test_the_surface_stands_at_f_on_a_log_map_and_takes_its_colours(window, user):
    """exp(−(w1² + w2²)) takes a log map: the surface's heights were log f too, and the bell
    the Slice tab shows stood beside a paraboloid's dome; L (linear colours) changed its
    shape. Now the heights are f, the colours the map's."""
    user.type_loss("exp(-(w1^2 + w2^2))")
    window.wait_idle()
    assert window.log_shown
    surface = window.surface
    x, y, z = surface._mesh
    step = surface._grid.values.shape[0] // x.size
    f = surface._grid.values[::step, ::step]
    ok = np.isfinite(z) & np.isfinite(f)
    slope, offset = np.polyfit(f[ok], z[ok], 1)
    assert slope > 0 and np.allclose(z[ok], slope * f[ok] + offset, atol=1e-9)
    # the highest point is the bump's top, in the middle, and the whole bell is drawn
    assert np.isclose(z[ok].max(), 0.6 * surface.height_scale)
    log_colours = surface.surface._colors.copy()
    user.focus_window()
    user.key(Qt.Key_L)  # linear colours: the shape is the same, the colours change
    window.wait_idle()
    assert not window.log_shown
    assert np.array_equal(surface._mesh[2], z, equal_nan=True)
    assert not np.allclose(surface.surface._colors, log_colours)
