"""Ctrl-C and SIGTERM stop a batch on a Dask scheduler at any moment, within seconds: while it
connects to a scheduler that does not answer, and while its chunks wait on workers that never
finish them (all gone, or stuck). Before, the signal was only a flag read when a chunk
arrived, so such a batch could be stopped by nothing short of SIGKILL."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HARNESS = """
import os, signal, socket, sys, threading, time, warnings
warnings.simplefilter("ignore")  # this harness's scheduler's, on a busy machine
import distributed
import sim.batch.cluster as cluster
moment, signame, out = sys.argv[1:4]
if moment == "connecting":
    cluster.CONNECT_TIMEOUT_S = 600  # a scheduler that accepts and never answers: wait long
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held = []
    threading.Thread(target=lambda: held.append(server.accept()), daemon=True).start()
    port = server.getsockname()[1]
else:  # 'stuck': a scheduler whose one worker never finishes a chunk
    def stuck(*args, **kwargs):
        time.sleep(600)
    cluster.run_chunk = stuck
    scheduler = distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
        dashboard_address=None, silence_logs=50,
    )
    port = scheduler.scheduler_address.rsplit(":", 1)[1]
threading.Timer(3, os.kill, (os.getpid(), getattr(signal, signame))).start()
sys.argv = ["tabletop", "batch", "quickstart", "--runs", "50", "--executor",
            f"dask://127.0.0.1:{port}", "--format", "json", "--out", out]
from tui.entry import run_main
started = time.monotonic()
try:
    run_main()
    code = 0
except SystemExit as exc:
    code = exc.code
print(round(time.monotonic() - started), flush=True)
os._exit(code)  # a stuck worker thread would hold the interpreter's exit
"""


@pytest.mark.parametrize("moment", ["connecting", "stuck"])
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_signal_stops_a_dask_batch_within_seconds(tmp_path: Path, moment: str, sig: str) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "partial.json"
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, moment, sig, str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,  # before the fix: 600 s and more
    )
    signum = getattr(signal, sig)
    assert done.returncode == 128 + signum, done.stderr
    assert int(done.stdout.split()[-1]) < 30, done.stdout  # seconds from start to exit
    word = "interrupted" if signum == signal.SIGINT else "terminated"
    assert f"{word}: 0 of 50 runs done; the results are partial" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
