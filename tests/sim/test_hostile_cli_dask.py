"""`tabletop batch --executor dask://HOST:PORT` pointed at something that is no Dask scheduler:
a server that accepts and never answers, or one that answers in another protocol (a web
server). Either way one clear line and exit 1 within the connection timeout, never a hang.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

HARNESS = """
import socket, sys, threading
import sim.batch.cluster as cluster
cluster.CONNECT_TIMEOUT_S = 1  # the test's patience, not the user's
mode = sys.argv[1]
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(8)
held = []
def serve():
    while True:
        conn, _ = server.accept()
        held.append(conn)  # 'silent': accepted, never answered
        if mode == "http":
            conn.recv(100)
            conn.sendall(b"HTTP/1.1 400 Bad Request\\r\\nContent-Length: 0\\r\\n\\r\\n")
            conn.close()
threading.Thread(target=serve, daemon=True).start()
port = server.getsockname()[1]
sys.argv = ["tabletop", "batch", "quickstart", "--runs", "2", "--executor",
            f"dask://127.0.0.1:{port}"]
from tui.entry import run_main
run_main()
"""


@pytest.mark.parametrize(
    ("mode", "says"),
    [
        ("silent", "no answer from the Dask scheduler at tcp://127.0.0.1:"),
        ("http", "does not answer as a Dask scheduler"),
    ],
)
def test_a_scheduler_that_is_not_one_is_a_clear_error_not_a_hang(mode: str, says: str) -> None:
    pytest.importorskip("distributed")
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, mode],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,  # before the fix 'silent' waited for ever
    )
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: ") and says in line
    assert "MemoryError" not in line
    assert done.stdout == ""


NO_WORKERS = """
import sys, warnings
warnings.simplefilter("ignore")  # this harness's scheduler's, on a busy machine
import distributed
import sim.batch.cluster as cluster
cluster.CONNECT_TIMEOUT_S = 2  # the test's patience, not the user's
scheduler = distributed.LocalCluster(
    n_workers=0, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None,
    silence_logs=50,
)
port = scheduler.scheduler_address.rsplit(":", 1)[1]
sys.argv = ["tabletop", "batch", "quickstart", "--runs", "2", "--executor",
            f"dask://127.0.0.1:{port}", "--out", sys.argv[1]]
from tui.entry import run_main
run_main()
"""


def test_a_scheduler_without_workers_is_one_line_before_any_run(tmp_path: Path) -> None:
    """A scheduler whose workers were never started (or have all gone): one line saying so,
    exit 1, and the previous results kept, not replaced by a batch of no runs."""
    pytest.importorskip("distributed")
    out = tmp_path / "big.json"
    out.write_text("the results of last night's batch\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", NO_WORKERS, str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    (line,) = lines
    assert line.startswith("error: the Dask scheduler at tcp://127.0.0.1:") and "no workers" in line
    assert "dask worker tcp://127.0.0.1:" in line  # how to start one
    assert out.read_text(encoding="utf-8") == "the results of last night's batch\n"
    assert done.stdout == ""


REFUSED = """
import socket, sys
import sim.batch.cluster as cluster
cluster.CONNECT_TIMEOUT_S = 600  # Dask retried a refused connection for all of it
closed = socket.socket()
closed.bind(("127.0.0.1", 0))  # a port of this machine's that no one listens on
port = closed.getsockname()[1]
sys.argv = ["tabletop", "batch", "quickstart", "--runs", "2", "--executor",
            f"dask://127.0.0.1:{port}"]
from tui.entry import run_main
run_main()
"""


def test_a_refused_scheduler_fails_at_once_in_one_line_not_after_the_timeout() -> None:
    """Nothing listens there (a mistyped port, a stopped scheduler): the connection is refused,
    which Dask retries until its timeout; the batch says so at once instead."""
    pytest.importorskip("distributed")
    done = subprocess.run(
        [sys.executable, "-c", REFUSED],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,  # far less than the 600 s Dask would have tried for
    )
    assert done.returncode == 1, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:")
    assert line.endswith(": connection refused (is a Dask scheduler running there, on that port?)")
