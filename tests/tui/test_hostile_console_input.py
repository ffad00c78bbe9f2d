"""Text pasted into the console's fields never reaches the terminal as control codes.

A terminal delivers a paste as one event holding whatever was copied: escape sequences (a
window title, a screen clear), C1 controls, bidi overrides, several lines. Every field of
the console (notes, free-text injects, reasons, the rationale, the command palette's search)
shows such text as visible escapes, keeps every line of it, and what is recorded replays.
"""

from __future__ import annotations

import json

import pytest
from hostile_console_helpers import ATTACK, RAW_CONTROL, frame
from textual import events
from textual.widgets import Input
from tui_helpers import press, quickstart, settle, wait_for

from sim import events as ev
from sim.commands import LoggedCommand, command_from_json, command_to_json
from sim.replay import replay
from tui.app import TabletopApp
from tui.widgets.eventlog import EventLog

SIZE = (120, 40)


async def paste(app: TabletopApp, text: str) -> None:
    """What a terminal's bracketed paste does: one Paste event to the app."""
    await app.on_event(events.Paste(text))


@pytest.mark.parametrize(
    ("keys", "controller"),
    [
        (("m",), True),  # facilitator note (controller view only)
        (("t",), False),  # free-text inject
        (("i", "enter"), True),  # fire a contingency inject: the reason
        (("a", "enter", "0", "enter"), True),  # adjust a variable: the reason
        (("n", "1"), False),  # the rationale of a choice
        (("ctrl+p",), False),  # the command palette's search
    ],
    ids=["note", "free-text", "fire-reason", "adjust-reason", "rationale", "palette"],
)
async def test_pasted_control_codes_are_shown_as_escapes(
    keys: tuple[str, ...], controller: bool
) -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        if controller:
            await press(app, pilot, "v")
        await press(app, pilot, *keys)
        await wait_for(pilot, lambda: isinstance(app.focused, Input), "a field to type in")
        field = app.focused
        assert isinstance(field, Input)
        await paste(app, ATTACK)
        await pilot.pause()
        assert not RAW_CONTROL.search(field.value)
        assert field.value.startswith("\\x1b]0;pwned\\x07\\x1b[2J")
        shown = frame(app).text
        assert not RAW_CONTROL.search(shown)
        assert "\\x1b]0;pwned" in shown
        assert app.is_running


async def test_a_pasted_paragraph_keeps_every_line_and_the_note_replays() -> None:
    app = TabletopApp(quickstart(), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v", "m")  # notes are taken in the controller view
        await paste(app, "first line\r\nsecond\tline\n" + ATTACK)
        await press(app, pilot, "enter")
        assert app.driver is not None
        ex = app.driver.exercise
        notes = [r.text for r in ex.records if isinstance(r, ev.FacilitatorNote)]
        assert len(notes) == 1
        assert notes[0].startswith("first line second line \\x1b]0;pwned")
        assert not RAW_CONTROL.search(notes[0])
        log = [strip.text for strip in app.screen.query_one(EventLog).lines]
        assert any("second line" in line for line in log)
        stored = [
            LoggedCommand(e.seq, e.at, command_from_json(command_to_json(e.command)), e.action)
            for e in ex.command_log
        ]
        again = replay(ex.scenario, ex.seed, stored)
        assert json.dumps([r.to_dict() for r in again.records]) == json.dumps(
            [r.to_dict() for r in ex.records]
        )


def test_every_field_of_the_console_is_a_text_input() -> None:
    """A new dialog with a plain Input would draw a pasted ESC raw: every field is a
    TextInput (tui/widgets/textinput.py)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "tui"
    plain = [
        f"{path.relative_to(root)}:{n}"
        for path in sorted(root.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"(?<![A-Za-z_])Input\(", line)
    ]
    assert plain == []
