"""An expression that fails during a run is recorded with where it is, in the same words
however the engine evaluates it (the texts are put into words only when one fails)."""

from __future__ import annotations

from pathlib import Path

from sim import events as ev
from sim.deciders import PlaybookDecider, play
from sim.engine import Exercise
from sim.loader import load_scenario_text
from sim.playbook import load_playbook

ROOT = Path(__file__).resolve().parents[2]

FAILING = [
    ("variables:\n", "variables:\n  zero: {initial: 0}\n"),
    ('detect: "0.05 + 0.3 * monitoring"', 'detect: "0.05 / zero"'),
    ('success: "0.5 + 0.4 * monitoring"', 'success: "1 / zero"'),
    ("if: \"answer_ally != 'deny'\"", 'if: "1 // zero > 0"'),
    ('if: "ally_trust > 0.5"', 'if: "ally_trust % zero"'),
    ('when: "data_exposed > 6"', 'when: "data_exposed / zero > 6"'),
    ('effects: {data_exposed: "+ 1.5"}', 'effects: {data_exposed: "+ 1.5 / zero"}'),
]


def test_failures_say_where_they_are() -> None:
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text()
    for old, new in FAILING:
        assert old in text, old
        text = text.replace(old, new)
    scenario = load_scenario_text(text)
    book = load_playbook(ROOT / "scenarios/playbooks/quickstart--cooperate.yaml", scenario)
    seen = set()
    for seed in range(20):
        for log in (True, False):
            ex = Exercise(scenario, seed, log=log)
            play(ex, PlaybookDecider(book))
            assert log or ex.outcomes.expression_failures > 0
            seen |= {
                (r.where, r.expression, r.error)
                for r in ex.records
                if isinstance(r, ev.ExpressionFailed)
            }
    assert seen == {
        ("condition", "data_exposed / zero > 6", "division by zero"),
        ("inject:ally_follow_up", "1 // zero > 0", "division by zero"),
        ("response:joint_hunt.success", "1 / zero", "division by zero"),
        ("response:tell_ally.starts", "ally_trust % zero", "division by zero"),
        (
            "threat:cable_espionage.exfiltration → data_exposed",
            "+ 1.5 / zero",
            "division by zero",
        ),
        ("threat:cable_espionage.persistence", "0.05 / zero", "division by zero"),
    }
