"""The improvement plan as typed in the debrief: checks (bad cases first), storage, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aar_helpers import saved_session
from click.testing import CliRunner

from sim.analysis.entries import (
    MAX_TEXT,
    PlanEntry,
    draft_plan,
    due_problems,
    line_problems,
    plan_problems,
)
from sim.cli import main
from sim.session.store import PlanRow, SessionStore
from sim.views import WITHHELD_TEXT

OBJECTIVES = ("keep_the_alliance", "contain")


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (PlanEntry(issue=""), "the issue is empty"),
        (PlanEntry(issue="x\x1b[2Jy"), "issue holds control characters"),
        (PlanEntry(issue="ok", action="a\nb"), "corrective action holds control characters"),
        (PlanEntry(issue="ok", owner="\u202eevil"), "owner holds control characters"),
        (PlanEntry(issue="x" * (MAX_TEXT + 1)), f"at most {MAX_TEXT}"),
        (PlanEntry(issue="ok", owner="o" * 301), "owner is too long"),
        (PlanEntry(issue="ok", objective="nope"), "no objective 'nope'"),
        (PlanEntry(issue="ok", due="tomorrow"), "YYYY-MM-DD"),
        (PlanEntry(issue="ok", due="2027-02-30"), "not a date in the calendar"),
        (PlanEntry(issue="ok", due="2027-1-3"), "YYYY-MM-DD"),
        (PlanEntry(issue="ok", due="٢٠٢٧-٠١-٠١"), "YYYY-MM-DD"),
    ],
)
def test_bad_plan_rows_are_refused_with_a_clear_message(row: PlanEntry, words: str) -> None:
    problems = plan_problems(row, OBJECTIVES)
    assert any(words in p for p in problems), problems


def test_every_problem_is_said_at_once() -> None:
    problems = plan_problems(PlanEntry(objective="nope", issue="", due="soon"), OBJECTIVES)
    assert len(problems) == 3


def test_good_rows_pass() -> None:
    assert plan_problems(PlanEntry(issue="slow to share"), OBJECTIVES) == []
    row = PlanEntry("contain", "slow", "drill", "NISC — Ms Ōta", "2028-02-29")
    assert plan_problems(row, OBJECTIVES) == []
    assert due_problems("") == [] and line_problems("'; DROP TABLE x; --", "issue") == []


def test_drafted_rows_are_the_objectives_not_met() -> None:
    rows = draft_plan(
        [
            ("a", "Keep the ally", "met", ""),
            ("b", "Contain", "not_met", "not by day 3"),
            ("c", "Calm", "partially", ""),
        ]
    )
    assert rows == [
        PlanEntry("b", "Contain: not met (not by day 3)"),
        PlanEntry("c", "Calm: partially met"),
    ]


def report_json(store: Path, sid: int, audience: str = "players") -> dict[str, object]:
    args = ["report", str(sid), "--store", str(store), "--format", "json"]
    result = CliRunner().invoke(main, [*args, "--audience", audience])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


def test_the_edited_plan_is_the_reports_even_when_emptied(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    with SessionStore.open(store) as st:
        st.replace_plan(sid, [PlanRow("keep_the_alliance", "Slow to tell the ally", "Drill")])
    data = report_json(store, sid)
    assert data["plan"] == [
        {
            "objective": "keep_the_alliance",
            "issue": "Slow to tell the ally",
            "corrective_action": "Drill",
            "owner": "",
            "due": "",
        }
    ]
    assert data["plan_drafted"] is False
    with SessionStore.open(store) as st:
        st.replace_plan(sid, [])
    data = report_json(store, sid)
    assert data["plan"] == [] and data["plan_drafted"] is False


def test_a_plan_row_naming_a_secret_is_withheld_from_the_players(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    row = PlanRow("", "data_exposed reached 30", "Watch data_exposed", "NISC", "2027-01-31")
    with SessionStore.open(store) as st:
        st.replace_plan(sid, [row])
    players = report_json(store, sid)["plan"]
    assert players == [
        {
            "objective": "",
            "issue": WITHHELD_TEXT,
            "corrective_action": WITHHELD_TEXT,
            "owner": "NISC",
            "due": "2027-01-31",
        }
    ]
    controller = report_json(store, sid, "controller")["plan"]
    assert isinstance(controller, list) and controller[0]["issue"] == "data_exposed reached 30"
