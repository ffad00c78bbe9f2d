"""Responses (sim.responses) as the actors panel and the log show them: a response in
progress says who acts, since when and until when, and leaves the panel when it ends."""

from __future__ import annotations

from sim import events as ev
from sim.engine import Exercise
from sim.loader import load_scenario_text

SCENARIO = """
scenario:
  id: panel
  title: Panel
  summary: Two responses that take time.
  start: 2020-01-01T00:00:00+00:00
  horizon: 200
actors:
  - {id: gov, name: Government, affiliation: government, capacity: 1}
  - {id: ally, name: Ally, affiliation: ally}
variables:
  trust: {initial: 0.5, min: 0, max: 1}
injects:
  - {id: note, at: 199, from: gov, to: [gov], text: A quiet day, invented: true}
decisions: []
responses:
  - {id: hunt, kind: countermeasure, actor: gov, duration: 30, success: 1}
  - {id: sweep, kind: countermeasure, actor: gov, duration: 10, success: 1}
  - {id: tell, kind: notification, from: gov, to: [ally], delay: 12, effects: {trust: "+ 0.1"}}
objectives:
  - {id: trusted, description: Trusted, met: "trust >= 0.6"}
"""


def started_at(t: float, *responses: str) -> Exercise:
    ex = Exercise(load_scenario_text(SCENARIO), 1)
    ex.run_until(t)
    for r in responses:
        ex.start_response(r)
    ex.run_until(t)
    return ex


def test_a_response_in_progress_shows_when_it_started_and_when_it_should_end() -> None:
    ex = started_at(20, "hunt", "tell")
    hunt, tell = ex.active["hunt"], ex.active["tell"]
    assert (hunt.actor, hunt.kind, hunt.started, hunt.expected_end) == (
        "gov",
        "countermeasure",
        20.0,
        50.0,
    )
    assert (tell.actor, tell.kind, tell.started, tell.expected_end) == (
        "gov",
        "notification",
        20.0,
        32.0,
    )
    ex.run_until(60)
    assert ex.active == {}
    assert ex.value("hunt") == ex.value("tell") == "succeeded"


def test_the_log_says_when_a_response_should_end() -> None:
    ex = started_at(20, "hunt")
    [started] = [r for r in ex.records if isinstance(r, ev.ResponseStarted)]
    assert (started.time, started.expected_end) == (20.0, 50.0)


def test_a_response_already_running_is_refused_and_one_that_succeeded_may_start_again() -> None:
    ex = started_at(20, "hunt", "hunt")
    [blocked] = [r for r in ex.records if isinstance(r, ev.ResponseBlocked)]
    assert (blocked.time, blocked.response, blocked.reason) == (20.0, "hunt", "already running")
    ex.run_until(60)
    ex.start_response("hunt")
    ex.run_until(100)
    started = [r.time for r in ex.records if isinstance(r, ev.ResponseStarted)]
    assert started == [20.0, 60.0]
    assert len([r for r in ex.records if isinstance(r, ev.ResponseBlocked)]) == 1


def test_a_countermeasure_waits_for_its_actors_capacity_then_starts() -> None:
    ex = started_at(20, "hunt", "sweep")
    [queued] = [r for r in ex.records if isinstance(r, ev.ResponseQueued)]
    assert (queued.time, queued.response, queued.actor) == (20.0, "sweep", "gov")
    assert ex.busy("gov") == (1, 1) and "sweep" not in ex.active
    ex.run_until(55)
    assert ex.active["sweep"].started == 50.0 and ex.busy("gov") == (1, 1)
    ex.run_until(70)
    assert ex.busy("gov") == (0, 1) and ex.value("sweep") == "succeeded"
