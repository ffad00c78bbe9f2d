"""A terminal made tiny while a dialog is open never stops the console.

The facilitator may shrink the window (or a tmux pane) to almost nothing at any moment, a
dialog open or not: the console keeps running, clipped, and is whole again once the window is
back to its size.
"""

from __future__ import annotations

import pytest
from hostile_console_helpers import secrets
from textual.widgets import Input
from tui_helpers import press, settle, wait_for

from tui.app import TabletopApp
from tui.screens.console import ConsoleScreen

SIZE = (120, 40)
TINY = [(1, 1), (10, 3), (15, 3), (15, 24), (20, 2)]


@pytest.mark.parametrize(
    "keys",
    [("v", "a"), ("v", "i"), ("t",), ("v", "m"), ("v", "s"), ("b",), ("question_mark",), ("d",)],
    ids=[
        "adjust",
        "fire-inject-controller",
        "free-text",
        "note",
        "observe",
        "briefing",
        "help",
        "debrief",
    ],
)
async def test_a_tiny_terminal_with_a_dialog_open_stops_nothing(keys: tuple[str, ...]) -> None:
    app = TabletopApp(secrets(), seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n", "n", *keys)
        dialog = app.screen
        assert not isinstance(dialog, ConsoleScreen)
        for size in TINY:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        assert app.is_running
        assert app.screen is dialog
        await press(app, pilot, "escape")
        await wait_for(pilot, lambda: app.screen is not dialog, "the dialog to close")
        assert not isinstance(app.focused, Input)
