"""gdviz: see derivatives, gradients and gradient descent.

The public API (stable; see README):

- :func:`parse_loss` and :class:`Loss`, :class:`LossError`
- :func:`descend` and :class:`Trajectory`
- :func:`derivative_steps` and :class:`Derivation`
"""

from gdviz.core import (
    OPTIMIZERS,
    Derivation,
    Loss,
    LossError,
    Step,
    Trajectory,
    derivative_steps,
    descend,
    parse_loss,
)

__version__ = "0.1.0"
__all__ = ["OPTIMIZERS", "Derivation", "Loss", "LossError", "Step", "Trajectory", "descend",
           "derivative_steps", "parse_loss"]
