"""Gradient noise drawn in blocks (gdviz.core.noise): the same numbers as drawn step by step,
and a noisy descent on a thread no longer starves the other threads of Python's GIL."""

from __future__ import annotations

import contextlib
import threading
import time

import numpy as np

from gdviz import descend, parse_loss
from gdviz.core.errors import Cancelled
from gdviz.core.noise import NoiseStream

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"


def test_numbers_come_in_the_generator_s_order_whatever_the_shapes():
    stream = NoiseStream(np.random.default_rng(11), block=7)
    shapes = [(1, 2), (3, 2), (2, 2), (1, 2), (5, 2), (1, 2)]  # (runs stop: fewer a step)
    drawn = np.concatenate([stream.take(shape).ravel() for shape in shapes])
    reference = np.random.default_rng(11)
    expected = np.concatenate([reference.standard_normal(shape).ravel() for shape in shapes])
    np.testing.assert_array_equal(drawn, expected)


def test_the_generator_is_asked_once_a_block_not_once_a_step():
    calls = []

    class Counting:
        def __init__(self) -> None:
            self.rng = np.random.default_rng(0)

        def standard_normal(self, size):
            calls.append(size)
            return self.rng.standard_normal(size)

    stream = NoiseStream(Counting(), block=4096)
    for _ in range(20_000):
        stream.take((1, 2))
    assert len(calls) == 10  # (40,000 numbers in blocks of 4096)


def _path_drawn_step_by_step(loss, start, lr, steps, noise, seed):
    """Plain GD with noise, its numbers drawn one step at a time (as descend drew them)."""
    rng = np.random.default_rng(seed)
    w = np.array(start, float)
    points = [w.copy()]
    for _ in range(steps):
        g = np.array([float(v) for v in loss.gradient(*w)])
        w = w - lr * (g + noise * rng.standard_normal((1, 2))[0])
        points.append(w.copy())
    return np.array(points)


def test_a_noisy_run_takes_the_same_path_as_before():
    loss = parse_loss(ROSENBROCK)
    run = descend(loss, (-1.5, 2.0), "gd", 1e-4, 300, noise=0.3, seed=5)
    expected = _path_drawn_step_by_step(loss, (-1.5, 2.0), 1e-4, 300, 0.3, 5)
    np.testing.assert_allclose(run.points, expected, rtol=1e-12, atol=1e-12)


def test_a_noisy_descent_on_a_thread_lets_this_thread_run():
    """Drawing two numbers a step, numpy's generator let go of the GIL and took it back at
    every step: the other thread never got it back when it asked (one small numpy operation
    on the GUI thread waited 1.2 s, the window froze while a 20,000-step run computed)."""
    loss = parse_loss(ROSENBROCK)
    done = threading.Event()

    def work() -> None:
        with contextlib.suppress(Cancelled):  # (stopped after a second: enough to tell)
            descend(loss, (-1.5, 2.0), "nesterov", 1e-4, 20_000, gradient="central",
                    noise=0.1, cancel=lambda k: done.is_set())
        done.set()

    values, lows = np.random.rand(600), np.random.rand(16, 1)  # (big enough to let go of it)
    thread = threading.Thread(target=work)
    thread.start()
    worst, start = 0.0, time.perf_counter()
    try:
        while not done.is_set() and time.perf_counter() - start < 1.0:
            t = time.perf_counter()
            ((values >= lows) & (values <= lows + 0.1)).sum(axis=1)
            worst = max(worst, time.perf_counter() - t)
    finally:
        done.set()
        thread.join()
    assert worst < 0.3, f"an operation here waited {worst * 1e3:.0f} ms for the GIL"
