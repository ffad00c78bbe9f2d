"""The key bar shows every key of the screen from the moment the screen opens.

A facilitator who opens the console in an 80x24 or 120x40 terminal must find `?` (help),
`d` (debrief) and `q` (quit) in the bar without first resizing the window: the bar wraps
onto more lines rather than hiding the keys past its first line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_console_helpers import frame
from tui_helpers import quickstart, settle, until

from tui.app import TabletopApp
from tui.widgets.keys import KeyBar


def bar_lines(app: TabletopApp) -> str:
    """The bottom rows of the screen the key bar was given, as the terminal shows them."""
    bar = app.screen.query_one(KeyBar)
    rows = frame(app).text.splitlines()
    return "\n".join(rows[bar.region.y : bar.region.bottom])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_the_console_key_bar_shows_help_debrief_and_quit_from_the_start(
    size: tuple[int, int],
) -> None:
    app = TabletopApp(quickstart(), seed=3)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.pause()
        shown = bar_lines(app)
        for key in ("Play/pause", "Debrief", "Help", "Quit", "Commands"):
            assert key in shown, f"{key!r} not on screen in the key bar:\n{shown}"


async def test_in_a_tiny_terminal_the_key_bar_leaves_room_for_the_console() -> None:
    """Below the supported size the bar may be cut, but it never takes the whole screen."""
    app = TabletopApp(quickstart(), seed=3)
    async with app.run_test(size=(30, 8)) as pilot:
        await settle(app, pilot)
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        assert bar.region.height <= 3, bar.region
        assert "Now  Dashboard" in frame(app).text, "the panel tabs are still on screen"


def shown_keys(app: TabletopApp) -> list[tuple[str, str]]:
    """Each key of the bar and what it does, as the bar lists them."""
    out: list[tuple[str, str]] = []
    for active in app.screen.active_bindings.values():
        binding = active.binding
        if binding.show and active.enabled and app.listed(binding.action):
            label = binding.key_display or app.get_key_display(binding)
            if all(label != k and binding.description != d for k, d in out):
                out.append((label, binding.description))
    return out


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)], ids=str)
async def test_a_key_and_what_it_does_stay_on_one_line_of_the_bar(size: tuple[int, int]) -> None:
    """The bar wrapped between a key and its description: `a` ended the first line and
    `Adjust` began the second, so the facilitator read a key with no meaning and a meaning
    with no key."""
    app = TabletopApp(quickstart(), seed=3)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        for controller in (False, True):
            if controller:
                await pilot.press("v")
                await until(app, pilot, lambda: app.controller, "the controller view")
            await pilot.pause()
            lines = [" ".join(line.split()) for line in bar_lines(app).splitlines()]
            keys = shown_keys(app)
            assert keys
            for label, description in keys:
                whole = f"{label} {description}"
                assert any(whole in line for line in lines), f"{whole!r} is split:\n" + "\n".join(
                    lines
                )


async def test_the_plan_tab_lists_its_own_keys_in_the_bar(tmp_path: Path) -> None:
    """On the improvement plan's tab the table has the focus and its keys (add a row, delete
    one) work, but the bar kept listing only the debrief's keys: it was drawn when the screen
    opened and never again when the focus moved."""
    from test_debrief_report import recorded_app

    from sim.session.store import SessionStore
    from tui.screens.debrief import DebriefScreen

    app = recorded_app(SessionStore.open(tmp_path / "s.sqlite3"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await until(app, pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        assert "Add row" not in bar_lines(app)
        await pilot.press("p")
        await until(app, pilot, lambda: "Add row" in bar_lines(app), "the plan's keys in the bar")
        assert "Delete row" in bar_lines(app)


async def test_once_the_exercise_has_ended_the_console_lists_no_key_that_cannot_act(
    tmp_path: Path,
) -> None:
    """After the end, Play/pause, Next event, Faster, Slower and Choose only said 'the
    exercise has ended' (or 'no decision is open'): the bar no longer lists them, and lists
    them again when an undo takes the end back."""
    from test_debrief_report import recorded_app

    from sim.session.store import SessionStore
    from tui.screens.console import ConsoleScreen
    from tui.screens.debrief import DebriefScreen
    from tui.screens.dialogs import ConfirmDialog

    app = recorded_app(SessionStore.open(tmp_path / "s.sqlite3"))
    inert = ("Play/pause", "Next event", "Faster", "Slower", "Choose")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert all(key in bar_lines(app) for key in inert)
        await pilot.press("d")
        await until(app, pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await pilot.press("e")
        await until(app, pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(app, pilot, lambda: app.snapshot is not None and app.snapshot.finished, "end")
        await pilot.press("escape")
        await until(app, pilot, lambda: isinstance(app.screen, ConsoleScreen), "the console")
        await pilot.press("v")  # undo is asked in the controller view
        await until(app, pilot, lambda: "Undo" in bar_lines(app), "the controller's keys")
        shown = bar_lines(app)
        assert not any(key in shown for key in inert), shown
        for key in ("Undo", "Observe", "Debrief", "Quit"):
            assert key in shown, shown
        await pilot.press("u")
        await until(app, pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(
            app, pilot, lambda: app.snapshot is not None and not app.snapshot.finished, "undone"
        )
        await until(app, pilot, lambda: isinstance(app.screen, ConsoleScreen), "the console")
        await until(app, pilot, lambda: "Play/pause" in bar_lines(app), "the keys back")
        assert all(key in bar_lines(app) for key in inert)


async def test_a_session_resumed_after_its_end_lists_no_clock_keys(tmp_path: Path) -> None:
    from test_debrief_report import recorded_app

    from sim.session.resume import resume_session
    from sim.session.store import SessionStore
    from tui.recording import Recording
    from tui.screens.console import ConsoleScreen
    from tui.screens.debrief import DebriefScreen
    from tui.screens.dialogs import ConfirmDialog

    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await until(app, pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await pilot.press("e")
        await until(app, pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(app, pilot, lambda: app.snapshot is not None and app.snapshot.finished, "end")
    resumed = resume_session(store, 1)
    again = TabletopApp(resumed.exercise.scenario, recording=Recording(store, resumed=resumed))
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        await until(again, pilot, lambda: isinstance(again.screen, ConsoleScreen), "the console")
        await until(again, pilot, lambda: "Play/pause" not in bar_lines(again), "no clock keys")
        await pilot.press("v")  # the controller's keys are listed in the controller view
        await until(again, pilot, lambda: "Undo" in bar_lines(again), "the controller's keys")


async def test_the_players_view_lists_none_of_the_controllers_keys() -> None:
    """Inject, adjust, note, observe and undo act only in the controller view (in the players'
    view each says to press v): the bar listed them on the projector all the same."""
    app = TabletopApp(quickstart(), seed=3)
    controllers = ("Inject", "Adjust", "Note", "Observe", "Undo")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert not app.controller
        shown = bar_lines(app)
        assert not any(key in shown for key in controllers), shown
        assert "View" in shown and "Free text" in shown
        await pilot.press("v")
        await until(app, pilot, lambda: "Undo" in bar_lines(app), "the controller's keys")
        assert all(key in bar_lines(app) for key in controllers), bar_lines(app)
        await pilot.press("v")
        await until(app, pilot, lambda: "Undo" not in bar_lines(app), "the players' keys")
        await pilot.press("u")  # still explains itself when pressed
        await until(
            app,
            pilot,
            lambda: any("Undo" in str(n.message) for n in app._notifications),
            "the notice",
        )
