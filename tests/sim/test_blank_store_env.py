"""A TABLETOP_STORE of only spaces is refused, as `--store " "` is: never a file named " "."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main

COMMANDS = [
    ["sessions"],
    ["run", "quickstart", "--record"],
    ["report", "1"],
    ["compare", "1", "2"],
    ["watch", "1", "--plain"],
    ["branch", "1", "--at", "answer_ally", "--option", "deny"],
]


@pytest.mark.parametrize("blank", [" ", "   ", "\t", " \n "])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_a_blank_store_in_the_environment_is_refused(
    args: list[str], blank: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args, env={"TABLETOP_STORE": blank})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    [line] = result.stderr.splitlines()
    assert "TABLETOP_STORE is an empty name" in line
    assert list(tmp_path.iterdir()) == []


def test_an_empty_store_in_the_environment_is_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = {"TABLETOP_STORE": "", "XDG_DATA_HOME": str(tmp_path / "data")}
    result = CliRunner().invoke(main, ["sessions"], env=env)
    assert result.exit_code == 0, result.output
    assert list(tmp_path.iterdir()) == []


def test_the_store_option_wins_over_a_blank_environment(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite3"
    args = ["run", "quickstart", "--record", "--store", str(store)]
    result = CliRunner().invoke(main, args, env={"TABLETOP_STORE": " "})
    assert result.exit_code == 0, result.output
    assert store.is_file()
