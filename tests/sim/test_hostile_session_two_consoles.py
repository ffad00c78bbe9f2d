"""Hostile audit of the session store: two consoles on one session (two browser tabs of
`tabletop serve`, or two terminals). A console must never play on, or undo, blind to what
the other did: the store refuses the step, nothing is saved, and resuming shows the truth.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.bundled import resolve
from sim.commands import Note
from sim.session.journal import RecordedExercise, start_session
from sim.session.resume import load_text, resume_session
from sim.session.store import SessionStore, StoreError
from sim.session.undo import undo_last

QUICKSTART = resolve("quickstart")
assert QUICKSTART is not None


def new_session(store: SessionStore, seed: int = 5) -> RecordedExercise:
    text = QUICKSTART.read_text(encoding="utf-8")  # type: ignore[union-attr]
    return start_session(store, load_text(text, str(QUICKSTART)), text, QUICKSTART, seed)


def test_an_undo_from_another_console_stops_the_first_from_playing_on_blind(
    tmp_path: Path,
) -> None:
    """Console B takes back console A's choice. A still shows that choice in effect; its next
    command must be refused (nothing saved), not appended to a log whose replay differs from
    what A's room saw."""
    path = tmp_path / "s.sqlite3"
    a = new_session(SessionStore.open(path))
    a.run_until_decision()
    a.decide("answer_ally", "acknowledge", by="players")
    assert a.journal is not None
    sid = a.journal.session_id
    b = resume_session(SessionStore.open(path), sid).exercise
    assert b.journal is not None
    _, undone = undo_last(b)
    assert undone.kind == "decide"
    store = SessionStore.open(path)
    before = store.commands(sid, everything=True)
    with pytest.raises(StoreError, match="another tabletop"):
        a.note("A's room goes on, believing its choice stands")
    assert store.commands(sid, everything=True) == before
    # A, resumed, sees the truth (the choice undone) and goes on from there.
    again = resume_session(store, sid).exercise
    again.note("after resuming")
    assert [c.command.kind for c in store.commands(sid)][-1] == "note"


def test_an_undo_cannot_take_back_a_command_this_console_never_saw(tmp_path: Path) -> None:
    """Console A undoes after B added a note: A's `u` would take back B's note, which A's room
    never saw. It is refused; nothing is marked undone."""
    path = tmp_path / "s.sqlite3"
    a = new_session(SessionStore.open(path))
    a.run_until_decision()
    a.decide("answer_ally", "acknowledge", by="players")
    assert a.journal is not None
    sid = a.journal.session_id
    b = resume_session(SessionStore.open(path), sid).exercise
    b.note("from the second console")
    store = SessionStore.open(path)
    with pytest.raises(StoreError, match="another tabletop"):
        undo_last(a)
    assert not any(c.undone for c in store.commands(sid, everything=True))


def test_one_console_undoing_and_playing_on_is_not_refused(tmp_path: Path) -> None:
    """The guard above must not stop the ordinary case: undo, then play on, in one console."""
    path = tmp_path / "s.sqlite3"
    a = new_session(SessionStore.open(path))
    a.run_until_decision()
    a.decide("answer_ally", "acknowledge", by="players")
    a.note("a note")
    rebuilt, _ = undo_last(a)
    rebuilt, _ = undo_last(rebuilt)
    rebuilt.decide("answer_ally", "deny", by="players")
    rebuilt.note(Note(text="and on").text)
    assert rebuilt.journal is not None
    sid = rebuilt.journal.session_id
    store = SessionStore.open(path)
    kinds = [(c.command.kind, c.undone) for c in store.commands(sid, everything=True)]
    assert ("decide", True) in kinds and ("note", True) in kinds
    assert kinds[-2:] == [("decide", False), ("note", False)]
