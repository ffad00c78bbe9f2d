"""Where the caller paused within an instant never changes the log: a choice made for later.

A choice taken for a later time (``Decide(at=...)``) is an action like any other: it takes
its place at the end of the instant it was asked in. Asked mid-instant (a console stepping
record by record), it must order against what else falls due at its time (another
decision's deadline default) exactly as when asked once the instant was over.
"""

from __future__ import annotations

import json

import pytest

from sim.engine import Exercise, ExerciseError
from sim.loader import load_scenario_text

TWO_DUE_AT_ONCE = """
scenario: {id: order, title: Order, summary: Two things due at once., horizon: 100,
           start: 2020-01-01T00:00:00+00:00}
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: ally, name: Ally, affiliation: ally}
variables:
  trust: {initial: 0.5}
injects:
  - {id: first, at: 0, from: ally, to: [gov], text: First, invented: true, decision: y}
  - {id: a, at: 10, from: ally, to: [gov], text: A, invented: true}
  - {id: b, at: 10, from: ally, to: [gov], text: B, invented: true, decision: x}
decisions:
  - id: y
    owner: gov
    prompt: Y?
    deadline: 50
    default: no
    options:
      - {id: yes, label: Yes, effects: {trust: "+ 0.1"}}
      - {id: no, label: No}
  - id: x
    owner: gov
    prompt: X?
    deadline: 5
    default: no
    options:
      - {id: yes, label: Yes}
      - {id: no, label: No, effects: {trust: "* 2"}}
objectives:
  - {id: trusted, description: Trust high, met: "trust >= 1.1"}
"""


def log(ex: Exercise) -> str:
    return json.dumps([r.to_dict() for r in ex.records])


def test_a_choice_for_later_asked_mid_instant_orders_as_one_asked_after_it() -> None:
    """At t=10 inject 'a' arrives and decision x opens (deadline t=15). The room chooses y
    for t=15 too. Stepping record by record, the console paused after 'a', before x opened:
    the log (and trust) must be that of a room that chose once t=10 was over."""
    s = load_scenario_text(TWO_DUE_AT_ONCE, "order.yaml")
    straight = Exercise(s, 1)
    straight.run_until(10)
    straight.decide("y", "yes", at=15)
    straight.run()

    paused = Exercise(s, 1)
    paused.run_until(9)
    while not any(getattr(r, "inject", "") == "a" for r in paused.records):
        paused.step()
    assert paused.now == 10 and "x" not in paused.open_decisions  # mid-instant
    paused.decide("y", "yes", at=15)
    paused.run()

    assert [(e.at, e.command) for e in paused.command_log if e.action is not None] == [
        (e.at, e.command) for e in straight.command_log if e.action is not None
    ]
    assert paused.value("trust") == straight.value("trust")
    assert log(paused) == log(straight)


FIRED_AS_IT_ARRIVES = """
scenario: {id: fire, title: Fire, summary: An inject due at the instant it is fired., horizon: 100,
           start: 2020-01-01T00:00:00+00:00}
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: ally, name: Ally, affiliation: ally}
variables:
  trust: {initial: 0.5}
injects:
  - {id: a, at: 10, from: ally, to: [gov], text: A, invented: true}
  - {id: b, after: a, from: ally, to: [gov], text: B, invented: true}
  - {id: c, at: 10, from: ally, to: [gov], text: C, invented: true, only_if: "trust > 1"}
objectives:
  - {id: trusted, description: Trust high, met: "trust >= 1.1"}
"""


def test_firing_an_inject_the_same_instant_delivers_is_refused_wherever_the_console_paused() -> (
    None
):
    """At t=10 'a' arrives, then 'b' (after a) and 'c' (skipped: its condition is false).
    Paused after 'a', the facilitator fires 'b' and 'c': as after the instant, each is refused
    (already delivered, already skipped), never taken and then silently dropped."""
    s = load_scenario_text(FIRED_AS_IT_ARRIVES, "fire.yaml")
    straight, paused = Exercise(s, 1), Exercise(s, 1)
    straight.run_until(10)
    paused.run_until(9)
    paused.step()
    assert paused.now == 10 and paused.value("b") == "pending"  # mid-instant
    for ex in (straight, paused):
        for inject in ("b", "c"):
            with pytest.raises(ExerciseError, match="already been"):
                ex.fire_inject(inject)
        ex.run()
    assert log(paused) == log(straight)
    assert [e.command for e in paused.command_log if e.action is not None] == []
