"""A constant change (``+ 1.5``, ``- 0.05``) is applied as a plain sum (sim.compiled.added),
and gives exactly what the effect's own function gives: the same number, the same failure
when the result is out of range, in a run with a log and without."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import events as ev
from sim.compiled import added
from sim.deciders import PlaybookDecider, play
from sim.engine import Exercise
from sim.expr import ExprError, NameSpec, compile_effect
from sim.loader import load_scenario_text
from sim.playbook import load_playbook

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"a": NameSpec("number")}
BIG = " * ".join(["1e15"] * 20) + " * 1e8"
"""1e308, written within the language's bounds on literals (at most 10**15)."""
CONSTANTS = ["1.5", "0.05", "0", "-0.0", "1e15", BIG, "true", "2 * 0.1", "(1 - 3)", "1 / 3"]
OLDS = [0.0, -0.0, 0.7, -0.05, 1e308, -1e308, 1.7e308, math.inf, -math.inf, math.nan, 1e-300]


def _sum_or_apply(source: str, old: float) -> tuple[str, object]:
    """What the engine does with the effect: the sum when in range, else the effect's own
    function (its error, as the reference form words it)."""
    effect = compile_effect(source, NAMES)
    plus = added(effect)
    assert plus is not None, source
    new = old + plus
    if -1.8e308 < new < 1.8e308:
        return "value", (new, math.copysign(1, new))
    try:
        slow = effect.slow_apply(old, {})
    except ExprError as exc:
        return "error", exc.message
    return "value", (slow, math.copysign(1, slow))


def _reference(source: str, old: float) -> tuple[str, object]:
    try:
        value = compile_effect(source, NAMES).slow_apply(old, {})
    except ExprError as exc:
        return "error", exc.message
    return "value", (value, math.copysign(1, value))


@settings(max_examples=300, deadline=None, database=None)
@given(st.sampled_from(["+", "-"]), st.sampled_from(CONSTANTS), st.sampled_from(OLDS))
def test_a_constant_change_is_the_effects_own_value(op: str, constant: str, old: float) -> None:
    source = f"{op} {constant}"
    assert _sum_or_apply(source, old) == _reference(source, old)


@pytest.mark.parametrize("source", ["= 1", "* 2", "/ 2", "+ a", "- 0.1 * a", "+ uniform(1, 2)"])
def test_other_changes_go_through_the_effect(source: str) -> None:
    assert added(compile_effect(source, NAMES)) is None


def test_an_out_of_range_sum_is_reported_as_before() -> None:
    """Cables exposed start near the largest number: an exfiltration adding 1e308 would make
    it too large, so the effect fails, recorded, and the value stays."""
    text = (ROOT / "scenarios" / "quickstart.yaml").read_text()
    for old, new in [
        ("data_exposed: {initial: 0,", "data_exposed: {initial: 1.7e308,"),
        ('effects: {data_exposed: "+ 1.5"}', 'effects: {data_exposed: "+ ' + BIG + '"}'),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    scenario = load_scenario_text(text)
    book = load_playbook(ROOT / "scenarios/playbooks/quickstart--cooperate.yaml", scenario)
    for log in (True, False):
        ex = Exercise(scenario, 4, log=log)
        play(ex, PlaybookDecider(book))
        assert ex.value("data_exposed") == 1.7e308
        if log:
            failed = [r for r in ex.records if isinstance(r, ev.ExpressionFailed)]
            assert failed and {r.error for r in failed} == {
                f"effect '+ {BIG}' makes the value too large"
            }
        else:
            assert ex.outcomes.expression_failures > 0
