"""Checks of the values in a session file (no Qt: the command line and the app share them).

Every function here takes an untrusted decoded JSON value and either returns it converted
(``float``, ``int``, ``tuple``...) or raises :class:`SessionError` with one line a teacher
understands: ``"WHAT must be DESC, got VALUE"``. :mod:`gdviz.core.session` builds the
:class:`~gdviz.core.session.Session` from what they return.
"""

from __future__ import annotations

import ast
import json
import math
import re
import unicodedata
from typing import Any

from gdviz.core.errors import LossError
from gdviz.core.optimizers import HYPER_NAMES, resolve
from gdviz.core.schedules import SCHEDULES, check_schedule
from gdviz.core.text import DISPLAY_CONTROLS

MAX_RUNS = 32
MIN_DOMAIN_WIDTH = 1e-300
MAX_STEPS = 100_000
MAX_LOSS_CHARS = 2000
MAX_NAME_CHARS = 80
MAX_COORDINATE = 1e6
GRADIENT_MODES = ("symbolic", "forward", "central")
FIELD_MODES = ("gradient", "negative", "off")
MAX_VIEW_DEPTH = 8  # bounds on the free-form "view" object
MAX_VIEW_ITEMS = 1000
MAX_VIEW_STRING = 1000
MAX_VIEW_KEY = 64

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_RANGE = f"from {-MAX_COORDINATE:,.0f} to {MAX_COORDINATE:,.0f}"


class SessionError(ValueError):
    """A session file (or dict) that gdviz refuses; ``str(err)`` is always one line.

    Parameters
    ----------
    message
        What is wrong, e.g. ``"run 2: learning rate must be a positive number, got -0.1"``.
        Line breaks are replaced by spaces and very long messages are shortened.
    """

    def __init__(self, message: str) -> None:
        message = re.sub(r"\s*[\r\n]+\s*", " ", str(message)).strip()
        if len(message) > 300:
            message = message[:299] + "…"
        super().__init__(message)
        self.message = message


def show_value(value: Any) -> str:
    """A short, one-line rendering of a file value for an error message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:39] + "…"


def is_int(value: Any) -> bool:
    """True for a JSON whole number (``bool`` is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_real(value: Any) -> bool:
    """True for a finite JSON number (``bool`` is not one)."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def check_real(value: Any, what: str, desc: str, ok=lambda x: True) -> float:
    """``value`` as a finite float satisfying ``ok``, else ``"WHAT must be DESC, got V"``."""
    if is_real(value) and ok(float(value)):
        return float(value)
    raise SessionError(f"{what} must be {desc}, got {show_value(value)}")


def check_int(value: Any, what: str, low: int, high: int) -> int:
    """``value`` as an int in [low, high], else ``"WHAT must be a whole number from ..."``
    (3.0 is 3, as some JSON writers put a whole number: refused where "version": 1.0 was
    read)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if is_int(value) and low <= value <= high:
        return int(value)
    raise SessionError(f"{what} must be a whole number from {low} to {high}, "
                       f"got {show_value(value)}")


def check_bool(value: Any, what: str) -> bool:
    """``value`` if it is true or false, else ``"WHAT must be true or false, got V"``."""
    if isinstance(value, bool):
        return value
    raise SessionError(f"{what} must be true or false, got {show_value(value)}")


def check_choice(value: Any, what: str, options: tuple[str, ...]) -> str:
    """``value`` if it is one of ``options``, else ``"WHAT must be one of ..., got V"``."""
    if isinstance(value, str) and value in options:
        return value
    raise SessionError(f"{what} must be one of {', '.join(options)}, got {show_value(value)}")


def check_text(value: Any, what: str, limit: int) -> str:
    """``value`` if it is text of at most ``limit`` characters without invisible control
    characters, else a SessionError. (A run name with U+202E showed its list entry reversed,
    "deppots — 50.0=η madA"; the loss text refuses them too.)"""
    if isinstance(value, str) and len(value) <= limit:
        bad = next((ch for ch in value if ch in DISPLAY_CONTROLS
                    or (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t")), None)
        if bad is None:
            return value
        raise SessionError(f"{what} contains the invisible control character "
                           f"U+{ord(bad):04X}")
    raise SessionError(f"{what} must be text of at most {limit} characters, "
                       f"got {show_value(value)}")


def check_variables(value: Any) -> tuple[str, str] | None:
    """The ``"variables"`` entry: None, or two different short names."""
    if value is None:
        return None
    if (not isinstance(value, list | tuple) or len(value) != 2
            or not all(isinstance(v, str) and 0 < len(v) <= 24 for v in value)
            or value[0] == value[1]):
        raise SessionError(f"variables must be two different names such as [\"w1\", \"w2\"], "
                           f"got {show_value(value)}")
    return (value[0], value[1])


def check_loss(value: Any, variables: tuple[str, str] | None, parse: bool = True) -> str:
    """The loss text, after checking it parses (with ``variables`` if given); not compiled.

    ``parse=False`` checks only what needs no sympy (syntax, allow-list, variables): the
    window's first frame uses it for the autosave, which is fully checked when applied.
    """
    if value is None:
        raise SessionError('not a gdviz session file (missing "loss")')
    if not isinstance(value, str):
        raise SessionError(f"loss must be text, got {show_value(value)}")
    if len(value) > MAX_LOSS_CHARS:
        raise SessionError(f"loss: the loss is too long ({len(value)} characters; "
                           f"at most {MAX_LOSS_CHARS})")
    if not parse:
        # The syntax, the size and the names, not whether the first frame's preview can draw
        # it: x^(2*(1/3)) and x^(2^2) are losses the preview leaves to sympy, and an autosave
        # holding one was put aside at the next launch as "this loss cannot be read".
        from gdviz.core.syntax import CONSTANT_NAMES, choose_variables, parse_tree

        try:
            typed, tree = parse_tree(value)
            called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
            choose_variables({node.id: typed.original_position(typed.char_index(
                node.col_offset)) for node in ast.walk(tree) if isinstance(node, ast.Name)
                and id(node) not in called and node.id not in CONSTANT_NAMES}, variables)
        except LossError as err:
            raise SessionError(f"loss: {err}") from None
        return value
    # Parsing is the check (the allow-list, the variables); compiling (differentiating and
    # generating numpy code) would cost far more and is done when the session is opened.
    from gdviz.core.parser import parse_expression

    try:
        parse_expression(value, variables)
    except LossError as err:
        raise SessionError(f"loss: {err}") from None
    except (RecursionError, MemoryError, ArithmeticError, ValueError, TypeError,
            AttributeError, SyntaxError, KeyError, NotImplementedError) as err:
        raise SessionError(f"loss: gdviz cannot work with this loss ({type(err).__name__})"
                           ) from None
    return value


def check_domain(value: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    """``[[amin, amax], [bmin, bmax]]`` as tuples of finite floats, each min < max."""
    if value is None:
        raise SessionError('not a gdviz session file (missing "domain")')
    if (not isinstance(value, list | tuple) or len(value) != 2
            or not all(isinstance(p, list | tuple) and len(p) == 2 for p in value)):
        raise SessionError(f"domain must be [[amin, amax], [bmin, bmax]], got {show_value(value)}")
    pairs = []
    for pair in value:
        lo, hi = (check_real(v, "domain", f"numbers {_RANGE}",
                             lambda x: abs(x) <= MAX_COORDINATE) for v in pair)
        if not lo < hi or not hi - lo > 0:
            raise SessionError(f"domain: the minimum must be less than the maximum, "
                               f"got {show_value(pair)}")
        # (a map narrower than float64 resolves is rounding noise; 5e-324 wide, a width
        # whose area underflowed to 0 made the Gradient tab divide by zero)
        if hi - lo < max(MIN_DOMAIN_WIDTH, 1e-12 * max(abs(lo), abs(hi))):
            raise SessionError(f"domain: {show_value(pair)} is too narrow to draw (at least "
                               f"10⁻¹² of its coordinates' size, and {MIN_DOMAIN_WIDTH:g})")
        pairs.append((lo, hi))
    return (pairs[0], pairs[1])


def run_fields(data: Any, index: int) -> dict[str, Any]:
    """Check run number ``index`` (1-based, for messages) and return its ``RunSpec`` fields.

    Raises
    ------
    SessionError
        The first problem found, e.g.
        ``"run 2: learning rate must be a positive number, got -0.1"``.
    """
    where = f"run {index}"
    if not isinstance(data, dict):
        raise SessionError(f"{where} must be an object, got {show_value(data)}")
    for key in ("optimizer", "lr", "start"):
        if key not in data:
            raise SessionError(f'{where}: missing "{key}"')
    optimizer = check_text(data["optimizer"], f"{where}: optimizer", 40)
    lr = check_real(data["lr"], f"{where}: learning rate", "a positive number", lambda x: x > 0)
    if lr > MAX_COORDINATE:
        raise SessionError(f"{where}: learning rate must be at most {MAX_COORDINATE:,.0f}, "
                           f"got {show_value(data['lr'])}")
    start = data["start"]
    if (not isinstance(start, list | tuple) or len(start) != 2
            or not all(is_real(v) and abs(float(v)) <= MAX_COORDINATE for v in start)):
        raise SessionError(f"{where}: start must be two numbers [a, b] "
                           f"{_RANGE}, got {show_value(start)}")
    nested = data.get("hyper", {})
    if not isinstance(nested, dict):
        raise SessionError(f"{where}: hyper must be an object, got {show_value(nested)}")
    given = {**{k: nested[k] for k in HYPER_NAMES if k in nested},
             **{k: data[k] for k in HYPER_NAMES if k in data}}
    hyper = {k: check_real(v, f"{where}: {k}", "a number") for k, v in given.items()}
    try:
        opt, _ = resolve(optimizer, hyper)
    except ValueError as err:
        raise SessionError(f"{where}: {err}") from None
    schedule = check_choice(data.get("schedule", "constant"), f"{where}: schedule",
                            tuple(SCHEDULES))
    decay, decay_steps = data.get("decay"), data.get("decay_steps")
    if decay is not None:
        decay = check_real(decay, f"{where}: decay", "a number in (0, 1]", lambda x: 0 < x <= 1)
    if decay_steps is not None:
        decay_steps = check_int(decay_steps, f"{where}: decay_steps", 1, MAX_STEPS)
    try:
        check_schedule(schedule, decay, decay_steps)
    except ValueError as err:
        raise SessionError(f"{where}: {err}") from None
    color = data.get("color")
    if color is not None and not (isinstance(color, str) and _COLOR.fullmatch(color)):
        raise SessionError(f"{where}: color must look like \"#1f77b4\", got {show_value(color)}")
    return {
        "optimizer": opt.name, "lr": lr, "start": (float(start[0]), float(start[1])),
        # (only its optimizer's own: a GD run's "momentum": 5, never checked, was kept, and
        # written back by Save)
        "hyper": {k: v for k, v in hyper.items() if k in opt.hyper},
        "steps": check_int(data.get("steps", 200), f"{where}: steps", 1, MAX_STEPS),
        "schedule": schedule, "decay": decay, "decay_steps": decay_steps,
        "noise": check_real(data.get("noise", 0.0), f"{where}: noise", "a number from 0 to 1e6",
                            lambda x: 0 <= x <= MAX_COORDINATE),
        "seed": check_int(data.get("seed", 0), f"{where}: seed", 0, 2**32 - 1),
        "gradient": check_choice(data.get("gradient", "symbolic"), f"{where}: gradient",
                                 GRADIENT_MODES),
        "fd_h": check_real(data.get("fd_h", 1e-5), f"{where}: fd_h", "a number in (0, 1]",
                           lambda x: 0 < x <= 1),
        "color": color,
        "visible": check_bool(data.get("visible", True), f"{where}: visible"),
        "name": check_text(data.get("name", ""), f"{where}: name", MAX_NAME_CHARS),
    }


def _json_value(value: Any, where: str, depth: int, budget: list[int]) -> Any:
    """A copy of a bounded, JSON-only value (finite numbers, text, lists, objects)."""
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_VIEW_DEPTH:
        raise SessionError(f"view: too large or nested too deeply (at most {MAX_VIEW_ITEMS} "
                           f"values, {MAX_VIEW_DEPTH} levels)")
    if value is None or isinstance(value, bool) or is_int(value):
        return value
    if isinstance(value, float):
        return check_real(value, where, "a finite number")
    if isinstance(value, str):
        return check_text(value, where, MAX_VIEW_STRING)
    if isinstance(value, list | tuple):
        return [_json_value(v, where, depth + 1, budget) for v in value]
    if isinstance(value, dict):
        for k in value:
            check_text(k, "view: each key", MAX_VIEW_KEY)
        return {k: _json_value(v, f"{where}.{k}", depth + 1, budget) for k, v in value.items()}
    raise SessionError(f"{where}: {type(value).__name__} is not a JSON value")


def _camera(v: Any, what: str) -> None:
    if not isinstance(v, dict) or not all(k in v for k in ("distance", "elevation", "azimuth")):
        raise SessionError(f"{what} must be an object with distance, elevation and azimuth, "
                           f"got {show_value(v)}")
    # (The 3D view clamps a camera to what it can show; absurd values are refused.)
    for key in ("elevation", "azimuth"):
        check_real(v[key], f"{what}.{key}", "a number of at most 1e6 degrees",
                   lambda x: abs(x) <= 1e6)
    check_real(v["distance"], f"{what}.distance", "a positive number of at most 1e6",
               lambda x: 0 < x <= 1e6)


#: Known view options and their checks, each called as ``check(value, "view: KEY")``.
VIEW_CHECKS = {
    "log_scale": check_bool,
    "field": lambda v, what: check_choice(v, what, FIELD_MODES),
    "normalise_arrows": check_bool,
    "arrow_density": lambda v, what: check_int(v, what, 4, 64),
    "height_scale": lambda v, what: check_real(v, what, "a positive number of at most 1e6",
                                               lambda x: 0 < x <= MAX_COORDINATE),
    "camera": _camera,
    "iteration": lambda v, what: check_int(v, what, 0, 10**9),
    "show_step_arrows": check_bool,
    "preset": lambda v, what: check_text(v, what, MAX_NAME_CHARS),
    "lecture_tab": lambda v, what: check_text(v, what, MAX_NAME_CHARS),
}


def check_view(value: dict[str, Any]) -> dict[str, Any]:
    """A bounded copy of the view options, with the known ones (``VIEW_CHECKS``) checked."""
    view = _json_value(value, "view", 0, [MAX_VIEW_ITEMS])
    for key, check in VIEW_CHECKS.items():
        if key in view:
            check(view[key], f"view: {key}")
    return view
