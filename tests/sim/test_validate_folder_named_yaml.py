"""`tabletop validate DIR` reports a folder named like a scenario file (`x.yaml/`) inside DIR,
as `lint` does, instead of skipping it silently: an author who meant a file learns it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.bundled import resolve
from tui.cli import main


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    source = resolve("quickstart")
    assert source is not None
    (tmp_path / "good.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "x.yaml").mkdir()
    (tmp_path / "deeper" / "y.yml").mkdir(parents=True)
    (tmp_path / ".hidden.yaml").mkdir()  # hidden folders are never walked, as before
    return tmp_path


def test_validate_through_click_reports_the_folders(folder: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1, result.output
    errors = result.stderr.splitlines()
    assert f"{folder / 'x.yaml'}:1:1: cannot read the file: it is a directory" in errors
    assert f"{folder / 'deeper' / 'y.yml'}:1:1: cannot read the file: it is a directory" in errors
    assert len(errors) == 2
    assert "3 files checked, 2 invalid" in result.stdout


ENTRY = "from tui.entry import run_main; run_main()"


def test_the_fast_path_says_the_same(folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "validate", "-q", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert f"{folder / 'x.yaml'}:1:1: cannot read the file: it is a directory" in done.stderr


def test_what_such_a_folder_holds_is_checked_too(folder: Path) -> None:
    (folder / "x.yaml" / "bad.yaml").write_text("scenario: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert str(folder / "x.yaml" / "bad.yaml") in result.stderr
