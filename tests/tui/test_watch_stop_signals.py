"""SIGTERM and SIGHUP end `tabletop watch` cleanly, as they end `tabletop play`, in a real
terminal (tmux): the terminal is given back as it was (echo and line editing on), one line
says why, and the exit code is 128 + the signal's number (143, 129). By default either signal
ended the viewer at once, leaving the projector's terminal in full-screen mode, no echo."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from tmux_terminal import Terminal, poll

from sim.session.journal import start_session
from sim.session.resume import load_text
from sim.session.store import SessionStore

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "scenarios" / "quickstart.yaml"
TABLETOP = Path(sys.executable).with_name("tabletop")
pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)"
)


def _session(tmp: Path) -> Path:
    """A store with session 1 on quickstart, played up to its first decision."""
    store = SessionStore.open(tmp / "s.sqlite3")
    text = QUICKSTART.read_text(encoding="utf-8")
    start_session(store, load_text(text, str(QUICKSTART)), text, QUICKSTART, 5).run_until_decision()
    return store.path


def _viewer(tmp: Path, store: Path) -> tuple[Terminal, int]:
    """`tabletop watch 1` showing the session; (the terminal, the viewer's pid). After it the
    shell says its exit code and the terminal's echo and line editing."""
    pid_file = tmp / "pid"
    term = Terminal(
        f"sh -c 'echo $$ > {pid_file}; exec {TABLETOP} watch 1 --store {store}'; "
        "echo EXITED-$?; "
        "stty -a | tr ' ' '\\n' | grep -x -e echo -e -echo -e icanon -e -icanon | tr '\\n' ' ';"
        " echo STTY-DONE; sleep 60",
        ROOT,
        width=200,
    )
    poll(lambda: "Watching session 1" in (p := term.pane()) and "allied signals" in p, "watch")
    pid = int(poll(lambda: pid_file.is_file() and pid_file.read_text().strip(), "the pid"))
    return term, pid


@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGHUP, 129, "hung up")],
    ids=["sigterm", "sighup"],
)
def test_a_signal_leaves_the_viewer_cleanly(
    tmp_path: Path, signum: int, code: int, said: str
) -> None:
    term, pid = _viewer(tmp_path, _session(tmp_path))
    try:
        os.kill(pid, signum)
        poll(lambda: "STTY-DONE" in term.pane(), "the viewer to leave")
        lines = [line.strip() for line in term.pane().splitlines() if line.strip()]
        at = lines.index(f"EXITED-{code}")
        assert lines[at - 1] == f"{said}: stopped watching session 1"
        assert "Traceback" not in term.pane()
        assert lines[at + 1].split() == ["icanon", "echo", "STTY-DONE"]  # given back
    finally:
        term.close()


def test_a_terminal_that_hangs_up_ends_the_viewer(tmp_path: Path) -> None:
    """The projector's terminal itself goes (the window closed, an ssh connection dropped)."""
    term, pid = _viewer(tmp_path, _session(tmp_path))
    term.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists(), "the viewer outlived its terminal"
