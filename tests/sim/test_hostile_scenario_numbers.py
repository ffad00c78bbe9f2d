"""Hostile numbers: booleans where a number goes, numbers YAML leaves as text, chances that
are not chances. Each is refused at its file:line:col by validate, run and batch alike, or
read as the number it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import ONE_INJECT, invoke, problems, refused_everywhere, scenario, validated

from sim.loader import load_scenario_text

DECISION = """\
injects:
  - {id: i0, at: 1, from: gov, to: [gov], text: Hi, invented: true, decision: d}
decisions:
  - id: d
    owner: gov
    prompt: Go?
    deadline: 10
    default: a
    options:
      - {id: a, label: A}
      - {id: b, label: B}
"""

# (what, the scenario text, the problem it must report)
BOOLEANS = [
    ("horizon", scenario(horizon="true"), "s.yaml:7:12: expected a number, got 'true'"),
    (
        "an inject's time",
        scenario(ONE_INJECT.replace("at: 1", "at: true")),
        "s.yaml:15:18: expected a number, got 'true'",
    ),
    (
        "a variable's initial value",
        scenario().replace("v: {initial: 0}", "v: {initial: false}"),
        "s.yaml:13:16: expected a number, got 'false'",
    ),
    (
        "a variable's max",
        scenario().replace("v: {initial: 0}", "v: {initial: 0, max: true}"),
        "s.yaml:13:24: expected a number, got 'true'",
    ),
    (
        "an actor's capacity",
        scenario().replace("affiliation: government}", "affiliation: government, capacity: true}"),
        "s.yaml:9:61: expected a whole number, got 'true'",
    ),
    (
        "a decision's deadline",
        scenario(DECISION.replace("deadline: 10", "deadline: true")),
        "s.yaml:20:15: expected a number, got 'true'",
    ),
    ("the seed", scenario().replace("  horizon: 100", "  horizon: 100\n  seed: true"), ""),
]


@pytest.mark.parametrize(("what", "text", "says"), BOOLEANS, ids=[b[0] for b in BOOLEANS])
def test_a_boolean_is_not_a_number(tmp_path: Path, what: str, text: str, says: str) -> None:
    """`true` where a number goes was read as 1 (and `false` as 0) without a word."""
    found = refused_everywhere(tmp_path, text)
    if says:
        assert found == [says]
    else:
        assert len(found) == 1
        assert "got 'true'" in found[0]


def test_a_playbook_rule_waits_a_number_not_a_boolean(tmp_path: Path) -> None:
    book = "playbook: {id: p, scenario: h}\ndecisions:\n  d: {choose: b, after: true}\n"
    found = refused_everywhere(tmp_path, scenario(DECISION), playbook=book)
    assert found == ["p.yaml:3:25: expected a number, got 'true'"]


@pytest.mark.parametrize(
    ("duration", "params"),
    [
        ("1e3", (1000.0,)),
        ("{exponential: 2.5e1}", (25.0,)),
        ("{uniform: [1e1, 1e2]}", (10.0, 100.0)),
        ("{normal: {mean: 1e1, sd: 5, max: 1e3}}", (10.0, 5.0, 0.0, 1000.0)),
        ("{lognormal: {median: 2e1, sigma: 1}}", (20.0, 1.0)),
    ],
)
def test_a_duration_in_exponent_form_is_a_number(duration: str, params: tuple[float]) -> None:
    """YAML leaves `1e3` (no dot) as text; every other number field reads it as 1000, and a
    duration said '... must be a number' of it."""
    body = f"""\
threats:
  - id: t
    actor: adv
    at: 0
    stages:
      - {{id: s, duration: {duration}}}
{ONE_INJECT}"""
    loaded = load_scenario_text(scenario(body, horizon="1e4"), "s.yaml")
    assert loaded.scenario.horizon == 10_000
    assert loaded.threats[0].stages[0].duration.params == params


def test_a_duration_too_large_in_exponent_form_says_so(tmp_path: Path) -> None:
    body = f"""\
threats:
  - id: t
    actor: adv
    at: 0
    stages:
      - {{id: s, duration: {{uniform: [0, 1e7]}}}}
      - {{id: u, duration: 1e400}}
{ONE_INJECT}"""
    assert refused_everywhere(tmp_path, scenario(body)) == [
        "s.yaml:19:27: uniform must be a number between -1,000,000 and 1,000,000",
        "s.yaml:20:27: a fixed value must be a number between -1,000,000 and 1,000,000",
    ]


CHANCES = """\
threats:
  - id: t
    actor: adv
    at: 0
    reentry: {delay: 5, chance: 2}
    stages:
      - {id: s, duration: 5, detect: 5}
injects:
  - {id: i0, at: 1, from: gov, to: [gov], text: Hi, invented: true, probability: -0.5, decision: d}
responses:
  - {id: r, kind: countermeasure, actor: gov, duration: 1, success: '1.5'}
decisions:
  - id: d
    owner: gov
    prompt: P
    deadline: 5
    default: a
    options:
      - {id: a, label: A, responses: [r]}
      - {id: b, label: B, consent: {actor: ally, chance: 100}}
"""


def test_a_chance_written_outside_0_to_1_is_refused(tmp_path: Path) -> None:
    """A written chance of 5 was read as certain (clamped to 1) without a word: most likely a
    percentage typed as a number."""
    assert refused_everywhere(tmp_path, scenario(CHANCES)) == [
        "s.yaml:18:33: a chance is a number from 0 to 1, not 2 (for 2 %, write 0.02)",
        "s.yaml:20:38: a chance is a number from 0 to 1, not 5 (for 5 %, write 0.05)",
        "s.yaml:22:82: a chance is a number from 0 to 1, not -0.5",
        "s.yaml:24:69: a chance is a number from 0 to 1, not 1.5 (for 1.5 %, write 0.015)",
        "s.yaml:33:58: a chance is a number from 0 to 1, not 100 (for 100 %, write 1)",
    ]


def test_a_chance_from_an_expression_is_still_clamped(tmp_path: Path) -> None:
    """Only a chance written as a number is checked: an expression's result is clamped
    when it is read (docs: Probabilities)."""
    text = scenario(CHANCES.replace("detect: 5", "detect: 'v * 5'"))
    for bad, good in (("chance: 2", "chance: 1"), ("-0.5", "0"), ("'1.5'", "'1'")):
        text = text.replace(bad, good)
    text = text.replace("chance: 100", "chance: '0.5 + 1'")
    code, out = validated(tmp_path, text)
    assert code == 0, out


BILL = """\
responses:
  - id: bill
    kind: legislation
    sponsor: gov
    carry_over: 3
    stages:
      - {id: floor, sitting: true, duration: 10}
decisions:
  - id: d
    owner: gov
    prompt: Go?
    deadline: 1
    default: a
    options:
      - {id: a, label: A, responses: [bill]}
      - {id: b, label: B}
injects:
  - {id: i0, at: 0, from: gov, to: [gov], text: Hi, invented: true, decision: d}
calendar:
  - {id: s1, opens: 0, closes: 50, dissolution: {chance: 7}}
"""


def test_calendar_chances_outside_0_to_1_are_refused(tmp_path: Path) -> None:
    assert refused_everywhere(tmp_path, scenario(BILL)) == [
        "s.yaml:18:17: a chance is a number from 0 to 1, not 3 (for 3 %, write 0.03)",
        "s.yaml:33:58: a chance is a number from 0 to 1, not 7 (for 7 %, write 0.07)",
    ]


def test_a_dissolution_condition_may_not_read_the_clock(tmp_path: Path) -> None:
    """A dissolution's `if` is watched for changes like `when`: time moves without one, so
    'now' there would depend on when something else happened to change."""
    text = scenario(BILL.replace("carry_over: 3", "carry_over: 0.5")).replace(
        "dissolution: {chance: 7}", "dissolution: {if: 'now > 5'}"
    )
    found = refused_everywhere(tmp_path, text)
    assert len(found) == 1
    assert found[0].startswith("s.yaml:33:54: 'now' cannot be read in a dissolution's 'if'")


def test_the_console_loading_path_reports_the_same(tmp_path: Path) -> None:
    """`tabletop play a.yaml b.yaml` checks every file before asking for a terminal: the same
    problems as validate (the loader is shared)."""
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(scenario(horizon="true"), encoding="utf-8")
    b.write_text(scenario(CHANCES), encoding="utf-8")
    code, played = invoke("play", str(a), str(b))
    assert code == 1
    code, checked = invoke("validate", str(a), str(b))
    assert code == 1
    assert problems(played) == problems(checked)
    assert len(problems(checked)) == 6


@pytest.mark.parametrize("start", ["1", "1700000000", "'1700000000'", "1.5e9", "true"])
def test_a_number_is_not_a_start_date(tmp_path: Path, start: str) -> None:
    """`start: 1` was read as one second after 1 January 1970 (a Unix time), without a word."""
    text = scenario().replace("start: 2020-01-01T00:00:00Z", f"start: {start}")
    assert refused_everywhere(tmp_path, text) == [
        "s.yaml:6:10: expected a date-time such as 2020-07-01T09:00:00+09:00"
    ]


def test_an_objective_rated_at_a_time_after_the_horizon_is_warned_of(tmp_path: Path) -> None:
    """`at: 500` in a 100-hour exercise is never reached; 'by' after the horizon was warned of,
    'at' was not."""
    text = scenario(
        ONE_INJECT + "objectives:\n  - {id: o, description: D, met: 'v > 0', at: 500}\n"
    )
    code, out = validated(tmp_path, text)
    assert code == 0
    assert problems(out) == [
        "s.yaml:17:47: warning: 'at' (500) is after the horizon (100): the objective is never "
        "rated at that time; write 'at: 100' or less, or lengthen the horizon"
    ]
