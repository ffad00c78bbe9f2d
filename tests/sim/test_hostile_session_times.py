"""Hostile audit of the scenario time stored with each command of a session.

Replay moves the clock to each command's stored time before submitting it. A time that no
exercise can reach (infinite, negative, beyond any horizon) would make the replay run to the
end and drop the command silently (a report would show the deadline's default instead of the
room's choice): it is a damaged store, said in one line, exit 1.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.problems import TabletopError
from tui.cli import main

COMMANDS = {
    "report": ("report", "1", "--format", "md"),
    "compare": ("compare", "1", "1"),
    "branch": ("branch", "1", "--at", "remediation", "--option", "patch"),
    "watch": ("watch", "1", "--plain"),
}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if isinstance(result.exception, TabletopError):  # printed as one line by run_main
        return 1, result.stdout, f"error: {result.exception}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("at", ["9e999", "-9e999", "1e300", "-1"])
def test_a_stored_time_no_exercise_reaches_is_a_damaged_store(
    tmp_path: Path, command: str, at: str
) -> None:
    store = tmp_path / "s.sqlite3"
    code, _, err = invoke(
        "run",
        "quickstart",
        "--playbook",
        "quickstart--cooperate",
        "--record",
        "--store",
        str(store),
    )
    assert code == 0, err
    conn = sqlite3.connect(store)
    decided = conn.execute(
        "SELECT seq FROM commands WHERE kind = 'decide' ORDER BY seq LIMIT 1"
    ).fetchone()[0]
    conn.execute(f"UPDATE commands SET at = {at} WHERE seq = ?", (decided,))
    conn.commit()
    conn.close()
    code, out, err = invoke(*COMMANDS[command], "--store", str(store))
    assert code == 1, (out, err)
    assert f"session 1, command {decided}: the stored time is damaged" in err, err
    assert "default at the deadline" not in out


def test_the_stores_latest_time_is_the_schemas() -> None:
    from sim.schema import MAX_TIME
    from sim.session.store import MAX_TIME as STORE_MAX_TIME

    assert STORE_MAX_TIME == MAX_TIME
