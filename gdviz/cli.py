"""Command line: ``python main.py`` / ``gdviz``. See ``--help``.

Qt is imported only when a window or a picture is needed, so ``--print`` and
``--list-presets`` work on machines without a display.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from gdviz.x_display import no_local_x

EXIT_USAGE = 2
MIN_FPS = 0.1  # (a GIF frame's duration overflowed below 0.015 frames per second)
RUN_OPTIONS = ("optimizer", "lr", "start", "steps")


class CliError(Exception):
    """A user error: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        # (no abbreviations: "--pre sphere" was read as --preset, a typo of another flag too)
        super().__init__(*args, allow_abbrev=False, **kwargs)

    def error(self, message: str) -> None:  # one clear line, not usage + message
        raise CliError(message)


def _reader(convert, kind: str):
    """An argparse type reading numbers as the loss box does (Python's float and int read
    1_0 as 10: --lr 1_0 and --steps 1_0 were 10); ``kind`` names what is wanted."""
    def read(text: str):
        if "_" in text:
            raise argparse.ArgumentTypeError(f"write numbers without '_' (got '{text}')")
        try:
            return convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not {kind}: '{text}'") from None
    return read


_number = _reader(float, "a number")
_whole = _reader(int, "a whole number")


def check_repeats(argv: Sequence[str]) -> None:
    """Refuse an option given twice (``--preset sphere --preset bowl`` took the last, the
    first dropped without a word)."""
    seen: set[str] = set()
    for arg in argv:
        if arg == "--":
            break
        name = arg.split("=", 1)[0]
        if name.startswith("--") and len(name) > 2:
            if name in seen:
                raise CliError(f"{name} is given twice: give it once")
            seen.add(name)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (documented in the README)."""
    from gdviz.core.optimizers import OPTIMIZERS

    p = _Parser(prog="gdviz", description="See derivatives, gradients and gradient descent "
                "on a loss you type.", epilog="Examples: gdviz --preset rosenbrock "
                "--optimizer adam --lr 0.05;  gdviz --loss 'x^2 + 3y^2' --start=-3,2 --print")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--loss", metavar="TEXT", help="the loss, e.g. 'sin(w1)*w2*(1-w2)'")
    src.add_argument("--preset", metavar="NAME", help="a preset loss (see --list-presets)")
    src.add_argument("--session", metavar="PATH", help="open a saved .gdviz session")
    p.add_argument("--optimizer", choices=list(OPTIMIZERS), help="optimizer of the first run")
    p.add_argument("--lr", type=_number, metavar="X", help="learning rate")
    p.add_argument("--start", metavar="A,B", help="start point, e.g. --start=-1.5,2")
    p.add_argument("--steps", type=_whole, metavar="N", help="most steps to take")
    p.add_argument("--list-presets", action="store_true", help="list the presets and exit")
    p.add_argument("--print", dest="print_csv", action="store_true",
                   help="print the first run's trajectory as CSV and exit (no window)")
    p.add_argument("--screenshot", metavar="PATH", help="render the window to a PNG and exit")
    p.add_argument("--export", metavar="PATH", help="render the descent animation (.gif, "
                   ".mp4) or a still (.png, or the map as .svg) without showing a window, "
                   "and exit")
    p.add_argument("--export-view", choices=["map", "3d", "both", "window"], default=None,
                   help="what --export renders (default: the 2D map)")
    p.add_argument("--size", metavar="WxH", help="window / export size, e.g. 1600x1000")
    p.add_argument("--fps", type=_number, default=None,
                   help="frames per second for --export (default 10)")
    p.add_argument("--version", action="version", version="gdviz 0.1.0")
    return p


def _parse_pair(text: str, what: str) -> tuple[float, float]:
    import math

    from gdviz.core.session_checks import MAX_COORDINATE

    # (a real minus, as the loss box and the window's numbers write it: "−1,2" was refused)
    text = text.replace("\u2212", "-")
    parts = text.replace(";", ",").split(",")
    if "_" in text:  # (Python's float read 1_0 as 10; the loss box refuses 1_000)
        raise CliError(f"{what} must be two numbers like 1.5,-2, written without '_' "
                       f"(got '{text}')")
    try:
        a, b = (float(x) for x in parts)
    except ValueError:
        raise CliError(f"{what} must be two numbers like 1.5,-2 (got '{text}')") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise CliError(f"{what} must be finite numbers")
    if max(abs(a), abs(b)) > MAX_COORDINATE:  # (what a session keeps: Ctrl+S refused it,
        # and 1e308 ended in "cannot convert float NaN to integer")
        raise CliError(f"{what} must be numbers from {-MAX_COORDINATE:,.0f} to "
                       f"{MAX_COORDINATE:,.0f} (got '{text}')")
    return a, b


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse what would be ignored or would hang, before anything starts: an empty path (a
    script's unset variable opened the window and waited for ever), ``--export`` with
    ``--screenshot`` (one was silently dropped), run options with ``--session`` (ignored, and
    not even checked), an export's frame rate out of range, a screenshot that is not a PNG."""
    check_values(args)
    if args.export and args.screenshot:
        raise CliError("--export and --screenshot each write a file: use one of them")
    if args.session:
        given = [f"--{name}" for name in RUN_OPTIONS if getattr(args, name) is not None]
        if given:
            raise CliError(f"{', '.join(given)} cannot be combined with --session: the "
                           "session holds its runs")
    for flag, value in (("--fps", args.fps), ("--export-view", args.export_view)):
        if value is not None and not args.export:  # (ignored without a word)
            raise CliError(f"{flag} is for --export (it changes nothing else)")
    if args.fps is not None and not MIN_FPS <= args.fps <= 60:
        raise CliError(f"--fps must be between {MIN_FPS:g} and 60 (got {args.fps:g})")
    if args.screenshot and not str(args.screenshot).lower().endswith(".png"):
        raise CliError(f"--screenshot writes a PNG: give a path ending in .png "
                       f"(got '{args.screenshot}')")
    # (an export's path was refused only after the window and its frames were made: 4 s for
    # a.txt, 8 s for a folder, all 63 frames rendered for /proc/a.gif)
    if args.export and os.path.splitext(str(args.export))[1].lower() not in EXPORT_FORMATS:
        raise CliError(f"--export must end in .gif, .mp4, .png or .svg (got '{args.export}')")
    if args.fps is not None and args.export and \
            os.path.splitext(str(args.export))[1].lower() in (".png", ".svg"):
        raise CliError("--fps is for an animation (.gif or .mp4): a still has no frame rate")
    if args.export and str(args.export).lower().endswith(".svg") and \
            args.export_view not in (None, "map"):  # (refused before the window is built)
        raise CliError("an SVG is of the map: use --export-view map (or .png for the other "
                       "views)")
    for flag, path in (("--screenshot", args.screenshot), ("--export", args.export)):
        if path:
            check_writable(flag, str(path))


EXPORT_FORMATS = (".gif", ".mp4", ".png", ".svg")


def check_writable(flag: str, path: str) -> None:
    """Refuse a file that could not be written, before anything is drawn: a folder, a
    device, a read-only file, or a folder where no file can be made."""
    import tempfile

    from gdviz.core.atomic import check_replaceable

    target = os.path.realpath(path)
    try:
        check_replaceable(target)
        with tempfile.NamedTemporaryFile(dir=os.path.dirname(target) or ".", prefix=".gdviz-"):
            pass
    except OSError as err:
        raise CliError(f"{flag}: cannot write {path}: {err.strerror or err}") from None


def check_values(args: argparse.Namespace) -> None:
    """Refuse an empty path, preset, loss, start or size (``--print --preset ""`` printed the
    lecture's; ``--start=`` ran from the default start, ``--size=`` made 1600 × 1000)."""
    for flag in ("screenshot", "export", "session", "preset", "loss", "start", "size"):
        value = getattr(args, flag, None)
        if value is not None and not str(value).strip():
            raise CliError(f"--{flag} needs a value (got an empty one)")


def check_display(environ=os.environ) -> None:
    """Refuse to start Qt with no display to show a window on (on Linux Qt aborted with a
    core dump and a page of plugin messages)."""
    platform = environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    needs = {"": ("DISPLAY", "WAYLAND_DISPLAY"), "xcb": ("DISPLAY",),
             "wayland": ("WAYLAND_DISPLAY",)}.get(platform, ())  # (offscreen etc.: none)
    if sys.platform.startswith("linux") and needs and not any(environ.get(v) for v in needs):
        raise CliError("no display to open a window on: run it under xvfb-run (for "
                       "--screenshot or --export too), or set QT_QPA_PLATFORM=offscreen "
                       "(without the 3D view)")
    display = environ.get("DISPLAY", "")
    if sys.platform.startswith("linux") and "DISPLAY" in needs and not any(
            environ.get(v) for v in needs if v != "DISPLAY") and no_local_x(display):
        # (a stale DISPLAY over ssh or tmux: Qt aborted with a core dump, after "xcb-cursor0
        # is needed… reinstalling the application may fix this problem")
        raise CliError(f"cannot open the display {display}: no X server runs there (a "
                       "display left from another session?); run it under xvfb-run, or set "
                       "DISPLAY to a running one")


def _join_negative_values(argv: list[str]) -> list[str]:
    # argparse reads "--start -1,2" as two options; join such values to "--start=-1,2".
    out: list[str] = []
    i = 0
    while i < len(argv):
        value = argv[i + 1] if i + 1 < len(argv) else ""
        # (a loss may start with any minus: --loss -x^2 read as an option "-x^2")
        if argv[i] in ("--start", "--lr", "--loss") and value.startswith("-") \
                and len(value) > 1 and (value[1].isdigit() or value[1] == "."
                                        or (argv[i] == "--loss" and value[1] != "-")):
            out.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def preset_of_text(text: str) -> str | None:
    """The name of the preset whose loss is ``text`` (spaces aside), if any."""
    from gdviz.core.presets import load_presets

    squeezed = "".join(text.split())
    return next((p.name for p in load_presets()
                 if "".join(p.loss.split()) == squeezed), None)


def resolve_options(args: argparse.Namespace, parse: bool = True):
    """Validate the loss and run options; return ``(LaunchOptions, Loss, Preset)``.

    ``parse=False`` (a window on a preset: trusted text) checks the options without sympy,
    so the window's first frame does not wait for it; the Loss is then None. A ``--loss``
    that is a preset's own becomes ``--preset`` of it, in ``args``.
    """
    from gdviz.core.presets import DEFAULT_PRESET, get_preset
    from gdviz.core.session_checks import MAX_COORDINATE, MAX_STEPS
    from gdviz.launch import LaunchOptions

    start = _parse_pair(args.start, "--start") if args.start else None
    if args.loss is not None and not args.preset:
        # A preset's own loss is that preset, its map and runs with it: the lecture's loss
        # typed on a handout's command line opened as "Custom", η 0.1 on ±3, not as the
        # class saw it (the other options still apply over it).
        # (``args`` itself: the window is opened from it)
        same = preset_of_text(args.loss)
        if same is not None:
            args.loss, args.preset = None, same
    if args.steps is not None and not 1 <= args.steps <= MAX_STEPS:
        raise CliError(f"--steps must be between 1 and {MAX_STEPS}")
    if args.lr is not None and not (0 < args.lr <= MAX_COORDINATE):
        raise CliError(f"--lr must be a positive number, at most {MAX_COORDINATE:,.0f}")
    try:
        preset = get_preset(args.preset or DEFAULT_PRESET)
    except (KeyError, ValueError) as err:
        raise CliError(str(err).strip("'\"")) from None
    text = args.loss if args.loss is not None else preset.loss
    # The preset's own name, however it was typed (``--preset linear-regression``).
    opts = LaunchOptions(loss=args.loss, preset=preset.name if args.preset else None,
                         optimizer=args.optimizer, lr=args.lr, start=start, steps=args.steps)
    if not parse and args.loss is None:
        return opts, None, preset
    from gdviz.core.descent import descend
    from gdviz.core.loss import parse_loss
    from gdviz.core.sandbox import time_limit

    with time_limit():
        loss = parse_loss(text)
    try:
        descend(loss, start or preset.start, args.optimizer or preset.optimizer,
                opts.learning_rate(preset), 1)
    except ValueError as err:
        raise CliError(str(err)) from None
    return opts, loss, preset


def print_csv(args: argparse.Namespace, out=None) -> None:
    """Write the first run's trajectory as CSV (to stdout by default)."""
    out = sys.stdout if out is None else out
    from gdviz.core.descent import descend
    from gdviz.core.grid import domain_tol

    opts, loss, preset = resolve_options(args)
    # (converged as in the window: ‖∇f‖ below 1e-6 of the map's typical slope, for a
    # tiny-valued loss)
    traj = descend(loss, opts.start or preset.start, opts.optimizer or preset.optimizer,
                   opts.learning_rate(preset), opts.steps or preset.steps,
                   domain_tol(loss, opts.domain(preset)))
    a, b = loss.variables
    out.write(f"step,{a},{b},loss,d{a},d{b},grad_norm\n")
    for k, ((pa, pb), f, (ga, gb), n) in enumerate(zip(traj.points, traj.losses,
                                                        traj.gradients, traj.grad_norms,
                                                        strict=True)):
        row = ",".join(repr(float(v)) for v in (pa, pb, f, ga, gb, n))
        out.write(f"{k},{row}\n")
    print(f"# {traj.message()}", file=sys.stderr)


def _import_pure_modules_first() -> None:
    """Import what the window's first frame needs from outside Qt *before* PySide6.

    PySide6 hooks every later import and reads the new module's source (to look for its
    ``__feature__`` switches): a few milliseconds per module, for nothing.
    """
    import numpy  # noqa: F401

    import gdviz.core.grid  # noqa: F401
    import gdviz.core.presets  # noqa: F401
    import gdviz.core.preview  # noqa: F401
    import gdviz.core.session  # noqa: F401


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python main.py`` and the ``gdviz`` console script."""
    from gdviz.core.errors import LossError
    from gdviz.ui.gc_tuning import pause_collector, resume_collector

    # No garbage collection while the app launches (see gdviz.ui.gc_tuning); the window turns
    # it back on once it has started, anything else on the way out.
    try:
        pause_collector()
        argv = _join_negative_values(list(sys.argv[1:] if argv is None else argv))
        check_repeats(argv)
        args = build_parser().parse_args(argv)
        if args.list_presets or args.print_csv:
            resume_collector()  # (only a window's launch is worth the pause)
        if args.list_presets:
            from gdviz.core.presets import load_presets

            others = [{"print_csv": "--print"}.get(name, f"--{name.replace('_', '-')}")
                      for name, value in vars(args).items()
                      if name != "list_presets" and value is not None and value is not False]
            if others:  # (ignored without a word: --list-presets --screenshot x.jpg said 0)
                raise CliError(f"--list-presets lists the presets only; it cannot be "
                               f"combined with {', '.join(others)}")

            for p in load_presets():
                print(f"{p.name:18s} {p.loss}")
            return 0
        if args.print_csv:
            if args.session:
                raise CliError("--print works with --loss or --preset, not --session")
            # (it writes CSV and opens no window: these would have been ignored silently)
            extra = [flag for flag, value in (("--export", args.export),
                                              ("--screenshot", args.screenshot),
                                              ("--size", args.size), ("--fps", args.fps),
                                              ("--export-view", args.export_view))
                     if value is not None]
            if extra:
                raise CliError(f"--print writes CSV only; it cannot be combined with "
                               f"{' or '.join(extra)}")
            check_values(args)
            print_csv(args)
            return 0
        check_arguments(args)
        if args.session:
            from gdviz.core.sandbox import time_limit
            from gdviz.core.session import SessionError, load_session

            try:
                with time_limit():
                    session = load_session(args.session)
                # (the window's own view options too, before the window is built: "speed":
                # 0 failed only once the whole window was up, 14-18 s on)
                from gdviz.ui.sessions import precheck_session

                precheck_session(session)
            except SessionError as err:  # (the file named: "the file is empty" said which?)
                message = str(err)
                raise CliError(message if args.session in message
                               else f"{args.session}: {message}") from None
        else:
            session = None
            _, args.parsed_loss, _ = resolve_options(args, parse=False)
        check_display()
        _import_pure_modules_first()
        from gdviz.ui.app import run_app
        from gdviz.ui.crash_dialog import install_exception_handler

        install_exception_handler()
        return run_app(args, session)
    except LossError as err:
        print(f"gdviz: error: bad loss: {err.message}", file=sys.stderr)
    except CliError as err:
        print(f"gdviz: error: {err}", file=sys.stderr)
    except BrokenPipeError:  # `gdviz --print | head`: the reader left, nothing is wrong
        # Point stdout at /dev/null so the interpreter's final flush stays quiet too.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except (ValueError, OSError) as err:
        print(f"gdviz: error: {err}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    finally:
        resume_collector()

    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
