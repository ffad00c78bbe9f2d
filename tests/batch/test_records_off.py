"""A batch's runs keep no log: their summaries must be exactly what the logged runs give.

A batch plays each replication with ``Exercise(..., log=False)``: the records are counted, not
built, and the outcomes a batch reads (ratings, decisions posed and taken, responses that
succeeded, format-v2 threat branches taken and retries started, expression failures) are
noted as they would have been recorded. Here every bundled scenario, with each of its
playbooks and the random decider, is played both ways on the same seeds, and every tally of
every run must be the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from batch_helpers import BOOKS, COOPERATE, QUICKSTART, ROOT

from sim.batch.recipe import PolicyText, Recipe, recipe_from_files
from sim.batch.replicate import NOT_POSED, UNDECIDED_AT_END, Prepared, RunSummary
from sim.clock import CLOCK
from sim.commands import Decide
from sim.deciders import Choice, DefaultDecider, PlaybookDecider, play
from sim.engine import Exercise, ExerciseError, OpenDecision
from sim.loader import load_scenario_text
from sim.playbook import load_playbook

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
RUNS = 12


def _both_ways(recipe: Recipe) -> tuple[list[RunSummary], list[RunSummary]]:
    logged, quiet = Prepared(recipe, log=True), Prepared(recipe, log=False)
    n = len(recipe.policies)
    runs = [(i, p) for i in range(recipe.runs) for p in range(n)]
    root = recipe.root_seed
    return (
        [logged.replicate(root, i, p) for i, p in runs],
        [quiet.replicate(root, i, p) for i, p in runs],
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_a_batch_without_logs_tallies_what_the_logs_say(scenario: Path) -> None:
    books = sorted(BOOKS.glob(f"{scenario.stem}--*.yaml"))
    recipe = recipe_from_files(scenario, books, runs=RUNS, seed=11, random_decider=True)
    logged, quiet = _both_ways(recipe)
    assert all(s.error is None for s in logged)
    assert quiet == logged
    # the runs are not all alike: the comparison covers different outcomes
    assert len({s.finals for s in logged}) > 1
    assert any(any(s.succeeded) for s in logged)
    assert len({s.decisions for s in logged}) > 1
    # (v2) branches and retries: taken or retried in some runs wherever the scenario has them
    layout = Prepared(recipe).layout
    if layout.branches:
        assert any(any(s.branches) for s in logged)
    if layout.retrying:
        assert any(any(s.retries) for s in logged)


SLOW = """
playbook: {id: slow, title: "Take the remediation past the end", scenario: quickstart}
decisions:
  answer_ally: cooperate
  remediation: {choose: rebuild, after: 1000}
"""


def test_failures_and_open_decisions_are_tallied_alike_without_logs() -> None:
    """Expression failures, decisions never posed and decisions still open at the end."""
    text = QUICKSTART.read_text(encoding="utf-8")
    failing = text.replace(
        'success: "0.5 + 0.4 * monitoring"', 'success: "0.5 / (monitoring - monitoring)"'
    ).replace("deadline: 48", "deadline: 9000")
    assert failing.count("9000") == 1 and "monitoring - monitoring" in failing
    policies = (
        *recipe_from_files(QUICKSTART, [COOPERATE], runs=1).policies,
        PolicyText("slow", SLOW),
    )
    recipe = Recipe(failing, str(QUICKSTART), policies, root_seed=3, runs=40)
    logged, quiet = _both_ways(recipe)
    assert all(s.error is None for s in logged)
    assert quiet == logged
    assert any(s.expression_failures for s in logged)
    assert any(NOT_POSED in s.decisions for s in logged)
    assert any(UNDECIDED_AT_END in s.decisions for s in logged)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_run_without_a_log_is_the_same_run(seed: int) -> None:
    """Same steps, same final state, as many records counted as the log holds; none kept."""
    scenario = load_scenario_text(QUICKSTART.read_text(encoding="utf-8"))
    book = PlaybookDecider(load_playbook(COOPERATE, scenario))
    logged, quiet = Exercise(scenario, seed), Exercise(scenario, seed, log=False)
    play(logged, book)
    play(quiet, book)
    assert quiet.records == []
    assert quiet.recorded == logged.recorded == len(logged.records)
    assert quiet.events_processed == logged.events_processed
    assert quiet.env.now == logged.env.now
    names = [n for n in logged._state if n != CLOCK]  # every variable and element status
    assert [quiet.value(n) for n in names] == [logged.value(n) for n in names]
    # the logged run moved and decided by commands; the run without a log by the same moves
    # without them (sim.deciders.play): nobody reads a batch's command log, none is kept
    assert any(isinstance(c.command, Decide) for c in logged.command_log)
    assert quiet.command_log == []


def _same_end(
    scenario_text: str, seeds: range, book: Path | None = None
) -> list[dict[str, object]]:
    """Play each seed with a log and without (decisions defaulting, or by ``book``); the same
    final state, clock and count of records. Returns the logged runs' final states."""
    scenario = load_scenario_text(scenario_text)
    ends = []
    for seed in seeds:
        logged, quiet = Exercise(scenario, seed), Exercise(scenario, seed, log=False)
        for ex in (logged, quiet):
            play(
                ex,
                DefaultDecider()
                if book is None
                else PlaybookDecider(load_playbook(book, scenario)),
            )
        names = [n for n in logged._state if n != CLOCK]
        assert [quiet.value(n) for n in names] == [logged.value(n) for n in names], seed
        assert quiet.recorded == logged.recorded == len(logged.records)
        assert quiet.env.now == logged.env.now
        ends.append({n: logged.value(n) for n in names})
    return ends


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_effects_without_a_log_end_alike(scenario: Path) -> None:
    """A run without a log applies its effects by a short path of its own (sim.engine's
    ``apply_plan``): every value ends as the logged run's, as many changes counted."""
    _same_end(scenario.read_text(encoding="utf-8"), range(6))


def test_effects_without_a_log_are_clamped_alike() -> None:
    """Tight bounds, reached from both sides: clamped the same way with a log and without."""
    text = QUICKSTART.read_text(encoding="utf-8")
    for old, new in [
        (
            "ally_trust: {initial: 0.7, min: 0, max: 1,",
            "ally_trust: {initial: 0.7, min: 0.6, max: 0.8,",
        ),
        (
            "public_trust: {initial: 0.6, min: 0, max: 1,",
            "public_trust: {initial: 0.6, min: 0.55, max: 1,",
        ),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    ends = _same_end(text, range(6)) + _same_end(text, range(6), COOPERATE)
    assert any(e["ally_trust"] == 0.8 for e in ends) and any(e["ally_trust"] == 0.6 for e in ends)
    assert any(e["public_trust"] == 0.55 for e in ends)


class _Late:
    """A decider whose second choice comes after the decision's deadline."""

    name = "late"

    def __init__(self) -> None:
        self.asked = 0

    def choose(self, exercise: Exercise, pending: OpenDecision) -> Choice | None:
        self.asked += 1
        after = 0.0 if self.asked == 1 else pending.deadline - pending.opened
        return Choice(pending.decision.options[0].id, after)


def test_a_choice_refused_without_a_log_is_refused_alike() -> None:
    """A choice the exercise refuses stops both runs with the same error, at the same point."""
    scenario = load_scenario_text(QUICKSTART.read_text(encoding="utf-8"))
    errors = []
    for log in (True, False):
        ex = Exercise(scenario, 5, log=log)
        with pytest.raises(ExerciseError) as caught:
            play(ex, _Late())
        errors.append((str(caught.value), ex.recorded, ex.now))
    assert errors[0] == errors[1]
    assert "is not before the deadline of 'remediation'" in errors[0][0]


def test_only_an_exercise_without_a_log_moves_without_commands() -> None:
    """A logged exercise's command log must replay it: the unlogged moves are refused."""
    scenario = load_scenario_text(QUICKSTART.read_text(encoding="utf-8"))
    ex = Exercise(scenario, 1)
    with pytest.raises(ExerciseError, match="moves only by commands"):
        ex.advance_unlogged()
    with pytest.raises(ExerciseError, match="moves only by commands"):
        ex.decide_unlogged("answer_ally", "cooperate")
    assert ex.now == 0 and ex.command_log == []


def test_branches_and_retries_are_tallied_alike_without_logs() -> None:
    """Branches taken (to a stage called 'end', to the campaign's end, back to an earlier
    stage; a campaign with branches that never starts) and retries (one run may retry
    several times): the same with and without the log, and the scenario covers them all."""
    here = Path(__file__).parent
    scenario = here / "data" / "branches-and-retries.yaml"
    recipe = recipe_from_files(scenario, [], runs=60, seed=2)
    logged, quiet = _both_ways(recipe)
    assert all(s.error is None for s in logged)
    assert quiet == logged
    layout = Prepared(recipe).layout
    assert layout.retrying == ("patch",)
    assert layout.branches == (
        ("raiders", "scout", "strike"),
        ("raiders", "scout", "end"),
        ("raiders", "scout", ""),
        ("raiders", "strike", "scout"),
        ("sleeper", "wake", "bite"),
        ("sleeper", "wake", ""),
    )
    for i in range(4):
        assert 0 < sum(s.branches[i] for s in logged) < len(logged)
    assert not any(s.branches[4] or s.branches[5] for s in logged)
    assert {s.retries for s in logged} >= {(0,), (1,), (2,)}
