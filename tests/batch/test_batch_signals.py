"""`tabletop batch` stopped by a signal: SIGTERM (a job scheduler, `timeout`, systemd, `kill`)
as well as Ctrl-C, whenever it lands. The runs done are written, marked partial, and the exit
code says which signal stopped the batch (128 + its number: 130 for SIGINT, 143 for SIGTERM).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOK = "quickstart--cooperate"


def _batch_args(out: Path, jobs: int) -> list[str]:
    return [
        "batch", "quickstart", "--runs", "1000000", "--jobs", str(jobs), "--playbook", BOOK,
        "--format", "json", "--out", str(out),
    ]  # fmt: skip


def _stop_running_batch(out: Path, jobs: int, sig: int, whole_group: bool) -> tuple[int, str]:
    """Start a long batch, let it run, send sig (to it alone, or to its whole process group
    as systemd and `timeout` do) and return its exit code and stderr."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "from tui.cli import run_main; run_main()", *_batch_args(out, jobs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # its own process group, so nothing outlives the test
    )
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.monotonic() + 90
        while jobs > 1 and time.monotonic() < deadline and not children.read_text().split():
            time.sleep(0.2)  # wait for the pool's workers: the batch is under way
        time.sleep(3)
        if whole_group:
            os.killpg(proc.pid, sig)
        else:
            proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:  # it did not stop: end it and its workers, then fail
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    return proc.returncode, err.decode()


@pytest.mark.parametrize(
    ("jobs", "whole_group"), [(1, False), (2, False), (2, True)], ids=["serial", "pool", "group"]
)
def test_sigterm_writes_the_runs_done_marked_partial_and_exits_143(
    tmp_path: Path, jobs: int, whole_group: bool
) -> None:
    out = tmp_path / "partial.json"
    code, err = _stop_running_batch(out, jobs, signal.SIGTERM, whole_group)
    assert code == 128 + signal.SIGTERM, err
    assert "terminated" in err and "partial" in err and "Traceback" not in err
    assert "executor failed" not in err  # workers stopped by the same signal are no failure
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["partial"] is True
    assert 0 < data["runs_done"] < 1_000_000
    assert data["policies"][0]["runs"] == data["runs_done"]


HARNESS = """
import os, signal, sys
import sim.batch.report as report
import sim.outfile as outfile
where = sys.argv[1]
signum = getattr(signal, sys.argv[2])
if where == "report":
    real = report.render
    def render(*a, **k):
        os.kill(os.getpid(), signum)  # lands while the report is drawn
        return real(*a, **k)
    report.render = render
else:
    real = outfile.write_text_files
    def write(*a, **k):
        os.kill(os.getpid(), signum)  # lands as the files are written
        return real(*a, **k)
    outfile.write_text_files = write
sys.argv = ["tabletop", *sys.argv[3:]]
from tui.entry import run_main
run_main()
"""


@pytest.mark.parametrize("where", ["report", "writing"])
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_signal_after_the_runs_still_writes_the_results_whole(
    tmp_path: Path, where: str, sig: str
) -> None:
    """Every run is done and the report is being drawn (seconds, for many variables) or the
    files written: the signal must not throw the whole batch away."""
    pytest.importorskip("matplotlib")
    out, page = tmp_path / "b.json", tmp_path / "b.html"
    args = ["batch", "quickstart", "--runs", "20", "--playbook", BOOK, "--format", "json"]
    args += ["--out", str(out), "--report", str(page)]
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, where, sig, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    signum = getattr(signal, sig)
    assert done.returncode == 128 + signum, done.stderr
    assert "Traceback" not in done.stderr
    assert "all 20 runs" in done.stderr, done.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["runs_done"] == 20 and data["partial"] is False
    assert page.read_text(encoding="utf-8").rstrip().endswith("</html>")
