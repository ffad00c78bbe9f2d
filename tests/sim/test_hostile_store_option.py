"""Hostile audit of the --store option of every session command.

`--store "$UNSET"` (an empty name) must be a usage error, as `--out ""` is: never the store
of $TABLETOP_STORE or of the user's data folder instead, read or written behind the user's back.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main

COMMANDS = [
    ("sessions",),
    ("watch", "1", "--plain"),
    ("report", "1", "--format", "md"),
    ("compare", "1", "2"),
    ("branch", "1", "--at", "answer_ally", "--option", "deny"),
    ("run", "quickstart", "--record"),
]
"""(`play` and `serve` take the same option as `sessions`: they are left out here, where a
regression would open a console or a server instead of failing.)"""


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("empty", ["", "  "])
def test_an_empty_store_name_is_a_usage_error_not_another_store(
    args: tuple[str, ...], empty: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_store = tmp_path / "env.sqlite3"
    monkeypatch.setenv("TABLETOP_STORE", str(env_store))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [*args, "--store", empty])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--store': an empty name: give a file name" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []
