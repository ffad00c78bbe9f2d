"""Adversary campaigns (sim.threats) as a facilitator reads them in the log: each stage takes
its drawn time, a detection due during a stage comes within it, and a slow or a stop in the
middle of a stage acts on what is left of it (the time already spent is kept)."""

from __future__ import annotations

import pytest

from sim import events as ev
from sim.engine import Exercise
from sim.loader import load_scenario_text

SCENARIO = """
scenario:
  id: campaign
  title: Campaign
  summary: One campaign of two stages, and countermeasures to slow or stop it.
  start: 2020-01-01T00:00:00+00:00
  horizon: 1000
actors:
  - {id: gov, name: Government, affiliation: government, capacity: 2}
  - {id: apt, name: Intruders, affiliation: adversary}
variables:
  loss: {initial: 0, min: 0}
threats:
  - id: intrusion
    actor: apt
    at: 0
    stages:
      - {id: access, duration: 100, detect: DETECT}
      - {id: theft, duration: 50, effects: {loss: "+ 1"}}
injects:
  - {id: note, at: 999, from: gov, to: [gov], text: A quiet day, invented: true}
decisions: []
responses:
  - {id: slow_it, kind: countermeasure, actor: gov, duration: 0, success: 1, slows: {intrusion: 2}}
  - {id: stop_it, kind: countermeasure, actor: gov, duration: 0, success: 1, stops: [intrusion]}
objectives:
  - {id: no_loss, description: Nothing lost, met: "loss < 1"}
"""


def exercise(detect: str = "0", seed: int = 1) -> Exercise:
    return Exercise(load_scenario_text(SCENARIO.replace("DETECT", detect)), seed)


def times(ex: Exercise, kind: type[ev.Event]) -> list[float]:
    return [r.time for r in ex.records if isinstance(r, kind)]


def test_each_stage_takes_its_time_and_then_its_effects_apply() -> None:
    ex = exercise()
    ex.run()
    assert times(ex, ev.ThreatStageReached) == [0.0, 100.0]
    assert times(ex, ev.ThreatCompleted) == [150.0]
    assert ex.value("loss") == 1
    assert times(ex, ev.ThreatDetected) == []


def test_a_detection_due_in_a_stage_comes_within_it_and_the_stage_still_ends_on_time() -> None:
    for seed in range(5):
        ex = exercise("1", seed)
        ex.run()
        [detected] = times(ex, ev.ThreatDetected)
        assert 0.0 <= detected < 100.0
        assert times(ex, ev.ThreatStageReached) == [0.0, 100.0]
        assert times(ex, ev.ThreatCompleted) == [150.0]


@pytest.mark.parametrize("detect", ["0", "1"])
def test_a_slow_in_the_middle_of_a_stage_stretches_only_what_is_left(detect: str) -> None:
    ex = exercise(detect)
    ex.run_until(40)
    ex.start_response("slow_it")
    ex.run()
    [slowed] = times(ex, ev.ThreatSlowed)
    assert slowed == 40.0
    # 40 spent, 60 left ×2; the next stage is slowed too (50 ×2)
    assert times(ex, ev.ThreatStageReached) == [0.0, 160.0]
    assert times(ex, ev.ThreatCompleted) == [260.0]


def test_a_slowed_detection_still_due_comes_later_by_the_same_factor() -> None:
    plain, slowed = exercise("1", 3), exercise("1", 3)
    plain.run()
    [first] = times(plain, ev.ThreatDetected)
    assert first > 1.0  # (seed 3) detected after the slow below
    slowed.run_until(1)
    slowed.start_response("slow_it")
    slowed.run()
    [later] = times(slowed, ev.ThreatDetected)
    assert later == pytest.approx(1 + (first - 1) * 2)


@pytest.mark.parametrize("detect", ["0", "1"])
def test_a_stop_in_the_middle_of_a_stage_ends_the_campaign_there(detect: str) -> None:
    ex = exercise(detect)
    ex.run_until(40)
    ex.start_response("stop_it")
    ex.run()
    [stopped] = [r for r in ex.records if isinstance(r, ev.ThreatStopped)]
    assert (stopped.time, stopped.stage) == (40.0, "access")
    assert times(ex, ev.ThreatStageReached) == [0.0]
    assert times(ex, ev.ThreatCompleted) == []
    assert ex.value("intrusion") == "stopped"
    assert ex.value("loss") == 0


def test_a_campaign_without_branches_runs_each_stage_in_turn_a_repeating_one_to_the_limit() -> None:
    from sim.branches import MAX_REPEATS, stage_path

    text = SCENARIO.replace("DETECT", "0").replace("effects: {loss", "repeat: true, effects: {loss")
    for _run in range(2):  # the second run finds the rounds worked out by the first
        ex = Exercise(load_scenario_text(text), 1)
        threat = ex.threats["intrusion"]
        path = [s.id for s in stage_path(ex, threat, ex.views.stages["intrusion"])]
        assert path == ["access"] + ["theft"] * MAX_REPEATS
