"""The basins' key on the map: placed where it hides least of the minima it names and of
the runs, with its heading (the descent the map was made with) where that hides nothing more,
in smaller type or as its shares alone where the whole key would hide much (a part of
:class:`gdviz.ui.map_legends.MapLegends`)."""

from __future__ import annotations

import numpy as np

from gdviz.ui.binding import QtGui
from gdviz.ui.legend_places import CORNERS, least_covering
from gdviz.ui.map_overlays import HEADING, LEGEND_LEAST_PX

WHOLE_MOST = 0.15
"""The most of the map's plot the whole arrows' legend may cover; beyond it the compact one
is shown (presentation mode's type on a 1920 × 1080 projector: the whole one hid a quarter of
the map, the lower left where the runs start)."""

HIDES = 20.0
"""The weight a legend's box may cover and still be where it is (a run's start weighs 20, a
basin's minimum 30 a tip, a step of a path 1)."""


class BasinsKeyPlacing:
    """Placing the basins' key (``self.basins``, a :class:`gdviz.ui.map_overlays.Legend`)
    on ``self.canvas``; mixed into :class:`gdviz.ui.map_legends.MapLegends`, which gives
    ``place``, ``shown_arrows`` and ``_landmarks``."""

    def place_basins(self, minima: np.ndarray) -> None:
        """The basins' legend goes to the corner where it hides least of the minima it names
        (the lowest most) and of the runs (always bottom-right, it covered a minimum in that
        corner); the arrows' legend then keeps clear of it."""
        # The heading (which optimizer, η, steps) only where it hides nothing more, of the
        # basins' key or, beside it, of the arrows' (six-hump camel's crowded map: the
        # taller key went over a minimum, the arrows' key then over the start)
        bare = [e for e in self._basins_full if e[0] != HEADING]
        self.basins.set_entries(bare)
        hidden = self._place_basins_key(minima)
        if len(bare) < len(self._basins_full):
            without = (hidden, self._arrows_hide(minima), *self._basins_type_and_share())
            kept = (self.basins.scale, self.basins.corner, self.basins.least_px)
            self.basins.set_entries(self._basins_full)
            hidden = self._place_basins_key(minima)
            px, share = self._basins_type_and_share()
            if (hidden > without[0] or self._arrows_hide(minima) > without[1]
                    or px < without[2] or share > max(WHOLE_MOST, without[3])):
                self.basins.set_entries(bare)  # (nor set the key smaller, nor cover more
                hidden = without[0]  # than WHOLE_MOST of the map)
                self.basins.scale, self.basins.corner, self.basins.least_px = kept
        if hidden >= HIDES or self.basins.least_px < LEGEND_LEAST_PX:
            # Shares alone, where the whole key fits only in type under 10 pixels (Himmelblau
            # in presentation mode at 1280 × 720: 9 pixels, beside the window's 16), or
            # where it hides a minimum or the start wherever it goes (six-hump camel's tiny
            # map in presentation mode at 1366 × 768: its global minimum under the
            # coordinates of six): the colours and stars say which is which (and without its
            # heading: the box is smaller, the run's panel names the run)
            whole = (self.basins.scale, self.basins.corner, self.basins.least_px)
            shown = self.basins.entries
            # (but a minimum off the map keeps its coordinates: no star there says which
            # it is; at 1280 × 720 the lecture's loss keyed "26%", "6%", the second
            # minimum at (4.71, 0.5), past the map's edge)
            off = self._off_map()
            self.basins.set_entries([(k, text if far else share_only(text), pen)
                                     for (k, text, pen), far in zip(self._basins_full, off,
                                                                    strict=True)
                                     if k != HEADING])
            hides = self._place_basins_key(minima)
            if (hides >= 0.5 * hidden if hidden >= HIDES
                    else hides > hidden or self.basins.least_px < LEGEND_LEAST_PX):
                self.basins.set_entries(shown)
                self.basins.scale, self.basins.corner, self.basins.least_px = whole
        self.place()

    def set_basins_entries(self, entries: list, points=None) -> None:
        """The basins' key in full (:meth:`place_basins` may show its shares alone);
        ``points``, the minimum each entry names (None: none)."""
        self._basins_full = list(entries)
        self._basins_points = list(points) if points is not None else [None] * len(entries)
        if len(self._basins_points) != len(self._basins_full):
            raise ValueError("one point (or None) per basins legend entry")
        self.basins.set_entries(entries)

    def _off_map(self) -> list[bool]:
        """Per entry of the full key, whether the minimum it names lies outside the map's
        view."""
        (x0, x1), (y0, y1) = self.canvas.view_range()
        return [p is not None and not (min(x0, x1) <= p[0] <= max(x0, x1)
                                       and min(y0, y1) <= p[1] <= max(y0, y1))
                for p in self._basins_points]

    def _place_basins_key(self, minima: np.ndarray) -> float:
        """Size and place the basins' key as it now reads; the weight of what it hides."""
        c = self.canvas
        plot, font = c.plot_rect(), c.font()
        # Smaller type where it does not fit (the narrow map of presentation mode at 1920 ×
        # 1080 had no key to its colours at all), or would cover over WHOLE_MOST of the map
        # (at 1366 × 768 a third: the run's current point and a minimum under it)
        fits = []
        # (in 10-pixel type at least; in 8 where only that fits: the narrow map had no key)
        for least in (LEGEND_LEAST_PX, 8):
            self.basins.least_px = least
            for scale in (1.0, 0.85, 0.7):
                self.basins.scale = scale
                box = self.basins.rect(plot, font, c.dark)
                if box is not None:
                    fits.append((scale, box.width() * box.height()
                                 / max(plot.width() * plot.height(), 1.0)))
            if fits:
                break
        first = next((scale for scale, share in fits if share <= WHOLE_MOST),
                     fits[-1][0] if fits else 0.7)
        # In smaller type still where that leaves every minimum and start in view, and no
        # place of the box in this one does; else in this type where it hides least
        # (Rastrigin's 121 minima: the smallest type hid as much, and could not be read)
        landmarks, places = self._landmarks(minima), []
        for scale in [first] + [s for s, _share in fits if s < first]:
            self.basins.scale = scale
            size = self.basins.box_size(font, c.dark)
            if size is not None:  # (bottom-right first: where it was)
                places.append((scale, *least_covering(plot, size, *landmarks,
                                                      corners=CORNERS[::-1])))
                if places[-1][2] < HIDES:
                    break
        if places:  # (else a smaller type where it hides less than half as much: on
            # Himmelblau's narrow map in presentation mode, a minimum in every corner and
            # the start in the middle)
            best = places[0]
            for place in places[1:]:
                best = place if place[2] < 0.5 * best[2] else best
            self.basins.scale, self.basins.corner, hidden = next(
                (place for place in places if place[2] < HIDES), best)
            return hidden
        self.basins.scale = first
        return 0.0

    def _basins_type_and_share(self) -> tuple[int, float]:
        """The basins' key's type (pixels) as placed, and the share of the plot it covers."""
        c = self.canvas
        plot, font = c.plot_rect(), c.font()
        box = self.basins.rect(plot, font, c.dark)
        if box is None:
            return 0, 0.0
        px = QtGui.QFontInfo(self.basins._font).pixelSize()
        return px, box.width() * box.height() / max(plot.width() * plot.height(), 1.0)

    def _arrows_hide(self, minima: np.ndarray) -> float:
        """The weight the arrows' legend as drawn hides in its best place beside the basins'
        key as it now stands (0: no arrows' legend)."""
        c = self.canvas
        plot, font = c.plot_rect(), c.font()
        size = self.shown_arrows().box_size(font, c.dark)
        if size is None:
            return 0.0
        taken = [box for box in (self.basins.rect(plot, font, c.dark),) if box is not None]
        return least_covering(plot, size, *self._landmarks(minima), taken)[1]


def share_only(text: str) -> str:
    """A basins key's line as its share alone: "→ (−0.0898, 0.713)  27%" as "27%", "no
    minimum reached  5%" as "none 5%", "f undefined at the start  2%" as "undefined 2%",
    "f → −∞, no minimum that way  46%" as "f → −∞ 46%", "… 2 more minima, …" as "+2 more"."""
    if text.startswith("…"):
        return "+" + text.split()[1] + " more"
    head, _, share = text.rpartition("  ")
    if not head:
        return text
    if head.startswith("→"):
        return share
    if head.startswith("f → −∞"):  # (not "f undefined at the start")
        return f"f → −∞ {share}"
    # ("no minimum reached" read "no 70%")
    word = {"no": "none", "f": "undefined"}.get(head.split()[0], head.split()[0])
    return f"{word} {share}"
