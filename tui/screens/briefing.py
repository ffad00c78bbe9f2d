"""The briefing: the situation, actors, objectives and modules, as read aloud at the start."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from sim.schema import Scenario
from sim.views import covert_actors
from tui.fmt import clock_at, duration, literal
from tui.widgets.keys import KeyBar

if TYPE_CHECKING:
    from tui.app import TabletopApp


def briefing_text(scenario: Scenario, controller: bool) -> Text:
    info = scenario.scenario
    out = Text()
    out.append_text(literal(info.title, "bold underline"))
    out.append("\n\n")
    out.append("Situation\n", style="bold")
    out.append_text(literal(info.summary.strip()))
    out.append("\n\n")
    out.append(
        f"Starts {clock_at(scenario, 0):%Y-%m-%d %H:%M}; covers {duration(scenario, info.horizon)} "
        f"of scenario time in a session of about {info.session_minutes} minutes.\n",
        style="italic",
    )
    if info.audience:
        out.append_text(literal(f"For: {info.audience}\n", "italic"))
    out.append("\nActors\n", style="bold")
    covert = frozenset() if controller else covert_actors(scenario)
    for a in scenario.actors:
        if a.id in covert:
            continue
        role = "players" if a.is_player else a.affiliation
        out.append_text(literal(f"  {a.name}", "bold"))
        out.append(f"  ({a.id}, {role})")
        if a.description:
            out.append_text(literal(f": {a.description}"))
        out.append("\n")
    if scenario.objectives:
        out.append("\nObjectives\n", style="bold")
        for o in scenario.objectives:
            out.append("  • ")
            out.append_text(literal(o.description))
            out.append("\n")
    for m in info.modules:
        out.append("\n")
        out.append_text(literal(m.title, "bold"))
        out.append(f"   (from {clock_at(scenario, m.start):%Y-%m-%d %H:%M})\n", style="dim")
        if m.summary:
            out.append_text(literal(m.summary.strip()))
            out.append("\n")
        for q in m.discussion_questions:
            out.append("  ? ", style="bold")
            out.append_text(literal(q))
            out.append("\n")
        if controller and m.facilitator_notes:
            out.append_text(literal(f"  facilitator: {m.facilitator_notes}", "italic yellow"))
            out.append("\n")
    if controller:
        if info.facilitator_notes:
            out.append("\nFacilitator notes\n", style="bold yellow")
            out.append_text(literal(info.facilitator_notes, "yellow"))
            out.append("\n")
        if info.assumptions:
            out.append("\nAssumptions made by the author\n", style="bold yellow")
            for line in info.assumptions:
                out.append_text(literal(f"  • {line}\n", "yellow"))
        if info.sources:
            out.append("\nSources\n", style="bold yellow")
            for s in info.sources:
                out.append_text(
                    literal(
                        f"  {s.id}: {s.title or s.file or ''} {s.publisher or ''} {s.date or ''}\n"
                    )
                )
    return out


class BriefingScreen(Screen[None]):
    """Read aloud at the start; reachable from the console with b."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter,b", "close", "To the console"),
        Binding("v", "app.toggle_view", "View"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    @property
    def tabletop(self) -> TabletopApp:
        return cast("TabletopApp", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="briefing") as box:
            box.border_title = "Briefing"
            yield Static("", id="briefing-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_state()

    def show_state(self, *, full: bool = False, alert: bool = False) -> None:
        controller = self.tabletop.controller
        self.query_one("#briefing", VerticalScroll).border_subtitle = (
            "controller view" if controller else "players' view"
        )
        self.query_one("#briefing-text", Static).update(briefing_text(self.scenario, controller))

    def action_close(self) -> None:
        self.dismiss()
