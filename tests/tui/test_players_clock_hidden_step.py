"""The players' clock never lands on the time of something they cannot see.

The facilitator steps (n) in the controller view to the next event: a stage of a campaign
the players have not detected, at 16:58. The projector (tabletop watch) replays the same
advance, and the console's players' view showed the same engine clock: '16:58' on the
room's screen told it something had happened then. The players' clock stays at the last
time they could know of, and play moves on in whole steps from it (never 16:58 + a step).
"""

from __future__ import annotations

from pathlib import Path

from hostile_console_helpers import frame
from tui_helpers import press, settle, wait_for

from sim.engine import Exercise
from sim.loader import load_scenario_text
from sim.pacing import next_event, play_target
from sim.session.journal import start_session
from sim.session.resume import load_text
from sim.session.store import SessionStore
from sim.session.watch import Follower
from sim.views import players_now, view
from tui.app import TabletopApp
from tui.recording import Recording
from tui.watch import WatchApp

LURKING = """
scenario:
  id: lurking
  title: Lurking
  summary: An unseen campaign between two public injects.
  start: 2020-07-01T09:00:00+09:00
  time_unit: hours
  horizon: 48
  seed: 1
actors:
  - {id: gov, name: Government, affiliation: government}
  - {id: shadow, name: Shadow, affiliation: adversary}
variables:
  stolen: {initial: 0, min: 0, hidden: true}
injects:
  - {id: first, at: 5, from: gov, to: [gov], text: First., invented: true}
  - {id: second, at: 20, from: gov, to: [gov], text: Second., invented: true}
threats:
  - id: lurk
    actor: shadow
    at: 6.6
    stages:
      - {id: dwell, duration: 1.37, detect: "0", effects: {stolen: "+ 1"}}
"""

HIDDEN_TIMES = ("15:36", "16:58")
"""The campaign's start (t=6.6) and its stage's end (t=7.97), on the clock."""
SIZE = (160, 50)


def hidden_times_in(text: str) -> list[str]:
    return [t for t in HIDDEN_TIMES if t in text]


def test_the_players_time_stays_at_what_they_know() -> None:
    ex = Exercise(load_scenario_text(LURKING), 1)
    next_event(ex, controller=True)  # the first inject, 14:00
    assert ex.now == 5 and players_now(ex) == 5
    while ex.now < 7.97:
        next_event(ex, controller=True)  # the campaign's records, one by one
        assert players_now(ex) == 5
        assert view(ex, controller=False).now == 5
        assert view(ex, controller=True).now == ex.now
    # play steps of half an hour count from 5 (the players' time), never from 7.97
    target = play_target(ex, 0.5)
    assert target == 8.0
    next_event(ex, controller=False)  # the players' own n: the next inject they see
    assert ex.now == 20 and players_now(ex) == 20


async def test_the_projector_and_the_players_view_show_no_hidden_time(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    path = tmp_path / "lurking.yaml"
    path.write_text(LURKING, encoding="utf-8")
    scenario = load_text(LURKING, str(path))
    app = TabletopApp(scenario, recording=Recording(store, path=path, text=LURKING))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v")  # the controller view
        assert app.controller
        for _ in range(4):  # the first inject, then the campaign's three records
            await press(app, pilot, "n")
            await settle(app, pilot)
        assert app.snapshot is not None and app.snapshot.now == 7.97
        assert "16:58" in frame(app).text  # the controller sees where the clock is
        await press(app, pilot, "v")  # back to the players' view, for the projector
        await settle(app, pilot)
        assert not app.controller
        players = frame(app).text
        assert "14:00" in players
        assert hidden_times_in(players) == []
    follower = Follower(SessionStore.open(store.path, readonly=True), 1)
    watch = WatchApp(follower, poll=0.05)
    async with watch.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "First." in frame(watch).text, "the first inject")
        await pilot.pause(0.2)
        shown = frame(watch).text
        assert "14:00" in shown
        assert hidden_times_in(shown) == []


async def test_watch_following_a_controllers_steps_shows_no_hidden_time(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = start_session(store, load_scenario_text(LURKING), LURKING, tmp_path / "l.yaml", 1)
    follower = Follower(SessionStore.open(store.path, readonly=True), 1)
    watch = WatchApp(follower, poll=0.05)
    async with watch.run_test(size=SIZE) as pilot:
        seen: list[str] = []
        for _ in range(4):
            next_event(ex, controller=True)
            at = ex.now
            await wait_for(
                pilot,
                lambda at=at: follower.exercise.now == at,  # type: ignore[misc]
                "the watcher to follow",
            )
            await pilot.pause(0.1)
            seen.append(frame(watch).text)
        assert hidden_times_in("\n".join(seen)) == []
