"""A descent can be stopped part way (``cancel``), on every path: one start on scalars, one
start through the array code (Newton, finite differences), many starts, Compare's trials."""

from __future__ import annotations

import numpy as np
import pytest

from gdviz import parse_loss
from gdviz.core.compare import descend_spec, tame
from gdviz.core.descent import descend
from gdviz.core.descent_scalar import CHECK_EVERY
from gdviz.core.errors import Cancelled
from gdviz.core.session import RunSpec

# A slope no step size gets to the bottom of: every run takes all its steps.
LOSS = "x^2 + 3*y^2 + sin(3*x)"

CASES = [
    pytest.param({"start": (2.0, 1.0), "optimizer": "adam", "lr": 1e-6}, id="scalar"),
    pytest.param({"start": (2.0, 1.0), "optimizer": "newton", "lr": 1e-6}, id="newton"),
    pytest.param({"start": (2.0, 1.0), "optimizer": "gd", "lr": 1e-6, "gradient": "central"},
                 id="finite-differences"),
    pytest.param({"start": np.array([[2.0, 1.0], [-1.0, 0.5]]), "optimizer": "momentum",
                  "lr": 1e-6}, id="many-starts"),
]


@pytest.mark.parametrize("kwargs", CASES)
def test_cancel_stops_the_descent_where_it_says(kwargs) -> None:
    loss = parse_loss(LOSS)
    asked: list[int] = []

    def cancel(k: int) -> bool:
        asked.append(k)
        return k >= 3 * CHECK_EVERY

    with pytest.raises(Cancelled) as caught:
        descend(loss, steps=10 * CHECK_EVERY, cancel=cancel, **kwargs)
    assert caught.value.done == 3 * CHECK_EVERY
    # Asked often (every step on the array code, where a step of Newton can take 10 ms; every
    # CHECK_EVERY on the scalar path), never after the stop.
    assert asked[-1] == 3 * CHECK_EVERY and asked[0] <= CHECK_EVERY
    assert all(0 < b - a <= CHECK_EVERY for a, b in zip(asked, asked[1:], strict=False))
    assert not isinstance(caught.value, ValueError)  # never taken for bad settings


@pytest.mark.parametrize("kwargs", CASES)
def test_a_cancel_that_never_stops_changes_nothing(kwargs) -> None:
    loss = parse_loss(LOSS)
    calls = []
    plain = descend(loss, steps=3 * CHECK_EVERY + 5, **kwargs)
    asked = descend(loss, steps=3 * CHECK_EVERY + 5,
                    cancel=lambda k: calls.append(k) is not None, **kwargs)
    assert 3 * CHECK_EVERY <= calls[-1] < 3 * CHECK_EVERY + 5  # (asked up to the last step)
    np.testing.assert_array_equal(plain.points, asked.points)
    np.testing.assert_array_equal(plain.losses, asked.losses)
    assert np.all(plain.status == asked.status)


def test_the_array_code_asks_after_every_step() -> None:
    """A slow step (Newton on a large loss) cannot keep the caller waiting for many more."""
    asked: list[int] = []
    descend(parse_loss(LOSS), (2.0, 1.0), "newton", 1e-6, 40,
            cancel=lambda k: asked.append(k) is not None)
    assert asked == list(range(1, 40))


def test_compare_trials_and_specs_pass_cancel_on() -> None:
    loss = parse_loss(LOSS)
    spec = RunSpec(optimizer="gd", lr=1e-6, start=(2.0, 1.0), steps=4 * CHECK_EVERY)
    with pytest.raises(Cancelled):
        descend_spec(loss, spec, cancel=lambda k: True)
    with pytest.raises(Cancelled):
        tame(loss, spec, cancel=lambda k: True)
    lr, traj = tame(loss, spec, cancel=lambda k: False)
    assert lr == spec.lr and traj is not None and len(traj.points) == spec.steps + 1


def test_compare_runs_is_each_spec_tamed_and_run() -> None:
    from gdviz.core.compare import compare_runs, comparison_specs

    loss = parse_loss("(1 - x)^2 + 100*(y - x^2)^2")  # Momentum's default η overshoots
    specs = comparison_specs((-1.5, 2.0), 300)
    lrs_before = [s.lr for s in specs]

    class Ticket:  # a progress ticket: told how many steps the earlier specs had
        base = -1
        bases: list[int] = []

        def __call__(self, k: int) -> bool:
            if self.base not in self.bases:
                self.bases.append(self.base)
            return False

    ticket = Ticket()
    rows = compare_runs(loss, specs, cancel=ticket)
    assert [s.lr for s in specs] == lrs_before  # the specs are not changed
    assert len(rows) == len(specs)
    for spec, (lr, traj, error) in zip(specs, rows, strict=True):
        want_lr, _ = tame(loss, spec)
        assert lr == want_lr and error == "" and traj is not None
        np.testing.assert_array_equal(traj.points, descend_spec(loss, spec, lr).points)
    assert any(lr != spec.lr for spec, (lr, _, _) in zip(specs, rows, strict=True))
    assert set(ticket.bases) <= {300 * i for i in range(len(specs))}
    untamed = compare_runs(loss, specs, halve=False)
    assert [lr for lr, _, _ in untamed] == lrs_before
    bad = RunSpec(optimizer="gd", lr=0.1, start=(0.0, 0.0), steps=10, schedule="nonsense")
    (_, traj, error), = compare_runs(loss, [bad])
    assert traj is None and "schedule" in error
