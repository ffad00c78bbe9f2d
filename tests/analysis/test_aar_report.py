"""The after-action report: content, escaping, determinism, offline, and the players' edition."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from aar_helpers import HOSTILE, URL, all_formats, bundled, hostile, playbooks, run, scenario

from sim import events as ev
from sim.analysis.model import AarInput, PlanRow, SessionInfo, build_aar
from sim.analysis.sources import headless_input, with_branch
from sim.deciders import DefaultDecider, play
from sim.engine import Exercise

SECRET = re.compile(r"SECRET-[A-Z-]+")


class Tags(HTMLParser):
    """Every start tag and attribute name of a page, and the text of its <style> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: set[str] = set()
        self.stack: list[str] = []
        self.style = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs |= {name for name, _ in attrs}
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "style":
            self.style += data


def tags_of(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


# --- content ----------------------------------------------------------------------------------


def test_overview_objectives_decisions_and_plan_from_a_run() -> None:
    source = run("quickstart", 2020, "quickstart--go-it-alone")
    aar = build_aar(source, "controller")
    o = aar.overview
    assert o.scenario == "quickstart" and o.seed == 2020
    assert o.participants == (
        "Ministry of Foreign Affairs",
        "National cyber security centre",
        "Cabinet Office",
    )
    assert o.scenario_start.startswith("2020-07-01 09:00")
    assert o.scenario_duration == "30 d"
    assert o.wall_start == ""  # a headless run has no wall clock
    ids = [x.id for x in aar.objectives]
    assert ids == [x.id for x in source.scenario.objectives]
    ratings = {
        r.objective: r.rating
        for r in source.exercise.records
        if isinstance(r, ev.ObjectiveEvaluated)
    }
    assert {x.id: x.rating for x in aar.objectives} == ratings
    made = [r for r in source.exercise.records if isinstance(r, ev.DecisionMade)]
    assert [d.decision for d in aar.decisions] == [r.decision for r in made]
    assert [d.number for d in aar.decisions] == list(range(1, len(made) + 1))
    missed = [x.id for x in aar.objectives if x.rating != "met"]
    assert missed, "go-it-alone should miss something with this seed"
    assert aar.plan_drafted and [p.objective for p in aar.plan] == missed
    assert [f.objective for f in aar.improvements if f.source == "rating"] == missed


def facilitated(seed: int = 2020) -> Exercise:
    """Quickstart as a room plays it: a decision after 3 hours with its rationale, observations."""
    ex = Exercise(scenario("quickstart"), seed)
    ex.run_until_decision()
    opened = ex.open_decisions["answer_ally"].opened
    ex.run_until(opened + 3)
    ex.decide("answer_ally", "cooperate", by="players", reason="The ally must see we trust them")
    ex.observe("The room argued well", "keep_the_alliance", "strength")
    ex.observe("Nobody called the press office", assessment="improvement")
    play(ex, DefaultDecider())
    return ex


def test_decision_took_rationale_and_observations_come_from_the_exercise() -> None:
    ex = facilitated()
    source = AarInput(ex, tuple(ex.command_log))
    for audience in ("players", "controller"):
        aar = build_aar(source, audience)  # type: ignore[arg-type]
        first = aar.decisions[0]
        assert first.decision == "answer_ally" and first.took == "3 h" and first.by == "players"
        assert first.rationale == "The ally must see we trust them"
        assert any(
            f.text == "The room argued well" and f.source == "observation" for f in aar.strengths
        )
        assert any(f.text == "Nobody called the press office" for f in aar.improvements)
        assert [t.kind for t in aar.timeline].count("observation") == 2
    deadline = next(d for d in build_aar(source, "players").decisions if d.by == "deadline")
    assert deadline.rationale == "no decision by the deadline"
    html = all_formats(source, "players")["html"]
    assert "The ally must see we trust them" in html and "3 h" in html


def test_session_times_and_an_edited_plan_are_shown() -> None:
    source = run("quickstart", 1)
    session = SessionInfo(
        "s-42", datetime(2026, 3, 1, 9, 0, tzinfo=UTC), datetime(2026, 3, 1, 11, 30, tzinfo=UTC)
    )
    plan = (
        PlanRow(
            "keep_the_alliance",
            "Told the ally late",
            "Write a notification playbook",
            "MOFA",
            "2026-06-30",
        ),
    )
    out = all_formats(replace(source, session=session, plan=plan), "players")
    assert "2 h 30 min" in out["html"] and "s-42" in out["html"]
    assert "Write a notification playbook" in out["md"]
    data = json.loads(out["json"])
    assert data["plan"][0]["due"] == "2026-06-30" and data["plan_drafted"] is False
    assert data["overview"]["wall_duration"] == "2 h 30 min"


def test_what_if_compares_two_playbooks_on_the_same_seed() -> None:
    sc = scenario("quickstart")
    a = headless_input(sc, 2020, "quickstart--cooperate")
    b = headless_input(sc, 2020, "quickstart--go-it-alone")
    aar = build_aar(with_branch(a, b), "players")
    assert aar.comparison is not None
    assert aar.comparison.label_a == "quickstart--cooperate"
    assert aar.comparison.label_b == "quickstart--go-it-alone"
    assert len(aar.comparison.objectives) == len(sc.objectives)
    rows = {r[0]: (r[1], r[2]) for r in aar.comparison.decisions}
    assert (
        rows["How do you answer the ally's warning?"][0]
        != rows["How do you answer the ally's warning?"][1]
    )
    html = all_formats(with_branch(a, b), "players")["html"]
    assert "What if" in html and html.count("<svg") == len(aar.series)
    assert html.count("stroke-dasharray") > 0  # the branch is drawn dashed


def test_what_if_refuses_another_scenario() -> None:
    a = run("quickstart", 1)
    b = run("olympics-2020", 1)
    with pytest.raises(ValueError, match="same scenario"):
        build_aar(with_branch(a, b), "players")


def test_an_unfinished_exercise_has_no_report() -> None:
    with pytest.raises(ValueError, match="finished"):
        build_aar(AarInput(Exercise(scenario("quickstart"), 1)), "players")


def test_charts_one_per_visible_variable_with_decisions_marked() -> None:
    source = run("quickstart", 2020, "quickstart--cooperate")
    players = build_aar(source, "players")
    controller = build_aar(source, "controller")
    hidden = [n for n, v in source.scenario.variables.items() if v.hidden]
    assert [s.variable for s in controller.series] == list(source.scenario.variables)
    assert all(s.variable not in hidden for s in players.series)
    html = all_formats(source, "players")["html"]
    assert html.count("<svg") == len(players.series)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids must be unique across charts"


# --- escaping ---------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["players", "controller"])
def test_hostile_text_is_shown_literally_in_html(audience: str) -> None:
    source = headless_input(hostile(), None, None)
    html = all_formats(source, audience)["html"]  # type: ignore[arg-type]
    page = tags_of(html)
    assert "script" not in page.tags and "img" not in page.tags and "iframe" not in page.tags
    assert "a" not in page.tags and "b" not in page.tags and "em" not in page.tags
    assert not {a for a in page.attrs if a.startswith("on")}, "no event handler attributes"
    assert page.tags.count("style") == 1 and html.count("</style>") == 1
    assert "{{ 7*7 }}" in html and "{% if true %}jinja{% endif %}" in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert "&lt;/style&gt;&lt;script&gt;caveat()&lt;/script&gt;" in html  # the caveat, twice
    # The chart's title and unit come from the scenario and stay text inside the SVG:
    assert "trust &lt;script&gt;x&lt;/script&gt; $x^2$ {{ t }}" in html


def test_hostile_text_is_shown_literally_in_markdown_and_json() -> None:
    source = headless_input(hostile(), None, None)
    out = all_formats(source, "controller")
    md = out["md"]
    assert "<" not in md.replace("&lt;", "") and ">" not in md.replace("&gt;", "").replace("→", "")
    assert "\\[link\\](javascript:alert(2))" in md
    assert "\\*bold\\* \\| pipe \\|" in md
    for block in re.findall(r"(?:^\|.*\n)+", md, re.MULTILINE):
        widths = {len(re.findall(r"(?<!\\)\|", line)) for line in block.splitlines()}
        assert len(widths) == 1, f"a cell broke its table:\n{block}"
    data = json.loads(out["json"])
    assert data["overview"]["title"] == hostile().scenario.title


# --- determinism and offline ------------------------------------------------------------------


def test_same_input_same_bytes_even_in_another_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = run("olympics-2020", 3, "olympics-2020--hard-line")
    first = all_formats(source, "controller")
    again = all_formats(run("olympics-2020", 3, "olympics-2020--hard-line"), "controller")
    assert first == again
    out = tmp_path / "aar.html"
    cmd = [
        sys.executable,
        "-c",
        "from tui.cli import run_main; run_main()",
        "report",
        "olympics-2020",
        "--seed",
        "3",
        "--playbook",
        "olympics-2020--hard-line",
        "--audience",
        "controller",
        "--out",
        str(out),
    ]
    subprocess.run(cmd, check=True, capture_output=True)
    assert out.read_bytes() == first["html"].encode("utf-8")


@pytest.mark.parametrize("name", bundled())
def test_no_url_in_any_output(name: str) -> None:
    book = (playbooks(name) or [None])[0]
    main = run(name, 5, book)
    other = run(name, 5, playbooks(name)[-1] if playbooks(name) else None)
    for audience in ("players", "controller"):
        for fmt, text in all_formats(with_branch(main, other), audience).items():  # type: ignore[arg-type]
            assert not URL.search(text), f"{name} {audience} {fmt}: {URL.search(text)}"
            assert "xmlns" not in text and "<?xml" not in text


# --- the players' edition ---------------------------------------------------------------------


def controller_only(source: AarInput) -> list[str]:
    """Texts the players must never read: notes, reasons, hidden things, undelivered injects."""
    ex = source.exercise
    sc = ex.scenario
    players = ex.visible(controller=False)
    delivered = {r.inject for r in players if isinstance(r, ev.InjectDelivered)}
    known = {r.threat for r in players if isinstance(r, ev.ThreatDetected | ev.ThreatStopped)}
    out = [sc.scenario.facilitator_notes, *(m.facilitator_notes for m in sc.scenario.modules)]
    out += [i.notes for i in sc.injects]
    out += [r.text for r in ex.records if isinstance(r, ev.FacilitatorNote)]
    out += [r.reason for r in ex.records if isinstance(r, ev.VariableChanged | ev.InjectDelivered)]
    out += [
        r.hidden_cause
        for r in ex.records
        if isinstance(r, ev.VariableChanged)
        and r.hidden_cause.split(":")[-1].split(".")[0] not in known
    ]
    for name, var in sc.variables.items():
        if var.hidden:
            out += [name, var.label or name]
    for t in sc.threats:
        if t.id not in known:
            out += [t.id, t.title or t.id, t.description]
    for i in sc.injects:
        if i.id not in delivered:
            out += [i.text, i.id]
    return [x for x in out if x and len(x) >= 4]


def add_controller_content(ex: Exercise) -> None:
    """Facilitator actions the players' edition must hide: a note and an adjustment."""
    ex.run_until_decision()
    ex.note("CONTROLLER-NOTE-xyzzy")
    var = next(n for n, v in ex.scenario.variables.items() if not v.hidden)
    ex.adjust(var, float(ex.value(var)), "ADJUST-REASON-plugh")
    spec = ex.scenario.variables[var]
    target = spec.max if spec.max is not None else float(ex.value(var)) + 1
    ex.adjust(var, target if target != ex.value(var) else (spec.min or 0.0), "ADJUST-REASON-plugh")


def leaks(text: str, secrets: list[str]) -> list[str]:
    return [s for s in secrets if re.search(r"(?<![\w-])" + re.escape(s) + r"(?![\w-])", text)]


@pytest.mark.parametrize("name", bundled())
@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_players_edition_holds_no_controller_content(name: str, seed: int) -> None:
    sc = scenario(name)
    books = [None, *playbooks(name)]
    book = books[seed % len(books)]
    source = headless_input(sc, seed, book)
    ex = Exercise(sc, seed)
    add_controller_content(ex)
    play(ex, DefaultDecider())
    formats = ("html", "md", "json") if seed == 1 else ("md", "json")  # charts are slow to draw
    for src in (source, AarInput(ex, label="facilitated")):
        secrets = controller_only(src)
        players = all_formats(src, "players", formats)
        for fmt, text in players.items():
            assert not leaks(text, secrets), f"{name} seed {seed} {fmt}: {leaks(text, secrets)}"
    controller = all_formats(AarInput(ex), "controller", ("md",))["md"]
    assert "CONTROLLER-NOTE-xyzzy" in controller and "ADJUST-REASON-plugh" in controller


def test_hostile_players_edition_hides_every_marked_secret() -> None:
    source = headless_input(hostile(), None, None)
    players = all_formats(source, "players")
    controller = all_formats(source, "controller")
    for fmt in players:
        assert not SECRET.search(players[fmt]), (fmt, SECRET.findall(players[fmt]))
    # the controller's edition has the hidden variable and the undetected threat
    assert "SECRET-STOLEN-LABEL" in controller["html"] or "stolen" in controller["html"]
    assert HOSTILE.exists()


def test_control_characters_from_a_session_are_shown_as_escapes() -> None:
    ex = Exercise(scenario("quickstart"), 1)
    ex.run_until_decision()
    ex.observe("clear\x1b[2J screen \u202etxet", assessment="improvement")
    play(ex, DefaultDecider())
    for fmt, text in all_formats(AarInput(ex), "players").items():
        assert "\x1b" not in text and "\u202e" not in text, fmt
    html = all_formats(AarInput(ex), "players", ("html", "md"))
    assert "clear\\x1b[2J screen \\u202etxet" in html["html"]
    assert "clear\\\\x1b\\[2J screen \\\\u202etxet" in html["md"]  # and Markdown-escaped
