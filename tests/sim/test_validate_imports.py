"""`tabletop validate` reads and checks files without loading the engine that would run them.

Validating is what an author does after every edit, so it starts fast: it needs the format
(pydantic models), the YAML reader and the checks, never the SimPy engine, its records or its
random streams. This is an import-graph check, not a timing (the timing is
benchmarks/startup.py's `tabletop validate - import floor`).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

RUN_TIME = (
    "simpy",
    "numpy",
    "sim.engine",
    "sim.context",
    "sim.events",
    "sim.state",
    "sim.threats",
    "sim.branches",
    "sim.responses",
    "sim.retries",
    "sim.dynamics",
    "sim.calendar",
    "sim.chance",
    "sim.detection",
    "sim.deciders",
    "sim.batch",
)
"""The engine's run-time modules (and their third-party packages)."""


def _validate(*targets: str) -> tuple[int, str, list[str]]:
    """Run the console script's entry point on targets: exit code, output, modules loaded."""
    code = (
        "import sys\n"
        f"sys.argv = ['tabletop', 'validate', *{list(targets)!r}]\n"
        "from tui.entry import run_main\n"
        "try:\n    run_main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "print('EXIT', code, 'LOADED', *sorted(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "80"},
    )
    assert "Traceback" not in done.stderr, done.stderr
    head, loaded = done.stderr.split("LOADED", 1)
    exit_code = int(head.split("EXIT", 1)[1])
    return exit_code, done.stdout + head, loaded.split()


def _run_time(loaded: list[str]) -> list[str]:
    return [m for m in loaded if m in RUN_TIME or m.startswith(tuple(f"{r}." for r in RUN_TIME))]


@pytest.mark.parametrize(
    "targets",
    [
        ("scenarios/quickstart.yaml",),
        # every bundled scenario and playbook: branches, retries, bounds, the calendar, playbooks
        ("scenarios",),
    ],
)
def test_validate_loads_none_of_the_engines_run_time_modules(targets: tuple[str, ...]) -> None:
    code, out, loaded = _validate(*targets)
    assert code == 0, out
    assert "ok (scenario:" in out
    assert "sim.checks" in loaded and "sim.checks_v2" in loaded  # the checks did run
    assert _run_time(loaded) == []


def test_validate_reporting_problems_loads_none_of_them_either() -> None:
    code, out, loaded = _validate("tests/data/bad")
    assert code == 1, out
    assert "duplicates_and_loops.yaml:" in out
    assert _run_time(loaded) == []
