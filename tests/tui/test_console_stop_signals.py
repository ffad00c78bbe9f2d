"""SIGTERM and SIGHUP end the console as quitting does, in a real terminal (tmux): the
terminal is given back as it was (echo and line editing on), the session store is closed,
every decision made is saved, one line says why, and the exit code is 128 + the signal's
number (143, 129), as for a batch. `play --resume` then shows the decision."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tmux_terminal import Terminal, poll

ROOT = Path(__file__).resolve().parents[2]
TABLETOP = Path(sys.executable).with_name("tabletop")
pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"
)


def _console(tmp: Path, store: Path) -> tuple[Terminal, int]:
    """The console on quickstart, its one decision made; (the terminal, the console's pid).
    After the console the shell says its exit code and the terminal's echo and line editing
    (`-echo -icanon` if the console left the terminal in its full-screen mode)."""
    pid_file = tmp / "pid"
    term = Terminal(
        f"sh -c 'echo $$ > {pid_file}; exec {TABLETOP} play scenarios/quickstart.yaml "
        f"--store {store}'; echo EXITED-$?; "
        "stty -a | tr ' ' '\\n' | grep -x -e echo -e -echo -e icanon -e -icanon | tr '\\n' ' ';"
        " echo STTY-DONE; sleep 60",
        ROOT,
        width=300,  # the last line unwrapped, whatever the length of the store's path
    )
    pane, keys = term.pane, term.keys
    poll(lambda: "MSEL" in (p := pane()) and "PLAYERS" in p and p, "the console")
    keys("n")
    poll(lambda: "How do you answer the ally" in pane(), "the decision")
    keys("1")
    poll(lambda: "why the room chose it" in pane(), "the rationale prompt")
    keys("We trust them", "Enter")
    poll(lambda: "No decision is open" in pane(), "the decision to be made")
    pid = int(poll(lambda: pid_file.is_file() and pid_file.read_text().strip(), "the pid"))
    return term, pid


def _decisions(store: Path) -> int:
    done = subprocess.run(
        [TABLETOP, "sessions", "--store", str(store), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    [session] = json.loads(done.stdout)
    return int(session["decisions"])


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGHUP, 129, "hung up")],
    ids=["sigterm", "sighup"],
)
def test_a_signal_leaves_the_console_cleanly_and_the_decision_is_resumed(
    tmp_path: Path, signum: int, code: int, said: str
) -> None:
    store = tmp_path / "s.sqlite3"
    term, pid = _console(tmp_path, store)
    try:
        os.kill(pid, signum)
        poll(lambda: "STTY-DONE" in term.pane(), "the console to leave")
        lines = [line.strip() for line in term.pane().splitlines() if line.strip()]
        at = lines.index(f"EXITED-{code}")
        assert lines[at - 1] == (
            f"{said}: session 1 is saved: tabletop play --resume 1 --store {store}"
        )
        assert lines[at + 1].split() == ["icanon", "echo", "STTY-DONE"]  # given back
    finally:
        term.close()
    assert _decisions(store) == 1
    resumed = Terminal(f"{TABLETOP} play --resume 1 --store {store}; sleep 60", ROOT)
    try:
        poll(lambda: "Session 1 resumed" in resumed.pane(), "the resumed console")
        resumed.keys("v")
        poll(lambda: "answer_ally: chose cooperate" in resumed.pane(), "the decision resumed")
    finally:
        resumed.close()


def test_a_terminal_that_hangs_up_ends_the_console_with_its_decision_saved(
    tmp_path: Path,
) -> None:
    """The terminal itself goes (an ssh connection dropped, the window closed)."""
    store = tmp_path / "s.sqlite3"
    term, pid = _console(tmp_path, store)
    term.close()  # tmux hangs up on the console
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists(), "the console outlived its terminal"
    assert _decisions(store) == 1
