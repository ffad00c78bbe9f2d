"""A retry whose condition (``while``) reads what the players cannot see is left unsaid in
their view: 'evict will not be tried again: the reason to retry has gone' told the room that
the hidden variable had turned (here, that the intruders had taken something). The planned
attempt and its dropping are the controller's; a retry on a condition they can see is told
to them as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main

RETRY = """
format: 2
scenario:
  id: retryq
  title: Retry
  summary: A retry on a hidden condition.
  start: 2020-07-01T09:00:00+09:00
  time_unit: hours
  horizon: 60
  seed: 1
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: shadow, name: Shadow, affiliation: adversary}
variables:
  stolen: {initial: 0, min: 0, hidden: true}
  calm: {initial: 0}
injects:
  - {id: first, at: 1, from: gov, to: [gov], text: First., invented: true, decision: answer}
decisions:
  - id: answer
    owner: gov
    prompt: Hunt?
    default: hunt
    deadline: 1
    options:
      - {id: hunt, label: Hunt, responses: [evict]}
      - {id: wait, label: Wait}
threats:
  - {id: lurk, actor: shadow, at: 0, stages: [{id: dwell, duration: 3, detect: "0", effects: {stolen: "+ 1"}}]}
responses:
  - id: evict
    kind: countermeasure
    actor: gov
    title: Evict
    duration: 2
    success: 0
    retry: {attempts: 3, delay: 5, while: "WHILE"}
"""


def run(tmp_path: Path, condition: str, view: str, fmt: str = "text") -> str:
    path = tmp_path / "retry.yaml"
    path.write_text(RETRY.replace("WHILE", condition), encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path), "--view", view, "--format", fmt])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("condition", ["stolen < 1", "lurk != 'completed'"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_retry_on_a_hidden_condition_is_left_unsaid(
    tmp_path: Path, condition: str, fmt: str
) -> None:
    players = run(tmp_path, condition, "players", fmt)
    assert "evict" in players  # the failure itself is theirs
    assert "tried again" not in players and "response_retry" not in players
    controller = run(tmp_path, condition, "controller", fmt)
    assert "tried again" in controller or "response_retry" in controller


def test_a_retry_on_what_the_players_see_is_told(tmp_path: Path) -> None:
    players = run(tmp_path, "calm < 1", "players")
    assert "evict will be tried again (attempt 2)" in players
