"""Whether a local X display answers: the command line checks it before Qt starts (with a
stale DISPLAY Qt aborted with a core dump)."""

from __future__ import annotations


def no_local_x(display: str) -> bool:
    """Whether ``display`` names a local X server (":1", "unix:1.0") that nothing answers
    on, by its socket (the file, or Linux's abstract one of the same name) or, as X falls
    back to it, TCP port 6000 + N here; False for a remote one (host:1), left to Qt."""
    try:  # (the C module alone: ``socket`` makes its enum classes too, 3 ms of each launch)
        import _socket as socket
    except ImportError:
        import socket

    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if host not in ("", "unix") or not number.isdigit():
        return False
    tries = [(socket.AF_UNIX, f"/tmp/.X11-unix/X{number}"),
             (socket.AF_UNIX, f"\0/tmp/.X11-unix/X{number}")]
    if int(number) < 60000:  # (and TCP on this machine, where X falls back to it: WSL1's
        tries.append((socket.AF_INET, ("127.0.0.1", 6000 + int(number))))  # VcXsrv at :0)
    for family, address in tries:
        probe = socket.socket(family, socket.SOCK_STREAM)
        try:
            probe.settimeout(1.0)
            probe.connect(address)
            return False
        except OSError:
            continue
        finally:
            probe.close()
    return True
