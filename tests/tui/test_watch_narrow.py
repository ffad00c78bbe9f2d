"""The projector (`tabletop watch`) in an 80-column terminal: the room can read the injects.

The guide tells facilitators to enlarge the projector's font rather than shrink the window,
which leaves few columns: at 80x24 the dashboard kept 60 of them and the injects, what the
room reads, were squeezed into 18.
"""

from __future__ import annotations

from pathlib import Path

from hostile_console_helpers import frame
from tui_helpers import QUICKSTART, wait_for

from sim.session.journal import RecordedExercise, start_session
from sim.session.resume import load_text
from sim.session.store import SessionStore
from sim.session.watch import Follower
from tui.watch import WatchApp
from tui.widgets.dashboard import Dashboard
from tui.widgets.feed import InjectFeed


async def test_the_projector_at_80_columns_gives_the_injects_half_the_width(
    tmp_path: Path,
) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    text = QUICKSTART.read_text(encoding="utf-8")
    ex: RecordedExercise = start_session(
        store, load_text(text, str(QUICKSTART)), text, QUICKSTART, 5
    )
    ex.run_until_decision()
    follower = Follower(SessionStore.open(store.path, readonly=True), 1)
    app = WatchApp(follower, poll=0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        feed = app.screen.query_one(InjectFeed)
        await wait_for(pilot, lambda: "allied signals" in frame(app).text, "the inject")
        assert feed.region.width >= 36, feed.region
        # The open decision is readable: its prompt whole on the projector.
        await wait_for(pilot, lambda: "How do you answer the ally's" in frame(app).text, "it")
        # The dashboard still shows every variable the players see, value whole.
        dash = app.screen.query_one(Dashboard)
        assert dash.region.width >= 36, dash.region
        assert "ally trust" in frame(app).text and "0.7" in frame(app).text
    # Wide, as before: side by side, the dashboard as wide as it was.
    app = WatchApp(Follower(SessionStore.open(store.path, readonly=True), 1), poll=0.05)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: "allied signals" in frame(app).text, "the inject")
        dash = app.screen.query_one(Dashboard)
        assert dash.region.width >= 60
