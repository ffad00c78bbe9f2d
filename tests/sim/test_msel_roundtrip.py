"""The MSEL round trip: `tabletop pack` writes msel.csv, a planner edits it in a spreadsheet,
`tabletop msel import` reads it back. What the sheet can say (a fixed time or a held
contingency inject, its condition, the decision it poses, its texts) comes back field by
field; what it cannot (an inject that follows another event or waits for a condition) is
named, row by row, and nothing is written."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from sim.authoring.msel import MselImportError, inject_yaml, read_msel_csv
from sim.bundled import bundled_scenarios
from sim.loader import load_scenario
from sim.schema import Inject, Scenario
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
PACK_HEADER = (
    "id,module,planned,trigger,condition,from,to,title,text,decision,expected_actions,notes,"
    "contingency"
)


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def packed(scenario: Path, tmp_path: Path) -> Path:
    code, _, err = invoke("pack", str(scenario), "--out", str(tmp_path / "package"))
    assert code == 0, err
    return tmp_path / "package" / "msel.csv"


def representable(inj: Inject) -> bool:
    return inj.contingency or inj.trigger_kind() == "at"


def sheet_fields(inj: Inject) -> tuple[object, ...]:
    """The fields of an inject that msel.csv carries (its text without the trailing line
    break of a YAML block, as the import trims every cell; an untitled inject's title is its id, as the MSEL shows it)."""
    return (
        inj.id,
        inj.at,
        inj.contingency,
        inj.only_if,
        inj.sender,
        inj.to,
        inj.title or inj.id,
        inj.text.strip(),
        inj.decision,
        inj.expected_actions,
        inj.notes.strip(),
        inj.probability if not inj.contingency else None,  # firing always delivers it
    )


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def keep_rows(path: Path, ids: set[str], out: Path) -> Path:
    text = path.read_text(encoding="utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for n, row in enumerate(reader):
        if n == 0 or row[0] in ids:
            writer.writerow(row)
    out.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return out


def without_injects(scenario: Scenario) -> Scenario:
    return scenario.model_copy(update={"injects": []})


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_every_bundled_msel_round_trips(path: Path, tmp_path: Path) -> None:
    original = load_scenario(path)
    sheet = packed(path, tmp_path)
    assert sheet.read_text(encoding="utf-8").splitlines()[0] == PACK_HEADER
    target = without_injects(original)
    ids_by_row = {n: r["id"] for n, r in enumerate(rows_of(sheet), start=2)}
    cannot = {i.id for i in original.injects if not representable(i)}
    can = {i.id for i in original.injects if representable(i)}
    assert can, "every bundled scenario has injects at a fixed time"

    # the whole sheet: every inject it cannot represent is named, by row; nothing else
    if cannot:
        with pytest.raises(MselImportError) as refused:
            read_msel_csv(sheet, target)
        named = {ids_by_row[p.row] for p in refused.value.problems}
        assert named == cannot
        for p in refused.value.problems:
            assert "is not a fixed time" in p.message and ids_by_row[p.row] in p.message
    # the rows it can represent come back field by field, through the YAML it writes
    rows = keep_rows(sheet, can, tmp_path / "representable.csv")
    imported = read_msel_csv(rows, target)
    assert {i.id for i in imported} == can
    by_id = {i.id: i for i in original.injects}
    for inj in imported:
        back = Inject.model_validate(yaml.safe_load(inject_yaml(inj, "", "msel.csv"))[0])
        assert sheet_fields(back) == sheet_fields(by_id[inj.id]), inj.id


def strip_injects(text: str, ids: set[str]) -> str:
    """The scenario text without the listed injects (items of its block `injects:` list)."""
    out, skipping, in_injects = [], False, False
    for line in text.splitlines(keepends=True):
        if re.match(r"\w", line):
            in_injects = line.startswith("injects:")
            skipping = False
        elif in_injects and (m := re.match(r"  - id: (\w+)", line)):
            skipping = m.group(1) in ids
        if not skipping:
            out.append(line)
    return "".join(out)


def test_pack_then_import_into_the_scenario_without_those_injects(tmp_path: Path) -> None:
    source = ROOT / "scenarios" / "quickstart.yaml"
    original = load_scenario(source)
    can = {i.id for i in original.injects if representable(i)}
    assert {"ally_warning", "ally_follow_up", "ally_doubts"} <= can  # decision, if, contingency
    target = tmp_path / "draft.yaml"
    target.write_text(strip_injects(source.read_text(encoding="utf-8"), can), encoding="utf-8")
    assert not can & {i.id for i in load_scenario(target).injects}
    sheet = keep_rows(packed(source, tmp_path), can, tmp_path / "edited.csv")

    code, _, err = invoke("msel", "import", str(sheet), "--into", str(target))
    assert code == 0, err
    assert f"imported {len(can)} injects" in err
    back = {i.id: i for i in load_scenario(target).injects}
    for inj in original.injects:
        if inj.id in can:
            assert sheet_fields(back[inj.id]) == sheet_fields(inj), inj.id

    # importing the same sheet again: every id is taken, the message says what to do
    before = target.read_bytes()
    code, _, err = invoke("msel", "import", str(sheet), "--into", str(target))
    assert code == 1 and target.read_bytes() == before
    assert err.count("is already used in the scenario") == len(can)
    assert "delete it from the scenario first" in err and "empty its id cell" in err


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "quickstart.yaml"
    shutil.copy(ROOT / "scenarios" / "quickstart.yaml", path)
    return path


def write_sheet(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "msel.csv"
    path.write_text("\r\n".join([PACK_HEADER, *rows]) + "\r\n", encoding="utf-8", newline="")
    return path


ROW = "{id},warning,{planned},{trigger},{condition},ally,mofa,A title,Some text,{decision},,,{cont}"


def row(**cells: str) -> str:
    base = {
        "id": "",
        "planned": "2020-07-01 12:00",
        "trigger": "",
        "condition": "",
        "decision": "",
        "cont": "",
    }
    return ROW.format(**{**base, **cells})


def test_bad_pack_rows_are_each_reported_and_nothing_is_written(
    tmp_path: Path, scenario: Path
) -> None:
    before = scenario.read_bytes()
    sheet = write_sheet(
        tmp_path,
        row(id="good_one"),  # row 2: good
        row(planned=""),  # 3: empty planned
        row(decision="Shall we dance?"),  # 4: unknown decision
        row(condition="data_exposed >> "),  # 5: a condition that does not compile
        row(condition="no_such_name > 1"),  # 6: an unknown name in the condition
        row(cont="maybe"),  # 7: contingency neither yes nor no
        row(cont="yes"),  # 8: a contingency inject with a time
        row(trigger="uniform 6–18 hours after answer_ally"),  # 9: follows an event
        row(planned="about 2020-07-01 20:00"),  # 10: an estimate, not a time
        row(planned="held", cont="no"),  # 11: held but not a contingency
        row(condition="=1+1"),  # 12: a formula
        row(decision="@SUM(A1)"),  # 13: a formula
        row(planned="=NOW()"),  # 14: a formula
        row(id="ally_warning"),  # 15: the id is taken
        row(id="good_one"),  # 16: the id is taken by row 2
        row(cont="=TRUE()"),  # 17: a formula
        row(trigger="at 2020-07-01 12:00\x1b[2J (t=3 hours)"),  # 18: a control character
        row(condition="(" * 5_000 + "1" + ")" * 5_000),  # 19: nested too deeply
    )
    code, _, err = invoke("msel", "import", str(sheet), "--into", str(scenario))
    assert code == 1
    assert scenario.read_bytes() == before
    assert "Traceback" not in err
    problems = [line for line in err.splitlines() if line.startswith(str(sheet))]
    rows = [int(line[len(str(sheet)) + 1 :].split(":")[0]) for line in problems]
    assert rows == list(range(3, 20))
    by_row = dict(zip(rows, problems, strict=True))
    assert "'planned' is empty" in by_row[3]
    assert "unknown decision 'Shall we dance?'" in by_row[4]
    assert re.search(r"msel\.csv:5:\d+: 'condition': ", by_row[5])
    assert "msel.csv:6:1: 'condition': " in by_row[6] and "no_such_name" in by_row[6]
    assert "contingency 'maybe' must be true, false, yes, no or empty" in by_row[7]
    assert "a contingency inject has no time" in by_row[8]
    assert "is not a fixed time" in by_row[9]
    assert "is an estimate, not a time" in by_row[10]
    assert "'contingency' is no, but the inject is 'held'" in by_row[11]
    for n in (12, 13, 14):
        assert "like a spreadsheet formula" in by_row[n]
    assert "id 'ally_warning' is already used in the scenario" in by_row[15]
    assert "delete it from the scenario first" in by_row[15]
    assert "id 'good_one' is already used by row 2" in by_row[16]
    assert "like a spreadsheet formula" in by_row[17]
    assert "control character (U+001B)" in by_row[18] and "\x1b" not in err
    assert "'condition': " in by_row[19]
    assert "17 problem(s) in 17 row(s); nothing imported" in err


def test_two_rows_with_the_same_new_id_clash_even_when_the_first_has_problems(
    tmp_path: Path, scenario: Path
) -> None:
    """Both rows are told: the first its own problem, the second that its id is taken."""
    sheet = write_sheet(tmp_path, row(id="twice", planned=""), row(id="twice"))
    code, _, err = invoke("msel", "import", str(sheet), "--into", str(scenario))
    assert code == 1
    problems = [line for line in err.splitlines() if line.startswith(str(sheet))]
    assert len(problems) == 2
    assert "'planned' is empty" in problems[0]
    assert "id 'twice' is already used by row 2" in problems[1]


def test_pack_columns_are_read_back(tmp_path: Path, scenario: Path) -> None:
    sheet = write_sheet(
        tmp_path,
        # the decision by its prompt, a condition pack neutralised, a time from the trigger
        row(
            id="by_prompt",
            decision='"How do you answer the ally\'s warning?"',
            condition="'-1 < data_exposed",
            trigger="at 2020-07-01 12:00 (t=3 hours)",
            planned="2020-07-01 12:00",
        ),
        row(id="by_id", decision="remediation", planned="5.5"),
        row(id="held_one", planned="held", trigger="held: the facilitator fires it", cont="Yes"),
        row(id="held_blank", planned="", cont="true"),
        # the planner moved the inject: the planned time wins over pack's old trigger
        row(id="moved", planned="2020-07-02 00:00", trigger="at 2020-07-01 12:00 (t=3 hours)"),
    )
    code, _, err = invoke("msel", "import", str(sheet), "--into", str(scenario))
    assert code == 0, err
    got = {i.id: i for i in load_scenario(scenario).injects}
    assert (got["by_prompt"].decision, got["by_prompt"].only_if) == (
        "answer_ally",
        "-1 < data_exposed",
    )
    assert got["by_prompt"].at == 3
    assert (got["by_id"].decision, got["by_id"].at) == ("remediation", 5.5)
    assert got["held_one"].contingency and got["held_one"].at is None
    assert got["held_blank"].contingency
    assert got["moved"].at == 15
    assert got["by_id"].title == "A title" and got["by_id"].module is None


def test_a_time_to_the_second_comes_back_exactly(tmp_path: Path) -> None:
    source = tmp_path / "quickstart.yaml"
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text(encoding="utf-8")
    assert "    at: 6\n" in text
    source.write_text(text.replace("    at: 6\n", "    at: 6.123456789\n", 1), encoding="utf-8")
    original = load_scenario(source)
    sheet = keep_rows(packed(source, tmp_path), {"ally_warning"}, tmp_path / "one.csv")
    assert "(t=6.123456789 hours)" in sheet.read_text(encoding="utf-8")
    (inj,) = read_msel_csv(sheet, without_injects(original))
    assert inj.at == 6.123456789
    back = Inject.model_validate(yaml.safe_load(inject_yaml(inj, "", "msel.csv"))[0])
    assert back.at == 6.123456789


def test_a_chance_after_the_trigger_is_the_injects_probability(
    tmp_path: Path, scenario: Path
) -> None:
    """`tabletop pack` writes an inject's chance after its trigger ('..., with chance 0.25'):
    the import reads it back as 'probability', checked as the scenario's own are."""
    sheet = write_sheet(
        tmp_path,
        row(id="maybe", trigger='"at 2020-07-01 12:00 (t=3 hours), with chance 0.25"'),
        row(id="likely", trigger='"at 2020-07-01 12:00 (t=3 hours), with chance ally_trust / 2"'),
    )
    code, _, err = invoke("msel", "import", str(sheet), "--into", str(scenario))
    assert code == 0, err
    injects = {i.id: i for i in load_scenario(scenario).injects}
    assert injects["maybe"].probability == 0.25 and injects["maybe"].at == 3
    assert injects["likely"].probability == "ally_trust / 2"


@pytest.mark.parametrize(
    ("chance", "says"),
    [
        ("1.5", "'trigger': a chance is a number from 0 to 1, not 1.5"),
        ("ally_trst", "'trigger': chance: unknown name 'ally_trst' (did you mean 'ally_trust'?)"),
    ],
)
def test_a_bad_chance_is_reported_by_row(
    tmp_path: Path, scenario: Path, chance: str, says: str
) -> None:
    before = scenario.read_bytes()
    trigger = f'"at 2020-07-01 12:00 (t=3 hours), with chance {chance}"'
    sheet = write_sheet(tmp_path, row(id="maybe", trigger=trigger))
    code, _, err = invoke("msel", "import", str(sheet), "--into", str(scenario))
    assert code == 1
    assert f"msel.csv:2: {says}" in err
    assert scenario.read_bytes() == before


def test_a_chance_into_a_file_that_says_format_1_is_refused(tmp_path: Path, scenario: Path) -> None:
    scenario.write_text("format: 1\n" + scenario.read_text(encoding="utf-8"), encoding="utf-8")
    trigger = '"at 2020-07-01 12:00 (t=3 hours), with chance 0.5"'
    sheet = write_sheet(tmp_path, row(id="maybe", trigger=trigger))
    code, _, err = invoke("msel", "import", str(sheet), "--into", str(scenario))
    assert code == 1
    assert "a chance is format 2, but the scenario says 'format: 1'" in err
