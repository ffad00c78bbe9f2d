"""`tabletop watch` (the projector) shows what the console's players' view shows, to the end.

The debrief goes on after the exercise has ended: an evaluator's rating given there is seen by
the room (docs/facilitator-guide.md, 'Rating by hand'), so the projector following the session
must show it too, without the evaluator's note when that names what the players cannot see.
"""

from __future__ import annotations

from pathlib import Path

from sim import events as ev
from sim.bundled import resolve
from sim.commands import Rate
from sim.session.journal import start_session
from sim.session.resume import load_text
from sim.session.store import SessionStore
from sim.session.watch import Follower

SHOWCASE = resolve("showcase")
assert SHOWCASE is not None


def test_a_rating_given_in_the_debrief_reaches_the_projector(tmp_path: Path) -> None:
    text = SHOWCASE.read_text(encoding="utf-8")
    scenario = load_text(text, str(SHOWCASE))
    (rated,) = [o.id for o in scenario.objectives if o.rated_by == "evaluator"]
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = start_session(store, scenario, text, SHOWCASE, 3)
    ex.run_until_decision()
    ex.end()
    follower = Follower(SessionStore.open(store.path, readonly=True), 1)
    assert follower.poll() is not None
    ex.submit(Rate(objective=rated, rating="partially", note="one voice, late"))
    update = follower.poll()
    assert update is not None
    shown = [r for r in update.records if isinstance(r, ev.ObjectiveRated)]
    assert [(r.objective, r.rating) for r in shown] == [(rated, "partially")]
    assert [r.to_dict() for r in follower.players_records()] == [
        r.to_dict() for r in ex.visible(controller=False)
    ]
