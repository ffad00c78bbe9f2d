"""A long unbroken word in a scenario's text cannot make printing a document slow.

A browser wraps a word longer than its line only by trying place after place in it: Chromium
took about 8 s to print a report with one 20,000-character word (and a prompt is shown in
several places), bounded only by the browser's timeout. Every document's HTML now holds a
place to break a line (``<wbr>``) after every ``WORD`` characters of a longer word, so the
browser never meets a long word; the text itself is whole (``<wbr>`` adds no character).
Checked on the HTML's structure, never by timing the browser; and in a real browser, that the
batch report is no wider than its window."""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_text import twin, twin_text
from test_aar_browser import needs_browser, open_in_browser

from sim.analysis.html import WORD, aar_html, breakable, handbook_html, manual_html
from sim.analysis.model import build_aar
from sim.analysis.pack import package
from sim.analysis.sources import headless_input
from tui.cli import main

LONG = 3_000


def long_word(where: str) -> str:
    """An unbroken word of LONG characters that says where it stands, with markup in it."""
    head = f"<{where}>&"
    return head + "W" * (LONG - len(head))


class Words(HTMLParser):
    """The longest unbroken run of characters the page shows (a <wbr> breaks a run; the
    stylesheet, the charts' SVG and the page's title are not laid out as text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.run = 0
        self.longest = 0
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "svg"):
            self.skip += 1
        self.in_title = tag == "title"
        self.run = 0  # any element (a <wbr>, a cell) ends the run

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "svg"):
            self.skip -= 1
        self.in_title = False
        self.run = 0

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.skip:
            return
        for n, part in enumerate(re.split(r"\s", data)):
            self.run = len(part) if n else self.run + len(part)
            self.longest = max(self.longest, self.run)


def documents() -> dict[str, str]:
    sc = twin("quickstart", long_word)
    source = headless_input(sc, 3, None)
    made = package(sc)
    caveat = sc.scenario.handling
    return {
        "aar players": aar_html(build_aar(source, "players"), caveat),
        "aar controller": aar_html(build_aar(source, "controller"), caveat),
        "situation manual": manual_html(made.manual),
        "handbook": handbook_html(made.handbook),
    }


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return documents()


@pytest.mark.parametrize("name", ["aar players", "aar controller", "situation manual", "handbook"])
def test_no_document_shows_a_word_longer_than_a_line_may_break(
    pages: dict[str, str], name: str
) -> None:
    page = pages[name]
    words = Words()
    words.feed(page)
    assert 0 < words.longest <= WORD, words.longest
    # the text is whole: without the break opportunities, each long word is there, escaped
    text = page.replace("<wbr>", "")
    assert html.escape(long_word(".scenario.title"), quote=False) in text
    assert html.escape(long_word(".objectives0.description"), quote=False) in text
    # the page's title (never laid out, shown as it is) holds no <wbr>
    assert words.title.endswith(long_word(".scenario.title"))


def test_breaking_keeps_short_words_and_escapes_every_piece() -> None:
    assert breakable("short words & <b>tags</b>") == "short words & <b>tags</b>"  # escaped later
    word = "<" * (WORD + 1)
    assert str(breakable(word)) == "&lt;" * WORD + "<wbr>" + "&lt;"
    assert str(breakable(f"a {'x' * WORD * 2} b")) == f"a {'x' * WORD}<wbr>{'x' * WORD} b"


# --- the batch report (`tabletop batch --report`), written by the command ---------------------


def batch_report(tmp: Path) -> str:
    pytest.importorskip("matplotlib")
    scenario = tmp / "long-words.yaml"
    scenario.write_text(twin_text("quickstart", long_word), encoding="utf-8")
    report = tmp / "batch.html"
    args = ["batch", str(scenario), "--runs", "2", "--report", str(report), "--out", os.devnull]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    return report.read_text(encoding="utf-8")


def test_the_batch_report_shows_no_word_longer_than_a_line_may_break(tmp_path: Path) -> None:
    page = batch_report(tmp_path)
    words = Words()
    words.feed(page)
    assert 0 < words.longest <= WORD, words.longest
    text = page.replace("<wbr>", "")  # the text is whole, each long word there, escaped
    assert html.escape(long_word(".scenario.title")) in text
    assert html.escape(long_word(".objectives0.description")) in text
    assert "<wbr>" not in words.title  # the title and the figures' labels are shown as they are
    assert not any("<wbr>" in label for label in re.findall(r'aria-label="([^"]*)"', page))


@needs_browser
def test_the_batch_report_fits_the_width_of_a_browser_window(tmp_path: Path) -> None:
    """In Chromium: the page is no wider than its window (a long word overflowed it)."""
    page = batch_report(tmp_path)
    probe = (  # the test's own script, where the page's policy would forbid one
        "<script>addEventListener('load',()=>{const d=document.documentElement;"
        "document.body.setAttribute('data-overflow',String(d.scrollWidth-innerWidth))})</script>"
    )
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    dom, _ = open_in_browser(page.replace("</head>", probe + "</head>", 1), tmp_path)
    overflow = re.search(r'data-overflow="(-?[0-9]+)"', dom)
    assert overflow is not None, dom[:300]
    assert int(overflow.group(1)) <= 0
