"""The event log: one plain sentence per record this view may see."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from sim import events as ev
from sim.describe import describe
from sim.schema import Scenario
from tui.fmt import literal, when
from tui.widgets.rewrap import RewrappingLog

_STYLES: dict[type[ev.Event], str] = {
    ev.DecisionOpened: "bold",
    ev.DecisionMade: "bold",
    ev.FacilitatorNote: "italic",
    ev.ExpressionFailed: "bold red",
    ev.ObjectiveEvaluated: "bold",
}


class EventLog(RewrappingLog):
    """Every visible record, described by ``sim.describe``."""

    can_focus = False

    def __init__(self, scenario: Scenario, *, id: str | None = None, classes: str = "") -> None:
        super().__init__(id=id, classes=classes, max_lines=5000)
        self.scenario = scenario
        self.shown = 0
        self.controller = False
        """Whether the lines carry the facilitator's detail (reasons, real causes)."""

    def reset(self, records: Iterable[ev.Event], controller: bool = False) -> None:
        """Show these records only: written as one block (one render, one refresh)."""
        self.clear()
        self.controller = controller
        lines = [self.line(r) for r in records]
        self.shown = len(lines)
        if lines:
            self.write(Text("\n").join(lines))

    def add(self, records: Iterable[ev.Event]) -> None:
        for r in records:
            self.write(self.line(r))
            self.shown += 1

    def when(self, t: float) -> str:
        """A time a line names, as the clock gives it ('day 2 07-02 15:00')."""
        return when(self.scenario, t)

    def line(self, r: ev.Event) -> Text:
        style = _STYLES.get(type(r), "")
        if r.audience == ev.FACILITATOR_ONLY:
            style += " dim"
        return Text.assemble(
            (f"{when(self.scenario, r.time)}  ", "dim"),
            literal(describe(r, self.scenario, self.controller, self.when), style),
        )
