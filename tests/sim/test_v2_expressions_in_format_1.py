"""A file that says 'format: 1' may not use format 2's parts of expressions.

Draws (uniform, triangular, normal), min/max/clamp and 'now' came with format 2. An older
tabletop would refuse them with a puzzling message, so a file that states version 1 and uses
one is told where, and to write 'format: 2'; the same file without a stated version, or
saying 'format: 2', is fine.
"""

from __future__ import annotations

from sim.loader import check_scenario
from sim.yamlread import read_yaml_text

TEXT = """format: {version}
scenario:
  id: old
  title: Old
  summary: A version 1 file using format 2 expressions.
  start: 2020-01-01T00:00:00+00:00
  horizon: 100
actors:
  - {{id: gov, name: Government, affiliation: government}}
variables:
  stolen: {{initial: 0}}
  trust: {{initial: 0.5, min: 0, max: 1}}
injects:
  - {{id: start, at: 0, from: gov, to: [gov], text: Go., invented: true,
     effects: {{stolen: "+ uniform(1, 3)", trust: "= clamp(trust - 0.1, 0, 1)"}}}}
  - {{id: later, at: 5, from: gov, to: [gov], text: Later., invented: true,
     if: "max(stolen, 2) > 1 and now > 3"}}
objectives:
  - {{id: keep, description: Keep trust., met: "trust >= min(0.5, 0.4 + stolen)"}}
"""


def _errors(version: str) -> list[tuple[int, int, str]]:
    text = TEXT.format(version=version)
    _, found = check_scenario(read_yaml_text(text, "old.yaml"), text)
    return [(p.line, p.col, p.message) for p in found if p.severity == "error"]


def test_each_format_2_part_of_an_expression_is_an_error_at_its_column() -> None:
    text = TEXT.format(version=1)
    lines = text.splitlines()
    found = _errors("1")

    def at(needle: str) -> tuple[int, int]:
        line = next(i for i, s in enumerate(lines, 1) if needle in s)
        return line, lines[line - 1].index(needle) + 1

    expected = {
        (*at("uniform("), "'uniform()'"),
        (*at("clamp("), "'clamp()'"),
        (*at("max(stolen"), "'max()'"),
        (*at("now > 3"), "'now'"),
        (*at("min(0.5"), "'min()'"),
    }
    got = {(line, col, message.split(" is format 2")[0]) for line, col, message in found}
    assert expected <= got, found
    assert all("write 'format: 2'" in message for _, _, message in found)
    assert len(found) == len(expected)


def test_the_same_expressions_are_fine_in_format_2() -> None:
    assert _errors("2") == []


def test_without_a_stated_format_the_expressions_are_read() -> None:
    text = TEXT.format(version=2).replace("format: 2\n", "", 1)
    _, found = check_scenario(read_yaml_text(text, "old.yaml"), text)
    assert [p for p in found if p.severity == "error"] == []
