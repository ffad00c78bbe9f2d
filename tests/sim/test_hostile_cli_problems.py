"""Problems as the project promises them: every one at once, each on one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
TABLETOP = Path(sys.executable).with_name("tabletop")


def test_batch_reports_the_problems_of_every_playbook_at_once(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text("playbook: {id: one, scenario: quickstart}\ndecisions:\n  nosuch: x\n")
    two = tmp_path / "two.yaml"
    two.write_text("playbook: {id: two, scenario: quickstart}\ndecisions:\n  answer_ally: nope\n")
    result = CliRunner().invoke(
        main, ["batch", "quickstart", "--runs", "2", "--playbook", str(one), "--playbook", str(two)]
    )
    assert result.exit_code == 1, result.output
    assert f"{one}:3:3: unknown decision 'nosuch'" in result.stderr
    assert f"{two}:3:16: 'nope' is not an option of 'answer_ally'" in result.stderr
    assert result.stderr.strip().endswith("2 errors")
    assert result.stdout == ""


def test_an_error_naming_a_value_with_a_newline_is_one_line(tmp_path: Path) -> None:
    """A name holding a newline must not start a second line that looks like another message."""
    done = subprocess.run(
        [TABLETOP, "report", "quickstart", "--playbook", "gone\nquickstart.yaml:1:1: fake"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    line = done.stderr.strip().splitlines()[-1]  # after click's usage lines
    assert line == (
        "Error: Invalid value for --playbook: no playbook file or bundled playbook "
        "'gone\\x0aquickstart.yaml:1:1: fake'"
    )


def test_a_session_store_that_is_a_device_or_a_fifo_is_named_for_what_it_is(
    tmp_path: Path,
) -> None:
    import os

    fifo = tmp_path / "store.db"
    os.mkfifo(fifo)
    for store in (str(fifo), "/dev/null"):
        result = CliRunner().invoke(main, ["sessions", "--store", store])
        assert result.exit_code == 2, result.output  # a usage error, as for any file named
        assert result.stderr.strip().endswith(
            f"Invalid value for '--store': '{store}' is not a regular file "
            "(a device or a pipe cannot be read as a session store)"
        )


def test_a_command_called_in_process_says_its_error_as_the_program_does(tmp_path: Path) -> None:
    """Through click alone (as CliRunner, or another program embedding the group), an error of
    ours is the same one line and exit 1, not an exception."""
    env = {"TABLETOP_STORE": str(tmp_path / "none.db")}
    cases = [
        (["report", "7"], "error: there is no session"),
    ]
    for args, says in cases:
        result = CliRunner().invoke(main, args, env=env)
        assert isinstance(result.exception, SystemExit), repr(result.exception)
        assert result.exit_code == 1
        assert result.stderr.startswith(says), result.stderr


def test_report_reports_the_problems_of_both_playbooks_at_once(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text("playbook: {id: one, scenario: quickstart}\ndecisions:\n  nosuch: x\n")
    two = tmp_path / "two.yaml"
    two.write_text("playbook: {id: two, scenario: quickstart}\ndecisions:\n  answer_ally: nope\n")
    result = CliRunner().invoke(
        main, ["report", "quickstart", "--playbook", str(one), "--what-if", str(two)]
    )
    assert result.exit_code == 1, result.output
    assert f"{one}:3:3: unknown decision 'nosuch'" in result.stderr
    assert f"{two}:3:16: 'nope' is not an option of 'answer_ally'" in result.stderr
    assert result.stderr.strip().endswith("2 errors")
    assert result.stdout == ""
