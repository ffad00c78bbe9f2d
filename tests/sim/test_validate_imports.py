"""`tabletop validate` reads and checks files without loading the engine that would run them.

Validating is what an author does after every edit, so it starts fast: it needs the format
(pydantic models), the YAML reader and the checks, never the SimPy engine, its records or its
random streams, nor pydantic's search for plugins (sim.noplugins). This is an import-graph check,
not a timing (the timing is benchmarks/startup.py's `tabletop validate - import floor`).
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
    "sim.capacity",
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
    assert "importlib.metadata" not in loaded  # no search for pydantic plugins (sim.noplugins)


def test_validate_reporting_problems_loads_none_of_them_either() -> None:
    code, out, loaded = _validate("tests/data/bad")
    assert code == 1, out
    assert "duplicates_and_loops.yaml:" in out
    assert _run_time(loaded) == []


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_without_plugin_search_pydantic_still_validates_and_finds_no_plugins() -> None:
    out = _python(
        "import sys\n"
        "from sim.noplugins import LOADER, skip_plugin_search\n"
        "skip_plugin_search()\n"
        "from pydantic import BaseModel, Field, ValidationError\n"
        "class M(BaseModel):\n    n: int = Field(ge=0)\n"
        "print(M.model_validate({'n': 3}).n)\n"
        "try:\n    M.model_validate({'n': -1})\nexcept ValidationError as e:\n"
        "    print(e.errors()[0]['type'])\n"
        "print(list(sys.modules[LOADER].get_plugins()), 'importlib.metadata' in sys.modules)\n"
    )
    assert out.splitlines() == ["3", "greater_than_equal", "[] False"]


def test_asked_for_anything_else_the_stand_in_steps_aside_for_pydantics_loader() -> None:
    out = _python(
        "import sys\n"
        "from sim.noplugins import LOADER, skip_plugin_search\n"
        "skip_plugin_search()\n"
        "stand_in = sys.modules[LOADER]\n"
        # a name only the real one has (pydantic 2.7 to 2.14 alike)
        "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP as group\n"
        "print(group, sys.modules[LOADER] is stand_in)\n"
    )
    assert out == "pydantic False"


def test_a_loader_already_imported_is_left_alone() -> None:
    out = _python(
        "import sys\n"
        "import pydantic.plugin._loader as real\n"
        "from sim.noplugins import LOADER, skip_plugin_search\n"
        "skip_plugin_search()\n"
        "print(sys.modules[LOADER] is real)\n"
    )
    assert out == "True"
