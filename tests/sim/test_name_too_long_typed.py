"""A scenario, playbook or path typed with a name too long for any file (over 255 bytes) is a
usage error that says so (exit 2), not 'error: cannot write …: File name too long' (exit 1),
as though an output had failed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from tui.cli import main

LONG = "a" * 300


@pytest.mark.parametrize(
    "args",
    [
        ["run", LONG],
        ["report", LONG],
        ["graph", LONG],
        ["lint", LONG],
        ["validate", LONG],
        ["run", "quickstart", "--playbook", LONG],
        ["report", "quickstart", "--what-if", LONG],
    ],
    ids=lambda a: " ".join(x[:10] for x in a),
)
def test_a_name_too_long_is_a_usage_error_that_says_so(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    assert "name too long for this system" in result.stderr
    assert "cannot write" not in result.stderr


def test_the_fast_validate_path_leaves_it_to_click() -> None:
    entry = "from tui.entry import run_main; run_main()"
    done = subprocess.run(
        [sys.executable, "-c", entry, "validate", LONG],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "name too long for this system" in done.stderr
