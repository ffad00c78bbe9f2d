"""Hostile audit of `tabletop msel import`: the sheet (CSV) side.

A flood of problems is reported capped, and the work of finding them (the did-you-mean
searches) is bounded, as for a scenario (tests/sim/test_hardening.py). A cell the scenario
could not hold is that cell's problem, reported at its row.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import sim.problems as problems_module
from sim.loader import MAX_REPORTED
from sim.problems import HINTS_PER_FILE
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]


def import_sheet(tmp_path: Path, sheet: str, head: str = "") -> tuple[int, str, bytes, Path]:
    scenario = tmp_path / "quickstart.yaml"
    scenario.write_text(head + (ROOT / "scenarios" / "quickstart.yaml").read_text("utf-8"))
    before = scenario.read_bytes()
    csv = tmp_path / "msel.csv"
    csv.write_text(sheet, encoding="utf-8")
    result = CliRunner().invoke(main, ["msel", "import", str(csv), "--into", str(scenario)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr, before, scenario


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_a_character_yaml_forbids_is_the_cells_problem(tmp_path: Path, char: str) -> None:
    sheet = f"time,from,to,title,text\n1,ally,mofa,Title,A{char}B\n"
    code, err, before, scenario = import_sheet(tmp_path, sheet)
    assert code == 1
    assert err.splitlines()[0].endswith(
        f"/msel.csv:2: 'text' holds U+{ord(char):04X}, a character a scenario cannot hold"
    ), err
    assert "would not load" not in err
    assert scenario.read_bytes() == before


def test_a_header_of_thousands_of_unknown_columns_is_capped_and_cheap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    searches = 0
    real = difflib.get_close_matches

    def counted(*args: object, **kw: object) -> list[str]:
        nonlocal searches
        searches += 1
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(problems_module, "get_close_matches", counted)
    scenario = tmp_path / "quickstart.yaml"
    shutil.copy(ROOT / "scenarios" / "quickstart.yaml", scenario)
    before = scenario.read_bytes()
    n = 3_000
    csv = tmp_path / "msel.csv"
    header = "time,from,to,text," + ",".join(f"tme{i}" for i in range(n))
    csv.write_text(header + "\n1,ally,mofa,x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["msel", "import", str(csv), "--into", str(scenario)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_REPORTED + 2, lines[-3:]
    assert lines[-2].endswith(
        f"/msel.csv:1: … and {n - MAX_REPORTED:,} more problems (fix these first)"
    )
    assert lines[-1] == f"{n} problem(s) in 1 row(s); nothing imported"
    assert searches <= HINTS_PER_FILE
    assert scenario.read_bytes() == before


def test_a_format_2_condition_into_a_format_1_scenario_is_the_cells_problem(
    tmp_path: Path,
) -> None:
    """'now' (format 2) in a sheet's condition, into a scenario that says 'format: 1', is that
    cell's problem, at its character, not a line of the scenario the user's file does not have."""
    sheet = "time,from,to,title,text,condition\n1,ally,mofa,Title,Text,ally_trust > now\n"
    code, err, before, scenario = import_sheet(tmp_path, sheet, head="format: 1\n")
    assert code == 1
    assert err.splitlines()[0].endswith(
        "/msel.csv:2:14: 'condition': 'now' is format 2, but the scenario says 'format: 1'"
    ), err
    assert scenario.read_bytes() == before


@pytest.mark.parametrize("title", ["If", "For", "not", "Lambda", "With", "IMPORT", "Return"])
def test_a_title_that_is_a_word_of_expressions_makes_an_id_the_scenario_takes(
    tmp_path: Path, title: str
) -> None:
    """A row without an id is named after its title; a title such as 'If' made the id 'if',
    which no scenario may use, and the whole import failed at a line the file does not have."""
    sheet = f"time,from,to,title,text\n1,ally,mofa,{title},Text\n"
    code, err, _, scenario = import_sheet(tmp_path, sheet)
    assert code == 0, err
    assert "would not load" not in err
    after = scenario.read_text("utf-8")
    assert f"- id: {title.lower()}\n" not in after and f"- id: {title.lower()}_2\n" in after


@pytest.mark.parametrize("word", ["and", "if", "lambda", "none"])
def test_an_id_cell_that_is_a_word_of_expressions_is_the_rows_problem(
    tmp_path: Path, word: str
) -> None:
    sheet = f"id,time,from,to,text\n{word},1,ally,mofa,Text\n"
    code, err, before, scenario = import_sheet(tmp_path, sheet)
    if word == "none":  # 'None' is the keyword; 'none' is an id like any other
        assert code == 0, err
        return
    assert code == 1
    assert err.splitlines()[0].endswith(
        f"/msel.csv:2: '{word}' is a word of the expression language and cannot be an id;"
        " choose another"
    ), err
    assert "would not load" not in err
    assert scenario.read_bytes() == before


def test_a_text_cell_of_characters_that_print_as_nothing_is_the_rows_problem(
    tmp_path: Path,
) -> None:
    """As a scenario refuses such text, the row is refused at its row, not the scenario at a
    line the file does not have."""
    sheet = "time,from,to,title,text\n1,ally,mofa,Title,\u200b\u00ad\n"
    code, err, before, scenario = import_sheet(tmp_path, sheet)
    assert code == 1
    assert err.splitlines()[0].endswith("/msel.csv:2: 'text' is empty"), err
    assert "would not load" not in err
    assert scenario.read_bytes() == before
