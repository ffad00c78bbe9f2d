"""Wall-clock time per decision: from the session store's stamps, never in the engine's log."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aar_helpers import run, saved_session
from click.testing import CliRunner

from sim.analysis.model import build_aar
from sim.analysis.sources import session_input
from sim.analysis.walltime import stamp, wall_duration
from sim.cli import main
from sim.replay import replay
from sim.session.store import SessionStore

BASE = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def restamp(store: Path, sid: int, seconds: dict[int, int] | None = None) -> None:
    """Give the session's commands known wall-clock stamps: BASE + 10 s × seq (or as given)."""
    conn = sqlite3.connect(store)
    with conn:
        conn.execute("UPDATE sessions SET created = ? WHERE id = ?", (BASE.isoformat(), sid))
        for (seq,) in conn.execute("SELECT seq FROM commands WHERE session_id = ?", (sid,)):
            at = BASE + timedelta(seconds=(seconds or {}).get(seq, 10 * seq))
            conn.execute(
                "UPDATE commands SET wall = ? WHERE session_id = ? AND seq = ?",
                (at.isoformat(), sid, seq),
            )
    conn.close()


def report_json(store: Path, sid: int) -> dict[str, object]:
    result = CliRunner().invoke(
        main, ["report", str(sid), "--store", str(store), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


def test_bad_or_missing_stamps_give_no_wall_time() -> None:
    assert stamp("") is None and stamp("yesterday") is None and stamp("2026-13-40") is None


def test_durations_read_as_a_room_lives_them() -> None:
    assert [wall_duration(s) for s in (0, 40.4, 185, 4320)] == [
        "0 s",
        "40 s",
        "3 min 05 s",
        "1 h 12 min",
    ]


def test_a_session_reports_how_long_the_room_took(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    # seq 1 ran to the decision (posed), seq 2 moved on, seq 3 was the choice: 9 min 20 s
    restamp(store, sid, {1: 40, 2: 100, 3: 600})
    data = report_json(store, sid)
    decisions = data["decisions"]
    assert isinstance(decisions, list)
    first = decisions[0]
    assert (first["decision"], first["wall_took"]) == ("answer_ally", "9 min 20 s")
    timeline = data["timeline"]
    assert isinstance(timeline, list)
    assert any("9 min 20 s in the room" in e["text"] for e in timeline)
    md = (
        CliRunner()
        .invoke(main, ["report", str(sid), "--store", str(store), "--format", "md"])
        .output
    )
    assert "(9 min 20 s in the room)" in md
    html = CliRunner().invoke(main, ["report", str(sid), "--store", str(store)]).output
    assert "9 min 20 s in the room" in html


def test_wall_time_never_enters_the_engine_and_the_report_stays_byte_identical(
    tmp_path: Path,
) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    restamp(store, sid)
    found = session_input(str(sid), str(store))
    again = replay(found.exercise.scenario, found.seed, [c.command for c in found.commands])
    assert [r.to_dict() for r in found.exercise.records] == [r.to_dict() for r in again.records], (
        "the engine's log is the replay of the commands alone"
    )
    assert "wall" not in json.dumps([r.to_dict() for r in found.exercise.records])
    assert report_json(store, sid) == report_json(store, sid)
    first = CliRunner().invoke(main, ["report", str(sid), "--store", str(store)]).output
    second = CliRunner().invoke(main, ["report", str(sid), "--store", str(store)]).output
    assert first == second


def test_an_older_store_without_stamps_reports_no_wall_time(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    sid = saved_session(store)
    conn = sqlite3.connect(store)
    with conn:
        conn.execute("UPDATE commands SET wall = ''")
    conn.close()
    decisions = report_json(store, sid)["decisions"]
    assert isinstance(decisions, list)
    assert all(d["wall_took"] == "" for d in decisions)
    with SessionStore.open(store, readonly=True) as st:
        assert st.session(sid).decisions >= 1


def test_a_headless_run_has_no_wall_time() -> None:
    aar = build_aar(run("quickstart", playbook="quickstart--cooperate"), "controller")
    assert aar.decisions and all(d.wall_took == "" for d in aar.decisions)
    assert not any("in the room" in e.text for e in aar.timeline)
