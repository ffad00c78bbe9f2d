"""Modal dialogs for the facilitator's powers, and a yes/no confirmation.

Each dialog returns its result through ``dismiss``; the app passes it to the engine, which
checks it and raises ExerciseError (shown as a notification) if it cannot be done.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from sim.schema import Actor, Inject, Scenario
from sim.views import covert_actors
from tui.fmt import literal, number, variable_label
from tui.widgets.textinput import TextInput

T = TypeVar("T")


class ProblemLine(Label):
    """Where a dialog says what is wrong with what was typed; it keeps itself in view."""

    def __init__(self) -> None:
        super().__init__("", id="problem", markup=False)

    def on_resize(self, event: events.Resize) -> None:
        # A problem of several lines is laid out after it is set: scroll all of it into view
        # once its height is known (a dialog taller than the window scrolls).
        if event.size.height > 0 and self.visual_text():
            self.scroll_visible(animate=False)

    def visual_text(self) -> str:
        return str(self.render()).strip()


class Dialog(ModalScreen[T | None], Generic[T]):
    """A centred box; escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(events.ScreenResume)
    def _start_at_the_top(self) -> None:
        # A dialog taller than the window scrolls; it opens at its top, its title in view
        # (the first field's focus would otherwise scroll it a line or two down).
        self.call_after_refresh(self.call_after_refresh, self._scroll_home)

    def _scroll_home(self) -> None:
        for box in self.query(".dialog"):
            box.scroll_home(animate=False, immediate=True)

    def show_problem(self, shown: str) -> None:
        """Say what is wrong in the dialog's problem line, scrolled into view (a dialog taller
        than the window scrolls: the line may be below its bottom edge)."""
        problem = self.query_one("#problem", ProblemLine)
        problem.update(Text(shown, style="bold red"))
        problem.call_after_refresh(problem.scroll_visible, animate=False)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def buttons(self, ok: str) -> Horizontal:
        return Horizontal(
            Button(ok, variant="primary", id="ok"), Button("Cancel", id="cancel"), classes="buttons"
        )


class ConfirmDialog(Dialog[bool]):
    """Yes or no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "yes", "Yes"),
        Binding("n", "cancel", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.question, style="bold"))
            yield Label(Text("y yes    n / escape no", style="dim"))
            yield self.buttons("Yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(True)


@dataclass(frozen=True)
class FireRequest:
    inject: str
    reason: str


class FireInjectDialog(Dialog[FireRequest]):
    """Choose a held contingency inject to deliver now, with an optional reason (the
    controller view only: the console refuses it while the players' view is on screen)."""

    def __init__(self, injects: list[Inject]) -> None:
        super().__init__()
        self.injects = injects

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Fire a contingency inject", style="bold"))
            options = []
            for inj in self.injects:
                route = f"  {inj.sender} → {', '.join(inj.to)}"
                prompt = Text.assemble(
                    literal(inj.title or inj.id, "bold"), f"{route}\n", literal(inj.text, "dim")
                )
                options.append(Option(prompt, id=inj.id))
            yield OptionList(*options, id="choices", markup=False)
            yield TextInput(
                placeholder="why now? (optional; kept with the inject)",
                id="reason",
            )
            yield Label(Text("↑↓ choose  enter/tab next  enter fire  escape cancel", style="dim"))
            yield self.buttons("Fire")

    @on(OptionList.OptionSelected)
    def _chosen(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        choices = self.query_one("#choices", OptionList)
        index = choices.highlighted
        if index is None:
            self.notify("Choose an inject first", severity="warning")
            return
        option_id = choices.get_option_at_index(index).id or ""
        self.dismiss(FireRequest(option_id, self.query_one("#reason", Input).value.strip()))


@dataclass(frozen=True)
class SendRequest:
    text: str
    sender: str
    recipients: tuple[str, ...]


class RecipientList(SelectionList[str]):
    """The recipients: space toggles one, enter sends the inject (as everywhere in the dialog)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "screen.send", "Send", show=False)]


def shown_actors(scenario: Scenario, controller: bool) -> list[Actor]:
    """The actors a dialog may list: in the players' view not the adversaries, nor any other
    actor behind a threat (as in the briefing: the room does not know who is behind the
    attack)."""
    covert = frozenset() if controller else covert_actors(scenario)
    return [a for a in scenario.actors if a.id not in covert]


def default_sender(scenario: Scenario, controller: bool = True) -> str:
    """Who a free-text inject comes from unless the facilitator says otherwise.

    The first actor outside the players' side and outside government (an ally, an operator,
    the press…): free-text injects are mostly news from outside the room. Else the first actor
    outside the players' side, else the first actor.
    """
    actors = shown_actors(scenario, controller)
    outside = [a for a in actors if not a.is_player]
    for a in outside:
        if a.affiliation not in ("government", "adversary"):
            return a.id
    return (outside or actors)[0].id


class SendInjectDialog(Dialog[SendRequest]):
    """Write a free-text inject: the text, who it comes from, who receives it."""

    def __init__(self, scenario: Scenario, *, controller: bool = True) -> None:
        super().__init__()
        self.scenario = scenario
        self.controller = controller
        """In the players' view (on the projector) the adversaries are not listed."""
        self.actors = shown_actors(scenario, controller)

    def compose(self) -> ComposeResult:
        actors = self.actors
        sender_id = default_sender(self.scenario, self.controller)
        with Vertical(classes="dialog send"):
            yield Label(Text("Free-text inject", style="bold"))
            if not self.controller:
                yield Label(
                    Text(
                        "Players' view: the adversaries are not listed. "
                        "Escape, then v for the controller view, to send as or to them.",
                        style="italic",
                    )
                )
            yield TextInput(placeholder="what the players read or hear", id="text")
            with Horizontal(classes="pickers"):
                with Vertical():
                    yield Label("From")
                    yield OptionList(
                        *[Option(literal(f"{a.id}  {a.name}"), id=a.id) for a in actors],
                        id="sender",
                        markup=False,
                    )
                with Vertical():
                    yield Label("To (space toggles)")
                    yield RecipientList(
                        *[
                            Selection(literal(f"{a.id}  {a.name}"), a.id, a.is_player)
                            for a in actors
                        ],
                        id="recipients",
                    )
            yield Label(Text("tab next field  enter send  escape cancel", style="dim"))
            yield self.buttons("Send")
        self.default_sender = sender_id

    def on_mount(self) -> None:
        sender = self.query_one("#sender", OptionList)
        ids = [a.id for a in self.actors]
        sender.highlighted = ids.index(self.default_sender)

    def action_send(self) -> None:
        self._ok()

    @on(Input.Submitted)
    @on(OptionList.OptionSelected, "#sender")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        sender = self.query_one("#sender", OptionList)
        index = sender.highlighted or 0
        sender_id = sender.get_option_at_index(index).id or ""
        recipients = tuple(self.query_one("#recipients", SelectionList).selected)
        text = self.query_one("#text", Input).value
        if not text.strip():
            self.notify("Write the inject's text first", severity="warning")
            return
        if not recipients:
            self.notify("Choose at least one recipient", severity="warning")
            return
        self.dismiss(SendRequest(text, sender_id, recipients))


@dataclass(frozen=True)
class AdjustRequest:
    variable: str
    value: float
    reason: str


class AdjustDialog(Dialog[AdjustRequest]):
    """Set a variable by hand; the reason is required and recorded."""

    def __init__(self, scenario: Scenario, values: dict[str, float], names: list[str]) -> None:
        super().__init__()
        self.scenario = scenario
        self.values = values
        self.names = names

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Adjust a variable", style="bold"))
            options = []
            for name in self.names:
                spec = self.scenario.variables[name]
                bounds = f"  [{number(spec.min) if spec.min is not None else '…'}"
                bounds += f"–{number(spec.max) if spec.max is not None else '…'}]"
                prompt = Text.assemble(
                    literal(variable_label(self.scenario, name), "bold"),
                    literal(f"  now {number(self.values.get(name, spec.initial))}{spec.unit}"),
                    (bounds, "dim"),
                )
                if spec.description:  # the names are those this view may see
                    prompt.append("\n")
                    prompt.append_text(literal(spec.description, "dim"))
                options.append(Option(prompt, id=name))
            yield OptionList(*options, id="choices", markup=False)
            yield TextInput(placeholder="new value", id="value", type="number")
            yield TextInput(placeholder="reason (required, recorded in the log)", id="reason")
            yield Label(Text("↑↓ choose  tab next field  enter apply  escape cancel", style="dim"))
            yield self.buttons("Apply")

    @on(OptionList.OptionSelected)
    def _chosen(self) -> None:
        self.query_one("#value", Input).focus()

    @on(Input.Submitted, "#value")
    def _value_done(self) -> None:
        self.query_one("#reason", Input).focus()

    @on(Input.Submitted, "#reason")
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        choices = self.query_one("#choices", OptionList)
        index = choices.highlighted
        if index is None:
            self.notify("Choose a variable first", severity="warning")
            return
        name = choices.get_option_at_index(index).id or ""
        try:
            value = float(self.query_one("#value", Input).value)
        except ValueError:
            self.notify("The new value must be a number", severity="warning")
            self.query_one("#value", Input).focus()
            return
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.notify("Say why the variable is adjusted", severity="warning")
            self.query_one("#reason", Input).focus()
            return
        self.dismiss(AdjustRequest(name, value, reason))


class NoteDialog(Dialog[str]):
    """A facilitator note for the log (facilitator-only)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(
                Text("Facilitator note (only in the controller view and the log)", style="bold")
            )
            yield TextInput(placeholder="note", id="text")
            yield Label(Text("enter save  escape cancel", style="dim"))
            yield self.buttons("Save")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            self.notify("The note is empty", severity="warning")
            return
        self.dismiss(text)
