"""`tabletop batch --jobs N` with N far above what the batch can use: no more worker processes
than there are chunks of runs to give them (a careless `--jobs 512` for a handful of runs
forked 512 processes), and the same results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sim.batch.cli import usable_cpus

ROOT = Path(__file__).resolve().parents[2]

HARNESS = """
import atexit, sys
import multiprocessing.process as mp
started = [0]
start = mp.BaseProcess.start
def counting(self):
    started[0] += 1
    return start(self)
mp.BaseProcess.start = counting
atexit.register(lambda: sys.stderr.write(f"workers started: {started[0]}\\n"))
sys.argv = ["tabletop", "batch", "quickstart", "--format", "json", *sys.argv[1:]]
if "--runs" not in sys.argv:
    sys.argv += ["--runs", "2"]
from tui.entry import run_main
run_main()
"""


def _batch(*args: str, notes: list[str] | None = None) -> tuple[dict[str, object], int]:
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    *said, last = done.stderr.strip().splitlines()
    workers = int(last.removeprefix("workers started: "))
    if notes is not None:
        notes += said
    data = json.loads(done.stdout)
    for volatile in ("jobs", "seconds", "runs_per_second", "executor"):
        data.pop(volatile, None)
    return data, workers


def test_huge_jobs_for_two_runs_start_at_most_two_workers() -> None:
    many, workers = _batch("--jobs", "64")
    assert workers <= 2
    one, none = _batch("--jobs", "1")
    assert none == 0
    assert many == one


@pytest.mark.parametrize("executor", ["local", "dask-local"])
def test_jobs_above_the_cpus_run_as_many_workers_as_cpus_with_a_notice(executor: str) -> None:
    """A careless `--jobs 512` for a long batch forked 512 processes on a 2-CPU machine."""
    if executor == "dask-local":
        pytest.importorskip("distributed")
    cpus = usable_cpus()
    notes: list[str] = []
    args = ("--runs", "200", "--jobs", str(cpus + 3), "--executor", executor)
    _, workers = _batch(*args, notes=notes)
    if executor == "dask-local":  # Dask's worker processes, started from the batch's nannies
        assert workers == cpus
    else:  # one CPU: no pool, the runs run in the batch's own process
        assert workers == (cpus if cpus > 1 else 0)
    plural = "s" if cpus != 1 else ""
    assert notes == [
        f"note: --jobs {cpus + 3} is more than the {cpus} CPU{plural} this process may use: "
        f"the batch runs on at most {cpus} worker process{'es' if cpus != 1 else ''}"
    ]


def test_jobs_within_the_cpus_say_nothing() -> None:
    notes: list[str] = []
    _batch("--runs", "20", "--jobs", str(usable_cpus()), notes=notes)
    assert notes == []
