"""(v2) Variable bounds that refer to other variables: data published never exceeds data stolen."""

from __future__ import annotations

import pytest
from stepping import run_in_random_slices

from sim import events as ev
from sim.engine import Exercise
from sim.loader import check_scenario, load_scenario_text
from sim.schema import Scenario
from sim.yamlread import read_yaml_text

HEAD = """format: 2
scenario:
  id: bounds
  title: Bounds
  summary: Published never exceeds stolen.
  start: 2020-01-01T00:00:00+00:00
  horizon: 100
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: apt, name: Intruders, affiliation: adversary}
"""
BODY = """variables:
  stolen: {initial: 10}
  published: {initial: 0, %s}
  floor: {initial: 0}
injects:
  - {id: leak, at: 1, from: gov, to: [gov], text: L., invented: true, effects: {published: "+ 25"}}
  - {id: more, at: 2, from: gov, to: [gov], text: M., invented: true, effects: {stolen: "+ 5"}}
  - {id: more2, at: 3, from: gov, to: [gov], text: M., invented: true, effects: {published: "+ 25"}}
  - {id: wipe, at: 4, from: gov, to: [gov], text: W., invented: true, effects: {stolen: "= 4"}}
  - {id: low, at: 5, from: gov, to: [gov], text: L., invented: true, effects: {floor: "= 3"}}
"""


def scenario(bounds: str) -> Scenario:
    return load_scenario_text(HEAD + BODY % bounds, "b.yaml")


def values_at(ex: Exercise, name: str) -> list[tuple[float, float, str]]:
    return [
        (r.time, r.new, r.cause)
        for r in ex.records
        if isinstance(r, ev.VariableChanged) and r.variable == name
    ]


def test_a_change_never_passes_a_bound_on_another_variable() -> None:
    ex = Exercise(scenario("at_most: stolen, at_least: floor"), 0)
    ex.run()
    assert values_at(ex, "published") == [
        (1, 10, "inject:leak"),  # + 25, kept at stolen (10)
        (3, 15, "inject:more2"),  # stolen grew to 15
        (4, 4, "bound:published"),  # stolen fell to 4: published follows it down
    ]
    assert ex.value("published") == 4  # floor 3 < 4: the lower bound changes nothing


def test_the_lower_bound_wins_when_they_cross() -> None:
    ex = Exercise(scenario('at_most: "stolen - 5", at_least: floor'), 0)
    ex.run()
    # at 4 stolen is 4: at most -1, at least 0 → 0; at 5 floor is 3 → 3
    assert values_at(ex, "published")[-2:] == [(4, 0, "bound:published"), (5, 3, "bound:published")]


def test_bounds_keep_their_min_and_max() -> None:
    ex = Exercise(scenario("at_most: stolen * 2, max: 12"), 0)
    ex.run()
    assert max(v for _, v, _ in values_at(ex, "published")) == 12


def test_time_stepping_does_not_change_bounded_values() -> None:
    sc = scenario("at_most: stolen, at_least: floor")
    whole = Exercise(sc, 0)
    whole.run()
    for seed in range(5):
        stepped = run_in_random_slices(sc, 0, seed, 2)
        assert [r.to_dict() for r in stepped.records] == [r.to_dict() for r in whole.records]


# --- bad cases -------------------------------------------------------------------------------


def problems(text: str) -> list[tuple[int, str]]:
    _, found = check_scenario(read_yaml_text(text, "b.yaml"), text)
    return [(p.line, p.message) for p in found if p.severity == "error"]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("bounds", "message"),
    [
        ('at_most: "published + 1"', "the bound of 'published' reads 'published' itself"),
        ("at_most: stollen", "unknown name 'stollen' (did you mean 'stolen'?)"),
        ("at_most: [stolen]", "expected a number"),
        ("at_least: 5", "the initial value 0 is below its bound '5' (5 at the start)"),
        ("at_most: stolen - 20", "the initial value 0 is above its bound 'stolen - 20'"),
    ],
)
def test_bad_bounds_are_reported_at_their_places(bounds: str, message: str) -> None:
    text = HEAD + BODY % bounds
    found = problems(text)
    assert found and all(line == line_of(text, "published: {initial") for line, _ in found), found
    assert any(message in m for _, m in found), found


def test_a_loop_of_bounds_is_refused() -> None:
    text = HEAD + (BODY % "at_most: stolen").replace(
        "stolen: {initial: 10}", "stolen: {initial: 10, at_least: published}"
    )
    ((line, message),) = problems(text)
    assert line == line_of(text, "stolen: {initial")
    assert "the bounds of stolen → published → stolen refer to each other in a loop" in message


def test_bounds_in_a_format_1_file_are_refused() -> None:
    text = (HEAD + BODY % "at_most: stolen").replace("format: 2", "format: 1")
    ((line, message),) = problems(text)
    assert line == line_of(text, "published: {initial")
    assert "'at_most' is a format 2 key" in message
