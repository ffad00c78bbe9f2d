"""Hostile audit of `tabletop msel import --into`: the scenario file the injects go into.

The import edits the scenario as text. Whatever that text holds (block scalars whose lines
look like comments or blank lines, an injects section in any layout), every inject already
there must read back exactly as it was, and only the new injects are added.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sim.loader import load_scenario
from tui.cli import main

HEAD = """\
format: 2
scenario:
  id: h
  title: H
  summary: S
  start: 2020-01-01T00:00:00Z
  horizon: 100
actors:
  - {id: gov, name: Gov, affiliation: government}
  - {id: adv, name: Adv, affiliation: adversary}
"""
CSV = "time,from,to,text\n2,adv,gov,New one\n"


def import_into(tmp_path: Path, scenario: str) -> tuple[int, str, Path]:
    path = tmp_path / "s.yaml"
    path.write_bytes(scenario.encode("utf-8"))
    csv = tmp_path / "m.csv"
    csv.write_text(CSV, encoding="utf-8")
    result = CliRunner().invoke(main, ["msel", "import", str(csv), "--into", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr, path


def texts(path: Path) -> list[tuple[str, str]]:
    return [(i.id, i.text) for i in load_scenario(path).injects]


def test_a_block_text_whose_last_lines_look_like_comments_keeps_them(tmp_path: Path) -> None:
    body = (
        "injects:\n"
        "  - id: i0\n"
        "    at: 1\n"
        "    from: gov\n"
        "    to: [gov]\n"
        "    invented: true\n"
        "    text: |\n"
        "      Hello\n"
        "      # this line is part of the text\n"
    )
    code, err, path = import_into(tmp_path, HEAD + body)
    assert code == 0, err
    assert texts(path) == [
        ("i0", "Hello\n# this line is part of the text\n"),
        ("new_one", "New one"),
    ]


def test_a_kept_block_text_keeps_its_trailing_blank_lines(tmp_path: Path) -> None:
    body = (
        "injects:\n"
        "  - id: i0\n"
        "    at: 1\n"
        "    from: gov\n"
        "    to: [gov]\n"
        "    invented: true\n"
        "    text: |+\n"
        "      Hello\n"
        "\n"
        "\n"
        "# a comment before the next section\n"
        "objectives: []\n"
    )
    code, err, path = import_into(tmp_path, HEAD + body)
    assert code == 0, err
    assert texts(path) == [("i0", "Hello\n\n\n"), ("new_one", "New one")]
    assert "# a comment before the next section\nobjectives: []\n" in path.read_text("utf-8")


def test_a_scenario_with_windows_line_endings_keeps_them_all(tmp_path: Path) -> None:
    body = (
        "injects:\n"
        "  - id: i0\n"
        "    at: 1\n"
        "    from: gov\n"
        "    to: [gov]\n"
        "    invented: true\n"
        "    text: Hello\n"
        "# a comment\n"
        "objectives: []\n"
    )
    code, err, path = import_into(tmp_path, (HEAD + body).replace("\n", "\r\n"))
    assert code == 0, err
    raw = path.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") > (HEAD + body).count("\n")
    assert raw.startswith((HEAD + "injects:\n").replace("\n", "\r\n").encode())
    assert raw.endswith(b"\r\n# a comment\r\nobjectives: []\r\n")
    assert texts(path) == [("i0", "Hello"), ("new_one", "New one")]


def test_an_actor_whose_id_yaml_would_read_as_null_is_written_quoted(tmp_path: Path) -> None:
    """`id: "null"` is a valid (quoted) id: the import must write it quoted too."""
    head = HEAD.replace("{id: adv,", '{id: "null",')
    body = "injects:\n  - {id: i0, at: 1, from: gov, to: [gov], invented: true, text: Hi}\n"
    path = tmp_path / "s.yaml"
    path.write_text(head + body, encoding="utf-8")
    csv = tmp_path / "m.csv"
    csv.write_text("time,from,to,text\n2,null,null;gov,From null\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["msel", "import", str(csv), "--into", str(path)])
    assert result.exit_code == 0, result.stderr
    new = load_scenario(path).injects[-1]
    assert (new.sender, new.to, new.text) == ("null", ["null", "gov"], "From null")


def test_a_sheet_id_that_is_a_reserved_word_is_the_rows_problem(tmp_path: Path) -> None:
    body = "injects:\n  - {id: i0, at: 1, from: gov, to: [gov], invented: true, text: Hi}\n"
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    before = path.read_bytes()
    csv = tmp_path / "m.csv"
    csv.write_text("id,time,from,to,text\nok,2,gov,gov,x\nfalse,3,gov,gov,x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["msel", "import", str(csv), "--into", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith(
        "/m.csv:3: 'false' is a reserved word in expressions; choose another id"
    ), result.stderr
    assert path.read_bytes() == before


def test_a_title_that_is_a_reserved_word_gets_an_id_that_is_not(tmp_path: Path) -> None:
    body = "injects:\n  - {id: i0, at: 1, from: gov, to: [gov], invented: true, text: Hi}\n"
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    csv = tmp_path / "m.csv"
    csv.write_text(
        "time,from,to,title,text\n2,gov,gov,Age,x\n3,gov,gov,True,y\n4,gov,gov,Undecided,z\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["msel", "import", str(csv), "--into", str(path)])
    assert result.exit_code == 0, result.stderr
    assert [i.id for i in load_scenario(path).injects] == ["i0", "age_2", "true_2", "undecided_2"]


def test_ids_of_calendar_sittings_and_now_are_taken(tmp_path: Path) -> None:
    """Every id shares one namespace (calendar sittings too), and 'now' is the current time in
    format 2: a sheet's id or title that would clash is the row's problem or gets another id."""
    body = (
        "injects:\n  - {id: i0, at: 1, from: gov, to: [gov], invented: true, text: Hi}\n"
        "calendar:\n  - {id: autumn_2020, title: Autumn sitting, opens: 10, closes: 20}\n"
    )
    path = tmp_path / "s.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    assert load_scenario(path).calendar
    csv = tmp_path / "m.csv"
    csv.write_text(
        "time,from,to,title,text\n2,gov,gov,Autumn 2020,x\n3,gov,gov,Now,y\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["msel", "import", str(csv), "--into", str(path)])
    assert result.exit_code == 0, result.stderr
    assert [i.id for i in load_scenario(path).injects] == ["i0", "autumn_2020_2", "now_2"]
    before = path.read_bytes()
    csv.write_text("id,time,from,to,text\nautumn_2020,2,gov,gov,x\nnow,3,gov,gov,y\n", "utf-8")
    result = CliRunner().invoke(main, ["msel", "import", str(csv), "--into", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "/m.csv:2: id 'autumn_2020' is already used in the scenario" in lines[0]
    assert lines[1].endswith(
        "/m.csv:3: 'now' is the current time in format 2 expressions; choose another id"
    )
    assert path.read_bytes() == before
