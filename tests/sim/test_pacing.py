"""The time policy: play, next event and next decision stop before a default applies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_engine import MINI

from sim import events as ev
from sim.engine import Exercise
from sim.loader import load_scenario_text
from sim.pacing import StopReason, advance, next_decision, next_event
from sim.replay import replay
from sim.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def mini() -> Scenario:
    return load_scenario_text(MINI, "mini.yaml")


def made(ex: Exercise) -> list[ev.DecisionMade]:
    return [r for r in ex.records if isinstance(r, ev.DecisionMade)]


def test_play_stops_when_a_decision_opens_then_before_its_default(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    stop = advance(ex, 100)
    assert stop.reason is StopReason.DECISION and ex.now == 20 and "answer" in ex.open_decisions
    stop = advance(ex, 100)
    assert stop.reason is StopReason.DEADLINE
    assert stop.deadline is not None and stop.deadline.decision.id == "answer"
    assert ex.now < 30 and "answer" in ex.open_decisions and not made(ex)
    assert advance(ex, 100).reason is StopReason.DEADLINE  # held again: nobody agreed yet
    ex.decide("answer", "tell")  # the room can still choose
    ex.settle()
    assert [(m.option, m.by) for m in made(ex)] == [("tell", "players")]


def test_letting_a_default_apply_reports_it(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    next_decision(ex)
    stop = advance(ex, 100, let_default={"answer"})
    assert [(m.decision, m.option, m.time) for m in stop.defaults] == [("answer", "ignore", 30.0)]
    assert stop.reason in (StopReason.TARGET, StopReason.END)


def test_without_holding_a_default_still_lands_at_its_deadline_and_is_reported(
    mini: Scenario,
) -> None:
    ex = Exercise(mini, 1)
    next_decision(ex, hold=False)
    stop = advance(ex, 50, hold=False)
    assert [(m.option, m.time) for m in stop.defaults] == [("ignore", 30.0)]
    assert ex.now == 50


def test_next_event_never_applies_a_default_silently(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    stops = [next_event(ex, controller=False) for _ in range(6)]
    reasons = [s.reason for s in stops]
    assert StopReason.DEADLINE in reasons
    assert not made(ex) and "answer" in ex.open_decisions
    held = next(s for s in stops if s.reason is StopReason.DEADLINE)
    assert held.deadline is not None and held.deadline.deadline == 30.0
    stop = next_event(ex, controller=False, let_default={"answer"})
    assert [m.option for m in stop.defaults] == ["ignore"] and stop.defaults[0].time == 30.0


def test_next_event_in_the_players_view_skips_what_players_cannot_see(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    stop = next_event(ex, controller=False)
    assert stop.reason is StopReason.DECISION  # the warning at 20: the hidden theft is skipped
    assert stop.records[-1].visible_to(ex.players)
    assert any(not r.visible_to(ex.players) for r in stop.records)
    controller = Exercise(mini, 1)
    first = next_event(controller, controller=True)
    assert first.reason is StopReason.VISIBLE and controller.now == 0


def test_a_session_stepped_by_the_policy_replays_exactly(mini: Scenario) -> None:
    ex = Exercise(mini, 3)
    let: set[str] = set()
    for i in range(40):
        if ex.finished:
            break
        stop = (
            next_event(ex, controller=bool(i % 2), let_default=let)
            if i % 3
            else advance(ex, ex.now + 7, let_default=let)
        )
        if stop.deadline is not None:
            let.add(stop.deadline.decision.id)
        if i == 5:
            ex.note("halfway")
    again = replay(mini, 3, ex.command_log)
    assert json.dumps([r.to_dict() for r in again.records]) == json.dumps(
        [r.to_dict() for r in ex.records]
    )
