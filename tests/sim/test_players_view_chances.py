"""A response's chance of success that reads what the players cannot see is not told to them
when it fails: 'did not work (chance was 45%)' would give away a hidden variable's value (or
an undetected campaign), as it did in diplomatic-cable-breach (intruders_alerted)."""

from __future__ import annotations

import json

from sim import events as ev
from sim.describe import describe
from sim.engine import Exercise
from sim.loader import load_scenario_text
from sim.report import RunResult
from sim.views import view

SCENARIO = """
scenario:
  id: chances
  title: Chances
  summary: Two probes, one whose chance reads a secret.
  start: 2020-07-01T09:00:00+09:00
  time_unit: hours
  horizon: 48
  seed: 1
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: shadow, name: Shadow, affiliation: adversary}
variables:
  readiness: {initial: 0.1, min: 0, max: 1}
  alertedxyz: {initial: 0.37, min: 0, max: 1, hidden: true}
threats:
  - id: lurkxyz
    actor: shadow
    at: 0
    stages:
      - {id: dwell, duration: 40, detect: "0"}
injects:
  - {id: go, at: 1, from: gov, to: [gov], text: Act?, invented: true, decision: act}
decisions:
  - id: act
    owner: gov
    prompt: Probe?
    default: probe
    deadline: 2
    options:
      - {id: probe, label: Probe, responses: [secret_probe, threat_probe, open_probe]}
      - {id: wait, label: Wait}
responses:
  - {id: secret_probe, kind: countermeasure, actor: gov, duration: 1,
     success: "alertedxyz * 0"}
  - {id: threat_probe, kind: countermeasure, actor: gov, duration: 1,
     success: "0.13 * (1 if lurkxyz == 'detected' else 0)"}
  - {id: open_probe, kind: countermeasure, actor: gov, duration: 1, success: "readiness * 0"}
"""


def failures(ex: Exercise, controller: bool) -> dict[str, str]:
    return {
        r.response: r.reason
        for r in view(ex, controller).records
        if isinstance(r, ev.ResponseFailed)
    }


def test_a_chance_reading_a_secret_is_not_told_to_the_players() -> None:
    ex = Exercise(load_scenario_text(SCENARIO), 1)
    ex.run()
    said = failures(ex, controller=False)
    assert said["secret_probe"] == "did not work"
    assert said["threat_probe"] == "did not work"
    lines = [describe(r, ex.scenario) for r in view(ex, controller=False).records]
    lines += RunResult(ex, None).to_text(controller=False).splitlines()
    lines += [json.dumps(e) for e in RunResult(ex, None).to_json_data(controller=False)["events"]]
    told = [line for line in lines if "secret_probe" in line or "threat_probe" in line]
    assert any("failed" in line for line in told)
    assert not any("chance" in line for line in told)


def test_a_chance_reading_only_what_players_see_is_told() -> None:
    ex = Exercise(load_scenario_text(SCENARIO), 1)
    ex.run()
    assert failures(ex, controller=False)["open_probe"] == "did not work (chance was 0%)"
    # the controller sees every chance
    assert failures(ex, controller=True)["secret_probe"] == "did not work (chance was 0%)"
