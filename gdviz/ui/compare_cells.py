"""The Compare table's cells: its columns, a cell that sorts by a key of its own, and the
runs' summaries it is filled from (:mod:`gdviz.ui.compare`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from gdviz.core.compare import ComparisonRow, summarize
from gdviz.core.optimizers import OPTIMIZERS
from gdviz.ui.numbers import rounded, short_number, typed_number
from gdviz.ui.qt import QtCore, QtWidgets
from gdviz.ui.readouts import SHORT_OPTIMIZER, short_status

COLUMNS = ("optimizer", "η", "steps to converge", "final loss", "final ‖∇f‖", "status")
RUN_ROLE = QtCore.Qt.UserRole + 1
SORT_ROLE = QtCore.Qt.UserRole + 2


class SortItem(QtWidgets.QTableWidgetItem):
    """A cell that sorts by a key kept under ``SORT_ROLE`` (numbers, with "—" last)."""

    def __lt__(self, other: QtWidgets.QTableWidgetItem) -> bool:
        mine, theirs = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if mine is None or theirs is None:
            return super().__lt__(other)
        return mine < theirs


HIGHER = " — at a higher minimum than another run reached"
"""Said of a run converged at a minimum above another's (ranked after it, however quick)."""


def number_key(value: float | None) -> tuple:
    """A number's sort key: finite numbers in order, then the rest ("—")."""
    if value is None or not math.isfinite(value):
        return (1, 0.0)
    return (0, float(value))


def table_rows(runs) -> list[tuple[int, ComparisonRow | None, str]]:
    """(run index, summary or None when the run failed, error) for each run."""
    out = []
    for i, run in enumerate(runs):
        if run.trajectory is None:
            out.append((i, None, run.note or "not computed"))
        else:
            out.append((i, summarize(run.trajectory, run.spec.optimizer), ""))
    return out


def same_run(a, b) -> bool:
    """Whether run settings ``a`` and ``b`` are the same run, however named, coloured or
    shown (renamed or hidden, a compared run lost its "(÷2)": the η cut looked the
    optimizer's default)."""
    if a is b:
        return True
    looks = {"name": "", "color": None, "visible": True}
    return replace(a, **looks) == replace(b, **looks)


def lr_cell(lr: float, default: float | None, narrow: bool) -> tuple[str, str]:
    """A run's η cell and its tooltip, naming the ``default`` it was halved from if any."""
    text = typed_number(lr)  # (as the runs list and the η box write it)
    if default is None:
        return text, text
    return (f"{text}{chr(10) if narrow else ' '}(÷{default / lr:.0f})",
            f"η = {text}: the default {typed_number(default)} overshot (the loss ended "
            "above where it started, or diverged), so it was halved until the run did not.")


def conditions_note(spec) -> str:
    """What every compared run shares besides its start, as the note says it: " with noise
    σ = 0.5 and the forward-difference gradient" (nothing for the exact one, noise-free)."""
    parts = [f"noise σ = {spec.noise:g}"] if spec.noise else []
    if spec.gradient != "symbolic":
        parts.append(f"the {spec.gradient}-difference gradient")
    return f" with {' and '.join(parts)}" if parts else ""


def note_forms(count: int, start: Sequence[float], own: list[str], halved: list[tuple[str, str]],
               eta_shown: bool, conditions: str = "") -> list[str]:
    """The status bar's note of a comparison, longest first (the window shows the first
    that fits): ``count`` optimizers from ``start``, ``own`` the preset's own η ("Gradient
    descent at the preset's 0.01"), ``halved`` the runs whose η was cut, (optimizer, "÷4");
    ``eta_shown`` whether the table shows its η column (else the runs cut are named, briefly
    if need be: "η cut for 2 … (the table says by how much)" said which to no one);
    ``conditions`` what every run shares (:func:`conditions_note`), said in every form."""
    # ("overshot": it diverged, or ended higher than it started, see compare.overshot)
    # (÷ how much: "η halved" was said of one divided by 64)
    note = "; η cut (it overshot): " + ", ".join(
        f"{OPTIMIZERS[o].label} {by}" for o, by in halved) if halved else ""
    brief = "; η cut: " + ", ".join(  # ("Nesterov ÷2", as the readouts name it)
        f"{SHORT_OPTIMIZER.get(o) or OPTIMIZERS[o].label} {by}" for o, by in halved)
    head = (f"Compared {count} optimizers from ({short_number(start[0], 3)}, "
            f"{short_number(start[1], 3)}){conditions}")
    own_note = f" at their default η{' (' + ', '.join(own) + ')' if own else ''}"
    short = f"; η cut for {len(halved)} that overshot" if halved else ""
    # (short: at 1280 pixels the status bar cut it at "halved u")
    cut = f"{short} (the table says by how much)" if halved and eta_shown else ""
    return [f"{head}{own_note}{note}.", *([f"{head}{own_note}{cut}."] if cut else []),
            *([f"{head}{own_note}{brief}.", f"{head}{brief}."] if halved else []),
            f"{head}{own_note}{short}.", f"{head}{short}."]


def row_cells(row: ComparisonRow, lr_cell: str, rank: tuple, level: int,
              narrow: bool, zeros: bool = False) -> tuple[list[tuple[str, object]], str]:
    """A compared run's table cells, ``(text, sort key)`` each, and its status message.

    ``rank`` is its :func:`gdviz.core.compare_rows.ranking` key (best first, as the status
    column sorts: runs that stopped by their final loss — they were in menu order, GD's 0.06
    above Adam's 1e−7), ``level`` its :func:`~gdviz.core.compare_rows.minimum_levels` (a
    run converged at a higher minimum than another's is ranked after it, however quick, and
    says so). In the ``narrow`` tab (1280 × 720) the status and ‖∇f‖ columns were behind a
    scroll bar: names on two lines, 3 digits, the status's first word (its step is in the
    steps column; the whole message in the tooltip). ``zeros``: the final loss with its
    trailing zeros, as the column's rounded values have them (:func:`final_loss_zeros`).
    """
    steps = row.steps_to_converge
    message = row.message + (HIGHER if level else "")
    digits = 3 if narrow else 4
    ended = short_status(row.message)
    if narrow:  # (how it ended, sorted as the status column sorts)
        done = f"{steps} step{'s' * (steps != 1)}"  # (a bare "22" said nothing)
        if level:  # (the status column, which says so, is left out there: 5 steps ranked
            done += "\n(higher min.)"  # below 57 said nothing of why)
        result = (ended if steps is None else done, rank)
    else:
        result = ("—" if steps is None else str(steps), number_key(steps))
    cells = [(row.label.replace(" ", "\n", 1) if narrow else row.label, row.label),
             (lr_cell, row.lr), result,
             (short_number(row.final_loss, digits, zeros), number_key(row.final_loss)),
             (short_number(row.final_grad_norm, digits), number_key(row.final_grad_norm)),
             (ended if narrow else message, rank)]
    return cells, message


def final_loss_zeros(rows: Sequence[ComparisonRow], narrow: bool) -> bool:
    """Whether the final-loss column writes every value with its trailing zeros: where one
    is rounded (:func:`gdviz.ui.numbers.rounded`), so that −0.25 does not read as exact
    beside −0.250."""
    return any(rounded(row.final_loss, 3 if narrow else 4) for row in rows)
