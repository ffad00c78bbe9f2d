"""Observations from the console (s): checked in the dialog, saved, resumed, in the report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from textual import notifications
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

from sim import events as ev
from sim.cli import main
from sim.commands import Observe
from sim.session.resume import load_text, resume_session
from sim.session.store import SessionStore
from tui.app import TabletopApp
from tui.recording import Recording
from tui.screens.debrief import DebriefScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.observe import ObserveDialog

SIZE = (120, 40)


def recorded_app(store: SessionStore) -> TabletopApp:
    text = QUICKSTART.read_text(encoding="utf-8")
    scenario = load_text(text, str(QUICKSTART))
    return TabletopApp(scenario, recording=Recording(store, path=QUICKSTART, text=text))


def plain_app() -> TabletopApp:
    return TabletopApp(load_text(QUICKSTART.read_text(encoding="utf-8"), str(QUICKSTART)))


def observations(app: TabletopApp) -> list[tuple[str, str, str]]:
    assert app.snapshot is not None
    return [
        (r.text, r.objective, r.assessment)
        for r in app.snapshot.records
        if isinstance(r, ev.ObservationRecorded)
    ]


def said(app: TabletopApp) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


def notices_kept(app: TabletopApp) -> list[str]:
    """Every notice the app gives from now on, kept: the app's own list drops a notice once
    its timeout has passed in real time, so a check made late (a loaded machine) missed it."""
    kept: list[str] = []
    notify = app.notify

    def keep(message: str, *args: Any, **kwargs: Any) -> None:
        kept.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = keep  # type: ignore[method-assign]
    return kept


@contextmanager
def clock_moved_on(seconds: float) -> Iterator[None]:
    """Textual's notices read as if `seconds` of real time had passed (a slow machine)."""
    real = notifications.time
    notifications.time = lambda: real() + seconds  # type: ignore[attr-defined]
    try:
        yield
    finally:
        notifications.time = real  # type: ignore[attr-defined]


def report(store: Path, audience: str, out: Path) -> dict[str, object]:
    args = ["report", "1", "--store", str(store), "--format", "json", "--audience", audience]
    result = CliRunner().invoke(main, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


async def test_s_in_the_players_view_opens_nothing_and_says_to_switch() -> None:
    app = plain_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not app.controller  # the console starts in the players' view
        await press(app, pilot, "s")
        assert not isinstance(app.screen, ObserveDialog)
        assert "controller view" in said(app)
        await press(app, pilot, "d", "s")  # nor from the debrief in the players' view
        assert isinstance(app.screen, DebriefScreen)
        assert observations(app) == []
        assert "Add observation" in [name for name, _help, _cb in app.palette_commands()]


async def test_bad_observations_are_said_in_the_dialog_and_escape_records_nothing() -> None:
    app = plain_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v", "s")
        assert isinstance(app.screen, ObserveDialog)
        box = app.screen.query_one("#text", Input)
        for bad, words in (
            ("   ", "empty"),
            ("a\x1b]0;pwned\x07b", "control characters"),
            ("tab\tinside", "control characters"),
            ("x" * 301, "too long"),
            ("y" * 100_000, "too long: 100000 characters, at most 300"),
        ):
            box.value = bad
            await press(app, pilot, "enter")
            assert isinstance(app.screen, ObserveDialog), bad[:20]
            assert words in text_of(app.screen)
            assert "\x1b" not in text_of(app.screen)
        assert box.value == "y" * 100_000, "what was typed is kept to correct"
        await press(app, pilot, "escape")
        assert not isinstance(app.screen, ObserveDialog)
        assert observations(app) == []


async def test_an_observation_is_saved_in_the_run_and_the_debrief_resumed_and_reported(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    store = SessionStore.open(path)
    app = recorded_app(store)
    strength = "[red]Quick[/] to call the ally"
    async with app.run_test(size=SIZE) as pilot:
        notices = notices_kept(app)
        await settle(app, pilot)
        await press(app, pilot, "n", "v", "s")
        assert isinstance(app.screen, ObserveDialog)
        app.screen.query_one("#text", Input).value = strength
        # tab to the objectives: the first is 'no objective', then the scenario's, in order
        await pilot.press("tab", "down", "enter")  # keep_the_alliance, then to the kind
        await pilot.press("down", "enter")  # a strength: enter saves
        await settle(app, pilot)
        assert not isinstance(app.screen, ObserveDialog)
        assert observations(app) == [(strength, "keep_the_alliance", "strength")]
        # The notice was given, however long the machine took to get here (it shows for 3 s).
        with clock_moved_on(10):
            assert len([n for n in notices if "Observation saved" in n]) == 1
        # End the exercise; the hotwash's observation is taken in the debrief.
        await press(app, pilot, "1", "enter", "d", "e", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        assert app.snapshot is not None and app.snapshot.finished
        await press(app, pilot, "s")
        assert isinstance(app.screen, ObserveDialog)
        app.screen.query_one("#text", Input).value = "Nobody kept the decision log"
        await pilot.press("tab", "tab", "down", "down", "enter")  # an area for improvement
        await settle(app, pilot)
        assert isinstance(app.screen, DebriefScreen)
        assert observations(app)[-1] == ("Nobody kept the decision log", "", "improvement")
    saved = [c.command for c in store.commands(1) if isinstance(c.command, Observe)]
    assert [(o.text, o.objective, o.assessment) for o in saved] == [
        (strength, "keep_the_alliance", "strength"),
        ("Nobody kept the decision log", "", "improvement"),
    ]
    # Quit and resume: both are in the resumed exercise and in the report.
    resumed = resume_session(store, 1)
    again = TabletopApp(resumed.exercise.scenario, recording=Recording(store, resumed=resumed))
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert [o[0] for o in observations(again)] == [strength, "Nobody kept the decision log"]
    for audience in ("players", "controller"):
        data = report(path, audience, tmp_path / f"{audience}.json")
        text = json.dumps(data)
        assert strength.replace('"', '\\"') in text and "Nobody kept the decision log" in text


async def test_an_observation_naming_a_secret_stays_out_of_the_players_view(
    tmp_path: Path,
) -> None:
    from sim.views import view

    path = tmp_path / "s.sqlite3"
    store = SessionStore.open(path)
    app = recorded_app(store)
    secret = "They guessed data_exposed was small"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v", "s")
        app.screen.query_one("#text", Input).value = secret
        await press(app, pilot, "enter")
        assert observations(app) == [(secret, "", "")]
        await press(app, pilot, "v")  # the players' view: nothing of it on screen
        assert not app.controller and "data_exposed" not in text_of(app.screen)
        assert app.driver is not None
        players = view(app.driver.exercise, controller=False).records
        assert not any(isinstance(r, ev.ObservationRecorded) for r in players)
    data = report(path, "players", tmp_path / "p.json")
    assert "data_exposed was small" not in json.dumps(data)


async def test_u_takes_an_observation_back_after_the_end(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v")
        await step_to_decision(app, pilot, most=3)  # past the threat's start, unseen by players
        await choose(app, pilot, 1)
        await press(app, pilot, "d", "e")
        await until(app, pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await press(app, pilot, "s")
        app.screen.query_one("#text", Input).value = "Typed on the wrong exercise"
        await press(app, pilot, "enter")
        assert observations(app) == [("Typed on the wrong exercise", "", "")]
        await press(app, pilot, "escape", "u", "y")  # back to the console, undo, yes
        assert observations(app) == []
        assert app.snapshot is not None and app.snapshot.finished
    assert not any(isinstance(c.command, Observe) for c in store.commands(1))
