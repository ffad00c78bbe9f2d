"""Commands in: one entry point, a command log, refusals that change nothing, one record each."""

from __future__ import annotations

import json

import pytest
from test_engine import MINI

from sim import events as ev
from sim.commands import (
    Adjust,
    Advance,
    Command,
    CommandError,
    Decide,
    End,
    FireInject,
    Note,
    Observe,
    SendInject,
    StartResponse,
    command_from_json,
    command_to_json,
)
from sim.engine import Exercise, ExerciseError
from sim.loader import load_scenario_text
from sim.schema import Scenario


@pytest.fixture
def mini() -> Scenario:
    return load_scenario_text(MINI, "mini.yaml")


def log(ex: Exercise) -> str:
    return json.dumps([r.to_dict() for r in ex.records])


def traces(ex: Exercise, action: int) -> list[ev.Event]:
    return [r for r in ex.records if getattr(r, "action", None) == action]


def test_submit_logs_what_was_asked_when_and_by_whom(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    ex.submit(Advance(to=20))
    entry = ex.submit(Decide(by="players", decision="answer", option="hunt", rationale="act"))
    assert entry.at == 20.0 and entry.command.by == "players"
    assert ex.command_log[-1] is entry
    assert entry.seq == 1 and entry.action == 0
    ex.settle()
    made = next(r for r in ex.records if isinstance(r, ev.DecisionMade))
    assert (made.by, made.rationale, made.action) == ("players", "act", 0)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (Decide(decision="answer", option="hunt"), "not open"),
        (Decide(decision="nope", option="hunt"), "no decision 'nope'"),
        (FireInject(inject="nope"), "no inject 'nope'"),
        (SendInject(text="hi", sender="ally", recipients=("nobody",)), "no actor 'nobody'"),
        (SendInject(text="  ", sender="ally", recipients=("gov",)), "no text"),
        (SendInject(text="hi", sender="ally", recipients=()), "no recipients"),
        (Adjust(variable="trsut", value=1, reason="x"), "no variable 'trsut'"),
        (Adjust(variable="trust", value=float("nan"), reason="x"), "must be a number"),
        (Adjust(variable="trust", value=1, reason=" "), "say why"),
        (Note(text=""), "no text"),
        (Observe(text=""), "no text"),
        (Observe(text="good", objective="nope"), "no objective 'nope'"),
        (Observe(text="good", assessment="great"), "strength"),
        (StartResponse(response="nope"), "no response 'nope'"),
        (Advance(to=float("nan")), "finite"),
        (Advance(to=5, stop="somewhere"), "unknown place to stop"),
    ],
)
def test_a_refused_command_says_why_and_is_not_logged(
    mini: Scenario, command: Command, message: str
) -> None:
    ex = Exercise(mini, 1)
    before = log(ex)
    with pytest.raises(ExerciseError, match=message):
        ex.submit(command)
    assert ex.command_log == []
    assert log(ex) == before
    ex.run_until(1)
    untouched = Exercise(mini, 1)
    untouched.run_until(1)
    assert log(ex) == log(untouched)  # nothing was queued either


def test_nothing_is_accepted_once_the_exercise_has_ended(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    ex.submit(End(reason="facilitator"))
    for command in (Note(text="late"), Advance(to=50), End(), FireInject(inject="held")):
        with pytest.raises(ExerciseError, match="ended"):
            ex.submit(command)
    assert len(ex.command_log) == 1
    ended = ex.records[-1]
    assert isinstance(ended, ev.ExerciseEnded) and ended.action == 0


def test_every_command_leaves_exactly_one_record_of_itself(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    ex.run_until(20)
    ex.submit(Decide(decision="answer", option="law", rationale="slow but sure"))
    ex.submit(FireInject(inject="held", reason="the room is too calm"))
    ex.submit(SendInject(text="The minister calls", sender="ally", recipients=("gov",)))
    ex.submit(Adjust(variable="powers", value=0.0, reason="no change, but say so"))
    ex.submit(Adjust(variable="trust", value=0.9, reason="press praise"))
    ex.submit(Note(text="hesitant"))
    ex.submit(Observe(text="clear roles", objective="trusted", assessment="strength"))
    ex.submit(StartResponse(response="takedown", reason="try it"))
    ex.run_until(22)
    ex.submit(End())
    actions = [e for e in ex.command_log if e.action is not None]
    assert [e.action for e in actions] == list(range(9))
    for entry in actions:
        assert entry.action is not None
        assert len(traces(ex, entry.action)) == 1, entry
    kinds = [type(traces(ex, n)[0]) for n in range(9)]
    assert kinds == [
        ev.DecisionMade,
        ev.InjectDelivered,
        ev.InjectDelivered,
        ev.VariableChanged,
        ev.VariableChanged,
        ev.FacilitatorNote,
        ev.ObservationRecorded,
        ev.ResponseBlocked,  # takedown needs the bill first
        ev.ExerciseEnded,
    ]
    same = traces(ex, 3)[0]
    assert isinstance(same, ev.VariableChanged) and same.old == same.new == 0.0
    assert same.reason == "no change, but say so"
    fired = traces(ex, 1)[0]
    assert isinstance(fired, ev.InjectDelivered) and fired.reason == "the room is too calm"
    observation = traces(ex, 6)[0]
    assert not observation.visible_to(ex.players)


def test_a_second_choice_or_a_second_firing_waiting_in_the_same_instant_is_refused(
    mini: Scenario,
) -> None:
    ex = Exercise(mini, 1)
    ex.run_until(20)
    ex.decide("answer", "hunt")
    with pytest.raises(ExerciseError, match="already waiting"):
        ex.decide("answer", "tell")
    ex.fire_inject("held")
    with pytest.raises(ExerciseError, match="already being fired"):
        ex.fire_inject("held")
    ex.settle()
    with pytest.raises(ExerciseError, match="already decided"):
        ex.decide("answer", "tell")


def test_commands_round_trip_through_versioned_json(mini: Scenario) -> None:
    commands: list[Command] = [
        Decide(by="players", decision="answer", option="hunt", rationale="r", at=25.5),
        Decide(decision="answer", option="hunt"),
        FireInject(inject="held", reason="why"),
        SendInject(text="t", sender="ally", recipients=("gov",)),
        Adjust(variable="trust", value=0.25, reason="r"),
        Note(text="n"),
        Observe(text="o", objective="trusted", assessment="improvement"),
        StartResponse(response="tell", reason="r"),
        Advance(to=12.5, stop="decision"),
        Advance(to=12.5, before=True),
        End(reason="facilitator"),
    ]
    for c in commands:
        assert command_from_json(command_to_json(c)) == c
    with pytest.raises(CommandError, match="number"):
        command_from_json('{"format":1,"kind":"decide","at":"soon"}')
    with pytest.raises(CommandError, match="true or false"):
        command_from_json('{"format":1,"kind":"advance","before":1}')


# --- time belongs to the engine ---------------------------------------------------------------


def test_run_until_t_processes_what_is_due_at_t_so_a_naive_replay_can_decide(
    mini: Scenario,
) -> None:
    ex = Exercise(mini, 1)
    ex.run_until(20)  # the warning arrives at exactly 20 and opens the decision
    assert "answer" in ex.open_decisions
    ex.decide("answer", "hunt")
    ex.settle()
    assert ex.value("answer") == "hunt"


def test_a_choice_after_the_deadline_is_refused_not_replaced(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    ex.run_until(30)  # the deadline: the default applies at exactly 30
    made = [r for r in ex.records if isinstance(r, ev.DecisionMade)]
    assert [(m.option, m.by, m.time) for m in made] == [("ignore", "deadline", 30.0)]
    with pytest.raises(ExerciseError, match=r"too late.*default 'ignore' applied"):
        ex.decide("answer", "hunt")


def test_a_choice_at_the_deadline_is_refused_even_before_the_default_is_applied(
    mini: Scenario,
) -> None:
    ex = Exercise(mini, 1)
    ex.run_until(29)
    while ex.now < 30:
        ex.step()  # the theft at 30 makes a record while the default still waits
    assert "answer" in ex.open_decisions
    with pytest.raises(ExerciseError, match="too late"):
        ex.decide("answer", "hunt")
    ex.settle()
    assert ex.value("answer") == "ignore"


def test_stopping_before_a_deadline_leaves_the_choice_open(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    ex.run_until(20)
    ex.run_before(30)
    assert ex.now < 30 and "answer" in ex.open_decisions
    ex.decide("answer", "tell")
    ex.settle()
    assert ex.value("answer") == "tell"


def test_stored_values_and_thresholds_agree() -> None:
    """0.7 - 0.05 is stored as 0.65, so an objective of '0.65 or above' is met."""
    text = (
        MINI.replace(
            "trust: {initial: 0.5, min: 0, max: 1}", "trust: {initial: 0.7, min: 0, max: 1}"
        )
        .replace('effects: {trust: "- 0.2"}', 'effects: {trust: "- 0.05"}')
        .replace('met: "trust >= 0.7", partially: "trust >= 0.5"', 'met: "trust >= 0.65"')
    )
    assert 0.7 - 0.05 < 0.65  # the trap, in plain Python
    ex = Exercise(load_scenario_text(text), 1)
    ex.run()
    assert ex.variables()["trust"] == 0.65
    rated = {r.objective: r.rating for r in ex.records if isinstance(r, ev.ObjectiveEvaluated)}
    assert rated["trusted"] == "met"
