"""The Observe command: checked, taken after the end (the debrief), replayed the same."""

from __future__ import annotations

import pytest

from sim import events as ev
from sim.bundled import resolve
from sim.commands import Observe
from sim.deciders import DefaultDecider, play
from sim.engine import Exercise, ExerciseError
from sim.loader import load_scenario
from sim.observing import MAX_OBSERVATION
from sim.replay import replay


def quickstart() -> Exercise:
    path = resolve("quickstart")
    assert path is not None
    return Exercise(load_scenario(path), 2020)


def ended() -> Exercise:
    ex = quickstart()
    play(ex, DefaultDecider())
    assert ex.finished
    return ex


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (Observe(text="  "), "no text"),
        (Observe(text="x" * (MAX_OBSERVATION + 1)), "too long"),
        (Observe(text="x", objective="no_such_objective"), "no objective 'no_such_objective'"),
        (Observe(text="x", assessment="excellent"), "'strength' or 'improvement'"),
    ],
)
def test_a_bad_observation_is_refused_and_logs_nothing(command: Observe, words: str) -> None:
    for ex in (quickstart(), ended()):
        logged = len(ex.command_log)
        with pytest.raises(ExerciseError, match=words):
            ex.submit(command)
        assert len(ex.command_log) == logged


def test_an_observation_after_the_end_is_recorded_at_once_and_replays() -> None:
    ex = ended()
    ex.submit(Observe(text="Nobody kept the log", objective="keep_the_alliance", assessment=""))
    last = ex.records[-1]
    assert isinstance(last, ev.ObservationRecorded) and last.text == "Nobody kept the log"
    assert last.audience == ev.FACILITATOR_ONLY and last.time == ex.now
    with pytest.raises(ExerciseError, match="ended"):
        ex.note("a facilitator's note still needs a running exercise")
    again = replay(ex.scenario, ex.seed, list(ex.command_log))
    assert [r.to_dict() for r in again.records] == [r.to_dict() for r in ex.records]
