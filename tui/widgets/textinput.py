"""Fields the facilitator types into, and notices: whatever is in them is shown literally.

A terminal delivers a paste as one event holding whatever was copied: escape sequences, C1
controls, bidi overrides, several lines. Textual's Input would keep them and draw them raw
(an ESC in a field is an ESC sent to the terminal). Every field of the console is a
:class:`TextInput`, and both apps pass each paste through :func:`guard_paste` first (which
also covers Textual's own fields, such as the command palette's search), so such text is
shown, and recorded, as visible escapes (:func:`tui.fmt.typed_line`).
"""

from __future__ import annotations

from typing import Literal

from textual import events
from textual.widgets import Input

from sim.safetext import printable
from tui.fmt import typed_line


class TextInput(Input):
    """An Input whose text is always printable, one line (see :func:`tui.fmt.typed_line`)."""

    def __init__(
        self,
        value: str | None = None,
        placeholder: str = "",
        *,
        type: Literal["integer", "number", "text"] = "text",
        id: str | None = None,
    ) -> None:
        super().__init__(
            None if value is None else typed_line(value), placeholder, type=type, id=id
        )

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(typed_line(text), start, end)


def safe_notice(message: str, title: str) -> tuple[str, str]:
    """A notice's text and title as shown: control characters as visible escapes (a notice
    may quote a prompt, a label or an error message; apps pass it with markup off)."""
    return printable(message), printable(title, one_line=True)


def guard_paste(event: events.Event) -> None:
    """Make a paste's text safe before any field gets it (an app's ``on_event`` calls this)."""
    if isinstance(event, events.Paste):
        event.text = typed_line(event.text)
