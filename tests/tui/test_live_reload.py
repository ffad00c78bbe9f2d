"""`tabletop play FILE --watch`: saving the file reloads the scenario in the console, replays
what was done, says where replay stopped, and shows a broken file's problems without a crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets._toast import Toast
from tui_helpers import QUICKSTART, choose, press, settle, step_to_decision, text_of, wait_for

import tui.cli
from sim import events as ev
from sim.loader import load_scenario
from tui.app import TabletopApp
from tui.cli import main
from tui.screens.console import ConsoleScreen
from tui.widgets.dashboard import Dashboard
from tui.widgets.feed import InjectFeed

SIZE = (120, 40)
INJECT = "The head of the allied signals agency"


def copy(tmp_path: Path, name: str = "q.yaml") -> Path:
    path = tmp_path / name
    shutil.copy(QUICKSTART, path)
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def notes(app: TabletopApp) -> list[str]:
    return [f"{n.title}\n{n.message}" for n in app._notifications]


def reloaded(app: TabletopApp) -> bool:
    return any("Scenario reloaded" in n for n in notes(app))


def made(app: TabletopApp) -> list[tuple[str, str]]:
    assert app.snapshot is not None
    return [(r.decision, r.option) for r in app.snapshot.records if isinstance(r, ev.DecisionMade)]


def watching(path: Path) -> TabletopApp:
    return TabletopApp(load_scenario(path), seed=5, watch=path)


async def in_the_controller_view(app: TabletopApp, pilot: Pilot[None]) -> list[str]:
    """The notices once the controller view is on: the players' view (the console starts in
    it) holds a reload's details back until then (tests/tui/test_hostile_console_players.py)."""
    if not app.controller:
        await press(app, pilot, "v")
    return notes(app)


async def test_saving_replays_what_was_done_on_the_edited_scenario(tmp_path: Path) -> None:
    path = copy(tmp_path)
    app = watching(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert any("session is not saved" in n for n in notes(app))
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
        assert made(app) == [("answer_ally", "cooperate")]
        assert app.snapshot is not None
        before = app.snapshot.now
        edit(path, INJECT, "EDITED: " + INJECT)
        edit(path, "variables:\n", 'variables:\n  morale: {initial: 0.4, label: "staff morale"}\n')
        await wait_for(pilot, lambda: reloaded(app), "the reload")
        await settle(app, pilot)
        assert any("all 3 commands replayed" in n or "reloaded: all" in n for n in notes(app))
        assert isinstance(app.screen, ConsoleScreen)
        assert made(app) == [("answer_ally", "cooperate")]
        assert app.snapshot.now == before
        assert "EDITED: " + INJECT in text_of(app.screen.query_one(InjectFeed))
        assert "staff morale" in text_of(app.screen.query_one(Dashboard))
        assert app.snapshot.variables["morale"] == pytest.approx(0.4)
        # the console goes on from there on the new scenario
        await press(app, pilot, "n")
        assert app.snapshot.now > before


async def test_replay_says_where_the_edited_scenario_stopped_applying(tmp_path: Path) -> None:
    path = copy(tmp_path)
    app = watching(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("id: cooperate", "id: collaborate").replace(
                "answer_ally: cooperate", "answer_ally: collaborate"
            ),
            encoding="utf-8",
        )
        await wait_for(pilot, lambda: reloaded(app), "the reload")
        await settle(app, pilot)
        assert not any("no longer applies" in n for n in notes(app))  # the players' view
        said = await in_the_controller_view(app, pilot)
        note = next(n for n in said if "Scenario reloaded" in n and "applies:" in n)
        assert "no longer applies" in note and "cooperate" in note
        assert made(app) == []  # the choice is not made on the new scenario: the room may redo it
        assert app.snapshot is not None and app.snapshot.open_decisions


async def test_a_broken_save_shows_its_problems_with_lines_and_keeps_the_exercise(
    tmp_path: Path,
) -> None:
    path = copy(tmp_path)
    app = watching(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
        assert app.snapshot is not None
        records = app.snapshot.records
        lines = path.read_text(encoding="utf-8").splitlines()
        line = next(n for n, t in enumerate(lines, start=1) if "from: ally" in t)
        edit(path, "from: ally", "from: allly")
        await wait_for(pilot, lambda: any("Not reloaded" in n for n in notes(app)), "problems")
        await settle(app, pilot)
        said = await in_the_controller_view(app, pilot)
        problem = next(n for n in said if "Not reloaded" in n and "q.yaml:" in n)
        assert f"q.yaml:{line}:" in problem and "allly" in problem
        assert app.is_running and isinstance(app.screen, ConsoleScreen)
        assert app.snapshot.records == records  # the old exercise goes on, unchanged
        await press(app, pilot, "v", "n")
        assert len(app.snapshot.records) > len(records)
        # fixing the file reloads it
        edit(path, "from: allly", "from: ally")
        await wait_for(pilot, lambda: reloaded(app), "the reload after the fix")
        await settle(app, pilot)
        assert made(app) == [("answer_ally", "cooperate")]


async def test_markup_in_problems_and_file_names_is_shown_literally(tmp_path: Path) -> None:
    path = copy(tmp_path, "[bold]q.yaml")
    app = watching(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        edit(path, "from: ally", 'from: "[@click=app.quit]x[/]"')
        await wait_for(pilot, lambda: any("Not reloaded" in n for n in notes(app)), "problems")
        await settle(app, pilot)
        said = await in_the_controller_view(app, pilot)
        problem = next(n for n in said if "Not reloaded" in n and "[@click" in n)
        assert "[bold]q.yaml" in problem and "[@click=app.quit]x" in problem
        assert "[@click=app.quit]x[/]" in problem
        await wait_for(pilot, lambda: bool(app.screen.query(Toast)), "the toast")
        shown = "\n".join(str(t.render()) for t in app.screen.query(Toast))
        assert "[@click=app.quit]x[/]" in shown and "[bold]q.yaml" in shown
        assert app.is_running


async def test_unparseable_yaml_does_not_crash(tmp_path: Path) -> None:
    path = copy(tmp_path)
    app = watching(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        path.write_text("scenario: [unclosed\n  id: {\n", encoding="utf-8")
        await wait_for(pilot, lambda: any("Not reloaded" in n for n in notes(app)), "problems")
        said = await in_the_controller_view(app, pilot)
        assert any("q.yaml:" in n for n in said if "Not reloaded" in n)
        path.unlink()  # gone (an editor replacing it): nothing happens until it is back
        await pilot.pause(0.6)
        assert app.is_running


@pytest.mark.parametrize(
    "args",
    [
        ["play", "quickstart", "--watch"],
        ["play", "--watch"],
        ["play", str(QUICKSTART), str(QUICKSTART), "--watch"],
        ["play", "--resume", "1", "--watch"],
        ["play", "no-such-file.yaml", "--watch"],
    ],
)
def test_watch_needs_one_scenario_file(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "--watch" in result.output


def test_watch_opens_the_console_on_the_file_unsaved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy(tmp_path)
    seen: list[TabletopApp] = []
    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)
    monkeypatch.setattr(TabletopApp, "run", lambda self, *a, **k: seen.append(self))
    result = CliRunner().invoke(
        main, ["play", str(path), "--watch", "--store", str(tmp_path / "s.sqlite3")]
    )
    assert result.exit_code == 0, result.output
    (app,) = seen
    assert app.watched is not None and app.watched.path == path
    assert app.recording is None
    assert "Session" not in result.output
    assert not (tmp_path / "s.sqlite3").exists()
