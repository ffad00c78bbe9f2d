"""The one door through which choices enter an exercise, and its headless implementations.

A person at the console, a playbook and a random explorer all answer the same question:
given this open decision, which option, and how long after it was posed?
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sim.engine import Exercise, OpenDecision
from sim.playbook import Playbook
from sim.schema import ExprText


@dataclass(frozen=True, slots=True)
class Choice:
    option: str
    after: float = 0.0
    """Time the players take, from the moment the decision was posed."""
    reason: str = ""


class Decider(Protocol):
    """Chooses options for open decisions; None leaves the decision to its deadline default."""

    name: str

    def choose(self, exercise: Exercise, pending: OpenDecision) -> Choice | None: ...


class DefaultDecider:
    """Nobody decides: every decision takes its default option at its deadline."""

    name = "deadline"

    def choose(self, exercise: Exercise, pending: OpenDecision) -> Choice | None:
        return None


class RandomDecider:
    """Picks an option uniformly at random, at once (for exploring a scenario)."""

    name = "random"

    def __init__(self, seed: int) -> None:
        # numpy is imported here, not with the module: a run with a playbook or no decider
        # (`tabletop run`, the console) never needs it, and importing it costs tens of ms
        import numpy as np

        self._rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5EED]))

    def choose(self, exercise: Exercise, pending: OpenDecision) -> Choice | None:
        options = pending.offered or tuple(o.id for o in pending.decision.options)
        return Choice(options[int(self._rng.integers(len(options)))], reason="random choice")


class PlaybookDecider:
    """Follows a playbook: the first rule whose condition holds when the decision is posed."""

    name = "playbook"

    def __init__(self, playbook: Playbook) -> None:
        self.playbook = playbook
        found = _PLANS.get(id(playbook))
        self._plan = found[1] if found is not None and found[0] is playbook else _plan(playbook)

    def choose(self, exercise: Exercise, pending: OpenDecision) -> Choice | None:
        decision = pending.decision.id
        offered = pending.offered
        for option, only_if, choice in self._plan.get(decision, ()):
            if offered and option not in offered:
                continue  # a conditional option not offered now: the next rule
            if only_if is None or exercise.truth(only_if, "playbook:%s", decision):
                return choice
        return None


Plan = dict[str, tuple[tuple[str, ExprText | None, Choice], ...]]
"""A playbook's rules, per decision, in order: (the option, its condition, the choice)."""

_PLANS: dict[int, tuple[Playbook, Plan]] = {}
"""Each playbook's rules as ``choose`` reads them, by the playbook's identity (kept alive
here, so its id is not reused while kept): a playbook is frozen, and a batch asks the same
rules run after run (a decider per run), where reading a rule's fields (pydantic's) and
making its choice each time was most of ``choose``. At most ``_PLANS_KEPT``, then forgotten
together."""
_PLANS_KEPT = 4096


def _plan(playbook: Playbook) -> Plan:
    book = playbook.playbook.id
    plan: Plan = {}
    for decision, rules in playbook.decisions.items():
        planned = []
        for rule in rules:
            why = f"playbook {book}"
            if rule.only_if is not None:
                why += f" (because {rule.only_if})"
            planned.append((rule.choose, rule.only_if, Choice(rule.choose, rule.after, why)))
        plan[decision] = tuple(planned)
    if len(_PLANS) >= _PLANS_KEPT:
        _PLANS.clear()
    _PLANS[id(playbook)] = (playbook, plan)
    return plan


def play(exercise: Exercise, decider: Decider) -> None:
    """Run the exercise to its end, asking the decider once about each decision.

    A logged exercise is moved and decided by commands (its command log replays the run). An
    exercise without a log (a batch's run) is moved and decided the same way without them
    (``advance_unlogged``, ``decide_unlogged``): the same run, records and final state."""
    advance: Callable[[], object] = exercise.run_until_decision
    decide = exercise.decide
    if not exercise.log:
        advance, decide = exercise.advance_unlogged, exercise.decide_unlogged
    asked: set[tuple[str, float]] = set()
    while not exercise.finished:
        advance()
        # by the decision's id (not read from the decision: a scenario model's field is slow)
        for decision, pending in list(exercise.open_decisions.items()):
            key = (decision, pending.opened)  # a decision may be posed again (v2)
            if key in asked:
                continue
            asked.add(key)
            choice = decider.choose(exercise, pending)
            if choice is not None:
                decide(
                    decision,
                    choice.option,
                    by=decider.name,
                    at=pending.opened + choice.after,
                    reason=choice.reason,
                )
