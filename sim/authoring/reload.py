"""Live reload for authors: a saved scenario file restarts the exercise where it was.

The headless half of `tabletop play FILE --watch`: notice that the file changed
(:class:`FileWatcher`), load it again, and replay the commands made so far on the new
scenario with the same seed (:func:`reload_file`). Replay stops at the first command the new
scenario refuses (an option or inject that no longer exists, a decision not open at that
time) and says which one and why; the exercise is kept as it stood just before it. A file
that does not load gives its problems, and the caller keeps the old exercise.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.commands import LoggedCommand
from sim.engine import Exercise, ExerciseError
from sim.problems import Problem
from sim.schema import Scenario


@dataclass(frozen=True)
class Reloaded:
    """The exercise rebuilt on the new scenario, and how much of the log still applied."""

    exercise: Exercise
    applied: int
    total: int
    stopped: str | None = None
    """Which command stopped applying, and why (None: all of them applied)."""

    def summary(self) -> str:
        if self.stopped is None:
            return f"reloaded: all {self.total} commands replayed"
        return f"reloaded: {self.applied} of {self.total} commands replayed; {self.stopped}"


def replay_what_applies(
    scenario: Scenario, seed: int | None, log: Sequence[LoggedCommand]
) -> Reloaded:
    """A new exercise with the log replayed up to the first command that no longer applies."""
    ex = Exercise(scenario, seed)
    for done, entry in enumerate(log):
        where = f"command {entry.seq} ({entry.command.kind} at t={entry.at:g})"
        try:
            if entry.at < ex.now:
                raise ExerciseError(f"the clock is already at t={ex.now:g}")
            if entry.at > ex.now and not ex.finished:
                ex.catch_up(entry.at)
            ex.submit(entry.command)
        except ExerciseError as exc:
            return Reloaded(ex, done, len(log), f"{where} no longer applies: {exc}")
    return Reloaded(ex, len(log), len(log))


def reload_file(
    path: str | os.PathLike[str], seed: int | None, log: Sequence[LoggedCommand]
) -> Reloaded | list[Problem]:
    """The reloaded exercise, or every problem of a file that no longer loads."""
    from sim.loader import check_scenario_file

    scenario, problems = check_scenario_file(path)
    if scenario is None:
        return problems
    return replay_what_applies(scenario, seed, log)


class FileWatcher:
    """Says when a file was saved: its inode, size or modification time changed.

    Editors that save by writing a new file and renaming it change the inode; editors that
    write in place change the size or time. Call :meth:`changed` from a timer.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._seen = self._signature()

    def _signature(self) -> tuple[int, int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None  # being replaced, or gone: wait for it to come back
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def changed(self) -> bool:
        now = self._signature()
        if now is None or now == self._seen:
            return False
        self._seen = now
        return True
