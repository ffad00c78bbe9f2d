"""The engine driver: the only code that touches the Exercise, always under one lock.

The console calls these methods from a Textual worker thread. Each call returns the new
records and a :class:`Snapshot`: an immutable copy of everything the screens show, so the UI
thread never reads the engine while it moves.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sim import events as ev
from sim import pacing
from sim.commands import (
    Adjust,
    Advance,
    Command,
    Decide,
    End,
    FireInject,
    Note,
    Observe,
    Rate,
    SendInject,
    StartResponse,
)
from sim.engine import Exercise, ExerciseError, MselEntry, OpenDecision
from sim.pacing import Stop
from sim.schema import Scenario
from sim.views import MselLine, View, unsayable, view

if TYPE_CHECKING:
    from sim.authoring.reload import Reloaded
    from sim.problems import Problem


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the console shows, copied from the engine at one moment.

    ``players_view`` and ``controller_view`` come from :mod:`sim.views`, the engine's one
    projection of who may know what: the widgets show a view and never filter it themselves.
    """

    now: float
    clock: datetime
    finished: bool
    horizon: float
    records: tuple[ev.Event, ...]
    """Every record (the controller's)."""
    msel_controller: tuple[MselEntry, ...]
    """The whole MSEL with each inject (for the facilitator's fire-inject dialog)."""
    variables: dict[str, float]
    """Every variable (hidden ones too: the facilitator's adjust dialog)."""
    open_decisions: tuple[OpenDecision, ...]
    players_view: View
    controller_view: View
    players: tuple[str, ...] = field(default=())
    players_secrets: frozenset[str] = field(default=frozenset())
    """Names free text shown in the players' view must not mention (sim.views.unsayable)."""

    def view(self, controller: bool) -> View:
        """What this audience may know."""
        return self.controller_view if controller else self.players_view

    def visible(self, controller: bool) -> tuple[ev.Event, ...]:
        """The records this view may show."""
        return self.view(controller).records

    def msel(self, controller: bool) -> tuple[MselLine, ...]:
        return self.view(controller).msel


Job = Callable[["EngineDriver"], list[ev.Event]]


class EngineDriver:
    """Owns one Exercise; every method takes the lock, so calls never overlap.

    Time moves only through the engine's time policy (:mod:`sim.pacing`): play, ``n`` and
    deadlines are decided there, never here. With ``hold_defaults`` (the default) the clock
    stops before a deadline default would apply; the next advance lets it apply (the room has
    been told), and every default that applied is reported in ``last_stop``.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int | None = None,
        *,
        exercise: Exercise | None = None,
        hold_defaults: bool = True,
    ) -> None:
        self._lock = threading.Lock()
        self.scenario = scenario
        self.exercise = Exercise(scenario, seed) if exercise is None else exercise
        self.hold_defaults = hold_defaults
        self.let_default: set[tuple[str, float]] = set()
        """The deadlines the room was warned of (decision, deadline): their defaults may now
        apply. A decision posed again has a new deadline, and the room is warned of it too."""
        self.last_stop: Stop | None = None

    def clock(self, t: float) -> datetime:
        """Scenario date-time of time t (pure: reads only the scenario)."""
        return self.exercise.clock(t)

    def snapshot(self) -> Snapshot:
        with self._lock:
            ex = self.exercise
            controller = view(ex, controller=True)
            return Snapshot(
                now=ex.now,
                clock=ex.clock(),
                finished=ex.finished,
                horizon=ex.horizon,
                records=controller.records,
                msel_controller=tuple(ex.msel(controller=True)),
                variables=ex.variables(),
                open_decisions=controller.open_decisions,
                players_view=view(ex, controller=False),
                controller_view=controller,
                players=ex.players,
                players_secrets=unsayable(ex),
            )

    def take_stop(self) -> Stop | None:
        """Where the last advance stopped (once: a second call returns None)."""
        with self._lock:
            stop, self.last_stop = self.last_stop, None
            return stop

    # --- advancing ----------------------------------------------------------------------------

    def advance(self, dt: float) -> list[ev.Event]:
        """Move the clock on by dt (play), stopping when a decision opens, before a default
        applies, or at the end."""
        with self._lock:
            ex = self.exercise
            to = pacing.play_target(ex, dt)
            return self._after(
                pacing.advance(ex, to, hold=self.hold_defaults, let_default=self._let())
            )

    def step(self, controller: bool) -> list[ev.Event]:
        """Advance to the next event this view can see (or a decision, a deadline, the end)."""
        with self._lock:
            return self._after(
                pacing.next_event(
                    self.exercise,
                    controller=controller,
                    hold=self.hold_defaults,
                    let_default=self._let(),
                )
            )

    def _let(self) -> set[str]:
        """The open decisions whose present deadline the room was warned of."""
        posed = self.exercise.open_decisions
        return {d for d, at in self.let_default if d in posed and posed[d].deadline == at}

    def _after(self, stop: Stop) -> list[ev.Event]:
        if stop.deadline is not None:
            self.let_default.add((stop.deadline.decision.id, stop.deadline.deadline))
        self.last_stop = stop
        return list(stop.records)

    def act(self, action: Callable[[Exercise], object]) -> list[ev.Event]:
        """Take a player or facilitator action and apply it now (ExerciseError propagates)."""
        with self._lock:
            action(self.exercise)
            return self.exercise.settle()

    def rate(self, command: Rate) -> list[ev.Event]:
        """An evaluator's rating: also after the end (in the debrief), when no instant is left
        to finish (ExerciseError if refused)."""
        return self._anytime(command)

    def observe(self, command: Observe) -> list[ev.Event]:
        """An evaluator's observation: also after the end, like a rating (ExerciseError if
        refused)."""
        return self._anytime(command)

    def _anytime(self, command: Rate | Observe) -> list[ev.Event]:
        with self._lock:
            ex = self.exercise
            start = len(ex.records)
            ex.submit(command)
            if not ex.finished:
                ex.settle()
            return ex.records[start:]

    def end(self) -> list[ev.Event]:
        with self._lock:
            return self.exercise.end()

    def undo(self, controller: bool = True) -> str:
        """Take back the last command (see sim.session.undo); say what was undone, in the
        players' view without what the scenario hides from them."""
        from sim.session.journal import RecordedExercise
        from sim.session.undo import undo_last

        with self._lock:
            ex = self.exercise
            if not isinstance(ex, RecordedExercise):
                raise ExerciseError("undo needs a recorded session")
            self.exercise, command = undo_last(ex)
            return command_summary(command, None if controller else self.scenario)

    def last_command(self, controller: bool = True) -> str | None:
        """The command undo would take back now, in a few words (as ``undo`` says it), or None
        when there is none."""
        with self._lock:
            log = self.exercise.command_log
            last = next(
                (e.command for e in reversed(log) if not isinstance(e.command, Advance)), None
            )
            if last is None:
                return None
            return command_summary(last, None if controller else self.scenario)

    def reload(self, path: str | os.PathLike[str]) -> Reloaded | list[Problem]:
        """Load the scenario file again and replay this exercise's commands on it (same seed).

        On success the replayed exercise replaces this one; on problems nothing changes.
        """
        from sim.authoring.reload import Reloaded, reload_file

        with self._lock:
            ex = self.exercise
            result = reload_file(path, ex.seed, list(ex.command_log))
            if isinstance(result, Reloaded):
                self.exercise = result.exercise
                self.scenario = result.exercise.scenario
                self.last_stop = None
                self.let_default = set()  # the deadlines may have moved: warn the room again
            return result


def command_summary(command: Command, players: Scenario | None = None) -> str:
    """A command in a few words, for the console's notices. For the players' view (``players``:
    the scenario), a hidden variable's adjustment and a held inject go unnamed."""
    match command:
        case Decide():
            return f"decision {command.decision}: {command.option}"
        case Adjust() if players is not None and _hidden(players, command.variable):
            return "an adjustment"
        case Adjust():
            return f"adjustment of {command.variable} to {command.value:g}"
        case FireInject() if players is not None:
            return "firing of a held inject"
        case FireInject():
            return f"firing of inject {command.inject}"
        case SendInject():
            return "free-text inject"
        case Note():
            return "note"
        case Observe():
            return "observation"
        case Rate() if players is not None:
            return "rating of an objective"
        case Rate():
            return f"rating of objective {command.objective}"
        case StartResponse() if players is not None:
            return "start of a response"
        case StartResponse():
            return f"start of response {command.response}"
        case End():
            return "end of the exercise"
    return command.kind.replace("_", " ")


def _hidden(scenario: Scenario, variable: str) -> bool:
    spec = scenario.variables.get(variable)
    return spec is None or spec.hidden
