"""Undo: take back the last command (a wrong adjustment, a choice keyed by mistake).

The exercise is rebuilt by replaying every command but that one. Moving the clock is not
undone (the room's time has passed): the last command other than an Advance is taken back.
In a recorded session the undone command stays in the store, marked undone (the audit trail).
"""

from __future__ import annotations

import contextlib

from sim.commands import Advance, Command
from sim.engine import ExerciseError
from sim.session.journal import RecordedExercise
from sim.session.resume import replay_stored


def undo_last(exercise: RecordedExercise) -> tuple[RecordedExercise, Command]:
    """A new exercise without the last command (not an Advance), and the command undone.

    Raises ExerciseError when there is nothing to undo.
    """
    journal = exercise.journal
    if journal is None:
        log = exercise.command_log
        index = next(
            (i for i in range(len(log) - 1, -1, -1) if not isinstance(log[i].command, Advance)),
            None,
        )
        if index is None:
            raise ExerciseError("there is nothing to undo")
        kept = [entry.command for entry in log[:index] + log[index + 1 :]]
        rebuilt = RecordedExercise(exercise.scenario, exercise.seed)
        for command in kept:
            _submit_quietly(rebuilt, command)
        return rebuilt, log[index].command
    store, sid = journal.store, journal.session_id
    seq = journal.undo_last()
    if seq is None:
        raise ExerciseError("there is nothing to undo")
    undone = next(c for c in store.commands(sid, everything=True) if c.seq == seq)
    replayed = replay_stored(
        exercise.scenario, exercise.seed, store.commands(sid), store=store, session_id=sid
    )
    rebuilt = replayed.exercise
    rebuilt.journal = journal
    store.set_status(sid, "finished" if rebuilt.finished else "live")
    return rebuilt, undone.command


def _submit_quietly(exercise: RecordedExercise, command: Command) -> None:
    # Only Advance commands follow the undone one: they are not refused while running.
    with contextlib.suppress(ExerciseError):
        exercise.submit(command)
