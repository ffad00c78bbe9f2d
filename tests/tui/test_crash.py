"""A console crash: one line and a log file, exit code 1, never the scenario on the terminal."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tui.crash import crash_line, write_crash_log

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 20.0
CRASHING = """
import sys
from pathlib import Path

import tui.app
from sim.loader import load_scenario
from tui.app import TabletopApp

class Crashing(TabletopApp):
    CSS_PATH = str(Path(tui.app.__file__).with_name("app.tcss"))

    def key_x(self) -> None:
        raise RuntimeError("boom")

app = Crashing(load_scenario("scenarios/quickstart.yaml"))
app.run()
sys.exit(app.return_code or 0)
"""


def test_crash_log_holds_the_traceback_without_locals() -> None:
    secret = "facilitator secret"
    try:
        notes = secret  # a local a traceback with locals would print
        raise KeyError(len(notes))
    except KeyError as exc:
        log = write_crash_log(exc)
        line = crash_line(exc, log)
    assert log is not None
    text = log.read_text(encoding="utf-8")
    log.unlink()
    assert "KeyError" in text and "Traceback" in text
    assert secret not in text
    assert (
        line == f"tabletop: the console stopped on an unexpected error (KeyError); details in {log}"
    )


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)")
def test_a_crash_in_a_real_terminal_shows_one_line_and_exits_1(tmp_path: Path) -> None:
    script = tmp_path / "crash.py"
    script.write_text(CRASHING, encoding="utf-8")
    session = f"tabletop-crash-{uuid.uuid4().hex[:8]}"
    command = f"{sys.executable} {script}; echo EXITED-$?; sleep 30"
    new_session = ["tmux", "new-session", "-d", "-x", "120", "-y", "40"]
    subprocess.run(
        [*new_session, "-s", session, "-c", str(ROOT), command],
        check=True,
        timeout=10,
    )

    def pane() -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-t", session, "-p", "-J", "-S", "-200"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout

    def wait(what: str, pattern: str) -> str:
        deadline = time.monotonic() + LIMIT
        while time.monotonic() < deadline:
            text = pane()
            if re.search(pattern, text):
                return text
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}: {pane()}")

    try:
        wait("the console", "MSEL")
        subprocess.run(["tmux", "send-keys", "-t", session, "x"], check=True, timeout=10)
        text = wait("the app to exit", r"EXITED-\d+")
        assert "EXITED-1" in text
        assert "the console stopped on an unexpected error (RuntimeError)" in text
        assert "Traceback" not in text and "locals" not in text
        assert "facilitator" not in text.lower()  # nothing of the scenario's notes
        log = re.search(r"details\s+in\s+(\S+\.log)", text)
        assert log is not None
        Path(log.group(1)).unlink()
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], timeout=10, check=False)
