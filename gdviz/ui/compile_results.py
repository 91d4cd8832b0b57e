"""What the compile thread hands back to the GUI thread (:mod:`gdviz.ui.compile_worker`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sympy: imported on the worker thread by the first compile
    from gdviz.core.loss import Loss


@dataclass
class CompileResult:
    """What the worker hands back to the GUI thread."""

    request: int
    text: str
    loss: Loss | None = None
    error: str = ""
    position: int = -1
    apply: bool = False
    images: dict[str, object] = field(default_factory=dict)


@dataclass
class TypesetResult:
    """Typeset formula images of a compiled loss (from :meth:`CompileWorker.submit_typeset`).

    A typesetting job reports twice: with no images as soon as the loss's plain-text forms
    are printed (:attr:`Loss.plain_ready`), then with the images (none if they failed).
    """

    request: int
    text: str
    variables: tuple[str, str]
    images: dict[str, object] = field(default_factory=dict)
