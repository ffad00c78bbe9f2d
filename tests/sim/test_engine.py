"""The engine's behaviour as a facilitator or analyst would notice it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim import events as ev
from sim.deciders import Choice, DefaultDecider, PlaybookDecider, play
from sim.engine import Exercise, ExerciseError
from sim.loader import load_scenario, load_scenario_text
from sim.playbook import load_playbook
from sim.report import RunResult

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "scenarios" / "quickstart.yaml"
COOPERATE = ROOT / "scenarios" / "playbooks" / "quickstart--cooperate.yaml"


@pytest.fixture(scope="module")
def quickstart():  # type: ignore[no-untyped-def]
    return load_scenario(QUICKSTART)


def run_with(scenario, seed, playbook=None):  # type: ignore[no-untyped-def]
    ex = Exercise(scenario, seed)
    decider = PlaybookDecider(load_playbook(playbook, scenario)) if playbook else DefaultDecider()
    play(ex, decider)
    return ex


def log(ex: Exercise) -> str:
    return json.dumps([r.to_dict() for r in ex.records])


def of(ex: Exercise, kind: type[ev.Event]) -> list:  # type: ignore[type-arg]
    return [r for r in ex.records if isinstance(r, kind)]


MINI = """
scenario:
  id: mini
  title: Mini
  summary: A tiny scenario for engine tests.
  start: 2020-01-01T00:00:00+00:00
  horizon: 100
actors:
  - {id: gov, name: Government, affiliation: government, capacity: 1}
  - {id: ally, name: Ally, affiliation: ally}
  - {id: apt, name: Intruders, affiliation: adversary}
variables:
  trust: {initial: 0.5, min: 0, max: 1}
  loss: {initial: 0, min: 0, hidden: true}
  powers: {initial: 0}
threats:
  - id: intrusion
    actor: apt
    at: 0
    stages:
      - {id: access, duration: 10, detect: 0}
      - {id: theft, duration: 5, repeat: true, effects: {loss: "+ 1"}}
injects:
  - {id: warning, at: 20, from: ally, to: [gov], text: "Warning [@click=app.quit]x[/]", invented: true, decision: answer}
  - {id: held, contingency: true, from: ally, to: [gov], text: Held back, invented: true, effects: {trust: "- 0.1"}}
  - {id: follow, after: answer, delay: 5, from: ally, to: [gov], text: Follow-up, invented: true}
  - {id: alarm, when: "loss >= 3", from: ally, to: [gov], text: Alarm, invented: true}
  - {id: tip_off, contingency: true, from: ally, to: [gov], text: We see them too, invented: true, reveals: [intrusion]}
decisions:
  - id: answer
    owner: gov
    prompt: What now?
    deadline: 10
    default: ignore
    options:
      - {id: hunt, label: Hunt, responses: [hunt_one, hunt_two]}
      - {id: tell, label: Tell the ally, responses: [tell]}
      - {id: law, label: Legislate, responses: [bill, takedown]}
      - {id: ignore, label: Ignore, effects: {trust: "- 0.2"}}
responses:
  - {id: hunt_one, kind: countermeasure, actor: gov, duration: 4, success: 1, reveals: [intrusion]}
  - {id: hunt_two, kind: countermeasure, actor: gov, duration: 4, success: 1, slows: {intrusion: 2}}
  - {id: tell, kind: notification, from: gov, to: [ally], about: intrusion, delay: 2, effects: {trust: "+ 0.3 - 0.005 * age"}}
  - id: bill
    kind: legislation
    sponsor: gov
    stages: [{id: drafting, duration: 10}, {id: vote, duration: 5, passes: 1}]
    effects: {powers: 1}
  - {id: takedown, kind: countermeasure, actor: gov, requires: bill, duration: 1, stops: [intrusion]}
objectives:
  - {id: trusted, description: Trust high, met: "trust >= 0.7", partially: "trust >= 0.5"}
  - {id: small_loss, description: Loss stays small, met: "loss < 5", throughout: true}
  - {id: stopped_early, description: Stopped by 60, met: "intrusion == 'stopped'", by: 60}
"""


@pytest.fixture
def mini():  # type: ignore[no-untyped-def]
    return load_scenario_text(MINI, "mini.yaml")


def to_decision(ex: Exercise, decision: str) -> None:
    while decision not in ex.open_decisions and not ex.finished:
        ex.run_until_decision()
    assert decision in ex.open_decisions


# --- determinism ------------------------------------------------------------------------------


def test_same_seed_and_decisions_give_the_same_log_byte_for_byte(quickstart) -> None:  # type: ignore[no-untyped-def]
    a = run_with(quickstart, 7, COOPERATE)
    b = run_with(quickstart, 7, COOPERATE)
    assert RunResult(a, "x").to_json() == RunResult(b, "x").to_json()


def test_different_seeds_give_different_stories(quickstart) -> None:  # type: ignore[no-untyped-def]
    logs = {log(run_with(quickstart, seed, COOPERATE)) for seed in range(5)}
    assert len(logs) == 5


def test_where_the_caller_pauses_never_changes_the_log(quickstart) -> None:  # type: ignore[no-untyped-def]
    """A console that steps one record at a time and a runner that jumps from decision to
    decision produce the same log when the players make the same choices."""
    book = load_playbook(COOPERATE, quickstart)
    jumping = Exercise(quickstart, 3)
    play(jumping, PlaybookDecider(book))

    stepping = Exercise(quickstart, 3)
    decider = PlaybookDecider(book)
    asked: set[str] = set()
    while not stepping.finished:
        stepping.step()
        for pending in list(stepping.open_decisions.values()):
            if pending.decision.id not in asked:
                asked.add(pending.decision.id)
                choice = decider.choose(stepping, pending)
                assert isinstance(choice, Choice)
                stepping.decide(
                    pending.decision.id,
                    choice.option,
                    by="playbook",
                    at=pending.opened + choice.after,
                    reason=choice.reason,
                )
    assert log(jumping) == log(stepping)


def test_a_run_in_another_process_gives_the_same_json(quickstart, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    out = tmp_path / "run.json"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tui.cli",
            "run",
            str(QUICKSTART),
            "--seed",
            "11",
            "--playbook",
            str(COOPERATE),
            "--format",
            "json",
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    ex = Exercise(quickstart, 11)
    play(ex, PlaybookDecider(load_playbook(COOPERATE, quickstart)))
    here = json.loads(RunResult(ex, "quickstart--cooperate").to_json())
    assert json.loads(out.read_text()) == here


# --- decisions --------------------------------------------------------------------------------


def test_nobody_deciding_means_the_default_at_the_deadline(mini) -> None:  # type: ignore[no-untyped-def]
    ex = run_with(mini, 1)
    made = of(ex, ev.DecisionMade)
    assert [(d.decision, d.option, d.by, d.time) for d in made] == [
        ("answer", "ignore", "deadline", 30.0)
    ]
    follow = next(r for r in of(ex, ev.InjectDelivered) if r.inject == "follow")
    assert follow.time == 35.0


def test_decide_rejects_what_is_not_open_or_not_an_option(mini) -> None:  # type: ignore[no-untyped-def]
    ex = Exercise(mini, 1)
    with pytest.raises(ExerciseError, match="not open"):
        ex.decide("answer", "hunt")
    to_decision(ex, "answer")
    with pytest.raises(ExerciseError, match="not an option"):
        ex.decide("answer", "surrender")
    with pytest.raises(ExerciseError, match="not before the deadline"):
        ex.decide("answer", "hunt", at=99)
    with pytest.raises(ExerciseError, match="not before the deadline"):
        ex.decide("answer", "hunt", at=ex.open_decisions["answer"].deadline)


def test_a_decision_starts_its_responses_and_capacity_makes_them_queue(mini) -> None:  # type: ignore[no-untyped-def]
    ex = Exercise(mini, 1)
    to_decision(ex, "answer")
    ex.decide("answer", "hunt")
    ex.run()
    queued = of(ex, ev.ResponseQueued)
    assert [q.response for q in queued] == ["hunt_two"]
    started = {r.response: r.time for r in of(ex, ev.ResponseStarted)}
    assert started == {"hunt_one": 20.0, "hunt_two": 24.0}
    assert any(isinstance(r, ev.ThreatDetected) and r.by == "response:hunt_one" for r in ex.records)
    assert any(isinstance(r, ev.ThreatSlowed) and r.factor == 2 for r in ex.records)


def test_an_ally_reacts_less_warmly_the_later_it_is_told(mini) -> None:  # type: ignore[no-untyped-def]
    gains = []
    for after in (0, 8):
        ex = Exercise(mini, 1)
        to_decision(ex, "answer")
        ex.decide("answer", "tell", at=ex.now + after)
        ex.run()
        told = of(ex, ev.NotificationDelivered)[0]
        change = next(r for r in of(ex, ev.VariableChanged) if r.cause == "response:tell")
        assert told.age == pytest.approx(20 + after + 2)
        gains.append(change.new - change.old)
    assert gains[0] > gains[1] > 0


def test_legislation_unlocks_the_responses_that_require_it(mini) -> None:  # type: ignore[no-untyped-def]
    ex = Exercise(mini, 1)
    to_decision(ex, "answer")
    assert ex.value("takedown") == "locked"
    ex.decide("answer", "law")
    ex.run()
    blocked = of(ex, ev.ResponseBlocked)
    assert [b.response for b in blocked] == ["takedown"]
    assert "enacted" in blocked[0].reason
    steps = [(b.stage, b.step) for b in of(ex, ev.BillProgress)]
    assert steps == [
        ("drafting", "started"),
        ("drafting", "passed"),
        ("vote", "started"),
        ("vote", "passed"),
    ]
    assert ex.value("bill") == "succeeded"
    assert ex.value("takedown") == "ready"
    assert ex.variables()["powers"] == 1


def test_a_failing_bill_stalls_then_dies() -> None:
    text = MINI.replace(
        "{id: vote, duration: 5, passes: 1}",
        "{id: vote, duration: 5, passes: 0, stall: 3, attempts: 2}",
    )
    scenario = load_scenario_text(text)
    ex = Exercise(scenario, 1)
    to_decision(ex, "answer")
    ex.decide("answer", "law")
    ex.run()
    steps = [(b.stage, b.step, b.attempt) for b in of(ex, ev.BillProgress)]
    assert steps == [
        ("drafting", "started", 1),
        ("drafting", "passed", 1),
        ("vote", "started", 1),
        ("vote", "stalled", 1),
        ("vote", "started", 2),
    ]
    failed = of(ex, ev.ResponseFailed)
    assert failed and failed[0].response == "bill" and "vote" in failed[0].reason
    assert ex.value("bill") == "failed"


# --- threats, visibility, objectives ----------------------------------------------------------


def test_players_do_not_see_an_undetected_intrusion_or_hidden_numbers(mini) -> None:  # type: ignore[no-untyped-def]
    ex = run_with(mini, 1)
    stages = of(ex, ev.ThreatStageReached)
    assert stages and all(not s.detected for s in stages)
    players = ex.visible(controller=False)
    assert not any(isinstance(r, ev.ThreatStageReached | ev.ThreatStarted) for r in players)
    assert not any(isinstance(r, ev.VariableChanged) and r.variable == "loss" for r in players)
    controller = ex.visible(controller=True)
    assert any(isinstance(r, ev.VariableChanged) and r.variable == "loss" for r in controller)


def test_detection_makes_later_stages_visible_to_players(mini) -> None:  # type: ignore[no-untyped-def]
    ex = Exercise(mini, 1)
    to_decision(ex, "answer")
    ex.decide("answer", "hunt")
    ex.run()
    detected_at = of(ex, ev.ThreatDetected)[0].time
    later = [s for s in of(ex, ev.ThreatStageReached) if s.time > detected_at]
    assert later and all(s.detected and s.visible_to(ex.players) for s in later)


def test_an_inject_can_reveal_a_threat_to_the_players(mini) -> None:  # type: ignore[no-untyped-def]
    ex = Exercise(mini, 1)
    ex.run_until(12)
    assert ex.value("intrusion") == "undetected"
    ex.fire_inject("tip_off")
    new = ex.settle()
    detected = [r for r in new if isinstance(r, ev.ThreatDetected)]
    assert [(d.threat, d.stage, d.by) for d in detected] == [
        ("intrusion", "theft", "inject:tip_off")
    ]
    assert detected[0].visible_to(ex.players)
    assert ex.value("intrusion") == "detected"


def test_a_condition_inject_fires_when_its_condition_first_holds(mini) -> None:  # type: ignore[no-untyped-def]
    ex = run_with(mini, 1)
    alarm = next(r for r in of(ex, ev.InjectDelivered) if r.inject == "alarm")
    third = [r for r in of(ex, ev.VariableChanged) if r.variable == "loss"][2]
    assert alarm.time == third.time and alarm.seq > third.seq
    assert sum(1 for r in of(ex, ev.InjectDelivered) if r.inject == "alarm") == 1


def test_objectives_are_rated_with_evidence(mini) -> None:  # type: ignore[no-untyped-def]
    ex = run_with(mini, 1)
    ratings = {r.objective: r for r in of(ex, ev.ObjectiveEvaluated)}
    assert ratings["trusted"].rating == "not_met"  # ignored the ally: 0.5 - 0.2
    assert "trust = 0.3" in ratings["trusted"].evidence
    assert ratings["small_loss"].rating == "not_met"
    assert "stopped holding" in ratings["small_loss"].evidence
    assert ratings["stopped_early"].rating == "not_met"

    ex = Exercise(mini, 1)
    to_decision(ex, "answer")
    ex.decide("answer", "law")
    ex.run_until(40)
    ex.start_response("takedown")
    ex.run()
    ratings = {r.objective: r for r in of(ex, ev.ObjectiveEvaluated)}
    assert ratings["stopped_early"].rating == "met"
    assert "first held" in ratings["stopped_early"].evidence
    assert ratings["trusted"].rating == "partially"


# --- facilitator powers -----------------------------------------------------------------------


def test_facilitator_powers_are_recorded(mini) -> None:  # type: ignore[no-untyped-def]
    ex = Exercise(mini, 1)
    ex.run_until(5)
    ex.fire_inject("held")
    ex.send_inject("The minister calls.", "ally", ["gov"])
    ex.adjust("trust", 5.0, "the room agreed trust is total")
    ex.note("Players hesitated.")
    new = ex.settle()
    kinds = [type(r) for r in new]
    assert kinds == [
        ev.InjectDelivered,
        ev.VariableChanged,
        ev.InjectDelivered,
        ev.VariableChanged,
        ev.FacilitatorNote,
    ]
    assert all(r.time == 5.0 for r in new)
    assert new[0].by_facilitator and new[0].inject == "held"
    assert new[3].new == 1.0  # clamped to the variable's max
    assert new[3].cause == "facilitator"  # the reason is for the facilitator only:
    assert new[3].reason == "the room agreed trust is total"
    assert not new[4].visible_to(ex.players)
    with pytest.raises(ExerciseError, match="already been delivered"):
        ex.fire_inject("held")
    with pytest.raises(ExerciseError, match="say why"):
        ex.adjust("trust", 0.2, " ")
    with pytest.raises(ExerciseError, match="no variable"):
        ex.adjust("trsut", 0.2, "typo")


def test_an_expression_that_fails_at_run_time_is_recorded_not_raised() -> None:
    text = MINI.replace('effects: {trust: "- 0.2"}', 'effects: {trust: "/ (powers - powers)"}')
    ex = Exercise(load_scenario_text(text), 1)
    ex.run()
    failed = of(ex, ev.ExpressionFailed)
    assert failed and "decision:answer.ignore" in failed[0].where
    assert not failed[0].visible_to(ex.players)
    assert ex.finished


def test_markup_in_scenario_text_is_kept_literally(mini) -> None:  # type: ignore[no-untyped-def]
    ex = run_with(mini, 1)
    warning = next(r for r in of(ex, ev.InjectDelivered) if r.inject == "warning")
    assert warning.text == "Warning [@click=app.quit]x[/]"


def test_records_round_trip_through_json(quickstart) -> None:  # type: ignore[no-untyped-def]
    ex = run_with(quickstart, 2, COOPERATE)
    for r in ex.records:
        assert ev.event_from_dict(json.loads(json.dumps(r.to_dict()))) == r


def test_the_exercise_refuses_actions_after_it_ended(mini) -> None:  # type: ignore[no-untyped-def]
    ex = run_with(mini, 1)
    assert isinstance(ex.records[-1], ev.ExerciseEnded)
    with pytest.raises(ExerciseError, match="ended"):
        ex.note("too late")


def test_a_threat_with_a_false_if_never_begins() -> None:
    text = MINI.replace(
        "    actor: apt\n    at: 0\n", '    actor: apt\n    at: 0\n    if: "trust > 0.9"\n'
    )
    ex = Exercise(load_scenario_text(text), 1)
    ex.run()
    assert not of(ex, ev.ThreatStarted)
    assert ex.value("intrusion") == "pending"


def test_players_cannot_learn_of_a_hidden_threat_from_a_number_it_moves() -> None:
    """A visible variable moved by an undetected campaign changes 'unexplained' for players;
    the facilitator still sees the real cause."""
    text = MINI.replace("loss: {initial: 0, min: 0, hidden: true}", "loss: {initial: 0, min: 0}")
    ex = Exercise(load_scenario_text(text), 1)
    ex.run()
    changes = [
        r
        for r in ex.visible(controller=False)
        if isinstance(r, ev.VariableChanged) and r.variable == "loss"
    ]
    assert changes
    assert all(c.cause == "unexplained" and "intrusion" not in c.cause for c in changes)
    assert all(c.hidden_cause == "" for c in changes)  # the players' copy leaves it out
    real = [r for r in ex.records if isinstance(r, ev.VariableChanged) and r.variable == "loss"]
    assert all(c.hidden_cause.startswith("threat:intrusion.") for c in real)
    from sim.describe import describe

    assert "intrusion" not in describe(changes[0], ex.scenario)
    assert "intrusion" in describe(real[0], ex.scenario, controller=True)


def test_slowing_a_campaign_before_it_begins_slows_it_when_it_does() -> None:
    text = MINI.replace("    actor: apt\n    at: 0\n", "    actor: apt\n    at: 30\n")
    plain = Exercise(load_scenario_text(text), 1)
    plain.run()
    slowed = Exercise(load_scenario_text(text), 1)
    to_decision(slowed, "answer")
    slowed.decide("answer", "hunt")
    slowed.run()
    first = min(r.time for r in of(plain, ev.ThreatStageReached) if r.stage == "theft")
    later = min(r.time for r in of(slowed, ev.ThreatStageReached) if r.stage == "theft")
    assert first == 40.0  # began at 30, access takes 10
    assert later == 50.0  # slowed ×2 at t=28, before it began


def test_the_players_msel_hides_held_skipped_and_conditional_timing(quickstart) -> None:  # type: ignore[no-untyped-def]
    ex = Exercise(quickstart, 1)
    players = {e.inject.id: e for e in ex.msel(controller=False)}
    controller = {e.inject.id: e for e in ex.msel(controller=True)}
    assert "ally_doubts" not in players and "ally_doubts" in controller
    assert players["press_question"].time is None
    assert players["ally_warning"].time == 6
    ex = Exercise(quickstart, 1)
    to_decision(ex, "answer_ally")
    ex.decide("answer_ally", "deny")
    ex.run()
    assert ex.value("ally_follow_up") == "skipped"
    assert "ally_follow_up" not in {e.inject.id for e in ex.msel(controller=False)}
    assert "ally_follow_up" in {e.inject.id for e in ex.msel(controller=True)}


def test_stopping_an_undetected_campaign_does_not_name_it_to_players() -> None:
    text = MINI.replace("reveals: [intrusion]}", "reveals: []}").replace(
        "slows: {intrusion: 2}}", "stops: [intrusion]}"
    )
    ex = Exercise(load_scenario_text(text), 1)
    to_decision(ex, "answer")
    ex.decide("answer", "hunt")
    ex.run()
    assert ex.value("intrusion") == "stopped"
    players = ex.visible(controller=False)
    assert not any(isinstance(r, ev.ThreatStopped) for r in players)
    finished = [r for r in players if isinstance(r, ev.ResponseFinished)]
    assert finished and all("intrusion" not in r.summary for r in finished)
    assert any(isinstance(r, ev.ThreatStopped) for r in ex.visible(controller=True))


def test_a_normal_duration_with_a_negative_min_never_waits_backwards() -> None:
    text = MINI.replace(
        "{id: drafting, duration: 10}",
        "{id: drafting, duration: {normal: {mean: 0, sd: 5, min: -20}}}",
    )
    scenario = load_scenario_text(text)
    for seed in range(20):
        ex = Exercise(scenario, seed)
        to_decision(ex, "answer")
        ex.decide("answer", "law")
        ex.run()
        assert ex.finished
