"""Markdown documents keep their structure whatever the scenario's text holds.

Every free-text field of a bundled scenario is replaced by a multi-line text full of Markdown
(headings, setext underlines, blank lines then indented code, tables, lists, quotes, fences,
HTML, links, emphasis). A real CommonMark parser (markdown-it-py, with GFM tables) reads the
document made from it and from a plain twin: the two must have the same headings, lists,
tables and inline markup, and nothing of the scenario may become code, HTML or a link.
"""

from __future__ import annotations

from typing import Any

import pytest
from aar_helpers import scenario
from hostile_text import hostile, plain, twin

from sim.analysis.markdown import aar_markdown, handbook_markdown, manual_markdown
from sim.analysis.model import AarInput, PlanRow, build_aar
from sim.analysis.pack import package
from sim.analysis.sources import headless_input, with_branch
from sim.deciders import DefaultDecider, play
from sim.engine import Exercise

markdown_it = pytest.importorskip("markdown_it")

NEVER = {"code_block", "fence", "html_block", "html_inline", "link_open", "image", "code_inline"}


def parse(text: str) -> list[Any]:
    return list(markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text))


def structure(text: str) -> list[str]:
    """Block and inline token types, one run of paragraphs counted as one."""
    out: list[str] = []
    for token in parse(text):
        if token.type == "inline":
            out += [c.type for c in token.children or () if c.type not in ("text", "softbreak")]
            continue
        kind = f"{token.type}:{token.tag}" if token.type.startswith("heading") else token.type
        if kind == "paragraph_open" and out[-1:] == ["paragraph_close"]:
            out.pop()  # the same text written as two paragraphs is still one place
            continue
        if kind == "paragraph_close" and out[-1:] == ["paragraph_close"]:
            continue
        out.append(kind)
    return [k for k in out if k != "hardbreak"]


def documents(make: Any) -> dict[str, str]:
    sc = twin("showcase", make)
    main = headless_input(sc, 3, "showcase--together")
    source = with_branch(main, headless_input(sc, 3, "showcase--alone"))
    made = package(sc)
    caveat = sc.scenario.handling
    return {
        "aar players": aar_markdown(build_aar(source, "players"), caveat),
        "aar controller": aar_markdown(build_aar(source, "controller"), caveat),
        "situation manual": manual_markdown(made.manual),
        "handbook": handbook_markdown(made.handbook),
    }


@pytest.fixture(scope="module")
def both() -> tuple[dict[str, str], dict[str, str]]:
    return documents(hostile), documents(plain)


@pytest.mark.parametrize("name", ["aar players", "aar controller", "situation manual", "handbook"])
def test_hostile_text_keeps_the_markdown_structure(
    both: tuple[dict[str, str], dict[str, str]], name: str
) -> None:
    bad, good = both[0][name], both[1][name]
    assert "=T.scenario.title" in bad  # the hostile text is there...
    kinds = {t.type for t in parse(bad)} | {
        c.type for t in parse(bad) if t.type == "inline" for c in t.children or ()
    }
    assert not kinds & NEVER, f"{name}: {kinds & NEVER}"  # ...never as code, HTML or a link
    assert structure(bad) == structure(good), name


def test_a_multi_line_title_stays_in_its_heading(
    both: tuple[dict[str, str], dict[str, str]],
) -> None:
    """A heading made from a multi-line objective or module title holds all of its lines."""
    tokens = parse(both[0]["handbook"])
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    objective = next(h for h in headings if "objectives0.description" in h)
    assert "first line" in objective and "indented four" in objective and "fence" in objective


def session(make: Any) -> AarInput:
    """Quickstart as a facilitated session whose every typed text is ``make(where)``."""
    ex = Exercise(scenario("quickstart"), 2020)
    ex.run_until_decision()
    ex.decide("answer_ally", "deny", by="players", reason=make("reason"))
    ex.observe(make("observation"), assessment="improvement")
    ex.observe(make("strength"), assessment="strength")
    ex.note(make("note"))
    var = next(n for n, v in ex.scenario.variables.items() if not v.hidden)
    ex.adjust(var, float(ex.value(var)) + 0.01, make("adjust"))
    play(ex, DefaultDecider())
    row = PlanRow("keep_the_alliance", make("issue"), make("action"), make("owner"), make("due"))
    return AarInput(ex, plan=(row,))


@pytest.mark.parametrize("audience", ["players", "controller"])
def test_text_typed_in_a_session_keeps_the_markdown_structure(audience: str) -> None:
    """Observations, rationale, notes and plan rows typed by the facilitator (control codes
    and all) are escaped like the scenario's text."""
    typed = {k: f"={k}: \x1b[2J\u202e {hostile(k)}" for k in ("observation", "reason", "issue")}
    bad = aar_markdown(build_aar(session(lambda k: typed.get(k, hostile(k))), audience))
    good = aar_markdown(build_aar(session(plain), audience))
    assert "=observation" in bad and "=issue" in bad and "\x1b" not in bad
    kinds = {t.type for t in parse(bad)} | {
        c.type for t in parse(bad) if t.type == "inline" for c in t.children or ()
    }
    assert not kinds & NEVER, kinds & NEVER
    assert structure(bad) == structure(good)


def test_a_heading_keeps_the_hashes_its_text_ends_with() -> None:
    """'Module 2 ##' as a heading would lose its '##' (Markdown's optional closing marks)."""
    sc = twin("showcase", lambda where: f"{where} in C# ##")
    made = package(sc)
    for text in (manual_markdown(made.manual), handbook_markdown(made.handbook)):
        tokens = parse(text)
        headings = [
            "".join(c.content for c in tokens[i + 1].children or ())
            for i, t in enumerate(tokens)
            if t.type == "heading_open"
        ]
        ours = [h for h in headings if "in C#" in h]
        assert ours, headings
        for heading in ours:
            assert "in C# ##" in heading, heading
