"""What if: from the debrief, take another option of a decision and compare the two timelines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sim import events as ev
from sim.schema import Scenario
from tui.fmt import literal
from tui.screens.dialogs import Dialog
from tui.widgets.keys import KeyBar


@dataclass(frozen=True)
class WhatIf:
    decision: str
    option: str


def alternatives(scenario: Scenario, records: list[ev.Event]) -> list[tuple[WhatIf, Text]]:
    """Every other option of every decision made so far, with a line saying what it means:
    the options the room was offered when it chose (one whose condition was false was hidden
    from the players and could not be chosen)."""
    posed: dict[str, tuple[str, ...]] = {}
    made: dict[str, tuple[ev.DecisionMade, tuple[str, ...]]] = {}
    for r in records:
        if isinstance(r, ev.DecisionOpened):
            posed[r.decision] = tuple(r.options)
        elif isinstance(r, ev.DecisionMade):
            made[r.decision] = (r, posed.get(r.decision, ()))
    out = []
    for d in scenario.decisions:
        if d.id not in made:
            continue
        chosen, options = made[d.id]
        labels = {o.id: o.label for o in d.options}
        # The option taken by its label, as the console names options everywhere else.
        how = "its default" if chosen.by == "deadline" else labels.get(chosen.option, chosen.option)
        for o in d.options:
            if o.id == chosen.option or (options and o.id not in options):
                continue
            line = Text()
            line.append_text(literal(d.id, "bold"))
            line.append(": ")
            line.append_text(literal(o.label))
            line.append_text(literal(f"   (instead of {how})", "dim"))
            out.append((WhatIf(d.id, o.id), line))
    return out


class WhatIfDialog(Dialog[WhatIf]):
    """Choose the decision to take differently, and how."""

    def __init__(self, choices: list[tuple[WhatIf, Text]]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("What if the room had chosen otherwise?", style="bold"))
            yield Static(
                Text(
                    "The session is replayed up to that decision with the same luck, the other "
                    "option is taken, later decisions take their defaults; then the two "
                    "timelines are compared. The branch is saved as a session of its own.",
                    style="dim",
                )
            )
            yield OptionList(
                *[Option(text, id=str(i)) for i, (_, text) in enumerate(self.choices)],
                id="choices",
                markup=False,
            )
            yield Static(Text("↑↓ choose  enter play it out  escape cancel", style="dim"))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id or 0)][0])


class ComparisonScreen(Screen[None]):
    """Two timelines side by side, in words (``tabletop compare``'s text)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter", "close", "Back")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.heading = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="comparison"):
            yield Static(literal(self.heading, "bold"))
            yield Static(literal(self.text))
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss()
