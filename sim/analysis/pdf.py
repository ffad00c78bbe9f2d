"""Printing HTML to PDF with a headless Chromium, where one is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from sim.exits import sigterm_raises
from sim.outfile import write_bytes_file
from sim.problems import TabletopError
from sim.safetext import printable

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
ENV = "TABLETOP_CHROMIUM"
TIMEOUT_S = 120
HOW_TO_GET_ONE = (
    "PDF output needs a Chromium-based browser, and none was found on PATH "
    f"(looked for {', '.join(BROWSERS)}). Install one (Debian/Ubuntu: "
    "'apt-get install chromium'; Fedora: 'dnf install chromium'; macOS: install Google "
    f"Chrome and set {ENV} to its binary), or set {ENV} to the browser's path. "
    "Meanwhile '--format html' writes the same report, ready to print from any browser."
)


class NoBrowser(TabletopError):
    """No headless browser is installed to print PDF with."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        """Why the browser TABLETOP_CHROMIUM names cannot be used ('' when it is not set)."""


def locate_browser() -> str:
    """The browser to print with: $TABLETOP_CHROMIUM if set, else the first one on PATH.

    NoBrowser if there is none, or if TABLETOP_CHROMIUM names nothing that can run (the
    message names the variable and the path it holds)."""
    chosen = os.environ.get(ENV)
    if chosen:
        return _chosen_browser(chosen)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise NoBrowser(HOW_TO_GET_ONE)


def find_browser() -> str | None:
    """The browser locate_browser finds, or None."""
    try:
        return locate_browser()
    except NoBrowser:
        return None


def _chosen_browser(chosen: str) -> str:
    """The browser TABLETOP_CHROMIUM names (a path, or a program on PATH), or NoBrowser."""
    path = Path(chosen)
    if path.is_file():
        if os.access(path, os.X_OK):
            return chosen
        why = "is not executable"
    elif path.is_dir():
        why = "is a folder, not a browser"
    elif path.exists():
        why = "is not a program file"
    else:
        found = shutil.which(chosen)
        if found:
            return found
        why = "does not exist"
    reason = f"{ENV} is set to '{printable(chosen, one_line=True)}', which {why}"
    raise NoBrowser(
        f"{reason}. Set {ENV} to the path of a Chromium-based browser, or unset it to look on "
        f"PATH. Meanwhile '--format html' writes the same report, ready to print from any browser.",
        reason,
    )


def browser_args(browser: str, profile: Path) -> list[str]:
    """A headless, offline-minded browser command line with its own throw-away profile."""
    args = [
        browser,
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-sync",
        "--mute-audio",
        f"--user-data-dir={profile}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return args


def html_to_pdf(html: str, out: Path) -> None:
    """Print one HTML page to a PDF file (A4, as the page's print stylesheet says).

    The PDF is written whole or not at all (:mod:`sim.outfile`): if the browser or the write
    fails, a file already at ``out`` stays as it was. OSError if ``out`` cannot be written."""
    browser = locate_browser()
    with sigterm_raises(), tempfile.TemporaryDirectory(prefix="tabletop-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        target = Path(tmp) / "report.pdf"
        args = [
            *browser_args(browser, Path(tmp) / "profile"),
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(
                args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise TabletopError(f"the browser could not print the PDF: {exc}") from None
        if not target.is_file() or not target.read_bytes().startswith(b"%PDF"):
            tail = printable(done.stderr.strip()[-600:])
            raise TabletopError(
                f"the browser ({browser}) did not write a PDF (exit {done.returncode}): {tail}"
            )
        write_bytes_file(str(out), target.read_bytes())
