"""The map as an SVG: cut at its frame by hand (an SVG keeps no clip)."""

from __future__ import annotations

import re


def test_a_path_leaving_the_map_is_cut_at_the_frame_in_an_svg(window):
    """A momentum run thrown off the lecture's map ran on over the margin in the SVG (the
    PNG is clipped by the painter; an SVG keeps no clip)."""
    c = window.controller
    i = c.add_run()
    c.update_run(i, optimizer="momentum", lr=0.3, start=(1.0, 1.5))
    window.wait_idle()
    c.set_iteration(15)
    traj = c.runs[i].trajectory
    (a0, a1), (b0, b1) = window.contour.visible_domain()
    assert not ((a0 <= traj.points[:16, 0]) & (traj.points[:16, 0] <= a1)
                & (b0 <= traj.points[:16, 1]) & (traj.points[:16, 1] <= b1)).all()  # (the case)
    svg = window.contour.render_svg().decode("utf-8")
    left, top, right, bottom = window.contour.plot_rect().getCoords()
    color = c.runs[i].spec.color.lower()
    groups = re.findall(r'<g fill="none" stroke="' + color + r'"[^>]*stroke-width="2.5"'
                        r'[^>]*>(.*?)</g>', svg, re.S)
    points = [tuple(map(float, xy.split(","))) for g in groups
              for line in re.findall(r'points="([^"]*)"', g) for xy in line.split()]
    assert points  # (the path is drawn)
    assert all(left - 0.01 <= x <= right + 0.01 and top - 0.01 <= y <= bottom + 0.01
               for x, y in points), (left, top, right, bottom)
