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


def test_an_undo_of_what_the_players_never_saw_is_not_announced(tmp_path: Path) -> None:
    """Undoing an adjustment of a hidden variable (or a facilitator's note) changes nothing the
    players see: the projector does not say 'the session was rebuilt (a command was undone)',
    which told the room the facilitator had done something out of their sight."""
    from sim.commands import Adjust, Note
    from sim.session.undo import undo_last
    from tui.watch import players_lines

    quickstart = resolve("quickstart")
    assert quickstart is not None
    text = quickstart.read_text(encoding="utf-8")
    scenario = load_text(text, str(quickstart))
    hidden = next(n for n, v in scenario.variables.items() if v.hidden)
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = start_session(store, scenario, text, quickstart, 3)
    ex.run_until(8)  # nothing falls due at 8: the adjustments below finish the instant alone
    follower = Follower(SessionStore.open(store.path, readonly=True), 1)
    assert follower.poll() is not None
    quiet = Adjust(variable=hidden, value=ex.variables()[hidden] + 0.1, reason="quietly")
    for command in (quiet, Note(text="aside")):
        ex.submit(command)
        ex.run_until(ex.now)
        follower.poll()
        ex, _ = undo_last(ex)
        update = follower.poll()
        assert update is not None
        assert players_lines(follower, update) == []
    # an undo the players can see is still announced and redrawn
    ex.submit(Adjust(variable="public_trust", value=0.2, reason="press"))
    ex.run_until(ex.now)
    follower.poll()
    ex, _ = undo_last(ex)
    update = follower.poll()
    assert update is not None and update.reset
    assert players_lines(follower, update)[0].startswith("-- the session was rebuilt")
