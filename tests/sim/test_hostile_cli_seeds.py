"""Every command's --seed takes the seeds a scenario's `seed:` takes, 0 to 2**63 - 1, and no
other: a report or batch made with a seed that `tabletop run --seed` refuses could never be
replayed, and a session's seed is stored as a 64-bit integer (the console opened on a larger
one and could not start the exercise: "Python int too large to convert to SQLite INTEGER")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TABLETOP = Path(sys.executable).with_name("tabletop")
LARGEST = 2**63 - 1

COMMANDS = {
    "run": ["run", "quickstart"],
    "report": ["report", "quickstart", "--format", "json"],
    "batch": ["batch", "quickstart", "--runs", "2"],
    "play": ["play", "quickstart", "--no-save"],
}


def tabletop(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TABLETOP, *args],
        capture_output=True,
        text=True,
        timeout=60,  # a console that opened instead of refusing would wait for keys
        stdin=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "TABLETOP_STORE": str(tmp_path / "store.db")},
    )


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("seed", [LARGEST + 1, 2**64, 10**40])
def test_a_seed_beyond_63_bits_is_a_usage_error(command: str, seed: int, tmp_path: Path) -> None:
    done = tabletop([*COMMANDS[command], "--seed", str(seed)], tmp_path)
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "--seed" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("command", ["run", "report", "batch"])
def test_the_largest_seed_a_scenario_may_hold_is_taken(command: str, tmp_path: Path) -> None:
    done = tabletop([*COMMANDS[command], "--seed", str(LARGEST)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert str(LARGEST) in done.stdout


@pytest.mark.parametrize(
    ("seed", "explore"), [(LARGEST + 1, 1), (10**30, 3), (LARGEST - 1, 3), (LARGEST, 2)]
)
def test_lint_explores_only_seeds_run_can_replay(seed: int, explore: int, tmp_path: Path) -> None:
    """lint --explore N plays seeds S to S+N-1 and names one to replay with `tabletop run
    --seed`: the last must be a seed that run takes."""
    done = tabletop(
        ["lint", "quickstart", "--explore", str(explore), "--seed", str(seed)], tmp_path
    )
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "--seed" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_lint_explores_up_to_the_largest_seed(tmp_path: Path) -> None:
    done = tabletop(["lint", "quickstart", "--explore", "2", "--seed", str(LARGEST - 1)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"seeds {LARGEST - 1}–{LARGEST}" in done.stdout
