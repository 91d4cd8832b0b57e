"""Linear regression as a loss over two weights: why machine learning cares about gradients.

A line ``y = w1*x + w2`` (slope ``w1``, intercept ``w2``) is fitted to data points by minimising
the mean squared error

    L(w1, w2) = 1/n * sum_i (w1*x_i + w2 - y_i)^2,

which is a loss of two variables like any other gdviz loss. :func:`regression_loss_text` writes
it as gdviz loss text (so it goes through :func:`gdviz.parse_loss` like anything typed), and
:func:`least_squares` gives the exact minimiser to compare descent against.

Pure numpy; no Qt.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

MAX_POINTS = 30  # keeps the loss text well under the parser's 2000-character limit
MAX_ABS_VALUE = 1e6  # data values beyond this are refused (the text would be unreadable)
SIGNIFICANT_DIGITS = 12

# y ≈ 0.8 x + 1 with a little fixed noise; x spread around 0 so that plain gradient descent
# with a learning rate of 0.1 converges in a few dozen steps.
DEFAULT_DATA: tuple[tuple[float, ...], tuple[float, ...]] = (
    (-2.0, -1.3, -0.5, 0.2, 0.9, 1.6, 2.2, 3.0),
    (-0.45, 0.12, 0.7, 1.06, 1.92, 2.13, 2.81, 3.3),
)

# One squared residual: (x*w1 + w2 - y)^2, and the short forms the writer uses for x = 0, ±1
# and y = 0: (w2 - y)^2, (w1 + w2 - y)^2, (-w1 + w2)^2.
_TERM = re.compile(
    r"\((?:(?P<x>[-+0-9.eE]+)\*w1 \+ |(?P<unit>-?)w1 \+ )?w2"
    r"(?: (?P<sign>[-+]) (?P<y>[0-9.eE+-]+))?\)\^2"
)


def _check(xs: Sequence[float], ys: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(xs, dtype=np.float64).ravel()
    y = np.asarray(ys, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"xs and ys differ in length ({x.size} and {y.size})")
    if x.size == 0:
        raise ValueError("at least one data point is needed")
    if x.size > MAX_POINTS:
        raise ValueError(f"at most {MAX_POINTS} data points (got {x.size})")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("data values must be finite numbers")
    if np.any(np.abs(x) > MAX_ABS_VALUE) or np.any(np.abs(y) > MAX_ABS_VALUE):
        raise ValueError(f"data values must lie within ±{MAX_ABS_VALUE:g}")
    return x, y


def format_number(value: float) -> str:
    """Short text for ``value`` with at most 12 significant digits, e.g. ``2.1``, ``-3``, ``1e-05``.

    The text is a valid gdviz (and Python) number literal after an optional leading ``-``.
    """
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if value == 0:
        return "0"  # also for -0.0
    return format(value, f".{SIGNIFICANT_DIGITS}g")


def regression_loss_text(xs: Sequence[float], ys: Sequence[float]) -> str:
    """The mean-squared-error loss of the line ``w1*x + w2`` on the data, as gdviz loss text.

    Parameters
    ----------
    xs, ys
        The data points' coordinates, 1 to :data:`MAX_POINTS` of them, finite, within
        ±:data:`MAX_ABS_VALUE`.

    Returns
    -------
    str
        ``"((-2*w1 + w2 + 0.45)^2 + (-1.3*w1 + w2 - 0.12)^2 + ...)/8"``: one squared residual
        per point, slope ``w1`` and intercept ``w2``. At most about 1500 characters.

    Raises
    ------
    ValueError
        For mismatched lengths, no points, too many points or bad values.

    Examples
    --------
    >>> regression_loss_text([1, 2], [2.1, 3.9])
    '((w1 + w2 - 2.1)^2 + (2*w1 + w2 - 3.9)^2)/2'
    """
    x, y = _check(xs, ys)
    terms = []
    for xi, yi in zip(x, y, strict=True):
        # (as written by hand: no "0*w1", "1*w1" or "- 0")
        slope = {0.0: "", 1.0: "w1 + ", -1.0: "-w1 + "}.get(float(xi),
                                                         f"{format_number(xi)}*w1 + ")
        rest = "" if yi == 0 else f" {'+' if yi < 0 else '-'} {format_number(abs(yi))}"
        terms.append(f"({slope}w2{rest})^2")
    return f"({' + '.join(terms)})/{x.size}"


def data_from_loss_text(text: str) -> tuple[tuple[float, ...], tuple[float, ...]] | None:
    """Recover the data from a text :func:`regression_loss_text` wrote, else None.

    Lets a view recognise a regression loss loaded from a preset or a session file.
    """
    m = re.fullmatch(r"\((?P<body>.*)\)/(?P<n>\d+)", text.strip())
    if m is None:
        return None
    terms = m["body"].split(" + (")
    terms = [terms[0]] + ["(" + t for t in terms[1:]]
    xs, ys = [], []
    for term in terms:
        t = _TERM.fullmatch(term)
        if t is None:
            return None
        try:
            x = (float(t["x"]) if t["x"] is not None else
                 (-1.0 if t["unit"] else 1.0) if t["unit"] is not None else 0.0)
            y = float(t["y"]) if t["y"] is not None else 0.0
        except ValueError:
            return None
        xs.append(x)
        ys.append(-y if t["sign"] == "+" else y)
    if len(xs) != int(m["n"]) or not 0 < len(xs) <= MAX_POINTS:
        return None
    return tuple(xs), tuple(ys)


def stable_lr(xs: Sequence[float]) -> float:
    """The largest learning rate at which gradient descent on the data's MSE converges.

    The MSE's Hessian over (w1, w2) is (2/n)·[[Σx², Σx], [Σx, n]] everywhere (the loss is
    quadratic): a step converges when η < 2/λ, λ its largest eigenvalue.

    Examples
    --------
    >>> round(stable_lr([-1, 1]), 6)  # Hessian [[2, 0], [0, 2]]: λ = 2
    1.0
    """
    x = np.asarray(xs, dtype=np.float64).ravel()
    n = x.size
    h = (2.0 / n) * np.array([[float(x @ x), float(x.sum())], [float(x.sum()), float(n)]])
    return 2.0 / float(np.linalg.eigvalsh(h)[-1])


def converging_lr(xs: Sequence[float], lr: float, least: float = 0.0) -> float:
    """``lr`` where gradient descent on the data's MSE converges with it, else a round
    number (1, 2 or 5 × 10ⁿ) at most half of :func:`stable_lr` — "Use as loss" on data
    reaching x = 8 kept the lecture's η = 0.3 and the run flew off at once.

    Parameters
    ----------
    xs : sequence of float
        The data's x values.
    lr : float
        The run's learning rate.
    least : float
        The smallest η that may be set (the η box's): where the round number is below it,
        ``least`` where that converges, else ``lr`` is kept (the tab then says the run
        diverged, and below which η it would not).

    Returns
    -------
    float
        ``lr``, or the lower one gradient descent converges with.

    Examples
    --------
    >>> converging_lr([-1, 1], 0.5), converging_lr([-1, 1], 1.0), converging_lr([0, 8], 0.3)
    (0.5, 0.5, 0.01)
    >>> converging_lr([0, 2000], 0.1, least=1e-6)  # (it would be 2e-7: below the box's least)
    0.1
    >>> converging_lr([0, 1000], 0.1, least=1e-6)  # (5e-7 below it, 1e-6 still converges)
    1e-06
    """
    bound = stable_lr(xs)
    if lr < bound or not math.isfinite(bound) or bound <= 0:
        return lr
    half = bound / 2.0
    power = 10.0 ** math.floor(math.log10(half))
    lowered = next(m * power for m in (5, 2, 1) if m * power <= half * (1 + 1e-12))
    if lowered >= least:
        return lowered
    return least if least < bound else lr  # (the least allowed, where it still converges)


def least_squares(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Slope and intercept ``(w1, w2)`` minimising the mean squared error (``numpy.linalg.lstsq``).

    With fewer than two distinct x values the minimiser is not unique; the one of least norm is
    returned.
    """
    x, y = _check(xs, ys)
    design = np.column_stack([x, np.ones_like(x)])
    (w1, w2), *_ = np.linalg.lstsq(design, y, rcond=None)
    return float(w1), float(w2)


def fitted_line(w1: float, w2: float, xs) -> np.ndarray:
    """The outputs ``ŷ = w1*x + w2`` at ``xs`` (any array shape)."""
    return w1 * np.asarray(xs, dtype=np.float64) + w2


def mse(w1: float, w2: float, xs, ys) -> float:
    """Mean squared error of the line ``w1*x + w2`` on the data (NaN for no data)."""
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    if x.size == 0:
        return math.nan
    with np.errstate(all="ignore"):
        return float(np.mean((fitted_line(w1, w2, x) - y) ** 2))


def mse_gradient(w1: float, w2: float, xs, ys) -> tuple[float, float]:
    """``(∂L/∂w1, ∂L/∂w2) = (2/n Σ r_i x_i, 2/n Σ r_i)`` with residuals ``r = ŷ - y``."""
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    if x.size == 0:
        return math.nan, math.nan
    with np.errstate(all="ignore"):
        r = fitted_line(w1, w2, x) - y
        return float(2.0 * np.mean(r * x)), float(2.0 * np.mean(r))


def suggested_domain(xs: Sequence[float], ys: Sequence[float],
                     ) -> tuple[tuple[float, float], tuple[float, float]]:
    """A plot domain ``((w1min, w1max), (w2min, w2max))`` centred on the least-squares solution.

    Wide enough (at least ±2 around the minimum, rounded out to halves) that a descent started
    near a corner has somewhere to go.
    """
    w1, w2 = least_squares(xs, ys)
    half1 = max(2.0, 1.5 * abs(w1))
    half2 = max(2.0, 1.5 * abs(w2))

    def out(lo: float, hi: float) -> tuple[float, float]:
        return math.floor(lo * 2) / 2, math.ceil(hi * 2) / 2

    return out(w1 - half1, w1 + half1), out(w2 - half2, w2 + half2)
