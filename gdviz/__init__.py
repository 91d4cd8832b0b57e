"""gdviz: see derivatives, gradients and gradient descent.

The public API (stable; see README):

- :func:`parse_loss` and :class:`Loss`, :class:`LossError`
- :func:`descend` and :class:`Trajectory`
- :func:`derivative_steps` and :class:`Derivation`

They are imported on first use, so ``import gdviz`` (and starting the app) does not wait for
sympy until a loss is actually parsed.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["OPTIMIZERS", "Derivation", "Loss", "LossError", "Step", "Trajectory", "descend",
           "derivative_steps", "parse_loss"]


def __getattr__(name: str):
    if name in __all__:
        import gdviz.core

        return getattr(gdviz.core, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
