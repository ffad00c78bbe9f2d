"""The plain functions of sim/fastexpr.py give exactly what the reference closures give.

Every expression's ``truth``, ``number`` and ``probability`` and every effect's ``apply`` is
built on first use into one plain function; here each is compared with its reference form
(``slow_truth``...) on many expressions and states, ordinary and not: the same value of the
same type, or the same ExprError with the same message and offset.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.expr import ExprError, NameSpec, Value, compile_effect, compile_expr
from sim.fastexpr import effect_form, expression_form

STATUS = frozenset({"pending", "detected", "succeeded", ""})
NAMES: dict[str, NameSpec] = {
    "a": NameSpec("number"),
    "b": NameSpec("number"),
    "c": NameSpec("number"),
    "s": NameSpec("status", STATUS),
    "now": NameSpec("clock"),
}
SETTINGS = settings(
    max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


class Status(enum.StrEnum):
    DETECTED = "detected"


NUMBERS = st.sampled_from(
    [0, 1, 2, -1, 0.0, -0.0, 0.5, 1.5, 3, 1e308, -1e308, 1e-300, 10**15, 0.1, 7, True, False]
)


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    """Well-formed (mostly) expressions over a, b, c, s and now."""
    leaves = ["a", "b", "c", "now", "1", "0", "2.5", "1e308", "0.1", "true", "false", "-a"]
    if depth > 3 or draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            op = draw(st.sampled_from(["==", "!="]))
            return f"s {op} {draw(st.sampled_from(sorted(repr(v) for v in STATUS)))}"
        return draw(st.sampled_from(leaves))
    sub = expressions(depth + 1)
    form = draw(st.integers(0, 9))
    x, y, z = draw(sub), draw(sub), draw(sub)
    if form == 0:
        return f"({x}) {draw(st.sampled_from(['+', '-', '*', '/', '//', '%', '**']))} ({y})"
    if form == 1:
        return f"({x}) {draw(st.sampled_from(['<', '<=', '>', '>=', '==', '!=']))} ({y})"
    if form == 2:
        return f"({x}) {draw(st.sampled_from(['and', 'or']))} ({y}) and ({z})"
    if form == 3:
        return f"not ({x})"
    if form == 4:
        return f"({x}) if ({y}) else ({z})"
    if form == 5:
        return f"{draw(st.sampled_from(['min', 'max']))}({x}, {y}, {z})"
    if form == 6:
        return f"clamp({x}, {y}, {z})"
    if form == 7:
        return f"({x}) < ({y}) <= ({z})"
    if form == 8:
        return f"s {draw(st.sampled_from(['in', 'not in']))} ('pending', 'detected')"
    return f"-({x})"


def envs() -> st.SearchStrategy[dict[str, Any]]:
    odd = st.sampled_from(["x", None, Status.DETECTED, 1.5, "pending"])
    return st.fixed_dictionaries(
        {},
        optional={
            "a": st.one_of(NUMBERS, odd),
            "b": NUMBERS,
            "c": st.one_of(NUMBERS, st.floats(allow_nan=True, allow_infinity=True)),
            "s": st.one_of(st.sampled_from(sorted(STATUS)), st.just(Status.DETECTED), odd),
            "now": st.one_of(NUMBERS, odd),
        },
    )


def outcome(fn: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    try:
        value = fn(*args)
    except ExprError as exc:
        return "error", (exc.message, exc.offset)
    except Exception as exc:  # a state the engine never makes (the clock 'now' as None): the
        return "raised", (type(exc).__name__, str(exc))  # reference's own error, alike
    if isinstance(value, float) and math.isnan(value):
        return "nan", None
    return type(value).__name__, (value, math.copysign(1, value) if isinstance(value, float) else 0)


@SETTINGS
@given(expressions(), envs())
def test_expression_forms_match_the_reference(source: str, env: dict[str, Value]) -> None:
    try:
        expr = compile_expr(source, NAMES)
    except ExprError:
        return
    for form in ("truth", "number", "probability"):
        fast = expression_form(expr, form)
        slow = getattr(expr, f"slow_{form}")
        assert outcome(fast, env) == outcome(slow, env), (source, env, form)


@SETTINGS
@given(st.sampled_from(["+", "-", "*", "/", "="]), expressions(), envs(), NUMBERS)
def test_effect_forms_match_the_reference(
    op: str, source: str, env: dict[str, Value], old: float
) -> None:
    try:
        effect = compile_effect(f"{op} {source}", NAMES)
    except ExprError:
        return
    fast = effect_form(effect)
    assert outcome(fast, float(old), env) == outcome(effect.slow_apply, float(old), env)


@pytest.mark.parametrize(
    ("source", "env"),
    [
        ("a + 1", {"a": 1e308 * 1.7}),
        ("a * b", {"a": 1e308, "b": 10}),
        ("a * b", {"a": 10**200, "b": 10**200}),  # an int beyond the largest float
        ("a * b", {"a": int(1.7976931348623157e308) + 1, "b": 1}),  # rounds down to it
        ("a * b", {"a": -int(1.7976931348623157e308), "b": 1}),  # the largest, exactly
        ("a - b", {"a": float("inf"), "b": 1}),
        ("a / b", {"a": 1, "b": 0}),
        ("a", {}),
        ("a > 1", {"a": "x"}),
        ("s == 'detected'", {"s": 3}),
        ("s == 'detected'", {"s": Status.DETECTED}),
        ("a ** b", {"a": 2, "b": 65}),
        ("-a", {"a": 0.0}),  # probability: max(0.0, -0.0) is 0.0
        ("c", {"c": float("nan")}),
        ("a", {"a": __import__("fractions").Fraction(1, 3)}),
    ],
)
def test_values_and_errors_are_the_reference_ones(source: str, env: dict[str, Value]) -> None:
    expr = compile_expr(source, NAMES)
    for form in ("truth", "number", "probability"):
        for _ in range(3):  # the first use by the reference form, then the plain function
            assert outcome(getattr(expr, form), env) == outcome(getattr(expr, f"slow_{form}"), env)


@pytest.mark.parametrize("literal", [0, 1, 0.6, -0.0, -2.5, 1e15, 7, True, False])
def test_numbers_written_as_such_are_worked_out_once(literal: float | bool) -> None:
    """A chance or condition written as a number (`success: 0.6`) is a constant function,
    with the reference's value in every form, whatever the state it is given."""
    expr = compile_expr(literal, NAMES)
    for form in ("truth", "number", "probability"):
        fast = expression_form(expr, form)
        assert fast is not getattr(expr, f"slow_{form}")
        for env in ({}, {"a": 3.0}):
            assert outcome(fast, env) == outcome(getattr(expr, f"slow_{form}"), env)


def test_effects_that_draw_keep_the_reference_form() -> None:
    effect = compile_effect("+ uniform(1, 3)", NAMES)
    assert effect_form(effect) == effect.slow_apply


def test_built_functions_have_no_builtins() -> None:
    expr = compile_expr("a > 1", NAMES)
    assert expr.truth({"a": 2.0}) is True
    assert "truth" not in expr.__dict__  # an expression evaluated once is not built
    assert expr.truth({"a": 2.0}) is True
    assert "truth" in expr.__dict__  # built on the second use, then kept on the expression
    assert expr.truth.__globals__["__builtins__"] == {}  # type: ignore[attr-defined]


_INTERNAL = re.compile(
    r"(env|old|p|r|_k\d+|_t\d+|_slow|_LIMIT|_abs|float|Exception|truth|number|probability|apply)"
)
"""The only names a built function may use: its arguments, locals and the values it is given."""


def test_no_scenario_text_becomes_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every function the bundled scenarios' runs build: scenario names and texts appear only
    as string constants (looked up in the state), never as names, attributes or code."""
    import ast

    from sim import fastexpr
    from sim.deciders import RandomDecider, play
    from sim.engine import Exercise
    from sim.loader import load_scenario

    built: list[ast.Module] = []

    def compile_spy(tree: ast.Module, filename: str, mode: str) -> Any:
        built.append(tree)
        return compile(tree, filename, mode)

    monkeypatch.setattr(fastexpr, "compile", compile_spy, raising=False)
    for path in sorted(Path(__file__).resolve().parents[2].glob("scenarios/*.yaml")):
        scenario = load_scenario(path)
        for seed in range(3):
            play(Exercise(scenario, seed, log=False), RandomDecider(seed))
    assert len(built) > 50
    for tree in built:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                assert _INTERNAL.fullmatch(node.id), node.id
            elif isinstance(node, ast.Attribute):
                assert node.attr == "__class__"
            elif isinstance(node, ast.Constant):
                assert type(node.value) in (int, float, bool, str, type(None))
            assert not isinstance(node, ast.Import | ast.ImportFrom | ast.Lambda | ast.Global)
