"""Atomic file writes: the target holds either its old content or the new, never a mix.

The data goes to a temporary file in the target's directory (same file system, so the final
rename is atomic), is flushed and ``fsync``-ed, and then ``os.replace`` moves it over the
target. If anything fails on the way, the temporary file is removed and the error re-raised;
the target is untouched. If the process is killed mid-write, the target is still intact; only a
hidden ``.NAME.*.tmp`` file may remain next to it.

Examples
--------
>>> import pathlib, tempfile
>>> target = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
>>> atomic_write_text(target, "hello")
>>> target.read_text()
'hello'
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat

CHUNK_SIZE = 1 << 20  # bytes per os.write call
_TEMP_ATTEMPTS = 100


def _open_temp(directory: str, name: str) -> tuple[int, str]:
    """Create a new, empty, private-to-us temporary file next to the target.

    Opened with ``O_EXCL`` and mode ``0o666`` so the user's umask decides the permissions,
    as it would for a file written the ordinary way (``mkstemp`` would force ``0o600``).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    for _ in range(_TEMP_ATTEMPTS):
        temp = os.path.join(directory, f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file in {directory}")


def _fsync_directory(directory: str) -> None:
    """Make the rename durable where the platform allows it (POSIX); ignore failures."""
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def check_replaceable(target: str) -> None:
    """Refuse to replace what an ordinary write could not: the rename needs only the
    folder's permission, so a read-only file was replaced anyway, and an export run as root
    replaced the device /dev/full with a PNG.

    Raises
    ------
    OSError
        ``target`` is a folder, not an ordinary file, or read-only.
    """
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder", target)
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, "it is not an ordinary file", target)
    if not st.st_mode & 0o222:
        raise PermissionError(errno.EACCES, "the file is read-only", target)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace the file at ``path`` with ``data``, atomically.

    Parameters
    ----------
    path
        The target file. A symbolic link is followed, so the file it points to is replaced
        and the link survives.
    data
        The complete new content.

    Raises
    ------
    OSError
        If the directory is not writable, the disk is full, the target is read-only or not
        an ordinary file, and so on. The target then still holds its previous content (or
        still does not exist) and no temporary file remains.
    """
    target = os.path.realpath(os.fspath(path))
    check_replaceable(target)
    directory, name = os.path.split(target)
    view = memoryview(bytes(data))
    fd, temp = _open_temp(directory or ".", name)
    try:
        try:
            offset = 0
            while offset < len(view):
                offset += os.write(fd, view[offset:offset + CHUNK_SIZE])
            os.fsync(fd)
        finally:
            os.close(fd)
        if os.path.exists(target):
            # Keep the permissions of the file being replaced (not on Windows: no chmod bits).
            with contextlib.suppress(OSError, NotImplementedError):
                os.chmod(temp, os.stat(target).st_mode & 0o7777)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_directory(directory or ".")


def replace_with(temp: str, path: str | os.PathLike[str]) -> None:
    """Move the finished file ``temp`` (in the target's folder) over ``path`` as
    :func:`atomic_write_bytes` does: a link followed, the replaced file's permissions kept,
    refused where an ordinary write could not replace it (a GIF export replaced a read-only
    file, a device, and a link rather than the file it points to).

    Raises
    ------
    OSError
        As :func:`check_replaceable`, or the rename failing; ``temp`` is left to the caller.
    """
    target = os.path.realpath(os.fspath(path))
    check_replaceable(target)
    if os.path.exists(target):
        with contextlib.suppress(OSError, NotImplementedError):
            os.chmod(temp, os.stat(target).st_mode & 0o7777)
    os.replace(temp, target)
    _fsync_directory(os.path.dirname(target) or ".")


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Replace the file at ``path`` with ``text`` encoded as ``encoding``, atomically.

    Newlines are written exactly as they are in ``text`` (no platform translation).

    Parameters
    ----------
    path
        The target file.
    text
        The complete new content.
    encoding
        Text encoding, UTF-8 by default.

    Raises
    ------
    OSError
        As :func:`atomic_write_bytes`; the target keeps its previous content.
    UnicodeEncodeError
        If ``text`` cannot be encoded; nothing is written.
    """
    atomic_write_bytes(path, text.encode(encoding))
