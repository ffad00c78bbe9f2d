"""An inject the players never receive (between two actors not on their side) stays secret:
its id is not the players' cause of what it changed, nor of the threat it revealed."""

from __future__ import annotations

import json

from sim.describe import describe
from sim.engine import Exercise
from sim.loader import load_scenario_text
from sim.report import RunResult
from sim.views import view

COVERT = """
scenario:
  id: covert
  title: Covert
  summary: An inject between the adversary and an ally.
  start: 2020-07-01T09:00:00+09:00
  time_unit: hours
  horizon: 48
  seed: 1
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: shadow, name: Shadow, affiliation: adversary}
  - {id: partner, name: Partner, affiliation: ally}
variables:
  trust: {initial: 0.5, min: 0, max: 1}
threats:
  - id: intrusion
    actor: shadow
    at: 1
    stages:
      - {id: dwell, duration: 10, detect: "0"}
injects:
  - id: covertsecretxyz
    at: 4
    from: shadow
    to: [partner]
    title: Back channel
    text: The adversary tips off the ally.
    invented: true
    effects: {trust: "- 0.05"}
    reveals: [intrusion]
"""


def players_text(ex: Exercise) -> str:
    seen = view(ex, controller=False)
    parts = [describe(r, ex.scenario) for r in seen.records]
    parts += [json.dumps(r.to_dict()) for r in seen.records]
    parts += [RunResult(ex, None).to_text(controller=False)]
    parts += [json.dumps(RunResult(ex, None).to_json_data(controller=False))]
    return "\n".join(parts)


def test_players_never_see_the_id_of_an_inject_they_did_not_receive() -> None:
    ex = Exercise(load_scenario_text(COVERT), 1)
    ex.run()
    assert "covertsecretxyz" not in players_text(ex)
    # the controller still sees the real cause
    controller = "\n".join(describe(r, ex.scenario, True) for r in ex.records)
    assert "(inject:covertsecretxyz)" in controller


def test_what_it_changed_and_revealed_is_seen_unexplained() -> None:
    ex = Exercise(load_scenario_text(COVERT), 1)
    ex.run()
    lines = [describe(r, ex.scenario) for r in view(ex, controller=False).records]
    assert any(line.startswith("trust 0.5 → 0.45 ▼ (unexplained)") for line in lines)
    assert any(line.startswith("threat intrusion detected") for line in lines)
