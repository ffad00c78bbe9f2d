"""Hostile and careless flags and arguments, as a user types them: every one is answered with
one clear line and the right exit code (2 for a usage error), the value echoed literally
(never as a terminal control code), and nothing run that the user did not mean.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = str(ROOT / "scenarios" / "quickstart.yaml")
EVIL = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\\x07\b\rfake\u202etxt.exe"
"""An OSC 8 hyperlink, a bell, a backspace, a carriage return and a bidi override."""
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("run", QUICKSTART, EVIL),  # an extra argument
        ("list", EVIL),
        ("schema", "--playbook", EVIL),
        ("lint", EVIL),
        ("batch", "quickstart", "--runs", "1", "--executor", EVIL),
        ("batch", "quickstart", "--runs", "1", "--executor", f"dask://{EVIL}:1"),
        ("msel", "import", EVIL, EVIL, "--into", QUICKSTART),
    ],
    ids=["run-extra", "list-extra", "schema-extra", "lint", "executor", "dask-host", "msel"],
)
def test_a_usage_error_shows_the_value_literally(args: tuple[str, ...]) -> None:
    code, out, err = invoke(*args)
    assert code == 2, err
    assert out == ""
    assert RAW.search(err) is None, err
    assert "\\x1b]8;;http://evil.example" in err
    assert "\\u202e" in err


@pytest.mark.parametrize("port", ["0", "65536", "99999"])
def test_a_dask_port_out_of_range_is_a_usage_error_at_once(port: str) -> None:
    code, out, err = invoke(
        "batch", "quickstart", "--runs", "1", "--executor", f"dask://localhost:{port}"
    )
    assert code == 2, err
    assert "Invalid value for '--executor'" in err and "1 to 65535" in err
    assert out == ""


def _specials(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """Paths that exist but are no scenario file: (path, what the message must say)."""
    folder = tmp_path / "folder"
    folder.mkdir()
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "loop-a.yaml").symlink_to(tmp_path / "loop-b.yaml")
    (tmp_path / "loop-b.yaml").symlink_to(tmp_path / "loop-a.yaml")
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "gone.yaml")
    return {
        "folder": (str(folder), "is a folder, not a scenario file"),
        "fifo": (str(fifo), "is not a regular file"),
        "device": ("/dev/zero", "is not a regular file"),
        "stdin": ("/dev/stdin", "is not a regular file"),
        "loop": (str(tmp_path / "loop-a.yaml"), "is a broken symbolic link"),
        "dangling": (str(tmp_path / "dangling.yaml"), "is a broken symbolic link"),
    }


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "stdin", "loop", "dangling"])
@pytest.mark.parametrize("command", ["run", "graph", "batch"])
def test_a_path_that_is_no_scenario_file_is_named_for_what_it_is(
    tmp_path: Path, kind: str, command: str
) -> None:
    path, says = _specials(tmp_path)[kind]
    if not Path(path).exists() and kind in ("device", "stdin"):
        pytest.skip(f"no {path} here")
    extra = ["--runs", "1"] if command == "batch" else []
    code, out, err = invoke(command, path, *extra)
    assert code == 2, err
    assert f"'{path}' {says}" in err
    assert out == ""


OUT_FLAGS = [
    ("run", QUICKSTART, "--out"),
    ("schema", "--out"),
    ("graph", QUICKSTART, "--out"),
    ("report", QUICKSTART, "--format", "md", "--out"),
    ("batch", "quickstart", "--runs", "1", "--out"),
    ("batch", "quickstart", "--runs", "1", "--report"),
    ("pack", QUICKSTART, "--out"),
    ("new", "starter", "--dir"),
]


@pytest.mark.parametrize("args", OUT_FLAGS, ids=lambda a: f"{a[0]} {a[-1]}")
def test_an_empty_output_name_is_a_usage_error_not_stdout_or_here(
    args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--out "$UNSET"` must not print to the terminal instead, nor write into this folder."""
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke(*args, "")
    assert code == 2, err
    assert f"Invalid value for '{args[-1]}': an empty name" in err
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_lint_of_a_folder_holding_a_fifo_reports_it_and_does_not_wait(tmp_path: Path) -> None:
    """Before, lint opened the FIFO to see whether it is a playbook, and waited for a writer."""
    import subprocess
    import sys

    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "ok.yaml").write_bytes(Path(QUICKSTART).read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "tui", "lint", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert f"{tmp_path / 'pipe.yaml'}:1:1: " in done.stdout
    assert "not a regular file" in done.stdout
    assert "2 files: 1 error," in done.stderr


def test_lint_of_a_path_that_is_no_scenario_file_names_it(tmp_path: Path) -> None:
    folder_fifo = _specials(tmp_path)
    for kind in ("fifo", "dangling"):
        path, says = folder_fifo[kind]
        code, out, err = invoke("lint", path)
        assert out == ""
        assert code == 2, err
        assert f"'{path}' {says}" in err


@pytest.mark.parametrize(
    "args",
    [
        ("run", QUICKSTART, "--seed", "1", "--seed", "2"),
        ("run", QUICKSTART, "--out=a.txt", "--format", "json", "--out", "b.txt"),
        ("batch", "quickstart", "--runs", "1000", "--runs", "10"),
        ("report", QUICKSTART, "--format", "md", "--audience", "players", "--audience=controller"),
        ("msel", "import", "x.csv", "--into", "a.yaml", "--into", "b.yaml"),
        ("serve", "nothere", "--port", "8001", "--port", "8002"),
    ],
    ids=lambda a: " ".join(a[:1] + a[-2:-1]),
)
def test_a_value_option_given_twice_is_a_usage_error(
    args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which of two --seed (or --out, or --runs) was meant? Not silently the last."""
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke(*args)
    assert code == 2, err
    option = next(a for a in reversed(args) if a.startswith("--")).split("=")[0]
    assert f"{option} is given twice: give it once" in err
    assert f"Usage: main {args[0]}" in err  # the command's usage, not the group's
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_options_that_repeat_by_design_still_do() -> None:
    code, out, err = invoke(
        "batch", "quickstart", "--runs", "2", "--playbook", "quickstart--cooperate",
        "--playbook", "quickstart--go-it-alone", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    assert '"quickstart--go-it-alone"' in out
    code, _, err = invoke("validate", "-q", "-q", QUICKSTART)
    assert code == 0, err


@pytest.mark.parametrize("args", [(), ("msel",)], ids=["tabletop", "msel"])
def test_a_group_without_its_command_shows_its_help_as_lines(args: tuple[str, ...]) -> None:
    """The help click shows as a usage error is ours, lines and all: not escaped to one line."""
    code, _, err = invoke(*args)
    assert code == 2
    assert "\\x0a" not in err
    assert "\nOptions:\n" in err and "\nCommands:\n" in err


@pytest.mark.parametrize("args", [("new", "starter", "--dir"), ("pack", "quickstart", "--out")])
def test_a_folder_option_given_a_device_says_it_is_no_folder(args: tuple[str, ...]) -> None:
    code, out, err = invoke(*args, "/dev/null")
    assert code == 2, err
    assert f"Invalid value for '{args[-1]}': '/dev/null' is not a folder" in err
    assert out == ""
