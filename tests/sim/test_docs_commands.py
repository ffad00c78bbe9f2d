"""Every `tabletop` command in a shell block of README.md and docs/ runs as written.

A ```sh (or bash, console) block is what a reader types. Each line of one that starts with
`tabletop` (a line ending in `\\` goes on the next) is run in a folder holding what the page
assumes: `my-scenario.yaml` and its playbook from `tabletop new`, a copy in `my-folder/`,
`msel.csv` with a new inject for it, and the repository's `scenarios/`
and `tests/` (commands name `scenarios/olympics-2020.yaml`). It must exit 0 and print no
traceback. Batches run `--runs 2`, and lint explores 3 runs: the commands' shape is what is
checked here (their figures are checked where the pages show them: test_tutorial,
test_aar_docs, test_outcome_tallies).

Not run: the console (`play`, `serve`, `watch` without `--plain`), which needs a terminal and is
checked by tests/tui; and a Dask cluster's address. docs/authoring-tutorial.md's commands are
run with their outputs by test_tutorial.py.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SHELL_BLOCK = re.compile(
    r"^([ \t]*)```(?:sh|bash|shell|console)[ \t]*\n(.*?)^\1```[ \t]*$", re.M | re.S
)
CONSOLE = {"play", "serve"}
SHEET = "time,from,to,title,text\n10,hospital,ministry,A second call,The wards are full.\n"
"""A spreadsheet of new injects for the scenario `tabletop new my-scenario` writes."""
TUTORIAL = ROOT / "docs" / "authoring-tutorial.md"


def commands() -> list[tuple[str, int, str]]:
    """(page, line, command) for every tabletop command of a shell block."""
    found: list[tuple[str, int, str]] = []
    for page in PAGES:
        if page == TUTORIAL:
            continue
        text = page.read_text(encoding="utf-8")
        for block in SHELL_BLOCK.finditer(text):
            first = text.count("\n", 0, block.start(2)) + 1
            lines = block.group(2).splitlines()
            i = 0
            while i < len(lines):
                line, at = lines[i], first + i
                while line.rstrip().endswith("\\") and i + 1 < len(lines):
                    i += 1
                    line = line.rstrip()[:-1] + " " + lines[i].strip()
                i += 1
                if line.strip().startswith("tabletop "):
                    found.append((str(page.relative_to(ROOT)), at, line.strip()))
    return found


COMMANDS = commands()


def runnable(words: list[str]) -> bool:
    if words[1] in CONSOLE or (words[1] == "watch" and "--plain" not in words):
        return False
    return not any(w.startswith("dask://") for w in words)


def smaller(words: list[str]) -> list[str]:
    """The same command on fewer runs."""
    out = list(words)
    for flag, value in (("--runs", "2"), ("--explore", "3")):
        if flag in out:
            out[out.index(flag) + 1] = value
    return out


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("reader")
    for name in ("scenarios", "tests"):
        (here / name).symlink_to(ROOT / name, target_is_directory=True)
    (here / "docs").mkdir()  # written to by `tabletop schema --out docs/...`, never the repo's
    return here


def test_the_pages_have_commands_to_run() -> None:
    assert len([c for c in COMMANDS if runnable(shlex.split(c[2], comments=True))]) >= 20


@pytest.mark.parametrize(
    ("page", "line", "command"), COMMANDS, ids=[f"{p}:{n}" for p, n, _ in COMMANDS]
)
def test_the_command_runs(
    page: str, line: int, command: str, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = shlex.split(command, comments=True)
    if not runnable(words):
        pytest.skip("the console or a Dask cluster")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("TABLETOP_STORE", str(folder / "sessions.db"))
    if not (folder / "pristine.yaml").exists():
        assert CliRunner().invoke(main, ["new", "my-scenario"]).exit_code == 0
        (folder / "my-folder").mkdir()
        for name in ("my-scenario.yaml", "my-scenario--example.yaml"):
            (folder / "my-folder" / name).write_bytes((folder / name).read_bytes())
        (folder / "pristine.yaml").write_bytes((folder / "my-scenario.yaml").read_bytes())
        (folder / "msel.csv").write_text(SHEET, encoding="utf-8")
    # each command starts from the scenario as `tabletop new` wrote it (msel import adds to it)
    (folder / "my-scenario.yaml").write_bytes((folder / "pristine.yaml").read_bytes())
    if words[1] == "new":  # it never overwrites: into an empty folder, as the reader starts
        empty = folder / f"new-{line}"
        empty.mkdir()
        monkeypatch.chdir(empty)
    result = CliRunner().invoke(main, smaller(words)[1:])
    where = f"{page}:{line}: `{command}`"
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), f"{where} raised {result.exception!r}"
    assert "Traceback" not in result.output, where
    assert result.exit_code == 0, f"{where} exited {result.exit_code}:\n{result.output}"
    if "no warnings" in command.partition("#")[2]:
        assert "warning" not in result.output, where
