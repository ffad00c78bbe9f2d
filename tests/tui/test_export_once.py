"""`x` while the after-action report is still being written opens no second export.

Writing the report (with its PDFs) takes several seconds; the 'Writing…' notice went after 3
and `x` opened the dialog again, so a facilitator who thought nothing had happened started a
second export into the same folder while the first was still writing."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from test_debrief_report import recorded_app
from tui_helpers import choose, press, settle, step_to_decision, until, wait_for

import sim.analysis.export
from sim.session.store import SessionStore
from tui.screens.debrief import DebriefScreen
from tui.screens.export import ExportDialog


def said(app: Any) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_x_while_the_report_is_being_written_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    calls: list[Path] = []
    real = sim.analysis.export.export_session

    def slow(store: SessionStore, session_id: int, folder: Path, **kw: Any) -> Any:
        calls.append(folder)
        assert release.wait(60), "the test never let the export finish"
        return real(store, session_id, folder, pdf=False)

    monkeypatch.setattr(sim.analysis.export, "export_session", slow)
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
        await press(app, pilot, "d")
        await pilot.press("x")
        await until(app, pilot, lambda: isinstance(app.screen, ExportDialog), "the dialog")
        await pilot.press("enter")
        # (not `until`: it waits for every worker, the export's too, which waits for the test)
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await wait_for(pilot, lambda: bool(calls), "the export under way")
        try:
            await pilot.press("x")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen), "no second export dialog"
            assert "still being written" in said(app)
        finally:
            release.set()
        await app.workers.wait_for_complete()
        await until(app, pilot, lambda: "Wrote the after-action report" in said(app), "done")
        await pilot.press("x")  # once written, x exports again
        await until(app, pilot, lambda: isinstance(app.screen, ExportDialog), "the dialog")
    assert len(calls) == 1
    assert (tmp_path / "session-1-aar-players.html").is_file()
