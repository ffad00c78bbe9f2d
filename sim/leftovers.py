"""Temporary files and folders a killed write left behind, removed by a later write to the
same place (no click here).

A write that is killed (SIGKILL, a power cut) cannot remove its hidden temporary name
(:mod:`sim.outfile`, :mod:`sim.outfolder`). The next write to the same destination removes
such a leftover when it is clearly abandoned, and only then:

- its name is one a tabletop write to that destination makes: the same hidden prefix, the
  eight random characters of :mod:`tempfile` (or a new session store's process id and eight
  hexadecimal digits), and the same ending (``.part``, ``.old``; ``.new`` and SQLite's
  ``.new-journal``, ``.new-wal``, ``.new-shm`` for a store);
- it is a plain file (a folder, for a folder's temporaries), never a symbolic link;
- it belongs to the user writing now;
- nothing has written to it, or changed it, for :data:`STALE_AFTER` (its last modification
  and its last change both that old; one in the future is never old). A tabletop write holds
  its temporary for seconds, so a day-old one has no writer left, on this machine or another
  sharing the folder (a process id would say nothing about another machine's writers);
- a temporary folder is kept if it holds the only copy of a file it was replacing (a file of
  its ``.old-*`` backups whose namesake is missing from the destination).

Removal is best effort: a leftover that cannot be removed stays, and the write goes on. At
most :data:`MAX_LOOKED_AT` entries of a folder are looked at, so a huge folder costs no more.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import time
from pathlib import Path

STALE_AFTER = 24 * 60 * 60
"""Seconds without a change after which a temporary name is abandoned (a day)."""

MAX_LOOKED_AT = 10_000
"""Entries of a folder looked at by one write, at most."""

_RANDOM = "[a-z0-9_]{8}"
"""What tempfile.mkstemp and mkdtemp put between prefix and suffix."""


def _now() -> float:
    return time.time()


def _abandoned(found: os.stat_result) -> bool:
    mine = getattr(os, "geteuid", None)
    if mine is not None and found.st_uid != mine():
        return False
    return _now() - max(found.st_mtime, found.st_ctime) > STALE_AFTER


def _leftovers(
    folder: str | os.PathLike[str], prefix: str, suffixes: tuple[str, ...], middle: str = _RANDOM
) -> list[str]:
    """The names in folder that a write with prefix and one of suffixes may have left."""
    pattern = re.compile(
        re.escape(prefix) + middle + "(?:" + "|".join(re.escape(s) for s in suffixes) + ")"
    )
    names: list[str] = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for looked_at, entry in enumerate(entries):
            if looked_at >= MAX_LOOKED_AT:
                break
            if pattern.fullmatch(entry.name):
                names.append(entry.name)
    return names


def remove_stale_files(
    folder: str | os.PathLike[str], prefix: str, suffixes: tuple[str, ...], middle: str = _RANDOM
) -> None:
    """Remove the abandoned temporary files (see the module) named prefix + random + suffix
    (``middle``: a regular expression for what a writer puts in place of tempfile's random
    part)."""
    for name in _leftovers(folder, prefix, suffixes, middle):
        path = os.path.join(folder, name)
        with contextlib.suppress(OSError):
            found = os.lstat(path)
            if stat.S_ISREG(found.st_mode) and _abandoned(found):
                os.unlink(path)


def remove_stale_folders(
    folder: str | os.PathLike[str], prefix: str, suffix: str, destination: Path
) -> None:
    """Remove the abandoned temporary folders (see the module) named prefix + random + suffix
    in folder, made to write files into destination."""
    for name in _leftovers(folder, prefix, (suffix,)):
        path = os.path.join(folder, name)
        with contextlib.suppress(OSError):
            found = os.lstat(path)
            if (
                stat.S_ISDIR(found.st_mode)
                and _abandoned(found)
                and _no_only_copy(Path(path), destination)
            ):
                shutil.rmtree(path)


def _no_only_copy(stage: Path, destination: Path) -> bool:
    """False if a backup in stage (.old-*/NAME) is a file missing from destination: a write
    killed while moving it aside, whose only copy is there."""
    for backups in stage.glob(".old-*"):
        if backups.is_symlink() or not backups.is_dir():
            continue
        for kept in backups.iterdir():
            if not os.path.lexists(destination / kept.name):
                return False
    return True
