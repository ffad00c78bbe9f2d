"""What every run of a scenario starts from: worked out once per scenario, never shared wrongly."""

from __future__ import annotations

import pickle
from pathlib import Path
from types import MethodType

import pytest
import simpy

from sim import events as ev
from sim.deciders import DefaultDecider, play
from sim.engine import Exercise, ExerciseError
from sim.loader import load_scenario
from sim.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quickstart() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "quickstart.yaml")


def delivered_texts(ex: Exercise) -> list[str]:
    return [r.text for r in ex.records if isinstance(r, ev.InjectDelivered)]


def test_a_copy_of_a_scenario_with_other_injects_plays_its_own_injects(
    quickstart: Scenario,
) -> None:
    """A model_copy shares the compiled expressions; it must not share the run set-up."""
    Exercise(quickstart, 1).run()  # the original's set-up is worked out first
    injects = [i.model_copy(update={"text": "CHANGED " + i.text}) for i in quickstart.injects]
    changed = quickstart.model_copy(update={"injects": injects})
    ex = Exercise(changed, 1)
    held = next(i for i in changed.injects if i.contingency)
    ex.fire_inject(held.id)
    ex.run()
    texts = delivered_texts(ex)
    assert texts and all(t.startswith("CHANGED ") for t in texts)
    again = Exercise(quickstart, 1)
    again.run()
    assert not any(t.startswith("CHANGED ") for t in delivered_texts(again))


def test_every_actor_has_its_capacity_whether_or_not_it_was_used(quickstart: Scenario) -> None:
    ex = Exercise(quickstart, 3)
    play(ex, DefaultDecider())
    for actor in quickstart.actors:
        assert actor.id in ex.resources
        in_use, capacity = ex.busy(actor.id)
        assert (in_use, capacity) == (0, actor.capacity)
    assert sorted(ex.resources) == sorted(a.id for a in quickstart.actors)
    assert len(ex.resources) == len(quickstart.actors)
    assert "nobody" not in ex.resources
    with pytest.raises(KeyError):
        ex.busy("nobody")


def test_a_free_text_inject_to_an_unknown_actor_is_refused(quickstart: Scenario) -> None:
    ex = Exercise(quickstart, 3)
    with pytest.raises(ExerciseError, match="no actor 'nobody'"):
        ex.send_inject("hello", "mofa", ["nobody"])
    ex.send_inject("hello", "mofa", ["nisc"])
    ex.settle()
    assert delivered_texts(ex)[-1] == "hello"


def test_runs_of_a_scenario_start_alike_and_do_not_leak_into_each_other(
    quickstart: Scenario,
) -> None:
    first = Exercise(quickstart, 5)
    play(first, DefaultDecider())
    second = Exercise(quickstart, 5)
    assert second.variables() == {k: v.initial for k, v in quickstart.variables.items()}
    assert second.records[0].seq == 0 and len(second.records) == 1
    play(second, DefaultDecider())
    assert [r.to_dict() for r in second.records] == [r.to_dict() for r in first.records]


def test_a_pickled_scenario_plays_the_same_runs(quickstart: Scenario) -> None:
    Exercise(quickstart, 7).run()
    copy = pickle.loads(pickle.dumps(quickstart))
    a, b = Exercise(quickstart, 7), Exercise(copy, 7)
    play(a, DefaultDecider())
    play(b, DefaultDecider())
    assert [r.to_dict() for r in a.records] == [r.to_dict() for r in b.records]


def test_the_engine_makes_its_simpy_environment_as_simpy_does(quickstart: Scenario) -> None:
    """The engine's environment skips SimPy's ``bind_early``: it must hold the same fields
    (a SimPy upgrade that adds one fails here), and every event type must still be made."""
    env = Exercise(quickstart, 1).env
    plain = simpy.Environment()

    def fields(e: simpy.Environment) -> set[str]:
        return {k for k, v in vars(e).items() if not isinstance(v, MethodType)}

    assert fields(env) == fields(plain)
    assert env.now == plain.now == 0
    assert env.peek() == 0  # the scenario's start is scheduled, nothing has run
    for make in (env.event, lambda: env.timeout(1), lambda: env.all_of([]), lambda: env.any_of([])):
        event = make()
        assert isinstance(event, simpy.Event) and event.env is env
    # and the actors' capacity, made the same way
    ours, theirs = Exercise(quickstart, 1).resources["nisc"], simpy.Resource(plain, 2)
    assert sorted(vars(ours)) == sorted(vars(theirs))
    request = ours.request()
    assert isinstance(request, simpy.Event) and request.resource is ours
    ours.release(request)
