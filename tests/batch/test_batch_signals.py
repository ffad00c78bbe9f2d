"""`tabletop batch` stopped by a signal: SIGTERM (a job scheduler, `timeout`, systemd, `kill`)
as well as Ctrl-C, whenever it lands. The runs done are written, marked partial, and the exit
code says which signal stopped the batch (128 + its number: 130 for SIGINT, 143 for SIGTERM).
"""

from __future__ import annotations

import contextlib
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


def _batch_args(out: Path, jobs: int, executor: str) -> list[str]:
    return [
        "batch", "quickstart", "--runs", "1000000", "--jobs", str(jobs), "--playbook", BOOK,
        "--format", "json", "--out", str(out), "--executor", executor,
    ]  # fmt: skip


def _descendants(pid: int) -> int:
    """Processes under pid (started by any of its threads: Dask's from its event loop's)."""
    found = []
    for kids in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):  # the thread ended
            found += [int(k) for k in kids.read_text().split()]
    return len(found) + sum(_descendants(k) for k in found)


def _stop_running_batch(
    out: Path, jobs: int, sig: int, whole_group: bool, executor: str = "local"
) -> tuple[int, str]:
    """Start a long batch, let it run, send sig (to it alone, or to its whole process group
    as a terminal's Ctrl-C, systemd and `timeout` do) and return its exit code and stderr."""
    workers = 0 if jobs == 1 else jobs  # worker processes (Dask's nannies are in the batch's)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from tui.cli import run_main; run_main()",
            *_batch_args(out, jobs, executor),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # its own process group, so nothing outlives the test
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and _descendants(proc.pid) < workers:
            time.sleep(0.2)  # wait for the workers: the batch is under way
        time.sleep(3 if executor == "local" else 6)
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


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_dask_local_batch_stopped_from_the_terminal_says_one_line_per_outcome(
    tmp_path: Path, sig: int
) -> None:
    """Ctrl-C at a terminal reaches the whole process group, the Dask workers included: they
    must not each print a KeyboardInterrupt traceback, nor the scheduler log errors about the
    workers it lost; the batch says what it wrote and why it stopped, and nothing else."""
    pytest.importorskip("distributed")
    out = tmp_path / "partial.json"
    code, err = _stop_running_batch(out, 2, sig, whole_group=True, executor="dask-local")
    assert code == 128 + sig, err
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert lines[0] == f"wrote {out}"
    assert lines[1].startswith("interrupted: " if sig == signal.SIGINT else "terminated: ")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["partial"] is True and 0 < data["runs_done"] < 1_000_000


def test_a_hang_up_writes_the_runs_done_though_the_terminal_is_gone(tmp_path: Path) -> None:
    """The ssh connection drops under a long batch: its terminal is gone (every write to it
    fails) and it gets SIGHUP. The runs done must still reach --out, marked partial."""
    out = tmp_path / "partial.json"
    terminal, its_end = os.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from tui.cli import run_main; run_main()",
            *_batch_args(out, 1, "local"),
        ],
        stdin=its_end,
        stdout=its_end,
        stderr=its_end,  # a terminal: the progress bar is drawn on it
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(its_end)
    try:
        time.sleep(4)
        os.close(terminal)  # the connection drops...
        proc.send_signal(signal.SIGHUP)  # ...and the kernel hangs up on the batch
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    assert proc.returncode == 128 + signal.SIGHUP
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["partial"] is True and 0 < data["runs_done"] < 1_000_000


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
