"""Reading one policy's tally by name: shares, means and the sample of final values.

For code that asks questions of a batch (tests, notebooks) rather than printing it.
"""

from __future__ import annotations

from sim.batch.aggregate import PolicyTally
from sim.batch.replicate import RATINGS


class PolicyView:
    """One policy's outcomes over a batch's runs."""

    def __init__(self, tally: PolicyTally) -> None:
        self._t = tally
        self._objective = {o: i for i, o in enumerate(tally.layout.objectives)}
        self._variable = {v: i for i, v in enumerate(tally.layout.variables)}

    @property
    def runs(self) -> int:
        """Runs that finished (failed replications are not counted)."""
        return self._t.runs

    @property
    def failed(self) -> int:
        return self._t.failed

    @property
    def expression_failures(self) -> int:
        """Expressions that failed to evaluate, over all runs."""
        return self._t.expression_failures

    def count(self, objective: str, *ratings: str) -> int:
        """Runs in which the objective got one of these ratings (default: met)."""
        row = self._t.ratings[self._objective[objective]]
        return sum(row[RATINGS.index(r)] for r in (ratings or ("met",)))

    def rate(self, objective: str, *ratings: str) -> float:
        """Share of runs in which the objective got one of these ratings (default: met)."""
        return self.count(objective, *ratings) / self._t.runs

    def mean(self, variable: str) -> float:
        """Mean final value of a variable."""
        return self._t.sums[self._variable[variable]] / self._t.runs

    def values(self, variable: str) -> list[float]:
        """Final values of a variable: every run up to the reservoir size, else a sample."""
        i = self._variable[variable]
        return [row[i] for row in self._t.sample]

    def kinds_succeeded(self, kind: str) -> int:
        """Runs in which at least one response of this kind succeeded."""
        return self._t.kinds_succeeded[kind]
