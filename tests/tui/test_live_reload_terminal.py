"""`tabletop play FILE --watch` in a real terminal (tmux): a save reloads, a broken save shows
its problem, and quitting says nothing about a saved session."""

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
    while time.monotonic() < deadline:
        last = check()  # type: ignore[operator]
        if last:
            return str(last)
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)")
def test_watch_in_a_real_terminal(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    shutil.copy(ROOT / "scenarios" / "quickstart.yaml", path)
    tabletop = Path(sys.executable).with_name("tabletop")
    store = tmp_path / "s.sqlite3"
    session = f"tabletop-test-{uuid.uuid4().hex[:8]}"
    command = f"{tabletop} play q.yaml --watch --store {store}; echo EXITED-$?; sleep 30"
    size = ["-x", "120", "-y", "40"]
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, *size, "-c", str(tmp_path), command],
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

    def edit(old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    try:
        _poll(lambda: "MSEL" in (p := pane()) and "PLAYERS" in p and p, "the console")
        keys("n")
        _poll(lambda: "How do you answer the ally" in pane(), "the decision")
        keys("1")
        _poll(lambda: "No decision is open" in pane(), "the decision to be made")
        edit("The head of the allied signals agency", "RELOADED head of the allied agency")
        _poll(lambda: "RELOADED head" in pane(), "the edited inject after the reload")
        assert "No decision is open" in pane()  # the choice was replayed
        edit("from: ally", "from: allly")
        _poll(lambda: re.search(r"q\.yaml:\d+:\d+", pane()), "the problem with its line")
        keys("q")
        _poll(lambda: "Quit the console?" in pane(), "the quit question")
        assert "not saved" in pane()
        keys("y")
        _poll(lambda: re.search(r"EXITED-(\d+)", pane()), "the app to exit")
        assert "EXITED-0" in pane() and "is saved" not in pane()
        assert not store.exists()
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], timeout=10, check=False)
