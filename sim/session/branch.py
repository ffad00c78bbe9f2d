"""What-if branches: replay a session up to a decision, take another option, play on.

The branch is a session of its own (linked to its parent, with the branch point), played with
the same scenario text and seed: the same luck up to where the timelines diverge.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.commands import Decide
from sim.engine import ExerciseError
from sim.safetext import printable
from sim.schema import UNDECIDED, Scenario
from sim.session.journal import Journal, RecordedExercise
from sim.session.resume import saved_scenario
from sim.session.store import SessionStore, StoredCommand, StoreError, StoreUsageError


@dataclass(slots=True)
class Branch:
    """A new session at its branch point: the other option has been submitted."""

    session_id: int
    parent_id: int
    exercise: RecordedExercise
    decision: str
    option: str
    parent_option: str
    """What the parent chose ('' if the parent never chose: its default applied)."""


def branch_session(
    store: SessionStore, parent: str | int, decision: str, option: str, *, by: str = "facilitator"
) -> Branch:
    """Replay ``parent`` up to ``decision``, record a new session there and choose ``option``.

    "Up to the decision" is the parent's own choice of it if there was one, else the moment it
    opened (its default was left to the deadline).
    """
    info = store.session(parent)
    text = store.scenario_text(info.id)
    scenario = saved_scenario(store, info, text)
    decisions = {d.id: d for d in scenario.decisions}
    d_shown = printable(decision, one_line=True)
    if decision not in decisions:
        raise StoreUsageError(
            f"session {info.id}'s scenario has no decision '{d_shown}'; its decisions: "
            + ", ".join(decisions)
        )
    options = [o.id for o in decisions[decision].options]
    if option not in options:
        raise StoreUsageError(
            f"'{printable(option, one_line=True)}' is not an option of {decision}; "
            f"its options: {', '.join(options)}"
        )
    commands = store.commands(info.id)
    chosen = _first_choice(scenario, info.seed, commands, decision)
    parent_option = chosen.command.option if chosen and isinstance(chosen.command, Decide) else ""
    if parent_option == option:
        raise StoreUsageError(
            f"session {info.id} already chose '{option}' for {decision}: "
            "a branch takes another option"
        )
    probe = RecordedExercise(scenario, info.seed)
    prefix = []
    for stored in commands:
        if stored is chosen:
            break
        try:
            probe.submit(stored.command)
        except ExerciseError:
            continue
        prefix.append(stored)
        if chosen is None and decision in probe.open_decisions:
            break
        if probe.value(decision) != UNDECIDED and decision not in probe.open_decisions:
            raise StoreError(
                f"in session {info.id}, {decision} opened and took its default within one "
                f"step (command {stored.seq}): there is no moment to branch at"
            )
    if chosen is None and decision not in probe.open_decisions:
        raise StoreError(f"{decision} was never posed in session {info.id}: nothing to branch")

    branch_seq = prefix[-1].seq if prefix else 0
    sid = store.create(
        scenario_text=text,
        scenario_path=info.scenario_path,
        scenario_id=info.scenario_id,
        seed=info.seed,
        players=probe.players,
        origin="branch",
        parent_id=info.id,
        branch_seq=branch_seq,
    )
    exercise = RecordedExercise(scenario, info.seed)
    exercise.journal = Journal(store, sid)
    for stored in prefix:
        exercise.submit(stored.command)
    exercise.submit(Decide(decision=decision, option=option, by=by, rationale="what-if branch"))
    exercise.settle()
    return Branch(sid, info.id, exercise, decision, option, parent_option)


def _first_choice(
    scenario: Scenario, seed: int, commands: list[StoredCommand], decision: str
) -> StoredCommand | None:
    """The parent's choice of decision: the first decide for it that took effect.

    A decide the engine refused, saved but never marked refused (a console killed between the
    two writes), is in the commands too: replay tells the two apart, as resuming does.
    """
    probe = RecordedExercise(scenario, seed)
    for stored in commands:
        try:
            probe.submit(stored.command)
        except ExerciseError:
            continue
        if isinstance(stored.command, Decide) and stored.command.decision == decision:
            return stored
    return None
