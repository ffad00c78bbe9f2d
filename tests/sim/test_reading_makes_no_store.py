"""Commands that only read a session store never make one from a typo in its name."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.session.store import SessionStore
from tui.cli import main

READERS = [
    ["sessions"],
    ["sessions", "--format", "json"],
    ["compare", "1", "2"],
    ["report", "1"],
    ["watch", "1", "--plain"],
]


def invoke(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


@pytest.mark.parametrize("args", READERS)
def test_a_typo_in_store_is_a_usage_error_and_makes_nothing(
    tmp_path: Path, args: list[str]
) -> None:
    typo = tmp_path / "typo.db"
    code, said = invoke([*args, "--store", str(typo)])
    assert code == 2
    assert f"'--store': there is no session store at {typo}" in said
    assert "Traceback" not in said
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", READERS)
def test_a_missing_store_in_the_environment_is_refused_and_not_made(
    tmp_path: Path, args: list[str]
) -> None:
    typo = tmp_path / "typo.db"
    code, said = invoke(args, env={"TABLETOP_STORE": str(typo)})
    assert code == 1
    assert "there is no session store" in said
    assert list(tmp_path.iterdir()) == []


def test_sessions_with_no_store_in_the_data_folder_lists_none_and_makes_none(
    tmp_path: Path,
) -> None:
    env = {"TABLETOP_STORE": "", "XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)}
    code, said = invoke(["sessions"], env=env)
    assert code == 0
    assert "No sessions yet" in said
    assert list(tmp_path.rglob("*")) == []


@pytest.mark.parametrize("args", [["sessions"], ["compare", "1", "2"]])
def test_an_existing_store_is_read(tmp_path: Path, args: list[str]) -> None:
    path = tmp_path / "s.sqlite3"
    SessionStore.open(path).close()
    code, said = invoke([*args, "--store", str(path)])
    assert code in (0, 2)  # compare: no session 1 in an empty store
    assert "there is no session store" not in said


def test_a_writing_command_still_makes_its_store(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    code, _ = invoke(["run", "quickstart", "--record", "--store", str(path)])
    assert code == 0
    assert path.is_file()
