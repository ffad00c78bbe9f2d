"""The top bar: scenario title, scenario clock (date-time and day), play state, speed, view."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from sim.schema import Scenario
from tui.driver import Snapshot
from tui.fmt import clock_at, day_of, literal

SITTING_WIDTH = 28
"""Most cells the sitting of parliament takes in the bar (v2 calendar)."""


class ClockBar(Widget):
    """One line: title on the left, the clock and the play state on the right."""

    DEFAULT_CSS = "ClockBar { height: 1; }"

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.scenario = scenario
        self.snapshot: Snapshot | None = None
        self.playing = False
        self.speed = ""
        self.controller = False

    def show(
        self, snapshot: Snapshot | None, *, playing: bool, speed: str, controller: bool
    ) -> None:
        self.snapshot, self.playing, self.speed, self.controller = (
            snapshot,
            playing,
            speed,
            controller,
        )
        self.set_class(controller, "-controller")
        self.refresh()

    def status(self) -> Text:
        snap = self.snapshot
        out = Text()
        if snap is None:
            return Text("starting…")
        now = snap.view(self.controller).now  # the players' may be behind (sim.views)
        out.append(f"{clock_at(self.scenario, now):%Y-%m-%d %H:%M}", style="bold")
        out.append(f"  day {day_of(self.scenario, now)}  ", style="bold")
        if self.scenario.calendar:  # (v2) whether parliament sits: public, in both views
            sitting = snap.view(self.controller).sitting
            shown = literal(f"⚖ {sitting}" if sitting else "⚖ not sitting")
            shown.truncate(SITTING_WIDTH, overflow="ellipsis")
            out.append_text(shown)
            out.append("  ")
        if snap.finished:
            out.append("■ ended ", style="bold")
        elif snap.view(self.controller).open_decisions and not self.playing:
            out.append("⏸ decision ", style="bold reverse")
        else:
            out.append("▶ " if self.playing else "⏸ ", style="bold")
        out.append(f"{self.speed} ")
        out.append(
            " CONTROLLER " if self.controller else " PLAYERS ",
            style="bold reverse",
        )
        return out

    def render(self) -> Text:
        status = self.status()
        width = self.size.width or 80
        room = max(width - status.cell_len - 2, 4)
        title = literal(self.scenario.scenario.title, "bold")
        title.truncate(room, overflow="ellipsis")
        gap = max(width - title.cell_len - status.cell_len - 1, 1)
        return Text.assemble(" ", title, " " * gap, status)
