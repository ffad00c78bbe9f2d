"""Hostile audit of `tabletop watch --plain` on a session whose replay cannot reach its end.

`--plain` exits when the exercise ends. A session the store marks *finished* whose replay does
not end (a store edited by another program, or written by a tabletop whose engine replays it
otherwise) would never end: watch must say so in one line and exit 1, not wait forever.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tabletop(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=30,  # a regression fails here instead of hanging the suite
    )


def test_watch_of_a_finished_session_whose_replay_does_not_end_exits(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    done = tabletop(
        "run",
        "quickstart",
        "--playbook",
        "quickstart--cooperate",
        "--record",
        "--store",
        str(store),
    )
    assert done.returncode == 0, done.stderr
    ended = tabletop("watch", "1", "--plain", "--store", str(store))
    assert ended.returncode == 0 and "Exercise ended" in ended.stdout, ended.stderr
    conn = sqlite3.connect(store)
    conn.execute("DELETE FROM commands WHERE seq = (SELECT max(seq) FROM commands)")
    conn.commit()
    conn.close()
    done = tabletop("watch", "1", "--plain", "--store", str(store))
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Exercise ended" not in done.stdout
    assert done.stderr.splitlines() == [
        "error: session 1 is finished, but its replay does not reach the end: the store was "
        "changed by another program, or written by a tabletop that replays it otherwise"
    ], done.stderr
