"""Hostile scenario shapes for the work checks of `validate`, `lint` and `graph`: long chains,
a chain of conditions, deep nesting and wide fan-out, at any size up to the reading limits
(docs/scenario-format.md §23: 2,000,000 bytes, 200,000 values, so about 14,000 one-line
injects).

Each shape is a function of n returning the whole file's text (format 2, valid). Used by
tests/sim/test_hostile_scenario_lint_chains.py and benchmarks/lint_chains.py:

    python tests/sim/hostile_shapes.py after_chain_reversed 5000 > big.yaml
"""

from __future__ import annotations

import sys
from collections.abc import Callable

HEAD = """\
format: 2
scenario:
  id: h
  title: H
  summary: A scenario an attacker wrote.
  start: 2020-01-01T00:00:00Z
  horizon: 1000000
actors:
  - {id: gov, name: Gov, affiliation: government}
  - {id: adv, name: Adv, affiliation: adversary}
variables:
  v: {initial: 0}
"""
_SAY = "from: gov, to: [gov], text: Hi, invented: true"


def _injects(lines: list[str]) -> str:
    return "injects:\n" + "".join(f"  - {{{line}}}\n" for line in lines)


def after_chain(n: int) -> str:
    """i0 at 1; i1 after i0; ... i(n-1) after i(n-2), written in that order."""
    lines = [f"id: i0, at: 1, {_SAY}"]
    lines += [f"id: i{i}, after: i{i - 1}, delay: 1, {_SAY}" for i in range(1, n)]
    return HEAD + _injects(lines)


def after_chain_reversed(n: int) -> str:
    """The same chain written last link first: each pass over the file in order learns one link."""
    lines = [f"id: i{i}, after: i{i - 1}, delay: 1, {_SAY}" for i in range(n - 1, 0, -1)]
    lines.append(f"id: i0, at: 1, {_SAY}")
    return HEAD + _injects(lines)


def when_chain(n: int) -> str:
    """Each inject fires when the one before it is delivered (a chain of conditions), written
    last link first."""
    lines = [f"id: i{i}, when: \"i{i - 1} == 'delivered'\", {_SAY}" for i in range(n - 1, 0, -1)]
    lines.append(f"id: i0, at: 1, {_SAY}")
    return HEAD + _injects(lines)


def decision_chain(n: int) -> str:
    """Inject k poses decision dk; inject k+1 follows dk ('after'), written last link first."""
    m = max(n // 2, 1)
    injects = [f"id: i{k}, after: d{k - 1}, decision: d{k}, {_SAY}" for k in range(m - 1, 0, -1)]
    injects.append(f"id: i0, at: 1, decision: d0, {_SAY}")
    decisions = [
        f"  - {{id: d{k}, owner: gov, prompt: P, deadline: 1, default: a, "
        "options: [{id: a, label: A, effects: {v: '+ 1'}}, {id: b, label: B}]}\n"
        for k in range(m)
    ]
    return HEAD + _injects(injects) + "decisions:\n" + "".join(decisions)


def response_chain(n: int) -> str:
    """A decision starts r0; each response starts the next one, written last link first."""
    responses = [
        f"  - {{id: r{k}, kind: notification, from: gov, to: [gov], message: M, "
        f"starts: [{{response: r{k + 1}}}]}}\n"
        for k in range(n - 2, -1, -1)
    ]
    responses.insert(
        0, f"  - {{id: r{n - 1}, kind: notification, from: gov, to: [gov], message: M}}\n"
    )
    return (
        HEAD
        + _injects([f"id: i0, at: 1, decision: d, {_SAY}"])
        + "decisions:\n  - {id: d, owner: gov, prompt: P, deadline: 1, default: a, "
        "options: [{id: a, label: A, responses: [r0]}, {id: b, label: B}]}\n"
        + "responses:\n"
        + "".join(responses)
    )


def law_chain(n: int) -> str:
    """Bill k requires bill k-1 to be enacted; one option starts them all, last link first."""
    bills = [
        f"  - {{id: b{k}, kind: legislation, sponsor: gov, "
        + (f"requires: b{k - 1}, " if k else "")
        + "stages: [{id: s, duration: 1}, {id: t, duration: 1}]}\n"
        for k in range(n - 1, -1, -1)
    ]
    ids = ", ".join(f"b{k}" for k in range(n))
    return (
        HEAD
        + _injects([f"id: i0, at: 1, decision: d, {_SAY}"])
        + "decisions:\n  - id: d\n    owner: gov\n    prompt: P\n    deadline: 1\n"
        "    default: a\n    options:\n      - id: a\n        label: A\n"
        f"        responses: [{ids}]\n      - {{id: b, label: B}}\n"
        + "responses:\n"
        + "".join(bills)
    )


def variable_chain(n: int) -> str:
    """Each variable's bound reads the one before (at_most), and each inject's effect moves
    a variable by the value of the one before."""
    names = [f"x{k}" for k in range(n)]
    variables = "".join(
        f"  {name}: {{initial: 0" + (f", at_most: x{k - 1}" if k else "") + "}\n"
        for k, name in enumerate(names)
    )
    lines = [f"id: i{k}, at: 1, effects: {{x{k}: '+ x{k - 1}'}}, {_SAY}" for k in range(1, n)] or [
        f"id: i0, at: 1, {_SAY}"
    ]
    return HEAD.replace("  v: {initial: 0}\n", variables) + _injects(lines)


def threshold_chain(n: int) -> str:
    """Each inject fires once the variable may be low enough, and pushes it lower for the next:
    i0 sets v to -1; ik waits for 'v <= -k' and sets v to -(k+1); written last link first."""
    lines = [
        f"id: i{k}, when: 'v <= -{k}', effects: {{v: '= -{k + 1}'}}, {_SAY}"
        for k in range(n - 1, 0, -1)
    ]
    lines.append(f"id: i0, at: 1, effects: {{v: '= -1'}}, {_SAY}")
    return HEAD + _injects([f"{line}, notes: N" for line in lines])


def fan_out(n: int) -> str:
    """One inject, n-1 injects after it, each also waiting for it in a condition."""
    lines = [f"id: i0, at: 1, {_SAY}"]
    lines += [f"id: i{i}, after: i0, if: \"i0 == 'delivered'\", {_SAY}" for i in range(1, n)]
    return HEAD + _injects(lines)


def wide_decision(n: int) -> str:
    """One decision with n options, none of which changes anything."""
    options = "".join(f"      - {{id: o{k}, label: O}}\n" for k in range(n))
    return (
        HEAD
        + _injects([f"id: i0, at: 1, decision: d, {_SAY}"])
        + "decisions:\n  - id: d\n    owner: gov\n    prompt: P\n    deadline: 1\n"
        + "    default: o0\n    options:\n"
        + options
    )


def deep_nesting(n: int) -> str:
    """n injects, each with a condition nested as deep as an expression may be (50 brackets)
    reading the inject before it, written last first."""
    depth = 49
    lines = [
        f"id: i{i}, when: \"{'(' * depth}i{i - 1} == 'delivered'{')' * depth}\", {_SAY}"
        for i in range(n - 1, 0, -1)
    ]
    lines.append(f"id: i0, at: 1, {_SAY}")
    return HEAD + _injects(lines)


SHAPES: dict[str, Callable[[int], str]] = {
    f.__name__: f
    for f in (
        after_chain,
        after_chain_reversed,
        when_chain,
        decision_chain,
        response_chain,
        law_chain,
        variable_chain,
        threshold_chain,
        fan_out,
        wide_decision,
        deep_nesting,
    )
}


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in SHAPES:
        sys.exit(f"usage: hostile_shapes.py {{{','.join(SHAPES)}}} N")
    sys.stdout.write(SHAPES[sys.argv[1]](int(sys.argv[2])))
