"""The injects and the log are wrapped again when the window is resized.

A window made narrow and then wide again (a tmux pane, a laptop moved to the projector) kept
its injects wrapped at the narrow width, three words a line on a 120-column screen.
"""

from __future__ import annotations

from hostile_console_helpers import frame
from tui_helpers import press, quickstart, settle, wait_for

from tui.app import TabletopApp

LINE = "The head of the allied signals agency flies in and tells you your"
LOGGED = "day 1 07-01 15:00  inject ally_warning: ally → mofa, cabinet: The head"


async def test_a_window_made_wide_again_shows_the_injects_wrapped_to_its_width() -> None:
    app = TabletopApp(quickstart(), seed=3)
    async with app.run_test(size=(40, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n")
        await wait_for(pilot, lambda: "know." in frame(app).text, "the inject")
        assert LINE not in frame(app).text  # narrow: wrapped
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: LINE in frame(app).text, "the inject wrapped anew")


async def test_the_log_tab_is_wrapped_again_at_its_new_width() -> None:
    app = TabletopApp(quickstart(), seed=3)
    async with app.run_test(size=(40, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n")
        await press(app, pilot, "left")  # from Now (a decision opened) to the Log tab
        await wait_for(pilot, lambda: "inject" in frame(app).text, "the inject in the log")
        assert LOGGED not in frame(app).text  # narrow: wrapped
        await pilot.resize_terminal(80, 24)  # still folded, the log now 76 columns wide
        await wait_for(pilot, lambda: LOGGED in frame(app).text, "the log wrapped anew")
