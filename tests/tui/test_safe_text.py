"""Scenario text never reaches the terminal as control codes or as markup (defence in depth).

The loader refuses such text (tests/data/hostile/escapes_decoded.yaml); these tests build a
scenario past the loader, as a future code path might, and check what the console renders.
"""

from __future__ import annotations

import re

from rich.text import Text
from tui_helpers import INJECTION, hostile, press, quickstart, screen_text, settle, text_of

from sim.schema import Scenario
from tui.app import TabletopApp
from tui.fmt import literal
from tui.widgets.feed import InjectFeed

ATTACK = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def poisoned() -> Scenario:
    """The quickstart with control codes in inject text and the title, bypassing the loader."""
    base = quickstart()
    injects = [i.model_copy(update={"text": ATTACK + i.text}) for i in base.injects]
    info = base.scenario.model_copy(update={"title": ATTACK})
    return base.model_copy(update={"injects": injects, "scenario": info})


def test_literal_shows_control_codes_as_escapes_and_markup_as_text() -> None:
    shown = literal(ATTACK + INJECTION)
    assert isinstance(shown, Text)
    assert not RAW_CONTROL.search(shown.plain)
    assert shown.plain.startswith("\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eevil")
    assert shown.plain.endswith(INJECTION)  # markup stays literal text
    assert not shown.spans


async def test_console_renders_no_control_codes() -> None:
    app = TabletopApp(poisoned())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n")
        feed = text_of(app.screen.query_one(InjectFeed))
        assert "\\x1b[2J" in feed
        text = screen_text(app)
        assert "\\x1b]0;pwned" in text
        assert not RAW_CONTROL.search(text)
        assert app.is_running


async def test_markup_in_scenario_text_stays_literal() -> None:
    app = TabletopApp(hostile())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n")
        assert INJECTION in screen_text(app)
        assert "[@click=app.quit]" in text_of(app.screen.query_one(InjectFeed))
        await pilot.click("#feed")
        assert app.is_running
