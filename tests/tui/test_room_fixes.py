"""The console in front of a room, at ordinary terminal sizes (120×36)."""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.cells import cell_len
from textual.widgets import Button, DataTable, Label, OptionList, Sparkline
from tui_helpers import QUICKSTART, quickstart, settle, text_of, wait_for

from sim import events as ev
from sim.bundled import resolve
from sim.session.journal import start_session
from sim.session.resume import load_text, resume_session
from sim.session.store import SessionStore
from tui.app import TabletopApp
from tui.recording import Recording
from tui.screens.dialogs import SendInjectDialog, default_sender
from tui.screens.picker import PickerScreen
from tui.widgets.dashboard import VALUE_WIDTH, VariableRow, row_text
from tui.widgets.decision import DecisionPanel

ROOM = (120, 36)


def olympics_at_iot_bill(tmp_path: Path) -> TabletopApp:
    """The Olympics scenario resumed at the moment its iot_bill decision is open."""
    path = resolve("olympics-2020")
    assert path is not None
    text = path.read_text(encoding="utf-8")
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = start_session(store, load_text(text, str(path)), text, path, None)
    while "iot_bill" not in ex.open_decisions:
        assert not ex.finished, "iot_bill never opened"
        ex.run_until_decision()
    assert ex.journal is not None
    resumed = resume_session(store, ex.journal.session_id)
    return TabletopApp(resumed.exercise.scenario, recording=Recording(store, resumed=resumed))


async def test_every_option_of_an_open_decision_is_reachable_at_120x36(tmp_path: Path) -> None:
    app = olympics_at_iot_bill(tmp_path)
    async with app.run_test(size=ROOM) as pilot:
        await settle(app, pilot)
        assert app.snapshot is not None
        ids = [od.decision.id for od in app.snapshot.open_decisions]
        for _ in ids:
            if ids[app.decision_index % len(ids)] == "iot_bill":
                break
            await pilot.press("o")
            await settle(app, pilot)
        panel = app.screen.query_one(DecisionPanel)
        assert panel.current is not None and panel.current.decision.id == "iot_bill"
        needed = panel.get_content_height(panel.container_size, app.size, panel.size.width)
        shown = panel.scrollable_content_region.height
        # Either every line fits, or the panel scrolls (and shows a scrollbar).
        assert needed <= shown or (panel.allow_vertical_scroll and panel.show_vertical_scrollbar)
        assert panel.region.bottom <= ROOM[1]
        assert "(default at the deadline)" in text_of(panel)


async def test_free_text_inject_dialog_fits_and_enter_sends(tmp_path: Path) -> None:
    path = resolve("olympics-2020")
    assert path is not None
    scenario = load_text(path.read_text(encoding="utf-8"), str(path))
    app = TabletopApp(scenario)
    async with app.run_test(size=ROOM) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, SendInjectDialog), "the dialog")
        dialog = app.screen
        ok = dialog.query_one("#ok", Button)
        assert ok.region.bottom <= ROOM[1], ok.region
        hints = [w for w in dialog.query(Label) if "enter send" in str(w.render())]
        assert hints and hints[0].region.bottom <= ROOM[1]
        sender = dialog.query_one("#sender", OptionList)
        highlighted = sender.get_option_at_index(sender.highlighted or 0).id
        assert highlighted != "diet"
        assert highlighted == default_sender(scenario)
        await pilot.press(*"Reuters asks for comment")
        dialog.query_one("#recipients").focus()
        await pilot.press("enter")  # sends: it does not toggle a recipient
        await settle(app, pilot)
        assert not isinstance(app.screen, SendInjectDialog)
        assert app.snapshot is not None
        sent = [r for r in app.snapshot.records if isinstance(r, ev.InjectDelivered)]
        assert sent[-1].text == "Reuters asks for comment"
        assert set(sent[-1].recipients) == set(app.snapshot.players)


def test_default_sender_is_from_outside_the_room() -> None:
    scenario = quickstart()
    assert default_sender(scenario) == "ally"


async def test_screenshot_goes_to_the_current_folder_and_says_where(tmp_path: Path) -> None:
    app = TabletopApp(quickstart(), folder=tmp_path)
    async with app.run_test(size=ROOM) as pilot:
        await settle(app, pilot)
        titles = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Screenshot" in titles and "Quit" in titles
        titles["Screenshot"].callback()
        await wait_for(pilot, lambda: bool(list(tmp_path.glob("*.svg"))), "the screenshot")
        await wait_for(
            pilot,
            lambda: any("Screenshot saved" in str(n.message) for n in app._notifications),
            "the notice",
        )
        [saved] = tmp_path.glob("*.svg")
        assert any(str(saved.name) in str(n.message) for n in app._notifications)
        # The palette's Quit asks first, like q.
        titles["Quit"].callback()
        await pilot.pause()
        assert app.is_running
        assert "Quit the console?" in text_of(app.screen)


async def test_sparklines_are_empty_until_something_changes() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=ROOM) as pilot:
        await settle(app, pilot)
        for row in app.screen.query(VariableRow):
            assert list(row.query_one(Sparkline).data or []) == []
        await pilot.press("n")
        await settle(app, pilot)
        moved = [
            row
            for row in app.screen.query(VariableRow)
            if list(row.query_one(Sparkline).data or [])
        ]
        assert moved, "a variable changed at the first inject, its sparkline should show it"


def test_labels_give_way_and_values_stay_whole() -> None:
    long = row_text("allied confidence in Japan", 0.75, "", "▲")
    assert "0.75" in long.plain and "allied confid" in long.plain and "…" in long.plain
    assert cell_len(long.plain) <= VALUE_WIDTH
    unit = row_text("incidents", 100, "in.", " ")
    assert "100 in." in unit.plain
    japanese = row_text("公共の信頼度合いを示す指数", 0.55, "", "▼")
    assert "0.55" in japanese.plain
    assert cell_len(japanese.plain) <= VALUE_WIDTH
    hostile = row_text("\x1b[31mred", 1, "", " ", hidden=True)
    assert "\x1b" not in hostile.plain and "hidden" in hostile.plain


async def test_picker_shows_the_file_of_each_scenario(tmp_path: Path) -> None:
    shutil.copy(QUICKSTART, tmp_path / "copy-a.yaml")
    shutil.copy(QUICKSTART, tmp_path / "copy-b.yaml")
    app = TabletopApp(folder=tmp_path)
    async with app.run_test(size=ROOM) as pilot:
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        await wait_for(pilot, lambda: bool(picker.choices), "scenarios to load")
        await pilot.pause()
        table = picker.query_one(DataTable)
        files = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "copy-a.yaml" in files and "copy-b.yaml" in files
        assert "quickstart.yaml (bundled)" in files


def test_a_label_is_cut_only_when_it_must_be() -> None:
    hidden = row_text("cables exposed", 1500, "k", "▲", hidden=True)
    assert "cables exposed" in hidden.plain and "1,500k" in hidden.plain
    short = row_text("ally trust", 0.7, "", " ")
    assert "ally trust" in short.plain and short.plain.index("0.7") > len("ally trust")
    assert cell_len(hidden.plain) <= VALUE_WIDTH and cell_len(short.plain) <= VALUE_WIDTH


def test_a_unit_is_shown_whole_or_visibly_cut() -> None:
    # A bundled unit of nine characters ('k records', Tokyo 2020) lost its 's': "0k record".
    records = row_text("Games data stolen", 0, "k records", " ", hidden=True)
    assert "0k records" in records.plain and "hidden" in records.plain
    assert cell_len(records.plain) <= VALUE_WIDTH
    long = row_text("load", 3, " thousand devices per hour", "▲")
    assert "3 thousand" in long.plain and "…" in long.plain, "cut, and seen to be cut"
    assert cell_len(long.plain) <= VALUE_WIDTH


def test_a_word_unit_is_set_apart_from_its_value_as_the_reports_set_it() -> None:
    # Tokyo 2020's 'index' read '100index' on the dashboard ('100 index' in `tabletop run`).
    assert "100 index" in row_text("weak-password IoT", 100, "index", " ").plain
    assert "2 GB" in row_text("data taken", 2, "GB", "▲").plain
    # A symbol or a one-letter multiplier stays on the number: 50%, 0k records, 1,500k.
    assert "50%" in row_text("damage", 50, "%", " ").plain
    assert "0k records" in row_text("stolen", 0, "k records", " ").plain
    assert "1,500k" in row_text("cables exposed", 1500, "k", "▲", hidden=True).plain
    assert "0h" in row_text("outage", 0, "h", " ").plain


async def test_a_forced_resume_says_it_continues_the_old_session_in_a_new_one(
    tmp_path: Path,
) -> None:
    """With --force on a changed file the console plays a new session: its notice says so
    (it said 'Session 2 resumed', though session 2 had never been played)."""
    path = tmp_path / "quick.yaml"
    text = QUICKSTART.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = start_session(store, load_text(text, str(path)), text, path, None)
    ex.run_until_decision()
    assert ex.journal is not None
    old = ex.journal.session_id
    path.write_text(text.replace("horizon: 720", "horizon: 700"), encoding="utf-8")
    resumed = resume_session(store, old, force=True)
    assert resumed.forked_from == old and resumed.session_id != old
    app = TabletopApp(resumed.exercise.scenario, recording=Recording(store, resumed=resumed))
    async with app.run_test(size=ROOM) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, lambda: bool(app._notifications), "the resume notice")
        said = " ".join(str(n.message) for n in app._notifications)
        assert f"Session {resumed.session_id} continues session {old}" in said
        assert f"Session {resumed.session_id} resumed" not in said
