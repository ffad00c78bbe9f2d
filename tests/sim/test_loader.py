"""Scenario problems as authors see them: golden files of bad input and their messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.loader import check_scenario_file, load_scenario, load_scenario_text
from sim.problems import InputProblems

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "tests" / "data" / "bad"
GOLDEN = sorted(BAD.glob("*.yaml"))


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_every_problem_is_reported_at_its_line_and_column(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each golden file lists every problem, in file order, exactly as `validate` prints it."""
    monkeypatch.chdir(BAD)
    scenario, problems = check_scenario_file(path.name)
    assert scenario is None
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert [str(p) for p in problems if p.severity == "error"] == expected


def test_golden_files_cover_the_problems_authors_make() -> None:
    text = "\n".join(p.with_suffix(".expected").read_text() for p in GOLDEN)
    for phrase in (
        "did you mean",
        "unknown key",
        "missing key",
        "unknown actor",
        "already used",
        "loop",
        "not a valid id",
        "expected a number",
        "function calls are not allowed",
        "not a possible value",
        "unknown distribution",
    ):
        assert phrase in text


def test_the_bundled_quickstart_is_valid_without_warnings() -> None:
    scenario, problems = check_scenario_file(ROOT / "scenarios" / "quickstart.yaml")
    assert scenario is not None
    assert problems == []


def test_warnings_do_not_stop_loading() -> None:
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text()
    text = text.replace("    invented: true\n    module: response\n", "    module: response\n", 1)
    scenario = load_scenario_text(text, "q.yaml")
    assert scenario.scenario.id == "quickstart"


def test_warnings_are_reported_with_positions(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text()
    text = text.replace('effects: {ally_trust: "- 0.15"}', "effects: {ally_trust: -0.15}")
    path = tmp_path / "q.yaml"
    path.write_text(text)
    scenario, problems = check_scenario_file(path)
    assert scenario is not None
    assert [p.severity for p in problems] == ["warning"]
    assert "to subtract, write '- 0.15'" in str(problems[0])
    assert str(problems[0]).startswith(f"{path}:")


def test_load_raises_with_every_error() -> None:
    with pytest.raises(InputProblems) as info:
        load_scenario(BAD / "misspelt_keys.yaml")
    assert len(info.value.errors) == 7


def test_hostile_yaml_is_refused_cleanly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    for text in (bomb, "!!python/object/apply:os.system ['echo hi']", "[" * 50_000, ""):
        with pytest.raises(InputProblems):
            load_scenario_text(text, "evil.yaml")


def test_an_empty_section_is_the_same_as_none(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text()
    text = text.replace("objectives:\n", "objectives:\n", 1)
    head, _, _ = text.partition("\nobjectives:\n")
    path = tmp_path / "q.yaml"
    path.write_text(head + "\nobjectives:\n")
    scenario, problems = check_scenario_file(path)
    assert scenario is not None, [str(p) for p in problems]
    assert scenario.objectives == []


def test_empty_text_says_it_must_not_be_empty(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text()
    text = text.replace(
        'text: "The Cabinet orders a review of the networks of five agencies."', 'text: ""'
    )
    path = tmp_path / "q.yaml"
    path.write_text(text)
    _, problems = check_scenario_file(path)
    assert [p.message for p in problems] == ["must not be empty"]


@pytest.mark.parametrize(
    ("line", "typo"),
    [("  horizon: 720", "  horizon: lots"), ("  seed: 2020", "  seed: x")],
    ids=["horizon", "seed"],
)
def test_a_typo_in_the_scenario_block_is_the_one_problem_reported(
    tmp_path: Path, line: str, typo: str
) -> None:
    """The scenario block holds the sources and modules: a typo elsewhere in it must not make
    every inject's cited source and module 'unknown' (the author defined them all)."""
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text()
    assert line in text
    path = tmp_path / "q.yaml"
    path.write_text(text.replace(line, typo, 1))
    scenario, problems = check_scenario_file(path)
    assert scenario is None
    errors = [str(p) for p in problems if p.severity == "error"]
    assert len(errors) == 1, errors
    assert typo.split(": ")[1] in errors[0]


def test_an_invalid_id_is_the_one_problem_when_the_file_uses_the_fix_it_suggests(
    tmp_path: Path,
) -> None:
    """'iot botnet' is not a valid id (try 'iot_botnet'): the references to 'iot_botnet' are
    not also called unknown, with a 'did you mean' pointing back at the invalid id."""
    text = (ROOT / "docs" / "examples" / "tutorial.yaml").read_text()
    assert "  - id: iot_botnet\n" in text and text.count("iot_botnet") > 2
    path = tmp_path / "t.yaml"
    path.write_text(text.replace("  - id: iot_botnet\n", "  - id: iot botnet\n", 1))
    scenario, problems = check_scenario_file(path)
    assert scenario is None
    errors = [str(p) for p in problems if p.severity == "error"]
    assert len(errors) == 1, errors
    assert "(try 'iot_botnet')" in errors[0]
