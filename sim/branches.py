"""(v2) Threat stage branches: after a stage, the next stage is chosen on a condition or by chance.

A stage's ``next`` lists branches. When the stage ends, the branches whose ``if`` holds are
possible and one is drawn with chance proportional to its ``weight``. The draw comes from the
threat's own branch stream (``threat:ID:branch``), one number per branch point whatever the
number of possible branches, so a branch never shifts the threat's durations or detection
dice, and two playbooks that reach the same branch point face the same luck there.

A threat without ``next`` on any stage runs exactly the stages it always ran
(:func:`stage_path`'s first loop), so v1 scenarios are untouched.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Protocol

from sim import events as ev
from sim.chance import Stream
from sim.limits import MAX_REPEATS as MAX_REPEATS
from sim.schema import Stage, Threat
from sim.yamlread import Path_

if TYPE_CHECKING:
    from sim.context import Context

# A stage runs at most MAX_REPEATS rounds in a row; a branched campaign at most this many
# stages per stage it has (a hostile file cannot loop forever; the run budget bounds it too).


def stage_path(ex: Context, threat: Threat) -> Iterator[Stage]:
    """The stages a campaign runs, one per round, decided as each round ends."""
    stages = threat.stages
    if not any(s.next for s in stages):
        for stage in stages:
            for _round in range(MAX_REPEATS):
                yield stage
                if not stage.repeat:
                    break
        return
    index = {s.id: i for i, s in enumerate(stages)}
    rng = ex.rng(f"threat:{threat.id}:branch")
    at: int | None = 0
    in_a_row = 0
    for _entry in range(MAX_REPEATS * len(stages)):
        if at is None or at >= len(stages):
            return
        stage = stages[at]
        yield stage
        went = _after(ex, threat, stage, index, rng)
        if isinstance(went, _Default):
            if stage.repeat and in_a_row + 1 < MAX_REPEATS:
                in_a_row += 1
                continue
            went = at + 1
        in_a_row = 0
        at = went


class _Default:
    """No branch was possible: the stage goes on as without 'next'."""


_DEFAULT = _Default()


def _after(
    ex: Context, threat: Threat, stage: Stage, index: Mapping[str, int], rng: Stream
) -> int | _Default | None:
    """Where the campaign goes after a round of ``stage``: a stage index, None (it ends), or
    _DEFAULT."""
    if not stage.next:
        return _DEFAULT
    u = rng.random()  # one draw per branch point, whatever is possible
    where = f"threat:{threat.id}.{stage.id}.next"
    possible = [b for b in stage.next if b.only_if is None or ex.truth(b.only_if, where)]
    if not possible:
        return _DEFAULT
    total = sum(b.weight for b in possible)
    pick = u * total
    chosen = possible[-1]
    for branch in possible:
        if pick < branch.weight:
            chosen = branch
            break
        pick -= branch.weight
    ex.record(
        ev.ThreatBranched,
        threat=threat.id,
        stage=stage.id,
        to=chosen.stage or "",
        chance=round(chosen.weight / total, 12),
        audience=ev.FACILITATOR_ONLY,
    )
    return None if chosen.end else index[chosen.stage or ""]


# --- checks ---------------------------------------------------------------------------------


class _Reporter(Protocol):
    def add(
        self,
        path: Path_,
        message: str,
        *,
        key: bool = False,
        offset: int | None = None,
        severity: str = "error",
    ) -> None: ...


def check_branches(report: _Reporter, i: int, threat: Threat) -> None:
    """Unknown stages in branches, and loops of stages that can never end."""
    from sim.problems import did_you_mean

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
    for component in _cycles(graph):
        if len(component) == 1 and not threat.stages[component[0]].next:
            continue  # a plain repeating stage: checked with 'repeat'
        names = " → ".join(ids[n] for n in component) + f" → {ids[component[0]]}"
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


def _cycles(graph: dict[int, set[int]]) -> list[list[int]]:
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
