"""The session file (``.gdviz``): a loss, its domain, the descent runs and the view, as JSON.

Hyperparameters sit flat in each run object; view options sit in a ``"view"`` object (known
view options are also read from the top level)::

    {"format": "gdviz-session", "version": 1, "loss": "x^2 + 3*y^2", "domain": [[-3, 3], [-2, 2]],
     "runs": [{"optimizer": "adam", "lr": 0.1, "start": [1, 2], "beta1": 0.9}],
     "view": {"log_scale": false, "field": "negative"}}

A file is untrusted input: every value is checked, the loss is re-parsed with ``parse_loss``
(never evaluated as Python), unknown keys are ignored, and anything malformed raises a
:class:`SessionError` whose message is one line a teacher understands. Saving is atomic.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

from gdviz.core.atomic import atomic_write_text
from gdviz.core.errors import LossError
from gdviz.core.loss import parse_loss
from gdviz.core.optimizers import HYPER_NAMES, resolve
from gdviz.core.schedules import SCHEDULES, check_schedule

SESSION_FORMAT = "gdviz-session"
SESSION_VERSION = 1
MAX_SESSION_BYTES = 1_000_000
MAX_RUNS = 32
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
_SIZE_TEXT = f"{MAX_SESSION_BYTES / 1e6:g} MB"
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


@dataclass
class RunSpec:
    """One descent run: optimizer, learning rate, start and the options that shape it.

    Attributes
    ----------
    optimizer, lr, start : str, float, tuple[float, float]
        A name from ``OPTIMIZERS``, the base learning rate in (0, 1e6], the start (a, b).
    hyper : dict[str, float]
        Hyperparameters given explicitly (names from ``HYPER_NAMES``); the rest use defaults.
    steps : int
        Maximum number of steps, 1 to 100000.
    schedule, decay, decay_steps
        Learning-rate schedule (see :mod:`gdviz.core.schedules`).
    noise, seed : float, int
        Standard deviation of the noise added to each gradient (0: none), and its seed.
    gradient, fd_h : str, float
        ``"symbolic"`` (exact), ``"forward"`` or ``"central"`` differences with step fd_h.
    color, visible, name : str or None, bool, str
        ``"#1f77b4"``-style colour (None: the app chooses), shown or hidden, legend label.
    """

    optimizer: str
    lr: float
    start: tuple[float, float]
    hyper: dict[str, float] = field(default_factory=dict)
    steps: int = 200
    schedule: str = "constant"
    decay: float | None = None
    decay_steps: int | None = None
    noise: float = 0.0
    seed: int = 0
    gradient: str = "symbolic"
    fd_h: float = 1e-5
    color: str | None = None
    visible: bool = True
    name: str = ""

    def __post_init__(self) -> None:
        self.start = tuple(self.start)


@dataclass
class Session:
    """Everything needed to reopen what the class saw.

    Attributes
    ----------
    loss, domain : str, tuple[tuple[float, float], tuple[float, float]]
        The loss text as typed (re-parsed on load, never stored compiled) and
        ``((amin, amax), (bmin, bmax))``.
    runs : list[RunSpec]
    view : dict
        View options: free-form JSON values, with these known keys typed: ``log_scale``
        (bool), ``field`` (``"gradient"``, ``"negative"``, ``"off"``), ``normalise_arrows``
        (bool), ``arrow_density`` (int 4..64), ``height_scale`` (float > 0), ``camera``
        (``{"distance", "elevation", "azimuth"}`` numbers), ``iteration`` (int >= 0),
        ``show_step_arrows`` (bool), ``preset`` (str).
    variables : tuple[str, str] or None
        Variable names and their order, when fixed explicitly (checked against the loss).
    """

    loss: str
    domain: tuple[tuple[float, float], tuple[float, float]]
    runs: list[RunSpec] = field(default_factory=list)
    view: dict[str, Any] = field(default_factory=dict)
    variables: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        self.domain = tuple(tuple(pair) for pair in self.domain)
        if self.variables is not None:
            self.variables = tuple(self.variables)


def session_to_dict(session: Session) -> dict[str, Any]:
    """The JSON-ready dict of a session (hyperparameters flat in each run, view nested).

    Numbers are converted to plain ``float``/``int`` (numpy scalars are fine); values that
    cannot be converted raise :class:`SessionError`. Nothing else is checked here.
    """
    try:
        return {"format": SESSION_FORMAT, "version": SESSION_VERSION, "loss": session.loss,
                **({} if session.variables is None else {"variables": list(session.variables)}),
                "domain": [[float(lo), float(hi)] for lo, hi in session.domain],
                "runs": [_run_to_dict(run) for run in session.runs],
                "view": _sorted(session.view)}
    except (TypeError, ValueError, OverflowError, RecursionError) as err:
        raise SessionError(f"cannot save this session: {err}") from None


def _optional(convert, value):
    return None if value is None else convert(value)


def _run_to_dict(run: RunSpec) -> dict[str, Any]:
    return {"optimizer": run.optimizer, "lr": float(run.lr),
            "start": [float(v) for v in run.start],
            **{k: float(run.hyper[k]) for k in HYPER_NAMES if k in run.hyper},
            "steps": int(run.steps), "schedule": run.schedule,
            "decay": _optional(float, run.decay), "decay_steps": _optional(int, run.decay_steps),
            "noise": float(run.noise), "seed": int(run.seed), "gradient": run.gradient,
            "fd_h": float(run.fd_h), "color": run.color, "visible": bool(run.visible),
            "name": run.name}


def _sorted(value: Any) -> Any:
    """Copy of a JSON value with object keys sorted, so saved files are stable."""
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [_sorted(v) for v in value]
    return value


def session_to_json(session: Session) -> str:
    """The session as JSON text (2-space indent, UTF-8 characters kept, stable key order)."""
    try:
        return json.dumps(session_to_dict(session), indent=2, ensure_ascii=False,
                          allow_nan=False) + "\n"
    except (TypeError, ValueError, RecursionError) as err:
        raise SessionError(f"cannot save this session: {err}") from None


def save_session(path: str | os.PathLike[str], session: Session) -> None:
    """Check the session and write it to ``path`` atomically, as UTF-8 JSON.

    Raises
    ------
    SessionError
        If the session would not load again (the same checks as loading), or the file cannot
        be written (``"cannot write FILE: reason"``); an existing file is then left untouched.
    """
    session_from_dict(session_to_dict(session))
    text = session_to_json(session)
    try:
        atomic_write_text(path, text, encoding="utf-8")
    except OSError as err:
        raise SessionError(f"cannot write {os.fspath(path)}: {err.strerror or err}") from None


def load_session(path: str | os.PathLike[str]) -> Session:
    """Read and check a session file.

    Raises
    ------
    SessionError
        For an unreadable, oversized, non-UTF-8, non-JSON or malformed file, with one line
        saying what is wrong.
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)
        if not stat.S_ISREG(info.st_mode):
            raise SessionError(f"cannot read {name}: not a regular file")
        if info.st_size > MAX_SESSION_BYTES:
            raise SessionError(f"the file is larger than {_SIZE_TEXT}")
        with open(name, "rb") as f:
            data = f.read(MAX_SESSION_BYTES + 1)
    except OSError as err:
        raise SessionError(f"cannot read {name}: {err.strerror or err}") from None
    if len(data) > MAX_SESSION_BYTES:
        raise SessionError(f"the file is larger than {_SIZE_TEXT}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SessionError("the file is not UTF-8 text") from None
    return session_from_json(text)


def _refuse_constant(token: str) -> Any:
    raise SessionError(f"not valid JSON: {token} is not a number")


def session_from_json(text: str) -> Session:
    """Parse and check session JSON text; see :func:`session_from_dict`."""
    if len(text) > MAX_SESSION_BYTES:
        raise SessionError(f"the file is larger than {_SIZE_TEXT}")
    if not text.strip():
        raise SessionError("the file is empty")
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as err:
        raise SessionError(f"not valid JSON at line {err.lineno}, column {err.colno} "
                           f"({err.msg})") from None
    except SessionError:
        raise
    except RecursionError:
        raise SessionError("not valid JSON: nested too deeply") from None
    except ValueError:  # Python refuses integers with more than 4300 digits
        raise SessionError("not valid JSON: a number has too many digits") from None
    return session_from_dict(data)


def session_from_dict(data: Any) -> Session:
    """Check a decoded session object and build the :class:`Session`.

    Unknown keys are ignored. The loss text is re-parsed with ``parse_loss`` (and must use
    ``variables`` when those are given), but the compiled loss is not kept.

    Raises
    ------
    SessionError
        The first problem found, as one line.
    """
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list | tuple) else _show(data)
        raise SessionError(f"not a gdviz session file (expected a JSON object, got {kind})")
    if data.get("format") != SESSION_FORMAT:
        raise SessionError(f'not a gdviz session file (missing "format": "{SESSION_FORMAT}")')
    version = data.get("version")
    if version is None:
        raise SessionError('not a gdviz session file (missing "version")')
    if not _is_int(version):
        raise SessionError(f"version must be a whole number, got {_show(version)}")
    if version < 1:
        raise SessionError(f"version must be at least 1, got {version}")
    if version > SESSION_VERSION:
        raise SessionError(f"this session was saved by a newer gdviz (format version "
                           f"{version}; this gdviz reads version {SESSION_VERSION})")
    variables = _variables(data.get("variables"))
    loss = _loss(data.get("loss"), variables)
    domain = _domain(data.get("domain"))
    runs_data = data.get("runs", [])
    if not isinstance(runs_data, list | tuple):
        raise SessionError(f"runs must be a list, got {_show(runs_data)}")
    if len(runs_data) > MAX_RUNS:
        raise SessionError(f"runs: at most {MAX_RUNS} runs, got {len(runs_data)}")
    runs = [_run(item, i) for i, item in enumerate(runs_data, start=1)]
    view = {k: data[k] for k in _VIEW_CHECKS if k in data}  # flat form, as in DESIGN.md
    nested = data.get("view", {})
    if not isinstance(nested, dict):
        raise SessionError(f"view must be an object, got {_show(nested)}")
    view.update(nested)
    return Session(loss=loss, domain=domain, runs=runs, view=_view(view), variables=variables)


def _show(value: Any) -> str:
    """A short, one-line rendering of a file value for an error message."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:39] + "…"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def _real(value: Any, what: str, desc: str, ok=lambda x: True) -> float:
    """``value`` as a finite float satisfying ``ok``, else ``"WHAT must be DESC, got V"``."""
    if _is_real(value) and ok(float(value)):
        return float(value)
    raise SessionError(f"{what} must be {desc}, got {_show(value)}")


def _int(value: Any, what: str, low: int, high: int) -> int:
    if _is_int(value) and low <= value <= high:
        return int(value)
    raise SessionError(f"{what} must be a whole number from {low} to {high}, got {_show(value)}")


def _bool(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    raise SessionError(f"{what} must be true or false, got {_show(value)}")


def _choice(value: Any, what: str, options: tuple[str, ...]) -> str:
    if isinstance(value, str) and value in options:
        return value
    raise SessionError(f"{what} must be one of {', '.join(options)}, got {_show(value)}")


def _text(value: Any, what: str, limit: int) -> str:
    if isinstance(value, str) and len(value) <= limit:
        return value
    raise SessionError(f"{what} must be text of at most {limit} characters, got {_show(value)}")


def _variables(value: Any) -> tuple[str, str] | None:
    if value is None:
        return None
    if (not isinstance(value, list | tuple) or len(value) != 2
            or not all(isinstance(v, str) and 0 < len(v) <= 24 for v in value)
            or value[0] == value[1]):
        raise SessionError(f"variables must be two different names such as [\"w1\", \"w2\"], "
                           f"got {_show(value)}")
    return (value[0], value[1])


def _loss(value: Any, variables: tuple[str, str] | None) -> str:
    if value is None:
        raise SessionError('not a gdviz session file (missing "loss")')
    if not isinstance(value, str):
        raise SessionError(f"loss must be text, got {_show(value)}")
    if len(value) > MAX_LOSS_CHARS:
        raise SessionError(f"loss: the loss is too long ({len(value)} characters; "
                           f"at most {MAX_LOSS_CHARS})")
    try:
        parse_loss(value, variables)
    except LossError as err:
        raise SessionError(f"loss: {err}") from None
    return value


def _domain(value: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    if value is None:
        raise SessionError('not a gdviz session file (missing "domain")')
    if (not isinstance(value, list | tuple) or len(value) != 2
            or not all(isinstance(p, list | tuple) and len(p) == 2 for p in value)):
        raise SessionError(f"domain must be [[amin, amax], [bmin, bmax]], got {_show(value)}")
    pairs = []
    for pair in value:
        lo, hi = (_real(v, "domain", f"numbers {_RANGE}",
                        lambda x: abs(x) <= MAX_COORDINATE) for v in pair)
        if not lo < hi or not hi - lo > 0:
            raise SessionError(f"domain: the minimum must be less than the maximum, "
                               f"got {_show(pair)}")
        pairs.append((lo, hi))
    return (pairs[0], pairs[1])


def _run(data: Any, index: int) -> RunSpec:
    where = f"run {index}"
    if not isinstance(data, dict):
        raise SessionError(f"{where} must be an object, got {_show(data)}")
    for key in ("optimizer", "lr", "start"):
        if key not in data:
            raise SessionError(f'{where}: missing "{key}"')
    optimizer = _text(data["optimizer"], f"{where}: optimizer", 40)
    lr = _real(data["lr"], f"{where}: learning rate", "a positive number", lambda x: x > 0)
    if lr > MAX_COORDINATE:
        raise SessionError(f"{where}: learning rate must be at most {MAX_COORDINATE:,.0f}, "
                           f"got {_show(data['lr'])}")
    start = data["start"]
    if (not isinstance(start, list | tuple) or len(start) != 2
            or not all(_is_real(v) and abs(float(v)) <= MAX_COORDINATE for v in start)):
        raise SessionError(f"{where}: start must be two numbers [a, b] "
                           f"{_RANGE}, got {_show(start)}")
    nested = data.get("hyper", {})
    if not isinstance(nested, dict):
        raise SessionError(f"{where}: hyper must be an object, got {_show(nested)}")
    given = {**{k: nested[k] for k in HYPER_NAMES if k in nested},
             **{k: data[k] for k in HYPER_NAMES if k in data}}
    hyper = {k: _real(v, f"{where}: {k}", "a number") for k, v in given.items()}
    try:
        opt, _ = resolve(optimizer, hyper)
    except ValueError as err:
        raise SessionError(f"{where}: {err}") from None
    schedule = _choice(data.get("schedule", "constant"), f"{where}: schedule", tuple(SCHEDULES))
    decay, decay_steps = data.get("decay"), data.get("decay_steps")
    if decay is not None:
        decay = _real(decay, f"{where}: decay", "a number in (0, 1]", lambda x: 0 < x <= 1)
    if decay_steps is not None:
        decay_steps = _int(decay_steps, f"{where}: decay_steps", 1, MAX_STEPS)
    try:
        check_schedule(schedule, decay, decay_steps)
    except ValueError as err:
        raise SessionError(f"{where}: {err}") from None
    color = data.get("color")
    if color is not None and not (isinstance(color, str) and _COLOR.fullmatch(color)):
        raise SessionError(f"{where}: color must look like \"#1f77b4\", got {_show(color)}")
    return RunSpec(
        optimizer=opt.name, lr=lr, start=(float(start[0]), float(start[1])), hyper=hyper,
        steps=_int(data.get("steps", 200), f"{where}: steps", 1, MAX_STEPS),
        schedule=schedule, decay=decay, decay_steps=decay_steps,
        noise=_real(data.get("noise", 0.0), f"{where}: noise", "a number of at least 0",
                    lambda x: 0 <= x <= MAX_COORDINATE),
        seed=_int(data.get("seed", 0), f"{where}: seed", 0, 2**32 - 1),
        gradient=_choice(data.get("gradient", "symbolic"), f"{where}: gradient", GRADIENT_MODES),
        fd_h=_real(data.get("fd_h", 1e-5), f"{where}: fd_h", "a number in (0, 1]",
                   lambda x: 0 < x <= 1),
        color=color, visible=_bool(data.get("visible", True), f"{where}: visible"),
        name=_text(data.get("name", ""), f"{where}: name", MAX_NAME_CHARS),
    )


def _json_value(value: Any, where: str, depth: int, budget: list[int]) -> Any:
    """A copy of a bounded, JSON-only value (finite numbers, text, lists, objects)."""
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_VIEW_DEPTH:
        raise SessionError(f"view: too large or nested too deeply (at most {MAX_VIEW_ITEMS} "
                           f"values, {MAX_VIEW_DEPTH} levels)")
    if value is None or isinstance(value, bool) or _is_int(value):
        return value
    if isinstance(value, float):
        return _real(value, where, "a finite number")
    if isinstance(value, str):
        return _text(value, where, MAX_VIEW_STRING)
    if isinstance(value, list | tuple):
        return [_json_value(v, where, depth + 1, budget) for v in value]
    if isinstance(value, dict):
        for k in value:
            _text(k, "view: each key", MAX_VIEW_KEY)
        return {k: _json_value(v, f"{where}.{k}", depth + 1, budget) for k, v in value.items()}
    raise SessionError(f"{where}: {type(value).__name__} is not a JSON value")


def _camera(v: Any, what: str) -> None:
    if not isinstance(v, dict) or not all(k in v for k in ("distance", "elevation", "azimuth")):
        raise SessionError(f"{what} must be an object with distance, elevation and azimuth, "
                           f"got {_show(v)}")
    for key in ("elevation", "azimuth"):
        _real(v[key], f"{what}.{key}", "a number")
    _real(v["distance"], f"{what}.distance", "a positive number", lambda x: x > 0)


_VIEW_CHECKS = {
    "log_scale": _bool,
    "field": lambda v, what: _choice(v, what, FIELD_MODES),
    "normalise_arrows": _bool,
    "arrow_density": lambda v, what: _int(v, what, 4, 64),
    "height_scale": lambda v, what: _real(v, what, "a positive number",
                                          lambda x: 0 < x <= MAX_COORDINATE),
    "camera": _camera,
    "iteration": lambda v, what: _int(v, what, 0, 10**9),
    "show_step_arrows": _bool,
    "preset": lambda v, what: _text(v, what, MAX_NAME_CHARS),
}


def _view(value: dict[str, Any]) -> dict[str, Any]:
    view = _json_value(value, "view", 0, [MAX_VIEW_ITEMS])
    for key, check in _VIEW_CHECKS.items():
        if key in view:
            check(view[key], f"view: {key}")
    return view
