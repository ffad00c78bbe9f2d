"""What each edition of a report may show: the players' rules, in one place.

The players' edition is built from ``Exercise.visible(controller=False)`` plus the rules
below, which hide what the records alone do not: the reason a facilitator gave for an
adjustment, the real cause of an unexplained change, and the names of hidden variables,
undetected threats and undelivered injects inside free text (evidence, playbook reasons).
When the engine's players' view (``sim/views.py``) lands, :func:`edition_view` is the one
place to switch to it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sim import events as ev
from sim.engine import Exercise

ADJUSTED = "facilitator adjustment"
"""The cause players see for a variable the facilitator set by hand."""


@dataclass(frozen=True)
class EditionView:
    """The records and names one audience of a report may see."""

    controller: bool
    records: tuple[ev.Event, ...]
    variables: tuple[str, ...]
    """Variables whose values this audience may see, in scenario order."""
    secrets: frozenset[str]
    """Names that must not appear in the players' edition (empty for the controller)."""

    def may_mention(self, text: str) -> bool:
        """Whether free text names none of this audience's secrets."""
        return not any(_word(name).search(text) for name in self.secrets)

    def may_see_names(self, names: Iterable[str]) -> bool:
        return not (set(names) & self.secrets)


def _word(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![A-Za-z0-9_])")


def _players_record(r: ev.Event) -> ev.Event:
    if isinstance(r, ev.VariableChanged):
        cause = ADJUSTED if r.cause.startswith("facilitator") else r.cause
        return dataclasses.replace(r, cause=cause, hidden_cause="")
    return r


def edition_view(ex: Exercise, *, controller: bool) -> EditionView:
    """The view of a finished exercise for the controller or for the players."""
    scenario = ex.scenario
    if controller:
        return EditionView(True, tuple(ex.records), tuple(scenario.variables), frozenset())
    records = tuple(_players_record(r) for r in ex.visible(controller=False))
    known = {r.threat for r in records if isinstance(r, ev.ThreatDetected | ev.ThreatStopped)}
    delivered = {r.inject for r in records if isinstance(r, ev.InjectDelivered) and r.inject}
    secrets = {n for n, v in scenario.variables.items() if v.hidden}
    secrets |= {t.id for t in scenario.threats if t.id not in known}
    secrets |= {i.id for i in scenario.injects if i.id not in delivered}
    named = {t.actor for t in scenario.threats if t.id in known}
    secrets |= {a.id for a in scenario.actors if a.affiliation == "adversary"} - named
    variables = tuple(n for n, v in scenario.variables.items() if not v.hidden)
    return EditionView(False, records, variables, frozenset(secrets))
