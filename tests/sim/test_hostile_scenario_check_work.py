"""Hostile size for `validate`: a chain of thousands of injects is checked with work in
proportion to it (counted in passes over the flow's edges, never timed)."""

from __future__ import annotations

from typing import Any

import pytest
from hostile_cli import scenario
from hostile_shapes import variable_chain

import sim.checks as checks
import sim.checks_v2 as checks_v2
from sim.flow import Edge
from sim.loader import load_scenario_text


class _Counted(list[Edge]):
    passes = 0

    def __iter__(self) -> Any:
        _Counted.passes += 1
        return super().__iter__()


def test_a_long_after_chain_is_checked_in_a_few_passes_over_the_flow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each inject's 'after' was looked up by a pass over every edge of the flow (a chain of
    13,000 injects, about the most a file holds, took 17 s of CPU in that alone)."""
    n = 2_000
    lines = ["  - {id: i0, at: 1, from: gov, to: [gov], text: Hi, invented: true}\n"]
    lines += [
        f"  - {{id: i{i}, after: i{i - 1}, from: gov, to: [gov], text: Hi, invented: true}}\n"
        for i in range(1, n)
    ]
    real = checks.build_flow

    def counted(**kwargs: Any) -> Any:
        flow = real(**kwargs)
        flow.edges = _Counted(flow.edges)
        return flow

    monkeypatch.setattr(checks, "build_flow", counted)
    loaded = load_scenario_text(scenario("injects:\n" + "".join(lines)), "s.yaml")
    assert len(loaded.injects) == n
    assert _Counted.passes <= 5


class _CountedVariables(dict[str, Any]):
    passes = 0

    def __iter__(self) -> Any:
        _CountedVariables.passes += 1
        return super().__iter__()


def test_a_chain_of_bounds_is_checked_in_a_few_passes_over_the_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each bound ('at_most: x1') asked for a set of every variable: a chain of 8,000
    variables each bounded by the one before took about 4 s of CPU in that alone."""
    real = checks_v2.check_bounds

    def counted(variables: Any, **kwargs: Any) -> None:
        real(_CountedVariables(variables), **kwargs)

    monkeypatch.setattr(checks_v2, "check_bounds", counted)
    for n in (200, 1_000):
        _CountedVariables.passes = 0
        loaded = load_scenario_text(variable_chain(n), "s.yaml")
        assert loaded.variables["x5"].at_most == "x4"
        assert _CountedVariables.passes <= 5, (n, _CountedVariables.passes)
