"""Hostile size for `tabletop lint`: a file with thousands of injects is linted with work in
proportion to it (counted in the steps of one rule, never timed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cli import scenario

import sim.authoring.static as static
from sim.authoring.lint import lint_paths


def test_earliest_times_take_work_in_proportion_to_the_injects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The earliest time of each inject was worked out in one pass per inject (n² steps:
    14,000 injects, the most a file holds, took minutes); it stops once a pass changes nothing."""
    n = 1_500
    lines = ["  - {id: i0, at: 1, from: gov, to: [gov], text: Hi, invented: true}\n"]
    lines += [
        f"  - {{id: i{i}, after: i{i - 1}, delay: 1, from: gov, to: [gov], text: Hi, "
        "invented: true}\n"
        for i in range(1, n)
    ]
    path = tmp_path / "s.yaml"
    path.write_text(scenario("injects:\n" + "".join(lines), horizon="100000"), encoding="utf-8")
    steps = 0
    real = static.min_duration

    def counted(*args: object) -> float:
        nonlocal steps
        steps += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(static, "min_duration", counted)
    findings = lint_paths([path])
    assert steps <= 3 * n
    assert not any(f.code == "TT106" for f in findings)  # no decision: nothing to find late
