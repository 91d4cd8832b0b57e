"""The session file (``.gdviz``): a loss, its domain, the descent runs and the view, as JSON.

Hyperparameters sit flat in each run object; view options sit in a ``"view"`` object (known
view options are also read from the top level)::

    {"format": "gdviz-session", "version": 1, "loss": "x^2 + 3*y^2", "domain": [[-3, 3], [-2, 2]],
     "runs": [{"optimizer": "adam", "lr": 0.1, "start": [1, 2], "beta1": 0.9}],
     "view": {"log_scale": false, "field": "negative"}}

A file is untrusted input: every value is checked, the loss is re-parsed with ``parse_loss``
(never evaluated as Python), unknown keys are ignored, and anything malformed raises a
:class:`SessionError` whose message is one line a teacher understands. Saving is atomic.
The checks of each value live in :mod:`gdviz.core.session_checks`; their limits
(``MAX_*``, ``*_MODES``) and :class:`SessionError` are re-exported here.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from typing import Any

from gdviz.core.optimizers import HYPER_NAMES
from gdviz.core.session_checks import (
    FIELD_MODES,
    GRADIENT_MODES,
    MAX_COORDINATE,
    MAX_LOSS_CHARS,
    MAX_NAME_CHARS,
    MAX_RUNS,
    MAX_STEPS,
    MAX_VIEW_DEPTH,
    MAX_VIEW_ITEMS,
    MAX_VIEW_KEY,
    MAX_VIEW_STRING,
    VIEW_CHECKS,
    SessionError,
    check_domain,
    check_loss,
    check_variables,
    check_view,
    is_int,
    run_fields,
    show_value,
)

__all__ = [
    "FIELD_MODES", "GRADIENT_MODES", "MAX_COORDINATE", "MAX_LOSS_CHARS", "MAX_NAME_CHARS",
    "MAX_RUNS", "MAX_SESSION_BYTES", "MAX_STEPS", "MAX_VIEW_DEPTH", "MAX_VIEW_ITEMS",
    "MAX_VIEW_KEY", "MAX_VIEW_STRING", "SESSION_FORMAT", "SESSION_VERSION", "RunSpec",
    "Session", "SessionError", "load_session", "save_session", "session_from_dict",
    "session_from_json", "session_to_dict", "session_to_json",
]  # fmt: skip

SESSION_FORMAT = "gdviz-session"
SESSION_VERSION = 1
MAX_SESSION_BYTES = 1_000_000

_SIZE_TEXT = f"{MAX_SESSION_BYTES / 1e6:g} MB"


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
    from gdviz.core.atomic import atomic_write_text  # (secrets, hashlib: not at start-up)

    session_from_dict(session_to_dict(session))
    text = session_to_json(session)
    try:
        atomic_write_text(path, text, encoding="utf-8")
    except OSError as err:
        raise SessionError(f"cannot write {os.fspath(path)}: {err.strerror or err}") from None


def load_session(path: str | os.PathLike[str], parse: bool = True) -> Session:
    """Read and check a session file (``parse=False``: the loss without sympy, see
    :func:`gdviz.core.session_checks.check_loss`).

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
            # ("not a regular file": jargon for a folder, a pipe or a device)
            raise SessionError(f"cannot read {name}: "
                               + ("it is a folder" if stat.S_ISDIR(info.st_mode) else
                                  "it is not a file (a pipe or a device)"))
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
    return session_from_json(text, parse)


def _refuse_constant(token: str) -> Any:
    raise SessionError(f"not valid JSON: {token} is not a number")


def session_from_json(text: str, parse: bool = True) -> Session:
    """Parse and check session JSON text; see :func:`session_from_dict`."""
    if len(text) > MAX_SESSION_BYTES:
        raise SessionError(f"the file is larger than {_SIZE_TEXT}")
    if not text.strip():
        raise SessionError("the file is empty")
    try:
        data = json.loads(text, parse_constant=_refuse_constant,
                          object_pairs_hook=_without_duplicates)
    except json.JSONDecodeError as err:
        raise SessionError(f"not valid JSON at line {err.lineno}, column {err.colno} "
                           f"({err.msg})") from None
    except SessionError:
        raise
    except RecursionError:
        raise SessionError("not valid JSON: nested too deeply") from None
    except ValueError:  # Python refuses integers with more than 4300 digits
        raise SessionError("not valid JSON: a number has too many digits") from None
    return session_from_dict(data, parse)


def _without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused when a key appears twice (two "loss" keys opened the second
    without a word: which one the writer meant is unknown)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise SessionError(f'the key "{key[:40]}" appears twice in one object')
        out[key] = value
    return out


def session_from_dict(data: Any, parse: bool = True) -> Session:
    """Check a decoded session object and build the :class:`Session`.

    Unknown keys are ignored. The loss text is re-parsed with ``parse_loss`` (and must use
    ``variables`` when those are given), but the compiled loss is not kept.

    Raises
    ------
    SessionError
        The first problem found, as one line.
    """
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list | tuple) else show_value(data)
        raise SessionError(f"not a gdviz session file (expected a JSON object, got {kind})")
    if "format" not in data:
        raise SessionError(f'not a gdviz session file (missing "format": "{SESSION_FORMAT}")')
    if data["format"] != SESSION_FORMAT:  # (it was said to be missing: a QA round)
        raise SessionError(f'not a gdviz session file ("format" is '
                           f'{show_value(data["format"])}, not "{SESSION_FORMAT}")')
    version = data.get("version")
    if version is None:
        raise SessionError('not a gdviz session file (missing "version")')
    if isinstance(version, float) and version.is_integer():
        version = int(version)  # (1.0, as some JSON writers put a whole number)
    if not is_int(version):
        raise SessionError(f"version must be a whole number, got {show_value(version)}")
    # (shortened: a version of 10⁴⁰⁰ was written out, hundreds of digits)
    if version < 1:
        raise SessionError(f"version must be at least 1, got {show_value(version)}")
    if version > SESSION_VERSION:
        raise SessionError(f"this session was saved by a newer gdviz (format version "
                           f"{show_value(version)}; this gdviz reads version "
                           f"{SESSION_VERSION})")
    variables = check_variables(data.get("variables"))
    loss = check_loss(data.get("loss"), variables, parse)
    domain = check_domain(data.get("domain"))
    runs_data = data.get("runs", [])
    if not isinstance(runs_data, list | tuple):
        raise SessionError(f"runs must be a list, got {show_value(runs_data)}")
    if len(runs_data) > MAX_RUNS:
        raise SessionError(f"runs: at most {MAX_RUNS} runs, got {len(runs_data)}")
    runs = [RunSpec(**run_fields(item, i)) for i, item in enumerate(runs_data, start=1)]
    view = {k: data[k] for k in VIEW_CHECKS if k in data}  # flat form, as in DESIGN.md
    nested = data.get("view", {})
    if not isinstance(nested, dict):
        raise SessionError(f"view must be an object, got {show_value(nested)}")
    view.update(nested)
    return Session(loss=loss, domain=domain, runs=runs, view=check_view(view), variables=variables)
