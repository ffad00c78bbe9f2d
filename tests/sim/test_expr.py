"""Tests for the safe scenario expression language in sim.expr."""

from __future__ import annotations

import contextlib
import math
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim.expr
from sim.expr import (
    Effect,
    ExprError,
    Expression,
    NameSpec,
    Value,
    compile_effect,
    compile_expr,
)
from sim.problems import TabletopError

THREAT_VALUES = frozenset({"pending", "undetected", "detected", "stopped", "completed"})
WARNING_VALUES = frozenset({"", "deny", "accept", "escalate"})
NAMES: dict[str, NameSpec] = {
    "ally_trust": NameSpec("number"),
    "age": NameSpec("number"),
    "budget": NameSpec("number"),
    "answer_the_warning": NameSpec("status", WARNING_VALUES),
    "threat": NameSpec("status", THREAT_VALUES),
}
ENV: dict[str, Value] = {
    "ally_trust": 0.3,
    "age": 4,
    "budget": 100.0,
    "answer_the_warning": "deny",
    "threat": "detected",
}
FAST = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def run(source: str | float | bool, env: dict[str, Value] | None = None) -> Value:
    return compile_expr(source, NAMES).evaluate(ENV if env is None else env)


def error(source: str, names: dict[str, NameSpec] | None = None) -> ExprError:
    with pytest.raises(ExprError) as info:
        compile_expr(source, NAMES if names is None else names)
    return info.value


# --- behaviour ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("7 / 2", 3.5),
        ("7 // 2", 3),
        ("-7 // 2", -4),
        ("7 % 3", 1),
        ("-7 % 3", 2),
        ("2 ** 10", 1024),
        ("2 ** -1", 0.5),
        ("(-2) ** 3", -8),
        ("-age", -4),
        ("+age", 4),
        ("ally_trust * 10 + age", 7.0),
        ("0.2 - 0.002 * age", 0.2 - 0.002 * 4),
        ("1_000 + 1", 1001),
        ("1 < 2", True),
        ("2 <= 2", True),
        ("3 > 4", False),
        ("3 >= 4", False),
        ("1 == 1.0", True),
        ("1 != 2", True),
        ("1 < 2 < 3", True),
        ("1 < 3 < 2", False),
        ("3 > 2 > 2", False),
        ("0 <= ally_trust <= 1", True),
        ("true", True),
        ("false", False),
        ("True and not False", True),
        ("true + true", 2),
        ("true == 1", True),
        ("not age", False),
        ("age > 3 and ally_trust < 0.4", True),
        ("age > 5 or ally_trust < 0.2", False),
        ("age and 0", False),
        ("0 or age", True),
        ("1 and 2 and 3", True),
        ("0 or 0 or 0", False),
        ("10 if age > 3 else 20", 10),
        ("10 if age > 5 else 20", 20),
        ("true if age else false", True),
        ("age in (1, 2, 4)", True),
        ("age in [1, 2, -4]", False),
        ("age not in (1, 2)", True),
        ("age in ()", False),
        ("1 in (true,)", True),
        ("0 < age in (4, 5)", True),
        ("answer_the_warning == 'deny'", True),
        ("answer_the_warning != 'deny'", False),
        ("'deny' == answer_the_warning", True),
        ("answer_the_warning == ''", False),
        ("threat in ('detected', 'stopped')", True),
        ("threat not in ('detected', 'stopped')", False),
        ("answer_the_warning == threat", False),
        ("'a' == 'a'", True),
        ("answer_the_warning", "deny"),
        ("not answer_the_warning", False),
        ("answer_the_warning and age > 3", True),
        ("ally_trust < 0.4 and answer_the_warning == 'deny'", True),
        ("  1 +\n\t2  ", 3),
        ("(\n  age > 3\n  and threat == 'detected'\n)", True),
    ],
)
def test_evaluates(source: str, expected: Value) -> None:
    result = run(source)
    assert result == expected
    assert type(result) is type(expected) or {type(result), type(expected)} <= {int, float}


def test_short_circuit() -> None:
    # The right side would fail (no value, division by zero) if it were evaluated.
    assert run("age < 0 and budget / 0 > 1") is False
    assert run("age > 0 or budget / 0") is True
    assert run("1 if true else budget / 0") == 1
    assert run("age < 0 < budget / 0") is False
    assert compile_expr("true or age", NAMES).evaluate({}) is True


def test_status_undecided_is_false() -> None:
    env = {**ENV, "answer_the_warning": ""}
    assert run("not answer_the_warning", env) is True
    assert run("answer_the_warning == ''", env) is True


def test_constant_sources() -> None:
    for value, source in [(0.3, "0.3"), (2, "2"), (True, "True"), (False, "False")]:
        expression = compile_expr(value, NAMES)
        assert expression.source == source
        assert expression.evaluate({}) == value
        assert expression.names == frozenset()
    assert compile_expr(True, NAMES).evaluate({}) is True
    assert compile_expr(True, NAMES).kind == "bool"


def test_names_and_kind() -> None:
    expression = compile_expr("ally_trust < 0.4 and threat == 'stopped' or true", NAMES)
    assert isinstance(expression, Expression)
    assert expression.names == frozenset({"ally_trust", "threat"})
    assert expression.kind == "bool"
    assert compile_expr("age * 2", NAMES).kind == "number"
    assert compile_expr("threat", NAMES).kind == "text"
    assert compile_expr("1 if age else 2", NAMES).kind == "number"


def test_truth_number_probability() -> None:
    assert compile_expr("age", NAMES).truth(ENV) is True
    assert compile_expr("age - 4", NAMES).truth(ENV) is False
    assert compile_expr("age > 1", NAMES).number(ENV) == 1.0
    number = compile_expr("age", NAMES).number(ENV)
    assert number == 4.0
    assert type(number) is float
    assert compile_expr("ally_trust * 2", NAMES).probability(ENV) == pytest.approx(0.6)
    assert compile_expr("age", NAMES).probability(ENV) == 1.0
    assert compile_expr("-age", NAMES).probability(ENV) == 0.0
    assert compile_expr("true", NAMES).probability(ENV) == 1.0
    with pytest.raises(ExprError, match="expected a number"):
        compile_expr("threat", NAMES).number(ENV)


def test_numeric_env_values_are_normalised() -> None:
    np = pytest.importorskip("numpy")
    env = {**ENV, "age": np.int64(4), "ally_trust": np.float64(0.3)}
    assert run("age + 1", env) == 5
    assert type(run("age + 1", env)) is int
    assert run("ally_trust < 0.4", env) is True


def test_effects() -> None:
    cases: list[tuple[str | float, str, float]] = [
        ("+ 0.1", "+", 0.6),
        ("- 0.3", "-", 0.2),
        ("* 0.5", "*", 0.25),
        ("/ 4", "/", 0.125),
        ("= 0", "=", 0.0),
        ("= ally_trust * 0.5", "=", 0.15),
        ("+ 0.2 - 0.002 * age", "+", 0.5 + 0.2 - 0.002 * 4),
        ("  +0.1", "+", 0.6),
        ("-0.3", "-", 0.2),
        ("= threat == 'detected'", "=", 1.0),
        (0.75, "=", 0.75),
        (3, "=", 3.0),
        (-0.3, "=", -0.3),
    ]
    for source, op, expected in cases:
        effect = compile_effect(source, NAMES)
        assert isinstance(effect, Effect)
        assert effect.op == op
        result = effect.apply(0.5, ENV)
        assert result == pytest.approx(expected), source
        assert type(result) is float
    effect = compile_effect("= ally_trust * 0.5", NAMES)
    assert effect.source == "= ally_trust * 0.5"
    assert effect.expression.names == frozenset({"ally_trust"})
    assert compile_effect(0.5, NAMES).source == "0.5"


@pytest.mark.parametrize("source", ["0.5", "ally_trust", "", "   ", "% 2", "x + 1"])
def test_effect_needs_an_operator(source: str) -> None:
    with pytest.raises(ExprError) as info:
        compile_effect(source, NAMES)
    assert info.value.message == (
        "an effect starts with +, -, *, / or = (for example '+ 0.1' or '= 0')"
    )
    assert info.value.offset == 0


def test_effect_errors() -> None:
    with pytest.raises(ExprError, match=r"did you mean 'age'") as info:
        compile_effect("  + agee", NAMES)
    assert info.value.offset == 4
    with pytest.raises(ExprError) as info:
        compile_effect("= 1 +* 2", NAMES)
    assert info.value.offset == 5
    with pytest.raises(ExprError, match="needs a value after '\\+'"):
        compile_effect("+", NAMES)
    with pytest.raises(ExprError, match="gives text"):
        compile_effect("= threat", NAMES)
    with pytest.raises(ExprError, match="not true/false"):
        compile_effect(True, NAMES)
    with pytest.raises(ExprError, match="division by zero") as info:
        compile_effect(" / 0", NAMES).apply(1.0, ENV)
    assert info.value.offset == 1
    with pytest.raises(ExprError, match="division by zero"):
        compile_effect("/ age - 4", NAMES).apply(1.0, ENV)
    with pytest.raises(ExprError, match="too large"):
        compile_effect("* 1e15", NAMES).apply(1e300, ENV)
    with pytest.raises(ExprError) as info:
        compile_effect("= 1 / (age - 4)", NAMES).apply(1.0, ENV)
    assert info.value.offset == 2  # relative to the whole effect, not its expression


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("1 / 0", "division by zero"),
        ("age // (age - 4)", "division by zero"),
        ("age % 0", "division by zero"),
        ("0 ** -1", "division by zero"),
        ("2 ** 65", "the power after '**' must be between -64 and 64"),
        ("2 ** (age * 100)", "the power after '**' must be between -64 and 64"),
        ("1000001 ** 2", "the number before '**' must be between"),
        ("999999.0 ** 64", "too large"),
        ("(-8) ** 0.5", "negative number cannot be raised to a fractional power"),
        (" * ".join(["1000000000000000"] * 21), "too large"),
        ("-(" + " * ".join(["1e15"] * 21) + ")", "too large"),
        ("999999 ** 64 * 999999 ** 64", "too large"),
    ],
)
def test_runtime_errors(source: str, message: str) -> None:
    """Each fails with its message: constant ones when compiled (validate), others when run."""
    with pytest.raises(ExprError, match=re.escape(message)):
        compile_expr(source, NAMES).evaluate(ENV)


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("9**9**9", "the power after '**' must be between -64 and 64", 0),
        ("age > 0 and 9 ** 9 ** 9 > 1", "the power after '**' must be between", 12),
        ("1 if true else 1 / 0", "division by zero", 15),
        ("age < 0 < 1 / 0", "division by zero", 10),
        (" * ".join(["1000000000000000"] * 21), "too large", 0),
        ("2 ** 65", "the power after '**' must be between -64 and 64", 0),
    ],
)
def test_constant_errors_fail_when_compiled(source: str, message: str, offset: int) -> None:
    """Arithmetic on constants is done once, when compiled: a file that cannot work fails
    validation, not a run, and nothing huge is ever computed."""
    with pytest.raises(ExprError, match=re.escape(message)) as info:
        compile_expr(source, NAMES)
    assert info.value.offset == offset


@pytest.mark.parametrize(
    ("source", "looks_like"), [("ｘ > 1", "x"), ("ﬁnal > 0", "final"), ("ａｇｅ > 1", "age")]
)
def test_look_alike_names_are_refused(source: str, looks_like: str) -> None:
    names = {**NAMES, "x": NameSpec("number"), "final": NameSpec("number")}
    with pytest.raises(ExprError, match=f"look-alike.*write '{looks_like}'") as info:
        compile_expr(source, names)
    assert info.value.offset == 0


def test_runtime_error_offset() -> None:
    with pytest.raises(ExprError) as info:
        run("age + 1 / (age - 4)")
    assert info.value.offset == 6


def test_missing_or_wrong_env_values() -> None:
    with pytest.raises(ExprError, match="no value for 'age'") as info:
        compile_expr("1 + age", NAMES).evaluate({})
    assert info.value.offset == 4
    with pytest.raises(ExprError, match="should be a number"):
        run("age + 1", {**ENV, "age": "four"})
    with pytest.raises(ExprError, match="should be text"):
        run("threat == 'stopped'", {**ENV, "threat": 3})
    with pytest.raises(ExprError, match="should be a number"):
        run("age * 1000000", {**ENV, "age": ["x"]})  # type: ignore[dict-item]


def test_error_is_a_tabletop_error() -> None:
    err = ExprError("boom", 3)
    assert isinstance(err, TabletopError)
    assert err.message == "boom"
    assert err.offset == 3
    assert str(err) == "boom"
    assert ExprError("x").offset is None


# --- rejected at compile time --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message", "offset"),
    [
        ("f(1)", "function calls are not allowed", 0),
        ("age + abs(age)", "function calls are not allowed", 6),
        ("__import__('os').system('ls')", "function calls are not allowed", 0),
        ("().__class__", "attribute access ('.') is not allowed", 0),
        ("age.real", "attribute access ('.') is not allowed", 0),
        ("age[0]", "indexing and slicing ('[...]') are not allowed", 0),
        ("lambda: 1", "lambda is not allowed", 0),
        ("[a for a in ()]", "comprehensions are not allowed", 0),
        ("(a for a in ())", "comprehensions are not allowed", 0),
        ("{a: 1 for a in ()}", "comprehensions are not allowed", 0),
        ("f'{age}'", "f-strings are not allowed", 0),
        ("(age := 1)", "assignment (':=') is not allowed", 1),
        ("{1: 2}", "dictionaries ('{...}') are not allowed", 0),
        ("{1, 2}", "sets ('{...}') are not allowed", 0),
        ("age in (*age,)", "starred expressions ('*x') are not allowed", 8),
        ("(yield)", "'yield' is not allowed", 1),
        ("await age", "'await' is not allowed", 0),
        ("~age", "operator '~' is not allowed", 0),
        ("age & 1", "operator '&' is not allowed (use 'and')", 0),
        ("age | 1", "operator '|' is not allowed (use 'or')", 0),
        ("age << 1", "operator '<<' is not allowed", 0),
        ("age @ age", "operator '@' is not allowed", 0),
        ("age is 1", "'is' is not allowed", 0),
        ("None", "None is not allowed", 0),
        ("b'x' == b'x'", "bytes literals are not allowed", 0),
        ("1j", "complex numbers are not allowed", 0),
        ("...", "'...' is not allowed", 0),
        ("(1, 2)", "only allowed after 'in' or 'not in'", 0),
        ("age < (1, 2)", "only allowed after 'in' or 'not in'", 6),
        ("age in (1, 2) == true", "nothing may be compared with a list", 7),
        ("age in age", "'in' needs a list of values", 7),
        ("age in (age,)", "only plain values", 8),
        ("age in ((1,),)", "only plain values", 8),
        ("threat in (1, 2)", "cannot look for text among numbers", 11),
        ("age in ('a',)", "cannot look for a number among text", 8),
        ("threat + 1", "arithmetic on 'threat' is not allowed: it is a status", 0),
        ("-threat", "'-' on 'threat' is not allowed", 1),
        ("'a' * 3", "arithmetic on text is not allowed", 0),
        ("'a' + 'b' == 'ab'", "arithmetic on text is not allowed", 0),
        ("threat < 'b'", "'<' only compares numbers", 0),
        ("age >= 'b'", "'>=' only compares numbers", 7),
        ("threat == 1", "cannot compare text with a number using '=='", 0),
        ("age != 'x'", "cannot compare text with a number using '!='", 7),
        ("'deny'", "text can only be compared", 0),
        ("not 'deny'", "text can only be compared", 4),
        ("'x' or age", "text can only be compared", 0),
        ("age if 'x' else 1", "text can only be compared", 7),
        ("threat if age else 'x'", "both branches of 'if ... else' must be numbers", 0),
        ("1 if age else threat", "both branches of 'if ... else' must be numbers", 14),
        ("1 +* 2", "invalid syntax", 3),
        ("age = 1", "'=' does not compare: write '=='", 4),
        ("(age", "'(' was never closed", 0),
        ("age)", "unmatched ')'", 3),
        ("", "empty expression", 0),
        ("   ", "empty expression", 0),
        ("if", "invalid syntax", 0),
        ("age +", "invalid syntax", 5),
    ],
)
def test_rejected(source: str, message: str, offset: int) -> None:
    err = error(source)
    assert message in err.message
    assert err.offset == offset, err.message
    assert err.message == err.message.rstrip(".")


def test_unknown_name() -> None:
    err = error("ally_trst < 0.4")
    assert err.message == "unknown name 'ally_trst' (did you mean 'ally_trust'?)"
    assert err.offset == 0
    err = error("age > 1 and zzzz")
    assert err.message == "unknown name 'zzzz'"
    assert err.offset == 12
    assert error("treu").message == "unknown name 'treu' (did you mean 'true'?)"


def test_bad_status_literal() -> None:
    err = error("answer_the_warning == 'denny'")
    assert err.message == (
        "'denny' is not a possible value of answer_the_warning (did you mean 'deny'?)"
    )
    assert err.offset == 22
    err = error("'zzz' != answer_the_warning")
    assert err.message == (
        "'zzz' is not a possible value of answer_the_warning; "
        "possible values: '', 'accept', 'deny', 'escalate'"
    )
    assert err.offset == 0
    err = error("threat in ('detected', 'stoped')")
    assert "did you mean 'stopped'?" in err.message
    assert err.offset == 23
    err = error("threat not in ('x',)")
    assert "possible values: 'completed', 'detected'" in err.message


def test_offsets_count_characters_not_bytes() -> None:
    err = error("'éé' == 'é' and zzz")
    assert err.offset == 16
    err = error("threat == 'détected'")
    assert "did you mean 'detected'?" in err.message
    assert error("'é' +* 2").offset == 5


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("1 + " * 200 + "1", "expression is too long"),
        ("x" * 501, "expression is too long"),
        ("(" * 100000, "expression is too long"),
        ("(" * 51 + "1" + ")" * 51, "brackets are nested too deeply"),
        ("[" * 60, "brackets are nested too deeply"),
        ("+".join(["1"] * 101), "expression is too complicated"),
        ("-" * 300 + "1", "expression is too complicated"),
        ("age in (" + ",".join(["1"] * 200) + ")", "expression is too complicated"),
        ("1" * 16, "is too large (at most 10**15)"),
        ("-1" + "0" * 16, "is too large (at most 10**15)"),
        ("1e16", "is too large (at most 10**15)"),
        ("1e400", "number is too large"),
        ("'" + "a" * 101 + "' == threat", "text is too long"),
        ("age\0", "null bytes are not allowed"),
        ("age +\x0b1", "character U+000B is not allowed"),
        ("age\u200b+ 1", "character U+200B is not allowed"),
        ("age\u00a0+ 1", "character U+00A0 is not allowed"),
        ("\ud800", "character U+D800 is not allowed"),
    ],
)
def test_limits(source: str, message: str) -> None:
    assert message in error(source).message


def test_limits_allow_reasonable_expressions() -> None:
    assert run("(" * 50 + "1" + ")" * 50) == 1
    assert run("+".join(["1"] * 100)) == 100
    assert run("10 ** 15") == 10**15
    assert run(str(10**15)) == 10**15
    assert run("'" + "a" * 100 + "' == 'a'") is False
    assert run("not " * 121 + "age") is False
    assert run("x" * 0 + " " * 400 + "age") == 4


def test_wrong_source_type() -> None:
    with pytest.raises(ExprError, match="expected an expression"):
        compile_expr(None, NAMES)  # type: ignore[arg-type]
    with pytest.raises(ExprError, match="number is too large"):
        compile_expr(math.inf, NAMES)
    with pytest.raises(ExprError, match="at most 10"):
        compile_expr(10**16, NAMES)


def test_parser_warnings_are_silenced() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert run("1if age else 2") == 1
        assert "invalid syntax" in error("0x1for").message
        assert run(r"'\d' == 'x'") is False
    assert caught == []


def test_true_false_are_constants_even_if_declared() -> None:
    names = {**NAMES, "true": NameSpec("number")}
    assert compile_expr("true", names).evaluate({}) is True


def test_module_never_runs_code() -> None:
    text = Path(sim.expr.__file__).read_text()
    assert "eval(" not in text
    assert not re.search(r"(?<![\w.])(exec|compile)\(", text)
    assert "__import__" not in text


# --- properties ----------------------------------------------------------------------------------


NUMBER_NAMES = sorted(n for n, spec in NAMES.items() if spec.kind == "number")
STATUS_NAMES = sorted(n for n, spec in NAMES.items() if spec.kind == "status")
ALL_STATUS_VALUES = sorted(WARNING_VALUES | THREAT_VALUES)

TOKENS = [
    *NAMES,
    "true",
    "false",
    "not",
    "and",
    "or",
    "if",
    "else",
    "in",
    "is",
    "lambda",
    "for",
    "0",
    "1",
    "2.5",
    "1e308",
    "10**15",
    "'deny'",
    "'x'",
    '"',
    "'",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    ":",
    ":=",
    "*",
    "**",
    "/",
    "//",
    "%",
    "+",
    "-",
    "~",
    "<",
    "<=",
    "==",
    "!=",
    ">",
    "@",
    "&",
    "|",
    "^",
    "\\",
    "#",
    "f'",
    "b'",
    " ",
    "\n",
    "\t",
    "é",
    "__class__",
    "()",
    "_",
]


def check_compile_and_run(source: str, env: dict[str, Value]) -> None:
    try:
        expression = compile_expr(source, NAMES)
    except ExprError as err:
        assert isinstance(err.message, str) and err.message
        assert err.offset is None or 0 <= err.offset <= len(source)
        return
    with contextlib.suppress(ExprError):
        expression.evaluate(env)


@FAST
@given(st.text(max_size=400))
def test_arbitrary_text_only_raises_expr_error(source: str) -> None:
    check_compile_and_run(source, ENV)


@FAST
@given(st.sampled_from([" ", ""]), st.lists(st.sampled_from(TOKENS), max_size=40))
def test_token_soup_only_raises_expr_error(joiner: str, tokens: list[str]) -> None:
    check_compile_and_run(joiner.join(tokens), ENV)


def _atoms() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-(10**6), 10**6).map(str),
        st.integers(0, 10).map(str),
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False).map(repr),
        st.sampled_from([*NAMES, "true", "false", "True", "False", "agee", "nope"]),
        st.sampled_from([*ALL_STATUS_VALUES, "nope", "Deny"]).map(repr),
    )


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.sampled_from(
        ["+", "-", "*", "/", "//", "%", "**", "and", "or", "==", "!=", "<", "<=", ">", ">="]
    )
    return st.one_of(
        st.tuples(children, binary, children).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(st.sampled_from(["not ", "-", "+"]), children).map("".join),
        children.map(lambda c: f"({c})"),
        st.tuples(children, children, children).map(lambda t: f"{t[0]} if {t[1]} else {t[2]}"),
        st.tuples(children, st.sampled_from(["in", "not in"]), st.lists(_atoms(), max_size=4)).map(
            lambda t: f"{t[0]} {t[1]} ({', '.join(t[2])},)"
        ),
    )


GRAMMAR = st.recursive(_atoms(), _extend, max_leaves=15)


NUMBER_VALUES = st.one_of(
    st.integers(-(10**6), 10**6),
    st.sampled_from([0, 1, -1, 0.0, 0.5]),
    st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False),
    st.booleans(),
)
WARNING_STATES = st.sampled_from(sorted(WARNING_VALUES))
THREAT_STATES = st.sampled_from(sorted(THREAT_VALUES))
MISSING = st.sets(st.sampled_from(sorted(NAMES)), max_size=1)


@st.composite
def envs(draw: st.DrawFn) -> dict[str, Value]:
    env: dict[str, Value] = {name: draw(NUMBER_VALUES) for name in NUMBER_NAMES}
    env["answer_the_warning"] = draw(WARNING_STATES)
    env["threat"] = draw(THREAT_STATES)
    for name in draw(MISSING):
        del env[name]
    return env


def _outcome(expression: Expression, env: dict[str, Value]) -> tuple[str, object]:
    try:
        value = expression.evaluate(env)
    except ExprError as err:
        return ("error", (err.message, err.offset))
    return (type(value).__name__, value)


@FAST
@given(GRAMMAR, envs())
def test_grammar_expressions_are_safe_and_deterministic(source: str, env: dict[str, Value]) -> None:
    try:
        expression = compile_expr(source, NAMES)
    except ExprError as err:
        assert err.offset is None or 0 <= err.offset <= len(source)
        with pytest.raises(ExprError) as again:
            compile_expr(source, NAMES)
        assert (again.value.message, again.value.offset) == (err.message, err.offset)
        return
    first = _outcome(expression, env)
    assert _outcome(expression, env) == first
    assert _outcome(compile_expr(source, NAMES), env) == first
    assert expression.names <= set(NAMES)
    kind, value = first
    if kind != "error":
        expected = {"number": (int, float, bool), "bool": (bool,), "text": (str,)}
        assert isinstance(value, expected[expression.kind])
        if isinstance(value, float):
            assert math.isfinite(value)


def _arithmetic(max_leaves: int, ops: list[str]) -> st.SearchStrategy[str]:
    atoms = st.integers(0, 20).map(str)

    def extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(children, st.sampled_from(ops), children).map(" ".join),
            children.map(lambda c: f"({c})"),
            children.map(lambda c: f"-{c}"),
            st.tuples(children, st.sampled_from(["//", "%", "/"]), st.integers(1, 9)).map(
                lambda t: f"({t[0]}) {t[1]} {t[2]}"
            ),
        )

    return st.recursive(atoms, extend, max_leaves=max_leaves)


def _python(source: str) -> object:
    # Reference result for strings this test generated itself (never user text).
    return eval(source, {"__builtins__": {}}, {})


@FAST
@given(_arithmetic(10, ["+", "-", "*"]))
def test_arithmetic_matches_python(source: str) -> None:
    assert compile_expr(source, {}).evaluate({}) == _python(source)


@FAST
@given(
    _arithmetic(4, ["+", "-", "*"]),
    st.sampled_from(["<", "<=", "==", "!=", ">", ">="]),
    _arithmetic(4, ["+", "-", "*"]),
    st.sampled_from(["and", "or"]),
    st.booleans(),
)
def test_logic_matches_python(left: str, op: str, right: str, joiner: str, negate: bool) -> None:
    source = f"{'not ' if negate else ''}({left} {op} {right}) {joiner} {left} > 3"
    assert compile_expr(source, {}).evaluate({}) is bool(_python(source))
