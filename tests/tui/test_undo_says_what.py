"""Undo says what it takes back: in its question, before anything is undone, and after.

A facilitator presses `u` to take back "a choice keyed by mistake": the question must name
the command (the last one may not be the one they think), and the notice after it must read
as words, not as the command's internal kind ("Undone: observe").
"""

from __future__ import annotations

from pathlib import Path

from test_debrief_report import recorded_app
from textual.widgets import Input
from tui_helpers import choose, press, settle, step_to_decision, text_of, wait_for

from sim.session.store import SessionStore
from tui.screens.dialogs import ConfirmDialog
from tui.screens.observe import ObserveDialog

SIZE = (120, 40)


def said(app: object) -> str:
    return "\n".join(str(n.message) for n in app._notifications)  # type: ignore[attr-defined]


async def test_the_undo_question_names_the_command_and_the_notice_reads_as_words(
    tmp_path: Path,
) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)  # the room shares the logs
        await press(app, pilot, "v")  # undo is asked in the controller view
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert "decision answer_ally: cooperate" in text_of(app.screen)
        await press(app, pilot, "n")  # no: nothing undone
        await press(app, pilot, "s")
        assert isinstance(app.screen, ObserveDialog)
        app.screen.query_one("#text", Input).value = "Quick to call the ally"
        await press(app, pilot, "enter")
        assert not isinstance(app.screen, ObserveDialog)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert "the last command, observation?" in text_of(app.screen)
        await press(app, pilot, "y")
        await wait_for(pilot, lambda: "Undone" in said(app), "the undo notice")
        assert "Undone: observation" in said(app)


async def test_with_nothing_to_undo_it_says_so_without_asking(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n")  # the clock moved: a clock step is not undone
        await press(app, pilot, "v")
        await pilot.press("u")
        await wait_for(pilot, lambda: "nothing to undo" in said(app).lower(), "the notice")
        assert not isinstance(app.screen, ConfirmDialog), "no question about nothing"
