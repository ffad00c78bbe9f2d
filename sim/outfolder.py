"""Output folders written whole or not at all (no click here): the folder counterpart of
:mod:`sim.outfile`, for a command that writes several files (`tabletop pack`).

The command writes every file into a fresh temporary folder first; only when all are written
do they move into the target, so a failure part-way (a renderer's error, a full disk, Ctrl-C,
a folder where one of the files goes) leaves the target exactly as it was and removes the
temporary folder:

- A target that does not exist is made in one step: the temporary folder (beside it, so on
  the same filesystem) is renamed to it. Missing parent folders are made first, and removed
  again if the command fails.
- A target that exists keeps every file the command does not write (a user's own notes stay).
  The temporary folder is made inside it (a hidden ``.tabletop-*.part``, the one place sure to
  be on the same filesystem and writable), and each file the command wrote replaces its
  namesake by an atomic rename, keeping the old file's mode. Before the first rename every
  namesake is checked (a folder, a FIFO or a device there stops it all, with nothing changed),
  and if a rename still fails, or Ctrl-C comes, the files already moved are put back as they
  were. A namesake that is a symbolic link is replaced by the file; what it pointed to stays.

Only a kill (SIGKILL, a power cut) can leave a hidden ``.*.part`` folder behind, or, during
the few renames at the very end, some new files beside old ones. The next write to the same
target removes such a folder once it is clearly abandoned (:mod:`sim.leftovers`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sim.leftovers import remove_stale_folders
from sim.outfile import path_too_long, temporary_prefix, too_long


def _new_folder_mode() -> int:
    """The mode a plain mkdir() would give a new folder (0o777 less the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o777 & ~mask


def _make_parents(folder: Path) -> list[Path]:
    """Make folder and its missing parents; the folders made, outermost first."""
    missing: list[Path] = []
    while not os.path.lexists(folder) and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    made: list[Path] = []
    try:
        for path in reversed(missing):
            os.mkdir(path)
            made.append(path)
    except BaseException:
        _remove_empty(made)
        raise
    return made


def _remove_empty(made: list[Path]) -> None:
    for path in reversed(made):
        with contextlib.suppress(OSError):
            os.rmdir(path)


def _checked(stage: Path, target: Path, replace: bool) -> list[tuple[str, bool]]:
    """Each file in stage and whether the target has a namesake, after checking that every
    namesake may be replaced (a file or a link, and only with ``replace``): OSError naming
    the first that may not."""
    plan: list[tuple[str, bool]] = []
    for name in sorted(os.listdir(stage)):
        dest = target / name
        try:
            mode = os.lstat(dest).st_mode
        except FileNotFoundError:
            plan.append((name, False))
            continue
        if not replace:
            raise FileExistsError(errno.EEXIST, "exists; not overwritten", str(dest))
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(dest))
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise OSError(errno.EEXIST, "not a regular file", str(dest))
        if stat.S_ISREG(mode):
            os.chmod(stage / name, stat.S_IMODE(mode))
        plan.append((name, True))
    return plan


def _keep(dest: Path, backup: Path) -> None:
    """Keep the old file under backup: a hard link (dest stays in place), else a rename."""
    try:
        os.link(dest, backup, follow_symlinks=False)
    except OSError:
        os.replace(dest, backup)


def _move_files_in(stage: Path, target: Path, replace: bool) -> None:
    """Move each file of stage over its namesake in target (without ``replace``: only where
    there is none), all or none."""
    plan = _checked(stage, target, replace)
    backups = Path(tempfile.mkdtemp(prefix=".old-", dir=stage))
    moved: list[tuple[str, bool]] = []
    try:
        for name, had in plan:
            if had:
                _keep(target / name, backups / name)
            moved.append((name, had))
            if replace:
                os.replace(stage / name, target / name)
            else:  # a link cannot take the place of a file made meanwhile
                os.link(stage / name, target / name)
                os.unlink(stage / name)
    except BaseException:
        for name, had in reversed(moved):
            with contextlib.suppress(OSError):
                if had:
                    os.replace(backups / name, target / name)
                elif not os.path.lexists(stage / name) or os.path.samefile(
                    stage / name, target / name
                ):  # it was moved (or linked): take it out again
                    os.unlink(target / name)
        raise


def write_staged(path: Path, text: str, *, newline: str | None = None) -> None:
    """Write one file (UTF-8) into the temporary folder; an OSError names the file (a full
    disk names none), and :func:`whole_folder` says it by the name it was going to have."""
    try:
        with open(path, "w", encoding="utf-8", newline=newline) as handle:
            handle.write(text)
    except OSError as exc:
        if exc.filename is None:
            exc.filename = str(path)
        raise


def _as_given(path: str, folders: tuple[Path, ...], out: str | os.PathLike[str]) -> str:
    """A path in the temporary folder or the target, as the user named the target: the file
    being written is named by where it was going, not by where it was built."""
    for folder in folders:
        inside = os.path.relpath(os.path.abspath(path), folder)
        if inside != os.pardir and not inside.startswith(os.pardir + os.sep):
            return os.path.normpath(os.path.join(out, inside))
    return path


@contextlib.contextmanager
def whole_folder(out: str | os.PathLike[str], *, replace: bool = True) -> Iterator[Path]:
    """Yield an empty temporary folder to write files into; when the block ends without an
    exception, move them into ``out`` (see the module's docstring), all or none. Without
    ``replace``, a file already in ``out`` under one of their names stops it all
    (FileExistsError naming it), and none is ever overwritten.

    On any exception (KeyboardInterrupt too) the temporary folder and any parent folders made
    for ``out`` are removed, ``out`` is left as it was, and the exception goes on. An OSError
    in making the folders names ``out``; one about a namesake in ``out`` names that entry.
    """
    target = Path(os.path.abspath(out))
    fresh = not os.path.isdir(target)
    if fresh and os.path.lexists(target):
        broken = os.path.islink(target) and not os.path.exists(target)
        why = "a broken symbolic link (its target is missing)" if broken else None
        raise NotADirectoryError(errno.ENOTDIR, why or os.strerror(errno.ENOTDIR), str(out))
    remove_stale_folders(target.parent, temporary_prefix(target.name), ".part", target)
    if not fresh:
        remove_stale_folders(target, ".tabletop-", ".part", target)
    made: list[Path] = []
    try:
        if fresh:
            made = _make_parents(target.parent)
            stage = Path(
                tempfile.mkdtemp(
                    prefix=temporary_prefix(target.name), suffix=".part", dir=target.parent
                )
            )
        else:
            stage = Path(tempfile.mkdtemp(prefix=".tabletop-", suffix=".part", dir=target))
    except OSError as exc:
        _remove_empty(made)
        if exc.errno == errno.ENAMETOOLONG and path_too_long(target):
            raise too_long(
                out, target, "the files in the hidden folder they are first built in"
            ) from None
        raise type(exc)(exc.errno, exc.strerror, str(out)) from None
    try:
        yield stage
        if fresh:
            os.chmod(stage, _new_folder_mode())
            try:
                os.rename(stage, target)
            except OSError as exc:  # made meanwhile, and not empty: as for an existing one
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not target.is_dir():
                    raise
                _move_files_in(stage, target, replace)
        else:
            _move_files_in(stage, target, replace)
    except BaseException as exc:
        shutil.rmtree(stage, ignore_errors=True)
        _remove_empty(made)
        if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG and path_too_long(target):
            raise too_long(
                out, target, "the files in the hidden folder they are first built in"
            ) from None
        if isinstance(exc, OSError) and isinstance(exc.filename, str):
            exc.filename = _as_given(exc.filename, (stage, target), out)
        raise
    shutil.rmtree(stage, ignore_errors=True)
