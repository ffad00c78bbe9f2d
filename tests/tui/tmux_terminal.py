"""A real terminal for tests: a tmux session running one command, read and typed into."""

from __future__ import annotations

import re
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

LIMIT = 20.0
"""Seconds a poll waits for the screen to show what it is looking for."""


class Terminal:
    """A detached tmux session of a given size running ``command`` in ``cwd``."""

    def __init__(self, command: str, cwd: Path, width: int = 120, height: int = 40) -> None:
        self.session = f"tabletop-test-{uuid.uuid4().hex[:8]}"
        size = ["-x", str(width), "-y", str(height)]
        subprocess.run(
            # tmux may hand the shell COLUMNS/LINES of its default 80x24 before the pane takes
            # its size: unset them, so the program asks the terminal, as in a real one.
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.session,
                *size,
                "-c",
                str(cwd),
                f"unset COLUMNS LINES; {command}",
            ],
            check=True,
            timeout=10,
        )

    def pane(self) -> str:
        """The screen as text."""
        return subprocess.run(
            ["tmux", "capture-pane", "-t", self.session, "-p"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, *keys], check=True, timeout=10)

    def quit_console(self) -> None:
        """Quit the console (q, then y) and check it exited with 0 (the command must echo
        EXITED-$? after the console)."""
        self.keys("q")
        poll(lambda: "Quit the console?" in self.pane(), "the quit question")
        self.keys("y")
        out = poll(lambda: re.search(r"EXITED-(\d+)", self.pane()), "the app to exit")
        assert "EXITED-0" in self.pane(), out

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.session], timeout=10, check=False)


def poll(check: Callable[[], object], what: str) -> str:
    """Wait (bounded) until ``check`` returns something true; return it as text."""
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        last = check()
        if last:
            return str(last)
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
