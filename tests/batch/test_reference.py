"""The benchmark's hand-written SimPy model of quickstart is a faithful reference: it gives
the engine's exact final variables and ratings on 1,000 seeds (so the engine is timed against
a model that does the same work)."""

from __future__ import annotations

import sys
from pathlib import Path

from sim import events as ev
from sim.deciders import PlaybookDecider, play
from sim.engine import Exercise
from sim.loader import load_scenario
from sim.playbook import load_playbook

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from quickstart_reference import reference_run  # noqa: E402


def test_reference_model_reproduces_the_engine_on_1000_seeds() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "quickstart.yaml")
    book = load_playbook(ROOT / "scenarios" / "playbooks" / "quickstart--cooperate.yaml", scenario)
    outcomes = set()
    for seed in range(1000):
        ex = Exercise(scenario, seed)
        play(ex, PlaybookDecider(book))
        ratings = {
            r.objective: r.rating for r in ex.records if isinstance(r, ev.ObjectiveEvaluated)
        }
        variables, ref_ratings, _ = reference_run(seed)
        assert variables == ex.variables(), seed
        assert ref_ratings == ratings, seed
        outcomes.add(tuple(sorted(ratings.items())))
    assert len(outcomes) > 3, "the seeds cover different outcomes"
