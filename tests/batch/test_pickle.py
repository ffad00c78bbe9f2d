"""A Scenario travels to worker processes by pickle: every bundled scenario round-trips, and
the copy plays exactly like the original (its compiled expressions are rebuilt on demand)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from sim.bundled import bundled_scenarios
from sim.compiled import compiled
from sim.deciders import RandomDecider, play
from sim.engine import Exercise
from sim.loader import load_scenario


def _log(ex: Exercise) -> list[dict[str, object]]:
    return [r.to_dict() for r in ex.records]


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_bundled_scenario_pickles_after_use_and_plays_the_same(path: Path) -> None:
    scenario = load_scenario(path)
    first = Exercise(scenario, 3)
    play(first, RandomDecider(3))  # fills the compiled cache with closures
    assert compiled(scenario)._exprs, "the cache was used before pickling"

    copy = pickle.loads(pickle.dumps(scenario))
    assert copy.model_dump() == scenario.model_dump()
    again = Exercise(copy, 3)
    play(again, RandomDecider(3))
    assert _log(again) == _log(first)


def test_unpickled_cache_starts_empty_and_keeps_the_names() -> None:
    scenario = load_scenario(bundled_scenarios()[0])
    compiled(scenario).expr("1 + 1")
    copy = pickle.loads(pickle.dumps(scenario))
    cache = compiled(copy)
    assert cache._exprs == {}
    assert cache.names == compiled(scenario).names
    assert cache.expr("1 + 1").evaluate({}) == 2
