"""Gradient noise drawn in blocks: :class:`NoiseStream`.

A descent with noise (stochastic gradient descent) needs a few normal numbers per step.
Drawn one step at a time, numpy's generator let go of Python's GIL and took it back at every
step, and a thread that does that starves every other Python thread: each time the other
wanted the GIL back, the descent had already taken it again, so the switch it waits for
never came. A 20,000-step noisy run on the run worker's thread froze the window for one to
two seconds (one small numpy operation on the GUI thread waited 1.2 s). Drawn in blocks of
thousands, the generator lets go once a block, and the numbers are the same: numpy's
generators give the same sequence whether drawn at once or piece by piece.

Examples
--------
>>> import numpy as np
>>> stream = NoiseStream(np.random.default_rng(3), block=5)
>>> drawn = np.concatenate([stream.take((1, 2)).ravel() for _ in range(4)])
>>> bool(np.array_equal(drawn, np.random.default_rng(3).standard_normal(8)))
True
"""

from __future__ import annotations

import numpy as np

BLOCK = 4096
"""Normal numbers drawn at a time (32 kB)."""


class NoiseStream:
    """Standard normal numbers from ``rng``, handed out in the order ``rng`` makes them.

    Parameters
    ----------
    rng
        The generator (seeded by the caller: a run's noise repeats with its seed).
    block
        How many numbers to draw at a time (at least what one :meth:`take` asks).
    """

    def __init__(self, rng: np.random.Generator, block: int = BLOCK) -> None:
        self.rng = rng
        self.block = max(1, int(block))
        self._buffer = np.empty(0)
        self._next = 0

    def take(self, shape: tuple[int, ...]) -> np.ndarray:
        """The next ``prod(shape)`` numbers, shaped ``shape`` (as ``rng.standard_normal(shape)``
        would give them, drawn in this order)."""
        need = int(np.prod(shape))
        left = len(self._buffer) - self._next
        if left < need:
            fresh = self.rng.standard_normal(max(self.block, need - left))
            self._buffer = np.concatenate([self._buffer[self._next:], fresh])
            self._next = 0
        out = self._buffer[self._next:self._next + need]
        self._next += need
        return out.reshape(shape)
