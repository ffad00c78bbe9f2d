"""The console in a real terminal (tmux); `tabletop serve` is tested in test_serve.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 20.0


def _poll(check: object, what: str) -> str:
    deadline = time.monotonic() + LIMIT
    last = ""
    while time.monotonic() < deadline:
        last = check()  # type: ignore[operator]
        if last:
            return str(last)
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)")
def test_play_in_a_real_terminal() -> None:
    tabletop = Path(sys.executable).with_name("tabletop")
    session = f"tabletop-test-{uuid.uuid4().hex[:8]}"
    command = f"{tabletop} play scenarios/quickstart.yaml; echo EXITED-$?; sleep 30"
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            str(ROOT),
            command,
        ],
        check=True,
        timeout=10,
    )

    def pane() -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-t", session, "-p"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout

    def keys(*k: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", session, *k], check=True, timeout=10)

    try:
        _poll(lambda: "MSEL" in (p := pane()) and "PLAYERS" in p and p, "the console")
        keys("n")
        _poll(lambda: "How do you answer the ally" in pane(), "the decision")
        keys("1")
        _poll(lambda: "No decision is open" in pane(), "the decision to be made")
        keys("v")
        _poll(lambda: "CONTROLLER" in pane(), "the controller view")
        keys("q")
        _poll(lambda: "Quit the console?" in pane(), "the quit question")
        keys("y")
        out = _poll(lambda: re.search(r"EXITED-(\d+)", pane()), "the app to exit")
        assert "EXITED-0" in pane(), out
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], timeout=10, check=False)
