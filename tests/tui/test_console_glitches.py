"""Pilot tests of three console glitches: a decision at its deadline instant, the event log's
day beside an evening start, and a variable's description."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import ROOT, press, settle, text_of

from sim import events as ev
from sim.loader import load_scenario
from sim.schema import Scenario
from tui.app import TabletopApp
from tui.screens.rationale import RationaleDialog
from tui.widgets.decision import DecisionPanel

SIZE = (120, 40)
SHOWCASE = ROOT / "scenarios" / "showcase.yaml"


def showcase() -> Scenario:
    return load_scenario(Path(SHOWCASE))


def at_deadline(app: TabletopApp) -> list[str]:
    """Open decisions whose deadline is the clock's instant (their default is due now)."""
    snap = app.snapshot
    assert snap is not None
    return [od.decision.id for od in snap.open_decisions if od.deadline <= snap.now]


async def test_a_decision_at_its_deadline_instant_is_not_offered_for_choosing() -> None:
    """The showcase, stepped with n: after the warning before the deadline of 'evict', the
    next step stops at the deadline instant itself (an inject arrives then), before the
    default is applied at the instant's end. The engine refuses a choice then, so the panel
    must not offer one: it says the default applies, and a number key opens no dialog."""
    app = TabletopApp(showcase(), 2018)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in range(30):
            if at_deadline(app):
                break
            await press(app, pilot, "n")
        assert at_deadline(app) == ["evict"], "the showcase no longer stops at a deadline"
        snap = app.snapshot
        assert snap is not None
        ids = [od.decision.id for od in snap.open_decisions]
        while ids[app.decision_index % len(ids)] != "evict":
            await press(app, pilot, "o")
        panel = text_of(app.screen.query_one(DecisionPanel))
        assert "Evict the intruders" in panel
        assert "choose" not in panel
        assert "default 'Keep watching' applies" in panel
        await press(app, pilot, "1")
        assert not isinstance(app.screen, RationaleDialog)
        assert not any("Choose" in name for name, _, _ in app.palette_commands())
        for _ in range(5):  # the instant ends: the default applies, as the panel said
            await press(app, pilot, "n")
            if "evict" not in at_deadline(app):
                break
        assert app.snapshot is not None
        made = [r for r in app.snapshot.records if isinstance(r, ev.DecisionMade)]
        assert (made[-1].decision, made[-1].option, made[-1].by) == ("evict", "watch", "deadline")
