"""Output files written whole or not at all (no click here).

A command writes its result beside the target and renames it over the target in one step,
so a write that fails half-way (a full disk, a size limit, Ctrl-C) leaves the previous file
as it was and no half-written file in its place. A target that is not a regular file (a
device such as /dev/null or /dev/full, a FIFO) is written directly, and /dev/stdout (or
/dev/fd/N) is appended to, as the shell opened it; a symbolic link is followed, so the link
stays and its target gets the new text.

Only a kill (SIGKILL, a power cut) can leave a hidden temporary (``.NAME.*.part``, or a
``.NAME.*.old`` second name of the old file) behind; the next write to the same file removes
such leftovers once they are clearly abandoned (:mod:`sim.leftovers`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from typing import IO, Any

from sim.leftovers import remove_stale_files


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


def write_text_files(files: Sequence[tuple[str, str]]) -> None:
    """Write each (path, text) whole, and all or none: every regular file is first written
    beside its target, and only then are they renamed into place, one by one; if a write or
    a rename fails (or Ctrl-C comes), the temporary files are removed and the files already
    renamed are put back as they were. Raises OSError. A stream or a device (see the module)
    cannot be taken back: it is written last."""
    staged: list[tuple[str, str, bool, str]] = []  # (temporary, target, had a file, path)
    direct: list[tuple[str, str]] = []
    done: list[tuple[str, str | None, bool]] = []  # (target, the old file's second name, had)
    kept: str | None = None
    path = ""
    try:
        for path, text in files:
            target = _regular_target(path)
            if target is None:
                direct.append((path, text))
                continue
            staged.append((_staged(target, text, None), target, os.path.lexists(target), path))
        for temporary, target, had, named in staged:
            path = named
            kept = _kept(target) if had else None
            os.replace(temporary, target)
            done.append((target, kept, had))
            kept = None
    except BaseException as exc:
        if isinstance(exc, OSError):
            exc.filename, exc.filename2 = path, None  # the file as named, not its temporary
        for temporary, _, _, _ in staged:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if kept is not None:  # the rename that failed left its target as it was
            with contextlib.suppress(OSError):
                os.unlink(kept)
        for target, old, had in reversed(done):
            with contextlib.suppress(OSError):
                if old is not None:
                    os.replace(old, target)
                elif not had:
                    os.unlink(target)
        raise
    for _, old, _ in done:
        if old is not None:
            with contextlib.suppress(OSError):
                os.unlink(old)
    for path, text in direct:
        _write_whole(path, text, None)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether writing to path a would write to path b: the same name once links are resolved
    (either may not exist yet), or another name (a hard link) of one existing file."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return False


def file_identity(path: str | int) -> object | None:
    """What writing to path (or to an open file descriptor) writes to, comparable between two
    names: an existing file, stream or device as its device and inode (so a hard link, a
    symbolic link, /dev/stdout and /dev/fd/1 match their file), a file not made yet as its
    resolved name; None for the null device, which any number of outputs may share."""
    try:
        found = os.stat(path)
    except (OSError, ValueError):  # not made yet (or no such descriptor)
        if isinstance(path, int):
            return None
        with contextlib.suppress(ValueError):
            return os.path.realpath(path)
        return path
    if stat.S_ISCHR(found.st_mode) and found.st_rdev == _null_device():
        return None
    return (found.st_dev, found.st_ino)


def _null_device() -> int | None:
    try:
        return os.stat(os.devnull).st_rdev
    except OSError:
        return None


def _limit(target: str, name: str, default: int) -> int:
    """A pathconf limit of the folder nearest to target that exists (default if unknown)."""
    folder = target
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    try:
        return os.pathconf(folder, name)
    except (OSError, ValueError):
        return default


def path_too_long(target: str | os.PathLike[str]) -> bool:
    """Whether "File name too long" about the absolute path target (or a file in it) is the
    length of the whole path, not of one of its names (each of which is short enough)."""
    path = os.fspath(target)
    longest = _limit(path, "PC_NAME_MAX", 255)
    return all(len(os.fsencode(part)) <= longest for part in path.split(os.sep))


def too_long(out: str | os.PathLike[str], target: str | os.PathLike[str], built_in: str) -> OSError:
    """The one-line error (naming out, as given) for an output at the absolute path target
    that fits the system's limit on a path's length but whose temporary (built_in) would not."""
    longest = _limit(os.fspath(target), "PC_PATH_MAX", 4096) - 1  # counting the final NUL
    return OSError(
        errno.ENAMETOOLONG,
        f"its path ({len(os.fsencode(target))} bytes) is too long: with {built_in}, it would "
        f"pass this system's limit of {longest} bytes; choose a shorter path",
        os.fspath(out),
    )


def temporary_prefix(name: str) -> str:
    """The start of a temporary name beside a file (or folder) called name: a hidden name that
    says whose it is, short enough that a name as long as the filesystem allows still leaves
    room for the random part (at most 48 characters of name, 4 bytes each in UTF-8)."""
    return f".{name[:48]}."


def _kept(target: str) -> str | None:
    """A second name (a hard link) for the file at target, to put it back; None if the
    filesystem has no hard links."""
    folder, name = os.path.split(target)
    fd, kept = tempfile.mkstemp(prefix=temporary_prefix(name), suffix=".old", dir=folder)
    os.close(fd)
    os.unlink(kept)
    try:
        os.link(target, kept)
    except OSError:
        return None
    return kept


def _regular_target(path: str) -> str | None:
    """Where a file at path is written by a rename, or None for a stream or a device."""
    if _STREAM.fullmatch(os.path.normpath(path)):
        return None
    target = os.path.realpath(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    return target if stat.S_ISREG(mode) else None


def _staged(target: str, data: str | bytes, newline: str | None) -> str:
    """A temporary file beside target holding data, with target's mode (or a new file's)."""
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    folder, name = os.path.split(target)
    remove_stale_files(folder, temporary_prefix(name), (".part", ".old"))
    try:
        fd, temporary = tempfile.mkstemp(prefix=temporary_prefix(name), suffix=".part", dir=folder)
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG and path_too_long(target):
            raise too_long(target, target, "the temporary file it is first written to") from None
        raise
    try:
        with _open(fd, "w", data, newline) as handle:
            handle.write(data)
        os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else _new_file_mode())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary


def _open(target: str | int, how: str, data: str | bytes, newline: str | None) -> IO[Any]:
    if isinstance(data, bytes):
        return open(target, how + "b")
    return open(target, how, encoding="utf-8", newline=newline)


def _write_whole(path: str, data: str | bytes, newline: str | None) -> None:
    target = _regular_target(path)
    if target is None:  # a stream is appended to, as the shell opened it; a device written
        appending = _STREAM.fullmatch(os.path.normpath(path)) is not None
        with _open(
            path if appending else os.path.realpath(path), "a" if appending else "w", data, newline
        ) as handle:
            handle.write(data)
        return
    temporary = _staged(target, data, newline)
    try:
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
