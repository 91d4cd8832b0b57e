"""gdviz.ui.malloc: freed megabyte blocks are reused, not faulted in afresh each time."""

from __future__ import annotations

import resource
import sys

import numpy as np
import pytest

from gdviz.ui.malloc import is_glibc, keep_freed_memory

GLIBC = sys.platform.startswith("linux") and is_glibc()


def faults_per_round(rounds: int = 20) -> float:
    """Minor page faults per allocation of a few 1 MB temporaries, as a repaint makes."""
    def work():
        a = np.ones((600, 460), np.float32)
        b = a * 2
        c = b + a
        return float(c[0, 0])

    work()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(rounds):
        work()
    return (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / rounds


@pytest.mark.skipif(not GLIBC, reason="glibc's allocator only (elsewhere nothing is tuned)")
def test_freed_blocks_are_reused_without_page_faults():
    assert keep_freed_memory()
    # Three 1.1 MB arrays are ~800 pages: fresh memory would fault on each of them.
    assert faults_per_round() < 20
