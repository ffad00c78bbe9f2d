"""`tabletop validate PATHS [-q]` is answered without click (sim.validatecli, for start-up), and
says exactly what the click command says: the same lines on the same streams, the same exit
code, for good files, bad files, hostile files, several files, -q, and output failures. Any other
command line (an unknown path, --help, another option) is click's, as before.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLETOP = Path(sys.executable).with_name("tabletop")
CLICK = [
    sys.executable,
    "-c",
    "import sys; sys.argv[0] = 'tabletop'; from tui.cli import run_main; run_main()",
]
"""The click command itself, never the fast path."""
HOSTILE = ROOT / "tests" / "data" / "hostile"
BAD = ROOT / "tests" / "data" / "bad"


def _both(*args: str) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    def run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*cmd, "validate", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
        )

    return run([str(TABLETOP)]), run(CLICK)


@pytest.mark.parametrize(
    "args",
    [
        ("scenarios/quickstart.yaml",),
        ("quickstart",),  # a bundled id
        ("scenarios",),  # a folder of scenarios and playbooks
        ("-q", "scenarios"),
        ("scenarios/quickstart.yaml", "--quiet"),
        (str(BAD),),
        ("-q", str(BAD)),
        (str(HOSTILE),),
        ("scenarios/playbooks/quickstart--cooperate.yaml",),
        ("no-such-file.yaml",),  # click's usage error, exit 2
        ("",),  # an empty name is not the current folder: a usage error too
        ("--help",),
        ("--strict", "quickstart"),  # an unknown option: click's usage error
        ("--", "quickstart"),
    ],
    ids=lambda a: " ".join(Path(x).name for x in a),
)
def test_the_fast_path_says_what_click_says(args: tuple[str, ...]) -> None:
    fast, slow = _both(*args)
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        slow.returncode,
        slow.stdout,
        slow.stderr,
    )
    assert "Traceback" not in fast.stderr


def test_an_invalid_file_is_exit_1_with_its_problems_on_stderr() -> None:
    fast, _ = _both(str(BAD))
    assert fast.returncode == 1 and fast.stderr.count(":") >= 3


def test_output_that_cannot_be_written_is_one_line_and_exit_1() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [TABLETOP, "validate", "scenarios"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: cannot write the output: ")


def test_a_reader_that_leaves_is_exit_1_without_a_word() -> None:
    proc = subprocess.Popen(
        [TABLETOP, "validate", "scenarios"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `| head -0` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in err and "error" not in err


def test_the_fast_path_does_not_import_click() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['tabletop', 'validate', 'scenarios/quickstart.yaml']\n"
        "from tui.entry import run_main\n"
        "try:\n    run_main()\nexcept SystemExit:\n    pass\n"
        "print('click' in sys.modules, 'tui.cli' in sys.modules, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.stderr.strip().splitlines()[-1] == "False False", done.stderr
