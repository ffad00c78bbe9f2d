"""The loader builds the Scenario from the sections it validated item by item.

Validating the whole document a second time would give the same Scenario (checked here on
every scenario in the repository); where it would not be the same (a section that must have
items, written empty), the whole document is validated and reports as it always has.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from sim.loader import check_scenario, check_scenario_file
from sim.schema import Scenario
from sim.yamlread import read_yaml_file, read_yaml_text

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    p
    for folder in ("scenarios", "docs/examples", "tests/data")
    for p in (ROOT / folder).rglob("*.yaml")
    if re.search(rb"^scenario:", p.read_bytes(), re.MULTILINE)
)
VALID = [p for p in FILES if check_scenario_file(p)[0] is not None]

TINY = """\
scenario:
  id: tiny
  title: Tiny
  summary: A tiny scenario.
  start: 2020-07-01T09:00:00+09:00
  horizon: 10
actors:
  - id: gov
    name: Government
    affiliation: government
injects:
  - id: first
    at: 1
    invented: true
    from: gov
    to: [gov]
    text: Something happens.
"""


def _whole(data: dict[str, Any]) -> Scenario:
    """The whole document validated at once, as the loader did before."""
    empty = {"variables": {}, "threats": [], "decisions": [], "responses": [], "objectives": []}
    return Scenario.model_validate(
        {k: empty.get(k, v) if v is None else v for k, v in data.items()}
    )


def _same(a: Scenario, b: Scenario) -> bool:
    """Equal fields (the compiled expressions the loader caches on its Scenario aside)."""
    return (
        a.__dict__ == b.__dict__
        and a.model_fields_set == b.model_fields_set
        and a.model_dump() == b.model_dump()
    )


def test_the_repository_has_valid_scenarios_of_both_formats() -> None:
    names = {p.name for p in VALID}
    assert {"quickstart.yaml", "showcase.yaml", "naming-the-threat.yaml"} <= names
    assert len(VALID) >= 20


@pytest.mark.parametrize("path", VALID, ids=[str(p.relative_to(ROOT)) for p in VALID])
def test_the_scenario_is_the_one_validating_the_whole_file_gives(path: Path) -> None:
    scenario, _ = check_scenario_file(path)
    assert scenario is not None
    assert _same(scenario, _whole(read_yaml_file(path).data))


def test_empty_sections_that_may_be_empty_read_as_none() -> None:
    text = "format: 2\n" + TINY + "threats:\nvariables:\ndecisions:\nresponses:\nobjectives:\n"
    scenario, problems = check_scenario(read_yaml_text(text, "t.yaml"), text)
    assert problems == []
    assert scenario is not None and _same(scenario, _whole(read_yaml_text(text).data))
    assert scenario.threats == [] and scenario.variables == {} and scenario.format == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (TINY.split("injects:")[0] + "injects: []\n", "t.yaml:11:10: needs at least 1 item"),
        (
            TINY.split("injects:")[0] + "injects:\n",
            "t.yaml:11:9: expected a list, got nothing (null)",
        ),
        ("format: 2\n" + TINY + "calendar:\n", "t.yaml:19:10: expected a list, got nothing (null)"),
    ],
    ids=["no injects", "injects: nothing", "calendar: nothing"],
)
def test_sections_written_empty_that_may_not_be_are_still_reported(
    text: str, expected: str
) -> None:
    scenario, problems = check_scenario(read_yaml_text(text, "t.yaml"), text)
    assert scenario is None
    assert [str(p) for p in problems] == [expected]


def test_the_scenario_model_has_no_rule_across_sections() -> None:
    """What lets the loader assemble the Scenario: no validator on the whole, and no constraint
    on a section but "at least one" on actors and injects (checked before assembling). Adding
    one means updating sim.loader._assembled."""
    decorators = Scenario.__pydantic_decorators__
    assert not decorators.model_validators and not decorators.field_validators
    constrained = {name for name, f in Scenario.model_fields.items() if f.metadata}
    assert constrained == {"actors", "injects"}
    assert all(
        [getattr(m, "min_length", None) for m in Scenario.model_fields[n].metadata] == [1]
        for n in constrained
    )
