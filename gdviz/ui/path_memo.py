"""One value kept per run's path for the next playback frame (:class:`PathMemo`): a run at
rest shows the same arrows and readouts each frame, and seven compared runs, six of them
stopped, worked out theirs again every frame."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


class PathMemo:
    """Per trajectory (by identity), the value last made for it and the key it was made for.

    Only the paths still shown are kept (:meth:`keep_only`): a path replaced, η dragged, is
    let go (40 paths of 100,000 steps were kept alive).
    """

    def __init__(self) -> None:
        self._kept: dict[int, tuple[object, Any, Any]] = {}  # id → (trajectory, key, value)

    def __len__(self) -> int:
        return len(self._kept)

    def keep_only(self, trajectories: Iterable[object]) -> None:
        """Let go of the values of paths not among ``trajectories``."""
        live = {id(t) for t in trajectories}
        if any(key not in live for key in self._kept):
            self._kept = {key: v for key, v in self._kept.items() if key in live}

    def get(self, traj: object, key: Any, make: Callable[[], Any]) -> Any:
        """The value kept for ``traj`` if it was made for ``key``, else ``make()`` (kept)."""
        kept = self._kept.get(id(traj))
        if kept is None or kept[0] is not traj or kept[1] != key:
            kept = (traj, key, make())
            self._kept[id(traj)] = kept
        return kept[2]
