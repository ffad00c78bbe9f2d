"""A dialog's question, explanation and problem wrap inside it: never cut at its edge.

At 80x24 (the smallest room the guide supports) a dialog is 64 columns wide: a question or a
problem longer than that used to lose its end ("…marked un", "the objectives: keep_").
"""

from __future__ import annotations

from pathlib import Path

from hostile_console_helpers import frame
from test_debrief_report import recorded_app
from textual.app import App
from textual.widgets import Input
from tui_helpers import choose, press, quickstart, settle, step_to_decision, until, wait_for

from sim.session.store import SessionStore
from tui.app import TabletopApp
from tui.screens.debrief import DebriefScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.export import ExportDialog
from tui.screens.observe import ObserveDialog
from tui.screens.plan import PlanRowDialog

NARROW = (80, 24)


def shown(app: App[object]) -> str:
    """The text of the open dialog as the terminal shows it, its lines joined by spaces."""
    box = app.screen.query_one(".dialog").region
    lines = frame(app).text.splitlines()[box.y : box.bottom]
    inside = [line[box.x : box.right].strip(" █▊▎▔▁▀▄") for line in lines]
    return " ".join(" ".join(line.split()) for line in inside if line.strip())


async def test_the_undo_question_is_whole_at_80x24(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
        await press(app, pilot, "v")
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.pause()
        assert "(it stays in the session, marked undone)" in shown(app)


async def test_the_export_explanation_and_a_plan_problem_are_whole_at_80x24(
    tmp_path: Path,
) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 3)
        await press(app, pilot, "d", "e")
        await until(app, pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await settle(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), "the export")
        await pilot.pause()
        assert "(as `tabletop report` writes them). Folder:" in shown(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "back")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanRowDialog), "the row dialog")
        app.screen.query_one("#plan-objective").value = "nonesuch"  # type: ignore[attr-defined]
        await pilot.press("enter")
        # The problem lists the objectives to choose from: the last one must be readable.
        await wait_for(pilot, lambda: "public_confidence)" in shown(app), "the whole problem")
        assert isinstance(app.screen, PlanRowDialog), "a problem keeps the dialog open"


async def test_every_field_of_a_plan_row_can_be_seen_at_80x24(tmp_path: Path) -> None:
    """The row dialog is taller than 24 lines: tab to the due date (below the window's
    bottom edge) and it is scrolled into view, so what is typed there can be read."""
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 3)
        await press(app, pilot, "d", "e")
        await until(app, pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await settle(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanRowDialog), "a new row")
        await pilot.press("tab", "tab", "tab", "tab", *"2027-01-15")
        await wait_for(pilot, lambda: "2027-01-15" in shown(app), "the due date typed")


async def test_a_dialog_taller_than_the_window_opens_at_its_top() -> None:
    """The observation dialog does not fit in 24 lines: it opens with its title in view (the
    focus on its first field scrolled the title away)."""
    app = TabletopApp(quickstart(), seed=3)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n")  # the engine answers first (a thread)
        await press(app, pilot, "v", "s")
        assert isinstance(app.screen, ObserveDialog)
        await pilot.pause(0.3)  # past the focus's scrolling (an animation of 0.2 s)
        assert shown(app).startswith("Observation for the after-action report")
        await pilot.press("tab", "tab")  # to the kind, below the bottom edge: scrolled to
        await wait_for(pilot, lambda: "Area for improvement" in shown(app), "the kinds")


async def test_the_rationale_box_says_whole_that_it_is_optional_at_80x24() -> None:
    """Its placeholder was cut at the field's edge: '… (optional: enter' without 'skips)'."""
    from tui.screens.rationale import RationaleDialog

    app = TabletopApp(quickstart(), seed=3)
    async with app.run_test(size=NARROW) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await pilot.press("1")
        await until(app, pilot, lambda: isinstance(app.screen, RationaleDialog), "the box")
        await pilot.pause()
        placeholder = app.screen.query_one("#rationale", Input).placeholder
        assert placeholder and placeholder in shown(app), shown(app)
