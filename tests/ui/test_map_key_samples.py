"""The map key's samples: "step taken" drawn as the step arrows are, dashed in the runs'
colours (it was grey beside Adam's blue step, pointing away from −∇f, unexplained); dark
samples on the dark theme's box on a light rim."""

from __future__ import annotations

from PySide6 import QtGui

from gdviz.ui.map_overlays import SAMPLE


def sample_pixels(legend, key: str, xs, dark: bool = False, dy: float = 0.0
                  ) -> list[QtGui.QColor]:
    """The colours of ``legend``'s sample of ``key`` at ``xs`` pixels along it (``dy``
    below its middle)."""
    legend._image = None
    legend.box_size(legend._font or QtGui.QFont(), dark)  # (drawn now)
    image, dpr = legend._image, legend._image.devicePixelRatio()
    row = 1 + [k for k, _t, _p in legend.entries].index(key)
    fm = QtGui.QFontMetricsF(legend._font)
    y = round((8 + (max(fm.height(), 14.0) + 4) * (row - 0.5) + dy) * dpr)
    return [image.pixelColor(round((10 + x) * dpr), y) for x in xs]


def near(color: QtGui.QColor, name: str) -> bool:
    want = QtGui.QColor(name)
    return max(abs(color.red() - want.red()), abs(color.green() - want.green()),
               abs(color.blue() - want.blue())) < 40


def test_the_step_key_is_dashed_in_the_runs_colours(window):
    c, legends = window.controller, window.contour.legends
    legends.arrows._font = window.contour.font()
    first = c.runs[0].spec.color
    (dash,) = sample_pixels(legends.arrows, "step", [4])
    assert near(dash, first), (dash.name(), first)
    c.add_run()
    window.wait_idle()
    second = c.runs[1].spec.color
    assert second != first
    # a dash in each run's colour in turn (0.7 of its half of the sample, then a gap)
    one, gap, two = sample_pixels(legends.arrows, "step", [4, 15, SAMPLE - 8])
    assert near(one, first) and near(two, second), (one.name(), two.name())
    assert gap.lightness() > 200  # (a gap: the key's light box)


def test_a_dark_sample_on_the_dark_box_has_a_light_rim(window):
    """∇f's dark red on the dark theme's key box was all but invisible on a projector."""
    legends = window.contour.legends
    legends.arrows._font = window.contour.font()
    (middle,) = sample_pixels(legends.arrows, "gradient", [17], dark=True)
    rim = max((sample_pixels(legends.arrows, "gradient", [17], dark=True, dy=dy)[0]
               for dy in (-2.5, -2.0, 2.0, 2.5)), key=QtGui.QColor.lightness)
    assert middle.red() > 150 and middle.green() < 60  # (∇f's red)
    assert rim.lightness() > 150, rim.name()  # (the rim, not the dark box)


def test_a_dashed_sample_s_rim_keeps_to_its_dashes(window):
    """The rim, a wider pen, had dashes twice as long as the line's (a pattern is counted in
    pen widths): white across the gaps. One run's blue step sample on the dark box."""
    legends = window.contour.legends
    legends.arrows._font = window.contour.font()

    def rim_at(x):
        return max((sample_pixels(legends.arrows, "step", [x], dark=True, dy=dy)[0]
                    for dy in (-2.5, -2.0, 2.0, 2.5)), key=QtGui.QColor.lightness)

    assert rim_at(6).lightness() > 150  # (over a dash: its rim)
    assert rim_at(15).lightness() < 90, rim_at(15).name()  # (over a gap: the dark box)
