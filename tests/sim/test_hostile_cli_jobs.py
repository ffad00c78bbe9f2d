"""`tabletop batch --jobs N` with N far above what the batch can use: no more worker processes
than there are chunks of runs to give them (a careless `--jobs 512` for a handful of runs
forked 512 processes), and the same results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
sys.argv = ["tabletop", "batch", "quickstart", "--runs", "2", "--format", "json", *sys.argv[1:]]
from tui.entry import run_main
run_main()
"""


def _batch(*args: str) -> tuple[dict[str, object], int]:
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    workers = int(done.stderr.strip().splitlines()[-1].removeprefix("workers started: "))
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
