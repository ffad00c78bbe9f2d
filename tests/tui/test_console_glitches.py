"""Pilot tests of three console glitches: a decision at its deadline instant, the event log's
day beside an evening start, and a variable's description."""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual.widgets import OptionList
from tui_helpers import QUICKSTART, ROOT, press, settle, text_of, wait_for

from sim import events as ev
from sim.commands import Advance
from sim.loader import load_scenario, load_scenario_text
from sim.schema import Scenario
from tui.app import TabletopApp
from tui.driver import EngineDriver
from tui.screens.dialogs import AdjustDialog
from tui.screens.rationale import RationaleDialog
from tui.widgets.dashboard import VariableRow
from tui.widgets.decision import DecisionPanel
from tui.widgets.eventlog import EventLog
from tui.widgets.msel import MselPanel

SIZE = (120, 40)
SHOWCASE = ROOT / "scenarios" / "showcase.yaml"
EVICT_DEADLINE = 12.0


def showcase() -> Scenario:
    return load_scenario(Path(SHOWCASE))


def at_deadline(app: TabletopApp) -> list[str]:
    """Open decisions whose deadline is the clock's instant (their default is due now)."""
    snap = app.snapshot
    assert snap is not None
    return [od.decision.id for od in snap.open_decisions if od.deadline <= snap.now]


def rest_at_evicts_deadline(driver: EngineDriver) -> list[ev.Event]:
    """Move the clock as an earlier console did (a session it saved resumes so): one record at
    a time, to the deadline instant of 'evict', leaving the instant unfinished."""
    ex = driver.exercise
    start = len(ex.records)
    for _ in range(200):
        od = ex.open_decisions.get("evict")
        if od is not None and od.deadline <= ex.now and ex.due_now():
            break
        ex.submit(Advance(to=EVICT_DEADLINE, stop="record"))
    return ex.records[start:]


async def test_a_decision_at_its_deadline_instant_is_not_offered_for_choosing() -> None:
    """The showcase with the clock at the deadline instant of 'evict' (an inject arrives
    then), before the default is applied at the instant's end: the console no longer stops
    there, but a session saved by an earlier version resumes there. The engine refuses a
    choice then, so the panel must not offer one: it says the default applies, and a number
    key opens no dialog."""
    app = TabletopApp(showcase(), 2018)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.submit(rest_at_evicts_deadline, "advance")
        await settle(app, pilot)
        assert at_deadline(app) == ["evict"], "the showcase no longer reaches that deadline"
        snap = app.snapshot
        assert snap is not None
        ids = [od.decision.id for od in snap.open_decisions]
        while ids[app.decision_index % len(ids)] != "evict":
            await press(app, pilot, "o")
        panel = text_of(app.screen.query_one(DecisionPanel))
        assert "Evict the intruders" in panel
        assert "choose" not in panel
        assert "default 'Keep watching' applies" in panel
        await press(app, pilot, "1")
        assert not isinstance(app.screen, RationaleDialog)
        assert not any("Choose" in name for name, _, _ in app.palette_commands())
        for _ in range(5):  # the instant ends: the default applies, as the panel said
            await press(app, pilot, "n")
            if "evict" not in at_deadline(app):
                break
        assert app.snapshot is not None
        made = [r for r in app.snapshot.records if isinstance(r, ev.DecisionMade)]
        assert (made[-1].decision, made[-1].option, made[-1].by) == ("evict", "watch", "deadline")


EVENING = re.compile(r"^day (\d+) (\d\d-\d\d \d\d:\d\d)  ")


def evening_quickstart() -> Scenario:
    """The quickstart, starting at 21:00: the ally's warning (6 h in) comes at 03:00 on the
    next calendar day, still within the exercise's first 24 hours (day 1)."""
    text = QUICKSTART.read_text(encoding="utf-8")
    text = text.replace("start: 2020-07-01T09:00:00+09:00", "start: 2020-07-01T21:00:00+09:00")
    assert "T21:00" in text
    return load_scenario_text(text, "evening.yaml")


async def test_the_event_log_says_the_calendar_date_beside_the_exercise_day() -> None:
    """The event log labels each line with the exercise day (24 h from the start) and the
    calendar date and time (docs/scenario-format.md, 'Time'): an evening start must not read
    'day 1 21:00' before 'day 1 03:00', and the labels sort as the lines do."""
    app = TabletopApp(evening_quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n", "n")
        lines = [s.text for s in app.screen.query_one(EventLog).lines if s.text.startswith("day")]
        labels = [(int(m[1]), m[2]) for m in map(EVENING.match, lines) if m]
        assert len(labels) == len(lines) >= 2, lines  # a wrapped line's rest has no label
        assert labels[0] == (1, "07-01 21:00")
        assert (1, "07-02 03:00") in labels
        assert labels == sorted(labels)
        panel = text_of(app.screen.query_one(DecisionPanel))
        assert re.search(r"\(day \d+ \d\d-\d\d \d\d:\d\d\)", panel), panel
        msel = text_of(app.screen.query_one(MselPanel))
        assert "d1  07-02 03:00" in msel, msel  # the MSEL's short form says the same


def described_quickstart() -> Scenario:
    """The quickstart with markup in ally_trust's description (the loader refuses control
    characters in a scenario)."""
    text = QUICKSTART.read_text(encoding="utf-8")
    old = 'description: "The ally\'s confidence in sharing intelligence"'
    assert old in text
    new = 'description: "[bold]The ally\'s[/bold] confidence [@click=app.quit]in sharing[/]"'
    return load_scenario_text(text.replace(old, new), "described.yaml")


def tooltip(app: TabletopApp, name: str) -> str | None:
    row = app.screen.query_one(f"#var-{name}", VariableRow)
    tip = row.tooltip
    return None if tip is None else tip.plain if isinstance(tip, Text) else str(tip)


def adjust_text(app: TabletopApp) -> str:
    """The variables the adjust dialog lists, as shown."""
    choices = app.screen.query_one("#choices", OptionList)
    prompts = [choices.get_option_at_index(i).prompt for i in range(choices.option_count)]
    return "\n".join(p.plain if isinstance(p, Text) else str(p) for p in prompts)


async def test_a_variables_description_is_shown_literally_and_a_hidden_ones_only_to_the_controller() -> (
    None
):
    """docs/scenario-format.md: a variable's description is 'shown on the dashboard' (its row's
    tooltip) and in the adjust dialog; as written (markup shown, not applied); a hidden variable's only in the
    controller view."""
    app = TabletopApp(described_quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        shown = "[bold]The ally's[/bold] confidence [@click=app.quit]in sharing[/]"
        assert tooltip(app, "ally_trust") == shown
        assert tooltip(app, "monitoring") == "How well government networks are watched"
        assert tooltip(app, "data_exposed") is None  # hidden: not in the players' view
        await press(app, pilot, "v")
        assert app.controller
        assert tooltip(app, "data_exposed") == "Diplomatic cables read by the intruders (thousands)"
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AdjustDialog), "the adjust dialog")
        assert "Diplomatic cables read by the intruders" in adjust_text(app)
        assert shown in adjust_text(app)  # the markup as written
