"""The error a student sees when a loss cannot be used."""

from __future__ import annotations


def at_char(position: int) -> str:
    """Where a message points, as a student counts: ``at_char(0)`` is ``"at character 1"``
    (:attr:`LossError.position` counts from 0)."""
    return f"at character {position + 1}"


class LossError(ValueError):
    """A loss text (or a file holding one) that gdviz refuses.

    Parameters
    ----------
    message
        A sentence a student understands, e.g. ``"unknown function 'sinn' at character 1"``
        (counted from 1, as a student counts; ``position`` counts from 0).
    position
        0-based character position in the text the user typed, where it applies.
    """

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __reduce__(self):  # keep position when the error crosses a process boundary
        return (type(self), (self.message, self.position))


class Cancelled(Exception):
    """Work stopped because its caller no longer wanted it (a newer request, Stop).

    Not a :class:`ValueError`: code that reports bad settings to the user must not mistake a
    stop for one.

    Parameters
    ----------
    done
        Steps finished when the work stopped.
    """

    def __init__(self, done: int = 0) -> None:
        super().__init__(f"stopped after {done} steps")
        self.done = done
