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
