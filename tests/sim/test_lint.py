"""`tabletop lint`: golden findings on purpose-built broken scenarios, suppressions, exit codes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.authoring import explore
from sim.authoring.lint import lint_file, read_suppressions
from sim.authoring.rules import RULES
from sim.bundled import bundled_scenarios
from tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "tests" / "data" / "lint"
GOLDEN = sorted(LINT.glob("*.yaml"))
UPDATE = os.environ.get("TABLETOP_UPDATE_GOLDEN") == "1"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_golden_findings(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    got = "".join(f"{f}\n" for f in lint_file(path.relative_to(ROOT)))
    expected = path.with_suffix(".expected")
    if UPDATE:
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


def test_goldens_name_what_they_test() -> None:
    """Each golden's comments announce the codes it expects: the findings must match them."""
    for path in GOLDEN:
        announced = set(re.findall(r"# (TT\d{3}):", path.read_text(encoding="utf-8")))
        found = set(re.findall(r" (TT\d{3}) ", path.with_suffix(".expected").read_text()))
        assert announced <= found, (path.name, announced - found)


def test_every_static_rule_has_a_golden_finding() -> None:
    found = set()
    for path in GOLDEN:
        found |= set(re.findall(r" (TT\d{3}) ", path.with_suffix(".expected").read_text()))
    static = {c for c in RULES if c.startswith("TT1") or c in ("TT001", "TT003")}
    assert static <= found, static - found


def test_every_rule_is_documented_with_example_and_fix() -> None:
    doc = (ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        section = re.search(rf"^## {code} {rule.name}\n(.*?)(?=^## |\Z)", doc, re.M | re.S)
        assert section, f"{code} {rule.name} is not documented"
        assert "Example" in section.group(1) and "Fix" in section.group(1), code


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_bundled_scenarios_lint_clean(path: Path) -> None:
    loud = [str(f) for f in lint_file(path) if f.level != "info"]
    assert loud == []


def test_bundled_suppressions_are_explained() -> None:
    for path in bundled_scenarios():
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if "tabletop: disable" in line:
                assert line.strip().startswith("#"), "keep suppressions on their own lines"
                assert re.search(r"-- \S.{10,}", line), line


def test_suppression_comments() -> None:
    text = "\n".join(
        [
            "a: 1  # tabletop: disable=TT105,tt104 -- lower case codes are fine",
            "# tabletop: disable=TT110 -- next line",
            "",
            "# an ordinary comment in between",
            "b: 2",
            "c: 3 #tabletop:disable=TT105--tight",
            "d: '#tabletop: not a suppression'",
            "# tabletop: disable=",
            "e: 5",
        ]
    )
    s = read_suppressions("f.yaml", text)
    assert s.line_codes[1] == {"TT105", "TT104"}
    assert s.line_codes[5] == {"TT110"}
    assert s.line_codes[6] == {"TT105"}
    assert 7 not in s.line_codes
    assert s.hides("TT110", [5]) and not s.hides("TT110", [6])
    problems = [(p.line, p.code) for p in s.problems]
    assert (8, "TT003") in problems


def test_cli_text_json_and_exit_codes(tmp_path: Path) -> None:
    code, out, err = invoke("lint", str(LINT / "flow.yaml"))
    assert code == 0  # warnings only
    assert re.search(r"flow\.yaml:\d+:\d+: TT105 warning: actor 'spare'", out)
    assert "0 errors" in err
    code, _, _ = invoke("lint", "--strict", str(LINT / "flow.yaml"))
    assert code == 1
    code, out, _ = invoke("lint", "--format", "json", str(LINT / "values.yaml"))
    assert code == 0
    data = json.loads(out)
    assert {"path", "line", "col", "code", "level", "message"} <= set(data[0])
    assert any(d["code"] == "TT109" for d in data)
    code, out, _ = invoke("lint", str(LINT / "invalid.yaml"))
    assert code == 1 and "TT001 error: unknown actor 'nobody'" in out
    assert invoke("lint", str(tmp_path / "missing.yaml"))[0] == 2
    assert invoke("lint")[0] == 2
    assert invoke("lint", "--format", "xml", "quickstart")[0] == 2


def test_cli_lints_directories_and_skips_playbooks() -> None:
    code, out, err = invoke("lint", str(ROOT / "scenarios"))
    assert code == 0
    scenarios = len(list((ROOT / "scenarios").glob("*.yaml")))
    assert f"{scenarios} files" in err and "playbook" not in out


def test_unreadable_and_hostile_files(tmp_path: Path) -> None:
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage\x1b[31m")
    code, out, _ = invoke("lint", str(binary))
    assert code == 1 and "TT001" in out and "\x1b" not in out
    evil_name = tmp_path / "evil\x1b[2Jname.yaml"
    evil_name.write_text("scenario: 1\n", encoding="utf-8")
    code, out, _ = invoke("lint", str(evil_name))
    assert code == 1 and "\x1b" not in out


# --- simulated coverage -----------------------------------------------------------------------


def test_explore_reports_never_delivered_with_a_seed(tmp_path: Path) -> None:
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text(encoding="utf-8")
    # a press question only when more than 14 thousand cables leak: rare or never in 5 runs
    path = tmp_path / "q.yaml"
    path.write_text(text.replace('when: "data_exposed > 6"', 'when: "data_exposed > 1e6"'))
    code, out, _ = invoke("lint", "--explore", "5", str(path))
    assert code == 0
    assert re.search(
        r"TT201 info: inject 'press_question' never delivered in 5 runs \(seeds 0–4\)", out
    )
    assert "TT205 info: decision 'legislate' never posed" in out


def test_explore_reports_a_run_that_raises_with_its_seed(monkeypatch: pytest.MonkeyPatch) -> None:
    real = explore.play_one

    def flaky(scenario: object, seed: int) -> explore.Outcome:
        if seed == 3:
            raise_in = explore.Outcome(seed)
            raise_in.error = "ZeroDivisionError: boom"
            return raise_in
        return real(scenario, seed)  # type: ignore[arg-type]

    monkeypatch.setattr(explore, "play_one", flaky)
    code, out, _ = invoke("lint", "--explore", "4", "quickstart")
    assert code == 1
    assert "TT207 error: seed 3: the run failed: ZeroDivisionError: boom" in out


def test_explore_keeps_errors_raised_by_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim import deciders

    def broken(*args: object) -> None:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(deciders, "play", broken)
    outcome = explore.play_one(
        __import__("sim.loader").loader.load_scenario(ROOT / "scenarios" / "quickstart.yaml"), 7
    )
    assert outcome.seed == 7 and outcome.error == "RuntimeError: engine bug"


SIGNS = """format: 2
scenario: {{id: t, title: T, summary: s, start: "2020-01-01T00:00:00", horizon: 10}}
actors: [{{id: a, name: A, affiliation: government, player: true}}]
variables: {{x: {{initial: 5}}, y: {{initial: 1}}}}
injects:
  - {{id: i, at: 1, from: a, to: [a], title: t, text: t, effects: {{x: "{effect}"}}}}
"""


@pytest.mark.parametrize(
    ("effect", "in_turn"),
    [
        ("- x - y", "- (x + y)"),
        ("- x - (y - 1) + 2", "- (x + (y - 1) - 2)"),
        ("- (x - y) - y * 2", "- ((x - y) + y * 2)"),
        ("- (1 if y > 0 else 0) - y", "- ((1 if y > 0 else 0) + y)"),
        ("/ (y + 1) * 2", "/ ((y + 1) / 2)"),
    ],
)
def test_an_effect_read_as_one_amount_is_flagged_with_the_in_turn_spelling(
    tmp_path: Path, effect: str, in_turn: str
) -> None:
    path = tmp_path / "signs.yaml"
    path.write_text(SIGNS.format(effect=effect), encoding="utf-8")
    found = [f for f in lint_file(path) if f.code == "TT115"]
    assert len(found) == 1 and f"write '{in_turn}'" in found[0].message


@pytest.mark.parametrize(
    "effect", ["- (x - y)", "- x * y", "+ x - y", "* x / y", "- min(x, y) * 2", "= x - y", "- 1"]
)
def test_an_effect_that_reads_one_way_is_not_flagged(tmp_path: Path, effect: str) -> None:
    path = tmp_path / "signs.yaml"
    path.write_text(SIGNS.format(effect=effect), encoding="utf-8")
    assert [f for f in lint_file(path) if f.code == "TT115"] == []


def test_a_campaign_that_can_abort_can_be_stopped_so_waiting_for_it_is_no_finding(
    tmp_path: Path,
) -> None:
    text = """format: 2
scenario: {id: t, title: T, summary: s, start: "2020-01-01T00:00:00", horizon: 100}
actors:
  - {id: a, name: A, affiliation: government, player: true}
  - {id: x, name: X, affiliation: adversary}
variables: {deterrence: {initial: 0, min: 0, max: 1}}
threats:
  - {id: spies, actor: x, at: 1, abort_if: "deterrence > 0.5", stages: [{id: s1, duration: 50}]}
injects:
  - {id: warn, at: 2, from: a, to: [a], title: w, text: w, effects: {deterrence: "+ 0.6"}}
  - {id: gone, when: "spies == 'stopped'", from: a, to: [a], title: g, text: g}
"""
    path = tmp_path / "abort.yaml"
    path.write_text(text, encoding="utf-8")
    assert [f for f in lint_file(path) if f.code == "TT101"] == []
    path.write_text(text.replace(', abort_if: "deterrence > 0.5"', ""), encoding="utf-8")
    assert [f.code for f in lint_file(path) if f.code == "TT101"] == ["TT101"]


def test_an_empty_name_is_a_usage_error_not_the_current_folder() -> None:
    code, _, err = invoke("lint", "")
    assert code == 2 and "an empty name" in err


def test_an_idle_option_of_a_decision_something_follows_is_no_finding(tmp_path: Path) -> None:
    """docs/lint-rules.md, TT102: an option that does nothing is reported only when nothing
    reads the decision and nothing comes 'after' it (taking it early still brings on what
    follows)."""
    path = tmp_path / "s.yaml"
    path.write_text(
        "scenario: {id: s, title: S, summary: S, start: 2024-01-01T09:00:00Z, horizon: 100}\n"
        "actors: [{id: gov, name: Gov, affiliation: government}]\n"
        "variables: {x: {initial: 0, min: 0, max: 10}}\n"
        "injects:\n"
        "  - {id: a, at: 1, from: gov, to: [gov], text: A, invented: true, decision: d}\n"
        "  - {id: b, after: d, delay: 2, from: gov, to: [gov], text: B, invented: true}\n"
        "decisions:\n"
        "  - id: d\n"
        "    owner: gov\n"
        "    prompt: P\n"
        "    deadline: 10\n"
        "    default: wait\n"
        "    options:\n"
        "      - {id: act, label: Act, effects: {x: '+ 1'}}\n"
        "      - {id: meet, label: Meet}\n"
        "      - {id: wait, label: Wait}\n"
        "objectives: [{id: o, description: O, met: 'x > 0'}]\n",
        encoding="utf-8",
    )
    assert [f for f in lint_file(path) if f.code == "TT102"] == []
    text = path.read_text(encoding="utf-8").replace("after: d", "after: a")
    path.write_text(text, encoding="utf-8")
    assert [f.code for f in lint_file(path) if f.code == "TT102"] == ["TT102"]


def test_the_summary_counts_in_words_a_reader_expects() -> None:
    """'1 file: 1 error, 1 warning', never '1 errors' or '1 warnings'."""
    for name in ("players.yaml", "invalid.yaml", "flow.yaml"):  # 1 warning; 1 error; 10 warnings
        _code, out, err = invoke("lint", str(LINT / name))
        warnings = len(re.findall(r": TT\d+ warning: ", out))
        errors = len(re.findall(r": TT\d+ error: ", out))
        summary = err.strip().splitlines()[-1]
        assert summary.startswith("1 file: "), summary
        assert f" {errors} error{'' if errors == 1 else 's'}," in summary, summary
        assert f" {warnings} warning{'' if warnings == 1 else 's'}," in summary, summary
        assert " 1 errors" not in summary and " 1 warnings" not in summary
    _code, _out, err = invoke("lint", str(LINT / "flow.yaml"), str(LINT / "players.yaml"))
    assert err.strip().splitlines()[-1].startswith("2 files: ")
