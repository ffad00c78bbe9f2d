"""`tabletop new`: a starter that validates, lints clean, runs, and never overwrites a file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from sim.authoring.lint import lint_file
from sim.authoring.playbookschema import playbook_json_schema
from sim.jsonschema import scenario_json_schema
from sim.loader import check_scenario_file
from sim.playbook import load_playbook
from sim.yamlread import read_yaml_file
from tui.cli import main


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("template", [None, "quickstart", "olympics-2020"])
def test_new_scenario_validates_lints_clean_and_runs(tmp_path: Path, template: str | None) -> None:
    args = ["new", "my-exercise", "--dir", str(tmp_path)]
    if template:
        args += ["--from", template]
    code, out, _ = invoke(*args)
    assert code == 0, out
    scenario_path = tmp_path / "my-exercise.yaml"
    (book_path,) = tmp_path.glob("my-exercise--*.yaml")
    first = scenario_path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=scenario.schema.json"
    assert book_path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=playbook.schema.json\n"
    )
    scenario, problems = check_scenario_file(scenario_path)
    assert scenario is not None and scenario.scenario.id == "my-exercise"
    assert problems == []
    assert [str(f) for f in lint_file(scenario_path) if f.level != "info"] == []
    book = load_playbook(book_path, scenario)
    assert book.playbook.scenario == "my-exercise"
    # the schemas named on the first lines are there, and the files match them
    schema = json.loads((tmp_path / "scenario.schema.json").read_text(encoding="utf-8"))
    assert schema == scenario_json_schema()
    jsonschema.validate(read_yaml_file(scenario_path).data, schema)
    book_schema = json.loads((tmp_path / "playbook.schema.json").read_text(encoding="utf-8"))
    assert book_schema == playbook_json_schema()
    jsonschema.validate(read_yaml_file(book_path).data, book_schema)
    code, out, _ = invoke("run", str(scenario_path), "--playbook", str(book_path))
    assert code == 0 and "objective" in out.lower()


def test_the_starter_is_commented_for_a_first_time_author(tmp_path: Path) -> None:
    invoke("new", "first", "--dir", str(tmp_path))
    text = (tmp_path / "first.yaml").read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) >= 10
    assert "tabletop lint first.yaml" in text and "tabletop validate first.yaml" in text


def test_new_never_overwrites(tmp_path: Path) -> None:
    mine = tmp_path / "draft.yaml"
    mine.write_text("my own work\n", encoding="utf-8")
    code, _, err = invoke("new", "draft", "--dir", str(tmp_path))
    assert code == 1 and "already exist" in err and "not overwritten" in err
    assert mine.read_text(encoding="utf-8") == "my own work\n"
    assert not (tmp_path / "draft--example.yaml").exists()


def test_new_keeps_existing_schema_files(tmp_path: Path) -> None:
    schema = tmp_path / "scenario.schema.json"
    schema.write_text("{}", encoding="utf-8")
    code, out, _ = invoke("new", "other", "--dir", str(tmp_path))
    assert code == 0
    assert schema.read_text(encoding="utf-8") == "{}"
    assert "playbook.schema.json" in out and "wrote " + str(schema) not in out


def test_new_refuses_a_symlink_in_the_way(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep\n", encoding="utf-8")
    (tmp_path / "linked.yaml").symlink_to(target)
    code, _, _ = invoke("new", "linked", "--dir", str(tmp_path))
    assert code == 1 and target.read_text(encoding="utf-8") == "keep\n"


@pytest.mark.parametrize(
    "name", ["../escape", "a/b", "Capital", "", "-dash", "x" * 56, "evil\x1b[2J", "name.yaml"]
)
def test_bad_names_are_usage_errors(tmp_path: Path, name: str) -> None:
    code, out, err = invoke("new", name, "--dir", str(tmp_path))
    assert code == 2
    assert "\x1b" not in err + out
    assert list(tmp_path.iterdir()) == []


def test_unknown_template_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke("new", "x", "--from", "quickstrat", "--dir", str(tmp_path))
    assert code == 2 and "did you mean 'quickstart'" in err
    code, _, _ = invoke("new", "x", "--from", str(tmp_path), "--dir", str(tmp_path))
    assert code == 2
