"""The JSON Schema for editors: generated from the models, committed, and never stale.

The `jsonschema` package is not a dependency, so bundled scenarios are checked with a small
validator for exactly the draft-07 keywords the schema uses (a test pins that list).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sim import schema as format_models
from sim.cli import main
from sim.jsonschema import DRAFT_07, scenario_json_schema, scenario_json_schema_text
from sim.schema import SECTIONS
from sim.yamlread import read_yaml_file, read_yaml_text

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "scenario.schema.json"
SCENARIOS = [
    *sorted((ROOT / "scenarios").glob("*.yaml")),
    ROOT / "docs" / "examples" / "tutorial.yaml",
]


def test_the_committed_schema_is_what_the_command_generates() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.stdout == COMMITTED.read_text(encoding="utf-8"), (
        "docs/scenario.schema.json is stale: run `tabletop schema --out docs/scenario.schema.json`"
    )
    assert result.stdout == scenario_json_schema_text()


def test_schema_command_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    result = CliRunner().invoke(main, ["schema", "--out", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == scenario_json_schema()


def test_it_is_draft_07() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"] == DRAFT_07 == "http://json-schema.org/draft-07/schema#"
    text = json.dumps(schema)
    assert "$defs" not in text and "discriminator" not in text
    refs = re.findall(r'"\$ref": "([^"]+)"', text)
    assert refs and all(r.startswith("#/definitions/") for r in refs)
    assert {r.removeprefix("#/definitions/") for r in refs} <= set(schema["definitions"])


def test_every_model_field_is_in_the_schema() -> None:
    schema = scenario_json_schema()
    assert set(schema["properties"]) == {*SECTIONS, "format"}
    checked = 0
    for name, definition in schema["definitions"].items():
        model = getattr(format_models, name)
        if name == "Distribution":
            continue
        fields = {f.alias or n for n, f in model.model_fields.items()}
        assert set(definition["properties"]) == fields, name
        assert definition["additionalProperties"] is False, name
        checked += 1
    assert checked >= 15


def test_the_validator_below_knows_every_keyword_the_schema_uses() -> None:
    used: set[str] = set()

    def walk(node: Any, in_properties: bool = False) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if not in_properties:
                    used.add(key)
                walk(
                    value, in_properties=key in ("properties", "definitions") and not in_properties
                )

    walk(scenario_json_schema())
    assert used <= KNOWN | ANNOTATIONS, used - KNOWN - ANNOTATIONS


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_bundled_and_example_scenarios_validate_against_the_schema(path: Path) -> None:
    schema = scenario_json_schema()
    problems = validate(read_yaml_file(path).data, schema, schema)
    assert problems == []


def test_distributions_in_every_written_form_validate() -> None:
    schema = scenario_json_schema()
    dist = {"$ref": "#/definitions/Distribution"}
    for good in (
        5,
        0,
        {"fixed": 2},
        {"uniform": [2, 12]},
        {"triangular": [1, 2, 5]},
        {"normal": {"mean": 10, "sd": 2}},
        {"normal": {"mean": 10, "sd": 2, "min": 4, "max": 20}},
        {"lognormal": {"median": 60, "sigma": 0.4}},
        {"exponential": 24},
    ):
        assert validate(good, dist, schema) == [], good
    for bad in (
        -1,
        "soon",
        {"unifrom": [2, 12]},
        {"uniform": [2]},
        {"uniform": [2, 12], "fixed": 1},
        {"normal": {"mean": 10}},
        {"lognormal": {"median": 0, "sigma": 1}},
        {"exponential": 0},
    ):
        assert validate(bad, dist, schema) != [], bad


def test_the_schema_rejects_what_an_editor_should_underline() -> None:
    schema = scenario_json_schema()
    text = (ROOT / "tests" / "data" / "bad" / "misspelt_keys.yaml").read_text(encoding="utf-8")
    problems = validate(read_yaml_text(text).data, schema, schema)
    assert any("titel" in p for p in problems)
    assert any("objectivs" in p for p in problems)
    notification = {"$ref": "#/definitions/Notification"}
    ok = {
        "id": "n",
        "kind": "notification",
        "from": "a",
        "to": ["b"],
        "starts": ["x", {"response": "y", "if": "t > 1"}],
    }
    assert validate(ok, notification, schema) == []
    assert validate({**ok, "kind": "notifcation"}, notification, schema) != []
    assert validate({**ok, "starts": ["Bad-Id"]}, notification, schema) != []


# --- a validator for the draft-07 keywords the schema uses ---------------------------------------

KNOWN = {
    "$schema", "$comment", "$ref", "definitions", "type", "enum", "const", "properties",
    "required", "additionalProperties", "propertyNames", "items", "minItems", "maxItems",
    "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "anyOf", "oneOf",
    "allOf", "minLength",
}  # fmt: skip
ANNOTATIONS = {"title", "description", "default"}

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(value: Any, node: dict[str, Any], root: dict[str, Any], at: str = "") -> list[str]:
    """Problems of value against node, as 'path: message' lines (empty when valid)."""
    where = at or "/"
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/definitions/")
        return validate(value, root["definitions"][name], root, at)
    out: list[str] = []
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(_TYPES[t](value) for t in types):
            return [f"{where}: expected {types}, got {value!r}"]
    if "enum" in node and value not in node["enum"]:
        out.append(f"{where}: {value!r} not in {node['enum']}")
    if "const" in node and value != node["const"]:
        out.append(f"{where}: {value!r} is not {node['const']!r}")
    if isinstance(value, str):
        if "pattern" in node and not re.search(node["pattern"], value):
            out.append(f"{where}: {value!r} does not match {node['pattern']}")
        if len(value) < node.get("minLength", 0):
            out.append(f"{where}: too short")
    if _TYPES["number"](value):
        if "minimum" in node and value < node["minimum"]:
            out.append(f"{where}: {value} < {node['minimum']}")
        if "maximum" in node and value > node["maximum"]:
            out.append(f"{where}: {value} > {node['maximum']}")
        if "exclusiveMinimum" in node and value <= node["exclusiveMinimum"]:
            out.append(f"{where}: {value} <= {node['exclusiveMinimum']}")
        if "exclusiveMaximum" in node and value >= node["exclusiveMaximum"]:
            out.append(f"{where}: {value} >= {node['exclusiveMaximum']}")
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0) or len(value) > node.get("maxItems", len(value)):
            out.append(f"{where}: wrong number of items ({len(value)})")
        if "items" in node:
            for i, item in enumerate(value):
                out += validate(item, node["items"], root, f"{at}/{i}")
    if isinstance(value, dict):
        props = node.get("properties", {})
        for key in node.get("required", []):
            if key not in value:
                out.append(f"{where}: missing {key!r}")
        for key, item in value.items():
            if "propertyNames" in node:
                out += validate(key, node["propertyNames"], root, f"{at}/{key}")
            if key in props:
                out += validate(item, props[key], root, f"{at}/{key}")
            elif node.get("additionalProperties") is False:
                out.append(f"{where}: unknown key {key!r}")
            elif isinstance(node.get("additionalProperties"), dict):
                out += validate(item, node["additionalProperties"], root, f"{at}/{key}")
    for sub in node.get("allOf", []):
        out += validate(value, sub, root, at)
    if "anyOf" in node:
        results = [validate(value, sub, root, at) for sub in node["anyOf"]]
        if all(results):
            out.append(f"{where}: matches none of anyOf: {min(results, key=len)}")
    if "oneOf" in node:
        results = [validate(value, sub, root, at) for sub in node["oneOf"]]
        passed = sum(not r for r in results)
        if passed != 1:
            out.append(f"{where}: matches {passed} of oneOf: {min(results, key=len)}")
    return out
