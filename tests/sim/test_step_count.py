"""The engine's step count (what the event budget limits) is the same however the clock is
stepped: a straight run, a stop at each new record (the console's `n`), or random slices."""

from __future__ import annotations

from pathlib import Path

import pytest
from stepping import run_in_random_slices

from sim.engine import Exercise
from sim.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_step_count_does_not_depend_on_how_time_is_stepped(path: Path) -> None:
    sc = load_scenario(path)
    for seed in (1, 2):
        straight = Exercise(sc, seed)
        straight.run()
        by_record = Exercise(sc, seed)
        while not by_record.finished:
            by_record.step()
        sliced = run_in_random_slices(sc, seed, seed, sc.scenario.horizon / 13)
        counts = {straight.events_processed, by_record.events_processed, sliced.events_processed}
        assert len(counts) == 1, (seed, counts)
        assert straight.records == by_record.records == sliced.records
