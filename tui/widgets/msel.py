"""The MSEL: past and upcoming injects, as the current view may see them."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sim.schema import Scenario
from tui.driver import Snapshot
from tui.fmt import clock_at, day_of, literal


class MselPanel(Static):
    """One line per inject: status mark, day, date and time (or '(?)' if unknown), title."""

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.scenario = scenario

    def show(self, snapshot: Snapshot, controller: bool) -> None:
        self.update(self.text(snapshot, controller))

    def text(self, snapshot: Snapshot, controller: bool) -> Text:
        entries = snapshot.msel(controller)
        last = max(
            (i for i, e in enumerate(entries) if e.status == "delivered"),
            key=lambda i: entries[i].time or 0.0,
            default=-1,
        )
        out = Text(no_wrap=True, overflow="ellipsis")
        for i, e in enumerate(entries):
            if e.status == "delivered":
                mark, style = ("▸", "bold") if i == last else ("✓", "dim")
            elif e.status == "skipped":
                mark, style = "✗", "dim strike"
            elif e.contingency:
                mark, style = "⚑", "italic"
            else:
                mark, style = "·", ""
            if e.time is not None:
                t = e.time
                # the exercise day and the calendar date, as tui.fmt.when writes them
                when = f"d{day_of(self.scenario, t):<2} {clock_at(self.scenario, t):%m-%d %H:%M}"
            else:
                when = "── ──-── ──:──"
            out.append(f"{mark} {when} ", style=style)
            out.append_text(literal(e.title, style))
            if e.time is None and e.status == "pending":
                out.append(" (?)" if not e.contingency else " (held)", style="dim")
            out.append("\n")
        if not entries:
            out.append("(no injects yet)" if not controller else "(no injects)", style="dim")
        return out
