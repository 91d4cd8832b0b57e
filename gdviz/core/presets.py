"""Built-in example losses ("presets") read from ``resources/presets.json``.

Pure Python: no Qt, no sympy. The loss text of a preset is plain gdviz syntax and is parsed by
:func:`gdviz.parse_loss` like anything a user types.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import MISSING, dataclass, fields
from functools import lru_cache
from pathlib import Path

DEFAULT_PRESET = "lecture"
OPTIMIZER_NAMES = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton")
PRESETS_PATH = Path(__file__).resolve().parents[2] / "resources" / "presets.json"
_NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")

Point = tuple[float, float]


@dataclass(frozen=True)
class Preset:
    """One example loss with suggested view and descent settings.

    Attributes
    ----------
    name, title, loss, description : str
        Lowercase identifier, human title, loss text in gdviz syntax, one-sentence summary.
    domain, start : ((amin, amax), (bmin, bmax)) and (a, b)
        Plot range and suggested starting point.
    optimizer, lr, steps : str, float, int
        Suggested descent settings; ``optimizer`` is one of :data:`OPTIMIZER_NAMES`.
    minima, nonsmooth_minima : tuple of (a, b)
        Known minima: exact stationary points, and points where the gradient is undefined.
    log_scale : bool
        Whether the values are best shown on a log scale.
    """

    name: str
    title: str
    loss: str
    domain: tuple[Point, Point]
    start: Point
    optimizer: str
    lr: float
    steps: int
    minima: tuple[Point, ...]
    log_scale: bool
    description: str
    nonsmooth_minima: tuple[Point, ...] = ()


_REQUIRED_KEYS = tuple(f.name for f in fields(Preset) if f.default is MISSING)


class UnknownPresetError(KeyError, ValueError):
    """Raised by :func:`get_preset` for a name that is not a preset."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}: expected a finite number, got {value!r}")
    return float(value)


def _point(value: object, where: str) -> Point:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError(f"{where}: expected a pair [a, b], got {value!r}")
    return (_number(value[0], where), _number(value[1], where))


def _points(value: object, where: str) -> tuple[Point, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list of [a, b] pairs, got {value!r}")
    return tuple(_point(p, f"{where}[{i}]") for i, p in enumerate(value))


def _preset(entry: object, where: str) -> Preset:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected an object")
    missing = [key for key in _REQUIRED_KEYS if key not in entry]
    if missing:
        raise ValueError(f"{where}: missing key(s) {', '.join(missing)}")
    for key in ("name", "title", "loss", "description"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise ValueError(f"{where}: '{key}' must be a non-empty string")
    name = entry["name"]
    if not _NAME_RE.match(name):
        raise ValueError(f"{where}: name {name!r} is not a lowercase identifier")
    where = f"{where} ('{name}')"
    domain = _points(entry["domain"], f"{where} domain")
    if len(domain) != 2 or not all(lo < hi for lo, hi in domain):
        raise ValueError(f"{where}: domain must be [[amin, amax], [bmin, bmax]] with min < max")
    optimizer = entry["optimizer"]
    if optimizer not in OPTIMIZER_NAMES:
        raise ValueError(f"{where}: optimizer must be one of {', '.join(OPTIMIZER_NAMES)}")
    lr = _number(entry["lr"], f"{where} lr")
    steps = entry["steps"]
    if lr <= 0 or isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"{where}: lr must be > 0 and steps a positive integer")
    if not isinstance(entry["log_scale"], bool):
        raise ValueError(f"{where}: log_scale must be true or false")
    keys = ("name", "title", "loss", "description", "optimizer", "steps", "log_scale")
    return Preset(
        **{key: entry[key] for key in keys},
        domain=(domain[0], domain[1]),
        start=_point(entry["start"], f"{where} start"),
        lr=lr,
        minima=_points(entry["minima"], f"{where} minima"),
        nonsmooth_minima=_points(entry.get("nonsmooth_minima", []), f"{where} nonsmooth_minima"),
    )


@lru_cache(maxsize=8)
def _load(path: Path) -> tuple[Preset, ...]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read presets file {path}: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != "gdviz-presets":
        raise ValueError(f"{path}: not a gdviz presets file (expected format 'gdviz-presets')")
    if data.get("version") != 1:
        raise ValueError(f"{path}: unsupported presets version {data.get('version')!r}")
    entries = data.get("presets")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{path}: 'presets' must be a non-empty list")
    presets = tuple(_preset(entry, f"{path}: preset #{i}") for i, entry in enumerate(entries))
    names = [p.name for p in presets]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"{path}: duplicate preset names: {', '.join(duplicates)}")
    return presets


def load_presets(path: str | Path | None = None) -> tuple[Preset, ...]:
    """Load and validate presets (cached per file).

    Parameters
    ----------
    path : str or Path, optional
        A presets JSON file; by default the repository's ``resources/presets.json``.

    Returns
    -------
    tuple of Preset
        In file order (the default file lists ``lecture`` first).

    Raises
    ------
    ValueError
        If the file cannot be read or is malformed; the message says what and where.
    """
    return _load(Path(path).resolve() if path is not None else PRESETS_PATH)


def preset_names() -> list[str]:
    """Return the names of the built-in presets, in display order."""
    return [p.name for p in load_presets()]


def _name_key(text: str) -> str:
    """``text`` folded as a preset's name is written: lower case, words joined by ``_``."""
    return "_".join(re.split(r"[\s_\-\u2010-\u2015]+", str(text).strip().lower()))


def get_preset(name: str) -> Preset:
    """Return the built-in preset called ``name``.

    The name is matched forgivingly, as a user types it on the command line: case, spaces and
    hyphens aside (``linear-regression``, ``Goldstein-Price`` and ``Three hump camel`` name
    ``linear_regression``, ``goldstein_price`` and ``three_hump_camel``).

    Raises
    ------
    UnknownPresetError
        (a ``KeyError`` and ``ValueError``) listing the valid names if there is no such preset.
    """
    key = _name_key(name)
    for preset in load_presets():
        if preset.name == key:
            return preset
    raise UnknownPresetError(f"unknown preset {name!r}; choose one of: {', '.join(preset_names())}")
