"""Hostile scenarios generated at size: long chains, floods of bad references, runaway runs.

Each test bounds the *work* done (events processed, did-you-mean searches made), never time.
"""

from __future__ import annotations

import difflib
import json

import pytest

from sim import events as ev
from sim import problems as problems_module
from sim.deciders import DefaultDecider, play
from sim.engine import BudgetExceeded, Exercise
from sim.loader import MAX_REPORTED, check_scenario, load_scenario_text
from sim.problems import HINTS_PER_FILE
from sim.report import RunResult
from sim.yamlread import read_yaml_text

HEAD = """\
scenario:
  id: generated
  title: Generated
  summary: A file generated at size.
  start: 2020-01-01T00:00:00Z
  horizon: {horizon}
actors:
  - {{id: gov, name: Gov, affiliation: government}}
  - {{id: adv, name: Adv, affiliation: adversary}}
variables:
  v: {{initial: 0}}
  secret: {{initial: 0, hidden: true}}
"""


def scenario_text(body: str, horizon: float = 100_000) -> str:
    return HEAD.format(horizon=horizon) + body


def check(text: str) -> list[str]:
    _, found = check_scenario(read_yaml_text(text, "g.yaml"), text)
    return [str(p) for p in found]


def inject(i: int, trigger: str) -> str:
    return f"  - {{id: i{i}, {trigger}, from: gov, to: [gov], text: Hi, invented: true}}\n"


def chained_injects(n: int, loop: bool) -> str:
    first = "after: i" + str(n - 1) if loop else "at: 1"
    lines = [inject(0, first), *(inject(i, f"after: i{i - 1}") for i in range(1, n))]
    return "injects:\n" + "".join(lines)


def chained_responses(n: int, loop: bool) -> str:
    lines = []
    for i in range(n):
        nxt = (i + 1) % n if loop or i + 1 < n else None
        starts = f", starts: [r{nxt}]" if nxt is not None else ""
        lines.append(f"  - {{id: r{i}, kind: notification, from: gov, to: [gov]{starts}}}\n")
    return "responses:\n" + "".join(lines)


def test_three_thousand_chained_injects_validate_and_run() -> None:
    text = scenario_text(chained_injects(3_000, loop=False))
    assert len(text) > 200_000
    assert check(text) == []
    ex = Exercise(load_scenario_text(text, "g.yaml"), 1)
    ex.run()
    assert ex.value("i2999") == "delivered"


def test_a_loop_of_three_thousand_injects_is_one_problem() -> None:
    found = check(scenario_text(chained_injects(3_000, loop=True)))
    assert len(found) == 1
    assert "injects wait on each other in a loop: i0 → i2999 → i2998 → " in found[0]
    assert found[0].endswith("(3,000 in the loop)")


def test_a_thousand_responses_starting_each_other() -> None:
    body = chained_injects(1, loop=False) + chained_responses(1_000, loop=True)
    found = check(scenario_text(body))
    assert len(found) == 1
    assert "responses start each other in a loop" in found[0]
    chain = body.replace("starts: [r0]", "starts: []")
    assert check(scenario_text(chain)) == []
    ex = Exercise(load_scenario_text(scenario_text(chain), "g.yaml"), 1)
    ex.start_response("r0")
    ex.run()
    assert ex.value("r999") == "succeeded"


def test_a_flood_of_bad_references_is_capped_and_cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    searches = 0
    real = difflib.get_close_matches

    def counted(*args: object, **kw: object) -> list[str]:
        nonlocal searches
        searches += 1
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(problems_module, "get_close_matches", counted)
    n = 12_000
    lines = [inject(i, "at: 1").replace("from: gov", f"from: nobody{i}") for i in range(n)]
    text = scenario_text("injects:\n" + "".join(lines))
    assert len(text.encode()) <= 2_000_000
    found = check(text)
    assert len(found) == MAX_REPORTED + 1
    assert found[-1].endswith(f"… and {n - MAX_REPORTED:,} more problems (fix these first)")
    assert searches <= HINTS_PER_FILE


REPEATING = """\
threats:
  - id: t0
    actor: adv
    at: 0
    stages: &stages
      - {id: s, duration: 0.001, repeat: true, effects: {v: "+ 1"}}
"""


def runaway(threats: int) -> str:
    more = "".join(
        f"  - {{id: t{i}, actor: adv, at: 0, stages: *stages}}\n" for i in range(1, threats)
    )
    return scenario_text(REPEATING + more + chained_injects(1, loop=False), horizon=1_000_000)


def test_a_run_stops_at_its_event_budget() -> None:
    scenario = load_scenario_text(runaway(50), "g.yaml")
    ex = Exercise(scenario, 1)
    ex.max_events = 5_000
    with pytest.raises(BudgetExceeded, match="after 5,000 engine events"):
        play(ex, DefaultDecider())
    assert 5_000 < ex.events_processed <= 5_001 + len(ex.scenario.objectives)


def test_validate_warns_when_the_worst_case_is_huge() -> None:
    found = check(runaway(60))  # 60 threats × 10,000 rounds × 2 events
    assert len(found) == 1
    assert "warning: repeating stages may need about" in found[0]
    assert "1,000,000" in found[0]
    assert check(runaway(1).replace("duration: 0.001", "duration: 100")) == []


def test_json_output_is_strict_and_the_players_view_hides_what_players_do_not_see() -> None:
    text = scenario_text(
        chained_injects(1, loop=False).replace(
            "invented: true", 'invented: true, effects: {secret: "+ 1"}'
        )
    )
    ex = Exercise(load_scenario_text(text, "g.yaml"), 1)
    ex.run()
    result = RunResult(ex, None)

    def strict(constant: str) -> float:
        raise AssertionError(f"non-standard JSON number {constant}")

    controller = json.loads(result.to_json(), parse_constant=strict)
    players = json.loads(result.to_json(controller=False), parse_constant=strict)
    assert controller["view"] == "controller" and players["view"] == "players"
    assert "secret" in controller["final"]["variables"]
    assert "secret" not in players["final"]["variables"]
    assert any(e.get("variable") == "secret" for e in controller["events"])
    assert not any(e.get("variable") == "secret" for e in players["events"])


def test_json_never_holds_nan_or_infinity() -> None:
    ex = Exercise(load_scenario_text(scenario_text(chained_injects(1, loop=False)), "g.yaml"), 1)
    ex.run()
    # as if a future engine let one through
    ex.record(ev.VariableChanged, variable="v", old=float("nan"), new=float("inf"), cause="x")
    text = RunResult(ex, None).to_json()
    assert "Infinity" not in text and "NaN" not in text
    last = json.loads(text)["events"][-1]
    assert (last["old"], last["new"]) == (None, None)


def test_conditions_rechecked_count_toward_the_budget() -> None:
    """2,000 objectives watching a variable a stage changes 10,000 times: bounded all the same."""
    objectives = "objectives:\n" + "".join(
        f"  - {{id: o{i}, description: D, met: 'v > {i}', by: 10}}\n" for i in range(2_000)
    )
    ex = Exercise(load_scenario_text(runaway(1) + objectives, "g.yaml"), 1)
    ex.max_events = 100_000
    with pytest.raises(BudgetExceeded):
        ex.run()
    assert ex.events_processed <= 100_000 + 2_000
    assert ex.now < 1  # stopped long before the stage's 10,000 rounds
