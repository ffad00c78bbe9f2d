"""The improvement plan's row dialog says what each field is, also once it is filled in.

Its fields were labelled only by their placeholders: once something was typed in a field, the
facilitator could no longer tell the owner from the corrective action. Each field now has a
visible label beside it, which stays whatever is typed, also at 80x24 (where the dialog
scrolls).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_console_helpers import frame
from test_debrief_report import recorded_app
from textual.widgets import Input
from tui_helpers import press, settle, wait_for

from sim.session.store import SessionStore
from tui.screens.debrief import DebriefScreen
from tui.screens.plan import PlanRowDialog

TYPED = {
    "objective": "keep_the_alliance",
    "issue": "qqissue text",
    "action": "qqaction text",
    "owner": "qqowner text",
    "due": "2027-01-15",
}
LABELS = {
    "objective": "Objective",
    "issue": "Issue",
    "action": "Action",
    "owner": "Owner",
    "due": "Due date",
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_each_field_of_a_plan_row_says_what_it_is_once_typed_in(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "d")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanRowDialog), "a new row")
        # Type into every field from the keyboard, as a facilitator does (tab between them).
        for n, text in enumerate(TYPED.values()):
            if n:
                await pilot.press("tab")
            await pilot.press(*text)
        # Back to each field in turn: on screen, its label stands on the line of its value.
        for name, text in TYPED.items():
            app.screen.query_one(f"#plan-{name}", Input).focus()
            await wait_for(
                pilot,
                lambda text=text: any(text in line for line in frame(app).text.splitlines()),  # type: ignore[misc]
                f"the {name} in view",
            )
            await pilot.pause()
            line = next(line for line in frame(app).text.splitlines() if text in line)
            assert LABELS[name] in line, f"the {name} field is not labelled: {line!r}"
        assert isinstance(app.screen, PlanRowDialog)


async def test_the_objective_ids_to_choose_from_are_shown_whole_at_80x24(tmp_path: Path) -> None:
    """The ids were only in the objective field's placeholder, cut at the field's edge (and
    gone once something was typed): the facilitator could not see which ids there are."""
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "d")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanRowDialog), "a new row")
        await pilot.press(*"stop")  # typed in: the placeholder is gone
        await pilot.pause(0.3)  # past the focus's scrolling (an animation of 0.2 s)
        shown = " ".join(frame(app).text.split())
        for objective in (
            "keep_the_alliance",
            "stop_the_bleeding",
            "limit_exposure",
            "public_confidence",
        ):
            assert objective in shown, f"{objective} is not shown whole"
