"""The slips a trainer makes in a condition or a chance are named, with the fix, at their
column: '=>' for '>=', '=' for '==', '50%' for 0.5, '&&' for 'and'. Python's own "invalid
syntax" told them nothing (docs/scenario-format.md §18.2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import ONE_INJECT, problems, scenario, validated

from sim.expr import ExprError, NameSpec, compile_expr

NAMES = {"v": NameSpec("number")}


@pytest.mark.parametrize(
    ("source", "says", "column"),
    [
        ("v => 1", "'=>' is not an operator: write '>='", 2),
        ("v =< 1", "'=<' is not an operator: write '<='", 2),
        ("v = 1", "'=' does not compare: write '=='", 2),
        ("v == 1 && v < 2", "'&&' is not an operator: write 'and'", 7),
        ("v == 1 || v < 2", "'||' is not an operator: write 'or'", 7),
        ("v > 50%", "'50%' is not a number here: write 0.5", 4),
        ("v <> 1", "'<>' is not an operator: write '!='", 2),
    ],
)
def test_a_slip_is_named_with_its_fix(source: str, says: str, column: int) -> None:
    with pytest.raises(ExprError) as caught:
        compile_expr(source, NAMES)
    assert caught.value.message == says
    assert caught.value.offset == column


def test_other_broken_syntax_says_what_to_look_for() -> None:
    with pytest.raises(ExprError) as caught:
        compile_expr("v > 1 +", NAMES)
    assert caught.value.message.startswith("invalid syntax")
    assert "missing" in caught.value.message


def test_a_chance_written_as_a_percentage_says_how_to_write_it(tmp_path: Path) -> None:
    text = scenario(ONE_INJECT.replace("invented: true}", "invented: true, probability: 30%}"))
    code, out = validated(tmp_path, text)
    assert code == 1
    assert [p.split(": ", 1)[1] for p in problems(out)] == ["'30%' is not a number here: write 0.3"]


def test_a_status_written_without_quotes_says_to_quote_it() -> None:
    names = {**NAMES, "wiper": NameSpec("status", frozenset({"pending", "stopped"}))}
    with pytest.raises(ExprError) as caught:
        compile_expr("wiper == stopped", names)
    assert caught.value.message == (
        "unknown name 'stopped' (a status or an option is text: write 'stopped' in quotes)"
    )
    assert caught.value.offset == 9


def test_a_misspelt_name_still_gets_its_suggestion() -> None:
    names = {**NAMES, "wiper": NameSpec("status", frozenset({"pending", "stopped"}))}
    with pytest.raises(ExprError) as caught:
        compile_expr("wipr == 'stopped'", names)
    assert caught.value.message == "unknown name 'wipr' (did you mean 'wiper'?)"


def test_one_recipient_without_brackets_says_how_to_write_the_list(tmp_path: Path) -> None:
    code, out = validated(tmp_path, scenario(ONE_INJECT.replace("to: [gov]", "to: gov")))
    assert code == 1
    assert [p.split(": ", 1)[1] for p in problems(out)] == [
        "expected a list, got the text 'gov'; write it in brackets: [gov]"
    ]
