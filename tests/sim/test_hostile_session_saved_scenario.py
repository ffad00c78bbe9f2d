"""Hostile audit of the scenario text a session store keeps with each session.

A session is replayed on its saved copy of the scenario, not on the file. When that copy no
longer loads (a store edited by another program, or a tabletop whose loader got stricter),
every command that replays it says so in one line naming the session: never as problems of the
scenario file on disk, which may be perfectly fine.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.bundled import resolve
from sim.problems import TabletopError
from tui.cli import main

QUICKSTART = resolve("quickstart")
assert QUICKSTART is not None

COMMANDS = {
    "report": ("report", "1", "--format", "md"),
    "report what-if": ("report", "2", "--what-if", "1", "--format", "md"),
    "compare": ("compare", "2", "1"),
    "branch": ("branch", "1", "--at", "answer_ally", "--option", "deny"),
    "watch": ("watch", "1", "--plain"),
}


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    if isinstance(result.exception, TabletopError):  # printed as one line by run_main
        return 1, f"error: {result.exception}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    "saved", ["x: [\n", "# " + "x" * 2_100_000 + "\n"], ids=["not YAML", "too large"]
)
def test_a_saved_scenario_that_no_longer_loads_is_the_sessions_problem(
    tmp_path: Path, command: str, saved: str
) -> None:
    store = tmp_path / "s.sqlite3"
    for _ in range(2):
        code, err = invoke("run", "quickstart", "--record", "--store", str(store))
        assert code == 0, err
    conn = sqlite3.connect(store)
    conn.execute("UPDATE sessions SET scenario_text = ? WHERE id = 1", (saved,))
    conn.commit()
    conn.close()
    code, err = invoke(*COMMANDS[command], "--store", str(store))
    assert code == 1, err
    assert "session 1: the scenario saved with it no longer loads" in err, err
    assert not err.startswith(str(QUICKSTART)), err  # the file on disk is fine
    assert len(err.splitlines()) == 1, err
