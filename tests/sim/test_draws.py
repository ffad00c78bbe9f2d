"""(v2) Effects that draw their amount from a bounded distribution."""

from __future__ import annotations

import math
import statistics

import pytest
from stepping import run_in_random_slices

from sim import events as ev
from sim.deciders import PlaybookDecider, play
from sim.engine import Exercise
from sim.loader import check_scenario, load_scenario_text
from sim.playbook import load_playbook_text
from sim.schema import Scenario
from sim.yamlread import read_yaml_text

HEAD = """format: 2
scenario:
  id: draws
  title: Draws
  summary: Amounts drawn at random.
  start: 2020-01-01T00:00:00+00:00
  horizon: 100
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: apt, name: Intruders, affiliation: adversary}
variables:
  harm: {initial: 0}
  trust: {initial: 50}
  cost: {initial: 0}
"""

BODY = """injects:
  - {id: leak, at: 1, from: gov, to: [gov], text: L., invented: true, decision: act,
     effects: {harm: "+ %s"}}
decisions:
  - id: act
    owner: gov
    prompt: Act?
    default: wait
    deadline: 5
    options:
      - {id: wait, label: Wait}
      - {id: spend, label: Spend, effects: {cost: "+ uniform(1, 2)"}}
threats:
  - id: wiper
    actor: apt
    at: 0
    stages:
      - {id: a, duration: {uniform: [10, 20]}, effects: {trust: "- triangular(1, 2, 6)"}}
      - {id: b, duration: {uniform: [10, 20]}, effects: {trust: "- triangular(1, 2, 6)"}}
"""


def scenario(amount: str) -> Scenario:
    return load_scenario_text(HEAD + BODY % amount, "d.yaml")


def run(sc: Scenario, seed: int, choice: str = "wait") -> Exercise:
    ex = Exercise(sc, seed)
    book = f"playbook: {{id: p}}\ndecisions: {{act: {choice}}}\n"
    play(ex, PlaybookDecider(load_playbook_text(book, sc)))
    return ex


@pytest.mark.parametrize(
    ("amount", "low", "high", "mean"),
    [
        ("uniform(2, 8)", 2, 8, 5),
        ("triangular(0, 1, 8)", 0, 8, 3),
        ("normal(5, 3, 4, 9)", 4, 9, None),
        ("uniform(-1, 1) * 10", -10, 10, 0),
    ],
)
def test_drawn_amounts_stay_in_their_bounds_and_centre_on_their_mean(
    amount: str, low: float, high: float, mean: float | None
) -> None:
    sc = scenario(amount)
    n = 500
    got = [run(sc, seed).value("harm") for seed in range(n)]
    assert all(low <= float(x) <= high for x in got)
    assert len(set(got)) > n * 0.9  # drawn, not fixed
    if mean is not None:
        sd = statistics.pstdev(float(x) for x in got)
        assert abs(statistics.fmean(float(x) for x in got) - mean) < 4 * sd / math.sqrt(n)


def test_draws_use_the_causing_element_s_own_stream() -> None:
    """Common random numbers: a different choice (which draws a cost) changes neither the
    inject's amount nor the threat's amounts and times."""
    sc = scenario("uniform(0, 10)")
    for seed in range(30):
        a, b = run(sc, seed, "wait"), run(sc, seed, "spend")
        assert a.value("harm") == b.value("harm")
        assert a.value("trust") == b.value("trust")
        assert a.value("cost") == 0 and 1 <= float(b.value("cost")) <= 2
        ends = [[r.time for r in ex.records if isinstance(r, ev.ThreatCompleted)] for ex in (a, b)]
        assert ends[0] == ends[1]


def test_each_application_draws_anew_and_a_run_is_reproducible() -> None:
    sc = scenario("1")
    ex = run(sc, 4)
    cuts = [
        r.old - r.new
        for r in ex.records
        if isinstance(r, ev.VariableChanged) and r.variable == "trust"
    ]
    assert len(cuts) == 2 and cuts[0] != cuts[1]
    assert [r.to_dict() for r in run(sc, 4).records] == [r.to_dict() for r in ex.records]


def test_time_stepping_does_not_change_the_draws() -> None:
    sc = scenario("uniform(0, 10)")
    for seed in range(5):
        whole = Exercise(sc, seed)
        whole.run()
        stepped = run_in_random_slices(sc, seed, seed, 9)
        assert [r.to_dict() for r in stepped.records] == [r.to_dict() for r in whole.records]


# --- bad cases -------------------------------------------------------------------------------


def problems(text: str) -> list[tuple[int, int, str]]:
    _, found = check_scenario(read_yaml_text(text, "d.yaml"), text)
    return [(p.line, p.col, p.message) for p in found if p.severity == "error"]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("uniform(8, 2)", "uniform() needs low <= high (got 8, 2): the bounds are inverted"),
        ("triangular(0, 9, 8)", "needs low <= mode <= high"),
        ("triangular(3, 3, 3)", "low < high"),
        ("normal(5, 1, 9, 4)", "needs min < max (got 9, 4): the bounds are inverted"),
        ("normal(5, -1, 0, 9)", "needs sd >= 0"),
        ("normal(5, 1)", "normal() takes 4 numbers: normal(mean, sd, min, max)"),
        ("uniform(1, trust)", "are fixed numbers, not names"),
        ("uniform(low=1, high=2)", "takes numbers only"),
        ("exponential(3)", "function calls are not allowed"),
    ],
)
def test_bad_draws_are_reported_inside_the_effect(amount: str, message: str) -> None:
    text = HEAD + BODY % amount
    found = problems(text)
    assert len(found) == 1, found
    line, col, got = found[0]
    where = text.index(amount)
    assert line == text[:where].count("\n") + 1
    assert (
        where - text.rfind("\n", 0, where) <= col < where - text.rfind("\n", 0, where) + len(amount)
    )
    assert message in got


@pytest.mark.parametrize(
    "place",
    [
        "  - {id: late, at: 2, from: gov, to: [gov], text: L., invented: true,"
        ' if: "uniform(0, 1) > 0.5"}\n',
        "  - {id: late, at: 2, from: gov, to: [gov], text: L., invented: true,"
        ' probability: "uniform(0, 1)"}\n',
    ],
    ids=["condition", "chance"],
)
def test_a_draw_outside_an_effect_is_refused(place: str) -> None:
    text = HEAD + (BODY % "1").replace("decisions:", place + "decisions:")
    ((_line, _col, message),) = problems(text)
    assert "allowed only in effects" in message
