"""A long unbroken word in a scenario's text cannot make printing a document slow.

A browser wraps a word longer than its line only by trying place after place in it: Chromium
took about 8 s to print a report with one 20,000-character word (and a prompt is shown in
several places), bounded only by the browser's timeout. Every document's HTML now holds a
place to break a line (``<wbr>``) after every ``WORD`` characters of a longer word, so the
browser never meets a long word; the text itself is whole (``<wbr>`` adds no character).
Checked on the HTML's structure, never by timing the browser."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from hostile_text import twin

from sim.analysis.html import WORD, aar_html, breakable, handbook_html, manual_html
from sim.analysis.model import build_aar
from sim.analysis.pack import package
from sim.analysis.sources import headless_input

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
