"""What every run of a scenario starts from: worked out once per scenario, never shared wrongly."""

from __future__ import annotations

import pickle
from pathlib import Path
from types import MethodType

import pytest
import simpy

from sim import events as ev
from sim.deciders import DefaultDecider, play
from sim.engine import Exercise, ExerciseError, _order
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

    def fields(e: object) -> set[str]:
        return {k for k, v in vars(e).items() if not isinstance(v, MethodType)}

    assert fields(env) == fields(plain)
    assert env.now == plain.now == 0
    assert env.peek() == 0  # the scenario's start is scheduled, nothing has run
    for make in (env.event, lambda: env.timeout(1), lambda: env.all_of([]), lambda: env.any_of([])):
        event = make()
        assert isinstance(event, simpy.Event) and event.env is env
    # and the actors' capacity, made the same way (``request`` and ``release`` are its class's
    # methods, where SimPy binds them to each resource: tests/batch/test_run_freed.py)
    ours, theirs = Exercise(quickstart, 1).resources["nisc"], simpy.Resource(plain, 2)
    assert fields(ours) == fields(theirs)
    request = ours.request()
    assert isinstance(request, simpy.Event) and request.resource is ours
    ours.release(request)


# --- the watchers: planned once per scenario, checked against the initial state once --------

WATCHED = """
scenario:
  id: watched
  title: Watched
  summary: What the watchers see at the start.
  start: 2020-01-01T00:00:00+00:00
  horizon: 40
actors:
  - {{id: gov, name: Government, affiliation: government}}
variables:
  loss: {{initial: {loss}, min: 0}}
  trust: {{initial: 0.8, min: 0, max: 1}}
injects:
  - {{id: worse, at: 10, from: gov, to: [gov], text: Worse, invented: true, effects: {{loss: "+ 5", trust: "- 0.5"}}}}
  - {{id: alarm, when: "loss > 3", from: gov, to: [gov], text: Alarm, invented: true}}
objectives:
  - {{id: held_early, description: Trust high by 5, met: "trust >= 0.7", by: 5}}
  - {{id: small_loss, description: Loss small, met: "loss < 1 or trust < 0.5", throughout: true}}
"""


def ratings(ex: Exercise) -> dict[str, str]:
    return {r.objective: r.rating for r in ex.standing()}


@pytest.mark.parametrize("loss", [0, 2, 4])
@pytest.mark.parametrize("log", [True, False])
def test_what_the_watchers_see_at_the_start_counts_in_every_run(loss: int, log: bool) -> None:
    """An objective that holds at the start is met 'by' its time even if it breaks later; one
    that does not hold at the start is not met 'throughout'; a 'when' inject whose condition
    holds at the start is delivered at once. The same in every run of the scenario."""
    from sim.loader import load_scenario_text

    scenario = load_scenario_text(WATCHED.format(loss=loss), "watched.yaml")
    for seed in (1, 2, 3):
        ex = Exercise(scenario, seed, log=log)
        ex.run()
        assert ratings(ex) == {
            "held_early": "met",
            "small_loss": "met" if loss < 1 else "not_met",
        }
        if log:
            alarm = [r for r in ex.records if isinstance(r, ev.InjectDelivered)]
            # 'alarm' is delivered at the start if loss > 3 there, else when 'worse' makes it so
            assert [(r.inject, r.time) for r in alarm] == (
                [("alarm", 0.0), ("worse", 10.0)]
                if loss > 3
                else [("worse", 10.0), ("alarm", 10.0)]
            )


@pytest.mark.parametrize(
    "path",
    [
        ROOT / "scenarios" / "quickstart.yaml",
        *sorted((ROOT / "tests" / "data" / "v1" / "scenarios").glob("*.yaml")),
    ],
    ids=lambda p: p.stem,
)
def test_the_initial_check_worked_out_once_gives_the_log_each_run_would(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watchers' first check, worked out once per scenario, leaves the same log, steps and
    ratings as each run checking them for itself."""
    from sim import engine

    def play_all(scenario: Scenario) -> list[tuple[str, int, list[object]]]:
        out = []
        for seed in (1, 2):
            ex = Exercise(scenario, seed)
            play(ex, DefaultDecider())
            log = "\n".join(str(r.to_dict()) for r in ex.records)
            out.append((log, ex.events_processed, [r.rating for r in ex.standing()]))
        return out

    planned = play_all(load_scenario(path))
    assert engine._setup(load_scenario(path)).initial is not None  # the plan is used here
    monkeypatch.setattr(engine, "_initial_check", lambda *_a: None)
    each_run = play_all(load_scenario(path))
    assert planned == each_run


@pytest.mark.parametrize("name", ["olympics-2020", "showcase"])
def test_watchers_a_run_adds_stay_with_that_run(name: str) -> None:
    """v2 mechanics and the calendar add watchers as a run goes: the next run of the same
    scenario starts from the scenario's own watchers, and plays the same."""
    from sim import engine

    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    planned = len(engine._setup(scenario).watchers)
    logs = []
    for _ in range(3):
        ex = Exercise(scenario, 5)
        assert len(ex._watchers) > planned  # this run added its own
        play(ex, DefaultDecider())
        logs.append(("\n".join(str(r.to_dict()) for r in ex.records), ex.events_processed))
        assert len(engine._setup(scenario).watchers) == planned
        assert ex._watch_plans is not engine._setup(scenario).watch_plans
    assert logs[0] == logs[1] == logs[2]
    assert engine._setup(scenario).watch_plans == {}  # planned from each run's own watchers


def test_which_watchers_to_check_is_planned_once_for_every_run(quickstart: Scenario) -> None:
    """A set of changed names wakes its watchers (each once, in the order they were set up):
    planned in the first run that changes them, shared by the next runs, which play alike."""
    from sim import engine

    plans = engine._setup(quickstart).watch_plans
    first = Exercise(quickstart, 3, log=False)
    play(first, DefaultDecider())
    assert plans and first._watch_plans is plans
    for changed, due in plans.items():
        index = first._watch_index
        assert list(due) == sorted({w for n in changed for w in index.get(n, ())}, key=_order)
    kept = dict(plans)
    again = Exercise(quickstart, 3, log=False)
    play(again, DefaultDecider())
    assert again._watch_plans is plans and {k: plans[k] for k in kept} == kept
    assert [again.value(n) for n in quickstart.variables] == [
        first.value(n) for n in quickstart.variables
    ]
    assert again.events_processed == first.events_processed


def test_a_status_wakes_its_watchers_only_when_it_changes(quickstart: Scenario) -> None:
    """``set_status`` stores every status, and marks for the watchers only a watched status
    that changed (``powers_in_force`` waits on the bill: ``acd_bill == 'succeeded'``)."""
    ex = Exercise(quickstart, 1, log=False)
    ex.set_status("acd_bill", "running")
    assert ex._dirty == {"acd_bill"} and ex.value("acd_bill") == "running"
    ex._dirty.clear()
    ex.set_status("acd_bill", "running")
    assert not ex._dirty
    ex.set_status("tell_ally", "running")  # no watcher reads it
    assert not ex._dirty and ex.value("tell_ally") == "running"


def test_the_actors_resources_list_every_actor_before_any_is_used(quickstart: Scenario) -> None:
    """``Exercise.resources`` is a mapping of every actor with a capacity (made on first use):
    the console and tests list the actors from it before any has been claimed."""
    ex = Exercise(quickstart, 1)
    actors = sorted(a.id for a in quickstart.actors)
    assert sorted(ex.resources) == actors and len(ex.resources) == len(actors)
    assert all(a in ex.resources for a in actors) and "nobody" not in ex.resources
    assert ex.busy(actors[0]) == (0, ex.resources[actors[0]].capacity)
