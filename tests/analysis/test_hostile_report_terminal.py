"""What `tabletop report`, `pack` and `graph` print to the terminal shows control codes as
visible escapes: a file name holding ESC, an OSC 8 hyperlink, a carriage return or a bidi
override cannot clear the screen, plant a link or reorder the line it is printed in."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_aar_browser import needs_browser

from tui.cli import main

NAME = "r\x1b]8;;https:example.invalid\x07link\x1b]8;;\x07\x1b[2J\r\u202eftp.html"
SHOWN = "r\\x1b]8;;https:example.invalid\\x07link\\x1b]8;;\\x07\\x1b[2J\\x0d\\u202eftp.html"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


def assert_shown(output: str) -> None:
    assert not {"\x1b", "\x07", "\r", "\u202e"} & set(output), repr(output)
    assert SHOWN in output, output


@pytest.mark.parametrize(
    "args",
    [
        ("graph", "quickstart"),
        ("graph", "quickstart", "--format", "dot"),
        ("report", "quickstart", "--format", "md"),
        ("report", "quickstart", "--format", "json"),
    ],
)
def test_the_file_written_is_named_with_visible_escapes(tmp_path: Path, args: tuple[str]) -> None:
    out = tmp_path / NAME
    code, output = run(*args, "--out", str(out))
    assert code == 0, output
    assert out.is_file()
    assert_shown(output)


def test_pack_names_its_files_with_visible_escapes(tmp_path: Path) -> None:
    out = tmp_path / NAME
    code, output = run("pack", "quickstart", "--out", str(out))
    assert code == 0, output
    assert_shown(output)


@needs_browser
def test_the_pdf_written_is_named_with_visible_escapes(tmp_path: Path) -> None:
    out = tmp_path / (NAME + ".pdf")
    code, output = run("report", "quickstart", "--format", "pdf", "--out", str(out))
    assert code == 0, output
    assert out.read_bytes().startswith(b"%PDF")
    assert_shown(output)
