"""Hostile size for `validate`: a chain of thousands of injects is checked with work in
proportion to it (counted in passes over the flow's edges, never timed)."""

from __future__ import annotations

from typing import Any

import pytest
from hostile_cli import scenario

import sim.checks as checks
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
