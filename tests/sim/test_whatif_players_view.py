"""The what-if comparison in the players' view (the debrief's w, on the projector) shows a
live session's objectives as the players' view does: a standing that reads a hidden variable
is withheld until the exercise ends, as on the dashboard."""

from __future__ import annotations

from pathlib import Path

from sim.deciders import DefaultDecider, play
from sim.session.branch import branch_session
from sim.session.compare import compare_sessions
from sim.session.journal import start_session
from sim.session.resume import load_text
from sim.session.store import SessionStore
from sim.views import view

SCENARIO = """
scenario:
  id: whatif_secret
  title: What if
  summary: An objective reads a hidden variable.
  start: 2020-07-01T09:00:00+09:00
  time_unit: hours
  horizon: 48
  seed: 1
actors:
  - {id: gov, name: Government, affiliation: government}
variables:
  trust: {initial: 0.5, min: 0, max: 1}
  leakedxyz: {initial: 0, min: 0, hidden: true}
injects:
  - {id: go, at: 1, from: gov, to: [gov], text: Act?, invented: true, decision: act}
decisions:
  - id: act
    owner: gov
    prompt: Speak?
    default: quiet
    deadline: 5
    options:
      - {id: speak, label: Speak, effects: {leakedxyz: "+ 5", trust: "+ 0.1"}}
      - {id: quiet, label: Stay quiet}
objectives:
  - {id: open_one, description: Trust holds, met: "trust >= 0.5"}
  - {id: secret_one, description: Nothing more leaks, met: "leakedxyz < 1"}
"""


def test_a_live_sessions_hidden_standing_is_withheld_in_the_players_comparison(
    tmp_path: Path,
) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    path = tmp_path / "whatif.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    live = start_session(store, load_text(SCENARIO, str(path)), SCENARIO, path, 1)
    live.run_until_decision()
    live.decide("act", "speak", by="players")
    live.run_until(10)
    assert not live.finished
    standing = {r.objective: r.rating for r in view(live, controller=False).ratings}
    assert standing == {"open_one": "met", "secret_one": None}  # the dashboard's '?'
    made = branch_session(store, 1, "act", "quiet")
    play(made.exercise, DefaultDecider())
    result = compare_sessions(store, 1, made.session_id)
    players = result.to_text(controller=False).splitlines()
    line = next(text for text in players if "secret_one" in text)
    assert "not_met" not in line.split("B:")[0]
    assert "A: withheld" in line
    assert any("open_one" in text and "A: met" in text for text in players)
    # the controller's comparison shows the standing
    controller = result.to_text().splitlines()
    assert any("secret_one" in text and "A: not_met" in text for text in controller)


def test_the_players_comparison_counts_no_commands(tmp_path: Path) -> None:
    """The facilitator's notes and adjustments are commands: counting them ('12 commands',
    'They share their first 5 commands') told the room how much was done out of its sight."""
    from sim.commands import Note

    store = SessionStore.open(tmp_path / "s.sqlite3")
    path = tmp_path / "whatif.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    for notes in ((), ("aside", "another aside")):
        ex = start_session(store, load_text(SCENARIO, str(path)), SCENARIO, path, 1)
        ex.run_until(3)
        for text in notes:
            ex.submit(Note(text=text))
        ex.run_until(4)
    result = compare_sessions(store, 1, 2)
    assert "command" in result.to_text()
    players = result.to_text(controller=False)
    assert "command" not in players
    assert "The timelines are identical." in players
