"""The inject feed: each inject and message as it arrives, who sent it to whom."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from sim import events as ev
from sim.schema import Scenario
from tui.fmt import literal, when
from tui.widgets.rewrap import RewrappingLog


class InjectFeed(RewrappingLog):
    """Injects (and notifications between actors), newest at the bottom."""

    can_focus = False

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id, max_lines=2000)
        self.scenario = scenario
        self.injects = {i.id: i for i in scenario.injects}
        self.shown = 0

    def reset(self, records: Iterable[ev.Event], controller: bool) -> None:
        """Show these records only: written as one block (one render, one refresh)."""
        self.clear()
        entries = [e for e in (self.entry(r, controller) for r in records) if e is not None]
        self.shown = len(entries)
        if entries:
            self.write(Text("\n").join(entries))

    def add(self, records: Iterable[ev.Event], controller: bool) -> None:
        for r in records:
            entry = self.entry(r, controller)
            if entry is not None:
                self.write(entry)
                self.shown += 1

    def entry(self, r: ev.Event, controller: bool) -> Text | None:
        if isinstance(r, ev.InjectDelivered):
            inj = self.injects.get(r.inject)
            head = Text("FREE-TEXT INJECT " if not r.inject else "INJECT ", style="bold reverse")
            if inj is not None and inj.title:
                head.append(" ")
                head.append_text(literal(inj.title, "bold"))
            tag = " (fired by the facilitator)" if r.by_facilitator and r.inject else ""
            body = Text.assemble(
                head,
                "\n",
                (
                    f"{r.sender} → {', '.join(r.recipients)}   {when(self.scenario, r.time)}{tag}",
                    "italic",
                ),
                "\n",
                literal(r.text),
            )
            if controller and inj is not None and inj.source is not None and inj.source.quote:
                body.append("\nsource: ", style="dim")
                body.append_text(
                    literal(f"{inj.source.ref}, \u201c{inj.source.quote}\u201d", "dim")
                )
            if controller and inj is not None and inj.invented:
                body.append("\n(invented by the scenario author)", style="dim")
            body.append("\n")
            return body
        if isinstance(r, ev.NotificationDelivered):
            return Text.assemble(
                ("MESSAGE ", "bold"),
                (
                    f"{r.sender} → {', '.join(r.recipients)}   {when(self.scenario, r.time)}",
                    "italic",
                ),
                "\n",
                literal(r.message),
                "\n",
            )
        return None
