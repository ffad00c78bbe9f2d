"""One replication and one chunk of replications: the code every worker runs.

A replication's seed comes from the root seed and its index alone (``replication_seed``), and
every policy plays the same index with the same seed: common random numbers, so paired
comparisons see the same luck. Nothing here depends on which process runs which indices.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass

import numpy as np

from sim import events as ev
from sim.batch.recipe import Recipe
from sim.deciders import Decider, PlaybookDecider, RandomDecider, play
from sim.engine import Exercise, Outcomes
from sim.loader import load_scenario_text
from sim.playbook import load_playbook_text
from sim.schema import Scenario

RATINGS = ("met", "partially", "not_met")
_RATING_CODES = {r: i for i, r in enumerate(RATINGS)}
NOT_POSED = -1
"""Decision code: the decision was never posed."""
UNDECIDED_AT_END = -2
"""Decision code: posed but still open when the exercise ended."""


def replication_seed(root: int, index: int) -> int:
    """The engine seed of run ``index`` of a batch with root seed ``root`` (63 bits).

    `tabletop run SCENARIO --seed <this>` replays the replication on its own.
    """
    state = np.random.SeedSequence([root, index]).generate_state(2, np.uint32)
    return (int(state[0]) << 31) ^ int(state[1])


@dataclass(slots=True)
class RunSummary:
    """What one replication under one policy produced, flat and small (made once per run and
    never changed; not frozen: a frozen dataclass sets each field through
    ``object.__setattr__``, three times the cost, run after run).

    Tuples follow the scenario's order of objectives, variables, injects, decisions, threats,
    responses, threat branches and responses that can retry (see ``Layout``).
    """

    index: int
    seed: int
    policy: int
    ratings: tuple[int, ...] = ()
    """Per objective: 0 met, 1 partially, 2 not met."""
    finals: tuple[float, ...] = ()
    injects: tuple[bool, ...] = ()
    """Per inject: delivered."""
    decisions: tuple[int, ...] = ()
    """Per decision: the index of the option taken, NOT_POSED or UNDECIDED_AT_END."""
    threats: tuple[str, ...] = ()
    """Per threat: its final status."""
    responses: tuple[str, ...] = ()
    """Per response: its final status."""
    succeeded: tuple[bool, ...] = ()
    """Per response: it succeeded at least once."""
    branches: tuple[bool, ...] = ()
    """(v2) Per threat branch (``Layout.branches``): taken at least once."""
    retries: tuple[int, ...] = ()
    """(v2) Per response that can retry (``Layout.retrying``): attempts a retry started."""
    expression_failures: int = 0
    error: str | None = None
    """Set when the replication raised: the exception, in one line."""


@dataclass(frozen=True)
class Layout:
    """The names behind a RunSummary's tuples, in order."""

    objectives: tuple[str, ...]
    variables: tuple[str, ...]
    injects: tuple[str, ...]
    decisions: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    threats: tuple[str, ...]
    responses: tuple[str, ...]
    response_kinds: tuple[str, ...]
    branches: tuple[tuple[str, str, str], ...] = ()
    """(v2) Every way a campaign can go when a stage ends, as (threat, stage, to), ``to`` ''
    when the branch ends the campaign; in file order, each once (two branches of a stage to
    the same place, on different conditions, are one: the log cannot tell them apart)."""
    retrying: tuple[str, ...] = ()
    """(v2) The responses that can be tried again after failing (with ``retry``)."""

    @classmethod
    def of(cls, scenario: Scenario) -> Layout:
        return cls(
            # an objective rated by an evaluator has no rating in a batch: left out
            objectives=tuple(o.id for o in scenario.objectives if o.rated_by != "evaluator"),
            variables=tuple(scenario.variables),
            injects=tuple(i.id for i in scenario.injects),
            decisions=tuple(d.id for d in scenario.decisions),
            options=tuple(tuple(o.id for o in d.options) for d in scenario.decisions),
            threats=tuple(t.id for t in scenario.threats),
            responses=tuple(r.id for r in scenario.responses),
            response_kinds=tuple(r.kind for r in scenario.responses),
            branches=tuple(
                dict.fromkeys(
                    (t.id, s.id, b.stage or "")
                    for t in scenario.threats
                    for s in t.stages
                    for b in s.next or ()
                )
            ),
            retrying=tuple(r.id for r in scenario.responses if r.retry is not None),
        )


class Prepared:
    """A recipe's texts parsed once per process: the scenario, its layout and one decider per
    policy. It holds no seed: batches of the same texts with other seeds or run counts share it,
    so every run is told its batch's root seed."""

    def __init__(self, recipe: Recipe, *, log: bool = False) -> None:
        self.log = log
        """Whether runs keep their log (a batch's do not: it reads only their outcomes, which
        tests/batch/test_records_off.py checks are the same either way)."""
        self.scenario = load_scenario_text(recipe.scenario_text, recipe.scenario_path)
        self.layout = Layout.of(self.scenario)
        self.books = [
            None if p.text is None else load_playbook_text(p.text, self.scenario, p.path)
            for p in recipe.policies
        ]
        self._option_index = [{o: i for i, o in enumerate(opts)} for opts in self.layout.options]

    def decider(self, policy: int, seed: int) -> Decider:
        book = self.books[policy]
        if book is None:
            return RandomDecider(seed)
        return PlaybookDecider(book)

    def replicate(self, root_seed: int, index: int, policy: int) -> RunSummary:
        """Play run ``index`` of a batch with root seed ``root_seed`` under one policy; an
        exception is recorded, not raised."""
        seed = replication_seed(root_seed, index)
        try:
            ex = Exercise(self.scenario, seed, log=self.log)
            play(ex, self.decider(policy, seed))
            if not self.log:
                return self.summarise_outcomes(ex, index, seed, policy)
            return self.summarise(ex, index, seed, policy)
        except Exception as exc:  # a replication that raises is recorded; the batch goes on
            return RunSummary(index, seed, policy, error=f"{type(exc).__name__}: {exc}")

    def summarise(self, ex: Exercise, index: int, seed: int, policy: int) -> RunSummary:
        """A run's summary read from its log (the records themselves, independently of the
        outcomes the engine notes as it goes: tests/batch/test_records_off.py compares them)."""
        out = Outcomes()
        for r in ex.records:
            if isinstance(r, ev.ObjectiveEvaluated):
                out.ratings[r.objective] = r.rating
            elif isinstance(r, ev.DecisionOpened):
                out.decisions[r.decision] = None
            elif isinstance(r, ev.DecisionMade):
                out.decisions[r.decision] = r.option
            elif isinstance(r, ev.ResponseFinished):
                out.succeeded.add(r.response)
            elif isinstance(r, ev.ThreatBranched):
                out.branches.add((r.threat, r.stage, r.to))
            elif isinstance(r, ev.ResponseStarted):
                if r.origin == ("response", r.response, "retry"):
                    out.retries[r.response] = out.retries.get(r.response, 0) + 1
            elif isinstance(r, ev.ExpressionFailed):
                out.expression_failures += 1
        return self._summary(ex, out, index, seed, policy)

    def summarise_outcomes(self, ex: Exercise, index: int, seed: int, policy: int) -> RunSummary:
        """A run's summary from the outcomes noted by an exercise without a log."""
        return self._summary(ex, ex.outcomes, index, seed, policy)

    def _summary(
        self, ex: Exercise, out: Outcomes, index: int, seed: int, policy: int
    ) -> RunSummary:
        # (lists made into tuples: a generator per tuple costs more than the list, run after run)
        lay = self.layout
        codes = _RATING_CODES
        ratings = out.ratings
        posed = out.decisions
        options = self._option_index
        state = ex.value
        return RunSummary(
            index=index,
            seed=seed,
            policy=policy,
            ratings=tuple([codes[ratings[o]] if o in ratings else 2 for o in lay.objectives]),
            finals=tuple([float(state(v)) for v in lay.variables]),
            injects=tuple([state(i) == "delivered" for i in lay.injects]),
            decisions=tuple(
                [
                    NOT_POSED
                    if d not in posed
                    else UNDECIDED_AT_END
                    if (taken := posed[d]) is None
                    else options[i][taken]
                    for i, d in enumerate(lay.decisions)
                ]
            ),
            threats=tuple([str(state(t)) for t in lay.threats]),
            responses=tuple([str(state(r)) for r in lay.responses]),
            succeeded=tuple([r in out.succeeded for r in lay.responses]),
            expression_failures=out.expression_failures,
            branches=tuple([b in out.branches for b in lay.branches]),
            retries=tuple([out.retries.get(r, 0) for r in lay.retrying]),
        )


_PREPARED: dict[str, Prepared] = {}


def prepared(recipe: Recipe) -> Prepared:
    """The recipe parsed in this process (parsed on first use, then kept)."""
    found = _PREPARED.get(recipe.key)
    if found is None:
        _PREPARED.clear()  # one batch at a time per process: keep memory flat
        found = _PREPARED[recipe.key] = Prepared(recipe)
        gc.freeze()  # the parsed scenario lives for the whole batch: keep it out of GC scans
    return found


def run_chunk(recipe: Recipe, start: int, stop: int) -> list[RunSummary]:
    """Runs ``start`` to ``stop - 1``, each under every policy, in index then policy order.

    The one function both the local process pool and Dask workers call.
    """
    prep = prepared(recipe)
    n = len(recipe.policies)
    root = recipe.root_seed
    return [prep.replicate(root, i, p) for i in range(start, stop) for p in range(n)]
