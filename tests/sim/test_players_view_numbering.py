"""The players' JSON numbers their events among themselves: the engine's own numbering (gaps
where hidden records were) told them how many things happened out of their sight, and when
(seq 0 at t=0, then seq 4 at t=2: three hidden records by t=2)."""

from __future__ import annotations

import json

from sim.engine import Exercise
from sim.loader import load_scenario_text
from sim.report import RunResult

SCENARIO = """
scenario:
  id: numbering
  title: Numbering
  summary: A campaign the players never see.
  start: 2020-07-01T09:00:00+09:00
  time_unit: hours
  horizon: 48
  seed: 1
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: shadow, name: Shadow, affiliation: adversary}
variables:
  trust: {initial: 0.5, min: 0, max: 1}
  stolen: {initial: 0, min: 0, hidden: true}
threats:
  - id: lurk
    actor: shadow
    at: 1
    stages:
      - {id: dwell, duration: 1, detect: "0", effects: {stolen: "+ 1"}, repeat: true}
injects:
  - {id: hello, at: 10, from: gov, to: [gov], text: Hello., invented: true}
"""


def test_the_players_events_are_numbered_without_gaps() -> None:
    ex = Exercise(load_scenario_text(SCENARIO), 1)
    ex.run()
    players = json.loads(RunResult(ex, None).to_json(controller=False))["events"]
    assert [e["seq"] for e in players] == list(range(len(players)))
    controller = json.loads(RunResult(ex, None).to_json())["events"]
    assert [e["seq"] for e in controller] == list(range(len(controller)))
    assert len(controller) > len(players)  # the campaign's records are the controller's
