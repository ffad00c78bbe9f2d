"""The batch helper scripts run on every bundled scenario, as the trainer docs tell authors to.

An objective rated by an evaluator has no rating in a batch: the scripts leave it out of their
tables instead of failing on it.
"""

from __future__ import annotations

import decision_sweep
import pytest
import scenario_batches

from sim.bundled import bundled_names
from sim.loader import load_scenario

SCENARIOS = bundled_names()
RUNS = "2"


def _objectives(scenario_id: str) -> tuple[set[str], set[str]]:
    """(the objectives the engine rates, those an evaluator rates)."""
    sc = load_scenario(scenario_batches.scenario_path(scenario_id))
    by_evaluator = {o.id for o in sc.objectives if o.rated_by == "evaluator"}
    return {o.id for o in sc.objectives} - by_evaluator, by_evaluator


def test_some_bundled_scenario_has_an_objective_rated_by_an_evaluator() -> None:
    """Otherwise the tests below would not hold the scripts to that case."""
    assert any(_objectives(sid)[1] for sid in SCENARIOS)


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_scenario_batches_prints_its_tables(
    scenario_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = scenario_batches.main([scenario_id, "--runs", RUNS, "--sweep-runs", RUNS])
    out = capsys.readouterr().out
    assert code == 0
    rated, by_evaluator = _objectives(scenario_id)
    for obj in rated:
        assert f"| `{obj}` |" in out
    for obj in by_evaluator:
        assert f"`{obj}`" not in out


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_decision_sweep_prints_its_table(
    scenario_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    [reference, *_] = scenario_batches.playbook_names(scenario_id)
    code = decision_sweep.main([scenario_id, reference, "--runs", RUNS, "--detail"])
    out = capsys.readouterr().out
    assert code == 0
    rated, by_evaluator = _objectives(scenario_id)
    [detail] = [line for line in out.splitlines() if line.startswith("met share per option: ")]
    assert set(detail.removeprefix("met share per option: ").split(", ")) == rated
    for obj in by_evaluator:
        assert obj not in out
