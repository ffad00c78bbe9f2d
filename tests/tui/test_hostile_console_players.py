"""The players' view shows nothing the scenario hides from them, on any surface.

The scenario (hostile_console_helpers.SECRETS_YAML) hides an adversary, a hidden variable,
an undetected threat, a facilitator-only inject, a contingency inject, an option whose
condition is false, facilitator notes, sources and assumptions; each is marked SECRET. The
console is driven in the players' view (the projector) through every screen, dialog, the
command palette and the notifications, and `tabletop watch` follows a session: no marked
string and no hidden id may reach the screen.
"""

from __future__ import annotations

from pathlib import Path

from hostile_console_helpers import SECRETS_YAML, frame, leaks, secrets
from textual.pilot import Pilot
from textual.widgets import TabbedContent
from tui_helpers import press, settle, wait_for

from sim import events as ev
from sim.loader import load_scenario_text
from sim.session.journal import start_session
from sim.session.resume import load_text
from sim.session.store import SessionStore
from sim.session.watch import Follower
from tui.app import TabletopApp
from tui.recording import Recording
from tui.screens.dialogs import FireInjectDialog
from tui.screens.whatif import alternatives
from tui.watch import WatchApp
from tui.widgets.decision import DecisionPanel

SIZE = (160, 50)


async def to_decision(app: TabletopApp, pilot: Pilot[None]) -> None:
    for _ in range(6):
        snap = app.snapshot
        if snap is not None and snap.open_decisions:
            return
        await press(app, pilot, "n")
    raise AssertionError("the decision did not open")


async def test_an_option_not_offered_is_neither_shown_nor_numbered() -> None:
    app = TabletopApp(secrets())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await to_decision(app, pilot)
        panel = frame(app).text
        assert "Thank them" in panel and "Hunt together" in panel
        assert leaks(panel) == []
        assert "[1-2] choose" in panel
        # the palette's choices: the offered options only
        await press(app, pilot, "ctrl+p")
        await pilot.press(*"Choose")
        await wait_for(pilot, lambda: "Hunt together" in frame(app).text, "the palette's choices")
        assert leaks(frame(app).text) == []
        await press(app, pilot, "escape")
        # 2 is the second option offered
        await press(app, pilot, "2", "enter")
        assert app.snapshot is not None
        made = [r for r in app.snapshot.records if isinstance(r, ev.DecisionMade)]
        assert [(r.decision, r.option) for r in made] == [("answer", "hunt")]
        # after the end, what if offers the options the room had, not the hidden one
        choices = alternatives(app.scenario, list(app.snapshot.visible(False)))  # type: ignore[arg-type]
        assert [c.option for c, _line in choices] == ["thank"]


async def test_the_controller_view_says_an_option_is_not_offered_without_a_number() -> None:
    app = TabletopApp(secrets())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await to_decision(app, pilot)
        await press(app, pilot, "v")
        shown = app.screen.query_one(DecisionPanel).render()
        text = str(shown)
        assert "SECRET26 option not offered" in text
        assert "not offered now" in text
        assert "[1-2] choose" in text


async def test_players_dialogs_name_no_hidden_actor_or_inject() -> None:
    app = TabletopApp(secrets())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        seen: dict[str, str] = {}
        for keys, name in (
            (("i",), "fire a contingency inject"),
            (("t",), "free-text inject"),
            (("a",), "adjust a variable"),
            (("b",), "briefing"),
        ):
            await press(app, pilot, *keys)
            seen[name] = frame(app).text
            await press(app, pilot, "escape")
        assert "Held injects are for the controller view" in seen["fire a contingency inject"]
        assert "Ally" in seen["free-text inject"]
        for name, text in seen.items():
            assert leaks(text) == [], name
        assert app.is_running


async def test_every_players_screen_of_a_whole_session_hides_the_secrets() -> None:
    app = TabletopApp(secrets())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        shown: list[str] = []
        for _ in range(8):
            await press(app, pilot, "n")
            shown.append(frame(app).text)
            if app.snapshot is not None and app.snapshot.open_decisions:
                await press(app, pilot, "1")
                shown.append(frame(app).text)
                await press(app, pilot, *"we wait", "enter")
        await press(app, pilot, "d")
        for tab in ("d-decisions", "d-objectives", "d-variables", "d-plan"):
            app.screen.query_one(TabbedContent).active = tab
            await pilot.pause()
            shown.append(frame(app).text)
        await press(app, pilot, "e", "y")
        assert app.snapshot is not None and app.snapshot.finished
        for tab in ("d-decisions", "d-objectives", "d-variables", "d-plan"):
            app.screen.query_one(TabbedContent).active = tab
            await pilot.pause()
            shown.append(frame(app).text)
        assert leaks("\n".join(shown)) == []


async def test_switching_to_the_players_view_clears_the_controllers_notices(
    tmp_path: Path,
) -> None:

    store = SessionStore.open(tmp_path / "s.sqlite3")
    path = tmp_path / "quiet_room.yaml"
    path.write_text(SECRETS_YAML, encoding="utf-8")
    scenario = load_text(SECRETS_YAML, str(path))
    app = TabletopApp(scenario, recording=Recording(store, path=path, text=SECRETS_YAML))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v", "i", "enter", "enter")  # fire the held inject
        await press(app, pilot, "u", "y")  # undo it: "Undone: firing of inject secret…"
        await wait_for(pilot, lambda: "Undone" in frame(app).text, "the undo notice")
        await press(app, pilot, "v")
        await pilot.pause()
        assert not app.controller
        assert leaks(frame(app).text) == []


async def test_watch_shows_no_option_the_players_are_not_offered(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    path = tmp_path / "quiet_room.yaml"
    ex = start_session(store, secrets(), SECRETS_YAML, path, 1)
    follower = Follower(SessionStore.open(store.path, readonly=True), 1)
    app = WatchApp(follower, poll=0.05)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        ex.run_until_decision()
        await wait_for(pilot, lambda: "Hunt together" in frame(app).text, "the decision")
        assert leaks(frame(app).text) == []


async def test_the_picker_names_no_adversary(tmp_path: Path) -> None:
    """The picker is the first screen (the projector may be on): like the briefing's players'
    view, it lists the actors without the adversaries."""
    path = tmp_path / "quiet_room.yaml"
    path.write_text(SECRETS_YAML, encoding="utf-8")
    app = TabletopApp(folder=tmp_path, files=[path])
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: "What the room must not see" in frame(app).text, "picker")
        table = app.screen.query_one("DataTable")
        table.move_cursor(row=table.row_count - 1)  # type: ignore[attr-defined]
        await pilot.pause()
        shown = frame(app).text
        assert "Government" in shown
        assert leaks(shown) == []


async def test_an_undo_in_the_players_view_tells_the_room_nothing(tmp_path: Path) -> None:
    """u in the players' view (on the projector) asks nothing and undoes nothing: it says to
    switch views, the same words whatever the last command was. 'Undone: an adjustment' (or
    even 'nothing to undo') told the room of commands it never saw."""
    store = SessionStore.open(tmp_path / "s.sqlite3")
    path = tmp_path / "quiet_room.yaml"
    path.write_text(SECRETS_YAML, encoding="utf-8")
    scenario = load_text(SECRETS_YAML, str(path))
    app = TabletopApp(scenario, recording=Recording(store, path=path, text=SECRETS_YAML))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v", "i", "enter", "enter")  # fire the held inject
        await press(app, pilot, "a")  # adjust the hidden variable (listed second)
        await press(app, pilot, "down", "enter", "7", "enter", *"why", "enter")
        await press(app, pilot, "v")
        assert not app.controller
        notices: list[str] = []
        for _ in range(2):
            await press(app, pilot, "u", "y")
            await wait_for(pilot, lambda: "switch to it (v)" in frame(app).text, "the notice")
            notices.append(frame(app).text)
            app.clear_notifications()
        assert leaks("\n".join(notices)) == []
        assert not any("Undo the last command" in n or "Undone" in n for n in notices)
        assert app.driver is not None
        kinds = [type(e.command).__name__ for e in app.driver.exercise.command_log]
        assert "Adjust" in kinds and "FireInject" in kinds  # nothing was undone
    said: list[str] = []
    for hidden_last in (False, True):  # the same words with or without a hidden command
        store = SessionStore.open(tmp_path / f"{hidden_last}.sqlite3")
        fresh = TabletopApp(scenario, recording=Recording(store, path=path, text=SECRETS_YAML))
        async with fresh.run_test(size=SIZE, notifications=True) as pilot:
            await settle(fresh, pilot)
            if hidden_last:
                await press(fresh, pilot, "v", "a", "down", "enter", "7", "enter", *"why")
                await press(fresh, pilot, "enter", "v")
            fresh.clear_notifications()
            await press(fresh, pilot, "u")
            await wait_for(pilot, lambda: bool(fresh._notifications), "the notice")  # noqa: B023
            said.append(" | ".join(str(n.message) for n in fresh._notifications))
    assert said[0] == said[1]


async def test_the_players_view_does_not_count_the_held_injects() -> None:
    """'held inject 1', 'held inject 2' on the projector told the room how many contingency
    injects the facilitator keeps in reserve: i says to switch views, whatever their number
    (none too), and the palette lists none of them."""
    for scenario, held in ((secrets(), 1), (load_scenario_text(NONE_HELD, "none.yaml"), 0)):
        app = TabletopApp(scenario)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            await press(app, pilot, "i")
            text = frame(app).text
            assert "Held injects are for the controller view" in text
            assert "held inject 1" not in text and "No contingency" not in text
            assert not isinstance(app.screen, FireInjectDialog)
            names = [name for name, _about, _do in app.palette_commands()]
            assert not any("held inject" in n.lower() or "Fire inject" in n for n in names)
            app.controller = True  # the controller view still lists and fires them
            names = [name for name, _about, _do in app.palette_commands()]
            assert sum(n.startswith("Fire inject:") for n in names) == held


NONE_HELD = """
scenario: {id: none_held, title: None held, summary: No contingency.,
  start: 2020-07-01T09:00:00+09:00, time_unit: hours, horizon: 10}
actors:
  - {id: gov, name: Government, affiliation: government}
injects:
  - {id: hello, at: 1, from: gov, to: [gov], text: Hello., invented: true}
"""


async def test_the_plan_typed_in_the_controller_view_names_no_secret_in_the_players_view(
    tmp_path: Path,
) -> None:
    """An improvement-plan row typed in the controller view that names a hidden variable or an
    undetected threat is withheld in the players' view, as in the players' edition of the
    report; it cannot be opened for editing there (the dialog would show it)."""
    from sim.session.store import PlanRow
    from tui.screens.plan import PlanRowDialog, PlanTable

    store = SessionStore.open(tmp_path / "s.sqlite3")
    path = tmp_path / "quiet_room.yaml"
    path.write_text(SECRETS_YAML, encoding="utf-8")
    scenario = load_text(SECRETS_YAML, str(path))
    app = TabletopApp(scenario, recording=Recording(store, path=path, text=SECRETS_YAML))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert app.recording is not None and app.recording.session_id is not None
        store.replace_plan(
            app.recording.session_id,
            [
                PlanRow("little_taken", "secretvar rose unseen", "hunt secretthreat", "NISC", ""),
                PlanRow("trust_ok", "Trust dipped", "Brief the press", "Cabinet", ""),
            ],
        )
        await press(app, pilot, "d", "p")
        table = app.screen.query_one(PlanTable)
        cells = [[c.plain for c in table.get_row_at(n)] for n in range(table.row_count)]
        assert leaks(frame(app).text) == [] and leaks(repr(cells)) == []
        assert cells[0][3] == "NISC" and "withheld" in cells[0][1]
        assert cells[1][1:3] == ["Trust dipped", "Brief the press"]
        await press(app, pilot, "enter")  # the first row: refused, said
        assert not isinstance(app.screen, PlanRowDialog)
        assert leaks(frame(app).text) == []
        await press(app, pilot, "v")  # the controller view shows and edits it
        table = app.screen.query_one(PlanTable)
        assert table.get_row_at(0)[1].plain == "secretvar rose unseen"


async def test_a_reloads_problems_wait_for_the_controller_view(tmp_path: Path) -> None:
    """play --watch: a saved file's problems quote the scenario (its hidden names, its lines);
    in the players' view the notice only says there are problems, and the details are shown
    when the controller view is switched on."""
    path = tmp_path / "quiet_room.yaml"
    path.write_text(SECRETS_YAML, encoding="utf-8")
    app = TabletopApp(load_text(SECRETS_YAML, str(path)), watch=path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        path.write_text(
            SECRETS_YAML.replace('met: "secretvar < 3"', 'met: "secretvarz < 3"'),
            encoding="utf-8",
        )
        said = lambda: "\n".join(f"{n.title}\n{n.message}" for n in app._notifications)  # noqa: E731
        await wait_for(pilot, lambda: "Not reloaded" in said(), "the refusal")
        await pilot.pause()
        assert "Not reloaded" in frame(app).text
        assert leaks(said()) == [] and leaks(frame(app).text) == []
        await press(app, pilot, "v")
        await wait_for(pilot, lambda: "secretvarz" in said(), "the details in the controller view")
