"""Replay and stepping: the same commands give the same records, however time was stepped."""

from __future__ import annotations

import json
import random
from functools import cache

import pytest

from sim import events as ev
from sim.bundled import bundled_scenarios
from sim.commands import LoggedCommand, command_from_json, command_to_json
from sim.deciders import Choice, DefaultDecider, RandomDecider, play
from sim.engine import Exercise, ExerciseError, OpenDecision
from sim.loader import load_scenario
from sim.replay import replay
from sim.schema import Scenario

SCENARIOS = [p.stem for p in bundled_scenarios()]
SEEDS = range(50)


@cache
def scenario(name: str) -> Scenario:
    return load_scenario(next(p for p in bundled_scenarios() if p.stem == name))


def log(ex: Exercise) -> str:
    return json.dumps([r.to_dict() for r in ex.records])


def through_json(entries: list[LoggedCommand]) -> list[LoggedCommand]:
    """The log as a session store would keep it: one JSON line per command."""
    return [
        LoggedCommand(e.seq, e.at, command_from_json(command_to_json(e.command)), e.action)
        for e in entries
    ]


@pytest.mark.parametrize("name", SCENARIOS)
def test_replaying_the_command_log_rebuilds_the_exercise_byte_for_byte(name: str) -> None:
    s = scenario(name)
    for seed in SEEDS:
        original = Exercise(s, seed)
        play(original, RandomDecider(seed))
        assert original.finished
        again = replay(s, seed, through_json(original.command_log))
        assert log(again) == log(original), (name, seed)
        assert again.command_log == original.command_log


def test_replay_refuses_a_log_from_another_story() -> None:
    s = scenario("quickstart")
    original = Exercise(s, 1)
    play(original, RandomDecider(1))
    edited = [e for e in original.command_log if e.command.kind != "advance"]
    with pytest.raises(ExerciseError, match="cannot be replayed"):
        replay(scenario("olympics-2020"), 1, edited)


class Later:
    """Chooses each decision's first option two hours after it is posed."""

    name = "players"

    def choose(self, exercise: Exercise, pending: OpenDecision) -> Choice | None:
        return Choice(pending.decision.options[0].id, after=2 / exercise.scenario.hours(1.0))


def sliced(s: Scenario, seed: int, slices: list[float], decider: object) -> Exercise:
    """Step the clock in the given slices, choosing as the console would when it sees a
    decision open (at the decider's time, which lies ahead of the clock)."""
    ex = Exercise(s, seed)
    asked: set[tuple[str, float]] = set()
    t, i = 0.0, 0
    while not ex.finished:
        t = min(t + slices[i % len(slices)], ex.horizon)
        i += 1
        ex.run_until(t)
        for pending in list(ex.open_decisions.values()):
            key = (pending.decision.id, pending.opened)  # a v2 decision can come back
            if key in asked:
                continue
            asked.add(key)
            choice = decider.choose(ex, pending)  # type: ignore[attr-defined]
            if choice is not None:
                ex.decide(
                    pending.decision.id,
                    choice.option,
                    by=decider.name,  # type: ignore[attr-defined]
                    at=pending.opened + choice.after,
                    reason=choice.reason,
                )
    return ex


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("decider", [DefaultDecider(), Later()], ids=["defaults", "choices"])
def test_any_stepping_gives_the_same_log_for_the_same_choices(name: str, decider: object) -> None:
    """One-minute slices, random slices, decision to decision and run() all agree; every
    default lands at exactly its deadline."""
    s = scenario(name)
    seed = 5
    jumped = Exercise(s, seed)
    play(jumped, decider)  # type: ignore[arg-type]
    hour = 1 / s.hours(1.0)
    rng = random.Random(seed)
    longest = 12 if isinstance(decider, DefaultDecider) else 1.9  # choices come 2 h after
    slices = [rng.uniform(0.01, longest) * hour for _ in range(97)]
    ways = {"random": sliced(s, seed, slices, decider)}
    if name == "quickstart":  # a month of one-minute slices
        ways["minutes"] = sliced(s, seed, [hour / 60], decider)
    if isinstance(decider, DefaultDecider):
        ran = Exercise(s, seed)
        ran.run()
        ways["run"] = ran
    for way, ex in ways.items():
        assert log(ex) == log(jumped), way
    deadline: dict[str, float] = {}  # of the latest opening (a v2 decision can come back)
    for r in jumped.records:
        if isinstance(r, ev.DecisionOpened):
            deadline[r.decision] = r.deadline
        elif isinstance(r, ev.DecisionMade) and r.by == "deadline":
            assert r.time == deadline[r.decision]
