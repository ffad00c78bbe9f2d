"""The debrief's report tools: export, the improvement plan, ratings (pilot tests)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
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
