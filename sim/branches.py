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
from itertools import chain, repeat, starmap
from typing import TYPE_CHECKING

from sim import events as ev
from sim.limits import MAX_REPEATS as MAX_REPEATS
from sim.runviews import StageView
from sim.schema import Threat

if TYPE_CHECKING:
    from sim.chance import Stream
    from sim.context import Context

# A stage runs at most MAX_REPEATS rounds in a row; a branched campaign at most this many
# stages per stage it has (a hostile file cannot loop forever; the run budget bounds it too).


def stage_path(ex: Context, threat: Threat, stages: tuple[StageView, ...]) -> Iterator[StageView]:
    """The stages a campaign runs (``stages``: the threat's, as run views), one per round,
    decided as each round ends."""
    found = _ROUNDS.get(id(stages))
    rounds = found[1] if found is not None else _rounds(stages)
    if rounds is None:
        return _branched_path(ex, threat, stages)
    # Each stage in turn, as many rounds in a row as it runs: made of C iterators, so a
    # campaign's next stage takes no Python code to find.
    return chain.from_iterable(starmap(repeat, rounds))


Rounds = tuple[tuple[StageView, int], ...]
"""A campaign's stages without branches, each with the rounds it runs in a row."""

_ROUNDS: dict[int, tuple[tuple[StageView, ...], Rounds | None]] = {}
"""Each threat's rounds (None: it branches), by the identity of its stages' run views (kept
alive here, so the identity is not reused while kept): a scenario's threats recur every run.
At most ``_KEPT``, then forgotten together."""
_KEPT = 4096


def _rounds(stages: tuple[StageView, ...]) -> Rounds | None:
    """The rounds of a campaign without branches (a repeating stage runs MAX_REPEATS rounds
    in a row, any other one), worked out once per threat; None for one with branches."""
    rounds = (
        None
        if any(s.next for s in stages)
        else tuple((s, MAX_REPEATS if s.repeat else 1) for s in stages)
    )
    if len(_ROUNDS) >= _KEPT:
        _ROUNDS.clear()
    _ROUNDS[id(stages)] = (stages, rounds)
    return rounds


def _branched_path(
    ex: Context, threat: Threat, stages: tuple[StageView, ...]
) -> Iterator[StageView]:
    """The stages of a campaign with branches: after each round, where its branches lead."""
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
    ex: Context, threat: Threat, stage: StageView, index: Mapping[str, int], rng: Stream
) -> int | _Default | None:
    """Where the campaign goes after a round of ``stage``: a stage index, None (it ends), or
    _DEFAULT."""
    if not stage.next:
        return _DEFAULT
    u = rng.random()  # one draw per branch point, whatever is possible
    possible = [
        b
        for b in stage.next
        if b.only_if is None or ex.truth(b.only_if, "threat:%s.%s.next", threat.id, stage.id)
    ]
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
