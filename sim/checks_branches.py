"""(v2) Checks of threat stage branches: unknown stages, and loops of stages that never end.

Kept apart from :mod:`sim.branches` (which runs the branches) so that `tabletop validate`
imports none of the engine's run-time modules. :func:`cycles` also serves the checks of
bounds and of failure follow-ups.
"""

from __future__ import annotations

from sim.problems import Reporter, did_you_mean
from sim.schema import Threat
from sim.yamlread import Path_


def check_branches(report: Reporter, i: int, threat: Threat) -> None:
    """Unknown stages in branches, and loops of stages that can never end."""
    ids = [s.id for s in threat.stages]
    known = set(ids)
    ok = True
    for j, stage in enumerate(threat.stages):
        for k, branch in enumerate(stage.next or ()):
            if branch.stage is not None and branch.stage not in known:
                report.add(
                    ("threats", i, "stages", j, "next", k, "stage"),
                    f"unknown stage '{branch.stage}' of threat '{threat.id}'"
                    f"{did_you_mean(branch.stage, ids)}",
                )
                ok = False
    if not ok or not any(s.next for s in threat.stages):
        return
    graph = _graph(threat)
    for component in cycles(graph):
        if len(component) == 1 and not threat.stages[component[0]].next:
            continue  # a plain repeating stage: checked with 'repeat'
        names = shown_loop([ids[n] for n in component])
        first = component[0]
        path: Path_ = ("threats", i, "stages", first, "next")
        if threat.stages[first].next is None:
            path = ("threats", i, "stages", first, "id")
        if all(threat.stages[n].duration.mean() <= 0 for n in component):
            report.add(
                path,
                f"stages {names} can loop for ever without time passing (every duration "
                "is 0): give one of them a duration above 0",
            )
        elif not any(t not in component for n in component for t in graph[n]):
            report.add(
                path,
                f"stages {names} loop with no way out: the campaign never ends by itself "
                "(as with 'repeat: true'); add a branch with 'end: true' or to a later stage "
                "if it should",
                severity="warning",
            )


def _graph(threat: Threat) -> dict[int, set[int]]:
    """Where each stage can lead: stage indexes, and len(stages) for the campaign's end."""
    n = len(threat.stages)
    index = {s.id: i for i, s in enumerate(threat.stages)}
    out: dict[int, set[int]] = {}
    for i, s in enumerate(threat.stages):
        targets: set[int] = set()
        for b in s.next or ():
            targets.add(n if b.end else index[b.stage or ""])
        if not s.next or any(b.only_if is not None for b in s.next):
            targets.add(i if s.repeat else i + 1)  # no branch possible: as without 'next'
        out[i] = targets
    out[n] = set()
    return out


def shown_loop(names: list[str], *, close: bool = True) -> str:
    """A loop as a problem names it: 'a → b → a', or for a hostile loop of thousands its
    first 10 members and its length ('a → … (5,000 in the loop)'), as for 'after' chains."""
    if len(names) <= 12:
        return " → ".join([*names, names[0]] if close else names)
    return " → ".join(names[:10]) + f" → … ({len(names):,} in the loop)"


def cycles(graph: dict[int, set[int]]) -> list[list[int]]:
    """The strongly connected parts of the graph that loop, made by a branch (a single
    repeating stage without branches is left alone: it is plain 'repeat')."""
    order: list[int] = []
    seen: set[int] = set()
    for start in sorted(graph):  # iterative depth-first search, finishing order
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(sorted(graph[start])))]
        while stack:
            node, it = stack[-1]
            nxt = next((t for t in it if t not in seen), None)
            if nxt is None:
                order.append(node)
                stack.pop()
            else:
                seen.add(nxt)
                stack.append((nxt, iter(sorted(graph[nxt]))))
    reverse: dict[int, set[int]] = {n: set() for n in graph}
    for n, targets in graph.items():
        for t in targets:
            reverse.setdefault(t, set()).add(n)
    assigned: set[int] = set()
    parts: list[list[int]] = []
    for root in reversed(order):
        if root in assigned:
            continue
        part, todo = [], [root]
        assigned.add(root)
        while todo:
            n = todo.pop()
            part.append(n)
            for m in reverse.get(n, ()):
                if m not in assigned:
                    assigned.add(m)
                    todo.append(m)
        part.sort()
        if len(part) > 1 or part[0] in graph[part[0]]:
            parts.append(part)
    return sorted(parts)
