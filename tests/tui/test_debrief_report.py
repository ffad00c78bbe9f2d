"""The debrief's report tools: export, the improvement plan, ratings (pilot tests)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import QUICKSTART, press, settle, text_of, wait_for

from sim.analysis.export import export_name
from sim.cli import main
from sim.session.resume import load_text
from sim.session.store import SessionStore
from tui.app import TabletopApp
from tui.recording import Recording
from tui.screens.debrief import DebriefScreen
from tui.screens.export import ExportDialog

SIZE = (120, 40)


def recorded_app(store: SessionStore) -> TabletopApp:
    text = QUICKSTART.read_text(encoding="utf-8")
    scenario = load_text(text, str(QUICKSTART))
    return TabletopApp(scenario, recording=Recording(store, path=QUICKSTART, text=text))


def cli_report(store: Path, sid: int, fmt: str, audience: str, out: Path) -> bytes:
    result = CliRunner().invoke(
        main,
        [
            "report",
            str(sid),
            "--store",
            str(store),
            "--format",
            fmt,
            "--audience",
            audience,
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return out.read_bytes()


# --- from the debrief screen ------------------------------------------------------------------


async def test_x_in_the_debrief_exports_and_says_where(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    target = tmp_path / "handout"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n", "1", "d")
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), "the export dialog")
        folder = app.screen.query_one("#folder", Input)
        assert folder.value == str(tmp_path)  # next to the session store
        # A bad folder: a clear message in the dialog, which stays open.
        folder.value = str(tmp_path / "missing" / "deeper")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "there is no folder" in text_of(app.screen)
        folder.value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await wait_for(
            pilot,
            lambda: any(
                "Wrote the after-action report" in str(n.message) for n in app._notifications
            ),
            "the notice saying where",
        )
        notice = next(str(n.message) for n in app._notifications if "Wrote the" in str(n.message))
        assert str(target) in notice and "session-1-aar-players.html" in notice
    assert sorted(p.name for p in target.iterdir()) == sorted(
        export_name(1, a, f) for a in ("players", "controller") for f in ("html", "md", "json")
    )
    html = (target / export_name(1, "players", "html")).read_bytes()
    assert html == cli_report(tmp_path / "s.sqlite3", 1, "html", "players", tmp_path / "c.html")


async def test_export_of_an_unsaved_session_says_why_not(tmp_path: Path) -> None:
    app = TabletopApp(load_text(QUICKSTART.read_text(encoding="utf-8"), str(QUICKSTART)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "d", "x")
        assert isinstance(app.screen, DebriefScreen)
        assert any("needs a saved session" in str(n.message) for n in app._notifications)


# --- the improvement plan ---------------------------------------------------------------------


def table_rows(app: TabletopApp) -> list[list[str]]:
    from tui.screens.plan import PlanTable

    table = app.screen.query_one(PlanTable)
    return [[cell.plain for cell in table.get_row_at(n)] for n in range(table.row_count)]


async def type_into(pilot: Pilot[None], app: TabletopApp, field: str, text: str) -> None:
    box = app.screen.query_one(f"#plan-{field}", Input)
    box.value = text


async def test_the_plan_is_drafted_edited_saved_and_resumed(tmp_path: Path) -> None:
    from sim.session.resume import resume_session
    from tui.screens.dialogs import ConfirmDialog
    from tui.screens.plan import PlanRowDialog

    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n", "3", "d", "e")  # deny, then end the exercise
        await pilot.press("y")
        await settle(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await pilot.press("p")
        await pilot.pause()
        drafted = table_rows(app)
        assert drafted and all(r[1] for r in drafted), "drafted from the objectives not met"
        assert "Drafted from the objectives" in text_of(app.screen)
        assert not store.plan_edited(1), "a drafted plan is not saved until edited"
        # Edit the first row: bad input first, said in the dialog, which stays open.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanRowDialog), "the row dialog")
        await type_into(pilot, app, "due", "2027-02-30")
        await type_into(pilot, app, "owner", "evil\x1b[2J")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanRowDialog)
        shown = text_of(app.screen)
        assert "not a date in the calendar" in shown and "control characters" in shown
        await type_into(pilot, app, "due", "2027-03-31")
        await type_into(pilot, app, "owner", "NISC")
        await type_into(pilot, app, "action", "Agree who calls the ally, and when")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "back")
        rows = table_rows(app)
        assert rows[0][2:] == ["Agree who calls the ally, and when", "NISC", "2027-03-31"]
        assert store.plan_edited(1) and len(store.plan_rows(1)) == len(drafted)
        # Add a row, then delete the first one.
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanRowDialog), "a new row")
        await type_into(pilot, app, "issue", "[bold]Nobody[/] kept the log")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "back")
        assert table_rows(app)[-1][1] == "[bold]Nobody[/] kept the log"  # literal, not markup
        await pilot.press("delete")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "back")
        kept = table_rows(app)
    assert [[r.objective, r.issue, r.action, r.owner, r.due] for r in store.plan_rows(1)] == kept
    assert kept[-1][1] == "[bold]Nobody[/] kept the log" and len(kept) == len(drafted)
    # Quit and resume: the edited plan is the one shown.
    resumed = resume_session(store, 1)
    again = TabletopApp(resumed.exercise.scenario, recording=Recording(store, resumed=resumed))
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        await press(again, pilot, "d", "p")
        assert table_rows(again) == kept
        assert "Saved with the session" in text_of(again.screen)
