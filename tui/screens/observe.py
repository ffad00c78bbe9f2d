"""An evaluator's observation (s): one line for the after-action report, optionally tagged.

Type the line, choose the objective it bears on (or none) and whether it is a strength, an
area for improvement or neither; enter saves an Observe command, saved with the session like
any other, while the exercise runs and after it has ended (the hotwash, in the debrief).
Escape cancels. The console asks for it only in the controller view: what is typed is for the
report, not the projector.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from sim.analysis.entries import MAX_LINE, line_problems
from sim.safetext import printable
from sim.schema import Objective
from tui.fmt import literal
from tui.screens.dialogs import Dialog, ProblemLine
from tui.widgets.textinput import TextInput

if TYPE_CHECKING:
    from tui.app import TabletopApp

NO_OBJECTIVE = "-"
"""The id of the 'no objective' choice (never an objective id: ids are words)."""

KINDS: tuple[tuple[str, str], ...] = (
    ("none", "Neither: an observation for the timeline"),
    ("strength", "Strength"),
    ("improvement", "Area for improvement"),
)


@dataclass(frozen=True)
class ObserveRequest:
    text: str
    objective: str
    """'' for none."""
    assessment: str
    """'strength', 'improvement' or ''."""


class ObserveDialog(Dialog[ObserveRequest]):
    """The line, the objective and the kind; every problem is said here, keeping the text."""

    def __init__(self, objectives: list[Objective]) -> None:
        super().__init__()
        self.objectives = objectives

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Observation for the after-action report", style="bold"))
            yield TextInput(placeholder="what the evaluator saw, in one line", id="text")
            yield OptionList(
                Option("No objective", id=NO_OBJECTIVE),
                *[Option(literal(o.description), id=o.id) for o in self.objectives],
                id="objective",
                markup=False,
            )
            yield OptionList(
                *[Option(label, id=value) for value, label in KINDS], id="kind", markup=False
            )
            yield ProblemLine()
            yield Label(
                Text("tab objective, kind  ↑↓ choose  enter save  escape cancel", style="dim")
            )
            yield self.buttons("Save")

    def on_mount(self) -> None:
        self.query_one("#objective", OptionList).highlighted = 0
        self.query_one("#kind", OptionList).highlighted = 0
        self.query_one("#text", Input).focus()

    @on(OptionList.OptionSelected, "#objective")
    def _objective_chosen(self) -> None:
        self.query_one("#kind", OptionList).focus()

    @on(Input.Submitted)
    @on(OptionList.OptionSelected, "#kind")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#text", Input).value.strip()
        problems = line_problems(text, "observation", MAX_LINE)
        if not text:
            problems.insert(0, "the observation is empty: type what was seen")
        if problems:
            shown = "\n".join(printable(p) for p in problems)
            self.show_problem(shown)
            self.query_one("#text", Input).focus()
            return
        objective = self._chosen("#objective") or NO_OBJECTIVE
        kind = self._chosen("#kind") or "none"
        self.dismiss(
            ObserveRequest(
                text,
                "" if objective == NO_OBJECTIVE else objective,
                "" if kind == "none" else kind,
            )
        )

    def _chosen(self, selector: str) -> str | None:
        options = self.query_one(selector, OptionList)
        index = options.highlighted
        if index is None:
            return None
        return options.get_option_at_index(index).id


def open_observe(app: TabletopApp) -> None:
    """Ask for an observation and submit it through the driver (an Observe command).

    Refused in the players' view (what is typed would be on the projector) and before an
    exercise is running; taken after the end, in the debrief.
    """
    from sim.commands import Observe

    if not app.controller:
        app.notify(
            "Observations are for the facilitator and evaluators: switch to the controller "
            "view (v) first",
            severity="warning",
        )
        return
    if app.driver is None or app.scenario is None:
        app.notify("No exercise is running", severity="warning")
        return

    def done(req: ObserveRequest | None) -> None:
        if req is None:
            return
        command = Observe(text=req.text, objective=req.objective, assessment=req.assessment)
        if not app.submit(lambda d: d.observe(command), "observe"):
            app.notify("No exercise is running", severity="warning")

    app.push_screen(ObserveDialog(list(app.scenario.objectives)), done)
