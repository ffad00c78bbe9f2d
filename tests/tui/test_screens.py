"""Pilot tests of the picker, briefing, debrief, a full play-through, markup safety, 80×24."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tui_helpers import (
    INJECTION,
    QUICKSTART,
    choose,
    hostile,
    press,
    quickstart,
    screen_text,
    settle,
    step_to_decision,
    text_of,
    wait_for,
)

from sim import events as ev
from tui.app import TabletopApp
from tui.screens.briefing import BriefingScreen
from tui.screens.console import ConsoleScreen
from tui.screens.debrief import DebriefScreen
from tui.screens.picker import PickerScreen, find_scenarios
from tui.widgets.decision import DecisionPanel
from tui.widgets.feed import InjectFeed
from tui.widgets.keys import KeyBar

PLAYBOOK = QUICKSTART.parent / "playbooks" / "quickstart--cooperate.yaml"


async def test_picker_lists_bundled_and_folder_scenarios(tmp_path: Path) -> None:
    shutil.copy(QUICKSTART, tmp_path / "my-copy.yaml")
    (tmp_path / "broken.yaml").write_text("scenario: [not, valid]\n", encoding="utf-8")
    app = TabletopApp(folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, PickerScreen)
        picker = app.screen
        await wait_for(pilot, lambda: bool(picker.choices), "scenarios to load")
        await pilot.pause()
        names = [c.path.name for c in picker.choices]
        assert "quickstart.yaml" in names and "my-copy.yaml" in names
        assert "broken.yaml" not in names
        text = screen_text(app)
        assert "Quickstart: a warning from an ally" in text
        assert "60 min" in text and "broken.yaml" in text
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BriefingScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ConsoleScreen)


def test_picker_passes_over_playbooks_in_the_folder(tmp_path: Path) -> None:
    """A folder made by `tabletop new` holds a playbook beside the scenario: it is no scenario
    to pick, and no invalid one either (`tabletop validate` says it is ok)."""
    shutil.copy(QUICKSTART, tmp_path / "my-copy.yaml")
    shutil.copy(PLAYBOOK, tmp_path / "my-copy--cooperate.yaml")
    (tmp_path / "broken.yaml").write_text("scenario: [not, valid]\n", encoding="utf-8")
    found, invalid = find_scenarios(tmp_path)
    assert "my-copy.yaml" in [c.path.name for c in found]
    assert [p.name for p in invalid] == ["broken.yaml"]


def test_picker_names_a_symlink_loop_in_the_folder_as_not_valid(tmp_path: Path) -> None:
    """Two links to each other named *.yaml are no scenario: named as not valid, and every
    other scenario still offered; before, the picker could not list the folder at all."""
    shutil.copy(QUICKSTART, tmp_path / "my-copy.yaml")
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    found, invalid = find_scenarios(tmp_path)
    assert "my-copy.yaml" in [c.path.name for c in found]
    assert [p.name for p in invalid] == ["a.yaml", "b.yaml"]


async def test_a_picker_that_fails_unexpectedly_says_so_and_keeps_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever stops the picker listing the scenarios (not one of tabletop's own errors), it
    says so, literally, and the console keeps running; before, the console stopped on it."""
    import tui.screens.picker

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("listing \x1b[2J went wrong")

    monkeypatch.setattr(tui.screens.picker, "find_scenarios", broken)
    app = TabletopApp(folder=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot,
            lambda: any("not listed" in str(n.message) for n in app._notifications),
            "the notice saying the scenarios were not listed",
        )
        notices = [str(n.message) for n in app._notifications if "not listed" in str(n.message)]
        assert len(notices) == 1
        assert "ValueError" in notices[0] and "went wrong" in notices[0]
        assert "\x1b" not in notices[0]  # shown literally, never a terminal control code
        assert isinstance(app.screen, PickerScreen)
        assert "Loading" not in screen_text(app)
        await pilot.press("enter")  # nothing to open, and no crash
        assert app.is_running


async def test_briefing_shows_facilitator_notes_only_in_controller_view() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        assert isinstance(app.screen, BriefingScreen)
        text = screen_text(app)
        assert "Situation" in text and "Module 1: the warning" in text
        assert "Who in government must know of the warning today" in text
        assert "Ministry of Foreign Affairs" in text
        assert "The ally still trusts us" in text
        assert "discomfort of learning it from an ally" not in text
        assert "State-linked intrusion group" not in text
        await pilot.press("v")
        text = screen_text(app)
        assert "discomfort of learning it from an ally" in text
        assert "State-linked intrusion group" in text
        await pilot.press("escape")
        assert isinstance(app.screen, ConsoleScreen)


async def test_full_play_through_by_keys_to_the_debrief() -> None:
    app = TabletopApp(quickstart(), tick=0.02)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(*["plus"] * 10, "space")
        chosen = 0
        for _ in range(400):
            await pilot.pause(0.03)
            snap = app.snapshot
            assert snap is not None
            if snap.finished and isinstance(app.screen, DebriefScreen):
                break
            if snap.open_decisions and not app.playing and app.inflight == 0:
                await press(app, pilot, "1", "enter")
                chosen += 1
        assert isinstance(app.screen, DebriefScreen), "the debrief opens when the exercise ends"
        assert app.snapshot is not None and app.snapshot.finished
        await wait_for(pilot, lambda: "Final ratings" in screen_text(app), "the debrief's text")
        made = [r for r in app.snapshot.records if isinstance(r, ev.DecisionMade)]
        assert chosen >= 2 and sum(m.by == "players" for m in made) >= 2
        text = screen_text(app)
        assert "Share all logs and invite a joint hunt" in text  # option 1 of answer_ally
        assert "decision:answer_ally.cooperate" in text or "tell_ally" in text
        assert "Final ratings" in text
        assert any(isinstance(r, ev.ObjectiveEvaluated) for r in app.snapshot.records)
        await pilot.press("escape")
        assert isinstance(app.screen, ConsoleScreen)
        assert "ended" in screen_text(app)


async def test_debrief_mid_exercise_shows_standing_and_can_end() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
        await press(app, pilot, "d")
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "Standing now" in text
        assert "How do you answer the ally's warning?" in text
        assert "End exercise" in text_of(app.screen.query_one(KeyBar))
        await pilot.press("e", "y")
        await settle(app, pilot)
        assert app.snapshot is not None and app.snapshot.finished
        assert "Final ratings" in screen_text(app)
        # ended: the key bar no longer offers to end it (it said "already ended" when pressed)
        await pilot.pause()
        assert "End exercise" not in text_of(app.screen.query_one(KeyBar))
        assert "Export report" in text_of(app.screen.query_one(KeyBar))


async def test_markup_in_scenario_text_is_shown_literally() -> None:
    app = TabletopApp(hostile())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n")
        assert app.is_running
        feed = text_of(app.screen.query_one(InjectFeed))
        assert INJECTION in feed
        assert INJECTION in text_of(app.screen.query_one(DecisionPanel))
        assert "[/x]trust" in screen_text(app)
        assert INJECTION in screen_text(app)  # MSEL title and clock-bar title
        await pilot.click("#feed")  # a click on the text must not trigger app.quit
        await pilot.press("b")
        assert INJECTION in screen_text(app)
        await pilot.press("escape", "ctrl+p")
        await pilot.press(*"choose")
        await pilot.pause(0.3)
        await pilot.press("escape")
        await press(app, pilot, "1", "enter", "d")
        assert INJECTION in screen_text(app)
        assert app.is_running


async def test_80x24_folds_panels_into_tabs() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ConsoleScreen) and screen.has_class("-narrow")
        await press(app, pilot, "n")
        panel = screen.query_one(DecisionPanel)
        assert panel.region.height > 0 and panel.region.bottom <= 24
        for _ in range(5):
            await pilot.press("right")
            active = [p for p in screen.query(".panel") if p.display and p.region.height]
            assert len(active) == 1
        for key in ("question_mark", "escape", "b", "escape", "d", "escape", "i", "escape"):
            await pilot.press(key)
        assert app.is_running


async def test_wide_terminal_shows_every_panel() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert not screen.has_class("-narrow")
        assert all(p.region.height > 0 for p in screen.query(".panel"))


async def test_help_names_every_tab_of_the_debrief() -> None:
    """`?` describes `d` with each of the debrief's tabs, as the debrief shows them."""
    from textual.widgets import Tab

    from tui.screens.help import HelpScreen

    app = TabletopApp(quickstart())
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "d")
        assert isinstance(app.screen, DebriefScreen)
        tabs = [tab.label_text for tab in app.screen.query(Tab)]
        assert len(tabs) == 4
        await press(app, pilot, "escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        lines = text_of(app.screen.query_one("#help-keys")).splitlines()
        [at] = [n for n, line in enumerate(lines) if line.split()[:2] == ["d", "debrief:"]]
        line = lines[at]
        for more in lines[at + 1 :]:  # the description's wrapped lines, indented under it
            if not more.startswith(" " * 8) or not more.strip():
                break
            line += " " + more.strip()
        for tab in tabs:
            assert tab.lower() in line.lower(), (tab, line)
