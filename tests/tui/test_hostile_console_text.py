"""Odd text in the console: huge, wide, invisible, bidirectional, or control codes.

Whatever a scenario or the facilitator writes, the console keeps its layout (every screen
line exactly as wide as the terminal), sends no control code, stays responsive (the work of
drawing an inject is bounded: a 1 MB text is cut, saying so, and its heading stays), and
does not crash.
"""

from __future__ import annotations

import pytest
from hostile_console_helpers import ATTACK, RAW_CONTROL, frame, poison
from rich.cells import cell_len
from textual import events
from tui_helpers import ROOT, press, quickstart, settle, text_of

from sim.loader import load_scenario_text
from sim.schema import Scenario
from tui.app import TabletopApp
from tui.widgets.feed import InjectFeed

SIZE = (120, 40)
MEGABYTE = "word " * 200_000

ODD = (
    "zero\u200bwidth\u200d\ufeffjoin "  # zero-width space, joiner, BOM
    "\u4e2d\u6587\u6f22\u5b57 "  # wide CJK
    "\U0001f469\u200d\U0001f4bb\U0001f1ef\U0001f1f5 "  # emoji ZWJ sequence, a flag
    "e\u0301\u0301\u0301 "  # combining accents
    "line\u2028sep\u2029para "  # Unicode line and paragraph separators
    "\u05e9\u05dc\u05d5\u05dd \u200f\u200e "  # Hebrew, RLM, LRM (not overrides)
    "\u00ad soft hyphen " + "L" * 5000  # a 5,000-character word
)


def odd() -> Scenario:
    """The quickstart with odd (but loadable) text in titles, prompts and inject texts."""
    from tui_helpers import QUICKSTART

    text = QUICKSTART.read_text(encoding="utf-8")
    for old in (
        'title: "Quickstart: a warning from an ally"',
        'title: "The ally asks for an urgent meeting"',
        'prompt: "How do you answer the ally\'s warning?"',
        'label: "Share all logs and invite a joint hunt"',
        "name: Allied signals intelligence agency",
    ):
        key = old.split(":")[0]
        text = text.replace(old, f'{key}: "{ODD}"')
    text = text.replace(
        'text: "The head of the allied signals agency',
        f'text: "{ODD} The head of the allied signals agency',
    )
    return load_scenario_text(text, "odd.yaml")


def past_the_loader() -> Scenario:
    """Control codes where the loader would refuse them (a future path might not)."""
    base = odd()
    injects = [i.model_copy(update={"text": ATTACK + "\r\x07" + i.text}) for i in base.injects]
    info = base.scenario.model_copy(update={"title": ATTACK + base.scenario.title})
    return base.model_copy(update={"injects": injects, "scenario": info})


def layout_kept(app: TabletopApp) -> list[str]:
    """Lines of the screen that are not exactly as wide as the terminal."""
    width = app.size.width
    return [line for line in frame(app).text.split("\n") if cell_len(line) != width]


async def test_odd_text_keeps_the_layout_and_sends_no_control_code() -> None:
    app = TabletopApp(past_the_loader())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        for keys in (("n",), ("n",), ("b",), ("escape", "v"), ("n",), ("1",), ("escape", "d")):
            await press(app, pilot, *keys)
            shown = frame(app).text
            assert not RAW_CONTROL.search(shown), keys
            assert layout_kept(app) == [], keys
        assert app.is_running


async def test_a_megabyte_inject_is_cut_saying_so_and_keeps_its_heading() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "t")
        await app.on_event(events.Paste(MEGABYTE))
        await press(app, pilot, "enter")
        feed = app.screen.query_one(InjectFeed)
        assert "FREE-TEXT INJECT" in text_of(feed)  # the heading did not scroll away
        assert "980,000 more" in text_of(feed)  # says how much is left out
        assert len(feed.lines) < 2000  # bounded: not the whole megabyte, wrapped
        await press(app, pilot, "v")  # redrawn in the other view: still bounded
        assert len(app.screen.query_one(InjectFeed).lines) < 2000
        assert app.driver is not None
        sent = app.driver.exercise.records[-1]
        assert len(getattr(sent, "text", "")) >= 999_999  # recorded whole


async def test_control_codes_in_every_field_past_the_loader_never_reach_the_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The loader refuses control characters; if a future path let them through, every
    screen, dialog and notice still shows them as escapes (here: deadline notices, the
    adjust dialog's variable labels)."""
    import hostile_console_helpers

    import sim.yamlread

    monkeypatch.setattr(sim.yamlread, "_first_unsafe", lambda text: None)
    monkeypatch.setattr(hostile_console_helpers, "MARKUP", ATTACK)
    text, _where = poison((ROOT / "scenarios" / "quickstart.yaml").read_text(encoding="utf-8"))
    scenario = load_scenario_text(text, "poisoned.yaml")
    assert "\x1b" in scenario.scenario.title
    app = TabletopApp(scenario)
    raw: list[str] = []

    def look(what: str) -> None:
        raw.extend(
            f"{what}: {line!r}" for line in frame(app).text.split("\n") if RAW_CONTROL.search(line)
        )

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        for step in range(8):  # past the first decision's deadline: held, then applied
            await press(app, pilot, "n")
            look(f"n{step}")
        for view in ("players", "controller"):
            for keys in (("a",), ("i",), ("t",), ("1",), ("b",), ("d",)):
                await press(app, pilot, *keys)
                look(f"{view} {keys}")
                await press(app, pilot, "escape")
            await press(app, pilot, "v")
        assert app.is_running
    assert raw == []
