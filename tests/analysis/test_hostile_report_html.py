"""Every HTML document stays ours whatever the scenario's text holds, and loads nothing.

A showcase twin whose every text holds markup (``<script>``, ``</style>``, an ``<img>`` with
``onerror``, ``javascript:`` links, CSS ``url(...)``, SVG with script, comments, CDATA) and
Markdown makes each HTML document: the after-action report (both editions, with a "what
if"), the Situation Manual, the handbook and the batch report. Parsed with ``html.parser``,
each must have the same elements and attribute names as the one a plain twin makes (the
charts aside: their text may wrap into more lines), no element, attribute or comment from
the scenario, and no address to load anything from.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hostile_text import hostile, plain, twin, twin_text
from test_aar_browser import needs_browser, open_in_browser

from sim.analysis.html import aar_html, handbook_html, manual_html
from sim.analysis.model import build_aar
from sim.analysis.pack import package
from sim.analysis.sources import headless_input, with_branch
from tui.cli import main

SVG_TAGS = {"svg", "g", "path", "defs", "use", "text", "clippath", "rect", "tspan", "style"}
URL_ATTRS = {"href", "xlink:href", "src", "action", "formaction", "poster", "srcset", "style"}


class Page(HTMLParser):
    """Elements outside the charts, and everything odd anywhere."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.outside: list[tuple[str, ...]] = []
        self.svg_tags: set[str] = set()
        self.attrs: list[tuple[str, str]] = []
        self.comments: list[str] = []
        self.other: list[str] = []
        self.styles: list[str] = []
        self.depth = 0
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs += [(k, v or "") for k, v in attrs]
        self.in_style = tag == "style"
        if tag == "svg":
            self.depth += 1
        if self.depth:
            self.svg_tags.add(tag)
        else:
            self.outside.append((tag, *sorted(k for k, _ in attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if not self.depth:
            self.outside.append(("/" + tag,))
        if tag == "svg":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.styles.append(data)
            self.in_style = False

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def unknown_decl(self, data: str) -> None:
        self.other.append(data)

    def handle_pi(self, data: str) -> None:
        self.other.append(data)


def page(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.close()
    return p


def batch_report(tmp: Path, make: Any) -> str:
    """`tabletop batch` on the twin written to a file, with --report."""
    scenario = tmp / f"twin-{make.__name__}.yaml"
    scenario.write_text(twin_text("showcase", make), encoding="utf-8")
    out = tmp / f"batch-{make.__name__}.html"
    args = ["batch", str(scenario), "--runs", "4", "--playbook", "showcase--together"]
    args += ["--playbook", "showcase--alone", "--report", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


def documents(tmp: Path, make: Any) -> dict[str, str]:
    sc = twin("showcase", make)
    main_run = headless_input(sc, 3, "showcase--together")
    source = with_branch(main_run, headless_input(sc, 3, "showcase--alone"))
    made = package(sc)
    caveat = sc.scenario.handling
    return {
        "aar players": aar_html(build_aar(source, "players"), caveat),
        "aar controller": aar_html(build_aar(source, "controller"), caveat),
        "situation manual": manual_html(made.manual),
        "handbook": handbook_html(made.handbook),
        "batch": batch_report(tmp, make),
    }


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    tmp = tmp_path_factory.mktemp("html")
    return documents(tmp, hostile), documents(tmp, plain)


NAMES = ["aar players", "aar controller", "situation manual", "handbook", "batch"]


@pytest.mark.parametrize("name", NAMES)
def test_no_element_or_attribute_comes_from_the_scenario(
    both: tuple[dict[str, str], dict[str, str]], name: str
) -> None:
    bad, good = page(both[0][name]), page(both[1][name])
    assert "T.scenario.title" in both[0][name]
    assert bad.outside == good.outside, name
    assert bad.svg_tags <= SVG_TAGS, bad.svg_tags - SVG_TAGS
    assert not [k for k, _ in bad.attrs if k.startswith("on")]
    assert not bad.other  # no CDATA section or processing instruction
    for comment in bad.comments:  # matplotlib's comments name the text it drew as paths
        assert "<" not in comment and "--" not in comment, comment


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_loaded_from_anywhere(
    both: tuple[dict[str, str], dict[str, str]], name: str
) -> None:
    html = both[0][name]
    p = page(html)
    for key, value in p.attrs:
        if key in URL_ATTRS - {"style"}:
            assert value.startswith("#"), (key, value)
        if key in URL_ATTRS:
            assert "javascript:" not in value.lower() and "evil.example" not in value, (key, value)
    assert p.outside.count(("style",)) == 1  # our stylesheet, and matplotlib's in a chart
    for style in p.styles:
        assert "url(" not in style and "@import" not in style and "evil" not in style, style
    assert not re.search(r"<link\b|<meta http-equiv=\"refresh\"", html, re.I)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


@needs_browser
@pytest.mark.parametrize("name", ["batch", "situation manual", "handbook"])
def test_a_real_browser_runs_nothing_and_fetches_nothing(
    both: tuple[dict[str, str], dict[str, str]], name: str, tmp_path: Path
) -> None:
    """Chromium opens the hostile document: no console message (a script that ran, or a
    fetch the policy blocked, would log one), and the DOM holds the markup only as text."""
    dom, console = open_in_browser(both[0][name], tmp_path)
    assert console == [], console
    tags = {t for t, *_ in page(dom).outside} | page(dom).svg_tags
    assert not {"script", "img", "a", "iframe"} & tags, tags
    assert "&lt;script&gt;s()&lt;/script&gt;" in dom


def test_a_long_label_of_many_lines_fits_its_chart() -> None:
    """A chart's title is its variable's label (unit: its axis): drawn on one line that fits,
    cut with an ellipsis, never with lines above the chart's top edge (they were cut off and
    the label's start was lost); the whole label is in the table below the charts."""
    from sim.analysis.charts import charts

    sc = twin("showcase", hostile)
    aar = build_aar(headless_input(sc, 3, "showcase--together"), "controller")
    for chart in charts(aar):
        box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', chart.svg)
        assert box is not None
        height = float(box.group(2))
        for attrs, text in re.findall(r"<text([^>]*)>([^<]*)</text>", chart.svg):
            at = re.search(r'\by="([-\d.]+)"|translate\([-\d.]+ ([-\d.]+)\)', attrs)
            assert at is not None, attrs
            y = float(at.group(1) or at.group(2))
            assert 0 <= y <= height, (chart.label[:40], y, text[:40])
            assert len(html.unescape(text)) <= 80, text
        first = chart.label.split("\n")[0][:40]
        assert html.escape(first, quote=False) in chart.svg, first


def test_the_largest_numbers_of_both_signs_are_charted(tmp_path: Path) -> None:
    """A variable with no bounds set by hand to the largest numbers there are, of both signs:
    the report is written (matplotlib's scale overflowed near 1.8e308) and its chart says how
    its values are scaled."""
    from sim.commands import Adjust
    from sim.loader import load_scenario_text
    from sim.session.journal import start_session
    from sim.session.store import SessionStore

    text = (Path(__file__).resolve().parents[2] / "scenarios" / "quickstart.yaml").read_text(
        encoding="utf-8"
    )
    text = text.replace(
        'monitoring: {initial: 0.1, min: 0, max: 1, label: "monitoring"',
        'monitoring: {initial: 0.1, label: "monitoring"',
    )
    path = tmp_path / "unbounded.yaml"
    path.write_text(text, encoding="utf-8")
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = start_session(store, load_scenario_text(text, str(path)), text, path, 1)
    for value in (1.7e308, -1.7e308, 1e308):
        ex.submit(Adjust(variable="monitoring", value=value, reason="typed"))
        ex.run_until(ex.now + 1)
    ex.end()
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        main, ["report", "1", "--store", str(store.path), "--format", "html", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "monitoring" in page and "<svg" in page
    assert "(÷ 1e+10)" in page
