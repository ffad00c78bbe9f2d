"""Replay: a scenario, a seed and a command log rebuild the same exercise, record for record."""

from __future__ import annotations

from collections.abc import Iterable

from sim.commands import Command, LoggedCommand
from sim.engine import Exercise, ExerciseError
from sim.schema import Scenario


def replay(
    scenario: Scenario, seed: int | None, commands: Iterable[LoggedCommand | Command]
) -> Exercise:
    """A new exercise with every command submitted again, in order.

    Logged commands are submitted at the scenario time they were asked at: moving the clock is
    itself a command (``Advance``), so the clock is normally there already; a log written by
    a caller that moved the clock without commands is caught up to each command's time.
    Raises ExerciseError if the log asks for something the exercise refuses (a log from
    another scenario or seed, or edited by hand).
    """
    ex = Exercise(scenario, seed)
    for entry in commands:
        if isinstance(entry, LoggedCommand):
            if entry.at < ex.now:
                raise ExerciseError(
                    f"command {entry.seq} was asked at t={entry.at:g}, before the replay's "
                    f"clock (t={ex.now:g}): the log is out of order"
                )
            if entry.at > ex.now and not ex.finished:
                ex.catch_up(entry.at)
            command = entry.command
        else:
            command = entry
        try:
            ex.submit(command)
        except ExerciseError as exc:
            where = f"command {entry.seq}" if isinstance(entry, LoggedCommand) else "a command"
            raise ExerciseError(f"{where} ({command.kind}) cannot be replayed: {exc}") from None
    return ex
