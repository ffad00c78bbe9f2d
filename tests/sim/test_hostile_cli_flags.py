"""Hostile and careless flags and arguments, as a user types them: every one is answered with
one clear line and the right exit code (2 for a usage error), the value echoed literally
(never as a terminal control code), and nothing run that the user did not mean.
"""

from __future__ import annotations

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
