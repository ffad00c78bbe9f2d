"""The clock paused before a deadline does not rest at the time of something the players
cannot see: it rested at the last engine event before the deadline, so the players' clock
(and the projector's) read the minute an unseen campaign's stage ended."""

from __future__ import annotations

import pytest

from sim.engine import Exercise
from sim.loader import load_scenario_text
from sim.pacing import StopReason, advance, next_event

BASE = """
scenario:
  id: paused
  title: Paused
  summary: A decision whose deadline comes while an unseen campaign moves.
  start: 2020-07-01T09:00:00+09:00
  time_unit: hours
  horizon: 48
  seed: 1
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: shadow, name: Shadow, affiliation: adversary}
variables:
  stolen: {initial: 0, min: 0, hidden: true}
injects:
  - {id: ask, at: 5, from: gov, to: [gov], text: Decide., invented: true, decision: act}
decisions:
  - id: act
    owner: gov
    prompt: Act?
    default: wait
    deadline: 3
    options:
      - {id: act, label: Act}
      - {id: wait, label: Wait}
"""

HIDDEN = """
threats:
  - id: lurk
    actor: shadow
    at: 6
    stages:
      - {id: dwell, duration: 1.37, detect: "0", effects: {stolen: "+ 1"}}
"""


@pytest.mark.parametrize("how", ["play", "next event"])
def test_the_paused_clock_reads_the_same_with_or_without_a_hidden_campaign(how: str) -> None:
    rested = []
    for text in (BASE, BASE + HIDDEN):
        ex = Exercise(load_scenario_text(text), 1)
        assert advance(ex, 100).reason is StopReason.DECISION and ex.now == 5
        stop = advance(ex, 100) if how == "play" else next_event(ex, controller=False)
        assert stop.reason is StopReason.DEADLINE
        assert ex.now < 8 and "act" in ex.open_decisions  # the room can still choose
        rested.append(ex.now)
    assert rested[0] == rested[1]
    assert rested[1] != pytest.approx(7.37)  # not the hidden stage's end
