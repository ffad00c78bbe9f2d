"""A usage error echoes a very long argument by its start and '…', not in full: a 300-character
name would fill the terminal and bury what is wrong with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.safetext import ECHO_LIMIT, echoed
from tui.cli import main

LONG = "a" * 200  # fits in a file name (255 bytes): 300 is another error (ENAMETOOLONG)


@pytest.mark.parametrize(
    "args",
    [
        ["new", LONG],
        ["new", "x", "--from", LONG],
        ["run", LONG],
        ["run", "quickstart", "--playbook", LONG],
        ["report", "quickstart", "--what-if", LONG],
        ["validate", "nowhere/" + LONG],
        ["lint", "nowhere/" + LONG],
        ["batch", "quickstart", "--executor", LONG],
    ],
    ids=lambda a: " ".join(x[:12] for x in a),
)
def test_a_long_argument_is_echoed_by_its_start(args: list[str], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    error = result.stderr.splitlines()[-1]
    assert "a" * ECHO_LIMIT not in error, error
    assert "…" in error
    assert len(error) < 2 * ECHO_LIMIT + 150


def test_a_store_named_with_a_long_missing_name_is_echoed_short(tmp_path: Path) -> None:
    store = str(tmp_path / ("b" * 200) / "s.sqlite3")
    result = CliRunner().invoke(main, ["sessions", "--store", store])
    assert result.exit_code == 2, result.output
    assert "b" * ECHO_LIMIT not in result.stderr
    assert "…" in result.stderr


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("short", "short"),
        ("x" * ECHO_LIMIT, "x" * ECHO_LIMIT),
        ("x" * (ECHO_LIMIT + 1), "x" * (ECHO_LIMIT - 1) + "…"),
        ("\x1b[2J" + "y" * 200, "\\x1b[2J" + "y" * (ECHO_LIMIT - 5) + "…"),
        ("two\nlines", "two\\x0alines"),
    ],
)
def test_echoed_keeps_the_start_and_shows_control_characters(text: str, shown: str) -> None:
    assert echoed(text) == shown
