"""A batch's run (an exercise without a log) is freed by reference counting once it ends:
nothing it made is left in a reference cycle for Python's cycle collector, whose passes took
about a tenth of a batch's time (docs/performance.md, "eleventh round")."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sim.calendar import uses_calendar
from sim.deciders import Decider, DefaultDecider, PlaybookDecider, RandomDecider, play
from sim.engine import Exercise
from sim.loader import load_scenario
from sim.playbook import load_playbook

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "data" / "v1" / "scenarios").glob("*.yaml")
)


@contextmanager
def collector_off() -> Iterator[list[object]]:
    """The objects the cycle collector finds unreachable while the block runs."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    found: list[object] = []
    try:
        yield found
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def deciders(path: Path) -> list[tuple[str, Decider]]:
    out: list[tuple[str, Decider]] = [("default", DefaultDecider()), ("random", RandomDecider(3))]
    for book in sorted((ROOT / "scenarios" / "playbooks").glob(f"{path.stem}--*.yaml")):
        if path.parent != ROOT / "scenarios":
            break
        out.append((book.stem, PlaybookDecider(load_playbook(book, load_scenario(path)))))
    return out


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_a_batch_run_leaves_nothing_for_the_cycle_collector(path: Path) -> None:
    scenario = load_scenario(path)
    for name, decider in deciders(path):
        for seed in range(3):  # first runs build each expression's plain function once
            play(Exercise(scenario, 100 + seed, log=False), decider)
        with collector_off() as left:
            for seed in range(6):
                ex = Exercise(scenario, seed, log=False)
                play(ex, decider)
                assert ex.finished
                del ex
        kinds = sorted({type(o).__name__ for o in left})
        # the exercise, and with it all it holds (its state, streams, campaigns, timers)
        assert not [o for o in left if isinstance(o, Exercise)], (name, kinds)
        if not uses_calendar(scenario):  # (a bill's process waiting on a sitting may stay)
            assert not [o for o in left if type(o).__module__.startswith(("sim.", "simpy."))], (
                name,
                kinds,
            )
