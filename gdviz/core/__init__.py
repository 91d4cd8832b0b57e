"""gdviz's pure core: parsing, the compiled loss, optimizers and descent. No Qt here.

The public names are imported on first use (PEP 562): ``from gdviz.core import parse_loss``
works as usual, while a module that needs only, say, the presets does not pay for sympy.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "OPTIMIZERS": "gdviz.core.optimizers", "Derivation": "gdviz.core.derivation",
    "Step": "gdviz.core.derivation", "derivative_steps": "gdviz.core.derivation",
    "Trajectory": "gdviz.core.trajectory", "descend": "gdviz.core.descent",
    "LossError": "gdviz.core.errors", "Loss": "gdviz.core.loss", "parse_loss": "gdviz.core.loss",
}  # fmt: skip
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
