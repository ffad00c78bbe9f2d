"""Warnings an author meets while writing a scenario say what is wrong and how to fix it, at
file:line:col: a time past the horizon, and a bill stage whose 'attempts' or 'stall' does
nothing (docs/scenario-format.md, §14.4 and §22)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import ONE_INJECT, problems, scenario, validated

BILL = """\
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
      - {id: b, label: B, responses: [bill]}
responses:
  - id: bill
    kind: legislation
    sponsor: gov
    stages:
      - {id: vote, duration: 5, passes: 0.5STAGE}
    effects: {v: "= 1"}
"""


def test_an_inject_after_the_horizon_says_how_to_fix_it(tmp_path: Path) -> None:
    code, out = validated(tmp_path, scenario(ONE_INJECT.replace("at: 1", "at: 150")))
    assert code == 0
    assert problems(out) == [
        "s.yaml:15:18: warning: time 150 is at or after the horizon (100): the inject is never "
        "delivered; give it an earlier time, or lengthen the horizon"
    ]


def test_an_objective_by_after_the_horizon_says_what_it_means_and_how_to_fix_it(
    tmp_path: Path,
) -> None:
    text = scenario(
        ONE_INJECT + "objectives:\n  - {id: o, description: D, met: 'v > 0', by: 200}\n"
    )
    code, out = validated(tmp_path, text)
    assert code == 0
    assert problems(out) == [
        "s.yaml:17:47: warning: 'by' (200) is after the horizon (100), so it asks only whether "
        "'met' held at some moment of the exercise; write 'by: 100' or less, or lengthen the "
        "horizon"
    ]


@pytest.mark.parametrize(
    ("stage", "says"),
    [
        (
            ", attempts: 3",
            "s.yaml:30:56: warning: 'attempts' (3) does nothing without 'stall': the first "
            "failed attempt kills the bill; add 'stall:' (how long it waits before the next "
            "attempt), or remove 'attempts'",
        ),
        (
            ", stall: 12",
            "s.yaml:30:53: warning: 'stall' does nothing with one attempt: the first failed "
            "attempt kills the bill; add 'attempts:' (2 or more), or remove 'stall'",
        ),
        (
            ", stall: 12, attempts: 1",
            "s.yaml:30:53: warning: 'stall' does nothing with one attempt: the first failed "
            "attempt kills the bill; add 'attempts:' (2 or more), or remove 'stall'",
        ),
    ],
    ids=["attempts without stall", "stall without attempts", "stall with one attempt"],
)
def test_a_bill_stage_whose_retry_keys_do_nothing_is_warned_of(
    tmp_path: Path, stage: str, says: str
) -> None:
    code, out = validated(tmp_path, scenario(BILL.replace("STAGE", stage)))
    assert code == 0
    assert problems(out) == [says]


def test_a_bill_stage_that_can_stall_and_try_again_is_no_warning(tmp_path: Path) -> None:
    code, out = validated(tmp_path, scenario(BILL.replace("STAGE", ", stall: 12, attempts: 2")))
    assert code == 0
    assert problems(out) == []


def test_an_unknown_name_with_no_close_match_lists_the_few_there_are(tmp_path: Path) -> None:
    """With no close spelling to suggest, a small scenario's ids of that kind are listed, so
    the author sees what to write; a kind the scenario has none of says so."""
    text = scenario(
        ONE_INJECT.replace("to: [gov]", "to: [cabinet]").replace(
            "invented: true}", "invented: true, reveals: [espionage]}"
        )
    )
    code, out = validated(tmp_path, text)
    assert code == 1
    assert problems(out) == [
        "s.yaml:15:37: unknown actor 'cabinet' (the actors are adv, ally, gov)",
        "s.yaml:15:83: unknown threat 'espionage' (the scenario has no threats)",
    ]


@pytest.mark.parametrize(
    ("bounds", "says"),
    [
        (
            "{initial: 0, min: 1, max: 0}",
            "s.yaml:13:6: min (1) must not be above max (0): swap them",
        ),
        (
            "{initial: 2, max: 1}",
            "s.yaml:13:6: initial value 2 is outside min..max (..1): change 'initial', or widen "
            "'min' or 'max'",
        ),
    ],
)
def test_bounds_that_cannot_hold_say_which_numbers_and_the_fix(
    tmp_path: Path, bounds: str, says: str
) -> None:
    code, out = validated(tmp_path, scenario().replace("v: {initial: 0}", f"v: {bounds}"))
    assert code == 1
    assert problems(out) == [says]


@pytest.mark.parametrize(
    ("delay", "says"),
    [
        (
            "6h",
            "'6h' is not a number: times are plain numbers in the scenario's time_unit (write 6)",
        ),
        (
            "2 days",
            "'2 days' is not a number: times are plain numbers in the scenario's time_unit "
            "(write 2)",
        ),
        (
            "12-36",
            "'12-36' is not one number: for a time anywhere from 12 to 36, write "
            "{uniform: [12, 36]}",
        ),
        (
            "soon",
            "expected a number or one of uniform, triangular, normal, lognormal, "
            "exponential, e.g. {uniform: [2, 12]}; got the text 'soon'",
        ),
    ],
)
def test_a_time_written_as_people_say_it_says_how_to_write_it(
    tmp_path: Path, delay: str, says: str
) -> None:
    body = ONE_INJECT + (
        "  - {id: i1, after: i0, delay: DELAY, from: gov, to: [gov], text: Hi, invented: true}\n"
    ).replace("DELAY", delay)
    code, out = validated(tmp_path, scenario(body))
    assert code == 1
    assert [p.split(": ", 1)[1] for p in problems(out)] == [says]


def test_a_number_written_with_its_unit_says_to_write_the_number_alone(tmp_path: Path) -> None:
    text = scenario(ONE_INJECT.replace("at: 1", "at: 2 days"))
    code, out = validated(tmp_path, text)
    assert code == 1
    assert [p.split(": ", 1)[1] for p in problems(out)] == [
        "expected a number, got the text '2 days'; write the number alone (2; times are in the "
        "scenario's time_unit)"
    ]
