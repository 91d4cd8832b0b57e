"""Tests for the built-in presets: the data file, its loader, and the maths of every preset."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from gdviz.core.presets import (
    DEFAULT_PRESET,
    OPTIMIZER_NAMES,
    Preset,
    UnknownPresetError,
    get_preset,
    load_presets,
    preset_names,
)

PRESETS = load_presets()
REQUIRED = {
    "lecture",
    "sphere",
    "bowl",
    "saddle",
    "rosenbrock",
    "himmelblau",
    "beale",
    "booth",
    "matyas",
    "mccormick",
    "three_hump_camel",
    "six_hump_camel",
    "rastrigin",
    "ackley",
    "goldstein_price",
    "styblinski_tang",
}
# Known global minimum values (literature), over the preset's domain.
GLOBAL_MIN = {
    "sphere": 0.0,
    "bowl": 0.0,
    "rosenbrock": 0.0,
    "himmelblau": 0.0,
    "beale": 0.0,
    "booth": 0.0,
    "matyas": 0.0,
    "mccormick": -1.913223,
    "three_hump_camel": 0.0,
    "six_hump_camel": -1.031628,
    "rastrigin": 0.0,
    "ackley": 0.0,
    "goldstein_price": 3.0,
    "styblinski_tang": -78.332331,
}


@pytest.fixture(scope="module")
def parse_loss():
    from gdviz import parse_loss

    return parse_loss


@pytest.fixture(params=PRESETS, ids=[p.name for p in PRESETS])
def preset(request) -> Preset:
    return request.param


def _inside(point, domain) -> bool:
    return all(lo <= v <= hi for v, (lo, hi) in zip(point, domain, strict=True))


def _value(loss, point) -> float:
    return float(loss.value(*point))


# --- the file and the loader -------------------------------------------------------------------


def test_required_presets_present_and_names_valid():
    names = preset_names()
    assert len(names) == len(set(names))
    assert set(names) >= REQUIRED
    assert all(n.isidentifier() and n == n.lower() for n in names)


def test_lecture_is_first_and_default():
    assert DEFAULT_PRESET == "lecture"
    assert PRESETS[0].name == DEFAULT_PRESET
    lecture = get_preset("lecture")
    assert lecture.loss.replace(" ", "") == "sin(w1)*w2*(1-w2)"


def test_fields_are_sane(preset):
    assert preset.optimizer in OPTIMIZER_NAMES
    assert preset.lr > 0 and preset.steps >= 1
    assert preset.title and preset.description
    assert all(lo < hi for lo, hi in preset.domain)
    assert _inside(preset.start, preset.domain)
    for m in preset.minima + preset.nonsmooth_minima:
        assert _inside(m, preset.domain), m


def test_loader_is_cached_and_immutable():
    assert load_presets() is load_presets()
    with pytest.raises(AttributeError):
        PRESETS[0].name = "other"  # type: ignore[misc]


def test_unknown_preset_lists_valid_names():
    with pytest.raises(UnknownPresetError) as info:
        get_preset("nope")
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    assert "rosenbrock" in str(info.value) and "nope" in str(info.value)


@pytest.mark.parametrize("typed, name", [
    ("linear-regression", "linear_regression"),
    ("Goldstein-Price", "goldstein_price"),
    ("Goldstein\u2013Price", "goldstein_price"),  # an en dash, as the title writes it
    ("Three hump camel", "three_hump_camel"),
    ("  ROSENBROCK ", "rosenbrock"),
])
def test_a_preset_is_found_however_its_name_is_typed(typed, name):
    assert get_preset(typed).name == name


@pytest.mark.parametrize("typed", ["linear", "goldsteinprice", "rosen-brock", "", "-"])
def test_only_the_name_s_words_are_folded(typed):
    with pytest.raises(UnknownPresetError):
        get_preset(typed)


def _entry(**changes) -> dict:
    entry = {
        "name": "demo",
        "title": "Demo",
        "loss": "x**2 + y**2",
        "domain": [[-1, 1], [-1, 1]],
        "start": [0.5, 0.5],
        "optimizer": "gd",
        "lr": 0.1,
        "steps": 10,
        "minima": [[0, 0]],
        "log_scale": False,
        "description": "A demo.",
    }
    entry.update(changes)
    return {k: v for k, v in entry.items() if v is not None}


@pytest.mark.parametrize(
    "document, message",
    [
        ({"format": "other", "version": 1, "presets": [_entry()]}, "format"),
        ({"format": "gdviz-presets", "version": 2, "presets": [_entry()]}, "version"),
        ({"format": "gdviz-presets", "version": 1, "presets": []}, "non-empty"),
        ({"format": "gdviz-presets", "version": 1, "presets": [_entry(loss=None)]}, "loss"),
        ({"format": "gdviz-presets", "version": 1, "presets": [_entry(name="Bad Name")]}, "name"),
        ({"format": "gdviz-presets", "version": 1, "presets": [_entry(optimizer="sgd")]}, "optim"),
        ({"format": "gdviz-presets", "version": 1, "presets": [_entry(steps=1.5)]}, "steps"),
        (
            {
                "format": "gdviz-presets",
                "version": 1,
                "presets": [_entry(domain=[[1, -1], [0, 1]])],
            },
            "domain",
        ),
        ({"format": "gdviz-presets", "version": 1, "presets": [_entry(minima=[[0]])]}, "minima"),
        ({"format": "gdviz-presets", "version": 1, "presets": [_entry(), _entry()]}, "duplicate"),
    ],
)
def test_malformed_files_raise_clear_value_error(tmp_path, document, message):
    path = tmp_path / "presets.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_presets(path)


def test_unreadable_file_raises_value_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read"):
        load_presets(path)
    with pytest.raises(ValueError, match="cannot read"):
        load_presets(tmp_path / "missing.json")


def test_valid_custom_file_loads(tmp_path):
    path = tmp_path / "ok.json"
    doc = {"format": "gdviz-presets", "version": 1, "presets": [_entry(extra="ignored")]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    (demo,) = load_presets(path)
    assert demo.minima == ((0.0, 0.0),) and demo.nonsmooth_minima == ()


# --- the maths: every preset parses, its minima are true minima --------------------------------


def test_loss_parses_with_expected_variables(preset, parse_loss):
    loss = parse_loss(preset.loss)
    expected = ("w1", "w2") if preset.name in ("lecture", "linear_regression") else ("x", "y")
    assert tuple(loss.variables) == expected
    assert math.isfinite(_value(loss, preset.start))


def test_minima_are_stationary_local_minima(preset, parse_loss):
    loss = parse_loss(preset.loss)
    for m in preset.minima:
        f = _value(loss, m)
        grad = np.array([float(g) for g in loss.gradient(*m)])
        assert np.linalg.norm(grad) < 1e-4 * (1 + abs(f)), (m, grad)
        hess = np.array(loss.hessian(*m), dtype=float).reshape(2, 2)
        assert np.allclose(hess, hess.T)
        assert np.linalg.eigvalsh(hess).min() > -1e-6, (m, hess)


def test_minima_are_lower_than_their_neighbourhood(preset, parse_loss):
    loss = parse_loss(preset.loss)
    angles = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    for m in preset.minima + preset.nonsmooth_minima:
        f = _value(loss, m)
        ring = loss.value(m[0] + 1e-3 * np.cos(angles), m[1] + 1e-3 * np.sin(angles))
        assert np.all(np.asarray(ring, dtype=float) >= f - 1e-12 * (1 + abs(f))), m


@pytest.mark.parametrize("name", sorted(GLOBAL_MIN))
def test_known_global_minimum_value(name, parse_loss):
    preset = get_preset(name)
    loss = parse_loss(preset.loss)
    best = min(_value(loss, m) for m in preset.minima + preset.nonsmooth_minima)
    assert best == pytest.approx(GLOBAL_MIN[name], rel=1e-5, abs=1e-5)
    # Nothing on a fine grid over the domain is lower than the listed global minimum.
    (a0, a1), (b0, b1) = preset.domain
    a, b = np.meshgrid(np.linspace(a0, a1, 201), np.linspace(b0, b1, 201))
    assert np.nanmin(np.asarray(loss.value(a, b), dtype=float)) >= best - 1e-9 * (1 + abs(best))


def test_lecture_minimum_is_the_textbook_one(parse_loss):
    lecture = get_preset("lecture")
    assert lecture.minima == ((-math.pi / 2, 0.5),)
    assert _value(parse_loss(lecture.loss), lecture.minima[0]) == pytest.approx(-0.25)


def test_optimizer_names_match_the_core():
    from gdviz import OPTIMIZERS as CORE_OPTIMIZERS

    assert set(OPTIMIZER_NAMES) == set(CORE_OPTIMIZERS)


def test_suggested_descent_is_sensible(preset, parse_loss):
    from gdviz import descend

    loss = parse_loss(preset.loss)
    run = descend(loss, preset.start, optimizer=preset.optimizer, lr=preset.lr, steps=preset.steps)
    assert run.status != "diverged"
    assert float(run.losses[-1]) < float(run.losses[0])
    assert all(_inside(p, preset.domain) for p in np.asarray(run.points))


def test_the_three_hump_camel_run_gets_stuck_on_a_side_hump_as_its_description_says(
        parse_loss):
    import numpy as np

    from gdviz import descend
    from gdviz.core.presets import get_preset

    p = get_preset("three_hump_camel")
    assert "stuck" in p.description
    traj = descend(parse_loss(p.loss), p.start, p.optimizer, lr=p.lr, steps=p.steps)
    assert traj.status == "converged"
    np.testing.assert_allclose(traj.points[-1], (-1.7475523, 0.8737762), atol=1e-4)
    assert traj.losses[-1] > 0.25  # a local minimum, not the global 0


# Presets whose suggested run is meant not to converge, as their descriptions say.
NOT_CONVERGING = {"saddle": "slips away", "rosenbrock": "slow", "ackley": "not even defined"}


def test_a_suggested_run_converges_within_its_steps(preset, parse_loss):
    # The lecture's run stopped at step 150, converging at 163: "stopped after 150 steps"
    # told the class the opposite of what the lecture says.
    from gdviz import descend

    run = descend(parse_loss(preset.loss), preset.start, optimizer=preset.optimizer,
                  lr=preset.lr, steps=preset.steps)
    if preset.name in NOT_CONVERGING:
        assert NOT_CONVERGING[preset.name] in preset.description
        assert run.status != "converged"
    else:
        assert run.status == "converged", (preset.name, run.message())
        # with room to spare: another machine's rounding must not tip it over the limit
        assert run.stop_step <= 0.95 * preset.steps, (preset.name, run.message())
