"""The rationale prompt: when the room decides, why it chose (one line; enter alone skips).

The choice is recorded when the dialog closes with enter, with the typed line as the
decision's rationale (empty: none); escape takes the keypress back and records nothing.
The rationale is part of the Decide command in the session log and shows in the
after-action report's timeline; the players' view withholds one that names hidden state.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label

from sim.analysis.entries import MAX_LINE, line_problems
from sim.safetext import printable
from tui.fmt import literal
from tui.screens.dialogs import Dialog, ProblemLine
from tui.widgets.textinput import TextInput


class RationaleDialog(Dialog[str]):
    """Asks why the room chose ``option``; returns the line typed ('' when skipped)."""

    def __init__(self, prompt: str, option: str) -> None:
        super().__init__()
        self.prompt = prompt
        self.option = option

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(literal(self.prompt, "bold"))
            yield Label(Text.assemble("The room chooses: ", literal(self.option, "bold reverse")))
            yield TextInput(
                placeholder="why the room chose it (optional: enter skips)",
                id="rationale",
            )
            yield ProblemLine()
            yield Label(Text("enter record the choice  escape do not choose", style="dim"))
            yield self.buttons("Choose")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#rationale", Input).value.strip()
        problems = line_problems(text, "rationale", MAX_LINE)
        if problems:
            shown = "\n".join(printable(p) for p in problems)
            self.show_problem(shown)
            return
        self.dismiss(text)
