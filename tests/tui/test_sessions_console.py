"""The console saves its session, asks before quitting, undoes; watch follows from elsewhere."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from tui_helpers import QUICKSTART, choose, press, settle, step_to_decision, text_of, wait_for

from sim import events as ev
from sim.session.journal import RecordedExercise
from sim.session.resume import load_text, resume_session
from sim.session.store import SessionStore
from sim.session.watch import Follower
from tui.app import TabletopApp
from tui.recording import Recording
from tui.screens.dialogs import ConfirmDialog
from tui.watch import WatchApp
from tui.widgets.eventlog import EventLog
from tui.widgets.feed import InjectFeed

SIZE = (120, 40)
CHILD = Path(__file__).resolve().parents[1] / "sim" / "session_child.py"


def recorded_app(store: SessionStore) -> TabletopApp:
    text = QUICKSTART.read_text(encoding="utf-8")
    scenario = load_text(text, str(QUICKSTART))
    return TabletopApp(scenario, recording=Recording(store, path=QUICKSTART, text=text))


async def test_console_saves_every_command_and_resumes(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 2)
        assert app.recording is not None and app.recording.session_id == 1
        assert app.snapshot is not None
        played = [r.to_dict() for r in app.snapshot.records]
    resumed = resume_session(store, 1)
    assert [r.to_dict() for r in resumed.exercise.records] == played
    assert store.session(1).decisions == 1


async def test_q_and_ctrl_q_ask_and_say_how_to_resume(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key in ("q", "ctrl+q"):
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
            question = text_of(app.screen)
            assert "Quit the console?" in question
            assert "session is saved" in question
            assert "tabletop play --resume 1" in question
            await pilot.press("n")
            await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog), "no")
        assert app.is_running
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
    # Nothing was done in it: the session is marked abandoned, and still listed.
    assert store.session(1).status == "abandoned"


async def test_unsaved_console_says_so(tmp_path: Path) -> None:
    app = TabletopApp(load_text(QUICKSTART.read_text(encoding="utf-8"), str(QUICKSTART)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert "not saved" in text_of(app.screen)


async def test_an_exercise_that_fails_to_start_unexpectedly_says_what_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected failure starting the exercise (not one of tabletop's own errors, and one
    with no message) names what failed; before, the notice ended with 'could not start the
    exercise: ' and nothing after it."""
    import tui.app

    def broken(*args: object, **kwargs: object) -> None:
        raise AssertionError()

    monkeypatch.setattr(tui.app, "EngineDriver", broken)
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        notices = [str(n.message) for n in app._notifications if "start" in str(n.message)]
        assert len(notices) == 1
        assert "AssertionError" in notices[0]
        assert app.is_running


async def test_undo_key_takes_back_a_choice(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 3)
        assert app.snapshot is not None and not app.snapshot.open_decisions
        await press(app, pilot, "v")  # undo is asked in the controller view
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await press(app, pilot, "y")
        await wait_for(
            pilot,
            lambda: app.snapshot is not None and bool(app.snapshot.open_decisions),
            "the decision to be open again",
        )
        assert not any(isinstance(r, ev.DecisionMade) for r in app.snapshot.records)
        assert "chose deny" not in text_of(app.screen.query_one(EventLog))
    undone = [c for c in store.commands(1, everything=True) if c.undone]
    assert [c.command.kind for c in undone] == ["decide"]


async def test_store_failure_in_the_console_is_shown_and_nothing_applied(
    tmp_path: Path,
) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "n")
        assert app.snapshot is not None
        before = [r.to_dict() for r in app.snapshot.records]
        conn = store._conn
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        app.act(lambda ex: ex.note("z" * 300_000), "note")
        await settle(app, pilot)
        assert [r.to_dict() for r in app.snapshot.records] == before
        assert app.is_running
    assert [c.command.kind for c in store.commands(1)] == [
        c.command.kind for c in resume_session(store, 1).replayed.applied
    ]


# --- watch: another process drives, this one follows --------------------------------------------


def test_watcher_follows_another_process_and_sees_only_players_records(tmp_path: Path) -> None:
    store_path = tmp_path / "s.sqlite3"
    SessionStore.open(store_path).close()
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), str(store_path), "quickstart", "60", "3", "0.02"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    follower: Follower | None = None
    seen: list[ev.Event] = []
    everything: list[ev.Event] = []
    try:
        for line in proc.stdout:
            if line.startswith("session"):
                follower = Follower(SessionStore.open(store_path, readonly=True), 1)
            if not line.startswith("applied") or follower is None:
                continue
            n = int(line.split()[1])
            # Bounded polling: the watcher catches up with every committed command (its poll
            # interval is 0.02 s; the bound is generous so that a loaded machine cannot fail it).
            for _ in range(500):
                update = follower.poll()
                if update is not None:
                    seen = list(update.records) if update.reset else [*seen, *update.records]
                    everything.extend(update.records)
                if len(follower.exercise.command_log) >= n:
                    break
                time.sleep(0.02)
            assert len(follower.exercise.command_log) >= n
    finally:
        proc.wait(timeout=120)
        proc.stdout.close()
    assert follower is not None
    for _ in range(50):
        update = follower.poll()
        if update is not None:
            seen = list(update.records) if update.reset else [*seen, *update.records]
            everything.extend(update.records)
        time.sleep(0.01)
    players = follower.exercise.players
    assert seen, "the watcher saw nothing"
    # Nothing the watcher ever showed was for the facilitator only.
    assert all(r.visible_to(players) for r in everything)
    assert not any(r.audience == ev.FACILITATOR_ONLY for r in everything)
    assert not any(isinstance(r, ev.FacilitatorNote) for r in everything)
    assert not any(  # the facilitator's reasons are facilitator-only fields
        r.reason for r in everything if isinstance(r, ev.VariableChanged | ev.InjectDelivered)
    )
    assert any(isinstance(r, ev.VariableChanged) and r.cause == "facilitator" for r in everything)
    # Exactly the players' view of the session as stored.
    full = resume_session(SessionStore.open(store_path), 1).exercise
    assert [r.to_dict() for r in seen] == [r.to_dict() for r in full.visible(controller=False)]
    assert any(isinstance(r, ev.FacilitatorNote) for r in full.records)  # they existed


def test_watch_plain_in_another_process(tmp_path: Path) -> None:
    store_path = tmp_path / "s.sqlite3"
    store = SessionStore.open(store_path)
    text = QUICKSTART.read_text(encoding="utf-8")
    from sim.session.journal import start_session

    ex = start_session(store, load_text(text, str(QUICKSTART)), text, QUICKSTART, 5)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "watch", "1", "--plain", "--store", str(store_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    try:
        lines: list[str] = []
        ex.run_until_decision()
        ex.note("SECRET facilitator note")
        ex.decide("answer_ally", "cooperate", by="players")
        ex.end()
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    lines = out.splitlines()
    assert any("decision answer_ally posed" in line for line in lines)
    assert any("chose cooperate" in line for line in lines)
    assert any("Exercise ended" in line for line in lines)
    assert "SECRET" not in out


def test_watch_bad_ids(tmp_path: Path) -> None:
    store_path = tmp_path / "s.sqlite3"
    SessionStore.open(store_path).close()
    for ident in ("x'; DROP TABLE sessions;--", "7"):
        proc = subprocess.run(
            [sys.executable, "-m", "tui", "watch", ident, "--plain", "--store", str(store_path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2  # an id typed that names no session: a usage error
        assert "Traceback" not in proc.stderr
        assert "session" in proc.stderr


async def test_watch_console_shows_the_players_view(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    text = QUICKSTART.read_text(encoding="utf-8")
    from sim.session.journal import start_session

    ex: RecordedExercise = start_session(
        store, load_text(text, str(QUICKSTART)), text, QUICKSTART, 5
    )
    follower = Follower(SessionStore.open(store.path, readonly=True), 1)
    app = WatchApp(follower, poll=0.05)
    async with app.run_test(size=SIZE) as pilot:
        ex.run_until_decision()
        ex.note("SECRET facilitator note")
        await wait_for(
            pilot,
            lambda: "allied signals agency" in text_of(app.screen.query_one(InjectFeed)),
            "the inject on the projector",
        )
        ex.decide("answer_ally", "cooperate", by="players")
        ex.settle()
        await wait_for(
            pilot,
            lambda: "chose cooperate" in text_of(app.screen.query_one(EventLog)),
            "the decision on the projector",
        )
        assert "SECRET" not in text_of(app.screen)


async def test_a_watch_that_fails_unexpectedly_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever stops the projector following the store (not one of tabletop's own errors),
    it says so once, literally, and keeps running; before, it froze with no notice at all."""
    store = SessionStore.open(tmp_path / "s.sqlite3")
    text = QUICKSTART.read_text(encoding="utf-8")
    from sim.session.journal import start_session

    start_session(store, load_text(text, str(QUICKSTART)), text, QUICKSTART, 5)
    follower = Follower(SessionStore.open(store.path, readonly=True), 1)
    polls: list[int] = []

    def broken() -> None:
        polls.append(1)
        raise ValueError("replay \x1b[2J went wrong")

    monkeypatch.setattr(follower, "poll", broken)
    app = WatchApp(follower, poll=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(polls) >= 6, "several looks at the store")
        await app.workers.wait_for_complete()
        await pilot.pause()
        notices = [str(n.message) for n in app._notifications]
        assert len(notices) == 1  # once, not once per look at the store
        assert "ValueError" in notices[0] and "went wrong" in notices[0]
        assert "\x1b" not in notices[0]  # shown literally, never a terminal control code
        assert app.is_running


async def test_what_if_from_the_debrief(tmp_path: Path) -> None:
    from tui.screens.debrief import DebriefScreen
    from tui.screens.whatif import ComparisonScreen, WhatIfDialog

    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)  # cooperate
        await press(app, pilot, "d")
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WhatIfDialog), "the choices")
        dialog = app.screen
        assert isinstance(dialog, WhatIfDialog)
        choices = [line.plain for _, line in dialog.choices]
        # The option the room took is named by its label, as everywhere else in the console.
        assert any(
            "answer_ally" in c and "instead of Share all logs and invite a joint hunt" in c
            for c in choices
        )
        assert not any("instead of cooperate" in c for c in choices)
        assert choices[0].startswith("answer_ally")
        await pilot.press("enter")  # the first other option
        await wait_for(pilot, lambda: isinstance(app.screen, ComparisonScreen), "the comparison")
        # Its text is drawn once the screen is mounted (under load, after it is on top).
        await wait_for(pilot, lambda: "diverge" in text_of(app.screen), "the comparison's text")
        text = text_of(app.screen)
        assert "diverge" in text and "answer_ally" in text
        assert "data_exposed" not in text  # hidden variable: players' view
    branch = store.session(2)
    assert branch.parent_id == 1 and branch.origin == "branch"
    assert store.session(1).status == "live"


async def test_a_what_if_that_fails_unexpectedly_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever stops the other timeline (a bug in the engine or the comparison included), the
    facilitator who pressed w and chose an option is told it was not played, literally, and
    the console goes on; before, nothing happened at all."""
    import sim.session.compare
    from tui.screens.debrief import DebriefScreen
    from tui.screens.whatif import WhatIfDialog

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("no timeline \x1b[2J here")

    monkeypatch.setattr(sim.session.compare, "compare_sessions", broken)
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = recorded_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
        await press(app, pilot, "d")
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, WhatIfDialog), "the choices")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
        await app.workers.wait_for_complete()
        await wait_for(
            pilot,
            lambda: any("not played" in str(n.message) for n in app._notifications),
            "the notice saying the what-if was not played",
        )
        notices = [str(n.message) for n in app._notifications if "not played" in str(n.message)]
        assert len(notices) == 1
        assert "ValueError" in notices[0] and "no timeline" in notices[0]
        assert "\x1b" not in notices[0]  # shown literally, never a terminal control code
        assert "\\x1b[2J" in notices[0]
        # it failed after the branch was saved: the notice says where the branch is
        assert store.session(2).origin == "branch"
        assert "saved as session 2" in notices[0]
        assert isinstance(app.screen, DebriefScreen)
        assert app.is_running


async def test_a_scenario_opened_from_the_picker_is_saved(tmp_path: Path) -> None:
    import shutil

    from tui.screens.picker import PickerScreen

    shutil.copy(QUICKSTART, tmp_path / "mine.yaml")
    store = SessionStore.open(tmp_path / "s.sqlite3")
    app = TabletopApp(folder=tmp_path, recording=Recording(store))
    async with app.run_test(size=SIZE) as pilot:
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        await wait_for(pilot, lambda: bool(picker.choices), "scenarios to load")
        row = [c.path.name for c in picker.choices].index("mine.yaml")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")  # past the briefing
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
    info = store.session(1)
    assert info.scenario_path == str((tmp_path / "mine.yaml").resolve())
    assert info.decisions == 1
    assert store.scenario_text(1) == (tmp_path / "mine.yaml").read_text(encoding="utf-8")
