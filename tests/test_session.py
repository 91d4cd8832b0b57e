"""The session file: round trip, unknown keys, hostile and broken files, atomic saves."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gdviz.core import atomic
from gdviz.core.atomic import atomic_write_bytes, atomic_write_text
from gdviz.core.session import (
    MAX_SESSION_BYTES,
    SESSION_FORMAT,
    SESSION_VERSION,
    RunSpec,
    Session,
    SessionError,
    load_session,
    save_session,
    session_from_dict,
    session_from_json,
    session_to_dict,
    session_to_json,
)

ROOT = Path(__file__).resolve().parents[1]


def make_session() -> Session:
    return Session(
        loss="sin(w1)*w2*(1-w2)",
        domain=((-3.0, 3.0), (-1.0, 2.0)),
        runs=[
            RunSpec("gd", 0.1, (1.0, 0.5), name="plain"),
            RunSpec("adam", 0.05, (-2.0, 1.5), {"beta1": 0.8, "beta2": 0.99, "eps": 1e-7},
                    steps=500, schedule="step", decay=0.5, decay_steps=40, noise=0.1,
                    seed=7, color="#1f77b4", name="Adam ✓"),
            RunSpec("momentum", 0.02, (2.5, -0.5), {"momentum": 0.95}, schedule="cosine",
                    gradient="central", fd_h=1e-3, visible=False, color="#FF7F0E"),
        ],
        view={"log_scale": True, "field": "negative", "normalise_arrows": False,
              "arrow_density": 24, "height_scale": 1.5,
              "camera": {"distance": 12.0, "elevation": 30, "azimuth": -45.5},
              "iteration": 17, "show_step_arrows": True, "preset": "lecture",
              "extra": {"nested": [1, "two", None, 3.5]}},
    )


def good() -> dict:
    return session_to_dict(make_session())


def dump(data) -> bytes:
    return json.dumps(data).encode()


def with_(path: str, value) -> bytes:
    """A valid session with one value replaced; ``path`` like "runs.1.lr" or "version"."""
    data = good()
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return dump(data)


def without(key: str) -> bytes:
    data = good()
    del data[key]
    return dump(data)


def with_run(**changes) -> bytes:
    data = good()
    data["runs"][0].update(changes)
    return dump(data)


def replace_text(old: str, new: str) -> bytes:
    text = session_to_json(make_session())
    assert old in text
    return text.replace(old, new, 1).encode()


# --------------------------------------------------------------------------- round trip


def test_save_load_round_trip(tmp_path):
    session = make_session()
    path = tmp_path / "lecture.gdviz"
    save_session(path, session)
    loaded = load_session(path)
    assert loaded == session
    assert loaded.runs[1].hyper == {"beta1": 0.8, "beta2": 0.99, "eps": 1e-7}
    # Saved text is stable, UTF-8, and hyperparameters sit flat in the run object.
    raw = path.read_bytes()
    assert raw == session_to_json(loaded).encode("utf-8")
    assert "Adam ✓" in raw.decode("utf-8")
    data = json.loads(raw)
    assert data["format"] == SESSION_FORMAT and data["version"] == SESSION_VERSION
    assert data["runs"][1]["beta1"] == 0.8 and "hyper" not in data["runs"][1]
    assert list(data)[:2] == ["format", "version"]


def test_dict_round_trip_and_variables():
    session = Session("a^2 + 3*b", ((-1, 1), (0, 2)), variables=("b", "a"))
    again = session_from_dict(session_to_dict(session))
    assert again == session and again.variables == ("b", "a") and again.runs == []


def test_unknown_extra_keys_are_accepted_and_ignored():
    data = good()
    data["comment"] = "saved for Tuesday's lecture"
    data["future_feature"] = {"anything": [1, 2, {"deep": None}]}
    data["runs"][0]["future_run_option"] = "whatever"
    data["runs"][0]["hyper_note"] = [1, 2, 3]
    assert session_from_json(json.dumps(data)) == make_session()


def test_flat_view_keys_and_nested_hyper_are_read():
    data = good()
    del data["view"]
    data["log_scale"] = True  # view option at the top level, as DESIGN.md sketches it
    data["runs"] = [{"optimizer": "adam", "lr": 0.1, "start": [1, 2], "hyper": {"beta1": 0.5},
                     "beta2": 0.9}]
    session = session_from_dict(data)
    assert session.view == {"log_scale": True}
    assert session.runs[0].hyper == {"beta1": 0.5, "beta2": 0.9}
    assert session.runs[0].start == (1.0, 2.0) and session.runs[0].steps == 200


def test_a_hyperparameter_its_optimizer_does_not_use_is_dropped():
    """A GD run's "momentum": 5 (out of range, never checked: not GD's own) was kept, and
    written back by Save."""
    data = good()
    data["runs"] = [{"optimizer": "gd", "lr": 0.1, "start": [1, 2], "momentum": 5,
                     "hyper": {"beta1": 0.5}}]
    assert session_from_dict(data).runs[0].hyper == {}
    data["runs"][0]["optimizer"] = "momentum"  # (its own: checked, and refused)
    with pytest.raises(SessionError, match="momentum must be in"):
        session_from_dict(data)


def test_a_version_written_as_a_whole_float_is_read(tmp_path):
    """"version": 1.0, as some JSON writers put a whole number, was "must be a whole
    number"; 1.5 still is refused. So were a run's "steps": 3.0 and "seed": 7.0."""
    path = tmp_path / "float.gdviz"
    path.write_text('{"format": "gdviz-session", "version": 1.0, "loss": "x^2 + y^2", '
                    '"domain": [[-2, 2], [-2, 2]], "runs": [{"optimizer": "gd", "lr": 0.1, '
                    '"start": [1, 1], "steps": 3.0, "seed": 7.0}]}',
                    encoding="utf-8")
    session = load_session(path)
    assert session.loss == "x^2 + y^2"
    assert session.runs[0].steps == 3 and isinstance(session.runs[0].steps, int)
    assert session.runs[0].seed == 7


@pytest.mark.parametrize("loss", ["x^2 + y^(1+1)", "x^(2*(1/3)) + y^2", "x²⁻¹ + y",
                                  "10^-1^2 * x + y", "(x^2+y^2)^(1/(1+2))", "x^(2^2) + y"])
def test_a_loss_the_preview_cannot_draw_is_read_without_sympy(tmp_path, loss):
    """The autosave is read at launch without sympy (``parse=False``): a loss the first
    frame's preview leaves to sympy was refused, "this loss cannot be read", and the user's
    last session put aside."""
    from gdviz.core.preview import preview_loss

    assert preview_loss(loss) is None  # (the preview leaves these to sympy)
    path = tmp_path / "last.gdviz"
    path.write_text(json.dumps({"format": "gdviz-session", "version": 1, "loss": loss,
                                "variables": ["x", "y"], "domain": [[-2, 2], [-2, 2]]}),
                    encoding="utf-8")
    assert load_session(path, parse=False).loss == loss
    assert load_session(path).loss == loss  # (and sympy agrees)


@pytest.mark.parametrize("loss, message", [
    ("x + ", "something is missing"), ("a*b", "unknown variable 'a'"),
    ("x + y + z", "unknown variable 'z'"), ("sin(x, y) + y", ""),
    ("x^2\ny^2", "a line break at character 5")])  # (read as the product x²·y²)
def test_without_sympy_a_broken_loss_is_still_refused(tmp_path, loss, message):
    path = tmp_path / "last.gdviz"
    path.write_text(json.dumps({"format": "gdviz-session", "version": 1, "loss": loss,
                                "variables": ["x", "y"], "domain": [[-2, 2], [-2, 2]]}),
                    encoding="utf-8")
    with pytest.raises(SessionError, match=message or None):
        load_session(path)
    if message:  # (a function given two arguments: sympy's part, when the session applies)
        with pytest.raises(SessionError, match=message):
            load_session(path, parse=False)


def test_minimal_hand_written_file(tmp_path):
    path = tmp_path / "mini.gdviz"
    path.write_text('\ufeff{"format": "gdviz-session", "version": 1, "loss": "x^2 + y^2",\n'
                    ' "domain": [[-2, 2], [-2, 2]],\n'
                    ' "runs": [{"optimizer": "ADAM", "lr": 0.1, "start": [1, 2]}]}\n',
                    encoding="utf-8")
    session = load_session(path)
    assert session.runs[0].optimizer == "adam" and session.view == {}


# --------------------------------------------------------------------------- bad files


def half_of_valid_file() -> bytes:
    raw = session_to_json(make_session()).encode()
    return raw[: len(raw) // 2]


HOSTILE = "__import__('os').system('touch {sentinel}')"

BAD_FILES = [
    ("corrupted JSON", lambda: b'{"format": "gdviz-session", "version": 1,, "loss": "x"}',
     "not valid JSON at line 1, column 42"),
    ("truncated", lambda: half_of_valid_file(),
     "not valid JSON at line"),
    ("empty", lambda: b"", "the file is empty"),
    ("whitespace only", lambda: b"  \n\t\n", "the file is empty"),
    ("binary junk", lambda: bytes(range(256)) * 16, "the file is not UTF-8 text"),
    ("UTF-8 junk", lambda: b"\x00\x01\x02PK\x03\x04 garbage", "not valid JSON at line 1"),
    ("latin-1 text", lambda: json.dumps({**good(), "runs": [], "loss": "w1² + w2²"},
                                        ensure_ascii=False).encode("latin-1"),
     "the file is not UTF-8 text"),
    ("top-level list", lambda: dump([good()]), "not a gdviz session file (expected a JSON object"),
    ("top-level string", lambda: b'"gdviz-session"', "expected a JSON object"),
    ("missing format", lambda: without("format"),
     'not a gdviz session file (missing "format": "gdviz-session")'),
    # (it was said to be missing)
    ("other format", lambda: with_("format", "other-app"),
     'not a gdviz session file ("format" is "other-app", not "gdviz-session")'),
    ("version as string", lambda: with_("version", "1"),
     'version must be a whole number, got "1"'),
    ("version as bool", lambda: with_("version", True), "version must be a whole number"),
    ("version float", lambda: with_("version", 1.5), "version must be a whole number"),
    ("version 0", lambda: with_("version", 0), "version must be at least 1"),
    ("version 99", lambda: with_("version", 99),
     "this session was saved by a newer gdviz (format version 99; this gdviz reads version 1)"),
    ("version huge", lambda: with_("version", 10**400),  # (written out, 401 digits)
     f"(format version 1{'0' * 38}…; this gdviz reads version 1)"),
    ("missing version", lambda: without("version"), 'missing "version"'),
    ("missing loss", lambda: without("loss"), 'missing "loss"'),
    ("loss not text", lambda: with_("loss", 42), "loss must be text, got 42"),
    ("loss too long", lambda: with_("loss", "x+" * 1000 + "y"), "loss: the loss is too long"),
    ("unknown function", lambda: with_("loss", "sinn(x)"),
     "loss: unknown function 'sinn' at character 1: did you mean sin?"),
    ("hostile loss", lambda: with_("loss", HOSTILE), "loss: "),
    ("variables mismatch", lambda: with_("variables", ["a", "b"]), "loss: unknown variable"),
    ("variables malformed", lambda: with_("variables", ["w1"]), "variables must be two"),
    ("missing domain", lambda: without("domain"), 'missing "domain"'),
    ("domain reversed", lambda: with_("domain.0", [3, -3]),
     "domain: the minimum must be less than the maximum"),
    ("domain empty span", lambda: with_("domain.1", [1, 1]), "the minimum must be less"),
    # (5e-324 wide: its area underflowed to 0 and the Gradient tab divided by it)
    ("domain subnormal", lambda: with_("domain.1", [0, 5e-324]), "too narrow to draw"),
    ("domain below rounding", lambda: with_("domain.0", [1000.0, 1000.0 + 1e-10]),
     "too narrow to draw"),
    ("domain shape", lambda: with_("domain", [-3, 3, -3, 3]), "domain must be [[amin, amax]"),
    ("domain huge", lambda: with_("domain.0", [-1e7, 3]),
     "domain must be numbers from -1,000,000 to 1,000,000"),
    ("domain text", lambda: with_("domain.0", ["-3", 3]), "domain must be numbers"),
    ("runs not a list", lambda: with_("runs", {"optimizer": "gd"}), "runs must be a list"),
    ("runs 1000", lambda: with_("runs", [good()["runs"][0]] * 1000),
     "runs: at most 32 runs, got 1000"),
    ("run not an object", lambda: with_("runs.1", 5), "run 2 must be an object, got 5"),
    ("run missing start", lambda: with_("runs", [{"optimizer": "gd", "lr": 0.1}]),
     'run 1: missing "start"'),
    ("lr as string", lambda: with_("runs.0.lr", "0.1"),
     'run 1: learning rate must be a positive number, got "0.1"'),
    ("negative lr", lambda: with_("runs.1.lr", -0.1),
     "run 2: learning rate must be a positive number, got -0.1"),
    ("lr huge", lambda: with_("runs.0.lr", 1e9), "run 1: learning rate must be at most"),
    ("lr overflow literal", lambda: replace_text('"lr": 0.1', '"lr": 1e999'),
     "run 1: learning rate must be a positive number, got Infinity"),
    ("lr Infinity token", lambda: replace_text('"lr": 0.1', '"lr": Infinity'),
     "not valid JSON: Infinity is not a number"),
    ("lr bool", lambda: with_("runs.0.lr", True), "learning rate must be a positive number"),
    ("start with 3 numbers", lambda: with_("runs.0.start", [1, 2, 3]),
     "run 1: start must be two numbers"),
    ("start with NaN token", lambda: replace_text("1.0,\n        0.5", "NaN,\n        0.5"),
     "not valid JSON: NaN is not a number"),
    ("start far away", lambda: with_("runs.0.start", [1, 2e6]), "start must be two numbers"),
    ("unknown optimizer", lambda: with_("runs.0.optimizer", "adamw"),
     "run 1: unknown optimizer 'adamw'"),
    ("optimizer not text", lambda: with_("runs.0.optimizer", ["gd"]), "run 1: optimizer must"),
    ("beta1 out of range", lambda: with_("runs.1.beta1", 1.0), "run 2: beta1 must be in [0, 1)"),
    ("momentum as text", lambda: with_("runs.2.momentum", "0.9"), "run 3: momentum must be"),
    ("steps zero", lambda: with_("runs.0.steps", 0), "run 1: steps must be a whole number"),
    ("steps fractional", lambda: with_("runs.0.steps", 2.5), "steps must be a whole number"),
    ("steps huge", lambda: with_("runs.0.steps", 10**6), "from 1 to 100000"),
    ("unknown schedule", lambda: with_("runs.0.schedule", "linear"), "run 1: schedule must be"),
    ("decay too big", lambda: with_("runs.1.decay", 1.5), "run 2: decay must be"),
    ("decay_steps zero", lambda: with_("runs.1.decay_steps", 0), "run 2: decay_steps must"),
    ("negative noise", lambda: with_("runs.0.noise", -1), "run 1: noise must be"),
    # the limits named (1e300 was "must be a number of at least 0")
    ("huge noise", lambda: with_("runs.0.noise", 1e300),
     "run 1: noise must be a number from 0 to 1e6, got 1e+300"),
    ("seed negative", lambda: with_("runs.0.seed", -1), "run 1: seed must be a whole number"),
    ("seed too big", lambda: with_("runs.0.seed", 2**32), "seed must be a whole number"),
    ("unknown gradient mode", lambda: with_("runs.0.gradient", "backward"),
     "run 1: gradient must be one of symbolic, forward, central"),
    ("fd_h zero", lambda: with_("runs.0.fd_h", 0), "run 1: fd_h must be a number in (0, 1]"),
    ("color name", lambda: with_("runs.0.color", "red"), 'run 1: color must look like "#1f77b4"'),
    ("color with newline", lambda: with_("runs.0.color", "#1f77b4\n"), "color must look like"),
    ("visible as text", lambda: with_("runs.0.visible", "yes"), "run 1: visible must be true"),
    ("name too long", lambda: with_("runs.0.name", "n" * 81), "run 1: name must be text"),
    ("name reversing itself", lambda: with_("runs.0.name", "Adam \u202e stopped"),
     "run 1: name contains the invisible control character U+202E"),
    ("camera at 0", lambda: with_("view.camera.distance", 0.0),
     "view: camera.distance must be a positive number of at most 1e6"),
    ("camera far away", lambda: with_("view.camera.distance", 1e300), "at most 1e6"),
    ("camera spun", lambda: with_("view.camera.elevation", 1e300),
     "camera.elevation must be a number of at most 1e6 degrees"),
    ("view not object", lambda: with_("view", [1]), "view must be an object"),
    ("view field", lambda: with_("view.field", "sideways"), "view: field must be one of"),
    ("view arrow density", lambda: with_("view.arrow_density", 100), "view: arrow_density"),
    ("view height scale", lambda: with_("view.height_scale", 0), "view: height_scale"),
    ("huge height scale", lambda: with_("view.height_scale", 1e308),
     "view: height_scale must be a positive number of at most 1e6"),
    ("view camera", lambda: with_("view.camera", {"distance": 3}), "view: camera must be"),
    ("view iteration", lambda: with_("view.iteration", -1), "view: iteration"),
    ("view log_scale", lambda: with_("view.log_scale", "yes"), "view: log_scale must be true"),
    ("flat view option", lambda: dump({**good(), "view": {}, "log_scale": 1}), "log_scale"),
    ("view too deep", lambda: with_("view.extra", [[[[[[[[[[1]]]]]]]]]]), "nested too deeply"),
    ("view too big", lambda: with_("view.extra", list(range(5000))), "view: too large"),
    ("huge integer", lambda: replace_text('"seed": 0', '"seed": ' + "9" * 5000),
     "not valid JSON: a number has too many digits"),
    ("2 MB file", lambda: dump({**good(), "padding": "x" * 2_000_000}),
     "the file is larger than 1 MB"),
    ("nested 100000 deep", lambda: b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ("nested objects", lambda: b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested too deeply"),
    # (two "loss" keys opened the second without a word)
    ("duplicate key", lambda: replace_text('"loss": ', '"loss": "y^2", "loss": '),
     'the key "loss" appears twice in one object'),
]


@pytest.mark.parametrize(("content", "expected"), [(c, e) for _, c, e in BAD_FILES],
                         ids=[name for name, _, _ in BAD_FILES])
def test_bad_file_is_refused_with_one_line(tmp_path, monkeypatch, content, expected):
    sentinel = tmp_path / "X"
    monkeypatch.setattr(sys.modules[__name__], "HOSTILE",
                        HOSTILE.format(sentinel=sentinel), raising=True)
    path = tmp_path / "bad.gdviz"
    path.write_bytes(content())
    with pytest.raises(SessionError) as info:
        load_session(path)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert "\n" not in message and "\r" not in message and message
    assert expected in message
    assert "Traceback" not in message
    assert not sentinel.exists()


def test_bad_file_list_is_long_enough():
    assert len(BAD_FILES) >= 25


def test_hostile_loss_never_runs(tmp_path):
    sentinel = tmp_path / "X"
    data = good()
    data["loss"] = HOSTILE.format(sentinel=sentinel)
    with pytest.raises(SessionError, match=r"^loss: "):
        session_from_dict(data)
    assert not sentinel.exists()


def test_session_from_dict_refuses_non_json_values():
    data = good()
    data["view"]["extra"] = {1: "int key"}
    with pytest.raises(SessionError, match="key must be text"):
        session_from_dict(data)
    data["view"]["extra"] = object()
    with pytest.raises(SessionError, match="not a JSON value"):
        session_from_dict(data)


def test_huge_sparse_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.gdviz"
    with open(path, "wb") as f:
        f.truncate(50 * MAX_SESSION_BYTES)
    with pytest.raises(SessionError, match="larger than 1 MB"):
        load_session(path)


def test_unreadable_paths(tmp_path):
    with pytest.raises(SessionError, match=r"^cannot read .*missing\.gdviz: "):
        load_session(tmp_path / "missing.gdviz")
    with pytest.raises(SessionError, match="cannot read"):
        load_session(tmp_path)


def test_save_refuses_an_invalid_session(tmp_path):
    session = make_session()
    session.runs[0].lr = -1.0
    path = tmp_path / "bad.gdviz"
    with pytest.raises(SessionError, match="run 1: learning rate"):
        save_session(path, session)
    assert not path.exists()


# --------------------------------------------------------------------------- atomic saves


def test_atomic_write_creates_and_replaces(tmp_path):
    path = tmp_path / "notes.txt"
    atomic_write_text(path, "one\r\ntwo ✓\n")
    assert path.read_bytes() == "one\r\ntwo ✓\n".encode()
    atomic_write_bytes(str(path), b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert os.listdir(tmp_path) == ["notes.txt"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_atomic_write_keeps_permissions_and_symlinks(tmp_path):
    plain = tmp_path / "plain"
    plain.write_text("x")
    fresh = tmp_path / "fresh"
    atomic_write_text(fresh, "y")
    assert fresh.stat().st_mode == plain.stat().st_mode  # umask applies, not 0o600
    plain.chmod(0o640)
    atomic_write_text(plain, "z")
    assert plain.stat().st_mode & 0o777 == 0o640
    link = tmp_path / "link"
    link.symlink_to(plain)
    atomic_write_text(link, "via link")
    assert link.is_symlink() and plain.read_text() == "via link"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and FIFOs")
def test_atomic_write_refuses_what_an_ordinary_write_could_not_replace(tmp_path):
    """The rename needs only the folder's permission: a read-only file was replaced anyway,
    and an export run as root replaced the device /dev/full with a PNG."""
    locked = tmp_path / "locked.png"
    locked.write_bytes(b"old")
    locked.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        atomic_write_bytes(locked, b"new")
    assert locked.read_bytes() == b"old"
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # (a file that is not an ordinary one, as a device is)
    with pytest.raises(OSError, match="not an ordinary file"):
        atomic_write_bytes(pipe, b"new")
    assert pipe.is_fifo()
    with pytest.raises(IsADirectoryError):
        atomic_write_bytes(tmp_path, b"new")
    with pytest.raises(SessionError, match="read-only"):
        save_session(locked, Session(loss="x^2", domain=((-1.0, 1.0), (-1.0, 1.0)), runs=[]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked.png", "pipe"]


def _assert_old_file_intact(tmp_path: Path, path: Path, old: bytes) -> None:
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_failed_replace_leaves_old_file(tmp_path, monkeypatch):
    path = tmp_path / "lecture.gdviz"
    save_session(path, make_session())
    old = path.read_bytes()
    changed = copy.deepcopy(make_session())
    changed.loss = "x^2 + y^2"
    changed.variables = None
    changed.runs = []

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(SessionError, match=r"^cannot write .*lecture\.gdviz: No space left"):
        save_session(path, changed)
    _assert_old_file_intact(tmp_path, path, old)


def test_failed_write_midway_leaves_old_file(tmp_path, monkeypatch):
    path = tmp_path / "lecture.gdviz"
    save_session(path, make_session())
    old = path.read_bytes()
    real_write = os.write
    calls = []

    def failing_write(fd, data):
        calls.append(len(data))
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        return real_write(fd, data)

    monkeypatch.setattr(atomic, "CHUNK_SIZE", 1024)
    monkeypatch.setattr(atomic.os, "write", failing_write)
    with pytest.raises(OSError, match="Input/output error"):
        atomic_write_text(path, "new content " * 10_000)
    assert len(calls) == 2
    _assert_old_file_intact(tmp_path, path, old)


def test_failed_fsync_and_interrupt_leave_old_file(tmp_path, monkeypatch):
    path = tmp_path / "lecture.gdviz"
    path.write_bytes(b"old")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(path, b"new")
    _assert_old_file_intact(tmp_path, path, b"old")


CHILD = """
import os, sys, time
import gdviz.core.atomic as atomic

real_write = os.write

def slow_write(fd, data):
    n = real_write(fd, data)
    time.sleep(0.02)
    return n

os.write = slow_write
atomic.CHUNK_SIZE = 64 * 1024
atomic.atomic_write_text(sys.argv[1], "new content " * 2_000_000)  # 24 MB, ~8 s slowed down
print("finished", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_save_killed_mid_write_leaves_old_file(tmp_path):
    path = tmp_path / "lecture.gdviz"
    save_session(path, make_session())
    old = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        temp = None
        while time.monotonic() < deadline and child.poll() is None:
            temps = [p for p in tmp_path.iterdir() if p.name != path.name]
            if temps and temps[0].stat().st_size >= 4 * 64 * 1024:
                temp = temps[0]
                break
            time.sleep(0.01)
        assert temp is not None, child.stderr.read().decode() if child.poll() else "timeout"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == old
    assert load_session(path) == make_session()
    # The killed save left only a partial hidden temporary file, never a partial target.
    assert temp.name.startswith(".lecture.gdviz.") and temp.name.endswith(".tmp")
    assert 0 < temp.stat().st_size < len("new content " * 2_000_000)
    # And the next save still works.
    save_session(path, make_session())
    assert path.read_bytes() == old
