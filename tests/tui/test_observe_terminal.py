"""The observation dialog (s) in a real terminal (tmux): typed, saved with the session, reported.

The pilot tests (test_observe_console.py) cover the dialog's every case; this one shows that in
a real terminal the keys reach it, markup typed by the evaluator stays literal on screen, and
the line is in the saved session's report after the console has quit.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tmux_terminal import Terminal, poll

ROOT = Path(__file__).resolve().parents[2]
TABLETOP = Path(sys.executable).with_name("tabletop")
SEEN = "Quick [b]to[/b] call the ally"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)")
def test_an_observation_typed_in_a_real_terminal_is_in_the_sessions_report(
    tmp_path: Path,
) -> None:
    store = tmp_path / "sessions.sqlite3"
    term = Terminal(
        f"{TABLETOP} play scenarios/quickstart.yaml --store {store}; echo EXITED-$?; sleep 30",
        ROOT,
    )
    pane, keys = term.pane, term.keys
    try:
        poll(lambda: "MSEL" in (p := pane()) and "PLAYERS" in p and p, "the console")
        keys("s")  # in the players' view the dialog does not open: the projector would show it
        poll(lambda: "Observations are for" in pane(), "the refusal in the players' view")
        assert "Observation for the after-action report" not in pane()
        keys("v")
        poll(lambda: "CONTROLLER" in pane(), "the controller view")
        keys("s")
        poll(lambda: "Observation for the after-action report" in pane(), "the dialog")
        keys("Enter")  # empty: said in the dialog, which stays open
        poll(lambda: "the observation is empty" in pane(), "the empty line refused")
        keys("-l", SEEN)
        poll(lambda: SEEN in pane(), "the typed line, literally")
        keys("Tab", "Tab", "Down", "Enter")  # a strength; enter saves
        poll(lambda: "Observation saved" in pane(), "the observation saved")
        term.quit_console()
    finally:
        term.close()
    session = subprocess.run(
        [TABLETOP, "sessions", "--store", str(store), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (saved,) = json.loads(session.stdout)
    report = tmp_path / "aar.json"
    done = subprocess.run(
        [
            TABLETOP,
            "report",
            str(saved["id"]),
            "--store",
            str(store),
            "--format",
            "json",
            "--out",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    seen = [s for s in data["strengths"] if s["source"] == "observation"]
    assert [s["text"] for s in seen] == [SEEN], data["strengths"]
