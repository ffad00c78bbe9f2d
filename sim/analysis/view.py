"""What each edition of a report may show: the engine's players' view, plus one safety net.

The players' edition is built from the engine's players' view (:mod:`sim.views`): the records
whose audience includes a player, with facilitator-only fields left out (adjustment and
firing reasons, the real cause of an unexplained change) and objective evidence without
hidden values. On top of it, free text the report quotes (evidence, a playbook's reason) is
left out if it names a secret: a hidden variable, an undetected threat, an inject that has
not reached the players, or an adversary the players have not met.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim import events as ev
from sim import views
from sim.engine import Exercise


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
        return not views.mentions_any(text, self.secrets)


def edition_view(ex: Exercise, *, controller: bool) -> EditionView:
    """The view of a finished exercise for the controller or for the players."""
    scenario = ex.scenario
    if controller:
        return EditionView(True, tuple(ex.records), tuple(scenario.variables), frozenset())
    records = tuple(views.records(ex, False))
    variables = tuple(n for n, v in scenario.variables.items() if not v.hidden)
    return EditionView(False, records, variables, views.unsayable(ex))
