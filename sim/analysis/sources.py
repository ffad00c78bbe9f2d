"""Where a report's input comes from: a saved session, or a scenario played headless.

``tabletop report SOURCE`` takes a session id (a whole number, as `tabletop sessions` lists
them) or a scenario (a file or a bundled id). A session is replayed from the commands and
the scenario text saved with it; a scenario is played with a playbook, or with every decision
left to its default at its deadline.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from sim.analysis.model import AarInput, PlanRow, SessionInfo
from sim.schema import Scenario
from sim.views import players_now, ratings

if TYPE_CHECKING:
    from sim.session.store import SessionStore


def is_session_id(source: str) -> bool:
    """Whether SOURCE is written as a session id ('12' or '#12') rather than a scenario."""
    raw = _digits(source)
    return raw.isascii() and raw.isdigit() and len(raw) <= 18


def session_number(source: str) -> int:
    """The number of a SOURCE written as a session id (``is_session_id``)."""
    return int(_digits(source))


def _digits(source: str) -> str:
    return source.strip().removeprefix("#")


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def session_input(source: str, store: str | None = None) -> AarInput:
    """The report input of a saved session: its replay, plan rows and wall-clock times.

    A session still in progress is rated as it stands (its replay is ended here, the store is
    only read). Raises the store's own clear errors (no store, no such session, a damaged one).
    """
    from sim.session.cli import open_store

    with open_store(store, readonly=True) as st:
        return stored_session_input(st, source)


def stored_session_input(st: SessionStore, source: str | int) -> AarInput:
    """:func:`session_input` from a store already open (the console's, for its export)."""
    from sim.analysis.walltime import decision_walls
    from sim.commands import End
    from sim.session.resume import replay_stored, saved_scenario

    info = st.session(source)
    stored = st.commands(info.id)
    replayed = replay_stored(saved_scenario(st, info), info.seed, stored)
    plan = st.plan_rows(info.id)
    edited = st.plan_edited(info.id)
    ex = replayed.exercise
    ended = next((c.wall for c in stored if isinstance(c.command, End)), "")
    walls = decision_walls(
        ex.records,
        ex.command_log,
        replayed.applied,
        stored[: len(replayed.starts)],
        replayed.starts,
        info.created,
    )
    withheld: frozenset[str] = frozenset()
    players_time: float | None = None
    if not ex.finished:
        players_time = players_now(ex)
        # rated as it stands; for the players, as their dashboard shows it: '?' stays '?'
        withheld = frozenset(r.objective for r in ratings(ex, controller=False) if r.rating is None)
        ex.end("in progress")
    rows = tuple(PlanRow(r.objective, r.issue, r.action, r.owner, r.due) for r in plan)
    label = f"session {info.id}"
    if info.parent_id is not None:
        label += f", a branch of session {info.parent_id}"
    return AarInput(
        ex,
        commands=tuple(ex.command_log),
        plan=rows if edited else (rows or None),
        session=SessionInfo(
            session_id=str(info.id),
            started=_when(info.created),
            ended=_when(ended or info.last_activity),
        ),
        label=label,
        decision_wall=walls,
        withheld=withheld,
        players_time=players_time,
    )


def headless_input(
    scenario: Scenario, seed: int | None, playbook: str | None, label: str = ""
) -> AarInput:
    """Play ``scenario`` headless (a playbook, or every decision left to its deadline)."""
    from sim.bundled import resolve
    from sim.deciders import Decider, DefaultDecider, PlaybookDecider, play
    from sim.engine import Exercise
    from sim.playbook import load_playbook
    from sim.problems import TabletopError

    chooser: Decider = DefaultDecider()
    name = "deadline defaults"
    if playbook is not None:
        path = resolve(playbook, "playbook")
        if path is None:
            raise TabletopError(f"no playbook file or bundled playbook '{playbook}'")
        book = load_playbook(path, scenario)
        chooser = PlaybookDecider(book)
        name = book.playbook.id
    exercise = Exercise(scenario, seed)
    play(exercise, chooser)
    return AarInput(exercise, commands=tuple(exercise.command_log), label=label or name)


def with_branch(main: AarInput, branch: AarInput) -> AarInput:
    """``main`` with a "what if" branch to compare against."""
    return replace(main, branch=branch)
