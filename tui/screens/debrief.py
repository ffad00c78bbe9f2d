"""The debrief (hot wash): decisions and what they caused, objectives with evidence, variables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from sim import events as ev
from sim.describe import describe
from sim.schema import Scenario
from tui.driver import Snapshot
from tui.fmt import literal, number, variable_label, when
from tui.widgets.dashboard import (
    MARKS,
    VariableRow,
    objectives_text,
    players_may_see,
    secret_names,
)
from tui.widgets.keys import KeyBar

if TYPE_CHECKING:
    from tui.app import TabletopApp


def caused_by(record: ev.Event) -> str | None:
    if isinstance(record, ev.VariableChanged | ev.ResponseStarted):
        return record.cause
    return None


def consequences(records: Sequence[ev.Event], decision: str, option: str) -> list[ev.Event]:
    """The records a decision caused: its effects, the responses it started, what those did."""
    roots = {f"decision:{decision}.{option}"}
    responses: set[str] = set()
    out: list[ev.Event] = []
    for r in records:
        cause = caused_by(r)
        from_response = (
            cause is not None
            and cause.startswith("response:")
            and (cause.removeprefix("response:").split(".")[0] in responses)
        )
        if cause in roots or from_response:
            out.append(r)
            if isinstance(r, ev.ResponseStarted):
                responses.add(r.response)
            continue
        if (
            isinstance(
                r,
                ev.ResponseFinished
                | ev.ResponseFailed
                | ev.BillProgress
                | ev.NotificationDelivered,
            )
            and r.response in responses
        ) or (
            isinstance(r, ev.ThreatStopped | ev.ThreatDetected | ev.ThreatSlowed)
            and (r.by.removeprefix("response:") in responses)
        ):
            out.append(r)
    return out


def decisions_text(scenario: Scenario, records: Sequence[ev.Event]) -> Text:
    labels = {(d.id, o.id): o.label for d in scenario.decisions for o in d.options}
    prompts = {d.id: d.prompt for d in scenario.decisions}
    out = Text()
    made = [r for r in records if isinstance(r, ev.DecisionMade)]
    if not made:
        out.append("No decisions made yet.", style="dim")
    for d in made:
        out.append(f"{when(scenario, d.time)}  ", style="bold")
        out.append_text(literal(prompts.get(d.decision, d.decision), "bold"))
        out.append("\n   → ")
        out.append_text(literal(labels.get((d.decision, d.option), d.option), "bold reverse"))
        by = "default at the deadline" if d.by == "deadline" else f"by {d.by}"
        out.append(f"  ({by})\n", style="italic")
        for c in consequences(records, d.decision, d.option):
            out.append(f"     {when(scenario, c.time)}  ", style="dim")
            out.append_text(literal(describe(c, scenario)))
            out.append("\n")
        out.append("\n")
    return out


def objectives_section(
    scenario: Scenario, snapshot: Snapshot, records: Sequence[ev.Event], controller: bool
) -> Text:
    final = [r for r in records if isinstance(r, ev.ObjectiveEvaluated)]
    out = Text()
    if final:
        out.append("Final ratings (the exercise has ended)\n\n", style="bold")
        descriptions = {o.id: o.description for o in scenario.objectives}
        secrets = secret_names(scenario, snapshot.visible(False))
        for r in final:
            mark, style = MARKS.get(r.rating, ("?", "bold"))
            out.append(f"{mark} {r.rating.replace('_', ' '):<10} ", style=style)
            out.append_text(literal(descriptions.get(r.objective, r.objective)))
            out.append("\n")
            if controller or players_may_see(r.evidence, secrets):
                out.append_text(literal(f"   evidence: {r.evidence}\n", "dim"))
            else:
                out.append("   evidence: in the controller view\n", style="dim")
    else:
        out.append(
            "Standing now (not final: press e to end the exercise and rate it)\n\n", style="bold"
        )
        secrets = secret_names(scenario, snapshot.visible(False))
        out.append_text(objectives_text(scenario, snapshot.standing, controller, secrets))
    return out


def variables_text(scenario: Scenario, records: Sequence[ev.Event], controller: bool) -> Text:
    out = Text()
    for name, spec in scenario.variables.items():
        if spec.hidden and not controller:
            continue
        changes = [r for r in records if isinstance(r, ev.VariableChanged) and r.variable == name]
        out.append_text(literal(variable_label(scenario, name), "bold"))
        out.append(f"  from {number(spec.initial)}{spec.unit}")
        if changes:
            out.append(f" to {number(changes[-1].new)}{spec.unit}")
        out.append("\n")
        for c in changes:
            arrow = "▲" if c.new > c.old else "▼"
            out.append(f"   {when(scenario, c.time)}  {number(c.old)} → {number(c.new)} {arrow}  ")
            out.append_text(literal(c.cause, "dim"))
            out.append("\n")
        out.append("\n")
    return out


class DebriefScreen(Screen[None]):
    """Opened with d (or when the exercise ends); escape returns to the console."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,d", "close", "Back to the console"),
        Binding("e", "app.end_exercise", "End exercise"),
        Binding("w", "app.what_if", "What if"),
        Binding("v", "app.toggle_view", "View"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    @property
    def tabletop(self) -> TabletopApp:
        return cast("TabletopApp", self.app)

    def compose(self) -> ComposeResult:
        with TabbedContent(id="debrief"):
            with TabPane("Decisions", id="d-decisions"), VerticalScroll():
                yield Static("", id="debrief-decisions")
            with TabPane("Objectives", id="d-objectives"), VerticalScroll():
                yield Static("", id="debrief-objectives")
            with TabPane("Variables", id="d-variables"), VerticalScroll():
                for name in self.scenario.variables:
                    yield VariableRow(self.scenario, name)
                yield Static("", id="debrief-variables")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_state()

    def show_state(self, *, full: bool = False, alert: bool = False) -> None:
        app = self.tabletop
        snap = app.snapshot
        if snap is None:
            return
        controller = app.controller
        records = snap.visible(controller)
        self.query_one("#debrief-decisions", Static).update(decisions_text(self.scenario, records))
        self.query_one("#debrief-objectives", Static).update(
            objectives_section(self.scenario, snap, records, controller)
        )
        for row in self.query(VariableRow):
            row.display = controller or not self.scenario.variables[row.name_].hidden
            if row.display:
                row.show(snap)
        self.query_one("#debrief-variables", Static).update(
            variables_text(self.scenario, records, controller)
        )
        view = "controller view" if controller else "players' view"
        state = "ended" if snap.finished else "in progress"
        self.sub_title = f"Debrief — {view} — exercise {state}"

    def action_close(self) -> None:
        self.dismiss()
