"""gdviz's pure core: parsing, the compiled loss, optimizers and descent. No Qt here."""

from gdviz.core.derivation import Derivation, Step, derivative_steps
from gdviz.core.descent import Trajectory, descend
from gdviz.core.errors import LossError
from gdviz.core.loss import Loss, parse_loss
from gdviz.core.optimizers import OPTIMIZERS

__all__ = ["OPTIMIZERS", "Derivation", "Loss", "LossError", "Step", "Trajectory", "descend",
           "derivative_steps", "parse_loss"]
