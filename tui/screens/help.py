"""The help screen (?): every key of the console, the dialogs and the app."""

from __future__ import annotations

import textwrap
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.keys import KeyBar

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Time",
        (
            ("space", "play / pause (play stops by itself when a decision opens)"),
            ("n", "step to the next event this view can see"),
            ("+  -", "faster / slower (scenario hours per real second)"),
        ),
    ),
    (
        "Decisions",
        (
            ("1 … 9", "choose that option of the open decision (why? one line; enter skips)"),
            ("o", "show the next open decision, when several are open"),
        ),
    ),
    (
        "Facilitator powers",
        (
            ("i", "fire a contingency inject (with an optional reason)"),
            ("t", "send a free-text inject: text, sender, recipients"),
            ("a", "adjust a variable, with the reason recorded (controller view)"),
            ("m", "add a facilitator note to the log"),
            ("s", "observation for the report: objective, strength / improvement (also debrief)"),
            ("u", "undo the last command (controller view; kept in the session, marked undone)"),
        ),
    ),
    (
        "Views and screens",
        (
            ("v", "toggle players' view / controller view"),
            ("b", "briefing: situation, actors, objectives, modules"),
            ("d", "debrief: decisions and consequences, objectives, variables, improvement plan"),
            ("e", "(in the debrief) end the exercise and rate the objectives"),
            ("w", "(in the debrief) what if: play another option out and compare"),
            ("x", "(in the debrief) export the after-action report (HTML, Markdown, JSON)"),
            ("p", "(in the debrief) improvement plan: enter edit, a add, delete remove"),
            ("r", "(in the debrief) rate an objective by hand (rated_by: evaluator)"),
            ("ctrl+p", "command palette: every action by name"),
            ("?", "this help"),
            ("q  ctrl+q", "quit (asks first; the session is saved: tabletop play --resume ID)"),
        ),
    ),
    (
        "Narrow terminals (below 100×30)",
        (("← →", "switch panel tabs (Now, Dashboard, MSEL, Actors, Log)"),),
    ),
    (
        "Dialogs",
        (
            ("tab / shift+tab", "move between fields"),
            ("enter", "confirm"),
            ("escape", "cancel"),
        ),
    ),
)


def help_text(width: int | None = None) -> Text:
    """Every key, grouped, as plain text in two columns; given the width it is shown at, a
    long description wraps under itself (a hanging indent), never under the keys."""
    column = max(len(key) for _section, keys in KEYS for key, _what in keys) + 3
    room = None if width is None else max(width - column - 2, 12)
    out = Text()
    for section, keys in KEYS:
        out.append(f"{section}\n", style="bold underline")
        for key, what in keys:
            out.append(f"  {key:<{column}}", style="bold")
            lines = [what] if room is None else textwrap.wrap(what, room) or [""]
            out.append(("\n" + " " * (column + 2)).join(lines) + "\n")
        out.append("\n")
    return out


class HelpKeys(Static):
    """The keys, wrapped again whenever the help is shown at another width."""

    wrapped_at = 0

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self.wrapped_at:  # its height follows: never a loop
            self.wrapped_at = event.size.width
            self.update(help_text(event.size.width))


class HelpScreen(ModalScreen[None]):
    """A list of every key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", key_display="?"),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(Text("Keys", style="bold"))
            yield HelpKeys(help_text(), id="help-keys")
        yield KeyBar()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
