"""Hostile expressions the loader can judge before any run: bounds written the wrong way
round are refused where they are written, as uniform() and normal() already were."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import refused_everywhere, scenario

from sim.expr import ExprError, NameSpec, compile_expr

NAMES = {"v": NameSpec("number"), "w": NameSpec("number")}


@pytest.mark.parametrize("source", ["clamp(v, 5, 1)", "clamp(v, 2 * 3, 1 + 1)", "clamp(1, 1, 0)"])
def test_clamp_with_written_bounds_the_wrong_way_round_is_refused(source: str) -> None:
    """clamp(v, 5, 1) was accepted and always gave 1, whatever v."""
    with pytest.raises(ExprError, match=r"clamp\(\) needs low <= high .*the bounds are inverted"):
        compile_expr(source, NAMES)


@pytest.mark.parametrize("source", ["clamp(v, 1, 5)", "clamp(v, w, 1)", "clamp(v, 3, 3)"])
def test_clamp_with_bounds_in_order_or_read_at_run_time_compiles(source: str) -> None:
    assert compile_expr(source, NAMES).number({"v": 2.0, "w": 0.0}) in (1.0, 2.0, 3.0)


def test_the_problem_is_reported_at_its_place(tmp_path: Path) -> None:
    text = scenario().replace(
        "invented: true}", "invented: true, effects: {v: '= clamp(v, 5, 1)'}}"
    )
    assert refused_everywhere(tmp_path, text) == [
        "s.yaml:15:85: clamp() needs low <= high (got 5, 1): the bounds are inverted"
    ]
