"""Rating by hand in the debrief (r): an evaluator rates an objective with 'rated_by: evaluator'.

Choose the objective, the rating (met, partially met, not met) and an optional one-line note;
the console submits a Rate command, saved with the session like any other, taken while the
exercise runs and after it has ended.
"""

from __future__ import annotations

from dataclasses import dataclass

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

RATINGS: tuple[tuple[str, str], ...] = (
    ("met", "Met"),
    ("partially", "Partially met"),
    ("not_met", "Not met"),
)


@dataclass(frozen=True)
class RateRequest:
    objective: str
    rating: str
    note: str


class RateDialog(Dialog[RateRequest]):
    """Which objective, which rating, and a note; every problem is said here."""

    def __init__(self, objectives: list[Objective]) -> None:
        super().__init__()
        self.objectives = objectives

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Rate an objective (evaluator)", style="bold"))
            yield OptionList(
                *[Option(literal(o.description), id=o.id) for o in self.objectives],
                id="objective",
                markup=False,
            )
            yield OptionList(
                *[Option(label, id=value) for value, label in RATINGS],
                id="rating",
                markup=False,
            )
            yield TextInput(
                placeholder="note: what the evaluator saw (optional, one line)", id="note"
            )
            yield ProblemLine()
            yield Label(Text("↑↓ choose  enter next  enter rate  escape cancel", style="dim"))
            yield self.buttons("Rate")

    def on_mount(self) -> None:
        self.query_one("#objective", OptionList).highlighted = 0
        self.query_one("#rating", OptionList).highlighted = 0

    @on(OptionList.OptionSelected, "#objective")
    def _objective_chosen(self) -> None:
        self.query_one("#rating", OptionList).focus()

    @on(OptionList.OptionSelected, "#rating")
    def _rating_chosen(self) -> None:
        self.query_one("#note", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        objective = self._chosen("#objective")
        rating = self._chosen("#rating")
        note = self.query_one("#note", Input).value.strip()
        problems = line_problems(note, "note", MAX_LINE)
        if objective is None or rating is None:
            problems.insert(0, "choose an objective and a rating")
        if problems:
            shown = "\n".join(printable(p) for p in problems)
            self.show_problem(shown)
            return
        assert objective is not None and rating is not None
        self.dismiss(RateRequest(objective, rating, note))

    def _chosen(self, selector: str) -> str | None:
        options = self.query_one(selector, OptionList)
        index = options.highlighted
        if index is None:
            return None
        return options.get_option_at_index(index).id
