"""A console session is its command log: replaying it rebuilds the same records."""

from __future__ import annotations

import json

from tui_helpers import choose, press, quickstart, settle, step_to_decision, wait_for

from sim import events as ev
from sim.commands import LoggedCommand, command_from_json, command_to_json
from sim.replay import replay
from tui.app import TabletopApp

SIZE = (120, 40)


async def test_a_session_driven_by_keys_replays_byte_for_byte() -> None:
    app = TabletopApp(quickstart(), seed=4, tick=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await step_to_decision(app, pilot)  # the ally's warning, then choose
        await choose(app, pilot, 1)
        await press(app, pilot, "v", "m", *"players hesitate", "enter", "v")
        await press(app, pilot, "v", "i", "enter", *"too quiet", "enter", "v")  # fire, reason
        await press(app, pilot, "t", *"The minister calls", "enter")
        await press(app, pilot, "v", "a", "enter", *"0.4", "enter", *"press leak", "enter", "v")
        await press(app, pilot, "n", "n", "v", "n")
        await pilot.press(*["plus"] * 6)
        for _ in range(20):  # play on past decisions and deadlines
            snap = app.snapshot
            assert snap is not None
            if snap.now > 100 or snap.finished:
                break
            if not app.playing:
                await pilot.press("space")
            was = snap.now
            await wait_for(
                pilot,
                lambda: bool(app.snapshot and app.snapshot.now > was) or not app.playing,  # noqa: B023
                "play",
            )
            await settle(app, pilot)
        if app.playing:
            await pilot.press("space")
        await settle(app, pilot)
        assert app.snapshot is not None and app.snapshot.now > 100
        assert app.driver is not None
        ex = app.driver.exercise
        kinds = {e.command.kind for e in ex.command_log}
        assert {"decide", "note", "fire_inject", "send_inject", "adjust", "advance"} <= kinds
        stored = [
            LoggedCommand(e.seq, e.at, command_from_json(command_to_json(e.command)), e.action)
            for e in ex.command_log
        ]
        again = replay(ex.scenario, ex.seed, stored)
        assert json.dumps([r.to_dict() for r in again.records]) == json.dumps(
            [r.to_dict() for r in ex.records]
        )
        assert any(isinstance(r, ev.FacilitatorNote) for r in again.records)
