"""Pilot tests: live play honours a deadline at its instant, as a headless run does.

A decision's default applies at the end of its deadline's instant. The console used to stop
*inside* that instant when something else happened then (an inject, another decision
opening): the clock stood at the deadline, the decision was still open (the panel said the
default "applies" and took no choice), and the default, its effects and the "Default applied"
notice came only with the next key press, at a later step or a later time on the clock.
"""

from __future__ import annotations

import json
from pathlib import Path

from textual.pilot import Pilot
from tui_helpers import ROOT, press, settle, wait_for

from sim import events as ev
from sim.engine import Exercise
from sim.loader import load_scenario
from sim.schema import Scenario
from tui.app import TabletopApp

SIZE = (120, 40)
SEED = 2018


def showcase() -> Scenario:
    return load_scenario(Path(ROOT / "scenarios" / "showcase.yaml"))


def headless_log(scenario: Scenario) -> list[str]:
    ex = Exercise(scenario, SEED)
    ex.run()
    return [json.dumps(r.to_dict(), sort_keys=True) for r in ex.records]


def console_log(app: TabletopApp) -> list[str]:
    assert app.snapshot is not None
    return [json.dumps(r.to_dict(), sort_keys=True) for r in app.snapshot.records]


class Watch:
    """What the facilitator sees after each engine update: decisions open at their deadline
    instant, and the clock when each "Default applied" notice was given."""

    def __init__(self, app: TabletopApp) -> None:
        self.app = app
        self.at_deadline: list[tuple[float, str]] = []
        self.defaults_told: list[tuple[float, str]] = []
        self.warned: list[tuple[float, str]] = []
        refresh, notify = app.refresh_views, app.notify

        def refresh_views(*, full: bool = False, alert: bool = False) -> None:
            snap = app.snapshot
            if snap is not None:
                self.at_deadline += [
                    (snap.now, od.decision.id)
                    for od in snap.open_decisions
                    if od.deadline <= snap.now
                ]
            refresh(full=full, alert=alert)

        def notice(message: str, **kw: object) -> None:
            if kw.get("title") == "Default applied" and app.snapshot is not None:
                self.defaults_told.append((app.snapshot.now, message))
            if kw.get("title") == "Paused before a deadline" and app.snapshot is not None:
                self.warned.append((app.snapshot.now, message))
            notify(message, **kw)  # type: ignore[arg-type]

        app.refresh_views = refresh_views  # type: ignore[method-assign]
        app.notify = notice  # type: ignore[method-assign]


def deadline_defaults(app: TabletopApp) -> list[tuple[float, str]]:
    assert app.snapshot is not None
    return [
        (r.time, r.decision)
        for r in app.snapshot.records
        if isinstance(r, ev.DecisionMade) and r.by == "deadline"
    ]


async def step_to_the_end(app: TabletopApp, pilot: Pilot[None]) -> None:
    for _ in range(200):
        if app.snapshot is not None and app.snapshot.finished:
            return
        await press(app, pilot, "n")
    raise AssertionError("the exercise did not end")


async def test_next_event_never_rests_at_a_deadline_with_its_default_still_to_come() -> None:
    """The showcase stepped with n: at hour 12 an inject arrives at the instant the default
    of 'evict' is due. The step that shows the inject shows the default too (it applied at
    12, and the room is told while the clock reads 12), and the log is a headless run's."""
    scenario = showcase()
    app = TabletopApp(scenario, SEED)
    async with app.run_test(size=SIZE) as pilot:
        watch = Watch(app)
        await settle(app, pilot)
        await step_to_the_end(app, pilot)
        assert watch.at_deadline == []
        defaults = deadline_defaults(app)
        assert (12.0, "evict") in defaults
        assert [at for at, _ in watch.defaults_told] == [at for at, _ in defaults]
        assert console_log(app) == headless_log(scenario)


async def test_play_never_rests_at_a_deadline_with_its_default_still_to_come() -> None:
    """Play (space) stops when a decision opens; in the showcase one opens at the deadline
    instant of another. The stop shows that default applied, told at its hour."""
    scenario = showcase()
    app = TabletopApp(scenario, SEED, tick=0.02)
    async with app.run_test(size=SIZE) as pilot:
        watch = Watch(app)
        await settle(app, pilot)
        await pilot.press(*["plus"] * 6)
        for _ in range(60):
            snap = app.snapshot
            if snap is not None and snap.finished:
                break
            if not app.playing:
                await pilot.press("space")
            await wait_for(pilot, lambda: not app.playing, "play to stop")
            await settle(app, pilot)
        assert app.snapshot is not None and app.snapshot.finished
        assert watch.at_deadline == []
        defaults = deadline_defaults(app)
        assert (12.0, "evict") in defaults
        # play stopped at 12 for the decision opening then, and the default was told there
        # (other defaults are told at the tick that passed them: the clock did not rest there)
        assert any(at == 12.0 and "Evict" in said for at, said in watch.defaults_told)
        assert console_log(app) == headless_log(scenario)


async def test_a_decision_posed_again_is_warned_of_before_each_default() -> None:
    """The showcase's 'evict' is posed again after its default ('Keep watching') applies. The
    console paused before its first deadline only: the room's "let it apply" was kept for
    every later posing, so those defaults applied without the pause the guide promises."""
    scenario = showcase()
    app = TabletopApp(scenario, SEED)
    async with app.run_test(size=SIZE) as pilot:
        watch = Watch(app)
        await settle(app, pilot)
        await step_to_the_end(app, pilot)
        defaults = deadline_defaults(app)
        assert [d for _, d in defaults].count("evict") > 1, "evict is no longer posed again"
        # one pause before each default, with the clock before that default's deadline
        assert len(watch.warned) == len(defaults)
        for (warned_at, said), (at, decision) in zip(watch.warned, defaults, strict=True):
            assert warned_at < at
            prompt = next(d.prompt for d in scenario.decisions if d.id == decision)
            assert prompt in said
