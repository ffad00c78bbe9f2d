"""A storm of keys: whatever the facilitator's keyboard does, nothing crashes or is lost.

Seeded random keys (every key of the console and its dialogs, digits, letters, enter,
escape, tab, arrows) are pressed without waiting for the engine, in a saved session; then
the session in the store replays to the very records the console shows.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hostile_console_helpers import ATTACK, RAW_CONTROL, frame
from textual import events
from tui_helpers import QUICKSTART, settle

from sim.session.resume import load_text, resume_session
from sim.session.store import SessionStore
from tui.app import TabletopApp
from tui.recording import Recording

KEYS = [
    *"n1234567890ovitamsubd+-ertabcz",
    "space",
    "enter",
    "escape",
    "tab",
    "up",
    "down",
    "left",
    "right",
    "backspace",
    "delete",
    "question_mark",
]
"""Not q, ctrl+q or ctrl+p (a quit, or the palette's Quit, would end the storm), nor x or w
(an export or a what-if branch: slow, and tested elsewhere)."""


@pytest.mark.parametrize("seed", [1, 2])
async def test_random_keys_crash_nothing_and_the_session_replays(tmp_path: Path, seed: int) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    text = QUICKSTART.read_text(encoding="utf-8")
    app = TabletopApp(
        load_text(text, str(QUICKSTART)),
        folder=tmp_path,
        tick=0.02,
        recording=Recording(store, path=QUICKSTART, text=text),
    )
    rng = random.Random(seed)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        for n in range(160):
            await pilot.press(rng.choice(KEYS))
            if n % 50 == 25:  # a paste in the middle of it, into whatever has the focus
                await app.on_event(events.Paste(ATTACK))
        for _ in range(6):  # close whatever dialog is open; stop the clock
            await pilot.press("escape")
        if app.playing:
            app.set_playing(False)
        await settle(app, pilot)
        assert app.is_running
        assert not RAW_CONTROL.search(frame(app).text)
        assert app.driver is not None
        shown = [r.to_dict() for r in app.driver.exercise.records]
    assert len(shown) > 3
    resumed = resume_session(store, 1)
    assert [r.to_dict() for r in resumed.exercise.records] == shown
