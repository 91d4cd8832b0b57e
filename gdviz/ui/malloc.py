"""Keep freed memory for reuse instead of handing it back to the kernel at once.

A repaint makes numpy temporaries of about a megabyte each (the map's picture, the grid,
the 3D view's read-back). glibc serves such blocks with ``mmap`` or trims them off its heap
when they are freed, so the next repaint gets fresh pages from the kernel, page fault by page
fault: on the development machine the map's shading took 12.6 ms that way and 4.2 ms with
its memory reused (Rastrigin; 4.9 and 3.0 ms for Himmelblau). The window keeps what it
freed, up to :data:`TRIM_THRESHOLD` at the top of the heap; the peak memory is unchanged.
"""

from __future__ import annotations

import os
import sys

MMAP_THRESHOLD = 32 << 20  # bytes: blocks smaller than this come from the heap
TRIM_THRESHOLD = 128 << 20  # bytes: free memory kept at the top of the heap
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters


def keep_freed_memory() -> bool:
    """Tune glibc's allocator for this process (a GUI process: not done on import, and not
    for the library's users); True when it was done (Linux with glibc), False elsewhere."""
    if not sys.platform.startswith("linux") or not is_glibc():
        return False
    import ctypes  # (not before the first frame: the call is made after it)

    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                    and libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    except (OSError, AttributeError):
        return False


def is_glibc() -> bool:
    """Whether this process runs on glibc (``platform.libc_ver`` reads the whole executable)."""
    try:
        return os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")
    except (AttributeError, ValueError, OSError):
        return False
