"""Every command says a bad path on its command line alike.

A file named that does not exist, or that is a folder (or a device, a pipe) where a file is
read, is a usage error (exit 2), as click says it for its own `exists=True` paths; a file that
exists but cannot be read is invalid input (exit 1, `file:1:1: cannot read the file: ...`);
an output that cannot be written is exit 1 (`error: cannot write ...`), one that names a
folder where a file goes a usage error.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "scenarios" / "quickstart.yaml"
PLAYBOOK = ROOT / "scenarios" / "playbooks" / "quickstart--cooperate.yaml"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


PLAYBOOK_TAKERS = [
    ("run", "quickstart", "--playbook"),
    ("batch", "quickstart", "--runs", "2", "--playbook"),
    ("report", "quickstart", "--format", "md", "--playbook"),
    ("report", "quickstart", "--format", "md", "--what-if"),
]


@pytest.mark.parametrize("args", PLAYBOOK_TAKERS, ids=lambda a: f"{a[0]} {a[-1]}")
def test_a_missing_playbook_is_a_usage_error_for_every_command(args: tuple[str, ...]) -> None:
    code, err = invoke(*args, "no-such-playbook.yaml")
    assert code == 2, err
    option = args[-1]
    assert err.strip().endswith(
        f"Invalid value for {option}: no playbook file or bundled playbook 'no-such-playbook.yaml'"
    ), err


@pytest.mark.parametrize("args", PLAYBOOK_TAKERS, ids=lambda a: f"{a[0]} {a[-1]}")
def test_a_folder_named_as_a_playbook_is_a_usage_error(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    code, err = invoke(*args, str(tmp_path))
    assert code == 2, err
    assert f"'{tmp_path}' is a folder, not a playbook file" in err


def test_branch_says_a_missing_playbook_as_run_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = str(tmp_path / "s.sqlite3")
    assert invoke("run", "quickstart", "--record", "--store", store)[0] == 0
    args = ("branch", "1", "--at", "answer_ally", "--option", "deny", "--store", store)
    code, err = invoke(*args, "--playbook", "gone.yaml")
    assert code == 2, err
    assert "no playbook file or bundled playbook 'gone.yaml'" in err
    code, err = invoke(*args, "--playbook", str(tmp_path))
    assert code == 2, err
    assert "is a folder, not a playbook file" in err


def test_a_misspelt_bundled_playbook_gets_a_hint() -> None:
    code, err = invoke("report", "quickstart", "--playbook", "quickstart--cooperat")
    assert code == 2, err
    assert "(did you mean 'quickstart--cooperate'?)" in err


SCENARIO_TAKERS = [
    ("run",),
    ("report", "--format", "md"),
    ("batch", "--runs", "2"),
    ("pack", "--out", "pack-out"),
    ("graph",),
    ("lint",),
    ("validate",),
]


@pytest.mark.parametrize("args", SCENARIO_TAKERS, ids=lambda a: a[0])
def test_a_missing_or_folder_scenario_is_a_usage_error(
    args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    for name in ("missing.yaml", "empty"):
        code, err = invoke(args[0], name, *args[1:])
        assert code == 2, (name, err)
        assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


STORE_TAKERS = [
    ("sessions",),
    ("watch", "1", "--plain"),
    ("report", "1", "--format", "md"),
    ("compare", "1", "2"),
    ("branch", "1", "--at", "answer_ally", "--option", "deny"),
    ("run", "quickstart", "--record"),
]


@pytest.mark.parametrize("args", STORE_TAKERS, ids=lambda a: a[0])
def test_a_store_that_is_a_folder_or_a_device_is_a_usage_error(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    fifo = tmp_path / "fifo.sqlite3"
    os.mkfifo(fifo)
    for store, why in (
        (tmp_path, "is a folder, not a session store file"),
        (fifo, "is not a regular file"),
        (Path("/dev/null"), "is not a regular file"),
    ):
        code, err = invoke(*args, "--store", str(store))
        assert code == 2, (store, err)
        assert f"Invalid value for '--store': '{store}' {why}" in err


OUTPUT_TAKERS = [
    ("run", "quickstart", "--out"),
    ("report", "quickstart", "--format", "md", "--out"),
    ("batch", "quickstart", "--runs", "2", "--out"),
    ("batch", "quickstart", "--runs", "2", "--report"),
    ("graph", "quickstart", "--out"),
    ("schema", "--out"),
]


@pytest.mark.parametrize("args", OUTPUT_TAKERS, ids=lambda a: f"{a[0]} {a[-1]}")
def test_an_output_in_a_missing_folder_is_exit_1_and_a_folder_is_a_usage_error(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    code, err = invoke(*args, str(tmp_path / "no" / "such.txt"))
    assert code == 1, err
    assert err.startswith("error: cannot write "), err
    code, err = invoke(*args, str(tmp_path))
    assert code == 2, err


def test_lint_of_a_folder_without_scenarios_is_a_usage_error_as_validate_says(
    tmp_path: Path,
) -> None:
    for command in ("lint", "validate"):
        code, err = invoke(command, str(tmp_path))
        assert code == 2, (command, err)
        assert f"the folder '{tmp_path}' has no" in err


def test_msel_import_says_missing_files_as_the_other_commands_do(tmp_path: Path) -> None:
    csv = tmp_path / "m.csv"
    csv.write_text("time,title\n", encoding="utf-8")
    into = tmp_path / "q.yaml"
    shutil.copy(QUICKSTART, into)
    code, err = invoke("msel", "import", str(tmp_path / "gone.csv"), "--into", str(into))
    assert code == 2, err
    assert "Invalid value for CSV_FILE: " in err and "gone.csv' does not exist" in err
    code, err = invoke("msel", "import", str(csv), "--into", str(tmp_path / "gone.yaml"))
    assert code == 2, err
    assert "Invalid value for --into: " in err and "gone.yaml' does not exist" in err


# --- as another user, for real: permissions (root reads and writes everything) ---------------


def _as_nobody() -> list[str] | None:
    setpriv = shutil.which("setpriv")
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or setpriv is None:
        return None
    prefix = [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    try:
        probe = subprocess.run(
            [*prefix, sys.executable, "-c", "import tui.cli"],
            capture_output=True,
            timeout=60,
            cwd="/",
            env={**os.environ, "HOME": "/tmp"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return prefix if probe.returncode == 0 else None


@pytest.fixture
def as_nobody() -> Iterator[tuple[list[str], Path]]:
    prefix = _as_nobody()
    if prefix is None:
        pytest.skip("cannot run this Python as user nobody here (setpriv, permissions)")
    folder = Path(tempfile.mkdtemp(prefix="tabletop-paths-"))
    try:
        folder.chmod(0o777)
        yield prefix, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _run(prefix: list[str], folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
        env={**os.environ, "HOME": "/tmp", "TABLETOP_STORE": str(folder / "s.sqlite3")},
    )


def test_an_unreadable_input_is_exit_1_with_its_file_for_every_command(
    as_nobody: tuple[list[str], Path],
) -> None:
    prefix, folder = as_nobody
    shutil.copy(QUICKSTART, folder / "q.yaml")
    shutil.copy(PLAYBOOK, folder / "pb.yaml")
    shutil.copy(QUICKSTART, folder / "into.yaml")
    (folder / "m.csv").write_text("time,title\n", encoding="utf-8")
    for name in ("q.yaml", "pb.yaml", "m.csv"):
        (folder / name).chmod(0)
    (folder / "into.yaml").chmod(0o666)
    cases = [
        (("run", "q.yaml"), "q.yaml:1:1: cannot read the file"),
        (("report", "q.yaml", "--format", "md"), "q.yaml:1:1: cannot read the file"),
        (("batch", "q.yaml", "--runs", "2"), "q.yaml:1:1: cannot read the file"),
        (("graph", "q.yaml"), "q.yaml:1:1: cannot read the file"),
        (("validate", "q.yaml"), "q.yaml:1:1: cannot read the file"),
        (("run", "quickstart", "--playbook", "pb.yaml"), "pb.yaml:1:1: cannot read the file"),
        (("report", "quickstart", "--what-if", "pb.yaml"), "pb.yaml:1:1: cannot read the file"),
        (("msel", "import", "m.csv", "--into", "into.yaml"), "m.csv:1: cannot read the file"),
        (("msel", "import", "m.csv", "--into", "q.yaml"), "q.yaml:1:1: cannot read the file"),
    ]
    for args, says in cases:
        done = _run(prefix, folder, *args)
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr.startswith(says), (args, done.stderr)
        assert "Traceback" not in done.stderr


def test_an_output_this_user_may_not_write_is_exit_1_and_kept(
    as_nobody: tuple[list[str], Path],
) -> None:
    prefix, folder = as_nobody
    kept = folder / "kept.txt"
    kept.write_text("old\n", encoding="utf-8")
    kept.chmod(0o444)
    for args in OUTPUT_TAKERS:
        done = _run(prefix, folder, *args, "kept.txt")
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr == "error: cannot write kept.txt: Permission denied\n", args
        assert kept.read_text(encoding="utf-8") == "old\n"
    shutil.copy(QUICKSTART, folder / "ro.yaml")
    (folder / "ro.yaml").chmod(0o444)
    (folder / "m.csv").write_text(
        "time,from,to,title,text,notes,expected actions\n10,ally,mofa,A call,Calls,,\n",
        encoding="utf-8",
    )
    done = _run(prefix, folder, "msel", "import", "m.csv", "--into", "ro.yaml")
    assert done.returncode == 1, done.stderr
    assert done.stderr == "error: cannot write ro.yaml: Permission denied\n"
    assert (folder / "ro.yaml").read_bytes() == QUICKSTART.read_bytes()
    locked = folder / "locked"
    locked.mkdir(mode=0o555)
    done = _run(prefix, folder, "pack", "quickstart", "--out", "locked")
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("error: cannot write locked"), done.stderr
