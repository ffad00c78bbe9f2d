"""Analysis from structured causes: what a decision caused, a variable's history, enums."""

from __future__ import annotations

import pytest
from test_engine import MINI

from sim import events as ev
from sim.analysis.consequences import consequences
from sim.analysis.history import changes, sampled, trend
from sim.cause import Cause, CauseKind
from sim.engine import Exercise
from sim.loader import load_scenario_text
from sim.schema import INJECT_STATUSES, RESPONSE_STATUSES, THREAT_STATUSES, Scenario
from sim.vocab import InjectStatus, ResponseStatus, ThreatStatus


@pytest.fixture
def mini() -> Scenario:
    return load_scenario_text(MINI, "mini.yaml")


def test_what_a_decision_caused_follows_responses_and_what_they_did(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    ex.run_until(20)
    ex.decide("answer", "hunt")
    ex.run()
    caused = consequences(ex.records, "answer", "hunt")
    started = [r.response for r in caused if isinstance(r, ev.ResponseStarted)]
    assert started == ["hunt_one", "hunt_two"]
    assert any(isinstance(r, ev.ThreatDetected) for r in caused)  # hunt_one revealed it
    assert any(isinstance(r, ev.ThreatSlowed) for r in caused)  # hunt_two slowed it
    assert all(r.time >= 20 for r in caused)
    assert consequences(ex.records, "answer", "ignore") == []


def test_records_carry_their_cause_as_data(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    ex.run()  # nobody decides: the default 'ignore' lowers trust
    trust = changes(ex.records, "trust")[0]
    assert trust.origin == ("decision", "answer", "ignore")
    assert trust.cause == Cause(CauseKind.DECISION, "answer", "ignore").text
    loss = changes(ex.records, "loss")[0]
    assert loss.origin == ("unexplained", "", "")  # an undetected threat did it
    assert Cause.of(loss.hidden_origin) == Cause(CauseKind.THREAT, "intrusion", "theft")


def test_a_variable_history_is_sampled_as_a_step_function(mini: Scenario) -> None:
    ex = Exercise(mini, 1)
    ex.run()
    values = sampled(ex.records, "trust", 0.5, ex.now, samples=10)
    assert values[0] == 0.5 and values[-1] == pytest.approx(0.3)
    assert trend(ex.records, "trust") == "▼" and trend(ex.records, "powers") == " "


def test_the_status_words_are_closed_sets_matching_the_format() -> None:
    assert set(ThreatStatus) == set(THREAT_STATUSES)
    assert set(ResponseStatus) == set(RESPONSE_STATUSES)
    assert set(InjectStatus) == set(INJECT_STATUSES)
