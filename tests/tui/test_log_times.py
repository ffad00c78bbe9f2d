"""The console's event log gives every time as the clock does (day, date and time), never as
the engine's raw `t=30`, which a facilitator has no way to read."""

from __future__ import annotations

from textual.widgets import RichLog
from tui_helpers import choose, press, quickstart, screen_text, settle, step_to_decision, text_of

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
