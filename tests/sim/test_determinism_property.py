"""Deterministic, however time is stepped: random stepping schedules and random commands.

The promise: the same scenario, seed and commands give the same log, byte for byte, however
the clock was moved. Each property below plays one exercise "straight" (the clock moved with
``run_until`` to each time a command is asked at) and another stepped as a console or a
script might (tiny and huge slices, exactly at event times and deadlines, by record, to the
next decision, ``before`` advances, the pacing policy with and without holding defaults),
with the same commands at the same scenario times; the records and the commands that changed
the exercise must be the same text. Scenarios: the bundled ones (v1 and v2: calendar, drift,
branches, retries...), a batch fixture with branches and retries, and one built on float
edges (0.1 + 0.2, zero durations, simultaneous events, a deadline at the horizon).
"""

from __future__ import annotations

import json
import math
import random
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import pacing
from sim.bundled import bundled_scenarios
from sim.commands import (
    Adjust,
    Advance,
    Command,
    Decide,
    End,
    FireInject,
    LoggedCommand,
    Note,
    Observe,
    Rate,
    SendInject,
    StartResponse,
    command_from_json,
    command_to_json,
)
from sim.engine import Exercise, ExerciseError
from sim.loader import load_scenario, load_scenario_text
from sim.replay import replay
from sim.schema import Scenario
from sim.session.journal import start_session
from sim.session.resume import load_text, resume_session
from sim.session.store import SessionStore
from tui.driver import EngineDriver

ROOT = Path(__file__).resolve().parents[2]
BRANCHES = ROOT / "tests" / "batch" / "data" / "branches-and-retries.yaml"

FLOAT_EDGES = """
scenario:
  id: float_edges
  title: Float edges
  summary: Times that do not add up exactly, zero durations, simultaneous events.
  start: 2020-01-01T00:00:00+00:00
  horizon: 0.30000000000000004
actors:
  - {id: gov, name: Government, affiliation: government, capacity: 1}
  - {id: ally, name: Ally, affiliation: ally}
  - {id: apt, name: Intruders, affiliation: adversary}
variables:
  trust: {initial: 0.5, min: 0, max: 1}
  loss: {initial: 0, min: 0, hidden: true}
threats:
  - id: intrusion
    actor: apt
    at: 0
    stages:
      - {id: access, duration: 0, detect: 0.5}
      - {id: theft, duration: 0.1, repeat: true, effects: {loss: "+ 1"}}
injects:
  - {id: a, at: 0.1, from: ally, to: [gov], text: "A", invented: true, decision: answer}
  - {id: b, at: 0.2, from: ally, to: [gov], text: "B", invented: true}
  - {id: c, at: 0.30000000000000004, from: ally, to: [gov], text: "C", invented: true}
  - {id: d, at: 0.3, from: ally, to: [gov], text: "D", invented: true, decision: other}
  - {id: held, contingency: true, from: ally, to: [gov], text: Held, invented: true,
     effects: {trust: "- 0.1"}}
  - {id: follow, after: answer, delay: 0, from: ally, to: [gov], text: Then, invented: true}
  - {id: alarm, when: "loss >= 1", from: ally, to: [gov], text: Alarm, invented: true}
decisions:
  - id: answer
    owner: gov
    prompt: What now?
    deadline: 0.2
    default: ignore
    options:
      - {id: hunt, label: Hunt, responses: [hunt_one]}
      - {id: ignore, label: Ignore, effects: {trust: "- 0.2"}}
  - id: other
    owner: gov
    prompt: And?
    deadline: 0.00000000000000004
    default: ignore
    options:
      - {id: hunt, label: Hunt, responses: [hunt_one]}
      - {id: ignore, label: Ignore, effects: {trust: "- 0.2"}}
responses:
  - {id: hunt_one, kind: countermeasure, actor: gov, duration: 0, success: 0.5,
     reveals: [intrusion]}
objectives:
  - {id: trusted, description: Trust high, met: "trust >= 0.7", partially: "trust >= 0.5"}
  - {id: small_loss, description: Loss stays small, met: "loss < 5", throughout: true}
"""

COINCIDENCES = """
scenario:
  id: coincidences
  title: Coincidences
  summary: Decisions posed together, deadlines and injects falling at the same times.
  start: 2020-01-01T00:00:00+00:00
  horizon: 40
actors:
  - {id: gov, name: Government, affiliation: government, capacity: 1}
  - {id: ally, name: Ally, affiliation: ally}
variables:
  trust: {initial: 0.5}
injects:
  - {id: i0, at: 0, from: ally, to: [gov], text: Zero, invented: true, decision: d0}
  - {id: i1, at: 5, from: ally, to: [gov], text: One, invented: true}
  - {id: i2, at: 5, from: ally, to: [gov], text: Two, invented: true, decision: d1}
  - {id: i3, at: 5, from: ally, to: [gov], text: Three, invented: true, decision: d2}
  - {id: i4, at: 10, from: ally, to: [gov], text: Four, invented: true}
  - {id: i5, after: d1, delay: 5, from: ally, to: [gov], text: Five, invented: true,
     decision: d3}
decisions:
  - id: d0
    owner: gov
    prompt: Zero?
    deadline: 20
    default: no
    options:
      - {id: yes, label: Yes, effects: {trust: "+ 0.1"}}
      - {id: no, label: No, effects: {trust: "* 1.5"}}
  - id: d1
    owner: gov
    prompt: One?
    deadline: 5
    default: no
    options:
      - {id: yes, label: Yes, effects: {trust: "- 0.2"}}
      - {id: no, label: No, effects: {trust: "* 2"}}
  - id: d2
    owner: gov
    prompt: Two?
    deadline: 5
    default: no
    options:
      - {id: yes, label: Yes, responses: [help]}
      - {id: no, label: No, effects: {trust: "/ 3"}}
  - id: d3
    owner: gov
    prompt: Three?
    deadline: 10
    default: yes
    options:
      - {id: yes, label: Yes, effects: {trust: "+ 1"}}
      - {id: no, label: No, effects: {trust: "* 0.5"}}
responses:
  - {id: help, kind: countermeasure, actor: gov, duration: 5, success: 1,
     effects: {trust: "* 3"}}
objectives:
  - {id: trusted, description: Trust high, met: "trust >= 1"}
"""

NAMES = [
    *sorted(p.stem for p in bundled_scenarios()),
    "branches-and-retries",
    "float_edges",
    "coincidences",
]
FAST = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@cache
def scenario(name: str) -> Scenario:
    if name == "float_edges":
        return load_scenario_text(FLOAT_EDGES, "float_edges.yaml")
    if name == "coincidences":
        return load_scenario_text(COINCIDENCES, "coincidences.yaml")
    if name == "branches-and-retries":
        return load_scenario(BRANCHES)
    return load_scenario(next(p for p in bundled_scenarios() if p.stem == name))


def scenario_path(name: str, tmp: Path) -> Path:
    if name in ("float_edges", "coincidences"):
        path = tmp / f"{name}.yaml"
        path.write_text(FLOAT_EDGES if name == "float_edges" else COINCIDENCES, encoding="utf-8")
        return path
    if name == "branches-and-retries":
        return BRANCHES
    return next(p for p in bundled_scenarios() if p.stem == name)


def records(ex: Exercise) -> str:
    return json.dumps([r.to_dict() for r in ex.records])


def actions(ex: Exercise) -> list[str]:
    """The commands that changed the exercise, as text, with when they were asked."""
    return [
        f"{e.at!r} {e.action} {command_to_json(e.command)}"
        for e in ex.command_log
        if e.action is not None
    ]


def through_json(ex: Exercise) -> list[LoggedCommand]:
    return [
        LoggedCommand(e.seq, e.at, command_from_json(command_to_json(e.command)), e.action)
        for e in ex.command_log
    ]


def commands_now(ex: Exercise, rng: random.Random) -> list[Command]:
    """Commands a facilitator, players or an evaluator might give now (some refused)."""
    s = ex.scenario
    out: list[Command] = [Note(text="the room hesitated"), Observe(text="slow to escalate")]
    deadlines = [od.deadline for od in ex.open_decisions.values()]
    for od in ex.open_decisions.values():
        options = od.offered or tuple(o.id for o in od.decision.options)
        at = rng.choice(
            [
                None,
                ex.now,
                ex.now - 1,
                ex.now + 0.1 + 0.2,
                (ex.now + od.deadline) / 2,
                math.nextafter(od.deadline, -math.inf),
                od.deadline,
                ex.next_time(),  # with the next event
                rng.choice(deadlines),  # with another decision's default
            ]
            + [float(math.floor(ex.now) + k) for k in range(1, 11)]  # with whole-hour events
        )
        out.append(Decide(by="players", decision=od.decision.id, option=rng.choice(options), at=at))
    out += [
        FireInject(inject=i.id, reason="the room is stuck")
        for i in s.injects
        if i.contingency and ex.value(i.id) == "pending"
    ]
    actors = sorted(ex.resources)
    out.append(SendInject(text="Call me", sender=actors[0], recipients=(actors[-1],)))
    for v in sorted(s.variables):
        value = rng.choice([0.0, 0.1 + 0.2, 1e9, -3.5, 7.0])
        out.append(Adjust(variable=v, value=value, reason="press leak"))
    out += [StartResponse(response=r) for r in sorted(ex.responses)]
    out += [
        Rate(objective=o.id, rating=rng.choice(["met", "partially", "not_met"]), note="ok")
        for o in s.objectives
        if o.rated_by == "evaluator"
    ]
    if rng.random() < 0.01:
        out.append(End())
    return out


def give(ex: Exercise, rng: random.Random) -> list[Command]:
    """Give up to three random commands now; the ones the exercise took."""
    taken = []
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        command = rng.choice(commands_now(ex, rng))
        try:
            ex.submit(command)
        except ExerciseError:
            continue
        taken.append(command)
    return taken


def straight_with_commands(s: Scenario, seed: int, rng: random.Random) -> tuple[Exercise, list]:  # type: ignore[type-arg]
    """Move the clock with run_until only, to random times (event times, deadlines, the
    horizon, 0.1 + 0.2 later, huge and tiny jumps), giving random commands there."""
    ex = Exercise(s, seed)
    script: list[tuple[float, list[Command]]] = []
    while not ex.finished:
        marks = [ex.horizon, ex.next_time(), *(od.deadline for od in ex.open_decisions.values())]
        t = rng.choice(
            [
                rng.choice([m for m in marks if m < math.inf]),
                ex.now + 0.1 + 0.2,
                ex.now,
                ex.now + rng.expovariate(20 / ex.horizon),
                ex.now + rng.expovariate(20 / ex.horizon),
            ]
        )
        ex.run_until(min(max(t, ex.now), ex.horizon))
        if not ex.finished:
            script.append((ex.now, give(ex, rng)))
    return ex, script


def stepped_to(ex: Exercise, t: float, rng: random.Random) -> None:
    """Reach time t (never past it) in random ways; the clock may stop mid-instant at t."""
    while ex.now < t and not ex.finished:
        how = rng.randrange(8)
        if how == 0:
            ex.submit(Advance(to=t, stop="record", before=rng.random() < 0.5))
        elif how == 1:
            ex.submit(Advance(to=t, stop="decision", before=rng.random() < 0.5))
        elif how == 2:
            ex.run_before(t)
        elif how == 3:
            pacing.advance(ex, t, hold=rng.random() < 0.5)
        elif how == 4 and ex.next_time() <= t:
            ex.run_until(ex.next_time())
        elif how == 5:
            ex.run_until(ex.now + rng.random() * (t - ex.now))
        elif how == 6:
            ex.settle()
        else:
            ex.run_until(t)


@FAST
@given(st.sampled_from(NAMES), st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_random_stepping_gives_the_straight_run_s_log(
    name: str, seed: int, rng: random.Random
) -> None:
    s = scenario(name)
    straight, script = straight_with_commands(s, seed, rng)
    stepped = Exercise(s, seed)
    for t, commands in script:
        stepped_to(stepped, t, rng)
        assert stepped.now == t
        for command in commands:
            try:
                stepped.submit(command)
            except ExerciseError:  # asked mid-instant, before the decision it answers opened
                stepped.settle()
                stepped.submit(command)
    if not stepped.finished:
        stepped.run()
    assert records(stepped) == records(straight)
    assert actions(stepped) == actions(straight)
    again = replay(s, seed, through_json(stepped))
    assert records(again) == records(straight)
    assert actions(again) == actions(straight)


def console_stepping(ex: Exercise, rng: random.Random, let: set[str]) -> None:
    """One move of the clock as a console or a script might make it (may pass any time)."""
    hold = rng.random() < 0.5
    how = rng.randrange(9)
    if how == 0:
        ex.step()
    elif how == 1:
        ex.run_until_decision()
    elif how == 2:
        pacing.next_event(ex, controller=rng.random() < 0.5, hold=hold, let_default=let)
    elif how == 3:
        pacing.next_decision(ex, hold=hold, let_default=let)
    elif how == 4:
        pacing.advance(ex, ex.now + rng.random() * ex.horizon / 10, hold=hold, let_default=let)
    elif how == 5:
        stop = rng.choice(["", "record", "decision"])
        to = min(ex.horizon, ex.next_time())
        ex.submit(Advance(to=to, before=rng.random() < 0.5, stop=stop))
    elif how == 6:
        ex.run_before(ex.now + rng.random() * ex.horizon / 10)
    elif how == 7:
        ex.settle()
    else:
        ex.run_until(ex.now + rng.random() * ex.horizon / 10)
    if ex.open_decisions and rng.random() < 0.2:
        let.add(rng.choice(sorted(ex.open_decisions)))


@FAST
@given(st.sampled_from(NAMES), st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_where_a_console_stopped_never_changes_the_log(
    name: str, seed: int, rng: random.Random
) -> None:
    """Commands given wherever the console stopped (mid-instant too) give the log of a run
    that moved straight to the same times."""
    console_matches_straight(scenario(name), seed, rng)


def test_where_a_console_stopped_never_changes_the_log_when_things_coincide() -> None:
    """The same, where decisions are posed together and choices for later, deadlines and
    injects fall at the same whole hours (tiny runs, so many of them: a seeded loop)."""
    for trial in range(300):
        console_matches_straight(scenario("coincidences"), trial % 3, random.Random(trial))


def console_matches_straight(s: Scenario, seed: int, rng: random.Random) -> None:
    wild = Exercise(s, seed)
    script: list[tuple[float, list[Command]]] = []
    let: set[str] = set()
    while not wild.finished:
        console_stepping(wild, rng, let)
        if not wild.finished:
            script.append((wild.now, give(wild, rng)))
    straight = Exercise(s, seed)
    for t, commands in script:
        straight.run_until(t)
        for command in commands:
            straight.submit(command)
    if not straight.finished:
        straight.run()
    assert records(straight) == records(wild)
    assert actions(straight) == actions(wild)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(st.sampled_from(NAMES), st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_a_recorded_console_session_with_undo_resumes_to_the_same_log(
    tmp_path_factory: object, name: str, seed: int, rng: random.Random
) -> None:
    """Play, step, act and undo through the console's driver on a recorded session, then
    resume it from the store (as after a kill): the same records, byte for byte."""
    tmp = Path(tmp_path_factory.mktemp("store"))  # type: ignore[attr-defined]
    path = scenario_path(name, tmp)
    text = path.read_text(encoding="utf-8")
    store = SessionStore.open(tmp / "sessions.sqlite3")
    ex = start_session(store, load_text(text, str(path)), text, path, seed)
    driver = EngineDriver(ex.scenario, exercise=ex, hold_defaults=rng.random() < 0.7)
    for _ in range(rng.randint(5, 40)):
        now = driver.exercise
        how = rng.randrange(10)
        try:
            if how < 3:
                dt = rng.choice([0.0, 0.1 + 0.2, rng.random() * now.horizon / 5, now.horizon])
                driver.advance(dt)
            elif how < 5:
                driver.step(controller=rng.random() < 0.5)
            elif how == 5:
                driver.undo()
            elif now.finished:
                driver.observe(Observe(text="in the hotwash"))
            else:
                command = rng.choice(commands_now(now, rng))
                if isinstance(command, Rate | Observe):
                    driver._anytime(command)
                else:
                    driver.act(lambda e, c=command: e.submit(c))  # type: ignore[misc]
        except ExerciseError:
            pass
    live = driver.exercise
    assert live.journal is not None
    resumed = resume_session(store, live.journal.session_id).exercise
    assert records(resumed) == records(live)
    assert records(replay(live.scenario, live.seed, through_json(live))) == records(live)
    store.close()
