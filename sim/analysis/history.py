"""A variable's history: its changes, its value sampled over time, its latest trend."""

from __future__ import annotations

from collections.abc import Sequence

from sim import events as ev


def changes(records: Sequence[ev.Event], name: str) -> list[ev.VariableChanged]:
    """Every recorded change of the variable, in order."""
    return [r for r in records if isinstance(r, ev.VariableChanged) and r.variable == name]


def sampled(
    records: Sequence[ev.Event], name: str, initial: float, now: float, samples: int = 24
) -> list[float]:
    """The variable's value at evenly spaced times from 0 to now (a step function)."""
    steps = [(r.time, r.new) for r in changes(records, name)]
    if now <= 0:
        return [steps[-1][1] if steps else initial]
    out: list[float] = []
    value, i = initial, 0
    for k in range(samples):
        t = now * (k + 1) / samples
        while i < len(steps) and steps[i][0] <= t:
            value = steps[i][1]
            i += 1
        out.append(value)
    return out


def trend(records: Sequence[ev.Event], name: str) -> str:
    """'▲' or '▼' for the variable's last change ('' when it changed by hand to the same
    value), ' ' when it never changed."""
    for r in reversed(records):
        if isinstance(r, ev.VariableChanged) and r.variable == name:
            if r.new == r.old:
                return "="
            return "▲" if r.new > r.old else "▼"
    return " "
