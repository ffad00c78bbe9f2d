"""The console's clock bar tells the room whether parliament sits (format v2 calendar)."""

from __future__ import annotations

from rich.cells import cell_len
from tui_helpers import ROOT, settle

from sim.loader import load_scenario, load_scenario_text
from sim.views import view
from tui.app import TabletopApp
from tui.driver import EngineDriver
from tui.widgets.clock import SITTING_WIDTH, ClockBar

SHOWCASE = ROOT / "scenarios" / "showcase.yaml"
ROOM = (120, 36)


def bar_at(t: float, *, controller: bool = False) -> str:
    scenario = load_scenario(SHOWCASE)
    driver = EngineDriver(scenario, 3, hold_defaults=False)
    driver.exercise.run_until(t)
    bar = ClockBar(scenario)
    bar.snapshot, bar.controller = driver.snapshot(), controller
    return bar.status().plain


def test_the_bar_says_whether_parliament_sits_in_both_views() -> None:
    assert "⚖ not sitting" in bar_at(10)
    for controller in (False, True):
        assert "⚖ Extraordinary Diet session" in bar_at(30, controller=controller)


def test_a_long_sitting_title_is_cut_and_shown_literally() -> None:
    text = SHOWCASE.read_text(encoding="utf-8").replace(
        'title: "Extraordinary Diet session"',
        'title: "[bold]An extraordinarily long title for a sitting of the Diet[/bold]"',
    )
    scenario = load_scenario_text(text, "long.yaml")
    driver = EngineDriver(scenario, 3, hold_defaults=False)
    driver.exercise.run_until(30)
    assert view(driver.exercise, controller=False).sitting.startswith("[bold]An extra")
    bar = ClockBar(scenario)
    bar.snapshot = driver.snapshot()
    shown = next(s for s in bar.status().plain.split("  ") if s.startswith("⚖"))
    assert cell_len(shown) <= SITTING_WIDTH and shown.endswith("…")
    assert shown.startswith("⚖ [bold]An")  # markup shown as written, never applied


def test_a_scenario_without_a_calendar_shows_no_parliament() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "quickstart.yaml")
    bar = ClockBar(scenario)
    bar.snapshot = EngineDriver(scenario, 1).snapshot()
    assert "⚖" not in bar.status().plain


async def test_the_title_keeps_its_room_at_120_columns() -> None:
    app = TabletopApp(load_scenario(SHOWCASE))
    async with app.run_test(size=ROOM) as pilot:
        await settle(app, pilot)
        bar = app.screen.query_one(ClockBar)
        line = bar.render().plain
        assert "⚖ not sitting" in line
        assert "Showcase: spies in the Games network" in line
