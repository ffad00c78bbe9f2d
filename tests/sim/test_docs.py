"""The documentation stays true to the code.

- every YAML block in docs/scenario-format.md parses; every complete scenario in it
  validates, and every playbook in it loads against the scenario it names;
- every key of the format (every field of every model in sim/schema.py and sim/playbook.py),
  every status value, every event kind and field, every key of the JSON output and the
  safety limits appear in docs/scenario-format.md, so adding a field without documenting
  it fails here;
- the tutorial's scenario validates with no warnings and its playbooks load.
"""

from __future__ import annotations

import inspect
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from sim import events, expr, playbook, schema, yamlread
from sim.deciders import DefaultDecider, PlaybookDecider, play
from sim.engine import Exercise
from sim.loader import check_scenario, check_scenario_file, load_scenario
from sim.playbook import load_playbook, load_playbook_text
from sim.report import RunResult

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
REFERENCE = DOCS / "scenario-format.md"
TUTORIAL = DOCS / "authoring-tutorial.md"
EXAMPLE = DOCS / "examples" / "tutorial.yaml"
EXAMPLE_PLAYBOOKS = sorted((DOCS / "examples").glob("tutorial--*.yaml"))

FENCE = re.compile(r"^([ \t]*)```(\w*)[ \t]*\n(.*?)^\1```[ \t]*$", re.MULTILINE | re.DOTALL)


def code_blocks(path: Path, language: str) -> list[tuple[int, str]]:
    """(line number, dedented text) of each fenced block of that language."""
    text = path.read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(text):
        if m.group(2) == language:
            line = text.count("\n", 0, m.start()) + 2
            body = textwrap.dedent(m.group(3))
            out.append((line, body))
    return out


def reference() -> str:
    return REFERENCE.read_text(encoding="utf-8")


def documented(name: str) -> bool:
    """The key appears in backticks somewhere (alone, or as `key: ...`, `{key: ...}`)."""
    return (
        re.search(r"`[^`\n]*(?<![\w-])" + re.escape(name) + r"(?![\w-])[^`\n]*`", reference())
        is not None
    )


# --- YAML examples -----------------------------------------------------------------------------


def parsed_blocks(path: Path) -> list[tuple[int, str, Any]]:
    blocks = []
    for line, body in code_blocks(path, "yaml"):
        if all(not x.strip() or x.lstrip().startswith("#") for x in body.splitlines()):
            continue  # only comments, e.g. the editor's schema line
        try:
            doc = yamlread.read_yaml_text(body, f"{path.name}:{line}")
        except Exception as exc:  # pragma: no cover - the message is the point
            pytest.fail(f"{path.name}, block at line {line} is not valid YAML: {exc}")
        blocks.append((line, body, doc.data))
    return blocks


@pytest.mark.parametrize("path", [REFERENCE, TUTORIAL], ids=lambda p: p.name)
def test_every_yaml_block_parses(path: Path) -> None:
    assert parsed_blocks(path)


def complete_scenarios(path: Path) -> list[tuple[int, str, Any]]:
    return [
        (line, body, data)
        for line, body, data in parsed_blocks(path)
        if isinstance(data, dict) and {"scenario", "actors", "injects"} <= set(data)
    ]


@pytest.mark.parametrize("path", [REFERENCE, TUTORIAL], ids=lambda p: p.name)
def test_every_complete_scenario_in_the_docs_validates(path: Path) -> None:
    found = complete_scenarios(path)
    if path == REFERENCE:
        assert found, "the reference should show at least one complete scenario"
    for line, body, _ in found:
        scenario, problems = check_scenario(yamlread.read_yaml_text(body, f"block@{line}"), body)
        errors = [str(p) for p in problems if p.severity == "error"]
        assert scenario is not None and not errors, f"{path.name} block at line {line}: {errors}"


def test_every_playbook_in_the_reference_loads_against_its_scenario() -> None:
    scenarios = {}
    for _, body, data in complete_scenarios(REFERENCE):
        scenarios[data["scenario"]["id"]] = body
    books = [
        (line, body, data)
        for line, body, data in parsed_blocks(REFERENCE)
        if isinstance(data, dict) and "playbook" in data
    ]
    assert books
    for line, body, data in books:
        text = scenarios[data["playbook"]["scenario"]]
        scenario, _ = check_scenario(yamlread.read_yaml_text(text), text)
        assert scenario is not None
        load_playbook_text(body, scenario, f"block@{line}")


# --- every key, value and limit is documented ------------------------------------------------


def models() -> list[type[BaseModel]]:
    found = []
    for module in (schema, playbook):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseModel) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_section_is_documented() -> None:
    for section in schema.SECTIONS:
        assert documented(section), section
        assert re.search(rf"^## .*`{section}`", reference(), re.M), section


def test_every_key_of_every_model_is_documented() -> None:
    missing = []
    for cls in models():
        if cls is schema.Distribution:
            continue  # written as a number or a one-key mapping: checked below
        for name, field in cls.model_fields.items():
            key = field.alias or name
            if not documented(key):
                missing.append(f"{cls.__name__}.{key}")
    assert not missing, f"keys missing from docs/scenario-format.md: {missing}"


def test_every_distribution_form_is_documented() -> None:
    for kind in schema.DISTRIBUTION_KINDS:
        assert documented(kind), kind
    for key in ("mean", "sd", "min", "max", "median", "sigma"):
        assert documented(key), key


def test_every_enumerated_value_is_documented() -> None:
    values = [
        *schema.THREAT_STATUSES,
        *schema.RESPONSE_STATUSES,
        *schema.INJECT_STATUSES,
        schema.UNDECIDED,
        *schema.RESPONSE_KINDS,
        *schema.UNIT_HOURS,
        "government", "ally", "adversary", "operator", "public", "media",
    ]  # fmt: skip
    for value in values:
        assert documented(value), value
    for word in schema.RESERVED_NAMES:
        assert documented(word), word


def test_every_event_kind_and_field_is_documented() -> None:
    for kind, cls in events.EVENT_TYPES.items():
        assert documented(kind), kind
        for f in cls.__dataclass_fields__:
            assert documented(f), f"{kind}.{f}"


def test_every_key_of_the_json_output_is_documented() -> None:
    scenario = load_scenario(EXAMPLE)
    ex = Exercise(scenario, 1)
    play(ex, PlaybookDecider(load_playbook(EXAMPLE_PLAYBOOKS[0], scenario)))
    data = RunResult(ex, "x").to_json_data()
    for key in data:
        assert documented(key), key
    for key in (*data["final"], *data["decisions"][0], *data["objectives"][0]):
        if key not in scenario.variables:
            assert documented(key), key
    assert f"`{data['format']}`" in reference()


def test_the_json_output_section_shows_the_keys_in_order_and_a_real_event() -> None:
    """Section 25 lists the keys of `tabletop run --format json` in the order they come, and
    its example event is one that `tabletop run quickstart --seed 7 --format json` prints."""
    scenario = load_scenario(ROOT / "scenarios" / "quickstart.yaml")
    ex = Exercise(scenario, 7)
    play(ex, DefaultDecider())
    data = RunResult(ex, None).to_json_data()
    section = reference().split("## 25. ")[1].split("\n## ")[0]
    table = section.split("The keys, in order:")[1].split("\n\n")[1]
    assert re.findall(r"^\| `(\w+)` \|", table, re.M) == list(data)
    (_, example), *_ = [b for b in code_blocks(REFERENCE, "json") if '"kind"' in b[1]]
    assert json.loads(example) in data["events"]


def test_the_safety_limits_are_documented() -> None:
    limits = yamlread.DEFAULT_LIMITS
    text = reference()
    for number in (
        f"{limits.max_bytes:,}",
        f"{limits.max_depth} levels",
        f"{limits.max_nodes:,}",
        f"{limits.max_aliases:,}",
        f"{limits.max_scalar_chars:,}",
        f"{expr.MAX_SOURCE} characters",
        f"| {expr.MAX_NODES} |",
        f"| {expr.MAX_BRACKETS} |",
        f"{expr.MAX_STRING} characters",
        f"−{expr.MAX_EXPONENT} to {expr.MAX_EXPONENT}",
        f"{expr.MAX_BASE:,.0f}",
    ):
        assert number in text, number


def test_the_reference_quotes_the_golden_files_messages_as_they_are() -> None:
    """Every message the reference quotes from a file of tests/data/bad or tests/data/hostile
    (`NAME.yaml:LINE:COL: message`) is one `tabletop validate` prints for that file today."""
    data = ROOT / "tests" / "data"
    checked = 0
    for m in re.finditer(r"(?m)(?<![\w-])([\w-]+)\.yaml:\d+:\d+: [^`\n]+", reference()):
        for folder in ("bad", "hostile"):
            golden = data / folder / f"{m.group(1)}.expected"
            if golden.exists():
                lines = golden.read_text(encoding="utf-8").splitlines()
                assert m.group(0).rstrip() in lines, f"not what validate says: {m.group(0)}"
                checked += 1
    assert checked >= 20


# --- the tutorial's files ----------------------------------------------------------------------


def test_tutorial_scenario_validates_with_no_warnings() -> None:
    scenario, problems = check_scenario_file(EXAMPLE)
    assert scenario is not None
    assert [str(p) for p in problems] == []


def test_tutorial_playbooks_load() -> None:
    assert len(EXAMPLE_PLAYBOOKS) >= 2
    scenario = load_scenario(EXAMPLE)
    for path in EXAMPLE_PLAYBOOKS:
        book = load_playbook(path, scenario)
        assert book.playbook.scenario == scenario.scenario.id
        assert path.stem == book.playbook.id


# --- links ---------------------------------------------------------------------------------------


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md")), *sorted(DOCS.glob("scenarios/*.md"))]


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_links_lead_somewhere(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    outside = FENCE.sub("", text)
    anchors = {slug(h) for h in re.findall(r"^#+ (.*)$", outside, re.MULTILINE)}
    for target in re.findall(r"\]\(([^)\s]+)\)", re.sub(r"`[^`\n]*`", "", outside)):
        if target.startswith(("http://", "https://")):
            continue
        file, _, anchor = target.partition("#")
        if file:
            linked = (path.parent / file).resolve()
            assert linked.exists(), f"{path.name}: link to missing file {target}"
            if anchor and linked.suffix == ".md":
                body = FENCE.sub("", linked.read_text(encoding="utf-8"))
                heads = {slug(h) for h in re.findall(r"^#+ (.*)$", body, re.MULTILINE)}
                assert anchor in heads, f"{path.name}: no heading for {target}"
        else:
            assert anchor in anchors, f"{path.name}: no heading for #{anchor}"


def test_the_readme_lists_the_options_of_tabletop_itself() -> None:
    """README's everyday commands show `tabletop --version` (every option of the program)."""
    from sim.cli import main

    [commands] = [
        body for _, body in code_blocks(ROOT / "README.md", "sh") if body.startswith("tabletop ")
    ]
    lines = [line.split("#")[0].split() for line in commands.splitlines()]
    options = [opt for param in main.params for opt in param.opts]
    assert "--version" in options
    for opt in options:
        assert ["tabletop", opt] in lines, opt


def test_no_page_of_the_docs_holds_a_merge_conflict() -> None:
    """A reader never meets '<<<<<<< HEAD' in a page: conflict markers left by a merge."""
    marker = re.compile(r"^(<{7}|>{7}) ", re.MULTILINE)
    pages = [*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"]
    left = [str(p.relative_to(ROOT)) for p in pages if marker.search(p.read_text("utf-8"))]
    assert left == []
