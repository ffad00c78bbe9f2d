"""Hostile audit of `tabletop watch` (the projector): the players must not see an option the
scenario hides from them (a v2 option whose `if` is false when the decision is posed).

The players' own records already leave it out (the decision's record lists only the options
offered); the decision panel is what the room reads, on the projector and on the console in
the players' view.
"""

from __future__ import annotations

from pathlib import Path

from tui_helpers import press, settle, text_of, wait_for

from sim.session.journal import RecordedExercise, start_session
from sim.session.resume import load_text
from sim.session.store import SessionStore
from sim.session.watch import Follower
from tui.app import TabletopApp
from tui.watch import WatchApp
from tui.widgets.decision import DecisionPanel

SIZE = (120, 40)
HIDDEN = "Covert strike nobody may know of"

SCENARIO = f"""
format: 2
scenario:
  id: hidden-option
  title: Hidden option
  summary: A decision with an option offered only when a condition holds.
  start: 2020-01-01T00:00:00+00:00
  horizon: 100
actors:
  - {{id: gov, name: Government, affiliation: government}}
  - {{id: ally, name: Ally, affiliation: ally}}
variables:
  trust: {{initial: 0}}
decisions:
  - id: ask
    owner: gov
    prompt: How do we answer?
    default: protest
    deadline: 20
    options:
      - {{id: protest, label: Protest publicly}}
      - {{id: strike, label: {HIDDEN}, if: "trust >= 1"}}
injects:
  - {{id: start, at: 1, from: ally, to: [gov], text: Go., invented: true, decision: ask}}
"""


def posed(store: SessionStore, tmp_path: Path) -> RecordedExercise:
    """A recorded session whose decision is open, with the hidden option not offered."""
    source = tmp_path / "hidden.yaml"
    source.write_text(SCENARIO, encoding="utf-8")
    ex = start_session(store, load_text(SCENARIO, str(source)), SCENARIO, source, 1)
    ex.run_until_decision()
    (od,) = ex.open_decisions.values()
    assert od.offered == ("protest",)  # else the test proves nothing
    return ex


async def test_the_projector_never_shows_an_option_the_scenario_hides(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    posed(store, tmp_path)
    follower = Follower(SessionStore.open(store.path, readonly=True), 1)
    app = WatchApp(follower, poll=0.05)
    async with app.run_test(size=SIZE) as pilot:
        panel = app.screen.query_one(DecisionPanel)
        await wait_for(pilot, lambda: "Protest publicly" in text_of(panel), "the decision")
        assert HIDDEN not in text_of(app.screen)
        assert "[1-2]" not in text_of(panel)  # nor a hint that there is a second option


async def test_the_console_in_the_players_view_never_shows_it_either(tmp_path: Path) -> None:
    source = tmp_path / "hidden.yaml"
    source.write_text(SCENARIO, encoding="utf-8")
    app = TabletopApp(load_text(SCENARIO, str(source)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not app.controller  # the console opens in the players' view
        await press(app, pilot, "n")  # the inject that poses the decision
        panel = app.screen.query_one(DecisionPanel)
        await wait_for(pilot, lambda: "Protest publicly" in text_of(panel), "the decision")
        assert HIDDEN not in text_of(panel) and "[1-2]" not in text_of(panel)
        # The facilitator's controller view may show it, marked as not offered now; its key
        # stays the option's own number (key 2 is the second option in the scenario).
        await pilot.press("v")
        await wait_for(pilot, lambda: HIDDEN in text_of(panel), "the controller's view")
        assert "not offered now" in text_of(panel) and "[1-2] choose" in text_of(panel)
