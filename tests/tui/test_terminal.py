"""The console in a real terminal (tmux); `tabletop serve` is tested in test_serve.py."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from tmux_terminal import Terminal, poll

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)")
def test_play_in_a_real_terminal(tmp_path: Path) -> None:
    tabletop = Path(sys.executable).with_name("tabletop")
    store = tmp_path / "s.sqlite3"  # not the user's own store in their data folder
    term = Terminal(
        f"{tabletop} play scenarios/quickstart.yaml --store {store}; echo EXITED-$?; sleep 30",
        ROOT,
    )
    pane, keys = term.pane, term.keys
    try:
        poll(lambda: "MSEL" in (p := pane()) and "PLAYERS" in p and p, "the console")
        keys("n")
        poll(lambda: "How do you answer the ally" in pane(), "the decision")
        keys("1")
        poll(lambda: "why the room chose it" in pane(), "the rationale prompt")
        keys("We trust them", "Enter")
        poll(lambda: "No decision is open" in pane(), "the decision to be made")
        keys("v")
        poll(lambda: "CONTROLLER" in pane(), "the controller view")
        term.quit_console()
    finally:
        term.close()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)")
def test_a_session_opened_from_the_picker_says_how_to_resume_it_on_quitting(
    tmp_path: Path,
) -> None:
    """`tabletop play` (the picker), a scenario chosen, a decision made, quit: the terminal
    says how to resume the session, as it does when the scenario is named on the command line
    (it said nothing: the line was only printed for a scenario given as an argument)."""
    tabletop = Path(sys.executable).with_name("tabletop")
    store = tmp_path / "s.sqlite3"
    term = Terminal(f"{tabletop} play --store {store}; echo EXITED-$?; sleep 30", tmp_path, 80, 24)
    pane, keys = term.pane, term.keys
    try:
        poll(lambda: "enter: open the briefing" in pane(), "the picker, its scenarios listed")
        keys("Enter")  # the highlighted (first) scenario's briefing
        poll(lambda: "Briefing" in pane(), "the briefing")
        keys("Enter")
        poll(lambda: "PLAYERS" in pane(), "the console")
        keys("n")
        poll(lambda: "[1-3] choose" in pane(), "the decision")
        keys("1")
        poll(lambda: "why the room chose it" in pane(), "the rationale prompt")
        keys("Enter")
        poll(lambda: "No decision is open" in pane(), "the decision to be made")
        term.quit_console()
        shown = " ".join(pane().split())
        assert "Session 1 is saved:" in shown and "tabletop play --resume 1" in shown, shown
    finally:
        term.close()
