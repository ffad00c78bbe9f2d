"""In a real terminal (tmux): escape sequences in text never change the terminal.

A saved session holds a free-text inject and a note whose text sets the window title, clears
the screen and turns text red (as a session written by another front end, or an old
version, could). Resumed in the console, the text shows as visible escapes, the pane's title
is unchanged and the screen is not cleared. A scenario file with such text is refused with a
message that shows it the same way.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tmux_terminal import Terminal, poll
from tui_helpers import QUICKSTART

from sim.session.journal import start_session
from sim.session.resume import load_text
from sim.session.store import PlanRow, SessionStore

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"
)
TABLETOP = Path(sys.executable).with_name("tabletop")
PAYLOAD = "\x1b]2;PWNED-TITLE\x07\x1b]0;PWNED-TITLE\x07\x1b[2J\x1b[31mRED\x9b1mC1"


def title(term: Terminal) -> str:
    return subprocess.run(
        ["tmux", "display-message", "-p", "-t", term.session, "#{pane_title}"],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.strip()


def test_a_resumed_session_with_escape_sequences_leaves_the_terminal_alone(
    tmp_path: Path,
) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    text = QUICKSTART.read_text(encoding="utf-8")
    ex = start_session(store, load_text(text, str(QUICKSTART)), text, QUICKSTART, 1)
    ex.send_inject(f"free {PAYLOAD} text", "ally", ["mofa"])
    ex.note(f"note {PAYLOAD}")
    ex.settle()
    row = PlanRow("", f"issue {PAYLOAD}", "act", "nisc", "")
    store.replace_plan(1, [row])  # a plan row saved by another front end
    store.close()
    term = Terminal(
        f"{TABLETOP} play --resume 1 --store {tmp_path / 's.sqlite3'}; echo EXITED-$?; sleep 30",
        tmp_path,
    )
    try:
        before = title(term)
        poll(lambda: "PLAYERS" in term.pane(), "the console")
        poll(lambda: "\\x1b]2;PWNED-TITLE" in term.pane(), "the inject, as visible escapes")
        term.keys("v")
        poll(lambda: "note \\x1b]2;PWNED" in term.pane(), "the note, in the controller view")
        pane = term.pane()
        assert "MSEL" in pane  # not cleared
        assert "PWNED" not in title(term)
        # the plan row, edited: its text in a field of the dialog
        term.keys("d")
        poll(lambda: "Improvement plan" in term.pane(), "the debrief")
        term.keys("p")
        poll(lambda: "enter edit" in term.pane(), "the plan, its table focused")
        term.keys("Enter")
        poll(lambda: "Improvement plan: row 1" in term.pane(), "the row's dialog")
        poll(lambda: "issue \\x1b]2;PWNED" in term.pane(), "the row's issue, as escapes")
        assert "PWNED" not in title(term)
        assert title(term) == before
        term.keys("Escape", "Escape")
        poll(lambda: "Improvement plan" not in term.pane(), "the console")
        term.quit_console()
    finally:
        term.close()


def test_a_scenario_with_escape_sequences_is_refused_showing_them(tmp_path: Path) -> None:
    text = QUICKSTART.read_text(encoding="utf-8").replace(
        'title: "Quickstart: a warning from an ally"', f'title: "{PAYLOAD}"'
    )
    (tmp_path / "evil.yaml").write_text(text, encoding="utf-8")
    term = Terminal(f"{TABLETOP} play evil.yaml; echo EXITED-$?; sleep 30", tmp_path)
    try:
        before = title(term)
        poll(lambda: "EXITED-1" in term.pane(), "the refusal")
        pane = term.pane()
        assert "evil.yaml:" in pane and "control character" in pane
        assert title(term) == before
        assert "PWNED" not in title(term)
    finally:
        term.close()
