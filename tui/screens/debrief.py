"""The debrief (hot wash): decisions and what they caused, objectives with evidence, variables."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane

from sim import events as ev
from sim.analysis.consequences import consequences
from sim.analysis.history import changes as variable_changes
from sim.describe import describe
from sim.safetext import printable
from sim.schema import Scenario
from tui.driver import Snapshot
from tui.failures import notify_failure
from tui.fmt import literal, number, variable_label, when
from tui.screens.plan import PlanEditor, PlanTable
from tui.widgets.dashboard import VariableRow, objectives_text
from tui.widgets.keys import KeyBar

if TYPE_CHECKING:
    from sim.session.store import SessionStore
    from tui.app import TabletopApp


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
            at = partial(when, scenario)  # a deadline, an expected end: as the clock gives it
            out.append_text(literal(describe(c, scenario, when=at)))
            out.append("\n")
        out.append("\n")
    return out


def objectives_section(snapshot: Snapshot, controller: bool) -> Text:
    ratings = snapshot.view(controller).ratings
    out = Text()
    if snapshot.finished:
        out.append("Final ratings (the exercise has ended)\n\n", style="bold")
        out.append_text(objectives_text(ratings, final_label=True))
    else:
        out.append(
            "Standing now (not final: press e to end the exercise and rate it)\n\n", style="bold"
        )
        out.append_text(objectives_text(ratings))
    return out


def variables_text(scenario: Scenario, records: Sequence[ev.Event], shown: Collection[str]) -> Text:
    """Each variable of the view (``shown``) with its changes, from the view's records."""
    out = Text()
    for name, spec in scenario.variables.items():
        if name not in shown:
            continue
        changes = variable_changes(records, name)
        out.append_text(literal(variable_label(scenario, name), "bold"))
        out.append_text(literal(f"  from {number(spec.initial)}{spec.unit}"))
        if changes:
            out.append_text(literal(f" to {number(changes[-1].new)}{spec.unit}"))
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
        Binding("x", "export", "Export report"),
        Binding("p", "plan", "Plan"),
        Binding("r", "rate", "Rate"),
        Binding("s", "app.observe", "Observe"),
    ]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self._ended_shown = False
        """Whether the key bar was redrawn for the exercise's end (End exercise gone)."""

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
            with TabPane("Improvement plan", id="d-plan"):
                yield PlanEditor(tuple(o.id for o in self.scenario.objectives), id="plan")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_state()

    def show_state(self, *, full: bool = False, alert: bool = False) -> None:
        app = self.tabletop
        snap = app.snapshot
        if snap is None:
            return
        if snap.finished and not self._ended_shown:
            self._ended_shown = True
            self.query_one(KeyBar).show_keys()
        controller = app.controller
        records = snap.visible(controller)
        self.query_one("#debrief-decisions", Static).update(decisions_text(self.scenario, records))
        self.query_one("#debrief-objectives", Static).update(objectives_section(snap, controller))
        for row in self.query(VariableRow):
            row.display = row.name_ in snap.view(controller).variables
            if row.display:
                row.show(snap, snap.view(controller).now)
        self.query_one("#debrief-variables", Static).update(
            variables_text(self.scenario, records, snap.view(controller).variables)
        )
        self.query_one(PlanEditor).show(snap)
        view = "controller view" if controller else "players' view"
        state = "ended" if snap.finished else "in progress"
        self.sub_title = f"Debrief — {view} — exercise {state}"

    def action_close(self) -> None:
        self.dismiss()

    def action_rate(self) -> None:
        """An evaluator rates an objective that has 'rated_by: evaluator' (a Rate command)."""
        from sim.commands import Rate
        from tui.screens.rate import RateDialog, RateRequest

        hand = [o for o in self.scenario.objectives if o.rated_by == "evaluator"]
        if not hand:
            self.notify(
                "No objective of this scenario is rated by an evaluator (rated_by: evaluator)",
                severity="warning",
            )
            return

        if not self.tabletop.controller:  # the note typed would be on the projector, as for s
            self.notify(
                "Ratings are for evaluators: switch to the controller view (v) first",
                severity="warning",
            )
            return

        def done(req: RateRequest | None) -> None:
            if req is not None:
                command = Rate(
                    by="evaluator", objective=req.objective, rating=req.rating, note=req.note
                )
                if not self.tabletop.submit(lambda d: d.rate(command), "rate"):
                    self.notify("No exercise is running", severity="warning")

        self.app.push_screen(RateDialog(hand), done)

    def action_plan(self) -> None:
        """Show the improvement plan, its table focused (enter edits, a adds, delete removes)."""
        self.query_one(TabbedContent).active = "d-plan"
        self.query_one(PlanTable).focus()

    def action_export(self) -> None:
        """Write the after-action report of the saved session to a folder (asks which)."""
        from tui.screens.export import ExportDialog

        recording = self.tabletop.recording
        if recording is None or recording.session_id is None:
            self.notify(
                "Export needs a saved session (this one is not saved): "
                "`tabletop report SCENARIO` writes a report of a scenario",
                severity="warning",
                markup=False,
            )
            return
        session_id, store = recording.session_id, recording.store
        if self.tabletop.exporting is not None:  # a second export would write the same files
            self.notify(
                printable(
                    f"The after-action report is still being written to "
                    f"{self.tabletop.exporting}: a notice says when it is done"
                ),
                severity="warning",
                markup=False,
            )
            return

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self.tabletop.exporting = folder
                self.notify(
                    printable(
                        f"Writing the after-action report to {folder}… (with PDFs this takes "
                        "a few seconds; a notice says when it is done)"
                    ),
                    markup=False,
                    timeout=10,
                )
                self.run_worker(
                    partial(self._export_work, store, session_id, folder),
                    thread=True,
                    group="export",
                    exit_on_error=False,
                )

        self.app.push_screen(ExportDialog(session_id, store.path.parent), chosen)

    def _exported(self) -> None:
        self.tabletop.exporting = None

    def _export_work(self, store: SessionStore, session_id: int, folder: Path) -> None:
        from sim.analysis.export import export_session

        try:
            done = export_session(store, session_id, folder, pdf=True)
        except Exception as exc:  # said, never silence: the dialog promised a notice
            notify_failure(self.app, "The report was not exported", exc, "Export")
            return
        finally:
            self.app.call_from_thread(self._exported)
        names = "\n".join(f"  {p.name}" for p in done.files)
        also = f"\n({done.pdf_note})" if done.pdf_note else ""
        self.app.call_from_thread(
            self.notify,
            printable(f"Wrote the after-action report to {done.folder}:\n{names}{also}"),
            title="Exported",
            markup=False,
            timeout=12,
        )
