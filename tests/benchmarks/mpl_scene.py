"""The benchmark's matplotlib side: the scene gdviz's window shows, drawn with Agg.

Map (contourf + contour + quiver + colour bar), surface (plot_surface on gdviz's own mesh),
loss curves, the runs' paths and current points in 2D and 3D, and the Slice tab's plot when
gdviz shows it. :meth:`MplScene.frame` updates what an animation frame changes.
"""

from __future__ import annotations


class MplScene:
    """The gdviz scene drawn with matplotlib (Agg, no pyplot): map, surface, loss curves, and
    the lecture dock's slice plot when gdviz shows it (the same scene on both sides: gdviz's
    frames and edits paint that plot too)."""

    def __init__(self, scene: dict, runs: list | None, size_px: tuple[int, int]) -> None:
        import numpy as np
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from gdviz.core.levels import contour_levels

        dpi = 100
        w, h = size_px
        self.fig = Figure(figsize=(w / dpi, h / dpi), dpi=dpi)
        self.canvas = FigureCanvasAgg(self.fig)
        sliced = scene.get("slice")
        cols = 3 if sliced else 2
        widths = (1, 1, scene["slice_width"]) if sliced else (1, 1)
        gs = self.fig.add_gridspec(2, cols, height_ratios=(3, 1), width_ratios=widths)
        ax = self.fig.add_subplot(gs[0, 0])
        ax3 = self.fig.add_subplot(gs[0, 1], projection="3d")
        axl = self.fig.add_subplot(gs[1, :2])
        a, b, z = scene["a"], scene["b"], scene["shown"]
        lo, hi = scene["levels"]
        X, Y = np.meshgrid(a, b)
        cf = ax.contourf(X, Y, z, levels=np.linspace(lo, hi, 21), cmap="viridis",
                         extend="both")
        ax.contour(X, Y, z, levels=contour_levels(lo, hi, 10), colors="w", linewidths=1.0)
        A, B, U, V, M = scene["field"]
        ax.quiver(A, B, -U, -V, M, cmap="Reds", angles="xy")
        self.fig.colorbar(cf, ax=ax)
        s = scene["mesh_step"]
        zs = np.where(np.isfinite(z), z, lo)[::s, ::s]
        ax3.plot_surface(X[::s, ::s], Y[::s, ::s], np.clip(zs, lo, hi), cmap="viridis",
                         vmin=lo, vmax=hi, rcount=zs.shape[0], ccount=zs.shape[1],
                         linewidth=0, antialiased=False)
        ax.set_xlim(a[0], a[-1])
        ax.set_ylim(b[0], b[-1])
        self.paths, self.currents, self.paths3, self.currents3 = [], [], [], []
        self.runs = []
        runs = runs or []
        transform = scene["transform"]
        for run in runs:
            t = run.trajectory
            if t is None:
                continue
            color = run.spec.color or "k"
            zf = np.clip(transform(t.losses), lo, hi)
            self.runs.append((t.points, zf))
            self.paths.append(ax.plot([], [], "o-", color=color, ms=3, lw=2.5)[0])
            self.currents.append(ax.plot([], [], "o", color=color, ms=9, mec="w")[0])
            self.paths3.append(ax3.plot([], [], [], "-", color=color, lw=3)[0])
            self.currents3.append(ax3.plot([], [], [], "o", color=color, ms=9)[0])
            k = np.arange(len(t.losses))
            ok = np.isfinite(t.losses)
            axl.plot(k[ok], t.losses[ok], color=color, lw=2.5)
        self.marker = axl.axvline(0, color="#555555", ls="--")
        axl.set_xlabel("iteration k")
        self.slice = None
        if sliced and self.runs:
            self._make_slice(self.fig.add_subplot(gs[:, 2]), scene)

    def _make_slice(self, axs, scene: dict) -> None:
        """The Slice tab's plot: f along one variable through the selected run's current
        point, coloured by the sign of its slope, with the tangent, the point and its slope."""
        from gdviz.ui.derivatives.slice_view import SAMPLES, SLOPE_COLORS

        lines = {name: axs.plot([], [], color=c, lw=4)[0] for name, c in SLOPE_COLORS.items()}
        self.slice = {"ax": axs, "lines": lines, "samples": SAMPLES,
                      "tangent": axs.plot([], [], "--", color="#111111", lw=2.5)[0],
                      "dot": axs.plot([], [], "o", color="#0072B2", ms=12, mec="w")[0],
                      "text": axs.text(0, 0, "", fontsize=13), **scene["slice"]}
        names = scene["slice"]["names"]
        axis = scene["slice"]["axis"]
        axs.set_xlabel(names[axis])
        axs.set_ylabel(f"f  ({names[1 - axis]} held)")
        axs.set_xlim(*scene["slice"]["range"])
        axs.grid(True, alpha=0.25)

    def _slice_frame(self, k: int) -> None:
        import numpy as np

        from gdviz.core import calculus

        sl = self.slice
        pts = self.runs[min(sl["selected"], len(self.runs) - 1)][0]
        point = pts[min(k, len(pts) - 1)]
        loss, axis, (lo, hi) = sl["loss"], sl["axis"], sl["range"]
        ts, ys, slopes = calculus.sample_slice(loss, point, axis, lo, hi, sl["samples"])
        for name, (xs, yv) in calculus.split_by_slope(ts, ys, slopes).items():
            sl["lines"][name].set_data(xs, yv)
        x0 = float(point[axis])
        y0 = float(calculus.slice_function(loss, point, axis)(np.float64(x0)))
        slope = float(calculus.slice_derivative(loss, point, axis)(np.float64(x0)))
        half = 0.22 * (hi - lo)
        sl["tangent"].set_data([x0 - half, x0 + half], [y0 - slope * half, y0 + slope * half])
        sl["dot"].set_data([x0], [y0])
        sl["text"].set_text(f"slope = {slope:.4g}")
        sl["text"].set_position((x0, y0))
        finite = ys[np.isfinite(ys)]
        if len(finite):
            y_lo, y_hi = float(finite.min()), float(finite.max())
            pad = 0.08 * (y_hi - y_lo or 1.0)
            sl["ax"].set_ylim(y_lo - pad, y_hi + pad)
        held = 1 - axis
        sl["ax"].set_title(f"{sl['names'][held]} = {point[held]:.3g} is held constant")

    def frame(self, k: int) -> None:
        for (pts, zf), path, cur, path3, cur3 in zip(self.runs, self.paths, self.currents,
                                                     self.paths3, self.currents3, strict=True):
            j = min(k, len(pts) - 1)
            p = pts[: j + 1]
            path.set_data(p[:, 0], p[:, 1])
            cur.set_data(p[-1:, 0], p[-1:, 1])
            path3.set_data_3d(p[:, 0], p[:, 1], zf[: j + 1])
            cur3.set_data_3d(p[-1:, 0], p[-1:, 1], zf[j: j + 1])
        self.marker.set_xdata([k, k])
        if self.slice is not None:
            self._slice_frame(k)

    def draw(self) -> None:
        self.canvas.draw()
