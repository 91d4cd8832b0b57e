"""Text colours readable on either theme (gdviz.ui.colors.readable)."""

from __future__ import annotations

import pytest

from gdviz.ui.colors import RUN_COLORS, contrast_ratio, readable


def test_contrast_ratio_is_wcag_s():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's


@pytest.mark.parametrize("ground", ["#ffffff", "#efefef", "#1e1f22", "#26282c"])
@pytest.mark.parametrize("color", [*RUN_COLORS, "#c00000", "#7B3294", "#9a6a00"])
def test_readable_keeps_a_colour_that_reads_and_mends_one_that_does_not(color, ground):
    out = readable(color, ground)
    assert contrast_ratio(out, ground) >= 4.5
    if contrast_ratio(color, ground) >= 4.5:
        assert out == color
    else:  # lighter on a dark ground, darker on a light one, no further than needed
        darker = contrast_ratio(out, "#000000") < contrast_ratio(color, "#000000")
        assert darker == (ground in ("#ffffff", "#efefef"))
