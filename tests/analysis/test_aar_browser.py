"""A real headless browser (Chromium) opens the documents without errors and prints them.

Skipped, with the reason, only where no Chromium is installed; .ci/run installs it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from aar_helpers import hostile, scenario

from sim.analysis.html import aar_html, handbook_html, manual_html
from sim.analysis.model import build_aar
from sim.analysis.pack import package
from sim.analysis.pdf import browser_args, find_browser, html_to_pdf
from sim.analysis.sources import headless_input, with_branch

BROWSER = find_browser()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium installed (apt-get install chromium); .ci/run installs it"
)
CONSOLE = re.compile(r":CONSOLE[^\n]*")


def open_in_browser(html: str, tmp: Path) -> tuple[str, list[str]]:
    """(the DOM after loading, the console messages: errors, CSP violations) of a page."""
    assert BROWSER is not None
    page = tmp / "page.html"
    page.write_text(html, encoding="utf-8")
    args = [*browser_args(BROWSER, tmp / "profile"), "--enable-logging=stderr", "--v=0"]
    done = subprocess.run(
        [*args, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=180
    )
    return done.stdout, CONSOLE.findall(done.stderr)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@needs_browser
def test_the_console_check_catches_a_bad_page(tmp_path: Path) -> None:
    bad = (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'\"><title>x</title></head><body>"
        '<img src="https://example.invalid/x.png"></body></html>'
    )
    _, console = open_in_browser(bad, tmp_path)
    assert console, "a blocked external image must show up as a console message"


@needs_browser
@pytest.mark.parametrize("audience", ["players", "controller"])
def test_report_renders_without_errors_and_prints_to_pdf(tmp_path: Path, audience: str) -> None:
    sc = scenario("quickstart")
    source = with_branch(
        headless_input(sc, 2020, "quickstart--cooperate"),
        headless_input(sc, 2020, "quickstart--go-it-alone"),
    )
    aar = build_aar(source, audience)  # type: ignore[arg-type]
    html = aar_html(aar)
    dom, console = open_in_browser(html, tmp_path)
    assert console == []
    assert "After-Action Report and Improvement Plan" in dom
    assert dom.count("<svg") == len(aar.series) > 0
    out = tmp_path / "aar.pdf"
    html_to_pdf(html, out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and pdf_pages(data) >= 3


@needs_browser
def test_hostile_scenario_runs_no_script_in_the_browser(tmp_path: Path) -> None:
    source = headless_input(hostile(), None, None)
    dom, console = open_in_browser(aar_html(build_aar(source, "controller"), "CAVEAT"), tmp_path)
    assert console == []  # an executed or blocked script would log here
    assert "<script" not in dom.lower()
    assert "&lt;script&gt;alert('title')&lt;/script&gt;" in dom


@needs_browser
def test_packages_render_and_print(tmp_path: Path) -> None:
    made = package(scenario("olympics-2020"))
    for name, html in (
        ("manual", manual_html(made.manual)),
        ("handbook", handbook_html(made.handbook)),
    ):
        dom, console = open_in_browser(html, tmp_path)
        assert console == [], name
        assert "<h1>" in dom
        out = tmp_path / f"{name}.pdf"
        html_to_pdf(html, out)
        assert pdf_pages(out.read_bytes()) >= 2


def test_pdf_without_a_browser_says_how_to_get_one(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TABLETOP_CHROMIUM"}
    env["PATH"] = str(tmp_path)  # no browser anywhere on it
    out = tmp_path / "x.pdf"
    cmd = [sys.executable, "-c", "from tui.cli import run_main; run_main()", "report"]
    done = subprocess.run(
        [*cmd, "quickstart", "--format", "pdf", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert "apt-get install chromium" in done.stderr
    assert "--format html" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def _unusable_browser(tmp_path: Path, kind: str) -> str:
    """A TABLETOP_CHROMIUM value that names no browser tabletop can run."""
    if kind == "missing":
        return str(tmp_path / "no-such-chromium")
    if kind == "hostile":
        return str(tmp_path / "chromium\x1b[2J\nfake: ok")
    if kind == "bare name":
        return "no-such-chromium-anywhere"
    if kind == "folder":
        folder = tmp_path / "chromium-folder"
        folder.mkdir()
        return str(folder)
    plain = tmp_path / "not-executable"
    plain.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    plain.chmod(0o644)
    return str(plain)


@pytest.mark.parametrize("kind", ["missing", "hostile", "bare name", "folder", "not executable"])
def test_pdf_with_an_unusable_tabletop_chromium_names_the_variable_and_path(
    tmp_path: Path, kind: str
) -> None:
    from click.testing import CliRunner

    from sim.safetext import printable
    from tui.cli import main

    chosen = _unusable_browser(tmp_path, kind)
    out = tmp_path / "x.pdf"
    result = CliRunner().invoke(
        main,
        ["report", "quickstart", "--format", "pdf", "--out", str(out)],
        env={"TABLETOP_CHROMIUM": chosen, "PATH": str(tmp_path / "empty")},
    )
    err = result.stderr
    assert result.exit_code == 1, err
    assert "TABLETOP_CHROMIUM" in err
    assert printable(chosen, one_line=True) in err
    assert "found on PATH" not in err
    assert "\x1b" not in err and err.count("\n") == 1  # one line, shown literally
    assert "--format html" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_pdf_needs_an_out_file() -> None:
    cmd = [sys.executable, "-c", "from tui.cli import run_main; run_main()", "report"]
    done = subprocess.run([*cmd, "quickstart", "--format", "pdf"], capture_output=True, text=True)
    assert done.returncode == 2 and "--out" in done.stderr
