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


def test_earliest_times_of_a_chain_written_last_link_first_take_one_step_per_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Passes until nothing changed learnt one link per pass of a chain written last link
    first: n passes of n injects (1,500 injects: 2.25 million steps)."""
    from hostile_shapes import after_chain_reversed

    steps = 0
    real = static.min_duration

    def counted(*args: object) -> float:
        nonlocal steps
        steps += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(static, "min_duration", counted)
    for n in (500, 1_500):
        steps = 0
        path = tmp_path / "s.yaml"
        path.write_text(after_chain_reversed(n), encoding="utf-8")
        lint_paths([path])
        assert steps <= 3 * n, (n, steps)


def _decisions_in_turn(reversed_: bool) -> str:
    """i0 at 500 poses d0; i1 follows d0 and poses d1, whose deadline (600) ends after the
    horizon (1,000): i1 is posed at 500 at the earliest."""
    say = "from: gov, to: [gov], text: Hi, invented: true"
    injects = [
        f"  - {{id: i0, at: 500, decision: d0, {say}}}\n",
        f"  - {{id: i1, after: d0, decision: d1, {say}}}\n",
    ]
    options = "options: [{id: a, label: A, effects: {v: '+ 1'}}, {id: b, label: B}]"
    decisions = [
        f"  - {{id: d0, owner: gov, prompt: P, deadline: 1, default: a, {options}}}\n",
        f"  - {{id: d1, owner: gov, prompt: P, deadline: 600, default: a, {options}}}\n",
    ]
    if reversed_:
        injects.reverse()
    return scenario(
        "injects:\n" + "".join(injects) + "decisions:\n" + "".join(decisions), horizon="1000"
    )


def test_how_late_a_deadline_falls_does_not_depend_on_the_order_of_the_injects(
    tmp_path: Path,
) -> None:
    """With the inject that follows a decision written first, the decision it poses was taken
    as posed at 0 (a value from the first pass, kept as the smallest seen): no TT106."""
    found = []
    for reversed_ in (False, True):
        path = tmp_path / "s.yaml"
        path.write_text(_decisions_in_turn(reversed_), encoding="utf-8")
        found.append([f.message for f in lint_paths([path]) if f.code == "TT106"])
    assert (
        found[0]
        == found[1]
        == [
            "decision 'd1' is posed at 500 at the earliest, so its deadline (500 + 600) falls "
            "after the horizon (1000): the default 'a' never takes effect"
        ]
    )
