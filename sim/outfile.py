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
    if _STREAM.fullmatch(os.path.normpath(path)):
        with open(path, "a", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
        return
    target = os.path.realpath(path)
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(target, "w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
        return
    folder, name = os.path.split(target)
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else _new_file_mode())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
