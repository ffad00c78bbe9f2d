"""A playbook is asked about every decision, also two posed in the same instant.

Headless play stops where a decision opens, mid-instant, and the decider answers there. An
answer must not make the engine finish the instant first: the next decision the instant
poses would open unseen by the decider and go to its deadline default (naming-the-threat
v1, seed 10: 'russia_response' is posed at t=91 right after 'dprk_response', and the 'alone'
playbook answers both)."""

from __future__ import annotations

from pathlib import Path

from sim.deciders import PlaybookDecider, play
from sim.engine import Exercise
from sim.events import DecisionMade
from sim.loader import load_scenario
from sim.playbook import load_playbook

ROOT = Path(__file__).resolve().parents[2]


def test_both_decisions_of_one_instant_are_the_playbooks() -> None:
    scenario = load_scenario(ROOT / "tests/data/v1/scenarios/naming-the-threat.yaml")
    book = load_playbook(ROOT / "scenarios/playbooks/naming-the-threat--alone.yaml", scenario)
    for log in (True, False):
        ex = Exercise(scenario, 10, log=log)
        play(ex, PlaybookDecider(book))
        if log:
            made = {r.decision: r.by for r in ex.records if isinstance(r, DecisionMade)}
            assert made["dprk_response"] == "playbook"
            assert made["russia_response"] == "playbook"
        assert ex.value("russia_response") == "expose_only"
        assert ex.value("dprk_response") == "prosecute_and_harden"
