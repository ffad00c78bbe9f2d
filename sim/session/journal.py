"""A recorded exercise: every command committed to the session store before it takes effect.

:class:`RecordedExercise` is an :class:`~sim.engine.Exercise` whose ``submit`` first commits
the command to its :class:`Journal`; only then does the engine apply it. A command the engine
refuses stays in the store marked refused (never replayed). So a crash at any instant loses
nothing that took effect: resuming replays exactly the commands that were committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.commands import Command, LoggedCommand
from sim.engine import Exercise, ExerciseError
from sim.schema import Scenario
from sim.session.store import SessionStore


@dataclass(slots=True)
class Journal:
    """Where a recorded exercise commits its commands: one session of one store.

    It remembers the last command it knows of and how many are undone, so that a second
    console writing to the same session (a command, or an undo) is noticed at the next command
    or undo (and that one refused) instead of interleaving.
    """

    store: SessionStore
    session_id: int
    last: int | None = None
    """Seq of the session's last command as this journal knows it (None: read it now)."""
    undone: int | None = None
    """How many of the session's commands are undone, as this journal knows (None: read it)."""

    def __post_init__(self) -> None:
        if self.last is None or self.undone is None:
            self.last, self.undone = self.store.log_mark(self.session_id)

    def append(self, at: float, command: Command) -> int:
        seq = self.store.append(self.session_id, at, command, after=self.last, undone=self.undone)
        self.last = seq
        return seq

    def undo_last(self) -> int | None:
        """Mark the last command (not a clock step) undone, unless another console changed the
        session meanwhile (StoreError); its seq, or None if there is nothing to undo."""
        seq = self.store.undo_last(self.session_id, after=self.last, undone=self.undone)
        if seq is not None:
            assert self.undone is not None
            self.undone += 1
        return seq

    def refused(self, seq: int) -> None:
        self.store.mark_refused(self.session_id, seq)

    def finished(self) -> None:
        self.store.set_status(self.session_id, "finished")


class RecordedExercise(Exercise):
    """An exercise that commits each command to its journal (if any) before applying it."""

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        super().__init__(scenario, seed)
        self.journal: Journal | None = None

    def submit(self, command: Command) -> LoggedCommand:
        journal = self.journal
        if journal is None:
            return super().submit(command)
        was_finished = self.finished
        seq = journal.append(self.now, command)  # StoreError: nothing applied
        try:
            entry = super().submit(command)
        except ExerciseError:
            journal.refused(seq)
            raise
        if self.finished and not was_finished:
            journal.finished()
        return entry


def start_session(
    store: SessionStore,
    scenario: Scenario,
    scenario_text: str,
    scenario_path: str | Path,
    seed: int | None = None,
    *,
    origin: str = "console",
) -> RecordedExercise:
    """Record a new session in the store and return its exercise, journalled from the start."""
    exercise = RecordedExercise(scenario, seed)
    sid = store.create(
        scenario_text=scenario_text,
        scenario_path=_absolute(scenario_path),
        scenario_id=scenario.scenario.id,
        seed=exercise.seed,
        players=exercise.players,
        origin=origin,
    )
    exercise.journal = Journal(store, sid)
    return exercise


def _absolute(path: str | Path) -> str:
    try:
        return str(Path(path).resolve())
    except OSError:
        return str(path)
