"""Hostile audit of the session store: files that are not what they claim, damaged rows, and two
consoles on one session. What the other store tests do not try.

Every bad store must give one clear line and exit 1 (never a traceback), leave the file as it
was, and lose no decision already committed.
"""

from __future__ import annotations

import os
import random
import socket
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim import events as ev
from sim.bundled import resolve
from sim.commands import Adjust, Decide, Note
from sim.problems import TabletopError
from sim.session.cli import sessions_text
from sim.session.journal import RecordedExercise, start_session
from sim.session.resume import load_text, resume_session
from sim.session.store import SessionStore, StoreError
from tui.cli import main

QUICKSTART = resolve("quickstart")
assert QUICKSTART is not None


def invoke(*args: str, color: bool = False) -> tuple[int, str, str]:
    """Run tabletop in-process; a traceback (any exception but an exit) fails the test.

    Our own errors (TabletopError) are printed by the entry point, run_main, as one line and
    exit 1: so they count as that here.
    """
    result = CliRunner().invoke(main, list(args), color=color)
    if isinstance(result.exception, TabletopError):
        return 1, result.stdout, f"error: {result.exception}\n"
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.stdout, result.stderr


def recorded_store(path: Path) -> None:
    code, _, err = invoke("run", "quickstart", "--record", "--store", str(path))
    assert code == 0, err


def new_session(store: SessionStore, seed: int = 5) -> RecordedExercise:
    text = QUICKSTART.read_text(encoding="utf-8")  # type: ignore[union-attr]
    return start_session(store, load_text(text, str(QUICKSTART)), text, QUICKSTART, seed)


# --- paths that are not files -------------------------------------------------------------------


def test_a_fifo_as_the_store_is_refused_before_sqlite_touches_it(tmp_path: Path) -> None:
    fifo = tmp_path / "store.fifo"
    os.mkfifo(fifo)
    for args in (("sessions",), ("run", "quickstart", "--record"), ("watch", "1", "--plain")):
        code, out, err = invoke(*args, "--store", str(fifo))
        assert code == 2, (args, out, err)  # a usage error, as for any file named
        assert "not a regular file" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store.fifo"]  # no journal beside it


def test_a_socket_as_the_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        with pytest.raises(StoreError, match="not a regular file"):
            SessionStore.open(path)
        with pytest.raises(StoreError, match="not a regular file"):
            SessionStore.open(path, readonly=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.sock"]


# --- files that are not stores -----------------------------------------------------------------


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path) -> None:
    path.write_text("meeting notes\nnot a database\n", encoding="utf-8")


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(8192))


def _someone_elses_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (name TEXT)")
    conn.execute("INSERT INTO accounts VALUES ('alice')")
    conn.commit()
    conn.close()


def _header_only_database(path: Path) -> None:
    """A SQLite file with no tables at all (another program's, just made)."""
    conn = sqlite3.connect(path)
    conn.execute("VACUUM")
    conn.close()
    assert path.stat().st_size > 0


NOT_STORES = {
    "empty": _empty,
    "text": _text,
    "random": _random_bytes,
    "other tables": _someone_elses_database,
    "no tables": _header_only_database,
}

SESSION_COMMANDS = {
    "sessions": ("sessions",),
    "report": ("report", "1", "--format", "md"),
    "compare": ("compare", "1", "2"),
    "branch": ("branch", "1", "--at", "answer_ally", "--option", "deny"),
    "watch": ("watch", "1", "--plain"),
    "play --resume": ("play", "--resume", "1"),
    "play": ("play", "quickstart"),
    "run --record": ("run", "quickstart", "--record"),
}


@pytest.mark.parametrize("kind", sorted(NOT_STORES))
@pytest.mark.parametrize("command", sorted(SESSION_COMMANDS))
def test_a_file_that_is_not_a_store_is_said_so_and_left_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, command: str
) -> None:
    """`--store` naming a file that tabletop did not make: every session command says in one
    line that it is not a session store (never "an older tabletop"), exits 1, and leaves the
    file as it was: a command that writes never turns it into a store."""
    import tui.cli
    from tui.app import TabletopApp

    opened: list[TabletopApp] = []
    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)  # as at a real terminal
    monkeypatch.setattr(TabletopApp, "run", lambda self, *a, **k: opened.append(self))
    path = tmp_path / "notes.db"
    NOT_STORES[kind](path)
    before = path.read_bytes()
    code, _, err = invoke(*SESSION_COMMANDS[command], "--store", str(path))
    assert code == 1, (code, err)
    said = err.strip().splitlines()
    assert len(said) == 1, err
    assert "not a tabletop session store" in said[0], err
    assert "older tabletop" not in err
    assert not opened
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # no journal beside it


def test_tabletops_making_one_new_store_at_once_all_use_it(tmp_path: Path) -> None:
    """A new store is made whole, never seen as an empty file: two consoles started together
    on a new store both open it (neither is told it is not a store)."""
    path = tmp_path / "s.sqlite3"
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def open_it() -> None:
        start.wait()
        try:
            SessionStore.open(path).close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "s.sqlite3"
    ]
    with SessionStore.open(path, readonly=True) as store:
        assert store.sessions() == []


# --- damaged rows -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("damage", "commands"),
    [
        ("UPDATE sessions SET seed = 'abc'", ("sessions", "watch", "report", "compare")),
        # SQLite keeps a number past 64 bits as a float: a branch copied it into a new session
        # (a traceback: 'Python int too large to convert to SQLite INTEGER').
        ("UPDATE sessions SET seed = 99999999999999999999", ("sessions", "report", "branch")),
        ("UPDATE sessions SET seed = -5", ("sessions", "report", "branch")),
        ("UPDATE sessions SET scenario_format = 'zz'", ("sessions", "watch", "branch")),
        ("UPDATE sessions SET parent_id = 'q'", ("sessions", "report")),
        ("UPDATE sessions SET command_format = x'00ff'", ("sessions", "watch")),
        ("UPDATE commands SET seq = 'x' WHERE seq = 1", ("watch", "report", "compare")),
    ],
)
def test_a_damaged_value_in_a_row_is_one_clear_line(
    tmp_path: Path, damage: str, commands: tuple[str, ...]
) -> None:
    """A store edited by hand or by another program (SQLite keeps any type in any column)."""
    path = tmp_path / "s.sqlite3"
    recorded_store(path)
    conn = sqlite3.connect(path)
    conn.execute(damage)
    conn.commit()
    conn.close()
    before = path.read_bytes()
    argv = {
        "sessions": ("sessions",),
        "watch": ("watch", "1", "--plain"),
        "report": ("report", "1", "--format", "md"),
        "compare": ("compare", "1", "1"),
        "branch": ("branch", "1", "--at", "answer_ally", "--option", "deny"),
    }
    for name in commands:
        code, _, err = invoke(*argv[name], "--store", str(path))
        assert code == 1, (name, err)
        assert "session 1" in err and "damaged" in err, (name, err)
        assert "Traceback" not in err
    assert path.read_bytes() == before


def test_a_store_with_a_negative_schema_version_is_damaged_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    recorded_store(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = -1")
    conn.close()
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(StoreError, match="damaged") as err:
            SessionStore.open(path, readonly=readonly)
        assert "duplicate column" not in str(err.value)
    assert path.read_bytes() == before


def test_a_store_at_schema_0_with_its_tables_is_damaged_and_left_alone(tmp_path: Path) -> None:
    """Schema 0 is a store not yet made; one that has tables cannot be upgraded (its tables
    exist). It was 'failed to open: table sessions already exists', and a reader was told to
    open it for writing to upgrade it."""
    path = tmp_path / "s.sqlite3"
    recorded_store(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.close()
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(StoreError, match="damaged") as err:
            SessionStore.open(path, readonly=readonly)
        assert "already exists" not in str(err.value) and "upgrade" not in str(err.value)
    for argv in (("sessions",), ("report", "1", "--format", "md"), ("watch", "1", "--plain")):
        code, _, err_text = invoke(*argv, "--store", str(path))
        assert code == 1 and "damaged" in err_text, (argv, err_text)
    assert path.read_bytes() == before


def test_control_codes_in_a_listed_row_are_shown_literally(tmp_path: Path) -> None:
    """`tabletop sessions` in a terminal: a hostile store must not drive the terminal (the
    status and the times are printed as they are stored)."""
    path = tmp_path / "s.sqlite3"
    recorded_store(path)
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE sessions SET status = char(27) || ']52;c;cHduZWQ=' || char(7),"
        " created = char(27) || '[2J' || char(27) || '[31m', last_activity = char(155) || '2J'"
    )
    conn.commit()
    conn.close()
    with SessionStore.open(path, readonly=True) as store:
        text = sessions_text(store.sessions())
    assert not any((ord(c) < 32 and c != "\n") or 127 <= ord(c) < 160 for c in text), repr(text)
    code, out, _ = invoke("sessions", "--store", str(path), color=True)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out


# --- a failed write reports the real reason -----------------------------------------------------


class _RollsBackOnCreate(sqlite3.Connection):
    """A connection whose disk fills while the store's tables are made: SQLite then rolls the
    whole transaction back by itself (as it may for SQLITE_FULL and I/O errors)."""

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
        if sql.startswith("CREATE TABLE commands"):
            super().execute("ROLLBACK")
            raise sqlite3.OperationalError("database or disk is full")
        return super().execute(sql, *args)  # type: ignore[arg-type]


def test_a_write_that_sqlite_already_rolled_back_reports_the_real_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = sqlite3.connect

    def full_disk_connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        return connect(*args, factory=_RollsBackOnCreate, **kwargs)  # type: ignore[arg-type, call-overload, no-any-return]

    monkeypatch.setattr(sqlite3, "connect", full_disk_connect)
    with pytest.raises(StoreError) as err:
        SessionStore.open(tmp_path / "s.sqlite3")
    assert "cannot rollback" not in str(err.value)
    assert "full" in str(err.value)
    assert list(tmp_path.iterdir()) == []  # no empty file left behind, which is no store


# --- commands the store could not read back -------------------------------------------------------


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_a_command_the_store_could_not_read_back_is_never_saved(
    tmp_path: Path, value: float
) -> None:
    """An adjustment to 'infinity' (1e999 typed as the new value) is refused; it must not be
    saved either: resuming reads every saved command, and one it cannot read would leave the
    whole session, and every decision in it, unresumable."""
    store = SessionStore.open(tmp_path / "s.sqlite3")
    ex = new_session(store)
    ex.run_until_decision()
    (od,) = ex.open_decisions.values()
    with pytest.raises(TabletopError, match=r"must be a .*number"):
        ex.submit(Adjust(variable="ally_trust", value=value, reason="typed 1e999"))
    ex.submit(Decide(decision=od.decision.id, option=od.decision.options[0].id, by="players"))
    ex.run_until(ex.now + 1)
    again = resume_session(store, 1)
    made = [r for r in again.exercise.records if isinstance(r, ev.DecisionMade)]
    assert [(r.decision, r.option) for r in made] == [(od.decision.id, od.decision.options[0].id)]
    assert [r.to_dict() for r in again.exercise.records] == [r.to_dict() for r in ex.records]


INFINITE_ADJUST = (
    '{"by":"facilitator","format":1,"kind":"adjust","reason":"typed 1e999",'
    '"value":Infinity,"variable":"ally_trust"}'
)


def _save_unreadable_refused(path: Path, session_id: int, at: float) -> int:
    """What a tabletop before da0891b saved for an adjustment to 1e999: the command (which
    cannot be read back), marked refused by the engine. Written by hand; returns its seq."""
    conn = sqlite3.connect(path)
    seq = int(
        conn.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM commands WHERE session_id = ?", (session_id,)
        ).fetchone()[0]
    )
    conn.execute(
        "INSERT INTO commands (session_id, seq, at, kind, body, refused, wall)"
        " VALUES (?, ?, ?, 'adjust', ?, 1, '2026-12-01T10:00:00+00:00')",
        (session_id, seq, at, INFINITE_ADJUST),
    )
    conn.commit()
    conn.close()
    return seq


def test_a_refused_command_this_tabletop_cannot_read_does_not_lose_the_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store from a tabletop that saved an adjustment to 'infinity' (refused when played):
    resuming skips that one command, says so, and keeps every decision; the session goes on."""
    import tui.cli
    from tui.app import TabletopApp

    path = tmp_path / "s.sqlite3"
    store = SessionStore.open(path)
    ex = new_session(store)
    ex.run_until_decision()
    (od,) = ex.open_decisions.values()
    ex.submit(Decide(decision=od.decision.id, option=od.decision.options[0].id, by="players"))
    assert ex.journal is not None
    sid = ex.journal.session_id
    bad = _save_unreadable_refused(path, sid, ex.now)
    ex.journal.last = bad  # this console saw it saved (and refused)
    ex.note("after the bad adjustment")
    ex.run_until(ex.now + 1)
    store.close()

    with SessionStore.open(path) as again:
        resumed = resume_session(again, sid)
        made = [r for r in resumed.exercise.records if isinstance(r, ev.DecisionMade)]
        assert [(r.decision, r.option) for r in made] == [
            (od.decision.id, od.decision.options[0].id)
        ]
        assert [r.to_dict() for r in resumed.exercise.records] == [r.to_dict() for r in ex.records]
        said = [line for line in resumed.report() if "cannot read" in line]
        assert len(said) == 1 and "1 saved command" in said[0] and str(bad) in said[0], said
        resumed.exercise.note("the session goes on")  # the journal knows the last command
        assert again.commands(sid)[-1].command == Note(text="the session goes on", by="facilitator")

    opened: list[TabletopApp] = []
    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)  # as at a real terminal
    monkeypatch.setattr(TabletopApp, "run", lambda self, *a, **k: opened.append(self))
    code, _, err = invoke("play", "--resume", str(sid), "--store", str(path))
    assert code == 0, err
    assert len(opened) == 1
    assert "skipped 1 saved command" in err, err


def test_an_unreadable_command_that_took_effect_still_stops_the_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a refused command (never replayed) may be skipped: skipping one that took effect
    would replay another exercise than the room's."""
    import tui.cli

    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)  # as at a real terminal
    path = tmp_path / "s.sqlite3"
    recorded_store(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE commands SET body = ? WHERE seq = 1", (INFINITE_ADJUST,))
    conn.commit()
    conn.close()
    code, _, err = invoke("play", "--resume", "1", "--store", str(path))
    assert code == 1
    assert "session 1, command 1" in err, err


# --- a damaged page ------------------------------------------------------------------------------


def _damage_first_sessions_page(path: Path) -> None:
    """Overwrite the first leaf page of the sessions table (not the one a new session goes
    to): the store reads as damaged, but a new session could still be written after it."""
    conn = sqlite3.connect(path)
    try:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        rows = conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'sessions' AND pagetype = 'leaf'"
            " ORDER BY pageno"
        ).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find a page with")
    finally:
        conn.close()
    assert len(rows) >= 2, rows  # the last leaf, where a new session goes, is left whole
    data = bytearray(path.read_bytes())
    start = (int(rows[0][0]) - 1) * page_size
    data[start : start + page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "command", [("run", "quickstart", "--record"), ("play", "quickstart")], ids=" ".join
)
def test_a_new_session_is_refused_in_a_damaged_store_as_the_other_commands_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...]
) -> None:
    import tui.cli
    from tui.app import TabletopApp

    opened: list[TabletopApp] = []
    monkeypatch.setattr(tui.cli, "_has_terminal", lambda: True)  # as at a real terminal
    monkeypatch.setattr(TabletopApp, "run", lambda self, *a, **k: opened.append(self))
    path = tmp_path / "s.sqlite3"
    for _ in range(3):
        recorded_store(path)
    SessionStore.open(path).close()  # the last one to close folds the WAL into the file
    _damage_first_sessions_page(path)
    before = path.read_bytes()
    code, _, listed = invoke("sessions", "--store", str(path))
    assert code == 1 and "damaged" in listed, listed
    code, out, err = invoke(*command, "--store", str(path))
    assert code == 1, err
    assert err == listed  # the same one line
    assert "recording as session" not in err and out == ""
    assert not opened
    assert path.read_bytes() == before
