"""The engine driver: the only code that touches the Exercise, always under one lock.

The console calls these methods from a Textual worker thread. Each call returns the new
records and a :class:`Snapshot`: an immutable copy of everything the screens show, so the UI
thread never reads the engine while it moves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sim import events as ev
from sim.commands import Adjust, Command, Decide, End, FireInject, Note, SendInject
from sim.engine import ActiveResponse, Exercise, ExerciseError, MselEntry, OpenDecision, Rating
from sim.schema import Scenario


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the console shows, copied from the engine at one moment."""

    now: float
    clock: datetime
    finished: bool
    horizon: float
    records: tuple[ev.Event, ...]
    players_records: tuple[ev.Event, ...]
    msel_controller: tuple[MselEntry, ...]
    msel_players: tuple[MselEntry, ...]
    standing: tuple[Rating, ...]
    variables: dict[str, float]
    busy: dict[str, tuple[int, int]]
    active: tuple[ActiveResponse, ...]
    open_decisions: tuple[OpenDecision, ...]
    players: tuple[str, ...] = field(default=())

    def visible(self, controller: bool) -> tuple[ev.Event, ...]:
        """The records this view may show (see ``Exercise.visible``)."""
        return self.records if controller else self.players_records

    def msel(self, controller: bool) -> tuple[MselEntry, ...]:
        return self.msel_controller if controller else self.msel_players


GRAIN_HOURS = 1 / 60
"""Play advances in windows of at most this many scenario hours past the next event."""

Job = Callable[["EngineDriver"], list[ev.Event]]


class EngineDriver:
    """Owns one Exercise; every method takes the lock, so calls never overlap."""

    def __init__(
        self, scenario: Scenario, seed: int | None = None, *, exercise: Exercise | None = None
    ) -> None:
        self._lock = threading.Lock()
        self.scenario = scenario
        self.exercise = Exercise(scenario, seed) if exercise is None else exercise

    def clock(self, t: float) -> datetime:
        """Scenario date-time of time t (pure: reads only the scenario)."""
        return self.exercise.clock(t)

    def snapshot(self) -> Snapshot:
        with self._lock:
            ex = self.exercise
            return Snapshot(
                now=ex.now,
                clock=ex.clock(),
                finished=ex.finished,
                horizon=ex.horizon,
                records=tuple(ex.records),
                players_records=tuple(ex.visible(controller=False)),
                msel_controller=tuple(ex.msel(controller=True)),
                msel_players=tuple(ex.msel(controller=False)),
                standing=tuple(ex.standing()),
                variables=ex.variables(),
                busy={a.id: ex.busy(a.id) for a in ex.scenario.actors},
                active=tuple(ex.active.values()),
                open_decisions=tuple(
                    sorted(ex.open_decisions.values(), key=lambda d: (d.opened, d.decision.id))
                ),
                players=ex.players,
            )

    # --- advancing ----------------------------------------------------------------------------

    def advance(self, dt: float) -> list[ev.Event]:
        """Move the clock on by dt, stopping when a decision opens or the exercise ends.

        The engine's run_until does not stop at decisions and step() may jump far ahead, so
        time is taken in short windows (GRAIN scenario hours) from each next engine event:
        play stops at most one grain after a decision opens, and empty stretches cost nothing.
        """
        with self._lock:
            ex = self.exercise
            start = len(ex.records)
            grain = GRAIN_HOURS / ex.scenario.hours(1.0)
            target = min(ex.now + dt, ex.horizon)
            while not ex.finished:
                nxt = ex.env.peek()
                if nxt >= target:
                    ex.run_until(target)
                    break
                n = len(ex.records)
                ex.run_until(min(target, max(nxt, ex.now) + grain))
                if any(isinstance(r, ev.DecisionOpened) for r in ex.records[n:]):
                    break
            return ex.records[start:]

    def step(self, controller: bool) -> list[ev.Event]:
        """Advance to the next event this view can see (or a decision, or the end)."""
        with self._lock:
            ex = self.exercise
            start = len(ex.records)
            while not ex.finished:
                new = ex.step()
                if any(isinstance(r, ev.DecisionOpened) for r in new):
                    break
                if controller or any(r.visible_to(ex.players) for r in new):
                    break
            return ex.records[start:]

    def act(self, action: Callable[[Exercise], object]) -> list[ev.Event]:
        """Take a player or facilitator action and apply it now (ExerciseError propagates)."""
        with self._lock:
            action(self.exercise)
            return self.exercise.settle()

    def end(self) -> list[ev.Event]:
        with self._lock:
            return self.exercise.end()

    def undo(self) -> str:
        """Take back the last command (see sim.session.undo); say what was undone."""
        from sim.session.journal import RecordedExercise
        from sim.session.undo import undo_last

        with self._lock:
            ex = self.exercise
            if not isinstance(ex, RecordedExercise):
                raise ExerciseError("undo needs a recorded session")
            self.exercise, command = undo_last(ex)
            return command_summary(command)


def command_summary(command: Command) -> str:
    """A command in a few words, for the console's notices."""
    match command:
        case Decide():
            return f"decision {command.decision}: {command.option}"
        case Adjust():
            return f"adjustment of {command.variable} to {command.value:g}"
        case FireInject():
            return f"firing of inject {command.inject}"
        case SendInject():
            return "free-text inject"
        case Note():
            return "note"
        case End():
            return "end of the exercise"
    return command.kind.replace("_", " ")
