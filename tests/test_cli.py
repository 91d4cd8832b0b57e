"""The command line without a window: --print, --list-presets, and one-line errors."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time

import pytest

from gdviz.cli import main


def test_print_writes_a_parseable_csv(capsys):
    assert main(["--loss", "x^2 + 10y^2", "--optimizer", "momentum", "--lr", "0.02",
                 "--start", "-3,2", "--steps", "40", "--print"]) == 0
    out, err = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["step", "x", "y", "loss", "dx", "dy", "grad_norm"]
    first = [float(v) for v in rows[1]]
    assert first[:3] == [0.0, -3.0, 2.0]
    assert first[3] == pytest.approx(9 + 40)
    assert len(rows) == 42
    assert err.startswith("# ") and "step" in err


def test_print_does_not_stop_a_tiny_valued_loss_at_its_start(capsys):
    # ‖∇f‖ ~ 10⁻⁹ is below an absolute 10⁻⁶: the run "converged" at step 0 (one row)
    assert main(["--loss", "1e-9*(x^2 + y^2)", "--lr", "0.1", "--steps", "30",
                 "--print"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr()[0])))
    assert len(rows) == 1 + 31


def test_list_presets(capsys):
    assert main(["--list-presets"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names[0] == "lecture" and {"rosenbrock", "himmelblau", "linear_regression"} <= set(names)


@pytest.mark.parametrize("argv, message", [
    # (ignored without a word, exit 0)
    (["--list-presets", "--lr", "0"], "cannot be combined with --lr"),
    (["--list-presets", "--screenshot", "x.jpg", "--fps", "1000"],
     "cannot be combined with --screenshot, --fps"),
    (["--list-presets", "--print"], "cannot be combined with --print"),
    (["--print", "--preset", ""], "--preset needs a value"),  # (it printed the lecture's)
    (["--print", "--loss", " "], "--loss needs a value"),
    (["--print", "--loss", "x^2", "--start="], "--start needs a value"),  # (the default's)
])
def test_options_that_would_be_ignored_are_refused(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1, err


@pytest.mark.parametrize("argv, message", [
    (["--loss", "sinn(x)", "--print"], "unknown function 'sinn' at character 1: did you mean sin?"),
    (["--preset", "nope", "--print"], "nope"),
    (["--start", "1,2,3", "--print"], "--start must be two numbers"),
    (["--lr", "-1", "--print"], "--lr must be a positive number"),
    # beyond what a session keeps: Ctrl+S refused the window's state, the autosave could
    # not be loaded, and --start=1e308,1e308 ended in "cannot convert float NaN to integer"
    (["--lr", "1e7", "--print"], "--lr must be a positive number, at most 1,000,000"),
    (["--start=3e6,0", "--print"], "--start must be numbers from -1,000,000 to 1,000,000"),
    (["--start=1e308,1e308", "--print"], "--start must be numbers from"),
    # ignored without a word before
    (["--fps", "0", "--screenshot", "a.png"], "--fps is for --export"),
    (["--export-view", "3d", "--screenshot", "a.png"], "--export-view is for --export"),
    (["--loss", "x^2", "--print", "--size", "800x600"], "it cannot be combined with --size"),
    (["--optimizer", "sgd", "--print"], "invalid choice"),
    (["--session", "/nonexistent/x.gdviz"], "cannot read"),
    (["--loss", "x^2", "--print", "--export", "a.gif"], "cannot be combined with --export"),
    (["--print", "--screenshot", "a.png"], "cannot be combined with --screenshot"),
    # refused before anything starts (an empty path opened the window and waited for ever;
    # the rest were silently ignored)
    (["--screenshot", ""], "--screenshot needs a value"),
    (["--export", " "], "--export needs a value"),
    (["--session", ""], "--session needs a value"),
    (["--size=", "--screenshot", "a.png"], "--size needs a value"),  # (1600 × 1000 made)
    (["--export", "a.png", "--screenshot", "b.png"], "use one of them"),
    (["--session", "s.gdviz", "--lr", "-1", "--steps", "0"],
     "--lr, --steps cannot be combined with --session"),
    (["--export", "a.gif", "--fps", "0.001"], "--fps must be between 0.1 and 60"),
    # (accepted, and ignored, for a still: a QA round)
    (["--export", "a.png", "--fps", "10"], "--fps is for an animation (.gif or .mp4)"),
    (["--export", "a.svg", "--fps", "10"], "--fps is for an animation (.gif or .mp4)"),
    (["--screenshot", "a.jpg"], "--screenshot writes a PNG"),
    # refused before the window and its frames were made (4 s for a.txt, 8 s for a folder,
    # all 63 frames rendered for /proc/a.gif)
    (["--export", "/tmp/a.txt"], "--export must end in .gif, .mp4, .png or .svg"),
    (["--export", "/nonexistent/a.gif"], "--export: cannot write /nonexistent/a.gif"),
    (["--screenshot", "/nonexistent/a.png"], "--screenshot: cannot write"),
    # read otherwise before: the last one given, an abbreviation, 1_0 as 10
    (["--preset", "sphere", "--preset", "bowl", "--print"], "--preset is given twice"),
    (["--optimizer", "adam", "--optimizer=gd", "--print"], "--optimizer is given twice"),
    (["--pre", "sphere", "--print"], "unrecognized arguments: --pre"),
    (["--start", "1_0,1", "--print"], "written without '_'"),
    (["--lr", "1_0", "--print"], "write numbers without '_'"),
    (["--steps", "1_0", "--print"], "write numbers without '_'"),  # (int() read 10)
    (["--steps", "2.5", "--print"], "not a whole number: '2.5'"),
    (["--export", "a.svg", "--export-view", "3d"], "an SVG is of the map"),
])
def test_bad_input_is_one_line_and_status_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("gdviz: error:")
    assert message in err
    assert "Traceback" not in err


def test_an_export_into_a_folder_or_over_a_read_only_file_is_refused_at_once(tmp_path,
                                                                             capsys):
    folder = tmp_path / "clip.gif"
    folder.mkdir()
    locked = tmp_path / "locked.png"
    locked.write_bytes(b"x")
    locked.chmod(0o444)
    for argv in (["--export", str(folder)], ["--screenshot", str(locked)]):
        t0 = time.perf_counter()
        assert main(argv) == 2
        assert time.perf_counter() - t0 < 1.5  # (before the window and its frames: 4–8 s)
        err = capsys.readouterr().err
        assert "cannot write" in err and err.count("\n") == 1, err
    assert locked.read_bytes() == b"x" and not list(tmp_path.glob(".gdviz-*"))


def test_broken_pipe_is_quiet(tmp_path):
    proc = subprocess.run(
        f"{sys.executable} -m gdviz.cli --preset rosenbrock --print | head -2",
        shell=True, capture_output=True, text=True, timeout=120)
    assert proc.stdout.count("\n") == 2
    assert "Error" not in proc.stderr and "error" not in proc.stderr


@pytest.mark.parametrize("argv, lr", [
    ([], 0.3),  # the lecture preset as it is: its own η
    (["--optimizer", "momentum"], 0.05),  # another optimizer: the smaller of the two η
    (["--loss", "x^2 + 10y^2"], 0.1),  # another loss: the optimizer's default, not 0.3
    (["--loss", "x^2 + 10y^2", "--optimizer", "momentum"], 0.05),
    (["--preset", "rosenbrock"], None),  # the preset's own
    (["--loss", "x^2", "--lr", "0.02"], 0.02),
])
def test_the_first_run_s_learning_rate(argv, lr):
    from gdviz.cli import build_parser, resolve_options
    from gdviz.core.presets import get_preset

    opts, _loss, preset = resolve_options(build_parser().parse_args(argv))
    expected = get_preset("rosenbrock").lr if lr is None else lr
    assert opts.learning_rate(preset) == pytest.approx(expected)


def test_a_preset_typed_with_hyphens_is_the_preset(capsys):
    """``--preset linear-regression`` (as a user writes it) names linear_regression."""
    from gdviz.cli import build_parser, resolve_options
    from gdviz.core.presets import get_preset

    opts, loss, preset = resolve_options(build_parser().parse_args(
        ["--preset", "Linear-Regression"]))
    assert preset.name == opts.preset == "linear_regression"
    assert loss.text == get_preset("linear_regression").loss
    assert main(["--preset", "three-hump-camel", "--steps", "3", "--print"]) == 0
    assert capsys.readouterr().out.count("\n") == 5  # the header, steps 0 to 3


def test_the_documented_examples_do_not_diverge(capsys):
    """The README's and --help's examples (the lecture's η = 0.3 made them diverge)."""
    for argv in (["--loss", "x^2 + 10y^2", "--optimizer", "momentum", "--print"],
                 ["--loss", "x^2 + 3y^2", "--start=-3,2", "--print"]):
        assert main(argv) == 0
        err = capsys.readouterr().err
        assert "diverged" not in err, (argv, err)


def test_a_preset_with_another_optimizer_diverges_no_more_than_with_its_own_eta():
    """For the preset's loss with another optimizer the smaller of the preset's η and the
    optimizer's default: the default alone made momentum and Nesterov diverge on
    Himmelblau and Styblinski–Tang, and gradient descent on Beale."""
    from gdviz.core.descent import descend
    from gdviz.core.loss import parse_loss
    from gdviz.core.optimizers import OPTIMIZERS
    from gdviz.core.presets import load_presets
    from gdviz.launch import LaunchOptions

    for preset in load_presets():
        loss = parse_loss(preset.loss)
        for optimizer in OPTIMIZERS:
            lr = LaunchOptions(preset=preset.name, optimizer=optimizer).learning_rate(preset)
            assert lr <= preset.lr or optimizer == preset.optimizer
            if descend(loss, preset.start, optimizer, lr, preset.steps).status == "diverged":
                own = descend(loss, preset.start, optimizer, preset.lr, preset.steps)
                assert own.status == "diverged", (preset.name, optimizer, lr)


def test_no_display_is_one_clear_line_not_a_qt_abort():
    from gdviz.cli import CliError, check_display

    if sys.platform.startswith("linux"):
        with pytest.raises(CliError, match="no display.*xvfb-run.*QT_QPA_PLATFORM=offscreen"):
            check_display({})
        check_display({"QT_QPA_PLATFORM": "offscreen"})
        check_display({"QT_QPA_PLATFORM": "wayland", "WAYLAND_DISPLAY": "wayland-0"})
        for env in ({"QT_QPA_PLATFORM": "xcb"},  # (a profile's setting over ssh: Qt aborted)
                    {"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"}):
            with pytest.raises(CliError, match="no display"):
                check_display(env)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X displays are Linux's")
def test_a_display_nothing_answers_on_is_one_clear_line_not_a_qt_abort():
    """DISPLAY=:987 (a stale one over ssh or tmux): Qt aborted with a core dump after
    "xcb-cursor0 is needed… reinstalling the application may fix this problem"."""
    import socket

    from gdviz.cli import CliError, check_display

    number = 7000 + os.getpid() % 1000
    with pytest.raises(CliError, match=f"cannot open the display :{number}: no X server"):
        check_display({"DISPLAY": f":{number}"})
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:  # a server listening
        server.bind(f"\0/tmp/.X11-unix/X{number}")
        server.listen(1)
        check_display({"DISPLAY": f":{number}"})
        check_display({"DISPLAY": f"unix:{number}.0"})
    check_display({"DISPLAY": "remote.example:0"})  # (only connecting could tell: Qt's)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:  # X over TCP alone
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # (WSL1's VcXsrv)
        try:
            server.bind(("127.0.0.1", 6000 + number))
        except OSError:  # (the port taken on this machine: nothing to learn)
            return
        server.listen(1)
        check_display({"DISPLAY": f":{number}"})


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X displays are Linux's")
def test_the_display_probe_leaves_the_socket_module_unimported(run_python):
    # (``socket`` makes its enum classes on import: 3 ms of every launch, for one probe)
    code = ("import sys\n"
            "from gdviz.cli import CliError, check_display\n"
            "try:\n"
            "    check_display({'DISPLAY': ':7999'})\n"
            "except CliError:\n"
            "    pass\n"
            "print('socket' in sys.modules)\n")
    done = run_python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False", done.stdout


def test_a_loss_starting_with_a_minus_is_read_as_the_loss(capsys):
    """--loss -x^2 was taken for an option ("expected one argument")."""
    assert main(["--loss", "-x^2 + y^2", "--steps", "1", "--print"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("step,x,y,")
    assert "# stopped after 1 step\n" in captured.err  # (not "1 steps")


def test_a_session_s_error_names_the_file(tmp_path, capsys):
    """"the file is empty", "the file is larger than 1 MB": which file?"""
    empty = tmp_path / "empty.gdviz"
    empty.write_text("")
    assert main(["--session", str(empty), "--screenshot", str(tmp_path / "a.png")]) == 2
    assert capsys.readouterr().err.strip() == f"gdviz: error: {empty}: the file is empty"
    assert main(["--session", str(tmp_path), "--screenshot", str(tmp_path / "a.png")]) == 2
    err = capsys.readouterr().err  # (named once, by the message itself)
    assert err.count(str(tmp_path)) == 1 and "it is a folder" in err  # (not "not a regular file")


def test_a_preset_s_own_loss_opens_as_that_preset():
    """The lecture's loss typed on a handout's command line opened as "Custom", η 0.1 on
    ±3, "stopped after 200 steps", not as the class saw it (η 0.3 on its own map)."""
    from gdviz.cli import build_parser, resolve_options

    for text in ("sin(w1)*w2*(1-w2)", "sin(w1) * w2 * (1 - w2)"):
        args = build_parser().parse_args(["--loss", text])
        opts, loss, preset = resolve_options(args)
        assert preset.name == "lecture" and opts.preset == "lecture" and opts.loss is None
        assert (args.preset, args.loss) == ("lecture", None)  # (the window opens from args)
        assert opts.learning_rate(preset) == 0.3 and loss.text == preset.loss
    # the other options still apply over it; another loss stays "Custom"
    opts, _loss, preset = resolve_options(build_parser().parse_args(
        ["--loss", "sin(w1)*w2*(1-w2)", "--lr", "0.05"]))
    assert preset.name == "lecture" and opts.learning_rate(preset) == 0.05
    opts, _loss, _preset = resolve_options(build_parser().parse_args(
        ["--loss", "sin(w1)*w2*(1-w2) + 0"]))
    assert opts.preset is None and opts.loss == "sin(w1)*w2*(1-w2) + 0"
    out = io.StringIO()
    from gdviz.cli import print_csv

    print_csv(build_parser().parse_args(["--loss", "sin(w1)*w2*(1-w2)"]), out)
    assert len(out.getvalue().splitlines()) == 1 + 164  # (converged at step 163)


def test_a_start_written_with_a_real_minus_is_read(capsys):
    """--start −1,2 (the minus the window writes, which the loss box takes) was refused."""
    assert main(["--loss", "x^2 + y^2", "--start", "\u22121.5,2", "--steps", "1",
                 "--print"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [float(v) for v in rows[1][1:3]] == [-1.5, 2.0]
