"""Free text the players' view quotes (an evaluator's note, a playbook's reason) that names an
adversary the players never met is withheld, as the players' edition of the report withholds
it: the console's players' view (and the projector) showed it."""

from __future__ import annotations

from sim.commands import Rate
from sim.describe import describe
from sim.engine import Exercise
from sim.loader import load_scenario_text
from sim.views import view

SCENARIO = """
format: 2
scenario:
  id: unmet
  title: Unmet
  summary: An adversary the players never meet.
  start: 2020-07-01T09:00:00+09:00
  time_unit: hours
  horizon: 10
  seed: 1
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: shadowxyz, name: Shadow, affiliation: adversary}
threats:
  - id: lurk
    actor: shadowxyz
    at: 1
    stages:
      - {id: dwell, duration: 100, detect: "0"}
injects:
  - {id: hello, at: 2, from: gov, to: [gov], text: Hello., invented: true}
objectives:
  - id: one_voice
    description: The government speaks with one voice.
    rated_by: evaluator
"""


def test_an_evaluators_note_naming_an_unmet_adversary_is_withheld() -> None:
    ex = Exercise(load_scenario_text(SCENARIO), 1)
    ex.run()
    ex.submit(Rate(objective="one_voice", rating="partially", note="shadowxyz was inside"))
    players = view(ex, controller=False)
    shown = [r.evidence for r in players.ratings]
    shown += [describe(r, ex.scenario) for r in players.records]
    assert not any("shadowxyz" in text for text in shown)
    assert [r.rating for r in players.ratings] == ["partially"]
    controller = view(ex, controller=True)
    assert any("shadowxyz was inside" in r.evidence for r in controller.ratings)
