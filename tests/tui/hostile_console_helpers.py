"""Helpers for the hostile audit of the console (tests/tui/test_hostile_console_*.py).

What the terminal gets is read from the compositor (every cell of the screen on top, with
its style), never from a widget's own idea of its content: a widget that parses markup or
passes a control character through shows it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from textual.app import App

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""A character that must never reach the terminal as itself (tab and newline aside)."""

ATTACK = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\x08\x7f"
"""Control sequences: set the window title, clear the screen, a C1 CSI, a bidi override,
backspace and DEL."""


@dataclass
class Frame:
    """The screen as the terminal would show it: text, and what any cell would do."""

    text: str
    links: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


def frame(app: App[object]) -> Frame:
    """Every line of the screen on top (modals, toasts and the palette included)."""
    lines: list[str] = []
    out = Frame("")
    for strip in app.screen._compositor.render_strips():
        lines.append("".join(segment.text for segment in strip))
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            if style.link:
                out.links.append(style.link)
            if style._meta:
                for key, value in style.meta.items():
                    if key.startswith("@"):
                        out.actions.append(f"{key}={value}")
    out.text = "\n".join(lines)
    return out
