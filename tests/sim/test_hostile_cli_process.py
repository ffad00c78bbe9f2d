"""The real `tabletop` program at the top level: Ctrl-C, a closed stdout, a reader that leaves
early. Whatever happens, one line on stderr and an exit code, never a Python traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLETOP = Path(sys.executable).with_name("tabletop")

INTERRUPT_AT = {
    # where Ctrl-C lands: (what is replaced by a function raising KeyboardInterrupt, command)
    "start-up": ("sim.quickhelp.quick_answer", ["list"]),
    "fast-validate": ("sim.validation.check_all", ["validate", "quickstart"]),
    "loading": ("sim.loader.check_scenario_file", ["run", "quickstart"]),
    "linting": ("sim.authoring.lint.lint_paths", ["lint", "quickstart"]),
}


@pytest.mark.parametrize("where", list(INTERRUPT_AT))
def test_ctrl_c_anywhere_is_one_line_and_exit_130(where: str) -> None:
    target, args = INTERRUPT_AT[where]
    module, name = target.rsplit(".", 1)
    harness = (
        "import importlib, sys\n"
        f"m = importlib.import_module({module!r})\n"
        "def interrupted(*a, **k):\n"
        "    raise KeyboardInterrupt\n"
        f"setattr(m, {name!r}, interrupted)\n"
        f"sys.argv = ['tabletop', *{args!r}]\n"
        "from tui.entry import run_main\n"
        "run_main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", harness], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "interrupted"
    assert done.stdout == ""


@pytest.mark.parametrize(
    "args",
    [["run", "quickstart"], ["validate", "quickstart"], ["--help"], ["schema"], ["list"]],
    ids=lambda a: a[0],
)
def test_a_closed_stdout_is_one_line_and_exit_1(args: list[str]) -> None:
    cmd = " ".join([str(TABLETOP), *args])
    done = subprocess.run(
        f"{cmd} >&-", shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == "error: cannot write the output: Bad file descriptor"


@pytest.mark.parametrize(
    "args",
    [["schema"], ["--help"], ["list"], ["validate", "scenarios"], ["graph", "showcase"]],
    ids=lambda a: a[0],
)
def test_a_reader_that_leaves_early_gets_no_traceback(args: list[str]) -> None:
    cmd = " ".join([str(TABLETOP), *args])
    done = subprocess.run(
        f"{cmd} | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.stderr == ""
    assert done.returncode in (0, 1)  # 1 when the output did not fit in the pipe
    assert len(done.stdout.splitlines()) == 1
