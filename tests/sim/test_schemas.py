"""Both JSON Schemas (scenario, playbook) accept every bundled file, with the real `jsonschema`
validator, and agree with the loader where they can: booleans are only true and false."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from sim.authoring.playbookschema import playbook_json_schema, playbook_json_schema_text
from sim.bundled import bundled_playbooks, bundled_scenarios
from sim.jsonschema import scenario_json_schema
from sim.loader import check_scenario_file
from sim.yamlread import read_yaml_file, read_yaml_text
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
SCENARIOS = [*bundled_scenarios(), EXAMPLES / "tutorial.yaml"]
PLAYBOOKS = [*bundled_playbooks(), *sorted(EXAMPLES.glob("tutorial--*.yaml"))]


def validator(schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def errors(schema: dict[str, Any], data: Any) -> list[str]:
    return [e.message for e in validator(schema).iter_errors(data)]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_bundled_scenario_matches_the_scenario_schema(path: Path) -> None:
    assert errors(scenario_json_schema(), read_yaml_file(path).data) == []


@pytest.mark.parametrize("path", PLAYBOOKS, ids=lambda p: p.stem)
def test_every_bundled_playbook_matches_the_playbook_schema(path: Path) -> None:
    assert errors(playbook_json_schema(), read_yaml_file(path).data) == []


def test_the_committed_playbook_schema_is_what_the_command_generates() -> None:
    result = CliRunner().invoke(main, ["schema", "--playbook"])
    assert result.exit_code == 0
    committed = (ROOT / "docs" / "playbook.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed == playbook_json_schema_text(), (
        "docs/playbook.schema.json is stale: run "
        "`tabletop schema --playbook --out docs/playbook.schema.json`"
    )


def test_the_playbook_schema_refuses_what_the_loader_refuses() -> None:
    schema = playbook_json_schema()
    good = {"playbook": {"id": "p"}, "decisions": {"d": "x", "e": {"choose": "y"}, "f": ["x"]}}
    assert errors(schema, good) == []
    for bad in (
        {"decisions": {}},  # no playbook block
        {"playbook": {"id": "p"}, "decisions": {"d": {"chose": "x"}}},  # misspelt key
        {"playbook": {"id": "p"}, "decisions": {"Bad-Id": "x"}},
        {"playbook": {"id": "p"}, "decisions": {"d": {"choose": "x", "after": -1}}},
        {"playbook": {"id": "p"}, "extra": 1},
    ):
        assert errors(schema, bad), bad


BOOLEAN_WORDS = ["yes", "no", "on", "off", "y", "n", "True", "'true'"]


@pytest.mark.parametrize("word", BOOLEAN_WORDS)
def test_loader_and_schema_agree_on_booleans(word: str, tmp_path: Path) -> None:
    text = (
        "scenario: {id: b, title: t, summary: s, start: 2020-01-01T00:00:00Z, horizon: 10}\n"
        f"actors: [{{id: a, name: A, affiliation: government, player: {word}}}]\n"
        "injects: [{id: i, at: 1, from: a, to: [a], text: t, invented: true}]\n"
    )
    path = tmp_path / "b.yaml"
    path.write_text(text, encoding="utf-8")
    scenario, problems = check_scenario_file(path)
    data = read_yaml_text(text).data
    schema_ok = errors(scenario_json_schema(), data) == []
    if word == "True":  # YAML's own spelling of true: both accept it
        assert scenario is not None and schema_ok
        return
    assert scenario is None and not schema_ok
    (problem,) = problems
    assert (problem.line, problem.col) == (2, text.splitlines()[1].index(f"player: {word}") + 9)
    assert "expected true or false" in problem.message


def test_a_playbook_given_as_a_scenario_says_so() -> None:
    book = bundled_playbooks("quickstart")[0]
    result = CliRunner().invoke(main, ["run", str(book)])
    assert result.exit_code == 1
    assert "this is a playbook, not a scenario" in result.stderr
    assert "list" not in result.stderr  # not "turn 'decisions' into a list"
    result = CliRunner().invoke(main, ["validate", str(book)])
    assert result.exit_code == 0 and "ok (playbook:" in result.stdout
