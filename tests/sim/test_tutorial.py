"""docs/authoring-tutorial.md never goes stale: its files and every command output it shows.

- Each ```text block is a command's output. The command is the ```sh block right before it,
  or the `cmd` of a `<!-- check ... -->` marker right before it. The command runs in a fresh
  folder holding the reader's files at that point: `tutorial.yaml` is
  docs/examples/steps/step7.yaml (the finished scenario) unless the marker's `files` says
  otherwise (`files="steps/step3-typo.yaml"`, or `files="SRC:NAME ..."` to place other
  files); the playbooks and spreadsheets of docs/examples are there too; `empty="yes"` starts
  from an empty folder. A ```text block that is not a command's output says so with an
  `<!-- illustration: why -->` marker.
- Each ```yaml block is text the reader types: it is in the step files or playbooks verbatim.
- docs/examples/tutorial.yaml is the finished step file (with the repository's schema path).

TABLETOP_UPDATE_GOLDEN=1 rewrites the outputs in the tutorial from real runs (then read the
prose around them again: it tells the story of those outputs).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "authoring-tutorial.md"
EXAMPLES = ROOT / "docs" / "examples"
STEPS = EXAMPLES / "steps"
UPDATE = os.environ.get("TABLETOP_UPDATE_GOLDEN") == "1"

_TOKEN = re.compile(
    r"<!--\s*(?P<kind>check|illustration)(?P<attrs>[^>]*?)-->"
    r"|^(?P<indent>[ \t]*)```(?P<lang>\w*)[ \t]*\n(?P<body>.*?)^(?P=indent)```[ \t]*$",
    re.M | re.S,
)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_SHELL = set("|&;<>$`*?()")


@dataclass
class Check:
    line: int
    command: str
    files: str
    empty: bool
    expected: str
    span: tuple[int, int]  # the expected text's position in the tutorial


def checks(text: str) -> tuple[list[Check], list[int]]:
    """The checks, and the lines of text blocks that are neither checked nor illustrations."""
    found: list[Check] = []
    unchecked: list[int] = []
    previous: list[tuple[str, re.Match[str]]] = []  # (kind, match), in order

    def adjacent(a: re.Match[str], b: re.Match[str]) -> bool:
        return not text[a.end() : b.start()].strip()

    for m in _TOKEN.finditer(text):
        kind = m.group("kind") or f"fence:{m.group('lang')}"
        if kind == "fence:text":
            line = text.count("\n", 0, m.start()) + 1
            command, attrs = None, {}
            before = previous[-1] if previous else None
            if before and adjacent(before[1], m):
                if before[0] == "fence:sh":
                    command = before[1].group("body")
                    marker = previous[-2] if len(previous) > 1 else None
                    if marker and marker[0] == "check" and adjacent(marker[1], before[1]):
                        attrs = dict(_ATTR.findall(marker[1].group("attrs")))
                elif before[0] == "check":
                    attrs = dict(_ATTR.findall(before[1].group("attrs")))
                    command = attrs.get("cmd")
                elif before[0] == "illustration":
                    command = ""
            if command is None:
                unchecked.append(line)
            elif command:
                found.append(
                    Check(
                        line,
                        command,
                        attrs.get("files", ""),
                        attrs.get("empty") == "yes",
                        m.group("body"),
                        m.span("body"),
                    )
                )
        previous.append((kind, m))
    return found, unchecked


TEXT = TUTORIAL.read_text(encoding="utf-8")
CHECKS, UNCHECKED = checks(TEXT)


def test_every_output_is_checked_or_marked_as_an_illustration() -> None:
    assert UNCHECKED == [], f"```text blocks at lines {UNCHECKED} have no command"
    assert len(CHECKS) >= 20


def prepare(check: Check, folder: Path) -> None:
    if check.empty:
        return
    for path in [*EXAMPLES.glob("tutorial--*.yaml"), *EXAMPLES.glob("*.csv")]:
        shutil.copy(path, folder / path.name)
    shutil.copy(STEPS / "step7.yaml", folder / "tutorial.yaml")
    for item in check.files.split():
        source, _, name = item.partition(":")
        shutil.copy(EXAMPLES / source, folder / (name or "tutorial.yaml"))


def run(command: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    words = command.strip()
    if "\n" not in words and words.startswith("tabletop ") and not _SHELL & set(words):
        monkeypatch.chdir(folder)
        result = CliRunner().invoke(main, shlex.split(words)[1:])
        assert result.exception is None or isinstance(result.exception, SystemExit)
        return result.output
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
    }
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
        check=False,
    )
    return done.stdout


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: f"line{c.line}")
def test_shown_output_is_real(
    check: Check, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare(check, tmp_path)
    got = run(check.command, tmp_path, monkeypatch).rstrip("\n") + "\n"
    if UPDATE and got != check.expected:
        text = TUTORIAL.read_text(encoding="utf-8")
        start, end = checks(text)[0][CHECKS.index(check)].span
        TUTORIAL.write_text(text[:start] + got + text[end:], encoding="utf-8")
        return
    assert got == check.expected, f"tutorial line {check.line}: `{check.command.strip()}`"


def reader_files() -> list[str]:
    return [
        p.read_text(encoding="utf-8")
        for p in [*STEPS.glob("*.yaml"), *EXAMPLES.glob("tutorial--*.yaml")]
    ]


def test_every_yaml_block_is_in_the_readers_files() -> None:
    files = reader_files()
    for m in _TOKEN.finditer(TEXT):
        if m.group("lang") == "yaml":
            body = m.group("body")
            line = TEXT.count("\n", 0, m.start()) + 1
            assert any(body in f for f in files), f"yaml block at line {line} is in no file"


def test_the_example_is_the_finished_step_file() -> None:
    example = (EXAMPLES / "tutorial.yaml").read_text(encoding="utf-8").splitlines()
    finished = (STEPS / "step7.yaml").read_text(encoding="utf-8").splitlines()
    assert example[0] == "# yaml-language-server: $schema=../scenario.schema.json"
    assert finished[0] == "# yaml-language-server: $schema=scenario.schema.json"
    assert example[1:] == finished[1:]


def test_every_spreadsheet_shown_is_an_example_file() -> None:
    sheets = [p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.csv")]
    shown = [m.group("body") for m in _TOKEN.finditer(TEXT) if m.group("lang") == "csv"]
    assert len(shown) >= 2
    for body in shown:
        assert body in sheets, body
