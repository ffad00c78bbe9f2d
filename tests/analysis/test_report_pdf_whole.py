"""`tabletop report --format pdf --out FILE` writes the PDF whole or not at all, as every other
output: a write that fails half-way (a full disk) or a browser that fails leaves the previous
FILE as it was, and no half-written PDF or temporary file beside it. A stand-in browser (a
shell script) makes these tests quick and independent of Chromium."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

TABLETOP = Path(sys.executable).with_name("tabletop")
OLD = b"%PDF the previous report\n"
BIG = 1_000_000
"""The stand-in browser's PDF: larger than the file size limit below."""
LIMIT = 400_000
"""More than the report's HTML (about 40 kB, written first for the browser), less than BIG."""


def browser(tmp_path: Path, *, works: bool = True) -> Path:
    """A stand-in for Chromium: writes a BIG PDF where --print-to-pdf says (its own file size
    limit lifted), or fails."""
    script = tmp_path / "bin" / "fake-chromium"
    script.parent.mkdir()
    body = (
        'ulimit -f unlimited\nfor a in "$@"; do case "$a" in --print-to-pdf=*) '
        'out="${a#--print-to-pdf=}";; esac; done\n'
        f'{{ printf "%%PDF-1.4\\n"; head -c {BIG} /dev/zero; }} > "$out"\n'
        if works
        else "echo 'cannot start' >&2\nexit 3\n"
    )
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return script


def _small_disk() -> None:
    """Files of this process stop growing at LIMIT bytes (EFBIG, 'File too large'); a child
    may lift its own limit, as the stand-in browser does."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, resource.RLIM_INFINITY))


def report_pdf(
    tmp_path: Path, fake: Path, out: Path, *, small_disk: bool
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TABLETOP_CHROMIUM": str(fake)}
    return subprocess.run(
        [TABLETOP, "report", "quickstart", "--format", "pdf", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        preexec_fn=_small_disk if small_disk else None,
        timeout=120,
    )


@pytest.mark.skipif(
    resource.getrlimit(resource.RLIMIT_FSIZE)[1] != resource.RLIM_INFINITY,
    reason="the file size limit cannot be lifted here",
)
def test_a_pdf_write_that_fails_half_way_leaves_the_old_pdf_whole(tmp_path: Path) -> None:
    fake = browser(tmp_path)
    out = tmp_path / "reports" / "aar.pdf"
    out.parent.mkdir()
    out.write_bytes(OLD)
    done = report_pdf(tmp_path, fake, out, small_disk=True)
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == f"error: cannot write {out}: File too large"
    assert out.read_bytes() == OLD
    assert [p.name for p in out.parent.iterdir()] == ["aar.pdf"]


def test_a_failing_browser_leaves_the_old_pdf_and_says_so(tmp_path: Path) -> None:
    fake = browser(tmp_path, works=False)
    out = tmp_path / "reports" / "aar.pdf"
    out.parent.mkdir()
    out.write_bytes(OLD)
    done = report_pdf(tmp_path, fake, out, small_disk=False)
    assert done.returncode == 1, done.stderr
    assert "did not write a PDF" in done.stderr and "Traceback" not in done.stderr
    assert out.read_bytes() == OLD
    assert [p.name for p in out.parent.iterdir()] == ["aar.pdf"]


def test_the_pdf_replaces_the_old_one_and_keeps_its_mode(tmp_path: Path) -> None:
    fake = browser(tmp_path)
    out = tmp_path / "reports" / "aar.pdf"
    out.parent.mkdir()
    out.write_bytes(OLD)
    out.chmod(0o640)
    done = report_pdf(tmp_path, fake, out, small_disk=False)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-1.4\n") and out.stat().st_size > BIG
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in out.parent.iterdir()] == ["aar.pdf"]
