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


def _name(size: int, letter: str = "s") -> str:
    """A store file name of ``size`` bytes in UTF-8 ('.sqlite3' at the end)."""
    stem = size - len(".sqlite3")
    width = len(letter.encode("utf-8"))
    assert stem % width == 0
    return letter * (stem // width) + ".sqlite3"


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("size", [248, 251, 252, 255, 256, 400])
def test_a_store_name_too_long_for_sqlites_companion_files_is_said_so(
    args: tuple[str, ...], size: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite keeps '-journal', '-wal' and '-shm' files beside the store: a name that leaves
    them no room (255 bytes at most) is refused in one line saying so, exit 1, nothing made
    (it said 'missing folder or no permission' and left an unusable store behind)."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, [*args, "--store", _name(size)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    [line] = result.stderr.splitlines()
    assert "name is too long" in line and "255 bytes" in line, line
    assert "permission" not in line
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_long_name_of_many_byte_letters_is_measured_in_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """132 letters, 256 bytes: too long, whatever the count of letters says."""
    monkeypatch.setenv("TABLETOP_STORE", str(tmp_path / _name(256, "é")))
    result = CliRunner().invoke(main, ["sessions"])
    assert result.exit_code == 1, result.output
    assert "name is too long" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("letter", ["s", "é"])
def test_the_longest_store_name_that_fits_is_a_store(
    letter: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = _name(246 if letter == "é" else 247, letter)
    recorded = CliRunner().invoke(main, ["run", "quickstart", "--record", "--store", name])
    assert recorded.exit_code == 0, recorded.stderr
    listed = CliRunner().invoke(main, ["sessions", "--store", name])
    assert listed.exit_code == 0, listed.stderr
    assert "quickstart" in listed.stdout


def test_a_folder_name_too_long_is_said_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It said 'cannot write …' (for `sessions`, which writes nothing)."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["sessions", "--store", "d" * 300 + "/s.sqlite3"])
    assert result.exit_code == 1, result.output
    [line] = result.stderr.splitlines()
    assert "folder name" in line and "too long" in line and "cannot write" not in line, line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("where", ["option", "environment"])
def test_a_store_in_the_home_folder_of_no_such_user_is_one_line(
    args: tuple[str, ...], where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'~nobody_here/s.sqlite3' was a traceback (RuntimeError: Could not determine home
    directory), from --store and from $TABLETOP_STORE alike."""
    from sim.problems import TabletopError

    name = "~no_such_user_h10/s.sqlite3"
    monkeypatch.chdir(tmp_path)
    extra: list[str] = []
    if where == "environment":
        monkeypatch.setenv("TABLETOP_STORE", name)
    else:
        extra = ["--store", name]
    result = CliRunner().invoke(main, [*args, *extra])
    error = result.exception
    assert error is None or isinstance(error, SystemExit | TabletopError), repr(error)
    said = str(error) if isinstance(error, TabletopError) else result.stderr
    assert "'~no_such_user_h10'" in said and "no such user" in said, said
    assert sorted(p.name for p in tmp_path.iterdir()) == []
