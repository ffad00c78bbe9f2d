"""The console's event log gives every time as the clock does (day, date and time), never as
the engine's raw `t=30`, which a facilitator has no way to read."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import RichLog
from tui_helpers import (
    choose,
    press,
    quickstart,
    screen_text,
    settle,
    step_to_decision,
    text_of,
    until,
)

from sim import events as ev
from sim.describe import describe
from tui.app import TabletopApp
from tui.screens.debrief import DebriefScreen
from tui.widgets.eventlog import EventLog


async def test_the_log_gives_a_decisions_deadline_as_day_date_and_time() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        log = text_of(app.screen.query_one(EventLog))
        assert "posed to mofa" in log
        assert "deadline day 2 07-02 15:00" in " ".join(log.split()), log
        assert "t=" not in log, log
        assert isinstance(app.screen.query_one(EventLog), RichLog)


async def test_the_debrief_gives_what_a_decision_started_in_day_date_and_time() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)  # share the logs: a notification and a hunt start
        await press(app, pilot, "d")
        assert isinstance(app.screen, DebriefScreen)
        shown = " ".join(screen_text(app).split())
        assert "joint_hunt started by nisc, expected to finish day 2 07-02 14:35" in shown, shown
        assert "finish t=" not in shown, shown


def test_headless_lines_keep_the_engines_time() -> None:
    """`tabletop run`, reports and `watch --plain` (which give times as t=…) are unchanged."""
    opened = ev.DecisionOpened(
        time=6.0,
        decision="answer_ally",
        owner="mofa",
        prompt="How?",
        options=("a", "b"),
        deadline=30.0,
    )
    assert describe(opened, quickstart()).endswith("(deadline t=30)")


async def test_the_what_if_comparison_gives_times_as_the_clock_does(tmp_path: Path) -> None:
    """It gave 'live at t=6' and 't=6 decision …': engine time, which the console shows
    nowhere else."""
    from test_debrief_report import recorded_app

    from sim.session.compare import compare_sessions
    from sim.session.store import SessionStore
    from tui.screens.whatif import ComparisonScreen, WhatIfDialog

    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 3)
        await press(app, pilot, "d", "w")
        await until(app, pilot, lambda: isinstance(app.screen, WhatIfDialog), "the choices")
        await pilot.press("enter")
        await until(app, pilot, lambda: "diverge" in text_of(app.screen), "the comparison")
        assert isinstance(app.screen, ComparisonScreen)
        shown = text_of(app.screen)
        assert "live at day 1 07-01 15:00" in shown, shown
        assert "A: day 1 07-01 15:00 decision answer_ally: chose deny" in shown, shown
        assert "t=" not in shown, shown
    # `tabletop compare` (the same comparison, from the command line) keeps the engine's time.
    assert "live at t=6" in compare_sessions(store, 1, 2).to_text(controller=False)
