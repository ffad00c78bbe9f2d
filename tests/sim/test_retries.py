"""(v2) A failed response: follow-ups ('on_failure') and retries ('retry'), told to the room."""

from __future__ import annotations

import math

import pytest
from stepping import run_in_random_slices

from sim import events as ev
from sim.deciders import DefaultDecider, play
from sim.engine import Exercise
from sim.loader import check_scenario, load_scenario_text
from sim.schema import Scenario
from sim.views import records
from sim.yamlread import read_yaml_text

HEAD = """format: 2
scenario:
  id: retries
  title: Retries
  summary: Evictions that fail and are tried again.
  start: 2020-01-01T00:00:00+00:00
  horizon: 100
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: apt, name: Intruders, affiliation: adversary}
variables:
  luck: {initial: 0}
  alarm: {initial: 0}
injects:
  - {id: start, at: 0, from: gov, to: [gov], text: Go., invented: true, decision: act}
decisions:
  - id: act
    owner: gov
    prompt: Evict?
    default: evict
    deadline: 1
    options:
      - {id: wait, label: Wait}
      - {id: evict, label: Evict, responses: [evict]}
threats:
  - id: spies
    actor: apt
    at: 0
    stages: [{id: dwell, duration: 10, repeat: true}]
responses:
"""
EVICT = """  - id: evict
    kind: countermeasure
    actor: gov
    duration: 2
    success: %s
    stops: [spies]
    %s
  - {id: escalate, kind: countermeasure, actor: gov, duration: 3, effects: {alarm: + 1}}
"""


def scenario(extra: str, success: str = "luck") -> Scenario:
    return load_scenario_text(HEAD + EVICT % (success, extra), "r.yaml")


def run(sc: Scenario, seed: int = 0) -> Exercise:
    ex = Exercise(sc, seed)
    play(ex, DefaultDecider())
    return ex


def of(ex: Exercise, kind: type[ev.Event]) -> list:  # type: ignore[type-arg]
    return [r for r in ex.records if isinstance(r, kind)]


def test_a_failed_response_is_retried_with_a_growing_delay_and_the_room_is_told() -> None:
    ex = run(scenario("retry: {attempts: 3, delay: 5, backoff: 2}"))
    started = [r.time for r in of(ex, ev.ResponseStarted) if r.response == "evict"]
    failed = [r.time for r in of(ex, ev.ResponseFailed) if r.response == "evict"]
    assert started == [1, 8, 20, 42]  # decided at 1; fails 2 later; waits 5, 10, 20
    assert failed == [3, 10, 22, 44]
    retries = of(ex, ev.ResponseRetry)
    assert [(r.attempt, r.due, r.step) for r in retries] == [
        (2, 8, "planned"),
        (3, 20, "planned"),
        (4, 42, "planned"),
    ]
    again = [r for r in of(ex, ev.ResponseStarted) if r.response == "evict"][1:]
    assert all(r.cause == "response:evict.retry" for r in again)
    seen = records(ex, controller=False)
    assert sum(isinstance(r, ev.ResponseRetry) for r in seen) == 3  # the room sees them
    from sim.describe import describe

    assert describe(retries[0], ex.scenario) == "evict will be tried again (attempt 2) at t=8"
    assert ex.value("evict") == "failed"


def test_a_retry_stops_once_the_response_succeeds() -> None:
    sc = scenario("retry: {attempts: 20, delay: {uniform: [1, 4]}}", success="0.5")
    n = 400
    eventually = 0
    for seed in range(n):
        ex = run(sc, seed)
        tries = len([r for r in of(ex, ev.ResponseStarted) if r.response == "evict"])
        if ex.value("evict") == "succeeded":
            eventually += 1
            assert ex.value("spies") == "stopped"
        assert tries <= 21
    p = 1 - 0.5**21  # twenty retries after the first try: practically always
    assert eventually / n >= p - 4 * math.sqrt(p * (1 - p) / n) - 1e-9
    few = scenario("retry: {attempts: 1, delay: 1}", success="0.5")
    twice = sum(run(few, seed).value("evict") == "succeeded" for seed in range(n))
    assert abs(twice / n - 0.75) < 4 * math.sqrt(0.75 * 0.25 / n)


def test_a_retry_whose_reason_has_gone_is_dropped() -> None:
    text = (
        "retry: {attempts: 5, delay: 10, while: \"spies != 'completed'\"}\n"
        "  - {id: other, kind: countermeasure, actor: gov, duration: 1}\n"
    )
    sc = load_scenario_text(
        (HEAD + EVICT % ("luck", text)).replace(
            "stages: [{id: dwell, duration: 10, repeat: true}]",
            "stages: [{id: dwell, duration: 5}]",
        )
    )
    ex = run(sc)
    steps = [(r.step, r.due) for r in of(ex, ev.ResponseRetry)]
    assert steps == [("planned", 13), ("dropped", 13)]  # the campaign completed at 5
    assert len([r for r in of(ex, ev.ResponseStarted) if r.response == "evict"]) == 1


def test_on_failure_starts_follow_ups_under_their_condition() -> None:
    ex = run(
        scenario(
            "on_failure: [escalate, {response: other, if: 'alarm > 0'}]\n"
            "  - {id: other, kind: countermeasure, actor: gov, duration: 1}"
        )
    )
    (esc,) = [r for r in of(ex, ev.ResponseStarted) if r.response == "escalate"]
    assert (esc.time, esc.cause) == (3, "response:evict.failed")
    assert not [r for r in of(ex, ev.ResponseStarted) if r.response == "other"]
    assert ex.value("alarm") == 1
    lucky = run(
        load_scenario_text(
            (HEAD + EVICT % ("luck", "on_failure: [escalate]")).replace(
                "luck: {initial: 0}", "luck: {initial: 1}"
            )
        )
    )
    assert lucky.value("escalate") == "ready"  # it succeeded: no follow-up


def test_retries_and_follow_ups_do_not_depend_on_time_stepping() -> None:
    sc = scenario(
        "retry: {attempts: 4, delay: {uniform: [1, 9]}, backoff: 1.5}\n    on_failure: [escalate]",
        success="0.3",
    )
    for seed in range(6):
        whole = Exercise(sc, seed)
        whole.run()
        stepped = run_in_random_slices(sc, seed, seed, 6)
        assert [r.to_dict() for r in stepped.records] == [r.to_dict() for r in whole.records]


# --- bad cases -------------------------------------------------------------------------------


def problems(text: str) -> list[tuple[int, str]]:
    _, found = check_scenario(read_yaml_text(text, "r.yaml"), text)
    return [(p.line, p.message) for p in found if p.severity == "error"]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("retry: {attempts: 2, delay: 0}", "a retry's delay must be above 0"),
        ("retry: {delay: {uniform: [0, 5]}}", "a retry's delay must be above 0"),
        ("retry: {attempts: 0, delay: 5}", "greater than or equal to 1"),
        ("retry: {delay: 5, backoff: 0.5}", "greater than or equal to 1"),
        ("retry: {attempts: 2}", "delay"),
        ("retry: {delay: 5, while: \"spies == 'stoped'\"}", "stoped"),
        ("on_failure: [escalte]", "unknown response 'escalte' (did you mean 'escalate'?)"),
        ("on_failure: [{response: escalate, if: 'alarn > 0'}]", "unknown name 'alarn'"),
        ("on_failure: [evict]", "loop through 'on_failure' (evict)"),
    ],
)
def test_bad_failure_keys_are_reported_at_their_places(extra: str, message: str) -> None:
    text = HEAD + EVICT % ("luck", extra)
    found = problems(text)
    assert found and all(line == line_of(text, extra) for line, _ in found), found
    assert any(message in m for _, m in found), found


def test_a_loop_through_on_failure_and_starts_is_an_error() -> None:
    body = EVICT.replace("effects: {alarm: + 1}}", "effects: {alarm: + 1}, starts: [evict]}")
    text = HEAD + body % ("luck", "on_failure: [escalate]")
    ((line, message),) = problems(text)
    assert line == line_of(text, "on_failure") and "evict → escalate" in message


def test_a_notification_cannot_fail_so_it_has_no_failure_keys() -> None:
    text = (
        HEAD
        + EVICT % ("luck", "")
        + (
            "  - {id: tell, kind: notification, from: gov, to: [gov], retry: {delay: 2},"
            " on_failure: [escalate]}\n"
        )
    )
    found = problems(text)
    assert [m.split(":")[0] for _, m in found] == ["a notification never fails"] * 2
    assert {line for line, _ in found} == {line_of(text, "id: tell")}


def test_failure_keys_in_a_format_1_file_are_refused() -> None:
    text = (HEAD + EVICT % ("luck", "retry: {delay: 2}")).replace("format: 2", "format: 1")
    ((line, message),) = problems(text)
    assert line == line_of(text, "retry:") and "'retry' is a format 2 key" in message


def test_the_editor_schema_takes_a_plain_id_in_on_failure_as_in_starts() -> None:
    from sim.jsonschema import scenario_json_schema

    defs = scenario_json_schema()["definitions"]
    for kind in ("Countermeasure", "Legislation"):
        props = defs[kind]["properties"]
        assert props["on_failure"]["items"] == props["starts"]["items"]
        assert props["on_failure"]["items"]["anyOf"][0]["type"] == "string"
