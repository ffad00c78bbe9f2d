"""Pilot tests of the console: time, decisions, views, facilitator powers, help, palette, quit."""

from __future__ import annotations

from textual.widgets import Input
from tui_helpers import (
    choose,
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
from tui.screens.console import ConsoleScreen
from tui.screens.dialogs import (
    AdjustDialog,
    ConfirmDialog,
    FireInjectDialog,
    NoteDialog,
    SendInjectDialog,
)
from tui.screens.help import HelpScreen
from tui.widgets.dashboard import VariableRow
from tui.widgets.decision import DecisionPanel
from tui.widgets.eventlog import EventLog
from tui.widgets.feed import InjectFeed

SIZE = (120, 40)


def records(app: TabletopApp) -> list[ev.Event]:
    assert app.snapshot is not None
    return list(app.snapshot.records)


async def test_console_opens_on_a_file_and_steps_to_the_first_inject() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, ConsoleScreen)
        assert "day 1" in screen_text(app)
        await press(app, pilot, "n")
        feed = text_of(app.screen.query_one(InjectFeed))
        assert "allied signals agency" in feed
        assert "ally → mofa, cabinet" in feed
        decision = text_of(app.screen.query_one(DecisionPanel))
        assert "How do you answer the ally's warning?" in decision
        assert "due in 24 h" in decision
        assert app.screen.query_one(DecisionPanel).has_class("-open")


async def test_number_key_chooses_an_option() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)
        await choose(app, pilot, 1)
        made = [r for r in records(app) if isinstance(r, ev.DecisionMade)]
        assert [(m.decision, m.option, m.by) for m in made] == [
            ("answer_ally", "cooperate", "players")
        ]
        assert "chose cooperate" in text_of(app.screen.query_one(EventLog))
        assert "No decision is open" in text_of(app.screen.query_one(DecisionPanel))


async def test_a_number_with_no_open_decision_only_warns() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "5")
        assert not any(isinstance(r, ev.DecisionMade) for r in records(app))
        assert app.is_running


async def test_play_stops_when_a_decision_opens_and_resumes_after_it() -> None:
    app = TabletopApp(quickstart(), tick=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press(*["plus"] * 4, "space")
        await wait_for(
            pilot, lambda: bool(app.snapshot and app.snapshot.open_decisions), "decision"
        )
        await settle(app, pilot)
        assert not app.playing
        assert app.resume_after_decision
        assert app.snapshot is not None
        first = app.snapshot.now
        await press(app, pilot, "2", "enter")
        # play waited for the decision, then went on by itself
        await wait_for(pilot, lambda: bool(app.snapshot and app.snapshot.now > first), "play")
        if app.playing:  # (it may have stopped at the next decision already)
            await pilot.press("space")
        assert not app.playing


async def test_speed_keys_change_the_speed() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = app.speed_label()
        await pilot.press("plus", "plus")
        faster = app.speed_label()
        await pilot.press("minus", "minus", "minus")
        assert before != faster != app.speed_label()
        assert app.speed_label() in screen_text(app)


async def test_fire_contingency_inject() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v", "i")
        assert isinstance(app.screen, FireInjectDialog)
        # The dialog says where the reason goes: with the inject, not in a note of its own.
        placeholder = app.screen.query_one("#reason", Input).placeholder
        assert "kept with the inject" in placeholder and "note" not in placeholder
        await pilot.press("enter")  # choose the highlighted (only) held inject
        await pilot.press(*"ignored the ally")
        await press(app, pilot, "enter")
        assert isinstance(app.screen, ConsoleScreen)
        fired = [r for r in records(app) if isinstance(r, ev.InjectDelivered)]
        assert fired and fired[-1].inject == "ally_doubts" and fired[-1].by_facilitator
        assert fired[-1].reason == "ignored the ally"  # one record, the reason in it
        assert not [r for r in records(app) if isinstance(r, ev.FacilitatorNote)]
        assert "intelligence sharing may be scaled back" in text_of(
            app.screen.query_one(InjectFeed)
        )


async def test_free_text_inject() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t")
        assert isinstance(app.screen, SendInjectDialog)
        await pilot.press(*"The minister calls")
        await press(app, pilot, "enter")
        sent = [r for r in records(app) if isinstance(r, ev.InjectDelivered)]
        assert sent[-1].text == "The minister calls"
        assert sent[-1].inject == "" and sent[-1].by_facilitator
        assert set(sent[-1].recipients) == {"mofa", "nisc", "cabinet"}
        assert "The minister calls" in text_of(app.screen.query_one(InjectFeed))


async def test_adjust_variable_needs_a_reason() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v")  # adjustments are made in the controller view
        await pilot.press("a")
        assert isinstance(app.screen, AdjustDialog)
        await pilot.press("enter")  # ally trust, the first variable
        await pilot.press(*"0.4", "enter")
        await pilot.press("enter")  # no reason yet: refused by the dialog
        assert isinstance(app.screen, AdjustDialog)
        await pilot.press(*"press leak")
        await press(app, pilot, "enter")
        changed = [r for r in records(app) if isinstance(r, ev.VariableChanged)]
        assert changed[-1].variable == "ally_trust" and changed[-1].new == 0.4
        assert changed[-1].cause == "facilitator" and changed[-1].reason == "press leak"
        assert "0.4" in text_of(app.screen.query_one("#var-ally_trust", VariableRow))


async def test_note_is_recorded_and_shown_only_to_the_controller() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v")  # notes are taken in the controller view
        await pilot.press("m")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"players hesitate")
        await press(app, pilot, "enter")
        assert any(
            isinstance(r, ev.FacilitatorNote) and r.text == "players hesitate" for r in records(app)
        )
        assert "note: players hesitate" in text_of(app.screen.query_one(EventLog))
        await press(app, pilot, "v")
        assert "players hesitate" not in text_of(app.screen.query_one(EventLog))


async def test_a_note_is_not_typed_on_the_projector() -> None:
    """The players' view (the projector) opens no note dialog: what is typed would be on the
    screen the room reads, and a note is for the facilitator's log only."""
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not app.controller
        await press(app, pilot, "m")
        assert not isinstance(app.screen, NoteDialog)
        assert isinstance(app.screen, ConsoleScreen)
        await press(app, pilot, "v", "m")  # the controller view takes it
        assert isinstance(app.screen, NoteDialog)


async def test_engine_refusal_is_a_notification_not_a_crash() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.act(lambda ex: ex.decide("answer_ally", "cooperate"))
        await settle(app, pilot)
        assert app.is_running
        assert any("not open" in str(n.message) for n in app._notifications)


async def test_players_view_hides_undetected_threat_and_hidden_variable() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v")  # controller view: step through every event
        for _ in range(40):
            recs = records(app)
            if any(isinstance(r, ev.ThreatStageReached) and not r.detected for r in recs) and any(
                isinstance(r, ev.VariableChanged) and r.variable == "data_exposed" for r in recs
            ):
                break
            await press(app, pilot, "n")
        log = text_of(app.screen.query_one(EventLog))
        assert "(undetected)" in log
        row = app.screen.query_one("#var-data_exposed", VariableRow)
        assert row.display and "cables exposed" in text_of(row)
        await press(app, pilot, "v")  # players' view
        log = text_of(app.screen.query_one(EventLog))
        assert "(undetected)" not in log
        assert "data_exposed" not in log
        assert not app.screen.query_one("#var-data_exposed", VariableRow).display
        assert "cable_espionage = undetected" not in screen_text(app)
        assert "PLAYERS" in screen_text(app)


async def test_players_msel_shows_nothing_of_undelivered_or_held_injects() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        msel = text_of(app.screen.query_one("#msel"))
        assert "A newspaper asks about the breach" not in msel
        assert "ally_doubts" not in msel
        await press(app, pilot, "v")
        msel = text_of(app.screen.query_one("#msel"))
        assert "A newspaper asks about the breach (?)" in msel
        assert "ally_doubts (held)" in msel


async def test_help_screen_lists_every_key() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for key in ("space", "+  -", "1 … 9", "ctrl+p", "shift+tab"):
            assert key in text
        for word in ("contingency", "free-text", "adjust", "note", "controller", "debrief"):
            assert word in text
        await pilot.press("escape")
        assert isinstance(app.screen, ConsoleScreen)


async def test_command_palette_reaches_actions_by_name() -> None:
    from textual.command import CommandPalette

    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "v")  # notes are taken in the controller view
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"add note")
        for _ in range(100):  # results arrive asynchronously: retry enter until it lands
            await pilot.pause(0.05)
            await pilot.press("enter")
            if isinstance(app.screen, NoteDialog):
                break
        assert isinstance(app.screen, NoteDialog)
        names = [name for name, _help, _cb in app.palette_commands()]
        for name in (
            "Play / pause",
            "Fire contingency inject",
            "Free-text inject",
            "Adjust variable",
            "Toggle controller view",
            "Debrief",
            "Briefing",
        ):
            assert name in names


async def test_quit_asks_first() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert isinstance(app.screen, ConsoleScreen)
        await pilot.press("q", "y")
        await wait_for(pilot, lambda: not app.is_running, "exit")


def _capture_notices(app: TabletopApp) -> list[str]:
    said: list[str] = []
    shown = app.notify

    def notify(message: str, **kw: object) -> None:
        said.append(message)
        shown(message, **kw)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return said


async def test_n_stops_before_a_deadline_and_says_so_before_any_default_applies() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        said = _capture_notices(app)
        await settle(app, pilot)
        await press(app, pilot, "n")  # the ally's warning: a decision opens
        for _ in range(30):
            if any("deadline" in s and "comes next" in s for s in said):
                break
            await press(app, pilot, "n")
        assert app.snapshot is not None
        assert any(od.decision.id == "answer_ally" for od in app.snapshot.open_decisions)
        assert not any(isinstance(r, ev.DecisionMade) for r in records(app))
        await press(app, pilot, "n")  # now the default may apply, and the room is told
        made = [r for r in records(app) if isinstance(r, ev.DecisionMade)]
        assert [(m.decision, m.by) for m in made] == [("answer_ally", "deadline")]
        assert any("the default" in s and "applied" in s for s in said)


async def test_play_pauses_before_a_default_applies() -> None:
    app = TabletopApp(quickstart(), tick=0.02)
    async with app.run_test(size=SIZE) as pilot:
        said = _capture_notices(app)
        await settle(app, pilot)
        await pilot.press(*["plus"] * 6, "space")
        await wait_for(pilot, lambda: not app.playing, "the decision")
        await settle(app, pilot)
        await pilot.press("space")  # play on without choosing
        await wait_for(pilot, lambda: not app.playing, "the pause before the deadline")
        await settle(app, pilot)
        assert any("comes next" in s for s in said)
        assert not any(isinstance(r, ev.DecisionMade) for r in records(app))
        await press(app, pilot, "2", "enter")  # still in time to choose
        made = [r for r in records(app) if isinstance(r, ev.DecisionMade)]
        assert [(m.decision, m.by) for m in made] == [("answer_ally", "players")]


async def test_the_players_view_shows_nothing_of_what_they_do_not_know() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not app.controller
        shown = screen_text(app)
        assert "The ally asks for an urgent meeting" not in shown  # not delivered yet
        assert "A newspaper asks about the breach" not in shown
        assert "data_exposed" not in shown and "cables exposed" not in shown
        assert "cable_espionage" not in shown
        await press(app, pilot, "a")  # refused in the players' view: nothing typed on screen
        assert not isinstance(app.screen, AdjustDialog)
        await press(app, pilot, "v", "a", "enter", *"0.4", "enter", *"SECRET-REASON", "enter")
        assert "SECRET-REASON" in screen_text(app)  # the controller sees why
        await press(app, pilot, "v")
        assert "SECRET-REASON" not in screen_text(app)
        await press(app, pilot, "v")
        assert "The ally asks for an urgent meeting" in screen_text(app)
        await press(app, pilot, "v", "n")
        assert "The ally asks for an urgent meeting" in screen_text(app)  # delivered now


async def test_the_fire_dialog_is_for_the_controller_view() -> None:
    app = TabletopApp(quickstart())
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        assert not isinstance(app.screen, FireInjectDialog)  # the players' view is on screen
        await pilot.press("v", "i")
        assert isinstance(app.screen, FireInjectDialog)
        assert "intelligence sharing may be scaled back" in _dialog_text(app)


def _dialog_text(app: TabletopApp) -> str:
    from textual.widgets import OptionList

    choices = app.screen.query_one(OptionList)
    prompts = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
    return screen_text(app) + "\n" + "\n".join(prompts)
