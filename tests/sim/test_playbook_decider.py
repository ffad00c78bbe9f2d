"""A playbook decider answers with its own playbook's rules: the first whose condition holds,
with the playbook and the condition named as the reason, run after run and whichever other
playbooks were followed in between (a batch plans each playbook's rules once)."""

from __future__ import annotations

from pathlib import Path

from sim.deciders import PlaybookDecider, play
from sim.engine import Exercise
from sim.events import DecisionMade
from sim.loader import load_scenario
from sim.playbook import load_playbook_text

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = load_scenario(ROOT / "scenarios/quickstart.yaml")

FIRST = """
playbook: {id: first}
decisions:
  answer_ally:
    - {choose: deny, if: "ally_trust > 5"}
    - {choose: cooperate, after: 2}
  remediation: rebuild
"""
SECOND = """
playbook: {id: second}
decisions:
  answer_ally: {choose: acknowledge, if: "ally_trust > 0.5"}
"""


def made(book_text: str, seed: int) -> dict[str, tuple[str, float, str]]:
    ex = Exercise(SCENARIO, seed)
    play(ex, PlaybookDecider(load_playbook_text(book_text, SCENARIO)))
    return {
        r.decision: (r.option, r.time, r.rationale)
        for r in ex.records
        if isinstance(r, DecisionMade) and r.by == "playbook"
    }


def test_each_playbook_answers_with_its_own_rules_run_after_run() -> None:
    for seed in (1, 2):
        first, second = made(FIRST, seed), made(SECOND, seed)
        assert first["answer_ally"] == ("cooperate", 8.0, "playbook first")
        assert first["remediation"][0] == "rebuild"
        assert second == {
            "answer_ally": ("acknowledge", 6.0, "playbook second (because ally_trust > 0.5)")
        }
        assert made(FIRST, seed) == first


def test_a_batch_run_takes_the_same_choices_as_a_logged_run() -> None:
    book = load_playbook_text(FIRST, SCENARIO)
    for seed in range(5):
        logged, batch = Exercise(SCENARIO, seed), Exercise(SCENARIO, seed, log=False)
        play(logged, PlaybookDecider(book))
        play(batch, PlaybookDecider(book))
        assert logged.variables() == batch.variables()
        assert batch.outcomes.decisions["answer_ally"] == "cooperate"
