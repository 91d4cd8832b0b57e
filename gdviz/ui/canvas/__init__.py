"""Light, fast 2D plotting on ``QPainter``: the views that change every playback frame.

:class:`PlotCanvas` gives axes, pan/zoom, a cached static layer and a per-frame layer;
:class:`ItemCanvas` adds simple items (curves, points, lines, text). Neither imports pyqtgraph,
so the window's first frame does not wait for it.
"""

from gdviz.ui.canvas.item_canvas import ItemCanvas
from gdviz.ui.canvas.items import Curve, InfiniteLine, Item, Points, make_pen
from gdviz.ui.canvas.plot_canvas import PlotCanvas
from gdviz.ui.canvas.text_item import Text

__all__ = ["Curve", "InfiniteLine", "Item", "ItemCanvas", "PlotCanvas", "Points", "Text",
           "make_pen"]
