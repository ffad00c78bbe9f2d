"""Helpers for the hostile scenario tests: a small scenario to spoil, and the three doors a file
goes through (`validate`, `run`, `batch`), each asked the same question.

The promises checked: exit 1 for invalid input, every problem as `file:line:col: message`,
all at once, the same problems whichever command reads the file, never a traceback.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from tui.cli import main

HEAD = """\
format: {fmt}
scenario:
  id: h
  title: H
  summary: A scenario an attacker wrote.
  start: 2020-01-01T00:00:00Z
  horizon: {horizon}
actors:
  - {{id: gov, name: Gov, affiliation: government}}
  - {{id: adv, name: Adv, affiliation: adversary}}
  - {{id: ally, name: Ally, affiliation: ally}}
variables:
  v: {{initial: 0}}
"""
ONE_INJECT = """\
injects:
  - {id: i0, at: 1, from: gov, to: [gov], text: Hi, invented: true}
"""
PROBLEM = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def scenario(body: str = ONE_INJECT, *, fmt: int = 2, horizon: str = "100") -> str:
    return HEAD.format(fmt=fmt, horizon=horizon) + body


def invoke(*args: str) -> tuple[int, str]:
    """Exit code and output (stdout and stderr) of one command; never an exception."""
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def problems(output: str) -> list[str]:
    """The `file:line:col: message` lines of an output, the file's folder left out."""
    found = []
    for line in output.splitlines():
        m = PROBLEM.match(line)
        if m:
            found.append(f"{Path(m['path']).name}:{m['line']}:{m['col']}: {m['message']}")
    return found


def refused_everywhere(tmp_path: Path, text: str, playbook: str | None = None) -> list[str]:
    """The problems of an invalid scenario (and playbook), the same from validate, run and
    batch: each exits 1 and prints them all as file:line:col."""
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    run_args = [str(path)]
    validate_args = [str(path)]
    if playbook is not None:
        book = tmp_path / "p.yaml"
        book.write_text(playbook, encoding="utf-8")
        run_args += ["--playbook", str(book)]
        validate_args.append(str(book))
    seen = []
    for args in (
        ["validate", *validate_args],
        ["run", *run_args],
        ["batch", *run_args, "--runs", "2", "--jobs", "1"],
    ):
        code, out = invoke(*args)
        assert code == 1, (args[0], out)
        found = [p for p in problems(out) if ": warning: " not in p]
        assert found, (args[0], out)
        seen.append(found)
    assert seen[0] == seen[1] == seen[2], seen
    return seen[0]


def validated(tmp_path: Path, text: str) -> tuple[int, str]:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return invoke("validate", str(path))
