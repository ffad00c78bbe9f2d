"""Output files written whole or not at all (no click here).

A command writes its result beside the target and renames it over the target in one step,
so a write that fails half-way (a full disk, a size limit, Ctrl-C) leaves the previous file
as it was and no half-written file in its place. A target that is not a regular file (a
device such as /dev/null or /dev/full, a FIFO) is written directly, and /dev/stdout (or
/dev/fd/N) is appended to, as the shell opened it; a symbolic link is followed, so the link
stays and its target gets the new text.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from typing import IO, Any


def _new_file_mode() -> int:
    """The mode a plain open() would give a new file (0o666 less the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_STREAM = re.compile(r"/dev/(stdout|stderr|fd/[0-9]+)|/proc/(self|[0-9]+)/fd/[0-9]+")
"""A stream this process was given (`--out /dev/stdout >> all.txt`): written where the shell
opened it, appending as it does (never truncated, never replaced)."""


def write_text_file(path: str, text: str, *, newline: str | None = None) -> None:
    """Write text (UTF-8) to path whole, or raise OSError and leave path as it was."""
    _write_whole(path, text, newline)


def write_bytes_file(path: str, data: bytes) -> None:
    """Write bytes (a PDF) to path whole, or raise OSError and leave path as it was."""
    _write_whole(path, data, None)


def _open(target: str | int, how: str, data: str | bytes, newline: str | None) -> IO[Any]:
    if isinstance(data, bytes):
        return open(target, how + "b")
    return open(target, how, encoding="utf-8", newline=newline)


def _write_whole(path: str, data: str | bytes, newline: str | None) -> None:
    if _STREAM.fullmatch(os.path.normpath(path)):
        with _open(path, "a", data, newline) as handle:
            handle.write(data)
        return
    target = os.path.realpath(path)
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with _open(target, "w", data, newline) as handle:
            handle.write(data)
        return
    folder, name = os.path.split(target)
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    try:
        with _open(fd, "w", data, newline) as handle:
            handle.write(data)
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else _new_file_mode())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
