"""SIGTERM while Chromium prints a PDF (`report --format pdf`, a package's PDFs): the browser
is stopped and the temporary folder holding the page (the controller's edition, perhaps) is
removed, as after Ctrl-C. Before, the program died at once: the browser went on printing on
its own and the page stayed in the temporary folder for ever."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_aar_browser import needs_browser

TABLETOP = Path(sys.executable).with_name("tabletop")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for kids in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(k) for k in kids.read_text().split()]
        except OSError:
            continue
    return found


@needs_browser
def test_sigterm_while_printing_stops_the_browser_and_leaves_no_page(tmp_path: Path) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    out = tmp_path / "aar.pdf"
    proc = subprocess.Popen(
        [TABLETOP, "report", "olympics-2020", "--audience", "controller", "--format", "pdf",
         "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "TMPDIR": str(temporary)},
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _children(proc.pid):
            time.sleep(0.05)  # the browser has started
        browser = _children(proc.pid)
        assert browser, "the browser never started"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
        time.sleep(1)
        still = [pid for pid in browser if Path(f"/proc/{pid}").exists()]
    finally:
        if proc.poll() is None:
            proc.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the browser too, whatever the test found
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert err.decode().strip() == "terminated"
    assert still == [], "the browser went on without the report"
    assert not [p.name for p in temporary.iterdir() if p.name.startswith("tabletop-pdf-")]
    assert not out.exists()
