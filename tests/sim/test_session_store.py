"""The session store: schema and migrations, commands first, and every way a store can fail."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from sim.commands import Adjust, Advance, Decide, Note
from sim.session.location import ENV_VAR, store_path
from sim.session.store import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    PlanRow,
    SessionStore,
    StoreError,
    parse_session_id,
)


def _new(store: SessionStore, text: str = "scenario: {id: demo}\n") -> int:
    return store.create(
        scenario_text=text,
        scenario_path="demo.yaml",
        scenario_id="demo",
        seed=7,
        players=("cabinet",),
    )


@pytest.fixture
def store(tmp_path: Path) -> SessionStore:
    return SessionStore.open(tmp_path / "s.sqlite3")


# --- hostile ids and files first ----------------------------------------------------------------


@pytest.mark.parametrize(
    "ident",
    [
        "",
        "abc",
        "1; DROP TABLE sessions",
        "1 OR 1=1",
        "-1",
        "0",
        "1.5",
        "١٢",
        "9" * 40,
        "\x1b[31m1",
    ],
)
def test_bad_session_ids_are_refused_clearly(store: SessionStore, ident: str) -> None:
    _new(store)
    with pytest.raises(StoreError) as err:
        store.session(ident)
    assert "\x1b" not in str(err.value)
    assert len(store.sessions()) == 1  # nothing dropped


def test_unknown_session_id_says_so(store: SessionStore) -> None:
    with pytest.raises(StoreError, match="no session 42"):
        store.session("42")
    assert parse_session_id("#3") == 3


def test_store_that_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        SessionStore.open(tmp_path)


def test_garbage_file_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    garbage = b"this is not a database at all\x00" * 200
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="not a tabletop session store"):
        SessionStore.open(path)
    assert path.read_bytes() == garbage


def test_damaged_header_is_refused(store: SessionStore) -> None:
    sid = _new(store)
    store.append(sid, 0.0, Note(text="kept"))
    store.close()
    path = store.path
    data = bytearray(path.read_bytes())
    data[0:16] = b"SQLite format 9\x00"
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="not a tabletop session store"):
        SessionStore.open(path)


def test_someone_elses_database_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a tabletop session store"):
        SessionStore.open(path)
    conn = sqlite3.connect(path)
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["accounts"]


def test_bad_json_or_unknown_kind_names_session_and_seq(store: SessionStore) -> None:
    sid = _new(store)
    store.append(sid, 0.0, Note(text="fine"))
    store.append(sid, 1.0, Note(text="to be damaged"))
    store.append(sid, 2.0, Note(text="also damaged"))
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE commands SET body = '{not json' WHERE seq = 2")
    conn.commit()
    with pytest.raises(StoreError, match=rf"session {sid}, command 2: .*not valid JSON"):
        store.commands(sid)
    conn.execute(
        'UPDATE commands SET body = \'{"format":1,"kind":"launch_missiles"}\' WHERE seq = 2'
    )
    conn.commit()
    with pytest.raises(StoreError, match=rf"session {sid}, command 2: unknown command kind"):
        store.commands(sid)
    conn.execute("UPDATE commands SET body = x'fffe00' WHERE seq = 2")
    conn.commit()
    with pytest.raises(StoreError, match=rf"session {sid}, command 2"):
        store.commands(sid)
    conn.close()


def test_huge_notes_round_trip(store: SessionStore) -> None:
    sid = _new(store)
    text = "x" * 5_000_000 + "\x1b[2J"
    store.append(sid, 0.0, Note(text=text))
    [stored] = store.commands(sid)
    assert isinstance(stored.command, Note)
    assert stored.command.text == text


# --- what a session holds -----------------------------------------------------------------------


def test_session_holds_scenario_seed_players_and_commands(store: SessionStore) -> None:
    text = "scenario:\n  id: demo\n"
    sid = _new(store, text)
    cmds = [Advance(to=1.5), Decide(decision="d", option="a", by="players"), Note(text="n")]
    for i, c in enumerate(cmds):
        assert store.append(sid, float(i), c) == i + 1
    info = store.session(str(sid))
    assert info.scenario_id == "demo"
    assert info.seed == 7
    assert info.players == ("cabinet",)
    assert info.status == "live"
    assert info.commands == 3
    assert info.decisions == 1
    assert len(info.scenario_sha256) == 64
    assert store.scenario_text(sid) == text
    assert [c.command for c in store.commands(sid)] == cmds
    store.set_status(sid, "finished")
    assert store.session(sid).status == "finished"


def test_undo_keeps_the_command_marked_undone(store: SessionStore) -> None:
    sid = _new(store)
    store.append(sid, 0.0, Decide(decision="d", option="a"))
    store.append(sid, 0.0, Adjust(variable="v", value=3.0, reason="typo"))
    store.append(sid, 0.5, Advance(to=0.5))
    assert store.undo_last(sid) == 2  # the adjustment, not the clock
    effective = [c.seq for c in store.commands(sid)]
    assert effective == [1, 3]
    everything = store.commands(sid, everything=True)
    assert [(c.seq, c.undone) for c in everything] == [(1, False), (2, True), (3, False)]
    assert store.undo_last(sid) == 1
    assert store.undo_last(sid) is None
    assert store.session(sid).decisions == 0


def test_refused_commands_are_kept_but_not_replayed(store: SessionStore) -> None:
    sid = _new(store)
    seq = store.append(sid, 0.0, Decide(decision="closed", option="a"))
    store.mark_refused(sid, seq)
    assert store.commands(sid) == []
    assert store.commands(sid, everything=True)[0].refused


def test_plan_rows_and_metadata(store: SessionStore) -> None:
    sid = _new(store)
    assert store.add_plan_row(sid, PlanRow(objective="o", issue="slow", action="drill")) == 1
    assert store.add_plan_row(sid, PlanRow(owner="NISC")) == 2
    assert store.plan_rows(sid)[1].owner == "NISC"
    store.set_meta(sid, "facilitator", "A. Sato")
    store.set_meta(sid, "facilitator", "B. Ito")
    assert store.meta(sid) == {"facilitator": "B. Ito"}


def test_an_edited_plan_round_trips_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = SessionStore.open(path)
    sid = _new(store)
    other = _new(store)
    store.add_plan_row(other, PlanRow(issue="another session's row"))
    assert not store.plan_edited(sid)
    rows = [
        PlanRow("o", "slow to share", "drill the hotline", "NISC", "2027-01-31"),
        PlanRow(issue="ünïcode and 'quotes'; DROP TABLE plan_rows; --", owner="x" * 300),
    ]
    store.replace_plan(sid, rows)
    store.close()
    store = SessionStore.open(path)
    assert store.plan_edited(sid)
    assert store.plan_rows(sid) == rows
    store.replace_plan(sid, rows[1:])  # a row deleted: the others keep their order
    assert store.plan_rows(sid) == rows[1:]
    store.replace_plan(sid, [])  # emptied on purpose: stays empty, still edited
    assert store.plan_rows(sid) == [] and store.plan_edited(sid)
    assert store.plan_rows(other) == [PlanRow(issue="another session's row")]
    assert not store.plan_edited(other)


def test_a_failed_plan_save_keeps_the_old_rows(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    sid = _new(store)
    store.replace_plan(sid, [PlanRow(issue="kept")])
    conn = store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="full"):
        store.replace_plan(sid, [PlanRow(issue="y" * 200_000)])
    assert store.plan_rows(sid) == [PlanRow(issue="kept")]


def test_store_is_wal_with_full_sync(store: SessionStore) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_store_location_option_then_env_then_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.sqlite3"))
    assert store_path(str(tmp_path / "opt.sqlite3")) == tmp_path / "opt.sqlite3"
    assert store_path(None) == tmp_path / "env.sqlite3"
    monkeypatch.delenv(ENV_VAR)
    default = store_path(None)
    assert default.name == "sessions.sqlite3"
    assert "tabletop" in default.parts


# --- the previous schema ------------------------------------------------------------------------

V1_FIXTURE = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY, scenario_id TEXT NOT NULL, scenario_path TEXT NOT NULL,
    scenario_text TEXT NOT NULL, scenario_sha256 TEXT NOT NULL, seed INTEGER NOT NULL,
    created TEXT NOT NULL, last_activity TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE commands (
    session_id INTEGER NOT NULL REFERENCES sessions(id), seq INTEGER NOT NULL,
    at REAL NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (session_id, seq));
INSERT INTO sessions VALUES (1, 'quickstart', 'q.yaml', 'scenario: {}', 'abc', 3,
    '2026-01-01T00:00:00+00:00', '2026-01-01T01:00:00+00:00', 'live');
INSERT INTO commands VALUES (1, 1, 0.0, 'decide',
    '{"by":"players","decision":"d","format":1,"kind":"decide","option":"a","rationale":""}');
INSERT INTO commands VALUES (1, 2, 2.0, 'advance', '{"by":"facilitator","format":1,"kind":"advance","to":2.0}');
PRAGMA application_id = 1414811472;
PRAGMA user_version = 1;
"""


def test_a_store_written_by_schema_v1_opens_and_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(V1_FIXTURE)
    conn.close()
    store = SessionStore.open(path)
    assert store.schema_version == SCHEMA_VERSION
    info = store.session(1)
    assert (info.scenario_id, info.seed, info.commands, info.decisions) == ("quickstart", 3, 2, 1)
    assert info.players == ()
    assert [c.command.kind for c in store.commands(1)] == ["decide", "advance"]
    assert store.undo_last(1) == 1  # the new columns work on old rows
    assert store.append(1, 3.0, Note(text="after the upgrade")) == 3


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    SessionStore.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer tabletop"):
        SessionStore.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


# --- failures that must lose nothing ------------------------------------------------------------


def test_locked_by_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = SessionStore.open(path, timeout=0.2)
    sid = _new(store)
    store.append(sid, 0.0, Note(text="committed"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    with pytest.raises(StoreError, match="busy"):
        store.append(sid, 1.0, Note(text="waits"))
    other.execute("ROLLBACK")
    other.close()
    assert [c.command for c in store.commands(sid)] == [Note(text="committed")]
    assert store.append(sid, 1.0, Note(text="now")) == 2


def test_full_disk(tmp_path: Path) -> None:
    store = SessionStore.open(tmp_path / "s.sqlite3")
    sid = _new(store)
    store.append(sid, 0.0, Note(text="committed"))
    conn = store._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError, match="full"):
        store.append(sid, 1.0, Note(text="y" * 200_000))
    assert [c.command for c in store.commands(sid)] == [Note(text="committed")]
    store.close()
    again = SessionStore.open(tmp_path / "s.sqlite3")
    assert [c.command for c in again.commands(sid)] == [Note(text="committed")]


def test_writing_through_a_read_only_handle(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = SessionStore.open(path)
    sid = _new(store)
    ro = SessionStore.open(path, readonly=True)
    assert ro.session(sid).id == sid
    with pytest.raises(StoreError, match="read-only"):
        ro.append(sid, 0.0, Note(text="no"))


def test_read_only_file_at_the_sqlite_level(tmp_path: Path) -> None:
    """The file cannot be written (SQLite's own read-only open): a clear message, no change."""
    path = tmp_path / "s.sqlite3"
    store = SessionStore.open(path)
    sid = _new(store)
    store.append(sid, 0.0, Note(text="committed"))
    store.close()
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
    ro = SessionStore(path, conn, readonly=False)
    with pytest.raises(StoreError, match="read-only"):
        ro.append(sid, 1.0, Note(text="no"))
    assert [c.command for c in ro.commands(sid)] == [Note(text="committed")]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "s.sqlite3"
    SessionStore.open(path).close()
    for p in folder.iterdir():
        p.chmod(0o444)
    folder.chmod(0o555)
    try:
        with pytest.raises(StoreError, match=r"read-only|cannot open"):
            store = SessionStore.open(path)
            _new(store)
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_uncreatable_folder(tmp_path: Path) -> None:
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="cannot create the folder"):
            SessionStore.open(tmp_path / "sub" / "s.sqlite3")
    finally:
        tmp_path.chmod(0o755)
