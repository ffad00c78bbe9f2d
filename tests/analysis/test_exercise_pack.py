"""Exercise packages: the Situation Manual keeps the MSEL's future from the players, the
handbook has it all, the CSV is spreadsheet-safe, and everything is escaped and offline."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from aar_helpers import HOSTILE, URL, bundled, hostile, scenario
from click.testing import CliRunner
from test_aar_report import tags_of

from sim.analysis.cli import PACK_FILES
from sim.analysis.html import handbook_html, manual_html
from sim.analysis.markdown import handbook_markdown, manual_markdown
from sim.analysis.pack import handbook, msel_csv, package, situation_manual, spreadsheet_safe
from sim.cli import main
from sim.schema import Scenario


def staff_only(sc: Scenario) -> list[str]:
    """Texts from the MSEL's future and the staff's notes: never in the Situation Manual."""
    out = [sc.scenario.facilitator_notes, *(m.facilitator_notes for m in sc.scenario.modules)]
    for i in sc.injects:
        out += [i.text, i.notes, i.title or "", *i.expected_actions]
    for d in sc.decisions:
        out += [d.prompt, *(o.label for o in d.options)]
    for t in sc.threats:
        out += [t.title or "", t.description]
    out += [v.label or n for n, v in sc.variables.items() if v.hidden]
    out += [a.brief for a in sc.actors if not a.is_player]
    out += [*sc.scenario.assumptions]
    for o in sc.objectives:
        out += o.evaluation
    info = sc.scenario
    told = " ".join(  # what the author wrote for the players may repeat an inject's words
        [info.title, info.summary, info.purpose, info.scope, *info.ground_rules]
        + [f"{m.title} {m.summary} {' '.join(m.discussion_questions)}" for m in info.modules]
        + [f"{a.name} {a.description} {a.brief}" for a in sc.actors if a.is_player]
        + [o.description for o in sc.objectives]
    )
    return [x for x in out if len(x) >= 8 and x not in told]


def manual_texts(sc: Scenario) -> dict[str, str]:
    m = situation_manual(sc)
    return {"html": manual_html(m), "md": manual_markdown(m)}


@pytest.mark.parametrize("name", [*bundled(), "hostile"])
def test_situation_manual_holds_nothing_from_the_msel(name: str) -> None:
    sc = hostile() if name == "hostile" else scenario(name)
    secrets = staff_only(sc)
    assert secrets
    for fmt, text in manual_texts(sc).items():
        from markupsafe import escape

        from sim.analysis.markdown import md

        for s in secrets:
            shown = str(escape(s)) if fmt == "html" else md(s)
            assert shown not in text, f"{name} {fmt}: {s!r}"
    book = handbook(sc)
    staff = handbook_html(book)
    for i in sc.injects:
        assert str(escape(i.text)) in staff


@pytest.mark.parametrize("name", bundled())
def test_situation_manual_has_every_part(name: str) -> None:
    sc = scenario(name)
    m = situation_manual(sc)
    assert m.purpose and m.ground_rules and m.roles
    assert [r.name for r in m.roles] == [a.name for a in sc.actors if a.is_player]
    assert len(m.objectives) == len(sc.objectives)
    assert len(m.modules) == len(sc.scenario.modules)
    html = manual_html(m)
    for heading in (
        "Purpose",
        "Scope",
        "Objectives",
        "Agenda",
        "Background",
        "Participants and roles",
        "Ground rules",
    ):
        assert heading in html, heading
    for mod in sc.scenario.modules:
        for q in mod.discussion_questions:
            assert manual_markdown(m).count(q.split("'")[0][:20]) >= 1


def test_agenda_uses_module_minutes_and_shares_the_rest_evenly() -> None:
    sc = hostile()
    m = situation_manual(sc)
    assert [a.minutes for a in m.agenda] == [25]
    qs = situation_manual(scenario("quickstart"))
    assert [a.minutes for a in qs.agenda] == [30, 30]
    assert sum(a.minutes for a in qs.agenda) == scenario("quickstart").scenario.session_minutes


def test_handbook_has_msel_contingencies_decisions_and_the_evaluation_guide() -> None:
    sc = scenario("quickstart")
    book = handbook(sc)
    assert {r.id for r in book.msel} | {r.id for r in book.contingencies} == {
        i.id for i in sc.injects
    }
    assert [r.id for r in book.contingencies] == [i.id for i in sc.injects if i.contingency]
    held = book.contingencies[0]
    assert "Fire this if the players ignore the ally" in held.notes
    first = book.msel[0]
    assert first.id == "ally_warning" and first.planned == "2020-07-01 15:00"
    assert first.expected_actions == ("Convene the crisis team", "Decide what to tell the ally")
    follow = next(r for r in book.msel if r.id == "ally_follow_up")
    assert follow.condition == "answer_ally != 'deny'"
    assert [o.description for o in book.objectives] == [o.description for o in sc.objectives]
    assert any("by 2020-07-21" in o.judged for o in book.objectives)
    html = handbook_html(book)
    for part in (
        "Master Scenario Events List",
        "Contingency injects",
        "Evaluation guide",
        "facilitator notes".capitalize(),
    ):
        assert part in html, part
    hb = handbook(hostile())
    assert hb.objectives[0].look_for == ("<watch>{{ me }}</watch>",)
    assert "&lt;watch&gt;{{ me }}&lt;/watch&gt;" in handbook_html(hb)


def test_msel_csv_is_spreadsheet_safe() -> None:
    for value, safe in (
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("plain = text", "plain = text"),
        ("", ""),
    ):
        assert spreadsheet_safe(value) == safe
    sc = hostile()
    rows = list(csv.reader(io.StringIO(msel_csv(handbook(sc)))))
    assert rows[0][:3] == ["id", "module", "planned"]
    assert len(rows) == 1 + len(sc.injects)
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["from"] == "Ally & friends"
    assert first["expected_actions"] == "'@SUM(A1:A9); -2+3"
    assert first["text"].startswith("'+1 {{ inject }}")
    never = dict(zip(rows[0], rows[2], strict=True))
    assert never["id"] == "never" and never["from"] == "'=cmd|' /C calc'!A0"


@pytest.mark.parametrize("name", [*bundled(), "hostile"])
def test_packages_are_escaped_offline_and_deterministic(name: str) -> None:
    sc = hostile() if name == "hostile" else scenario(name)
    a, b = package(sc), package(sc)
    texts = [
        manual_html(a.manual),
        handbook_html(a.handbook),
        manual_markdown(a.manual),
        handbook_markdown(a.handbook),
        msel_csv(a.handbook),
    ]
    again = [
        manual_html(b.manual),
        handbook_html(b.handbook),
        manual_markdown(b.manual),
        handbook_markdown(b.handbook),
        msel_csv(b.handbook),
    ]
    assert texts == again
    for text in texts:
        assert not URL.search(text), URL.search(text)
    for html in texts[:2]:
        page = tags_of(html)
        assert not {"script", "img", "iframe", "a", "b", "em", "q"} & set(page.tags)
        assert page.tags.count("style") == 1
    if name == "hostile":
        assert "{{ 7*7 }}" in texts[0] and "{% raw %}purpose{% endraw %}" in texts[0]
        assert "&lt;/style&gt;&lt;script&gt;caveat()&lt;/script&gt;" in texts[0]
        assert "\\# not a heading" in texts[2] and "\\- not a list" in texts[2]


def test_pack_command_writes_the_package(tmp_path: Path) -> None:
    out = tmp_path / "pkg" / "deep"
    result = CliRunner().invoke(main, ["pack", str(HOSTILE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(PACK_FILES)
    assert "<h1>Situation Manual</h1>" in (out / "situation-manual.html").read_text(
        encoding="utf-8"
    )
    assert (out / "msel.csv").read_bytes().count(b"\r\n") >= 1 + len(hostile().injects)


def test_pack_refuses_a_file_as_directory_and_a_missing_scenario(tmp_path: Path) -> None:
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    result = CliRunner().invoke(main, ["pack", "quickstart", "--out", str(afile)])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["pack", "no-such-scenario", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no file or bundled scenario" in result.output
    assert not (tmp_path / "o").exists()
