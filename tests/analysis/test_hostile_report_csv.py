"""The MSEL as a spreadsheet: text that looks like a formula goes out neutralised and comes
back as it was.

`tabletop pack` writes a cell that starts like a formula (``=``, ``+``, ``-``, ``@``, tab,
carriage return) with a leading apostrophe (OWASP's advice on CSV injection), and
`tabletop msel import` reads a cell that starts with an apostrophe before such a character
as the text after the apostrophe. A text that itself starts with apostrophes before a
formula character gets one more, so every text survives the trip: the rule is one-to-one.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.analysis.pack import handbook, msel_csv, spreadsheet_safe
from sim.bundled import resolve
from sim.loader import load_scenario
from tui.cli import main

TEXTS = [
    "=1+1",
    "+1 more",
    "-2",
    "@SUM(A1:A9)",
    '=HYPERLINK("http://example.invalid","click")',
    "'=already quoted",
    "''+twice quoted",
    "'quoted' is plain",
    "plain = text, with a comma",
    'a "quote", a comma\nand a second line',
    "=cmd|' /C calc'!A0",
]
"""Inject texts a spreadsheet must never run; each must come back unchanged."""


def test_the_rule_is_one_to_one() -> None:
    seen = {spreadsheet_safe(t): t for t in TEXTS}
    assert len(seen) == len(TEXTS)
    assert spreadsheet_safe("'=already quoted") == "''=already quoted"
    assert spreadsheet_safe("'quoted' is plain") == "'quoted' is plain"
    for cell in seen:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    """Quickstart with one inject per hostile text (as its title, text and notes)."""
    source = resolve("quickstart")
    assert source is not None
    path = tmp_path / "quickstart.yaml"
    shutil.copy(source, path)
    text = path.read_text(encoding="utf-8")
    added = "".join(
        f"  - id: hostile_{k}\n    at: {k + 1}\n    from: ally\n    to: [mofa]\n"
        f"    invented: true\n    title: {quote(t.splitlines()[0])}\n    text: {quote(t)}\n"
        f"    notes: {quote(t)}\n    expected_actions: [{quote(t.splitlines()[0])}]\n"
        for k, t in enumerate(TEXTS)
    )
    start = text.index("\ninjects:\n") + len("\ninjects:\n")
    path.write_text(text[:start] + added + text[start:], encoding="utf-8")
    return path


def quote(text: str) -> str:
    return json.dumps(text)


def test_exported_msel_imports_back_with_the_same_text(tmp_path: Path, scenario: Path) -> None:
    """Export with `pack`, keep the columns `msel import` reads (as a planner does in the
    sheet), import into the same scenario: every text is the one exported."""
    model = load_scenario(scenario)
    rows = list(csv.DictReader(io.StringIO(msel_csv(handbook(model)))))
    hostile = [r for r in rows if r["id"].startswith("hostile_")]
    assert [r["text"] for r in hostile] == [spreadsheet_safe(t) for t in TEXTS]
    sheet = io.StringIO()
    writer = csv.writer(sheet)
    writer.writerow(["time", "from", "to", "title", "text", "notes", "expected actions"])
    for r in hostile:
        cells = [r["planned"], r["from"], r["to"], r["title"], r["text"], r["notes"]]
        writer.writerow([*cells, r["expected_actions"]])
    path = tmp_path / "msel-edited.csv"
    path.write_text(sheet.getvalue(), encoding="utf-8", newline="")
    result = CliRunner().invoke(main, ["msel", "import", str(path), "--into", str(scenario)])
    assert result.exit_code == 0, result.stderr
    after = load_scenario(scenario).injects[-len(TEXTS) :]
    assert [i.text for i in after] == TEXTS
    assert [i.notes for i in after] == TEXTS
    assert [i.title for i in after] == [t.splitlines()[0] for t in TEXTS]
    assert [i.expected_actions for i in after] == [[t.splitlines()[0]] for t in TEXTS]


def test_an_unquoted_formula_is_still_refused(tmp_path: Path, scenario: Path) -> None:
    path = tmp_path / "typed.csv"
    path.write_text(
        'time,from,to,text\n1,ally,mofa,"=HYPERLINK(""http://x"")"\n2,ally,mofa,"\'=kept"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["msel", "import", str(path), "--into", str(scenario)])
    assert result.exit_code == 1
    assert "typed.csv:2: 'text' starts with '=' like a spreadsheet formula" in result.stderr
    assert "typed.csv:3" not in result.stderr  # the quoted one is text
    path.write_text('time,from,to,text\n2,ally,mofa,"\'=kept"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["msel", "import", str(path), "--into", str(scenario)])
    assert result.exit_code == 0, result.stderr
    assert load_scenario(scenario).injects[-1].text == "=kept"


def test_actor_names_with_commas_semicolons_and_pipes_come_back(
    tmp_path: Path, scenario: Path
) -> None:
    """The MSEL names the recipients joined by ', '; a name that holds ',', ';' or '|' (the
    import's separators) is still found whole."""
    text = scenario.read_text(encoding="utf-8")
    text = text.replace(
        "name: Ministry of Foreign Affairs,", 'name: "Foreign Affairs, Ministry of",'
    )
    text = text.replace("name: Cabinet Office,", 'name: "Cabinet; Office | of the PM",')
    text = text.replace("to: [mofa]\n", "to: [mofa, cabinet, nisc]\n")
    scenario.write_text(text, encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(msel_csv(handbook(load_scenario(scenario))))))
    row = next(r for r in rows if r["id"] == "hostile_8")
    assert row["to"] == (
        "Foreign Affairs, Ministry of, Cabinet; Office | of the PM, National cyber security centre"
    )
    path = tmp_path / "names.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(
            [["time", "from", "to", "text"], ["3", row["from"], row["to"], "x"]]
        )
    result = CliRunner().invoke(main, ["msel", "import", str(path), "--into", str(scenario)])
    assert result.exit_code == 0, result.stderr
    assert load_scenario(scenario).injects[-1].to == ["mofa", "cabinet", "nisc"]


def test_expected_actions_holding_semicolons_come_back_whole(
    tmp_path: Path, scenario: Path
) -> None:
    actions = ["Call the ally; agree one line", "=Tell the press", "Brief the cabinet"]
    text = scenario.read_text(encoding="utf-8")
    old = '    expected_actions: ["=1+1"]\n'
    assert old in text
    scenario.write_text(text.replace(old, f"    expected_actions: {quote_list(actions)}\n"))
    rows = list(csv.DictReader(io.StringIO(msel_csv(handbook(load_scenario(scenario))))))
    row = next(r for r in rows if r["id"] == "hostile_0")
    path = tmp_path / "actions.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(
            [
                ["time", "from", "to", "text", "expected actions"],
                ["3", "ally", "mofa", "x", row["expected_actions"]],
            ]
        )
    result = CliRunner().invoke(main, ["msel", "import", str(path), "--into", str(scenario)])
    assert result.exit_code == 0, result.stderr
    assert load_scenario(scenario).injects[-1].expected_actions == actions
    assert (
        row["expected_actions"]
        == "Call the ally; agree one line\n=Tell the press\nBrief the cabinet"
    )


def quote_list(items: list[str]) -> str:
    return "[" + ", ".join(quote(i) for i in items) + "]"
