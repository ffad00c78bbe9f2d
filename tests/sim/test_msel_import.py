"""`tabletop msel import`: a spreadsheet's injects appended to a scenario, hostile CSVs refused
with every bad row reported as file.csv:ROW, and the scenario's own text kept as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.loader import load_scenario
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
HEADER = "time,from,to,title,text,notes,expected actions\n"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "quickstart.yaml"
    shutil.copy(ROOT / "scenarios" / "quickstart.yaml", path)
    return path


def write_csv(tmp_path: Path, body: str | bytes, name: str = "msel.csv") -> Path:
    path = tmp_path / name
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8", newline="")
    return path


def test_import_appends_and_keeps_every_other_line(tmp_path: Path, scenario: Path) -> None:
    before = scenario.read_text(encoding="utf-8")
    csv = write_csv(
        tmp_path,
        HEADER
        + '10,ally,"mofa; cabinet","A call","The ally calls: ""urgent"" # not a comment",'
        + '"Only if asked","Take notes; Call back"\n'
        + '20,Domestic press,cabinet,,"Line one\nline two \\ backslash — ünïcödé \u2028 sep",,\n',
    )
    code, _, err = invoke("msel", "import", str(csv), "--into", str(scenario))
    assert code == 0, err
    assert "imported 2 injects" in err
    after = scenario.read_text(encoding="utf-8")
    # the old text is all there, in order: only new lines were inserted
    start = after.index("  # imported from msel.csv, row 2")
    end = after.index("\n\ndecisions:")
    assert after[:start] + after[end + 1 :] == before
    model = load_scenario(scenario)
    new = {i.id: i for i in model.injects[-2:]}
    call = new["a_call"]
    assert (call.at, call.sender, call.to) == (10, "ally", ["mofa", "cabinet"])
    assert call.text == 'The ally calls: "urgent" # not a comment'
    assert call.notes == "Only if asked"
    assert call.expected_actions == ["Take notes", "Call back"]
    second = model.injects[-1]
    assert second.sender == "press"  # found by the actor's name
    assert second.text == "Line one\nline two \\ backslash — ünïcödé \u2028 sep"


def test_every_bad_row_is_reported_at_once_and_nothing_is_written(
    tmp_path: Path, scenario: Path
) -> None:
    before = scenario.read_bytes()
    csv = write_csv(
        tmp_path,
        HEADER
        + "1,ally,mofa,ok,Fine,,\n"  # row 2: good
        + "x,ally,mofa,t,Text,,\n"  # row 3: bad time
        + "2,allly,mofa,t,Text,,\n"  # row 4: unknown actor (did you mean)
        + "3,ally,mofa,t,,,\n"  # row 5: empty text
        + "4,ally,mofa,t,=cmd|' /C calc'!A0,,\n"  # row 6: formula
        + "5,ally,mofa,@SUM(A1),Text,,\n"  # row 7: formula
        + "6,ally,mofa,t,+cmd,,\n"  # row 8: formula
        + "9999,ally,mofa,t,Text,,\n"  # row 9: after the horizon
        + "7,ally,mofa,t\x1b[2J,Text,,\n"  # row 10: control character
        + "8,ally,mofa,t,Text,,,extra\n"  # row 11: more cells than columns
        + "-1,ally,mofa,t,Text,,\n"  # row 12: negative time (as a formula-like minus)
        + "1999-01-01T00:00,ally,mofa,t,Text,,\n",  # row 13: before the start
    )
    code, _, err = invoke("msel", "import", str(csv), "--into", str(scenario))
    assert code == 1
    assert scenario.read_bytes() == before
    lines = err.splitlines()
    rows = [int(line.split(":")[1]) for line in lines if line.startswith(str(csv))]
    assert rows == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert "did you mean 'ally'" in err
    assert "spreadsheet formula" in err
    assert "control character (U+001B)" in err and "\x1b" not in err
    assert "horizon" in err and "before the scenario starts" in err


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("time,from,to,title\n1,ally,mofa,t\n", ":1: missing column 'text'"),
        ("time,from,title,text\n1,ally,t,x\n", ":1: missing column 'to'"),
        (HEADER.replace("notes", "nots"), ":1: unknown column 'nots'"),
        ("time,time,from,to,text\n", ":1: two columns for 'time'"),
        ("", ":1: the file is empty"),
        (HEADER, ":2: no rows below the header"),
        (b"time,from,to,text\n1,ally,mofa,caf\xe9\n", ":2: not UTF-8 text (byte 0xe9)"),
        (b"\xff\xfet\x00i\x00m\x00e\x00", ":1: not UTF-8 text"),
        (b"time,from,to,text\n1,ally,mofa,a\x00b\n", ":1: the file holds NUL bytes"),
        (HEADER + '1,ally,mofa,t,"unclosed\n', ":2: not valid CSV"),
        # A workbook given as it was saved, not exported: said 'not UTF-8 text (byte 0x81)'.
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\x81", ":1: this is a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", ":1: this is a spreadsheet"),
    ],
)
def test_hostile_files(tmp_path: Path, scenario: Path, body: str | bytes, message: str) -> None:
    before = scenario.read_bytes()
    csv = write_csv(tmp_path, body)
    code, _, err = invoke("msel", "import", str(csv), "--into", str(scenario))
    assert code == 1
    assert message in err, err
    assert scenario.read_bytes() == before


def test_huge_fields_and_files_are_refused(tmp_path: Path, scenario: Path) -> None:
    big = "x" * 20_001
    csv = write_csv(tmp_path, HEADER + f"1,ally,mofa,t,{big},,\n")
    code, _, err = invoke("msel", "import", str(csv), "--into", str(scenario))
    assert code == 1 and ":2: 'text' is longer than 20,000 characters" in err
    csv = write_csv(tmp_path, HEADER + "1,ally,mofa,t," + "y" * 100_000 + ",,\n")
    code, _, err = invoke("msel", "import", str(csv), "--into", str(scenario))
    assert code == 1 and ":2: not valid CSV" in err
    csv = write_csv(tmp_path, HEADER + ("1,ally,mofa,t,text,,\n" * 120_000))
    code, _, err = invoke("msel", "import", str(csv), "--into", str(scenario))
    assert code == 1 and ":1: the file is larger than 2,000,000 bytes" in err
    csv = write_csv(tmp_path, HEADER + ("1,ally,mofa,t,text,,\n" * 2_001))
    code, _, err = invoke("msel", "import", str(csv), "--into", str(scenario))
    assert code == 1 and "more than 2000 rows" in err


def test_semicolons_bom_and_date_times(tmp_path: Path, scenario: Path) -> None:
    csv = write_csv(
        tmp_path,
        "\ufeffTime;From;To;Text\n2020-07-02T09:00:00+09:00;ally;mofa,cabinet;Next day\n",
    )
    code, _, err = invoke("msel", "import", str(csv), "--into", str(scenario))
    assert code == 0, err
    inj = load_scenario(scenario).injects[-1]
    assert (inj.at, inj.to, inj.text) == (24, ["mofa", "cabinet"], "Next day")


def test_ids_never_clash(tmp_path: Path, scenario: Path) -> None:
    csv = write_csv(
        tmp_path,
        "time,from,to,title,text\n1,ally,mofa,Ally warning,a\n2,ally,mofa,Ally warning,b\n"
        "3,ally,mofa,,日本語\n",
    )
    code, _, err = invoke("msel", "import", str(csv), "--into", str(scenario))
    assert code == 0, err
    ids = [i.id for i in load_scenario(scenario).injects[-3:]]
    assert ids == ["ally_warning_2", "ally_warning_3", "inject_row_4"]


def test_dry_run_prints_and_writes_nothing(tmp_path: Path, scenario: Path) -> None:
    before = scenario.read_bytes()
    csv = write_csv(tmp_path, HEADER + "1,ally,mofa,t,Text,,\n")
    code, out, _ = invoke("msel", "import", str(csv), "--into", str(scenario), "--dry-run")
    assert code == 0 and "# imported from msel.csv, row 2" in out
    assert scenario.read_bytes() == before


def test_refusals(tmp_path: Path, scenario: Path) -> None:
    csv = write_csv(tmp_path, HEADER + "1,ally,mofa,t,Text,,\n")
    flow = tmp_path / "flow.yaml"
    flow.write_text(
        "scenario: {id: f, title: t, summary: s, start: 2020-01-01T00:00:00Z, horizon: 10}\n"
        "actors: [{id: ally, name: A, affiliation: ally}, {id: mofa, name: M, "
        "affiliation: government}]\n"
        "injects: [{id: i, at: 1, from: ally, to: [mofa], text: t, invented: true}]\n",
        encoding="utf-8",
    )
    code, _, err = invoke("msel", "import", str(csv), "--into", str(flow))
    assert code == 1 and "flow style" in err
    assert invoke("msel", "import", str(csv), "--into", str(tmp_path / "none.yaml"))[0] == 2
    assert invoke("msel", "import", str(tmp_path / "none.csv"), "--into", str(scenario))[0] == 2
    assert invoke("msel", "import", str(csv))[0] == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("scenario: 1\n", encoding="utf-8")
    assert invoke("msel", "import", str(csv), "--into", str(broken))[0] == 1


# --- written as every output is (sim/outfile.py) -------------------------------------------------

KILLED_IMPORT = """
import os, signal, sys
def replace(*_):
    os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace  # killed just before the new scenario takes the old one's place
sys.argv = ["tabletop", "msel", "import", sys.argv[1], "--into", sys.argv[2]]
from tui.entry import run_main
run_main()
"""


def test_a_killed_import_leaves_the_scenario_whole_and_a_later_import_removes_its_leftover(
    tmp_path: Path, scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess
    import sys
    import time

    from sim import leftovers

    before = scenario.read_text(encoding="utf-8")
    csv = write_csv(tmp_path, HEADER + "10,ally,mofa,A call,The ally calls,,\n")
    done = subprocess.run(
        [sys.executable, "-c", KILLED_IMPORT, str(csv), str(scenario)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == -9, done.stderr
    assert scenario.read_text(encoding="utf-8") == before
    left = sorted(p.name for p in tmp_path.iterdir() if p.name not in ("msel.csv", scenario.name))
    assert len(left) == 1 and left[0].startswith(f".{scenario.name}."), left

    later = time.time() + leftovers.STALE_AFTER + 60  # a day later: clearly abandoned
    monkeypatch.setattr(leftovers, "_now", lambda: later)
    code, _, err = invoke("msel", "import", str(csv), "--into", str(scenario))
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["msel.csv", scenario.name]
    assert "A call" in scenario.read_text(encoding="utf-8")


def test_a_csv_named_as_the_scenario_too_is_a_usage_error(tmp_path: Path, scenario: Path) -> None:
    code, _, err = invoke("msel", "import", str(scenario), "--into", str(scenario))
    assert code == 2, err
    assert "it would be overwritten" in err
