"""Where a report's input comes from: a session (once sessions exist) or a headless run.

``tabletop report SOURCE`` takes a session id or a scenario (a file or a bundled id).
:func:`load_source` asks :func:`session_input` first; until the session store lands it
finds no session, and SOURCE is played headless with a playbook (or the deadline defaults).
"""

from __future__ import annotations

from dataclasses import replace

from sim.analysis.model import AarInput
from sim.schema import Scenario


def session_input(source: str) -> AarInput | None:
    """The report input of the session named ``source``, or None if there is no such session.

    The session store fills this in: read the session's scenario, seed and command log,
    replay them (``sim.replay.replay``), and return ``AarInput(exercise, commands, plan,
    SessionInfo(id, started, ended), label, branch)``.
    """
    del source
    return None


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
    return AarInput(exercise, label=label or name)


def with_branch(main: AarInput, branch: AarInput) -> AarInput:
    """``main`` with a "what if" branch to compare against."""
    return replace(main, branch=branch)
