"""Actors: who is busy (capacity in use), and the responses and bills in progress."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sim.schema import Scenario
from tui.driver import Snapshot
from tui.fmt import literal


class ActorsPanel(Static):
    """One block per actor: a capacity bar and its responses with their progress."""

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.scenario = scenario
        self.titles = {r.id: r.title or r.id for r in scenario.responses}

    def show(self, snapshot: Snapshot, controller: bool) -> None:
        self.update(self.text(snapshot, controller))

    def text(self, snapshot: Snapshot, controller: bool) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        width = max(len(a.id) for a in self.scenario.actors)
        seen = snapshot.view(controller)
        now = seen.now  # the players' clock may be behind the engine's (sim.views)
        for actor in seen.actors:
            used, cap = actor.used, actor.capacity
            bar = "█" * used + "░" * max(cap - used, 0)
            if cap > 6:
                bar = f"{used}/{cap}"
            out.append(f"{actor.actor:<{width}} ", style="bold" if used else "")
            out.append(f"{bar:<4} ", style="bold" if used else "dim")
            if not actor.jobs:
                out.append("idle\n" if used == 0 else "\n", style="dim")
                continue
            for n, job in enumerate(actor.jobs):
                if n:
                    out.append(" " * (width + 6))
                out.append_text(literal(self.titles.get(job.response, job.response)))
                if job.stage:
                    out.append(f": {job.stage}", style="italic")
                elif job.expected_end is not None and job.expected_end > job.started:
                    frac = (now - job.started) / (job.expected_end - job.started)
                    out.append(f" {min(max(frac, 0.0), 1.0):.0%}", style="bold")
                out.append("\n")
        return out
