"""Follow a live session from another process: the players' view, read from the store.

A :class:`Follower` opens the store read-only and replays the session's commands: it never
runs an exercise of its own beyond that replay. Each :meth:`Follower.poll` asks SQLite
whether anything was committed (``data_version``, then the command count), applies only the
new commands, and returns the players' records that appeared. An undo (a command marked
undone) makes it replay from the start and say so (``reset``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sim import events as ev
from sim.engine import ExerciseError
from sim.schema import Scenario
from sim.session.journal import RecordedExercise
from sim.session.resume import saved_scenario
from sim.session.store import SessionInfo, SessionStore, StoredCommand, StoreError


@dataclass(frozen=True, slots=True)
class Update:
    """What changed since the last poll, in the players' view."""

    records: tuple[ev.Event, ...]
    """New players' records (all of them after a reset)."""
    reset: bool = False
    """The session was rebuilt (an undo): show ``records`` from scratch."""


class Follower:
    """Replays one session from a read-only store and follows it as commands are committed."""

    def __init__(self, store: SessionStore, ident: str | int) -> None:
        self.store = store
        self.info: SessionInfo = store.session(ident)
        self.scenario: Scenario = saved_scenario(store, self.info)
        self.exercise = RecordedExercise(self.scenario, self.info.seed)
        self._applied: list[StoredCommand] = []
        self._version: int | None = None
        self._count: tuple[int, int] | None = None
        self._shown: list[ev.Event] = []
        """The players' view as last reported."""

    @property
    def players(self) -> tuple[str, ...]:
        return self.exercise.players

    def players_records(self) -> list[ev.Event]:
        """Every record of the players' view so far (facilitator-only fields left out)."""
        return self.exercise.visible(controller=False)

    def poll(self) -> Update | None:
        """Apply newly committed commands; None if nothing was committed since the last poll."""
        version = self.store.data_version()
        if version == self._version:
            return None
        self._version = version
        count = self.store.command_count(self.info.id)
        if count == self._count:
            return None
        self._count = count
        commands = self.store.commands(self.info.id)
        n = len(self._applied)
        if commands[:n] != self._applied:
            self.exercise = RecordedExercise(self.scenario, self.info.seed)
            self._applied = []
            self._apply(commands)
            old, self._shown = self._shown, self.players_records()
            if _same(old, self._shown):  # an undo of what the players never saw: not said
                return Update(())
            return Update(tuple(self._shown), reset=True)
        self._apply(commands[n:])
        return self._players_update()

    def marked_finished(self) -> bool:
        """Whether the store marks the session finished (set after its last command)."""
        return self.store.session(self.info.id).status == "finished"

    def _apply(self, commands: list[StoredCommand]) -> None:
        ex = self.exercise
        for stored in commands:
            self._applied.append(stored)
            if stored.at > ex.now and not ex.finished:
                ex.catch_up(stored.at)
            # After the end too: the debrief's ratings and observations are taken then (the
            # engine refuses anything else, as it did when the command was played).
            try:
                ex.submit(stored.command)
            except ExerciseError:
                continue  # refused when played too (not yet marked): nothing to show

    def _players_update(self) -> Update:
        """The players' records that are new; all of them if earlier ones now read otherwise."""
        view = self.players_records()
        old = self._shown
        self._shown = view
        if not _same(view[: len(old)], old):
            return Update(tuple(view), reset=True)
        return Update(tuple(view[len(old) :]))


def _same(a: Sequence[ev.Event], b: Sequence[ev.Event]) -> bool:
    """Whether two runs of players' records read the same."""
    return len(a) == len(b) and all(x.to_dict() == y.to_dict() for x, y in zip(a, b, strict=True))


def open_follower(store: SessionStore, ident: str | int) -> Follower:
    """A follower of session ``ident``; StoreError if the session cannot be replayed."""
    follower = Follower(store, ident)
    if follower.info.scenario_id != follower.scenario.scenario.id:
        raise StoreError(f"session {follower.info.id}: its saved scenario is damaged")
    return follower
