"""TABLETOP_TEST_JOBS: a bad value falls back to one worker process with a clear warning."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from scenario_batches import _jobs_from_env

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("value", [None, "", "  "])
def test_unset_or_empty_means_one_worker(value: str | None) -> None:
    assert _jobs_from_env(value) == 1


@pytest.mark.parametrize("value", ["2", " 3 "])
def test_a_whole_number_is_the_number_of_workers(value: str) -> None:
    assert _jobs_from_env(value) == int(value)


@pytest.mark.parametrize("value", ["two", "1.5", "2\x1b[31m", "0", "-4"])
def test_a_bad_value_falls_back_to_one_worker_with_a_warning(value: str) -> None:
    with pytest.warns(UserWarning, match="TABLETOP_TEST_JOBS"):
        assert _jobs_from_env(value) == 1


def test_a_bad_value_does_not_break_the_import() -> None:
    """Importing the module with a non-number prints a warning, not a traceback."""
    env = {**os.environ, "TABLETOP_TEST_JOBS": "lots"}
    proc = subprocess.run(
        [sys.executable, "-c", "import scenario_batches; print(scenario_batches.JOBS)"],
        cwd=HERE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "1"
    assert "TABLETOP_TEST_JOBS='lots' is not a whole number" in proc.stderr
    assert "Traceback" not in proc.stderr
