"""A console ended by SIGTERM or SIGHUP ends even if leaving cleanly hangs: after a hang-up,
Textual's writer could wait for ever as the driver closed, and the console outlived its
terminal (processes left behind by the tmux tests of tests/tui/test_console_stop_signals.py)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sim.loader import load_scenario
from tui import stopsignals
from tui.app import TabletopApp

ROOT = Path(__file__).resolve().parents[2]


def test_the_process_ends_with_the_signals_code_when_leaving_hangs() -> None:
    code = (
        "import time\n"
        "from tui.stopsignals import exit_anyway\n"
        "exit_anyway(129, 0.2)\n"
        "time.sleep(60)  # leaving cleanly, hung\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=30, check=False)
    assert done.returncode == 129


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
async def test_a_stop_signal_arms_the_end_before_leaving(
    signum: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    armed: list[tuple[int, float]] = []
    monkeypatch.setattr(stopsignals, "exit_anyway", lambda code, after: armed.append((code, after)))
    app = TabletopApp(load_scenario(ROOT / "scenarios" / "quickstart.yaml"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.stop_by_signal(signum)
        app.stop_by_signal(signum)  # a second signal arms nothing more
        await pilot.pause()
    assert armed == [(128 + signum, stopsignals.LEAVE_LIMIT)]
    assert app.stopped_by == signum
