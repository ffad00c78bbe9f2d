"""The debrief's report tools: export, the improvement plan, ratings (pilot tests)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import (
    QUICKSTART,
    choose,
    press,
    settle,
    step_to_decision,
    text_of,
    until,
    wait_for,
)

from sim.analysis.export import export_name
from sim.analysis.pdf import find_browser
from sim.cli import main
from sim.session.resume import load_text
from sim.session.store import SessionStore
from tui.app import TabletopApp
from tui.recording import Recording
from tui.screens.debrief import DebriefScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.export import ExportDialog
from tui.screens.rationale import RationaleDialog

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
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
        await press(app, pilot, "d")
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
        await app.workers.wait_for_complete()  # the export runs in a worker (slow under load)
        await wait_for(
            pilot,
            lambda: any(
                "Wrote the after-action report" in str(n.message) for n in app._notifications
            ),
            "the notice saying where",
        )
        notice = next(str(n.message) for n in app._notifications if "Wrote the" in str(n.message))
        assert str(target) in notice and "session-1-aar-players.html" in notice
    # PDF too where a browser is installed (CI installs Chromium); else the notice says why not.
    formats = ("html", "md", "json", "pdf") if find_browser() else ("html", "md", "json")
    assert sorted(p.name for p in target.iterdir()) == sorted(
        export_name(1, a, f) for a in ("players", "controller") for f in formats
    )
    assert ("no PDF" in notice) == (find_browser() is None)
    html = (target / export_name(1, "players", "html")).read_bytes()
    assert html == cli_report(tmp_path / "s.sqlite3", 1, "html", "players", tmp_path / "c.html")


async def _export_to_the_default_folder_refused(app: TabletopApp, pilot: Pilot[None]) -> str:
    """Decide, open the debrief, export (x) to the default folder (the store's): the notice
    saying the report was not exported."""
    await step_to_decision(app, pilot)
    await choose(app, pilot, 1)
    await press(app, pilot, "d")
    await pilot.press("x")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), "the export dialog")
    await pilot.press("enter")  # the default folder: the store's
    await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
    await app.workers.wait_for_complete()
    await wait_for(
        pilot,
        lambda: any("not exported" in str(n.message) for n in app._notifications),
        "the notice saying it was not exported",
    )
    return next(str(n.message) for n in app._notifications if "not exported" in str(n.message))


async def test_an_export_onto_the_session_store_is_a_notice_and_the_store_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / export_name(1, "players", "html")  # the store named like the export
    store = SessionStore.open(path)
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        notice = await _export_to_the_default_folder_refused(app, pilot)
        assert "session store" in notice and "\n" not in notice
        assert app.is_running  # a notice, not a crash
    store.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        path.name
    ]
    with SessionStore.open(path, readonly=True) as again:
        assert [info.id for info in again.sessions()] == [1]
        assert again.commands(1), "the decision is still saved"


async def test_a_folder_the_system_cannot_look_at_is_said_in_the_dialog(tmp_path: Path) -> None:
    """A typed folder whose name the system refuses (a name longer than a file name may be)
    is a message in the dialog, which stays open: the console keeps running."""
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
        await press(app, pilot, "d")
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), "the export dialog")
        folder = app.screen.query_one("#folder", Input)
        for typed in (str(tmp_path / ("a" * 300)), str(tmp_path / ("b" * 300) / "reports")):
            folder.value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running
            assert isinstance(app.screen, ExportDialog)
            assert "cannot use the folder" in text_of(app.screen)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, DebriefScreen)
    made = [p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))]
    assert made == ["s.sqlite3"]


async def test_an_export_that_fails_unexpectedly_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever stops the export (a bug in a report library included), the facilitator is told
    the report was not exported, instead of waiting for a notice that never comes."""
    import sim.analysis.export

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("arange: cannot compute length")

    monkeypatch.setattr(sim.analysis.export, "export_session", broken)
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        notice = await _export_to_the_default_folder_refused(app, pilot)
        assert "ValueError" in notice
        assert app.is_running


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


async def test_a_plan_that_cannot_be_saved_or_read_for_an_unexpected_reason_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only the store's own errors: whatever stops the plan being read or saved is said in
    a notice, shown literally, the rows shown are kept and the console goes on (it stopped)."""
    from tui.screens.plan import PlanRowDialog

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("no plan \x1b[2J here")

    store = SessionStore.open(tmp_path / "s.sqlite3")
    monkeypatch.setattr(SessionStore, "replace_plan", broken)
    monkeypatch.setattr(SessionStore, "plan_edited", broken)
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 3)  # deny, then end the exercise
        await press(app, pilot, "d", "e")
        await until(app, pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await settle(app, pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await press(app, pilot, "p")
        assert app.is_running
        notices = [str(n.message) for n in app._notifications]
        assert any("ValueError" in n and "\\x1b[2J" in n and "\x1b" not in n for n in notices)
        drafted = table_rows(app)
        assert drafted, "the plan drafted from the objectives, as when none was saved"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanRowDialog), "the row dialog")
        await type_into(pilot, app, "owner", "NISC")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "back")
        assert app.is_running
        assert any("not saved" in str(n.message) for n in app._notifications)
        assert table_rows(app) == drafted  # the rows shown are the ones kept


async def test_the_plan_is_drafted_edited_saved_and_resumed(tmp_path: Path) -> None:
    from sim.session.resume import resume_session
    from tui.screens.dialogs import ConfirmDialog
    from tui.screens.plan import PlanRowDialog

    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 3)  # deny, then end the exercise
        await press(app, pilot, "d", "e")
        await until(app, pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
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


# --- the rationale when the room decides ------------------------------------------------------


def made(app: TabletopApp) -> list[tuple[str, str, str]]:
    from sim import events as ev

    assert app.snapshot is not None
    return [
        (r.decision, r.option, r.rationale)
        for r in app.snapshot.records
        if isinstance(r, ev.DecisionMade)
    ]


async def test_escape_takes_the_choice_back_and_enter_alone_skips_the_rationale() -> None:
    from tui.screens.rationale import RationaleDialog

    app = TabletopApp(load_text(QUICKSTART.read_text(encoding="utf-8"), str(QUICKSTART)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await pilot.press("1")
        await until(app, pilot, lambda: isinstance(app.screen, RationaleDialog), "the box")
        assert isinstance(app.screen, RationaleDialog)
        assert "Share all logs" in text_of(app.screen)  # the option the room is choosing
        await press(app, pilot, "escape")
        assert made(app) == [] and app.snapshot is not None and app.snapshot.open_decisions
        await press(app, pilot, "1", "enter")
        assert made(app) == [("answer_ally", "cooperate", "")]


async def test_a_bad_rationale_is_said_in_the_dialog_and_nothing_is_chosen() -> None:
    from tui.screens.rationale import RationaleDialog

    app = TabletopApp(load_text(QUICKSTART.read_text(encoding="utf-8"), str(QUICKSTART)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await pilot.press("2")
        await until(app, pilot, lambda: isinstance(app.screen, RationaleDialog), "the box")
        box = app.screen.query_one("#rationale", Input)
        for bad, words in (("a\x1b]0;pwned\x07b", "control characters"), ("x" * 301, "too long")):
            box.value = bad
            await press(app, pilot, "enter")
            assert isinstance(app.screen, RationaleDialog)
            assert words in text_of(app.screen)
            assert made(app) == []
        box.value = "[red]They[/] asked nicely"
        await press(app, pilot, "enter")
        assert made(app) == [("answer_ally", "acknowledge", "[red]They[/] asked nicely")]


async def test_the_rationale_is_saved_and_reported_and_hidden_state_is_withheld(
    tmp_path: Path,
) -> None:
    from sim.commands import Decide
    from sim.views import view

    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await pilot.press("3")
        await until(app, pilot, lambda: isinstance(app.screen, RationaleDialog), "the box")
        app.screen.query_one("#rationale", Input).value = "data_exposed is small, deny it"
        await press(app, pilot, "enter")
        assert made(app) == [("answer_ally", "deny", "data_exposed is small, deny it")]
        assert app.driver is not None
        players = view(app.driver.exercise, controller=False)
        shown = [r for r in players.records if getattr(r, "rationale", "")]
        assert shown and all("data_exposed" not in r.rationale for r in shown)  # type: ignore[attr-defined]
    decides = [c.command for c in store.commands(1) if isinstance(c.command, Decide)]
    assert [d.rationale for d in decides] == ["data_exposed is small, deny it"]
    out = tmp_path / "c.json"
    controller = cli_report(tmp_path / "s.sqlite3", 1, "json", "controller", out).decode()
    timeline = [e["text"] for e in json.loads(controller)["timeline"]]
    assert any("Rationale: data_exposed is small, deny it" in t for t in timeline)
    players_json = cli_report(tmp_path / "s.sqlite3", 1, "json", "players", out).decode()
    assert "data_exposed is small" not in players_json


# --- ratings by an evaluator ------------------------------------------------------------------


def showcase_recorded(tmp_path: Path) -> tuple[TabletopApp, SessionStore]:
    """The console on showcase (it has an objective rated by an evaluator), recording into a
    store in tmp_path."""
    from sim.bundled import resolve

    path = resolve("showcase")
    assert path is not None
    text = path.read_text(encoding="utf-8")
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = TabletopApp(load_text(text, str(path)), recording=Recording(store, path=path, text=text))
    return app, store


async def test_r_rates_an_evaluator_objective_during_and_after_the_exercise(
    tmp_path: Path,
) -> None:
    from sim.commands import Rate
    from tui.screens.rate import RateDialog

    app, store = showcase_recorded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v", "d")  # an evaluator rates in the controller view
        assert app.controller
        assert "awaiting evaluator" in text_of(app.screen.query_one("#debrief-objectives"))
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RateDialog), "the rate dialog")
        await pilot.press("enter", "down", "enter")  # one_voice, partially met
        app.screen.query_one("#note", Input).value = "two\x1b[2J voices"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RateDialog) and "control characters" in text_of(app.screen)
        app.screen.query_one("#note", Input).value = "[b]two[/b] voices on day 2"
        await press(app, pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
        shown = text_of(app.screen.query_one("#debrief-objectives"))
        assert "awaiting evaluator" not in shown and "rated by the evaluator" in shown
        await press(app, pilot, "e", "y")  # end the exercise; then rate again in the debrief
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RateDialog), "the rate dialog")
        await press(app, pilot, "enter", "enter", "enter")  # met, no note
        assert isinstance(app.screen, DebriefScreen)
        assert app.snapshot is not None and app.snapshot.finished
    rates = [c.command for c in store.commands(1) if isinstance(c.command, Rate)]
    assert [(r.objective, r.rating, r.note, r.by) for r in rates] == [
        ("one_voice", "partially", "[b]two[/b] voices on day 2", "evaluator"),
        ("one_voice", "met", "", "evaluator"),
    ]
    data = json.loads(
        cli_report(tmp_path / "s.sqlite3", 1, "json", "players", tmp_path / "r.json").decode()
    )
    one = next(o for o in data["objectives"] if o["id"] == "one_voice")
    assert (one["rating"], one["rating_label"]) == ("met", "Met")


async def test_r_in_the_players_view_is_refused_before_and_after_the_end(tmp_path: Path) -> None:
    """What is typed in the rate dialog (the note) would be on the projector: as with
    observations (s), the evaluator switches to the controller view first; nothing is rated."""
    from sim.commands import Rate
    from tui.screens.rate import RateDialog

    app, store = showcase_recorded(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not app.controller  # the console opens in the players' view
        await press(app, pilot, "d")
        for _ in range(2):  # while the exercise runs, then after it has ended
            await press(app, pilot, "r")
            assert isinstance(app.screen, DebriefScreen)
            assert not isinstance(app.screen, RateDialog)
            assert any("controller view" in str(n.message) for n in app._notifications)
            app._notifications.clear()
            if not app.snapshot or not app.snapshot.finished:
                await press(app, pilot, "e", "y")
                assert isinstance(app.screen, DebriefScreen)
    assert not [c for c in store.commands(1) if isinstance(c.command, Rate)]


async def test_r_in_a_scenario_without_evaluator_objectives_says_so() -> None:
    app = TabletopApp(load_text(QUICKSTART.read_text(encoding="utf-8"), str(QUICKSTART)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "d", "r")
        assert isinstance(app.screen, DebriefScreen)
        assert any("rated by an evaluator" in str(n.message) for n in app._notifications)
