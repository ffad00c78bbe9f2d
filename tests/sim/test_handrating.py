"""Objectives rated by an evaluator (`rated_by: evaluator`, the Rate command): bad cases first."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import events as ev
from sim.bundled import resolve
from sim.commands import Rate, command_from_json, command_to_json
from sim.deciders import DefaultDecider, play
from sim.engine import Exercise, ExerciseError
from sim.loader import load_scenario, load_scenario_text
from sim.problems import InputProblems
from sim.replay import replay
from sim.views import view

HAND = "one_voice"


def showcase() -> Exercise:
    path = resolve("showcase")
    assert path is not None
    return Exercise(load_scenario(path), 7)


def standing(ex: Exercise, objective: str, controller: bool = True) -> tuple[str | None, str]:
    r = next(r for r in view(ex, controller).ratings if r.objective == objective)
    return r.rating, r.evidence


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (Rate(objective="nope", rating="met"), "there is no objective 'nope'"),
        (Rate(objective="keep_the_ally", rating="met"), "rated by the engine"),
        (Rate(objective=HAND, rating="excellent"), "a rating is 'met', 'partially' or 'not_met'"),
        (Rate(objective=HAND, rating=""), "a rating is"),
        (Rate(objective=HAND, rating="met", note="x" * 5000), "too long"),
    ],
)
def test_bad_ratings_are_refused_and_nothing_is_logged(command: Rate, words: str) -> None:
    ex = showcase()
    with pytest.raises(ExerciseError, match=words):
        ex.submit(command)
    assert ex.command_log == []
    assert standing(ex, HAND) == ("awaiting", "awaiting evaluator")


def test_the_json_codec_reads_and_writes_a_rating() -> None:
    c = Rate(by="evaluator", objective=HAND, rating="partially", note="two voices on day 2")
    assert command_from_json(command_to_json(c)) == c
    old = '{"format":1,"kind":"note","by":"facilitator","text":"before ratings existed"}'
    assert command_from_json(old).kind == "note"


def test_awaiting_until_rated_then_the_rating_counts_at_the_end() -> None:
    ex = showcase()
    ex.run_until_decision()
    assert standing(ex, HAND, controller=False) == ("awaiting", "awaiting evaluator")
    ex.submit(Rate(by="evaluator", objective=HAND, rating="not_met", note="mixed messages"))
    ex.submit(Rate(by="evaluator", objective=HAND, rating="partially", note="better later"))
    ex.settle()
    assert standing(ex, HAND)[0] == "partially"
    play(ex, DefaultDecider())
    final = [r for r in ex.records if isinstance(r, ev.ObjectiveEvaluated) and r.objective == HAND]
    assert [r.rating for r in final] == ["partially"]
    assert "better later" in final[0].evidence
    rated = [r for r in view(ex, False).records if isinstance(r, ev.ObjectiveRated)]
    assert [r.rating for r in rated] == ["not_met", "partially"]  # the room sees ratings


def test_a_rating_in_the_debrief_after_the_end_replaces_awaiting_and_replays() -> None:
    ex = showcase()
    play(ex, DefaultDecider())
    assert ex.finished and standing(ex, HAND)[0] == "awaiting"
    ex.submit(Rate(by="evaluator", objective=HAND, rating="met", note="one spokesperson"))
    assert standing(ex, HAND) == (
        "met",
        f"rated by the evaluator at {ex.clock_text(ex.now)}: one spokesperson",
    )
    with pytest.raises(ExerciseError, match="ended"):
        ex.note("other commands still wait for a running exercise")
    again = replay(ex.scenario, ex.seed, list(ex.command_log))
    assert [r.to_dict() for r in again.records] == [r.to_dict() for r in ex.records]


def test_a_note_naming_hidden_state_is_withheld_from_the_players() -> None:
    ex = showcase()
    hidden = next(n for n, v in ex.scenario.variables.items() if v.hidden)
    play(ex, DefaultDecider())
    ex.submit(Rate(objective=HAND, rating="not_met", note=f"they never asked about {hidden}"))
    assert hidden in standing(ex, HAND, controller=True)[1]
    rating, evidence = standing(ex, HAND, controller=False)
    assert rating == "not_met" and hidden not in evidence
    told = [r for r in view(ex, False).records if isinstance(r, ev.ObjectiveRated)]
    assert told and all(hidden not in r.note for r in told)


SCENARIO = """\
format: {version}
scenario: {{id: t, title: T, summary: s, start: "2020-01-01T00:00:00", horizon: 10}}
actors: [{{id: a, name: A, affiliation: government, player: true}}]
injects: [{{id: i, at: 1, from: a, to: [a], title: x, text: y, invented: true}}]
objectives:
{objectives}
"""


@pytest.mark.parametrize(
    ("version", "objective", "words"),
    [
        (2, "{id: o, description: d, rated_by: evaluator, met: 'true'}", "has no condition"),
        (2, "{id: o, description: d, rated_by: evaluator, at: 3}", "remove 'at'"),
        (2, "{id: o, description: d}", "missing key 'met'"),
        (2, "{id: o, description: d, rated_by: judge}", "'engine' or 'evaluator'"),
        (1, "{id: o, description: d, rated_by: evaluator}", "is a format 2 key"),
    ],
)
def test_bad_rated_by_is_an_error_at_the_objective(
    version: int, objective: str, words: str
) -> None:
    text = SCENARIO.format(version=version, objectives=f"  - {objective}")
    with pytest.raises(InputProblems) as caught:
        load_scenario_text(text, "t.yaml")
    messages = [p.message for p in caught.value.problems]
    assert any(words in m for m in messages), messages
    assert all(p.line == 6 for p in caught.value.problems if words in p.message)


def test_an_evaluator_objective_loads(tmp_path: Path) -> None:
    text = SCENARIO.format(version=2, objectives="  - {id: o, description: d, rated_by: evaluator}")
    scenario = load_scenario_text(text, "t.yaml")
    assert scenario.objectives[0].rated_by == "evaluator"


def test_a_batch_leaves_out_an_objective_only_an_evaluator_can_rate() -> None:
    from sim.batch.recipe import recipe_from_files
    from sim.batch.results import batch_data
    from sim.batch.runner import run_batch

    path = resolve("showcase")
    assert path is not None
    data = batch_data(run_batch(recipe_from_files(path, runs=6, seed=3), jobs=1))
    for policy in data["policies"]:
        ids = [o["id"] for o in policy["objectives"]]
        assert HAND not in ids and "keep_the_ally" in ids and "little_taken" in ids
    assert data["failures"]["count"] == 0


def test_while_it_runs_the_players_see_the_rating_but_not_the_note_in_panel_and_log() -> None:
    ex = showcase()
    ex.run_until_decision()
    ex.submit(Rate(objective=HAND, rating="partially", note="two voices at the briefing"))
    ex.settle()
    panel = next(r for r in view(ex, False).ratings if r.objective == HAND)
    logged = [r for r in view(ex, False).records if isinstance(r, ev.ObjectiveRated)]
    assert [(r.rating, r.note) for r in logged] == [("partially", "")]
    assert panel.note == "" and "voices" not in panel.evidence
    controller = next(r for r in view(ex, True).ratings if r.objective == HAND)
    assert controller.note == "two voices at the briefing"
    told = [r for r in view(ex, True).records if isinstance(r, ev.ObjectiveRated)]
    assert [r.note for r in told] == ["two voices at the briefing"]
