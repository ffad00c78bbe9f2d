"""A players' report made while the session runs shows each objective as the players'
dashboard shows it: one whose standing reads what they do not know yet ('?' on the
dashboard) is 'Withheld', never its rating as it stood (here 'Not met': it told the room the
unseen campaign had stolen something)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.loader import load_scenario_text
from sim.pacing import next_event
from sim.session.journal import start_session
from sim.session.store import SessionStore
from sim.views import view

LURKING = """
scenario:
  id: lurking
  title: Lurking
  summary: An unseen campaign between two public injects.
  start: 2020-07-01T09:00:00+09:00
  time_unit: hours
  horizon: 48
  seed: 1
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: shadow, name: Shadow, affiliation: adversary}
variables:
  stolen: {initial: 0, min: 0, hidden: true}
  calm: {initial: 1}
injects:
  - {id: first, at: 5, from: gov, to: [gov], text: First., invented: true}
  - {id: second, at: 20, from: gov, to: [gov], text: Second., invented: true}
threats:
  - id: lurk
    actor: shadow
    at: 6.6
    stages:
      - {id: dwell, duration: 1.37, detect: "0", effects: {stolen: "+ 1"}}
objectives:
  - {id: nothing_taken, description: Nothing is taken, met: "stolen == 0"}
  - {id: stay_calm, description: The country stays calm, met: "calm == 1"}
"""


def session_in_progress(tmp_path: Path) -> Path:
    store = tmp_path / "s.sqlite3"
    st = SessionStore.open(store)
    ex = start_session(st, load_scenario_text(LURKING), LURKING, tmp_path / "l.yaml", 1)
    while ex.now < 7.97:  # the facilitator steps through the unseen campaign
        next_event(ex, controller=True)
    dashboard = {r.objective: r.rating for r in view(ex, controller=False).ratings}
    assert dashboard == {"nothing_taken": None, "stay_calm": "met"}  # '?' and met
    st.close()
    return store


def report(*args: str) -> str:
    result = CliRunner().invoke(main, ["report", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_players_json_withholds_what_the_dashboard_withholds(tmp_path: Path) -> None:
    store = session_in_progress(tmp_path)
    data = json.loads(report("1", "--store", str(store), "--format", "json"))
    rated = {o["id"]: o for o in data["objectives"]}
    assert rated["nothing_taken"]["rating"] == "withheld"
    assert rated["nothing_taken"]["rating_label"] == "Withheld"
    assert rated["stay_calm"]["rating"] == "met"
    for part in ("strengths", "improvements", "plan"):
        assert "Nothing is taken" not in json.dumps(data[part]), part
    controller = json.loads(
        report("1", "--store", str(store), "--format", "json", "--audience", "controller")
    )
    assert {o["id"]: o["rating"] for o in controller["objectives"]}["nothing_taken"] == "not_met"


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_players_pages_say_withheld(tmp_path: Path, fmt: str) -> None:
    store = session_in_progress(tmp_path)
    out = report("1", "--store", str(store), "--format", fmt)
    assert "Withheld" in out
    assert "Not met" not in out and "not met" not in out


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_the_players_report_ends_at_the_time_they_know(tmp_path: Path, fmt: str) -> None:
    """The session rests where the facilitator's step stopped, at the unseen stage's end
    (16:58, t=7.97): the players' edition ended there ('to 2020-07-01 16:58: 7 h 58 min'),
    telling the room something happened then. It ends at the last time they knew of."""
    store = session_in_progress(tmp_path)
    out = report("1", "--store", str(store), "--format", fmt)
    assert [t for t in ("16:58", "15:36", "7.97", "6.6") if t in out] == []
    assert "14:00" in out  # the first inject, the last thing they saw
    controller = report("1", "--store", str(store), "--format", fmt, "--audience", "controller")
    assert "16:58" in controller
