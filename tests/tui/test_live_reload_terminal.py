"""`tabletop play FILE --watch` in a real terminal (tmux): a save reloads, a broken save shows
its problem, and quitting says nothing about a saved session."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from tmux_terminal import Terminal, poll

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)")
def test_watch_in_a_real_terminal(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    shutil.copy(ROOT / "scenarios" / "quickstart.yaml", path)
    tabletop = Path(sys.executable).with_name("tabletop")
    store = tmp_path / "s.sqlite3"
    term = Terminal(
        f"{tabletop} play q.yaml --watch --store {store}; echo EXITED-$?; sleep 30", tmp_path
    )
    pane, keys = term.pane, term.keys

    def edit(old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    try:
        poll(lambda: "MSEL" in (p := pane()) and "PLAYERS" in p and p, "the console")
        keys("n")
        poll(lambda: "How do you answer the ally" in pane(), "the decision")
        keys("1")
        poll(lambda: "why the room chose it" in pane(), "the rationale prompt")
        keys("Enter")  # no rationale: enter alone records the choice
        poll(lambda: "No decision is open" in pane(), "the decision to be made")
        edit("The head of the allied signals agency", "RELOADED head of the allied agency")
        poll(lambda: "RELOADED head" in pane(), "the edited inject after the reload")
        assert "No decision is open" in pane()  # the choice was replayed
        edit("from: ally", "from: allly")
        poll(lambda: "not reloaded" in pane(), "the problem said (the players' view)")
        assert not re.search(r"q\.yaml:\d+:\d+", pane())  # its lines quote the scenario
        keys("v")
        poll(lambda: re.search(r"q\.yaml:\d+:\d+", pane()), "the problem with its line")
        keys("q")
        poll(lambda: "Quit the console?" in pane(), "the quit question")
        assert "not saved" in pane()
        keys("y")
        poll(lambda: re.search(r"EXITED-(\d+)", pane()), "the app to exit")
        assert "EXITED-0" in pane() and "is saved" not in pane()
        assert not store.exists()
    finally:
        term.close()
