"""The decision panel: the open decision's prompt, numbered options and a live deadline."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from sim.engine import OpenDecision
from sim.schema import Scenario
from sim.views import not_offered, offered
from tui.driver import Snapshot
from tui.fmt import actor_name, duration, literal, when


class DecisionPanel(Static):
    """Shows one open decision (the current one) and how many others are open."""

    def __init__(self, scenario: Scenario, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.scenario = scenario
        self.current: OpenDecision | None = None

    def show(self, snapshot: Snapshot, index: int, controller: bool = False) -> None:
        opened = snapshot.view(controller).open_decisions  # the players': the room's only
        self.current = opened[index % len(opened)] if opened else None
        self.set_class(self.current is not None, "-open")
        self.update(self.text(snapshot, index, controller))

    def text(self, snapshot: Snapshot, index: int, controller: bool = False) -> Text:
        """The open decision: the options offered now, numbered (an option whose condition
        is false is hidden from the players; the controller view lists it, unnumbered)."""
        od = self.current
        if od is None:
            msg = "The exercise has ended." if snapshot.finished else "No decision is open."
            return Text(msg, style="dim")
        d = od.decision
        left = od.deadline - snapshot.now
        shown = od.deadline - snapshot.view(controller).now  # the players' clock may be behind
        out = Text()
        out.append(" DECISION ", style="bold reverse")
        out.append("  owner: ")
        out.append_text(literal(actor_name(self.scenario, d.owner), "bold"))
        out.append(
            f"   due in {duration(self.scenario, shown)} ({when(self.scenario, od.deadline)})",
            style="bold" if left > 0 else "bold reverse",
        )
        out.append("\n")
        out.append_text(literal(d.prompt, "bold"))
        out.append("\n")
        if left <= 0:  # the deadline instant: the engine takes no choice now (see closing)
            return out.append_text(closing(od, len(snapshot.view(controller).open_decisions) - 1))
        options = offered(od)
        for n, option in enumerate(options, start=1):
            key = f" {n} " if n <= 9 else "   "
            out.append(key, style="bold reverse")
            out.append(" ")
            out.append_text(literal(option.label))
            if option.id == d.default:
                out.append("  (default at the deadline)", style="dim italic")
            out.append("\n")
        for option in not_offered(od) if controller else ():
            out.append("    ")
            out.append_text(literal(option.label, "dim strike"))
            out.append("  (not offered now: its condition is false)\n", style="dim italic")
        keys = f"[1-{min(len(options), 9)}] choose"
        others = len(snapshot.view(controller).open_decisions) - 1
        if others:
            keys += f"   [o] next open decision ({others} more)"
        out.append(keys, style="dim")
        return out


def default_label(od: OpenDecision) -> str:
    d = od.decision
    return next((o.label for o in d.options if o.id == d.default), d.default)


def closing(od: OpenDecision, others: int) -> Text:
    """A decision at its deadline instant: the engine refuses a choice from that instant on,
    and the default applies when the instant ends, so no option is offered."""
    out = Text()
    out.append("No choice was made before the deadline: the default '", style="bold")
    out.append_text(literal(default_label(od), "bold"))
    out.append("' applies at the end of this instant.\n", style="bold")
    keys = "[n] or [space] let it apply"
    if others:
        keys += f"   [o] next open decision ({others} more)"
    out.append(keys, style="dim")
    return out
